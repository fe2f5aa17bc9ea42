"""The district writer's shortcuts past XlsxWriter's cell records and formula rewriting store
what XlsxWriter would: the same formula text, the same XML for every cell."""
from __future__ import annotations

import html
import re
import zipfile

import pytest
from openpyxl import load_workbook
from xlsxwriter.worksheet import Worksheet

from cchc_xl.commune.samples import DEMO_PERIOD, DEMO_UNIT, EXPECTED_FILE, write_samples
from cchc_xl.cycle.complete import CycleOptions
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.district.xlsx_out import (
    COLUMN,
    ClassicFormulaSheet,
    FormulaPattern,
    new_workbook,
)

#: A formula element's text: plain, or the first cell of a shared formula (the others are empty).
_FORMULA = re.compile(rb"<f(?: [^>]*)?>(.+?)</f>", re.S)


def test_every_district_formula_is_one_xlsxwriter_leaves_unchanged(tmp_path):
    folder = tmp_path / "xa"
    write_samples(folder)
    result = consolidate_files([folder], tmp_path / "huyen.xlsx", DEMO_UNIT, DEMO_PERIOD, folder / EXPECTED_FILE,
                               options=CycleOptions(form="huyen_2023"))
    with zipfile.ZipFile(result.output) as book:
        formulas = [html.unescape(f.decode()) for name in book.namelist() if name.startswith("xl/worksheets/")
                    for f in _FORMULA.findall(book.read(name))]
    assert len(formulas) > 1000
    plain = Worksheet()
    assert [f for f in formulas if plain._prepare_formula("=" + f) != f] == []


def test_a_formula_with_a_newer_function_still_gets_its_prefix():
    sheet = ClassicFormulaSheet()
    assert sheet._prepare_formula("=XLOOKUP(A1,B1:B9,C1:C9)") == "_xlfn.XLOOKUP(A1,B1:B9,C1:C9)"
    assert sheet._prepare_formula("{=SUM(A1:A3)}") == "SUM(A1:A3)"
    assert sheet._prepare_formula('=IF(ISBLANK(A1),"Chưa nhập","")') == 'IF(ISBLANK(A1),"Chưa nhập","")'


#: Cells of every kind `write_cells` renders, with XlsxWriter's own way of writing each.
CELLS = [
    (42, lambda ws, r, c, v, f: ws.write_number(r, c, v, f)),
    (-0.1 + 0.2, lambda ws, r, c, v, f: ws.write_number(r, c, v, f)),
    (1e300, lambda ws, r, c, v, f: ws.write_number(r, c, v, f)),
    ("Xã Hoằng Lưu & <Thanh Hóa>", lambda ws, r, c, v, f: ws.write_string(r, c, v, f)),
    ("", lambda ws, r, c, v, f: ws.write_string(r, c, v, f)),
    ("=1+1", lambda ws, r, c, v, f: ws.write_string(r, c, v, f)),
    ("bad \ud800 text", lambda ws, r, c, v, f: ws.write_string(r, c, v, f)),
    (float("nan"), lambda ws, r, c, v, f: ws.write_string(r, c, "nan", f)),
    (True, lambda ws, r, c, v, f: ws.write_boolean(r, c, v, f)),
    (None, lambda ws, r, c, v, f: ws.write_blank(r, c, None, f)),
]


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()
                if name.startswith("xl/worksheets/") or name in ("xl/sharedStrings.xml", "xl/styles.xml")}


@pytest.mark.parametrize("with_format", [True, False])
def test_write_cells_stores_the_xml_xlsxwriter_writes(tmp_path, with_format):
    ours, theirs = new_workbook(tmp_path / "ours.xlsx"), new_workbook(tmp_path / "theirs.xlsx")
    for book in (ours, theirs):
        book.add_worksheet("Tổng hợp")
        book.fmt = book.add_format({"bold": True, "border": 1}) if with_format else None
    mine, plain = ours.worksheets()[0], theirs.worksheets()[0]
    mine.write_cells(3, 2, [(value, ours.fmt) for value, _ in CELLS])
    mine.write_cells(4, 1, [(mine.formula('=IF(B5<>"","<"&B5&">","")'), ours.fmt), ("=A1", None)])
    for col, (value, write) in enumerate(CELLS, 2):
        write(plain, 3, col, "bad \ufffd text" if value == "bad \ud800 text" else value, theirs.fmt)
    plain.write_formula(4, 1, '=IF(B5<>"","<"&B5&">","")', theirs.fmt, "")
    plain.write_string(4, 2, "=A1")
    ours.close()
    theirs.close()
    assert _parts(tmp_path / "ours.xlsx") == _parts(tmp_path / "theirs.xlsx")


def test_write_across_is_one_shared_formula_each_column_reads_as_its_own(tmp_path):
    book = new_workbook(tmp_path / "across.xlsx")
    ws = book.add_worksheet("Tổng hợp")
    for row, text in ((9, f'=IF(ISBLANK({COLUMN}2),"Chưa nhập","")'), (10, f"=COUNTIF({COLUMN}$2:{COLUMN}$9,\"?*\")")):
        ws.write_across(row, 3, FormulaPattern(ws, text), 600, None)
    ws.write_across(11, 3, FormulaPattern(ws, f"=SUM({COLUMN}2:{COLUMN}3)"), 1, None)
    ws.write_across(12, 3, FormulaPattern(ws, f"=SUM({COLUMN}2:{COLUMN}3)"), 0, None)
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
