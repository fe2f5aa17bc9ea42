"""The button of CCHC_TongHop.xlsm: read the settings from the control sheet, run the chosen
action with the same core functions as the command line, write status and details back.

Everything works on `ControlSheet`s (five cell operations: the control sheet, the sheet of the
communes' list) and a `FolderPicker`, so the adapter runs and is tested on Linux against the
workbook file; only `run_from_excel`, `_XlwingsSheet` and `_excel_folder_dialog` touch xlwings,
which is imported there and nowhere else. An expected problem (missing folder, bad period,
unreadable file…) ends as a Vietnamese message in the status cell and a normal exit: RunPython
shows a traceback dialog only when Python exits with an error, which is kept for real bugs.
"""
from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol, Sequence

from cchc_xl.common.files import OutputError
from cchc_xl.common.problems import ReadError, os_reason
from cchc_xl.commune.template import save_template
from cchc_xl.district.review import Review, review_files
from cchc_xl.forms.catalog import CatalogError
from cchc_xl.forms.periods import Period, PeriodError
from cchc_xl.read.inputs import InputError, Progress, collect
from cchc_xl.read.reader import Problem
from cchc_xl.read.units import (
    UnitList,
    UnitListError,
    parse_unit_list,
    template_file_name,
)
from cchc_xl.shells import control_layout as L

if TYPE_CHECKING:
    from cchc_xl.cycle.complete import CycleOptions

#: What makes Excel take a typed text for a formula (`literal`).
_FORMULA_STARTS = ("=", "+", "-", "@")


class ControlSheet(Protocol):
    """The few operations the adapter needs from the control sheet (Excel or a file)."""

    def read(self, address: str) -> object: ...
    def read_rows(self, area: str) -> list[list[object]]: ...
    def write(self, address: str, value: object) -> None: ...
    def write_rows(self, address: str, rows: list[list[object]]) -> None: ...
    def clear(self, area: str) -> None: ...


class ConsolidationResult(Protocol):
    """What `consolidate.consolidate_files` returns, as far as the adapter reads it."""

    output: Path
    communes: Sequence[str]
    problems: Sequence[Problem]
    flag_count: int
    unreadable: Sequence[str]
    exit_code: int


Consolidate = Callable[..., ConsolidationResult]
#: Excel's own folder dialog: (title, folder it opens in) -> the folder chosen, None if cancelled.
FolderPicker = Callable[[str, Path], "str | None"]

MESSAGE_TITLE = "Tổng hợp phụ lục CCHC"
#: The folder each action cannot do without: when its cell is empty or names nothing that exists
#: (the templates' folder is made when missing, so only when empty), Excel's folder dialog is offered.
_NEEDED_FOLDER = {L.CONSOLIDATE: L.FOLDER, L.ROLLUP: L.FOLDER, L.REVIEW: L.FOLDER, L.SUBMITTED: L.FOLDER,
                  L.MAKE_TEMPLATES: L.TEMPLATES}


class SettingsError(ValueError):
    """Something typed in the control sheet cannot be used; the message names the cell."""


@dataclass(frozen=True)
class Outcome:
    """What one click produced: a status code, the message shown, the rows of the details table."""

    status: str
    message: str
    details: list[list[object]] = field(default_factory=list)


