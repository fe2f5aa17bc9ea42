"""Which sheet and which form: visible before hidden, meta sheet trusted, labels as fallback."""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from cchc_xl.commune.samples import load_sample, write_sample
from cchc_xl.commune.template import META_SHEET
from cchc_xl.read.reader import read_submission


def test_a_hidden_stale_copy_of_the_table_is_not_read(tmp_path):
    path = write_sample(load_sample("hoang_luu_2023_q2"), tmp_path / "hl.xlsx")
    workbook = load_workbook(path)
    sheet = workbook["Phụ lục 01b"]
    stale = workbook.copy_worksheet(sheet)
    stale.title = "Cũ"
    stale["D44"] = 1
    stale.sheet_state = "hidden"
    workbook.move_sheet(stale, offset=-workbook.index(stale))
    sheet.title = "Bảng chính"
    workbook.save(path)
    submission = read_submission(path)
    assert submission.sheet == "Bảng chính"
    assert submission.parsed["3.3.1"] == 602


def test_an_unknown_form_in_the_meta_sheet_is_reported_and_guessed(tmp_path):
    path = write_sample(load_sample("hoang_luu_2023_q2"), tmp_path / "hl.xlsx")
    workbook = load_workbook(path)
    workbook[META_SHEET]["B1"] = "xa_2030"
    workbook.save(path)
    submission = read_submission(path)
    assert "unknown_form" in {p.kind for p in submission.problems}
    assert (submission.form, submission.parsed["3.3.1"]) == ("xa_2023", 602)


def _without_identity(path: Path) -> Path:
    """Hoằng Lưu's appendix with neither the hidden identity sheet nor the title lines."""
    write_sample(load_sample("hoang_luu_2023_q2"), path)
    workbook = load_workbook(path)
    del workbook[META_SHEET]
    sheet = workbook["Phụ lục 01b"]
    for ref in ("A2", "A3", "A4"):
        sheet[ref] = None
    workbook.save(path)
    return path


def test_period_and_unit_from_the_file_name_when_the_title_is_gone(tmp_path):
    submission = read_submission(_without_identity(tmp_path / "Xã_Hoằng_Lưu_2023-Q2.xlsx"))
    assert (submission.unit, submission.period.key) == ("Xã Hoằng Lưu", "2023-Q2")


def test_missing_unit_and_period_are_reported(tmp_path):
    submission = read_submission(_without_identity(tmp_path / "bao_cao.xlsx"))
    assert submission.unit is None and submission.period is None
    assert {"unit_unknown", "period_unknown"} <= {p.kind for p in submission.problems}


def test_a_table_without_stt_column_is_read_by_labels(tmp_path):
    """Header "Tên chỉ tiêu | Số liệu" only: no codes, every row placed by its label."""
    from openpyxl import Workbook

    from cchc_xl.forms.catalog import load_form
    form = load_form()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["UBND XÃ HOẰNG LƯU", None])
    sheet.append(["Báo cáo quý II năm 2023", None])
    sheet.append(["Tên chỉ tiêu", "Số liệu"])
    for i, row in enumerate(form.value_rows):
        sheet.append([row.label, i])
    path = tmp_path / "khong_stt.xlsx"
    workbook.save(path)
    submission = read_submission(path)
    assert submission.parsed == {row.code: i for i, row in enumerate(form.value_rows)}
    assert not [p for p in submission.problems if p.kind in ("unplaced_row", "missing_row")]
