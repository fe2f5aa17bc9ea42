"""The task framework sheet: layout, validation, counts, and the rules feeding 1.1.1 / 1.1.2."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import formula_flags, python_flags
from openpyxl import load_workbook

from cchc_xl.common.libreoffice import recalculate
from cchc_xl.commune import framework
from cchc_xl.commune.samples import fill_template, load_sample
from cchc_xl.commune.template import build_template, layout_for
from cchc_xl.district.review import review_file
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.periods import Period
from cchc_xl.read.reader import read_task_counts

PERIOD = Period.parse("2023-Q2")
TASKS = [  # (Mục tiêu, Nhiệm vụ, Trạng thái): one section line, five tasks, one activity line
    ("I. CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC", None, None),
    ("1.1. Nâng cao chất lượng chỉ đạo", "2.1. Ban hành Kế hoạch CCHC năm", "Hoàn thành"),
    (None, "2.2. Ban hành văn bản chỉ đạo", "hoàn thành"),
    (None, "2.3. Kiểm tra CCHC", "Đang thực hiện"),
    (None, "2.4. Tuyên truyền CCHC", None),
    (None, None, "Hoàn thành"),
    (None, 25, "Chưa thực hiện"),
]


def _with_tasks(values: dict, tasks=TASKS):
    sample = load_sample("hoang_luu_2023_q2")
    workbook = fill_template(sample.unit, PERIOD, {**sample.values, **values})
    sheet = workbook[framework.SHEET]
    for offset, (goal, task, status) in enumerate(tasks):
        row = framework.FIRST_ROW + offset
        sheet[f"B{row}"], sheet[f"{framework.TASK_COL}{row}"] = goal, task
        sheet[f"{framework.STATUS_COL}{row}"] = status
    return workbook


def test_sheet_layout_and_validation():
    sheet = build_template("Xã A", PERIOD)[framework.SHEET]
    header = [c.value for c in sheet[framework.HEADER_ROW]][:len(framework.COLUMNS)]
    assert header == [title for title, _width in framework.COLUMNS]
    kinds = {dv.type: str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert kinds["list"] == f"J{framework.FIRST_ROW}:J{framework.FIRST_ROW + framework.INPUT_ROWS - 1}"
    assert set(kinds) == {"list", "date", "decimal"}
    status = next(dv for dv in sheet.data_validations.dataValidation if dv.type == "list")
    assert status.formula1 == '"Hoàn thành,Đang thực hiện,Chưa thực hiện"'
    assert sheet[f"A{framework.FIRST_ROW}"].protection.locked is False
    assert sheet.protection.sheet


def test_framework_is_optional():
    workbook = build_template("Xã A", PERIOD, framework=False)
    assert framework.SHEET not in workbook.sheetnames
    assert not any(str(c.value).startswith("khung:") for c in workbook["Kiểm tra"]["B"])


def test_read_counts(tmp_path):
    path = tmp_path / "a.xlsx"
    _with_tasks({}).save(path)
    assert read_task_counts(path) == {"khung:planned": 5, "khung:done": 2}


def test_read_counts_without_the_sheet(tmp_path):
    path = tmp_path / "a.xlsx"
    build_template("Xã A", PERIOD, framework=False).save(path)
    assert read_task_counts(path) == {}


def test_check_command_applies_the_framework_rules(tmp_path):
    path = tmp_path / "a.xlsx"
    _with_tasks({"1.1.1": 5, "1.1.2": 3}).save(path)
    rules = {f.rule: f.cell for f in review_file(path).findings}
    assert "khung:1.1.1" not in rules
    assert rules["khung:1.1.2"] == layout_for(load_form()).value_cell("1.1.2")


VARIANTS = {
    "agree": ({"1.1.1": 5, "1.1.2": 2}, TASKS),
    "disagree": ({"1.1.1": 28, "1.1.2": 10}, TASKS),   # seed 001's own numbers
    "no_tasks": ({"1.1.1": 28, "1.1.2": 10}, []),
}


@pytest.fixture(scope="module")
def recalculated(libreoffice: str, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("framework")
    paths = []
    for name, (values, tasks) in VARIANTS.items():
        paths.append(folder / f"{name}.xlsx")
        _with_tasks(values, tasks).save(paths[-1])
    return {p.stem: p for p in recalculate(paths, folder / "recalculated")}


def _khung(flags: dict[str, str]) -> dict[str, str]:
    return {rule: message for rule, message in flags.items() if rule.startswith("khung:")}


def test_live_counts_equal_python_counts(recalculated):
    for path in recalculated.values():
        sheet = load_workbook(path, data_only=True)[framework.SHEET]
        live = {code: sheet[ref].value
                for code, ref in zip(("khung:planned", "khung:done"), framework.COUNT_CELLS.values())}
        assert live == read_task_counts(path)


def test_rules_flag_only_a_disagreeing_framework(recalculated):
    assert _khung(formula_flags(recalculated["agree"])) == {}
    assert _khung(formula_flags(recalculated["no_tasks"])) == {}
    assert _khung(formula_flags(recalculated["disagree"])) == {
        "khung:1.1.1": "Khung nhiệm vụ có 5 nhiệm vụ, khác 28",
        "khung:1.1.2": "Khung nhiệm vụ có 2 nhiệm vụ đã hoàn thành, khác 10",
    }


@pytest.mark.parametrize("name", VARIANTS)
def test_python_agrees_with_the_sheet(recalculated, name):
    assert python_flags(recalculated[name]) == formula_flags(recalculated[name])


def test_district_form_has_its_own_task_rows():
    rules = build_template("Huyện A", PERIOD, load_form("huyen_2023"))["Kiểm tra"]
    ids = {c.value for c in rules["B"]}
    assert {"khung:I.1.1", "khung:I.1.2"} <= ids
