"""Read a filled appendix workbook back into values by indicator code.

`values` holds exactly what each value cell holds (normalised by `numbers.cell_value`), so a
Python check of them means what the live formulas mean. Problems met while reading are returned
as data, never raised, so one bad file cannot stop a batch.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from .catalog import DEFAULT_FORM, CatalogError, available_forms
from .numbers import Value, cell_value, general, parse_number
from .periods import Period, PeriodError
from .template import HEADER, META_SHEET


class ReadError(Exception):
    """The file cannot be read at all; the message names it, in Vietnamese."""


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    cell: str | None = None
    code: str | None = None
    kind: str = "read"


@dataclass
class Submission:
    path: Path
    form: str
    sheet: str
    unit: str | None = None
    period: Period | None = None
    #: exactly what each value cell holds: what the live formulas see, what `check` evaluates
    values: dict[str, Value] = field(default_factory=dict)
    #: the values a district adds up: Vietnamese number text read as numbers (each such
    #: reading, and any text that is no number, is also listed in `problems`)
    parsed: dict[str, Value] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_submission(path: Path | str) -> Submission:
    """Values by code from a workbook made from our template."""
    path = Path(path)
    try:
        workbook = load_workbook(path, data_only=True, read_only=False)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ReadError(f"Không đọc được tệp '{path.name}': không phải tệp Excel .xlsx hợp lệ ({error}).") from error
    meta = _meta(workbook[META_SHEET]) if META_SHEET in workbook.sheetnames else {}
    if meta.get("kind", "commune") != "commune":
        raise ReadError(f"Tệp '{path.name}' là bảng tổng hợp, không phải phụ lục của một xã.")
    form_id = meta.get("form", DEFAULT_FORM)
    if form_id not in available_forms():
        raise ReadError(f"Tệp '{path.name}': biểu mẫu '{form_id}' không được hỗ trợ.")
    sheet = _appendix_sheet(workbook.worksheets, path)
    submission = Submission(path=path, form=form_id, sheet=sheet.title, unit=meta.get("unit"))
    try:
        submission.period = Period.parse(meta["period"]) if "period" in meta else None
    except PeriodError as error:
        submission.problems.append(Problem(path.name, str(error), kind="period"))
    _read_rows(sheet, submission)
    return submission


def _lenient(value: Value, submission: Submission, code: str) -> Value:
    """Number text becomes a number (reported); other text stays text (reported)."""
    if not isinstance(value, str):
        return value
    number = parse_number(value)
    cell = submission.cells[code]
    name = submission.path.name
    if number is None:
        submission.problems.append(Problem(name, f"Ô {cell} (mã {code}): '{value}' không phải số.", cell, code, "text"))
        return value
    submission.problems.append(Problem(name, f"Ô {cell} (mã {code}): văn bản '{value}' đã đọc thành số {general(number)}.", cell, code, "number_text"))
    return number


def _meta(ws: Worksheet) -> dict[str, str]:
    return {str(k): str(v) for k, v in ws.iter_rows(max_col=2, values_only=True) if k is not None and v is not None}


def _appendix_sheet(sheets: list[Worksheet], path: Path) -> Worksheet:
    for ws in sheets:
        if _header_row(ws) is not None:
            return ws
    raise ReadError(f"Tệp '{path.name}': không tìm thấy bảng có cột STT / Chỉ tiêu thống kê / Số liệu.")


def _header_row(ws: Worksheet) -> int | None:
    for row in ws.iter_rows(min_row=1, max_row=30, max_col=3):
        texts = [str(c.value).strip() for c in row if c.value is not None]
        if texts[:2] == list(HEADER[:2]):
            return row[0].row
    return None


def _read_rows(ws: Worksheet, submission: Submission) -> None:
    header = _header_row(ws)
    assert header is not None
    titles = {str(c.value).strip(): c.column_letter for c in ws[header] if c.value is not None}
    value_col, note_col = titles["Số liệu"], titles.get("Ghi chú")
    for row in range(header + 1, ws.max_row + 1):
        code = ws[f"A{row}"].value
        if code is None:
            continue
        code = str(code).strip()
        value = cell_value(ws[f"{value_col}{row}"].value)
        submission.values[code] = value
        submission.cells[code] = f"{value_col}{row}"
        submission.parsed[code] = _lenient(value, submission, code)
        note = ws[f"{note_col}{row}"].value if note_col else None
        if note not in (None, ""):
            submission.notes[code] = str(note)


__all__ = ["CatalogError", "Problem", "ReadError", "Submission", "read_submission"]
