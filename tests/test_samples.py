"""The sample commune workbooks committed in `workbooks/samples` and the errors they carry."""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from cchc_xl.commune.samples import DEMO_PERIOD, DEMO_UNIT, EXPECTED_FILE
from cchc_xl.cycle.run import consolidate_files

COMMITTED = Path(__file__).resolve().parents[1] / "workbooks" / "samples"
#: The errors each sample was written with (see the comments of cchc_xl/commune/sample_data/*.toml).
KNOWN_FLAGS = {
    "Xã Hoằng Châu": set(),
    "Xã Hoằng Đạo": {"required:1.4.2"},
    "Xã Hoằng Lưu": {"sum:3.3.1", "sum:3.3.2", "le:3.4.3<=3.1.3", "le:4.1.2<=4.1.1",
                     "le:7.2.3.a+7.2.3.b<=100", "date:1.1"},
    # Hoằng Phú's plan date typed as text is read as a date by the consolidation (and reported
    # as a `date_text` problem), so its district column raises no date flag.
    "Xã Hoằng Phú": {"le:1.3.2+1.3.3<=1.3.1", "sum:3.3.2", "required:4.1.1"},
    "Xã Hoằng Thanh": {"percent:3.2.4", "whole:3.3.5"},
}


def cell_values(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book.worksheets}


def test_committed_samples_are_what_the_generator_makes(samples):
    """Regenerate with `python -m cchc_xl samples --out workbooks/samples` when this fails."""
    assert sorted(p.name for p in COMMITTED.iterdir()) == sorted(p.name for p in samples.iterdir())
    for path in sorted(samples.glob("*.xlsx")):
        assert cell_values(COMMITTED / path.name) == cell_values(path), path.name
    assert (COMMITTED / EXPECTED_FILE).read_text("utf-8") == (samples / EXPECTED_FILE).read_text("utf-8")


def test_samples_carry_their_known_errors(tmp_path):
    result = consolidate_files([COMMITTED], tmp_path / "huyen.xlsx", DEMO_UNIT, DEMO_PERIOD,
                               expect=COMMITTED / EXPECTED_FILE)
    flags = {c.name: {f.rule for f in c.findings} for c in result.consolidation.communes}
    assert flags == KNOWN_FLAGS
    assert result.consolidation.missing == ("Xã Hoằng Trạch", "Thị trấn Bút Sơn")


def test_number_text_is_read_the_vietnamese_way_and_reported(tmp_path):
    result = consolidate_files([COMMITTED], tmp_path / "huyen.xlsx", DEMO_UNIT, DEMO_PERIOD)
    values = {c.name: c.values for c in result.consolidation.communes}
    assert values["Xã Hoằng Thanh"]["3.3.1"] == 1145 and values["Xã Hoằng Đạo"]["3.2.5"] == 95.5
    reported = {(p.file, p.code) for p in result.problems}
    assert {("hoang_thanh_2023_q2.xlsx", "3.3.1"), ("hoang_dao_2023_q2.xlsx", "3.2.5"),
            ("hoang_thanh_2023_q2.xlsx", "3.3.5"), ("hoang_phu_2023_q2.xlsx", "1.1")} <= reported
