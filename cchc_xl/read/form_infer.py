"""A province's form derived from the appendix it already uses (`cchc-xl form infer`).

Nobody should type a form file row by row when the appendix exists as a table. The steps:
`printed_rows` reads the table as printed, `form_tree` codes its rows and finds their parents,
`inferred_kinds` tells what each holds, `inferred_rules` the rules its labels imply. What is
guessed is said as a comment above the row or rule in the written text ("suy luận"), so the
officer reviews exactly those lines. The text is proven a valid form before it is returned:
a table the steps cannot make a form of is refused with the form checker's own message.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc_xl.forms.form_files import parse_form_text
from cchc_xl.forms.form_writer import Item, form_file_text
from cchc_xl.read.form_tree import Node, build_nodes, starts
from cchc_xl.read.inferred_kinds import decide_kinds
from cchc_xl.read.inferred_rules import inferred_rules
from cchc_xl.read.matching import label_key
from cchc_xl.read.printed_rows import PrintedTable, printed_table

_SHEET_NAME_MAX = 31
_HEADING = "THỐNG KÊ SỐ LIỆU KẾT QUẢ CẢI CÁCH HÀNH CHÍNH"
_YEAR = re.compile(r"\b(20\d\d)\b")
_PERIOD_WORDS = re.compile(r"\s(?:QUÝ|6 THÁNG|9 THÁNG|NĂM|TRÊN ĐỊA BÀN)\s")
_NOT_IN_IDS = re.compile(r"[^a-z0-9]+")
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
_TITLES = tuple(label_key(t) for t in ("Phụ lục", "Biểu số", "Biểu mẫu", "Mẫu số"))
_TITLE_WORDS = 4
_ISSUERS = tuple(label_key(t) for t in ("UBND", "Ủy ban nhân dân", "Uỷ ban nhân dân", "Cộng hòa", "Cộng hoà",
                                        "Độc lập", "Sở Nội vụ", "Phòng Nội vụ"))


@dataclass(frozen=True)
class InferredForm:
    """The form file text, what it holds, and what the officer should look at first."""

    text: str
    rows: int
    rules: int
    guesses: int
    #: renumbered rows and the table's size, said to the user (Vietnamese)
    remarks: tuple[str, ...]


def infer_form(path: Path, form_id: str, level: str = "xã") -> InferredForm:
    """The form file text derived from the appendix table in `path` (any file the reader opens).

    Raises `ReadError` when the file has no table, `CatalogError` when what was derived is no
    valid form (both Vietnamese)."""
    table = printed_table(path)
    nodes = build_nodes(table.rows)
    decide_kinds(nodes)
    rules = inferred_rules(nodes)
    rows = [_row_item(node) for node in nodes]
    text = form_file_text(_meta(table, form_id, level), rows, rules, _header(path))
    parse_form_text(text, f"Biểu mẫu suy ra từ '{path.name}'")
    guesses = sum(len(item.comments) for item in rows + rules)
    return InferredForm(text, len(rows), len(rules), guesses, tuple(_remarks(table, nodes)))


def form_id_for(path: Path) -> str:
    """A form id from a file name ("Biểu mẫu Sóc Trăng 2023.toml" → "bieu_mau_soc_trang_2023")."""
    text = unicodedata.normalize("NFD", path.stem.lower().replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_IN_IDS.sub("_", text).strip("_") or "bieu_mau"


def _header(path: Path) -> list[str]:
    return [f"Biểu mẫu suy ra từ bảng phụ lục của tệp '{path.name}' (cchc-xl form infer, {dt.date.today():%d/%m/%Y}).",
            "Các dòng '# suy luận' là điều chương trình đoán từ tên chỉ tiêu và đơn vị tính: xem lại từng dòng,",
            "sửa nếu cần, rồi chạy: cchc-xl form check <tệp này>.",
            "over_time (stock: số tại ngày báo cáo; flow: số phát sinh trong kỳ) cũng là đoán từ tên chỉ tiêu."]


def _row_item(node: Node) -> Item:
    fields: dict[str, Any] = {"code": node.code, "label": node.label, "kind": node.kind}
    if node.kind != "group":
        fields |= {"unit": node.unit, "choices": node.choices, "agg": node.agg, "weight": node.weight,
                   "over_time": node.over_time, "required_if": node.weight}
    return Item(fields, [f"suy luận ({node.code}): {reason}" for reason in node.reasons])


def _meta(table: PrintedTable, form_id: str, level: str) -> dict[str, str]:
    """The [form] table: a short "Phụ lục …" line as title, the heading from the upper-case lines
    above the table, the year they name; the sheet keeps the workbook's own sheet name."""
    title = next((t for t in table.titles if _is_title(t)), "Phụ lục")
    years = [int(y) for t in table.titles for y in _YEAR.findall(t)]
    version = f"{max(years, default=dt.date.today().year)}.1"
    sheet = table.sheet if table.workbook else title
    return {"id": form_id, "title": title, "heading": _heading(table.titles), "level": level,
            "version": version, "sheet": _NOT_IN_SHEET_NAMES.sub(" ", sheet)[:_SHEET_NAME_MAX].strip()}


def _is_title(text: str) -> bool:
    """A form's name printed in the corner ("Phụ lục 01b", "Biểu số 02"), not its heading."""
    return starts(label_key(text), _TITLES) and len(text.split()) <= _TITLE_WORDS


def _heading(titles: tuple[str, ...]) -> str:
    """The upper-case lines above the table as one heading, without the issuing body's lines
    ("UBND TỈNH …", "CỘNG HÒA …") and the period and place they end with ("… CẢI CÁCH HÀNH
    CHÍNH QUÝ I NĂM 2023 TRÊN ĐỊA BÀN …"): the template adds its own."""
    lines = [" ".join(t.split()) for t in titles
             if t.isupper() and not _is_title(t) and not starts(label_key(t), _ISSUERS)]
    return _PERIOD_WORDS.split(" ".join(lines), maxsplit=1)[0].strip() or _HEADING


def _remarks(table: PrintedTable, nodes: list[Node]) -> list[str]:
    remarks = [f"{n.printed.place}: STT in là \"{n.printed.stt}\", đánh lại là {n.code}." for n in nodes if n.renumbered]
    groups = sum(1 for n in nodes if n.kind == "group")
    remarks.append(f"Trang '{table.sheet}': {len(nodes)} dòng, trong đó {groups} dòng nhóm và "
                   f"{len(nodes) - groups} chỉ tiêu có ô nhập.")
    return remarks
