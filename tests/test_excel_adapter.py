"""The button's adapter, end to end on Linux against the committed CCHC_TongHop.xlsm: settings
typed into the control sheet, the action run through the core functions, status and details
written back into the workbook file."""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from file_sheet import FileSheet
from openpyxl import load_workbook

from cchc_xl.common.files import OutputError
from cchc_xl.commune.samples import fill_template, load_sample, write_sample
from cchc_xl.commune.template import layout_for
from cchc_xl.district.review import review_file
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.periods import Period
from cchc_xl.read.reader import Problem, read_submission
from cchc_xl.read.units import template_file_name
from cchc_xl.shells import control_layout as L
from cchc_xl.shells.control_layout import WORKBOOK_NAME
from cchc_xl.shells.excel import (
    MESSAGE_TITLE,
    Outcome,
    Settings,
    literal,
    message_box,
    run,
)

REPO = Path(__file__).resolve().parents[1]
COMMUNES = ["Xã Hoằng Lưu", "Xã Quảng Hòa", "Thị trấn Bút Sơn"]
LIST_FILE = "Danh_sach_xa.txt"


@pytest.fixture
def district(tmp_path) -> Path:
    """A district officer's folder: the control workbook with the communes typed on its list
    sheet, its module, and the same list as a file (the command line's `--expect`)."""
    folder = tmp_path / "Huyện Hoằng Hóa"
    folder.mkdir()
    shutil.copy(REPO / "workbooks" / WORKBOOK_NAME, folder)
    shutil.copy(REPO / "workbooks" / "CCHC_TongHop.py", folder)
    (folder / LIST_FILE).write_text("\ufeff" + "\n".join(COMMUNES) + "\n\n", encoding="utf-8")
    type_units(folder / WORKBOOK_NAME, [[name] for name in COMMUNES])
    return folder / WORKBOOK_NAME


def type_units(book: Path, rows: list[list[object]]) -> None:
    """What staff type on the list sheet (the rows from its first one; earlier entries cleared)."""
    sheet = FileSheet(book).other(L.UNITS_SHEET)
    sheet.clear(L.UNITS_AREA)
    sheet.write_rows(f"B{L.UNITS_FIRST_ROW}", rows)
    sheet.save()


@pytest.fixture
def submissions(district) -> Path:
    """The communes' folder as received: two filled appendices, an unreadable file, clutter."""
    folder = district.parent / L.FOLDER.default
    folder.mkdir()
    write_sample(load_sample("hoang_luu_2023_q2"), folder / "Hoang_Luu.xlsx")
    write_sample(load_sample("quang_hoa_2022"), folder / "Quang_Hoa.xlsx")
    (folder / "Xa_Loi.xlsx").write_text("không phải Excel", encoding="utf-8")
    (folder / "~$Hoang_Luu.xlsx").write_bytes(b"lock")
    (folder / "ghi chu.txt").write_text("ghi chú", encoding="utf-8")
    return folder


def click(book: Path, consolidate=None, pick=None, **settings: object) -> FileSheet:
    """Type the settings (cell -> value), press the button, save; returns the reopened sheet."""
    sheet = FileSheet(book)
    for cell, value in settings.items():
        sheet.write(cell, value)
    run(sheet, book, consolidate, units=sheet.other(L.UNITS_SHEET), pick=pick)
    sheet.save()
    return FileSheet(book)


def details(sheet: FileSheet) -> list[tuple]:
    rows = []
    for row in range(L.FIRST_DETAIL_ROW, L.FIRST_DETAIL_ROW + L.DETAIL_ROWS):
        values = tuple(sheet.read(f"{c}{row}") for c in L.DETAIL_COLUMNS)
        if values == (None,) * 4:
            break
        rows.append(values)
    return rows


def settings(action: str, **cells: object) -> dict[str, object]:
    return {L.ACTION.cell: action, L.YEAR.cell: 2023, L.KIND.cell: "Quý II", **cells}


