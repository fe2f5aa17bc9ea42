"""Nothing is dropped silently: every non-empty cell of a valid input's value column, read here
independently with openpyxl, is in the district workbook (`Nguồn số liệu` names its file and
cell at the place of the same value in `Tổng hợp`, or lists it below with its value as read) or
in the problems listed in `Nguồn` (its file and cell), for every sample workbook, every shipped
variant and every variant the tests build (reordered, relabeled, rows inserted, deleted,
duplicated, header moved…)."""
from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pytest
from fixtures import BUILDERS
from openpyxl import load_workbook
from openpyxl.utils.datetime import to_excel

from cchc_xl.commune.samples import DEMO_PERIOD, DEMO_UNIT
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.district.provenance import (
    NOT_CONSOLIDATED_TITLE,
    SOURCE_SHEET,
    VALUES_SHEET,
)
from cchc_xl.read.reader import read_submission

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"
SHIPPED = sorted((WORKBOOKS / "samples").glob("*.xlsx")) + sorted((WORKBOOKS / "variants").glob("*.xlsx"))
VALUE_TITLE = "số liệu"
PROBLEM_TITLES = ("STT", "Tệp", "Ô", "Mã", "Loại", "Nội dung")


def value_cells(path: Path) -> tuple[str, dict[str, object]]:
    """The appendix sheet's name and its value column's non-empty cells under the header, by
    reference: the first visible sheet with a "Số liệu" title, its column below that title
    (a title repeated on a later page is no value)."""
    book = load_workbook(path, data_only=True)
    for sheet in (ws for ws in book.worksheets if ws.sheet_state == "visible"):
        for row in sheet.iter_rows(max_row=60):
            header = next((c for c in row if isinstance(c.value, str) and c.value.strip().casefold() == VALUE_TITLE),
                          None)
            if header is not None:
                cells = sheet.iter_rows(min_row=header.row + 1, min_col=header.column, max_col=header.column)
                return sheet.title, {c.coordinate: c.value for (c,) in cells
                                     if not _blank(c.value) and not _title(c.value)}
    raise AssertionError(f"{path.name}: no value column")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _title(value: object) -> bool:
    return isinstance(value, str) and value.strip().casefold() == VALUE_TITLE


def same(read: object, written: object) -> bool:
    """The value as read from the input and as recorded (a date-formatted number on either side
    compared as its serial number)."""
    read, written = (to_excel(v) if isinstance(v, dt.datetime | dt.date) else v for v in (read, written))
    if isinstance(read, int | float) and isinstance(written, int | float):
        return math.isclose(read, written, rel_tol=1e-12)
    return read == written


def recorded_values(output: Path) -> dict[tuple[str, str], object]:
    """What `Nguồn số liệu` records, by (file, "Sheet!D12"): the value at the same cell of
    `Tổng hợp` for a consolidated value, the value as read for one listed below the table."""
    book = load_workbook(output)
    meta = dict(book["_cchc"].iter_rows(values_only=True))
    sources, summary, header = book[VALUES_SHEET], book["Tổng hợp"], int(meta["header_row"])
    columns = range(4, 4 + int(meta["communes"]))
    files = {col: sources.cell(header - 1, col).value for col in columns}
    found: dict[tuple[str, str], object] = {}
    rows = sources.iter_rows(min_row=header + 1)
    for row in rows:
        if row[0].value == NOT_CONSOLIDATED_TITLE:
            break
        for col in columns:
            for text in (row[col - 1].value or "").split("; ") if row[col - 1].value else ():
                file, _, where = text.rpartition(": ")
                where = re.sub(r" \(mã [^)]*\)$", "", where)
                found[(file or files[col], where)] = summary.cell(row[0].row, col).value
    next(rows)  # the list's titles
    for row in rows:
        if row[1].value:
            found[(row[1].value, row[2].value)] = row[3].value
    return found


def recorded(output: Path) -> tuple[dict[tuple[str, str], object], dict[str, list[tuple[str, str]]]]:
    """Values recorded by (file, "Sheet!D12"), and (cell, message) of every problem by file."""
    book = load_workbook(output)
    rows = list(book[SOURCE_SHEET].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if tuple(row[:6]) == PROBLEM_TITLES)
    problems: dict[str, list[tuple[str, str]]] = {}
    for row in rows[start + 1:]:
        if row[0]:
            problems.setdefault(row[1], []).append((row[2] or "", row[5]))
    return recorded_values(output), problems


def reported(ref: str, problems: list[tuple[str, str]]) -> bool:
    """A problem on the cell, or one naming it among others ("D98 «…», D99 «…»")."""
    return any(cell == ref or re.search(rf"\b{ref}\b", message) for cell, message in problems)


def inputs(folder: Path) -> list[Path]:
    return SHIPPED + [build(folder).path for build in BUILDERS.values()]


