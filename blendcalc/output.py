"""Everything the CLI writes: JSON on stdout, human text on stdout, messages on stderr.

Every string goes through :mod:`blendcalc.terminal` on its way out: :func:`~blendcalc.terminal.
escape` for text (a catalog's names, cautions and sources included: no entry can recolour the
terminal or forge a line), JSON escapes inside JSON strings, and writes that survive a closed
pipe, a full disk or an ASCII-only terminal.

Tables are drawn here as plain aligned text (no colour, so ``NO_COLOR`` holds by itself):
rich is not imported by any command's output.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from blendcalc.terminal import can_encode, escape, gone, json_text, write

if TYPE_CHECKING:
    from blendcalc.base_review import BaseVerdict
    from blendcalc.blend import Blend
    from blendcalc.catalog import Catalog, Oil, Source
    from blendcalc.chart import Chart
    from blendcalc.label import Label
    from blendcalc.recipe import Recipe, Weights
    from blendcalc.safety import Warning
    from blendcalc.suggest import Suggestion

# A table cell: one text, or several lines of text (each escaped on its own).
Cell = str | Sequence[str]
# A word longer than this (a web address, a long Latin binomial run together) may be folded
# across lines in a table; keys, numbers and units are far shorter and are never cut.
LONGEST_WHOLE_WORD = 30


def print_json(document: Any) -> None:
    """One JSON document on stdout, and nothing else there. Where the output's encoding cannot
    write a character (PYTHONIOENCODING=ascii), the document is written with ASCII escapes."""
    text = json_text(document) + "\n"
    if not can_encode(text):
        text = json_text(document, ascii_only=True) + "\n"
    write("stdout", text)


def print_line(text: str = "") -> None:
    """One line of text on stdout, escaped."""
    write("stdout", escape(text) + "\n")


def print_message(text: str) -> None:
    """A note, warning or error: always stderr, so stdout stays clean for pipes; one line,
    escaped."""
    write("stderr", escape(text) + "\n")


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    title: str | None = None,
    right_aligned: Sequence[int] = (),
    hyphenate: Sequence[int] = (),
) -> None:
    """A readable table on stdout, or, where the terminal is too narrow to show every word of
    every cell whole, the same content as a list (SPEC section 10: never blank or cut cells).

    Drawn here rather than by rich: plain aligned columns under a ruled header are all a
    therapist's table needs, and rich's import and layout cost about 50 ms of every human
    command (SPEC section 6). Piped output is not wrapped at all: a file gets every line whole.
    """
    if gone("stdout"):
        return
    if title:
        print_line(title)
    write("stdout", render_table(columns, rows, right_aligned, terminal_width(), hyphenate))


def render_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    right_aligned: Sequence[int] = (),
    width: int | None = None,
    hyphenate: Sequence[int] = (),
) -> str:
    """The text of :func:`print_table` for ``width`` columns (None: as wide as it needs).
    Columns in ``hyphenate`` hold free text (names) that may break after a hyphen between
    letters; keys, purposes and numbers never do."""
    header = [escape(column) for column in columns]
    body = [[_cell_lines(cell) for cell in row] for row in rows]
    room = None if width is None else width - GAP * (len(header) - 1)
    widths = _column_widths(header, body, room, hyphenate)
    if widths is None:
        text = _as_list(header, body, width)
    else:
        text = _as_table(header, body, widths, right_aligned, hyphenate)
    return text.replace(KEEP_TOGETHER, " ")


# A space that a table never breaks a line at ("dry skin" in a list of words): callers join
# such phrases with it, and the table writes it as a plain space.
KEEP_TOGETHER = "\u00a0"


def together(phrase: str) -> str:
    """``phrase`` as one unbreakable word of a table cell."""
    return phrase.replace(" ", KEEP_TOGETHER)


# Spaces between two columns of a table.
GAP = 2


def terminal_width() -> int | None:
    """The width to lay text out in: ``COLUMNS`` when set (a plain number, as
    :func:`blendcalc.terminal.sane_environment` leaves it), else the terminal's, else None
    (stdout is a pipe or a file: nothing is wrapped)."""
    import os

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    import sys

    stream = sys.stdout
    try:
        if stream is not None and stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):
        return 80
    return None


def _cell_lines(cell: Cell) -> list[str]:
    lines = [cell] if isinstance(cell, str) else list(cell)
    return [escape(line) for line in lines] or [""]


def cell_len(text: str) -> int:
    """Terminal columns of ``text``: East Asian wide characters take two, combining marks
    none (escaped text holds no control characters)."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def _column_widths(
    header: Sequence[str],
    body: Sequence[Sequence[list[str]]],
    room: int | None,
    hyphenate: Sequence[int] = (),
) -> list[int] | None:
    """Column widths that fit ``room`` (the width less the gaps between columns; None: any)
    without cutting a word (a key, a number, a unit): each column at least its longest word
    (up to LONGEST_WHOLE_WORD), and as close to its longest line as ``room`` allows. None when
    even the longest words do not fit side by side."""
    count = len(header)
    least = [0] * count
    most = [0] * count
    for row in [[[title] for title in header], *body]:
        for index, lines in enumerate(row):
            for line in lines:
                most[index] = max(most[index], cell_len(line))
                for _, word in _pieces(line, hyphens=index in hyphenate):
                    least[index] = max(least[index], min(cell_len(word), LONGEST_WHOLE_WORD))
    least = [max(1, value) for value in least]
    most = [max(low, high) for low, high in zip(least, most, strict=True)]
    if room is None or sum(most) <= room:
        return most
    if sum(least) > room:
        return None
    # Narrow the widest column first, one character at a time, but never below its longest
    # word.
    widths = list(most)
    for _ in range(sum(most) - room):
        widest = max(
            (index for index in range(count) if widths[index] > least[index]),
            key=lambda index: widths[index],
        )
        widths[widest] -= 1
    return widths


