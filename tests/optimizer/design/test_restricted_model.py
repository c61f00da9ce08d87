"""A restricted model (each yard's cheapest arcs as columns, the rest as arrays) is the full model in part.

The large-network path (``build_model(..., restrict=Restriction(...))``) never builds a PuLP object for
most arcs: their columns are computed from arrays when they are priced. These tests prove on small
networks that the two agree: the reduced cost of every omitted arc at any duals is the one the full
model's own matrix gives, an arc added to the model gets exactly the full model's column, and a model
grown by pricing reaches the full model's optimum (HiGHS and CBC).
"""

from __future__ import annotations

import numpy as np
import pulp
import pytest

from optimizer.design.formulation import (
    NetworkDesignModel,
    Requirements,
    Restriction,
    build_model,
)
from optimizer.design.options import Objective, SolverName
from optimizer.design.pricing import LpMatrix
from optimizer.design.pulp_access import constraint_table
from optimizer.design.separation import separate_linking_rows
from optimizer.design.solvers import SolverSettings, available_solvers, run_solver
from tests.optimizer.tiny_networks import random_network

#: Keep one site arc and one smelter arc per yard and grade: most arcs are omitted.
TIGHT = Restriction(sites=1, smelters=1, min_arcs=0)

CASES = [
    (random_network(3, n_points=12, n_sites=6), Objective.PROFIT, Requirements()),
    (
        random_network(5, n_points=10, n_sites=5, n_smelters=3),
        Objective.COST,
        Requirements(target_utilization=0.3),
    ),
    (random_network(8, n_points=10, n_sites=6), Objective.UTILIZATION, Requirements(budget_cny=2e6)),
]
IDS = ["profit", "cost-target", "utilization-budget"]


def _key(model: NetworkDesignModel, n: int) -> tuple[int, int, int]:
    a = model.arcs
    return int(a.tail[n]), int(a.head[n]), int(a.grade[n])


def _columns(model: NetworkDesignModel) -> dict[tuple[int, int, int], dict[str, float]]:
    """Each arc's column, keyed by (tail, head, grade), as {row name: coefficient} (linking rows aside)."""
    by_var = {id(v): _key(model, n) for n, v in enumerate(model.flow)}
    out: dict[tuple[int, int, int], dict[str, float]] = {k: {} for k in by_var.values()}
    for name, c in model.constraints.items():
        if name.startswith("link["):
            continue
        for var, coef in c.items():
            if id(var) in by_var and coef != 0:
                out[by_var[id(var)]][name] = float(coef)
    return out


