"""Where a run of the command spends its time: the phases, timed inside a cold process.

    python benchmarks/phases.py OUT.json PHASE=module:function ... -- consolidate FOLDER -o …

Run as a script, it starts as `cchc-xl` does (a fresh interpreter), imports the command and the
modules of the named phases, wraps each named function to add up the seconds spent in it, runs
the command with the arguments after `--`, and writes to OUT.json when it started (wall clock,
for the parent to tell the interpreter's start-up), how long the imports took, each phase, and
when the command returned. Only the standard library is imported before the command, so the
imports measured are the command's own. `benchmarks/consolidate.py` uses the same wrapping in
process (`timed`).
"""
from __future__ import annotations

import time

STARTED = time.time()  # first: the parent subtracts its own clock from this
CLOCK_AT_START = time.perf_counter()

import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from functools import wraps  # noqa: E402
from typing import Callable, Iterator, Sequence  # noqa: E402

#: The phases of `cchc-xl consolidate`: the functions `cycle.run.consolidate_files` calls. Each
#: commune is placed and checked in the process that reads it, so reading includes both.
CONSOLIDATE = (("scan", "cchc_xl.read.inputs:collect"), ("read+place+check", "cchc_xl.read.inputs:read_all"),
               ("assemble", "cchc_xl.district.consolidate:assemble"), ("write", "cchc_xl.cycle.run:write_district"))
#: The phase of `cchc-xl check`: reading and checking each file (the rest is printing).
CHECK = (("read+check", "cchc_xl.district.review:review_files"),)


@contextmanager
def timed(phases: Sequence[tuple[str, str]]) -> Iterator[dict[str, float]]:
    """Seconds spent in each phase's function while the block runs (wrapped, then restored)."""
    spent = {name: 0.0 for name, _ in phases}
    originals = []
    for name, where in phases:
        module_name, function_name = where.split(":")
        module = importlib.import_module(module_name)
        original = getattr(module, function_name)
        originals.append((module, function_name, original))
        setattr(module, function_name, _adding(spent, name, original))
    try:
        yield spent
    finally:
        for module, function_name, original in originals:
            setattr(module, function_name, original)


def _adding(spent: dict[str, float], name: str, function: Callable[..., object]) -> Callable[..., object]:
    @wraps(function)
    def run(*args: object, **kwargs: object) -> object:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start
    return run


def main(argv: Sequence[str]) -> int:
    out, *rest = argv
    split = rest.index("--")
    phases = [tuple(item.split("=", 1)) for item in rest[:split]]
    from cchc_xl.shells import cli
    for _, where in phases:
        importlib.import_module(where.split(":")[0])
    imported = time.perf_counter()
    with timed(phases) as spent:
        sys.argv = ["cchc-xl", *rest[split + 1:]]
        try:
            cli.main()
        except SystemExit as done:
            code = done.code
        else:
            code = 0
    finished = time.perf_counter()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"started": STARTED, "imports": imported - CLOCK_AT_START, "phases": spent,
                   "command": finished - imported, "code": code}, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
