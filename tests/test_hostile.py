"""Hostile files refused before any parser sees them: the zip bomb is never inflated, no entity
is ever resolved (no file read, no connection made), a far cell never reaches calamine, a macro
never leaves the commune's file; and what calamine itself would do, for the record."""
from __future__ import annotations

import io
import socket
import threading
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from corpus import (
    BOMB_BYTES,
    MACRO_MARK,
    SECRET,
    billion_laughs,
    far_cell,
    huge_date,
    macro_workbook,
    xxe_sheet,
    zip_bomb,
    zip_bomb_lying,
)
from python_calamine import CalamineError, CalamineWorkbook

import cchc_xl.read.xlsx_in as xlsx_in
import cchc_xl.read.xlsx_package as xlsx_package
from cchc_xl.common.cells import column_index
from cchc_xl.commune.samples import DEMO_PERIOD, DEMO_UNIT
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.read.reader import ReadError, read_submission


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """Every workbook python-calamine is asked to parse (by the reader) is recorded here."""
    calls: list[str] = []
    real = CalamineWorkbook.from_filelike

    def recording(handle):
        calls.append("from_filelike")
        return real(handle)
    monkeypatch.setattr(xlsx_in.CalamineWorkbook, "from_filelike", staticmethod(recording))
    return calls


def the_file(folder: Path) -> Path:
    [path] = [p for p in folder.iterdir() if p.is_file()]
    return path


