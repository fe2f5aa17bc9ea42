"""The report and its appendix agree: figures stated in the text compared with the table.

A figure is linked to an indicator only by a phrase of the form (`forms.narrative`) or, for a
date row, by the document number the table cites ("252/QĐ-UBND" in its value or note): a figure
nothing links is listed, never compared, and a linked figure whose indicator is blank in the
table is no disagreement either (the table's own check flags the blank). Each disagreement is a
`NarrativeFinding` (rule `narrative:<code>`, severity warning) quoting the sentence; the same
statement repeated in several paragraphs is one finding naming them all.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from cchc_xl.forms.catalog import Form, load_form
from cchc_xl.forms.checks import Finding
from cchc_xl.forms.narrative import Phrase, Slot, Term
from cchc_xl.forms.numbers import date_of
from cchc_xl.read.narrative import (
    Figure,
    Paragraph,
    citations,
    clauses,
    document_numbers,
    figure_value,
    figures,
    sentences,
)
from cchc_xl.read.reader import Submission

SEVERITY = "warning"
#: Longest quote of a sentence in a message; the finding keeps the whole sentence.
QUOTE_CHARS = 220


@dataclass(frozen=True)
class Mention:
    """A figure of the text linked to an indicator; `agrees` None: the table has no value."""

    code: str
    paragraph: int
    sentence: str
    #: the words of the text that state it ("05 hồ sơ trễ hạn") and its figure ("05")
    words: str
    stated: str
    table: str
    agrees: bool | None


@dataclass(frozen=True)
class Unlinked:
    """A figure of the text that no phrase of the form links to an indicator."""

    paragraph: int
    sentence: str
    figure: Figure


@dataclass(frozen=True)
class NarrativeFinding(Finding):
    """A disagreement between text and table, as data: where, what each side says."""

    paragraph: int = 0
    sentence: str = ""
    stated: str = ""
    table: str = ""
    #: other paragraphs stating the same figure
    also: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, str | None]:
        return {**super().as_dict(), "paragraph": str(self.paragraph), "sentence": self.sentence,
                "stated": self.stated, "table": self.table}


@dataclass
class CrossCheck:
    """What one report's text says against its table."""

    file: str
    mentions: list[Mention] = field(default_factory=list)
    unlinked: list[Unlinked] = field(default_factory=list)
    findings: list[NarrativeFinding] = field(default_factory=list)


def crosscheck(paragraphs: list[Paragraph], submission: Submission, file: str) -> CrossCheck:
    """Every figure of the text, linked or not, and the disagreements with `submission`."""
    form = load_form(submission.form)
    table = _Table(form, submission)
    result = CrossCheck(file)
    for paragraph in paragraphs:
        for sentence in sentences(paragraph.text):
            for clause in clauses(sentence):
                _read_clause(table, paragraph.number, sentence, clause, result)
    result.findings = _findings(form, result.mentions, file)
    return result


def crosscheck_files(report: Path, appendix: Path | None = None) -> CrossCheck:
    """`crosscheck` of a .docx against its appendix: a workbook, or without one the appendix
    table at the end of the report itself; `ReadError` when either cannot be read."""
    from cchc_xl.read.narrative import read_paragraphs
    from cchc_xl.read.reader import read_submission
    paragraphs = read_paragraphs(report)
    return crosscheck(paragraphs, read_submission(appendix or report), report.name)


class _Table:
    """The table's side: numbers by code, and the documents its date rows cite."""

    def __init__(self, form: Form, submission: Submission) -> None:
        self.form = form
        self.submission = submission
        self.dated = {number: row.code for row in form.value_rows if row.kind == "date"
                      for number in document_numbers(self._texts(row.code))}

    def _texts(self, code: str) -> str:
        value = self.submission.values.get(code)
        return " ".join(t for t in (value if isinstance(value, str) else "", self.submission.notes.get(code, "")) if t)

    def number(self, code: str) -> float | None:
        value = self.submission.parsed.get(code)
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    def date(self, code: str) -> dt.date | None:
        serial = self.number(code)
        if serial is not None:
            return date_of(serial)
        cited = citations(self._texts(code))
        return cited[0].date if cited else None


