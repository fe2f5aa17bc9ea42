"""Commune workbooks as they really arrive, built with openpyxl from the shipped samples.

Each builder writes one file and returns a `Variant`: where its table is, and the values (by
2023 code, as a district adds them up) the reader must find in it. Edits of the template keep
its hidden `_cchc` sheet, as a commune editing our file would; the Word paste and the 2022
layout come from `cchc_xl.commune.variants`, shared with the demo.
"""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from cchc_xl.commune.samples import Sample, fill_template, load_sample
from cchc_xl.commune.template import FIRST_ROW, HEADER_ROW, META_SHEET
from cchc_xl.commune.variants import layout_2022_workbook, word_paste_workbook
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.numbers import Value, cell_value

HOANG_LUU = "hoang_luu_2023_q2"
QUANG_HOA = "quang_hoa_2022"
#: Rows the "deleted" variant removes.
DELETED = ("2.3", "3.3.1.b", "7.5.2")
#: Rows the "inserted" variant adds (after the code given): label, unit, value.
FOREIGN = {"1.3.3": ("Số cuộc họp giao ban CCHC", "Cuộc", 5), "7.6": ("Cộng", "", 1234)}
#: The row the "duplicated" variant copies, and the value typed into the copy.
DUPLICATE = ("3.3.1", 999)
#: "relabeled": rows whose STT code is cleared (placed by label alone).
CODE_CLEARED = ("1.1.3", "3.2.3", "3.4.2", "5.4.6", "7.5.1")
#: "relabeled": a label rewritten beyond recognition, its code kept (placed by code, reported).
REWRITTEN = ("4.1.2", "Biên chế thực có")
#: "relabeled": a wrong STT code over a right label, as seed 001 prints 1.1.2 under 1.2.
WRONG_CODE = ("1.2.2", "1.1.2")
#: "header_moved": rows added on top, so the header sits on this row.
MOVED_HEADER_ROW = HEADER_ROW + 5


@dataclass(frozen=True)
class Variant:
    name: str
    path: Path
    sample: Sample
    #: the values the reader must return in `parsed`, by 2023 code (blank ones absent)
    expected: dict[str, Value]
    value_col: str
    #: 1-based sheet rows of the table body (header excluded, signature lines excluded)
    body: range
    edits: dict[str, Any] = field(default_factory=dict)


def expected_values(sample: Sample, without: tuple[str, ...] = ()) -> dict[str, Value]:
    """The sample's values on 2023 codes as the reader's `parsed` holds them (dates as serials)."""
    mapped, _unmapped = sample.values_2023()
    return {code: cell_value(v) for code, v in mapped.items() if code not in without}


def _template(name: str = HOANG_LUU) -> tuple[Sample, Workbook, Worksheet]:
    sample = load_sample(name)
    values, _ = sample.values_2023()
    workbook = fill_template(sample.unit, sample.period, values, sample.notes)
    sheet = workbook[load_form().sheet]
    for merged in list(sheet.merged_cells.ranges):
        sheet.unmerge_cells(str(merged))
    return sample, workbook, sheet


def _row_of(ws: Worksheet, code: str) -> int:
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, 1).value == code:
            return r
    raise KeyError(code)


def _last_row(ws: Worksheet, first: int) -> int:
    return max(r for r in range(first, ws.max_row + 1) if ws.cell(r, 2).value not in (None, ""))


def _save(workbook: Workbook, path: Path) -> Path:
    workbook.save(path)
    return path


def _template_variant(name: str, folder: Path, edit: Callable[[Worksheet], dict[str, Any]],
                      without: tuple[str, ...] = ()) -> Variant:
    sample, workbook, ws = _template()
    edits = edit(ws)
    path = _save(workbook, folder / f"{name}.xlsx")
    return Variant(name, path, sample, expected_values(sample, without), "D",
                   range(FIRST_ROW, _last_row(ws, FIRST_ROW) + 1), edits)


def reordered(folder: Path) -> Variant:
    """The body rows shuffled (codes and labels travel with their values)."""
    def edit(ws: Worksheet) -> dict[str, Any]:
        rows = list(range(FIRST_ROW, _last_row(ws, FIRST_ROW) + 1))
        contents = [[ws.cell(r, c).value for c in range(1, 6)] for r in rows]
        random.Random(3).shuffle(contents)
        for r, content in zip(rows, contents):
            for c, value in enumerate(content, start=1):
                ws.cell(r, c).value = value
        return {}
    return _template_variant("reordered", folder, edit)


def relabeled(folder: Path) -> Variant:
    """Labels retyped (case, NFD, spacing, a dropped word), some codes cleared, one wrong."""
    styles: list[Callable[[str], str]] = [
        str.upper,
        lambda s: unicodedata.normalize("NFD", s),
        lambda s: "  " + s.replace(" ", "  ") + ".",
        lambda s: s.replace(" đã ", " "),
    ]

    def edit(ws: Worksheet) -> dict[str, Any]:
        for i, r in enumerate(range(FIRST_ROW, _last_row(ws, FIRST_ROW) + 1)):
            ws.cell(r, 2).value = styles[i % len(styles)](ws.cell(r, 2).value)
        for code in CODE_CLEARED:
            ws.cell(_row_of(ws, code), 1).value = None
        ws.cell(_row_of(ws, REWRITTEN[0]), 2).value = REWRITTEN[1]
        ws.cell(_row_of(ws, WRONG_CODE[0]), 1).value = WRONG_CODE[1]
        return {}
    return _template_variant("relabeled", folder, edit)


