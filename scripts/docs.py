"""Keep the documentation true: run every example it shows and regenerate what the program prints.

    uv run python scripts/docs.py            # rewrite README.md, docs/json.md and docs/cli.md
    uv run python scripts/docs.py --check    # exit 1 with a diff when any of them is stale
    uv run python scripts/docs.py --shell    # print the README's shell-only blocks (for .ci/run)

In every ```console block of README.md and docs/json.md, each ``$ blendcalc ...`` (or
``$ uv run blendcalc ...``) line is run as a real process (``python -m blendcalc`` in this
environment, from the repository root, with NO_COLOR, 100 columns and no user catalog) and the
lines below it, up to the next ``$`` line, are replaced by what it printed: stdout and stderr
together, in the order a terminal shows them. An example expects exit 0 unless its line ends
with ``# exit N``; any other exit code is an error, so an example cannot show a failure by
accident. A block preceded by the line ``<!-- docs: shell -->`` is not rewritten: .ci/run runs
its commands in a copy of the clone, each block in a subshell (``--shell`` prints the script).
The only other command allowed in a console block is ``uv run pytest``, which .ci/run runs
itself.

docs/cli.md is generated whole from ``blendcalc --help`` and each command's ``--help``.

Output lines are written without trailing spaces (editors strip them).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_FILES = ("README.md", "docs/json.md")
CLI_REFERENCE = "docs/cli.md"
SHELL_MARKER = "<!-- docs: shell -->"
RUN_BY_CI = {"uv run pytest": ".ci/run runs the tests itself"}
COLUMNS = "100"
_EXIT_COMMENT = re.compile(r"\s+#\s*exit\s+(\d+)\s*$")


class DocsError(Exception):
    """An example that cannot be run, or that did not end as the document says."""


@dataclass(frozen=True)
class Example:
    """One ``$ blendcalc ...`` line of a console block."""

    line: str  # the line as written, without "$ "
    argv: tuple[str, ...]  # blendcalc's arguments
    expected_exit: int


@contextmanager
def example_environment() -> Iterator[dict[str, str]]:
    """The environment every example runs in: the shipped catalog only, no colour, 100 columns,
    and unbuffered output so stdout and stderr interleave as on a terminal."""
    with tempfile.TemporaryDirectory(prefix="blendcalc-docs-") as scratch:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"BLENDCALC_OILS", "BLENDCALC_DEBUG", "TERM"}
            and not key.startswith(("_BLENDCALC", "COMP_", "FORCE_COLOR"))
        }
        env.update(
            NO_COLOR="1",
            COLUMNS=COLUMNS,
            LINES="50",
            PYTHONUNBUFFERED="1",
            PYTHONIOENCODING="utf-8",
            XDG_CONFIG_HOME=str(Path(scratch) / "config"),
        )
        yield env


def parse_example(line: str) -> Example | None:
    """The example on a ``$`` line, None for a command run elsewhere; DocsError otherwise."""
    expected_exit = 0
    match = _EXIT_COMMENT.search(line)
    command = line
    if match:
        expected_exit = int(match.group(1))
        command = line[: match.start()]
    if command.strip() in RUN_BY_CI:
        return None
    words = shlex.split(command)
    if words[:2] == ["uv", "run"]:
        words = words[2:]
    if not words or words[0] != "blendcalc":
        raise DocsError(
            f"cannot run the example '$ {line}': a console block may show blendcalc commands "
            f"and {', '.join(RUN_BY_CI)}; put other commands in a block after '{SHELL_MARKER}'"
        )
    return Example(line, tuple(words[1:]), expected_exit)


def run_blendcalc(argv: tuple[str, ...], env: dict[str, str]) -> tuple[int, str]:
    """Run ``blendcalc ARGV`` as a process; return its exit code and its merged output."""
    done = subprocess.run(
        [sys.executable, "-m", "blendcalc", *argv],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout


def _output_lines(output: str) -> list[str]:
    lines = [line.rstrip() for line in output.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def run_example(example: Example, env: dict[str, str]) -> list[str]:
    code, output = run_blendcalc(example.argv, env)
    if code != example.expected_exit:
        raise DocsError(
            f"the example '$ {example.line}' exited {code}, not {example.expected_exit} "
            f"(add '# exit {code}' to the line if that is what it should show):\n{output}"
        )
    return _output_lines(output)


def _console_blocks(lines: list[str]) -> Iterator[tuple[int, int, bool]]:
    """(first line inside, closing fence line, is a shell block) for each ```console block."""
    index = 0
    while index < len(lines):
        if lines[index].strip() == "```console":
            shell = index > 0 and lines[index - 1].strip() == SHELL_MARKER
            end = index + 1
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            if end == len(lines):
                raise DocsError(f"a ```console block opened on line {index + 1} never closes")
            yield index + 1, end, shell
            index = end
        index += 1


