"""Who the blend is for: allergies, profiles and cautions turned into exclusions and warnings.

Shared by ``suggest`` and ``blend``. Absence of data is never safety: an allergy term that
matches nothing is reported, and so is an oil whose constituent data is incomplete.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from blendcalc.catalog import Catalog, Caution, Oil, normalise
from blendcalc.errors import BadInput, UnknownName
from blendcalc.numbers import format_number
from blendcalc.profiles import Profile, check_profile

# Warning kinds that make --strict exit 3 (SPEC section 2). An oil that matches a declared
# allergy is left out, never kept with a warning, so "allergy" is no longer a warning kind.
SAFETY_KINDS = frozenset(
    {
        "capped",
        "phototoxic",
        "profile",
        "caution",
        "unknown-allergen",
        "high-dilution",
        "user-override",
        "base-allergy",
    }
)
# Tisserand Institute guidance as quoted by SCA (DATA.md): adults 2-3 %, short-term 3-10 %.
ADULT_USUAL_MAX_PERCENT = Fraction(3)

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


def split_terms(values: Iterable[str], catalog: Catalog | None = None) -> list[str]:
    """``--allergy`` values, repeated or comma-separated, without blanks or repeats. A value that
    the catalog knows whole (``1,8-cineole``) is kept whole: split, it would match nothing.

    At most 100 different terms of at most 100 characters each (BadInput beyond): each term
    is matched against the whole catalog, and thousands took seconds to answer.
    """
    most_terms, longest_term = 100, 100
    known = allergy_names(catalog) if catalog is not None else set()
    terms: dict[str, str] = {}  # normalised -> as typed; a dict keeps this linear
    for value in values:
        for typed in [value] if normalise(value) in known else value.split(","):
            term = core_term(typed, known) if len(typed) <= longest_term else typed
            normal = normalise(term)
            if not normal or normal in terms:
                continue
            if len(normal) > longest_term:
                raise BadInput(
                    f"--allergy {term.strip()[:40]!r}... has {len(term.strip())} characters; "
                    f"accepted: terms of at most {longest_term} characters"
                )
            terms[normal] = term.strip()
            if len(terms) > most_terms:
                raise BadInput(
                    f"--allergy: more than {most_terms} different terms; accepted: at most "
                    f"{most_terms} (an oil, a family, a constituent or an allergen class each)"
                )
    return list(terms.values())


# How people write an allergy around its name: "peanut allergy", "allergic to walnuts".
_ALLERGY_WORDS = re.compile(
    r"^(?:an?\s+)?(?:(?:allerg(?:y|ies|ic)|sensitivity|sensitive|reaction)\s+(?:to\s+)?)?"
    r"(?P<core>.*?)"
    r"(?:\s+(?:allerg(?:y|ies|ic)|sensitivity))?$",
    re.IGNORECASE,
)


# A last word that says which part of a known allergen reacted, not another allergen.
_QUALIFIERS = frozenset(
    [
        "pollen",
        "pollens",
        "oil",
        "oils",
        "fruit",
        "fruits",
        "seed",
        "seeds",
        "peel",
        "peels",
        "juice",
        "flower",
        "flowers",
        "plant",
        "plants",
        "family",
        "products",
        "butter",
    ]
)


def core_term(term: str, known: set[str]) -> str:
    """The allergy a term names, when the catalog knows it only without the words around it:
    "peanut allergy" -> "peanut", "allergic to walnuts" -> "walnut", "citrus fruits" ->
    "citrus fruit", "ragweed pollen" -> "ragweed". A term the catalog knows as typed, or whose
    core it does not know, is kept as typed (and is then reported as unknown, never dropped)."""
    stripped = term.strip()
    if not known or normalise(stripped) in known:
        return stripped
    match = _ALLERGY_WORDS.match(stripped)
    core = match["core"].strip() if match else stripped
    words = core.split()
    if len(words) > 1 and words[-1].lower() in _QUALIFIERS:  # "ragweed pollen" -> "ragweed"
        core = " ".join(words[:-1])
    plurals = (
        core[:-1] if core.endswith("s") else core + "s",
        core[:-2] if core.endswith("es") else "",
    )
    for candidate in (core, *plurals):
        if candidate and normalise(candidate) in known:
            return candidate
    return stripped


def allergy_names(catalog: Catalog) -> set[str]:
    """Every name an allergy term can match, normalised: oils, families, constituents, base
    oils and their allergen classes."""
    names: list[str] = []
    for allergen in catalog.allergen_classes.values():
        names += [allergen.key, allergen.name, *allergen.aliases]
    for family in catalog.families.values():
        names += [family.name, *family.aliases]
    for base in catalog.bases.values():
        names += [base.key, base.name, *base.aliases]
    for oil in catalog.oils.values():
        names += [oil.key, oil.name, *oil.aliases]
    for entry in catalog.ambiguous.values():
        names += [entry.key, *entry.aliases]
    for constituent in catalog.constituents.values():
        names += [constituent.key, *constituent.aliases]
    return {normalise(name) for name in names}


@dataclass
class AllergyReview:
    """What each declared allergy term means for the catalog's oils."""

    reasons: dict[str, list[str]] = field(default_factory=dict)  # oil key -> why it matches
    unknown: list[Warning] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    # The terms that name a constituent ("linalool", "citral"): the no-data warning names them.
    constituent_terms: list[str] = field(default_factory=list)
    # The terms read as a botanical family ("citrus"), with the family's name.
    family_terms: dict[str, str] = field(default_factory=dict)

    def lacks_data(self, oil: Oil) -> bool:
        """Whether an allergy answer for this oil must carry the no-data warning: allergies
        were declared and its constituent list was not checked against every EU entry."""
        return bool(self.terms) and not oil.constituents_complete

    def matches(self, oil: Oil) -> bool:
        return oil.key in self.reasons

    def reason(self, oil: Oil) -> str:
        return "; ".join(self.reasons.get(oil.key, []))


