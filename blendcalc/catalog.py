"""The oil catalog: ``oils.toml`` read into plain objects, validated, merged with the user's
catalog, and searched by name.

The shipped catalog sits at the repository root and inside the wheel. A user catalog
(``--oils FILE``, else ``$BLENDCALC_OILS``, else ``oils.toml`` in the platformdirs config
directory) replaces or adds entries one by one. Every figure names a source; a field with no
published figure is absent and stays ``None``, which callers must report, never treat as safe.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from math import isfinite
from pathlib import Path
from typing import TYPE_CHECKING, Any

from blendcalc.errors import AmbiguousName, BadInput, CatalogError, UnknownName

if TYPE_CHECKING:
    from blendcalc.bases import AllergenClass, Base

TABLES = (
    "sources", "families", "constituents", "purposes", "oils", "allergen_classes", "bases",
    "ambiguous",
)  # fmt: skip
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
_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
_CAS = re.compile(r"([0-9]{2,7})-([0-9]{2})-([0-9])")
MAX_CATALOG_BYTES = 10_000_000  # the shipped catalog is about 0.1 MB


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Family:
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ConstituentInfo:
    key: str
    aliases: tuple[str, ...]
    eu_allergen: bool
    source: str
    cas: tuple[str, ...] = ()  # CAS numbers (an EU entry may group several substances)
    eu_entry: int | None = None  # its entry number in Annex III of Reg. (EC) 1223/2009


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
    topic: str
    severity: str
    text: str
    source: str
    min_age_years: Fraction | None = None  # children: not for children younger than this
    age_below_years: Fraction | None = None  # children: applies to children younger than this
    max_percent: Fraction | None = None  # a lower maximum while this caution applies


@dataclass(frozen=True)
class Purpose:
    key: str
    name: str
    aliases: tuple[str, ...]
    heading: str  # "explicit" or "inferred" from the source article's table
    ranking: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Oil:
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
        index = self._oil_index()
        normal = normalise(name)
        if normal not in index:
            for entry in self.ambiguous.values():
                if normal in {normalise(n) for n in (entry.key, *entry.aliases)}:
                    raise AmbiguousName("oil", _shown(name), list(entry.oils))
        return self.oils[_find(name, index, "oil")]

    def oils_named(self, name: str) -> list[Oil]:
        """Every oil a name may mean: one for an oil's key, name or alias, several for an
        ambiguous name (e.g. "chamomile"), none for an unknown name. For allergy checks,
        where a name must match all the oils it may mean rather than ask which."""
        normal = normalise(name)
        index = self._oil_index()
        if normal in index:
            return [self.oils[index[normal]]]
        for entry in self.ambiguous.values():
            if normal in {normalise(n) for n in (entry.key, *entry.aliases)}:
                return [self.oils[key] for key in entry.oils if key in self.oils]
        return []

    def find_base(self, name: str) -> Base:
        """A base (carrier) oil by key, name or alias; :class:`UnknownName` otherwise, whose
        "did you mean" never offers a base of another allergen class by spelling alone
        (see :func:`blendcalc.base_review.find_base`)."""
        from blendcalc.base_review import find_base

        return find_base(self, name)

    def find_purpose(self, name: str) -> Purpose:
        return self.purposes[_find(name, self._purpose_index(), "purpose")]

    def oils_for(self, purpose: Purpose) -> list[Oil]:
        """The oils serving a purpose, best first: its ranking, then the rest in file order."""
        serving = [oil for oil in self.oils.values() if purpose.key in oil.purposes]
        ranked = [self.oils[key] for key in purpose.ranking if key in self.oils]
        # A user entry may take an oil out of a purpose that the shipped ranking still names.
        ranked = [oil for oil in ranked if purpose.key in oil.purposes]
        return ranked + [oil for oil in serving if oil not in ranked]

    def _oil_index(self) -> dict[str, str]:
        return _index((oil.key, (oil.name, *oil.aliases)) for oil in self.oils.values())

    def _purpose_index(self) -> dict[str, str]:
        return _index(
            (purpose.key, (purpose.name, *purpose.aliases)) for purpose in self.purposes.values()
        )


def normalise(name: str) -> str:
    """The form names are compared in: lower case, one space for any run of -, _ or space."""
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())


def shipped_catalog_path() -> Path:
    """oils.toml inside the installed package, or at the repository root in a checkout."""
    packaged = Path(__file__).parent / "oils.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "oils.toml"


def user_catalog_path(explicit: str | None = None) -> Path | None:
    """``--oils FILE``, else ``$BLENDCALC_OILS``, else the config directory's oils.toml if any.

    An empty ``explicit`` is refused (it is not "no file"); an empty ``$BLENDCALC_OILS`` counts
    as unset, as empty environment variables do. A config directory that exists but cannot be
    searched, or whose path the system refuses (a name too long), is an error naming the path,
    never a silently ignored catalog: a user catalog may carry stricter safety data.
    """
    if explicit is not None:
        if not explicit.strip():
            raise BadInput("the catalog file name is empty; give a TOML file")
        return Path(explicit)
    from_environment = os.environ.get("BLENDCALC_OILS")
    if from_environment:
        return Path(from_environment)
    candidate = _config_dir() / "oils.toml"
    try:
        candidate.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:  # EACCES on the folder, ENAMETOOLONG, ELOOP...
        raise CatalogError(
            str(candidate),
            "",
            "",
            f"the config folder cannot be searched for your catalog ({_reason(error)})",
        ) from None
    except ValueError:  # a NUL character from $XDG_CONFIG_HOME
        raise CatalogError(repr(str(candidate)), "", "", "is not a usable path") from None
    return candidate


def _config_dir() -> Path:
    """platformdirs' user config directory of blendcalc; on Linux computed as platformdirs does
    ($XDG_CONFIG_HOME unless blank, else ~/.config) without importing it (4 ms of start-up)."""
    if sys.platform == "linux" and os.environ.get("ANDROID_DATA") != "/data":
        base = os.environ.get("XDG_CONFIG_HOME", "")
        folder = Path(base) if base.strip() else Path("~/.config").expanduser()
        return folder / "blendcalc"
    import platformdirs

    return Path(platformdirs.user_config_dir("blendcalc"))


def load_catalog(user_file: str | Path | None = None, *, use_user_catalog: bool = True) -> Catalog:
    """The shipped catalog merged with the user's (see :func:`user_catalog_path`), validated.

    Raises :class:`CatalogError` (a :class:`~blendcalc.errors.BadInput`) naming the file, the
    entry and the field of the first problem found.
    """
    paths = [shipped_catalog_path()]
    if use_user_catalog:
        user = user_catalog_path(None if user_file is None else str(user_file))
        if user is not None:
            paths.append(user)
    return load_catalog_files(tuple(str(path) for path in paths))


def load_catalog_files(paths: tuple[str, ...]) -> Catalog:
    """Load, merge (later files win, entry by entry) and validate catalog files.

    The files are parsed on every call: there is no cache. A cache in a user-writable folder
    is something anyone who can write that folder can plant; parsing the shipped catalog costs
    about 10 ms (SPEC section 6, and the CHANGELOG for the measurements).
    """
    return _parse_files(paths)


def _parse_files(paths: tuple[str, ...]) -> Catalog:
    merged: dict[str, dict[str, tuple[str, Any]]] = {table: {} for table in TABLES}
    shadowed: dict[str, tuple[str, Any]] = {}  # oil key -> the shipped entry a user file replaces
    for path in paths:
        document = _read_toml(path)
        for table in TABLES:
            entries = document.get(table, {})
            if not isinstance(entries, dict):
                raise CatalogError(path, table, "", "must be a table of entries")
            for key, entry in entries.items():
                if table == "oils" and key in merged["oils"]:
                    shadowed.setdefault(key, merged["oils"][key])
                merged[table][key] = (path, entry)
        unknown = set(document) - {*TABLES, "schema"}
        if unknown:
            raise CatalogError(
                path, "", sorted(unknown)[0], f"unknown table; accepted: {', '.join(TABLES)}"
            )
    return _build(merged, paths, shadowed)


# The shipped catalog parsed once, as JSON, next to the code (SPEC 6: TOML costs about 16 ms of
# a 0.1 s start-up, JSON under 1 ms). Data only, in the package's own folder (as trusted as the
# code beside it, unlike a user cache), used only while its checksum and size match the
# oils.toml being read; scripts/catalog_json.py writes it and a test keeps it current.
PARSED_CATALOG = Path(__file__).parent / "oils.json"


def parsed_catalog_stamp(data: bytes) -> dict[str, int]:
    import zlib

    return {"crc32": zlib.crc32(data), "size": len(data)}


def _read_parsed(data: bytes) -> dict[str, Any] | None:
    """The shipped catalog's document from oils.json, if that was made from these bytes."""
    import json

    try:
        stored = json.loads(PARSED_CATALOG.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("source") != parsed_catalog_stamp(data):
        return None
    document = stored.get("document")
    return document if isinstance(document, dict) else None


def _read_toml(path: str) -> dict[str, Any]:
    data = _read_file(path)
    if Path(path) == shipped_catalog_path():
        parsed = _read_parsed(data)
        if parsed is not None:
            return parsed
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte order mark, as Windows Notepad writes: not TOML, harmless
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CatalogError(path, "", "", "is UTF-16 text; save it as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogError(
            path, "", "", f"is not UTF-8 text (byte {error.start + 1} cannot be read)"
        ) from None
    import tomllib

    try:
        return tomllib.loads(text)
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise CatalogError(
            path, "", "", "is nested too deeply (arrays or tables hundreds of levels deep)"
        ) from None
    except ValueError as error:  # TOMLDecodeError, or an integer of more than 4300 digits
        raise CatalogError(path, "", "", f"is not valid TOML ({error})") from None


_NOT_REGULAR = (
    (stat.S_ISDIR, "is a folder, not a TOML file"),
    (stat.S_ISFIFO, "is a FIFO (named pipe), not a file; give a {what} file"),
    (stat.S_ISCHR, "is a device, not a file; give a {what} file"),
    (stat.S_ISBLK, "is a device, not a file; give a {what} file"),
    (stat.S_ISSOCK, "is a socket, not a file; give a {what} file"),
)


def _read_file(path: str, what: str = "catalog") -> bytes:
    """The bytes of a regular file of at most MAX_CATALOG_BYTES, or a :class:`CatalogError`.

    Opened without blocking (a FIFO with no writer would block ``open`` forever, shell
    completion included) and refused unless it is a regular file: a FIFO, a terminal or
    ``/dev/zero`` is no catalog, and reading one could wait or run on without end.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise CatalogError(path, "", "", "no such file") from None
    except IsADirectoryError:
        raise CatalogError(path, "", "", "is a folder, not a TOML file") from None
    except PermissionError:
        raise CatalogError(path, "", "", "cannot be read (permission denied)") from None
    except OSError as error:  # a name too long, a file name used as a folder, a loop...
        raise CatalogError(path, "", "", f"cannot be read ({_reason(error)})") from None
    except UnicodeEncodeError:  # a name this system's file name encoding cannot write
        raise CatalogError(
            path, "", "", "cannot be read (a name this system cannot encode)"
        ) from None
    except ValueError:  # a NUL character in the name
        raise CatalogError(repr(path), "", "", "cannot be read (the name holds a NUL)") from None
    try:
        status = os.fstat(descriptor)
        for test, problem in _NOT_REGULAR:
            if test(status.st_mode):
                raise CatalogError(path, "", "", problem.format(what=what))
        if not stat.S_ISREG(status.st_mode):
            raise CatalogError(path, "", "", "is not a regular file")
        # Read a bounded amount even so: a file can grow while it is read.
        chunks: list[bytes] = []
        read = 0
        while read <= MAX_CATALOG_BYTES:
            chunk = os.read(descriptor, MAX_CATALOG_BYTES + 1 - read)
            if not chunk:
                break
            chunks.append(chunk)
            read += len(chunk)
        data = b"".join(chunks)
    except OSError as error:  # EIO, say
        raise CatalogError(path, "", "", f"cannot be read ({_reason(error)})") from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_CATALOG_BYTES:
        limit = f"{MAX_CATALOG_BYTES // 1_000_000} MB"
        raise CatalogError(path, "", "", f"is larger than {limit}: not a {what}")
    return data


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


class _Entry:
    """Typed access to one table entry, with errors that name file, entry and field."""

    def __init__(self, path: str, entry: str, data: object) -> None:
        self.path = path
        self.entry = entry
        if not isinstance(data, dict):
            self.fail("", "must be a table")
        self.data: Mapping[str, Any] = data  # type: ignore[assignment]

    def fail(self, name: str, problem: str) -> None:
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
        # str() of a TOML float is its shortest decimal spelling, so 0.7 stays exactly 7/10.
        exact = Fraction(str(value))
        if not 0 <= exact <= 100:
            self.fail(name, f"must be a number from 0 to 100, got {value!r}")
        return exact

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

    def rows(self, name: str) -> list[_Entry]:
        value = self.data.get(name, [])
        if not isinstance(value, list):
            self.fail(name, "must be an array of tables ([[...]])")
        return [
            _Entry(self.path, f"{self.entry}.{name}[{index}]", item)
            for index, item in enumerate(value)
        ]


def _build(
    merged: dict[str, dict[str, tuple[str, Any]]],
    paths: tuple[str, ...],
    shadowed: Mapping[str, tuple[str, Any]],
) -> Catalog:
    catalog = Catalog(files=paths)
    for key, (path, data) in merged["sources"].items():
        entry = _Entry(path, f"sources.{key}", data)
        entry.check_fields({"title", "url", "note"})
        catalog.sources[key] = Source(
            key,
            entry.text("title"),
            entry.text("url", required=False),
            entry.text("note", required=False),
        )
    for key, (path, data) in merged["families"].items():
        entry = _Entry(path, f"families.{key}", data)
        entry.check_fields({"aliases"})
        catalog.families[key] = Family(key, entry.texts("aliases"))
    for key, (path, data) in merged["constituents"].items():
        entry = _Entry(path, f"constituents.{key}", data)
        entry.check_fields({"aliases", "eu_allergen", "source", "cas", "eu_entry"})
        catalog.constituents[key] = _build_constituent_info(entry, key, catalog)
    for key, (path, data) in merged["purposes"].items():
        entry = _Entry(path, f"purposes.{key}", data)
        _check_key(entry, key)
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
        entry = _Entry(path, f"oils.{key}", data)
        oil = _build_oil(entry, key, catalog)
        if not oil.sources:
            entry.fail("sources", "the oil cites no source at all; name one for what it says")
        if path != paths[0]:
            oil = replace(oil, origin=path)
        if key in shadowed:
            oil = _check_override(entry, oil, shadowed[key], catalog, merged["sources"])
        catalog.oils[key] = oil
    for key, (path, data) in merged["ambiguous"].items():
        entry = _Entry(path, f"ambiguous.{key}", data)
        ambiguous = _build_ambiguous(entry, key, catalog, merged)
        if ambiguous is not None:
            catalog.ambiguous[key] = ambiguous
    _check_cross_references(merged, catalog)
    from blendcalc.bases import build_bases

    build_bases(merged, catalog)
    return catalog


def _build_constituent_info(entry: _Entry, key: str, catalog: Catalog) -> ConstituentInfo:
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
    return ConstituentInfo(
        key,
        entry.texts("aliases"),
        eu_allergen,
        entry.source("source", catalog.sources, required=False),
        cas,
        eu_entry,
    )


def _build_ambiguous(
    entry: _Entry, key: str, catalog: Catalog, merged: dict[str, dict[str, tuple[str, Any]]]
) -> Ambiguous | None:
    """An ambiguous name, or None when a later file made the name one oil's (that file wins)."""
    entry.check_fields({"oils", "aliases", "source", "note"})
    oils = entry.texts("oils")
    if len(set(oils)) < 2:
        entry.fail("oils", "must name at least two different oils the name may mean")
    for oil in oils:
        if oil not in catalog.oils:
            entry.fail("oils", f"unknown oil {oil!r}")
    index = catalog._oil_index()
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


def _build_oil(entry: _Entry, key: str, catalog: Catalog) -> Oil:
    _check_key(entry, key)
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
    from blendcalc.bases import _density  # the same rule for oils and bases

    density = _density(entry)
    inci = entry.text("inci", required=False)
    if "inci" in entry.data and not inci.strip():
        entry.fail("inci", "must be non-empty text (leave it out when no INCI name is sourced)")
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
        density=density,
        density_source=entry.source(
            "density_source", catalog.sources, required=density is not None
        ),
        inci=inci,
        inci_source=entry.source("inci_source", catalog.sources, required=bool(inci)),
    )


def _build_constituent(entry: _Entry, catalog: Catalog) -> Constituent:
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


def _build_caution(entry: _Entry, catalog: Catalog) -> Caution:
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


def _check_override(
    entry: _Entry,
    oil: Oil,
    earlier: tuple[str, Any],
    catalog: Catalog,
    sources: Mapping[str, tuple[str, Any]],
) -> Oil:
    """A user entry replacing a shipped oil may tighten its safety data; loosening it is
    refused unless the entry names its evidence, a source of the user's own file."""
    from blendcalc.overrides import loosened_fields

    shipped = _build_oil(_Entry(earlier[0], f"oils.{oil.key}", earlier[1]), oil.key, catalog)
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


def _check_key(entry: _Entry, key: str) -> None:
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
