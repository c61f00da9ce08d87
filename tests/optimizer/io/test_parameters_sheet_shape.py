"""The Parameters sheet is checked for merged cells and hidden rows like the data sheets.

A value merged down the Value column is stored only in the range's first cell, so the parameters below
it read as blank (and take their defaults); a hidden parameter row still counts. Both are warned about
at their cell, in English and Chinese. In :func:`tests.optimizer.io.workbooks.small_network`'s
workbook, Parameters row 2 is the network name, row 3 the copper price, row 4 the transport cost.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from optimizer.io import network_from_workbook, read_network
from optimizer.io.reader import ReadResult
from tests.optimizer.io.workbooks import edit, write_small
from tests.optimizer.test_messages import assert_reads_in_both


def _read(path: Path, read_only: bool) -> ReadResult:
    return read_network(path) if read_only else network_from_workbook(openpyxl.load_workbook(path))


@pytest.mark.parametrize("read_only", [True, False])
def test_a_merged_value_range_on_the_parameters_sheet_is_reported_at_its_first_cell(
    tmp_path: Path, read_only: bool
) -> None:
    def merge(wb: openpyxl.Workbook) -> None:
        wb["Parameters"].merge_cells("B3:B4")  # the transport cost (B4) is lost under the copper price

    result = _read(edit(write_small(tmp_path), merge), read_only)
    merged = [i for i in result.issues if i.code == "sheet.merged"]
    assert len(merged) == 1, [str(i) for i in result.issues]
    [warning] = merged
    assert not warning.is_error
    assert str(warning.cell) == "Parameters!B3"
    assert warning.entity == "parameters"
    assert warning.field == "value"
    assert warning.message.startswith("cells B3:B4 are merged, so only B3 holds a value")
    assert_reads_in_both(warning)
    assert result.network is not None
    assert result.network.parameters.copper_price_cny_per_t == 74000


def test_a_merge_in_the_parameters_header_row_is_not_reported(tmp_path: Path) -> None:
    def merge(wb: openpyxl.Workbook) -> None:
        wb["Parameters"].merge_cells("C1:D1")

    result = read_network(edit(write_small(tmp_path), merge))
    assert [i for i in result.issues if i.code.startswith("sheet.merged")] == []


@pytest.mark.parametrize("read_only", [True, False])
def test_hidden_parameter_rows_are_reported_and_still_read(tmp_path: Path, read_only: bool) -> None:
    def hide(wb: openpyxl.Workbook) -> None:
        ws = wb["Parameters"]
        for r in (3, 5, 60):  # row 60 is hidden but empty: not counted
            ws.row_dimensions[r].hidden = True

    result = _read(edit(write_small(tmp_path), hide), read_only)
    [warning] = [i for i in result.issues if i.code == "sheet.hidden_rows"]
    assert str(warning.cell) == "Parameters!A3"
    assert warning.entity == "parameters"
    assert 'sheet "Parameters" has 2 hidden rows with data (rows 3, 5); they were read' in warning.message
    assert_reads_in_both(warning)
    assert result.network is not None
    assert result.network.parameters.copper_price_cny_per_t == 74000  # a hidden row is read


def test_one_hidden_parameter_row_is_named_in_the_singular(tmp_path: Path) -> None:
    def hide(wb: openpyxl.Workbook) -> None:
        wb["Parameters"].row_dimensions[4].hidden = True

    issues = read_network(edit(write_small(tmp_path), hide)).issues
    [warning] = [i for i in issues if i.code == "sheet.hidden_row"]
    assert warning.message.startswith('sheet "Parameters" has a hidden row with data (row 4); it was read')
    assert str(warning.cell) == "Parameters!A4"


def test_a_clean_parameters_sheet_has_no_shape_warning(tmp_path: Path) -> None:
    assert read_network(write_small(tmp_path)).issues == []
