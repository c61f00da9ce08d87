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
status. A year whose solve stopped without one (out of time before its LP relaxation) borrows the bound
of a year that dominates it, plus a margin (:func:`dominance_margin`: more supply at the same prices, no
target, the same network otherwise; the margin is the most its modules' fixed costs can differ), so one
short year no longer leaves the whole plan without a bound. A module that can be replaced by a bigger
one (a site with two modules) stops before the horizon: that pattern is charged ``C(b) - C(e)`` where it
really costs ``capex - depreciation``; the relaxation stays valid when ``C(e) + residual(b) >= 0`` for
every such pair, checked here (no bound otherwise).

The schedules (:func:`_schedules`): each site open from the first period a plan runs it and expanded
when a later plan runs a bigger module; the same over the last period's sites only; the last period's
modules from their first period. A period whose plan uses only sites the schedule runs, none with more
capacity than the schedule gives it, keeps its flows (they hold as they are); any other period is
solved again with the scheduled sites fixed open (and no others). The start is then a complete solution
of the multi-year model (flows, binaries, builds, taxes, residual values), and its NPV is read from the
model's own objective, so the gap it reports against the bound is honest.

The time (:func:`plan_year_by_year`): a first pass plans each period, the last first (it dominates the
others when supply grows, so a year left without a bound borrows a close one), to :data:`FIRST_PASS_GAP`
within an even share of the time left when it starts (so a year proven early leaves its time to the
others, and none gets less than :data:`MIN_YEAR_S`), on two worker processes when the years are large
(:mod:`optimizer.design.year_pool`: two years at once on a 2-core machine, each with twice the time);
then, while time is left and the NPV gap is above the requested one, the periods that leave the most of
it are planned again with more time, keeping each period's better plan and tighter bound. National
sample, six years, 120 s at load 3-5: one year at a time gave each about 14 s and no bound (two years
ended without one); two at a time give each about 30 s and a plan within a proven 0.89 %.

Not covered (the caller then solves the full MILP as before): the ``cost`` objective, a yearly operating
budget (its row counts fixed costs, which the charges would change) and sites that may close.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pulp

from optimizer.design.collection_cost import uses_trucks
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
from optimizer.design.year_pool import YearPool
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
    without_gap,
)

#: Relative MIP gap of each single-year solve: the NPV gap is about the weighted mean of the years' gaps.
YEAR_MIP_GAP = 1e-3

#: Gap each period is planned to in the first pass (or the requested gap when looser). A year proven
#: within it stops early and leaves its time to the later years: planning every year to 0.1 % ran each
#: to its even share of the time, and on the national sample at 120 s (about 14 s a year at load 2-4)
#: the last years then ended without any bound.
FIRST_PASS_GAP = 5e-3

#: Share of the time given that the first pass keeps for the schedules (periods solved again with the
#: schedule's sites fixed: flow LPs of 2-5 s each on the national sample under load; with 8 % the
#: national six-year plan at load 5 spent 11 s on them against 8 s kept, and ended 2.4 s past 120 s).
SCHEDULE_RESERVE_SHARE = 0.12

#: A period is planned again (tightened) only with at least this many seconds: a national year spends
#: about 10 s on building, the first-plan heuristic and the linking rows before branch and bound.
MIN_TIGHTEN_S = 10.0

#: ... and only with at least this multiple of the time its last solve took (a solve from scratch with
#: no more time than the last one ends about where it did).
TIGHTEN_GROWTH = 1.3

#: Each period gets at least this many seconds in the first pass (at most an even share of the whole
#: time): with 2 s, a national year spent 17 s in its linking-row LP and had no plan worth keeping.
MIN_YEAR_S = 8.0

#: A period's plan worth less than this share of the next period's is taken as cut short (its solve
#: got too little time: at load 5 the national 2025 and 2026 built nothing new, 5,278 M CNY in all):
#: the schedules then also try it with the next period's sites.
STARVED_SHARE = 0.5

#: Year solves run side by side on this many worker processes (at most the machine's cores) ...
YEAR_WORKERS = 2
#: ... when a period's model has at least this many arcs (national: 99,650; yangtze_delta: 2,325).
PARALLEL_MIN_ARCS = 20_000

ModuleKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class YearByYear:
    """What planning the years one at a time gave.

    ``bound``: an upper bound on the multi-year NPV (None when a year's solve has no bound or the
    relaxation does not apply). ``start``: a complete solution of the multi-year model (None when a year
    has no plan), ``objective`` its NPV. ``resolved`` counts the periods solved again with the schedule's
    sites fixed; ``tightened`` the periods planned again with more time to close the gap; ``borrowed``
    the periods whose bound came from another period's (:func:`year_bounds`), their own solve having
    ended without a tighter one. ``years``: each period's year, the wall seconds its last solve took and
    its own proven gap (None: no bound of its own).
    """

    bound: float | None
    start: dict[pulp.LpVariable, float] | None
    objective: float | None
    resolved: int
    seconds: float
    tightened: int = 0
    borrowed: int = 0
    years: tuple[tuple[int, float, float | None], ...] = ()


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
    workers: int | None = None,
) -> YearByYear:
    """Bound and first schedule of ``model`` from single-year solves of its periods (module docstring).

    A first pass plans every period to :data:`FIRST_PASS_GAP` (or the requested gap, if looser): each
    gets an even share of the time left when it starts (less the time solves have been taking past
    their limits, at least :data:`MIN_YEAR_S`), so a year proven early leaves its time to the later
    ones. Then, while time is left and the NPV gap is above ``options.mip_gap``, the periods that leave
    the most of the gap (first those without any bound) are planned again with more time; the better
    plan and the tighter bound of each period are kept. ``workers`` solves run side by side
    (:mod:`optimizer.design.year_pool`; default: :func:`year_workers`). ``progress`` gets the
    multi-year NPV, bound and gap after each pass (the single-year solves' own figures are not the
    multi-year model's and are left out of it).
    """
    started = time.monotonic()
    deadline = started + time_limit_s
    reserve = SCHEDULE_RESERVE_SHARE * time_limit_s
    charges = _charges(model)
    inputs = model.inputs
    n = len(inputs)
    params = model.network.parameters
    weights = [period_discount(params.discount_rate, p) * (1 - params.income_tax_rate) for p in inputs]
    nets = [_relaxed_year(model, period, charges or {}) for period in inputs]
    inner = without_gap(progress)
    first_gap = max(_year_gap(options), FIRST_PASS_GAP)
    floor = min(MIN_YEAR_S, time_limit_s / max(n, 1))
    pool = YearPool(year_workers(model, options) if workers is None else workers, cancel)
    w = pool.workers
    found: list[Plan | None] = [None] * n
    spent = [0.0] * n
    limits = [0.0] * n
    overruns: list[float] = []
    try:
        # the last period first: with a growing supply each period dominates the earlier ones, so a
        # year that ends without a bound of its own (a heavily loaded machine) borrows the next one's
        waiting = list(reversed(range(n)))
        while waiting or pool.busy:
            while waiting and pool.free and not is_cancelled(cancel):
                t = waiting.pop(0)
                rounds = -(-(len(waiting) + 1) // w)  # ceil: rounds of w solves still to start
                late = sum(overruns) / len(overruns) if overruns else 0.0
                limits[t] = max(floor, (deadline - reserve - time.monotonic()) / rounds - late)
                _emit(progress, sum(p is not None for p in found) / (n + 1), inputs[t].year, t, n)
                pool.submit(
                    t,
                    nets[t],
                    _year_options(options, limits[t], first_gap),
                    labelled_log(scaled(inner, t / (n + 1), (t + 1) / (n + 1)), str(inputs[t].year)),
                )
            if is_cancelled(cancel) and not pool.busy:
                break
            for done in pool.wait():
                found[done.key], spent[done.key] = done.plan, done.seconds
                overruns.append(max(0.0, done.seconds - limits[done.key]))
        if any(p is None for p in found):  # cancelled before every year was planned
            return YearByYear(None, None, None, 0, time.monotonic() - started)
        plans = [p for p in found if p is not None]
        bounds = year_bounds(nets, plans) if charges is not None else None
        if not any(p.has_solution for p in plans):
            return YearByYear(_npv_bound(weights, bounds), None, None, 0, time.monotonic() - started)
        schedules = _Schedules(model, options, deadline, inner, cancel)
        best = _best(schedules, plans, _npv_bound(weights, bounds), progress, started)
        tightened = 0
        while not is_cancelled(cancel) and best.start is not None:
            gap = _gap(best.objective, best.bound)
            if gap is not None and gap <= options.mip_gap:
                break  # proven within the requested gap
            wanting = _open_years(weights, plans, bounds, options.mip_gap)
            late = sum(overruns) / len(overruns) if overruns else 0.0
            share = (deadline - reserve - time.monotonic()) / max(1, -(-len(wanting) // w)) - late
            batch = [t for t in wanting if share >= _tighten_floor(spent[t])][:w]
            if not batch:
                break  # a solve from scratch with no more time than the last one ends about where it did
            for t in batch:
                if progress is not None:
                    text = msg("multiyear.year_tightening", year=inputs[t].year, seconds=f"{share:.0f}")
                    progress(ProgressEvent("planning years", n / (n + 1), text))
                limits[t] = share
                pool.submit(
                    t,
                    nets[t],
                    _year_options(options, share, _year_gap(options)),
                    labelled_log(scaled(inner, n / (n + 1), 1.0), str(inputs[t].year)),
                )
            changed = False
            collected = 0
            while collected < len(batch):  # in this process the solves are done already
                finished = pool.wait()
                if not finished and not pool.busy:
                    break
                for done in finished:
                    collected += 1
                    t = done.key
                    spent[t] = done.seconds
                    overruns.append(max(0.0, done.seconds - limits[t]))
                    tightened += 1
                    again = done.plan
                    changed = changed or (
                        again.has_solution
                        and (
                            not plans[t].has_solution
                            or (again.objective or 0.0) > (plans[t].objective or 0.0)
                        )
                    )
                    plans[t] = _merged(plans[t], again)
            bounds = year_bounds(nets, plans) if charges is not None else None
            if changed:
                better = _best(schedules, plans, _npv_bound(weights, bounds), progress, started)
                best = (
                    better
                    if better.start is not None and (better.objective or 0.0) >= (best.objective or 0.0)
                    else dataclasses.replace(best, bound=better.bound)
                )
            else:
                best = dataclasses.replace(best, bound=_npv_bound(weights, bounds))
                _report(progress, best, started)
    finally:
        pool.close()
    borrowed = sum(
        1
        for t, p in enumerate(plans)
        if bounds is not None
        and bounds[t] is not None
        and (p.best_bound is None or (bounds[t] or 0.0) < p.best_bound)
    )
    years = tuple(
        (period.year, spent[t], _gap(plans[t].objective, plans[t].best_bound))
        for t, period in enumerate(inputs)
    )
    return dataclasses.replace(
        best,
        resolved=schedules.resolved,
        tightened=tightened,
        borrowed=borrowed,
        years=years,
        seconds=time.monotonic() - started,
    )


def _tighten_floor(spent: float) -> float:
    """The least time worth a second solve of a period whose last solve took ``spent`` seconds: more
    than that (:data:`TIGHTEN_GROWTH`), and :data:`MIN_TIGHTEN_S` for a large year (a yangtze_delta
    year solves in 1-5 s: twice its time is enough)."""
    return max(TIGHTEN_GROWTH * spent, min(MIN_TIGHTEN_S, 2.0 * spent))


def year_workers(model: MultiYearModel, options: MultiYearOptions | None = None) -> int:
    """How many year solves run side by side: :data:`YEAR_WORKERS` (at most the machine's cores) when
    a year has at least :data:`PARALLEL_MIN_ARCS` arcs, else 1 (starting a worker process takes about
    a second: small years solve faster here). A solve held to one thread (``options.threads == 1``: a
    sweep's scenario, which already runs beside the sweep's other workers) starts no workers, so a
    sweep on two cores never runs four solves at once."""
    if options is not None and options.threads is not None and options.threads <= 1:
        return 1
    arcs = len(model.years[0].flow) if model.years else 0
    if arcs < PARALLEL_MIN_ARCS:
        return 1
    return max(1, min(YEAR_WORKERS, os.cpu_count() or 1))


def _emit(progress: ProgressCallback | None, fraction: float, year: int, t: int, n: int) -> None:
    if progress is not None:
        text = msg("multiyear.year_by_year", year=year, k=t + 1, n=n)
        progress(ProgressEvent("planning years", fraction, text))


def year_bounds(nets: Sequence[Network], plans: Sequence[Plan]) -> list[float | None]:
    """Each period's bound on its relaxed single-year profit (CNY/yr): the tightest of its own solve's
    proven bound and, for every period ``s`` whose relaxed network dominates it
    (:func:`dominance_margin`), ``s``'s proven bound plus the margin. None when neither exists.

    So a year whose solve stopped without a bound of its own (the time ran out before the LP relaxation
    or the root) still bounds the NPV when a year with at least its supply, the same prices and no
    target has one, e.g. the last year of a growing supply for every earlier year.
    """
    out: list[float | None] = []
    for t, net in enumerate(nets):
        own = plans[t].best_bound
        candidates = [] if own is None else [own]
        for s, other in enumerate(nets):
            theirs = plans[s].best_bound
            if s == t or theirs is None:
                continue
            margin = dominance_margin(other, net)
            if margin is not None:
                candidates.append(theirs + margin)
        out.append(min(candidates) if candidates else None)
    return out


def dominance_margin(big: Network, small: Network) -> float | None:
    """A number ``m >= 0`` with ``OPT(small) <= OPT(big) + m`` for the single-year profit model, or None
    when the two networks are not related as this needs.

    Why it holds: ``big`` and ``small`` must be the same network but for the supplies, the modules
    offered and the modules' fixed costs: every yard's supply of every grade in ``small`` at most its
    supply in ``big`` at the same mean purchase price; every site of ``small`` in ``big`` (an extra
    site of ``big`` only a candidate), each with ``small``'s modules among its own; no utilization
    target in ``big`` (a target is a share of the supply, so more supply would ask for more), no
    truck-priced collection (its cost per tonne depends on the volumes) and the same parameters
    otherwise. Then supplies are ``<=`` rows (``small``'s flows fit under ``big``'s supplies), every
    arc of ``small`` is an arc of ``big`` at the same cost and revenue, and every capacity, blend,
    balance and module-choice row is the same or looser, so any plan of ``small`` is a plan of ``big``
    whose profit differs only by the fixed costs of the modules it runs: at most one per site, so by at
    most ``m = sum over sites of max(0, max over modules (fixed in big - fixed in small))``.
    """
    if uses_trucks(big.parameters) or uses_trucks(small.parameters):
        return None
    if big.parameters.target_utilization:
        return None
    if dataclasses.replace(big.parameters, planning_year=0) != dataclasses.replace(
        small.parameters, planning_year=0
    ):
        return None
    rest = {"collection_points": (), "sites": (), "parameters": None}
    if big.replace(**rest) != small.replace(**rest):
        return None
    if len(big.collection_points) != len(small.collection_points):
        return None
    for a, b in zip(big.collection_points, small.collection_points, strict=True):
        if dataclasses.replace(a, supplies=()) != dataclasses.replace(b, supplies=()):
            return None
        if not _supplies_within(b.supplies, a.supplies):
            return None
    theirs = {s.id: s for s in big.sites}
    ours = {s.id for s in small.sites}
    if any(s.status is SiteStatus.EXISTING for s in big.sites if s.id not in ours):
        return None
    margin = 0.0
    for site in small.sites:
        other = theirs.get(site.id)
        if other is None or dataclasses.replace(site, modules=()) != dataclasses.replace(other, modules=()):
            return None
        offered = {k.id: k for k in other.modules}
        worst = 0.0
        for module in site.modules:
            match = offered.get(module.id)
            if match is None or _unpriced(match) != _unpriced(module):
                return None
            worst = max(worst, match.fixed_cost_cny_per_year - module.fixed_cost_cny_per_year)
        margin += worst
    return margin


def _unpriced(module: CapacityModule) -> CapacityModule:
    return dataclasses.replace(module, fixed_cost_cny_per_year=0.0)


def _supplies_within(small: Sequence[Supply], big: Sequence[Supply]) -> bool:
    """Whether every grade's supply in ``small`` is at most ``big``'s at the same mean purchase price
    (the model buys a yard's grade at its supply-weighted mean price; a buy-back coefficient prices it
    from the copper price, equal in both)."""

    def totals(rows: Sequence[Supply]) -> dict[str, tuple[float, float | None]]:
        out: dict[str, tuple[float, float | None]] = {}
        for s in rows:
            if s.supply_t_per_year <= 0:
                continue
            t, spend = out.get(s.grade_id, (0.0, 0.0))
            price = s.purchase_price_cny_per_t
            spent = None if spend is None or price is None else spend + s.supply_t_per_year * price
            out[s.grade_id] = (t + s.supply_t_per_year, spent)
        return out

    mine, theirs = totals(small), totals(big)
    for grade, (t, spend) in mine.items():
        if grade not in theirs:
            return False
        t_big, spend_big = theirs[grade]
        if t > t_big * (1 + 1e-12):
            return False
        if (spend is None) != (spend_big is None):
            return False
        if spend is not None and spend_big is not None:
            price, price_big = spend / t, spend_big / t_big
            if abs(price - price_big) > 1e-9 * max(1.0, abs(price)):
                return False
    return True


def _npv_bound(weights: Sequence[float], bounds: Sequence[float | None] | None) -> float | None:
    """``sum_t weight_t x bound_t`` (module docstring), None when a period has no bound."""
    if bounds is None or any(b is None for b in bounds):
        return None
    return float(sum(w * (b or 0.0) for w, b in zip(weights, bounds, strict=True)))


def _open_years(
    weights: Sequence[float], plans: Sequence[Plan], bounds: Sequence[float | None] | None, gap: float
) -> list[int]:
    """The periods worth planning again, the one leaving the most of the NPV gap first: those without
    a plan or a bound, then those whose own gap is above ``gap`` by their weighted gap."""
    if bounds is None:
        return []
    keyed: list[tuple[float, int]] = []
    for t, plan in enumerate(plans):
        bound = bounds[t]
        if bound is None or not plan.has_solution or plan.objective is None:
            keyed.append((float("inf"), t))
            continue
        own = _gap(plan.objective, bound)
        if own is not None and own > gap:
            keyed.append((weights[t] * (bound - plan.objective), t))
    return [t for _, t in sorted(keyed, reverse=True)]


def _merged(old: Plan, new: Plan) -> Plan:
    """The better plan of two solves of the same period, with the tighter of their bounds (both hold)."""
    better = old
    if new.has_solution and (not old.has_solution or (new.objective or 0.0) > (old.objective or 0.0)):
        better = new
    known = [b for b in (old.best_bound, new.best_bound) if b is not None]
    bound = min(known) if known else None
    return dataclasses.replace(better, best_bound=bound, gap=_gap(better.objective, bound))


def _gap(objective: float | None, bound: float | None) -> float | None:
    """|bound - objective| / |objective| (HiGHS's definition), None when either is unknown."""
    if objective is None or bound is None:
        return None
    return max(0.0, bound - objective) / max(abs(objective), 1e-10)


def _best(
    schedules: _Schedules,
    plans: list[Plan],
    bound: float | None,
    progress: ProgressCallback | None,
    started: float,
) -> YearByYear:
    """The best schedule of ``plans`` with ``bound``, reported to ``progress``."""
    found = schedules.best(plans)
    start, objective = found if found is not None else (None, None)
    result = YearByYear(bound, start, objective, schedules.resolved, time.monotonic() - started)
    _report(progress, result, started)
    return result


def _report(progress: ProgressCallback | None, found: YearByYear, started: float) -> None:
    """The multi-year plan's NPV, bound and gap so far (the model's own: the start is complete)."""
    if progress is None:
        return
    gap = _gap(found.objective, found.bound)
    if gap is None:
        return  # a plan without a bound yet: nothing proven to say
    text = msg("multiyear.year_by_year_gap", gap=f"{100 * gap:.2f}%")
    progress(
        ProgressEvent(
            "planning years",
            None,
            text,
            time.monotonic() - started,
            incumbent=found.objective,
            bound=found.bound,
            gap=gap,
        )
    )


class _Schedules:
    """Evaluates the schedules of the periods' plans on the multi-year model (:func:`_schedules`).

    A period whose plan runs exactly the scheduled modules keeps its flows; one whose plan runs only
    sites the schedule runs (none smaller) keeps them unless a second solve with the schedule's sites
    fixed is proven; any other is solved again with them. Those second solves are kept for the next
    evaluation (they depend on the schedule only).
    """

    def __init__(
        self,
        model: MultiYearModel,
        options: MultiYearOptions,
        deadline: float,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
    ) -> None:
        self.model = model
        self.options = options
        self.deadline = deadline
        self.progress = progress
        self.cancel = cancel
        self.resolved = 0
        self.solved: dict[tuple[int, tuple[tuple[str, str], ...]], Plan] = {}

    def best(self, plans: list[Plan]) -> tuple[dict[pulp.LpVariable, float], float] | None:
        """The complete start of the best schedule and its NPV (None when no schedule is complete)."""
        best: tuple[dict[pulp.LpVariable, float], float] | None = None
        for schedule in _schedules(self.model, plans):
            if best is not None and time.monotonic() >= self.deadline:
                break  # the first schedule is always evaluated; the others while time is left
            flows = self._flows(schedule, plans)
            if flows is None:
                continue
            start = _start(self.model, schedule, flows)
            objective = objective_value(self.model.problem, start)
            if best is None or objective > best[1]:
                best = (start, objective)
        return best

    def _flows(self, schedule: list[dict[str, str | None]], plans: list[Plan]) -> list[Plan] | None:
        model, inputs = self.model, self.model.inputs
        n = len(inputs)
        flows: list[Plan] = []
        for t, period in enumerate(inputs):
            running = tuple(sorted((s, k) for s, k in schedule[t].items() if k is not None))
            own = plans[t] if plans[t].has_solution else None
            if own is not None and _running(own) == dict(running):
                flows.append(own)  # exactly the scheduled modules: its flows are the best there are
                continue
            if (t, running) in self.solved:
                flows.append(self.solved[(t, running)])
                continue
            # the period's own flows still hold when the schedule runs all its sites (none smaller);
            # solving it again with the schedule's sites puts the extra capacity to use, when there is
            # time for a proven solve (under load a second solve may get too little time for more
            # than the trivial plan)
            fallback = own if own is not None and _covers(model, schedule[t], _running(own)) else None
            if is_cancelled(self.cancel) or (fallback is not None and time.monotonic() >= self.deadline):
                if fallback is None:
                    return None
                flows.append(fallback)
                continue
            self.resolved += 1
            share = max(1.0, (self.deadline - time.monotonic()) / max(1, n - t))
            fixed = solve(
                _fixed_year(model, period, schedule[t]),
                _year_options(self.options, share, _year_gap(self.options)),
                progress=labelled_log(self.progress, str(period.year)),
                cancel=self.cancel,
                validated=True,
            )
            proven = fixed.has_solution and fixed.gap is not None and fixed.gap <= YEAR_MIP_GAP
            if fallback is not None and not proven:
                flows.append(fallback)
                continue
            if not fixed.has_solution:
                return None
            self.solved[(t, running)] = fixed
            flows.append(fixed)
        return flows


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


def _year_gap(options: MultiYearOptions) -> float:
    """The gap a period is planned to when it is tightened: the requested one, at most YEAR_MIP_GAP."""
    return min(options.mip_gap, YEAR_MIP_GAP) if options.mip_gap > 0 else YEAR_MIP_GAP


def _year_options(options: MultiYearOptions, time_limit_s: float, gap: float) -> SolveOptions:
    return SolveOptions(
        objective=Objective.PROFIT,
        solver=options.solver,
        time_limit_s=time_limit_s,
        mip_gap=gap,
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
    * the last period's module of each of its sites, from the first period whose plan runs it;
    * first of all, when a period's plan is starved (no plan, or worth less than
      :data:`STARVED_SHARE` of the next period's: its solve got too little time), the first schedule
      with that period running the next period's sites (its flows are then solved again with them).
    """
    runs = [_running(p) for p in plans]
    last = runs[-1]
    filled = list(runs)
    for t in range(len(plans) - 2, -1, -1):
        if _starved(plans[t], plans[t + 1]):
            filled[t] = filled[t + 1]
    candidates = [] if filled == runs else [_monotone(model, filled, lambda site_id: True)]
    candidates += [
        _monotone(model, runs, lambda site_id: True),
        _monotone(model, runs, lambda site_id: site_id in last),
    ]
    if plans[-1].has_solution:
        candidates.append(_schedule(model, runs, lambda site_id: last.get(site_id)))
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


def _starved(plan: Plan, following: Plan) -> bool:
    """Whether ``plan`` looks cut short next to the following period's (both of the same network but
    for a supply that grows a few percent a year)."""
    if not following.has_solution or following.objective is None or following.objective <= 0:
        return False
    return not plan.has_solution or (plan.objective or 0.0) < STARVED_SHARE * following.objective


def _monotone(
    model: MultiYearModel, runs: Sequence[dict[str, str]], keep: Callable[[str], bool]
) -> list[dict[str, str | None]]:
    """Per period, site -> module: each kept site's plan modules, open from the first and never smaller."""
    T = len(model.inputs)
    out: list[dict[str, str | None]] = [{} for _ in range(T)]
    for site in model.sites.values():
        capacity = {k.id: k.capacity_t_per_year for k in site.modules}
        current = site.modules[0].id if site.status is SiteStatus.EXISTING else None
        for t in range(T):
            wanted = runs[t].get(site.id) if keep(site.id) else None
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
    model: MultiYearModel, runs: Sequence[dict[str, str]], chosen_of: Callable[[str], str | None]
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
                    if runs[t].get(site.id) == chosen and model.run(t, site.id, chosen).upBound != 0.0
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
