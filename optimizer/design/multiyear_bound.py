"""A proven NPV bound and a first build schedule for the multi-year plan, one single-year solve per period.

Why: the national sample over six periods is a 600,000-column MILP whose root LP HiGHS does not finish
in 240 s (measured: the LP restricted to each yard's 4 cheapest arcs, 112,000 columns, took 82 s of
interior point at load 7, and the first pricing round another 210 s). Each single year, though, reaches
0.1 % in seconds with the single-year machinery (arc pricing, linking-row separation, the first-plan
heuristic). So the years are planned one at a time, on a *relaxation* of the multi-year model that falls
apart by period:

* the years are coupled only through the module binaries (a module, once built, runs to the horizon;
  capex in the build year, residual value at the end, straight-line depreciation in the income tax).
  A module first run in period ``b`` and kept costs ``C(b) = capex paid (discounted) - residual value
  (discounted) - income-tax rate x depreciation (discounted)``. Writing ``c_t = C(t) - C(t+1)`` (with
  ``C(T) = 0``) charges a module that runs from ``b`` to the end exactly ``sum_{t >= b} c_t = C(b)``;
  charging ``c_t`` for every period it runs, in any pattern, and dropping the rows that keep it running
  (monotone builds, build-once, capital budgets) relaxes the model;
* income tax ``>= rate x taxable profit`` without its ``>= 0`` (and general VAT without its ``>= 0``)
  relaxes it too, and makes each year's after-tax cash flow ``(1 - rate) x`` a single-year profit with
  VAT-adjusted prices and the module charges as fixed costs.

So ``sum_t weight_t x (1 - rate) x (the single-year bound of year t)`` bounds the NPV from above: each
year's bound is the single-year solve's own proven bound, valid for that year whatever the solve's
status. A module that can be replaced by a bigger one (a site with two modules) stops before the
horizon: that pattern is charged ``C(b) - C(e)`` where it really costs ``capex - depreciation``; the
relaxation stays valid when ``C(e) + residual(b) >= 0`` for every such pair, checked here (no bound
otherwise).

The schedules (:func:`_schedules`): each site open from the first period a plan runs it and expanded
when a later plan runs a bigger module; the same over the last period's sites only; the last period's
modules from their first period. A period whose plan uses only sites the schedule runs, none with more
capacity than the schedule gives it, keeps its flows (they hold as they are); any other period is
solved again with the scheduled sites fixed open (and no others). The start is then a complete solution
of the multi-year model (flows, binaries, builds, taxes, residual values), and its NPV is read from the
model's own objective, so the gap it reports against the bound is honest.

Not covered (the caller then solves the full MILP as before): the ``cost`` objective, a yearly operating
budget (its row counts fixed costs, which the charges would change) and sites that may close.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

import pulp

from optimizer.design.investment import (
    capex_of,
    depreciation_applies,
    payment_offsets,
    residual_share,
    yearly_fixed_cost,
)
from optimizer.design.multiyear import MultiYearModel, MultiYearObjective, MultiYearOptions
from optimizer.design.options import Objective, SolveOptions
from optimizer.design.periods import PeriodInputs, discount, horizon_years, period_discount, year_network
from optimizer.design.plan import Plan
from optimizer.design.solve import solve
from optimizer.messages import msg
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    Network,
    PriceBasis,
    ProcessingSite,
    SiteStatus,
    Supply,
    VatMethod,
)
from optimizer.progress import (
    CancelToken,
    ProgressCallback,
    ProgressEvent,
    is_cancelled,
    labelled_log,
    scaled,
)

#: Relative MIP gap of each single-year solve: the NPV gap is about the weighted mean of the years' gaps.
YEAR_MIP_GAP = 1e-3

ModuleKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class YearByYear:
    """What planning the years one at a time gave.

    ``bound``: an upper bound on the multi-year NPV (None when a year's solve has no bound or the
    relaxation does not apply). ``start``: a complete solution of the multi-year model (None when a year
    has no plan), ``objective`` its NPV. ``resolved`` counts the periods solved again with the schedule's
    sites fixed.
    """

    bound: float | None
    start: dict[pulp.LpVariable, float] | None
    objective: float | None
    resolved: int
    seconds: float


def applies(model: MultiYearModel) -> bool:
    """Whether the relaxation holds for this model (the module docstring's cases)."""
    p = model.network.parameters
    if model.objective is not MultiYearObjective.NPV or p.annual_budget_cny is not None:
        return False
    if not 0.0 <= p.income_tax_rate < 1.0:
        return False
    return not any(s.status is SiteStatus.EXISTING and s.may_close for s in model.sites.values())


def plan_year_by_year(
    model: MultiYearModel,
    options: MultiYearOptions,
    time_limit_s: float,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> YearByYear:
    """Bound and first schedule of ``model`` from one single-year solve per period (module docstring)."""
    started = time.monotonic()
    deadline = started + time_limit_s
    charges = _charges(model)
    inputs = model.inputs
    n = len(inputs)
    rate = model.network.parameters.income_tax_rate
    bound: float | None = 0.0 if charges is not None else None
    plans: list[Plan] = []
    for t, period in enumerate(inputs):
        if is_cancelled(cancel):
            return YearByYear(None, None, None, 0, time.monotonic() - started)
        share = max(1.0, (deadline - time.monotonic()) / (n - t + 1))  # the +1: time for the re-solves
        if progress is not None:
            text = msg("multiyear.year_by_year", year=period.year, k=t + 1, n=n)
            progress(ProgressEvent("planning years", t / (n + 1), text))
        net = _relaxed_year(model, period, charges or {})
        plan = solve(
            net,
            _year_options(options, share),
            progress=labelled_log(scaled(progress, t / (n + 1), (t + 1) / (n + 1)), str(period.year)),
            cancel=cancel,
            validated=True,
        )
        plans.append(plan)
        if bound is not None and plan.best_bound is not None:
            bound += (
                period_discount(model.network.parameters.discount_rate, period) * (1 - rate) * plan.best_bound
            )
        else:
            bound = None
    if not any(p.has_solution for p in plans):
        return YearByYear(bound, None, None, 0, time.monotonic() - started)
    # a period without a plan of its own (its solve ran out of time) gets the schedule's sites fixed and
    # is solved again below, like any period whose plan differs from the schedule
    best: YearByYear | None = None
    resolved = 0
    solved: dict[tuple[int, tuple[tuple[str, str], ...]], Plan] = {}
    for schedule in _schedules(model, plans):
        if best is not None and time.monotonic() >= deadline:
            break  # the first schedule is always evaluated; the others while time is left
        flows: list[Plan] = []
        for t, period in enumerate(inputs):
            running = tuple(sorted((s, k) for s, k in schedule[t].items() if k is not None))
            own = plans[t] if plans[t].has_solution else None
            if own is not None and _running(own) == dict(running):
                flows.append(own)  # exactly the scheduled modules: its flows are the best there are
                continue
            if (t, running) in solved:
                flows.append(solved[(t, running)])
                continue
            # the period's own flows still hold when the schedule runs all its sites (none smaller);
            # solving it again with the schedule's sites puts the extra capacity to use, when there is
            # time for a proven solve (under load a second solve may get too little time for more
            # than the trivial plan)
            fallback = own if own is not None and _covers(model, schedule[t], _running(own)) else None
            if is_cancelled(cancel) or (fallback is not None and time.monotonic() >= deadline):
                if fallback is None:
                    break
                flows.append(fallback)
                continue
            resolved += 1
            share = max(1.0, (deadline - time.monotonic()) / max(1, n - t))
            fixed = solve(
                _fixed_year(model, period, schedule[t]),
                _year_options(options, share),
                progress=labelled_log(scaled(progress, n / (n + 1), 1.0), str(period.year)),
                cancel=cancel,
                validated=True,
            )
            proven = fixed.has_solution and fixed.gap is not None and fixed.gap <= YEAR_MIP_GAP
            if fallback is not None and not proven:
                flows.append(fallback)
                continue
            if not fixed.has_solution:
                break
            solved[(t, running)] = fixed
            flows.append(fixed)
        if len(flows) < n:
            continue
        start = _start(model, schedule, flows)
        objective = objective_value(model.problem, start)
        if best is None or best.objective is None or objective > best.objective:
            best = YearByYear(bound, start, objective, resolved, 0.0)
    if best is None:
        return YearByYear(bound, None, None, resolved, time.monotonic() - started)
    return dataclasses.replace(best, resolved=resolved, seconds=time.monotonic() - started)


def objective_value(problem: pulp.LpProblem, values: dict[pulp.LpVariable, float]) -> float:
    """The problem's objective at ``values`` (variables not in it count 0)."""
    objective = problem.objective
    total = float(getattr(objective, "constant", 0.0) or 0.0)
    return total + float(sum(c * values.get(v, 0.0) for v, c in objective.items()))


# --- the relaxation -------------------------------------------------------------------------------


def _charges(model: MultiYearModel) -> dict[tuple[int, str, str], float] | None:
    """CNY charged to a module for each period it runs (present value), or None when a replaceable
    module breaks the relaxation (module docstring)."""
    p = model.network.parameters
    r = p.discount_rate
    inputs = model.inputs
    T = len(inputs)
    horizon = horizon_years(inputs)
    end = discount(r, horizon - 1)
    out: dict[tuple[int, str, str], float] = {}
    for site in model.sites.values():
        for module in site.modules:
            capex = capex_of(site, module)
            if capex <= 0:
                continue
            allowed = [t for t in range(T) if model.run(t, site.id, module.id).upBound != 0.0]
            keep: dict[int, float] = {}
            residual: dict[int, float] = {}
            for t in allowed:
                offset = inputs[t].offset
                paid = sum(capex * s * discount(r, o) for o, s in payment_offsets(module, offset).items())
                residual[t] = end * capex * residual_share(module, offset, horizon, p.residual_value)
                shield = 0.0
                if p.income_tax_rate > 0 and module.economic_life_years > 0:
                    yearly = capex / module.economic_life_years
                    shield = sum(
                        p.income_tax_rate * yearly * period_discount(r, q)
                        for q in inputs[t:]
                        if depreciation_applies(module, offset, q.offset)
                    )
                keep[t] = paid - residual[t] - shield
            if len(site.modules) > 1:
                for b in allowed:
                    if any(keep[e] + residual[b] < 0 for e in allowed if e > b):
                        return None
            for t in allowed:
                out[(t, site.id, module.id)] = keep[t] - keep.get(t + 1, 0.0)
    return out


def _relaxed_year(
    model: MultiYearModel, period: PeriodInputs, charges: dict[tuple[int, str, str], float]
) -> Network:
    """Period ``period``'s network whose single-year profit, x weight x (1 - tax rate), bounds that
    period's share of the NPV: the modules it may run, each at its fixed opex plus its charge (as a
    yearly amount before tax), and prices net of the VAT the period pays."""
    p = model.network.parameters
    weight = period_discount(p.discount_rate, period) * (1.0 - p.income_tax_rate)
    base = year_network(model.network, period)
    sites = []
    for site in base.sites:
        original = model.sites.get(site.id)
        if original is None:  # closed or without modules: the builder leaves it out anyway
            sites.append(site)
            continue
        modules = []
        for module, first in zip(site.modules, original.modules, strict=True):
            if model.run(period.index, site.id, module.id).upBound == 0.0:
                continue
            charge = charges.get((period.index, site.id, module.id), 0.0) / weight
            modules.append(
                dataclasses.replace(
                    module, capex_cny=None, fixed_cost_cny_per_year=yearly_fixed_cost(first) + charge
                )
            )
        if modules:
            sites.append(dataclasses.replace(site, modules=tuple(modules)))
    return _net_of_vat(base.replace(sites=tuple(sites)), period)


def _net_of_vat(network: Network, period: PeriodInputs) -> Network:
    """Smelter prices (and for the general method purchase prices) times (1 - refund share x VAT share):
    the single-year margin then is the margin after the VAT the multi-year objective charges."""
    p = network.parameters
    keep = 1.0 - p.vat_refund_share
    if p.vat_method == VatMethod.SIMPLIFIED:
        factor = 1.0 - keep * p.vat_rate_simplified / (1.0 + p.vat_rate_simplified)
    elif p.vat_method == VatMethod.GENERAL:
        factor = 1.0 - keep * p.vat_rate_general / (1.0 + p.vat_rate_general)
    else:
        return network
    price = period.copper_price_cny_per_t
    smelters = tuple(
        dataclasses.replace(
            s,
            price_basis=PriceBasis.FIXED,
            price_cny_per_t_cu=s.price_at(price) * factor,
            price_discount_cny_per_t_cu=0.0,
        )
        for s in network.smelters
    )
    points = network.collection_points
    if p.vat_method == VatMethod.GENERAL:
        points = tuple(_purchase_scaled(cp, factor) for cp in points)
    return network.replace(smelters=smelters, collection_points=points)


def _purchase_scaled(cp: CollectionPoint, factor: float) -> CollectionPoint:
    supplies = tuple(
        Supply(
            s.grade_id,
            s.supply_t_per_year,
            None if s.purchase_price_cny_per_t is None else s.purchase_price_cny_per_t * factor,
        )
        for s in cp.supplies
    )
    coefficient = None if cp.buyback_coefficient is None else cp.buyback_coefficient * factor
    return dataclasses.replace(cp, supplies=supplies, buyback_coefficient=coefficient)


def _year_options(options: MultiYearOptions, time_limit_s: float) -> SolveOptions:
    return SolveOptions(
        objective=Objective.PROFIT,
        solver=options.solver,
        time_limit_s=time_limit_s,
        mip_gap=min(options.mip_gap, YEAR_MIP_GAP) if options.mip_gap > 0 else YEAR_MIP_GAP,
        threads=options.threads,
        k_nearest=options.k_nearest,
        log_to_progress=options.log_to_progress,
    )


# --- the schedule and its start -------------------------------------------------------------------


def _running(plan: Plan) -> dict[str, str]:
    return {s.site_id: s.module_id for s in plan.sites}


def _schedules(model: MultiYearModel, plans: list[Plan]) -> list[list[dict[str, str | None]]]:
    """The schedules worth evaluating, the likeliest best first, each once:

    * every site as the periods' plans run it, made monotone: a site stays open from the first period
      a plan runs it, and moves to a plan's module only when that is bigger (an expansion), so a
      small module first and a bigger one later is a schedule too;
    * the same over the sites of the last period's plan only (a site an early year alone wants is
      left out);
    * the last period's module of each of its sites, from the first period whose plan runs it.
    """
    last = _running(plans[-1])
    candidates = [
        _monotone(model, plans, lambda site_id: True),
        _monotone(model, plans, lambda site_id: site_id in last),
    ]
    if plans[-1].has_solution:
        candidates.append(_schedule(model, plans, lambda site_id: last.get(site_id)))
    out: list[list[dict[str, str | None]]] = []
    for c in candidates:
        if c not in out:
            out.append(c)
    return out


def _covers(model: MultiYearModel, running: dict[str, str | None], plan: dict[str, str]) -> bool:
    """Whether ``running`` runs every site of ``plan`` with a module at least as big."""
    for site_id, module_id in plan.items():
        scheduled = running.get(site_id)
        if scheduled is None:
            return False
        if scheduled != module_id:
            sizes = {k.id: k.capacity_t_per_year for k in model.sites[site_id].modules}
            if sizes[scheduled] < sizes[module_id]:
                return False
    return True


def _monotone(
    model: MultiYearModel, plans: list[Plan], keep: Callable[[str], bool]
) -> list[dict[str, str | None]]:
    """Per period, site -> module: each kept site's plan modules, open from the first and never smaller."""
    T = len(model.inputs)
    out: list[dict[str, str | None]] = [{} for _ in range(T)]
    for site in model.sites.values():
        capacity = {k.id: k.capacity_t_per_year for k in site.modules}
        current = site.modules[0].id if site.status is SiteStatus.EXISTING else None
        for t in range(T):
            wanted = _running(plans[t]).get(site.id) if keep(site.id) else None
            if (
                wanted is not None
                and wanted != current
                and model.run(t, site.id, wanted).upBound != 0.0
                and (current is None or capacity[wanted] > capacity[current])
            ):
                current = wanted
            out[t][site.id] = current
    return out


def _schedule(
    model: MultiYearModel, plans: list[Plan], chosen_of: Callable[[str], str | None]
) -> list[dict[str, str | None]]:
    """Per period, site -> module it runs (None: not running): each site's ``chosen_of`` module from the
    first period whose plan runs it (an existing site runs its current module until then)."""
    T = len(model.inputs)
    out: list[dict[str, str | None]] = [{} for _ in range(T)]
    for site in model.sites.values():
        chosen = chosen_of(site.id)
        first = T
        if chosen is not None:
            first = next(
                (
                    t
                    for t in range(T)
                    if _running(plans[t]).get(site.id) == chosen
                    and model.run(t, site.id, chosen).upBound != 0.0
                ),
                T,
            )
        current = site.modules[0].id if site.status is SiteStatus.EXISTING else None
        for t in range(T):
            out[t][site.id] = chosen if t >= first else current
    return out


def _fixed_year(model: MultiYearModel, period: PeriodInputs, running: dict[str, str | None]) -> Network:
    """Period ``period``'s network with exactly the scheduled modules, each forced open, prices net of
    VAT (fixed costs no longer matter: every site is decided)."""
    base = year_network(model.network, period)
    sites: list[ProcessingSite] = []
    for site in base.sites:
        module_id = running.get(site.id)
        if site.id not in model.sites:
            sites.append(site)
            continue
        if module_id is None:
            continue
        module: CapacityModule = next(k for k in site.modules if k.id == module_id)
        sites.append(
            dataclasses.replace(site, status=SiteStatus.EXISTING, may_close=False, modules=(module,))
        )
    return _net_of_vat(base.replace(sites=tuple(sites)), period)


def _start(
    model: MultiYearModel, schedule: list[dict[str, str | None]], plans: list[Plan]
) -> dict[pulp.LpVariable, float]:
    """The complete multi-year solution of ``schedule`` with each period's flows from ``plans``."""
    start: dict[pulp.LpVariable, float] = {}
    for t, running in enumerate(schedule):
        for site in model.sites.values():
            for k in site.modules:
                start[model.run(t, site.id, k.id)] = 1.0 if running.get(site.id) == k.id else 0.0
    for (t, site_id, module_id), var in model.build.items():
        now = start[model.run(t, site_id, module_id)]
        before = start[model.run(t - 1, site_id, module_id)] if t > 0 else 0.0
        start[var] = max(0.0, now - before)
    for block, plan in zip(model.years, plans, strict=True):
        arcs = block.arcs
        ids, grades = block.node_ids, block.grade_ids
        triples = zip(arcs.tail.tolist(), arcs.head.tolist(), arcs.grade.tolist(), strict=True)
        index = {(ids[a], ids[b], grades[g]): n for n, (a, b, g) in enumerate(triples)}
        values = [0.0] * len(block.flow)
        for f in plan.flows:
            n = index.get((f.from_id, f.to_id, f.grade_id))
            if n is not None:
                values[n] = f.t
        start.update(zip(block.flow, values, strict=True))
    return model.complete(start)


__all__ = ["YEAR_MIP_GAP", "YearByYear", "applies", "objective_value", "plan_year_by_year"]
