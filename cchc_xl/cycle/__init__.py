"""The reporting cycle around a consolidation: periods over time, who sent, what changed.

- `rollup`: cumulative figures (6 tháng, 9 tháng, năm) from quarterly values.
- `cumulative`: the roll-up over the quarterly workbooks a district holds.
- `history`: earlier periods' figures per commune.
- `trends`: each unit's change against the previous period, flagged when out of line.
- `comparison`: the consolidation beside earlier periods (history read, trends compared).
- `trend_sheet`: the `So sánh kỳ trước` sheet.
- `report_sheet`: the `Đối chiếu báo cáo` sheet, each commune's report text against its table.
- `status`: who of the expected units sent, on time or late.
- `completeness`: the `Tình hình nộp` sheet.
- `chart_sheet`: the `Biểu đồ` sheet, native charts over live cells (errors, shares, periods).
- `complete`: what the cycle adds to a consolidation (district form, completeness, comparison).
- `run`: a consolidation run from files to workbook, the entry point of the shells.
"""
