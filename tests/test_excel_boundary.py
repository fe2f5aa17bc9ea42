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
