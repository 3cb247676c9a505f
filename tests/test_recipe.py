"""Recipes, weights and labels (SPEC section 9): save, show, scale, label, and every way a
recipe file can be wrong."""

from __future__ import annotations

import json
import os
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blendcalc.blend import compute_blend
from blendcalc.catalog import Catalog, load_catalog
from blendcalc.errors import BadInput, RecipeError
from blendcalc.label import label_blend
from blendcalc.recipe import (
    load_recipe,
    recipe_blend,
    recipe_changes,
    recipe_from_blend,
    save_recipe,
    scale_recipe,
    weigh_blend,
)
from tests.conftest import Invoke, one_error_line

CATALOG = load_catalog(use_user_catalog=False)


def _catalog() -> Catalog:
    return CATALOG


def _save(tmp: Path, *args: str) -> Path:
    """A recipe made as a user makes one: ``blend ARGS --save``."""
    from blendcalc.cli import run

    path = tmp / "recipe.toml"
    assert run(["blend", *args, "--save", str(path), "--json"]) == 0
    return path


# --------------------------------------------------------------------------------------
# The worked label of the issue, checked by hand
# --------------------------------------------------------------------------------------


def test_the_worked_label_names_linalool_and_limonene_by_mass() -> None:
    # 100 mL of sweet almond oil with 10 drops of lavender and 5 of bergamot (20 drops/mL):
    #   almond    100 mL  x 0.9175 (BPC 1911: 0.915-0.920)  = 91.75   g
    #   lavender  0.5 mL  x 0.891  (BPC 1911: 0.882-0.900)  =  0.4455 g
    #   bergamot  0.25 mL x 0.884  (BPC 1911: 0.882-0.886)  =  0.221  g
    #   product                                              = 92.4165 g
    # Upper bounds: linalool lavender 45 % (Ph. Eur.), bergamot 15 % (EMA);
    #               limonene lavender 1 %, bergamot 50 %.
    #   linalool = 0.4455 x 0.45 + 0.221 x 0.15 = 0.200475 + 0.03315 = 0.233625 g
    #            = 0.233625 / 92.4165 = 0.2528 % (> 0.001 %: named)
    #   limonene = 0.4455 x 0.01 + 0.221 x 0.50 = 0.004455 + 0.1105 = 0.114955 g
    #            = 0.114955 / 92.4165 = 0.1244 %
    blend = compute_blend(
        "100ml", ["lavender:2", "bergamot"], catalog=CATALOG, drops=15, base_oil="almond"
    )
    assert [(item.oil.key, item.drops) for item in blend.oils] == [
        ("lavender", 10),
        ("bergamot", 5),
    ]
    label = label_blend(blend, CATALOG, "leave-on")
    allergens = {item.name: item for item in label.allergens}
    total = Fraction("92.4165")
    assert label.net_grams == total
    assert allergens["linalool"].percent == Fraction("0.233625") / total * 100
    assert allergens["limonene"].percent == Fraction("0.114955") / total * 100
    assert round(float(allergens["linalool"].percent or 0), 4) == 0.2528
    assert round(float(allergens["limonene"].percent or 0), 4) == 0.1244
    assert allergens["linalool"].sources == ("lavender", "bergamot")
    assert "78-70-6" in allergens["linalool"].cas
    assert any("no sun or sunbed" in warning for warning in label.warnings)
    assert any("Patch-test" in warning for warning in label.warnings)
    assert any("upper bound" in note for note in label.notes)
    # Descending order of mass, the base by its INCI name; missing INCI names are said.
    assert [item.key for item in label.ingredients] == ["almond", "lavender", "bergamot"]
    assert label.ingredients[0].inci == "Prunus Amygdalus Dulcis Oil"
    assert "INCI name of Lavender" in label.missing
    # The oils that are entries of the EU list themselves.
    assert [item.key for item in label.listed_oils] == ["lavender", "bergamot"]


