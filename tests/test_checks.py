"""Python evaluation of the rules on hand-written values (what each rule must say)."""
from __future__ import annotations

import datetime as dt

import pytest

from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.checks import NOT_FOUND, check_values, evaluate
from cchc_xl.forms.expr import Lit, Op, Ref, fn, if_
from cchc_xl.forms.numbers import cell_value, serial_date
from cchc_xl.forms.periods import Period
from cchc_xl.forms.rules import build_rules

RULES = build_rules(load_form("xa_2023"), Period.parse("2023-Q2"))


def _flags(values, only=None):
    found = {f.rule: f.message for f in check_values(RULES, values) if f.severity == "error"}
    return {k: v for k, v in found.items() if only is None or k.startswith(only)}


CHANNELS = {"3.3.1.a": 255, "3.3.1.b": 0, "3.3.1.c": 172, "3.3.1.d": 198}


@pytest.mark.parametrize("values, expected", [
    ({"3.3.1": 602, **CHANNELS}, {"sum:3.3.1": "Tổng các kênh tiếp nhận 625 ≠ 602"}),
    ({"3.3.1": 625, **CHANNELS}, {}),
    ({**CHANNELS}, {"sum:3.3.1": "Chưa nhập tổng (các thành phần cộng lại 625)"}),
    ({"3.3.1": 602, "3.3.1.a": 255, "3.3.1.b": "x"}, {}),  # text part: the type rule speaks
    ({"3.3.1": 602}, {}),  # no parts at all: nothing to add up
    ({"3.3.1": 600, "3.3.1.a": 600}, {}),  # blank parts add nothing, flagged by "required"
])
def test_sum_of_parts(values, expected):
    assert _flags(values, "sum:3.3.1") == expected


@pytest.mark.parametrize("value, rule, message", [
    (-3, "whole:3.5", "Phải là số nguyên ≥ 0 (đang là -3)"),
    (2.5, "whole:3.5", "Phải là số nguyên ≥ 0 (đang là 2.5)"),
    ("12 hồ sơ", "whole:3.5", "Không phải số: 12 hồ sơ"),
    (1e308, None, None),
])
def test_counts_are_whole_numbers(value, rule, message):
    assert _flags({"3.5": value}, "whole:") == ({rule: message} if rule else {})


def test_percent_range_and_exclusive_shares():
    flags = _flags({"7.2.3.a": 263, "7.2.3.b": 20})
    assert flags["percent:7.2.3.a"] == "Tỷ lệ 263% ngoài khoảng 0–100"
    assert flags["le:7.2.3.a+7.2.3.b<=100"] == "Tổng hai tỷ lệ loại trừ nhau 283% > 100%"
    assert _flags({"7.2.3.a": 33.33, "7.2.3.b": 66.67}) == {}


def test_code_in_allowed_set():
    assert _flags({"1.5": 2}) == {"choice:1.5": "Mã 2 không hợp lệ (0 = Không, 1 = Có)"}
    assert _flags({"7.1": 2}) == {}


def test_date_within_period():
    late = cell_value(dt.datetime(2023, 12, 30))
    assert _flags({"1.1": late}) == {"date:1.1": "Ngày 30/12/2023 sau kỳ báo cáo (đến 30/6/2023)"}
    assert _flags({"1.1": cell_value(dt.datetime(2022, 12, 30))}) == {}
    assert _flags({"1.1": "chưa ban hành"}) == {"date:1.1": "Không phải ngày (dd/mm/yyyy): chưa ban hành"}


LATE = "Ngày {} sau kỳ báo cáo (đến 30/6/2023)"
NO_DATE = "Không phải ngày (dd/mm/yyyy): {}"


