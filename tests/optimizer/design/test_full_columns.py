"""A restricted model reaches every arc of its full network: nearest open arcs, pricing, the heuristic.

``optimizer.design.full_columns`` brings a restricted model's omitted arcs (``model.full``) into a flow
LP: :meth:`FullColumns.nearest_open` picks each yard's best arcs into the open sites from the full arc
table, :meth:`FullColumns.ensure` makes them columns, and :func:`full_price` prices the rest at the LP's
duals until none improves it. On small random networks restricted by force (one site arc and one smelter
arc per yard and grade) and solved by HiGHS these tests check that

* the arcs picked are those a plain loop over the full arc table picks;
* the relaxation priced over every arc has the LP optimum of the full model (profit, cost with a target);
* the heuristic's plan on a restricted model is a plan of the full model, no better than its MILP
  optimum, and its full-network bound is at or beyond that optimum, where the restricted model's own
  optimum falls short of it;
* multipliers written by row name are read back as written (projected on their signs).

Linking rows are separated (``linking="separate"``, as on national5, whose candidates exceed
``LINK_ALL_MAX``): arcs that join then bring columns only. With every linking row in the model an arc
into a candidate site also brings its row; that case is the last test here.
"""

from __future__ import annotations

import time

import numpy as np
import pulp
import pytest

from optimizer.design import heuristic
from optimizer.design.formulation import NetworkDesignModel, Requirements, Restriction, build_model
from optimizer.design.full_columns import FullColumns, full_price
from optimizer.design.full_lagrangian import (
    Multipliers,
    by_name,
    evaluate,
    full_network_bound,
    project,
    relaxation,
    stored_duals,
)
from optimizer.design.heuristic import first_plan, heuristic_start, named_multipliers
from optimizer.design.options import Objective
from optimizer.design.pricing import LpMatrix, PricedLp
from optimizer.design.pulp_access import constraint_table
from optimizer.design.solvers import SolveOutcome, SolverSettings, run_solver
from optimizer.model import Network, SiteStatus
from tests.optimizer.tiny_networks import random_network

TIGHT = Restriction(sites=1, smelters=1, min_arcs=0)
EXACT = SolverSettings(time_limit_s=30.0, mip_gap=1e-9)

PROFIT = Requirements(linking="separate")
COST_TARGET = Requirements(target_utilization=0.3, linking="separate")


def _network(seed: int) -> Network:
    return random_network(seed, n_points=12, n_sites=6)


def _pair(
    seed: int, objective: Objective, requirements: Requirements
) -> tuple[NetworkDesignModel, NetworkDesignModel]:
    """(full model, restricted model) of random network ``seed``, both with ``objective``."""
    network = _network(seed)
    full = build_model(network, requirements)
    small = build_model(network, requirements, restrict=TIGHT)
    for m in (full, small):
        m.set_objective(objective)
    assert full.full is None and small.full is not None
    assert len(small.flow) < len(full.flow) == len(small.full.arcs)
    return full, small


def _variables(model: NetworkDesignModel) -> list[pulp.LpVariable]:
    return [*model.flow, *model.module_open.values(), *model.slacks.values()]


def _relaxation_lp(model: NetworkDesignModel) -> PricedLp:
    """The model's LP relaxation (modules continuous in [0, 1]) over every column it has."""
    m = LpMatrix.from_problem(model.problem, _variables(model))
    return PricedLp(m, np.ones(m.n_cols, dtype=bool))


def _rel(value: float) -> float:
    return 1e-6 * max(1.0, abs(value))


def _full_values(
    full: NetworkDesignModel, small: NetworkDesignModel, value_of: dict[int, float]
) -> dict[pulp.LpVariable, float]:
    """The restricted model's solution (``value_of``: ``id(variable)`` -> value) on the full model's
    variables: model arc ``k`` is full arc ``small.arc_ids[k]``, which is the full model's arc of that
    index (both number their arcs as the full table does)."""
    out = {v: 0.0 for v in _variables(full)}
    for k, var in enumerate(small.flow):
        out[full.flow[int(small.arc_ids[k])]] = value_of.get(id(var), 0.0)
    for key, var in small.module_open.items():
        out[full.module_open[key]] = value_of.get(id(var), 0.0)
    for name, var in small.slacks.items():
        out[full.slacks[name]] = value_of.get(id(var), 0.0)
    return out


# --- nearest_open --------------------------------------------------------------------------------


