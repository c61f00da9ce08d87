"""The rows of one worksheet, read so that one undecodable cell costs that cell, not the whole sheet.

openpyxl decodes a cell's stored value while it streams a sheet, and one value it cannot decode (a
number cell holding ``NaN``, ``inf`` or ``abc``, a date cell that is no date, a reference into a
shared-strings table the file does not have) raises out of the sheet's row iterator: every row of the
sheet, good or bad, was lost and the reader could only say "Supply!A1: invalid literal for int()".
:class:`SheetRows` streams the sheet with a parser that turns such a cell into an
:class:`~optimizer.io.values.UnreadableValue` at its own row and column, which the reader reports
there, saying what was stored and what was expected, while it reads every other cell.

While streaming it also collects what the data rows alone do not show: the merged ranges (a value
merged down a column is stored only in the range's first cell, so the other rows read as blank) and
the hidden rows (read like any other row, which a person who hid them may not expect).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from typing import Any, NamedTuple

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import WorkSheetParser

from optimizer.io.values import UnreadableValue
from optimizer.messages import Msg, msg

_VALUE_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}v"
# openpyxl warns on stderr about a number in date format beyond any date; the reader reports it instead
warnings.filterwarnings(
    "ignore", message=r"Cell \S+ is marked as a date but the serial value", category=UserWarning
)
#: Exceptions with which openpyxl's decoding of one cell's value fails.
_CELL_FAILURES = (ValueError, TypeError, IndexError, KeyError, OverflowError, AttributeError)


class RawCell(NamedTuple):
    """One cell as the reader needs it: its value and openpyxl's data type (``n s b d e f``)."""

    value: Any
    data_type: str


_EMPTY = RawCell(None, "n")


class _TolerantParser(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's streaming sheet parser, except that a cell it cannot decode becomes an
    :class:`~optimizer.io.values.UnreadableValue` and a row number that is no number is taken as the
    next row."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        style = element.get("s")
        if style is not None and not style.isdigit():
            del element.attrib["s"]  # a style that is no number costs the style, not the value
        column_before = self.col_counter
        try:
            cell: dict[str, Any] = super().parse_cell(element)
        except _CELL_FAILURES:
            return self._unreadable(element, column_before)
        if cell["data_type"] == "e" and element.get("t", "n") == "n":
            # openpyxl's stand-in "#VALUE!" for a number in date format beyond any date: not an error
            # the spreadsheet shows, so say what the cell holds
            text = element.findtext(_VALUE_TAG) or ""
            cell["value"] = UnreadableValue(text, msg("stored.date_number"))
            cell["data_type"] = "n"
        return cell

    def _unreadable(self, element: Any, column_before: int) -> dict[str, Any]:
        coordinate = element.get("r")
        row, column = self.row_counter, column_before + 1
        if coordinate:
            with contextlib.suppress(*_CELL_FAILURES):
                row, column = coordinate_to_tuple(coordinate)
        self.col_counter = column
        text = element.findtext(_VALUE_TAG) or ""
        value = UnreadableValue(text, *self._stored_as(element.get("t", "n"), text))
        return {"row": row, "column": column, "value": value, "data_type": "n", "style_id": 0}

    def _stored_as(self, data_type: str, text: str) -> tuple[Msg, str]:
        if data_type == "s" and text.strip().isdigit():
            stored = msg("stored.shared_text", index=int(text), count=len(self.shared_strings))
            return stored, "cell.shared_text_missing"
        code = {"n": "stored.number", "b": "stored.yes_no", "d": "stored.date"}.get(data_type)
        return (msg(code) if code else msg("stored.other", kind=data_type)), "cell.unreadable"

    def parse_row(self, row: Any) -> tuple[int, list[dict[str, Any]]]:
        try:
            return super().parse_row(row)  # type: ignore[no-any-return]
        except ValueError:  # <row r="abc">: count it as the row after the last one
            del row.attrib["r"]
            return super().parse_row(row)  # type: ignore[no-any-return]


class SheetRows:
    """The rows of worksheet ``ws`` (read-only or not), ``max_columns`` cells wide at most.

    Iterate :meth:`rows`; once it has run to the end, :attr:`merged_ranges` and :attr:`hidden_rows`
    describe the sheet (they are empty until then). :attr:`failure` is the error that ended the sheet
    early (damaged XML after some rows were read), or None.
    """

    def __init__(self, ws: Any, max_columns: int) -> None:
        self.ws = ws
        self.max_columns = max_columns
        self.merged_ranges: list[str] = []
        self.hidden_rows: set[int] = set()
        self.complete = False
        self.failure: Exception | None = None

    def rows(self, min_row: int = 1, max_row: int | None = None) -> Iterator[tuple[int, list[Any]]]:
        """(row number, cells) of every row from ``min_row`` that the sheet stores (rows it does not
        store are blank and left out); a cell has ``value`` and ``data_type``.

        Raises
        ------
        Exception
            What openpyxl raised when the sheet could not be read at all (not a single row).
        """
        if not hasattr(self.ws, "_get_source"):
            yield from self._worksheet_rows(min_row, max_row)
            return
        parent = self.ws.parent
        read_any = False
        with self.ws._get_source() as source:
            parser = _TolerantParser(
                source,
                self.ws._shared_strings,
                data_only=parent.data_only,
                epoch=parent.epoch,
                date_formats=parent._date_formats,
                timedelta_formats=parent._timedelta_formats,
            )
            try:
                for number, cells in parser.parse():
                    read_any = True
                    if number < min_row:
                        continue
                    if max_row is not None and number > max_row:
                        return
                    yield number, self._row(cells)
            except Exception as exc:  # damaged XML: keep the rows read so far, say where it stopped
                if not read_any:
                    raise
                self.failure = exc
                return
            self._describe(parser)

    def _row(self, cells: list[dict[str, Any]]) -> list[Any]:
        width = min(max((c["column"] for c in cells), default=0), self.max_columns)
        row = [_EMPTY] * width
        for cell in cells:
            column = cell["column"]
            if 1 <= column <= width:
                row[column - 1] = RawCell(cell["value"], cell["data_type"])
        return row

    def _describe(self, parser: Any) -> None:
        merged = getattr(parser.merged_cells, "mergeCell", None) or ()
        self.merged_ranges = [str(m.ref) for m in merged if getattr(m, "ref", None)]
        for key, attrs in parser.row_dimensions.items():
            if str(attrs.get("hidden", "")).lower() in ("1", "true") and str(key).isdigit():
                self.hidden_rows.add(int(key))
        self.complete = True

    def _worksheet_rows(self, min_row: int, max_row: int | None) -> Iterator[tuple[int, list[Any]]]:
        """An ordinary (not read-only) worksheet: its cells are decoded already."""
        rows = self.ws.iter_rows(min_row=min_row, max_row=max_row, max_col=self.max_columns)
        yield from enumerate((list(r) for r in rows), start=min_row)
        if max_row is None:
            self.merged_ranges = [str(r) for r in self.ws.merged_cells.ranges]
            self.hidden_rows = {r for r, dim in self.ws.row_dimensions.items() if dim.hidden}
            self.complete = True
