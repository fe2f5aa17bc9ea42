"""A new year's form against the old one (`cchc-xl form diff`): which new row each old row
became, proposed by code and label, and the old form written back with that `maps_to`.

Forms are renumbered from year to year (2022's 1.2.1 is 2023's 1.2.2) and labels reworded, so
neither the code nor the label alone can be trusted. Each old row is matched in passes, the
surest first, and a new row is taken by one old row only:

1. the same label (as `label_key` compares them, so broken diacritics match clean ones);
2. a label close enough to be the same indicator (`MATCH_SCORE`, rapidfuzz);
3. the same code with a label still near (`AGREE_SCORE`): a reworded row left in place;
4. one label's words (three or more) all in the other's: a label lengthened or shortened
   ("Tổng số VĂN BẢN ĐI" → "Tổng số VĂN BẢN ĐI giữa các cơ quan nhà nước trên địa bàn xã").

A candidate must be of the same sort: a group onto a group, a value row onto a row of the
same kind (a count cannot carry a percentage). Among equal candidates, the one under the new
row the old row's parent became wins, then the one with the same code, then the nearest: a
"Trong đó: trực tuyến" line printed under several totals goes with its own total.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rapidfuzz import fuzz

from cchc_xl.forms.catalog import Form, Row
from cchc_xl.forms.form_files import parse_form_text
from cchc_xl.forms.form_writer import Item, form_file_text, form_meta, row_fields
from cchc_xl.read.matching import AGREE_SCORE, MATCH_SCORE, label_keys_of

#: How a row was matched, as the officer reads it (and the JSON's `how`).
HOW = {
    "same": "cùng mã, cùng tên",
    "label": "cùng tên, mã khác",
    "fuzzy": "tên gần giống",
    "code": "cùng mã, tên đã sửa",
    "words": "tên được viết dài thêm hoặc rút gọn",
    "none": "không có dòng tương ứng",
}


@dataclass(frozen=True)
class Match:
    """Where one old row goes: the new row (None: nowhere), how it was found, the label score."""

    old: Row
    new: Row | None
    how: str
    score: float

    @property
    def sure(self) -> bool:
        """True when code and label agree, the only case the officer need not look at."""
        return self.how == "same"


def propose_mapping(old: Form, new: Form) -> list[Match]:
    """Every old row with the new row it is proposed to map to, in the old form's order."""
    found: dict[str, tuple[Row, str, float]] = {}
    taken: set[str] = set()
    for how, accept in _PASSES:
        for row in old.rows:
            if row.code in found:
                continue
            scored = [(candidate, _score(row, candidate)) for candidate in new.rows
                      if candidate.code not in taken and _same_sort(row, candidate)]
            chosen = _best([(c, s) for c, s in scored if accept(row, c, s)], row, new, found)
            if chosen is not None:
                candidate, score = chosen
                found[row.code] = (candidate, _named(how, row, candidate), score)
                taken.add(candidate.code)
    return [Match(row, *found[row.code]) if row.code in found else Match(row, None, "none", 0.0)
            for row in old.rows]


def _score(old: Row, new: Row) -> float:
    """How alike two labels are (0–100), with and without their parenthesised remarks."""
    return max(100.0 if a == b else fuzz.ratio(a, b) for a in label_keys_of(old.label) for b in label_keys_of(new.label))


def _same_sort(old: Row, new: Row) -> bool:
    return old.is_value == new.is_value and (not old.is_value or old.kind == new.kind)


_Accept = Callable[[Row, Row, float], bool]
_PASSES: tuple[tuple[str, _Accept], ...] = (
    ("label", lambda old, new, score: score == 100.0),
    ("fuzzy", lambda old, new, score: score >= MATCH_SCORE),
    ("code", lambda old, new, score: old.code == new.code and score >= AGREE_SCORE),
    ("words", lambda old, new, score: _words_within(old, new)),
)
#: The shorter label needs this many words for its words being in the other to mean anything.
_MIN_WORDS = 3


def _words_within(old: Row, new: Row) -> bool:
    return any(min(len(a.split()), len(b.split())) >= _MIN_WORDS and fuzz.token_set_ratio(a, b) >= MATCH_SCORE
               for a in label_keys_of(old.label) for b in label_keys_of(new.label))


def _named(how: str, old: Row, new: Row) -> str:
    return "same" if how == "label" and old.code == new.code else how


def _best(candidates: list[tuple[Row, float]], row: Row, new: Form,
          found: dict[str, tuple[Row, str, float]]) -> tuple[Row, float] | None:
    """The best-scored candidate; ties go under the mapped parent, then to the same code, then
    to the nearest position."""
    if not candidates:
        return None
    parent = found.get(row.parent or "")
    mapped_parent = parent[0].code if parent else None
    anchor = new.position(mapped_parent) if mapped_parent else 0
    return min(candidates, key=lambda c: (-c[1], c[0].parent != mapped_parent, c[0].code != row.code,
                                          abs(new.position(c[0].code) - anchor)))


def mapped_form_text(old: Form, new: Form, matches: list[Match]) -> str:
    """The old form as a form file with `maps_onto = new` and each row's proposed `maps_to`,
    every proposal but the sure ones explained in a comment; checked before it is returned."""
    by_code = {match.old.code: match for match in matches}
    rows = [Item(row_fields(row) | {"maps_to": _target(by_code[row.code])}, _remarks(by_code[row.code]))
            for row in old.rows]
    rules = [Item(dict(rule)) for rule in old.rules]
    header = [f"Biểu {old.id} ghép mã sang biểu {new.id} (cchc-xl form diff).",
              "Các dòng '# ghép:' là đề xuất cần xem lại: sửa maps_to, hoặc xóa nếu biểu mới không có dòng tương ứng.",
              "Dùng: cchc-xl consolidate … --earlier-form <tệp này>: tệp theo biểu cũ (kể cả bảng tổng hợp kỳ trước",
              "ở --previous) được cộng và so sánh theo mã của biểu mới."]
    text = form_file_text(form_meta(old) | {"maps_onto": new.id}, rows, rules, header, old.declared_rates)
    parse_form_text(text, f"Biểu {old.id} ghép sang {new.id}")
    return text


def _target(match: Match) -> str | None:
    return match.new.code if match.new is not None else None


def _remarks(match: Match) -> list[str]:
    if match.sure:
        return []
    if match.new is None:
        return [f"ghép: {HOW['none']} trong biểu mới."]
    return [f"ghép: {HOW[match.how]} ({match.score:.0f}/100) → {match.new.code} «{match.new.label}»."]
