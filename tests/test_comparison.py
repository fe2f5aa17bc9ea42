"""`--previous`: the `So sánh kỳ trước` sheet of the district workbook, proven by recalculation.

Quarter I is consolidated from the samples; in quarter II Xã Hoằng Châu's files received jump
tenfold, Xã Hoằng Đạo's triple against a steady history of three quarters, and a new commune
has no history at all.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_district import Summary

from cchc_xl.commune.samples import DEMO_UNIT, fill_template, load_sample, sample_names
from cchc_xl.cycle.complete import CycleOptions
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.cycle.trend_sheet import HEADER_ROW, SHEET
from cchc_xl.forms.periods import Period

Q1, Q2 = Period.parse("2023-Q1"), Period.parse("2023-Q2")
SAMPLES = {load_sample(n).unit: load_sample(n) for n in sample_names() if load_sample(n).period == Q2}
CHAU, DAO, LUU, NEW = "Xã Hoằng Châu", "Xã Hoằng Đạo", "Xã Hoằng Lưu", "Xã Mới Lập"
STEADY = {Period.parse("2022-Q3"): 700, Period.parse("2022-Q4"): 705}   # Hoằng Đạo; Q1 has 702


def _write(folder: Path, unit: str, period: Period, changes: dict | None = None, name: str | None = None) -> None:
    sample = SAMPLES.get(unit, SAMPLES[CHAU])
    values = {**sample.values, **(changes or {})}
    fill_template(name or unit, period, values).save(folder / f"{unit}_{period.key}.xlsx")


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("so_sanh")
    for folder in ("q1", "older", "q2"):
        (root / folder).mkdir()
    for unit in SAMPLES:
        _write(root / "q1", unit, Q1, name="UBND xã Hoằng Lưu" if unit == LUU else None)
        _write(root / "q2", unit, Q2, {CHAU: {"3.3.1": 8450}, DAO: {"3.3.1": 2100}}.get(unit))
    _write(root / "q2", NEW, Q2, {"3.3.1": 5000})
    for period, value in STEADY.items():
        _write(root / "older", DAO, period, {"3.3.1": value})
    consolidate_files([root / "q1"], root / "quy1.xlsx", DEMO_UNIT, Q1)
    output = root / "quy2.xlsx"
    result = consolidate_files([root / "q2"], output, DEMO_UNIT, Q2,
                               options=CycleOptions(previous=(root / "quy1.xlsx", root / "older")))
    return output, result


def rows(path: Path) -> dict[tuple[str, str], tuple]:
    """(commune, code) -> the sheet's row: previous, current, change, low, high, jump, band."""
    sheet = load_workbook(path, data_only=True)[SHEET]
    return {(r[0], r[1]): r[3:10] for r in sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=True) if r[0]}


def flagged(table: dict) -> set[tuple[str, str, str]]:
    return {(*key, kind) for key, row in table.items() for kind, text in (("jump", row[5]), ("band", row[6])) if text}


def test_a_tenfold_jump_is_flagged_beside_the_previous_value(compared, recalc):
    output, _ = compared
    table = rows(recalc(output)[0])
    previous, current, change, *_rest, jump, _band = table[(CHAU, "3.3.1")]
    assert (previous, current, change) == (845, 8450, 8450 - 845)
    assert jump == "Tăng ≥ 10 lần"
    assert not table[(CHAU, "3.3.2")][5]                 # unchanged: no flag


def test_missing_history_gives_no_flag(compared, recalc):
    output, result = compared
    table = rows(recalc(output)[0])
    assert table[(NEW, "3.3.1")][:2] in ((None, 5000), ("", 5000))
    assert not any(row[5] or row[6] for (unit, _), row in table.items() if unit == NEW)
    assert not [c for c in result.comparison.flagged if c.unit == NEW]


def test_the_band_of_the_own_history_flags_a_tripling(compared, recalc):
    output, _ = compared
    previous, current, _change, low, high, jump, band = rows(recalc(output)[0])[(DAO, "3.3.1")]
    assert (previous, current, band) == (702, 2100, "Ngoài khoảng") and not jump
    assert low < 700 and 705 < high < 2100


def test_a_renamed_commune_keeps_its_history(compared, recalc):
    output, _ = compared
    assert rows(recalc(output)[0])[(LUU, "3.3.1")][0] == 602   # "UBND xã Hoằng Lưu" in quarter I


def test_python_and_the_formulas_flag_the_same(compared, recalc):
    output, result = compared
    python = {(c.unit, c.code, flag) for c in result.comparison.changes for flag in c.flags}
    assert python == flagged(rows(recalc(output)[0]))
    assert {(CHAU, "3.3.1", "jump"), (DAO, "3.3.1", "band")} <= python


def test_fixing_the_value_in_the_summary_clears_the_flag(compared, recalc, tmp_path):
    output, _ = compared
    summary = Summary(output, data_only=False)
    summary.ws.cell(summary.rows["3.3.1"], summary.columns[CHAU]).value = 850
    path = tmp_path / "sua.xlsx"
    summary.book.save(path)
    _previous, current, change, *_rest, jump, _band = rows(recalc(path)[0])[(CHAU, "3.3.1")]
    assert (current, change) == (850, 5) and not jump
