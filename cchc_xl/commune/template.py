"""Build the commune appendix workbook from the catalog: layout, validation, live checks.

Sheets: the appendix itself (locked labels, unlocked value and note cells, a `Kiểm tra` column
showing the flags of its row, an optional report date), `Kiểm tra` (one live formula per rule,
the cells the flags come from), the task framework sheet when the form declares one (see
`framework`) and a hidden `_cchc` sheet naming form, unit and period so a reader can identify
the file even when someone edits the title.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cchc_xl import __version__
from cchc_xl.common.files import atomic_write
from cchc_xl.commune import framework as task_framework
from cchc_xl.commune.styles import (
    BORDER,
    FLAG_FILL,
    FONT,
    GROUP_FILL,
    INPUT_FILL,
    MISSING_FILL,
    UNLOCKED,
    WRAP,
    validation,
)
from cchc_xl.forms.catalog import Form, Row, load_form
from cchc_xl.forms.form_files import text_lines
from cchc_xl.forms.formulas import quote_sheet, to_formula
from cchc_xl.forms.layout import (
    CHECK_SHEET,
    ERROR_COUNT_CELL,
    FIRST_ROW,
    FLAG_COL,
    FORM_SHEET,
    HEADER,
    HEADER_ROW,
    META_SHEET,
    MISSING_COUNT_CELL,
    NOTE_COL,
    REPORT_DATE_CELL,
    REPORT_DATE_NAME,
    VALUE_COL,
)
from cchc_xl.forms.periods import Period
from cchc_xl.forms.rules import (
    MISSING_PREFIX,
    REQUIRED_PREFIX,
    Rule,
    build_rules,
    framework_rules,
)
from cchc_xl.forms.validation import input_rule, input_rule_key

_WIDTHS = {"A": 9, "B": 58, "C": 16, "D": 13, "E": 20, "F": 38}
_CHARS_PER_LINE = {col: int(width * 1.05) for col, width in _WIDTHS.items()}


@dataclass(frozen=True)
class Layout:
    """Where each code's row is on the appendix sheet."""

    rows: dict[str, int]

    def value_cell(self, code: str) -> str:
        return f"{VALUE_COL}{self.rows[code]}"


def layout_for(form: Form) -> Layout:
    return Layout({row.code: FIRST_ROW + i for i, row in enumerate(form.rows)})


def build_template(unit: str, period: Period, form: Form | None = None,
                   framework: bool = True) -> Workbook:
    """The blank appendix for one unit and period, with the task framework sheet if the form
    declares one and `framework` is left on."""
    form = form or load_form()
    layout = layout_for(form)
    with_framework = framework and bool(form.framework)
    rules = build_rules(form, period) + (framework_rules(form) if with_framework else [])
    wb = Workbook()
    sheet = wb.active
    sheet.title = form.sheet
    checks = wb.create_sheet(CHECK_SHEET)
    _write_title(sheet, form, unit, period)
    _write_report_date(wb, sheet, period)
    _write_rows(sheet, form, layout, period)
    extra_cells: dict[str, str] = {}
    if with_framework:
        task_framework.add_sheet(wb, form, unit, period)
        extra_cells = task_framework.count_cells()
    rule_cells = _write_rule_sheet(checks, form, layout, rules, extra_cells)
    _write_flag_column(sheet, form, layout, rules, rule_cells)
    _write_flag_counts(sheet, len(rules))
    _finish_sheet(sheet, form)
    write_meta(wb, {"form": form.id, "form_version": form.version, "unit": unit,
                    "period": period.key, "generator": f"cchc_xl {__version__}"})
    _write_form_text(wb, form)
    return wb


def save_template(path: Path, unit: str, period: Period, form: Form | None = None) -> Path:
    workbook = build_template(unit, period, form)
    return atomic_write(Path(path), workbook.save)


def write_meta(wb: Workbook, values: dict[str, str]) -> None:
    """The hidden identity sheet: key/value pairs a reader trusts over the title block."""
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    for i, (key, value) in enumerate(values.items(), start=1):
        meta.cell(i, 1, key)
        meta.cell(i, 2, value)
    meta.protection.sheet = True


def _write_form_text(wb: Workbook, form: Form) -> None:
    """A form read from a file travels inside its templates (hidden, locked): the filled copies
    are read with it wherever they are sent, without the file."""
    lines = text_lines(form)
    if lines is None:
        return
    sheet = wb.create_sheet(FORM_SHEET)
    sheet.sheet_state = "hidden"
    for number, line in enumerate(lines, start=1):
        cell = sheet.cell(number, 1, line or None)
        cell.data_type = "s"  # a line is text, even one starting with "="
    sheet.protection.sheet = True


