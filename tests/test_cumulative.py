"""`cchc-xl rollup`: four quarters of the sample communes into 6T, 9T and year workbooks.

The quarterly files are the samples with seeded variations; the expected cumulative figures
are recomputed here from the files themselves (openpyxl and a few lines of arithmetic by each
row's `over_time`), not with `cchc_xl.cycle.rollup`, and compared with the district workbooks after
LibreOffice recalculation: commune columns and live totals.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from test_district import (
    Summary,
    checked_flags,
    expected_total,
    formula_flags,
    vietnamese_number,
)
from test_nothing_dropped import recorded_values
from typer.testing import CliRunner

from cchc_xl.common.libreoffice import recalculate
from cchc_xl.commune.samples import (
    DEMO_UNIT,
    EXPECTED_FILE,
    fill_template,
    load_sample,
    sample_names,
)
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.periods import Deadlines, Period
from cchc_xl.shells.cli import app

FORM = load_form("xa_2023")
YEAR = 2023
QUARTERS = [Period(YEAR, q) for q in ("Q1", "Q2", "Q3", "Q4")]
TARGETS = {"6T": Period(YEAR, "6T"), "9T": Period(YEAR, "9T"), "N": Period(YEAR, "N")}
SKIPPED = ("hoang_phu", "Q3")   # Xã Hoằng Phú never sent its third quarter
DEADLINES = Deadlines.load()
SAMPLES = [name for name in sample_names() if load_sample(name).period == Period(YEAR, "Q2")]


def _varied(value, row, rng: random.Random):
    """A quarter's value: counts scaled, rates and codes redrawn; text and dates kept."""
    if isinstance(value, str) or value is None or row.kind in ("date", "text"):
        return value
    if row.kind == "count":
        return round(value * rng.uniform(0.3, 1.7))
    if row.kind == "percent":
        return round(rng.uniform(0, 100), 1)
    return rng.choice(sorted(row.choices))


@pytest.fixture(scope="module")
def quarterly(tmp_path_factory) -> Path:
    """Four quarterly workbooks per sample commune (one missing), sent on time, and the list."""
    folder = tmp_path_factory.mktemp("quy")
    rng = random.Random(20230612)
    for name in SAMPLES:
        sample = load_sample(name)
        for quarter in QUARTERS:
            if (name.rsplit("_", 2)[0], quarter.kind) == SKIPPED:
                continue
            values = {code: _varied(v, FORM.row(code), rng) for code, v in sample.values.items()}
            sent = DEADLINES.due_before(quarter) - dt.timedelta(days=2)
            fill_template(sample.unit, quarter, values, sample.notes, sent=sent).save(
                folder / f"{name.rsplit('_', 2)[0]}_{quarter.kind}.xlsx")
    (folder / EXPECTED_FILE).write_text("\n".join(["Xã Hoằng Châu", "Xã Hoằng Đạo", "Xã Hoằng Lưu", "Xã Hoằng Phú",
                                                   "Xã Hoằng Thanh", "Xã Hoằng Trạch"]), "utf-8")
    return folder


@pytest.fixture(scope="module")
def rolled(quarterly, tmp_path_factory, libreoffice) -> dict[str, tuple[Path, Path, object]]:
    """target -> (district workbook, its recalculated copy, CLI result), one LibreOffice run."""
    out = tmp_path_factory.mktemp("luy_ke")
    runs = {}
    for key, target in TARGETS.items():
        output = out / f"luy_ke_{target.key}.xlsx"
        result = CliRunner().invoke(app, ["rollup", str(quarterly), "-o", str(output), "--unit", DEMO_UNIT,
                                          "--period", target.key, "--expect", str(quarterly / EXPECTED_FILE)])
        assert result.exit_code == 1, result.output   # the samples carry errors
        runs[key] = (output, result)
    recalculated = {p.stem: p for p in recalculate([o for o, _ in runs.values()], out / "recalculated")}
    return {key: (output, recalculated[output.stem], result) for key, (output, result) in runs.items()}


# ---- the independent recomputation ---------------------------------------------------------

def read_quarters(folder: Path) -> dict[str, dict[Period, dict[str, object]]]:
    """unit (title block) -> quarter (file name) -> code -> what the value cell holds."""
    found: dict[str, dict[Period, dict[str, object]]] = {}
    for path in sorted(folder.glob("*.xlsx")):
        sheet = load_workbook(path, data_only=True)["Phụ lục 01b"]
        unit = sheet["A3"].value.removeprefix("CỦA UBND ").strip()
        quarter = Period(YEAR, path.stem.rsplit("_", 1)[1])
        found.setdefault(unit, {})[quarter] = {str(r[0].value): r[3].value for r in sheet.iter_rows(min_row=8)
                                               if r[0].value is not None}
    return found


def number(value) -> float | None:
    return None if isinstance(value, dt.datetime) else vietnamese_number(value)


def cumulative(quarters: dict[Period, dict[str, object]], target: Period, row) -> object:
    """flow: Σ of every quarter; stock: the last quarter; rate: weighted by its denominator.
    A missing quarter, blank or text makes a flow or rate blank; a stock needs its last quarter."""
    covered = target.quarters
    if row.over_time == "stock" or row.kind in ("text", "date", "code"):
        last = quarters.get(covered[-1], {}).get(row.code)
        return last if row.kind in ("date", "text") or number(last) is None else number(last)
    series = [number(quarters[q].get(row.code)) if q in quarters else None for q in covered]
    if any(v is None for v in series):
        return None
    if row.over_time == "flow":
        return sum(series)
    weights = [number(quarters[q].get(row.weight)) for q in covered]
    if any(w is None for w in weights) or sum(weights) <= 0:
        return None
    return sum(p * w for p, w in zip(series, weights)) / sum(weights)