def inserted(folder: Path) -> Variant:
    """Rows of the commune's own added to the table, and an empty spacer row."""
    def edit(ws: Worksheet) -> dict[str, Any]:
        for after, (label, unit, value) in FOREIGN.items():
            r = _row_of(ws, after) + 1
            ws.insert_rows(r)
            for c, content in enumerate((label, unit or None, value), start=2):
                ws.cell(r, c, content)
        spacer = _row_of(ws, "3.5") + 1
        ws.insert_rows(spacer)
        return {"foreign_values": sorted(v for _, _, v in FOREIGN.values())}
    return _template_variant("inserted", folder, edit)


def deleted(folder: Path) -> Variant:
    """Indicator rows deleted from the sheet."""
    def edit(ws: Worksheet) -> dict[str, Any]:
        for code in DELETED:
            ws.delete_rows(_row_of(ws, code))
        return {}
    return _template_variant("deleted", folder, edit, without=DELETED)


def duplicated(folder: Path) -> Variant:
    """A row copied below itself with another value: the first is kept, the copy reported."""
    def edit(ws: Worksheet) -> dict[str, Any]:
        code, value = DUPLICATE
        source = _row_of(ws, code)
        ws.insert_rows(source + 1)
        for c in range(1, 4):
            ws.cell(source + 1, c, ws.cell(source, c).value)
        ws.cell(source + 1, 4, value)
        return {"duplicate_cell": f"D{source + 1}"}
    return _template_variant("duplicated", folder, edit)


def header_moved(folder: Path) -> Variant:
    """No meta sheet, rows added on top, extra columns, the title block moved around."""
    sample, workbook, ws = _template()
    del workbook[META_SHEET]
    ws.insert_rows(1, 5)
    ws.insert_cols(3)
    header = MOVED_HEADER_ROW
    ws.cell(header, 3, "Mã số cũ")
    last = _last_row(ws, header + 1)
    extra = ws.max_column + 1
    ws.cell(header, extra, "Kỳ trước")
    for r in range(header + 1, last + 1):
        ws.cell(r, 3, f"X{r}")
        ws.cell(r, extra, r % 7)
    unit_line, period_line = ws["A8"].value, ws["A9"].value
    ws["A8"], ws["A9"] = None, None
    ws["E2"] = unit_line
    ws.cell(last + 2, 2, period_line)
    path = _save(workbook, folder / "header_moved.xlsx")
    return Variant("header_moved", path, sample, expected_values(sample), "E", range(header + 1, last + 1))


def word_paste(folder: Path) -> Variant:
    """Hoằng Lưu pasted from Word (see `cchc_xl.commune.variants.word_paste_workbook`)."""
    sample = load_sample(HOANG_LUU)
    workbook = word_paste_workbook(sample)
    path = _save(workbook, folder / "word_paste.xlsx")
    ws = workbook.active
    return Variant("word_paste", path, sample, expected_values(sample), "D", range(7, _last_row(ws, 7) + 1))


def layout_2022(folder: Path) -> Variant:
    """Quảng Hòa in the 2022 layout (see `cchc_xl.commune.variants.layout_2022_workbook`)."""
    sample = load_sample(QUANG_HOA)
    workbook = layout_2022_workbook(sample)
    path = _save(workbook, folder / "layout_2022.xlsx")
    ws = workbook.active
    return Variant("layout_2022", path, sample, expected_values(sample), "D", range(9, _last_row(ws, 9) + 1))


def with_formula(folder: Path, code: str, formula: str) -> Path:
    """The Hoằng Lưu template with a formula typed in one value cell (saved uncalculated)."""
    _sample, workbook, ws = _template()
    ws.cell(_row_of(ws, code), 4).value = formula
    return _save(workbook, folder / "formula.xlsx")


BUILDERS: dict[str, Callable[[Path], Variant]] = {
    "reordered": reordered, "relabeled": relabeled, "inserted": inserted, "deleted": deleted,
    "duplicated": duplicated, "header_moved": header_moved, "word_paste": word_paste,
    "layout_2022": layout_2022,
}


def sheet_cells(variant: Variant) -> list[tuple[int, Any, Any, Any]]:
    """(row, STT, label, value) of the body rows, read independently with openpyxl."""
    ws = load_workbook(variant.path, data_only=True).worksheets[0]
    label_col = 2
    value_col = ws[f"{variant.value_col}1"].column
    return [(r, ws.cell(r, 1).value, ws.cell(r, label_col).value, ws.cell(r, value_col).value)
            for r in variant.body]
