"""Check filled workbooks headlessly: read, evaluate the form's rules, locate each flag."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .catalog import load_form
from .checks import Finding, check_values
from .framework import read_counts
from .periods import Period
from .reader import Problem, ReadError, read_submission
from .rules import build_rules, framework_rules


@dataclass
class Review:
    """Everything `cchc-xl check` reports about one file."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False


def review_file(path: Path | str, period: Period | None = None) -> Review:
    """Flags of one workbook, each naming its cell; an unreadable file becomes a problem."""
    path = Path(path)
    try:
        submission = read_submission(path)
    except ReadError as error:
        return Review(path.name, problems=[Problem(path.name, str(error), kind="unreadable")], unreadable=True)
    period = period or submission.period
    review = Review(path.name, problems=list(submission.problems))
    if period is None:
        review.problems.append(Problem(path.name, "Không xác định được kỳ báo cáo; dùng --period.", kind="period"))
        return review
    form = load_form(submission.form)
    rules = build_rules(form, period) + framework_rules(form)
    values = {**submission.values, **read_counts(path)}
    review.findings = [
        replace(f, file=path.name, cell=submission.cells.get(f.code))
        for f in check_values(rules, values)
    ]
    return review
