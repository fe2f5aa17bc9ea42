"""The district writer's shortcut past XlsxWriter's formula rewriting stores what XlsxWriter would."""
from __future__ import annotations

import html
import re
import zipfile

from xlsxwriter.worksheet import Worksheet

from cchc_xl.consolidate import consolidate_files
from cchc_xl.cycle import CycleOptions
from cchc_xl.samples import DEMO_PERIOD, DEMO_UNIT, EXPECTED_FILE, write_samples
from cchc_xl.xlsx_out import ClassicFormulaSheet

_FORMULA = re.compile(rb"<f>(.*?)</f>", re.S)


def test_every_district_formula_is_one_xlsxwriter_leaves_unchanged(tmp_path):
    folder = tmp_path / "xa"
    write_samples(folder)
    result = consolidate_files([folder], tmp_path / "huyen.xlsx", DEMO_UNIT, DEMO_PERIOD, folder / EXPECTED_FILE,
                               options=CycleOptions(form="huyen_2023"))
    with zipfile.ZipFile(result.output) as book:
        formulas = [html.unescape(f.decode()) for name in book.namelist() if name.startswith("xl/worksheets/")
                    for f in _FORMULA.findall(book.read(name))]
    assert len(formulas) > 1000
    plain = Worksheet()
    assert [f for f in formulas if plain._prepare_formula("=" + f) != f] == []


def test_a_formula_with_a_newer_function_still_gets_its_prefix():
    sheet = ClassicFormulaSheet()
    assert sheet._prepare_formula("=XLOOKUP(A1,B1:B9,C1:C9)") == "_xlfn.XLOOKUP(A1,B1:B9,C1:C9)"
    assert sheet._prepare_formula("{=SUM(A1:A3)}") == "SUM(A1:A3)"
    assert sheet._prepare_formula('=IF(ISBLANK(A1),"Chưa nhập","")') == 'IF(ISBLANK(A1),"Chưa nhập","")'