def test_rinse_off_uses_the_higher_threshold() -> None:
    # 10 drops of lavender in 1 L: camphor (<= 1.2 %) is 0.0005 % by mass: under both
    # thresholds; terpineol (<= 2 %) about 0.00097 %: under 0.001 % too. Linalool stays.
    blend = compute_blend("1000ml", ["lavender"], catalog=CATALOG, drops=10, base_oil="almond")
    leave_on = {item.name for item in label_blend(blend, CATALOG, "leave-on").allergens}
    rinse_off = {item.name for item in label_blend(blend, CATALOG, "rinse-off").allergens}
    assert "linalool" in leave_on and "linalool" in rinse_off
    assert rinse_off <= leave_on
    with pytest.raises(BadInput, match="leave-on, rinse-off"):
        label_blend(blend, CATALOG, "spray")


def test_a_label_for_eight_oils() -> None:
    oils = ["lavender", "bergamot", "lemon", "clove-bud", "geranium", "peppermint",
            "sweet-orange", "tea-tree"]  # fmt: skip
    blend = compute_blend("200ml", oils, catalog=CATALOG, drops=40, base_oil="sunflower")
    assert len(blend.oils) == 8
    label = label_blend(blend, CATALOG)
    assert len(label.ingredients) == 9
    # Several oils have no sourced density: no percentages are made up, and the label says so.
    assert label.net_grams is None
    assert any("density of Geranium" in item for item in label.missing)
    assert all(item.percent is None for item in label.allergens)
    assert {"linalool", "limonene", "eugenol"} <= {item.name for item in label.allergens}


def test_without_a_base_the_label_says_what_is_missing() -> None:
    blend = compute_blend("30ml", ["lavender"], catalog=CATALOG)
    label = label_blend(blend, CATALOG)
    assert any("give --base" in item for item in label.missing)
    assert label.net_grams is None


# --------------------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------------------


def test_weights_come_from_sourced_densities_and_name_what_has_none() -> None:
    blend = compute_blend(
        "30ml", ["lavender", "geranium"], catalog=CATALOG, drops=10, base_oil="almond"
    )
    weights = weigh_blend(blend)
    assert weights.oils["lavender"] == Fraction(5, 20) * Fraction("0.891")
    assert weights.oils["geranium"] is None
    assert weights.base == 30 * Fraction("0.9175")
    assert weights.total is None
    assert weights.missing == ["density of Geranium (geranium)"]


def test_every_density_cites_a_source() -> None:
    for oil in CATALOG.oils.values():
        if oil.density is not None:
            assert oil.density_source in CATALOG.sources, oil.key
            assert Fraction(8, 10) < oil.density < Fraction(12, 10)
        if oil.inci:
            assert oil.inci_source in CATALOG.sources, oil.key


def test_grams_in_json(invoke: Invoke) -> None:
    result = invoke("blend", "30ml", "lavender", "geranium", "--base", "almond", "--grams",
                    "--json")  # fmt: skip
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    grams = {item["key"]: item["grams"] for item in document["oils"]}
    assert grams["geranium"] is None
    assert grams["lavender"] == pytest.approx(0.4 * 0.891, abs=1e-4)
    assert document["base"]["grams"] == pytest.approx(30 * 0.9175)
    assert document["missing_densities"] == ["density of Geranium (geranium)"]


def test_grams_in_human_output(invoke: Invoke) -> None:
    result = invoke("blend", "30ml", "lavender", "geranium", "--grams")
    assert result.code == 0
    assert "no density" in result.stdout
    assert "Note: no mass for what has no sourced density: density of Geranium" in result.stderr


# --------------------------------------------------------------------------------------
# Round trips (hypothesis)
# --------------------------------------------------------------------------------------

OILS = ["lavender", "peppermint", "geranium", "bergamot", "lemon", "clove-bud", "tea-tree",
        "sweet-orange", "frankincense", "rosemary"]  # fmt: skip


@st.composite
def blends(draw: st.DrawFn) -> tuple[str, list[str], str]:
    keys = draw(st.lists(st.sampled_from(OILS), min_size=1, max_size=4, unique=True))
    parts = [draw(st.integers(1, 5)) for _ in keys]
    volume = f"{draw(st.integers(10, 500))}ml"
    strength = draw(st.sampled_from(["gentle", "standard", "strong"]))
    return volume, [f"{key}:{part}" for key, part in zip(keys, parts, strict=True)], strength


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blends(), st.sampled_from([Fraction(1, 2), Fraction(2), Fraction(3), Fraction(5, 2),
                                  Fraction(10), Fraction(7, 3)]))  # fmt: skip
