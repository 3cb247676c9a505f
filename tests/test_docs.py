"""The documentation cannot drift from the program: every example runs, the CLI reference is the
program's own help, and every command is documented and explained."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import typer

from blendcalc.cli import app
from scripts import docs

ROOT = Path(__file__).parent.parent
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]
GENERATED = (*docs.EXAMPLE_FILES, docs.CLI_REFERENCE)


@cache
def rendered() -> dict[str, str]:
    """What the generator writes now (runs every example once for the whole module)."""
    return docs.rendered_documents()


@pytest.mark.parametrize("path", GENERATED)
def test_document_matches_what_the_program_prints(path: str) -> None:
    assert (ROOT / path).exists(), f"{path} is missing: run `uv run python scripts/docs.py`"
    diff = docs.stale(path, rendered()[path])
    assert not diff, (
        f"{path} no longer matches the program: run `uv run python scripts/docs.py`, read the "
        f"diff and commit it (or fix the program).\n{diff}"
    )


def test_a_changed_output_is_caught_and_rewritten() -> None:
    text = '# t\n\n```console\n$ blendcalc convert "2 tbsp" ml\n2 tbsp = 31 mL\n```\n'
    with docs.example_environment() as env:
        fixed = docs.render_examples(text, env)
    assert "2 tbsp = 31 mL" not in fixed
    assert '$ blendcalc convert "2 tbsp" ml\n2 tbsp = 30 mL (1 tbsp = 15 mL, metric)\n' in fixed


def test_an_example_that_fails_unexpectedly_is_an_error() -> None:
    text = "```console\n$ blendcalc convert 2 ml\n```\n"
    with docs.example_environment() as env, pytest.raises(docs.DocsError, match="exited 2, not 0"):
        docs.render_examples(text, env)


def test_an_expected_exit_code_is_checked() -> None:
    text = '```console\n$ blendcalc convert "2 tbsp" ml  # exit 2\n```\n'
    with docs.example_environment() as env, pytest.raises(docs.DocsError, match="exited 0, not 2"):
        docs.render_examples(text, env)


def test_a_command_the_generator_cannot_run_is_an_error() -> None:
    with pytest.raises(docs.DocsError, match="cannot run the example"):
        docs.parse_example("pip install blendcalc")


def test_the_readme_shell_blocks_are_run_by_ci() -> None:
    script = docs.shell_script((ROOT / "README.md").read_text(encoding="utf-8"))
    assert "(\npython3 -m venv .venv && . .venv/bin/activate\npip install -e . " in script
    assert "(\nuv tool install .\n" in script
    assert "scripts/docs.py --shell" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _command(name: str) -> typer.core.TyperCommand:
    """A command by its name, a sub-command by "group sub" ("recipe show")."""
    group, _, sub = name.partition(" ")
    command = COMMANDS[group]
    return command.commands[sub] if sub else command  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", docs.command_names())
def test_every_command_has_help_and_is_documented(name: str) -> None:
    command = _command(name)
    assert (command.help or "").strip(), f"'blendcalc {name}' has no help text (its docstring)"
    for param in command.params:
        label = param.opts[0] if param.opts else param.name
        assert (getattr(param, "help", None) or "").strip(), (
            f"'blendcalc {name}' {label} has no help text"
        )
    reference = (ROOT / docs.CLI_REFERENCE).read_text(encoding="utf-8")
    assert f"\n## blendcalc {name}\n" in reference, f"docs/cli.md has no section for {name}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"blendcalc {name}" in readme, f"the README never shows 'blendcalc {name}'"


def test_the_reference_documents_no_command_that_does_not_exist() -> None:
    reference = (ROOT / docs.CLI_REFERENCE).read_text(encoding="utf-8")
    sections = [
        line.removeprefix("## blendcalc").strip()
        for line in reference.splitlines()
        if line.startswith("## blendcalc")
    ]
    assert sections == ["", *docs.command_names()]
