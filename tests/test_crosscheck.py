"""The report's text against its appendix, on .docx files built from the seeds' text."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cchc_xl.common.problems import ReadError
from cchc_xl.commune.samples import load_sample, write_sample
from cchc_xl.district.crosscheck import CrossCheck, crosscheck_files
from cchc_xl.forms.catalog import CatalogError, parse_form
from cchc_xl.read.narrative import MAX_DOCX_BYTES, read_paragraphs
from cchc_xl.shells.cli import app
from tests.narrative_docs import (
    cu_lao_dung_paragraphs,
    cu_lao_dung_table,
    hoang_luu_paragraphs,
    hoang_luu_table,
    quang_hoa_paragraphs,
    sample_table,
    write_report,
)


@pytest.fixture(scope="module")
def hoang_luu(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("hoang_luu")
    report = write_report(folder / "bao_cao.docx", hoang_luu_paragraphs(), hoang_luu_table())
    return report, write_sample(load_sample("hoang_luu_2023_q2"), folder / "phu_luc.xlsx")


@pytest.fixture(scope="module")
def cu_lao_dung(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cu_lao_dung")
    report = write_report(folder / "bao_cao.docx", cu_lao_dung_paragraphs(), cu_lao_dung_table())
    return report, write_sample(load_sample("cu_lao_dung_2023_q1"), folder / "phu_luc.xlsx")


def _linked(result: CrossCheck) -> dict[tuple[str, str], bool | None]:
    return {(m.code, m.stated): m.agrees for m in result.mentions}


def test_hoang_luu_finds_survey_forms_and_plan_date(hoang_luu: tuple[Path, Path]) -> None:
    result = crosscheck_files(*hoang_luu)
    found = {(f.rule, f.stated, f.table) for f in result.findings}
    assert found == {("narrative:1.4.1", "25", "0"), ("narrative:1.1", "30/12/2022", "30/12/2023")}
    survey = next(f for f in result.findings if f.code == "1.4.1")
    assert "phát 25 phiếu khảo sát" in survey.sentence and survey.severity == "warning"
    assert hoang_luu_paragraphs()[survey.paragraph - 1].count("phát 25 phiếu khảo sát") == 1
    plan = next(f for f in result.findings if f.code == "1.1")
    assert len(plan.also) == 2 and "252/QĐ" in plan.sentence


def test_hoang_luu_figures_shared_correctly_agree(hoang_luu: tuple[Path, Path]) -> None:
    linked = _linked(crosscheck_files(*hoang_luu))
    assert linked[("3.3.1", "602")] is True
    assert linked[("3.3.1.a", "255")] is True
    assert linked[("3.3.2", "602")] is True


def test_unlinked_figures_are_listed_not_compared(hoang_luu: tuple[Path, Path]) -> None:
    result = crosscheck_files(*hoang_luu)
    online = [u for u in result.unlinked if u.figure.text == "347"]
    assert online and online[0].figure.after == "hồ sơ"
    assert all(m.code != "3.3.1.b" for m in result.mentions)
    assert not any(u.figure.text in ("2022", "2023", "30/12/2022") for u in result.unlinked)


def test_cu_lao_dung_finds_task_rate_and_late_files(cu_lao_dung: tuple[Path, Path]) -> None:
    result = crosscheck_files(*cu_lao_dung)
    found = {(f.rule, f.stated, f.table) for f in result.findings}
    assert found == {
        ("narrative:I.1.2", "8/20", "9/19"),
        ("narrative:I.1", "40%", "47,37%"),
        ("narrative:III.7.3", "05", "0 (III.7.2 − III.7.3 = 611 − 611)"),
    }
    linked = _linked(result)
    assert linked[("III.7.1", "1.145")] is True and linked[("III.7.4", "6.530")] is True
    assert linked[("IV.3.5", "28,57%")] is True and linked[("IV.3.3", "02")] is True


def test_quang_hoa_received_files_disagree(tmp_path: Path) -> None:
    report = write_report(tmp_path / "bao_cao.docx", quang_hoa_paragraphs(), sample_table("quang_hoa_2022"))
    appendix = write_sample(load_sample("quang_hoa_2022"), tmp_path / "phu_luc.xlsx")
    result = crosscheck_files(report, appendix)
    assert {(f.rule, f.stated, f.table) for f in result.findings} == {("narrative:3.3.1", "3789", "3.192")}


def test_appendix_table_of_the_report_is_not_read_as_text(cu_lao_dung: tuple[Path, Path]) -> None:
    texts = [p.text for p in read_paragraphs(cu_lao_dung[0])]
    assert len(texts) == len(cu_lao_dung_paragraphs())
    assert not any("Số nhiệm vụ đề ra trong kế hoạch" in t for t in texts)


def test_cli_reports_in_vietnamese_with_exit_codes(hoang_luu: tuple[Path, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["crosscheck", *map(str, hoang_luu)])
    output = " ".join(result.output.split())
    assert result.exit_code == 1
    assert "narrative:1.4.1" in output and "2 không khớp" in output
    clean = write_report(tmp_path / "khop.docx", ["Quý 2/2023 UBND xã đã tiếp nhận 602 hồ sơ."], hoang_luu_table())
    assert runner.invoke(app, ["crosscheck", str(clean), str(hoang_luu[1])]).exit_code == 0
    assert runner.invoke(app, ["crosscheck", str(clean)]).exit_code == 0  # its own appendix table
    without = write_report(tmp_path / "khong_bang.docx", ["Quý 2/2023 UBND xã đã tiếp nhận 602 hồ sơ."], [["Ghi chú"]])
    missing = runner.invoke(app, ["crosscheck", str(without)])
    assert missing.exit_code == 2 and "không có bảng phụ lục" in " ".join(missing.output.split())


@pytest.mark.parametrize("fixture", ["hoang_luu", "cu_lao_dung"])
def test_the_appendix_table_inside_the_report_serves_as_the_appendix(fixture: str, request) -> None:
    report, appendix = request.getfixturevalue(fixture)
    alone, beside = crosscheck_files(report), crosscheck_files(report, appendix)
    assert {(f.rule, f.stated, f.table) for f in alone.findings} == {(f.rule, f.stated, f.table) for f in beside.findings}
    assert alone.findings and _linked(alone) == _linked(beside)


@pytest.mark.parametrize("content, kind", [
    (b"not a zip at all", "not_docx"),
    ("dtd", "dtd"),
    ("big", "too_large"),
])
def test_bad_docx_is_refused_in_vietnamese(tmp_path: Path, content: bytes | str, kind: str) -> None:
    path = tmp_path / "xau.docx"
    if content == "dtd":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    elif content == "big":
        path.write_bytes(b"\0" * (MAX_DOCX_BYTES + 1))
    else:
        path.write_bytes(content)
    with pytest.raises(ReadError) as error:
        read_paragraphs(path)
    assert error.value.kind == kind and "xau.docx" in str(error.value)


def test_phrase_naming_an_unknown_or_text_row_is_refused() -> None:
    base = {"form": {"id": "t", "title": "t", "heading": "t", "level": "xã", "version": "1", "sheet": "s"},
            "rows": [{"code": "1", "label": "a", "kind": "count"}, {"code": "2", "label": "b", "kind": "text"}]}
    assert len(parse_form({**base, "narrative": [{"phrase": "có {1} hồ sơ"}]}).narrative) == 1
    for phrase in ("có {9} hồ sơ", "có {2} hồ sơ", "không có chỗ số"):
        with pytest.raises(CatalogError):
            parse_form({**base, "narrative": [{"phrase": phrase}]})


def test_consolidate_adds_the_report_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from cchc_xl.cycle.run import consolidate_files
    from cchc_xl.forms.periods import Period
    folder = tmp_path / "xa"
    folder.mkdir()
    write_sample(load_sample("hoang_luu_2023_q2"), folder / "Xa_Hoang_Luu.xlsx")
    write_report(folder / "Xa_Hoang_Luu.docx", hoang_luu_paragraphs(), hoang_luu_table())
    output = tmp_path / "tong_hop.xlsx"
    consolidate_files([folder], output, "Huyện Hoằng Hóa", Period(2023, "Q2"))
    rows = list(load_workbook(output, read_only=True)["Đối chiếu báo cáo"].iter_rows(min_row=5, values_only=True))
    disagreements = {(r[3], r[5]) for r in rows if r[7] == "Không khớp"}
    assert disagreements == {("1.4.1", "phát 25 phiếu khảo sát"), ("1.1", "số 252/QĐ- UBND ngày 30/12/2022"),
                             ("1.1", "số: 252/QĐ - UBND ngày 30/12/2022"), ("1.1", "số 252/QĐ-UBND ngày 30/12/2022")}
    assert ("3.3.1", "Khớp") in {(r[3], r[7]) for r in rows}
    assert any(r[7] == "Chưa gắn được chỉ tiêu" and r[5] == "347 hồ sơ" for r in rows)
    beside_flags = load_workbook(output)["Tổng hợp"]["D5"].comment
    assert beside_flags is not None and "2 số liệu không khớp" in beside_flags.text


@pytest.mark.parametrize("text, table, agrees", [
    ("Trong quý tổ chức phát hai phiếu khảo sát.", 2, True),
    ("Trong quý tổ chức phát 05 phiếu khảo sát.", 5, True),
    ("Quý 2/2023 UBND xã đã tiếp nhận 1.145 hồ sơ; trả hồ sơ đúng hạn 1.100 hồ sơ.", 1145, True),
    ("Trong quý tổ chức phát hai phiếu khảo sát.", 3, False),
])
def test_written_and_grouped_numbers_are_read(text: str, table: float, agrees: bool) -> None:
    from cchc_xl.district.crosscheck import crosscheck
    from cchc_xl.read.narrative import Paragraph
    from cchc_xl.read.reader import Submission
    submission = Submission(path=Path("x.xlsx"), form="xa_2023", sheet="s",
                            parsed={"1.4.1": float(table), "3.3.1": float(table), "3.3.2": 1100.0})
    result = crosscheck([Paragraph(1, text)], submission, "x.docx")
    assert result.mentions and all(m.agrees is agrees for m in result.mentions)
    assert len(result.findings) == (0 if agrees else 1)


def test_a_figure_no_phrase_fits_is_no_finding() -> None:
    from cchc_xl.district.crosscheck import crosscheck
    from cchc_xl.read.narrative import Paragraph
    from cchc_xl.read.reader import Submission
    submission = Submission(path=Path("x.xlsx"), form="xa_2023", sheet="s", parsed={"1.4.1": 0.0})
    text = "Đã lấy được 25 phiếu đánh giá sự hài lòng; khảo sát sự hài lòng của người dân được quan tâm."
    result = crosscheck([Paragraph(1, text)], submission, "x.docx")
    assert not result.mentions and not result.findings
    assert [u.figure.text for u in result.unlinked] == ["25"]
