"""The district workbook: commune columns, live totals and live flags, written from a `Consolidation`.

Sheets: `Tổng hợp` (one row per catalog row, one column per commune, a total column whose
formula follows the row's `agg`, the number of communes that reported, flag counts and
conditional formatting), the district's own form when one is asked for (`district_form`),
`Kiểm tra` (every rule of every commune, then of the district form, as a live formula, with a
link to its cell), the comparison with the previous period (`trend_sheet`) and who sent the
report when (`completeness`) when asked for, then the provenance sheets of `provenance` and
the hidden `_cchc` sheet.

The file is written with XlsxWriter (see `xlsx` for why and how).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from xlsxwriter import Workbook
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from . import __version__, completeness, district_form, provenance, trend_sheet
from .catalog import Form, Row
from .files import atomic_write
from .formulas import RefResolver, quote_sheet, to_formula
from .checks import Finding
from .rules import MISSING_PREFIX, Rule
from .template import CHECK_SHEET, META_SHEET
from .xlsx_out import (LINE_HEIGHT, Styles, line_count, link_formula, new_workbook, print_landscape, write_formula,
                   write_value)

if TYPE_CHECKING:
    from .consolidate import Consolidation

SUMMARY_SHEET = "Tổng hợp"
KIND = "district"
ERROR_ROW, MISSING_ROW, HEADER_ROW = 4, 5, 6   # 0-based: Excel rows 5, 6, 7
FIRST_ROW = HEADER_ROW + 1
FIRST_COMMUNE_COL = 3                            # column D
SEVERITY_ERROR, SEVERITY_MISSING = "Lỗi", "Chưa nhập"
CHECK_HEADER_ROW = 3
CHECK_FIRST_ROW = CHECK_HEADER_ROW + 1
RESULT_COL, SEVERITY_COL = 5, 6                  # columns F and G of `Kiểm tra`
_FIT_ONE_PAGE_UP_TO = 10                         # communes printed on one page width
LABEL_WIDTH, UNIT_WIDTH = 52, 18
CHECK_WIDTHS = (18, 9, 40, 22, 36, 55, 11, 8)


def write_district(consolidation: Consolidation, output: Path) -> Path:
    """Write the workbook atomically; an existing output is kept as ``<name>.bak.xlsx``."""
    return atomic_write(Path(output), lambda temp: _build(consolidation, temp), keep_backup=True)


@dataclass(frozen=True)
class Layout:
    """Where things are on `Tổng hợp` and `Kiểm tra` (0-based rows and columns)."""

    form: Form
    rules: tuple[Rule, ...]
    communes: int
    #: the rules of the district form, checked in a block after the communes' on `Kiểm tra`
    district_rules: tuple[Rule, ...] = ()
    rows: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", {row.code: FIRST_ROW + i for i, row in enumerate(self.form.rows)})

    def row(self, code: str) -> int:
        return self.rows[code]

    def column(self, commune: int) -> int:
        return FIRST_COMMUNE_COL + commune

    @property
    def last_commune_column(self) -> int:
        return FIRST_COMMUNE_COL + self.communes - 1

    @property
    def total_column(self) -> int:
        return FIRST_COMMUNE_COL + self.communes

    @property
    def count_column(self) -> int:
        return self.total_column + 1

    def flag_column(self, commune: int) -> int:
        """Hidden, grouped columns joining each row's flags, one per commune (after a gap)."""
        return self.count_column + 2 + commune

    @property
    def last_row(self) -> int:
        return FIRST_ROW + len(self.form.rows) - 1

    def check_row(self, commune: int, rule: int) -> int:
        return CHECK_FIRST_ROW + commune * len(self.rules) + rule

    def district_check_row(self, rule: int) -> int:
        return CHECK_FIRST_ROW + self.communes * len(self.rules) + rule

    @property
    def last_check_row(self) -> int:
        """The last rule row of `Kiểm tra` (the header row when there is no rule at all)."""
        return CHECK_HEADER_ROW + self.communes * len(self.rules) + len(self.district_rules)

    def total_ref(self, code: str) -> str:
        """Absolute reference to a row's total cell, from another sheet."""
        cell = xl_rowcol_to_cell(self.row(code), self.total_column, row_abs=True, col_abs=True)
        return f"{quote_sheet(SUMMARY_SHEET)}!{cell}"

    def span_ref(self, code: str) -> str:
        """Absolute reference to a row's commune cells, from another sheet."""
        first = xl_rowcol_to_cell(self.row(code), FIRST_COMMUNE_COL, row_abs=True, col_abs=True)
        last = xl_rowcol_to_cell(self.row(code), self.last_commune_column, row_abs=True, col_abs=True)
        return f"{quote_sheet(SUMMARY_SHEET)}!{first}:{last}"

    def value_ref(self, commune: int, code: str) -> str:
        """Absolute reference to a commune's value cell, from another sheet."""
        cell = xl_rowcol_to_cell(self.row(code), self.column(commune), row_abs=True, col_abs=True)
        return f"{quote_sheet(SUMMARY_SHEET)}!{cell}"

    def summary_ref(self, commune: int, code: str) -> str:
        """The same cell as a link target ("'Tổng hợp'!E45")."""
        return f"{quote_sheet(SUMMARY_SHEET)}!{xl_rowcol_to_cell(self.row(code), self.column(commune))}"

    def commune_span(self, row: int) -> str:
        """The commune cells of one row ("D8:H8")."""
        return (f"{xl_rowcol_to_cell(row, FIRST_COMMUNE_COL)}:"
                f"{xl_rowcol_to_cell(row, self.last_commune_column)}")


