"""The site Lagrangian: a valid bound at any multipliers, the hand-derived optimum at the right ones."""

from __future__ import annotations

import numpy as np
import pytest

from optimizer.design.formulation import NetworkDesignModel, Requirements, build_model
from optimizer.design.options import Objective
from optimizer.design.pricing import LpMatrix, PricedLp
from optimizer.design.pulp_access import constraint_table
from optimizer.design.site_lagrangian import (
    evaluate,
    rows_named,
    site_fixing,
    site_structure,
    subgradient,
)
from optimizer.design.solvers import SolveOutcome, SolverSettings, run_solver
from tests.optimizer.tiny_networks import one_yard_two_centers, random_network


def _matrix(model: NetworkDesignModel) -> LpMatrix:
    return LpMatrix.from_problem(
        model.problem, [*model.flow, *model.module_open.values(), *model.slacks.values()]
    )


def _optimum(model: NetworkDesignModel) -> float:
    result = run_solver(model.problem, SolverSettings(mip_gap=1e-9, time_limit_s=60))
    assert result.outcome is SolveOutcome.OPTIMAL and result.objective is not None
    return result.objective


def _lp_duals(matrix: LpMatrix) -> np.ndarray:
    lp = PricedLp(matrix, np.ones(matrix.n_cols, dtype=bool))
    assert lp.run(30)
    return lp.row_duals()


def _row(model: NetworkDesignModel, name: str) -> int:
    pulp_name = model.constraints[name].name
    return list(constraint_table(model.problem)).index(pulp_name)


def test_on_the_one_yard_network_the_bound_at_hand_chosen_multipliers_is_the_optimum() -> None:
    # a tonne of P1's grade A is worth 311 CNY (supply row), S1's and S2's output 480 (500 revenue less
    # the 20 km to M1): through S1 it earns 480 - 100 - 10 - 10 - 311 = 49 a tonne, 100 t pay S1's 4,900;
    # through S2 480 - 100 - 45 - 10 - 311 = 14, 1,400 < 2,000: closed. Bound 311 x 100 = 31,100, the
    # optimum (one_yard_two_centers: S1 = 100 x (500 - 140) - 4,900)
    model = build_model(one_yard_two_centers())
    matrix = _matrix(model)
    structure = site_structure(model, matrix)
    assert structure is not None
    y = np.zeros(matrix.n_rows)
    y[_row(model, "supply[P1,A]")] = 311.0
    y[_row(model, "balance[S1,A]")] = 480.0
    y[_row(model, "balance[S2,A]")] = 480.0
    at = evaluate(structure, y)
    assert at.bound == pytest.approx(31_100.0)
    assert _optimum(model) == pytest.approx(31_100.0)
    # opening S2 would cost 600 of the bound: every plan as good as 31,100 keeps it closed
    closed, opened = site_fixing(structure, at, 31_100.0)
    assert [model.sites[j].id for j in closed.tolist()] == ["S2"]
    assert opened.size == 0


@pytest.mark.parametrize("seed", [3, 7, 12, 21])
def test_every_bound_is_at_least_the_profit_optimum(seed: int) -> None:
    model = build_model(random_network(seed, n_points=20, n_sites=6))
    optimum = _optimum(model)
    matrix = _matrix(model)
    structure = site_structure(model, matrix)
    assert structure is not None
    tolerance = 1e-7 * max(1.0, abs(optimum))
    assert evaluate(structure, np.zeros(matrix.n_rows)).bound >= optimum - tolerance
    duals = _lp_duals(matrix)
    start = evaluate(structure, duals).bound
    assert start >= optimum - tolerance
    result = subgradient(structure, duals, optimum, 2.0, moving=rows_named(model, ("supply[",)))
    assert optimum - tolerance <= result.bound <= start + tolerance
    # no site that the fixing closes is open in the optimum
    closed, opened = site_fixing(structure, result.best, optimum * (1 - 1e-6))
    run_solver(model.problem, SolverSettings(mip_gap=1e-9, time_limit_s=60))
    running = set(model.open_modules())
    assert not {model.sites[j].id for j in closed.tolist()} & running
    assert {model.sites[j].id for j in opened.tolist()} <= running


@pytest.mark.parametrize("seed", [3, 4, 9])
def test_a_minimisation_bound_is_at_most_the_least_cost(seed: int) -> None:
    model = build_model(random_network(seed, n_points=20, n_sites=6), Requirements(target_utilization=0.1))
    model.set_objective(Objective.COST)
    optimum = _optimum(model)
    matrix = _matrix(model)
    structure = site_structure(model, matrix)
    assert structure is not None
    duals = -_lp_duals(matrix)  # the maximisation form of a minimisation: HiGHS's duals change sign
    start = evaluate(structure, duals).bound
    result = subgradient(structure, duals, optimum, 2.0)
    assert result.bound <= start + 1e-7 * max(1.0, abs(optimum))
    assert result.bound <= optimum + 1e-7 * max(1.0, abs(optimum))


def test_an_elastic_model_is_left_alone() -> None:
    # priced slacks have no bound of their own: the relaxation would be unbounded, so it does not apply
    model = build_model(
        random_network(3, n_points=20, n_sites=6),
        Requirements(target_utilization=0.5, elastic=frozenset({"utilization_target"})),
    )
    assert model.slacks
    assert site_structure(model, _matrix(model)) is None
