"""The district workbook: commune columns, live totals and live flags, written from a `Consolidation`.

Sheets: `Tổng hợp` (one row per catalog row, one column per commune, a total column whose
formula follows the row's `agg`, the number of communes that reported, flag counts, and below
the table every rule of the commune form as a live formula in each commune's column
(`rule_block`), which colours the values it flags), the district's own form when one is asked
for (`district_form`), `Kiểm tra` (every flag raised at consolidation, its live result and a
link to its cell), the sheets a later stage adds (`Consolidation.sheets`: the comparison with
the previous period, who sent the report when), then the provenance sheets of `provenance` and
the hidden `_cchc` sheet.

The file is written with XlsxWriter, the bulk of its cells through `xlsx_out.write_cells`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xlsxwriter import Workbook

from cchc_xl import __version__
from cchc_xl.common.cells import absolute_ref, cell_ref, column_letters
from cchc_xl.common.collector import collector_paused
from cchc_xl.common.files import atomic_write
from cchc_xl.district import district_form, provenance
from cchc_xl.district.layout import (
    CHECK_FIRST_ROW,
    CHECK_HEADER_ROW,
    CHECK_WIDTHS,
    ERROR_ROW,
    FIRST_COMMUNE_COL,
    FIRST_ROW,
    HEADER_ROW,
    KIND,
    LABEL_WIDTH,
    MISSING_ROW,
    RESULT_COL,
    SEVERITY_COL,
    SUMMARY_SHEET,
    UNIT_WIDTH,
    Layout,
)
from cchc_xl.district.model import Consolidation
from cchc_xl.district.rule_block import (
    FLAGGED,
    SEVERITY_ERROR,
    SEVERITY_MISSING,
    severity,
    write_block,
)
from cchc_xl.district.sheet_xml import COLUMN, formula
from cchc_xl.district.title_block import write_heading, write_signature
from cchc_xl.district.unit_level import UnitLevel, unit_level
from cchc_xl.district.xlsx_out import (
    LINE_HEIGHT,
    DistrictSheet,
    Styles,
    line_count,
    link_formula,
    new_workbook,
    print_landscape,
    protect,
    write_formula,
)
from cchc_xl.forms.catalog import Row
from cchc_xl.forms.checks import Finding
from cchc_xl.forms.form_files import text_lines
from cchc_xl.forms.formulas import quote_sheet
from cchc_xl.forms.layout import CHECK_SHEET, FORM_SHEET, META_SHEET
from cchc_xl.forms.rules import Rule

_FIT_ONE_PAGE_UP_TO = 10                         # communes printed on one page width


def write_district(consolidation: Consolidation, output: Path) -> Path:
    """Write the workbook atomically; an existing output is kept as ``<name>.bak.xlsx``.

    The cycle collector is paused meanwhile (`collector_paused`): every cell built stays alive
    until the file is written, and collecting would traverse the whole heap to free nothing, a
    tenth of the writing time for a thousand communes."""
    with collector_paused():
        return atomic_write(Path(output), lambda temp: _build(consolidation, temp), keep_backup=True)


def _build(consolidation: Consolidation, path: Path) -> None:
    wb = new_workbook(path)
    styles = Styles(wb)
    district = consolidation.district
    layout = Layout(consolidation.form, consolidation.rules, len(consolidation.communes))
    summary = wb.add_worksheet(SUMMARY_SHEET)
    form_sheet = wb.add_worksheet(district.form.sheet) if district else None
    checks = wb.add_worksheet(CHECK_SHEET)
    _write_summary(summary, consolidation, layout, styles)
    if district is not None and form_sheet is not None:
        district_form.write_sheet(form_sheet, district, consolidation.unit, consolidation.period, styles, layout)
    _write_checks(checks, consolidation, layout, styles)
    for sheet in consolidation.sheets:
        sheet.write(wb.add_worksheet(sheet.name), styles, layout)
    provenance.write_sheets(wb, consolidation, styles, layout)
    _write_meta(wb, consolidation)
    for sheet in wb.worksheets():
        protect(sheet)
    summary.activate()
    wb.close()


def _write_summary(ws: DistrictSheet, c: Consolidation, layout: Layout, styles: Styles) -> None:
    _write_title(ws, c, layout, styles)
    _write_header(ws, c, layout, styles)
    for row in c.form.rows:
        _write_row(ws, c, layout, styles, row)
    write_signature(ws, styles, c.unit, layout.last_row + 1, *_frame_columns(layout))
    if layout.communes:
        _write_rule_block(ws, layout, styles, unit_level(c.unit))
        _write_flag_counts(ws, layout, styles)
        _write_report_flags(ws, c, layout)
        _format_flags(ws, layout, styles)
    _finish_summary(ws, layout)


def _write_title(ws: DistrictSheet, c: Consolidation, layout: Layout, styles: Styles) -> None:
    start, end = c.period.start, c.period.end
    write_heading(ws, styles, c.unit, 0, *_frame_columns(layout))
    ws.write_string(1, 0, c.form.heading, styles.title)
    ws.write_string(2, 0, f"{c.unit.upper()}: TỔNG HỢP TỪ {len(c.communes)} ĐƠN VỊ CẤP XÃ "
                          f"({c.form.title.upper()})", styles.subtitle)
    ws.write_string(3, 0, f"Kỳ báo cáo: {c.period.label} (số liệu từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}). "
                          "Ô đỏ: số liệu vi phạm quy tắc kiểm tra; ô vàng: chưa nhập (để trống khác 0). "
                          "Sửa số ở cột của xã, cột tổng và kiểm tra tự cập nhật.", styles.note)
    ws.write_string(ERROR_ROW, 1, "Số lỗi cần xem lại (sheet Kiểm tra):", styles.bold_right)
    ws.write_string(MISSING_ROW, 1, "Số chỉ tiêu chưa nhập:", styles.bold_right)


def _frame_columns(layout: Layout) -> tuple[tuple[int, int], tuple[int, int]]:
    """Where the report's frame sits: the issuer over STT and label, the motto and signature over
    the last columns (the total and the count, and the communes just before them)."""
    return (0, 1), (max(FIRST_COMMUNE_COL, layout.count_column - 3), layout.count_column)


def _write_header(ws: DistrictSheet, c: Consolidation, layout: Layout, styles: Styles) -> None:
    level = unit_level(c.unit)
    titles = ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", *(m.name for m in c.communes),
              f"{level.whole}\n{c.unit}\n(tổng các {level.members})", f"Số {level.members} báo cáo"]
    for col, title in enumerate(titles):
        ws.write_string(HEADER_ROW, col, title, styles.header)
    ws.set_row(HEADER_ROW, 48)


def _write_row(ws: DistrictSheet, c: Consolidation, layout: Layout, styles: Styles, row: Row) -> None:
    r = layout.row(row.code)
    if not row.is_value:
        ws.write_cells(r, 0, [(row.code, styles.group), (row.label, styles.group),
                              *[(None, styles.group)] * (layout.count_column - 1)])
        ws.set_row(r, LINE_HEIGHT * line_count(row.label, LABEL_WIDTH))
        return
    value_format = styles.date if row.kind == "date" else styles.value
    ws.write_cells(r, 0, [(row.code, styles.code), (row.label, styles.label_bold if row.depth == 0 else styles.label),
                          (row.unit_text, styles.text),
                          *[(commune.values.get(row.code), value_format) for commune in c.communes]])
    ws.set_row(r, LINE_HEIGHT * max(line_count(row.label, LABEL_WIDTH), line_count(row.unit_text, UNIT_WIDTH)))
    for i, commune in enumerate(c.communes):
        note = commune.notes.get(row.code)
        if note:
            ws.write_comment(r, layout.column(i), f"Ghi chú của {commune.name}: {note}", {"x_scale": 2})
    if layout.communes:
        _write_total(ws, layout, styles, row, r, unit_level(c.unit))
        write_formula(ws, r, layout.count_column, f"=COUNT({layout.commune_span(r)})", styles.count)


def _write_total(ws: DistrictSheet, layout: Layout, styles: Styles, row: Row, r: int, level: UnitLevel) -> None:
    """The total cell by the row's aggregation; blank (never 0) when no commune reported."""
    span, col = layout.commune_span(r), layout.total_column
    if row.agg == "sum":
        write_formula(ws, r, col, f'=IF(COUNT({span})=0,"",SUM({span}))', styles.total)
    elif row.agg == "count_yes":
        write_formula(ws, r, col, f'=IF(COUNT({span})=0,"",COUNTIF({span},1))', styles.total)
        ws.write_comment(r, col, f"Số {level.members} trả lời mã 1 ({row.choices.get(1, 'Có')}).", {"x_scale": 2})
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
        ws.write_comment(r, col, _no_total_reason(row, level), {"x_scale": 2})


