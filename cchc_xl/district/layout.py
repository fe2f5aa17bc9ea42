"""Where things are on `Tổng hợp` and `Kiểm tra`: one definition for the writer, the provenance
sheets, the added sheets that point back at values, and the readers of earlier district workbooks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from cchc_xl.common.cells import absolute_ref, cell_ref, column_index
from cchc_xl.district.rule_block import RuleBlock
from cchc_xl.forms.catalog import Form
from cchc_xl.forms.formulas import quote_sheet
from cchc_xl.forms.numbers import Value, cell_value
from cchc_xl.forms.rules import Rule

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SUMMARY_SHEET = "Tổng hợp"
KIND = "district"
ERROR_ROW, MISSING_ROW, HEADER_ROW = 4, 5, 6   # 0-based: Excel rows 5, 6, 7
FIRST_ROW = HEADER_ROW + 1
FIRST_COMMUNE_COL = 3                            # column D
CHECK_HEADER_ROW = 3
CHECK_FIRST_ROW = CHECK_HEADER_ROW + 1
RESULT_COL, SEVERITY_COL = 5, 6                  # columns F and G of `Kiểm tra`
LABEL_WIDTH, UNIT_WIDTH = 52, 18
CHECK_WIDTHS = (18, 9, 40, 22, 36, 55, 11, 8)



@dataclass(frozen=True)
class Layout:
    """Where things are on `Tổng hợp` (0-based rows and columns)."""

    form: Form
    rules: tuple[Rule, ...]
    communes: int
    rows: dict[str, int] = field(init=False, repr=False)
    #: the communes' rules, one row each, two rows below the table
    block: RuleBlock = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", {row.code: FIRST_ROW + i for i, row in enumerate(self.form.rows)})
        object.__setattr__(self, "block", RuleBlock(self.form, self.rules, self.last_row + 2))

    def row(self, code: str) -> int:
        return self.rows[code]

    def column(self, commune: int) -> int:
        return FIRST_COMMUNE_COL + commune

    @property
    def last_commune_column(self) -> int:
        return FIRST_COMMUNE_COL + self.communes - 1

    @property
    def total_column(self) -> int:
        return FIRST_COMMUNE_COL + self.communes

    @property
    def count_column(self) -> int:
        return self.total_column + 1

    @property
    def last_row(self) -> int:
        return FIRST_ROW + len(self.form.rows) - 1

    @property
    def header_row(self) -> int:
        return HEADER_ROW

    def total_ref(self, code: str) -> str:
        """Absolute reference to a row's total cell, from another sheet."""
        cell = absolute_ref(self.row(code), self.total_column)
        return f"{quote_sheet(SUMMARY_SHEET)}!{cell}"

    def span_ref(self, code: str) -> str:
        """Absolute reference to a row's commune cells, from another sheet."""
        first = absolute_ref(self.row(code), FIRST_COMMUNE_COL)
        last = absolute_ref(self.row(code), self.last_commune_column)
        return f"{quote_sheet(SUMMARY_SHEET)}!{first}:{last}"

    def value_ref(self, commune: int, code: str) -> str:
        """Absolute reference to a commune's value cell, from another sheet."""
        cell = absolute_ref(self.row(code), self.column(commune))
        return f"{quote_sheet(SUMMARY_SHEET)}!{cell}"

    def summary_ref(self, commune: int, code: str) -> str:
        """The same cell as a link target ("'Tổng hợp'!E45")."""
        return f"{quote_sheet(SUMMARY_SHEET)}!{cell_ref(self.row(code), self.column(commune))}"

    def result_ref(self, commune: int, rule: str) -> str:
        """Absolute reference to a commune's result of a rule, from another sheet."""
        cell = absolute_ref(self.block.rows[rule], self.column(commune))
        return f"{quote_sheet(SUMMARY_SHEET)}!{cell}"

    def commune_span(self, row: int) -> str:
        """The commune cells of one row ("D8:H8")."""
        return (f"{cell_ref(row, FIRST_COMMUNE_COL)}:"
                f"{cell_ref(row, self.last_commune_column)}")


def commune_columns(ws: Worksheet, form: Form,
                    meta: dict[str, str]) -> Iterator[tuple[str, dict[str, Value], dict[str, str]]]:
    """(commune name, values by code, cell by code) for each commune column of `Tổng hợp`,
    rows found by code (a code's first row)."""
    header = int(meta["header_row"])
    first = column_index(meta["first_commune_column"]) + 1
    rows = {}
    for (code,) in ws.iter_rows(min_row=header + 1, max_col=1):
        if code.value is not None and form.has(str(code.value)) and form.row(str(code.value)).is_value:
            rows.setdefault(str(code.value), code.row)  # the rule block below the table repeats codes
    for col in range(first, first + int(meta["communes"])):
        values: dict[str, Value] = {}
        cells: dict[str, str] = {}
        for code, row in rows.items():
            cell = ws.cell(row, col)
            values[code], cells[code] = cell_value(cell.value), cell.coordinate
        yield str(ws.cell(header, col).value), values, cells
