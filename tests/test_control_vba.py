"""The VBA inside CCHC_TongHop.xlsm: what is embedded is `macros/`, the button runs an existing
macro, and the command RunPython builds imports the workbook's module from the workbook's folder."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

with warnings.catch_warnings():     # oletools still uses pyparsing's deprecated camelCase names
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser

from cchc_xl.shells.control_layout import WORKBOOK_NAME

REPO = Path(__file__).resolve().parents[1]
WORKBOOK = REPO / "workbooks" / WORKBOOK_NAME
MACROS = REPO / "macros"
VML_X = "{urn:schemas-microsoft-com:office:excel}"
#: xlwings' idiom for "the workbook's name without its extension", as SampleCall writes it.
BASENAME_IDIOM = 'Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))'


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").rstrip("\n") + "\n"


def _has_code(text: str) -> bool:
    return any(line.strip() and not line.startswith("Attribute VB_") for line in text.splitlines())


@pytest.fixture(scope="module")
def modules() -> dict[str, str]:
    """Every VBA module embedded in the committed workbook, by its export file name."""
    parser = VBA_Parser(str(WORKBOOK))
    try:
        return {name: _normalised(code) for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def _subs(modules: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Public parameterless Subs of standard modules: name -> (module, body)."""
    found = {}
    for module, text in modules.items():
        if not module.endswith(".bas"):
            continue
        for match in re.finditer(r"^(?:Public )?Sub (\w+)\(\)\n(.*?)^End Sub", text, re.M | re.S):
            found[match.group(1)] = (module, match.group(2))
    return found


def _button_macros(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        drawings = [n for n in archive.namelist() if n.startswith("xl/drawings/") and n.endswith(".vml")]
        macros = []
        for name in drawings:
            root = ElementTree.fromstring(archive.read(name))
            for data in root.iter(f"{VML_X}ClientData"):
                if data.get("ObjectType") == "Button":
                    macros.append(data.findtext(f"{VML_X}FmlaMacro"))
    return macros


def test_macros_folder_is_exactly_the_embedded_source(modules):
    with_code = {name: text for name, text in modules.items() if _has_code(text)}
    on_disk = {p.name: _normalised(p.read_text("utf-8")) for p in MACROS.iterdir() if p.suffix in (".bas", ".cls")}
    assert sorted(on_disk) == sorted(with_code)
    for name, text in with_code.items():
        assert on_disk[name] == text, f"macros/{name} differs from the VBA embedded in {WORKBOOK_NAME}"


def test_nothing_runs_when_the_workbook_opens(modules):
    documents = [n for n in modules if n.endswith(".cls") and n.split(".")[0] in ("ThisWorkbook", "Sheet1", "Sheet2")]
    assert sorted(documents) == ["Sheet1.cls", "Sheet2.cls", "ThisWorkbook.cls"]
    assert [n for n in documents if _has_code(modules[n])] == []
    assert not re.search(r"^\s*(Public |Private )?Sub (Auto_Open|Workbook_Open)\b", "".join(modules.values()), re.M)


def test_every_button_runs_an_existing_macro(modules):
    bound = _button_macros(WORKBOOK)
    assert bound, "the control sheet has no button"
    subs = _subs(modules)
    for reference in bound:
        assert reference.startswith("[0]!"), reference     # a macro of this workbook
        assert reference.removeprefix("[0]!") in subs, f"button bound to missing macro {reference}"


def _runpython_command(modules: dict[str, str], workbook_name: str) -> str:
    """The PythonCommand the button's macro passes to RunPython, for a workbook of this name."""
    (macro,) = {m.removeprefix("[0]!") for m in _button_macros(WORKBOOK)}
    _module, body = _subs(modules)[macro]
    variables = {}
    for name, expression in re.findall(r"^\s*(\w+) = (.+)$", body, re.M):
        assert expression == BASENAME_IDIOM, f"unknown VBA expression: {expression}"
        variables[name] = workbook_name.rsplit(".", 1)[0]
    (call,) = re.findall(r"^\s*RunPython (.+)$", body, re.M)
    parts = [p.strip() for p in call.split("&")]
    return "".join(p[1:-1] if p.startswith('"') else variables[p] for p in parts)


def test_button_macro_imports_the_module_named_as_the_workbook(modules):
    assert _runpython_command(modules, WORKBOOK_NAME) == "import CCHC_TongHop;CCHC_TongHop.main()"


def _command_line(modules: dict[str, str], workbook: Path, add_workbook_dir: str) -> list[str]:
    """The interpreter command RunPython starts (xlwings.bas, ExecuteWindows), with the call of
    the entry function replaced by a check that it exists: the rest runs as in Excel."""
    xlwings_bas = modules["xlwings.bas"]
    assert ('PYTHONPATH = AddExcelDir & ";" & ActiveFullName & ";" & ThisFullName & ";" & '
            'GetConfig("ONEDRIVE_CONSUMER_WIN")') in xlwings_bas
    assert ('" -B -c ""import xlwings.utils;xlwings.utils.prepare_sys_path(\\""" & PYTHONPATH & "\\""); " '
            '& PythonCommand & """ "') in xlwings_bas
    full_name = str(workbook)
    pythonpath = ";".join([add_workbook_dir, full_name, full_name, "", "", "", ""])  # no PYTHONPATH key
    *imports, call = _runpython_command(modules, workbook.name).split(";")
    target = call.removesuffix("()")
    check = f"import inspect; assert not inspect.signature({target}).parameters; print({target.split('.')[0]}.__file__)"
    code = f'import xlwings.utils;xlwings.utils.prepare_sys_path("{pythonpath}"); {";".join(imports)}; {check}'
    return [sys.executable, "-B", "-c", code, f"--wb={workbook.name}", "--from_xl=1"]


@pytest.fixture
def installed(tmp_path) -> Path:
    """The workbook and its module copied where staff keep them, away from the repository."""
    folder = tmp_path / "Báo cáo CCHC 2023"
    folder.mkdir()
    shutil.copy(WORKBOOK, folder)
    shutil.copy(WORKBOOK.with_name("CCHC_TongHop.py"), folder)
    return folder / WORKBOOK_NAME


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}   # cchc_xl importable, as after pip install
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_runpython_command_line_imports_the_module_from_the_workbook_folder(modules, installed, tmp_path):
    elsewhere = tmp_path / "excel_cwd"
    elsewhere.mkdir()
    result = _run(_command_line(modules, installed, "true"), elsewhere)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == installed.with_name("CCHC_TongHop.py")


def test_without_the_workbook_folder_the_import_fails(modules, installed, tmp_path):
    """Control: the module is found through RunPython's path setting, not by accident."""
    result = _run(_command_line(modules, installed, "false"), tmp_path)
    assert result.returncode != 0
    assert "No module named 'CCHC_TongHop'" in result.stderr
