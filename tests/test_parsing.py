"""Lenient reading of what a value cell holds: every reading announced, blank never 0."""
from __future__ import annotations

import pytest

from cchc_xl.forms.numbers import serial_date
from cchc_xl.read.parsing import parse_value


@pytest.mark.parametrize(("value", "kind", "expected"), [
    (None, "count", (None, None)),
    (12, "count", (12, None)),
    ("1.145", "count", (1145, "number_text")),
    ("47,37", "percent", (47.37, "number_text")),
    ("03", "count", (3, "number_text")),
    ("100%", "percent", (100, "number_text")),
    ("không có", "count", ("không có", "text")),
    ("30/12/2023", "date", (serial_date(2023, 12, 30), "date_text")),
    ("31/02/2023", "date", ("31/02/2023", None)),  # no date: the date rule flags it
    ("QĐ Số 252/QĐ-UBND ngày 30/12/2022", "date", ("QĐ Số 252/QĐ-UBND ngày 30/12/2022", None)),
    ("Có công khai", "text", ("Có công khai", None)),
])
def test_parse_value(value, kind, expected):
    assert parse_value(value, kind) == expected
