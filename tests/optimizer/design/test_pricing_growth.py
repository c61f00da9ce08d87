"""A matrix grown by appended columns is the matrix a fresh read gives, and an LP grown with it solves alike.

A restricted model's arcs priced in from ``model.full`` join the PuLP problem after its matrix was read
(:meth:`NetworkDesignModel.add_arcs`); :meth:`LpMatrix.with_columns` appends their columns instead of
reading the problem again and :meth:`PricedLp.grow` takes the wider matrix. These tests check on small
random networks, solved by HiGHS, that the appended columns are exactly the ones
:meth:`LpMatrix.from_problem` reads after the same arcs joined, and that an LP grown so reaches the
optimum of an LP built fresh over the grown matrix.
"""

from __future__ import annotations

import time

import numpy as np
import pulp
import pytest

from optimizer.design.formulation import NetworkDesignModel, Requirements, Restriction, build_model
from optimizer.design.options import Objective
from optimizer.design.pricing import LpMatrix, PricedLp
from optimizer.design.pulp_access import constraint_table
from tests.optimizer.tiny_networks import random_network

#: One site arc and one smelter arc per yard and grade: most collection arcs are omitted.
TIGHT = Restriction(sites=1, smelters=1, min_arcs=0)

#: Linking rows separated (as on national5): arcs that join add no rows, only columns.
CASES = [
    (3, Objective.PROFIT, Requirements(linking="separate")),
    (5, Objective.COST, Requirements(target_utilization=0.3, linking="separate")),
    (8, Objective.UTILIZATION, Requirements(budget_cny=2e6, linking="separate")),
]
IDS = ["profit", "cost-target", "utilization-budget"]


def _restricted(seed: int, objective: Objective, requirements: Requirements) -> NetworkDesignModel:
    model = build_model(random_network(seed, n_points=12, n_sites=6), requirements, restrict=TIGHT)
    model.set_objective(objective)
    assert model.full is not None and not model.full.in_model.all()
    return model


def _variables(model: NetworkDesignModel) -> list[pulp.LpVariable]:
    return [*model.flow, *model.module_open.values(), *model.slacks.values()]


def _dense(m: LpMatrix) -> np.ndarray:
    a = np.zeros((m.n_rows, m.n_cols))
    np.add.at(a, (m.row, m.col), m.value)
    return a


def _grown(model: NetworkDesignModel, ids: np.ndarray) -> tuple[LpMatrix, LpMatrix, LpMatrix]:
    """(matrix before, matrix with the arcs ``ids`` appended, fresh read after they joined the model);
    the fresh read lists the variables in the grown matrix's order."""
    before = LpMatrix.from_problem(model.problem, _variables(model))
    first = len(model.flow)
    assert model.add_arcs(ids) == ids.size
    row_of = {id(c): r for r, c in enumerate(constraint_table(model.problem).values())}
    assert len(row_of) == before.n_rows  # the new arcs brought no row
    entries = [
        [(row_of[id(c)], coef) for c, coef in model.arc_column(k)] for k in range(first, len(model.flow))
    ]
    grown = before.with_columns(model.flow[first:], model.arc_objective()[first:], entries)
    fresh = LpMatrix.from_problem(model.problem, [*before.variables, *model.flow[first:]])
    return before, grown, fresh


