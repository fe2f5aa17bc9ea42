"""A consolidation run from files to workbook: the one entry point of the CLI and the Excel button.

`consolidate_files` collects and reads the inputs (`inputs`), combines them (`consolidate`, or
`cumulative.consolidate_quarters`), adds what the reporting cycle asks for (`complete`) and
writes the district workbook (`district.workbook`). `ConsolidationResult` is what a shell shows.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Callable, Sequence

from cchc_xl.common.collector import collector_paused
from cchc_xl.common.files import OutputError, backup_path, check_writable
from cchc_xl.common.problems import Problem
from cchc_xl.cycle.comparison import Comparison
from cchc_xl.cycle.complete import CycleOptions, complete, district_form_of
from cchc_xl.cycle.report_sheet import ReportSheet, check_reports
from cchc_xl.cycle.status import StatusReport
from cchc_xl.district.consolidate import consolidate
from cchc_xl.district.model import Consolidation
from cchc_xl.district.placing import checked
from cchc_xl.district.unit_level import unit_level
from cchc_xl.district.workbook import write_district
from cchc_xl.forms.catalog import DEFAULT_FORM, CatalogError, load_form
from cchc_xl.forms.form_files import read_form_file
from cchc_xl.forms.periods import Period
from cchc_xl.read import inputs as input_files
from cchc_xl.read.units import UnitList


@dataclass(frozen=True)
class ConsolidationResult:
    """What a caller (CLI, Excel button) needs after a run; `consolidation` holds everything."""

    output: Path
    consolidation: Consolidation
    #: who sent the period's report, and when (per quarter for figures rolled up from quarters)
    status: tuple[StatusReport, ...] = ()
    #: the comparison with earlier periods, when they were given
    comparison: Comparison | None = None

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
        late = any(u.state == "late" for report in self.status for u in report.units)
        jumps = self.comparison is not None and self.comparison.flagged
        return 1 if (c.flag_count or c.problems or c.missing or c.unknown or late or jumps) else 0

    def summary_lines(self) -> list[str]:
        """A short Vietnamese account of the run, for the terminal or a status cell."""
        c = self.consolidation
        lines = [f"Đã tổng hợp {len(c.communes)} {unit_level(c.unit).members} vào {self.output}",
                 f"Kiểm tra: {c.error_count} lỗi cần xem lại, {c.missing_count} chỉ tiêu chưa nhập "
                 f"(sheet Tổng hợp tô màu, chi tiết ở sheet Kiểm tra)."]
        lines += [f"  {m.name}: {m.error_count} lỗi, {m.missing_count} chưa nhập"
                  for m in c.communes if m.findings]
        if c.district is not None:
            kind = unit_level(c.unit).kind
            lines.append(f"  Biểu của {kind} (sheet {c.district.form.sheet}): {c.district.error_count} lỗi, "
                         f"{c.district.missing_count} chỉ tiêu chưa nhập (ô vàng do {kind} tự nhập).")
        lines += [f"Không đọc được: {u.message}" for u in c.unreadable]
        lines += [f"Nộp trùng: {p.message}" for p in c.problems if p.kind == "duplicate"]
        lines += [f"Tên cũ: {p.message}" for p in c.problems if p.kind == "renamed"]
        lines += [f"Sai kỳ: {p.message}" for p in c.problems if p.kind == "period"]
        lines += self._submission_lines()
        lines += [f"Thiếu quý: {p.message}" for p in c.problems if p.kind == "quarter"]
        if self.comparison is not None:
            lines.append(f"So sánh với {self.comparison.previous.label}: {len(self.comparison.flagged)} chỉ tiêu "
                         "tăng/giảm bất thường (sheet So sánh kỳ trước).")
        others = [p for p in c.problems if p.kind not in ("duplicate", "period", "unreadable", "quarter")]
        if others:
            lines.append(f"{len(others)} ghi chú khi đọc tệp (sheet Nguồn).")
        return lines

    def _submission_lines(self) -> list[str]:
        """Who has not sent, who was late (per quarter for a roll-up), who is not on the list."""
        c = self.consolidation
        lines = []
        if not self.status and c.missing:
            lines.append(f"Chưa nộp ({len(c.missing)}): {', '.join(c.missing)}")
        for report in self.status:
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
                      expect: Path | UnitList | None = None,
                      progress: Callable[[int, int, str], None] | None = None,
                      options: CycleOptions | None = None,
                      combine: Combine = consolidate,
                      exclude: Sequence[Path] = ()) -> ConsolidationResult:
    """Read the commune workbooks (files or folders), consolidate, write the district workbook.

    `options` adds the district form, the comparison with earlier periods and the settings
    file; with `expect` (a list file, or the list itself), the workbook also says who sent the
    report on time (`cycle`).
    The output is written atomically and an existing one is kept as ``<name>.bak.xlsx``.
    `exclude` names files a folder scan must pass over (the Excel button's own workbook).
    Raises `inputs.InputError` when there is nothing to read, `files.OutputError` when the
    output cannot be written (or would overwrite an input, or is no .xlsx) before any reading,
    `config.ConfigError` for a bad settings file and `catalog.CatalogError` for a form that is
    not a district form or an earlier form that cannot be read.
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
    district = load_form(options.form) if options.form is not None else None
    if district is not None and district.commune_form is None:
        district_form_of(options.form, load_form())  # says it is no district form
    listed = [expect] if isinstance(expect, (str, Path)) else []
    others = [p for p in (*listed, options.own, *options.previous) if p is not None and Path(p).is_file()]
    files, skipped = input_files.collect(inputs, exclude=(*mine, *others, *exclude))
    expected = input_files.read_expected(expect) if listed else expect
    with collector_paused():  # every commune's result stays alive until the workbook is written
        received, unreadable = input_files.read_all(files, progress, _checked_ahead(combine, period))
        _know_earlier(options.earlier)
        form = load_form(district.commune_form if district is not None else commune_form(received))
        consolidation = combine(received, unit, period, expected=expected, unreadable=unreadable, skipped=skipped,
                                form=form)
        completed = complete(consolidation, options)
        final = _with_reports(completed.consolidation)
        write_district(final, output)
    return ConsolidationResult(output, final, completed.status, completed.comparison)


def _know_earlier(paths: Sequence[Path]) -> None:
    """The earlier forms mapped onto the current one, registered after the reading (the files
    carry the form they map onto); raises `CatalogError` for one that maps onto none."""
    for path in paths:
        earlier = read_form_file(Path(path))
        if earlier.maps_onto is None:
            raise CatalogError(f"Tệp biểu mẫu '{Path(path).name}' (biểu {earlier.id}) không ghép mã sang biểu nào "
                               "(thiếu maps_onto): tạo tệp ghép bằng cchc-xl form diff BIỂU_CŨ BIỂU_MỚI -o TỆP.")


def _checked_ahead(combine: Combine, period: Period) -> input_files.Then | None:
    """Each file placed and checked where it is read, when a commune's column is that one file
    (`consolidate`); a roll-up checks the sum of a commune's quarters, known only at the end."""
    return partial(checked, form=None, period=period) if combine is consolidate else None


def commune_form(received: Sequence[input_files.Received]) -> str:
    """The form most files are on (a province's own form, carried by its templates), the shipped
    commune form when none was read; a file on another form is reported, not added."""
    counts = Counter(item.submission.form for item in received)
    return max(counts, key=lambda form: (counts[form], form == DEFAULT_FORM)) if counts else DEFAULT_FORM


def _with_reports(c: Consolidation) -> Consolidation:
    """The consolidation with `Đối chiếu báo cáo` when some commune's report lies beside its workbook."""
    reports, problems = check_reports(c)
    if not reports and not problems:
        return c
    flags = tuple((r.commune, len(r.check.findings)) for r in reports)
    return replace(c, sheets=(*c.sheets, ReportSheet(c, reports)), problems=(*c.problems, *problems),
                   report_flags=flags)
