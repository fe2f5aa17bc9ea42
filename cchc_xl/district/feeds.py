"""District rows fed by the communes (`Row.from_communes`): their live formula and their value.

A fed row of the district form adds up what `Tổng hợp` already totals: for a count, its total
cell (SUM over the communes); for a 0/1 code, its total cell (the number of communes answering
1); for a weighted percentage (7.2.3.a, weight 7.2.3), the count it is a share of,
Σ weight × rate / 100 over the communes that give both. That count is not rounded: rounding
two shares of one total apart can make them exceed it (1774,5 + 174,5 = 1949 becomes
1775 + 175), so the district's rule "parts ≤ total" would flag consistent communes. A fed row
is "" (never 0) while no commune gives any of its sources: missing is not zero.

`formula` writes that as a live formula over `Tổng hợp`; `values` computes the same thing in
Python from the commune columns, so `check` and the flags listed when consolidating agree with
the workbook. The two are proven equal by recalculation in the tests.
"""
from __future__ import annotations

import math
from typing import Mapping, Protocol, Sequence

from cchc_xl.forms.catalog import Form, Row, load_form
from cchc_xl.forms.numbers import Value, is_number

#: What a fed row shows while no commune gives any of its sources (a formula cannot be blank).
NOTHING = ""


class SummaryCells(Protocol):
    """Where `Tổng hợp` keeps a commune-form row: its total cell and its commune cells."""

    def total_ref(self, code: str) -> str: ...
    def span_ref(self, code: str) -> str: ...


def fed_rows(form: Form) -> tuple[Row, ...]:
    return tuple(row for row in form.value_rows if row.from_communes)


def is_share(source: Row) -> bool:
    """A percentage source contributes its share of its weight, not a total of its own."""
    return source.kind == "percent"


def formula(row: Row, form: Form, cells: SummaryCells) -> str:
    """The live formula of a fed row over the `Tổng hợp` sheet."""
    communes = load_form(form.commune_form or "")
    sources = [communes.row(code) for code in row.from_communes]
    totals = [cells.total_ref(s.code) for s in sources if not is_share(s)]
    shares = [(cells.span_ref(s.code), cells.span_ref(s.weight or "")) for s in sources if is_share(s)]
    present = ([f"COUNT({','.join(totals)})"] if totals else [])
    present += [f"SUMPRODUCT(ISNUMBER({rate})*ISNUMBER({weight}))" for rate, weight in shares]
    terms = totals + [f"SUMPRODUCT(ISNUMBER({rate})*ISNUMBER({weight}),{rate},{weight})/100"
                      for rate, weight in shares]
    return f'=IF({"+".join(present)}=0,"{NOTHING}",SUM({",".join(terms)}))'


def description(row: Row, form: Form) -> str:
    """How the row is computed, in Vietnamese, for the cell's comment."""
    communes = load_form(form.commune_form or "")
    parts = []
    for code in row.from_communes:
        source = communes.row(code)
        if is_share(source):
            parts.append(f"Σ ({source.weight} × {code} / 100) của các xã có đủ hai số (tính từ tỷ lệ nên có thể lẻ)")
        else:
            parts.append(f"tổng {code} của các xã" if source.kind == "count" else f"số xã có {code} = 1")
    return "Cộng từ sheet Tổng hợp: " + " + ".join(parts) + ". Để trống khi chưa xã nào báo cáo."


def values(form: Form, communes: Sequence[Mapping[str, Value]]) -> dict[str, Value]:
    """Every fed row's value as its formula computes it from the commune columns."""
    commune_form = load_form(form.commune_form or "")
    return {row.code: _value(row, commune_form, communes) for row in fed_rows(form)}


def _value(row: Row, commune_form: Form, communes: Sequence[Mapping[str, Value]]) -> Value:
    present, terms = 0, []
    for code in row.from_communes:
        source = commune_form.row(code)
        if is_share(source):
            pairs = [(c.get(code), c.get(source.weight or "")) for c in communes]
            pairs = [(rate, weight) for rate, weight in pairs if is_number(rate) and is_number(weight)]
            present += len(pairs)
            terms.append(math.fsum(float(r) * float(w) for r, w in pairs) / 100)  # type: ignore[arg-type]
        else:
            total = _total(source, [c.get(code) for c in communes])
            if total is not None:
                present += 1
                terms.append(total)
    return NOTHING if present == 0 else sum(terms)


def _total(source: Row, column: list[Value]) -> float | None:
    """The `Tổng hợp` total cell of a count (SUM) or a 0/1 code (COUNTIF 1); None when blank."""
    numbers = [float(v) for v in column if is_number(v)]  # type: ignore[arg-type]
    if not numbers:
        return None
    return math.fsum(numbers) if source.kind == "count" else float(sum(1 for v in numbers if v == 1))
