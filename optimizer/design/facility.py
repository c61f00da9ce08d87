"""Facility-location solves: the Lagrangian bound, sites fixed against it, HiGHS on what is left.

Where every tonne must be collected at least cost and every collection arc ends at a site (the shape of
capacitated facility location, e.g. OR-Library capa), :func:`solve_facility_location` replaces the
general pipeline of :mod:`optimizer.design.solve` (linking-row separation, the LP sites' restricted
MILP, then the full MILP):

1. the subgradient method on :mod:`optimizer.design.lagrangian`'s bound, from each supply row's cheapest
   arc, with greedy plans of the relaxation as its target (capa at 12,000: bound 0.2 % below the optimum
   in 10 s against the LP's 2.4 %, the greedy plan at the optimum);
2. every site whose opening alone lifts that bound above the target is closed, every site whose closing
   does so is opened (capa: 67-93 of 100 closed);
3. HiGHS solves the MILP of the sites left, with all their linking rows and presolve on (capa: 7-33
   sites, 7,000-33,000 arcs).

Every plan of the full model cheaper than the target lies in the model of step 3, so the full model's
bound is ``max(Lagrangian, min(target, bound of step 3))`` (:func:`optimizer.design.lagrangian.fixed_bound`)
and the plan is called optimal only when that bound proves it. The target need not be a plan of the
model: when it is wrong (too low) the bound says so by staying below the plan. When the relaxation does
not apply, step 1 finds no target, or step 3 would carry too many linking rows, it returns None and the
general pipeline runs.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pulp

from optimizer.design.formulation import NetworkDesignModel
from optimizer.design.lagrangian import (
    FacilityRelaxation,
    LagrangianResult,
    SiteFixing,
    facility_relaxation,
    fix_sites,
    fixed_bound,
    lagrangian_bound,
    multipliers_from_duals,
)
from optimizer.design.solvers import SolveOutcome, SolverResult, SolverSettings, run_solver
from optimizer.design.warm_start import RESTRICTED_LINK_MAX
from optimizer.messages import Msg, msg
from optimizer.progress import CancelToken, ProgressCallback, ProgressEvent, is_cancelled

#: Smaller models go the general way (every linking row written, no separation): HiGHS proves OR-Library
#: cap41-cap104 (800-2,550 arcs) in 0.04 s (median) where this path took 0.5 s, and Holmberg's p59
#: (6,000 arcs) in 8.1 s against 28.1 s (load 5). capa (100,000 arcs) is where it pays.
MIN_ARCS = 20_000

#: Share of the stage's time the subgradient method may take, and at most this many seconds.
LAGRANGIAN_SHARE = 0.15
LAGRANGIAN_MAX_S = 20.0


@dataclasses.dataclass(frozen=True, slots=True)
class FacilityOutcome:
    """What :func:`solve_facility_location` did: the result for the full model and how it got there."""

    result: SolverResult
    lagrangian: LagrangianResult
    fixing: SiteFixing
    sites_left: int


def solve_facility_location(
    model: NetworkDesignModel,
    settings: SolverSettings,
    deadline: float,
    *,
    reserve_s: float = 0.0,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    phase: str | Msg = "solving",
) -> FacilityOutcome | None:
    """Solve ``model`` (objective already set) by bound, fixing and the reduced MILP; None when it does
    not apply (see the module docstring). The model's bounds and rows are restored before returning;
    its variables hold the plan when the result has one. ``reserve_s`` is kept from the MILP's time
    for reading the plan afterwards."""
    if len(model.arcs) < MIN_ARCS:
        return None
    rel = facility_relaxation(model)
    if rel is None or is_cancelled(cancel):
        return None
    left = deadline - time.monotonic()
    _emit(progress, phase, msg("progress.lagrangian_started"))
    lag = lagrangian_bound(
        rel,
        multipliers_from_duals(rel, None),
        None,
        min(LAGRANGIAN_MAX_S, LAGRANGIAN_SHARE * max(left, 0.0)),
        cancel=cancel,
        target_gap=settings.mip_gap,
    )
    if lag.upper is None or not np.isfinite(lag.bound) or is_cancelled(cancel):
        return None
    # the tests take well under a second with integral capacities (capa: 0.2 s); a share of what is left
    fix_by = time.monotonic() + LAGRANGIAN_SHARE * max(deadline - time.monotonic(), 0.0)
    fixing = fix_sites(rel, lag.multipliers, lag.upper, cancel=cancel, deadline=fix_by)
    closed = set(fixing.closed.tolist())
    kept_link = np.array([int(j) not in closed for j in model.link_site.tolist()], dtype=bool)
    extra = kept_link & ~model.link_added
    if int(extra.sum()) + int(model.link_added.sum()) > RESTRICTED_LINK_MAX:
        return None  # too many sites left for every linking row: the general pipeline separates them
    sites_left = rel.n_sites - len(closed)
    _emit(
        progress,
        phase,
        msg(
            "progress.lagrangian_fixed",
            bound=lag.bound,
            target=lag.upper,
            closed=len(closed),
            total=rel.n_sites,
        ),
        bound=lag.bound,
    )
    P = model.n_points
    node_closed = np.zeros(len(model.node_ids), dtype=bool)
    node_closed[P + fixing.closed] = True
    arc_closed = node_closed[model.arcs.head] | node_closed[model.arcs.tail]
    fixed = [model.module_open[(model.sites[j].id, m.id)] for j in closed for m in model.sites[j].modules]
    fixed += [model.flow[n] for n in np.flatnonzero(arc_closed).tolist()]
    forced = [
        model.module_open[(model.sites[j].id, model.sites[j].modules[0].id)]
        for j in fixing.opened.tolist()
        if len(model.sites[j].modules) == 1
    ]
    saved = [(var, var.lowBound, var.upBound) for var in fixed + forced]
    model.add_linking(extra)
    try:
        for var in fixed:
            var.lowBound = 0.0
            var.upBound = 0.0
        for var in forced:
            var.lowBound = 1.0
        limit = max(1.0, deadline - reserve_s - time.monotonic())
        reduced = run_solver(
            model.problem,
            dataclasses.replace(settings, time_limit_s=limit, presolve=True),
            progress=_full_model_bound(progress, lag.upper, lag.bound),
            cancel=cancel,
            warm_start=_start_values(model, rel, lag),
            phase=phase,
        )
    finally:
        for var, lower, upper in saved:
            var.lowBound = lower
            var.upBound = upper
        model.remove_linking(extra)
    if reduced.outcome is SolveOutcome.INFEASIBLE:
        return None  # no plan below the greedy target (smelter limits the relaxation drops): start over
    bound = fixed_bound(lag.upper, reduced.bound if reduced.has_solution else None, lag.bound)
    gap = _relative_gap(reduced.objective, bound) if reduced.has_solution else None
    outcome = reduced.outcome
    if outcome is SolveOutcome.OPTIMAL and (gap is None or gap > settings.mip_gap):
        outcome = SolveOutcome.FEASIBLE  # optimal for the fixed model only
    if outcome is SolveOutcome.FEASIBLE and gap is not None and gap <= settings.mip_gap:
        outcome = SolveOutcome.OPTIMAL
    result = dataclasses.replace(reduced, outcome=outcome, bound=bound, gap=gap)
    return FacilityOutcome(result, lag, fixing, sites_left)


def _start_values(
    model: NetworkDesignModel, rel: FacilityRelaxation, lag: LagrangianResult
) -> dict[pulp.LpVariable, float] | None:
    """The greedy plan of the relaxation as values of every model variable: its collection flows, each
    site's yields on its cheapest delivery arcs, its modules. A plan of the model wherever smelter
    capacities and blends do not bind (HiGHS checks it and ignores it otherwise)."""
    if lag.plan_flow is None or lag.plan_chosen is None:
        return None
    flow = np.zeros(len(model.flow))
    flow[rel.arc] = lag.plan_flow
    J, G = rel.yields.shape[0], rel.yields.shape[1]
    inflow = np.zeros((J, G))
    np.add.at(inflow, (rel.arc_site, rel.arc_grade), lag.plan_flow)
    out = np.einsum("jg,jgh->jh", inflow, rel.yields)
    sent = (out > 0) & (rel.delivery_arc >= 0)
    flow[rel.delivery_arc[sent]] += out[sent]
    values: dict[pulp.LpVariable, float] = {var: float(x) for var, x in zip(model.flow, flow, strict=True)}
    for o, var in enumerate(rel.option_vars):
        values[var] = 1.0 if lag.plan_chosen[o] else 0.0
    return values


def _emit(
    progress: ProgressCallback | None, phase: str | Msg, message: Msg, bound: float | None = None
) -> None:
    if progress is not None:
        progress(ProgressEvent(phase, None, message, bound=bound))


def _full_model_bound(
    progress: ProgressCallback | None, target: float, lagrangian: float
) -> ProgressCallback | None:
    """``progress`` with the fixed model's bound turned into the full model's (see the module docstring)."""
    if progress is None:
        return None

    def report(event: ProgressEvent) -> None:
        bound = fixed_bound(target, event.bound, lagrangian)
        progress(dataclasses.replace(event, bound=bound, gap=_relative_gap(event.incumbent, bound)))

    return report


def _relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(abs(objective), 1e-10)
