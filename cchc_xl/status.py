"""Completeness and timeliness: against the expected units, who sent the period's report, who
did not, and who was late.

A file's unit and period come from `reader.read_submission`; its date is the report date typed
in the workbook (template cell "Ngày gửi báo cáo") when there is one, else the file's
modification date, which copying or downloading can move. A unit is on time when its earliest
file for the period is dated before the deadline (`periods.Deadlines`).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from openpyxl import Workbook

from .periods import Deadlines, Period
from .reader import ReadError, read_submission
from .template import REPORT_DATE_NAME
from .xlsx_in import through_openpyxl

#: Words a unit name may start with or not ("UBND xã Hoằng Lưu" = "Hoằng Lưu").
_PREFIXES = ("ubnd", "ủy ban nhân dân", "xã", "thị trấn", "phường", "huyện", "thị xã")
STATES = {"on_time": "Đúng hạn", "late": "Trễ hạn", "missing": "Chưa nộp"}


@dataclass(frozen=True)
class Sent:
    """One workbook found in the folder."""

    file: str
    unit: str | None
    period: str | None
    date: dt.date
    date_source: str  # "workbook" (typed report date) or "file" (modification date)


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


def read_expected(path: Path) -> list[str]:
    """Unit names, one a line; blank lines and lines starting with # are skipped."""
    lines = (line.strip() for line in Path(path).read_text("utf-8-sig").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def unit_key(name: str) -> str:
    """A unit name reduced for matching: case, spacing, Unicode form and "UBND xã" ignored."""
    key = re.sub(r"[\s_]+", " ", unicodedata.normalize("NFC", name)).strip().casefold()
    for prefix in _PREFIXES:
        if key.startswith(prefix + " "):
            key = key[len(prefix) + 1:]
    return key


def collect_status(folder: Path, period: Period, expected: list[str],
                   deadlines: Deadlines) -> StatusReport:
    """Every expected unit's state for `period`, from the .xlsx files directly in `folder`."""
    report = StatusReport(period, deadlines.due_before(period), [])
    keys = {unit_key(name): name for name in expected}
    found: dict[str, list[Sent]] = {}
    for path in sorted(Path(folder).glob("*.xlsx")):
        if path.name.startswith(("~$", ".~")):
            continue
        try:
            sent = _sent(path)
        except ReadError as error:
            report.unreadable.append({"file": path.name, "message": str(error)})
            continue
        if sent.period is not None and sent.period != period.key:
            report.other_period.append(sent)
            continue
        name = _match(sent, keys)
        if name is None:
            report.unexpected.append(sent)
        else:
            found.setdefault(name, []).append(sent)
    for name in dict.fromkeys(keys.values()):
        report.units.append(_state(name, found.get(name, []), deadlines, period))
    return report


def _sent(path: Path) -> Sent:
    submission = read_submission(path)
    typed = report_date(path)
    date = typed or dt.date.fromtimestamp(path.stat().st_mtime)
    return Sent(path.name, submission.unit, submission.period.key if submission.period else None,
                date, "workbook" if typed else "file")


def report_date(path: Path) -> dt.date | None:
    """The report date typed in a workbook made from our template, if any."""
    return through_openpyxl(path, _typed_date, None, read_only=True, data_only=True)


def _typed_date(workbook: Workbook) -> dt.date | None:
    name = workbook.defined_names.get(REPORT_DATE_NAME)
    if name is None:
        return None
    sheet, cell = next(name.destinations)
    value = workbook[sheet][cell.replace("$", "")].value if sheet in workbook.sheetnames else None
    return value.date() if isinstance(value, dt.datetime) else None


def _match(sent: Sent, keys: dict[str, str]) -> str | None:
    """The expected unit a file belongs to: by its unit, else by its file name."""
    if sent.unit is not None:
        return keys.get(unit_key(sent.unit))
    stem = unit_key(Path(sent.file).stem)
    hits = [name for key, name in keys.items() if key and key in stem]
    return hits[0] if len(hits) == 1 else None


def _state(name: str, files: list[Sent], deadlines: Deadlines, period: Period) -> UnitStatus:
    if not files:
        return UnitStatus(name, "missing")
    first = min(files, key=lambda s: s.date)
    state = "on_time" if deadlines.on_time(period, first.date) else "late"
    return UnitStatus(name, state, first.date, first.date_source, [s.file for s in files])
