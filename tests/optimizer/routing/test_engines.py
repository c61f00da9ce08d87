"""Both engines on tiny instances with known optima, multi-trip, shortages, cancel and progress."""

from __future__ import annotations

import dataclasses
import threading
import time

import numpy as np
import pytest

from optimizer.progress import CancelToken, ProgressEvent
from optimizer.routing import (
    DepotPool,
    DepotProblem,
    RoutePlan,
    RouteStatus,
    RoutingOptions,
    RoutingProblem,
    UnservedReason,
    plan_routes,
)

from .checks import plan_violations
from .instances import ENGINES, FAST, brute_force_cvrp, line_problem


def solve(problem: DepotProblem | RoutingProblem, engine: str, **changes: object) -> RoutePlan:
    plan = plan_routes(problem, dataclasses.replace(FAST, engine=engine, **changes))
    assert plan_violations(problem, plan) == []
    return plan


def random_cvrp(seed: int, n: int = 6, trucks: int = 3) -> DepotProblem:
    rng = np.random.default_rng(seed)
    positions = [(50.0, 50.0)] + [tuple(rng.integers(0, 100, 2).astype(float)) for _ in range(n)]
    pickups = [int(p) for p in rng.integers(10, 60, n)]
    return line_problem(positions, pickups, capacity=100, trucks=trucks, fixed_cost=int(rng.integers(0, 40)))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tiny_cvrp_reaches_the_enumerated_optimum(engine: str, seed: int) -> None:
    problem = random_cvrp(seed)
    plan = solve(problem, engine)
    assert plan.status is RouteStatus.COMPLETE
    assert plan.cost_cny == brute_force_cvrp(problem)


@pytest.mark.parametrize("engine", ENGINES)
def test_simultaneous_windows_far_apart_need_two_trucks(engine: str) -> None:
    # P1 and P2 both open only at t=1000, 10 and 20 units from the depot, 10 apart: one truck cannot
    # serve both, so the optimum is two trucks at 2 x 50 fixed + (20 + 40) = 160 (one truck would be 90).
    problem = line_problem(
        [(0, 0), (10, 0), (20, 0)], [1, 1], capacity=10, trucks=2, fixed_cost=50,
        windows=[(1000, 1000), (1000, 1000)],
    )
    plan = solve(problem, engine)
    assert len(plan.routes) == 2
    assert plan.cost_cny == 160
    assert sorted(r.visits[0].start_h for r in plan.routes) == [1000, 1000]


@pytest.mark.parametrize("engine", ENGINES)
def test_windows_fix_the_visiting_order(engine: str) -> None:
    # P1 (10 east) opens after P2 (10 north) closes: the truck must go D-P2-P1-D = 10 + 14 + 10.
    problem = line_problem(
        [(0, 0), (10, 0), (0, 10)], [1, 1], capacity=10, trucks=1, service=5,
        windows=[(100, 200), (0, 50)],
    )
    plan = solve(problem, engine)
    (route,) = plan.routes
    assert [s.node_id for s in route.visits] == ["P2", "P1"]
    assert plan.cost_cny == 34
    # The truck leaves as late as the windows allow: it waits nowhere but at P1's opening.
    assert route.visits[0].wait_h == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_multi_trip_when_one_trip_cannot_carry_the_day(engine: str) -> None:
    # Three 800 kg pickups, one 1000 kg truck: three trips D-P-D each, 2 x 10 + 2 x 20 + 2 x 30 = 120.
    problem = line_problem(
        [(0, 0), (10, 0), (0, 20), (-30, 0)], [800, 800, 800], capacity=1000, trucks=1, fixed_cost=100,
        reloads=True, handling=15, optional=True,
    )
    plan = solve(problem, engine)
    assert plan.status is RouteStatus.COMPLETE
    (route,) = plan.routes
    assert route.trips == 3
    assert plan.cost_cny == 100 + 120
    assert route.utilization == pytest.approx(2400 / 3000)


@pytest.mark.parametrize("engine", ENGINES)
def test_without_multi_trip_the_extra_visits_are_reported_not_dropped(engine: str) -> None:
    problem = line_problem(
        [(0, 0), (10, 0), (0, 20), (-30, 0)], [800, 800, 800], capacity=1000, trucks=1, optional=True,
    )
    plan = solve(problem, engine)
    assert plan.status is RouteStatus.PARTIAL
    assert len(plan.routes) == 1 and len(plan.routes[0].visits) == 1
    assert {u.reason for u in plan.unserved} == {UnservedReason.NOT_ENOUGH_TRUCKS}
    assert len(plan.unserved) == 2
    # The cheapest visit to keep is the nearest one.
    assert plan.routes[0].visits[0].node_id == "P1"


@pytest.mark.parametrize("engine", ENGINES)
def test_required_visits_that_do_not_fit_give_no_solution(engine: str) -> None:
    problem = line_problem([(0, 0), (10, 0), (0, 20)], [800, 800], capacity=1000, trucks=1)
    plan = solve(problem, engine)
    assert plan.status is RouteStatus.NO_SOLUTION
    assert plan.routes == ()
    assert {u.reason for u in plan.unserved} == {UnservedReason.NOT_ENOUGH_TRUCKS}


@pytest.mark.parametrize("engine", ENGINES)
def test_shift_limits_the_trips(engine: str) -> None:
    # Each round trip takes 2 x 100 + 15 handling; a 500-unit shift fits two of the three.
    problem = line_problem(
        [(0, 0), (100, 0), (0, 100), (-100, 0)], [800, 800, 800], capacity=1000, trucks=1,
        reloads=True, handling=15, shift=500, optional=True,
    )
    plan = solve(problem, engine)
    (route,) = plan.routes
    assert route.trips == 2 and route.duration_h <= 500
    assert len(plan.unserved) == 1


