"""The stated ratio and the limits on a blend's total: text → an exact range in drops.

The ratio is in drops (SPEC section 1), so it does not move with the drop size; its
percentage does. Every total is checked against the 10 % short-term maximum here, before any
arithmetic, so no path can compute a blend stronger than that.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from blendcalc.errors import BadInput
from blendcalc.numbers import format_number, parse_number, parse_positive
from blendcalc.units import parse_volume, per_volume_text

# The Tisserand Institute's short-term maximum for adults (as quoted by Safe Cosmetics
# Australia); this is a calculator for massage and body oils, not for neat or local use.
SHORT_TERM_MAX_PERCENT = Fraction(10)
SHORT_TERM_LIMIT_TEXT = (
    "at most 10 % of the base oil (the short-term maximum for adults, Tisserand Institute)"
)


@dataclass(frozen=True)
class Ratio:
    """A stated ratio: MIN to MAX drops of essential oil per VOLUME of base oil."""

    min_drops: Fraction
    max_drops: Fraction
    per_ml: Fraction
    text: str

    def exact_range(self, base_ml: Fraction) -> tuple[Fraction, Fraction]:
        return self.min_drops * base_ml / self.per_ml, self.max_drops * base_ml / self.per_ml


DEFAULT_RATIO = Ratio(
    Fraction(5), Fraction(10), Fraction(15), "5-10 drops per 15 mL (1 tbsp) (source article)"
)
_RATIO = re.compile(
    r"\s*(?P<low>[^-–—]+?)\s*(?:[-–—]\s*(?P<high>[^-–—]+?)\s*)?"
    r"(?:drops?|gtt)?\s*(?:per|/|in)\s+(?P<volume>.+?)\s*",
    re.IGNORECASE,
)
RATIO_FORM = (
    "accepted: 'MIN-MAX drops per VOLUME', e.g. '5-10 drops per 15 ml' or '3-6 drops per tsp'"
)


def parse_ratio(text: str, units: str = "metric") -> Ratio:
    """Read ``--ratio``: ``5-10 drops per 15 ml``, ``3-6 drops per tsp``, ``8 drops per tbsp``."""
    match = _RATIO.fullmatch(text) if len(text) <= 80 else None
    if not match:
        raise BadInput(f"--ratio {text.strip()!r} is not a ratio; {RATIO_FORM}")
    low = parse_positive(match["low"], "the ratio's minimum")
    high = parse_positive(match["high"], "the ratio's maximum") if match["high"] else low
    if low > high:
        raise BadInput(
            f"--ratio {text.strip()!r}: the minimum {format_number(low)} is more than the "
            f"maximum {format_number(high)}"
        )
    volume_text = per_volume_text(match["volume"])  # "per tbsp" means per one tablespoon
    volume = parse_volume(volume_text, system=units)
    return Ratio(
        low, high, volume.ml, f"{format_number(low)}-{format_number(high)} drops per {volume_text}"
    )


def parse_dilution(text: str) -> Fraction:
    """Read ``--dilution``: a percentage more than 0 and at most 10 (``2``, ``2%``, ``0.5 %``)."""
    stripped = text.strip().removesuffix("%").strip()
    value = parse_number(stripped, "--dilution")
    if value <= 0:
        raise BadInput(
            f"--dilution {text.strip()!r} is out of range; accepted: a percentage more than 0 "
            "and at most 10"
        )
    if value > SHORT_TERM_MAX_PERCENT:
        raise BadInput(
            f"--dilution {text.strip()!r} is too strong; accepted: {SHORT_TERM_LIMIT_TEXT}"
        )
    return value


def check_ratio_limit(ratio: Ratio, drops_per_ml: Fraction) -> None:
    """Refuse a ratio whose maximum passes the short-term maximum at this drop size."""
    percent = ratio.max_drops / ratio.per_ml / drops_per_ml * 100
    if percent > SHORT_TERM_MAX_PERCENT:
        most = format_number(SHORT_TERM_MAX_PERCENT / 100 * drops_per_ml, 2)
        raise BadInput(
            f"--ratio {ratio.text!r} is up to {format_number(percent, 2)} % of the base oil at "
            f"{format_number(drops_per_ml)} drops per mL; accepted: {SHORT_TERM_LIMIT_TEXT}, "
            f"i.e. at most {most} drops per mL of base oil at this drop size"
        )


def check_drops_limit(drops: int, base_ml: Fraction, drops_per_ml: Fraction) -> None:
    """Refuse ``--drops`` above the short-term maximum for this volume."""
    percent = drops / drops_per_ml / base_ml * 100
    if percent > SHORT_TERM_MAX_PERCENT:
        most = math.floor(SHORT_TERM_MAX_PERCENT / 100 * drops_per_ml * base_ml)
        accepted = f"1 to {most} drops for this volume" if most >= 1 else "none for this volume"
        raise BadInput(
            f"--drops {drops} is {format_number(percent, 2)} % of {format_number(base_ml, 2)} mL "
            f"of base oil; accepted: {accepted} ({SHORT_TERM_LIMIT_TEXT})"
        )


def whole_drop_range(low: Fraction, high: Fraction) -> tuple[int, int]:
    """The whole drops a range admits: ``ceil(low)`` to ``floor(high)`` (may be empty)."""
    return math.ceil(low), math.floor(high)