# A hyphen between two letters ("furanocoumarin-free"), where a line of free text may break.
_HYPHEN = re.compile(r"(?<=[^\W\d_]-)(?=[^\W\d_])")


_GLUE = re.compile(r"(?<=\d) (?=[^\W\d_]|%)|(?<=\bfl) (?=oz\b)")


def _pieces(line: str, hyphens: bool) -> list[tuple[str, str]]:
    """``line`` as (joiner, piece): a piece follows a space, or (where ``hyphens``) the
    hyphen that ends the piece before it. Keys and numbers are never split at a hyphen."""
    out: list[tuple[str, str]] = []
    # A number keeps its unit ("29.57 mL", "0.5 %", "1 fl oz"): the space between them is
    # held by a NUL (escaped text has none) while the line is split.
    for word in _GLUE.sub("\0", line).split(" "):
        parts = _HYPHEN.split(word) if hyphens else [word]
        out.append((" ", parts[0].replace("\0", " ")))
        out.extend(("", part.replace("\0", " ")) for part in parts[1:])
    return out


def _wrap(line: str, width: int, hyphens: bool = False, fold: bool = True) -> list[str]:
    """``line`` in lines of at most ``width`` columns, broken between words (or, where
    ``hyphens``, after a hyphen between letters); only a word longer than the width (a web
    address) is folded, and not even that without ``fold`` (the line is then longer)."""
    out: list[str] = []
    current = ""
    for joiner, piece in _pieces(line, hyphens):
        rest = piece
        while fold and cell_len(rest) > width:
            if current:
                out.append(current)
                current = ""
            cut = width
            while cut > 1 and cell_len(rest[:cut]) > width:
                cut -= 1
            out.append(rest[:cut])
            rest = rest[cut:]
        if not current:
            current = rest
        elif cell_len(current) + len(joiner) + cell_len(rest) <= width:
            current += joiner + rest
        else:
            out.append(current)
            current = rest
    out.append(current)
    return out


def _as_table(
    header: Sequence[str],
    body: Sequence[Sequence[list[str]]],
    widths: Sequence[int],
    right_aligned: Sequence[int],
    hyphenate: Sequence[int] = (),
) -> str:
    def pad(text: str, index: int) -> str:
        space = " " * (widths[index] - cell_len(text))
        return space + text if index in right_aligned else text + space

    def lines_of(row: Sequence[list[str]]) -> list[str]:
        cells = [
            [
                part
                for line in lines
                for part in _wrap(line, widths[index], hyphens=index in hyphenate)
            ]
            for index, lines in enumerate(row)
        ]
        height = max(len(cell) for cell in cells)
        out = []
        for number in range(height):
            parts = [
                pad(cell[number] if number < len(cell) else "", index)
                for index, cell in enumerate(cells)
            ]
            out.append((" " * GAP).join(parts).rstrip())
        return out

    rule_char = "─" if can_encode("─") else "-"
    out = lines_of([[title] for title in header])
    out.append((" " * GAP).join(rule_char * width for width in widths))
    for row in body:
        out.extend(lines_of(row))
    return "\n".join(out) + "\n"