def render_examples(text: str, env: dict[str, str], workers: int = 2) -> str:
    """TEXT with the output of every example replaced by what the example prints now."""
    lines = text.split("\n")
    # The document as kept lines and examples (whose old output is dropped), in order.
    pieces: list[str | Example] = []
    position = 0
    for start, end, shell in _console_blocks(lines):
        if shell:
            continue
        if start < end and not lines[start].startswith("$ "):
            raise DocsError(f"a console block must start with a '$ ' line: {lines[start]!r}")
        pieces.extend(lines[position:start])
        for line in lines[start:end]:
            if line.startswith("$ "):
                pieces.append(line)
                example = parse_example(line[2:])
                if example:
                    pieces.append(example)
        position = end
    pieces.extend(lines[position:])
    jobs = [piece for piece in pieces if isinstance(piece, Example)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outputs = dict(zip(jobs, pool.map(lambda job: run_example(job, env), jobs), strict=True))
    return "\n".join(
        line
        for piece in pieces
        for line in (outputs[piece] if isinstance(piece, Example) else [piece])
    )


def shell_blocks(text: str) -> list[list[str]]:
    """The commands of each of TEXT's shell-only blocks (those after ``<!-- docs: shell -->``)."""
    lines = text.split("\n")
    return [
        [line[2:] for line in lines[start:end] if line.startswith("$ ")]
        for start, end, shell in _console_blocks(lines)
        if shell
    ]


def shell_script(text: str) -> str:
    """A bash script running each shell-only block in a subshell of its own, in order."""
    return "".join("(\n" + "".join(f"{line}\n" for line in block) + ")\n" for block in
                   shell_blocks(text))  # fmt: skip


def command_names() -> list[str]:
    """The app's commands, in the order they are registered."""
    import typer

    from blendcalc.cli import app

    group = typer.main.get_command(app)
    return list(getattr(group, "commands", {}))


def render_cli_reference(env: dict[str, str]) -> str:
    """docs/cli.md: the help of blendcalc and of each command, as the program prints it."""
    names = command_names()
    calls = [("--help",), *((name, "--help") for name in names)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda argv: run_blendcalc(argv, env), calls))
    parts = [
        "# Command-line reference",
        "",
        "<!-- Generated by `uv run python scripts/docs.py` from the program's own --help; do not",
        "     edit by hand. CI fails when this file and the program disagree. -->",
        "",
        "Every command also takes `-h`/`--help`. Exit codes: 0 done, 1 internal error (a bug),",
        "2 bad input, 3 `--strict` and a safety warning, 4 no blend can be made, 130 interrupted",
        '(README, "Exit codes").',
        "",
        "Commands: " + ", ".join(f"[`{name}`](#blendcalc-{name})" for name in names) + ".",
        "",
    ]
    for argv, (code, output) in zip(calls, results, strict=True):
        if code != 0:
            raise DocsError(f"'blendcalc {' '.join(argv)}' exited {code}:\n{output}")
        title = " ".join(("blendcalc", *argv[:-1]))
        parts += [f"## {title}", "", "```text", f"$ {title} --help", *_output_lines(output)]
        parts += ["```", ""]
    return "\n".join(parts)


def rendered_documents() -> dict[str, str]:
    """Every generated document, by path relative to the repository root, as it should be."""
    with example_environment() as env:
        documents = {
            name: render_examples((ROOT / name).read_text(encoding="utf-8"), env)
            for name in EXAMPLE_FILES
            if (ROOT / name).exists()  # tests/test_docs.py requires each of them
        }
        documents[CLI_REFERENCE] = render_cli_reference(env)
    return documents


def stale(path: str, expected: str) -> str:
    """A unified diff from the file at PATH to EXPECTED ('' when they agree)."""
    file = ROOT / path
    current = file.read_text(encoding="utf-8") if file.exists() else ""
    if current == expected:
        return ""
    return "".join(
        difflib.unified_diff(
            current.splitlines(keepends=True),
            expected.splitlines(keepends=True),
            fromfile=f"{path} (as committed)",
            tofile=f"{path} (as the program prints it now)",
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="fail when a document is stale")
    mode.add_argument(
        "--shell", action="store_true", help="print the README's shell-only blocks as a script"
    )
    options = parser.parse_args()
    if options.shell:
        print(shell_script((ROOT / "README.md").read_text(encoding="utf-8")), end="")
        return 0
    try:
        documents = rendered_documents()
    except DocsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    failed = False
    for path, expected in documents.items():
        diff = stale(path, expected)
        if not diff:
            continue
        if options.check:
            failed = True
            sys.stderr.write(diff)
        else:
            (ROOT / path).parent.mkdir(parents=True, exist_ok=True)
            (ROOT / path).write_text(expected, encoding="utf-8")
            print(f"rewrote {path}")
    if failed:
        print(
            "error: the documents above no longer match the program; run "
            "`uv run python scripts/docs.py`, read the diff, and commit it",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