def _write_title(ws: Worksheet, form: Form, unit: str, period: Period) -> None:
    ws["F1"] = form.title
    ws["F1"].font = Font(name=FONT, bold=True, italic=True)
    ws["F1"].alignment = Alignment(horizontal="right")
    lines = [
        (2, f"{form.heading}", Font(name=FONT, bold=True, size=13)),
        (3, f"CỦA UBND {unit.upper()}", Font(name=FONT, bold=True, size=12)),
        (4, f"Kỳ báo cáo: {period.label} (số liệu từ {period.start:%d/%m/%Y} "
            f"đến {period.end:%d/%m/%Y})", Font(name=FONT, italic=True)),
    ]
    for row, text, font in lines:
        ws.merge_cells(f"A{row}:F{row}")
        cell = ws[f"A{row}"]
        cell.value, cell.font = text, font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 33
    for cell, text in (("B5", "Số lỗi cần xem lại (cột Kiểm tra):"), ("B6", "Số chỉ tiêu chưa nhập:")):
        ws[cell] = text
        ws[cell].font = Font(name=FONT, bold=True)
        ws[cell].alignment = Alignment(horizontal="right")
    for col, title in enumerate(HEADER, start=1):
        cell = ws.cell(HEADER_ROW, col, title)
        cell.font = Font(name=FONT, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = GROUP_FILL
        cell.border = BORDER


def _write_report_date(wb: Workbook, ws: Worksheet, period: Period) -> None:
    """An optional input: the date the report is sent, which `cchc-xl status` prefers to the
    file's own date (a file copied or downloaded later gets a new one)."""
    label = ws[f"E{REPORT_DATE_CELL[1:]}"]
    label.value = "Ngày gửi báo cáo:"
    label.font, label.alignment = Font(name=FONT, bold=True), Alignment(horizontal="right")
    cell = ws[REPORT_DATE_CELL]
    cell.protection, cell.fill, cell.border = UNLOCKED, INPUT_FILL, BORDER
    cell.number_format, cell.font = "dd/mm/yyyy", Font(name=FONT)
    start = period.start
    rule = validation("date", "between", f"DATE({start.year},{start.month},{start.day})",
                             "Ngày gửi báo cáo", "Nhập ngày gửi báo cáo dạng dd/mm/yyyy.",
                             f"Ngày gửi phải từ {start:%d/%m/%Y} đến hết năm {period.year + 1}.",
                             formula2=f"DATE({period.year + 1},12,31)")
    rule.add(REPORT_DATE_CELL)
    ws.add_data_validation(rule)
    absolute = f"${REPORT_DATE_CELL[0]}${REPORT_DATE_CELL[1:]}"
    wb.defined_names[REPORT_DATE_NAME] = DefinedName(
        REPORT_DATE_NAME, attr_text=f"{quote_sheet(ws.title)}!{absolute}")


def _write_rows(ws: Worksheet, form: Form, layout: Layout, period: Period) -> None:
    validations = _Validations(ws, period)
    for row in form.rows:
        r = layout.rows[row.code]
        group = row.kind == "group"
        values = (row.code, row.label, row.unit_text, None, None, None)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, value)
            cell.font = Font(name=FONT, bold=group or row.depth == 0)
            cell.alignment = WRAP if col != 1 else Alignment(horizontal="center", vertical="center")
            cell.border = BORDER
            if group:
                cell.fill = GROUP_FILL
        if not group:
            for col in (VALUE_COL, NOTE_COL):
                ws[f"{col}{r}"].protection = UNLOCKED
                ws[f"{col}{r}"].fill = INPUT_FILL
            validations.add(row, f"{VALUE_COL}{r}")
        ws.row_dimensions[r].height = 15 * _line_count(row)
        if row.kind == "date":
            ws[f"{VALUE_COL}{r}"].number_format = "dd/mm/yyyy"
        if row.kind == "percent":
            ws[f"{VALUE_COL}{r}"].number_format = "0.##"


