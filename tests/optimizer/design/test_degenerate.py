"""Networks with nothing to decide end as a plan that says why, never as a solver failure."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer.design.degenerate import trivial_incumbent
from optimizer.design.options import Objective, SolveOptions, SolverName
from optimizer.design.plan import PlanStatus
from optimizer.design.solve import solve, solve_pareto
from optimizer.model import (
    CollectionPoint,
    DistanceOverride,
    Grade,
    Network,
    Parameters,
    Smelter,
    Supply,
)
from tests.optimizer.tiny_networks import one_yard_two_centers, random_network

SOLVERS = (SolverName.HIGHS, SolverName.CBC)
OBJECTIVES = (Objective.PROFIT, Objective.UTILIZATION)


def yard_just_out_of_reach() -> Network:
    """One yard CP-1 (100 t of grade A) whose only smelter M-1 is 30.05 km away, with a 30 km limit.

    Every arc is beyond the haul limit: the model has no flow column at all (HiGHS used to end with
    "the solver failed: Empty").
    """
    grades = (Grade("A", "grade A", "A级", 0.5),)
    points = (CollectionPoint("CP-1", "yard 1", 30.0, 120.0, "Zhejiang", (Supply("A", 100.0, 100.0),)),)
    smelters = (Smelter("M-1", "smelter", 30.2, 120.0, "Anhui", 1_000.0, ("A",), 0.0),)
    params = Parameters(
        copper_price_cny_per_t=1_000.0,
        transport_cost_cny_per_t_km=1.0,
        co2_kg_per_t_km=0.0,
        max_haul_km_collection=30.0,
    )
    distances = (DistanceOverride("CP-1", "M-1", 30.05),)
    return Network("out of reach", grades, points, (), smelters, (), params, distances)


def no_supply() -> Network:
    """The one-yard network with every supply at 0 t/yr (valid, but nothing to collect)."""
    base = one_yard_two_centers()
    points = tuple(
        dataclasses.replace(
            p, supplies=tuple(dataclasses.replace(s, supply_t_per_year=0.0) for s in p.supplies)
        )
        for p in base.collection_points
    )
    return base.replace(collection_points=points)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("objective", OBJECTIVES)
def test_every_arc_beyond_the_haul_limit_gives_a_plan_that_names_the_nearest_pair(
    solver: SolverName, objective: Objective
) -> None:
    plan = solve(yard_just_out_of_reach(), SolveOptions(objective=objective, solver=solver))
    assert plan.status is PlanStatus.OPTIMAL, plan.message
    assert plan.message.startswith("nothing to decide: no collection point can reach any site or smelter")
    assert "the nearest pair is CP-1 -> M-1 at 30.05 km > 30 km" in plan.message
    assert plan.kpis is not None and plan.kpis.collected_t == 0.0 and plan.kpis.utilization == 0.0


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_target_on_an_unreachable_network_is_infeasible_with_the_reason(solver: SolverName) -> None:
    options = SolveOptions(objective=Objective.COST, target_utilization=0.5, solver=solver)
    plan = solve(yard_just_out_of_reach(), options)
    assert plan.status is PlanStatus.INFEASIBLE
    assert "nothing can be collected" in plan.message and "30.05 km > 30 km" in plan.message


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("objective", OBJECTIVES)
def test_zero_supply_everywhere_is_a_plan_not_an_error(solver: SolverName, objective: Objective) -> None:
    plan = solve(no_supply(), SolveOptions(objective=objective, solver=solver))
    assert plan.status is PlanStatus.OPTIMAL, plan.message
    assert "every collection point's supply is 0 t/yr" in plan.message
    # nothing is collected and no candidate opens: the plan costs nothing
    assert plan.kpis is not None and plan.kpis.total_cost_cny == 0.0 and plan.kpis.sites_open == 0


def test_a_sweep_of_a_network_without_supply_has_one_plan_saying_why() -> None:
    sweep = solve_pareto(no_supply(), SolveOptions(), 3)
    assert sweep.status is PlanStatus.OPTIMAL
    assert len(sweep.plans) == 1 and "supply is 0 t/yr" in sweep.message


def test_cbc_utilization_on_a_small_network_without_arcs_is_not_a_solver_failure() -> None:
    """Random network 43 (3 yards, 2 sites, 1 smelter, 30 km limits) has site columns but no flow arc:
    CBC's least-cost second stage used to end "Current model not valid"."""
    net = random_network(43, n_points=3, n_sites=2, n_grades=2, n_smelters=1, spread_deg=1.5)
    net = net.replace(
        parameters=dataclasses.replace(net.parameters, max_haul_km_collection=30.0, max_haul_km_delivery=30.0)
    )
    plan = solve(net, SolveOptions(objective=Objective.UTILIZATION, solver=SolverName.CBC))
    assert plan.status is PlanStatus.OPTIMAL, plan.message
    assert plan.message.startswith("nothing to decide")
    assert plan.kpis is not None and plan.kpis.fixed_cost_cny == 0.0  # no candidate opens for nothing


def test_a_stop_with_only_the_trivial_plan_says_so_and_what_to_try() -> None:
    said = trivial_incumbent(PlanStatus.FEASIBLE, 120.0, None)
    assert said is not None
    text = said.render("en")
    assert text.startswith(
        "stopped at the time limit (120 s) with only the trivial plan, which collects nothing"
    )
    assert "--time-limit" in text and "--k-nearest 10" in text
    assert "(--k-nearest 15)" in str(trivial_incumbent(PlanStatus.CANCELLED, 60.0, 30))
    assert trivial_incumbent(PlanStatus.OPTIMAL, 120.0, None) is None  # proven best: nothing to add


def test_the_reasons_read_in_chinese() -> None:
    """The plan carries its message as a catalogue message (plan.*), rendered in Chinese without any
    matching of English text."""
    plan = solve(yard_just_out_of_reach(), SolveOptions())
    assert plan.status_message.code == "plan.nothing_to_decide"
    zh = plan.status_message.render("zh")
    assert zh.startswith("无可决策：没有回收点能在运距限制内到达任何站点或冶炼厂")
    assert "最近的一对是 CP-1 -> M-1，30.05 公里 > 30 公里（收集运距限制）" in zh
    at_half = SolveOptions(objective=Objective.COST, target_utilization=0.5)
    infeasible = solve(yard_just_out_of_reach(), at_half)
    assert infeasible.status_message.render("zh").startswith("不可行：无法回收任何废料：没有回收点能")
    trivial = trivial_incumbent(PlanStatus.FEASIBLE, 120.0, None)
    assert trivial is not None
    assert trivial.render("zh").startswith("在时间限制（120 秒）处停止，此时只有平凡方案")
