"""What each row of a printed appendix holds, told from its unit and label: the second step of
`form infer`, after `form_tree` has coded the rows.

Choices written in the unit ("Có = 1 Không = 0", "Trực tuyến = 0 …", "0/1/2") make a coded
row; a label asking "Có …" a yes/no row; "%" or "Tỷ lệ" a percentage; a date value or the unit
"Ngày" a date; any other unit, or a number with none, a count; no unit and no number, text.
Where the label and the unit disagree (a count printed in a "%" row, a yes/no question printed
with the unit "Tin, bài"), the label wins and a reason says so. A row with sub-rows is a total
when its label counts ("Số …", "Tổng số …") and it has a unit or parts that add up, else a group
heading. A percentage printed as a part of a count ("Trong đó: Tỷ lệ …") is weighted by it.
"""
from __future__ import annotations

import re
import unicodedata

from cchc_xl.forms.numbers import is_number, parse_number
from cchc_xl.read.form_tree import Node, contains, starts
from cchc_xl.read.inferred_rules import sum_parts
from cchc_xl.read.matching import label_key

_PERCENT = "%"
_CHOICE = re.compile(r"(.+?)\s*=\s*(\d+)(?!\d)")
_SLASHED = re.compile(r"^\d(?:\s*/\s*\d)+$")
_YES_NO = re.compile(r"^có\s", re.IGNORECASE)  # on the label itself: "Cơ quan …" has the same key
_RATE = label_key("Tỷ lệ")
_DATE_UNITS = {label_key(u) for u in ("Ngày", "Ngày tháng", "Ngày ban hành")}
#: Words of a count that is a level at the report date, not what happened during the period
#: (whole phrases: keys lose "đ", so "đang" alone would match "đăng").
_STOCK_WORDS = tuple(label_key(w) for w in ("đang có", "đang cung cấp", "đang áp dụng", "đang thực hiện", "có mặt",
                                            "lũy kế", "hiện có", "được giao", "được phê duyệt", "kế hoạch", "đề ra"))


def decide_kinds(nodes: list[Node]) -> None:
    """Kind, unit and aggregation of every row; sub-rows first, since a total needs its parts'."""
    for node in reversed(nodes):
        _decide(node)
    for node in nodes:
        _weighted_share(node)


def _decide(node: Node) -> None:
    unit = node.printed.unit
    choices = _choices(unit)
    if choices:
        _code_row(node, choices)
    elif _YES_NO.match(unicodedata.normalize("NFC", node.label)) and unit != _PERCENT:
        _code_row(node, {0: "Không", 1: "Có"})
        if unit:
            node.reasons.append(f'tên chỉ tiêu hỏi có/không nhưng đơn vị tính in là "{unit}": '
                                "mã Không = 0, Có = 1")
    elif unit == _PERCENT or starts(node.key, (_RATE,)):
        _percent_or_count(node, unit)
    elif label_key(unit) in _DATE_UNITS or node.printed.dated:
        node.kind, node.unit, node.over_time = "date", unit or "Ngày", "stock"
    elif node.children:
        _total_or_group(node, unit)
    else:
        _count(node, unit)


def _code_row(node: Node, choices: dict[int, str]) -> None:
    node.kind, node.unit, node.choices, node.over_time = "code", "Mã", choices, "stock"
    node.agg = "count_yes" if set(choices) == {0, 1} else "none"


def _percent_or_count(node: Node, unit: str) -> None:
    if node.counting and not contains(node.key, _RATE):
        node.reasons.append(f'đơn vị tính in là "{unit}" nhưng tên chỉ tiêu là một số lượng: '
                            "loại count, sửa đơn vị tính")
        _count(node, "")
        return
    node.kind, node.unit, node.agg, node.over_time = "percent", _PERCENT, "none", "stock"


def _weighted_share(node: Node) -> None:
    """A percentage printed as a part of a count is that count's share: weighted by it."""
    parent = node.parent
    if node.kind == "percent" and node.is_part and parent is not None and parent.kind == "count":
        node.agg, node.weight, node.over_time = "ratio", parent.code, "ratio"
        node.reasons.append(f"tỷ lệ trong tổng {parent.code}: tổng hợp có trọng số theo {parent.code}")


def _count(node: Node, unit: str) -> None:
    node.kind, node.agg = "count", "sum"
    node.unit = unit or _total_unit(node)
    node.over_time = "stock" if any(contains(node.key, w) for w in _STOCK_WORDS) else "flow"
    if node.unit:
        return
    if is_number(_number(node)) or node.counting:
        if not node.reasons:
            node.reasons.append("không in đơn vị tính; là một số lượng (count): ghi đơn vị tính")
    else:
        node.kind, node.agg, node.over_time = "text", "none", "stock"
        node.reasons.append("không có đơn vị tính và không có số: chỉ tiêu ghi bằng chữ (text)")


def _total_unit(node: Node) -> str:
    """A part printed without a unit counts in its total's unit."""
    parent = node.parent
    if node.is_part and parent is not None and parent.printed.unit not in ("", _PERCENT):
        node.reasons.append(f"không in đơn vị tính; dùng đơn vị của tổng {parent.code}")
        return parent.printed.unit
    return ""


def _total_or_group(node: Node, unit: str) -> None:
    parts = sum_parts(node)
    if node.counting and (parts or unit):
        if not unit and parts:
            node.reasons.append(f'không in đơn vị tính; dùng đơn vị của các phần ("{parts[0].unit}")')
        _count(node, unit or (parts[0].unit if parts else ""))
        return
    node.kind, node.unit, node.agg = "group", "", "none"
    if node.printed.value is not None:
        node.reasons.append(f"có chỉ tiêu con nên là dòng nhóm; số in ở dòng này ({node.printed.value}) "
                            "không có ô nhập")


def _number(node: Node) -> object:
    value = node.printed.value
    return parse_number(value) if isinstance(value, str) else value


def _choices(unit: str) -> dict[int, str]:
    """Codes written in a unit cell: "Không = 0; Có = 1", "Trực tuyến = 0 Phát phiếu = 1 …", "0/1/2"."""
    if _SLASHED.match(unit):
        return {int(n): n.strip() for n in unit.split("/")}
    found = {int(number): meaning.strip(" ;,.:-") for meaning, number in _CHOICE.findall(unit)}
    found = {number: meaning for number, meaning in found.items() if meaning}
    return dict(sorted(found.items())) if len(found) >= 2 else {}
