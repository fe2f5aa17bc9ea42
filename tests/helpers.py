"""Reading recalculated workbooks back: what the live formulas said, rule by rule; and the
sample communes consolidated with the district form, which several tests read."""
from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

from cchc_xl.commune.template import CHECK_SHEET
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.checks import check_values
from cchc_xl.forms.rules import build_rules, framework_rules
from cchc_xl.read.reader import read_submission, read_task_counts


def formula_flags(recalculated: Path) -> dict[str, str]:
    """Rule id -> message for every rule cell of the `Kiểm tra` sheet that is not empty."""
    sheet = load_workbook(recalculated, data_only=True)[CHECK_SHEET]
    flags = {}
    for _code, rule_id, _description, result in sheet.iter_rows(min_row=2, max_col=4, values_only=True):
        assert result is None or isinstance(result, str), f"{rule_id}: formula gave {result!r}"
        if result:
            flags[rule_id] = result
    return flags


def python_flags(path: Path) -> dict[str, str]:
    """Rule id -> message as `checks` computes them from the file's values (and task counts)."""
    submission = read_submission(path)
    form = load_form(submission.form)
    rules = build_rules(form, submission.period) + framework_rules(form)
    values = {**submission.values, **read_task_counts(path)}
    return {f.rule: f.message for f in check_values(rules, values)}


def district_with_form(samples: Path, output: Path, previous: tuple[Path, ...] = ()) -> Path:
    """The sample communes of the demo consolidated with the district form huyen_2023 and the
    expected list (and earlier periods, when given) into `output`."""
    from cchc_xl.commune.samples import DEMO_PERIOD, DEMO_UNIT, EXPECTED_FILE
    from cchc_xl.cycle.complete import CycleOptions
    from cchc_xl.cycle.run import consolidate_files
    consolidate_files([samples], output, DEMO_UNIT, DEMO_PERIOD, expect=samples / EXPECTED_FILE,
                      options=CycleOptions(form="huyen_2023", previous=previous))
    return output


def flat(text: str) -> str:
    """Text with the terminal's line wrapping (and a table's cell borders) undone."""
    return " ".join(re.sub("[│┃]", " ", text).split())