def _no_total_reason(row: Row, level: UnitLevel) -> str:
    """Why a row has no district total, for the total cell's comment."""
    if row.kind == "date":
        return "Không tổng hợp: ngày ban hành là của từng đơn vị."
    if row.kind == "code":
        return "Không tổng hợp: mã lựa chọn của từng đơn vị không cộng được; xem cột của từng đơn vị."
    if row.kind == "percent":
        return f"Không tổng hợp: biểu không có mẫu số để tính lại tỷ lệ chung của {level.kind}."
    return "Không tổng hợp: chỉ tiêu không cộng được giữa các đơn vị."


def _write_rule_block(ws: DistrictSheet, layout: Layout, styles: Styles, level: UnitLevel) -> None:
    """The communes' rules below the table, and per rule the number of communes it flags."""
    block = layout.block
    write_block(ws, block, FIRST_COMMUNE_COL, layout.communes, layout.count_column,
                lambda code: f"{COLUMN}{layout.row(code) + 1}", styles,
                "Quy tắc kiểm tra của mỗi đơn vị (công thức theo cột của đơn vị; ô có chữ là cảnh báo)")
    ws.write_string(block.title_row, layout.total_column, f"Số {level.members} có cảnh báo", styles.header)
    for r in block.rows.values():
        write_formula(ws, r, layout.total_column, f"=COUNTIF({layout.commune_span(r)},{FLAGGED})", styles.count)


