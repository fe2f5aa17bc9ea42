"""The district form (seed 003's summary table) as a catalog: every printed row, value and unit."""
from __future__ import annotations

import re

import pytest

from cchc_xl.commune.samples import load_sample, write_sample
from cchc_xl.forms.catalog import CatalogError, load_form, parse_form
from cchc_xl.forms.numbers import parse_number
from cchc_xl.read.reader import read_submission

#: Rows of our form that the print lacks: the yearly targets the reduction rates divide by.
ADDED = {"IV.2.5", "IV.3.4"}
#: Printed unit where the catalog corrects it (I.1.1 is the task count printed in a % row).
UNIT_FIXES = {"I.1.1": "%", "I.3.4": "Tin, bài", "II.3.1": "", "III.7.2": "", "VI.3": "", "VII.6.2": "TTHC",
              "VII.6.4": "TTHC", "VII.6.5": "TTHC"}
#: (printed, corrected) fragments of labels; every other label is printed as is.
LABEL_FIXES = {
    "I.9": [("Chi thị", "Chỉ thị")], "VI.2": [("trực thực", "trực thuộc thực")],
    "VII.2": [("Bổ trí", "Bố trí")], "VII.3": [("hợp trực", "họp trực")],
    "IV.4": [("sự ngành", "sự nghiệp")],
    "VII.4.2.1": [(" và gửi trên môi trường điện tử).", "")],
    "II.2.2": [("luật", "luật (qua tự kiểm tra)")], "II.2.3": [("xử lý", "xử lý (qua tự kiểm tra)")],
    "II.2.5": [("luật", "luật (qua kiểm tra)")], "II.2.6": [("xử lý", "xử lý (qua kiểm tra)")],
}


@pytest.fixture(scope="module")
def form():
    return load_form("huyen_2023")


@pytest.fixture(scope="module")
def printed(seed_text) -> list[dict[str, str]]:
    return _printed_rows(seed_text("003"))


def _printed_rows(text: str) -> list[dict[str, str]]:
    """The table's rows (stt, label, unit, value); a line split by a page break is one row."""
    table = text[text.index("BẢNG TỔNG HỢP"):]
    rows: list[dict[str, str]] = []
    after_header = False
    for line in table.splitlines():
        cells = (line.split("\t") + [""] * 5)[:5]
        if "\t" not in line:
            continue
        if cells[0] == "STT" or cells[2] == "Đơn vị tính":
            after_header = True
            continue
        stt, label, unit, value, _note = (c.strip() for c in cells)
        if after_header and not (stt or unit or value) and rows:
            rows[-1]["label"] += " " + label
        else:
            rows.append({"stt": stt, "label": label, "unit": unit, "value": value})
        after_header = False
    return rows


def _clean(label: str) -> str:
    label = re.sub(r"\s+", " ", label).strip()
    return re.sub(r"(?<!\.)[.:]$", "", label.removeprefix("- ")).strip()


def _choices(unit_text: str) -> dict[int, str]:
    """"Có = 1 Không = 0" / "Không = 0; Có = 1" -> {1: "Có", 0: "Không"}."""
    return {int(code): meaning.strip()
            for meaning, code in re.findall(r"([^=;\d]+?)\s*=\s*(\d)", unit_text)}


def _ours(form):
    return [r for r in form.rows if r.code not in ADDED]


def test_every_printed_row_is_a_row_of_the_form(form, printed):
    assert len(printed) == 211
    assert len(_ours(form)) == len(printed)


def test_labels_match_the_print_except_listed_corrections(form, printed):
    for row, line in zip(_ours(form), printed):
        expected = _clean(line["label"])
        for wrong, right in LABEL_FIXES.get(row.code, []):
            assert wrong in expected, row.code
            expected = expected.replace(wrong, right)
        assert row.label == expected, row.code


def test_units_and_choices_match_the_print_except_listed_corrections(form, printed):
    for row, line in zip(_ours(form), printed):
        if row.code in UNIT_FIXES:
            assert line["unit"] == UNIT_FIXES[row.code], row.code
        elif row.kind == "code":
            assert _choices(line["unit"]) == row.choices, row.code
        else:
            assert line["unit"] == row.unit, row.code


def test_sample_holds_every_printed_value(form, printed):
    sample = load_sample("cu_lao_dung_2023_q1")
    for row, line in zip(_ours(form), printed):
        typed = sample.group_values if row.kind == "group" else sample.values
        if line["value"] == "":
            assert row.code not in typed, row.code
        else:
            assert typed[row.code] == parse_number(line["value"]), row.code


