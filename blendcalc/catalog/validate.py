"""Validating a catalog: every entry of the merged files checked, field by field, into the
data model (:mod:`blendcalc.catalog.model`).

An :class:`Entry` gives typed access to one table entry, and every error names the file, the
entry and the field (``my-oils.toml: oils.lavender: max_dermal_percent: must be a number from
0 to 100, got 'x'``). Then the references between tables are checked: each family, purpose,
constituent and source an entry names must exist, and no name may mean two oils or two
purposes. The base-oil tables are read by :func:`blendcalc.bases.build_bases`; what a user
entry may change in a shipped oil is :mod:`blendcalc.overrides`' rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from fractions import Fraction
from math import isfinite
from typing import Any, NoReturn

from blendcalc.catalog.model import (
    CAUTION_TOPICS,
    HEADINGS,
    SEVERITIES,
    Ambiguous,
    Catalog,
    Caution,
    Constituent,
    ConstituentInfo,
    Family,
    Oil,
    Purpose,
    Source,
)
from blendcalc.catalog.names import normalise, oil_index
from blendcalc.errors import CatalogError

_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
_CAS = re.compile(r"([0-9]{2,7})-([0-9]{2})-([0-9])")


class Entry:
    """Typed access to one table entry, with errors that name file, entry and field."""

    def __init__(self, path: str, entry: str, data: object) -> None:
        self.path = path
        self.entry = entry
        if not isinstance(data, dict):
            self.fail("", "must be a table")
        self.data: Mapping[str, Any] = data

    def fail(self, name: str, problem: str) -> NoReturn:
        raise CatalogError(self.path, self.entry, name, problem)

    def check_fields(self, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for name in self.data:
            if name not in allowed:
                self.fail(name, f"unknown field; accepted: {', '.join(sorted(allowed))}")

    def text(self, name: str, *, required: bool = True) -> str:
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, "is missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(name, f"must be non-empty text, got {value!r}")
        return str(value)

    def flag(self, name: str, *, default: bool | None = None) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.fail(
                name, "is missing" if value is None else f"must be true or false, got {value!r}"
            )
        return bool(value)

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(name, f"must be a list of text, got {value!r}")
        for item in value:
            if not normalise(item):  # aliases = [""] made `show ""` find an oil
                self.fail(name, f"holds an empty name {item!r}; remove it")
        return tuple(value)

    def percent(self, name: str, value: object = None) -> Fraction | None:
        value = self.data.get(name) if value is None else value
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(name, f"must be a number from 0 to 100, got {value!r}")
        if isinstance(value, float) and not isfinite(value):  # isfinite(10**400) overflows
            self.fail(name, f"must be a number from 0 to 100, got {value!r}")
        if not 0 <= value <= 100:  # the same test as on the exact value, without building it
            self.fail(name, f"must be a number from 0 to 100, got {value!r}")
        # str() of a TOML float is its shortest decimal spelling, so 0.7 stays exactly 7/10.
        return Fraction(value) if isinstance(value, int) else Fraction(str(value))

    def years(self, name: str, value: object) -> Fraction | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 120:
            self.fail(name, f"must be an age in years from 0 to 120, got {value!r}")
        return Fraction(str(value))

    def source(self, name: str, known: Mapping[str, Source], *, required: bool = True) -> str:
        key = self.text(name, required=required)
        if key and key not in known:
            self.fail(name, f"names source {key!r}, which is not in [sources]")
        return key

    def rows(self, name: str) -> list[Entry]:
        value = self.data.get(name, [])
        if not isinstance(value, list):
            self.fail(name, "must be an array of tables ([[...]])")
        return [
            Entry(self.path, f"{self.entry}.{name}[{index}]", item)
            for index, item in enumerate(value)
        ]


def build_catalog(
    merged: dict[str, dict[str, tuple[str, Any]]],
    paths: tuple[str, ...],
    shadowed: Mapping[str, tuple[str, Any]],
) -> Catalog:
    """The merged entries of every table (key -> the file it came from and its data) checked
    into a :class:`Catalog`. ``shadowed`` holds the shipped entry of each oil a user file
    replaces. Raises :class:`CatalogError` naming the file, the entry and the field."""
    catalog = Catalog(files=paths)
    for key, (path, data) in merged["sources"].items():
        entry = Entry(path, f"sources.{key}", data)
        entry.check_fields({"title", "url", "note"})
        catalog.sources[key] = Source(
            key,
            entry.text("title"),
            entry.text("url", required=False),
            entry.text("note", required=False),
        )
    for key, (path, data) in merged["families"].items():
        entry = Entry(path, f"families.{key}", data)
        entry.check_fields({"aliases"})
        catalog.families[key] = Family(key, entry.texts("aliases"))
    for key, (path, data) in merged["constituents"].items():
        entry = Entry(path, f"constituents.{key}", data)
        entry.check_fields({"aliases", "eu_allergen", "source", "cas", "eu_entry", "members"})
        catalog.constituents[key] = _build_constituent_info(entry, key, catalog)
    for key, info in catalog.constituents.items():
        for member in info.members:
            if member not in catalog.constituents or catalog.constituents[member].members:
                path = merged["constituents"][key][0]
                Entry(path, f"constituents.{key}", {}).fail(
                    "members", f"{member!r} is not a single substance of [constituents]"
                )
    for key, (path, data) in merged["purposes"].items():
        entry = Entry(path, f"purposes.{key}", data)
        check_key(entry, key)
        entry.check_fields({"name", "aliases", "heading", "ranking", "note"})
        heading = entry.text("heading")
        if heading not in HEADINGS:
            entry.fail("heading", f"must be one of {', '.join(HEADINGS)}, got {heading!r}")
        catalog.purposes[key] = Purpose(
            key,
            entry.text("name"),
            entry.texts("aliases"),
            heading,
            entry.texts("ranking"),
            entry.text("note", required=False),
        )
    for key, (path, data) in merged["oils"].items():
        entry = Entry(path, f"oils.{key}", data)
        oil = build_oil(entry, key, catalog)
        if not oil.sources:
            entry.fail("sources", "the oil cites no source at all; name one for what it says")
        if path != paths[0]:
            oil = replace(oil, origin=path)
        if key in shadowed:
            from blendcalc.overrides import check_override  # only with a user catalog

            oil = check_override(entry, oil, shadowed[key], catalog, merged["sources"])
        catalog.oils[key] = oil
    for key, (path, data) in merged["ambiguous"].items():
        entry = Entry(path, f"ambiguous.{key}", data)
        ambiguous = _build_ambiguous(entry, key, catalog, merged)
        if ambiguous is not None:
            catalog.ambiguous[key] = ambiguous
    _check_cross_references(merged, catalog)
    from blendcalc.bases import build_bases

    build_bases(merged, catalog)
    return catalog


def _build_constituent_info(entry: Entry, key: str, catalog: Catalog) -> ConstituentInfo:
    cas = entry.texts("cas")
    for number in cas:
        if not _valid_cas(number):
            entry.fail("cas", f"{number!r} is not a valid CAS registry number")
    eu_allergen = entry.flag("eu_allergen", default=False)
    eu_entry = entry.data.get("eu_entry")
    if eu_entry is not None and (
        isinstance(eu_entry, bool) or not isinstance(eu_entry, int) or not 0 < eu_entry < 10_000
    ):
        entry.fail("eu_entry", f"must be an entry number of Annex III, got {eu_entry!r}")
    if eu_entry is not None and not eu_allergen:
        entry.fail("eu_entry", "is given but eu_allergen is false")
    members = entry.texts("members")
    if members and (cas or eu_allergen):
        entry.fail("members", "a mix has no CAS number and is not itself an EU entry")
    return ConstituentInfo(
        key,
        entry.texts("aliases"),
        eu_allergen,
        entry.source("source", catalog.sources, required=bool(members)),
        cas,
        eu_entry,
        members,
    )


def _build_ambiguous(
    entry: Entry, key: str, catalog: Catalog, merged: dict[str, dict[str, tuple[str, Any]]]
) -> Ambiguous | None:
    """An ambiguous name, or None when a later file made the name one oil's (that file wins)."""
    entry.check_fields({"oils", "aliases", "source", "note"})
    oils = entry.texts("oils")
    if len(set(oils)) < 2:
        entry.fail("oils", "must name at least two different oils the name may mean")
    for oil in oils:
        if oil not in catalog.oils:
            entry.fail("oils", f"unknown oil {oil!r}")
    index = oil_index(catalog)
    order = {path: position for position, path in enumerate(catalog.files)}
    for name in (key, *entry.texts("aliases")):
        owner = index.get(normalise(name))
        if owner is None:
            continue
        if order.get(merged["oils"][owner][0], 0) > order.get(entry.path, 0):
            return None  # a user catalog gave the name to one oil on purpose
        entry.fail("aliases", f"{name!r} already names {owner!r}, so it is not ambiguous")
    return Ambiguous(
        key,
        oils,
        entry.texts("aliases"),
        entry.source("source", catalog.sources),
        entry.text("note", required=False),
    )


