"""Bad and hostile commune files, generated: each case writes its input(s) into an empty folder.

A case says what the user must see: the message (a pattern where `…` stands for any text,
`{file}` for the file's name and `{cell}` for the cell), where it is shown (the terminal for a
file that cannot be read, the `Nguồn` sheet's problem table for a file read with problems) and
the exit code of `cchc-xl consolidate` run on that case alone. The README's table "Bad and
hostile inputs" is `readme_table()`; `python -m tests.corpus` prints it.

Communes are Hoằng Châu's clean values typed into our template under a unit of the case's own
("Xã Thử …"), so a run holding every case still gives each file its own column.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import re
import struct
import subprocess
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import docx
from openpyxl import Workbook
from word_reports import table_rows, write_report

from cchc_xl.common.libreoffice import soffice
from cchc_xl.commune.samples import DEMO_PERIOD, fill_template, load_sample
from cchc_xl.commune.template import META_SHEET, layout_for
from cchc_xl.forms.catalog import load_form
from cchc_xl.forms.periods import Period

BASE = "hoang_chau_2023_q2"
SHEET = load_form().sheet
SHEET_PART = "xl/worksheets/sheet1.xml"
CELLS = layout_for(load_form()).value_cell
#: Marks that must never reach the output: an entity's target, a macro's text.
SECRET = "CCHC-XXE-SECRET-5e1f"
MACRO_MARK = "CCHC-MACRO-RAN-9b2c"
#: Commune text shaped like formulas; none may become a formula in the output.
INJECTED = ("=INJ_A()+1", "+INJ_B", "-INJ_C+1", "@INJ_D", "=cmd|' /C calc'!A0")
#: What the zip bomb's sheet inflates to.
BOMB_BYTES = 3 * 2**30
#: Unrelated files in the "many files" folder.
UNRELATED = 3000


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    make: Callable[[Path], list[Path]]
    #: "unreadable" (refused, shown in the terminal), "problem" (read, listed in `Nguồn`),
    #: "finding" (read, a rule flags it on `Kiểm tra`), "skipped" (not read, said once),
    #: "consolidated" (read, nothing to say)
    outcome: str
    #: the ReadError kind, the Problem kind listed in `Nguồn`, or the rule id of a finding
    kind: str | None
    pattern: str
    exit_code: int
    #: the file the message names (a folder's path for the folder's message)
    file: str | None = None
    cell: str | None = None
    #: the commune consolidated from the case (None: nothing is)
    commune: str | None = None
    needs_libreoffice: bool = False

    def regex(self, file: str) -> re.Pattern[str]:
        """The pattern with `…` as any text, `{file}` and `{cell}` as the real names."""
        parts = re.split(r"(…|\{file\}|\{cell\})", self.pattern)
        names = {"…": ".*?", "{file}": re.escape(file), "{cell}": re.escape(self.cell or "")}
        return re.compile("".join(names.get(p, re.escape(p)) for p in parts), re.S)


# --- builders ---------------------------------------------------------------------------


def commune(folder: Path, file: str, unit: str, edit: Callable[[Workbook], None] | None = None,
            period: Period = DEMO_PERIOD) -> Path:
    """Hoằng Châu's values in our template for `unit`, edited, saved as `file`."""
    sample = load_sample(BASE)
    values, _ = sample.values_2023()
    workbook = fill_template(unit, period, values, sample.notes)
    if edit is not None:
        edit(workbook)
    path = folder / file
    workbook.save(path)
    return path


def rewrite(source: Path, target: Path, parts: dict[str, bytes | Callable[[bytes], bytes]]) -> Path:
    """A copy of a package with parts replaced (bytes) or edited (a function of the old bytes)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        names = old.namelist()
        for name in names:
            change = parts.get(name)
            data = old.read(name)
            new.writestr(name, change(data) if callable(change) else change if change is not None else data)
        for name, data in parts.items():
            if name not in names and not callable(data):
                new.writestr(name, data)
    return target


def _in_place(path: Path, parts: dict[str, bytes | Callable[[bytes], bytes]]) -> Path:
    temp = path.with_name(path.name + ".tmp")
    rewrite(path, temp, parts)
    temp.replace(path)
    return path


def _set_cell(xml: bytes, ref: str, body: bytes) -> bytes:
    """A sheet's XML with the cell `ref` replaced by `<c r="ref" …>body`."""
    start = xml.index(f'<c r="{ref}"'.encode())
    end = xml.index(b"</c>", start) + 4 if not xml[start:xml.index(b">", start)].endswith(b"/") \
        else xml.index(b">", start) + 1
    return xml[:start] + f'<c r="{ref}"'.encode() + body + xml[end:]


def _with_doctype(xml: bytes, doctype: str) -> bytes:
    """XML with a DOCTYPE in front of its root element (after any XML declaration)."""
    if xml.startswith(b"<?xml"):
        head, rest = xml.split(b"?>", 1)
        return head + b"?>" + doctype.encode() + rest
    return doctype.encode() + xml


# --- the raw zip writer for bombs -----------------------------------------------------------


@dataclass(frozen=True)
class RawEntry:
    """A zip entry written as given: compressed bytes, and sizes and CRC that may lie."""

    name: str
    data: bytes
    crc: int
    size: int


def raw_zip(path: Path, entries: list[RawEntry]) -> Path:
    """A zip file of deflated entries, local headers then central directory, no zip64."""
    central = []
    with path.open("wb") as out:
        for entry in entries:
            offset, name = out.tell(), entry.name.encode()
            fields = (20, 0x800, 8, 0, 0x21, entry.crc, len(entry.data), entry.size, len(name), 0)
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + name + entry.data)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, entry.crc,
                                       len(entry.data), entry.size, len(name), 0, 0, 0, 0, 0, offset) + name)
        start, directory = out.tell(), b"".join(central)
        out.write(directory)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), start, 0))
    return path


def _deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _entries(source: Path) -> list[RawEntry]:
    with zipfile.ZipFile(source) as archive:
        return [RawEntry(i.filename, _deflated(data := archive.read(i)), zlib.crc32(data), len(data))
                for i in archive.infolist()]


_BOMB: dict[str, tuple[bytes, int, int]] = {}


