"""Comparison with the previous period: each unit's change, flagged when it is out of line.

Two DHIS2-style tests, on counts and percentages only (codes and dates do not "jump"):

- jump: the value is at least `jump_factor` times the previous period's, or at most its
  1/`jump_factor`; both sides are first raised to `jump_floor`, so 0 -> 3 is no jump while
  0 -> 30 (and 30 -> 0) is;
- band: the value lies outside a min–max band drawn from the unit's own earlier values of
  comparable periods (quarters with quarters, 6T with earlier 6T...): mean ± k·sd, or the
  historical min / margin and max × margin, widened by `band_slack`.

Missing history gives no flag, never an error. Pure functions over plain data; the district
workbook shows the records later.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Mapping

from cchc_xl.forms.catalog import Form
from cchc_xl.forms.config import ConfigError, load_config
from cchc_xl.forms.numbers import Value, is_number
from cchc_xl.forms.periods import Period

#: unit -> period -> code -> value
History = Mapping[str, Mapping[Period, Mapping[str, Value]]]
BANDS = ("sd", "minmax")


@dataclass(frozen=True)
class TrendSettings:
    """Thresholds; the shipped values live in cycle.toml's [trends] table."""

    jump_factor: float = 10.0
    jump_floor: float = 1.0
    band: str = "sd"
    band_k: float = 3.0
    band_margin: float = 1.5
    band_slack: float = 1.0
    min_history: int = 3

    def __post_init__(self) -> None:
        if self.band not in BANDS:
            raise ConfigError(f"[trends] band = {self.band!r}: chỉ dùng {' hoặc '.join(BANDS)}.")
        if self.jump_factor <= 1 or self.band_margin < 1 or self.min_history < 2:
            raise ConfigError("[trends]: cần jump_factor > 1, band_margin ≥ 1 và min_history ≥ 2.")
        if min(self.jump_floor, self.band_k, self.band_slack) < 0:
            raise ConfigError("[trends]: jump_floor, band_k, band_slack không được âm.")

    @classmethod
    def load(cls, path: Path | str | None = None) -> "TrendSettings":
        table = load_config(path)["trends"]
        known = {f.name: f.type for f in fields(cls)}
        unknown = set(table) - set(known)
        if unknown:
            raise ConfigError(f"[trends]: không có khóa {', '.join(sorted(unknown))}.")
        try:
            return cls(**{k: (str(v) if k == "band" else int(v) if k == "min_history" else float(v))
                          for k, v in table.items()})
        except (TypeError, ValueError) as error:
            raise ConfigError(f"[trends]: giá trị không hợp lệ ({error}).") from error


@dataclass(frozen=True)
class Change:
    """One unit's indicator in one period, beside its previous value and its usual range."""

    unit: str
    code: str
    period: Period
    value: float
    previous: float | None
    change: float | None
    low: float | None
    high: float | None
    flags: tuple[str, ...]   # "jump", "band"


def compare(history: History, period: Period, form: Form,
            settings: TrendSettings = TrendSettings()) -> list[Change]:
    """A record for every unit and count/percent row holding a number in `period`."""
    records = []
    rows = [r for r in form.value_rows if r.kind in ("count", "percent")]
    for unit, by_period in history.items():
        current = by_period.get(period)
        if current is None:
            continue
        earlier = sorted(p for p in by_period if p < period and _comparable(p, period))
        for row in rows:
            value = _number(current.get(row.code))
            if value is None:
                continue
            past = [v for p in earlier if (v := _number(by_period[p].get(row.code))) is not None]
            previous = _number(by_period.get(period.previous, {}).get(row.code))
            records.append(_change(unit, row.code, period, value, previous, past, settings))
    return records


def _number(value: Value) -> float | None:
    return float(value) if is_number(value) else None  # type: ignore[arg-type]


def is_jump(previous: float, value: float, settings: TrendSettings = TrendSettings()) -> bool:
    """Tenfold (by default) up or down, with small values raised to the floor first."""
    before, after = max(previous, settings.jump_floor), max(value, settings.jump_floor)
    if before <= 0 or after <= 0:
        return False
    ratio = after / before
    return ratio >= settings.jump_factor or ratio <= 1 / settings.jump_factor


def band(past: list[float], settings: TrendSettings = TrendSettings()) -> tuple[float, float] | None:
    """The unit's usual range from its own earlier values; None with too little history."""
    if len(past) < settings.min_history:
        return None
    if settings.band == "sd":
        centre, spread = statistics.fmean(past), settings.band_k * statistics.stdev(past)
        low, high = centre - spread, centre + spread
    else:
        low, high = min(past) / settings.band_margin, max(past) * settings.band_margin
    return max(0.0, low - settings.band_slack), high + settings.band_slack


def _comparable(earlier: Period, period: Period) -> bool:
    return earlier.is_quarter if period.is_quarter else earlier.kind == period.kind


def _change(unit: str, code: str, period: Period, value: float, previous: float | None,
            past: list[float], settings: TrendSettings) -> Change:
    flags = []
    if previous is not None and is_jump(previous, value, settings):
        flags.append("jump")
    limits = band(past, settings)
    if limits is not None and not limits[0] <= value <= limits[1]:
        flags.append("band")
    return Change(unit, code, period, value, previous,
                  None if previous is None else value - previous,
                  *(limits or (None, None)), tuple(flags))
