"""A workbook itself (.xlsx, .xlsm, .xls, .xlsb, .ods): its sheets' cached values, its formula cells.

Values come from python-calamine (fast, and it only reads: nothing is evaluated or run, a macro
is never even looked at), whatever the format. It returns a formula's cached value but shows a
formula that has none, and a stored error such as #DIV/0!, as a blank cell; in an .xlsx
`Book.why_blank` looks such a cell up in the sheet's XML, only when a blank value cell makes the
question matter.

`opening` reads the file into memory once and inspects those bytes (zip bomb, XML entities,
sheets reaching too far, encryption); calamine parses the very same bytes, so a file changed on
disk in between cannot slip past, and any file name the system allows can be opened. A Rust
panic or an out-of-range date inside calamine becomes a `ReadError` too, never a crash of the run.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from cchc_xl.common.cells import cell_ref
from cchc_xl.common.problems import ReadError
from cchc_xl.read.xlsx_package import sheet_parts

Grid = list[list[Any]]
T = TypeVar("T")

#: The largest serial number a date cell can hold (31/12/9999).
MAX_DATE_SERIAL = 2958465.99999
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
    """An opened workbook: sheet names with visibility, values by sheet, formula cells on demand
    (an .xlsx's `archive`; other formats have none: their blank cells are only blank)."""

    path: Path
    workbook: CalamineWorkbook
    archive: zipfile.ZipFile | None
    visible: dict[str, bool]
    _xml: dict[str, bytes] = field(default_factory=dict)
    _merged: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = field(default_factory=dict)

    def __enter__(self) -> "Book":
        return self

    def __exit__(self, *_: object) -> None:
        self.workbook.close()
        if self.archive is not None:
            self.archive.close()

    def ref(self, row: int, col: int) -> str:
        """The name of a 0-based cell in messages and provenance: "D45"."""
        return cell_ref(row, col)

    def row_name(self, row: int) -> str:
        """The name of a 0-based row in messages: "Dòng 45"."""
        return f"Dòng {row + 1}"

    def span(self, top: int, left: int, bottom: int, right: int) -> str:
        """The name of a merged range in messages: "D45:D47"."""
        return f"{self.ref(top, left)}:{self.ref(bottom, right)}"

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
        if self.archive is None:
            return b""
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


def open_workbook(path: Path, data: bytes, archive: zipfile.ZipFile | None, what: str) -> Book:
    """A workbook from the bytes `opening` has inspected (`archive`: an .xlsx's zip, else None);
    `what` names its format in a message ("sổ làm việc Excel 97-2003 (.xls)")."""
    try:
        workbook = _guarded(lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)))
        visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in workbook.sheets_metadata}
    except _Failure as error:
        if archive is not None:
            archive.close()
        raise ReadError(_diagnose(path, error, what), "corrupt") from error
    return Book(path, workbook, archive, visible)


def _diagnose(path: Path, error: Exception, what: str) -> str:
    return (f"Tệp '{path.name}' bị hỏng, không đọc được như {what} ({error}). "
            "Đề nghị đơn vị mở lại tệp, lưu lại rồi gửi lại.")


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
