"""The full-network Lagrangian bound of a restricted model holds for every arc, not only the model's.

On a tiny network whose restricted model (one site arc and one smelter arc per yard and grade) omits an
arc that the full optimum uses, the restricted model's best plan, and so any bound valid for its arcs
only, is below the full optimum; the bound evaluated over ``model.full`` is at or above it, at every
start and after the subgradient steps, for profit and cost.
"""

from __future__ import annotations

import numpy as np
import pytest

from optimizer.design.formulation import Requirements, Restriction, build_model
from optimizer.design.full_lagrangian import (
    Multipliers,
    arc_start,
    evaluate,
    full_network_bound,
    relaxation,
    stored_duals,
)
from optimizer.design.options import Objective
from optimizer.design.separation import separate_linking_rows
from optimizer.design.solvers import SolverSettings, run_solver
from tests.optimizer.tiny_networks import random_network

TIGHT = Restriction(sites=1, smelters=1, min_arcs=0)
EXACT = SolverSettings(time_limit_s=30.0, mip_gap=1e-9)


def _pair(seed: int, objective: Objective, requirements: Requirements):  # type: ignore[no-untyped-def]
    network = random_network(seed, n_points=12, n_sites=6)
    full = build_model(network, requirements)
    small = build_model(network, requirements, restrict=TIGHT)
    for m in (full, small):
        m.set_objective(objective)
    return full, small


def test_profit_bound_covers_an_optimum_that_uses_omitted_arcs() -> None:
    full, small = _pair(0, Objective.PROFIT, Requirements())
    best_full = run_solver(full.problem, EXACT)
    best_small = run_solver(small.problem, EXACT)
    assert small.full is not None
    # the full optimum carries flow on arcs the restricted model does not hold
    assert ((full.flow_values() > 1e-6) & ~small.full.in_model).any()
    # so the restricted model's optimum (the tightest bound valid for its arcs alone) is below it:
    # reporting a restricted-only bound would claim a gap the full network does not have
    assert best_small.objective < best_full.objective - 1e6
    r = relaxation(small)
    assert r is not None
    for share in (1.0, 0.5, 0.0):
        bound, _ = evaluate(r, arc_start(r, share))
        assert bound >= best_full.objective - 1e-6 * abs(best_full.objective)
    result = full_network_bound(small, 0.5, incumbent=best_small.objective)
    assert result is not None and not result.from_duals
    assert best_full.objective - 1e-6 * abs(best_full.objective) <= result.bound
    # and it is close: the subgradient from the arc start reaches the optimum within 0.01 %
    assert result.bound <= best_full.objective * (1 + 1e-4)


def test_any_multipliers_give_a_valid_bound() -> None:
    full, small = _pair(11, Objective.PROFIT, Requirements())
    best_full = run_solver(full.problem, EXACT).objective
    r = relaxation(small)
    assert r is not None
    rng = np.random.default_rng(3)
    start = arc_start(r)
    for _ in range(20):
        noisy = Multipliers(
            start.supply * rng.uniform(0, 2, start.supply.shape),
            start.balance + rng.normal(0, 500, start.balance.shape),
            rng.uniform(0, 800, start.smelter.shape),
            -rng.uniform(0, 100, start.blend.shape),
            rng.normal(0, 1, start.scalar.shape),
        )
        bound, _ = evaluate(r, noisy)
        assert bound >= best_full - 1e-6 * abs(best_full)


def test_cost_bound_is_a_lower_bound_with_a_target() -> None:
    req = Requirements(target_utilization=0.3)
    full, small = _pair(5, Objective.COST, req)
    best_full = run_solver(full.problem, EXACT).objective
    result = full_network_bound(small, 0.5)
    assert result is not None
    assert result.bound <= best_full + 1e-6 * abs(best_full)


def test_lp_duals_start_is_used_and_valid() -> None:
    full, small = _pair(0, Objective.PROFIT, Requirements())
    best_full = run_solver(full.problem, EXACT).objective
    flows, opens, bound = small.linking_candidates()
    # an LP of the restricted model leaves its duals in the rows (pricing may add arcs meanwhile)
    separate_linking_rows(small.problem, flows, opens, bound, EXACT, model=small)
    r = relaxation(small)
    assert r is not None
    if stored_duals(small, r) is None:
        pytest.fail("the priced LP stored no duals")
    result = full_network_bound(small, 0.5, incumbent=best_full)
    assert result is not None
    assert result.bound >= best_full - 1e-6 * abs(best_full)


def test_elastic_models_and_full_models_are_left_alone() -> None:
    network = random_network(0, n_points=12, n_sites=6)
    assert relaxation(build_model(network, Requirements())) is None  # not restricted
    elastic = build_model(
        network,
        Requirements(target_utilization=0.5, elastic=frozenset({"utilization_target"})),
        restrict=TIGHT,
    )
    elastic.set_objective(Objective.COST)
    assert full_network_bound(elastic, 0.1) is None


def test_solve_on_a_restricted_model_reports_a_bound_for_the_full_network(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Through ``solve()``: a network restricted to one site and one smelter arc per yard and grade
    (the threshold lowered so that a tiny network is restricted) gets a bound at or above the full
    optimum, and a plan no better than it."""
    import optimizer.design.solve as solve_module
    from optimizer.design.options import SolveOptions

    monkeypatch.setattr(solve_module, "Restriction", lambda: TIGHT)
    network = random_network(0, n_points=12, n_sites=6)
    full = build_model(network, Requirements())
    full.set_objective(Objective.PROFIT)
    optimum = run_solver(full.problem, EXACT).objective
    plan = solve_module.solve(network, SolveOptions(time_limit_s=20.0))
    assert plan.objective is not None and plan.best_bound is not None
    assert plan.objective <= optimum * (1 + 1e-7)
    assert plan.best_bound >= optimum * (1 - 1e-7)
