"""Print areas of the report sheets: exactly the cells and charts a sheet holds, so a spreadsheet prints
no stray blank page (a chart's frame, or formatting past the last cell, can add one).

A chart is anchored at a cell and sized in centimetres; the rows and columns it covers are found from
the sheet's row heights and column widths.
"""

from __future__ import annotations

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.report.charts import DEFAULT_COLUMN_WIDTH

#: Height of a row whose height was never set, in points.
DEFAULT_ROW_HEIGHT_PT = 15.0
CM_PER_PT = 2.54 / 72


def _column_cm(ws: Worksheet, col: int) -> float:
    width = ws.column_dimensions[get_column_letter(col)].width or DEFAULT_COLUMN_WIDTH
    return (7 * width + 5) * 2.54 / 96


def _row_cm(ws: Worksheet, row: int) -> float:
    height = ws.row_dimensions[row].height if row in ws.row_dimensions else None
    return (height or DEFAULT_ROW_HEIGHT_PT) * CM_PER_PT


def chart_extent(ws: Worksheet, anchor: str, width_cm: float, height_cm: float) -> tuple[int, int]:
    """The last row and column a chart anchored at ``anchor`` (top-left cell) covers."""
    letters, row = coordinate_from_string(anchor)
    col = column_index_from_string(letters)
    used = 0.0
    while used < height_cm:
        used += _row_cm(ws, row)
        row += 1
    used = 0.0
    while used < width_cm:
        used += _column_cm(ws, col)
        col += 1
    return row - 1, col - 1


def set_print_area(ws: Worksheet) -> None:
    """Set the print area of ``ws`` to its cells and its charts (keeps one set already)."""
    if ws.print_area:
        return
    last_row, last_col = ws.max_row, ws.max_column
    for chart in ws._charts:
        anchor = chart.anchor if isinstance(chart.anchor, str) else None
        if anchor is None:
            continue
        r, c = chart_extent(ws, anchor, chart.width, chart.height)
        last_row, last_col = max(last_row, r), max(last_col, c)
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
