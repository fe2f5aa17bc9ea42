"""The `So sánh kỳ trước` sheet: per commune and indicator, the previous value beside the current
one, the change and the two DHIS2-style flags of `trends`.

The current value is a live reference to `Tổng hợp`, and both flags are live formulas over it:
the jump test with the thresholds of the run, the band test against the unit's usual range,
which is drawn from its history when the workbook is written (a static number). Fixing a
number in `Tổng hợp` therefore clears or raises its flags here too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from xlsxwriter.worksheet import Worksheet

from cchc_xl.common.cells import cell_ref
from cchc_xl.cycle.comparison import Comparison
from cchc_xl.district.layout import Layout
from cchc_xl.district.model import Consolidation
from cchc_xl.district.xlsx_out import (
    LINE_HEIGHT,
    Styles,
    line_count,
    print_landscape,
    write_formula,
    write_value,
)
from cchc_xl.forms.catalog import Form
from cchc_xl.forms.numbers import general
from cchc_xl.forms.periods import Period

SHEET = "So sánh kỳ trước"
HEADER_ROW = 5
_PREVIOUS, _CURRENT, _CHANGE, _LOW, _HIGH, _JUMP, _BAND = range(3, 10)
_WIDTHS = (20, 9, 46, 13, 13, 12, 12, 12, 18, 18)

#: (commune index, code) -> absolute reference of the value cell on `Tổng hợp`
ValueCell = Callable[[int, str], str]


@dataclass(frozen=True)
class TrendSheet:
    """`So sánh kỳ trước` as a sheet the district workbook adds (`model.AddedSheet`)."""

    consolidation: Consolidation
    comparison: Comparison
    name: str = SHEET

    def write(self, ws: Worksheet, styles: Styles, layout: Layout) -> None:
        c = self.consolidation
        write_sheet(ws, self.comparison, c.period, c.form, [m.name for m in c.communes], layout.value_ref, styles)


def write_sheet(ws: Worksheet, comparison: Comparison, period: Period, form: Form, communes: list[str],
                value_cell: ValueCell, styles: Styles) -> None:
    _write_title(ws, comparison, period, styles)
    factor = general(comparison.settings.jump_factor)
    titles = ("Xã", "Mã", "Chỉ tiêu", f"Kỳ trước\n({comparison.previous.label})", "Kỳ này", "Thay đổi",
              "Khoảng thường: thấp", "Khoảng thường: cao", f"Đột biến (≥ {factor} lần)", "Ngoài khoảng thường")
    for col, title in enumerate(titles):
        ws.write_string(HEADER_ROW, col, title, styles.header)
    ws.set_row(HEADER_ROW, 45)
    index = {name: i for i, name in enumerate(communes)}
    row = HEADER_ROW
    for change in comparison.changes:
        row += 1
        label = form.row(change.code).label
        ws.write_string(row, 0, change.unit, styles.text)
        ws.write_string(row, 1, change.code, styles.code)
        ws.write_string(row, 2, label, styles.text)
        ws.set_row(row, LINE_HEIGHT * line_count(label, _WIDTHS[2]))
        for col, value in ((_PREVIOUS, change.previous), (_LOW, change.low), (_HIGH, change.high)):
            write_value(ws, row, col, value, styles.ratio if col != _PREVIOUS else styles.number)
        _write_formulas(ws, row, value_cell(index[change.unit], change.code), comparison, styles)
    _write_counts(ws, row, styles)
    if row == HEADER_ROW:
        ws.write_string(HEADER_ROW + 1, 0, "Không có chỉ tiêu nào có số liệu kỳ này.", styles.note)
    else:
        ws.autofilter(HEADER_ROW, 0, row, len(titles) - 1)
        for col in (_JUMP, _BAND):
            ws.conditional_format(HEADER_ROW + 1, col, row, col, {
                "type": "formula", "criteria": f"=LEN({cell_ref(HEADER_ROW + 1, col)})>0",
                "format": styles.error_fill})
    for col, width in enumerate(_WIDTHS):
        ws.set_column(col, col, width)
    ws.freeze_panes(HEADER_ROW + 1, 3)
    ws.repeat_rows(HEADER_ROW)
    print_landscape(ws)


def _write_title(ws: Worksheet, comparison: Comparison, period: Period, styles: Styles) -> None:
    s = comparison.settings
    factor, floor = general(s.jump_factor), general(s.jump_floor)
    ws.write_string(0, 0, f"SO SÁNH VỚI KỲ TRƯỚC: {period.label.upper()} SO VỚI {comparison.previous.label.upper()}",
                    styles.title)
    note = (f"Kỳ này: công thức theo sheet Tổng hợp (sửa số ở đó, sheet này tự cập nhật). Đột biến (công thức): "
            f"kỳ này gấp ≥ {factor} lần hoặc chỉ bằng ≤ 1/{factor} kỳ trước; số nhỏ hơn {floor} tính bằng {floor}. "
            f"Khoảng thường: từ số liệu các kỳ trước của chính xã ({_band_text(comparison)}), tính lúc tổng hợp, "
            f"cần ít nhất {s.min_history} kỳ. Không có số liệu kỳ trước thì không cảnh báo.")
    ws.merge_range(1, 0, 1, _BAND, note, styles.note_wrap)
    ws.set_row(1, 3 * LINE_HEIGHT)
    ws.merge_range(2, 0, 2, _BAND, f"Số liệu kỳ trước lấy từ: {', '.join(comparison.files) or 'không có tệp nào'}.",
                   styles.note_wrap)


def _band_text(comparison: Comparison) -> str:
    s = comparison.settings
    if s.band == "sd":
        return f"trung bình ± {general(s.band_k)} độ lệch chuẩn, nới thêm {general(s.band_slack)}"
    return f"thấp nhất ÷ {general(s.band_margin)} đến cao nhất × {general(s.band_margin)}, nới thêm {general(s.band_slack)}"


def _write_formulas(ws: Worksheet, row: int, source: str, comparison: Comparison, styles: Styles) -> None:
    """Current value, change, jump and band flags of one row, as live formulas."""
    s = comparison.settings
    cur, prev, low, high = (cell_ref(row, col) for col in (_CURRENT, _PREVIOUS, _LOW, _HIGH))
    write_formula(ws, row, _CURRENT, f'=IF(ISBLANK({source}),"",{source})', styles.total)
    both = f"AND(ISNUMBER({cur}),ISNUMBER({prev}))"
    write_formula(ws, row, _CHANGE, f'=IF({both},{cur}-{prev},"")', styles.number)
    floor, factor = repr(float(s.jump_floor)), repr(float(s.jump_factor))
    after, before = f"MAX({cur},{floor})", f"MAX({prev},{floor})"
    text = f'IF({after}>{before},"Tăng","Giảm")&" ≥ {general(s.jump_factor)} lần"'
    jump = (f'=IF({both},IF(MIN({after},{before})>0,IF(OR({after}/{before}>={factor},{after}/{before}<=1/{factor}),'
            f'{text},""),""),"")')
    write_formula(ws, row, _JUMP, jump, styles.flag_text)
    band = f'=IF(AND(ISNUMBER({cur}),ISNUMBER({low})),IF(OR({cur}<{low},{cur}>{high}),"Ngoài khoảng",""),"")'
    write_formula(ws, row, _BAND, band, styles.flag_text)


def _write_counts(ws: Worksheet, last: int, styles: Styles) -> None:
    ws.write_string(3, 7, "Số cảnh báo:", styles.bold_right)
    for col in (_JUMP, _BAND):
        span = f"{cell_ref(HEADER_ROW + 1, col)}:{cell_ref(max(last, HEADER_ROW + 1), col)}"
        write_formula(ws, 3, col, f'=COUNTIF({span},"?*")', styles.flag_count)
