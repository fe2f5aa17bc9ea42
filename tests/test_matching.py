"""Placing rows by code and label: the seed's broken extraction, retyped labels, bad codes."""
from __future__ import annotations

import unicodedata

import pytest

from cchc_xl.read.matching import index_for, label_key, parse_code, split_leading_code

#: Labels exactly as seed 001's extraction printed them (letters dropped), with their 2023 code.
SEED_001_LABELS = [
    ("Công tác chỉ  ạo  iều hành CCHC", "1"),
    ("Kế hoạch CCHC", "1.1"),
    ("Số nhiệm v  đề ra trong kế hoạch", "1.1.1"),
    ("Thực hiện nhiệm v  UBND huyện, Chủ \n\ntịch UBND huyện giao", "1.3"),
    ("Tổ chức đối thoại của lãnh đạo v i người \n\ndân, cộng đồng doanh nghiệp trên địa bàn", "1.5"),
    ("Số VBQPPL có kiến nghị xử l  đã được \n\nxử lý xong", "2.5"),
    ("Số TTHC/ danh m c TTHC thuộc thẩm \n\nquyền giải quyết đã công bố, công bố m i", "3.1.1"),
    ("Thực hiện c  chế một cửa, một cửa liên \n\nthông", "3.2"),
    ("Số TTHC liên thông gi a các cấp chính \n\nquyền", "3.2.3"),
    ("Tỷ lệ TTHC đã được phê duyệt quy trình \n\nnội bộ (theo tiêu chuẩn ISO)", "3.2.4"),
    ("Số TTHC đã thực hiện tiếp nhận và giải \n\nquyết hồ s  không ph  thuộc vào địa gi i \n\nhành chính", "3.2.6"),
    ("Trả trực tiếp", "3.3.2.a"),
    ("Công khai kết quả giải quyết trên trang \n\nTTĐT của đ n vị", "3.4.2"),
    ("Số thư/ trường hợp đã công khai xin lỗi", "3.5"),
    ("Tỷ lệ phần trăm biên chế đã tinh giản so \n\nv i năm 2015", "4.1.4"),
    ("Cải cách chế  ộ công vụ", "5"),
    ("Thực hiện kỷ luật, kỷ cư ng hành chính; \n\nSố liệu về xử lý kỷ luật cán bộ, công chức \n\n(cả về Đảng và chính quyền).", "5.4"),
    ("Số lượng, tỷ lệ đ n vị được kiểm tra kỷ \n\nluật, kỷ cư ng hành chính", "5.4.2"),
    ("Số lãnh đạo cấp xã bị kỷ luật.", "5.4.5"),
    ("Đ n vị đã thực hiện Quy chế quản l  tài \n\nsản công", "6.2"),
    ("Xây dựng và phát triển Chính quyền \n\n iện tử", "7"),
    ("Xây dựng và vận hành Hệ thống h p trực \n\ntuyến \n\nTừ UBND tỉnh đến 100% UBND cấp xã.", "7.1"),
    ("Tổng số VĂN BẢN ĐI gi a các c  quan \n\nnhà nư c trên địa bàn xã", "7.2.3"),
    ("Tỷ lệ văn bản được gửi hoàn toàn dư i \n\ndạng điện tử và song song v i văn bản \n\ngiấy", "7.2.3.b"),
    ("Dịch v  công trực tuyến", "7.5"),
]


@pytest.fixture(scope="module")
def index():
    return index_for("xa_2023")


@pytest.mark.parametrize(("label", "code"), SEED_001_LABELS)
def test_seed_labels_without_codes_find_their_row(index, label, code):
    placement = index.place(None, label, 0, True)
    assert (placement.code, placement.doubt) == (code, None)


def test_clean_and_broken_spellings_share_a_key():
    assert label_key("Thực hiện cơ chế một cửa") == label_key("Thực hiện c  chế một cửa")
    assert label_key("nhiệm vụ được giao") == label_key("NHIỆM V  ĐƯỢC GIAO")
    nfd = unicodedata.normalize("NFD", "Số lượng hồ sơ đã tiếp nhận")
    assert label_key(nfd) == label_key("  Số lượng hồ sơ đã tiếp nhận. ")
    assert label_key("Trong đó: Trả trực tiếp") == label_key("Trả trực tiếp")


def test_seed_wrong_code_is_corrected_by_the_label(index):
    """Seed 001 prints 1.1.2 over "Số vấn đề phát hiện qua kiểm tra" (1.2.2)."""
    placement = index.place("1.1.2", "Số vấn đề phát hiện qua kiểm tra", 7, True)
    assert (placement.code, placement.doubt) == ("1.2.2", "code_mismatch")


def test_a_code_with_an_unrecognisable_label_is_kept_but_doubted(index):
    placement = index.place("4.1.2", "Biên chế thực có", 0, True)
    assert (placement.code, placement.how, placement.doubt) == ("4.1.2", "code_only", "label_mismatch")


def test_a_code_repeated_on_every_row_is_not_trusted(index):
    assert index.place("1", "Biên chế thực có", 0, False).code is None
    assert index.place("1", "", 0, False).code is None
    assert index.place("1.1.1", "", 0, True).code == "1.1.1"
    assert index.place("1", "Số nhiệm vụ đã hoàn thành", 0, False).code == "1.1.2"


def test_a_shortened_label_with_its_code_agrees(index):
    placement = index.place("7.6", "Thực hiện duy trì, áp d ng hệ thống tại UBND cấp xã", 0, True)
    assert (placement.code, placement.doubt) == ("7.6", None)


def test_foreign_rows_match_nothing(index):
    for label in ("Số cuộc họp giao ban CCHC", "Cộng", "Tổng cộng", "TM. ỦY BAN NHÂN DÂN"):
        assert index.place(None, label, 0, True).code is None, label


def test_near_ties_go_to_the_row_in_sequence(index):
    """Levels 3 and 4 differ by one character; a typo in both goes by position."""
    near_c = index.position["3.3.1.c"]
    assert index.place(None, "Tiếp nhận trực tuyến mức đô", near_c, True).code == "3.3.1.c"
    assert index.place(None, "Tiếp nhận trực tuyến mức đô", near_c + 1, True).code == "3.3.1.d"


@pytest.mark.parametrize(("raw", "code"), [
    ("1.1.1", "1.1.1"), ("1.1.1.", "1.1.1"), (" 1.  ", "1"), ("7.6.", "7.6"), (3.0, "3"), (1.1, "1.1"),
    ("3.3.1.a", "3.3.1.a"), ("3.3.1a", "3.3.1.a"), ("Trong đó", None), ("STT", None), ("", None),
    (None, None), (True, None),
])
def test_parse_code(raw, code):
    assert parse_code(raw) == code


def test_a_boolean_is_no_code_even_after_the_number_one():
    assert parse_code(True) is None
    assert parse_code(1) == "1"


def test_a_code_typed_in_front_of_the_label():
    assert split_leading_code("1.1.1 Số nhiệm vụ đề ra") == ("1.1.1", "Số nhiệm vụ đề ra")
    assert split_leading_code("100% UBND cấp xã") == (None, "100% UBND cấp xã")
