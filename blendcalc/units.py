"""Volumes: safe parsing of the user's text and exact conversion through Pint.

The user's text never reaches Pint's expression parser (it evaluates ``9**9**9 ml`` and
hangs): :func:`parse_quantity` matches a number and a unit name itself, and only a plain
name such as ``tbsp`` is looked up in the registry. Pint is imported on first use, so
commands that need no units (``--help``, ``oils``, completion) never pay for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from blendcalc.errors import BadInput, UnknownName
from blendcalc.numbers import (
    NUMBER_CHARS,
    VULGAR_FRACTIONS,
    format_number,
    parse_number,
    to_json_number,
)

if TYPE_CHECKING:
    import pint

DEFAULT_DROPS_PER_ML = Fraction(20)
# Measured droppers give 20-45 drops per mL (DATA.md); 10 (a 0.1 mL drop) to 100 covers every
# real dropper, and a smaller figure (a "drop" of 3 mL) would turn the ratio into nonsense.
MIN_DROPS_PER_ML = Fraction(10)
MAX_DROPS_PER_ML = Fraction(100)
# Nobody blends more than a tonne of oil; a bound keeps every answer finite and instant.
MAX_VOLUME_ML = Fraction(1_000_000)


@dataclass(frozen=True)
class Unit:
    """A unit blendcalc understands."""

    key: str  # the name in JSON and in this module's tables
    label: str  # how output shows it
    pint_name: str  # its name in units.txt
    note: str = ""  # which system, said when the unit is used


# Keyed by the name in units.txt; "drop" is defined at run time from the drop size.
UNITS: dict[str, Unit] = {
    unit.pint_name: unit
    for unit in (
        Unit("ml", "mL", "milliliter"),
        Unit("cl", "cL", "centiliter"),
        Unit("dl", "dL", "deciliter"),
        Unit("l", "L", "liter"),
        Unit("tsp", "tsp", "teaspoon", "metric"),
        Unit("tbsp", "tbsp", "tablespoon", "metric"),
        Unit("us_tsp", "US tsp", "us_teaspoon", "US"),
        Unit("us_tbsp", "US tbsp", "us_tablespoon", "US"),
        Unit("au_tbsp", "AU tbsp", "au_tablespoon", "Australian"),
        Unit("fl_oz", "fl oz", "us_fluid_ounce", "US"),
        Unit("imperial_floz", "imperial fl oz", "imperial_fluid_ounce", "imperial"),
        Unit("cup", "cup", "cup", "metric"),
        Unit("us_cup", "US cup", "us_cup", "US"),
        Unit("drop", "drops", "drop"),
    )
}
UNITS_BY_KEY: dict[str, Unit] = {unit.key: unit for unit in UNITS.values()}
DROP = UNITS["drop"]
MILLILITRE = UNITS["milliliter"]

# Units of mass and other things people type where a volume is meant.
_NOT_VOLUMES = {
    "g": "a mass",
    "gram": "a mass",
    "grams": "a mass",
    "gr": "a mass",
    "kg": "a mass",
    "mg": "a mass",
    "lb": "a mass",
    "lbs": "a mass",
    "pound": "a mass",
    "pounds": "a mass",
    "oz_wt": "a mass",
    "ozwt": "a mass",
    "m": "a length",
    "cm": "a length",
    "mm": "a length",
    "in": "a length",
    "inch": "a length",
    "%": "a percentage",
}

_UNIT_TEXT = re.compile(r"[A-Za-z%][A-Za-z_. -]{0,39}")
_EXPONENT = re.compile(r"\d\s*[eE]\s*[-+]?\d")
ACCEPTED_UNITS = (
    "ml, cl, dl, l, tsp, tbsp, us_tsp, us_tbsp, au_tbsp, fl oz, imperial_floz, cup, us_cup, drops"
)
EXAMPLES = "e.g. '30 ml', '2 tbsp', '1/2 tsp', '1.5 fl oz'"


# What tsp, tbsp and cup mean (SPEC section 10): metric by default, as aromatherapy charts
# use; ``--units us`` (or $BLENDCALC_UNITS=us) makes them the US customary measures. Names
# that say their system (metric_tsp, us_tbsp, au_tbsp, imperial_floz) keep it either way,
# and a fluid ounce is the US one in both (an imperial one is named so).
UNIT_SYSTEMS = ("metric", "us")
_US_MEANING = {"teaspoon": "us_teaspoon", "tablespoon": "us_tablespoon", "cup": "us_cup"}
# Published dilution charts count 1 fl oz as 30 mL (6, 12, 18 drops at 1, 2, 3 %).
FLUID_OUNCE_NOTE = (
    "1 fl oz is 29.57 mL exactly; published charts count it as 30 mL (6, 12 and 18 drops at "
    "1, 2 and 3 %), so their counts can be one drop higher than these"
)


def parse_unit_system(text: str) -> str:
    """Read ``--units``: ``metric`` or ``us`` (any case)."""
    chosen = text.strip().lower()
    if chosen in {"us", "u.s.", "usa", "us customary", "customary"}:
        return "us"
    if chosen == "metric":
        return "metric"
    shown = _short(text.strip()) or ""
    raise BadInput(f"--units {shown!r} is not a unit system; accepted: metric, us")


def unit_system_text(system: str) -> str:
    """How the answer says which spoons and cups were meant."""
    if system == "us":
        return "US units: 1 tsp = 4.93 mL, 1 tbsp = 14.79 mL, 1 cup = 236.59 mL"
    return "metric units: 1 tsp = 5 mL, 1 tbsp = 15 mL, 1 cup = 250 mL"


def is_fluid_ounce(unit: Unit) -> bool:
    return unit.key in {"fl_oz", "imperial_floz"}


@dataclass(frozen=True)
class Quantity:
    """An exact amount of a unit, as the user wrote it."""

    value: Fraction
    unit: Unit
    text: str


@dataclass(frozen=True)
class Volume:
    """A volume of base oil: what the user wrote and its exact size in mL."""

    text: str
    ml: Fraction
    unit: Unit | None = None  # the unit it was written in (None: a bare number, so mL)

    @property
    def label(self) -> str:
        """How a table row names it: in the unit it was asked in, with its size in mL."""
        if self.unit is None or self.unit is MILLILITRE:
            return f"{format_number(self.ml, 2)} mL"
        return f"{self.text} ({format_number(self.ml, 2)} mL)"


@dataclass(frozen=True)
class Conversion:
    """The answer of :func:`convert`; :meth:`to_dict` is the ``convert --json`` document."""

    source: Quantity
    value: Fraction
    unit: Unit
    drops_per_ml: Fraction
    notes: tuple[str, ...]
    units: str = "metric"

    def to_dict(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "from": {"value": to_json_number(self.source.value), "unit": self.source.unit.key},
            "to": {"value": to_json_number(self.value), "unit": self.unit.key},
            "exact": str(self.value),
            "drops_per_ml": to_json_number(self.drops_per_ml),
            "notes": list(self.notes),
        }


def unit_names() -> dict[str, str]:
    """Every name and alias of units.txt (and the drop's), lower-cased, with the unit key it
    stands for; read without Pint, for suggestions and completion."""
    names = {"drop": "drop", "drops": "drop", "gtt": "drop"}
    for raw_line in _definitions_text().splitlines():
        definition = raw_line.split("#", 1)[0].strip()
        if "=" not in definition:
            continue
        fields = [field.strip() for field in definition.split("=")]
        key = UNITS[fields[0]].key
        for name in [fields[0], *fields[2:]]:
            if name:
                names[name.lower()] = key
    return names


def parse_drops_per_ml(text: str) -> Fraction:
    """Read ``--drops-per-ml``: a number from 10 to 100 (droppers give 20-45)."""
    value = parse_number(text, "--drops-per-ml")
    if not MIN_DROPS_PER_ML <= value <= MAX_DROPS_PER_ML:
        raise BadInput(
            f"--drops-per-ml {text.strip()!r} is out of range; accepted: "
            f"{format_number(MIN_DROPS_PER_ML)} to {format_number(MAX_DROPS_PER_ML)} "
            "(measured droppers give 20-45)"
        )
    return value


def parse_unit(text: str, system: str = "metric") -> Unit:
    """Find the unit a name stands for: ``ml``, ``mL``, ``tbsp``, ``fl oz``, ``drops``...
    With ``system`` "us", ``tsp``, ``tbsp`` and ``cup`` are the US measures."""
    stripped = text.strip()
    if not stripped:
        raise BadInput(f"the unit is empty; accepted: {ACCEPTED_UNITS}")
    if not _UNIT_TEXT.fullmatch(stripped):
        raise BadInput(f"{_short(stripped)!r} is not a unit; accepted: {ACCEPTED_UNITS}")
    token = re.sub(r"[\s-]+", "_", stripped.replace(".", " ").strip())
    kind = _NOT_VOLUMES.get(token.lower())
    if kind:
        raise BadInput(f"{stripped!r} is {kind}; blendcalc needs a volume ({ACCEPTED_UNITS})")
    pint_name = _lookup(token)
    if pint_name is None:
        import difflib

        names = unit_names()
        close = difflib.get_close_matches(token.lower(), list(names), n=6, cutoff=0.6)
        suggestions = list(dict.fromkeys(names[name] for name in close))[:2]
        raise UnknownName("unit", stripped, suggestions, f"accepted: {ACCEPTED_UNITS}")
    if system == "us" and pint_name in _US_MEANING and not token.lower().startswith("metric"):
        pint_name = _US_MEANING[pint_name]
    return UNITS[pint_name]


def parse_quantity(text: str, default_unit: Unit | None = None, system: str = "metric") -> Quantity:
    """Read ``30ml``, ``30 mL``, ``2 tbsp``, ``1/2 tsp``, ``1 1/2 tsp``, ``½ tsp``, ``1.5 fl oz``.

    A bare number takes ``default_unit`` when given, else it is an error. The value must be
    more than 0 and at most 1000 L.
    """
    stripped = text.strip()
    if not stripped:
        raise BadInput(f"the quantity is empty; write a number and a unit, {EXAMPLES}")
    if stripped.startswith("--"):
        raise BadInput(f"no such option: {stripped.split('=', 1)[0]}")
    if len(stripped) > 60:
        raise BadInput(f"the quantity {_short(stripped)!r} is too long; {EXAMPLES}")
    if _EXPONENT.search(stripped):
        raise BadInput(f"{stripped!r} uses an exponent, which blendcalc does not read; {EXAMPLES}")
    split = 0
    while split < len(stripped) and stripped[split] in NUMBER_CHARS:
        split += 1
    number_text, unit_text = stripped[:split].strip(), stripped[split:].strip()
    if not number_text:
        first_word = unit_text.split()[0] if unit_text else ""
        if first_word.lower() in {"nan", "inf", "infinity"}:
            raise BadInput(f"{stripped!r} is not a quantity: {first_word!r} is not a number")
        raise BadInput(f"{stripped!r} has no number in front; {EXAMPLES}")
    if not unit_text:
        if default_unit is None:
            raise BadInput(f"{stripped!r} has no unit; {EXAMPLES} (accepted: {ACCEPTED_UNITS})")
        unit = default_unit
    elif not _UNIT_TEXT.fullmatch(unit_text):
        raise BadInput(
            f"{_short(stripped)!r} is not a quantity blendcalc reads; write a number and a "
            f"unit, {EXAMPLES}"
        )
    else:
        unit = parse_unit(unit_text, system)
    try:
        value = parse_number(number_text, "number")
    except BadInput as error:
        raise BadInput(f"{stripped!r}: {error}") from None
    if value <= 0:
        raise BadInput(f"{stripped!r} must be more than 0")
    return Quantity(value, unit, stripped)


def per_volume_text(text: str) -> str:
    """The volume after "per" in a ``--ratio`` ("5-10 drops per 15 ml"), ready for
    :func:`parse_volume`: ``15 ml`` stays, a unit alone means one of it (``tbsp`` is
    ``1 tbsp``). Nothing at all, or text that begins with neither a number nor a unit name
    (``/2``), is :class:`BadInput`: it used to be read as "1" and so as 1 mL.
    """
    stripped = text.strip()
    ratio_form = "accepted: 'MIN-MAX drops per VOLUME', e.g. '5-10 drops per 15 ml' or 'per tsp'"
    if not stripped:
        raise BadInput(f"--ratio has no volume after 'per'; {ratio_form}")
    first = stripped[0]
    if first.isascii() and first.isalpha():
        return f"1 {stripped}"
    if first in "0123456789." or first in VULGAR_FRACTIONS:
        return stripped
    raise BadInput(f"--ratio: {_short(stripped)!r} after 'per' is not a volume; {ratio_form}")


def to_ml(quantity: Quantity, drops_per_ml: Fraction = DEFAULT_DROPS_PER_ML) -> Fraction:
    """The exact size of ``quantity`` in mL."""
    return _convert_value(quantity.value, quantity.unit, MILLILITRE, drops_per_ml)


def parse_volume(
    text: str, drops_per_ml: Fraction = DEFAULT_DROPS_PER_ML, system: str = "metric"
) -> Volume:
    """Read a volume of base oil (a bare number is mL) and check it is at most 1000 L.
    ``system`` says what tsp, tbsp and cup mean (metric or us)."""
    quantity = parse_quantity(text, default_unit=MILLILITRE, system=system)
    ml = to_ml(quantity, drops_per_ml)
    _check_size(quantity, ml)
    bare = quantity.text.strip()[-1:] in NUMBER_CHARS
    return Volume(quantity.text, ml, None if bare else quantity.unit)


def convert(
    quantity: Quantity,
    unit: Unit,
    drops_per_ml: Fraction = DEFAULT_DROPS_PER_ML,
    system: str = "metric",
) -> Conversion:
    """Convert exactly; the notes say what each unit involved was taken to be (and, for a
    fluid ounce, how published charts count it). ``system`` is recorded in the answer."""
    _check_size(quantity, to_ml(quantity, drops_per_ml))
    value = _convert_value(quantity.value, quantity.unit, unit, drops_per_ml)
    notes: list[str] = []
    involved = tuple(dict.fromkeys((quantity.unit, unit)))
    for each in involved:
        note = describe(each, drops_per_ml)
        if note:
            notes.append(note)
    if any(is_fluid_ounce(each) for each in involved):
        notes.append(FLUID_OUNCE_NOTE)
    return Conversion(quantity, value, unit, drops_per_ml, tuple(notes), system)


def describe(unit: Unit, drops_per_ml: Fraction = DEFAULT_DROPS_PER_ML) -> str:
    """What a unit was taken to be, e.g. ``1 tbsp = 15 mL, metric``; empty for mL."""
    if unit is MILLILITRE:
        return ""
    if unit is DROP:
        return (
            f"1 drop = {format_number(1 / drops_per_ml)} mL at "
            f"{format_number(drops_per_ml)} drops per mL"
        )
    ml = _convert_value(Fraction(1), unit, MILLILITRE, drops_per_ml)
    note = f", {unit.note}" if unit.note else ""
    return f"1 {unit.label} = {format_number(ml)} mL{note}"


def format_quantity(value: Fraction, unit: Unit) -> str:
    label = "drop" if unit is DROP and value == 1 else unit.label
    return f"{format_number(value)} {label}"


def _check_size(quantity: Quantity, ml: Fraction) -> None:
    if ml > MAX_VOLUME_ML:
        raise BadInput(f"{quantity.text!r} is more than blendcalc handles; at most 1000 L")


def _convert_value(value: Fraction, source: Unit, target: Unit, drops_per_ml: Fraction) -> Fraction:
    if source is target:
        return value
    registry = _registry(drops_per_ml)
    converted = registry.Quantity(value, source.pint_name).to(target.pint_name).magnitude
    return Fraction(converted)


def _lookup(token: str) -> str | None:
    if not re.fullmatch(r"[A-Za-z_]{1,40}", token):
        return None
    import pint

    registry = _registry(DEFAULT_DROPS_PER_ML)
    try:
        name = registry.get_name(token)
    except pint.errors.UndefinedUnitError:
        return None
    return name if name in UNITS else None


@cache
def _definitions_text() -> str:
    return (Path(__file__).parent / "units.txt").read_text(encoding="utf-8")


@cache
def _registry(drops_per_ml: Fraction) -> pint.UnitRegistry[Any]:
    import pint

    registry: pint.UnitRegistry[Any] = pint.UnitRegistry(
        None, non_int_type=Fraction, cache_folder=None, case_sensitive=False
    )
    registry.load_definitions(_definitions_text().splitlines())
    drop_ml = 1 / drops_per_ml
    registry.define(f"drop = {drop_ml.numerator}/{drop_ml.denominator} * milliliter = gtt")
    return registry


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
