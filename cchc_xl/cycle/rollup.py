"""Cumulative figures (6 tháng, 9 tháng, năm) from quarterly values, by each row's `over_time`.

- flow: the quarters add up (files received, documents issued);
- stock: the value of the period's last quarter (staff, procedures in force; also every code,
  date and text row, which describe a state);
- ratio: recomputed, never added: 100 × numerator / denominator of the rolled-up values when
  the form declares a ratio rule for the row (I.1 = 100 × I.1.2 / I.1.1), otherwise the
  quarterly rates averaged with the row's `weight` as weights (7.2.3.a by documents sent 7.2.3).

A value that needs a missing quarter, or a quarter where it is blank or text, stays blank
(None): a cumulative figure is never completed with zeros. `missing_quarters` says which
quarters are absent, so the caller can report them.
"""
from __future__ import annotations

import math
from typing import Mapping

from cchc_xl.forms.catalog import Form, Row
from cchc_xl.forms.numbers import Value, is_number
from cchc_xl.forms.periods import Period

Quarterly = Mapping[Period, Mapping[str, Value]]


def missing_quarters(quarterly: Quarterly, target: Period) -> list[Period]:
    """The quarters `target` covers that `quarterly` lacks, in order."""
    return [q for q in target.quarters if q not in quarterly]


def rollup(quarterly: Quarterly, target: Period, form: Form) -> dict[str, Value]:
    """Every value row of `form` for `target`, from the quarters it covers (None if it cannot be)."""
    strays = [str(p) for p in quarterly if not p.is_quarter]
    if strays:
        raise ValueError(f"rollup adds up quarters, not {', '.join(strays)}")
    return _Rollup(quarterly, target, form).values()


class _Rollup:
    def __init__(self, quarterly: Quarterly, target: Period, form: Form) -> None:
        self.quarterly, self.quarters, self.form = quarterly, target.quarters, form
        self.ratios = {r["percent"]: r for r in form.rules if r["kind"] == "ratio"}
        self.memo: dict[str, Value] = {}

    def values(self) -> dict[str, Value]:
        return {row.code: self.value(row) for row in self.form.value_rows}

    def value(self, row: Row) -> Value:
        if row.code not in self.memo:
            rule = {"flow": self._flow, "stock": self._stock, "ratio": self._ratio}[row.over_time]
            self.memo[row.code] = rule(row) if row.kind != "text" else self._stock(row)
        return self.memo[row.code]

    def _series(self, code: str) -> list[float] | None:
        """The code's number in each covered quarter, or None if any is missing or not a number."""
        found = [self.quarterly[q].get(code) if q in self.quarterly else None for q in self.quarters]
        return found if all(is_number(v) for v in found) else None  # type: ignore[return-value]

    def _flow(self, row: Row) -> Value:
        series = self._series(row.code)
        if series is None:
            return None
        total = math.fsum(series)
        return int(total) if all(isinstance(v, int) for v in series) else total

    def _stock(self, row: Row) -> Value:
        last = self.quarters[-1]
        return self.quarterly[last].get(row.code) if last in self.quarterly else None

    def _ratio(self, row: Row) -> Value:
        rule = self.ratios.get(row.code)
        if rule is not None:
            numerator = self.value(self.form.row(rule["numerator"]))
            denominator = self.value(self.form.row(rule["denominator"]))
            if is_number(numerator) and is_number(denominator) and denominator > 0:  # type: ignore[operator]
                return numerator * 100 / denominator  # type: ignore[operator]
            return None
        rates, weights = self._series(row.code), self._series(row.weight or "")
        if rates is None or weights is None or math.fsum(weights) <= 0:
            return None
        return math.fsum(p * w for p, w in zip(rates, weights)) / math.fsum(weights)
