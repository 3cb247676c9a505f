"""The oil catalog: the shipped data, name lookup, allergy matching, malformed catalogs and
user catalogs (library, plus the CLI where a user meets the catalog file directly)."""

import json
import re
from fractions import Fraction
from pathlib import Path
from urllib.parse import urlparse

import pytest

from blendcalc.catalog import Catalog, load_catalog, shipped_catalog_path
from blendcalc.errors import AmbiguousName, CatalogError, UnknownName
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


# Hosts whose pages may not be cited: AI-written encyclopedias, rewritten or garbled copies of
# other pages, content farms, copies of articles and books on document-sharing sites, and a
# data aggregator's page standing in for the report it adapts. Checked against every source.
BANNED_HOSTS = (
    "grokipedia.com",  # AI-written encyclopedia
    "eudic.net",  # wiki-gateway.eudic.net: rewritten Wikipedia mirror
    "wikiwand.com",  # Wikipedia mirror: cite Wikipedia itself
    "europeanmedical.info",  # garbled copy of a textbook
    "cosmetics-add.com",  # machine-rewritten ("spun") text
    "hope-inablog.com",  # content farm
    "writeupcafe.com",  # content farm
    "howgetrid.net",  # content farm
    "healthsignal.net",  # content farm
    "wisderm.com",  # content farm
    "hubpages.com",  # content farm
    "queleparece.com",  # content copy site
    "whatdoesmean.net",  # content farm
    "scribd.com",  # uploaded copies: cite the publication
    "dokumen.pub",
    "ebin.pub",
    "docslib.org",
    "vdocuments.net",
    "documents.pub",
    "pdffox.com",
    "123docz.net",
    "issuhub.com",
    "drugster.org",  # copied pharmacopoeia text: cite the pharmacopoeia
    "chemicalbook.com",  # supplier aggregator pages of unattributed text
    "monara.org",  # shop page standing in for a composition
)

# What a source may not point to: this project's own files or its development documents.
PROJECT_FILES = re.compile(r"(^|/)(seed|DATA\.md|SPEC\.md|STYLE\.md|oils\.toml)|\bDATA\.md\b")


@pytest.mark.parametrize("key", list(SHIPPED.sources))
def test_every_source_can_be_looked_up(catalog: Catalog, key: str) -> None:
    source = catalog.sources[key]
    assert source.title.strip()
    if source.url:
        parsed = urlparse(source.url)
        assert parsed.scheme in {"http", "https"} and parsed.netloc, (key, source.url)
    else:
        # No address: the title must be a bibliographic reference (author or body, title,
        # publisher or journal), not a bare name.
        assert len(source.title) >= 60, (key, source.title)
    for text in (source.title, source.url, source.note):
        assert not PROJECT_FILES.search(text), (key, text)


@pytest.mark.parametrize("key", list(SHIPPED.sources))
def test_no_source_is_on_a_banned_host(catalog: Catalog, key: str) -> None:
    source = catalog.sources[key]
    addresses = [source.url, *re.findall(r"https?://\S+", source.note)]
    for address in filter(None, addresses):
        host = (urlparse(address).hostname or "").lower()
        for banned in BANNED_HOSTS:
            assert host != banned and not host.endswith("." + banned), (key, address)


def test_every_source_is_cited(catalog: Catalog) -> None:
    cited = {key for oil in catalog.oils.values() for key in oil.sources}
    cited |= {entry.source for entry in catalog.ambiguous.values()}
    cited |= {item.source for item in catalog.constituents.values() if item.source}
    cited |= {key for base in catalog.bases.values() for key in base.sources}
    cited |= {key for item in catalog.allergen_classes.values() for key in item.sources}
    uncited = set(catalog.sources) - cited - {"TY", "ARTICLE"}
    assert not uncited


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
        # The article's "sage" is clary sage; the bare word is ambiguous in the catalog.
        ("relaxation", "inferred", ["rose", "geranium", "clary sage", "jasmine", "lavender"]),
        ("refreshing", "inferred", ["mint", "lavender", "clary sage"]),
        (
            "anti-cellulite",
            "inferred",
            ["orange", "lemon", "grapefruit", "geranium", "juniper", "patchouli"],
        ),
        ("sensual", "inferred", ["jasmine", "patchouli", "geranium", "carnation", "clary sage"]),
        ("focus", "explicit", ["mint", "thyme", "bergamot", "lemon"]),
        ("pain-relief", "explicit", ["mint", "melissa", "needles"]),
        ("scalp-and-hair", "explicit", ["sandalwood", "thyme", "orange"]),
        # The article's "chamomile" (ромашка) is ambiguous; both chamomiles serve skin.
        ("skin", "explicit", ["orange", "roman chamomile", "german chamomile", "thyme"]),
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
    # Menthol- and 1,8-cineole-rich oils and young children (Tisserand; T&Y via PMC), tea tree
    # only over 12 (EMA), and the skin-sensitising oils not under 2.
    assert min_age("peppermint") == 6
    assert min_age("eucalyptus") == 10
    assert min_age("tea tree") == 12
    assert min_age("melissa") == 2
    assert min_age("ylang-ylang") == 2


