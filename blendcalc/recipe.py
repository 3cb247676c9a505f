"""Recipes (SPEC section 9): a blend worth making, kept as a TOML file, recomputed with
today's catalog, scaled to the next bottle, and weighed.

A recipe keeps what was *asked* (the arguments of :func:`~blendcalc.blend.compute_blend`) and
what *came out* (drops per oil, the warnings). Showing it recomputes from what was asked, so a
catalog that learned something since (a new maximum, a caution) changes the answer, and the
answer says what changed. Reading is :mod:`tomllib`; writing is tomli-w, imported only by
:func:`save_recipe`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from blendcalc.errors import BadInput, RecipeError, UnknownName

if TYPE_CHECKING:
    from blendcalc.blend import Blend
    from blendcalc.catalog import Catalog

__all__ = [
    "Recipe",
    "Weights",
    "load_recipe",
    "recipe_blend",
    "recipe_changes",
    "recipe_from_blend",
    "save_recipe",
    "scale_recipe",
    "weigh_blend",
]

SCHEMA = 1
MAX_RECIPE_BYTES = 1_000_000  # a recipe is a few hundred bytes
_ASKED_TEXT = ("volume", "purpose", "ratio", "dilution", "strength", "drops_per_ml", "profile",
               "age", "base")  # fmt: skip
_ASKED_FIELDS = (*_ASKED_TEXT, "oils", "count", "drops", "allergies", "keep_proportions",
                 "units")  # fmt: skip
_RESULT_FIELDS = ("total_drops", "drops", "warnings")
_TOP_FIELDS = ("schema", "blendcalc_version", "saved_at", "asked", "result")


@dataclass(frozen=True)
class Recipe:
    """A saved blend: what was asked (``compute_blend``'s arguments) and what came out."""

    volume: str
    oils: tuple[str, ...] = ()  # "NAME:PARTS" as asked; empty with a purpose
    purpose: str | None = None
    count: int | None = None
    ratio: str | None = None
    dilution: str | None = None
    drops: int | None = None
    strength: str | None = None
    drops_per_ml: str = "20"
    allergies: tuple[str, ...] = ()
    profile: str | None = None
    age: str | None = None
    keep_proportions: bool = False
    base: str | None = None
    units: str = "metric"  # what tsp, tbsp and cup meant (SPEC section 10)
    # What came out when it was saved (None: not known, e.g. a recipe not yet saved).
    saved_drops: dict[str, int] | None = None
    saved_total: int | None = None
    saved_warnings: tuple[str, ...] = ()
    version: str = ""
    saved_at: str = ""
    path: str = ""

    def asked(self) -> dict[str, Any]:
        """The ``[asked]`` table: only what was given (TOML has no null)."""
        table: dict[str, Any] = {"volume": self.volume}
        if self.oils:
            table["oils"] = list(self.oils)
        for name in ("purpose", "count", "ratio", "dilution", "drops", "strength"):
            value = getattr(self, name)
            if value is not None:
                table[name] = value
        table["drops_per_ml"] = self.drops_per_ml
        if self.allergies:
            table["allergies"] = list(self.allergies)
        for name in ("profile", "age", "base"):
            value = getattr(self, name)
            if value is not None:
                table[name] = value
        table["keep_proportions"] = self.keep_proportions
        table["units"] = self.units
        return table

    def to_dict(self) -> dict[str, Any]:
        """The ``recipe`` object of ``recipe show --json``."""
        return {
            "path": self.path or None,
            "saved_at": self.saved_at or None,
            "version": self.version or None,
        }


def recipe_from_blend(
    blend: Blend,
    *,
    volume: str,
    oils: Sequence[str] = (),
    purpose: str | None = None,
    count: int | None = None,
    ratio: str | None = None,
    dilution: str | None = None,
    drops: int | None = None,
    strength: str | None = None,
    drops_per_ml: str = "20",
    allergies: Sequence[str] = (),
    profile: str | None = None,
    age: str | None = None,
    keep_proportions: bool = False,
    base: str | None = None,
) -> Recipe:
    """A recipe of what was asked (the arguments given to ``compute_blend``) and of ``blend``,
    what came out."""
    from blendcalc import __version__

    return Recipe(
        volume=volume,
        oils=tuple(oils),
        purpose=purpose,
        count=count,
        ratio=ratio,
        dilution=dilution,
        drops=drops,
        strength=strength,
        drops_per_ml=drops_per_ml,
        allergies=tuple(allergies),
        profile=profile,
        age=age,
        keep_proportions=keep_proportions,
        base=base,
        units=blend.units,
        saved_drops={item.oil.key: item.drops for item in blend.oils},
        saved_total=blend.total_drops,
        saved_warnings=tuple(warning.message for warning in blend.warnings),
        version=__version__,
        saved_at=_now(),
    )


def _now() -> str:
    """The time a recipe is saved, in UTC to the second. ``SOURCE_DATE_EPOCH`` (the
    reproducible-builds convention) fixes it, so documented examples do not change daily."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = (
        datetime.fromtimestamp(int(epoch), UTC)
        if epoch.isdigit() and len(epoch) < 12
        else datetime.now(UTC)
    )
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --------------------------------------------------------------------------------------
# Computing
# --------------------------------------------------------------------------------------


def recipe_blend(recipe: Recipe, catalog: Catalog) -> Blend:
    """Recompute the recipe with ``catalog``. What today's catalog does not accept (an oil it
    no longer knows, say) is a :class:`RecipeError` naming the file and the field."""
    from blendcalc.blend import compute_blend

    try:
        return compute_blend(
            recipe.volume,
            recipe.oils,
            catalog=catalog,
            purpose=recipe.purpose,
            count=recipe.count,
            ratio=recipe.ratio,
            dilution=recipe.dilution,
            drops=recipe.drops,
            strength=recipe.strength,
            drops_per_ml=recipe.drops_per_ml,
            allergies=recipe.allergies,
            profile=recipe.profile,
            age=recipe.age,
            keep_proportions=recipe.keep_proportions,
            base_oil=recipe.base,
            units=recipe.units,
        )
    except RecipeError:
        raise
    except BadInput as error:
        raise RecipeError(recipe.path or "recipe", _field_of(error), str(error)) from None


def _field_of(error: BadInput) -> str:
    if isinstance(error, UnknownName):
        return {"oil": "asked.oils", "purpose": "asked.purpose", "base": "asked.base"}.get(
            error.what, "asked"
        )
    text = str(error)
    for name in ("drops-per-ml", "dilution", "drops", "ratio", "strength", "count", "age",
                 "profile", "parts"):  # fmt: skip
        if name in text:
            return "asked." + ("oils" if name == "parts" else name.replace("-", "_"))
    return "asked"


def recipe_changes(recipe: Recipe, blend: Blend) -> list[str]:
    """What differs between the answer saved in ``recipe`` and ``blend`` (its recomputation),
    one sentence each; ``[]`` when nothing did (or nothing was saved to compare with)."""
    if recipe.saved_drops is None:
        return []
    changes: list[str] = []
    now = {item.oil.key: item.drops for item in blend.oils}
    for key, drops in recipe.saved_drops.items():
        if key not in now:
            changes.append(f"{key}: was {drops} drops, now left out")
        elif now[key] != drops:
            changes.append(f"{key}: was {drops} drops, now {now[key]}")
    for key, drops in now.items():
        if key not in recipe.saved_drops:
            changes.append(f"{key}: not in the saved answer, now {drops} drops")
    if recipe.saved_total is not None and recipe.saved_total != blend.total_drops:
        changes.append(f"total: was {recipe.saved_total} drops, now {blend.total_drops}")
    messages = [warning.message for warning in blend.warnings]
    for message in messages:
        if message not in recipe.saved_warnings:
            changes.append(f"new warning: {message}")
    for message in recipe.saved_warnings:
        if message not in messages:
            changes.append(f"warning no longer given: {message}")
    return changes


def scale_recipe(recipe: Recipe, volume: str, blend: Blend) -> Recipe:
    """The same recipe for another volume: the same oils in the proportions that came out
    (``blend``, the recipe recomputed), at the same concentration, and the same options, so
    safety is recomputed for the new volume.

    Each oil gets its drops times the scale rounded down (never stronger than the recipe);
    they become the new recipe's parts and total, so each oil stays within one drop of the
    exact scaled amount. Should that leave no whole drop, the recipe's own options are kept
    for the new volume (and the answer says it is too small).
    """
    from blendcalc.units import parse_volume

    drop_size = blend.drops_per_ml
    new_ml = parse_volume(volume, drop_size, recipe.units).ml
    factor = new_ml / blend.base.ml
    scaled = [(item.oil.key, math.floor(item.drops * factor)) for item in blend.oils]
    kept = [(key, drops) for key, drops in scaled if drops > 0]
    base = {"volume": volume, "saved_drops": None, "saved_total": None, "saved_warnings": ()}
    if not kept:  # too small for one whole drop: the range decides, and the answer says so
        return replace(
            recipe,
            oils=tuple(f"{item.oil.key}:{item.drops}" for item in blend.oils) or recipe.oils,
            purpose=None if blend.oils else recipe.purpose,
            count=None if blend.oils else recipe.count,
            dilution=None,
            drops=None,
            **base,  # type: ignore[arg-type]
        )
    return replace(
        recipe,
        oils=tuple(f"{key}:{drops}" for key, drops in kept),
        purpose=None,
        count=None,
        dilution=None,
        strength=None,
        drops=sum(drops for _, drops in kept),
        **base,  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------------------


@dataclass
class Weights:
    """Grams of each oil and of the base oil (None where no density is known)."""

    oils: dict[str, Fraction | None]
    base: Fraction | None
    missing: list[str] = field(default_factory=list)  # what has no density, in words

    @property
    def total(self) -> Fraction | None:
        values = [*self.oils.values(), self.base]
        known = [value for value in values if value is not None]
        return None if len(known) < len(values) else sum(known, Fraction(0))


WATER_G_PER_ML = Fraction(1)  # relative density x 1 g/mL (water, near enough at 15-25 °C)


def weigh_blend(blend: Blend) -> Weights:
    """Each oil's and the base oil's mass from its sourced relative density (SPEC 9)."""
    oils: dict[str, Fraction | None] = {}
    missing: list[str] = []
    for item in blend.oils:
        density = item.oil.density
        oils[item.oil.key] = None if density is None else item.ml * density * WATER_G_PER_ML
        if density is None:
            missing.append(f"density of {item.oil.name} ({item.oil.key})")
    base_oil = blend.base_oil.base if blend.base_oil else None
    if base_oil is None:
        base_grams = None
        missing.append("density of the base oil (no base named: give --base)")
    elif base_oil.density is None:
        base_grams = None
        missing.append(f"density of {base_oil.name} ({base_oil.key})")
    else:
        base_grams = blend.base.ml * base_oil.density * WATER_G_PER_ML
    return Weights(oils, base_grams, missing)


def add_grams(document: dict[str, Any], weights: Weights) -> dict[str, Any]:
    """The ``blend`` JSON document with ``grams`` on each oil and on ``base`` (null where no
    density is known) and ``missing_densities``."""
    from blendcalc.numbers import to_json_number

    def grams(value: Fraction | None) -> int | float | None:
        return None if value is None else to_json_number(value, 4)

    for item in document["oils"]:
        item["grams"] = grams(weights.oils.get(item["key"]))
    document["base"]["grams"] = grams(weights.base)
    document["missing_densities"] = list(weights.missing)
    return document


# --------------------------------------------------------------------------------------
# Reading and writing
# --------------------------------------------------------------------------------------


def recipe_document(recipe: Recipe) -> dict[str, Any]:
    """The recipe file's TOML document."""
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "blendcalc_version": recipe.version,
        "saved_at": recipe.saved_at,
        "asked": recipe.asked(),
    }
    if recipe.saved_drops is not None:
        document["result"] = {
            "total_drops": recipe.saved_total or 0,
            "drops": dict(recipe.saved_drops),
            "warnings": list(recipe.saved_warnings),
        }
    return document


