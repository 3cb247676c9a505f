"""Base (carrier) oils (SPEC section 8): the shipped data and its sources, which bases an allergy
rules out or warns about, the check the blend engine calls, malformed [bases] entries, and the
``blendcalc bases`` command."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from blendcalc.bases import (
    BASE_ALLERGY,
    NO_DATA,
    BaseVerdict,
    allergy_terms,
    check_base,
    check_terms,
    compatible_bases,
    names_base_allergen,
    review_bases,
    unknown_terms,
)
from blendcalc.catalog import Catalog, load_catalog
from blendcalc.errors import BadInput, CatalogError, UnknownName
from tests.conftest import Invoke, one_error_line

SHIPPED = load_catalog(use_user_catalog=False)
ARTICLE_BASES = ("almond", "hemp", "argan", "avocado", "shea", "jojoba", "grape seed")
MORE_BASES = ("sunflower", "olive", "fractionated coconut", "peanut", "arachis", "macadamia")
MORE_BASES += ("apricot kernel",)


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog(use_user_catalog=False)


def verdicts(catalog: Catalog, *terms: str) -> dict[str, BaseVerdict]:
    return {item.base.key: item for item in review_bases(catalog, list(terms))}


# --------------------------------------------------------------------------------------
# The shipped data
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ARTICLE_BASES + MORE_BASES)
def test_the_spec_bases_are_in_the_catalog(catalog: Catalog, name: str) -> None:
    assert catalog.find_base(name).key in catalog.bases


@pytest.mark.parametrize(
    ("name", "key"),
    [("sweet almond", "almond"), ("Almond Oil", "almond"), ("groundnut oil", "peanut"),
     ("FCO", "fractionated-coconut"), ("karite", "shea"), ("grapeseed", "grape-seed")],
)  # fmt: skip
def test_bases_are_found_by_alias_in_any_case(catalog: Catalog, name: str, key: str) -> None:
    assert catalog.find_base(name).key == key


def test_an_unknown_base_suggests_the_nearest(catalog: Catalog) -> None:
    with pytest.raises(UnknownName, match=r"unknown base 'almnd'; did you mean 'almond'\?"):
        catalog.find_base("almnd")


@pytest.mark.parametrize("key", list(SHIPPED.bases))
def test_every_base_and_every_claim_names_a_source(catalog: Catalog, key: str) -> None:
    base = catalog.bases[key]
    assert base.sources, key
    assert all(source in catalog.sources for source in base.sources)
    for item in base.allergens:
        assert item.source in catalog.sources
        assert item.note.strip(), f"{key}: say why {item.allergen_class} is {item.severity}"
    if base.density is not None:
        assert base.density_source in catalog.sources
    if base.inci:
        assert base.inci_source in catalog.sources


def test_allergen_classes_name_their_sources_and_everyday_words(catalog: Catalog) -> None:
    words = {"tree nut", "tree nuts", "nuts", "nut", "peanut", "groundnut", "arachis", "sesame"}
    words |= {"soy", "soya", "coconut"}
    found = {alias for item in catalog.allergen_classes.values() for alias in item.aliases}
    assert words <= found
    for item in catalog.allergen_classes.values():
        assert item.sources and all(key in catalog.sources for key in item.sources)


def test_the_fda_2025_tree_nut_list_is_what_the_data_says(catalog: Catalog) -> None:
    tree_nut = {
        key
        for key, base in catalog.bases.items()
        for item in base.allergens
        if item.allergen_class == "tree-nut"
    }
    assert {"almond", "macadamia", "argan", "shea"} <= tree_nut
    shea = next(a for a in catalog.bases["shea"].allergens if a.allergen_class == "tree-nut")
    assert shea.severity == "warn" and "2025" in shea.note
    coconut = catalog.bases["fractionated-coconut"]
    assert "tree-nut" not in {item.allergen_class for item in coconut.allergens}


def test_density_and_inci_only_where_sourced(catalog: Catalog) -> None:
    assert catalog.bases["sunflower"].density == Fraction("0.9195")  # Codex 0.916-0.923
    assert catalog.bases["almond"].inci == "Prunus Amygdalus Dulcis Oil"
    assert catalog.bases["jojoba"].density is None
    assert catalog.bases["jojoba"].inci == ""


# --------------------------------------------------------------------------------------
# Which bases an allergy rules out
# --------------------------------------------------------------------------------------


def test_without_allergies_every_base_is_suitable(catalog: Catalog) -> None:
    for item in review_bases(catalog, []):
        assert (item.verdict, item.reason) == ("suitable", None)
    assert compatible_bases(catalog, []) == list(catalog.bases)


@pytest.mark.parametrize("term", ["nuts", "tree nut", "Tree-Nuts", "nut"])
def test_a_nut_allergy_rules_out_almond_argan_and_macadamia_and_warns_of_shea(
    catalog: Catalog, term: str
) -> None:
    found = verdicts(catalog, term)
    for key in ("almond", "argan", "macadamia"):
        assert found[key].verdict == "avoid", key
        assert found[key].reason and term in found[key].reason
    assert found["shea"].verdict == "warn"
    assert "removed from the FDA tree-nut list in 2025" in (found["shea"].reason or "")
    assert found["apricot-kernel"].verdict == "warn"
    for key in ("jojoba", "fractionated-coconut", "sunflower", "olive", "grape-seed"):
        assert (found[key].verdict, found[key].reason) == ("suitable", None)


def test_nuts_is_read_as_peanuts_too_but_tree_nut_is_not(catalog: Catalog) -> None:
    assert verdicts(catalog, "nuts")["peanut"].verdict == "avoid"
    # Peanuts are no tree nut, but co-allergy is common: peanut oil is kept with a warning
    # that says why, never listed as compatible in silence.
    peanut = verdicts(catalog, "tree nut")["peanut"]
    assert peanut.verdict == "warn"
    assert "KFA-NUTS" in peanut.cited
    assert "allergist" in (peanut.reason or "")
    assert "peanut" not in compatible_bases(catalog, ["tree nut"])


TREE_NUTS = [
    "hazelnut", "walnut", "almonds", "cashew", "pecan", "pistachio", "brazil nut", "pine nut",
    "macadamia nut", "Walnuts", "filbert", "Brazil Nuts", "pine nuts", "pecans", "almond",
]  # fmt: skip


@pytest.mark.parametrize("term", TREE_NUTS)
def test_a_single_tree_nut_is_read_as_the_tree_nut_class(catalog: Catalog, term: str) -> None:
    # The nuts of the FDA's Table 1, singular or plural: a person allergic to one is checked
    # against every tree-nut base, exactly as for "tree nut".
    assert unknown_terms(catalog, [term]) == []
    found = {key: item.verdict for key, item in verdicts(catalog, term).items()}
    assert found == {key: item.verdict for key, item in verdicts(catalog, "tree nut").items()}
    assert found["almond"] == found["argan"] == found["macadamia"] == "avoid"
    assert found["shea"] == found["apricot-kernel"] == found["peanut"] == "warn"


@pytest.mark.parametrize("term", ["hazelnut", "walnut", "pistachio", "brazil nut"])
def test_bases_json_reads_a_tree_nut_as_the_class(invoke: Invoke, term: str) -> None:
    result = invoke("bases", "--allergy", term, "--json")
    assert result.code == 0, result.stderr
    document = {item["key"]: item for item in json.loads(result.stdout)}
    assert document["almond"]["verdict"] == "avoid"
    assert "tree nuts" in document["almond"]["reason"]
    assert document["peanut"]["verdict"] == "warn"
    assert document["jojoba"]["verdict"] == "suitable"


def test_bases_says_a_single_nut_is_read_as_tree_nuts(invoke: Invoke) -> None:
    result = invoke("bases", "--allergy", "hazelnut")
    assert result.code == 0
    assert "Note: 'hazelnut' is read as tree nuts." in result.stderr
    assert "is read as" not in invoke("bases", "--allergy", "tree nut").stderr


def test_a_walnut_allergy_rules_out_almond_oil(invoke: Invoke) -> None:
    result = invoke("blend", "30ml", "lavender", "--base", "almond", "--allergy", "walnut")
    assert result.code == 4
    assert "Sweet almond oil is ruled out as the base: allergy to walnut (tree nuts)" in (
        result.stderr
    )


@pytest.mark.parametrize("name", ["walnut", "Walnut oil", "hazelnut", "cashew butter", "pecan"])
def test_an_unknown_tree_nut_base_is_named_as_such_never_offered_peanut(
    invoke: Invoke, name: str
) -> None:
    line = one_error_line(invoke, "blend", "30ml", "lavender", "--base", name)
    assert "oil is not in the catalog" in line
    assert "among the tree nuts" in line
    assert "did you mean" not in line and "peanut" not in line


def test_an_unknown_base_with_an_allergy_names_the_compatible_bases(invoke: Invoke) -> None:
    line = one_error_line(
        invoke, "blend", "30ml", "lavender", "--base", "walnut", "--allergy", "walnut"
    )
    assert "walnut oil is not in the catalog" in line
    compatible = compatible_bases(SHIPPED, ["walnut"])
    assert "base oils that match none of the declared allergies: " + ", ".join(compatible) in line
    assert "almond" not in compatible and "peanut" not in compatible


def test_a_suggestion_the_allergies_rule_out_is_not_offered(catalog: Catalog) -> None:
    with pytest.raises(UnknownName) as info:
        check_base(catalog, "almnd", ["tree nut"])
    assert info.value.suggestions == []
    assert "'almond', spelt like it, is ruled out by the declared allergies" in str(info.value)


@pytest.mark.parametrize(
    "name",
    sorted({alias for item in SHIPPED.allergen_classes.values() for alias in item.aliases}),
)
def test_no_base_of_another_allergen_class_is_suggested_for_an_allergen_name(
    catalog: Catalog, name: str
) -> None:
    # Whatever allergen a person types as a base ("walnut", "sesame seed oil"), a "did you
    # mean" offers only bases that themselves belong to the class that word names.
    classes = {key for key, item in catalog.allergen_classes.items() if name in item.aliases}
    for typed in (name, f"{name} oil", name[:-1] + name[-1] * 2):
        try:
            base = catalog.find_base(typed)
        except UnknownName as error:
            for key in error.suggestions:
                members = {
                    a.allergen_class for a in catalog.bases[key].allergens if a.severity == "avoid"
                }
                assert members & classes, (typed, key)
            assert len(str(error).splitlines()) == 1
        else:
            assert {a.allergen_class for a in base.allergens} & classes or base.key in (
                name.replace(" ", "-"),
            ), (typed, base.key)


@pytest.mark.parametrize(
    "term", ["peanut", "peanuts", "groundnut", "arachis", "Arachis Oil", "peanut oil"]
)
def test_a_peanut_allergy_rules_out_arachis_oil_and_warns_of_tree_nuts(
    catalog: Catalog, term: str
) -> None:
    # Peanut and tree-nut allergies go together more often than chance (KFA-NUTS): the warning
    # runs both ways, as it does for peanut oil with a tree-nut allergy.
    found = verdicts(catalog, term)
    assert found["peanut"].verdict == "avoid"
    assert [key for key, item in found.items() if item.verdict == "avoid"] == ["peanut"]
    warned = [key for key, item in found.items() if item.verdict == "warn"]
    # "Arachis Oil" names the base oil, and so what it is made of: the tree-nut warning holds.
    assert warned == ["almond", "argan", "macadamia"]


@pytest.mark.parametrize("term", ["sweet almond oil", "almond", "macadamia nut oil"])
def test_an_allergy_to_a_nut_base_oil_rules_out_the_other_tree_nut_bases(
    catalog: Catalog, term: str
) -> None:
    # Someone who reacted to almond oil is allergic to a tree nut: argan and macadamia are
    # ruled out with it, and the bases that may cross-react are warned of.
    found = verdicts(catalog, term)
    assert [key for key, item in found.items() if item.verdict == "avoid"] == [
        "almond",
        "argan",
        "macadamia",
    ]
    assert {"shea", "peanut"} <= {key for key, item in found.items() if item.verdict == "warn"}


@pytest.mark.parametrize("term", ["daisy", "ragweed", "Asteraceae", "compositae"])
def test_a_daisy_family_allergy_warns_of_sunflower_with_its_source(
    catalog: Catalog, term: str
) -> None:
    sunflower = verdicts(catalog, term)["sunflower"]
    assert sunflower.verdict == "warn"
    assert "THERMO-SUNFLOWER" in (sunflower.reason or "")
    assert sunflower.cited == ("THERMO-SUNFLOWER",)


def test_an_allergy_to_the_base_itself_rules_it_out_whatever_its_class_says(
    catalog: Catalog,
) -> None:
    found = verdicts(catalog, "shea")
    assert found["shea"].verdict == "avoid"
    assert found["shea"].reason == "allergy to shea: this is Shea butter"
    assert verdicts(catalog, "sunflower")["sunflower"].verdict == "avoid"


def test_an_allergy_to_a_family_rules_out_its_bases(catalog: Catalog) -> None:
    found = verdicts(catalog, "rose family")
    assert {k for k, v in found.items() if v.verdict == "avoid"} == {"almond", "apricot-kernel"}
    assert verdicts(catalog, "legumes")["peanut"].verdict == "avoid"


def test_the_worst_verdict_wins_and_every_reason_is_kept(catalog: Catalog) -> None:
    sunflower = verdicts(catalog, "daisy", "sunflower oil")["sunflower"]
    assert sunflower.verdict == "avoid"
    assert len(sunflower.reasons) == 2


@pytest.mark.parametrize(
    ("term", "key"),
    [("sesame", "sesame"), ("soya", None), ("coconut", "fractionated-coconut"),
     ("latex", "avocado"), ("hemp", "hemp")],
)  # fmt: skip
def test_other_allergen_classes(catalog: Catalog, term: str, key: str | None) -> None:
    ruled = {k for k, v in verdicts(catalog, term).items() if v.verdict != "suitable"}
    assert ruled == ({key} if key else set())


def test_a_base_with_no_allergy_data_is_suitable_but_never_called_safe(
    catalog: Catalog,
) -> None:
    check = check_base(catalog, "jojoba", ["tree nut"])
    assert check.verdict == "suitable" and not check.warnings
    assert check.notes == (f"Jojoba oil: {NO_DATA}; that is not a sign of safety.",)


# --------------------------------------------------------------------------------------
# check_base: what blend --base calls
# --------------------------------------------------------------------------------------


def test_check_base_rules_out_almond_for_a_tree_nut_allergy(catalog: Catalog) -> None:
    check = check_base(catalog, "sweet almond", ["tree nut"])
    assert check.ruled_out
    assert check.base.key == "almond"
    assert [warning.kind for warning in check.warnings] == [BASE_ALLERGY]
    assert check.warnings[0].oil is None
    message = check.warnings[0].message
    assert "Sweet almond oil is ruled out" in message and "jojoba" in message
    assert "jojoba" in check.compatible_bases
    assert not {"almond", "argan", "macadamia", "shea"} & set(check.compatible_bases)
    assert check.to_dict() == {
        "key": "almond",
        "name": "Sweet almond oil",
        "allergens": [
            {
                "class": "tree-nut",
                "severity": "avoid",
                "source": "FDA-TREENUTS",
                "note": catalog.bases["almond"].allergens[0].note,
            },
            {
                "class": "peanut",
                "severity": "warn",
                "source": "KFA-NUTS",
                "note": catalog.bases["almond"].allergens[1].note,
            },
        ],
    }


def test_check_base_keeps_shea_with_a_warning(catalog: Catalog) -> None:
    check = check_base(catalog, "shea", ["nuts"])
    assert check.verdict == "warn" and not check.ruled_out
    assert "Safer: a base that matches no allergy" in check.warnings[0].message


def test_check_base_with_every_base_ruled_out_says_so(catalog: Catalog) -> None:
    families = {base.family for base in catalog.bases.values()}
    check = check_base(catalog, "almond", sorted(families))
    assert check.compatible_bases == ()
    assert "No base oil of the catalog is clear" in check.warnings[0].message


def test_check_base_refuses_an_unknown_base(catalog: Catalog) -> None:
    with pytest.raises(UnknownName, match="did you mean 'argan'"):
        check_base(catalog, "argn", [])


# --------------------------------------------------------------------------------------
# The allergy terms
# --------------------------------------------------------------------------------------


def test_allergy_terms_split_commas_and_drop_repeats(catalog: Catalog) -> None:
    assert allergy_terms(catalog, ["nuts, peanut", "Nuts", "latex,"]) == ["nuts", "peanut", "latex"]


def test_a_name_holding_a_comma_is_kept_whole(catalog: Catalog) -> None:
    assert allergy_terms(catalog, ["1,8-cineole"]) == ["1,8-cineole"]


@pytest.mark.parametrize("value", ["", " ", ",", " , "])
def test_an_empty_allergy_is_bad_input(catalog: Catalog, value: str) -> None:
    with pytest.raises(BadInput, match="names no allergy"):
        allergy_terms(catalog, [value])


def test_unknown_terms_are_those_the_catalog_does_not_name(catalog: Catalog) -> None:
    assert unknown_terms(catalog, ["nuts", "linalool", "citrus", "lavender", "kiwi"]) == ["kiwi"]
    with pytest.raises(UnknownName, match=r"unknown allergy 'tre nut'; did you mean 'tree nut'"):
        check_terms(catalog, ["tre nut"])


def test_names_base_allergen_tells_the_blend_engine_what_is_not_unknown(
    catalog: Catalog,
) -> None:
    # For blend's unknown-allergen check: "tree nut" names no essential oil but is not unknown.
    assert names_base_allergen(catalog, "tree nut")
    assert names_base_allergen(catalog, "arachis")
    assert not names_base_allergen(catalog, "linalool")


# --------------------------------------------------------------------------------------
# Malformed [bases] and [allergen_classes] entries
# --------------------------------------------------------------------------------------

GOOD_BASE = """
[bases.test-base]
name = "Test base"
latin = "Testus oleum"
family = "Oleaceae"
aliases = ["testing oil"]
sources = ["ARTICLE"]
"""
GOOD_ALLERGEN = """
[[bases.test-base.allergens]]
class = "tree-nut"
severity = "avoid"
source = "FDA-TREENUTS"
note = "a test"
"""

MALFORMED = [
    # (the file's text, the entry, the field, a part of the problem)
    (GOOD_BASE.replace('name = "Test base"\n', ""), "bases.test-base", "name", "is missing"),
    (GOOD_BASE.replace('"Oleaceae"', '"Nosuchaceae"'), "bases.test-base", "family", "not in"),
    (GOOD_BASE + "colour = 1\n", "bases.test-base", "colour", "unknown field"),
    (GOOD_BASE.replace("[bases.test-base]", "[bases.Test_Base]"), "bases.Test_Base", "", "keys"),
    (GOOD_BASE.replace('["ARTICLE"]', '["NOPE"]'), "bases.test-base", "sources", "'NOPE'"),
    (GOOD_BASE.replace('sources = ["ARTICLE"]\n', ""), "bases.test-base", "sources", "no source"),
    (GOOD_BASE + "density = true\n", "bases.test-base", "density", "relative density"),
    (GOOD_BASE + "density = 9.2\n", "bases.test-base", "density", "relative density"),
    (GOOD_BASE + "density = nan\n", "bases.test-base", "density", "relative density"),
    (GOOD_BASE + 'density = "0.92"\n', "bases.test-base", "density", "relative density"),
    (GOOD_BASE + "density = 0.92\n", "bases.test-base", "density_source", "is missing"),
    (GOOD_BASE + 'inci = "Testus Oil"\n', "bases.test-base", "inci_source", "is missing"),
    (GOOD_BASE + 'inci = " "\n', "bases.test-base", "inci", "non-empty"),
    (GOOD_BASE + 'allergens = "tree-nut"\n', "bases.test-base", "allergens", "array of tables"),
    (GOOD_BASE.replace('["testing oil"]', '["sweet almond"]'), "bases.test-base", "aliases",
     "'sweet almond' already names 'almond'"),
    (GOOD_BASE + GOOD_ALLERGEN.replace('"tree-nut"', '"pollen"'),
     "bases.test-base.allergens[0]", "class", "neither in [allergen_classes]"),
    (GOOD_BASE + GOOD_ALLERGEN.replace('"avoid"', '"maybe"'),
     "bases.test-base.allergens[0]", "severity", "avoid, warn"),
    (GOOD_BASE + GOOD_ALLERGEN.replace('"FDA-TREENUTS"', '"X"'),
     "bases.test-base.allergens[0]", "source", "not in [sources]"),
    (GOOD_BASE + GOOD_ALLERGEN.replace('note = "a test"\n', ""),
     "bases.test-base.allergens[0]", "note", "is missing"),
    (GOOD_BASE + GOOD_ALLERGEN + GOOD_ALLERGEN, "bases.test-base", "allergens[1]", "twice"),
    ('[allergen_classes.pollen]\nname = "pollen"\naliases = []\n',
     "allergen_classes.pollen", "sources", "is missing"),
    ('[allergen_classes.pollen]\nname = "pollen"\nsources = ["ARTICLE"]\naliases = "x"\n',
     "allergen_classes.pollen", "aliases", "list of text"),
    ("bases = 3\n", "bases", "", "table of entries"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "entry", "field", "problem"), MALFORMED)
def test_a_malformed_base_names_the_file_the_entry_and_the_field(
    tmp_path: Path, text: str, entry: str, field: str, problem: str
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("schema = 1\n" + text, encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        load_catalog(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {entry}" + (f": {field}: " if field else ": ")), message
    assert problem in message


def test_a_user_catalog_adds_a_base_with_its_own_source(tmp_path: Path) -> None:
    user = Path(__file__).parent / "data" / "user-bases.toml"
    catalog = load_catalog(user)
    found = verdicts(catalog, "ragweed")
    assert found["calendula-macerate-test"].verdict == "avoid"
    assert found["sunflower"].verdict == "warn"
    assert catalog.find_base("calendula oil test").key == "calendula-macerate-test"


# --------------------------------------------------------------------------------------
# blendcalc bases
# --------------------------------------------------------------------------------------


def run_json(invoke: Invoke, *args: str) -> list[dict[str, Any]]:
    result = invoke("bases", *args, "--json")
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert isinstance(document, list)
    return document


def test_bases_json_lists_every_base_as_suitable_without_allergies(
    invoke: Invoke, catalog: Catalog
) -> None:
    document = run_json(invoke)
    assert [item["key"] for item in document] == list(catalog.bases)
    assert {(item["verdict"], item["reason"]) for item in document} == {("suitable", None)}
    almond = document[0]
    assert almond["allergens"][0] == {
        "class": "tree-nut",
        "severity": "avoid",
        "source": "FDA-TREENUTS",
        "note": catalog.bases["almond"].allergens[0].note,
    }
    assert almond["inci"] == "Prunus Amygdalus Dulcis Oil"
    jojoba = next(item for item in document if item["key"] == "jojoba")
    assert jojoba["allergens"] == [] and jojoba["density"] is None


def test_bases_allergy_nuts_json_marks_almond_argan_macadamia_and_warns_of_shea(
    invoke: Invoke,
) -> None:
    document = {item["key"]: item for item in run_json(invoke, "--allergy", "nuts")}
    for key in ("almond", "argan", "macadamia"):
        assert document[key]["verdict"] == "avoid"
        assert "allergy to nuts" in document[key]["reason"]
    assert document["shea"]["verdict"] == "warn"
    assert "removed from the FDA tree-nut list in 2025" in document["shea"]["reason"]
    assert "ALLERGICLIVING-SHEA" in document["shea"]["reason"]
    assert document["jojoba"]["verdict"] == "suitable"


def test_bases_peanut_allergy_rules_out_arachis(invoke: Invoke) -> None:
    document = run_json(invoke, "--allergy", "groundnut")
    assert [item["key"] for item in document if item["verdict"] == "avoid"] == ["peanut"]


def test_bases_chosen_by_name_in_the_order_given(invoke: Invoke) -> None:
    document = run_json(invoke, "shea", "Sweet Almond", "almond", "--allergy", "tree nut")
    assert [(item["key"], item["verdict"]) for item in document] == [
        ("shea", "warn"),
        ("almond", "avoid"),
    ]


def test_bases_human_explains_first_then_the_table_with_whole_keys(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = invoke("bases", "--allergy", "tree nut,daisy")
    assert result.code == 0
    assert "Left out almond: allergy to tree nut (tree nuts)" in result.stderr
    assert "Warning (base-allergy): Shea butter:" in result.stderr
    assert "Warning (base-allergy): Sunflower oil: allergy to daisy" in result.stderr
    assert "Source FDA-TREENUTS: US FDA" in result.stderr
    assert "Patch-test first" in result.stderr
    for key in ("fractionated-coconut", "apricot-kernel", "grape-seed"):
        assert key in result.stdout, key  # never broken across lines
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert NO_DATA in result.stdout.replace("\n", " ") or "no published" in result.stdout


def test_bases_human_without_allergies_says_no_data_is_not_safety(invoke: Invoke) -> None:
    result = invoke("bases")
    assert result.code == 0
    assert "family" in result.stdout and "Sapotaceae" in result.stdout
    assert f"{NO_DATA} is not a sign of safety" in result.stderr


def test_bases_notes_how_terms_were_read(invoke: Invoke) -> None:
    result = invoke("bases", "--allergy", "nuts", "--allergy", "linalool")
    assert result.code == 0
    assert "Note: 'nuts' is read as tree nuts and peanuts." in result.stderr
    assert "Note: 'linalool' matches no base oil of the catalog." in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--allergy", "tre nut"], "unknown allergy 'tre nut'; did you mean 'tree nut'"),
        (["--allergy", "kiwi"], "allergen classes: tree-nut, peanut"),
        (["--allergy", ""], "--allergy '' names no allergy"),
        (["--allergy", " , "], "names no allergy"),
        (["almnd"], "unknown base 'almnd'; did you mean 'almond'?"),
    ],
)
def test_bases_bad_input_is_one_line_and_exit_2(
    invoke: Invoke, args: list[str], expected: str
) -> None:
    for json_args in ([], ["--json"]):
        line = one_error_line(invoke, "bases", *args, *json_args)
        assert expected in line


def test_bases_malformed_user_catalog_exits_2_naming_file_entry_and_field(
    invoke: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        "schema = 1\n" + GOOD_BASE + GOOD_ALLERGEN.replace('"avoid"', '"sometimes"'),
        encoding="utf-8",
    )
    line = one_error_line(invoke, "bases", "--oils", str(path))
    assert line.startswith(f"Error: {path}: bases.test-base.allergens[0]: severity: ")


def test_bases_with_a_user_base(invoke: Invoke) -> None:
    user = str(Path(__file__).parent / "data" / "user-bases.toml")
    document = run_json(invoke, "calendula oil test", "--oils", user, "--allergy", "ragweed")
    assert document[0]["key"] == "calendula-macerate-test"
    assert document[0]["sources"] == [
        {"key": "MY-NOTES", "title": "My own client notes (test)", "url": None}
    ]


def test_bases_help_is_written_for_therapists(invoke: Invoke) -> None:
    result = invoke("bases", "--help")
    assert result.code == 0
    for text in ("[BASE]...", "TERM", "tree nut", "Example:", "no published allergy data"):
        assert text in result.stdout


def test_base_names_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    from blendcalc.cli import _complete_allergen_classes, _complete_bases

    assert _complete_bases("alm") == ["almond"]
    assert _complete_bases("ap") == ["apricot-kernel"]
    assert _complete_bases("") == list(SHIPPED.bases)
    assert _complete_allergen_classes("tree") == ["tree-nut"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [("blendcalc bases sh", ["shea"]), ("blendcalc bases --allergy pea", ["peanut"])],
)
def test_the_installed_program_completes_bases_through_bash(
    words: str, expected: list[str], tmp_path: Path
) -> None:
    from tests.test_completion import complete

    assert complete(words, tmp_path) == expected


def test_bases_json_imports_neither_pint_nor_rich(tmp_path: Path) -> None:
    """Start-up is this tool's speed (SPEC 6): the catalog commands stay under the Typer floor."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\nfrom blendcalc.cli import run\nrun(['bases', '--allergy', 'nuts', '--json'])\n"
        "sys.stderr.write(str(sorted({'pint', 'rich'} & set(sys.modules))))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "BLENDCALC_OILS"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "[]"