def _nearest_by_loop(
    model: NetworkDesignModel, maximise: bool, head_open: np.ndarray, sites_k: int, smelters_k: int
) -> list[int]:
    """Per (yard, grade): its ``sites_k`` best collection arcs into open sites and ``smelters_k`` best
    into smelters (open ones), best by objective coefficient, ties by arc index; one arc at a time."""
    assert model.full is not None
    a = model.full.arcs
    P, J = model.n_points, len(model.sites)
    value = model.full.objective(model.objective_kind)
    groups: dict[tuple[int, int, bool], list[int]] = {}
    for n in range(len(a)):
        if a.echelon[n] != 0 or not head_open[a.head[n]]:
            continue
        groups.setdefault((int(a.tail[n]), int(a.grade[n]), bool(a.head[n] >= P + J)), []).append(n)
    found: list[int] = []
    for (_, _, to_smelter), arcs in groups.items():
        arcs.sort(key=lambda n: (-value[n] if maximise else value[n], n))
        found.extend(arcs[: smelters_k if to_smelter else sites_k])
    return sorted(found)


@pytest.mark.parametrize(
    ("seed", "objective", "requirements"),
    [(0, Objective.PROFIT, PROFIT), (5, Objective.COST, COST_TARGET), (2, Objective.UTILIZATION, PROFIT)],
    ids=["profit", "cost", "utilization"],
)
def test_nearest_open_picks_each_yards_best_arcs_into_open_sites(
    seed: int, objective: Objective, requirements: Requirements
) -> None:
    _, small = _pair(seed, objective, requirements)
    matrix = LpMatrix.from_problem(small.problem, _variables(small))
    columns = FullColumns.of(small, matrix)
    assert columns is not None
    assert matrix.maximise is (objective is not Objective.COST)
    rng = np.random.default_rng(seed)
    n_nodes = len(small.node_ids)
    masks = [np.ones(n_nodes, dtype=bool), np.zeros(n_nodes, dtype=bool)]
    masks += [rng.random(n_nodes) < share for share in (0.2, 0.5, 0.8, 0.5, 0.5)]
    for head_open in masks:
        for sites_k, smelters_k in ((1, 1), (2, 1), (3, 2), (5, 0), (0, 3)):
            got = columns.nearest_open(head_open, sites_k, smelters_k)
            assert np.unique(got).size == got.size  # each arc once
            want = _nearest_by_loop(small, matrix.maximise, head_open, sites_k, smelters_k)
            assert sorted(got.tolist()) == want, (head_open.astype(int).tolist(), sites_k, smelters_k)


def test_full_columns_of_a_model_with_every_arc_is_none() -> None:
    full, _ = _pair(0, Objective.PROFIT, PROFIT)
    assert FullColumns.of(full, LpMatrix.from_problem(full.problem, _variables(full))) is None


# --- ensure ----------------------------------------------------------------------------------------


def test_ensure_gives_the_columns_of_the_arcs_and_adds_the_missing_ones() -> None:
    _, small = _pair(3, Objective.PROFIT, PROFIT)
    assert small.full is not None
    lp = _relaxation_lp(small)
    columns = FullColumns.of(small, lp.matrix)
    assert columns is not None
    held = small.arc_ids[:5]
    n_cols = lp.matrix.n_cols
    cols = columns.ensure(lp, held)
    assert cols is not None and lp.matrix.n_cols == n_cols  # nothing to add
    assert [lp.matrix.variables[c] for c in cols.tolist()] == small.flow[:5]
    missing = np.flatnonzero(~small.full.in_model)[:7]
    mixed = np.concatenate([missing, held])
    cols = columns.ensure(lp, mixed)
    assert cols is not None
    assert small.full.in_model[missing].all() and lp.matrix.n_cols == n_cols + missing.size
    # each column returned is the model's variable of that full arc, and is omitted from the LP until added
    by_arc = {int(n): small.flow[k] for k, n in enumerate(small.arc_ids)}
    assert [lp.matrix.variables[c] for c in cols.tolist()] == [by_arc[int(n)] for n in mixed]
    assert not lp.active[cols[: missing.size]].any() and lp.active[cols[missing.size :]].all()
    # the flow columns follow the model's arcs
    assert columns.flow_col.size == len(small.flow)
    assert [lp.matrix.variables[c] for c in columns.flow_col.tolist()] == small.flow


