"""Sample workbooks a commune sends without our template, built from the seeds' real values.

Two shapes the reader must place row by row: the Hoằng Lưu appendix pasted from Word (codes
lost, the extraction's broken diacritics, numbers as text, the printed two-row header repeated
on each page) and Quảng Hòa's 2022 layout (Phụ lục 2, " 1.  " in every STT cell). The demo
and the tests consolidate them next to the template-made samples.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from cchc_xl.common.files import atomic_write
from cchc_xl.commune.samples import Sample, load_sample
from cchc_xl.forms.catalog import Row, load_form
from cchc_xl.forms.numbers import Value

#: Letters seed 001's extraction dropped, each leaving a space ("c  chế", "nhiệm v ", "h p").
SEED_DROPPED = "ơụọớữ"
_DROP = str.maketrans({letter: " " for letter in SEED_DROPPED})
_SUB_ROW_PREFIX = "Trong đó: "
_LABEL_HEADER = "Chỉ tiêu thống kê\n(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, 9 tháng, năm)"
#: Rows after which the printed table breaks a page and repeats its header (as in seed 001).
_PAGE_BREAK_AFTER = ("2.2", "3.3.1.d", "5.4.1", "7.2.3.b")


@dataclass(frozen=True)
class Printed:
    """One line of a printed appendix table."""

    stt: str
    label: str
    unit: str
    value: Value
    note: str | None = None


def break_diacritics(text: str) -> str:
    """Text as seed 001's PDF extraction left it: some letters gone, a space in their place."""
    return text.translate(_DROP)


def word_paste_workbook(sample: Sample | None = None) -> Workbook:
    """Hoằng Lưu's appendix pasted from the Word report: no codes, broken letters, text numbers."""
    sample = sample or load_sample("hoang_luu_2023_q2")
    form = load_form(sample.form)
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["E1"] = "Phụ lục 01b"
    ws["A2"] = f"THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ TH C HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH T I UBND {sample.unit.upper()}"
    ws["A3"] = break_diacritics(f"(Kèm theo báo cáo kết quả thực hiện cải cách hành chính {sample.period.label.lower()})")
    next_row = _write_header(ws, 5)
    for row in form.rows:
        value = sample.group_values.get(row.code) if row.kind == "group" else sample.values.get(row.code)
        line = Printed("Trong đó" if row.code.endswith(".a") else "",
                       break_diacritics(row.label.removeprefix(_SUB_ROW_PREFIX)),
                       break_diacritics(row.unit_text), _as_typed(value, row), sample.notes.get(row.code))
        next_row = _write_line(ws, next_row, line)
        if row.code in _PAGE_BREAK_AFTER:
            next_row = _write_header(ws, next_row)
    for offset, text in enumerate(("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Lê Ngọc Hạnh")):
        ws.cell(next_row + 2 + offset, 4, text or None)
    return wb


def layout_2022_workbook(sample: Sample | None = None) -> Workbook:
    """Quảng Hòa's Phụ lục 2 as printed in 2022: its labels, " 1.  " in every STT cell."""
    sample = sample or load_sample("quang_hoa_2022")
    form = load_form(sample.form)
    wb = Workbook()
    ws = wb.active
    ws.title = form.sheet
    ws["A1"] = f"UBND {sample.unit.upper()}"
    ws["C1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["A3"] = form.title
    ws["A4"] = f"{form.heading} NĂM {sample.period.year}."
    ws["A5"] = "(Số liệu tính từ ngày 10/11/2021 đến thời điểm báo cáo)"
    next_row = _write_header(ws, 7)
    for row in form.rows:
        value = _as_printed_2022(sample.values.get(row.code))
        next_row = _write_line(ws, next_row, Printed(" 1.  ", row.label, row.unit_text, value))
    return wb


def write_variants(folder: Path) -> list[Path]:
    """The two non-template samples, as `doc_*.xlsx` files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    books = {"doc_hoang_luu_word_paste.xlsx": word_paste_workbook(),
             "doc_quang_hoa_2022_layout.xlsx": layout_2022_workbook()}
    return [atomic_write(folder / name, book.save) for name, book in books.items()]


def _write_header(ws: Worksheet, row: int) -> int:
    """The printed two-row header: "Kết quả thống kê" above "Đơn vị tính | Số liệu"."""
    for col, text in ((1, "STT"), (2, _LABEL_HEADER), (3, "Kết quả thống kê"), (5, "Ghi\nchú")):
        ws.cell(row, col, text)
    ws.cell(row + 1, 3, "Đơn vị tính")
    ws.cell(row + 1, 4, "Số liệu")
    ws.merge_cells(start_row=row, end_row=row, start_column=3, end_column=4)
    return row + 2


def _write_line(ws: Worksheet, row: int, line: Printed) -> int:
    for col, value in enumerate((line.stt or None, line.label, line.unit or None, line.value, line.note), start=1):
        ws.cell(row, col, value)
    return row + 1


def _as_typed(value: Any, row: Row) -> str | None:
    """A value as Word hands it to Excel: text ("602", "100%", "30/12/2023")."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return f"{value}%" if row.kind == "percent" else str(value)


def _as_printed_2022(value: Any) -> Value:
    """Seed 000 prints thousands with a dot ("3.192") and small counts with a zero ("07")."""
    if isinstance(value, int) and value >= 1000:
        return f"{value:,}".replace(",", ".")
    if isinstance(value, int) and value in (3, 7):
        return f"{value:02d}"
    return value
