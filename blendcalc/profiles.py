"""Who the blend is for (SPEC 4.2): each profile is a range of dilution, and one scheme of age
bands for children, so that a dose never falls as a child grows older.

A profile's range replaces the stated ratio's, bound by bound at the lower of the two: the
stated ratio is in drops, so at a larger drop count per mL the adult range shrinks in % and a
profile never passes it. Strengths pick inside the range as for adults.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from blendcalc.catalog import Caution, Oil, normalise
from blendcalc.errors import BadInput, UnknownName
from blendcalc.numbers import format_number, parse_number

PROFILE_KEYS = ("adult", "face", "sensitive", "elderly", "pregnancy", "child")
MAX_AGE = Fraction(120)
ADULT_AGE = Fraction(18)

# Said in the note of every child blend, so a practitioner sees why these bands and not others.
CHILD_SCHEME = (
    "child bands of the Tisserand Institute (6-24 months 0.25-0.5 %, 2-6 years 1-2 %, "
    "6-15 years 1.5-3 %), made cautious at both ends: none under 6 months, the last band run "
    "to 17 years (Safe Cosmetics Australia), adult levels from 18. Other published schemes "
    "differ (0.2 % up to 3 months and 0.5 % up to 2 years as maxima in Robert Tisserand's "
    "2014 interview; 0.25 % at 2-6 years; 1 % at 1-3 years) and are not mixed in: mixing "
    "them made doses fall with age"
)


@dataclass(frozen=True)
class Profile:
    """A person's profile: its own dilution range (None: the stated ratio) and caution topics."""

    key: str
    min_percent: Fraction | None  # None for adults: the stated ratio decides
    max_percent: Fraction | None
    basis: str  # where the range comes from, said in the answer
    topics: tuple[str, ...]
    age: Fraction | None = None

    @property
    def label(self) -> str:
        if self.key == "child" and self.age is not None:
            return f"child aged {format_number(self.age, 2)}"
        return self.key

    @property
    def allows_none(self) -> bool:
        """True for a baby under 6 months: no essential oil at all."""
        return self.max_percent == 0

    def describe_range(self) -> str:
        """The range in a few words, e.g. "0.5-1 % of the base oil" (the basis for adults)."""
        if self.min_percent is None or self.max_percent is None or self.allows_none:
            return self.basis
        low, high = format_number(self.min_percent, 2), format_number(self.max_percent, 2)
        return f"{low}-{high} % of the base oil"


def resolve_profile(key: str | None, age_text: str | None = None) -> Profile:
    """The profile for ``--profile`` (and ``--age`` for a child); adult when none is given."""
    if key is not None and not key.strip():
        raise BadInput(f"--profile is empty; accepted: {', '.join(PROFILE_KEYS)}")
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
        return child_profile(age)
    return _ADULT_PROFILES[chosen]


_ADULT_PROFILES = {
    "adult": Profile("adult", None, None, "the stated ratio", ()),
    "face": Profile(
        "face",
        Fraction(1, 5),
        Fraction(1),
        "Tisserand Institute 0.2-1.5 % for the face, its top lowered to a clinical "
        "aromatherapist's 1 %",
        ("face", "skin"),
    ),
    "sensitive": Profile(
        "sensitive",
        Fraction(1, 2),
        Fraction(1),
        "a clinical aromatherapist's 1 % for sensitive skin; the stated ratio scaled so its "
        "top is 1 %",
        ("skin", "sensitisation"),
    ),
    "elderly": Profile(
        "elderly",
        Fraction(1, 2),
        Fraction(1),
        "Tisserand Institute 0.5-1 % for the elderly or ill",
        ("skin",),
    ),
    "pregnancy": Profile(
        "pregnancy",
        Fraction(1, 2),
        Fraction(1),
        "secondary sources' 1 % in pregnancy (no Tisserand & Young figure was found); the "
        "stated ratio scaled so its top is 1 %",
        ("pregnancy",),
    ),
}


def child_profile(age: Fraction) -> Profile:
    """The child band for ``age`` years: one scheme whose bounds never fall as age rises."""
    topics = ("children",)
    if age < Fraction(1, 2):
        return Profile("child", Fraction(0), Fraction(0), "none under 6 months", ("children",), age)
    if age < 2:
        low, high, band = Fraction(1, 4), Fraction(1, 2), "6-24 months"
    elif age < 6:
        low, high, band = Fraction(1), Fraction(2), "2-6 years"
    elif age < ADULT_AGE:
        low, high, band = Fraction(3, 2), Fraction(3), "6-17 years"
    else:
        return Profile("child", None, None, "adult levels from 18 years", (), age)
    return Profile("child", low, high, f"Tisserand Institute band for {band}", topics, age)


def profile_range(
    profile: Profile, adult: tuple[Fraction, Fraction], base_ml: Fraction, drops_per_ml: Fraction
) -> tuple[Fraction, Fraction]:
    """The exact range in drops: the profile's own, bound by bound no higher than ``adult``."""
    if profile.min_percent is None or profile.max_percent is None:
        return adult
    per_percent = drops_per_ml * base_ml / 100
    return (
        min(profile.min_percent * per_percent, adult[0]),
        min(profile.max_percent * per_percent, adult[1]),
    )


@dataclass(frozen=True)
class ProfileCheck:
    """How a profile bears on one oil: leave it out, or keep it with warnings and a cap."""

    avoid: tuple[Caution, ...]
    warn: tuple[Caution, ...]
    max_percent: Fraction | None  # a lower maximum from a caution, if any


def check_profile(oil: Oil, profile: Profile) -> ProfileCheck:
    """The oil's cautions that concern this profile (and, for a child, this age)."""
    avoid: list[Caution] = []
    warn: list[Caution] = []
    caps: list[Fraction] = []
    for caution in oil.cautions:
        if caution.topic not in profile.topics:
            continue
        if caution.topic == "children":
            age = profile.age if profile.age is not None else Fraction(0)
            if caution.min_age_years is not None:
                # "Not under this age" always excludes a younger child, whatever the severity.
                if age < caution.min_age_years:
                    avoid.append(caution)
                continue
            if caution.age_below_years is not None and age >= caution.age_below_years:
                continue
        (avoid if caution.severity == "avoid" else warn).append(caution)
        if caution.max_percent is not None and caution.severity == "warn":
            caps.append(caution.max_percent)
    return ProfileCheck(tuple(avoid), tuple(warn), min(caps) if caps else None)
