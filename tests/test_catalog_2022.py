"""The 2022 commune catalog (Phụ lục 2) and its mapping onto the 2023 form."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from cchc_xl.forms.catalog import load_form

# 80 rows printed " 1. " + the two that kept their code (3.3.1, 3.5) + 10 "Trong đó" sub-rows.
SEED_ROWS = 92


@pytest.fixture(scope="module")
def old():
    return load_form("xa_2022")


@pytest.fixture(scope="module")
def new():
    return load_form("xa_2023")


def test_form_metadata(old):
    assert (old.id, old.title, old.sheet, old.version) == ("xa_2022", "Phụ lục 2", "Phụ lục 2", "2022.1")
    assert old.maps_onto == "xa_2023"


def test_mapping_targets_exist_with_same_kind(old, new):
    mapped = [r for r in old.rows if r.maps_to]
    assert mapped
    for row in mapped:
        assert new.has(row.maps_to), row.code
        assert new.row(row.maps_to).kind == row.kind, row.code


def test_no_two_rows_map_to_the_same_code(old):
    counts = Counter(r.maps_to for r in old.rows if r.maps_to)
    assert [code for code, n in counts.items() if n > 1] == []


def test_received_channels_map_to_3_3_1_a_to_d(old):
    assert old.row("3.3.1").maps_to == "3.3.1"
    for letter in "abcd":
        row = old.row(f"3.3.1.{letter}")
        assert row.parent == "3.3.1"
        assert row.maps_to == f"3.3.1.{letter}"


def test_rows_without_2023_counterpart_stay_unmapped(old):
    for code in ("1.2", "3.2.1", "4.1.1", "4.1.2", "4.1.3", "4.2.3", "4.2.4", "5.1.1", "7.2", "7.6.1"):
        assert old.row(code).maps_to is None, code


def test_sum_rules_carry_over_to_2023(old, new):
    def key(rule, translate=lambda c: c):
        return translate(rule["total"]), tuple(translate(p) for p in rule["parts"])

    to_2023 = lambda code: old.row(code).maps_to  # noqa: E731
    assert {key(r, to_2023) for r in old.rules if r["kind"] == "sum"} == {
        key(r) for r in new.rules if r["kind"] == "sum"
    }


def _seed_table_rows(text: str, units: set[str]) -> int:
    """Rows of the appendix table: lost codes (" 1. "), kept codes, and "Trong đó" sub-rows."""
    lines = [ln.replace("\xa0", " ").strip() for ln in text[text.index("Phụ lục 2"):].splitlines()]
    lines = [ln for ln in lines if ln]
    marker = re.compile(r"^(1\.|\d+(\.\d+)+)$")
    rows, inside = 0, False
    for line in lines:
        if marker.match(line):
            rows, inside = rows + 1, False
        elif line == "Trong đó":
            inside = True
        elif inside and line not in units and not re.fullmatch(r"[\d.,]+", line):
            rows += 1
    return rows


def test_row_count_matches_seed_table(old, seed_text):
    assert len(old.rows) == SEED_ROWS
    units = {r.unit for r in old.rows if r.unit}
    assert _seed_table_rows(seed_text("000"), units) == len(old.rows)
