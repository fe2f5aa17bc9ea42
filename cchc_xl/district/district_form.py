"""The district's own report form (seed 003's table, `huyen_2023`) as a sheet of the district workbook.

Laid out as the commune template (STT, label, unit, Số liệu, Ghi chú, Kiểm tra): commune-fed
rows (`from_communes`) are live formulas over `Tổng hợp` (`feeds`), locked; the district's own
rows are validated input cells (`validation.InputRule`, as in the template), filled from an earlier file when
one is given (`--own`); every rule of the form is a live formula in a `rule_block` below the
table, and each row's Kiểm tra cell joins the flags of its rules.

`report` computes the same values and flags in Python (for the run's summary and exit code);
`read_sheet` reads the sheet back for `check` and `--own`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Sequence

from cchc_xl.common.cells import absolute_ref, cell_ref, column_letters
from cchc_xl.common.openpyxl_open import through_openpyxl
from cchc_xl.district import feeds
from cchc_xl.district.rule_block import (
    SEVERITY_ERROR,
    SEVERITY_MISSING,
    RuleBlock,
    write_block,
)
from cchc_xl.district.sheet_xml import COLUMN
from cchc_xl.district.title_block import write_heading, write_signature
from cchc_xl.district.unit_level import unit_level
from cchc_xl.district.xlsx_out import (
    LINE_HEIGHT,
    DistrictSheet,
    Styles,
    add_validation,
    line_count,
    print_landscape,
    write_formula,
    write_value,
)
from cchc_xl.forms.catalog import Form, Row, load_form
from cchc_xl.forms.checks import Finding, FlagCounts, check_values
from cchc_xl.forms.formulas import quote_sheet
from cchc_xl.forms.layout import (
    FIRST_ROW,
    FLAG_COL,
    HEADER,
    HEADER_ROW,
    NOTE_COL,
    VALUE_COL,
)
from cchc_xl.forms.numbers import Value, cell_value
from cchc_xl.forms.periods import Period
from cchc_xl.forms.rules import MISSING_PREFIX, Rule, build_rules
from cchc_xl.forms.validation import input_rule, input_rule_key
from cchc_xl.read.reader import Problem, ReadError, read_meta_file, read_submission

#: `_cchc` keys naming the district form of a district workbook.
META_FORM, META_SHEET_NAME = "district_form", "district_sheet"
#: 0-based positions on the sheet, the template's rows and columns.
_HEADER, _FIRST = HEADER_ROW - 1, FIRST_ROW - 1
_VALUE, _NOTE, _FLAG = (ord(c) - ord("A") for c in (VALUE_COL, NOTE_COL, FLAG_COL))
#: The report's frame: the issuer over STT and label, the motto and the signature over the value,
#: note and Kiểm tra columns.
_FRAME = ((0, 1), (_VALUE, _FLAG))
_ERRORS, _MISSING = (4, _VALUE), (5, _VALUE)
_WIDTHS = (9, 58, 16, 13, 20, 38)


@dataclass(frozen=True)
class OwnValues:
    """The district's own figures carried over from a file (a filled district form, or an
    earlier district workbook): value rows that are not fed by the communes."""

    file: str
    values: dict[str, Value]
    notes: dict[str, str]
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class DistrictReport(FlagCounts):
    """The district form of one consolidation: its rules, values (fed and own) and flags."""

    form: Form
    rules: tuple[Rule, ...]
    values: dict[str, Value]
    notes: dict[str, str] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    own: OwnValues | None = None


def report(form: Form, period: Period, communes: Sequence[Mapping[str, Value]],
           own: OwnValues | None = None) -> DistrictReport:
    """The district form's values and flags: fed rows from the communes, own rows as given."""
    rules = tuple(build_rules(form, period, fed_formulas=True))
    fed = feeds.values(form, communes)
    typed = {code: value for code, value in (own.values if own else {}).items() if code not in fed}
    values = {row.code: typed.get(row.code) for row in form.value_rows} | fed
    return DistrictReport(form, rules, values, dict(own.notes) if own else {},
                          tuple(check_values(rules, values)), own)


