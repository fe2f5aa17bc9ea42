"""The shaped closures of `checks._compile` against a plain walk of the expression tree.

`reference` below is the meaning the closures replaced, written as a tree walk: operands are
evaluated first and converted afterwards, an IF without three arguments fails before anything
is read (the old compiler unpacked it up front). Every shipped form's rules, and random trees
over the whole grammar, must give the same value (same type, same repr) or raise the same
exception class, on values mixing blanks, numbers, number text, words, booleans and numbers
no spreadsheet holds.
"""
from __future__ import annotations

import math
import operator
import random
from collections import Counter
from typing import Callable

from cchc_xl.forms import checks
from cchc_xl.forms.catalog import available_forms, load_form
from cchc_xl.forms.checks import OVERFLOW_MESSAGE, check_values, evaluate
from cchc_xl.forms.expr import FUNCTIONS, OPERATORS, Expr, Fn, Lit, Op, Ref, refs
from cchc_xl.forms.numbers import is_number
from cchc_xl.forms.periods import Period
from cchc_xl.forms.rules import Rule, build_rules, framework_rules

Lookup = Callable[[str], object]


def number(value: object) -> float:
    if value is None:
        return 0.0
    if not is_number(value):
        raise TypeError(f"arithmetic on {value!r}")
    x = float(value)  # type: ignore[arg-type]
    if not math.isfinite(x):
        raise OverflowError("beyond the spreadsheet's range")
    return x


def finite(x: float) -> float:
    if not math.isfinite(x):
        raise OverflowError("beyond the spreadsheet's range")
    return x


def truth(value: object) -> bool:
    return value if isinstance(value, bool) else number(value) != 0


def divide(a: float, b: float) -> float:
    if b == 0:
        raise ZeroDivisionError("division by zero")
    return a / b


ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": divide}
COMPARISONS = {"=": operator.eq, "<>": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
               ">=": operator.ge}


def operate(op: str, left: object, right: object) -> object:
    if op == "&":
        return checks._text(left) + checks._text(right)
    if op in ARITHMETIC:
        return finite(ARITHMETIC[op](number(left), number(right)))
    return COMPARISONS[op](number(left), number(right))


def gather(name: str, values: list[object]) -> object:
    if name == "SUM":
        return finite(math.fsum(v for v in values if is_number(v)))
    if name == "COUNT":
        return sum(1 for v in values if is_number(v))
    if name == "COUNTA":
        return sum(1 for v in values if v is not None)
    truths = (truth(v) for v in values)  # judged in order, up to the first that decides
    return all(truths) if name == "AND" else any(truths)


def reference(expr: Expr, lookup: Lookup) -> object:
    """The value of `expr`: shape errors first, then a walk of the tree."""
    check_shape(expr)
    return walk(expr, lookup)


def check_shape(expr: Expr) -> None:
    if isinstance(expr, Op):
        check_shape(expr.left)
        check_shape(expr.right)
    elif isinstance(expr, Fn):
        for a in expr.args:
            check_shape(a)
        if expr.name == "IF":
            _test, _then, _otherwise = expr.args


def walk(expr: Expr, lookup: Lookup) -> object:
    if isinstance(expr, Ref):
        return lookup(expr.code)
    if isinstance(expr, Lit):
        return expr.value
    if isinstance(expr, Op):
        left, right = walk(expr.left, lookup), walk(expr.right, lookup)
        return operate(expr.op, left, right)
    if expr.name == "IF":
        test, then, otherwise = expr.args
        return walk(then, lookup) if truth(walk(test, lookup)) else walk(otherwise, lookup)
    values = [walk(a, lookup) for a in expr.args]
    if expr.name in ("SUM", "COUNT", "COUNTA", "AND", "OR"):
        return gather(expr.name, values)
    # the text and date functions are leaves the closures call as they are
    call = checks._SCALAR_FUNCTIONS[expr.name]  # the scalar functions themselves were not reshaped
    return call(*values)


def outcome(compute: Callable[[], object]) -> tuple[str, str]:
    """The value's type and repr, or the exception's class."""
    try:
        value = compute()
    except Exception as error:  # noqa: BLE001 - the class is what is compared
        return "raises", type(error).__name__
    return type(value).__name__, repr(value)


def reference_findings(rules: list[Rule], values: dict[str, object]) -> list[tuple[str, str, str, str]]:
    found = []
    for rule in rules:
        try:
            message = reference(rule.expr, values.get)
        except (OverflowError, ValueError):
            message = OVERFLOW_MESSAGE
        if message not in ("", None):
            found.append((rule.id, rule.anchor, str(message), "missing" if rule.kind == "required" else "error"))
    return found


ODD = [None, None, 0, 1, 2, 3, -3, 2.5, 0.5, 100, 100.5, 101, -0.0, 1e-7, 45000, 45107.5, 2**60, 10**400,
       1e308, -1e308, math.inf, -math.inf, math.nan, True, False, "", " ", "x", "12", "12,5", "12 hồ sơ",
       "QĐ số 252/QĐ-UBND ngày 30/12/2022", "30/06/2023", "ngày 01/07/2023", "NGÀY 5/1/2023"]


def random_values(rng: random.Random, codes: list[str]) -> dict[str, object]:
    """Mostly plausible counts (so the deep branches of the rules run), some odd values."""
    oddness = rng.choice([0.0, 0.05, 0.3, 1.0])
    values = {}
    for code in codes:
        if rng.random() < oddness:
            values[code] = rng.choice(ODD)
        elif rng.random() < 0.9:
            values[code] = rng.choice([rng.randint(0, 30), float(rng.randint(0, 30)), rng.uniform(0, 100)])
    return values