# --- full_price ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "objective", "requirements"),
    [
        (1, Objective.PROFIT, PROFIT),
        (3, Objective.PROFIT, PROFIT),
        (5, Objective.PROFIT, PROFIT),
        (2, Objective.COST, COST_TARGET),
        (4, Objective.COST, COST_TARGET),
        (7, Objective.COST, COST_TARGET),
    ],
    ids=["profit-1", "profit-3", "profit-5", "cost-2", "cost-4", "cost-7"],
)
def test_full_price_reaches_the_full_models_lp_optimum(
    seed: int, objective: Objective, requirements: Requirements
) -> None:
    full, small = _pair(seed, objective, requirements)
    assert small.full is not None
    whole = _relaxation_lp(full)
    assert whole.run(30)
    before = len(small.flow)
    lp = _relaxation_lp(small)
    columns = FullColumns.of(small, lp.matrix)
    assert full_price(small, lp, time.monotonic() + 30, columns=columns)
    assert lp.objective() == pytest.approx(whole.objective(), rel=1e-6)
    assert len(small.flow) > before  # omitted arcs had to join
    # at the end no omitted arc prices out at the LP's duals, nor does any column of the model
    for r, c in enumerate(constraint_table(small.problem).values()):
        c.pi = float(lp.row_duals()[r])
    assert small.priced_out().size == 0
    assert lp.attractive().size == 0
    # and the LP's solution, read on the full model's columns, is feasible there at the same objective
    x = lp.values()
    values = _full_values(full, small, {id(v): float(x[k]) for k, v in enumerate(lp.matrix.variables)})
    y = np.array([values[v] for v in whole.matrix.variables])
    assert whole.matrix.violation(y) < 1e-7
    assert whole.matrix.objective_value(y) == pytest.approx(whole.objective(), rel=1e-6)


def test_full_price_never_brings_arcs_into_sites_held_closed() -> None:
    """With the modules of some candidate sites bounded at 0, no full arc into or out of them joins,
    and the LP still ends at the full model's optimum with those sites closed."""
    full, small = _pair(3, Objective.PROFIT, PROFIT)
    assert small.full is not None
    P = small.n_points
    closed = [s.id for s in small.sites if s.status is SiteStatus.CANDIDATE][:2]
    assert closed
    lps = []
    for model in (full, small):
        lp = _relaxation_lp(model)
        cols = lp.matrix.columns([v for (site, _), v in model.module_open.items() if site in closed])
        lp.set_bounds(cols, np.zeros(cols.size), np.zeros(cols.size))
        lps.append(lp)
    whole, lp = lps
    assert whole.run(30)
    before = len(small.flow)
    assert full_price(small, lp, time.monotonic() + 30, columns=FullColumns.of(small, lp.matrix))
    assert lp.objective() == pytest.approx(whole.objective(), rel=1e-6)
    closed_nodes = {P + j for j, s in enumerate(small.sites) if s.id in closed}
    joined = small.arc_ids[before:]
    a = small.full.arcs
    assert not any(int(a.head[n]) in closed_nodes or int(a.tail[n]) in closed_nodes for n in joined)


def test_full_price_on_a_model_with_every_arc_is_plain_pricing() -> None:
    full, _ = _pair(3, Objective.PROFIT, PROFIT)
    want = _relaxation_lp(full)
    assert want.run(30)
    m = want.matrix
    flow_cols = m.columns(full.flow)
    active = np.ones(m.n_cols, dtype=bool)
    active[flow_cols[1::2]] = False  # every other arc omitted at first
    lp = PricedLp(m, active)
    assert full_price(full, lp, time.monotonic() + 30)
    assert lp.objective() == pytest.approx(want.objective(), rel=1e-9)


# --- the heuristic on a restricted model -------------------------------------------------------------