@pytest.mark.parametrize(("network", "objective", "requirements"), CASES, ids=IDS)
def test_omitted_reduced_costs_are_the_full_models(network, objective, requirements) -> None:
    full = build_model(network, requirements)
    small = build_model(network, requirements, restrict=TIGHT)
    assert small.full is not None and full.full is None
    assert len(small.flow) < len(full.flow) == len(small.full.arcs)
    for m in (full, small):
        m.set_objective(objective)
        m.add_copper_floor(1.0, "lexicographic_floor")
    # random duals on every named row of the restricted model, the same on the full model's rows
    rng = np.random.default_rng(7)
    duals = {name: float(rng.normal()) for name in small.constraints if not name.startswith("link[")}
    for name, c in small.constraints.items():
        c.pi = duals.get(name)
    rc = small.omitted_reduced_costs()
    matrix = LpMatrix.from_problem(full.problem)
    y = np.zeros(matrix.n_rows)
    for r, (name, _) in enumerate(constraint_table(full.problem).items()):
        readable = next(k for k, c in full.constraints.items() if c.name == name)
        y[r] = duals.get(readable, 0.0)
    expected = matrix.reduced_costs(y)[matrix.columns(full.flow)]
    # the full model numbers its arcs as the full table of the restricted one does
    assert [_key(full, n) for n in range(len(full.flow))] == [
        (int(t), int(h), int(g))
        for t, h, g in zip(small.full.arcs.tail, small.full.arcs.head, small.full.arcs.grade, strict=True)
    ]
    assert np.allclose(rc, expected, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize(("network", "objective", "requirements"), CASES, ids=IDS)
def test_added_arcs_get_the_full_models_columns(network, objective, requirements) -> None:
    full = build_model(network, requirements)
    small = build_model(network, requirements, restrict=TIGHT)
    for m in (full, small):
        m.set_objective(objective)
        m.add_copper_floor(1.0, "lexicographic_floor")
    assert small.full is not None
    assert small.add_arcs(np.flatnonzero(~small.full.in_model)) > 0
    assert small.full.in_model.all()
    assert _columns(small) == _columns(full)
    # the objective, arc by arc
    obj_small = {_key(small, n): small.problem.objective.get(v, 0.0) for n, v in enumerate(small.flow)}
    obj_full = {_key(full, n): full.problem.objective.get(v, 0.0) for n, v in enumerate(full.flow)}
    assert obj_small == pytest.approx(obj_full)
    # the linking candidates, arc by arc
    link_small = {
        (_key(small, int(n)), float(b)) for n, b in zip(small.link_arcs, small.link_bound, strict=True)
    }
    link_full = {(_key(full, int(n)), float(b)) for n, b in zip(full.link_arcs, full.link_bound, strict=True)}
    assert link_small == link_full


def _grown(network, requirements, objective, solver: SolverName) -> float | None:
    """Optimum of the restricted model grown by pricing its LP relaxation (separation with the model:
    HiGHS duals) until no arc prices out, then solved as a MILP: the full model's when pricing is exact."""
    model = build_model(network, requirements, restrict=TIGHT)
    model.set_objective(objective)
    settings = SolverSettings(solver=solver, time_limit_s=30, mip_gap=1e-9)
    flows, opens, bound = model.linking_candidates()
    before = len(model.flow)
    separation = separate_linking_rows(model.problem, flows, opens, bound, settings, model=model)
    model.add_linking(separation.rows)
    assert model.full_bound is not None  # proven: nothing prices out any more
    assert before < len(model.flow) < len(model.full.arcs)  # some arcs joined, not all
    result = run_solver(model.problem, settings)
    assert result.objective is not None
    # the LP bound holds for the full network's optimum
    slack = 1e-7 * max(1.0, abs(result.objective))  # CBC's own rounding
    if model.problem.sense == pulp.LpMaximize:
        assert model.full_bound >= result.objective - slack
    else:
        assert model.full_bound <= result.objective + slack
    return result.objective


@pytest.mark.parametrize(("network", "objective", "requirements"), CASES, ids=IDS)
def test_a_model_grown_by_pricing_has_the_full_optimum(network, objective, requirements) -> None:
    for solver in available_solvers():
        full = build_model(network, requirements)
        full.set_objective(objective)
        want = run_solver(
            full.problem, SolverSettings(solver=solver, time_limit_s=30, mip_gap=1e-9)
        ).objective
        got = _grown(network, requirements, objective, solver)
        assert got == pytest.approx(want, rel=1e-6, abs=1e-3), solver


@pytest.mark.parametrize(("network", "objective", "requirements"), CASES[:2], ids=IDS[:2])
def test_solve_over_a_restricted_model_proves_the_full_optimum(
    network, objective, requirements, monkeypatch
) -> None:
    """``solve()`` of a network it restricts (forced here on a small one) ends at the full model's
    optimum, proven for every arc: the bound is the priced LP's, never the restricted MILP's."""
    from optimizer.design import solve as solve_module
    from optimizer.design.options import SolveOptions
    from optimizer.design.plan import PlanStatus

    options = SolveOptions(
        objective=objective, target_utilization=requirements.target_utilization, time_limit_s=60, mip_gap=1e-6
    )
    whole = solve_module.solve(network, options)
    monkeypatch.setattr(solve_module, "Restriction", lambda: TIGHT)
    restricted = solve_module.solve(network, options)
    assert whole.status is PlanStatus.OPTIMAL
    assert restricted.objective == pytest.approx(whole.objective, rel=1e-6)
    assert restricted.best_bound is not None and restricted.gap is not None
    assert restricted.model_size["arcs"] < len(build_model(network, requirements).flow)
    assert any(
        "allowed arcs" in note.render("en") if hasattr(note, "render") else "allowed arcs" in note
        for note in restricted.notes
    )


def test_separation_stopped_after_pricing_in_has_no_full_bound() -> None:
    """Stopped right after arcs priced in (here: a one-round limit), the LP's bound is not proven for
    the full network, and the last LP's values still cover every column (the new ones at zero)."""
    network, objective, requirements = CASES[0]
    model = build_model(network, requirements, restrict=TIGHT)
    model.set_objective(objective)
    flows, opens, bound = model.linking_candidates()
    before = len(model.flow)
    separation = separate_linking_rows(
        model.problem, flows, opens, bound, SolverSettings(time_limit_s=30), model=model, max_rounds=1
    )
    assert len(model.flow) > before  # arcs priced in after the one LP
    assert model.full_bound is None
    assert separation.lp_bound is not None
    assert separation.rows.size == model.link_arcs.size
    assert separation.lp_values is not None
    assert all(separation.lp_values[v] == 0.0 for v in model.flow[before:])
