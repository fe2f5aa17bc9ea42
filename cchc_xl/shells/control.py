"""Build the district control workbook (`cchc-xl build-workbook`): CCHC_TongHop.xlsm and its
Python module, never edited by hand.

Why the VBA is xlwings' own: a VBA project (vbaProject.bin) cannot be compiled on Linux, so the
workbook embeds, unchanged, the project of `quickstart_standalone.xlsm` shipped in the pinned
xlwings package. Its macro `SampleCall` runs ``RunPython "import <workbook name>;<workbook
name>.main()"`` and RunPython puts the workbook's folder on ``sys.path``; hence the module
named as the workbook, written beside it, whose `main()` calls the adapter in `excel.py`.
`macros/` holds the exported source of that project, and a test proves it is what is embedded.
"""
from __future__ import annotations

import datetime as dt
import io
import keyword
import sys
import zipfile
from pathlib import Path

import xlwings
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from cchc_xl.common.files import atomic_write
from cchc_xl.shells import control_layout as L
from cchc_xl.shells.control_layout import WORKBOOK_NAME

ENTRY_MACRO = "SampleCall"
VBA_SOURCE = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
#: Fixed document dates make the build byte-for-byte reproducible (a test rebuilds and compares).
BUILD_DATE = dt.datetime(2024, 1, 1)
FONT = "Times New Roman"
#: Characters of a hint that fit on one line of column B; a longer hint gets a taller row.
_HINT_LINE = 74

_MODULE_TEMPLATE = '''"""Python side of the button in {workbook}.

xlwings' RunPython imports the module named as the workbook from the workbook's folder and
calls main(): keep this file next to {workbook}, with this name.
Made by `cchc-xl build-workbook`; do not edit.
"""
from pathlib import Path

from cchc_xl.shells.excel import run_from_excel


def main() -> None:
    run_from_excel()


if __name__ == "__main__":  # support: `python {module}.py` in a console runs the button, errors shown there
    import xlwings as xw

    xw.Book(Path(__file__).with_name("{workbook}")).set_mock_caller()
    main()
'''

_INSTRUCTIONS = (
    "Mở bảng tính bằng Excel trên máy đã cài Python và cchc_xl. Khi Excel hỏi, bấm «Enable Content» "
    "(Bật nội dung) để cho phép macro.",
    "Để tệp {module}.py cùng thư mục với bảng tính này và không đổi tên hai tệp.",
    "Chọn thao tác ở ô C5 rồi điền các ô nền vàng. Đường dẫn ghi đầy đủ (ví dụ D:\\CCHC\\2023), "
    "hoặc chỉ ghi tên nếu thư mục, tệp nằm cạnh bảng tính này.",
    "Danh sách xã: gõ một lần ở trang «Danh sách xã» (để ô C10 trống), hoặc ghi ở ô C10 tên tệp .txt mỗi dòng một xã.",
    "Tạo mẫu cho các xã: cần Năm, Kỳ và danh sách xã; mỗi xã một tệp trong thư mục lưu mẫu để gửi xã điền.",
    "Tổng hợp: chép các tệp xã gửi về vào thư mục của các xã, điền Đơn vị, Năm, Kỳ, Tệp kết quả rồi bấm nút. "
    "Tệp của các xã không bị sửa. Biểu của huyện, số liệu riêng và kỳ trước: điền nếu cần.",
    "Cộng dồn: thư mục của các xã chứa phụ lục các quý; chọn Kỳ 6 tháng, 9 tháng hoặc Cả năm, "
    "mỗi xã được cộng dồn từ các quý của mình (thiếu quý thì để trống).",
    "Kiểm tra lại: kiểm tra từng tệp trong thư mục của các xã (hoặc một tệp, nếu ô C9 ghi đường dẫn tệp) "
    "bằng đúng các quy tắc của cột Kiểm tra; "
    "cảnh báo hiện ở mục 4.",
    "Xem xã chưa nộp: so thư mục của các xã với Danh sách xã; mục 4 ghi từng xã đã nộp, nộp trễ, chưa nộp.",
    "In báo cáo ra PDF: in Tệp kết quả tổng hợp (biểu huyện và Tổng hợp, khổ A4) ra tệp .pdf cùng tên; "
    "cần LibreOffice, nếu không có thì mở tệp kết quả và in bằng Excel (File → Print).",
    "Xong mỗi lần bấm, hộp thông báo nhắc lại dòng Trạng thái. Nếu có lỗi, thông báo nêu tệp hoặc ô cần sửa; "
    "sửa xong bấm nút lại.",
)