def _assert_a_plan_of_the_full_network(
    full: NetworkDesignModel, values: dict[pulp.LpVariable, float], objective: float
) -> None:
    """``values`` (on the full model's variables) satisfy every bound and row of the full model, its
    objective is ``objective``, and, counted arc by arc: supply, site capacity, smelter capacity and each
    site's mass balance (output of each grade = the yields of its input)."""
    for var in full.problem.variables():
        var.varValue = values.get(var, 0.0)
        assert var.valid(1e-6), var.name
    for name, row in constraint_table(full.problem).items():
        assert row.valid(1e-6 * max(1.0, abs(row.constant))), name
    assert float(pulp.value(full.problem.objective)) == pytest.approx(objective, rel=1e-7)
    a, x = full.arcs, np.array([values[v] for v in full.flow])
    P, J, G = full.n_points, len(full.sites), len(full.grade_ids)
    tol = 1e-6
    out = np.zeros((P + J + len(full.smelters), G))
    into = np.zeros((P + J + len(full.smelters), G))
    np.add.at(out, (a.tail, a.grade), x)
    np.add.at(into, (a.head, a.grade), x)
    assert (out[:P] <= full.supply_t * (1 + tol) + tol).all()
    for j, site in enumerate(full.sites):
        capacity = sum(
            m.capacity_t_per_year * values[full.module_open[(site.id, m.id)]] for m in site.modules
        )
        assert into[P + j].sum() <= capacity * (1 + tol) + tol, site.id
        made = np.zeros(G)
        for e in site.yields:
            gi, go = full.grade_ids.index(e.input_grade_id), full.grade_ids.index(e.output_grade_id)
            made[go] += e.fraction * into[P + j, gi]
        assert np.allclose(out[P + j], made, rtol=1e-6, atol=1e-6), site.id
    for m, smelter in enumerate(full.smelters):
        assert into[P + J + m].sum() <= smelter.capacity_t_per_year * (1 + tol) + tol, smelter.id


def _milp_optimum(model: NetworkDesignModel) -> float:
    result = run_solver(model.problem, EXACT)
    assert result.outcome is SolveOutcome.OPTIMAL and result.objective is not None
    return result.objective


@pytest.mark.parametrize(
    ("seed", "objective", "requirements"),
    [
        (0, Objective.PROFIT, PROFIT),
        (2, Objective.PROFIT, PROFIT),
        (5, Objective.PROFIT, PROFIT),
        (2, Objective.COST, COST_TARGET),
        (3, Objective.COST, COST_TARGET),
    ],
    ids=["profit-0", "profit-2", "profit-5", "cost-2", "cost-3"],
)
def test_first_plan_on_a_restricted_model_is_a_plan_of_the_full_network(
    seed: int, objective: Objective, requirements: Requirements
) -> None:
    full, small = _pair(seed, objective, requirements)
    optimum = _milp_optimum(full)
    assert small.full is not None
    initial = small.full.in_model.copy()
    plan = first_plan(small, time.monotonic() + 10)
    assert plan is not None
    values = _full_values(full, small, {id(v): x for v, x in plan.values.items()})
    _assert_a_plan_of_the_full_network(full, values, plan.objective)
    maximise = objective is not Objective.COST
    # a plan of the full network is no better than its optimum; the full bound no tighter than it
    if maximise:
        assert plan.objective <= optimum + _rel(optimum)
    else:
        assert plan.objective >= optimum - _rel(optimum)
    if maximise:
        # the best arcs into the open sites came from the full network: the plan uses arcs the
        # restriction had left out
        assert small.full is not None
        used = [int(small.arc_ids[k]) for k, v in enumerate(small.flow) if plan.values.get(v, 0.0) > 1e-6]
        assert not initial[used].all()
    assert plan.full_bound is not None  # tiny: the relaxation's pricing over every arc converges
    if maximise:
        assert plan.full_bound >= optimum - _rel(optimum)
    else:
        assert plan.full_bound <= optimum + _rel(optimum)
    # and the plan's open modules are the ones its values run
    assert plan.open_modules == {
        site: module for (site, module), var in small.module_open.items() if plan.values[var] > 0.5
    }


