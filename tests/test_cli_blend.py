import json

import pytest

from tests.conftest import Invoke, one_error_line

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
    assert document["base"] == {
        "input": "30ml",
        "ml": 30,
        "key": None,
        "name": None,
        "allergens": [],
    }
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
        (["blend", "30ml", "lavender", "--dilution", "١٢"], "'١٢'"),  # only 0-9 are digits
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
    # A child of one: 0.25-0.5 % of 10 mL = 0.5-1 drop, so one whole drop.
    result = invoke("blend", "10ml", "lavender", "--profile", "child", "--age", "1")
    assert result.code == 0
    assert "Range: 1 drop (0.25-0.5 % of the base oil)" in result.stdout
    assert "1-1" not in result.stdout


def test_a_ratio_per_a_tiny_volume_is_no_internal_error(invoke: Invoke) -> None:
    # Found by tests/test_fuzz.py: drop counts of some 60 digits, not whole, overflowed the
    # decimal precision of format_number (exit 1, "internal error (InvalidOperation)"). Such a
    # ratio is now refused as stronger than the 10 % short-term maximum, in one line.
    ratio = "9999999999999999999999999 drops per 1/" + "9" * 37 + " gtt"
    line = one_error_line(invoke, "blend", "1/3 ml", "lavender", "--drops-per-ml", "10",
                          "--ratio", ratio)  # fmt: skip
    assert "internal error" not in line
    assert "the short-term maximum" in line


@pytest.mark.parametrize(
    ("args", "named", "accepted"),
    [
        (["--drops", "1000"], "--drops 1000 is 166.67 % of 30 mL", "1 to 60 drops"),
        (["--drops", "61"], "--drops 61 is 10.17 % of 30 mL", "1 to 60 drops"),
        (["--dilution", "60"], "--dilution '60' is too strong", "at most 10 % of the base oil"),
        (
            ["--ratio", "50-100 drops per 1 ml"],
            "up to 500 % of the base oil",
            "at most 10 % of the base oil",
        ),
        (["--drops-per-ml", "5"], "--drops-per-ml '5'", "10 to 100"),
        (["--drops-per-ml", "1/3"], "--drops-per-ml '1/3'", "10 to 100"),
    ],
)
def test_more_than_the_short_term_maximum_is_bad_input(
    invoke: Invoke, args: list[str], named: str, accepted: str
) -> None:
    # Before: 1000 drops in 30 mL was a 166 % "blend" with exit 0, --dilution 60 gave 360 drops
    # in 30 mL, and --drops-per-ml 1/3 (a 3 mL drop) turned the default ratio into 150 %.
    line = one_error_line(invoke, "blend", "30ml", "lavender", *args)
    assert named in line
    assert f"accepted: {accepted}" in line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--strength", "strong"], "3.33 % is above the 2-3 %"),
        (["--dilution", "5"], "5 % is above the 2-3 %"),
        (["--drops", "60"], "10 % is above the 2-3 %"),
    ],
)
def test_a_blend_above_adult_guidance_warns(invoke: Invoke, args: list[str], says: str) -> None:
    document = json.loads(invoke("blend", "30ml", "lavender", *args, "--json").stdout)
    strong = [w for w in document["warnings"] if w["kind"] == "high-dilution"]
    assert len(strong) == 1
    assert strong[0]["message"].startswith(says)
    assert strong[0]["oil"] is None


@pytest.mark.parametrize(
    "args", [[], ["--dilution", "3"], ["--drops-per-ml", "30", "--strength", "strong"]]
)
def test_a_blend_within_adult_guidance_does_not_warn_of_strength(
    invoke: Invoke, args: list[str]
) -> None:
    document = json.loads(invoke("blend", "30ml", "lavender", *args, "--json").stdout)
    assert "high-dilution" not in {w["kind"] for w in document["warnings"]}


def test_strict_exits_3_for_a_blend_that_is_too_strong(invoke: Invoke) -> None:
    # Frankincense has no caution of its own: the strength is the only safety warning.
    assert invoke("blend", "30ml", "frankincense", "--strict").code == 0
    result = invoke("blend", "30ml", "frankincense", "--dilution", "5", "--strict")
    assert result.code == 3
    assert "Warning (high-dilution)" in result.stderr


def test_use_fresh_oil_is_a_reminder_not_a_safety_warning(invoke: Invoke) -> None:
    # How to keep the oil is the same for everyone: --strict must not fail plain lavender on it.
    assert invoke("blend", "30ml", "lavender", "geranium", "--strict").code == 0
    result = invoke("blend", "30ml", "lavender", "geranium", "--json")
    document = json.loads(result.stdout)
    assert "caution" not in {w["kind"] for w in document["warnings"]}
    fresh = [r for r in document["reminders"] if "Use fresh oil of Lavender and Geranium" in r]
    assert len(fresh) == 1 and "(DEGROOT-FRAG)" in fresh[0]
