"""Helpers shared by tests that compare recalculated workbooks with the Python checks."""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from cchc_xl.catalog import load_form
from cchc_xl.checks import check_values
from cchc_xl.framework import read_counts
from cchc_xl.reader import read_submission
from cchc_xl.rules import build_rules, framework_rules
from cchc_xl.template import CHECK_SHEET


def sheet_flags(path: Path) -> dict[str, str]:
    """Rule id -> message of every non-empty result on the recalculated `Kiểm tra` sheet."""
    sheet = load_workbook(path, data_only=True)[CHECK_SHEET]
    return {rule: result for _code, rule, _text, result in sheet.iter_rows(min_row=2, values_only=True)
            if result not in (None, "")}


def python_flags(path: Path) -> dict[str, str]:
    """Rule id -> message as `checks` computes them from the file's values (and task counts)."""
    submission = read_submission(path)
    form = load_form(submission.form)
    rules = build_rules(form, submission.period) + framework_rules(form)
    values = {**submission.values, **read_counts(path)}
    return {f.rule: f.message for f in check_values(rules, values)}
