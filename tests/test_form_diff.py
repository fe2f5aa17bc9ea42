"""`cchc-xl form diff OLD NEW`: a new year's form against the old one, the mapping proposed by
code and label as the shipped 2022 → 2023 mapping was written by hand, and the old form written
back with it so that earlier periods' files are compared on the new codes."""
from __future__ import annotations

import multiprocessing
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cchc_xl.cycle.history import read_history
from cchc_xl.forms.catalog import CatalogError, load_form, register_form
from cchc_xl.forms.form_files import parse_form_text, read_form_file
from cchc_xl.read import inputs
from cchc_xl.read.form_diff import mapped_form_text, propose_mapping
from cchc_xl.read.form_infer import infer_form
from cchc_xl.shells.cli import app

runner = CliRunner()
SHIPPED_APPENDIX = Path(__file__).parent.parent / "workbooks" / "phu_luc_tinh_vi_du.xlsx"
OLD_ID, NEW_ID = "tinh_diff_2026", "tinh_diff_2027"
UNITS = "Phường Trung Tâm\nXã Hòa Bình\n"
#: What each commune typed, on the old form's codes (1.2 done tasks, 4.2 share of e-documents).
OLD_VALUES = {"1.1": 10, "1.2": 8, "1.3": 1, "1.4": 2, "2.1": 100, "2.1.a": 60, "2.1.b": 30, "2.1.c": 10,
              "2.2": 90, "2.3": 90, "3.1": 20, "3.2": 19, "3.3": 2, "3.4": 2, "4.1": 1, "4.2": 95}


def test_the_2022_form_maps_onto_2023_as_shipped_but_for_one_reworded_row():
    """The proposal against xa_2022's hand-written maps_to, every row. The one difference: 2022's
    "Số người thực hiện tinh giản biên chế, về hưu trước tuổi" was mapped by hand onto 2023's
    "Số biên chế đã tinh giản trong kỳ báo cáo", a judgment on meaning that shares no wording
    beyond "biên chế … tinh giản" (52/100); the proposal leaves it unmapped for the officer."""
    old, new = load_form("xa_2022"), load_form("xa_2023")
    proposed = {m.old.code: m.new.code if m.new else None for m in propose_mapping(old, new)}
    shipped = {row.code: row.maps_to for row in old.rows}
    differences = {code: (shipped[code], proposed[code]) for code in shipped if shipped[code] != proposed[code]}
    assert differences == {"4.2.5": ("4.1.3", None)}


def test_each_way_of_matching_is_said():
    """Renumbered rows are found by label, reworded ones by a close label or by their code,
    lengthened ones by their words; repeated "Trong đó" lines go with their own total."""
    matches = {m.old.code: m for m in propose_mapping(load_form("xa_2022"), load_form("xa_2023"))}
    assert (matches["1.2.1"].new.code, matches["1.2.1"].how) == ("1.2.2", "label")
    assert (matches["2.1"].new.code, matches["2.1"].how) == ("2.1", "fuzzy")
    assert (matches["3.1.1"].new.code, matches["3.1.1"].how) == ("3.1.1", "code")
    assert (matches["7.3.3"].new.code, matches["7.3.3"].how) == ("7.2.3", "words")
    assert [matches[c].new.code for c in ("3.3.2.a", "3.3.2.b")] == ["3.3.2.a", "3.3.2.b"]
    assert all(m.how == "same" for m in propose_mapping(load_form("xa_2023"), load_form("xa_2023")))


def test_a_row_never_maps_onto_another_kind():
    """A count is not a percentage, nor a group a value row, however alike their labels."""
    old, new = load_form("xa_2022"), load_form("xa_2023")
    for match in propose_mapping(old, new):
        if match.new is not None:
            assert (match.old.kind == match.new.kind) or not (match.old.is_value or match.new.is_value)


def make_forms(folder: Path, old_id: str = OLD_ID, new_id: str = NEW_ID) -> tuple[Path, Path]:
    """The README's province form (inferred from the shipped appendix) and its next year: a row
    inserted at 1.2 (1.2–1.4 become 1.3–1.5), 1.4 reworded, 4.1 dropped (4.2 becomes 4.1).
    Forms are known by id for the whole process, and a mapped one supersedes its plain text:
    a test that registers a mapping names its own pair."""
    folder.mkdir(exist_ok=True)
    text = infer_form(SHIPPED_APPENDIX, old_id).text
    (folder / "cu.toml").write_text(text, "utf-8")
    for old, new in (("1.4", "1.5"), ("1.3", "1.4"), ("1.2", "1.3")):
        text = text.replace(f'"{old}"', f'"{new}"').replace(f"({old})", f"({new})")
    text = text.replace('  { code = "1.3", label = "Số nhiệm vụ CCHC đã hoàn thành"',
                        '  { code = "1.2", label = "Số văn bản chỉ đạo CCHC đã ban hành", unit = "Văn bản", '
                        'kind = "count", agg = "sum", over_time = "flow" },\n'
                        '  { code = "1.3", label = "Số nhiệm vụ CCHC đã hoàn thành"')
    text = text.replace("Số cuộc kiểm tra CCHC đã thực hiện", "Số cuộc kiểm tra công tác CCHC đã thực hiện")
    text = re.sub(r'  \{ code = "4\.1".*\n', "", text).replace('{ code = "4.2"', '{ code = "4.1"')
    text = text.replace(f'id = "{old_id}"', f'id = "{new_id}"')
    (folder / "moi.toml").write_text(text, "utf-8")
    return folder / "cu.toml", folder / "moi.toml"


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> tuple[Path, Path]:
    return make_forms(tmp_path_factory.mktemp("bieu"))


