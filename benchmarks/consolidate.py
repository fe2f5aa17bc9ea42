"""How fast a district (or a province) is consolidated, against what a user would script instead.

    python benchmarks/consolidate.py --n 1000        # also --n 30, --n 300; default: 30 300 1000

Generates N filled commune templates (`samples.fill_template`: the consistent Hoằng Châu sample
with seeded random counts and codes, about one file in five carrying an error: a number typed
as text, a word in a number cell, a blank, a part above its total, a rate above 100), then
times side by side, on the same files:

  (a) `run.consolidate_files`, the function `cchc-xl consolidate` calls: read, match,
      parse, check and write the district workbook (warm: catalogs already loaded), in a
      process of its own that, like the command, never loads pandas (`WarmProcess`);
  (b) the naive script: `pandas.read_excel` per file (openpyxl engine), concat, sum;
  (c) the same with `engine="calamine"`;
  (d) the read floor: python-calamine reading the same sheet's cells.

It also times the phases of (a), in the benchmark's own process (the functions
`consolidate_files` calls, timed while it runs: the folder scan; reading, in which each commune
is placed and checked where it is read; the assembly of the columns; writing the workbook) and
runs the CLI in cold processes: as a user does, for its wall time beside (b) (the best of
`--repeat` runs, as for every method), and once more through `phases.py`, which times the same
phases inside the process plus the interpreter's start, the imports, the rest (`other`) and the
process ending. `cchc-xl check` of the same N files is timed likewise, and in process (in the
warm process of (a)). Every method runs once per round, the methods in turn, for `--repeat`
rounds, and each keeps its best run: a ratio compares runs made at the same time, not a minute
apart on a machine whose speed drifts. It measures the peak memory of (a) in a
child process with `resource.getrusage` (`ru_maxrss`: RUSAGE_SELF of the child, plus
RUSAGE_CHILDREN for the largest of its reading workers, if any) and, for N ≤ 30, the time
LibreOffice takes to recalculate the district workbook (and, for comparison, an empty workbook:
its start-up).

Before the table it times the command itself as a user starts it, each the median of five cold
processes: `cchc-xl --help` (interpreter and the command's imports), `cchc-xl consolidate` of
the demo's five sample communes (with its district form and list of communes, as `cchc-xl demo`
runs it) and `cchc-xl check` of one sample commune. Targets: below 0.35 s, 0.6 s and 0.3 s.
Nothing here is a test; `tests/test_benchmark_smoke.py` only checks that the table is printed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

REPO = Path(__file__).resolve().parents[1]
PHASES_SCRIPT = Path(__file__).resolve().parent / "phases.py"
sys.path[:0] = [str(REPO), str(PHASES_SCRIPT.parent)]

import pandas as pd  # noqa: E402
from phases import CHECK, CONSOLIDATE, timed  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402
from xlsxwriter import Workbook  # noqa: E402

from cchc_xl.common.libreoffice import LibreOfficeMissing, recalculate, soffice  # noqa: E402
from cchc_xl.commune.samples import (  # noqa: E402
    DEMO_FORM,
    DEMO_PERIOD,
    DEMO_UNIT,
    EXPECTED_FILE,
    fill_template,
    load_sample,
    write_samples,
)
from cchc_xl.commune.template import HEADER_ROW  # noqa: E402
from cchc_xl.cycle.run import consolidate_files  # noqa: E402
from cchc_xl.forms.catalog import load_form  # noqa: E402
from cchc_xl.forms.periods import Period  # noqa: E402

DEFAULT_SIZES = (30, 300, 1000)
UNIT = "Huyện Thử Nghiệm"
BASE_SAMPLE = "hoang_chau_2023_q2"  # consistent: no rule fires before errors are injected
ERROR_SHARE = 0.2
LIBREOFFICE_UP_TO = 30
SEED = 6

FORM = load_form("xa_2023")
SHEET = FORM.sheet
METHODS = ("(a) cchc-xl consolidate", "(b) pandas openpyxl", "(c) pandas calamine", "(d) calamine read")
#: Timed in the same rounds as the methods (`best_seconds`): the command, cold, and `check`.
CLI, CHECK_IN_PROCESS, CHECK_CLI = "cchc-xl consolidate, cold", "check in process", "cchc-xl check, cold"


# ---- the commune workbooks ----------------------------------------------------------------

def commune_values(rng: random.Random, base: dict[str, object]) -> dict[str, object]:
    """The sample's values with counts scaled by one integer factor (sums stay consistent),
    coded answers drawn from their choices, and now and then one error typed in."""
    factor = rng.randint(1, 5)
    values = {}
    for code, value in base.items():
        row = FORM.row(code)
        if row.kind == "count":
            values[code] = value * factor
        elif row.kind == "code":
            values[code] = rng.choice(sorted(row.choices))
        else:
            values[code] = value
    if rng.random() < ERROR_SHARE:
        _inject_error(rng, values)
    return values


def _inject_error(rng: random.Random, values: dict[str, object]) -> None:
    kind = rng.choice(("number_text", "word", "blank", "part_over_total", "rate_over_100"))
    if kind == "number_text":
        values["3.3.1"] = f"{values['3.3.1']:,}".replace(",", ".") + ",0"   # "1.690,0"
    elif kind == "word":
        values["2.3"] = "không có"
    elif kind == "blank":
        del values["1.3.2"]
    elif kind == "part_over_total":
        values["3.4.1"] = values["3.3.1"] + 7
    else:
        values["3.2.5"] = 120


def _write_commune(job: tuple[Path, str, dict[str, object]]) -> None:
    path, unit, values = job
    sample = load_sample(BASE_SAMPLE)
    fill_template(unit, sample.period, values, sample.notes).save(path)


def make_communes(folder: Path, n: int) -> list[Path]:
    """N workbooks `xa_0000.xlsx`…, each for a differently named commune (made on every core)."""
    folder.mkdir(parents=True, exist_ok=True)
    sample = load_sample(BASE_SAMPLE)
    rng = random.Random(SEED)
    jobs = [(folder / f"xa_{i:04d}.xlsx", f"Xã Thử Nghiệm {i}", commune_values(rng, sample.values))
            for i in range(n)]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_commune, jobs, chunksize=16))
    return [path for path, _, _ in jobs]


def subset(paths: Sequence[Path], n: int, folder: Path) -> Path:
    """A folder holding the first N workbooks (hard links: nothing is copied)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in paths[:n]:
        os.link(path, folder / path.name)
    return folder