def test_children_ages_are_always_min_age_years_on_avoid_cautions(catalog: Catalog) -> None:
    for oil in catalog.oils.values():
        for caution in oil.cautions:
            if caution.min_age_years is not None:
                assert caution.topic == "children", oil.key
                assert caution.severity == "avoid", (oil.key, caution.text)
                assert f"{caution.min_age_years}" in caution.text or "aged 2 or younger" in (
                    caution.text
                ), (oil.key, caution.text)


# A caution that tells the reader to leave the oil out must be an "avoid" caution, so that a
# profile or age it concerns leaves the oil out (SPEC 4.3). Words of that kind:
AVOID_WORDS = re.compile(
    r"\b(avoid|do not use|don't use|not to be used|must not be used|never use|"
    r"contraindicated|not for|not on|not suitable|not in pregnancy)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("key", list(SHIPPED.oils))
def test_caution_severity_matches_its_words(catalog: Catalog, key: str) -> None:
    for caution in catalog.oils[key].cautions:
        if AVOID_WORDS.search(caution.text):
            assert caution.severity == "avoid", f"{key}: {caution.text!r} is marked warn"


def test_pregnancy_cautions_of_melissa_and_clove_bud_leave_them_out(catalog: Catalog) -> None:
    for name in ("melissa", "clove bud", "common sage"):
        pregnancy = [c for c in catalog.find_oil(name).cautions if c.topic == "pregnancy"]
        assert pregnancy, name
        assert all(c.severity == "avoid" for c in pregnancy), name


# --------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("mint", "peppermint"),
        ("carnation", "clove-bud"),
        ("needles", "scots-pine"),
        ("clary sage", "clary-sage"),
        ("clary", "clary-sage"),
        ("Sweet Orange", "sweet-orange"),
        ("sweet-orange", "sweet-orange"),
        ("sweet_orange", "sweet-orange"),
        ("orange", "sweet-orange"),
        ("  LAVENDER ", "lavender"),
        ("clove bud", "clove-bud"),
        ("roman chamomile", "roman-chamomile"),
        ("Salvia officinalis", "common-sage"),
        # The plain names of citrus oils mean the expressed (phototoxic) oils: the cautious
        # reading. The grades that are not phototoxic are their own oils.
        ("bergamot", "bergamot"),
        ("lemon", "lemon"),
        ("lime", "lime"),
        ("Bergamot FCF", "bergamot-fcf"),
        ("furanocoumarin-free bergamot", "bergamot-fcf"),
        ("distilled lemon", "lemon-distilled"),
        ("steam-distilled lime", "lime-distilled"),
    ],
)
def test_oil_names_and_translation_aliases_resolve(catalog: Catalog, name: str, key: str) -> None:
    assert catalog.find_oil(name).key == key


@pytest.mark.parametrize("name", ["chamomile", "Camomile", "ромашка", " CHAMOMILE "])
def test_an_ambiguous_name_asks_which_oil_is_meant(catalog: Catalog, name: str) -> None:
    with pytest.raises(AmbiguousName) as info:
        catalog.find_oil(name)
    assert set(info.value.suggestions) == {"roman-chamomile", "german-chamomile"}
    message = str(info.value)
    assert "could mean roman-chamomile or german-chamomile; say which" in message
    assert isinstance(info.value, UnknownName)  # the same bad-input path: exit 2


