"""Property-based fuzzing (hypothesis) of the whole CLI, the quantity parser and the catalog
loader, against the contract of SPEC sections 2 and 5:

* every command line exits 0, 2, 3 or 4, never with a traceback or an internal error;
* exit 2 writes nothing on stdout and exactly one ``Error: ...`` line on stderr;
* ``--json`` (exit 0, 3 or 4) prints exactly one JSON document, without NaN or Infinity,
  and nothing on stderr;
* every answer comes quickly (``deadline`` is off: the time check is ours, and generous,
  because CI machines have 2 shared cores);
* parsers and the catalog loader return a result or raise the library's own errors with a
  one-line message, never anything else.

``BLENDCALC_FUZZ_EXAMPLES`` sets how many command lines the main CLI fuzz runs (default
2000); the other tests scale from it. A big run, e.g.
``BLENDCALC_FUZZ_EXAMPLES=12000 uv run pytest tests/test_fuzz.py``, looks further. The counts
actually run are printed in the terminal summary. Failing examples are kept in
``.hypothesis/`` and replayed first next time.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import functools
import io
import itertools
import json
import math
import os
import re
import subprocess
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blendcalc.blend import parse_dilution, parse_oil_spec, parse_ratio
from blendcalc.catalog import Catalog, load_catalog, load_catalog_files, shipped_catalog_path
from blendcalc.cli import run
from blendcalc.errors import BlendcalcError
from blendcalc.numbers import parse_number
from blendcalc.units import (
    MAX_VOLUME_ML,
    UNITS,
    UNITS_BY_KEY,
    parse_quantity,
    parse_unit,
    parse_volume,
    to_ml,
    unit_names,
)

EXAMPLES = int(os.environ.get("BLENDCALC_FUZZ_EXAMPLES", "2000"))
SECONDS = 2.0  # per command line or parse: generous, the machine is shared
RUNS: Counter[str] = Counter()  # what actually ran, for the summary line

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # our own per-call time check instead: hypothesis' is too tight in CI
    # The autouse fixtures of conftest.py (no user catalog, private config dir) are
    # function-scoped: hypothesis enters them once per test, not per example. That is what we
    # want here: they isolate the environment, which no example changes.
    # too_slow: drawing a corrupted copy of the 60 kB catalog is slow, and meant to be.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def quick(seconds: float) -> bool:
    """Whether ``seconds`` is quick enough: under SECONDS, unless a tracer runs (coverage, a
    debugger, or hypothesis itself, which traces the failing example's replays to explain
    them): pure-Python code such as tomllib then runs many times slower, and a time check
    would fail some replays and not others."""
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12+
    traced = sys.gettrace() is not None or (
        monitoring is not None and any(monitoring.get_tool(tool) for tool in range(6))
    )
    return seconds < SECONDS or traced


def scaled(fraction: float, least: int = 10) -> settings:
    return settings(FUZZ, max_examples=max(least, int(EXAMPLES * fraction)))


SHIPPED_PATH = shipped_catalog_path()
SHIPPED_TEXT = SHIPPED_PATH.read_text(encoding="utf-8")
# Names straight from the TOML, without the loader under test.
SHIPPED: dict[str, Any] = tomllib.loads(SHIPPED_TEXT)


def _names(table: str) -> list[str]:
    names: list[str] = []
    for key, entry in SHIPPED[table].items():
        names.append(key)
        if isinstance(entry.get("name"), str):
            names.append(entry["name"])
        names.extend(entry.get("aliases", []))
    return names


OIL_NAMES = _names("oils")
PURPOSE_NAMES = _names("purposes")
BASE_NAMES = _names("bases")
ALLERGY_NAMES = _names("families") + _names("constituents") + OIL_NAMES
ALLERGY_NAMES += _names("allergen_classes") + BASE_NAMES


# --------------------------------------------------------------------------------------
# The environment: no colour, a fixed width, and a summary of what ran
# --------------------------------------------------------------------------------------


class _Summary:
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if RUNS:
            counts = ", ".join(f"{count} {what}" for what, count in sorted(RUNS.items()))
            terminalreporter.write_line(f"blendcalc fuzz: {counts}")


@pytest.fixture(autouse=True, scope="module")
def _fuzz_environment(request: pytest.FixtureRequest) -> Iterator[None]:
    plugins = request.config.pluginmanager
    if plugins.get_plugin("blendcalc-fuzz-summary") is None:
        plugins.register(_Summary(), "blendcalc-fuzz-summary")
    with pytest.MonkeyPatch.context() as patch:
        # run() builds the click command from the Typer app on every call, which is half the
        # time of a command line here; the command keeps no state between runs, so build it
        # once and fuzz twice as many command lines in the same time.
        patch.setattr(typer.main, "get_command", functools.cache(typer.main.get_command))
        patch.setenv("NO_COLOR", "1")
        patch.setenv("COLUMNS", "120")
        patch.delenv("BLENDCALC_DEBUG", raising=False)  # it makes run() raise on purpose
        patch.delenv("_BLENDCALC_COMPLETE", raising=False)
        yield


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Catalog files for ``--oils``: good, bad and odd."""
    folder = tmp_path_factory.mktemp("fuzz-files")
    paths = {
        "good": folder / "user.toml",
        "empty": folder / "empty.toml",
        "bad-toml": folder / "bad.toml",
        "bad-field": folder / "bad-field.toml",
        "latin1": folder / "latin1.toml",
        "folder": folder,
    }
    paths["good"].write_text(
        (Path(__file__).parent / "data" / "user-calendula.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    paths["empty"].write_text("", encoding="utf-8")
    paths["bad-toml"].write_text("[oils\nname = ", encoding="utf-8")
    paths["bad-field"].write_text("[oils.lavender]\nname = 3\n", encoding="utf-8")
    paths["latin1"].write_bytes("[sources.X]\ntitle = 'caf\xe9'\n".encode("latin-1"))
    return paths


# --------------------------------------------------------------------------------------
# Value pools: valid values mixed with hostile ones
# --------------------------------------------------------------------------------------

HOSTILE = [
    "", " ", "\t", "\n", "0", "-1", "-0", "+0", "nan", "NaN", "inf", "-inf", "Infinity",
    "1e400", "1e-400", "1E3", "9**9**9 ml", "9**9**9", "1/0 ml", "1/0", "0/0", "10**10 l",
    "1000001 l", "1000 l", "ml", "30 kg", "30 g", "30 %", "30 m", "30 oz_wt", "lavender:0",
    "lavender:-1", "lavender:x", "lavender::2", ":", "::", "10-5 drops per tbsp",
    "5-10 drops per 0 ml", "--", "-", "--json", "--help", "-h", "--version", "--oils", "½",
    "1 ½", "½½", "1,5 ml", "1.5.5 ml", "0x10 ml", "1_000 ml", "١٢ ml", "١٢", "１２", "𝟙𝟚 ml",
    "²", "\u200b30ml", "30\u00a0ml", "30ml\n", "30 ml; rm -rf /", "$(reboot)", "'", '"', "\\",
    "%s", "{}", "[/]", "[red]x[/red]", "[/x]", "\x1b[31mred", "\udcff", "lav\udcffender",
    "é", "\u2028", "\x85", "\x0b", "9" * 5000, "1" * 40, "1" * 41, "0." + "0" * 3000 + "1",
    "a" * 10000, "ml " * 3000, "½" * 1000, "lavender," * 2000, "lavender:" + "9" * 5000,
    "5-10 drops per " + "1" * 4000 + " ml", "1/" + "9" * 5000 + " ml",
    "1/" + "9" * 38, "0." + "0" * 37 + "1", "9" * 38,
]  # fmt: skip

QUANTITIES = [
    "30ml", "30 ml", "30 mL", "2 tbsp", "1/2 tsp", "½ tsp", "1 1/2 tsp", "1½ tsp",
    "1.5 fl oz", "1 floz", "1 oz", "2 fl_oz", "1 imperial_floz", "1 cup", "1 us_cup",
    "3 us_tsp", "1 us_tbsp", "1 au_tbsp", "5 cl", "1 dl", "0.5 l", "1 L", "600 drops",
    "1 drop", "20 gtt", "100", "0.05", ".5 ml", "+30 ml", "1000 l", "1000000 ml", "0.001 ml",
    "10 ml", "15 ml", "50 ml", "1 tablespoon", "2 teaspoons", "1 fl. oz", "3 Tbsp",
]  # fmt: skip
UNIT_TEXTS = [
    "ml", "mL", "cl", "dl", "l", "L", "tsp", "tbsp", "us_tsp", "us_tbsp", "au_tbsp", "floz",
    "fl oz", "fl_oz", "oz", "imperial_floz", "cup", "us_cup", "drop", "drops", "gtt",
    "teaspoon", "tablespoons", "Tbsp", "TBSP", "fl. oz", "milliliters", "liter", "kg", "g",
    "%", "m", "in", "oz_wt", "xyz", "tbs", "mls", "ml ml", "ml.", "ml**9", "fl-oz", "cups",
]  # fmt: skip
PARTS = [
    "1", "2", "3", "0.5", "1/2", "½", "1 1/2", "0", "-1", "x", "", "nan", "inf", "1e3",
    "9" * 38, "0." + "0" * 37 + "1",
]  # fmt: skip
NUMBERS = [
    "5", "10", "0", "1", "3", "6", "8", "1.5", "½", "1/2", "1 1/2", "-1", "nan", "inf", "1e3",
    "9" * 25, "0.0000000000000000001", "1/" + "9" * 37, "x", "",
]  # fmt: skip
DILUTIONS = [
    "2", "2%", "0.5 %", "1", "2.5", "3", "5", "100", "100%", "101", "0", "0%", "-1", "nan",
    "inf", "1e400", "1/3", "½", "", "%", "2 %%", "0." + "0" * 37 + "1", "99.999",
]  # fmt: skip
INTEGERS = [
    "1", "3", "15", "20", "21", "50", "51", "100", "100000000", "100000001", "0", "-1", "x",
    "1e3", "1.5", "9" * 26, "+5", " 5", "٣", "",
]  # fmt: skip
STRENGTHS = ["gentle", "standard", "strong", "STRONG", "Gentle", "medium", "", " strong"]
PROFILES = [
    "adult", "face", "sensitive", "elderly", "pregnancy", "child", "CHILD", "Child ", "kid",
    "pregnant", "", "child-",
]  # fmt: skip
AGES = [
    "4", "0.5", "½", "0.25", "1", "2", "6", "14", "15", "120", "121", "0", "-1", "nan", "1e400",
    "", "x", "1/2", "0." + "0" * 37 + "1", "119." + "9" * 36,
]  # fmt: skip
DROPS_PER_ML = [
    "20", "30", "45", "100", "101", "0", "-1", "0.0000001", "1/3", "nan", "inf", "", "20.5",
    "½", "0." + "0" * 37 + "1", "7",
]  # fmt: skip
PURPOSE_MISSES = ["relaxtion", "pain relief", "PAIN_RELIEF", "brain activity", "aphrodisiac"]
OIL_MISSES = ["lavendr", "LAVENDER", "Clove  Bud", "mint", "needles", "sage", "orange"]

# Argv can hold any character but NUL; undecodable bytes arrive as lone surrogates.
CHARACTERS = st.one_of(
    st.characters(exclude_characters="\x00"),
    st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF, categories=["Cs"]),
)
RANDOM_TEXT = st.text(CHARACTERS, max_size=30)


def pool(*valid: list[str]) -> st.SearchStrategy[str]:
    """Mostly valid values, sometimes hostile ones, sometimes random text."""
    chosen = [item for items in valid for item in items]
    return st.one_of(
        st.sampled_from(chosen),
        st.sampled_from(chosen),
        st.sampled_from(HOSTILE),
        RANDOM_TEXT,
    )


def quantities() -> st.SearchStrategy[str]:
    """Volumes as people write them, or nearly: a number, maybe a space, a unit."""
    built = st.builds(
        lambda number, space, unit: f"{number}{space}{unit}",
        st.sampled_from(NUMBERS),
        st.sampled_from(["", " ", "  "]),
        st.sampled_from(UNIT_TEXTS),
    )
    return st.one_of(pool(QUANTITIES), built)


@st.composite
def ratios(draw: st.DrawFn) -> str:
    low = draw(st.sampled_from(NUMBERS))
    high = draw(st.sampled_from(["", *NUMBERS]))
    dash = draw(st.sampled_from(["-", "–", "—", " - ", "--"]))
    word = draw(st.sampled_from(["drops", "drop", "gtt", "", "DROPS"]))
    per = draw(st.sampled_from(["per", "/", "in", "PER", "per per", ""]))
    volume = draw(st.one_of(quantities(), st.sampled_from(UNIT_TEXTS)))
    middle = f"{dash}{high}" if high else ""
    return f"{low}{middle} {word} {per} {volume}"


@st.composite
def lists(draw: st.DrawFn, items: list[str]) -> str:
    values = draw(st.lists(st.sampled_from(items), min_size=0, max_size=8))
    separator = draw(st.sampled_from([",", ", ", " , ", ";", ",,"]))
    return separator.join(values)


def oil_specs() -> st.SearchStrategy[str]:
    with_parts = st.builds(
        lambda name, parts: f"{name}:{parts}",
        st.sampled_from(OIL_NAMES + OIL_MISSES),
        st.sampled_from(PARTS),
    )
    return st.one_of(pool(OIL_NAMES, OIL_MISSES), with_parts)


def values(files: dict[str, Path]) -> dict[str, st.SearchStrategy[str]]:
    oils_files = [str(path) for path in files.values()] + [
        "/nonexistent/oils.toml", "missing.toml", "x" * 300, "bad\nname.toml", str(SHIPPED_PATH),
        "/dev/null", "/",
    ]  # fmt: skip
    chart_volumes = [*QUANTITIES, "5", "10", "15", "30", "50", "100", "0", "-1", "1000001 l"]
    return {
        "--json": st.just(""),
        "--strict": st.just(""),
        "--drops-per-ml": pool(DROPS_PER_ML),
        "--oils": pool(oils_files),
        "--purpose": pool(PURPOSE_NAMES, PURPOSE_MISSES),
        "--allergy": st.one_of(pool(ALLERGY_NAMES), lists([*ALLERGY_NAMES, "peanut", ""])),
        "--profile": pool(PROFILES),
        "--age": pool(AGES),
        "--count": pool(INTEGERS),
        "--ratio": st.one_of(ratios(), pool(["5-10 drops per 15 ml", "3-6 drops per tsp"])),
        "--dilution": pool(DILUTIONS),
        "--drops": pool(INTEGERS),
        "--strength": pool(STRENGTHS),
        "--volumes": st.one_of(
            lists(chart_volumes), pool([",".join(["5"] * 51), "5,,10", "30ml,2 tbsp"])
        ),
        "--dilutions": st.one_of(lists(DILUTIONS), pool([",".join(["1"] * 51)])),
    }


FLAGS = {"--json", "--strict"}
HELP = ["--help", "-h"]
COMMON = ["--json", "--help"]
BLEND_OPTIONS = [
    "--purpose", "--count", "--ratio", "--dilution", "--drops", "--strength", "--drops-per-ml",
    "--allergy", "--profile", "--age", "--oils", "--strict",
]  # fmt: skip
COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    # command: (positional kinds, options)
    "convert": (["quantity", "unit"], [*COMMON, "--drops-per-ml"]),
    "oils": ([], [*COMMON, "--purpose", "--oils"]),
    "purposes": ([], [*COMMON, "--oils"]),
    "show": (["oil"], [*COMMON, "--oils"]),
    "suggest": (
        ["purpose"],
        [*COMMON, "--allergy", "--profile", "--age", "--count", "--oils"],
    ),
    "blend": (["volume", "oils"], [*COMMON, *BLEND_OPTIONS]),
    "chart": ([], [*COMMON, "--volumes", "--dilutions", "--drops-per-ml"]),
    "bases": (["bases"], [*COMMON, "--allergy", "--oils"]),
}
UNKNOWN_COMMANDS = [
    "blnd", "Blend", "BLEND", "convrt", "oil", "purpose", "help", "version", "", " ", "-",
    "--", "--jsn", "-x", "x" * 5000, "blend\n", "blend ", "chart=1",
]  # fmt: skip


