"""Solve the multi-year investment plan: one pure entry point, honest statuses, infeasibility per year.

:func:`solve_multiyear` builds the MILP of :mod:`optimizer.design.multiyear`, runs it through
:func:`optimizer.design.solvers.run_solver` (progress, cancel, time limit as for a single-year solve),
reads every period's plan with the single-year extractor, and fills in the economics
(:mod:`optimizer.design.economics`). The returned :class:`~optimizer.design.plan.Plan` carries the last
year's sites, flows and KPIs, every year's plan in ``year_plans``, the build schedule, the yearly cash
flow, NPV, IRR and paybacks. When the requirements cannot all hold, each year is explained on its own
("2027: the 60 % target is 1,240 t Cu short; best reachable 57.8 %"); when every year could hold alone,
the plan says it is the capital budgets, lead times or build times that stop them.
"""

from __future__ import annotations

import dataclasses
import time

import pulp

from optimizer.design.economics import Closing, period_economics, with_investment_figures
from optimizer.design.extract import extract
from optimizer.design.formulation import Requirements
from optimizer.design.infeasibility import explain
from optimizer.design.investment import capex_of, payment_offsets
from optimizer.design.multiyear import (
    MultiYearModel,
    MultiYearObjective,
    MultiYearOptions,
    build_multiyear_model,
)
from optimizer.design.options import Objective, SolveOptions
from optimizer.design.periods import year_network
from optimizer.design.plan import Build, Plan, PlanStatus, Shortfall
from optimizer.design.solve import solve
from optimizer.design.solvers import SolveOutcome, SolverResult, SolverSettings, run_solver, solver_label
from optimizer.model import Network, SiteStatus
from optimizer.progress import CancelToken, ProgressCallback, ProgressEvent, is_cancelled, scaled
from optimizer.validation import validate

_STATUS = {
    SolveOutcome.OPTIMAL: PlanStatus.OPTIMAL,
    SolveOutcome.FEASIBLE: PlanStatus.FEASIBLE,
    SolveOutcome.NO_SOLUTION: PlanStatus.TIME_LIMIT_NO_SOLUTION,
    SolveOutcome.INFEASIBLE: PlanStatus.INFEASIBLE,
    SolveOutcome.CANCELLED: PlanStatus.CANCELLED,
    SolveOutcome.UNBOUNDED: PlanStatus.ERROR,
    SolveOutcome.ERROR: PlanStatus.ERROR,
}


def solve_multiyear(
    network: Network,
    options: MultiYearOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    validated: bool = False,
) -> Plan:
    """Plan which module to build where and when over the network's Periods, and every year's flows.

    An invalid network, a network without periods, or the ``cost`` objective without any target gives
    an ``error`` plan saying why; normal outcomes (infeasible, time limit, cancelled) are statuses.
    """
    options = options or MultiYearOptions()
    started = time.perf_counter()
    base = _empty(network, options, started)
    if not validated:
        errors = [i for i in validate(network) if i.is_error]
        if errors:
            return dataclasses.replace(
                base,
                status=PlanStatus.ERROR,
                message="the network has errors: " + "; ".join(i.message for i in errors[:5]),
            )
    if not network.periods:
        return dataclasses.replace(
            base, status=PlanStatus.ERROR, message="the network has no Periods rows: it plans one year"
        )
    _emit(progress, "building", 0.0, f"building the {len(network.periods)}-period model")
    try:
        model = build_multiyear_model(
            network, options.objective, k_nearest=options.k_nearest, cancelled=lambda: is_cancelled(cancel)
        )
    except ValueError as exc:
        return dataclasses.replace(base, status=PlanStatus.ERROR, message=str(exc))
    build_s = time.perf_counter() - started
    if len(model.years) < len(model.inputs):
        return dataclasses.replace(
            base, status=PlanStatus.CANCELLED, message="cancelled while building the model", build_s=build_s
        )
    start = None
    if model.size()["variables"] >= WARM_START_MIN_VARIABLES:
        share = max(1.0, WARM_START_SHARE * (options.time_limit_s - build_s))
        start = _warm_start(network, model, options, share, _without_gap(scaled(progress, 0.05, 0.3)), cancel)
    left = max(1.0, options.time_limit_s - (time.perf_counter() - started))
    settings = SolverSettings(
        solver=options.solver, time_limit_s=left, mip_gap=options.mip_gap, threads=options.threads
    )
    result = run_solver(
        model.problem, settings, progress=scaled(progress, 0.3 if start else 0.05, 0.95), cancel=cancel,
        phase="solving", warm_start=start,
    )
    status = _STATUS[result.outcome]
    plan = dataclasses.replace(
        base,
        status=status,
        message=_status_message(result, options),
        objective=result.objective if result.has_solution else None,
        best_bound=result.bound,
        gap=result.gap,
        build_s=build_s,
        solver=solver_label(options.solver),
        model_size=model.size(),
        notes=tuple(model.notes),
    )
    if status is PlanStatus.INFEASIBLE:
        shortfalls = _explain(network, model, settings, progress, cancel)
        plan = dataclasses.replace(plan, infeasibility=shortfalls)
    elif result.has_solution:
        plan = _with_solution(network, model, plan)
    _emit(progress, "done", 1.0, plan.status.value)
    return dataclasses.replace(plan, runtime_s=time.perf_counter() - started)


