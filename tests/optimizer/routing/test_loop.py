"""The design-routing loop on tiny networks: a yard moves to the site whose routes cost less, the loop
stops when the routes confirm the plan, the plan JSON carries every flow's mode and costs, and Cancel."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.plan import Echelon, Plan, PlanStatus
from optimizer.design.solve import solve
from optimizer.io.writer import write_network
from optimizer.model import Network, Supply
from optimizer.progress import CancelToken, ProgressEvent
from optimizer.routing.loop import LoopOptions, assumed_costs, solve_with_routes

from .instances import FAST
from .networks import network, point, site

DESIGN = SolveOptions(time_limit_s=20)


def _far_smelter(*points: str) -> dict[tuple[str, str], float]:
    """Keep the smelter out of reach of a cheap linear haul (without a carrier it keeps the linear rate)."""
    return {("SM", p): 5_000.0 for p in points}


def _destinations(plan: Plan, point_id: str) -> set[str]:
    return {f.to_id for f in plan.flows if f.echelon is Echelon.COLLECTION and f.from_id == point_id}


def _two_sites() -> Network:
    """Y is 10 km from DS1 and 12 km from DS2; P1-P3 lie beside Y but only DS2 is near them.

    On the formula DS1 is Y's cheaper site (2 km less). But DS1's truck would call at Y alone (a
    truck-day and 20 km for 0.2 t: 700 CNY/t), while DS2's truck calls at Y on the round it makes to
    P1-P3 anyway: 100 CNY + 25.5 km x 2 CNY for 0.8 t, 189 CNY/t: the routes make DS2 Y's cheaper site.
    """
    names = ("Y", "P1", "P2", "P3")
    pts = tuple(point(n, 10.0, lat=31.05, lon=121.05 + 0.002 * k) for k, n in enumerate(names))
    km: dict[tuple[str, str], float] = {("DS1", "Y"): 10.0, ("DS2", "Y"): 12.0}
    for n in names[1:]:
        km[("DS1", n)] = 400.0
        km[("DS2", n)] = 12.0
    for a in names:
        for b in names:
            if a < b:
                km[(a, b)] = 0.5
    km.update(_far_smelter(*names))
    # One working day: every weekly visit on the same day, so DS2's truck can take Y on its round.
    return network(pts, km, sites=(site("DS1"), site("DS2")), working_days=1)


def test_the_loop_moves_a_yard_to_the_site_whose_routes_cost_less() -> None:
    net = _two_sites()
    plan, routes, report = solve_with_routes(net, DESIGN, FAST, LoopOptions(max_rounds=4))
    assert report.rounds[0].moved_t == pytest.approx(40.0)
    # Round 1 (the formula) sends Y to DS1; the routes then price DS1's lone call at Y far above DS2's.
    assert _destinations(plan, "Y") == {"DS2"}
    assert len(report.rounds) >= 2 and report.rounds[1].moved_t == pytest.approx(10.0)
    assert routes is not None and routes.unserved == ()
    assert report.converged
    (dest,) = report.destinations
    assert dest.destination_id == "DS2" and dest.routed_cny_per_t == pytest.approx(151.0 / 0.8)
    assert dest.diff is not None and abs(dest.diff) <= 0.05


def test_round_one_on_the_formula_sends_y_to_the_nearer_site() -> None:
    net = _two_sites()
    trucks = dataclasses.replace(
        net, parameters=dataclasses.replace(net.parameters, collection_cost_model="trucks")
    )
    assert _destinations(solve(trucks, DESIGN), "Y") == {"DS1"}


def test_the_loop_stops_when_the_routes_confirm_the_plan() -> None:
    # One yard that fills a truck: the full-truckload haul costs what the design assumed (70 CNY/t),
    # so the first round's routes confirm the plan and no second round runs.
    net = network((point("BIG", 200.0),), {("DS1", "BIG"): 10.0, **_far_smelter("BIG")})
    plan, routes, report = solve_with_routes(net, DESIGN, FAST)
    assert report.stop_reason == "confirmed" and len(report.rounds) == 1
    (dest,) = report.destinations
    assert dest.assumed_cny_per_t == pytest.approx(70.0) and dest.routed_cny_per_t == pytest.approx(70.0)
    assert routes is not None and report.served_share == 1.0
    assert assumed_costs(plan)[("BIG", "DS1")] == (pytest.approx(200.0), pytest.approx(14_000.0))


def test_the_loop_stops_when_the_plan_stops_changing() -> None:
    # The lone yard's milk run costs more than the formula says, but there is nowhere else to go:
    # round 2 re-prices it at its routed cost and the plan, and so the routes, stay the same.
    net = network((point("A", 10.0),), {("DS1", "A"): 10.0, **_far_smelter("A")})
    _plan, _routes, report = solve_with_routes(net, DESIGN, FAST, LoopOptions(max_rounds=5))
    assert len(report.rounds) == 2 and report.rounds[1].moved_t == pytest.approx(0.0)
    assert report.converged
    (dest,) = report.destinations
    # One visit a week alone: a truck-day (100 CNY) + 20 km x 2 CNY for 0.2 t = 700 CNY/t, as assumed.
    assert dest.routed_cny_per_t == pytest.approx(700.0)
    assert dest.assumed_cny_per_t == pytest.approx(700.0)


def test_cancel_stops_the_loop_and_keeps_the_plan() -> None:
    net = _two_sites()
    cancel = CancelToken()
    phases: list[str] = []

    def progress(event: ProgressEvent) -> None:
        phases.append(event.phase_text())
        if event.phase_key == "routing":
            cancel.cancel()

    plan, _routes, report = solve_with_routes(net, DESIGN, FAST, progress=progress, cancel=cancel)
    assert report.stop_reason == "cancelled" and len(report.rounds) <= 1
    assert plan.has_solution
    assert any("round 1 of 4" in p for p in phases)


def test_cancel_before_the_first_design_returns_a_cancelled_plan() -> None:
    cancel = CancelToken()
    cancel.cancel()
    plan, routes, report = solve_with_routes(_two_sites(), DESIGN, FAST, cancel=cancel)
    assert plan.status is PlanStatus.CANCELLED and routes is None and report.stop_reason == "cancelled"


def test_copperloop_solve_with_routes_writes_each_flows_mode_and_costs(tmp_path: Path) -> None:
    from optimizer.cli import main

    book = tmp_path / "tiny.xlsx"
    net = network(
        (point("BIG", 200.0), point("A", 10.0)),
        {("DS1", "BIG"): 10.0, ("DS1", "A"): 10.0, ("A", "BIG"): 1.0, **_far_smelter("BIG", "A")},
    )
    write_network(net, book)
    plan_json, routes_json = tmp_path / "plan.json", tmp_path / "routes.json"
    code = main(
        [
            "solve",
            str(book),
            "--with-routes",
            "--time-limit",
            "20",
            "--routing-time-limit",
            "1",
            "--json",
            str(plan_json),
            "--routes-json",
            str(routes_json),
            "--quiet",
        ]
    )
    assert code == 0
    data = json.loads(plan_json.read_text(encoding="utf-8"))
    flows = {f["point_id"]: f for f in data["collection_flows"]}
    assert flows["BIG"]["mode"] == "full_truckload"
    assert flows["BIG"]["assumed_cny_per_t"] == pytest.approx(70.0)
    assert flows["BIG"]["routed_cny_per_t"] == pytest.approx(70.0)
    assert flows["A"]["mode"] == "milk_run"
    assert data["design_routing_loop"]["stop_reason"] in ("confirmed", "unchanged")
    # The plan reads back (the extra keys are ignored), so `copperloop routes --plan` takes it.
    assert Plan.from_json(plan_json.read_text(encoding="utf-8")).has_solution
    assert json.loads(routes_json.read_text(encoding="utf-8"))["hauls"]


def test_a_plan_that_collects_nothing_stops_the_loop_at_once() -> None:
    # Buying the scrap costs more than copper pays: the plan collects nothing and there is nothing to route.
    dear = dataclasses.replace(point("A", 10.0), supplies=(Supply("No1", 10.0, 1e6),))
    net = network((dear,), {("DS1", "A"): 10.0, **_far_smelter("A")})
    plan, _routes, report = solve_with_routes(net, DESIGN, FAST)
    assert plan.has_solution and not [f for f in plan.flows if f.echelon is Echelon.COLLECTION]
    assert report.stop_reason == "nothing_routed" and len(report.rounds) == 1 and not report.converged
