"""Python side of the button in CCHC_TongHop.xlsm.

xlwings' RunPython imports the module named as the workbook from the workbook's folder and
calls main(): keep this file next to CCHC_TongHop.xlsm, with this name.
Made by `cchc-xl build-workbook`; do not edit.
"""
from pathlib import Path

from cchc_xl.shells.excel import run_from_excel


def main() -> None:
    run_from_excel()


if __name__ == "__main__":  # support: `python CCHC_TongHop.py` in a console runs the button, errors shown there
    import xlwings as xw

    xw.Book(Path(__file__).with_name("CCHC_TongHop.xlsm")).set_mock_caller()
    main()
