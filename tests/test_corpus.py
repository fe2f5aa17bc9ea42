"""The corpus of bad and hostile inputs (`corpus.CASES`): each case alone through the CLI (the
message the user sees, with its file and cell, and the exit code), then every case together
beside the sample communes (the samples consolidate as if alone, no input changes by a byte, the
output is complete, no commune text became a formula, nothing of a hostile file got through)."""
from __future__ import annotations

import hashlib
import html
import re
import zipfile
from pathlib import Path

import pytest
from corpus import (
    CASES,
    DECOY_VALUE,
    INJECTED,
    INJECTED_FILE,
    INJECTED_UNIT,
    MACRO_MARK,
    SECRET,
    Case,
    readme_table,
)
from helpers import flat
from openpyxl import load_workbook
from typer.testing import CliRunner

from cchc_xl.commune.samples import DEMO_PERIOD, DEMO_UNIT, write_samples
from cchc_xl.cycle.run import ConsolidationResult, consolidate_files
from cchc_xl.district.provenance import (
    CONSOLIDATED,
    PROBLEM_KINDS,
    SOURCE_SHEET,
    UNREADABLE,
)
from cchc_xl.district.xlsx_out import storable
from cchc_xl.shells.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
PROBLEM_TITLES = ("STT", "Tệp", "Ô", "Mã", "Loại", "Nội dung")


def digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(case: Case, root: Path) -> tuple[Path, list[Path]]:
    folder = root / case.name
    folder.mkdir(parents=True)
    return folder, case.make(folder)


def problem_rows(output: Path) -> list[tuple[str, str, str, str]]:
    """(file, cell, kind, message) of the problem table of `Nguồn`."""
    rows = list(load_workbook(output, read_only=True)[SOURCE_SHEET].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if tuple(row[:6]) == PROBLEM_TITLES)
    return [(r[1] or "", r[2] or "", r[4] or "", r[5] or "") for r in rows[start + 1:] if r[0]]


def source_statuses(output: Path) -> dict[str, str]:
    """Status of each file received, by file name, from `Nguồn`."""
    rows = load_workbook(output, read_only=True)[SOURCE_SHEET].iter_rows(min_row=3, values_only=True)
    statuses = {}
    for row in rows:
        if row[0] is None:
            break
        statuses[row[3]] = row[2]
    return statuses


def communes_of(output: Path) -> list[str]:
    """The commune columns' titles of `Tổng hợp`."""
    meta = {k: v for k, v in load_workbook(output, read_only=True)["_cchc"].iter_rows(values_only=True)}
    header = next(load_workbook(output, read_only=True)["Tổng hợp"].iter_rows(
        min_row=int(meta["header_row"]), max_row=int(meta["header_row"]), values_only=True))
    return list(header[3:3 + int(meta["communes"])])


def run_cli(args: list[Path], output: Path):
    return CliRunner().invoke(app, ["consolidate", *map(str, args), "-o", str(output), "--unit", DEMO_UNIT,
                                    "--period", DEMO_PERIOD.key])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_case_alone(case: Case, tmp_path, request):
    if case.needs_libreoffice:
        request.getfixturevalue("libreoffice")
    folder, args = build(case, tmp_path / "vao")
    before = digests(tmp_path / "vao")
    output = tmp_path / "huyen.xlsx"
    result = run_cli(args, output)
    assert result.exit_code == case.exit_code, result.output
    assert digests(tmp_path / "vao") == before
    assert not list(tmp_path.glob(".~cchc-*"))
    seen = case.regex(case.file or str(folder))
    if case.outcome == "unreadable":
        assert seen.search(flat(result.stdout)), result.stdout
        assert source_statuses(output)[case.file] == UNREADABLE
    elif case.outcome in ("problem", "skipped"):
        rows = [row for row in problem_rows(output) if row[2] == PROBLEM_KINDS.get(case.kind, case.kind)]
        assert any(seen.fullmatch(message) and (case.cell or "") == cell for _, cell, _, message in rows), rows
        named = case.file or str(folder)
        assert named in {file for file, _, _, _ in rows}
    elif case.outcome == "finding":
        assert f"{case.commune}: 1 lỗi" in flat(result.stdout)
        sheet = load_workbook(output)["Kiểm tra"]
        [row] = [r for r in sheet.iter_rows(min_row=5) if r[3].value == case.kind]
        assert not sheet.row_dimensions[row[0].row].hidden
        checked = CliRunner().invoke(app, ["check", str(folder / case.file)])
        assert checked.exit_code == 1 and seen.search(flat(checked.output)), checked.output
    elif case.file is not None and not case.file.startswith("~$"):
        shown = storable(case.file)  # an undecodable byte is shown as �
        assert source_statuses(output)[shown] == CONSOLIDATED
        assert not [row for row in problem_rows(output) if row[0] == shown], problem_rows(output)
    if case.commune is not None:
        assert case.commune in communes_of(output)


