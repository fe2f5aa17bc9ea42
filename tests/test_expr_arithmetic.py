"""`*` and `/` in rule expressions: rendered with Excel's precedence, evaluated the same way."""
from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from cchc_xl.forms.checks import evaluate
from cchc_xl.forms.expr import Lit, Op, Ref
from cchc_xl.forms.formulas import to_formula

CELLS = {"a": "A1", "b": "A2", "c": "A3"}
VALUES = {"a": 9, "b": 19, "c": 2.5}
a, b, c = Ref("a"), Ref("b"), Ref("c")
EXPRESSIONS = {
    "=A1*100/A2": Op("/", Op("*", a, Lit(100)), b),
    "=A1/(A2*A3)": Op("/", a, Op("*", b, c)),
    "=A1/A2*A3": Op("*", Op("/", a, b), c),
    "=A1*(A2/A3)": Op("*", a, Op("/", b, c)),
    "=(A1-A2)*A3": Op("*", Op("-", a, b), c),
    "=A1-A2*A3": Op("-", a, Op("*", b, c)),
    "=A1/(A2/A3)": Op("/", a, Op("/", b, c)),
    "=A3-A1*100/A2>0.01": Op(">", Op("-", c, Op("/", Op("*", a, Lit(100)), b)), Lit(0.01)),
}


@pytest.mark.parametrize("text, expr", EXPRESSIONS.items())
def test_rendering_parenthesises_only_where_needed(text, expr):
    assert to_formula(expr, CELLS.__getitem__) == text


def test_python_follows_the_tree():
    lookup = VALUES.get
    assert evaluate(EXPRESSIONS["=A1*100/A2"], lookup) == 9 * 100 / 19
    assert evaluate(EXPRESSIONS["=A1/A2*A3"], lookup) == 9 / 19 * 2.5
    assert evaluate(Op("*", Ref("blank"), a), lookup) == 0


def test_division_by_zero_is_a_rule_bug():
    with pytest.raises(ZeroDivisionError):
        evaluate(Op("/", a, Lit(0)), VALUES.get)


def test_text_in_arithmetic_is_a_rule_bug():
    with pytest.raises(TypeError):
        evaluate(Op("*", Lit("x"), a), VALUES.get)


def _stored(value: float | bool) -> float | bool:
    """A result as a spreadsheet file stores it: 15 significant digits."""
    return value if isinstance(value, bool) else float(f"{value:.15g}")


def test_libreoffice_computes_the_same(recalc, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for code, ref in CELLS.items():
        sheet[ref] = VALUES[code]
    for row, expr in enumerate(EXPRESSIONS.values(), start=1):
        sheet[f"B{row}"] = to_formula(expr, CELLS.__getitem__)
    workbook.save(tmp_path / "arith.xlsx")
    [done] = recalc(tmp_path / "arith.xlsx")
    computed = load_workbook(done, data_only=True).active
    for row, expr in enumerate(EXPRESSIONS.values(), start=1):
        assert computed[f"B{row}"].value == _stored(evaluate(expr, VALUES.get)), row
