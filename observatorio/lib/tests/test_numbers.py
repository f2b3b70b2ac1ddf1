"""Numbers printed the es-MX way, whatever the source printed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from observatorio.lib.numbers import format_figure, format_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (21424, "21,424"),
        (Decimal("1432.0000"), "1,432"),
        (Decimal("1212252.0000"), "1,212,252"),
        (Decimal("3499.1000"), "3,499.1"),
        (Decimal("13.8100"), "13.81"),
        (0, "0"),
        (Decimal("0.0000"), "0"),
        (999, "999"),
        (-1500, "-1,500"),
        (None, ""),
    ],
)
def test_numbers_group_thousands_with_commas_and_keep_their_decimals(value, expected):
    assert format_number(value) == expected


def test_places_round_a_number():
    assert format_number(Decimal("13.8149"), places=2) == "13.81"
    assert format_number(2.5, places=0) == "2"  # banker's rounding, as Decimal does
    assert format_number(1234.5, places=1) == "1,234.5"


def test_percentages_take_a_space_before_the_sign():
    assert format_figure(Decimal("13.8100"), "%") == "13.81 %"
    assert format_figure(Decimal("72.0000"), "%") == "72 %"
    assert format_figure(Decimal("21424"), "personas") == "21,424"
    assert format_figure(None, "%") == ""


def test_text_that_is_not_a_number_is_returned_as_it_is():
    assert format_number("doce") == "doce"
