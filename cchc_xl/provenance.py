"""Where every number of the district workbook came from, and what could not be used.

Sheets: `Nguồn` (one row per file received, with its fingerprint, then every problem met
reading or placing it) and `Nguồn số liệu` (every non-blank value or note of every file, with
its source cell and where it went in `Tổng hợp`, or why it went nowhere). Nothing read is left
out. For cumulative figures each commune column has one file per quarter, all listed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from .catalog import load_form
from .inputs import Received, Source
from .numbers import Value
from .xlsx_out import LINE_HEIGHT, Styles, line_count, link_formula, print_landscape, write_formula, write_value

if TYPE_CHECKING:
    from .consolidate import Consolidation, Part

SOURCE_SHEET = "Nguồn"
VALUES_SHEET = "Nguồn số liệu"
CONSOLIDATED, DUPLICATE, UNREADABLE = "Đã tổng hợp", "Nộp trùng: không cộng", "Không đọc được"

#: Vietnamese names of `Problem.kind`; a kind not listed is shown as is.
PROBLEM_KINDS = {
    "read": "Đọc tệp", "text": "Chữ trong ô số", "number_text": "Số gõ dạng chữ", "period": "Sai kỳ",
    "unreadable": "Không đọc được", "duplicate": "Nộp trùng", "unit": "Thiếu tên đơn vị",
    "unplaced": "Không có chỗ trong biểu", "skipped": "Bỏ qua", "form": "Khác biểu mẫu",
    "quarter": "Thiếu quý", "own": "Số liệu của huyện", "previous": "Số liệu kỳ trước",
    "hidden_sheet": "Trang ẩn", "merged": "Ô gộp", "date_range": "Ngày ngoài phạm vi",
    "not_finite": "Số không hữu hạn", "too_long": "Chữ quá dài", "text_below": "Chữ dưới bảng",
}

#: (commune index, code) -> reference to its cell on `Tổng hợp` ("'Tổng hợp'!E45")
SummaryCell = Callable[[int, str], str]


def write_sheets(wb: Workbook, c: Consolidation, styles: Styles, summary_cell: SummaryCell) -> None:
    _write_sources(wb.add_worksheet(SOURCE_SHEET), c, styles)
    _write_values(wb.add_worksheet(VALUES_SHEET), c, styles, summary_cell)


def _table(ws: Worksheet, row: int, titles: tuple[str, ...], styles: Styles) -> int:
    for col, title in enumerate(titles):
        ws.write_string(row, col, title, styles.header)
    return row + 1


# The problems table below the files shares the columns: its long message sits under SHA-256.
_SOURCE_TITLES = ("STT", "Xã (cột trong Tổng hợp)", "Trạng thái", "Tệp", "Sửa lần cuối", "SHA-256",
                  "Trang tính", "Đơn vị ghi trong tệp", "Kỳ ghi trong tệp", "Biểu mẫu",
                  "Phiên bản biểu mẫu", "Thư mục")
_PROBLEM_TITLES = ("STT", "Tệp", "Ô", "Mã", "Loại", "Nội dung")
_SOURCE_WIDTHS = (6, 24, 20, 28, 16, 68, 14, 22, 16, 10, 10, 40)


def _write_sources(ws: Worksheet, c: Consolidation, styles: Styles) -> None:
    ws.write_string(0, 0, "CÁC TỆP ĐÃ NHẬN", styles.title)
    row = _table(ws, 1, _SOURCE_TITLES, styles)
    entries = [(m.name, _status_of(part, c), part.received) for m in c.communes for part in m.parts]
    entries += [(d.name, DUPLICATE, d.dropped) for d in c.duplicates]
    for i, (name, status, received) in enumerate(entries, 1):
        _source_row(ws, row, (str(i), name, status), received.source, styles)
        _submission_cells(ws, row, received, styles)
        row += 1
    for i, unreadable in enumerate(c.unreadable, len(entries) + 1):
        if unreadable.source is not None:
            _source_row(ws, row, (str(i), "", UNREADABLE), unreadable.source, styles)
        else:
            for col, value in enumerate((str(i), "", UNREADABLE, unreadable.path.name)):
                ws.write_string(row, col, value, styles.text)
        row += 1
    ws.write_string(row + 1, 0, f"VẤN ĐỀ KHI ĐỌC VÀ TỔNG HỢP ({len(c.problems)})", styles.title)
    row = _table(ws, row + 2, _PROBLEM_TITLES, styles)
    for i, problem in enumerate(c.problems, 1):
        cells = (str(i), problem.file, problem.cell or "", problem.code or "",
                 PROBLEM_KINDS.get(problem.kind, problem.kind), problem.message)
        for col, value in enumerate(cells):
            ws.write_string(row, col, value, styles.text)
        ws.set_row(row, LINE_HEIGHT * max(line_count(problem.message, _SOURCE_WIDTHS[5]),
                                          line_count(problem.file, _SOURCE_WIDTHS[1])))
        row += 1
    for col, width in enumerate(_SOURCE_WIDTHS):
        ws.set_column(col, col, width)
    ws.freeze_panes(2, 0)
    print_landscape(ws)


def _status_of(part: Part, c: Consolidation) -> str:
    return f"{CONSOLIDATED}: {part.period.label}" if c.from_quarters and part.period else CONSOLIDATED


def _source_row(ws: Worksheet, row: int, lead: tuple[str, str, str], source: Source, styles: Styles) -> None:
    """STT, name and status, then the file's name, modification time, SHA-256 and folder."""
    for col, value in enumerate((*lead, source.path.name)):
        ws.write_string(row, col, value, styles.text)
    ws.write_datetime(row, 4, source.modified, styles.stamp)
    ws.write_string(row, 5, source.sha256, styles.text)
    ws.write_string(row, 11, str(source.path.parent.resolve()), styles.text)


