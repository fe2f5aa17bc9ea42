"""What a received file really is, told by its bytes, inspected, then opened for the reader.

Communes send what their office has: an Excel workbook (.xlsx, .xlsm), an Excel 97-2003
workbook (.xls), a binary workbook (.xlsb), a LibreOffice spreadsheet (.ods), or their Word
report (.docx) with the appendix as a table. The file is read into memory once (its size
bounded) and recognised by its first bytes, never by its name, then inspected by the safety
check suited to its container before any parser sees the same bytes:

- an OLE2 compound file (`ole_package`): an encrypted Office file, or an .xls (its password
  record, its sheets' reach), or something else (a Word 97 .doc);
- a zip (`xlsx_package`): bombs and XML entities for all; an .xlsx's sheets' reach; an .ods
  encrypted by LibreOffice (its manifest says so) or its sheets' reach (`ods_package`); the
  kind is told by the parts: an .xlsx/.xlsm, .xlsb, .ods or .docx;
- anything else: text, HTML or CSV renamed, named as such.

Each refusal is a `ReadError` with a Vietnamese message naming the file and what to do.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from cchc_xl.common.problems import ReadError, os_reason
from cchc_xl.read.docx_in import Document, open_document
from cchc_xl.read.ods_package import check_content
from cchc_xl.read.ole_package import encrypted, inspect_ole
from cchc_xl.read.xlsx_in import Book, open_workbook
from cchc_xl.read.xlsx_package import MAX_UNPACKED_BYTES, inspect_package

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"
_MANIFEST = "META-INF/manifest.xml"
#: What a message calls each format.
NAMES = {"xls": "sổ làm việc Excel 97-2003 (.xls)", "xlsx": "sổ làm việc Excel (.xlsx)",
         "xlsb": "sổ làm việc nhị phân (.xlsb)", "ods": "bảng tính OpenDocument (.ods)"}


def open_input(path: Path, data: bytes | None = None) -> Book | Document:
    """Open a received file for reading, or explain in Vietnamese why it cannot be read.

    `data`: the file's bytes when the caller has read them already (a consolidation
    fingerprints the very bytes it reads, so each file is read from disk once)."""
    name = path.name
    data = _not_empty(name, _bytes(path) if data is None else data)
    if data.startswith(_OLE):
        inspect_ole(name, data)
        return open_workbook(path, data, None, NAMES["xls"])
    if not data.startswith(b"PK"):
        raise ReadError(_text_message(path, data[:8]), "text")
    archive = _zip(name, data)
    try:
        kind = _kind(name, archive)
        inspect_package(name, archive, data, sheets=kind == "xlsx")
        if kind == "ods" and "content.xml" in archive.NameToInfo:
            check_content(name, archive.read("content.xml"))
    except ReadError:
        archive.close()
        raise
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, EOFError) as error:
        archive.close()
        raise _corrupt(name) from error
    if kind == "xlsx":
        return open_workbook(path, data, archive, NAMES[kind])
    archive.close()
    return open_document(path, data) if kind == "docx" else open_workbook(path, data, None, NAMES[kind])


def _bytes(path: Path) -> bytes:
    """The file's bytes, once what is plainly unreadable (too big, a folder) has been refused."""
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
        raise ReadError(f"Không mở được tệp '{name}': {os_reason(error)}.") from error
    return data


def _not_empty(name: str, data: bytes) -> bytes:
    """The bytes, whoever read them, unless there are none (a file saved halfway)."""
    if not data:
        raise ReadError(f"Tệp '{name}' rỗng (0 byte): có thể tệp chưa lưu xong hoặc gửi bị lỗi. "
                        "Đề nghị đơn vị gửi lại tệp.", "empty")
    return data


def _zip(name: str, data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _corrupt(name) from error


def _corrupt(name: str) -> ReadError:
    return ReadError(f"Tệp '{name}' bị hỏng (tệp nén không đọc được, có thể tải về chưa hết). "
                     "Đề nghị đơn vị gửi lại.", "corrupt")


def _kind(name: str, archive: zipfile.ZipFile) -> str:
    """xlsx, xlsb, ods or docx, by the parts the package holds; anything else is refused."""
    names = set(archive.NameToInfo)
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "mimetype" in names and archive.read("mimetype")[:80].strip() == _ODS:
        if _MANIFEST in names and b"encryption-data" in archive.read(_MANIFEST):
            raise encrypted(name)
        return "ods"
    if "word/document.xml" in names:
        return "docx"
    raise ReadError(f"Tệp '{name}' là tệp nén không phải sổ làm việc hay văn bản Word. Hãy gửi tệp Excel "
                    "(.xlsx, .xls, .ods) hoặc báo cáo Word (.docx) có bảng phụ lục.", "not_spreadsheet")


def _text_message(path: Path, head: bytes) -> str:
    lowered = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if lowered.startswith((b"<html", b"<!doc", b"<?xml", b"<table")):
        what = "là tệp HTML/XML được đổi đuôi thành Excel, không phải sổ làm việc"
    elif path.suffix.lower() in (".csv", ".txt"):
        what = "là tệp văn bản CSV, không phải sổ làm việc"
    else:
        what = "không phải sổ làm việc Excel (có thể là tệp văn bản hoặc tệp khác bị đổi đuôi)"
    return (f"Tệp '{path.name}' {what}. Hãy mở bằng Excel và lưu lại dạng Sổ làm việc Excel (.xlsx), tốt nhất "
            "là nhập số liệu vào mẫu phụ lục.")
