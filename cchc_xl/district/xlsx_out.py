"""XlsxWriter helpers for the district workbook: its formats, typed writes, live formulas.

The district workbook is written with XlsxWriter rather than openpyxl: it writes each sheet
in one pass, which matters when a province consolidates hundreds of communes (about 150 rule
formulas each), and its typed writers make explicit that a commune's text (`=…`, `+…`, `-…`,
`@…`) is stored as a string, never as a formula. Each formula is written with an empty cached
result: XlsxWriter would otherwise store 0, which LibreOffice trusts in a file that names Excel
as its producer; an empty result makes Excel and LibreOffice compute it when the file opens.

Text from a commune's file (a cell, a note, a file name) may hold what an XML file cannot
(a lone surrogate from an undecodable file name, U+FFFF) or more than a cell holds; every text
cell and comment goes through `storable`, so the workbook is always one Excel opens.

The bulk of the cells (`write_cells`, `write_across`, `write_value`, `write_formula`) do not go
through XlsxWriter's cell writers, which cost about 70 µs a formula: `DistrictSheet` keeps them
and `DistrictBook.close` has `sheet_xml` splice them into the package XlsxWriter wrote. Only
XlsxWriter's public API is used, so any 3.x release that writes valid SpreadsheetML serves.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, Iterable

from xlsxwriter import Workbook
from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet, convert_cell_args

from cchc_xl.common.cells import column_letters
from cchc_xl.district.sheet_xml import (
    Formula,
    FormulaPattern,
    SheetCells,
    formula,
    rewrite_package,
)
from cchc_xl.forms.numbers import Value
from cchc_xl.forms.validation import ERROR_TITLE, InputRule

FONT = "Times New Roman"
LINE_HEIGHT = 15  # points per line of 11-point text
#: The most UTF-16 units an Excel cell (or comment) holds.
MAX_TEXT = 32767
_UNSTORABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")


def storable(text: str) -> str:
    """Text an .xlsx can hold: lone surrogates and non-characters replaced by U+FFFD, and cut
    (ending with "…") to what a cell holds. Control characters the writers escape. Most text
    is ASCII (numbers, codes, file names), which is storable as it is when short enough."""
    if text.isascii() and len(text) <= MAX_TEXT:
        return text
    text = _UNSTORABLE.sub("\ufffd", text)
    if len(text) > MAX_TEXT // 2 and len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
        text = text.encode("utf-16-le")[:2 * (MAX_TEXT - 2)].decode("utf-16-le", "ignore") + "…"
    return text


#: A cell for `write_cells`: a value or a formula, and its format.
Cell = tuple["Value | Formula", "Format | None"]


class _StyleNumbers(dict):  # type: ignore[type-arg]
    """A sheet's formats → their style numbers in its `SheetCells`, a new format numbered on
    first use (no format: -1); a lookup per cell, so a plain dict lookup."""

    def __missing__(self, fmt: Format) -> int:
        number = self[fmt] = len(self) - 1
        return number


class _StorableTexts(dict):  # type: ignore[type-arg]
    """A sheet's texts → `storable` of each, worked out once per distinct text: most of a
    sheet's texts repeat (a thousand communes' source cells are the same few hundred names),
    and a non-ASCII text costs `storable` a search where a repeated one costs a lookup."""

    def __missing__(self, text: str) -> str:
        made = self[text] = storable(text)
        return made


class DistrictSheet(Worksheet):
    """A worksheet whose text cells and comments are always `storable`, and which keeps its
    bulk cells (`write_cells`, `write_across`) for `sheet_xml` to write."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bulk = SheetCells()
        self._styles = _StyleNumbers({None: -1})  # a format's style number in `bulk`
        self._texts = _StorableTexts()
        self._shared_formulas = 0  # shared formulas written (`write_across`): the next one's index

    @convert_cell_args
    def write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> int:
        return super().write_string(row, col, storable(string), cell_format)

    @convert_cell_args
    def write_comment(self, row: int, col: int, comment: str, options: Any = None) -> int:
        return super().write_comment(row, col, storable(comment), options)

    def write_cells(self, row: int, col: int, cells: Iterable[Cell]) -> None:
        """Write consecutive cells of one row from `col` on.

        A value is written as `write_value` writes it (text always as a string, blanks stay
        blank, never 0); a `Formula` with an empty cached result. A blank without a format,
        as in XlsxWriter, writes nothing.
        """
        styles, texts = self._styles, self._texts
        self.bulk.put(row, col, [None if value is None and fmt is None else
                                 (styles[fmt], texts[value] if type(value) is str else value)
                                 for value, fmt in cells])

    def write_probes(self) -> None:
        """Each format of the bulk cells written, through XlsxWriter, at one of its cells: the
        probe `sheet_xml.splice` reads the format's style index from."""
        formats = {style: fmt for fmt, style in self._styles.items()}
        for style, (row, col) in self.bulk.probes().items():
            self.write_blank(row, col, None, formats[style])

    def write_across(self, row: int, col: int, pattern: FormulaPattern, count: int, fmt: Format | None) -> None:
        """`pattern` at each of `count` columns of a row from `col`, stored as Excel stores a
        formula filled right: one shared formula, written out in the first cell, which the
        others refer to (each spreadsheet shifts its relative columns). The pattern's `COLUMN`
        must stand only where a relative column reference goes."""
        if count <= 1:
            self.write_cells(row, col, [(pattern.at(column_letters(col)), fmt)] * count)
            return
        index, self._shared_formulas = self._shared_formulas, self._shared_formulas + 1
        span = f"{column_letters(col)}{row + 1}:{column_letters(col + count - 1)}{row + 1}"
        first = Formula(pattern.at(column_letters(col)).xml, f' t="shared" ref="{span}" si="{index}"')
        style = self._styles[fmt]
        self.bulk.put(row, col, [(style, first)] + [(style, Formula("", f' t="shared" si="{index}"'))] * (count - 1))


