"""What an installer sees: one version everywhere, complete metadata, typed, the catalog inside."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import blendcalc
from tests.conftest import Invoke

ROOT = Path(__file__).parent.parent


def test_one_version_source() -> None:
    # pyproject.toml reads the version from blendcalc/__init__.py (hatch's dynamic version), so
    # the installed metadata, the module and --version cannot disagree.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert not re.search(r"(?m)^version\s*=", pyproject)
    assert metadata.version("blendcalc") == blendcalc.__version__


def test_version_option_prints_the_package_version(invoke: Invoke) -> None:
    result = invoke("--version")
    assert (result.code, result.stdout) == (0, f"blendcalc {blendcalc.__version__}\n")


def test_python_dash_m_runs_the_same_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "blendcalc", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, f"blendcalc {blendcalc.__version__}\n")


def test_metadata_is_complete() -> None:
    meta = metadata.metadata("blendcalc")
    assert meta["Summary"]
    assert meta["Requires-Python"] == ">=3.11"
    assert meta["License-Expression"] == "MIT"
    assert "aromatherapy" in (meta["Keywords"] or "")
    assert "Typing :: Typed" in (meta.get_all("Classifier") or [])
    assert meta["Description-Content-Type"] == "text/markdown"
    requires = meta.get_all("Requires-Dist") or []
    assert any(line.startswith("typer") for line in requires)
    assert any(line.startswith("pint") for line in requires)
    scripts = [
        ep for ep in metadata.entry_points(group="console_scripts") if ep.name == "blendcalc"
    ]
    assert [ep.value for ep in scripts] == ["blendcalc.entry:main"]


def test_the_package_is_marked_typed_and_licensed() -> None:
    package = Path(blendcalc.__file__).parent
    assert (package / "py.typed").exists()
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_the_changelog_has_a_section_for_work_not_yet_released_or_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"(?m)^## \[([^\]]+)\]", changelog)
    assert headings, "CHANGELOG.md has no version sections"
    assert headings[0] in {"Unreleased", blendcalc.__version__}
