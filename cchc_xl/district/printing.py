"""The report a district (or province) sends upward, printed to PDF by LibreOffice
(`cchc-xl pdf`): its district form sheet, when it has one, then `Tổng hợp`, each on A4 as the
sheet's own print settings lay it out (title block, repeated header rows, page numbers, all
columns on the page width).

The working sheets (`Kiểm tra`, `Nguồn` …) are not part of the report: a copy of the workbook
with only the report's sheets is printed, in a temporary folder, so the workbook itself is never
touched; LibreOffice computes every formula of the copy as it opens it.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Sequence

from cchc_xl.common.files import OutputError, atomic_write
from cchc_xl.common.libreoffice import LibreOfficeMissing, convert
from cchc_xl.common.problems import ReadError
from cchc_xl.district import district_form
from cchc_xl.district.layout import KIND, SUMMARY_SHEET
from cchc_xl.read.reader import read_meta_file

PDF_FILTER = "pdf:calc_pdf_Export"


def report_sheets(workbook: Path) -> list[str]:
    """The sheets printed as the report, in order; raises `ReadError` for a file that is no
    district workbook of this product."""
    meta = read_meta_file(workbook)
    if meta.get("kind") != KIND:
        raise ReadError(f"Tệp '{workbook.name}' không phải bảng tổng hợp do cchc-xl tạo (cchc-xl consolidate): "
                        "không in được báo cáo.", "not_district")
    form_sheet = meta.get(district_form.META_SHEET_NAME)
    return [form_sheet, SUMMARY_SHEET] if form_sheet else [SUMMARY_SHEET]


def write_pdf(workbook: Path, output: Path | None = None, sheets: Sequence[str] | None = None) -> Path:
    """The report of `workbook` (or its `sheets`, in that order) as a PDF at `output` (default:
    beside it, same name), written atomically; raises `ReadError` for no district workbook,
    `LibreOfficeMissing` without LibreOffice."""
    workbook = Path(workbook)
    report = report_sheets(workbook)
    sheets = list(sheets) if sheets is not None else report
    output = Path(output) if output is not None else workbook.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as folder:
        copy = Path(folder) / f"bao_cao{workbook.suffix}"
        _report_only(workbook, copy, sheets)
        try:
            (pdf,) = convert([copy], Path(folder) / "pdf", PDF_FILTER, ".pdf")
        except LibreOfficeMissing:
            raise
        except (subprocess.SubprocessError, RuntimeError) as error:
            raise OutputError(f"LibreOffice không in được '{workbook.name}' ra PDF ({error}).") from error
        return atomic_write(output, lambda temp: shutil.copyfile(pdf, temp))


def _report_only(workbook: Path, copy: Path, sheets: list[str]) -> None:
    """A copy of `workbook` holding only `sheets`, in that order, the first one active. The
    others are removed, not hidden: LibreOffice prints a hidden sheet that has a print area.
    The report's formulas read only its own sheets (the district form reads `Tổng hợp`)."""
    from openpyxl import load_workbook
    book = load_workbook(workbook)
    for ws in [ws for ws in book.worksheets if ws.title not in sheets]:
        book.remove(ws)
    for position, name in enumerate(sheets):
        book.move_sheet(name, position - book.sheetnames.index(name))
    for ws in book.worksheets:
        ws.sheet_view.tabSelected = ws.title == sheets[0]
    book.active = 0
    book.save(copy)
