"""The workbook file itself: what it really is, its sheets' cached values, its formula cells.

Values come from python-calamine (fast, and it only reads: nothing is evaluated or run). It
returns a formula's cached value but shows a formula that has none, and a stored error such as
#DIV/0!, as a blank cell; `Book.why_blank` looks such a cell up in the sheet's XML, only when a
blank value cell makes the question matter. A file that is no .xlsx at all gets a `ReadError` saying what it is
and what to do.
"""
from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from .problems import ReadError

Grid = list[list[Any]]

#: Sheets and XML parts inflating beyond this are refused (a zip bomb would fill the memory).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_SHEET_TAG = re.compile(rb'<(?:\w+:)?sheet\b[^>]*>')
_RELATION = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*>')
_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_FORMULA = re.compile(rb'<(?:\w+:)?f[\s>/]')
_CELL_END = re.compile(rb'</(?:\w+:)?c>')
_CACHED = re.compile(rb'<(?:\w+:)?v>[^<]+</(?:\w+:)?v>')
_CACHED_TEXT = re.compile(rb'<(?:\w+:)?v\b')
_ERROR_TEXT = re.compile(rb'<(?:\w+:)?v>([^<]+)</(?:\w+:)?v>')


@dataclass
class Book:
    """An opened .xlsx: sheet names with visibility, values by sheet, formula cells on demand."""

    path: Path
    workbook: CalamineWorkbook
    archive: zipfile.ZipFile
    visible: dict[str, bool]
    _xml: dict[str, bytes] = field(default_factory=dict)

    def __enter__(self) -> "Book":
        return self

    def __exit__(self, *_: object) -> None:
        self.workbook.close()
        self.archive.close()

    def grid(self, sheet: str) -> Grid:
        """Cached cell values from A1 on, blanks as ''."""
        try:
            return self.workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except CalamineError as error:
            raise ReadError(f"Tệp '{self.path.name}': không đọc được trang '{sheet}' ({error}).",
                            "corrupt") from error

    def why_blank(self, sheet: str, ref: str) -> tuple[str, str] | None:
        """Why a cell python-calamine shows blank is not empty, or None when it is.

        ("formula_no_value", "") for a formula whose result was never stored, ("error", "#DIV/0!")
        for a stored error (calamine gives both as ''). The sheet's XML is read once, lazily.
        """
        xml = self._sheet_xml(sheet)
        at = xml.find(b' r="' + ref.encode() + b'"')
        opened = xml.find(b">", at) if at >= 0 else -1
        if opened < 0 or xml[opened - 1:opened] == b"/":
            return None
        closed = _CELL_END.search(xml, opened)
        body = xml[opened + 1:closed.start() if closed else len(xml)]
        tag = xml[xml.rfind(b"<", 0, at):opened]
        if b't="e"' in tag:
            error = _ERROR_TEXT.search(body)
            return "error", error.group(1).decode("utf-8", "replace") if error else "#N/A"
        if not _FORMULA.search(body):
            return None
        cached = (_CACHED_TEXT if b't="str"' in tag else _CACHED).search(body)
        return None if cached else ("formula_no_value", "")

    def _sheet_xml(self, sheet: str) -> bytes:
        if sheet not in self._xml:
            part = _part_of(self.archive, sheet)
            self._xml[sheet] = self.archive.read(part) if part in self.archive.NameToInfo else b""
        return self._xml[sheet]


def open_book(path: Path) -> Book:
    """Open an .xlsx for reading, or explain in Vietnamese why it cannot be read."""
    archive = _sniff(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except CalamineError as error:
        archive.close()
        raise ReadError(_diagnose(path, error), "corrupt") from error
    visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in workbook.sheets_metadata}
    return Book(path, workbook, archive, visible)


def _sniff(path: Path) -> zipfile.ZipFile:
    """Refuse what is plainly no .xlsx before handing it to the parser."""
    name = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except IsADirectoryError:
        raise ReadError(f"'{name}' là một thư mục, không phải tệp Excel.", "folder") from None
    except OSError as error:
        raise ReadError(f"Không mở được tệp '{name}': {error.strerror or error}.") from error
    if not head:
        raise ReadError(f"Tệp '{name}' rỗng (0 byte): có thể tệp chưa lưu xong hoặc gửi bị lỗi. "
                        "Đề nghị đơn vị gửi lại tệp .xlsx.", "empty")
    if head.startswith(_OLE):
        raise ReadError(*_ole_message(path))
    if not head.startswith(b"PK"):
        raise ReadError(_text_message(path, head), "text")
    return _open_package(path)


