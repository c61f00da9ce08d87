"""The Sweeps sheet: a sweep definition kept in the project workbook, one factor per row.

Its two columns come from :data:`optimizer.schema.SWEEPS` (English or Chinese headers). This module
reads and writes the raw rows (factor text, values text, and the cell each came from); what a factor
means is :mod:`optimizer.scenarios.factors`' business, one layer up, which parses them and reports a bad
one at its cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment

from optimizer.io.cells import put
from optimizer.io.safety import open_workbook
from optimizer.io.sheet_rows import SheetRows
from optimizer.issues import CellRef, Issue, Severity
from optimizer.schema import SWEEPS, normalize


@dataclass(frozen=True, slots=True)
class SweepRow:
    """One row of the Sweeps sheet, as text, with its cell (for located messages)."""

    factor: str
    values: str
    cell: CellRef


def read_sweep_rows(path: str | Path) -> tuple[list[SweepRow] | None, list[Issue]]:
    """The Sweeps sheet's rows (``None`` when the workbook has no Sweeps sheet) and any problems."""
    opened, issues = open_workbook(path)
    if opened is None:
        return None, issues
    try:
        names = {normalize(SWEEPS.name_en), normalize(SWEEPS.name_zh)}
        ws = next((w for w in opened.workbook.worksheets if normalize(w.title) in names), None)
        if ws is None:
            return None, []
        headers = {
            normalize(c.header_en): c.key for c in SWEEPS.columns
        } | {normalize(c.header_zh): c.key for c in SWEEPS.columns}
        rows = SheetRows(ws, 10).rows(min_row=1)
        first = next(rows, None)
        if first is None:
            return [], []
        columns: dict[str, int] = {}
        for j, cell in enumerate(first[1]):
            key = headers.get(normalize(cell.value)) if cell.value is not None else None
            if key is not None:
                columns.setdefault(key, j)
        missing = [c for c in SWEEPS.columns if c.key not in columns]
        if missing:
            wanted = ", ".join(f'"{c.header_en}"' for c in missing)
            return [], [
                Issue(
                    Severity.ERROR,
                    f"sheet {ws.title} has no column {wanted}; expected the headers Factor and Values",
                    entity="sweep",
                    cell=CellRef(ws.title, first[0], "A"),
                )
            ]
        out: list[SweepRow] = []
        for number, cells in rows:
            values = [c.value for c in cells]
            factor = _text(values, columns["factor"])
            if not factor:
                continue
            letter = chr(ord("A") + columns["values"])
            out.append(SweepRow(factor, _text(values, columns["values"]), CellRef(ws.title, number, letter)))
        return out, issues
    finally:
        opened.close()


def _text(values: list[object], j: int) -> str:
    value = values[j] if j < len(values) else None
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def add_sweeps_sheet(wb: Workbook, rows: list[tuple[str, str]], lang: str = "en") -> None:
    """Append a Sweeps sheet holding ``rows`` (factor, values) to ``wb``; every cell is text."""
    ws = wb.create_sheet(SWEEPS.name(lang))
    for j, col in enumerate(SWEEPS.columns, start=1):
        cell = put(ws, 1, j, col.header_zh if lang == "zh" else col.header_en)
        cell.comment = Comment(col.comment(lang), "CopperLoop")
        ws.column_dimensions[chr(ord("A") + j - 1)].width = 28
    for r, (factor, values) in enumerate(rows, start=2):
        put(ws, r, 1, factor)
        put(ws, r, 2, values)
