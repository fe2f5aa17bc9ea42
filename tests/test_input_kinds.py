"""Every kind of file a commune sends consolidates to the same district figures.

The sample communes typed into our template (.xlsx) are saved by LibreOffice as .xls and as
.ods, and their values are written into Word reports' appendix tables (.docx, split over pages,
"Trong đó" merged, as the seeds' reports are). Each set is consolidated alone: `Tổng hợp`
must be the same cell for cell, and `Nguồn số liệu` must name each file's own cells (the
sheet and cell of a workbook, "bảng N, dòng M" of a report, which python-docx confirms).
A folder mixing the kinds consolidates every commune.
"""
from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from corpus import libreoffice_convert
from openpyxl import load_workbook
from typer.testing import CliRunner
from word_reports import table_rows, write_report, written

from cchc_xl.commune.samples import DEMO_PERIOD, DEMO_UNIT, load_sample, write_samples
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.district.provenance import VALUES_SHEET
from cchc_xl.shells.cli import app

KINDS = ("xlsx", "xls", "ods", "docx")
_PLACE = re.compile(r"^bảng (\d+), dòng (\d+)$")


def _word_reports(folder: Path, workbooks: list[Path]) -> list[Path]:
    folder.mkdir()
    made = []
    for workbook in workbooks:
        sample = load_sample(workbook.stem)
        values, _ = sample.values_2023()
        made.append(write_report(folder / f"{workbook.stem}.docx", sample.unit, DEMO_PERIOD,
                                 table_rows(values, sample.notes)))
    return made


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, libreoffice) -> dict[str, Path]:
    """A folder of the sample communes for each kind."""
    root = tmp_path_factory.mktemp("kinds")
    workbooks = write_samples(root / "xlsx")
    (root / "xlsx" / "danh_sach_xa.txt").unlink()
    for suffix in ("xls", "ods"):
        (root / suffix).mkdir()
        for workbook in workbooks:
            libreoffice_convert(workbook, f".{suffix}", root / suffix)
    _word_reports(root / "docx", workbooks)
    return {kind: root / kind for kind in KINDS}


@pytest.fixture(scope="module")
def outputs(inputs, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    found = {}
    for kind, folder in inputs.items():
        result = consolidate_files([folder], out / f"{kind}.xlsx", DEMO_UNIT, DEMO_PERIOD)
        assert not result.unreadable, kind
        found[kind] = result.output
    return found


def _sheet(path: Path, name: str) -> list[tuple]:
    return [tuple(row) for row in load_workbook(path)[name].iter_rows(values_only=True)]


@pytest.mark.parametrize("kind", KINDS[1:])
def test_the_district_figures_are_the_same_cell_for_cell(kind, outputs):
    expected, got = _sheet(outputs["xlsx"], "Tổng hợp"), _sheet(outputs[kind], "Tổng hợp")
    assert len(got) == len(expected)
    differing = [(r + 1, c + 1, a, b) for r, (want, row) in enumerate(zip(expected, got))
                 for c, (a, b) in enumerate(zip(want, row)) if a != b]
    assert not differing, differing[:10]
    assert any(isinstance(v, int | float) and v > 100 for row in got for v in row)


def _sources(output: Path) -> tuple[list[str], dict[tuple[str, int], str]]:
    """The commune file names of `Nguồn số liệu` and its source texts by (code, commune column)."""
    rows = _sheet(output, VALUES_SHEET)
    header = next(i for i, row in enumerate(rows) if row[:2] == ("STT", "Chỉ tiêu thống kê"))
    files = [v for v in rows[header - 1][3:] if v]
    texts = {}
    for row in rows[header + 1:]:
        if row[0] is None or not re.fullmatch(r"[\d.a-z]+", str(row[0])):
            break
        texts.update({(row[0], col): text for col, text in enumerate(row[3:3 + len(files)]) if text})
    return files, texts


@pytest.mark.parametrize("kind", ("xls", "ods"))
def test_a_workbooks_provenance_names_its_own_file_and_cells(kind, outputs):
    files, texts = _sources(outputs[kind])
    assert files and all(name.endswith(f".{kind}") for name in files)
    expected = _sources(outputs["xlsx"])[1]
    assert texts == expected and texts["3.3.1", 0].startswith("Phụ lục 01b!D")


def test_a_reports_provenance_names_the_table_and_row_holding_the_value(inputs, outputs):
    files, texts = _sources(outputs["docx"])
    assert files and all(name.endswith(".docx") for name in files)
    checked = 0
    for col, name in enumerate(files):
        report = docx.Document(inputs["docx"] / name)
        values, _ = load_sample(Path(name).stem).values_2023()
        for (code, column), text in texts.items():
            if column != col or code not in values:
                continue
            table, row = map(int, _PLACE.fullmatch(text).groups())
            assert report.tables[table - 1].rows[row - 1].cells[3].text == written(values[code]), (name, code)
            checked += 1
    assert checked > 100


def test_a_folder_mixing_the_kinds_consolidates_every_commune(inputs, tmp_path):
    names = sorted(p.stem for p in inputs["xlsx"].glob("*.xlsx"))
    mixed = tmp_path / "tron"
    mixed.mkdir()
    for name, kind in zip(names, KINDS * 2):
        (mixed / f"{name}.{kind}").write_bytes((inputs[kind] / f"{name}.{kind}").read_bytes())
    result = consolidate_files([mixed], tmp_path / "huyen.xlsx", DEMO_UNIT, DEMO_PERIOD)
    assert not result.unreadable
    assert len(result.consolidation.communes) == len(names)
    alone = consolidate_files([inputs["xlsx"]], tmp_path / "mau.xlsx", DEMO_UNIT, DEMO_PERIOD)
    assert {c.name: c.values for c in result.consolidation.communes} == \
        {c.name: c.values for c in alone.consolidation.communes}


@pytest.mark.parametrize("kind", KINDS[1:])
def test_check_reads_every_kind(kind, inputs):
    [path] = sorted(inputs[kind].glob(f"hoang_luu*.{kind}"))
    result = CliRunner().invoke(app, ["check", str(path)])
    assert path.name in result.output and "Không đọc được" not in result.output, result.output
