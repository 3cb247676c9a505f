"""Base (carrier) oils: the catalog's ``[bases]`` and ``[allergen_classes]``, and which bases
suit a person's declared allergies (SPEC section 8).

An allergy term rules a base out (``avoid``) or keeps it with a warning (``warn``) when it
names one of the base's allergen classes ("tree nut", "nuts", "peanut", "sesame"...), the base
itself ("almond", "arachis"), or its botanical family ("rose family", "legumes"). An entry of
the base for its own family sets the severity of a family match (sunflower for "daisy": warn);
without one, a family match rules the base out, as it leaves an essential oil out.

Absence of data is never safety: a base with no allergen entry is ``suitable`` only in the
sense that nothing the catalog records matches, and every answer says "no published allergy
data" for it. The blend engine calls :func:`check_base`; ``blendcalc bases`` calls
:func:`review_bases`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from blendcalc.catalog import SEVERITIES, Catalog, normalise
from blendcalc.catalog.validate import Entry, check_key, label_fields
from blendcalc.errors import CatalogError

if TYPE_CHECKING:
    pass

VERDICTS = ("suitable", "warn", "avoid")  # in rising order of concern
BASE_ALLERGY = "base-allergy"  # the warning kind (a safety kind: --strict exits 3)
NO_DATA = "no published allergy data"
_BASE_FIELDS = (
    "name", "latin", "family", "aliases", "allergens", "density", "density_source", "inci",
    "inci_source", "sources",
)  # fmt: skip


@dataclass(frozen=True)
class AllergenClass:
    """An allergy people name by everyday words: tree nuts ("tree nut", "nuts"), peanuts..."""

    key: str
    name: str
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class BaseAllergen:
    """One allergen class (or botanical family) of a base, how much it matters, and why."""

    allergen_class: str  # a key of [allergen_classes] or of [families] ("class" in the file)
    severity: str  # "avoid" or "warn"
    source: str
    note: str


@dataclass(frozen=True)
class Base:
    """A base (carrier) oil of the catalog."""

    key: str
    name: str
    latin: str
    family: str
    aliases: tuple[str, ...]
    allergens: tuple[BaseAllergen, ...]
    density: Fraction | None  # relative density (to water); None where no figure is sourced
    density_source: str
    inci: str  # "" where no INCI name is sourced
    inci_source: str
    cited: tuple[str, ...]  # the entry's own `sources`

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source key the base's entries cite, in order of first use."""
        keys = [*self.cited, *(item.source for item in self.allergens)]
        keys += [self.density_source, self.inci_source]
        return tuple(dict.fromkeys(key for key in keys if key))


def allergens_document(base: Base) -> list[dict[str, str]]:
    return [
        {
            "class": item.allergen_class,
            "severity": item.severity,
            "source": item.source,
            "note": item.note,
        }
        for item in base.allergens
    ]


# --- reading the catalog ---------------------------------------------------------------------


def build_bases(merged: Mapping[str, Mapping[str, tuple[str, Any]]], catalog: Catalog) -> None:
    """Validate ``[allergen_classes]`` and ``[bases]`` of the merged catalog files into
    ``catalog`` (called by the catalog loader once sources and families are read).

    Raises :class:`CatalogError` naming the file, the entry and the field.
    """
    for key, (path, data) in merged.get("allergen_classes", {}).items():
        entry = Entry(path, f"allergen_classes.{key}", data)
        check_key(entry, key)
        entry.check_fields({"name", "aliases", "sources", "note"})
        sources = _source_list(entry, "sources", catalog)
        if not sources:
            entry.fail("sources", "is missing: say where the allergen class comes from")
        catalog.allergen_classes[key] = AllergenClass(
            key,
            entry.text("name"),
            entry.texts("aliases"),
            sources,
            entry.text("note", required=False),
        )
    for key, (path, data) in merged.get("bases", {}).items():
        entry = Entry(path, f"bases.{key}", data)
        catalog.bases[key] = base = _build_base(entry, key, catalog)
        if not base.sources:
            entry.fail("sources", "the base cites no source at all; name one for what it says")
    _check_names(merged.get("bases", {}), catalog)


def _build_base(entry: Entry, key: str, catalog: Catalog) -> Base:
    check_key(entry, key)
    entry.check_fields(_BASE_FIELDS)
    family = entry.text("family")
    if family not in catalog.families:
        entry.fail("family", f"{family!r} is not in [families]")
    allergens = tuple(_build_allergen(row, catalog) for row in entry.rows("allergens"))
    seen: set[str] = set()
    for index, item in enumerate(allergens):
        if item.allergen_class in seen:
            entry.fail(f"allergens[{index}]", f"class {item.allergen_class!r} is given twice")
        seen.add(item.allergen_class)
    labels = label_fields(entry, catalog)
    return Base(
        key=key,
        name=entry.text("name"),
        latin=entry.text("latin"),
        family=family,
        aliases=entry.texts("aliases"),
        allergens=allergens,
        cited=_source_list(entry, "sources", catalog),
        **labels,
    )


def _build_allergen(entry: Entry, catalog: Catalog) -> BaseAllergen:
    entry.check_fields({"class", "severity", "source", "note"})
    allergen_class = entry.text("class")
    if allergen_class not in catalog.allergen_classes and allergen_class not in catalog.families:
        known = ", ".join(sorted(catalog.allergen_classes))
        entry.fail(
            "class",
            f"{allergen_class!r} is neither in [allergen_classes] ({known}) nor in [families]",
        )
    severity = entry.text("severity")
    if severity not in SEVERITIES:
        entry.fail("severity", f"must be one of {', '.join(SEVERITIES)}, got {severity!r}")
    return BaseAllergen(
        allergen_class, severity, entry.source("source", catalog.sources), entry.text("note")
    )


def _source_list(entry: Entry, name: str, catalog: Catalog) -> tuple[str, ...]:
    keys = entry.texts(name)
    for key in keys:
        if key not in catalog.sources:
            entry.fail(name, f"names source {key!r}, which is not in [sources]")
    return keys


def _check_names(merged: Mapping[str, tuple[str, Any]], catalog: Catalog) -> None:
    """No name or alias may name two bases (``--base`` must find exactly one)."""
    order = {path: position for position, path in enumerate(catalog.files)}
    # Entries of earlier files first, so a clash is blamed on the later file's entry.
    bases = sorted(catalog.bases.values(), key=lambda base: order.get(merged[base.key][0], 0))
    owners: dict[str, str] = {}
    for base in bases:
        for name in (base.key, base.name, *base.aliases):
            other = owners.setdefault(normalise(name), base.key)
            if other != base.key:
                raise CatalogError(
                    merged[base.key][0],
                    f"bases.{base.key}",
                    "aliases",
                    f"{name!r} already names {other!r}",
                )


# --- which bases suit the person -------------------------------------------------------------


# Reviewing bases against a person's allergies lives in blendcalc.base_review: ``oils``,
# ``purposes`` and ``show`` load the bases with the catalog but never review them, and its
# classes cost start-up. Its names stay importable from here.
_REVIEW = frozenset(
    {
        "BaseVerdict",
        "BaseCheck",
        "review_bases",
        "compatible_bases",
        "check_base",
        "find_base",
        "compatible_sentence",
        "allergy_terms",
        "unknown_terms",
        "names_base_allergen",
        "check_terms",
        "term_notes",
        "allergen_label",
    }
)


def __getattr__(name: str) -> Any:
    if name in _REVIEW:
        from blendcalc import base_review

        return getattr(base_review, name)
    raise AttributeError(f"module 'blendcalc.bases' has no attribute {name!r}")