def _omitted_sample(model: NetworkDesignModel, seed: int) -> np.ndarray:
    assert model.full is not None
    omitted = np.flatnonzero(~model.full.in_model)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(omitted, size=max(1, omitted.size // 2), replace=False))


@pytest.mark.parametrize(("seed", "objective", "requirements"), CASES, ids=IDS)
def test_appended_columns_are_the_fresh_reads(
    seed: int, objective: Objective, requirements: Requirements
) -> None:
    model = _restricted(seed, objective, requirements)
    before, grown, fresh = _grown(model, _omitted_sample(model, seed))
    assert grown.n_cols == fresh.n_cols > before.n_cols
    assert grown.n_rows == fresh.n_rows == before.n_rows
    assert grown.variables == fresh.variables
    assert grown.column_of == fresh.column_of
    assert (grown.maximise, grown.offset) == (fresh.maximise, fresh.offset)
    # costs, bounds, integrality and the row bounds, column for column
    assert np.allclose(grown.cost, fresh.cost, rtol=1e-12, atol=1e-9)
    assert np.array_equal(grown.lower, fresh.lower)
    assert np.array_equal(grown.upper, fresh.upper)
    assert np.array_equal(grown.integer, fresh.integer)
    assert np.array_equal(grown.row_lower, fresh.row_lower)
    assert np.array_equal(grown.row_upper, fresh.row_upper)
    # every entry of every column (the old ones untouched, the new ones as the problem now holds them)
    assert np.allclose(_dense(grown), _dense(fresh), rtol=1e-12, atol=0.0)
    assert np.array_equal(_dense(grown)[:, : before.n_cols], _dense(before))
    assert np.array_equal(grown.col_start, fresh.col_start)
    # the column-major layout colwise() relies on: column k's entries at col_start[k]:col_start[k+1]
    assert np.array_equal(grown.col, np.repeat(np.arange(grown.n_cols), np.diff(grown.col_start)))
    # and the original matrix is left as it was (a frozen matrix: grow() may still hold it)
    assert before.n_cols == len(before.cost) == before.col_start.size - 1


def test_appending_no_columns_changes_nothing() -> None:
    model = _restricted(*CASES[0])
    m = LpMatrix.from_problem(model.problem, _variables(model))
    same = m.with_columns([], np.zeros(0), [])
    assert same.n_cols == m.n_cols and np.array_equal(_dense(same), _dense(m))
    assert np.array_equal(same.col_start, m.col_start)


@pytest.mark.parametrize(("seed", "objective", "requirements"), CASES, ids=IDS)
def test_a_grown_lp_has_the_fresh_lps_optimum(
    seed: int, objective: Objective, requirements: Requirements
) -> None:
    model = _restricted(seed, objective, requirements)
    assert model.full is not None
    before, grown, _ = _grown(model, np.flatnonzero(~model.full.in_model))  # every omitted arc joins
    lp = PricedLp(before, np.ones(before.n_cols, dtype=bool))
    assert lp.run(30)
    lp.grow(grown)
    new = np.arange(before.n_cols, grown.n_cols)
    # the new columns wait outside the LP, at value 0, until add_columns brings them in
    assert not lp.active[new].any() and (lp.position[new] == -1).all()
    assert lp.values().size == grown.n_cols and (lp.values()[new] == 0).all()
    lp.add_columns(new)
    assert lp.active.all()
    assert lp.run(30, primal=True)
    fresh = PricedLp(grown, np.ones(grown.n_cols, dtype=bool))
    assert fresh.run(30)
    assert lp.objective() == pytest.approx(fresh.objective(), rel=1e-9, abs=1e-6)
    assert grown.violation(lp.values()) < 1e-7
    # with every arc a column, that is the LP relaxation of the full model (same rows: linking separated)
    whole = build_model(random_network(seed, n_points=12, n_sites=6), requirements)
    whole.set_objective(objective)
    wm = LpMatrix.from_problem(whole.problem, _variables(whole))
    wlp = PricedLp(wm, np.ones(wm.n_cols, dtype=bool))
    assert wlp.run(30)
    assert lp.objective() == pytest.approx(wlp.objective(), rel=1e-9, abs=1e-6)


@pytest.mark.parametrize(("seed", "objective", "requirements"), CASES, ids=IDS)
def test_pricing_after_growth_brings_in_the_new_columns_it_needs(
    seed: int, objective: Objective, requirements: Requirements
) -> None:
    """Grown without add_columns, ``price(primal=True)`` picks the improving new columns itself."""
    model = _restricted(seed, objective, requirements)
    assert model.full is not None
    before, grown, _ = _grown(model, np.flatnonzero(~model.full.in_model))
    lp = PricedLp(before, np.ones(before.n_cols, dtype=bool))
    assert lp.run(30)
    lp.grow(grown)
    assert lp.price(time.monotonic() + 30, primal=True)
    fresh = PricedLp(grown, np.ones(grown.n_cols, dtype=bool))
    assert fresh.run(30)
    assert lp.objective() == pytest.approx(fresh.objective(), rel=1e-9, abs=1e-6)
    assert lp.attractive().size == 0


def test_grow_refuses_a_matrix_that_is_not_this_one_widened() -> None:
    model = _restricted(*CASES[0])
    assert model.full is not None
    before, grown, _ = _grown(model, _omitted_sample(model, 1))
    lp = PricedLp(grown, np.ones(grown.n_cols, dtype=bool))
    with pytest.raises(ValueError, match="columns appended"):
        lp.grow(before)  # fewer columns
    model.add_copper_floor(1.0)  # one more row
    more_rows = LpMatrix.from_problem(model.problem, grown.variables)
    assert more_rows.n_rows == grown.n_rows + 1
    with pytest.raises(ValueError, match="columns appended"):
        lp.grow(more_rows)
    lp.grow(grown.with_columns([], np.zeros(0), []))  # the same matrix: accepted, nothing omitted
    assert lp.active.all() and lp.active.size == grown.n_cols
