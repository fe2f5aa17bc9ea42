"""A sheet's rules as live formulas in a block of rows below its table: one row per rule, one
result per unit column, in the very column that holds the unit's values.

The district workbook checks every commune with the template's rules. Each rule is one row:
its indicator's code, what it checks and its severity on the left, then in each commune's
column the rule's formula over that column's values (empty, or the message the template
shows), then the rule's id. A commune's flags
therefore sit in its own column, referenced on its own sheet: colouring a value cell, counting a
column's flags and clearing a flag once a number is fixed need no other sheet, and a province
of a thousand communes costs a row of formulas per rule, not a sheet of rows per commune.

Rules are ordered by their indicator's row, errors before required values, so the rules of one
indicator are adjacent (`anchor_rows`): a value cell is red when any of its error rows holds a
message, yellow when only its required-value rows do.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from cchc_xl.common.cells import cell_ref
from cchc_xl.district.sheet_xml import COLUMN, FormulaPattern
from cchc_xl.forms.catalog import Form
from cchc_xl.forms.formulas import to_formula
from cchc_xl.forms.rules import Rule

if TYPE_CHECKING:
    from cchc_xl.district.xlsx_out import DistrictSheet, Styles

SEVERITY_ERROR, SEVERITY_MISSING = "Lỗi", "Chưa nhập"
#: The block's title row: code, what is checked, severity (columns A to C), and the rule's id.
CODE_TITLE, SEVERITY_TITLE, ID_TITLE = "Mã chỉ tiêu", "Mức độ", "Mã quy tắc"
#: A cell holding a message: any text of one character or more (COUNTIF's wildcard).
FLAGGED = '"?*"'
_DESCRIPTION_WIDTH = 52

#: code -> reference to the code's value cell in the column named `COLUMN` ("E18" at "E")
Resolve = Callable[[str], str]


def severity(rule: Rule) -> str:
    return SEVERITY_MISSING if rule.kind == "required" else SEVERITY_ERROR


@dataclass(frozen=True)
class RuleBlock:
    """Where the rule rows of a sheet are (0-based rows), in block order."""

    form: Form
    rules: tuple[Rule, ...]
    #: the block's title row; the rules follow it
    title_row: int
    rows: dict[str, int] = field(init=False, repr=False)  # rule id -> row

    def __post_init__(self) -> None:
        place = {row.code: i for i, row in enumerate(self.form.rows)}
        ordered = sorted(enumerate(self.rules), key=lambda item: (place[item[1].anchor],
                                                                  item[1].kind == "required", item[0]))
        object.__setattr__(self, "rules", tuple(rule for _, rule in ordered))
        object.__setattr__(self, "rows", {rule.id: self.first + j for j, rule in enumerate(self.rules)})

    @property
    def first(self) -> int:
        return self.title_row + 1

    @property
    def last(self) -> int:
        """The last rule row (the title row when there is no rule)."""
        return self.title_row + len(self.rules)

    def anchor_rows(self) -> dict[str, tuple[int, int, int]]:
        """Per indicator with rules: (first row, first required-value row, last row). Rows from
        the first up to the required ones hold its error rules; with no required-value rule the
        second number is last + 1."""
        spans: dict[str, tuple[int, int | None, int]] = {}
        for rule in self.rules:
            row = self.rows[rule.id]
            first, required, _ = spans.get(rule.anchor, (row, None, row))
            if rule.kind == "required" and required is None:
                required = row
            spans[rule.anchor] = (first, required, row)
        return {code: (first, last + 1 if required is None else required, last)
                for code, (first, required, last) in spans.items()}

    def result_span(self, letters: str) -> str:
        """A column's rule results, rows absolute ("E$130:E$276")."""
        return f"{letters}${self.first + 1}:{letters}${self.last + 1}"

    def count_pattern(self, label: str) -> FormulaPattern:
        """A column's number of flags of one severity."""
        severities = f"$C${self.first + 1}:$C${self.last + 1}"
        return FormulaPattern(f'=COUNTIFS({severities},"{label}",{self.result_span(COLUMN)},{FLAGGED})')


def write_block(ws: DistrictSheet, block: RuleBlock, first: int, count: int, id_column: int,
                resolve: Resolve, styles: Styles, title: str) -> None:
    """The title row, then per rule its indicator's code, what it checks, its severity, its
    formula in each of `count` unit columns from column `first`, and its id in `id_column`
    (the id `check` reports).

    The indicator's code stands in column A as in the table above it: readers of the table
    take a code's first row.
    """
    # here, not at the top: `check` finds a district workbook's rule rows without XlsxWriter
    from cchc_xl.district.xlsx_out import LINE_HEIGHT, line_count
    ws.write_cells(block.title_row, 0, [(CODE_TITLE, styles.header), (title, styles.header),
                                        (SEVERITY_TITLE, styles.header)])
    ws.write_string(block.title_row, id_column, ID_TITLE, styles.header)
    for rule in block.rules:
        row, pattern = block.rows[rule.id], FormulaPattern(to_formula(rule.expr, resolve))
        ws.write_cells(row, 0, [(rule.anchor, styles.code), (rule.description, styles.text),
                                (severity(rule), styles.count)])
        ws.write_across(row, first, pattern, count, styles.flag_cell)
        ws.write_string(row, id_column, rule.id, styles.note)
        ws.set_row(row, LINE_HEIGHT * line_count(rule.description, _DESCRIPTION_WIDTH))
    if block.rules:
        area = (block.first, first, block.last, first + count - 1)
        top = cell_ref(block.first, first)
        ws.conditional_format(*area, {"type": "formula", "format": styles.missing_fill, "stop_if_true": True,
                                      "criteria": f'=AND($C{block.first + 1}="{SEVERITY_MISSING}",LEN({top})>0)'})
        ws.conditional_format(*area, {"type": "formula", "criteria": f"=LEN({top})>0", "format": styles.error_fill})
