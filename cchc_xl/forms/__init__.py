"""The appendix as data: forms, their indicators and their consistency rules.

- `narrative`: how a report's text words an indicator's figure (phrases kept in the form file).
- `catalog`: forms loaded from the TOML files in `catalogs/` (rows, units, kinds, rules), checked
  on load, and the forms read from staff's files, registered by id.
- `form_files`: a province's form file chosen by path, read, and carried inside its workbooks.
- `form_text`: a form file's TOML read with Vietnamese errors, and the line each item stands on.
- `form_writer`: a form written out as a form file, one row or rule per line, comments above.
- `expr`: the neutral expression tree every rule is written in.
- `rules`: each rule built once as an `Expr` yielding "" or a Vietnamese message.
- `formulas`: an `Expr` rendered as an Excel formula (the live flag).
- `checks`: the same `Expr` evaluated in Python (the headless `check`).
- `numbers`: what a cell value is and how a number reads in a message.
- `periods`: reporting periods (quý, 6 tháng, 9 tháng, năm) and their deadlines.
- `config`: the reporting cycle's settings (`cycle.toml`, overridable by a file).
- `layout`: where the commune workbook keeps what its readers look for.
- `validation`: a value cell's data validation as data (limits, Vietnamese prompts).
"""
