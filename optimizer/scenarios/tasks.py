"""The self-contained units of work a sweep hands to a worker, and what comes back.

A task carries its whole network (not a path or a handle to shared state), so any worker that has
CopperLoop installed can run it: a process of the local pool or a Dask worker on another machine. A
task never raises: a scenario that fails comes back as a result with status ``error``, a message that
names the error and its traceback (``trace``), and the sweep goes on with the others. What a result
says (a plan's status, why a break-even search found no price) is a catalogue message
(:class:`~optimizer.messages.Msg`), rendered in the reader's language at display time.

A network with periods (a Periods sheet) is planned over its years with
:func:`optimizer.design.multiyear_solve.solve_multiyear` (NPV objective, the task's solver, time limit,
gap and one thread); one without periods with :func:`optimizer.design.solve.solve`. Over several years a
site *opens* when any year's plan runs it, so the robustness table and the break-even search ask
"is it built at all", not "does it run in the last year".
"""

from __future__ import annotations

import dataclasses
import time
import traceback
from dataclasses import dataclass, field

from optimizer.design.multiyear import MultiYearObjective, MultiYearOptions
from optimizer.design.multiyear_solve import solve_multiyear
from optimizer.design.options import SolveOptions
from optimizer.design.plan import Plan, PlanStatus, text_message
from optimizer.design.solve import solve
from optimizer.messages import Msg, msg
from optimizer.model import Network, SiteStatus
from optimizer.progress import CancelToken, is_cancelled
from optimizer.scenarios.factors import FactorValue, apply_factor


@dataclass(frozen=True, slots=True)
class SolveTask:
    """Solve one scenario network. ``key`` names it in the sweep (``scenario:3``, ``tornado:supply:+``)."""

    key: str
    network: Network
    options: SolveOptions
    factors: dict[str, FactorValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BreakEvenTask:
    """Find the copper price below which the best plan no longer opens ``site_id``, by bisection on
    [low, high] with full solves, to ``tolerance`` CNY/t Cu (``high`` is the base price, where it opens)."""

    key: str
    network: Network
    options: SolveOptions
    site_id: str
    low: float
    high: float
    tolerance: float
    #: the base plan (solved at ``high``) is known to open the site: the search does not solve it again,
    #: so a slower re-solve that stops at a worse plan cannot contradict the base plan the sweep reports
    opens_at_high: bool = False


Task = SolveTask | BreakEvenTask


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """The outcome of one scenario: status, the KPIs a sweep compares, and (optionally) the plan.

    For a multi-year plan ``profit_cny``, ``utilization``, ``total_cost_cny`` and
    ``copper_delivered_t_cu`` are those of its last year; ``npv_cny``, ``irr``, ``payback_years`` and
    ``builds`` (site, module, first year it runs) cover the whole horizon; ``sites_open`` and
    ``new_sites_open`` are the sites any year runs. ``message`` is the plan's status message (``None``
    when there is nothing to say), or for a failed scenario ``sweep_result.failed`` naming the error,
    whose traceback is ``trace``.
    """

    key: str
    factors: dict[str, FactorValue]
    status: str
    message: Msg | None = None
    profit_cny: float | None = None
    npv_cny: float | None = None
    utilization: float | None = None
    total_cost_cny: float | None = None
    copper_delivered_t_cu: float | None = None
    sites_open: tuple[str, ...] = ()
    new_sites_open: tuple[str, ...] = ()
    modules: dict[str, str] = field(default_factory=dict)
    runtime_s: float = 0.0
    plan: Plan | None = None
    irr: float | None = None
    payback_years: float | None = None
    builds: tuple[tuple[str, str, int], ...] = ()
    gap: float | None = None
    trace: str = ""

    def kpi(self, name: str) -> float | None:
        """``profit_cny`` or ``npv_cny`` (what a sweep's tornado and charts compare)."""
        value = getattr(self, name)
        return None if value is None else float(value)

    @property
    def ok(self) -> bool:
        return self.profit_cny is not None and self.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE)

    def without_plan(self) -> ScenarioResult:
        return dataclasses.replace(self, plan=None)


@dataclass(frozen=True, slots=True)
class BreakEven:
    """A site's break-even copper price.

    ``status``: ``found`` (it opens at ``copper_price_cny_per_t_cu`` and not below it minus the
    tolerance; ``low`` and ``high`` bracket the switch), ``opens_at_floor`` (it still opens at the lowest
    price searched, ``low``), ``not_open_at_base`` (the base plan does not open it), ``error`` or
    ``cancelled``. ``message`` says why no price was found (``None`` when one was); ``trace`` is the
    traceback of an error.
    """

    site_id: str
    status: str
    copper_price_cny_per_t_cu: float | None
    low: float
    high: float
    tolerance: float
    solves: int
    runtime_s: float
    message: Msg | None = None
    trace: str = ""


Result = ScenarioResult | BreakEven


def run_task(task: Task, cancel: CancelToken | None = None) -> Result:
    """Run ``task``; never raises (a failure is a result with status ``error``)."""
    started = time.monotonic()
    try:
        if isinstance(task, SolveTask):
            return _solve_task(task, cancel)
        return _break_even(task, cancel)
    except Exception as exc:  # a failed scenario is recorded, and the sweep goes on
        # the error's own words (a bug's, most likely) stay as Python said them
        message = msg("sweep_result.failed", error=text_message(f"{type(exc).__name__}: {exc}"))
        trace = traceback.format_exc(limit=8)
        elapsed = time.monotonic() - started
        if isinstance(task, SolveTask):
            return ScenarioResult(task.key, task.factors, "error", message, runtime_s=elapsed, trace=trace)
        lo, hi = task.low, task.high
        return BreakEven(task.site_id, "error", None, lo, hi, task.tolerance, 0, elapsed, message, trace)


