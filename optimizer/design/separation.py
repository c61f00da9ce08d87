"""Cutting planes for the linking rows: which ``flow <= bound * open`` rows the LP relaxation needs.

The network-design model has one linking row per arc (flow only into an open site); most of them never
bind. :func:`separate_linking_rows` solves the LP relaxation with HiGHS, adds the violated rows and
re-solves until none is violated, so the model handed to the MILP solver carries only the rows that
matter and still has the full LP bound. It is an algorithm over a HiGHS model, not a solver adapter, so
it lives beside :mod:`optimizer.design.solvers` rather than inside it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import pulp

from optimizer.design.formulation import NetworkDesignModel
from optimizer.design.pulp_access import constraint_table
from optimizer.design.solvers import SolverSettings, pass_model
from optimizer.progress import CancelToken, is_cancelled

_HMS = highspy.HighsModelStatus


@dataclass(frozen=True, slots=True)
class LinkingSeparation:
    """Result of :func:`separate_linking_rows`: the rows to add and the last LP relaxation's values."""

    rows: np.ndarray
    lp_values: dict[pulp.LpVariable, float] | None
    rounds: int
    converged: bool
    lp_bound: float | None = None  # optimum of the last LP: a valid bound on the MILP (a relaxation)
    #: the largest value each variable of ``opens`` took over the rounds (sites any round used)
    open_peak: dict[pulp.LpVariable, float] | None = None


def separate_linking_rows(
    problem: pulp.LpProblem,
    flow: list[pulp.LpVariable],
    opens: list[list[pulp.LpVariable]],
    bound: np.ndarray,
    settings: SolverSettings,
    *,
    cancel: CancelToken | None = None,
    seed: np.ndarray | None = None,
    group: np.ndarray | None = None,
    rank: np.ndarray | None = None,
    max_rounds: int = 50,
    model: NetworkDesignModel | None = None,
) -> LinkingSeparation:
    """Which linking rows ``flow[n] <= bound[n] * sum(opens[n])`` the LP relaxation of ``problem`` needs.

    Solves the LP relaxation with HiGHS, starting with the rows in ``seed``, adds every violated row,
    re-solves (warm) and repeats until none is violated, so the rows returned give the same LP bound as
    all of them. Each round's LP is a relaxation of the MILP, so its optimum is a valid bound even when
    the loop stops early. With ``group`` (e.g. the arc's tail and grade) and ``rank`` (the arc's cost
    rank in its group), a violated row also brings every row of its group ranked at most as high. Stops
    early (returning what it has) on cancel, time limit or a non-optimal LP.

    With ``model``, a restricted network-design model (``model.full``; ``problem`` is its problem and
    ``flow``/``opens``/``bound`` its linking candidates), the loop also prices: once no row is violated,
    the omitted arcs whose reduced cost improves the LP join the model and this LP as columns (the
    most attractive :data:`PRICING_BATCH` per round), with their linking candidates, and the LP is solved
    again from its basis. When none prices out, the LP's optimum bounds the MILP of the *full* network
    and is stored in ``model.full_bound`` (else that stays None). The returned ``rows`` then index the
    model's linking candidates as they are at the end (new arcs add candidates).
    """
    pricing = model is not None and model.full is not None
    if model is not None:
        model.full_bound = None
    added = np.zeros(len(flow), dtype=bool) if seed is None else seed.astype(bool).copy()
    if not flow:
        return LinkingSeparation(added, None, 0, False, None)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if settings.threads is not None:
        h.setOptionValue("threads", settings.threads)

    def interrupt(event: Any) -> None:
        if is_cancelled(cancel):
            event.interrupt()

    for callback in (h.cbSimplexInterrupt, h.cbIpmInterrupt):
        callback.subscribe(interrupt)
    pass_model(h, problem, relax=True)  # seconds on 100,000 columns: a cancel meanwhile stops here
    if is_cancelled(cancel):
        return LinkingSeparation(added, None, 0, False, None)
    rows = list(constraint_table(problem).values())
    x_idx, z_idx, has_z = _candidate_columns(flow, opens)
    started = time.monotonic()
    col: np.ndarray | None = None
    lp_bound: float | None = None
    duals: np.ndarray | None = None
    converged = False
    rounds = 0
    pending = np.flatnonzero(added)
    open_columns = np.unique(z_idx[has_z])
    peak = np.zeros(open_columns.size)
    while rounds < max_rounds:
        if pending.size:
            _add_linking_rows(h, pending, x_idx, z_idx, has_z, bound)
        left = settings.time_limit_s - (time.monotonic() - started)
        if is_cancelled(cancel) or left <= 0:
            break
        # HiGHS compares its time limit with the run time summed over every run() of this object
        h.setOptionValue("time_limit", h.getRunTime() + max(0.5, left))
        # the first, cold LP solves about twice as fast with the interior-point method (capa: 12.7 s
        # against 26.5 s of CPU); after adding rows, the dual simplex restarts from the last basis
        h.setOptionValue("solver", "ipm" if rounds == 0 else "simplex")
        h.run()
        rounds += 1
        if h.getModelStatus() != _HMS.kOptimal:
            break
        solution = h.getSolution()
        col = np.asarray(solution.col_value)
        lp_bound = float(h.getInfo().objective_function_value)
        duals = np.asarray(solution.row_dual)
        peak = np.maximum(peak, col[open_columns])
        zsum = np.where(has_z, col[np.where(has_z, z_idx, 0)], 0.0).sum(axis=1)
        violated = (col[x_idx] > bound * zsum + 1e-6 * np.maximum(bound, 1.0)) & ~added
        if not violated.any():
            if not pricing:
                converged = True
                break
            assert model is not None
            _store_duals(rows, duals)
            enter = model.priced_out()
            if enter.size == 0:
                converged = True
                model.full_bound = lp_bound
                break
            if time.monotonic() - started >= settings.time_limit_s:
                break
            # new columns: the model's and this LP's (a restricted model's rows are all in the LP)
            first = len(model.flow)
            model.add_arcs(enter[:PRICING_BATCH])
            _add_columns(h, model, first)
            flow, opens, bound = model.linking_candidates()
            x_idx, z_idx, has_z = _candidate_columns(flow, opens)
            added = np.concatenate([added, np.zeros(len(flow) - added.size, dtype=bool)])
            if group is not None and rank is not None:
                group, rank = model.link_groups()
            pending = np.zeros(0, dtype=np.int64)
            continue
        if group is not None and rank is not None:
            # a tail that cheats at a site will next cheat at another as cheap: add them all at once
            worst = np.full(int(group.max()) + 1, -1, dtype=np.int64)
            np.maximum.at(worst, group[violated], rank[violated])
            violated |= (rank <= worst[group]) & ~added
        pending = np.flatnonzero(violated)
        added[pending] = True
    if duals is not None:
        # the duals of the LP whose optimum is lp_bound: pricing a restricted model's omitted arcs
        # (NetworkDesignModel.priced_out) reads them from the constraints, as PuLP's own solvers leave them
        _store_duals(rows, duals)
    if col is not None and col.size < h.getNumCol():
        # columns priced in after the last LP: they are 0 in its solution
        col = np.concatenate([col, np.zeros(h.getNumCol() - col.size)])
    values = None if col is None else {v: float(col[v.index]) for v in problem.variables()}
    by_index = {v.index: v for zs in opens for v in zs}
    open_peak = {
        by_index[int(c)]: float(x) for c, x in zip(open_columns.tolist(), peak.tolist(), strict=True)
    }
    return LinkingSeparation(
        added, values, rounds, converged, lp_bound, open_peak if values is not None else None
    )


