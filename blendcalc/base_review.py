"""Which base (carrier) oils suit a person's declared allergies, and the blend engine's check of
the chosen base (SPEC section 8). The data model and its loading are :mod:`blendcalc.bases`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from blendcalc.bases import BASE_ALLERGY, NO_DATA, VERDICTS, Base, allergens_document
from blendcalc.catalog import Catalog, normalise
from blendcalc.errors import BadInput, UnknownName

if TYPE_CHECKING:
    from blendcalc.safety import Warning


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

    bases = tuple(b.key for b in catalog.bases.values() if named((b.key, b.name, *b.aliases)))
    classes = [
        c.key for c in catalog.allergen_classes.values() if named((c.key, c.name, *c.aliases))
    ]
    # An allergy to a base oil ("Arachis Oil", "sweet almond oil") is an allergy to what that
    # base is made of: its own allergen class, so bases that cross-react are flagged too.
    classes += [
        item.allergen_class
        for key in bases
        for item in catalog.bases[key].allergens
        if item.severity == "avoid" and item.allergen_class in catalog.allergen_classes
    ]
    return _Term(
        term,
        tuple(dict.fromkeys(classes)),
        tuple(f.name for f in catalog.families.values() if named((f.name, *f.aliases))),
        bases,
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
    return suitable_bases(review_bases(catalog, terms))


def suitable_bases(verdicts: Iterable[BaseVerdict]) -> list[str]:
    """The keys of the reviewed bases whose verdict is ``suitable``, in their order."""
    return [item.base.key for item in verdicts if item.verdict == "suitable"]


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
    compatible = tuple(suitable_bases(verdicts))
    warnings: tuple[Warning, ...] = ()
    if mine.verdict != "suitable":
        if mine.verdict == "avoid":
            message = f"{base.name} is ruled out as the base: {mine.reason}. "
        else:
            # A patch test is no safe way to try a food allergen on someone allergic to it:
            # the advice is a base that matches no allergy.
            message = f"{base.name}: {mine.reason}. Safer: a base that matches no allergy. "
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
    from blendcalc.safety import near_allergy_names, shown_term

    for term in unknown_terms(catalog, terms):
        classes = ", ".join(catalog.allergen_classes)
        raise UnknownName(
            "allergy",
            shown_term(term),
            near_allergy_names(catalog, term, cutoff=0.75),
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
