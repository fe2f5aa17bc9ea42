"""Unit and period of a file without meta sheet: from its title block, else its file name."""
from __future__ import annotations

import pytest

from cchc_xl.forms.periods import Period
from cchc_xl.read.titleblock import find_period, find_unit, from_file_name


@pytest.mark.parametrize(("texts", "unit"), [
    (["THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ TH C HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH T I UBND XÃ HOẰNG LƯU"], "Xã Hoằng Lưu"),
    (["CỦA UBND XÃ, THỊ TRẤN NĂM 2022.", "UBND XÃ QUẢNG HÒA"], "Xã Quảng Hòa"),
    (["Ủy ban nhân dân thị trấn Bút Sơn năm 2023"], "Thị trấn Bút Sơn"),
    (["UBND PHƯỜNG ĐÔNG SƠN - THÀNH PHỐ THANH HÓA"], "Phường Đông Sơn"),
    (["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], None),
])
def test_find_unit(texts, unit):
    assert find_unit(texts) == unit


@pytest.mark.parametrize(("text", "period"), [
    ("Kỳ báo cáo: Quý II năm 2023 (số liệu từ 01/04/2023 đến 30/06/2023)", "2023-Q2"),
    ("(Kèm theo báo cáo kết quả cải cách hành chính qu  ii năm 2023)", "2023-Q2"),
    ("Báo cáo quý 3/2023", "2023-Q3"),
    ("BÁO CÁO 6 THÁNG ĐẦU NĂM 2023", "2023-6T"),
    ("Kết quả 9 tháng năm 2024", "2024-9T"),
    ("THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2022.", "2022"),
    ("Hoằng Lưu, ngày 12 tháng 6 năm 2023", None),
    ("Chỉ tiêu thống kê", None),
])
def test_find_period(text, period):
    found = find_period([text])
    assert (found.key if found else None) == period


@pytest.mark.parametrize(("name", "unit", "period"), [
    ("Xã_Hoằng_Lưu_2023-Q2.xlsx", "Xã Hoằng Lưu", "2023-Q2"),
    ("Bao_cao_quy_II_2023.xlsx", None, "2023-Q2"),
    ("hoang_luu_2023.xlsx", None, None),
])
def test_from_file_name(name, unit, period):
    found_unit, found_period = from_file_name(name)
    assert (found_unit, found_period) == (unit, Period.parse(period) if period else None)
