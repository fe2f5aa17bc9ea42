"""Many commune submissions in, one `Consolidation` out: who reported what, where it came from.

`consolidate` is pure: it places each submission's numbers (`Submission.parsed`, Vietnamese
number text already read as numbers) on the codes of the district's form, sets aside every file
whose identity or title states another period (the period decides before the date: reported with
its period, never counted), drops duplicate submissions of one commune among the files of the
period (the newest file wins; the others are reported, never counted),
matches communes against an expected list, and evaluates the form's rules per commune with
`checks.check_values` — the very rules the district workbook renders as live formulas.
Reading the files and writing the workbook is `cycle.run`'s job.
"""
from __future__ import annotations

from typing import Sequence

from cchc_xl.common.problems import Problem
from cchc_xl.district.model import Commune, Consolidation, Draft, Duplicate, Part
from cchc_xl.district.placing import Checked, Placed, place
from cchc_xl.forms.catalog import Form, load_form
from cchc_xl.forms.checks import Finding, check_values
from cchc_xl.forms.periods import Period
from cchc_xl.forms.rules import build_rules
from cchc_xl.read.inputs import Received, Unreadable, sent_record
from cchc_xl.read.units import UnitList, unit_key, unit_list


def consolidate(received: Sequence[Received], unit: str, period: Period, *,
                expected: Sequence[str] | None = None, unreadable: Sequence[Unreadable] = (),
                skipped: Sequence[Problem] = (), form: Form | None = None) -> Consolidation:
    """Set aside files of another period, then place, deduplicate, order and check the
    submissions (no file is touched)."""
    form = form or load_form()
    units = unit_list(expected) if expected is not None else None
    problems = reading_problems(received, unreadable, skipped)
    current = [item for item in received if not _of_another_period(item, period)]
    problems += [other_period_problem(item, period) for item in received if _of_another_period(item, period)]
    problems += renamed_problems(current, units)
    kept, duplicates = deduplicate(current, units)
    problems += [duplicate_problem(d) for d in duplicates]
    drafts = []
    for item in kept:
        problems.extend(_identity_problems(item))
        placed, findings = _placed(item, form, period)
        problems.extend(placed.problems)
        drafts.append(Draft(basis_name(item), (Part(item.submission.period, item, placed.cells),),
                            placed.values, placed.notes, findings=findings))
    return assemble(form, unit, period, drafts, expected=units, duplicates=duplicates,
                    unreadable=unreadable, problems=problems, received=received)


def _placed(item: Received, form: Form, period: Period) -> tuple[Placed, tuple[Finding, ...] | None]:
    """The item placed on `form`, with its findings when it was checked for this form and period."""
    if isinstance(item, Checked) and item.form == form.id and item.period == period:
        return item.placed, item.findings
    return place(item, form), None


def reading_problems(received: Sequence[Received], unreadable: Sequence[Unreadable],
                     skipped: Sequence[Problem]) -> list[Problem]:
    """Files skipped or unreadable, then what reading each file met, in that order."""
    problems = list(skipped)
    problems += [Problem(u.path.name, u.message, kind="unreadable") for u in unreadable]
    for item in received:
        problems.extend(item.submission.problems)
    return problems


def assemble(form: Form, unit: str, period: Period, drafts: Sequence[Draft], *,
             expected: UnitList | None, duplicates: Sequence[Duplicate], unreadable: Sequence[Unreadable],
             problems: Sequence[Problem], received: Sequence[Received],
             from_quarters: bool = False) -> Consolidation:
    """Name and order the columns by the expected list, check each, match the list."""
    rules = tuple(build_rules(form, period))
    units = unit_list(expected)
    canonical = units.by_key()
    named = [(canonical.get(unit_key(d.basis), d.basis), d) for d in drafts]
    if expected is not None:
        rank = {key: i for i, key in enumerate(canonical)}
        named.sort(key=lambda pair: rank.get(unit_key(pair[0]), len(rank)))
    communes = tuple(Commune(name, d.parts, d.values, d.notes,
                             d.findings if d.findings is not None else tuple(check_values(rules, d.values)),
                             d.missing_quarters) for name, d in named)
    matched = {unit_key(c.name) for c in communes}
    return Consolidation(
        form=form, unit=unit, period=period, rules=rules, communes=communes,
        duplicates=tuple(duplicates), unreadable=tuple(unreadable), problems=tuple(problems),
        expected=expected,
        missing=tuple(n for k, n in canonical.items() if k not in matched and k not in units.formerly),
        unknown=tuple(c.name for c in communes if expected is not None and unit_key(c.name) not in canonical),
        from_quarters=from_quarters, sent=tuple(sent_record(r) for r in received),
    )


def basis_name(item: Received) -> str:
    """The commune's name as its file states it, else the file name."""
    return item.submission.unit or item.source.path.stem


def deduplicate(received: Sequence[Received], units: UnitList | None = None) -> tuple[list[Received], list[Duplicate]]:
    """One submission per commune: the most recently modified file (first one on a tie); a file
    of a former commune is one of the commune that replaced it (`units`)."""
    groups: dict[str, list[Received]] = {}
    names = unit_list(units)
    for item in received:
        groups.setdefault(names.key(basis_name(item)), []).append(item)
    kept, duplicates = [], []
    for group in groups.values():
        newest = max(group, key=lambda r: r.source.modified)
        kept.append(newest)
        name = names.successor(basis_name(newest)) or basis_name(newest)
        duplicates += [Duplicate(name, newest, other) for other in group if other is not newest]
    return kept, duplicates


def duplicate_problem(duplicate: Duplicate) -> Problem:
    kept, dropped = duplicate.kept.source, duplicate.dropped.source
    message = (f"{duplicate.name} nộp nhiều tệp: dùng '{kept.path.name}' (sửa lúc {kept.modified:%d/%m/%Y %H:%M}), "
               f"không cộng '{dropped.path.name}' (sửa lúc {dropped.modified:%d/%m/%Y %H:%M}).")
    return Problem(dropped.path.name, message, kind="duplicate")


def renamed_problems(received: Sequence[Received], units: UnitList | None) -> list[Problem]:
    """Each file still named by a former commune, said with the commune it is counted for."""
    problems = []
    for item in received:
        successor = units.successor(basis_name(item)) if units is not None else None
        if successor is not None:
            problems.append(Problem(item.source.path.name, f"Tệp '{item.source.path.name}' mang tên đơn vị cũ "
                                    f"{basis_name(item)}, nay là {successor} (danh sách xã): đã tổng hợp vào "
                                    f"{successor}.", kind="renamed"))
    return problems


def _of_another_period(item: Received, period: Period) -> bool:
    """The file states a period (identity sheet, title block, else its name) that is not `period`;
    a file stating none is counted (its unit and cells still say what it is)."""
    return item.submission.period is not None and item.submission.period != period


def other_period_problem(item: Received, period: Period) -> Problem:
    name, stated = item.source.path.name, item.submission.period
    assert stated is not None
    unit = f" ({item.submission.unit})" if item.submission.unit else ""
    return Problem(name, f"Tệp '{name}'{unit} ghi kỳ {stated.label}, khác kỳ tổng hợp {period.label}; "
                         f"không cộng vào {period.label}.", kind="period")


def _identity_problems(item: Received) -> list[Problem]:
    name = item.source.path.name
    if item.submission.unit is None:
        return [Problem(name, f"Tệp '{name}' không ghi tên đơn vị; dùng tên tệp '{item.source.path.stem}'.",
                        kind="unit")]
    return []
