"""Files that are not, or not only, a network workbook: each gives one clear ERROR and never raises.

Every bad file is built here for real (zipfile, openpyxl, raw bytes); nothing is mocked. Where a limit
would need hundreds of megabytes to reach, the test lowers the limit instead of growing the file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from optimizer.io import read_network, reader, safety
from optimizer.issues import CellRef, Issue

from .workbooks import rewrite_part, sheet_part, small_network, sub, write_small


def _error(path: Path) -> Issue:
    result = read_network(path)
    errors = [i for i in result.issues if i.is_error]
    assert len(errors) == 1, [str(i) for i in result.issues]
    return errors[0]


def _refused(path: Path) -> str:
    result = read_network(path)
    assert result.network is None
    return _error(path).message


def test_missing_file(tmp_path: Path) -> None:
    assert _refused(tmp_path / "nope.xlsx") == "nope.xlsx: file not found"


def test_folder(tmp_path: Path) -> None:
    (tmp_path / "d.xlsx").mkdir()
    assert "is a folder" in _refused(tmp_path / "d.xlsx")


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.xlsx").write_bytes(b"")
    assert "the file is empty" in _refused(tmp_path / "e.xlsx")


def test_csv_is_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "n.csv").write_text("id,name\nCP-1,Yard\n", encoding="utf-8")
    assert "not a zip archive" in _refused(tmp_path / "n.csv")


def test_truncated_download(tmp_path: Path) -> None:
    path = write_small(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "damaged, truncated" in _refused(path)


def test_corrupt_member_with_intact_directory(tmp_path: Path) -> None:
    """The central directory is fine, but a compressed part is garbage: found when it is unpacked."""
    path = write_small(tmp_path)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/workbook.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start, start + min(info.compress_size, 200)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    assert "damaged or truncated" in _refused(path) or "could not be read" in _refused(path)


def _ole(tmp_path: Path, name: str, body: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body)
    return path


def test_legacy_xls(tmp_path: Path) -> None:
    message = _refused(_ole(tmp_path, "old.xls", "Workbook".encode("utf-16-le")))
    assert "old Excel 97-2003 (.xls)" in message and "save it as an Excel Workbook (.xlsx)" in message


def test_password_protected_workbook(tmp_path: Path) -> None:
    body = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le")
    assert "password-protected" in _refused(_ole(tmp_path, "secret.xlsx", body))


def test_opendocument_spreadsheet(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "calc.ods", "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    assert "OpenDocument" in _refused(tmp_path / "calc.ods")


def test_other_zip(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "a.xlsx", "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "no xl/workbook.xml" in _refused(tmp_path / "a.xlsx")


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_small(tmp_path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (4 * 2**20))  # 4 MB of zeros packs to a few KB
    assert path.stat().st_size < 200_000
    monkeypatch.setattr(safety, "MAX_UNPACKED_BYTES", 2**20)
    assert "unpacks to 4 MB, more than the 1 MB" in _refused(path)


_BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>\n"
)


def _without_declaration(data: bytes) -> bytes:
    return data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data


def test_xml_entity_bomb_in_the_prolog_is_refused(tmp_path: Path) -> None:
    path = write_small(tmp_path)
    rewrite_part(path, "xl/workbook.xml", lambda data: _BILLION_LAUGHS.encode() + _without_declaration(data))
    assert "XML entity declarations" in _refused(path)


def test_xml_entity_bomb_hidden_after_a_long_comment_is_stopped_by_defusedxml(tmp_path: Path) -> None:
    """A DTD after 100 KB of comment escapes the prolog scan; defusedxml still refuses it when openpyxl
    parses the sheet, and the error is reported, not raised."""
    path = write_small(tmp_path)
    part = sheet_part(path, "Grades")
    padding = "<!--" + "x" * 100_000 + "-->"
    rewrite_part(
        path,
        part,
        lambda data: (
            _BILLION_LAUGHS.replace("<!DOCTYPE", padding + "<!DOCTYPE").encode() + _without_declaration(data)
        ).replace(b"<t>Bare bright</t>", b"<t>&lol9;</t>"),
    )
    assert "XML entity declarations" in _refused(path)


def test_a_sheet_declaring_a_million_rows_is_refused_before_reading(tmp_path: Path) -> None:
    path = write_small(tmp_path)
    rewrite_part(
        path,
        sheet_part(path, "Supply"),
        sub(r'<dimension ref="A1:D5"\s*/>', '<dimension ref="A1:D1000000"/>'),
    )
    result = read_network(path)
    errors = [i for i in result.issues if i.is_error]
    assert len(errors) == 1
    assert (
        errors[0].message
        == 'sheet "Supply" has 1,000,000 rows; CopperLoop reads at most 200,000 rows per sheet'
    )
    assert result.network is not None and all(cp.supplies == () for cp in result.network.collection_points)


def test_an_unsized_sheet_longer_than_the_limit_stops_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "long.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Grades"
    ws.append(["Grade id", "Copper content"])
    for i in range(30):
        ws.append([f"G{i}", 0.5])
    wb.save(path)
    rewrite_part(path, "xl/worksheets/sheet1.xml", sub(r'<dimension ref="[^"]*"\s*/>', ""))
    monkeypatch.setattr(reader, "MAX_ROWS", 20)
    result = read_network(path)
    limit = [i for i in result.issues if "more than 20 rows" in i.message]
    assert len(limit) == 1 and limit[0].cell == CellRef("Grades", 21, "A")
    assert result.network is not None and len(result.network.grades) == 19


def test_a_good_file_with_any_extension_still_reads(tmp_path: Path) -> None:
    path = write_small(tmp_path, name="network.xlsm")
    assert read_network(path).network == small_network()