@dataclass(frozen=True)
class Settings:
    """The values of the settings cells; relative paths are taken from the workbook's folder."""

    values: dict[str, object]
    base: Path
    #: the rows of the communes' list sheet (name, former names), empty without that sheet
    unit_rows: list[list[object]] = field(default_factory=list)

    @classmethod
    def read(cls, sheet: ControlSheet, base: Path, units: ControlSheet | None = None) -> "Settings":
        rows = units.read_rows(L.UNITS_AREA) if units is not None else []
        return cls({s.cell: sheet.read(s.cell) for s in L.SETTINGS}, base, rows)

    def text(self, setting: L.Setting) -> str:
        return self._cell_text(self.values.get(setting.cell))

    @staticmethod
    def _cell_text(value: object) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()

    def required(self, setting: L.Setting) -> str:
        text = self.text(setting)
        if not text:
            raise SettingsError(f"Chưa điền «{setting.label}» (ô {setting.cell}).")
        return text

    def action(self) -> str:
        action = self.text(L.ACTION)
        if action not in L.ACTIONS:
            raise SettingsError(f"Ô {L.ACTION.cell}: chọn một thao tác trong danh sách ({', '.join(L.ACTIONS)}).")
        return action

    def period(self) -> Period:
        year, kind = self.required(L.YEAR), self.required(L.KIND)
        if kind not in L.PERIOD_KINDS:
            raise SettingsError(f"Ô {L.KIND.cell}: chọn kỳ trong danh sách ({', '.join(L.PERIOD_KINDS)}).")
        code = L.PERIOD_KINDS[kind]
        try:
            return Period.parse(year if code == "N" else f"{year}-{code}")
        except PeriodError:
            raise SettingsError(f"Ô {L.YEAR.cell}: năm báo cáo '{year}' không hợp lệ, ví dụ 2023.") from None

    def path(self, setting: L.Setting) -> Path:
        """A path as staff paste it (Windows «Copy as path» adds quotes), relative to the workbook."""
        return self._resolve(self.required(setting))

    def folder(self, setting: L.Setting) -> Path:
        folder = self.path(setting)
        if not folder.is_dir():
            raise SettingsError(f"Không tìm thấy thư mục '{folder}' (ô {setting.cell}).")
        return folder

    def file(self, setting: L.Setting) -> Path:
        path = self.path(setting)
        if not path.is_file():
            raise SettingsError(f"Không tìm thấy tệp '{path}' (ô {setting.cell}).")
        return path

    def optional_file(self, setting: L.Setting) -> Path | None:
        return self.file(setting) if self._unquoted(self.text(setting)) else None

    def units_source(self) -> Path | UnitList | None:
        """Where the communes' list comes from: the .txt file named in the list cell, else the
        list typed on the list sheet; None when neither names a commune."""
        if self._unquoted(self.text(L.COMMUNES)):
            return self.file(L.COMMUNES)
        return self.typed_units() or None

    def units(self) -> UnitList:
        """The communes' list, required (making templates, who has not sent)."""
        source = self.units_source()
        if source is None:
            raise SettingsError(f"Chưa có danh sách xã: gõ tên các xã ở trang «{L.UNITS_SHEET}» (cột B, từ dòng "
                                f"{L.UNITS_FIRST_ROW}) hoặc ghi tệp danh sách ở ô {L.COMMUNES.cell}.")
        units = _read_units_file(source) if isinstance(source, Path) else source
        if not units:
            raise SettingsError(f"Tệp danh sách xã '{source.name}' không có tên xã nào (ô {L.COMMUNES.cell}).")
        return units

    def typed_units(self) -> UnitList:
        """The list sheet read as a list file: a row "name | former, names" is the line "name =
        former, names", and the line numbers are the sheet's rows, so an error names the row."""
        lines = [""] * (L.UNITS_FIRST_ROW - 1)
        for row in self.unit_rows:
            name, former = (self._cell_text(value) for value in (list(row) + [None, None])[:2])
            lines.append(f"{name} = {former}" if former else name)
        try:
            return parse_unit_list("\n".join(lines), f"{L.UNITS_SHEET} (bảng điều khiển)")
        except UnitListError as error:
            raise SettingsError(str(error)) from None

    def existing_paths(self, setting: L.Setting) -> list[Path]:
        """Files or folders typed in one cell, separated by `PATH_SEPARATOR`; each must exist."""
        paths = [self._resolve(part) for part in self.text(setting).split(L.PATH_SEPARATOR) if self._unquoted(part)]
        for path in paths:
            if not path.exists():
                raise SettingsError(f"Không tìm thấy tệp hoặc thư mục '{path}' (ô {setting.cell}).")
        return paths

    @staticmethod
    def _unquoted(text: str) -> str:
        return text.strip('"').strip()

    def _resolve(self, text: str) -> Path:
        path = Path(self._unquoted(text)).expanduser()
        return path if path.is_absolute() else self.base / path


def run(sheet: ControlSheet, book_path: Path, consolidate: Consolidate | None = None,
        units: ControlSheet | None = None, pick: FolderPicker | None = None) -> Outcome:
    """One click: run the chosen action and write its outcome; expected problems never raise.
    `units` is the sheet of the communes' list (None when the workbook has lost it); `pick`
    is Excel's folder dialog (None where there is none)."""
    _start(sheet)
    progress = _progress_writer(sheet)
    try:
        settings = Settings.read(sheet, Path(book_path).parent, units)
        if pick is not None:
            settings = _offer_folder_dialog(settings, sheet, pick)
        action = settings.action()
        if action in (L.CONSOLIDATE, L.ROLLUP):
            outcome = consolidate_action(settings, progress, Path(book_path), consolidate, rollup=action == L.ROLLUP)
        elif action == L.MAKE_TEMPLATES:
            outcome = make_templates(settings, progress)
        elif action == L.SUBMITTED:
            outcome = submitted(settings)
        elif action == L.PRINT:
            outcome = print_report(settings)
        else:
            outcome = review_folder(settings, progress, Path(book_path))
    except (SettingsError, InputError, OutputError, ReadError) as error:
        outcome = Outcome(L.ERROR, str(error))
    except OSError as error:   # a folder that cannot be listed or created, a locked file…
        where = f" '{error.filename}'" if error.filename else ""
        outcome = Outcome(L.ERROR, f"Không đọc/ghi được{where}: {os_reason(error)}.")
    except Exception as error:
        _finish(sheet, Outcome(L.ERROR, f"Lỗi ngoài dự kiến ({type(error).__name__}: {error}). "
                                        "Chi tiết ở hộp thoại lỗi; hãy chụp lại và gửi người hỗ trợ."))
        raise
    _finish(sheet, outcome)
    return outcome


