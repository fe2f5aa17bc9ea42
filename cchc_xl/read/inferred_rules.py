"""The consistency rules a printed appendix implies by its labels: the third step of
`form infer`.

Three kinds, each as a form's rule with the reason it was inferred (written above it):
- a total and its parts: a counting row ("Số …", "Tổng số …") whose sub-rows all count in
  its unit is their sum; a single "Trong đó" part is at most its total;
- part ≤ whole where the labels say so: a row saying "đã hoàn thành" is at most the sibling (or
  parent) saying "được giao" or "đề ra", "đúng hạn" at most "tiếp nhận", "đã xử lý" at most
  "phát hiện" … (`PAIRS`); among several candidates the one sharing most leading words wins
  ("Số hồ sơ … cấp xã giải quyết" ≤ "Số hồ sơ … cấp xã tiếp nhận", not cấp huyện's);
- shares of one count ("Trong đó: Tỷ lệ …") add up to no more than 100 %;
- a percentage is its count over that count's whole: "Tỷ lệ hồ sơ giải quyết đúng hạn" =
  100 × "Số hồ sơ đã giải quyết đúng hạn" / the "tiếp nhận" row that count is at most (`PAIRS`);
  the row is then weighted by the whole when communes are added up, as the shipped forms do.
Phrases are compared by `label_key`, so broken diacritics match clean ones.
"""
from __future__ import annotations

from cchc_xl.forms.form_writer import Item
from cchc_xl.read.form_tree import COUNTING, Node, contains, starts
from cchc_xl.read.matching import label_key

_TOTAL = (label_key("Tổng số"),)
_RATE = (label_key("Tỷ lệ"), label_key("Tỉ lệ"))
_TENSE = {label_key("đã"), label_key("được")}


def _phrases(*texts: str) -> tuple[str, ...]:
    return tuple(label_key(t) for t in texts)


#: (the smaller side's phrases, the larger side's phrases), tried in this order; a row takes
#: the first pair it finds a candidate for, so "đang cung cấp … có phát sinh hồ sơ" is at most
#: "đang cung cấp", not "đủ điều kiện" too.
PAIRS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (_phrases("đúng hạn", "đúng hẹn"), _phrases("tiếp nhận")),
    (_phrases("giải quyết"), _phrases("tiếp nhận")),
    (_phrases("có phát sinh"), _phrases("đang cung cấp")),
    (_phrases("đang cung cấp"), _phrases("đủ điều kiện")),
    (_phrases("đã hoàn thành"), _phrases("đề ra", "được giao")),
    (_phrases("có mặt"), _phrases("được giao", "được phê duyệt")),
    (_phrases("đã xử lý", "được xử lý"), _phrases("phát hiện")),
    (_phrases("đã rà soát"), _phrases("phải rà soát")),
    (_phrases("đúng tiến độ", "đúng quy trình"), _phrases("đã ban hành")),
)


def inferred_rules(nodes: list[Node]) -> list[Item]:
    """Every rule the labels imply, in the order of the rows they check."""
    rules: list[Item] = []
    for node in nodes:
        if node.kind == "count":
            rules += _total_rules(node)
            rules += _at_most_rules(node)
        rules += _share_rules(node)
        if node.kind == "percent" and node.weight is None:
            rules += _ratio_rules(node, nodes)
    return rules


def sum_parts(node: Node) -> list[Node]:
    """The sub-rows a counting row is the sum of, or [] when they are no parts of it."""
    children = node.children
    if len(children) < 2 or not node.counting:
        return []
    if any(c.kind != "count" or starts(c.key, _TOTAL) or _whole_of(c) in (*children, node) for c in children):
        return []
    units = {c.unit.casefold() for c in children}
    total_unit = (node.unit or node.printed.unit).casefold()
    if len(units) != 1 or not next(iter(units)) or total_unit not in ("", *units):
        return []
    return children


