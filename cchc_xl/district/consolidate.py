"""Many commune submissions in, one `Consolidation` out: who reported what, where it came from.

`consolidate` is pure: it places each submission's numbers (`Submission.parsed`, Vietnamese
number text already read as numbers) on the codes of the district's form, drops duplicate
submissions of one commune (the newest file wins; the others are reported, never counted),
matches communes against an expected list, and evaluates the form's rules per commune with
`checks.check_values` — the very rules the district workbook renders as live formulas.

`consolidate_files` is the public entry point of the CLI and of the Excel button: it collects
and reads the inputs (`inputs`), calls `consolidate`, and writes the workbook (`district`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from cchc_xl.district import workbook as district
from cchc_xl.read import inputs as input_files
from cchc_xl.forms.catalog import Form, load_form
from cchc_xl.forms.checks import Finding, FlagCounts, check_values
from cchc_xl.cycle.complete import CycleOptions, complete, district_form_of
from cchc_xl.common.files import OutputError, backup_path, check_writable
from cchc_xl.read.inputs import Received, Unreadable
from cchc_xl.forms.numbers import Value
from cchc_xl.forms.periods import Period
from cchc_xl.district.placing import place
from cchc_xl.read.reader import Problem
from cchc_xl.forms.rules import Rule, build_rules
from cchc_xl.cycle.status import Sent, StatusReport, sent_record
from cchc_xl.read.units import unit_key

if TYPE_CHECKING:
    from cchc_xl.cycle.comparison import Comparison
    from cchc_xl.district.district_form import DistrictReport


@dataclass(frozen=True)
class Part:
    """One file behind a commune column: the period it reports and where each value came from."""

    period: Period | None
    received: Received
    cells: dict[str, str]  # code of the district's commune form -> "Sheet!D45" in the file


@dataclass(frozen=True)
class Commune(FlagCounts):
    """One column of the district sheet: a commune's placed values and their flags."""

    name: str
    #: the file of the column, or (cumulative figures) its quarterly files in order
    parts: tuple[Part, ...]
    values: dict[str, Value]
    notes: dict[str, str]  # the commune's Ghi chú, by code of the district form
    findings: tuple[Finding, ...]
    #: quarters a cumulative column lacks (its flows and rates stay blank, never zero-filled)
    missing_quarters: tuple[Period, ...] = ()

    @property
    def received(self) -> Received:
        """The column's file (for cumulative figures, the latest quarter's)."""
        return self.parts[-1].received

    @property
    def cells(self) -> dict[str, str]:
        return self.parts[-1].cells


@dataclass(frozen=True)
class Duplicate:
    """A second file for a commune already consolidated: listed, never added."""

    name: str
    kept: Received
    dropped: Received


@dataclass(frozen=True)
class Consolidation:
    form: Form
    unit: str
    period: Period
    rules: tuple[Rule, ...]
    communes: tuple[Commune, ...]
    duplicates: tuple[Duplicate, ...] = ()
    unreadable: tuple[Unreadable, ...] = ()
    #: every problem met: reading (per file), placing values, periods, duplicates, skipped files
    problems: tuple[Problem, ...] = ()
    expected: tuple[str, ...] | None = None
    missing: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    #: the columns are cumulative figures rolled up from quarterly files
    from_quarters: bool = False
    #: the files received, as completeness and timeliness see them (`status.sent_record`)
    sent: tuple[Sent, ...] = ()
    #: what the reporting cycle adds (`cycle.complete`): the district form, who sent on time,
    #: the comparison with earlier periods
    district: DistrictReport | None = None
    status: tuple[StatusReport, ...] = ()
    comparison: Comparison | None = None

    @property
    def error_count(self) -> int:
        return sum(c.error_count for c in self.communes) + (self.district.error_count if self.district else 0)

    @property
    def missing_count(self) -> int:
        return sum(c.missing_count for c in self.communes) + (self.district.missing_count if self.district else 0)

    @property
    def flag_count(self) -> int:
        return self.error_count + self.missing_count


@dataclass(frozen=True)
class Draft:
    """A commune column before it is named, ordered and checked."""

    basis: str  # the name its file states (or the file name)
    parts: tuple[Part, ...]
    values: dict[str, Value]
    notes: dict[str, str]
    missing_quarters: tuple[Period, ...] = ()


def consolidate(received: Sequence[Received], unit: str, period: Period, *,
                expected: Sequence[str] | None = None, unreadable: Sequence[Unreadable] = (),
                skipped: Sequence[Problem] = (), form: Form | None = None) -> Consolidation:
    """Place, deduplicate, order and check the submissions (no file is touched)."""
    form = form or load_form()
    problems = reading_problems(received, unreadable, skipped)
    kept, duplicates = deduplicate(received)
    problems += [duplicate_problem(d) for d in duplicates]
    drafts = []
    for item in kept:
        problems.extend(_identity_problems(item, period))
        placed = place(item, form)
        problems.extend(placed.problems)
        drafts.append(Draft(basis_name(item), (Part(item.submission.period, item, placed.cells),),
                            placed.values, placed.notes))
    return assemble(form, unit, period, drafts, expected=expected, duplicates=duplicates,
                    unreadable=unreadable, problems=problems, received=received)


