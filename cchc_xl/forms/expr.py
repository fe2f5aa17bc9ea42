"""A tiny spreadsheet-expression tree: the neutral form every consistency rule is written in.

A rule is built once as an `Expr`; `formulas.to_formula` renders it as an Excel formula and
`checks.evaluate` computes it in Python. Only the handful of functions the rules need exist,
so both renderings can be exact about each one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

FUNCTIONS = frozenset({
    "IF", "AND", "OR", "NOT", "ISNUMBER", "ISBLANK", "SUM", "COUNT", "COUNTA",
    "ABS", "INT", "DAY", "MONTH", "YEAR", "DATE",
    # text, to read a date written in a text ("QĐ số 252/QĐ-UBND ngày 30/12/2022")
    "FIND", "SEARCH", "MID", "TRIM", "SUBSTITUTE",
})
OPERATORS = frozenset({"+", "-", "*", "/", "&", "=", "<>", "<", "<=", ">", ">="})


@dataclass(frozen=True)
class Ref:
    """The value cell of an indicator code; where it lives is the renderer's business."""

    code: str


@dataclass(frozen=True)
class Lit:
    value: float | int | str


@dataclass(frozen=True)
class Fn:
    name: str
    args: tuple["Expr", ...]

    def __post_init__(self) -> None:
        if self.name not in FUNCTIONS:
            raise ValueError(f"unsupported function {self.name}")


@dataclass(frozen=True)
class Op:
    op: str
    left: "Expr"
    right: "Expr"

    def __post_init__(self) -> None:
        if self.op not in OPERATORS:
            raise ValueError(f"unsupported operator {self.op}")


Expr = Union[Ref, Lit, Fn, Op]


def fn(name: str, *args: Expr) -> Fn:
    return Fn(name, tuple(args))


def concat(*parts: Expr | str) -> Expr:
    """Join message pieces with `&`; plain strings become literals."""
    exprs = [Lit(p) if isinstance(p, str) else p for p in parts]
    result = exprs[0]
    for part in exprs[1:]:
        result = Op("&", result, part)
    return result


def if_(test: Expr, then: Expr | str, otherwise: Expr | str = "") -> Fn:
    wrap = lambda e: Lit(e) if isinstance(e, str) else e  # noqa: E731
    return fn("IF", test, wrap(then), wrap(otherwise))


def refs(expr: Expr) -> list[str]:
    """Every code an expression reads, in order of first use."""
    found: list[str] = []

    def walk(e: Expr) -> None:
        if isinstance(e, Ref) and e.code not in found:
            found.append(e.code)
        elif isinstance(e, Fn):
            for a in e.args:
                walk(a)
        elif isinstance(e, Op):
            walk(e.left)
            walk(e.right)

    walk(expr)
    return found