def test_oils_named_lists_every_oil_a_name_may_mean(catalog: Catalog) -> None:
    assert {oil.key for oil in catalog.oils_named("chamomile")} == {
        "roman-chamomile",
        "german-chamomile",
    }
    assert [oil.key for oil in catalog.oils_named("mint")] == ["peppermint"]
    assert catalog.oils_named("no such oil") == []


def test_an_allergy_to_chamomile_leaves_out_both_chamomiles(catalog: Catalog) -> None:
    review = review_allergies(["chamomile"], catalog)
    assert {"roman-chamomile", "german-chamomile"} <= set(review.reasons)
    assert review.unknown == []


@pytest.mark.parametrize("name", ["sage", "Sage", "sage oil", "шалфей", " SAGE "])
def test_sage_asks_clary_sage_or_common_sage(catalog: Catalog, name: str) -> None:
    # A therapist reads "sage" as common sage (thujone-rich); the article meant clary sage.
    with pytest.raises(AmbiguousName) as info:
        catalog.find_oil(name)
    assert info.value.suggestions == ["clary-sage", "common-sage"]
    assert "could mean clary-sage or common-sage; say which" in str(info.value)
    assert {oil.key for oil in catalog.oils_named(name)} == {"clary-sage", "common-sage"}


def test_an_allergy_to_sage_leaves_out_both_sages(catalog: Catalog) -> None:
    review = review_allergies(["sage"], catalog)
    assert {"clary-sage", "common-sage"} <= set(review.reasons)
    assert review.unknown == []


def test_common_sage_is_a_separate_oil_that_sage_does_not_mean(catalog: Catalog) -> None:
    common = catalog.oils["common-sage"]
    clary = catalog.oils["clary-sage"]
    assert common.latin == "Salvia officinalis"
    assert clary.latin == "Salvia sclarea"
    for oil in (common, clary):
        assert "sage" not in [alias.lower() for alias in oil.aliases]
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
    # SPEC 4.3: a term that holds a comma is matched whole first (split, "1" and "8-cineole"
    # matched nothing and eucalyptus passed a 1,8-cineole allergy).
    assert split_terms(["1,8-cineole", "citrus"], SHIPPED) == ["1,8-cineole", "citrus"]
    assert split_terms(["1,8-cineole,citrus"], SHIPPED) == ["1", "8-cineole", "citrus"]
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


def _matched(term: str, catalog: Catalog) -> set[str]:
    review = review_allergies(split_terms([term]), catalog)
    assert review.unknown == [], term
    return set(review.reasons)


@pytest.mark.parametrize(
    ("term", "key"),
    [
        # The first review's misses: allergens major in these oils were not listed.
        ("linalool", "neroli"),
        ("limonene", "black-pepper"),
        ("isoeugenol", "ylang-ylang"),
        ("cinnamal", "cinnamon-leaf"),
        ("cinnamaldehyde", "cinnamon-leaf"),
        ("camphor", "lavender"),
        ("farnesol", "neroli"),
        ("pinene", "black-pepper"),
        ("neral", "lemon"),
        ("acetyleugenol", "cinnamon-leaf"),
        ("alpha-terpinene", "tea-tree"),
        ("menthol", "peppermint"),
    ],
)
def test_allergens_major_in_an_oil_leave_it_out(catalog: Catalog, term: str, key: str) -> None:
    assert key in _matched(term, catalog)
    reasons = review_allergies([term], catalog).reason(catalog.oils[key])
    assert "contains" in reasons


def test_german_chamomile_holds_farnesene_not_farnesol(catalog: Catalog) -> None:
    assert "german-chamomile" not in _matched("farnesol", catalog)
    assert "german-chamomile" in _matched("farnesene", catalog)
    assert not catalog.constituents["farnesene"].eu_allergen


def test_linalool_oxide_is_not_linalool(catalog: Catalog) -> None:
    names = {name.lower() for name in catalog.constituents["linalool"].aliases}
    assert "linalool oxide" not in names
    review = review_allergies(["linalool oxide"], catalog)
    assert review.reasons == {}
    assert [warning.kind for warning in review.unknown] == ["unknown-allergen"]