@st.composite
def positional(draw: st.DrawFn, kind: str) -> list[str]:
    if kind == "quantity":
        return [draw(quantities())]
    if kind == "unit":
        return [draw(pool(UNIT_TEXTS))]
    if kind == "volume":
        return [draw(quantities())]
    if kind == "oil":
        return [draw(pool(OIL_NAMES, OIL_MISSES))]
    if kind == "purpose":
        return [draw(pool(PURPOSE_NAMES, PURPOSE_MISSES))]
    if kind == "bases":
        return draw(
            st.lists(pool(BASE_NAMES, ["almnd", "ALMOND", "sweet  almond", "nut"]), max_size=3)
        )
    assert kind == "oils"
    return draw(st.lists(oil_specs(), max_size=4))


@st.composite
def command_lines(draw: st.DrawFn, files: dict[str, Path]) -> list[str]:
    """A command line from the grammar, often valid, often subtly or grossly wrong."""
    kind = draw(st.sampled_from([*COMMANDS, *COMMANDS, "unknown", "root"]))
    if kind == "root":
        # Not --show-completion: whether Typer finds the shell depends on the machine (a
        # regression test in test_cli_convert.py covers it); never --install-completion.
        root = draw(st.lists(st.sampled_from(["--version", "--help", "-h"])))
        rest = draw(st.lists(st.one_of(st.sampled_from([*COMMANDS, "x"]), RANDOM_TEXT)))
        return root + rest
    if kind == "unknown":
        name = draw(st.one_of(st.sampled_from(UNKNOWN_COMMANDS), RANDOM_TEXT))
        return [name, *draw(st.lists(pool(QUANTITIES, OIL_NAMES), max_size=3))]
    kinds, options = COMMANDS[kind]
    value_of = values(files)
    items: list[list[str]] = []
    for index, arg_kind in enumerate(kinds):
        # Usually each positional argument; sometimes one is missing (from the last).
        if draw(st.integers(0, 9)) == 0 and index == len(kinds) - 1:
            continue
        items.append(draw(positional(arg_kind)))
    if draw(st.booleans()):
        items.append(["--json"])
    for option in draw(st.lists(st.sampled_from(options), max_size=5)):
        if option in FLAGS:
            items.append([option])
            continue
        if option == "--help":
            items.append([draw(st.sampled_from(HELP))])
            continue
        value = draw(value_of[option])
        form = draw(st.integers(0, 19))
        if form == 0:
            items.append([option])  # its value missing
        elif form == 1:
            items.append([f"{option}={value}"])
        else:
            items.append([option, value])
    if draw(st.integers(0, 4)) == 0:
        items.append([draw(st.one_of(st.sampled_from(["--", "-", "--nope", "-x"]), RANDOM_TEXT))])
    order = draw(st.permutations(range(len(items))))
    # The command's positional arguments come first more often than not.
    if draw(st.booleans()):
        order = sorted(order)
    return [kind, *itertools.chain.from_iterable(items[i] for i in order)]


