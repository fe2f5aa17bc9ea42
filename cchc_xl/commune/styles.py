"""The look of the commune workbook, shared by the appendix sheet (`template`) and the task
framework sheet (`framework`): one font, borders, fills for input, group and flagged cells, and
the data validation every input cell carries, so both sheets read as one form.
"""
from __future__ import annotations

from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from cchc_xl.forms.validation import ERROR_TITLE

FONT = "Times New Roman"

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")
GROUP_FILL = PatternFill("solid", fgColor="E7E6E6")
FLAG_FILL = PatternFill("solid", fgColor="F8CBAD")
MISSING_FILL = PatternFill("solid", fgColor="FFE699")
WRAP = Alignment(wrap_text=True, vertical="center")
UNLOCKED = Protection(locked=False)

def validation(kind: str, operator: str | None, formula1: str, title: str, prompt: str,
                error: str, formula2: str | None = None, error_style: str = "stop") -> DataValidation:
    """`error_style` "stop" refuses a value outside the rule; "warning" lets the user keep it."""
    return DataValidation(
        type=kind, operator=operator, formula1=formula1, formula2=formula2, allow_blank=True,
        showInputMessage=True, promptTitle=title, prompt=prompt,
        showErrorMessage=True, errorStyle=error_style, errorTitle=ERROR_TITLE, error=error,
    )