def _write_flag_counts(ws: DistrictSheet, layout: Layout, styles: Styles) -> None:
    """Per commune, errors and missing values counted from its column of the rule block."""
    for row, label in ((ERROR_ROW, SEVERITY_ERROR), (MISSING_ROW, SEVERITY_MISSING)):
        ws.write_across(row, FIRST_COMMUNE_COL, layout.block.count_pattern(label), layout.communes,
                        styles.flag_count)
        write_formula(ws, row, layout.total_column, f"=SUM({layout.commune_span(row)})", styles.flag_count)
    counts = f"{cell_ref(ERROR_ROW, FIRST_COMMUNE_COL)}:{cell_ref(ERROR_ROW, layout.total_column)}"
    ws.conditional_format(counts, {"type": "cell", "criteria": ">", "value": 0, "format": styles.error_fill})


def _write_report_flags(ws: DistrictSheet, c: Consolidation, layout: Layout) -> None:
    """Beside each commune's error count, how many figures of its report text disagree with its table."""
    column = {m.name: layout.column(i) for i, m in enumerate(c.communes)}
    for name, count in c.report_flags:
        text = (f"Lời văn báo cáo của {name}: {count} số liệu không khớp với phụ lục (sheet Đối chiếu báo cáo)."
                if count else f"Lời văn báo cáo của {name} khớp với phụ lục (sheet Đối chiếu báo cáo).")
        ws.write_comment(ERROR_ROW, column[name], text, {"x_scale": 2})


