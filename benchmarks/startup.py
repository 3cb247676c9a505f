"""Start-up benchmark for blendcalc (SPEC section 6: Speed).

It measures how long blendcalc commands take from process start to exit, and their peak
memory, against floors it builds itself in a temporary folder and runs with the same
interpreter (``sys.executable``) and environment:

- the Typer floor: a one-command Typer app with one option, run plainly and with ``--help``;
- the Pint floor: the same app whose command does ``import pint``;
- ``pint-convert "2 tbsp" ml``, the script Pint installs next to the interpreter.

blendcalc runs as ``python -m blendcalc ...`` and the floors as ``python FLOOR.py ...``, so
interpreter start-up is the same on both sides. After one untimed warm-up run of each
(which also fills the .pyc caches), the runs are interleaved, round-robin over every
command and floor, and the medians of the wall times are compared with the budgets. Peak
memory is each child's ``ru_maxrss`` read with ``os.wait4``. Whether Pint gets imported is
read from ``python -X importtime`` (one extra run per command). A command that exits
non-zero (not written yet, or broken) is reported as not available and skipped.

Every child runs with ``NO_COLOR=1`` and ``COLUMNS=100``, from the repository root, with
``PYTHONDONTWRITEBYTECODE`` removed: users have .pyc caches, and without them every run
recompiles Typer, rich and Pint (about twice as slow, and not what anyone sees).

This is a measurement, not a test: it exits 0 whatever the figures (unless it breaks).

Run it from the repository root::

    uv run python benchmarks/startup.py            # 15 runs of each command
    uv run python benchmarks/startup.py --runs 30
    uv run python benchmarks/startup.py --quick    # 3 runs: a smoke test, not a measurement
    uv run python benchmarks/startup.py --json     # the results as one JSON document
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PINT_CONVERT = Path(sys.executable).parent / "pint-convert"
MEMORY_BUDGET_MIB = 45.0

FLOOR_TYPER = '''\
"""The Typer floor: a one-command Typer app with one option."""

import typer

app = typer.Typer()


@app.command()
def main(name: str = typer.Option("x")) -> None:
    print(f"hello {name}")


app()
'''

FLOOR_PINT = '''\
"""The Pint floor: the Typer floor whose command imports Pint."""

import typer

app = typer.Typer()


@app.command()
def main(name: str = typer.Option("x")) -> None:
    import pint

    print(f"hello {name} (pint {pint.__version__})")


app()
'''

COMPLETION_ENV = {
    # blendcalc's main passes prog_name="blendcalc", so Click reads _BLENDCALC_COMPLETE.
    "_BLENDCALC_COMPLETE": "complete_bash",
    "COMP_WORDS": "blendcalc show lav",
    "COMP_CWORD": "2",
}


@dataclass
class Target:
    """One thing to time: a command line and the extra environment it runs with."""

    key: str
    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    is_floor: bool = False
    check_pint: bool = False  # SPEC: "Pint not imported"
    available: bool = True
    status: str = "ok"
    detail: str = ""  # the last line of stderr of a failed run, or a remark
    times: list[float] = field(default_factory=list)
    maxrss_kib: int = 0
    pint_imported: bool | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.available and self.times else None

    @property
    def peak_mib(self) -> float | None:
        return self.maxrss_kib / 1024 if self.available and self.maxrss_kib else None


@dataclass(frozen=True)
class Budget:
    """``target`` must take at most ``factor`` times ``floor`` (medians)."""

    target: str
    floor: str
    factor: float


BUDGETS = [
    Budget("convert", "pint_floor", 1.25),
    Budget("convert", "pint_convert", 0.4),
    Budget("blend", "pint_floor", 1.25),
    Budget("help", "typer_help", 1.25),
    Budget("oils_json", "typer_floor", 1.25),
    Budget("purposes_json", "typer_floor", 1.25),
    Budget("show_json", "typer_floor", 1.25),
    Budget("completion", "typer_floor", 1.25),
    Budget("oils", "typer_floor", 1.6),
    Budget("purposes", "typer_floor", 1.6),
    Budget("show", "typer_floor", 1.6),
]


def make_targets(floor_dir: Path) -> list[Target]:
    """The floors first, then the blendcalc commands of SPEC section 6."""
    typer_file = floor_dir / "floor_typer.py"
    pint_file = floor_dir / "floor_pint.py"
    typer_file.write_text(FLOOR_TYPER, encoding="utf-8")
    pint_file.write_text(FLOOR_PINT, encoding="utf-8")
    blendcalc = [PYTHON, "-m", "blendcalc"]
    targets = [
        Target("typer_floor", "Typer floor", [PYTHON, str(typer_file)], is_floor=True),
        Target(
            "typer_help", "Typer floor --help", [PYTHON, str(typer_file), "--help"], is_floor=True
        ),
        Target("pint_floor", "Pint floor", [PYTHON, str(pint_file)], is_floor=True),
        Target(
            "pint_convert",
            'pint-convert "2 tbsp" ml',
            [str(PINT_CONVERT), "2 tbsp", "ml"],
            is_floor=True,
        ),
        Target("convert", 'convert "2 tbsp" ml', [*blendcalc, "convert", "2 tbsp", "ml"]),
        Target(
            "blend",
            "blend 30ml lavender peppermint",
            [*blendcalc, "blend", "30ml", "lavender", "peppermint"],
        ),
        Target("help", "--help", [*blendcalc, "--help"], check_pint=True),
        Target("oils_json", "oils --json", [*blendcalc, "oils", "--json"], check_pint=True),
        Target(
            "purposes_json", "purposes --json", [*blendcalc, "purposes", "--json"], check_pint=True
        ),
        Target(
            "show_json",
            "show lavender --json",
            [*blendcalc, "show", "lavender", "--json"],
            check_pint=True,
        ),
        Target(
            "completion",
            "completion (show lav<TAB>)",
            blendcalc,
            env=COMPLETION_ENV,
            check_pint=True,
        ),
        Target("oils", "oils", [*blendcalc, "oils"]),
        Target("purposes", "purposes", [*blendcalc, "purposes"]),
        Target("show", "show lavender", [*blendcalc, "show", "lavender"]),
    ]
    if not PINT_CONVERT.exists():
        targets[3].available = False
        targets[3].status = "n/a (not installed)"
        targets[3].detail = f"{PINT_CONVERT} not found"
    return targets


def base_environment() -> dict[str, str]:
    """Ours minus anything that changes what is measured, plus NO_COLOR and COLUMNS."""
    env = dict(os.environ)
    for name in (
        *COMPLETION_ENV,
        "BLENDCALC_DEBUG",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONPROFILEIMPORTTIME",
    ):
        env.pop(name, None)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "100"
    return env


def run_once(target: Target, env: dict[str, str]) -> tuple[float, int, int]:
    """Run ``target`` once, output discarded: (wall seconds, exit code, ru_maxrss in KiB)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        target.argv,
        env={**env, **target.env},
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait
    return elapsed, process.returncode, usage.ru_maxrss


