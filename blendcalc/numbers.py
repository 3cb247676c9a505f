"""Exact numbers from the user's text, and their display.

Every magnitude blendcalc computes with is a :class:`fractions.Fraction` taken straight from
the user's digits: binary floating point turns exact chart values into x.99999... and a floor
then loses a drop. Nothing here evaluates an expression, so ``9**9**9`` is simply not a number.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

from blendcalc.errors import BadInput

VULGAR_FRACTIONS: dict[str, Fraction] = {
    "½": Fraction(1, 2),
    "⅓": Fraction(1, 3),
    "⅔": Fraction(2, 3),
    "¼": Fraction(1, 4),
    "¾": Fraction(3, 4),
    "⅕": Fraction(1, 5),
    "⅖": Fraction(2, 5),
    "⅗": Fraction(3, 5),
    "⅘": Fraction(4, 5),
    "⅙": Fraction(1, 6),
    "⅚": Fraction(5, 6),
    "⅛": Fraction(1, 8),
    "⅜": Fraction(3, 8),
    "⅝": Fraction(5, 8),
    "⅞": Fraction(7, 8),
}
_VULGAR = "".join(VULGAR_FRACTIONS)

# Longer text than this is not a number anyone types; refusing it keeps every parse instant.
MAX_NUMBER_TEXT = 40

# re.ASCII: \d is 0-9 only. Python's own number parsers also read Arabic-Indic, full-width and
# mathematical digits, which a quantity's unit matching does not: one rule for every number.
_DECIMAL = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_FRACTION = re.compile(r"(?:(?P<whole>\d+)\s+)?(?P<num>\d+)\s*/\s*(?P<den>\d+)", re.ASCII)
_WITH_VULGAR = re.compile(rf"(?:(?P<whole>\d+)\s*)?(?P<vulgar>[{_VULGAR}])", re.ASCII)
_EXPONENT = re.compile(r"\d\s*[eE]\s*[-+]?\d", re.ASCII)

NUMBER_FORMS = "a plain number such as 30 or 1.5, a fraction such as 1/2 or 1 1/2, or ½"

# Characters that may begin or belong to a number in a quantity such as "1 1/2 tsp".
NUMBER_CHARS = "0123456789./ \t+-" + _VULGAR


# The largest drop count any option or file may give: far above any blend, far below what
# slows exact arithmetic. One figure for the CLI, the engine and recipes.
MAX_DROPS = 10**8


def parse_number(text: str, what: str = "number") -> Fraction:
    """Read a non-negative exact number: ``30``, ``1.5``, ``.5``, ``1/2``, ``1 1/2``, ``½``, ``1½``.

    Raises :class:`BadInput` naming ``what`` for anything else, including signs, ``nan``,
    ``inf``, exponents and decimal commas.
    """
    stripped = text.strip()
    if not stripped:
        raise BadInput(f"{what} is empty; write {NUMBER_FORMS}")
    if len(stripped) > MAX_NUMBER_TEXT:
        raise BadInput(f"{what} {_shorten(stripped)!r} is too long to be a number")
    if stripped.startswith("-"):
        raise BadInput(f"{what} {stripped!r} is negative; it must be more than 0")
    if stripped.startswith("+"):
        stripped = stripped[1:].lstrip()
    lowered = stripped.lower()
    if lowered in {"nan", "inf", "infinity"}:
        raise BadInput(f"{what} {text.strip()!r} is not a number; write {NUMBER_FORMS}")
    if _EXPONENT.search(stripped):
        raise BadInput(
            f"{what} {text.strip()!r} uses an exponent, which blendcalc does not read; "
            f"write {NUMBER_FORMS}"
        )
    if "," in stripped:
        raise BadInput(
            f"{what} {text.strip()!r} has a comma; write decimals with a point (1.5) "
            "and no thousands separator"
        )
    if _DECIMAL.fullmatch(stripped):
        return Fraction(stripped)
    match = _FRACTION.fullmatch(stripped)
    if match:
        denominator = int(match["den"])
        if denominator == 0:
            raise BadInput(f"{what} {stripped!r} divides by zero")
        whole = int(match["whole"] or 0)
        return whole + Fraction(int(match["num"]), denominator)
    match = _WITH_VULGAR.fullmatch(stripped)
    if match:
        return int(match["whole"] or 0) + VULGAR_FRACTIONS[match["vulgar"]]
    raise BadInput(f"{what} {text.strip()!r} is not a number; write {NUMBER_FORMS}")


_WHOLE = re.compile(r"\+?[0-9]{1,12}", re.ASCII)


def parse_whole_number(text: str, lowest: int, highest: int) -> int:
    """Read a whole number from ``lowest`` to ``highest`` written with the digits 0-9 (and at
    most a leading ``+``), as every number blendcalc reads is: Python's ``int()`` also takes
    ``٣٠``, ``３０`` and ``1_0``, which no other option does.

    Raises :class:`BadInput` whose message names the text and the range (not the option: the
    caller does).
    """
    stripped = text.strip()
    accepted = f"accepted: a whole number from {lowest} to {highest}"
    if not stripped:
        raise BadInput(f"it is empty; {accepted}")
    if len(stripped) > MAX_NUMBER_TEXT:
        raise BadInput(f"{_shorten(stripped)!r} is too long to be a number; {accepted}")
    if stripped.startswith("-") and _WHOLE.fullmatch(stripped[1:]):
        raise BadInput(f"{stripped!r} is negative; {accepted}")
    if not _WHOLE.fullmatch(stripped):
        raise BadInput(f"{stripped!r} is not a whole number in the digits 0-9; {accepted}")
    value = int(stripped)
    if not lowest <= value <= highest:
        raise BadInput(f"{stripped!r} is out of range; {accepted}")
    return value


def parse_positive(text: str, what: str, upper: Fraction | None = None) -> Fraction:
    """:func:`parse_number`, then require ``0 < value`` (and ``value <= upper`` when given)."""
    value = parse_number(text, what)
    if value <= 0:
        raise BadInput(f"{what} {text.strip()!r} must be more than 0")
    if upper is not None and value > upper:
        raise BadInput(f"{what} {text.strip()!r} is too large; at most {format_number(upper)}")
    return value


def format_number(value: Fraction, places: int = 4) -> str:
    """Show an exact value as a decimal rounded (half to even) to ``places``, no trailing zeros."""
    with localcontext() as context:
        # 60 significant digits, plus as many as the whole part has (bits // 3 is more than
        # its digits): a huge value (a ratio per a tiny volume) keeps its places too.
        context.prec = 60 + (abs(value.numerator) // value.denominator).bit_length() // 3
        context.rounding = ROUND_HALF_EVEN
        decimal = Decimal(value.numerator) / Decimal(value.denominator)
        rounded = decimal.quantize(Decimal(1).scaleb(-places))
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def to_json_number(value: Fraction, places: int = 6) -> int | float:
    """A JSON number for an exact value: an int when whole, else rounded to ``places``."""
    if value.denominator == 1:
        return int(value)
    return float(format_number(value, places))


def _shorten(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