def test_sample_keys_are_rows_of_the_right_kind(form):
    sample = load_sample("cu_lao_dung_2023_q1")
    assert all(form.row(code).is_value for code in sample.values)
    assert all(form.row(code).kind == "group" for code in sample.group_values)
    assert sample.values["IV.3.4"] == 7  # from the narrative: 2 people = 28,57 % of the target


def test_commune_fed_rows_total_commune_rows(form):
    fed = {r.code: r.from_communes for r in form.rows if r.from_communes}
    assert fed == {"III.7.4": ("3.3.1",), "III.7.6": ("3.3.2",), "V.6.5": ("5.4.5",),
                   "V.6.6": ("5.4.6",), "VII.4.1.2": ("7.2.1",), "VII.4.3": ("7.2.3",),
                   "VII.4.3.1": ("7.2.3.a",), "VII.4.3.2": ("7.2.3.b",),
                   "VII.5.2": ("7.4.1",), "VII.7.2.4": ("3.3.1.b",), "VII.8.4": ("7.6",)}
    assert form.commune_form == "xa_2023"


def _minimal(rows, rules=(), **meta):
    form = {"id": "t", "title": "t", "heading": "t", "level": "huyện", "version": "1", "sheet": "t"}
    return {"form": {**form, **meta}, "rows": list(rows), "rules": list(rules)}


COUNT = {"code": "1", "label": "a", "kind": "count"}


@pytest.mark.parametrize("row, meta", [
    ({**COUNT, "from_communes": ["3.3.1"]}, {}),                                  # no commune form
    ({**COUNT, "from_communes": ["9.9"]}, {"commune_form": "xa_2023"}),           # unknown code
    ({**COUNT, "from_communes": ["4.1.4"]}, {"commune_form": "xa_2023"}),         # a percentage, no weight
    ({**COUNT, "from_communes": ["3.2.4"]}, {"commune_form": "xa_2023"}),         # weight 3.1.3 is a stock
    ({**COUNT, "from_communes": ["1.4.2"]}, {"commune_form": "xa_2023"}),         # 0/1/2 code
    ({**COUNT, "from_communes": ["3.3.1"], "over_time": "stock"}, {"commune_form": "xa_2023"}),
    ({**COUNT, "kind": "percent", "over_time": "stock", "from_communes": ["3.3.1"]},
     {"commune_form": "xa_2023"}),
])
def test_from_communes_is_validated(row, meta):
    with pytest.raises(CatalogError):
        parse_form(_minimal([row], **meta))


def test_from_communes_accepts_counts_yes_no_codes_and_weighted_percentages():
    rows = [{**COUNT, "from_communes": ["3.3.1"]},
            {**COUNT, "code": "2", "over_time": "stock", "from_communes": ["7.6"]},
            {**COUNT, "code": "3", "from_communes": ["7.2.3.a"]}]
    form = parse_form(_minimal(rows, commune_form="xa_2023"))
    assert (form.row("2").from_communes, form.row("3").from_communes) == (("7.6",), ("7.2.3.a",))


PERCENT = {"code": "1", "label": "p", "kind": "percent", "over_time": "ratio", "weight": "1.2"}
PARTS = [{"code": "1.1", "label": "n", "kind": "count"}, {"code": "1.2", "label": "d", "kind": "count"}]


def test_ratio_rule_needs_the_denominator_as_weight():
    rule = {"kind": "ratio", "percent": "1", "numerator": "1.1", "denominator": "1.2"}
    assert parse_form(_minimal([PERCENT, *PARTS], [rule])).rules == (rule,)
    with pytest.raises(CatalogError):
        parse_form(_minimal([{**PERCENT, "weight": "1.1"}, *PARTS], [rule]))
    with pytest.raises(CatalogError):
        parse_form(_minimal([PERCENT, *PARTS], [{**rule, "percent": "1.1"}]))


@pytest.mark.parametrize("row", [
    {**PERCENT, "over_time": "flow"},            # a percentage cannot add up over quarters
    {**PERCENT, "weight": None},                 # ratio over time needs a weight
    {**COUNT, "over_time": "sometimes"},
])
def test_over_time_is_validated(row):
    row = {k: v for k, v in row.items() if v is not None}
    with pytest.raises(CatalogError):
        parse_form(_minimal([row, *PARTS]))


def test_unknown_rule_kind_is_refused():
    with pytest.raises(CatalogError):
        parse_form(_minimal([COUNT], [{"kind": "ge", "left": ["1"], "right": ["1"]}]))


def test_sample_workbook_reads_back_as_the_district_form(tmp_path):
    sample = load_sample("cu_lao_dung_2023_q1")
    submission = read_submission(write_sample(sample, tmp_path / "cld.xlsx"))
    assert (submission.form, submission.unit, submission.period) == ("huyen_2023", sample.unit, sample.period)
    assert {c: v for c, v in submission.values.items() if v is not None} == sample.values