def _format_flags(ws: DistrictSheet, layout: Layout, styles: Styles) -> None:
    """Per indicator: its values red when one of its error rules flags them, else yellow when a
    required-value rule does; its label tinted when any commune is flagged on it.

    Conditional formatting may only read its own sheet (Excel 2007): the rule block is on it.
    """
    first, last = column_letters(FIRST_COMMUNE_COL), column_letters(layout.last_commune_column)
    for code, (top, required, bottom) in layout.block.anchor_rows().items():
        r = layout.row(code)
        values = (r, FIRST_COMMUNE_COL, r, layout.last_commune_column)
        for rows, fill in (((top, required - 1), styles.error_fill), ((required, bottom), styles.missing_fill)):
            if rows[0] <= rows[1]:
                ws.conditional_format(*values, {"type": "formula", "format": fill, "stop_if_true": True, "criteria":
                                                f"=COUNTIF({first}${rows[0] + 1}:{first}${rows[1] + 1},{FLAGGED})>0"})
        ws.conditional_format(r, 0, r, 2, {"type": "formula", "format": styles.row_flag_fill, "criteria":
                                           f"=COUNTIF(${first}${top + 1}:${last}${bottom + 1},{FLAGGED})>0"})


def _finish_summary(ws: DistrictSheet, layout: Layout) -> None:
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
    ws.print_area(0, 0, layout.last_row + 1, layout.count_column)  # the signature below the table


def _write_checks(ws: DistrictSheet, c: Consolidation, layout: Layout, styles: Styles) -> None:
    """Every flag raised at consolidation (communes, then the district form): its live result,
    its severity while it lasts and a link to its cell.

    Each result reads the rule's cell of a rule block, so a fixed number clears it here too; a
    flag raised later by an edit shows in the rule block and the colours of `Tổng hợp`.
    """
    ws.write_string(0, 0, f"KIỂM TRA SỐ LIỆU: {c.period.label.upper()}", styles.title)
    ws.write_string(1, 0, "Mỗi dòng là một cảnh báo lúc tổng hợp; cột Kết quả là công thức, tự xóa khi số liệu "
                          "được sửa đúng. Mọi quy tắc của mọi xã ở khối «Quy tắc kiểm tra» cuối sheet Tổng hợp.",
                    styles.note)
    titles = ("Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Quy tắc", "Nội dung kiểm tra", "Kết quả", "Mức độ", "Ô")
    ws.write_cells(CHECK_HEADER_ROW, 0, [(title, styles.header) for title in titles])
    flags = _flags(c, layout)
    result, level = column_letters(RESULT_COL), column_letters(SEVERITY_COL)
    for r, flag in enumerate(flags, CHECK_FIRST_ROW):
        ws.write_cells(r, 0, [(flag.unit, styles.text), (flag.finding.code, styles.code), (flag.label, styles.text),
                              (flag.rule.id, styles.text), (flag.rule.description, styles.text),
                              (formula(f"={flag.result}"), styles.flag_text),
                              (formula(f'=IF({result}{r + 1}="","","{severity(flag.rule)}")'), styles.count),
                              (formula(link_formula(flag.target)), styles.link)])
        ws.set_row(r, LINE_HEIGHT * max(line_count(flag.label, CHECK_WIDTHS[2]),
                                        line_count(flag.rule.description, CHECK_WIDTHS[4]),
                                        line_count(flag.finding.message, CHECK_WIDTHS[5])))
    _write_check_counts(ws, c, layout, styles)
    last = CHECK_FIRST_ROW + len(flags) - 1
    if flags:
        ws.autofilter(CHECK_HEADER_ROW, 0, last, len(titles) - 1)
        for label, fill in ((SEVERITY_MISSING, styles.missing_fill), (SEVERITY_ERROR, styles.error_fill)):
            ws.conditional_format(CHECK_FIRST_ROW, 0, last, len(titles) - 1, {
                "type": "formula", "criteria": f'=${level}{CHECK_FIRST_ROW + 1}="{label}"', "format": fill})
    else:
        ws.write_string(CHECK_FIRST_ROW, 0, "Không có cảnh báo nào lúc tổng hợp.", styles.note)
    for col, width in enumerate(CHECK_WIDTHS):
        ws.set_column(col, col, width)
    ws.freeze_panes(CHECK_FIRST_ROW, 0)
    ws.repeat_rows(CHECK_HEADER_ROW)
    print_landscape(ws)


