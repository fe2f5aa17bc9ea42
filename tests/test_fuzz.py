"""Fuzzing: valid commune workbooks mutated (the zip's bytes, the sheet's XML, the other parts)
are read, checked and consolidated without any exception but `ReadError`; what can be read gives
a Submission whose problems say what is odd, and a consolidation stays complete.

Bounded in CI: `CCHC_FUZZ_EXAMPLES` examples (60 by default, derandomised so CI is stable; a
quarter of them, at least 10, for the slower consolidation property). A longer, random run:

    CCHC_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py -q
"""
from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from corpus import SHEET_PART, commune
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cchc_xl.commune.samples import DEMO_PERIOD, DEMO_UNIT
from cchc_xl.cycle.run import consolidate_files
from cchc_xl.district.review import review_workbook
from cchc_xl.read.reader import ReadError, Submission, read_submission

EXAMPLES = int(os.environ.get("CCHC_FUZZ_EXAMPLES", "60"))
LONG_RUN = "CCHC_FUZZ_EXAMPLES" in os.environ
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG_RUN, database=None if not LONG_RUN
                else settings.default.database,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CONSOLIDATING = settings(FUZZ, max_examples=max(10, EXAMPLES // 4))

ODD_NUMBERS = [b"1e308", b"-1e308", b"1e309", b"-1e999", b"NaN", b"inf", b"-0", b"", b" 7 ", b"1,5", b"0x1F",
               b"99999999999999999999999999", b"4.9e-324", b"2958466", b"-1", b"2.5", b"1e-400", b"--1"]
ODD_REFS = [b"XFD1048576", b"A1048577", b"XFE1", b"D0", b"d12", b"", b"A", b"12", b"AAAA1", b"D12 ", b"\xc4\x90"]
ODD_TEXTS = ["=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(A1)", "\u202e\u200f", "😀" * 20, "x" * 40_000,
             "&lt;&amp;", "&#0;", "&#xD800;", "&#65535;", "&xxe;", "]]>", "\x01\x08", "Số liệu", "1.145", "47,37"]


@cache
def base(shared: bool) -> dict[str, bytes]:
    """The parts of a valid commune workbook (Hoằng Châu's values in our template), its texts
    inline as openpyxl writes them, or in a shared-strings part as Excel writes them."""
    with tempfile.TemporaryDirectory() as folder:
        path = commune(Path(folder), "goc.xlsx", "Xã Thử Gốc")
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
    return with_shared_strings(parts) if shared else parts


_INLINE = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t[^>]*>([^<]*)</t></is></c>')


def with_shared_strings(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Every inline text cell of every sheet moved into xl/sharedStrings.xml."""
    strings: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        index = strings.setdefault(match.group(3), len(strings))
        return b'<c ' + match.group(1) + b't="s"' + match.group(2) + b"><v>" + str(index).encode() + b"</v></c>"
    parts = {name: _INLINE.sub(shared, data) if name.startswith("xl/worksheets/") else data
             for name, data in parts.items()}
    items = b"".join(b"<si><t>" + text + b"</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="'
                                     + str(len(strings)).encode() + b'">' + items + b"</sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"<Default ", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                      b'officedocument.spreadsheetml.sharedStrings+xml"/><Default ', 1)
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    return parts


@cache
def good_values() -> dict[str, object]:
    """The good commune's consolidated values, consolidated alone."""
    with tempfile.TemporaryDirectory() as folder:
        path = commune(Path(folder), "xa_tot.xlsx", "Xã Thử Tốt")
        result = consolidate_files([path], Path(folder) / "huyen.xlsx", DEMO_UNIT, DEMO_PERIOD)
        return result.consolidation.communes[0].values


def package(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@st.composite
def byte_mutation(draw, data: bytes) -> bytes:
    """Truncation, flipped bytes, a deleted or an inserted run."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["truncate", "flip", "delete", "insert"]))
        if how == "truncate":
            del data[at:]
        elif how == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif how == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


def _spans(xml: bytes, pattern: bytes) -> list[tuple[int, int]]:
    return [m.span(1) for m in re.finditer(pattern, xml, re.S)]


@st.composite
def xml_mutation(draw, xml: bytes) -> bytes:
    """An element deleted, a number, a reference or a text replaced by an odd one, or raw bytes."""
    how = draw(st.sampled_from(["delete", "number", "reference", "text", "bytes"]))
    targets = {"delete": rb"(<(c|row)\b[^>]*?(?:/>|>.*?</\2>))", "number": rb"<v>([^<]*)</v>",
               "reference": rb'\sr="([^"]*)"', "text": rb"<t[^>]*>([^<]*)</t>"}
    if how == "bytes":
        return draw(byte_mutation(xml))
    spans = _spans(xml, targets[how])
    if not spans:
        return xml
    start, end = draw(st.sampled_from(spans))
    if how == "delete":
        new = b""
    elif how == "number":
        new = draw(st.sampled_from(ODD_NUMBERS) | st.floats(allow_nan=True).map(lambda f: repr(f).encode()))
    elif how == "reference":
        new = draw(st.sampled_from(ODD_REFS))
    else:
        new = draw(st.sampled_from(ODD_TEXTS) | st.text(max_size=50)).encode("utf-8", "surrogatepass")
    return xml[:start] + new + xml[end:]


@st.composite
def mutated_workbook(draw) -> bytes:
    parts = dict(base(draw(st.booleans())))
    where = draw(st.sampled_from(["zip", "sheet", "sheet", "sheet", "part", "strings"]))
    if where == "zip":
        return draw(byte_mutation(package(parts)))
    if where == "sheet":
        for _ in range(draw(st.integers(1, 3))):
            parts[SHEET_PART] = draw(xml_mutation(parts[SHEET_PART]))
    elif where == "strings" and "xl/sharedStrings.xml" in parts:
        parts["xl/sharedStrings.xml"] = draw(xml_mutation(parts["xl/sharedStrings.xml"]))
    else:
        name = draw(st.sampled_from(sorted(n for n in parts if n != SHEET_PART)))
        parts[name] = draw(byte_mutation(parts[name]))
    return package(parts)


def test_the_shared_strings_base_reads_as_the_inline_one(tmp_path):
    """The two bases hold the same workbook: the fuzzing starts from valid files."""
    read = []
    for shared in (False, True):
        path = tmp_path / f"goc_{shared}.xlsx"
        path.write_bytes(package(base(shared)))
        read.append(read_submission(path))
    assert "xl/sharedStrings.xml" in base(True) and read[0].values == read[1].values
    assert not read[1].problems and read[1].unit == "Xã Thử Gốc"


@FUZZ
@given(mutated_workbook())
def test_a_mutated_workbook_is_read_or_refused(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bien_doi.xlsx"
        path.write_bytes(data)
        try:
            submission = read_submission(path)
        except ReadError as error:
            assert error.kind and path.name in str(error)
        else:
            assert isinstance(submission, Submission)
            assert all(p.file == path.name and p.message for p in submission.problems)
        reviews = review_workbook(path)
        assert reviews and all(r.file == path.name for r in reviews)
        assert path.read_bytes() == data


@CONSOLIDATING
@given(mutated_workbook())
def test_a_mutated_workbook_never_stops_a_consolidation(data):
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "vao"
        inputs.mkdir()
        commune(inputs, "xa_tot.xlsx", "Xã Thử Tốt")
        (inputs / "bien_doi.xlsx").write_bytes(data)
        result = consolidate_files([inputs], Path(folder) / "huyen.xlsx", DEMO_UNIT, DEMO_PERIOD)
        good = [c for c in result.consolidation.communes if c.received.source.path.name == "xa_tot.xlsx"]
        assert [c.values for c in good] == [good_values()]
        assert load_workbook(result.output, read_only=True).sheetnames[:2] == ["Tổng hợp", "Kiểm tra"]
        assert (inputs / "bien_doi.xlsx").read_bytes() == data
