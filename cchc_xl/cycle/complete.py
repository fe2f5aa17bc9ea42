"""What the reporting cycle adds to a consolidation: the district form, completeness and
timeliness, and the comparison with earlier periods.

`complete` is applied to a `Consolidation` (of one period, or rolled up from quarters) before
the workbook is written; each part is optional and pure but for reading the files named in
`CycleOptions` (an unreadable one becomes a problem, never a stop).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from cchc_xl.cycle import comparison
from cchc_xl.cycle.chart_sheet import ChartSheet
from cchc_xl.cycle.comparison import Comparison
from cchc_xl.cycle.completeness import CompletenessSheet
from cchc_xl.cycle.status import StatusReport, assess
from cchc_xl.cycle.trend_sheet import TrendSheet
from cchc_xl.cycle.trends import TrendSettings
from cchc_xl.district import district_form
from cchc_xl.district.model import Consolidation
from cchc_xl.forms.catalog import CatalogError, Form, load_form
from cchc_xl.forms.periods import Deadlines
from cchc_xl.read.reader import Problem, ReadError


@dataclass(frozen=True)
class CycleOptions:
    """The optional parts of a consolidation run."""

    #: the district's form (huyen_2023): a sheet whose commune-fed rows total `Tổng hợp`
    form: str | None = None
    #: the district's own figures for that form: a filled form, or an earlier district workbook
    own: Path | None = None
    #: earlier district workbooks or commune files (or folders of them), for the comparison
    previous: tuple[Path, ...] = ()
    #: a settings file overriding cycle.toml (deadlines, trend thresholds)
    config: Path | None = None
    #: earlier forms mapped onto the current one (`form diff -o`): their files, this period's or
    #: earlier ones, are put on the current form's codes
    earlier: tuple[Path, ...] = ()


def district_form_of(form_id: str, commune_form: Form) -> Form:
    """The district form `form_id`, checked to total the communes' form; raises `CatalogError`."""
    form = load_form(form_id)
    if form.commune_form != commune_form.id:
        raise CatalogError(f"Biểu {form_id} không phải biểu cấp trên (huyện, tỉnh) tổng hợp từ biểu xã {commune_form.id} "
                           f"(dùng --form với biểu có commune_form = \"{commune_form.id}\").")
    return form


@dataclass(frozen=True)
class Completed:
    """A consolidation with what the cycle added: its sheets, who sent on time, the comparison."""

    consolidation: Consolidation
    status: tuple[StatusReport, ...] = ()
    comparison: Comparison | None = None


def complete(c: Consolidation, options: CycleOptions) -> Completed:
    """The consolidation with the parts `options` asks for (raises `ConfigError` for a bad
    settings file and `CatalogError` for a form that is not a district form)."""
    problems = list(c.problems)
    district = None
    if options.form is not None:
        district = _district(c, district_form_of(options.form, c.form), options.own, problems)
    status = _status(c, Deadlines.load(options.config)) if c.expected is not None else ()
    compared = None
    if options.previous:
        compared = comparison.compare(c, options.previous, TrendSettings.load(options.config))
        problems += compared.problems
    sheets = ((TrendSheet(c, compared),) if compared is not None else ()) + \
        ((CompletenessSheet(c, status),) if status else ()) + ((ChartSheet(c, compared),) if c.communes else ())
    return Completed(replace(c, district=district, sheets=sheets, problems=tuple(problems)), status, compared)


def _district(c: Consolidation, form: Form, own_path: Path | None,
              problems: list[Problem]) -> district_form.DistrictReport:
    own = None
    if own_path is not None:
        try:
            own = district_form.read_own(own_path, form)
        except ReadError as error:
            problems.append(Problem(Path(own_path).name, str(error), kind="own"))
        else:
            problems.extend(own.problems)
    return district_form.report(form, c.period, [m.values for m in c.communes], own)


def _status(c: Consolidation, deadlines: Deadlines) -> tuple[StatusReport, ...]:
    """Who sent the period's report, and when: per quarter for figures rolled up from quarters."""
    expected = c.expected or ()
    if not c.from_quarters:
        return (assess(c.sent, c.period, expected, deadlines),)
    return tuple(assess([s for s in c.sent if s.period == q.key], q, expected, deadlines)
                 for q in c.period.quarters)
