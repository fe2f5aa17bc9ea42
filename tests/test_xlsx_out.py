"""The district writer's bulk cells, spliced into XlsxWriter's package, read back as written:
by openpyxl, by python-calamine and after LibreOffice has opened, recalculated and saved them."""
from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.utils import absolute_coordinate, get_column_letter
from python_calamine import CalamineWorkbook

from cchc_xl.common.cells import (
    absolute_ref,
    cell_index,
    cell_ref,
    column_index,
    column_letters,
)
from cchc_xl.common.libreoffice import recalculate
from cchc_xl.district.sheet_xml import COLUMN, FormulaPattern, formula
from cchc_xl.district.xlsx_out import new_workbook

#: Values of every kind `write_cells` stores, and what a reader gives back for each.
VALUES = [
    (42, 42),
    (-0.1 + 0.2, -0.1 + 0.2),
    (1e300, 1e300),
    (True, True),
    ("Xã Hoằng Lưu & <Thanh Hóa>", "Xã Hoằng Lưu & <Thanh Hóa>"),
    ("=1+1", "=1+1"),
    ("  lề trái", "  lề trái"),
    ("dòng 1\ndòng 2", "dòng 1\ndòng 2"),
    ("_x0041_ giữ nguyên", "_x0041_ giữ nguyên"),
    ("điều khiển \x01 và \x1f", "điều khiển \x01 và \x1f"),
    ("bad \ud800 text", "bad \ufffd text"),
    (float("nan"), "nan"),
]
SHEET = "Tổng hợp & 'kiểm' tra"
#: Values whose text holds what SpreadsheetML stores escaped (`_xHHHH_`, ECMA-376 ST_Xstring).
ESCAPED = {"_x0041_ giữ nguyên", "điều khiển \x01 và \x1f"}
_XSTRING = re.compile("_x([0-9A-Fa-f]{4})_")


def decoded(value):
    """A text as Excel and LibreOffice read it: openpyxl leaves the escapes as they stand."""
    return _XSTRING.sub(lambda m: chr(int(m.group(1), 16)), value) if isinstance(value, str) else value


def _write(path, *, with_format: bool = True):
    book = new_workbook(path)
    bold = book.add_format({"bold": True, "border": 1})
    ws = book.add_worksheet(SHEET)
    ws.write_string(0, 0, "Tiêu đề")                      # XlsxWriter's own cells, rows shared with bulk ones
    ws.write_number(3, 0, 7)
    ws.set_row(3, 30)
    ws.write_comment(3, 1, "ghi chú")
    ws.write_cells(3, 1, [(value, bold if with_format else None) for value, _ in VALUES])
    ws.write_cells(5, 2, [(formula('=IF(B4<>"","<"&B4&">","")'), bold), (formula("=B4*2"), None), (None, bold)])
    book.add_worksheet("Trống").write_string(1, 1, "chỉ XlsxWriter")
    book.close()
    return path


@pytest.mark.parametrize("with_format", [True, False])
def test_bulk_cells_read_back_as_written_beside_xlsxwriters_own(tmp_path, with_format):
    sheet = load_workbook(_write(tmp_path / "ours.xlsx", with_format=with_format))[SHEET]
    assert [decoded(sheet.cell(4, col).value) for col in range(2, 2 + len(VALUES))] == [read for _, read in VALUES]
    assert (sheet["A1"].value, sheet["A4"].value, sheet["B4"].comment.text) == ("Tiêu đề", 7, "ghi chú")
    assert sheet.row_dimensions[4].height == 30
    assert (sheet["C6"].value, sheet["D6"].value, sheet["E6"].value) == ('=IF(B4<>"","<"&B4&">","")', "=B4*2", None)
    assert all(sheet.cell(4, col).font.b is with_format for col in range(2, 2 + len(VALUES)))
    assert sheet["E6"].border.left.style == "thin" and sheet["D6"].font.b is False
    assert sheet.dimensions == f"A1:{column_letters(len(VALUES))}6" and sheet.max_row == 6


def test_calamine_reads_the_bulk_cells(tmp_path):
    rows = CalamineWorkbook.from_path(str(_write(tmp_path / "ours.xlsx"))).get_sheet_by_name(SHEET).to_python()
    texts = [value for value, _ in VALUES if isinstance(value, str) and "\ud800" not in value]
    assert all(text in rows[3] for text in texts) and rows[3][1] == 42 and rows[0][0] == "Tiêu đề"


