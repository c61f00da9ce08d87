"""The trucks collection cost model in the MILP, checked by hand: a full truckload at the cost its trips
make, a yard beyond a shift hauled over several days instead of left out, the milk-run formula's terms,
and the linear rate kept when the model is off."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from optimizer.design.collection_cost import ArcMode, collection_arc_costs, milk_run_terms
from optimizer.design.options import SolveOptions
from optimizer.design.plan import Echelon, Plan
from optimizer.design.solve import solve
from optimizer.model import Network
from optimizer.routing import CollectionMode, RouteStatus, build_routing_problem, plan_routes

from ..routing.instances import FAST
from ..routing.networks import network, point, site, truck


def _far_smelter(*points: str) -> dict[tuple[str, str], float]:
    """The smelter out of reach of a cheap linear haul (without a carrier it keeps the linear rate)."""
    return {("SM", p): 5_000.0 for p in points}


def _trucks(net: Network, **params: float) -> Network:
    return dataclasses.replace(
        net, parameters=dataclasses.replace(net.parameters, collection_cost_model="trucks", **params)
    )


def _collection(plan: Plan, point_id: str) -> tuple[float, float]:
    """(tonnes, cost) a year of ``point_id``'s collection flows."""
    flows = [f for f in plan.flows if f.echelon is Echelon.COLLECTION and f.from_id == point_id]
    return sum(f.t for f in flows), sum(f.cost_cny for f in flows)


def test_a_yard_that_fills_a_truck_goes_full_truckload_at_the_hand_computed_cost_per_t() -> None:
    # 200 t/yr = 4 t a week fills the 2 t truck: 100 full trips a year. Each trip: 15 min loading out,
    # 10 km there and back at 40 km/h, 20 min loading: one truck-day, 100 CNY + 20 km x 2 CNY = 140 CNY.
    # 14,000 CNY a year for 200 t: 70 CNY/t (the linear rate would say 10 km x 0.45 = 4.5 CNY/t).
    net = _trucks(network((point("BIG", 200.0),), {("DS1", "BIG"): 10.0, **_far_smelter("BIG")}))
    plan = solve(net, SolveOptions(time_limit_s=20))
    t, cost = _collection(plan, "BIG")
    assert t == pytest.approx(200.0)
    assert cost == pytest.approx(14_000.0)
    # The routes make that very haul.
    routes = plan_routes(build_routing_problem(net, plan), FAST)
    (flow,) = routes.collection_flows()
    assert flow.mode is CollectionMode.FULL_TRUCKLOAD and flow.cost_cny_per_t == pytest.approx(70.0)


def test_the_linear_rate_stays_when_the_model_is_off() -> None:
    net = network((point("BIG", 200.0),), {("DS1", "BIG"): 10.0, **_far_smelter("BIG")})
    plan = solve(net, SolveOptions(time_limit_s=20))
    assert _collection(plan, "BIG") == (pytest.approx(200.0), pytest.approx(200.0 * 10.0 * 0.45))


def test_a_yard_beyond_a_shift_goes_full_truckload_instead_of_beyond_shift() -> None:
    # 500 km at 40 km/h: 12.5 h each way, 25 h at the wheel, 8 h a day: 4 truck-days of 100 CNY plus
    # 1,000 km at 2 CNY = 2,400 CNY a trip; 10 t/yr in 2 t loads = 5 trips, 12,000 CNY: 1,200 CNY/t.
    net = _trucks(network((point("FAR", 10.0),), {("DS1", "FAR"): 500.0, **_far_smelter("FAR")}))
    plan = solve(net, SolveOptions(time_limit_s=20))
    assert _collection(plan, "FAR") == (pytest.approx(10.0), pytest.approx(12_000.0))
    routes = plan_routes(build_routing_problem(net, plan), FAST)
    assert routes.status is RouteStatus.COMPLETE and routes.unserved == ()
    (flow,) = routes.collection_flows()
    assert flow.mode is CollectionMode.FULL_TRUCKLOAD and flow.cost_cny_per_t == pytest.approx(1_200.0)