#: Texts in a date row and the flag each raises (`{}`: the text itself); test_rule_agreement
#: recalculates them all in LibreOffice.
DATE_TEXTS = [
    ("QĐ Số 252/QĐ-UBND ngày 30/12/2022", ""),  # seed 001, as every commune writes it
    ("QĐ Số 252/QĐ-UBND ngày 30/12/2023", LATE.format("30/12/2023")),  # seed 001 as printed: after Q2
    ("30/12/2022", ""), ("30-12-2022", ""), ("30.12.2022", ""), ("  30/12/2022  ", ""),
    ("30.12.2023", LATE.format("30.12.2023")),
    ("Quyết định số 252/QĐ-UBND ngày 30/06/2023 của Chủ tịch UBND xã", ""),  # the period's last day
    ("Kế hoạch số 01/KH-UBND Ngày 01/07/2023", LATE.format("01/07/2023")),
    ("KẾ HOẠCH SỐ 01 NGÀY 05/01/2023", ""),
    ("QĐ số 252 ngày\u00a030/12/2022", ""),  # a no-break space pasted from Word
    ("ngày 29/02/2024", LATE.format("29/02/2024")), ("ngày 29/02/2023", NO_DATE), ("31/04/2023", NO_DATE),
    ("ngày 00/12/2022", NO_DATE), ("ngày 30/13/2022", NO_DATE), ("ngày 30/12/20221", NO_DATE),
    ("ngày 30/12/1999", NO_DATE), ("ngày 30|12|2022", NO_DATE), ("5/1/2023", NO_DATE),
    ("252/QĐ-UBND 30/12/2022", NO_DATE),  # the date must follow "ngày" or start the text
    ("ngày", NO_DATE), ("ngày 3", NO_DATE), ("Không có", NO_DATE), ("|", NO_DATE),
]


@pytest.mark.parametrize(("text", "expected"), DATE_TEXTS)
def test_date_written_in_text(text, expected):
    """A text in a date row: the date after "ngày" (or the whole text) is checked like a date."""
    assert _flags({"1.1": text}).get("date:1.1", "") == expected.format(text)


def test_required_blank_is_not_zero():
    missing = {f.rule for f in check_values(RULES, {"3.5": 0}) if f.severity == "missing"}
    assert "required:3.5" not in missing and "required:3.4.3" in missing


def test_required_if_condition():
    missing = lambda values: {f.rule for f in check_values(RULES, values) if f.severity == "missing"}  # noqa: E731
    assert "required:1.4.2" not in missing({"1.4.1": 0})
    assert "required:1.4.2" in missing({"1.4.1": 25})


def test_if_is_lazy_and_unguarded_arithmetic_on_text_is_a_bug():
    guarded = if_(fn("ISNUMBER", Ref("a")), Op("+", Ref("a"), Lit(1)), "text")
    assert evaluate(guarded, {"a": "x"}.get) == "text"
    with pytest.raises(TypeError):
        evaluate(Op("+", Ref("a"), Lit(1)), {"a": "x"}.get)


def test_text_functions_mean_what_the_spreadsheet_means():
    lit = lambda *args: tuple(Lit(a) for a in args)  # noqa: E731
    assert evaluate(fn("SEARCH", *lit("NGÀY", "QĐ số 1 ngày 2")), lambda c: None) == 9
    assert evaluate(fn("FIND", *lit("NGÀY", "QĐ số 1 ngày 2")), lambda c: None) is NOT_FOUND
    assert evaluate(fn("ISNUMBER", fn("FIND", *lit("x", "abc"))), lambda c: None) is False
    assert evaluate(fn("FIND", *lit("", "abc")), lambda c: None) == 1
    assert evaluate(fn("TRIM", *lit("  a   b  ")), lambda c: None) == "a b"
    assert evaluate(fn("MID", *lit("30/12/2022", 4, 2)), lambda c: None) == "12"
    assert evaluate(fn("SUBSTITUTE", *lit("a.b.c", ".", "/")), lambda c: None) == "a/b/c"
    assert evaluate(fn("DATE", *lit(2023, 2, 31)), lambda c: None) == serial_date(2023, 3, 3)
    assert evaluate(fn("DATE", *lit(2023, 13, 1)), lambda c: None) == serial_date(2024, 1, 1)
    with pytest.raises(TypeError):  # #VALUE! used as text: a rule must guard it with ISNUMBER
        evaluate(Op("&", Lit("at "), fn("FIND", *lit("x", "abc"))), lambda c: None)
