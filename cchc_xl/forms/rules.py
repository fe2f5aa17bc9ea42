"""Consistency rules as data: each is built once as an expression that yields "" or a message.

Two sources feed the list: rules implied by each row of the catalog (whole numbers, 0–100 %,
allowed codes, dates within the period, required values) and rules the catalog declares
(sum of parts = total or ≤ total, part ≤ whole, percent = 100 × numerator / denominator).
`formulas` renders them for Excel, `checks` evaluates them in Python; both read the same
`Rule.expr`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from cchc_xl.forms.catalog import Form, Row
from cchc_xl.forms.expr import Expr, Lit, Op, Ref, concat, fn, if_
from cchc_xl.forms.numbers import TOLERANCE, general
from cchc_xl.forms.periods import Period

NOT_A_NUMBER = "Không phải số: "
#: A percent row may differ from 100 × numerator / denominator by this many percentage points
#: (a rate typed with two decimals, 28,57 for 2/7, is within it).
RATIO_TOLERANCE = 0.01
#: Messages of the required rule start with this, so a sheet can tell "missing" from "wrong".
MISSING_PREFIX = "Chưa nhập số liệu"
REQUIRED_PREFIX = "required:"
#: The task framework sheet's counts, read like indicator codes by the rules that compare them
#: with the form's task rows; no form has rows with these codes.
FRAMEWORK_COUNTS = {"planned": "khung:planned", "done": "khung:done"}
FIRST_VALID_DATE = (2000, 1, 1)
LAST_SPREADSHEET_DATE = (9999, 12, 31)


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    anchor: str  # the code whose row shows the flag
    description: str
    expr: Expr


def build_rules(form: Form, period: Period, *, fed_formulas: bool = False) -> list[Rule]:
    """All rules of a form for one reporting period, row-derived first, in print order.

    `fed_formulas`: the district workbook's form sheet, whose commune-fed rows
    (`from_communes`) are formulas. Such a row is "" until some commune reports, and a
    formula's "" is neither blank nor a number, so its row rules (a whole number, required)
    would misread it: it gets one rule instead, "no commune has reported it yet", counted as
    missing. Declared rules stay as they are (they read only numbers: a "" total or part
    leaves them silent).
    """
    rules: list[Rule] = []
    for row in form.value_rows:
        fed = fed_formulas and bool(row.from_communes)
        rules.extend([_fed_rule(row)] if fed else _row_rules(form, row, period))
    rules.extend(_declared_rule(form, raw) for raw in form.rules)
    return rules


def _fed_rule(row: Row) -> Rule:
    v = Ref(row.code)
    sources = ", ".join(row.from_communes)
    expr = if_(fn("ISNUMBER", v), "", f"{MISSING_PREFIX} (chưa xã nào báo cáo {sources})")
    return Rule(f"{REQUIRED_PREFIX}{row.code}", "required", row.code, f"Cộng từ các xã ({sources})", expr)


def framework_rules(form: Form) -> list[Rule]:
    """The task rows (1.1.1 planned, 1.1.2 done) agree with the task framework sheet's counts.

    Silent until the framework lists at least one task, so a unit that keeps its plan
    elsewhere types the numbers freely; the rows stay input cells either way.
    """
    if not form.framework:
        return []
    planned = Ref(FRAMEWORK_COUNTS["planned"])
    built = []
    for key, what in (("planned", "nhiệm vụ"), ("done", "nhiệm vụ đã hoàn thành")):
        code, count = form.framework[key], Ref(FRAMEWORK_COUNTS[key])
        v = Ref(code)
        message = concat("Khung nhiệm vụ có ", count, f" {what}, khác ", v)
        expr = if_(fn("ISNUMBER", planned), if_(Op(">", planned, Lit(0)),
                   if_(fn("ISNUMBER", v), if_(Op("<>", v, count), message))))
        built.append(Rule(f"khung:{code}", "framework", code,
                          f"{code} = số {what} trong sheet Khung nhiệm vụ", expr))
    return built


def _row_rules(form: Form, row: Row, period: Period) -> list[Rule]:
    built = []
    domain = _domain_rule(row, period)
    if domain is not None:
        built.append(domain)
    if row.required:
        built.append(_required_rule(form, row))
    return built


def _domain_rule(row: Row, period: Period) -> Rule | None:
    v = Ref(row.code)
    if row.kind == "count":
        bad = fn("OR", Op("<", v, Lit(0)), Op("<>", fn("INT", v), v))
        return _typed(row, "whole", "Số nguyên ≥ 0", bad,
                      concat("Phải là số nguyên ≥ 0 (đang là ", v, ")"))
    if row.kind == "percent":
        bad = fn("OR", Op("<", v, Lit(0)), Op(">", v, Lit(100)))
        return _typed(row, "percent", "Tỷ lệ trong khoảng 0–100", bad,
                      concat("Tỷ lệ ", v, "% ngoài khoảng 0–100"))
    if row.kind == "code":
        bad = fn("NOT", fn("OR", *(Op("=", v, Lit(c)) for c in row.choices)))
        allowed = ", ".join(f"{c} = {m}" for c, m in row.choices.items())
        return _typed(row, "choice", f"Mã hợp lệ ({allowed})", bad,
                      concat("Mã ", v, f" không hợp lệ ({allowed})"))
    if row.kind == "date":
        return _date_rule(row, period)
    return None


def _typed(row: Row, kind: str, description: str, bad: Expr, message: Expr) -> Rule:
    """A value-domain rule: text is flagged, blanks are left to the required rule."""
    v = Ref(row.code)
    expr = if_(fn("ISNUMBER", v), if_(bad, message),
               if_(fn("ISBLANK", v), "", concat(NOT_A_NUMBER, v)))
    return Rule(f"{kind}:{row.code}", kind, row.code, description, expr)


def _date_rule(row: Row, period: Period) -> Rule:
    """A date no later than the period's end: a real date, or a text naming one (`_text_date`)."""
    v = Ref(row.code)
    end = period.end
    shown = f"{end.day}/{end.month}/{end.year}"
    after = f" sau kỳ báo cáo (đến {shown})"
    as_text = concat(fn("DAY", v), "/", fn("MONTH", v), "/", fn("YEAR", v))
    first = fn("DATE", *(Lit(x) for x in FIRST_VALID_DATE))
    last = fn("DATE", *(Lit(x) for x in LAST_SPREADSHEET_DATE))
    end_date = fn("DATE", Lit(end.year), Lit(end.month), Lit(end.day))
    bad_date = if_(fn("OR", Op("<", v, first), Op(">", v, last)), concat("Ngày không hợp lệ: ", v),
                   if_(Op(">", v, end_date), concat("Ngày ", as_text, after)))
    expr = if_(fn("ISNUMBER", v), bad_date, if_(fn("ISBLANK", v), "", _text_date(v, end_date, after)))
    return Rule(f"date:{row.code}", "date", row.code,
                f"Ngày hợp lệ (hoặc văn bản ghi \"ngày dd/mm/yyyy\"), không sau {shown}", expr)


