"""The one entry point of network design: ``solve(network, options) -> Plan`` (and the trade-off sweep).

Pure and Qt-free: the GUI's worker thread calls it with a progress callback and a cancel token. Normal
outcomes (infeasible, time limit, cancelled, invalid data) come back as a :class:`~optimizer.design.plan.Plan`
with that status and a plain message, never as an exception.

Phases reported to ``progress``: ``validating``, ``building``, ``solving`` (one per MILP stage: the
utilization objective runs two, the sweep one per point), ``explaining`` (infeasibility analysis) and
``extracting``.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np
import pulp

from optimizer.design.degenerate import (
    nothing_collected,
    nothing_to_decide,
    nothing_to_decide_message,
    trivial_incumbent,
)
from optimizer.design.extract import extract
from optimizer.design.facility import solve_facility_location
from optimizer.design.formulation import NetworkDesignModel, Requirements, Restriction, build_model
from optimizer.design.full_lagrangian import full_network_bound
from optimizer.design.full_lagrangian import time_budget as full_bound_time
from optimizer.design.heuristic import heuristic_start, not_worse
from optimizer.design.infeasibility import explain
from optimizer.design.options import Objective, SolveOptions
from optimizer.design.plan import Kpis, ParetoResult, Plan, PlanStatus, joined
from optimizer.design.separation import separate_linking_rows
from optimizer.design.solvers import (
    SolveOutcome,
    SolverResult,
    SolverSettings,
    run_solver,
    solver_label,
)
from optimizer.design.warm_start import lp_support_start
from optimizer.issues import errors
from optimizer.messages import Localized, Msg, msg
from optimizer.model import Network
from optimizer.progress import (
    Cancelled,
    CancelToken,
    ProgressCallback,
    ProgressEvent,
    interruptible,
    is_cancelled,
    scaled,
)
from optimizer.validation import validate

#: Share of a stage's time limit that separating linking rows may take (large models only).
SEPARATION_SHARE = 0.4

#: Share of a stage's time limit that the MILP restricted to the LP relaxation's sites may take.
WARM_START_SHARE = 0.35

#: The lexicographic second stage keeps copper delivered within this relative tolerance of the optimum.
LEXICOGRAPHIC_TOLERANCE = 1e-6

#: Share of the time left that the first (most copper) stage of the utilization objective may take; the
#: least-cost second stage starts from its plan and gets the rest.
UTILIZATION_FIRST_SHARE = 0.7

#: Seconds kept from the last solver call per arc of the model, for HiGHS's overrun past its limit and
#: reading the plan (national sample, 99,650 arcs, at load 7-9: both took 3.6-4.7 s past a 60 s limit),
#: at most FINISH_SHARE of the stage's time.
FINISH_S_PER_ARC = 2.5e-5
FINISH_SHARE = 0.1

#: Seconds any solver call gets at least, even past the deadline (a plan late is better than none).
MIN_STAGE_S = 1.0

_OUTCOME_STATUS = {
    SolveOutcome.OPTIMAL: PlanStatus.OPTIMAL,
    SolveOutcome.FEASIBLE: PlanStatus.FEASIBLE,
    SolveOutcome.NO_SOLUTION: PlanStatus.TIME_LIMIT_NO_SOLUTION,
    SolveOutcome.INFEASIBLE: PlanStatus.INFEASIBLE,
    SolveOutcome.CANCELLED: PlanStatus.CANCELLED,
    SolveOutcome.UNBOUNDED: PlanStatus.ERROR,
    SolveOutcome.ERROR: PlanStatus.ERROR,
}


def requirements_of(network: Network, options: SolveOptions) -> Requirements:
    """The requirements a solve enforces: the options' values, else the network's parameters."""
    p = network.parameters
    target = options.target_utilization if options.target_utilization is not None else p.target_utilization
    budget = options.budget_cny if options.budget_cny is not None else p.annual_budget_cny
    return Requirements(
        target_utilization=target,
        budget_cny=budget,
        max_new_sites=p.max_new_sites,
        k_nearest=options.k_nearest,
        collection_site_factors=options.collection_site_factors,
        collection_arc_costs=options.collection_arc_costs,
    )


def settings_of(options: SolveOptions) -> SolverSettings:
    return SolverSettings(
        solver=options.solver,
        time_limit_s=options.time_limit_s,
        mip_gap=options.mip_gap,
        threads=options.threads,
        log_to_progress=options.log_to_progress,
    )


def solve(
    network: Network,
    options: SolveOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    validated: bool = False,
) -> Plan:
    """Design the network: open sites, choose modules, route every grade, under ``options``.

    ``options.time_limit_s`` bounds the whole call (validation and model building included), not each
    solver run. ``options.pareto_points`` is ignored here; :func:`solve_pareto` runs the sweep. The
    network is validated first (an invalid one gives an ``error`` plan listing the problems); pass
    ``validated=True`` when the caller has just validated this very network, to skip repeating it
    (validation takes seconds on networks with 100,000 distance overrides).
    """
    session = _Session(network, options or SolveOptions(), progress, cancel, validated)
    return session.run()


def solve_pareto(
    network: Network,
    options: SolveOptions | None = None,
    n_points: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    validated: bool = False,
) -> ParetoResult:
    """The cost-vs-utilization trade-off by the epsilon-constraint method, one full plan per point.

    The highest point is the best reachable utilization (subject to the budget and the other
    requirements); the lowest is ``options.target_utilization`` when given, else the utilization of the
    least-cost plan without a target (usually 0). In between, ``n_points`` evenly spaced utilization
    floors each get a least-cost plan. ``options.time_limit_s`` bounds the whole sweep: each solve gets an
    even share of the time left.
    """
    options = options or SolveOptions()
    n = n_points if n_points is not None else (options.pareto_points or 5)
    if n < 2:
        raise ValueError(f"a trade-off sweep needs at least 2 points, got {n}")
    session = _Session(network, options.replace(objective=Objective.COST), progress, cancel, validated)
    return session.run_pareto(n)


@dataclass(slots=True)
class _Stage:
    result: SolverResult
    objective_name: str


class _Session:
    def __init__(
        self,
        network: Network,
        options: SolveOptions,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
        validated: bool = False,
    ) -> None:
        self.validated = validated
        self.network = network
        self.options = options
        self.progress = progress
        self.cancel = cancel
        self.started = time.monotonic()
        self.deadline = self.started + options.time_limit_s
        self.build_s = 0.0
        #: why nothing can be collected (set when the model is built), e.g. every arc beyond the haul limits
        self.degenerate: Msg | None = None
        self.settings = settings_of(options)
        self.req = requirements_of(network, options)
        #: the model when it is restricted (formulation.Restriction): its bounds are the full network's
        self.restricted: NetworkDesignModel | None = None
        self.notes: list[Msg] = []

    # --- helpers -------------------------------------------------------------------------------------

    def _emit(self, phase: str | Msg, fraction: float | None, message: str | Msg = "") -> None:
        if self.progress is not None:
            self.progress(ProgressEvent(phase, fraction, message, self.elapsed()))

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def _scaled(self, start: float, end: float) -> ProgressCallback | None:
        """``progress`` for one phase: fraction mapped into [start, end], time since the job started."""
        inner = scaled(self.progress, start, end)
        if inner is None:
            return None

        def report(event: ProgressEvent) -> None:
            event = dataclasses.replace(event, elapsed_s=self.elapsed())
            if self.restricted is not None:
                # a restricted model's own bounds hold for its arcs only: show the full network's
                bound = self.restricted.full_bound
                event = dataclasses.replace(event, bound=bound, gap=_relative_gap(event.incumbent, bound))
            inner(event)

        return report

    def _plan(self, status: PlanStatus, message: Msg, **kw: object) -> Plan:
        fields: dict[str, object] = {
            "status": status,
            "status_message": message,
            "objective_name": str(self.options.objective),
            "objective": None,
            "best_bound": None,
            "gap": None,
            "runtime_s": self.elapsed(),
            "build_s": self.build_s,
            "solver": solver_label(self.options.solver),
            "options": self.options,
            "network_name": self.network.name,
            "notes": tuple(self.notes),
        }
        fields.update(kw)
        return Plan(**fields)  # type: ignore[arg-type]

    def time_left(self, share: float = 1.0) -> float:
        """Seconds a solver call may take: ``share`` of what is left before the deadline (at least 1 s)."""
        return max(MIN_STAGE_S, share * (self.deadline - time.monotonic()))

    def _check(self, needs_target: bool) -> Plan | None:
        """An ``error`` plan when the network is invalid or the objective lacks its target, else None.

        The single solve and the sweep share it, so both report the same problems the same way. A
        network without supply is not an error: its plan says there is nothing to decide.
        """
        self._emit("validating", 0.0)
        try:
            with interruptible(self.cancel):  # seconds on 100,000 distance overrides, no checks inside
                problems = [] if self.validated else errors(validate(self.network))
        except Cancelled:
            return self._cancelled_early()
        if problems:
            listed = Localized(
                "; ".join(p.display("en") for p in problems[:10]),
                "；".join(p.display("zh") for p in problems[:10]),
            )
            code = "plan.network_errors_more" if len(problems) > 10 else "plan.network_errors"
            said = msg(code, count=len(problems), listed=listed, more=len(problems) - 10)
            return self._plan(PlanStatus.ERROR, said)
        if needs_target and self.req.target_utilization is None:
            return self._plan(PlanStatus.ERROR, msg("plan.cost_needs_target"))
        return None

    def _cancelled_early(self) -> Plan:
        """The plan of a solve cancelled while validating or building, before any solver ran."""
        text = msg("status.cancelled_empty")
        self._emit("done", 1.0, text)
        return self._plan(PlanStatus.CANCELLED, text)

    def _build(self, req: Requirements, restrict: bool = False) -> NetworkDesignModel:
        self._emit("building", 0.0, msg("progress.building"))
        t0 = time.monotonic()
        with interruptible(self.cancel):  # pure Python, seconds to a minute: a cancel stops it at once
            # a network of millions of arcs: each yard's cheapest are columns, the rest priced (formulation)
            model = build_model(self.network, req, restrict=Restriction() if restrict else None)
        self.restricted = model if model.full is not None else None
        self.build_s += time.monotonic() - t0
        self.notes.extend(model.notes)
        self.degenerate = nothing_to_decide(model)
        size = model.size()
        self._emit(
            "building",
            0.05,
            msg(
                "progress.built",
                arcs=size["arcs"],
                binaries=size["binaries"],
                constraints=size["constraints"],
                seconds=self.build_s,
            ),
        )
        return model

    def _solve(
        self,
        model: NetworkDesignModel,
        objective: Objective,
        start: float,
        end: float,
        phase: str | Msg = "solving",
        warm: bool = False,
        share: float = 1.0,
    ) -> SolverResult:
        """One MILP stage within ``share`` of the time left: linking rows, a starting plan, the solve.

        On large models (linking rows separated) the stage spends at most :data:`SEPARATION_SHARE` of its
        time on separating linking rows from the LP relaxation and at most :data:`WARM_START_SHARE` on
        the MILP restricted to the LP's sites (:mod:`optimizer.design.warm_start`); the rest goes to the full
        MILP, which starts from that plan.
        """
        model.set_objective(objective)
        limit = self.time_left(share)
        deadline = time.monotonic() + limit
        warm_start = None
        restricted: SolverResult | None = None
        lp_bound: float | None = None
        if warm and model.flow and model.flow[0].varValue is not None:
            warm_start = {v: float(v.varValue) for v in model.problem.variables() if v.varValue is not None}
        maximise = model.problem.sense == pulp.LpMaximize
        first: SolverResult | None = None
        multipliers: dict[str, float] | None = None
        if warm_start is None and model.full is None:
            # facility location (every tonne collected, every arc into a site): a Lagrangian bound, the
            # sites it rules out closed, HiGHS on the rest (optimizer.design.facility); else None
            facility = solve_facility_location(
                model,
                self.settings,
                deadline,
                reserve_s=min(FINISH_SHARE * limit, FINISH_S_PER_ARC * len(model.flow)),
                progress=self._scaled(start, end),
                cancel=self.cancel,
                phase=phase,
            )
            if facility is not None:
                return facility.result
        if warm_start is None:
            # a first plan in seconds, shown at once and handed to HiGHS (optimizer.design.heuristic)
            warm_start, first, multipliers = heuristic_start(
                model, deadline - time.monotonic(), cancel=self.cancel, progress=self._scaled(start, end)
            )
            restricted = first
            # on a restricted model the heuristic's bound is the full network's (priced over every arc)
            lp_bound = first.bound if first is not None else None
            if model.full is not None and lp_bound is not None:
                model.full_bound = _tighter(model.full_bound, lp_bound, maximise)
        # a heuristic that took most of the stage (large models) leaves separation too little for a
        # round that pays: syn5000x200 ran one partial round from 85 s to 125 s and HiGHS ended at 130 s
        # of a 120 s limit, with the heuristic's plan and bound unchanged; on a restricted model the
        # heuristic priced the omitted arcs itself (optimizer.design.full_columns)
        late = first is not None and deadline - time.monotonic() < SEPARATION_SHARE * limit
        full_bound: float | None = None
        if model.full is not None and not is_cancelled(self.cancel):
            # the site Lagrangian over every arc (full_lagrangian): a bound for the full network in seconds,
            # before separation takes the rest (its LP, priced, rarely converges on national5 in 120 s)
            found = full_network_bound(
                model,
                full_bound_time(limit, deadline - time.monotonic()),
                incumbent=first.objective if first is not None and first.has_solution else None,
                cancel=self.cancel,
                multipliers=multipliers,
            )
            if found is not None:
                model.full_bound = full_bound = lp_bound = _tighter(lp_bound, found.bound, maximise)
        if (model.linking_pending or model.full is not None) and not late and not is_cancelled(self.cancel):
            self._emit("strengthening", start, msg("progress.separating"))
            flows, opens, bound = model.linking_candidates()
            group, rank = model.link_groups()
            separation = separate_linking_rows(
                model.problem,
                flows,
                opens,
                bound,
                # its share of the stage, and never past the stage's end (a starting plan may come first)
                dataclasses.replace(
                    self.settings,
                    time_limit_s=max(0.5, min(SEPARATION_SHARE * limit, deadline - time.monotonic())),
                ),
                cancel=self.cancel,
                seed=model.link_seed() & ~model.link_added,
                group=group,
                rank=rank,
                model=model,
            )
            added = model.add_linking(separation.rows)
            lp_bound = _tighter(lp_bound, separation.lp_bound, maximise)
            if model.full is not None:
                # a restricted model: separation priced the omitted arcs in (those that improve the LP
                # joined the model); its bound holds for every arc only when none was left
                lp_bound = model.full_bound = _tighter(model.full_bound, full_bound, maximise)
            self._emit(
                "strengthening",
                start,
                msg(
                    "progress.linking_added" if separation.converged else "progress.linking_added_partial",
                    rows=added,
                    rounds=separation.rounds,
                ),
            )
            if (
                (warm_start is None or first is not None)
                and separation.open_peak is not None
                and not _out_of_time(first, deadline)
            ):
                left = deadline - time.monotonic()
                heuristic_values = warm_start
                warm_start, restricted = lp_support_start(
                    model,
                    separation.open_peak,
                    dataclasses.replace(
                        self.settings, time_limit_s=max(MIN_STAGE_S, min(WARM_START_SHARE * limit, left))
                    ),
                    progress=not_worse(
                        _with_bound(self._scaled(start, start + 0.3 * (end - start)), lp_bound),
                        first.objective if first is not None else None,
                        maximise,
                    ),
                    cancel=self.cancel,
                )
                if first is not None and (restricted is None or not _better(restricted, first, maximise)):
                    warm_start, restricted = heuristic_values, first  # the heuristic's plan is the better
                if restricted is not None and restricted.has_solution and restricted is not first:
                    self._emit(
                        "solving",
                        start + 0.3 * (end - start),
                        msg("progress.start_plan", objective=restricted.objective),
                    )
        if restricted is not None and restricted.has_solution and lp_bound is not None:
            gap = _relative_gap(restricted.objective, lp_bound)
            if gap is not None and gap <= self.options.mip_gap:
                # the restricted plan is already within the requested gap of the LP bound: done
                _zero_new_arcs(model, warm_start)
                for var, value in (warm_start or {}).items():
                    var.varValue = value
                return dataclasses.replace(
                    restricted, outcome=SolveOutcome.OPTIMAL, bound=lp_bound, gap=gap, message="Optimal"
                )
        # the plan is still to be read and written after the solver: keep that time out of its limit
        reserve = min(FINISH_SHARE * limit, FINISH_S_PER_ARC * len(model.flow))
        settings = dataclasses.replace(
            self.settings, time_limit_s=max(MIN_STAGE_S, deadline - reserve - time.monotonic())
        )
        if restricted is not None and warm_start and _out_of_time(restricted, deadline - reserve):
            # no time left and a plan in hand: it stands (handing a 200,000-column model to HiGHS alone
            # takes seconds, and a solver call gets at least MIN_STAGE_S: national5 ended 16 s late)
            _zero_new_arcs(model, warm_start)
            for var, value in warm_start.items():
                var.varValue = value
            result = dataclasses.replace(restricted, outcome=SolveOutcome.FEASIBLE)
        else:
            result = run_solver(
                model.problem,
                settings,
                progress=not_worse(
                    self._scaled(start, end),
                    restricted.objective if restricted is not None else None,
                    maximise,
                ),
                cancel=self.cancel,
                warm_start=warm_start,
                phase=phase,
            )
        if (
            restricted is not None
            and restricted.has_solution
            and warm_start
            and _better(restricted, result, maximise)
        ):
            # the full solve stopped without accepting the start, or (CBC takes no start) ended with a
            # worse plan: the restricted plan stands
            _zero_new_arcs(model, warm_start)
            for var, value in warm_start.items():
                var.varValue = value
            outcome = result.outcome
            if outcome is SolveOutcome.NO_SOLUTION:
                outcome = SolveOutcome.FEASIBLE
            result = dataclasses.replace(
                result,
                outcome=outcome,
                has_solution=True,
                objective=restricted.objective,
                gap=_relative_gap(restricted.objective, result.bound),
            )
        stopped = (SolveOutcome.FEASIBLE, SolveOutcome.NO_SOLUTION, SolveOutcome.CANCELLED)
        if model.full is not None:
            # HiGHS's bound is the restricted model's: only the priced LP bound holds for every arc
            outcome = SolveOutcome.FEASIBLE if result.outcome is SolveOutcome.OPTIMAL else result.outcome
            result = dataclasses.replace(result, outcome=outcome, bound=None, gap=None)
        if lp_bound is not None and result.outcome in stopped:
            # the separation LP is a relaxation of the full model: its optimum bounds the MILP too
            candidates = [b for b in (result.bound, lp_bound) if b is not None]
            best = min(candidates) if maximise else max(candidates)
            gap = _relative_gap(result.objective, best)
            result = dataclasses.replace(result, bound=best, gap=gap)
            if result.outcome is SolveOutcome.FEASIBLE and gap is not None and gap <= self.options.mip_gap:
                result = dataclasses.replace(result, outcome=SolveOutcome.OPTIMAL)
        return result

    def _finish(
        self,
        model: NetworkDesignModel,
        stages: list[_Stage],
        options: SolveOptions | None = None,
    ) -> Plan:
        """A plan from the last stage's solution; the status is the weakest over the stages."""
        main = stages[0].result
        last = stages[-1].result
        status = _weakest([_OUTCOME_STATUS[s.result.outcome] for s in stages])
        limit = f"{self.options.time_limit_s:g}"
        if status is PlanStatus.CANCELLED and not last.has_solution:
            status_text = msg("status.cancelled_empty")
        elif status is PlanStatus.CANCELLED:
            status_text = msg("status.cancelled")
        elif status is PlanStatus.FEASIBLE:
            gaps = [s.result.gap for s in stages if s.result.gap is not None]
            status_text = (
                msg("status.time_limit", limit=limit, gap=f"{100 * max(gaps):.2f}%")
                if gaps
                else msg("status.time_limit_no_gap", limit=limit)
            )
        elif status is PlanStatus.TIME_LIMIT_NO_SOLUTION:
            status_text = msg("status.time_limit_no_solution", limit=limit)
        elif status is PlanStatus.ERROR:
            status_text = msg("status.error")
        else:
            status_text = (
                msg("status.optimal")
                if main.gap is None
                else msg("status.optimal_gap", gap=f"{100 * main.gap:.3f}%")
            )
        message = status_text
        if status is PlanStatus.ERROR:
            bad = next(s.result for s in stages if _OUTCOME_STATUS[s.result.outcome] is PlanStatus.ERROR)
            message = (
                msg("status.error_log", why=bad.message, log=" | ".join(bad.log_tail[-3:]))
                if bad.log_tail
                else msg("status.error_because", why=bad.message)
            )
        kw: dict[str, object] = {
            "objective_name": stages[0].objective_name,
            "objective": main.objective,
            "best_bound": main.bound,
            "gap": main.gap,
            "model_size": model.size(),
        }
        if options is not None:
            kw["options"] = options
        if last.has_solution and status is not PlanStatus.ERROR:
            self._emit("extracting", 0.96, msg("progress.extracting"))
            parts = extract(model)
            kw.update(
                sites=parts.sites,
                flows=parts.flows,
                assignments=parts.assignments,
                smelters=parts.smelters,
                kpis=parts.kpis,
            )
        if self.req.k_nearest is not None:
            self.notes.append(msg("plan_note.k_nearest", k=self.req.k_nearest))
        message = self._explained(message, status, kw.get("kpis"))
        plan = self._plan(status, message, **kw)
        self._emit("done", 1.0, status_text)
        return plan

    def _explained(self, message: Msg, status: PlanStatus, kpis: object) -> Msg:
        """``message``, saying why when the plan collects nothing.

        Either the network has nothing to decide (no scrap can reach a site or smelter), or the solver
        stopped with only the trivial plan, which is feasible but no plan a planner wants: say so, and
        what gives the solver a chance (more time, fewer arcs).
        """
        if self.degenerate is not None:
            return nothing_to_decide_message(self.degenerate, message)
        if not isinstance(kpis, Kpis) or kpis.collected_t > 0:
            return message
        trivial = trivial_incumbent(status, self.options.time_limit_s, self.req.k_nearest)
        return message if trivial is None else trivial  # it says all the status message says, and more

    def _infeasible(
        self, model: NetworkDesignModel, stage_name: str, req: Requirements | None = None
    ) -> Plan:
        self._emit("explaining", 0.9, msg("progress.explaining"))
        shortfalls = explain(
            self.network,
            req or self.req,
            dataclasses.replace(self.settings, time_limit_s=self.time_left()),
            progress=self._scaled(0.9, 0.99),
            cancel=self.cancel,
        )
        reasons = [s.reason for s in shortfalls]
        if self.degenerate is not None:
            reasons.insert(0, nothing_collected(self.degenerate))
        if reasons:
            message = msg("plan.infeasible", reasons=joined(reasons))
        else:
            message = msg("plan.infeasible_unexplained")
        return self._plan(
            PlanStatus.INFEASIBLE,
            message,
            objective_name=stage_name,
            infeasibility=tuple(shortfalls),
            model_size=model.size(),
        )

    # --- single solve ----------------------------------------------------------------------------------

    def run(self) -> Plan:
        bad = self._check(needs_target=self.options.objective is Objective.COST)
        if bad is not None:
            return bad
        try:
            model = self._build(self.req, restrict=True)
        except Cancelled:
            return self._cancelled_early()
        objective = self.options.objective
        if objective is Objective.UTILIZATION and self.degenerate is None:
            return self._run_utilization(model)
        if objective is Objective.UTILIZATION:
            # nothing can be delivered whatever the plan: only its cost is left to decide
            objective = Objective.COST
        result = self._solve(model, objective, 0.05, 0.95)
        if result.outcome is SolveOutcome.INFEASIBLE and model.full is not None:
            # infeasible over each yard's cheapest arcs is not infeasible: the full model decides
            model = self._build(self.req)
            result = self._solve(model, objective, 0.05, 0.95)
        if result.outcome is SolveOutcome.INFEASIBLE:
            return self._infeasible(model, str(objective))
        return self._finish(model, [_Stage(result, str(objective))])

    def _run_utilization(self, model: NetworkDesignModel) -> Plan:
        first = self._solve(model, Objective.UTILIZATION, 0.05, 0.5, share=UTILIZATION_FIRST_SHARE)
        if first.outcome is SolveOutcome.INFEASIBLE:
            return self._infeasible(model, "utilization")
        if not first.has_solution or first.outcome is SolveOutcome.CANCELLED:
            return self._finish(model, [_Stage(first, "utilization")])
        best = float(model.copper_delivered().value() or 0.0)
        floor = best - LEXICOGRAPHIC_TOLERANCE * max(abs(best), 1.0)
        model.add_copper_floor(floor, "lexicographic_floor")
        saved = {v: v.varValue for v in model.problem.variables()}
        second = self._solve(
            model, Objective.COST, 0.5, 0.95, phase=msg("phase.solving_least_cost_at_best"), warm=True
        )
        if not second.has_solution:
            # keep the first stage's solution rather than show nothing
            for var, value in saved.items():
                var.varValue = value
            self.notes.append(
                msg(
                    "plan_note.least_cost_failed",
                    outcome=msg(f"outcome.{second.outcome.value}"),
                    why=second.message,
                )
            )
            second = dataclasses.replace(second, has_solution=True)
        else:
            self.notes.append(
                msg(
                    "plan_note.least_cost",
                    cost=f"{second.objective:,.0f}",
                    outcome=msg(f"outcome.{second.outcome.value}"),
                    gap=_pct(second.gap),
                )
            )
        return self._finish(model, [_Stage(first, "utilization"), _Stage(second, "cost")])

    # --- trade-off sweep -------------------------------------------------------------------------------

    def run_pareto(self, n: int) -> ParetoResult:
        bad = self._check(needs_target=False)
        if bad is not None:
            return ParetoResult((bad,), (), bad.status, bad.status_message, self.elapsed())
        req = Requirements(
            target_utilization=None,
            budget_cny=self.req.budget_cny,
            max_new_sites=self.req.max_new_sites,
            k_nearest=self.req.k_nearest,
        )
        try:
            model = self._build(req)
        except Cancelled:
            early = self._cancelled_early()
            return ParetoResult((early,), (), early.status, early.status_message, self.elapsed())
        total_cu = model.total_supply_t_cu
        if self.degenerate is not None:
            # one plan is all there is: it collects nothing, at the least fixed cost
            only = self._solve(model, Objective.COST, 0.05, 0.95)
            plan = self._finish(model, [_Stage(only, "cost")])
            return ParetoResult((plan,), (0.0,), plan.status, plan.status_message, self.elapsed())
        # each solve of the sweep gets an even share of the time left: top, bottom (without a target), points
        solves_left = n + (1 if self.req.target_utilization is not None else 2)
        top = self._solve(
            model,
            Objective.UTILIZATION,
            0.05,
            0.15,
            phase=msg("phase.solving_best_utilization"),
            share=1.0 / solves_left,
        )
        if not top.has_solution:
            status = _OUTCOME_STATUS[top.outcome]
            if top.outcome is SolveOutcome.INFEASIBLE:
                plan = self._infeasible(model, "utilization", req)
            else:
                plan = self._finish(model, [_Stage(top, "utilization")])
            return ParetoResult((plan,), (), status, plan.status_message, self.elapsed())
        u_max = float(model.copper_delivered().value() or 0.0) / total_cu
        if self.req.target_utilization is not None:
            u_lo = min(self.req.target_utilization, u_max)
        else:
            bottom = self._solve(
                model, Objective.COST, 0.15, 0.2, phase=msg("phase.solving_least_cost"), share=1.0 / (n + 1)
            )
            u_lo = float(model.copper_delivered().value() or 0.0) / total_cu if bottom.has_solution else 0.0
        targets = [float(t) for t in np.linspace(u_lo, u_max, n)]
        plans: list[Plan] = []
        for k, target in enumerate(targets):
            if is_cancelled(self.cancel):
                break
            floor = target * total_cu - LEXICOGRAPHIC_TOLERANCE * max(target * total_cu, 1.0)
            model.add_copper_floor(max(floor, 0.0), "epsilon")
            start = 0.2 + 0.75 * k / n
            result = self._solve(
                model,
                Objective.COST,
                start,
                start + 0.75 / n,
                phase=msg("phase.solving_point", k=k + 1, n=n),
                share=1.0 / (n - k),
            )
            opts = self.options.replace(objective=Objective.COST, target_utilization=round(target, 12))
            if result.outcome is SolveOutcome.INFEASIBLE:
                plans.append(self._infeasible(model, "cost", req))
            else:
                plans.append(self._finish(model, [_Stage(result, "cost")], options=opts))
            self.notes = []
        statuses = [p.status for p in plans] or [PlanStatus.CANCELLED]
        status = _weakest(statuses)
        if is_cancelled(self.cancel) and len(plans) < n:
            status = PlanStatus.CANCELLED
        message = msg(
            "status.sweep", solved=len(plans), n=n, low=f"{100 * u_lo:.1f}%", high=f"{100 * u_max:.1f}%"
        )
        return ParetoResult(tuple(plans), tuple(targets[: len(plans)]), status, message, self.elapsed())


