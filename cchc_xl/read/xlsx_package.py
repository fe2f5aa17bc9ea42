"""A workbook's zip package, inspected before any parser sees it.

python-calamine (Rust) trusts the package it parses. Some files would make it exhaust the
memory or abort: a Rust allocation failure or panic is no Python exception, so one file would
end the whole consolidation. Everything such a file could do is refused here first, from the
very bytes the parser is then given, each with a Vietnamese message naming the file:

- a zip bomb: the sizes the zip declares are capped (`MAX_UNPACKED_BYTES`) and every entry is
  inflated through a bounded stream, never past its declared size plus one byte, so a
  declaration that lies is caught without inflating the rest;
- a DTD (`<!DOCTYPE`, `<!ENTITY`): Excel never writes one, and it is how external entities
  (XXE: the content of a file or URL pulled into a cell) and entity expansion ("billion laughs")
  are declared. python-calamine does not expand entities (it rejects any it does not know) and
  the reader's own XML scanning never expands any, but such a file is refused, not parsed;
- a sheet whose cells reach too far: calamine allocates the whole rectangle from A1 to the
  farthest cell holding anything, so a lone cell at XFD1048576 asks for 512 GB and aborts the
  process; cell addresses must be Excel's own (A1 … XFD1048576) and the area at most
  `MAX_SHEET_CELLS`.
"""
from __future__ import annotations

import hashlib
import html
import itertools
import operator
import posixpath
import re
import struct
import zipfile
import zlib

from cchc_xl.common.cells import column_index, column_letters
from cchc_xl.common.problems import ReadError

#: Parts inflating beyond this in total are refused (a zip bomb would fill the memory).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: A sheet whose used rectangle (A1 to its farthest cell) holds more cells than this is refused:
#: an appendix needs about a thousand, and calamine allocates the whole rectangle at once.
MAX_SHEET_CELLS = 2_000_000
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384

_LOCAL_HEADER = b"PK\x03\x04"
#: Entities can only be declared inside a DOCTYPE (calamine reads UTF-8 only; openpyxl also UTF-16).
_DTD = "<!DOCTYPE".encode()
#: The UTF-16 spellings, looked for only in a part holding a NUL byte, as all UTF-16 markup does.
_DTD_UTF16 = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-16-le", "utf-16-be"))
#: Pictures (a report's logo, a scanned signature) are never parsed as XML: no DOCTYPE matters there.
_MEDIA = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf")
_SHEET_DATA = b"sheetData"
_PREFIX = rb"(?:[^\s<>/:=\"']+:)?"
_ATTRIBUTES = rb"((?:\s+[^\s<>/=\"']+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*)\s*"
#: A row or cell tag, opening, closing or empty, with its attributes.
_ROW_OR_CELL = re.compile(rb"<(/?)" + _PREFIX + rb"(row|c)(?=[\s/>])" + _ATTRIBUTES + rb"(/?)>")
#: Every opening of a row or cell tag, however malformed: each must be one `_ROW_OR_CELL` reads.
_ANY_ROW_OR_CELL = re.compile(rb"</?" + _PREFIX + rb"(?:row|c)[\s/>]")
#: A cell tag as Excel and the usual libraries write it: unprefixed, its reference first and alone.
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?:\s+(?!r\s*=)[\w:.-]+="[^"<]*")*\s*(/?)>')
_ANY_PLAIN_CELL = re.compile(rb"<c[\s/>]")
#: Columns A…ZZ and rows 1…999: at most 702 × 999 cells, well inside `MAX_SHEET_CELLS`.
SMALL_BOX = (999, 702)
#: A cell tag (`_ANY_PLAIN_CELL`) that is not a plain one (`_PLAIN_CELL`) naming a cell inside
#: `SMALL_BOX`: the first such tag is searched for, no list of all the tags is built. The style
#: and type attributes, in the order Excel and openpyxl write them (` s="12" t="n"`), are read
#: as literals first: a third less time than the general attribute loop, which reads the rest.
_OUTSIDE_SMALL_BOX = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z]{1,2}[0-9]{1,3}"(?: s="[0-9]{1,5}")?+(?: t="[a-zA-Z]{1,9}")?+'
                                rb'(?:\s++(?!r\s*=)[\w:.-]++="[^"<]*+")*+\s*+/?>)')
