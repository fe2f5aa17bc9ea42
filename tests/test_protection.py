"""The district workbook is protected: one stray keystroke cannot overwrite a total, a count, a
rule or a link; the communes' values on `Tổng hợp` and the district's own figures on its form
sheet stay editable (the README tells staff to fix numbers there). No password: protection is a
guard, Review → Unprotect Sheet lifts it, in Excel and LibreOffice alike."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import district_with_form
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from cchc_xl.district.layout import SUMMARY_SHEET, commune_columns
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.layout import NOTE_COL, VALUE_COL
from cchc_xl.read.reader import read_meta_file

DISTRICT_FORM = load_form("huyen_2023")
FRAME_TEXT = re.compile(r"ỦY BAN NHÂN DÂN|CỘNG HÒA XÃ HỘI|Nơi nhận:|TM\. ")


@pytest.fixture(scope="module")
def district(samples, tmp_path_factory) -> Path:
    """Every sheet a run can write: the district form with own figures, status, comparison."""
    return district_with_form(samples, tmp_path_factory.mktemp("khoa") / "tong_hop.xlsx", previous=(samples,))


def _input_cells(path: Path, book) -> set[tuple[str, str]]:
    """The cells staff type in: each commune's value cells, the district's own value and note cells."""
    meta = read_meta_file(path)
    cells = {(SUMMARY_SHEET, cell) for _name, _values, by_code in
             commune_columns(book[SUMMARY_SHEET], load_form(meta["form"]), meta) for cell in by_code.values()}
    sheet = book[DISTRICT_FORM.sheet]
    own = {row.code for row in DISTRICT_FORM.value_rows if not row.from_communes}
    for (code,) in sheet.iter_rows(min_col=1, max_col=1):
        if code.value in own:  # a code's first row; the rule block below the table repeats codes
            own.discard(code.value)
            cells |= {(DISTRICT_FORM.sheet, f"{VALUE_COL}{code.row}"), (DISTRICT_FORM.sheet, f"{NOTE_COL}{code.row}")}
    return cells | _frame_cells(book, (SUMMARY_SHEET, DISTRICT_FORM.sheet))


def _frame_cells(book, sheets: tuple[str, ...]) -> set[tuple[str, str]]:
    """The report's frame, which the officer completes before printing: number and date under
    the issuer and the motto, recipients and signer below the table."""
    cells = set()
    for name in sheets:
        ws = book[name]
        for merged in ws.merged_cells.ranges:
            text = ws.cell(merged.min_row, merged.min_col).value or ""
            if FRAME_TEXT.match(text):
                cells |= {(name, f"{get_column_letter(c)}{r}") for r in range(merged.min_row, merged.max_row + 1)
                          for c in range(merged.min_col, merged.max_col + 1)}
    return cells


def test_every_visible_sheet_is_protected_without_a_password(district):
    book = load_workbook(district)
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    assert {ws.title for ws in visible} >= {SUMMARY_SHEET, DISTRICT_FORM.sheet, "Kiểm tra", "Nguồn", "Tình hình nộp",
                                           "So sánh kỳ trước"}
    for ws in visible:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password, ws.title
        assert not ws.protection.formatColumns, ws.title  # False here means "allowed": columns can be widened


def test_formulas_are_locked_and_only_input_cells_are_open(district):
    """Walks every cell of every visible sheet: a formula is never unlocked, the unlocked cells
    are exactly the communes' values and the district's own figures, and those are all open."""
    book = load_workbook(district)
    expected = _input_cells(district, book)
    assert len(expected) > 500
    unlocked, formulas = set(), 0
    for ws in (ws for ws in book.worksheets if ws.sheet_state == "visible"):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    formulas += 1
                    assert cell.protection.locked, f"{ws.title}!{cell.coordinate} {cell.value[:40]}"
                if not cell.protection.locked:
                    unlocked.add((ws.title, cell.coordinate))
    assert formulas > 1000
    assert unlocked == expected


def test_the_commune_values_typed_and_blank_are_both_open(district):
    """A blank value (yellow, "chưa nhập") is where a commune's late figure is typed: open too."""
    book = load_workbook(district)
    meta = read_meta_file(district)
    ws = book[SUMMARY_SHEET]
    columns = list(commune_columns(ws, load_form(meta["form"]), meta))
    blank = [cell for _n, values, cells in columns for code, cell in cells.items() if values[code] is None]
    typed = [cell for _n, values, cells in columns for code, cell in cells.items() if values[code] is not None]
    assert blank and typed
    assert not any(ws[cell].protection.locked for cell in blank + typed)
    assert all(re.fullmatch(r"[A-Z]+\d+", cell) for cell in blank)
