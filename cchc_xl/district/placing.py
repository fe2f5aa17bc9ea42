"""A submission's numbers placed on the codes of the commune form the district consolidates.

Values are taken as the district adds them up (`Submission.parsed`: Vietnamese number text
read as numbers); a 2022 workbook's codes go through `maps_to`. Used by the consolidation of
one period, by the roll-up of quarters and by the reading of earlier periods for comparison.
A consolidation of one period places and checks each file where it is read (`checked`, run in
the reading workers), since neither step depends on the other files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from cchc_xl.forms.catalog import Form, load_form
from cchc_xl.forms.checks import Finding, check_values
from cchc_xl.forms.numbers import Value
from cchc_xl.forms.periods import Period
from cchc_xl.forms.rules import Rule, build_rules
from cchc_xl.read.inputs import Received
from cchc_xl.read.reader import Problem


@dataclass
class Placed:
    """What one file gives: values and their cells by target code, notes, what found no place."""

    values: dict[str, Value] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def place(item: Received, form: Form) -> Placed:
    """The submission's numbers on `form`'s codes (2022 codes through `maps_to`)."""
    submission, name = item.submission, item.source.path.name
    source_form = load_form(submission.form)
    placed = Placed()
    if source_form.id != form.id and source_form.maps_onto != form.id:
        placed.problems.append(Problem(name, f"Tệp '{name}' dùng biểu {source_form.title} ({source_form.id}), "
                                             f"không tổng hợp được vào {form.title}.", kind="form"))
        return placed
    for code, value in submission.parsed.items():
        target = _target(source_form, form, code)
        cell = submission.cells.get(code)
        where = submission.where(cell)
        if target is not None and target not in placed.values:
            placed.values[target], placed.cells[target] = value, where
            if code in submission.notes:
                placed.notes[target] = submission.notes[code]
        elif value is not None:
            reason = "trùng mã đã đọc" if target is not None else f"không có chỉ tiêu tương ứng trong {form.title}"
            placed.problems.append(Problem(name, f"Ô {where} (mã {code}): giá trị '{value}' {reason}; không cộng.",
                                           cell, code, "unplaced"))
    return placed


def on_form(values: dict[str, Value], source_form: Form, form: Form) -> dict[str, Value]:
    """Values by `source_form`'s codes on `form`'s codes (an earlier form's through `maps_to`);
    a value whose row has no counterpart in `form` is left out."""
    targets = {code: _target(source_form, form, code) for code in values}
    return {target: values[code] for code, target in targets.items() if target is not None}


def _target(source_form: Form, form: Form, code: str) -> str | None:
    """`form`'s value row for a source code, or None when it has none."""
    if not source_form.has(code):
        return None
    target = code if source_form.id == form.id else source_form.row(code).maps_to
    if target is None or not form.has(target) or not form.row(target).is_value:
        return None
    return target


@dataclass(frozen=True)
class Checked(Received):
    """A file read, placed on `form` and checked with its rules for `period`, ahead of the
    consolidation (which uses both as they are when its form and period are these)."""

    form: str
    period: Period
    placed: Placed
    findings: tuple[Finding, ...]


def checked(item: Received, form: str | None, period: Period) -> Checked:
    """`item` placed on the form `form` (None: the form the file is on, as the consolidation
    will most likely be) and its values checked for `period` (`inputs.Then`)."""
    form = form or item.submission.form
    placed = place(item, load_form(form))
    findings = tuple(check_values(_rules(form, period), placed.values))
    return Checked(item.submission, item.source, form, period, placed, findings)


@cache
def _rules(form: str, period: Period) -> tuple[Rule, ...]:
    """The rules once per process (a worker checks many files of one form and period)."""
    return tuple(build_rules(load_form(form), period))
