"""Evaluate rules in Python, with the meaning the spreadsheet gives their formulas.

`evaluate` interprets an `Expr` over a lookup of cell values; `check_values` runs every rule of
a form and yields `Finding` records. The semantics mirror Excel/LibreOffice for the values a
value cell can hold (blank, number, text, boolean); the property tests recalculate the rendered
formulas in LibreOffice to prove the two agree.
"""
from __future__ import annotations

import math
import operator
import weakref
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from cchc_xl.forms.expr import Expr, Lit, Op, Ref
from cchc_xl.forms.numbers import (
    PLAIN_NUMBERS,
    Value,
    date_of,
    is_number,
    kind_of,
    serial_date,
    to_text,
)
from cchc_xl.forms.rules import Rule

Lookup = Callable[[str], Value]


@dataclass(frozen=True)
class Finding:
    """One flag: which rule, on which indicator, and the message the spreadsheet shows."""

    rule: str
    code: str
    message: str
    severity: str = "error"  # "error", or "missing" for a required value left blank
    file: str | None = None
    cell: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"file": self.file, "code": self.code, "rule": self.rule, "message": self.message,
                "cell": self.cell, "severity": self.severity}


class FlagCounts:
    """Mixin for anything holding `findings`: how many say a value is wrong, how many that a
    required value is blank."""

    findings: Sequence[Finding]

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.severity != "missing")

    @property
    def missing_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "missing")


def evaluate(expr: Expr, lookup: Lookup) -> Value:
    """Compute an expression; `IF` is lazy, as in the spreadsheet.

    Each expression is turned once into nested Python functions (`_compile`), so checking a
    thousand communes walks no tree and dispatches on no type at run time.
    """
    return _program(expr)(lookup)


Program = Callable[[Lookup], Value]
#: Compiled expressions by the identity of the expression, each kept only while its expression
#: lives: a finalizer drops it, so an identity is never reused for another expression and rule
#: sets built for one file or one run do not pile up (their closures would only slow the
#: garbage collector).
_PROGRAMS: dict[int, Program] = {}


def _program(expr: Expr) -> Program:
    """The compiled expression (rules are built once per form and period, checked many times)."""
    program = _PROGRAMS.get(id(expr))
    if program is None:
        program = _PROGRAMS[id(expr)] = _compile(expr)
        weakref.finalize(expr, _PROGRAMS.pop, id(expr), None)
    return program


def _compile(expr: Expr) -> Program:
    if isinstance(expr, Ref):
        code = expr.code
        return lambda lookup: lookup(code)
    if isinstance(expr, Lit):
        value = expr.value
        return lambda lookup: value
    if isinstance(expr, Op):
        left, right, apply = _compile(expr.left), _compile(expr.right), _OPERATORS[expr.op]
        return lambda lookup: apply(left(lookup), right(lookup))
    args = [_compile(a) for a in expr.args]
    if expr.name == "IF":
        test, then, otherwise = args
        return lambda lookup: then(lookup) if _truth(test(lookup)) else otherwise(lookup)
    if expr.name in _RANGE_FUNCTIONS:
        gather = _RANGE_FUNCTIONS[expr.name]
        return lambda lookup: gather([a(lookup) for a in args])
    call = _SCALAR_FUNCTIONS[expr.name]
    return lambda lookup: call(*[a(lookup) for a in args])


#: The finding of a rule whose arithmetic leaves the numbers a spreadsheet holds (#NUM! there).
OVERFLOW_MESSAGE = "Không kiểm tra được: số liệu quá lớn, phép tính vượt giới hạn của Excel (Excel báo lỗi #NUM!)."


def check_values(rules: Iterable[Rule], values: Mapping[str, Value]) -> list[Finding]:
    """Every rule whose result is not empty, in rule order.

    A rule whose arithmetic overflows (1E+308 + 1E+308, a date past year 9999) is a finding
    too: the spreadsheet shows #NUM! in its cell, so a blank result would hide it.
    """
    lookup = lambda code: values.get(code)  # noqa: E731
    findings = []
    for rule in rules:
        try:
            message = evaluate(rule.expr, lookup)
        except (OverflowError, ValueError):
            message = OVERFLOW_MESSAGE
        if message not in ("", None):
            severity = "missing" if rule.kind == "required" else "error"
            findings.append(Finding(rule=rule.id, code=rule.anchor, message=str(message), severity=severity))
    return findings


class NotFound:
    """The #VALUE! of FIND and SEARCH when the text is absent: a rule only asks ISNUMBER of it
    (any other use is a rule-authoring bug, raised as one)."""

    def __repr__(self) -> str:
        return "#VALUE!"


NOT_FOUND = NotFound()


def _number(value: Value) -> float:
    """Arithmetic operand: blank is 0, text or booleans are a rule-authoring bug, and a number
    no spreadsheet holds (inf, nan) overflows as it would there."""
    if type(value) in PLAIN_NUMBERS:  # the common case first: a thousand communes' counts
        return _finite(float(value))  # type: ignore[arg-type]
    if value is None:
        return 0.0
    if not is_number(value):
        raise TypeError(f"arithmetic on non-number {value!r}: guard it with ISNUMBER")
    return _finite(float(value))  # type: ignore[arg-type]


