"""Periods: the quarters they cover, the one before, and their deadlines (seed 004, configurable)."""
from __future__ import annotations

import datetime as dt

import pytest

from cchc_xl.forms.config import ConfigError, load_config
from cchc_xl.forms.periods import Deadlines, Period, PeriodError

P = Period.parse


@pytest.mark.parametrize("period, quarters", [
    ("2023-Q3", ["2023-Q3"]), ("2023-6T", ["2023-Q1", "2023-Q2"]),
    ("2023-9T", ["2023-Q1", "2023-Q2", "2023-Q3"]), ("2023", ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]),
])
def test_quarters_covered(period, quarters):
    assert [q.key for q in P(period).quarters] == quarters


@pytest.mark.parametrize("period, previous", [
    ("2023-Q1", "2022-Q4"), ("2023-Q3", "2023-Q2"), ("2023-6T", "2022-6T"), ("2023", "2022"),
])
def test_previous(period, previous):
    assert P(period).previous == P(previous)


@pytest.mark.parametrize("period, due", [  # seed 004: before the 12th of March, June, September;
    ("2024-Q1", dt.date(2024, 3, 12)),     # the year before 22 November
    ("2024-6T", dt.date(2024, 6, 12)), ("2024-Q2", dt.date(2024, 6, 12)),
    ("2024-9T", dt.date(2024, 9, 12)), ("2024", dt.date(2024, 11, 22)), ("2024-Q4", dt.date(2024, 11, 22)),
])
def test_shipped_deadlines(period, due):
    assert Deadlines.load().due_before(P(period)) == due


def test_before_the_day_means_strictly_before():
    deadlines = Deadlines.load()
    assert deadlines.on_time(P("2024-Q1"), dt.date(2024, 3, 11))
    assert not deadlines.on_time(P("2024-Q1"), dt.date(2024, 3, 12))


def test_override_file_replaces_only_its_keys(tmp_path):
    path = tmp_path / "tinh.toml"
    path.write_text('[deadlines]\nN = "01-15"\nQ1 = "03-20"\n', "utf-8")
    deadlines = Deadlines.load(path)
    assert deadlines.due_before(P("2024")) == dt.date(2025, 1, 15)   # before the period: next year
    assert deadlines.due_before(P("2024-Q1")) == dt.date(2024, 3, 20)
    assert deadlines.due_before(P("2024-6T")) == dt.date(2024, 6, 12)
    assert load_config(path)["trends"] == load_config()["trends"]


@pytest.mark.parametrize("text", [
    '[deadlines]\nQ1 = "12/03"\n', '[deadlines]\nQ1 = "02-30"\n', '[deadlines]\nQ1 = "02-29"\n',
    '[hạn]\nQ1 = "03-12"\n', 'deadlines = [',
])
def test_bad_settings_are_refused_with_the_file_named(tmp_path, text):
    path = tmp_path / "sai.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match="sai.toml|tháng-ngày"):
        Deadlines.load(path)


def test_missing_settings_file(tmp_path):
    with pytest.raises(ConfigError, match="khong_co.toml"):
        Deadlines.load(tmp_path / "khong_co.toml")


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