@pytest.mark.parametrize("listed_in", ["sheet", "file"])
def test_make_templates_writes_one_template_per_listed_commune(district, listed_in):
    """One click with the list typed on the list sheet, or with the list file named in its cell."""
    if listed_in == "file":
        type_units(district, [])
    sheet = click(district, **settings(L.MAKE_TEMPLATES, **{L.COMMUNES.cell: LIST_FILE if listed_in == "file" else None}))
    assert sheet.read(L.STATUS_CODE) == L.OK
    folder = district.parent / L.TEMPLATES.default
    period = Period.parse("2023-Q2")
    for name in COMMUNES:
        submission = read_submission(folder / template_file_name(name, period))
        assert (submission.unit, submission.period) == (name, period)
    assert [row[0] for row in details(sheet)] == [template_file_name(n, period) for n in COMMUNES]
    assert sheet.read(L.PROGRESS) == f"3/3: {COMMUNES[-1]}"
    assert sheet.read(L.LAST_RUN)


def test_review_reports_what_check_reports_for_every_commune_file(district, submissions):
    sheet = click(district, **{L.ACTION.cell: L.REVIEW})
    assert sheet.read(L.STATUS_CODE) == L.UNREADABLE
    files = ["Hoang_Luu.xlsx", "Quang_Hoa.xlsx", "Xa_Loi.xlsx"]
    expected = set()
    for name in files:
        review = review_file(submissions / name)
        expected |= {(name, p.cell, p.code) for p in review.problems}
        expected |= {(name, f.cell, f.code) for f in review.findings}
    written = {(f, cell, code) for f, _message, cell, code in details(sheet)}
    assert written == expected | {(str(submissions), None, None)}  # "ghi chu.txt" skipped, as the CLI says
    assert ("Hoang_Luu.xlsx", layout_for(load_form()).value_cell("3.3.1"), "3.3.1") in written  # 625 ≠ 602
    assert ("Xa_Loi.xlsx", None, None) in written
    assert sheet.read(L.PROGRESS) == "3/3: Xa_Loi.xlsx"


#: Hoằng Lưu's real values with its six flagged numbers corrected: a file `check` finds clean.
CORRECTIONS = {"1.1": dt.date(2023, 1, 15), "3.3.1": 625, "3.3.2": 625, "3.4.3": 187, "4.1.1": 19, "7.2.3.a": 30}


def test_review_of_a_clean_file_says_so(district):
    folder = district.parent / "Da_sua"
    folder.mkdir()
    sample = load_sample("hoang_luu_2023_q2")
    fill_template(sample.unit, sample.period, {**sample.values, **CORRECTIONS}).save(folder / "Hoang_Luu.xlsx")
    sheet = click(district, **{L.ACTION.cell: L.REVIEW, L.FOLDER.cell: "Da_sua"})
    assert sheet.read(L.STATUS_CODE) == L.OK
    ((name, message, cell, code),) = details(sheet)
    assert (name, cell, code) == ("Hoang_Luu.xlsx", None, None)


@pytest.mark.parametrize("cells, cell_named", [
    ({L.ACTION.cell: ""}, L.ACTION.cell),
    ({L.ACTION.cell: L.MAKE_TEMPLATES, L.YEAR.cell: "hai không hai ba", L.KIND.cell: "Quý II"}, L.YEAR.cell),
    ({L.ACTION.cell: L.MAKE_TEMPLATES, L.YEAR.cell: 2023, L.KIND.cell: None}, L.KIND.cell),
    ({L.ACTION.cell: L.MAKE_TEMPLATES, L.YEAR.cell: 2023, L.KIND.cell: "Quý V"}, L.KIND.cell),
    ({L.ACTION.cell: L.MAKE_TEMPLATES, L.YEAR.cell: 2023, L.KIND.cell: "Quý II", L.COMMUNES.cell: "khong_co.txt"}, L.COMMUNES.cell),
    ({L.ACTION.cell: L.REVIEW, L.FOLDER.cell: "Thư mục không có"}, L.FOLDER.cell),
    ({L.ACTION.cell: L.REVIEW, L.FOLDER.cell: "."}, L.FOLDER.cell),       # only the workbook itself
    ({L.ACTION.cell: L.CONSOLIDATE, L.YEAR.cell: 2023, L.KIND.cell: "Quý II"}, L.UNIT.cell),
])
def test_expected_problems_end_as_a_status_message_naming_the_cell(district, cells, cell_named):
    sheet = click(district, consolidate=_must_not_run, **cells)
    assert sheet.read(L.STATUS_CODE) == L.ERROR
    assert cell_named in sheet.read(L.STATUS)
    assert details(sheet) == []