# --------------------------------------------------------------------------------------
# Running a command line, and the contract every answer keeps
# --------------------------------------------------------------------------------------


def json_requested(argv: list[str]) -> bool:
    """Whether click reads ``--json`` as the flag (not as another option's value, nor after
    ``--``) and no help option wins over it: a small model of click's parser."""
    if not argv or argv[0] not in COMMANDS:
        return False
    value_options = set(COMMANDS[argv[0]][1]) - FLAGS - {"--help"}
    wanted = False
    position = 1
    while position < len(argv):
        token = argv[position]
        if token == "--":
            break
        if token in HELP or (token[:2] != "--" and token.startswith("-") and "h" in token):
            return False  # help wins (also inside a cluster of short options such as -xh)
        if token in value_options:
            position += 1  # the next token is its value, whatever it looks like
        elif token == "--json":
            wanted = True
        position += 1
    return wanted


# Control characters (but the line break), line and paragraph separators, bidi controls.
_RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _reject_constant(name: str) -> None:
    raise ValueError(f"JSON holds {name}")


def invoke(argv: list[str]) -> tuple[int, str, str, float]:
    """Run the CLI in-process with a real process's streams: stdout UTF-8 strict (as in a
    UTF-8 locale), stderr with backslash escapes (as Python's own stderr)."""
    assert not any(token.startswith("--install-c") for token in argv)  # would edit ~/.bashrc
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(
        err_bytes, encoding="utf-8", errors="backslashreplace", write_through=True
    )
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = run(argv)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # run() must never raise, not even SystemExit
            raise AssertionError(f"run({argv!r}) raised {error!r}") from error
    elapsed = time.perf_counter() - started
    RUNS["command lines"] += 1
    return code, out_bytes.getvalue().decode(), err_bytes.getvalue().decode(), elapsed


def check_answer(argv: list[str], code: int, stdout: str, stderr: str, elapsed: float) -> None:
    shown = repr(argv)[:2000]
    context = f"{shown}\nexit {code}\nstdout: {stdout[:2000]!r}\nstderr: {stderr[:2000]!r}"
    assert code in {0, 2, 3, 4}, context
    for stream in (stdout, stderr):
        assert "Traceback" not in stream, context
        assert "internal error" not in stream, context
        # Nothing from a catalog or an argument can act on the terminal (SPEC section 5).
        assert not _RAW_CONTROL.search(stream), context
    assert quick(elapsed), f"{elapsed:.2f} s\n{context}"
    lines = stderr.splitlines()
    if code == 2:
        assert stdout == "", context
        assert len(lines) == 1, context
        assert stderr.endswith("\n"), context
        assert lines[0].startswith("Error: "), context
        assert lines[0].strip() != "Error:", context
        return
    assert not any(line.startswith("Error:") for line in lines), context
    if code == 3:
        assert argv[0] == "blend", context
        assert "--strict" in argv, context
    if code == 4:
        assert argv[0] in {"blend", "suggest"}, context
    if json_requested(argv):
        try:
            document = json.loads(stdout, parse_constant=_reject_constant)
        except ValueError as error:
            raise AssertionError(f"not one JSON document ({error})\n{context}") from None
        expected = list if argv[0] in {"oils", "purposes", "bases"} else dict
        assert isinstance(document, expected), context
        assert stderr == "", context
    elif code == 0:
        assert stdout.strip(), context


@FUZZ
@given(data=st.data())
def test_any_command_line_keeps_the_contract(files: dict[str, Path], data: st.DataObject) -> None:
    argv = data.draw(command_lines(files), label="argv")
    check_answer(argv, *invoke(argv))


@scaled(0.1)
@given(data=st.data())
def test_random_words_keep_the_contract(data: st.DataObject) -> None:
    # Drawn inside (as the grammar's command lines are): hypothesis prints test arguments
    # through a repr that warns (an error here) beyond 30 kB, and HOSTILE holds long values.
    words = st.one_of(RANDOM_TEXT, st.sampled_from([*COMMANDS, *HOSTILE]))
    argv = data.draw(st.lists(words), label="argv")
    check_answer(argv, *invoke(argv))


# Numbers of every magnitude the parsers let through (at most 40 characters): the grammar
# above seldom combines them into the huge or tiny results they can make together.
MAGNITUDES = st.one_of(
    st.integers(1, 10**39).map(str),
    st.builds(lambda a, b: f"{a}/{b}", st.integers(1, 10**19), st.integers(1, 10**19)),
    st.integers(0, 37).map(lambda zeros: "0." + "0" * zeros + "1"),
    st.decimals(min_value=0, max_value=10**6, places=6, allow_nan=False).map(lambda d: f"{d:f}"),
)
SMALL_UNITS = st.sampled_from(["ml", "drops", "gtt", "tsp", "l", "us_tsp", "fl oz", "cup"])
# The largest and smallest numbers that still fit a ratio of at most 80 characters.
HUGE = st.one_of(MAGNITUDES, st.integers(12, 24).map(lambda nines: "9" * nines))
BIG_VOLUMES = ["1000 l", "999999/7 ml", "1/3 l", "30 ml", "2 1/3 tbsp"]
TINY = st.one_of(
    MAGNITUDES,
    st.integers(12, 37).map(lambda zeros: "0." + "0" * zeros + "1"),
    st.integers(12, 38).map(lambda nines: "1/" + "9" * nines),
    st.integers(12, 38).map(lambda nines: "1/" + "9" * nines),  # twice: drawn more often
)


