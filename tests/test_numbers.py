"""Number formatting in messages and Vietnamese number parsing, as parameter tables."""
from __future__ import annotations

import datetime as dt

import pytest

from cchc_xl.forms.numbers import (
    cell_value,
    date_of,
    general,
    kind_of,
    parse_number,
    serial_date,
)


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
    ("12 hồ sơ", None), ("1.690,5", 1690.5), ("1.690,0", 1690), ("-12.345.678,25", -12345678.25),
    ("1.69,5", None), ("1,690.5", None), ("1.690,", None),
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


MOMENTS = [dt.date(1900, 1, 1), dt.date(1900, 2, 28), dt.date(1900, 3, 1), dt.date(2022, 12, 30),
           dt.datetime(2023, 6, 30, 17, 45, 12, 250000), dt.datetime(1900, 1, 1, 6), dt.date(9999, 12, 31),
           dt.time(0, 0), dt.time(12, 30, 15), dt.time(23, 59, 59, 999999)]


@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_serial_numbers_are_those_openpyxl_and_the_spreadsheets_use(moment):
    from openpyxl.utils.datetime import from_excel, to_excel
    assert cell_value(moment) == float(to_excel(moment))
    if not isinstance(moment, dt.time):
        as_date = moment.date() if isinstance(moment, dt.datetime) else moment
        assert date_of(cell_value(moment)) == from_excel(cell_value(moment)).date() == as_date


@pytest.mark.parametrize("number", [1, 59, 60, 61, 44925.5, 44925.9999999999, 2958465, -1.5])
def test_a_serial_number_falls_on_the_day_openpyxl_reads(number):
    from openpyxl.utils.datetime import from_excel
    assert date_of(number) == from_excel(number).date()


def test_the_serial_of_a_date_is_what_excel_shows():
    assert (serial_date(2022, 12, 30), serial_date(1900, 2, 28), serial_date(1900, 3, 1)) == (44925.0, 59.0, 61.0)