HEADER = (
    "# A blendcalc recipe: [asked] is what was asked, [result] what came out when it was\n"
    "# saved. 'blendcalc recipe show FILE' recomputes it with today's catalog.\n"
)


def save_recipe(recipe: Recipe, path: str | Path, *, force: bool = False) -> Recipe:
    """Write ``recipe`` to ``path`` as TOML, atomically (a temporary file in the same folder,
    created with O_EXCL and O_NOFOLLOW, then renamed into place), never over an existing
    file unless ``force``. Returns the recipe with its path."""
    # tomli-w: the small, well-kept writer that mirrors tomllib (the usual pair); imported
    # here only, so commands that do not write never load it.
    import tomli_w

    target = str(path)
    stamped = replace(recipe, saved_at=recipe.saved_at or _now(), path=target)
    if not stamped.version:
        from blendcalc import __version__

        stamped = replace(stamped, version=__version__)
    data = (HEADER + tomli_w.dumps(recipe_document(stamped))).encode("utf-8")
    write_atomically(target, data, force=force)
    return stamped


def write_atomically(path: str, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` with :func:`blendcalc.files.write_atomically`, its problems
    told as :class:`RecipeError` naming the file."""
    from blendcalc.files import TargetExists
    from blendcalc.files import write_atomically as write

    if not path.strip():
        raise BadInput("--save is empty; give a file name, e.g. massage-oil.toml")
    target = Path(path)
    if target.is_dir():
        raise RecipeError(path, "", "is a folder; give a file name")
    if os.path.lexists(target) and not force:
        raise RecipeError(path, "", "exists already; give --force to replace it")
    try:
        write(path, data, force=force)
    except TargetExists:
        raise RecipeError(path, "", "exists already; give --force to replace it") from None
    except OSError as error:
        raise RecipeError(path, "", f"cannot be written ({_reason(error)})") from None


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def load_recipe(path: str | Path) -> Recipe:
    """Read and check a recipe file; :class:`RecipeError` names the file and the field of
    anything wrong (a hand-edited or damaged recipe)."""
    import tomllib

    from blendcalc.catalog.load import read_file
    from blendcalc.errors import CatalogError

    name = str(path)
    try:
        data = read_file(name, "recipe")
    except CatalogError as error:
        raise RecipeError(name, "", str(error).removeprefix(f"{name}: ")) from None
    if len(data) > MAX_RECIPE_BYTES:
        raise RecipeError(name, "", "is larger than 1 MB: not a recipe")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RecipeError(
            name, "", f"is not UTF-8 text (byte {error.start + 1} cannot be read)"
        ) from None
    try:
        document = tomllib.loads(text)
    except RecursionError:
        raise RecipeError(name, "", "is nested too deeply") from None
    except ValueError as error:
        raise RecipeError(name, "", f"is not valid TOML ({error})") from None
    return _parse(name, document)


class _Reader:
    def __init__(self, path: str, table: str, data: object) -> None:
        self.path = path
        self.table = table
        if not isinstance(data, dict):
            self.fail("", "must be a table")
        self.data: Mapping[str, Any] = data  # type: ignore[assignment]

    def fail(self, name: str, problem: str) -> None:
        where = ".".join(part for part in (self.table, name) if part)
        raise RecipeError(self.path, where, problem)

    def check_fields(self, allowed: Sequence[str]) -> None:
        for name in self.data:
            if name not in allowed:
                self.fail(name, f"unknown field; accepted: {', '.join(sorted(allowed))}")

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, "is missing")
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and name != "volume":
            value = str(value)  # drops_per_ml = 20, age = 4: numbers are fine as text
        if not isinstance(value, str) or not value.strip():
            self.fail(name, f"must be non-empty text, got {value!r}")
        return str(value)

    def whole(self, name: str, low: int, high: int) -> int | None:
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(name, f"must be a whole number from {low} to {high}, got {value!r}")
        return int(value)

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            self.fail(name, f"must be a list of non-empty text, got {value!r}")
        return tuple(value)

    def choice(self, name: str, accepted: Sequence[str]) -> str:
        value = self.data.get(name, accepted[0])
        if value not in accepted:
            self.fail(name, f"must be one of {', '.join(accepted)}, got {value!r}")
        return str(value)

    def flag(self, name: str) -> bool:
        value = self.data.get(name, False)
        if not isinstance(value, bool):
            self.fail(name, f"must be true or false, got {value!r}")
        return bool(value)


def _parse(path: str, document: dict[str, Any]) -> Recipe:
    from blendcalc.numbers import MAX_DROPS

    top = _Reader(path, "", document)
    top.check_fields(_TOP_FIELDS)
    schema = document.get("schema")
    if schema != SCHEMA or isinstance(schema, bool):
        top.fail("schema", f"must be {SCHEMA} (this blendcalc's recipe format), got {schema!r}")
    version = top.text("blendcalc_version") or ""
    saved_at = document.get("saved_at", "")
    if isinstance(saved_at, datetime | date):
        saved_at = saved_at.isoformat()
    if not isinstance(saved_at, str):
        top.fail("saved_at", f"must be a date and time, got {saved_at!r}")
    if "asked" not in document:
        top.fail("asked", "is missing: the table of what was asked ([asked])")
    asked = _Reader(path, "asked", document["asked"])
    asked.check_fields(_ASKED_FIELDS)
    volume = asked.text("volume", required=True)
    assert volume is not None
    recipe = Recipe(
        volume=volume,
        oils=asked.texts("oils"),
        purpose=asked.text("purpose"),
        count=asked.whole("count", 1, 20),
        ratio=asked.text("ratio"),
        dilution=asked.text("dilution"),
        drops=asked.whole("drops", 1, MAX_DROPS),
        strength=asked.text("strength"),
        drops_per_ml=asked.text("drops_per_ml") or "20",
        allergies=asked.texts("allergies"),
        profile=asked.text("profile"),
        age=asked.text("age"),
        keep_proportions=asked.flag("keep_proportions"),
        base=asked.text("base"),
        units=asked.choice("units", ("metric", "us")),
        version=version,
        saved_at=saved_at,
        path=path,
    )
    if not recipe.oils and recipe.purpose is None:
        asked.fail("oils", "is missing: a recipe names its oils (or a purpose)")
    if "result" in document:
        result = _Reader(path, "result", document["result"])
        result.check_fields(_RESULT_FIELDS)
        total = result.whole("total_drops", 0, MAX_DROPS)
        drops = result.data.get("drops", {})
        if not isinstance(drops, dict):
            result.fail("drops", "must be a table of oil = drops")
        saved: dict[str, int] = {}
        for key, count in drops.items():
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_DROPS:
                result.fail(f"drops.{key}", f"must be a whole number of drops, got {count!r}")
            saved[str(key)] = int(count)
        recipe = replace(
            recipe,
            saved_drops=saved,
            saved_total=total,
            saved_warnings=result.texts("warnings"),
        )
    return recipe