def read_own(path: Path, form: Form) -> OwnValues:
    """The district's own rows from a filled district form or an earlier district workbook.

    Values on fed rows are not used (the communes give them); each one is reported. Raises
    `ReadError` (in Vietnamese, naming the file) when the file holds no such form.
    """
    path = Path(path)
    meta = read_meta_file(path)
    if meta.get(META_FORM):
        if meta[META_FORM] != form.id:
            raise ReadError(f"Tệp '{path.name}' là bảng tổng hợp theo biểu {meta[META_FORM]}, không phải {form.id}.")
        found, problems = read_sheet(path, meta[META_SHEET_NAME], form), []
    else:
        submission = read_submission(path)
        if submission.form != form.id:
            raise ReadError(f"Tệp '{path.name}' dùng biểu {submission.form}, không phải biểu tổng hợp {form.id}.")
        found = SheetValues(submission.parsed, submission.cells, submission.notes)
        problems = list(submission.problems)
    own: dict[str, Value] = {}
    for code, value in found.values.items():
        if not form.has(code) or not form.row(code).is_value:
            continue
        if not form.row(code).from_communes:
            own[code] = value
        elif value not in (None, ""):
            cell = found.cells.get(code)
            problems.append(Problem(path.name, f"Ô {cell} (mã {code}): '{value}' không dùng: chỉ tiêu này cộng từ "
                                               "các xã.", cell, code, "unplaced"))
    notes = {code: note for code, note in found.notes.items() if code in own}
    return OwnValues(path.name, own, notes, tuple(problems))


@dataclass(frozen=True)
class SheetValues:
    """A form sheet's value rows by code: what each value cell holds, where, and the notes."""

    values: dict[str, Value]
    cells: dict[str, str]
    notes: dict[str, str]


def read_sheet(path: Path, sheet: str, form: Form) -> SheetValues:
    """The district form sheet as `write_sheet` lays it out (codes in column A), with cached
    values: a fed row holds what the spreadsheet last computed, or nothing."""
    workbook = through_openpyxl(Path(path), lambda book: book, None, data_only=True)
    if workbook is None or sheet not in workbook.sheetnames:
        raise ReadError(f"Tệp '{Path(path).name}' không có sheet '{sheet}' đọc được.")
    found = SheetValues({}, {}, {})
    for row in workbook[sheet].iter_rows(min_row=FIRST_ROW, max_col=_NOTE + 1):
        code = str(row[0].value).strip() if row[0].value is not None else ""
        if not form.has(code) or not form.row(code).is_value or code in found.values:
            continue  # a code's first row is its value row (the rule block below repeats codes)
        found.values[code] = cell_value(row[_VALUE].value)
        found.cells[code] = row[_VALUE].coordinate
        if row[_NOTE].value not in (None, ""):
            found.notes[code] = str(row[_NOTE].value)
    return found


def value_ref(form: Form, code: str, absolute: bool = True) -> str:
    """Reference to a row's value cell from another sheet (absolute for formulas, plain for links)."""
    row = _row(form, code)
    return f"{quote_sheet(form.sheet)}!{(absolute_ref if absolute else cell_ref)(row, _VALUE)}"


def _row(form: Form, code: str) -> int:
    """The sheet row (0-based) of a code's row."""
    return _FIRST + form.position(code)


def cell_name(form: Form, code: str) -> str:
    """A row's value cell as `check` names it ("Bảng tổng hợp!D45")."""
    return f"{form.sheet}!{cell_ref(_row(form, code), _VALUE)}"


def block_of(report: DistrictReport) -> RuleBlock:
    """The form's rules below its table, one row below it."""
    return RuleBlock(report.form, report.rules, _FIRST + len(report.form.rows) + 1)


def result_ref(block: RuleBlock, rule: str) -> str:
    """Absolute reference to a rule's result cell (in the form's `block_of`), from another sheet."""
    cell = absolute_ref(block.rows[rule], _VALUE)
    return f"{quote_sheet(block.form.sheet)}!{cell}"


def count_ref(form: Form, errors: bool) -> str:
    """Absolute reference to the form's live number of errors (or of missing values)."""
    row, col = _ERRORS if errors else _MISSING
    return f"{quote_sheet(form.sheet)}!{absolute_ref(row, col)}"


def write_sheet(ws: DistrictSheet, district: DistrictReport, unit: str, period: Period, styles: Styles,
                cells: feeds.SummaryCells) -> None:
    """The form sheet: title, flag counts, one row per catalog row, live Kiểm tra column, rule block."""
    form, block = district.form, block_of(district)
    _write_title(ws, form, unit, period, styles, block)
    validations: dict[str, tuple[Row, list[tuple[int, int]]]] = {}
    for i, row in enumerate(form.rows):
        r = _FIRST + i
        height = max(line_count(row.label, _WIDTHS[1]), line_count(row.unit_text, _WIDTHS[2]))
        ws.set_row(r, LINE_HEIGHT * height)
        if not row.is_value:
            for col, text in enumerate((row.code, row.label, "", "", "", "")):
                ws.write_string(r, col, text, styles.group)
            continue
        ws.write_string(r, 0, row.code, styles.code)
        ws.write_string(r, 1, row.label, styles.label_bold if row.depth == 0 else styles.label)
        ws.write_string(r, 2, row.unit_text, styles.text)
        if row.from_communes:
            write_formula(ws, r, _VALUE, feeds.formula(row, form, cells), styles.total)
            ws.write_comment(r, _VALUE, feeds.description(row, form), {"x_scale": 2.5, "y_scale": 1.5})
            ws.write_blank(r, _NOTE, None, styles.text)
        else:
            write_value(ws, r, _VALUE, district.values.get(row.code), styles.input_for(row.kind))
            ws.write_string(r, _NOTE, district.notes.get(row.code, ""), styles.input)
            validations.setdefault(input_rule_key(row), (row, []))[1].append((r, _VALUE))
    for row, places in validations.values():
        rule = input_rule(row, period)
        if rule is not None:
            add_validation(ws, places, rule)
    write_block(ws, block, _VALUE, 1, _NOTE, lambda code: f"{COLUMN}{_row(form, code) + 1}", styles,
                "Quy tắc kiểm tra của biểu (công thức; ô có chữ là cảnh báo)")
    _write_flags(ws, block, styles)
    write_signature(ws, styles, unit, _FIRST + len(form.rows), *_FRAME)
    _finish(ws, form)


