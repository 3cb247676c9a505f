"""The blend engine: known chart values, every warning kind, and properties over random input."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blendcalc.blend import Blend, compute_blend
from blendcalc.catalog import Catalog, load_catalog, load_catalog_files
from blendcalc.errors import BadInput, UnknownName
from blendcalc.ranges import parse_ratio, whole_drop_range
from blendcalc.share import OilLimits, share_drops

MINI = str(Path(__file__).parent / "data" / "mini-oils.toml")


@pytest.fixture(scope="module")
def mini() -> Catalog:
    return load_catalog_files((MINI,))


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(use_user_catalog=False)


def kinds(blend: Blend) -> list[str]:
    return [warning.kind for warning in blend.warnings]


def drops_of(blend: Blend) -> dict[str, int]:
    return {item.oil.key: item.drops for item in blend.oils}


@pytest.mark.parametrize(
    ("volume", "strength", "total"),
    [
        ("15 ml", "gentle", 5),
        ("15 ml", "standard", 7),  # middle of 5-10 is 7.5, rounded down
        ("15 ml", "strong", 10),
        ("1 tbsp", "strong", 10),
        ("30 ml", "standard", 15),
        ("100 ml", "gentle", 34),  # 33.33... rounded up: the range's whole minimum
        ("100 ml", "strong", 66),  # 66.66... rounded down
    ],
)
def test_strengths_follow_the_stated_ratio(
    mini: Catalog, volume: str, strength: str, total: int
) -> None:
    blend = compute_blend(volume, ["lavender"], catalog=mini, strength=strength)
    assert blend.total_drops == total
    assert drops_of(blend) == {"lavender": total}


@pytest.mark.parametrize(
    ("percent", "drops_per_ml", "total"),
    [
        ("0.5", "20", 3),
        ("1", "20", 6),
        ("2", "20", 12),
        ("2.5", "20", 15),
        ("3", "20", 18),
        ("5", "20", 30),
        ("10", "20", 60),
        ("1", "30", 9),
        ("2", "30", 18),
        ("0.7", "20", 4),  # 4.2 rounded down: never above what was asked
    ],
)
def test_dilution_matches_published_charts(
    mini: Catalog, percent: str, drops_per_ml: str, total: int
) -> None:
    blend = compute_blend(
        "30 ml", ["lavender"], catalog=mini, dilution=percent, drops_per_ml=drops_per_ml
    )
    assert blend.total_drops == total


def test_exact_arithmetic_keeps_a_drop_a_float_would_lose(mini: Catalog) -> None:
    # 250 mL at 0.7 % and 20 drops/mL is exactly 35 drops; in binary floats
    # 0.7 / 100 * 250 * 20 = 34.99999999999999, which a floor turns into 34.
    assert math.floor(0.7 / 100 * 250 * 20) == 34
    blend = compute_blend("250 ml", ["lavender"], catalog=mini, dilution="0.7")
    assert blend.total_drops == 35


def test_parts_are_shared_by_largest_remainder_ties_to_the_first(mini: Catalog) -> None:
    blend = compute_blend("30 ml", ["lavender:2", "peppermint"], catalog=mini)
    assert drops_of(blend) == {"lavender": 10, "peppermint": 5}
    tie = compute_blend("30 ml", ["lavender", "peppermint"], catalog=mini, drops=7)
    assert drops_of(tie) == {"lavender": 4, "peppermint": 3}


def test_a_phototoxic_oil_is_held_at_its_limit_and_warned(mini: Catalog) -> None:
    blend = compute_blend("30 ml", ["bergamot", "lavender"], catalog=mini, strength="strong")
    # bergamot 0.4 % of 30 mL = 2.4 drops -> at most 2; lavender takes the surplus.
    assert drops_of(blend) == {"bergamot": 2, "lavender": 18}
    assert "capped" in kinds(blend)
    assert "phototoxic" in kinds(blend)
    assert any("12 hours" in w.message for w in blend.warnings if w.kind == "phototoxic")


def test_limits_that_bind_every_oil_lower_the_total(mini: Catalog) -> None:
    blend = compute_blend("30 ml", ["bergamot"], catalog=mini, drops=20)
    assert blend.total_drops == 2
    assert "capped" in kinds(blend)
    assert blend.lowered is not None
    assert blend.lowered.asked == 20
    assert "lowered from 20 to 2 drops" in blend.target_text


def test_an_oil_with_no_whole_drop_is_said_plainly(mini: Catalog) -> None:
    blend = compute_blend("5 ml", ["lavender", "bergamot"], catalog=mini)
    # bergamot: 0.4 % of 5 mL = 0.4 drop -> none; lavender takes all.
    assert drops_of(blend) == {"lavender": 2}
    assert any(w.kind == "too-small" and w.oil == "bergamot" for w in blend.warnings)


def test_too_little_base_oil_for_one_drop(mini: Catalog) -> None:
    blend = compute_blend("1 ml", ["lavender"], catalog=mini)
    assert not blend.possible
    message = next(w.message for w in blend.warnings if w.kind == "too-small")
    assert "use at least 1.5 mL of base oil" in message


def test_outside_ratio_is_computed_and_warned(mini: Catalog) -> None:
    blend = compute_blend("30 ml", ["lavender"], catalog=mini, drops=40)
    assert blend.total_drops == 40
    assert "outside-ratio" in kinds(blend)


def test_allergy_to_a_named_oil_leaves_it_out(mini: Catalog) -> None:
    blend = compute_blend("30 ml", ["lavender", "peppermint"], catalog=mini, allergies=["linalool"])
    assert drops_of(blend) == {"peppermint": 15}
    assert [item.key for item in blend.excluded] == ["lavender"]
    assert "linalool" in blend.excluded[0].reason
    assert "no-data" in kinds(blend)  # peppermint's constituent data is incomplete


def test_no_named_oil_left_is_no_blend(mini: Catalog) -> None:
    blend = compute_blend("30 ml", ["lavender"], catalog=mini, allergies=["linalool"])
    assert not blend.possible
    assert blend.total_drops == 0
    assert "no-oil-left" in kinds(blend)


def test_purpose_mode_excludes_allergies_with_reasons(mini: Catalog) -> None:
    blend = compute_blend("30 ml", catalog=mini, purpose="brain activity", allergies=["citrus"])
    # With an allergy declared, thyme (constituents checked) comes before peppermint (not).
    assert [item.oil.key for item in blend.oils] == ["thyme", "peppermint"]
    assert [item.key for item in blend.excluded] == ["bergamot"]
    assert "Rutaceae" in blend.excluded[0].reason


def test_unknown_allergen_is_reported(mini: Catalog) -> None:
    blend = compute_blend("30 ml", ["lavender"], catalog=mini, allergies=["kiwi"])
    assert "unknown-allergen" in kinds(blend)


def test_profile_lowers_the_range(mini: Catalog) -> None:
    blend = compute_blend("30 ml", ["lavender"], catalog=mini, profile="sensitive")
    assert blend.whole_range == (3, 6)  # 0.5-1 % of 30 mL
    assert blend.total_drops == 4  # its middle, rounded down
    pregnancy = compute_blend("30 ml", ["lavender"], catalog=mini, profile="pregnancy")
    assert pregnancy.total_drops == 4
    assert any("physician" in w.message for w in pregnancy.warnings if w.kind == "profile")


def test_child_profile_by_age(mini: Catalog) -> None:
    blend = compute_blend("30 ml", catalog=mini, purpose="focus", profile="child", age="4")
    # 1-2 % of 30 mL = 6-12 drops, standard 9; peppermint (not under 6) is left out, and
    # thyme (0.25 % at 2-6 years) and bergamot (0.4 %) hold the rest down to 3 drops.
    assert blend.whole_range == (6, 12)
    assert blend.total_drops == 3
    assert blend.lowered is not None
    assert blend.lowered.asked == 9
    assert "peppermint" in [item.key for item in blend.excluded]
    baby = compute_blend("30 ml", ["lavender"], catalog=mini, profile="child", age="0.25")
    assert not baby.possible


def test_named_oil_against_profile_is_left_out(mini: Catalog) -> None:
    blend = compute_blend(
        "30 ml", ["peppermint", "lavender"], catalog=mini, profile="child", age="3"
    )
    assert [item.key for item in blend.excluded] == ["peppermint"]
    assert drops_of(blend) == {"lavender": 9}


def test_general_cautions_are_warned(mini: Catalog) -> None:
    blend = compute_blend("30 ml", ["thyme"], catalog=mini)
    assert any(w.kind == "caution" and "anticoagulants" in w.message for w in blend.warnings)


def test_every_answer_carries_the_reminders(mini: Catalog) -> None:
    blend = compute_blend("30 ml", ["lavender"], catalog=mini)
    text = " ".join(blend.reminders)
    assert "Patch-test" in text
    assert "tuberculosis" in text
    assert "pain" in text


def test_custom_ratio(mini: Catalog) -> None:
    ratio = parse_ratio("3-6 drops per tsp")
    assert (ratio.min_drops, ratio.max_drops, ratio.per_ml) == (3, 6, 5)
    blend = compute_blend("10 ml", ["lavender"], catalog=mini, ratio="3-6 drops per tsp")
    assert blend.whole_range == (6, 12)
    assert blend.total_drops == 9


@pytest.mark.parametrize(
    ("kwargs", "complaint"),
    [
        ({"volume": "0 ml", "oils": ["lavender"]}, "more than 0"),
        ({"volume": "-5 ml", "oils": ["lavender"]}, "negative"),
        ({"volume": "30 ml", "oils": ["lavender:0"]}, "bad parts"),
        ({"volume": "30 ml", "oils": ["lavender:-1"]}, "bad parts"),
        ({"volume": "30 ml", "oils": ["lavender:x"]}, "bad parts"),
        ({"volume": "30 ml", "oils": ["lavender"], "ratio": "10-5 drops per tbsp"}, "more than"),
        ({"volume": "30 ml", "oils": ["lavender"], "ratio": "lots"}, "not a ratio"),
        ({"volume": "30 ml", "oils": ["lavender"], "dilution": "0"}, "out of range"),
        ({"volume": "30 ml", "oils": ["lavender"], "dilution": "-1"}, "negative"),
        ({"volume": "30 ml", "oils": ["lavender"], "dilution": "101"}, "10 %"),
        ({"volume": "30 ml", "oils": ["lavender"], "dilution": "10.5"}, "short-term maximum"),
        ({"volume": "30 ml", "oils": ["lavender"], "drops": 61}, "1 to 60 drops"),
        ({"volume": "30 ml", "oils": ["lavender"], "ratio": "1-11 drops per 5 ml"}, "10 %"),
        ({"volume": "30 ml", "oils": ["lavender"], "ratio": "5-10 drops per  "}, "no volume"),
        ({"volume": "30 ml", "oils": ["lavender"], "ratio": "5-10 drops per /2"}, "not a volume"),
        ({"volume": "30 ml", "oils": ["lavender"], "profile": "child"}, "--age"),
        ({"volume": "30 ml", "oils": ["lavender"], "profile": "teen"}, "unknown profile"),
        ({"volume": "30 ml", "oils": []}, "name at least one oil"),
        ({"volume": "30 ml", "oils": ["lavender", "lavender"]}, "named twice"),
        ({"volume": "30 ml", "oils": ["lavender"], "drops": 5, "dilution": "2"}, "not --drops"),
        ({"volume": "30 ml", "oils": ["lavender"], "drops_per_ml": "0"}, "out of range"),
    ],
)
def test_bad_input(mini: Catalog, kwargs: dict[str, object], complaint: str) -> None:
    volume = kwargs.pop("volume")
    oils = kwargs.pop("oils")
    with pytest.raises(BadInput, match=complaint):
        compute_blend(volume, oils, catalog=mini, **kwargs)  # type: ignore[arg-type]


def test_unknown_oil_suggests(mini: Catalog) -> None:
    with pytest.raises(UnknownName, match="did you mean 'lavender'"):
        compute_blend("30 ml", ["lavendr"], catalog=mini)


def test_shipped_catalog_blend_from_the_source_ratio(shipped: Catalog) -> None:
    blend = compute_blend("2 tbsp", ["lavender", "peppermint"], catalog=shipped)
    assert blend.total_drops == 15
    assert sum(drops_of(blend).values()) == 15


# Properties -------------------------------------------------------------------------------

parts_strategy = st.fractions(min_value=Fraction(1, 4), max_value=Fraction(10), max_denominator=4)


@given(
    total=st.integers(min_value=0, max_value=500),
    parts=st.lists(parts_strategy, min_size=1, max_size=5),
    data=st.data(),
)
def test_share_by_parts_properties(total: int, parts: list[Fraction], data: st.DataObject) -> None:
    caps = data.draw(
        st.lists(
            st.one_of(st.none(), st.integers(min_value=0, max_value=200)),
            min_size=len(parts),
            max_size=len(parts),
        )
    )
    shared = share_drops(total, parts, [OilLimits(cap) for cap in caps])
    drops, held = shared.drops, shared.held
    for count, cap in zip(drops, caps, strict=True):
        assert count >= 0
        assert cap is None or count <= cap
    capacity = sum(math.inf if cap is None else cap for cap in caps)
    assert sum(drops) == min(total, capacity)
    if not held:
        for count, share in zip(drops, parts, strict=True):
            exact = total * share / sum(parts)
            assert abs(count - exact) < 1


@settings(max_examples=150, deadline=None)
@given(
    ml=st.fractions(min_value=Fraction(1, 2), max_value=Fraction(5000), max_denominator=100),
    drops_per_ml=st.sampled_from(["20", "25", "30", "34", "45"]),
    strength=st.sampled_from(["gentle", "standard", "strong"]),
    oils=st.lists(
        st.sampled_from(["lavender:1", "peppermint:2", "bergamot:1", "thyme:3"]),
        min_size=1,
        max_size=4,
        unique_by=lambda spec: spec.split(":")[0],
    ),
)
def test_blend_properties(
    mini: Catalog, ml: Fraction, drops_per_ml: str, strength: str, oils: list[str]
) -> None:
    volume = f"{ml.numerator}/{ml.denominator} ml"
    blend = compute_blend(volume, oils, catalog=mini, strength=strength, drops_per_ml=drops_per_ml)
    assert sum(drops_of(blend).values()) == blend.total_drops
    for item in blend.oils:
        if item.limit_percent is not None:
            assert item.percent <= item.limit_percent
    low, high = blend.exact_range
    if blend.total_drops and not low <= blend.total_drops <= high:
        assert {"below-range", "too-small", "capped"} & set(kinds(blend))
    if not blend.total_drops:
        assert "too-small" in kinds(blend)
    bigger = compute_blend(
        f"{(ml * 2).numerator}/{(ml * 2).denominator} ml",
        oils,
        catalog=mini,
        strength=strength,
        drops_per_ml=drops_per_ml,
    )
    assert bigger.total_drops >= blend.total_drops


@given(low=st.fractions(min_value=0, max_value=100), width=st.fractions(min_value=0, max_value=50))
def test_whole_drop_range_is_inside_the_exact_range(low: Fraction, width: Fraction) -> None:
    whole_low, whole_high = whole_drop_range(low, low + width)
    assert whole_low >= low
    assert whole_high <= low + width
    assert whole_low - low < 1
    assert low + width - whole_high < 1


def test_a_child_range_meeting_no_whole_drop_uses_its_maximum(mini: Catalog) -> None:
    # 0.25-0.5 % of 2 mL = 0.1-0.2 drops: not one whole drop.
    blend = compute_blend("2 ml", ["lavender"], catalog=mini, profile="child", age="1")
    assert not blend.possible
    assert "too-small" in kinds(blend)
    # 0.25-0.5 % of 5 mL at 20 drops per mL = 0.25-0.5 drops; of 10 mL: 0.5-1, one drop.
    ten = compute_blend("10 ml", ["lavender"], catalog=mini, profile="child", age="1")
    assert ten.whole_range == (1, 1)
    assert ten.total_drops == 1
