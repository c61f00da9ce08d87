"""The input-network sheets of the full edition, styled like the report sheets they follow.

:func:`optimizer.io.writer.add_network_sheets` writes the values the reader needs (so the report
re-imports); this module only changes how they look, from the one schema: numbers with thousands
separators ("5,800", not "5800"), coordinates with four decimals, columns wide enough for their
content with one character of room (a longitude no longer touches the province beside it), long text
wrapped at a readable width with the row made tall enough (the Parameters descriptions no longer
overprint), and the same print setup as the report sheets (grey tab, header row repeated).
"""

from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.report.styles import LINE_HEIGHT, display_width, mark_input_sheet, wrapped_lines
from optimizer.schema import FRACTION_UNIT, PARAMETERS_SHEET, SHEETS, ColumnSpec, SheetSpec, header

#: Rows whose content sets a column's width (a long sheet's first rows are representative).
ROWS_MEASURED = 300
#: Widest column before its text wraps.
WRAP_WIDTH = 48.0
MIN_WIDTH = 8.0
ROOM = 3
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def number_format(col: ColumnSpec) -> str | None:
    """The format of a numeric input column (``None``: leave the cell as written)."""
    if col.type == "int":
        return "#,##0"
    if col.type != "float":
        return None
    if col.unit == "°":
        return "0.0000"
    if col.unit == FRACTION_UNIT:
        return "0.0##"
    return "#,##0.##"


def _spec_of(title: str) -> SheetSpec | None:
    return next((s for s in SHEETS if title in (s.name_en, s.name_zh)), None)


def style_input_sheet(ws: Worksheet, lang: str, header_left: str) -> None:
    """Number formats, widths, wrapping and print setup of the input sheet ``ws``."""
    spec = _spec_of(ws.title)
    if spec is not None and spec is not PARAMETERS_SHEET:
        by_header = {header(c, lang): c for c in spec.columns}
        last = min(ws.max_row, ROWS_MEASURED + 1)
        for (head,) in ws.iter_cols(min_row=1, max_row=1):
            col = by_header.get(str(head.value)) if head.value is not None else None
            if col is None:
                continue
            letter = get_column_letter(head.column)
            fmt = number_format(col)
            if fmt is not None:
                for (cell,) in ws.iter_rows(min_row=2, min_col=head.column, max_col=head.column):
                    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                        cell.number_format = fmt
            widest = max(
                (
                    display_width(f"{v:,.4f}" if isinstance(v, float) else str(v))
                    for (v,) in ws.iter_rows(
                        min_row=2, max_row=last, min_col=head.column, max_col=head.column, values_only=True
                    )
                    if v is not None
                ),
                default=0,
            )
            current = ws.column_dimensions[letter].width or MIN_WIDTH
            ws.column_dimensions[letter].width = max(MIN_WIDTH, min(WRAP_WIDTH, max(current, widest + ROOM)))
            if widest + ROOM > WRAP_WIDTH:
                for (cell,) in ws.iter_rows(min_row=2, min_col=head.column, max_col=head.column):
                    cell.alignment = WRAP
    elif spec is PARAMETERS_SHEET:
        _wrap_rows(ws, 4)
    elif ws.max_column >= 1:
        _wrap_rows(ws, ws.max_column)
    mark_input_sheet(ws, header_left)


def _wrap_rows(ws: Worksheet, text_col: int) -> None:
    """Rows as tall as the wrapped text in column ``text_col`` (every cell of the row top-aligned)."""
    width = ws.column_dimensions[get_column_letter(text_col)].width or WRAP_WIDTH
    for r in range(2, ws.max_row + 1):
        value = ws.cell(row=r, column=text_col).value
        if isinstance(value, str) and value:
            lines = wrapped_lines(value, width)
            if lines > 1:
                ws.row_dimensions[r].height = LINE_HEIGHT * lines
            for c in range(1, ws.max_column + 1):
                cell = ws.cell(row=r, column=c)
                cell.alignment = WRAP if c == text_col else TOP
