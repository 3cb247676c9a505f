"""Issue 11, "Hardening": the environment around the program, tried as an attacker and as an
unlucky user would. Each test runs the installed ``blendcalc`` program the way the report did:
real pipes, real FIFOs, real environment variables, bash for redirections (``>/dev/full``,
``>&-``), and a user who is not root where permissions matter.

The items of the issue are named in each test's name or docstring (``item 7``).
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

import blendcalc
from blendcalc.catalog import shipped_catalog_path
from blendcalc.terminal import escape, json_text

PROGRAM = Path(sys.executable).parent / "blendcalc"  # the console script of this environment
BASH = shutil.which("bash")
SETPRIV = shutil.which("setpriv")
NOBODY = 65534
SOON = 20  # seconds: anything that "blocks forever" fails well before the test times out
# The standing reminders as the condensed answer gives them (SPEC sections 4.5 and 10).
REMINDERS = ("Reminder: Patch-test first", "Reminder: Do not massage", "stop if the person feels")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A private HOME with empty config and cache folders, and its own TMPDIR."""
    for folder in ("home", "config", "cache", "tmp"):
        (tmp_path / folder).mkdir()
    return tmp_path


def environment(home: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BLENDCALC", "_BLENDCALC", "COMP_", "PYTHON", "LC_"))
        and key not in {"COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR"}
    }
    env.update(
        HOME=str(home / "home"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        TMPDIR=str(home / "tmp"),
        NO_COLOR="1",
        COLUMNS="100",
    )
    env.update(extra)
    return env


def blendcalc_run(
    home: Path, *args: str, stdin: bytes | None = None, **extra: str
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed program with pipes for stdin, stdout and stderr."""
    assert PROGRAM.exists(), f"blendcalc is not installed in this environment ({PROGRAM})"
    return subprocess.run(
        [str(PROGRAM), *args],
        input=stdin,
        capture_output=True,
        env=environment(home, **extra),
        cwd=home,
        timeout=SOON,
        check=False,
    )


def shell(home: Path, script: str, *args: str, **extra: str) -> subprocess.CompletedProcess[bytes]:
    """Run a bash script with ``$B`` the installed program: for redirections as users type
    them (``>/dev/full``, ``>&-``, ``| head -3``)."""
    if BASH is None:
        pytest.skip("bash is needed to redirect as a shell does")
    return subprocess.run(
        [BASH, "--norc", "--noprofile", "-c", script, "bash", *args],
        capture_output=True,
        env=environment(home, B=str(PROGRAM), **extra),
        cwd=home,
        timeout=SOON,
        check=False,
    )


def complete(home: Path, words: str, **extra: str) -> subprocess.CompletedProcess[bytes]:
    """Ask the installed program for completions as bash's completion function does."""
    return blendcalc_run(
        home,
        _BLENDCALC_COMPLETE="complete_bash",
        COMP_WORDS=words,
        COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        **extra,
    )


def text(stream: bytes) -> str:
    return stream.decode("utf-8", "backslashreplace")


def assert_one_error_line(done: subprocess.CompletedProcess[bytes], *fragments: str) -> str:
    """Exit 2, nothing on stdout, exactly one ``Error: ...`` line on stderr."""
    err = text(done.stderr)
    assert done.returncode == 2, (done.returncode, err)
    assert done.stdout == b"", text(done.stdout)
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: "), err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def assert_no_traceback(done: subprocess.CompletedProcess[bytes]) -> None:
    for stream in (done.stdout, done.stderr):
        assert b"Traceback" not in stream, text(stream)
        assert b"Exception ignored" not in stream, text(stream)
        assert b"internal error" not in stream, text(stream)


def files_under(*folders: Path) -> set[Path]:
    return {path for folder in folders for path in folder.rglob("*")}


USER_OIL = """\
[sources.ME]
title = "my notes"

[oils.test-oil]
name = "{name}"
latin = "Testus oleum"
family = "Lamiaceae"
purposes = ["skin"]
purposes_sources = ["ME"]
phototoxic = false
"""


def write_catalog(path: Path, name: str = "Test oil") -> Path:
    path.write_text(USER_OIL.format(name=name), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------
# Item 1: no cache, so nothing planted in the cache folder is ever read or run
# --------------------------------------------------------------------------------------


class _Payload:
    """A pickle that, when loaded, creates a file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def _old_cache_name(paths: list[Path]) -> str:
    """The file name the pickle cache of 0.1 used for these catalog files."""
    parts = [blendcalc.__version__]
    for path in paths:
        status = path.stat()
        parts.append(f"{path.resolve()}:{status.st_size}:{status.st_mtime_ns}")
    key = "\n".join(parts).encode()
    return f"catalog-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.pickle"


def _plant(cache: Path, marker: Path, user: Path | None = None) -> set[Path]:
    folder = cache / "blendcalc"
    folder.mkdir(parents=True, exist_ok=True)
    payload = pickle.dumps(_Payload(marker))
    names = [_old_cache_name([shipped_catalog_path()]), "catalog.pickle", "catalog.json"]
    if user is not None:
        names.append(_old_cache_name([shipped_catalog_path(), user]))
    for name in names:
        (folder / name).write_bytes(payload)
    # An "older code version" cache too (item 6): a pickle of something else entirely.
    (folder / "catalog-0000000000000000.pickle").write_bytes(pickle.dumps({"old": [1, 2]}))
    return files_under(cache)


def test_a_planted_pickle_in_the_cache_folder_runs_nothing(home: Path) -> None:
    """Item 1: a pickle planted where the old cache lived (by anyone who can write the user
    cache folder) ran code as the user, tab completion included. Nothing reads it now."""
    marker = home / "tmp" / "code-ran"
    user = write_catalog(home / "user.toml")
    before = _plant(home / "cache", marker, user)
    runs = [
        blendcalc_run(home, "oils", "--json"),
        blendcalc_run(home, "show", "bergamot", "--json"),
        blendcalc_run(home, "blend", "30ml", "lavender", "bergamot"),
        blendcalc_run(home, "show", "test-oil", "--oils", str(user)),
        complete(home, "blendcalc show lav"),
    ]
    for done in runs:
        assert done.returncode == 0, text(done.stderr)
        assert_no_traceback(done)
    assert not marker.exists(), "a planted pickle ran code"
    assert files_under(home / "cache") == before, "the program wrote to the cache folder"
    # The shipped safety data is what oils.toml says, whatever lies in the cache folder.
    card = json.loads(runs[1].stdout)
    assert card["phototoxic"] is True
    assert card["phototoxic_limit_percent"] == 0.4


def test_no_file_is_written_anywhere_even_under_umask_000(home: Path) -> None:
    """Item 1 and 17: under umask 000 the cache folder and file were world-writable, the
    temporary file followed symlinks, and temporary files leaked. With no cache nothing is
    written at all: not in HOME, the cache or config folders, nor TMPDIR."""
    target = home / "tmp" / "precious"
    target.write_text("keep me", encoding="utf-8")
    target.chmod(0o600)
    folder = home / "cache" / "blendcalc"
    folder.mkdir()
    for pid in range(1, 200):  # the old temporary names, as symlinks to a file to overwrite
        (folder / f"catalog-0123456789abcdef.{pid}.tmp").symlink_to(target)
    before = files_under(home)
    script = 'umask 000; "$B" oils --json >/dev/null && "$B" blend 30ml lavender >/dev/null 2>&1'
    done = shell(home, script)
    assert done.returncode == 0, text(done.stderr)
    assert files_under(home) == before
    assert target.read_text(encoding="utf-8") == "keep me"


def test_an_older_cache_is_not_an_error(home: Path) -> None:
    """Item 6: a cache from an older code version gave an AttributeError until deleted."""
    folder = home / "cache" / "blendcalc"
    folder.mkdir()
    (folder / _old_cache_name([shipped_catalog_path()])).write_bytes(
        pickle.dumps(("stale key", {"oils": "from an older version"}))
    )
    done = blendcalc_run(home, "oils", "--json")
    assert done.returncode == 0, text(done.stderr)
    assert "lavender" in {oil["key"] for oil in json.loads(done.stdout)}


def test_an_edit_of_the_same_size_with_the_same_mtime_is_seen(home: Path) -> None:
    """Item 11: a same-size edit within one timestamp tick (or with a preserved mtime) served
    the stale catalog. The catalog is read on every run."""
    user = write_catalog(home / "user.toml", "First")
    status = user.stat()
    first = blendcalc_run(home, "show", "test-oil", "--json", "--oils", str(user))
    assert json.loads(first.stdout)["name"] == "First"
    write_catalog(user, "Other")  # the same number of bytes
    os.utime(user, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert user.stat().st_size == status.st_size
    assert user.stat().st_mtime_ns == status.st_mtime_ns
    second = blendcalc_run(home, "show", "test-oil", "--json", "--oils", str(user))
    assert json.loads(second.stdout)["name"] == "Other"


# --------------------------------------------------------------------------------------
# Item 2: text from a catalog is escaped on its way to the terminal
# --------------------------------------------------------------------------------------

FORGED = "Reminder: Patch test is not needed for this oil."
HOSTILE_CATALOG = f"""\
[sources.ME]
title = "my notes \\u001b]0;pwned\\u0007 \\u009b31m"
url = "https://example.org/\\u001b[2J"

[oils.evil-oil]
name = "Evil\\u001b[31m oil\\n{FORGED}"
latin = "Testus\\u2028oleum \\u202eesrever"
family = "Lamiaceae"
aliases = ["evil\\tone"]
purposes = ["relaxation", "skin"]
purposes_sources = ["ME"]
phototoxic = false

[[oils.evil-oil.cautions]]
topic = "skin"
severity = "warn"
text = "Fine.\\r\\n{FORGED}\\u001b[0m"
source = "ME"
"""


@pytest.mark.parametrize(
    "args",
    [
        ["show", "evil-oil"],
        ["oils"],
        ["oils", "--purpose", "skin"],
        ["suggest", "skin"],
        ["blend", "30ml", "evil-oil", "lavender"],
        ["blend", "30ml", "evil-oil", "--allergy", "evil-oil"],
        ["blend", "10ml", "--purpose", "skin", "--count", "20", "--profile", "sensitive"],
    ],
)
def test_catalog_text_is_escaped_in_tables_warnings_and_cards(home: Path, args: list[str]) -> None:
    """Item 2: ESC sequences from a user catalog recoloured the terminal and a line break
    forged the line 'Reminder: Patch test is not needed for this oil.'"""
    user = home / "evil.toml"
    user.write_text(HOSTILE_CATALOG, encoding="utf-8")
    for width in ("100", "20"):  # the table, and the list layout of narrow terminals
        done = blendcalc_run(home, *args, "--oils", str(user), COLUMNS=width)
        assert done.returncode in {0, 3, 4}, text(done.stderr)
        assert_no_traceback(done)
        both = text(done.stdout) + text(done.stderr)
        for raw in ("\x1b", "\x07", "\x9b", "\r", "\t", "\u2028", "\u202e"):
            assert raw not in both, (raw, both)
        for line in both.splitlines():
            assert not line.startswith(FORGED), both
        assert "\\x1b" in both, both  # shown, escaped


@pytest.mark.parametrize(
    "args", [["show", "evil-oil"], ["oils"], ["blend", "30ml", "evil-oil"], ["suggest", "skin"]]
)
def test_catalog_text_in_json_is_escaped_and_unchanged(home: Path, args: list[str]) -> None:
    """Item 2 in JSON: control characters, the 8-bit CSI, U+2028 and the bidi override are
    JSON escapes, so the document prints harmlessly and still means the same."""
    user = home / "evil.toml"
    user.write_text(HOSTILE_CATALOG, encoding="utf-8")
    done = blendcalc_run(home, *args, "--json", "--oils", str(user))
    assert done.returncode == 0, text(done.stderr)
    for raw in ("\x1b", "\x07", "\x9b", "\r", "\t", "\u2028", "\u202e"):
        assert raw.encode() not in done.stdout
    assert f"Evil\x1b[31m oil\n{FORGED}" in set(_strings(json.loads(done.stdout)))


def _strings(document: object) -> Iterator[str]:
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for value in document.values():
            yield from _strings(value)
    elif isinstance(document, list):
        for value in document:
            yield from _strings(value)


def test_escape_shows_every_control_character_and_keeps_plain_text() -> None:
    assert escape("Lavender (true) – 5 %, ½ tsp, бергамот, 薰衣草") == (
        "Lavender (true) – 5 %, ½ tsp, бергамот, 薰衣草"
    )
    assert escape("a\x1b[31mb\nc\rd\te\x7ff\x9bg\u2028h\u202ei\u200bj\udcff") == (
        "a\\x1b[31mb\\nc\\rd\\te\\x7ff\\x9bg\\u2028h\\u202ei\\u200bj\\udcff"
    )
    assert escape("30\u00a0ml") == "30\u00a0ml"  # a no-break space is a space
    hostile = "x\x1b\n\u2028\U000e0001"
    assert escape(escape(hostile)) == escape(hostile)
    assert len(escape(hostile).splitlines()) == 1


def test_json_text_escapes_what_json_dumps_leaves_raw() -> None:
    document = {"name": "a\x7f\x9b\u2028\u202e\U000e0001b", "n": [1, 2]}
    written = json_text(document)
    assert written.replace("\n", "").isprintable()
    assert json.loads(written) == document
    assert json.loads(json_text(document, ascii_only=True)) == document


# --------------------------------------------------------------------------------------
# Items 3, 4, 16, 18: hostile catalogs, folders and files, by all three routes
# --------------------------------------------------------------------------------------


def _routes(home: Path, catalog: Path) -> Iterator[tuple[str, list[str], dict[str, str]]]:
    """The three ways a user catalog arrives: --oils, $BLENDCALC_OILS, the config folder."""
    yield "--oils", ["--oils", str(catalog)], {}
    yield "$BLENDCALC_OILS", [], {"BLENDCALC_OILS": str(catalog)}
    config = home / "config" / "blendcalc"
    config.mkdir(parents=True, exist_ok=True)
    placed = config / "oils.toml"
    if placed.exists() or placed.is_symlink():
        placed.unlink()
    if stat.S_ISFIFO(catalog.stat().st_mode):
        os.mkfifo(placed)
    else:
        shutil.copyfile(catalog, placed)
    yield "config folder", [], {}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("arrays", "nested too deeply"),
        ("tables", "nested too deeply"),
        ("fifo", "is a FIFO"),
        ("bom", None),
        ("utf16", "is UTF-16 text"),
        ("empty-alias", "aliases: holds an empty name"),
    ],
)
def test_a_hostile_catalog_by_every_route(home: Path, kind: str, expected: str | None) -> None:
    """Item 3 (a TOML catalog nested 600 deep: RecursionError, through completion too), item
    16 (a FIFO blocked forever) and item 18 (a BOM gave only "Invalid statement (line 1,
    column 1)"; ``aliases = [""]`` was accepted): one error line within seconds, by --oils,
    $BLENDCALC_OILS and the config folder alike, and completion stays quiet."""
    catalog = home / f"{kind}.toml"
    if kind == "arrays":
        catalog.write_text("x = " + "[" * 600 + "]" * 600 + "\n", encoding="utf-8")
    elif kind == "tables":
        catalog.write_text("x = " + "{a = " * 600 + "1" + "}" * 600 + "\n", encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(catalog)
    elif kind == "bom":
        catalog.write_bytes(b"\xef\xbb\xbf" + USER_OIL.format(name="BOM oil").encode())
    elif kind == "utf16":
        catalog.write_bytes(USER_OIL.format(name="x").encode("utf-16"))
    else:
        catalog.write_text(
            USER_OIL.format(name="x").replace(
                "phototoxic = false", 'phototoxic = false\naliases = [""]'
            ),
            encoding="utf-8",
        )
    for route, args, extra in _routes(home, catalog):
        for command in (["blend", "30ml", "lavender"], ["oils", "--json"], ["show", "lavender"]):
            started = time.monotonic()
            done = blendcalc_run(home, *command, *args, **extra)
            assert time.monotonic() - started < SOON / 2, (route, command)
            assert_no_traceback(done)
            if expected is None:
                assert done.returncode == 0, (route, text(done.stderr))
            else:
                line = assert_one_error_line(done, expected)
                assert str(catalog.name) in line or "oils.toml" in line, (route, line)
        offered = complete(home, "blendcalc show lav", **extra)
        assert offered.returncode == 0, (route, text(offered.stderr))
        assert_no_traceback(offered)
        if route != "--oils":  # completion reads the environment's catalog, not --oils
            assert text(offered.stdout).split() == ([] if expected else ["lavender"]), route
    if kind == "bom":
        shown = blendcalc_run(home, "show", "test-oil", "--json", "--oils", str(catalog))
        assert json.loads(shown.stdout)["name"] == "BOM oil"


def test_show_of_an_empty_name_finds_nothing(home: Path) -> None:
    """Item 18: with ``aliases = [""]`` accepted, ``show ""`` found an oil."""
    assert_one_error_line(blendcalc_run(home, "show", ""), "empty")
    assert_one_error_line(blendcalc_run(home, "show", " "), "empty")


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero", "/dev/stdin"])
def test_a_device_or_a_pipe_is_not_a_catalog(home: Path, device: str) -> None:
    """Item 16 and 17: ``--oils /dev/stdin`` from a pipe is a FIFO; a device is not a file.
    From a regular file redirected to stdin it is read like any file."""
    done = blendcalc_run(home, "oils", "--json", "--oils", device, stdin=b"")
    line = assert_one_error_line(done)
    assert "is a device" in line or "is a FIFO" in line
    if device == "/dev/stdin":
        user = write_catalog(home / "user.toml")
        redirected = shell(home, '"$B" show test-oil --json --oils /dev/stdin <"$1"', str(user))
        assert redirected.returncode == 0, text(redirected.stderr)
        assert json.loads(redirected.stdout)["key"] == "test-oil"


def test_a_fifo_where_the_cache_was_changes_nothing(home: Path) -> None:
    """Item 16: a FIFO at the cache path blocked every command, completion included."""
    folder = home / "cache" / "blendcalc"
    folder.mkdir()
    os.mkfifo(folder / _old_cache_name([shipped_catalog_path()]))
    assert blendcalc_run(home, "oils", "--json").returncode == 0
    assert text(complete(home, "blendcalc show lav").stdout).split() == ["lavender"]


def test_a_config_path_with_a_300_character_component(home: Path) -> None:
    """Item 4: an XDG path with a 300-character component gave ENAMETOOLONG in every catalog
    command, ``blend`` included."""
    long_config = str(home / ("x" * 300))
    for command in (["blend", "30ml", "lavender"], ["oils", "--json"], ["show", "lavender"]):
        done = blendcalc_run(home, *command, XDG_CONFIG_HOME=long_config)
        line = assert_one_error_line(done, "File name too long")
        assert len(line) < 400, line
    offered = complete(home, "blendcalc show lav", XDG_CONFIG_HOME=long_config)
    assert offered.returncode == 0
    assert_no_traceback(offered)


def _as_another_user() -> list[str]:
    """The command prefix that runs a program as a user who is not root, or a skip."""
    if os.geteuid() != 0:
        return []  # already not root: permissions apply as they are
    if SETPRIV is None:
        pytest.skip("running as root and setpriv is missing: no non-root user to test with")
    prefix = [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    probe = subprocess.run(
        [*prefix, str(PROGRAM), "--version"], capture_output=True, timeout=SOON, check=False
    )
    if probe.returncode != 0:
        pytest.skip(f"user {NOBODY} cannot run the installed program: {text(probe.stderr)}")
    return prefix


def test_a_config_folder_the_user_cannot_read(tmp_path: Path) -> None:
    """Item 4: a config folder the user cannot read gave PermissionError in every catalog
    command. As a user who is not root (root reads everything, so the test would prove
    nothing as root), each command is one error line naming the path, and completion is quiet.
    """
    prefix = _as_another_user()
    base = Path(tempfile.mkdtemp(prefix="blendcalc-perm-"))
    try:
        base.chmod(0o755)
        config = base / "config"
        (config / "blendcalc").mkdir(parents=True)
        (config / "blendcalc" / "oils.toml").write_text("", encoding="utf-8")
        (config / "blendcalc").chmod(0o000)
        env = environment(base, XDG_CONFIG_HOME=str(config), HOME=str(base), TMPDIR=str(base))
        for command in (["blend", "30ml", "lavender"], ["oils", "--json"], ["show", "lavender"]):
            done = subprocess.run(
                [*prefix, str(PROGRAM), *command],
                capture_output=True,
                env=env,
                cwd=base,
                timeout=SOON,
                check=False,
            )
            assert_one_error_line(done, str(config / "blendcalc"), "Permission denied")
        words = {"_BLENDCALC_COMPLETE": "complete_bash", "COMP_WORDS": "blendcalc show lav"}
        offered = subprocess.run(
            [*prefix, str(PROGRAM)],
            capture_output=True,
            env={**env, **words, "COMP_CWORD": "2"},
            cwd=base,
            timeout=SOON,
            check=False,
        )
        assert offered.returncode == 0
        assert_no_traceback(offered)
    finally:
        (base / "config" / "blendcalc").chmod(0o700)
        shutil.rmtree(base)


# --------------------------------------------------------------------------------------
# Items 5, 7, 8, 9, 12: the streams and the terminal
# --------------------------------------------------------------------------------------

ASCII_ENVIRONMENTS = [
    {"PYTHONIOENCODING": "ascii"},
    {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
]


@pytest.mark.parametrize("extra", ASCII_ENVIRONMENTS, ids=["PYTHONIOENCODING", "C-locale"])
@pytest.mark.parametrize(
    "args",
    [
        ["oils", "--json"],
        ["blend", "30ml", "lavender", "peppermint", "--json"],
        ["show", "lavender"],
        ["show", "bergamot", "--json"],
        ["blend", "50ml", "lavender:2", "bergamot:1"],
        ["convert", "½ tsp", "ml"],
        ["--help"],
        ["blend", "30ml", "lavendr"],
    ],
)
def test_an_ascii_only_output_gets_escapes_not_a_crash(
    home: Path, extra: dict[str, str], args: list[str]
) -> None:
    """Item 5: ``PYTHONIOENCODING=ascii`` (or the C locale with UTF-8 mode off) gave a
    UnicodeEncodeError in ``oils --json``, ``blend … --json`` and ``show lavender``."""
    done = blendcalc_run(home, *args, **extra)
    assert_no_traceback(done)
    if "LC_ALL" in extra and not all(arg.isascii() for arg in args):
        # In the C locale without UTF-8 mode, Python cannot read '½' from the command line
        # as text (it arrives as undecodable bytes): bad input, in one line.
        assert_one_error_line(done)
        return
    assert done.returncode == (2 if args[-1] == "lavendr" else 0), text(done.stderr)
    done.stdout.decode("ascii")
    if "--json" in args:
        json.loads(done.stdout)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["oils", "--json"], 2),
        (["blend", "30ml", "lavender", "peppermint"], 2),
        (["--help"], 2),
        (["show", "lavender"], 2),
    ],
)
def test_a_full_disk_is_one_error_line_and_exit_2(
    home: Path, args: list[str], expected: int
) -> None:
    """Item 7: ``>/dev/full`` said "internal error (OSError 28) … please report it"."""
    if not Path("/dev/full").exists():
        pytest.skip("this system has no /dev/full")
    done = shell(home, '"$B" "$@" >/dev/full', *args)
    assert done.returncode == expected
    assert_no_traceback(done)
    assert text(done.stderr).splitlines() == [
        "Error: cannot write the output (No space left on device)"
    ]


def test_a_closed_stdout_or_stderr_ends_quietly(home: Path) -> None:
    """Item 7: ``--json >&-`` gave an internal AttributeError; bad input with stderr closed
    exited 1."""
    closed_out = shell(home, '"$B" blend 30ml lavender --json >&-')
    assert closed_out.returncode == 0, text(closed_out.stderr)
    assert closed_out.stderr == b""
    closed_err = shell(home, '"$B" blend 30ml lavendr 2>&-')
    assert closed_err.returncode == 2
    assert closed_err.stdout == b""


def test_closing_both_streams_keeps_the_exit_code(home: Path) -> None:
    done = shell(home, 'exec 3>&1; "$B" blend 30ml lavendr >&- 2>&-; echo "exit $?"')
    assert text(done.stdout).strip() == "exit 2"
    done = shell(home, 'exec 3>&1; "$B" blend 30ml lavender >&- 2>&-; echo "exit $?"')
    assert text(done.stdout).strip() == "exit 0"


@pytest.mark.parametrize("reader", ["head -3", "true", "head -c 1"])
def test_a_reader_that_leaves_early_loses_no_warning(home: Path, reader: str) -> None:
    """Item 9: ``blendcalc blend 50ml lavender:2 bergamot:1 | head -3`` exited 1 with
    nothing on stderr: the phototoxic warning and the reminders were lost (20 of 20 runs)."""
    script = f'set -o pipefail; "$B" blend 50ml lavender:2 bergamot:1 | {reader} >/dev/null'
    for _ in range(3):
        done = shell(home, script)
        assert done.returncode == 0, text(done.stderr)
        assert_no_traceback(done)
        err = text(done.stderr)
        assert "Warning (phototoxic)" in err, err
        for reminder in REMINDERS:
            assert reminder in err, err


def test_a_reader_that_leaves_early_from_json_or_help(home: Path) -> None:
    for args in ("oils --json", "--help", "show lavender", "chart"):
        done = shell(home, f'set -o pipefail; "$B" {args} | true')
        assert done.returncode == 0, (args, text(done.stderr))
        assert done.stderr == b"", (args, text(done.stderr))


@pytest.mark.parametrize("columns", ["99999999999999999999", "0", "-5", "٣٠", "", "10001"])
def test_an_unusable_columns_is_ignored(home: Path, columns: str) -> None:
    """Item 8: ``COLUMNS=99999999999999999999 blendcalc --help`` raised OverflowError."""
    for args in (["--help"], ["blend", "30ml", "lavender"]):
        done = blendcalc_run(home, *args, COLUMNS=columns)
        assert done.returncode == 0, (args, text(done.stderr))
        assert_no_traceback(done)
        assert max(len(line) for line in text(done.stdout).splitlines()) <= 200


@pytest.mark.parametrize("columns", ["10", "20", "40", "60", "80"])
def test_narrow_terminals_get_every_cell_whole(home: Path, columns: str) -> None:
    """Item 12: ``COLUMNS=10`` or ``20`` printed the blend table with every cell blank.
    Narrow terminals get a list instead; at 80 columns and more, a table that cuts no key,
    number or unit (SPEC section 10)."""
    asked = ["blend", "30ml", "lavender:2", "bergamot", "clove-bud"]
    blend = blendcalc_run(home, *asked, COLUMNS=columns)
    assert blend.returncode == 0, text(blend.stderr)
    document = json.loads(blendcalc_run(home, *asked, "--json").stdout)
    words = set(text(blend.stdout).replace("│", " ").replace("|", " ").split())
    for oil in document["oils"]:
        for word in oil["name"].split():
            assert word in words, (word, text(blend.stdout))
        assert str(oil["drops"]) in words
    oils = blendcalc_run(home, "oils", COLUMNS=columns)
    listed = set(text(oils.stdout).replace("│", " ").replace(",", " ").split())
    keys = [oil["key"] for oil in json.loads(blendcalc_run(home, "oils", "--json").stdout)]
    assert set(keys) <= listed, set(keys) - listed
    suggest = blendcalc_run(home, "suggest", "focus", COLUMNS=columns)
    assert suggest.returncode == 0
    assert {"peppermint", "thyme", "bergamot", "lemon"} <= set(text(suggest.stdout).split())


# --------------------------------------------------------------------------------------
# Items 10, 13, 14, 15, 18: values on the command line
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ratio", ["5-10 drops per ", "5-10 drops per  ", "5-10 drops per /2", "5-10 drops per\t"]
)
def test_a_ratio_without_a_volume_is_refused(home: Path, ratio: str) -> None:
    """Item 10: ``--ratio "5-10 drops per "`` was read as per 1 mL (225 drops, 37.5 %, exit
    0), and ``"5-10 drops per /2"`` as per 0.5 mL."""
    done = blendcalc_run(home, "blend", "30ml", "lavender", "--ratio", ratio)
    assert_one_error_line(done, "--ratio")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["blend", "30ml", "lavender", "--profile", ""], "--profile is empty"),
        (["suggest", "skin", "--profile", " "], "--profile is empty"),
        (["oils", "--purpose", ""], "--purpose is empty"),
        (["blend", "30ml", "--purpose", ""], "--purpose is empty"),
        (["oils", "--oils", ""], "--oils is empty"),
        (["blend", "30ml", "lavender", "--oils", ""], "--oils is empty"),
        (["blend", "30ml", "lavender", "--allergy", ""], "--allergy is empty"),
        (["blend", "30ml", "lavender", "--count", "-5"], "negative"),
        (["blend", "30ml", "--purpose", "skin", "--count", "-5"], "negative"),
        (["suggest", "skin", "--count", "-5"], "negative"),
        (["suggest", "skin", "--count", "0"], "out of range"),
        (["blend", "30ml", "lavender", "--drops", "-5"], "negative"),
    ],
)
def test_an_empty_value_is_not_a_missing_one(home: Path, args: list[str], fragment: str) -> None:
    """Item 13: ``--profile ""`` was adult, ``oils --purpose ""`` listed everything,
    ``--oils ""`` fell through to $BLENDCALC_OILS; ``--count -5`` was accepted and ignored."""
    user = write_catalog(home / "user.toml")
    assert_one_error_line(blendcalc_run(home, *args, BLENDCALC_OILS=str(user)), fragment)


@pytest.mark.parametrize("number", ["٣٠", "３０", "1_0", "𝟑"])
@pytest.mark.parametrize(
    "args",
    [
        ["blend", "30ml", "--purpose", "skin", "--count"],
        ["suggest", "skin", "--count"],
        ["blend", "30ml", "lavender", "--drops"],
    ],
)
def test_integer_options_take_only_the_digits_0_to_9(
    home: Path, args: list[str], number: str
) -> None:
    """Item 14: integer options accepted ``٣٠``, ``３０`` and ``1_0``, against the one number
    rule (every other number is read with the digits 0-9 only)."""
    assert_one_error_line(blendcalc_run(home, *args, number), "digits 0-9")


def test_plain_integers_still_work(home: Path) -> None:
    assert blendcalc_run(home, "blend", "30ml", "lavender", "--drops", "+12").returncode == 0
    done = blendcalc_run(home, "suggest", "skin", "--count", " 2 ", "--json")
    assert len(json.loads(done.stdout)["oils"]) == 2


@pytest.mark.parametrize("count", [4_000, 20_000])
def test_thousands_of_allergy_terms_answer_at_once(home: Path, count: int) -> None:
    """Item 15: ``--allergy`` with 4,000 distinct terms took 6 s (20,000: 106 s): quadratic
    de-duplication. Terms are de-duplicated in a set, and more than 100 different ones are
    refused at once: each is matched against the whole catalog."""
    terms = [f"t{index}" for index in range(count)]
    options = []  # in several --allergy options: one argument may hold at most 128 kB
    for start in range(0, count, 4_000):
        options += ["--allergy", ",".join(terms[start : start + 4_000])]
    started = time.monotonic()
    done = blendcalc_run(home, "blend", "30ml", "lavender", *options)
    assert time.monotonic() - started < 5
    assert_one_error_line(done, "at most 100")
    repeated = ["--allergy", ",".join(["linalool", "Linalool", " LINALOOL "] * 1_000)]
    started = time.monotonic()
    done = blendcalc_run(home, "suggest", "skin", *repeated * (count // 3_000), "--json")
    assert time.monotonic() - started < 5
    assert done.returncode == 0, text(done.stderr)


def test_a_hundred_allergy_terms_are_still_answered(home: Path) -> None:
    terms = ",".join(f"term{index}" for index in range(100))
    done = blendcalc_run(home, "suggest", "skin", "--allergy", terms, "--json")
    assert done.returncode == 0, text(done.stderr)
    assert len(json.loads(done.stdout)["warnings"]) >= 100


@pytest.mark.parametrize(
    "args",
    [
        ["blend", "x" * 100_000, "lavender"],
        ["blend", "30ml", "y" * 100_000],
        ["show", "z" * 100_000],
        ["blend", "30ml", "lavender", "--ratio", "5-10 drops per " + "1" * 100_000],
        ["oils", "--oils", "/tmp/" + "n" * 100_000],
        ["convert", "1 " + "u" * 100_000, "ml"],
        ["blend", "30ml", "lavender", "--allergy", "a" * 100_000],
        ["blend", "30ml", "lavender", "--" + "b" * 100_000],
        ["c" * 100_000],
    ],
)
def test_a_huge_argument_is_not_echoed_whole(home: Path, args: list[str]) -> None:
    """Item 18: 100 KB error lines echoed whole arguments."""
    line = assert_one_error_line(blendcalc_run(home, *args))
    assert len(line) < 500, line[:1000]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["blend", "30ml", "lavender", "--bogus"], "--bogus"),
        (["blend", "--bogus", "30ml", "lavender"], "--bogus"),
        (["blend", "30ml", "lavender", "--bogus=3"], "--bogus"),
        (["convert", "--bogus", "30ml", "ml"], "--bogus"),
        (["convert", "30ml", "ml", "--jsn"], "--jsn"),
    ],
)
def test_an_unknown_option_is_named_as_one(home: Path, args: list[str], option: str) -> None:
    """Item 18: ``blend … --bogus`` said "unknown oil '--bogus'"."""
    line = assert_one_error_line(blendcalc_run(home, *args), f"no such option: {option}")
    assert "unknown oil" not in line


def test_an_option_value_that_looks_like_an_option_is_still_a_value(home: Path) -> None:
    done = blendcalc_run(home, "blend", "30ml", "lavender", "--ratio", "--bogus")
    assert_one_error_line(done, "--ratio '--bogus' is not a ratio")
    assert blendcalc_run(home, "convert", "-5ml", "ml").returncode == 2  # a negative volume


# --------------------------------------------------------------------------------------
# Item 18: Ctrl-C
# --------------------------------------------------------------------------------------

INTERRUPT_DURING_IMPORT = """\
import sys

WHEN = sys.argv[1]

class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == WHEN:
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupt())
sys.argv = ["blendcalc", "blend", "30ml", "lavender"]
from blendcalc.entry import main
main()
"""


# rich is no longer imported by any command's output, and the shipped catalog loads from
# blendcalc/oils.json (json), not through tomllib: the modules below are what ``blend``
# imports while it starts.
@pytest.mark.parametrize("module", ["typer", "blendcalc.cli", "blendcalc.output", "json", "pint"])
def test_ctrl_c_while_the_program_starts_is_one_line_and_exit_130(home: Path, module: str) -> None:
    """Item 18: Ctrl-C in the first 50 ms printed a traceback. Ctrl-C arriving while the
    program imports Typer, the CLI, the output, json or Pint (the first 50-200 ms) ends with
    exit 130 and one line. Simulated exactly: the import raises KeyboardInterrupt."""
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPT_DURING_IMPORT, module],
        capture_output=True,
        env=environment(home),
        timeout=SOON,
        check=False,
    )
    assert done.returncode == 130, text(done.stderr)
    assert text(done.stderr) == "Interrupted.\n"


def test_a_real_ctrl_c_at_any_moment_never_shows_a_traceback_of_ours(home: Path) -> None:
    """Item 18 with real signals, from the start to the end of a run. Only the interpreter's
    own start-up (before any blendcalc code runs: a few ms) is out of reach; once
    ``blendcalc.entry.main`` runs, every Ctrl-C ends with exit 130 and "Interrupted."."""
    outcomes = set()
    for delay in [0.0, 0.01, 0.03, 0.05, 0.08, 0.12, 0.16, 0.2, 0.3] * 2:
        process = subprocess.Popen(
            [str(PROGRAM), "blend", "30ml", "lavender", "peppermint"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment(home),
            cwd=home,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=SOON)
        error = text(err)
        if "Traceback" in error:
            assert 'entry.py", line' not in error or "in main" not in error, error
            outcomes.add("traceback before blendcalc ran")
            continue
        if process.returncode == 1 and error.strip() == "KeyboardInterrupt":
            # The interpreter's own report when Ctrl-C lands while it starts up, before any
            # frame exists (seen once in CI through pip's console-script wrapper): no blendcalc
            # code had run, so nothing of ours could answer it.
            outcomes.add("interrupted before blendcalc ran")
            continue
        assert process.returncode in {0, 130, -signal.SIGINT}, (process.returncode, error)
        if process.returncode == 130:
            assert error.strip() == "Interrupted.", error
        outcomes.add(str(process.returncode))
    assert "130" in outcomes, outcomes
