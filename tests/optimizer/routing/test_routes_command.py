"""``copperloop routes``: from a workbook (and a plan) to printed, JSON and Excel routes; and the
whole chain on the teaching sample with a plan from the network-design MILP."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import openpyxl
import pytest

from optimizer import cli
from optimizer.io import write_network
from optimizer.model import Network
from optimizer.routing import RoutePlan, RouteStatus, build_routing_problem, plan_routes
from tests.conftest import SAMPLE_DIR

from .checks import plan_violations
from .instances import FAST
from .networks import network, plan_assigning, point, site, truck, two_point_network


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.xlsx"
    write_network(two_point_network(working_days=1), path)
    return path


def test_routes_prints_the_summary_and_writes_json_and_workbook(
    capsys: pytest.CaptureFixture[str], workbook: Path, tmp_path: Path
) -> None:
    json_path, xlsx_path = tmp_path / "routes.json", tmp_path / "routes.xlsx"
    code, out, _ = run_cli(
        capsys, "routes", str(workbook), "--time-limit", "2", "--json", str(json_path), "-o", str(xlsx_path),
        "--quiet",
    )
    assert code == 0
    assert out.startswith("Collection routes: COMPLETE (engine pyvrp")
    assert "150 CNY" in out  # 100 fixed + 25 km x 2 CNY/km
    plan = RoutePlan.from_json(json_path.read_text(encoding="utf-8"))
    assert plan.cost_cny == pytest.approx(150.0)
    assert plan_violations(build_routing_problem(two_point_network(working_days=1)), plan) == []
    wb = openpyxl.load_workbook(xlsx_path, read_only=True)
    assert wb.sheetnames == [
        "Summary", "Depots", "Routes", "Stops", "Hauls", "Collection flows", "Unserved", "Notes"
    ]
    stops = list(wb["Stops"].iter_rows(values_only=True))
    assert [row[6] for row in stops[1:]] in (["DS1", "A", "B", "DS1"], ["DS1", "B", "A", "DS1"])


def test_routes_with_ortools_and_a_plan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    points = (point("A", 10.0, lat=31.01), point("B", 10.0, lat=31.02))
    net = network(points, {}, sites=(site("DS1"), site("DS2", lat=31.5)), vehicles=(truck(),))
    path = tmp_path / "two_depots.xlsx"
    write_network(net, path)
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(plan_assigning(["DS2"], {"A": [("DS2", 10.0)], "B": [("DS2", 10.0)]}).to_json())
    code, out, _ = run_cli(
        capsys, "routes", str(path), "--plan", str(plan_path), "--engine", "ortools", "--time-limit", "2",
        "--quiet",
    )
    assert code == 0
    assert "DS2:" in out and "DS1:" not in out


def test_unservable_points_exit_3_with_reasons(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "short.xlsx"
    write_network(network((point("SHORT", 20.0, opens_hour=8.0, closes_hour=8.1),), {}), path)
    code, out, _ = run_cli(capsys, "routes", str(path), "--time-limit", "1", "--quiet")
    assert code == 3
    assert "SHORT from DS1" in out and "window_too_short" in out and "Fix: opening hours" in out


def test_a_yard_that_fills_trucks_is_hauled_and_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path
                                                        ) -> None:
    path = tmp_path / "big.xlsx"
    write_network(network((point("BIG", 200.0),), {}), path)
    code, out, _ = run_cli(capsys, "routes", str(path), "--time-limit", "1", "--quiet")
    assert code == 0
    assert "Full-truckload hauls: 1 yard(s), 2.0 trips/wk" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "plan file not found"),
        ("{not json", "not a plan JSON file"),
        ('{"x": 1}', "not a plan written"),
    ],
)
def test_bad_plan_files_are_user_errors(
    capsys: pytest.CaptureFixture[str], workbook: Path, tmp_path: Path, content: str | None, message: str
) -> None:
    plan_path = tmp_path / "plan.json"
    if content is not None:
        plan_path.write_text(content)
    code, _, err = run_cli(capsys, "routes", str(workbook), "--plan", str(plan_path))
    assert code == 2
    assert message in err


def test_bad_time_limit_is_a_user_error(capsys: pytest.CaptureFixture[str], workbook: Path) -> None:
    code, _, err = run_cli(capsys, "routes", str(workbook), "--time-limit", "0")
    assert code == 2 and "time limit" in err


@pytest.mark.skipif(not (SAMPLE_DIR / "teaching.xlsx").exists(), reason="sample workbooks not built yet")
def test_teaching_sample_routes_from_the_milp_plan(teaching_network: Network) -> None:
    from optimizer.design.solve import solve

    design = solve(teaching_network)
    assert design.has_solution
    problem = build_routing_problem(teaching_network, design)
    assert {p.depot_id for p in problem.depot_problems} <= {s.site_id for s in design.sites}
    routes = plan_routes(problem, dataclasses.replace(FAST, time_limit_s=3.0))
    assert routes.status in (RouteStatus.COMPLETE, RouteStatus.PARTIAL)
    assert plan_violations(problem, routes) == []
    assert routes.routes and routes.cost_cny_per_t is not None


@pytest.fixture
def plan_of_another_network(tmp_path: Path) -> Path:
    """A plan of the one-yard network ("one yard": P1 to S1, S2 or M1), written by copperloop solve."""
    from tests.optimizer.tiny_networks import one_yard_two_centers

    source = tmp_path / "one_yard.xlsx"
    write_network(one_yard_two_centers(), source)
    plan_path = tmp_path / "one_yard_plan.json"
    assert cli.main(["solve", str(source), "--json", str(plan_path), "--quiet"]) == 0
    return plan_path


def test_a_plan_of_another_network_is_refused(
    capsys: pytest.CaptureFixture[str], workbook: Path, plan_of_another_network: Path
) -> None:
    capsys.readouterr()  # what solving the plan printed
    code, out, err = run_cli(capsys, "routes", str(workbook), "--plan", str(plan_of_another_network))
    assert code == 2 and out == ""
    assert f'the plan "{plan_of_another_network}" was made for network "one yard"' in err
    assert "copperloop solve" in err  # and what to do instead


def test_a_plan_naming_sites_the_workbook_lacks_is_refused(
    capsys: pytest.CaptureFixture[str], workbook: Path, plan_of_another_network: Path, tmp_path: Path
) -> None:
    """Same network name, other contents (an older version of the workbook): its ids give it away."""
    data = json.loads(plan_of_another_network.read_text(encoding="utf-8"))
    data["network_name"] = two_point_network(working_days=1).name
    renamed = tmp_path / "renamed.json"
    renamed.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run_cli(capsys, "routes", str(workbook), "--plan", str(renamed))
    assert code == 2
    assert "uses sites or collection points this workbook does not have (P1, S1)" in err


def test_a_pareto_sweep_given_as_a_plan_says_what_it_is(
    capsys: pytest.CaptureFixture[str], workbook: Path, tmp_path: Path
) -> None:
    from tests.optimizer.tiny_networks import one_yard_two_centers

    source = tmp_path / "one_yard.xlsx"
    write_network(one_yard_two_centers(), source)
    sweep = tmp_path / "sweep.json"
    assert cli.main(["solve", str(source), "--pareto", "2", "--json", str(sweep), "--quiet"]) == 0
    capsys.readouterr()
    code, _, err = run_cli(capsys, "routes", str(workbook), "--plan", str(sweep))
    assert code == 2
    assert f'"{sweep}" is a trade-off sweep (copperloop solve --pareto N --json), not a plan' in err
    assert "__init__" not in err and "positional" not in err