def _register_mapped(old: Path, new: Path) -> None:
    """What `--earlier-form` does with `form diff -o`'s file: the mapped old form known by id."""
    read_form_file(new)
    plain = read_form_file(old)
    target = load_form(plain.maps_onto or _id_of(new))
    text = mapped_form_text(plain, target, propose_mapping(plain, target))
    register_form(parse_form_text(text, "ghép"), text)


def _id_of(form_file: Path) -> str:
    return read_form_file(form_file).id


def test_the_diff_proposes_the_new_codes_and_writes_the_old_form_with_them(forms, tmp_path):
    old, new = forms
    out = tmp_path / "cu_ghep.toml"
    result = runner.invoke(app, ["form", "diff", str(old), str(new), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Dòng chỉ có ở biểu mới (1): 1.2." in result.output
    assert "3 dòng cùng tên, mã khác" in result.output
    mapped = parse_form_text(out.read_text("utf-8"), "ghép")
    assert mapped.id == OLD_ID and mapped.maps_onto == NEW_ID
    maps = {row.code: row.maps_to for row in mapped.rows}
    assert [maps[c] for c in ("1.1", "1.2", "1.3", "1.4", "4.1", "4.2")] == ["1.1", "1.3", "1.4", "1.5", None, "4.1"]
    text = out.read_text("utf-8")
    assert "# ghép: tên gần giống" in text and "# ghép: không có dòng tương ứng" in text
    assert mapped.rules == parse_form_text(old.read_text("utf-8"), "cũ").rules


def test_the_diff_never_overwrites_the_old_form_nor_writes_a_shipped_one(forms, tmp_path):
    old, new = forms
    before = old.read_bytes()
    result = runner.invoke(app, ["form", "diff", str(old), str(new), "-o", str(old)])
    assert result.exit_code == 2 and old.read_bytes() == before
    shipped = tmp_path / "xa_2022_ghep.toml"
    result = runner.invoke(app, ["form", "diff", "xa_2022", "xa_2023", "-o", str(shipped)])
    assert result.exit_code == 2 and not shipped.exists()
    assert "xa_2022" in result.output


def test_json_lists_every_old_row(forms):
    import json
    old, new = forms
    result = runner.invoke(app, ["form", "diff", str(old), str(new), "--json"])
    rows = json.loads(result.output)
    assert len(rows) == len(read_form_file(old).rows)
    assert {"old": "1.4", "new": "1.5", "how": "fuzzy"}.items() <= next(r for r in rows if r["old"] == "1.4").items()


def test_a_form_and_its_mapped_version_are_one_form(tmp_path):
    """A template carries the form as it was made; the officer's mapped copy of it is the same
    form with maps_to added, and wins whichever is read first. Another form with the id is
    still refused."""
    old, new = make_forms(tmp_path / "bieu", "tinh_reg_2026", "tinh_reg_2027")
    _register_mapped(old, new)
    mapped = load_form("tinh_reg_2026")
    assert mapped.maps_onto == "tinh_reg_2027"
    assert read_form_file(old) is mapped  # the plain text again: the mapped version stays
    other = old.read_text("utf-8").replace("Số vi phạm đã xử lý", "Số vi phạm đã xử lý xong")
    with pytest.raises(CatalogError, match="Hai biểu mẫu khác nhau cùng mã"):
        register_form(parse_form_text(other, "khác"), other)


def _filled_templates(form: Path, period: str, folder: Path, units: Path, values: dict[str, float]) -> Path:
    result = runner.invoke(app, ["template", "--form", str(form), "--period", period, "--units-file", str(units),
                                 "--out-dir", str(folder)])
    assert result.exit_code == 0, result.output
    for path in folder.glob("*.xlsx"):
        book = load_workbook(path)
        sheet = book["Phụ lục"]
        for row in range(1, sheet.max_row + 1):
            code = sheet.cell(row, 1).value
            if code in values:
                sheet.cell(row, 4).value = values[code]
        book.save(path)
    return folder


def _last_quarter(tmp_path: Path, old_id: str, new_id: str, units: str = UNITS) -> tuple[Path, Path, Path, Path]:
    """A form pair of the test's own, the communes' list, and the old form's 2026-Q4
    templates filled by each commune: (old form, new form, list, folder of the filled files)."""
    old, new = make_forms(tmp_path / "bieu", old_id, new_id)
    listing = tmp_path / "ds.txt"
    listing.write_text(units, "utf-8")
    return old, new, listing, _filled_templates(old, "2026-Q4", tmp_path / "q4", listing, OLD_VALUES)


def _previous_column(output: Path) -> dict[tuple[str, str], object]:
    sheet = load_workbook(output, read_only=True)["So sánh kỳ trước"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "Xã")
    return {(row[0], row[1]): row[3] for row in rows[header + 1:] if row[0]}


def test_last_years_district_workbook_is_compared_on_the_new_codes(tmp_path):
    """2026-Q4 consolidated on the old form, 2027-Q1 on the new: with the mapped old form
    (`--earlier-form`), the comparison finds last quarter's "đã hoàn thành" (old 1.2) at the
    new 1.3 and the e-documents share (old 4.2) at the new 4.1."""
    old, new, units, last = _last_quarter(tmp_path, "tinh_prev_2026", "tinh_prev_2027")
    mapped = tmp_path / "cu_ghep.toml"
    assert runner.invoke(app, ["form", "diff", str(old), str(new), "-o", str(mapped)]).exit_code == 0
    district_q4 = tmp_path / "tinh_2026_Q4.xlsx"
    result = runner.invoke(app, ["consolidate", str(last), "-o", str(district_q4), "--unit", "Tỉnh Thử Nghiệm",
                                 "--period", "2026-Q4"])
    assert result.exit_code == 0, result.output
    new_values = {"1.1": 12, "1.2": 3, "1.3": 9, "1.4": 1, "1.5": 3, "2.1": 120, "2.1.a": 60, "2.1.b": 50,
                  "2.1.c": 10, "2.2": 110, "2.3": 91.67, "3.1": 20, "3.2": 20, "3.3": 1, "3.4": 1, "4.1": 97}
    this = _filled_templates(new, "2027-Q1", tmp_path / "q1", units, new_values)
    for previous in (district_q4, last):  # last year's district workbook, or the communes' files
        output = tmp_path / f"tinh_2027_Q1_{previous.stem}.xlsx"
        result = runner.invoke(app, ["consolidate", str(this), "-o", str(output), "--unit", "Tỉnh Thử Nghiệm",
                                     "--period", "2027-Q1", "--previous", str(previous),
                                     "--earlier-form", str(mapped)])
        assert result.exit_code == 0, result.output
        before = _previous_column(output)
        assert before[("Xã Hòa Bình", "1.3")] == 8 and before[("Xã Hòa Bình", "4.1")] == 95
        assert before[("Xã Hòa Bình", "1.5")] == 2 and before[("Xã Hòa Bình", "1.2")] in (None, "")


def test_an_unmapped_earlier_district_workbook_is_reported_not_compared(tmp_path):
    _old, _new, _units, last = _last_quarter(tmp_path, "tinh_plain_2026", "tinh_plain_2027")
    district_q4 = tmp_path / "tinh_2026_Q4.xlsx"
    assert runner.invoke(app, ["consolidate", str(last), "-o", str(district_q4), "--unit", "Tỉnh X",
                               "--period", "2026-Q4"]).exit_code == 0
    history = read_history([district_q4], load_form("xa_2023"))
    assert not history.figures
    assert "không so sánh được với biểu xa_2023" in history.problems[0].message


def test_spawned_workers_know_the_forms_this_process_read(tmp_path, monkeypatch):
    """Where workers are spawned (Windows), they start knowing no form file: the mapped old form
    registered here must reach them, or old files would be read on the old codes there."""
    many = "\n".join(f"Xã Số {i}" for i in range(inputs.PARALLEL_FROM)) + "\n"
    old, new, _units, folder = _last_quarter(tmp_path, "tinh_spawn_2026", "tinh_spawn_2027", many)
    files = sorted(folder.glob("*.xlsx"))
    _register_mapped(old, new)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    received, unreadable = inputs.read_all(files)
    assert not unreadable and len(received) == inputs.PARALLEL_FROM
    assert {item.submission.form for item in received} == {"tinh_spawn_2027"}
    assert received[0].submission.values.get("1.3") == 8  # old 1.2, read onto the new code


def test_an_earlier_form_that_maps_onto_nothing_is_refused_with_the_way_to_map_it(tmp_path):
    old, _new, _units, files = _last_quarter(tmp_path, "tinh_none_2026", "tinh_none_2027")
    output = tmp_path / "th.xlsx"
    result = runner.invoke(app, ["consolidate", str(files), "-o", str(output), "--unit", "Tỉnh X", "--period", "2026-Q4",
                                 "--earlier-form", str(old)])
    assert result.exit_code == 2 and not output.exists()
    assert "không ghép mã sang biểu nào" in result.output and "form diff" in result.output
