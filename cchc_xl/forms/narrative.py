"""How a report's text states an indicator: phrases kept as data in the form file, compiled here.

A form's `[[narrative]]` entries are the few ways reports word a figure of the appendix, e.g.
``phrase = "phát {1.4.1} phiếu khảo sát"``. A slot ``{…}`` marks where the figure stands and
says what of the table it is: one code, a difference or sum of codes (``{III.7.2 - III.7.3}``:
files resolved minus those on time are the late ones), or a fraction of two such terms
(``{I.1.2/I.1.1}``: "8/20 chỉ tiêu"). ``when``/``unless`` name words the clause must (not) hold,
so a district's own figures are not taken for its communes' ("cấp xã"). Only an exact phrase
links a figure: precision first, since a false warning costs an officer more than a missed one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

#: A number as reports write it: "1.145", "47,37", "05", with an optional "%".
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
#: Numbers written out in words that occur in reports ("hai lần", "ba hồ sơ").
WRITTEN: dict[str, int] = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
                           "tám": 8, "chín": 9, "mười": 10}
_FIGURE = rf"(?:{NUMBER}|{'|'.join(WRITTEN)})(?:\s*%)?"
_SLOT = re.compile(r"\{([^{}]+)\}")
_TERM = re.compile(r"\s*([+-]?)\s*([0-9IVX](?:[0-9A-Za-z.]*[0-9a-zIVX])?)\s*")


class PhraseError(ValueError):
    """A `[[narrative]]` entry of a form file that cannot be used."""


@dataclass(frozen=True)
class Term:
    """Signed codes whose table values add up to one side of a slot."""

    codes: tuple[tuple[int, str], ...]

    def evaluate(self, values: Callable[[str], float | None]) -> float | None:
        """The sum with signs, or None when a code has no number in the table."""
        total = 0.0
        for sign, code in self.codes:
            value = values(code)
            if value is None:
                return None
            total += sign * value
        return total

    def shown(self) -> str:
        parts = [("− " if sign < 0 else "+ ") + code for sign, code in self.codes]
        return " ".join(parts).removeprefix("+ ")


@dataclass(frozen=True)
class Slot:
    """Where a figure stands in a phrase: one term, or a fraction (numerator, denominator)."""

    terms: tuple[Term, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for term in self.terms for _, code in term.codes)


@dataclass(frozen=True)
class Phrase:
    """One wording of an indicator's figure, compiled to a regular expression over a clause."""

    text: str
    #: the indicator a disagreement is reported on (default: the slot's first code)
    code: str
    slots: tuple[Slot, ...]
    pattern: re.Pattern[str]
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()

    def applies(self, clause: str) -> bool:
        """True when the clause names the words `when` asks for and none of `unless`."""
        low = clause.lower()
        return all(w in low for w in self.when) and not any(w in low for w in self.unless)


def parse_phrases(form_id: str, raw: list[dict[str, Any]], kinds: dict[str, str]) -> tuple[Phrase, ...]:
    """The form's phrases, each slot checked to name numeric rows of the form (`kinds`)."""
    return tuple(_phrase(form_id, entry, kinds) for entry in raw)


def _phrase(form_id: str, entry: dict[str, Any], kinds: dict[str, str]) -> Phrase:
    text = entry.get("phrase")
    if not isinstance(text, str) or not _SLOT.search(text):
        raise PhraseError(f"{form_id}: narrative entry {entry} needs a phrase with a {{code}} slot")
    slots = tuple(_slot(form_id, m.group(1), kinds) for m in _SLOT.finditer(text))
    code = entry.get("code", slots[0].codes[0])
    if kinds.get(code) not in ("count", "percent"):
        raise PhraseError(f"{form_id}: narrative phrase {text!r} reports on {code!r}, not a numeric row")
    unknown = set(entry) - {"phrase", "code", "when", "unless"}
    if unknown:
        raise PhraseError(f"{form_id}: narrative phrase {text!r} has unknown keys {sorted(unknown)}")
    return Phrase(text=text, code=code, slots=slots, pattern=_compile(text),
                  when=tuple(w.lower() for w in entry.get("when", ())),
                  unless=tuple(w.lower() for w in entry.get("unless", ())))


def _slot(form_id: str, inner: str, kinds: dict[str, str]) -> Slot:
    sides = inner.split("/")
    if len(sides) > 2:
        raise PhraseError(f"{form_id}: narrative slot {{{inner}}} has more than one '/'")
    terms = tuple(_term(form_id, side, kinds) for side in sides)
    return Slot(terms)


def _term(form_id: str, text: str, kinds: dict[str, str]) -> Term:
    codes: list[tuple[int, str]] = []
    position = 0
    while position < len(text):
        match = _TERM.match(text, position)
        if not match or (codes and not match.group(1)):
            raise PhraseError(f"{form_id}: narrative slot {{{text}}} is not codes joined by + or -")
        sign, code = match.groups()
        if kinds.get(code) not in ("count", "percent"):
            raise PhraseError(f"{form_id}: narrative slot names {code!r}, not a count or percentage row")
        codes.append((-1 if sign == "-" else 1, code))
        position = match.end()
    if not codes:
        raise PhraseError(f"{form_id}: empty narrative slot")
    return Term(tuple(codes))


def _compile(text: str) -> re.Pattern[str]:
    """Words as written (any run of spaces between them), each slot a named figure group."""
    parts: list[str] = []
    position = 0
    for index, match in enumerate(_SLOT.finditer(text)):
        parts.append(_literal(text[position:match.start()]))
        fraction = "/" in match.group(1)
        parts.append(rf"(?P<s{index}>{_FIGURE}\s*/\s*{_FIGURE})" if fraction else rf"(?P<s{index}>{_FIGURE})")
        position = match.end()
    parts.append(_literal(text[position:]))
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)", re.IGNORECASE)


def _literal(text: str) -> str:
    """Words separated by any run of spaces; next to a slot the space may be missing ("100%hồ sơ")."""
    body = r"\s+".join(re.escape(w) for w in text.split())
    lead = r"\s*" if text[:1].isspace() else ""
    trail = r"\s*" if text[-1:].isspace() and body else ""
    return lead + body + trail