def _build(consolidation: Consolidation, path: Path) -> None:
    wb = new_workbook(path)
    styles = Styles(wb)
    district = consolidation.district
    layout = Layout(consolidation.form, consolidation.rules, len(consolidation.communes),
                    district.rules if district else ())
    summary = wb.add_worksheet(SUMMARY_SHEET)
    form_sheet = wb.add_worksheet(district.form.sheet) if district else None
    checks = wb.add_worksheet(CHECK_SHEET)
    _write_summary(summary, consolidation, layout, styles)
    if district is not None and form_sheet is not None:
        _write_district_form(form_sheet, consolidation, layout, styles)
    _write_checks(checks, consolidation, layout, styles)
    if consolidation.comparison is not None:
        trend_sheet.write_sheet(wb.add_worksheet(trend_sheet.SHEET), consolidation.comparison, consolidation.period,
                                consolidation.form, [m.name for m in consolidation.communes], layout.value_ref, styles)
    if consolidation.status:
        completeness.write_sheet(wb.add_worksheet(completeness.SHEET), consolidation, styles)
    provenance.write_sheets(wb, consolidation, styles, layout.summary_ref)
    _write_meta(wb, consolidation)
    summary.activate()
    wb.close()


def _write_district_form(ws: Worksheet, c: Consolidation, layout: Layout, styles: Styles) -> None:
    """The district form sheet, its flags read from the district block of `Kiểm tra`."""
    assert c.district is not None
    result, severity = xl_col_to_name(RESULT_COL), xl_col_to_name(SEVERITY_COL)
    first, last = layout.district_check_row(0) + 1, layout.last_check_row + 1
    district_form.write_sheet(
        ws, c.district, c.unit, c.period, styles, layout,
        lambda j: f"{quote_sheet(CHECK_SHEET)}!${result}${layout.district_check_row(j) + 1}",
        f"{quote_sheet(CHECK_SHEET)}!${severity}${first}:${severity}${last}")


def _write_summary(ws: Worksheet, c: Consolidation, layout: Layout, styles: Styles) -> None:
    _write_title(ws, c, styles)
    _write_header(ws, c, layout, styles)
    for row in c.form.rows:
        _write_row(ws, c, layout, styles, row)
    if layout.communes:
        _write_flag_counts(ws, layout, styles)
        _write_flag_columns(ws, c, layout, styles)
        _format_flags(ws, layout, styles)
    _finish_summary(ws, layout)


