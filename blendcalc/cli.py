"""The ``blendcalc`` command line: parse the user's text, call the library, hand the result
to :mod:`blendcalc.output`. Library errors become one ``Error: ...`` line here and nowhere
else. Pint and rich are imported only by the commands that need them.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Annotated, Any

import typer

from blendcalc import __version__
from blendcalc.errors import BadInput, BlendcalcError
from blendcalc.numbers import MAX_DROPS
from blendcalc.output import print_json, print_line, print_message
from blendcalc.terminal import describe_os_error, escape, guarded_streams, sane_environment


class ExitCode(IntEnum):
    """The exit codes of SPEC section 2 (and the README)."""

    OK = 0
    INTERNAL_ERROR = 1
    BAD_INPUT = 2
    SAFETY_WARNING = 3  # --strict and a safety warning stands
    NO_BLEND = 4  # nothing left to blend, or too little base oil for one whole drop
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, the shell's convention)


def _show_help(ctx: Any, param: Any, value: bool) -> None:
    """``--help``, written through :mod:`blendcalc.terminal` like every other output: click's
    own echo bypasses the guarded stdout in an ASCII locale, so a closed pipe became exit 1."""
    if not value or ctx.resilient_parsing:
        return
    from blendcalc.terminal import write

    write("stdout", ctx.get_help() + "\n")
    ctx.exit()


def _guarded_help_option(option: Any) -> Any:
    if option is not None:
        option.callback = _show_help
    return option


class _Command(typer.core.TyperCommand):
    """A command whose usage line reads ``VOLUME`` where Typer writes ``{VOLUME}``, and
    whose help goes through the guarded stdout."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [re.sub(r"\{([^{}]+)\}", r"\1", piece) for piece in pieces]

    def get_help_option(self, ctx: Any) -> Any:
        return _guarded_help_option(super().get_help_option(ctx))


class _Group(typer.core.TyperGroup):
    """The command group, whose help goes through the guarded stdout."""

    def get_help_option(self, ctx: Any) -> Any:
        return _guarded_help_option(super().get_help_option(ctx))