@st.composite
def extreme_command_lines(draw: st.DrawFn) -> list[str]:
    number, unit = draw(MAGNITUDES), draw(SMALL_UNITS)
    drops_per_ml = ["--drops-per-ml", draw(MAGNITUDES)] if draw(st.integers(0, 3)) == 0 else []
    json_flag = ["--json"] if draw(st.booleans()) else []
    command = draw(st.sampled_from(["blend", "blend", "blend", "convert", "chart"]))
    if command == "convert":
        return ["convert", f"{number} {unit}", draw(SMALL_UNITS), *drops_per_ml, *json_flag]
    if command == "chart":
        volumes = ",".join(draw(st.lists(MAGNITUDES, min_size=1, max_size=3)))
        dilutions = ",".join(draw(st.lists(MAGNITUDES, min_size=1, max_size=3)))
        return ["chart", "--volumes", volumes, "--dilutions", dilutions, *drops_per_ml, *json_flag]
    low, high = sorted(draw(st.lists(HUGE, min_size=2, max_size=2)), key=Fraction)
    span = f"{low}-{high}" if draw(st.booleans()) else high  # "8 drops per tbsp" too
    ratio = f"{span} drops per {draw(TINY)} {draw(st.sampled_from(['gtt', 'drops', 'ml']))}"
    target = draw(
        st.sampled_from(
            [[], ["--strength", "gentle"], ["--strength", "strong"], ["--dilution", "1/3"]]
        )
    )
    oils = draw(st.sampled_from([["lavender"], ["lavender:3", "peppermint:1/3"], ["bergamot"]]))
    profile = draw(st.sampled_from([[], [], [], ["--profile", "child", "--age", "4"]]))
    volume = draw(st.one_of(st.just(f"{number} {unit}"), st.sampled_from(BIG_VOLUMES)))
    return [
        "blend", volume, *oils, "--ratio", ratio, *target, *profile, *drops_per_ml,
        *json_flag,
    ]  # fmt: skip


@scaled(0.25)
@given(argv=extreme_command_lines())
def test_extreme_magnitudes_keep_the_contract(argv: list[str]) -> None:
    check_answer(argv, *invoke(argv))


# --------------------------------------------------------------------------------------
# The parsers alone
# --------------------------------------------------------------------------------------

UNIT_NAMES = sorted(unit_names())


@st.composite
def near_quantities(draw: st.DrawFn) -> str:
    number = draw(
        st.one_of(
            st.sampled_from(NUMBERS + PARTS),
            st.integers(0, 10**45).map(str),
            st.decimals(allow_nan=True, allow_infinity=True).map(str),
            st.fractions(min_value=-5, max_value=10**6).map(str),
            st.floats().map(repr),
            st.builds(lambda w, f: f"{w} {f}", st.integers(0, 99), st.sampled_from(["1/2", "½"])),
        )
    )
    space = draw(st.sampled_from(["", " ", "  ", "\t", "\u00a0", "-", "*"]))
    unit = draw(st.one_of(st.sampled_from(UNIT_NAMES + UNIT_TEXTS), RANDOM_TEXT))
    junk = draw(st.sampled_from(["", "", "", " ", ".", "**9", "!", "\n", "e5", " 2"]))
    return f"{number}{space}{unit}{junk}"


def _one_line(error: BlendcalcError) -> None:
    message = str(error)
    assert message.strip(), repr(error)
    assert len(message.splitlines()) == 1, message


def _timed(function: Any, text: str) -> Any:
    """Call ``function(text)``: its result, or None for the library's own error."""
    RUNS["parser inputs"] += 1
    started = time.perf_counter()
    try:
        result = function(text)
    except BlendcalcError as error:
        _one_line(error)
        result = None
    assert quick(time.perf_counter() - started), text
    return result


@scaled(1)
@given(text=st.one_of(st.text(CHARACTERS), near_quantities(), st.sampled_from(HOSTILE)))
def test_parsers_answer_or_raise_their_own_error(text: str) -> None:
    quantity = _timed(parse_quantity, text)
    if quantity is not None:
        assert isinstance(quantity.value, Fraction)
        assert quantity.value > 0
        assert quantity.unit in UNITS.values()
    volume = _timed(parse_volume, text)
    if volume is not None:
        assert isinstance(volume.ml, Fraction)
        assert 0 < volume.ml <= MAX_VOLUME_ML
    unit = _timed(parse_unit, text)
    assert unit is None or unit in UNITS.values()
    number = _timed(parse_number, text)
    assert number is None or (isinstance(number, Fraction) and number >= 0)
    dilution = _timed(parse_dilution, text)
    assert dilution is None or 0 < dilution <= 100
    spec = _timed(parse_oil_spec, text)
    assert spec is None or (spec[0] and spec[1] > 0)
    ratio = _timed(parse_ratio, text)
    if ratio is not None:
        assert 0 < ratio.min_drops <= ratio.max_drops
        assert ratio.per_ml > 0


@scaled(0.25)
@given(text=ratios())
def test_ratio_parser_on_its_grammar(text: str) -> None:
    ratio = _timed(parse_ratio, text)
    if ratio is not None:
        assert 0 < ratio.min_drops <= ratio.max_drops
        assert 0 < ratio.per_ml <= MAX_VOLUME_ML


