"""The appendix table inside a Word report (.docx), laid out as a sheet for the same reader.

Many communes send only their report, the appendix a table at its end. That table is found by
its header (STT | Chỉ tiêu | Đơn vị tính | Số liệu | Ghi chú) with `table.find_table`, the very
function that finds it in a sheet, so broken diacritics and the printed two-row header serve
here too. A table split across pages (a table per page, each repeating the header, as a PDF
converted to Word gives) continues while the next tables have as many columns; the repeated
header rows are skipped by the reader as in a sheet. A merged cell keeps its text in its first
grid cell only and is listed as a merged range, as in a workbook ("Trong đó" spanning rows).

The rows are placed by `reader` like a sheet's; only the names differ: a value is found at
"bảng 5, dòng 12" (the document's 5th table, its 12th row). A Word cell holds text only, so the
value column's text is typed as Excel (Vietnamese settings) types it: a number written the
Vietnamese way ("1.145", "47,37", "100%") becomes the number, a date "30/12/2022" the date;
any other text stays text and is reported as a sheet's would be.

The paragraphs just above the table, then the report's opening, stand above the header as
title rows: the unit and period are read there ("UBND XÃ HOẰNG LƯU", "Quý II năm 2023").
The package is inspected like a workbook's before python-docx parses it (`opening`).
python-docx is imported when a report is opened: a run of workbooks never loads it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from cchc_xl.common.problems import ReadError
from cchc_xl.forms.numbers import date_of, parse_number
from cchc_xl.read.parsing import parse_date_text
from cchc_xl.read.table import find_table
from cchc_xl.read.xlsx_in import Grid
from cchc_xl.read.xlsx_package import MAX_COLUMNS, MAX_SHEET_CELLS

#: Title paragraphs kept above the table: those just above it, then the report's opening (together
#: far fewer than the rows `table.find_table` looks through for the header).
NEAR_PARAGRAPHS, OPENING_PARAGRAPHS = 8, 8
Span = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class _Laid:
    """One Word table as grid rows: texts, merged ranges (0-based in the table), its number."""

    number: int
    rows: Grid
    merged: list[Span] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


@dataclass
class Document:
    """A Word report's appendix as one sheet: title rows, then the rows of its tables."""

    path: Path
    sheet: str
    rows: Grid
    #: (table number, row number), 1-based, of each grid row; None for a title row
    places: list[tuple[int, int] | None]
    spans: list[Span]
    visible: dict[str, bool] = field(init=False)

    def __post_init__(self) -> None:
        self.visible = {self.sheet: True}

    def __enter__(self) -> "Document":
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def grid(self, sheet: str) -> Grid:
        return self.rows

    def merged(self, sheet: str) -> list[Span]:
        return self.spans

    def stored_number(self, sheet: str, ref: str) -> float | None:
        """A Word cell stores text only: no number hides behind a date."""
        return None

    def why_blank(self, sheet: str, ref: str) -> tuple[str, str] | None:
        """A blank Word cell is blank: it holds no formula."""
        return None

    def ref(self, row: int, col: int) -> str:
        """"bảng 5, dòng 12": where a value is in the report (a row holds one value cell)."""
        table, number = self.places[row] or (0, 0)
        return f"bảng {table}, dòng {number}"

    def row_name(self, row: int) -> str:
        return self.ref(row, 0).capitalize()

    def span(self, top: int, left: int, bottom: int, right: int) -> str:
        """A merged cell's rows: "bảng 5, dòng 3–6" (a merge never leaves its table)."""
        return f"{self.ref(top, left)}–{self.places[bottom][1]}" if bottom > top else self.ref(top, left)


def open_document(path: Path, data: bytes) -> Document:
    """The appendix of a Word report whose package `opening` has inspected, or a `ReadError`."""
    import docx
    try:
        report = docx.Document(io.BytesIO(data))
        blocks = list(_blocks(path.name, report))
    except ReadError:
        raise
    except Exception as error:  # noqa: BLE001 - a malformed part makes python-docx raise anything (AttributeError…)
        raise ReadError(f"Tệp '{path.name}' là văn bản Word bị hỏng, không đọc được ({error}). Đề nghị đơn vị "
                        "mở lại bằng Word, lưu dạng .docx rồi gửi lại.", "corrupt") from error
    tables = [block for block in blocks if isinstance(block, _Laid)]
    found = next((i for i, table in enumerate(tables) if find_table(table.rows) is not None), None)
    if found is None:
        raise ReadError(f"Tệp '{path.name}' là văn bản Word nhưng không có bảng phụ lục (bảng có dòng tiêu đề STT, "
                        f"Chỉ tiêu, Đơn vị tính, Số liệu) trong {len(tables)} bảng của văn bản. Đề nghị đơn vị gửi "
                        "báo cáo có bảng phụ lục, hoặc nhập số liệu vào mẫu Excel.", "no_table")
    appendix = _continued(tables, found)
    return _laid_out(path, _titles(blocks, tables[found]), appendix)


