"""From networks to routes: exact costs, integer scaling, visit days, reasons for unserved points,
and where each point's depot comes from."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer.model import SiteStatus
from optimizer.routing import (
    RoutePlan,
    RouteStatus,
    RoutingOptions,
    RoutingProblem,
    UnservedReason,
    build_routing_problem,
    plan_routes,
)
from optimizer.routing.periodic import visit_patterns
from optimizer.routing.result import CollectionMode

from .checks import plan_violations
from .instances import ENGINES, FAST
from .networks import network, plan_assigning, point, site, truck, two_point_network


def route(problem: RoutingProblem, engine: str = "pyvrp", **changes: object) -> RoutePlan:
    plan = plan_routes(problem, dataclasses.replace(FAST, engine=engine, **changes))
    assert plan_violations(problem, plan) == []
    return plan


@pytest.mark.parametrize("engine", ENGINES)
def test_one_day_week_routes_both_points_on_one_exact_route(engine: str) -> None:
    # 100 CNY fixed + (10 + 5 + 10) km x 2 CNY/km = 150 CNY a week, 20 t a year collected.
    plan = route(build_routing_problem(two_point_network(working_days=1)), engine)
    assert plan.status is RouteStatus.COMPLETE
    (r,) = plan.routes
    assert r.distance_km == 25.0
    assert plan.cost_cny == pytest.approx(150.0)
    assert plan.annual_cost_cny == pytest.approx(150.0 * 50)
    assert plan.totals().annual_collected_t == pytest.approx(20.0)
    assert plan.cost_cny_per_t == pytest.approx(150.0 * 50 / 20.0)
    assert r.co2_kg == pytest.approx(25 * 0.5)
    # Handling from 7:30, leaves at 7:45, drives 15 min and starts the first visit at 8:00 sharp.
    assert r.stops[0].arrival_h == pytest.approx(7.5)
    assert r.stops[0].departure_h == pytest.approx(7.75)
    assert [s.node_id for s in r.stops] in (["DS1", "A", "B", "DS1"], ["DS1", "B", "A", "DS1"])
    assert r.visits[0].start_h == pytest.approx(8.0)
    assert [s.pickup_kg for s in r.visits] == [200.0, 200.0]
    assert r.visits[1].load_kg == 400.0


def test_six_day_week_balances_the_two_weekly_points_on_different_days() -> None:
    plan = route(build_routing_problem(two_point_network(working_days=6)))
    assert len(plan.routes) == 2 and plan.routes[0].day != plan.routes[1].day
    assert plan.cost_cny == pytest.approx(2 * (100 + 20 * 2))
    assert plan.totals().trucks == 1 and plan.totals().truck_days == 2


def test_pickups_are_rounded_up_to_whole_kg_and_reported_exactly() -> None:
    # 1 t/yr in 3 visits a week over 50 weeks = 6.667 kg a visit: 7 kg for the capacity check.
    net = network((point("A", 1.0, visits_per_week=3),), {("DS1", "A"): 10.0})
    problem = build_routing_problem(net)
    visits = [v for p in problem.depot_problems for v in p.visits]
    assert len(visits) == 3
    assert {v.pickup for v in visits} == {7}
    assert visits[0].pickup_exact == pytest.approx(1000 / 150)
    assert visits[0].service == 20 * 60 and visits[0].tw_early == 8 * 3600
    assert visits[0].tw_late == 18 * 3600 - 20 * 60
    plan = route(problem)
    assert plan.totals().annual_collected_t == pytest.approx(1.0)


def test_visit_days_follow_each_points_frequency() -> None:
    points = tuple(
        point(f"P{i}", 20.0, lat=31.0 + 0.01 * i, visits_per_week=f) for i, f in enumerate([1, 2, 3, 6, 2, 1])
    )
    net = network(points, {}, vehicles=(truck(count=2),))
    problem = build_routing_problem(net)
    plan = route(problem)
    assert plan.status is RouteStatus.COMPLETE
    for cp in points:
        days = tuple(sorted(r.day for r in plan.routes for s in r.visits if s.node_id == cp.id))
        assert days in visit_patterns(cp.visits_per_week, 6)
        kg = [s.pickup_kg for r in plan.routes for s in r.visits if s.node_id == cp.id]
        assert kg == pytest.approx([20_000 / (cp.visits_per_week * 50)] * cp.visits_per_week)


def test_more_visits_than_working_days_are_capped_with_a_note() -> None:
    net = network((point("A", 10.0, visits_per_week=7),), {("DS1", "A"): 10.0})
    problem = build_routing_problem(net)
    assert sum(len(p.visits) for p in problem.depot_problems) == 6
    (note,) = problem.notes
    assert note.code == "route_note.visits_capped" and "A: 7 visits a week" in note.render("en")
    assert note.render("zh") == "A：每周 7 次访问超出 6 个工作日；按 6 规划"


@pytest.mark.parametrize("engine", ENGINES)
def test_multi_trip_carries_a_day_one_trip_cannot(engine: str) -> None:
    # Three 1.5 t pickups on a one-day week, one 2 t truck: one truck, three trips.
    points = tuple(point(p, 75.0, lat=31.0 + 0.02 * k) for k, p in enumerate("ABC"))
    km = {("DS1", "A"): 10.0, ("DS1", "B"): 12.0, ("DS1", "C"): 14.0, ("A", "B"): 5.0, ("A", "C"): 6.0,
          ("B", "C"): 5.0}
    problem = build_routing_problem(network(points, km, working_days=1))
    plan = route(problem, engine)
    assert plan.status is RouteStatus.COMPLETE
    (r,) = plan.routes
    assert r.trips == 3
    assert r.distance_km == pytest.approx(2 * (10 + 12 + 14))
    single = route(build_routing_problem(network(points, km, working_days=1), options=RoutingOptions(
        multi_trip=False)), engine)
    assert len(single.unserved) == 2
    assert {u.reason for u in single.unserved} == {UnservedReason.NOT_ENOUGH_TRUCKS}


def test_unservable_points_are_reported_with_their_reason_and_the_rest_is_routed() -> None:
    points = (
        point("OK", 10.0),
        point("FAR", 10.0),
        point("BIG", 200.0),  # 4 t a visit, the truck carries 2 t
        point("SHORT", 10.0, opens_hour=8.0, closes_hour=8.1),  # 6 min open, 20 min service
        point("NIGHT", 10.0, opens_hour=0.0, closes_hour=2.0),  # 150 km away: 4 h before it can be there
        point("PINNED", 10.0, assigned_site_id="DS2"),
    )
    km = {("DS1", "OK"): 10.0, ("DS1", "FAR"): 500.0, ("DS1", "BIG"): 10.0, ("DS1", "SHORT"): 10.0,
          ("DS1", "NIGHT"): 150.0}
    net = network(
        points, km, sites=(site("DS1"), site("DS2", lat=31.5)), vehicles=(truck(depot_ids=("DS1",)),),
    )
    problem = build_routing_problem(net)
    reasons = {u.point_id: u.reason for u in problem.unserved}
    # FAR (beyond a shift) and BIG (4 t a week fill the 2 t truck) go full-truckload instead.
    assert reasons == {
        "SHORT": UnservedReason.WINDOW_TOO_SHORT,
        "NIGHT": UnservedReason.WINDOW_UNREACHABLE,
        "PINNED": UnservedReason.NO_TRUCKS,
    }
    assert {h.point_id: h.mode for h in problem.hauls} == {
        "FAR": CollectionMode.FULL_TRUCKLOAD, "BIG": CollectionMode.FULL_TRUCKLOAD,
    }
    assert all(u.fix is not None and u.fix.code.startswith("route_fix.") for u in problem.unserved)
    plan = route(problem)
    assert plan.status is RouteStatus.PARTIAL
    assert [s.node_id for r in plan.routes for s in r.visits] == ["OK"]
    assert {u.point_id for u in plan.unserved} == set(reasons)
    assert "Full-truckload hauls: 2 yard(s)" in plan.summary()


def test_points_without_any_depot_are_reported() -> None:
    net = network((point("A", 10.0),), {}, sites=(site("DS1", status=SiteStatus.CANDIDATE),))
    problem = build_routing_problem(net)
    assert problem.depot_problems == ()
    (u,) = problem.unserved
    assert u.reason is UnservedReason.NO_DEPOT
    assert route(problem).status is RouteStatus.PARTIAL


def test_without_a_plan_points_go_to_their_assigned_site_else_the_nearest() -> None:
    points = (point("NEAR1", 10.0, lat=31.01), point("PIN2", 10.0, lat=31.01, assigned_site_id="DS2"),
              point("NEAR2", 10.0, lat=31.49))
    net = network(points, {}, sites=(site("DS1"), site("DS2", lat=31.5, status=SiteStatus.CANDIDATE)),
                  vehicles=(truck(),))
    problem = build_routing_problem(net)
    depot_of = {v.point_id: p.depot_id for p in problem.depot_problems for v in p.visits}
    # DS2 is a candidate, open only because PIN2 is pinned to it; NEAR2 is then nearest to it.
    assert depot_of == {"NEAR1": "DS1", "PIN2": "DS2", "NEAR2": "DS2"}
    assert problem.depot_ids == ("DS1", "DS2")


def test_a_plan_decides_depots_and_tonnes_and_splits_shared_points() -> None:
    points = (point("A", 10.0, lat=31.01), point("B", 30.0, lat=31.02), point("C", 10.0))
    net = network(points, {}, sites=(site("DS1"), site("DS2", lat=31.5)), vehicles=(truck(),))
    plan = plan_assigning(
        ["DS1", "DS2"], {"A": [("DS2", 10.0)], "B": [("DS1", 20.0), ("DS2", 10.0)], "C": []}
    )
    problem = build_routing_problem(net, plan)
    by_depot = {
        (p.depot_id, v.point_id): v.t_per_year for p in problem.depot_problems for v in p.visits
    }
    assert by_depot == {("DS2", "A"): 10.0, ("DS1", "B"): 20.0, ("DS2", "B"): 10.0}
    assert any("C: the plan buys nothing here" in n.render("en") for n in problem.notes)
    assert "C：方案不在此收购；未规划路线" in [n.render("zh") for n in problem.notes]
    routes = route(problem)
    assert routes.status is RouteStatus.COMPLETE
    assert routes.totals().annual_collected_t == pytest.approx(40.0)


def test_a_share_straight_to_a_smelter_without_a_carrier_is_explained_with_its_fix() -> None:
    from optimizer.model import Smelter

    net = network((point("A", 10.0),), {}).replace(smelters=(Smelter("SM1", "smelter", 31.2, 121.2),))
    plan = plan_assigning(["DS1"], {"A": [("SM1", 10.0)]})
    problem = build_routing_problem(net, plan)
    assert problem.depot_problems == () and problem.hauls == ()
    (lost,) = problem.unserved
    assert (lost.point_id, lost.depot_id, lost.reason) == ("A", "SM1", UnservedReason.NO_TRUCKS)
    detail, fix = lost.detail.render("en"), str(lost.fix)
    assert "straight to smelter SM1" in detail and "no carrier" in detail
    assert "carrier" in fix and lost.t_per_year == 10.0
    # in Chinese the reason nested in the detail is Chinese too
    assert lost.detail.render("zh").endswith("冶炼厂没有收集车辆，且“车型”表中没有承运车辆")
