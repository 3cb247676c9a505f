"""Who the blend is for: allergies, profiles and cautions turned into exclusions and warnings.

Shared by ``suggest`` and ``blend``. Absence of data is never safety: an allergy term that
matches nothing is reported, and so is an oil whose constituent data is incomplete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from blendcalc.catalog import Catalog, Caution, Oil, normalise
from blendcalc.errors import BadInput, UnknownName
from blendcalc.numbers import format_number, parse_number

# Warning kinds that make --strict exit 3 (SPEC section 2).
SAFETY_KINDS = frozenset(
    {"allergy", "capped", "phototoxic", "profile", "caution", "unknown-allergen", "high-dilution"}
)
# Tisserand Institute guidance as quoted by SCA (DATA.md): adults 2-3 %, short-term 3-10 %.
ADULT_USUAL_MAX_PERCENT = Fraction(3)
SHORT_TERM_MAX_PERCENT = Fraction(10)
PROFILE_KEYS = ("adult", "face", "sensitive", "elderly", "pregnancy", "child")
MAX_AGE = Fraction(120)

REMINDERS = (
    "Patch-test first: a little of the blend on the inner forearm, wait 24 hours.",
    "Do not massage with blood diseases or anticoagulants, damaged skin, an illness in its "
    "acute stage, tumours or lumps of unknown origin, bleeding, acute infections, fever, "
    "malignant neoplasms or tuberculosis (source article's contraindications).",
    "Stop if the person feels pain or discomfort.",
)
PREGNANCY_ADVICE = (
    "Pregnancy: light stroking only, no tapping or pressing, and only with the attending "
    "physician's consent (source article)."
)
SUN_WARNING = "no sun or sunbed on the treated skin for 12 hours"


@dataclass(frozen=True)
class Warning:
    """One thing that could make the answer unsafe for this person (a JSON ``warnings`` row)."""

    kind: str
    oil: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "oil": self.oil, "message": self.message}


@dataclass(frozen=True)
class Exclusion:
    key: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "reason": self.reason}


@dataclass(frozen=True)
class Profile:
    """A person's profile: the highest dilution it allows and the caution topics it raises."""

    key: str
    max_percent: Fraction | None  # None: the stated ratio alone decides
    basis: str  # where max_percent comes from
    topics: tuple[str, ...]
    age: Fraction | None = None

    @property
    def label(self) -> str:
        if self.key == "child" and self.age is not None:
            return f"child aged {format_number(self.age, 2)}"
        return self.key


def resolve_profile(key: str | None, age_text: str | None = None) -> Profile:
    """The profile for ``--profile`` (and ``--age`` for a child); adult when none is given."""
    chosen = normalise(key) if key else "adult"
    if chosen not in PROFILE_KEYS:
        import difflib

        suggestions = difflib.get_close_matches(chosen, PROFILE_KEYS, n=2, cutoff=0.5)
        raise UnknownName("profile", key or "", suggestions, f"accepted: {', '.join(PROFILE_KEYS)}")
    if age_text is not None and chosen != "child":
        raise BadInput(f"--age goes with --profile child, not --profile {chosen}")
    if chosen == "child":
        if age_text is None:
            raise BadInput("--profile child needs --age YEARS (e.g. --age 4, or --age 0.5)")
        age = parse_number(age_text, "--age")
        if not 0 < age <= MAX_AGE:
            raise BadInput(f"--age {age_text.strip()!r} must be more than 0 and at most 120 years")
        return _child_profile(age)
    return _ADULT_PROFILES[chosen]


_ADULT_PROFILES = {
    "adult": Profile("adult", None, "the stated ratio (source article)", ()),
    "face": Profile(
        "face",
        Fraction(1),
        "1 % for the face (clinical aromatherapist's guide, DATA.md; the Tisserand "
        "Institute allows up to 1.5 %: the more cautious figure is used)",
        ("face", "skin"),
    ),
    "sensitive": Profile(
        "sensitive",
        Fraction(1),
        "1 % for sensitive skin (clinical aromatherapist's guide, DATA.md)",
        ("skin", "sensitisation"),
    ),
    "elderly": Profile(
        "elderly",
        Fraction(1),
        "1 % for the elderly or ill (Tisserand Institute 0.5–1 %, DATA.md)",
        ("skin",),
    ),
    "pregnancy": Profile(
        "pregnancy",
        Fraction(1),
        "1 % in pregnancy (clinical aromatherapist's guide and secondary sources, DATA.md; "
        "no Tisserand & Young figure was found)",
        ("pregnancy",),
    ),
}


def _child_profile(age: Fraction) -> Profile:
    # Age bands of the Tisserand Institute, each at the lower of its maximum and the clinical
    # aromatherapist's guide (DATA.md): the more cautious source wins.
    if age < Fraction(1, 2):
        limit, basis = Fraction(0), "none under 6 months (clinical aromatherapist's guide)"
    elif age < 2:
        limit, basis = Fraction(1, 2), "0.5 % at 6–24 months (Tisserand Institute 0.25–0.5 %)"
    elif age < 6:
        limit, basis = (
            Fraction(1, 4),
            "0.25 % at 2–6 years (clinical aromatherapist's guide; Tisserand Institute 1–2 %)",
        )
    elif age < 15:
        limit, basis = Fraction(3), "3 % at 6–15 years (Tisserand Institute 1.5–3 %)"
    else:
        return Profile("child", None, "adult levels from 15 years (Tisserand Institute)", (), age)
    return Profile("child", limit, basis, ("children",), age)


