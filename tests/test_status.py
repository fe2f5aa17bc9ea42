"""`cchc-xl status`: who sent the period's report, who did not, who was late."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cchc_xl.commune.samples import fill_template
from cchc_xl.commune.template import META_SHEET, REPORT_DATE_CELL
from cchc_xl.cycle.status import collect_status
from cchc_xl.forms.periods import Deadlines, Period
from cchc_xl.read.inputs import read_expected
from cchc_xl.read.units import unit_key
from cchc_xl.shells.cli import app

Q2 = Period.parse("2023-Q2")   # due before 12/06/2023 (seed 004)
EXPECTED = ["Xã An Bình", "Xã Bình Minh", "Xã Cẩm Tú", "UBND xã Đông Hải", "Xã Hoằng Phụ", "Xã Gia Lộc"]


def _send(folder: Path, name: str, unit: str, modified: dt.date, period: Period = Q2,
          typed: dt.date | None = None, with_meta: bool = True) -> Path:
    workbook = fill_template(unit, period, {"3.3.1": 5})
    if typed is not None:
        workbook.worksheets[0][REPORT_DATE_CELL] = typed
    if not with_meta:
        del workbook[META_SHEET]
    path = folder / name
    workbook.save(path)
    stamp = dt.datetime.combine(modified, dt.time(12)).timestamp()
    os.utime(path, (stamp, stamp))
    return path


@pytest.fixture(scope="module")
def sent_files(tmp_path_factory) -> Path:
    box = tmp_path_factory.mktemp("nhan")
    _send(box, "an_binh.xlsx", "Xã An Bình", dt.date(2023, 6, 20), typed=dt.date(2023, 6, 10))
    _send(box, "binh_minh.xlsx", "Xã Bình Minh", dt.date(2023, 6, 1), typed=dt.date(2023, 6, 12))
    _send(box, "dong_hai.xlsx", "xã  Đông Hải", dt.date(2023, 6, 11))
    _send(box, "Xã_Hoằng_Phụ_Q2.xlsx", "?", dt.date(2023, 6, 5), with_meta=False)
    _send(box, "gia_loc_q1.xlsx", "Xã Gia Lộc", dt.date(2023, 3, 10), period=Period.parse("2023-Q1"))
    _send(box, "la.xlsx", "Xã Lạ", dt.date(2023, 6, 1))
    (box / "~$an_binh.xlsx").write_bytes(b"lock")
    (box / "expected.txt").write_text("\n".join(["# xã phải nộp", *EXPECTED, ""]), "utf-8")
    return box


@pytest.fixture
def folder(sent_files, tmp_path) -> Path:
    """A fresh copy per test (file dates kept), so a test may add files."""
    return Path(shutil.copytree(sent_files, tmp_path / "nhan"))


def _states(report) -> dict[str, str]:
    return {u.unit: u.state for u in report.units}


def test_states(folder):
    report = collect_status(folder, Q2, read_expected(folder / "expected.txt"), Deadlines.load())
    assert report.due_before == dt.date(2023, 6, 12)
    assert _states(report) == {
        "Xã An Bình": "on_time",       # typed 10/06 wins over a file date of 20/06
        "Xã Bình Minh": "late",        # typed 12/06: not before the 12th
        "Xã Cẩm Tú": "missing",
        "UBND xã Đông Hải": "on_time",  # "xã  Đông Hải" in the file: same unit; file date 11/06
        "Xã Hoằng Phụ": "on_time",     # no identity sheet: matched by file name
        "Xã Gia Lộc": "missing",       # sent Q1's file only
    }
    sources = {u.unit: u.date_source for u in report.units}
    assert sources["Xã An Bình"] == "workbook" and sources["UBND xã Đông Hải"] == "file"
    assert [s.file for s in report.unexpected] == ["la.xlsx"]
    assert [s.file for s in report.other_period] == ["gia_loc_q1.xlsx"]
    assert report.exit_code == 1


def test_unreadable_file_gives_exit_code_2(folder):
    (folder / "hong.xlsx").write_bytes(b"not a workbook")
    report = collect_status(folder, Q2, EXPECTED, Deadlines.load())
    assert [p["file"] for p in report.unreadable] == ["hong.xlsx"]
    assert "hong.xlsx" in report.unreadable[0]["message"]
    assert report.exit_code == 2


def test_everyone_on_time_gives_exit_code_0(folder):
    report = collect_status(folder, Q2, ["Xã An Bình", "Đông Hải"], Deadlines.load())
    assert _states(report) == {"Xã An Bình": "on_time", "Đông Hải": "on_time"}
    assert report.exit_code == 0


def test_configured_deadline(folder, tmp_path):
    settings = tmp_path / "tinh.toml"
    settings.write_text('[deadlines]\nQ2 = "06-11"\n', "utf-8")
    report = collect_status(folder, Q2, ["UBND xã Đông Hải"], Deadlines.load(settings))
    assert _states(report) == {"UBND xã Đông Hải": "late"}


@pytest.mark.parametrize("a, b", [("Xã Hoằng Lưu", "UBND xã hoằng  lưu"), ("Thị trấn Cù Lao", "cù lao")])
def test_unit_names_match_loosely(a, b):
    assert unit_key(a) == unit_key(b)


def test_cli_json_and_exit_code(folder):
    result = CliRunner().invoke(app, ["status", str(folder), "--period", "2023-Q2",
                                      "--expect", str(folder / "expected.txt"), "--json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["due_before"] == "2023-06-12"
    missing = [u["unit"] for u in payload["units"] if u["state"] == "missing"]
    assert missing == ["Xã Cẩm Tú", "Xã Gia Lộc"]
    assert [u["unit"] for u in payload["units"] if u["state"] == "late"] == ["Xã Bình Minh"]


def test_cli_table_names_missing_and_late(folder):
    result = CliRunner().invoke(app, ["status", str(folder), "--period", "2023-Q2",
                                      "--expect", str(folder / "expected.txt")])
    assert result.exit_code == 1
    assert "Chưa nộp" in result.stdout and "Trễ hạn" in result.stdout


@pytest.mark.parametrize("args", [["--expect", "khong_co.txt"], ["--config", "khong_co.toml"]])
def test_cli_bad_inputs_exit_2(folder, args):
    base = ["status", str(folder), "--period", "2023-Q2", "--expect", str(folder / "expected.txt")]
    result = CliRunner().invoke(app, base + args)
    assert result.exit_code == 2