_PREFIXED_ROW_OR_CELL = re.compile(rb":(?:c|row)[\s/>]")
_R = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_REF = re.compile(rb"([A-Z]{1,3})([0-9]{1,7})")
_ROW_REF = re.compile(rb"[0-9]{1,7}")
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_RELATION = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')


def inspect_package(name: str, archive: zipfile.ZipFile, data: bytes, sheets: bool = True) -> None:
    """Refuse a package (`ReadError`) that is too big, lies about its sizes, declares XML
    entities or (an .xlsx's, `sheets`) holds a sheet reaching too far. `data` is the file's
    bytes, `archive` their zip; the same bounds serve an .ods and a .docx, whose parts are XML too."""
    entries = archive.infolist()
    declared = sum(e.file_size for e in entries)
    if declared > MAX_UNPACKED_BYTES:
        raise ReadError(f"Tệp '{name}' giải nén ra {declared // (1024 * 1024)} MB, lớn bất thường với một "
                        "phụ lục (có thể là tệp độc hại); đã bỏ qua.", "too_large")
    names = None
    view = memoryview(data)
    for entry in entries:
        raw = _raw(name, entry, view)
        media = entry.filename.lower().endswith(_MEDIA)
        key = (hashlib.blake2b(raw, digest_size=16).digest(), entry.compress_type, entry.file_size, entry.CRC,
               media, sheets)
        if key in _INSPECTED:
            continue
        content = _content(name, entry, raw)
        if not media and _declares_entities(content):
            raise ReadError(f"Tệp '{name}' có khai báo thực thể XML (DOCTYPE/ENTITY) trong phần "
                            f"'{entry.filename}': Excel, LibreOffice và Word không bao giờ tạo ra như vậy, đây là dấu hiệu tệp độc hại "
                            "(đọc trộm tệp trên máy hoặc làm treo máy). Đã bỏ qua, không đọc nội dung. Đề nghị "
                            "đơn vị nhập số liệu vào mẫu phụ lục và gửi lại.", "dtd")
        if sheets and _SHEET_DATA in content and not _in_small_box(content):
            names = names if names is not None else _sheet_names(archive)  # only messages need them
            _check_extent(name, names.get(entry.filename, entry.filename), content)
        _remember(key)


def _declares_entities(content: bytes) -> bool:
    """A DOCTYPE in UTF-8, or in UTF-16 (whose every ASCII character carries a NUL byte, so the
    quick search for a NUL spares most parts two searches)."""
    return _DTD in content or (b"\x00" in content and any(mark in content for mark in _DTD_UTF16))


#: Parts that passed, by a cryptographic digest of their stored (compressed) bytes and what
#: else their inspection depends on: the same bytes inflate to the same content, so the parts
#: every copy of the template shares (its hidden rule sheet, styles, theme) are inflated and
#: scanned once per process. A CRC would not do: a crafted part can match any CRC.
_INSPECTED: set[tuple[bytes, int, int, int, bool, bool]] = set()
_MAX_INSPECTED = 1024


def _remember(key: tuple[bytes, int, int, int, bool, bool]) -> None:
    if len(_INSPECTED) >= _MAX_INSPECTED:
        _INSPECTED.clear()
    _INSPECTED.add(key)


def _content(name: str, entry: zipfile.ZipInfo, raw: memoryview) -> bytes:
    """The entry's content, inflated never past its declared size plus one byte."""
    if entry.compress_type == zipfile.ZIP_STORED:
        content = bytes(raw)
    elif entry.compress_type == zipfile.ZIP_DEFLATED:
        content = _inflate(name, entry, raw)
    else:
        raise _corrupt(name, f"phần '{entry.filename}' nén theo cách Excel không dùng")
    if len(content) > entry.file_size:
        raise ReadError(f"Tệp '{name}': phần '{entry.filename}' giải nén ra nhiều hơn kích thước tệp tự khai "
                        f"({entry.file_size} byte), dấu hiệu của «bom nén» (tệp độc hại làm tràn bộ nhớ). "
                        "Đã dừng giải nén và bỏ qua tệp.", "bomb")
    if len(content) < entry.file_size or zlib.crc32(content) != entry.CRC:
        raise _corrupt(name, f"phần '{entry.filename}' không toàn vẹn")
    return content