def bomb_stream() -> tuple[bytes, int, int]:
    """(deflated bytes, CRC, size) of a sheet XML of `BOMB_BYTES` cells, made without inflating it.

    One block of cells is deflated once and repeated: after a full flush the compressor starts
    afresh, so every repetition of the block gives the same bytes.
    """
    if not _BOMB:
        head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        block = b'<c r="A1"><v>1</v></c>' * 10 + b" " * 2_000_000  # spaces deflate best (1000:1)
        tail = b"</row></sheetData></worksheet>"
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
        repeated = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
        count = (BOMB_BYTES - len(head) - len(tail)) // len(block)
        last = packer.compress(tail) + packer.flush()
        crc = zlib.crc32(head)
        for _ in range(count):
            crc = zlib.crc32(block, crc)
        _BOMB["sheet"] = (first + repeated * count + last, zlib.crc32(tail, crc),
                          len(head) + len(block) * count + len(tail))
    return _BOMB["sheet"]


# --- the VBA project with an auto-open macro --------------------------------------------------


def _ovba_literals(text: bytes, size: int) -> bytes:
    """`text` padded with a comment line and compressed (MS-OVBA, literal tokens only) to `size`."""
    for length in range(len(text), 4097):
        if 1 + 2 + length + math.ceil(length / 8) == size:
            padded = text + b"'" + b"x" * (length - len(text) - 3) + b"\r\n"
            chunk = b"".join(b"\x00" + padded[i:i + 8] for i in range(0, length, 8))
            header = struct.pack("<H", 0xB000 | (len(chunk) + 2 - 3))
            return b"\x01" + header + chunk
    raise ValueError("the macro does not fit the module stream")


def auto_open_vba_project() -> bytes:
    """xlwings' quickstart VBA project with Module1's source replaced by an Auto_Open macro.

    The module stream keeps its size (olefile rewrites streams in place), so the new source is
    padded to the old compressed length. oletools' olevba reads it back as an AutoExec macro.
    """
    import olefile
    import xlwings
    from oletools.olevba import VBA_Project

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as archive:
        project = archive.read("xl/vbaProject.bin")
    parsed = VBA_Project(olefile.OleFileIO(project), "", "PROJECT", "VBA/dir", relaxed=True)
    parsed.parse_project_stream()
    list(parsed.parse_modules())
    module = next(m for m in parsed.modules if m.name == "Module1")
    source = (f'Attribute VB_Name = "Module1"\r\nSub Auto_Open()\r\n    Shell "cmd /c echo {MACRO_MARK} > '
              f'%TEMP%\\m.txt"\r\nEnd Sub\r\n').encode()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vbaProject.bin"
        path.write_bytes(project)
        with olefile.OleFileIO(str(path), write_mode=True) as ole:
            stream = ole.openstream("VBA/Module1").read()
            body = _ovba_literals(source, len(stream) - module.textoffset)
            ole.write_stream("VBA/Module1", stream[:module.textoffset] + body)
        return path.read_bytes()


def _macro_enabled(types: bytes) -> bytes:
    types = types.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    return types.replace(b"<Default ", b'<Default Extension="bin" ContentType="application/vnd.ms-office.'
                                        b'vbaProject"/><Default ', 1)


def _vba_relation(relations: bytes) -> bytes:
    return relations.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
                                                  b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                                  b"</Relationships>")


# --- LibreOffice conversions ----------------------------------------------------------------


def libreoffice_convert(source: Path, target_suffix: str, folder: Path) -> Path:
    """`source` saved by LibreOffice in another format (a real .xls or .ods), in `folder`."""
    with tempfile.TemporaryDirectory(prefix="cchc-lo-") as profile, tempfile.TemporaryDirectory() as out:
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
                        "--convert-to", target_suffix.lstrip("."), "--outdir", out, str(source)],
                       check=True, capture_output=True, timeout=300)
        made = Path(out) / (source.stem + target_suffix)
        return Path(made.replace(folder / made.name))


def with_password(source: Path, target: Path, filter_name: str) -> Path:
    """`source` saved by LibreOffice with a password to open it (its UNO API: `uno_save_with_password`)."""
    script = Path(__file__).with_name("uno_save_with_password.py")
    subprocess.run([uno_python(), str(script), str(source.resolve()), str(target.resolve()), filter_name, "matkhau123"],
                   check=True, capture_output=True, timeout=300)
    return target


def uno_python() -> str:
    """A Python interpreter that has LibreOffice's `uno` module (the system's, beside LibreOffice)."""
    for candidate in ("/usr/bin/python3", "python3"):
        if subprocess.run([candidate, "-c", "import uno"], capture_output=True).returncode == 0:
            return candidate
    raise RuntimeError("no Python with LibreOffice's uno module: apt-get install python3-uno")


# --- Word reports ---------------------------------------------------------------------------------


def word_report(folder: Path, file: str, unit: str) -> Path:
    """Hoằng Châu's values in a Word report's appendix table (split over pages, "Trong đó" merged)."""
    sample = load_sample(BASE)
    values, _ = sample.values_2023()
    return write_report(folder / file, unit, DEMO_PERIOD, table_rows(values, sample.notes))


WORD_PART = "word/document.xml"
ODS_PART = "content.xml"


# --- the cases --------------------------------------------------------------------------------


def zero_byte(folder: Path) -> list[Path]:
    path = folder / "xa_rong.xlsx"
    path.write_bytes(b"")
    return [folder]


#: A name the terminal's markup (rich) would eat or choke on, were it not escaped.
MARKUP_NAME = "[bold]Xã Thử[red] [link=x].xlsx"


def markup_name(folder: Path) -> list[Path]:
    (folder / MARKUP_NAME).write_bytes(b"")
    return [folder]


def text_renamed(folder: Path) -> list[Path]:
    (folder / "so_lieu_go_tay.xlsx").write_text("STT;Chỉ tiêu;Số liệu\n1.1.1;Số văn bản;28\n", "utf-8")
    return [folder]


