"""Number formatting in messages and Vietnamese number parsing, as parameter tables."""
from __future__ import annotations

import datetime as dt

import pytest

from cchc_xl.forms.numbers import cell_value, general, kind_of, parse_number


@pytest.mark.parametrize("value, text", [
    (625, "625"), (47.37, "47.37"), (0.1 + 0.2, "0.3"), (1 / 3, "0.333333333333333"),
    (-3, "-3"), (1e15, "1000000000000000"), (1e16, "1E+016"), (1e20, "1E+020"), (1e308, "1E+308"),
    (123456789012345678, "1.23456789012346E+017"), (0.000123, "0.000123"), (0, "0"),
])
def test_general_format_matches_libreoffice(value, text):
    assert general(value) == text


@pytest.mark.parametrize("text, number", [
    ("1.145", 1145), ("12.345.678", 12345678), ("47,37", 47.37), ("03", 3), ("100%", 100),
    (" 602 ", 602), ("-5", -5), ("12.5", 12.5), ("abc", None), ("1.2.3", None), ("", None),
    ("12 hồ sơ", None),
])
def test_parse_vietnamese_numbers(text, number):
    assert parse_number(text) == number


def test_cell_values_keep_blank_apart_from_zero():
    assert kind_of(cell_value(None)) == "blank"
    assert kind_of(cell_value("")) == "blank"
    assert kind_of(cell_value(0)) == "number"
    assert kind_of(cell_value(" ")) == "text"
    assert kind_of(cell_value(True)) == "bool"
    assert cell_value(dt.datetime(2023, 6, 30)) == 45107.0
