"""Cumulative figures (6 tháng, 9 tháng, năm) from the quarterly commune workbooks a district holds.

Each commune's quarterly files are grouped by its unit and their period (`read_submission`),
one file per quarter (a file sent twice: the newest counts, the other is reported), and rolled
up by each row's `over_time` (`rollup`). A quarter that is missing is reported and its
commune's flows and rates stay blank, never zero-filled. The result is an ordinary
`Consolidation` of the cumulative period, written by the same district writer, so totals and
flags are live formulas there too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from cchc_xl.cycle.complete import CycleOptions
from cchc_xl.cycle.rollup import missing_quarters, rollup
from cchc_xl.cycle.run import ConsolidationResult, consolidate_files
from cchc_xl.district.consolidate import (
    assemble,
    basis_name,
    deduplicate,
    duplicate_problem,
    reading_problems,
    renamed_problems,
)
from cchc_xl.district.model import Consolidation, Draft, Duplicate, Part
from cchc_xl.district.placing import place
from cchc_xl.forms.catalog import Form, load_form
from cchc_xl.forms.periods import Period
from cchc_xl.read.inputs import Received, Unreadable
from cchc_xl.read.reader import Problem
from cchc_xl.read.units import UnitList, unit_list


def consolidate_quarters(received: Sequence[Received], unit: str, period: Period, *,
                         expected: Sequence[str] | None = None, unreadable: Sequence[Unreadable] = (),
                         skipped: Sequence[Problem] = (), form: Form | None = None) -> Consolidation:
    """One column per commune holding its figures for `period`, rolled up from its quarters."""
    form = form or load_form()
    problems = reading_problems(received, unreadable, skipped)
    usable = []
    for item in received:
        if item.submission.period in period.quarters:
            usable.append(item)
        else:
            problems.append(_outside_problem(item, period))
    units = unit_list(expected) if expected is not None else None
    problems += renamed_problems(usable, units)
    unit_of = unit_list(units).key
    duplicates: list[Duplicate] = []
    by_unit: dict[str, list[Received]] = {}
    for quarter in period.quarters:
        kept, dropped = deduplicate([r for r in usable if r.submission.period == quarter], units)
        duplicates += dropped
        for item in kept:
            by_unit.setdefault(unit_of(basis_name(item)), []).append(item)
    problems += [duplicate_problem(d) for d in duplicates]
    drafts = []
    for items in by_unit.values():
        draft, met = _draft(items, form, period)
        drafts.append(draft)
        problems += met
    return assemble(form, unit, period, drafts, expected=units, duplicates=duplicates,
                    unreadable=unreadable, problems=problems, received=received, from_quarters=True)


def _draft(items: list[Received], form: Form, period: Period) -> tuple[Draft, list[Problem]]:
    """A commune's quarters (in order) placed and rolled up, and the problems met."""
    parts, quarterly, notes, problems = [], {}, {}, []
    for item in items:
        quarter = item.submission.period
        assert quarter is not None
        placed = place(item, form)
        problems += placed.problems
        parts.append(Part(quarter, item, placed.cells))
        quarterly[quarter] = placed.values
        for code, note in placed.notes.items():
            notes.setdefault(code, []).append(f"{quarter.label}: {note}")
    basis = basis_name(items[-1])
    missing = missing_quarters(quarterly, period)
    if missing:
        shown = ", ".join(q.label for q in missing)
        problems.append(Problem(items[-1].source.path.name,
                                f"{basis}: thiếu số liệu {shown}; các chỉ tiêu cộng dồn và tỷ lệ của {period.label} "
                                "để trống (không tính thiếu là 0).", kind="quarter"))
    joined = {code: "; ".join(texts) for code, texts in notes.items()}
    return Draft(basis, tuple(parts), rollup(quarterly, period, form), joined, tuple(missing)), problems


def _outside_problem(item: Received, period: Period) -> Problem:
    name, stated = item.source.path.name, item.submission.period
    shown = stated.label if stated else "không ghi kỳ"
    return Problem(name, f"Tệp '{name}' ({shown}) không phải báo cáo một quý của {period.label}; không cộng dồn.",
                   kind="period")


def rollup_files(inputs: list[Path], output: Path, unit: str, period: Period, expect: Path | UnitList | None = None,
                 progress: Callable[[int, int, str], None] | None = None,
                 options: CycleOptions | None = None, exclude: Sequence[Path] = ()) -> ConsolidationResult:
    """`consolidate_files` for cumulative figures: the inputs are quarterly commune workbooks."""
    return consolidate_files(inputs, output, unit, period, expect, progress, options=options, exclude=exclude,
                             combine=consolidate_quarters)
