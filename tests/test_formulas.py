"""Rule → formula text, compared as text (fragment tests, as XlsxWriter does)."""
from __future__ import annotations

from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.expr import Lit, Op, Ref, concat, fn
from cchc_xl.forms.formulas import quote_sheet, to_formula
from cchc_xl.forms.periods import Period
from cchc_xl.forms.rules import build_rules

CELL = {"3.3.1": "D44", "3.3.1.a": "D45", "3.3.1.b": "D46", "3.3.1.c": "D47", "3.3.1.d": "D48",
        "4.1.1": "D63", "4.1.2": "D64"}


def _rule(rule_id):
    rules = build_rules(load_form("xa_2023"), Period.parse("2023-Q2"))
    return next(r for r in rules if r.id == rule_id)


def test_sum_rule_formula():
    formula = to_formula(_rule("sum:3.3.1").expr, CELL.__getitem__)
    parts = "D45,D46,D47,D48"
    assert formula == (
        f'=IF(AND(COUNT({parts})>0,COUNTA({parts})=COUNT({parts})),'
        f'IF(ISBLANK(D44),"Chưa nhập tổng (các thành phần cộng lại "&SUM({parts})&")",'
        f'IF(ISNUMBER(D44),IF(ABS(SUM({parts})-D44)>1e-06,'
        f'"Tổng các kênh tiếp nhận "&SUM({parts})&" ≠ "&D44,""),"")),"")'
    )


def test_part_le_whole_formula():
    formula = to_formula(_rule("le:4.1.2<=4.1.1").expr, CELL.__getitem__)
    assert formula == (
        '=IF(AND(AND(COUNT(D64)>0,COUNTA(D64)=COUNT(D64)),AND(COUNT(D63)>0,COUNTA(D63)=COUNT(D63))),'
        'IF(SUM(D64)-SUM(D63)>1e-06,"Biên chế có mặt "&SUM(D64)&" > biên chế được giao "&SUM(D63),""),"")'
    )


def test_parentheses_follow_excel_precedence():
    expr = concat("x", Op("-", Ref("a"), Op("-", Ref("b"), Lit(1))))
    assert to_formula(expr, str.upper) == '="x"&A-(B-1)'
    assert to_formula(Op(">", Op("=", Ref("a"), Lit(1)), Lit(0)), str.upper) == "=(A=1)>0"
    assert to_formula(fn("SUM", Ref("a")), lambda c: "'Phụ lục'!$D$9") == "=SUM('Phụ lục'!$D$9)"


def test_strings_escape_quotes_and_sheets_escape_apostrophes():
    assert to_formula(Lit('say "hi"'), str) == '="say ""hi"""'
    assert quote_sheet("Xã Đông's") == "'Xã Đông''s'"