def _as_list(
    header: Sequence[str], body: Sequence[Sequence[list[str]]], width: int | None = None
) -> str:
    """The table as a list, for terminals too narrow for it: each row's first cell, then the
    other cells one per line, each named by its column, broken between words to ``width``
    (a single word longer than that is left whole for the terminal to wrap, never cut)."""
    out: list[str] = []

    def add(text: str, first: str, indent: str) -> None:
        room = max(1, width - len(indent)) if width else 0
        parts = _wrap(text, room, fold=False) if room else [text]
        out.append(first + parts[0])
        out.extend(indent + part for part in parts[1:])

    for row in body:
        first, *rest = row
        label = f"{header[0]}: " if header[0] else ""
        add(f"{label}{' '.join(first)}" + (":" if not header[0] and rest else ""), "", "  ")
        for title, lines in zip(header[1:], rest, strict=True):
            name = f"{title}: " if title and header[0] else ""
            add(f"{name}{lines[0]}", "  ", "    ")
            for line in lines[1:]:
                add(line, "    " if name else "  ", "    ")
    return "\n".join(out) + "\n"


def _percent(value: object) -> str:
    return "—" if value is None else f"{value} %"


def _max_percent(oil: Oil) -> str:
    from blendcalc.numbers import format_number

    limit = oil.limit_percent
    if limit is None:
        return "no figure found"  # none found while compiling the catalog: not "none exists"
    return f"{format_number(limit, 2)} %" + (" (phototoxic)" if oil.phototoxic else "")


def print_oils(oils: Sequence[Oil]) -> None:
    print_table(
        ["oil", "name", "Latin", "purposes", "max dermal"],
        [
            [oil.key, oil.name, oil.latin, ", ".join(oil.purposes), _max_percent(oil)]
            for oil in oils
        ],
        hyphenate=[1],
    )


def print_purposes(rows: Sequence[dict[str, Any]]) -> None:
    print_table(
        ["purpose", "name", "words that find it", "source heading", "oils"],
        [
            [
                row["key"],
                row["name"],
                ", ".join(together(alias) for alias in row["aliases"]),
                row["heading"],
                str(row["oils"]),
            ]
            for row in rows
        ],
        right_aligned=[4],
    )
    print_message(
        "Note: the words are for finding oils (blendcalc oils --purpose sleep), not claims "
        "that an oil treats anything. Headings marked 'inferred' were lost in the source "
        "article's translation and are inferred from the oils it lists."
    )


def print_card(card: dict[str, Any]) -> None:
    limit = card["max_dermal_percent"]
    if limit is None:
        max_text = "no published figure found (not a sign of safety)"
    else:
        max_text = f"{limit} % ({card['max_dermal_source']})"
        if card["max_dermal_note"]:
            max_text += f"; {card['max_dermal_note']}"
    if card["phototoxic"]:
        photo = (
            f"yes: at most {card['phototoxic_limit_percent']} % on skin exposed to sun "
            f"({card['phototoxic_source']})"
        )
    else:
        source = card["phototoxic_source"]
        photo = f"no ({source})" if source else "no known phototoxicity"
    constituents = [
        f"{item['name']}"
        + _range(item["min_percent"], item["max_percent"])
        + (" [EU allergen]" if item["eu_allergen"] else "")
        + f" ({item['source']})"
        for item in card["constituents"]
    ]
    if not card["constituents_complete"]:
        constituents.append("(incomplete: may contain allergens not listed here)")
    cautions = [
        f"{item['topic']} ({item['severity']}): {item['text']} ({item['source']})"
        for item in card["cautions"]
    ]
    rows: list[list[Cell]] = [
        ["name", f"{card['name']} ({card['key']})"],
        ["Latin", card["latin"]],
        ["family", card["family"]],
        ["aliases", ", ".join(card["aliases"]) or "—"],
        ["purposes", ", ".join(card["purposes"]) or "—"],
        ["max dermal", max_text],
        ["phototoxic", photo],
        ["constituents", constituents or ["none listed"]],
        ["cautions", cautions or ["none listed"]],
        [
            "sources",
            [
                f"{item['key']}: {item['title']}" + (f" <{item['url']}>" if item["url"] else "")
                for item in card["sources"]
            ],
        ],
    ]
    print_table(["", card["name"]], rows)


