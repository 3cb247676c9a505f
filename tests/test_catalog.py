"""The oil catalog: the shipped data, name lookup, allergy matching, malformed catalogs and
user catalogs (library, plus the CLI where a user meets the catalog file directly)."""

import json
from fractions import Fraction
from pathlib import Path

import pytest

from blendcalc.catalog import Catalog, load_catalog, shipped_catalog_path
from blendcalc.errors import CatalogError, UnknownName
from blendcalc.safety import review_allergies, split_terms
from tests.conftest import Invoke, one_error_line

DATA = Path(__file__).parent / "data"
USER_CALENDULA = DATA / "user-calendula.toml"

SHIPPED = load_catalog(use_user_catalog=False)


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog(use_user_catalog=False)


# --------------------------------------------------------------------------------------
# The shipped catalog
# --------------------------------------------------------------------------------------


def test_shipped_catalog_loads_from_the_repository_root(catalog: Catalog) -> None:
    assert shipped_catalog_path().name == "oils.toml"
    assert shipped_catalog_path().is_file()
    assert catalog.files == (str(shipped_catalog_path()),)
    assert len(catalog.oils) >= 30


@pytest.mark.parametrize("key", list(SHIPPED.oils))
def test_every_oil_cites_sources_that_exist(catalog: Catalog, key: str) -> None:
    oil = catalog.oils[key]
    assert oil.sources, f"{key} names no source"
    for source in oil.sources:
        assert source in catalog.sources, f"{key} cites unknown source {source!r}"


def test_every_figure_names_its_source(catalog: Catalog) -> None:
    for oil in catalog.oils.values():
        if oil.max_dermal_percent is not None:
            assert oil.max_dermal_source in catalog.sources, oil.key
        if oil.phototoxic:
            assert oil.phototoxic_limit_percent is not None, oil.key
            assert oil.phototoxic_source in catalog.sources, oil.key
        if oil.purposes:
            assert oil.purposes_sources, oil.key
        for part in oil.constituents:
            assert part.source in catalog.sources, (oil.key, part.name)
        for caution in oil.cautions:
            assert caution.source in catalog.sources, (oil.key, caution.topic)


@pytest.mark.parametrize(
    ("name", "percent"),
    [
        # DATA.md's published maxima (mostly Tisserand & Young as quoted by public pages).
        ("clove bud", "0.5"),
        ("bergamot", "0.4"),
        ("peppermint", "5.4"),
        ("jasmine", "0.7"),
        ("thyme", "1.3"),
        ("melissa", "0.9"),
        ("lemon", "2"),
        ("grapefruit", "4"),
        ("lime", "0.7"),
        ("bitter orange", "1.25"),
        ("eucalyptus", "20"),
        ("ylang-ylang", "0.8"),
        ("lemongrass", "0.7"),
        ("cinnamon leaf", "0.6"),
        # No published figure was found: the catalog must not invent one.
        ("lavender", None),
        ("rose", None),
        ("geranium", None),
        ("clary sage", None),
        ("sweet orange", None),
        ("sandalwood", None),
        ("roman chamomile", None),
    ],
)
def test_maximum_dermal_figures_match_the_sources(
    catalog: Catalog, name: str, percent: str | None
) -> None:
    oil = catalog.find_oil(name)
    assert oil.max_dermal_percent == (None if percent is None else Fraction(percent))


@pytest.mark.parametrize(
    ("name", "phototoxic"),
    [
        ("bergamot", True),
        ("lemon", True),
        ("grapefruit", True),
        ("lime", True),
        ("bitter orange", True),
        ("sweet orange", False),
        ("mandarin", False),
        ("lavender", False),
    ],
)
def test_expressed_citrus_oils_are_phototoxic(
    catalog: Catalog, name: str, phototoxic: bool
) -> None:
    oil = catalog.find_oil(name)
    assert oil.phototoxic is phototoxic
    assert (oil.phototoxic_limit_percent is not None) is phototoxic


