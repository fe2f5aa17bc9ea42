"""Cumulative 6T / 9T / year figures from four quarters, recomputed by hand in each test."""
from __future__ import annotations

import pytest

from cchc_xl.commune.samples import load_sample
from cchc_xl.cycle.rollup import missing_quarters, rollup
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.periods import Period

Q1, Q2, Q3, Q4 = (Period(2023, q) for q in ("Q1", "Q2", "Q3", "Q4"))
SIX, NINE, YEAR = Period(2023, "6T"), Period(2023, "9T"), Period(2023, "N")
SCALE = {Q1: 0.5, Q2: 1.0, Q3: 1.5, Q4: 2.0}
E_SHARE = {Q1: 100, Q2: 80, Q3: 60, Q4: 40}   # 7.2.3.a: share of documents sent electronically


@pytest.fixture(scope="module")
def form():
    return load_form("xa_2023")


@pytest.fixture(scope="module")
def commune(form):
    """Xã Hoằng Lưu's Q2 values, with the other quarters' counts scaled around them."""
    base = load_sample("hoang_luu_2023_q2").values
    quarters = {}
    for quarter, factor in SCALE.items():
        values = {code: (round(v * factor) if form.row(code).kind == "count" else v)
                  for code, v in base.items()}
        values["7.2.3.a"] = E_SHARE[quarter]
        values["1.5"] = 1 if quarter == Q4 else 0
        quarters[quarter] = values
    return quarters


def test_flows_add_up(form, commune):
    year = rollup(commune, YEAR, form)
    assert year["3.3.1"] == 301 + 602 + 903 + 1204
    assert rollup(commune, SIX, form)["1.1.3"] == 1 + 2
    flows = [r.code for r in form.value_rows if r.over_time == "flow" and r.kind == "count"]
    nine = rollup(commune, NINE, form)
    for code in flows:
        assert nine[code] == commune[Q1][code] + commune[Q2][code] + commune[Q3][code], code


def test_stocks_take_the_last_quarter(form, commune):
    nine = rollup(commune, NINE, form)
    assert nine["3.1.3"] == round(187 * 1.5)       # procedures in force at the end of Q3
    assert nine["4.1.2"] == round(19 * 1.5)        # staff present
    assert nine["1.1"] == commune[Q3]["1.1"]       # the plan's date
    assert rollup(commune, YEAR, form)["1.5"] == 1  # a code: the latest answer
    assert nine["1.5"] == 0


def test_percentages_are_weighted_by_their_denominator(form, commune):
    sent = [commune[q]["7.2.3"] for q in (Q1, Q2, Q3, Q4)]
    assert sent == [177, 354, 531, 708]
    expected = (100 * 177 + 80 * 354 + 60 * 531 + 40 * 708) / (177 + 354 + 531 + 708)
    assert rollup(commune, YEAR, form)["7.2.3.a"] == pytest.approx(expected, rel=1e-15)
    assert rollup(commune, SIX, form)["7.2.3.a"] == pytest.approx((100 * 177 + 80 * 354) / 531)


def test_a_quarter_is_its_own_rollup_for_flows_and_stocks(form, commune):
    q2 = rollup(commune, Q2, form)
    for row in form.value_rows:
        if row.over_time != "ratio":
            assert q2[row.code] == commune[Q2].get(row.code), row.code


def test_missing_quarter_is_reported_not_zero_filled(form, commune):
    without_q2 = {q: v for q, v in commune.items() if q != Q2}
    assert missing_quarters(without_q2, NINE) == [Q2]
    assert missing_quarters(commune, YEAR) == []
    nine = rollup(without_q2, NINE, form)
    assert nine["3.3.1"] is None                     # a flow needs every quarter
    assert nine["7.2.3.a"] is None                   # so does a weighted rate
    assert nine["3.1.3"] == commune[Q3]["3.1.3"]      # a stock needs only the last one
    assert rollup(without_q2, SIX, form)["3.1.3"] is None


def test_blank_or_text_in_a_quarter_blanks_the_flow(form, commune):
    changed = {**commune, Q1: {**commune[Q1], "3.3.1": None, "3.5": "không"}}
    six = rollup(changed, SIX, form)
    assert six["3.3.1"] is None and six["3.5"] is None
    assert six["3.3.2"] == commune[Q1]["3.3.2"] + commune[Q2]["3.3.2"]


def test_ratio_rule_rows_are_recomputed_from_numerator_and_denominator():
    form = load_form("huyen_2023")
    q1 = load_sample("cu_lao_dung_2023_q1").values
    q2 = {**q1, "IV.3.3": 3, "IV.3.5": 42.86, "I.1.2": 12, "I.1": 63.16}
    six = rollup({Q1: q1, Q2: q2}, SIX, form)
    assert six["IV.3.3"] == 2 + 3                    # people let go: a flow
    assert six["IV.3.5"] == pytest.approx(100 * 5 / 7)  # of the yearly target of 7
    assert six["I.1"] == pytest.approx(100 * 12 / 19)   # tasks done so far / planned
    assert six["I.7.3"] == 100                       # satisfaction weighted by forms: 100 both


def test_zero_denominator_gives_no_rate(form, commune):
    nothing_sent = {q: {**v, "7.2.3": 0} for q, v in commune.items()}
    assert rollup(nothing_sent, YEAR, form)["7.2.3.a"] is None


def test_only_quarters_roll_up(form, commune):
    with pytest.raises(ValueError):
        rollup({**commune, SIX: commune[Q1]}, YEAR, form)
