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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import isfinite
from typing import TYPE_CHECKING, Any

from blendcalc.catalog import SEVERITIES, Catalog, _check_key, _Entry, normalise
from blendcalc.errors import BadInput, CatalogError, UnknownName

if TYPE_CHECKING:
    from blendcalc.safety import Warning

VERDICTS = ("suitable", "warn", "avoid")  # in rising order of concern
BASE_ALLERGY = "base-allergy"  # the warning kind (a safety kind: --strict exits 3)
NO_DATA = "no published allergy data"
# Relative densities of fixed oils lie near 0.9; anything outside this is a typing slip.
DENSITY_RANGE = (Fraction(1, 2), Fraction(3, 2))
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


@dataclass(frozen=True)
class BaseVerdict:
    """How the declared allergies bear on one base: ``suitable``, ``warn`` or ``avoid``."""

    base: Base
    verdict: str
    reasons: tuple[str, ...]  # one per match, each naming the term, the allergen and the source
    cited: tuple[str, ...] = ()  # the source keys the reasons cite

    @property
    def reason(self) -> str | None:
        """Why the base is not suitable (None when it is)."""
        return "; ".join(self.reasons) if self.reasons else None

    def to_dict(self, catalog: Catalog) -> dict[str, Any]:
        """One item of ``blendcalc bases --json`` (SPEC section 8, plus note, inci, density
        and sources)."""
        from blendcalc.numbers import to_json_number

        base = self.base
        return {
            "key": base.key,
            "name": base.name,
            "latin": base.latin,
            "family": base.family,
            "aliases": list(base.aliases),
            "allergens": allergens_document(base),
            "inci": base.inci or None,
            "density": None if base.density is None else to_json_number(base.density, 4),
            "sources": [
                {
                    "key": key,
                    "title": catalog.sources[key].title,
                    "url": catalog.sources[key].url or None,
                }
                for key in base.sources
            ],
            "verdict": self.verdict,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class BaseCheck:
    """What the blend engine needs to know of the chosen base (``blend --base KEY``)."""

    base: Base
    verdict: str
    reason: str | None
    warnings: tuple[Warning, ...]  # kind "base-allergy" when the verdict is warn or avoid
    compatible_bases: tuple[str, ...]  # the keys of the bases no declared allergy matches
    notes: tuple[str, ...]  # e.g. that the base has no published allergy data

    @property
    def ruled_out(self) -> bool:
        """True when an allergy rules the base out: no blend can be made (exit 4)."""
        return self.verdict == "avoid"

    def to_dict(self) -> dict[str, Any]:
        """The keys the blend document's ``base`` object gains: key, name, allergens."""
        return {
            "key": self.base.key,
            "name": self.base.name,
            "allergens": allergens_document(self.base),
        }


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
        entry = _Entry(path, f"allergen_classes.{key}", data)
        _check_key(entry, key)
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
        entry = _Entry(path, f"bases.{key}", data)
        catalog.bases[key] = base = _build_base(entry, key, catalog)
        if not base.sources:
            entry.fail("sources", "the base cites no source at all; name one for what it says")
    _check_names(merged.get("bases", {}), catalog)


def _build_base(entry: _Entry, key: str, catalog: Catalog) -> Base:
    _check_key(entry, key)
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
    density = _density(entry)
    inci = entry.text("inci", required=False)
    if "inci" in entry.data and not inci.strip():
        entry.fail("inci", "must be non-empty text (leave it out when no INCI name is sourced)")
    return Base(
        key=key,
        name=entry.text("name"),
        latin=entry.text("latin"),
        family=family,
        aliases=entry.texts("aliases"),
        allergens=allergens,
        density=density,
        density_source=entry.source(
            "density_source", catalog.sources, required=density is not None
        ),
        inci=inci,
        inci_source=entry.source("inci_source", catalog.sources, required=bool(inci)),
        cited=_source_list(entry, "sources", catalog),
    )


def _build_allergen(entry: _Entry, catalog: Catalog) -> BaseAllergen:
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


def _density(entry: _Entry) -> Fraction | None:
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


def _source_list(entry: _Entry, name: str, catalog: Catalog) -> tuple[str, ...]:
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


@dataclass(frozen=True)
class _Term:
    """What one allergy term names in the catalog."""

    text: str
    classes: tuple[str, ...]  # allergen classes ("nuts" names tree-nut and peanut)
    families: tuple[str, ...]
    bases: tuple[str, ...]

    @property
    def concerns_bases(self) -> bool:
        return bool(self.classes or self.families or self.bases)


def _read_term(catalog: Catalog, term: str) -> _Term:
    normal = normalise(term)

    def named(names: Iterable[str]) -> bool:
        return normal in {normalise(name) for name in names}

    return _Term(
        term,
        tuple(
            c.key for c in catalog.allergen_classes.values() if named((c.key, c.name, *c.aliases))
        ),
        tuple(f.name for f in catalog.families.values() if named((f.name, *f.aliases))),
        tuple(b.key for b in catalog.bases.values() if named((b.key, b.name, *b.aliases))),
    )


def review_bases(catalog: Catalog, terms: Iterable[str]) -> list[BaseVerdict]:
    """Each base of the catalog, in file order, with its verdict for the declared allergies
    (``suitable`` for every base when none are declared) and the reasons."""
    read = [_read_term(catalog, term) for term in terms]
    return [_verdict(catalog, base, read) for base in catalog.bases.values()]


def _verdict(catalog: Catalog, base: Base, terms: list[_Term]) -> BaseVerdict:
    worst = 0
    reasons: list[str] = []
    cited: list[str] = []
    for term in terms:
        found = False
        for item in base.allergens:
            if item.allergen_class in term.classes or item.allergen_class in term.families:
                found = True
                worst = max(worst, VERDICTS.index(item.severity))
                label = allergen_label(catalog, item.allergen_class)
                reasons.append(f"allergy to {term.text} ({label}): {item.note} ({item.source})")
                cited.append(item.source)
        if found:
            continue
        if base.key in term.bases:
            worst = VERDICTS.index("avoid")
            reasons.append(f"allergy to {term.text}: this is {base.name}")
        elif base.family in term.families:
            worst = VERDICTS.index("avoid")
            reasons.append(f"allergy to {term.text}: {base.name} is of the {base.family} family")
    return BaseVerdict(
        base, VERDICTS[worst], tuple(dict.fromkeys(reasons)), tuple(dict.fromkeys(cited))
    )


def allergen_label(catalog: Catalog, allergen_class: str) -> str:
    """How an allergen class reads: 'tree nuts', or a family with its everyday name."""
    if allergen_class in catalog.allergen_classes:
        return catalog.allergen_classes[allergen_class].name
    family = catalog.families.get(allergen_class)
    if family is None or not family.aliases:
        return allergen_class
    everyday = family.aliases[0]
    return f"{allergen_class}, {everyday if everyday.endswith('family') else everyday + ' family'}"


def compatible_bases(catalog: Catalog, terms: Iterable[str]) -> list[str]:
    """The keys of the bases that no declared allergy matches (verdict ``suitable``), in
    catalog order. A base with no published allergy data is among them: say so."""
    return [item.base.key for item in review_bases(catalog, terms) if item.verdict == "suitable"]


def check_base(catalog: Catalog, base_name: str, terms: Iterable[str]) -> BaseCheck:
    """The base named by ``--base`` (key, name or alias; :class:`UnknownName` with a "did you
    mean" otherwise) checked against the declared allergies, for the blend engine.

    The blend is impossible (exit 4) when ``ruled_out``; ``warnings`` holds one
    ``base-allergy`` warning whenever the verdict is not ``suitable``.
    """
    from blendcalc.safety import Warning

    terms = list(terms)
    base = find_base(catalog, base_name, terms)
    verdicts = review_bases(catalog, terms)
    mine = next(item for item in verdicts if item.base.key == base.key)
    compatible = tuple(item.base.key for item in verdicts if item.verdict == "suitable")
    warnings: tuple[Warning, ...] = ()
    if mine.verdict != "suitable":
        if mine.verdict == "avoid":
            message = f"{base.name} is ruled out as the base: {mine.reason}. "
        else:
            message = f"{base.name}: {mine.reason}. Patch-test the blend first. "
        message += compatible_sentence(compatible)
        warnings = (Warning(BASE_ALLERGY, None, message),)
    notes = () if base.allergens else (f"{base.name}: {NO_DATA}; that is not a sign of safety.",)
    return BaseCheck(base, mine.verdict, mine.reason, warnings, compatible, notes)


def find_base(catalog: Catalog, name: str, terms: Iterable[str] = ()) -> Base:
    """The base named by key, name or alias (any case); :class:`UnknownName` otherwise.

    The "did you mean" is built for people with allergies: a name that is, or is spelt like,
    an allergen ("walnut", "hazlenut oil") never gets a base of another allergen class
    ("peanut") offered for its spelling; it is told plainly that no such base oil is in the
    catalog. With declared allergies, a suggestion they rule out is dropped and the bases
    that match none of them are named instead, all on one line.
    """
    import difflib

    index: dict[str, str] = {}
    for base in catalog.bases.values():
        for alias in (base.key, base.name, *base.aliases):
            index.setdefault(normalise(alias), base.key)
    normal = normalise(name)
    if normal in index:
        return catalog.bases[index[normal]]
    shown = name.strip() if len(name.strip()) <= 40 else name.strip()[:39] + "…"
    stem = _base_stem(normal)
    classes, looks_like = _classes_spelt(catalog, stem)
    if classes:
        # Named or spelt like an allergen: only a base of that very class whose own names hold
        # the word ("almnd" -> almond, "penut" -> peanut, "walnut" -> none), never a base that
        # merely looks alike ("walnut" -> peanut).
        word = looks_like if looks_like is not None else stem
        singular = word.removesuffix("s") if len(word) > 3 else word
        suggestions = [
            base.key
            for base in catalog.bases.values()
            if _member_of(base, classes)
            and any(singular in normalise(n) for n in (base.key, base.name, *base.aliases))
        ]
    else:
        close = difflib.get_close_matches(normal, list(index), n=6, cutoff=0.6)
        suggestions = list(dict.fromkeys(index[match] for match in close))
    terms = list(terms)
    ruled_out: list[str] = []
    if terms:
        avoid = {v.base.key for v in review_bases(catalog, terms) if v.verdict == "avoid"}
        ruled_out = [key for key in suggestions if key in avoid][:3]
        suggestions = [key for key in suggestions if key not in avoid]
    suggestions = suggestions[:3]
    message = f"unknown base {shown!r}"
    if suggestions:
        message += "; did you mean " + " or ".join(repr(key) for key in suggestions) + "?"
    elif ruled_out:
        names = " or ".join(repr(key) for key in ruled_out)
        verb = "is" if len(ruled_out) == 1 else "are"
        message += f"; {names}, spelt like it, {verb} ruled out by the declared allergies"
    elif classes:
        labels = " and ".join(catalog.allergen_classes[key].name for key in classes)
        what = stem if looks_like is None else looks_like
        spelt = "" if looks_like is None else f" (spelt like {looks_like!r})"
        message += f"{spelt}: {what} oil is not in the catalog; {what} is among the {labels}"
    if terms:
        sentence = compatible_sentence(compatible_bases(catalog, terms)).rstrip(".")
        if message.endswith("?"):
            message += " " + sentence
        else:
            message += "; " + sentence[:1].lower() + sentence[1:]
    error = UnknownName("base", shown, suggestions)
    error.args = (message + " (see 'blendcalc bases')",)
    raise error


def _base_stem(normal: str) -> str:
    """'walnut oil' -> 'walnut', 'cashew butter' -> 'cashew': the plant a base is named by."""
    for suffix in (" oil", " butter"):
        if normal.endswith(suffix) and len(normal) > len(suffix):
            return normal.removesuffix(suffix)
    return normal


def _classes_spelt(catalog: Catalog, stem: str) -> tuple[tuple[str, ...], str | None]:
    """The allergen classes a base name points to: by one of their names, as a whole word of it
    ("black walnut" names tree nuts), or, failing that, by a close spelling ("hazlenut"), with
    the name it is spelt like (None for an exact name)."""
    import difflib

    names: dict[str, set[str]] = {}
    for item in catalog.allergen_classes.values():
        for alias in (item.key, item.name, *item.aliases):
            names.setdefault(normalise(alias), set()).add(item.key)
    order = list(catalog.allergen_classes)

    def ordered(keys: set[str]) -> tuple[str, ...]:
        return tuple(sorted(keys, key=order.index))

    padded = f" {stem} "
    found: set[str] = set()
    for alias, keys in names.items():
        if f" {alias} " in padded:
            found |= keys
    if found:
        return ordered(found), None
    close = difflib.get_close_matches(stem, list(names), n=1, cutoff=0.8)
    if close:
        return ordered(names[close[0]]), close[0]
    return (), None


def _member_of(base: Base, classes: Iterable[str]) -> bool:
    """True when the base itself belongs to one of the classes (an ``avoid`` entry for it),
    not merely warns of it (peanut oil warns of tree nuts but is no tree nut)."""
    wanted = set(classes)
    return any(
        item.allergen_class in wanted and item.severity == "avoid" for item in base.allergens
    )


def compatible_sentence(keys: Iterable[str]) -> str:
    """One line naming the bases no declared allergy matches (for blend output)."""
    keys = list(keys)
    if not keys:
        return "No base oil of the catalog is clear of the declared allergies."
    return f"Base oils that match none of the declared allergies: {', '.join(keys)}."


# --- the allergy terms themselves --------------------------------------------------------------


def allergy_terms(catalog: Catalog, values: Iterable[str]) -> list[str]:
    """``--allergy`` values, repeated or comma-separated, without repeats. A value that is
    itself a name in the catalog is kept whole (``1,8-cineole``). An empty value is bad input:
    ``--allergy ""`` would otherwise check nothing and look like an answer."""
    values = list(values)
    for value in values:
        if not value.replace(",", "").strip():
            raise BadInput(
                f"--allergy {value!r} names no allergy; give one, e.g. --allergy 'tree nut' "
                "(see 'blendcalc bases --help')"
            )
    from blendcalc.safety import split_terms  # not at import: oils and show never need it

    return split_terms(values, catalog)


def unknown_terms(catalog: Catalog, terms: Iterable[str]) -> list[str]:
    """The terms that name nothing in the catalog: no allergen class, botanical family, base,
    essential oil or constituent."""
    from blendcalc.safety import allergy_names

    known = allergy_names(catalog)
    return [term for term in terms if normalise(term) not in known]


def names_base_allergen(catalog: Catalog, term: str) -> bool:
    """True when TERM names an allergen class, a botanical family or a base: the blend engine's
    ``unknown-allergen`` check must not report it ("tree nut" names no essential oil)."""
    return _read_term(catalog, term).concerns_bases


def check_terms(catalog: Catalog, terms: Iterable[str]) -> None:
    """Raise :class:`UnknownName` (bad input) for the first term that names nothing in the
    catalog, with the nearest names: for ``blendcalc bases``, whose whole answer is the
    allergy check, an unread term must not pass as "suitable"."""
    import difflib

    for term in unknown_terms(catalog, terms):
        from blendcalc.safety import allergy_names

        names = sorted(allergy_names(catalog))
        close = difflib.get_close_matches(normalise(term), names, n=2, cutoff=0.75)
        classes = ", ".join(catalog.allergen_classes)
        shown = term.strip() if len(term.strip()) <= 40 else term.strip()[:39] + "…"
        raise UnknownName(
            "allergy",
            shown,
            close,
            "it matches no allergen class, botanical family, base oil, essential oil or "
            f"constituent in the catalog; allergen classes: {classes}",
        )


def term_notes(catalog: Catalog, terms: Iterable[str]) -> list[str]:
    """What the human answer should say about how the terms were read."""
    notes: list[str] = []
    for term in terms:
        read = _read_term(catalog, term)
        if len(read.classes) > 1:
            labels = [catalog.allergen_classes[key].name for key in read.classes]
            notes.append(f"'{term}' is read as {' and '.join(labels)}.")
        elif read.classes:
            allergen = catalog.allergen_classes[read.classes[0]]
            own = {normalise(n) for n in (allergen.key, allergen.name, *allergen.aliases[:2])}
            if normalise(term) not in own:  # "hazelnut": the whole class is checked
                notes.append(f"'{term}' is read as {allergen.name}.")
        if all(item.verdict == "suitable" for item in review_bases(catalog, [term])):
            notes.append(f"'{term}' matches no base oil of the catalog.")
    return notes
