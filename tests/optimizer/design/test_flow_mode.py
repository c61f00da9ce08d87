"""Each flow says how the design priced it (``Flow.mode``): the trucks model's mode on collection arcs
(full truckload, carrier, milk run), the t-km rate elsewhere and under the linear model; the field is in
the plan JSON and a file written before it reads as the t-km rate it was priced with."""

from __future__ import annotations

import dataclasses
import json

from optimizer.design.collection_cost import ArcMode
from optimizer.design.options import SolveOptions
from optimizer.design.plan import FLOW_MODES, Echelon, Plan
from optimizer.design.solve import solve
from optimizer.model import Network

from ..routing.networks import network, point, truck


def _trucks(net: Network) -> Network:
    return dataclasses.replace(
        net, parameters=dataclasses.replace(net.parameters, collection_cost_model="trucks")
    )


def _modes(plan: Plan, echelon: Echelon) -> set[str]:
    return {f.mode for f in plan.flows if f.echelon is echelon}


def test_the_modes_are_the_cost_models_labels() -> None:
    assert tuple(m.label for m in ArcMode) == FLOW_MODES


def test_a_yard_that_fills_a_truck_is_a_full_truckload_and_the_haul_on_is_the_t_km_rate() -> None:
    # 200 t/yr = 4 t a week fills the 2 t truck (test_collection_cost prices it by hand)
    far = {("SM", "BIG"): 5_000.0}
    plan = solve(
        _trucks(network((point("BIG", 200.0),), {("DS1", "BIG"): 10.0, **far})), SolveOptions(time_limit_s=20)
    )
    assert _modes(plan, Echelon.COLLECTION) == {"full_truckload"}
    assert _modes(plan, Echelon.DELIVERY) == {"linear"}


def test_a_small_yard_near_its_site_is_a_milk_run() -> None:
    # 10 t/yr is 0.2 t a week: far from filling the 2 t truck, 10 km away well within a shift
    far = {("SM", "SMALL"): 5_000.0}
    plan = solve(
        _trucks(network((point("SMALL", 10.0),), {("DS1", "SMALL"): 10.0, **far})),
        SolveOptions(time_limit_s=20),
    )
    assert _modes(plan, Echelon.COLLECTION) == {"milk_run"}


def test_a_carrier_haul_straight_to_a_smelter_says_carrier() -> None:
    carrier = dataclasses.replace(
        truck(payload_t=30.0, carrier_cny_per_trip=600.0, cost_cny_per_km=1.0), id="C30"
    )
    net = _trucks(network((point("A", 300.0),), {("SM", "A"): 100.0}, sites=(), vehicles=(carrier,)))
    plan = solve(net, SolveOptions(time_limit_s=20))
    assert _modes(plan, Echelon.COLLECTION) == {"carrier"}


def test_the_linear_model_prices_every_flow_at_the_t_km_rate_and_the_json_says_so() -> None:
    plan = solve(network((point("BIG", 200.0),), {("DS1", "BIG"): 10.0}), SolveOptions(time_limit_s=20))
    assert plan.flows and {f.mode for f in plan.flows} == {"linear"}
    data = json.loads(plan.to_json())
    assert {f["mode"] for f in data["flows"]} == {"linear"}


def test_a_plan_file_written_before_the_mode_reads_as_the_t_km_rate() -> None:
    far = {("SM", "BIG"): 5_000.0}
    plan = solve(
        _trucks(network((point("BIG", 200.0),), {("DS1", "BIG"): 10.0, **far})), SolveOptions(time_limit_s=20)
    )
    data = json.loads(plan.to_json())
    assert {f["mode"] for f in data["flows"]} == {"full_truckload", "linear"}
    assert Plan.from_dict(data).flows == plan.flows
    for f in data["flows"]:
        del f["mode"]
    assert {f.mode for f in Plan.from_dict(data).flows} == {"linear"}
