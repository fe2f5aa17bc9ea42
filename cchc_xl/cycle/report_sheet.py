"""`Đối chiếu báo cáo`: each commune's report text (.docx beside its workbook) against its table.

A commune's report is the one .docx in its workbook's folder named like the workbook or naming
the commune ("Bao_cao_Xã_Hoằng_Lưu.docx"); with none, or more than one, nothing is guessed. Per
commune the sheet lists every figure its text states: linked to an indicator and agreeing, not
agreeing (the `narrative:<code>` warnings), blank in the table, or linked to nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from xlsxwriter.worksheet import Worksheet

from cchc_xl.common.problems import Problem, ReadError
from cchc_xl.district.crosscheck import CrossCheck, crosscheck
from cchc_xl.district.layout import Layout
from cchc_xl.district.model import Commune, Consolidation
from cchc_xl.district.xlsx_out import Styles, print_landscape
from cchc_xl.read.narrative import read_paragraphs
from cchc_xl.read.units import unit_key

SHEET = "Đối chiếu báo cáo"
HEADER_ROW = 3
_TITLES = ("Xã", "Báo cáo", "Đoạn", "Mã", "Chỉ tiêu", "Lời văn ghi", "Phụ lục ghi", "Kết quả", "Câu trong báo cáo")
_WIDTHS = (20, 24, 7, 9, 36, 22, 16, 18, 80)
_RESULTS = {True: "Khớp", False: "Không khớp", None: "Phụ lục để trống"}


@dataclass(frozen=True)
class ReportCheck:
    commune: str
    check: CrossCheck


@dataclass(frozen=True)
class ReportSheet:
    """`Đối chiếu báo cáo` as a sheet the district workbook adds (`model.AddedSheet`)."""

    consolidation: Consolidation
    reports: tuple[ReportCheck, ...]
    name: str = SHEET

    def write(self, ws: Worksheet, styles: Styles, layout: Layout) -> None:
        write_sheet(ws, self.consolidation, self.reports, styles)


def report_of(commune: Commune, documents: Sequence[Path]) -> Path | None:
    """The commune's report among the .docx `documents` of its workbook's folder, when exactly
    one of them is its own."""
    workbook = commune.received.source.path
    key = unit_key(commune.name)
    found = [p for p in documents if p.stem == workbook.stem or key in unit_key(p.stem)]
    return found[0] if len(found) == 1 else None


def check_reports(c: Consolidation) -> tuple[tuple[ReportCheck, ...], tuple[Problem, ...]]:
    """Each commune's report cross-checked; a report that cannot be read is a problem, not a stop.

    Each folder is listed once: a province's thousand communes share a few folders."""
    reports: list[ReportCheck] = []
    problems: list[Problem] = []
    listed: dict[Path, list[Path]] = {}
    for commune in c.communes:
        folder = commune.received.source.path.parent
        if folder not in listed:
            listed[folder] = sorted(p for p in folder.glob("*.docx") if not p.name.startswith("~$"))
        path = report_of(commune, listed[folder])
        if path is None:
            continue
        try:
            paragraphs = read_paragraphs(path)
        except ReadError as error:
            problems.append(Problem(path.name, str(error), kind="report_unreadable"))
            continue
        reports.append(ReportCheck(commune.name, crosscheck(paragraphs, commune.received.submission, path.name)))
    return tuple(reports), tuple(problems)


def write_sheet(ws: Worksheet, c: Consolidation, reports: tuple[ReportCheck, ...], styles: Styles) -> None:
    ws.write_string(0, 0, f"ĐỐI CHIẾU LỜI VĂN BÁO CÁO VỚI PHỤ LỤC: {c.period.label.upper()}", styles.title)
    ws.write_string(1, 0, "Số liệu nêu trong lời văn báo cáo (.docx cùng thư mục với phụ lục) so với bảng phụ lục. "
                          "Chỉ so sánh số liệu gắn chắc chắn được với một chỉ tiêu; số liệu khác chỉ liệt kê.",
                    styles.note)
    for col, title in enumerate(_TITLES):
        ws.write_string(HEADER_ROW, col, title, styles.header)
    row = HEADER_ROW
    for report in reports:
        for cells in _lines(c, report):
            row += 1
            for col, text in enumerate(cells):
                ws.write_string(row, col, text, styles.text)
    if row == HEADER_ROW:
        ws.write_string(HEADER_ROW + 1, 0, "Không đọc được báo cáo .docx nào của các xã (lý do ở sheet Kiểm tra).",
                        styles.note)
    else:
        ws.autofilter(HEADER_ROW, 0, row, len(_TITLES) - 1)
    for col, width in enumerate(_WIDTHS):
        ws.set_column(col, col, width)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    print_landscape(ws)


def _lines(c: Consolidation, report: ReportCheck) -> list[tuple[str, ...]]:
    check = report.check
    lines = [(report.commune, check.file, str(m.paragraph), m.code, _label(c, m.code), m.words, m.table,
              _RESULTS[m.agrees], m.sentence) for m in check.mentions]
    lines += [(report.commune, check.file, str(u.paragraph), "", "", f"{u.figure.text} {u.figure.after}".strip(), "",
               "Chưa gắn được chỉ tiêu", u.sentence) for u in check.unlinked]
    if not lines:
        return [(report.commune, check.file, "", "", "", "", "", "Lời văn không nêu số liệu nào", "")]
    return sorted(lines, key=lambda line: int(line[2]))


def _label(c: Consolidation, code: str) -> str:
    form = c.form
    return form.row(code).label if form.has(code) else ""