def _write_title(ws: Worksheet, c: Consolidation, styles: Styles) -> None:
    start, end = c.period.start, c.period.end
    ws.write_string(0, 0, "Ô đỏ: số liệu vi phạm quy tắc kiểm tra; ô vàng: chưa nhập (để trống khác 0). "
                          "Sửa số ở cột của xã, cột tổng và kiểm tra tự cập nhật.", styles.note)
    ws.write_string(1, 0, c.form.heading, styles.title)
    ws.write_string(2, 0, f"{c.unit.upper()}: TỔNG HỢP TỪ {len(c.communes)} ĐƠN VỊ CẤP XÃ "
                          f"({c.form.title.upper()})", styles.subtitle)
    ws.write_string(3, 0, f"Kỳ báo cáo: {c.period.label} (số liệu từ {start:%d/%m/%Y} đến {end:%d/%m/%Y})",
                    styles.note)
    ws.write_string(ERROR_ROW, 1, "Số lỗi cần xem lại (sheet Kiểm tra):", styles.bold_right)
    ws.write_string(MISSING_ROW, 1, "Số chỉ tiêu chưa nhập:", styles.bold_right)


def _write_header(ws: Worksheet, c: Consolidation, layout: Layout, styles: Styles) -> None:
    titles = ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", *(m.name for m in c.communes),
              f"{c.unit}\n(tổng các xã)", "Số xã báo cáo"]
    for col, title in enumerate(titles):
        ws.write_string(HEADER_ROW, col, title, styles.header)
    ws.set_row(HEADER_ROW, 48)


def _write_row(ws: Worksheet, c: Consolidation, layout: Layout, styles: Styles, row: Row) -> None:
    r = layout.row(row.code)
    if not row.is_value:
        for col, text in enumerate((row.code, row.label)):
            ws.write_string(r, col, text, styles.group)
        for col in range(2, layout.count_column + 1):
            ws.write_blank(r, col, None, styles.group)
        ws.set_row(r, LINE_HEIGHT * line_count(row.label, LABEL_WIDTH))
        return
    ws.write_string(r, 0, row.code, styles.code)
    ws.write_string(r, 1, row.label, styles.label_bold if row.depth == 0 else styles.label)
    ws.write_string(r, 2, _unit_text(row), styles.text)
    ws.set_row(r, LINE_HEIGHT * max(line_count(row.label, LABEL_WIDTH), line_count(_unit_text(row), UNIT_WIDTH)))
    value_format = styles.date if row.kind == "date" else styles.value
    for i, commune in enumerate(c.communes):
        write_value(ws, r, layout.column(i), commune.values.get(row.code), value_format)
        note = commune.notes.get(row.code)
        if note:
            ws.write_comment(r, layout.column(i), f"Ghi chú của {commune.name}: {note}", {"x_scale": 2})
    if layout.communes:
        _write_total(ws, layout, styles, row, r)
        write_formula(ws, r, layout.count_column, f"=COUNT({layout.commune_span(r)})", styles.count)


def _write_total(ws: Worksheet, layout: Layout, styles: Styles, row: Row, r: int) -> None:
    """The total cell by the row's aggregation; blank (never 0) when no commune reported."""
    span, col = layout.commune_span(r), layout.total_column
    if row.agg == "sum":
        write_formula(ws, r, col, f'=IF(COUNT({span})=0,"",SUM({span}))', styles.total)
    elif row.agg == "count_yes":
        write_formula(ws, r, col, f'=IF(COUNT({span})=0,"",COUNTIF({span},1))', styles.total)
        ws.write_comment(r, col, f"Số xã trả lời mã 1 ({row.choices.get(1, 'Có')}).", {"x_scale": 2})
    elif row.agg == "ratio":
        weights = layout.commune_span(layout.row(row.weight))
        both = f"ISNUMBER({span})*ISNUMBER({weights})"
        denominator = f"SUMPRODUCT({both},{weights})"
        write_formula(ws, r, col, f'=IF({denominator}=0,"",SUMPRODUCT({both},{span},{weights})/{denominator})',
                      styles.ratio)
        weight = layout.form.row(row.weight)
        ws.write_comment(r, col, f"Tỷ lệ chung = Σ(tỷ lệ của xã × {weight.code} {weight.label}) ÷ Σ {weight.code}, "
                                 f"chỉ tính các xã có đủ cả hai số liệu.", {"x_scale": 3, "y_scale": 1.5})
    else:
        ws.write_blank(r, col, None, styles.no_total)
        ws.write_comment(r, col, _no_total_reason(row), {"x_scale": 2})


