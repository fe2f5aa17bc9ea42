"""Shared ground every layer stands on, with no knowledge of forms or sheets.

- `cells`: cell addresses, column letters and back.
- `problems`: `ReadError` (a file that cannot be read) and `Problem` records (what was set aside).
- `collector`: the cycle collector paused while a run builds data that all stays alive.
- `files`: atomic writes that never touch an input, with Vietnamese `OutputError` messages.
- `openpyxl_open`: opening a workbook with openpyxl where calamine does not suffice, never failing.
- `libreoffice`: recalculating a workbook with LibreOffice headless (tests, `recalc`).
"""