def _offer_folder_dialog(settings: Settings, sheet: ControlSheet, pick: FolderPicker) -> Settings:
    """Ask for the chosen action's folder when its cell cannot be used, and write the answer
    into the cell (so the next click needs no dialog); the settings with it. A cancelled dialog
    leaves the cell, whose problem is then reported as without a dialog."""
    setting = _NEEDED_FOLDER.get(settings.text(L.ACTION))
    if setting is None or settings.text(setting) and (setting is L.TEMPLATES or settings.path(setting).exists()):
        return settings
    chosen = pick(f"Chọn {setting.label[0].lower()}{setting.label[1:]} (ô {setting.cell})", settings.base)
    if not chosen:
        return settings
    sheet.write(setting.cell, chosen)
    return replace(settings, values={**settings.values, setting.cell: chosen})


def make_templates(settings: Settings, progress: Progress) -> Outcome:
    """Tạo mẫu cho các xã: one blank appendix per commune of the list, into the templates folder."""
    period = settings.period()
    names = settings.units().names
    folder = settings.path(L.TEMPLATES)
    folder.mkdir(parents=True, exist_ok=True)
    details = []
    for i, name in enumerate(names, start=1):
        target = save_template(folder / template_file_name(name, period), name, period)
        details.append([target.name, f"Đã tạo mẫu cho {name}, {period.label}.", "", ""])
        progress(i, len(names), name)
    return Outcome(L.OK, f"Đã tạo {len(names)} mẫu ({period.label}) trong thư mục '{folder}'.", details)


def review_folder(settings: Settings, progress: Progress, book_path: Path) -> Outcome:
    """Kiểm tra lại: every commune file of the folder (or the one file named) checked with the
    template's rules by the function `cchc-xl check` calls (a district workbook found there is
    checked commune by commune; a province's many files on every core)."""
    single = settings.path(L.FOLDER)
    files, skipped = ([single], []) if single.is_file() else _commune_files(settings, book_path)
    reviews = review_files(files, progress=progress)
    details = [_problem_row(p) for p in skipped] + [row for review in reviews for row in _review_rows(review)]
    unreadable = sum(r.unreadable for r in reviews)
    flagged = len({r.file for r in reviews if (r.findings or r.problems) and not r.unreadable})
    flags = sum(len(r.findings) for r in reviews)
    message = f"Đã kiểm tra {len(files)} tệp: {flagged} tệp có cảnh báo ({flags} cảnh báo)"
    message += f", {unreadable} tệp không đọc được." if unreadable else "."
    status = L.UNREADABLE if unreadable else (L.FLAGS if flagged else L.OK)
    return Outcome(status, message + (" Xem mục 4." if status != L.OK else ""), details)


