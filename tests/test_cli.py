"""The command line as a user types it: templates one by one and in batch, check's output and exit codes."""
from __future__ import annotations

import io
import json

from helpers import flat
from openpyxl import load_workbook
from rich.console import Console
from typer.testing import CliRunner

from cchc_xl.commune.samples import load_sample, write_sample
from cchc_xl.commune.template import META_SHEET
from cchc_xl.shells import cli
from cchc_xl.shells.cli import app

RUN = CliRunner()


def _meta(path) -> dict:
    return dict(load_workbook(path)[META_SHEET].iter_rows(values_only=True))


def test_template_for_one_commune(tmp_path):
    target = tmp_path / "hl.xlsx"
    result = RUN.invoke(app, ["template", "--unit", "Xã Hoằng Lưu", "--period", "2023-Q2", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert _meta(target)["unit"] == "Xã Hoằng Lưu" and _meta(target)["period"] == "2023-Q2"


def test_templates_in_batch_from_a_units_file(tmp_path):
    units = tmp_path / "xa.txt"
    units.write_text("Xã Hoằng Lưu\n\nXã Hoằng Châu\n", "utf-8")
    result = RUN.invoke(app, ["template", "--units-file", str(units), "--period", "2023-6T", "--out-dir", str(tmp_path / "mau")])
    assert result.exit_code == 0, result.output
    made = sorted((tmp_path / "mau").glob("*.xlsx"))
    assert sorted(_meta(p)["unit"] for p in made) == ["Xã Hoằng Châu", "Xã Hoằng Lưu"]
    assert {_meta(p)["period"] for p in made} == {"2023-6T"}


def test_bad_period_is_refused(tmp_path):
    result = RUN.invoke(app, ["template", "--unit", "Xã A", "--period", "2023-Q7", "-o", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 2 and not (tmp_path / "a.xlsx").exists()


def test_check_json_lists_flags_with_cells_and_exits_1(tmp_path):
    path = write_sample(load_sample("hoang_luu_2023_q2"), tmp_path / "hl.xlsx")
    result = RUN.invoke(app, ["check", str(path), "--json"])
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert {"file", "code", "rule", "message", "cell"} <= set(items[0])
    by_rule = {i["rule"]: i for i in items}
    assert by_rule["sum:3.3.1"]["cell"] == "D44" and "625" in by_rule["sum:3.3.1"]["message"]


def test_check_exit_codes_clean_and_unreadable(tmp_path):
    sample = load_sample("hoang_chau_2023_q2")
    clean = write_sample(sample, tmp_path / "clean.xlsx")
    assert RUN.invoke(app, ["check", str(clean)]).exit_code == 0
    broken = tmp_path / "broken.xlsx"
    broken.write_text("không phải Excel", "utf-8")
    result = RUN.invoke(app, ["check", str(clean), str(broken), "--json"])
    assert result.exit_code == 2
    assert any(i["file"] == "broken.xlsx" for i in json.loads(result.stdout))


def test_check_of_several_files_prints_one_table_and_one_clean_line(tmp_path):
    long_name = "hl{}_bao_cao_thong_ke_cai_cach_hanh_chinh_quy_2.xlsx"  # wider than its column
    flagged = [write_sample(load_sample("hoang_luu_2023_q2"), tmp_path / long_name.format(i)) for i in (1, 2)]
    clean = [write_sample(load_sample("hoang_chau_2023_q2"), tmp_path / f"hc{i}.xlsx") for i in (1, 2)]
    broken = tmp_path / "broken.xlsx"
    broken.write_text("không phải Excel", "utf-8")
    result = RUN.invoke(app, ["check", *map(str, flagged + clean), str(broken)])
    assert result.exit_code == 2
    flags = json.loads(RUN.invoke(app, ["check", str(flagged[0]), "--json"]).stdout)
    lines = result.stdout.splitlines()
    assert result.stdout.count("Nội dung") == 1 and f"{2 * len(flags)} cảnh báo ở 2 tệp" in result.stdout
    for name in ("hl1_", "hl2_"):  # a row per flag, each naming its file in full (folded, never cut)
        assert len([line for line in lines if line.startswith(f"│ {name}")]) == len(flags)
    assert "…" not in result.stdout
    clean_line = " ".join(lines[next(i for i, line in enumerate(lines) if line.startswith("hc1.xlsx")):])
    assert "hc2.xlsx" in clean_line and clean_line.endswith("không có cảnh báo.") and "broken" not in clean_line
    assert "broken.xlsx" in result.stderr and "broken.xlsx" not in result.stdout


def test_check_of_a_folder_reviews_its_workbooks_and_names_what_it_skipped(tmp_path):
    """On Windows the shell expands no `*.xlsx`: a folder is how an officer checks them all."""
    folder = tmp_path / "xa"
    folder.mkdir()
    write_sample(load_sample("hoang_luu_2023_q2"), folder / "hl.xlsx")
    write_sample(load_sample("hoang_chau_2023_q2"), folder / "hc.xlsx")
    (folder / "ghi chú.txt").write_text("không phải phụ lục", "utf-8")
    (folder / "~$hl.xlsx").write_bytes(b"lock")
    result = RUN.invoke(app, ["check", str(folder)])
    assert result.exit_code == 1
    shown = flat(result.stdout)
    assert "hl.xlsx (Xã Hoằng Lưu): 6 cảnh báo" in shown and "hc.xlsx (Xã Hoằng Châu): không có" in shown
    assert "bỏ qua 1 mục" in flat(result.stderr) and "ghi chú.txt" in result.stderr and "~$" not in result.output
    items = json.loads(RUN.invoke(app, ["check", str(folder), "--json"]).stdout)
    assert {i["file"] for i in items if i["severity"] == "skipped"} == {str(folder)}
    assert {i["file"] for i in items if i["severity"] == "error"} == {"hl.xlsx"}


def test_check_of_a_folder_without_workbooks_says_so(tmp_path):
    result = RUN.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 2 and "nào để kiểm tra" in flat(result.output)


def test_a_file_that_is_gone_is_named_with_a_vietnamese_reason(tmp_path):
    result = RUN.invoke(app, ["check", str(tmp_path / "mat.xlsx")])
    assert result.exit_code == 2
    assert "'mat.xlsx': không tìm thấy tệp" in flat(result.stderr) and "No such file" not in result.output


def _bar_drawn_on(console: Console, monkeypatch) -> str:
    """What the progress bar of a twenty-file run writes to `console` after five files."""
    monkeypatch.setattr(cli, "errors", console)
    with cli._ProgressBar() as bar:
        bar.update(5, 20, "xa_05.xlsx")
    return console.file.getvalue()


def test_the_progress_bar_is_drawn_on_a_terminal(monkeypatch):
    drawn = _bar_drawn_on(Console(file=io.StringIO(), force_terminal=True, width=100), monkeypatch)
    assert "Đang đọc xa_05.xlsx" in drawn


def test_no_progress_bar_into_a_log(monkeypatch):
    """Into a file or a pipe rich would draw nothing (a stray newline); the bar is not started."""
    assert _bar_drawn_on(Console(file=io.StringIO(), force_terminal=False), monkeypatch) == ""
