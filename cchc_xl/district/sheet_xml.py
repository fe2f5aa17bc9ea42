"""The district workbook's bulk cells as sheet XML, spliced into the package XlsxWriter wrote.

A province's district workbook holds hundreds of thousands of cells, most of them live rule
formulas. Through XlsxWriter's public `write_formula` each one costs about 70 µs (its formula
rewriting for newer Excel functions, a cell record, its XML at closing): ten seconds for a
thousand communes. So the bulk cells are kept here as plain (style, value) pairs and written as
SpreadsheetML, the Office Open XML format (ECMA-376 part 1, §18.3), by this module, while
XlsxWriter's public API still writes everything else: formats, column widths, merges,
validation, comments, conditional formats, print setup.

After XlsxWriter has closed its package, `rewrite_package` copies it part by part; a worksheet
holding bulk cells gets them merged, row by row and column by column, into the `<sheetData>`
XlsxWriter wrote (a cell written both ways is an error, not a silent choice), and its
`<dimension>` recomputed. Formats are XlsxWriter's: each format a sheet's bulk cells use is
written once, through the public `write_blank`, to one of its bulk cells (the probe) when the
book closes; the style index XlsxWriter gave it is read back from its output, and the bulk cell
takes the probe's place.

Texts are stored inline (`t="inlineStr"`), so XlsxWriter's shared-string table stays its own.
Every formula is stored with an empty cached result, so Excel and LibreOffice compute it when
the file opens; only functions of Excel 2007 are accepted (`CLASSIC_FUNCTIONS`), which need no
`_xlfn.` prefix in the file.
"""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Iterator, Union

from cchc_xl.common.cells import column_index, column_letters
from cchc_xl.forms.numbers import Value

#: The last row and column of a worksheet (0-based).
MAX_ROW, MAX_COLUMN = 1_048_575, 16_383

#: The functions our formulas call: all in Excel 2007, none stored with an `_xlfn.` prefix.
CLASSIC_FUNCTIONS = frozenset({
    "ABS", "AND", "AVERAGE", "CONCATENATE", "COUNT", "COUNTA", "COUNTBLANK", "COUNTIF", "COUNTIFS", "DATE", "DAY",
    "FIND", "HYPERLINK", "IF", "IFERROR", "INDEX", "INT", "ISBLANK", "ISERROR", "ISNUMBER", "ISTEXT", "LEFT", "LEN",
    "MATCH", "MAX", "MID", "MIN", "MOD", "MONTH", "NOT", "OR", "RIGHT", "ROUND", "SEARCH", "SUBSTITUTE", "SUM",
    "SUMIF", "SUMIFS", "SUMPRODUCT", "TEXT", "TRIM", "VALUE", "YEAR"})
_CALL = re.compile(r"([A-Za-z_][\w.]*)\(")
#: Characters XML 1.0 cannot hold (or, for CR, would not keep), stored as Excel's `_xHHHH_`.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
#: Text that reads as Excel's escape: its underscore is itself escaped.
_ESCAPE_LIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ROW = re.compile(rb'<row r="(\d+)"([^>]*?)(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(rb'<c r="([A-Z]+)\d+"[^>]*?(?:/>|>.*?</c>)', re.S)
_SPANS = re.compile(rb' spans="[^"]*"')
_STYLE = re.compile(rb' s="(\d+)"')
_SHEET_DATA = re.compile(rb"<sheetData(?:/>|>(.*)</sheetData>)", re.S)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula as the sheet XML stores it: no leading "=", XML-escaped (`formula`)."""

    xml: str
    #: attributes of its `<f>` element: those of a shared formula, else none
    attributes: str = ""


def formula(text: str) -> Formula:
    """A formula ("=SUM(D8:H8)") ready to store. Array formulas and functions newer than Excel
    2007 are refused: the file would need what only XlsxWriter's `write_formula` writes."""
    body = text[1:] if text.startswith("=") else text
    newer = sorted(set(_CALL.findall(body)) - CLASSIC_FUNCTIONS)
    if body.startswith("{") or newer:
        raise ValueError(f"not an Excel 2007 formula ({', '.join(newer) or 'array'}): {text}")
    return Formula(_escape(body))


#: Stands for a column's letters in a `FormulaPattern`.
COLUMN = "\0"


class FormulaPattern:
    """One formula for many columns, prepared once: `at("E")` puts a column's letters wherever
    the text had `COLUMN` (f"=ISBLANK({COLUMN}18)" at "E" is "=ISBLANK(E18)")."""

    def __init__(self, text: str) -> None:
        self._parts = formula(text).xml.split(COLUMN)

    def at(self, letters: str) -> Formula:
        return Formula(letters.join(self._parts))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_element(text: str) -> str:
    """An inline string's `<is>` element, keeping every character (`_xHHHH_` for controls)."""
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    text = _escape(_CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text))
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<is><t{space}>{text}</t></is>"


