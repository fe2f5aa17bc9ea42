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

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from . import district
from . import inputs as input_files
from .catalog import Form, load_form
from .checks import Finding, check_values
from .files import OutputError, backup_path, check_writable
from .inputs import Received, Unreadable
from .numbers import Value
from .periods import Period
from .reader import Problem
from .rules import Rule, build_rules

#: Words in front of a commune's name that do not tell communes apart ("Xã Hoằng Lưu").
_NAME_PREFIXES = ("ubnd ", "ủy ban nhân dân ", "xã ", "phường ", "thị trấn ")


def unit_key(name: str) -> str:
    """A commune name reduced for matching: NFC, case, spacing and the "Xã " prefix ignored."""
    text = " ".join(unicodedata.normalize("NFC", name).casefold().split())
    for prefix in _NAME_PREFIXES:
        text = text.removeprefix(prefix)
    return text


@dataclass(frozen=True)
class Commune:
    """One column of the district sheet: a commune's placed values and their flags."""

    name: str
    received: Received
    values: dict[str, Value]
    cells: dict[str, str]  # code of the district form -> "Sheet!D45" in the commune's file
    notes: dict[str, str]  # the commune's Ghi chú, by code of the district form
    findings: tuple[Finding, ...]

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.severity != "missing")

    @property
    def missing_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "missing")


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

    @property
    def error_count(self) -> int:
        return sum(c.error_count for c in self.communes)

    @property
    def missing_count(self) -> int:
        return sum(c.missing_count for c in self.communes)

    @property
    def flag_count(self) -> int:
        return self.error_count + self.missing_count


def consolidate(received: Sequence[Received], unit: str, period: Period, *,
                expected: Sequence[str] | None = None, unreadable: Sequence[Unreadable] = (),
                skipped: Sequence[Problem] = (), form: Form | None = None) -> Consolidation:
    """Place, deduplicate, order and check the submissions (no file is touched)."""
    form = form or load_form()
    rules = tuple(build_rules(form, period))
    problems = list(skipped)
    problems += [Problem(u.path.name, u.message, kind="unreadable") for u in unreadable]
    for item in received:
        problems.extend(item.submission.problems)
    kept, duplicates = _deduplicate(received)
    problems += [_duplicate_problem(d) for d in duplicates]
    canonical = _canonical_names(expected)
    ordered = _ordered(kept, canonical, expected)
    communes = []
    for name, item in ordered:
        problems.extend(_identity_problems(item, period))
        placed = _place(item, form)
        problems.extend(placed.problems)
        communes.append(Commune(name, item, placed.values, placed.cells, placed.notes,
                                tuple(check_values(rules, placed.values))))
    matched = {unit_key(c.name) for c in communes}
    return Consolidation(
        form=form, unit=unit, period=period, rules=rules, communes=tuple(communes),
        duplicates=tuple(duplicates), unreadable=tuple(unreadable), problems=tuple(problems),
        expected=tuple(expected) if expected is not None else None,
        missing=tuple(n for k, n in canonical.items() if k not in matched),
        unknown=tuple(n for n, _ in ordered if expected is not None and unit_key(n) not in canonical),
    )


def _basis_name(item: Received) -> str:
    """The commune's name as its file states it, else the file name."""
    return item.submission.unit or item.source.path.stem


def _deduplicate(received: Sequence[Received]) -> tuple[list[Received], list[Duplicate]]:
    """One submission per commune: the most recently modified file (first one on a tie)."""
    groups: dict[str, list[Received]] = {}
    for item in received:
        groups.setdefault(unit_key(_basis_name(item)), []).append(item)
    kept, duplicates = [], []
    for group in groups.values():
        newest = max(group, key=lambda r: r.source.modified)
        kept.append(newest)
        duplicates += [Duplicate(_basis_name(newest), newest, other) for other in group if other is not newest]
    return kept, duplicates


def _duplicate_problem(duplicate: Duplicate) -> Problem:
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


def _ordered(kept: list[Received], canonical: dict[str, str],
             expected: Sequence[str] | None) -> list[tuple[str, Received]]:
    """Expected communes in the list's order and spelling, then the others as received."""
    named = [(canonical.get(unit_key(_basis_name(r)), _basis_name(r)), r) for r in kept]
    if expected is None:
        return named
    rank = {key: i for i, key in enumerate(canonical)}
    return sorted(named, key=lambda pair: rank.get(unit_key(pair[0]), len(rank)))


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


