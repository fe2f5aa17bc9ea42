"""Where the district workbook cannot be written: a read-only file, a folder, a file held open
(locked), a folder without write permission, a full disk, a failure half-way. Each time the user
gets a Vietnamese message naming the file and exit code 2, the inputs are not even read when the
path is plainly wrong, and the output is the previous one or none: never half a file.

Locking on Linux: nothing locks a file there, so "locked" is what Windows does to a workbook
open in Excel: `os.replace` onto it fails with PermissionError (WinError 32). The read-only file
is real on every system (its write bit is cleared; the writer refuses it even as root, as Windows
refuses a file whose Read-only attribute is set). The read-only folder is real for an ordinary
user; root ignores permissions, so there the kernel's EACCES is supplied to `mkstemp`.
"""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cchc_xl.common.files as files
import cchc_xl.district.workbook as district
import cchc_xl.read.inputs as inputs
from cchc_xl.common.files import OutputError, backup_path
from cchc_xl.commune.samples import DEMO_PERIOD, DEMO_UNIT
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.shells.cli import app


@pytest.fixture
def previous(samples, tmp_path) -> Path:
    """An output written by an earlier run, which a failed run must leave as it is."""
    output = tmp_path / "ra" / "huyen.xlsx"
    output.parent.mkdir()
    consolidate_files([samples / "hoang_chau_2023_q2.xlsx"], output, DEMO_UNIT, DEMO_PERIOD)
    return output


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """Inputs read by a run, recorded."""
    seen: list[Path] = []
    real = inputs.read_submission

    def recording(path):
        seen.append(path)
        return real(path)
    monkeypatch.setattr(inputs, "read_submission", recording)
    return seen


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~cchc-"))


def cli(samples: Path, output: Path):
    return CliRunner().invoke(app, ["consolidate", str(samples), "-o", str(output), "--unit", DEMO_UNIT,
                                    "--period", DEMO_PERIOD.key])


def test_a_read_only_output_is_refused_before_reading(samples, previous, reads):
    before = digest(previous)
    previous.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    result = cli(samples, previous)
    assert result.exit_code == 2
    assert "chế độ chỉ đọc" in " ".join(result.output.split()) and previous.name in result.output
    assert reads == [] and digest(previous) == before and not leftovers(previous.parent)


def test_a_folder_as_output_is_refused(samples, tmp_path, reads):
    folder = tmp_path / "tong_hop.xlsx"
    folder.mkdir()
    result = cli(samples, folder)
    assert result.exit_code == 2 and "đây là một thư mục" in " ".join(result.output.split())
    assert reads == [] and list(folder.iterdir()) == []


def test_a_missing_folder_is_refused(samples, tmp_path, reads):
    result = cli(samples, tmp_path / "khong_co" / "huyen.xlsx")
    assert result.exit_code == 2 and "không tồn tại" in " ".join(result.output.split())
    assert reads == []


def test_an_xlsm_output_is_refused(samples, tmp_path):
    result = cli(samples, tmp_path / "huyen.xlsm")
    assert result.exit_code == 2 and "phải có đuôi .xlsx" in " ".join(result.output.split())
    assert not (tmp_path / "huyen.xlsm").exists()


def test_a_locked_output_keeps_the_previous_one(samples, previous, monkeypatch):
    """Excel holds the file open: Windows refuses to replace it (WinError 32)."""
    before = digest(previous)

    def locked(source, target):
        if Path(target) == previous:
            raise PermissionError(errno.EACCES, "The process cannot access the file because it is being used "
                                                "by another process", str(target))
        os.rename(source, target)
    monkeypatch.setattr(files.os, "replace", locked)
    result = cli(samples, previous)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "tệp đang mở trong Excel" in message and previous.name in message
    assert digest(previous) == before and not leftovers(previous.parent)


def test_a_folder_without_write_permission(samples, tmp_path, monkeypatch):
    folder = tmp_path / "chi_doc"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.geteuid() == 0:  # root writes anyway: give the answer the kernel gives everyone else
        real = tempfile.mkstemp

        def denied(*args, dir=None, **kwargs):
            if Path(dir) == folder:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(Path(dir) / ".~cchc-x"))
            return real(*args, dir=dir, **kwargs)
        monkeypatch.setattr(files.tempfile, "mkstemp", denied)
    try:
        result = cli(samples, folder / "huyen.xlsx")
        assert result.exit_code == 2 and "không có quyền ghi" in " ".join(result.output.split())
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(stat.S_IRWXU)


def test_a_full_disk_keeps_the_previous_output(samples, previous, monkeypatch):
    """XlsxWriter wraps the system's error in its own FileCreateError; the user reads "ổ đĩa đã đầy"."""
    before = digest(previous)
    real = district.new_workbook

    def failing(path):
        workbook = real(path)

        def close():
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        workbook.filename = str(path)
        workbook.close = lambda: _wrapped(close)
        return workbook
    monkeypatch.setattr(district, "new_workbook", failing)
    with pytest.raises(OutputError, match="ổ đĩa đã đầy"):
        consolidate_files([samples], previous, DEMO_UNIT, DEMO_PERIOD)
    assert digest(previous) == before and not leftovers(previous.parent)


def _wrapped(close) -> None:
    from xlsxwriter.exceptions import FileCreateError
    try:
        close()
    except OSError as error:
        raise FileCreateError(error)


@pytest.mark.parametrize("failure", [RuntimeError("lỗi giữa chừng"), KeyboardInterrupt()])
def test_a_failure_half_way_leaves_the_previous_output(samples, previous, monkeypatch, failure):
    """The district workbook fails after its first sheets are built (or the user presses Ctrl+C)."""
    before = digest(previous)

    def broken(*args):
        raise failure
    monkeypatch.setattr(district.provenance, "write_sheets", broken)
    with pytest.raises(type(failure)):
        consolidate_files([samples], previous, DEMO_UNIT, DEMO_PERIOD)
    assert digest(previous) == before
    assert sorted(p.name for p in previous.parent.iterdir()) == [previous.name]


def test_a_failure_without_a_previous_output_leaves_nothing(samples, tmp_path, monkeypatch):
    monkeypatch.setattr(district.provenance, "write_sheets", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        consolidate_files([samples], tmp_path / "huyen.xlsx", DEMO_UNIT, DEMO_PERIOD)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_read_only_backup_is_named(samples, previous):
    shutil.copy(previous, backup_path(previous))
    backup_path(previous).chmod(stat.S_IRUSR)
    with pytest.raises(OutputError, match=backup_path(previous).name):
        consolidate_files([samples], previous, DEMO_UNIT, DEMO_PERIOD)


def test_an_output_name_too_long_for_its_backup(samples, tmp_path):
    """A 252-byte name fits, its backup (`….bak.xlsx`, 256 bytes) does not: the run says so."""
    output = tmp_path / ("tổng hợp " + "x" * (252 - len("tổng hợp .xlsx".encode())) + ".xlsx")
    consolidate_files([samples / "hoang_chau_2023_q2.xlsx"], output, DEMO_UNIT, DEMO_PERIOD)
    before = digest(output)
    with pytest.raises(OutputError, match="quá dài"):
        consolidate_files([samples], output, DEMO_UNIT, DEMO_PERIOD)
    assert digest(output) == before and sorted(p.name for p in tmp_path.iterdir()) == [output.name]
