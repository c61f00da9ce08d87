"""``load_network``: the reader's issues, then validation's, on one located list."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl

from optimizer.io import write_network
from optimizer.io.loading import count_issues, has_errors, load_network
from tests.optimizer.networks import small_network

DATA = Path(__file__).resolve().parents[2] / "data"


def test_valid_workbook_loads_whole(tmp_path: Path) -> None:
    path = tmp_path / "valid.xlsx"
    write_network(small_network(), path)
    result = load_network(path)
    assert result.network == small_network()
    assert result.issues == []
    assert not has_errors(result)


def test_parse_issues_come_first_then_validation(tmp_path: Path) -> None:
    path = tmp_path / "both.xlsx"
    net = small_network()
    write_network(net.replace(parameters=replace(net.parameters, target_utilization=1.5)), path)
    wb = openpyxl.load_workbook(path)
    wb["Supply"]["C2"] = "lots"  # CP-1's bare bright
    wb.save(path)
    result = load_network(path)
    assert [(str(i.cell), i.is_error) for i in result.issues] == [
        ("Supply!C2", True),  # the reader: not a number
        ("Parameters!B8", True),  # validation: target utilization above 1
    ]
    assert has_errors(result)
    assert result.network is not None
    assert result.network.collection_points[0].supply_of("BB") == 0  # the bad row was not loaded


def test_warnings_alone_are_not_errors(tmp_path: Path) -> None:
    path = tmp_path / "warn.xlsx"
    net = small_network()
    write_network(net.replace(parameters=replace(net.parameters, circuity_factor=0.9)), path)
    result = load_network(path)
    assert count_issues(result.issues) == (0, 1)
    assert not has_errors(result)


def test_unreadable_file_has_no_network() -> None:
    result = load_network(DATA / "not_a_workbook.xlsx")
    assert result.network is None
    assert has_errors(result)
    assert count_issues(result.issues) == (1, 0)


def test_missing_file_is_an_issue_not_an_exception(tmp_path: Path) -> None:
    result = load_network(tmp_path / "gone.xlsx")
    assert result.network is None
    assert has_errors(result)
    assert "gone.xlsx" in result.issues[0].message
