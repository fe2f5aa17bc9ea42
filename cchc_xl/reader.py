"""Read a filled appendix workbook back into values by indicator code.

Templates made by `template` are identified by their hidden `_cchc` sheet (form, unit, period)
and their STT codes. Any other workbook is read too: the table is found by its header, each row
is placed by its STT code when its label agrees, else by its label (`matching`), and the form
version is told from the labels. A 2022-layout file is mapped onto the 2023 codes through the
catalog's `maps_to`.

`values` holds exactly what each value cell holds (normalised by `numbers.cell_value`), so a
Python check of them means what the live formulas mean; `parsed` holds what a district adds up.
Nothing is dropped silently: every value read is in `values`, or in `problems` with its cell.
Problems are returned as data, never raised, so one bad file cannot stop a batch; only a file
that cannot be opened at all raises `ReadError`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from .catalog import DEFAULT_FORM, CatalogError, Form, available_forms, load_form
from .matching import Placement, index_for, label_key, parse_code, split_leading_code
from .numbers import Value, cell_value, date_of, general, parse_number, to_text
from .parsing import parse_value
from .periods import Period, PeriodError
from .problems import Problem, ReadError
from .table import Table, cell, find_table
from .template import CHECK_SHEET, META_SHEET
from .titleblock import find_period, find_unit, from_file_name
from .xlsx import Book, Grid, open_book


@dataclass(frozen=True)
class RowPlacement:
    """Where one data row of the sheet went (1-based sheet row; code of `source_form`)."""

    row: int
    text: str
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

    def report(self, message: str, kind: str, cell: str | None = None, code: str | None = None) -> None:
        self.problems.append(Problem(self.path.name, message, cell, code, kind))


def read_submission(path: Path | str) -> Submission:
    """Values by code, where each came from, and every problem met, from one workbook."""
    path = Path(path)
    book = open_book(path)
    meta = _meta(book)
    forms = available_forms()
    meta_form = meta.get("form") if meta.get("form") in forms else None
    sheet, grid, table = _appendix_sheet(book, load_form(meta_form).sheet if meta_form else None)
    titles = _title_texts(grid, table)
    source = meta_form or _guess_form(grid, table, titles + [sheet], forms)
    target = load_form(source).maps_onto or source
    submission = Submission(path=path, form=target, sheet=sheet, source_form=source, from_template=bool(meta_form))
    if meta.get("form") and not meta_form:
        submission.report(f"Trang {META_SHEET} ghi biểu mẫu '{meta['form']}' không được hỗ trợ; "
                          f"đã nhận dạng theo tên chỉ tiêu là {source}.", "unknown_form")
    last_row = _Rows(submission, book, grid, table, load_form(source)).read()
    _identify(submission, meta, titles + _texts_below(grid, last_row))
    return submission


def _meta(book: Book) -> dict[str, str]:
    if META_SHEET not in book.visible:
        return {}
    rows = book.grid(META_SHEET)
    return {str(r[0]).strip(): str(r[1]).strip() for r in rows if len(r) > 1 and r[0] != "" and r[1] != ""}


def _appendix_sheet(book: Book, preferred: str | None) -> tuple[str, Grid, Table]:
    """The sheet holding the table: the form's own sheet, else the first visible one, else hidden."""
    names = [n for n in book.visible if n not in (META_SHEET, CHECK_SHEET)]
    order = sorted(names, key=lambda n: (n != preferred, not book.visible[n]))
    for name in order:
        grid = book.grid(name)
        table = find_table(grid)
        if table is not None:
            return name, grid, table
    raise ReadError(f"Tệp '{book.path.name}': không tìm thấy bảng phụ lục (dòng tiêu đề có các cột "
                    "STT, Chỉ tiêu thống kê, Số liệu) trong trang nào.", "no_table")


def _guess_form(grid: Grid, table: Table, titles: list[str], forms: list[str]) -> str:
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