def shipped_rules() -> list[list[Rule]]:
    sets = []
    for form_id in available_forms():
        form = load_form(form_id)
        for period in ("2023-Q2", "2023"):
            sets.append(build_rules(form, Period.parse(period)))
        sets.append(build_rules(form, Period.parse("2023-Q2"), fed_formulas=True) + framework_rules(form))
    return sets


def test_shipped_rules_find_what_the_tree_walk_finds():
    rng = random.Random(2026)
    kinds: Counter[str] = Counter()
    for rules in shipped_rules():
        codes = sorted({code for rule in rules for code in refs(rule.expr)})
        for _ in range(50):
            values = random_values(rng, codes)
            expected = outcome(lambda: reference_findings(rules, values))
            found = outcome(lambda: [(f.rule, f.code, f.message, f.severity) for f in check_values(rules, values)])
            assert found == expected, values
            if expected[0] == "raises":  # a rule not guarded against text (the same in the spreadsheet)
                kinds["raises"] += 1
                continue
            expected = reference_findings(rules, values)
            kinds.update(rule_id.split(":")[0] for rule_id, _code, message, _ in expected
                         if message != OVERFLOW_MESSAGE)
            kinds["overflow"] += sum(message == OVERFLOW_MESSAGE for _r, _c, message, _s in expected)
        for rule in rules:  # and rule by rule through `evaluate`, errors of any class included
            for _ in range(6):
                values = random_values(rng, codes)
                assert outcome(lambda: evaluate(rule.expr, values.get)) == \
                    outcome(lambda: reference(rule.expr, values.get)), (rule.id, values)
    # the fuzz reached every kind of rule's message, not only the blank results
    assert {"required", "whole", "choice", "percent", "date", "sum", "le", "overflow"} <= set(kinds), kinds


LITERALS = [0, 1, 2, -1, 0.5, 1e-6, 100, 2023, 13, 31, 10**400, 1e308, math.inf, math.nan, True, False,
            "", "x", "ngày", "|", "/", "a b", " ", "QĐ ngày 30/12/2022", "|01|02|03|"]
CODES = ["a", "b", "c", "boom"]
#: The argument counts the rules use, and a few they never should (which must fail alike).
ARITY = {"IF": 3, "NOT": 1, "ISNUMBER": 1, "ISBLANK": 1, "ABS": 1, "INT": 1, "DAY": 1, "MONTH": 1, "YEAR": 1,
         "DATE": 3, "FIND": 2, "SEARCH": 2, "MID": 3, "TRIM": 1, "SUBSTITUTE": 3}


def random_expr(rng: random.Random, depth: int) -> Expr:
    if depth == 0 or rng.random() < 0.25:
        return Ref(rng.choice(CODES)) if rng.random() < 0.6 else Lit(rng.choice(LITERALS))  # type: ignore[arg-type]
    if rng.random() < 0.45:
        return Op(rng.choice(sorted(OPERATORS)), random_expr(rng, depth - 1), random_expr(rng, depth - 1))
    name = rng.choice(sorted(FUNCTIONS))
    count = ARITY.get(name) or rng.randint(1, 4)
    if rng.random() < 0.03:
        count = rng.randint(0, 4)
    args = [Ref(rng.choice(CODES)) if rng.random() < 0.4 else random_expr(rng, depth - 1) for _ in range(count)]
    return Fn(name, tuple(args))


def test_random_expressions_evaluate_as_the_tree_walk_does():
    rng = random.Random(7)
    raised: Counter[str] = Counter()

    def lookup_of(values: dict[str, object]) -> Lookup:
        def lookup(code: str) -> object:
            if code == "boom":
                raise LookupError("a lookup that fails: the order of reads shows")
            return values.get(code)
        return lookup

    for _ in range(10000):
        expr = random_expr(rng, rng.randint(1, 4))
        for _ in range(5):
            values = {code: rng.choice(ODD + LITERALS) for code in CODES[:3] if rng.random() < 0.8}
            lookup = lookup_of(values) if rng.random() < 0.3 else values.get
            got, want = outcome(lambda: evaluate(expr, lookup)), outcome(lambda: reference(expr, lookup))
            assert got == want, (expr, values)
            raised[want[1] if want[0] == "raises" else "value"] += 1
    assert {"value", "TypeError", "OverflowError", "ValueError", "LookupError", "ZeroDivisionError"} <= set(raised)


def test_the_shapes_of_the_shipped_rules_are_exercised():
    """The specialised shapes are the ones the rules use (else the fuzz above proves little)."""
    rules = build_rules(load_form("xa_2023"), Period.parse("2023-Q2"))
    blank_tests = [r for r in rules if isinstance(r.expr, Fn) and checks._cell_tested(r.expr.args[0], "ISBLANK")]
    number_tests = [r for r in rules if isinstance(r.expr, Fn) and checks._cell_tested(r.expr.args[0], "ISNUMBER")]
    assert len(blank_tests) > 50 and len(number_tests) > 50
    assert checks._literal_number(Lit(10**400)) is None and checks._literal_number(Lit(True)) is None
    assert checks._literal_number(Lit(3)) == 3.0 and type(checks._literal_number(Lit(3))) is float