def _ole_message(path: Path) -> tuple[str, str]:
    """An OLE compound file is either an encrypted .xlsx or an Excel 97-2003 workbook."""
    with path.open("rb") as handle:
        data = handle.read(1 << 20)
    if _ENCRYPTED in data:
        return (f"Tệp '{path.name}' được đặt mật khẩu mở tệp nên không đọc được. Đề nghị đơn vị gỡ mật "
                "khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu, xóa mật khẩu) rồi gửi lại.",
                "encrypted")
    return (f"Tệp '{path.name}' là sổ làm việc Excel 97-2003 (.xls), định dạng cũ không được hỗ trợ. "
            "Hãy mở bằng Excel, chọn Lưu thành › Sổ làm việc Excel (.xlsx), rồi gửi tệp .xlsx.", "xls")


def _text_message(path: Path, head: bytes) -> str:
    lowered = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if lowered.startswith((b"<html", b"<!doc", b"<?xml", b"<table")):
        what = "tệp HTML/XML được đổi đuôi thành Excel"
    elif path.suffix.lower() in (".csv", ".txt"):
        what = "tệp văn bản CSV"
    else:
        what = "không phải sổ làm việc Excel (có thể là tệp văn bản hoặc tệp khác bị đổi đuôi)"
    return (f"Tệp '{path.name}' là {what}, không phải tệp .xlsx. Hãy mở bằng Excel và lưu lại dạng "
            "Sổ làm việc Excel (.xlsx), tốt nhất là nhập số liệu vào mẫu phụ lục.")


def _open_package(path: Path) -> zipfile.ZipFile:
    """The zip, if it is a spreadsheet package of sane size (not .ods, .docx, .xlsb or a bomb)."""
    try:
        archive = zipfile.ZipFile(path)
        try:
            _check_package(path.name, archive)
        except ReadError:
            archive.close()
            raise
        return archive
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError) as error:
        raise ReadError(f"Tệp '{path.name}' bị hỏng (tệp nén không đọc được, có thể tải về chưa hết). "
                        "Đề nghị đơn vị gửi lại.", "corrupt") from error


def _check_package(name: str, archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    names = {e.filename for e in entries}
    mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
    if b"opendocument" in mimetype:
        raise ReadError(f"Tệp '{name}' là bảng tính OpenDocument (.ods). Hãy mở bằng LibreOffice hoặc "
                        "Excel và lưu lại dạng Sổ làm việc Excel (.xlsx).", "ods")
    if "xl/workbook.bin" in names:
        raise ReadError(f"Tệp '{name}' là sổ làm việc nhị phân (.xlsb). Hãy mở bằng Excel và lưu lại "
                        "dạng Sổ làm việc Excel (.xlsx).", "xlsb")
    if "xl/workbook.xml" not in names:
        what = "văn bản Word (.docx)" if "word/document.xml" in names else "tệp nén không phải Excel"
        raise ReadError(f"Tệp '{name}' là {what}, không phải sổ làm việc .xlsx. Hãy chép bảng phụ lục "
                        "vào mẫu Excel và gửi tệp .xlsx.", "not_spreadsheet")
    unpacked = sum(e.file_size for e in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReadError(f"Tệp '{name}' giải nén ra {unpacked // (1024 * 1024)} MB, lớn bất thường với một "
                        "phụ lục (có thể là tệp độc hại); đã bỏ qua.", "too_large")


def _diagnose(path: Path, error: CalamineError) -> str:
    return (f"Tệp '{path.name}' bị hỏng hoặc không đúng định dạng .xlsx, không đọc được ({error}). "
            "Đề nghị đơn vị mở lại bằng Excel, lưu dạng .xlsx và gửi lại.")


def _part_of(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip path of a sheet's XML, remembered by the CRCs of the two parts that name it.

    Every copy of a template shares them, so a batch reads them once.
    """
    workbook, relations = archive.getinfo("xl/workbook.xml"), archive.NameToInfo.get("xl/_rels/workbook.xml.rels")
    if relations is None:
        return None
    key = (workbook.CRC, workbook.file_size, relations.CRC, relations.file_size, sheet)
    if key not in _PARTS:
        if len(_PARTS) > 256:
            _PARTS.clear()
        _PARTS[key] = _sheet_part(archive.read(workbook), archive.read(relations), sheet)
    return _PARTS[key]


_PARTS: dict[tuple[int, int, int, int, str], str | None] = {}


def _sheet_part(workbook: bytes, relations: bytes, sheet: str) -> str | None:
    """The zip path of a sheet's XML, through workbook.xml and its relationships."""
    wanted = None
    for tag in _SHEET_TAG.findall(workbook):
        attributes = _attributes(tag)
        if html.unescape(attributes.get("name", "")) == sheet:
            wanted = next((v for k, v in attributes.items() if k.endswith(":id")), None)
    for tag in _RELATION.findall(relations):
        attributes = _attributes(tag)
        if wanted is not None and attributes.get("Id") == wanted:
            target = attributes.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _attributes(tag: bytes) -> dict[str, str]:
    return {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTRIBUTE.findall(tag)}
