"""What a commune receives: its appendix workbook and the samples made from it.

- `styles`: the look shared by the appendix sheet and the task framework.
- `template`: the appendix workbook built from a form (locked labels, validation, live checks).
- `framework`: the task framework sheet (Khung nhiệm vụ) and its two counts.
- `samples`: sample communes (the seeds' real values) and filled workbooks made from them.
- `variants`: workbooks a commune sends without our template, for tests and the demo.
"""
