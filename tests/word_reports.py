"""Word reports (.docx) with the appendix as a table at their end, written with python-docx.

Shaped like the seed reports (shared/seeds/001: Xã Hoằng Lưu, Q2 2023): the report's opening
(the unit, the title with the period), the appendix title, then the table with the printed
two-row header (STT | Chỉ tiêu thống kê | Kết quả thống kê over Đơn vị tính | Số liệu | Ghi
chú), split into one table per page each repeating the header, "Trong đó" merged down the STT
column over the sub-rows, numbers written the Vietnamese way ("1.145", "47,37") and dates as
dd/mm/yyyy; optionally the seed's broken diacritics ("nhiệm v ", "c  chế").
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_BREAK

from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.periods import Period
from cchc_xl.read.matching import FRAGILE_LETTERS

LABEL_TITLE = "Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, 9 tháng, năm)"
TRONG_DO = "Trong đó"


def written(value: Any) -> str:
    """A value as a commune types it in Word: 1145 → "1.145", 47.37 → "47,37", a date dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return str(value).replace(".", ",")


def broken(text: str) -> str:
    """The seed's extraction damage: each fragile letter (ụ, ơ, đ…) replaced by a space."""
    return text.translate(str.maketrans({letter: " " for letter in FRAGILE_LETTERS}))


def table_rows(values: dict[str, Any], notes: dict[str, str] | None = None,
               form_id: str = "xa_2023") -> list[tuple[str, str, str, str, str]]:
    """(STT, label, unit, value, note) of every row of the form, sub-rows under "Trong đó"."""
    notes = notes or {}
    rows = []
    for row in load_form(form_id).rows:
        sub = row.label.startswith(f"{TRONG_DO}:")
        label = row.label.removeprefix(f"{TRONG_DO}:").strip()
        rows.append((TRONG_DO if sub else row.code, label, row.unit, written(values.get(row.code)),
                     notes.get(row.code, "")))
    return rows


def write_report(path: Path, unit: str, period: Period, rows: list[tuple[str, str, str, str, str]],
                 pages: int = 3, damaged: bool = False) -> Path:
    """A report whose appendix table is split into `pages` tables, each repeating the header."""
    report = docx.Document()
    for text in ("UBND HUYỆN HOẰNG HÓA", f"UBND {unit.upper()}", "Số: 25/BC-UBND",
                 f"{unit}, ngày 12 tháng 6 năm {period.year}", "BÁO CÁO",
                 f"Kết quả thực hiện công tác cải cách hành chính {period.label.lower()}",
                 "Thực hiện Kế hoạch của UBND huyện, UBND xã báo cáo như sau:"):
        report.add_paragraph(text)
    report.add_paragraph("TM. ỦY BAN NHÂN DÂN").add_run().add_break(WD_BREAK.PAGE)
    report.add_paragraph("Phụ lục 01b")
    report.add_paragraph(f"THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH TẠI UBND "
                         f"{unit.upper()}")
    size = -(-len(rows) // pages)
    for start in range(0, len(rows), size):
        _table(report, rows[start:start + size], damaged)
        report.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    report.add_paragraph("Nơi nhận: UBND huyện; Lưu VT.")
    report.save(path)
    return path


def _table(report: Any, rows: list[tuple[str, str, str, str, str]], damaged: bool) -> None:
    """One page of the appendix: the two header rows, then the rows, "Trong đó" merged down."""
    table = report.add_table(rows=2 + len(rows), cols=5)
    table.style = "Table Grid"
    for col, text in ((0, "STT"), (1, LABEL_TITLE), (2, "Kết quả thống kê"), (4, "Ghi chú")):
        table.cell(0, col).text = text
    table.cell(1, 2).text, table.cell(1, 3).text = "Đơn vị tính", "Số liệu"
    table.cell(0, 2).merge(table.cell(0, 3))
    for col in (0, 1, 4):
        table.cell(0, col).merge(table.cell(1, col))
    first_sub = None
    for r, (code, label, unit, value, note) in enumerate(rows, start=2):
        for col, text in enumerate((code, broken(label) if damaged else label, unit, value, note)):
            if col or code != TRONG_DO or first_sub is None:
                table.cell(r, col).text = text
        if code == TRONG_DO:
            first_sub = r if first_sub is None else first_sub
            if r > first_sub:
                table.cell(first_sub, 0).merge(table.cell(r, 0)).text = TRONG_DO
        else:
            first_sub = None
