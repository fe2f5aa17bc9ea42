"""The consolidation beside earlier periods: each commune's change and its DHIS2-style flags.

Earlier figures come from the files given (`history`); the current period's are the
consolidation's own (an earlier file of the current period is not used). Communes are matched
by `units.unit_key`, so "UBND xã Hoằng Lưu" last quarter is "Xã Hoằng Lưu" now. A commune
without earlier figures gets no flag (`trends.compare`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from cchc_xl.cycle.history import Figures, read_history
from cchc_xl.cycle.trends import Change, TrendSettings
from cchc_xl.cycle.trends import compare as compare_trends
from cchc_xl.district.model import Consolidation
from cchc_xl.forms.periods import Period
from cchc_xl.read.reader import Problem
from cchc_xl.read.units import unit_key


@dataclass(frozen=True)
class Comparison:
    previous: Period
    #: one record per commune and count/percent row holding a number now, in sheet order
    changes: tuple[Change, ...]
    settings: TrendSettings
    files: tuple[str, ...]
    problems: tuple[Problem, ...]

    @property
    def flagged(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.flags)


def compare(c: Consolidation, paths: Iterable[Path], settings: TrendSettings) -> Comparison:
    earlier = read_history(paths, c.form)
    names = {unit_key(m.name): m.name for m in c.communes}
    figures: Figures = {m.name: {} for m in c.communes}
    for unit, by_period in earlier.figures.items():
        name = names.get(unit_key(unit))
        if name is None:
            continue
        for period, values in by_period.items():
            if period != c.period:
                figures[name].setdefault(period, values)
    for m in c.communes:
        figures[m.name][c.period] = m.values
    order = {m.name: i for i, m in enumerate(c.communes)}
    rows = {row.code: i for i, row in enumerate(c.form.rows)}
    changes = sorted(compare_trends(figures, c.period, c.form, settings),
                     key=lambda change: (order[change.unit], rows[change.code]))
    return Comparison(c.period.previous, tuple(changes), settings, tuple(earlier.files), tuple(earlier.problems))
