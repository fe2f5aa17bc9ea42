"""The district workbook: live totals and flags, proven by LibreOffice recalculation.

The inputs are the sample commune workbooks (`samples.write_samples`); the expected totals
are computed from them with pandas and a few lines of Vietnamese number reading, not with
cchc_xl's reader.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from test_consolidate import HOANG_LUU_FLAGS
from test_seed_flags import SEED_PLAN
from typer.testing import CliRunner

from cchc_xl.commune.samples import (
    DEMO_PERIOD,
    DEMO_UNIT,
    EXPECTED_FILE,
    fill_template,
    load_sample,
)
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.district.rule_block import ID_TITLE
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.periods import Period
from cchc_xl.shells.cli import app

HOANG_LUU, HOANG_CHAU = "Xã Hoằng Lưu", "Xã Hoằng Châu"


@pytest.fixture(scope="module")
def district(samples, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("huyen") / "tong_hop.xlsx"
    consolidate_files([samples], output, DEMO_UNIT, DEMO_PERIOD, expect=samples / EXPECTED_FILE)
    return output


# ---- reading the district workbook back (after recalculation) ------------------------------

class Summary:
    """`Tổng hợp` read back: commune columns, total and count columns, rows by code."""

    def __init__(self, path: Path, data_only: bool = True) -> None:
        self.book = load_workbook(path, data_only=data_only)
        meta = dict(self.book["_cchc"].iter_rows(values_only=True))
        self.ws = self.book["Tổng hợp"]
        self.header = int(meta["header_row"])
        first, count = 4, int(meta["communes"])
        assert meta["first_commune_column"] == "D"
        self.columns = {self.ws.cell(self.header, c).value: c for c in range(first, first + count)}
        self.total, self.count = first + count, first + count + 1
        self.rows: dict[str, int] = {}  # a code's first row: the rule block below the table repeats codes
        for (cell,) in self.ws.iter_rows(min_row=self.header + 1, max_col=1):
            if cell.value is not None:
                self.rows.setdefault(str(cell.value), cell.row)

    def value(self, code: str, column: int | str):
        col = self.columns[column] if isinstance(column, str) else column
        return self.ws.cell(self.rows[code], col).value


def formula_results(path: Path) -> dict[tuple[str, str], str]:
    """(unit, rule id) -> message of every non-empty live result in the rule blocks: each commune's
    column below the table of `Tổng hợp`, then the district form's value column."""
    book = load_workbook(path, data_only=True)
    meta = dict(book["_cchc"].iter_rows(values_only=True))
    ws, header, count = book["Tổng hợp"], int(meta["header_row"]), int(meta["communes"])
    names = {c: ws.cell(header, c).value for c in range(4, 4 + count)}
    found = dict(block_results(ws, names, 4 + count + 1))
    if meta.get("district_sheet"):
        found.update(block_results(book[meta["district_sheet"]], {4: meta["unit"]}, 5))
    return found


def block_results(ws, names: dict[int, str], id_column: int):
    """((unit, rule id), message) for each flagged cell of a sheet's rule block (the rows after
    the one titled `ID_TITLE` in the id column), in the unit columns named."""
    rows = ws.iter_rows(values_only=True)
    for row in rows:
        if len(row) >= id_column and row[id_column - 1] == ID_TITLE:
            break
    for row in rows:
        for col, name in names.items():
            if row[col - 1]:
                yield (name, row[id_column - 1]), row[col - 1]


def formula_flags(path: Path) -> set[tuple[str, str]]:
    return set(formula_results(path))


def formula_messages(path: Path, commune: str) -> dict[str, str]:
    return {rule: message for (unit, rule), message in formula_results(path).items() if unit == commune}


def checked_flags(path: Path) -> set[tuple[str, str]]:
    """(commune, rule id) that `cchc-xl check --json` reports for a district workbook."""
    result = CliRunner().invoke(app, ["check", str(path), "--json"])
    assert result.exit_code in (0, 1), result.output
    return {(item["unit"], item["rule"]) for item in json.loads(result.stdout)
            if item["severity"] in ("error", "missing")}


# ---- an independent reading of the inputs -----------------------------------------------

