"""Which indicator a row of a sheet stands for: by its STT code first, then by its label.

Labels are compared as keys: Unicode NFC, lower case, diacritics and punctuation stripped,
spacing collapsed. Text pasted from a PDF or Word extraction loses some letters and leaves a
space in their place (seed 001: "c  chế" for "cơ chế", "nhiệm v " for "nhiệm vụ", "đ n vị" for
"đơn vị"); the letters the extraction is known to drop are replaced by a space on *both* sides
before comparing, so a broken label and its clean original give the same key. What still
differs is matched fuzzily (rapidfuzz) above a threshold. rapidfuzz is loaded on the first
label that is not a form's own (a template's rows never need it): 10 ms of imports spared.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import NamedTuple

from cchc_xl.forms.catalog import Form, load_form

#: Letters the seed's text extraction dropped (ơ-family, ụ, ọ, ữ, ý, đ, ạ, ự), each leaving a space.
FRAGILE_LETTERS = "ơờớởỡợụọữýạựđ"
_FRAGILE = str.maketrans({letter: " " for letter in FRAGILE_LETTERS})
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_CODE = re.compile(r"^(\d{1,2}(?:\s*\.\s*\d{1,2})*)(?:\s*\.?\s*([a-z]))?[\s.)]*$")
_PARENTHESES = re.compile(r"\([^()]*\)")
_LEADING_CODE = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*(?:\.[a-z])?)\.?\s+(?=\D)")

_TRONG_DO = ("trong", "o")  # "Trong đó" once "đ" is dropped: sub-rows print it or not

#: A label this close (0–100) to an indicator's is that indicator.
MATCH_SCORE = 85.0
#: A label this close to the indicator named by its STT code confirms the code.
AGREE_SCORE = 70.0
#: Two fuzzy candidates closer than this are told apart by their position in the form.
TIE_MARGIN = 3.0


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """The comparable form of a label: clean and broken spellings give the same key."""
    text = unicodedata.normalize("NFC", text).lower().translate(_FRAGILE)
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    words = _NOT_ALNUM.sub(" ", text).split()
    if words[:2] == list(_TRONG_DO):
        words = words[2:]
    return " ".join(words)


@lru_cache(maxsize=8192)
def label_keys_of(text: str) -> tuple[str, ...]:
    """The key of a label, and of the label without its parenthesised remarks when it has some."""
    full = label_key(text)
    bare = label_key(_PARENTHESES.sub(" ", text)) if "(" in text else full
    return (full, bare) if bare and bare != full else (full,)


@lru_cache(maxsize=4096, typed=True)  # typed: True and 1 are equal keys otherwise
def parse_code(raw: object) -> str | None:
    """An STT cell as an indicator code ("1.1.1.", " 1.  ", 3.0, "3.3.1a" → "3.3.1.a"), or None."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        text = f"{raw:g}" if raw == raw else ""
    else:
        text = str(raw).strip().lower()
    match = _CODE.match(text)
    if not match:
        return None
    code = re.sub(r"\s+", "", match.group(1))
    return f"{code}.{match.group(2)}" if match.group(2) else code


def split_leading_code(label: str) -> tuple[str | None, str]:
    """A label that carries its code in front ("1.1.1 Số nhiệm vụ…") as (code, rest)."""
    match = _LEADING_CODE.match(label)
    if not match:
        return None, label
    return match.group(1), label[match.end():]


def code_in_label(label: str) -> tuple[str | None, str]:
    """A code typed in front of the label when the STT cell is empty ("1.1.1 Số nhiệm vụ…")."""
    leading, rest = split_leading_code(label)
    return (parse_code(leading), rest.strip()) if leading is not None else (None, label)


class Placement(NamedTuple):
    """Where one row goes: the code (None: not placed), how it was decided, and any doubt."""

    code: str | None
    how: str  # "code", "label", "fuzzy", "code_only" or "none"
    doubt: str | None = None  # "code_mismatch" or "label_mismatch"
    score: float = 100.0


class LabelIndex:
    """The labels of one form, keyed for exact and fuzzy look-up (with and without remarks)."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.position = {row.code: i for i, row in enumerate(form.rows)}
        self.key_of = {row.code: label_key(row.label) for row in form.rows}
        self.entries = [(key, row.code) for row in form.rows for key in label_keys_of(row.label)]
        self.keys = [key for key, _ in self.entries]
        owners: dict[str, set[str]] = {}
        for key, code in self.entries:
            owners.setdefault(key, set()).add(code)
        self.exact = {key: codes.pop() for key, codes in owners.items() if len(codes) == 1}

    def agreement(self, keys: tuple[str, ...], code: str) -> float:
        from rapidfuzz import fuzz

        own = label_keys_of(self.form.row(code).label)
        return max(100.0 if k == o else fuzz.ratio(k, o) for k in keys for o in own)

    def best(self, keys: tuple[str, ...], near: int) -> tuple[str, float] | None:
        """The closest indicator above `MATCH_SCORE`; near-ties go to the one nearest `near`."""
        for key in keys:
            if key in self.exact:
                return self.exact[key], 100.0
        from rapidfuzz import fuzz, process

        found = [hit for key in keys
                 for hit in process.extract(key, self.keys, scorer=fuzz.ratio, score_cutoff=MATCH_SCORE, limit=4)]
        if not found:
            return None
        top = max(score for _, score, _ in found)
        close = [(abs(self.position[self.entries[i][1]] - near), -score, self.entries[i][1], score)
                 for _, score, i in found if top - score < TIE_MARGIN]
        _, _, code, score = min(close)
        return code, score

    def place(self, code: str | None, label: str, near: int, code_trusted: bool) -> Placement:
        """Decide a row: its code when the label agrees, else its label, else its code alone.

        `code_trusted` is False when the same code stands on several rows (the 2022 layout
        prints " 1. " everywhere), so a disagreeing label cannot fall back on it.
        """
        known = code if code is not None and code in self.position else None
        keys = label_keys_of(label) if label else ()
        if known and (keys[0] == self.key_of[known] if keys else code_trusted):
            return Placement(known, "code")
        exact = next((self.exact[k] for k in keys if k in self.exact), None)
        if exact is not None and exact != known:
            return Placement(exact, "label", "code_mismatch" if known and code_trusted else None)
        agreement = self.agreement(keys, known) if known and code_trusted and keys else 0.0
        if agreement >= AGREE_SCORE:
            return Placement(known, "code", score=agreement)
        best = self.best(keys, near) if keys else None
        if best is not None:
            doubt = "code_mismatch" if known and code_trusted and best[0] != known else None
            return Placement(best[0], "fuzzy", doubt, best[1])
        if known and code_trusted:
            return Placement(known, "code_only", "label_mismatch", agreement)
        return Placement(None, "none", score=0.0)


@cache
def index_for(form_id: str) -> LabelIndex:
    return LabelIndex(load_form(form_id))