@pytest.mark.parametrize("action", [L.MAKE_TEMPLATES, L.SUBMITTED])
def test_no_list_on_the_sheet_nor_in_the_cell_is_a_status_naming_both(district, submissions, action):
    type_units(district, [])
    sheet = click(district, **settings(action))
    assert sheet.read(L.STATUS_CODE) == L.ERROR
    assert L.UNITS_SHEET in sheet.read(L.STATUS) and L.COMMUNES.cell in sheet.read(L.STATUS)


def test_the_list_sheet_reads_as_a_list_file_former_names_included(district):
    """Row "Xã Mới | Xã Cũ A, Xã Cũ B" is the file's line "Xã Mới = Xã Cũ A, Xã Cũ B"; blank rows skipped."""
    type_units(district, [["Xã Hoằng Lưu", "Xã Hoằng Cũ, Xã Hoằng Xưa"], [None, None], ["  Xã Quảng Hòa "], [2023]])
    units = Settings.read(FileSheet(district), district.parent, FileSheet(district).other(L.UNITS_SHEET)).units()
    assert units.names == ("Xã Hoằng Lưu", "Xã Quảng Hòa", "2023")
    assert units.successor("Hoằng Xưa") == "Xã Hoằng Lưu" and units.successor("Xã Quảng Hòa") is None


def test_a_contradiction_in_the_list_sheet_names_its_row(district):
    type_units(district, [["Xã A", "Xã Cũ"], ["Xã B", "Xã Cũ"]])
    sheet = click(district, **settings(L.MAKE_TEMPLATES))
    assert sheet.read(L.STATUS_CODE) == L.ERROR
    assert f"dòng {L.UNITS_FIRST_ROW + 1}" in sheet.read(L.STATUS) and L.UNITS_SHEET in sheet.read(L.STATUS)


def test_a_workbook_without_its_list_sheet_still_runs_on_the_list_file(district):
    sheet = FileSheet(district)
    for cell, value in settings(L.MAKE_TEMPLATES, **{L.COMMUNES.cell: LIST_FILE}).items():
        sheet.write(cell, value)
    assert run(sheet, district).status == L.OK


@dataclass
class FakeDialog:
    """Excel's folder dialog: answers `choice` (None: Cancel) and records what it was asked."""

    choice: Path | None
    asked: list[tuple[str, Path]] = field(default_factory=list)

    def __call__(self, title: str, start: Path) -> str | None:
        self.asked.append((title, start))
        return None if self.choice is None else str(self.choice)


@pytest.mark.parametrize("typed", [None, "Thư mục không có"])
def test_a_missing_communes_folder_is_asked_in_the_folder_dialog_and_kept(district, submissions, typed):
    dialog, fake = FakeDialog(submissions), FakeConsolidation()
    cells = settings(L.CONSOLIDATE, **{L.UNIT.cell: "Huyện Hoằng Hóa", L.FOLDER.cell: typed})
    sheet = click(district, consolidate=fake, pick=dialog, **cells)
    ((title, start),) = dialog.asked
    assert L.FOLDER.cell in title and start == district.parent
    assert fake.calls[0]["inputs"] == [submissions]
    assert sheet.read(L.FOLDER.cell) == str(submissions)     # the next click asks nothing
    click(district, consolidate=fake, pick=dialog, **{L.ACTION.cell: L.REVIEW})
    assert len(dialog.asked) == 1


def test_a_cancelled_folder_dialog_reports_the_cell_as_before(district, submissions):
    dialog = FakeDialog(None)
    sheet = click(district, consolidate=_must_not_run, pick=dialog,
                  **settings(L.CONSOLIDATE, **{L.UNIT.cell: "Huyện X", L.FOLDER.cell: "Khong_co"}))
    assert len(dialog.asked) == 1
    assert sheet.read(L.STATUS_CODE) == L.ERROR and L.FOLDER.cell in sheet.read(L.STATUS)
    assert sheet.read(L.FOLDER.cell) == "Khong_co"


