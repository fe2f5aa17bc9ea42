"""The consolidation: many submissions in, one district workbook out.

- `model`: the consolidation as data (`Consolidation`, `Commune`, `Part`, `Duplicate`, `Draft`).
- `placing`: a submission's numbers placed on the codes of the form consolidated.
- `consolidate`: the pure step from submissions to a `Consolidation`.
- `layout`: where things are on `Tổng hợp` and `Kiểm tra`.
- `unit_level`: whose sheet it is (tỉnh, huyện …), told from the consolidating unit's name.
- `sheet_xml`: the bulk cells as sheet XML, spliced into the package XlsxWriter writes.
- `xlsx_out`: the district workbook's formats, typed cell writes and live formulas.
- `feeds`: district rows fed by the communes, as formula and as value.
- `rule_block`: a sheet's rules as live formulas in a block below its table.
- `district_form`: the district's own report form as a sheet of the workbook.
- `provenance`: `Nguồn số liệu`, where every number came from and what was set aside.
- `title_block`: the official frame of the printed report (issuer, motto, recipients, signature).
- `workbook`: the district workbook written from a `Consolidation`.
- `printing`: the report sent upward printed to PDF by LibreOffice (`cchc-xl pdf`).
- `crosscheck`: the figures of a report's text compared with its appendix.
- `review`: the headless `check` of filled workbooks, each flag located.
"""
