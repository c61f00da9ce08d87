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
) -> LinkingSeparation:
    """Which linking rows ``flow[n] <= bound[n] * sum(opens[n])`` the LP relaxation of ``problem`` needs.

    Solves the LP relaxation with HiGHS, starting with the rows in ``seed``, adds every violated row,
    re-solves (warm) and repeats until none is violated, so the rows returned give the same LP bound as
    all of them. Each round's LP is a relaxation of the MILP, so its optimum is a valid bound even when
    the loop stops early. With ``group`` (e.g. the arc's tail and grade) and ``rank`` (the arc's cost
    rank in its group), a violated row also brings every row of its group ranked at most as high. Stops
    early (returning what it has) on cancel, time limit or a non-optimal LP.
    """
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
    x_idx = np.array([v.index for v in flow], dtype=np.int64)
    width = max(len(z) for z in opens)
    z_idx = np.full((len(flow), width), -1, dtype=np.int64)
    for n, zs in enumerate(opens):
        z_idx[n, : len(zs)] = [v.index for v in zs]
    has_z = z_idx >= 0
    started = time.monotonic()
    values: dict[pulp.LpVariable, float] | None = None
    lp_bound: float | None = None
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
        col = np.asarray(h.getSolution().col_value)
        values = {v: float(col[v.index]) for v in problem.variables()}
        lp_bound = float(h.getInfo().objective_function_value)
        peak = np.maximum(peak, col[open_columns])
        zsum = np.where(has_z, col[np.where(has_z, z_idx, 0)], 0.0).sum(axis=1)
        violated = (col[x_idx] > bound * zsum + 1e-6 * np.maximum(bound, 1.0)) & ~added
        if not violated.any():
            converged = True
            break
        if group is not None and rank is not None:
            # a tail that cheats at a site will next cheat at another as cheap: add them all at once
            worst = np.full(int(group.max()) + 1, -1, dtype=np.int64)
            np.maximum.at(worst, group[violated], rank[violated])
            violated |= (rank <= worst[group]) & ~added
        pending = np.flatnonzero(violated)
        added[pending] = True
    by_index = {v.index: v for zs in opens for v in zs}
    open_peak = {
        by_index[int(c)]: float(x) for c, x in zip(open_columns.tolist(), peak.tolist(), strict=True)
    }
    return LinkingSeparation(
        added, values, rounds, converged, lp_bound, open_peak if values is not None else None
    )


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