def test_the_templates_folder_is_asked_only_when_its_cell_is_empty(district, tmp_path):
    chosen = tmp_path / "Mẫu quý II"
    chosen.mkdir()
    dialog = FakeDialog(chosen)
    click(district, pick=dialog, **settings(L.MAKE_TEMPLATES, **{L.TEMPLATES.cell: "Chua_co_se_tao"}))
    assert dialog.asked == [] and (district.parent / "Chua_co_se_tao").is_dir()
    click(district, pick=dialog, **settings(L.MAKE_TEMPLATES, **{L.TEMPLATES.cell: None}))
    assert L.TEMPLATES.cell in dialog.asked[0][0]
    assert sorted(p.name for p in chosen.iterdir()) == sorted(template_file_name(n, Period.parse("2023-Q2"))
                                                               for n in COMMUNES)


def test_a_communes_list_saved_in_a_legacy_encoding_is_a_status_message(district):
    (district.parent / LIST_FILE).write_bytes("Xã Hòa".encode("cp1252"))   # Notepad's old "ANSI"
    sheet = click(district, **settings(L.MAKE_TEMPLATES, **{L.COMMUNES.cell: LIST_FILE}))
    assert sheet.read(L.STATUS_CODE) == L.ERROR
    assert L.COMMUNES.cell in sheet.read(L.STATUS)


@pytest.mark.parametrize("year, kind, expected", [(2023.0, "Quý II", "2023-Q2"), ("2023", "Cả năm", "2023"),
                                                  (" 2024 ", "9 tháng", "2024-9T")])
def test_period_is_read_as_excel_hands_it_over(year, kind, expected):
    """xlwings gives numbers as floats; a year typed as text works too."""
    values = {L.YEAR.cell: year, L.KIND.cell: kind}
    assert Settings(values, Path(".")).period() == Period.parse(expected)


def test_a_folder_that_cannot_be_created_is_a_status_message(district):
    (district.parent / "Mau_la_tep").write_text("", encoding="utf-8")
    sheet = click(district, **settings(L.MAKE_TEMPLATES, **{L.TEMPLATES.cell: "Mau_la_tep"}))
    assert sheet.read(L.STATUS_CODE) == L.ERROR
    assert "Mau_la_tep" in sheet.read(L.STATUS)


def _must_not_run(*args, **kwargs):
    raise AssertionError("consolidation started despite bad settings")


@dataclass
class FakeResult:
    output: Path
    communes: list[str]
    problems: list[Problem]
    flag_count: int
    unreadable: list[str]
    exit_code: int


@dataclass
class FakeConsolidation:
    """A test double of `consolidate.consolidate_files` that forces each exit code; the real one
    runs in `test_consolidate_from_the_button_equals_the_cli`."""

    exit_code: int = 0
    problems: list[Problem] = field(default_factory=list)
    calls: list[dict] = field(default_factory=list)

    def __call__(self, inputs, output, unit, period, expect=None, progress=None, options=None,
                 exclude=()) -> FakeResult:
        self.calls.append({"inputs": inputs, "output": output, "unit": unit, "period": period, "expect": expect,
                           "options": options, "exclude": exclude})
        files = sorted(p for folder in inputs for p in folder.glob("*.xlsx") if not p.name.startswith("~$") and p != output)
        for i, path in enumerate(files, start=1):
            progress(i, len(files), path.name)
        unreadable = [p.name for p in files if p.name == "Xa_Loi.xlsx"]
        return FakeResult(output, ["Xã Hoằng Lưu", "Xã Quảng Hòa"], self.problems, 7, unreadable, self.exit_code)


