import json

import pytest

from tests.conftest import Invoke

BLEND_KEYS = {
    "base",
    "drops_per_ml",
    "range",
    "total_drops",
    "dilution_percent",
    "oils",
    "excluded",
    "warnings",
    "reminders",
}


def test_the_main_job(invoke: Invoke) -> None:
    result = invoke("blend", "30ml", "lavender", "peppermint")
    assert result.code == 0
    assert "1 drop = 0.05 mL (20 drops per mL)" in result.stdout
    assert "Total: 15 drops" in result.stdout
    assert "Lavender" in result.stdout
    assert "Reminder: Patch-test first" in result.stderr
    assert "tuberculosis" in result.stderr


def test_blend_json_document(invoke: Invoke) -> None:
    result = invoke("blend", "30ml", "lavender:2", "peppermint", "--json")
    document = json.loads(result.stdout)
    assert set(document) >= BLEND_KEYS
    assert document["base"] == {"input": "30ml", "ml": 30}
    assert document["range"]["min_drops"] == 10
    assert document["range"]["max_drops"] == 20
    assert document["total_drops"] == 15
    assert document["dilution_percent"] == 2.5
    oils = {oil["key"]: oil for oil in document["oils"]}
    assert oils["lavender"]["drops"] == 10
    assert oils["peppermint"]["drops"] == 5
    assert oils["peppermint"]["max_percent"] == 5.4
    assert oils["lavender"]["max_percent"] is None
    assert {"key", "name", "parts", "drops", "ml", "percent", "max_percent"} <= set(
        oils["lavender"]
    )
    assert result.stderr == ""


def test_strict_exits_3_on_a_safety_warning(invoke: Invoke) -> None:
    result = invoke("blend", "30ml", "bergamot", "lavender", "--strict")
    assert result.code == 3
    assert "phototoxic" in result.stderr


def test_nothing_to_blend_exits_4_and_still_prints_json(invoke: Invoke) -> None:
    result = invoke("blend", "1ml", "lavender", "--json")
    assert result.code == 4
    document = json.loads(result.stdout)
    assert document["total_drops"] == 0
    assert any(w["kind"] == "too-small" for w in document["warnings"])


def test_purpose_with_allergy(invoke: Invoke) -> None:
    result = invoke("blend", "30ml", "--purpose", "focus", "--allergy", "citrus", "--json")
    document = json.loads(result.stdout)
    excluded = {item["key"] for item in document["excluded"]}
    assert {"bergamot", "lemon"} <= excluded
    assert all(oil["key"] not in excluded for oil in document["oils"])


def test_chart_matches_published_values(invoke: Invoke) -> None:
    result = invoke("chart", "--volumes", "30", "--dilutions", "0.5,1,2,2.5,3,5,10", "--json")
    cells = json.loads(result.stdout)["cells"]
    assert [cell["drops"] for cell in cells] == [3, 6, 12, 15, 18, 30, 60]


def test_chart_says_less_than_one(invoke: Invoke) -> None:
    result = invoke("chart", "--volumes", "5", "--dilutions", "0.5")
    assert "less than 1" in result.stdout


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["blend", "0ml", "lavender"], "'0ml'"),
        (["blend", "-5ml", "lavender"], "'-5'"),
        (["blend", "30ml", "lavender:0"], "lavender:0"),
        (["blend", "30ml", "lavender:-1"], "lavender:-1"),
        (["blend", "30ml", "lavender:x"], "lavender:x"),
        (["blend", "30ml", "lavender", "--ratio", "10-5 drops per tbsp"], "minimum 10"),
        (["blend", "30ml", "lavender", "--dilution", "0"], "--dilution '0'"),
        (["blend", "30ml", "lavender", "--dilution", "150"], "--dilution '150'"),
        (["blend", "30ml", "lavender", "--profile", "child"], "--age"),
        (["blend", "30ml"], "name at least one oil"),
        (["blend", "30ml", "lavendr"], "did you mean 'lavender'"),
        (["blend", "30ml", "--purpose", "relaxaton"], "did you mean 'relaxation'"),
        (["blend", "30ml", "lavender", "--drops-per-ml", "0"], "--drops-per-ml '0'"),
        (["blend", "30ml", "lavender", "--strength", "max"], "gentle, standard, strong"),
        (["blend", "9**9**9 ml", "lavender"], "'9**9**9 ml'"),
        (["chart", "--volumes", "5,,10"], "empty entry"),
        (["chart", "--dilutions", "0"], "--dilution"),
    ],
)
def test_bad_input_one_line_exit_2(invoke: Invoke, args: list[str], named: str) -> None:
    result = invoke(*args)
    assert result.code == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ")
    assert named in lines[0]


def test_a_range_of_one_whole_drop_count_reads_as_that_count(invoke: Invoke) -> None:
    # Pregnancy caps 30 mL at 1 % = 6 drops, which is also the ratio's lower bound here.
    result = invoke("blend", "30ml", "lavender", "--profile", "pregnancy")
    assert result.code == 0
    assert "Range: 6 drops for " in result.stdout
    assert "6-6" not in result.stdout
