"""Shared helpers: run the real CLI entry point in-process and capture what it writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from blendcalc.cli import run


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


Invoke = Callable[..., Result]


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
