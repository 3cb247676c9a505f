"""Shared helpers: run the real CLI entry point in-process and capture what it writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from blendcalc.cli import run


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


Invoke = Callable[..., Result]


@pytest.fixture(autouse=True)
def no_user_catalog(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the developer's own catalog ($BLENDCALC_OILS, ~/.config) out of every test."""
    monkeypatch.delenv("BLENDCALC_OILS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "empty-config"))


@pytest.fixture
def invoke(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run ``blendcalc ARGS...`` through the console script's own error handling."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")

    def _invoke(*args: str) -> Result:
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _invoke


def one_error_line(invoke: Invoke, *args: str) -> str:
    """Run ``blendcalc ARGS...`` expecting bad input: exit 2, nothing on stdout, one
    ``Error: ...`` line on stderr, which is returned."""
    result = invoke(*args)
    assert result.code == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]
