"""The xlwings boundary of the adapter: imported lazily, and calling only API that exists in the
pinned xlwings (the calls themselves need Excel and are covered by the README's manual checklist)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import xlwings

REPO = Path(__file__).resolve().parents[1]


def test_importing_the_adapter_does_not_import_xlwings():
    code = "import sys, cchc_xl.shells.excel; print('xlwings' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_entry_uses_xlwings_api_that_exists():
    assert xlwings.__version__ == "0.37.8"      # the version whose VBA is embedded (macros/)
    assert callable(xlwings.Book.caller)
    assert isinstance(xlwings.Book.fullname, property) and isinstance(xlwings.Book.sheets, property)
    assert callable(xlwings.Sheet.__getitem__)
    assert isinstance(xlwings.Range.value, property) and xlwings.Range.value.fset is not None
    assert callable(xlwings.Range.clear_contents)


def test_the_entry_uses_the_message_box_and_range_options_that_exist():
    import inspect
    assert {"prompt", "title", "mode"} <= set(inspect.signature(xlwings.App.alert).parameters)
    assert "ndim" in inspect.getdoc(xlwings.Range.options)
    assert isinstance(xlwings.Book.app, property) and isinstance(xlwings.Sheet.name, property)


class _Range:
    """An xlwings Range over a `FileSheet` cell or area: value, options(ndim=2), clear_contents."""

    def __init__(self, sheet, address: str) -> None:
        self.sheet, self.address = sheet, address

    @property
    def value(self):
        return self.sheet.read_rows(self.address) if ":" in self.address else self.sheet.read(self.address)

    @value.setter
    def value(self, value) -> None:
        if isinstance(value, list):
            self.sheet.write_rows(self.address, value)
        else:
            self.sheet.write(self.address, value)

    def options(self, ndim: int):
        assert ndim == 2
        return self

    def clear_contents(self) -> None:
        self.sheet.clear(self.address)


class _Sheet:
    def __init__(self, sheet, name: str) -> None:
        self.sheet, self.name = sheet, name

    def __getitem__(self, address: str) -> _Range:
        return _Range(self.sheet, address)


class _Sheets(list):
    def __getitem__(self, key):
        return next(s for s in self if s.name == key) if isinstance(key, str) else super().__getitem__(key)


def test_the_button_entry_runs_the_chosen_job_on_the_calling_book_and_shows_its_message(tmp_path, monkeypatch):
    """`run_from_excel` as RunPython calls it, on a fake of the caller book over the real .xlsm."""
    import shutil

    from file_sheet import FileSheet

    from cchc_xl.shells import control_layout as L
    from cchc_xl.shells.excel import MESSAGE_TITLE, run_from_excel
    book_path = tmp_path / L.WORKBOOK_NAME
    shutil.copy(REPO / "workbooks" / L.WORKBOOK_NAME, book_path)
    control = FileSheet(book_path)
    units = control.other(L.UNITS_SHEET)
    for cell, value in {L.ACTION.cell: L.MAKE_TEMPLATES, L.YEAR.cell: 2023, L.KIND.cell: "Quý II"}.items():
        control.write(cell, value)
    units.write_rows(f"B{L.UNITS_FIRST_ROW}", [["Xã Hoằng Lưu"], ["Xã Quảng Hòa"]])
    alerts = []
    book = type("CallerBook", (), {})()
    book.fullname = str(book_path)
    book.sheets = _Sheets([_Sheet(control, L.CONTROL_SHEET), _Sheet(units, L.UNITS_SHEET)])
    book.app = type("App", (), {"alert": staticmethod(lambda **kw: alerts.append(kw))})()
    monkeypatch.setattr(xlwings.Book, "caller", staticmethod(lambda: book))
    run_from_excel()
    assert control.read(L.STATUS_CODE) == L.OK
    assert alerts == [{"prompt": control.read(L.STATUS), "title": MESSAGE_TITLE, "mode": "info"}]
    assert len(list((tmp_path / L.TEMPLATES.default).iterdir())) == 2
