"""The single definition of what a cell value is and how a number reads in a message.

Both renderings of a rule depend on it: `checks` classifies values with `kind_of` and formats
numbers with `general`, imitating the spreadsheet's General format used when a number is
joined to text (LibreOffice, the engine our tests recalculate with).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Literal, Union

Value = Union[None, float, int, str, bool]
ValueKind = Literal["blank", "number", "text", "bool"]

#: Two sums closer than this are equal (absorbs binary rounding of decimal inputs).
TOLERANCE = 1e-6


def cell_value(raw: object) -> Value:
    """Normalise what openpyxl/calamine return for a cell into the rules' value domain.

    Dates, times and durations ([h]:mm cells) become spreadsheet serial numbers (what a formula
    sees); an empty string is blank, as a spreadsheet stores no empty text cell.
    """
    if isinstance(raw, dt.datetime | dt.date | dt.time):
        return serial(raw)
    if isinstance(raw, dt.timedelta):
        return raw / dt.timedelta(days=1)
    if raw == "":
        return None
    return raw  # type: ignore[return-value]


def kind_of(value: Value) -> ValueKind:
    """Classify a value the way ISBLANK / ISNUMBER / ISTEXT do."""
    if value is None:
        return "blank"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "text"


def is_number(value: Value) -> bool:
    """ISNUMBER: an int or float, not a boolean (plain types first: rules ask it very often)."""
    return type(value) in PLAIN_NUMBERS or (isinstance(value, (int, float)) and not isinstance(value, bool))


#: The types a read cell's number has; `type(v) in PLAIN_NUMBERS` is the fast test (bool is
#: a subclass of int, not one of these).
PLAIN_NUMBERS = frozenset((float, int))


def general(x: float) -> str:
    """Format a number as General format does when joined to text ("625", "47.37", "1E+020").

    Up to 15 significant digits; scientific notation from 1E+016 up, below 1E-005, and for
    16-digit numbers with a fraction (as LibreOffice does).
    """
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return str(x)
    magnitude = abs(x)
    if 1e15 <= magnitude < 1e16 and x.is_integer():
        return str(int(x))
    if 1e-5 <= magnitude < 1e15:
        digits = max(0, 14 - math.floor(math.log10(magnitude)))
        text = f"{float(f'{x:.15g}'):.{digits}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    mantissa, exponent = f"{x:.14E}".split("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    sign, digits = exponent[0], exponent[1:].lstrip("0")
    return f"{mantissa}E{sign}{digits.zfill(3)}"


def to_text(value: Value) -> str:
    """A value as the `&` operator shows it."""
    kind = kind_of(value)
    if kind == "blank":
        return ""
    if kind == "bool":
        return "TRUE" if value else "FALSE"
    if kind == "number":
        return general(float(value))  # type: ignore[arg-type]
    return str(value)


#: Day 0 of the 1900 date system Excel and LibreOffice files use (serials from 61 on).
_EPOCH = dt.datetime(1899, 12, 30)


def serial(moment: dt.datetime | dt.date | dt.time) -> float:
    """A date, time or moment as the spreadsheet's serial number. Before 1 March 1900 a date
    is one less: Excel counts a 29 February 1900 that never was (serial 60)."""
    if isinstance(moment, dt.time):
        return _day_fraction(moment)
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    days = (moment - _EPOCH).days
    return float(days - (1 if 0 < days <= 60 else 0)) + _day_fraction(moment.time())


def _day_fraction(time: dt.time) -> float:
    return (time.hour * 3600 + time.minute * 60 + time.second + time.microsecond / 10**6) / 86400


def serial_date(year: int, month: int, day: int) -> float:
    return serial(dt.date(year, month, day))


def date_of(number: float) -> dt.date:
    """The day a serial number falls on (its time rounded to the millisecond, as readers do)."""
    day, fraction = divmod(number, 1)
    day += 1 if 0 < number < 60 else 0
    return (_EPOCH + dt.timedelta(days=day, milliseconds=round(fraction * 86_400_000))).date()


_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.145 / 12.345.678 / 1.690,5
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")           # 47,37
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")                # 03 / 12.5


def parse_number(text: str) -> float | None:
    """Read a number typed the Vietnamese way ("1.145" → 1145, "47,37" → 47.37, "1.690,5" →
    1690.5, "100%" → 100).

    Returns None when the text is not a number, so the caller can report it instead of
    silently reading 0; so is a number too large for a spreadsheet ("9" × 400 would be inf).
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    if _GROUPED.match(cleaned):
        number = float(cleaned.replace(".", "").replace(",", "."))
    elif _DECIMAL_COMMA.match(cleaned):
        number = float(cleaned.replace(",", "."))
    elif _PLAIN.match(cleaned):
        number = float(cleaned)
    else:
        return None
    return number if math.isfinite(number) else None
