"""The Lagrangian bound for facility location, and the sites fixed against it.

The two-customer network (``two_customers_two_facilities``): customers C1 and C2 with 10 t each,
facilities A and B with 15 t of capacity and a fixed cost of 100 each, per-tonne costs C1->A 1, C1->B 3,
C2->A 2, C2->B 1. 20 t need both facilities (15 t each), so the optimum opens both and sends each
customer to its cheaper one: 200 + 10 x 1 + 10 x 1 = 220. The LP relaxation opens 2/3 of each and
costs about 163; the knapsack over the facilities in the Lagrangian bound knows that 2/3 of a facility
cannot be built.

Hand-computed bounds, with multipliers (l1, l2) on the two supply rows and reduced costs c - l:
- (3, 3): A takes C1 (-2 x 10) and 5 t of C2 (-1 x 5) within its 15 t: v_A = 100 - 25 = 75; B takes C2
  (-2 x 10): v_B = 80; both must open: L = 10 x 3 + 10 x 3 + 75 + 80 = 215.
- (3, 2): A takes C1 (-20), C2's reduced cost is 0: v_A = 80; B takes C2 (-1 x 10): v_B = 90;
  L = 30 + 20 + 170 = 220, the optimum: the bound proves it.
"""

from __future__ import annotations

import numpy as np
import pulp
import pytest

from optimizer.design import facility, lagrangian
from optimizer.design.formulation import Requirements, build_model
from optimizer.design.options import Objective, SolveOptions
from optimizer.design.plan import PlanStatus
from optimizer.design.solve import solve
from optimizer.design.solvers import SolveOutcome, SolverSettings, run_solver
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    DistanceOverride,
    Grade,
    Network,
    Parameters,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    YieldEntry,
)
from tests.optimizer.tiny_networks import random_cflp


@pytest.fixture(autouse=True)
def _facility_path_on_small_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """solve() takes the facility path from 5,000 arcs on; these networks are small enough to check by
    hand or by a plain full solve, so the threshold is lifted for them."""
    monkeypatch.setattr(facility, "MIN_ARCS", 0)


def two_customers_two_facilities() -> Network:
    """The network of the module docstring (optimum 220: both facilities, each customer to its cheaper)."""
    points = tuple(
        CollectionPoint(cid, cid, 0.0, 0.0, supplies=(Supply("G", 10.0, 0.0),)) for cid in ("C1", "C2")
    )
    sites = tuple(
        ProcessingSite(
            sid,
            sid,
            SiteKind.SORTING,
            0.0,
            0.0,
            status=SiteStatus.CANDIDATE,
            modules=(CapacityModule("M", 15.0, 100.0),),
            yields=(YieldEntry("G", "G", 1.0),),
        )
        for sid in ("A", "B")
    )
    sink = Smelter("X", "sink", 60.0, 100.0, capacity_t_per_year=20.0, accepted_grade_ids=("G",))
    cost = {("C1", "A"): 1.0, ("C1", "B"): 3.0, ("C2", "A"): 2.0, ("C2", "B"): 1.0}
    distances = tuple(DistanceOverride(c, s, 0.0, v) for (c, s), v in cost.items())
    params = Parameters(
        transport_cost_cny_per_t_km=0.0,
        co2_kg_per_t_km=0.0,
        max_haul_km_collection=1.0,
        target_utilization=1.0,
    )
    grades = (Grade("G", "scrap", "废料", 1.0),)
    return Network("two customers", grades, points, sites, (sink,), (), params, distances)


def _cost_model(network: Network, linking: str = "auto") -> lagrangian.NetworkDesignModel:
    model = build_model(network, Requirements(target_utilization=1.0, linking=linking))
    model.set_objective(Objective.COST)
    return model


def _relaxation(network: Network) -> lagrangian.FacilityRelaxation:
    rel = lagrangian.facility_relaxation(_cost_model(network))
    assert rel is not None
    return rel


def _multipliers(rel: lagrangian.FacilityRelaxation, by_row: dict[str, float]) -> np.ndarray:
    return np.array([by_row[name] for name in rel.row_names])


def _lp_and_milp(network: Network) -> tuple[float, float]:
    """(LP relaxation's optimum, MILP optimum) of the full model with every linking row."""
    model = _cost_model(network, linking="all")
    milp = run_solver(model.problem, SolverSettings(mip_gap=1e-9, time_limit_s=60))
    assert milp.outcome is SolveOutcome.OPTIMAL and milp.objective is not None
    for var in model.module_open.values():
        var.cat = pulp.LpContinuous
    lp = run_solver(model.problem, SolverSettings(time_limit_s=60))
    assert lp.objective is not None
    return lp.objective, milp.objective


