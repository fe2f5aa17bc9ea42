"""The control workbook opens in LibreOffice: it prints to PDF and round-trips with its content."""
from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from cchc_xl.shells import control_layout as L
from cchc_xl.shells.control_layout import WORKBOOK_NAME

WORKBOOK = Path(__file__).resolve().parents[1] / "workbooks" / WORKBOOK_NAME


def test_libreoffice_reads_sheets_settings_and_choosers(recalc):
    (converted,) = recalc(WORKBOOK)
    book = load_workbook(converted)
    assert book.sheetnames == [L.CONTROL_SHEET, L.UNITS_SHEET, L.CONFIG_SHEET]
    sheet = book[L.CONTROL_SHEET]
    assert sheet[L.ACTION.cell].value == L.CONSOLIDATE
    assert sheet[L.FOLDER.cell].value == L.FOLDER.default
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert lists[L.ACTION.cell].strip('"').split(",") == list(L.ACTIONS)


def test_the_list_sheet_numbers_the_communes_typed(recalc, tmp_path):
    book = load_workbook(WORKBOOK, keep_vba=True)
    ws = book[L.UNITS_SHEET]
    first = L.UNITS_FIRST_ROW
    for offset, name in ((0, "Xã Hoằng Lưu"), (1, "Xã Quảng Hòa"), (3, "Thị trấn Bút Sơn")):
        ws[f"B{first + offset}"] = name
    typed = tmp_path / WORKBOOK_NAME
    book.save(typed)
    (converted,) = recalc(typed)
    sheet = load_workbook(converted, data_only=True)[L.UNITS_SHEET]
    assert [sheet[f"A{first + i}"].value or None for i in range(5)] == [1, 2, None, 3, None]


def _printable_button_copy(target: Path) -> Path:
    """The workbook with its button marked printable (Excel's PrintObject), so that LibreOffice
    draws it in the PDF; the shipped workbook keeps it off paper."""
    with zipfile.ZipFile(WORKBOOK) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith(".vml"):
                assert b"<x:PrintObject>False</x:PrintObject>" in data
                data = data.replace(b"<x:PrintObject>False</x:PrintObject>", b"<x:PrintObject>True</x:PrintObject>")
            copy.writestr(info, data)
    return target


def _first_page_text(libreoffice: str, workbook: Path, out: Path) -> str:
    from pypdf import PdfReader
    command = [libreoffice, f"-env:UserInstallation=file://{out / 'profile'}", "--headless",
               "--convert-to", "pdf", "--outdir", str(out), str(workbook)]
    subprocess.run(command, check=True, capture_output=True, timeout=300,
                   env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
    return PdfReader(out / f"{workbook.stem}.pdf").pages[0].extract_text()


def test_the_button_is_drawn_under_the_settings(libreoffice, tmp_path):
    """The caption appears once more than in the subtitle («… bấm nút «Thực hiện»…») only when the
    button itself is drawn; it follows the settings."""
    shipped = _first_page_text(libreoffice, WORKBOOK, tmp_path / "shipped")
    drawn = _first_page_text(libreoffice, _printable_button_copy(tmp_path / "Nut.xlsm"), tmp_path / "drawn")
    assert "TỔNG HỢP PHỤ LỤC THỐNG KÊ CẢI CÁCH HÀNH CHÍNH" in shipped and "Trang 1 /" in shipped
    assert (shipped.count("Thực hiện"), drawn.count("Thực hiện")) == (1, 2)
    assert drawn.index("Kỳ trước để so sánh") < drawn.rindex("Thực hiện")