def _valid_cas(number: str) -> bool:
    """A CAS registry number: digits-digits-check digit, with a correct check digit."""
    match = _CAS.fullmatch(number)
    if not match:
        return False
    digits = (match.group(1) + match.group(2))[::-1]
    return sum(int(d) * (i + 1) for i, d in enumerate(digits)) % 10 == int(match.group(3))


def build_oil(entry: Entry, key: str, catalog: Catalog) -> Oil:
    check_key(entry, key)
    entry.check_fields(
        {
            "name", "latin", "family", "aliases", "purposes", "purposes_sources",
            "in_source_article", "max_dermal_percent", "max_dermal_source", "max_dermal_note",
            "phototoxic", "phototoxic_source", "phototoxic_limit_percent", "eu_listed_oil",
            "constituents_complete", "constituents", "cautions", "safety_override_source",
            "composition_source", "composition_note", "density", "density_source", "inci",
            "inci_source",
        }
    )  # fmt: skip
    family = entry.text("family")
    if family not in catalog.families:
        entry.fail("family", f"{family!r} is not in [families]")
    purposes = entry.texts("purposes")
    for purpose in purposes:
        if purpose not in catalog.purposes:
            known = ", ".join(sorted(catalog.purposes))
            entry.fail("purposes", f"unknown purpose {purpose!r}; accepted: {known}")
    purposes_sources = entry.texts("purposes_sources")
    if purposes and not purposes_sources:
        entry.fail("purposes_sources", "is missing: say where the purposes come from")
    for source in purposes_sources:
        if source not in catalog.sources:
            entry.fail("purposes_sources", f"names source {source!r}, which is not in [sources]")
    max_dermal = entry.percent("max_dermal_percent")
    if max_dermal is not None and max_dermal <= 0:
        entry.fail("max_dermal_percent", "must be more than 0 (leave it out when unknown)")
    max_dermal_source = entry.source(
        "max_dermal_source", catalog.sources, required=max_dermal is not None
    )
    phototoxic = entry.flag("phototoxic")
    limit = entry.percent("phototoxic_limit_percent")
    if phototoxic and limit is None:
        entry.fail("phototoxic_limit_percent", "is missing: a phototoxic oil needs its limit")
    if not phototoxic and limit is not None:
        entry.fail("phototoxic_limit_percent", "is given but phototoxic is false")
    complete = entry.flag("constituents_complete", default=False)
    # The shipped catalog names the composition source of every complete oil (a test checks
    # it); a user catalog may leave it out, as catalogs written before it existed do.
    composition_source = entry.source("composition_source", catalog.sources, required=False)
    labels = label_fields(entry, catalog)
    return Oil(
        key=key,
        name=entry.text("name"),
        latin=entry.text("latin"),
        family=family,
        aliases=entry.texts("aliases"),
        purposes=purposes,
        purposes_sources=purposes_sources,
        in_source_article=entry.flag("in_source_article", default=False),
        max_dermal_percent=max_dermal,
        max_dermal_source=max_dermal_source,
        max_dermal_note=entry.text("max_dermal_note", required=False),
        phototoxic=phototoxic,
        phototoxic_limit_percent=limit,
        phototoxic_source=entry.source("phototoxic_source", catalog.sources, required=phototoxic),
        eu_listed_oil=entry.flag("eu_listed_oil", default=False),
        constituents_complete=complete,
        constituents=tuple(_build_constituent(row, catalog) for row in entry.rows("constituents")),
        cautions=tuple(_build_caution(row, catalog) for row in entry.rows("cautions")),
        composition_source=composition_source,
        composition_note=entry.text("composition_note", required=False),
        **labels,
    )