def _no_total_reason(row: Row) -> str:
    """Why a row has no district total, for the total cell's comment."""
    if row.kind == "date":
        return "Không tổng hợp: ngày ban hành là của từng xã."
    if row.kind == "code":
        return "Không tổng hợp: mã lựa chọn của từng xã không cộng được; xem cột của từng xã."
    if row.kind == "percent":
        return "Không tổng hợp: biểu không có mẫu số để tính lại tỷ lệ chung của huyện."
    return "Không tổng hợp: chỉ tiêu không cộng được giữa các xã."


def _unit_text(row: Row) -> str:
    """Coded rows show their codes, so a district reader can read a commune's 0/1/2."""
    if row.kind == "code":
        return "; ".join(f"{code} = {meaning}" for code, meaning in row.choices.items())
    return row.unit


def _write_flag_counts(ws: Worksheet, layout: Layout, styles: Styles) -> None:
    """Per commune, errors and missing values counted from its block of `Kiểm tra`."""
    severity = xl_col_to_name(SEVERITY_COL)
    for i in range(layout.communes):
        first, last = layout.check_row(i, 0) + 1, layout.check_row(i, len(layout.rules) - 1) + 1
        span = f"{quote_sheet(CHECK_SHEET)}!${severity}${first}:${severity}${last}"
        for row, label in ((ERROR_ROW, SEVERITY_ERROR), (MISSING_ROW, SEVERITY_MISSING)):
            write_formula(ws, row, layout.column(i), f'=COUNTIF({span},"{label}")', styles.flag_count)
    for row in (ERROR_ROW, MISSING_ROW):
        write_formula(ws, row, layout.total_column, f"=SUM({layout.commune_span(row)})", styles.flag_count)
    counts = f"{xl_rowcol_to_cell(ERROR_ROW, FIRST_COMMUNE_COL)}:{xl_rowcol_to_cell(ERROR_ROW, layout.total_column)}"
    ws.conditional_format(counts, {"type": "cell", "criteria": ">", "value": 0, "format": styles.error_fill})


def _write_flag_columns(ws: Worksheet, c: Consolidation, layout: Layout, styles: Styles) -> None:
    """Each commune's flags per row, joined as in the commune template's `Kiểm tra` column.

    Conditional formatting may only read its own sheet (Excel 2007), so these hidden columns
    bring the `Kiểm tra` results next to the values they colour.
    """
    result = xl_col_to_name(RESULT_COL)
    by_anchor: dict[str, list[int]] = {}
    for j, rule in enumerate(layout.rules):
        by_anchor.setdefault(rule.anchor, []).append(j)
    for i, commune in enumerate(c.communes):
        col = layout.flag_column(i)
        ws.write_string(HEADER_ROW, col, f"Kiểm tra: {commune.name}", styles.header)
        for code, indices in by_anchor.items():
            cells = [f"{quote_sheet(CHECK_SHEET)}!${result}${layout.check_row(i, j) + 1}" for j in indices]
            joined = "&".join(f'IF({cell}="","","; "&{cell})' for cell in cells)
            write_formula(ws, layout.row(code), col, f"=MID({joined},3,2000)", styles.flag_text)
    first, last = layout.flag_column(0), layout.flag_column(layout.communes - 1)
    ws.set_column(first, last, 40, None, {"hidden": True, "level": 1})
    ws.set_column(last + 1, last + 1, None, None, {"collapsed": True})


