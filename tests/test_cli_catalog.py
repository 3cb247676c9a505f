"""The catalog commands (oils, purposes, show, suggest), shell completion and start-up."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from blendcalc.catalog import Catalog, load_catalog
from blendcalc.profiles import check_profile, resolve_profile
from tests.conftest import Invoke, one_error_line

ROOT = Path(__file__).parent.parent
USER_CALENDULA = Path(__file__).parent / "data" / "user-calendula.toml"
PURPOSES = (
    "relaxation",
    "refreshing",
    "anti-cellulite",
    "sensual",
    "focus",
    "pain-relief",
    "scalp-and-hair",
    "skin",
)
SHOW_KEYS = {
    "key",
    "name",
    "latin",
    "family",
    "aliases",
    "purposes",
    "max_dermal_percent",
    "phototoxic",
    "constituents",
    "cautions",
    "sources",
}


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog(use_user_catalog=False)


def run_json(invoke: Invoke, *args: str, code: int = 0) -> Any:
    """Run a --json command: stdout must be exactly one JSON document, stderr empty."""
    result = invoke(*args, "--json")
    assert result.code == code, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


# --------------------------------------------------------------------------------------
# oils, purposes, show
# --------------------------------------------------------------------------------------


def test_oils_json_lists_the_catalog(invoke: Invoke, catalog: Catalog) -> None:
    rows = run_json(invoke, "oils")
    assert [row["key"] for row in rows] == list(catalog.oils)
    for row in rows:
        assert set(row) == {
            "key", "name", "latin", "purposes", "constituents_complete", "composition_source"
        }  # fmt: skip
        if row["constituents_complete"]:
            assert row["composition_source"] is not None
    peppermint = next(row for row in rows if row["key"] == "peppermint")
    assert peppermint["latin"] == "Mentha × piperita"
    assert set(peppermint["purposes"]) == {"refreshing", "focus", "pain-relief"}


@pytest.mark.parametrize("purpose", PURPOSES)
def test_oils_for_a_purpose_best_first(invoke: Invoke, catalog: Catalog, purpose: str) -> None:
    rows = run_json(invoke, "oils", "--purpose", purpose)
    keys = [row["key"] for row in rows]
    ranking = list(catalog.purposes[purpose].ranking)
    assert keys[: len(ranking)] == ranking
    assert set(keys) == {oil.key for oil in catalog.oils.values() if purpose in oil.purposes}
    assert all(purpose in row["purposes"] for row in rows)


def test_oils_for_relaxation_starts_with_lavender(invoke: Invoke) -> None:
    keys = [row["key"] for row in run_json(invoke, "oils", "--purpose", "relax")]
    assert keys[0] == "lavender"
    assert "peppermint" not in keys


def test_oils_for_an_unknown_purpose(invoke: Invoke) -> None:
    line = one_error_line(invoke, "oils", "--purpose", "relaxaton")
    assert "did you mean 'relaxation'" in line


def test_oils_human_table_says_when_no_figure_exists(invoke: Invoke) -> None:
    result = invoke("oils", "--purpose", "focus")
    assert result.code == 0
    assert "Peppermint" in result.stdout
    assert "5.4 %" in result.stdout
    assert "0.4 % (phototoxic)" in result.stdout  # bergamot


def test_purposes_json(invoke: Invoke, catalog: Catalog) -> None:
    rows = run_json(invoke, "purposes")
    assert [row["key"] for row in rows] == list(PURPOSES)
    for row in rows:
        assert {"key", "name", "aliases", "oils"} <= set(row)
        purpose = catalog.purposes[row["key"]]
        assert row["oils"] == sum(purpose.key in oil.purposes for oil in catalog.oils.values())
        assert row["oils"] > 0
        assert row["aliases"] == list(purpose.aliases)
    by_key = {row["key"]: row for row in rows}
    assert "aphrodisiac" in by_key["sensual"]["aliases"]
    assert "brain activity" in by_key["focus"]["aliases"]


def test_purposes_human_notes_the_inferred_headings(invoke: Invoke) -> None:
    result = invoke("purposes")
    assert result.code == 0
    assert "anti-cellulite" in result.stdout
    assert "inferred" in result.stdout
    assert "lost in the source article's translation" in result.stderr


def test_show_clove_bud_json_has_every_field(invoke: Invoke) -> None:
    card = run_json(invoke, "show", "clove bud")
    assert set(card) >= SHOW_KEYS
    assert card["key"] == "clove-bud"
    assert card["family"] == "Myrtaceae"
    assert "carnation" in card["aliases"]
    assert card["purposes"] == ["sensual"]
    assert card["max_dermal_percent"] == 0.5
    assert card["phototoxic"] is False
    assert any(item["name"] == "eugenol" for item in card["constituents"])
    assert any(item["topic"] == "children" for item in card["cautions"])
    source_keys = [source["key"] for source in card["sources"]]
    assert card["max_dermal_source"] in source_keys
    assert all(source["title"] for source in card["sources"])


def test_show_through_a_translation_alias(invoke: Invoke) -> None:
    assert run_json(invoke, "show", "carnation")["key"] == "clove-bud"
    assert run_json(invoke, "show", "needles")["key"] == "scots-pine"
    assert run_json(invoke, "show", "Clary Sage")["key"] == "clary-sage"


@pytest.mark.parametrize("command", [["blend", "30ml"], ["show"]])
def test_sage_alone_asks_which_sage(invoke: Invoke, command: list[str]) -> None:
    line = one_error_line(invoke, *command, "sage")
    assert "oil 'sage' could mean clary-sage or common-sage; say which" in line


def test_the_article_purposes_still_give_clary_sage(invoke: Invoke) -> None:
    for purpose in ("relaxation", "refreshing", "sensual"):
        document = run_json(invoke, "oils", "--purpose", purpose)
        assert "clary-sage" in [row["key"] for row in document], purpose
        assert "common-sage" not in [row["key"] for row in document], purpose
    suggested = run_json(invoke, "suggest", "refreshing", "--count", "10")
    assert "clary-sage" in [row["key"] for row in suggested["oils"]]


def test_show_lavender_has_no_published_maximum(invoke: Invoke) -> None:
    card = run_json(invoke, "show", "lavender")
    assert card["max_dermal_percent"] is None
    human = invoke("show", "lavender")
    assert human.code == 0
    assert "no published figure found" in human.stdout
    assert "Lavandula angustifolia" in human.stdout


def test_show_phototoxic_oil(invoke: Invoke) -> None:
    card = run_json(invoke, "show", "bergamot")
    assert card["phototoxic"] is True
    assert card["phototoxic_limit_percent"] == 0.4
    assert "phototoxic" in invoke("show", "bergamot").stdout


def test_show_a_near_miss_suggests_the_oil(invoke: Invoke) -> None:
    line = one_error_line(invoke, "show", "lavendr")
    assert "'lavendr'" in line
    assert "did you mean 'lavender'" in line


@pytest.mark.parametrize("command", [["show", "chamomile"], ["blend", "30ml", "chamomile"]])
def test_an_ambiguous_oil_name_asks_which_one(invoke: Invoke, command: list[str]) -> None:
    line = one_error_line(invoke, *command)
    assert "'chamomile' could mean roman-chamomile or german-chamomile; say which" in line


def test_show_json_names_the_composition_source_of_a_complete_oil(invoke: Invoke) -> None:
    card = run_json(invoke, "show", "tea tree")
    assert card["constituents_complete"] is True
    assert card["composition_source"] == "ISO4730-PMC"
    assert card["composition_note"]
    assert "ISO4730-PMC" in [source["key"] for source in card["sources"]]
    terpinene = next(c for c in card["constituents"] if c["name"] == "alpha-terpinene")
    assert terpinene["cas"] == ["99-86-5"]
    assert terpinene["eu_allergen"] is True


def test_show_json_of_an_incomplete_oil_says_so(invoke: Invoke) -> None:
    # Every shipped oil is complete; a user's oil without checked data is not.
    card = run_json(invoke, "show", "calendula-test", "--oils", str(USER_CALENDULA))
    assert card["constituents_complete"] is False
    assert card["composition_source"] is None


def test_oils_json_reports_completeness_for_every_oil(invoke: Invoke, catalog: Catalog) -> None:
    rows = {row["key"]: row for row in run_json(invoke, "oils")}
    for key, oil in catalog.oils.items():
        assert rows[key]["constituents_complete"] is oil.constituents_complete
        assert rows[key]["composition_source"] == (oil.composition_source or None)


@pytest.mark.parametrize(
    ("name", "key"),
    [("bergamot fcf", "bergamot-fcf"), ("distilled lemon", "lemon-distilled"),
     ("distilled lime", "lime-distilled")],
)  # fmt: skip
def test_show_a_grade_that_is_not_phototoxic(invoke: Invoke, name: str, key: str) -> None:
    card = run_json(invoke, "show", name)
    assert card["key"] == key
    assert card["phototoxic"] is False
    assert card["phototoxic_limit_percent"] is None


# --------------------------------------------------------------------------------------
# suggest
# --------------------------------------------------------------------------------------


def test_suggest_relaxation_lists_the_ranked_oils(invoke: Invoke, catalog: Catalog) -> None:
    document = run_json(invoke, "suggest", "relaxation")
    assert document["purpose"]["key"] == "relaxation"
    keys = [oil["key"] for oil in document["oils"]]
    assert keys == [oil.key for oil in catalog.oils_for(catalog.purposes["relaxation"])]
    assert keys[0] == "lavender"
    assert document["excluded"] == []
    assert all({"key", "name"} <= set(oil) for oil in document["oils"])


def test_suggest_through_a_purpose_alias(invoke: Invoke) -> None:
    assert run_json(invoke, "suggest", "aphrodisiac")["purpose"]["key"] == "sensual"
    assert run_json(invoke, "suggest", "brain activity")["purpose"]["key"] == "focus"


def test_suggest_focus_with_citrus_allergy(invoke: Invoke) -> None:
    document = run_json(invoke, "suggest", "focus", "--allergy", "citrus")
    kept = [oil["key"] for oil in document["oils"]]
    assert "bergamot" not in kept
    assert "lemon" not in kept
    assert "peppermint" in kept
    reasons = {item["key"]: item["reason"] for item in document["excluded"]}
    assert set(reasons) == {"bergamot", "lemon", "bergamot-fcf"}
    for reason in reasons.values():
        assert "citrus" in reason
        assert "Rutaceae" in reason


def test_suggest_skin_with_daisy_allergy_human(invoke: Invoke) -> None:
    result = invoke("suggest", "skin", "--allergy", "daisy")
    assert result.code == 0
    assert "roman-chamomile" not in result.stdout
    assert "sweet-orange" in result.stdout
    assert "Left out roman-chamomile" in result.stderr
    assert "Asteraceae" in result.stderr
    # Messages go to stderr only.
    assert "Left out" not in result.stdout
    assert "Warning" not in result.stdout


def test_suggest_with_an_unknown_allergy_warns(invoke: Invoke) -> None:
    document = run_json(invoke, "suggest", "relaxation", "--allergy", "kiwi")
    assert document["oils"]
    unknown = [w for w in document["warnings"] if w["kind"] == "unknown-allergen"]
    assert len(unknown) == 1
    assert "'kiwi'" in unknown[0]["message"]
    human = invoke("suggest", "relaxation", "--allergy", "kiwi")
    assert "Warning (unknown-allergen)" in human.stderr
    assert "kiwi" not in human.stdout


def test_suggest_with_a_constituent_allergy_warns_of_incomplete_data(invoke: Invoke) -> None:
    # The user's calendula has no checked constituent data: an answer for a linalool allergy
    # says so, naming the allergen it could not rule out.
    document = run_json(
        invoke, "suggest", "skin", "--allergy", "linalool,kiwi", "--oils", str(USER_CALENDULA)
    )
    kinds = {w["kind"] for w in document["warnings"]}
    assert {"unknown-allergen", "no-data"} <= kinds
    no_data = [w for w in document["warnings"] if w["kind"] == "no-data"]
    assert "calendula-test" in {w["oil"] for w in no_data}
    assert all("may contain linalool" in w["message"] for w in no_data)
    kept = {oil["key"] for oil in document["oils"]}
    assert {w["oil"] for w in no_data} <= kept
    human = invoke("suggest", "skin", "--allergy", "linalool", "--oils", str(USER_CALENDULA))
    lines = [line for line in human.stderr.splitlines() if "(no-data)" in line]
    assert len(lines) == 1, human.stderr  # one line names every oil, never one line each
    assert "Calendula (test)" in lines[0]


@pytest.mark.parametrize("purpose", PURPOSES)
def test_suggest_for_a_one_year_old_leaves_out_oils_too_strong_for_the_age(
    invoke: Invoke, catalog: Catalog, purpose: str
) -> None:
    document = run_json(invoke, "suggest", purpose, "--profile", "child", "--age", "1")
    assert document["profile"] == "child"
    kept = {oil["key"] for oil in document["oils"]}
    excluded = {item["key"]: item["reason"] for item in document["excluded"]}
    one_year_old = resolve_profile("child", "1")
    for oil in catalog.oils_for(catalog.purposes[purpose]):
        if check_profile(oil, one_year_old).avoid:
            assert oil.key not in kept
            assert "child" in excluded[oil.key]
        else:
            assert oil.key in kept, excluded.get(oil.key)


def test_suggest_focus_for_a_one_year_old_leaves_out_thyme(invoke: Invoke) -> None:
    document = run_json(invoke, "suggest", "focus", "--profile", "child", "--age", "1")
    excluded = {item["key"]: item["reason"] for item in document["excluded"]}
    assert "thyme" in excluded
    assert "under 2" in excluded["thyme"]


def test_suggest_child_without_age(invoke: Invoke) -> None:
    line = one_error_line(invoke, "suggest", "focus", "--profile", "child")
    assert "--age" in line


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["suggest", "focus", "--profile", "child", "--age", "0"], "--age '0'"),
        (["suggest", "focus", "--profile", "child", "--age", "-1"], "--age '-1'"),
        (["suggest", "focus", "--profile", "adult", "--age", "4"], "--age"),
        (["suggest", "focus", "--profile", "toddler"], "'toddler'"),
    ],
)
def test_suggest_bad_profile_input(invoke: Invoke, args: list[str], named: str) -> None:
    assert named in one_error_line(invoke, *args)


def test_suggest_unknown_purpose(invoke: Invoke) -> None:
    line = one_error_line(invoke, "suggest", "nosuchpurpose")
    assert "'nosuchpurpose'" in line
    # Nothing is close, so it names the eight purposes.
    assert "accepted: anti-cellulite, focus, pain-relief" in line


def test_suggest_near_miss_purpose(invoke: Invoke) -> None:
    line = one_error_line(invoke, "suggest", "relaxaton")
    assert "did you mean 'relaxation'" in line


def test_suggest_count(invoke: Invoke, catalog: Catalog) -> None:
    document = run_json(invoke, "suggest", "relaxation", "--count", "2")
    keys = [oil["key"] for oil in document["oils"]]
    ranking = catalog.purposes["relaxation"].ranking
    assert keys == list(ranking[:2])
    assert document["more"] == len(catalog.oils_for(catalog.purposes["relaxation"])) - 2
    human = invoke("suggest", "relaxation", "--count", "2")
    assert "more oil(s)" in human.stderr


def test_suggest_with_every_oil_left_out_exits_4_and_still_prints_json(
    invoke: Invoke, catalog: Catalog
) -> None:
    document = run_json(invoke, "suggest", "focus", "--profile", "child", "--age", "0.2", code=4)
    assert document["oils"] == []
    focus = [oil.key for oil in catalog.oils_for(catalog.purposes["focus"])]
    assert [item["key"] for item in document["excluded"]] == focus
    assert all("6 months" in item["reason"] for item in document["excluded"])
    human = invoke("suggest", "focus", "--profile", "child", "--age", "0.2")
    assert human.code == 4
    assert "No oil is left" in human.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["oils"],
        ["oils", "--purpose", "skin"],
        ["purposes"],
        ["show", "lavender"],
        ["suggest", "relaxation", "--allergy", "citrus,kiwi", "--profile", "pregnancy"],
    ],
)
def test_json_mode_prints_one_document_and_no_messages(invoke: Invoke, args: list[str]) -> None:
    result = invoke(*args, "--json")
    assert result.code == 0
    assert result.stderr == ""
    json.loads(result.stdout)


# --------------------------------------------------------------------------------------
# Completion and start-up (subprocesses: a fresh interpreter shows what gets imported)
# --------------------------------------------------------------------------------------

COMPLETE = """\
import sys
from blendcalc.cli import main
try:
    main()