# Relative densities of essential and fixed oils lie near 0.9; anything outside this is a
# typing slip.
DENSITY_RANGE = (Fraction(1, 2), Fraction(3, 2))


def label_fields(entry: Entry, catalog: Catalog) -> dict[str, Any]:
    """What a label needs of an oil or a base oil, read by the same rule for both: a sourced
    relative density (``density``, ``density_source``) and a sourced INCI name (``inci``,
    ``inci_source``); each may be absent, never empty or unsourced."""
    density = read_density(entry)
    inci = entry.text("inci", required=False)
    if "inci" in entry.data and not inci.strip():
        entry.fail("inci", "must be non-empty text (leave it out when no INCI name is sourced)")
    return {
        "density": density,
        "density_source": entry.source(
            "density_source", catalog.sources, required=density is not None
        ),
        "inci": inci,
        "inci_source": entry.source("inci_source", catalog.sources, required=bool(inci)),
    }


def read_density(entry: Entry) -> Fraction | None:
    value = entry.data.get("density")
    if value is None:
        return None
    low, high = DENSITY_RANGE
    problem = f"must be a relative density from {low} to {high} (about 0.92 for most oils)"
    if isinstance(value, bool) or not isinstance(value, int | float):
        entry.fail("density", f"{problem}, got {value!r}")
    if isinstance(value, float) and not isfinite(value):
        entry.fail("density", f"{problem}, got {value!r}")
    exact = Fraction(str(value))  # the shortest decimal spelling: 0.9195 stays 1839/2000
    if not low <= exact <= high:
        entry.fail("density", f"{problem}, got {value!r}")
    return exact


