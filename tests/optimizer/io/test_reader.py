"""Reading client workbooks: either language, forgiving where the meaning is unambiguous, and a located
issue for every cell it cannot use."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from optimizer.io import network_from_workbook, network_to_workbook, read_network
from optimizer.issues import CellRef, Issue, Severity
from optimizer.model import SiteStatus

from .workbooks import edit, rewrite_part, set_cell, sheet_part, small_network, sub, write_small


def _messages(issues: list[Issue]) -> list[str]:
    return [str(i) for i in issues]


def _only(issues: list[Issue], severity: Severity = Severity.ERROR) -> Issue:
    found = [i for i in issues if i.severity is severity]
    assert len(found) == 1, _messages(issues)
    return found[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_written_network_reads_back_without_issues(tmp_path: Path, lang: str) -> None:
    result = read_network(write_small(tmp_path, lang))
    assert result.issues == []
    assert result.network == small_network()
    assert result.ok


def test_not_a_number_is_located_with_the_value_and_what_was_expected(tmp_path: Path) -> None:
    path = set_cell(write_small(tmp_path), "Supply", "C5", "abc")
    result = read_network(path)
    issue = _only(result.issues)
    assert str(issue) == 'Supply!C5: "abc" is not a number; expected supply in t/yr (a number >= 0)'
    assert (issue.entity, issue.entity_id, issue.field, issue.value) == (
        "supply",
        "CP-2/No2",
        "supply_t_per_year",
        "abc",
    )
    assert issue.cell == CellRef("Supply", 5, "C")
    # the row is dropped, the rest of the network is read
    assert result.network is not None
    cp2 = result.network.collection_points[1]
    assert [s.grade_id for s in cp2.supplies] == ["No1"]


def test_chinese_workbook_errors_name_the_chinese_sheet(tmp_path: Path) -> None:
    path = set_cell(write_small(tmp_path, "zh"), "供应量", "C5", "很多")
    issue = _only(read_network(path).issues)
    assert issue.cell == CellRef("供应量", 5, "C")
    assert str(issue).startswith('供应量!C5: "很多" is not a number')


def test_numbers_as_text_percentages_and_whole_floats_are_accepted(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Supply"]["C2"] = " 1,200 "
        wb["Supply"]["D2"] = "７００００"  # full-width digits
        wb["Grades"]["D2"] = "99%"
        wb["CollectionPoints"]["J3"] = 2.0  # visits per week
        wb["Yields"]["D2"] = "30 %"

    result = read_network(edit(write_small(tmp_path), change))
    assert result.issues == []
    net = result.network
    assert net is not None
    assert net.collection_points[0].supplies[0].supply_t_per_year == 1200.0
    assert net.collection_points[0].supplies[0].purchase_price_cny_per_t == 70000.0
    assert net.grades[0].copper_content == pytest.approx(0.99)
    assert net.collection_points[1].visits_per_week == 2
    assert net.sites[0].yields[0].fraction == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "message"),
    [
        ("Supply", "C3", "85%", '"85%" is a percentage; expected supply in t/yr'),
        ("Supply", "C3", "1,5", '"1,5" is not a number'),
        ("CollectionPoints", "J2", 1.5, "1.5 is not a whole number; expected visits per week"),
        ("CollectionPoints", "C2", None, "latitude is blank; expected latitude in °"),
        (
            "SortingCenters",
            "F2",
            "maybe",
            '"maybe" is not an allowed value; expected status (one of existing, candidate, closed)',
        ),
        ("Grades", "D3", "#DIV/0!", "the cell shows the Excel error #DIV/0!"),
        ("Smelters", "F2", True, "True is a yes/no value, not a number"),
    ],
)
def test_bad_cells_are_errors_that_drop_the_row(
    tmp_path: Path, sheet: str, cell: str, value: object, message: str
) -> None:
    result = read_network(set_cell(write_small(tmp_path), sheet, cell, value))
    issue = _only(result.issues)
    assert message in issue.message
    assert str(issue.cell) == f"{sheet}!{cell}"


def test_chinese_enum_labels_and_any_case_are_accepted(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["DismantlingSites"]["F2"] = "关闭"
        wb["SortingCenters"]["F2"] = " Existing "

    net = read_network(edit(write_small(tmp_path), change)).network
    assert net is not None
    assert [s.status for s in net.sites] == [SiteStatus.CLOSED, SiteStatus.EXISTING]


def test_headers_match_without_units_in_any_case_and_either_language(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Supply"]
        ws.title = "供应量"
        ws["A1"], ws["B1"], ws["C1"], ws["D1"] = (
            "COLLECTION POINT ID",
            "等级编号",
            "supply",
            "收购价（元/吨）",
        )

    result = read_network(edit(write_small(tmp_path), change))
    assert result.issues == []
    assert result.network == small_network()


def test_unknown_columns_warn_and_are_ignored(tmp_path: Path) -> None:
    path = set_cell(write_small(tmp_path), "Grades", "G1", "Notes")
    set_cell(path, "Grades", "G2", "anything")
    result = read_network(path)
    issue = _only(result.issues, Severity.WARNING)
    assert issue.cell == CellRef("Grades", 1, "G")
    assert 'unknown column "Notes" is ignored' in issue.message
    assert result.network == small_network()


def test_blank_rows_and_a_title_row_above_the_header_are_tolerated(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Supply"]
        ws.insert_rows(1)
        ws["A1"] = "Supply 2026 (from the sales team)"
        ws.insert_rows(4, amount=3)  # blank rows between data rows

    result = read_network(edit(write_small(tmp_path), change))
    assert result.issues == []
    assert result.network == small_network()
    assert result.source.row_of("supply", "CP-2/No2") == ("Supply", 9)


def test_missing_required_sheet_is_an_error_but_the_rest_is_read(tmp_path: Path) -> None:
    path = edit(write_small(tmp_path), lambda wb: wb.remove(wb["Smelters"]))
    result = read_network(path)
    issue = _only(result.issues)
    assert 'no "Smelters" sheet' in issue.message and issue.entity == "smelter"
    assert result.network is not None and result.network.smelters == ()
    assert result.network.grades == small_network().grades


def test_optional_sheets_may_be_absent(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        for name in (
            "Instructions",
            "DismantlingSites",
            "SortingCenters",
            "CapacityModules",
            "Yields",
            "VehicleTypes",
            "Distances",
        ):
            wb.remove(wb[name])

    result = read_network(edit(write_small(tmp_path), change))
    assert result.issues == []
    assert result.network is not None and result.network.sites == ()


def test_missing_required_column_skips_the_sheet_with_an_error(tmp_path: Path) -> None:
    path = set_cell(write_small(tmp_path), "Grades", "D1", None)
    result = read_network(path)
    issue = _only(result.issues)
    assert 'required column "Copper content (0-1)"' in issue.message
    assert result.network is not None and result.network.grades == ()


def test_a_misspelled_sheet_name_gets_a_hint(tmp_path: Path) -> None:
    path = edit(write_small(tmp_path), lambda wb: setattr(wb["Distances"], "title", "Distance"))
    result = read_network(path)
    issue = _only(result.issues, Severity.WARNING)
    assert 'did you mean "Distances"' in issue.message
    assert result.network is not None and result.network.distances == ()


def test_child_rows_of_an_unknown_parent_are_errors(tmp_path: Path) -> None:
    path = set_cell(write_small(tmp_path), "CapacityModules", "A2", "DS-9")
    issue = _only(read_network(path).issues)
    assert issue.message.startswith('site "DS-9" is not on sheet DismantlingSites or SortingCenters')
    assert issue.cell == CellRef("CapacityModules", 2, "A")
    assert (issue.entity, issue.entity_id) == ("capacity_module", "DS-9/M1")


def test_child_rows_of_a_dropped_parent_are_skipped_without_a_second_message(tmp_path: Path) -> None:
    path = set_cell(write_small(tmp_path), "CollectionPoints", "C3", "north")
    result = read_network(path)
    issue = _only(result.issues)
    assert issue.entity_id == "CP-2"
    assert result.network is not None
    assert [cp.id for cp in result.network.collection_points] == ["CP-1"]


def test_formula_cached_values_are_read_and_missing_ones_are_errors(tmp_path: Path) -> None:
    path = set_cell(write_small(tmp_path), "Supply", "C2", "=40*3")
    set_cell(path, "Supply", "C3", "=SUM(1,2)")
    rewrite_part(
        path,
        sheet_part(path, "Supply"),
        sub(r"(<c r=\"C2\"[^>]*>)<f>40\*3</f><v\s*/>", r"\1<f>40*3</f><v>120</v>"),
    )
    result = read_network(path)
    issue = _only(result.issues)
    assert issue.cell == CellRef("Supply", 3, "C")
    assert "formula with no saved value" in issue.message
    assert result.network is not None
    assert result.network.collection_points[0].supplies[0].supply_t_per_year == 120.0


def test_an_unevaluated_formula_in_an_open_workbook_is_an_error() -> None:
    wb = network_to_workbook(small_network())
    wb["Grades"]["D2"] = "=0.5+0.49"
    issue = _only(network_from_workbook(wb).issues)
    assert issue.cell == CellRef("Grades", 2, "D") and "never evaluated" in issue.message


def test_numeric_ids_are_read_as_text(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb["Grades"]["A2"] = 101
        wb["Supply"]["B2"] = 101.0
        wb["Smelters"]["G2"] = "101，No2"

    net = read_network(edit(write_small(tmp_path), change)).network
    assert net is not None
    assert net.grades[0].id == "101"
    assert net.collection_points[0].supplies[0].grade_id == "101"
    assert net.smelters[0].accepted_grade_ids == ("101", "No2")


def test_source_map_locates_rows_fields_and_parameters(tmp_path: Path) -> None:
    source = read_network(write_small(tmp_path)).source
    assert source.cell("grade", "No2") == CellRef("Grades", 3, "A")
    assert source.cell("supply", "CP-1/No2", "supply_t_per_year") == CellRef("Supply", 3, "C")
    assert source.cell("site", "SC-1", "status") == CellRef("SortingCenters", 2, "F")
    assert source.cell("site", "SC-1", "modules") == CellRef("SortingCenters", 2, "A")
    assert source.row_of("capacity_module", "SC-1/M2") == ("CapacityModules", 4)
    assert source.cell("yield", "DS-1/No2/No1", "fraction") == CellRef("Yields", 2, "D")
    assert source.cell("distance", "CP-1/SC-1", "road_km") == CellRef("Distances", 2, "C")
    assert source.cell("parameters", "", "copper_price_cny_per_t") == CellRef("Parameters", 3, "B")
    assert source.cell("vehicle_type", "T10", "depot_ids") == CellRef("VehicleTypes", 2, "J")
    assert source.cell("smelter", "nope") is None and source.row_of("grade", "nope") is None
    assert source.sheet_name("collection_points") == "CollectionPoints"


def test_duplicate_ids_keep_both_rows_and_every_location(tmp_path: Path) -> None:
    path = set_cell(write_small(tmp_path), "Grades", "A3", "No1")
    result = read_network(path)
    assert result.issues == []  # duplicates are optimizer.validation's to report
    assert result.network is not None and [g.id for g in result.network.grades] == ["No1", "No1"]
    assert result.source.cells("grade", "No1") == [CellRef("Grades", 2, "A"), CellRef("Grades", 3, "A")]


def test_parameters_blank_limit_means_none_and_missing_rows_warn(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Parameters"]
        labels = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
        ws.cell(row=labels.index("Max. new sites") + 1, column=2).value = None
        ws.delete_rows(labels.index("Weeks per year") + 1)
        ws.cell(row=ws.max_row + 1, column=1).value = "Exchange rate"

    result = read_network(edit(write_small(tmp_path), change))
    assert all(not i.is_error for i in result.issues), _messages(result.issues)
    texts = _messages(result.issues)
    assert any(
        'parameter "Weeks per year" is not on sheet "Parameters"; the default 50 weeks/yr' in t for t in texts
    )
    assert any('unknown parameter "Exchange rate"' in t for t in texts)
    assert result.network is not None
    assert result.network.parameters.max_new_sites is None
    assert result.network.parameters.copper_price_cny_per_t == 74000.0
    assert result.network.name == "Small test network"


def test_parameters_bad_or_blank_required_value_is_located(tmp_path: Path) -> None:
    path = set_cell(write_small(tmp_path), "Parameters", "B3", "lots")
    set_cell(path, "Parameters", "B4", None)
    issues = read_network(path).issues
    assert [str(i.cell) for i in issues if i.is_error] == ["Parameters!B3", "Parameters!B4"]
    assert issues[0].field == "copper_price_cny_per_t" and issues[0].entity == "parameters"


def test_no_parameters_sheet_warns_and_uses_defaults(tmp_path: Path) -> None:
    result = read_network(edit(write_small(tmp_path), lambda wb: wb.remove(wb["Parameters"])))
    issue = _only(result.issues, Severity.WARNING)
    assert "no Parameters sheet" in issue.message
    assert result.network is not None and result.network.parameters.copper_price_cny_per_t == 75000.0


def test_a_workbook_with_no_copperloop_sheets_gives_no_network(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "hello"
    wb.save(tmp_path / "other.xlsx")
    result = read_network(tmp_path / "other.xlsx")
    assert result.network is None
    assert "no CopperLoop sheets found" in _only(result.issues).message


def test_a_plan_workbook_with_extra_sheets_reimports_its_network() -> None:
    wb = network_to_workbook(small_network(), "zh")
    wb.create_sheet("Plan summary", 0)["A1"] = "Total profit"
    result = network_from_workbook(wb)
    assert result.issues == []
    assert result.network == small_network()


def test_optional_columns_left_out_take_their_documented_defaults(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "CollectionPoints"
    ws.append(["Collection point id", "Latitude", "Longitude"])
    ws.append(["CP-1", 31, 121])
    grades = wb.create_sheet("Grades")
    grades.append(["Grade id", "Copper content"])
    grades.append(["No1", "99%"])
    wb.save(tmp_path / "minimal.xlsx")
    result = read_network(tmp_path / "minimal.xlsx")
    errors = [i.message for i in result.issues if i.is_error]
    assert errors == [
        'the workbook has no "Supply" sheet ("供应量" in Chinese); it is required',
        'the workbook has no "Smelters" sheet ("冶炼厂" in Chinese); it is required',
    ]
    assert result.network is not None
    cp = result.network.collection_points[0]
    assert (cp.name, cp.province, cp.opens_hour, cp.visits_per_week, cp.assigned_site_id) == (
        "",
        "",
        8.0,
        1,
        None,
    )
    assert result.network.grades[0].name_en == "" and result.network.grades[0].price_coefficient is None
