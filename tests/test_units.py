from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blendcalc.errors import BadInput, UnknownName
from blendcalc.units import convert, parse_quantity, parse_unit, parse_volume, to_ml


@pytest.mark.parametrize(
    ("text", "ml"),
    [
        ("30ml", Fraction(30)),
        ("30 ml", Fraction(30)),
        ("30 mL", Fraction(30)),
        ("30 ML", Fraction(30)),
        ("2 tbsp", Fraction(30)),
        ("2tbsp", Fraction(30)),
        ("2 tablespoons", Fraction(30)),
        ("1/2 tsp", Fraction(5, 2)),
        ("1 1/2 tsp", Fraction(15, 2)),
        ("½ tsp", Fraction(5, 2)),
        ("1.5 fl oz", Fraction("44.36029434375")),
        ("1 fl. oz.", Fraction("29.5735295625")),
        ("1 oz", Fraction("29.5735295625")),
        ("1 imperial_floz", Fraction("28.4130625")),
        ("1 us_tsp", Fraction("4.92892159375")),
        ("1 us_tbsp", Fraction("14.78676478125")),
        ("1 au_tbsp", Fraction(20)),
        ("1 cup", Fraction(250)),
        ("1 us_cup", Fraction("236.5882365")),
        ("1 cl", Fraction(10)),
        ("1 dl", Fraction(100)),
        ("1 L", Fraction(1000)),
        ("0.5 litres", Fraction(500)),
        ("600 drops", Fraction(30)),
        ("1 gtt", Fraction(1, 20)),
    ],
)
def test_known_volumes_in_ml(text: str, ml: Fraction) -> None:
    assert to_ml(parse_quantity(text)) == ml


def test_a_bare_number_is_ml_only_where_a_base_volume_is_asked() -> None:
    assert parse_volume("30").ml == 30
    with pytest.raises(BadInput, match="no unit"):
        parse_quantity("30")


@pytest.mark.parametrize(
    ("quantity", "unit", "drops_per_ml", "expected"),
    [
        ("2 tbsp", "ml", 20, Fraction(30)),
        ("1 fl oz", "ml", 20, Fraction("29.5735295625")),
        ("30 ml", "drops", 20, Fraction(600)),
        ("30 ml", "drops", 30, Fraction(900)),
        ("600 drops", "ml", 20, Fraction(30)),
        ("1 tsp", "drops", 20, Fraction(100)),
        ("1 l", "fl oz", 20, Fraction(1000) / Fraction("29.5735295625")),
    ],
)
def test_exact_conversions(quantity: str, unit: str, drops_per_ml: int, expected: Fraction) -> None:
    result = convert(parse_quantity(quantity), parse_unit(unit), Fraction(drops_per_ml))
    assert result.value == expected


def test_near_miss_units_get_a_suggestion() -> None:
    with pytest.raises(UnknownName) as caught:
        parse_unit("tbps")
    assert "tbsp" in caught.value.suggestions


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "empty"),
        ("0 ml", "more than 0"),
        ("-5 ml", "negative"),
        ("nan ml", "not a number"),
        ("inf ml", "not a number"),
        ("1e400 ml", "exponent"),
        ("9**9**9 ml", "not a quantity"),
        ("2000 l", "at most 1000 L"),
        ("1000000001 ml", "at most 1000 L"),
        ("30 g", "a mass"),
        ("30 kg", "a mass"),
        ("30 furlongs", "unknown unit"),
        ("ml", "no number"),
    ],
)
def test_bad_quantities(text: str, complaint: str) -> None:
    with pytest.raises(BadInput, match=complaint):
        parse_volume(text)


@given(st.fractions(min_value=Fraction(1, 1000), max_value=Fraction(10**5)))
def test_ml_to_drops_and_back_is_exact(ml: Fraction) -> None:
    drops = convert(parse_quantity("1 ml"), parse_unit("drops")).value * ml
    back = convert(parse_quantity("1 drop"), parse_unit("ml")).value * drops
    assert back == ml