def test_the_pinenes_are_one_eu_entry_and_both_answer_to_pinene(catalog: Catalog) -> None:
    alpha, beta = catalog.constituents["alpha-pinene"], catalog.constituents["beta-pinene"]
    assert alpha.eu_entry == beta.eu_entry == 371
    assert "pinene" in alpha.aliases
    assert "pinene" in beta.aliases
    # Bergamot lists beta-pinene with a figure; an allergy to "pinene" finds it.
    assert "bergamot" in _matched("pinene", catalog)


# Single-substance entries of Reg. (EU) 2023/1545 that occur in natural essential oils, with
# one CAS number of each (the catalog may give more): the catalog must know every one.
EU_SUBSTANCES = {
    "benzyl-alcohol": "100-51-6",
    "citral": "5392-40-5",
    "eugenol": "97-53-0",
    "isoeugenol": "97-54-1",
    "benzyl-salicylate": "118-58-1",
    "cinnamal": "104-55-2",
    "coumarin": "91-64-5",
    "geraniol": "106-24-1",
    "benzyl-cinnamate": "103-41-3",
    "farnesol": "4602-84-0",
    "linalool": "78-70-6",
    "benzyl-benzoate": "120-51-4",
    "citronellol": "106-22-9",
    "limonene": "5989-27-5",
    "alpha-terpinene": "99-86-5",
    "terpinolene": "586-62-9",
    "rose-ketones": "23696-85-7",
    "methyl-salicylate": "119-36-8",
    "anethole": "4180-23-8",
    "benzaldehyde": "100-52-7",
    "camphor": "76-22-2",
    "beta-caryophyllene": "87-44-5",
    "carvone": "99-49-0",
    "linalyl-acetate": "115-95-7",
    "menthol": "89-78-1",
    "santalol": "11031-45-1",
    "sclareol": "515-03-7",
    "terpineol": "98-55-5",
    "vanillin": "121-33-5",
    "eugenyl-acetate": "93-28-7",
    "geranyl-acetate": "105-87-3",
    "isoeugenyl-acetate": "93-29-8",
    "alpha-pinene": "80-56-8",
    "beta-pinene": "127-91-3",
}


@pytest.mark.parametrize(("key", "cas"), EU_SUBSTANCES.items())
def test_eu_allergens_are_in_the_catalog_with_their_cas(
    catalog: Catalog, key: str, cas: str
) -> None:
    constituent = catalog.constituents[key]
    assert constituent.eu_allergen
    assert constituent.eu_entry is not None
    assert cas in constituent.cas
    assert constituent.source == "EU"


def test_every_eu_allergen_has_its_cas_and_entry_and_no_name_is_shared(catalog: Catalog) -> None:
    owners: dict[str, str] = {}
    for constituent in catalog.constituents.values():
        if constituent.eu_allergen:
            assert constituent.cas, constituent.key
            assert constituent.eu_entry is not None, constituent.key
        for name in (constituent.key, *constituent.aliases):
            if name.lower() in {"pinene", "pinenes"}:
                continue  # the EU's one entry for alpha- and beta-pinene
            other = owners.setdefault(name.lower(), constituent.key)
            assert other == constituent.key, f"{name!r} names {other} and {constituent.key}"


# Oils that are entries of the EU list in their own right (natural extracts of Reg. (EU)
# 2023/1545), and oils that are not.
EU_LISTED = {
    "rose-otto": True,
    "geranium": True,
    "jasmine": True,
    "peppermint": True,
    "lavender": True,
    "sweet-orange": True,
    "bitter-orange": True,
    "lemon": True,
    "lemon-distilled": True,
    "bergamot": True,
    "bergamot-fcf": True,
    "clove-bud": True,
    "sandalwood": True,
    "eucalyptus": True,
    "ylang-ylang": True,
    "lemongrass": True,
    "neroli": True,
    "cedarwood-atlas": True,
    "patchouli": True,
    "cinnamon-leaf": False,  # the EU lists cinnamon BARK oil and cassia LEAF oil, not this
    "tea-tree": False,
    "lime": False,
    "lime-distilled": False,
    "scots-pine": False,  # the EU lists Pinus mugo and Pinus pumila, not P. sylvestris
    "juniper": False,  # the EU lists Juniperus virginiana (a cedarwood), not juniper berry
    "clary-sage": False,
    "grapefruit": False,
    "mandarin": False,
}


@pytest.mark.parametrize(("key", "listed"), EU_LISTED.items())
def test_oils_listed_by_the_eu_in_their_own_right(catalog: Catalog, key: str, listed: bool) -> None:
    assert catalog.oils[key].eu_listed_oil is listed