@pytest.mark.parametrize("exit_code, status", [(0, L.OK), (1, L.FLAGS), (2, L.UNREADABLE)])
def test_consolidate_passes_the_settings_to_the_core_and_reports_its_result(district, submissions, exit_code, status):
    (submissions / "Tong_hop_huyen.xlsx").write_bytes(b"previous output")
    problem = Problem("Xa_Loi.xlsx", "Không đọc được tệp 'Xa_Loi.xlsx'.", kind="unreadable")
    fake = FakeConsolidation(exit_code, [problem])
    cells = settings(L.CONSOLIDATE, **{L.UNIT.cell: "Huyện Hoằng Hóa", L.KIND.cell: "6 tháng",
                                       L.OUTPUT.cell: f"{L.FOLDER.default}/Tong_hop_huyen.xlsx"})
    sheet = click(district, consolidate=fake, **cells)
    (call,) = fake.calls
    assert call["inputs"] == [submissions] and call["exclude"] == [district]
    assert call["output"] == submissions / "Tong_hop_huyen.xlsx"
    assert (call["unit"], call["period"]) == ("Huyện Hoằng Hóa", Period.parse("2023-6T"))
    assert list(call["expect"]) == COMMUNES          # the list sheet's
    assert sheet.read(L.STATUS_CODE) == status
    assert details(sheet) == [("Xa_Loi.xlsx", problem.message, None, None)]
    assert sheet.read(L.PROGRESS) == "3/3: Xa_Loi.xlsx"


def test_consolidate_takes_paths_as_staff_paste_them(district, submissions):
    fake = FakeConsolidation()
    cells = settings(L.CONSOLIDATE, **{L.UNIT.cell: "Huyện Hoằng Hóa", L.KIND.cell: "Cả năm",
                                       L.FOLDER.cell: f'"{submissions}"', L.COMMUNES.cell: f'"{LIST_FILE}"',
                                       L.OUTPUT.cell: str(district.parent / "kq.xlsx")})
    sheet = click(district, consolidate=fake, **cells)
    (call,) = fake.calls
    assert call["inputs"] == [submissions]
    assert (call["expect"], call["period"]) == (district.parent / LIST_FILE, Period.parse("2023"))
    assert sheet.read(L.STATUS_CODE) == L.OK


def test_consolidate_without_any_list_expects_no_one(district, submissions):
    type_units(district, [])
    fake = FakeConsolidation()
    click(district, consolidate=fake, **settings(L.CONSOLIDATE, **{L.UNIT.cell: "Huyện Hoằng Hóa"}))
    assert fake.calls[0]["expect"] is None


def test_an_output_that_cannot_be_written_is_a_status_message(district, submissions):
    def locked(inputs, output, *args, **kwargs):
        raise OutputError(f"Không ghi được '{output}': tệp đang mở.")
    cells = settings(L.CONSOLIDATE, **{L.UNIT.cell: "Huyện Hoằng Hóa"})
    sheet = click(district, consolidate=locked, **cells)
    assert sheet.read(L.STATUS_CODE) == L.ERROR
    assert "Tong_hop_huyen.xlsx" in sheet.read(L.STATUS)


def test_a_bug_is_shown_in_the_sheet_and_still_raised_for_the_error_dialog(district, submissions):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")
    sheet = FileSheet(district)
    for cell, value in settings(L.CONSOLIDATE, **{L.UNIT.cell: "Huyện Hoằng Hóa"}).items():
        sheet.write(cell, value)
    with pytest.raises(ZeroDivisionError):
        run(sheet, district, broken)
    assert sheet.read(L.STATUS_CODE) == L.ERROR
    assert "ZeroDivisionError" in sheet.read(L.STATUS)


def test_details_beyond_the_table_are_summarised_in_its_last_row(district, submissions):
    many = [Problem(f"X{i}.xlsx", f"vấn đề {i}") for i in range(L.DETAIL_ROWS + 40)]
    cells = settings(L.CONSOLIDATE, **{L.UNIT.cell: "Huyện Hoằng Hóa"})
    sheet = click(district, consolidate=FakeConsolidation(1, many), **cells)
    rows = details(sheet)
    assert len(rows) == L.DETAIL_ROWS
    assert rows[-2][0] == f"X{L.DETAIL_ROWS - 2}.xlsx"
    assert rows[-1][0] is None and "41" in rows[-1][1]


def test_a_second_click_replaces_the_previous_details(district, submissions):
    click(district, **{L.ACTION.cell: L.REVIEW})
    sheet = click(district, **settings(L.MAKE_TEMPLATES))
    assert all(row[0].endswith("_2023-Q2.xlsx") for row in details(sheet))