def _raw(name: str, entry: zipfile.ZipInfo, view: memoryview) -> memoryview:
    """The entry's compressed bytes, located through its local header."""
    start = entry.header_offset
    header = bytes(view[start:start + 30])
    if len(header) < 30 or not header.startswith(_LOCAL_HEADER) or entry.flag_bits & 0x1:
        raise _corrupt(name, f"phần '{entry.filename}' không đọc được")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_length + extra_length
    raw = view[begin:begin + entry.compress_size]
    if len(raw) < entry.compress_size:
        raise _corrupt(name, f"phần '{entry.filename}' bị cắt cụt")
    return raw


def _inflate(name: str, entry: zipfile.ZipInfo, raw: memoryview) -> bytes:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        content = inflater.decompress(raw, entry.file_size + 1)
    except zlib.error as error:
        raise _corrupt(name, f"phần '{entry.filename}' giải nén lỗi") from error
    if len(content) <= entry.file_size and not inflater.eof:
        raise _corrupt(name, f"phần '{entry.filename}' bị cắt cụt")
    return content


def _corrupt(name: str, what: str) -> ReadError:
    return ReadError(f"Tệp '{name}' bị hỏng ({what}; có thể tải về chưa hết hoặc tệp bị sửa). "
                     "Đề nghị đơn vị mở lại bằng Excel, lưu dạng .xlsx và gửi lại.", "corrupt")


def _check_extent(name: str, sheet: str, xml: bytes) -> None:
    """Refuse a sheet whose cells lie beyond Excel's grid or span too large a rectangle, as
    measured (the caller has first asked the quicker `_in_small_box`)."""
    last_row, last_col = _plain_extent(xml) or _walked_extent(name, sheet, xml)
    rows, cols = last_row + 1, last_col + 1
    if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > MAX_SHEET_CELLS:
        raise sheet_too_large(name, sheet, last_row, last_col)


def sheet_too_large(name: str, sheet: str, last_row: int, last_col: int) -> ReadError:
    """The message for a sheet whose farthest cell (0-based) makes its rectangle too large."""
    rows, cols = last_row + 1, last_col + 1
    far = f"{column_letters(last_col)}{last_row + 1}"
    return ReadError(f"Tệp '{name}': trang '{sheet}' có ô tới tận ô {far} (vùng {_grouped(rows)} dòng × "
                     f"{_grouped(cols)} cột), vượt giới hạn {_grouped(MAX_SHEET_CELLS)} ô mà một phụ lục cần; có thể "
                     "là tệp độc hại hoặc có ô thừa ở rất xa bảng. Đề nghị đơn vị xóa các dòng, cột thừa rồi gửi lại.",
                     "sheet_too_large")


def _in_small_box(xml: bytes) -> bool:
    """Every cell tag is plain and names a cell inside `SMALL_BOX` (none is `_OUTSIDE_SMALL_BOX`):
    the sheet fits whatever its cells hold. The quick answer for what an appendix is, since
    measuring the exact extent (which cells hold something) costs twice as much; anything else
    is measured."""
    return not _PREFIXED_ROW_OR_CELL.search(xml) and not _OUTSIDE_SMALL_BOX.search(xml)


def _plain_extent(xml: bytes) -> tuple[int, int] | None:
    """The 0-based farthest row and column when every cell tag is plain (`<c r="D45" …>`), else None.

    The quick path for what Excel writes: each cell names its place, so rows need no walking.
    """
    if _PREFIXED_ROW_OR_CELL.search(xml):
        return None
    cells = _PLAIN_CELL.findall(xml)
    if len(cells) != len(_ANY_PLAIN_CELL.findall(xml)):
        return None
    letters, digits, empties = zip(*cells) if cells else ((), (), ())
    filled = list(map(operator.not_, empties))
    if not any(filled):
        return -1, -1
    last_row = max(map(int, itertools.compress(digits, filled))) - 1
    last_letters = max(set(itertools.compress(letters, filled)), key=lambda text: (len(text), text))
    return last_row, column_index(last_letters)