def reading_problems(received: Sequence[Received], unreadable: Sequence[Unreadable],
                     skipped: Sequence[Problem]) -> list[Problem]:
    """Files skipped or unreadable, then what reading each file met, in that order."""
    problems = list(skipped)
    problems += [Problem(u.path.name, u.message, kind="unreadable") for u in unreadable]
    for item in received:
        problems.extend(item.submission.problems)
    return problems


def assemble(form: Form, unit: str, period: Period, drafts: Sequence[Draft], *,
             expected: Sequence[str] | None, duplicates: Sequence[Duplicate], unreadable: Sequence[Unreadable],
             problems: Sequence[Problem], received: Sequence[Received],
             from_quarters: bool = False) -> Consolidation:
    """Name and order the columns by the expected list, check each, match the list."""
    rules = tuple(build_rules(form, period))
    canonical = _canonical_names(expected)
    named = [(canonical.get(unit_key(d.basis), d.basis), d) for d in drafts]
    if expected is not None:
        rank = {key: i for i, key in enumerate(canonical)}
        named.sort(key=lambda pair: rank.get(unit_key(pair[0]), len(rank)))
    communes = tuple(Commune(name, d.parts, d.values, d.notes, tuple(check_values(rules, d.values)),
                             d.missing_quarters) for name, d in named)
    matched = {unit_key(c.name) for c in communes}
    return Consolidation(
        form=form, unit=unit, period=period, rules=rules, communes=communes,
        duplicates=tuple(duplicates), unreadable=tuple(unreadable), problems=tuple(problems),
        expected=tuple(expected) if expected is not None else None,
        missing=tuple(n for k, n in canonical.items() if k not in matched),
        unknown=tuple(c.name for c in communes if expected is not None and unit_key(c.name) not in canonical),
        from_quarters=from_quarters, sent=tuple(sent_record(r) for r in received),
    )


def basis_name(item: Received) -> str:
    """The commune's name as its file states it, else the file name."""
    return item.submission.unit or item.source.path.stem


def deduplicate(received: Sequence[Received]) -> tuple[list[Received], list[Duplicate]]:
    """One submission per commune: the most recently modified file (first one on a tie)."""
    groups: dict[str, list[Received]] = {}
    for item in received:
        groups.setdefault(unit_key(basis_name(item)), []).append(item)
    kept, duplicates = [], []
    for group in groups.values():
        newest = max(group, key=lambda r: r.source.modified)
        kept.append(newest)
        duplicates += [Duplicate(basis_name(newest), newest, other) for other in group if other is not newest]
    return kept, duplicates


def duplicate_problem(duplicate: Duplicate) -> Problem:
    kept, dropped = duplicate.kept.source, duplicate.dropped.source
    message = (f"{duplicate.name} nộp nhiều tệp: dùng '{kept.path.name}' (sửa lúc {kept.modified:%d/%m/%Y %H:%M}), "
               f"không cộng '{dropped.path.name}' (sửa lúc {dropped.modified:%d/%m/%Y %H:%M}).")
    return Problem(dropped.path.name, message, kind="duplicate")


def _canonical_names(expected: Sequence[str] | None) -> dict[str, str]:
    """Expected names by matching key, in list order (a name listed twice counts once)."""
    canonical: dict[str, str] = {}
    for name in expected or ():
        canonical.setdefault(unit_key(name), name)
    return canonical


def _identity_problems(item: Received, period: Period) -> list[Problem]:
    submission, name = item.submission, item.source.path.name
    found = []
    if submission.unit is None:
        found.append(Problem(name, f"Tệp '{name}' không ghi tên đơn vị; dùng tên tệp '{item.source.path.stem}'.",
                             kind="unit"))
    if submission.period is not None and submission.period != period:
        found.append(Problem(name, f"Tệp '{name}' ghi kỳ {submission.period.label}, khác kỳ tổng hợp "
                                   f"{period.label}; số liệu vẫn được cộng, cần xem lại.", kind="period"))
    return found


