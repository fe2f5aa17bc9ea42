"""The district form sheet of the district workbook (`--form huyen_2023`), proven by recalculation.

Commune-fed rows are live formulas over `Tổng hợp`, recomputed here with pandas from the
commune files; the district's own rows are validated inputs; seed 003's own values typed into
them raise its real errors; `check` agrees with the formulas, also while nothing is reported.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import district_with_form
from openpyxl import load_workbook
from test_district import Summary, checked_flags, formula_flags, pandas_inputs
from typer.testing import CliRunner

from cchc_xl.commune.samples import (
    DEMO_PERIOD,
    DEMO_UNIT,
    fill_template,
    load_sample,
)
from cchc_xl.cycle.complete import CycleOptions
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.periods import Period
from cchc_xl.shells.cli import app

FORM = load_form("huyen_2023")
COMMUNE_FORM = load_form("xa_2023")
SHEET = FORM.sheet
FED = [row for row in FORM.value_rows if row.from_communes]
OWN = [row for row in FORM.value_rows if not row.from_communes]
SEED = load_sample("cu_lao_dung_2023_q1")
#: seed 003's real errors on the district's own rows (sum:VII.4.3 is fed by the communes here)
SEED_OWN_ERRORS = {"choice:I.3.4", "sum:VI.3", "sum:VII.4.2"}
VALIDATION_TYPES = {"count": "whole", "percent": "decimal", "code": "list", "date": "date"}


@pytest.fixture(scope="module")
def district(samples, tmp_path_factory) -> Path:
    return district_with_form(samples, tmp_path_factory.mktemp("huyen") / "tong_hop.xlsx")


class FormSheet:
    """The district form sheet read back: value cell and Kiểm tra cell by code."""

    def __init__(self, path: Path, data_only: bool = True) -> None:
        self.book = load_workbook(path, data_only=data_only)
        self.ws = self.book[SHEET]
        self.rows: dict[str, int] = {}  # a code's first row: the rule block below the form repeats codes
        for (cell,) in self.ws.iter_rows(min_row=8, max_col=1):
            if cell.value:
                self.rows.setdefault(str(cell.value), cell.row)

    def value(self, code: str):
        return self.ws[f"D{self.rows[code]}"].value

    def flag(self, code: str):
        return self.ws[f"F{self.rows[code]}"].value


def expected_fed(numbers: pd.DataFrame) -> dict[str, float | None]:
    """Each fed row from the commune files: Σ counts, communes answering 1, rounded Σ weight × rate."""
    expected = {}
    for row in FED:
        present, total = 0, 0.0
        for code in row.from_communes:
            source = COMMUNE_FORM.row(code)
            if source.kind == "percent":
                both = numbers.loc[[code, source.weight]].T.dropna()
                present += len(both)
                total += (both[code] * both[source.weight]).sum() / 100
            else:
                values = numbers.loc[code].dropna()
                present += len(values) > 0
                total += values.sum() if source.kind == "count" else (values == 1).sum()
        expected[row.code] = total if present else None
    return expected


def test_fed_rows_equal_an_independent_sum_of_the_commune_files(samples, district, recalc):
    sheet = FormSheet(recalc(district)[0])
    expected = expected_fed(pandas_inputs(samples))
    assert expected["VII.4.3.1"] == pytest.approx((354 * 100 + 412 * 92.5 + 365 * 90 + 298 * 85 + 520 * 88) / 100)
    for code, value in expected.items():
        assert sheet.value(code) == (value if value is None else pytest.approx(value, rel=1e-12)), code


def test_fed_cells_are_locked_formulas_and_own_cells_validated_inputs(district):
    sheet = FormSheet(district, data_only=False)
    assert sheet.ws.protection.sheet
    for row in FED:
        cell = sheet.ws[f"D{sheet.rows[row.code]}"]
        assert isinstance(cell.value, str) and "'Tổng hợp'!" in cell.value and cell.protection.locked, row.code
    validations = sheet.ws.data_validations.dataValidation
    for row in OWN:
        ref = f"D{sheet.rows[row.code]}"
        assert not sheet.ws[ref].protection.locked, row.code
        types = [dv.type for dv in validations if ref in dv.sqref]
        assert types == [VALIDATION_TYPES[row.kind]] if row.kind in VALIDATION_TYPES else not types, row.code
    code = next(dv for dv in validations if f"D{sheet.rows['I.3.4']}" in dv.sqref)
    assert code.formula1 == '"0,1"' and "Chọn một mã" in code.prompt


def test_commune_errors_reach_the_district_form_live(district, recalc):
    """Xã Hoằng Lưu sends 100 % + 30 % of its documents electronically: the district's
    electronic documents exceed its total, until the commune value is fixed in `Tổng hợp`
    (the others' rates add up to 100 %: their shares, unrounded, add up to their total)."""
    flags = formula_flags(recalc(district)[0])
    assert (DEMO_UNIT, "sum:VII.4.3") in flags
    edited = Summary(district, data_only=False)
    edited.ws.cell(edited.rows["7.2.3.b"], edited.columns["Xã Hoằng Lưu"]).value = 0
    path = district.parent / "sua_7.2.3.b.xlsx"
    edited.book.save(path)
    (recalculated,) = recalc(path)
    assert (DEMO_UNIT, "sum:VII.4.3") not in formula_flags(recalculated)
    before, after = FormSheet(recalc(district)[0]), FormSheet(recalculated)
    assert after.value("VII.4.3.2") == pytest.approx(before.value("VII.4.3.2") - 354 * 30 / 100)
    assert checked_flags(path) == formula_flags(recalculated)


def test_seed_003_typed_into_the_district_form_raises_its_real_errors(district, recalc, tmp_path):
    sheet = FormSheet(district, data_only=False)
    for row in OWN:
        if row.code in SEED.values:
            sheet.ws[f"D{sheet.rows[row.code]}"] = SEED.values[row.code]
    path = tmp_path / "nhap_so_lieu_huyen.xlsx"
    sheet.book.save(path)
    (recalculated,) = recalc(path)
    flags = {rule for unit, rule in formula_flags(recalculated) if unit == DEMO_UNIT}
    errors = {rule for rule in flags if not rule.startswith("required:")}
    # le:III.7.5: Cù Lao Dung's 6.530 commune files resolved > the 3.824 files the Hoằng Hóa
    # sample communes received: own rows are checked against the commune-fed ones
    assert errors == SEED_OWN_ERRORS | {"sum:VII.4.3", "le:III.7.5<=III.7.4"}
    for rule in ("sum:VII.6.10", "ratio:I.1", "ratio:IV.3.5", "ratio:IV.2.6", "sum:V.6.4"):
        assert rule not in flags   # 57 = 3 + 24 + 30; 47,37 % = 9/19; 28,57 % = 2/7; 0 = 0 + 0 + 0
    assert "2" in FormSheet(recalculated).flag("I.3.4")
    assert checked_flags(path) == formula_flags(recalculated)


def test_check_agrees_with_the_formulas_on_the_district_form(district, recalc):
    flags = formula_flags(recalc(district)[0])
    assert {rule for unit, rule in flags if unit == DEMO_UNIT} >= {f"required:{row.code}" for row in OWN
                                                                   if row.required and not row.required_if}
    assert checked_flags(district) == flags


def test_nothing_reported_is_blank_never_zero(tmp_path, recalc):
    folder = tmp_path / "xa"
    folder.mkdir()
    fill_template("Xã Thử", DEMO_PERIOD, {"3.3.1": 10, "7.2.3": 40}).save(folder / "thu.xlsx")
    output = tmp_path / "huyen.xlsx"
    consolidate_files([folder], output, "Huyện Thử", DEMO_PERIOD, options=CycleOptions(form=FORM.id))
    (recalculated,) = recalc(output)
    sheet = FormSheet(recalculated)
    assert (sheet.value("III.7.4"), sheet.value("VII.4.3")) == (10, 40)
    assert sheet.value("III.7.6") in (None, "") and sheet.value("VII.4.3.1") in (None, "")
    flags = formula_flags(recalculated)
    assert ("Huyện Thử", "required:III.7.6") in flags and ("Huyện Thử", "sum:VII.4.3") not in flags
    assert checked_flags(output) == flags


def test_own_figures_are_carried_from_a_filled_district_form(samples, tmp_path):
    own = tmp_path / "so_lieu_huyen.xlsx"
    fill_template(DEMO_UNIT, DEMO_PERIOD, SEED.values, form_id=FORM.id).save(own)
    output = tmp_path / "huyen.xlsx"
    result = consolidate_files([samples], output, DEMO_UNIT, DEMO_PERIOD,
                               options=CycleOptions(form=FORM.id, own=own))
    sheet = FormSheet(output, data_only=False)
    assert sheet.value("I.1.1") == 19 and sheet.value("VI.3") == 31
    assert str(sheet.value("III.7.4")).startswith("=")
    unused = {p.code for p in result.problems if p.file == own.name and p.kind == "unplaced"}
    assert unused == {row.code for row in FED if SEED.values.get(row.code) is not None}
    district = result.consolidation.district
    assert {"choice:I.3.4", "sum:VI.3", "sum:VII.4.2"} <= {f.rule for f in district.findings}
    again = consolidate_files([samples], tmp_path / "lan_hai.xlsx", DEMO_UNIT, DEMO_PERIOD,
                              options=CycleOptions(form=FORM.id, own=output))
    assert again.consolidation.district.values == district.values   # an earlier district workbook works too


@pytest.mark.parametrize("args", [["--form", "xa_2023"], ["--form", "khong_co"], ["--own", "x.xlsx"]])
def test_cli_refuses_a_form_that_is_no_district_form(samples, tmp_path, args):
    result = CliRunner().invoke(app, ["consolidate", str(samples), "-o", str(tmp_path / "h.xlsx"), "--unit", DEMO_UNIT,
                                      "--period", DEMO_PERIOD.key, *args])
    assert result.exit_code == 2 and not (tmp_path / "h.xlsx").exists()


def test_an_unreadable_own_file_is_reported_and_the_run_goes_on(samples, tmp_path):
    own = tmp_path / "hong.xlsx"
    own.write_text("không phải Excel", "utf-8")
    result = consolidate_files([samples], tmp_path / "huyen.xlsx", DEMO_UNIT, Period.parse("2023-Q2"),
                               options=CycleOptions(form=FORM.id, own=own))
    assert [p.file for p in result.problems if p.kind == "own"] == ["hong.xlsx"]
    assert result.output.exists()
