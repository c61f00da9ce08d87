"""Writing one cell of any workbook CopperLoop saves: text is always text, never a formula.

openpyxl turns a string that starts with ``=`` into a live formula and one that reads ``#N/A`` into an
error value, so a collection point named ``=HYPERLINK("http://evil.example/","CP01")`` would become a
link in every file that shows its name (formula injection). Every writer (the network workbook, the
project's Scenarios sheet, the plan report, the routes workbook) goes through :func:`put` or
:func:`put_row`, which store strings as text and mark the ones that start with ``=`` ``+`` ``-`` or
``@`` with Excel's quote prefix, so that editing such a cell in Excel does not turn it into a formula
either; :func:`text_only` catches, at save time, any cell written some other way. Text a cell cannot
hold (control characters, more than 32,767 characters) is refused with the place it belongs to, rather
than cut or dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.schema import EXCEL_CELL_MAX_CHARS

#: Longest text an Excel cell holds (the schema's limit, which validation checks before any save).
MAX_CELL_CHARS = EXCEL_CELL_MAX_CHARS
#: First characters with which Excel (or LibreOffice) starts a formula when the cell is edited.
FORMULA_STARTS = ("=", "+", "-", "@")


def put(
    ws: Worksheet, row: int, column: int, value: Any, where: Callable[[], str] | None = None
) -> Cell:
    """Write ``value`` at (``row``, ``column``) of ``ws`` and return the cell.

    Numbers, booleans, dates and None are written as they are; a string is stored as text (data type
    ``s``), with the quote prefix when it starts with a formula character.

    Raises
    ------
    ValueError
        ``value`` is text a workbook cannot hold; the message starts with ``where()`` (the entity and
        field the text belongs to) when given.
    """
    if not isinstance(value, str):
        cell = ws.cell(row=row, column=column, value=value)
        return cell
    check_text(value, where)
    cell = ws.cell(row=row, column=column, value=value)
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def put_row(ws: Worksheet, row: int, values: Iterable[Any], first_column: int = 1) -> list[Cell]:
    """Write ``values`` into row ``row`` from ``first_column`` on (the text-safe ``ws.append``)."""
    return [put(ws, row, c, value) for c, value in enumerate(values, start=first_column)]


def text_only(wb: Workbook) -> int:
    """Turn every formula or error cell of ``wb`` that holds a string into text (quote-prefixed as
    :func:`put` does); the number of cells changed.

    CopperLoop writes no formulas, so a formula cell can only be a user's text that some code wrote
    without :func:`put` (``ws.append`` does that); :func:`optimizer.io.writer.save_workbook` runs this
    on every workbook before it is saved, as the last line of defence.
    """
    changed = 0
    for ws in wb.worksheets:
        for cell in ws._cells.values():  # only the cells that exist: iter_rows would create the rest
            if cell.data_type in ("f", "e") and isinstance(cell.value, str):
                cell.data_type = "s"
                if cell.value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
                changed += 1
    return changed


def check_text(value: str, where: Callable[[], str] | None = None) -> None:
    """Raise ValueError when ``value`` cannot be stored in a cell (see :func:`put`)."""
    prefix = f"{where()}: " if where is not None else ""
    if ILLEGAL_CHARACTERS_RE.search(value):
        raise ValueError(
            f"{prefix}{value[:60]!r} contains control characters that an Excel workbook cannot hold"
        )
    if len(value) > MAX_CELL_CHARS:
        raise ValueError(
            f"{prefix}text of {len(value):,} characters; an Excel cell holds at most {MAX_CELL_CHARS:,}"
        )