def consolidate_action(settings: Settings, progress: Progress, book_path: Path,
                       consolidate: Consolidate | None, rollup: bool = False) -> Outcome:
    """Tổng hợp (or Cộng dồn, the quarters of a 6-month, 9-month or year period): the commune
    files into the district workbook named in the output cell, with the district form, its own
    figures and the earlier periods when their cells are filled, as `consolidate`/`rollup` do."""
    unit, period = settings.required(L.UNIT), settings.period()
    if rollup and period.is_quarter:
        raise SettingsError(f"Ô {L.KIND.cell}: Cộng dồn cần kỳ 6 tháng, 9 tháng hoặc Cả năm; một quý thì chọn "
                            "thao tác Tổng hợp.")
    output = settings.path(L.OUTPUT)
    expect = settings.units_source()
    folder = settings.folder(L.FOLDER)
    options = _cycle_options(settings)
    if consolidate is None:
        from cchc_xl.cycle.cumulative import rollup_files
        from cchc_xl.cycle.run import consolidate_files
        consolidate = rollup_files if rollup else consolidate_files
    try:
        result = consolidate([folder], output, unit, period, expect=expect, progress=progress,
                             options=options, exclude=[Path(book_path)])
    except CatalogError as error:
        raise SettingsError(f"{error} (ô {L.DISTRICT_FORM.cell}).") from None
    details = [_problem_row(p) for p in result.problems]
    message = (f"Đã {'cộng dồn' if rollup else 'tổng hợp'} {len(result.communes)} xã vào tệp '{result.output}': "
               f"{result.flag_count} cảnh báo")
    message += f", {len(result.unreadable)} tệp không đọc được." if result.unreadable else "."
    status = {0: L.OK, 1: L.FLAGS}.get(result.exit_code, L.UNREADABLE)
    return Outcome(status, message + (" Xem mục 4." if details else ""), details)


def _cycle_options(settings: Settings) -> CycleOptions:
    """The district form, its own figures and the earlier periods, as `--form`, `--own` and
    `--previous` give them; a form file is read (and checked) here, its error naming the cell."""
    from cchc_xl.cycle.complete import CycleOptions
    from cchc_xl.forms.form_files import choose_form
    spec = settings.text(L.DISTRICT_FORM)
    own = settings.optional_file(L.OWN)
    if own is not None and not spec:
        raise SettingsError(f"Ô {L.OWN.cell}: số liệu riêng của huyện cần Biểu của huyện (ô {L.DISTRICT_FORM.cell}).")
    form = None
    if spec:
        try:
            form = choose_form(str(settings.path(L.DISTRICT_FORM)) if spec.lower().endswith(".toml") else spec).id
        except CatalogError as error:
            raise SettingsError(f"{error} (ô {L.DISTRICT_FORM.cell}).") from None
    return CycleOptions(form=form, own=own, previous=tuple(settings.existing_paths(L.PREVIOUS)))


def submitted(settings: Settings) -> Outcome:
    """Xem xã chưa nộp: who of the communes' list sent the period's report, on time or late, as
    `cchc-xl status` says it."""
    from cchc_xl.cycle.status import STATES, collect_status
    from cchc_xl.forms.periods import Deadlines
    period, folder = settings.period(), settings.folder(L.FOLDER)
    expected = settings.units()
    report = collect_status(folder, period, expected, Deadlines.load(None))
    details = [[", ".join(u.files), f"{u.unit}: {STATES[u.state]}" + (f" ({u.date:%d/%m/%Y})" if u.date else ""),
                "", ""] for u in report.units]
    counts = {state: sum(u.state == state for u in report.units) for state in STATES}
    message = (f"{period.label}, hạn nộp trước {report.due_before:%d/%m/%Y}: đã nộp "
               f"{counts['on_time'] + counts['late']}/{len(report.units)} xã ({counts['late']} trễ hạn), "
               f"chưa nộp {counts['missing']}. Xem mục 4.")
    return Outcome({0: L.OK, 1: L.FLAGS}.get(report.exit_code, L.UNREADABLE), message, details)


def print_report(settings: Settings) -> Outcome:
    """In báo cáo ra PDF: the consolidated workbook of the output cell printed as `cchc-xl pdf`
    prints it, the PDF beside it."""
    from cchc_xl.common.libreoffice import LibreOfficeMissing
    from cchc_xl.district.printing import write_pdf
    workbook = settings.file(L.OUTPUT)
    try:
        written = write_pdf(workbook)
    except LibreOfficeMissing:
        raise SettingsError("Máy này chưa cài LibreOffice nên không in ra PDF được: mở tệp kết quả "
                            f"'{workbook.name}' và in bằng Excel (File → Print), hoặc cài LibreOffice.") from None
    return Outcome(L.OK, f"Đã in báo cáo ra tệp '{written}'.", [[written.name, "Biểu của huyện và Tổng hợp, khổ A4.",
                                                                  "", ""]])