DATE_TEXT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def vietnamese_number(value) -> float | None:
    """A number cell, or number or dd/mm/yyyy text written the Vietnamese way; anything else is
    no number. A date is a number too (a spreadsheet stores it as one); no test adds dates up."""
    if isinstance(value, dt.datetime):
        return float(value.toordinal())
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str) and (date := DATE_TEXT.fullmatch(value.strip())):
        day, month, year = map(int, date.groups())
        return float(dt.date(year, month, day).toordinal())
    if isinstance(value, str):
        try:
            return float(value.strip().replace(".", "").replace(",", "."))
        except ValueError:
            return None
    return None if math.isnan(value) else float(value)


def pandas_inputs(folder: Path) -> pd.DataFrame:
    """One row per indicator code, one column per commune (named by the file's title block)."""
    columns = {}
    for path in sorted(folder.glob("*.xlsx")):
        title = pd.read_excel(path, sheet_name="Phụ lục 01b", header=None, nrows=3, engine="openpyxl")
        unit = title.iloc[2, 0].removeprefix("CỦA UBND ").strip()
        frame = pd.read_excel(path, sheet_name="Phụ lục 01b", header=6, dtype=object, engine="openpyxl")
        columns[unit] = pd.Series(frame["Số liệu"].map(vietnamese_number).values,
                                  index=frame["STT"].astype(str))
    return pd.DataFrame(columns)


def expected_total(row, numbers: pd.DataFrame) -> float | None:
    values = numbers.loc[row.code].dropna()
    if row.agg == "sum":
        return values.sum() if len(values) else None
    if row.agg == "count_yes":
        return float((values == 1).sum()) if len(values) else None
    if row.agg == "ratio":
        both = numbers.loc[[row.code, row.weight]].T.dropna()
        weight = both[row.weight].sum()
        return (both[row.code] * both[row.weight]).sum() / weight if weight else None
    return None


# ---- tests --------------------------------------------------------------------------------

def test_totals_equal_an_independent_pandas_sum(samples, district, recalc):
    (recalculated,) = recalc(district)
    summary = Summary(recalculated)
    numbers = pandas_inputs(samples)
    assert {name.upper() for name in summary.columns} == set(numbers.columns)
    checked = 0
    for row in load_form().value_rows:
        expected = expected_total(row, numbers)
        total = summary.value(row.code, summary.total)
        if expected is None:
            assert total in (None, ""), row.code
        elif row.agg == "ratio":
            assert total == pytest.approx(expected, rel=1e-12), row.code
        else:
            assert total == expected, row.code
            checked += 1
        assert summary.value(row.code, summary.count) == numbers.loc[row.code].notna().sum(), row.code
    assert checked > 40


def test_text_is_excluded_from_totals_and_counted_as_not_reported(district, recalc):
    summary = Summary(recalc(district)[0])
    assert summary.value("3.3.5", "Xã Hoằng Thanh") == "12 hồ sơ"
    assert summary.value("3.3.5", summary.count) == 4
    assert summary.value("3.3.1", "Xã Hoằng Thanh") == 1145  # "1.145" read the Vietnamese way


def test_seed_errors_are_flagged_live(district, recalc):
    (recalculated,) = recalc(district)
    messages = formula_messages(recalculated, HOANG_LUU)
    assert set(messages) == HOANG_LUU_FLAGS
    assert "625" in messages["sum:3.3.1"] and "602" in messages["sum:3.3.1"]
    summary = Summary(recalculated)
    assert summary.ws.cell(5, summary.columns[HOANG_LUU]).value == len(HOANG_LUU_FLAGS)
    # the value cell's red fill reads the rows of its error rules in its own column
    column = summary.ws.cell(1, summary.columns[HOANG_LUU]).column_letter
    rule_row = next(r for r in range(summary.rows["3.3.1"], summary.ws.max_row + 1)
                    if summary.ws.cell(r, summary.count).value == "sum:3.3.1")
    assert "625" in summary.ws[f"{column}{rule_row}"].value
    fills = [(rule.formula[0], rule.stopIfTrue) for cf in Summary(district, data_only=False).ws.conditional_formatting
             for rule in cf.rules if f"D{summary.rows['3.3.1']}" in str(cf.sqref).split(":")[0].split()]
    first, last = map(int, re.search(r'COUNTIF\(D\$(\d+):D\$(\d+),"\?\*"\)>0', fills[0][0]).groups())
    assert first <= rule_row <= last and fills[0][1]


