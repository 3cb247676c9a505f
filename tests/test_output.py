"""Output for people (SPEC section 10, issue 12): each complaint of the issue, run as written,
gives the better answer."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from blendcalc.catalog import load_catalog
from blendcalc.output import render_table
from tests.conftest import Invoke

SHIPPED = load_catalog()
README_FIRST = ("blend", "30ml", "lavender:2", "peppermint")


def rows_at(text: str, columns: int) -> int:
    """The terminal rows ``text`` takes at ``columns`` (long lines wrap)."""
    return sum(max(1, -(-len(line) // columns)) for line in text.splitlines())


# --------------------------------------------------------------------------------------
# 1. Order and economy
# --------------------------------------------------------------------------------------


def test_the_readme_first_example_fits_in_16_lines_at_100_columns(invoke: Invoke) -> None:
    result = invoke(*README_FIRST)
    assert result.code == 0
    whole = result.stdout + result.stderr
    assert rows_at(whole, 100) <= 16, whole
    # the reminders are condensed, never dropped (SPEC 4.5)
    for part in (
        "Patch-test first",
        "stop if the person feels pain",
        "anticoagulants",
        "tuberculosis",
    ):
        assert part in result.stderr
    # each of peppermint's cautions is still there, on one line
    lines = [line for line in result.stderr.splitlines() if line.startswith("Warning")]
    peppermint = [line for line in lines if "Peppermint" in line]
    assert len(peppermint) == 1
    assert "cardiac fibrillation" in peppermint[0] and "G6PD" in peppermint[0]


def test_the_table_already_says_no_published_figure(invoke: Invoke) -> None:
    result = invoke(*README_FIRST)
    assert "no published maximum" not in result.stderr
    assert "Note: 1 drop = 0.05 mL" not in result.stderr  # the header says it
    assert "1 drop = 0.05 mL (20 drops per mL)" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        README_FIRST,
        ("blend", "30ml", "peppermint", "lavender", "--profile", "face"),
        ("blend", "30ml", "peppermint", "lavender", "--profile", "sensitive"),
        ("blend", "50ml", "lavender", "bergamot", "lemon", "grapefruit", "--profile", "pregnancy"),
        ("blend", "30ml", "--purpose", "relaxation", "--allergy", "linalool"),
        ("blend", "100ml", "--purpose", "anti-cellulite", "--count", "5"),
    ],
)
def test_no_line_repeats_another_and_every_warning_is_kept(
    invoke: Invoke, args: tuple[str, ...]
) -> None:
    result = invoke(*args)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == len(set(lines)), result.stderr
    document = json.loads(invoke(*args, "--json").stdout)
    names = {oil["key"]: oil["name"] for oil in document["oils"]}
    for warning in document["warnings"]:
        kind = warning["kind"]
        carrying = [
            line
            for line in result.stderr.splitlines()
            if f"Warning ({kind}" in line or (kind in line and line.startswith("Warning ("))
        ]
        assert carrying, (kind, result.stderr)
        if warning["oil"] in names:
            assert any(names[warning["oil"]] in line for line in carrying), (warning, result.stderr)
    # left out first, then the rest
    if document["excluded"]:
        assert result.stderr.startswith("Left out ")


def test_the_face_profile_does_not_say_a_sentence_twice(invoke: Invoke) -> None:
    result = invoke("blend", "30ml", "peppermint", "--profile", "face")
    sentences = re.findall(r"[^.:;()]{25,}", result.stderr)
    assert len(sentences) == len(set(sentences)), result.stderr


def test_one_sun_line_names_every_phototoxic_oil(invoke: Invoke) -> None:
    result = invoke("blend", "50ml", "bergamot", "lemon", "grapefruit")
    sun = [line for line in result.stderr.splitlines() if "no sun or sunbed" in line]
    assert len(sun) == 1, result.stderr
    for name in ("Bergamot", "Lemon", "Grapefruit"):
        assert name in sun[0]


def test_verbose_shows_everything_with_its_sources(invoke: Invoke) -> None:
    result = invoke(*README_FIRST, "-v")
    document = json.loads(invoke(*README_FIRST, "--json").stdout)
    for warning in document["warnings"]:
        assert warning["message"] in result.stderr
    for note in document["notes"]:
        assert note in result.stderr
    for reminder in document["reminders"]:
        assert reminder in result.stderr
    assert "Sources:" in result.stderr
    assert SHIPPED.sources["PMC"].url in result.stderr


# --------------------------------------------------------------------------------------
# 2. A recipe file that keeps its warnings
# --------------------------------------------------------------------------------------


def test_output_file_keeps_the_warnings(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "recipe.txt"
    args = ("blend", "50ml", "lavender:2", "bergamot", "--allergy", "nuts")
    result = invoke(*args, "--output", str(target))
    assert result.code == 0, result.stderr
    saved = target.read_text(encoding="utf-8")
    assert result.stdout in saved  # the table, as printed
    assert "Warning (phototoxic)" in saved
    assert "Reminder: Patch-test first" in saved
    assert "Warning (phototoxic)" not in result.stdout  # stdout stays the table alone
    assert not list(tmp_path.glob(".*.tmp"))


def test_output_never_replaces_a_file_without_force(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "recipe.txt"
    target.write_text("my notes\n", encoding="utf-8")
    result = invoke(*README_FIRST, "-o", str(target))
    assert result.code == 2
    assert result.stdout == ""
    assert "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "my notes\n"
    assert invoke(*README_FIRST, "-o", str(target), "--force").code == 0
    assert "Peppermint" in target.read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------
# 3. Tables that never cut what people type or read
# --------------------------------------------------------------------------------------

KEYS = list(SHIPPED.oils)


@pytest.mark.parametrize("columns", ["20", "40", "60", "80", "120"])
def test_tables_keep_keys_numbers_and_units_whole(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    width = int(columns)
    oils = invoke("oils")
    words = set(re.split(r"[\s,]+", oils.stdout))
    assert set(KEYS) <= words, set(KEYS) - words
    for line in oils.stdout.splitlines():  # longer only where one word is (never cut)
        assert len(line) <= width or " " not in line.strip().split(": ", 1)[-1], line
    blend = invoke("blend", "30ml", "lavender:2", "bergamot", "clove-bud")
    lines = blend.stdout.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("oil"))
    for line in lines[start:]:
        assert len(line) <= width or " " not in line.strip().split(": ", 1)[-1], line
    document = json.loads(
        invoke("blend", "30ml", "lavender:2", "bergamot", "clove-bud", "--json").stdout
    )
    for oil in document["oils"]:
        assert str(oil["drops"]) in blend.stdout.split()
    chart = invoke("chart", "--volumes", "10ml,1 fl oz")
    assert "1 fl oz" in chart.stdout
    assert "29.57 mL" in chart.stdout
    if width >= 80:  # a table, not a list, where one fits
        assert oils.stdout.splitlines()[0].split()[:2] == ["oil", "name"]


def test_at_60_columns_no_published_figure_stays_on_one_line(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    result = invoke(*README_FIRST)
    row = next(line for line in result.stdout.splitlines() if line.startswith("Lavender"))
    assert row.endswith("none found"), result.stdout


def test_piped_output_is_not_wrapped(tmp_path: Path) -> None:
    """Piped to a file, a table is as wide as its content: no key, name or purpose list is
    folded onto a second line."""
    environment = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES"}}
    environment["XDG_CONFIG_HOME"] = str(tmp_path)
    environment.pop("BLENDCALC_OILS", None)
    done = subprocess.run(
        [sys.executable, "-m", "blendcalc", "oils"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 2 + len(KEYS)
    for key, line in zip(KEYS, lines[2:], strict=True):
        assert line.startswith(key + " ")
        assert ", ".join(SHIPPED.oils[key].purposes) in line


def test_render_table_switches_to_a_list_rather_than_cut() -> None:
    table = render_table(["oil", "drops"], [["sweet-marjoram", "12"]], width=10)
    assert "sweet-marjoram" in table.split()
    assert "12" in table.split()
    assert render_table(["oil", "drops"], [["sweet-marjoram", "12"]], width=30) == (
        "oil: sweet-marjoram\n  drops: 12\n"
    ) or "─" in render_table(["oil", "drops"], [["sweet-marjoram", "12"]], width=30)
    wide = render_table(["oil", "drops"], [["sweet-marjoram", "12"]], right_aligned=[1], width=80)
    assert wide.splitlines()[2] == "sweet-marjoram     12"


# --------------------------------------------------------------------------------------
# 4. Everyday words
# --------------------------------------------------------------------------------------

EVERYDAY = {
    "relaxation": ["sleep", "insomnia", "stress", "anxiety", "tension"],
    "pain-relief": ["headache", "back pain", "muscle ache", "sore muscles", "joint pain", "cramps"],
    "refreshing": ["tiredness", "fatigue", "energy"],
    "focus": ["concentration", "memory", "study"],
    "scalp-and-hair": ["dandruff", "dry scalp", "hair loss"],
    "skin": ["dry skin", "acne", "dull skin"],
    "anti-cellulite": ["cellulite"],
    "sensual": ["romance", "libido"],
}
WORDS = [(purpose, word) for purpose, words in EVERYDAY.items() for word in words]


@pytest.mark.parametrize(("purpose", "word"), WORDS)
def test_everyday_words_reach_the_purposes(invoke: Invoke, purpose: str, word: str) -> None:
    assert SHIPPED.find_purpose(word).key == purpose
    result = invoke("suggest", word, "--json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["purpose"]["key"] == purpose


def test_purposes_shows_the_everyday_words_and_what_they_are(invoke: Invoke) -> None:
    result = invoke("purposes")
    for _, word in WORDS:
        assert word in result.stdout
    assert "not claims that an oil treats anything" in result.stderr


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("sleeping", "relaxation"),
        ("anxious", "relaxation"),
        ("head ache", "pain-relief"),
        ("tired", "refreshing"),
    ],
)
def test_did_you_mean_knows_the_everyday_words(invoke: Invoke, typed: str, meant: str) -> None:
    result = invoke("oils", "--purpose", typed)
    assert result.code == 2
    assert f"did you mean '{meant}'" in result.stderr
    assert "scalp-and-hair" not in result.stderr.split("(accepted")[0]


# --------------------------------------------------------------------------------------
# 5. Help for therapists
# --------------------------------------------------------------------------------------

COMMANDS = ["convert", "oils", "purposes", "show", "bases", "suggest", "blend", "chart"]


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_ends_with_an_example(invoke: Invoke, command: str) -> None:
    result = invoke(command, "--help")
    assert result.code == 0
    assert "Example:" in result.stdout
    assert f"blendcalc {command}" in result.stdout.split("Example:")[1]
    for programmer in ("{", "<str>", "<int", "x<=", " P ", " X "):
        assert programmer not in result.stdout, programmer


def test_blend_help_lists_purposes_profiles_and_plain_metavars(invoke: Invoke) -> None:
    text = " ".join(invoke("blend", "--help").stdout.split())
    for metavar in ("VOLUME", "OIL[:PARTS]", "PURPOSE", "PROFILE", "YEARS", "TERM"):
        assert metavar in text
    for purpose in SHIPPED.purposes:
        assert purpose in text
    for profile in ("adult", "face", "sensitive", "elderly", "pregnancy", "child"):
        assert profile in text


def test_the_command_list_does_not_break_mid_sentence(invoke: Invoke) -> None:
    listing = invoke("--help").stdout.split("Commands:")[1]
    assert "..." not in listing
    for command in COMMANDS:
        assert re.search(rf"^  {command} ", listing, re.MULTILINE)


def test_a_missing_volume_points_at_blend_help(invoke: Invoke) -> None:
    result = invoke("blend")
    assert result.code == 2
    assert "blendcalc blend --help" in result.stderr


# --------------------------------------------------------------------------------------
# 6. Sources a reader can check
# --------------------------------------------------------------------------------------

DEVELOPMENT_FILES = re.compile(r"DATA\.md|seed/|\.md\b|tests/|blendcalc/[a-z_]+\.py|/work/")


def test_no_output_names_a_repository_file(invoke: Invoke) -> None:
    runs: list[tuple[str, ...]] = [
        ("oils",),
        ("purposes",),
        ("bases",),
        ("chart",),
        ("convert", "2 tbsp", "ml"),
        ("--help",),
        *((command, "--help") for command in COMMANDS),
    ]
    runs += [("suggest", purpose) for purpose in SHIPPED.purposes]
    for key in SHIPPED.oils:
        runs += [("show", key), ("show", key, "--json"), ("blend", "30ml", key, "-v")]
    for args in runs:
        result = invoke(*args)
        found = DEVELOPMENT_FILES.search(result.stdout + result.stderr)
        assert found is None, (args, found and found[0])


def test_every_source_shown_has_a_title_and_a_reference() -> None:
    for key, source in SHIPPED.sources.items():
        assert source.title.strip(), key
        # an address, or a bibliographic reference (authors, a publisher, a year)
        assert source.url or re.search(
            r"\b(1[89]|20)\d\d\b|ed\.|Regulation|Pharmacopoeia|article", source.title
        ), key


# --------------------------------------------------------------------------------------
# 7. Units
# --------------------------------------------------------------------------------------


def test_half_a_cup_follows_the_chosen_system(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    metric = invoke("convert", "1/2 cup", "ml")
    assert "125 mL" in metric.stdout and "metric" in metric.stdout
    us = invoke("convert", "1/2 cup", "ml", "--units", "us")
    assert "118.2941 mL" in us.stdout and "US" in us.stdout
    monkeypatch.setenv("BLENDCALC_UNITS", "us")
    assert (
        json.loads(invoke("convert", "1 tbsp", "ml", "--json").stdout)["to"]["value"] == 14.786765
    )
    assert json.loads(invoke("convert", "1 tbsp", "ml", "--json").stdout)["units"] == "us"


def test_blend_says_which_spoon(invoke: Invoke) -> None:
    metric = invoke("blend", "2 tbsp", "lavender")
    assert "2 tbsp = 30 mL (1 tbsp = 15 mL, metric)" in metric.stdout
    us = invoke("blend", "2 tbsp", "lavender", "--units", "us")
    assert "2 tbsp = 29.57 mL (1 US tbsp = 14.7868 mL, US)" in us.stdout
    assert (
        json.loads(invoke("blend", "2 tbsp", "lavender", "--units", "us", "--json").stdout)["units"]
        == "us"
    )


def test_a_fluid_ounce_chart_row_keeps_its_unit_and_says_why(invoke: Invoke) -> None:
    result = invoke("chart", "--volumes", "1 fl oz", "--dilutions", "1,2,3")
    row = next(line for line in result.stdout.splitlines() if line.startswith("1 fl oz"))
    assert row.split()[-3:] == ["5", "11", "17"]
    assert "(29.57 mL)" in row
    assert "30 mL" in result.stderr and "6, 12 and 18" in result.stderr


def test_bad_units_is_bad_input(invoke: Invoke) -> None:
    result = invoke("convert", "1 tsp", "ml", "--units", "imperial")
    assert result.code == 2
    assert "accepted: metric, us" in result.stderr


# --------------------------------------------------------------------------------------
# 8. README
# --------------------------------------------------------------------------------------


def test_the_readme_says_how_to_get_uv() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start")[1].split("###")[0]
    assert "pip install --user uv" in quick or "pipx install uv" in quick
    assert "$ uv run blendcalc blend 30ml lavender:2 peppermint" in quick
    assert "$ uv run pytest" in quick
