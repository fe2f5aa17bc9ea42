"""Lists of units (communes) and the file names derived from a unit's name.

Shared by the command line and the Excel button, so a template made either way gets the same
name and a list of communes is read the same way; `unit_key` is the one way every module
(consolidation, status, comparison with earlier periods) tells whether two names are one unit.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from cchc_xl.forms.periods import Period

#: Words a unit name may start with or not ("UBND xã Hoằng Lưu" = "Hoằng Lưu"), stripped in order.
_PREFIXES = ("ubnd", "ủy ban nhân dân", "xã", "thị trấn", "phường", "huyện", "thị xã")


def unit_key(name: str) -> str:
    """A unit name reduced for matching: Unicode form, case, spacing (or underscores, as in file
    names) and the "UBND xã" in front ignored."""
    key = re.sub(r"[\s_]+", " ", unicodedata.normalize("NFC", name)).strip().casefold()
    for prefix in _PREFIXES:
        if key.startswith(prefix + " "):
            key = key[len(prefix) + 1:]
    return key


def read_unit_names(path: Path) -> list[str]:
    """One unit per line; blank lines skipped; a UTF-8 byte-order mark (Notepad) tolerated."""
    return [line.strip() for line in Path(path).read_text("utf-8-sig").splitlines() if line.strip()]


def safe_file_name(name: str) -> str:
    """A unit name usable as a file name on Windows (diacritics kept, separators replaced)."""
    cleaned = "".join("_" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in name).strip(" .")
    return cleaned.replace(" ", "_")[:80] or "don_vi"


def template_file_name(unit: str, period: Period) -> str:
    """The blank appendix sent to one commune for one period, e.g. ``Xã_Hoằng_Lưu_2023-Q2.xlsx``."""
    return f"{safe_file_name(unit)}_{period.key}.xlsx"
