"""The package's shape: layers that import only downwards, no import cycle, no private name of a
third-party library, and a command line that starts without the heavy libraries.

Imports are read with `ast` from every module, wherever they stand (top level, inside a
function, under `TYPE_CHECKING`): a dependency hidden in a function is still a dependency.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_xl.commune.samples import (
    DEMO_FORM,
    DEMO_PERIOD,
    DEMO_UNIT,
    EXPECTED_FILE,
    write_samples,
)

PACKAGE = Path(__file__).resolve().parents[1] / "cchc_xl"
#: Bottom-up: a module may import its own layer's modules and those of lower layers only.
LAYERS = {"common": 0, "forms": 1, "read": 2, "commune": 2, "district": 3, "cycle": 4, "shells": 5}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str) -> set[str]:
    """The package's modules `name` imports (a `from pkg import mod` counts as `pkg.mod`)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {m for m in found if m in MODULES and m != name and m != "cchc_xl"}


GRAPH = {name: imported(name) for name in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_names_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    assert cycles(GRAPH) == [], "import cycles: " + "; ".join(" ↔ ".join(c) for c in cycles(GRAPH))


def layer(name: str) -> int | None:
    parts = name.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def test_every_module_sits_in_a_layer():
    loose = [n for n in MODULES if layer(n) is None and n not in ("cchc_xl", "cchc_xl.__main__")]
    assert loose == []


def test_layers_import_only_downwards():
    upward = [f"{a} → {b}" for a, targets in GRAPH.items() for b in targets
              if layer(a) is not None and layer(b) is not None
              and (layer(b) > layer(a) or (layer(b) == layer(a) and a.split(".")[1] != b.split(".")[1]))]
    assert upward == []


def test_each_subpackage_names_its_modules():
    """`__init__.py` says what a subpackage offers: every module of it is named there."""
    for folder in sorted(PACKAGE.iterdir()):
        if folder.name not in LAYERS:
            continue
        text = ast.get_docstring(ast.parse((folder / "__init__.py").read_text("utf-8"))) or ""
        unnamed = [p.stem for p in folder.glob("*.py") if p.stem != "__init__" and f"`{p.stem}`" not in text]
        assert unnamed == [], f"{folder.name}/__init__.py does not name {unnamed}"


def private_third_party(path: Path) -> list[str]:
    """Private names (`_x`, not dunder) imported from, or reached on, another package."""
    trees = [ast.parse(p.read_text("utf-8")) for p in MODULES.values()]
    ours = {node.name for tree in trees for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))}
    ours |= {t.attr for tree in trees for node in ast.walk(tree) if isinstance(node, (ast.Assign, ast.AnnAssign))
             for t in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(t, ast.Attribute)}
    ours |= {t.id for tree in trees for cls in ast.walk(tree) if isinstance(cls, ast.ClassDef)  # dataclass fields
             for node in cls.body if isinstance(node, (ast.Assign, ast.AnnAssign))
             for t in (node.targets if isinstance(node, ast.Assign) else [node.target]) if isinstance(t, ast.Name)}
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.module.startswith(("cchc_xl", "__future__")):
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
            found += [node.module] if any(part.startswith("_") for part in node.module.split(".")) else []
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if node.attr not in ours:
                found.append(f"line {node.lineno}: .{node.attr}")
    return found


def test_the_private_name_check_catches_one(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from xlsxwriter.worksheet import _xml_cell\nfmt._get_xf_index()\n", "utf-8")
    assert private_third_party(probe) == ["xlsxwriter.worksheet._xml_cell", "line 2: ._get_xf_index"]


def test_no_private_name_of_a_third_party_package():
    found = {name: private_third_party(path) for name, path in MODULES.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


def loaded_modules(*arguments: str) -> set[str]:
    """The modules a fresh Python process loads running these arguments (`-X importtime`)."""
    done = subprocess.run([sys.executable, "-X", "importtime", *arguments], capture_output=True, text=True,
                          cwd=PACKAGE.parent, check=False)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def heavy(loaded: set[str], libraries: set[str]) -> list[str]:
    return sorted(m for m in loaded if m.split(".")[0] in libraries)


WORKBOOK_LIBRARIES = {"xlwings", "pandas", "openpyxl", "xlsxwriter", "python_calamine", "numpy"}


@pytest.mark.parametrize("module", ["cchc_xl.shells.cli", "cchc_xl.__main__"])
def test_the_command_line_starts_without_heavy_libraries(module):
    """`consolidate`, `check` and `template` import what they need when they run; starting the
    command (or asking for --help) loads neither xlwings nor pandas, nor any workbook library."""
    code = f"import sys; sys.argv = ['cchc-xl', '--help']\ntry:\n    import {module}\nexcept SystemExit:\n    pass"
    loaded = loaded_modules("-c", code)
    assert "cchc_xl.shells.cli" in loaded
    assert heavy(loaded, WORKBOOK_LIBRARIES) == []


def test_each_command_loads_only_the_libraries_its_path_needs(tmp_path):
    """`consolidate` of workbooks reads with calamine and writes with XlsxWriter: no openpyxl, pandas,
    xlwings, nor python-docx or olefile (loaded when a Word report or an .xls is met), nor
    multiprocessing for a district's few files (read in the process: `inputs.PARALLEL_FROM`);
    `check` of a template reads with calamine only (no XlsxWriter either, nor rapidfuzz: a template's
    labels are its form's own, matched without scoring; nor multiprocessing for one file); `template` writes with openpyxl and loads neither pandas nor
    xlwings."""
    folder = tmp_path / "xa"
    write_samples(folder)
    consolidate = loaded_modules("-m", "cchc_xl", "consolidate", str(folder), "-o", str(tmp_path / "huyen.xlsx"),
                                 "--unit", DEMO_UNIT, "--period", DEMO_PERIOD.key,
                                 "--expect", str(folder / EXPECTED_FILE), "--form", DEMO_FORM)
    assert (tmp_path / "huyen.xlsx").is_file() and "xlsxwriter" in consolidate and "python_calamine" in consolidate
    assert heavy(consolidate, {"xlwings", "pandas", "openpyxl", "numpy", "docx", "lxml", "olefile",
                               "multiprocessing", "concurrent"}) == []
    template = loaded_modules("-m", "cchc_xl", "template", "--unit", "Xã Thử", "--period", DEMO_PERIOD.key,
                              "-o", str(tmp_path / "mau.xlsx"))
    check = loaded_modules("-m", "cchc_xl", "check", str(tmp_path / "mau.xlsx"))
    assert "openpyxl" in template and heavy(template, {"xlwings", "pandas"}) == []
    assert heavy(check, {"xlwings", "pandas", "openpyxl", "numpy", "xlsxwriter", "rapidfuzz", "multiprocessing",
                         "concurrent"}) == []
    assert "python_calamine" in check
