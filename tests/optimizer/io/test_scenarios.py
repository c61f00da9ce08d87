"""Scenarios survive a save and reopen of the project workbook, and the base stays a normal workbook."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from optimizer.io import read_network
from optimizer.io.scenarios import network_from_dict, network_to_dict, read_scenarios, write_project
from optimizer.io.templates import example_network
from optimizer.model import SiteStatus


def test_network_dict_round_trip_is_exact() -> None:
    net = example_network()
    assert network_from_dict(network_to_dict(net)) == net


def test_project_workbook_keeps_scenarios_and_reads_as_a_network(tmp_path: Path) -> None:
    base = example_network()
    price = base.replace(parameters=dataclasses.replace(base.parameters, copper_price_cny_per_t=90_000.0))
    closed = base.replace(sites=tuple(dataclasses.replace(s, status=SiteStatus.CLOSED) for s in base.sites))
    path = tmp_path / "project.xlsx"
    write_project(path, base, [("High price", price), ("No sites", closed)], lang="zh", base_name="基准")

    plain = read_network(path)
    assert plain.network == base
    assert not plain.errors

    scenarios, base_name, issues = read_scenarios(path)
    assert issues == []
    assert base_name == "基准"
    assert scenarios == [("High price", price), ("No sites", closed)]


def test_workbook_without_scenarios_has_none(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    write_project(path, example_network(), [])
    assert read_scenarios(path) == ([], None, [])


def test_large_scenario_is_split_over_cells(tmp_path: Path) -> None:
    base = example_network()
    cp = base.collection_points[0]
    many = base.replace(collection_points=tuple(
        dataclasses.replace(cp, id=f"X-{i:04d}", name="长名称" * 10) for i in range(600)
    ))
    path = tmp_path / "big.xlsx"
    write_project(path, base, [("Many points", many)])
    scenarios, _name, issues = read_scenarios(path)
    assert issues == []
    assert scenarios[0][1] == many
