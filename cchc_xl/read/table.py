"""Where the appendix table sits in a sheet: its header row(s), its columns, its data rows.

The template puts the header on row 7 (STT | Chỉ tiêu thống kê | Đơn vị tính | Số liệu | Ghi
chú), but a commune's file may have it anywhere, with extra columns, or in the printed form's
two-row shape ("Kết quả thống kê" above "Đơn vị tính | Số liệu"). Columns are found by their
titles, compared as label keys so broken diacritics still match.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cchc_xl.forms.numbers import parse_number
from cchc_xl.read.matching import label_key
from cchc_xl.read.xlsx_in import Grid

#: How far down a sheet the header is looked for.
HEADER_SEARCH_ROWS = 60
_CODE, _LABEL, _UNIT, _VALUE, _NOTE = (label_key(t) for t in ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"))
_RESULT = label_key("Kết quả")
#: a province's own appendix may title its label column "Nội dung" instead
_LABEL_TITLES = (_LABEL, label_key("Tên chỉ tiêu"), label_key("Nội dung"))


@dataclass(frozen=True)
class Columns:
    """0-based column indexes of the table's roles (None: the sheet has no such column)."""

    code: int | None
    label: int
    unit: int | None
    value: int
    note: int | None


@dataclass(frozen=True)
class Table:
    """A located table: `first_row` is the 0-based index of the first row under the header."""

    header_row: int
    first_row: int
    columns: Columns
    #: the header's own texts in the code, label and value columns
    titles: frozenset[str] = frozenset()

    def is_header(self, row: list[Any]) -> bool:
        """A header row (either of the two printed ones) repeated on a later page of a pasted table."""
        cols = self.columns
        return self.heads(cell(row, cols.code), cell(row, cols.label), cell(row, cols.value))

    def heads(self, code: Any, label: Any, value: Any) -> bool:
        """`is_header` of a row by its code, label and value cells, for a caller holding them."""
        titles = self.titles  # texts only: no number or date is among them
        return label in titles or value in titles or code in titles


def find_table(grid: Grid) -> Table | None:
    """The first row naming a "Chỉ tiêu" (or "Nội dung") column and a value column, with its second header row."""
    for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        keys = [_key(v) for v in row]
        if not any(k.startswith(_LABEL_TITLES) for k in keys):
            continue
        below = [_key(v) for v in grid[r + 1]] if r + 1 < len(grid) else []
        two_rows = any(k in (_VALUE, _UNIT) for k in below)
        titles = [" ".join(p for p in pair if p) for pair in zip(keys, below)] if two_rows else keys
        titles += keys[len(titles):]
        first = r + 2 if two_rows else r + 1
        columns = _columns(titles, grid[first:first + 150])
        if columns is not None:
            texts = {cell(h, c) for h in grid[r:first] for c in (columns.code, columns.label, columns.value)}
            return Table(r, first, columns, frozenset(t for t in texts if isinstance(t, str) and t.strip()))
    return None


def _columns(titles: list[str], body: Grid) -> Columns | None:
    label = next(i for i, t in enumerate(titles) if t.startswith(_LABEL_TITLES))
    code = _find(titles, lambda t: t == _CODE or t in ("tt", "ma so", "ma"))
    unit = _find(titles, lambda t: _UNIT in t)
    note = _find(titles, lambda t: t.startswith(_NOTE))
    value = _find(titles, lambda t: t.endswith(_VALUE) or t == _VALUE)
    if value is None:
        value = _find(titles, lambda t: _VALUE in t and not t.startswith(_LABEL_TITLES))
    if value is None:
        taken = {label, code, unit, note}
        value = _most_numeric([i for i, t in enumerate(titles) if i > label and i not in taken], body,
                              prefer=[i for i, t in enumerate(titles) if _RESULT in t])
    if value is None:
        return None
    return Columns(code=code, label=label, unit=unit, value=value, note=note)


def _find(titles: list[str], test) -> int | None:  # noqa: ANN001 - a predicate on a title key
    return next((i for i, t in enumerate(titles) if t and test(t)), None)


def _most_numeric(candidates: list[int], body: Grid, prefer: list[int]) -> int | None:
    """The column holding most numbers, when no title names the value column."""
    def numbers(col: int) -> int:
        return sum(1 for row in body if _is_numberlike(cell(row, col)))
    scored = sorted(((numbers(c), c in prefer, -c) for c in candidates), reverse=True)
    if not scored or scored[0][0] == 0:
        return None
    return -scored[0][2]


def _is_numberlike(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and parse_number(value) is not None


def cell(row: list[Any], col: int | None) -> Any:
    """A cell of a grid row, '' when the row is short or the column absent."""
    return row[col] if col is not None and col < len(row) else ""


def _key(value: Any) -> str:
    return label_key(value) if isinstance(value, str) and value else ""
