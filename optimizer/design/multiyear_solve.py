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
from optimizer.design.multiyear_bound import YearByYear, applies, plan_year_by_year
from optimizer.design.options import Objective, SolveOptions
from optimizer.design.periods import PeriodInputs, period_inputs, year_network
from optimizer.design.plan import Build, Plan, PlanStatus, Shortfall
from optimizer.design.solve import solve
from optimizer.design.solvers import SolveOutcome, SolverResult, SolverSettings, run_solver, solver_label
from optimizer.messages import Localized, Msg, msg
from optimizer.model import Network, SiteStatus
from optimizer.progress import (
    Cancelled,
    CancelToken,
    ProgressCallback,
    ProgressEvent,
    interruptible,
    is_cancelled,
    labelled_log,
    scaled,
    without_gap,
)
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

    Large models (at least :data:`YEAR_BY_YEAR_MIN_VARIABLES` variables) with the ``npv`` objective are
    first planned year by year (:mod:`optimizer.design.multiyear_bound`): a proven bound and a complete
    first plan in a few single-year solves. When that plan is within ``options.mip_gap``, or the model is
    too big for the full MILP to gain anything in the time left (:data:`FULL_MILP_MAX_VARIABLES`), it is
    the answer, with its proven gap; otherwise the full MILP starts from it and the better plan and the
    tighter bound of the two are kept.
    """
    options = options or MultiYearOptions()
    started = time.perf_counter()
    base = _empty(network, options, started)
    if not validated:
        errors = [i for i in validate(network) if i.is_error]
        if errors:
            listed = Localized(
                "; ".join(i.text("en") for i in errors[:5]), "；".join(i.text("zh") for i in errors[:5])
            )
            text = msg("multiyear.invalid", errors=listed)
            return dataclasses.replace(base, status=PlanStatus.ERROR, status_message=text)
    if not network.periods:
        text = msg("multiyear.no_periods")
        return dataclasses.replace(base, status=PlanStatus.ERROR, status_message=text)
    if options.objective is MultiYearObjective.COST and all(
        p.target_utilization is None for p in period_inputs(network)
    ):
        # build_multiyear_model refuses it too; said here as a message the app shows in its language
        text = msg("multiyear.cost_needs_target")
        return dataclasses.replace(base, status=PlanStatus.ERROR, status_message=text)
    _emit(progress, "building", 0.0, msg("multiyear.building", periods=len(network.periods)))
    cancelled_building = dataclasses.replace(
        base, status=PlanStatus.CANCELLED, status_message=msg("multiyear.cancelled_building")
    )
    try:
        # pure Python for seconds per period: a cancel raises inside it at once (under 1 s)
        with interruptible(cancel):
            model = build_multiyear_model(
                network,
                options.objective,
                k_nearest=options.k_nearest,
                cancelled=lambda: is_cancelled(cancel),
            )
    except Cancelled:
        return dataclasses.replace(cancelled_building, build_s=time.perf_counter() - started)
    except ValueError as exc:
        said = msg("multiyear.model_error", why=str(exc))
        return dataclasses.replace(base, status=PlanStatus.ERROR, status_message=said)
    build_s = time.perf_counter() - started
    if len(model.years) < len(model.inputs):
        return dataclasses.replace(cancelled_building, build_s=build_s)
    size = model.size()
    start = None
    year_by_year: YearByYear | None = None
    result: SolverResult | None = None
    failed: SolverResult | None = None
    if size["variables"] >= YEAR_BY_YEAR_MIN_VARIABLES and applies(model):
        # without the full MILP after it (the largest models) only reading the plan is left
        portion = (
            YEAR_BY_YEAR_SHARE_ALONE if size["variables"] >= FULL_MILP_MAX_VARIABLES else YEAR_BY_YEAR_SHARE
        )
        share = max(1.0, portion * (options.time_limit_s - build_s))
        year_by_year = plan_year_by_year(
            model, options, share, progress=scaled(progress, 0.05, 0.9), cancel=cancel
        )
        start = year_by_year.start
        gap = _gap(year_by_year.objective, year_by_year.bound)
        left = options.time_limit_s - (time.perf_counter() - started)
        enough = gap is not None and gap <= options.mip_gap
        if start is not None and (
            enough
            or size["variables"] >= FULL_MILP_MAX_VARIABLES
            or left < MIN_FULL_MILP_S
            or is_cancelled(cancel)
        ):
            result = _year_by_year_result(model, year_by_year, options, cancel)
        elif start is None and (size["variables"] >= FULL_MILP_MAX_VARIABLES or is_cancelled(cancel)):
            # no plan from the years and a model HiGHS cannot start on in the time left: say so now
            # rather than minutes past the limit (measured: 706 s for a 120 s limit at load 10)
            outcome = SolveOutcome.CANCELLED if is_cancelled(cancel) else SolveOutcome.NO_SOLUTION
            result = SolverResult(
                outcome,
                False,
                None,
                year_by_year.bound,
                None,
                year_by_year.seconds,
                solver_label(options.solver),
                "year by year",
            )
    elif size["variables"] >= WARM_START_MIN_VARIABLES:
        share = max(1.0, WARM_START_SHARE * (options.time_limit_s - build_s))
        start = _warm_start(network, model, options, share, without_gap(scaled(progress, 0.05, 0.3)), cancel)
    left = max(1.0, options.time_limit_s - (time.perf_counter() - started))
    settings = SolverSettings(
        solver=options.solver,
        time_limit_s=left,
        mip_gap=options.mip_gap,
        threads=options.threads,
        log_to_progress=options.log_to_progress,
    )
    horizon = f"{model.inputs[0].year}-{model.inputs[-1].year}" if len(model.inputs) > 1 else ""
    if result is None:
        result = run_solver(
            model.problem,
            settings,
            progress=labelled_log(
                scaled(progress, 0.9 if start else 0.05, 0.95), horizon or str(model.inputs[0].year)
            ),
            cancel=cancel,
            phase="solving",
            warm_start=start,
        )
        failed = result
        if year_by_year is not None and result.outcome is SolveOutcome.ERROR and year_by_year.start:
            # the full MILP failed after the years had given a complete plan: that plan and its proven
            # bound still hold for the full model, so the planner gets them rather than an error
            result = _year_by_year_result(model, year_by_year, options, cancel)
        elif year_by_year is not None:
            result = _with_year_by_year(model, result, year_by_year, options)
    status = _STATUS[result.outcome]
    notes = list(model.notes)
    # the full MILP failed and the year-by-year plan stands in for it
    failure = failed is not None and result is not failed and failed.outcome is SolveOutcome.ERROR
    if year_by_year is not None:
        bound = "-" if year_by_year.bound is None else f"{year_by_year.bound:,.0f}"
        note = msg(
            "multiyear.note_year_by_year",
            seconds=f"{year_by_year.seconds:.1f}",
            resolved=year_by_year.resolved,
            bound=bound,
        )
        notes.append(note)
        if year_by_year.borrowed:
            notes.append(msg("multiyear.note_borrowed_bounds", count=year_by_year.borrowed))
        if year_by_year.tightened:
            notes.append(msg("multiyear.note_tightened", count=year_by_year.tightened))
        if year_by_year.years:
            per_year = ", ".join(
                f"{year} {seconds:.0f} s {'-' if gap is None else f'{100 * gap:.2f} %'}"
                for year, seconds, gap in year_by_year.years
            )
            notes.append(msg("multiyear.note_years", years=per_year))
    said = _status_message(result, options, size, failure)
    plan = dataclasses.replace(
        base,
        status=status,
        status_message=said,
        objective=result.objective if result.has_solution else None,
        best_bound=result.bound,
        gap=result.gap,
        build_s=build_s,
        solver=solver_label(options.solver),
        model_size=size,
        notes=tuple(notes),
    )
    if status is PlanStatus.INFEASIBLE:
        shortfalls = _explain(network, model, settings, progress, cancel)
        plan = dataclasses.replace(plan, infeasibility=shortfalls)
    elif result.has_solution:
        plan = _with_solution(network, model, plan)
        if not plan.builds:
            first, last = model.inputs[0].year, model.inputs[-1].years[-1]
            nothing = msg("multiyear.nothing_to_build", first=first, last=last)
            plan = dataclasses.replace(plan, notes=(*plan.notes, nothing))
    _emit(progress, "done", 1.0, said)  # a message, so the app says it in its language ("完成：最优 ...")
    return dataclasses.replace(plan, runtime_s=time.perf_counter() - started)


#: Models at least this big are planned year by year first (npv objective). The yangtze_delta sample
#: over six periods (14,514 variables) is: 0.52 % proven at 66 s wall (19 s CPU, load 12-14), against the
#: full MILP's 0.60 % at its 150 s limit (54 s CPU) and a slightly worse plan; the teaching sample
#: (1,156 variables) is solved as one MILP, to optimality.
YEAR_BY_YEAR_MIN_VARIABLES = 10_000
#: Share of the time left after building that planning year by year may take (the rest: the full MILP
#: when it runs, reading the plan).
YEAR_BY_YEAR_SHARE = 0.8
#: The same share when the full MILP will not run after it (reading six national year plans: seconds).
YEAR_BY_YEAR_SHARE_ALONE = 0.9
#: Above this many variables the full MILP is not run after the year-by-year plan: on the national
#: sample over six periods (598,683 variables) HiGHS does not finish its root LP in 240 s, so it could
#: neither improve the plan nor its bound in the time a user waits.
FULL_MILP_MAX_VARIABLES = 200_000
#: The full MILP after the year-by-year plan runs only with at least this many seconds left.
MIN_FULL_MILP_S = 5.0


def _gap(objective: float | None, bound: float | None) -> float | None:
    """|bound - objective| / |objective| (HiGHS's definition), None when either is unknown."""
    if objective is None or bound is None:
        return None
    return max(0.0, bound - objective) / max(abs(objective), 1e-10)


def _apply(model: MultiYearModel, values: dict[pulp.LpVariable, float]) -> None:
    """Put ``values`` into the model's variables (every other variable 0)."""
    for var in model.problem.variables():
        var.varValue = values.get(var, 0.0)


def _year_by_year_result(
    model: MultiYearModel, found: YearByYear, options: MultiYearOptions, cancel: CancelToken | None
) -> SolverResult:
    """The year-by-year plan as the solve's result: optimal when its proven gap is within the requested
    one, else feasible with that gap (or cancelled)."""
    assert found.start is not None
    _apply(model, found.start)
    gap = _gap(found.objective, found.bound)
    if is_cancelled(cancel):
        outcome = SolveOutcome.CANCELLED
    elif gap is not None and gap <= options.mip_gap:
        outcome = SolveOutcome.OPTIMAL
    else:
        outcome = SolveOutcome.FEASIBLE
    return SolverResult(
        outcome,
        True,
        found.objective,
        found.bound,
        gap,
        found.seconds,
        solver_label(options.solver),
        "year by year",
    )


def _with_year_by_year(
    model: MultiYearModel, result: SolverResult, found: YearByYear, options: MultiYearOptions
) -> SolverResult:
    """The full MILP's result with the year-by-year plan kept when it is better and its bound when it is
    tighter (both hold for the full model)."""
    if result.outcome in (SolveOutcome.INFEASIBLE, SolveOutcome.UNBOUNDED, SolveOutcome.ERROR):
        return result
    objective, has_solution = result.objective, result.has_solution
    if (
        found.start is not None
        and found.objective is not None
        and (not has_solution or objective is None or found.objective > objective)
    ):
        _apply(model, found.start)
        objective, has_solution = found.objective, True
    bounds = [b for b in (result.bound, found.bound) if b is not None]
    bound = min(bounds) if bounds else None
    gap = _gap(objective, bound) if has_solution else None
    outcome = result.outcome
    if has_solution and outcome is SolveOutcome.NO_SOLUTION:
        outcome = SolveOutcome.FEASIBLE
    if outcome is SolveOutcome.FEASIBLE and gap is not None and gap <= options.mip_gap:
        outcome = SolveOutcome.OPTIMAL
    return dataclasses.replace(
        result, outcome=outcome, has_solution=has_solution, objective=objective, bound=bound, gap=gap
    )


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
            log_to_progress=options.log_to_progress,
        ),
        progress=labelled_log(progress, str(last.year)),
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
    # every year's flows are the last year's scaled by the year's supply: balances, capacities (the last
    # year has the most supply when supply grows), blends and the utilization share still hold. With
    # Growth rows a grade or province grows at its own pace: the smallest ratio keeps every supply
    last_supply = _supplies(network, last)
    for period, block in zip(model.inputs, model.years, strict=True):
        ratio = _least_ratio(_supplies(network, period), last_supply)
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
        status_message=msg("status.error"),
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


