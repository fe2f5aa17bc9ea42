"""Thin adapters over the functions below: the command line and Excel.

- `cli`: the `cchc-xl` command; heavy libraries are imported inside each command.
- `control_layout`: where things are on the control sheet of CCHC_TongHop.xlsm.
- `control`: the control workbook (`cchc-xl build-workbook`) and its buttons.
- `excel`: the buttons' handler, reading the settings and writing results back.
"""
