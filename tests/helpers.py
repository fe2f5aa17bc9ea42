"""Reading recalculated workbooks back: what the live formulas said, rule by rule."""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from cchc_xl.template import CHECK_SHEET


def formula_flags(recalculated: Path) -> dict[str, str]:
    """Rule id -> message for every rule cell of the `Kiểm tra` sheet that is not empty."""
    sheet = load_workbook(recalculated, data_only=True)[CHECK_SHEET]
    flags = {}
    for _code, rule_id, _description, result in sheet.iter_rows(min_row=2, max_col=4, values_only=True):
        assert result is None or isinstance(result, str), f"{rule_id}: formula gave {result!r}"
        if result:
            flags[rule_id] = result
    return flags