@pytest.mark.parametrize("seed", [0, 1, 2, 5])
def test_heuristic_start_on_a_restricted_model_bounds_the_full_network(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The restricted model's own MILP optimum is below the full optimum here (its arcs miss the ones the
    full optimum uses): the result's bound, the full network's, is at or above the full optimum."""
    monkeypatch.setattr(heuristic, "HEURISTIC_MIN_ARCS", 0)
    monkeypatch.setattr(heuristic, "HEURISTIC_MIN_STAGE_S", 0.0)
    full, small = _pair(seed, Objective.PROFIT, PROFIT)
    optimum = _milp_optimum(full)
    _, own = _pair(seed, Objective.PROFIT, PROFIT)
    own_optimum = _milp_optimum(own)
    assert own_optimum < optimum - _rel(optimum)  # a bound valid for the restricted arcs only falls short
    values, result, multipliers = heuristic_start(small, 6.0)
    assert values is not None and result is not None and multipliers is not None
    assert result.objective is not None and result.objective <= optimum + _rel(optimum)
    assert result.bound is not None
    assert result.bound >= optimum - _rel(optimum) > own_optimum
    assert result.gap == pytest.approx(abs(result.bound - result.objective) / abs(result.objective))
    # the heuristic's multipliers start the full network's Lagrangian: a bound at or above the optimum
    found = full_network_bound(small, 0.5, incumbent=result.objective, multipliers=multipliers)
    assert found is not None and found.bound >= optimum - _rel(optimum)


@pytest.mark.parametrize("seed", [1, 7])
def test_first_plan_where_the_restricted_model_has_no_plan(seed: int) -> None:
    """A 60 % target the restricted arcs cannot meet (the restricted MILP is infeasible): the flow LPs
    take each yard's best arcs into the open sites from the full network, and the plan meets it."""
    requirements = Requirements(target_utilization=0.6, linking="separate")
    full, small = _pair(seed, Objective.COST, requirements)
    _, own = _pair(seed, Objective.COST, requirements)
    assert run_solver(own.problem, EXACT).outcome is SolveOutcome.INFEASIBLE
    optimum = _milp_optimum(full)
    plan = first_plan(small, time.monotonic() + 10)
    assert plan is not None
    values = _full_values(full, small, {id(v): x for v, x in plan.values.items()})
    _assert_a_plan_of_the_full_network(full, values, plan.objective)
    assert plan.objective >= optimum - _rel(optimum)
    if plan.full_bound is not None:
        assert plan.full_bound <= optimum + _rel(optimum)


# --- multipliers by name -----------------------------------------------------------------------------


def _random_multipliers(r: object, rng: np.random.Generator) -> Multipliers:
    from optimizer.design.full_lagrangian import FullRelaxation

    assert isinstance(r, FullRelaxation)
    return Multipliers(
        rng.normal(0, 100, r.supply.shape),
        rng.normal(0, 100, r.balance_row.shape),
        rng.normal(0, 100, r.smelter_cap.shape),
        rng.normal(0, 100, r.blend_row.shape),
        rng.normal(0, 100, len(r.scalars)),
    )


def _names(model: NetworkDesignModel, y: Multipliers, scalars: list[str]) -> dict[str, float]:
    gid = model.grade_ids
    out: dict[str, float] = {}
    for i, p in enumerate(model.points):
        out.update({f"supply[{p.id},{g}]": float(y.supply[i, k]) for k, g in enumerate(gid)})
    for j, s in enumerate(model.sites):
        out.update({f"balance[{s.id},{g}]": float(y.balance[j, k]) for k, g in enumerate(gid)})
    out.update({f"smelter_cap[{m.id}]": float(y.smelter[i]) for i, m in enumerate(model.smelters)})
    out.update({f"blend[{m.id}]": float(y.blend[i]) for i, m in enumerate(model.smelters)})
    out.update({name: float(v) for name, v in zip(scalars, y.scalar.tolist(), strict=True)})
    return out


def _same(a: Multipliers, b: Multipliers) -> bool:
    return all(
        np.allclose(getattr(a, f), getattr(b, f), rtol=1e-12, atol=0.0)
        for f in ("supply", "balance", "smelter", "blend", "scalar")
    )


@pytest.mark.parametrize(
    ("seed", "objective", "requirements"),
    [(0, Objective.PROFIT, PROFIT), (5, Objective.COST, COST_TARGET)],
    ids=["profit", "cost-target"],
)
def test_multipliers_by_name_read_back_as_projected(
    seed: int, objective: Objective, requirements: Requirements
) -> None:
    _, small = _pair(seed, objective, requirements)
    r = relaxation(small)
    assert r is not None
    scalars = [row.name for row in r.scalars]
    if requirements.target_utilization is not None:
        assert "target" in scalars
    rng = np.random.default_rng(seed)
    for _ in range(5):
        y = _random_multipliers(r, rng)
        assert _same(by_name(small, r, _names(small, y, scalars)), project(r, y))
    # a row not named reads 0; names of rows the model lacks are ignored
    zero = by_name(small, r, {"supply[nowhere,G0]": 5.0})
    assert all(not np.any(getattr(zero, f)) for f in ("supply", "balance", "smelter", "blend", "scalar"))


