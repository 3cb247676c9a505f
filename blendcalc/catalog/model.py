"""The catalog's data model: frozen records of what ``oils.toml`` says (:class:`Oil`,
:class:`Constituent`, :class:`Caution`, :class:`Source`...) and the :class:`Catalog` holding
them, plus the ``show --json`` document of one oil.

Every figure names a source; a field with no published figure is absent and stays ``None``,
which callers must report, never treat as safe. Nothing here reads or checks a file (that is
:mod:`blendcalc.catalog.load` and :mod:`blendcalc.catalog.validate`); the :class:`Catalog`
methods that find an entry by name hand over to :mod:`blendcalc.catalog.names`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from blendcalc.catalog import names

if TYPE_CHECKING:
    from blendcalc.bases import AllergenClass, Base

CAUTION_TOPICS = (
    "pregnancy",
    "children",
    "epilepsy",
    "anticoagulants",
    "skin",
    "face",
    "sensitisation",
    "drug-interactions",
    "asthma",
    "g6pd",
    "cardiac",
    "oxidation",
    "kidney",
    "other",
)
SEVERITIES = ("avoid", "warn")
HEADINGS = ("explicit", "inferred")


@dataclass(frozen=True)
class Source:
    """A published source (``[sources]``) that figures cite by its key."""

    key: str
    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Family:
    """A botanical family (``[families]``) and the other names people call it by."""

    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ConstituentInfo:
    """A constituent as ``[constituents]`` knows it: its other names, whether it is an EU
    fragrance allergen, and its CAS numbers."""

    key: str
    aliases: tuple[str, ...]
    eu_allergen: bool
    source: str
    cas: tuple[str, ...] = ()  # CAS numbers (an EU entry may group several substances)
    eu_entry: int | None = None  # its entry number in Annex III of Reg. (EC) 1223/2009
    # A patch-test mix ("fragrance mix I") names its members: an allergy to it is an allergy
    # to each of them. Empty for a single substance.
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Constituent:
    """A constituent of one oil, with the share its source gives (either bound may be unknown)."""

    name: str
    min_percent: Fraction | None
    max_percent: Fraction | None
    source: str
    note: str = ""

    def describe(self) -> str:
        low, high = self.min_percent, self.max_percent
        if low is None and high is None:
            return self.name
        if low is None or high is None or low == high:
            bound = high if low is None else low
            prefix = "up to " if low is None else ""
            return f"{self.name} ({prefix}{_percent(bound)})"
        return f"{self.name} ({_percent(low, unit=False)}–{_percent(high)})"


@dataclass(frozen=True)
class Caution:
    """A caution of one oil on one topic (``pregnancy``, ``children``...): ``avoid`` or ``warn``,
    with its source."""

    topic: str
    severity: str
    text: str
    source: str
    min_age_years: Fraction | None = None  # children: not for children younger than this
    age_below_years: Fraction | None = None  # children: applies to children younger than this
    max_percent: Fraction | None = None  # a lower maximum while this caution applies


@dataclass(frozen=True)
class Purpose:
    """What a blend is for (``[purposes]``), with the oils its source ranks first for it."""

    key: str
    name: str
    aliases: tuple[str, ...]
    heading: str  # "explicit" or "inferred" from the source article's table
    ranking: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Oil:
    """An essential oil: its names, purposes, safety limits, constituents and cautions, each
    figure with the key of its source."""

    key: str
    name: str
    latin: str
    family: str
    aliases: tuple[str, ...]
    purposes: tuple[str, ...]
    purposes_sources: tuple[str, ...]
    in_source_article: bool
    max_dermal_percent: Fraction | None
    max_dermal_source: str
    max_dermal_note: str
    phototoxic: bool
    phototoxic_limit_percent: Fraction | None
    phototoxic_source: str
    eu_listed_oil: bool
    constituents_complete: bool
    constituents: tuple[Constituent, ...]
    cautions: tuple[Caution, ...]
    origin: str = "shipped"  # or the path of the user catalog that defined this entry
    loosened: tuple[str, ...] = ()  # shipped safety fields a user entry loosened, on evidence
    override_source: str = ""  # the user's source key for that evidence
    # The composition source checked against every EU allergen entry (the shipped catalog
    # names one for every complete oil), and what that check covered.
    composition_source: str = ""
    composition_note: str = ""
    # For weights and labels (SPEC section 9): relative density (the middle of a published
    # range) and INCI name, each None/"" where no source gives one: never guessed.
    density: Fraction | None = None
    density_source: str = ""
    inci: str = ""
    inci_source: str = ""

    @property
    def limit_percent(self) -> Fraction | None:
        """The strictest published limit: the maximum dermal % or the phototoxic limit."""
        limits = [
            limit
            for limit in (self.max_dermal_percent, self.phototoxic_limit_percent)
            if limit is not None
        ]
        return min(limits) if limits else None

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source key this oil's figures cite, in order of first use."""
        keys = [*self.purposes_sources, self.max_dermal_source, self.phototoxic_source]
        keys += [self.composition_source]
        keys += [item.source for item in self.constituents]
        keys += [item.source for item in self.cautions]
        keys += [self.density_source, self.inci_source]
        return tuple(dict.fromkeys(key for key in keys if key))