def truncated_zip(folder: Path) -> list[Path]:
    whole = commune(folder, "tai_chua_het.xlsx", "Xã Thử Tải Dở").read_bytes()
    (folder / "tai_chua_het.xlsx").write_bytes(whole[:len(whole) // 2])
    return [folder]


def _bomb(folder: Path, file: str, honest: bool) -> list[Path]:
    _bombed(commune(folder, file, "Xã Thử Bom"), SHEET_PART, honest)
    return [folder]


def _bombed(package: Path, part: str, honest: bool) -> Path:
    """The package with `part` replaced by the bomb (its sizes declared honestly, or those of the old part)."""
    data, crc, size = bomb_stream()
    entries = [e if e.name != part else RawEntry(e.name, data, crc if honest else e.crc, size if honest else e.size)
               for e in _entries(package)]
    return raw_zip(package, entries)


def zip_bomb(folder: Path) -> list[Path]:
    return _bomb(folder, "bom_nen.xlsx", honest=True)


def zip_bomb_lying(folder: Path) -> list[Path]:
    return _bomb(folder, "bom_nen_khai_gian.xlsx", honest=False)


def xxe_sheet(folder: Path, url: str = "http://127.0.0.1:9/cchc") -> list[Path]:
    """A sheet declaring an external entity on a local file (and one on a URL), used in cells."""
    secret = _aside(folder) / "bi_mat.txt"
    secret.write_text(SECRET, "utf-8")
    doctype = (f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{secret.resolve().as_uri()}">'
               f'<!ENTITY net SYSTEM "{url}">]>')
    path = commune(folder, "xxe_trang_tinh.xlsx", "Xã Thử XXE")
    cell = b' t="inlineStr"><is><t>&xxe;&net;</t></is></c>'
    _in_place(path, {SHEET_PART: lambda xml: _set_cell(_with_doctype(xml, doctype), CELLS("1.1.1"), cell)})
    return [folder]


def xxe_shared_strings(folder: Path) -> list[Path]:
    """The external entity in sharedStrings.xml, the part every text cell points into."""
    secret = _aside(folder) / "bi_mat.txt"
    secret.write_text(SECRET, "utf-8")
    path = commune(folder, "xxe_chuoi_chung.xlsx", "Xã Thử XXE Chuỗi")
    strings = (f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM '
               f'"{secret.resolve().as_uri()}">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
               'main" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>').encode()
    _in_place(path, {
        "xl/sharedStrings.xml": strings,
        "[Content_Types].xml": lambda types: types.replace(b"<Default ", b'<Override PartName="/xl/sharedStrings.xml" '
                                                           b'ContentType="application/vnd.openxmlformats-officedocument'
                                                           b'.spreadsheetml.sharedStrings+xml"/><Default ', 1),
        "xl/_rels/workbook.xml.rels": lambda rels: rels.replace(
            b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/'
                                 b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        SHEET_PART: lambda xml: _set_cell(xml, CELLS("1.1.1"), b' t="s"><v>0</v></c>'),
    })
    return [folder]


def billion_laughs(folder: Path) -> list[Path]:
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    path = commune(folder, "ty_tieng_cuoi.xlsx", "Xã Thử Tỷ Tiếng Cười")
    cell = b' t="inlineStr"><is><t>&lol9;</t></is></c>'
    _in_place(path, {SHEET_PART: lambda xml: _set_cell(
        _with_doctype(xml, f"<!DOCTYPE worksheet [{''.join(levels)}]>"), CELLS("1.1.1"), cell)})
    return [folder]


def _aside(folder: Path) -> Path:
    """A folder beside the case's, for the files a case is made from."""
    aside = folder.parent / f"{folder.name}-nguon"
    aside.mkdir(exist_ok=True)
    return aside


def _encrypt(plain: Path, target: Path) -> None:
    """An Office Open XML file (.xlsx, .docx) encrypted with a password, as Office does it."""
    from msoffcrypto.format.ooxml import OOXMLFile
    with plain.open("rb") as source, target.open("wb") as out:
        OOXMLFile(source).encrypt("matkhau123", out)


def encrypted(folder: Path) -> list[Path]:
    _encrypt(commune(_aside(folder), "co_mat_khau.xlsx", "Xã Thử Mật Khẩu"), folder / "co_mat_khau.xlsx")
    return [folder]


def xls_biff(folder: Path) -> list[Path]:
    _converted(folder, "xa_excel97.xls", "Xã Thử Excel 97")
    return [folder]


def ods(folder: Path) -> list[Path]:
    _converted(folder, "xa_calc.ods", "Xã Thử Calc")
    return [folder]


def csv(folder: Path) -> list[Path]:
    (folder / "so_lieu.csv").write_text("STT,Chỉ tiêu,Số liệu\n1.1.1,Số văn bản chỉ đạo,28\n", "utf-8")
    return [folder]


def xlsb(folder: Path) -> list[Path]:
    with zipfile.ZipFile(folder / "nhi_phan.xlsb", "w") as archive:
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
        archive.writestr("[Content_Types].xml", b"<Types/>")
    return [folder]


def word_renamed(folder: Path) -> list[Path]:
    with zipfile.ZipFile(folder / "bao_cao_word.xlsx", "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("[Content_Types].xml", b"<Types/>")
    return [folder]


def _converted(folder: Path, file: str, unit: str, edit: Callable[[Workbook], None] | None = None) -> Path:
    """Hoằng Châu's values for `unit`, saved by LibreOffice as `file` (.xls or .ods)."""
    stem, suffix = file.rsplit(".", 1)
    return libreoffice_convert(commune(_aside(folder), f"{stem}.xlsx", unit, edit), f".{suffix}", folder)


def xls_encrypted(folder: Path) -> list[Path]:
    plain = commune(_aside(folder), "xls_mat_khau.xlsx", "Xã Thử Xls Mật Khẩu")
    with_password(plain, folder / "xls_mat_khau.xls", "MS Excel 97")
    return [folder]


def ods_encrypted(folder: Path) -> list[Path]:
    plain = commune(_aside(folder), "ods_mat_khau.xlsx", "Xã Thử Ods Mật Khẩu")
    with_password(plain, folder / "ods_mat_khau.ods", "calc8")
    return [folder]


def docx_encrypted(folder: Path) -> list[Path]:
    _encrypt(word_report(_aside(folder), "word_mat_khau.docx", "Xã Thử Word Mật Khẩu"), folder / "word_mat_khau.docx")
    return [folder]


def _truncated(path: Path) -> list[Path]:
    whole = path.read_bytes()
    path.write_bytes(whole[:len(whole) // 2])
    return [path.parent]


def xls_truncated(folder: Path) -> list[Path]:
    return _truncated(_converted(folder, "xls_do_dang.xls", "Xã Thử Xls Dở"))


def ods_truncated(folder: Path) -> list[Path]:
    return _truncated(_converted(folder, "ods_do_dang.ods", "Xã Thử Ods Dở"))


def docx_truncated(folder: Path) -> list[Path]:
    return _truncated(word_report(folder, "word_do_dang.docx", "Xã Thử Word Dở"))


def ods_bomb(folder: Path) -> list[Path]:
    _bombed(_converted(folder, "ods_bom.ods", "Xã Thử Ods Bom"), ODS_PART, honest=False)
    return [folder]


def docx_bomb(folder: Path) -> list[Path]:
    _bombed(word_report(folder, "word_bom.docx", "Xã Thử Word Bom"), WORD_PART, honest=True)
    return [folder]


def _xxe(path: Path, part: str) -> list[Path]:
    secret = _aside(path.parent) / "bi_mat.txt"
    secret.write_text(SECRET, "utf-8")
    doctype = f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{secret.resolve().as_uri()}">]>'
    _in_place(path, {part: lambda xml: _with_doctype(xml, doctype).replace(b"</text:p>", b"&xxe;</text:p>", 1)
                     .replace(b"</w:t>", b"&xxe;</w:t>", 1)})
    return [path.parent]


def ods_xxe(folder: Path) -> list[Path]:
    return _xxe(_converted(folder, "ods_xxe.ods", "Xã Thử Ods XXE"), ODS_PART)


def docx_xxe(folder: Path) -> list[Path]:
    return _xxe(word_report(folder, "word_xxe.docx", "Xã Thử Word XXE"), WORD_PART)


def xls_far_cell(folder: Path) -> list[Path]:
    """A number in IV65536, the last cell of an Excel 97 sheet: 16.7 million cells for calamine."""
    def edit(workbook: Workbook) -> None:
        workbook[SHEET]["IV65536"] = 1
    _converted(folder, "xls_o_xa.xls", "Xã Thử Xls Ô Xa", edit)
    return [folder]


def ods_far_cell(folder: Path) -> list[Path]:
    """A number repeated over a thousand columns of a million rows, in a file of a few kilobytes."""
    path = _converted(folder, "ods_lap.ods", "Xã Thử Ods Lặp")
    row = (b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" '
           b'office:value="1" table:number-columns-repeated="1000"><text:p>1</text:p></table:table-cell>'
           b"</table:table-row>")
    _in_place(path, {ODS_PART: lambda xml: xml.replace(b"</table:table>", row + b"</table:table>", 1)})
    return [folder]


def docx_huge_span(folder: Path) -> list[Path]:
    """A cell of the appendix table spanning a billion grid columns (`w:gridSpan`)."""
    path = word_report(folder, "word_o_rong.docx", "Xã Thử Word Ô Rộng")
    _in_place(path, {WORD_PART: lambda xml: xml.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="1000000000"/>', 1)})
    return [folder]


def docx_report(folder: Path) -> list[Path]:
    word_report(folder, "bao_cao_cchc.docx", "Xã Thử Word")
    return [folder]


def docx_without_table(folder: Path) -> list[Path]:
    """A Word report whose appendix was left out: its only table is the signature block."""
    report = docx.Document()
    report.add_paragraph("UBND XÃ THỬ KHÔNG BẢNG")
    report.add_paragraph("BÁO CÁO Kết quả thực hiện công tác cải cách hành chính quý II năm 2023")
    signature = report.add_table(rows=1, cols=2)
    signature.cell(0, 0).text, signature.cell(0, 1).text = "Nơi nhận: UBND huyện", "TM. ỦY BAN NHÂN DÂN"
    report.save(folder / "bao_cao_khong_bang.docx")
    return [folder]


def far_cell(folder: Path) -> list[Path]:
    """One number typed in XFD1048576: calamine would allocate the whole sheet and abort."""
    path = commune(folder, "o_tan_cung.xlsx", "Xã Thử Ô Xa")
    _in_place(path, {SHEET_PART: lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')})
    return [folder]


def lowercase_reference(folder: Path) -> list[Path]:
    """A cell address in lower case: calamine panics on it (a Rust panic, no Python exception)."""
    path = commune(folder, "dia_chi_chu_thuong.xlsx", "Xã Thử Chữ Thường")
    _in_place(path, {SHEET_PART: lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576"><c r="xfd1048576"><v>1</v></c></row></sheetData>')})
    return [folder]


def huge_date(folder: Path) -> list[Path]:
    """-1E+12 in the date-formatted plan date cell: calamine's date conversion panics."""
    def edit(workbook: Workbook) -> None:
        workbook[SHEET][CELLS("1.1")] = -1e12
    commune(folder, "ngay_qua_lon.xlsx", "Xã Thử Ngày Lớn", edit)
    return [folder]


def huge_duration(folder: Path) -> list[Path]:
    """1E+10 in a [h]:mm cell: Python cannot make that timedelta (OverflowError)."""
    def edit(workbook: Workbook) -> None:
        cell = workbook[SHEET][CELLS("1.1.1")]
        cell.value, cell.number_format = 1e10, "[h]:mm"
    commune(folder, "thoi_luong_qua_lon.xlsx", "Xã Thử Giờ Lớn", edit)
    return [folder]


def hidden_sheet(folder: Path) -> list[Path]:
    def edit(workbook: Workbook) -> None:
        workbook.create_sheet("Ghi chú", 0)["A1"] = "Xem trang phụ lục"
        workbook[SHEET].sheet_state = "hidden"
    commune(folder, "trang_an.xlsx", "Xã Thử Trang Ẩn", edit)
    return [folder]


def very_hidden_sheet(folder: Path) -> list[Path]:
    def edit(workbook: Workbook) -> None:
        workbook.create_sheet("Ghi chú", 0)["A1"] = "Xem trang phụ lục"
        workbook[SHEET].sheet_state = "veryHidden"
    commune(folder, "trang_an_sau.xlsx", "Xã Thử Trang Ẩn Sâu", edit)
    return [folder]


#: The value the very hidden decoy holds, never to be consolidated.
DECOY_VALUE = 777_777


def very_hidden_decoy(folder: Path) -> list[Path]:
    """The visible table renamed, and a very hidden copy under the form's sheet name with other numbers."""
    def edit(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        decoy = workbook.copy_worksheet(sheet)
        sheet.title = "Bảng đã gửi"
        decoy.title = SHEET
        decoy[CELLS("3.3.1")] = DECOY_VALUE
        decoy.sheet_state = "veryHidden"
    commune(folder, "trang_an_gia.xlsx", "Xã Thử Trang Giả", edit)
    return [folder]


def merged_over_values(folder: Path) -> list[Path]:
    """D45:D47 merged while D46 and D47 still hold numbers (Excel shows only D45's)."""
    def edit(workbook: Workbook) -> None:
        workbook[SHEET].merged_cells.add(f"{CELLS('3.3.1.a')}:{CELLS('3.3.1.c')}")
    commune(folder, "o_gop.xlsx", "Xã Thử Ô Gộp", edit)
    return [folder]


def formulas_without_values(folder: Path) -> list[Path]:
    def edit(workbook: Workbook) -> None:
        workbook[SHEET][CELLS("2.1")] = "=2+3"
    commune(folder, "cong_thuc_chua_tinh.xlsx", "Xã Thử Công Thức", edit)
    return [folder]


def odd_counts(folder: Path) -> list[Path]:
    """Text, a date, a negative, a decimal and 1E+308 typed in count cells."""
    def edit(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        for code, value in (("2.1", "mười hai"), ("2.2", dt.datetime(2023, 5, 4)), ("2.3", -5),
                            ("2.4", 2.5), ("2.5", 1e308)):
            sheet[CELLS(code)] = value
    commune(folder, "so_la.xlsx", "Xã Thử Số Lạ", edit)
    return [folder]


def overflowing_sum(folder: Path) -> list[Path]:
    """1E+308 in two receiving channels: their sum overflows (#NUM! in Excel)."""
    def edit(workbook: Workbook) -> None:
        for code in ("3.3.1.a", "3.3.1.b"):
            workbook[SHEET][CELLS(code)] = 1e308
    commune(folder, "tong_tran.xlsx", "Xã Thử Tổng Tràn", edit)
    return [folder]


def negative_date(folder: Path) -> list[Path]:
    """-5 in the date-formatted cell: calamine reads it as 00:00, the reader restores -5."""
    def edit(workbook: Workbook) -> None:
        workbook[SHEET][CELLS("1.1")] = -5
    commune(folder, "ngay_am.xlsx", "Xã Thử Ngày Âm", edit)
    return [folder]


def infinite_number(folder: Path) -> list[Path]:
    path = commune(folder, "vo_cuc.xlsx", "Xã Thử Vô Cực")
    _in_place(path, {SHEET_PART: lambda xml: _set_cell(xml, CELLS("2.1"), b"><v>1e999</v></c>")})
    return [folder]


def long_text(folder: Path) -> list[Path]:
    """40 000 characters in a count cell (more than an Excel cell holds)."""
    path = commune(folder, "chu_dai.xlsx", "Xã Thử Chữ Dài")
    text = ("Số liệu rất dài " * 2500).encode()
    _in_place(path, {SHEET_PART: lambda xml: _set_cell(
        xml, CELLS("2.1"), b' t="inlineStr"><is><t>' + text + b"</t></is></c>")})
    return [folder]


def wrong_period(folder: Path) -> list[Path]:
    commune(folder, "ky_truoc.xlsx", "Xã Thử Kỳ Trước", period=Period(2023, "Q1"))
    return [folder]


def unknown_form(folder: Path) -> list[Path]:
    def edit(workbook: Workbook) -> None:
        workbook[META_SHEET]["B1"] = "xa_2030"
    commune(folder, "mau_moi.xlsx", "Xã Thử Mẫu Mới", edit)
    return [folder]


def no_stt_column(folder: Path) -> list[Path]:
    def edit(workbook: Workbook) -> None:
        workbook[SHEET].delete_cols(1)
    commune(folder, "khong_cot_stt.xlsx", "Xã Thử Không STT", edit)
    return [folder]


def same_commune_twice(folder: Path) -> list[Path]:
    first = commune(folder, "xa_gui_lan_1.xlsx", "Xã Thử Gửi Hai Lần")
    second = commune(folder, "xa_gui_lan_2.xlsx", "Xã Thử Gửi Hai Lần")
    stamp = first.stat().st_mtime
    os.utime(first, (stamp - 3600, stamp - 3600))
    os.utime(second, (stamp, stamp))
    return [folder]


def lock_file_in_folder(folder: Path) -> list[Path]:
    commune(folder, "xa_dang_mo.xlsx", "Xã Thử Đang Mở")
    (folder / "~$xa_dang_mo.xlsx").write_bytes(b"\x0bNguyen Van A" + bytes(150))
    return [folder]


def lock_file_named(folder: Path) -> list[Path]:
    good = commune(folder, "xa_khoa.xlsx", "Xã Thử Tệp Khóa")
    lock = folder / "~$xa_khoa.xlsx"
    lock.write_bytes(b"\x0bNguyen Van A" + bytes(150))
    return [good, lock]


#: Decomposed Unicode (as macOS writes names), an emoji and a right-to-left mark.
UNICODE_NAME = unicodedata.normalize("NFD", "Xã Hoằng Thử 🏛 \u200fبيانات báo cáo.xlsx")


def unicode_name(folder: Path) -> list[Path]:
    commune(folder, UNICODE_NAME, "Xã Thử Tên Unicode")
    return [folder]


#: A name of 250 bytes, near the 255 bytes a Linux file name may have.
LONG_NAME = "Báo cáo CCHC xã Thử Tên Dài " + "x" * (250 - len("Báo cáo CCHC xã Thử Tên Dài .xlsx".encode())) + ".xlsx"


def long_name(folder: Path) -> list[Path]:
    commune(folder, LONG_NAME, "Xã Thử Tên Dài")
    return [folder]


def undecodable_name(folder: Path) -> list[Path]:
    """A name whose bytes are no UTF-8 (unzipped from a Windows archive in cp1258)."""
    path = commune(folder, "tam.xlsx", "Xã Thử Tên Lỗi Mã")
    os.rename(bytes(path), bytes(folder) + b"/B\xe1o c\xe1o x\xe3.xlsx")
    return [folder]


def macro_workbook(folder: Path) -> list[Path]:
    """An .xlsm whose VBA project holds an Auto_Open macro (never run: never even opened)."""
    path = commune(folder, "co_macro.xlsx", "Xã Thử Macro")
    rewrite(path, folder / "co_macro.xlsm", {
        "xl/vbaProject.bin": auto_open_vba_project(),
        "[Content_Types].xml": _macro_enabled,
        "xl/_rels/workbook.xml.rels": _vba_relation,
    })
    path.unlink()
    return [folder]


#: The commune name (from the meta sheet) of the injection case, itself formula-shaped.
INJECTED_UNIT = "@INJ_F Xã Thử"
INJECTED_FILE = "=INJ_E()+1.xlsx"


def injection(folder: Path) -> list[Path]:
    """Commune text shaped like formulas in value cells, a note, an added row, the commune's
    name and the file name."""
    def edit(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        last = sheet.max_row + 1
        sheet.cell(last, 2, INJECTED[1])
        sheet.cell(last, 4, INJECTED[3])
        meta = workbook[META_SHEET]
        unit_row = next(row for row in meta.iter_rows() if row[0].value == "unit")
        unit_row[1].value = INJECTED_UNIT
    path = commune(folder, INJECTED_FILE, "Xã Thử Công Thức Giả", edit)
    cells = dict(zip((CELLS(code) for code in ("2.1", "2.2", "2.3", "2.4", "2.5")), INJECTED))
    cells[CELLS("2.1").replace("D", "E")] = INJECTED[0]  # its note
    _in_place(path, {SHEET_PART: lambda xml: _texts(xml, cells)})
    return [folder]


def _texts(xml: bytes, cells: dict[str, str]) -> bytes:
    """Cells set to text as typed (openpyxl would save text starting with "=" as a formula)."""
    for ref, text in cells.items():
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode()
        xml = _set_cell(xml, ref, b' t="inlineStr"><is><t>' + escaped + b"</t></is></c>")
    return xml


def many_unrelated_files(folder: Path) -> list[Path]:
    """One commune among thousands of photos, notes and PDF files."""
    commune(folder, "xa_that.xlsx", "Xã Thử Giữa Đống Tệp")
    for i in range(UNRELATED):
        suffix = (".txt", ".jpg", ".pdf")[i % 3]
        (folder / f"tep_{i:04d}{suffix}").write_bytes(b"x" * (i % 7))
    return [folder]


CASES: tuple[Case, ...] = (
    Case("zero_byte", "zero-byte file", zero_byte, "unreadable", "empty",
         "Tệp '{file}' rỗng (0 byte)…gửi lại tệp.", 2, file="xa_rong.xlsx"),
    Case("markup_name", "an unreadable file named with terminal markup ([bold], [red])", markup_name, "unreadable",
         "empty", "Tệp '{file}' rỗng (0 byte)…", 2, file=MARKUP_NAME),
    Case("text_renamed", "text renamed .xlsx", text_renamed, "unreadable", "text",
         "Tệp '{file}' không phải sổ làm việc Excel (có thể là tệp văn bản hoặc tệp khác bị đổi đuôi).…", 2,
         file="so_lieu_go_tay.xlsx"),
    Case("truncated_zip", "truncated zip (half a download)", truncated_zip, "unreadable", "corrupt",
         "Tệp '{file}' bị hỏng…gửi lại.", 2, file="tai_chua_het.xlsx"),
    Case("zip_bomb", "zip bomb: sheet XML inflating to 3 GiB, declared honestly", zip_bomb, "unreadable",
         "too_large", "Tệp '{file}' giải nén ra 3071 MB, lớn bất thường…(có thể là tệp độc hại); đã bỏ qua.", 2,
         file="bom_nen.xlsx"),
    Case("zip_bomb_lying", "zip bomb declaring the size of a normal sheet", zip_bomb_lying, "unreadable",
         "bomb", "Tệp '{file}': phần 'xl/worksheets/sheet1.xml' giải nén ra nhiều hơn kích thước tệp tự khai…"
                 "«bom nén»…", 2, file="bom_nen_khai_gian.xlsx"),
    Case("xxe_sheet", "external entities (file and URL, XXE) in the sheet XML", xxe_sheet, "unreadable", "dtd",
         "Tệp '{file}' có khai báo thực thể XML (DOCTYPE/ENTITY) trong phần 'xl/worksheets/sheet1.xml'…"
         "tệp độc hại…", 2, file="xxe_trang_tinh.xlsx"),
    Case("xxe_shared_strings", "external entity in sharedStrings.xml", xxe_shared_strings, "unreadable", "dtd",
         "Tệp '{file}' có khai báo thực thể XML (DOCTYPE/ENTITY) trong phần 'xl/sharedStrings.xml'…", 2,
         file="xxe_chuoi_chung.xlsx"),
    Case("billion_laughs", "entity expansion (billion laughs)", billion_laughs, "unreadable", "dtd",
         "Tệp '{file}' có khai báo thực thể XML…", 2, file="ty_tieng_cuoi.xlsx"),
    Case("encrypted", "password-protected workbook (msoffcrypto)", encrypted, "unreadable", "encrypted",
         "Tệp '{file}' là tệp có mật khẩu (đặt mật khẩu mở tệp) nên không đọc được…Excel: Tệp › Thông tin…", 2,
         file="co_mat_khau.xlsx"),
    Case("xls", ".xls (BIFF, saved by LibreOffice)", xls_biff, "consolidated", None,
         "(read like an .xlsx; provenance names its sheet and cells)", 0, file="xa_excel97.xls",
         commune="Xã Thử Excel 97", needs_libreoffice=True),
    Case("ods", ".ods (saved by LibreOffice)", ods, "consolidated", None,
         "(read like an .xlsx; provenance names its sheet and cells)", 0, file="xa_calc.ods",
         commune="Xã Thử Calc", needs_libreoffice=True),
    Case("docx_report", "a Word report (.docx), the appendix a table split over pages", docx_report,
         "consolidated", None, "(the table's values read; provenance names «bảng N, dòng M»)", 0,
         file="bao_cao_cchc.docx", commune="Xã Thử Word"),
    Case("docx_without_table", "a Word report without the appendix table", docx_without_table, "unreadable",
         "no_table", "Tệp '{file}' là văn bản Word nhưng không có bảng phụ lục (bảng có dòng tiêu đề STT, Chỉ tiêu, "
                     "Đơn vị tính, Số liệu) trong 1 bảng của văn bản.…", 2, file="bao_cao_khong_bang.docx"),
    Case("docx_huge_span", "a Word table cell spanning a billion columns", docx_huge_span, "unreadable",
         "sheet_too_large", "Tệp '{file}': bảng 1 của văn bản Word có quá nhiều ô…có thể là tệp độc hại…", 2,
         file="word_o_rong.docx"),
    Case("xls_encrypted", ".xls saved by LibreOffice with a password", xls_encrypted, "unreadable", "encrypted",
         "Tệp '{file}' là tệp có mật khẩu…", 2, file="xls_mat_khau.xls", needs_libreoffice=True),
    Case("ods_encrypted", ".ods saved by LibreOffice with a password", ods_encrypted, "unreadable", "encrypted",
         "Tệp '{file}' là tệp có mật khẩu…LibreOffice: Tệp › Lưu thành, bỏ chọn «Lưu với mật khẩu»…", 2,
         file="ods_mat_khau.ods", needs_libreoffice=True),
    Case("docx_encrypted", "Word report with a password (msoffcrypto)", docx_encrypted, "unreadable", "encrypted",
         "Tệp '{file}' là tệp có mật khẩu…Word: Tệp › Thông tin › Bảo vệ tài liệu…", 2, file="word_mat_khau.docx"),
    Case("xls_truncated", "truncated .xls", xls_truncated, "unreadable", "corrupt",
         "Tệp '{file}' bị hỏng…", 2, file="xls_do_dang.xls", needs_libreoffice=True),
    Case("ods_truncated", "truncated .ods", ods_truncated, "unreadable", "corrupt",
         "Tệp '{file}' bị hỏng…gửi lại.", 2, file="ods_do_dang.ods", needs_libreoffice=True),
    Case("docx_truncated", "truncated .docx", docx_truncated, "unreadable", "corrupt",
         "Tệp '{file}' bị hỏng…gửi lại.", 2, file="word_do_dang.docx"),
    Case("ods_bomb", ".ods whose content.xml inflates to 3 GiB, declaring a normal size", ods_bomb, "unreadable",
         "bomb", "Tệp '{file}': phần 'content.xml' giải nén ra nhiều hơn kích thước tệp tự khai…«bom nén»…", 2,
         file="ods_bom.ods", needs_libreoffice=True),
    Case("docx_bomb", ".docx whose document.xml inflates to 3 GiB", docx_bomb, "unreadable", "too_large",
         "Tệp '{file}' giải nén ra 3071 MB, lớn bất thường…(có thể là tệp độc hại); đã bỏ qua.", 2,
         file="word_bom.docx"),
    Case("ods_xxe", "external entity in an .ods's content.xml", ods_xxe, "unreadable", "dtd",
         "Tệp '{file}' có khai báo thực thể XML (DOCTYPE/ENTITY) trong phần 'content.xml'…", 2, file="ods_xxe.ods",
         needs_libreoffice=True),
    Case("docx_xxe", "external entity in a .docx's document.xml", docx_xxe, "unreadable", "dtd",
         "Tệp '{file}' có khai báo thực thể XML (DOCTYPE/ENTITY) trong phần 'word/document.xml'…", 2,
         file="word_xxe.docx"),
    Case("xls_far_cell", "a number in IV65536 of an .xls", xls_far_cell, "unreadable", "sheet_too_large",
         "Tệp '{file}': trang 'Phụ lục 01b' có ô tới tận ô IV65536 (vùng 65.536 dòng × 256 cột)…", 2,
         file="xls_o_xa.xls", needs_libreoffice=True),
    Case("ods_far_cell", "a number repeated over 1 000 columns × 1 000 000 rows of an .ods", ods_far_cell,
         "unreadable", "sheet_too_large", "Tệp '{file}': trang 'Phụ lục 01b' có ô tới tận ô…vượt giới hạn 2.000.000 ô…",
         2, file="ods_lap.ods", needs_libreoffice=True),
    Case("csv", ".csv", csv, "unreadable", "text", "Tệp '{file}' là tệp văn bản CSV, không phải sổ làm việc.…", 2,
         file="so_lieu.csv"),
    Case("xlsb", "a broken .xlsb (binary workbook)", xlsb, "unreadable", "corrupt",
         "Tệp '{file}' bị hỏng, không đọc được như sổ làm việc nhị phân (.xlsb)…", 2, file="nhi_phan.xlsb"),
    Case("word_renamed", "a broken Word document renamed .xlsx", word_renamed, "unreadable", "corrupt",
         "Tệp '{file}' là văn bản Word bị hỏng, không đọc được…", 2, file="bao_cao_word.xlsx"),
    Case("far_cell", "a number in XFD1048576 (calamine would allocate 512 GB and abort)", far_cell,
         "unreadable", "sheet_too_large",
         "Tệp '{file}': trang 'Phụ lục 01b' có ô tới tận ô XFD1048576 (vùng 1.048.576 dòng × 16.384 cột)…", 2,
         file="o_tan_cung.xlsx"),
    Case("lowercase_reference", "a cell address in lower case (calamine panics)", lowercase_reference,
         "unreadable", "corrupt", "Tệp '{file}' bị hỏng (trang 'Phụ lục 01b' có địa chỉ ô không hợp lệ "
                                  "\"xfd1048576\"…", 2,
         file="dia_chi_chu_thuong.xlsx"),
    Case("huge_date", "-1E+12 in a date cell (calamine panics)", huge_date, "unreadable", "date_range",
         "Tệp '{file}': trang 'Phụ lục 01b' có ô định dạng ngày/giờ chứa số quá lớn hoặc quá nhỏ…(có thể là ô "
         "D9 = -1E+12)…", 2, file="ngay_qua_lon.xlsx"),
    Case("huge_duration", "1E+10 in a [h]:mm cell (Python overflow)", huge_duration, "unreadable", "date_range",
         "Tệp '{file}': trang 'Phụ lục 01b' có ô định dạng ngày/giờ…(có thể là ô D10 = 1E+10)…", 2,
         file="thoi_luong_qua_lon.xlsx"),
    Case("hidden_sheet", "the table on a hidden sheet", hidden_sheet, "problem", "hidden_sheet",
         "Bảng phụ lục nằm ở trang ẩn 'Phụ lục 01b'…đề nghị kiểm tra với đơn vị.", 1,
         file="trang_an.xlsx", commune="Xã Thử Trang Ẩn"),
    Case("very_hidden_sheet", "the table on a very hidden sheet", very_hidden_sheet, "problem", "hidden_sheet",
         "Bảng phụ lục nằm ở trang ẩn 'Phụ lục 01b'…", 1, file="trang_an_sau.xlsx",
         commune="Xã Thử Trang Ẩn Sâu"),
    Case("very_hidden_decoy", "a very hidden copy named as the form's sheet, with other numbers",
         very_hidden_decoy, "consolidated", None, "(the visible table is read; the decoy never is)", 0,
         file="trang_an_gia.xlsx", commune="Xã Thử Trang Giả"),
    Case("merged_over_values", "merged cells over value cells", merged_over_values, "problem", "merged",
         "Ô {cell} (mã 3.3.1.b) nằm trong vùng ô gộp D45:D47: giá trị 15 bị che trên Excel nhưng vẫn được đọc…",
         1, file="o_gop.xlsx", cell="D46", commune="Xã Thử Ô Gộp"),
    Case("formula_no_value", "a formula without a cached value", formulas_without_values, "problem",
         "formula_no_value", "Ô {cell} (mã 2.1): ô có công thức nhưng chưa có kết quả tính…", 1,
         file="cong_thuc_chua_tinh.xlsx", cell="D26", commune="Xã Thử Công Thức"),
    Case("odd_counts", "text, a date, a negative, a decimal, 1E+308 in count cells", odd_counts, "problem",
         "text", "Ô {cell} (mã 2.1): \"mười hai\" không phải số; không tính vào tổng hợp.", 1,
         file="so_la.xlsx", cell="D26", commune="Xã Thử Số Lạ"),
    Case("overflowing_sum", "1E+308 in two parts of one sum (the sum overflows)", overflowing_sum, "finding",
         "sum:3.3.1", "Không kiểm tra được: số liệu quá lớn, phép tính vượt giới hạn của Excel (Excel báo lỗi #NUM!).",
         1, file="tong_tran.xlsx", commune="Xã Thử Tổng Tràn"),
    Case("negative_date", "a negative number in the date cell (Excel shows ####)", negative_date, "problem",
         "date_range", "Ô {cell} (mã 1.1): số -5 trong ô định dạng ngày/giờ nằm ngoài phạm vi ngày của Excel…"
                       "đọc là số -5.", 1, file="ngay_am.xlsx", cell="D9",
         commune="Xã Thử Ngày Âm"),
    Case("infinite_number", "1e999 stored in a count cell (infinite)", infinite_number, "problem", "not_finite",
         "Ô {cell} (mã 2.1): giá trị inf không phải số hữu hạn…không tính vào tổng hợp.", 1,
         file="vo_cuc.xlsx", cell="D26", commune="Xã Thử Vô Cực"),
    Case("long_text", "40 000 characters in a cell", long_text, "problem", "too_long",
         "Ô {cell} (mã 2.1): nội dung dài 39999 ký tự, vượt giới hạn 32767 ký tự…", 1,
         file="chu_dai.xlsx", cell="D26", commune="Xã Thử Chữ Dài"),
    Case("wrong_period", "a file of another period", wrong_period, "problem", "period",
         "Tệp '{file}' (Xã Thử Kỳ Trước) ghi kỳ Quý I năm 2023, khác kỳ tổng hợp Quý II năm 2023; "
         "không cộng vào Quý II năm 2023.", 1, file="ky_truoc.xlsx"),
    Case("unknown_form", "an unknown form version in the meta sheet", unknown_form, "problem", "unknown_form",
         "Trang _cchc ghi biểu mẫu 'xa_2030' không được hỗ trợ; đã nhận dạng theo tên chỉ tiêu là xa_2023.", 1,
         file="mau_moi.xlsx", commune="Xã Thử Mẫu Mới"),
    Case("no_stt_column", "the STT column deleted", no_stt_column, "consolidated", None,
         "(read by the labels; nothing to report)", 0, file="khong_cot_stt.xlsx",
         commune="Xã Thử Không STT"),
    Case("same_commune_twice", "two files for the same commune", same_commune_twice, "problem", "duplicate",
         "Xã Thử Gửi Hai Lần nộp nhiều tệp: dùng 'xa_gui_lan_2.xlsx'…không cộng '{file}'…", 1,
         file="xa_gui_lan_1.xlsx", commune="Xã Thử Gửi Hai Lần"),
    Case("lock_file_in_folder", "Excel lock file ~$….xlsx in the folder", lock_file_in_folder, "consolidated",
         None, "(skipped without a word: Excel's own temporary file)", 0, file="~$xa_dang_mo.xlsx",
         commune="Xã Thử Đang Mở"),
    Case("lock_file_named", "Excel lock file named on the command line", lock_file_named, "skipped", "skipped",
         "Bỏ qua '{file}': tệp khóa tạm của Excel…không phải phụ lục.", 1, file="~$xa_khoa.xlsx",
         commune="Xã Thử Tệp Khóa"),
    Case("unicode_name", "decomposed Unicode, emoji and right-to-left mark in the file name", unicode_name,
         "consolidated", None, "(consolidated; the name is kept as written)", 0, file=UNICODE_NAME,
         commune="Xã Thử Tên Unicode"),
    Case("long_name", "a 250-byte file name", long_name, "consolidated", None,
         "(consolidated; the name is kept whole)", 0, file=LONG_NAME,
         commune="Xã Thử Tên Dài"),
    Case("undecodable_name", "a file name that is no UTF-8 (cp1258 bytes)", undecodable_name, "consolidated",
         None, "(consolidated; undecodable bytes shown as �)", 0, file="B\udce1o c\udce1o x\udce3.xlsx",
         commune="Xã Thử Tên Lỗi Mã"),
    Case("macro", ".xlsm with an Auto_Open macro", macro_workbook, "consolidated", None,
         "(consolidated; the macro is never run and no VBA reaches the output)", 0, file="co_macro.xlsm",
         commune="Xã Thử Macro"),
    Case("injection", "text starting with =, +, -, @ in cells, a note, an added row, the file name",
         injection, "problem", "text", "Ô {cell} (mã 2.1): \"=INJ_A()+1\" không phải số; không tính vào tổng hợp.",
         1, file=INJECTED_FILE, cell="D26", commune=INJECTED_UNIT),
    Case("many_unrelated_files", f"{UNRELATED} .txt/.jpg/.pdf files beside one commune", many_unrelated_files,
         "skipped", "skipped", f"Thư mục '…': bỏ qua {UNRELATED} mục không phải tệp Excel hay báo cáo Word "
                               "(.xlsx, .xlsm, .xls, .xlsb, .ods, .docx): tep_0000.txt, tep_0001.jpg, tep_0002.pdf, "
                               "tep_0003.txt, tep_0004.jpg, …", 1,
         commune="Xã Thử Giữa Đống Tệp"),
)


def readme_table() -> str:
    """The README's table of bad inputs: what each is, what the user sees, the exit code."""
    where = {"unreadable": "terminal: `Không đọc được: …`; `Nguồn`: status «Không đọc được»",
             "problem": "`Nguồn`, problem table (file, cell, kind)", "skipped": "`Nguồn`, problem table",
             "finding": "terminal: «xã: 1 lỗi»; `Kiểm tra`: the flag listed, its live result #NUM!; `cchc-xl check`: the message",
             "consolidated": "nothing: the commune is consolidated"}
    lines = ["| case | bad input | kind | where | message (… any text) | exit |",
             "| --- | --- | --- | --- | --- | --- |"]
    for case in CASES:
        pattern = case.pattern.replace("|", "\\|").replace("{cell}", case.cell or "{cell}")
        lines.append(f"| `{case.name}` | {case.what} | {f'`{case.kind}`' if case.kind else ''} | "
                     f"{where[case.outcome]} | {pattern} | {case.exit_code} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(readme_table())