def _read_clause(table: _Table, number: int, sentence: str, clause: str, result: CrossCheck) -> None:
    linked: list[tuple[int, int]] = []
    for phrase in table.form.narrative:
        if phrase.applies(clause):
            for match in phrase.pattern.finditer(clause):
                for index, slot in enumerate(phrase.slots):
                    linked.append(match.span(f"s{index}"))
                    where = (number, sentence, match.group(0))
                    result.mentions.append(_slot_mention(table, phrase, index, slot, match.group(f"s{index}"), where))
    for cited in citations(clause):
        code = table.dated.get(cited.number)
        if code is not None:
            linked.append((clause.find(cited.text), clause.find(cited.text) + len(cited.text)))
            held = table.date(code)
            result.mentions.append(Mention(code, number, sentence, cited.text, f"{cited.date:%d/%m/%Y}",
                                           f"{held:%d/%m/%Y}" if held else "",
                                           None if held is None else held == cited.date))
    result.unlinked += [Unlinked(number, sentence, f) for f in figures(clause)
                        if not any(start <= f.start < end for start, end in linked)]


def _slot_mention(table: _Table, phrase: Phrase, index: int, slot: Slot, stated: str,
                  where: tuple[int, str, str]) -> Mention:
    """One slot of a match: its figure as written against the table's value as shown."""
    code = phrase.code if index == 0 else slot.codes[0]
    parts = stated.split("/")
    said = [figure_value(part) for part in parts]
    held = [term.evaluate(table.number) for term in slot.terms]
    if None in held or None in said:
        return Mention(code, *where, stated.strip(), "", None)
    shown = "/".join(_vn(v) for v in held) + ("%" if table.form.row(code).kind == "percent" else "")
    shown += "".join(f" ({t.shown()} = {_worked(t, table)})" for t in slot.terms if len(t.codes) > 1)
    agrees = all(_close(s, h, p) for s, h, p in zip(said, held, parts))
    return Mention(code, *where, stated.strip(), shown, agrees)


def _worked(term: Term, table: _Table) -> str:
    """The term's sum with the table's values: "611 − 611"."""
    values = [("− " if sign < 0 else "+ ") + _vn(table.number(code) or 0) for sign, code in term.codes]
    return " ".join(values).removeprefix("+ ")


def _close(said: float, held: float, written: str) -> bool:
    """Equal to the precision the text writes ("47,37%" agrees with 47.368)."""
    decimals = len(written.split(",")[1].rstrip("% ")) if "," in written else 0
    return abs(said - held) <= 0.5 * 10 ** -decimals + 1e-9


def _vn(value: float) -> str:
    """A number as a Vietnamese report writes it: 1.145, 47,37."""
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".rstrip("0").replace(",", " ").replace(".", ",").replace(" ", ".")


def _findings(form: Form, mentions: list[Mention], file: str) -> list[NarrativeFinding]:
    groups: dict[tuple[str, str, str], list[Mention]] = {}
    for mention in mentions:
        if mention.agrees is False:
            groups.setdefault((mention.code, mention.stated, mention.table), []).append(mention)
    return [_finding(form, group, file) for group in groups.values()]


def _finding(form: Form, group: list[Mention], file: str) -> NarrativeFinding:
    first = group[0]
    also = tuple(sorted({m.paragraph for m in group[1:]} - {first.paragraph}))
    where = f"Đoạn {first.paragraph}" + (f" (và đoạn {', '.join(map(str, also))})" if also else "")
    quote = first.sentence if len(first.sentence) <= QUOTE_CHARS else first.sentence[:QUOTE_CHARS] + "…"
    message = (f"{where}: báo cáo ghi «{first.words}» nhưng phụ lục ghi {first.table} "
               f"({first.code} {form.row(first.code).label}). Câu trong báo cáo: «{quote}»")
    return NarrativeFinding(rule=f"narrative:{first.code}", code=first.code, message=message, severity=SEVERITY,
                            file=file, cell=f"đoạn {first.paragraph}", paragraph=first.paragraph,
                            sentence=first.sentence, stated=first.stated, table=first.table, also=also)