def review_allergies(terms: list[str], catalog: Catalog) -> AllergyReview:
    """Match each term to oils by name or alias, botanical family, or constituent."""
    from blendcalc.base_review import names_base_allergen

    review = AllergyReview(terms=terms)
    for term in terms:
        normal = normalise(term)
        matched = False
        # An oil's own name, or an ambiguous one ("sage", "chamomile") for every oil it may mean.
        for oil in catalog.oils_named(term):
            review.reasons.setdefault(oil.key, []).append(f"allergy to {oil.name} ({term})")
            matched = True
        for family in catalog.families.values():
            if normal in {normalise(name) for name in (family.name, *family.aliases)}:
                matched = True
                review.family_terms[term] = family.name
                for oil in catalog.oils.values():
                    if oil.family == family.name:
                        review.reasons.setdefault(oil.key, []).append(
                            f"allergy to {term}: {oil.name} is of the {family.name} family"
                        )
        for constituent in catalog.constituents.values():
            if normal in {normalise(name) for name in (constituent.key, *constituent.aliases)}:
                matched = True
                review.constituent_terms.append(term)
                # A patch-test mix is an allergy to each of its members.
                wanted = set(constituent.members or (constituent.key,))
                for oil in catalog.oils.values():
                    held = [part.describe() for part in oil.constituents if part.name in wanted]
                    if held:
                        review.reasons.setdefault(oil.key, []).append(
                            f"allergy to {term}: {oil.name} contains {', '.join(held)}"
                        )
        if not matched and not names_base_allergen(catalog, term):  # "tree nut": bases only
            review.unknown.append(_unknown_allergen(term, catalog))
    return review


def near_allergy_names(catalog: Catalog, term: str, *, cutoff: float) -> list[str]:
    """The (at most two) names the catalog knows that ``term`` nearly spells."""
    import difflib

    known = sorted(allergy_names(catalog))
    return difflib.get_close_matches(normalise(term), known, n=2, cutoff=cutoff)


