from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blendcalc.errors import BadInput
from blendcalc.numbers import format_number, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30", Fraction(30)),
        ("1.5", Fraction(3, 2)),
        (".5", Fraction(1, 2)),
        ("0.1", Fraction(1, 10)),  # exact: not 0.1000000000000000055...
        ("1/2", Fraction(1, 2)),
        ("1 1/2", Fraction(3, 2)),
        ("½", Fraction(1, 2)),
        ("1½", Fraction(3, 2)),
        ("2 ¾", Fraction(11, 4)),
        (" 7 ", Fraction(7)),
    ],
)
def test_reads_the_forms_people_write(text: str, expected: Fraction) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "empty"),
        ("-1", "negative"),
        ("nan", "not a number"),
        ("inf", "not a number"),
        ("1e400", "exponent"),
        ("1,5", "comma"),
        ("9**9**9", "not a number"),
        ("1/0", "divides by zero"),
        ("1" * 50, "too long"),
        ("abc", "not a number"),
    ],
)
def test_refuses_what_is_not_a_plain_number(text: str, complaint: str) -> None:
    with pytest.raises(BadInput, match=complaint):
        parse_number(text)


def test_format_rounds_half_to_even_and_strips_zeros() -> None:
    assert format_number(Fraction(30)) == "30"
    assert format_number(Fraction(473176473, 16000000)) == "29.5735"
    assert format_number(Fraction(1, 30)) == "0.0333"
    assert format_number(Fraction(1, 20000000)) == "0"


def test_format_keeps_its_places_for_huge_values() -> None:
    # Found by tests/test_fuzz.py: 60 significant digits could not hold a 71-digit whole part
    # and its places (decimal.InvalidOperation, an internal error of `blend --ratio`).
    huge = Fraction(3 * 10**70 + 1, 3)
    assert format_number(huge) == "1" + "0" * 70 + ".3333"
    assert format_number(huge, 2) == "1" + "0" * 70 + ".33"


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False))
def test_decimal_text_round_trips_exactly(value: object) -> None:
    text = f"{value:f}"
    assert parse_number(text) == Fraction(text)


@pytest.mark.parametrize("text", ["١٢", "１２", "𝟙𝟚", "1.٥"])
def test_only_ascii_digits_are_numbers(text: str) -> None:
    # Python's Fraction and int read these as 12; a quantity's unit matching did not, so
    # "--dilution ١٢" meant 12 % while "١٢ ml" was refused. One rule: 0-9.
    with pytest.raises(BadInput):
        parse_number(text)
