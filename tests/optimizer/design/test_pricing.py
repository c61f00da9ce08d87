"""Exact arc pricing: an LP over a few arcs, grown by reduced costs, reaches the full network's LP optimum."""

from __future__ import annotations

import time

import numpy as np
import pytest

from optimizer.design.formulation import Requirements, build_model
from optimizer.design.options import Objective
from optimizer.design.pricing import LpMatrix, PricedLp
from optimizer.design.pulp_access import constraint_table
from tests.optimizer.tiny_networks import one_yard_two_centers, random_cflp, random_network


def _restricted(matrix: LpMatrix, flow_cols: np.ndarray, tails: np.ndarray) -> np.ndarray:
    """Every non-arc column, each tail's first arc and every third arc (a deliberately poor restriction).

    Pricing starts from a feasible LP: each yard keeps one arc, so a must-collect model stays feasible.
    """
    active = np.ones(matrix.n_cols, dtype=bool)
    keep = np.zeros(flow_cols.size, dtype=bool)
    keep[::3] = True
    keep[np.unique(tails, return_index=True)[1]] = True
    active[flow_cols[~keep]] = False
    return active


def test_the_matrix_reads_the_problem_row_for_row() -> None:
    model = build_model(one_yard_two_centers())
    matrix = LpMatrix.from_problem(model.problem, [*model.flow, *model.module_open.values()])
    rows = list(constraint_table(model.problem).values())
    assert matrix.n_rows == len(rows)
    assert matrix.maximise  # profit
    # every non-zero of every row, at its column
    for r, row in enumerate(rows):
        cols = matrix.col[matrix.row == r]
        vals = matrix.value[matrix.row == r]
        expected = {matrix.column_of[id(v)]: a for v, a in row.items() if a != 0}
        assert dict(zip(cols.tolist(), vals.tolist(), strict=True)) == expected


def test_the_matrix_falls_back_when_the_given_variables_miss_one() -> None:
    model = build_model(one_yard_two_centers())
    matrix = LpMatrix.from_problem(model.problem, list(model.flow))  # no module variables
    assert matrix.n_cols == len(model.problem.variables())


@pytest.mark.parametrize(
    ("network", "objective", "requirements"),
    [
        (random_network(4, n_points=25, n_sites=8), Objective.PROFIT, Requirements()),
        (random_cflp(10, 60, 3.0), Objective.COST, Requirements(target_utilization=1.0)),
    ],
    ids=["profit", "cflp-cost"],
)
def test_pricing_reaches_the_full_lp_optimum_from_a_few_arcs(network, objective, requirements) -> None:
    model = build_model(network, requirements)
    model.set_objective(objective)
    matrix = LpMatrix.from_problem(model.problem)
    flow_cols = matrix.columns(model.flow)
    full = PricedLp(matrix, np.ones(matrix.n_cols, dtype=bool))
    assert full.run(30)
    priced = PricedLp(matrix, _restricted(matrix, flow_cols, model.arcs.tail))
    assert priced.price(time.monotonic() + 30)
    assert priced.objective() == pytest.approx(full.objective(), rel=1e-8, abs=1e-6)
    assert priced.active[flow_cols].sum() < len(model.flow)  # some arcs never had to enter
    # at the end no omitted arc prices out, and the reduced costs are HiGHS's own for the columns it has
    assert priced.attractive().size == 0
    y = np.asarray(priced.highs.getSolution().row_dual)
    rc = matrix.reduced_costs(y)
    col_dual = np.asarray(priced.highs.getSolution().col_dual)
    scale = max(1.0, float(np.abs(matrix.cost).max()))
    assert np.allclose(rc[np.asarray(priced.order)], col_dual, atol=1e-6 * scale)
    assert matrix.violation(priced.values()) < 1e-7
