"""Where every number of the district workbook came from, and what could not be used.

Sheets: `Nguồn` (one row per file received, with its fingerprint, then every problem met
reading or placing it) and `Nguồn số liệu`: laid out cell for cell as `Tổng hợp`, each commune
cell names the file's cell its number came from ("Phụ lục 01b!D45"; for cumulative figures
each quarter's file and cell), and below it every value or note read that has no place in
`Tổng hợp` (no row of the form for it, or the file of a commune that sent twice), with the
file, cell and value as read.
Nothing read is left out. A province's thousand communes cost a row of short texts per
indicator, not a row per value.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from xlsxwriter import Workbook

from cchc_xl.district.layout import Layout
from cchc_xl.district.model import Commune, Consolidation, Part
from cchc_xl.district.xlsx_out import (
    LINE_HEIGHT,
    DistrictSheet,
    Styles,
    line_count,
    print_landscape,
)
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.numbers import Value, serial
from cchc_xl.read.inputs import Received, Source

SOURCE_SHEET = "Nguồn"
VALUES_SHEET = "Nguồn số liệu"
CONSOLIDATED, DUPLICATE, UNREADABLE = "Đã tổng hợp", "Nộp trùng: không cộng", "Không đọc được"
#: Title of the list of values read but not in `Tổng hợp`, below the table of `Nguồn số liệu`.
NOT_CONSOLIDATED_TITLE = "GIÁ TRỊ VÀ GHI CHÚ ĐÃ ĐỌC NHƯNG KHÔNG CỘNG VÀO TỔNG HỢP"
FILES_LABEL = "Tệp của xã:"

#: Vietnamese names of `Problem.kind`; a kind not listed is shown as is.
PROBLEM_KINDS = {
    "read": "Đọc tệp", "text": "Chữ trong ô số", "number_text": "Số gõ dạng chữ", "period": "Sai kỳ",
    "unreadable": "Không đọc được", "duplicate": "Nộp trùng", "unit": "Thiếu tên đơn vị",
    "unplaced": "Không có chỗ trong biểu", "skipped": "Bỏ qua", "form": "Khác biểu mẫu",
    "quarter": "Thiếu quý", "own": "Số liệu tự nhập của đơn vị tổng hợp", "previous": "Số liệu kỳ trước", "renamed": "Tên đơn vị cũ",
    "hidden_sheet": "Trang ẩn", "merged": "Ô gộp", "date_range": "Ngày ngoài phạm vi",
    "not_finite": "Số không hữu hạn", "too_long": "Chữ quá dài", "text_below": "Chữ dưới bảng",
}


def write_sheets(wb: Workbook, c: Consolidation, styles: Styles, layout: Layout) -> None:
    _write_sources(wb.add_worksheet(SOURCE_SHEET), c, styles)
    _write_values(wb.add_worksheet(VALUES_SHEET), c, styles, layout)


def _table(ws: DistrictSheet, row: int, titles: tuple[str, ...], styles: Styles) -> int:
    ws.write_cells(row, 0, [(title, styles.header) for title in titles])
    return row + 1


def _texts(ws: DistrictSheet, row: int, col: int, texts: Sequence[str], styles: Styles) -> None:
    """Text cells from `col` on, written with the bulk cells (a thousand files make a thousand
    rows here); an empty text is a blank cell, not a text cell holding nothing."""
    ws.write_cells(row, col, [(text or None, styles.text) for text in texts])


# The problems table below the files shares the columns: its long message sits under SHA-256.
_SOURCE_TITLES = ("STT", "Xã (cột trong Tổng hợp)", "Trạng thái", "Tệp", "Sửa lần cuối", "SHA-256",
                  "Trang tính", "Đơn vị ghi trong tệp", "Kỳ ghi trong tệp", "Biểu mẫu",
                  "Phiên bản biểu mẫu", "Thư mục")
_PROBLEM_TITLES = ("STT", "Tệp", "Ô", "Mã", "Loại", "Nội dung")
_SOURCE_WIDTHS = (6, 24, 20, 28, 16, 68, 14, 22, 16, 10, 10, 40)


def _write_sources(ws: DistrictSheet, c: Consolidation, styles: Styles) -> None:
    ws.write_string(0, 0, "CÁC TỆP ĐÃ NHẬN", styles.title)
    row = _table(ws, 1, _SOURCE_TITLES, styles)
    entries = [(m.name, _status_of(part, c), part.received) for m in c.communes for part in m.parts]
    entries += [(d.name, DUPLICATE, d.dropped) for d in c.duplicates]
    folders: dict[Path, str] = {}
    for i, (name, status, received) in enumerate(entries, 1):
        _source_row(ws, row, (str(i), name, status), received.source, styles, folders)
        _submission_cells(ws, row, received, styles)
        row += 1
    for i, unreadable in enumerate(c.unreadable, len(entries) + 1):
        if unreadable.source is not None:
            _source_row(ws, row, (str(i), "", UNREADABLE), unreadable.source, styles, folders)
        else:
            _texts(ws, row, 0, (str(i), "", UNREADABLE, unreadable.path.name), styles)
        row += 1
    ws.write_string(row + 1, 0, f"VẤN ĐỀ KHI ĐỌC VÀ TỔNG HỢP ({len(c.problems)})", styles.title)
    row = _table(ws, row + 2, _PROBLEM_TITLES, styles)
    for i, problem in enumerate(c.problems, 1):
        cells = (str(i), problem.file, problem.cell or "", problem.code or "",
                 PROBLEM_KINDS.get(problem.kind, problem.kind), problem.message)
        _texts(ws, row, 0, cells, styles)
        ws.set_row(row, LINE_HEIGHT * max(line_count(problem.message, _SOURCE_WIDTHS[5]),
                                          line_count(problem.file, _SOURCE_WIDTHS[1])))
        row += 1
    for col, width in enumerate(_SOURCE_WIDTHS):
        ws.set_column(col, col, width)
    ws.freeze_panes(2, 0)
    print_landscape(ws)


def _status_of(part: Part, c: Consolidation) -> str:
    return f"{CONSOLIDATED}: {part.period.label}" if c.from_quarters and part.period else CONSOLIDATED


def _source_row(ws: DistrictSheet, row: int, lead: tuple[str, str, str], source: Source, styles: Styles,
                folders: dict[Path, str]) -> None:
    """STT, name and status, then the file's name, modification time, SHA-256 and folder;
    `folders` keeps each folder resolved once (a thousand files share one or a few)."""
    _texts(ws, row, 0, (*lead, source.path.name), styles)
    ws.write_cells(row, 4, [(serial(source.modified), styles.stamp), (source.sha256, styles.text)])
    folder = folders.get(source.path.parent)
    if folder is None:
        folder = folders[source.path.parent] = str(source.path.parent.resolve())
    _texts(ws, row, 11, (folder,), styles)


def _submission_cells(ws: DistrictSheet, row: int, received: Received, styles: Styles) -> None:
    submission = received.submission
    form = load_form(submission.form)
    period = submission.period.label if submission.period else ""
    _texts(ws, row, 6, (submission.sheet, submission.unit or "", period, form.id, form.version), styles)


# The list below the table shares its columns: codes under codes, file names under labels.
_UNUSED_TITLES = ("Mã trong tệp", "Tệp", "Ô nguồn", "Giá trị trong tệp", "Ghi chú của xã", "Xã", "Lý do")
_WIDTHS = (8, 52, 16)
_SOURCE_WIDTH = 18


def _write_values(ws: DistrictSheet, c: Consolidation, styles: Styles, layout: Layout) -> None:
    """The source cell of every commune value, where `Tổng hợp` has the value; then the values
    and notes read that went nowhere."""
    ws.write_string(0, 0, "NGUỒN CỦA TỪNG SỐ LIỆU", styles.title)
    ws.write_string(1, 0, "Mỗi ô ghi ô gốc (trang tính!ô) trong tệp của xã của số liệu nằm ở đúng ô đó trên sheet "
                          "Tổng hợp; số liệu gõ khác cách đọc (số dạng chữ…) có ghi chú ở sheet Nguồn.", styles.note)
    header = layout.header_row
    ws.write_cells(header - 1, 1, [(FILES_LABEL, styles.bold_right), (None, None),
                                   *[(_file_names(m), styles.text) for m in c.communes]])
    ws.write_cells(header, 0, [(title, styles.header) for title in ("STT", "Chỉ tiêu thống kê", "Đơn vị tính")]
                   + [(m.name, styles.header) for m in c.communes])
    sources = [_sources(m) for m in c.communes]
    for row in c.form.rows:
        r = layout.row(row.code)
        ws.set_row(r, LINE_HEIGHT * line_count(row.label, _WIDTHS[1]))
        if not row.is_value:
            ws.write_cells(r, 0, [(row.code, styles.group), (row.label, styles.group)])
            continue
        ws.write_cells(r, 0, [(row.code, styles.code), (row.label, styles.text), (row.unit, styles.text),
                              *[(found.get(row.code), styles.text) for found in sources]])
    last = _write_unused(ws, layout.last_row + 3, c, styles)
    for col, width in enumerate(_WIDTHS):
        ws.set_column(col, col, width)
    ws.set_column(len(_WIDTHS), max(2 + len(c.communes), len(_UNUSED_TITLES) - 1), _SOURCE_WIDTH)
    ws.freeze_panes(header + 1, 3)
    ws.repeat_rows(header)
    ws.print_area(0, 0, last, max(2 + len(c.communes), len(_UNUSED_TITLES) - 1))
    print_landscape(ws, fit_width=False)


def _file_names(commune: Commune) -> str:
    return "; ".join(part.received.source.path.name for part in commune.parts)


def _sources(commune: Commune) -> dict[str, str]:
    """Per code: the cell of the commune's file holding a value or a note for it ("Phụ lục
    01b!D45"), with the file's own code when it differs (a 2022 workbook), and each quarter's
    file and cell for cumulative figures ("xa_q1.xlsx: Phụ lục 01b!D45; …"), even where the
    column stays blank (a quarter missing)."""
    found: dict[str, list[str]] = {}
    several = len(commune.parts) > 1
    for part in commune.parts:
        submission = part.received.submission
        codes = {submission.where(cell): code for code, cell in submission.cells.items()}
        for code, where in part.cells.items():
            own = codes.get(where, code)
            if submission.values.get(own) is None and own not in submission.notes:
                continue
            text = where if own == code else f"{where} (mã {own})"
            found.setdefault(code, []).append(f"{part.received.source.path.name}: {text}" if several else text)
    return {code: "; ".join(texts) for code, texts in found.items()}


def _write_unused(ws: DistrictSheet, row: int, c: Consolidation, styles: Styles) -> int:
    """The values and notes read that are not in `Tổng hợp`, from `row` on; the last row written."""
    entries = [(m.name, part.received, "không có chỉ tiêu tương ứng, hoặc trùng mã đã đọc", _unplaced(part))
               for m in c.communes for part in m.parts]
    entries += [(d.name, d.dropped, DUPLICATE, _read_values(d.dropped)) for d in c.duplicates]
    ws.write_string(row, 0, NOT_CONSOLIDATED_TITLE, styles.title)
    row = _table(ws, row + 1, _UNUSED_TITLES, styles)
    for name, received, reason, values in entries:
        form = load_form(received.submission.form)
        for code, raw, where in values:
            is_date = form.has(code) and form.row(code).kind == "date"
            ws.write_cells(row, 0, [(code, styles.code), (received.source.path.name, styles.text), (where, styles.text),
                                    (raw, styles.text_date if is_date else styles.text),
                                    (received.submission.notes.get(code, ""), styles.text), (name, styles.text),
                                    (reason, styles.text)])
            row += 1
    if not any(values for *_, values in entries):
        ws.write_string(row, 0, "Không có: mọi giá trị đã đọc đều ở sheet Tổng hợp.", styles.note)
        row += 1
    return row - 1


def _unplaced(part: Part) -> list[tuple[str, Value, str]]:
    placed = set(part.cells.values())
    return [entry for entry in _read_values(part.received) if entry[2] not in placed]


def _read_values(received: Received) -> list[tuple[str, Value, str]]:
    """(code, raw value, "Sheet!D45") for every code holding a value or a note."""
    submission = received.submission
    found = []
    for code, raw in submission.values.items():
        if raw is None and code not in submission.notes:
            continue
        found.append((code, raw, submission.where(submission.cells.get(code))))
    return found