def _decimal(value: Fraction) -> str | None:
    """``value`` written exactly as a decimal, when it can be."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    digits = str(value.numerator * 10**places // value.denominator).rjust(places + 1, "0")
    if not places:
        return digits
    return f"{digits[: len(digits) - places]}.{digits[len(digits) - places :]}"


@st.composite
def written_quantities(draw: st.DrawFn) -> tuple[Fraction, str, str]:
    value = draw(
        st.one_of(
            st.fractions(min_value=Fraction(1, 10**6), max_value=10**6, max_denominator=10**6),
            st.integers(1, 10**6).map(Fraction),
            st.builds(Fraction, st.integers(1, 10**9), st.sampled_from([2, 4, 8, 10, 100, 1000])),
        )
    )
    whole, rest = divmod(value, 1)
    forms = [f"{value.numerator}/{value.denominator}"]
    if whole and rest:
        forms.append(f"{whole} {rest.numerator}/{rest.denominator}")
    decimal = _decimal(value)
    if decimal is not None:
        forms.append(decimal)
    number = draw(st.sampled_from(forms))
    unit_key = draw(st.sampled_from(sorted(UNITS_BY_KEY)))
    names = sorted(name for name, key in unit_names().items() if key == unit_key)
    unit = draw(st.sampled_from(names))
    space = draw(st.sampled_from(["", " ", "  "]))
    return value, f"{number}{space}{unit}", unit_key


@scaled(0.25)
@given(written=written_quantities())
def test_written_quantities_read_back_exactly(written: tuple[Fraction, str, str]) -> None:
    value, text, unit_key = written
    quantity = _timed(parse_quantity, text)
    assert quantity is not None, text
    assert quantity.value == value, text
    assert quantity.unit.key == unit_key, text
    ml = to_ml(quantity)
    volume = _timed(parse_volume, text)
    if ml <= MAX_VOLUME_ML:
        assert volume is not None, text
        assert volume.ml == ml, text
    else:
        assert volume is None, text


# --------------------------------------------------------------------------------------
# Random and corrupted catalogs
# --------------------------------------------------------------------------------------

HOSTILE_TOML_VALUES = [
    "nan", "-nan", "inf", "-inf", "-1", "0", "101", "1e400", "1e-400", "1e-320", "0.0",
    '"x"', '""', '"   "', "[]", "[1, 2]", '["a", 1]', "[[]]", "true", "{}", "{a = 1}",
    "9" * 5000, "1" + "0" * 400, "0x7fffffffffffffff", "1979-05-27", '"[/x]"', '"a\\nb"',
    '"\\u2028"', '"' + "x" * 5000 + '"', "'lit'", '"""multi\nline"""',
]  # fmt: skip
HOSTILE_TOML_KEYS = [
    '"a\\nb"', '"a\\rb"', '"\\u2028"', "LAVENDER", '"lav ender"', '""', "é", "-x", "x_y",
    '"[/x]"', "lavender", "relaxation", "ARTICLE", "Lamiaceae", "linalool", "1", '"a.b"',
]  # fmt: skip
HOSTILE_TOML_LINES = [
    "junk = 1", "[unknown]", "[oils]", "oils = 1", "[[oils]]", 'schema = "x"',
    "[oils.lavender.extra]", '[sources."a\\nb"]\ntitle = "x"', "[oils.lavender]", "=", "[",
    "[[oils.lavender.cautions]]", '[oils."x\\ny"]\nname = "X"', "sources = []",
    "[purposes.relaxation]", "[families.Lamiaceae]\naliases = [1]",
]  # fmt: skip
_NUMBER_VALUE = re.compile(r"(?m)(=\s*)(-?\d+(?:\.\d+)?)\s*$")
_STRING_VALUE = re.compile(r'(?m)(=\s*)("(?:[^"\\\n]|\\.)*")\s*$')
_LIST_VALUE = re.compile(r"(?m)(=\s*)(\[.*\])\s*$")
_BOOL_VALUE = re.compile(r"(?m)(=\s*)(true|false)\s*$")
_HEADER_KEY = re.compile(r"(?m)^\[\[?(?:sources|families|constituents|purposes|oils)\.([^.\]]+)")


class CatalogText:
    """A catalog file's text, and the oils it defines. Its repr says how it was made: the
    text itself can be 60 kB, more than hypothesis will print (with warnings as errors, the
    attempt fails the example anew on every replay). Not a dataclass: hypothesis prints
    those field by field."""

    def __init__(self, text: str, recipe: str, oils: tuple[str, ...] = ()) -> None:
        self.text = text
        self.recipe = recipe
        self.oils = oils

    def __repr__(self) -> str:
        return self.recipe


def _short(value: object, limit: int = 80) -> str:
    shown = repr(value)
    return shown if len(shown) <= limit else f"{shown[: limit - 12]}...({len(shown)} chars)"


@st.composite
def corrupted_catalogs(draw: st.DrawFn) -> CatalogText:
    """The real oils.toml with a few corruptions."""
    text = SHIPPED_TEXT
    steps: list[str] = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(
            st.sampled_from(
                ["truncate", "delete", "duplicate", "swap", "flip", "insert",
                 *["number", "string", "list", "bool", "key"] * 3]
            )
        )  # fmt: skip
        lines = text.split("\n")
        line = draw(st.integers(0, max(0, len(lines) - 1)))
        if kind == "truncate":
            position = draw(st.integers(0, len(text)))
            text = text[:position]
            steps.append(f"truncate at character {position}")
        elif kind == "delete":
            steps.append(f"delete line {line} {_short(lines.pop(line))}")
            text = "\n".join(lines)
        elif kind == "duplicate":
            where = draw(st.integers(0, len(lines)))
            lines.insert(where, lines[line])
            steps.append(f"copy line {line} {_short(lines[where])} to line {where}")
            text = "\n".join(lines)
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[line], lines[other] = lines[other], lines[line]
            steps.append(f"swap lines {line} and {other}")
            text = "\n".join(lines)
        elif kind == "flip":
            if text:
                position = draw(st.integers(0, len(text) - 1))
                character = draw(st.characters(exclude_categories=["Cs"]))
                text = text[:position] + character + text[position + 1 :]
                steps.append(f"character {position} becomes {character!r}")
        elif kind == "insert":
            inserted = draw(st.sampled_from(HOSTILE_TOML_LINES))
            lines.insert(line, inserted)
            steps.append(f"insert {inserted!r} at line {line}")
            text = "\n".join(lines)
        else:
            pattern = {
                "number": _NUMBER_VALUE,
                "string": _STRING_VALUE,
                "list": _LIST_VALUE,
                "bool": _BOOL_VALUE,
                "key": _HEADER_KEY,
            }[kind]
            matches = list(pattern.finditer(text))
            if not matches:
                continue
            match = matches[draw(st.integers(0, len(matches) - 1))]
            group = 1 if kind == "key" else 2
            replacement = draw(
                st.sampled_from(HOSTILE_TOML_KEYS if kind == "key" else HOSTILE_TOML_VALUES)
            )
            line_number = text.count("\n", 0, match.start(group))
            steps.append(
                f"{kind} {_short(match[group])} on line {line_number} -> {_short(replacement)}"
            )
            text = text[: match.start(group)] + replacement + text[match.end(group) :]
    return CatalogText(text, "CatalogText(oils.toml: " + "; ".join(steps) + ")")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return repr(value) if math.isfinite(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):  # a JSON string is a TOML one, but for DEL
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml(document: dict[str, dict[str, Any]], schema: Any) -> str:
    """A small TOML writer for catalog documents: tables of entries, arrays of tables."""
    out = [] if schema is None else [f"schema = {_toml_value(schema)}"]
    for table, entries in document.items():
        for key, entry in entries.items():
            out.append(f"\n[{table}.{_toml_key(key)}]")
            rows = {name: value for name, value in entry.items() if _is_rows(value)}
            for name, value in entry.items():
                if name not in rows:
                    out.append(f"{_toml_key(name)} = {_toml_value(value)}")
            for name, items in rows.items():
                for item in items:
                    out.append(f"\n[[{table}.{_toml_key(key)}.{_toml_key(name)}]]")
                    out.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in item.items())
    return "\n".join(out) + "\n"


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


CATALOG_TEXT = st.one_of(
    st.sampled_from(["Lavender", "Testus oleum", "x", "", "   ", "[/x]", "[bold]b", "a\nb"]),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
)
ODD_VALUES = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(),
    st.booleans(),
    st.sampled_from([[1, "a"], {"a": 1}, 10**400, 2**64, -0.0, 5e-324, 1e308, [[]], [], ""]),
    CATALOG_TEXT,
)
# Text a user could well write: never empty, now and then rich markup or a line break.
NAME_TEXT = st.one_of(
    st.sampled_from(["Test oil", "[/x] oil", "[bold]b", "Oil\nnew line", "Ölbaum", "x" * 300]),
    st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12).filter(
        str.strip
    ),
)
PERCENT = st.one_of(
    st.integers(1, 100), st.floats(0.01, 100), st.sampled_from([0.7, 1e-320, 5e-324, 100.0])
)
AGE = st.one_of(st.integers(1, 18), st.floats(0.1, 18), st.sampled_from([0.5, 1e-320, 120]))
SOURCES = ["ARTICLE", "DB", "EU", "TY"]
FAMILIES = ["Lamiaceae", "Asteraceae", "Rutaceae"]
CONSTITUENTS = ["linalool", "limonene", "eugenol"]
PURPOSES = sorted(SHIPPED["purposes"])
NEW_OILS = ["test-oil", "other-oil", "third-oil"]


def names(*choices: list[str], least: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(
        st.sampled_from([item for items in choices for item in items]),
        min_size=least,
        max_size=3,
        unique=True,
    )


# What each field of the schema (oils.toml's header) holds when it is sound.
FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "title": NAME_TEXT,
    "url": NAME_TEXT,
    "note": NAME_TEXT,
    "name": NAME_TEXT,
    "latin": NAME_TEXT,
    "text": NAME_TEXT,
    "max_dermal_note": NAME_TEXT,
    "aliases": st.lists(NAME_TEXT, max_size=2),
    "family": st.sampled_from(FAMILIES),
    "purposes": names(PURPOSES),
    "purposes_sources": names(SOURCES, least=1),
    "ranking": names(NEW_OILS),
    "heading": st.sampled_from(["explicit", "inferred"]),
    "topic": st.sampled_from(["pregnancy", "children", "skin", "epilepsy", "face", "other"]),
    "severity": st.sampled_from(["avoid", "warn"]),
    "source": st.sampled_from(SOURCES),
    "max_dermal_source": st.sampled_from(SOURCES),
    "phototoxic_source": st.sampled_from(SOURCES),
    "in_source_article": st.booleans(),
    "phototoxic": st.booleans(),
    "eu_listed_oil": st.booleans(),
    "constituents_complete": st.booleans(),
    "eu_allergen": st.booleans(),
    "max_dermal_percent": PERCENT,
    "phototoxic_limit_percent": PERCENT,
    "min_percent": PERCENT,
    "max_percent": PERCENT,
    "min_age_years": AGE,
    "age_below_years": AGE,
}
# ... and what it may hold when it is not: a near miss, or a value of another type.
NEAR_MISSES: dict[str, list[Any]] = {
    "family": ["Testaceae", "lamiaceae"],
    "purposes": [["nope"], ["Relaxation"], "skin"],
    "purposes_sources": [["nope"], [], "ARTICLE"],
    "ranking": [["lavender"], ["nope"], ["peppermint", "peppermint"]],
    "heading": ["lost", "Explicit", ""],
    "topic": ["astrology", "Children", ""],
    "severity": ["maybe", "AVOID"],
    "source": ["nope", "", "article"],
    "max_dermal_percent": [0, -1, 101, 100.0000001, float("nan"), float("inf"), 10**400],
    "min_percent": [0, -1, 101, float("nan"), float("-inf"), 10**400],
    "min_age_years": [0, -1, 121, float("nan"), float("inf"), 10**400],
    "name": ["", "   ", "lavender", "Mint"],
    "aliases": [["mint"], ["Lavender"], [""], ["relax"]],
}
NEAR_MISSES["max_dermal_source"] = NEAR_MISSES["phototoxic_source"] = NEAR_MISSES["source"]
NEAR_MISSES["max_percent"] = NEAR_MISSES["phototoxic_limit_percent"] = NEAR_MISSES["min_percent"]
NEAR_MISSES["age_below_years"] = NEAR_MISSES["min_age_years"]
ROW_FIELDS = {
    "constituents": ("name", "min_percent", "max_percent", "source", "note"),
    "cautions": (
        "topic", "severity", "text", "source", "min_age_years", "age_below_years", "max_percent",
    ),
}  # fmt: skip


def bad_value(field: str) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(NEAR_MISSES.get(field, [""])), ODD_VALUES)


@st.composite
def sound_oils(draw: st.DrawFn, key: str) -> dict[str, Any]:
    oil: dict[str, Any] = {
        "name": f"{draw(NAME_TEXT)} {key}",  # the key keeps names apart
        "latin": draw(NAME_TEXT),
        "family": draw(FIELD_VALUES["family"]),
        "aliases": [f"{alias} {key}" for alias in draw(FIELD_VALUES["aliases"])],
        "purposes": draw(FIELD_VALUES["purposes"]),
        "purposes_sources": draw(FIELD_VALUES["purposes_sources"]),
        "phototoxic": draw(st.booleans()),
    }
    if oil["phototoxic"]:
        oil["phototoxic_limit_percent"] = draw(PERCENT)
        oil["phototoxic_source"] = draw(FIELD_VALUES["source"])
    if draw(st.booleans()):
        oil["max_dermal_percent"] = draw(PERCENT)
        oil["max_dermal_source"] = draw(FIELD_VALUES["source"])
    for flag in ("in_source_article", "eu_listed_oil", "constituents_complete"):
        if draw(st.booleans()):
            oil[flag] = draw(st.booleans())
    constituents = []
    for name in draw(names(CONSTITUENTS)):
        row = {"name": name, "source": draw(FIELD_VALUES["source"])}
        low, high = sorted(draw(st.lists(PERCENT, min_size=2, max_size=2)))
        row |= draw(st.sampled_from([{}, {"min_percent": low}, {"max_percent": high},
                                     {"min_percent": low, "max_percent": high}]))  # fmt: skip
        constituents.append(row)
    cautions = []
    for topic in draw(st.lists(FIELD_VALUES["topic"], max_size=3)):
        row = {
            "topic": topic,
            "severity": draw(FIELD_VALUES["severity"]),
            "text": draw(NAME_TEXT),
            "source": draw(FIELD_VALUES["source"]),
        }
        if topic == "children":
            row[draw(st.sampled_from(["min_age_years", "age_below_years"]))] = draw(AGE)
        if draw(st.booleans()):
            row["max_percent"] = draw(PERCENT)
        cautions.append(row)
    oil |= {"constituents": constituents, "cautions": cautions}
    return oil


@st.composite
def damaged(draw: st.DrawFn, document: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``document`` with a few fields given wrong values, dropped, or added."""
    entries = [(table, key) for table, items in document.items() for key in items]
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):
        if not entries:
            break
        table, key = draw(st.sampled_from(entries))
        target = document[table][key]
        rows = [name for name in ROW_FIELDS if target.get(name)]
        if rows and draw(st.booleans()):
            target = draw(st.sampled_from(target[draw(st.sampled_from(rows))]))
        own = sorted(name for name in target if name in FIELD_VALUES)
        field = draw(st.sampled_from(own or sorted(FIELD_VALUES)))
        action = draw(st.sampled_from(["bad", "bad", "bad", "sound", "drop", "stray", "rekey"]))
        if action == "bad":
            target[field] = draw(bad_value(field))
        elif action == "sound":
            target[field] = draw(FIELD_VALUES[field])
        elif action == "drop":
            target.pop(field, None)
        elif action == "stray":
            target[draw(st.sampled_from([*FIELD_VALUES, "colour"]))] = draw(ODD_VALUES)
        else:
            new_key = draw(st.sampled_from(["Bad Key", "-x", "a.b", "a\nb", "x" * 200, "é"]))
            document[table][new_key] = document[table].pop(key)
            entries = [(t, k) for t, items in document.items() for k in items]
    return document


