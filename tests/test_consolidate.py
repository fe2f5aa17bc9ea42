"""The pure consolidation: placing values, duplicates, the expected list, per-commune flags."""
from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from cchc_xl.commune.samples import load_sample
from cchc_xl.district.consolidate import consolidate
from cchc_xl.district.placing import checked
from cchc_xl.forms.numbers import cell_value
from cchc_xl.forms.periods import Period
from cchc_xl.read.inputs import Received, Source
from cchc_xl.read.reader import Submission
from cchc_xl.read.units import unit_key

Q2 = Period(2023, "Q2")
HOANG_LUU_FLAGS = {"sum:3.3.1", "sum:3.3.2", "le:3.4.3<=3.1.3", "le:4.1.2<=4.1.1",
                   "le:7.2.3.a+7.2.3.b<=100", "date:1.1"}


def received(unit: str | None, values: dict, *, file: str | None = None, form: str = "xa_2023",
             period: Period | None = Q2, minute: int = 0) -> Received:
    """A submission as the reader returns it, each value in column D of its own row."""
    cells = {code: f"D{8 + i}" for i, code in enumerate(values)}
    submission = Submission(path=Path(file or f"{unit}.xlsx"), form=form, sheet="Phụ lục 01b", unit=unit,
                            period=period, values=dict(values), parsed=dict(values), cells=cells)
    source = Source(submission.path, "0" * 64, dt.datetime(2023, 7, 5, 8, minute))
    return Received(submission, source)


@pytest.mark.parametrize("left, right", [
    ("Xã Hoằng Lưu", "hoằng lưu"),
    ("Xã Hoằng Lưu", unicodedata.normalize("NFD", "XÃ  HOẰNG LƯU ")),
    ("Thị trấn Bút Sơn", "Bút Sơn"),
    ("UBND xã Hoằng Đạo", "Xã Hoằng Đạo"),
])
def test_commune_names_match_leniently(left, right):
    assert unit_key(left) == unit_key(right)


def test_different_communes_stay_apart():
    assert unit_key("Xã Hoằng Phú") != unit_key("Xã Hoằng Phụ")


def test_values_are_placed_and_checked_per_commune(tmp_path):
    result = consolidate([received("Xã A", {"3.3.1": 10, "3.3.1.a": 4, "3.3.1.b": 7}),
                          received("Xã B", {"3.3.1": 10, "3.3.1.a": 10})], "Huyện X", Q2)
    a, b = result.communes
    assert (a.name, a.values["3.3.1"], a.cells["3.3.1"]) == ("Xã A", 10, "Phụ lục 01b!D8")
    assert "sum:3.3.1" in {f.rule for f in a.findings}
    assert "sum:3.3.1" not in {f.rule for f in b.findings}


def test_duplicate_commune_keeps_the_newest_file_and_reports_the_other():
    old = received("Xã A", {"1.1.1": 5}, file="a_old.xlsx", minute=1)
    new = received("xã a", {"1.1.1": 7}, file="a_new.xlsx", minute=30)
    result = consolidate([old, new, received("Xã B", {"1.1.1": 1})], "Huyện X", Q2)
    assert [c.values["1.1.1"] for c in result.communes] == [7, 1]
    assert [(d.kept.source.path.name, d.dropped.source.path.name) for d in result.duplicates] == \
        [("a_new.xlsx", "a_old.xlsx")]
    assert [p.file for p in result.problems if p.kind == "duplicate"] == ["a_old.xlsx"]


def test_expected_list_orders_names_and_finds_missing_and_unknown():
    submitted = [received("xã hoằng phú", {}), received("Xã Lạ", {}),
                 received(unicodedata.normalize("NFD", "Xã Hoằng Lưu"), {})]
    result = consolidate(submitted, "Huyện X", Q2,
                         expected=["Xã Hoằng Lưu", "Xã Hoằng Phú", "Thị trấn Bút Sơn"])
    assert [c.name for c in result.communes] == ["Xã Hoằng Lưu", "Xã Hoằng Phú", "Xã Lạ"]
    assert result.missing == ("Thị trấn Bút Sơn",)
    assert result.unknown == ("Xã Lạ",)


def test_without_expected_list_nothing_is_missing_or_unknown():
    result = consolidate([received("Xã A", {})], "Huyện X", Q2)
    assert (result.expected, result.missing, result.unknown) == (None, (), ())