#: Models at least this big start from the last year's single-year plan (small ones solve faster
#: without: the start costs a single-year solve).
WARM_START_MIN_VARIABLES = 20_000
#: Share of the time left after building that the single-year start may use.
WARM_START_SHARE = 0.5


def _warm_start(
    network: Network,
    model: MultiYearModel,
    options: MultiYearOptions,
    time_limit_s: float,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> dict[pulp.LpVariable, float] | None:
    """A complete starting solution: the modules of the last year's single-year plan, running from the
    first period each may run in, its flows scaled to every year's supply, and the tax, residual and
    closing variables their rows imply. None when that plan has no solution. (A start that breaks a
    row, e.g. a capital budget, is only a hint HiGHS may reject.)"""
    last = model.inputs[-1]
    objective = Objective.PROFIT if options.objective is MultiYearObjective.NPV else Objective.COST
    single = solve(
        year_network(network, last, operating_fixed=False),
        SolveOptions(
            objective=objective,
            solver=options.solver,
            time_limit_s=time_limit_s,
            mip_gap=1e-3,
            threads=options.threads,
            k_nearest=options.k_nearest,
        ),
        progress=progress,
        cancel=cancel,
        validated=True,
    )
    if not single.has_solution:
        return None
    chosen = {s.site_id: s.module_id for s in single.sites}
    start: dict[pulp.LpVariable, float] = {}
    budget = {o: p.capital_budget_cny for p in model.inputs for o in p.offsets}
    paid: dict[int, float] = {}
    delayed = False  # a budget postponed a module: the last year's flows would use a site not yet built
    for site in model.sites.values():
        first = len(model.inputs)  # the first period the chosen module runs: as early as it may run
        may_run = False
        for t, period in enumerate(model.inputs):  # and as the capital budgets allow (greedy)
            module_id = chosen.get(site.id)
            if module_id is None or model.run(t, site.id, module_id).upBound == 0.0:
                continue
            module = next(k for k in site.modules if k.id == module_id)
            delayed = delayed or may_run
            may_run = True
            capex = capex_of(site, module)
            payments = {o: capex * s for o, s in payment_offsets(module, period.offset).items()}
            fits = all(
                budget.get(o) is None or paid.get(o, 0.0) + c <= (budget.get(o) or 0.0) + 1e-6
                for o, c in payments.items()
            )
            if fits:
                for o, c in payments.items():
                    paid[o] = paid.get(o, 0.0) + c
                first = t
                break
        # an existing site runs its current (first) module until the chosen expansion starts
        current = site.modules[0].id if site.status is SiteStatus.EXISTING else None
        for t in range(len(model.inputs)):
            running = chosen.get(site.id) if t >= first else current
            for k in site.modules:
                start[model.run(t, site.id, k.id)] = 1.0 if k.id == running else 0.0
    for (t, site_id, module_id), var in model.build.items():
        now = start[model.run(t, site_id, module_id)]
        before = start[model.run(t - 1, site_id, module_id)] if t > 0 else 0.0
        start[var] = max(0.0, now - before)
    if delayed:
        return start  # binaries only: HiGHS tries to complete them
    # every year's flows are the last year's scaled by its supply: balances, capacities (the last year
    # has the most supply when supply grows), blends and the utilization share all still hold
    factor_last = last.supply_factor
    for period, block in zip(model.inputs, model.years, strict=True):
        ratio = period.supply_factor / factor_last if factor_last > 0 else 0.0
        arcs = block.arcs
        triples = zip(arcs.tail.tolist(), arcs.head.tolist(), arcs.grade.tolist(), strict=True)
        ids, grades = block.node_ids, block.grade_ids
        index = {(ids[a], ids[b], grades[g]): n for n, (a, b, g) in enumerate(triples)}
        values = [0.0] * len(block.flow)
        for f in single.flows:
            n = index.get((f.from_id, f.to_id, f.grade_id))
            if n is not None:
                values[n] = f.t * ratio
        start.update(zip(block.flow, values, strict=True))
    return model.complete(start)


def _empty(network: Network, options: MultiYearOptions, started: float) -> Plan:
    return Plan(
        status=PlanStatus.ERROR,
        message="",
        objective_name=str(options.objective),
        objective=None,
        best_bound=None,
        gap=None,
        runtime_s=0.0,
        build_s=0.0,
        solver=str(options.solver),
        options=_single_year_options(options),
        network_name=network.name,
        discount_rate=network.parameters.discount_rate,
    )


def _single_year_options(options: MultiYearOptions) -> SolveOptions:
    """The single-year options each period's plan is tagged with (objective: profit or cost)."""
    objective = Objective.PROFIT if options.objective is MultiYearObjective.NPV else Objective.COST
    return SolveOptions(
        objective=objective,
        solver=options.solver,
        time_limit_s=options.time_limit_s,
        mip_gap=options.mip_gap,
        threads=options.threads,
        k_nearest=options.k_nearest,
    )


def _status_message(result: SolverResult, options: MultiYearOptions) -> str:
    if result.outcome is SolveOutcome.OPTIMAL:
        gap = "" if result.gap is None else f" (gap {100 * result.gap:.3f}%)"
        return f"optimal{gap}"
    if result.outcome is SolveOutcome.FEASIBLE:
        gap = "" if result.gap is None else f" with gap {100 * result.gap:.2f}%"
        return f"stopped at the time limit ({options.time_limit_s:g} s){gap}"
    if result.outcome is SolveOutcome.NO_SOLUTION:
        return f"no plan found within the time limit ({options.time_limit_s:g} s)"
    if result.outcome is SolveOutcome.CANCELLED:
        return "cancelled" + ("; the best plan so far is kept" if result.has_solution else "")
    if result.outcome is SolveOutcome.INFEASIBLE:
        return "the requirements cannot all hold (see below)"
    return f"the solver failed: {result.message}"


def _with_solution(network: Network, model: MultiYearModel, plan: Plan) -> Plan:
    year_plans = []
    for period, block in zip(model.inputs, model.years, strict=True):
        parts = extract(block)
        year_plans.append(
            dataclasses.replace(
                plan,
                network_name=f"{network.name} {period.year}",
                sites=parts.sites,
                flows=parts.flows,
                assignments=parts.assignments,
                smelters=parts.smelters,
                kpis=parts.kpis,
                objective=None,
                best_bound=None,
                gap=None,
                model_size={},
                notes=(),
            )
        )
    builds = []
    for (t, site_id, module_id), var in sorted(model.build.items()):
        if (var.varValue or 0.0) > 0.5 and (model.run(t, site_id, module_id).varValue or 0.0) > 0.5:
            site = model.sites[site_id]
            module = next(k for k in site.modules if k.id == module_id)
            builds.append(
                Build(
                    site_id,
                    module_id,
                    model.inputs[t].year,
                    float(module.capex_cny or 0.0),
                    module.capacity_t_per_year,
                    module.jobs,
                )
            )
    closings = [
        Closing(site_id, model.inputs[t].year, model.sites[site_id].closing_cost_cny)
        for (t, site_id), var in sorted(model.close.items())
        if (var.varValue or 0.0) > 0.5
    ]
    periods = period_economics(network, model.inputs, year_plans, builds, closings)
    last = year_plans[-1]
    merged = dataclasses.replace(
        plan,
        sites=last.sites,
        flows=last.flows,
        assignments=last.assignments,
        smelters=last.smelters,
        kpis=last.kpis,
        builds=tuple(builds),
        year_plans=tuple(year_plans),
    )
    return with_investment_figures(merged, periods, network.parameters.discount_rate)


def _explain(
    network: Network,
    model: MultiYearModel,
    settings: SolverSettings,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> tuple[Shortfall, ...]:
    """Each year's shortfalls on its own; if no single year fails, the link between the years does."""
    params = network.parameters
    out: list[Shortfall] = []
    n = len(model.inputs)
    share = dataclasses.replace(settings, time_limit_s=max(1.0, settings.time_limit_s / max(n, 1)))
    for i, period in enumerate(model.inputs):
        if is_cancelled(cancel):
            break
        req = Requirements(
            target_utilization=period.target_utilization,
            budget_cny=params.annual_budget_cny,
            max_new_sites=params.max_new_sites,
        )
        found = explain(
            year_network(network, period), req, share, progress=scaled(progress, i / n, (i + 1) / n),
            cancel=cancel,
        )
        out.extend(dataclasses.replace(s, message=f"{period.year}: {s.message}") for s in found)
    if not out:
        out.append(
            Shortfall(
                requirement="investment",
                message="every year could meet its requirements on its own, but the capital budgets, "
                "earliest years, lead times or build times leave no schedule that meets them all: raise a "
                "budget or allow an earlier build",
                required=0.0,
                achievable=0.0,
                shortfall=0.0,
                unit="",
            )
        )
    return tuple(out)


def _without_gap(progress: ProgressCallback | None) -> ProgressCallback | None:
    """Progress of the single-year start without its incumbent, bound and gap: they are not the
    multi-year model's, and a caller watching the gap would read them as its own."""
    if progress is None:
        return None

    def report(event: ProgressEvent) -> None:
        progress(dataclasses.replace(event, incumbent=None, bound=None, gap=None))

    return report


def _emit(progress: ProgressCallback | None, phase: str, fraction: float, message: str) -> None:
    if progress is not None:
        progress(ProgressEvent(phase=phase, fraction=fraction, message=message))