def result_of(key: str, factors: dict[str, FactorValue], plan: Plan) -> ScenarioResult:
    """The sweep's view of a plan."""
    k = plan.kpis
    if k is None or not plan.has_solution:
        status = str(plan.status)
        return ScenarioResult(key, factors, status, plan.status_message, runtime_s=plan.runtime_s, plan=plan)
    multiyear = bool(plan.year_plans)
    return ScenarioResult(
        key,
        factors,
        str(plan.status),
        plan.status_message,
        profit_cny=k.profit_cny,
        npv_cny=npv_of(plan) if multiyear else None,
        utilization=k.utilization,
        total_cost_cny=k.total_cost_cny,
        copper_delivered_t_cu=k.copper_delivered_t_cu,
        sites_open=open_sites(plan),
        new_sites_open=open_sites(plan, new_only=True),
        modules={s.site_id: s.module_id for s in plan.sites},
        runtime_s=plan.runtime_s,
        plan=plan,
        irr=plan.irr if multiyear else None,
        payback_years=plan.payback_years if multiyear else None,
        builds=tuple((b.site_id, b.module_id, b.year) for b in plan.builds) if multiyear else (),
        gap=plan.gap,
    )


def open_sites(plan: Plan, *, new_only: bool = False) -> tuple[str, ...]:
    """The sites the plan runs, in any of its years (a multi-year plan) or its one year, sorted by id;
    ``new_only``: the candidate sites among them."""
    seen = {s.site_id for p in plan.year_plans or (plan,) for s in p.sites if s.is_new or not new_only}
    return tuple(sorted(seen))


def plan_network(network: Network, options: SolveOptions, cancel: CancelToken | None = None) -> Plan:
    """The best plan of ``network``: over its years when it has periods (NPV), else for one year."""
    if network.periods:
        return solve_multiyear(network, multiyear_options(options), cancel=cancel)
    return solve(network, options, cancel=cancel)


def multiyear_options(options: SolveOptions) -> MultiYearOptions:
    """The multi-year options of a sweep's solve options: NPV, same solver, time limit, gap, threads."""
    return MultiYearOptions(
        objective=MultiYearObjective.NPV,
        solver=options.solver,
        time_limit_s=options.time_limit_s,
        mip_gap=options.mip_gap,
        threads=options.threads,
        k_nearest=options.k_nearest,
    )


def npv_of(plan: Plan) -> float | None:
    """The plan's net present value where it has periods (a multi-year plan), else ``None``."""
    for holder in (plan, plan.kpis, getattr(plan, "economics", None)):
        value = getattr(holder, "npv_cny", None) if holder is not None else None
        if isinstance(value, int | float):
            return float(value)
    return None


def _solve_task(task: SolveTask, cancel: CancelToken | None) -> ScenarioResult:
    plan = plan_network(task.network, task.options, cancel)
    return result_of(task.key, task.factors, plan)


def _break_even(task: BreakEvenTask, cancel: CancelToken | None) -> BreakEven:
    started = time.monotonic()
    solves = 0

    def opens(price: float) -> bool | None:
        nonlocal solves
        solves += 1
        plan = plan_network(apply_factor(task.network, "copper_price", price), task.options, cancel)
        if not plan.has_solution or plan.status is PlanStatus.CANCELLED:
            return None
        return task.site_id in open_sites(plan)

    def done(status: str, price: float | None, lo: float, hi: float, message: Msg | None = None) -> BreakEven:
        return BreakEven(
            task.site_id, status, price, lo, hi, task.tolerance, solves, time.monotonic() - started, message
        )

    site = next((s for s in task.network.sites if s.id == task.site_id), None)
    if site is None or site.status is not SiteStatus.CANDIDATE:
        return done("error", None, task.low, task.high, msg("break_even.not_candidate", site=task.site_id))
    lo, hi = task.low, task.high
    at_high = True if task.opens_at_high else opens(hi)
    if at_high is None:
        failed = msg("break_even.base_failed", price=f"{hi:,.0f}")
        return done("cancelled" if is_cancelled(cancel) else "error", None, lo, hi, failed)
    if not at_high:
        said = msg("break_even.not_open", site=task.site_id, price=f"{hi:,.0f}")
        return done("not_open_at_base", None, lo, hi, said)
    at_low = opens(lo)
    if at_low is None:
        failed = msg("break_even.solve_failed", price=f"{lo:,.0f}")
        return done("cancelled" if is_cancelled(cancel) else "error", None, lo, hi, failed)
    if at_low:
        said = msg("break_even.still_opens", site=task.site_id, price=f"{lo:,.0f}")
        return done("opens_at_floor", None, lo, lo, said)
    # invariant: it opens at hi, not at lo
    while hi - lo > task.tolerance:
        mid = 0.5 * (lo + hi)
        at_mid = opens(mid)
        if at_mid is None:
            failed = msg("break_even.solve_failed", price=f"{mid:,.0f}")
            return done("cancelled" if is_cancelled(cancel) else "error", None, lo, hi, failed)
        if at_mid:
            hi = mid
        else:
            lo = mid
    return done("found", hi, lo, hi)