def test_libreoffice_opens_computes_and_keeps_the_bulk_cells(tmp_path):
    [done] = recalculate([_write(tmp_path / "ours.xlsx")], tmp_path / "out")
    sheet = load_workbook(done, data_only=True)[SHEET]
    kept = [(sheet.cell(4, col).value, read) for col, (value, read) in enumerate(VALUES, 2) if value not in ESCAPED]
    assert [value for value, _ in kept] == [read for _, read in kept]
    assert sheet["C6"].value == "<42>" and sheet["D6"].value == 84
    assert load_workbook(done)["Trống"]["B2"].value == "chỉ XlsxWriter"


def test_write_across_is_one_shared_formula_each_column_reads_as_its_own(tmp_path):
    book = new_workbook(tmp_path / "across.xlsx")
    ws = book.add_worksheet("Tổng hợp")
    ws.write_cells(1, 3, [(n, None) for n in range(600)])
    for row, text in ((9, f'=IF(ISBLANK({COLUMN}2),"Chưa nhập","")'), (10, f"=COUNTIF({COLUMN}$2:{COLUMN}$9,\"?*\")")):
        ws.write_across(row, 3, FormulaPattern(text), 600, None)
    ws.write_across(11, 3, FormulaPattern(f"=SUM({COLUMN}2:{COLUMN}3)"), 1, None)
    ws.write_across(12, 3, FormulaPattern(f"=SUM({COLUMN}2:{COLUMN}3)"), 0, None)
    book.close()
    with zipfile.ZipFile(tmp_path / "across.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert xml.count('t="shared" ref=') == 2 and xml.count('<f t="shared" si="1"></f>') == 599
    sheet = load_workbook(tmp_path / "across.xlsx")["Tổng hợp"]
    assert sheet["D10"].value == '=IF(ISBLANK(D2),"Chưa nhập","")'
    assert sheet["WE10"].value == '=IF(ISBLANK(WE2),"Chưa nhập","")'
    assert sheet["WE11"].value == '=COUNTIF(WE$2:WE$9,"?*")'
    assert sheet["D12"].value == "=SUM(D2:D3)" and sheet["E12"].value is None
    assert sheet.max_row == 12
    [done] = recalculate([tmp_path / "across.xlsx"], tmp_path / "out")
    computed = load_workbook(done, data_only=True)["Tổng hợp"]
    assert (computed["D11"].value, computed["WE11"].value, computed["D12"].value) == (1, 1, 0)


def test_a_cell_written_both_ways_is_an_error_not_a_silent_choice(tmp_path):
    book = new_workbook(tmp_path / "twice.xlsx")
    ws = book.add_worksheet("Tổng hợp")
    ws.write_string(2, 1, "XlsxWriter")
    ws.write_cells(2, 1, [("bulk", None)])
    with pytest.raises(ValueError, match="B3 written both"):
        book.close()
    assert not (tmp_path / "twice.xlsx").exists()


def test_a_later_bulk_write_replaces_an_earlier_one(tmp_path):
    book = new_workbook(tmp_path / "again.xlsx")
    ws = book.add_worksheet("Tổng hợp")
    ws.write_cells(0, 0, [("trước", None), (1, None)])
    ws.write_cells(0, 0, [("sau", None)])
    book.close()
    sheet = load_workbook(tmp_path / "again.xlsx")["Tổng hợp"]
    assert (sheet["A1"].value, sheet["B1"].value) == ("sau", 1)


def test_only_excel_2007_formulas_are_stored():
    assert formula('=IF(A1<B1,"a&b","")').xml == 'IF(A1&lt;B1,"a&amp;b","")'
    with pytest.raises(ValueError, match="XLOOKUP"):
        formula("=XLOOKUP(A1,B1:B9,C1:C9)")
    with pytest.raises(ValueError, match="array"):
        formula("{=SUM(A1:A3)}")


def test_cells_outside_the_worksheet_are_refused(tmp_path):
    ws = new_workbook(tmp_path / "x.xlsx").add_worksheet("Tổng hợp")
    with pytest.raises(ValueError, match="outside"):
        ws.write_cells(1_048_576, 0, [(1, None)])
    with pytest.raises(ValueError, match="outside"):
        ws.write_cells(0, 16_383, [(1, None), (2, None)])


@pytest.mark.parametrize("col", [0, 25, 26, 701, 702, 16_383])
def test_column_letters_and_back_as_openpyxl_spells_them(col):
    assert column_letters(col) == get_column_letter(col + 1) and column_index(column_letters(col)) == col
    assert column_index(column_letters(col).encode()) == col and column_index(column_letters(col).lower()) == col
    assert cell_index(cell_ref(41, col)) == (41, col) == cell_index(f"${column_letters(col)}$42")
    assert absolute_ref(41, col) == absolute_coordinate(cell_ref(41, col)) and cell_index(absolute_ref(41, col)) == (41, col)


def test_a_cell_address_that_is_none_is_refused():
    with pytest.raises(ValueError, match="not a cell address"):
        cell_index("F0")
