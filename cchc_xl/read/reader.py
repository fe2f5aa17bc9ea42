"""Read a filled appendix workbook, or the appendix table of a Word report, into values by code.

Templates made by `template` are identified by their hidden `_cchc` sheet (form, unit, period)
and their STT codes. Any other workbook is read too: the table is found by its header, each row
is placed by its STT code when its label agrees, else by its label (`matching`), and the form
version is told from the labels. A 2022-layout file is mapped onto the 2023 codes through the
catalog's `maps_to`. A Word report's table (`docx_in`) is laid out as a sheet and read by the
same steps; only the names of its places differ ("bảng 5, dòng 12" for "D45"), each book
naming its own (`ref`, `row_name`, `span`).

`values` holds exactly what each value cell holds (normalised by `numbers.cell_value`), so a
Python check of them means what the live formulas mean; `parsed` holds what a district adds up.
Nothing is dropped silently: every value read is in `values`, or in `problems` with its cell.
Problems are returned as data, never raised, so one bad file cannot stop a batch; only a file
that cannot be opened at all raises `ReadError`.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cache
from itertools import starmap
from pathlib import Path
from typing import Any, NamedTuple

from cchc_xl.common.cells import cell_index, column_index
from cchc_xl.common.problems import Problem, ReadError
from cchc_xl.forms.catalog import (
    DEFAULT_FORM,
    CatalogError,
    Form,
    available_forms,
    load_form,
)
from cchc_xl.forms.form_files import form_from_text
from cchc_xl.forms.layout import (
    CHECK_SHEET,
    FORM_SHEET,
    FRAMEWORK_DONE,
    FRAMEWORK_FIRST_ROW,
    FRAMEWORK_LAST_COUNTED_ROW,
    FRAMEWORK_SHEET,
    FRAMEWORK_STATUS_COL,
    FRAMEWORK_TASK_COL,
    META_SHEET,
    REPORT_DATE_CELL,
)
from cchc_xl.forms.numbers import (
    Value,
    cell_value,
    date_of,
    general,
    kind_of,
    parse_number,
    to_text,
)
from cchc_xl.forms.periods import Period, PeriodError
from cchc_xl.forms.rules import FRAMEWORK_COUNTS
from cchc_xl.read.docx_in import Document
from cchc_xl.read.matching import (
    Placement,
    code_in_label,
    index_for,
    label_key,
    parse_code,
)
from cchc_xl.read.opening import open_input
from cchc_xl.read.parsing import parse_value
from cchc_xl.read.table import Table, cell, find_table
from cchc_xl.read.titleblock import find_period, find_unit, from_file_name
from cchc_xl.read.xlsx_in import Book, Grid

#: The most characters an Excel cell holds.
MAX_CELL_TEXT = 32767
#: Rows of one merged range looked at (a hostile range may cover a million rows).
MAX_MERGED_ROWS = 1000


class RowPlacement(NamedTuple):
    """Where one data row of the sheet went (1-based sheet row; code of `source_form`)."""

    row: int
    code: str | None
    how: str


@dataclass
class Submission:
    path: Path
    #: the form whose codes key `values` (2022 files are mapped onto the 2023 form)
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
    #: the form version of the file's own layout ("xa_2022" for a Phụ lục 2 file)
    source_form: str = DEFAULT_FORM
    #: True when the hidden `_cchc` sheet identified the file (a template of ours)
    from_template: bool = False
    #: every data row of the table and where it went (code None: listed in `problems`)
    placements: list[RowPlacement] = field(default_factory=list)
    #: the date typed in the template's "Ngày gửi báo cáo" cell (None: blank, or not our template)
    report_date: dt.date | None = None
    #: True for a Word report, whose cells name their table and row ("bảng 5, dòng 12")
    document: bool = False
    #: the text of the form file the template was made from, when it carries one: a process
    #: the submission is handed to registers it (`inputs.read_all`) to know the form too
    form_text: str | None = None

    def where(self, cell: str | None) -> str:
        """A value's place in the file as provenance names it: "Phụ lục 01b!D45", or in a Word
        report "bảng 5, dòng 12"; the sheet alone when the cell is unknown."""
        if cell is None:
            return self.sheet
        return cell if self.document else f"{self.sheet}!{cell}"

    def report(self, message: str, kind: str, cell: str | None = None, code: str | None = None) -> None:
        self.problems.append(Problem(self.path.name, message, cell, code, kind))

    def __getstate__(self) -> dict[str, Any]:
        """The state a reading worker sends back, its row placements as plain tuples: a named
        tuple pickles through a Python call per row, most of the cost of sending a file's result."""
        return {**self.__dict__, "placements": [tuple(p) for p in self.placements]}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """The same submission again, each row placement a `RowPlacement` as before."""
        self.__dict__.update(state, placements=list(starmap(RowPlacement, state["placements"])))


