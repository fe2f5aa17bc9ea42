"""The appendix table of a Word report read like a sheet: the seed-001 report rebuilt with
python-docx (its values, its broken diacritics, its table split over pages with the header
repeated, "Trong đó" merged down the STT column), read into the same values by code as the
same values typed into our template, each named by its table and row."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from word_reports import LABEL_TITLE, TRONG_DO, table_rows, write_report

from cchc_xl.commune.samples import fill_template, load_sample
from cchc_xl.forms.periods import Period
from cchc_xl.read.reader import ReadError, read_submission

#: 1.1 as seed 001 writes it: the decision's number and date in the value cell.
SEED_PLAN = "QĐ Số 252/QĐ-UBND ngày 30/12/2023"


@pytest.fixture(scope="module")
def seed_values() -> tuple[str, Period, dict]:
    sample = load_sample("hoang_luu_2023_q2")
    values, _ = sample.values_2023()
    return sample.unit, sample.period, {**values, "1.1": SEED_PLAN}


def _workbook(tmp_path: Path, unit: str, period: Period, values: dict) -> Path:
    path = tmp_path / "mau.xlsx"
    fill_template(unit, period, values).save(path)
    return path


@pytest.mark.parametrize("pages", (1, 5))
def test_the_seed_report_reads_as_the_same_values_as_the_template(seed_values, tmp_path, pages):
    unit, period, values = seed_values
    report = write_report(tmp_path / "bao_cao.docx", unit, period, table_rows(values), pages=pages, damaged=True)
    from_word, from_excel = read_submission(report), read_submission(_workbook(tmp_path, unit, period, values))
    assert from_word.values == from_excel.values and from_word.parsed == from_excel.parsed
    assert from_word.values["1.1"] == SEED_PLAN and from_word.values["3.3.1"] == 602
    assert (from_word.unit, from_word.period) == (unit, period)
    assert from_word.sheet == ("bảng 1" if pages == 1 else "bảng 1–5")
    assert [(p.kind, p.code) for p in from_word.problems] == [(p.kind, p.code) for p in from_excel.problems]


def test_each_value_is_named_by_its_table_and_row(seed_values, tmp_path):
    unit, period, values = seed_values
    report = write_report(tmp_path / "bao_cao.docx", unit, period, table_rows(values), pages=3)
    submission = read_submission(report)
    tables = docx.Document(report).tables
    for code in ("1.1.1", "3.3.1.b", "5.4.6", "7.5.2"):
        table, row = (int(part.split()[-1]) for part in submission.cells[code].split(", "))
        cells = tables[table - 1].rows[row - 1].cells
        assert cells[3].text == str(values[code]), code
    assert submission.where(submission.cells["1.1.1"]) == "bảng 1, dòng 5"


def test_a_value_on_a_group_row_is_reported_with_its_table_and_row(seed_values, tmp_path):
    """Seed 001 writes 187 on the group row 3.1: reported, never dropped."""
    unit, period, values = seed_values
    rows = [(code, label, unit_, "187" if code == "3.1" else value, note)
            for code, label, unit_, value, note in table_rows(values)]
    submission = read_submission(write_report(tmp_path / "bao_cao.docx", unit, period, rows, pages=2))
    [problem] = [p for p in submission.problems if p.kind == "group_value"]
    assert problem.code == "3.1" and problem.cell.startswith("bảng ") and "187" in problem.message


def test_a_header_repeated_inside_one_table_is_skipped(seed_values, tmp_path):
    unit, period, values = seed_values
    rows = table_rows(values)
    repeated = [*rows[:30], ("STT", LABEL_TITLE, "Đơn vị tính", "Số liệu", "Ghi chú"), *rows[30:]]
    submission = read_submission(write_report(tmp_path / "bao_cao.docx", unit, period, repeated, pages=1))
    assert submission.values == read_submission(_workbook(tmp_path, unit, period, values)).values


def test_numbers_and_dates_are_typed_as_excel_types_them(tmp_path):
    values = {"1.1": dt.date(2022, 12, 30), "3.3.1": 1145, "3.2.4": 47.37}
    rows = [(c, label, u, {"3.3.1": "1.145", "3.2.4": "47,37"}.get(c, v), n)
            for c, label, u, v, n in table_rows(values)]
    submission = read_submission(write_report(tmp_path / "xa.docx", "Xã Hoằng Châu", Period(2023, "Q2"), rows))
    assert submission.values["3.3.1"] == 1145 and submission.values["3.2.4"] == pytest.approx(47.37)
    assert submission.values["1.1"] == read_submission(_workbook(tmp_path, "Xã Hoằng Châu", Period(2023, "Q2"),
                                                                 values)).values["1.1"]


def test_a_merged_value_cell_is_reported(seed_values, tmp_path):
    unit, period, values = seed_values
    path = write_report(tmp_path / "bao_cao.docx", unit, period, table_rows(values), pages=1)
    report = docx.Document(path)
    [table] = report.tables
    row = next(i for i, r in enumerate(table.rows) if r.cells[0].text == "1.1.2")
    table.cell(row, 3).merge(table.cell(row + 1, 3))
    report.save(path)
    merged = [p for p in read_submission(path).problems if p.kind == "merged"]
    assert [p.code for p in merged] == ["1.1.3"] and f"bảng 1, dòng {row + 1}–{row + 2}" in merged[0].message


def test_sub_rows_under_a_merged_trong_do_are_placed(seed_values, tmp_path):
    unit, period, values = seed_values
    path = write_report(tmp_path / "bao_cao.docx", unit, period, table_rows(values), pages=1)
    texts = [r.cells[0].text for r in docx.Document(path).tables[0].rows]
    assert texts.count(TRONG_DO) > 4  # python-docx repeats the merged cell's text on every row it spans
    submission = read_submission(path)
    assert [submission.values[f"3.3.1.{x}"] for x in "abcd"] == [255, 0, 172, 198]


def test_a_report_without_the_appendix_is_named(tmp_path):
    report = docx.Document()
    report.add_paragraph("UBND XÃ HOẰNG LƯU")
    report.add_table(rows=2, cols=3).cell(0, 0).text = "Danh sách cán bộ"
    report.save(tmp_path / "bao_cao.docx")
    with pytest.raises(ReadError) as raised:
        read_submission(tmp_path / "bao_cao.docx")
    assert raised.value.kind == "no_table" and "'bao_cao.docx' là văn bản Word nhưng không có bảng phụ lục" in str(
        raised.value)
