"""XlsxWriter helpers for the district workbook: its formats, typed writes, live formulas.

The district workbook is written with XlsxWriter rather than openpyxl: it streams each sheet
in one pass, which matters when a province consolidates hundreds of communes (about 150 rule
formulas each), and its typed writers make explicit that a commune's text (`=…`, `+…`, `-…`,
`@…`) is stored as a string, never as a formula. Each formula is written with an empty cached
result: XlsxWriter would otherwise store 0, which LibreOffice trusts in a file that names Excel
as its producer; an empty result makes Excel and LibreOffice compute it when the file opens.

Text from a commune's file (a cell, a note, a file name) may hold what an XML file cannot
(a lone surrogate from an undecodable file name, U+FFFF) or more than a cell holds; every text
cell and comment goes through `storable`, so the workbook is always one Excel opens.

A province's workbook holds hundreds of thousands of cells, and XlsxWriter spends about 8 µs on
each formula (a cell record at writing, its XML at closing). `ClassicFormulaSheet.write_cells`
renders each cell's XML element at once, the very element XlsxWriter would write (the tests
compare the two), and a formula used in many columns is prepared once (`FormulaPattern`).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet, convert_cell_args

from cchc_xl.commune.styles import ERROR_TITLE
from cchc_xl.commune.template import InputRule
from cchc_xl.forms.numbers import Value

FONT = "Times New Roman"
LINE_HEIGHT = 15  # points per line of 11-point text
#: The most UTF-16 units an Excel cell (or comment) holds.
MAX_TEXT = 32767
_UNSTORABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")


def storable(text: str) -> str:
    """Text an .xlsx can hold: lone surrogates and non-characters replaced by U+FFFD, and cut
    (ending with "…") to what a cell holds. Control characters XlsxWriter escapes itself."""
    text = _UNSTORABLE.sub("\ufffd", text)
    if len(text) > MAX_TEXT // 2 and len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
        text = text.encode("utf-16-le")[:2 * (MAX_TEXT - 2)].decode("utf-16-le", "ignore") + "…"
    return text


class _StorableTextWorksheet(Worksheet):
    """A worksheet whose text cells and comments are always `storable`."""

    @convert_cell_args
    def write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> int:
        return super().write_string(row, col, storable(string), cell_format)

    @convert_cell_args
    def write_comment(self, row: int, col: int, comment: str, options: Any = None) -> int:
        return super().write_comment(row, col, storable(comment), options)


#: The functions our formulas call: all in Excel 2007, none takes XlsxWriter's `_xlfn.` prefix.
CLASSIC_FUNCTIONS = frozenset({
    "ABS", "AND", "COUNT", "COUNTA", "COUNTIF", "COUNTIFS", "DATE", "DAY", "FIND", "HYPERLINK", "IF", "INT", "ISBLANK",
    "ISERROR", "ISNUMBER", "LEFT", "LEN", "MID", "MONTH", "NOT", "OR", "SEARCH", "SUBSTITUTE", "SUM", "SUMPRODUCT",
    "TRIM", "YEAR"})
_CALL = re.compile(r"([A-Za-z_][\w.]*)\(")


class ClassicFormulaSheet(_StorableTextWorksheet):
    """A safe-text worksheet that writes its bulk cells straight to XML (`write_cells`,
    `write_across`) and skips XlsxWriter's future-function rewriting where it has nothing to do.

    XlsxWriter runs some thirty regular-expression substitutions on every formula to prefix the
    functions newer than Excel 2007 (`_xlfn.XLOOKUP`): about 75 µs a formula, half the time a
    province's district workbook took to write. A plain formula (no array braces) calling only
    `CLASSIC_FUNCTIONS` comes out of them unchanged, so it is stored as is; any other formula
    still goes through them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._styles: dict[Format | None, str] = {}  # a format's ' s="…"' attribute
        self._shared_formulas = 0  # shared formulas written (`write_across`): the next one's index

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if (formula.startswith("=") and not formula.endswith("}")
                and CLASSIC_FUNCTIONS.issuperset(_CALL.findall(formula))):
            return formula[1:]
        return super()._prepare_formula(formula, expand_future_functions)

    def formula(self, text: str) -> Formula:
        """A formula ("=SUM(D8:H8)") prepared for `write_cells`, as `write_formula` would store it."""
        return Formula(_escape(self._prepare_formula(text)))

    def write_cells(self, row: int, col: int, cells: Iterable[Cell]) -> None:
        """Write consecutive cells of one row from `col` on, each rendered to XML at once.

        A value is written as `write_value` writes it (text always as a string, blanks stay
        blank, never 0); a `Formula` with an empty cached result, as `write_formula` writes it.
        A blank without a format, as in XlsxWriter, writes nothing. The rendered element is
        kept in XlsxWriter's table as a plain `str` (its own cells are named tuples), so the
        rows, spans and everything else of the sheet are still XlsxWriter's.
        """
        line, number, styles = self.table[row], str(row + 1), self._styles
        first = last = -1
        for at, (value, fmt) in enumerate(cells, col):
            if value is None and fmt is None:
                continue
            style = styles.get(fmt)
            if style is None:
                style = styles[fmt] = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
            line[at] = self._element(_letters(at) + number, style, value)
            first, last = (at if first < 0 else first), at
        if first >= 0 and (self._check_dimensions(row, first) or self._check_dimensions(row, last)):
            raise ValueError(f"cells of row {row} from column {col} lie outside the worksheet")

    def _element(self, ref: str, style: str, value: Value | Formula) -> str:
        kind = type(value)
        if kind is str:
            return f'<c r="{ref}"{style} t="s"><v>{self._shared(value)}</v></c>'
        if kind is Formula:
            return f'<c r="{ref}"{style}><f{value.attributes}>{value.xml}</f><v></v></c>'  # type: ignore[union-attr]
        if value is None:
            return f'<c r="{ref}"{style}/>'
        if isinstance(value, bool):
            return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)) and math.isfinite(value):
            return f'<c r="{ref}"{style}><v>{value:.16G}</v></c>'
        return f'<c r="{ref}"{style} t="s"><v>{self._shared(str(value))}</v></c>'

    def write_across(self, row: int, col: int, pattern: FormulaPattern, count: int, fmt: Format | None) -> None:
        """`pattern` at each of `count` columns of a row from `col`, stored as Excel stores a
        formula filled right: one shared formula, written out in the first cell, which the
        others refer to (each spreadsheet shifts its relative columns). The pattern's `COLUMN`
        must stand only where a relative column reference goes."""
        if count <= 1:
            self.write_cells(row, col, [(pattern.at(_letters(col)), fmt)] * count)
            return
        index, self._shared_formulas = self._shared_formulas, self._shared_formulas + 1
        span = f"{_letters(col)}{row + 1}:{_letters(col + count - 1)}{row + 1}"
        first = Formula(pattern.at(_letters(col)).xml, f' t="shared" ref="{span}" si="{index}"')
        follower = Formula("", f' t="shared" si="{index}"')
        self.write_cells(row, col, [(first, fmt)] + [(follower, fmt)] * (count - 1))

    def _shared(self, text: str) -> int:
        """The shared-string index of a text made `storable`. A text already in the table is
        storable (`storable` keeps what it gave back), which spares most texts the check."""
        table = self.str_table
        return table._get_shared_string_index(text if text in table.string_table else storable(text))

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        if type(cell) is str:
            self.fh.write(cell)
        else:
            super()._write_cell(row, col, cell)


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula as the sheet XML stores it: no leading "=", XML-escaped (`ClassicFormulaSheet.formula`)."""

    xml: str
    #: attributes of its `<f>` element: those of a shared formula (`write_across`), else none
    attributes: str = ""


#: A cell for `write_cells`: a value or a formula, and its format.
Cell = tuple["Value | Formula", "Format | None"]

#: Stands for a column's letters in a `FormulaPattern`.
COLUMN = "\0"


class FormulaPattern:
    """One formula for many columns, prepared once: `at("E")` puts a column's letters wherever
    the text had `COLUMN` (f"=ISBLANK({COLUMN}18)" at "E" is "=ISBLANK(E18)")."""

    def __init__(self, ws: ClassicFormulaSheet, text: str) -> None:
        self._parts = ws.formula(text).xml.split(COLUMN)

    def at(self, letters: str) -> Formula:
        return Formula(letters.join(self._parts))


_LETTERS: list[str] = []


def _letters(col: int) -> str:
    """Column letters, computed once per column."""
    while len(_LETTERS) <= col:
        _LETTERS.append(xl_col_to_name(len(_LETTERS)))
    return _LETTERS[col]


def _escape(text: str) -> str:
    """XML character data as XlsxWriter escapes a formula (quotes stay as they are)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def new_workbook(path: Path) -> Workbook:
    """A workbook whose generic `write` never guesses formulas, numbers or links from text, and
    whose worksheets store any text safely."""
    workbook = Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                    "strings_to_numbers": False})
    workbook.worksheet_class = ClassicFormulaSheet
    return workbook