@dataclass(frozen=True)
class Ambiguous:
    """A name people use for more than one oil (e.g. "chamomile"): it must not pick one."""

    key: str
    oils: tuple[str, ...]
    aliases: tuple[str, ...]
    source: str
    note: str = ""


@dataclass
class Catalog:
    """Every table of the merged catalog files, by key, in file order; ``files`` are the files
    read, the shipped catalog first."""

    sources: dict[str, Source] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)
    constituents: dict[str, ConstituentInfo] = field(default_factory=dict)
    purposes: dict[str, Purpose] = field(default_factory=dict)
    oils: dict[str, Oil] = field(default_factory=dict)
    allergen_classes: dict[str, AllergenClass] = field(default_factory=dict)  # see bases.py
    bases: dict[str, Base] = field(default_factory=dict)  # base (carrier) oils, see bases.py
    ambiguous: dict[str, Ambiguous] = field(default_factory=dict)
    files: tuple[str, ...] = ()

    def find_oil(self, name: str) -> Oil:
        """An oil by key, name or alias, case-insensitively.

        Raises :class:`AmbiguousName` for a name that means several oils (e.g. "chamomile"),
        with those oils as suggestions, and :class:`UnknownName` for a name it does not know.
        """
        return names.find_oil(self, name)

    def oils_named(self, name: str) -> list[Oil]:
        """Every oil a name may mean: one for an oil's key, name or alias, several for an
        ambiguous name (e.g. "chamomile"), none for an unknown name. For allergy checks,
        where a name must match all the oils it may mean rather than ask which."""
        return names.oils_named(self, name)

    def find_base(self, name: str) -> Base:
        """A base (carrier) oil by key, name or alias; :class:`UnknownName` otherwise, whose
        "did you mean" never offers a base of another allergen class by spelling alone
        (see :func:`blendcalc.base_review.find_base`)."""
        from blendcalc.base_review import find_base

        return find_base(self, name)

    def find_purpose(self, name: str) -> Purpose:
        return names.find_purpose(self, name)

    def oils_for(self, purpose: Purpose) -> list[Oil]:
        """The oils serving a purpose, best first: its ranking, then the rest in file order."""
        serving = [oil for oil in self.oils.values() if purpose.key in oil.purposes]
        ranked = [self.oils[key] for key in purpose.ranking if key in self.oils]
        # A user entry may take an oil out of a purpose that the shipped ranking still names.
        ranked = [oil for oil in ranked if purpose.key in oil.purposes]
        return ranked + [oil for oil in serving if oil not in ranked]


def _percent(value: Fraction | None, *, unit: bool = True) -> str:
    from blendcalc.numbers import format_number

    text = format_number(value, 2) if value is not None else "?"
    return f"{text} %" if unit else text


def oil_card(oil: Oil, catalog: Catalog) -> dict[str, Any]:
    """Everything the catalog says of one oil (the ``show --json`` document)."""
    from blendcalc.numbers import to_json_number

    def number(value: Fraction | None) -> int | float | None:
        return None if value is None else to_json_number(value)

    return {
        "key": oil.key,
        "name": oil.name,
        "origin": oil.origin,
        "loosened": list(oil.loosened),
        "latin": oil.latin,
        "family": oil.family,
        "aliases": list(oil.aliases),
        "purposes": list(oil.purposes),
        "in_source_article": oil.in_source_article,
        "max_dermal_percent": number(oil.max_dermal_percent),
        "max_dermal_source": oil.max_dermal_source or None,
        "max_dermal_note": oil.max_dermal_note or None,
        "phototoxic": oil.phototoxic,
        "phototoxic_limit_percent": number(oil.phototoxic_limit_percent),
        "phototoxic_source": oil.phototoxic_source or None,
        "eu_listed_oil": oil.eu_listed_oil,
        "constituents_complete": oil.constituents_complete,
        "composition_source": oil.composition_source or None,
        "composition_note": oil.composition_note or None,
        "constituents": [
            {
                "name": item.name,
                "min_percent": number(item.min_percent),
                "max_percent": number(item.max_percent),
                "eu_allergen": catalog.constituents[item.name].eu_allergen,
                "cas": list(catalog.constituents[item.name].cas),
                "source": item.source,
                "note": item.note or None,
            }
            for item in oil.constituents
        ],
        "cautions": [
            {
                "topic": item.topic,
                "severity": item.severity,
                "text": item.text,
                "min_age_years": number(item.min_age_years),
                "age_below_years": number(item.age_below_years),
                "max_percent": number(item.max_percent),
                "source": item.source,
            }
            for item in oil.cautions
        ],
        "sources": [
            {
                "key": key,
                "title": catalog.sources[key].title,
                "url": catalog.sources[key].url or None,
            }
            for key in oil.sources
        ],
    }