except SystemExit as done:
    code = done.code
else:
    code = 0
sys.stderr.write(f"exit={code} pint={'pint' in sys.modules}\\n")
"""


def _subprocess_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "BLENDCALC_OILS"}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "empty-config"), NO_COLOR="1", **extra)
    return env


def _complete(tmp_path: Path, words: str, **extra: str) -> list[str]:
    env = _subprocess_env(
        tmp_path,
        _BLENDCALC_COMPLETE="complete_bash",
        COMP_WORDS=words,
        COMP_CWORD=str(len(words.split()) - 1),
        **extra,
    )
    done = subprocess.run(
        [sys.executable, "-c", COMPLETE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "exit=0 pint=False", done.stderr
    # Typer 0.28's bash completion prints one bare value a line (an empty line for none).
    return [line for line in done.stdout.splitlines() if line]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("blendcalc show lav", ["lavender"]),
        ("blendcalc show clove", ["clove-bud"]),
        ("blendcalc suggest rel", ["relaxation"]),
        ("blendcalc suggest s", ["sensual", "scalp-and-hair", "skin"]),
        ("blendcalc oils --purpose fo", ["focus"]),
        ("blendcalc blend 30ml pep", ["peppermint"]),
    ],
)
def test_completion_offers_catalog_names_without_pint(
    tmp_path: Path, words: str, expected: list[str]
) -> None:
    assert sorted(_complete(tmp_path, words)) == sorted(expected)


def test_completion_includes_the_user_catalog(tmp_path: Path) -> None:
    offered = _complete(tmp_path, "blendcalc show cal", BLENDCALC_OILS=str(USER_CALENDULA))
    assert offered == ["calendula-test"]


def test_completion_of_an_unknown_prefix_offers_nothing(tmp_path: Path) -> None:
    assert _complete(tmp_path, "blendcalc show zzz") == []


STARTUP = """\
import json, sys, time
from blendcalc.cli import run
started = time.monotonic()
code = run(sys.argv[1:])
seconds = time.monotonic() - started
sys.stderr.write(json.dumps({"code": code, "seconds": seconds, "pint": "pint" in sys.modules}))
"""


@pytest.mark.parametrize(
    "args",
    [["oils", "--json"], ["purposes", "--json"], ["show", "lavender", "--json"]],
)
def test_catalog_commands_answer_quickly_without_pint(tmp_path: Path, args: list[str]) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", STARTUP, *args],
        env=_subprocess_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    elapsed = time.monotonic() - started
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    json.loads(done.stdout)
    assert report["pint"] is False, "pint was imported"
    assert report["seconds"] < 2
    assert elapsed < 2 * 2  # the interpreter's own start-up included, generously


@pytest.mark.parametrize("purpose", PURPOSES)
def test_for_a_constituent_allergy_checked_oils_come_before_unchecked_ones(
    invoke: Invoke, catalog: Catalog, purpose: str
) -> None:
    # An oil whose constituent list was checked against every EU allergen, and passed, is a
    # better first pick for someone allergic to geraniol than one whose list has gaps.
    document = run_json(invoke, "suggest", purpose, "--allergy", "geraniol", "--count", "40")
    unchecked = [not catalog.oils[oil["key"]].constituents_complete for oil in document["oils"]]
    assert unchecked == sorted(unchecked), [oil["key"] for oil in document["oils"]]