def _range(low: object, high: object) -> str:
    if low is None and high is None:
        return ""
    if low is None:
        return f" up to {high} %"
    if high is None or low == high:
        return f" {low} %"
    return f" {low}–{high} %"


def print_suggestion(result: Suggestion) -> None:
    from blendcalc.numbers import format_number

    title = f"Oils for {result.purpose.name}"
    if result.profile.key != "adult":
        title += f" ({result.profile.label})"
    rows = []
    for rank, oil in enumerate(result.oils, start=1):
        limit = oil.limit_percent
        rows.append(
            [
                str(rank),
                oil.key,
                oil.name,
                "no figure found" if limit is None else f"{format_number(limit, 2)} %",
                "yes" if oil.phototoxic else "no",
            ]
        )
    print_table(["#", "oil", "name", "max dermal", "phototoxic"], rows, title=title)
    if result.purpose.heading == "inferred":
        print_message(
            f"Note: the source article's heading for '{result.purpose.key}' was lost in "
            "translation; this purpose is inferred from its oils."
        )
    if result.more:
        print_message(f"{result.more} more oil(s) suit this purpose; use --count to see them.")
    for item in result.excluded:
        print_message(f"Left out {item.key}: {item.reason}")
    names = {oil.key: oil.name for oil in result.oils}
    for text in condensed_warnings(result.warnings, names):
        print_message(text)
    if not result.oils:
        print_message("No oil is left for this purpose after the exclusions.")


# One line of a human answer: the stream it goes to ("stdout" or "stderr") and its text,
# escaped (a table: several lines).
Line = tuple[str, str]


def print_blend(
    blend: Blend, *, verbose: bool = False, sources: Mapping[str, Source] | None = None
) -> None:
    """The human answer of ``blend``: the table on stdout, what was left out, the warnings,
    notes and reminders on stderr (SPEC sections 2 and 10)."""
    emit(blend_answer(blend, verbose=verbose, sources=sources, width=terminal_width()))


def emit(answer: Sequence[Line]) -> None:
    for stream, text in answer:
        if stream == "stdout" and gone("stdout"):
            continue
        write(stream, text if text.endswith("\n") else text + "\n")


def answer_text(answer: Sequence[Line]) -> str:
    """The whole answer as one text (``blend --output FILE``), in reading order."""
    return "".join(text if text.endswith("\n") else text + "\n" for _, text in answer)


