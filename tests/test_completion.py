"""Shell completion as a user gets it: the installed ``blendcalc`` program, the completion script
it prints for bash, and bash's own completion function asking it for candidates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from blendcalc.catalog import load_catalog

INSTALLED = Path(sys.executable).parent / "blendcalc"  # the console script of this environment
BASH = shutil.which("bash")

# What bash does when the user presses Tab: load the script the program prints, fill
# COMP_WORDS/COMP_CWORD, call the completion function, read COMPREPLY.
ASK = """\
eval "$(blendcalc --show-completion bash)"
read -r -a COMP_WORDS <<< "$WORDS"
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
[[ "$WORDS" == *" " ]] && { COMP_WORDS+=(""); COMP_CWORD=$(( COMP_CWORD + 1 )); }
_blendcalc_completion blendcalc
printf '%s\\n' "${COMPREPLY[@]}"
"""


def complete(words: str, tmp_path: Path, **extra: str) -> list[str]:
    assert BASH, "bash is needed to test completion as users get it"
    assert INSTALLED.exists(), f"blendcalc is not installed in this environment ({INSTALLED})"
    env = {key: value for key, value in os.environ.items() if key != "BLENDCALC_OILS"}
    env.update(
        PATH=f"{INSTALLED.parent}{os.pathsep}{env.get('PATH', '')}",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        WORDS=words,
        **extra,
    )
    done = subprocess.run(
        [BASH, "--norc", "--noprofile", "-c", ASK],
        env=env,
        cwd=tmp_path,  # not the repository: the installed program finds its own catalog
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return [line for line in done.stdout.splitlines() if line]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("blendcalc show lav", ["lavender"]),
        ("blendcalc show clo", ["clove-bud"]),
        ("blendcalc blend 30ml lavender:2 pepp", ["peppermint"]),
        ("blendcalc suggest pain", ["pain-relief"]),
        ("blendcalc blend 30ml --purpose rel", ["relaxation"]),
        ("blendcalc show zzz", []),
    ],
)
def test_the_installed_program_completes_names_through_bash(
    words: str, expected: list[str], tmp_path: Path
) -> None:
    assert complete(words, tmp_path) == expected


def test_completion_offers_every_oil_for_an_empty_word(tmp_path: Path) -> None:
    offered = complete("blendcalc show ", tmp_path)
    assert "lavender" in offered
    assert sorted(offered) == sorted(load_catalog(use_user_catalog=False).oils)


def test_completion_offers_the_oils_of_a_user_catalog(tmp_path: Path) -> None:
    user = Path(__file__).parent / "data" / "user-calendula.toml"
    assert complete("blendcalc show calen", tmp_path, BLENDCALC_OILS=str(user)) == [
        "calendula-test"
    ]
