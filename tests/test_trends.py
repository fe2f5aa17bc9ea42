"""Comparison with the previous period: jumps and the unit's own band; no history, no flag."""
from __future__ import annotations

import pytest

from cchc_xl.cycle.trends import TrendSettings, band, compare, is_jump
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.config import ConfigError
from cchc_xl.forms.periods import Period

FORM = load_form("xa_2023")
P = Period.parse
QUARTERS = [P(k) for k in ("2022-Q3", "2022-Q4", "2023-Q1", "2023-Q2")]


def _history(series: dict[str, list], code: str = "3.3.1") -> dict:
    """unit -> quarterly values of one code, the last one in 2023-Q2."""
    return {unit: {q: {code: v} for q, v in zip(QUARTERS[-len(values):], values)}
            for unit, values in series.items()}


def _flags(history, code: str = "3.3.1", period: str = "2023-Q2", settings=TrendSettings()):
    return {c.unit: c.flags for c in compare(history, P(period), FORM, settings) if c.code == code}


@pytest.mark.parametrize("previous, value, jumped", [
    (10, 100, True), (100, 10, True),     # tenfold, either way
    (10, 99, False), (12, 100, False),
    (0, 5, False), (0, 30, True),         # 0 -> n: below the floor counts as 1
    (30, 0, True), (0, 0, False), (0.4, 0.5, False),
])
def test_jump(previous, value, jumped):
    assert is_jump(previous, value) is jumped


def test_tenfold_commune_is_flagged_and_the_record_carries_the_previous_value():
    history = _history({"Xã A": [60, 58, 62, 620], "Xã B": [60, 58, 62, 64]})
    assert _flags(history) == {"Xã A": ("jump", "band"), "Xã B": ()}
    [a] = [c for c in compare(history, P("2023-Q2"), FORM) if c.unit == "Xã A"]
    assert (a.previous, a.change, a.value) == (62, 558, 620)


def test_band_without_jump():
    assert _flags(_history({"Xã A": [600, 620, 580, 900]})) == {"Xã A": ("band",)}


def test_band_sd_and_minmax():
    past = [600.0, 620.0, 580.0]
    low, high = band(past)
    assert (low, high) == pytest.approx((600 - 60 - 1, 600 + 60 + 1))   # sd = 20, k = 3
    minmax = TrendSettings(band="minmax", band_margin=1.5)
    assert band(past, minmax) == pytest.approx((580 / 1.5 - 1, 620 * 1.5 + 1))
    assert band([5.0, 5.0, 5.0]) == (4.0, 6.0)    # a constant history still tolerates ±1


def test_missing_history_gives_no_flag_and_no_error():
    history = {"Xã mới": {P("2023-Q2"): {"3.3.1": 600}},
               "Xã thiếu quý": {P("2022-Q4"): {"3.3.1": 5}, P("2023-Q2"): {"3.3.1": 600}}}
    changes = {c.unit: c for c in compare(history, P("2023-Q2"), FORM) if c.code == "3.3.1"}
    assert changes["Xã mới"].previous is None and changes["Xã mới"].flags == ()
    assert changes["Xã thiếu quý"].previous is None      # 2023-Q1 is missing: no jump test
    assert changes["Xã thiếu quý"].low is None           # one earlier value: no band
    assert changes["Xã thiếu quý"].flags == ()


def test_units_without_the_period_and_non_numbers_are_skipped():
    history = {"Xã A": {P("2023-Q1"): {"3.3.1": 5}},
               "Xã B": {P("2023-Q1"): {"3.3.1": 5}, P("2023-Q2"): {"3.3.1": "sáu trăm", "7.1": 2}}}
    assert compare(history, P("2023-Q2"), FORM) == []


def test_text_in_history_is_ignored():
    history = _history({"Xã A": ["n/a", 600, 620, 610]})
    [change] = compare(history, P("2023-Q2"), FORM)
    assert change.low is None and change.flags == ()      # two numbers only: no band yet


def test_cumulative_periods_compare_with_the_same_kind():
    history = {"Xã A": {P("2022-6T"): {"3.3.1": 1200}, P("2023-Q1"): {"3.3.1": 600},
                        P("2023-6T"): {"3.3.1": 1250}}}
    [change] = compare(history, P("2023-6T"), FORM)
    assert (change.previous, change.flags) == (1200, ())


def test_percentages_are_compared_too():
    history = _history({"Xã A": [2, 3, 2, 60]}, code="3.2.4")
    assert _flags(history, "3.2.4") == {"Xã A": ("jump", "band")}


def test_settings_come_from_cycle_toml_and_can_be_overridden(tmp_path):
    assert TrendSettings.load() == TrendSettings()
    path = tmp_path / "tinh.toml"
    path.write_text('[trends]\njump_factor = 5\nband = "minmax"\n', "utf-8")
    settings = TrendSettings.load(path)
    assert (settings.jump_factor, settings.band, settings.min_history) == (5.0, "minmax", 3)
    assert _flags(_history({"Xã A": [10, 50]}), settings=settings) == {"Xã A": ("jump",)}


@pytest.mark.parametrize("text", ['band = "iqr"', "jump_factor = 1", "min_history = 1",
                                  'jump_factor = "mười"', "factor = 3"])
def test_bad_trend_settings(tmp_path, text):
    path = tmp_path / "sai.toml"
    path.write_text(f"[trends]\n{text}\n", "utf-8")
    with pytest.raises(ConfigError):
        TrendSettings.load(path)
