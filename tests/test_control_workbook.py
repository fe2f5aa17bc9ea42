"""The control workbook CCHC_TongHop.xlsm: built from code, committed as built, laid out for the adapter."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cchc_xl.forms.periods import Period
from cchc_xl.shells import control_layout as L
from cchc_xl.shells.cli import app
from cchc_xl.shells.control import (
    WORKBOOK_NAME,
    BuildError,
    build_control_workbook,
    module_name,
)

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "workbooks" / WORKBOOK_NAME


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    workbook, _module = build_control_workbook(tmp_path_factory.mktemp("built") / WORKBOOK_NAME)
    return workbook


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_committed_workbook_is_what_the_command_builds(built):
    committed, fresh = _parts(COMMITTED), _parts(built)
    assert sorted(committed) == sorted(fresh)
    changed = [name for name in fresh if committed[name] != fresh[name]]
    assert changed == [], f"rebuild with `python -m cchc_xl build-workbook`: {changed} differ"
    assert (REPO / "workbooks" / "CCHC_TongHop.py").read_text("utf-8") == \
        built.with_name("CCHC_TongHop.py").read_text("utf-8")


def test_cli_builds_workbook_and_module(tmp_path):
    result = CliRunner().invoke(app, ["build-workbook", "-o", str(tmp_path / "out" / "Bang_Huyen.xlsm")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "Bang_Huyen.xlsm").is_file()
    assert "def main()" in (tmp_path / "out" / "Bang_Huyen.py").read_text("utf-8")


@pytest.mark.parametrize("name", ["CCHC TongHop.xlsm", "Tổng-hợp.xlsm", "string.xlsm", "cchc_xl.xlsm",
                                  "CCHC_TongHop.xlsx"])
def test_workbook_name_must_be_an_importable_module(name):
    with pytest.raises(BuildError):
        module_name(Path(name))


def test_cli_refuses_a_name_runpython_cannot_import(tmp_path):
    result = CliRunner().invoke(app, ["build-workbook", "-o", str(tmp_path / "Tong hop.xlsm")])
    assert result.exit_code == 2
    assert not (tmp_path / "Tong hop.xlsm").exists()


def test_sheets_match_the_embedded_projects_sheet_modules(built):
    workbook = _parts(built)["xl/workbook.xml"].decode()
    assert 'codeName="ThisWorkbook"' in workbook
    book = load_workbook(built, keep_vba=True)
    assert book.sheetnames == [L.CONTROL_SHEET, L.UNITS_SHEET, L.CONFIG_SHEET]
    # Sheet3 has no module in the project (Excel adds it): the control and config sheets keep theirs
    assert [ws.sheet_properties.codeName for ws in book.worksheets] == ["Sheet1", "Sheet3", "Sheet2"]


def test_the_list_sheet_takes_names_and_former_names_and_nothing_else(built):
    ws = load_workbook(built, keep_vba=True)[L.UNITS_SHEET]
    assert ws.protection.sheet
    first, last = L.UNITS_AREA.split(":")
    assert [ws[c].protection.locked for c in (first, last, f"C{L.UNITS_FIRST_ROW}")] == [False] * 3
    assert ws[f"A{L.UNITS_FIRST_ROW}"].protection.locked and ws[f"B{L.UNITS_HEADER_ROW}"].protection.locked
    assert ws[f"A{L.UNITS_FIRST_ROW}"].value.startswith("=IF(")
    assert [ws.cell(L.UNITS_HEADER_ROW, c).value for c in (1, 2, 3)] == \
        ["STT", "Tên xã, phường, thị trấn", "Tên cũ trước sáp nhập (nếu có)"]
    assert all(ws[c].value is None for row in ws[L.UNITS_AREA] for c in (row[0].coordinate, row[1].coordinate))


def test_config_sheet_keeps_the_workbook_folder_on_the_python_path(built):
    """RunPython reads keys from A1 down to the first blank; the import relies on this one."""
    ws = load_workbook(built, keep_vba=True)[L.CONFIG_SHEET]
    keys = []
    for row in range(1, ws.max_row + 2):
        if ws.cell(row, 1).value in (None, ""):
            break
        keys.append(ws.cell(row, 1).value)
    config = {k.upper(): ws.cell(i, 2).value for i, k in enumerate(keys, start=1)}
    assert config["ADD_WORKBOOK_TO_PYTHONPATH"] == "true"
    assert "PYTHONPATH" not in config


def test_every_cell_the_adapter_touches_is_unlocked_on_the_protected_sheet(built):
    ws = load_workbook(built, keep_vba=True)[L.CONTROL_SHEET]
    assert ws.protection.sheet
    first, last = L.DETAIL_AREA.split(":")
    touched = [s.cell for s in L.SETTINGS] + [L.STATUS, L.STATUS_CODE, L.PROGRESS, L.LAST_RUN, first, last]
    assert [cell for cell in touched if ws[cell].protection.locked] == []
    assert ws["B5"].protection.locked and ws["B1"].protection.locked
    assert ws.column_dimensions["F"].hidden


def _list_choices(ws, cell: str) -> list[str]:
    for validation in ws.data_validations.dataValidation:
        if cell in validation.sqref:
            assert validation.type == "list"
            return validation.formula1.strip('"').split(",")
    raise AssertionError(f"no list on {cell}")


def test_every_setting_and_list_cell_prompts_in_vietnamese(built):
    book = load_workbook(built, keep_vba=True)
    prompts = {str(v.sqref): v.prompt for v in book[L.CONTROL_SHEET].data_validations.dataValidation}
    assert all(prompts.get(s.cell) for s in L.SETTINGS)
    assert prompts[L.FOLDER.cell] == L.FOLDER.hint
    listed = {str(v.sqref).split(":")[0]: v.prompt for v in book[L.UNITS_SHEET].data_validations.dataValidation}
    assert listed[f"B{L.UNITS_FIRST_ROW}"].startswith("Ví dụ: Xã") and "dấu phẩy" in listed[f"C{L.UNITS_FIRST_ROW}"]


def test_choosers_offer_the_actions_and_periods(built):
    ws = load_workbook(built, keep_vba=True)[L.CONTROL_SHEET]
    assert _list_choices(ws, L.ACTION.cell) == list(L.ACTIONS)
    assert _list_choices(ws, L.KIND.cell) == list(L.PERIOD_KINDS)
    assert ws[L.ACTION.cell].value == L.CONSOLIDATE


@pytest.mark.parametrize("label", [k for k, code in L.PERIOD_KINDS.items() if code != "N"])
def test_period_choices_read_as_the_periods_own_labels(label):
    assert Period(2023, L.PERIOD_KINDS[label]).label == f"{label} năm 2023"


def test_built_workbook_has_instructions_and_no_stray_values(built):
    ws = load_workbook(built, keep_vba=True)[L.CONTROL_SHEET]
    assert ws[L.STATUS].value == "Chưa chạy."
    assert ws[L.STATUS_CODE].value is None
    assert ws[f"B{L.DETAIL_HEADER_ROW}"].value == "Tệp"
    first = L.INSTRUCTIONS_SECTION_ROW + 1
    steps = [ws[f"B{r}"].value for r in range(first, first + 10)]
    assert all(isinstance(s, str) and s[0].isdigit() for s in steps)
    assert first + len(steps) < L.DETAIL_HEADER_ROW - 1  # the steps end before the details section
    assert any("CCHC_TongHop.py" in s for s in steps)