def blend_answer(
    blend: Blend,
    *,
    verbose: bool = False,
    sources: Mapping[str, Source] | None = None,
    width: int | None = None,
) -> list[Line]:
    """The lines of the human ``blend`` answer, in order of importance: what was left out and
    why; the amounts and the table; one line per oil for its cautions; the sun warning and
    the others; notes; the condensed reminders. With ``verbose``, every warning, note and
    reminder in full, and the sources they cite."""
    from blendcalc.blend import drops_text
    from blendcalc.numbers import format_number
    from blendcalc.units import describe

    out: list[Line] = []

    def err(text: str) -> None:
        out.append(("stderr", escape(text)))

    def line(text: str) -> None:
        out.append(("stdout", escape(text)))

    # What was left out, and why, comes first: it is what a practitioner must not miss.
    for item in blend.excluded:
        err(f"Left out {item.key}: {item.reason}")
    low, high = blend.whole_range
    drop = format_number(1 / blend.drops_per_ml, 4)
    named = f" of {blend.base_oil.base.name}" if blend.base_oil else ""
    unit = blend.base.unit
    said = f" ({describe(unit)})" if unit is not None and unit.note else ""
    line(
        f"Base oil: {blend.base.text} = {format_number(blend.base.ml, 2)} mL{named}{said}; "
        f"1 drop = {drop} mL ({format_number(blend.drops_per_ml)} drops per mL)"
    )
    if low < high:
        range_text = f"{low}-{high} drops"
    elif low == high:  # e.g. a profile's maximum meets the ratio's minimum: not "6-6 drops"
        range_text = drops_text(low)
    else:
        range_text = f"no whole drop (at most {high})"
    rule = blend.ratio.text if blend.profile.min_percent is None else blend.profile.describe_range()
    line(f"Range: {range_text} ({rule}); profile: {blend.profile.label}")
    if blend.total_drops:
        line(
            f"Total: {drops_text(blend.total_drops)} ({blend.target_text}) = "
            f"{format_number(blend.dilution_percent, 2)} % of the base oil "
            f"({format_number(blend.finished_percent, 2)} % of the finished blend)"
        )
    if blend.phototoxic_load is not None:
        line(f"Phototoxic load: {format_number(blend.phototoxic_load * 100, 0)} % of the limit")
    if blend.oils:
        table = render_table(
            ["oil", "parts", "drops", "mL", "% of base", "max %"],
            [
                [
                    item.oil.name,
                    format_number(item.parts, 2),
                    str(item.drops),
                    format_number(item.ml, 3),
                    format_number(item.percent, 2),
                    # "none found", not "none published": the catalog's search found none
                    "none found"
                    if item.limit_percent is None
                    else format_number(item.limit_percent, 2),
                ]
                for item in blend.oils
            ],
            right_aligned=[1, 2, 3, 4],
            width=width,
        )
        out.append(("stdout", table))
    if verbose:
        for warning in blend.warnings:
            err(f"Warning ({warning.kind}): {warning.message}")
        for note in blend.notes:
            err(f"Note: {note}")
        for reminder in blend.reminders:
            err(f"Reminder: {reminder}")
    else:
        names = {item.oil.key: item.oil.name for item in blend.oils}
        for text in condensed_warnings(blend.warnings, names):
            err(text)
        for note in blend.notes:
            if not _shown_in_table(note, blend):
                err(f"Note: {note}")
        for text in condensed_reminders(blend.reminders):
            err(f"Reminder: {text}")
    cited = _cited(out, sources or {})
    if cited and verbose and sources:
        err("Sources:")
        for key in cited:
            source = sources[key]
            where = f" <{source.url}>" if source.url else ""
            err(f"  {key}: {source.title}{where}")
    elif cited:
        err(f"Sources ({', '.join(cited)}): --verbose gives their titles and addresses.")
    return out


# Notes that only repeat what the header or the table already says (shown with --verbose).
_REPEATS_HEADER = "dilution % = essential oil ÷ base oil"
_REPEATS_TABLE = "no published maximum dermal % was found"
# The constituent allergies a no-data warning names (safety.no_data_warning), for the one
# condensed line.
_NO_DATA_NAMES = re.compile(r"may contain (.+ or another allergen) the catalog")
_CITE = re.compile(r"\s*\(([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)\)\.?$")


def _shown_in_table(note: str, blend: Blend) -> bool:
    return _REPEATS_HEADER in note or (_REPEATS_TABLE in note and bool(blend.oils))


def _and(names: Sequence[str]) -> str:
    from blendcalc.safety import name_list  # not at import: oils and show never need it

    return name_list(names)


def condensed_warnings(warnings: Sequence[Warning], names: Mapping[str, str]) -> list[str]:
    """Every warning, condensed and never dropped: one line per oil listing its cautions
    (its kinds named once), one sun line naming every phototoxic oil and one incomplete-data
    line naming their oils, then the warnings about the whole blend. No line repeats another.
    ("Use fresh oil" is a reminder, not a warning: see ``blend._fresh_oil_reminders``.)"""
    per_oil: dict[str, tuple[list[str], list[str]]] = {}
    sun: list[str] = []
    no_data: list[str] = []
    unchecked = "an allergen"  # or the constituent allergies the no-data warnings name
    general: list[str] = []
    for warning in warnings:
        oil = warning.oil
        name = names.get(oil) if oil else None
        body = warning.message
        if name and body.startswith(f"{name}: "):
            body = body[len(name) + 2 :]
        if oil and name and warning.kind == "phototoxic":
            sun.append(name)
        elif oil and name and warning.kind == "no-data":
            no_data.append(name)
            allergies = _NO_DATA_NAMES.search(body)
            unchecked = allergies[1] if allergies else unchecked
        elif oil and name:
            kinds, bodies = per_oil.setdefault(name, ([], []))
            if warning.kind not in kinds:
                kinds.append(warning.kind)
            if body not in bodies:
                bodies.append(body)
        else:
            general.append(f"Warning ({warning.kind}): {body}")
    out = []
    for name, (kinds, bodies) in per_oil.items():
        merged = _merge(bodies)
        named = merged if merged.startswith(name) else f"{name}: {merged}"
        out.append(f"Warning ({', '.join(kinds)}): {named}")
    if sun:
        verb = "is" if len(sun) == 1 else "are"
        out.append(
            f"Warning (phototoxic): {_and(sun)} {verb} phototoxic: no sun or sunbed on the "
            "treated skin for 12 hours."
        )
    if no_data:
        out.append(
            f"Warning (no-data): the constituent data of {_and(no_data)} is incomplete: "
            f"{unchecked} the catalog does not list may be there. Absence from this check is "
            "not safety."
        )
    out.extend(dict.fromkeys(general))
    return out


