"""Forms as staff's files: every validation message names the file, the line and the field; a
form file becomes templates that carry it, whose filled copies are checked and consolidated
without it, in the spreadsheet (LibreOffice) as in Python."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cchc_xl.commune.template import save_template
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.district.review import review_workbook
from cchc_xl.forms.catalog import CatalogError, form_text, load_form
from cchc_xl.forms.form_files import choose_form, form_from_text, read_form_file
from cchc_xl.forms.layout import FORM_SHEET
from cchc_xl.forms.periods import Period
from cchc_xl.shells.cli import app
from tests.helpers import formula_flags, python_flags

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "workbooks" / "bieu_mau_vi_du.toml"
TEXT = EXAMPLE.read_text("utf-8")
PERIOD = Period.parse("2026-Q1")

#: (what is changed in the example, into what, a phrase the message must hold, the changed
#: line's text when the message must name its line; None: a line of its own is named, or none)
BROKEN = [
    ('{ code = "1.1", label', '{ code = "1.1" label', "sai cú pháp TOML", '{ code = "1.1" label'),
    ("schema = 1\n", "", "thiếu dòng schema = 1", None),
    ("schema = 1", "schema = 2", "schema = 2 không đọc được", "schema = 2"),
    ("schema = 1\n", "schema = 1\ntitel = 1\n", "khóa 'titel' không có", None),
    ('heading = "THỐNG KÊ SỐ LIỆU KẾT QUẢ CẢI CÁCH HÀNH CHÍNH"\n', "", "bảng [form] cần trường heading", None),
    ('id = "tinh_vi_du_2026"', 'id = "Tỉnh 2026"', "chỉ được gồm chữ thường", 'id = "Tỉnh 2026"'),
    ('id = "tinh_vi_du_2026"', 'id = "xa_2023"', "trùng một biểu có sẵn", 'id = "xa_2023"'),
    ('level = "xã"', 'level = "thôn"', "cấp 'thôn' không có", 'level = "thôn"'),
    ('trong kế hoạch", unit', 'trong kế hoạch", unt', "(chỉ tiêu 1.1): trường 'unt' không có", 'unt ='),
    ('{ code = "1.2", label = "Số nhiệm vụ đã hoàn thành"', '{ code = "1.1", label = "Số nhiệm vụ đã hoàn thành"',
     "mã 1.1 đã có ở chỉ tiêu thứ 2", '"Số nhiệm vụ đã hoàn thành"'),
    ('giải quyết đúng hạn", unit = "Hồ sơ", kind = "count"', 'giải quyết đúng hạn", unit = "Hồ sơ", kind = "so"',
     "trường kind: 'so' không có; dùng một trong: group, count", 'kind = "so"'),
    ('{ code = "1.2", label = "Số nhiệm vụ đã hoàn thành", unit = "Nhiệm vụ", kind = "count"',
     '{ code = "1.2", label = "", unit = "Nhiệm vụ", kind = "count"', "thiếu tên chỉ tiêu", 'label = ""'),
    ('{ code = "2.1.a"', '{ code = "2.9.a"', "chỉ tiêu 2.9.a cần dòng cha 2.9", '"2.9.a"'),
    ('parts = ["2.1.a", "2.1.b"]', 'parts = ["2.1.a", "2.1.c"]', "(quy tắc thứ 1), trường parts: mã 2.1.c không có",
     '"2.1.c"'),
    ('left = ["1.2"]', 'left = ["1"]', "trường left: mã 1 không phải chỉ tiêu số", 'left = ["1"]'),
    ('{ kind = "le", left = ["1.2"]', '{ kind = "ge", left = ["1.2"]', "loại quy tắc 'ge' không có", 'kind = "ge"'),
    ('tiếp nhận trực tuyến", unit = "Hồ sơ"', 'tiếp nhận trực tuyến", unit = "Thủ tục"',
     '2.1.b tính bằng "Thủ tục", còn tổng 2.1 tính bằng "Hồ sơ"', 'total = "2.1"'),
    ('version = "2026.1"', 'version = "2026.1"\nmaps_onto = "tinh_vi_du_2026"', "vòng lặp maps_onto",
     'maps_onto = "tinh_vi_du_2026"'),
    ('version = "2026.1"', 'version = "2026.1"\nmaps_onto = "xa_2022"', "xa_2022 → xa_2023", 'maps_onto = "xa_2022"'),
    ('over_time = "stock" },\n  { code = "1.2"', 'over_time = "stock", maps_to = "1.1" },\n  { code = "1.2"',
     "maps_to cần maps_onto", 'maps_to = "1.1"'),
    ('choices = { 0 = "Không", 1 = "Có" }, ', "", "chỉ tiêu loại code cần các mã", '"Tổ chức đối thoại'),
    ('weight = "2.1", over_time = "ratio"', 'weight = "2.1", over_time = "flow"', "tỷ lệ (%) không cộng dồn",
     'weight = "2.1", over_time = "flow"'),
    ("]\n\n[form]", ']\n\nrates = [\n  { title = "Tỷ lệ", numerator = ["2.3"], denominator = ["2.1"] },\n]\n\n[form]',
     "(tỷ lệ thứ 1), trường numerator: mã 2.3 không phải chỉ tiêu đếm", 'numerator = ["2.3"]'),
    ("]\n\n[form]", ']\n\nrates = [\n  { title = "T", numerator = ["2.2"], denominator = ["2.1"], mau = 1 },\n]\n\n[form]',
     "trường 'mau' không có", "mau = 1"),
    ("]\n\n[form]", ']\n\nrates = [\n  { numerator = ["2.2"], denominator = ["2.1"] },\n]\n\n[form]',
     "cần tên tỷ lệ", 'numerator = ["2.2"], denominator'),
]


def _line_of(text: str, marker: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if marker in line)


@pytest.mark.parametrize(("old", "new", "said", "line"), BROKEN, ids=[case[2][:40] for case in BROKEN])
def test_each_broken_form_file_is_refused_with_its_line_and_field(tmp_path, old, new, said, line):
    assert old in TEXT
    broken = TEXT.replace(old, new, 1)
    path = tmp_path / "bieu_loi.toml"
    path.write_text(broken, "utf-8")
    with pytest.raises(CatalogError) as raised:
        read_form_file(path)
    message = str(raised.value)
    assert message.startswith("Tệp biểu mẫu 'bieu_loi.toml'")
    assert said in message
    if line is not None:
        assert f"dòng {_line_of(broken, line)}" in message, message


def test_the_same_id_with_another_text_is_refused():
    other = TEXT.replace('id = "tinh_vi_du_2026"', 'id = "tinh_trung_ma"')
    form_from_text(other, "tệp thứ nhất")
    with pytest.raises(CatalogError, match="Hai biểu mẫu khác nhau cùng mã 'tinh_trung_ma'"):
        form_from_text(other.replace("Số hồ sơ đã tiếp nhận", "Số hồ sơ nhận"), "tệp thứ hai")


def test_unreadable_and_missing_form_files(tmp_path):
    latin = tmp_path / "latin.toml"
    latin.write_bytes(TEXT.encode("utf-16"))
    with pytest.raises(CatalogError, match="không phải văn bản UTF-8"):
        read_form_file(latin)
    with pytest.raises(CatalogError, match="Không có tệp biểu mẫu"):
        choose_form(str(tmp_path / "khong_co.toml"))
    with pytest.raises(CatalogError, match="Không có biểu mẫu 'xa_1999'"):
        choose_form("xa_1999")


def test_a_bad_form_file_never_produces_a_workbook(tmp_path):
    broken = tmp_path / "bieu_loi.toml"
    broken.write_text(TEXT.replace('kind = "group"', 'kind = "nhom"', 1), "utf-8")
    target = tmp_path / "xa.xlsx"
    result = CliRunner().invoke(app, ["template", "--form", str(broken), "--period", "2026-Q1",
                                      "--unit", "Xã An Bình", "-o", str(target)])
    assert result.exit_code == 2
    assert "bieu_loi.toml', dòng 5 (chỉ tiêu 1), trường kind: 'nhom' không có" in " ".join(result.output.split())
    assert not target.exists()


def test_the_readme_shows_the_shipped_example_and_it_is_valid():
    readme = (REPO / "README.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.S)
    assert TEXT in blocks
    form = read_form_file(EXAMPLE)
    assert (form.id, len(form.rows), len(form.rules)) == ("tinh_vi_du_2026", 10, 4)


def test_form_check_prints_rows_and_every_rule():
    result = CliRunner().invoke(app, ["form", "check", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "phiên bản 2026.1" in result.output
    assert "sum:2.1" in result.output and "2.1 = 2.1.a + 2.1.b" in result.output
    assert "ratio:2.3" in result.output
    listed = json.loads(CliRunner().invoke(app, ["form", "check", str(EXAMPLE), "--json"]).output)
    assert [row["code"] for row in listed["rows"]] == ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.1.a", "2.1.b", "2.2",
                                                       "2.3"]
    assert {"sum:2.1", "le:1.2<=1.1", "le:2.2<=2.1", "ratio:2.3"} <= {rule["id"] for rule in listed["rules"]}


#: A filled copy: consistent except three errors the example's rules catch.
FILLED = {"1.1": 10, "1.2": 12, "1.3": 2, "2.1": 100, "2.1.a": 60, "2.1.b": 30, "2.2": 90, "2.3": 90}
EXPECTED_FLAGS = {"le:1.2<=1.1", "sum:2.1", "choice:1.3"}


def _filled_copy(folder: Path, unit: str, values: dict[str, int]) -> Path:
    template = save_template(folder / "mau.xlsx", unit, PERIOD, read_form_file(EXAMPLE))
    workbook = load_workbook(template)
    sheet = workbook[load_form("tinh_vi_du_2026").sheet]
    for row in sheet.iter_rows(min_col=1, max_col=4):
        if str(row[0].value) in values:
            row[3].value = values[str(row[0].value)]
    target = folder / f"{unit}.xlsx"
    workbook.save(target)
    template.unlink()
    return target


def test_a_template_carries_its_form_file(tmp_path):
    path = save_template(tmp_path / "mau.xlsx", "Xã An Bình", PERIOD, read_form_file(EXAMPLE))
    workbook = load_workbook(path)
    assert workbook[FORM_SHEET].sheet_state == "hidden"
    lines = [row[0] or "" for row in workbook[FORM_SHEET].iter_rows(values_only=True)]
    assert "\n".join(lines) == form_text("tinh_vi_du_2026")


def _fresh_python(code: str, *args: Path) -> str:
    """Run `code` in a new interpreter, where no form file was ever read."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, env=env,
                          cwd=REPO, check=True)
    return done.stdout


