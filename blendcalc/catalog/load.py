"""Loading a catalog: finding its files, reading them safely, merging them entry by entry.

The shipped catalog sits at the repository root and inside the wheel; its pre-parsed copy,
``blendcalc/oils.json``, stands in for it while the copy's CRC-32 and size stamp match the
file. A user catalog (``--oils FILE``, else ``$BLENDCALC_OILS``, else ``oils.toml`` in the
platformdirs config directory) replaces or adds entries one by one. Every problem is a
:class:`~blendcalc.errors.CatalogError` naming the file; checking the entries themselves is
:mod:`blendcalc.catalog.validate`'s part.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from blendcalc.catalog.validate import build_catalog
from blendcalc.errors import BadInput, CatalogError

if TYPE_CHECKING:
    from blendcalc.catalog.model import Catalog

TABLES = (
    "sources", "families", "constituents", "purposes", "oils", "allergen_classes", "bases",
    "ambiguous",
)  # fmt: skip

MAX_CATALOG_BYTES = 10_000_000  # the shipped catalog is about 0.1 MB


def shipped_catalog_path() -> Path:
    """oils.toml inside the installed package, or at the repository root in a checkout."""
    packaged = Path(__file__).parent.parent / "oils.toml"  # blendcalc/oils.toml
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "oils.toml"


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
    """Each file's tables merged entry by entry (a later file's entry replaces an earlier one
    whole), then validated; what a user entry may change in a shipped oil it replaces is
    checked against that shipped entry (:func:`blendcalc.overrides.check_override`)."""
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
    return build_catalog(merged, paths, shadowed)


# The shipped catalog parsed once, as JSON, next to the code (SPEC 6: TOML costs about 16 ms of
# a 0.1 s start-up, JSON under 1 ms). Data only, in the package's own folder (as trusted as the
# code beside it, unlike a user cache), used only while its checksum and size match the
# oils.toml being read; scripts/catalog_json.py writes it and a test keeps it current.
PARSED_CATALOG = Path(__file__).parent.parent / "oils.json"  # blendcalc/oils.json


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
    data = read_file(path)
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


def read_file(path: str, what: str = "catalog") -> bytes:
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
