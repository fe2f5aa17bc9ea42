"""Reading what communes send: from an unknown file to values by indicator code.

- `xlsx_package`: the zip package inspected before any parser sees it (bombs, entities).
- `xlsx_in`: the workbook opened through calamine, its cached values and formula cells.
- `table`: where the appendix table sits in a sheet (header, columns, data rows).
- `matching`: which indicator a row stands for, by STT code then by label.
- `parsing`: number text read leniently, never a silent 0.
- `titleblock`: the unit and period of a file without a meta sheet.
- `units`: lists of units (communes) and the file names made from them.
- `reader`: the whole step, one workbook in, a `Submission` out.
- `narrative`: a report's text (.docx): paragraphs, sentences, figures, documents cited.
- `inputs`: the files of a run, their fingerprints, read one by one or by workers.
"""