@st.composite
def schema_catalogs(draw: st.DrawFn) -> CatalogText:
    """A small catalog built from the schema (oils.toml's header): new oils and purposes
    citing the shipped sources, families and constituents; sound, or a little damaged."""
    oil_keys = draw(names(NEW_OILS, least=1))
    document: dict[str, dict[str, Any]] = {"oils": {key: draw(sound_oils(key)) for key in oil_keys}}
    if draw(st.booleans()):
        document["sources"] = {"ME": {"title": draw(NAME_TEXT)}}
    if draw(st.booleans()):
        document["families"] = {"Testaceae": {"aliases": [f"test {draw(NAME_TEXT)}"]}}
    if draw(st.booleans()):
        document["constituents"] = {
            "testol": {"aliases": [], "eu_allergen": draw(st.booleans()), "source": "EU"}
        }
    if draw(st.booleans()):
        purpose = {"name": "Test purpose", "aliases": ["testing"], "heading": "explicit"}
        document["purposes"] = {"test-purpose": purpose}
        for key in oil_keys:
            if draw(st.booleans()):
                document["oils"][key]["purposes"].append("test-purpose")
        purpose["ranking"] = [
            key for key in oil_keys if "test-purpose" in document["oils"][key]["purposes"]
        ]
    document = draw(damaged(document))
    schema = draw(st.sampled_from([1, 1, 1, None, "x", 2]))
    return _catalog_text(_toml(document, schema), list(document["oils"]))


@st.composite
def edited_catalogs(draw: st.DrawFn) -> CatalogText:
    """A user catalog overriding a few shipped entries, a little damaged."""
    document: dict[str, dict[str, Any]] = {}
    tables = ["oils", "oils", "oils", "purposes", "sources", "families", "constituents"]
    for _ in range(draw(st.integers(1, 3))):
        table = draw(st.sampled_from(tables))
        key = draw(st.sampled_from(sorted(SHIPPED[table])))
        document.setdefault(table, {})[key] = copy.deepcopy(SHIPPED[table][key])
    document = draw(damaged(document))
    return _catalog_text(_toml(document, 1), list(document.get("oils", {})))


def _catalog_text(text: str, oils: list[str]) -> CatalogText:
    return CatalogText(text, f"CatalogText({_short(text, 20000)})", tuple(oils))


_FILE_NUMBER = itertools.count()