@pytest.fixture(scope="module")
def everything(tmp_path_factory, libreoffice) -> tuple[Path, ConsolidationResult, dict[str, str]]:
    """Every case beside the five sample communes, consolidated in one run."""
    root = tmp_path_factory.mktemp("tat_ca")
    samples = root / "mau"
    write_samples(samples)
    for case in CASES:
        build(case, root / "ca")
    inputs = [samples, *sorted((root / "ca").iterdir())]
    before = digests(root)
    (root / "ra").mkdir()
    result = consolidate_files(inputs, root / "ra" / "huyen.xlsx", DEMO_UNIT, DEMO_PERIOD)
    return root, result, before


def test_the_sample_communes_consolidate_as_if_alone(everything, tmp_path):
    root, result, _ = everything
    alone = consolidate_files([root / "mau"], tmp_path / "mau.xlsx", DEMO_UNIT, DEMO_PERIOD)
    together = {c.name: c.values for c in result.consolidation.communes}
    for commune in alone.consolidation.communes:
        assert together[commune.name] == commune.values, commune.name


def test_every_case_is_consolidated_or_named(everything):
    root, result, _ = everything
    names = {c.name for c in result.consolidation.communes}
    assert {case.commune for case in CASES if case.commune} <= names
    unreadable = {path.name for path in result.unreadable}
    assert {case.file for case in CASES if case.outcome == "unreadable"} <= unreadable
    assert result.exit_code == 2
    decoy = next(c for c in result.consolidation.communes if c.name == "Xã Thử Trang Giả")
    assert decoy.values["3.3.1"] != DECOY_VALUE and decoy.cells["3.3.1"].startswith("Bảng đã gửi!")


def test_no_input_changes_by_a_byte(everything):
    root, _, before = everything
    inputs = {path: digest for path, digest in digests(root).items() if not path.startswith("ra/")}
    assert inputs == before


def test_the_output_is_complete(everything):
    root, result, _ = everything
    output = root / "ra" / "huyen.xlsx"
    assert [p.name for p in output.parent.iterdir()] == ["huyen.xlsx"]
    with zipfile.ZipFile(output) as archive:
        assert archive.testzip() is None
    book = load_workbook(output)
    assert book.sheetnames == ["Tổng hợp", "Kiểm tra", "Biểu đồ", "Đối chiếu báo cáo", "Nguồn", "Nguồn số liệu", "_cchc"]
    reports = {(row[0], row[7]) for row in book["Đối chiếu báo cáo"].iter_rows(min_row=5, values_only=True)}
    assert ("Xã Thử Word", "Lời văn không nêu số liệu nào") in reports, "a report without figures is still listed"
    assert communes_of(output) == [c.name for c in result.consolidation.communes]


def _parts(output: Path) -> dict[str, str]:
    with zipfile.ZipFile(output) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


def test_no_commune_text_becomes_a_formula(everything):
    """Every <f> of every sheet is one of ours: none holds a commune's text, name or file name;
    the formula-shaped texts are stored as strings (shared or inline)."""
    root, result, _ = everything
    parts = _parts(root / "ra" / "huyen.xlsx")
    formulas = [html.unescape(f) for name, xml in parts.items() if name.startswith("xl/worksheets/")
                for f in re.findall(r"<f(?:\s[^>]*)?>(.*?)</f>", xml, re.S)]
    assert formulas
    commune_texts = {"INJ_", "cmd|", *(c.name for c in result.consolidation.communes),
                     *(path.name for path in result.unreadable),
                     *(c.received.source.path.name for c in result.consolidation.communes)}
    assert not [(f, text) for f in formulas for text in commune_texts if text in f]
    strings = {html.unescape(t) for xml in parts.values() for t in re.findall(r"<t(?:\s[^>]*)?>(.*?)</t>", xml, re.S)}
    for text in (*INJECTED, INJECTED_UNIT, INJECTED_FILE):
        assert text in strings, text


def test_nothing_of_a_hostile_file_reaches_the_output(everything):
    root, _, _ = everything
    parts = _parts(root / "ra" / "huyen.xlsx")
    everything_written = "".join(parts.values())
    assert SECRET not in everything_written and MACRO_MARK not in everything_written
    assert not [name for name in parts if "vba" in name.lower()]
    assert "macroEnabled" not in parts["[Content_Types].xml"]


def test_thousands_of_unrelated_files_are_never_opened(tmp_path, monkeypatch):
    """The folder's 3000 photos and notes are listed once and never read: the run stays quick."""
    import cchc_xl.read.inputs as inputs
    opened: list[str] = []
    for name in ("read_submission", "fingerprinted"):
        real = getattr(inputs, name)
        monkeypatch.setattr(inputs, name, lambda path, *rest, real=real: opened.append(path.name) or real(path, *rest))
    folder, args = build(next(c for c in CASES if c.name == "many_unrelated_files"), tmp_path)
    result = run_cli(args, tmp_path / "huyen.xlsx")
    assert sorted(set(opened)) == ["xa_that.xlsx"]
    assert len(result.stdout.splitlines()) < 10


def test_the_readme_lists_every_case():
    text = README.read_text("utf-8")
    assert readme_table() in text, "regenerate the table: python -m tests.corpus"