def test_save_show_and_scale_round_trip(case: tuple[str, list[str], str], k: Fraction) -> None:
    volume, oils, strength = case
    blend = compute_blend(volume, oils, catalog=CATALOG, strength=strength, base_oil="jojoba")
    recipe = recipe_from_blend(blend, volume=volume, oils=oils, strength=strength, base="jojoba")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.toml"
        save_recipe(recipe, path)
        loaded = load_recipe(path)
    shown = recipe_blend(loaded, CATALOG)
    assert [(i.oil.key, i.drops) for i in shown.oils] == [(i.oil.key, i.drops) for i in blend.oils]
    assert recipe_changes(loaded, shown) == []
    new_ml = blend.base.ml * k
    exact = f"{new_ml.numerator}/{new_ml.denominator} ml"  # a float would not be exact
    scaled = recipe_blend(scale_recipe(loaded, exact, shown), CATALOG)
    now = {item.oil.key: item.drops for item in scaled.oils}
    capped = {w.oil for w in scaled.warnings if w.kind in {"capped", "phototoxic"} and w.oil}
    for item in shown.oils:
        if item.oil.key in capped:
            continue
        assert abs(now.get(item.oil.key, 0) - k * item.drops) < 1, (item.oil.key, now)


# --------------------------------------------------------------------------------------
# The CLI
# --------------------------------------------------------------------------------------


