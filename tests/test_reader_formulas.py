"""Formula cells: the cached result is the value; a formula never calculated is reported."""
from __future__ import annotations

from fixtures import with_formula

from cchc_xl.read.reader import read_submission


def test_formula_without_cached_value_is_reported_and_read_as_blank(tmp_path):
    path = with_formula(tmp_path, "1.1.1", "=10+18")
    submission = read_submission(path)
    (problem,) = [p for p in submission.problems if p.kind == "formula_no_value"]
    assert (problem.code, problem.cell) == ("1.1.1", submission.cells["1.1.1"])
    assert submission.values["1.1.1"] is None and submission.parsed["1.1.1"] is None


def test_formula_gives_its_cached_value_after_recalculation(tmp_path, recalc):
    (path,) = recalc(with_formula(tmp_path, "1.1.1", "=10+18"))
    submission = read_submission(path)
    assert submission.values["1.1.1"] == 28
    assert "formula_no_value" not in {p.kind for p in submission.problems}


def test_a_stored_error_is_reported_not_read_as_blank_silently(tmp_path, recalc):
    (path,) = recalc(with_formula(tmp_path, "1.1.1", "=1/0"))
    submission = read_submission(path)
    (problem,) = [p for p in submission.problems if p.kind == "error_value"]
    assert (problem.code, problem.cell) == ("1.1.1", submission.cells["1.1.1"])
    assert "#DIV/0!" in problem.message