def _format_flags(ws: Worksheet, layout: Layout, styles: Styles) -> None:
    """Yellow for a value only missing, red for any other flag; row labels tinted when flagged."""
    flag = xl_rowcol_to_cell(FIRST_ROW, layout.flag_column(0))
    values = (FIRST_ROW, FIRST_COMMUNE_COL, layout.last_row, layout.last_commune_column)
    only_missing = f'=AND(LEFT({flag},{len(MISSING_PREFIX)})="{MISSING_PREFIX}",ISERROR(FIND(";",{flag})))'
    ws.conditional_format(*values, {"type": "formula", "criteria": only_missing,
                                    "format": styles.missing_fill, "stop_if_true": True})
    ws.conditional_format(*values, {"type": "formula", "criteria": f"=LEN({flag})>0", "format": styles.error_fill})
    first = xl_col_to_name(layout.flag_column(0))
    last = xl_col_to_name(layout.flag_column(layout.communes - 1))
    row = FIRST_ROW + 1
    ws.conditional_format(FIRST_ROW, 0, layout.last_row, 2, {
        "type": "formula", "criteria": f'=COUNTIF(${first}{row}:${last}{row},"?*")>0',
        "format": styles.row_flag_fill})


def _finish_summary(ws: Worksheet, layout: Layout) -> None:
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, LABEL_WIDTH)
    ws.set_column(2, 2, UNIT_WIDTH)
    if layout.communes:
        ws.set_column(FIRST_COMMUNE_COL, layout.last_commune_column, 12)
    ws.set_column(layout.total_column, layout.total_column, 15)
    ws.set_column(layout.count_column, layout.count_column, 9)
    ws.freeze_panes(FIRST_ROW, FIRST_COMMUNE_COL)
    print_landscape(ws, fit_width=layout.communes <= _FIT_ONE_PAGE_UP_TO)
    ws.repeat_rows(HEADER_ROW)
    ws.repeat_columns(0, 2)
    ws.print_area(0, 0, layout.last_row, layout.count_column)


def _write_checks(ws: Worksheet, c: Consolidation, layout: Layout, styles: Styles) -> None:
    """Every rule of every commune, then of the district form, with its live result; the filter
    shows the flagged ones.

    All rules are listed (not only those flagged now) because the results are live: fixing or
    breaking a number in `Tổng hợp` changes them. The autofilter on `Mức độ` starts with the
    rows flagged at consolidation time shown; clearing it shows every rule.
    """
    ws.write_string(0, 0, f"KIỂM TRA SỐ LIỆU: {c.period.label.upper()}", styles.title)
    ws.write_string(1, 0, "Mỗi dòng là một quy tắc của một xã (theo sheet Tổng hợp) hoặc của biểu huyện; "
                          "cột Kết quả là công thức. Bộ lọc ở cột Mức độ đang hiện các dòng có cảnh báo lúc "
                          "tổng hợp; chọn tất cả để xem mọi quy tắc.", styles.note)
    titles = ("Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Quy tắc", "Nội dung kiểm tra", "Kết quả", "Mức độ", "Ô")
    for col, title in enumerate(titles):
        ws.write_string(CHECK_HEADER_ROW, col, title, styles.header)
    summary = quote_sheet(SUMMARY_SHEET)
    lines = _check_lines(c.form, layout.rules, lambda code: f"{summary}!${_COLUMN}${layout.row(code) + 1}",
                         lambda code: f"{summary}!{_COLUMN}{layout.row(code) + 1}")
    for i, commune in enumerate(c.communes):
        _write_check_rows(ws, layout.check_row(i, 0), styles, commune.name, lines, commune.findings,
                          xl_col_to_name(layout.column(i)))
    if c.district is not None:
        form = c.district.form
        district_lines = _check_lines(form, c.district.rules, lambda code: district_form.value_ref(form, code),
                                      lambda code: district_form.value_ref(form, code, absolute=False))
        _write_check_rows(ws, layout.district_check_row(0), styles, c.unit, district_lines, c.district.findings)
    last, severity = layout.last_check_row, xl_col_to_name(SEVERITY_COL)
    ws.write_string(2, 0, "Số lỗi / chưa nhập:", styles.bold_right)
    for col, label in ((1, SEVERITY_ERROR), (2, SEVERITY_MISSING)):
        span = f"${severity}${CHECK_FIRST_ROW + 1}:${severity}${last + 1}"
        write_formula(ws, 2, col, f'=COUNTIF({span},"{label}")', styles.flag_count)
    ws.autofilter(CHECK_HEADER_ROW, 0, last, len(titles) - 1)
    ws.filter_column_list(SEVERITY_COL, [SEVERITY_ERROR, SEVERITY_MISSING])
    row = CHECK_FIRST_ROW + 1
    for label, fill in ((SEVERITY_MISSING, styles.missing_fill), (SEVERITY_ERROR, styles.error_fill)):
        ws.conditional_format(CHECK_FIRST_ROW, 0, last, len(titles) - 1, {
            "type": "formula", "criteria": f'=${severity}{row}="{label}"', "format": fill})
    for col, width in enumerate(CHECK_WIDTHS):
        ws.set_column(col, col, width)
    ws.freeze_panes(CHECK_FIRST_ROW, 0)
    ws.repeat_rows(CHECK_HEADER_ROW)
    print_landscape(ws)