def _total_rules(node: Node) -> list[Item]:
    parts = sum_parts(node)
    if parts:
        codes = [p.code for p in parts]
        return [Item({"kind": "sum", "total": node.code, "parts": codes,
                      "message": f"Tổng các phần của {node.code} {{parts}} ≠ {{total}}"},
                     [f"suy luận: các dòng {', '.join(codes)} là các phần của tổng {node.code}, cùng đơn vị "
                      f'"{node.unit}"']
                     )]
    single = [c for c in node.children if c.is_part and c.kind == "count" and c.unit == node.unit]
    if len(node.children) == 1 and single:
        part = single[0]
        return [Item({"kind": "le", "left": [part.code], "right": [node.code],
                      "message": f"Phần {part.code} {{left}} > tổng {node.code} {{right}}"},
                     [f"suy luận: {part.code} là một phần (trong đó) của {node.code}"])]
    return []


def _at_most_rules(node: Node) -> list[Item]:
    whole = _whole_of(node)
    if whole is None:
        return []
    return [Item({"kind": "le", "left": [node.code], "right": [whole.code],
                  "message": f"{_short(node)} ({node.code}) {{left}} > {_short(whole)} ({whole.code}) {{right}}"},
                 [f'suy luận: "{_short(node)}" không thể lớn hơn "{_short(whole)}"'])]


def _whole_of(node: Node) -> Node | None:
    """The count a row's label says it is part of (`PAIRS`), among its siblings and parent."""
    for smalls, larges in PAIRS:
        small = next((s for s in smalls if contains(node.key, s)), None)
        if small is None:
            continue
        candidates = [c for c in _relatives(node) if c.kind == "count"
                      and any(contains(c.key, large) for large in larges) and not contains(c.key, small)]
        if candidates:
            return max(candidates, key=lambda c: (_shared_words(node, c), -abs(c.order - node.order)))
    return None


def _share_rules(node: Node) -> list[Item]:
    shares = [c.code for c in node.children if c.kind == "percent" and c.weight == node.code]
    if len(shares) < 2:
        return []
    return [Item({"kind": "le", "left": shares, "right": [100], "message": "Tổng các tỷ lệ {left}% > 100%"},
                 [f"suy luận: {', '.join(shares)} là các tỷ lệ trong cùng tổng {node.code}"])]


def _ratio_rules(percent: Node, nodes: list[Node]) -> list[Item]:
    """The percentage as 100 × its count / that count's whole, when both are printed; the row
    is weighted by the whole (its `agg`), which only this step can tell."""
    subject = _bare(_subject_after(percent.key, _RATE))
    count = next((n for n in _relatives(percent) if n.kind == "count" and n.counting and _bare(_subject(n)) == subject),
                 None)
    whole = _whole_of(count) if count is not None else None
    if whole is None:
        return []
    percent.agg, percent.weight, percent.over_time = "ratio", whole.code, "ratio"
    percent.reasons.append(f"cộng lên cấp trên theo tỷ lệ bình quân, trọng số là {whole.code}")
    return [Item({"kind": "ratio", "percent": percent.code, "numerator": count.code, "denominator": whole.code},
                 [f'suy luận: "{_short(percent)}" = 100 × {count.code} / {whole.code}, các dòng cùng nội dung'])]


def _bare(words: list[str]) -> list[str]:
    """A subject without the words that only mark tense ("đã", "được")."""
    return [w for w in words if w not in _TENSE]


def _relatives(node: Node) -> list[Node]:
    """Where the whole of a part is printed: beside it, or as its parent."""
    siblings = node.parent.children if node.parent else []
    return [c for c in siblings if c is not node] + ([node.parent] if node.parent else [])


def _shared_words(node: Node, other: Node) -> int:
    """How many leading words two labels share once their "Số …" is left out."""
    shared = 0
    for a, b in zip(_subject(node), _subject(other)):
        if a != b:
            break
        shared += 1
    return shared


def _subject(node: Node) -> list[str]:
    return _subject_after(node.key, COUNTING)


def _subject_after(key: str, prefixes: tuple[str, ...]) -> list[str]:
    """A label key's words after the longest of `prefixes` it starts with ("Số", "Tỷ lệ")."""
    prefix = next((p for p in sorted(prefixes, key=len, reverse=True) if starts(key, (p,))), "")
    return key[len(prefix):].split()


def _short(node: Node, most: int = 10) -> str:
    """The label's first words: enough to know the row in a message."""
    words = node.label.split()
    return " ".join(words[:most]) + (" …" if len(words) > most else "")