_CONFIG_ROWS = (
    ("ADD_WORKBOOK_TO_PYTHONPATH", "true",
     "Giữ nguyên: để Python tìm thấy tệp .py đặt cùng thư mục với bảng tính này."),
    ("Interpreter_Win", "",
     "Để trống nếu gõ «python» trong cửa sổ lệnh chạy được; nếu không, dán đường dẫn đầy đủ tới python.exe."),
)


class BuildError(ValueError):
    """The control workbook cannot be built as asked; the message is for the user."""


def module_name(path: Path) -> str:
    """The module RunPython imports for a workbook: its name without extension.

    It must be a plain identifier that shadows nothing the add-in itself imports.
    """
    name = Path(path).stem
    if Path(path).suffix.lower() != ".xlsm":
        raise BuildError(f"'{Path(path).name}': bảng điều khiển phải là tệp .xlsm (có macro).")
    if not name.isidentifier() or keyword.iskeyword(name) or name in sys.stdlib_module_names \
            or name in ("cchc_xl", "xlwings", "xlsxwriter", "openpyxl"):
        raise BuildError(f"'{Path(path).name}': tên tệp phải là tên mô-đun Python hợp lệ "
                         "(chữ không dấu, số, dấu _), ví dụ CCHC_TongHop.xlsm.")
    return name


def module_source(workbook_name: str) -> str:
    return _MODULE_TEMPLATE.format(workbook=workbook_name, module=Path(workbook_name).stem)


def vba_project() -> bytes:
    """The VBA project of xlwings' standalone quickstart (RunPython and SampleCall, no add-in)."""
    with zipfile.ZipFile(VBA_SOURCE) as archive:
        return archive.read("xl/vbaProject.bin")


def build_control_workbook(path: Path) -> tuple[Path, Path]:
    """Write the .xlsm and, beside it, the module its button imports; returns both paths."""
    path = Path(path)
    module = module_name(path)
    atomic_write(path, lambda temp: _write_workbook(temp, module))
    script = path.with_name(f"{module}.py")
    atomic_write(script, lambda temp: temp.write_text(module_source(path.name), encoding="utf-8"))
    return path, script


def _write_workbook(target: Path, module: str) -> None:
    book = Workbook(str(target))
    book.set_properties({"title": "Bảng điều khiển tổng hợp phụ lục CCHC", "created": BUILD_DATE,
                         "comments": "Tạo bởi cchc-xl build-workbook"})
    book.set_vba_name("ThisWorkbook")
    book.add_vba_project(io.BytesIO(vba_project()), is_stream=True)
    control = book.add_worksheet(L.CONTROL_SHEET)
    control.set_vba_name("Sheet1")      # the codenames of the embedded project's sheet modules
    units = book.add_worksheet(L.UNITS_SHEET)
    units.set_vba_name("Sheet3")        # none in the project: Excel adds an empty one (README checklist)
    config = book.add_worksheet(L.CONFIG_SHEET)
    config.set_vba_name("Sheet2")
    sheet = _ControlSheet(book, control, module)
    sheet.write()
    _write_config(book, config)
    _write_units(units, sheet.fmt)
    book.close()