def _write_title(ws: DistrictSheet, form: Form, unit: str, period: Period, styles: Styles,
                 block: RuleBlock) -> None:
    write_heading(ws, styles, unit, 0, *_FRAME)
    ws.write_string(0, 2, form.title, styles.title_right)
    lines = (form.heading, f"CỦA UBND {unit.upper()}",
             f"Kỳ báo cáo: {period.label} (số liệu từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y})")
    for r, (text, style) in enumerate(zip(lines, (styles.title_centre, styles.subtitle_centre, styles.note_centre)), 1):
        ws.merge_range(r, 0, r, _FLAG, text, style)
    ws.set_row(1, 33)
    for (r, c), label, severity in ((_ERRORS, "Số lỗi cần xem lại (cột Kiểm tra):", SEVERITY_ERROR),
                                    (_MISSING, "Số chỉ tiêu chưa nhập:", SEVERITY_MISSING)):
        ws.write_string(r, 1, label, styles.bold_right)
        ws.write_across(r, c, block.count_pattern(severity), 1, styles.flag_count)
    ws.conditional_format(*_ERRORS, *_ERRORS, {"type": "cell", "criteria": ">", "value": 0, "format": styles.error_fill})
    level = unit_level(unit)
    ws.write_string(4, _NOTE, f"Ô xanh: cộng từ các {level.members} (công thức, không sửa); ô vàng: {level.kind} "
                              "tự nhập.", styles.note)
    for col, title in enumerate(HEADER):
        ws.write_string(_HEADER, col, title, styles.header)


def _write_flags(ws: DistrictSheet, block: RuleBlock, styles: Styles) -> None:
    """Each row's Kiểm tra cell joins its rules' results; the row is coloured as in the template."""
    value = column_letters(_VALUE)
    for code, (top, _, bottom) in block.anchor_rows().items():
        results = [f"{value}{r + 1}" for r in range(top, bottom + 1)]
        joined = "&".join(f'IF({cell}="","","; "&{cell})' for cell in results)
        write_formula(ws, _row(block.form, code), _FLAG, f"=MID({joined},3,2000)", styles.flag_text)
    last = _FIRST + len(block.form.rows) - 1
    flag = f"${column_letters(_FLAG)}{FIRST_ROW}"
    only_missing = f'=AND(LEFT({flag},{len(MISSING_PREFIX)})="{MISSING_PREFIX}",ISERROR(FIND(";",{flag})))'
    area = (_FIRST, 0, last, _FLAG)
    ws.conditional_format(*area, {"type": "formula", "criteria": only_missing, "format": styles.missing_fill,
                                  "stop_if_true": True})
    ws.conditional_format(*area, {"type": "formula", "criteria": f"=LEN({flag})>0", "format": styles.error_fill})


def _finish(ws: DistrictSheet, form: Form) -> None:
    for col, width in enumerate(_WIDTHS):
        ws.set_column(col, col, width)
    ws.freeze_panes(_FIRST, 2)
    print_landscape(ws)
    ws.repeat_rows(_HEADER)
    ws.print_area(0, 0, _FIRST + len(form.rows), _FLAG)  # the signature below the table


def with_findings_located(district: DistrictReport, file: str) -> list[Finding]:
    """The report's findings naming the file and the form sheet's cell, as `check` prints them."""
    return [replace(f, file=file, cell=cell_name(district.form, f.code)) for f in district.findings]


def review_values(path: Path, meta: Mapping[str, str], period: Period,
                  communes: Sequence[Mapping[str, Value]]) -> DistrictReport:
    """The district form of a district workbook as it stands: own rows as typed on the sheet,
    fed rows recomputed from the commune columns of `Tổng hợp` (what the formulas compute)."""
    form = load_form(meta[META_FORM])
    found = read_sheet(path, meta[META_SHEET_NAME], form)
    return report(form, period, communes, OwnValues(path.name, found.values, found.notes))