# ---- the four ways ------------------------------------------------------------------------

def run_consolidate(folder: Path, output: Path, period: Period) -> None:
    consolidate_files([folder], output, UNIT, period)


def naive_pandas(paths: Sequence[Path], engine: str) -> pd.Series:
    """What a user would script: each file's value column by STT, side by side, summed."""
    columns = []
    for path in paths:
        frame = pd.read_excel(path, sheet_name=SHEET, header=HEADER_ROW - 1, engine=engine)
        columns.append(pd.Series(frame["Số liệu"].values, index=frame["STT"].astype(str), name=path.stem))
    table = pd.concat(columns, axis=1)
    return table.apply(pd.to_numeric, errors="coerce").sum(axis=1)


def calamine_floor(paths: Sequence[Path]) -> int:
    """python-calamine reading the appendix sheet's cells, nothing more."""
    cells = 0
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        cells += len(book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False))
        book.close()
    return cells


def best_seconds(actions: Mapping[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Each action's best of `repeat` runs (the least disturbed by the rest of the machine),
    the actions taken in turn, round after round: a machine that slows down for a minute (this
    kind of shared machine does: the same thousand files read in 1.8 s, then in 2.6 s) slows
    one round of every method, so a ratio compares runs made at the same time."""
    best = dict.fromkeys(actions, float("inf"))
    for _ in range(repeat):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


# ---- process-level figures ----------------------------------------------------------------

_WARM_CHILD = """
import sys, time
from pathlib import Path
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.district.review import review_files
from cchc_xl.forms.periods import Period
folder, output, unit, period = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Period.parse(sys.argv[4])
files = sorted(folder.glob("*.xlsx"))
jobs = {"consolidate": lambda: consolidate_files([folder], output, unit, period), "check": lambda: review_files(files)}
for line in sys.stdin:
    jobs[line.strip()]()
    print("done", flush=True)
"""


class WarmProcess:
    """A process that runs (a) and `check` in process when asked, warm (each once at its start).

    The benchmark's own process has pandas and openpyxl loaded and has run them for (b) and (c);
    no process of the command ever does, and (a) ran slower there: best of three at N = 1000,
    2.92 and 3.41 s against 2.76 and 3.13 s in a process that had not, two pairs of runs in turn."""

    JOBS = ("consolidate", "check")

    def __init__(self, folder: Path, output: Path, period: Period) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", _WARM_CHILD, str(folder), str(output), UNIT, period.key],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_env(), cwd=REPO)
        for job in self.JOBS:
            self.run(job)

    def run(self, job: str) -> None:
        """`job` done once in the warm process (the caller times it)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(job + "\n")
        self.process.stdin.flush()
        if self.process.stdout.readline() != "done\n":
            raise RuntimeError(f"the warm process failed running {job} (exit code {self.process.wait()})")

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


_PEAK_CHILD = """
import json, resource, sys, time
from pathlib import Path
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.forms.periods import Period
start = time.perf_counter()
consolidate_files([Path(sys.argv[1])], Path(sys.argv[2]), sys.argv[3], Period.parse(sys.argv[4]))
wall = time.perf_counter() - start
print(json.dumps({"main_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "wall": wall}))
"""


@dataclass(frozen=True)
class Peak:
    main_mb: float
    worker_mb: float  # the largest reading worker (0 when the run used none)


def peak_memory(folder: Path, output: Path, period: Period) -> Peak:
    """Peak resident memory of a fresh process running (a), and of its largest worker."""
    done = subprocess.run([sys.executable, "-c", _PEAK_CHILD, str(folder), str(output), UNIT, period.key],
                          check=True, capture_output=True, text=True, env=_env(), cwd=REPO)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Peak(figures["main_kb"] / 1024, figures["worker_kb"] / 1024)


def consolidate_arguments(folder: Path, output: Path, period: Period) -> list[str]:
    return ["consolidate", str(folder), "-o", str(output), "--unit", UNIT, "--period", period.key]


def cli_seconds(arguments: Sequence[str]) -> float:
    """Wall time of `python -m cchc_xl ARGUMENTS` as a user runs it (interpreter start included)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "cchc_xl", *arguments], capture_output=True, env=_env(), cwd=REPO)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: flags found, as the injected errors mean
        raise RuntimeError(f"cchc-xl {arguments[0]} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return elapsed


def cli_phases(arguments: Sequence[str], phases: Sequence[tuple[str, str]], work: Path) -> dict[str, float]:
    """Seconds of a cold command run, by phase: the interpreter starting, the imports, each
    phase, the rest of the command (`other`: the summary printed, the smaller steps) and the
    process ending (`exit`), timed inside the process by `phases.py`."""
    out = work / "phases.json"
    command = [sys.executable, str(PHASES_SCRIPT), str(out), *(f"{n}={w}" for n, w in phases), "--", *arguments]
    start_wall, start = time.time(), time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=_env(), cwd=REPO)
    total = time.perf_counter() - start
    figures = json.loads(out.read_text("utf-8"))
    if figures["code"] not in (0, 1):
        raise RuntimeError(f"cchc-xl {arguments[0]} failed ({figures['code']})")
    timed_phases = figures["phases"]
    result = {"interpreter": figures["started"] - start_wall, "imports": figures["imports"], **timed_phases,
              "other": figures["command"] - sum(timed_phases.values())}
    result["exit"] = total - sum(result.values())
    return {"total": total, **result}


COMMAND_RUNS = 5


def command_seconds(arguments: Sequence[str]) -> float:
    """Median wall time of `python -m cchc_xl ARGUMENTS` in a fresh process (what `cchc-xl` runs)."""
    cli_seconds(arguments)  # not counted: it leaves the bytecode compiled
    timings = sorted(cli_seconds(arguments) for _ in range(COMMAND_RUNS))
    return timings[len(timings) // 2]


def print_command_times(work: Path) -> None:
    """The command's own start-up, the demo's consolidation of five communes and the check of
    one of them, as a user waits."""
    folder = work / "demo" / "xa"
    written = write_samples(folder)
    demo = ["consolidate", str(folder), "-o", str(work / "demo" / "huyen.xlsx"), "--unit", DEMO_UNIT,
            "--period", DEMO_PERIOD.key, "--expect", str(folder / EXPECTED_FILE), "--form", DEMO_FORM]
    one = next(path for path in written if path.suffix == ".xlsx")
    print(f"cchc-xl --help, cold process (median of {COMMAND_RUNS}): {command_seconds(['--help']):.2f} s (target < 0.35 s)")
    print(f"cchc-xl consolidate of the demo's 5 communes, cold process (median of {COMMAND_RUNS}): "
          f"{command_seconds(demo):.2f} s (target < 0.6 s)")
    print(f"cchc-xl check of one commune's file, cold process (median of {COMMAND_RUNS}): "
          f"{command_seconds(['check', str(one)]):.2f} s (target ≤ 0.3 s)")


#: Where the child processes keep the package's compiled bytecode, outside the checkout.
PYCACHE = Path(tempfile.gettempdir()) / "cchc-bench-pycache"


def _env() -> dict[str, str]:
    """The checkout first on the path, its bytecode cached as an installed package has it
    (`pip install` compiles it; PYTHONDONTWRITEBYTECODE would make every process compile the
    sources again and time the compiler instead of the command)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(PYCACHE),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def libreoffice_seconds(district: Path, work: Path) -> tuple[float, float]:
    """LibreOffice recalculating the district workbook, and the same for an empty workbook."""
    empty = work / "empty.xlsx"
    book = Workbook(str(empty))
    book.add_worksheet().write_number(0, 0, 1)
    book.close()
    timings = []
    for path in (district, empty):
        start = time.perf_counter()
        recalculate([path], work / "recalculated")
        timings.append(time.perf_counter() - start)
    return timings[0], timings[1]


# ---- the table ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Result:
    n: int
    ms: dict[str, float]  # method -> ms per file
    phases: dict[str, float]  # phase of (a) -> ms per file
    cli: dict[str, float]  # the command, cold: "total" and its phases, seconds
    check_s: float  # `review_files` of the N files, in process (what `cchc-xl check` calls)
    check_cli: dict[str, float]  # `cchc-xl check` of the N files, cold
    peak: Peak
    libreoffice: tuple[float, float] | None


def measure(paths: Sequence[Path], n: int, work: Path, repeat: int, with_libreoffice: bool) -> Result:
    folder = subset(paths, n, work / f"n{n}" / "xa")
    files = sorted(folder.glob("*.xlsx"))
    output = work / f"n{n}" / "huyen.xlsx"
    period = load_sample(BASE_SAMPLE).period
    arguments = consolidate_arguments(folder, work / f"n{n}" / "huyen_cli.xlsx", period)
    check = ["check", *map(str, files)]
    warm = WarmProcess(folder, output, period)
    try:
        best = best_seconds({
            METHODS[0]: lambda: warm.run("consolidate"),
            METHODS[1]: lambda: naive_pandas(files, "openpyxl"),
            METHODS[2]: lambda: naive_pandas(files, "calamine"),
            METHODS[3]: lambda: calamine_floor(files),
            CLI: lambda: cli_seconds(arguments),
            CHECK_IN_PROCESS: lambda: warm.run("check"),
            CHECK_CLI: lambda: cli_seconds(check),
        }, repeat)
    finally:
        warm.close()
    ms = {name: best[name] / n * 1000 for name in METHODS}
    with timed(CONSOLIDATE) as spent:
        start = time.perf_counter()
        run_consolidate(folder, output, period)
        spent["other"] = time.perf_counter() - start - sum(spent.values())
    phases = {name: value / n * 1000 for name, value in spent.items()}
    cli = {"command": best[CLI], **cli_phases(arguments, CONSOLIDATE, work / f"n{n}")}
    check_s = best[CHECK_IN_PROCESS]
    check_cli = {"command": best[CHECK_CLI], **cli_phases(check, CHECK, work / f"n{n}")}
    peak = peak_memory(folder, work / f"n{n}" / "huyen_peak.xlsx", period)
    office = libreoffice_seconds(output, work / f"n{n}") if with_libreoffice and n <= LIBREOFFICE_UP_TO else None
    return Result(n, ms, phases, cli, check_s, check_cli, peak, office)


def print_result(result: Result, workers: int) -> None:
    a = result.ms[METHODS[0]]
    print(f"\nN = {result.n} communes ({os.cpu_count()} cores)")
    print(f"{'method':<28} {'ms/file':>9} {'total s':>9}")
    for name, ms in result.ms.items():
        print(f"{name:<28} {ms:>9.2f} {ms * result.n / 1000:>9.2f}")
    ratios = "  ".join(f"a/{m[1]} = {a / result.ms[m]:.2f}" for m in METHODS[1:])
    print(f"ratios: {ratios}")
    print("phases of (a), ms/file: " + "  ".join(f"{name} {ms:.2f}" for name, ms in result.phases.items()))
    naive = result.ms[METHODS[1]] * result.n / 1000
    print(f"CLI process wall time (cold start): {result.cli['command']:.2f} s "
          f"({result.cli['command'] / result.n * 1000:.2f} ms/file; the naive script (b) / CLI = "
          f"{naive / result.cli['command']:.1f})")
    print(f"  its phases, another cold run: {_phases(result.cli)}")
    print(f"cchc-xl check of the {result.n} files: in process {result.check_s:.2f} s, CLI cold "
          f"{result.check_cli['command']:.2f} s")
    print(f"  its phases, another cold run: {_phases(result.check_cli)}")
    peak = result.peak
    if peak.worker_mb:
        together = peak.main_mb + workers * peak.worker_mb
        worker = (f" + reading workers ≤ {peak.worker_mb:.0f} MB each (up to {workers}): "
                  f"≤ {together:.0f} MB together")
    else:
        worker = " (no worker processes)"
    print(f"peak memory of (a), ru_maxrss of a child process: main {peak.main_mb:.0f} MB{worker}")
    if result.libreoffice is not None:
        district, empty = result.libreoffice
        print(f"LibreOffice recalculation of the district workbook: {district:.2f} s "
              f"(an empty workbook: {empty:.2f} s)")


def _phases(figures: dict[str, float]) -> str:
    shown = [f"{name} {value:.2f}" for name, value in figures.items() if name not in ("command", "total")]
    return f"{figures['total']:.2f} s = " + " + ".join(shown)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=list(DEFAULT_SIZES), help="commune counts")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds: each method, the command's cold runs included, runs once a round; "
                             "its best run is kept")
    parser.add_argument("--no-libreoffice", action="store_true", help="skip the LibreOffice recalculation")
    parser.add_argument("--workdir", type=Path, help="keep the generated files here (default: a temporary folder)")
    args = parser.parse_args(argv)
    with_libreoffice = not args.no_libreoffice and _has_libreoffice()
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as temp:
        work = args.workdir or Path(temp)
        start = time.perf_counter()
        paths = make_communes(work / "all", max(args.n))
        print(f"generated {len(paths)} commune workbooks in {time.perf_counter() - start:.1f} s")
        print_command_times(work)
        warm = work / "warm"
        run_consolidate(subset(paths, 2, warm / "xa"), warm / "huyen.xlsx", load_sample(BASE_SAMPLE).period)
        naive_pandas(paths[:1], "openpyxl")
        naive_pandas(paths[:1], "calamine")
        for n in sorted(set(args.n)):
            print_result(measure(paths, n, work, args.repeat, with_libreoffice), os.cpu_count() or 1)
    return 0


def _has_libreoffice() -> bool:
    try:
        soffice()
    except LibreOfficeMissing:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