@pytest.mark.parametrize(
    ("key", "heading", "article_oils"),
    [
        ("relaxation", "inferred", ["rose", "geranium", "sage", "jasmine", "lavender"]),
        ("refreshing", "inferred", ["mint", "lavender", "sage"]),
        (
            "anti-cellulite",
            "inferred",
            ["orange", "lemon", "grapefruit", "geranium", "juniper", "patchouli"],
        ),
        ("sensual", "inferred", ["jasmine", "patchouli", "geranium", "carnation", "sage"]),
        ("focus", "explicit", ["mint", "thyme", "bergamot", "lemon"]),
        ("pain-relief", "explicit", ["mint", "melissa", "needles"]),
        ("scalp-and-hair", "explicit", ["sandalwood", "thyme", "orange"]),
        ("skin", "explicit", ["orange", "chamomile", "thyme"]),
    ],
)
def test_purposes_follow_the_source_table(
    catalog: Catalog, key: str, heading: str, article_oils: list[str]
) -> None:
    purpose = catalog.purposes[key]
    assert purpose.heading == heading
    serving = [oil.key for oil in catalog.oils_for(purpose)]
    for name in article_oils:
        assert catalog.find_oil(name).key in serving, f"{name} should serve {key}"


def test_there_are_exactly_the_eight_purposes(catalog: Catalog) -> None:
    assert set(catalog.purposes) == {
        "relaxation",
        "refreshing",
        "anti-cellulite",
        "sensual",
        "focus",
        "pain-relief",
        "scalp-and-hair",
        "skin",
    }


def test_children_age_limits_from_the_sources(catalog: Catalog) -> None:
    def min_age(name: str) -> Fraction | None:
        ages = [
            c.min_age_years
            for c in catalog.find_oil(name).cautions
            if c.topic == "children" and c.min_age_years is not None
        ]
        return max(ages) if ages else None

    # Thyme: none under 2. Clove bud: not for children aged 2 or younger.
    assert min_age("thyme") == 2
    clove = min_age("clove bud")
    assert clove is not None
    assert clove > 2


# --------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("mint", "peppermint"),
        ("carnation", "clove-bud"),
        ("needles", "scots-pine"),
        ("sage", "clary-sage"),
        ("Sweet Orange", "sweet-orange"),
        ("sweet-orange", "sweet-orange"),
        ("sweet_orange", "sweet-orange"),
        ("orange", "sweet-orange"),
        ("  LAVENDER ", "lavender"),
        ("clove bud", "clove-bud"),
        ("chamomile", "roman-chamomile"),
        ("Salvia officinalis", "common-sage"),
    ],
)
def test_oil_names_and_translation_aliases_resolve(catalog: Catalog, name: str, key: str) -> None:
    assert catalog.find_oil(name).key == key


def test_common_sage_is_a_separate_oil_that_sage_does_not_mean(catalog: Catalog) -> None:
    common = catalog.oils["common-sage"]
    assert common.latin == "Salvia officinalis"
    assert catalog.find_oil("sage").key == "clary-sage"
    assert "sage" not in [alias.lower() for alias in common.aliases]
    assert any(c.topic == "epilepsy" and c.severity == "avoid" for c in common.cautions)
    assert any(c.topic == "pregnancy" and c.severity == "avoid" for c in common.cautions)


@pytest.mark.parametrize(
    ("finder", "name", "suggestion"),
    [
        ("oil", "lavendr", "lavender"),
        ("oil", "Lavander", "lavender"),
        ("oil", "pepermint", "peppermint"),
        ("oil", "bergamott", "bergamot"),
        ("purpose", "relaxaton", "relaxation"),
        ("purpose", "focuss", "focus"),
    ],
)
def test_near_misses_raise_unknown_name_with_a_suggestion(
    catalog: Catalog, finder: str, name: str, suggestion: str
) -> None:
    find = catalog.find_oil if finder == "oil" else catalog.find_purpose
    with pytest.raises(UnknownName) as info:
        find(name)
    assert suggestion in info.value.suggestions
    assert f"did you mean {suggestion!r}" in str(info.value)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("aphrodisiac", "sensual"),
        ("brain activity", "focus"),
        ("Brain Activity", "focus"),
        ("pain relief", "pain-relief"),
        ("pain-relief", "pain-relief"),
        ("relax", "relaxation"),
        ("hair", "scalp-and-hair"),
        ("cellulite", "anti-cellulite"),
    ],
)
def test_purpose_aliases_resolve(catalog: Catalog, name: str, key: str) -> None:
    assert catalog.find_purpose(name).key == key


# --------------------------------------------------------------------------------------
# Allergies
# --------------------------------------------------------------------------------------


