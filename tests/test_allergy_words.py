"""How allergies are read as people type them, and the lines an allergy answer adds (the third
practitioner's cold try): words around a name, typing slips, family allergies, which base oils
are worth naming, the sun-free grade of a phototoxic oil, and what incomplete data may hide."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Invoke, one_error_line


def run_json(invoke: Invoke, *args: str, code: int = 0) -> Any:
    result = invoke(*args, "--json")
    assert result.code == code, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("tree nut allergy", "tree nut"),
        ("nut allergy", "nuts"),
        ("allergic to walnuts", "walnut"),
        ("a tree nut allergy", "tree nut"),
        ("Allergy to almonds", "almond"),
    ],
)
def test_words_around_a_nut_allergy_are_read_away(invoke: Invoke, typed: str, read_as: str) -> None:
    # The almond base is ruled out as for the plain name: never a blend in almond oil.
    document = run_json(
        invoke, "blend", "30ml", "lavender", "--base", "almond", "--allergy", typed, code=4
    )
    assert "almond" not in document["compatible_bases"]
    assert any(w["kind"] == "base-allergy" for w in document["warnings"])
    assert "unknown-allergen" not in {w["kind"] for w in document["warnings"]}
    plain = run_json(
        invoke, "blend", "30ml", "lavender", "--base", "almond", "--allergy", read_as, code=4
    )
    assert document["compatible_bases"] == plain["compatible_bases"]


@pytest.mark.parametrize("typed", ["peanut allergy", "allergic to peanuts", "peanuts"])
def test_a_peanut_allergy_in_words_rules_out_peanut_oil(invoke: Invoke, typed: str) -> None:
    run_json(invoke, "blend", "50ml", "lavender", "--base", "arachis", "--allergy", typed, code=4)
    bases = run_json(invoke, "bases", "--allergy", typed)
    verdicts = {row["key"]: row["verdict"] for row in bases}
    assert verdicts["peanut"] == "avoid"


@pytest.mark.parametrize(
    ("typed", "oil"), [("allergy to linalool", "lavender"), ("citrus fruits", "bergamot")]
)
def test_words_around_an_oil_allergy_are_read_away(invoke: Invoke, typed: str, oil: str) -> None:
    document = run_json(invoke, "blend", "30ml", oil, "--allergy", typed, code=4)
    assert [item["key"] for item in document["excluded"]] == [oil]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("lavander", "lavender"), ("tre nut", "tree nut"), ("geraniool", "geraniol")],
)
@pytest.mark.parametrize("command", [["blend", "30ml", "lavender"], ["suggest", "relaxation"]])
def test_a_typing_slip_in_an_allergy_is_bad_input_with_the_name_meant(
    invoke: Invoke, command: list[str], typed: str, meant: str
) -> None:
    # Never an answer computed without the allergy the person has.
    line = one_error_line(invoke, *command, "--allergy", typed)
    assert f"unknown allergy {typed!r}" in line
    assert repr(meant) in line


def test_an_allergy_the_catalog_does_not_know_is_still_a_warning(invoke: Invoke) -> None:
    document = run_json(invoke, "blend", "30ml", "lavender", "--allergy", "kiwi")
    unknown = [w for w in document["warnings"] if w["kind"] == "unknown-allergen"]
    assert len(unknown) == 1
    assert "no oil and no base" in unknown[0]["message"]


def test_a_family_allergy_says_what_it_does_not_leave_out(invoke: Invoke) -> None:
    result = invoke("blend", "30ml", "frankincense", "lavender", "neroli", "--allergy", "citrus")
    assert result.code == 0, result.stderr
    assert "Left out neroli" in result.stderr
    assert "'citrus' is read as the Rutaceae family" in result.stderr
    assert "--allergy limonene" in result.stderr


def test_base_oils_are_named_only_when_an_allergy_rules_some_out(invoke: Invoke) -> None:
    linalool = invoke("blend", "30ml", "peppermint", "--allergy", "menthol,geraniol")
    assert "Base oils that match none" not in linalool.stdout + linalool.stderr
    nuts = invoke("blend", "30ml", "lavender", "--allergy", "nuts")
    assert "Base oils that match none of the declared allergies: hemp" in nuts.stderr
    assert "almond" not in nuts.stderr.split("Base oils that match none")[1].splitlines()[0]


@pytest.mark.parametrize(
    ("oil", "grade"), [("bergamot", "bergamot-fcf"), ("lemon", "lemon-distilled")]
)
def test_a_phototoxic_oil_names_its_grade_that_is_not(invoke: Invoke, oil: str, grade: str) -> None:
    document = run_json(invoke, "blend", "30ml", oil)
    assert any(f"{grade} for {oil}" in note for note in document["notes"])
    plain = run_json(invoke, "blend", "30ml", "lavender")
    assert not any("Not phototoxic" in note for note in plain["notes"])


def test_the_incomplete_data_line_names_the_allergy_it_could_not_rule_out(
    invoke: Invoke,
) -> None:
    result = invoke(
        "blend",
        "30ml",
        "--purpose",
        "relaxation",
        "--profile",
        "pregnancy",
        "--allergy",
        "linalool",
    )
    lines = [line for line in result.stderr.splitlines() if "(no-data)" in line]
    assert len(lines) == 1
    assert "linalool or another allergen the catalog does not list may be there" in lines[0]


def test_purpose_mode_says_when_fewer_oils_are_left_than_asked(invoke: Invoke) -> None:
    document = run_json(
        invoke,
        "blend",
        "30ml",
        "--purpose",
        "back pain",
        "--profile",
        "pregnancy",
        "--allergy",
        "linalool",
    )
    assert 0 < len(document["oils"]) < 3
    assert any(
        note.startswith(f"Only {len(document['oils'])} of the 3 oils") for note in document["notes"]
    )
    full = run_json(invoke, "blend", "30ml", "--purpose", "back pain")
    assert len(full["oils"]) == 3
    assert not any(note.startswith("Only ") for note in full["notes"])


@pytest.mark.parametrize(
    ("typed", "left_out", "kept"),
    [
        # Fragrance mix I: eugenol, isoeugenol, geraniol ... (SCCS table 4-1).
        ("fragrance mix I", {"clove-bud", "rose-otto"}, {"sweet-orange"}),
        # Fragrance mix II: citral, citronellol, farnesol ... (SCCS table 4-2).
        ("FM II", {"rose-otto", "lemongrass"}, {"clove-bud"}),
        # Unspecified: both mixes.
        ("allergic to fragrance mix", {"clove-bud", "rose-otto", "lemongrass"}, set()),
    ],
)
def test_a_positive_fragrance_mix_patch_test_leaves_out_oils_with_its_members(
    invoke: Invoke, typed: str, left_out: set[str], kept: set[str]
) -> None:
    oils = sorted(left_out | kept)
    document = run_json(invoke, "blend", "30ml", *oils, "--allergy", typed, code=0 if kept else 4)
    assert {item["key"] for item in document["excluded"]} == left_out
    assert {item["key"] for item in document["oils"]} == kept
    assert "unknown-allergen" not in {w["kind"] for w in document["warnings"]}


@pytest.mark.parametrize(
    ("typed", "oil"), [("ragweed pollen", "roman-chamomile"), ("daisy family", "german-chamomile")]
)
def test_the_part_of_a_plant_that_reacted_is_read_as_the_plant(
    invoke: Invoke, typed: str, oil: str
) -> None:
    document = run_json(invoke, "blend", "30ml", oil, "lavender", "--allergy", typed)
    assert [item["key"] for item in document["excluded"]] == [oil]


def test_a_peanut_butter_allergy_rules_out_peanut_oil(invoke: Invoke) -> None:
    run_json(
        invoke,
        "blend",
        "30ml",
        "lavender",
        "--base",
        "peanut",
        "--allergy",
        "peanut butter",
        code=4,
    )


def test_without_a_base_a_nut_allergy_names_the_bases_it_rules_out(invoke: Invoke) -> None:
    document = run_json(invoke, "blend", "30ml", "lavender", "--allergy", "tree nut")
    note = next(n for n in document["notes"] if n.startswith("Base oils ruled out"))
    assert "almond, argan, macadamia" in note
    assert "With care: shea" in note


def test_an_oil_whose_maximum_is_under_one_drop_is_left_out_with_that_reason(
    invoke: Invoke,
) -> None:
    document = run_json(
        invoke, "blend", "15ml", "thyme", "lavender", "--profile", "child", "--age", "4"
    )
    assert [oil["key"] for oil in document["oils"]] == ["lavender"]
    small = [w for w in document["warnings"] if w["oil"] == "thyme"]
    assert [w["kind"] for w in small] == ["too-small"]
    assert "maximum of 0.25 % is less than one whole drop in 15 mL" in small[0]["message"]


@pytest.mark.parametrize("unit", ["tbsp", "ml", "teaspoons"])
def test_an_unquoted_volume_says_to_quote_it(invoke: Invoke, unit: str) -> None:
    line = one_error_line(invoke, "blend", "2", unit, "lavender")
    assert f"{unit!r} is a unit, not an oil" in line
    assert f"'2 {unit}'" in line


@pytest.mark.parametrize("word", ["uplifting", "uplift"])
def test_uplifting_finds_the_refreshing_purpose(invoke: Invoke, word: str) -> None:
    document = run_json(invoke, "suggest", word)
    assert document["purpose"]["key"] == "refreshing"