_SEVERITY = [
    PlanStatus.OPTIMAL,
    PlanStatus.FEASIBLE,
    PlanStatus.CANCELLED,
    PlanStatus.TIME_LIMIT_NO_SOLUTION,
    PlanStatus.INFEASIBLE,
    PlanStatus.ERROR,
]


def _weakest(statuses: list[PlanStatus]) -> PlanStatus:
    return max(statuses, key=_SEVERITY.index)


def _better(restricted: SolverResult, full: SolverResult, maximise: bool) -> bool:
    """Whether the restricted start's plan beats what the full solve ended with (or it has none)."""
    if full.outcome in (SolveOutcome.INFEASIBLE, SolveOutcome.UNBOUNDED, SolveOutcome.ERROR):
        return False
    if not full.has_solution or full.objective is None:
        return True
    if restricted.objective is None:
        return False
    tolerance = 1e-9 * max(abs(full.objective), 1.0)
    if maximise:
        return restricted.objective > full.objective + tolerance
    return restricted.objective < full.objective - tolerance


def _tighter(a: float | None, b: float | None, maximise: bool) -> float | None:
    """The tighter of two bounds on the same objective (either may be unknown)."""
    known = [x for x in (a, b) if x is not None]
    if not known:
        return None
    return min(known) if maximise else max(known)