#: A date row may hold the text naming its date: the plan's decision as every commune writes it
#: ("QĐ Số 252/QĐ-UBND ngày 30/12/2022"), or the date alone typed as text ("30/12/2022",
#: "30-12-2022", "30.12.2022"). The date is what follows the first "ngày" (any case), else the
#: text's start, written dd?mm?20yy with "/", "-" or "." between; the formula finds it with
#: FIND, SEARCH and MID (Excel 2007 functions, no locale-dependent VALUE or DATEVALUE).
DATE_KEYWORD = "ngày"
#: Characters after the keyword looked at (the date and the character after it, spaces trimmed).
DATE_WINDOW = 20
_DAYS = "|" + "|".join(f"{d:02}" for d in range(1, 32)) + "|"
_MONTHS = "|" + "|".join(f"{m:02}" for m in range(1, 13)) + "|"
_DIGITS = "|" + "|".join("0123456789") + "|"
_SEPARATORS = "|/|-|.|"
_CENTURY = "|20|"


def _text_date(v: Expr, end_date: Expr, after: str) -> Expr:
    """The rule for a text: its date must be real (31/02 is none) and no later than `end_date`;
    a text with no date in it is flagged as no date."""
    window = _date_window(v)

    def found(start: int, length: int, slots: str) -> Expr:
        """Where "|part|" of the window stands in `slots`: a number, or #VALUE! for none of them."""
        return fn("FIND", concat("|", fn("MID", window, Lit(start), Lit(length)), "|"), Lit(slots))

    def number(at: Expr, length: int, first: int) -> Expr:
        """The slot's number: slots are `length` + 1 characters wide and count from `first`."""
        return Op("+", Op("/", Op("-", at, Lit(1)), Lit(length + 1)), Lit(first))

    day_at, month_at = found(1, 2, _DAYS), found(4, 2, _MONTHS)
    tens_at, units_at = found(9, 1, _DIGITS), found(10, 1, _DIGITS)
    parts = (day_at, found(3, 1, _SEPARATORS), month_at, found(6, 1, _SEPARATORS), found(7, 2, _CENTURY),
             tens_at, units_at)
    shaped = fn("AND", *(fn("ISNUMBER", p) for p in parts), fn("NOT", fn("ISNUMBER", found(11, 1, _DIGITS))))
    day = number(day_at, 2, 1)
    year = Op("+", Op("+", Lit(2000), Op("*", Lit(10), number(tens_at, 1, 0))), number(units_at, 1, 0))
    date = fn("DATE", year, number(month_at, 2, 1), day)
    no_date = concat("Không phải ngày (dd/mm/yyyy): ", v)
    late = if_(Op(">", date, end_date), concat("Ngày ", fn("MID", window, Lit(1), Lit(10)), after))
    return if_(shaped, if_(Op("<>", fn("DAY", date), day), no_date, late), no_date)


