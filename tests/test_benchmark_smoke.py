"""The consolidation benchmark still runs end to end (N = 5): a smoke run, never a timing test."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "consolidate.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("benchmark_consolidate", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_prints_command_times_four_rows_ratios_cli_time_and_peak_memory(capsys, tmp_path):
    benchmark = load_benchmark()
    assert benchmark.main(["--n", "5", "--no-libreoffice", "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    number = r"\d+\.\d\d"
    for method in benchmark.METHODS:
        assert re.search(rf"^{re.escape(method)}\s+{number}\s+{number}$", out, re.MULTILINE), method
    assert re.search(rf"^ratios: a/b = {number}  a/c = {number}  a/d = {number}$", out, re.MULTILINE)
    assert re.search(rf"^phases of \(a\), ms/file: scan {number}  read\+place\+check {number}  assemble {number}  "
                     rf"write {number}  other -?{number}$", out, re.MULTILINE)
    phases = rf"{number} s = interpreter {number} \+ imports {number} \+ "
    assert re.search(rf"^  its phases, another cold run: {phases}scan {number} \+ read\+place\+check {number} \+ "
                     rf"assemble {number} \+ write {number} \+ other -?{number} \+ exit -?{number}$", out, re.MULTILINE)
    assert re.search(rf"^cchc-xl check of the 5 files: in process {number} s, CLI cold {number} s$", out, re.MULTILINE)
    assert re.search(rf"^  its phases, another cold run: {phases}read\+check {number} \+ other -?{number} \+ "
                     rf"exit -?{number}$", out, re.MULTILINE)
    assert re.search(rf"^cchc-xl check of one commune's file, cold process \(median of 5\): {number} s", out,
                     re.MULTILINE)
    assert re.search(rf"^cchc-xl --help, cold process \(median of 5\): {number} s", out, re.MULTILINE)
    assert re.search(rf"^cchc-xl consolidate of the demo's 5 communes, cold process \(median of 5\): {number} s",
                     out, re.MULTILINE)
    assert re.search(rf"^CLI process wall time \(cold start\): {number} s", out, re.MULTILINE)
    assert re.search(r"^peak memory of \(a\), ru_maxrss of a child process: main \d+ MB", out, re.MULTILINE)
    assert (tmp_path / "n5" / "huyen.xlsx").is_file() and len(list((tmp_path / "n5" / "xa").glob("*.xlsx"))) == 5


def test_generated_communes_are_unique_and_some_carry_errors():
    benchmark = load_benchmark()
    rng = benchmark.random.Random(benchmark.SEED)
    base = benchmark.load_sample(benchmark.BASE_SAMPLE).values
    drawn = [benchmark.commune_values(rng, base) for _ in range(40)]
    changed = [v for v in drawn if v.keys() != base.keys() or any(isinstance(x, str) for x in v.values())
               or v.get("3.2.5") == 120 or v.get("3.4.1", 0) > v.get("3.3.1", 0)]
    assert 0 < len(changed) < len(drawn)