@dataclass(frozen=True)
class ConsolidationResult:
    """What a caller (CLI, Excel button) needs after a run; `consolidation` holds everything."""

    output: Path
    consolidation: Consolidation

    @property
    def communes(self) -> list[str]:
        return [c.name for c in self.consolidation.communes]

    @property
    def problems(self) -> list[Problem]:
        return list(self.consolidation.problems)

    @property
    def flag_count(self) -> int:
        return self.consolidation.flag_count

    @property
    def unreadable(self) -> list[Path]:
        return [u.path for u in self.consolidation.unreadable]

    @property
    def exit_code(self) -> int:
        """2 when a file could not be read, 1 when anything needs a look, else 0."""
        c = self.consolidation
        if c.unreadable:
            return 2
        late = any(u.state == "late" for report in c.status for u in report.units)
        jumps = c.comparison is not None and c.comparison.flagged
        return 1 if (c.flag_count or c.problems or c.missing or c.unknown or late or jumps) else 0

    def summary_lines(self) -> list[str]:
        """A short Vietnamese account of the run, for the terminal or a status cell."""
        c = self.consolidation
        lines = [f"Đã tổng hợp {len(c.communes)} xã vào {self.output}",
                 f"Kiểm tra: {c.error_count} lỗi cần xem lại, {c.missing_count} chỉ tiêu chưa nhập "
                 f"(sheet Tổng hợp tô màu, chi tiết ở sheet Kiểm tra)."]
        lines += [f"  {m.name}: {m.error_count} lỗi, {m.missing_count} chưa nhập"
                  for m in c.communes if m.findings]
        if c.district is not None:
            lines.append(f"  Biểu của huyện (sheet {c.district.form.sheet}): {c.district.error_count} lỗi, "
                         f"{c.district.missing_count} chỉ tiêu chưa nhập (ô vàng do huyện tự nhập).")
        lines += [f"Không đọc được: {u.message}" for u in c.unreadable]
        lines += [f"Nộp trùng: {p.message}" for p in c.problems if p.kind == "duplicate"]
        lines += self._submission_lines()
        lines += [f"Thiếu quý: {p.message}" for p in c.problems if p.kind == "quarter"]
        if c.comparison is not None:
            lines.append(f"So sánh với {c.comparison.previous.label}: {len(c.comparison.flagged)} chỉ tiêu "
                         "tăng/giảm bất thường (sheet So sánh kỳ trước).")
        others = [p for p in c.problems if p.kind not in ("duplicate", "unreadable", "quarter")]
        if others:
            lines.append(f"{len(others)} ghi chú khi đọc tệp (sheet Nguồn).")
        return lines

    def _submission_lines(self) -> list[str]:
        """Who has not sent, who was late (per quarter for a roll-up), who is not on the list."""
        c = self.consolidation
        lines = []
        if not c.status and c.missing:
            lines.append(f"Chưa nộp ({len(c.missing)}): {', '.join(c.missing)}")
        for report in c.status:
            which = f" {report.period.label}" if c.from_quarters else ""
            for state, title in (("missing", "Chưa nộp"), ("late", "Trễ hạn")):
                names = [u.unit for u in report.units if u.state == state]
                if names:
                    lines.append(f"{title}{which} ({len(names)}): {', '.join(names)}")
        if c.unknown:
            lines.append(f"Không có trong danh sách ({len(c.unknown)}): {', '.join(c.unknown)}")
        return lines


#: Builds the consolidation from the files read: `consolidate` (one period) or
#: `cumulative.consolidate_quarters` (cumulative figures from quarterly files).
Combine = Callable[..., Consolidation]


def consolidate_files(inputs: list[Path], output: Path, unit: str, period: Period,
                      expect: Path | None = None,
                      progress: Callable[[int, int, str], None] | None = None,
                      options: CycleOptions | None = None,
                      combine: Combine = consolidate,
                      exclude: Sequence[Path] = ()) -> ConsolidationResult:
    """Read the commune workbooks (files or folders), consolidate, write the district workbook.

    `options` adds the district form, the comparison with earlier periods and the settings
    file; with `expect`, the workbook also says who sent the report on time (`cycle`).
    The output is written atomically and an existing one is kept as ``<name>.bak.xlsx``.
    `exclude` names files a folder scan must pass over (the Excel button's own workbook).
    Raises `inputs.InputError` when there is nothing to read, `files.OutputError` when the
    output cannot be written (or would overwrite an input, or is no .xlsx) before any reading,
    `config.ConfigError` for a bad settings file and `catalog.CatalogError` for a form that is
    not a district form.
    """
    output = Path(output)
    options = options or CycleOptions()
    mine = (output, backup_path(output))
    named = {Path(p).resolve() for p in inputs if Path(p).is_file()}
    if any(p.resolve() in named for p in mine):
        raise OutputError(f"Không ghi được '{output}': tệp kết quả trùng với một tệp đầu vào.")
    if output.suffix.lower() != ".xlsx":
        raise OutputError(f"Không ghi được '{output}': tệp tổng hợp phải có đuôi .xlsx (bảng tổng hợp không chứa macro).")
    check_writable(output, keep_backup=True)
    if options.form is not None:
        district_form_of(options.form, load_form())
    others = [p for p in (expect, options.own, *options.previous) if p is not None and Path(p).is_file()]
    files, skipped = input_files.collect(inputs, exclude=(*mine, *others, *exclude))
    expected = input_files.read_expected(expect) if expect is not None else None
    received, unreadable = input_files.read_all(files, progress)
    consolidation = combine(received, unit, period, expected=expected, unreadable=unreadable, skipped=skipped)
    consolidation = complete(consolidation, options)
    district.write_district(consolidation, output)
    return ConsolidationResult(output, consolidation)
