from __future__ import annotations

import datetime as dt

import pytest

from cchc_xl.periods import Period, PeriodError


@pytest.mark.parametrize("text, label, start, end", [
    ("2023-Q1", "Quý I năm 2023", dt.date(2023, 1, 1), dt.date(2023, 3, 31)),
    ("2023-Q2", "Quý II năm 2023", dt.date(2023, 4, 1), dt.date(2023, 6, 30)),
    ("2023-6T", "6 tháng năm 2023", dt.date(2023, 1, 1), dt.date(2023, 6, 30)),
    ("2023-9t", "9 tháng năm 2023", dt.date(2023, 1, 1), dt.date(2023, 9, 30)),
    ("2023", "Năm 2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
])
def test_period_parse(text, label, start, end):
    period = Period.parse(text)
    assert (period.label, period.start, period.end) == (label, start, end)
    assert Period.parse(period.key) == period


@pytest.mark.parametrize("text", ["2023-Q5", "Q2", "2023-7T", ""])
def test_bad_period_is_refused_in_vietnamese(text):
    with pytest.raises(PeriodError, match="Kỳ báo cáo"):
        Period.parse(text)