def _with_bound(progress: ProgressCallback | None, bound: float | None) -> ProgressCallback | None:
    """``progress`` with each event's bound replaced by ``bound`` and its gap recomputed from it.

    The MILP restricted to the LP relaxation's sites reports its own bound, which holds for the
    restricted model only; what the user sees is the full model's (the LP bound), never a gap of 0 %
    on a plan that is not proven optimal.
    """
    if progress is None:
        return None

    def report(event: ProgressEvent) -> None:
        progress(dataclasses.replace(event, bound=bound, gap=_relative_gap(event.incumbent, bound)))

    return report


def _out_of_time(plan: SolverResult | None, deadline: float) -> bool:
    """Whether a solver call would start with less than :data:`MIN_STAGE_S` left while ``plan`` (a
    feasible plan found earlier in the stage) can stand instead (without one, a late plan beats none)."""
    return plan is not None and plan.has_solution and deadline - time.monotonic() < MIN_STAGE_S


def _zero_new_arcs(model: NetworkDesignModel, values: dict[pulp.LpVariable, float] | None) -> None:
    """Set to 0 the flows of a restricted model that ``values`` (a plan found earlier) does not cover.

    Arcs priced into the model after that plan was found carry nothing in it, but a later solve may have
    left values in their variables.
    """
    if model.full is None or values is None:
        return
    for var in model.flow:
        if var not in values:
            var.varValue = 0.0


def _relative_gap(objective: float | None, bound: float | None) -> float | None:
    """|bound - objective| / |objective|, HiGHS's definition (None when either is unknown)."""
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(abs(objective), 1e-10)


def _pct(gap: float | None) -> str:
    return "unknown" if gap is None else f"{100 * gap:.2f}%"


__all__ = ["ParetoResult", "Plan", "SolveOptions", "requirements_of", "solve", "solve_pareto"]