def _finite(x: float) -> float:
    if x - x == 0.0:  # false only for inf and nan; cheaper than a call to math.isfinite
        return x
    raise OverflowError("a number beyond the spreadsheet's range")


def _divide(a: float, b: float) -> float:
    """`/` as the spreadsheet computes it; #DIV/0! has no place in a rule, so it is a bug here."""
    if b == 0:
        raise ZeroDivisionError("division by zero in a rule: guard the divisor with IF")
    return a / b


def _truth(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    return _number(value) != 0


def _arithmetic(combine: Callable[[float, float], float]) -> Callable[[Value, Value], Value]:
    return lambda left, right: _finite(combine(_number(left), _number(right)))


def _comparison(compare: Callable[[float, float], bool]) -> Callable[[Value, Value], Value]:
    return lambda left, right: compare(_number(left), _number(right))


def _text(value: Value) -> str:
    """A text operand, as `&` and the text functions see it (a number in General format)."""
    if isinstance(value, NotFound):
        raise TypeError("text of FIND/SEARCH's #VALUE!: guard it with ISNUMBER")
    return to_text(value)


def _find(needle: Value, within: Value, fold: bool = False) -> float | NotFound:
    """FIND (case-sensitive) or SEARCH (case-insensitive, no wildcard in our needles): the
    1-based position, "" found at 1, #VALUE! when absent."""
    wanted, text = _text(needle), _text(within)
    if fold:
        if any(c in wanted for c in "?*~"):
            raise ValueError("SEARCH needle with a wildcard: its meaning differs between spreadsheets")
        wanted, text = _fold(wanted), _fold(text)
    at = text.find(wanted)
    return NOT_FOUND if at < 0 else float(at + 1)


def _fold(text: str) -> str:
    """Lower case, character by character (so positions stay those of the text)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _mid(text: Value, start: Value, count: Value) -> str:
    first, n = int(_number(start)), int(_number(count))
    if first < 1 or n < 0:
        raise ValueError("MID outside the text: #VALUE! in the spreadsheet")
    return _text(text)[first - 1:first - 1 + n]


def _trim(text: Value) -> str:
    """TRIM: spaces (only U+0020) off both ends, inner runs of them made one."""
    return " ".join(part for part in _text(text).split(" ") if part)


def _date(year: Value, month: Value, day: Value) -> float:
    """DATE, rolling over as the spreadsheet does (DATE(2023,2,31) is 3 March 2023)."""
    y, m, d = int(_number(year)), int(_number(month)), int(_number(day))
    return serial_date(y + (m - 1) // 12, (m - 1) % 12 + 1, 1) + d - 1


_OPERATORS: dict[str, Callable[[Value, Value], Value]] = {
    "&": lambda left, right: _text(left) + _text(right),
    "+": _arithmetic(operator.add), "-": _arithmetic(operator.sub), "*": _arithmetic(operator.mul),
    "/": _arithmetic(_divide),
    "=": _comparison(operator.eq), "<>": _comparison(operator.ne), "<": _comparison(operator.lt),
    "<=": _comparison(operator.le), ">": _comparison(operator.gt), ">=": _comparison(operator.ge),
}


def _sum(values: list[Value]) -> float:
    """Numbers only, as SUM skips text; an inf among them overflows (OverflowError) or, beside
    a -inf, is refused by fsum (ValueError): both are #NUM! in a rule."""
    return _finite(math.fsum(v for v in values if is_number(v)))


_RANGE_FUNCTIONS: dict[str, Callable[[list[Value]], Value]] = {
    "SUM": _sum,
    "COUNT": lambda vs: sum(1 for v in vs if is_number(v)),
    "COUNTA": lambda vs: sum(1 for v in vs if kind_of(v) != "blank"),
    "AND": lambda vs: all(_truth(v) for v in vs),
    "OR": lambda vs: any(_truth(v) for v in vs),
}

_SCALAR_FUNCTIONS: dict[str, Callable[..., Value]] = {
    "NOT": lambda v: not _truth(v),
    "ISNUMBER": is_number,
    "ISBLANK": lambda v: v is None,
    "ABS": lambda v: abs(_number(v)),
    "INT": lambda v: float(math.floor(_number(v))),
    "DAY": lambda v: date_of(_number(v)).day,
    "MONTH": lambda v: date_of(_number(v)).month,
    "YEAR": lambda v: date_of(_number(v)).year,
    "DATE": _date,
    "FIND": _find,
    "SEARCH": lambda needle, within: _find(needle, within, fold=True),
    "MID": _mid,
    "TRIM": _trim,
    "SUBSTITUTE": lambda text, old, new: _text(text).replace(_text(old), _text(new)) if _text(old) else _text(text),
}