def _date_window(v: Expr) -> Expr:
    """The text after the first "ngày", else the whole text: `v & "ngày" & v` from just after
    the first "ngày" of `v & "ngày"` (no-break spaces read as spaces, spaces trimmed)."""
    start = Op("+", fn("SEARCH", Lit(DATE_KEYWORD), concat(v, DATE_KEYWORD)), Lit(len(DATE_KEYWORD)))
    window = fn("MID", concat(v, DATE_KEYWORD, v), start, Lit(DATE_WINDOW))
    return fn("TRIM", fn("SUBSTITUTE", window, Lit("\u00a0"), Lit(" ")))


def _required_rule(form: Form, row: Row) -> Rule:
    v = Ref(row.code)
    if row.required_if is None:
        expr = if_(fn("ISBLANK", v), f"{MISSING_PREFIX} (để trống khác 0)")
        return Rule(f"{REQUIRED_PREFIX}{row.code}", "required", row.code, "Bắt buộc nhập", expr)
    cond = Ref(row.required_if)
    message = f"{MISSING_PREFIX} (bắt buộc khi {row.required_if} > 0)"
    expr = if_(fn("ISBLANK", v), if_(fn("ISNUMBER", cond), if_(Op(">", cond, Lit(0)), message)))
    return Rule(f"{REQUIRED_PREFIX}{row.code}", "required", row.code,
                f"Bắt buộc nhập khi {form.row(row.required_if).code} > 0", expr)


def _declared_rule(form: Form, raw: dict[str, Any]) -> Rule:
    if raw["kind"] == "sum":
        return _sum_rule(raw["total"], raw["parts"], raw.get("message"), raw.get("at_most", False))
    if raw["kind"] == "le":
        return _le_rule(raw["left"], raw["right"], raw.get("message"))
    if raw["kind"] == "ratio":
        return _ratio_rule(raw["percent"], raw["numerator"], raw["denominator"], raw.get("message"),
                           raw.get("tolerance", RATIO_TOLERANCE))
    raise ValueError(f"{form.id}: unknown rule kind {raw['kind']!r}")


