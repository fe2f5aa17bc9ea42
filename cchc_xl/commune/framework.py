"""The task framework sheet ("Khung nhiệm vụ CCHC trọng tâm", seed 004) and its two counts.

One task per row, in the columns of seed 004's table plus a status column. The sheet counts
the tasks (rows whose "Nhiệm vụ" cell is filled) and those marked "Hoàn thành"; the rules of
`rules.framework_rules` compare the counts with the form's task rows (1.1.1 / 1.1.2). The
rows stay input cells: a live formula there would lock them for units that keep their plan
elsewhere. `reader.read_task_counts` computes the same counts in Python for `cchc-xl check`;
where the tasks stand is in `forms.layout`, which both import.
"""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill

from cchc_xl.commune.styles import (
    BORDER,
    FONT,
    GROUP_FILL,
    INPUT_FILL,
    UNLOCKED,
    WRAP,
    validation,
)
from cchc_xl.forms.catalog import Form
from cchc_xl.forms.formulas import quote_sheet
from cchc_xl.forms.layout import (
    FRAMEWORK_DONE,
    FRAMEWORK_FIRST_ROW,
    FRAMEWORK_LAST_COUNTED_ROW,
    FRAMEWORK_SHEET,
    FRAMEWORK_STATUS_COL,
    FRAMEWORK_TASK_COL,
)
from cchc_xl.forms.periods import Period
from cchc_xl.forms.rules import FRAMEWORK_COUNTS

SHEET = FRAMEWORK_SHEET
#: (header, width) as in seed 004's table, numbered as printed, plus the status column.
COLUMNS = (
    ("TT", 6), ("1- Mục tiêu/Chỉ tiêu/Nội dung", 30), ("2- Nhiệm vụ", 32), ("3- Hoạt động", 32),
    ("4- Kết quả, sản phẩm", 22), ("5- Chủ trì", 18), ("6- Phối hợp", 20),
    ("7- Thời gian hoàn thành", 14), ("8- Kinh phí (triệu đồng)", 13), ("Trạng thái", 17),
)
TASK_COL, DATE_COL, COST_COL, STATUS_COL = FRAMEWORK_TASK_COL, "H", "I", FRAMEWORK_STATUS_COL
STATUSES = (FRAMEWORK_DONE, "Đang thực hiện", "Chưa thực hiện")
DONE = STATUSES[0]
FIRST_ROW = FRAMEWORK_FIRST_ROW
HEADER_ROW = FIRST_ROW - 1
#: Rows laid out for input; the counts reach further, so rows added below are counted too.
INPUT_ROWS = 60
LAST_COUNTED_ROW = FRAMEWORK_LAST_COUNTED_ROW
COUNT_CELLS = {"planned": "D3", "done": "D4"}
_OVERDUE_FILL = PatternFill("solid", fgColor="F8CBAD")


def count_cells() -> dict[str, str]:
    """Framework count code -> absolute reference of the cell holding that count."""
    return {FRAMEWORK_COUNTS[key]: f"{quote_sheet(SHEET)}!${ref[0]}${ref[1:]}"
            for key, ref in COUNT_CELLS.items()}


def add_sheet(wb: Workbook, form: Form, unit: str, period: Period) -> None:
    """The framework sheet: title, the two live counts, header, validated input rows."""
    ws = wb.create_sheet(SHEET)
    last_col = chr(ord("A") + len(COLUMNS) - 1)
    for row, text, font in ((1, f"KHUNG NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM {period.year}",
                             Font(name=FONT, bold=True, size=13)),
                            (2, f"của UBND {unit}", Font(name=FONT, italic=True))):
        ws.merge_cells(f"A{row}:{last_col}{row}")
        ws[f"A{row}"] = text
        ws[f"A{row}"].font, ws[f"A{row}"].alignment = font, Alignment(horizontal="center")
    _write_counts(ws, form)
    _write_header(ws)
    _write_input_rows(ws, period)
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False
    ws.protection.insertRows = ws.protection.deleteRows = False