def test_every_complete_oil_names_its_composition_source(catalog: Catalog) -> None:
    complete = [oil for oil in catalog.oils.values() if oil.constituents_complete]
    # At least the oils checked so far against a pharmacopoeia or ISO profile.
    assert {"sweet-orange", "tea-tree"} <= {oil.key for oil in complete}
    for oil in complete:
        assert oil.composition_source in catalog.sources, oil.key
        assert oil.composition_note, oil.key
    for oil in catalog.oils.values():
        # A profile that does not cover every EU allergen (lemon's leaves out linalool) is
        # named, but its note must say why the oil is not complete.
        if not oil.constituents_complete and oil.composition_source:
            assert "Not complete" in oil.composition_note, oil.key


@pytest.mark.parametrize(
    ("key", "plain"),
    [("bergamot-fcf", "bergamot"), ("lemon-distilled", "lemon"), ("lime-distilled", "lime")],
)
def test_grades_that_are_not_phototoxic_are_their_own_oils(
    catalog: Catalog, key: str, plain: str
) -> None:
    grade, expressed = catalog.oils[key], catalog.find_oil(plain)
    assert expressed.phototoxic and not grade.phototoxic
    assert grade.phototoxic_limit_percent is None
    assert grade.phototoxic_source == "DB"  # it says these grades are not phototoxic
    assert grade.family == expressed.family == "Rutaceae"
    assert "citrus" in catalog.families["Rutaceae"].aliases


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
        '[constituents.thing]\ncas = ["78-70-5"]\neu_allergen = true\n',
        "constituents.thing",
        "cas",
        ["'78-70-5'", "CAS"],
        id="cas-bad-check-digit",
    ),
    pytest.param(
        '[constituents.thing]\ncas = ["linalool"]\n',
        "constituents.thing",
        "cas",
        ["'linalool'"],
        id="cas-not-a-number",
    ),
    pytest.param(
        "[constituents.thing]\neu_entry = 84\n",
        "constituents.thing",
        "eu_entry",
        ["eu_allergen is false"],
        id="eu-entry-without-allergen",
    ),
    pytest.param(
        '[constituents.my-mix]\nmembers = ["linalool", "no-such-thing"]\nsource = "ARTICLE"\n',
        "constituents.my-mix",
        "members",
        ["'no-such-thing'", "single substance"],
        id="mix-member-unknown",
    ),
    pytest.param(
        '[constituents.my-mix]\nmembers = ["linalool", "fragrance-mix-i"]\nsource = "ARTICLE"\n',
        "constituents.my-mix",
        "members",
        ["'fragrance-mix-i'", "single substance"],
        id="mix-member-a-mix",
    ),
    pytest.param(
        '[constituents.my-mix]\nmembers = ["linalool"]\ncas = ["78-70-6"]\nsource = "ARTICLE"\n',
        "constituents.my-mix",
        "members",
        ["no CAS number"],
        id="mix-with-cas",
    ),
    pytest.param(
        '[constituents.my-mix]\nmembers = ["linalool"]\n',
        "constituents.my-mix",
        "source",
        [],
        id="mix-without-source",
    ),
    pytest.param(
        '[constituents.thing]\neu_allergen = true\neu_entry = "84"\n',
        "constituents.thing",
        "eu_entry",
        ["'84'"],
        id="eu-entry-text",
    ),
    pytest.param(
        '[ambiguous.mint-or-sage]\noils = ["peppermint"]\nsource = "ARTICLE"\n',
        "ambiguous.mint-or-sage",
        "oils",
        ["at least two"],
        id="ambiguous-one-oil",
    ),
    pytest.param(
        '[ambiguous.mint-or-sage]\noils = ["peppermint", "spearmint"]\nsource = "ARTICLE"\n',
        "ambiguous.mint-or-sage",
        "oils",
        ["'spearmint'"],
        id="ambiguous-unknown-oil",
    ),
    pytest.param(
        NEW_OIL + '\n[ambiguous.calendula-test]\noils = ["peppermint", "lavender"]\n'
        'source = "ARTICLE"\n',
        "ambiguous.calendula-test",
        "aliases",
        ["already names 'calendula-test'", "not ambiguous"],
        id="ambiguous-name-of-an-oil",
    ),
    pytest.param(
        NEW_OIL + 'composition_source = "NO-SUCH-SOURCE"\n',
        ENTRY,
        "composition_source",
        ["'NO-SUCH-SOURCE'"],
        id="unknown-composition-source",
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


def shipped_entry(key: str) -> str:
    """The shipped catalog's TOML text for one oil, its constituents and cautions included: a
    user entry that replaces a shipped oil must keep its safety data (SPEC 4.4)."""
    text = shipped_catalog_path().read_text(encoding="utf-8")
    start = text.index(f"[oils.{key}]\n")
    following = re.search(r"^\[(?!\[?oils\." + re.escape(key) + r"[.\]])", text[start + 1 :], re.M)
    return text[start : start + 1 + following.start()] if following else text[start:]


LAVENDER_RENAMED = shipped_entry("lavender").replace(
    'name = "Lavender"', 'name = "Lavender (my own batch)"', 1
)


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


LAVENDER_NARROWED = re.sub(
    r"^purposes = .*$",
    'purposes = ["relaxation", "scalp-and-hair"]',
    LAVENDER_RENAMED,
    count=1,
    flags=re.M,
)
LAVENDER_TAKES_AN_ALIAS = LAVENDER_RENAMED.replace(
    'aliases = ["true lavender",', 'aliases = ["true lavender", "mandarin orange",', 1
)


def test_a_user_catalog_may_give_an_ambiguous_name_to_one_oil(tmp_path: Path) -> None:
    user = tmp_path / "oils.toml"
    user.write_text(NEW_OIL + 'aliases = ["chamomile"]\n', encoding="utf-8")
    catalog = load_catalog(user)
    assert catalog.find_oil("chamomile").key == "calendula-test"
    assert "chamomile" not in catalog.ambiguous


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
        LAVENDER_RENAMED.replace(
            "phototoxic = false",
            f'phototoxic = false\nmax_dermal_percent = {figure}\nmax_dermal_source = "ARTICLE"',
            1,
        ),
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


# --------------------------------------------------------------------------------------------
# The shipped catalog, parsed once into blendcalc/oils.json (start-up: SPEC 6)
# --------------------------------------------------------------------------------------------


def test_the_parsed_catalog_is_current() -> None:
    from blendcalc.catalog import PARSED_CATALOG
    from scripts.catalog_json import render

    assert PARSED_CATALOG.read_text(encoding="utf-8") == render(), (
        "blendcalc/oils.json is stale: run `uv run python scripts/catalog_json.py`"
    )


def test_the_parsed_catalog_gives_the_same_catalog_as_the_toml(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from blendcalc.catalog import load as catalog_module  # where the loader reads it

    from_json = load_catalog(use_user_catalog=False)
    monkeypatch.setattr(catalog_module, "PARSED_CATALOG", tmp_path / "missing.json")
    assert load_catalog(use_user_catalog=False) == from_json


def test_a_stale_parsed_catalog_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A JSON made from another oils.toml (here: one saying lavender is named "Stale") must not
    # stand in for the file being read: its stamp no longer matches.
    from blendcalc.catalog import load as catalog_module  # where the loader reads it

    stale = tmp_path / "oils.json"
    text = catalog_module.PARSED_CATALOG.read_text(encoding="utf-8")
    stored = json.loads(text)
    stored["document"]["oils"]["lavender"]["name"] = "Stale"
    stored["source"]["crc32"] += 1
    stale.write_text(json.dumps(stored), encoding="utf-8")
    monkeypatch.setattr(catalog_module, "PARSED_CATALOG", stale)
    assert load_catalog(use_user_catalog=False).oils["lavender"].name == "Lavender"


def test_every_oil_rich_in_linalool_or_limonene_says_to_use_it_fresh(catalog: Catalog) -> None:
    # Oxidised linalool and limonene are frequent contact allergens (DEGROOT-FRAG): the advice
    # belongs on every oil that may hold 5 % or more of either, not on a few of them.
    for oil in SHIPPED.oils.values():
        rich = [
            part.name
            for part in oil.constituents
            if part.name in ("linalool", "limonene") and (part.max_percent or 0) >= 5
        ]
        if rich:
            topics = {caution.topic for caution in oil.cautions}
            assert "oxidation" in topics, (oil.key, rich)
