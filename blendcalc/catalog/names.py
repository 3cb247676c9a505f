"""Finding catalog entries by the names people use.

Keys, names and aliases are compared in one normal form (:func:`normalise`); a name the
catalog lacks gets "did you mean" suggestions; a name of the ``[ambiguous]`` table
("chamomile") means several oils, so a lookup asks which instead of picking one. The loader
makes sure no name means two oils or two purposes (:mod:`blendcalc.catalog.validate`). Base
(carrier) oils have their own lookup, careful with allergens:
:func:`blendcalc.base_review.find_base`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from blendcalc.errors import AmbiguousName, UnknownName

if TYPE_CHECKING:
    from blendcalc.catalog.model import Catalog, Oil, Purpose


_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise(name: str) -> str:
    """The form names are compared in: lower case, one space for any run of -, _ or space."""
    return _SEPARATORS.sub(" ", name.strip().lower())


def find_oil(catalog: Catalog, name: str) -> Oil:
    """An oil by key, name or alias (:meth:`Catalog.find_oil`)."""
    index = oil_index(catalog)
    normal = normalise(name)
    if normal not in index:
        for entry in catalog.ambiguous.values():
            if normal in {normalise(n) for n in (entry.key, *entry.aliases)}:
                raise AmbiguousName("oil", _shown(name), list(entry.oils))
    return catalog.oils[_find(name, index, "oil")]


def oils_named(catalog: Catalog, name: str) -> list[Oil]:
    """Every oil a name may mean (:meth:`Catalog.oils_named`)."""
    normal = normalise(name)
    index = oil_index(catalog)
    if normal in index:
        return [catalog.oils[index[normal]]]
    for entry in catalog.ambiguous.values():
        if normal in {normalise(n) for n in (entry.key, *entry.aliases)}:
            return [catalog.oils[key] for key in entry.oils if key in catalog.oils]
    return []


def find_purpose(catalog: Catalog, name: str) -> Purpose:
    """A purpose by key, name or alias (:meth:`Catalog.find_purpose`)."""
    return catalog.purposes[_find(name, _purpose_index(catalog), "purpose")]


def oil_index(catalog: Catalog) -> dict[str, str]:
    """Each oil's key, name and aliases in normal form, mapped to the oil's key."""
    return _index((oil.key, (oil.name, *oil.aliases)) for oil in catalog.oils.values())


def _purpose_index(catalog: Catalog) -> dict[str, str]:
    return _index(
        (purpose.key, (purpose.name, *purpose.aliases)) for purpose in catalog.purposes.values()
    )


def _index(entries: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, names in entries:
        for name in (key, *names):
            index.setdefault(normalise(name), key)
    return index


def _find(name: str, index: dict[str, str], what: str) -> str:
    normal = normalise(name)
    if normal in index:
        return index[normal]
    import difflib

    close = difflib.get_close_matches(normal, list(index), n=6, cutoff=0.6)
    suggestions = list(dict.fromkeys(index[match] for match in close))[:3]
    if not suggestions and len(normal) >= 4:
        # Another form of an everyday word: "anxious" for "anxiety", "sleepless" for "sleep".
        stem = normal[:4]
        suggestions = sorted({key for alias, key in index.items() if alias.startswith(stem)})[:3]
    if not suggestions:
        # A word of a longer name, e.g. "orange" for "sweet orange" and "bitter orange".
        suggestions = sorted({key for alias, key in index.items() if normal and normal in alias})[
            :3
        ]
    shown = _shown(name)
    keys = sorted(set(index.values()))
    # A short list (the purposes) is worth naming in full; a long one is a command away.
    accepted = f"accepted: {', '.join(keys)}" if len(keys) <= 12 else f"see 'blendcalc {what}s'"
    raise UnknownName(what, shown, suggestions, accepted)


def _shown(name: str) -> str:
    """A user's name as an error message repeats it: stripped, and cut at 40 characters."""
    name = name.strip()
    return name if len(name) <= 40 else name[:39] + "…"
