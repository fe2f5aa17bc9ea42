"""The `Biểu đồ` sheet: native charts over live cells. LibreOffice renders it with the communes'
names and values; a commune value fixed on `Tổng hợp` changes the chart's data after
recalculation; with an earlier period, the main indicators stand beside last quarter's."""
from __future__ import annotations

from pathlib import Path
from zipfile import ZipFile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from cchc_xl.commune.samples import DEMO_UNIT, fill_template, load_sample, sample_names
from cchc_xl.cycle.chart_sheet import HEADER_ROW, SHEET
from cchc_xl.cycle.complete import CycleOptions
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.district.layout import SUMMARY_SHEET, commune_columns
from cchc_xl.district.printing import write_pdf
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.periods import Period
from cchc_xl.read.reader import read_meta_file

Q1, Q2 = Period.parse("2023-Q1"), Period.parse("2023-Q2")
SAMPLES = [load_sample(n) for n in sample_names() if load_sample(n).period == Q2]
#: the communes whose 3.3.1 is typed as a number (one sample types it as text, "1.234")
NUMERIC = [s for s in SAMPLES if isinstance(s.values.get("3.3.1"), (int, float))]
FORM = load_form("xa_2023")


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    """Quý II of the sample communes, compared with a Quý I where each received 100 files less."""
    root = tmp_path_factory.mktemp("bieu_do")
    for folder in ("q1", "q2"):
        (root / folder).mkdir()
    for sample in SAMPLES:
        earlier = {**sample.values, **({"3.3.1": sample.values["3.3.1"] - 100} if sample in NUMERIC else {})}
        fill_template(sample.unit, Q1, earlier).save(root / "q1" / f"{sample.unit}_Q1.xlsx")
        fill_template(sample.unit, Q2, sample.values).save(root / "q2" / f"{sample.unit}_Q2.xlsx")
    consolidate_files([root / "q1"], root / "quy1.xlsx", DEMO_UNIT, Q1)
    output = root / "quy2.xlsx"
    consolidate_files([root / "q2"], output, DEMO_UNIT, Q2, options=CycleOptions(previous=(root / "quy1.xlsx",)))
    return output


def _block(path: Path) -> dict[str, tuple]:
    """The per-commune data block of the chart sheet: name -> (errors, missing, rates…)."""
    sheet = load_workbook(path, data_only=True)[SHEET]
    rows = sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=True)
    return {row[0]: row[1:5] for row in rows if row[0] and row[0].startswith(("Xã", "Thị trấn"))}


def test_the_charts_read_their_data_from_live_cells(district):
    book = load_workbook(district)
    block = book[SHEET].iter_rows(min_row=HEADER_ROW + 2, max_row=HEADER_ROW + 1 + len(SAMPLES))
    formulas = [c.value for row in block for c in row[1:5]]
    assert formulas and all(str(f).startswith(f"='{SUMMARY_SHEET}'!") or str(f).startswith("=IF(") for f in formulas)
    charts = [n for n in ZipFile(district).namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3  # errors and missing, the two shares, the main indicators by period


def test_the_shares_are_the_communes_own_counts_after_recalculation(district, recalc):
    (computed,) = recalc(district)
    block = _block(computed)
    meta = read_meta_file(district)
    values = {name: v for name, v, _cells in commune_columns(load_workbook(computed, data_only=True)[SUMMARY_SHEET],
                                                               FORM, meta)}
    assert set(block) == set(values)
    for name, (errors, missing, online, on_time) in block.items():
        v = values[name]
        assert online == pytest.approx(100 * (v["3.3.1.c"] + v["3.3.1.d"]) / v["3.3.1"])
        assert on_time == pytest.approx(100 * v["3.3.2"] / v["3.3.1"])
        assert isinstance(errors, (int, float)) and isinstance(missing, (int, float))


def test_fixing_a_commune_value_moves_its_bar(district, recalc, tmp_path):
    """The officer fixes a number on `Tổng hợp`; after recalculation the chart's data follows."""
    (before,) = recalc(district)
    name = SAMPLES[0].unit
    meta = read_meta_file(district)
    book = load_workbook(district)
    (cells,) = [cells for n, _v, cells in commune_columns(book[SUMMARY_SHEET], FORM, meta) if n == name]
    book[SUMMARY_SHEET][cells["3.3.2"]] = 0
    edited = tmp_path / "sua.xlsx"
    book.save(edited)
    (after,) = recalc(edited)
    assert _block(before)[name][3] > 0 and _block(after)[name][3] == 0
    others = [n for n in _block(before) if n != name]
    assert all(_block(before)[n] == _block(after)[n] for n in others)


def test_the_earlier_period_stands_beside_this_one(district, recalc):
    (computed,) = recalc(district)
    sheet = load_workbook(computed, data_only=True)[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[:3] == ("Chỉ tiêu", Q1.label, Q2.label))
    received = next(row for row in rows[header + 1:] if str(row[0]).startswith("3.3.1 "))
    assert NUMERIC and received[2] - received[1] == 100 * len(NUMERIC)


def test_libreoffice_draws_the_charts_with_the_communes_names(district, libreoffice, tmp_path):
    """Rendered as the officer would print it (looked at as PNG while writing this): the
    communes' names are on the charts' axes and their values in the block beside them."""
    pdf = write_pdf(district, tmp_path / "bieu_do.pdf", [SHEET, SUMMARY_SHEET])
    first = PdfReader(pdf).pages[0].extract_text()
    assert "Số lỗi và số chỉ tiêu chưa nhập của từng xã" in first and "Tỷ lệ (%) của từng xã" in first
    for sample in SAMPLES:
        assert first.count(sample.unit) >= 3  # the block and the two charts' category axes
