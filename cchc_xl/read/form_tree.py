"""The rows of a printed appendix as a tree of coded rows: the first step of `form infer`.

The STT column is read in either printing style: full codes ("1.2.1", seed 001) or numbers
within Roman sections ("VI", "3", then unnumbered and "- " rows, seed 003). Each row takes a
rank (section, code depth, unnumbered, dash, "Trong đó" part); its parent is the nearest row
above of a lower rank. A printed number is kept when it is free and follows its elder sibling;
lost or repeated numbering is renumbered in order, as the reader places such rows; "Trong đó"
parts take letters (3.3.1.a). Labels are repaired from the shipped forms where their key
matches one (the seed's broken diacritics), else only their spacing is tidied.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from cchc_xl.forms.catalog import available_forms, load_form
from cchc_xl.read.matching import label_key, parse_code
from cchc_xl.read.printed_rows import PrintedRow

SECTION, PLAIN, DASH, PART = 0, 50, 51, 52
_ROMAN = re.compile(r"^([IVX]+)\s*\.?$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_DASH = re.compile(r"^[-–—+•]\s*")
_TRONG_DO = re.compile(r"^trong\s+(?:đó|do|ó)\b\s*[:,.\-–]?\s*", re.IGNORECASE)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"

COUNTING = tuple(label_key(t) for t in ("Tổng số lượng", "Tổng số", "Số lượng", "Số"))
_NOT_COUNTING = (label_key("Số liệu"),)


@dataclass
class Node:
    """One row of the inferred form: its printed row and what was decided about it."""

    printed: PrintedRow
    rank: int
    label: str
    #: where the row stands in the table (0 for the first)
    order: int = 0
    code: str = ""
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    kind: str = "count"
    unit: str = ""
    choices: dict[int, str] = field(default_factory=dict)
    agg: str = "none"
    weight: str | None = None
    over_time: str = "stock"
    #: what was guessed against the printed text, said above the row in the file
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return label_key(self.label)

    @property
    def counting(self) -> bool:
        """The label counts something ("Số …", "Tổng số …"), and is no "Số liệu về …" heading."""
        return starts(self.key, COUNTING) and not starts(self.key, _NOT_COUNTING)

    @property
    def is_part(self) -> bool:
        """Printed as a sub-row of its parent ("Trong đó", or a "- " line)."""
        return self.rank in (PART, DASH)

    @property
    def renumbered(self) -> bool:
        """The STT cell gave another code than the row has (lost or repeated numbering)."""
        printed = printed_code(self.printed.stt)
        return self.rank < PLAIN and printed not in (self.code, self.code.rsplit(".", 1)[-1])


def starts(key: str, prefixes: tuple[str, ...]) -> bool:
    """`key` begins with one of the (keyed) words `prefixes`."""
    return any(key == p or key.startswith(p + " ") for p in prefixes)


def contains(key: str, phrase: str) -> bool:
    """`key` holds the (keyed) words `phrase`, whole words only."""
    return f" {phrase} " in f" {key} "


def build_nodes(rows: tuple[PrintedRow, ...]) -> list[Node]:
    """Codes and parents from the STT column, the labels' dashes and "Trong đó"."""
    nodes: list[Node] = []
    open_nodes: list[Node] = []
    numbers: dict[str, int] = {}  # parent code ('' at the top) → last number given to a child
    taken: set[str] = set()
    for order, printed in enumerate(rows):
        node = _node(printed)
        node.order = order
        if node.rank == DASH and nodes and nodes[-1].rank == PART and nodes[-1].label != "Trong đó":
            node.rank = PART  # "Trong đó: - A", then "- B": B is the next part, as A is
        while open_nodes and open_nodes[-1].rank >= node.rank:
            open_nodes.pop()
        node.parent = open_nodes[-1] if open_nodes else None
        node.code = _code(node, numbers, taken)
        taken.add(node.code)
        if node.parent is not None:
            node.parent.children.append(node)
        nodes.append(node)
        open_nodes.append(node)
    return nodes


def printed_code(stt: str) -> str:
    """The code an STT cell prints ("VI" → "6", "1.2.1." → "1.2.1"), '' for none."""
    roman = _ROMAN.match(stt.strip())
    return str(_roman(roman.group(1))) if roman else (parse_code(stt) or "")


def _node(printed: PrintedRow) -> Node:
    """The row's rank, told by its printed STT and label; its label repaired."""
    raw = " ".join(printed.label.split())
    stt = printed.stt.strip()
    if _TRONG_DO.match(stt) or _TRONG_DO.match(raw):
        rest = _TRONG_DO.sub("", _repaired(_TRONG_DO.sub("", raw)))
        return Node(printed, PART, f"Trong đó: {rest}" if rest else "Trong đó")
    if _DASH.match(raw):
        return Node(printed, DASH, _repaired(_DASH.sub("", raw)))
    if _ROMAN.match(stt):
        return Node(printed, SECTION, _repaired(raw))
    code = parse_code(stt)
    return Node(printed, PLAIN if code is None else 1 + code.count("."), _repaired(raw))


def _code(node: Node, numbers: dict[str, int], taken: set[str]) -> str:
    """The printed code when it fits where the row stands, else the next one free there."""
    parent = node.parent.code if node.parent else ""
    prefix = f"{parent}." if parent else ""
    if node.rank == PART:
        used = sum(1 for c in taken if c.startswith(prefix) and c[len(prefix):] in _LETTERS)
        return prefix + _LETTERS[min(used, len(_LETTERS) - 1)]
    wanted = _printed_number(node, parent)
    last = numbers.get(parent, 0)
    number = wanted if wanted is not None and wanted > last else last + 1
    while f"{prefix}{number}" in taken:
        number += 1
    numbers[parent] = number
    return f"{prefix}{number}"


def _printed_number(node: Node, parent: str) -> int | None:
    """The number the STT cell gives this row under `parent`, if it gives one."""
    if node.rank >= PLAIN:
        return None
    code = printed_code(node.printed.stt)
    head, _, last = code.rpartition(".")
    if head and head != parent:
        return None
    return int(last) if last.isdigit() else None


def _roman(text: str) -> int:
    values = [_ROMAN_VALUES[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@cache
def _shipped_labels() -> dict[str, str]:
    """Label key → the clean label of the shipped forms (a key two spellings share is left out)."""
    found: dict[str, set[str]] = {}
    for form_id in available_forms():
        for row in load_form(form_id).rows:
            found.setdefault(label_key(row.label), set()).add(row.label)
    return {key: labels.pop() for key, labels in found.items() if len(labels) == 1}


def _repaired(label: str) -> str:
    """The shipped forms' spelling of a label broken by extraction, else the label tidied."""
    label = " ".join(label.split()).strip(" :;")
    return _shipped_labels().get(label_key(label), label) if label else label