def test_save_never_overwrites_without_force(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    assert invoke("blend", "30ml", "lavender", "--save", str(path)).code == 0
    first = path.read_bytes()
    line = one_error_line(invoke, "blend", "30ml", "peppermint", "--save", str(path))
    assert "exists already; give --force" in line
    assert path.read_bytes() == first
    assert invoke("blend", "30ml", "peppermint", "--save", str(path), "--force").code == 0
    assert b"peppermint" in path.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.toml"]  # no temporary file left


def test_save_refuses_a_symlink_target_without_force(invoke: Invoke, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    (tmp_path / "link.toml").symlink_to(victim)
    line = one_error_line(
        invoke, "blend", "30ml", "lavender", "--save", str(tmp_path / "link.toml")
    )
    assert "exists already" in line
    assert victim.read_text() == "keep me"


def test_save_records_what_was_asked_and_what_came_out(tmp_path: Path) -> None:
    import tomllib

    path = _save(tmp_path, "30ml", "lavender:2", "peppermint", "--allergy", "nuts", "--base",
                 "jojoba", "--strength", "strong")  # fmt: skip
    document = tomllib.loads(path.read_text())
    assert document["schema"] == 1
    assert document["asked"]["oils"] == ["lavender:2", "peppermint"]
    assert document["asked"]["strength"] == "strong"
    assert document["asked"]["allergies"] == ["nuts"]
    assert document["asked"]["base"] == "jojoba"
    assert document["result"]["drops"] == {"lavender": 13, "peppermint": 7}
    assert document["blendcalc_version"]
    assert document["saved_at"]


def test_show_says_what_changed(invoke: Invoke, tmp_path: Path) -> None:
    path = _save(tmp_path, "30ml", "lavender:2", "peppermint")
    result = invoke("recipe", "show", str(path), "--json")
    document = json.loads(result.stdout)
    assert document["changed"] == []
    assert document["recipe"]["path"] == str(path)
    text = path.read_text().replace("lavender = 10", "lavender = 9")
    path.write_text(text)
    result = invoke("recipe", "show", str(path))
    assert result.code == 0
    assert "Changed since saved: lavender: was 9 drops, now 10" in result.stderr


def test_scale_saves_a_new_recipe(invoke: Invoke, tmp_path: Path) -> None:
    path = _save(tmp_path, "30ml", "lavender:2", "peppermint")
    bigger = tmp_path / "big.toml"
    result = invoke("recipe", "scale", str(path), "90ml", "--save", str(bigger), "--json")
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    assert {item["key"]: item["drops"] for item in document["oils"]} == {
        "lavender": 30,
        "peppermint": 15,
    }
    assert document["changed"] == []
    shown = json.loads(invoke("recipe", "show", str(bigger), "--json").stdout)
    assert shown["total_drops"] == 45
    assert shown["changed"] == []


def test_label_json(invoke: Invoke, tmp_path: Path) -> None:
    path = _save(tmp_path, "100ml", "lavender:2", "bergamot", "--drops", "15", "--base", "almond")
    result = invoke("recipe", "label", str(path), "--json")
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["product"] == "leave-on"
    names = [item["name"] for item in document["allergens"]]
    assert names.index("linalool") < names.index("limonene")
    assert document["net"] == {"ml": 100.75, "grams": 92.4165}
    assert document["ingredients"][0]["inci"] == "Prunus Amygdalus Dulcis Oil"
    human = invoke("recipe", "label", str(path), "--product", "rinse-off")
    assert "no sun or sunbed" in human.stdout
    assert "Missing: INCI name of Lavender" in human.stderr


GOOD = """schema = 1
blendcalc_version = "0.1.0"
saved_at = "2026-01-01T00:00:00Z"

[asked]
volume = "30ml"
oils = ["lavender:2", "peppermint"]
drops_per_ml = "20"
keep_proportions = false

[result]
total_drops = 15
warnings = []

[result.drops]
lavender = 10
peppermint = 5
"""

BAD_RECIPES = [
    ("not TOML", "schema = = 1", "is not valid TOML"),
    ("wrong type", GOOD.replace('volume = "30ml"', "volume = true"), "asked.volume"),
    ("unknown oil", GOOD.replace('"lavender:2"', '"lavendr:2"'), "asked.oils: unknown oil"),
    ("negative drops", GOOD.replace("lavender = 10", "lavender = -3"), "result.drops.lavender"),
    ("missing volume", GOOD.replace('volume = "30ml"\n', ""), "asked.volume: is missing"),
    ("missing asked", GOOD.split("[asked]", maxsplit=1)[0], "asked: is missing"),
    ("no oils", GOOD.replace('oils = ["lavender:2", "peppermint"]\n', ""), "asked.oils"),
    ("unknown field", GOOD.replace("[asked]\n", "[asked]\ncolour = 'red'\n"), "asked.colour"),
    ("schema", GOOD.replace("schema = 1", "schema = 7"), "schema: must be 1"),
    ("bad parts", GOOD.replace('"lavender:2"', '"lavender:-2"'), "asked.oils"),
    ("drops zero", GOOD.replace("keep_proportions", "drops = 0\nkeep_proportions"),
     "asked.drops"),
    ("oils not a list", GOOD.replace('oils = ["lavender:2", "peppermint"]', 'oils = "x"'),
     "asked.oils"),
    ("asked not a table", GOOD.split("[asked]", maxsplit=1)[0] + 'asked = "30ml"\n',
     "asked: must be a table"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "text", "expected"), BAD_RECIPES, ids=[b[0] for b in BAD_RECIPES])
@pytest.mark.parametrize("command", ["show", "label", "scale"])
def test_a_bad_recipe_is_one_error_line_naming_file_and_field(
    invoke: Invoke, tmp_path: Path, what: str, text: str, expected: str, command: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    extra = ["60ml"] if command == "scale" else []
    line = one_error_line(invoke, "recipe", command, str(path), *extra)
    assert str(path) in line
    assert expected in line


def test_the_good_recipe_is_good(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "good.toml"
    path.write_text(GOOD)
    result = invoke("recipe", "show", str(path), "--json")
    assert result.code == 0, result.stderr
    changed = json.loads(result.stdout)["changed"]
    # The same drops; the warnings this hand-written file left out are named as new.
    assert changed
    assert all(change.startswith("new warning: ") for change in changed)


def test_a_folder_a_fifo_and_a_missing_file_are_refused(invoke: Invoke, tmp_path: Path) -> None:
    assert "is a folder" in one_error_line(invoke, "recipe", "show", str(tmp_path))
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert "FIFO" in one_error_line(invoke, "recipe", "show", str(fifo))
    assert "give a recipe file" in one_error_line(invoke, "recipe", "show", str(fifo))
    assert "no such file" in one_error_line(invoke, "recipe", "show", str(tmp_path / "none"))
    assert "empty" in one_error_line(invoke, "recipe", "show", "")


def test_saving_into_a_folder_or_a_missing_folder_is_refused(
    invoke: Invoke, tmp_path: Path
) -> None:
    assert "is a folder" in one_error_line(
        invoke, "blend", "30ml", "lavender", "--save", str(tmp_path)
    )
    line = one_error_line(
        invoke, "blend", "30ml", "lavender", "--save", str(tmp_path / "no" / "r.toml")
    )
    assert "cannot be written" in line


def test_recipe_error_type() -> None:
    with pytest.raises(RecipeError, match="no such file"):
        load_recipe("/nonexistent/recipe.toml")


def test_scaling_below_one_drop_says_so(invoke: Invoke, tmp_path: Path) -> None:
    path = _save(tmp_path, "100ml", "lavender:2", "bergamot", "--drops", "15", "--base", "almond")
    result = invoke("recipe", "scale", str(path), "1ml")
    assert result.code == 4
    assert "Less than 1 drop" in result.stderr


def test_a_usage_error_points_at_the_sub_command_help(invoke: Invoke) -> None:
    assert "(see 'blendcalc recipe show --help')" in one_error_line(invoke, "recipe", "show")


VALUES = [0, -1, 1, 10**30, 1.5, "", " ", "x", "30ml", "lavender", "1e400", "9**9**9ml", [], ["x"],
          [1], {}, {"a": 1}, True, "nuts", "child", "-5", "lavender:0", "5-10 drops per",
          "\x1b[31m", "strong", "focus", "jojoba", "0.3", "1000000l"]  # fmt: skip
ASKED = ["volume", "oils", "purpose", "count", "ratio", "dilution", "drops", "strength",
         "drops_per_ml", "allergies", "profile", "age", "keep_proportions", "base",
         "bogus"]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["asked", "result", ""]), st.sampled_from(ASKED),
                  st.sampled_from(VALUES)),
        min_size=1, max_size=3,
    )
)  # fmt: skip
def test_a_hand_edited_recipe_never_crashes(edits: list[tuple[str, str, object]]) -> None:
    """Random edits of a good recipe: every answer is a result (0, 3, 4) or one error line
    naming the file (2), never an internal error."""
    import contextlib
    import io
    import tomllib

    import tomli_w

    from blendcalc.cli import run

    document = tomllib.loads(GOOD)
    for table, key, value in edits:
        (document[table] if table else document)[key] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "edited.toml"
        path.write_text(tomli_w.dumps(document))
        for argv in (["show", "--json"], ["label"], ["scale", "60ml"]):
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run(["recipe", argv[0], str(path), *argv[1:]])
            assert code in {0, 2, 3, 4}, err.getvalue()
            if code == 2:
                assert out.getvalue() == ""
                assert len(err.getvalue().strip().splitlines()) == 1
                assert str(path) in err.getvalue()


def test_a_label_for_a_recipe_that_makes_no_blend_names_the_file(
    invoke: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "allergic.toml"
    path.write_text(GOOD.replace("keep_proportions = false", 'allergies = ["lamiaceae"]'))
    line = one_error_line(invoke, "recipe", "label", str(path))
    assert str(path) in line and "no blend" in line


def test_a_recipe_keeps_its_unit_system(invoke: Invoke, tmp_path: Path) -> None:
    # "2 tbsp" in US units is 29.5736 mL, not 30: recomputing must read it as it was saved.
    path = _save(tmp_path, "2 tbsp", "lavender", "--units", "us")
    assert 'units = "us"' in path.read_text()
    document = json.loads(invoke("recipe", "show", str(path), "--json").stdout)
    assert document["units"] == "us"
    assert document["base"]["ml"] == pytest.approx(29.5736, abs=1e-4)
    assert document["changed"] == []