@pytest.mark.parametrize("text", ["=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)"])
def test_text_that_looks_like_a_formula_is_written_as_text(text):
    assert literal(text) == "'" + text


@pytest.mark.parametrize("value", ["Xã Hoằng Lưu", "", 12, None, "3.3.1"])
def test_other_values_are_written_unchanged(value):
    assert literal(value) == value


def test_saved_workbook_keeps_its_macros(district):
    click(district, **settings(L.MAKE_TEMPLATES))
    assert load_workbook(district, keep_vba=True).vba_archive is not None


def _sheet_values(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book.worksheets}


def test_templates_from_the_button_equal_the_cli(district):
    """The list typed on the sheet gives the templates the list file gives `template --units-file`."""
    click(district, **settings(L.MAKE_TEMPLATES))
    by_cli = district.parent / "Mau_tu_lenh"
    assert _cli("template", "--period", "2023-Q2", "--units-file", str(district.parent / LIST_FILE),
                "--out-dir", str(by_cli)).exit_code == 0
    by_button = district.parent / L.TEMPLATES.default
    names = sorted(p.name for p in by_cli.iterdir())
    assert names == sorted(p.name for p in by_button.iterdir()) and len(names) == len(COMMUNES)
    assert all(_sheet_values(by_button / name) == _sheet_values(by_cli / name) for name in names)


def test_consolidate_from_the_button_equals_the_cli(district, submissions):
    from typer.testing import CliRunner

    from cchc_xl.shells.cli import app

    cells = settings(L.CONSOLIDATE, **{L.UNIT.cell: "Huyện Hoằng Hóa", L.OUTPUT.cell: "Tu_nut_bam.xlsx"})
    sheet = click(district, **cells)
    assert sheet.read(L.STATUS_CODE) == L.UNREADABLE  # Xa_Loi.xlsx is no workbook
    by_cli = district.parent / "Tu_dong_lenh.xlsx"
    result = CliRunner().invoke(app, ["consolidate", str(submissions), "-o", str(by_cli), "--unit", "Huyện Hoằng Hóa",
                                      "--period", "2023-Q2", "--expect", str(district.parent / LIST_FILE)])
    assert result.exit_code == 2, result.output
    assert _sheet_values(district.parent / "Tu_nut_bam.xlsx") == _sheet_values(by_cli)


def _cli(*args: str):
    from typer.testing import CliRunner

    from cchc_xl.shells.cli import app
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def last_quarter(district, submissions) -> Path:
    """A district workbook of the quarter before, for the comparison with earlier periods."""
    earlier = district.parent / "Quy_I"
    earlier.mkdir()
    write_sample(load_sample("hoang_luu_2023_q2"), earlier / "Hoang_Luu.xlsx")
    output = district.parent / "Tong_hop_quy_I.xlsx"
    result = _cli("consolidate", str(earlier), "-o", str(output), "--unit", "Huyện Hoằng Hóa", "--period", "2023-Q2")
    assert result.exit_code in (0, 1), result.output
    return output


def test_consolidate_with_district_form_own_figures_and_earlier_periods_equals_the_cli(district, submissions,
                                                                                       last_quarter):
    """The three optional cells are `--form`, `--own` and `--previous` (several, split by ;)."""
    own = district.parent / "So_lieu_huyen.xlsx"
    assert _cli("template", "--form", "huyen_2023", "--unit", "Huyện Hoằng Hóa", "--period", "2023-Q2",
                "-o", str(own)).exit_code == 0
    cells = settings(L.CONSOLIDATE, **{L.UNIT.cell: "Huyện Hoằng Hóa", L.OUTPUT.cell: "Tu_nut_bam.xlsx",
                                       L.DISTRICT_FORM.cell: "huyen_2023", L.OWN.cell: own.name,
                                       L.PREVIOUS.cell: f"{last_quarter.name}; {last_quarter.parent / 'Quy_I'}"})
    sheet = click(district, **cells)
    assert sheet.read(L.STATUS_CODE) == L.UNREADABLE, sheet.read(L.STATUS)
    by_cli = district.parent / "Tu_dong_lenh.xlsx"
    result = _cli("consolidate", str(submissions), "-o", str(by_cli), "--unit", "Huyện Hoằng Hóa", "--period",
                  "2023-Q2", "--expect", str(district.parent / LIST_FILE), "--form", "huyen_2023",
                  "--own", str(own), "--previous", str(last_quarter), "--previous", str(last_quarter.parent / "Quy_I"))
    assert result.exit_code == 2, result.output
    by_button = _sheet_values(district.parent / "Tu_nut_bam.xlsx")
    assert {"Bảng tổng hợp", "So sánh kỳ trước"} <= set(by_button)
    assert by_button == _sheet_values(by_cli)


