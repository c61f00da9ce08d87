"""Exact optima of hand-checkable networks, one per objective, plus sites, blends, haul limits and yields.

The arithmetic behind every expected number is in the docstring of the network in
:mod:`tests.optimizer.tiny_networks`.
"""

from __future__ import annotations

import pytest

from optimizer.design.formulation import Requirements, build_model
from optimizer.design.options import SolveOptions
from optimizer.design.plan import Plan, PlanStatus
from optimizer.design.solve import solve, solve_pareto
from optimizer.model import CapacityModule, SiteStatus
from tests.optimizer.tiny_networks import blend_network, dismantling_chain, one_yard_two_centers

EXACT = dict(rel=1e-9, abs=1e-6)


def options(**kw: object) -> SolveOptions:
    return SolveOptions(mip_gap=0.0, time_limit_s=30.0, **kw)  # type: ignore[arg-type]


def opened(plan: Plan) -> dict[str, str]:
    return {s.site_id: s.module_id for s in plan.sites}


def test_profit_opens_the_center_with_the_best_margin_after_fixed_cost() -> None:
    plan = solve(one_yard_two_centers(), options())
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective == pytest.approx(31_100.0, **EXACT)
    assert opened(plan) == {"S1": "M200"}
    assert plan.kpis is not None
    assert plan.kpis.profit_cny == pytest.approx(31_100.0, **EXACT)
    assert plan.kpis.revenue_cny == pytest.approx(50_000.0, **EXACT)
    assert plan.kpis.purchase_cost_cny == pytest.approx(10_000.0, **EXACT)
    assert plan.kpis.transport_cost_cny == pytest.approx(3_000.0, **EXACT)
    assert plan.kpis.processing_cost_cny == pytest.approx(1_000.0, **EXACT)
    assert plan.kpis.fixed_cost_cny == pytest.approx(4_900.0, **EXACT)
    assert plan.kpis.utilization == pytest.approx(1.0, **EXACT)
    assert plan.kpis.t_km == pytest.approx(3_000.0, **EXACT)
    assert plan.gap == pytest.approx(0.0, abs=1e-9)


def test_cost_reaches_the_target_with_the_cheaper_fixed_cost() -> None:
    plan = solve(one_yard_two_centers(), options(objective="cost", target_utilization=0.6))
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective == pytest.approx(12_500.0, **EXACT)
    assert opened(plan) == {"S2": "M200"}
    assert plan.kpis is not None
    assert plan.kpis.utilization == pytest.approx(0.6, **EXACT)
    assert plan.kpis.collected_t == pytest.approx(60.0, **EXACT)


def test_cost_without_a_target_is_an_error_plan_not_an_exception() -> None:
    plan = solve(one_yard_two_centers(), options(objective="cost"))
    assert plan.status is PlanStatus.ERROR
    assert "target" in plan.message


def test_utilization_within_budget_then_least_cost() -> None:
    """Budget 6,000 (fixed + processing + transport): S2 carries (6,000 - 2,000) / 75 = 53.33 t, S1 only
    (6,000 - 4,900) / 40 = 27.5 t. Copper 26.667 t Cu; least cost at that: 53.33 x 175 + 2,000."""
    plan = solve(one_yard_two_centers(), options(objective="utilization", budget_cny=6_000.0))
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective_name == "utilization"
    assert plan.objective == pytest.approx(4_000.0 / 75.0 * 0.5, **EXACT)
    assert opened(plan) == {"S2": "M200"}
    assert plan.kpis is not None
    assert plan.kpis.budget_cost_cny == pytest.approx(6_000.0, rel=1e-6)
    assert plan.kpis.total_cost_cny == pytest.approx(4_000.0 / 75.0 * 175.0 + 2_000.0, rel=1e-6)


def test_pareto_sweep_gives_one_least_cost_plan_per_utilization_floor() -> None:
    """Floors 0, 50 % and 100 %: cost 0 (nothing open), S2 50 x 175 + 2,000, S1 100 x 140 + 4,900."""
    sweep = solve_pareto(one_yard_two_centers(), options(), 3)
    assert sweep.status is PlanStatus.OPTIMAL
    assert sweep.targets == pytest.approx((0.0, 0.5, 1.0))
    costs = [cost for _, cost in sweep.points()]
    assert costs == pytest.approx([0.0, 10_750.0, 18_900.0], rel=1e-5, abs=1e-3)
    assert [opened(p) for p in sweep.plans] == [{}, {"S2": "M200"}, {"S1": "M200"}]
    assert all(p.options.objective == "cost" for p in sweep.plans)


