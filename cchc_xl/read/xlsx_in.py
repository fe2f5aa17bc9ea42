"""The workbook file itself: what it really is, its sheets' cached values, its formula cells.

Values come from python-calamine (fast, and it only reads: nothing is evaluated or run, a macro
is never even looked at). It returns a formula's cached value but shows a formula that has none,
and a stored error such as #DIV/0!, as a blank cell; `Book.why_blank` looks such a cell up in the
sheet's XML, only when a blank value cell makes the question matter. A file that is no .xlsx at
all gets a `ReadError` saying what it is and what to do.

The file is read into memory once: `xlsx_package` inspects those bytes (zip bomb, XML entities,
sheets reaching too far) and calamine parses the very same bytes, so a file changed on disk in
between cannot slip past, and any file name the system allows can be opened. A Rust panic or
an out-of-range date inside calamine becomes a `ReadError` too, never a crash of the run.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from cchc_xl.common.problems import ReadError
from cchc_xl.read.xlsx_package import MAX_UNPACKED_BYTES, inspect_package, sheet_parts

Grid = list[list[Any]]
T = TypeVar("T")

#: The largest serial number a date cell can hold (31/12/9999).
MAX_DATE_SERIAL = 2958465.99999
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_FORMULA = re.compile(rb'<(?:\w+:)?f[\s>/]')
_CELL_END = re.compile(rb'</(?:\w+:)?c>')
_CACHED = re.compile(rb'<(?:\w+:)?v>[^<]+</(?:\w+:)?v>')
_CACHED_TEXT = re.compile(rb'<(?:\w+:)?v\b')
_ERROR_TEXT = re.compile(rb'<(?:\w+:)?v>([^<]+)</(?:\w+:)?v>')
#: A cell reference followed, inside the same cell, by its stored number.
_STORED_NUMBER = re.compile(rb'\sr="([A-Z]+[0-9]+)"[^>]*>(?:(?!</?(?:\w+:)?c[\s/>]).){0,2000}?'
                            rb'<(?:\w+:)?v>\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*</', re.S)


@dataclass
class Book:
    """An opened .xlsx: sheet names with visibility, values by sheet, formula cells on demand."""

    path: Path
    workbook: CalamineWorkbook
    archive: zipfile.ZipFile
    visible: dict[str, bool]
    _xml: dict[str, bytes] = field(default_factory=dict)
    _merged: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = field(default_factory=dict)

    def __enter__(self) -> "Book":
        return self

    def __exit__(self, *_: object) -> None:
        self.workbook.close()
        self.archive.close()

    def grid(self, sheet: str) -> Grid:
        """Cached cell values from A1 on, blanks as ''; the sheet's merged ranges are kept too."""
        try:
            loaded = _guarded(lambda: self.workbook.get_sheet_by_name(sheet))
            self._merged[sheet] = _guarded(lambda: list(loaded.merged_cell_ranges or []))
            return _guarded(lambda: loaded.to_python(skip_empty_area=False))
        except (OverflowError, ValueError) as error:
            raise ReadError(self._date_range_message(sheet), "date_range") from error
        except _Failure as error:
            if "TimeDelta" in str(error):
                raise ReadError(self._date_range_message(sheet), "date_range") from error
            raise ReadError(f"Tệp '{self.path.name}': không đọc được trang '{sheet}' ({error}).",
                            "corrupt") from error

    def merged(self, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged ranges of a sheet already read, 0-based ((first row, first col), (last row, last col))."""
        return self._merged.get(sheet, [])

    def stored_number(self, sheet: str, ref: str) -> float | None:
        """The number a cell stores in the sheet's XML, before any date conversion."""
        xml = self._sheet_xml(sheet)
        at = xml.find(b' r="' + ref.encode() + b'"')
        if at < 0:
            return None
        match = _STORED_NUMBER.match(xml, at)
        return float(match.group(2)) if match else None

    def _date_range_message(self, sheet: str) -> str:
        """Why calamine cannot give a sheet's values: a date cell holding an absurd number."""
        far = [(ref.decode(), float(number)) for ref, number in _STORED_NUMBER.findall(self._sheet_xml(sheet))
               if abs(float(number)) > MAX_DATE_SERIAL]
        shown = ", ".join(f"{ref} = {number:G}" for ref, number in far[:3])
        where = f" (có thể là ô {shown})" if shown else ""
        return (f"Tệp '{self.path.name}': trang '{sheet}' có ô định dạng ngày/giờ chứa số quá lớn hoặc quá nhỏ, "
                f"ngoài phạm vi ngày của Excel{where}, nên không đọc được trang này. Đề nghị đơn vị sửa ô đó "
                "(nhập đúng ngày dd/mm/yyyy hoặc bỏ định dạng ngày) rồi gửi lại.")

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


class _Failure(Exception):
    """calamine failed: its own error, or a Rust panic (which Python sees as a BaseException)."""


def _guarded(call: Callable[[], T]) -> T:
    """Run a calamine call; its errors and panics become `_Failure`.

    A panic (`pyo3_runtime.PanicException`) derives from BaseException, so `except Exception`
    would let it end the whole run; it is recognised by name, the class not being importable.
    """
    try:
        return call()
    except CalamineError as error:
        raise _Failure(str(error)) from error
    except BaseException as error:
        if type(error).__name__ != "PanicException":
            raise
        raise _Failure(str(error)) from error


def open_book(path: Path) -> Book:
    """Open an .xlsx for reading, or explain in Vietnamese why it cannot be read."""
    data, archive = _sniff(path)
    try:
        workbook = _guarded(lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)))
        visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in workbook.sheets_metadata}
    except _Failure as error:
        archive.close()
        raise ReadError(_diagnose(path, error), "corrupt") from error
    return Book(path, workbook, archive, visible)


