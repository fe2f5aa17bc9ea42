"""The files a consolidation reads: which ones, their fingerprints, and reading them one by one.

Folders are scanned (not recursively) for what communes send: workbooks (.xlsx, .xlsm, .xls,
.xlsb, .ods) and Word reports (.docx) with the appendix as a table; anything else found there is
reported in one summarised message, never silently ignored. A .csv is handed to the reader too,
so it gets its own message naming it (a commune's table must not hide among thousands of
skipped photos). Excel's lock
files (`~$name.xlsx`, present while a workbook is open) are never read. Each file is read on
its own, so a file that cannot be read becomes an `Unreadable` entry with a Vietnamese message
and the others still go through. Inputs are only ever opened for reading. A province's hundreds
of files are read on every core.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from cchc_xl.common.problems import os_reason
from cchc_xl.forms.catalog import user_form_texts
from cchc_xl.forms.form_files import form_from_text
from cchc_xl.read.reader import Problem, ReadError, Submission, read_submission
from cchc_xl.read.units import UnitList, UnitListError, parse_unit_list
from cchc_xl.read.xlsx_package import MAX_UNPACKED_BYTES

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".docx")
#: Found in a folder, these are read too: the reader names the format and what to do.
OTHER_SPREADSHEET_SUFFIXES = (".csv",)
#: The kinds read, as messages list them.
ACCEPTED = ".xlsx, .xlsm, .xls, .xlsb, .ods, .docx"
LOCK_PREFIX = "~$"
#: How many skipped names a folder's message lists before saying "…".
SHOWN_SKIPPED = 5
#: From this many files on, reading is spread over the cores: below it, starting the worker
#: processes costs about what they save (2 cores: 50 files 62 ms alone, 56 ms with workers;
#: 100 files 118 / 90 ms; 1 000 files 1.25 / 0.83 s).
PARALLEL_FROM = 100
#: Files a worker reads per task: fewer round trips, and results still come back in order.
CHUNK_SIZE = 10

Progress = Callable[[int, int, str], None]
T = TypeVar("T")
#: Work done on each file as soon as it is read, where it is read (in the reading worker when
#: there are workers): a picklable function (`functools.partial` of a module-level one).
Then = Callable[["Received"], "Received"]


class InputError(ValueError):
    """The inputs as given cannot be used at all (nothing found, list file missing…)."""


@dataclass(frozen=True)
class Source:
    """Where a submission came from, as the district sheet `Nguồn` records it."""

    path: Path
    sha256: str
    modified: dt.datetime


@dataclass(frozen=True)
class Received:
    submission: Submission
    source: Source


@dataclass(frozen=True)
class Unreadable:
    path: Path
    message: str
    source: Source | None = None  # None when the file could not even be opened


def collect(inputs: Iterable[Path], exclude: Iterable[Path] = ()) -> tuple[list[Path], list[Problem]]:
    """Workbooks named directly or found in folders, in a stable order, and what was skipped;
    raises `InputError` for a name that is neither file nor folder, or when nothing is left.

    `exclude` holds our own outputs (the district workbook and its backup), which a folder
    scan must not read back as a commune.
    """
    named = list(map(Path, inputs))
    files, skipped = expand(named, exclude)
    missing = next((path for path in named if not path.is_file() and not path.is_dir()), None)
    if missing is not None:
        raise InputError(f"Không tìm thấy tệp hoặc thư mục '{missing}'.")
    if not files:
        raise InputError(f"Không tìm thấy tệp Excel hay báo cáo Word ({ACCEPTED}) nào để tổng hợp.")
    return files, skipped


def expand(inputs: Iterable[Path], exclude: Iterable[Path] = ()) -> tuple[list[Path], list[Problem]]:
    """Each folder replaced by the workbooks in it, each other name kept as given (the reader
    says what is wrong with a name that is no file), lock files skipped; no name twice."""
    excluded = {identity for p in exclude if (identity := _identity(Path(p))) is not None}
    files: list[Path] = []
    skipped: list[Problem] = []
    for item in map(Path, inputs):
        if item.is_dir():
            found, problem = _scan(item, excluded)
            files.extend(found)
            skipped.extend([problem] if problem else [])
        elif item.name.startswith(LOCK_PREFIX) and item.is_file():
            skipped.append(Problem(item.name, f"Bỏ qua '{item.name}': tệp khóa tạm của Excel (có khi tệp gốc đang "
                                              "mở), không phải phụ lục.", kind="skipped"))
        else:
            files.append(item)
    return list(dict.fromkeys(files)), skipped


def _scan(folder: Path, excluded: set[tuple[int, int]]) -> tuple[list[Path], Problem | None]:
    workbooks, others = [], []
    read = WORKBOOK_SUFFIXES + OTHER_SPREADSHEET_SUFFIXES
    for entry in sorted(os.scandir(folder), key=lambda e: e.name.casefold()):
        if entry.name.startswith(LOCK_PREFIX):
            continue
        try:
            status = entry.stat()  # through a link, as reading the file will go
        except OSError:  # a link to nothing
            others.append(entry.name)
            continue
        if (status.st_dev, status.st_ino) in excluded:
            continue
        if stat.S_ISREG(status.st_mode) and os.path.splitext(entry.name)[1].lower() in read:
            workbooks.append(folder / entry.name)
        else:
            others.append(entry.name)
    if not others:
        return workbooks, None
    shown = ", ".join(others[:SHOWN_SKIPPED]) + (", …" if len(others) > SHOWN_SKIPPED else "")
    message = (f"Thư mục '{folder}': bỏ qua {len(others)} mục không phải tệp Excel hay báo cáo Word "
               f"({ACCEPTED}): {shown}")
    return workbooks, Problem(str(folder), message, kind="skipped")


def _identity(path: Path) -> tuple[int, int] | None:
    """The file a path names, as the system knows it (device, inode): a folder's entry is our
    own output whichever name, link or path reaches it. None for a path naming no file yet.

    Each entry costs one `stat` instead of resolving its path, a walk of the whole folder path:
    collecting a folder of a thousand files takes 7.5 ms instead of 25."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _streamed_fingerprint(path: Path) -> Source:
    """The file's fingerprint, hashed as a stream (a file too big to hold is never held)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return Source(path=path, sha256=digest.hexdigest(), modified=dt.datetime.fromtimestamp(path.stat().st_mtime))


def fingerprinted(path: Path) -> tuple[bytes | None, Source]:
    """The file's bytes and its fingerprint from one read of the disk; a file too big to be an
    appendix is only fingerprinted (None: the reader refuses it by its size). Raises `OSError`."""
    status = path.stat()
    if status.st_size > MAX_UNPACKED_BYTES:
        return None, _streamed_fingerprint(path)
    data = path.read_bytes()
    return data, Source(path=path, sha256=hashlib.sha256(data).hexdigest(),
                        modified=dt.datetime.fromtimestamp(status.st_mtime))


def read_all(files: Sequence[Path], progress: Progress | None = None,
             then: Then | None = None) -> tuple[list[Received], list[Unreadable]]:
    """Read every file, in order; `progress(done, total, file name)` is called after each one.

    From `PARALLEL_FROM` files on, the files are read by worker processes, one per core; the
    results come back in the files' order, so the outcome is the same as reading them here.
    `then` is applied to each file read, in the process that read it: the consolidation places
    and checks each commune there, on every core, instead of after all the reading.
    """
    outcomes = each_file(partial(_read_one, then=then), files)
    received: list[Received] = []
    unreadable: list[Unreadable] = []
    for done, (path, outcome) in enumerate(zip(files, outcomes), start=1):
        if isinstance(outcome, Received):
            _know_form(outcome)
            received.append(outcome)
        else:
            unreadable.append(outcome)
        if progress is not None:
            progress(done, len(files), path.name)
    return received, unreadable


def _know_form(received: Received) -> None:
    """A file read by a worker may carry a form from a file: this process must know it too."""
    text = received.submission.form_text
    if text is not None:
        form_from_text(text, f"Tệp '{received.source.path.name}'")


def _know_forms(texts: list[str]) -> None:
    """A spawned worker starts knowing no form read from a file: the ones this process knows
    (the district form, an earlier form mapped onto the current one) are registered first."""
    for text in texts:
        form_from_text(text, "Biểu mẫu đã đọc")


def _read_one(path: Path, then: Then | None = None) -> Received | Unreadable:
    try:
        data, source = fingerprinted(path)
    except OSError as error:
        return Unreadable(path, f"Không đọc được tệp '{path.name}': {os_reason(error)}.")
    try:
        received = Received(read_submission(path, data), source)
    except ReadError as error:
        return Unreadable(path, str(error), source)
    return then(received) if then is not None else received


def each_file(job: Callable[[Path], T], files: Sequence[Path]) -> Iterator[T]:
    """`job` of each file, yielded in the files' order as they are done: here, or from
    `PARALLEL_FROM` files on by worker processes, one per core (`job` must then be picklable:
    a module-level function or a `functools.partial` of one)."""
    workers = _worker_count(len(files))
    return _in_workers(job, files, workers) if workers > 1 else map(job, files)


def _worker_count(files: int) -> int:
    """Worker processes worth starting for this many files (1: read them in this process)."""
    if files < PARALLEL_FROM:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, files // CHUNK_SIZE))


def _in_workers(job: Callable[[Path], T], files: Sequence[Path], workers: int) -> Iterator[T]:
    """Each worker does chunks of consecutive files; results are yielded in the files' order.

    Workers are forks where the system has them (Linux): they start in milliseconds with the
    catalogs already loaded and need no `if __name__ == "__main__"` guard in the calling script;
    they only read files and hand back plain data. Elsewhere (Windows) they are spawned.
    Multiprocessing is imported here, when a run is big enough to use it: a district's thirty
    files and a `check` of one never pay for it (20 ms of imports, as `-X importtime` counts).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_know_forms, initargs=(user_form_texts(),))
    try:
        yield from pool.map(job, files, chunksize=CHUNK_SIZE)
    finally:
        pool.shutdown(cancel_futures=True)


def read_expected(path: Path) -> UnitList:
    """The list of communes expected to report (`units.parse_unit_list`)."""
    try:
        return parse_unit_list(Path(path).read_text("utf-8-sig"), Path(path).name)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"Không đọc được danh sách xã '{path}': {error}.") from error
    except UnitListError as error:
        raise InputError(str(error)) from error


@dataclass(frozen=True)
class Sent:
    """One workbook received, as far as completeness and timeliness are concerned."""

    file: str
    unit: str | None
    period: str | None
    date: dt.date
    date_source: str  # "workbook" (typed report date) or "file" (modification date)


def sent_record(received: Received) -> Sent:
    """What status needs of a file read: its unit, period and date (typed, else modified)."""
    submission = received.submission
    typed = submission.report_date
    return Sent(received.source.path.name, submission.unit,
                submission.period.key if submission.period else None,
                typed or received.source.modified.date(), "workbook" if typed else "file")