def expected_columns(folder: Path, target: Period) -> dict[str, dict[str, object]]:
    return {unit: {row.code: cumulative(quarters, target, row) for row in FORM.value_rows}
            for unit, quarters in read_quarters(folder).items()}


def same(actual, expected) -> bool:
    if expected is None:
        return actual in (None, "")
    if isinstance(actual, dt.datetime) and isinstance(expected, str):   # a date typed as text, read as a date
        return actual.strftime("%d/%m/%Y") == expected.strip()
    if isinstance(expected, float) and not isinstance(actual, str):
        return math.isclose(actual, expected, rel_tol=1e-12)
    return actual == expected


# ---- tests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("key", TARGETS)
def test_commune_columns_and_totals_equal_an_independent_rollup(quarterly, rolled, key):
    _, recalculated, _ = rolled[key]
    summary = Summary(recalculated)
    expected = expected_columns(quarterly, TARGETS[key])
    assert {name.upper() for name in summary.columns} == set(expected)
    compared = 0
    for name in summary.columns:
        for row in FORM.value_rows:
            actual, wanted = summary.value(row.code, name), expected[name.upper()][row.code]
            assert same(actual, wanted), (name, row.code, actual, wanted)
            compared += wanted is not None
    assert compared > 200
    numbers = pd.DataFrame({unit: {code: number(v) for code, v in values.items()}
                            for unit, values in expected.items()}, dtype=float)
    for row in FORM.value_rows:
        total = expected_total(row, numbers)
        assert same(summary.value(row.code, summary.total), total), row.code


def test_a_missing_quarter_is_reported_and_never_zero_filled(rolled):
    six, nine, year = (rolled[k][1] for k in ("6T", "9T", "N"))
    assert Summary(six).value("3.3.1", "Xã Hoằng Phú") not in (None, "", 0)
    for path in (nine, year):
        assert Summary(path).value("3.3.1", "Xã Hoằng Phú") in (None, "")          # a flow needs Q3
        assert Summary(path).value("7.2.3.a", "Xã Hoằng Phú") in (None, "")        # so does a rate
    assert Summary(nine).value("4.1.2", "Xã Hoằng Phú") in (None, "")              # a stock of Q3
    assert Summary(year).value("4.1.2", "Xã Hoằng Phú") not in (None, "")          # a stock of Q4
    for key, reported in (("6T", False), ("9T", True), ("N", True)):
        said = rolled[key][2].output.replace("\n", " ")
        assert ("Thiếu quý: Xã Hoằng Phú: thiếu số liệu Quý III năm 2023" in said) is reported, key


def test_submissions_sheet_lists_each_quarter(rolled):
    _, recalculated, _ = rolled["N"]
    sheet = load_workbook(recalculated, data_only=True)["Tình hình nộp"]
    states = {(row[1], row[2]): row[3] for row in sheet.iter_rows(values_only=True)
              if row[2] and str(row[2]).startswith("Quý")}
    assert states[("Xã Hoằng Phú", "Quý III năm 2023")] == "Chưa nộp"
    assert states[("Xã Hoằng Phú", "Quý IV năm 2023")] == "Đúng hạn"
    assert {state for (unit, _), state in states.items() if unit == "Xã Hoằng Trạch"} == {"Chưa nộp"}
    assert len(states) == 6 * 4


def test_check_agrees_with_the_formulas_on_cumulative_figures(rolled):
    output, recalculated, _ = rolled["9T"]
    assert checked_flags(output) == formula_flags(recalculated)


def test_sources_list_every_quarterly_file(quarterly, rolled):
    output, _, _ = rolled["N"]
    statuses = {row[3]: row[2] for row in load_workbook(output)["Nguồn"].iter_rows(min_row=3, values_only=True)
                if row[3] and str(row[3]).endswith(".xlsx")}
    assert statuses["hoang_luu_Q3.xlsx"] == "Đã tổng hợp: Quý III năm 2023"
    assert set(statuses) == {p.name for p in quarterly.glob("*.xlsx")}


def test_every_quarterly_value_cell_is_named_in_the_sources(quarterly, rolled):
    """`Nguồn số liệu` names each quarter's file and cell at its commune's place, also where the
    cumulative figure stays blank because a quarter is missing (Hoằng Phú's flows for the year)."""
    output, _, _ = rolled["N"]
    recorded = recorded_values(output)
    for path in sorted(quarterly.glob("*.xlsx")):
        sheet = load_workbook(path)["Phụ lục 01b"]
        cells = {(path.name, f"Phụ lục 01b!D{r}") for r in range(8, sheet.max_row + 1)
                 if sheet[f"D{r}"].value is not None}
        assert cells and cells <= set(recorded), path.name
    assert recorded[("hoang_phu_Q4.xlsx", "Phụ lục 01b!D33")] is None  # 3.3.1: a flow, Q3 missing


def test_rollup_refuses_a_quarter(quarterly, tmp_path):
    result = CliRunner().invoke(app, ["rollup", str(quarterly), "-o", str(tmp_path / "x.xlsx"), "--unit", DEMO_UNIT,
                                      "--period", "2023-Q2"])
    assert result.exit_code == 2 and not (tmp_path / "x.xlsx").exists()
