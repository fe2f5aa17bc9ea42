"""What a district adds up from what a cell holds: number text read leniently, never a silent 0.

A Word paste or a hand-typed file holds "1.145", "47,37", "100%" or "30/12/2023" as text. The
reader keeps the raw value (what the live formulas see) and adds the reading here, with the kind
of problem to report, so no reading happens unannounced. A date row's text naming a document
("QĐ Số 252/QĐ-UBND ngày 30/12/2022") is kept as text: the date rule reads its date.
"""
from __future__ import annotations

import datetime as dt
import re

from cchc_xl.forms.catalog import Kind
from cchc_xl.forms.numbers import Value, parse_number, serial_date

_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")


def parse_value(value: Value, kind: Kind) -> tuple[Value, str | None]:
    """The value to consolidate and the problem kind its reading raises (None: nothing to say).

    Only numeric rows are read: text in a text row is its value. A date row's text is a date
    when it is nothing else ("30/12/2023"); any other text stays as written ("QĐ Số 252/QĐ-UBND
    ngày 30/12/2022": the document number is part of the answer), and the date rule reads the
    date in it, or flags a text naming none.
    """
    if not isinstance(value, str) or kind in ("text", "group"):
        return value, None
    if kind == "date":
        serial = parse_date_text(value)
        return (serial, "date_text") if serial is not None else (value, None)
    number = parse_number(value)
    if number is None:
        return value, "text"
    return number, "number_text"


def parse_date_text(text: str) -> float | None:
    """"30/12/2023" (day first, as written in Vietnam) as a spreadsheet serial, or None."""
    match = _DATE.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return serial_date(year, month, day)