class _Rows:
    """Places the data rows of one table and records values, notes and problems."""

    def __init__(self, submission: Submission, book: Book, grid: Grid, table: Table, form: Form) -> None:
        self.s, self.book, self.grid, self.table, self.form = submission, book, grid, table, form
        self.index = index_for(form.id)
        self.cols = table.columns
        self.placed: dict[str, str] = {}  # source code -> value cell
        self.trusted = self._trusted_codes()

    def read(self) -> int:
        """Place and record every data row; returns the 0-based index of the last placed row."""
        near, last_placed = 0, self.table.header_row
        rows = self._data_rows()
        decisions = []
        for r, row in rows:
            code, label = self._code_and_label(row)
            placement = self._place(code, label, near)
            if placement.code is not None:
                near, last_placed = self.index.position[placement.code] + 1, r
            decisions.append((r, row, code, label, placement))
        for r, row, code, label, placement in decisions:
            if placement.code is None and r > last_placed and code is None and self._only_text(row, label):
                continue  # text under the table (a signature, a date line): no indicator, no number
            self.s.placements.append(RowPlacement(r + 1, label, placement.code, placement.how))
            self._record(r, row, code, label, placement)
        self._report_missing()
        return last_placed

    def _only_text(self, row: list[Any], label: str) -> bool:
        """A row holding words only: no number in its value cell (or words in it and no label)."""
        value = _value(row, self.cols.value)
        return value is None or (not label and isinstance(value, str) and parse_number(value) is None)

    def _data_rows(self) -> list[tuple[int, list[Any]]]:
        """Rows under the header with a label or a value; repeated page headers are skipped."""
        found = []
        for r in range(self.table.first_row, len(self.grid)):
            row = self.grid[r]
            if self.table.is_header(row):
                continue
            if _blank(cell(row, self.cols.label)) and _blank(cell(row, self.cols.value)):
                continue
            found.append((r, row))
        return found

    def _code_and_label(self, row: list[Any]) -> tuple[str | None, str]:
        raw_label = cell(row, self.cols.label)
        label = raw_label.strip() if isinstance(raw_label, str) else ("" if _blank(raw_label) else str(raw_label))
        code = parse_code(cell(row, self.cols.code))
        if code is None and label:
            leading, rest = split_leading_code(label)
            if leading is not None:
                code, label = parse_code(leading), rest.strip()
        return code, label

    def _trusted_codes(self) -> set[str]:
        """Codes standing on fewer than three rows (the 2022 layout prints " 1. " everywhere)."""
        counts: dict[str, int] = {}
        for row in self.grid[self.table.first_row:]:
            code = parse_code(cell(row, self.cols.code))
            if code is not None:
                counts[code] = counts.get(code, 0) + 1
        return {code for code, n in counts.items() if n < 3}

    def _place(self, code: str | None, label: str, near: int) -> Placement:
        row = self.form.row(code) if code is not None and self.form.has(code) else None
        if row is not None and label == row.label:
            return Placement(code, "code")
        return self.index.place(code, label, near, code in self.trusted)

    def _record(self, r: int, row: list[Any], code: str | None, label: str, placement: Placement) -> None:
        ref = f"{get_column_letter(self.cols.value + 1)}{r + 1}"
        value = _value(row, self.cols.value)
        if value is None:
            value = self._formula_blank(ref, placement.code)
        shown = _shown(value)
        if placement.code is None:
            where = f"ô {ref}" if value is not None else f"dòng {r + 1}"
            named = f"\"{_short(label)}\"" if label else f"(mã {code})" if code else "(không có tên chỉ tiêu)"
            self.s.report(f"Dòng {r + 1} {named} không khớp chỉ tiêu nào của "
                          f"{self.form.title}" + (f"; số liệu {shown} ở {where} chưa được đọc." if value is not None else "."),
                          "unplaced_row", ref if value is not None else self._label_ref(r), code)
            return
        source_row = self.form.row(placement.code)
        self._report_doubt(r, code, label, placement)
        if not source_row.is_value:
            if value is not None:
                self.s.report(f"Ô {ref} (mã {placement.code}): dòng nhóm \"{_short(source_row.label)}\" không có "
                              f"số liệu riêng; giá trị {shown} chưa được đọc.", "group_value", ref, placement.code)
            return
        if placement.code in self.placed:
            self.s.report(f"Ô {ref} (mã {placement.code}): chỉ tiêu đã có ở ô {self.placed[placement.code]}; "
                          f"giữ giá trị đầu, giá trị trùng {shown} chưa được đọc.", "duplicate_code", ref, placement.code)
            return
        self.placed[placement.code] = ref
        target = self._target(source_row.code, source_row.maps_to)
        if target is None:
            if value is not None:
                self.s.report(f"Ô {ref} (mã {placement.code} mẫu {self.form.title}): chỉ tiêu \"{_short(source_row.label)}\" "
                              f"không có trong mẫu mới; giá trị {shown} chưa được tổng hợp.", "no_2023_row", ref, placement.code)
            return
        self.s.values[target] = value
        self.s.cells[target] = ref
        self.s.parsed[target] = self._parsed(value, source_row.kind, ref, target)
        note = cell(row, self.cols.note)
        if not _blank(note):
            self.s.notes[target] = str(note).strip()

    def _parsed(self, value: Value, kind: str, ref: str, code: str) -> Value:
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

    def _target(self, code: str, maps_to: str | None) -> str | None:
        return code if self.form.id == self.s.form else maps_to

    def _formula_blank(self, ref: str, code: str | None) -> Value:
        """A blank value cell may be a formula that was never calculated: report it."""
        if code is None or not self.form.row(code).is_value:
            return None
        cached = self.book.formulas(self.s.sheet).get(ref)
        if cached is False:
            self.s.report(f"Ô {ref} (mã {code}): ô có công thức nhưng chưa có kết quả tính (tệp chưa được "
                          "tính lại); đọc là trống. Hãy mở tệp bằng Excel, lưu lại rồi gửi.", "formula_no_value", ref, code)
        return None

    def _report_doubt(self, r: int, code: str | None, label: str, placement: Placement) -> None:
        ref = self._label_ref(r)
        if placement.doubt == "code_mismatch":
            self.s.report(f"Dòng {r + 1}: cột STT ghi mã {code} nhưng tên chỉ tiêu \"{_short(label)}\" là của mã "
                          f"{placement.code}; đã xếp theo tên chỉ tiêu.", "code_mismatch", ref, placement.code)
        elif placement.doubt == "label_mismatch":
            expected = self.form.row(placement.code).label
            self.s.report(f"Dòng {r + 1} (mã {placement.code}): tên chỉ tiêu \"{_short(label)}\" khác mẫu "
                          f"(\"{_short(expected)}\"); đã xếp theo mã, đề nghị kiểm tra.", "label_mismatch", ref, placement.code)

    def _label_ref(self, r: int) -> str:
        return f"{get_column_letter(self.cols.label + 1)}{r + 1}"

    def _report_missing(self) -> None:
        for row in self.form.value_rows:
            if row.code not in self.placed:
                self.s.report(f"Không tìm thấy dòng chỉ tiêu mã {row.code} (\"{_short(row.label)}\") trong trang "
                              f"'{self.s.sheet}'.", "missing_row", None, row.code)


def _value(row: list[Any], col: int) -> Value:
    return cell_value(cell(row, col))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Value) -> str:
    return f"\"{value}\"" if isinstance(value, str) else to_text(value)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


__all__ = ["CatalogError", "Problem", "ReadError", "RowPlacement", "Submission", "read_submission"]
