"""RoutePlan: JSON round trip, totals per depot and overall, and its printed summary."""

from __future__ import annotations

import dataclasses
import json

import pytest

from optimizer.routing import RoutePlan, build_routing_problem, plan_routes

from .checks import plan_violations
from .instances import FAST
from .networks import network, point, site, truck


@pytest.fixture(scope="module")
def plan() -> RoutePlan:
    points = (
        point("A", 40.0, visits_per_week=2), point("B", 20.0, lat=31.06), point("C", 500.0),
        point("D", 30.0, lat=31.52, assigned_site_id="DS2"),
    )
    net = network(points, {}, sites=(site("DS1"), site("DS2", lat=31.5)), vehicles=(truck(count=2),))
    problem = build_routing_problem(net)
    routes = plan_routes(problem, dataclasses.replace(FAST, time_limit_s=2.0))
    assert plan_violations(problem, routes) == []
    return routes


def test_json_round_trip_is_exact(plan: RoutePlan) -> None:
    text = plan.to_json()
    json.loads(text)  # plain JSON
    assert RoutePlan.from_json(text) == plan


def test_depot_totals_add_up_to_the_plan(plan: RoutePlan) -> None:
    depots = plan.depot_totals()
    total = plan.totals()
    assert {d.depot_id for d in depots} == {"DS1", "DS2"}
    assert sum(d.cost_cny for d in depots) == pytest.approx(total.cost_cny)
    assert sum(d.distance_km for d in depots) == pytest.approx(total.distance_km)
    assert sum(d.collected_t for d in depots) == pytest.approx(total.collected_t)
    assert total.annual_cost_cny == pytest.approx(plan.cost_cny * 50)
    assert total.truck_days == len(plan.routes)
    # Trucks stay at their depot: the network needs each depot's busiest day, summed.
    assert total.trucks == sum(d.trucks for d in depots)
    assert total.trucks_by_type == {"T2": total.trucks}
    assert 0 < total.utilization <= 1
    # A (2 visits of 400 kg), B (400 kg), D (600 kg); C's 10 t a week go full-truckload.
    assert total.collected_t == pytest.approx(0.8 + 0.4 + 0.6)


def test_summary_names_depots_costs_and_hauls(plan: RoutePlan) -> None:
    text = plan.summary()
    assert text.startswith("Collection routes: COMPLETE (engine pyvrp")
    assert "DS1:" in text and "DS2:" in text
    assert "CNY/t" in text
    # C's 500 t/yr fill the 2 t truck five times a week: 250 trips a year, full-truckload.
    assert "Full-truckload hauls: 1 yard(s), 5.0 trips/wk" in text
    assert "Collection (milk runs + hauls)" in text
