"""The blend arithmetic: a ratio and a volume give a whole-drop range, a total is chosen, and
the drops are shared out by parts under each oil's own limit.

Everything is exact (:class:`fractions.Fraction`) from the user's text to the whole-drop
answer: a range's whole bounds are ``ceil(min)`` and ``floor(max)``; a single target and every
per-oil maximum are rounded down, never up.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from blendcalc.catalog import Catalog, Oil
from blendcalc.errors import BadInput
from blendcalc.numbers import format_number, parse_number, parse_positive, to_json_number
from blendcalc.safety import (
    PREGNANCY_ADVICE,
    REMINDERS,
    SAFETY_KINDS,
    SUN_WARNING,
    AllergyReview,
    Exclusion,
    Profile,
    Warning,
    check_profile,
    describe_caution,
    general_cautions,
    high_dilution_warning,
    no_data_warning,
    resolve_profile,
    review_allergies,
    split_terms,
)
from blendcalc.units import (
    DEFAULT_DROPS_PER_ML,
    Volume,
    parse_drops_per_ml,
    parse_volume,
    per_volume_text,
)

STRENGTHS = ("gentle", "standard", "strong")
DEFAULT_COUNT = 3
MAX_DROPS = 10**8


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


def parse_ratio(text: str) -> Ratio:
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
    volume = parse_volume(volume_text)
    return Ratio(
        low, high, volume.ml, f"{format_number(low)}-{format_number(high)} drops per {volume_text}"
    )


def parse_dilution(text: str) -> Fraction:
    """Read ``--dilution``: a percentage more than 0 and at most 100 (``2``, ``2%``, ``0.5 %``)."""
    stripped = text.strip().removesuffix("%").strip()
    value = parse_number(stripped, "--dilution")
    if not 0 < value <= 100:
        raise BadInput(
            f"--dilution {text.strip()!r} is out of range; accepted: a percentage more than 0 "
            "and at most 100"
        )
    return value


def parse_oil_spec(text: str) -> tuple[str, Fraction]:
    """``NAME`` or ``NAME:PARTS`` (parts a positive number, default 1)."""
    name, separator, parts_text = text.rpartition(":")
    if not separator:
        name, parts_text = text, "1"
    if not name.strip():
        raise BadInput(f"{text.strip()!r} names no oil; accepted: NAME or NAME:PARTS")
    try:
        parts = parse_number(parts_text, "parts")
    except BadInput as error:
        raise BadInput(
            f"bad parts in {text.strip()!r}: {error}; accepted: NAME:PARTS with PARTS a number "
            "more than 0, e.g. lavender:2"
        ) from None
    if parts <= 0:
        raise BadInput(f"bad parts in {text.strip()!r}: parts must be more than 0, e.g. lavender:2")
    return name.strip(), parts


def drops_text(count: int) -> str:
    return "1 drop" if count == 1 else f"{count} drops"


def whole_drop_range(low: Fraction, high: Fraction) -> tuple[int, int]:
    """The whole drops a range admits: ``ceil(low)`` to ``floor(high)`` (may be empty)."""
    return math.ceil(low), math.floor(high)


def share_by_parts(
    total: int, parts: Sequence[Fraction], caps: Sequence[int | None]
) -> tuple[list[int], set[int]]:
    """Share ``total`` whole drops by ``parts`` under per-oil ``caps`` (None: no cap).

    Oils whose exact share would pass their cap are held at it and the surplus is shared among
    the others; the rest are shared by the largest-remainder method, ties to the oil named
    first. Returns the drops and the indices held at their cap. The drops add up to ``total``
    unless every oil is held at its cap.
    """
    drops = [0] * len(parts)
    active = list(range(len(parts)))
    held: set[int] = set()
    remaining = total
    while active:
        share_of = sum(parts[i] for i in active)
        exact = {i: remaining * parts[i] / share_of for i in active}
        over = [i for i in active if caps[i] is not None and exact[i] > caps[i]]  # type: ignore[operator]
        if not over:
            floors = {i: math.floor(exact[i]) for i in active}
            leftover = remaining - sum(floors.values())
            by_remainder = sorted(active, key=lambda i: (-(exact[i] - floors[i]), i))
            for i in active:
                drops[i] = floors[i]
            for i in by_remainder[:leftover]:
                drops[i] += 1
            return drops, held
        for i in over:
            cap = caps[i]
            assert cap is not None
            drops[i] = cap
            remaining -= cap
            held.add(i)
            active.remove(i)
    return drops, held


@dataclass
class BlendOil:
    oil: Oil
    parts: Fraction
    drops: int
    limit_percent: Fraction | None
    ml: Fraction
    percent: Fraction

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.oil.key,
            "name": self.oil.name,
            "parts": to_json_number(self.parts),
            "drops": self.drops,
            "ml": to_json_number(self.ml, 4),
            "percent": to_json_number(self.percent, 3),
            "max_percent": None
            if self.limit_percent is None
            else to_json_number(self.limit_percent),
        }


@dataclass
class Blend:
    """A computed blend: the fields of the ``blend --json`` document, as plain data."""

    base: Volume
    drops_per_ml: Fraction
    ratio: Ratio
    profile: Profile
    exact_range: tuple[Fraction, Fraction]
    whole_range: tuple[int, int]
    target: str
    total_drops: int
    oils: list[BlendOil]
    excluded: list[Exclusion] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reminders: list[str] = field(default_factory=lambda: list(REMINDERS))
    purpose: str | None = None

    @property
    def possible(self) -> bool:
        """False when nothing can be made: no oil left, or not one whole drop."""
        return self.total_drops > 0 and bool(self.oils)

    @property
    def dilution_percent(self) -> Fraction:
        return self.total_drops / self.drops_per_ml / self.base.ml * 100

    @property
    def finished_percent(self) -> Fraction:
        """Essential oil as a share of the finished blend (base plus essential oil)."""
        essential = self.total_drops / self.drops_per_ml
        return essential / (self.base.ml + essential) * 100

    @property
    def safety_warnings(self) -> list[Warning]:
        return [w for w in self.warnings if w.kind in SAFETY_KINDS]

    def to_dict(self) -> dict[str, Any]:
        low, high = self.whole_range
        return {
            "base": {"input": self.base.text, "ml": to_json_number(self.base.ml, 4)},
            "drops_per_ml": to_json_number(self.drops_per_ml),
            "drop_ml": to_json_number(1 / self.drops_per_ml, 6),
            "range": {
                "min_drops": low,
                "max_drops": high,
                "exact_min": to_json_number(self.exact_range[0], 4),
                "exact_max": to_json_number(self.exact_range[1], 4),
                "rule": self.ratio.text,
            },
            "profile": self.profile.key,
            "purpose": self.purpose,
            "target": self.target,
            "total_drops": self.total_drops,
            "dilution_percent": to_json_number(self.dilution_percent, 3),
            "finished_blend_percent": to_json_number(self.finished_percent, 3),
            "oils": [item.to_dict() for item in self.oils],
            "excluded": [item.to_dict() for item in self.excluded],
            "warnings": [item.to_dict() for item in self.warnings],
            "notes": list(self.notes),
            "reminders": list(self.reminders),
        }


def compute_blend(
    volume: str | Volume,
    oils: Sequence[str] = (),
    *,
    catalog: Catalog,
    purpose: str | None = None,
    count: int | None = None,
    ratio: str | Ratio | None = None,
    dilution: str | None = None,
    drops: int | None = None,
    strength: str | None = None,
    drops_per_ml: str | Fraction = DEFAULT_DROPS_PER_ML,
    allergies: Sequence[str] = (),
    profile: str | None = None,
    age: str | None = None,
) -> Blend:
    """Compute a blend for ``volume`` of base oil.

    Name ``oils`` (``NAME`` or ``NAME:PARTS``) or give a ``purpose`` (``count`` oils, default
    3, chosen after allergy and profile exclusions). The total is ``drops``, or ``dilution``
    percent rounded down, or the ``strength`` (gentle: the range's minimum, standard: its
    middle rounded down, strong: its maximum) of the ``ratio`` (default 5-10 drops per 15 mL).
    Raises :class:`~blendcalc.errors.BadInput` for unusable input; a blend that cannot be made
    comes back with ``possible`` false and a warning saying why.
    """
    drop_size = (
        drops_per_ml if isinstance(drops_per_ml, Fraction) else parse_drops_per_ml(drops_per_ml)
    )
    base = volume if isinstance(volume, Volume) else parse_volume(volume, drop_size)
    chosen_ratio = parse_ratio(ratio) if isinstance(ratio, str) else (ratio or DEFAULT_RATIO)
    ratio_percent = chosen_ratio.max_drops / chosen_ratio.per_ml / drop_size * 100
    if ratio_percent > 100:
        raise BadInput(
            f"the ratio {chosen_ratio.text} is up to {format_number(ratio_percent, 2)} % of the "
            f"base oil at {format_number(drop_size)} drops per mL: more essential oil than base "
            f"oil is not a dilution; accepted: at most {format_number(drop_size)} drops per mL "
            "of base oil (100 %)"
        )
    targets = [name for name, value in (("--drops", drops), ("--dilution", dilution),
               ("--strength", strength)) if value is not None]  # fmt: skip
    if len(targets) > 1:
        raise BadInput(
            f"give one of --drops, --dilution or --strength, not {' and '.join(targets)}"
        )
    if strength is not None and strength not in STRENGTHS:
        raise BadInput(f"--strength {strength!r} is not known; accepted: {', '.join(STRENGTHS)}")
    if drops is not None and not 1 <= drops <= MAX_DROPS:
        raise BadInput(f"--drops {drops} is out of range; accepted: 1 to {MAX_DROPS}")
    dilution_value = parse_dilution(dilution) if dilution is not None else None
    person = resolve_profile(profile, age)
    if oils and purpose:
        raise BadInput("name oils or give --purpose, not both")
    if not oils and not purpose:
        raise BadInput("name at least one oil (e.g. lavender:2 peppermint) or give --purpose P")
    if count is not None and not oils and not 1 <= count <= 20:
        raise BadInput(f"--count {count} is out of range; accepted: 1 to 20")

    terms = split_terms(allergies)
    review = review_allergies(terms, catalog)
    blend = Blend(
        base=base,
        drops_per_ml=drop_size,
        ratio=chosen_ratio,
        profile=person,
        exact_range=chosen_ratio.exact_range(base.ml),
        whole_range=(0, 0),
        target="",
        total_drops=0,
        oils=[],
    )
    blend.warnings.extend(review.unknown)
    chosen = _choose_oils(blend, catalog, oils, purpose, count, review)
    _choose_total(blend, drops, dilution_value, strength or "standard")
    if chosen and blend.total_drops > 0:
        _share(blend, chosen)
    _review(blend, review)
    return blend


def _choose_oils(
    blend: Blend,
    catalog: Catalog,
    specs: Sequence[str],
    purpose_name: str | None,
    count: int | None,
    review: AllergyReview,
) -> list[tuple[Oil, Fraction]]:
    if purpose_name:
        from blendcalc.suggest import suggest_oils

        purpose = catalog.find_purpose(purpose_name)
        blend.purpose = purpose.key
        suggestion = suggest_oils(
            catalog, purpose, review.terms, blend.profile, count or DEFAULT_COUNT, review
        )
        blend.excluded.extend(suggestion.excluded)
        if not suggestion.oils:
            blend.warnings.append(
                Warning(
                    "too-small" if blend.profile.max_percent == 0 else "profile",
                    None,
                    f"No oil is left for {purpose.name} after the exclusions: nothing to blend.",
                )
            )
        return [(oil, Fraction(1)) for oil in suggestion.oils]
    chosen: list[tuple[Oil, Fraction]] = []
    for spec in specs:
        name, parts = parse_oil_spec(spec)
        oil = catalog.find_oil(name)
        if any(oil is other for other, _ in chosen):
            raise BadInput(f"{oil.key} is named twice; give it once, with parts (e.g. {oil.key}:2)")
        chosen.append((oil, parts))
    return chosen


def _choose_total(
    blend: Blend, drops: int | None, dilution: Fraction | None, strength: str
) -> None:
    base_ml, per_ml = blend.base.ml, blend.drops_per_ml
    low, high = blend.exact_range
    profile_cap: int | None = None
    rates = [blend.ratio.max_drops / blend.ratio.per_ml]  # drops per mL at the ratio's maximum
    if blend.profile.max_percent is not None:
        profile_rate = blend.profile.max_percent / 100 * per_ml
        profile_cap = math.floor(profile_rate * base_ml)
        rates.append(profile_rate)
        if profile_rate * base_ml < high:
            high = profile_rate * base_ml
            # Below the ratio's minimum the profile's maximum (rounded down) is the whole range.
            low = min(low, Fraction(math.floor(high)))
            blend.notes.append(
                f"The range is lowered to the profile's maximum: {blend.profile.basis}."
            )
    whole_low, whole_high = whole_drop_range(low, high)
    blend.whole_range = (whole_low, whole_high)
    if drops is not None:
        if drops / per_ml > base_ml:
            raise BadInput(
                f"--drops {drops} is {format_number(drops / per_ml / base_ml * 100, 2)} % of "
                f"{format_number(base_ml)} mL of base oil: more essential oil than base oil is "
                f"not a dilution; accepted: 1 to {math.floor(per_ml * base_ml)} drops for this "
                "volume (100 %)"
            )
        total, blend.target = drops, "as asked with --drops"
    elif dilution is not None:
        total = math.floor(dilution / 100 * per_ml * base_ml)
        blend.target = f"--dilution {format_number(dilution)} %, rounded down"
        rates = [dilution / 100 * per_ml]
    else:
        blend.target = f"{strength} strength"
        if whole_high < 1:
            total = 0
        elif whole_low > whole_high:
            total = whole_high
            blend.warnings.append(
                Warning(
                    "below-range",
                    None,
                    f"No whole number of drops lies within {blend.ratio.text} for this volume; "
                    f"{drops_text(whole_high)} (its maximum rounded down) is used.",
                )
            )
        elif strength == "gentle":
            total = whole_low
        elif strength == "strong":
            total = whole_high
        else:
            total = min(max(math.floor((low + high) / 2), whole_low), whole_high)
    if profile_cap is not None and total > profile_cap:
        blend.warnings.append(
            Warning(
                "profile",
                None,
                f"{drops_text(total)} would pass the {blend.profile.label} maximum "
                f"({blend.profile.basis}); held at {drops_text(profile_cap)}.",
            )
        )
        total = profile_cap
    if total < 1:
        _too_small(blend, min(rates))
        total = 0
    elif (drops is not None or dilution is not None) and not low <= total <= high:
        blend.warnings.append(
            Warning(
                "outside-ratio",
                None,
                f"{drops_text(total)} in {format_number(base_ml)} mL is outside the stated ratio "
                f"({blend.ratio.text}: {format_number(low, 2)}–{format_number(high, 2)} drops "
                "for this volume).",
            )
        )
    blend.total_drops = total


def _too_small(blend: Blend, rate: Fraction) -> None:
    if blend.profile.max_percent == 0:
        message = f"No essential oil for a {blend.profile.label}: {blend.profile.basis}."
    else:
        message = (
            f"Less than 1 drop: use at least {format_number(1 / rate, 2)} mL of base oil "
            "for one whole drop at this setting."
        )
    blend.warnings.append(Warning("too-small", None, message))


def _share(blend: Blend, chosen: list[tuple[Oil, Fraction]]) -> None:
    base_ml, per_ml = blend.base.ml, blend.drops_per_ml
    caps: list[int | None] = []
    limits: list[Fraction | None] = []
    for oil, _ in chosen:
        limit = oil.limit_percent
        profile_limit = check_profile(oil, blend.profile).max_percent
        if profile_limit is not None:
            limit = profile_limit if limit is None else min(limit, profile_limit)
        limits.append(limit)
        caps.append(None if limit is None else math.floor(limit / 100 * per_ml * base_ml))
    shared, held = share_by_parts(blend.total_drops, [parts for _, parts in chosen], caps)
    for index, ((oil, parts), count) in enumerate(zip(chosen, shared, strict=True)):
        limit = limits[index]
        if index in held and limit is not None:
            blend.warnings.append(
                Warning(
                    "capped",
                    oil.key,
                    f"{oil.name} is held at its maximum of {format_number(limit, 2)} % "
                    f"({drops_text(count)} in {format_number(base_ml)} mL); the other oils "
                    "take the surplus.",
                )
            )
        if count == 0:
            blend.warnings.append(
                Warning(
                    "too-small",
                    oil.key,
                    f"{oil.name} gets no whole drop at this volume and setting; it is left out.",
                )
            )
            continue
        blend.oils.append(
            BlendOil(oil, parts, count, limit, count / per_ml, count / per_ml / base_ml * 100)
        )
    placed = sum(shared)
    if placed < blend.total_drops:
        blend.warnings.append(
            Warning(
                "below-range",
                None,
                f"The oils' maxima allow only {placed} of the {blend.total_drops} drops; the "
                "total is lowered to respect them.",
            )
        )
        blend.total_drops = placed
        if placed == 0:
            blend.warnings.append(
                Warning("too-small", None, "No oil can have a whole drop within its maximum.")
            )


def _review(blend: Blend, review: AllergyReview) -> None:
    """Add what could make this blend unsafe for this person."""
    if blend.profile.key == "pregnancy":
        blend.warnings.append(Warning("profile", None, PREGNANCY_ADVICE))
    if blend.profile.key == "child" and blend.profile.max_percent is None:
        blend.notes.append(f"Child profile: {blend.profile.basis}.")
    strong = high_dilution_warning(blend.dilution_percent) if blend.possible else None
    if strong:
        blend.warnings.append(strong)
    for item in blend.oils:
        oil = item.oil
        if review.matches(oil):
            blend.warnings.append(
                Warning("allergy", oil.key, f"{review.reason(oil)} (named explicitly, so kept)")
            )
        check = check_profile(oil, blend.profile)
        for caution in check.avoid:
            blend.warnings.append(
                Warning(
                    "profile",
                    oil.key,
                    f"{describe_caution(oil, caution)} The {blend.profile.label} profile advises "
                    "leaving it out.",
                )
            )
        for caution in check.warn:
            blend.warnings.append(Warning("profile", oil.key, describe_caution(oil, caution)))
        if oil.phototoxic:
            blend.warnings.append(
                Warning(
                    "phototoxic",
                    oil.key,
                    f"{oil.name} is phototoxic: {SUN_WARNING} (held at most "
                    f"{format_number(oil.phototoxic_limit_percent or Fraction(0), 2)} %, "
                    f"{oil.phototoxic_source}).",
                )
            )
        for caution in general_cautions(oil):
            blend.warnings.append(Warning("caution", oil.key, describe_caution(oil, caution)))
        if oil.limit_percent is None:
            blend.notes.append(
                f"{oil.name}: no published maximum dermal % was found; that is not a sign of "
                "safety."
            )
        if review.terms and not oil.constituents_complete:
            blend.warnings.append(no_data_warning(oil))
    blend.notes.insert(
        0,
        f"1 drop = {format_number(1 / blend.drops_per_ml)} mL "
        f"({format_number(blend.drops_per_ml)} drops per mL); dilution % = essential oil ÷ "
        "base oil × 100.",
    )
