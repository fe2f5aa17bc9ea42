"""Two exact speed-ups of reading, against what they replaced.

`xlsx_package._in_small_box` searches for one cell tag outside the small box instead of counting
all the tags twice (`counted` is the count it replaced); a `Submission` sent back by a reading
worker pickles its row placements as plain tuples and is the same submission on arrival.
"""
from __future__ import annotations

import pickle
import random
import re

from cchc_xl.commune.samples import load_sample, write_sample
from cchc_xl.read import xlsx_package
from cchc_xl.read.reader import RowPlacement, read_submission


def test_a_submission_comes_back_from_a_worker_unchanged(tmp_path):
    path = tmp_path / "Hoang_Luu.xlsx"
    write_sample(load_sample("hoang_luu_2023_q2"), path)
    submission = read_submission(path)
    back = pickle.loads(pickle.dumps(submission))
    assert back == submission and back.placements and all(type(p) is RowPlacement for p in back.placements)
    assert back.values == submission.values and back.problems == submission.problems


def counted(xml: bytes) -> bool:
    """The test `_in_small_box` replaced: as many small plain cell tags as cell tags."""
    small = re.compile(rb'<c r="[A-Z]{1,2}[0-9]{1,3}"(?:\s++(?!r\s*=)[\w:.-]++="[^"<]*+")*+\s*+/?>')
    return (not xlsx_package._PREFIXED_ROW_OR_CELL.search(xml)
            and len(small.findall(xml)) == len(xlsx_package._ANY_PLAIN_CELL.findall(xml)))


TAGS = [b'<c r="A1">', b'<c r="ZZ999" s="3"/>', b'<c r="AAA1">', b'<c r="A1000">', b'<c r="D45" s="1" t="n">',
        b'<c  r="B2">', b'<c r="B2" r="C3">', b"<c r='B2'>", b"<c>", b"<c/>", b'<c\nr="A1">', b'<x:c r="A1">',
        b'<c r="A1" t="s" >', b'<c r="a1">', b'<c r="A1"s="1">', b'<c r="A1" s="<">', b"<cols>", b"<col/>",
        b"<v>1</v>", b"</c>", b'<row r="5">', b"</row>", b'<c r="B2" x:y="1"/>', b'<c r="B2" s="1" r ="C3">',
        b'<c r="A1" s="12" t="n" r="B2">', b'<c r="A1" s="12"r="B2">', b'<c r="A1" s="123456">', b'<c r="A1" t="s" s="1">',
        b'<c r="A1" s="1" t="inlineStr"/>', b'<c r="A1" s="1" t="n" x="y" r = "B2"/>', b'<c r="A1" s="" t="">',
        b'<c r="A1" s="1" t="n"  >', b'<c r="A1" s="1"  t="n">', b'<c r="A1" s="1" t="n"r="B2">']


def test_the_small_box_search_answers_as_the_count_did():
    rng = random.Random(999)
    for _ in range(3000):
        xml = b"<sheetData>" + b"".join(rng.choice(TAGS) for _ in range(rng.randint(0, 6))) + b"</sheetData>"
        assert xlsx_package._in_small_box(xml) == counted(xml), xml
