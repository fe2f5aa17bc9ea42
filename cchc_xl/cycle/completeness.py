"""The `Tình hình nộp` sheet: who of the expected list sent the period's report, on time or late,
who did not, and the files that need a word (sent twice, not on the list, another period,
unreadable). One sheet says all of it; its states are those of `cchc-xl status` (`status.assess`).
For cumulative figures each expected commune has one line per quarter.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from xlsxwriter.worksheet import Worksheet

from cchc_xl.cycle.status import STATES, StatusReport
from cchc_xl.district.layout import Layout
from cchc_xl.district.model import Consolidation
from cchc_xl.district.xlsx_out import Styles, print_landscape
from cchc_xl.read.inputs import Sent
from cchc_xl.read.units import unit_key

SHEET = "Tình hình nộp"
DATE_SOURCES = {"workbook": "ngày nhập trong tệp", "file": "ngày sửa tệp"}
_UNIT_TITLES = ("STT", "Đơn vị (theo danh sách)", "Kỳ", "Tình trạng", "Ngày gửi", "Căn cứ ngày", "Hạn nộp (trước)",
                "Tệp", "Ghi chú")
_WIDTHS = (6, 28, 20, 14, 12, 20, 14, 34, 50)


@dataclass(frozen=True)
class CompletenessSheet:
    """`Tình hình nộp` as a sheet the district workbook adds (`model.AddedSheet`)."""

    consolidation: Consolidation
    status: tuple[StatusReport, ...]
    name: str = SHEET

    def write(self, ws: Worksheet, styles: Styles, layout: Layout) -> None:
        write_sheet(ws, self.consolidation, self.status, styles)


def write_sheet(ws: Worksheet, c: Consolidation, status: Sequence[StatusReport], styles: Styles) -> None:
    ws.write_string(0, 0, f"TÌNH HÌNH NỘP BÁO CÁO: {c.period.label.upper()}", styles.title)
    row = 1
    for report in status:
        ws.write_string(row, 0, _counts(report), styles.note)
        row += 1
    ws.write_string(row, 0, "Ngày gửi: ngày nhập ở ô «Ngày gửi báo cáo» của tệp; nếu để trống, ngày sửa tệp "
                            "(chép hay tải tệp về có thể làm đổi ngày này).", styles.note)
    row = _units(ws, row + 2, c, status, styles)
    row = _section(ws, row + 1, "Nộp trùng: chỉ cộng tệp sửa sau cùng", ("STT", "Xã", "Tệp được cộng", "Tệp không cộng"),
                   [(d.name, d.kept.source.path.name, d.dropped.source.path.name) for d in c.duplicates], styles)
    files = {m.name: ", ".join(p.received.source.path.name for p in m.parts) for m in c.communes}
    row = _section(ws, row + 1, "Không có trong danh sách (vẫn được cộng)", ("STT", "Xã (theo tệp)", "Tệp"),
                   [(name, files[name]) for name in c.unknown], styles)
    other = "không cộng dồn" if c.from_quarters else "không cộng"
    row = _section(ws, row + 1, f"Tệp ghi kỳ khác ({other})", ("STT", "Đơn vị ghi trong tệp", "Tệp", "Kỳ ghi trong tệp"),
                   [(s.unit or "", s.file, s.period or "không ghi") for s in _other_period(c, status)], styles)
    _section(ws, row + 1, "Không đọc được", ("STT", "Tệp", "Lý do"),
             [(u.path.name, u.message) for u in c.unreadable], styles)
    for col, width in enumerate(_WIDTHS):
        ws.set_column(col, col, width)
    print_landscape(ws)


def _counts(report: StatusReport) -> str:
    count = {state: sum(u.state == state for u in report.units) for state in STATES}
    return (f"{report.period.label}: {len(report.units)} đơn vị trong danh sách, {count['on_time']} nộp đúng hạn, "
            f"{count['late']} trễ hạn, {count['missing']} chưa nộp (hạn: trước {report.due_before:%d/%m/%Y}).")


def _units(ws: Worksheet, row: int, c: Consolidation, status: Sequence[StatusReport], styles: Styles) -> int:
    """The expected units, each with its state in every period (quarter) of the report."""
    for col, title in enumerate(_UNIT_TITLES):
        ws.write_string(row, col, title, styles.header)
    first = row + 1
    names = [u.unit for u in status[0].units] if status else []
    state_style = {"missing": styles.text_error, "late": styles.text_missing}
    for i, name in enumerate(names):
        for report in status:
            unit = next(u for u in report.units if u.unit == name)
            row += 1
            cells = (str(i + 1), name, report.period.label, STATES[unit.state],
                     f"{unit.date:%d/%m/%Y}" if unit.date else "", DATE_SOURCES.get(unit.date_source or "", ""),
                     f"{report.due_before:%d/%m/%Y}", ", ".join(unit.files), _note(unit.unit, report, c, status))
            for col, value in enumerate(cells):
                ws.write_string(row, col, value, state_style.get(unit.state, styles.text) if col == 3 else styles.text)
    if row < first:
        ws.write_string(first, 1, "Không có.", styles.note)
        row = first
    return row + 1


def _note(name: str, report: StatusReport, c: Consolidation, status: Sequence[StatusReport]) -> str:
    """Why a unit reads as missing although a file of it was received (another period)."""
    if any(u.unit == name and u.state != "missing" for u in report.units):
        return ""
    sent = [s for s in _other_period(c, status) if s.unit and unit_key(s.unit) == unit_key(name)]
    return "; ".join(f"có tệp {s.file} ghi kỳ {s.period or 'không rõ'}" for s in sent)


def _other_period(c: Consolidation, status: Sequence[StatusReport]) -> list[Sent]:
    """Files stating a period that is none of the report's (once, however many quarters); a
    file stating none counts for a single period, not for a roll-up, which needs its quarter."""
    keys = {report.period.key for report in status}
    return [s for s in c.sent if s.period not in keys and (s.period is not None or c.from_quarters)]


def _section(ws: Worksheet, row: int, title: str, titles: tuple[str, ...],
             rows: list[tuple[str, ...]], styles: Styles) -> int:
    """A titled, numbered table; an empty one says so. Returns the next free row."""
    ws.write_string(row, 0, f"{title} ({len(rows)})", styles.subtitle)
    row += 1
    for col, heading in enumerate(titles):
        ws.write_string(row, col, heading, styles.header)
    row += 1
    if not rows:
        ws.write_string(row, 1, "Không có.", styles.note)
        return row + 1
    for i, values in enumerate(rows, 1):
        for col, value in enumerate((str(i), *values)):
            ws.write_string(row, col, value, styles.text)
        row += 1
    return row
