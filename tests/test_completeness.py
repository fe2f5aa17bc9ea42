"""The `Tình hình nộp` sheet says what `cchc-xl status` says, and lists the files needing a word."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cchc_xl.commune.samples import fill_template
from cchc_xl.cycle.completeness import SHEET
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.forms.periods import Period
from cchc_xl.shells.cli import app

Q2 = Period.parse("2023-Q2")   # due before 12/06/2023
EXPECTED = ["Xã An Bình", "Xã Bình Minh", "Xã Cẩm Tú", "Xã Đông Hải"]


def _send(folder: Path, name: str, unit: str, typed: dt.date, period: Period = Q2, hours: int = 0) -> None:
    path = folder / name
    fill_template(unit, period, {"3.3.1": 5}, sent=typed).save(path)
    stamp = dt.datetime(2023, 6, 20, 8 + hours).timestamp()
    os.utime(path, (stamp, stamp))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    box = tmp_path_factory.mktemp("nhan")
    _send(box, "an_binh.xlsx", "Xã An Bình", dt.date(2023, 6, 10))
    _send(box, "an_binh_lan_2.xlsx", "Xã An Bình", dt.date(2023, 6, 14), hours=1)   # sent twice
    _send(box, "binh_minh.xlsx", "Xã Bình Minh", dt.date(2023, 6, 12))              # not before the 12th
    _send(box, "dong_hai_q1.xlsx", "Xã Đông Hải", dt.date(2023, 3, 10), Period.parse("2023-Q1"))
    _send(box, "la.xlsx", "Xã Lạ", dt.date(2023, 6, 1))
    (box / "hong.xlsx").write_bytes(b"not a workbook")
    (box / "danh_sach.txt").write_text("\n".join(EXPECTED), "utf-8")
    return box


@pytest.fixture(scope="module")
def sheet(folder, tmp_path_factory) -> list[tuple]:
    output = tmp_path_factory.mktemp("huyen") / "huyen.xlsx"
    result = consolidate_files([folder], output, "Huyện Thử", Q2, expect=folder / "danh_sach.txt")
    assert result.exit_code == 2   # the unreadable file
    return [row for row in load_workbook(output)[SHEET].iter_rows(values_only=True)]


def test_states_are_those_of_the_status_command(folder, sheet):
    command = CliRunner().invoke(app, ["status", str(folder), "--period", Q2.key,
                                       "--expect", str(folder / "danh_sach.txt"), "--json"])
    status = {u["unit"]: u["state"] for u in json.loads(command.stdout)["units"]}
    states = {row[1]: row[3] for row in sheet if row[2] == Q2.label}
    names = {"on_time": "Đúng hạn", "late": "Trễ hạn", "missing": "Chưa nộp"}
    assert states == {unit: names[state] for unit, state in status.items()}
    assert states == {"Xã An Bình": "Đúng hạn", "Xã Bình Minh": "Trễ hạn", "Xã Cẩm Tú": "Chưa nộp",
                      "Xã Đông Hải": "Chưa nộp"}


def test_one_sheet_lists_duplicates_unknown_other_periods_and_unreadable(sheet):
    text = [" | ".join(str(c) for c in row if c is not None) for row in sheet]
    def section(title: str) -> list[str]:
        start = next(i for i, line in enumerate(text) if line.startswith(title))
        rows = []
        for line in text[start + 2:]:
            if not line or not line[0].isdigit():
                break
            rows.append(line)
        return rows
    assert section("Nộp trùng") == ["1 | Xã An Bình | an_binh_lan_2.xlsx | an_binh.xlsx"]
    assert section("Không có trong danh sách") == ["1 | Xã Lạ | la.xlsx"]
    assert section("Tệp ghi kỳ khác") == ["1 | Xã Đông Hải | dong_hai_q1.xlsx | 2023-Q1"]
    assert [line.split(" | ")[1] for line in section("Không đọc được")] == ["hong.xlsx"]
    dong_hai = next(row for row in sheet if row[1] == "Xã Đông Hải")
    assert "dong_hai_q1.xlsx" in dong_hai[8]   # why it reads as missing although a file came
