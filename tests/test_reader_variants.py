"""The reader on workbooks as they arrive: edited templates, a Word paste, the 2022 layout."""
from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import (
    BUILDERS,
    CODE_CLEARED,
    DELETED,
    DUPLICATE,
    FOREIGN,
    HOANG_LUU,
    QUANG_HOA,
    REWRITTEN,
    WRONG_CODE,
    Variant,
    expected_values,
    sheet_cells,
)
from openpyxl.utils.cell import coordinate_from_string

from cchc_xl.commune.samples import load_sample, write_sample
from cchc_xl.district.review import review_file
from cchc_xl.forms.numbers import to_text
from cchc_xl.read.reader import Submission, read_submission

#: Problems that carry a value the reader did not put in `values`.
HOLDS_A_VALUE = {"unplaced_row", "duplicate_code", "group_value", "no_2023_row"}


@pytest.fixture(scope="module")
def read(tmp_path_factory) -> dict[str, tuple[Variant, Submission]]:
    folder = tmp_path_factory.mktemp("variants")
    built = {name: build(folder) for name, build in BUILDERS.items()}
    return {name: (variant, read_submission(variant.path)) for name, variant in built.items()}


def _is_header(stt, value) -> bool:
    return stt == "STT" or value == "Số liệu"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@pytest.mark.parametrize("name", BUILDERS)
def test_values_read_equal_the_samples(read, name):
    variant, submission = read[name]
    got = {code: value for code, value in submission.parsed.items() if value is not None}
    assert got == variant.expected
    assert submission.form == "xa_2023"


@pytest.mark.parametrize("name", BUILDERS)
def test_every_row_is_placed_or_listed(read, name):
    variant, submission = read[name]
    placed = {p.row for p in submission.placements if p.code is not None}
    listed = {coordinate_from_string(p.cell)[1] for p in submission.problems if p.kind == "unplaced_row"}
    for row, stt, label, value in sheet_cells(variant):
        if _is_header(stt, value) or (_blank(label) and _blank(value)):
            continue
        assert row in placed | listed, row


@pytest.mark.parametrize("name", BUILDERS)
def test_nothing_is_dropped(read, name):
    """Every non-empty value cell is in `values` or in a problem that shows its value."""
    variant, submission = read[name]
    read_cells = set(submission.cells.values())
    messages = {p.cell: p.message for p in submission.problems if p.kind in HOLDS_A_VALUE}
    for row, stt, _label, value in sheet_cells(variant):
        if _blank(value) or _is_header(stt, value):
            continue
        ref = f"{variant.value_col}{row}"
        if ref not in read_cells:
            assert ref in messages, ref
            assert to_text(value) in messages[ref], (ref, value)


@pytest.mark.parametrize("name", BUILDERS)
def test_unit_and_period_are_found(read, name):
    variant, submission = read[name]
    assert (submission.unit, submission.period) == (variant.sample.unit, variant.sample.period)


def test_template_takes_the_meta_path_with_no_problem(tmp_path):
    sample = load_sample(HOANG_LUU)
    submission = read_submission(write_sample(sample, tmp_path / "hl.xlsx"))
    assert submission.from_template and submission.source_form == "xa_2023"
    assert submission.problems == []
    assert submission.parsed == submission.values
    assert {c: v for c, v in submission.parsed.items() if v is not None} == expected_values(sample)
    assert submission.cells["3.3.1"] == "D44"
    assert submission.notes == sample.notes


def test_header_moved_is_found_without_meta_sheet(read):
    variant, submission = read["header_moved"]
    assert not submission.from_template
    assert submission.cells["1.1.1"].startswith("E")


def test_deleted_rows_are_reported_missing(read):
    _, submission = read["deleted"]
    assert {p.code for p in submission.problems if p.kind == "missing_row"} == set(DELETED)


def test_duplicate_code_keeps_the_first_and_reports_the_copy(read):
    variant, submission = read["duplicated"]
    code, value = DUPLICATE
    (problem,) = [p for p in submission.problems if p.kind == "duplicate_code"]
    assert (problem.code, problem.cell) == (code, variant.edits["duplicate_cell"])
    assert str(value) in problem.message
    assert submission.parsed[code] == variant.expected[code]


def test_foreign_rows_are_listed_with_their_values(read):
    _, submission = read["inserted"]
    unplaced = [p for p in submission.problems if p.kind == "unplaced_row"]
    assert len(unplaced) == len(FOREIGN)
    for label, _unit, value in FOREIGN.values():
        assert any(label in p.message and str(value) in p.message for p in unplaced)


def test_relabeled_rows_are_placed_by_label_and_doubts_reported(read):
    _, submission = read["relabeled"]
    by_label = {p.code for p in submission.placements if p.how in ("label", "fuzzy")}
    assert set(CODE_CLEARED) <= by_label
    kinds = {(p.kind, p.code) for p in submission.problems}
    assert ("label_mismatch", REWRITTEN[0]) in kinds
    assert ("code_mismatch", WRONG_CODE[0]) in kinds


def test_word_paste_reads_text_numbers_and_reports_group_values(read):
    variant, submission = read["word_paste"]
    assert {p.code for p in submission.problems if p.kind == "group_value"} == set(variant.sample.group_values)
    assert submission.values["3.3.1"] == "602" and submission.parsed["3.3.1"] == 602
    assert {p.kind for p in submission.problems} <= {"number_text", "date_text", "group_value", "text_below"}
    [signature] = [p.message for p in submission.problems if p.kind == "text_below"]
    assert "«CHỦ TỊCH»" in signature  # the signature block under the table, said once


def test_2022_layout_maps_onto_2023_and_lists_values_without_counterpart(read):
    variant, submission = read["layout_2022"]
    assert submission.source_form == "xa_2022"
    _mapped, unmapped = load_sample(QUANG_HOA).values_2023()
    listed = {p.code for p in submission.problems if p.kind == "no_2023_row"}
    assert listed == set(unmapped)
    assert not [p for p in submission.problems if p.kind in ("unplaced_row", "missing_row")]


def test_check_flags_the_seed_error_in_an_edited_layout(read):
    variant, submission = read["header_moved"]
    review = review_file(variant.path)
    flagged = {f.rule: f.cell for f in review.findings}
    assert flagged["sum:3.3.1"] == submission.cells["3.3.1"]


def test_check_flags_the_seed_errors_of_a_2022_file_with_the_2023_rules(read):
    variant, submission = read["layout_2022"]
    flagged = {f.rule: f.cell for f in review_file(variant.path).findings}
    assert flagged["percent:7.2.3.a"] == submission.cells["7.2.3.a"]  # 263 % printed in seed 000
    assert flagged["le:4.1.2<=4.1.1"] == submission.cells["4.1.2"]  # 21 present > 20 allotted


@pytest.mark.parametrize(("file", "sample"), [("doc_hoang_luu_word_paste.xlsx", HOANG_LUU),
                                              ("doc_quang_hoa_2022_layout.xlsx", QUANG_HOA)])
def test_shipped_doc_workbooks_read_as_their_samples(file, sample):
    """workbooks/variants/doc_*.xlsx come from `variants.write_variants`; they must not go stale."""
    path = Path(__file__).resolve().parents[1] / "workbooks" / "variants" / file
    submission = read_submission(path)
    assert {c: v for c, v in submission.parsed.items() if v is not None} == expected_values(load_sample(sample))
    assert not [p for p in submission.problems if p.kind in ("unplaced_row", "missing_row")]
