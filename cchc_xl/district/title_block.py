"""The official frame of a report sent upward (Nghị định 30/2020 layout): the issuing body and
the document number on the left, the national motto and the place and date on the right, above
the table; the recipients and the signature below it.

The district form sheet and `Tổng hợp` print as the report the officer signs, so both carry the
frame in their printed area. Number, date, recipients and signer are the officer's to fill in
before printing: those cells are left unlocked on the protected sheet, and blank where only the
officer knows the text ("Số:      /BC-UBND", "…, ngày … tháng … năm …").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cchc_xl.district.unit_level import unit_level
from cchc_xl.district.xlsx_out import LINE_HEIGHT, DistrictSheet, Styles

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
DATE_LINE = "……, ngày … tháng … năm ……"
_OFFICE = re.compile(r"^\s*(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.IGNORECASE)
_DEPARTMENT = re.compile(r"^\s*Sở Nội vụ\s*(.*)$", re.IGNORECASE)
#: Lines the signature leaves free for the signature and the seal.
_SIGNING_SPACE = 4

Columns = tuple[int, int]


@dataclass(frozen=True)
class Issuer:
    """Who sends the report: the heading lines, the document number's suffix, who signs, and
    the body above it that receives the report."""

    lines: tuple[str, ...]
    number: str
    signer: tuple[str, ...]
    recipient: str


def issuer(unit: str) -> Issuer:
    """The issuing body of `unit` ("Huyện Hoằng Hóa" → ỦY BAN NHÂN DÂN / HUYỆN HOẰNG HÓA;
    "Sở Nội vụ tỉnh Hà Tĩnh" → UBND TỈNH HÀ TĨNH / SỞ NỘI VỤ)."""
    recipient = "Bộ Nội vụ" if unit_level(unit).kind == "tỉnh" else "Sở Nội vụ"
    department = _DEPARTMENT.match(unit)
    if department:
        above = f"UBND {department.group(1).upper()}".strip()
        return Issuer((above, "SỞ NỘI VỤ"), "BC-SNV", ("GIÁM ĐỐC",), recipient)
    name = _OFFICE.sub("", unit).strip()
    return Issuer(("ỦY BAN NHÂN DÂN", name.upper()), "BC-UBND", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), recipient)


def write_heading(ws: DistrictSheet, styles: Styles, unit: str, row: int, left: Columns, right: Columns) -> None:
    """The issuing body and number (left) and the motto, place and date (right) on `row`."""
    sender = issuer(unit)
    left_text = "\n".join((*sender.lines, "", f"Số:        /{sender.number}"))
    right_text = "\n".join((*MOTTO, "", DATE_LINE))
    _merged(ws, row, left, left_text, styles.frame)
    _merged(ws, row, right, right_text, styles.frame)
    ws.set_row(row, LINE_HEIGHT * 4.2)


def write_signature(ws: DistrictSheet, styles: Styles, unit: str, row: int, left: Columns, right: Columns) -> None:
    """The recipients (left) and the signer with room for the signature (right) on `row`."""
    sender = issuer(unit)
    recipients = "\n".join(("Nơi nhận:", f"- {sender.recipient};", "- Lưu: VT."))
    signer = "\n".join((*sender.signer, *[""] * _SIGNING_SPACE, "(Ký, ghi rõ họ tên, đóng dấu)"))
    _merged(ws, row, left, recipients, styles.frame_left)
    _merged(ws, row, right, signer, styles.frame)
    ws.set_row(row, LINE_HEIGHT * (len(sender.signer) + _SIGNING_SPACE + 1.5))


def _merged(ws: DistrictSheet, row: int, columns: Columns, text: str, style: object) -> None:
    first, last = columns
    if first == last:
        ws.write_string(row, first, text, style)
    else:
        ws.merge_range(row, first, row, last, text, style)