def test_value_without_a_place_is_reported_not_dropped():
    result = consolidate([received("Xã A", {"3.1": 187, "1": None, "9.9": 4})], "Huyện X", Q2)
    unplaced = {p.code for p in result.problems if p.kind == "unplaced"}
    assert unplaced == {"3.1", "9.9"}
    assert result.communes[0].values == {}


def test_2022_codes_are_mapped_onto_2023_and_unmapped_ones_reported():
    year = Period(2022, "N")
    result = consolidate([received("Xã Quảng Hòa", {"3.3.1": 3192, "3.3.1.a": 2673, "4.1.1": 1},
                                   form="xa_2022", period=year)], "Huyện X", year)
    commune = result.communes[0]
    assert commune.values == {"3.3.1": 3192, "3.3.1.a": 2673}
    assert [(p.kind, p.code) for p in result.problems] == [("unplaced", "4.1.1")]


def test_a_file_of_another_period_is_never_counted_even_when_newer():
    """The period decides before the date: Q1 saved after Q2 is set aside, with its period."""
    q1 = received("Xã A", {"1.1.1": 5}, file="a_q1.xlsx", period=Period(2023, "Q1"), minute=50)
    q2 = received("Xã A", {"1.1.1": 7}, file="a_q2.xlsx", minute=10)
    old_q2 = received("xã a", {"1.1.1": 6}, file="a_q2_cu.xlsx", minute=5)
    result = consolidate([q1, q2, old_q2], "Huyện X", Q2)
    assert [(c.name, c.values["1.1.1"]) for c in result.communes] == [("Xã A", 7)]
    assert [(d.kept.source.path.name, d.dropped.source.path.name) for d in result.duplicates] == \
        [("a_q2.xlsx", "a_q2_cu.xlsx")]
    assert [(p.file, p.kind, p.message) for p in result.problems if p.kind == "period"] == \
        [("a_q1.xlsx", "period", "Tệp 'a_q1.xlsx' (Xã A) ghi kỳ Quý I năm 2023, khác kỳ tổng hợp Quý II năm 2023; "
                                 "không cộng vào Quý II năm 2023.")]


def test_a_file_stating_no_period_is_counted():
    result = consolidate([received("Xã A", {"1.1.1": 5}, period=None)], "Huyện X", Q2)
    assert [c.values["1.1.1"] for c in result.communes] == [5] and not result.problems


def test_missing_unit_falls_back_to_the_file_name():
    result = consolidate([received(None, {"1.1.1": 3}, file="xa_hoang_chau.xlsx")], "Huyện X", Q2)
    assert result.communes[0].name == "xa_hoang_chau"
    assert [p.kind for p in result.problems] == ["unit"]


def test_hoang_luu_real_values_raise_the_seed_errors():
    sample = load_sample("hoang_luu_2023_q2")
    values = {code: _as_cell(value) for code, value in sample.values.items()}
    result = consolidate([received(sample.unit, values)], "Huyện Hoằng Hóa", Q2)
    assert {f.rule for f in result.communes[0].findings} == HOANG_LUU_FLAGS
    assert (result.error_count, result.missing_count) == (6, 0)


def test_a_file_checked_where_it_was_read_gives_the_same_column():
    sample = load_sample("hoang_luu_2023_q2")
    item = received(sample.unit, {code: _as_cell(value) for code, value in sample.values.items()})
    ahead = checked(item, "xa_2023", Q2)
    columns = [[(c.values, c.cells, c.findings) for c in consolidate(items, "Huyện Hoằng Hóa", Q2).communes]
               for items in ([item], [ahead])]
    assert columns[0] == columns[1]
    assert {f.rule for f in ahead.findings} == HOANG_LUU_FLAGS


def test_a_file_checked_for_another_period_is_checked_again():
    """Checked ahead for the year (the plan dated 30/12/2023 is then in time), consolidated for Q2."""
    sample = load_sample("hoang_luu_2023_q2")
    item = received(sample.unit, {code: _as_cell(value) for code, value in sample.values.items()})
    ahead = checked(item, "xa_2023", Period(2023, "Q4"))
    assert "date:1.1" not in {f.rule for f in ahead.findings}
    result = consolidate([ahead], "Huyện Hoằng Hóa", Q2)
    assert {f.rule for f in result.communes[0].findings} == HOANG_LUU_FLAGS


def _as_cell(value):
    """What a reader sees in the cell: dates are spreadsheet serial numbers."""
    return cell_value(dt.datetime.combine(value, dt.time()) if isinstance(value, dt.date) else value)