def _sum_rule(total: str, parts: Sequence[str], template: str | None, at_most: bool = False) -> Rule:
    """Parts add up to the total (or, `at_most`, to no more than it); a blank total is flagged."""
    t, parts_sum = Ref(total), _side_value(parts)
    default = "Tổng các thành phần {parts} > {total}" if at_most else "Tổng các thành phần {parts} ≠ {total}"
    message = _message(template or default, {"parts": parts_sum, "total": t})
    excess = Op("-", parts_sum, t) if at_most else fn("ABS", Op("-", parts_sum, t))
    expr = if_(_side_usable(parts),
               if_(fn("ISBLANK", t), concat("Chưa nhập tổng (các thành phần cộng lại ", parts_sum, ")"),
                   if_(fn("ISNUMBER", t), if_(Op(">", excess, Lit(TOLERANCE)), message))))
    relation = "≥" if at_most else "="
    return Rule(f"sum:{total}", "sum", total, f"{total} {relation} {' + '.join(parts)}", expr)


def _ratio_rule(percent: str, numerator: str, denominator: str, template: str | None,
                tolerance: float) -> Rule:
    """A percent row equals 100 × numerator / denominator, within `tolerance` points.

    Evaluated only when all three hold numbers (blanks and text have their own rules); a zero
    denominator leaves only 0 % consistent (a negative one is its own row's error), and the
    division is never reached then.
    """
    p, n, d = Ref(percent), Ref(numerator), Ref(denominator)
    message = _message(template or "Tỷ lệ {percent}% khác {numerator}/{denominator} × 100",
                       {"percent": p, "numerator": n, "denominator": d})
    off = Op(">", fn("ABS", Op("-", p, Op("/", Op("*", n, Lit(100)), d))), Lit(tolerance + TOLERANCE))
    zero = if_(Op("=", d, Lit(0)),
               if_(Op("<>", p, Lit(0)), concat("Tỷ lệ ", p, f"% nhưng mẫu số ({denominator}) bằng 0")))
    expr = if_(fn("AND", fn("ISNUMBER", p), fn("ISNUMBER", n), fn("ISNUMBER", d)),
               if_(Op(">", d, Lit(0)), if_(off, message), zero))
    general_tol = general(tolerance).replace(".", ",")
    return Rule(f"ratio:{percent}", "ratio", percent,
                f"{percent} = 100 × {numerator} / {denominator} (± {general_tol} điểm %)", expr)


def _le_rule(left: Sequence[str | float], right: Sequence[str | float], template: str | None) -> Rule:
    lv, rv = _side_value(left), _side_value(right)
    message = _message(template or "{left} > {right}", {"left": lv, "right": rv})
    usable = fn("AND", _side_usable(left), _side_usable(right))
    expr = if_(usable, if_(Op(">", Op("-", lv, rv), Lit(TOLERANCE)), message))
    text = f"{_side_text(left)} ≤ {_side_text(right)}"
    return Rule(f"le:{text.replace(' ≤ ', '<=').replace(' + ', '+')}", "le",
                next(str(x) for x in left if isinstance(x, str)), text, expr)


def _codes(side: Sequence[str | float]) -> list[str]:
    return [x for x in side if isinstance(x, str)]


def _side_value(side: Sequence[str | float]) -> Expr:
    """SUM of the side's cells plus its constants."""
    codes = _codes(side)
    constant = sum(x for x in side if not isinstance(x, str))
    if not codes:
        return Lit(constant)
    total: Expr = fn("SUM", *(Ref(c) for c in codes))
    return Op("+", total, Lit(constant)) if constant else total


def _side_usable(side: Sequence[str | float]) -> Expr:
    """At least one number and no text among the side's cells (constants are always usable)."""
    codes = _codes(side)
    if not codes:
        return Lit(1)
    cells = [Ref(c) for c in codes]
    return fn("AND", Op(">", fn("COUNT", *cells), Lit(0)),
              Op("=", fn("COUNTA", *cells), fn("COUNT", *cells)))


def _side_text(side: Sequence[str | float]) -> str:
    return " + ".join(x if isinstance(x, str) else general(float(x)) for x in side)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _message(template: str, values: dict[str, Expr]) -> Expr:
    """Turn "Tổng {parts} ≠ {total}" into a concatenation of literals and live values."""
    pieces: list[Expr | str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        pieces.append(template[position:match.start()])
        pieces.append(values[match.group(1)])
        position = match.end()
    pieces.append(template[position:])
    return concat(*(p for p in pieces if p != ""))