def _status_message(
    result: SolverResult, options: MultiYearOptions, size: dict[str, int], failure: bool = False
) -> Msg:
    """The plan's status as a catalogue message (the same words as a single-year plan's); ``failure``:
    the full MILP failed after the year-by-year plan, which is the plan."""
    limit = f"{options.time_limit_s:g}"
    gap = None if result.gap is None else f"{100 * result.gap:.2f}%"
    if result.message == "year by year" and result.outcome is SolveOutcome.FEASIBLE and gap is not None:
        if failure:
            return msg("multiyear.bounded_after_failure", gap=gap, variables=size["variables"])
        return msg("multiyear.bounded", gap=gap, variables=size["variables"])
    if result.outcome is SolveOutcome.OPTIMAL:
        if result.gap is None:
            return msg("status.optimal")
        return msg("status.optimal_gap", gap=f"{100 * result.gap:.3f}%")
    if result.outcome is SolveOutcome.FEASIBLE:
        return (
            msg("status.time_limit", limit=limit, gap=gap)
            if gap
            else msg("status.time_limit_no_gap", limit=limit)
        )
    if result.outcome is SolveOutcome.NO_SOLUTION:
        return msg("status.time_limit_no_solution", limit=limit)
    if result.outcome is SolveOutcome.CANCELLED:
        return msg("status.cancelled") if result.has_solution else msg("status.cancelled_empty")
    if result.outcome is SolveOutcome.INFEASIBLE:
        return msg("status.infeasible")
    return msg("status.error")


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
            year_network(network, period),
            req,
            share,
            progress=scaled(progress, i / n, (i + 1) / n),
            cancel=cancel,
        )
        out.extend(_year_shortfall(network, period, s) for s in found)
    if not out:
        out.append(
            Shortfall(
                requirement="investment",
                reason=msg("multiyear.schedule_infeasible"),
                required=0.0,
                achievable=0.0,
                shortfall=0.0,
                unit="",
            )
        )
    return tuple(out)