def read_submission(path: Path | str, data: bytes | None = None) -> Submission:
    """Values by code, where each came from, and every problem met, from one workbook or report
    (`data`: its bytes, when the caller has read them already)."""
    path = Path(path)
    with open_input(path, data) as book:
        return read_book(path, book)


def read_book(path: Path, book: Book | Document) -> Submission:
    """`read_submission` of a file already opened (`opening.open_input`), for a caller that
    reads more of it (`check` also counts the task framework's rows) without opening it twice."""
    meta = read_meta(book)
    if meta.get("kind", "commune") != "commune":
        raise ReadError(f"Tệp '{path.name}' là bảng tổng hợp, không phải phụ lục của một xã.", "district")
    forms = _forms()
    carried, unusable = _carried_form(path, book, meta)
    meta_form = meta.get("form") if meta.get("form") in forms or carried else None
    sheet, grid, table = appendix_sheet(book, load_form(meta_form).sheet if meta_form else None)
    titles = _title_texts(grid, table)
    source = meta_form or _guess_form(grid, table, titles + [sheet], forms)
    target = load_form(source).maps_onto or source
    submission = Submission(path=path, form=target, sheet=sheet, source_form=source, from_template=bool(meta_form),
                            document=isinstance(book, Document), form_text=carried)
    if unusable:
        submission.report(unusable, "form_file")
    if not book.visible[sheet]:
        submission.report(f"Bảng phụ lục nằm ở trang ẩn '{sheet}' (mở tệp bằng Excel không thấy trang này); "
                          "đã đọc số liệu từ trang này, đề nghị kiểm tra với đơn vị.", "hidden_sheet")
    if meta.get("form") and not meta_form and not unusable:
        submission.report(f"Trang {META_SHEET} ghi biểu mẫu '{meta['form']}' không được hỗ trợ; "
                          f"đã nhận dạng theo tên chỉ tiêu là {source}.", "unknown_form")
    if meta_form:
        submission.report_date = _report_date(grid)
    last_row = _Rows(submission, book, grid, table, load_form(source)).read()
    _identify(submission, meta, titles + _texts_below(grid, last_row))
    return submission


def _carried_form(path: Path, book: Book | Document, meta: dict[str, str]) -> tuple[str | None, str | None]:
    """The text of the form a template made from a form file carries (registered here, so the
    file is read with it), or why it cannot be used; (None, None) for a shipped form's file."""
    if meta.get("form") in _forms():
        return None, None
    try:
        texts = carried_forms(path, book)
    except CatalogError as error:
        return None, f"Không dùng được biểu mẫu mang theo trong tệp: {error} Đã nhận dạng theo tên chỉ tiêu."
    return texts.get(meta.get("form", "")), None


def carried_forms(path: Path, book: Book | Document) -> dict[str, str]:
    """Every form a workbook carries on its `FORM_SHEET` (one text a column: a template carries
    its form, a district workbook its commune and district forms), registered in this process:
    form id → text. Raises `CatalogError` for a text that is no valid form."""
    if not isinstance(book, Book) or FORM_SHEET not in book.visible:
        return {}
    grid = book.grid(FORM_SHEET)
    texts = {}
    for col in range(max((len(row) for row in grid), default=0)):
        text = "\n".join(str(row[col]) if col < len(row) else "" for row in grid)
        if text.strip():
            form = form_from_text(text, f"Tệp '{path.name}', trang ẩn {FORM_SHEET}")
            texts[form.id] = text
    return texts


@cache
def _forms() -> tuple[str, ...]:
    return tuple(available_forms())