def test_split_terms_handles_commas_blanks_and_repeats() -> None:
    assert split_terms(["a,b", "b"]) == ["a", "b"]
    assert split_terms(["citrus, Linalool", " CITRUS ", ",,", ""]) == ["citrus", "Linalool"]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("lavender", {"lavender"}),
        ("carnation", {"clove-bud"}),
        ("citrus", {"lemon", "bergamot", "sweet-orange", "grapefruit"}),
        ("Rutaceae", {"lemon", "bergamot"}),
        ("daisy", {"roman-chamomile", "german-chamomile"}),
        ("ragweed", {"roman-chamomile", "german-chamomile"}),
        ("linalool", {"lavender", "bergamot", "clary-sage"}),
        ("eugenol", {"clove-bud", "cinnamon-leaf"}),
        ("d-limonene", {"sweet-orange", "lemon"}),
    ],
)
def test_allergy_terms_match_oils(catalog: Catalog, term: str, expected: set[str]) -> None:
    review = review_allergies(split_terms([term]), catalog)
    assert expected <= set(review.reasons)
    assert review.unknown == []
    for key in expected:
        assert term.lower() in review.reason(catalog.oils[key]).lower()


def test_citrus_allergy_matches_the_whole_rutaceae_family_and_nothing_else(
    catalog: Catalog,
) -> None:
    review = review_allergies(["citrus"], catalog)
    rutaceae = {oil.key for oil in catalog.oils.values() if oil.family == "Rutaceae"}
    assert set(review.reasons) == rutaceae
    assert "Rutaceae" in review.reason(catalog.oils["bergamot"])


def test_constituent_allergy_names_the_constituent(catalog: Catalog) -> None:
    review = review_allergies(["eugenol"], catalog)
    reason = review.reason(catalog.oils["clove-bud"])
    assert "Clove bud contains eugenol" in reason
    assert "lavender" not in review.reasons


def test_an_allergy_that_matches_nothing_is_reported(catalog: Catalog) -> None:
    review = review_allergies(split_terms(["kiwi, citrus"]), catalog)
    assert "lemon" in review.reasons
    assert [warning.kind for warning in review.unknown] == ["unknown-allergen"]
    assert "'kiwi'" in review.unknown[0].message
    assert review.unknown[0].oil is None


def test_unknown_allergy_alone_matches_no_oil_but_still_warns(catalog: Catalog) -> None:
    review = review_allergies(["kiwi"], catalog)
    assert review.reasons == {}
    assert len(review.unknown) == 1


# --------------------------------------------------------------------------------------
# Malformed catalogs: CatalogError (library) and exit 2 with one line (CLI)
# --------------------------------------------------------------------------------------

NEW_OIL = """
[oils.calendula-test]
name = "Calendula (test)"
latin = "Calendula officinalis"
family = "Asteraceae"
purposes = ["skin"]
purposes_sources = ["ARTICLE"]
phototoxic = false
"""
ENTRY = "oils.calendula-test"

