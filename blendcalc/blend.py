"""A blend, step by step: the range for this person, the oils left after exclusions, the
total, the whole drops under every limit, then what could still make it unsafe.

The rules live elsewhere, each in one place: :mod:`blendcalc.ranges` (the stated ratio and the
10 % limit), :mod:`blendcalc.profiles` (who the blend is for), :mod:`blendcalc.safety`
(allergies and exclusions, shared with ``suggest``) and :mod:`blendcalc.share` (parts to whole
drops under each oil's maximum and the phototoxic sum). This module only puts them in order.
Everything is exact (:class:`fractions.Fraction`) from the user's text to the whole drops.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from blendcalc.base_review import (
    BaseCheck,
    BaseVerdict,
    allergy_terms,
    check_base,
    compatible_sentence,
    review_bases,
    suitable_bases,
)
from blendcalc.catalog import Catalog, Caution, Oil
from blendcalc.errors import BadInput, UnknownName
from blendcalc.numbers import MAX_DROPS, format_number, parse_number, to_json_number
from blendcalc.profiles import CHILD_SCHEME, Profile, check_profile, profile_range, resolve_profile
from blendcalc.ranges import (
    DEFAULT_RATIO,
    Ratio,
    check_drops_limit,
    check_ratio_limit,
    parse_dilution,
    parse_ratio,
    whole_drop_range,
)
from blendcalc.safety import (
    PREGNANCY_ADVICE,
    REMINDERS,
    SAFETY_KINDS,
    SUN_WARNING,
    AllergyReview,
    Exclusion,
    Warning,
    describe_caution,
    exclusion_reason,
    general_cautions,
    high_dilution_warning,
    keeping_cautions,
    name_list,
    no_data_warning,
    review_allergies,
    user_override_warning,
)
from blendcalc.share import OilLimits, Shared, phototoxic_load, share_drops
from blendcalc.units import (
    DEFAULT_DROPS_PER_ML,
    FLUID_OUNCE_NOTE,
    Volume,
    is_fluid_ounce,
    parse_drops_per_ml,
    parse_volume,
)

__all__ = ["Blend", "BlendOil", "compute_blend", "parse_oil_spec", "parse_ratio"]

STRENGTHS = ("gentle", "standard", "strong")
DEFAULT_COUNT = 3


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


@dataclass(frozen=True)
class Lowered:
    """A total lowered below what was asked, and why (never reported as "as asked")."""

    asked: int
    reason: str

    def describe(self, total: int) -> str:
        return f"lowered from {self.asked} to {drops_text(total)} ({self.reason})"


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
    keep_proportions: bool = False
    explicit_total: bool = False  # --drops or --dilution, not a strength within the range
    lowered: Lowered | None = None
    phototoxic_load: Fraction | None = None  # 1 = the combined limit; None: no phototoxic oil
    base_oil: BaseCheck | None = None  # --base: the base oil and what the allergies say of it
    compatible_bases: list[str] | None = None  # with allergies: the bases none of them matches
    excluded: list[Exclusion] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reminders: list[str] = field(default_factory=lambda: list(REMINDERS))
    purpose: str | None = None
    units: str = "metric"  # what tsp, tbsp and cup meant: metric or us (SPEC section 10)

    @property
    def possible(self) -> bool:
        """False when nothing can be made: no oil left, not one whole drop, or an allergy
        rules out the base oil."""
        ruled_out = self.base_oil is not None and self.base_oil.ruled_out
        return self.total_drops > 0 and bool(self.oils) and not ruled_out

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

    @property
    def target_text(self) -> str:
        """How the total was chosen, and any lowering with its reason."""
        if self.lowered is None:
            return self.target
        return f"{self.target}; {self.lowered.describe(self.total_drops)}"

    def to_dict(self) -> dict[str, Any]:
        low, high = self.whole_range
        load = self.phototoxic_load
        return {
            "base": {
                "input": self.base.text,
                "ml": to_json_number(self.base.ml, 4),
                **(
                    self.base_oil.to_dict()
                    if self.base_oil
                    else {"key": None, "name": None, "allergens": []}
                ),
            },
            "compatible_bases": self.compatible_bases,
            "units": self.units,
            "drops_per_ml": to_json_number(self.drops_per_ml),
            "drop_ml": to_json_number(1 / self.drops_per_ml, 6),
            "range": {
                "min_drops": low,
                "max_drops": high,
                "exact_min": to_json_number(self.exact_range[0], 4),
                "exact_max": to_json_number(self.exact_range[1], 4),
                "rule": self.ratio.text,
                "basis": self.profile.describe_range(),
            },
            "profile": self.profile.key,
            "purpose": self.purpose,
            "target": self.target,
            "lowered": None
            if self.lowered is None
            else {
                "from": self.lowered.asked,
                "to": self.total_drops,
                "reason": self.lowered.reason,
            },
            "keep_proportions": self.keep_proportions,
            "total_drops": self.total_drops,
            "dilution_percent": to_json_number(self.dilution_percent, 3),
            "finished_blend_percent": to_json_number(self.finished_percent, 3),
            "phototoxic_load_percent": None if load is None else to_json_number(load * 100, 2),
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
    keep_proportions: bool = False,
    base_oil: str | None = None,
    units: str = "metric",
) -> Blend:
    """Compute a blend for ``volume`` of base oil.

    Name ``oils`` (``NAME`` or ``NAME:PARTS``) or give a ``purpose`` (``count`` oils, default
    3). Oils that a declared allergy, or an ``avoid`` caution for the profile or age, rules out
    are left out either way and listed in ``excluded``. The total is ``drops``, or ``dilution``
    percent rounded down, or the ``strength`` (gentle: the range's minimum, standard: its
    middle rounded down, strong: its maximum) of the range: the ``ratio``'s (default 5-10
    drops per 15 mL) for adults, the profile's own otherwise (SPEC 4.2). No oil passes its
    maximum and phototoxic oils together stay within their combined limit; the other oils take
    the surplus, or with ``keep_proportions`` the total is lowered instead. ``base_oil`` names
    the base (carrier) oil: an allergy that rules it out makes the blend impossible, and with
    allergies the bases that none of them matches are listed either way. ``units`` says what
    tsp, tbsp and cup mean in ``volume`` and ``ratio`` (metric or us).

    Raises :class:`~blendcalc.errors.BadInput` for unusable input (including any total above
    the 10 % short-term maximum); a blend that cannot be made comes back with ``possible``
    false and a warning saying why.
    """
    drop_size = (
        drops_per_ml if isinstance(drops_per_ml, Fraction) else parse_drops_per_ml(drops_per_ml)
    )
    base = volume if isinstance(volume, Volume) else parse_volume(volume, drop_size, units)
    chosen_ratio = parse_ratio(ratio, units) if isinstance(ratio, str) else (ratio or DEFAULT_RATIO)
    check_ratio_limit(chosen_ratio, drop_size)
    targets = [name for name, value in (("--drops", drops), ("--dilution", dilution),
               ("--strength", strength)) if value is not None]  # fmt: skip
    if len(targets) > 1:
        raise BadInput(
            f"give one of --drops, --dilution or --strength, not {' and '.join(targets)}"
        )
    if strength is not None and strength not in STRENGTHS:
        raise BadInput(f"--strength {strength!r} is not known; accepted: {', '.join(STRENGTHS)}")
    if drops is not None:
        if not 1 <= drops <= MAX_DROPS:
            raise BadInput(f"--drops {drops} is out of range; accepted: 1 to {MAX_DROPS}")
        check_drops_limit(drops, base.ml, drop_size)
    dilution_value = parse_dilution(dilution) if dilution is not None else None
    person = resolve_profile(profile, age)
    if oils and purpose is not None:
        raise BadInput("name oils or give --purpose, not both")
    if not oils and purpose is None:
        raise BadInput("name at least one oil (e.g. lavender:2 peppermint) or give --purpose P")
    if count is not None and not oils and not 1 <= count <= 20:
        raise BadInput(f"--count {count} is out of range; accepted: 1 to 20")

    terms = allergy_terms(catalog, allergies)
    review = review_allergies(terms, catalog)
    exact = profile_range(person, chosen_ratio.exact_range(base.ml), base.ml, drop_size)
    blend = Blend(
        base=base,
        drops_per_ml=drop_size,
        ratio=chosen_ratio,
        profile=person,
        exact_range=exact,
        whole_range=whole_drop_range(*exact),
        target="",
        total_drops=0,
        oils=[],
        keep_proportions=keep_proportions,
        units=units,
    )
    if base.unit is not None and is_fluid_ounce(base.unit):
        blend.notes.append(f"{FLUID_OUNCE_NOTE}.")
    blend.warnings.extend(review.unknown)
    if base_oil is not None:
        blend.base_oil = check_base(catalog, base_oil, terms)
        blend.compatible_bases = list(blend.base_oil.compatible_bases)
        blend.warnings.extend(blend.base_oil.warnings)
        blend.notes.extend(blend.base_oil.notes)
    elif terms:
        verdicts = review_bases(catalog, terms)
        blend.compatible_bases = suitable_bases(verdicts)
        # Which base oils suit the person is worth a line only when an allergy rules some out
        # (nuts, sesame, a base); for a linalool allergy it would name every base: noise.
        if len(blend.compatible_bases) < len(catalog.bases):
            blend.notes.append(_bases_sentence(verdicts, terms, blend.compatible_bases))
    chosen = _choose_oils(blend, catalog, oils, purpose, count, review)
    _choose_total(blend, drops, dilution_value, strength or "standard")
    base_ruled_out = blend.base_oil is not None and blend.base_oil.ruled_out
    if chosen and blend.total_drops > 0 and not base_ruled_out:
        _share(blend, chosen)
    elif blend.total_drops > 0:
        blend.total_drops = 0  # nothing left to carry the drops, or no base to carry them in
    _review(blend, review)
    _sun_free_grades(blend, catalog)
    _family_notes(blend, review)
    return blend


def _choose_oils(
    blend: Blend,
    catalog: Catalog,
    specs: Sequence[str],
    purpose_name: str | None,
    count: int | None,
    review: AllergyReview,
) -> list[tuple[Oil, Fraction]]:
    """The oils to blend, with parts; every oil ruled out goes to ``blend.excluded`` first."""
    if purpose_name is not None:
        from blendcalc.suggest import suggest_oils

        purpose = catalog.find_purpose(purpose_name)
        blend.purpose = purpose.key
        suggestion = suggest_oils(
            catalog, purpose, review.terms, blend.profile, count or DEFAULT_COUNT, review
        )
        blend.excluded.extend(suggestion.excluded)
        chosen = [(oil, Fraction(1)) for oil in suggestion.oils]
        what = f"for {purpose.name}"
        asked = count or DEFAULT_COUNT
        if 0 < len(chosen) < asked:
            blend.notes.append(
                f"Only {len(chosen)} of the {asked} oils asked for suit {purpose.name} for this "
                "person after the exclusions above."
            )
    else:
        chosen = []
        for spec in specs:
            name, parts = parse_oil_spec(spec)
            try:
                oil = catalog.find_oil(name)
            except UnknownName:
                _unquoted_volume(name)
                raise
            if any(oil is other for other, _ in chosen) or any(
                oil.key == item.key for item in blend.excluded
            ):
                raise BadInput(
                    f"{oil.key} is named twice; give it once, with parts (e.g. {oil.key}:2)"
                )
            reason = exclusion_reason(oil, review, blend.profile)
            if reason is None:
                chosen.append((oil, parts))
            else:
                blend.excluded.append(Exclusion(oil.key, reason))
        what = "named"
    if not chosen:
        if blend.profile.allows_none:
            message = (
                f"No essential oil for a {blend.profile.label}: not for babies under 6 months."
            )
        else:
            message = f"No oil {what} is left after the exclusions: nothing to blend."
        blend.warnings.append(Warning("no-oil-left", None, message))
    return chosen


def _choose_total(
    blend: Blend, drops: int | None, dilution: Fraction | None, strength: str
) -> None:
    base_ml, per_ml = blend.base.ml, blend.drops_per_ml
    low, high = blend.exact_range
    whole_low, whole_high = blend.whole_range
    if blend.profile.allows_none:
        blend.target = blend.profile.basis
        return
    blend.explicit_total = drops is not None or dilution is not None
    if drops is not None:
        total, blend.target = drops, "--drops"
    elif dilution is not None:
        total = math.floor(dilution / 100 * per_ml * base_ml)
        blend.target = f"--dilution {format_number(dilution)} %, rounded down"
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
                    f"No whole number of drops lies within the range for this volume "
                    f"({format_number(low, 2)}–{format_number(high, 2)} drops); "
                    f"{drops_text(whole_high)} (its maximum rounded down) is used.",
                )
            )
        elif strength == "gentle":
            total = whole_low
        elif strength == "strong":
            total = whole_high
        else:
            total = min(max(math.floor((low + high) / 2), whole_low), whole_high)
    if blend.profile.max_percent is not None and total > whole_high:
        blend.lowered = Lowered(
            total, f"the {blend.profile.label} maximum, {blend.profile.describe_range()}"
        )
        total = max(whole_high, 0)
    if total < 1:
        # Drops per mL of base oil at the setting asked (the range's maximum by default).
        rate = dilution / 100 * per_ml if dilution is not None and not blend.lowered else None
        rate = rate or high / base_ml
        blend.warnings.append(
            Warning(
                "too-small",
                None,
                f"Less than 1 drop: use at least {format_number(1 / rate, 2)} mL of base oil "
                "for one whole drop at this setting.",
            )
        )
        total = 0
    blend.total_drops = total


def _oil_limit(oil: Oil, profile: Profile) -> Fraction | None:
    """The lowest maximum % that applies to this oil for this person (None: none published)."""
    limits = [
        limit
        for limit in (oil.limit_percent, check_profile(oil, profile).max_percent)
        if limit is not None
    ]
    return min(limits) if limits else None


def _share(blend: Blend, chosen: list[tuple[Oil, Fraction]]) -> None:
    base_ml, per_ml = blend.base.ml, blend.drops_per_ml
    per_percent = per_ml * base_ml / 100
    limits: list[OilLimits] = []
    percents: list[Fraction | None] = []
    for oil, _ in chosen:
        limit = _oil_limit(oil, blend.profile)
        photo = oil.phototoxic_limit_percent if oil.phototoxic else None
        percents.append(limit)
        limits.append(
            OilLimits(
                cap=None if limit is None else math.floor(limit * per_percent),
                phototoxic=photo * per_percent if photo else None,
            )
        )
    parts = [parts for _, parts in chosen]
    asked = blend.total_drops
    shared = share_drops(asked, parts, limits, keep_proportions=blend.keep_proportions)
    for index, ((oil, oil_parts), count, limit) in enumerate(
        zip(chosen, shared.drops, percents, strict=True)
    ):
        if count == 0:
            why = (
                f"its maximum of {format_number(limit, 2)} % is less than one whole drop in "
                f"{format_number(blend.base.ml, 2)} mL"
                if index in shared.held and limit is not None
                else "it gets no whole drop at this volume and setting"
            )
            blend.warnings.append(
                Warning("too-small", oil.key, f"{oil.name}: {why}; it is left out.")
            )
            continue
        blend.oils.append(
            BlendOil(oil, oil_parts, count, limit, count / per_ml, count / per_ml / base_ml * 100)
        )
    if any(limit.phototoxic for limit in limits):
        blend.phototoxic_load = phototoxic_load(shared.drops, limits)
    _say_what_limits_did(blend, chosen, percents, shared, asked)
    if shared.total < asked:
        if blend.lowered is None:
            blend.lowered = Lowered(asked, _why_lowered(blend, shared))
        blend.total_drops = shared.total


def _why_lowered(blend: Blend, shared: Shared) -> str:
    limits = []
    if shared.held:
        limits.append("the oils' own maxima")
    if shared.phototoxic_lowered is not None:
        limits.append("the phototoxic oils' combined limit")
    what = " and ".join(limits) or "the oils' limits in whole drops"
    if blend.keep_proportions:
        return f"--keep-proportions: the parts kept within {what}"
    return f"no more fits within {what}"


def _say_what_limits_did(
    blend: Blend,
    chosen: list[tuple[Oil, Fraction]],
    percents: list[Fraction | None],
    shared: Shared,
    asked: int,
) -> None:
    """The ``capped`` and combined ``phototoxic`` warnings: what was held, and how the
    proportions or the total changed as a result."""
    asked_parts = " : ".join(format_number(parts, 2) for _, parts in chosen)
    now = " : ".join(
        f"{oil.key} {count}" for (oil, _), count in zip(chosen, shared.drops, strict=True)
    )
    base = format_number(blend.base.ml, 2)
    for index in sorted(shared.held):
        if shared.drops[index] == 0:  # left out: its too-small warning says why
            continue
        oil, limit = chosen[index][0], percents[index]
        assert limit is not None  # only an oil with a maximum can be held at it
        held = (
            f"{oil.name} is held at its maximum of {format_number(limit, 2)} % "
            f"({drops_text(shared.drops[index])} in {base} mL)"
        )
        if blend.keep_proportions:
            message = (
                f"{held}; to keep the parts ({asked_parts}) the total is lowered from "
                f"{asked} to {shared.total} drops."
            )
        elif shared.total < asked:
            message = f"{held}; no other oil can take the surplus, so the total is lowered."
        elif len(chosen) > 1:
            message = (
                f"{held}; the proportions changed: now {now} drops instead of parts "
                f"{asked_parts}. --keep-proportions keeps the parts by lowering the total."
            )
        else:
            message = f"{held}."
        blend.warnings.append(Warning("capped", oil.key, message))
    if shared.phototoxic_lowered is not None:
        names = ", ".join(oil.name for oil, _ in chosen if oil.phototoxic)
        others = any(not oil.phototoxic for oil, _ in chosen)
        after = (
            "the other oils take the surplus where their maxima allow"
            if others and not blend.keep_proportions
            else "the total is lowered"
        )
        blend.warnings.append(
            Warning(
                "phototoxic",
                None,
                f"Phototoxic effects add up: together {names} would reach "
                f"{format_number(shared.phototoxic_lowered * 100, 0)} % of the phototoxic limit "
                "(IFRA: each oil's share of its own limit, summed, may not pass 100 %). They "
                "are lowered together, in the proportions of their parts as near as whole drops "
                f"allow, and {after}.",
            )
        )


def _unquoted_volume(name: str) -> None:
    """``blendcalc blend 2 tbsp lavender`` reads "tbsp" as an oil: say to quote the volume."""
    from blendcalc.units import parse_unit

    try:
        parse_unit(name)
    except BadInput:
        return
    raise BadInput(
        f"{name!r} is a unit, not an oil: quote the volume with its unit, e.g. "
        f"blendcalc blend '2 {name}' lavender"
    )


def _bases_sentence(
    verdicts: Sequence[BaseVerdict], terms: Sequence[str], compatible: Sequence[str]
) -> str:
    """Without --base, which base oils the declared allergies rule out, which need care, and
    which are clear: the base most therapists reach for (almond) must be named when it is out."""
    out = [item.base.key for item in verdicts if item.verdict == "avoid"]
    care = [item.base.key for item in verdicts if item.verdict == "warn"]
    said = []
    if out:
        said.append(f"Base oils ruled out by the declared allergies: {', '.join(out)}.")
    if care:
        asked = ",".join(terms)
        said.append(f"With care: {', '.join(care)} (why: blendcalc bases --allergy '{asked}').")
    return " ".join([*said, compatible_sentence(compatible)])


def _sun_free_grades(blend: Blend, catalog: Catalog) -> None:
    """For each phototoxic oil of the blend, the catalog's grade of the same plant that is not
    phototoxic (bergamot FCF for bergamot, distilled lemon for lemon): for a client who will be
    in the sun, the same oil without the 12-hour wait."""
    swaps = []
    for item in blend.oils:
        if not item.oil.phototoxic:
            continue
        grades = [
            other.key
            for other in catalog.oils.values()
            if other.latin == item.oil.latin and not other.phototoxic and other.key != item.oil.key
        ]
        if grades:
            swaps.append(f"{' or '.join(grades)} for {item.oil.key}")
    if swaps:
        blend.notes.append(
            f"Not phototoxic, for a client going into the sun: {'; '.join(swaps)} (the same "
            "plant, another grade)."
        )


def _family_notes(blend: Blend, review: AllergyReview) -> None:
    """A family allergy leaves out the family's oils, not the constituents they share with
    oils of other families: say so, so that a reaction to, say, the limonene of citrus peel
    oils is declared as such."""
    for term, family in review.family_terms.items():
        blend.notes.append(
            f"'{term}' is read as the {family} family: its oils are left out, but not oils of "
            "other families that share its constituents; if the reaction was to one of them, "
            "name it too (e.g. --allergy limonene)."
        )


def _fresh_oil_reminders(fresh: Mapping[str, list[tuple[Oil, Caution]]]) -> list[str]:
    """The oils' oxidation cautions (:func:`~blendcalc.safety.keeping_cautions`) as reminders,
    one per source."""
    reminders = []
    for source, cautions in fresh.items():
        if len(cautions) == 1 and not cautions[0][1].text.startswith("Use fresh oil"):
            oil, caution = cautions[0]  # its own words (tea tree: "a much stronger sensitiser")
            reminders.append(f"{oil.name}: {caution.text} ({source})")
        else:
            listed = name_list([oil.name for oil, _ in cautions])
            reminders.append(
                f"Use fresh oil of {listed}: oxidised (old or air-exposed) oil is a frequent "
                f"contact allergen ({source})."
            )
    return reminders


def _review(blend: Blend, review: AllergyReview) -> None:
    """Add what could make this blend unsafe for this person, once per oil."""
    if blend.profile.key == "pregnancy":
        blend.warnings.append(Warning("profile", None, PREGNANCY_ADVICE))
    if blend.profile.min_percent is not None and not blend.profile.allows_none:
        adult_low, adult_high = whole_drop_range(*blend.ratio.exact_range(blend.base.ml))
        note = (
            f"Range for the {blend.profile.label} profile: {blend.profile.describe_range()} "
            f"({blend.profile.basis}); "
            f"never above the stated ratio ({blend.ratio.text}: {adult_low}-{adult_high} drops "
            "here)."
        )
        if blend.profile.key == "child":
            note += f" Basis: {CHILD_SCHEME}."
        blend.notes.append(note)
    elif blend.profile.key == "child" and blend.profile.max_percent is None:
        blend.notes.append(f"Child profile: {blend.profile.basis}.")
    low, high = blend.exact_range
    if blend.explicit_total and blend.possible and not low <= blend.total_drops <= high:
        blend.warnings.append(
            Warning(
                "outside-ratio",
                None,
                f"{drops_text(blend.total_drops)} in {format_number(blend.base.ml)} mL is "
                f"outside the range for this volume ({blend.ratio.text}"
                + ("" if blend.profile.min_percent is None else f", {blend.profile.label}")
                + f": {format_number(low, 2)}–{format_number(high, 2)} drops).",
            )
        )
    strong = high_dilution_warning(blend.dilution_percent) if blend.possible else None
    if strong:
        blend.warnings.append(strong)
    fresh: dict[str, list[tuple[Oil, Caution]]] = {}
    for item in blend.oils:
        oil = item.oil
        if oil.loosened:
            blend.warnings.append(user_override_warning(oil))
        for caution in check_profile(oil, blend.profile).warn:
            blend.warnings.append(Warning("profile", oil.key, describe_caution(oil, caution)))
        if oil.phototoxic:
            blend.warnings.append(
                Warning(
                    "phototoxic",
                    oil.key,
                    f"{oil.name} is phototoxic: {SUN_WARNING} (at most "
                    f"{format_number(oil.phototoxic_limit_percent or Fraction(0), 2)} % alone, "
                    f"{oil.phototoxic_source}).",
                )
            )
        for caution in general_cautions(oil):
            blend.warnings.append(Warning("caution", oil.key, describe_caution(oil, caution)))
        for caution in keeping_cautions(oil):
            fresh.setdefault(caution.source, []).append((oil, caution))
        if oil.limit_percent is None:
            blend.notes.append(
                f"{oil.name}: no published maximum dermal % was found; that is not a sign of "
                "safety."
            )
        if review.lacks_data(oil):
            blend.warnings.append(no_data_warning(oil, review))
    blend.reminders.extend(_fresh_oil_reminders(fresh))
    from_user = sorted({item.oil.origin for item in blend.oils if item.oil.origin != "shipped"})
    for path in from_user:
        keys = ", ".join(item.oil.key for item in blend.oils if item.oil.origin == path)
        blend.notes.append(f"From your catalog {path}: {keys}.")
    blend.notes.insert(
        0,
        f"1 drop = {format_number(1 / blend.drops_per_ml)} mL "
        f"({format_number(blend.drops_per_ml)} drops per mL); dilution % = essential oil ÷ "
        "base oil × 100.",
    )
