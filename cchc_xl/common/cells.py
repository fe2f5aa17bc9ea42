"""Cell addresses: column letters and back, as every sheet reader and writer spells them.

One small module instead of each library's helper, so a command that only reads values or
writes the district workbook does not load openpyxl for its address arithmetic.
"""
from __future__ import annotations

import re

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([1-9][0-9]*)")
_LETTERS: list[str] = []


def column_letters(col: int) -> str:
    """A 0-based column's letters (0 → "A", 16383 → "XFD"), each computed once."""
    while len(_LETTERS) <= col:
        n, name = len(_LETTERS) + 1, ""
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        _LETTERS.append(name)
    return _LETTERS[col]


def column_index(letters: str | bytes) -> int:
    """The 0-based column of its letters ("A" → 0, b"XFD" → 16383)."""
    col = 0
    for code in letters.upper().encode() if isinstance(letters, str) else letters:
        col = col * 26 + code - 64
    return col - 1


def cell_index(ref: str) -> tuple[int, int]:
    """0-based (row, column) of an address such as "F5" or "$F$5"."""
    match = _REF.fullmatch(ref)
    if match is None:
        raise ValueError(f"not a cell address: {ref!r}")
    return int(match.group(2)) - 1, column_index(match.group(1))


def cell_ref(row: int, col: int) -> str:
    """The address of a 0-based (row, column): (4, 5) → "F5"."""
    return f"{column_letters(col)}{row + 1}"


def absolute_ref(row: int, col: int) -> str:
    """The absolute address of a 0-based (row, column): (4, 5) → "$F$5"."""
    return f"${column_letters(col)}${row + 1}"
