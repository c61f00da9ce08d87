"""No workbook CopperLoop writes holds a formula made of a user's text.

A network whose every id, name and province starts with ``=``, ``+``, ``-`` or ``@`` is saved, saved as
a project with a scenario named ``=HYPERLINK(...)``, solved, routed (with a point that cannot be
served, so the Unserved sheet has a row), swept for its Pareto front and over a copper-price factor, and
compared; every workbook written from it is scanned cell by
cell: no cell is a formula, no text became an error value (``put`` keeps ``#N/A`` text too), and
every text starting with a formula character carries the quote prefix that keeps it text when edited
in Excel.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.solve import solve, solve_pareto
from optimizer.io import read_network, save_workbook, write_network
from optimizer.io.cells import FORMULA_STARTS, put
from optimizer.io.scenarios import read_scenarios, write_project
from optimizer.io.templates import write_template
from optimizer.model import CollectionPoint, Network, Supply
from optimizer.report.compare import write_comparison_workbook
from optimizer.report.plan_report import write_plan_report
from optimizer.report.routes_workbook import write_routes_workbook
from optimizer.report.sweep import write_sweep_report
from optimizer.routing import RoutingOptions, build_routing_problem, plan_routes
from optimizer.scenarios.definition import SweepDefinition
from optimizer.scenarios.executors import LocalPool
from optimizer.scenarios.factors import parse_factor
from optimizer.scenarios.sweep import run_sweep
from tests.optimizer.io.workbooks import small_network

LINK = '=HYPERLINK("http://evil.example/","{}")'
#: Excel's error values: text that openpyxl would store as an error unless told it is text.
ERROR_TEXTS = ("#N/A", "#VALUE!", "#REF!", "#NAME?", "#DIV/0!")
#: What a missing or non-finite figure looks like when a writer prints it (../shared/tools/scan-workbook
#: reports these too): the hostile network has no such name, so none may appear.
PRINTED_NOTHING = ("nan", "inf", "-inf", "None", *ERROR_TEXTS)
IDS = {
    "CP-1": "=1+1",
    "CP-2": "+CP2",
    "DS-1": "-DS1",
    "SC-1": "@SC1",
    "SM-1": "=SM1",
    "No1": "=No1",
    "No2": "+No2",
    "T10": "-T10",
    "M1": "=M1",
    "M2": "@M2",
}


def _hostile(network: Network) -> Network:
    """``network`` with every id replaced by one starting with a formula character, every name a
    HYPERLINK formula and every province a DDE payload, and one more point no truck can reach in time
    (it opens for six minutes at 03:00), so the routes have an Unserved row."""

    def rid(value: str) -> str:
        return IDS.get(value, value)

    def renamed(obj: Any) -> Any:
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if f.name.endswith("id") and isinstance(value, str):
                changes[f.name] = rid(value)
            elif f.name.endswith("ids") and isinstance(value, tuple):
                changes[f.name] = tuple(rid(v) for v in value)
            elif f.name in ("name", "name_zh"):
                changes[f.name] = LINK.format(getattr(obj, "id", "x"))
            elif f.name == "province":
                changes[f.name] = "=cmd|' /C calc'!A0"
            elif isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
                changes[f.name] = tuple(renamed(v) for v in value)
        return dataclasses.replace(obj, **changes)

    hostile = network.replace(
        name="=HYPERLINK(\"http://evil.example/\",\"net\")",
        grades=tuple(renamed(g) for g in network.grades),
        collection_points=tuple(renamed(p) for p in network.collection_points),
        sites=tuple(renamed(s) for s in network.sites),
        smelters=tuple(renamed(s) for s in network.smelters),
        vehicle_types=tuple(renamed(v) for v in network.vehicle_types),
        distances=tuple(renamed(d) for d in network.distances),
    )
    night = CollectionPoint(
        "-NIGHT", "@SUM(1+1)", 31.1, 121.1, "@province", (Supply(IDS["No1"], 30.0),), opens_hour=3.0,
        closes_hour=3.1,
    )
    return hostile.replace(collection_points=(*hostile.collection_points, night))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every kind of workbook, written from the hostile network: name -> path."""
    folder = tmp_path_factory.mktemp("hostile")
    network = _hostile(small_network())
    options = SolveOptions(time_limit_s=20)
    plan = solve(network, options)
    assert plan.has_solution, plan.message
    routes = plan_routes(build_routing_problem(network, plan), RoutingOptions(time_limit_s=2))
    unplanned = plan_routes(build_routing_problem(network), RoutingOptions(time_limit_s=2))
    assert unplanned.unserved, "the night-only point must be unserved"
    pareto = solve_pareto(network, options, 2)
    dearer = network.replace(
        parameters=dataclasses.replace(network.parameters, copper_price_cny_per_t=80_000.0)
    )
    paths = {
        "network": folder / "network.xlsx",
        "network_zh": folder / "network_zh.xlsx",
        "project": folder / "project.xlsx",
        "template": folder / "template.xlsx",
        "report": folder / "report.xlsx",
        "report_zh": folder / "report_zh.xlsx",
        "routes": folder / "routes.xlsx",
        "comparison": folder / "comparison.xlsx",
        "sweep": folder / "sweep.xlsx",
    }
    write_network(network, paths["network"])
    write_network(network, paths["network_zh"], "zh")
    write_project(paths["project"], network, [(LINK.format("scenario"), dearer), ("+1", network)],
                  base_name="=base")
    write_template(paths["template"])
    for key, lang in (("report", "en"), ("report_zh", "zh")):
        write_plan_report(
            paths[key], network, plan, routes=routes, pareto=pareto,
            scenarios=[("=Base", network, plan), (LINK.format("dearer"), dearer, plan)],
            lang=lang, scenario_name="@scenario",
        )
    write_routes_workbook(unplanned, paths["routes"])
    compared = [("=Base", network, plan), (LINK.format("dearer"), dearer, plan)]
    write_comparison_workbook(paths["comparison"], compared)
    definition = SweepDefinition(factors=(parse_factor("copper_price=60000,80000"),), tornado_pct=0)
    with LocalPool(1) as pool:
        sweep = run_sweep(network, definition, options, executor=pool)
    write_sweep_report(paths["sweep"], network, sweep)
    return paths


