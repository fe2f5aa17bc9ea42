"""The report the district sends upward, printed by LibreOffice (`cchc-xl pdf`): the district
form sheet then `Tổng hợp`, on A4, framed as an official report (issuer and number, motto and
date, recipients and signature), the header rows and a page number on every page, no column
cut off, and none of the working sheets."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from helpers import district_with_form
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from cchc_xl.district.printing import write_pdf
from cchc_xl.district.title_block import MOTTO, issuer
from cchc_xl.forms.catalog import load_form
from cchc_xl.shells.cli import app

A4_LANDSCAPE = (842, 595)  # points
DISTRICT_FORM = load_form("huyen_2023")
UNIT = "Huyện Hoằng Hóa"


@pytest.fixture(scope="module")
def district(samples, tmp_path_factory) -> Path:
    return district_with_form(samples, tmp_path_factory.mktemp("in") / "tong_hop.xlsx")


@pytest.fixture(scope="module")
def pages(district, libreoffice) -> list[str]:
    before = hashlib.sha256(district.read_bytes()).hexdigest()
    pdf = write_pdf(district)
    assert hashlib.sha256(district.read_bytes()).hexdigest() == before  # the workbook is not touched
    reader = PdfReader(pdf)
    for page in reader.pages:
        assert tuple(round(float(x)) for x in page.mediabox[2:]) == A4_LANDSCAPE
    return [page.extract_text() for page in reader.pages]


def _sheets(pages: list[str]) -> tuple[list[str], list[str]]:
    """The pages of the district form sheet and those of `Tổng hợp` (which follow them)."""
    start = next(i for i, text in enumerate(pages) if "TỔNG HỢP TỪ" in text)
    return pages[:start], pages[start:]


def test_the_report_is_the_district_form_then_the_summary_and_nothing_else(pages):
    form_pages, summary_pages = _sheets(pages)
    assert form_pages and summary_pages
    assert DISTRICT_FORM.heading in form_pages[0]
    text = "\n".join(pages)
    for working in ("KIỂM TRA SỐ LIỆU", "NGUỒN CỦA TỪNG SỐ LIỆU", "CÁC TỆP ĐÃ NHẬN", "Quy tắc kiểm tra của"):
        assert working not in text


def test_each_sheet_opens_with_the_official_heading_and_ends_with_the_signature(pages):
    sender = issuer(UNIT)
    for sheet in _sheets(pages):
        first, last = sheet[0], sheet[-1]
        for line in (*sender.lines, *MOTTO, f"/{sender.number}"):
            assert line in first
        assert "Nơi nhận:" in last and "(Ký, ghi rõ họ tên, đóng dấu)" in last
        assert all("Nơi nhận:" not in page for page in sheet[:-1])


def test_every_page_has_its_number_the_header_row_and_the_last_column(pages):
    """Header rows repeat; all columns fit the page width, so the last column's title (Kiểm tra
    on the form sheet, "Số xã báo cáo" on `Tổng hợp`) is on every page."""
    form_pages, summary_pages = _sheets(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Trang {number} / {len(pages)}" in text
        assert "STT" in text and "Chỉ tiêu thống kê" in text
    assert all("Kiểm tra" in text for text in form_pages)
    assert all("Số xã báo cáo" in text for text in summary_pages)


def test_the_frame_is_in_times_new_roman_and_left_open_for_number_and_date(district):
    """The officer types the number, the date and the recipients before printing: the frame's
    cells are unlocked on the protected sheets, in the report's font."""
    book = load_workbook(district)
    for name in ("Tổng hợp", DISTRICT_FORM.sheet):
        cells = [c for row in book[name].iter_rows(max_row=1) for c in row
                 if isinstance(c.value, str) and re.search(r"ỦY BAN NHÂN DÂN|CỘNG HÒA", c.value)]
        assert len(cells) == 2
        assert all(c.font.name == "Times New Roman" and not c.protection.locked for c in cells)


def test_pdf_of_a_file_that_is_no_district_workbook_says_so(samples, tmp_path):
    commune = next(samples.glob("*.xlsx"))
    result = CliRunner().invoke(app, ["pdf", str(commune), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and not (tmp_path / "x.pdf").exists()
    assert "không phải bảng tổng hợp" in result.output


@pytest.mark.parametrize("unit, lines, signer", [
    ("Huyện Hoằng Hóa", ("ỦY BAN NHÂN DÂN", "HUYỆN HOẰNG HÓA"), ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
    ("UBND tỉnh Sóc Trăng", ("ỦY BAN NHÂN DÂN", "TỈNH SÓC TRĂNG"), ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
    ("Sở Nội vụ tỉnh Hà Tĩnh", ("UBND TỈNH HÀ TĨNH", "SỞ NỘI VỤ"), ("GIÁM ĐỐC",)),
])
def test_the_issuer_follows_the_unit(unit, lines, signer):
    sender = issuer(unit)
    assert (sender.lines, sender.signer) == (lines, signer)