def test_both_engines_agree_on_a_small_week() -> None:
    week = RoutingProblem(
        name="week",
        depot_problems=tuple(dataclasses.replace(random_cvrp(s, n=7, trucks=5), day=s) for s in range(3)),
        day_names=("Mon", "Tue", "Wed"),
        depot_ids=("D",),
    )
    costs = {}
    for engine in ENGINES:
        plan = solve(week, engine)
        assert plan.status is RouteStatus.COMPLETE
        assert {r.day for r in plan.routes} == {0, 1, 2}
        costs[engine] = plan.cost_cny
    assert costs["pyvrp"] == costs["ortools"]


def big_problem(n: int = 80) -> DepotProblem:
    rng = np.random.default_rng(7)
    positions = [(500.0, 500.0)] + [tuple(rng.integers(0, 1000, 2).astype(float)) for _ in range(n)]
    pickups = [int(p) for p in rng.integers(10, 40, n)]
    return line_problem(positions, pickups, capacity=100, trucks=n, fixed_cost=100, optional=True)


@pytest.mark.parametrize("engine", ENGINES)
def test_cancel_returns_promptly_with_the_best_routes_so_far(engine: str) -> None:
    first = big_problem()
    week = RoutingProblem(
        name="week",
        depot_problems=(first, dataclasses.replace(first, day=1)),
        day_names=("Mon", "Tue"),
        depot_ids=("D",),
    )
    cancel = CancelToken()
    timer = threading.Timer(0.5, cancel.cancel)
    options = RoutingOptions(engine=engine, time_limit_s=60.0, stop_without_improvement=None)
    started = time.perf_counter()
    timer.start()
    try:
        plan = plan_routes(week, options, cancel=cancel)
    finally:
        timer.cancel()
    assert time.perf_counter() - started < 5.0
    assert plan.status is RouteStatus.CANCELLED
    assert plan_violations(week, plan) == []
    monday = plan.routes_of(day=0)
    assert monday and sum(len(r.visits) for r in monday) == len(first.visits)
    assert plan.routes_of(day=1) == ()
    tuesday = [u for u in plan.unserved if u.day == 1]
    assert len(tuesday) == len(first.visits)
    assert {u.reason for u in tuesday} == {UnservedReason.CANCELLED}


def test_a_cancelled_token_stops_before_any_routing() -> None:
    cancel = CancelToken()
    cancel.cancel()
    plan = plan_routes(random_cvrp(1), FAST, cancel=cancel)
    assert plan.status is RouteStatus.CANCELLED
    assert plan.routes == ()
    assert len(plan.unserved) == 6


@pytest.mark.parametrize("engine", ENGINES)
def test_progress_reports_a_growing_fraction_and_the_incumbent(engine: str) -> None:
    events: list[ProgressEvent] = []
    week = RoutingProblem(
        name="week",
        depot_problems=tuple(dataclasses.replace(random_cvrp(s), day=s) for s in range(2)),
        day_names=("Mon", "Tue"),
        depot_ids=("D",),
    )
    plan = plan_routes(week, dataclasses.replace(FAST, engine=engine), progress=events.append)
    fractions = [e.fraction for e in events if e.fraction is not None]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(e.phase == "routing" for e in events)
    assert events[-1].incumbent == pytest.approx(plan.cost_cny)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_weekly_visit_with_no_room_on_its_day_moves_to_a_day_with_room(engine: str) -> None:
    # One 1000 kg truck, single trips, three 600 kg weekly visits: Monday has two (one cannot fit),
    # Tuesday none, Wednesday one. The one left out on Monday moves to Tuesday.
    pool = line_problem(
        [(0, 0), (10, 0), (0, 20), (-30, 0)], [600, 600, 600], capacity=1000, trucks=1, optional=True
    )
    week = RoutingProblem(
        name="week",
        depot_problems=(pool.restricted([0, 1], 0), pool.restricted([2], 2)),
        day_names=("Mon", "Tue", "Wed"),
        depot_ids=("D",),
        pools=(DepotPool(pool, ((0, 1), (), (2,))),),
    )
    plan = solve(week, engine)
    assert plan.status is RouteStatus.COMPLETE
    assert sorted(r.day for r in plan.routes) == [0, 1, 2]
    assert {s.node_id for r in plan.routes_of(day=1) for s in r.visits} == {"P2"}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_twice_weekly_visit_keeps_its_days(engine: str) -> None:
    pool = line_problem(
        [(0, 0), (10, 0), (0, 20)], [600, 600], capacity=1000, trucks=1, optional=True
    )
    pool = dataclasses.replace(
        pool, visits=(pool.visits[0], dataclasses.replace(pool.visits[1], visits_per_week=2))
    )
    week = RoutingProblem(
        name="week",
        depot_problems=(pool.restricted([0, 1], 0), pool.restricted([1], 1)),
        day_names=("Mon", "Tue", "Wed"),
        depot_ids=("D",),
        pools=(DepotPool(pool, ((0, 1), (1,), ())),),
    )
    plan = solve(week, engine)
    # Monday keeps P1 (nearer); P2's Monday visit cannot move to Wednesday (its visits must stay spread).
    assert [(u.point_id, u.day) for u in plan.unserved] == [("P2", 0)]
    assert plan.routes_of(day=2) == ()