def _merge(bodies: Sequence[str]) -> str:
    """One oil's cautions as one sentence run: a source cited by every one is cited once."""
    cites = [_CITE.search(body) for body in bodies]
    keys = {match[1] if match else None for match in cites}
    if len(bodies) > 1 and len(keys) == 1 and None not in keys:
        stripped = [
            body[: match.start()] for body, match in zip(bodies, cites, strict=True) if match
        ]
        return " ".join(_sentence(body) for body in stripped) + f" ({keys.pop()})"
    return " ".join(bodies)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


# The standing reminders (SPEC section 4.5), condensed; any other reminder is shown whole.
CONDENSED_REMINDERS = (
    "Patch-test first (inner forearm, 24 hours); stop if the person feels pain or discomfort.",
    "Do not massage with blood diseases or anticoagulants, damaged skin, acute illness, "
    "tumours or unknown lumps, bleeding, acute infections, fever, malignant neoplasms or "
    "tuberculosis (source article).",
)


def condensed_reminders(reminders: Sequence[str]) -> list[str]:
    from blendcalc.safety import REMINDERS

    rest = [item for item in reminders if item not in REMINDERS]
    if all(item in reminders for item in REMINDERS):
        return [*CONDENSED_REMINDERS, *rest]
    return list(reminders)


def _cited(answer: Sequence[Line], sources: Mapping[str, Source]) -> list[str]:
    """The source keys the answer cites in brackets, in order of appearance."""
    found: dict[str, None] = {}
    for _, text in answer:
        for match in re.finditer(r"[(\s]([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)[),]", text):
            if match[1] in sources:
                found[match[1]] = None
    return list(found)


def print_chart(chart: Chart) -> None:
    from blendcalc.numbers import format_number

    def cell(drops: int) -> str:
        return "less than 1" if drops == 0 else str(drops)

    print_line(
        f"Drops of essential oil, rounded down ({format_number(chart.drops_per_ml)} drops per mL; "
        "% of the base oil)"
    )
    print_table(
        ["base oil", *(f"{format_number(p, 2)} %" for p in chart.percents)],
        [[v.label, *(cell(chart.drops(v, p)) for p in chart.percents)] for v in chart.volumes],
        right_aligned=list(range(1, len(chart.percents) + 1)),
    )
    for note in chart.notes:
        print_message(f"Note: {note}.")


def print_bases(
    catalog: Catalog, verdicts: Sequence[BaseVerdict], terms: Sequence[str], notes: Sequence[str]
) -> None:
    """``blendcalc bases``: the bases ruled out and why first, then the table, then notes and
    the sources the reasons cite."""
    from blendcalc.bases import NO_DATA

    for item in verdicts:
        if item.verdict == "avoid":
            print_message(f"Left out {item.base.key}: {item.reason}")
    for item in verdicts:
        if item.verdict == "warn":
            print_message(f"Warning (base-allergy): {item.base.name}: {item.reason}")

    def allergens(item: BaseVerdict) -> str:
        # "if allergic to X: avoid": the class is what the base holds, not the person's verdict.
        listed = [f"{a.allergen_class}: {a.severity}" for a in item.base.allergens]
        return ", ".join(listed) or NO_DATA

    if terms:
        columns = ["base", "name", "if allergic to", "verdict"]
        rows = [[i.base.key, i.base.name, allergens(i), i.verdict] for i in verdicts]
    else:
        columns = ["base", "name", "family", "if allergic to"]
        rows = [[i.base.key, i.base.name, i.base.family, allergens(i)] for i in verdicts]
    print_table(columns, rows)
    for note in notes:
        print_message(f"Note: {note}")
    if terms:
        print_message(
            "Note: 'suitable' means that no declared allergy matches what the catalog records "
            f"for the base; a base with {NO_DATA} may still cause a reaction. Patch-test first."
        )
    else:
        print_message(
            f"Note: allergens as their sources give them; {NO_DATA} is not a sign of safety. "
            "Add --allergy TERM to check a person's allergies."
        )
    cited = dict.fromkeys(key for item in verdicts for key in item.cited)
    for key in cited:
        source = catalog.sources[key]
        print_message(f"Source {key}: {source.title}" + (f" <{source.url}>" if source.url else ""))


