"""`consolidate_files` and the CLI: folders, bad files, exit codes, backups, untouched inputs."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_nothing_dropped import recorded_values
from typer.testing import CliRunner

from cchc_xl.common.files import OutputError, backup_path
from cchc_xl.commune.samples import (
    DEMO_PERIOD,
    DEMO_UNIT,
    EXPECTED_FILE,
    fill_template,
    load_sample,
)
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.district.provenance import DUPLICATE
from cchc_xl.forms.periods import Period
from cchc_xl.read.inputs import InputError
from cchc_xl.shells.cli import app

SAMPLE_COUNT = 5


@pytest.fixture
def inputs(samples, tmp_path) -> Path:
    """A private copy of the sample folder, free to be littered by a test."""
    return Path(shutil.copytree(samples, tmp_path / "xa"))


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def resend(inputs_: Path, original: str, copy: str) -> None:
    """The commune sends its file again an hour later, under another name."""
    shutil.copy(inputs_ / original, inputs_ / copy)
    stamp = (inputs_ / original).stat().st_mtime + 3600
    os.utime(inputs_ / copy, (stamp, stamp))


def run(inputs_: list[Path], output: Path, **options):
    return consolidate_files(inputs_, output, DEMO_UNIT, DEMO_PERIOD, **options)


def test_flags_give_exit_1_and_inputs_stay_byte_identical(inputs, tmp_path):
    before = digests(inputs)
    result = run([inputs], tmp_path / "huyen.xlsx")
    counts = {c.name: (c.error_count, c.missing_count) for c in result.consolidation.communes}
    assert counts == {"Xã Hoằng Châu": (0, 0), "Xã Hoằng Đạo": (0, 1), "Xã Hoằng Lưu": (6, 0),
                      "Xã Hoằng Phú": (2, 1), "Xã Hoằng Thanh": (2, 0)}  # as the sample files say
    # Hoằng Phú's plan date typed as text ("15/01/2023") is read as a date (a reported
    # `date_text` problem), so the district sheet holds a real date and raises no date flag.
    assert result.flag_count == 12 and result.exit_code == 1
    assert digests(inputs) == before


def test_a_clean_commune_gives_exit_0(inputs, tmp_path):
    result = run([inputs / "hoang_chau_2023_q2.xlsx"], tmp_path / "huyen.xlsx")
    assert (result.communes, result.flag_count, result.problems, result.exit_code) == (["Xã Hoằng Châu"], 0, [], 0)


def test_an_unreadable_file_is_named_and_the_others_still_consolidate(inputs, tmp_path):
    (inputs / "hỏng.xlsx").write_text("không phải Excel", "utf-8")
    result = run([inputs], tmp_path / "huyen.xlsx")
    assert result.exit_code == 2
    assert result.unreadable == [inputs / "hỏng.xlsx"]
    assert len(result.communes) == SAMPLE_COUNT
    message = next(p.message for p in result.problems if p.kind == "unreadable")
    assert "hỏng.xlsx" in message
    statuses = [row[2] for row in load_workbook(result.output)["Nguồn"].iter_rows(min_row=3, values_only=True)
                if row[3] == "hỏng.xlsx"]
    assert statuses == ["Không đọc được"]


def test_folder_scan_skips_lock_files_and_reports_other_files(inputs, tmp_path):
    shutil.copy(inputs / "hoang_chau_2023_q2.xlsx", inputs / "~$hoang_chau_2023_q2.xlsx")
    (inputs / "ghi_chu.pdf").write_bytes(b"")
    progress = []
    result = run([inputs], tmp_path / "huyen.xlsx", expect=inputs / EXPECTED_FILE,
                 progress=lambda done, total, name: progress.append((done, total)))
    assert len(result.communes) == SAMPLE_COUNT
    skipped = [p.message for p in result.problems if p.kind == "skipped"]
    assert len(skipped) == 1 and "ghi_chu.pdf" in skipped[0] and "~$" not in skipped[0]
    assert progress == [(i, SAMPLE_COUNT) for i in range(1, SAMPLE_COUNT + 1)]


def test_an_output_inside_the_folder_is_never_read_back_whatever_name_reaches_it(inputs, tmp_path):
    """Run three times into the folder it reads: the third run reads neither its output, nor
    its backup, nor a link to the output; a link to nothing is reported with the skipped items."""
    output = inputs / "huyen.xlsx"
    run([inputs], output, expect=inputs / EXPECTED_FILE)
    run([inputs], output, expect=inputs / EXPECTED_FILE)
    assert backup_path(output).is_file()
    (inputs / "lien_ket.xlsx").symlink_to(output)
    (inputs / "hong.xlsx").symlink_to(tmp_path / "khong_co.xlsx")
    result = run([inputs], output, expect=inputs / EXPECTED_FILE)
    assert len(result.communes) == SAMPLE_COUNT and not result.unreadable
    named = [p.file for p in result.problems]
    assert not any(name in ("huyen.xlsx", "huyen.bak.xlsx", "lien_ket.xlsx") for name in named)
    skipped = [p.message for p in result.problems if p.kind == "skipped"]
    assert len(skipped) == 1 and "hong.xlsx" in skipped[0] and "lien_ket" not in skipped[0]


def test_the_same_commune_twice_is_counted_once(inputs, tmp_path):
    resend(inputs, "hoang_luu_2023_q2.xlsx", "hoang_luu_gui_lai.xlsx")
    result = run([inputs], tmp_path / "huyen.xlsx", expect=inputs / EXPECTED_FILE)
    assert result.communes.count("Xã Hoằng Lưu") == 1
    (duplicate,) = result.consolidation.duplicates
    assert (duplicate.kept.source.path.name, duplicate.dropped.source.path.name) == \
        ("hoang_luu_gui_lai.xlsx", "hoang_luu_2023_q2.xlsx")
    sheet = load_workbook(result.output)["Tình hình nộp"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[1] == "Xã Hoằng Lưu"]
    status, duplicate = rows
    assert status[3] in ("Đúng hạn", "Trễ hạn") and "hoang_luu_gui_lai.xlsx" in status[7]
    assert duplicate[2:4] == ("hoang_luu_gui_lai.xlsx", "hoang_luu_2023_q2.xlsx")


def test_the_period_decides_before_the_date(inputs, tmp_path):
    """Hoằng Châu's Q1 file, saved after its Q2 file, is set aside as another period (named in
    `Nguồn` and on `Tình hình nộp`), not kept as the newest of two."""
    sample = load_sample("hoang_chau_2023_q2")
    q1 = fill_template(sample.unit, Period(2023, "Q1"), {**sample.values, "1.1.1": 3}, sample.notes)
    q1.save(inputs / "hoang_chau_quy_1.xlsx")
    stamp = (inputs / "hoang_chau_2023_q2.xlsx").stat().st_mtime + 3600
    os.utime(inputs / "hoang_chau_quy_1.xlsx", (stamp, stamp))
    result = run([inputs], tmp_path / "huyen.xlsx", expect=inputs / EXPECTED_FILE)
    [chau] = [c for c in result.consolidation.communes if c.name == "Xã Hoằng Châu"]
    assert chau.received.source.path.name == "hoang_chau_2023_q2.xlsx"
    assert chau.values["1.1.1"] == sample.values["1.1.1"] != 3
    assert not result.consolidation.duplicates
    [problem] = [p for p in result.problems if p.kind == "period"]
    assert (problem.file, problem.message) == (
        "hoang_chau_quy_1.xlsx", "Tệp 'hoang_chau_quy_1.xlsx' (Xã Hoằng Châu) ghi kỳ Quý I năm 2023, khác kỳ "
        "tổng hợp Quý II năm 2023; không cộng vào Quý II năm 2023.")
    listed = [row for row in load_workbook(result.output)["Tình hình nộp"].iter_rows(values_only=True)
              if "hoang_chau_quy_1.xlsx" in row]
    assert [row[1:4] for row in listed] == [("Xã Hoằng Châu", "hoang_chau_quy_1.xlsx", "2023-Q1")]
    assert f"Sai kỳ: {problem.message}" in result.summary_lines()


def test_an_existing_output_is_kept_as_backup(inputs, tmp_path):
    output = tmp_path / "huyen.xlsx"
    run([inputs / "hoang_chau_2023_q2.xlsx"], output)
    first = output.read_bytes()
    run([inputs], output)
    assert backup_path(output).read_bytes() == first
    assert output.read_bytes() != first


def test_output_in_the_input_folder_is_not_read_back(inputs):
    output = inputs / "tong_hop.xlsx"
    run([inputs], output)
    again = run([inputs], output)
    assert len(again.communes) == SAMPLE_COUNT and not again.unreadable


def test_another_district_workbook_is_refused_by_name(inputs, tmp_path):
    run([inputs], tmp_path / "cu.xlsx")
    shutil.copy(tmp_path / "cu.xlsx", inputs / "tong_hop_cu.xlsx")
    result = run([inputs], tmp_path / "moi.xlsx")
    assert result.unreadable == [inputs / "tong_hop_cu.xlsx"]
    assert len(result.communes) == SAMPLE_COUNT


def test_output_over_an_input_is_refused(inputs):
    target = inputs / "hoang_chau_2023_q2.xlsx"
    before = target.read_bytes()
    with pytest.raises(OutputError):
        run([target], target)
    assert target.read_bytes() == before


def test_nothing_to_read_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        run([tmp_path], tmp_path / "huyen.xlsx")


@pytest.mark.parametrize("extra, code", [([], 1), (["hỏng.xlsx"], 2)])
def test_cli_consolidate_exit_codes(inputs, tmp_path, extra, code):
    for name in extra:
        (inputs / name).write_bytes(b"PK\x03\x04 cut short")
    output = tmp_path / "huyen.xlsx"
    result = CliRunner().invoke(app, ["consolidate", str(inputs), "-o", str(output), "--unit", DEMO_UNIT,
                                      "--period", DEMO_PERIOD.key, "--expect", str(inputs / EXPECTED_FILE)])
    assert result.exit_code == code, result.output
    assert output.exists() and "Đã tổng hợp 5 xã" in result.stdout


def test_cli_consolidate_clean_file_exits_0(inputs, tmp_path):
    result = CliRunner().invoke(app, ["consolidate", str(inputs / "hoang_chau_2023_q2.xlsx"), "-o",
                                      str(tmp_path / "huyen.xlsx"), "--unit", DEMO_UNIT, "--period", "2023-Q2"])
    assert result.exit_code == 0, result.output


def test_cli_reports_a_missing_input_with_exit_2(tmp_path):
    result = CliRunner().invoke(app, ["consolidate", str(tmp_path / "khong_co"), "-o", str(tmp_path / "h.xlsx"),
                                      "--unit", DEMO_UNIT, "--period", "2023-Q2"])
    assert result.exit_code == 2 and not (tmp_path / "h.xlsx").exists()


def test_demo_builds_the_district_workbook_and_says_where(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    output = tmp_path / "demo" / f"tong_hop_{DEMO_PERIOD.key}.xlsx"
    assert output.exists() and output.name in result.stdout.replace("\n", "")
    assert "Chưa nộp (2)" in result.stdout


def test_sources_record_every_value_and_each_file_fingerprint(inputs, tmp_path):
    resend(inputs, "hoang_luu_2023_q2.xlsx", "hoang_luu_gui_lai.xlsx")
    result = run([inputs], tmp_path / "huyen.xlsx")
    book = load_workbook(result.output)
    files = {row[3]: row[5] for row in book["Nguồn"].iter_rows(min_row=3, values_only=True) if row[3]}
    for name in ("hoang_luu_2023_q2.xlsx", "hoang_luu_gui_lai.xlsx", "hoang_phu_2023_q2.xlsx"):
        assert files[name] == hashlib.sha256((inputs / name).read_bytes()).hexdigest()
    recorded = recorded_values(result.output)
    for path in sorted(inputs.glob("*.xlsx")):
        sheet = load_workbook(path)["Phụ lục 01b"]
        cells = {(path.name, f"Phụ lục 01b!D{r}") for r in range(8, sheet.max_row + 1)
                 if sheet[f"D{r}"].value is not None}
        assert cells and cells <= set(recorded), path.name
    listed = [row for row in book["Nguồn số liệu"].iter_rows(values_only=True) if row[1] == "hoang_luu_2023_q2.xlsx"]
    assert listed and {row[6] for row in listed} == {DUPLICATE}
