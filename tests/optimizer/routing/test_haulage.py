"""Full-truckload hauls and carriers, checked by hand: which yards go full-truckload, the driver's days,
the cost of each trip, and how the route plan reports every collection flow."""

from __future__ import annotations

import json

import pytest

from optimizer.model import DistanceOverride, Smelter, VehicleType
from optimizer.routing import RouteStatus, UnservedReason, build_routing_problem, plan_routes
from optimizer.routing.haulage import BREAK_H, DriverRules, Leg, trip_time
from optimizer.routing.result import CollectionMode, RoutePlan

from .checks import plan_violations
from .instances import FAST
from .networks import network, plan_assigning, point, truck

RULES = DriverRules(max_shift_h=10.0, max_driving_h_per_day=8.0, daily_rest_h=11.0)


def test_a_long_drive_takes_breaks_and_a_nights_rest() -> None:
    # 12.5 h at the wheel: 4 h, a 20 min break, 4 h (8 h: the day's driving), 11 h rest, 4 h, break, 0.5 h.
    t = trip_time([Leg("drive", 12.5)], RULES)
    assert t.driving_h == pytest.approx(12.5)
    assert t.duty_days == 2
    assert t.elapsed_h == pytest.approx(4 + BREAK_H + 4 + 11 + 4 + BREAK_H + 0.5)


def test_a_yard_that_fills_a_truck_goes_full_truckload_at_the_hand_computed_cost() -> None:
    # 200 t/yr = 4 t a week, the truck carries 2 t: full loads, 100 trips a year. Each trip 15 min
    # loading out, 10 km there (15 min at 40 km/h), 20 min loading, 10 km back: one truck-day.
    net = network((point("BIG", 200.0), point("OK", 10.0)), {("DS1", "BIG"): 10.0, ("DS1", "OK"): 10.0})
    problem = build_routing_problem(net)
    (haul,) = problem.hauls
    assert (haul.point_id, haul.destination_id, haul.mode) == ("BIG", "DS1", CollectionMode.FULL_TRUCKLOAD)
    assert haul.trips_per_year == 100 and haul.trips_per_week == pytest.approx(2.0)
    assert haul.days_per_trip == 1 and haul.km_per_trip == pytest.approx(20.0)
    assert haul.hours_per_trip == pytest.approx(0.25 + 0.25 + 20 / 60 + 0.25)
    assert haul.cost_cny_per_trip == pytest.approx(100.0 + 2.0 * 20.0)  # fixed per day + CNY/km x km
    assert haul.annual_cost_cny == pytest.approx(14_000.0)
    assert haul.cost_cny_per_t == pytest.approx(70.0)
    assert haul.co2_kg_per_trip == pytest.approx(0.5 * 20.0)
    # OK (0.2 t a week) stays on the milk run: one 20 km round trip a week, 140 CNY, 7,000 CNY/yr for 10 t.
    routes = plan_routes(problem, FAST)
    assert plan_violations(problem, routes) == []
    assert routes.status is RouteStatus.COMPLETE
    flows = {f.point_id: f for f in routes.collection_flows()}
    assert flows["BIG"].mode is CollectionMode.FULL_TRUCKLOAD
    assert flows["BIG"].cost_cny_per_t == pytest.approx(70)
    assert flows["OK"].mode is CollectionMode.MILK_RUN and flows["OK"].cost_cny_per_t == pytest.approx(700)
    assert routes.collection_cost_cny_per_year == pytest.approx(14_000 + 7_000)
    assert routes.collection_cost_cny_per_t == pytest.approx(21_000 / 210)


def test_a_yard_beyond_a_shift_goes_full_truckload_instead_of_beyond_shift() -> None:
    # 500 km away at 40 km/h: 12.5 h each way, 25 h at the wheel a trip; 8 h a day makes 4 driving
    # days, 4 truck-days of 100 CNY plus 1,000 km at 2 CNY. 10 t/yr in 2 t loads: 5 trips a year.
    net = network((point("FAR", 10.0),), {("DS1", "FAR"): 500.0})
    problem = build_routing_problem(net)
    assert problem.unserved == () and problem.depot_problems == ()
    (haul,) = problem.hauls
    assert haul.mode is CollectionMode.FULL_TRUCKLOAD
    assert haul.driving_h_per_trip == pytest.approx(25.0)
    assert haul.days_per_trip == 4
    assert haul.cost_cny_per_trip == pytest.approx(4 * 100.0 + 2.0 * 1000.0)
    assert haul.trips_per_year == 5 and haul.annual_cost_cny == pytest.approx(12_000.0)
    routes = plan_routes(problem, FAST)
    assert routes.haul_totals().own_truck_days_per_year == 20  # 5 trips x 4 truck-days
    assert routes.status is RouteStatus.COMPLETE
    assert "beyond_shift" not in routes.summary()