# (case id, file text or None for "no such file", entry named, field named, other fragments)
BAD_CATALOGS = [
    pytest.param("this is = = not toml\n", "", "", ["is not valid TOML", "line 1"], id="syntax"),
    pytest.param(None, "", "", ["no such file"], id="missing-file"),
    pytest.param(
        NEW_OIL + 'max_dermal_percent = 150\nmax_dermal_source = "ARTICLE"\n',
        ENTRY,
        "max_dermal_percent",
        ["150", "0 to 100"],
        id="max-150",
    ),
    pytest.param(
        NEW_OIL + 'max_dermal_percent = -1\nmax_dermal_source = "ARTICLE"\n',
        ENTRY,
        "max_dermal_percent",
        ["-1"],
        id="max-negative",
    ),
    pytest.param(
        NEW_OIL + 'max_dermal_percent = "x"\nmax_dermal_source = "ARTICLE"\n',
        ENTRY,
        "max_dermal_percent",
        ["'x'"],
        id="max-text",
    ),
    pytest.param(
        NEW_OIL + 'max_dermal_percent = 0\nmax_dermal_source = "ARTICLE"\n',
        ENTRY,
        "max_dermal_percent",
        ["leave it out when unknown"],
        id="max-zero",
    ),
    pytest.param(
        NEW_OIL + 'max_dermal_percent = nan\nmax_dermal_source = "ARTICLE"\n',
        ENTRY,
        "max_dermal_percent",
        ["nan"],
        id="max-nan",
    ),
    pytest.param(
        NEW_OIL + 'max_dermal_percent = inf\nmax_dermal_source = "ARTICLE"\n',
        ENTRY,
        "max_dermal_percent",
        ["inf"],
        id="max-inf",
    ),
    pytest.param(
        NEW_OIL + '\n[[oils.calendula-test.constituents]]\nname = "linalool"\n'
        'min_percent = nan\nsource = "EU"\n',
        ENTRY + ".constituents[0]",
        "min_percent",
        ["nan"],
        id="constituent-nan",
    ),
    pytest.param(
        NEW_OIL + "max_dermal_percent = 2\n",
        ENTRY,
        "max_dermal_source",
        ["missing"],
        id="max-without-source",
    ),
    pytest.param(
        NEW_OIL + 'max_dermal_percent = 2\nmax_dermal_source = "NO-SUCH-SOURCE"\n',
        ENTRY,
        "max_dermal_source",
        ["'NO-SUCH-SOURCE'", "[sources]"],
        id="unknown-source",
    ),
    pytest.param(
        NEW_OIL.replace('["ARTICLE"]', '["NO-SUCH-SOURCE"]'),
        ENTRY,
        "purposes_sources",
        ["'NO-SUCH-SOURCE'"],
        id="unknown-purposes-source",
    ),
    pytest.param(
        NEW_OIL.replace('["skin"]', '["skin", "skinn"]'),
        ENTRY,
        "purposes",
        ["'skinn'", "relaxation"],
        id="unknown-purpose",
    ),
    pytest.param(
        NEW_OIL.replace('"Asteraceae"', '"Daisyaceae"'),
        ENTRY,
        "family",
        ["'Daisyaceae'"],
        id="unknown-family",
    ),
    pytest.param(
        NEW_OIL + 'aliases = ["lavender"]\n',
        ENTRY,
        "aliases",
        ["'lavender' already names 'lavender'"],
        id="alias-is-another-oils-name",
    ),
    pytest.param(
        NEW_OIL + 'aliases = ["Mint"]\n',
        ENTRY,
        "aliases",
        ["'Mint' already names 'peppermint'"],
        id="alias-is-another-oils-alias",
    ),
    pytest.param(
        NEW_OIL.replace("phototoxic = false", 'phototoxic = true\nphototoxic_source = "DB"'),
        ENTRY,
        "phototoxic_limit_percent",
        ["missing"],
        id="phototoxic-without-limit",
    ),
    pytest.param(
        NEW_OIL + 'colour = "orange"\n',
        ENTRY,
        "colour",
        ["unknown field"],
        id="unknown-field",
    ),
    pytest.param(
        NEW_OIL + '\n[[oils.calendula-test.cautions]]\ntopic = "astrology"\n'
        'severity = "warn"\ntext = "Not under a full moon."\nsource = "ARTICLE"\n',
        ENTRY + ".cautions[0]",
        "topic",
        ["'astrology'", "pregnancy"],
        id="caution-unknown-topic",
    ),
]


def _write(tmp_path: Path, text: str | None) -> Path:
    path = tmp_path / "bad-oils.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "entry", "field", "fragments"), BAD_CATALOGS)
def test_malformed_catalog_raises_catalog_error(
    tmp_path: Path, text: str | None, entry: str, field: str, fragments: list[str]
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert info.value.path == str(path)
    assert info.value.entry == entry
    assert info.value.field == field
    for fragment in [entry, field, *fragments]:
        assert fragment in message


@pytest.mark.parametrize(("text", "entry", "field", "fragments"), BAD_CATALOGS)
def test_malformed_catalog_exits_2_with_one_line(
    invoke: Invoke, tmp_path: Path, text: str | None, entry: str, field: str, fragments: list[str]
) -> None:
    path = _write(tmp_path, text)
    result = invoke("oils", "--oils", str(path), "--json")
    assert result.code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}: ")
    for fragment in [entry, field, *fragments]:
        assert fragment in lines[0]