def test_existing_site_runs_a_module_even_when_idle_and_closed_site_takes_nothing() -> None:
    network = one_yard_two_centers(
        s1_status=SiteStatus.CLOSED,
        s2_status=SiteStatus.EXISTING,
        s2_modules=(CapacityModule("current", 50.0, 1_000.0), CapacityModule("expand", 200.0, 2_000.0)),
    )
    idle = solve(network, options(objective="cost", target_utilization=0.0))
    assert idle.status is PlanStatus.OPTIMAL
    assert idle.objective == pytest.approx(1_000.0, **EXACT)
    assert opened(idle) == {"S2": "current"}
    busy = solve(network, options())
    assert busy.objective == pytest.approx(100 * 325.0 - 2_000.0, **EXACT)
    assert opened(busy) == {"S2": "expand"}
    assert all("S1" not in (f.from_id, f.to_id) for f in busy.flows)
    model = build_model(network, Requirements())
    assert not any(site_id == "S1" for site_id, _ in model.module_open)


def test_haul_limit_removes_the_arc_and_forces_the_other_center() -> None:
    """At 40 km the 45 km arc to S2 is gone: the 60 % target costs 60 x 140 + 4,900 through S1."""
    network = one_yard_two_centers(max_haul_km_collection=40.0)
    plan = solve(network, options(objective="cost", target_utilization=0.6))
    assert plan.objective == pytest.approx(13_300.0, **EXACT)
    assert opened(plan) == {"S1": "M200"}
    model = build_model(network, Requirements())
    arcs = {
        (model.node_ids[t], model.node_ids[h]) for t, h in zip(model.arcs.tail, model.arcs.head, strict=True)
    }
    assert ("P1", "S2") not in arcs
    assert ("P1", "M1") not in arcs  # 100 km, beyond the limit
    assert ("P1", "S1") in arcs


def test_smelter_acceptance_and_blended_copper_content() -> None:
    plan = solve(blend_network(), options())
    assert plan.objective == pytest.approx(140_000.0, **EXACT)
    m1, m2 = plan.smelters
    assert m1.intake_t_by_grade == pytest.approx({"H": 100.0, "L": 75.0})
    assert m1.blended_copper_content == pytest.approx(0.80, **EXACT)
    assert m2.intake_t == pytest.approx(0.0, abs=1e-9)
    assert not any(f.to_id == "M2" and f.grade_id == "L" for f in plan.flows)
    assert plan.kpis is not None
    assert plan.kpis.utilization_by_grade == pytest.approx({"H": 1.0, "L": 0.75})


def test_yields_turn_motors_into_copper_and_report_residue() -> None:
    plan = solve(dismantling_chain(), options())
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.kpis is not None
    assert plan.kpis.copper_delivered_t_cu == pytest.approx(85.5, **EXACT)
    assert plan.objective == pytest.approx(85_500.0, **EXACT)
    d1, s1 = plan.site("D1"), plan.site("S1")
    assert d1 is not None and s1 is not None
    assert d1.residue_t == pytest.approx(900.0, **EXACT)
    assert d1.residue_t_cu == pytest.approx(10.0, **EXACT)
    assert s1.residue_t == pytest.approx(5.0, **EXACT)
    assert s1.residue_t_cu == pytest.approx(4.5, **EXACT)
    assert plan.kpis.residue_t_cu == pytest.approx(14.5, **EXACT)
    assert not any(f.from_id == "D1" and f.to_id == "M1" for f in plan.flows)  # beyond the delivery haul
    assert plan.kpis.utilization_by_province == pytest.approx({"Zhejiang": 0.855})


def test_every_point_is_assigned_with_tonnes_per_grade() -> None:
    plan = solve(one_yard_two_centers(), options())
    (a,) = plan.assignments
    assert a.point_id == "P1"
    assert a.primary_destination_id == "S1"
    assert a.collected_t_by_grade == pytest.approx({"A": 100.0})
    assert [(s.destination_id, s.t_by_grade) for s in a.shares] == [("S1", pytest.approx({"A": 100.0}))]


def test_plan_round_trips_through_json_and_summarises_itself() -> None:
    plan = solve(dismantling_chain(), options())
    again = Plan.from_json(plan.to_json())
    assert again == plan
    text = plan.summary()
    assert "OPTIMAL" in text and "85.5%" in text
    assert "再生铜利用率" in plan.summary("zh")


def test_an_invalid_network_gives_an_error_plan_listing_the_problems() -> None:
    network = one_yard_two_centers(s2_modules=(CapacityModule("M200", -5.0, 2_000.0),))
    plan = solve(network, options())
    assert plan.status is PlanStatus.ERROR
    assert not plan.has_solution
    assert "error" in plan.message and "S2" in plan.message