def _sniff(path: Path) -> tuple[bytes, zipfile.ZipFile]:
    """The file's bytes and their zip, once what is plainly no .xlsx has been refused."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_UNPACKED_BYTES:
            raise ReadError(f"Tệp '{name}' nặng {size // (1024 * 1024)} MB, lớn bất thường với một phụ lục; "
                            "đã bỏ qua.", "too_large")
        data = path.read_bytes()
    except IsADirectoryError:
        raise ReadError(f"'{name}' là một thư mục, không phải tệp Excel.", "folder") from None
    except OSError as error:
        raise ReadError(f"Không mở được tệp '{name}': {error.strerror or error}.") from error
    if not data:
        raise ReadError(f"Tệp '{name}' rỗng (0 byte): có thể tệp chưa lưu xong hoặc gửi bị lỗi. "
                        "Đề nghị đơn vị gửi lại tệp .xlsx.", "empty")
    if data.startswith(_OLE):
        raise ReadError(*_ole_message(name, data))
    if not data.startswith(b"PK"):
        raise ReadError(_text_message(path, data[:8]), "text")
    return data, _open_package(name, data)


def _ole_message(name: str, data: bytes) -> tuple[str, str]:
    """An OLE compound file is either an encrypted .xlsx or an Excel 97-2003 workbook."""
    if _ENCRYPTED in data[:1 << 20]:
        return (f"Tệp '{name}' được đặt mật khẩu mở tệp nên không đọc được. Đề nghị đơn vị gỡ mật "
                "khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu, xóa mật khẩu) rồi gửi lại.",
                "encrypted")
    return (f"Tệp '{name}' là sổ làm việc Excel 97-2003 (.xls), định dạng cũ không được hỗ trợ. "
            "Hãy mở bằng Excel, chọn Lưu thành › Sổ làm việc Excel (.xlsx), rồi gửi tệp .xlsx.", "xls")


def _text_message(path: Path, head: bytes) -> str:
    lowered = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if lowered.startswith((b"<html", b"<!doc", b"<?xml", b"<table")):
        what = "là tệp HTML/XML được đổi đuôi thành Excel, không phải tệp .xlsx"
    elif path.suffix.lower() in (".csv", ".txt"):
        what = "là tệp văn bản CSV, không phải tệp .xlsx"
    else:
        what = "không phải sổ làm việc Excel (có thể là tệp văn bản hoặc tệp khác bị đổi đuôi)"
    return (f"Tệp '{path.name}' {what}. Hãy mở bằng Excel và lưu lại dạng Sổ làm việc Excel (.xlsx), tốt nhất "
            "là nhập số liệu vào mẫu phụ lục.")


def _open_package(name: str, data: bytes) -> zipfile.ZipFile:
    """The zip, if it is a spreadsheet package (not .ods, .docx, .xlsb) that passes `inspect_package`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        try:
            _check_type(name, archive)
            inspect_package(name, archive, data)
        except ReadError:
            archive.close()
            raise
        return archive
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, EOFError) as error:
        raise ReadError(f"Tệp '{name}' bị hỏng (tệp nén không đọc được, có thể tải về chưa hết). "
                        "Đề nghị đơn vị gửi lại.", "corrupt") from error


def _check_type(name: str, archive: zipfile.ZipFile) -> None:
    names = {e.filename for e in archive.infolist()}
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


def _diagnose(path: Path, error: Exception) -> str:
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
        _PARTS[key] = sheet_parts(archive.read(workbook), archive.read(relations)).get(sheet)
    return _PARTS[key]


_PARTS: dict[tuple[int, int, int, int, str], str | None] = {}