def test_rollup_from_the_button_equals_the_cli(district, submissions):
    cells = settings(L.ROLLUP, **{L.UNIT.cell: "Huyện Hoằng Hóa", L.KIND.cell: "6 tháng",
                                  L.OUTPUT.cell: "Luy_ke_nut_bam.xlsx"})
    sheet = click(district, **cells)
    assert sheet.read(L.STATUS).startswith("Đã cộng dồn")
    by_cli = district.parent / "Luy_ke_lenh.xlsx"
    result = _cli("rollup", str(submissions), "-o", str(by_cli), "--unit", "Huyện Hoằng Hóa", "--period", "2023-6T",
                  "--expect", str(district.parent / LIST_FILE))
    assert result.exit_code == 2, result.output
    assert _sheet_values(district.parent / "Luy_ke_nut_bam.xlsx") == _sheet_values(by_cli)


def test_rollup_of_one_quarter_is_refused_naming_the_cell(district, submissions):
    sheet = click(district, consolidate=_must_not_run, **settings(L.ROLLUP, **{L.UNIT.cell: "Huyện Hoằng Hóa"}))
    assert sheet.read(L.STATUS_CODE) == L.ERROR and f"Ô {L.KIND.cell}" in sheet.read(L.STATUS)


def test_who_has_not_sent_equals_the_status_command(district, submissions):
    import json
    sheet = click(district, **settings(L.SUBMITTED))
    result = _cli("status", str(submissions), "--period", "2023-Q2", "--expect",
                  str(district.parent / LIST_FILE), "--json")
    units = json.loads(result.output)["units"]
    assert [u["unit"] for u in units] == COMMUNES
    shown = [row[1] for row in details(sheet)]
    assert [text.split(":")[0] for text in shown] == [u["unit"] for u in units]
    from cchc_xl.cycle.status import STATES
    assert all(STATES[u["state"]] in text for u, text in zip(units, shown))
    assert sheet.read(L.STATUS_CODE) == {0: L.OK, 1: L.FLAGS}.get(result.exit_code, L.UNREADABLE)
    assert "Thị trấn Bút Sơn" in shown[-1] and STATES["missing"] in shown[-1]


def test_print_from_the_button_equals_the_pdf_command(district, submissions, libreoffice):
    from pypdf import PdfReader
    output = district.parent / "Tong_hop_huyen.xlsx"
    _cli("consolidate", str(submissions), "-o", str(output), "--unit", "Huyện Hoằng Hóa", "--period", "2023-Q2")
    sheet = click(district, **settings(L.PRINT))
    assert sheet.read(L.STATUS_CODE) == L.OK, sheet.read(L.STATUS)
    by_button = output.with_suffix(".pdf")
    by_cli = district.parent / "lenh.pdf"
    assert _cli("pdf", str(output), "-o", str(by_cli)).exit_code == 0
    texts = [[page.extract_text() for page in PdfReader(pdf).pages] for pdf in (by_button, by_cli)]
    assert texts[0] == texts[1] and "ỦY BAN NHÂN DÂN" in texts[0][0]


@pytest.mark.parametrize("cells, cell_named", [
    ({L.OWN.cell: LIST_FILE}, L.OWN.cell),                      # own figures need a district form
    ({L.DISTRICT_FORM.cell: "khong_co_bieu"}, L.DISTRICT_FORM.cell),
    ({L.DISTRICT_FORM.cell: "bieu_huyen.toml"}, L.DISTRICT_FORM.cell),   # no such file
    ({L.PREVIOUS.cell: "Quy_I.xlsx; Khong_co"}, L.PREVIOUS.cell),
])
def test_the_optional_cells_problems_name_their_cell(district, submissions, cells, cell_named):
    (district.parent / "Quy_I.xlsx").write_bytes(b"x")
    sheet = click(district, consolidate=_must_not_run, **settings(L.CONSOLIDATE, **{L.UNIT.cell: "Huyện X"}, **cells))
    assert sheet.read(L.STATUS_CODE) == L.ERROR
    assert f"ô {cell_named.lower()}" in sheet.read(L.STATUS).lower()


