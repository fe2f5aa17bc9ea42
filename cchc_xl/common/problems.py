"""What reading a file can go wrong with: a fatal `ReadError`, or `Problem` records as data.

Kept apart from the reader so every module that opens, sniffs or matches can report without
importing the reader itself. `Problem.kind` is a stable code that tests and tools rely on;
the message is Vietnamese and names the cell.
"""
from __future__ import annotations

from dataclasses import dataclass


class ReadError(Exception):
    """The file cannot be read at all; the message names it, in Vietnamese.

    `kind` is a stable code: empty, encrypted (a password to open the file, any format), text,
    corrupt, not_spreadsheet (neither a workbook nor a Word report), too_large, no_table (no
    appendix table in any sheet, or in the Word report), not_docx (a report that is no readable .docx), folder, district (a consolidated
    workbook, not a commune appendix), unopenable, or, for hostile content (see `opening`):
    bomb (an entry inflating past its declared size), dtd (XML declaring entities),
    sheet_too_large (cells reaching beyond what a sheet may span), date_range (a date cell
    holding a number no date can be).
    """

    def __init__(self, message: str, kind: str = "unopenable") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    cell: str | None = None
    code: str | None = None
    kind: str = "read"


#: Stable problem kinds of the reader, with what each means.
KINDS: dict[str, str] = {
    "unplaced_row": "a row whose code and label match no indicator; its text and value are in the message",
    "duplicate_code": "a second row for an indicator already read; the first is kept, this value is in the message",
    "missing_row": "an indicator of the form with no row in the sheet",
    "group_value": "a value typed on a group heading, which has no value of its own",
    "no_2023_row": "a value of the 2022 form whose indicator has no counterpart in the 2023 form",
    "code_mismatch": "the STT code names another indicator than the label; placed by the label",
    "label_mismatch": "the label does not resemble the indicator of the STT code; placed by the code",
    "number_text": "a number typed as text, read as a number",
    "date_text": "a date typed as text, read as a date",
    "text": "text where a number is expected; never read as 0",
    "formula_no_value": "a formula whose result was never computed (no cached value); read as blank",
    "error_value": "a cell holding an error such as #DIV/0!; read as blank",
    "unknown_form": "the meta sheet names a form this version does not know; the form is guessed from labels",
    "unit_unknown": "the reporting unit was found neither in the meta sheet, the title nor the file name",
    "period_unknown": "the period was found neither in the meta sheet, the title nor the file name",
    "period": "the meta sheet holds an invalid period",
    "hidden_sheet": "the table was read from a hidden sheet, which Excel does not show",
    "merged": "a value cell lies under a merged range: its value is hidden in Excel, or the range's value is the first row's",
    "date_range": "a number in a date-formatted cell outside Excel's dates; read as the number itself",
    "not_finite": "a value that is no finite number (overflowing Excel's range); not consolidated",
    "too_long": "text longer than an Excel cell holds; the district workbook keeps its beginning",
    "text_below": "words in the value column under the table (a signature block), each cell listed; not read",
    "report_unreadable": "a commune's report (.docx beside its workbook) that cannot be read; its text is not cross-checked",
}


def os_reason(error: OSError) -> str:
    """Why the system refused a file, in Vietnamese; its own words (English on Linux) only
    where no plainer reason is known."""
    if isinstance(error, FileNotFoundError):
        return "không tìm thấy tệp (đã bị xóa, đổi tên hoặc chuyển đi)"
    if isinstance(error, PermissionError):
        return "không có quyền truy cập tệp, hoặc tệp đang mở trong chương trình khác (như Excel) và bị khóa"
    return f"lỗi của hệ điều hành ({error.strerror or error})"
