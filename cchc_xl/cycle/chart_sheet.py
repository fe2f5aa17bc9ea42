"""The `Biểu đồ` sheet: what officers compare by eye, drawn as native Excel charts that read
live cells, so a number fixed on `Tổng hợp` moves its bar.

Its data block holds, per commune, the error and missing-value counts of `Tổng hợp` (links to
its count cells) and each share of the form (`Form.rates`: the online-file share, the on-time
rate …) as a formula over the commune's value cells, blank when the denominator is blank or 0,
so a chart never draws a made-up 0. With an earlier period (`--previous`), the main indicators
(the counts the shares are made of) of the communes that reported them in both periods: the
earlier period's sum as read, this period's as a live sum of the same communes' cells.
"""
from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.worksheet import Worksheet

from cchc_xl.common.cells import absolute_ref
from cchc_xl.cycle.comparison import Comparison
from cchc_xl.district.layout import ERROR_ROW, MISSING_ROW, SUMMARY_SHEET, Layout
from cchc_xl.district.model import Consolidation
from cchc_xl.district.xlsx_out import (
    LINE_HEIGHT,
    Styles,
    line_count,
    print_landscape,
    write_formula,
)
from cchc_xl.forms.catalog import Rate
from cchc_xl.forms.formulas import quote_sheet

SHEET = "Biểu đồ"
HEADER_ROW = 3
#: Where the charts sit, beside the data block, and how tall each is (rows of 15 pt).
_CHART_COLUMN, _CHART_ROWS = 6, 22
_SIZE = {"width": 760, "height": 420}
_NAME_WIDTH = 28


@dataclass(frozen=True)
class ChartSheet:
    """`Biểu đồ` as a sheet the district workbook adds (`model.AddedSheet`)."""

    consolidation: Consolidation
    comparison: Comparison | None = None
    name: str = SHEET

    def write(self, ws: Worksheet, styles: Styles, layout: Layout) -> None:
        c = self.consolidation
        ws.write_string(0, 0, f"BIỂU ĐỒ: {c.unit.upper()}, {c.period.label.upper()}", styles.title)
        ws.write_string(1, 0, "Các biểu đồ đọc bảng số bên dưới, bảng này là công thức theo sheet Tổng hợp: "
                              "sửa số ở Tổng hợp thì biểu đồ tự cập nhật.", styles.note)
        last = _write_communes(ws, c, layout, styles)
        charts = [_column_chart(styles, "Số lỗi và số chỉ tiêu chưa nhập của từng xã", last, (1, 2))]
        rates = c.form.rates
        if rates:
            charts.append(_column_chart(styles, "Tỷ lệ (%) của từng xã", last, range(3, 3 + len(rates)), percent=True))
        if self.comparison is not None:
            charts.append(_write_periods(ws, c, layout, self.comparison, styles, last + 3))
        for i, chart in enumerate(chart for chart in charts if chart is not None):
            ws.insert_chart(HEADER_ROW + i * _CHART_ROWS, _CHART_COLUMN, chart)
        ws.set_h_pagebreaks([HEADER_ROW + 2 * _CHART_ROWS])  # two charts a printed page
        ws.set_column(0, 0, _NAME_WIDTH)
        ws.set_column(1, 2 + len(rates), 13)
        print_landscape(ws)


def _write_communes(ws: Worksheet, c: Consolidation, layout: Layout, styles: Styles) -> int:
    """The per-commune block; returns its last row."""
    titles = ["Xã", "Số lỗi", "Số chưa nhập", *(rate.title for rate in c.form.rates)]
    for col, title in enumerate(titles):
        ws.write_string(HEADER_ROW, col, title, styles.header)
    ws.set_row(HEADER_ROW, 45)
    summary = quote_sheet(SUMMARY_SHEET)
    row = HEADER_ROW
    for i, commune in enumerate(c.communes):
        row = HEADER_ROW + 1 + i
        ws.write_string(row, 0, commune.name, styles.text)
        for col, count_row in ((1, ERROR_ROW), (2, MISSING_ROW)):
            cell = absolute_ref(count_row, layout.column(i))
            write_formula(ws, row, col, f"={summary}!{cell}", styles.count)
        for col, rate in enumerate(c.form.rates, start=3):
            write_formula(ws, row, col, _rate_formula(rate, lambda code: layout.value_ref(i, code)), styles.ratio)
    return row


def _rate_formula(rate: Rate, cell) -> str:
    """100 × Σ numerator / Σ denominator, blank unless every cell holds a number and the
    denominator is above 0."""
    cells = [cell(code) for code in (*rate.numerator, *rate.denominator)]
    numerator = "+".join(cell(code) for code in rate.numerator)
    denominator = "+".join(cell(code) for code in rate.denominator)
    filled = f"COUNT({','.join(cells)})={len(cells)}"
    return f'=IF(AND({filled},({denominator})>0),100*({numerator})/({denominator}),"")'


def _column_chart(styles: Styles, title: str, last: int, columns, percent: bool = False):
    """Columns per commune, one series per data column of the block."""
    chart = styles.chart({"type": "column"})
    for col in columns:
        chart.add_series({"name": [SHEET, HEADER_ROW, col], "categories": [SHEET, HEADER_ROW + 1, 0, last, 0],
                          "values": [SHEET, HEADER_ROW + 1, col, last, col]})
    chart.set_title({"name": title})
    chart.set_y_axis({"min": 0, **({"max": 100} if percent else {}), "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size(_SIZE)
    return chart


def _write_periods(ws: Worksheet, c: Consolidation, layout: Layout, comparison: Comparison, styles: Styles,
                   top: int):
    """The main indicators, earlier period beside this one, over the communes holding both;
    None when no commune does."""
    codes = list(dict.fromkeys(code for rate in c.form.rates for code in (*rate.numerator, *rate.denominator)))
    index = {m.name: i for i, m in enumerate(c.communes)}
    both = {code: [ch for ch in comparison.changes if ch.code == code and ch.previous is not None] for code in codes}
    codes = [code for code in codes if both[code]]
    if not codes:
        return None
    for col, title in enumerate(("Chỉ tiêu", comparison.previous.label, c.period.label)):
        ws.write_string(top, col, title, styles.header)
    for r, code in enumerate(codes, start=top + 1):
        label = f"{code} {c.form.row(code).label}"
        ws.write_string(r, 0, label, styles.text)
        ws.set_row(r, LINE_HEIGHT * line_count(label, _NAME_WIDTH))
        ws.write_number(r, 1, sum(ch.previous for ch in both[code]), styles.number)
        write_formula(ws, r, 2, "=" + "+".join(layout.value_ref(index[ch.unit], code) for ch in both[code]),
                      styles.number)
    last = top + len(codes)
    chart = styles.chart({"type": "bar"})
    for col in (1, 2):
        chart.add_series({"name": [SHEET, top, col], "categories": [SHEET, top + 1, 0, last, 0],
                          "values": [SHEET, top + 1, col, last, col]})
    chart.set_title({"name": f"Chỉ tiêu chính: {comparison.previous.label} và {c.period.label} (các xã có số cả hai kỳ)"})
    chart.set_legend({"position": "bottom"})
    chart.set_size(_SIZE)
    return chart
