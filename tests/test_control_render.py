"""The control workbook opens in LibreOffice: it prints to PDF and round-trips with its content."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from openpyxl import load_workbook

from cchc_xl.shells import control_layout as L
from cchc_xl.shells.control_layout import WORKBOOK_NAME

WORKBOOK = Path(__file__).resolve().parents[1] / "workbooks" / WORKBOOK_NAME


def test_libreoffice_prints_the_control_workbook(libreoffice, tmp_path):
    command = [libreoffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
               "--convert-to", "pdf", "--outdir", str(tmp_path), str(WORKBOOK)]
    subprocess.run(command, check=True, capture_output=True, timeout=300,
                   env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
    pdf = tmp_path / "CCHC_TongHop.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


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