def assert_nothing_lost(path: Path, sheet: str, cells: dict, tmp_path: Path) -> None:
    """Each value cell of `path` is consolidated as it stands or named in a problem. The file is
    consolidated for the period it states: a file of another period is never counted."""
    assert cells
    period = read_submission(path).period or DEMO_PERIOD
    result = consolidate_files([path], tmp_path / "huyen.xlsx", DEMO_UNIT, period)
    assert not result.unreadable
    values, problems = recorded(result.output)
    lost = {ref: value for ref, value in cells.items()
            if not ((path.name, f"{sheet}!{ref}") in values and same(value, values[(path.name, f"{sheet}!{ref}")]))
            and not reported(ref, problems.get(path.name, []))}
    assert not lost, f"{path.name}: values neither consolidated nor reported: {lost}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bien_the")


@pytest.mark.parametrize("index", range(len(SHIPPED) + len(BUILDERS)))
def test_every_value_is_consolidated_or_reported(index, built, tmp_path):
    path = (SHIPPED + [None] * len(BUILDERS))[index] or list(BUILDERS.values())[index - len(SHIPPED)](built).path
    sheet, cells = value_cells(path)
    assert_nothing_lost(path, sheet, cells, tmp_path)


# --- the other kinds a commune sends: .xls and .ods saved by LibreOffice, Word reports ------------

#: Workbooks converted: every sample, and the variants whose layout differs most.
CONVERTED = [p for p in SHIPPED if p.parent.name == "samples"] + [
    p for p in SHIPPED if p.parent.name == "variants"][:4]


def calamine_value_cells(path: Path) -> tuple[str, dict[str, object]]:
    """`value_cells` for an .xls or .ods, read independently with python-calamine itself."""
    from openpyxl.utils import get_column_letter
    from python_calamine import CalamineWorkbook
    book = CalamineWorkbook.from_path(str(path))
    for meta in (m for m in book.sheets_metadata if str(m.visible).endswith("Visible")):
        rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        for r, row in enumerate(rows[:60]):
            col = next((c for c, v in enumerate(row) if _title(v)), None)
            if col is not None:
                return meta.name, {f"{get_column_letter(col + 1)}{i + 1}": below[col]
                                   for i, below in enumerate(rows[r + 1:], start=r + 1)
                                   if col < len(below) and not _blank(below[col]) and not _title(below[col])}
    raise AssertionError(f"{path.name}: no value column")


def word_value_cells(path: Path) -> dict[str, str]:
    """The value column's texts under the "Số liệu" title of every table having one, by "bảng N, dòng M"."""
    import docx
    found = {}
    for n, table in enumerate(docx.Document(path).tables, start=1):
        rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        header = next(((r, row.index(v)) for r, row in enumerate(rows) for v in row if _title(v)), None)
        if header is None:
            continue
        top, col = header
        found.update({f"bảng {n}, dòng {m}": row[col] for m, row in enumerate(rows[top + 1:], start=top + 2)
                      if col < len(row) and row[col] and not _title(row[col])})
    return found


def written_as(text: str, recorded: object) -> bool:
    """A Word cell's text is the value recorded, as the report writes it."""
    from word_reports import written
    recorded = recorded.date() if isinstance(recorded, dt.datetime) else recorded
    return text == written(recorded) or text == recorded


@pytest.fixture(scope="module")
def converted(tmp_path_factory, libreoffice) -> list[Path]:
    from corpus import libreoffice_convert
    folder = tmp_path_factory.mktemp("doi_dang")
    return [libreoffice_convert(p, suffix, folder) for p in CONVERTED for suffix in (".xls", ".ods")]


@pytest.mark.parametrize("index", range(2 * len(CONVERTED)))
def test_every_value_of_an_xls_or_ods_is_consolidated_or_reported(index, converted, tmp_path):
    path = converted[index]
    sheet, cells = calamine_value_cells(path)
    assert_nothing_lost(path, sheet, cells, tmp_path)


def _reports(folder: Path) -> list[Path]:
    """Word reports of every sample of the period, and seed 001's as written (1.1 as text, 187 on group row 3.1,
    its broken diacritics)."""
    from word_reports import table_rows, write_report

    from cchc_xl.commune.samples import load_sample, sample_names
    made = []
    for sample in (s for s in map(load_sample, sample_names()) if s.period == DEMO_PERIOD):
        values, _ = sample.values_2023()
        made.append(write_report(folder / f"{sample.name}.docx", sample.unit, DEMO_PERIOD, table_rows(values, sample.notes)))
    seed = load_sample("hoang_luu_2023_q2")
    values = {**seed.values_2023()[0], "1.1": "QĐ Số 252/QĐ-UBND ngày 30/12/2023", **seed.group_values}
    made.append(write_report(folder / "hoang_luu_nhu_seed.docx", seed.unit, DEMO_PERIOD,
                             table_rows(values), pages=5, damaged=True))
    return made


def test_every_value_of_a_word_report_is_consolidated_or_reported(tmp_path):
    for path in _reports(tmp_path):
        cells = word_value_cells(path)
        assert cells
        result = consolidate_files([path], tmp_path / f"{path.stem}_huyen.xlsx", DEMO_UNIT, DEMO_PERIOD)
        assert not result.unreadable
        values, problems = recorded(result.output)
        lost = {ref: text for ref, text in cells.items()
                if not ((path.name, ref) in values and written_as(text, values[(path.name, ref)]))
                and not any(cell == ref for cell, _ in problems.get(path.name, []))}
        assert not lost, f"{path.name}: values neither consolidated nor reported: {lost}"