app = typer.Typer(
    name="blendcalc",
    cls=_Group,
    help=(
        "Essential-oil blend calculator: how many drops of which oils go into this much "
        "base oil, which oils suit a purpose, and what a volume is in other units."
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _given(accepted: str) -> Callable[[typer.CallbackParam, Any], Any]:
    """A callback refusing an empty value ("" is not "not given", SPEC section 5)."""

    def check(param: typer.CallbackParam, value: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(item, str) and not item.strip() for item in values):
            name = param.opts[0] if param.opts[0].startswith("-") else param.metavar
            raise BadInput(f"{name} is empty; {accepted}")
        return value

    return check


def _whole_number(lowest: int, highest: int) -> Callable[[str], int]:
    """A parser for an integer option: digits 0-9 only (int() also reads '٣٠', '３０' and
    '1_0'), within ``lowest`` to ``highest``."""

    def parse(text: str) -> int:
        from blendcalc.numbers import parse_whole_number

        try:
            return parse_whole_number(text, lowest, highest)
        except BadInput as error:
            raise typer.BadParameter(str(error)) from None

    return parse


PROFILES = ["adult", "face", "sensitive", "elderly", "pregnancy", "child"]

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout instead of text.")
]
DropsPerMlOption = Annotated[
    str,
    typer.Option(
        "--drops-per-ml",
        metavar="N",
        help="Drop size as drops per mL, 10 to 100 (20 = 0.05 mL, the usual convention; "
        "the Tisserand Institute measures about 30).",
    ),
]


UnitsOption = Annotated[
    str,
    typer.Option(
        "--units",
        metavar="metric|us",
        envvar="BLENDCALC_UNITS",
        help="What tsp, tbsp and cup mean: metric (5, 15, 250 mL, as aromatherapy charts "
        "use) or us (4.93, 14.79, 236.59 mL). Default: $BLENDCALC_UNITS, else metric. "
        "A fluid ounce is the US one (29.57 mL) either way.",
        autocompletion=lambda: ["metric", "us"],
        show_default=False,
        callback=_given("accepted: metric, us"),
    ),
]


def _show_version(value: bool) -> None:
    if value:
        print_line(f"blendcalc {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Essential-oil blend calculator: exact drops, sourced safety data, unit conversion."""


@app.command(
    cls=_Command,
    context_settings={"ignore_unknown_options": True},
    short_help="Convert a volume to another unit: tsp, tbsp, fl oz, drops.",
)
def convert(
    quantity: Annotated[
        str,
        typer.Argument(
            metavar="QUANTITY",
            help="What to convert: a number and a unit, e.g. '2 tbsp', '30ml', '1/2 tsp'.",
            show_default=False,
        ),
    ],
    unit: Annotated[
        str,
        typer.Argument(
            metavar="UNIT",
            help="The unit to convert to: ml, cl, dl, l, tsp, tbsp, us_tsp, us_tbsp, "
            "au_tbsp, floz, imperial_floz, cup, us_cup, drops.",
            show_default=False,
        ),
    ],
    drops_per_ml: DropsPerMlOption = "20",
    units: UnitsOption = "metric",
    json_output: JsonOption = False,
) -> None:
    """Convert a volume to another unit, exactly (tsp and tbsp are metric, 5 and 15 mL,
    unless --units us).

    Example:

    \b
      blendcalc convert "2 tbsp" ml
      blendcalc convert "30 ml" drops --drops-per-ml 30
    """
    from blendcalc.units import convert as convert_quantity
    from blendcalc.units import (
        format_quantity,
        parse_drops_per_ml,
        parse_quantity,
        parse_unit,
        parse_unit_system,
    )

    system = parse_unit_system(units)
    drop_size = parse_drops_per_ml(drops_per_ml)
    source = parse_quantity(quantity, system=system)
    target = parse_unit(unit, system)
    conversion = convert_quantity(source, target, drop_size, system)
    if json_output:
        print_json(conversion.to_dict())
        return
    line = (
        f"{format_quantity(source.value, source.unit)} = "
        f"{format_quantity(conversion.value, target)}"
    )
    if conversion.notes:
        line += f" ({'; '.join(conversion.notes)})"
    print_line(line)


OilsFileOption = Annotated[
    str | None,
    typer.Option(
        "--oils",
        metavar="FILE",
        help="A user catalog merged over the shipped one, entry by entry "
        "(default: $BLENDCALC_OILS, else oils.toml in the user config directory).",
        callback=_given("give a catalog file (TOML)"),
    ),
]
AllergyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allergy",
        metavar="TERM",
        help="An allergy: an oil, a botanical family (citrus, daisy, ragweed...), a "
        "constituent (linalool, limonene, eugenol...), a patch-test mix (fragrance mix I, "
        "fragrance mix II) or, for the base oil, a nut or other "
        "allergen (tree nut, peanut...). 'peanut allergy' reads as peanut; a near miss "
        "('lavander') is an error, never skipped. Repeat it or separate with commas.",
        callback=_given("give an oil, a botanical family or a constituent, e.g. linalool"),
    ),
]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        metavar="PROFILE",
        help="Who the blend is for: adult, face, sensitive, elderly, pregnancy, child "
        "(child needs --age). Lowers the dilution and leaves out oils with cautions for it.",
        autocompletion=lambda: PROFILES,
        callback=_given(f"accepted: {', '.join(PROFILES)}"),
    ),
]
AgeOption = Annotated[
    str | None,
    typer.Option("--age", metavar="YEARS", help="The child's age in years (0.5 = 6 months)."),
]


