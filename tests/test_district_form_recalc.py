"""Seed 003's real values typed into the district form: its real errors, and only those.

One LibreOffice run recalculates the seed workbook and variants that move the new rule kinds
(ratio, sum at most) across their edges; each must flag the same rules with the same messages
in the spreadsheet and in Python.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import formula_flags, python_flags
from openpyxl import load_workbook

from cchc_xl.common.libreoffice import recalculate
from cchc_xl.commune.samples import fill_template, load_sample
from cchc_xl.commune.template import ERROR_COUNT_CELL, MISSING_COUNT_CELL

SEED_ERRORS = {"choice:I.3.4",   # "Có thực hiện tuyên truyền…" holds 2
               "sum:VI.3",       # four groups of units 0 + 1 + 0 + 0 ≠ 31
               "sum:VII.4.2",    # total of documents sent left blank beside 1.217 and 1.187
               "sum:VII.4.3"}    # … and beside 583 and 510
SEED_MISSING = {f"required:{code}" for code in (
    "I.4.3", "III.3.3", "V.3.4", "VII.4.2", "VII.4.3", "VII.6.1.2", "VII.6.1.3", "VII.6.5",
    "VII.6.6", "VII.6.7", "VII.6.9")}
VARIANTS = {
    "seed": {},
    "rate_off": {"I.1": 47.4},                       # 9/19 = 47,368…: 0,03 point off
    "rate_rounded": {"IV.3.5": 28.58},               # 2/7 = 28,571…: within 0,01 point
    "zero_target": {"IV.3.4": 0},                    # 28,57 % of a target of 0
    "totals_ok": {"VII.4.2": 3000, "VII.4.3": 1093},  # parts at most the total
    "total_low": {"VII.4.2": 2000, "VII.4.3": 1093},  # 1.217 + 1.187 > 2.000
    "rate_text": {"I.1.1": "19 nhiệm vụ"},           # text: the ratio waits, the row is flagged
}


@pytest.fixture(scope="module")
def recalculated(libreoffice: str, tmp_path_factory) -> dict[str, Path]:
    sample = load_sample("cu_lao_dung_2023_q1")
    folder = tmp_path_factory.mktemp("district")
    paths = []
    for name, changes in VARIANTS.items():
        workbook = fill_template(sample.unit, sample.period, {**sample.values, **changes},
                                 sample.notes, sample.form)
        paths.append(folder / f"{name}.xlsx")
        workbook.save(paths[-1])
    return {p.stem: p for p in recalculate(paths, folder / "recalculated")}


def _errors(flags: dict[str, str]) -> set[str]:
    return {rule for rule in flags if not rule.startswith("required:")}


def test_seed_raises_its_real_errors_and_missing_values(recalculated):
    flags = formula_flags(recalculated["seed"])
    assert _errors(flags) == SEED_ERRORS
    assert set(flags) - SEED_ERRORS == SEED_MISSING


def test_seed_consistent_rows_raise_nothing(recalculated):
    flags = formula_flags(recalculated["seed"])
    for rule in ("sum:VII.6.10", "ratio:I.1", "ratio:IV.3.5", "ratio:IV.2.6", "sum:V.6.4"):
        assert rule not in flags   # 57 = 3 + 24 + 30; 47,37 % = 9/19; 28,57 % = 2/7; 0 = 0 + 0 + 0


def test_seed_counts_on_the_sheet(recalculated):
    sheet = load_workbook(recalculated["seed"], data_only=True).worksheets[0]
    assert (sheet[ERROR_COUNT_CELL].value, sheet[MISSING_COUNT_CELL].value) == (4, 11)


@pytest.mark.parametrize("name, added, removed", [
    ("rate_off", {"ratio:I.1"}, set()),
    ("rate_rounded", set(), set()),
    ("zero_target", {"ratio:IV.3.5"}, set()),
    ("totals_ok", set(), {"sum:VII.4.2", "sum:VII.4.3"}),
    ("total_low", set(), {"sum:VII.4.3"}),
    ("rate_text", {"whole:I.1.1"}, set()),
])
def test_variants_move_exactly_their_rules(recalculated, name, added, removed):
    assert _errors(formula_flags(recalculated[name])) == (SEED_ERRORS | added) - removed


def test_total_low_reports_the_excess(recalculated):
    assert formula_flags(recalculated["total_low"])["sum:VII.4.2"] == \
        "Văn bản gửi điện tử 2404 > tổng số văn bản đi 2000"


@pytest.mark.parametrize("name", VARIANTS)
def test_python_checks_agree_with_the_recalculated_sheet(recalculated, name):
    assert python_flags(recalculated[name]) == formula_flags(recalculated[name])