def _candidate_columns(
    flow: list[pulp.LpVariable], opens: list[list[pulp.LpVariable]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(flow column, open columns padded with -1, which are real) of each linking candidate."""
    x_idx = np.array([v.index for v in flow], dtype=np.int64)
    width = max((len(z) for z in opens), default=1)
    z_idx = np.full((len(flow), width), -1, dtype=np.int64)
    for n, zs in enumerate(opens):
        z_idx[n, : len(zs)] = [v.index for v in zs]
    return x_idx, z_idx, z_idx >= 0


def _store_duals(rows: list[pulp.LpConstraint], duals: np.ndarray) -> None:
    """Each constraint's ``pi``: its row's dual in the LP (rows are the problem's, in order)."""
    for c in rows:
        c.pi = float(duals[c.index]) if 0 <= c.index < duals.size else None


def _add_columns(h: highspy.Highs, model: NetworkDesignModel, first: int) -> None:
    """Append the model's flow columns from ``first`` on (just added by ``add_arcs``) to the LP ``h``.

    Their coefficients are the model's own (:meth:`NetworkDesignModel.arc_column`), at the rows' LP
    indices; each variable's ``index`` becomes its LP column, as :func:`pass_model` sets it.
    """
    new = model.flow[first:]
    if not new:
        return
    starts = np.zeros(len(new), dtype=np.int32)
    index: list[int] = []
    value: list[float] = []
    for k, n in enumerate(range(first, len(model.flow))):
        starts[k] = len(index)
        for c, coef in model.arc_column(n):
            index.append(c.index)
            value.append(coef)
    cost = model.arc_objective()[first:]
    n0 = h.getNumCol()
    h.addCols(
        len(new),
        cost,
        np.zeros(len(new)),
        np.full(len(new), highspy.kHighsInf),
        len(index),
        starts,
        np.array(index, dtype=np.int32),
        np.array(value, dtype=float),
    )
    for k, var in enumerate(new):
        var.index = n0 + k


def _add_linking_rows(
    h: highspy.Highs,
    rows: np.ndarray,
    x_idx: np.ndarray,
    z_idx: np.ndarray,
    has_z: np.ndarray,
    bound: np.ndarray,
) -> None:
    """Append ``x - bound * sum(z) <= 0`` for each candidate in ``rows`` to the HiGHS model ``h``."""
    counts = 1 + has_z[rows].sum(axis=1)
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    index = np.empty(int(starts[-1]), dtype=np.int32)
    value = np.empty(int(starts[-1]))
    for k, arc in enumerate(rows.tolist()):
        zs = z_idx[arc][has_z[arc]]
        a = int(starts[k])
        index[a] = x_idx[arc]
        value[a] = 1.0
        index[a + 1 : a + 1 + zs.size] = zs
        value[a + 1 : a + 1 + zs.size] = -bound[arc]
    h.addRows(
        rows.size,
        np.full(rows.size, -highspy.kHighsInf),
        np.zeros(rows.size),
        index.size,
        starts[:-1],
        index,
        value,
    )


#: At most this many priced-out arcs join a restricted model per round (the most attractive first).
PRICING_BATCH = 20_000