def cell_tail(style: str, value: Value | Formula) -> str:
    """A `<c>` element from the quote that closes its reference on: a number, a boolean, an
    inline text, a blank or a formula with an empty cached result. `style` is the ` s="…"`
    attribute, or empty. A number that is not finite is stored as its text, which no
    spreadsheet mistakes for a figure. The reference is left out so that a run of equal cells
    (a shared formula's followers) shares one tail and a row puts each cell's reference in."""
    kind = type(value)
    if kind is str:
        return f'"{style} t="inlineStr">{text_element(value)}</c>'  # type: ignore[arg-type]
    if kind is Formula:
        return f'"{style}><f{value.attributes}>{value.xml}</f><v></v></c>'  # type: ignore[union-attr]
    if value is None:
        return f'"{style}/>'
    if isinstance(value, bool):
        return f'"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)) and math.isfinite(value):
        return f'"{style}><v>{value:.16G}</v></c>'
    return f'"{style} t="inlineStr">{text_element(str(value))}</c>'


#: A bulk cell as a sheet keeps it: its format's probe column (-1: no format) and its value.
Stored = tuple[int, Union[Value, Formula]]


@dataclass
class SheetCells:
    """A worksheet's bulk cells, row → column → `Stored` (a later write replaces an earlier),
    and for each style one of its cells, the probe `splice` reads the style's index from."""

    rows: dict[int, dict[int, Stored]] = field(default_factory=dict)
    _probes: dict[int, tuple[int, int]] = field(default_factory=dict)

    def put(self, row: int, col: int, cells: list[Stored | None]) -> None:
        """Consecutive cells of a row from `col` on; None leaves its cell as it is."""
        if not (0 <= row <= MAX_ROW and 0 <= col and col + len(cells) - 1 <= MAX_COLUMN):
            raise ValueError(f"cells of row {row} from column {col} lie outside the worksheet")
        line = self.rows.get(row)
        if line is None:
            line = self.rows[row] = {}
        probes = self._probes
        for at, stored in enumerate(cells, col):
            if stored is not None:
                line[at] = stored
                if stored[0] not in probes and stored[0] >= 0:
                    probes[stored[0]] = (row, at)

    def probes(self) -> dict[int, tuple[int, int]]:
        """Style → the cell to probe it at: one of the style's cells (a later write may have
        given the first one another style)."""
        moved = [style for style, (row, col) in self._probes.items() if self.rows[row][col][0] != style]
        for style in moved:
            del self._probes[style]
        for row, line in self.rows.items() if moved else ():
            for col, (style, _) in line.items():
                if style in moved and style not in self._probes:
                    self._probes[style] = (row, col)
        return dict(self._probes)


#: How hard every part of the package is deflated: the spliced sheets' XML (11 MB for a thousand
#: communes) shrinks 15-fold at level 1 in 30 ms, a higher level gains a tenth more for twice the
#: time; XlsxWriter's own parts (comments, charts: 2.7 MB) take 5 ms instead of 13 at zlib's
#: default level, for 30 KB more.
DEFLATE_LEVEL = 1


def rewrite_package(source: IO[bytes], target: Path, sheets: dict[str, SheetCells]) -> None:
    """Copy the package XlsxWriter wrote to `target`, each named sheet's bulk cells spliced in;
    a failed copy leaves no file behind."""
    try:
        with zipfile.ZipFile(source) as package, \
                zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=DEFLATE_LEVEL) as out:
            parts = {part: sheets[name] for name, part in sheet_parts(package).items()
                     if name in sheets and sheets[name].rows}
            for info in package.infolist():
                _copy(package, info, parts.get(info.filename), out)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _copy(package: zipfile.ZipFile, info: zipfile.ZipInfo, cells: SheetCells | None, out: zipfile.ZipFile) -> None:
    if cells is None:
        out.writestr(info, package.read(info), zipfile.ZIP_DEFLATED, DEFLATE_LEVEL)
        return
    with out.open(info.filename, "w") as stream:  # deflated at the archive's level
        for chunk in splice(package.read(info), cells):
            stream.write(chunk)


def sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the package, as the workbook and its relationships declare."""
    targets = {rel.get("Id"): rel.get("Target", "") for rel in ET.fromstring(package.read("xl/_rels/workbook.xml.rels"))}
    sheets = ET.fromstring(package.read("xl/workbook.xml")).iter(f"{_MAIN}sheet")
    parts = {}
    for sheet in sheets:
        target = targets[sheet.get(_REL_ID)]
        parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
    return parts


def splice(xml: bytes, cells: SheetCells) -> Iterator[bytes]:
    """A worksheet's XML with the bulk cells merged into its rows, streamed a row at a time.
    Each probe cell XlsxWriter wrote gives its style's index and gives way to the bulk cell."""
    data = _SHEET_DATA.search(xml)
    if data is None:
        raise ValueError("worksheet without sheetData")
    theirs = {int(m.group(1)) - 1: (_SPANS.sub(b"", m.group(2)), _cells(m.group(3) or b""))
              for m in _ROW.finditer(data.group(1) or b"")}
    styles = {-1: ""}
    for style, (row, col) in cells.probes().items():
        found = _STYLE.search(theirs[row][1].pop(col))
        styles[style] = f' s="{found.group(1).decode()}"' if found else ""
    rows = sorted(theirs.keys() | cells.rows.keys())
    bounds = _bounds(rows, theirs, cells)
    head = xml[:data.start()]
    yield _DIMENSION.sub(f'<dimension ref="{_dimension(bounds)}"/>'.encode(), head, count=1)
    yield b"<sheetData>"
    render = _Render(styles, [column_letters(col) for col in range(bounds[2] + 1 if bounds else 0)], {})
    for row in rows:
        yield _row_xml(row, theirs.get(row, (b"", {})), cells.rows.get(row, {}), render)
    yield b"</sheetData>" + xml[data.end():]


def _cells(xml: bytes) -> dict[int, bytes]:
    """A row's cell elements by column."""
    return {column_index(m.group(1)): m.group(0) for m in _CELL.finditer(xml)}


#: Kinds of value whose cells repeat across a sheet (a source cell's name, a figure), so each
#: distinct cell's tail is written once. Zero is left out: 0.0 and -0.0 are equal keys.
_REPEATING = frozenset({str, float})


@dataclass(frozen=True, slots=True)
class _Render:
    """What every row of a sheet is written with, worked out once for the sheet: each style's
    attribute, each column's letters, and the tails of the `_REPEATING` cells written so far."""

    styles: dict[int, str]
    letters: list[str]
    tails: dict[Stored, str]


def _row_xml(row: int, theirs: tuple[bytes, dict[int, bytes]], ours: dict[int, Stored], render: _Render) -> bytes:
    """A row's XML, XlsxWriter's cells and the bulk cells in column order."""
    attributes, written = theirs
    number = str(row + 1)
    columns = sorted(ours)
    cells = _bulk_elements(number, columns, ours, render)
    if written:
        both = written.keys() & ours.keys()
        if both:
            raise ValueError(f"cell {column_letters(min(both))}{number} written both as a bulk cell and through XlsxWriter")
        cells = [xml for _, xml in sorted([*zip(columns, cells), *((col, xml.decode()) for col, xml in written.items())])]
    opening = f'<row r="{number}"{attributes.decode()}'
    return (opening + (">" + "".join(cells) + "</row>" if cells else "/>")).encode()


def _bulk_elements(number: str, columns: list[int], ours: dict[int, Stored], render: _Render) -> list[str]:
    """The `<c>` elements of a row's bulk cells at `columns`. Consecutive cells holding the same
    `Stored` (a shared formula's followers, `write_across`) share one tail, and a cell equal to
    one written before (`_REPEATING`) takes its tail."""
    letters, styles, tails = render.letters, render.styles, render.tails
    elements, previous, tail = [], None, ""
    for col in columns:
        stored = ours[col]
        if stored is not previous:
            previous, value = stored, stored[1]
            if type(value) in _REPEATING and value:
                tail = tails.get(stored)  # type: ignore[assignment]
                if tail is None:
                    tail = tails[stored] = cell_tail(styles[stored[0]], value)
            else:
                tail = cell_tail(styles[stored[0]], value)
        elements.append(f'<c r="{letters[col]}{number}{tail}')
    return elements


def _bounds(rows: list[int], theirs: dict[int, tuple[bytes, dict[int, bytes]]],
            cells: SheetCells) -> tuple[int, int, int, int] | None:
    """The first and last column and row (left, top, right, bottom) holding a cell, if any."""
    left, right, top, bottom = MAX_COLUMN, -1, -1, -1
    for row in rows:
        for columns in (theirs[row][1] if row in theirs else {}), cells.rows.get(row, {}):
            if columns:
                left, right = min(left, min(columns)), max(right, max(columns))
                top, bottom = (row if top < 0 else top), row
    return (left, top, right, bottom) if right >= 0 else None


def _dimension(bounds: tuple[int, int, int, int] | None) -> str:
    """The range the sheet's cells span ("A1" for a sheet without any)."""
    if bounds is None:
        return "A1"
    left, top, right, bottom = bounds
    start, end = f"{column_letters(left)}{top + 1}", f"{column_letters(right)}{bottom + 1}"
    return start if start == end else f"{start}:{end}"
