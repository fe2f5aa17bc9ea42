"""Python side of the button in CCHC_TongHop.xlsm.

xlwings' RunPython imports the module named as the workbook from the workbook's folder and
calls main(): keep this file next to CCHC_TongHop.xlsm, with this name.
Made by `cchc-xl build-workbook`; do not edit.
"""
from cchc_xl.excel import run_from_excel


def main() -> None:
    run_from_excel()
