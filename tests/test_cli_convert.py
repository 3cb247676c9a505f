import json
import subprocess
import sys
import time

import pytest

from tests.conftest import Invoke, one_error_line


def test_convert_says_what_it_assumed(invoke: Invoke) -> None:
    result = invoke("convert", "2 tbsp", "ml")
    assert result.code == 0
    assert result.stdout.strip() == "2 tbsp = 30 mL (1 tbsp = 15 mL, metric)"
    assert result.stderr == ""


def test_convert_to_drops_names_the_drop_size(invoke: Invoke) -> None:
    assert invoke("convert", "30 ml", "drops").stdout.startswith("30 mL = 600 drops")
    thirty = invoke("convert", "30 ml", "drops", "--drops-per-ml", "30")
    assert "900 drops" in thirty.stdout
    assert "30 drops per mL" in thirty.stdout


def test_convert_json_is_one_document(invoke: Invoke) -> None:
    result = invoke("convert", "1 fl oz", "ml", "--json")
    document = json.loads(result.stdout)
    assert document["from"] == {"value": 1, "unit": "fl_oz"}
    assert document["to"] == {"value": 29.57353, "unit": "ml"}
    assert document["exact"] == "473176473/16000000"
    assert document["drops_per_ml"] == 20


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["", "ml"], "empty"),
        (["0 ml", "drops"], "'0 ml'"),
        (["-5 ml", "drops"], "'-5'"),
        (["nan ml", "drops"], "'nan'"),
        (["inf ml", "drops"], "'inf'"),
        (["1e400 ml", "drops"], "'1e400 ml'"),
        (["30", "ml"], "'30' has no unit"),
        (["30 mll", "ml"], "did you mean 'ml'"),
        (["30 ml", "tbps"], "did you mean 'tbsp'"),
        (["30 g", "ml"], "'g' is a mass"),
        (["9**9**9 ml", "ml"], "'9**9**9 ml'"),
        (["2000 l", "ml"], "at most 1000 L"),
        (["30 ml", "drops", "--drops-per-ml", "0"], "--drops-per-ml '0'"),
        (["30 ml", "drops", "--drops-per-ml", "-3"], "--drops-per-ml '-3'"),
        (["30 ml", "drops", "--drops-per-ml", "nan"], "--drops-per-ml 'nan'"),
        (["30 ml", "drops", "--drops-per-ml", "1e9"], "--drops-per-ml '1e9'"),
        (["30 ml"], "Missing argument 'UNIT'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(invoke: Invoke, args: list[str], named: str) -> None:
    started = time.monotonic()
    result = invoke("convert", *args)
    assert time.monotonic() - started < 1
    assert result.code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ")
    assert named in lines[0]


def test_version(invoke: Invoke) -> None:
    from blendcalc import __version__

    assert invoke("--version").stdout.strip() == f"blendcalc {__version__}"


def test_python_dash_m_runs_and_never_shows_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "blendcalc", "convert", "9**9**9 ml", "ml"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_help_does_not_import_pint() -> None:
    code = (
        "import sys\n"
        "from blendcalc.cli import run\n"
        "run(['--help'])\n"
        "run(['convert', '--help'])\n"
        "assert 'pint' not in sys.modules, 'pint was imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr


def test_internal_errors_ask_for_a_report(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    import blendcalc.units

    def broken(*_: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.delenv("BLENDCALC_DEBUG", raising=False)
    monkeypatch.setattr(blendcalc.units, "convert", broken)
    result = invoke("convert", "1 ml", "ml")
    assert result.code == 1
    assert "bug in blendcalc" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_command_shows_the_help_like_help_does(invoke: Invoke) -> None:
    # Found by tests/test_fuzz.py: `blendcalc` alone printed the help, then "Error:  (see
    # 'blendcalc --help')" and exited 2.
    result = invoke()
    assert result.code == 0
    assert "Usage: blendcalc" in result.stdout
    assert result.stderr == ""


def test_show_completion_returns_an_exit_code_instead_of_raising(invoke: Invoke) -> None:
    # Found by tests/test_fuzz.py: Typer ends --show-completion with sys.exit(0), which
    # escaped run() (documented never to raise) as SystemExit.
    result = invoke("--show-completion")
    assert result.code in {0, 1}  # 1: Typer could not tell which shell this is
    if result.code == 0:
        assert "_blendcalc_completion" in result.stdout or "complete" in result.stdout


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_a_usage_error_stays_one_line_whatever_the_argument_holds(
    invoke: Invoke, separator: str
) -> None:
    # Found by tests/test_fuzz.py: Typer escapes control characters in its messages, but not
    # the Unicode line and paragraph separators.
    line = one_error_line(invoke, "convert", "1 ml", "ml", f"extra{separator}argument")
    assert line.startswith("Error: Got unexpected extra argument")
