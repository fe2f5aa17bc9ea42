"""The reporting unit and period of a file that has no meta sheet: from its title, or its name.

Best effort on the texts printed above (or around) the table: "CỦA UBND XÃ HOẰNG LƯU",
"Kỳ báo cáo: Quý II năm 2023", "6 tháng đầu năm 2023", "NĂM 2022". Periods are searched in
label keys (diacritics stripped, the extraction's fragile letters blanked) so a broken "qu  II"
still reads; a date line ("ngày 12 tháng 6 năm 2023") is no period.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from cchc_xl.forms.periods import Period
from cchc_xl.read.matching import label_key

_UNIT = re.compile(
    r"(?:UBND|[ỦU]Y BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(XÃ|PHƯỜNG|THỊ TRẤN)\s+([^\W\d_][^\n,;:()/\-–.]*)",
    re.IGNORECASE)
_NAME_END = re.compile(r"\s+(?:năm|quý|huyện|tỉnh|thị xã|thành phố|tp|về|kỳ|báo cáo)\b.*$", re.IGNORECASE)
_KINDS = {"xã": "Xã", "phường": "Phường", "thị trấn": "Thị trấn"}

_DATE_PHRASE = re.compile(r"\bngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+20\d\d\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PATTERNS = (
    (re.compile(r"\bquy?\s*(iv|iii|ii|i|[1-4])\b[^0-9]{0,20}?(20\d\d)\b"), "Q"),
    (re.compile(r"\b(6|9|sau|chin)\s+thang\b[^0-9]{0,30}?(20\d\d)\b"), "T"),
    (re.compile(r"\bnam\s+(20\d\d)\b"), "N"),
)
_FILE_PERIOD = re.compile(r"(?<!\d)(20\d\d)[-_ ]?(Q[1-4]|6T|9T)(?![0-9A-Za-z])", re.IGNORECASE)
_FILE_UNIT = re.compile(r"^(Xã|Phường|Thị_trấn|Thị trấn)[_ ](.+?)[_ ]20\d\d", re.IGNORECASE)


def find_unit(texts: Iterable[str]) -> str | None:
    """"UBND XÃ HOẰNG LƯU" → "Xã Hoằng Lưu"; the first unit named in the texts."""
    for text in texts:
        match = _UNIT.search(unicodedata.normalize("NFC", text))
        if match:
            name = _NAME_END.sub("", match.group(2)).strip()
            if name:
                return f"{_KINDS[match.group(1).lower()]} {name.title()}"
    return None


def find_period(texts: Iterable[str]) -> Period | None:
    """The earliest period phrase in the texts: a quarter, 6 or 9 months, or a year."""
    for text in texts:
        key = _DATE_PHRASE.sub(" ", label_key(text))
        hits = [(m.start(), kind, m) for pattern, kind in _PATTERNS if (m := pattern.search(key))]
        if hits:
            _, kind, match = min(hits, key=lambda h: h[0])
            return _period(kind, match)
    return None


def _period(kind: str, match: re.Match[str]) -> Period:
    if kind == "Q":
        return Period(int(match.group(2)), f"Q{_ROMAN[match.group(1)]}")
    if kind == "T":
        months = "6T" if match.group(1) in ("6", "sau") else "9T"
        return Period(int(match.group(2)), months)
    return Period(int(match.group(1)), "N")


def from_file_name(name: str) -> tuple[str | None, Period | None]:
    """Unit and period from a name such as "Xã_Hoằng_Lưu_2023-Q2.xlsx" (what `template` writes).

    A bare year is no period here: "…_2023.xlsx" may hold any quarter of 2023.
    """
    stem = unicodedata.normalize("NFC", name.rsplit(".", 1)[0])
    unit_match = _FILE_UNIT.match(stem)
    unit = None
    if unit_match:
        kind = unit_match.group(1).replace("_", " ").lower()
        unit = f"{_KINDS[kind]} {unit_match.group(2).replace('_', ' ').strip()}"
    period_match = _FILE_PERIOD.search(stem)
    if period_match:
        return unit, Period(int(period_match.group(1)), period_match.group(2).upper())
    return unit, find_period([re.sub(r"[_\-.]+", " ", stem)])