SaveOption = Annotated[
    str | None,
    typer.Option(
        "--save",
        metavar="FILE",
        help="Save the recipe (what was asked and what came out) to FILE (TOML), for "
        "'blendcalc recipe show|scale|label'. An existing file is kept unless --force.",
        callback=_given("give a file name, e.g. massage-oil.toml"),
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Let --save (or --output) replace an existing file.")
]
GramsOption = Annotated[
    bool,
    typer.Option(
        "--grams",
        help="Also give each oil's and the base oil's weight in grams, from sourced densities "
        "(none where the catalog has no density).",
    ),
]


PURPOSE_HINT = "give a purpose, e.g. relaxation (see 'blendcalc purposes')"


def _complete_oils(incomplete: str) -> list[str]:
    return _complete(incomplete, "oil")


def _complete_purposes(incomplete: str) -> list[str]:
    return _complete(incomplete, "purpose")


def _complete_bases(incomplete: str) -> list[str]:
    """Base (carrier) oil keys, for ``blend --base`` (SPEC section 8)."""
    return _complete(incomplete, "base")


def _complete_allergen_classes(incomplete: str) -> list[str]:
    return _complete(incomplete, "allergen class")


def _complete(incomplete: str, what: str) -> list[str]:
    from blendcalc.catalog import load_catalog, normalise

    try:
        catalog = load_catalog()
    except BlendcalcError:
        return []
    tables: dict[str, Iterable[str]] = {
        "oil": catalog.oils,
        "purpose": catalog.purposes,
        "base": catalog.bases,
        "allergen class": catalog.allergen_classes,
    }
    keys = tables[what]
    prefix = normalise(incomplete)
    return [key for key in keys if normalise(key).startswith(prefix)]


@app.command("oils", cls=_Command, short_help="List the oils, or the oils for one purpose.")
def list_oils(
    purpose: Annotated[
        str | None,
        typer.Option(
            "--purpose",
            metavar="PURPOSE",
            help="Only the oils for this purpose, best first.",
            autocompletion=_complete_purposes,
            callback=_given(PURPOSE_HINT),
        ),
    ] = None,
    oils_file: OilsFileOption = None,
    json_output: JsonOption = False,
) -> None:
    """List the catalog's oils, or the oils for one purpose (an everyday word such as
    sleep or headache finds its purpose).

    Example:

    \b
      blendcalc oils
      blendcalc oils --purpose "sore muscles"
    """
    from blendcalc.catalog import load_catalog

    catalog = load_catalog(oils_file)
    chosen = (
        catalog.oils_for(catalog.find_purpose(purpose)) if purpose else list(catalog.oils.values())
    )
    if json_output:
        print_json(
            [
                {
                    "key": oil.key,
                    "name": oil.name,
                    "latin": oil.latin,
                    "purposes": list(oil.purposes),
                    "constituents_complete": oil.constituents_complete,
                    "composition_source": oil.composition_source or None,
                }
                for oil in chosen
            ]
        )
        return
    from blendcalc.output import print_oils

    print_oils(chosen)


@app.command("purposes", cls=_Command, short_help="List the purposes and the words that find them.")
def list_purposes(oils_file: OilsFileOption = None, json_output: JsonOption = False) -> None:
    """List the purposes, the words that find them (aliases and everyday words such as
    sleep, stress, headache), and how many oils serve each.

    Example:

    \b
      blendcalc purposes
    """
    from blendcalc.catalog import load_catalog

    catalog = load_catalog(oils_file)
    rows = [
        {
            "key": purpose.key,
            "name": purpose.name,
            "aliases": list(purpose.aliases),
            "heading": purpose.heading,
            "oils": len(catalog.oils_for(purpose)),
        }
        for purpose in catalog.purposes.values()
    ]
    if json_output:
        print_json(rows)
        return
    from blendcalc.output import print_purposes

    print_purposes(rows)


@app.command(
    "show", cls=_Command, short_help="Show one oil's card: limits, allergens, cautions, sources."
)
def show(
    oil: Annotated[
        str,
        typer.Argument(
            metavar="OIL",
            help="An oil's key, name or alias, e.g. lavender, 'clove bud', mint.",
            autocompletion=_complete_oils,
            show_default=False,
            callback=_given("give an oil's name, e.g. lavender (see 'blendcalc oils')"),
        ),
    ],
    oils_file: OilsFileOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show one oil's card: Latin name, family, purposes, limits, allergens, cautions,
    sources (with their titles and addresses).

    Example:

    \b
      blendcalc show peppermint
    """
    from blendcalc.catalog import load_catalog, oil_card

    catalog = load_catalog(oils_file)
    card = oil_card(catalog.find_oil(oil), catalog)
    if json_output:
        print_json(card)
        return
    from blendcalc.output import print_card

    print_card(card)


@app.command("bases", cls=_Command, short_help="List the base (carrier) oils and their allergens.")
def list_bases(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[BASE]...",
            help="Only these bases, by key, name or alias (almond, 'sweet almond', arachis); "
            "default: all.",
            autocompletion=_complete_bases,
            show_default=False,
        ),
    ] = None,
    allergy: Annotated[
        list[str] | None,
        typer.Option(
            "--allergy",
            metavar="TERM",
            help="The person's allergy: an allergen class (tree nut, nuts, peanut, sesame, "
            "soy, coconut, latex), a base oil (almond, arachis) or a botanical family "
            "(daisy, legumes). Repeat it or separate with commas.",
            autocompletion=_complete_allergen_classes,
        ),
    ] = None,
    oils_file: OilsFileOption = None,
    json_output: JsonOption = False,
) -> None:
    """List the base (carrier) oils and their allergens, and with --allergy which suit the
    person: avoid (ruled out), warn (usable with care) or suitable (no declared allergy
    matches what is known of it; "no published allergy data" is not a sign of safety).

    Example:

    \b
      blendcalc bases --allergy "tree nut"
      blendcalc bases shea --allergy nuts
    """
    from blendcalc.base_review import allergy_terms, check_terms, review_bases, term_notes
    from blendcalc.catalog import load_catalog

    catalog = load_catalog(oils_file)
    terms = allergy_terms(catalog, allergy or [])
    check_terms(catalog, terms)
    verdicts = review_bases(catalog, terms)
    if names:
        chosen = list(dict.fromkeys(catalog.find_base(name).key for name in names))
        by_key = {item.base.key: item for item in verdicts}
        verdicts = [by_key[key] for key in chosen]
    if json_output:
        print_json([item.to_dict(catalog) for item in verdicts])
        return
    from blendcalc.output import print_bases

    print_bases(catalog, verdicts, terms, term_notes(catalog, terms))


@app.command(
    "suggest", cls=_Command, short_help="Rank the oils for a purpose, with what is left out."
)
def suggest(
    purpose: Annotated[
        str,
        typer.Argument(
            metavar="PURPOSE",
            help="A purpose or its alias: relaxation, refreshing, anti-cellulite, sensual, "
            "focus, pain-relief, scalp-and-hair, skin.",
            autocompletion=_complete_purposes,
            show_default=False,
            callback=_given(PURPOSE_HINT),
        ),
    ],
    allergy: AllergyOption = None,
    profile: ProfileOption = None,
    age: AgeOption = None,
    count: Annotated[
        int | None,
        typer.Option(
            "--count",
            metavar="N",
            parser=_whole_number(1, 50),
            help="How many oils to list, 1 to 50 (default: all).",
        ),
    ] = None,
    oils_file: OilsFileOption = None,
    json_output: JsonOption = False,
) -> None:
    """Rank the oils for a purpose, leaving out (with the reason) those your allergies or
    profile rule out.

    Example:

    \b
      blendcalc suggest relaxation
      blendcalc suggest sleep --allergy linalool --profile pregnancy
    """
    from blendcalc.base_review import allergy_terms
    from blendcalc.catalog import load_catalog
    from blendcalc.profiles import resolve_profile
    from blendcalc.suggest import suggest_oils

    chosen_profile = resolve_profile(profile, age)
    catalog = load_catalog(oils_file)
    result = suggest_oils(
        catalog,
        catalog.find_purpose(purpose),
        allergy_terms(catalog, allergy or []),
        chosen_profile,
        count,
    )
    if json_output:
        print_json(result.to_dict())
    else:
        from blendcalc.output import print_suggestion

        print_suggestion(result)
    if not result.oils:
        raise typer.Exit(ExitCode.NO_BLEND)


@app.command(
    cls=_Command,
    context_settings={"ignore_unknown_options": True},
    short_help="Drops of which oils for this much base oil, with warnings.",
)
def blend(
    volume: Annotated[
        str,
        typer.Argument(
            metavar="VOLUME",
            help="Base (carrier) oil: '30ml', '2 tbsp', '1 fl oz', '100' (mL).",
            show_default=False,
        ),
    ],
    oils: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[OIL[:PARTS]]...",
            help="Oils by name, each with optional parts (lavender:2 peppermint).",
            autocompletion=_complete_oils,
            show_default=False,
        ),
    ] = None,
    purpose: Annotated[
        str | None,
        typer.Option(
            "--purpose",
            metavar="PURPOSE",
            help="Let blendcalc choose the oils for a purpose (instead of naming them).",
            autocompletion=_complete_purposes,
            callback=_given(PURPOSE_HINT),
        ),
    ] = None,
    count: Annotated[
        int | None,
        typer.Option(
            "--count",
            metavar="N",
            parser=_whole_number(1, 20),
            help="How many oils --purpose chooses, 1 to 20 (default 3).",
        ),
    ] = None,
    ratio: Annotated[
        str | None,
        typer.Option(
            "--ratio",
            metavar="RATIO",
            help="The stated ratio, 'MIN-MAX drops per VOLUME' (default: 5-10 drops per "
            "15 ml, from the source article).",
        ),
    ] = None,
    dilution: Annotated[
        str | None,
        typer.Option(
            "--dilution",
            metavar="PCT",
            help="Total essential oil as % of the base oil, rounded down to whole drops.",
        ),
    ] = None,
    drops: Annotated[
        int | None,
        typer.Option(
            "--drops",
            metavar="N",
            parser=_whole_number(1, MAX_DROPS),
            help="Total drops of essential oil.",
        ),
    ] = None,
    strength: Annotated[
        str | None,
        typer.Option(
            "--strength",
            metavar="gentle|standard|strong",
            help="Where in the ratio's range: its minimum, middle (default) or maximum.",
            autocompletion=lambda: ["gentle", "standard", "strong"],
        ),
    ] = None,
    drops_per_ml: DropsPerMlOption = "20",
    units: UnitsOption = "metric",
    allergy: AllergyOption = None,
    profile: ProfileOption = None,
    age: AgeOption = None,
    oils_file: OilsFileOption = None,
    base_oil: Annotated[
        str | None,
        typer.Option(
            "--base",
            metavar="BASE",
            help="The base (carrier) oil, e.g. almond, jojoba, sunflower: checked against "
            "--allergy (a nut allergy rules out sweet almond oil); see 'blendcalc bases'.",
            autocompletion=_complete_bases,
        ),
    ] = None,
    keep_proportions: Annotated[
        bool,
        typer.Option(
            "--keep-proportions",
            help="When an oil's maximum (or the phototoxic limit) binds, keep the parts and "
            "lower the total, instead of giving the surplus to the other oils.",
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 3 when a safety warning stands."),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Show every warning, note and reminder in full, and the titles and "
            "addresses of the sources they cite.",
        ),
    ] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Also write the whole answer (table, warnings, reminders) to FILE, so a "
            "saved recipe keeps its warnings. An existing FILE is kept unless --force.",
            callback=_given("give a file name, e.g. recipe.txt"),
        ),
    ] = None,
    save: SaveOption = None,
    force: ForceOption = False,
    grams: GramsOption = False,
    json_output: JsonOption = False,
) -> None:
    """Compute how many drops of which oils go into VOLUME of base oil, with the warnings
    that could make it unsafe for this person.

    Purposes for --purpose: relaxation, refreshing, anti-cellulite, sensual, focus,
    pain-relief, scalp-and-hair, skin; everyday words find them too (sleep, stress,
    headache, back pain, sore muscles, tiredness, dry skin...: see 'blendcalc purposes').

    Profiles for --profile: adult (the default), face, sensitive, elderly, pregnancy,
    child (with --age YEARS).

    Oils that a declared allergy, the profile or the child's age rules out are left out, even
    when named, and said first. Exit 4 when no blend can be made (no oil left, a base oil an
    allergy rules out, a baby under 6 months, too little base oil for one drop); exit 3 with
    --strict when a safety warning stands.

    Example:

    \b
      blendcalc blend 30ml lavender:2 peppermint
      blendcalc blend "2 tbsp" --purpose sleep --profile pregnancy
      blendcalc blend 50ml --purpose "back pain" --allergy linalool -o recipe.txt
    """
    from blendcalc.blend import compute_blend
    from blendcalc.catalog import load_catalog
    from blendcalc.units import parse_unit_system

    system = parse_unit_system(units)
    if output:
        from blendcalc.files import check_new_file

        check_new_file(output, force=force)
    catalog = load_catalog(oils_file)
    result = compute_blend(
        volume,
        oils or [],
        catalog=catalog,
        purpose=purpose,
        count=count,
        ratio=ratio,
        dilution=dilution,
        drops=drops,
        strength=strength,
        drops_per_ml=drops_per_ml,
        allergies=allergy or [],
        profile=profile,
        age=age,
        keep_proportions=keep_proportions,
        base_oil=base_oil,
        units=system,
    )
    if save is not None and result.possible:
        from blendcalc.recipe import recipe_from_blend, save_recipe

        asked = recipe_from_blend(
            result, volume=volume, oils=oils or [], purpose=purpose, count=count, ratio=ratio,
            dilution=dilution, drops=drops, strength=strength, drops_per_ml=drops_per_ml,
            allergies=allergy or [], profile=profile, age=age,
            keep_proportions=keep_proportions, base=base_oil,
        )  # fmt: skip
        save_recipe(asked, save, force=force)
    _print_blend_answer(
        result,
        grams=grams,
        json_output=json_output,
        sources=catalog.sources,
        verbose=verbose,
        output=output,
        force=force,
    )
    if save is not None:
        if result.possible:
            print_message(f"Saved the recipe to {save}.")
        else:
            print_message(f"Not saved to {save}: this blend cannot be made.")
    _exit_for(result, strict=strict)


def _print_blend_answer(
    result: Any,
    *,
    grams: bool,
    json_output: bool,
    sources: Any,
    verbose: bool = False,
    output: str | None = None,
    force: bool = False,
    extra: dict[str, Any] | None = None,
) -> None:
    """The blend document or answer, with weights for --grams, the whole answer in --output
    FILE, and for recipes ``extra`` (the recipe and what changed) in the JSON document."""
    from blendcalc.recipe import add_grams, weigh_blend

    weights = weigh_blend(result) if grams else None
    if json_output:
        document = result.to_dict()
        if weights is not None:
            add_grams(document, weights)
        document = {**document, **(extra or {})}
        print_json(document)
        if output:
            from blendcalc.files import write_new_file
            from blendcalc.terminal import json_text

            write_new_file(output, json_text(document) + "\n", force=force)
        return
    from blendcalc.output import answer_text, blend_answer, emit, terminal_width

    emit(blend_answer(result, verbose=verbose, sources=sources, width=terminal_width()))
    if weights is not None:
        from blendcalc.output import print_weights

        print_weights(result, weights)
    if output:
        from blendcalc.files import write_new_file

        whole = blend_answer(result, verbose=verbose, sources=sources, width=None)
        write_new_file(output, answer_text(whole), force=force)
        print_message(f"Saved the whole answer to {output}.")


def _exit_for(result: Any, *, strict: bool) -> None:
    if not result.possible:
        raise typer.Exit(ExitCode.NO_BLEND)
    if strict and result.safety_warnings:
        raise typer.Exit(ExitCode.SAFETY_WARNING)


# --------------------------------------------------------------------------------------
# Recipes (SPEC section 9)
# --------------------------------------------------------------------------------------

recipe_app = typer.Typer(
    name="recipe",
    cls=_Group,
    short_help="Saved recipes: show, scale to another volume, or label for sale.",
    help="Saved recipes: recompute one with today's catalog, scale it to another volume, or "
    "print a product label (EU 2023/1545 allergens). Save one with 'blendcalc blend ... "
    "--save FILE'.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(recipe_app, name="recipe")

RecipeFileArgument = Annotated[
    str,
    typer.Argument(
        metavar="FILE",
        help="A recipe saved by 'blendcalc blend ... --save FILE' (TOML).",
        show_default=False,
        callback=_given("give a recipe file, e.g. massage-oil.toml"),
    ),
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Exit 3 when a safety warning stands.")
]


@recipe_app.command(
    "show", cls=_Command, short_help="Recompute a saved recipe; say what changed since."
)
def recipe_show(
    file: RecipeFileArgument,
    grams: GramsOption = False,
    oils_file: OilsFileOption = None,
    strict: StrictOption = False,
    json_output: JsonOption = False,
) -> None:
    """Recompute a saved recipe with today's catalog and say what changed since it was saved.

    Example: blendcalc recipe show massage-oil.toml --grams
    """
    from blendcalc.catalog import load_catalog
    from blendcalc.recipe import load_recipe, recipe_blend, recipe_changes

    recipe = load_recipe(file)
    catalog = load_catalog(oils_file)
    result = recipe_blend(recipe, catalog)
    changes = recipe_changes(recipe, result)
    _print_recipe(
        recipe, result, changes, grams=grams, json_output=json_output, sources=catalog.sources
    )
    _exit_for(result, strict=strict)


@recipe_app.command(
    "scale", cls=_Command, short_help="The same recipe for another volume of base oil."
)
def recipe_scale(
    file: RecipeFileArgument,
    volume: Annotated[
        str,
        typer.Argument(
            metavar="VOLUME",
            help="The new volume of base oil: '100ml', '4 fl oz', '250' (mL).",
            show_default=False,
        ),
    ],
    save: SaveOption = None,
    force: ForceOption = False,
    grams: GramsOption = False,
    oils_file: OilsFileOption = None,
    strict: StrictOption = False,
    json_output: JsonOption = False,
) -> None:
    """The same recipe for another volume: the same oils in the same proportions and
    concentration (each oil's drops scaled and rounded down), with safety recomputed.

    Example: blendcalc recipe scale massage-oil.toml 250ml --save big-bottle.toml
    """
    from dataclasses import replace

    from blendcalc.catalog import load_catalog
    from blendcalc.recipe import (
        load_recipe,
        recipe_blend,
        recipe_changes,
        save_recipe,
        scale_recipe,
    )

    catalog = load_catalog(oils_file)
    recipe = load_recipe(file)
    original = recipe_blend(recipe, catalog)
    scaled = scale_recipe(recipe, volume, original)
    result = recipe_blend(scaled, catalog)
    # What differs from the recipe's drops scaled (a maximum that binds now, say); the
    # warnings themselves are the new volume's and are printed with the blend.
    expected = replace(
        scaled,
        saved_drops=_scaled_targets(scaled),
        saved_total=scaled.drops,
        saved_warnings=tuple(warning.message for warning in result.warnings),
    )
    changes = recipe_changes(expected, result) if scaled.drops is not None else []
    if save is not None and result.possible:
        saved = replace(
            scaled,
            saved_drops={item.oil.key: item.drops for item in result.oils},
            saved_total=result.total_drops,
            saved_warnings=tuple(warning.message for warning in result.warnings),
            saved_at="",
            version="",
        )
        save_recipe(saved, save, force=force)
    _print_recipe(
        recipe,
        result,
        changes,
        grams=grams,
        json_output=json_output,
        sources=catalog.sources,
        scaled=True,
    )
    if save is not None and result.possible:
        print_message(f"Saved the scaled recipe to {save}.")
    _exit_for(result, strict=strict)


def _scaled_targets(recipe: Any) -> dict[str, int]:
    targets = {}
    for spec in recipe.oils:
        key, _, drops = spec.rpartition(":")
        targets[key] = int(drops)
    return targets


def _print_recipe(
    recipe: Any,
    result: Any,
    changes: list[str],
    *,
    grams: bool,
    json_output: bool,
    sources: Any,
    scaled: bool = False,
) -> None:
    if json_output:
        extra = {"recipe": recipe.to_dict(), "changed": changes}
        _print_blend_answer(result, grams=grams, json_output=True, sources=sources, extra=extra)
        return
    from blendcalc.output import print_recipe_header

    print_recipe_header(recipe, changes, scaled=scaled)
    _print_blend_answer(result, grams=grams, json_output=False, sources=sources)


@recipe_app.command(
    "label", cls=_Command, short_help="A product label: INCI names and EU 2023/1545 allergens."
)
def recipe_label(
    file: RecipeFileArgument,
    product: Annotated[
        str,
        typer.Option(
            "--product",
            metavar="leave-on|rinse-off",
            help="The product type: leave-on (a massage or body oil: allergens above "
            "0.001 % are named) or rinse-off (above 0.01 %).",
            autocompletion=lambda: ["leave-on", "rinse-off"],
        ),
    ] = "leave-on",
    oils_file: OilsFileOption = None,
    json_output: JsonOption = False,
) -> None:
    """Print a product label for a recipe: ingredients by INCI name in descending order of
    mass, the EU 2023/1545 fragrance allergens above the threshold, net volume and mass, the
    sun warning and patch-test advice. What the catalog lacks (a density, an INCI name) is
    named, never guessed.

    Example: blendcalc recipe label massage-oil.toml --product leave-on
    """
    from blendcalc.catalog import load_catalog
    from blendcalc.label import label_blend
    from blendcalc.recipe import load_recipe, recipe_blend

    catalog = load_catalog(oils_file)
    recipe = load_recipe(file)
    result = recipe_blend(recipe, catalog)
    if not result.possible:
        from blendcalc.errors import RecipeError

        raise RecipeError(
            file, "asked", f"makes no blend today, so there is nothing to label (see "
            f"'blendcalc recipe show {file}')"
        )  # fmt: skip
    label = label_blend(result, catalog, product)
    if json_output:
        print_json(label.to_dict())
        return
    from blendcalc.output import print_label

    print_label(label)


@app.command(cls=_Command, short_help="A dilution chart: drops for volumes x percentages.")
def chart(
    volumes: Annotated[
        str,
        typer.Option(
            "--volumes",
            metavar="LIST",
            help="Volumes of base oil, comma-separated (bare numbers are mL).",
        ),
    ] = "5,10,15,30,50,100",
    dilutions: Annotated[
        str,
        typer.Option("--dilutions", metavar="LIST", help="Dilutions in %, comma-separated."),
    ] = "0.5,1,2,2.5,3,5",
    drops_per_ml: DropsPerMlOption = "20",
    units: UnitsOption = "metric",
    json_output: JsonOption = False,
) -> None:
    """Print a dilution chart: whole drops (rounded down) for volumes x percentages.

    Example:

    \b
      blendcalc chart
      blendcalc chart --volumes "10ml,1 fl oz" --dilutions 1,2,3
    """
    from blendcalc.chart import compute_chart
    from blendcalc.units import parse_unit_system

    table = compute_chart(volumes, dilutions, drops_per_ml, parse_unit_system(units))
    if json_output:
        print_json(table.to_dict())
        return
    from blendcalc.output import print_chart

    print_chart(table)


def main(argv: list[str] | None = None) -> None:
    """The console script: see :func:`blendcalc.entry.main` (kept here for callers of 0.1)."""
    from blendcalc.entry import main as entry_main

    entry_main(argv)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI on ``argv`` and return the exit code (never raises, but for Ctrl-C outside
    the command itself, which :func:`blendcalc.entry.main` turns into exit 130).

    stdout and stderr are guarded for the run (:func:`blendcalc.terminal.guarded_streams`): a
    reader that goes away ends the output quietly, a full disk is one error line and exit 2.
    """
    sane_environment()
    args = list(sys.argv[1:] if argv is None else argv)
    with guarded_streams():
        code = _run(args)
        try:  # what is still buffered: a full disk may show only now
            sys.stdout.flush()
            sys.stderr.flush()
        except BlendcalcError as error:
            _print_error(str(error))
            code = ExitCode.BAD_INPUT
    return code


def _run(args: list[str]) -> int:
    try:
        command = _click_command(args)
        unknown = _unknown_option(command, args)
        if unknown:
            raise BadInput(unknown)
        result = command.main(args=args, prog_name="blendcalc", standalone_mode=False)
    except BlendcalcError as error:  # BadInput and every other error of the library's own
        _print_error(str(error))
        return ExitCode.BAD_INPUT
    except typer.Abort:
        print_message("Aborted.")
        return ExitCode.INTERNAL_ERROR
    except typer.TyperException as error:
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        if type(error).__name__ == "NoArgsIsHelpError":  # as Typer itself tells it apart
            # `blendcalc` alone shows the help, as --help does (Typer's rich help has already
            # printed itself and left the message empty).
            if message:
                sys.stdout.write(message + "\n")
            return ExitCode.OK
        # Typer's own usage errors (unknown option, missing argument): one line, exit 2.
        _print_error(f"{message} (see '{_help_for(args)}')")
        code = getattr(error, "exit_code", ExitCode.BAD_INPUT)
        return int(code)
    except SystemExit as done:  # Typer's --show-completion ends with sys.exit(0)
        return done.code if isinstance(done.code, int) else int(done.code is not None)
    except OSError as error:  # the system refused a file (stdout's own errors are above)
        where = f"{error.filename}: " if error.filename else ""
        _print_error(f"{where}{describe_os_error(error)}")
        return ExitCode.BAD_INPUT
    except Exception as error:
        if os.environ.get("BLENDCALC_DEBUG") == "1":
            raise
        _print_error(
            f"internal error ({type(error).__name__}: {error}). This is a bug in "
            "blendcalc: please report it with the command you ran "
            "(set BLENDCALC_DEBUG=1 to see the traceback)."
        )
        return ExitCode.INTERNAL_ERROR
    if result == ExitCode.INTERRUPTED:  # Typer turns Ctrl-C in a command into Exit(130)
        print_message("Interrupted.")
    return int(result) if isinstance(result, int) else ExitCode.OK


# --------------------------------------------------------------------------------------
# Building only the command that runs
# --------------------------------------------------------------------------------------

_SINGLE_COMMAND_APPS: dict[str, typer.Typer] = {}


def _command_names() -> dict[str, typer.models.CommandInfo]:
    names = {}
    for info in app.registered_commands:
        callback_name = info.callback.__name__ if info.callback else ""
        names[info.name or callback_name.lower().replace("_", "-")] = info
    return names


def _click_command(args: list[str]) -> Any:
    """The click command for ``args``: Typer builds every command's options (about 9 ms for
    the whole app, SPEC section 6), so when the command line names one command only that
    one is built. ``--help``, completion of the command name and unknown commands get all."""
    import copy

    names = _command_names()
    name = args[0] if args and args[0] in names else None
    if name is None and os.environ.get("_BLENDCALC_COMPLETE"):
        words = os.environ.get("COMP_WORDS", "").split()
        cword = os.environ.get("COMP_CWORD", "")
        if len(words) > 1 and words[1] in names and cword.isdigit() and int(cword) > 1:
            name = words[1]
    if name is None:
        return typer.main.get_command(app)
    single = _SINGLE_COMMAND_APPS.get(name)
    if single is None:
        single = copy.copy(app)
        single.registered_commands = [names[name]]
        _SINGLE_COMMAND_APPS[name] = single
    return typer.main.get_command(single)


def _help_for(args: list[str]) -> str:
    name = args[0] if args and args[0] in _command_names() else ""
    if args and args[0] == "recipe":  # the sub-app: point at its command's help
        known = {info.name for info in recipe_app.registered_commands}
        name = f"recipe {args[1]}" if len(args) > 1 and args[1] in known else "recipe"
    return f"blendcalc {name} --help" if name else "blendcalc --help"


_LONG_OPTION = re.compile(r"--[A-Za-z]")


def _unknown_option(command: Any, args: list[str]) -> str | None:
    """An unknown ``--option`` given to a command that lets unknown options through as values
    (``blend`` and ``convert`` do, so that ``-5ml`` reaches the volume parser and is refused
    as negative): ``blend 30ml lavender --bogus`` said "unknown oil '--bogus'"."""
    if not args or not hasattr(command, "commands") or args[0] not in command.commands:
        return None
    sub = command.commands[args[0]]
    if not sub.context_settings.get("ignore_unknown_options"):
        return None
    takes_value: set[str] = set()
    known: set[str] = {"--help", "-h"}
    for param in sub.params:
        names = [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]
        known.update(names)
        if (
            not getattr(param, "is_flag", False)
            and getattr(param, "param_type_name", "") == "option"
        ):
            takes_value.update(names)
    position = 1
    while position < len(args):
        token = args[position]
        if token == "--":
            break
        name = token.split("=", 1)[0]
        if name in takes_value and "=" not in token:
            position += 2
            continue
        if _LONG_OPTION.match(token) and name not in known:
            import difflib

            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
            hint = f"; did you mean {close[0]}?" if close else ""
            return f"no such option: {name}{hint} (see 'blendcalc {args[0]} --help')"
        position += 1
    return None


# --------------------------------------------------------------------------------------
# Error lines
# --------------------------------------------------------------------------------------

# A "word" of an error message longer than this is shortened: a 100 KB argument must not
# come back as a 100 KB line. File names and values stay recognisable.
LONGEST_ERROR_WORD = 120


def _print_error(text: str) -> None:
    """Print ``Error: TEXT`` as one line on stderr, whatever the text holds: a line break or
    U+2028 from the command line, a file name or an exception is written as an escape, and a
    very long word is shortened to its start and end."""
    print_message(f"Error: {_shorten_words(escape(text))}")


def _shorten_words(text: str) -> str:
    def shorten(match: re.Match[str]) -> str:
        word = match[0]
        return f"{word[:60]}…({len(word)} characters)…{word[-20:]}"

    return re.sub(rf"\S{{{LONGEST_ERROR_WORD + 1},}}", shorten, text)
