"""The commune template's structure: layout, protection, validation, identity, print set-up."""
from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook

from cchc_xl.commune.template import (
    CHECK_SHEET,
    FIRST_ROW,
    HEADER,
    HEADER_ROW,
    META_SHEET,
    REPORT_DATE_CELL,
    layout_for,
    save_template,
)
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.periods import Period

FORM = load_form("xa_2023")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "hl.xlsx"
    save_template(path, "Xã Hoằng Lưu", Period.parse("2023-Q2"))
    return path, load_workbook(path)


def test_title_block_and_exact_header(book):
    _, wb = book
    ws = wb[FORM.sheet]
    assert ws["F1"].value == "Phụ lục 01b"
    assert ws["A2"].value == "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"
    assert "XÃ HOẰNG LƯU" in ws["A3"].value and "Quý II năm 2023" in ws["A4"].value
    assert tuple(c.value for c in ws[HEADER_ROW]) == HEADER
    assert HEADER == ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú", "Kiểm tra")


def test_one_row_per_catalog_row_groups_bold(book):
    _, wb = book
    ws = wb[FORM.sheet]
    for row in FORM.rows:
        r = FIRST_ROW + FORM.rows.index(row)
        assert ws[f"A{r}"].value == row.code and ws[f"B{r}"].value == row.label
        assert ws[f"B{r}"].font.b == (row.kind == "group" or row.depth == 0)


def test_only_value_and_note_cells_are_unlocked(book):
    _, wb = book
    ws = wb[FORM.sheet]
    assert ws.protection.sheet and not ws.protection.password
    layout = layout_for(FORM)
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
    expected = {f"{col}{layout.rows[r.code]}" for r in FORM.value_rows for col in "DE"} | {REPORT_DATE_CELL}
    assert unlocked == expected


def test_validation_by_kind_with_vietnamese_messages(book):
    _, wb = book
    ws = wb[FORM.sheet]
    layout = layout_for(FORM)
    validation = lambda code: next(dv for dv in ws.data_validations.dataValidation  # noqa: E731
                                   if layout.value_cell(code) in dv.sqref)
    count, percent, code = (validation(c) for c in ("3.3.1", "3.2.4", "7.1"))
    assert (count.type, count.operator, count.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert (percent.type, percent.formula1, percent.formula2) == ("decimal", "0", "100")
    assert (code.type, code.formula1) == ("list", '"0,1,2"')
    assert all(dv.showErrorMessage and dv.error and dv.prompt for dv in (count, percent, code))
    assert "số nguyên" in count.error
    assert {dv.errorStyle for dv in (count, percent, code)} == {"stop"}


def test_a_date_row_keeps_a_text_naming_its_date(book):
    """The plan's cell warns, never refuses: "QĐ Số 252/QĐ-UBND ngày 30/12/2022" is an answer."""
    _, wb = book
    layout = layout_for(FORM)
    [plan] = [dv for dv in wb[FORM.sheet].data_validations.dataValidation if layout.value_cell("1.1") in dv.sqref]
    assert (plan.type, plan.errorStyle) == ("date", "warning")
    assert "ngày dd/mm/yyyy" in plan.prompt and len(plan.prompt) <= 255 and len(plan.error) <= 225


def test_identity_stored_in_hidden_sheet(book):
    _, wb = book
    meta = wb[META_SHEET]
    assert meta.sheet_state == "hidden"
    values = {k: v for k, v in meta.iter_rows(values_only=True)}
    assert values["form"] == "xa_2023" and values["unit"] == "Xã Hoằng Lưu" and values["period"] == "2023-Q2"


def test_check_column_and_rule_sheet_hold_formulas(book):
    _, wb = book
    ws, checks = wb[FORM.sheet], wb[CHECK_SHEET]
    row = layout_for(FORM).rows["3.3.1"]
    assert ws[f"F{row}"].value.startswith("=MID(")
    assert all(str(c.value).startswith("=IF(") for c in checks["D"][1:])
    assert ws.conditional_formatting and checks.conditional_formatting


def test_print_setup(book):
    _, wb = book
    ws = wb[FORM.sheet]
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.freeze_panes == f"C{FIRST_ROW}"
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_libreoffice_opens_it_without_repair(book, recalc):
    path, _ = book
    [recalculated] = recalc(path)
    wb = load_workbook(recalculated, data_only=True)
    assert wb.sheetnames[:2] == [FORM.sheet, CHECK_SHEET]
    assert wb[FORM.sheet]["D5"].value == 0  # no errors in a blank template, only missing values
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
