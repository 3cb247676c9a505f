"""User catalogs may tighten shipped safety data, never loosen it silently (SPEC 4.4).

A user entry for a shipped oil may add aliases, purposes, constituents and cautions, or lower a
limit. What would loosen the shipped data is named here field by field, and
:func:`check_override`, which the catalog loader calls for each oil a user file replaces,
refuses it unless the entry names its evidence (``safety_override_source``); every answer that
uses such an oil then carries a ``user-override`` warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from blendcalc.catalog import Catalog, Caution, Oil, normalise
from blendcalc.catalog.validate import Entry, build_oil

_STRICTNESS = {"warn": 0, "avoid": 1}


def check_override(
    entry: Entry,
    oil: Oil,
    earlier: tuple[str, Any],
    catalog: Catalog,
    sources: Mapping[str, tuple[str, Any]],
) -> Oil:
    """A user entry replacing a shipped oil may tighten its safety data; loosening it is
    refused unless the entry names its evidence, a source of the user's own file."""
    shipped = build_oil(Entry(earlier[0], f"oils.{oil.key}", earlier[1]), oil.key, catalog)
    loosened = loosened_fields(shipped, oil)
    evidence = entry.source("safety_override_source", catalog.sources, required=False)
    if evidence and sources[evidence][0] != entry.path:
        entry.fail("safety_override_source", f"{evidence!r} must be a source of this file")
    if loosened and not evidence:
        entry.fail(
            loosened[0],
            f"loosens the shipped safety data ({', '.join(loosened)}); a user catalog may "
            "only tighten it, unless the entry names its evidence: "
            'safety_override_source = "KEY" (a [sources] entry of this file)',
        )
    return replace(oil, loosened=tuple(loosened), override_source=evidence if loosened else "")


def loosened_fields(shipped: Oil, user: Oil) -> list[str]:
    """The fields in which ``user`` is less safe than ``shipped`` (empty: it only tightens)."""
    fields: list[str] = []
    if shipped.max_dermal_percent is not None and (
        user.max_dermal_percent is None or user.max_dermal_percent > shipped.max_dermal_percent
    ):
        fields.append("max_dermal_percent")
    if shipped.phototoxic and not user.phototoxic:
        fields.append("phototoxic")
    elif (
        shipped.phototoxic_limit_percent is not None
        and user.phototoxic_limit_percent is not None
        and user.phototoxic_limit_percent > shipped.phototoxic_limit_percent
    ):
        fields.append("phototoxic_limit_percent")
    if user.family != shipped.family:
        fields.append("family")  # a family allergy would no longer match
    if {normalise(a) for a in shipped.aliases} - {normalise(a) for a in user.aliases}:
        fields.append("aliases")  # an allergy named by that alias would no longer match
    if user.constituents_complete and not shipped.constituents_complete:
        fields.append("constituents_complete")
    if {c.name for c in shipped.constituents} - {c.name for c in user.constituents}:
        fields.append("constituents")
    if not all(
        any(_as_strict(mine, theirs) for mine in user.cautions) for theirs in shipped.cautions
    ):
        fields.append("cautions")
    return fields


def _as_strict(mine: Caution, theirs: Caution) -> bool:
    """True when ``mine`` says at least what ``theirs`` says, for the same topic."""
    if mine.topic != theirs.topic or _STRICTNESS[mine.severity] < _STRICTNESS[theirs.severity]:
        return False
    for ours, shipped in (
        (mine.min_age_years, theirs.min_age_years),
        (mine.age_below_years, theirs.age_below_years),
    ):
        if shipped is not None and (ours is None or ours < shipped):
            return False
    return theirs.max_percent is None or (
        mine.max_percent is not None and mine.max_percent <= theirs.max_percent
    )