def warm_up(targets: list[Target], env: dict[str, str]) -> None:
    """One untimed run of each; a command that fails is marked not available."""
    for target in targets:
        if not target.available:
            continue
        try:
            result = subprocess.run(
                target.argv,
                env={**env, **target.env},
                cwd=REPO,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                check=False,
                timeout=60,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            target.available = False
            target.status = "not available"
            target.detail = f"{type(error).__name__}: {error}"
            continue
        if result.returncode != 0:
            target.available = False
            target.status = f"not available (exit {result.returncode})"
            target.detail = (result.stderr.strip().splitlines() or [""])[-1]
        elif target.key == "completion":
            candidates = result.stdout.split()
            target.detail = f"printed {' '.join(candidates) if candidates else 'no candidates'}"


def measure(targets: list[Target], env: dict[str, str], runs: int) -> None:
    """Interleaved rounds: every available target once per round, in the same order."""
    for _ in range(runs):
        for target in targets:
            if not target.available:
                continue
            elapsed, code, maxrss = run_once(target, env)
            if code != 0:  # the code changed under us, or a flaky command
                target.available = False
                target.status = f"not available (exit {code})"
                target.detail = "failed during the timed runs (was the code changed?)"
                continue
            target.times.append(elapsed)
            target.maxrss_kib = max(target.maxrss_kib, maxrss)


PINT_LINE = re.compile(r"\|\s*pint(\.|\s*$)")


def check_pint(targets: list[Target], env: dict[str, str]) -> None:
    """Run each command once under ``-X importtime`` and look for Pint among the imports."""
    for target in targets:
        if not (target.check_pint and target.available):
            continue
        argv = [target.argv[0], "-X", "importtime", *target.argv[1:]]
        result = subprocess.run(
            argv,
            env={**env, **target.env},
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        target.pint_imported = any(PINT_LINE.search(line) for line in result.stderr.splitlines())


def version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def results(targets: list[Target], runs: int) -> dict[str, Any]:
    by_key = {target.key: target for target in targets}
    timing = []
    for budget in BUDGETS:
        target, floor = by_key[budget.target], by_key[budget.floor]
        ratio = None
        verdict = target.status if target.median is None else f"floor {floor.status}"
        if target.median is not None and floor.median is not None:
            ratio = target.median / floor.median
            verdict = "PASS" if ratio <= budget.factor else "FAIL"
        timing.append(
            {
                "command": target.label,
                "median_s": target.median,
                "floor": floor.label,
                "floor_median_s": floor.median,
                "ratio": ratio,
                "budget": budget.factor,
                "result": verdict,
            }
        )
    memory = [
        {
            "command": target.label,
            "peak_mib": target.peak_mib,
            "budget_mib": None if target.is_floor else MEMORY_BUDGET_MIB,
            "result": (
                target.status
                if target.peak_mib is None
                else "(floor)"
                if target.is_floor
                else "PASS"
                if target.peak_mib < MEMORY_BUDGET_MIB
                else "FAIL"
            ),
        }
        for target in targets
    ]
    pint = [
        {
            "command": target.label,
            "pint_imported": target.pint_imported,
            "result": (
                target.status
                if target.pint_imported is None
                else "FAIL"
                if target.pint_imported
                else "PASS"
            ),
        }
        for target in targets
        if target.check_pint
    ]
    return {
        "python": platform.python_version(),
        "executable": PYTHON,
        "versions": {name: version(name) for name in ("blendcalc", "typer", "pint", "rich")},
        "cpus": os.cpu_count(),
        "runs": runs,
        "commands": {
            target.key: {
                "label": target.label,
                "argv": target.argv[1:] if target.argv[0] == PYTHON else target.argv,
                "env": target.env,
                "status": target.status,
                "detail": target.detail,
                "median_s": target.median,
                "min_s": min(target.times) if target.available and target.times else None,
                "runs": len(target.times),
                "peak_mib": target.peak_mib,
            }
            for target in targets
        },
        "timing": timing,
        "memory": memory,
        "pint_not_imported": pint,
    }


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, ["-" * width for width in widths], *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip())
    print()


def print_report(report: dict[str, Any]) -> None:
    versions = ", ".join(f"{name} {value}" for name, value in report["versions"].items())
    print(
        f"blendcalc start-up: Python {report['python']} ({report['cpus']} CPUs), {versions};"
        f" medians of {report['runs']} interleaved runs, NO_COLOR=1 COLUMNS=100\n"
    )
    print_table(
        ["command", "median s", "compared to", "floor s", "ratio", "budget", "result"],
        [
            [
                row["command"],
                seconds(row["median_s"]),
                row["floor"],
                seconds(row["floor_median_s"]),
                "-" if row["ratio"] is None else f"{row['ratio']:.2f}",
                f"<= {row['budget']:g} x",
                row["result"],
            ]
            for row in report["timing"]
        ],
    )
    print_table(
        ["command", "peak MiB", "budget", "result"],
        [
            [
                row["command"],
                "-" if row["peak_mib"] is None else f"{row['peak_mib']:.1f}",
                "-" if row["budget_mib"] is None else f"< {row['budget_mib']:g} MiB",
                row["result"],
            ]
            for row in report["memory"]
        ],
    )
    print_table(
        ["command", "Pint imported", "result"],
        [
            [
                row["command"],
                "-" if row["pint_imported"] is None else "yes" if row["pint_imported"] else "no",
                row["result"],
            ]
            for row in report["pint_not_imported"]
        ],
    )
    notes = [
        f"  {command['label']}: {command['detail']}"
        for command in report["commands"].values()
        if command["detail"]
    ]
    if notes:
        print("Notes:", *notes, sep="\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each (default 15)")
    parser.add_argument("--quick", action="store_true", help="3 runs: a smoke test")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    options = parser.parse_args()
    runs = 3 if options.quick else options.runs
    if runs < 10 and not options.quick:
        parser.error("--runs must be at least 10 (SPEC section 6); use --quick for a smoke test")
    env = base_environment()
    with tempfile.TemporaryDirectory(prefix="blendcalc-bench-") as folder:
        targets = make_targets(Path(folder))
        warm_up(targets, env)
        measure(targets, env, runs)
        check_pint(targets, env)
    report = results(targets, runs)
    if options.json:
        json.dump(report, sys.stdout, indent=2)
        print()
    else:
        print_report(report)


if __name__ == "__main__":
    main()