def _findings(path: Path) -> tuple[list[str], int]:
    """(every formula, error value or unprefixed formula-like text, as sheet!cell; the number of
    formula-like texts seen)."""
    found: list[str] = []
    risky = 0
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                where = f"{ws.title}!{cell.coordinate} {cell.value!r}"
                if cell.data_type == "f":
                    found.append(f"formula {where}")
                elif cell.data_type == "e":
                    found.append(f"error value {where}")
                elif isinstance(cell.value, str) and cell.value.strip() in PRINTED_NOTHING:
                    found.append(f"a missing number printed as text {where}")
                elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    risky += 1
                    if not cell.quotePrefix:
                        found.append(f"no quote prefix {where}")
    return found, risky


@pytest.mark.parametrize(
    "key",
    ["network", "network_zh", "project", "template", "report", "report_zh", "routes", "comparison", "sweep"],
)
def test_no_workbook_holds_a_formula_from_user_text(written: dict[str, Path], key: str) -> None:
    found, risky = _findings(written[key])
    assert found == []
    if key != "template":  # the template's example has no hostile text
        assert risky >= {"sweep": 2, "comparison": 3}.get(key, 10)  # those show only a few names


def test_the_hostile_text_reads_back_as_written(written: dict[str, Path]) -> None:
    result = read_network(written["network"])
    assert result.network is not None
    assert [p.id for p in result.network.collection_points] == ["=1+1", "+CP2", "-NIGHT"]
    assert result.network.collection_points[0].name == LINK.format("CP-1")
    assert result.network.collection_points[2].name == "@SUM(1+1)"
    scenarios, base_name, issues = read_scenarios(written["project"])
    assert issues == []
    assert base_name == "=base"
    assert [name for name, _ in scenarios] == [LINK.format("scenario"), "+1"]


def test_the_routes_workbook_names_the_unserved_point_as_text(written: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(written["routes"])["Unserved"]
    cell = ws["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("-NIGHT", "s", True)


def test_put_refuses_text_a_cell_cannot_hold() -> None:
    ws = openpyxl.Workbook().active
    with pytest.raises(ValueError, match="CP-1 name: text of 40,000 characters"):
        put(ws, 1, 1, "x" * 40_000, lambda: "CP-1 name")
    with pytest.raises(ValueError, match="control characters"):
        put(ws, 1, 1, "bell\x07")
    assert put(ws, 1, 1, -5).data_type == "n"
    for text in ERROR_TEXTS:  # openpyxl would store these as error values
        assert put(ws, 2, 1, text).data_type == "s"
    assert put(ws, 1, 2, "plain").quotePrefix is False


def test_the_scanned_report_has_every_results_sheet(written: dict[str, Path]) -> None:
    names = openpyxl.load_workbook(written["report"], read_only=True).sheetnames
    assert {"Summary", "Sites", "Flows", "Routes", "Stops", "Pareto", "Scenario comparison"} <= set(names)
    assert {"Summary", "Depots", "Routes", "Stops", "Unserved", "Notes"} <= set(
        openpyxl.load_workbook(written["routes"], read_only=True).sheetnames
    )


def test_saving_turns_any_formula_a_writer_let_through_into_text(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append([LINK.format("appended"), "#N/A", 3, "plain"])  # ws.append makes a formula
    assert wb.active["A1"].data_type == "f"
    save_workbook(wb, tmp_path / "appended.xlsx")
    found, risky = _findings(tmp_path / "appended.xlsx")
    assert (found, risky) == (["a missing number printed as text Sheet!B1 '#N/A'"], 1)  # text, not an error
    row = next(openpyxl.load_workbook(tmp_path / "appended.xlsx").active.iter_rows())
    assert [c.value for c in row] == [LINK.format("appended"), "#N/A", 3, "plain"]