def test_the_relaxation_of_the_two_customer_network_holds_its_arcs_costs_and_capacities() -> None:
    rel = _relaxation(two_customers_two_facilities())
    assert rel.row_names == ("supply[C1,G]", "supply[C2,G]")
    assert rel.demand == pytest.approx(20.0)
    assert sorted(rel.arc_cost.tolist()) == [1.0, 1.0, 2.0, 3.0]
    assert rel.option_cap.tolist() == [15.0, 15.0]
    assert rel.option_fixed.tolist() == [100.0, 100.0]


@pytest.mark.parametrize(
    ("multipliers", "expected"),
    [
        ({"supply[C1,G]": 3.0, "supply[C2,G]": 3.0}, 215.0),
        ({"supply[C1,G]": 3.0, "supply[C2,G]": 2.0}, 220.0),
    ],
)
def test_the_bound_at_given_multipliers_is_the_hand_computed_one(
    multipliers: dict[str, float], expected: float
) -> None:
    rel = _relaxation(two_customers_two_facilities())
    assert lagrangian.bound_at(rel, _multipliers(rel, multipliers)) == pytest.approx(expected)


def test_the_subgradient_method_reaches_the_optimum_where_the_lp_stays_far_below() -> None:
    network = two_customers_two_facilities()
    lp, optimum = _lp_and_milp(network)
    assert optimum == pytest.approx(220.0)
    assert lp < 0.8 * optimum  # about 163: the LP opens two thirds of each facility
    rel = _relaxation(network)
    result = lagrangian.lagrangian_bound(rel, lagrangian.multipliers_from_duals(rel, None), None, 10.0)
    assert result.bound <= optimum + 1e-6
    assert result.bound == pytest.approx(optimum, rel=1e-4)
    assert result.upper == pytest.approx(optimum)  # the greedy plan on both facilities is the optimum


def test_against_the_optimum_both_facilities_are_fixed_open() -> None:
    # closing either leaves 15 t of capacity for 20 t: the knapsack has no solution, the bound is infinite
    rel = _relaxation(two_customers_two_facilities())
    fixing = lagrangian.fix_sites(rel, _multipliers(rel, {"supply[C1,G]": 3.0, "supply[C2,G]": 2.0}), 220.0)
    assert fixing.closed.tolist() == []
    assert sorted(fixing.opened.tolist()) == [0, 1]


def test_solve_proves_the_two_customer_optimum() -> None:
    plan = solve(two_customers_two_facilities(), SolveOptions(objective=Objective.COST, time_limit_s=30))
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective == pytest.approx(220.0)
    assert plan.best_bound is not None and plan.best_bound <= 220.0 + 1e-6


@pytest.mark.parametrize("seed", [1, 3])
def test_fixing_never_closes_a_site_of_the_optimum(seed: int) -> None:
    network = random_cflp(12, 60, 2.0, seed=seed)
    model = _cost_model(network, linking="all")
    full = run_solver(model.problem, SolverSettings(mip_gap=1e-9, time_limit_s=60))
    assert full.outcome is SolveOutcome.OPTIMAL and full.objective is not None
    used = {sid for (sid, _), var in model.module_open.items() if (var.varValue or 0.0) > 0.5}
    rel = _relaxation(network)
    result = lagrangian.lagrangian_bound(rel, lagrangian.multipliers_from_duals(rel, None), None, 5.0)
    assert result.bound <= full.objective * (1 + 1e-9)
    fixing = lagrangian.fix_sites(rel, result.multipliers, full.objective)
    closed = {model.sites[j].id for j in fixing.closed.tolist()}
    opened = {model.sites[j].id for j in fixing.opened.tolist()}
    assert not closed & used
    assert opened <= used


@pytest.mark.parametrize("seed", [1, 3])
def test_solve_through_the_fixed_model_ends_at_the_full_models_optimum(seed: int) -> None:
    network = random_cflp(12, 60, 2.0, seed=seed)
    _, optimum = _lp_and_milp(network)
    plan = solve(network, SolveOptions(objective=Objective.COST, time_limit_s=60, mip_gap=1e-9))
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective == pytest.approx(optimum, rel=1e-7)
    assert plan.best_bound is not None and plan.best_bound <= optimum * (1 + 1e-7)


def test_a_capa_like_instance_is_proven_where_the_lp_bound_is_weak() -> None:
    # tight capacities (1.3x the demand over 10 facilities): the LP relaxation lies percents below
    network = random_cflp(10, 80, 1.3, seed=11)
    lp, optimum = _lp_and_milp(network)
    assert (optimum - lp) / optimum > 0.005
    rel = _relaxation(network)
    result = lagrangian.lagrangian_bound(rel, lagrangian.multipliers_from_duals(rel, None), None, 5.0)
    assert lp < result.bound <= optimum * (1 + 1e-9)
    plan = solve(network, SolveOptions(objective=Objective.COST, time_limit_s=60, mip_gap=1e-7))
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective == pytest.approx(optimum, rel=1e-7)


def test_a_profit_model_has_no_facility_relaxation() -> None:
    model = build_model(random_cflp(5, 20, 2.0))
    assert lagrangian.facility_relaxation(model) is None  # profit objective: not facility location