@pytest.mark.parametrize("make, kind", [(zip_bomb, "too_large"), (zip_bomb_lying, "bomb")])
def test_a_zip_bomb_is_refused_without_being_inflated(make, kind, tmp_path, parsed):
    make(tmp_path)
    path = the_file(tmp_path)
    size = path.stat().st_size
    assert size < BOMB_BYTES // 900                          # about 3 MB on disk…
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as raised:
            read_submission(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert raised.value.kind == kind
    assert peak < 3 * size + 16 * 2**20                       # …a few copies of it in memory, never 3 GiB
    assert parsed == []                                      # calamine never saw it


def test_a_lying_bomb_would_be_inflated_up_to_its_declared_size_only(tmp_path):
    """Python's zipfile stops at the declared size too (and fails the CRC): nothing else reads it."""
    zip_bomb_lying(tmp_path)
    with zipfile.ZipFile(the_file(tmp_path)) as archive, pytest.raises(zipfile.BadZipFile):
        archive.read("xl/worksheets/sheet1.xml")


def test_calamine_itself_stops_a_lying_entry_at_its_declared_size(tmp_path):
    """For the record: python-calamine's zip reader would inflate a lying entry only up to the
    size it declares, then fail; we refuse the file before it gets that far."""
    zip_bomb_lying(tmp_path)
    book = CalamineWorkbook.from_path(str(the_file(tmp_path)))
    with pytest.raises(CalamineError, match="larger than its declared"):
        book.get_sheet_by_name("Phụ lục 01b")


@pytest.fixture
def listener():
    """A local HTTP-less TCP server counting the connections made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                accepted.append(server.accept())
            except OSError:
                continue
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/leak", accepted
    stop.set()
    thread.join()
    server.close()


def test_external_entities_are_never_resolved(tmp_path, listener, parsed):
    url, accepted = listener
    folder = tmp_path / "vao"
    folder.mkdir()
    xxe_sheet(folder, url)
    result = consolidate_files([folder], tmp_path / "huyen.xlsx", DEMO_UNIT, DEMO_PERIOD)
    assert [u.message for u in result.consolidation.unreadable][0].startswith("Tệp 'xxe_trang_tinh.xlsx' có khai báo")
    assert parsed == [] and accepted == []
    with zipfile.ZipFile(tmp_path / "huyen.xlsx") as archive:
        assert not any(SECRET.encode() in archive.read(name) for name in archive.namelist())


def test_calamine_itself_refuses_undeclared_entities(tmp_path):
    """For the record: were our refusal gone, python-calamine would not expand an entity either."""
    for make in (xxe_sheet, billion_laughs):
        folder = tmp_path / make.__name__
        folder.mkdir()
        make(folder)
        book = CalamineWorkbook.from_path(str(the_file(folder)))
        with pytest.raises(CalamineError, match="entity"):
            book.get_sheet_by_name("Phụ lục 01b").to_python()


def test_a_far_cell_never_reaches_calamine(tmp_path, parsed):
    far_cell(tmp_path)
    with pytest.raises(ReadError) as raised:
        read_submission(the_file(tmp_path))
    assert raised.value.kind == "sheet_too_large" and "XFD1048576" in str(raised.value)
    assert parsed == []


def test_a_panic_inside_calamine_is_a_read_error(tmp_path, parsed):
    """The date cell's -1E+12 makes calamine panic (a BaseException): one file, not the run."""
    huge_date(tmp_path)
    with pytest.raises(ReadError) as raised:
        read_submission(the_file(tmp_path))
    assert raised.value.kind == "date_range" and "D9" in str(raised.value)
    assert parsed == ["from_filelike"]


def test_the_macro_is_an_auto_open_one_and_never_reaches_the_output(tmp_path):
    from oletools.olevba import VBA_Parser
    folder = tmp_path / "vao"
    folder.mkdir()
    macro_workbook(folder)
    source = VBA_Parser(str(the_file(folder)))
    assert ("AutoExec", "Auto_Open") in {(kind, keyword) for kind, keyword, _ in source.analyze_macros()}
    assert any(MACRO_MARK in code for _, _, _, code in source.extract_macros())
    result = consolidate_files([folder], tmp_path / "huyen.xlsx", DEMO_UNIT, DEMO_PERIOD)
    assert [c.name for c in result.consolidation.communes] == ["Xã Thử Macro"]
    assert not VBA_Parser(str(tmp_path / "huyen.xlsx")).detect_vba_macros()


def test_parts_shared_by_every_copy_are_inspected_once_and_a_changed_one_again(monkeypatch):
    """The template's hidden rule sheet is the same in every commune's file: its stored bytes,
    once inspected, are remembered by digest; a copy that differs by one far cell is inflated,
    scanned and refused."""
    scans = []
    real = xlsx_package._in_small_box
    monkeypatch.setattr(xlsx_package, "_in_small_box", lambda xml: scans.append(len(xml)) or real(xml))
    rules_sheet = _sheet(b"")
    far = rules_sheet.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    for _ in range(3):
        _inspect(rules_sheet)
    assert scans == [len(rules_sheet)]
    with pytest.raises(ReadError, match="XFD1048576"):
        _inspect(far)
    assert scans == [len(rules_sheet), len(far)]


def _inspect(sheet: bytes) -> None:
    """`inspect_package` of a package holding `sheet`, as a commune's file would."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet2.xml", sheet)
    data = stream.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xlsx_package.inspect_package("xa.xlsx", archive, data)


def _sheet(cells: bytes) -> bytes:
    return (b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"/></row>' + cells
            + b'</sheetData></worksheet>')


@pytest.mark.parametrize("cells", [
    b'<row r="2"><c r="A2" r="XFD1048576"><v>1</v></c></row>',  # calamine keeps the last r
    b'<row r="2"><c r="A2" t="n" r = "XFD1048576"><v>1</v></c></row>',
    b"<row r='2'><c r='XFD1048576'><v>1</v></c></row>",
    b'<row r="2"><x:c r="XFD1048576"><x:v>1</x:v></x:c></row>',
    b'<row r="1048576"><c r="XFC1048576" s="1"/><c><v>1</v></c></row>',  # no r: after XFC
    b'<row r="2"><c r="AAA2"><v>1</v></c><c r="A1000000"><v>1</v></c></row>',
], ids=["duplicate_r", "spaced_duplicate_r", "single_quotes", "prefixed", "no_r_after_far", "outside_box"])
def test_a_sheet_outside_the_quick_box_is_measured_and_refused(cells):
    with pytest.raises(ReadError, match="vượt giới hạn"):
        xlsx_package._check_extent("xa.xlsx", "Phụ lục 01b", _sheet(cells))


def test_a_formatted_blank_far_away_is_measured_and_accepted():
    """Outside the quick box, but calamine skips a cell without content: the sheet fits."""
    sheet = _sheet(b'<row r="1048576"><c r="XFD1048576" s="3"/></row>')
    assert not xlsx_package._in_small_box(sheet)
    xlsx_package._check_extent("xa.xlsx", "Phụ lục 01b", sheet)


def test_the_quick_box_lies_inside_the_limit_and_holds_the_template():
    rows, cols = xlsx_package.SMALL_BOX
    assert cols == column_index("ZZ") + 1 and rows * cols <= xlsx_package.MAX_SHEET_CELLS
    assert xlsx_package._in_small_box(_sheet(b'<row r="999"><c r="ZZ999"><v>1</v></c></row>'))
    assert not xlsx_package._in_small_box(_sheet(b'<row r="1000"><c r="A1000"><v>1</v></c></row>'))


@pytest.mark.parametrize("codec", ["utf-8", "utf-16-le", "utf-16-be", "utf-16"])
def test_a_doctype_is_refused_in_every_encoding_openpyxl_reads(codec):
    """UTF-16 markup is looked for only in a part with a NUL byte: every such spelling is one."""
    xml = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x "y">]><worksheet><sheetData/></worksheet>'
    with pytest.raises(ReadError) as raised:
        _inspect(xml.encode(codec))
    assert raised.value.kind == "dtd"
    _inspect(xml.replace("<!DOCTYPE worksheet [<!ENTITY x \"y\">]>", "").encode(codec))