def read_meta_file(path: Path | str) -> dict[str, str]:
    """The `_cchc` pairs of a file, or nothing when it has none or cannot be read (reading it
    properly then says why, in Vietnamese); opened through the package inspection like any read."""
    try:
        with open_input(Path(path)) as book:
            return read_meta(book)
    except ReadError:
        return {}


def read_task_counts(path: Path | str) -> dict[str, int]:
    """`task_counts` of a file, or nothing when it cannot be read (reading it properly then says why)."""
    try:
        with open_input(Path(path)) as book:
            return task_counts(book)
    except ReadError:
        return {}


def task_counts(book: Book | Document) -> dict[str, int]:
    """The task framework sheet's two counts as its formulas compute them (COUNTA of the tasks;
    COUNTIFS of "Hoàn thành", ignoring case as Excel does); nothing without the sheet, or when
    the sheet cannot be read."""
    if not isinstance(book, Book) or FRAMEWORK_SHEET not in book.visible:
        return {}
    try:
        rows = book.grid(FRAMEWORK_SHEET)[FRAMEWORK_FIRST_ROW - 1:FRAMEWORK_LAST_COUNTED_ROW]
    except ReadError:
        return {}
    task, status = column_index(FRAMEWORK_TASK_COL), column_index(FRAMEWORK_STATUS_COL)
    planned = [row for row in rows if kind_of(cell_value(cell(row, task))) != "blank"]
    done = [row for row in planned
            if isinstance(cell(row, status), str) and cell(row, status).casefold() == FRAMEWORK_DONE.casefold()]
    return {FRAMEWORK_COUNTS["planned"]: len(planned), FRAMEWORK_COUNTS["done"]: len(done)}


def _report_date(grid: Grid) -> dt.date | None:
    """The date typed in the template's "Ngày gửi báo cáo" cell, if it holds one."""
    row, col = cell_index(REPORT_DATE_CELL)
    value = cell(grid[row], col) if len(grid) > row else ""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def read_meta(book: Book | Document) -> dict[str, str]:
    """The hidden `_cchc` sheet's key/value pairs (form, unit, period, kind), empty without one."""
    if META_SHEET not in book.visible:
        return {}
    rows = book.grid(META_SHEET)
    return {str(r[0]).strip(): str(r[1]).strip() for r in rows if len(r) > 1 and r[0] != "" and r[1] != ""}


def appendix_sheet(book: Book | Document, preferred: str | None) -> tuple[str, Grid, Table]:
    """The sheet holding the table: a visible one (the form's own sheet first), else a hidden one.

    Visible sheets come first whatever their names: a hidden sheet named like the form's must
    not be read in place of the table the commune sees in Excel.
    """
    names = [n for n in book.visible if n not in (META_SHEET, CHECK_SHEET, FORM_SHEET)]
    order = sorted(names, key=lambda n: (not book.visible[n], n != preferred))
    for name in order:
        grid = book.grid(name)
        table = find_table(grid)
        if table is not None:
            return name, grid, table
    raise ReadError(f"Tệp '{book.path.name}': không tìm thấy bảng phụ lục (dòng tiêu đề có các cột "
                    "STT, Chỉ tiêu thống kê, Số liệu) trong trang nào.", "no_table")


def _guess_form(grid: Grid, table: Table, titles: list[str], forms: tuple[str, ...]) -> str:
    """The form whose labels the rows match most; the title ("Phụ lục 2") breaks ties."""
    keys = {label_key(v) for row in grid[table.first_row:]
            if isinstance(v := cell(row, table.columns.label), str) and v.strip()}
    title = " ".join(label_key(t) for t in titles)
    def score(form_id: str) -> tuple[int, bool, bool]:
        form = load_form(form_id)
        exact = index_for(form_id).exact
        return (sum(1 for k in keys if k in exact), label_key(form.title) in title, form_id == DEFAULT_FORM)
    return max(forms, key=score)


def _title_texts(grid: Grid, table: Table) -> list[str]:
    """The texts above the table, cell by cell."""
    return _texts(grid[:table.header_row])


def _texts_below(grid: Grid, last_row: int) -> list[str]:
    """Texts under the table's last placed row (a period line put there, a signature)."""
    return _texts(grid[last_row + 1:])


def _texts(rows: Grid) -> list[str]:
    return [v for row in rows for v in row if isinstance(v, str) and v.strip()]


