"""Opening a workbook that may be damaged, hostile or not a workbook at all, without raising.

A client's file can be anything: a legacy ``.xls``, a password-protected workbook (an OLE container),
a truncated download, a zip bomb, an XML entity bomb, or a sheet that claims a million rows. Each is
recognised *before* openpyxl spends memory on it and becomes an :class:`Issue` that says what the file
is and what to do. Workbooks are opened read-only (streamed) with ``data_only=True``: formulas are never
evaluated, their cached values are read, and a formula without a cached value is reported by the
reader.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from optimizer.io.sheet_rows import SheetRows
from optimizer.issues import Issue, Severity
from optimizer.messages import Msg, msg

#: Rows a sheet may have; a larger sheet is refused before any row is read.
MAX_ROWS = 200_000
#: Columns read per sheet; cells further right are ignored with a warning.
MAX_COLUMNS = 64
#: Total unpacked size of a workbook's parts; a zip bomb stops here.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_WORKSHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_MISSING_PART = re.compile(r"named '([^']*)'")
#: The part every .xlsx has (it names the type of every other part); openpyxl needs it to open one.
_CONTENT_TYPES = "[Content_Types].xml"
#: How much of each XML part is scanned for a DTD (a DTD can only come before the root element).
_PROLOG_BYTES = 64 * 1024


@dataclass
class OpenedWorkbook:
    """A workbook opened for reading, plus the cells that hold formulas (per sheet title) when the file
    has any, so the reader can tell a formula with no cached value from a blank cell."""

    workbook: Workbook
    formula_cells: dict[str, set[tuple[int, int]]] = field(default_factory=dict)

    def close(self) -> None:
        self.workbook.close()


def _file_issue(path: Path, problem: Msg) -> Issue:
    problem_in_file = msg("file.problem", file=path.name, problem=problem)
    return Issue.of(Severity.ERROR, problem_in_file, entity="workbook", value=str(path))


def sheet_row_count(ws: Any) -> int | None:
    """Rows a sheet declares in its dimension, without reading it (None if it declares none)."""
    try:
        max_row = ws.max_row
    except (ValueError, TypeError):
        return None
    return max_row if isinstance(max_row, int) else None


def open_workbook(path: str | Path) -> tuple[OpenedWorkbook | None, list[Issue]]:
    """Open ``path`` read-only for :func:`optimizer.io.reader.network_from_workbook`.

    Returns the workbook, or None and one ERROR saying why the file cannot be read. Never raises for a
    bad file.
    """
    p = Path(path)
    problem = _precheck(p)
    if problem:
        return None, [_file_issue(p, problem)]
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # any failure of a hostile file must become an Issue, never a traceback
        return None, [_file_issue(p, load_error(exc))]
    opened = OpenedWorkbook(wb)
    issues: list[Issue] = []
    if _has_formulas(p):
        try:
            opened.formula_cells = _formula_cells(p)
        except Exception as exc:  # same: reported, not raised
            issues.append(_file_issue(p, msg("file.formulas", error=load_error(exc))))
    return opened, issues


def describe_load_error(exc: BaseException) -> str:
    """What to tell a person whose workbook made openpyxl fail with ``exc``, in English."""
    return load_error(exc).render("en")


def load_error(exc: BaseException) -> Msg:
    """:func:`describe_load_error` as a catalogue message, to be read in any language."""
    if any(type(e).__module__.startswith("defusedxml") for e in _causes(exc)):
        return msg("load.xml_entities")
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        return msg("load.damaged", error=str(exc))
    if isinstance(exc, ParseError):
        return msg("load.invalid_xml", error=str(exc))
    if isinstance(exc, InvalidFileException):
        return msg("load.not_xlsx", error=str(exc))
    if isinstance(exc, MemoryError):
        return msg("load.too_large")
    if isinstance(exc, KeyError):  # zipfile: "There is no item named 'xl/...' in the archive"
        named = _MISSING_PART.search(str(exc.args[0]) if exc.args else "")
        return msg("load.missing_part", part=named.group(1) if named else str(exc))
    return msg("load.other", kind=type(exc).__name__, error=str(exc))


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from (openpyxl wraps parse errors in ValueError)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _precheck(p: Path) -> Msg | None:
    """Why ``p`` cannot be a readable .xlsx, judged from its bytes, or None."""
    if not p.exists():
        return msg("file.not_found")
    if p.is_dir():
        return msg("file.folder")
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
            if head == _OLE_SIGNATURE:
                fh.seek(0)
                data = fh.read(4 * 1024 * 1024)
                if _ENCRYPTED_MARK in data:
                    return msg("file.encrypted")
                return msg("file.xls")
    except OSError as exc:
        return msg("file.cannot_open", error=str(exc.strerror or exc))
    if not head:
        return msg("file.empty")
    if not zipfile.is_zipfile(p):
        return msg("file.not_zip")
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                if "content.xml" in names:
                    return msg("file.ods")
                return msg("file.zip_not_xlsx")
            if _CONTENT_TYPES not in names:
                return msg("file.no_content_types")
            unpacked = sum(i.file_size for i in infos)
            if unpacked > MAX_UNPACKED_BYTES:
                return msg("file.zip_bomb", unpacked_mb=unpacked / 2**20, limit_mb=MAX_UNPACKED_BYTES / 2**20)
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as part:
                        if _DTD.search(part.read(_PROLOG_BYTES)):
                            return msg("file.xml_entities_in", part=info.filename)
    except Exception as exc:  # a zip that lies about itself: report, never raise
        return load_error(exc)
    return None


def _has_formulas(p: Path) -> bool:
    with zipfile.ZipFile(p) as zf:
        for info in zf.infolist():
            if _WORKSHEET_PART.match(info.filename):
                with zf.open(info) as part:
                    if _FORMULA.search(part.read()):
                        return True
    return False


def _formula_cells(p: Path) -> dict[str, set[tuple[int, int]]]:
    """(row, column) of every formula cell, per sheet title, read from the formulas (not the values)."""
    wb = openpyxl.load_workbook(p, read_only=True, data_only=False)
    try:
        cells: dict[str, set[tuple[int, int]]] = {}
        for ws in wb.worksheets:
            rows = sheet_row_count(ws)
            if rows is not None and rows > MAX_ROWS:
                continue  # the reader refuses this sheet anyway
            found: set[tuple[int, int]] = set()
            for r, row in SheetRows(ws, MAX_COLUMNS).rows():
                if r > MAX_ROWS:
                    break
                for c, cell in enumerate(row, start=1):
                    if getattr(cell, "data_type", None) == "f":
                        found.add((r, c))
            if found:
                cells[ws.title] = found
        return cells
    finally:
        wb.close()