def _line_count(row: Row) -> int:
    """Rows holding wrapped text need their height set: spreadsheets do not grow them on open."""
    label_lines = -(-len(row.label) // _CHARS_PER_LINE["B"])
    unit_lines = sum(-(-len(part) // _CHARS_PER_LINE["C"]) for part in row.unit_text.split("\n"))
    return max(1, label_lines, unit_lines)


class _Validations:
    """One openpyxl data validation per `input_rule_key`, gathering its cells."""

    def __init__(self, ws: Worksheet, period: Period) -> None:
        self.ws, self.period = ws, period
        self.by_key: dict[str, DataValidation] = {}

    def add(self, row: Row, cell: str) -> None:
        key = input_rule_key(row)
        if key not in self.by_key:
            rule = input_rule(row, self.period)
            if rule is None:
                return
            made = validation(rule.kind, rule.operator, rule.formula1, rule.title, rule.prompt, rule.error,
                               rule.formula2, rule.error_style)
            self.ws.add_data_validation(made)
            self.by_key[key] = made
        self.by_key[key].add(cell)


def _write_rule_sheet(ws: Worksheet, form: Form, layout: Layout, rules: list[Rule],
                      extra_cells: dict[str, str]) -> dict[str, str]:
    """One row per rule with its live formula; returns rule id -> result cell reference.

    `extra_cells` locates codes that are not rows of the form (the framework counts)."""
    titles = ("Mã chỉ tiêu", "Quy tắc", "Nội dung kiểm tra", "Kết quả")
    for col, title in enumerate(titles, start=1):
        ws.cell(1, col, title).font = Font(name=FONT, bold=True)

    def resolve(code: str) -> str:
        return extra_cells.get(code) or f"{quote_sheet(form.sheet)}!${VALUE_COL}${layout.rows[code]}"

    cells = {}
    for i, rule in enumerate(rules, start=2):
        ws.cell(i, 1, rule.anchor)
        ws.cell(i, 2, rule.id)
        ws.cell(i, 3, rule.description)
        ws.cell(i, 4, to_formula(rule.expr, resolve))
        cells[rule.id] = f"{quote_sheet(CHECK_SHEET)}!$D${i}"
    for col, width in zip("ABCD", (10, 30, 45, 60)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.protection.sheet = True
    ws.conditional_formatting.add(f"A2:D{len(rules) + 1}",
                                  FormulaRule(formula=["LEN($D2)>0"], fill=FLAG_FILL))
    return cells


def _write_flag_column(ws: Worksheet, form: Form, layout: Layout, rules: list[Rule],
                       rule_cells: dict[str, str]) -> None:
    """Each row's Kiểm tra cell joins the messages of the rules anchored on it."""
    by_anchor: dict[str, list[str]] = {}
    for rule in rules:
        by_anchor.setdefault(rule.anchor, []).append(rule_cells[rule.id])
    for code, cells in by_anchor.items():
        joined = "&".join(f'IF({c}="","","; "&{c})' for c in cells)
        target = ws[f"{FLAG_COL}{layout.rows[code]}"]
        target.value = f"=MID({joined},3,2000)"
        target.font = Font(name=FONT, color="C00000")
    last = FIRST_ROW + len(form.rows) - 1
    flag = f"${FLAG_COL}{FIRST_ROW}"
    only_missing = f'AND(LEFT({flag},{len(MISSING_PREFIX)})="{MISSING_PREFIX}",ISERROR(FIND(";",{flag})))'
    area = f"A{FIRST_ROW}:{FLAG_COL}{last}"
    ws.conditional_formatting.add(area, FormulaRule(formula=[only_missing], fill=MISSING_FILL, stopIfTrue=True))
    ws.conditional_formatting.add(area, FormulaRule(formula=[f"LEN({flag})>0"], fill=FLAG_FILL))


def _write_flag_counts(ws: Worksheet, rule_count: int) -> None:
    """Errors and missing values counted apart: a fresh template is all missing, no errors."""
    span = f"{quote_sheet(CHECK_SHEET)}!$D$2:$D${rule_count + 1}"
    ids = f"{quote_sheet(CHECK_SHEET)}!$B$2:$B${rule_count + 1}"
    missing = f'(LEFT({ids},{len(REQUIRED_PREFIX)})="{REQUIRED_PREFIX}")'
    formulas = {ERROR_COUNT_CELL: f"=SUMPRODUCT((LEN({span})>0)*NOT{missing})",
                MISSING_COUNT_CELL: f"=SUMPRODUCT((LEN({span})>0)*{missing})"}
    for ref, formula in formulas.items():
        cell = ws[ref]
        cell.value = formula
        cell.font = Font(name=FONT, bold=True, color="C00000", size=12)
        cell.alignment = Alignment(horizontal="center")
        cell.border = BORDER
    ws.conditional_formatting.add(ERROR_COUNT_CELL, FormulaRule(formula=[f"{ERROR_COUNT_CELL}>0"], fill=FLAG_FILL))


def _finish_sheet(ws: Worksheet, form: Form) -> None:
    for col, width in _WIDTHS.items():
        ws.column_dimensions[col].width = width
    longest_code = max(len(r.code) for r in form.rows)
    ws.column_dimensions["A"].width = max(_WIDTHS["A"], longest_code + 2)
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.print_area = f"A1:{FLAG_COL}{FIRST_ROW + len(form.rows) - 1}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