def _identify(submission: Submission, meta: dict[str, str], texts: list[str]) -> None:
    """Unit and period: meta sheet first, then the title block, then the file name."""
    name_unit, name_period = from_file_name(submission.path.name)
    submission.unit = meta.get("unit") or find_unit(texts) or name_unit
    if "period" in meta:
        try:
            submission.period = Period.parse(meta["period"])
        except PeriodError as error:
            submission.report(str(error), "period")
    submission.period = submission.period or find_period(texts) or name_period
    if submission.unit is None:
        submission.report("Không tìm thấy tên đơn vị (ví dụ \"UBND XÃ HOẰNG LƯU\") trong tiêu đề hay tên tệp.",
                          "unit_unknown")
    if submission.period is None:
        submission.report("Không tìm thấy kỳ báo cáo (ví dụ \"Quý II năm 2023\") trong tiêu đề hay tên tệp.",
                          "period_unknown")


class _Line(NamedTuple):
    """A data row of the sheet: 0-based index, cells, code and label as written, and the value
    cell as the sheet holds it."""

    r: int
    cells: list[Any]
    code: str | None
    label: str
    raw: Any


class _Rows:
    """Places the data rows of one table and records values, notes and problems."""

    def __init__(self, submission: Submission, book: Book | Document, grid: Grid, table: Table, form: Form) -> None:
        self.s, self.book, self.grid, self.table, self.form = submission, book, grid, table, form
        self.index = index_for(form.id)
        self.cols = table.columns
        self.placed: dict[str, str] = {}  # source code -> value cell
        self.merged = _merged_over(book, book.merged(submission.sheet), table.columns.value)

    def read(self) -> int:
        """Place and record every data row; returns the 0-based index of the last placed row."""
        lines = self._lines()
        trusted = _codes_on_few_rows(lines)
        near, last_placed = 0, self.table.header_row
        decisions = []
        for line in lines:
            placement = self._place(line, near, line.code in trusted)
            if placement.code is not None:
                near, last_placed = self.index.position[placement.code] + 1, line.r
            decisions.append((line, placement))
        below = []
        for line, placement in decisions:
            if placement.code is None and line.r > last_placed and line.code is None and self._only_text(line):
                below.append(line)  # text under the table (a signature, a date line): no indicator, no number
                continue
            self.s.placements.append(RowPlacement(line.r + 1, placement.code, placement.how))
            self._record(line, placement)
        self._report_text_below(below)
        self._report_missing()
        return last_placed

    def _report_text_below(self, lines: list[_Line]) -> None:
        """Words in the value column under the table (a signature block) are said once, all of them."""
        texts = [(self.book.ref(line.r, self.cols.value), value) for line in lines
                 if (value := cell_value(line.raw)) is not None]
        if texts:
            shown = ", ".join(f"{ref} «{_short(str(value), 40)}»" for ref, value in texts)
            self.s.report(f"Dưới bảng có {len(texts)} ô chữ ở cột số liệu, không phải số liệu nên không đọc "
                          f"(chữ ký, ghi chú): {shown}.", "text_below", texts[0][0])

    def _lines(self) -> list[_Line]:
        """Rows under the header with a label or a value; repeated page headers are skipped."""
        found = []
        label_col, value_col, code_col = self.cols.label, self.cols.value, self.cols.code
        heads, first = self.table.heads, self.table.first_row
        for r, row in enumerate(self.grid[first:], first):
            raw_label, raw_value, raw_code = cell(row, label_col), cell(row, value_col), cell(row, code_col)
            if (_blank(raw_label) and _blank(raw_value)) or heads(raw_code, raw_label, raw_value):
                continue
            label = raw_label.strip() if isinstance(raw_label, str) else ("" if _blank(raw_label) else str(raw_label))
            code = parse_code(raw_code) if code_col is not None else None
            if code is None and label:
                code, label = code_in_label(label)
            found.append(_Line(r, row, code, label, raw_value))
        return found

    def _only_text(self, line: _Line) -> bool:
        """A row holding words only: no number in its value cell (or words in it and no label)."""
        value = cell_value(line.raw)
        return value is None or (not line.label and isinstance(value, str) and parse_number(value) is None)

    def _place(self, line: _Line, near: int, trusted: bool) -> Placement:
        if line.code is not None and self.form.has(line.code) and line.label == self.form.row(line.code).label:
            return Placement(line.code, "code")
        return self.index.place(line.code, line.label, near, trusted)

    def _record(self, line: _Line, placement: Placement) -> None:
        ref = self.book.ref(line.r, self.cols.value)
        value = cell_value(line.raw)
        code = placement.code
        if code is None:
            self._report_unplaced(line, ref, value)
            return
        value = self._checked(line, ref, code, value)
        if value is None:
            self._check_blank(ref, code)
        if placement.doubt is not None:
            self._report_doubt(line, placement)
        target = self._target(code, ref, value)
        if target is None:
            return
        self.placed[code] = ref
        self.s.values[target] = value
        self.s.cells[target] = ref
        self.s.parsed[target] = self._parsed(value, self.form.row(code).kind, ref, target)
        note = cell(line.cells, self.cols.note)
        if not _blank(note):
            self.s.notes[target] = str(note).strip()

    def _target(self, code: str, ref: str, value: Value) -> str | None:
        """The code `values` keys this row by, or None for a row whose value is set aside (reported)."""
        row = self.form.row(code)
        if not row.is_value:
            if value is not None:
                self.s.report(f"Ô {ref} (mã {code}): dòng nhóm \"{_short(row.label)}\" không có "
                              f"số liệu riêng; giá trị {_shown(value)} chưa được đọc.", "group_value", ref, code)
            return None
        if code in self.placed:
            self.s.report(f"Ô {ref} (mã {code}): chỉ tiêu đã có ở ô {self.placed[code]}; giữ giá trị đầu, "
                          f"giá trị trùng {_shown(value)} chưa được đọc.", "duplicate_code", ref, code)
            return None
        target = code if self.form.id == self.s.form else row.maps_to
        if target is None:
            self.placed[code] = ref
            if value is not None:
                self.s.report(f"Ô {ref} (mã {code} mẫu {self.form.title}): chỉ tiêu \"{_short(row.label)}\" "
                              f"không có trong mẫu {load_form(self.s.form).title}; giá trị {_shown(value)} "
                              "chưa được tổng hợp.", "no_2023_row", ref, code)
        return target

    def _checked(self, line: _Line, ref: str, code: str, value: Value) -> Value:
        """The value, with what Excel would show differently reported (and a lost number restored)."""
        if isinstance(line.raw, dt.time):
            stored = self.book.stored_number(self.s.sheet, ref)
            if stored is not None and not 0 <= stored < 1:
                self.s.report(f"Ô {ref} (mã {code}): số {general(stored)} trong ô định dạng ngày/giờ nằm ngoài phạm vi "
                              f"ngày của Excel (Excel hiện ####); đọc là số {general(stored)}.", "date_range", ref, code)
                value = stored
        if isinstance(value, str) and len(value.encode("utf-16-le")) // 2 > MAX_CELL_TEXT:
            self.s.report(f"Ô {ref} (mã {code}): nội dung dài {len(value)} ký tự, vượt giới hạn {MAX_CELL_TEXT} ký tự "
                          "của một ô Excel; bảng tổng hợp chỉ chép phần đầu.", "too_long", ref, code)
        if line.r in self.merged:
            span = self.merged[line.r]
            seen = (f"giá trị {_shown(value)} bị che trên Excel nhưng vẫn được đọc" if value is not None
                    else "ô này trống, số của ô gộp chỉ tính cho dòng đầu vùng")
            self.s.report(f"Ô {ref} (mã {code}) nằm trong vùng ô gộp {span}: {seen}; đề nghị kiểm tra.",
                          "merged", ref, code)
        return value

    def _report_unplaced(self, line: _Line, ref: str, value: Value) -> None:
        named = (f"\"{_short(line.label)}\"" if line.label else f"(mã {line.code})" if line.code
                 else "(không có tên chỉ tiêu)")
        lost = f"; số liệu {_shown(value)} ở ô {ref} chưa được đọc." if value is not None else "."
        self.s.report(f"{self.book.row_name(line.r)} {named} không khớp chỉ tiêu nào của {self.form.title}{lost}",
                      "unplaced_row", ref if value is not None else self._label_ref(line.r), line.code)

    def _parsed(self, value: Value, kind: str, ref: str, code: str) -> Value:
        if isinstance(value, float) and not math.isfinite(value):
            self.s.report(f"Ô {ref} (mã {code}): giá trị {value} không phải số hữu hạn (vượt giới hạn của Excel); "
                          "không tính vào tổng hợp.", "not_finite", ref, code)
            return None
        if not isinstance(value, str):
            return value
        parsed, problem = parse_value(value, kind)  # type: ignore[arg-type]
        where = f"Ô {ref} (mã {code})"
        if problem == "number_text":
            self.s.report(f"{where}: văn bản \"{value}\" đã đọc thành số {general(float(parsed))}.", problem, ref, code)
        elif problem == "date_text":
            self.s.report(f"{where}: văn bản \"{value}\" đã đọc thành ngày {date_of(float(parsed)):%d/%m/%Y}.",
                          problem, ref, code)
        elif problem == "text":
            self.s.report(f"{where}: \"{value}\" không phải số; không tính vào tổng hợp.", problem, ref, code)
        return parsed

    def _check_blank(self, ref: str, code: str) -> None:
        """A blank value cell may hide a formula never calculated, or an error: report either."""
        why = self.book.why_blank(self.s.sheet, ref) if self.form.row(code).is_value else None
        if why is None:
            return
        kind, text = why
        if kind == "error":
            self.s.report(f"Ô {ref} (mã {code}): ô báo lỗi {text} (công thức tính sai); đọc là trống, "
                          "đề nghị đơn vị sửa.", "error_value", ref, code)
        else:
            self.s.report(f"Ô {ref} (mã {code}): ô có công thức nhưng chưa có kết quả tính (tệp chưa được "
                          "tính lại); đọc là trống. Hãy mở tệp bằng Excel, lưu lại rồi gửi.", "formula_no_value", ref, code)

    def _report_doubt(self, line: _Line, placement: Placement) -> None:
        ref, r, label = self._label_ref(line.r), line.r, line.label
        if placement.doubt == "code_mismatch":
            self.s.report(f"{self.book.row_name(r)}: cột STT ghi mã {line.code} nhưng tên chỉ tiêu \"{_short(label)}\" là của mã "
                          f"{placement.code}; đã xếp theo tên chỉ tiêu.", "code_mismatch", ref, placement.code)
        elif placement.doubt == "label_mismatch":
            expected = self.form.row(placement.code).label
            self.s.report(f"{self.book.row_name(r)} (mã {placement.code}): tên chỉ tiêu \"{_short(label)}\" khác mẫu "
                          f"(\"{_short(expected)}\"); đã xếp theo mã, đề nghị kiểm tra.", "label_mismatch", ref, placement.code)

    def _label_ref(self, r: int) -> str:
        return self.book.ref(r, self.cols.label)

    def _report_missing(self) -> None:
        for row in self.form.value_rows:
            if row.code not in self.placed:
                self.s.report(f"Không tìm thấy dòng chỉ tiêu mã {row.code} (\"{_short(row.label)}\") trong trang "
                              f"'{self.s.sheet}'.", "missing_row", None, row.code)


def _codes_on_few_rows(lines: list[_Line]) -> set[str]:
    """Codes standing on fewer than three rows (the 2022 layout prints " 1. " everywhere)."""
    counts: dict[str, int] = {}
    for line in lines:
        if line.code is not None:
            counts[line.code] = counts.get(line.code, 0) + 1
    return {code for code, n in counts.items() if n < 3}


def _merged_over(book: Book | Document, ranges: list[tuple[tuple[int, int], tuple[int, int]]],
                 col: int) -> dict[int, str]:
    """0-based rows whose value cell lies under a merged range it does not start, with the range."""
    covered = {}
    for (top, left), (bottom, right) in ranges:
        if left <= col <= right and (bottom > top or left < col):
            span = book.span(top, left, bottom, right)
            first = top + 1 if left == col else top
            covered.update({r: span for r in range(first, min(bottom, top + MAX_MERGED_ROWS) + 1)})
    return covered


def _blank(value: Any) -> bool:
    return value == "" or value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Value) -> str:
    return f"\"{_short(value, 200)}\"" if isinstance(value, str) else to_text(value)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


__all__ = ["CatalogError", "Problem", "ReadError", "RowPlacement", "Submission", "read_submission"]
