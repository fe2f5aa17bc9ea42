"""How far an .ods's sheets reach, measured in its content.xml before calamine parses it.

OpenDocument compresses a sheet's emptiness by repetition: a row or a cell stands for
`number-rows-repeated` rows or `number-columns-repeated` cells. calamine expands the rectangle
from A1 to the farthest cell holding something, up to a hundred million cells (gigabytes), so a
small file repeating a number over a million rows would exhaust the memory. The same bound as
for a workbook's sheet applies (`MAX_SHEET_CELLS`): the tags are walked with their repetitions
as calamine places them, and a cell counts once it holds a value or text.
"""
from __future__ import annotations

import html
import re

from cchc_xl.read.xlsx_package import MAX_SHEET_CELLS, sheet_too_large

_PREFIX = rb"(?:[\w.-]+:)?"
#: A sheet, row or cell tag (opening, closing or empty) with its attributes.
_TAG = re.compile(rb"<(/?)" + _PREFIX + rb"(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>")
_REPEATED = re.compile(rb"number-(?:rows|columns)-repeated\s*=\s*[\"']\s*(\d{1,12})\s*[\"']")
_NAME = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VALUE = re.compile(rb"value-type\s*=")


def check_content(name: str, content: bytes) -> None:
    """Refuse (`ReadError`) content.xml when a sheet's used rectangle holds too many cells."""
    sheet, row, col, repeat = "", 0, 0, 1
    last_row = last_col = -1
    for closing, tag, attributes, empty in _TAG.findall(content):
        if tag == b"table":
            if not closing:
                sheet, row, last_row, last_col = _sheet_name(attributes), 0, -1, -1
        elif tag == b"table-row":
            if closing:
                row += repeat
            else:
                col, repeat = 0, _repeated(attributes)
                row += repeat if empty else 0
        elif not closing:
            width = _repeated(attributes)
            if not empty or _VALUE.search(attributes):
                last_row, last_col = max(last_row, row + repeat - 1), max(last_col, col + width - 1)
                if (last_row + 1) * (last_col + 1) > MAX_SHEET_CELLS:
                    raise sheet_too_large(name, sheet, last_row, last_col)
            col += width


def _repeated(attributes: bytes) -> int:
    found = _REPEATED.search(attributes)
    return max(1, int(found.group(1))) if found else 1


def _sheet_name(attributes: bytes) -> str:
    found = _NAME.search(attributes)
    return html.unescape((found.group(1) or found.group(2)).decode("utf-8", "replace")) if found else ""