def test_named_multipliers_and_stored_duals_agree_with_by_name() -> None:
    """Multipliers of the matrix rows named by :func:`named_multipliers` read back (:func:`by_name`) as
    the rows' values, projected; and as :func:`stored_duals` reads the same values stored in the rows."""
    _, small = _pair(0, Objective.PROFIT, PROFIT)
    r = relaxation(small)
    assert r is not None
    rows = list(constraint_table(small.problem).values())
    rng = np.random.default_rng(4)
    y = rng.normal(0, 100, len(rows))
    named = named_multipliers(small, y)
    assert named is not None
    readable = {c.name: name for name, c in small.constraints.items()}
    assert named == {readable[c.name]: float(v) for c, v in zip(rows, y.tolist(), strict=True)}
    read = by_name(small, r, named)
    # read back: each multiplier is its row's value, projected on the sign the row allows
    supply_row = {p.id: i for i, p in enumerate(small.points)}
    for name, value in named.items():
        if name.startswith("supply["):
            point, grade = name[len("supply[") : -1].split(",")
            i, k = supply_row[point], small.grade_ids.index(grade)
            assert read.supply[i, k] == (value if r.supply_eq[i, k] else max(value, 0.0)), name
        elif name.startswith("smelter_cap["):
            m = [sm.id for sm in small.smelters].index(name[len("smelter_cap[") : -1])
            assert read.smelter[m] == max(value, 0.0), name
    for c, v in zip(rows, y.tolist(), strict=True):
        c.pi = v
    stored = stored_duals(small, r)
    assert stored is not None and r.sign == 1.0  # profit: the maximisation form is the model's own
    assert _same(stored, read)
    # any multipliers bound the full network: these random ones too
    bound, _ = evaluate(r, read)
    assert np.isfinite(bound)
    assert named_multipliers(small, y[:-1]) is None  # not the model's rows


# --- every linking row in the model ------------------------------------------------------------------


def test_first_plan_with_every_linking_row_in_the_model() -> None:
    """``linking="all"`` (or ``"auto"`` with at most ``LINK_ALL_MAX`` candidates): an arc into a
    candidate site brings its linking row when it joins. The heuristic must still end with a plan of
    the full network (its flow LP may then lack the new arcs, but must not fail)."""
    requirements = Requirements(linking="all")
    full, small = _pair(3, Objective.PROFIT, requirements)
    optimum = _milp_optimum(full)
    plan = first_plan(small, time.monotonic() + 10)
    assert plan is not None
    values = _full_values(full, small, {id(v): x for v, x in plan.values.items()})
    _assert_a_plan_of_the_full_network(full, values, plan.objective)
    assert plan.objective <= optimum + _rel(optimum)


def test_a_model_holding_every_linking_row_is_not_grown() -> None:
    """An arc joining a model that holds every linking row brings its own row, which the heuristic's LP
    would lack: such a model keeps its columns (``FullColumns.of`` is None) and ``ensure`` refuses."""
    _, small = _pair(3, Objective.PROFIT, Requirements(linking="all"))
    assert small.full is not None
    lp = _relaxation_lp(small)
    assert FullColumns.of(small, lp.matrix) is None
    _, pending = _pair(3, Objective.PROFIT, Requirements(linking="separate"))
    lp2 = _relaxation_lp(pending)
    columns = FullColumns.of(pending, lp2.matrix)
    assert columns is not None
    pending.link_added[:] = True  # as if separation had added every row
    omitted = np.flatnonzero(~pending.full.in_model)
    before = len(pending.flow)
    assert columns.ensure(lp2, omitted[:1]) is None
    assert len(pending.flow) == before  # the model did not change


def test_solve_of_a_restricted_network_with_every_linking_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """The production path of the two tests above: the default requirements (``linking="auto"``), the
    restriction forced on a small network and the heuristic allowed on it."""
    import optimizer.design.solve as solve_module
    from optimizer.design.options import SolveOptions

    monkeypatch.setattr(solve_module, "Restriction", lambda: TIGHT)
    monkeypatch.setattr(heuristic, "HEURISTIC_MIN_ARCS", 0)
    monkeypatch.setattr(heuristic, "HEURISTIC_MIN_STAGE_S", 0.0)
    network = _network(3)
    full = build_model(network, Requirements())
    optimum = _milp_optimum(full)
    plan = solve_module.solve(network, SolveOptions(time_limit_s=10.0))
    assert plan.objective is not None and plan.best_bound is not None
    assert plan.objective <= optimum + _rel(optimum)
    assert plan.best_bound >= optimum - _rel(optimum)
