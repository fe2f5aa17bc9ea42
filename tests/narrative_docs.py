"""Report fixtures for the cross-check: .docx files built with python-docx from the seeds' text.

Seed 001 is text extracted from a PDF: each printed line stands alone and some diacritics are
lost ("hồ s " for "hồ sơ"). Its lines are joined back into paragraphs (a paragraph ends where a
line ends a sentence or a heading) and the few broken words the phrases meet are repaired, as
they stand in the commune's Word file. Its appendix table is the seed's values (the Hoằng Lưu
sample) under the printed header. Seeds 003 and 000 are one paragraph a line; 003's table is
tab-separated, 000's the Quảng Hòa sample's values under the same header.
"""
from __future__ import annotations

import re
from pathlib import Path

from docx import Document

from cchc_xl.commune.samples import load_sample
from cchc_xl.forms.catalog import load_form

SEEDS = Path("/work/shared/seeds")
HOANG_LUU_SEED = SEEDS / "001_b08f386338765894.txt"
CU_LAO_DUNG_SEED = SEEDS / "003_4aba2c58afae6fbd.txt"
QUANG_HOA_SEED = SEEDS / "000_45685475d7961215.txt"
#: Words the PDF extraction broke in seed 001, as the commune typed them.
REPAIRS = {"hồ s ": "hồ sơ ", "Qu ": "Quý ", "qu ": "quý "}
HEADER = ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"]


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]


def hoang_luu_paragraphs() -> list[str]:
    lines = _lines(HOANG_LUU_SEED)
    body = lines[:next(i for i, line in enumerate(lines) if line.startswith("Phụ lục 01b"))]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in body:
        current.append(line)
        if re.search(r"[.:;]$", line) or line.upper() == line or re.match(r"^([IVX]+|\d+)[.\s]", line) and len(line) < 90:
            paragraphs.append(_repaired(" ".join(current)))
            current = []
    return paragraphs + ([_repaired(" ".join(current))] if current else [])


def _repaired(text: str) -> str:
    text = " ".join(text.split()) + " "
    for broken, repaired in REPAIRS.items():
        text = text.replace(broken, repaired)
    return text.strip()


def sample_table(name: str, printed: dict[str, str] | None = None) -> list[list[str]]:
    """A sample's appendix rows (code, label, unit, value, note), `printed` values as the seed prints them."""
    sample = load_sample(name)
    rows = [HEADER]
    for row in load_form(sample.form).rows:
        value = (printed or {}).get(row.code, sample.values.get(row.code, ""))
        rows.append([row.code, row.label, row.unit, str(value), ""])
    return rows


def hoang_luu_table() -> list[list[str]]:
    """Seed 001's appendix, the plan dated as printed."""
    return sample_table("hoang_luu_2023_q2", {"1.1": "QĐ Số 252/QĐ-UBND ngày 30/12/2023"})


def cu_lao_dung_paragraphs() -> list[str]:
    lines = _lines(CU_LAO_DUNG_SEED)
    return lines[:next(i for i, line in enumerate(lines) if line.startswith("**BẢNG TỔNG HỢP"))]


def quang_hoa_paragraphs() -> list[str]:
    """Seed 000's text, one paragraph a line, up to its appendix "Phụ lục 2"."""
    lines = _lines(QUANG_HOA_SEED)
    return lines[:lines.index("Phụ lục 2")]


def cu_lao_dung_table() -> list[list[str]]:
    lines = CU_LAO_DUNG_SEED.read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("STT\t"))
    rows = [line.split("\t") for line in lines[start:] if "\t" in line]
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def write_report(path: Path, paragraphs: list[str], table: list[list[str]]) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    document.save(path)
    return path