def test_review_of_one_file_equals_check_of_that_file(district, submissions):
    import json
    one = submissions / "Hoang_Luu.xlsx"
    sheet = click(district, **{L.ACTION.cell: L.REVIEW, L.FOLDER.cell: str(one)})
    flags = json.loads(_cli("check", str(one), "--json").output)
    assert flags and {(r[0], r[1], r[2], r[3]) for r in details(sheet)} == \
        {(f["file"], f["message"], f["cell"], f["code"]) for f in flags}


def test_review_of_a_folder_with_a_district_workbook_equals_check(district, submissions):
    """A district workbook among the files is checked commune by commune, as `check` does it
    (read as one commune's appendix it would give other flags, or none)."""
    import json
    folder = district.parent / "Da_tong_hop"
    folder.mkdir()
    shutil.copy(submissions / "Hoang_Luu.xlsx", folder)
    made = _cli("consolidate", str(submissions / "Hoang_Luu.xlsx"), str(submissions / "Quang_Hoa.xlsx"),
                "-o", str(folder / "Huyen.xlsx"), "--unit", "Huyện Hoằng Hóa", "--period", "2023-Q2")
    assert made.exit_code == 1, made.output
    sheet = click(district, **{L.ACTION.cell: L.REVIEW, L.FOLDER.cell: "Da_tong_hop"})
    flags = json.loads(_cli("check", str(folder), "--json").output)
    district_flags = {f["unit"] for f in flags if f["file"] == "Huyen.xlsx"}
    assert district_flags == {"Xã Hoằng Lưu"}  # Quảng Hòa's column raises no flag
    assert {(r[0], r[1], r[2], r[3]) for r in details(sheet)} == \
        {(f["file"], f["message"], f["cell"], f["code"]) for f in flags}
    assert sheet.read(L.STATUS).startswith("Đã kiểm tra 2 tệp: 2 tệp có cảnh báo")


class _ComFolderDialog:
    """Excel's FileDialog object as pywin32 hands it over: Title, InitialFileName, Show, SelectedItems."""

    def __init__(self, answer: int) -> None:
        self.answer, self.Title, self.InitialFileName = answer, None, None

    def Show(self) -> int:  # noqa: N802 - COM's names
        return self.answer

    def SelectedItems(self, index: int) -> str:  # noqa: N802
        assert index == 1
        return r"D:\CCHC\Bao_cao_cac_xa"


@pytest.mark.parametrize("answer, expected", [(-1, r"D:\CCHC\Bao_cao_cac_xa"), (0, None)])
def test_the_excel_dialog_asks_for_a_folder_and_reads_the_choice(answer, expected):
    from types import SimpleNamespace

    from cchc_xl.shells.excel import _excel_folder_dialog
    dialog = _ComFolderDialog(answer)
    kinds = []
    app = SimpleNamespace(api=SimpleNamespace(FileDialog=lambda kind: kinds.append(kind) or dialog))
    assert _excel_folder_dialog(app)("Chọn thư mục", Path("D:/CCHC")) == expected
    assert kinds == [4]                      # msoFileDialogFolderPicker
    assert dialog.Title == "Chọn thư mục" and dialog.InitialFileName.endswith("\\")


@pytest.mark.parametrize("status, mode", [(L.OK, "info"), (L.FLAGS, "info"), (L.UNREADABLE, "critical"),
                                          (L.ERROR, "critical")])
def test_each_click_ends_in_a_message_box_saying_the_status(status, mode):
    outcome = Outcome(status, "Đã tổng hợp 2 xã: 7 cảnh báo. Xem mục 4.")
    assert message_box(outcome) == {"prompt": outcome.message, "title": MESSAGE_TITLE, "mode": mode}
