"""The 2023 commune catalog: every row of Phụ lục 01b, with the source's typos fixed."""
from __future__ import annotations

import pytest

from cchc_xl.forms.catalog import CatalogError, load_form, parse_form
from cchc_xl.forms.periods import Period
from cchc_xl.forms.rules import build_rules


@pytest.fixture(scope="module")
def form():
    return load_form("xa_2023")


def test_codes_in_print_order_with_typos_fixed(form):
    codes = [r.code for r in form.rows]
    assert codes[:9] == ["1", "1.1", "1.1.1", "1.1.2", "1.1.3", "1.2", "1.2.1", "1.2.2", "1.2.3"]
    assert codes[-1] == "7.6"
    assert len(codes) == len(set(codes))
    assert form.row("1.2.2").label == "Số vấn đề phát hiện qua kiểm tra"


def test_of_which_rows_are_sub_codes_of_their_total(form):
    assert [r.code for r in form.rows if r.parent == "3.3.1"] == [f"3.3.1.{x}" for x in "abcd"]
    assert form.row("7.2.3.b").parent == "7.2.3"
    assert form.row("3.3.1").parent == "3.3"


def test_every_of_which_group_has_a_rule(form):
    rules = {r.id for r in build_rules(form, Period.parse("2023-Q2"))}
    assert {"sum:3.3.1", "sum:3.3.2", "le:7.2.3.a+7.2.3.b<=100"} <= rules


def test_coded_rows_carry_their_meanings(form):
    assert form.row("1.4.2").choices == {0: "Trực tuyến", 1: "Phát phiếu", 2: "Kết hợp"}
    assert form.row("7.1").choices[2] == "3 cấp"
    assert {r.kind for r in form.rows} == {"group", "count", "percent", "code", "date"}


def test_aggregation_of_percentages_is_weighted(form):
    row = form.row("7.2.3.a")
    assert (row.agg, row.weight) == ("ratio", "7.2.3")


def test_labels_have_diacritics_repaired(form):
    labels = " ".join(r.label for r in form.rows)
    for broken in ("c  chế", "nhiệm v ", "đ n vị", "  "):
        assert broken not in labels
    assert "cơ chế một cửa" in labels


def _minimal(rows, rules=()):
    return {"form": {"id": "t", "title": "t", "heading": "h", "level": "xã", "version": "1", "sheet": "s"},
            "rows": rows, "rules": list(rules)}


def test_rule_referring_to_unknown_code_is_refused():
    rows = [{"code": "1", "label": "a", "kind": "count"}]
    with pytest.raises(CatalogError):
        parse_form(_minimal(rows, [{"kind": "le", "left": ["1"], "right": ["9"]}]))


def test_duplicate_code_is_refused():
    rows = [{"code": "1", "label": "a", "kind": "count"}, {"code": "1", "label": "b", "kind": "count"}]
    with pytest.raises(CatalogError):
        parse_form(_minimal(rows))