class _ControlSheet:
    """The `Điều khiển` sheet: settings, button, status, instructions, details table."""

    def __init__(self, book: Workbook, ws: Worksheet, module: str) -> None:
        self.book, self.ws, self.module = book, ws, module
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
        self.fmt = {
            "title": book.add_format({**base, "bold": True, "font_size": 15, "font_color": "#FFFFFF",
                                      "bg_color": "#1F4E79", "align": "center"}),
            "subtitle": book.add_format({**base, "italic": True, "align": "center", "text_wrap": True}),
            "section": book.add_format({**base, "bold": True, "font_color": "#1F4E79", "bottom": 2,
                                        "bottom_color": "#1F4E79"}),
            "label": book.add_format({**base, "text_wrap": True, "border": 1, "border_color": "#A6A6A6"}),
            "label_bold": book.add_format({**base, "bold": True}),
            "hint": book.add_format({**base, "italic": True, "font_size": 9, "font_color": "#595959"}),
            "input": book.add_format({**base, "bg_color": "#FFF2CC", "border": 1, "border_color": "#A6A6A6",
                                      "locked": False, "text_wrap": True, "align": "left"}),
            "output": book.add_format({**base, "border": 1, "border_color": "#A6A6A6", "locked": False,
                                       "text_wrap": True, "valign": "top"}),
            "press": book.add_format({**base, "bold": True, "align": "right"}),
            "step": book.add_format({**base, "text_wrap": True}),
            "head": book.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1,
                                     "border_color": "#A6A6A6", "align": "center"}),
            "detail": book.add_format({**base, "locked": False, "text_wrap": True, "valign": "top"}),
            "code": book.add_format({**base, "locked": False, "font_color": "#808080"}),
        }

    def write(self) -> None:
        ws = self.ws
        for col, width in {"A": 2, "B": 40, "C": 52, "D": 9, "E": 12}.items():
            ws.set_column(f"{col}:{col}", width)
        ws.set_column("F:F", 10, self.fmt["code"], {"hidden": True})
        ws.merge_range("B1:E1", "TỔNG HỢP PHỤ LỤC THỐNG KÊ CẢI CÁCH HÀNH CHÍNH CỦA CÁC XÃ", self.fmt["title"])
        ws.set_row(0, 30)
        ws.merge_range("B2:E2", "Chọn thao tác, điền các ô nền vàng, rồi bấm nút «Thực hiện». "
                       "Thông báo và kết quả hiện ở mục 2 và mục 4.", self.fmt["subtitle"])
        ws.set_row(1, 30)
        self._settings()
        self._button()
        self._status()
        self._instructions()
        self._details()
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.print_area(f"A1:E{L.DETAIL_HEADER_ROW + 20}")
        ws.set_footer(f"&L&8{WORKBOOK_NAME}&R&8Trang &P / &N")
        ws.set_first_sheet()
        ws.activate()

    def _section(self, row: int, text: str) -> None:
        self.ws.merge_range(row - 1, 1, row - 1, 4, text, self.fmt["section"])
        self.ws.set_row(row - 1, 22)

    def _settings(self) -> None:
        ws, fmt = self.ws, self.fmt
        self._section(L.SETTINGS_SECTION_ROW, "1. THIẾT LẬP")
        for setting in L.SETTINGS:
            row = int(setting.cell[1:]) - 1
            ws.write_rich_string(row, 1, fmt["label_bold"], setting.label, "\n",
                                 fmt["hint"], setting.hint, fmt["label"])
            ws.set_row(row, 33 if len(setting.hint) <= _HINT_LINE else 46)   # merged cells never grow
            ws.merge_range(row, 2, row, 4, setting.default or "", fmt["input"])
        self._validations()

    def _validations(self) -> None:
        ws = self.ws
        common = {"error_type": "stop", "error_title": "Giá trị không hợp lệ"}
        ws.data_validation(L.ACTION.cell, {
            "validate": "list", "source": list(L.ACTIONS), "ignore_blank": False, **common,
            "input_title": "Thao tác", "input_message": "Chọn việc cần làm rồi bấm nút Thực hiện.",
            "error_message": "Chọn một thao tác trong danh sách."})
        ws.data_validation(L.YEAR.cell, {
            "validate": "integer", "criteria": "between", "minimum": 2000, "maximum": 2100, **common,
            "input_title": "Năm báo cáo", "input_message": "Gõ năm, ví dụ 2023.",
            "error_message": "Năm phải là số từ 2000 đến 2100."})
        ws.data_validation(L.KIND.cell, {
            "validate": "list", "source": list(L.PERIOD_KINDS), **common,
            "input_title": "Kỳ báo cáo", "input_message": "Chọn quý, 6 tháng, 9 tháng hoặc cả năm.",
            "error_message": "Chọn một kỳ trong danh sách."})
        for setting in L.SETTINGS:      # the others take any text: their prompt is the hint
            if setting not in (L.ACTION, L.YEAR, L.KIND):
                ws.data_validation(setting.cell, {"validate": "any", "input_title": setting.label[:32],
                                                  "input_message": setting.hint})

    def _button(self) -> None:
        row = L.BUTTON_ROW - 1
        self.ws.set_row(row, 42)
        self.ws.write(row, 1, "Điền xong, bấm nút:", self.fmt["press"])
        self.ws.insert_button(row, 2, {"macro": ENTRY_MACRO, "caption": "▶  Thực hiện",
                                       "width": 220, "height": 44, "x_offset": 8, "y_offset": 6,
                                       "description": "Chạy thao tác đã chọn ở ô C5"})

    def _status(self) -> None:
        ws, fmt = self.ws, self.fmt
        self._section(L.STATUS_SECTION_ROW, "2. KẾT QUẢ")
        rows = ((L.STATUS, "Trạng thái", "Chưa chạy.", 48), (L.PROGRESS, "Tiến độ", "", 22),
                (L.LAST_RUN, "Lần chạy gần nhất", "", 22))
        for cell, label, value, height in rows:
            row = int(cell[1:]) - 1
            ws.write(row, 1, label, fmt["label"])
            ws.merge_range(row, 2, row, 4, value, fmt["output"])
            ws.set_row(row, height)
        ws.write_blank(L.STATUS_CODE, None, fmt["code"])
        status_range = f"{L.STATUS}:E{L.STATUS[1:]}"
        colours = {L.OK: ("#C6EFCE", "#006100"), L.FLAGS: ("#FFEB9C", "#9C5700"),
                   L.UNREADABLE: ("#FFC7CE", "#9C0006"), L.ERROR: ("#FFC7CE", "#9C0006"),
                   L.RUNNING: ("#DDEBF7", "#1F4E79")}
        for code, (fill, font) in colours.items():
            ws.conditional_format(status_range, {
                "type": "formula", "criteria": f'=${L.STATUS_CODE[0]}${L.STATUS_CODE[1:]}="{code}"',
                "format": self.book.add_format({"bg_color": fill, "font_color": font, "bold": True})})

    def _instructions(self) -> None:
        self._section(L.INSTRUCTIONS_SECTION_ROW, "3. HƯỚNG DẪN")
        for i, text in enumerate(_INSTRUCTIONS):
            row = L.INSTRUCTIONS_SECTION_ROW + i
            self.ws.merge_range(row, 1, row, 4, f"{i + 1}. {text.format(module=self.module)}", self.fmt["step"])
            self.ws.set_row(row, 30)    # room for two lines: merged cells never grow to fit

    def _details(self) -> None:
        ws = self.ws
        self._section(L.DETAIL_HEADER_ROW - 1, "4. CHI TIẾT (cảnh báo, tệp lỗi, mẫu đã tạo)")
        for col, title in zip(L.DETAIL_COLUMNS, ("Tệp", "Nội dung", "Ô", "Mã chỉ tiêu")):
            ws.write(f"{col}{L.DETAIL_HEADER_ROW}", title, self.fmt["head"])
        for row in range(L.FIRST_DETAIL_ROW, L.FIRST_DETAIL_ROW + L.DETAIL_ROWS):
            for col in L.DETAIL_COLUMNS:
                ws.write_blank(f"{col}{row}", None, self.fmt["detail"])


