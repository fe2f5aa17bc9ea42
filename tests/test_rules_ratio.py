"""The declared `ratio` rule and the `at_most` sum, evaluated in Python on hand-written values."""
from __future__ import annotations

import pytest

from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.checks import check_values
from cchc_xl.forms.periods import Period
from cchc_xl.forms.rules import build_rules


@pytest.fixture(scope="module")
def rules():
    return {r.id: r for r in build_rules(load_form("huyen_2023"), Period.parse("2023-Q1"))}


def _flag(rule, values):
    found = check_values([rule], values)
    return found[0].message if found else None


@pytest.mark.parametrize("percent, done, target, flagged", [
    (28.57, 2, 7, False),     # 28,571… typed with two decimals
    (28.58, 2, 7, False),     # 0,0086 point off
    (28.56, 2, 7, True),      # 0,0114 point off
    (28.6, 2, 7, True),       # one decimal is 0,03 point off
    (0, 0, 7, False),
    (0, 0, 0, False),         # nothing planned, nothing done, 0 %
    (100, 0, 0, True),        # a rate over a zero target
    (None, 2, 7, False),      # blanks are the required rule's business
    (28.57, None, 7, False),
    ("28,57%", 2, 7, False),  # text is the percent rule's business
])
def test_ratio_rule(rules, percent, done, target, flagged):
    values = {"IV.3.5": percent, "IV.3.3": done, "IV.3.4": target}
    assert (_flag(rules["ratio:IV.3.5"], values) is not None) is flagged


def test_ratio_messages(rules):
    assert _flag(rules["ratio:IV.3.5"], {"IV.3.5": 30, "IV.3.3": 2, "IV.3.4": 7}) == \
        "Tỷ lệ tinh giản 30% khác 2/7 người × 100"
    assert _flag(rules["ratio:IV.3.5"], {"IV.3.5": 30, "IV.3.3": 2, "IV.3.4": 0}) == \
        "Tỷ lệ 30% nhưng mẫu số (IV.3.4) bằng 0"


@pytest.mark.parametrize("total, flagged", [(None, True), (2404, False), (3000, False), (2403, True)])
def test_sum_at_most(rules, total, flagged):
    values = {"VII.4.2": total, "VII.4.2.1": 1217, "VII.4.2.2": 1187}
    assert (_flag(rules["sum:VII.4.2"], values) is not None) is flagged


def test_sum_at_most_is_described_as_such(rules):
    assert rules["sum:VII.4.2"].description == "VII.4.2 ≥ VII.4.2.1 + VII.4.2.2"
    assert rules["sum:VI.3"].description == "VI.3 = VI.3.1 + VI.3.2 + VI.3.3 + VI.3.4"
