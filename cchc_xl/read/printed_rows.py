"""An appendix table as it is printed, knowing no form: the rows a province's own form is
inferred from (`form_infer`).

The table is found as the reader finds it (`reader.appendix_sheet`: its header by the column
titles, repeated page headers skipped), in any file the reader opens (.xlsx, .xls, .ods,
.docx…). Each data row keeps its STT cell as written ("I", "3", "1.2.1", "Trong đó"), its label,
unit and value. Two printing habits are undone here, because they are layout, not content:
a "Trong đó" cell merged down the STT column over its sub-rows is repeated on each of them, and
a row cut by a page break (the rest of its label printed on the next page's first row, lower
case, with no number or value; the rest of its unit beside it) is joined back to its row.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc_xl.forms.numbers import Value, cell_value
from cchc_xl.read.docx_in import Document
from cchc_xl.read.matching import code_in_label, label_key
from cchc_xl.read.opening import open_input
from cchc_xl.read.parsing import parse_date_text
from cchc_xl.read.reader import appendix_sheet
from cchc_xl.read.table import Table, cell
from cchc_xl.read.xlsx_in import Book, Grid


@dataclass(frozen=True)
class PrintedRow:
    """One data row: the STT cell as text ('' when empty), label, unit, value, and its place."""

    stt: str
    label: str
    unit: str
    value: Value
    #: the value is a date (a date cell, or text such as "30/12/2023")
    dated: bool
    #: where the row is, in the words of the file's kind ("Dòng 12", "bảng 2, dòng 5")
    place: str


@dataclass(frozen=True)
class PrintedTable:
    sheet: str
    #: the table is on a workbook's sheet (whose name a template may keep), not in a Word report
    workbook: bool
    #: the texts above the table (the form's title, its heading)
    titles: tuple[str, ...]
    rows: tuple[PrintedRow, ...]


def printed_table(path: Path) -> PrintedTable:
    """The appendix table of a file, row by row; `ReadError` when it has none or cannot be read."""
    with open_input(path) as book:
        sheet, grid, table = appendix_sheet(book, None)
        titles = tuple(v.strip() for row in grid[:table.header_row] for v in row if isinstance(v, str) and v.strip())
        rows = tuple(_rows(book, grid, table, _merged_stt(book, sheet, table)))
        return PrintedTable(sheet, not isinstance(book, Document), titles, rows)


def _merged_stt(book: Book | Document, sheet: str, table: Table) -> dict[int, int]:
    """Rows under a merged STT cell → the range's first row, whose text stands for all of them."""
    col = table.columns.code
    if col is None:
        return {}
    return {r: top for (top, left), (bottom, right) in book.merged(sheet)
            if left <= col <= right for r in range(top + 1, bottom + 1)}


def _rows(book: Book | Document, grid: Grid, table: Table, merged: dict[int, int]) -> list[PrintedRow]:
    cols = table.columns
    headers = {_texts(grid[r]) for r in range(table.header_row, table.first_row)}
    found: list[PrintedRow] = []
    for r in range(table.first_row, len(grid)):
        row = grid[r]
        if table.is_header(row) or _texts(row) in headers:
            continue
        label, unit, raw = _text(cell(row, cols.label)), _text(cell(row, cols.unit)), cell(row, cols.value)
        stt = _text(cell(grid[merged.get(r, r)], cols.code))
        if not label and _text(raw) == "":
            continue
        if found and _continues(stt, label, raw):
            last = found[-1]
            found[-1] = PrintedRow(last.stt, f"{last.label} {label}", f"{last.unit} {unit}".strip(), last.value,
                                   last.dated, last.place)
            continue
        if not stt:
            code, label = code_in_label(label)
            stt = code or ""
        found.append(PrintedRow(stt, label, unit, cell_value(raw), _dated(raw), book.row_name(r)))
    return found


def _continues(stt: str, label: str, raw: Any) -> bool:
    """The rest of the previous row cut by a page break: no number, no value, a label starting
    in lower case (and, in the unit column, the rest of the unit if it was cut too)."""
    return not stt and _text(raw) == "" and label[:1].islower()


def _dated(raw: Any) -> bool:
    if isinstance(raw, dt.date):
        return True
    return isinstance(raw, str) and parse_date_text(raw.strip()) is not None


def _texts(row: list[Any]) -> str:
    """A row's texts as one key: a page's repeated header rows give the first page's key."""
    return label_key(" ".join(map(_text, row)))


def _text(value: Any) -> str:
    """A cell as one line of text: spacing collapsed, '' for a blank."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())
