"""Completeness and timeliness: against the expected units, who sent the period's report, who
did not, and who was late.

A file's unit and period come from `reader.read_submission`; its date is the report date typed
in the workbook (template cell "Ngày gửi báo cáo") when there is one, else the file's
modification date, which copying or downloading can move. A unit is on time when its earliest
file for the period is dated before the deadline (`periods.Deadlines`).

`assess` decides from files already read, so `cchc-xl status` (a folder) and the district
workbook's `Tình hình nộp` sheet (the files consolidated) say the same thing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from cchc_xl.forms.periods import Deadlines, Period
from cchc_xl.read.inputs import (
    LOCK_PREFIX,
    WORKBOOK_SUFFIXES,
    Sent,
    Unreadable,
    read_all,
    sent_record,
)
from cchc_xl.read.units import unit_key, unit_list

STATES = {"on_time": "Đúng hạn", "late": "Trễ hạn", "missing": "Chưa nộp"}


@dataclass
class UnitStatus:
    unit: str
    state: str  # a key of STATES
    date: dt.date | None = None
    date_source: str | None = None
    files: list[str] = field(default_factory=list)


@dataclass
class StatusReport:
    period: Period
    due_before: dt.date
    units: list[UnitStatus]
    unexpected: list[Sent] = field(default_factory=list)    # the period's files of other units
    other_period: list[Sent] = field(default_factory=list)  # files of another period
    unreadable: list[dict[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 everyone on time, 1 someone missing or late, 2 a file could not be read."""
        if self.unreadable:
            return 2
        return 0 if all(u.state == "on_time" for u in self.units) else 1

    def as_dict(self) -> dict:
        def plain(item) -> dict:
            data = asdict(item)
            return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}
        return {"period": self.period.key, "due_before": self.due_before.isoformat(),
                "units": [plain(u) for u in self.units],
                "unexpected": [plain(s) for s in self.unexpected],
                "other_period": [plain(s) for s in self.other_period],
                "unreadable": self.unreadable}


def collect_status(folder: Path, period: Period, expected: list[str],
                   deadlines: Deadlines) -> StatusReport:
    """Every expected unit's state for `period`, from the workbooks directly in `folder`."""
    paths = sorted(p for p in Path(folder).iterdir()
                   if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith(LOCK_PREFIX))
    received, unreadable = read_all(paths)
    return assess([sent_record(r) for r in received], period, expected, deadlines, unreadable)


def assess(files: Iterable[Sent], period: Period, expected: Sequence[str], deadlines: Deadlines,
           unreadable: Sequence[Unreadable] = ()) -> StatusReport:
    """Match the files to the expected units and date each unit's report against the deadline."""
    report = StatusReport(period, deadlines.due_before(period), [])
    report.unreadable = [{"file": u.path.name, "message": u.message} for u in unreadable]
    units = unit_list(expected)
    keys = units.by_key()
    found: dict[str, list[Sent]] = {}
    for item in files:
        if item.period is not None and item.period != period.key:
            report.other_period.append(item)
            continue
        name = _match(item, keys)
        if name is None:
            report.unexpected.append(item)
        else:
            found.setdefault(name, []).append(item)
    for name in dict.fromkeys(n for k, n in keys.items() if k not in units.formerly):
        report.units.append(_state(name, found.get(name, []), deadlines, period))
    return report


def _match(sent: Sent, keys: dict[str, str]) -> str | None:
    """The expected unit a file belongs to: by its unit, else by its file name."""
    if sent.unit is not None:
        return keys.get(unit_key(sent.unit))
    stem = unit_key(Path(sent.file).stem)
    hits = {name for key, name in keys.items() if key and key in stem}
    return hits.pop() if len(hits) == 1 else None


def _state(name: str, files: list[Sent], deadlines: Deadlines, period: Period) -> UnitStatus:
    if not files:
        return UnitStatus(name, "missing")
    first = min(files, key=lambda s: s.date)
    state = "on_time" if deadlines.on_time(period, first.date) else "late"
    return UnitStatus(name, state, first.date, first.date_source, [s.file for s in files])
