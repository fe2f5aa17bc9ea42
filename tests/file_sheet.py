"""A sheet of the control workbook file, through openpyxl: what xlwings does on the live sheet
in Excel, so the button's adapter runs end to end on Linux against the real .xlsm."""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from cchc_xl.shells.control_layout import CONTROL_SHEET


class FileSheet:
    def __init__(self, path: Path, book=None, name: str = CONTROL_SHEET) -> None:
        self.path = Path(path)
        self.book = book or load_workbook(self.path, keep_vba=True)
        self.sheet = self.book[name]

    def other(self, name: str) -> "FileSheet":
        """Another sheet of the same open workbook (saved with it)."""
        return FileSheet(self.path, self.book, name)

    def read(self, address: str) -> object:
        return self.sheet[address].value

    def read_rows(self, area: str) -> list[list[object]]:
        return [[cell.value for cell in row] for row in self.sheet[area]]

    def write(self, address: str, value: object) -> None:
        cell = self.sheet[address]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"    # text stays text, as `excel.literal` ensures in Excel

    def write_rows(self, address: str, rows: list[list[object]]) -> None:
        top = self.sheet[address]
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                self.write(self.sheet.cell(top.row + i, top.column + j).coordinate, value)

    def clear(self, area: str) -> None:
        for row in self.sheet[area]:
            for cell in row:
                cell.value = None

    def save(self) -> None:
        self.book.save(self.path)