class DistrictBook(Workbook):
    """A workbook of `DistrictSheet`s whose generic `write` never guesses formulas, numbers or
    links from text. XlsxWriter writes its package in memory; `close` writes the file with
    the sheets' bulk cells spliced in."""

    def __init__(self, path: Path) -> None:
        self._buffer = io.BytesIO()
        self._target = Path(path)
        super().__init__(self._buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> DistrictSheet:
        return super().add_worksheet(name, worksheet_class or DistrictSheet)

    def close(self) -> None:
        for ws in self.worksheets():
            if isinstance(ws, DistrictSheet):
                ws.write_probes()
        super().close()
        self._buffer.seek(0)
        sheets = [ws for ws in self.worksheets() if isinstance(ws, DistrictSheet)]
        rewrite_package(self._buffer, self._target, {ws.get_name(): ws.bulk for ws in sheets})
        for ws in sheets:  # in the file now; freed at once, not left to the cycle collector
            ws.bulk = SheetCells()


def new_workbook(path: Path) -> DistrictBook:
    """The district workbook to be written at `path` when it is closed."""
    return DistrictBook(path)


class Styles:
    """The workbook's cell formats, made once (XlsxWriter formats belong to one workbook)."""

    def __init__(self, wb: Workbook) -> None:
        self._workbook = wb

        def make(**props: object) -> Format:
            return wb.add_format({"font_name": FONT, "valign": "vcenter", **props})

        boxed = {"border": 1, "border_color": "#808080"}
        self.title = make(bold=True, size=13)
        self.subtitle = make(bold=True, size=12)
        self.note = make(italic=True, font_color="#595959")
        self.note_wrap = make(italic=True, font_color="#595959", text_wrap=True, valign="top")
        self.bold_right = make(bold=True, align="right")
        self.header = make(bold=True, align="center", text_wrap=True, bg_color="#E7E6E6", **boxed)
        self.group = make(bold=True, text_wrap=True, bg_color="#E7E6E6", **boxed)
        self.code = make(align="center", **boxed)
        self.label = make(text_wrap=True, **boxed)
        self.label_bold = make(text_wrap=True, bold=True, **boxed)
        self.text = make(text_wrap=True, **boxed)
        self.text_error = make(text_wrap=True, bg_color="#F8CBAD", **boxed)
        self.text_missing = make(text_wrap=True, bg_color="#FFE699", **boxed)
        # a commune's value as read: the one cell of `Tổng hợp` staff may fix, so left unlocked
        self.value = make(bg_color="#FFF9DB", locked=False, **boxed)
        self.date = make(bg_color="#FFF9DB", locked=False, num_format="dd/mm/yyyy", **boxed)
        self.number = make(**boxed)
        self.total = make(bold=True, bg_color="#DDEBF7", **boxed)
        self.ratio = make(bold=True, bg_color="#DDEBF7", num_format="0.00", **boxed)
        self.no_total = make(bg_color="#F2F2F2", **boxed)
        self.count = make(align="center", **boxed)
        self.flag_count = make(bold=True, font_color="#C00000", align="center", **boxed)
        self.flag_text = make(font_color="#C00000", text_wrap=True, **boxed)
        self.flag_cell = make(font_color="#C00000", **boxed)  # one line: a rule block's result
        self.link = make(font_color="#0563C1", underline=1, align="center", **boxed)
        self.stamp = make(num_format="dd/mm/yyyy hh:mm", **boxed)
        self.text_date = make(text_wrap=True, num_format="dd/mm/yyyy", **boxed)
        self.title_right = make(bold=True, italic=True, align="right")
        self.title_centre = make(bold=True, size=13, align="center", text_wrap=True)
        self.subtitle_centre = make(bold=True, size=12, align="center", text_wrap=True)
        self.note_centre = make(italic=True, align="center")
        # the report's frame (issuer, motto, signature): the officer fills number and date in
        self.frame = make(bold=True, align="center", valign="top", text_wrap=True, locked=False)
        self.frame_left = make(size=10, valign="top", text_wrap=True, locked=False)
        self.input = make(bg_color="#FFF9DB", locked=False, text_wrap=True, **boxed)
        self._inputs = {"date": make(bg_color="#FFF9DB", locked=False, num_format="dd/mm/yyyy", **boxed),
                        "percent": make(bg_color="#FFF9DB", locked=False, num_format="0.##", **boxed)}
        self.error_fill = wb.add_format({"bg_color": "#F8CBAD"})
        self.missing_fill = wb.add_format({"bg_color": "#FFE699"})
        self.row_flag_fill = wb.add_format({"bg_color": "#FCE4D6"})


    def chart(self, options: dict[str, object]) -> Chart:
        """A native chart of this workbook (XlsxWriter makes charts, as formats, on the workbook)."""
        return self._workbook.add_chart(options)

    def input_for(self, kind: str) -> Format:
        """An unlocked input cell, formatted for the row's kind (dates, percentages)."""
        return self._inputs.get(kind, self.input)


def write_value(ws: DistrictSheet, row: int, col: int, value: Value, fmt: Format | None = None) -> None:
    """A value by its type; text always as a string (never a formula), blanks stay blank."""
    ws.write_cells(row, col, [(value, fmt)])


def write_formula(ws: DistrictSheet, row: int, col: int, text: str, fmt: Format | None = None) -> None:
    """A formula with an empty cached result, so every spreadsheet computes it on opening."""
    ws.write_cells(row, col, [(formula(text), fmt)])


#: XlsxWriter's names for the validation types and operators of `validation.InputRule`.
_VALIDATE = {"whole": "integer", "decimal": "decimal", "list": "list", "date": "date"}
_CRITERIA = {"between": "between", "greaterThanOrEqual": ">="}


def add_validation(ws: Worksheet, cells: list[tuple[int, int]], rule: InputRule) -> None:
    """The template's data validation (same limits, same Vietnamese prompts) on these cells."""
    options: dict[str, object] = {
        "validate": _VALIDATE[rule.kind], "ignore_blank": True, "input_title": rule.title,
        "input_message": rule.prompt, "error_title": ERROR_TITLE, "error_message": rule.error,
        "error_type": rule.error_style, "other_cells": [(r, c, r, c) for r, c in cells[1:]],
    }
    if rule.kind == "list":
        options["source"] = rule.formula1.strip('"').split(",")
    elif rule.operator == "between":
        options.update(criteria="between", minimum=f"={rule.formula1}", maximum=f"={rule.formula2}")
    else:
        options.update(criteria=_CRITERIA[str(rule.operator)], value=f"={rule.formula1}")
    row, col = cells[0]
    ws.data_validation(row, col, row, col, options)


def link_formula(reference: str) -> str:
    """A live link to a cell of this workbook ("'Tổng hợp'!E45"), showing the cell's address."""
    return f'=HYPERLINK("#{reference}","{reference.rsplit("!", 1)[-1]}")'


def line_count(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (heights are not grown
    on opening: a row holding wrapped text needs its height set)."""
    chars = max(1, int(width * 1.4))  # Times New Roman 11 fits about 1.4 characters per unit
    return max(1, sum(-(-len(part) // chars) or 1 for part in text.split("\n")))


def protect(ws: Worksheet) -> None:
    """Sheet protection without a password (Excel and LibreOffice alike): formulas and labels
    cannot be overwritten by a stray keystroke, unlocked input cells stay editable, columns and
    rows can still be resized and filters used. Review → Unprotect Sheet lifts it."""
    ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True})


def print_landscape(ws: Worksheet, fit_width: bool = True) -> None:
    """A4 landscape, page numbers in the footer, all columns on one page width if asked."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_footer("&CTrang &P / &N")
    if fit_width:
        ws.fit_to_pages(1, 0)