def _write_units(ws: Worksheet, fmt: dict) -> None:
    """The communes' list staff type once a term: names in column B, former names in C; the
    buttons read it when the list cell (C10) is empty. Numbering formulas and labels locked."""
    for col, width in {"A": 6, "B": 40, "C": 60}.items():
        ws.set_column(f"{col}:{col}", width)
    ws.merge_range("A1:C1", "DANH SÁCH CÁC XÃ, PHƯỜNG, THỊ TRẤN BÁO CÁO", fmt["title"])
    ws.set_row(0, 30)
    ws.merge_range("A2:C2", "Mỗi dòng một xã ở cột B, viết như tên trong phụ lục xã gửi về. Xã mới sau sáp nhập: "
                   "ghi các tên xã cũ ở cột C, cách nhau bằng dấu phẩy, để nhận cả tệp mang tên cũ. Bảng điều "
                   "khiển dùng danh sách này khi ô C10 của trang «Điều khiển» để trống.", fmt["subtitle"])
    ws.set_row(1, 48)
    for col, title in enumerate(("STT", "Tên xã, phường, thị trấn", "Tên cũ trước sáp nhập (nếu có)")):
        ws.write(L.UNITS_HEADER_ROW - 1, col, title, fmt["head"])
    first = L.UNITS_FIRST_ROW
    for row in range(first, first + L.UNITS_ROWS):
        ws.write_formula(row - 1, 0, f'=IF(B{row}="","",COUNTA(B${first}:B{row}))', fmt["label"], "")
        ws.write_blank(row - 1, 1, None, fmt["input"])
        ws.write_blank(row - 1, 2, None, fmt["input"])
    last = first + L.UNITS_ROWS - 1
    ws.data_validation(f"B{first}:B{last}", {"validate": "any", "input_title": "Tên xã",
                                             "input_message": "Ví dụ: Xã Hoằng Lưu. Mỗi dòng một xã."})
    ws.data_validation(f"C{first}:C{last}", {"validate": "any", "input_title": "Tên cũ (nếu có)",
                                             "input_message": "Xã mới sáp nhập: tên các xã cũ, cách nhau bằng dấu phẩy."})
    ws.freeze_panes(first - 1, 0)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    ws.repeat_rows(L.UNITS_HEADER_ROW - 1)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _write_config(book: Workbook, ws: Worksheet) -> None:
    """xlwings' settings sheet: keys in column A from A1 down, values in B (read by RunPython)."""
    note = book.add_format({"font_name": FONT, "italic": True, "font_color": "#595959", "text_wrap": True})
    for row, (key, value, text) in enumerate(_CONFIG_ROWS):
        ws.write_string(row, 0, key)
        ws.write_string(row, 1, value)
        ws.write_string(row, 2, text, note)
    ws.set_column("A:A", 30)
    ws.set_column("B:B", 24)
    ws.set_column("C:C", 70)
    ws.set_landscape()