def _submission_cells(ws: Worksheet, row: int, received: Received, styles: Styles) -> None:
    submission = received.submission
    form = load_form(submission.form)
    period = submission.period.label if submission.period else ""
    for col, value in enumerate((submission.sheet, submission.unit or "", period, form.id, form.version), 6):
        ws.write_string(row, col, value, styles.text)


_VALUE_TITLES = ("Xã", "Mã trong tệp", "Tệp", "Ô nguồn", "Giá trị trong tệp", "Giá trị tổng hợp",
                 "Ô trong Tổng hợp", "Ghi chú của xã")


def _write_values(ws: Worksheet, c: Consolidation, styles: Styles, summary_cell: SummaryCell) -> None:
    """Every value or note read, with its source cell and its place in `Tổng hợp` (or none)."""
    row = _table(ws, 0, _VALUE_TITLES, styles)
    for i, commune in enumerate(c.communes):
        for part in commune.parts:
            placed = {where: code for code, where in part.cells.items()}
            for code, raw, where in _read_values(part.received):
                target = placed.get(where)
                consolidated = commune.values.get(target) if target else None
                link = summary_cell(i, target) if target else None
                _value_row(ws, row, commune.name, code, raw, consolidated, where, link, part.received, styles)
                row += 1
    for duplicate in c.duplicates:
        for code, raw, where in _read_values(duplicate.dropped):
            _value_row(ws, row, duplicate.name, code, raw, None, where, None, duplicate.dropped, styles)
            row += 1
    for col, width in enumerate((20, 10, 30, 18, 16, 16, 14, 30)):
        ws.set_column(col, col, width)
    ws.autofilter(0, 0, max(row - 1, 0), len(_VALUE_TITLES) - 1)
    ws.freeze_panes(1, 0)
    ws.repeat_rows(0)
    print_landscape(ws)


def _read_values(received: Received) -> list[tuple[str, Value, str]]:
    """(code, raw value, "Sheet!D45") for every code holding a value or a note."""
    submission = received.submission
    found = []
    for code, raw in submission.values.items():
        if raw is None and code not in submission.notes:
            continue
        cell = submission.cells.get(code)
        found.append((code, raw, f"{submission.sheet}!{cell}" if cell else submission.sheet))
    return found


def _value_row(ws: Worksheet, row: int, name: str, code: str, raw: Value, consolidated: Value,
               where: str, link: str | None, received: Received, styles: Styles) -> None:
    ws.write_string(row, 0, name, styles.text)
    ws.write_string(row, 1, code, styles.code)
    ws.write_string(row, 2, received.source.path.name, styles.text)
    ws.write_string(row, 3, where, styles.text)
    form = load_form(received.submission.form)
    is_date = form.has(code) and form.row(code).kind == "date"
    write_value(ws, row, 4, raw, styles.text_date if is_date else styles.text)
    write_value(ws, row, 5, consolidated, styles.text_date if is_date else styles.text)
    if link is not None:
        write_formula(ws, row, 6, link_formula(link), styles.link)
    else:
        ws.write_string(row, 6, "không cộng", styles.note)
    ws.write_string(row, 7, received.submission.notes.get(code, ""), styles.text)