def _build_constituent(entry: Entry, catalog: Catalog) -> Constituent:
    entry.check_fields({"name", "min_percent", "max_percent", "source", "note"})
    name = entry.text("name")
    if name not in catalog.constituents:
        entry.fail("name", f"{name!r} is not in [constituents]")
    low, high = entry.percent("min_percent"), entry.percent("max_percent")
    if low is not None and high is not None and low > high:
        entry.fail("min_percent", f"{low} is more than max_percent {high}")
    return Constituent(
        name, low, high, entry.source("source", catalog.sources), entry.text("note", required=False)
    )


def _build_caution(entry: Entry, catalog: Catalog) -> Caution:
    entry.check_fields(
        {"topic", "severity", "text", "source", "min_age_years", "age_below_years", "max_percent"}
    )
    topic = entry.text("topic")
    if topic not in CAUTION_TOPICS:
        entry.fail("topic", f"unknown topic {topic!r}; accepted: {', '.join(CAUTION_TOPICS)}")
    severity = entry.text("severity")
    if severity not in SEVERITIES:
        entry.fail("severity", f"must be one of {', '.join(SEVERITIES)}, got {severity!r}")
    min_age = entry.years("min_age_years", entry.data.get("min_age_years"))
    age_below = entry.years("age_below_years", entry.data.get("age_below_years"))
    if topic != "children" and (min_age is not None or age_below is not None):
        entry.fail("min_age_years", "ages go only with topic = 'children'")
    return Caution(
        topic=topic,
        severity=severity,
        text=entry.text("text"),
        source=entry.source("source", catalog.sources),
        min_age_years=min_age,
        age_below_years=age_below,
        max_percent=entry.percent("max_percent"),
    )


def check_key(entry: Entry, key: str) -> None:
    if not _KEY.fullmatch(key):
        entry.fail("", "keys are lower case letters, digits and dashes")


def _check_cross_references(
    merged: dict[str, dict[str, tuple[str, Any]]], catalog: Catalog
) -> None:
    for purpose in catalog.purposes.values():
        path = merged["purposes"][purpose.key][0]
        for oil_key in purpose.ranking:
            oil = catalog.oils.get(oil_key)
            if oil is not None and merged["oils"][oil_key][0] != path:
                continue  # the oil was redefined in a later file, which may drop the purpose
            if oil is None:
                raise CatalogError(
                    path, f"purposes.{purpose.key}", "ranking", f"unknown oil {oil_key!r}"
                )
            if purpose.key not in oil.purposes:
                raise CatalogError(
                    path,
                    f"purposes.{purpose.key}",
                    "ranking",
                    f"{oil_key!r} does not list {purpose.key!r} among its purposes",
                )
    order = {path: position for position, path in enumerate(catalog.files)}
    for table, index in (
        ("oils", [(oil.key, (oil.name, *oil.aliases)) for oil in catalog.oils.values()]),
        (
            "purposes",
            [
                (purpose.key, (purpose.name, *purpose.aliases))
                for purpose in catalog.purposes.values()
            ],
        ),
    ):
        # Entries of earlier files first, so a clash is blamed on the later file's entry.
        index.sort(key=lambda item: order.get(merged[table][item[0]][0], 0))
        owners: dict[str, str] = {}
        for key, names in index:
            for name in (key, *names):
                normal = normalise(name)
                other = owners.setdefault(normal, key)
                if other != key:
                    path = merged[table][key][0]
                    raise CatalogError(
                        path, f"{table}.{key}", "aliases", f"{name!r} already names {other!r}"
                    )
