"""A value cell's data validation as data: the limits and Vietnamese prompts of each kind of row.

The commune template (openpyxl) and the district form sheet (XlsxWriter) guard their input
cells with the same rules; both render an `InputRule` with their own library, so neither the
data nor the wording is written twice.
"""
from __future__ import annotations

from dataclasses import dataclass

from cchc_xl.forms.catalog import Row
from cchc_xl.forms.periods import Period

ERROR_TITLE = "Giá trị không hợp lệ"


@dataclass(frozen=True)
class InputRule:
    """A value cell's data validation as data (Excel's names for type and operator), so the
    commune template (openpyxl) and the district workbook (XlsxWriter) guard their inputs
    with the same limits and the same Vietnamese prompts."""

    kind: str               # "whole", "decimal", "list" or "date"
    operator: str | None    # "between", "greaterThanOrEqual"; None for a list
    formula1: str
    title: str
    prompt: str
    error: str
    formula2: str | None = None
    #: "stop" refuses another value; "warning" (a date row) lets the user keep a text naming a date
    error_style: str = "stop"


def input_rule(row: Row, period: Period) -> InputRule | None:
    """The validation of a row's value cell; None for text rows, which take anything."""
    if row.kind == "count":
        return InputRule("whole", "greaterThanOrEqual", "0", "Số lượng",
                         "Nhập số nguyên ≥ 0. Để trống nếu chưa có số liệu (để trống khác 0).",
                         "Chỉ nhập số nguyên không âm (0, 1, 2, …).")
    if row.kind == "percent":
        return InputRule("decimal", "between", "0", "Tỷ lệ (%)", "Nhập tỷ lệ từ 0 đến 100 (không gõ dấu %).",
                         "Tỷ lệ phải nằm trong khoảng 0 đến 100.", formula2="100")
    if row.kind == "code":
        codes = ",".join(str(c) for c in row.choices)
        meaning = "; ".join(f"{c} = {m}" for c, m in row.choices.items())
        return InputRule("list", None, f'"{codes}"', "Chọn mã", f"Chọn một mã: {meaning}.",
                         f"Chỉ chọn một trong các mã: {meaning}.")
    if row.kind == "date":
        end = period.end
        return InputRule("date", "between", "DATE(2000,1,1)", "Ngày ban hành",
                         f"Nhập ngày dạng dd/mm/yyyy, không sau {end:%d/%m/%Y}; hoặc số hiệu văn bản kèm ngày "
                         "(QĐ số …/QĐ-UBND ngày dd/mm/yyyy).",
                         f"Ngày phải hợp lệ và không sau {end:%d/%m/%Y}. Nếu ô ghi số hiệu văn bản kèm ngày "
                         "(… ngày dd/mm/yyyy), chọn Yes để giữ: cột Kiểm tra đọc ngày trong đó.",
                         formula2=f"DATE({end.year},{end.month},{end.day})", error_style="warning")
    return None


def input_rule_key(row: Row) -> str:
    """Rows sharing this key share one validation rule (one per kind, one per set of codes)."""
    return row.kind if row.kind != "code" else f"code:{sorted(row.choices)}"