def shown_term(term: str) -> str:
    """A term as an error line quotes it: at most 40 characters."""
    term = term.strip()
    return term if len(term) <= 40 else term[:39] + "…"


def _unknown_allergen(term: str, catalog: Catalog) -> Warning:
    """The warning for a term that names nothing in the catalog ("kiwi"). A term that is
    nearly a name the catalog knows ("lavander", "tre nut") is a typing slip, not another
    allergy: it is bad input, so that the answer is never computed without it."""
    import difflib

    slips = near_allergy_names(catalog, term, cutoff=0.8)
    if slips:
        raise UnknownName(
            "allergy",
            shown_term(term),
            slips,
            "no oil was checked against it: give the name as the catalog spells it",
        )
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
        f"The allergy {term!r} matches no oil, botanical family, constituent, base oil or "
        f"allergen class in the catalog, so nothing (no oil and no base) was checked against "
        f"it.{hint} Check every label yourself.",
    )


def no_data_warning(oil: Oil, review: AllergyReview) -> Warning:
    named = ", ".join(dict.fromkeys(review.constituent_terms))
    what = f"{named} or another allergen" if named else "an allergen"
    return Warning(
        "no-data",
        oil.key,
        f"{oil.name}: its constituent data is incomplete, so it may contain {what} the "
        "catalog does not list. Absence from this check is not safety.",
    )


def exclusion_reason(oil: Oil, review: AllergyReview, profile: Profile) -> str | None:
    """Why this oil must be left out for this person, or None: a declared allergy, or a caution
    of severity ``avoid`` for the profile or age. The one rule that ``blend`` (named oils and
    ``--purpose``) and ``suggest`` both apply."""
    if profile.allows_none:
        return f"profile {profile.label}: {profile.basis}"
    if review.matches(oil):
        return review.reason(oil)
    avoid = check_profile(oil, profile).avoid
    if avoid:
        reasons = "; ".join(describe_caution(oil, caution) for caution in avoid)
        return f"profile {profile.label}: {reasons}"
    return None


def user_override_warning(oil: Oil) -> Warning:
    """A user catalog loosened this oil's shipped safety data, naming its own evidence."""
    return Warning(
        "user-override",
        oil.key,
        f"{oil.name}: your catalog {oil.origin} loosens the shipped safety data "
        f"({', '.join(oil.loosened)}) on the evidence of its source {oil.override_source!r}; "
        "blendcalc's own figures are stricter.",
    )


def general_cautions(oil: Oil) -> list[Caution]:
    """Cautions that concern anyone (epilepsy, anticoagulants, skin...), not one profile. The
    oxidation caution is not among them: see :func:`keeping_cautions`."""
    return [c for c in oil.cautions if c.topic not in {"pregnancy", "children", "oxidation"}]


def keeping_cautions(oil: Oil) -> list[Caution]:
    """How to keep the oil ("use fresh oil": oxidised oil sensitises). The same for everyone,
    so a reminder, not a safety warning about this person (``--strict`` would otherwise fail
    for almost every blend)."""
    return [c for c in oil.cautions if c.topic == "oxidation"]


def name_list(names: Sequence[str]) -> str:
    """Names as a sentence lists them: "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def describe_caution(oil: Oil, caution: Caution) -> str:
    return f"{oil.name}: {caution.text} ({caution.source})"


def high_dilution_warning(percent: Fraction) -> Warning | None:
    """A warning when the whole blend is stronger than adult guidance for regular use (None
    otherwise); above 10 % no blend is computed at all (:mod:`blendcalc.ranges`)."""
    if percent <= ADULT_USUAL_MAX_PERCENT:
        return None
    return Warning(
        "high-dilution",
        None,
        f"{format_number(percent, 2)} % is above the 2-3 % the Tisserand Institute gives for "
        "adults; 3-10 % is for short-term use only.",
    )