def test_filled_copies_are_checked_and_consolidated_without_the_form_file(tmp_path):
    folder = tmp_path / "xa"
    folder.mkdir()
    first = _filled_copy(folder, "Xã An Bình", FILLED)
    _filled_copy(folder, "Xã Phú Lộc", {**FILLED, "1.2": 8, "1.3": 1, "2.1.b": 40})
    checked = _fresh_python(
        "import sys; from pathlib import Path; from cchc_xl.district.review import review_workbook;"
        "print(sorted(f.rule for r in review_workbook(Path(sys.argv[1])) for f in r.findings))", first)
    assert set(eval(checked)) == EXPECTED_FLAGS
    output = tmp_path / "tinh.xlsx"
    result = consolidate_files([folder], output, "Tỉnh Thử Nghiệm", PERIOD)
    assert result.consolidation.form.id == "tinh_vi_du_2026"
    assert {c.name for c in result.consolidation.communes} == {"Xã An Bình", "Xã Phú Lộc"}
    reviewed = _fresh_python(
        "import sys; from pathlib import Path; from cchc_xl.district.review import review_workbook;"
        "print({r.unit: sorted(f.rule for f in r.findings) for r in review_workbook(Path(sys.argv[1]))})", output)
    assert {unit: set(rules) for unit, rules in eval(reviewed).items()} == {
        "Xã An Bình": EXPECTED_FLAGS, "Xã Phú Lộc": set()}
    assert {r.unit: {f.rule for f in r.findings} for r in review_workbook(output)}["Xã An Bình"] == EXPECTED_FLAGS


def test_a_copy_on_another_form_is_reported_not_added(tmp_path):
    folder = tmp_path / "xa"
    folder.mkdir()
    _filled_copy(folder, "Xã An Bình", FILLED)
    _filled_copy(folder, "Xã Phú Lộc", FILLED)
    save_template(folder / "xa_khac.xlsx", "Xã Khác", PERIOD, load_form("xa_2023"))
    result = consolidate_files([folder], tmp_path / "tinh.xlsx", "Tỉnh Thử Nghiệm", PERIOD)
    assert result.consolidation.form.id == "tinh_vi_du_2026"
    assert any(p.kind == "form" and p.file == "xa_khac.xlsx" for p in result.problems)


def test_live_flags_of_a_form_file_agree_with_python(tmp_path, recalc):
    path = _filled_copy(tmp_path, "Xã An Bình", FILLED)
    [recalculated] = recalc(path)
    assert formula_flags(recalculated) == python_flags(path)
    assert set(python_flags(path)) == EXPECTED_FLAGS