def _check_catalog_files(folder: Path, text: str) -> Path:
    path = folder / f"catalog-{next(_FILE_NUMBER)}.toml"
    path.write_text(text, encoding="utf-8")
    for load in (lambda: load_catalog_files((str(path),)), lambda: load_catalog(path)):
        started = time.perf_counter()
        try:
            catalog = load()
        except BlendcalcError as error:
            _one_line(error)
            assert str(error).startswith(f"{path}: "), (str(error), text[:3000])
        else:
            assert isinstance(catalog, Catalog)
            RUNS["catalogs valid"] += 1
        finally:
            RUNS["catalogs loaded"] += 1
        assert quick(time.perf_counter() - started), str(path)
    return path


CATALOG_COMMANDS = [
    ["show", "{oil}", "--json"],
    ["show", "{oil}"],
    ["blend", "30ml", "{oil}", "--json"],
    ["blend", "30ml", "{oil}", "peppermint:2", "--allergy", "linalool", "--strict"],
    ["blend", "10 ml", "--purpose", "relaxation", "--profile", "child", "--age", "3"],
    ["blend", "1 tsp", "--purpose", "skin", "--json", "--profile", "pregnancy"],
    ["oils"],
    ["oils", "--json", "--purpose", "skin"],
    ["purposes"],
    ["purposes", "--json"],
    ["suggest", "relaxation", "--json", "--allergy", "citrus"],
    ["suggest", "skin", "--profile", "child", "--age", "1"],
    ["bases", "--allergy", "nuts,daisy", "--json"],
    ["bases", "--allergy", "peanut"],
]


@st.composite
def catalog_commands(draw: st.DrawFn, oils: list[str]) -> list[list[str]]:
    commands = draw(st.lists(st.sampled_from(CATALOG_COMMANDS), max_size=3))
    names = st.sampled_from([*oils, "lavender", "test-oil"])
    return [[draw(names) if word == "{oil}" else word for word in command] for command in commands]


def _check_catalog_cli(path: Path, commands: list[list[str]]) -> None:
    for command in commands:
        argv = [*command, "--oils", str(path)]
        check_answer(argv, *invoke(argv))


@scaled(0.04)
@given(catalog=corrupted_catalogs(), data=st.data())
def test_corrupted_catalogs_load_or_fail_cleanly(
    tmp_path: Path, catalog: CatalogText, data: st.DataObject
) -> None:
    path = _check_catalog_files(tmp_path, catalog.text)
    _check_catalog_cli(path, data.draw(catalog_commands([]), label="commands"))


@scaled(0.1)
@given(catalog=st.one_of(schema_catalogs(), edited_catalogs()), data=st.data())
def test_random_catalogs_load_or_fail_cleanly(
    tmp_path: Path, catalog: CatalogText, data: st.DataObject
) -> None:
    path = _check_catalog_files(tmp_path, catalog.text)
    _check_catalog_cli(path, data.draw(catalog_commands(list(catalog.oils)), label="commands"))


# --------------------------------------------------------------------------------------
# The environment: catalogs by every route, environment variables, streams that fail
# --------------------------------------------------------------------------------------

ROUTES = ["--oils", "BLENDCALC_OILS", "config folder"]
HOSTILE_FILES = {
    "nested arrays": "x = " + "[" * 600 + "]" * 600 + "\n",
    "nested tables": "x = " + "{a = " * 600 + "1" + "}" * 600 + "\n",
    "bom": "\ufeff" + (Path(__file__).parent / "data" / "user-calendula.toml").read_text("utf-8"),
    "empty alias": '[families.Lamiaceae]\naliases = [""]\n',
    "escapes": (
        '[sources.ME]\ntitle = "t\\u001b[2J\\u009b"\n\n[oils.evil-oil]\n'
        'name = "E\\u001b[31m\\nReminder: forged\\u2028x\\u202e"\nlatin = "L\\r"\n'
        'family = "Lamiaceae"\npurposes = ["skin", "relaxation"]\npurposes_sources = ["ME"]\n'
        "phototoxic = false\n"
    ),
}
SPECIAL_FILES = ["fifo", "folder", "missing", "/dev/null", "utf-16"]
COLUMNS_VALUES = [
    "1", "5", "10", "20", "40", "60", "80", "100", "200", "0", "-1", "", " 80 ", "abc", "٣٠",
    "1e3", "99999999999999999999", "10000", "10001", "80.5",
]  # fmt: skip
ENV_COMMANDS = [
    *CATALOG_COMMANDS,
    ["blend", "50ml", "lavender:2", "bergamot:1", "{oil}"],
    ["blend", "30ml", "{oil}", "--json", "--strict"],
    ["convert", "2 tbsp", "ml"],
    ["chart", "--volumes", "10,30", "--dilutions", "1,2"],
    ["--help"],
    ["blend", "--help"],
    ["show", "{oil}", "--bogus"],
    ["blend", "30ml", "{oil}", "--count", "٣"],
]


@st.composite
def catalog_sources(draw: st.DrawFn) -> tuple[str, CatalogText | None]:
    """A user catalog: generated, a corrupted copy of the shipped one, hostile text, or a
    file that is not a catalog at all (a FIFO, a folder...)."""
    kind = draw(
        st.sampled_from(["generated", "generated", "hostile", "hostile", "special", "none"])
    )
    if kind == "generated":
        return "text", draw(st.one_of(schema_catalogs(), edited_catalogs()))
    if kind == "hostile":
        name = draw(st.sampled_from(["escapes", *HOSTILE_FILES]))  # escapes twice as often
        oils = ("evil-oil",) if name == "escapes" else ()
        return "text", CatalogText(HOSTILE_FILES[name], f"HOSTILE_FILES[{name!r}]", oils)
    if kind == "special":
        return draw(st.sampled_from(SPECIAL_FILES)), None
    return "none", None


_ENV_NUMBER = itertools.count()


