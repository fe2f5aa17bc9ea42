"""Where the commune workbook keeps what its readers look for: sheet names, the table's header
row and columns, the flag counts, the report date and the task framework sheet's task rows. The template writes these places and the
reader finds them; both import them from here, so neither imports the other.
"""

META_SHEET = "_cchc"
#: A form read from a file, carried by the workbooks made from it: its text, one line a row in A.
FORM_SHEET = "_cchc_form"
CHECK_SHEET = "Kiểm tra"
HEADER = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú", "Kiểm tra")
HEADER_ROW = 7
FIRST_ROW = HEADER_ROW + 1
VALUE_COL, NOTE_COL, FLAG_COL = "D", "E", "F"
ERROR_COUNT_CELL, MISSING_COUNT_CELL = "D5", "D6"
#: The date the unit sends its report, typed by the unit; found through this workbook name.
REPORT_DATE_NAME, REPORT_DATE_CELL = "CCHC_NgayBaoCao", "F5"
#: The task framework sheet (seed 004): its tasks and their status, counted from this row on.
FRAMEWORK_SHEET = "Khung nhiệm vụ"
FRAMEWORK_TASK_COL, FRAMEWORK_STATUS_COL = "C", "J"
FRAMEWORK_FIRST_ROW, FRAMEWORK_LAST_COUNTED_ROW = 7, 1000
FRAMEWORK_DONE = "Hoàn thành"