def test_check_agrees_with_the_formulas(district, recalc):
    assert checked_flags(district) == formula_flags(recalc(district)[0])


def test_editing_a_commune_value_updates_total_and_flags(district, recalc, tmp_path):
    before = Summary(recalc(district)[0])
    edited = Summary(district, data_only=False)
    edited.ws.cell(edited.rows["3.3.1"], edited.columns[HOANG_LUU]).value = 625
    edited.ws.cell(edited.rows["4.1.2"], edited.columns[HOANG_CHAU]).value = 99
    path = tmp_path / "edited.xlsx"
    edited.book.save(path)
    (recalculated,) = recalc(path)
    after = Summary(recalculated)
    assert after.value("3.3.1", after.total) == before.value("3.3.1", before.total) + 23
    assert after.value("4.1.2", after.total) == before.value("4.1.2", before.total) + 79
    flags = formula_flags(recalculated)
    assert (HOANG_LUU, "sum:3.3.1") not in flags
    assert (HOANG_CHAU, "le:4.1.2<=4.1.1") in flags
    assert checked_flags(path) == flags


def test_plans_written_as_text_reach_the_district_sheet_and_its_live_rule(tmp_path, recalc):
    """Seed 001's 1.1 as written ("QĐ Số 252/QĐ-UBND ngày 30/12/2023") and a correct one stay
    text in `Tổng hợp`; the district's live rule and `check` flag only the late one."""
    folder = tmp_path / "xa"
    folder.mkdir()
    plans = {"hoang_luu_2023_q2": SEED_PLAN, "hoang_chau_2023_q2": "QĐ số 05/QĐ-UBND ngày 09/01/2023"}
    for name, plan in plans.items():
        sample = load_sample(name)
        fill_template(sample.unit, sample.period, {**sample.values, "1.1": plan}, sample.notes).save(folder / f"{name}.xlsx")
    output = tmp_path / "huyen.xlsx"
    result = consolidate_files([folder], output, DEMO_UNIT, DEMO_PERIOD)
    summary = Summary(output, data_only=False)
    assert [summary.value("1.1", unit) for unit in (HOANG_LUU, HOANG_CHAU)] == list(plans.values())
    assert not [p for p in result.problems if p.code == "1.1"]
    late = "Ngày 30/12/2023 sau kỳ báo cáo (đến 30/6/2023)"
    checked = {(c.name, f.rule): f.message for c in result.consolidation.communes for f in c.findings
               if f.rule == "date:1.1"}
    assert checked == {(HOANG_LUU, "date:1.1"): late}
    (recalculated,) = recalc(output)
    live = formula_results(recalculated)
    assert {key: message for key, message in live.items() if key[1] == "date:1.1"} == checked
    assert checked_flags(output) == set(live)


def test_text_is_never_written_as_a_formula(tmp_path):
    folder = tmp_path / "xa"
    folder.mkdir()
    workbook = fill_template("Xã Thử", DEMO_PERIOD, {"1.1.1": "=1+1", "1.1.2": "@SUM(1)", "1.1.3": "-3 văn bản"})
    sheet = workbook["Phụ lục 01b"]
    for row in sheet.iter_rows(min_col=4, max_col=4):
        if isinstance(row[0].value, str) and row[0].value[0] in "=@":
            row[0].data_type = "s"
    workbook.save(folder / "thu.xlsx")
    output = tmp_path / "huyen.xlsx"
    consolidate_files([folder], output, "Huyện Thử", Period.parse("2023-Q2"))
    summary = Summary(output, data_only=False)
    cells = [summary.ws.cell(summary.rows[c], summary.columns["Xã Thử"]) for c in ("1.1.1", "1.1.2", "1.1.3")]
    assert [(c.value, c.data_type) for c in cells] == [("=1+1", "s"), ("@SUM(1)", "s"), ("-3 văn bản", "s")]