def year_shortfall_message(network: Network, period: PeriodInputs, shortfall: Shortfall) -> Msg:
    """What one year's shortfall says, as a catalogue message: the utilization target in tonnes of
    copper ("2027: the 60.0 % target is 1,240 t Cu short; best reachable 57.8 %"), any other requirement
    with the single-year explanation after the year."""
    if shortfall.requirement == "utilization_target" and shortfall.unit == "fraction":
        total = _supply_t_cu(network, period)
        return msg(
            "multiyear.target_short",
            year=period.year,
            target=f"{100 * shortfall.required:.1f} %",
            short=f"{shortfall.shortfall * total:,.0f}",
            best=f"{100 * shortfall.achievable:.1f} %",
        )
    return msg("multiyear.year_short", year=period.year, reason=shortfall.reason)


def _year_shortfall(network: Network, period: PeriodInputs, shortfall: Shortfall) -> Shortfall:
    return dataclasses.replace(shortfall, reason=year_shortfall_message(network, period, shortfall))


def _supplies(network: Network, period: PeriodInputs) -> dict[tuple[str, str], float]:
    """Each collection point's supply of each grade in ``period`` (t/yr): the Periods sheet's factor
    and the Growth sheet's rows applied, as the year's own network has them."""
    points = year_network(network, period).collection_points
    return {(cp.id, s.grade_id): s.supply_t_per_year for cp in points for s in cp.supplies}


def _least_ratio(year: dict[tuple[str, str], float], last: dict[tuple[str, str], float]) -> float:
    """The smallest ratio of a year's supply to the last year's over the supplies the last year has."""
    ratios = [year.get(key, 0.0) / t for key, t in last.items() if t > 0]
    return max(0.0, min(ratios)) if ratios else 0.0


def _supply_t_cu(network: Network, period: PeriodInputs) -> float:
    """Tonnes of copper in the period's scrap supply (the base of its utilization), Growth rows
    included."""
    cu = {g.id: g.copper_content for g in network.grades}
    return sum(t * cu.get(grade_id, 0.0) for (_cp, grade_id), t in _supplies(network, period).items())


def _emit(progress: ProgressCallback | None, phase: str, fraction: float, message: str | Msg) -> None:
    if progress is not None:
        progress(ProgressEvent(phase=phase, fraction=fraction, message=message))