def _blocks(name: str, report: Any) -> Iterator[str | _Laid]:
    """The report's paragraphs (their text) and tables (laid out), in document order."""
    from docx.table import Table as WordTable
    elements = iter(report.element.body.tbl_lst)
    number = 0
    for block in report.iter_inner_content():
        if isinstance(block, WordTable):
            number += 1
            yield _lay(name, number, next(elements), block)
        elif block.text.strip():
            yield block.text.strip()


def _lay(name: str, number: int, element: Any, parent: Any) -> _Laid:
    """A table's texts by grid column, a merged cell's text in its first grid cell only.

    The grid cells a Word cell covers come from its XML (`w:gridSpan` across, `w:vMerge` down:
    "restart" opens a merge, "continue" extends it); its text from python-docx's paragraphs.
    The grid is bounded like a sheet: a crafted span of a billion columns is refused, not laid out.
    """
    from docx.text.paragraph import Paragraph
    cells = 0
    merges: dict[tuple[int, int], tuple[int, int]] = {}  # top-left -> bottom-right
    tops: dict[int, int] = {}  # grid column -> top row of the vertical merge open there
    rows: Grid = []
    for r, tr in enumerate(element.tr_lst):
        col = tr.grid_before
        cells += col
        if col > MAX_COLUMNS:
            raise _too_large(name, number)
        texts: list[Any] = [""] * col
        for tc in tr.tc_lst:
            span = tc.grid_span
            cells += span
            if col + span > MAX_COLUMNS or cells > MAX_SHEET_CELLS:
                raise _too_large(name, number)
            if tc.vMerge == "continue" and col in tops:
                merges[(tops[col], col)] = (r, col + span - 1)
                texts += [""] * span
            else:
                texts += ["\n".join(Paragraph(p, parent).text for p in tc.p_lst).strip()] + [""] * (span - 1)
                if tc.vMerge == "restart":
                    tops[col] = r
                else:
                    tops.pop(col, None)
                if span > 1:
                    merges[(r, col)] = (r, col + span - 1)
            col += span
        rows.append(texts)
    return _Laid(number, rows, list(merges.items()))


def _too_large(name: str, number: int) -> ReadError:
    limit = f"{MAX_SHEET_CELLS:,}".replace(",", ".")
    return ReadError(f"Tệp '{name}': bảng {number} của văn bản Word có quá nhiều ô (vượt giới hạn {MAX_COLUMNS} cột "
                     f"hoặc {limit} ô mà một phụ lục cần; có thể là tệp độc hại). Đã bỏ qua.", "sheet_too_large")


def _continued(tables: list[_Laid], first: int) -> list[_Laid]:
    """The appendix table and the tables continuing it (pages): as many columns, one after another."""
    width = tables[first].width
    found = [tables[first]]
    for table in tables[first + 1:]:
        if table.width != width:
            break
        found.append(table)
    return found


def _titles(blocks: list[str | _Laid], first: _Laid) -> list[str]:
    """Paragraphs just above the table (nearest first), then the report's opening ones."""
    at = next(i for i, block in enumerate(blocks) if block is first)
    before = [block for block in blocks[:at] if isinstance(block, str)]
    near = before[::-1][:NEAR_PARAGRAPHS]
    return near + [text for text in before[:OPENING_PARAGRAPHS] if text not in near]


def _laid_out(path: Path, titles: list[str], tables: list[_Laid]) -> Document:
    rows: Grid = [[text] for text in titles]
    places: list[tuple[int, int] | None] = [None] * len(titles)
    spans: list[Span] = []
    for table in tables:
        offset = len(rows)
        rows += table.rows
        places += [(table.number, r + 1) for r in range(len(table.rows))]
        spans += [((top + offset, left), (bottom + offset, right)) for (top, left), (bottom, right) in table.merged]
    numbers = [t.number for t in tables]
    sheet = f"bảng {numbers[0]}" if len(numbers) == 1 else f"bảng {numbers[0]}–{numbers[-1]}"
    _type_values(rows)
    return Document(path, sheet, rows, places, spans)


def _type_values(rows: Grid) -> None:
    """The value column's texts typed as Excel types them: a whole number or date becomes one."""
    table = find_table(rows)
    if table is None:
        return
    col = table.columns.value
    for row in rows[table.first_row:]:
        if col < len(row) and isinstance(row[col], str) and row[col]:
            row[col] = _typed(row[col])


def _typed(text: str) -> Any:
    serial = parse_date_text(text)
    if serial is not None:
        return date_of(serial)
    number = parse_number(text)
    return text if number is None else number
