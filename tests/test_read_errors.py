"""Files that cannot be read: a ReadError naming the file and saying what it is."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cchc_xl.common.problems import os_reason
from cchc_xl.commune.samples import load_sample, write_sample
from cchc_xl.district.review import review_file
from cchc_xl.read.reader import ReadError, read_submission

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture
def sample(tmp_path) -> Path:
    return write_sample(load_sample("hoang_luu_2023_q2"), tmp_path / "mẫu.xlsx")


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _expect(path: Path, kind: str) -> ReadError:
    with pytest.raises(ReadError) as raised:
        read_submission(path)
    assert raised.value.kind == kind
    assert path.name in str(raised.value)
    return raised.value


def test_zero_byte_file(tmp_path):
    path = tmp_path / "Xã A.xlsx"
    path.write_bytes(b"")
    _expect(path, "empty")


def test_text_renamed_xlsx(tmp_path):
    path = tmp_path / "so_lieu.xlsx"
    path.write_text("STT;Chỉ tiêu;Số liệu\n1.1.1;Số nhiệm vụ;28\n", encoding="utf-8")
    _expect(path, "text")


def test_csv(tmp_path):
    path = tmp_path / "so_lieu.csv"
    path.write_text("STT,Chỉ tiêu,Số liệu\n", encoding="utf-8")
    assert "CSV" in str(_expect(path, "text"))


def test_truncated_zip(tmp_path, sample):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(sample.read_bytes()[:3000])
    _expect(path, "corrupt")


def test_broken_ole_file(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(OLE_SIGNATURE + bytes(4096))
    assert "Excel 97-2003" in str(_expect(path, "corrupt"))


def test_encrypted_workbook(tmp_path, sample):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    path = tmp_path / "khoa.xlsx"
    with sample.open("rb") as source, path.open("wb") as target:
        ooxml.OOXMLFile(source).encrypt("matkhau", target)
    _expect(path, "encrypted")


def test_broken_ods(tmp_path):
    path = _zip(tmp_path / "bang.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                          "content.xml": b"<office:document-content/>"})
    assert "OpenDocument (.ods)" in str(_expect(path, "corrupt"))


def test_encrypted_ods(tmp_path):
    """LibreOffice's «Lưu với mật khẩu»: the manifest lists how each part is encrypted."""
    manifest = (b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data '
                b'manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>')
    path = _zip(tmp_path / "khoa.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                          "META-INF/manifest.xml": manifest, "content.xml": b"\x8f\x02"})
    assert "có mật khẩu" in str(_expect(path, "encrypted"))


def test_broken_word_document(tmp_path):
    path = _zip(tmp_path / "phu_luc.xlsx", {"word/document.xml": b"<w:document/>"})
    assert "văn bản Word bị hỏng" in str(_expect(path, "corrupt"))


def test_other_zip(tmp_path):
    path = _zip(tmp_path / "anh.xlsx", {"anh.jpg": b"\xff\xd8"})
    _expect(path, "not_spreadsheet")


def test_folder(tmp_path):
    folder = tmp_path / "thư mục.xlsx"
    folder.mkdir()
    _expect(folder, "folder")


def test_workbook_without_table(tmp_path):
    from openpyxl import Workbook
    workbook = Workbook()
    workbook.active["A1"] = "Danh sách cán bộ"
    path = tmp_path / "khac.xlsx"
    workbook.save(path)
    _expect(path, "no_table")


def test_check_reports_an_unreadable_file_and_goes_on(tmp_path, sample):
    bad = tmp_path / "rong.xlsx"
    bad.write_bytes(b"")
    reviews = [review_file(bad), review_file(sample)]
    assert reviews[0].unreadable and not reviews[1].unreadable
    assert reviews[1].findings


def test_reading_never_modifies_the_input(sample):
    before = sample.read_bytes()
    read_submission(sample)
    assert sample.read_bytes() == before



@pytest.mark.parametrize("error, reason", [
    (FileNotFoundError(2, "No such file or directory"), "không tìm thấy tệp"),
    (PermissionError(13, "Permission denied"), "tệp đang mở trong chương trình khác"),
    (OSError(5, "Input/output error"), "lỗi của hệ điều hành (Input/output error)"),
])
def test_the_systems_refusal_is_told_in_vietnamese(error, reason):
    assert reason in os_reason(error)