def _place_catalog(folder: Path, source: tuple[str, CatalogText | None], route: str) -> Path:
    """Write the catalog where ``route`` finds it; returns its path."""
    kind, catalog = source
    place = (
        folder / "config" / "blendcalc" / "oils.toml"
        if route == "config folder"
        else (folder / "user.toml")
    )
    place.parent.mkdir(parents=True, exist_ok=True)
    if kind == "text":
        assert catalog is not None
        place.write_text(catalog.text, encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(place)
    elif kind == "folder":
        place.mkdir()
    elif kind == "/dev/null":
        place.symlink_to("/dev/null")
    elif kind == "utf-16":
        place.write_bytes("[sources.X]\ntitle = 'x'\n".encode("utf-16"))
    return place


@st.composite
def environments(draw: st.DrawFn) -> dict[str, str | None]:
    """Environment variables a user's shell may hold (None: unset)."""
    return {
        "COLUMNS": draw(st.one_of(st.none(), st.sampled_from(COLUMNS_VALUES))),
        "LINES": draw(st.one_of(st.none(), st.sampled_from(["0", "24", "-3", "9" * 30]))),
        "NO_COLOR": draw(st.sampled_from([None, "1", ""])),
        "XDG_CACHE_HOME": draw(st.sampled_from([None, "", "relative/cache", "/nonexistent"])),
        "TERM": draw(st.sampled_from([None, "dumb", "xterm-256color"])),
    }


@st.composite
def environment_cases(draw: st.DrawFn) -> dict[str, Any]:
    source = draw(catalog_sources())
    route = draw(st.sampled_from(ROUTES))
    config = draw(st.sampled_from(["private", "private", "", "long", "relative", "a file"]))
    oils = source[1].oils if source[1] is not None else ()
    command = draw(st.sampled_from(ENV_COMMANDS))
    oil = draw(st.sampled_from([*oils, "lavender", "test-oil"]))
    return {
        "source": source,
        "route": route,
        "config": config,
        "argv": [oil if word == "{oil}" else word for word in command],
        "env": draw(environments()),
        "stdout": draw(st.sampled_from(["normal"] * 4 + ["full", "gone", "gone-later", "closed"])),
        "stderr": draw(st.sampled_from(["normal"] * 4 + ["full", "gone", "closed"])),
    }


class _FailingWriter(io.StringIO):
    """A stream that fails like a full disk (ENOSPC) or a reader that left (EPIPE), from the
    first write or after some characters."""

    def __init__(self, error: int, after: int = 0) -> None:
        super().__init__()
        self.error = error
        self.after = after

    def write(self, text: str) -> int:
        if self.tell() + len(text) > self.after:
            raise OSError(self.error, os.strerror(self.error))
        return super().write(text)


def _stream(kind: str) -> Any:
    if kind == "full":
        return _FailingWriter(errno.ENOSPC)
    if kind == "gone":
        return _FailingWriter(errno.EPIPE)
    if kind == "gone-later":
        return _FailingWriter(errno.EPIPE, after=200)
    if kind == "closed":
        return None
    return io.StringIO()


def _case_environment(
    case: dict[str, Any], folder: Path
) -> tuple[list[str], dict[str, str | None]]:
    """The command line and environment of a case, with its catalog in place."""
    route = case["route"]
    config = {
        "private": str(folder / "config"),
        "": "",
        "long": str(folder / ("x" * 300)),
        "relative": "relative/config",
        "a file": str(Path(__file__)),
    }[case["config"]]
    if route == "config folder":
        config = str(folder / "config")
    env: dict[str, str | None] = {**case["env"], "XDG_CONFIG_HOME": config, "BLENDCALC_OILS": None}
    argv = list(case["argv"])
    if case["source"][0] != "none":
        place = _place_catalog(folder, case["source"], route)
        if (
            route == "--oils"
            and argv[0] not in {"convert", "chart", "--help"}
            and "--help" not in argv
        ):
            argv += ["--oils", str(place)]
        elif route == "BLENDCALC_OILS":
            env["BLENDCALC_OILS"] = str(place)
    return argv, env


def _check_environment_answer(case: dict[str, Any], argv: list[str], code: int,
                              stdout: str, stderr: str, elapsed: float) -> None:  # fmt: skip
    context = f"{case!r}\nexit {code}\nstdout: {stdout[:1500]!r}\nstderr: {stderr[:1500]!r}"
    if case["stdout"] == "normal" and case["stderr"] == "normal":
        check_answer(argv, code, stdout, stderr, elapsed)
        return
    assert code in {0, 2, 3, 4}, context
    for stream in (stdout, stderr):
        assert "Traceback" not in stream, context
        assert "internal error" not in stream, context
        assert not _RAW_CONTROL.search(stream), context
    assert quick(elapsed), context
    lines = stderr.splitlines()
    if case["stderr"] == "normal":
        if code == 2 and case["stdout"] == "full":
            # What went to stderr before stdout failed stays (left-out oils come first).
            assert [line for line in lines if line.startswith("Error: ")] == lines[-1:], context
        elif code == 2:
            assert len(lines) == 1 and lines[0].startswith("Error: "), context
        if case["stdout"] == "full" and code == 2 and not stdout:
            assert "Error: cannot write the output" in stderr or "Error: " in stderr, context
        if case["stdout"] != "full":
            assert "Error: cannot write" not in stderr, context
        if json_requested(argv) and code != 2:
            assert stderr == "", context
    if case["stdout"] == "normal" and json_requested(argv) and code != 2:
        json.loads(stdout, parse_constant=_reject_constant)


@scaled(0.15)
@given(case=environment_cases())
def test_the_environment_keeps_the_contract(tmp_path: Path, case: dict[str, Any]) -> None:
    """A user catalog by every route (generated, corrupted, hostile, or not a file at all),
    random COLUMNS, LINES, NO_COLOR, TERM and XDG folders, and stdout or stderr full, gone or
    closed: exit 0, 2, 3 or 4, never a traceback, one error line, valid JSON, nothing raw."""
    folder = tmp_path / f"case-{next(_ENV_NUMBER)}"
    folder.mkdir()
    argv, env = _case_environment(case, folder)
    out, err = _stream(case["stdout"]), _stream(case["stderr"])
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        for name, value in env.items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        started = time.perf_counter()
        try:
            code = run(argv)
        except BaseException as error:
            raise AssertionError(f"run({argv!r}) raised {error!r}") from error
        elapsed = time.perf_counter() - started
    RUNS["environments"] += 1
    stdout = out.getvalue() if isinstance(out, io.StringIO) else ""
    stderr = err.getvalue() if isinstance(err, io.StringIO) else ""
    _check_environment_answer(case, argv, code, stdout, stderr, elapsed)


# The same, as a real process: encodings, locales and real file descriptors (closed, /dev/full).

PROGRAM = Path(sys.executable).parent / "blendcalc"
ENCODINGS = [None, "ascii", "latin-1", "utf-8", "cp1252", "ascii:strict", "iso8859-5", "utf-16"]


@st.composite
def process_cases(draw: st.DrawFn) -> dict[str, Any]:
    case = draw(environment_cases())
    case["stdout"] = draw(st.sampled_from(["pipe", "pipe", "full", "closed", "gone"]))
    case["stderr"] = draw(st.sampled_from(["pipe", "pipe", "pipe", "full", "closed"]))
    case["env"]["PYTHONIOENCODING"] = draw(st.sampled_from(ENCODINGS))
    locale = draw(st.sampled_from([None, "C", "POSIX", "C.UTF-8"]))
    case["env"]["LC_ALL"] = locale
    case["env"]["PYTHONUTF8"] = draw(st.sampled_from([None, "0", "1"]))
    case["env"]["PYTHONCOERCECLOCALE"] = "0" if locale else None
    return case


def _process_stream(kind: str, stack: contextlib.ExitStack) -> Any:
    if kind == "full":
        return stack.enter_context(Path("/dev/full").open("wb"))
    if kind == "closed":
        return subprocess.DEVNULL  # closed in the child, see _close
    return subprocess.PIPE


@scaled(0.01)
@given(case=process_cases())
def test_the_environment_keeps_the_contract_in_a_real_process(
    tmp_path: Path, case: dict[str, Any]
) -> None:
    if not Path("/dev/full").exists() or not PROGRAM.exists():
        pytest.skip("needs /dev/full and the installed program")
    folder = tmp_path / f"case-{next(_ENV_NUMBER)}"
    folder.mkdir()
    argv, env_changes = _case_environment(case, folder)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("BLENDCALC", "PYTHON", "LC_", "_BLENDCALC"))}  # fmt: skip
    env.update(HOME=str(folder), TMPDIR=str(folder))
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    closing = [fd for fd, kind in ((1, case["stdout"]), (2, case["stderr"])) if kind == "closed"]
    encoding = (env.get("PYTHONIOENCODING") or "utf-8").split(":")[0]
    with contextlib.ExitStack() as stack:
        process = subprocess.Popen(
            [str(PROGRAM), *argv],
            stdin=subprocess.DEVNULL,
            stdout=_process_stream(case["stdout"], stack),
            stderr=_process_stream(case["stderr"], stack),
            env=env,
            cwd=folder,
            preexec_fn=(lambda: [os.close(fd) for fd in closing]) if closing else None,  # noqa: PLW1509
        )
        if case["stdout"] == "gone":
            assert process.stdout is not None
            process.stdout.close()  # the reader leaves before the program writes
        started = time.perf_counter()
        out, err = process.communicate(timeout=60)
        elapsed = time.perf_counter() - started
    RUNS["environments (processes)"] += 1
    code = process.returncode
    stdout = (out or b"").decode(encoding, "backslashreplace")
    stderr = (err or b"").decode(encoding, "backslashreplace")
    context = f"{case!r}\nexit {code}\nstdout: {stdout[:1500]!r}\nstderr: {stderr[:1500]!r}"
    assert code in {0, 2, 3, 4}, context
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, context
    assert "internal error" not in stderr, context
    assert quick(elapsed / 10), context  # a process takes far longer than a call
    lines = stderr.splitlines()
    if case["stderr"] == "pipe":
        if code == 2 and case["stdout"] == "full":
            assert [line for line in lines if line.startswith("Error: ")] == lines[-1:], context
        elif code == 2:
            assert len(lines) == 1 and lines[0].startswith("Error: "), context
        if json_requested(argv) and code != 2:
            assert stderr == "", context
        assert not _RAW_CONTROL.search(stderr), context
    if case["stdout"] == "pipe":
        assert not _RAW_CONTROL.search(stdout), context
        if json_requested(argv) and code != 2:
            json.loads(stdout, parse_constant=_reject_constant)
    if case["stdout"] == "full" and case["stderr"] == "pipe" and code == 2:
        assert lines[-1].startswith("Error: "), context
