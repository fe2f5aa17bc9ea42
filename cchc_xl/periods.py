"""Reporting periods: a quarter, the cumulative 6 or 9 months, or the year.

Written as on the command line: ``2023-Q2``, ``2023-6T`` (6 tháng), ``2023-9T``, ``2023`` (năm).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PATTERN = re.compile(r"^\s*(\d{4})(?:\s*-\s*(Q[1-4]|6T|9T))?\s*$", re.IGNORECASE)
#: Last month covered by each period kind; the year is "N" (năm).
_END_MONTH = {"Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12, "6T": 6, "9T": 9, "N": 12}


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str  # Q1..Q4, 6T, 9T or N

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = _PATTERN.match(str(text))
        if not match:
            raise PeriodError(
                f"Kỳ báo cáo {text!r} không hợp lệ: dùng 2023-Q1 … 2023-Q4, 2023-6T, 2023-9T hoặc 2023"
            )
        return cls(int(match.group(1)), (match.group(2) or "N").upper())

    @property
    def key(self) -> str:
        return str(self.year) if self.kind == "N" else f"{self.year}-{self.kind}"

    @property
    def label(self) -> str:
        """Vietnamese name as printed in report titles."""
        if self.kind.startswith("Q"):
            return f"Quý {_ROMAN[int(self.kind[1])]} năm {self.year}"
        if self.kind == "N":
            return f"Năm {self.year}"
        return f"{self.kind[0]} tháng năm {self.year}"

    @property
    def start(self) -> dt.date:
        if self.kind.startswith("Q"):
            return dt.date(self.year, _END_MONTH[self.kind] - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        month = _END_MONTH[self.kind]
        next_month = dt.date(self.year + month // 12, month % 12 + 1, 1)
        return next_month - dt.timedelta(days=1)

    def __str__(self) -> str:
        return self.key
