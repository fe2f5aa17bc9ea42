"""Where things are on the control sheet of CCHC_TongHop.xlsm: one definition shared by the
builder (`control.py`) and the button's adapter (`excel.py`), so they cannot drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass

CONTROL_SHEET = "Điều khiển"
CONFIG_SHEET = "xlwings.conf"
#: The communes' list typed in the workbook: one commune a row, its former names beside it.
UNITS_SHEET = "Danh sách xã"
UNITS_HEADER_ROW = 4
UNITS_FIRST_ROW = UNITS_HEADER_ROW + 1
UNITS_ROWS = 500
UNITS_AREA = f"B{UNITS_FIRST_ROW}:C{UNITS_FIRST_ROW + UNITS_ROWS - 1}"   # name | former names

#: What the chooser offers, in the order shown: every job of the command line.
CONSOLIDATE, ROLLUP, MAKE_TEMPLATES, REVIEW = "Tổng hợp", "Cộng dồn (6 tháng/9 tháng/cả năm)", "Tạo mẫu cho các xã", \
    "Kiểm tra lại"
SUBMITTED, PRINT = "Xem xã chưa nộp", "In báo cáo ra PDF"
ACTIONS = (CONSOLIDATE, ROLLUP, MAKE_TEMPLATES, REVIEW, SUBMITTED, PRINT)

#: The period chooser: what staff pick -> the period kind of `periods.Period`.
PERIOD_KINDS = {"Quý I": "Q1", "Quý II": "Q2", "Quý III": "Q3", "Quý IV": "Q4",
                "6 tháng": "6T", "9 tháng": "9T", "Cả năm": "N"}


@dataclass(frozen=True)
class Setting:
    """One input row: its value cell, label and the hint printed under the label."""

    cell: str
    label: str
    hint: str
    default: str | None = None


ACTION = Setting("C5", "Thao tác cần làm", "Chọn trong danh sách.", CONSOLIDATE)
UNIT = Setting("C6", "Đơn vị tổng hợp", "Ví dụ: Huyện Hoằng Hóa (dùng khi Tổng hợp).")
YEAR = Setting("C7", "Năm báo cáo", "Ví dụ: 2023.")
KIND = Setting("C8", "Kỳ báo cáo", "Quý I … Quý IV, 6 tháng, 9 tháng hoặc Cả năm.")
FOLDER = Setting("C9", "Thư mục tệp của các xã",
                 "Nơi để các tệp phụ lục xã gửi về; Kiểm tra lại nhận cả đường dẫn một tệp.", "Bao_cao_cac_xa")
COMMUNES = Setting("C10", "Danh sách xã",
                   "Để trống: dùng trang «Danh sách xã»; hoặc tệp .txt, mỗi dòng một xã.")
OUTPUT = Setting("C11", "Tệp kết quả tổng hợp", "Tệp Excel được tạo khi Tổng hợp.", "Tong_hop_huyen.xlsx")
TEMPLATES = Setting("C12", "Thư mục lưu mẫu gửi xã", "Nơi lưu các mẫu khi Tạo mẫu cho các xã.", "Mau_gui_xa")
DISTRICT_FORM = Setting("C13", "Biểu của huyện (nếu có)",
                        "Mã biểu (huyen_2023) hoặc tệp .toml; thêm sheet biểu huyện khi Tổng hợp, Cộng dồn.")
OWN = Setting("C14", "Số liệu riêng của huyện (nếu có)",
              "Tệp biểu huyện đã nhập, hoặc bảng tổng hợp lần trước (cần Biểu của huyện).")
PREVIOUS = Setting("C15", "Kỳ trước để so sánh (nếu có)",
                   "Bảng tổng hợp hoặc thư mục phụ lục kỳ trước; nhiều mục cách nhau bằng dấu ;")
SETTINGS = (ACTION, UNIT, YEAR, KIND, FOLDER, COMMUNES, OUTPUT, TEMPLATES, DISTRICT_FORM, OWN, PREVIOUS)
#: Several paths in one cell are separated by this (a Windows path never holds it).
PATH_SEPARATOR = ";"

SETTINGS_SECTION_ROW = 4
BUTTON_ROW = 17             # the button sits over column C of this row
STATUS_SECTION_ROW = 19
STATUS, STATUS_CODE, PROGRESS, LAST_RUN = "C20", "F20", "C21", "C22"
INSTRUCTIONS_SECTION_ROW = 24
DETAIL_HEADER_ROW = 38
FIRST_DETAIL_ROW = DETAIL_HEADER_ROW + 1
DETAIL_ROWS = 500
DETAIL_COLUMNS = ("B", "C", "D", "E")   # Tệp | Nội dung | Ô | Mã chỉ tiêu
DETAIL_AREA = f"B{FIRST_DETAIL_ROW}:E{FIRST_DETAIL_ROW + DETAIL_ROWS - 1}"

#: Status codes written beside the message (hidden column F); they drive the status colour
#: and let tests assert outcomes without reading Vietnamese wording.
RUNNING, OK, FLAGS, UNREADABLE, ERROR = "running", "ok", "flags", "unreadable", "error"

#: The control workbook a district keeps (built by `cchc-xl build-workbook`).
WORKBOOK_NAME = "CCHC_TongHop.xlsm"
