"""Reporting periods: a quarter, the cumulative 6 or 9 months, or the year, and their deadlines.

Written as on the command line: ``2023-Q2``, ``2023-6T`` (6 tháng), ``2023-9T``, ``2023`` (năm).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from cchc_xl.forms.config import ConfigError, load_config

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PATTERN = re.compile(r"^\s*(\d{4})(?:\s*-\s*(Q[1-4]|6T|9T))?\s*$", re.IGNORECASE)
#: Last month covered by each period kind; the year is "N" (năm).
_END_MONTH = {"Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12, "6T": 6, "9T": 9, "N": 12}
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


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

    @property
    def is_quarter(self) -> bool:
        return self.kind in QUARTERS

    @property
    def quarters(self) -> tuple["Period", ...]:
        """The quarters a period covers: itself, or Q1 up to its last month (6T -> Q1, Q2)."""
        if self.is_quarter:
            return (self,)
        return tuple(Period(self.year, q) for q in QUARTERS[:_END_MONTH[self.kind] // 3])

    @property
    def previous(self) -> "Period":
        """The period a value is compared with: the quarter before, or the same kind a year ago."""
        if not self.is_quarter:
            return Period(self.year - 1, self.kind)
        index = QUARTERS.index(self.kind)
        return Period(self.year, QUARTERS[index - 1]) if index else Period(self.year - 1, "Q4")

    def __str__(self) -> str:
        return self.key


class Deadlines:
    """When each kind of period is due: a report is on time when it arrives before that day."""

    def __init__(self, table: dict[str, str]) -> None:
        self.days: dict[str, tuple[int, int]] = {}
        for kind in _END_MONTH:
            text = table.get(kind)
            if text is None:
                raise ConfigError(f"Thiếu hạn nộp cho kỳ {kind} trong bảng [deadlines].")
            self.days[kind] = _month_day(kind, str(text))

    @classmethod
    def load(cls, path: Path | str | None = None) -> "Deadlines":
        """The shipped deadlines (seed 004), or those of a settings file's [deadlines] table."""
        return cls(load_config(path)["deadlines"])

    def due_before(self, period: Period) -> dt.date:
        """The configured month and day nearest the period's end: in the period's year (reports
        are often due before it ends: Q1 before 12 March) or the next (the year by 15 January)."""
        month, day = self.days[period.kind]
        candidates = (dt.date(period.year, month, day), dt.date(period.year + 1, month, day))
        return min(candidates, key=lambda due: abs((due - period.end).days))

    def on_time(self, period: Period, sent: dt.date) -> bool:
        return sent < self.due_before(period)


def _month_day(kind: str, text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{1,2})-(\d{1,2})\s*", text)
    try:
        if match is None:
            raise ValueError(text)
        month, day = int(match.group(1)), int(match.group(2))
        dt.date(2023, month, day)  # a day every year has (no 02-29)
    except ValueError:
        raise ConfigError(f"Hạn nộp kỳ {kind} = {text!r} không hợp lệ: dùng dạng tháng-ngày, "
                          "ví dụ \"03-12\" (trước ngày 12 tháng 3).") from None
    return month, day
