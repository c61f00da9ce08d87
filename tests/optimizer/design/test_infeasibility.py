"""Infeasible requirements come back as a plan that says which requirement falls short and by how much."""

from __future__ import annotations

import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.plan import PlanStatus, Shortfall
from optimizer.design.solve import solve
from optimizer.model import CapacityModule, SiteStatus
from tests.optimizer.tiny_networks import dismantling_chain, one_yard_two_centers, three_small_centers


def options(**kw: object) -> SolveOptions:
    return SolveOptions(mip_gap=0.0, time_limit_s=30.0, **kw)  # type: ignore[arg-type]


def by_requirement(shortfalls: tuple[Shortfall, ...]) -> dict[str, Shortfall]:
    return {s.requirement: s for s in shortfalls}


def test_a_target_above_smelter_capacity_names_the_capacity_shortfall() -> None:
    """The smelter takes 40 t (20 t Cu of 50): 40 % is the best reachable; 60 % needs 20 t more intake."""
    plan = solve(
        one_yard_two_centers(smelter_capacity_t=40.0), options(objective="cost", target_utilization=0.6)
    )
    assert plan.status is PlanStatus.INFEASIBLE
    assert not plan.has_solution
    found = by_requirement(plan.infeasibility)
    target = found["utilization_target"]
    assert target.required == pytest.approx(0.6)
    assert target.achievable == pytest.approx(0.4)
    capacity = found["smelter_capacity"]
    assert capacity.shortfall == pytest.approx(20.0, rel=1e-6)
    assert capacity.subject_id == "M1"
    assert capacity.message == (
        "smelter intake capacity is 20 t short of the 60.0% target; best reachable is 40.0% (M1 20 t)"
    )
    assert set(found) == {"utilization_target", "smelter_capacity"}
    assert "best reachable is 40.0%" in plan.message


def test_a_budget_below_the_fixed_cost_of_existing_sites_is_reported() -> None:
    network = one_yard_two_centers(
        s2_status=SiteStatus.EXISTING, s2_modules=(CapacityModule("current", 50.0, 1_000.0),)
    )
    plan = solve(network, options(budget_cny=400.0))
    assert plan.status is PlanStatus.INFEASIBLE
    budget = by_requirement(plan.infeasibility)["budget"]
    assert budget.shortfall == pytest.approx(600.0, rel=1e-6)
    assert budget.message == (
        "the annual budget of 400 CNY is 600 CNY short of what any plan must spend, even without a target"
    )


def test_copper_lost_in_residue_is_reported_as_unreachable() -> None:
    """The chain delivers at most 85.5 % (14.5 t Cu stays in residue): 100 % cannot be reached at all."""
    plan = solve(dismantling_chain(), options(objective="cost", target_utilization=1.0))
    assert plan.status is PlanStatus.INFEASIBLE
    found = by_requirement(plan.infeasibility)
    assert found["utilization_target"].achievable == pytest.approx(0.855)
    assert found["reachability"].shortfall == pytest.approx(14.5, rel=1e-6)
    assert set(found) == {"utilization_target", "reachability"}


def test_a_limit_on_new_sites_is_named_when_one_more_site_is_the_smallest_relaxation() -> None:
    plan = solve(three_small_centers(max_new_sites=2), options(objective="cost", target_utilization=1.0))
    assert plan.status is PlanStatus.INFEASIBLE
    found = by_requirement(plan.infeasibility)
    assert found["utilization_target"].achievable == pytest.approx(0.68)
    assert found["max_new_sites"].shortfall == pytest.approx(1.0, rel=1e-6)
    assert set(found) == {"utilization_target", "max_new_sites"}


def test_a_reachable_target_is_not_explained() -> None:
    plan = solve(three_small_centers(max_new_sites=3), options(objective="cost", target_utilization=1.0))
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.infeasibility == ()


def test_a_binding_budget_is_named_with_the_least_budget_that_reaches_the_target(teaching_network) -> None:
    """Teaching at a 90 % target with a budget of 1 M CNY: the slack solve's way out relaxes two smelters'
    blend minimums, but the budget binds too (without it 90 % is reachable). It must be named, with the
    least budget that reaches the target; that figure is checked by solving at it and just below it."""
    plan = solve(teaching_network, options(objective="cost", target_utilization=0.9, budget_cny=1_000_000.0))
    assert plan.status is PlanStatus.INFEASIBLE
    budget = by_requirement(plan.infeasibility)["budget"]
    assert "the annual budget of 1.00 M CNY is binding" in budget.message
    assert budget.achievable == 1_000_000.0 and budget.required > 1_000_000.0

    def at(budget_cny: float) -> PlanStatus:
        at_90 = options(objective="cost", target_utilization=0.9, budget_cny=budget_cny)
        return solve(teaching_network, at_90).status

    assert at(budget.required) is PlanStatus.OPTIMAL
    assert at(0.995 * budget.required) is PlanStatus.INFEASIBLE
