"""Check filled workbooks headlessly: read, evaluate the form's rules, locate each flag.

A commune appendix gives one `Review`; a district workbook (its `_cchc` sheet says
kind = district) gives one per commune column, evaluated on the values now in `Tổng hợp`,
and one for its district form (own rows as typed, fed rows recomputed from `Tổng hợp`), so
`check` and the district's live formulas report the same flags.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from cchc_xl.common.openpyxl_open import through_openpyxl
from cchc_xl.district import layout as district
from cchc_xl.forms.catalog import CatalogError, load_form
from cchc_xl.forms.checks import Finding, check_values
from cchc_xl.forms.periods import Period
from cchc_xl.forms.rules import Rule, build_rules, framework_rules
from cchc_xl.read.inputs import Progress, each_file
from cchc_xl.read.opening import open_input
from cchc_xl.read.reader import (
    Problem,
    ReadError,
    carried_forms,
    read_book,
    read_meta,
    task_counts,
)
from cchc_xl.read.xlsx_in import Book

if TYPE_CHECKING:
    from openpyxl import Workbook

    from cchc_xl.read.docx_in import Document


@dataclass
class Review:
    """Everything `cchc-xl check` reports about one file (or one commune of a district file)."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False
    unit: str | None = None


def review_file(path: Path | str, period: Period | None = None) -> Review:
    """Flags of one workbook, each naming its cell; an unreadable file becomes a problem."""
    path = Path(path)
    try:
        with open_input(path) as book:
            return _review(path, book, period)
    except ReadError as error:
        return _unreadable(path, error)


def _review(path: Path, book: Book | Document, period: Period | None) -> Review:
    """The review of a commune file already opened: its table and its task framework, one opening."""
    submission = read_book(path, book)
    period = period or submission.period
    review = Review(path.name, problems=list(submission.problems), unit=submission.unit)
    if period is None:
        review.problems.append(Problem(path.name, "Không xác định được kỳ báo cáo; dùng --period.", kind="period"))
        return review
    values = {**submission.values, **task_counts(book)}
    review.findings = [
        replace(f, file=path.name, cell=submission.cells.get(f.code))
        for f in check_values(_file_rules(submission.form, period), values)
    ]
    return review


def _unreadable(path: Path, error: ReadError) -> Review:
    return Review(path.name, problems=[Problem(path.name, str(error), kind="unreadable")], unreadable=True)


@cache
def _file_rules(form_id: str, period: Period) -> tuple[Rule, ...]:
    """A commune file's rules, built (and compiled, on first use) once per form and period for
    every file a `check` run reviews."""
    form = load_form(form_id)
    return tuple(build_rules(form, period) + framework_rules(form))


def review_workbook(path: Path | str, period: Period | None = None) -> list[Review]:
    """One review per commune column of a district workbook (and one for its district form),
    otherwise one for the file."""
    path = Path(path)
    try:
        with open_input(path) as book:
            meta = read_meta(book)
            if meta.get("kind") != district.KIND:
                return [_review(path, book, period)]
            carried_forms(path, book)
    except ReadError as error:
        return [_unreadable(path, error)]
    except CatalogError as error:
        return [_unreadable(path, ReadError(str(error), "form_file"))]
    return _review_district(path, meta, period)


def review_files(paths: Sequence[Path], period: Period | None = None,
                 progress: Progress | None = None) -> list[Review]:
    """`review_workbook` of each file in order, on every core for a province's many files;
    `progress(done, total, file name)` is called as each file's reviews come back."""
    found: list[Review] = []
    for done, (path, reviews) in enumerate(zip(paths, each_file(partial(review_workbook, period=period), paths)), 1):
        found += reviews
        if progress is not None:
            progress(done, len(paths), path.name)
    return found


def _review_district(path: Path, meta: dict[str, str], period: Period | None) -> list[Review]:
    """One review per commune column; a district workbook whose sheets or `_cchc` values no
    longer make sense (edited by hand, damaged) is one unreadable review, never a crash."""
    reviews = through_openpyxl(path, lambda workbook: _district_reviews(path, workbook, meta, period), None,
                               data_only=True)
    if reviews is None:
        message = (f"Tệp '{path.name}' là bảng tổng hợp nhưng trang {district.SUMMARY_SHEET} hoặc trang ẩn "
                   "_cchc đã bị sửa hay hỏng, không kiểm tra được.")
        return [Review(path.name, problems=[Problem(path.name, message, kind="unreadable")], unreadable=True)]
    return reviews


def _district_reviews(path: Path, workbook: Workbook, meta: dict[str, str],
                      period: Period | None) -> list[Review]:
    # here, not at the top: its writing half (XlsxWriter) is none of a commune file's check
    from cchc_xl.district import district_form
    form = load_form(meta["form"])
    period = period or Period.parse(meta["period"])
    rules = build_rules(form, period)
    reviews = []
    columns = list(district.commune_columns(workbook[district.SUMMARY_SHEET], form, meta))
    for name, values, cells in columns:
        findings = [replace(f, file=path.name, cell=cells.get(f.code)) for f in check_values(rules, values)]
        reviews.append(Review(path.name, findings=findings, unit=name))
    if meta.get(district_form.META_FORM):
        report = district_form.review_values(path, meta, period, [values for _, values, _ in columns])
        reviews.append(Review(path.name, findings=district_form.with_findings_located(report, path.name),
                              unit=meta.get("unit")))
    return reviews