class Styles:
    """The workbook's cell formats, made once (XlsxWriter formats belong to one workbook)."""

    def __init__(self, wb: Workbook) -> None:
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
        self.value = make(bg_color="#FFF9DB", **boxed)
        self.date = make(bg_color="#FFF9DB", num_format="dd/mm/yyyy", **boxed)
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
        self.input = make(bg_color="#FFF9DB", locked=False, text_wrap=True, **boxed)
        self._inputs = {"date": make(bg_color="#FFF9DB", locked=False, num_format="dd/mm/yyyy", **boxed),
                        "percent": make(bg_color="#FFF9DB", locked=False, num_format="0.##", **boxed)}
        self.error_fill = wb.add_format({"bg_color": "#F8CBAD"})
        self.missing_fill = wb.add_format({"bg_color": "#FFE699"})
        self.row_flag_fill = wb.add_format({"bg_color": "#FCE4D6"})


    def input_for(self, kind: str) -> Format:
        """An unlocked input cell, formatted for the row's kind (dates, percentages)."""
        return self._inputs.get(kind, self.input)


def write_value(ws: ClassicFormulaSheet, row: int, col: int, value: Value, fmt: Format | None = None) -> None:
    """A value by its type; text always as a string (never a formula), blanks stay blank."""
    ws.write_cells(row, col, [(value, fmt)])


def write_formula(ws: ClassicFormulaSheet, row: int, col: int, formula: str, fmt: Format | None = None) -> None:
    """A formula with an empty cached result, so every spreadsheet computes it on opening."""
    ws.write_cells(row, col, [(ws.formula(formula), fmt)])


#: XlsxWriter's names for the validation types and operators of `template.InputRule`.
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


def print_landscape(ws: Worksheet, fit_width: bool = True) -> None:
    """A4 landscape, page numbers in the footer, all columns on one page width if asked."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_footer("&CTrang &P / &N")
    if fit_width:
        ws.fit_to_pages(1, 0)
