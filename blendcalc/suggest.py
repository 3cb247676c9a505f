"""Which oils suit a purpose for this person: the purpose's ranking, less allergy and profile
conflicts (each left out with its reason). ``blend --purpose`` picks from the same list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from blendcalc.catalog import Catalog, Oil, Purpose
from blendcalc.numbers import to_json_number
from blendcalc.profiles import Profile, check_profile
from blendcalc.safety import (
    AllergyReview,
    Exclusion,
    Warning,
    describe_caution,
    exclusion_reason,
    no_data_warning,
    review_allergies,
    user_override_warning,
)


@dataclass
class Suggestion:
    purpose: Purpose
    profile: Profile
    oils: list[Oil]  # best first, already cut to the count asked for
    excluded: list[Exclusion]
    warnings: list[Warning] = field(default_factory=list)
    more: int = 0  # suitable oils beyond the count

    def to_dict(self) -> dict[str, Any]:
        return {
            "purpose": {
                "key": self.purpose.key,
                "name": self.purpose.name,
                "heading": self.purpose.heading,
            },
            "profile": self.profile.key,
            "oils": [
                {
                    "key": oil.key,
                    "name": oil.name,
                    "latin": oil.latin,
                    "rank": rank,
                    "max_percent": _limit(oil),
                    "phototoxic": oil.phototoxic,
                    "in_source_article": oil.in_source_article,
                }
                for rank, oil in enumerate(self.oils, start=1)
            ],
            "more": self.more,
            "excluded": [item.to_dict() for item in self.excluded],
            "warnings": [item.to_dict() for item in self.warnings],
        }


def suggest_oils(
    catalog: Catalog,
    purpose: Purpose,
    allergies: list[str],
    profile: Profile,
    count: int | None,
    review: AllergyReview | None = None,
) -> Suggestion:
    """Rank the purpose's oils and leave out those the person's allergies, profile or age rule
    out (the same rule as ``blend``, :func:`~blendcalc.safety.exclusion_reason`); oils with a
    caution for the profile follow those without one, and with allergies declared, oils whose
    constituent data is incomplete follow those checked against every EU allergen."""
    review = review if review is not None else review_allergies(allergies, catalog)
    kept: list[Oil] = []
    excluded: list[Exclusion] = []
    warnings: list[Warning] = list(review.unknown)
    for oil in catalog.oils_for(purpose):
        reason = exclusion_reason(oil, review, profile)
        if reason is not None:
            excluded.append(Exclusion(oil.key, reason))
            continue
        kept.append(oil)
        if oil.loosened:
            warnings.append(user_override_warning(oil))
        for caution in check_profile(oil, profile).warn:
            warnings.append(Warning("profile", oil.key, describe_caution(oil, caution)))
    # Oils with no caution for this person come first (the ranking holds within each group):
    # for a pregnant client an oil some guides advise against is a last resort, not a first pick.
    # Likewise, for someone with allergies, an oil whose constituent list could not be checked
    # comes after the oils that were checked and passed.
    kept.sort(key=lambda oil: (bool(check_profile(oil, profile).warn), review.lacks_data(oil)))
    chosen = kept if count is None else kept[:count]
    warnings.extend(no_data_warning(oil, review) for oil in chosen if review.lacks_data(oil))
    chosen_keys = {oil.key for oil in chosen}
    warnings = [w for w in warnings if w.oil is None or w.oil in chosen_keys]
    return Suggestion(purpose, profile, chosen, excluded, warnings, len(kept) - len(chosen))


def _limit(oil: Oil) -> int | float | None:
    limit = oil.limit_percent
    return None if limit is None else to_json_number(limit)
