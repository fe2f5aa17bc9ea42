"""Reading what communes send: from an unknown file to values by indicator code.

- `opening`: what a file really is (by its bytes), inspected and opened for the reader.
- `xlsx_package`: a zip package inspected before any parser sees it (bombs, entities, far cells).
- `ods_package`: how far an .ods's sheets reach (repeated rows and cells), before calamine.
- `ole_package`: an OLE2 file inspected (encryption, an .xls's password and far cells).
- `xlsx_in`: a workbook (.xlsx, .xlsm, .xls, .xlsb, .ods) opened through calamine, its cached
  values and formula cells.
- `docx_in`: the appendix table of a Word report laid out as a sheet.
- `table`: where the appendix table sits in a sheet (header, columns, data rows).
- `matching`: which indicator a row stands for, by STT code then by label.
- `parsing`: number text read leniently, never a silent 0.
- `titleblock`: the unit and period of a file without a meta sheet.
- `units`: lists of units (communes) and the file names made from them.
- `reader`: the whole step, one workbook or report in, a `Submission` out.
- `narrative`: a report's text (.docx): paragraphs, sentences, figures, documents cited.
- `inputs`: the files of a run, their fingerprints, read one by one or by workers.
- `printed_rows`: an appendix table as printed, knowing no form (what `form infer` starts from).
- `form_tree`: the printed rows coded (STT or Roman sections) and given their parents.
- `inferred_kinds`: each row's kind and unit, told from its unit and label.
- `inferred_rules`: the sum, share and part ≤ whole rules the labels imply, each with its reason.
- `form_infer`: the steps together, an appendix in, a form file's text out.
- `form_diff`: which new row each old row became (by code and label), and the old form with that
  `maps_to` (`form diff`).
"""