@dataclass(frozen=True)
class _Flag:
    """A row of `Kiểm tra`: a finding, its rule, and where its live result and its value are."""

    unit: str
    finding: Finding
    rule: Rule
    label: str   # the indicator's label
    result: str  # the rule's result cell for the unit, from another sheet
    target: str  # the value's cell, as a link target


def _flags(c: Consolidation, layout: Layout) -> list[_Flag]:
    commune_rules = {rule.id: rule for rule in c.rules}
    flags = [_Flag(m.name, f, commune_rules[f.rule], c.form.row(f.code).label, layout.result_ref(i, f.rule),
                   layout.summary_ref(i, f.code)) for i, m in enumerate(c.communes) for f in m.findings]
    if c.district is not None:
        report, form, block = c.district, c.district.form, district_form.block_of(c.district)
        rules = {rule.id: rule for rule in report.rules}
        flags += [_Flag(c.unit, f, rules[f.rule], form.row(f.code).label, district_form.result_ref(block, f.rule),
                        district_form.value_ref(form, f.code, absolute=False)) for f in report.findings]
    return flags


def _write_check_counts(ws: DistrictSheet, c: Consolidation, layout: Layout, styles: Styles) -> None:
    """The live numbers of errors and missing values now, of every commune and the district form."""
    ws.write_string(2, 0, "Số lỗi / chưa nhập hiện tại:", styles.bold_right)
    for col, row in ((1, ERROR_ROW), (2, MISSING_ROW)):
        cells = [absolute_ref(row, layout.total_column)] if layout.communes else []
        terms = [f"{quote_sheet(SUMMARY_SHEET)}!{cell}" for cell in cells]
        if c.district is not None:
            terms.append(district_form.count_ref(c.district.form, row == ERROR_ROW))
        write_formula(ws, 2, col, f"={'+'.join(terms) or 0}", styles.flag_count)


def _meta_values(c: Consolidation) -> dict[str, str]:
    """The hidden identity sheet: what `check` needs to find the commune columns again."""
    return {"kind": KIND, "form": c.form.id, "form_version": c.form.version, "unit": c.unit,
            "period": c.period.key, "generator": f"cchc_xl {__version__}",
            "header_row": str(HEADER_ROW + 1), "first_commune_column": column_letters(FIRST_COMMUNE_COL),
            "communes": str(len(c.communes)),
            **({district_form.META_FORM: c.district.form.id, district_form.META_SHEET_NAME: c.district.form.sheet}
               if c.district else {})}


def _write_meta(wb: Workbook, c: Consolidation) -> None:
    ws = wb.add_worksheet(META_SHEET)
    for i, (key, value) in enumerate(_meta_values(c).items()):
        ws.write_string(i, 0, key)
        ws.write_string(i, 1, value)
    ws.hide()
    _write_form_texts(wb, c)


def _write_form_texts(wb: Workbook, c: Consolidation) -> None:
    """The forms read from files (commune form, district form), one a column, so that checking
    this workbook later needs neither file."""
    carried = [lines for form in (c.form, c.district.form if c.district else None)
               if form is not None and (lines := text_lines(form)) is not None]
    if not carried:
        return
    ws = wb.add_worksheet(FORM_SHEET)
    for col, lines in enumerate(carried):
        for row, line in enumerate(lines):
            if line:
                ws.write_string(row, col, line)
    ws.hide()
