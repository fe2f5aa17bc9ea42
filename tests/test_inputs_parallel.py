"""Reading on several cores gives exactly what reading one file after the other gives."""
from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

import pytest

from cchc_xl.commune.samples import write_samples
from cchc_xl.district.placing import Checked, checked
from cchc_xl.forms.periods import Period
from cchc_xl.read import inputs


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The samples three times over, with an unreadable file and a vanished one among them."""
    samples = tmp_path_factory.mktemp("samples")
    written = write_samples(samples)
    folder = tmp_path_factory.mktemp("many")
    for copy in range(3):
        for path in written:
            shutil.copy(path, folder / f"{copy}_{path.name}")
    (folder / "1_hong.xlsx").write_text("không phải Excel", "utf-8")
    return folder


def read(files: list[Path], workers: int, monkeypatch, then=None) -> tuple[tuple, list[tuple[int, int, str]]]:
    monkeypatch.setattr(inputs, "_worker_count", lambda n: workers)
    monkeypatch.setattr(inputs, "CHUNK_SIZE", 2)
    calls: list[tuple[int, int, str]] = []
    result = inputs.read_all(files, lambda done, total, name: calls.append((done, total, name)), then)
    return result, calls


def test_workers_read_the_same_submissions_in_the_same_order(folder, monkeypatch):
    files = sorted(folder.glob("*.xlsx")) + [folder / "da_xoa.xlsx"]
    serial, serial_calls = read(files, 1, monkeypatch)
    parallel, parallel_calls = read(files, 2, monkeypatch)
    assert parallel == serial
    received, unreadable = parallel
    assert [u.path.name for u in unreadable] == ["1_hong.xlsx", "da_xoa.xlsx"]
    assert [r.source.path for r in received] == [p for p in files if p.name not in ("1_hong.xlsx", "da_xoa.xlsx")]
    assert parallel_calls == serial_calls == [(i, len(files), p.name) for i, p in enumerate(files, start=1)]


def test_workers_place_and_check_as_this_process_does(folder, monkeypatch):
    files = sorted(folder.glob("*.xlsx"))
    then = partial(checked, form="xa_2023", period=Period(2023, "Q2"))
    (serial, _), _ = read(files, 1, monkeypatch, then)
    (parallel, _), _ = read(files, 2, monkeypatch, then)
    assert parallel == serial
    assert all(isinstance(item, Checked) for item in parallel)
    assert sum(len(item.findings) for item in parallel) > 0  # the samples carry the seeds' errors


def test_workers_start_at_the_threshold_one_per_core(monkeypatch):
    monkeypatch.setattr(inputs.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert inputs._worker_count(inputs.PARALLEL_FROM - 1) == 1
    assert inputs._worker_count(inputs.PARALLEL_FROM) == 2
    assert inputs._worker_count(100_000) == 2