def _walked_extent(name: str, sheet: str, xml: bytes) -> tuple[int, int]:
    """The 0-based farthest row and column of a sheet, walking rows and cells as calamine places them.

    Rows and cells are walked as calamine places them: a cell's `r` gives its place, else it
    follows the previous cell of its row; a row's `r` gives its number, else it follows the
    previous row. An empty tag (`<c r="Z9" s="3"/>`, a formatted blank cell) moves the walk on
    but stretches no area: calamine skips cells without content.
    """
    tags = _ROW_OR_CELL.findall(xml)
    if len(tags) != len(_ANY_ROW_OR_CELL.findall(xml)):
        raise _corrupt(name, f"trang '{sheet}' có thẻ ô hoặc dòng sai cú pháp")
    row = col = 0
    last_row = last_col = -1
    for closing, tag, attributes, empty in tags:
        ref = _r_value(attributes)
        if tag == b"row":
            if closing:
                row, col = row + 1, 0
                continue
            if ref is not None:
                if not _ROW_REF.fullmatch(ref) or not 1 <= int(ref) <= MAX_ROWS:
                    raise _bad_ref(name, sheet, ref)
                row = int(ref) - 1
            if empty:
                row, col = row + 1, 0
            continue
        if closing:
            continue
        at = (row, col)
        if ref is not None:
            at = _cell_at(name, sheet, ref)
        row_at, col = at
        if not empty:
            last_row, last_col = max(last_row, row_at), max(last_col, col)
        col += 1
    return last_row, last_col


def _r_value(attributes: bytes) -> bytes | None:
    """The last `r` attribute of a tag (calamine keeps the last of duplicates)."""
    found = _R.findall(attributes)
    if not found:
        return None
    double, single = found[-1]
    return double or single


def _cell_at(name: str, sheet: str, ref: bytes) -> tuple[int, int]:
    """0-based (row, column) of an Excel cell reference; anything else is refused."""
    match = _CELL_REF.fullmatch(ref)
    if match is None:
        raise _bad_ref(name, sheet, ref)
    row, col = int(match.group(2)) - 1, column_index(match.group(1))
    if not 0 <= row < MAX_ROWS or col >= MAX_COLUMNS:
        raise _bad_ref(name, sheet, ref)
    return row, col


def _bad_ref(name: str, sheet: str, ref: bytes) -> ReadError:
    shown = ref[:20].decode("utf-8", "replace")
    return _corrupt(name, f"trang '{sheet}' có địa chỉ ô không hợp lệ \"{shown}\"")


def _grouped(number: int) -> str:
    """1048576 → "1.048.576", as Vietnamese writes it."""
    return f"{number:,}".replace(",", ".")




def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet names by the zip path of their XML, for messages (empty when unreadable)."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    return {part: sheet for sheet, part in sheet_parts(workbook, relations).items()}


def sheet_parts(workbook: bytes, relations: bytes) -> dict[str, str]:
    """The zip path of each sheet's XML by sheet name, through workbook.xml and its relationships."""
    targets = {}
    for tag in _RELATION.findall(relations):
        attributes = _attributes(tag)
        target = attributes.get("Target", "")
        targets[attributes.get("Id")] = (target.lstrip("/") if target.startswith("/")
                                         else posixpath.normpath(posixpath.join("xl", target)))
    parts = {}
    for tag in _SHEET_TAG.findall(workbook):
        attributes = _attributes(tag)
        relation = next((v for k, v in attributes.items() if k.endswith(":id")), None)
        if relation in targets:
            parts[html.unescape(attributes.get("name", ""))] = targets[relation]
    return parts


def _attributes(tag: bytes) -> dict[str, str]:
    return {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTRIBUTE.findall(tag)}