def split_terms(values: Iterable[str]) -> list[str]:
    """``--allergy`` values, repeated or comma-separated, without blanks or repeats.

    At most 100 different terms of at most 100 characters each (BadInput beyond): each term
    is matched against the whole catalog, and thousands took seconds to answer.
    """
    most_terms, longest_term = 100, 100
    terms: list[str] = []
    seen: set[str] = set()  # normalised, in a set: 20,000 terms took 106 s with a list
    for value in values:
        for term in value.split(","):
            normal = normalise(term)
            if not normal or normal in seen:
                continue
            if len(normal) > longest_term:
                raise BadInput(
                    f"--allergy {term.strip()[:40]!r}... has {len(term.strip())} characters; "
                    f"accepted: terms of at most {longest_term} characters"
                )
            seen.add(normal)
            terms.append(term.strip())
            if len(terms) > most_terms:
                raise BadInput(
                    f"--allergy: more than {most_terms} different terms; accepted: at most "
                    f"{most_terms} (an oil, a family or a constituent each)"
                )
    return terms


@dataclass
class AllergyReview:
    """What each declared allergy term means for the catalog's oils."""

    reasons: dict[str, list[str]] = field(default_factory=dict)  # oil key -> why it matches
    unknown: list[Warning] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)

    def matches(self, oil: Oil) -> bool:
        return oil.key in self.reasons

    def reason(self, oil: Oil) -> str:
        return "; ".join(self.reasons.get(oil.key, []))


def review_allergies(terms: list[str], catalog: Catalog) -> AllergyReview:
    """Match each term to oils by name or alias, botanical family, or constituent."""
    review = AllergyReview(terms=terms)
    for term in terms:
        normal = normalise(term)
        matched = False
        for oil in catalog.oils.values():
            names = {normalise(name) for name in (oil.key, oil.name, *oil.aliases)}
            if normal in names:
                review.reasons.setdefault(oil.key, []).append(f"allergy to {oil.name} ({term})")
                matched = True
        for family in catalog.families.values():
            if normal in {normalise(name) for name in (family.name, *family.aliases)}:
                matched = True
                for oil in catalog.oils.values():
                    if oil.family == family.name:
                        review.reasons.setdefault(oil.key, []).append(
                            f"allergy to {term}: {oil.name} is of the {family.name} family"
                        )
        for constituent in catalog.constituents.values():
            if normal in {normalise(name) for name in (constituent.key, *constituent.aliases)}:
                matched = True
                for oil in catalog.oils.values():
                    for part in oil.constituents:
                        if part.name == constituent.key:
                            review.reasons.setdefault(oil.key, []).append(
                                f"allergy to {term}: {oil.name} contains {part.describe()}"
                            )
        if not matched:
            review.unknown.append(_unknown_allergen(term, catalog))
    return review


def _unknown_allergen(term: str, catalog: Catalog) -> Warning:
    import difflib

    names: list[str] = [*catalog.constituents, *catalog.families, *catalog.oils]
    for family in catalog.families.values():
        names.extend(family.aliases)
    for constituent in catalog.constituents.values():
        names.extend(constituent.aliases)
    close = difflib.get_close_matches(normalise(term), [normalise(n) for n in names], n=2)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return Warning(
        "unknown-allergen",
        None,
        f"The allergy {term!r} matches no oil, botanical family or constituent in the catalog, "
        f"so no oil was checked against it.{hint} Check every label yourself.",
    )


def no_data_warning(oil: Oil) -> Warning:
    return Warning(
        "no-data",
        oil.key,
        f"{oil.name}: its constituent data is incomplete, so it may contain an allergen the "
        "catalog does not list. Absence from this check is not safety.",
    )


@dataclass(frozen=True)
class ProfileCheck:
    """How a profile bears on one oil: leave it out, or keep it with warnings and a cap."""

    avoid: tuple[Caution, ...]
    warn: tuple[Caution, ...]
    max_percent: Fraction | None  # a lower maximum from a caution, if any


def check_profile(oil: Oil, profile: Profile) -> ProfileCheck:
    avoid: list[Caution] = []
    warn: list[Caution] = []
    caps: list[Fraction] = []
    for caution in oil.cautions:
        if caution.topic not in profile.topics:
            continue
        if caution.topic == "children":
            age = profile.age if profile.age is not None else Fraction(0)
            if caution.min_age_years is not None:
                if age < caution.min_age_years:
                    avoid.append(caution)
                continue
            if caution.age_below_years is not None and age >= caution.age_below_years:
                continue
        (avoid if caution.severity == "avoid" else warn).append(caution)
        if caution.max_percent is not None and caution.severity == "warn":
            caps.append(caution.max_percent)
    return ProfileCheck(tuple(avoid), tuple(warn), min(caps) if caps else None)


def general_cautions(oil: Oil) -> list[Caution]:
    """Cautions that concern anyone (epilepsy, anticoagulants, skin...), not one profile."""
    return [c for c in oil.cautions if c.topic not in {"pregnancy", "children"}]


def describe_caution(oil: Oil, caution: Caution) -> str:
    return f"{oil.name}: {caution.text} ({caution.source})"


def high_dilution_warning(percent: Fraction) -> Warning | None:
    """A warning when the whole blend is stronger than adult guidance allows (None otherwise)."""
    shown = format_number(percent, 2)
    if percent > SHORT_TERM_MAX_PERCENT:
        message = (
            f"{shown} % is above 10 %, the most the Tisserand Institute gives even for "
            "short-term use on adults (2-3 % for regular use)."
        )
    elif percent > ADULT_USUAL_MAX_PERCENT:
        message = (
            f"{shown} % is above the 2-3 % the Tisserand Institute gives for adults; 3-10 % is "
            "for short-term use only."
        )
    else:
        return None
    return Warning("high-dilution", None, message)
