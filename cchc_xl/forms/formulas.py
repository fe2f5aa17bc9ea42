"""Render an `Expr` as an Excel formula (US-English syntax: commas, `.` decimals, no `_xlfn`).

Every function used is in Excel 2007 and LibreOffice, so the flags work in older Excel too.
"""
from __future__ import annotations

from typing import Callable

from cchc_xl.forms.expr import Expr, Fn, Lit, Op, Ref

RefResolver = Callable[[str], str]


def to_formula(expr: Expr, resolve: RefResolver) -> str:
    """The formula text, with a leading `=`, for cells located by `resolve(code)`."""
    return "=" + _render(expr, resolve)


def _render(expr: Expr, resolve: RefResolver) -> str:
    if isinstance(expr, Ref):
        return resolve(expr.code)
    if isinstance(expr, Lit):
        return _literal(expr.value)
    if isinstance(expr, Fn):
        return f"{expr.name}({','.join(_render(a, resolve) for a in expr.args)})"
    if isinstance(expr, Op):
        left = _operand(expr.left, expr.op, resolve, right_side=False)
        right = _operand(expr.right, expr.op, resolve, right_side=True)
        return f"{left}{expr.op}{right}"
    raise TypeError(f"not an expression: {expr!r}")


#: Excel's operator precedence, loosest first: comparisons, then &, then + and -, then * and /.
_PRECEDENCE = {"=": 1, "<>": 1, "<": 1, "<=": 1, ">": 1, ">=": 1, "&": 2, "+": 3, "-": 3, "*": 4, "/": 4}


def _operand(expr: Expr, parent: str, resolve: RefResolver, right_side: bool) -> str:
    """Render a child of an operator, parenthesised only where precedence demands it."""
    text = _render(expr, resolve)
    if not isinstance(expr, Op):
        return text
    mine, theirs = _PRECEDENCE[expr.op], _PRECEDENCE[parent]
    associative = parent in ("&", "+", "*") and expr.op == parent
    if mine < theirs or (mine == theirs and right_side and not associative) or (mine == theirs == 1):
        return f"({text})"
    return text


def _literal(value: float | int | str) -> str:
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(value) if isinstance(value, float) else str(value)


def quote_sheet(name: str) -> str:
    """A sheet name as it must appear in a reference ('Phụ lục 01b'!...)."""
    return "'" + name.replace("'", "''") + "'"