def test_a_folder_is_not_a_catalog(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("show", "lavender", "--oils", str(tmp_path))
    assert result.code == 2
    assert result.stderr.strip() == f"Error: {tmp_path}: is a folder, not a TOML file"


def test_an_empty_user_file_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "user-empty.toml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert set(load_catalog(path).oils) == set(SHIPPED.oils)


# --------------------------------------------------------------------------------------
# User catalogs: --oils, $BLENDCALC_OILS, the platformdirs config directory
# --------------------------------------------------------------------------------------

LAVENDER_RENAMED = """
[oils.lavender]
name = "Lavender (my own batch)"
latin = "Lavandula angustifolia"
family = "Lamiaceae"
aliases = ["true lavender"]
purposes = ["relaxation", "refreshing", "scalp-and-hair"]
purposes_sources = ["ARTICLE"]
phototoxic = false
"""


def test_user_catalog_adds_an_oil() -> None:
    catalog = load_catalog(USER_CALENDULA)
    assert catalog.files == (str(shipped_catalog_path()), str(USER_CALENDULA))
    oil = catalog.find_oil("marigold test")
    assert oil.key == "calendula-test"
    assert oil.max_dermal_percent is None
    assert len(catalog.oils) == len(SHIPPED.oils) + 1
    skin = [item.key for item in catalog.oils_for(catalog.purposes["skin"])]
    assert skin[-1] == "calendula-test"
    assert skin[:-1] == [item.key for item in SHIPPED.oils_for(SHIPPED.purposes["skin"])]


def test_user_catalog_replaces_a_shipped_entry(tmp_path: Path) -> None:
    path = tmp_path / "user-lavender.toml"
    path.write_text(LAVENDER_RENAMED, encoding="utf-8")
    catalog = load_catalog(path)
    assert catalog.find_oil("lavender").name == "Lavender (my own batch)"
    assert catalog.find_oil("true lavender").name == "Lavender (my own batch)"
    assert len(catalog.oils) == len(SHIPPED.oils)


def test_use_user_catalog_false_ignores_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLENDCALC_OILS", str(USER_CALENDULA))
    assert "calendula-test" in load_catalog().oils
    assert "calendula-test" not in load_catalog(use_user_catalog=False).oils


def _json_keys(invoke: Invoke, *args: str) -> list[str]:
    result = invoke(*args, "--json")
    assert result.code == 0, result.stderr
    return [row["key"] for row in json.loads(result.stdout)]


def test_cli_shows_a_user_oil_everywhere(invoke: Invoke) -> None:
    oils = str(USER_CALENDULA)
    assert "calendula-test" in _json_keys(invoke, "oils", "--oils", oils)
    assert "calendula-test" in _json_keys(invoke, "oils", "--purpose", "skin", "--oils", oils)
    assert "calendula-test" not in _json_keys(invoke, "oils", "--purpose", "focus", "--oils", oils)
    shown = invoke("show", "Marigold Test", "--oils", oils, "--json")
    assert shown.code == 0
    card = json.loads(shown.stdout)
    assert card["key"] == "calendula-test"
    assert card["family"] == "Asteraceae"
    assert card["max_dermal_percent"] is None
    # Without the user file the oil is unknown.
    assert invoke("show", "calendula-test").code == 2


def test_cli_user_entry_replaces_the_shipped_one(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "user-lavender.toml"
    path.write_text(LAVENDER_RENAMED, encoding="utf-8")
    result = invoke("show", "lavender", "--oils", str(path), "--json")
    assert json.loads(result.stdout)["name"] == "Lavender (my own batch)"


def test_environment_variable_names_the_user_catalog(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BLENDCALC_OILS", str(USER_CALENDULA))
    assert "calendula-test" in _json_keys(invoke, "oils")
    assert invoke("show", "calendula-test").code == 0


def test_environment_variable_naming_a_missing_file_is_an_error(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "user-gone.toml"
    monkeypatch.setenv("BLENDCALC_OILS", str(missing))
    result = invoke("oils", "--json")
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == f"Error: {missing}: no such file"


def test_config_directory_catalog_is_used(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import platformdirs

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    config = Path(platformdirs.user_config_dir("blendcalc"))
    if not config.is_relative_to(tmp_path):
        pytest.skip("platformdirs does not follow XDG_CONFIG_HOME on this platform")
    assert "calendula-test" not in _json_keys(invoke, "oils")
    config.mkdir(parents=True)
    (config / "oils.toml").write_text(USER_CALENDULA.read_text(encoding="utf-8"), "utf-8")
    assert "calendula-test" in _json_keys(invoke, "oils")
    assert "calendula-test" in load_catalog().oils


def test_oils_option_wins_over_the_environment(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "bad-env.toml"
    broken.write_text("this is = = not toml\n", encoding="utf-8")
    monkeypatch.setenv("BLENDCALC_OILS", str(broken))
    assert invoke("oils", "--json").code == 2
    keys = _json_keys(invoke, "oils", "--oils", str(USER_CALENDULA))
    assert "calendula-test" in keys


def test_environment_wins_over_the_config_directory(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import platformdirs

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    config = Path(platformdirs.user_config_dir("blendcalc"))
    if not config.is_relative_to(tmp_path):
        pytest.skip("platformdirs does not follow XDG_CONFIG_HOME on this platform")
    config.mkdir(parents=True)
    (config / "oils.toml").write_text("this is = = not toml\n", encoding="utf-8")
    monkeypatch.setenv("BLENDCALC_OILS", str(USER_CALENDULA))
    assert "calendula-test" in _json_keys(invoke, "oils")


LAVENDER_NARROWED = LAVENDER_RENAMED.replace(
    '["relaxation", "refreshing", "scalp-and-hair"]', '["relaxation", "scalp-and-hair"]'
)
LAVENDER_TAKES_AN_ALIAS = LAVENDER_RENAMED.replace(
    '["true lavender"]', '["true lavender", "mandarin orange"]'
)


def test_user_may_narrow_a_shipped_oils_purposes(tmp_path: Path) -> None:
    path = tmp_path / "user-lavender.toml"
    path.write_text(LAVENDER_NARROWED, encoding="utf-8")
    try:
        catalog = load_catalog(path)
    except CatalogError as error:
        pytest.fail(f"the user's valid entry was refused: {error}")
    refreshing = [oil.key for oil in catalog.oils_for(catalog.purposes["refreshing"])]
    assert "lavender" not in refreshing


def test_alias_clash_from_a_user_override_names_the_user_file(tmp_path: Path) -> None:
    path = tmp_path / "user-lavender.toml"
    path.write_text(LAVENDER_TAKES_AN_ALIAS, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert info.value.path == str(path)
    assert info.value.entry == "oils.lavender"


# --------------------------------------------------------------------------------------
# Found by tests/test_fuzz.py
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("figure", "complaint"),
    [
        ("1" + "0" * 400, "must be a number from 0 to 100"),  # math.isfinite() overflowed
        ("9" * 5000, "is not valid TOML"),  # tomllib's int() refuses 4300+ digits: ValueError
    ],
)
def test_a_huge_figure_is_a_catalog_error(
    invoke: Invoke, tmp_path: Path, figure: str, complaint: str
) -> None:
    path = tmp_path / "user-huge.toml"
    path.write_text(
        LAVENDER_RENAMED + f'max_dermal_percent = {figure}\nmax_dermal_source = "ARTICLE"\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match=complaint):
        load_catalog(path)
    result = invoke("show", "lavender", "--oils", str(path))
    assert result.code == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"Error: {path}: ")


@pytest.mark.parametrize("name", ["x" * 300, "missing\nfile.toml", "user-tab\t.toml"])
def test_an_odd_file_name_is_one_line_exit_2(invoke: Invoke, name: str) -> None:
    # A name too long for the file system was an OSError (internal error); a line break in
    # the name split the error message in two.
    one_error_line(invoke, "oils", "--oils", name)


def test_a_key_with_a_line_break_is_named_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "user-key.toml"
    path.write_text('[sources."a\\nb"]\ntitle = 3\n', encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert str(info.value) == f"{path}: 'sources.a\\nb': title: must be non-empty text, got 3"


def test_names_are_shown_as_written_not_as_rich_markup(invoke: Invoke, tmp_path: Path) -> None:
    # rich read "[/x]" as a closing tag and raised MarkupError (an internal error), and would
    # have eaten "[bold]" and turned ":cat:" into an emoji.
    path = tmp_path / "user-markup.toml"
    path.write_text(
        LAVENDER_RENAMED.replace("Lavender (my own batch)", "[/x] Lavender [bold]:cat:"),
        encoding="utf-8",
    )
    for args in (["show", "lavender"], ["oils"], ["suggest", "relaxation"]):
        result = invoke(*args, "--oils", str(path))
        assert result.code == 0, result.stderr
        for written in ("[/x]", "[bold]", ":cat:"):  # the table may wrap the name
            assert written in result.stdout, args


def test_an_endless_catalog_file_is_refused_not_read_forever(invoke: Invoke) -> None:
    # Reported by the fuzzing work: --oils /dev/zero read until memory ran out. A device is
    # now refused before anything is read (issue 11, item 16).
    result = invoke("oils", "--oils", "/dev/zero")
    assert result.code == 2
    assert result.stderr == "Error: /dev/zero: is a device, not a file; give a catalog file\n"


def test_a_huge_catalog_file_is_refused_after_10_mb(invoke: Invoke, tmp_path: Path) -> None:
    huge = tmp_path / "user-huge.toml"
    with huge.open("wb") as handle:  # sparse: 11 MB of zero bytes that take no disk space
        handle.truncate(11_000_000)
    result = invoke("oils", "--oils", str(huge))
    assert result.code == 2
    assert result.stderr == f"Error: {huge}: is larger than 10 MB: not a catalog\n"
