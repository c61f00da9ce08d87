"""How the plan report looks: title block, tables, number formats, widths, highlights and print setup.

Every report sheet is written through :func:`write_table` (or :func:`title_block` for free-form sheets),
so all of them share one look: a title and subtitle above a bold, filled, frozen header row with an
autofilter; numbers as numbers with thousands separators; the unit in the header; columns fitted to
their content; landscape pages fitted to the width with the header repeated on every page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.io.cells import put as put_cell
from optimizer.report.labels import column, table_format, text, with_unit

#: Row of the header in every table sheet (a title and a subtitle stand above it).
HEADER_ROW = 3
FIRST_DATA_ROW = HEADER_ROW + 1

ACCENT = "1F4E79"  # dark blue of titles and headers
REPORT_TAB = "1F4E79"
INPUT_TAB = "A6A6A6"

#: The workbook's body font; every styled font names it too, or LibreOffice falls back to a serif face.
FONT = "Calibri"
TITLE_FONT = Font(name=FONT, bold=True, size=16, color=ACCENT)
SUBTITLE_FONT = Font(name=FONT, italic=True, size=10, color="595959")
SECTION_FONT = Font(name=FONT, bold=True, size=12, color=ACCENT)
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=ACCENT)
LABEL_FONT = Font(name=FONT, bold=True)
TOTAL_FONT = Font(name=FONT, bold=True)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_TOP = Alignment(horizontal="left", wrap_text=True, vertical="top", indent=1)
TEXT_ALIGN = Alignment(horizontal="left", indent=1)
TEXT_TOP = Alignment(horizontal="left", vertical="top", indent=1)
NUMBER_TOP = Alignment(vertical="top")
SECTION_BORDER = Border(bottom=Side(style="thin", color=ACCENT))
TOTAL_BORDER = Border(top=Side(style="thin", color="000000"))

#: Highlight of a site above 90 % of its capacity (amber) and of a smelter below its blend minimum (red).
WARN_FILL = PatternFill("solid", fgColor="FFD966")
WARN_FONT = Font(name=FONT, color="7F6000", bold=True)
BAD_FILL = PatternFill("solid", fgColor="F4B6B6")
BAD_FONT = Font(name=FONT, color="9C0006", bold=True)

#: Site utilization above which the Sites sheet highlights the cell.
SITE_BUSY_FRACTION = 0.9

#: Blank rows between a table and the chart under it.
CHART_GAP_ROWS = 2
#: A table longer than this many rows puts the chart under it on a page of its own.
ROWS_BEFORE_CHART_PAGE_BREAK = 30

MIN_WIDTH = 8
MAX_WIDTH = 60
#: Characters of room beside a cell's content (keeps a right-aligned number off the next column's text).
PADDING = 3
#: Longest page-header text kept (the three parts of an Excel header share 255 characters).
HEADER_CHARS = 120
#: Points per line of text in a row whose height is set.
LINE_HEIGHT = 15


@dataclass(frozen=True, slots=True)
class Col:
    """One report column: its label key, its unit key (which also picks the number format), for long
    free text a fixed width with wrapping, and ``label`` for a header that is data (a grade's name)."""

    key: str
    unit: str = ""
    wrap_width: float | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class TableRange:
    """Where a table landed: header row, first and last data row (``last < first`` when empty), and the
    columns by key."""

    header_row: int
    first_row: int
    last_row: int
    columns: dict[str, int]

    def letter(self, key: str) -> str:
        return str(get_column_letter(self.columns[key]))

    def ref(self, key: str, *, header: bool = False) -> str:
        """``$C$4:$C$20`` for the data (or header plus data) of column ``key``."""
        letter = self.letter(key)
        top = self.header_row if header else self.first_row
        return f"${letter}${top}:${letter}${max(self.last_row, top)}"

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1


def display_width(value: str) -> int:
    """Columns ``value`` takes in a spreadsheet: East Asian wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def shown_width(value: Any, unit_key: str) -> int:
    """Approximate width of ``value`` as its column's number format shows it."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float):
        return display_width(str(value))
    if unit_key == "%":
        return len(f"{100 * value:,.1f}%")
    if unit_key == "time":
        return 5
    digits = table_format(unit_key).partition(".")[2].count("0")
    return len(f"{value:,.{digits}f}")


def put(ws: Worksheet, row: int, col: int, value: Any, number_format: str | None = None) -> Any:
    """Write one cell with :func:`optimizer.io.cells.put` (text stays text: a name starting with "="
    never becomes a formula; text a workbook cannot hold is refused with the text named)."""
    cell = put_cell(ws, row, col, value)
    if number_format is not None:
        cell.number_format = number_format
    return cell


def title_block(ws: Worksheet, title: str, subtitle: str) -> None:
    """Rows 1-2: the sheet's title and a subtitle (network, scenario, date)."""
    put(ws, 1, 1, title).font = TITLE_FONT
    put(ws, 2, 1, subtitle).font = SUBTITLE_FONT
    ws.row_dimensions[1].height = 24


def write_table(
    ws: Worksheet,
    cols: Sequence[Col],
    rows: Iterable[Sequence[Any]],
    lang: str,
    *,
    header_row: int = HEADER_ROW,
    first_col: int = 1,
    freeze: bool = True,
    autofilter: bool = True,
    widths: dict[int, float] | None = None,
) -> TableRange:
    """Write a table: filled header (with units) at ``header_row``, then ``rows`` with each column's
    number format; freezes the header, adds an autofilter and fits the column widths.

    ``widths`` collects the width each column needs when several tables share columns (the caller then
    applies them with :func:`apply_widths`); otherwise widths are applied here.
    """
    own_widths = widths is None
    needed: dict[int, float] = {} if widths is None else widths
    formats = [table_format(c.unit) for c in cols]
    for j, c in enumerate(cols):
        head = column(c.key, lang, c.unit) if c.label is None else with_unit(c.label, c.unit, lang)
        cell = put(ws, header_row, first_col + j, head)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN
        # a header may wrap onto two lines, so it needs about half its length (and its longest word);
        # bold letters are about 15 % wider than the body font the width unit is based on
        label = str(cell.value)
        want = 1.15 * max(display_width(label) / 2 + 2, longest_unbreakable(label)) + 2
        _need(needed, first_col + j, c.wrap_width or want)
    r = header_row
    for r, values in enumerate(rows, start=header_row + 1):
        lines = 1
        for j, value in enumerate(values):
            c = cols[j]
            cell = put(ws, r, first_col + j, value, formats[j] if value is not None else None)
            if c.wrap_width is not None:
                cell.alignment = WRAP_TOP
                if value is not None:
                    lines = max(lines, wrapped_lines(str(value), c.wrap_width))
            else:
                if isinstance(value, str):
                    # text one character in from the left, so it never touches a number to its left
                    cell.alignment = TEXT_ALIGN
                _need(needed, first_col + j, shown_width(value, c.unit) + PADDING)
        if lines > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * lines
            # a tall row reads from its top: every cell starts level with the wrapped text
            for j, value in enumerate(values):
                if cols[j].wrap_width is None:
                    top = TEXT_TOP if isinstance(value, str) else NUMBER_TOP
                    ws.cell(row=r, column=first_col + j).alignment = top
    table = TableRange(
        header_row=header_row,
        first_row=header_row + 1,
        last_row=r,
        columns={c.key: first_col + j for j, c in enumerate(cols)},
    )
    ws.row_dimensions[header_row].height = 32
    if autofilter:
        last_col = get_column_letter(first_col + len(cols) - 1)
        ws.auto_filter.ref = f"{get_column_letter(first_col)}{header_row}:{last_col}{max(r, header_row)}"
    if freeze:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if own_widths:
        apply_widths(ws, needed)
    return table


def longest_unbreakable(label: str) -> int:
    """Width of the longest piece of ``label`` a line cannot break: a word of Latin letters or digits
    (Chinese text may break between any two characters)."""
    pieces = re.split(r"[\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", label)
    return max((display_width(p) for p in pieces), default=0) or 2


def wrapped_lines(value: str, width: float) -> int:
    """Lines ``value`` takes when wrapped in a column ``width`` characters wide (roughly: by words;
    a column holds about 85 % of its nominal width in text, less the indent)."""
    width = 0.85 * width - 2
    total = 0
    for paragraph in value.splitlines() or [""]:
        lines, used = 1, 0
        for word in paragraph.split():
            w = display_width(word) + (1 if used else 0)
            if used and used + w > width - 1:
                lines, used = lines + 1, display_width(word)
            else:
                used += w
        total += lines
    return max(total, 1)


def _need(widths: dict[int, float], col: int, width: float) -> None:
    widths[col] = max(widths.get(col, 0.0), width)


def apply_widths(ws: Worksheet, widths: dict[int, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(width, MIN_WIDTH), MAX_WIDTH)


def chart_anchor_below(ws: Worksheet, last_row: int) -> str:
    """Where a chart goes under a table ending at ``last_row``; after a long table the chart starts a
    new printed page rather than being cut by a page break."""
    if last_row > ROWS_BEFORE_CHART_PAGE_BREAK:
        ws.row_breaks.append(Break(id=last_row))
    return f"A{last_row + 1 + CHART_GAP_ROWS}"


def section(ws: Worksheet, row: int, title: str, span: int = 2) -> None:
    """A section heading with a rule under it, ``span`` columns wide."""
    put(ws, row, 1, title).font = SECTION_FONT
    for c in range(1, span + 1):
        ws.cell(row=row, column=c).border = SECTION_BORDER


def highlight_above(ws: Worksheet, cell_range: str, threshold: float) -> None:
    """Amber cells in ``cell_range`` whose value is above ``threshold`` (sites near their capacity)."""
    ws.conditional_formatting.add(
        cell_range,
        CellIsRule(operator="greaterThan", formula=[repr(threshold)], fill=WARN_FILL, font=WARN_FONT),
    )


def highlight_formula(ws: Worksheet, cell_range: str, formula: str) -> None:
    """Red cells in ``cell_range`` where ``formula`` (relative to its top-left cell) is true."""
    ws.conditional_formatting.add(cell_range, FormulaRule(formula=[formula], fill=BAD_FILL, font=BAD_FONT))


def print_setup(ws: Worksheet, header_row: int | None, header_left: str) -> None:
    """Landscape A4, fitted to the page width, header row repeated, sheet name and page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
    # "&" starts a header code; Excel refuses headers longer than 255 characters in all
    left = header_left if len(header_left) <= HEADER_CHARS else header_left[: HEADER_CHARS - 1] + "…"
    ws.oddHeader.left.text = left.replace("&", "&&")
    ws.oddHeader.left.size = 8
    ws.oddHeader.right.text = "&A"
    ws.oddHeader.right.size = 8
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.center.size = 8
    ws.sheet_properties.tabColor = REPORT_TAB


def mark_input_sheet(ws: Worksheet, header_left: str) -> None:
    """Grey tab and the same print setup for the input-network sheets that follow the report."""
    print_setup(ws, 1 if ws.max_row > 1 else None, header_left)
    ws.sheet_properties.tabColor = INPUT_TAB


def yes_no(flag: bool, lang: str) -> str:
    return text("yes" if flag else "no", lang)
