"""A report's text (.docx): its paragraphs, their sentences and clauses, the figures they state.

The text is read in document order, paragraphs and the cells of tables alike, numbered from 1
as an officer counts them (empty paragraphs skipped). The appendix table itself (the table whose
header names "Chỉ tiêu" and "Số liệu", found as `table.find_table` finds it in a sheet) is left
out: it is what the text is compared with. The file is inspected as any workbook is
(`xlsx_package.inspect_package`: size, zip bombs, XML entities) before python-docx sees it.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from cchc_xl.common.problems import ReadError
from cchc_xl.forms.narrative import NUMBER, WRITTEN
from cchc_xl.forms.numbers import parse_number
from cchc_xl.read.table import find_table
from cchc_xl.read.xlsx_package import inspect_package

#: A report is a few hundred kB; a .docx beyond this is refused before it is opened.
MAX_DOCX_BYTES = 30 * 1024 * 1024
#: "252/QĐ-UBND", "252/QĐ - UBND": a document's number and kind.
_DOCUMENT = r"(\d+)\s*/\s*([A-ZĐ]+(?:\s*-\s*[A-ZĐ]+)*)"
#: "Quyết định số 252/QĐ-UBND ngày 30/12/2022": a document cited with its number and date.
CITATION = re.compile(rf"số\s*:?\s*{_DOCUMENT}\s+ngày\s+(\d{{1,2}})\s*/\s*(\d{{1,2}})\s*/\s*(\d{{4}})", re.IGNORECASE)
#: Written-out numbers listed as figures: "một" ("một cửa") and "năm" (year) mostly mean no number.
_LISTED_WORDS = "|".join(w for w in WRITTEN if w not in ("một", "năm"))
#: A figure with the word after it ("602 hồ sơ", "47,37%", "9/19 nhiệm vụ", "hai lần").
FIGURE = re.compile(rf"(?<![\w/.,])((?:{NUMBER})(?:\s*/\s*(?:{NUMBER}))?(?:\s*%)?|(?:{_LISTED_WORDS})(?=\s+[^\W\d]))"
                    r"(?![\w/])\s*(\w+(?:[ \t]+\w+)?)?", re.IGNORECASE)
_DATE_LIKE = re.compile(r"(?:năm|tháng|ngày)\s+\d{1,4}|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d+\s*/\s*\d{4}|\d+/[A-ZĐ][\w-]*|\d+:\d+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[-+*A-ZÀ-ỸĐ])")


@dataclass(frozen=True)
class Paragraph:
    number: int
    text: str


@dataclass(frozen=True)
class Citation:
    """A document named with its number and date; `number` normalised ("252/QĐ-UBND")."""

    number: str
    date: dt.date
    text: str


@dataclass(frozen=True)
class Figure:
    """A number the text states, as written, with the two words after it (its unit, often)."""

    text: str
    after: str
    start: int
    end: int


def read_paragraphs(path: Path) -> list[Paragraph]:
    """The report's paragraphs, or `ReadError` with a Vietnamese message naming the file."""
    from docx import Document
    data = _checked_bytes(path)
    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a broken package
        raise ReadError(f"Tệp '{path.name}' không mở được bằng Word ({type(error).__name__}); "
                        "đề nghị lưu lại dạng .docx và gửi lại.", "corrupt") from error
    texts = [t for t in _texts(document) if t.strip()]
    return [Paragraph(i, " ".join(t.split())) for i, t in enumerate(texts, start=1)]


def _checked_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise ReadError(f"Không tìm thấy tệp báo cáo '{path.name}'.", "unopenable")
    if path.stat().st_size > MAX_DOCX_BYTES:
        raise ReadError(f"Tệp '{path.name}' nặng {path.stat().st_size // (1024 * 1024)} MB, quá lớn với một "
                        "báo cáo; đã bỏ qua.", "too_large")
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise ReadError(f"Tệp '{path.name}' không phải báo cáo Word (.docx).", "not_docx")
            inspect_package(path.name, archive, data)
    except (zipfile.BadZipFile, EOFError, ValueError, RuntimeError, OSError) as error:
        raise ReadError(f"Tệp '{path.name}' không phải tệp Word .docx đọc được (hỏng hoặc sai định dạng; "
                        "tệp .doc cũ cần lưu lại dạng .docx).", "not_docx") from error
    return data


def _texts(document: Any) -> Iterator[str]:
    """Paragraph texts in document order; a table's cells row by row, the appendix table left out."""
    from docx.table import Table
    for block in document.iter_inner_content():
        if not isinstance(block, Table):
            yield block.text
            continue
        grid = [[cell.text for cell in row.cells] for row in block.rows]
        if find_table(grid) is not None:
            continue
        for row in grid:
            yield from _distinct(row)


def _distinct(row: list[str]) -> Iterator[str]:
    """A row's cell texts, a merged cell (repeated by python-docx) once."""
    previous = None
    for text in row:
        if text != previous:
            yield text
        previous = text


def sentences(text: str) -> list[str]:
    """A paragraph cut where a sentence ends (".", "!" or "?" before a capital or a list mark)."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def clauses(sentence: str) -> list[str]:
    """A sentence's parts between semicolons: a figure and its words never cross one."""
    return [c for c in sentence.split(";") if c.strip()]


def citations(text: str) -> list[Citation]:
    """Every document cited with a valid date ("số 05/QĐ-UBND ngày 05/01/2023")."""
    found = []
    for match in CITATION.finditer(text):
        number, kind, day, month, year = match.groups()
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            continue
        found.append(Citation(_document_number(number, kind), date, match.group(0)))
    return found


def document_numbers(text: str) -> set[str]:
    """The document numbers a text names ("QĐ số 252/QĐ-UBND" → {"252/QĐ-UBND"})."""
    return {_document_number(*m.groups()) for m in re.finditer(_DOCUMENT, text, re.IGNORECASE)}


def _document_number(number: str, kind: str) -> str:
    return f"{int(number)}/{''.join(kind.split()).upper()}"


def figures(clause: str) -> list[Figure]:
    """Numbers the clause states, leaving out dates, document numbers and the like."""
    masked = _DATE_LIKE.sub(lambda m: "#" * len(m.group(0)), CITATION.sub(lambda m: "#" * len(m.group(0)), clause))
    return [Figure(m.group(1), m.group(2) or "", m.start(1), m.end(1)) for m in FIGURE.finditer(masked)
            if not _numbering(masked, m)]


def _numbering(clause: str, match: re.Match[str]) -> bool:
    """A heading's number ("2. Cải cách…", "3 Công tác…") opening the clause: no figure."""
    if clause[:match.start(1)].strip():
        return False
    after = clause[match.end(1):].lstrip()
    return after.startswith(".") or after[:1].isupper()


def figure_value(text: str) -> float | None:
    """A figure of the text as a number: "1.145" → 1145, "40%" → 40, "hai" → 2."""
    word = text.strip().lower()
    return float(WRITTEN[word]) if word in WRITTEN else parse_number(text)
