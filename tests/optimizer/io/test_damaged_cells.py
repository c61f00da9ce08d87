"""One cell a workbook's own encoding cannot give costs that cell, not the sheet;
merged cells and hidden rows in the data are reported (item 15).

The broken workbooks are written by CopperLoop and then damaged by editing the xlsx zip's XML, the way
another program (or a truncated copy) leaves them: ``<v>NaN</v>`` in a number cell, a date cell that is
no date, a shared-string reference in a file without a shared-strings table, a missing
``[Content_Types].xml``. In :func:`tests.optimizer.io.workbooks.small_network`, Supply rows 2-5 are
CP-1/No1 (100 t), CP-1/No2 (50 t), CP-2/No1 (20 t) and CP-2/No2 (80 t); column C is the supply.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from optimizer.io import network_from_workbook, read_network
from optimizer.io.reader import ReadResult
from optimizer.io.scenarios import read_scenarios, write_project
from optimizer.issues import Issue
from tests.optimizer.io.workbooks import edit, rewrite_part, sheet_part, small_network, sub, write_small
from tests.optimizer.test_messages import assert_reads_in_both


def _supply_t(result: ReadResult) -> dict[str, float]:
    assert result.network is not None
    points = result.network.collection_points
    return {f"{p.id}/{s.grade_id}": s.supply_t_per_year for p in points for s in p.supplies}


def _damage_supply(tmp_path: Path, pattern: str, replacement: str) -> Path:
    path = write_small(tmp_path)
    return rewrite_part(path, sheet_part(path, "Supply"), sub(pattern, replacement))


def _only_error(result: ReadResult) -> Issue:
    errors = result.errors
    assert len(errors) == 1, [str(i) for i in result.issues]
    return errors[0]


@pytest.mark.parametrize(
    ("coordinate", "stored", "shown"),
    [
        ("C3", '<c r="C3" t="n"><v>NaN</v></c>', '"NaN" is saved as a number that cannot be read'),
        ("C3", '<c r="C3" t="n"><v>inf</v></c>', '"inf" is saved as a number that cannot be read'),
        ("C3", '<c r="C3" t="n"><v>abc</v></c>', '"abc" is saved as a number that cannot be read'),
        ("C3", '<c r="C3" t="d"><v>31/02/2024</v></c>', '"31/02/2024" is saved as a date that cannot'),
        ("C3", '<c r="C3" t="b"><v>maybe</v></c>', '"maybe" is saved as a yes/no value that cannot be read'),
        ("C3", '<c r="C3" s="bold" t="n"><v>x1</v></c>', '"x1" is saved as a number that cannot be read'),
    ],
)
def test_an_undecodable_number_cell_is_reported_at_its_cell_and_the_rest_is_read(
    tmp_path: Path, coordinate: str, stored: str, shown: str
) -> None:
    path = _damage_supply(tmp_path, r'<c r="C3" t="n"><v>50</v></c>', stored)
    result = read_network(path)
    error = _only_error(result)
    assert str(error.cell) == f"Supply!{coordinate}"
    assert error.code == "cell.unreadable"
    assert error.message.startswith(shown)
    assert error.message.endswith("expected supply in t/yr (a number >= 0)")
    assert "invalid literal" not in error.message and "Error" not in error.message
    assert_reads_in_both(error)
    # the row with the bad cell is not loaded; every other row of the sheet is
    assert _supply_t(result) == {"CP-1/No1": 100.0, "CP-2/No1": 20.0, "CP-2/No2": 80.0}


def test_a_number_in_date_format_beyond_any_date_is_not_called_an_excel_error(tmp_path: Path) -> None:
    def date_format(wb: openpyxl.Workbook) -> None:
        wb["Supply"]["C3"].number_format = "yyyy-mm-dd"

    path = edit(write_small(tmp_path), date_format)
    beyond = sub(r'(<c r="C3" s="\d+" t="n"><v>)50(</v>)', r"\g<1>99999999\2")
    rewrite_part(path, sheet_part(path, "Supply"), beyond)
    error = _only_error(read_network(path))
    assert str(error.cell) == "Supply!C3"
    assert error.message.startswith('"99999999" is saved as a number in date format (beyond any date)')
    assert "#VALUE!" not in error.message
    assert_reads_in_both(error)


def test_a_shared_string_the_file_does_not_have_is_reported_at_its_cell(tmp_path: Path) -> None:
    path = write_small(tmp_path)
    assert "xl/sharedStrings.xml" not in zipfile.ZipFile(path).namelist()
    shared = sub(r'<c r="B3" t="inlineStr"><is><t>No2</t></is></c>', '<c r="B3" t="s"><v>7</v></c>')
    rewrite_part(path, sheet_part(path, "Supply"), shared)
    result = read_network(path)
    error = _only_error(result)
    assert (str(error.cell), error.code) == ("Supply!B3", "cell.shared_text_missing")
    assert "text no. 7 of the workbook's shared-text table of 0 entries" in error.message
    assert_reads_in_both(error)
    assert _supply_t(result) == {"CP-1/No1": 100.0, "CP-2/No1": 20.0, "CP-2/No2": 80.0}


def test_an_undecodable_parameter_is_reported_at_its_cell(tmp_path: Path) -> None:
    path = write_small(tmp_path)
    ws = openpyxl.load_workbook(path)["Parameters"]
    row = next(c.row for c in ws["A"] if c.value == "Copper price")
    value = ws.cell(row=row, column=2).value
    rewrite_part(
        path,
        sheet_part(path, "Parameters"),
        sub(rf'<c r="B{row}" t="n"><v>{value:g}</v></c>', f'<c r="B{row}" t="n"><v>NaN</v></c>'),
    )
    result = read_network(path)
    error = _only_error(result)
    assert (str(error.cell), error.code) == (f"Parameters!B{row}", "cell.unreadable")
    assert result.network is not None and len(result.network.collection_points) == 2


def test_a_row_number_that_is_no_number_costs_nothing(tmp_path: Path) -> None:
    path = _damage_supply(tmp_path, r'<row r="3">', '<row r="three">')
    result = read_network(path)
    assert result.errors == []
    assert _supply_t(result) == {"CP-1/No1": 100.0, "CP-1/No2": 50.0, "CP-2/No1": 20.0, "CP-2/No2": 80.0}


@pytest.mark.parametrize(
    ("part", "said"),
    [
        ("[Content_Types].xml", "it has no [Content_Types].xml"),
        ("xl/_rels/workbook.xml.rels", "a part it refers to is missing"),
    ],
)
def test_a_missing_part_is_named_without_a_python_error(tmp_path: Path, part: str, said: str) -> None:
    path = write_small(tmp_path)
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist() if info.filename != part]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            dst.writestr(info, data)
    result = read_network(path)
    assert result.network is None
    [error] = result.issues
    assert said in error.message
    assert "KeyError" not in error.message
    assert "save it again" in error.message
    assert_reads_in_both(error)


def test_damaged_xml_after_some_rows_keeps_them_and_says_where_it_stopped(tmp_path: Path) -> None:
    path = _damage_supply(tmp_path, r'<row r="4">', '<row r="4"><oops')
    result = read_network(path)
    [error] = result.errors
    assert (str(error.cell), error.code) == ("Supply!A3", "sheet.rest_unreadable")
    assert "after row 3" in error.message
    assert _supply_t(result) == {"CP-1/No1": 100.0, "CP-1/No2": 50.0}


# -- merged cells and hidden rows (item 15) ---------------------------------------------------------


def _merge_province(wb: openpyxl.Workbook) -> None:
    ws = wb["CollectionPoints"]
    ws.merge_cells("E2:E3")  # CP-2's province is lost: only E2 keeps a value
    wb["Supply"].merge_cells("A1:B1")  # in the header row: not a data row, no warning


@pytest.mark.parametrize("read_only", [True, False])
def test_a_merged_range_down_a_data_column_is_reported(tmp_path: Path, read_only: bool) -> None:
    path = edit(write_small(tmp_path), _merge_province)
    result = read_network(path) if read_only else network_from_workbook(openpyxl.load_workbook(path))
    merged = [i for i in result.issues if i.code == "sheet.merged"]
    assert len(merged) == 1, [str(i) for i in result.issues]
    [warning] = merged
    assert not warning.is_error
    assert str(warning.cell) == "CollectionPoints!E2"
    assert warning.field == "province"
    assert warning.message.startswith("cells E2:E3 are merged, so only E2 holds a value")
    assert_reads_in_both(warning)
    assert result.network is not None
    assert [p.province for p in result.network.collection_points] == ["Jiangsu", ""]


def test_hidden_rows_that_were_read_are_counted(tmp_path: Path) -> None:
    def hide(wb: openpyxl.Workbook) -> None:
        ws = wb["Supply"]
        for r in (3, 5, 40):  # row 40 is hidden but empty: not counted
            ws.row_dimensions[r].hidden = True

    result = read_network(edit(write_small(tmp_path), hide))
    [warning] = [i for i in result.issues if i.code == "sheet.hidden_rows"]
    assert str(warning.cell) == "Supply!A3"
    assert 'sheet "Supply" has 2 hidden rows with data (rows 3, 5); they were read' in warning.message
    assert_reads_in_both(warning)
    assert len(_supply_t(result)) == 4  # hidden rows are read like any other


def test_one_hidden_row_is_named_in_the_singular(tmp_path: Path) -> None:
    def hide(wb: openpyxl.Workbook) -> None:
        wb["Supply"].row_dimensions[4].hidden = True

    issues = read_network(edit(write_small(tmp_path), hide)).issues
    [warning] = [i for i in issues if i.code == "sheet.hidden_row"]
    assert warning.message.startswith('sheet "Supply" has a hidden row with data (row 4); it was read')
    assert_reads_in_both(warning)


def test_a_clean_workbook_has_no_merge_or_hidden_row_warning(tmp_path: Path) -> None:
    result = read_network(write_small(tmp_path))
    assert result.issues == []


def test_a_damaged_scenario_cell_costs_that_scenario(tmp_path: Path) -> None:
    path = tmp_path / "project.xlsx"
    network = small_network()
    write_project(path, network, [("A", network), ("B", network)])
    damage = sub(r'<c r="D3" t="inlineStr"><is><t>[^<]*</t></is></c>', '<c r="D3" t="n"><v>NaN</v></c>')
    rewrite_part(path, sheet_part(path, "Scenarios"), damage)
    scenarios, base_name, issues = read_scenarios(path)
    assert [name for name, _ in scenarios] == ["B"]
    assert base_name == "Base"
    [issue] = issues
    assert (str(issue.cell), issue.entity_id) == ("Scenarios!D3", "A")