@dataclass
class _Placed:
    values: dict[str, Value] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _place(item: Received, form: Form) -> _Placed:
    """The submission's numbers on the district form's codes (2022 codes through `maps_to`)."""
    submission, name = item.submission, item.source.path.name
    source_form = load_form(submission.form)
    placed = _Placed()
    if source_form.id != form.id and source_form.maps_onto != form.id:
        placed.problems.append(Problem(name, f"Tệp '{name}' dùng biểu {source_form.title} ({source_form.id}), "
                                             f"không tổng hợp được vào {form.title}.", kind="form"))
        return placed
    for code, value in submission.parsed.items():
        target = _target(source_form, form, code)
        cell = submission.cells.get(code)
        where = f"{submission.sheet}!{cell}" if cell else submission.sheet
        if target is not None and target not in placed.values:
            placed.values[target], placed.cells[target] = value, where
            if code in submission.notes:
                placed.notes[target] = submission.notes[code]
        elif value is not None:
            reason = "trùng mã đã đọc" if target is not None else f"không có chỉ tiêu tương ứng trong {form.title}"
            placed.problems.append(Problem(name, f"Ô {where} (mã {code}): giá trị '{value}' {reason}; không cộng.",
                                           cell, code, "unplaced"))
    return placed


def _target(source_form: Form, form: Form, code: str) -> str | None:
    """The district form's value row for a source code, or None when it has none."""
    if not source_form.has(code):
        return None
    target = code if source_form.id == form.id else source_form.row(code).maps_to
    if target is None or not form.has(target) or not form.row(target).is_value:
        return None
    return target


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
        return 1 if (c.flag_count or c.problems or c.missing or c.unknown) else 0

    def summary_lines(self) -> list[str]:
        """A short Vietnamese account of the run, for the terminal or a status cell."""
        c = self.consolidation
        lines = [f"Đã tổng hợp {len(c.communes)} xã vào {self.output}",
                 f"Kiểm tra: {c.error_count} lỗi cần xem lại, {c.missing_count} chỉ tiêu chưa nhập "
                 f"(sheet Tổng hợp tô màu, chi tiết ở sheet Kiểm tra)."]
        lines += [f"  {m.name}: {m.error_count} lỗi, {m.missing_count} chưa nhập"
                  for m in c.communes if m.findings]
        lines += [f"Không đọc được: {u.message}" for u in c.unreadable]
        lines += [f"Nộp trùng: {p.message}" for p in c.problems if p.kind == "duplicate"]
        if c.missing:
            lines.append(f"Chưa nộp ({len(c.missing)}): {', '.join(c.missing)}")
        if c.unknown:
            lines.append(f"Không có trong danh sách ({len(c.unknown)}): {', '.join(c.unknown)}")
        others = [p for p in c.problems if p.kind not in ("duplicate", "unreadable")]
        if others:
            lines.append(f"{len(others)} ghi chú khi đọc tệp (sheet Nguồn).")
        return lines


def consolidate_files(inputs: list[Path], output: Path, unit: str, period: Period,
                      expect: Path | None = None,
                      progress: Callable[[int, int, str], None] | None = None) -> ConsolidationResult:
    """Read the commune workbooks (files or folders), consolidate, write the district workbook.

    The output is written atomically and an existing one is kept as ``<name>.bak.xlsx``.
    Raises `inputs.InputError` when there is nothing to read and `files.OutputError` when the
    output cannot be written (or would overwrite an input, or is no .xlsx), before any reading.
    """
    output = Path(output)
    mine = (output, backup_path(output))
    named = {Path(p).resolve() for p in inputs if Path(p).is_file()}
    if any(p.resolve() in named for p in mine):
        raise OutputError(f"Không ghi được '{output}': tệp kết quả trùng với một tệp đầu vào.")
    if output.suffix.lower() != ".xlsx":
        raise OutputError(f"Không ghi được '{output}': tệp tổng hợp phải có đuôi .xlsx (bảng tổng hợp không chứa macro).")
    check_writable(output, keep_backup=True)
    files, skipped = input_files.collect(inputs, exclude=(*mine, *([expect] if expect else [])))
    expected = input_files.read_expected(expect) if expect is not None else None
    received, unreadable = input_files.read_all(files, progress)
    consolidation = consolidate(received, unit, period, expected=expected,
                                unreadable=unreadable, skipped=skipped)
    district.write_district(consolidation, output)
    return ConsolidationResult(output, consolidation)