def test_longer_driving_days_need_fewer_truck_days() -> None:
    # 9 h a day and a 12 h shift: 25 h of driving in 3 days.
    net = network(
        (point("FAR", 10.0),), {("DS1", "FAR"): 500.0},
        vehicles=(truck(max_shift_h=12.0, max_driving_h_per_day=9.0),),
    )
    (haul,) = build_routing_problem(net).hauls
    assert haul.days_per_trip == 3
    assert haul.cost_cny_per_trip == pytest.approx(3 * 100.0 + 2.0 * 1000.0)


def _with_carrier(tariff: float = 1500.0) -> VehicleType:
    return VehicleType(
        "C30", "carrier 30 t", 30.0, fixed_cost_cny_per_day=0.0, cost_cny_per_km=1.0, speed_km_per_h=60.0,
        max_shift_h=10.0, co2_kg_per_km=1.0, carrier_cny_per_trip=tariff,
    )


def test_a_direct_to_smelter_share_gets_a_carrier_trip_at_the_tariff() -> None:
    # 60 t/yr straight to SM1, 300 km: two 30 t carrier trips of 1,500 CNY + 300 km x 1 CNY.
    smelter = Smelter("SM1", "smelter", 33.0, 121.0)
    net = network((point("A", 60.0),), {}, vehicles=(truck(), _with_carrier())).replace(
        smelters=(smelter,), distances=(DistanceOverride("A", "SM1", road_km=300.0),)
    )
    problem = build_routing_problem(net, plan_assigning(["DS1"], {"A": [("SM1", 60.0)]}))
    assert problem.unserved == ()
    (haul,) = problem.hauls
    assert (haul.point_id, haul.destination_id, haul.mode) == ("A", "SM1", CollectionMode.CARRIER)
    assert haul.trips_per_year == 2
    assert haul.cost_cny_per_trip == pytest.approx(1500.0 + 300.0)
    assert haul.annual_cost_cny == pytest.approx(3600.0) and haul.cost_cny_per_t == pytest.approx(60.0)
    routes = plan_routes(problem, FAST)
    assert routes.status is RouteStatus.COMPLETE
    data = json.loads(routes.to_json())
    (flow,) = data["collection_flows"]
    assert flow["mode"] == "carrier" and flow["cost_cny_per_t"] == pytest.approx(60.0)
    assert RoutePlan.from_json(routes.to_json()) == routes


def test_the_carrier_is_hired_where_it_is_cheaper_than_the_depots_own_truck() -> None:
    # FAR's own-truck trip costs 2,400 CNY for 2 t (1,200 CNY/t); a 30 t carrier at 1,500 + 500 km
    # x 1 CNY carries all 10 t in one trip: 2,000 CNY a year.
    net = network((point("FAR", 10.0),), {("DS1", "FAR"): 500.0}, vehicles=(truck(), _with_carrier()))
    (haul,) = build_routing_problem(net).hauls
    assert haul.mode is CollectionMode.CARRIER and haul.annual_cost_cny == pytest.approx(2000.0)


def test_a_share_no_truck_can_serve_names_its_reason_and_fix() -> None:
    net = network((point("SHORT", 200.0, opens_hour=8.0, closes_hour=8.1),), {("DS1", "SHORT"): 10.0})
    problem = build_routing_problem(net)
    assert problem.hauls == ()
    (lost,) = problem.unserved
    assert lost.reason is UnservedReason.WINDOW_TOO_SHORT and "opening hours" in str(lost.fix)


def test_the_routes_workbook_lists_the_hauls_and_every_collection_flow() -> None:
    from optimizer.report.routes_workbook import routes_workbook

    net = network((point("BIG", 200.0), point("OK", 10.0)), {("DS1", "BIG"): 10.0, ("DS1", "OK"): 10.0})
    routes = plan_routes(build_routing_problem(net), FAST)
    wb = routes_workbook(routes)
    hauls = list(wb["Hauls"].iter_rows(values_only=True))
    assert hauls[1][:3] == ("BIG", "DS1", "full_truckload") and hauls[1][13] == pytest.approx(14_000.0)
    flows = {row[0]: row for row in wb["Collection flows"].iter_rows(min_row=2, values_only=True)}
    assert flows["BIG"][2] == "full_truckload" and flows["OK"][2] == "milk_run"
    assert flows["OK"][6] == pytest.approx(700.0)


def test_driving_and_rest_hours_out_of_range_are_located_errors() -> None:
    from optimizer.validation import validate

    net = network((point("A", 10.0),), {}, vehicles=(truck(max_driving_h_per_day=0.0, daily_rest_h=30.0),))
    fields = {(i.entity, i.field) for i in validate(net) if i.severity == "error"}
    assert {("vehicle_type", "max_driving_h_per_day"), ("vehicle_type", "daily_rest_h")} <= fields