# --------------------------------------------------------------------------------------
# Recipes, weights and labels (SPEC section 9)
# --------------------------------------------------------------------------------------


def print_weights(blend: Blend, weights: Weights) -> None:
    """``--grams``: each oil's and the base oil's mass, and what has no density."""
    from blendcalc.numbers import format_number

    def grams(value: Fraction | None) -> str:
        return "no density" if value is None else format_number(value, 3)

    rows = [[item.oil.name, format_number(item.ml, 3), grams(weights.oils[item.oil.key])]
            for item in blend.oils]  # fmt: skip
    base = blend.base_oil.base.name if blend.base_oil else "base oil"
    rows.append([base, format_number(blend.base.ml, 3), grams(weights.base)])
    total = weights.total
    rows.append(["total", format_number(blend.base.ml + sum(
        (item.ml for item in blend.oils), Fraction(0)), 3), grams(total)])  # fmt: skip
    print_table(["weight", "mL", "g"], rows, right_aligned=[1, 2])
    for missing in weights.missing:
        print_message(f"Note: no mass for what has no sourced density: {missing}.")


def print_recipe_header(recipe: Recipe, changes: Sequence[str], *, scaled: bool) -> None:
    """Which recipe this is, and what changed since it was saved (or, scaled, what differs
    from the exact scaled amounts)."""
    saved = f", saved {recipe.saved_at}" if recipe.saved_at else ""
    version = f" by blendcalc {recipe.version}" if recipe.version else ""
    print_line(f"Recipe: {recipe.path}{saved}{version}")
    if scaled:
        for change in changes:
            print_message(f"Changed by scaling: {change}")
        return
    if not changes:
        print_message("Unchanged since it was saved (recomputed with today's catalog).")
    for change in changes:
        print_message(f"Changed since saved: {change}")


def print_label(label: Label) -> None:
    """A product label: what goes on the bottle on stdout; what is missing on stderr."""
    from blendcalc.label import describe_percent
    from blendcalc.numbers import format_number

    def grams(value: Fraction | None) -> str:
        return "not known" if value is None else format_number(value, 3)

    names = [item.inci or f"{item.name} [INCI name not in the catalog]"
             for item in label.ingredients]  # fmt: skip
    names += [item.name for item in label.allergens]
    print_line(
        f"Label: {label.product} product; EU 2023/1545 allergens above "
        f"{format_number(label.threshold, 3)} %"
    )
    print_line(f"Ingredients: {', '.join(names)}")
    print_table(
        ["ingredient", "INCI", "mL", "g", "% by mass"],
        [
            [
                item.name,
                item.inci or "not in the catalog",
                format_number(item.ml, 3),
                grams(item.grams),
                describe_percent(item.percent),
            ]
            for item in label.ingredients
        ],
        right_aligned=[2, 3, 4],
    )
    if label.allergens:
        print_table(
            ["allergen", "CAS", "% by mass", "from"],
            [
                [item.name, list(item.cas), describe_percent(item.percent), ", ".join(item.sources)]
                for item in label.allergens
            ],
            right_aligned=[2],
        )
    else:
        print_line("Allergens to declare: none above the threshold.")
    for item in label.listed_oils:
        print_line(f"Listed as an allergen itself: {item.name} ({describe_percent(item.percent)})")
    print_line(f"Net: {format_number(label.net_ml, 2)} mL, {grams(label.net_grams)} g")
    for warning in label.warnings:
        print_line(f"Warning: {warning}")
    for missing in label.missing:
        print_message(f"Missing: {missing}")
    for note in label.notes:
        print_message(f"Note: {note}")