#: Stands for a commune's column letters in a rule's formula and link rendered once for all communes.
_COLUMN = "\0"


@dataclass(frozen=True)
class _CheckLine:
    """What a rule's row of `Kiểm tra` holds for any unit of a block, prepared once per run.

    A rule's formula and link differ between communes only by the column letters of their
    values, so each is rendered once and split where those letters go (`_COLUMN`).
    """

    rule: Rule
    label: str
    severity: str
    height: int                 # lines taken by the anchor's label and the rule's description
    formula: tuple[str, ...]    # the rendered formula, split at `_COLUMN`
    link: tuple[str, ...]       # the link target of the anchor's cell, split at `_COLUMN`


def _check_lines(form: Form, rules: tuple[Rule, ...], resolve: RefResolver,
                 link: Callable[[str], str]) -> list[_CheckLine]:
    lines = []
    for rule in rules:
        label = form.row(rule.anchor).label
        lines.append(_CheckLine(
            rule=rule, label=label, severity=SEVERITY_MISSING if rule.kind == "required" else SEVERITY_ERROR,
            height=max(line_count(label, CHECK_WIDTHS[2]), line_count(rule.description, CHECK_WIDTHS[4])),
            formula=tuple(to_formula(rule.expr, resolve).split(_COLUMN)),
            link=tuple(link_formula(link(rule.anchor)).split(_COLUMN))))
    return lines


def _write_check_rows(ws: Worksheet, first: int, styles: Styles, name: str, lines: list[_CheckLine],
                      findings: tuple[Finding, ...], letters: str = "") -> None:
    """One unit's block of rule rows from row `first`; only the rows flagged now are shown."""
    messages: dict[str, str] = {}
    for finding in findings:
        messages.setdefault(finding.rule, finding.message)
    result = xl_col_to_name(RESULT_COL)
    for j, line in enumerate(lines):
        r, rule = first + j, line.rule
        message = messages.get(rule.id, "")
        for col, text in enumerate((name, rule.anchor, line.label, rule.id, rule.description)):
            ws.write_string(r, col, text, styles.code if col == 1 else styles.text)
        write_formula(ws, r, RESULT_COL, letters.join(line.formula), styles.flag_text)
        write_formula(ws, r, SEVERITY_COL, f'=IF({result}{r + 1}="","","{line.severity}")', styles.count)
        write_formula(ws, r, 7, letters.join(line.link), styles.link)
        ws.set_row(r, LINE_HEIGHT * max(line.height, line_count(message, CHECK_WIDTHS[5])), None,
                   {"hidden": not message})


def _meta_values(c: Consolidation) -> dict[str, str]:
    """The hidden identity sheet: what `check` needs to find the commune columns again."""
    return {"kind": KIND, "form": c.form.id, "form_version": c.form.version, "unit": c.unit,
            "period": c.period.key, "generator": f"cchc_xl {__version__}",
            "header_row": str(HEADER_ROW + 1), "first_commune_column": xl_col_to_name(FIRST_COMMUNE_COL),
            "communes": str(len(c.communes)),
            **({district_form.META_FORM: c.district.form.id, district_form.META_SHEET_NAME: c.district.form.sheet}
               if c.district else {})}


def _write_meta(wb: Workbook, c: Consolidation) -> None:
    ws = wb.add_worksheet(META_SHEET)
    for i, (key, value) in enumerate(_meta_values(c).items()):
        ws.write_string(i, 0, key)
        ws.write_string(i, 1, value)
    ws.hide()
