"""A province consolidating its communes directly (the 2025 reform): its sheets speak of
"Toàn tỉnh" and "xã, phường", and an expected list naming the merged communes matches the
files still named by the former communes, and says so."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cchc_xl.commune.samples import DEMO_PERIOD, write_samples
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.cycle.status import collect_status
from cchc_xl.district.layout import HEADER_ROW
from cchc_xl.district.unit_level import unit_level
from cchc_xl.forms.periods import Deadlines
from cchc_xl.read.inputs import InputError, read_expected
from cchc_xl.read.units import read_unit_names
from cchc_xl.shells.cli import app

#: Hoằng Châu and Hoằng Thanh merged into Hoằng Tân; the others keep their names.
MERGED = "Xã Hoằng Lưu\nXã Hoằng Tân = Xã Hoằng Châu, Xã Hoằng Thanh  # sáp nhập 2025\nXã Hoằng Phú\nXã Hoằng Đạo\n"


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("xa")
    write_samples(folder)
    return folder


@pytest.fixture
def merged_list(tmp_path) -> Path:
    path = tmp_path / "danh_sach_2025.txt"
    path.write_text(MERGED, "utf-8")
    return path


@pytest.mark.parametrize("unit, kind, members", [
    ("Tỉnh Thanh Hóa", "tỉnh", "xã, phường"),
    ("Sở Nội vụ tỉnh Hà Tĩnh", "tỉnh", "xã, phường"),
    ("UBND tỉnh Sóc Trăng", "tỉnh", "xã, phường"),
    ("Thành phố Cần Thơ", "thành phố", "xã, phường"),
    ("TP. Huế", "thành phố", "xã, phường"),
    ("Thị xã Nghi Sơn", "thị xã", "xã, phường"),
    ("Quận 1", "quận", "phường"),
    ("Huyện Hoằng Hóa", "huyện", "xã"),
    ("UBND huyện Cù Lao Dung", "huyện", "xã"),
    ("Hoằng Hóa", "huyện", "xã"),  # no kind in the name: a district, as before
])
def test_the_unit_kind_is_told_from_its_name(unit, kind, members):
    level = unit_level(unit)
    assert (level.kind, level.members, level.whole) == (kind, members, f"Toàn {kind}")


def _header(output: Path) -> list[str]:
    sheet = load_workbook(output, read_only=True)["Tổng hợp"]
    row = next(sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 1, values_only=True))
    return [v for v in row if v is not None]


def test_a_province_sheet_speaks_of_the_province(samples, tmp_path):
    result = consolidate_files([samples], tmp_path / "tinh.xlsx", "Tỉnh Thanh Hóa", DEMO_PERIOD)
    header = _header(result.output)
    assert header[-2:] == ["Toàn tỉnh\nTỉnh Thanh Hóa\n(tổng các xã, phường)", "Số xã, phường báo cáo"]
    assert result.summary_lines()[0].startswith("Đã tổng hợp 5 xã, phường vào")


def test_a_district_sheet_keeps_its_words(samples, tmp_path):
    result = consolidate_files([samples], tmp_path / "huyen.xlsx", "Huyện Hoằng Hóa", DEMO_PERIOD)
    assert _header(result.output)[-2:] == ["Toàn huyện\nHuyện Hoằng Hóa\n(tổng các xã)", "Số xã báo cáo"]


def test_files_of_former_communes_count_for_the_merged_one_and_are_reported(samples, merged_list, tmp_path):
    result = consolidate_files([samples], tmp_path / "tinh.xlsx", "Tỉnh Thanh Hóa", DEMO_PERIOD, expect=merged_list)
    c = result.consolidation
    assert [m.name for m in c.communes] == ["Xã Hoằng Lưu", "Xã Hoằng Tân", "Xã Hoằng Phú", "Xã Hoằng Đạo"]
    assert (c.missing, c.unknown) == ((), ())
    renamed = sorted(p.file for p in c.problems if p.kind == "renamed")
    assert renamed == ["hoang_chau_2023_q2.xlsx", "hoang_thanh_2023_q2.xlsx"]
    assert any("mang tên đơn vị cũ Xã Hoằng Châu, nay là Xã Hoằng Tân" in p.message for p in c.problems)
    # two former communes' files are one commune's: one counted, the other reported, never lost
    [duplicate] = c.duplicates
    assert duplicate.name == "Xã Hoằng Tân"
    assert {duplicate.kept.source.path.name, duplicate.dropped.source.path.name} == set(renamed)
    assert "Xã Hoằng Tân" in _header(result.output)
    assert any(line.startswith("Tên cũ: Tệp 'hoang_chau_2023_q2.xlsx'") for line in result.summary_lines())


def test_status_matches_the_former_names(samples, merged_list):
    report = collect_status(samples, DEMO_PERIOD, read_expected(merged_list), Deadlines.load(None))
    states = {u.unit: (u.state, sorted(u.files)) for u in report.units}
    assert states["Xã Hoằng Tân"][0] != "missing"
    assert states["Xã Hoằng Tân"][1] == ["hoang_chau_2023_q2.xlsx", "hoang_thanh_2023_q2.xlsx"]
    assert set(states) == {"Xã Hoằng Lưu", "Xã Hoằng Tân", "Xã Hoằng Phú", "Xã Hoằng Đạo"}
    assert not report.unexpected


def test_templates_are_made_for_the_current_names(merged_list, tmp_path):
    assert read_unit_names(merged_list) == ["Xã Hoằng Lưu", "Xã Hoằng Tân", "Xã Hoằng Phú", "Xã Hoằng Đạo"]
    made = CliRunner().invoke(app, ["template", "--units-file", str(merged_list), "--out-dir", str(tmp_path / "mau"),
                                    "--period", "2026-Q1"])
    assert made.exit_code == 0, made.output
    assert sorted(p.name for p in (tmp_path / "mau").iterdir()) == sorted(
        f"Xã_{n}_2026-Q1.xlsx" for n in ("Hoằng_Lưu", "Hoằng_Tân", "Hoằng_Phú", "Hoằng_Đạo"))


@pytest.mark.parametrize("text, message", [
    ("Xã A = Xã B\nXã C = Xã B\n", "Danh sách xã 'ds.txt', dòng 2: tên cũ 'Xã B' đã thuộc 'Xã A'."),
    ("= Xã B\n", "Danh sách xã 'ds.txt', dòng 1: tên cũ phải đứng sau tên mới và dấu '=' (Xã Mới = Xã Cũ)."),
    ("Xã A = Xã B\nXã B\n", "Danh sách xã 'ds.txt': 'Xã B' vừa là tên cũ của 'Xã A' vừa là một xã trong danh "
                            "sách; bỏ một trong hai."),
])
def test_a_contradictory_list_is_refused_naming_its_line(tmp_path, text, message):
    path = tmp_path / "ds.txt"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as raised:
        read_expected(path)
    assert str(raised.value) == message
    result = CliRunner().invoke(app, ["status", str(tmp_path), "--period", "2026-Q1", "--expect", str(path)])
    assert result.exit_code == 2, result.output
    assert "Danh sách xã 'ds.txt'" in result.output


def test_a_plain_list_still_reads_as_before(tmp_path):
    path = tmp_path / "ds.txt"
    path.write_text("\ufeffXã A\n\n# ghi chú\nXã B  # còn nợ báo cáo quý I\n", "utf-8")
    assert (list(read_expected(path)), dict(read_expected(path).formerly)) == (["Xã A", "Xã B"], {})