def literal(value: object) -> object:
    """Text that Excel would take for a formula (a file named "=cmd.xlsx") is stored as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def run_from_excel() -> None:
    """Entry of the workbook's button: RunPython imports the workbook's module, whose main() calls this."""
    import xlwings as xw

    book = xw.Book.caller()
    names = [sheet.name for sheet in book.sheets]
    units = _XlwingsSheet(book.sheets[L.UNITS_SHEET]) if L.UNITS_SHEET in names else None
    pick = _excel_folder_dialog(book.app) if sys.platform == "win32" else None
    outcome = run(_XlwingsSheet(book.sheets[L.CONTROL_SHEET]), Path(book.fullname), units=units, pick=pick)
    book.app.alert(**message_box(outcome))


def message_box(outcome: Outcome) -> dict[str, str]:
    """The message box closing a click (xlwings' `App.alert`): the status message, shown as an
    error when something could not be done or read, else as information."""
    failed = outcome.status in (L.ERROR, L.UNREADABLE)
    return {"prompt": outcome.message, "title": MESSAGE_TITLE, "mode": "critical" if failed else "info"}


def _excel_folder_dialog(app) -> FolderPicker:  # noqa: ANN001 - an xlwings App
    """Excel's FileDialog(msoFileDialogFolderPicker) through the COM object xlwings holds."""
    def pick(title: str, start: Path) -> str | None:
        dialog = app.api.FileDialog(4)
        dialog.Title = title
        dialog.InitialFileName = f"{start}\\"
        return str(dialog.SelectedItems(1)) if dialog.Show() == -1 else None
    return pick


class _XlwingsSheet:
    """`ControlSheet` on the live sheet in Excel."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet

    def read(self, address: str) -> object:
        return self.sheet[address].value

    def read_rows(self, area: str) -> list[list[object]]:
        return self.sheet[area].options(ndim=2).value     # one call to Excel for the whole area

    def write(self, address: str, value: object) -> None:
        self.sheet[address].value = literal(value)

    def write_rows(self, address: str, rows: list[list[object]]) -> None:
        self.sheet[address].value = [[literal(v) for v in row] for row in rows]

    def clear(self, area: str) -> None:
        self.sheet[area].clear_contents()


def _read_units_file(path: Path) -> UnitList:
    """A list file as `cchc-xl --expect` reads it; Notepad's old "ANSI" gets its own advice."""
    try:
        return parse_unit_list(path.read_text("utf-8-sig"), path.name)
    except UnicodeDecodeError:
        raise SettingsError(f"Tệp danh sách xã '{path.name}' (ô {L.COMMUNES.cell}) không phải văn bản UTF-8: "
                            "mở bằng Notepad, chọn Save As, mục Encoding chọn UTF-8 rồi lưu lại.") from None
    except UnitListError as error:
        raise SettingsError(f"{error} (ô {L.COMMUNES.cell}).") from None


def _commune_files(settings: Settings, book_path: Path) -> tuple[list[Path], list[Problem]]:
    """The communes' workbooks, chosen as `cchc-xl consolidate` chooses them in a folder (no lock
    files, no other files: those are reported), never this workbook."""
    folder = settings.folder(L.FOLDER)
    try:
        return collect([folder], exclude=[Path(book_path)])
    except InputError:
        raise SettingsError(f"Thư mục '{folder}' (ô {L.FOLDER.cell}) không có tệp Excel nào của các xã.") from None


def _review_rows(review: Review) -> list[list[object]]:
    rows = [_problem_row(p) for p in review.problems]
    rows += [[review.file, f.message, f.cell or "", f.code] for f in review.findings]
    return rows or [[review.file, "Không có cảnh báo.", "", ""]]


def _problem_row(problem: Problem) -> list[object]:
    return [problem.file, problem.message, problem.cell or "", problem.code or ""]


def _start(sheet: ControlSheet) -> None:
    sheet.write(L.STATUS, "Đang chạy…")
    sheet.write(L.STATUS_CODE, L.RUNNING)
    sheet.write(L.PROGRESS, "")
    sheet.clear(L.DETAIL_AREA)


def _progress_writer(sheet: ControlSheet) -> Progress:
    def progress(done: int, total: int, name: str) -> None:
        sheet.write(L.PROGRESS, f"{done}/{total}: {name}")
    return progress


def _finish(sheet: ControlSheet, outcome: Outcome) -> None:
    sheet.write(L.STATUS, outcome.message)
    sheet.write(L.STATUS_CODE, outcome.status)
    sheet.write(L.LAST_RUN, dt.datetime.now().strftime("%d/%m/%Y %H:%M"))
    rows = outcome.details
    if len(rows) > L.DETAIL_ROWS:
        hidden = len(rows) - L.DETAIL_ROWS + 1
        rows = rows[:L.DETAIL_ROWS - 1] + [["", f"… và {hidden} dòng nữa (xem bằng lệnh cchc-xl check).", "", ""]]
    if rows:
        sheet.write_rows(f"{L.DETAIL_COLUMNS[0]}{L.FIRST_DETAIL_ROW}", rows)
