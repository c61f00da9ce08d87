"""A starting solution for large network designs: the MILP restricted to the sites the LP relaxation uses.

HiGHS's own primal heuristics find poor incumbents on large capacitated location models (on OR-Library
capa, 100 sites x 1,000 yards, its first incumbent after two minutes was 30-400 % above the optimum)
while the LP relaxation points at the right region: the sites it opens, even fractionally, are few. So
before the full solve, every candidate site that no LP round of the linking-row separation opened is
fixed closed, and the much smaller MILP is solved for a limited time. Its plan is feasible for the full
model and is handed to HiGHS as the incumbent to beat.

Why the sites of *every* round and not only of the last one: later rounds tighten the relaxation and
concentrate it on fewer sites, and the optimum can use a site the tight relaxation leaves at zero. On
capa at capacity 12,000 the converged LP opens 8 sites and the best plan on them costs 17,819,932
(0.31 % above the optimum); the first round opens 26, and the restricted MILP on those finds the
published optimum, 17,765,201.949.

The restricted model carries every linking row of its arcs (it is small enough; they are removed again
afterwards, since the full model's LP only needs those separation found) and goes to HiGHS without
the closed sites' columns (:func:`optimizer.design.solvers.run_solver` drops columns fixed at zero),
with presolve on: on that capa model presolve's probing lifts the root bound from 17.44 M to 17.73 M.

This is a heuristic for the *start* only: the full model is solved afterwards, so optimality claims
still come from the full model's bound.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pulp

from optimizer.design.formulation import NetworkDesignModel
from optimizer.design.solvers import SolverResult, SolverSettings, run_solver
from optimizer.messages import msg
from optimizer.model import SiteStatus
from optimizer.progress import CancelToken, ProgressCallback, ProgressEvent

#: A module whose LP value is at most this counts as closed in the LP relaxation.
LP_OPEN_EPS = 1e-6

#: HiGHS presolves the restricted model when at most this many arc columns are left in it.
RESTRICTED_PRESOLVE_MAX = 100_000

#: The restricted model gets every linking row of its arcs when there are at most this many of them
#: (else only the rows separation found, plus those of its seed).
RESTRICTED_LINK_MAX = 60_000


def lp_support_start(
    model: NetworkDesignModel,
    open_values: dict[pulp.LpVariable, float],
    settings: SolverSettings,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> tuple[dict[pulp.LpVariable, float] | None, SolverResult | None]:
    """A full solution of ``model`` with only the sites ``open_values`` opens, or None.

    ``open_values`` holds the LP value of each module-open variable (for instance the largest over the
    separation rounds). Returns the variable values (for :func:`optimizer.design.solvers.run_solver`'s
    ``warm_start``) and the restricted solve's result; (None, None) when the LP opens every candidate
    site, so that there is nothing to restrict. The model's bounds and rows are restored before
    returning (the linking rows added for the restricted model are removed again).
    """
    support = {
        site_id for (site_id, _), var in model.module_open.items() if open_values.get(var, 0.0) > LP_OPEN_EPS
    }
    candidates = {s.id for s in model.sites if s.status is SiteStatus.CANDIDATE}
    shut = candidates - support
    if not shut:
        return None, None  # the LP opens every candidate: no restriction to exploit
    shut_index = np.array([j for j, s in enumerate(model.sites) if s.id in shut], dtype=np.int64)
    P = model.n_points
    node_shut = np.zeros(len(model.node_ids), dtype=bool)
    node_shut[P + shut_index] = True
    arc_shut = node_shut[model.arcs.head] | node_shut[model.arcs.tail]
    extra = np.zeros(model.link_arcs.size, dtype=bool)
    if model.link_arcs.size:
        open_links = ~arc_shut[model.link_arcs]
        extra = open_links & ~model.link_added
        if int(extra.sum()) + int(model.link_added.sum()) <= RESTRICTED_LINK_MAX:
            model.add_linking(extra)
        else:
            extra[:] = False
    if progress is not None:
        progress(
            ProgressEvent(
                msg("phase.solving_lp_sites"),
                0.0,
                msg("progress.restricted", kept=len(candidates) - len(shut), total=len(candidates)),
            )
        )
    # presolve on where the restricted MILP is small (capa: 26,000 columns, its probing lifts the root
    # bound), else HiGHS's own rule: its presolve does not stop at the time limit (five copies of the
    # national sample, about 200,000 columns left: solve() ended 63 s past a 600 s limit with it, 9 s
    # without)
    columns_left = len(model.flow) - int(arc_shut.sum())
    presolve = True if columns_left <= RESTRICTED_PRESOLVE_MAX else None
    fixed = [var for (site_id, _), var in model.module_open.items() if site_id in shut]
    fixed += [model.flow[n] for n in np.flatnonzero(arc_shut).tolist()]
    saved = [(var, var.lowBound, var.upBound) for var in fixed]
    try:
        for var in fixed:
            var.lowBound = 0.0
            var.upBound = 0.0
        result = run_solver(
            model.problem,
            dataclasses.replace(settings, log_to_progress=False, presolve=presolve),
            progress=progress,
            cancel=cancel,
            phase=msg("phase.solving_lp_sites"),
        )
    finally:
        for var, lower, upper in saved:
            var.lowBound = lower
            var.upBound = upper
        # the full model's LP is slowed by rows its relaxation does not need (national sample at 60 s:
        # gap 0.59 % keeping them, 0.14 % without)
        model.remove_linking(extra)
    if not result.has_solution:
        return None, result
    values = {v: float(v.varValue) for v in model.problem.variables() if v.varValue is not None}
    return values, result