def _write_counts(ws, form: Form) -> None:
    tasks = f"{TASK_COL}{FIRST_ROW}:{TASK_COL}{LAST_COUNTED_ROW}"
    status = f"{STATUS_COL}{FIRST_ROW}:{STATUS_COL}{LAST_COUNTED_ROW}"
    formulas = {"planned": f"=COUNTA({tasks})", "done": f'=COUNTIFS({tasks},"<>",{status},"{DONE}")'}
    labels = {"planned": f"Số nhiệm vụ (đối chiếu chỉ tiêu {form.framework['planned']}):",
              "done": f"Số nhiệm vụ đã hoàn thành (đối chiếu chỉ tiêu {form.framework['done']}):"}
    for key, ref in COUNT_CELLS.items():
        row = int(ref[1:])
        ws.merge_cells(f"A{row}:C{row}")
        ws[f"A{row}"] = labels[key]
        ws[f"A{row}"].font = Font(name=FONT, bold=True)
        ws[f"A{row}"].alignment = Alignment(horizontal="right")
        ws[ref] = formulas[key]
        ws[ref].font = Font(name=FONT, bold=True, color="1F4E79", size=12)
        ws[ref].alignment = Alignment(horizontal="center")
        ws[ref].border = BORDER
    ws.merge_cells(f"A5:{chr(ord('A') + len(COLUMNS) - 1)}5")
    ws["A5"] = ("Mỗi nhiệm vụ một dòng, ghi ở cột 2; dòng chỉ có mục tiêu hoặc hoạt động không được "
                f"đếm. Cột Trạng thái chọn: {', '.join(STATUSES)}.")
    ws["A5"].font = Font(name=FONT, italic=True)


def _write_header(ws) -> None:
    for col, (title, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, col, title)
        cell.font = Font(name=FONT, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill, cell.border = GROUP_FILL, BORDER
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[HEADER_ROW].height = 32


def _write_input_rows(ws, period: Period) -> None:
    last = FIRST_ROW + INPUT_ROWS - 1
    for row in ws.iter_rows(min_row=FIRST_ROW, max_row=last, max_col=len(COLUMNS)):
        for cell in row:
            cell.protection, cell.fill, cell.border = UNLOCKED, INPUT_FILL, BORDER
            cell.font, cell.alignment = Font(name=FONT), WRAP
    year = period.year
    validations = (
        (STATUS_COL, validation("list", None, '"' + ",".join(STATUSES) + '"', "Trạng thái",
                                 f"Chọn: {', '.join(STATUSES)}.", f"Chỉ chọn: {', '.join(STATUSES)}.")),
        (DATE_COL, validation("date", "between", f"DATE({year},1,1)", "Thời gian hoàn thành",
                               f"Nhập hạn hoàn thành dạng dd/mm/yyyy, trong năm {year}.",
                               f"Hạn hoàn thành phải là ngày trong năm {year}.",
                               formula2=f"DATE({year},12,31)")),
        (COST_COL, validation("decimal", "greaterThanOrEqual", "0", "Kinh phí",
                               "Nhập kinh phí bằng triệu đồng (số ≥ 0); để trống nếu không có.",
                               "Kinh phí phải là số ≥ 0 (triệu đồng).")),
    )
    for col, rule in validations:
        rule.add(f"{col}{FIRST_ROW}:{col}{last}")
        ws.add_data_validation(rule)
    for r in range(FIRST_ROW, last + 1):
        ws[f"{DATE_COL}{r}"].number_format = "dd/mm/yyyy"
    end = period.end
    overdue = (f'AND(${TASK_COL}{FIRST_ROW}<>"",ISNUMBER(${DATE_COL}{FIRST_ROW}),'
               f'${DATE_COL}{FIRST_ROW}<DATE({end.year},{end.month},{end.day}),'
               f'${STATUS_COL}{FIRST_ROW}<>"{DONE}")')
    ws.conditional_formatting.add(f"A{FIRST_ROW}:{STATUS_COL}{last}",
                                  FormulaRule(formula=[overdue], fill=_OVERDUE_FILL))