def test_the_milk_run_formula_term_by_term() -> None:
    # A: 10 t/yr, once a week, 50 weeks: 0.2 t a visit; d = 10 km; its 3 nearest yards (B, C, D) at the
    # same spot 1.3 km away (1 km great circle x circuity 1.3) so r = 1.3 km. The 2 t truck: payload
    # allows 10 stops a trip, time (10 - 0.25 - 0.5) / (1/3 + 1.3/40) = 25.2, so n = 10.
    # per km cost = 2 + 100 / (10 h x 40 km/h) = 2.25 CNY/km.
    # LH = 2.25 x 20 km / 10 / 0.2 t = 22.5 CNY/t; LOC = 2.25 x 1.3 / 0.2 = 14.625 CNY/t;
    # STOP = 100 / 10 h x (1/3 h + 0.25 h / 10) / 0.2 t = 17.9167 CNY/t.
    lat_1km = 1.0 / 111.19492664455873  # one great-circle km north
    pts = (
        point("A", 10.0, lat=31.0, lon=121.1),
        *(point(n, 10.0, lat=31.0 + lat_1km, lon=121.1) for n in "BCD"),
    )
    net = _trucks(network(pts, {("DS1", "A"): 10.0}))
    (lh, loc, stop) = milk_run_terms(net, [("A", "DS1")])[("A", "DS1")]
    assert lh == pytest.approx(22.5)
    assert loc == pytest.approx(2.25 * 1.3 / 0.2, rel=1e-5)
    assert stop == pytest.approx(10.0 * (1 / 3 + 0.025) / 0.2)
    # The arc costs a x LH + k x LOC + s x STOP with the Parameters' factors.
    factors = dict(milk_run_line_haul_factor=1.5, milk_run_local_factor=1.0, milk_run_stop_factor=2.0)
    net2 = _trucks(network(pts, {("DS1", "A"): 10.0}), **factors)
    km = np.array([[10.0]])
    costs = collection_arc_costs(
        net2, net2.collection_points, [net2.sites[0]], np.vstack([km] * 4), np.zeros((4, 1))
    )
    assert costs.mode[0, 0] == ArcMode.MILK_RUN
    assert costs.cost_cny_per_t[0, 0] == pytest.approx(1.5 * lh + loc + 2.0 * stop, rel=1e-6)


def test_a_site_factor_and_a_pinned_arc_cost_reach_the_milk_run_arcs() -> None:
    # Two sites 10 and 12 km from a small yard: on the formula DS1 is cheaper; a factor of 3 on DS1's
    # milk runs sends the yard to DS2, and a pinned 60 CNY/t on (A, DS2) (below DS1's 3 x 40.4) is what
    # the plan pays there.
    sites = (site("DS1"), site("DS2"))  # the same spot: the same delivery to the smelter
    net = _trucks(
        network(
            (point("A", 10.0),), {("DS1", "A"): 10.0, ("DS2", "A"): 12.0, **_far_smelter("A")}, sites=sites
        )
    )
    base = solve(net, SolveOptions(time_limit_s=20))
    assert {f.to_id for f in base.flows if f.echelon is Echelon.COLLECTION} == {"DS1"}
    moved = solve(net, SolveOptions(time_limit_s=20, collection_site_factors=(("DS1", 3.0),)))
    assert {f.to_id for f in moved.flows if f.echelon is Echelon.COLLECTION} == {"DS2"}
    pinned = solve(
        net,
        SolveOptions(
            time_limit_s=20,
            collection_site_factors=(("DS1", 3.0),),
            collection_arc_costs=(("A", "DS2", 60.0),),
        ),
    )
    assert _collection(pinned, "A") == (pytest.approx(10.0), pytest.approx(600.0))
    # The options survive the plan's JSON round trip.
    assert Plan.from_json(pinned.to_json()).options == pinned.options


def test_a_yard_no_truck_can_reach_keeps_the_linear_rate() -> None:
    # No vehicle type and no carrier: nothing to price the trucks with.
    net = _trucks(network((point("A", 10.0),), {("DS1", "A"): 10.0, **_far_smelter("A")}, vehicles=()))
    plan = solve(net, SolveOptions(time_limit_s=20))
    assert _collection(plan, "A") == (pytest.approx(10.0), pytest.approx(10.0 * 10.0 * 0.45))


def test_carrier_prices_a_share_straight_to_a_smelter() -> None:
    # A carrier 30 t at 600 CNY a trip + 1 CNY/km; the smelter 100 km away is the only buyer, no site.
    carrier = truck(payload_t=30.0, carrier_cny_per_trip=600.0, cost_cny_per_km=1.0)
    carrier = dataclasses.replace(carrier, id="C30")
    net = _trucks(network((point("A", 300.0),), {("SM", "A"): 100.0}, sites=(), vehicles=(carrier,)))
    plan = solve(net, SolveOptions(time_limit_s=20))
    # 300 t in 10 loads, 700 CNY each: 7,000 CNY, 23.33 CNY/t.
    assert _collection(plan, "A") == (pytest.approx(300.0), pytest.approx(7_000.0))
