"""An OLE2 compound file (Excel 97-2003 .xls, or an encrypted Office file), inspected before calamine.

An OLE file is a small file system of streams. Office puts an encrypted .xlsx/.docx inside
one (an `EncryptionInfo` stream beside the encrypted package), and an Excel 97-2003 workbook is
a `Workbook` stream (`Book` in Excel 5) of BIFF records: 2 bytes type, 2 bytes length, data.
The workbook's first substream (globals) holds a FILEPASS record when the workbook is
encrypted with a password (MS-XLS 2.4.117); every cell record starts with its row and column
(two 16-bit numbers), so how far a sheet reaches is known without parsing it. calamine
allocates each sheet's whole rectangle, like for .xlsx, so the same bound applies: a crafted
column number (the field allows 65 535 where Excel uses 256) would ask for gigabytes.
The streams are listed with olefile (pure Python, reads only); nothing is run, macros
(a `_VBA_PROJECT_CUR` storage) are never looked at.
"""
from __future__ import annotations

import io
import struct
from typing import Iterator

from cchc_xl.common.problems import ReadError
from cchc_xl.read.xlsx_package import MAX_SHEET_CELLS, sheet_too_large

_BOF, _EOF, _FILEPASS, _BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0085
#: Cell records with (row, column) first: FORMULA, NUMBER, LABEL, BOOLERR, RK, LABELSST, RSTRING.
_CELLS = {0x0006, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6}
#: Several cells of a row in one record: row, first column, …, last column (MULRK).
_MULTIPLE = 0x00BD


def inspect_ole(name: str, data: bytes) -> None:
    """Refuse (`ReadError`) an OLE file that is encrypted, is no workbook, or holds a sheet
    reaching too far; return when it is an .xls calamine may parse."""
    import olefile  # only when an OLE file is met
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:  # a file object: short bytes would be taken for a path
            streams = {"/".join(entry).lower(): entry for entry in ole.listdir()}
            if "encryptioninfo" in streams:
                raise encrypted(name)
            stream = streams.get("workbook") or streams.get("book")
            if stream is None:
                raise _not_workbook(name, "worddocument" in streams)
            workbook = ole.openstream(stream).read()
    except (OSError, ValueError, struct.error, IndexError, KeyError) as error:
        raise ReadError(f"Tệp '{name}' bị hỏng (tệp Excel 97-2003 không đọc được, có thể tải về chưa hết). "
                        "Đề nghị đơn vị gửi lại.", "corrupt") from error
    _check_records(name, workbook)


def encrypted(name: str) -> ReadError:
    """The message for any file with a password to open it: what to do in the program that made it."""
    how = {"docx": "Word: Tệp › Thông tin › Bảo vệ tài liệu › Mã hóa bằng mật khẩu, xóa mật khẩu",
           "ods": "LibreOffice: Tệp › Lưu thành, bỏ chọn «Lưu với mật khẩu»"}
    suffix = name.rpartition(".")[2].lower()
    steps = how.get(suffix, "Excel: Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu, xóa mật khẩu")
    return ReadError(f"Tệp '{name}' là tệp có mật khẩu (đặt mật khẩu mở tệp) nên không đọc được. Đề nghị đơn "
                     f"vị gỡ mật khẩu ({steps}) rồi gửi lại.", "encrypted")


def _not_workbook(name: str, word: bool) -> ReadError:
    what = "văn bản Word 97-2003 (.doc)" if word else "tệp Office không phải sổ làm việc Excel"
    return ReadError(f"Tệp '{name}' là {what}. Hãy lưu lại dạng .docx (có bảng phụ lục) hoặc chép bảng "
                     "phụ lục vào mẫu Excel rồi gửi.", "not_spreadsheet")


def _check_records(name: str, workbook: bytes) -> None:
    """FILEPASS in the globals, and each sheet's farthest cell, through the BIFF records."""
    sheets: dict[int, str] = {}
    extent: tuple[int, int] = (-1, -1)
    sheet, in_globals = "", True
    for offset, kind, body in _records(workbook):
        if kind == _BOF:
            sheet, extent = sheets.get(offset, sheet), (-1, -1)
        elif in_globals and kind == _FILEPASS:
            raise encrypted(name)
        elif in_globals and kind == _BOUNDSHEET and len(body) >= 8:
            sheets[struct.unpack_from("<I", body)[0]] = _sheet_name(body)
        elif kind == _EOF:
            in_globals = False
        elif kind in _CELLS and len(body) >= 4:
            extent = _reach(name, sheet, extent, *struct.unpack_from("<HH", body))
        elif kind == _MULTIPLE and len(body) >= 6:
            extent = _reach(name, sheet, extent, struct.unpack_from("<H", body)[0],
                            struct.unpack_from("<H", body, len(body) - 2)[0])


def _records(stream: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(offset, type, data) of each BIFF record; a record cut short ends the walk."""
    at = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        yield at, kind, stream[at + 4:at + 4 + length]
        at += 4 + length


def _sheet_name(body: bytes) -> str:
    """A BOUNDSHEET's name: a short string, 8-bit or UTF-16 as its flag says."""
    length, wide = body[6], body[7] & 1
    text = body[8:8 + length * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", "replace")


def _reach(name: str, sheet: str, extent: tuple[int, int], row: int, col: int) -> tuple[int, int]:
    """The sheet's extent stretched to a cell; refused once its rectangle is too large."""
    last_row, last_col = max(extent[0], row), max(extent[1], col)
    if (last_row + 1) * (last_col + 1) > MAX_SHEET_CELLS:
        raise sheet_too_large(name, sheet, last_row, last_col)
    return last_row, last_col
