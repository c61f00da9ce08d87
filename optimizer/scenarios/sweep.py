"""A whole sweep: every scenario solved, then what a board asks of them.

:func:`run_sweep` solves the base network first, then, in one batch on the executor, every scenario,
the tornado's low and high solve of each numeric factor, and one break-even search per candidate site
the base plan opens; with ``stochastic`` it finally solves the two-stage design over the scenarios and
compares it with the design made for the mean scenario (VSS) and with perfect information (EVPI).

What comes back (:class:`SweepResult`) is plain data: a KPI row per scenario, the share of scenarios
in which each candidate site opens (how robust the decision is), the tornado bars, the break-even copper
prices, the stochastic summary and the fixed prices no copper-price scenario moved. What it says in
words (each scenario's status message, why a break-even search found no price, how the two-stage
solve ended) is a catalogue message (:class:`~optimizer.messages.Msg`), rendered in the reader's
language at display time. It turns into JSON with :meth:`SweepResult.to_dict` (messages as
``{code, params, text}``, ``text`` their English).

A network with periods (a Periods sheet) is planned over its years in every scenario, tornado point and
break-even solve (:func:`optimizer.scenarios.tasks.plan_network`); its sweep compares NPV
(:attr:`SweepResult.kpi` is ``npv_cny``), a site counts as open when any year runs it, and the
two-stage design shares the build schedule and maximises the expected NPV
(:func:`optimizer.design.stochastic.solve_two_stage_multiyear`). ``SweepDefinition.single_year`` plans
one period instead, everywhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from optimizer.design.options import SolveOptions
from optimizer.design.periods import period_inputs, single_period
from optimizer.design.plan import PlanStatus, message_to_plain, text_message
from optimizer.design.solve import solve
from optimizer.design.stochastic import TwoStageResult, solve_two_stage, solve_two_stage_multiyear
from optimizer.messages import Msg, msg
from optimizer.model import Network, SiteStatus
from optimizer.prices import FixedPrice, fixed_prices
from optimizer.progress import CancelToken, ProgressCallback, ProgressEvent, is_cancelled, scaled
from optimizer.scenarios.definition import Scenario, SweepDefinition
from optimizer.scenarios.executors import Executor, LocalPool
from optimizer.scenarios.factors import FactorError, FactorValue, apply_factors, base_value
from optimizer.scenarios.tasks import (
    BreakEven,
    BreakEvenTask,
    Result,
    ScenarioResult,
    SolveTask,
    Task,
    multiyear_options,
    plan_network,
    run_task,
)

#: Called with each scenario's result as soon as it is known (the app's table fills in as they come).
OnScenario = Callable[[ScenarioResult], None]


@dataclass(frozen=True, slots=True)
class SiteRobustness:
    """How often a candidate site opens across the scenarios that have a plan."""

    site_id: str
    name: str
    kind: str
    opens_in: int
    scenarios: int
    opens_in_base: bool

    @property
    def share(self) -> float:
        return self.opens_in / self.scenarios if self.scenarios else 0.0


@dataclass(frozen=True, slots=True)
class TornadoBar:
    """The sweep's KPI (``kpi``: ``profit_cny``, or ``npv_cny`` over periods) at a factor's base value
    -/+ the tornado step, the other factors at their base."""

    factor: str
    base_value: float
    low_value: float
    high_value: float
    low_cny: float | None
    high_cny: float | None
    base_cny: float | None
    kpi: str = "profit_cny"

    @property
    def swing_cny(self) -> float:
        if self.low_cny is None or self.high_cny is None:
            return 0.0
        return abs(self.high_cny - self.low_cny)


@dataclass(frozen=True, slots=True)
class StochasticSummary:
    """The two-stage design against the mean-value design and perfect information.

    ``expected_profit_cny`` (RP) is the two-stage optimum; ``mean_design_expected_profit_cny`` (EEV) the
    expected profit of the design made for the mean scenario, each scenario's flows re-optimised;
    ``wait_and_see_profit_cny`` (WS) the expected profit of deciding after seeing the scenario.
    VSS = RP - EEV >= 0 and EVPI = WS - RP >= 0 up to the solvers' gaps. ``multiyear``: over a network's
    periods, where the first stage is the build schedule and every figure is an (expected) NPV in CNY,
    and ``design`` maps ``site (module)`` to the year it is built. ``message`` says how the two-stage
    solve ended (:func:`two_stage_message`).
    """

    scenarios: int
    probabilities: tuple[float, ...]
    status: str
    message: Msg
    expected_profit_cny: float | None
    mean_design_expected_profit_cny: float | None
    wait_and_see_profit_cny: float | None
    design: dict[str, str]
    mean_design: dict[str, str]
    scenario_profit_cny: tuple[float, ...]
    runtime_s: float
    size: dict[str, int] = field(default_factory=dict)
    multiyear: bool = False

    @property
    def vss_cny(self) -> float | None:
        if self.expected_profit_cny is None or self.mean_design_expected_profit_cny is None:
            return None
        return _difference(self.expected_profit_cny, self.mean_design_expected_profit_cny)

    @property
    def evpi_cny(self) -> float | None:
        if self.expected_profit_cny is None or self.wait_and_see_profit_cny is None:
            return None
        return _difference(self.wait_and_see_profit_cny, self.expected_profit_cny)


def two_stage_message(result: TwoStageResult) -> Msg:
    """How a two-stage solve ended, in the catalogue's words; the solver's own words (HiGHS's status, a
    scenario's error) only where it failed, as the reason."""
    status, gap = PlanStatus(result.status), result.gap
    if status is PlanStatus.OPTIMAL and gap is not None and gap > 1e-9:
        return msg("status.optimal_gap", gap=f"{100 * gap:.3f}%")
    if status is PlanStatus.FEASIBLE and gap is not None:
        return msg("two_stage.feasible_gap", gap=f"{100 * gap:.2f}%")
    plain = {
        PlanStatus.OPTIMAL: "status.optimal",
        PlanStatus.FEASIBLE: "outcome.feasible",
        PlanStatus.INFEASIBLE: "status.infeasible",
        PlanStatus.CANCELLED: "outcome.cancelled",
        PlanStatus.TIME_LIMIT_NO_SOLUTION: "outcome.no_solution",
    }
    if status in plain:
        return msg(plain[status])
    if not result.message:
        return msg("status.error")
    return msg("status.error_because", why=text_message(result.message))


def _difference(a: float, b: float) -> float:
    """a - b, with the solver's round-off (the same design twice: -4e-08) shown as 0, not "-0"."""
    d = a - b
    return 0.0 if abs(d) <= 1e-9 * max(1.0, abs(a), abs(b)) else d


@dataclass(frozen=True, slots=True)
class SweepResult:
    """Everything a sweep found (see the module docstring)."""

    network_name: str
    definition: SweepDefinition
    base: ScenarioResult
    scenarios: tuple[ScenarioResult, ...]
    robustness: tuple[SiteRobustness, ...]
    tornado: tuple[TornadoBar, ...]
    break_even: tuple[BreakEven, ...]
    stochastic: StochasticSummary | None
    fixed_prices: tuple[FixedPrice, ...]
    base_copper_price_cny_per_t_cu: float
    workers: int
    executor: str
    runtime_s: float
    cancelled: bool = False
    years: tuple[int, ...] = ()

    @property
    def multiyear(self) -> bool:
        """Whether every scenario was planned over the network's periods (``years``)."""
        return bool(self.years)

    @property
    def kpi(self) -> str:
        """What the tornado and the charts compare: ``npv_cny`` over periods, else ``profit_cny``."""
        return "npv_cny" if self.multiyear else "profit_cny"

    @property
    def failed(self) -> tuple[ScenarioResult, ...]:
        return tuple(s for s in self.scenarios if s.status == "error")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``scenarios`` (factors, status, profit_cny, npv_cny, utilization, sites_open) and
        ``break_even`` (site_id, copper_price_cny_per_t_cu) first, then the rest."""
        return {
            "network": self.network_name,
            "scenarios": [_scenario_dict(s) for s in self.scenarios],
            "break_even": [_break_even_dict(b) for b in self.break_even],
            "base": _scenario_dict(self.base),
            "robustness": [
                {
                    "site_id": r.site_id,
                    "name": r.name,
                    "kind": r.kind,
                    "share_open": r.share,
                    "opens_in": r.opens_in,
                    "scenarios": r.scenarios,
                    "opens_in_base": r.opens_in_base,
                }
                for r in self.robustness
            ],
            "kpi": self.kpi,
            "years": list(self.years),
            "single_year": self.definition.single_year,
            "tornado": [
                {
                    "factor": t.factor,
                    "kpi": t.kpi,
                    "base_value": t.base_value,
                    "low_value": t.low_value,
                    "high_value": t.high_value,
                    "low_cny": t.low_cny,
                    "high_cny": t.high_cny,
                    "base_cny": t.base_cny,
                }
                for t in self.tornado
            ],
            "stochastic": None if self.stochastic is None else _stochastic_dict(self.stochastic),
            "fixed_prices": [
                {"kind": f.kind, "subject_id": f.subject_id, "value": f.value, "unit": f.unit}
                for f in self.fixed_prices
            ],
            "base_copper_price_cny_per_t_cu": self.base_copper_price_cny_per_t_cu,
            "tornado_pct": self.definition.tornado_pct,
            "break_even_tolerance_cny_per_t_cu": self.definition.break_even_tolerance_cny,
            "samples": self.definition.samples,
            "seed": self.definition.seed,
            "workers": self.workers,
            "executor": self.executor,
            "runtime_s": self.runtime_s,
            "cancelled": self.cancelled,
        }


def _scenario_dict(s: ScenarioResult) -> dict[str, Any]:
    return {
        "key": s.key,
        "factors": dict(s.factors),
        "status": s.status,
        "profit_cny": s.profit_cny,
        "npv_cny": s.npv_cny,
        "irr": s.irr,
        "payback_years": s.payback_years,
        "builds": [{"site_id": b[0], "module_id": b[1], "year": b[2]} for b in s.builds],
        "utilization": s.utilization,
        "sites_open": list(s.sites_open),
        "new_sites_open": list(s.new_sites_open),
        "modules": dict(s.modules),
        "total_cost_cny": s.total_cost_cny,
        "copper_delivered_t_cu": s.copper_delivered_t_cu,
        "gap": s.gap,
        "runtime_s": s.runtime_s,
        "message": _plain(s.message),
        "trace": s.trace,
    }


def _plain(message: Msg | None) -> dict[str, Any] | None:
    return None if message is None else message_to_plain(message)


def _break_even_dict(b: BreakEven) -> dict[str, Any]:
    return {
        "site_id": b.site_id,
        "copper_price_cny_per_t_cu": b.copper_price_cny_per_t_cu,
        "status": b.status,
        "low": b.low,
        "high": b.high,
        "tolerance": b.tolerance,
        "solves": b.solves,
        "runtime_s": b.runtime_s,
        "message": _plain(b.message),
        "trace": b.trace,
    }


def _stochastic_dict(s: StochasticSummary) -> dict[str, Any]:
    return {
        "scenarios": s.scenarios,
        "probabilities": list(s.probabilities),
        "status": s.status,
        "message": _plain(s.message),
        "expected_profit_cny": s.expected_profit_cny,
        "mean_design_expected_profit_cny": s.mean_design_expected_profit_cny,
        "wait_and_see_profit_cny": s.wait_and_see_profit_cny,
        "vss_cny": s.vss_cny,
        "evpi_cny": s.evpi_cny,
        "design": dict(s.design),
        "mean_design": dict(s.mean_design),
        "scenario_profit_cny": list(s.scenario_profit_cny),
        "runtime_s": s.runtime_s,
        "size": dict(s.size),
        "multiyear": s.multiyear,
        "kpi": "npv_cny" if s.multiyear else "profit_cny",
    }


# === running ===============================================================================================


def run_sweep(
    network: Network,
    definition: SweepDefinition,
    options: SolveOptions | None = None,
    *,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    on_scenario: OnScenario | None = None,
    keep_plans: bool = False,
) -> SweepResult:
    """Run the sweep ``definition`` on ``network`` (see the module docstring).

    Every solve uses ``options`` with one HiGHS thread (the workers run in parallel instead). Without
    an ``executor`` a :class:`LocalPool` with one worker per core runs it and is closed afterwards.
    Raises :class:`~optimizer.scenarios.factors.FactorError` (a ``ValueError`` whose ``message`` says why
    in the catalogue's words) when the definition cannot be run on this network; a scenario that fails
    is a result, not an exception.
    """
    definition.check()
    if definition.single_year is not None:
        one_year = single_period(network, definition.single_year) if network.periods else None
        if one_year is None:
            raise FactorError(msg("sweep_def.no_year", year=definition.single_year))
        network = one_year
    started = time.monotonic()
    options = (options or SolveOptions()).replace(threads=1)
    scenarios = definition.scenarios()
    networks = [apply_factors(network, s.values) for s in scenarios]  # raises FactorError early
    own = executor is None
    runner: Executor = executor if executor is not None else LocalPool()
    try:
        return _run(
            network,
            definition,
            options,
            scenarios,
            networks,
            runner,
            progress,
            cancel,
            on_scenario,
            keep_plans,
            started,
        )
    finally:
        if own:
            runner.close()


def _run(
    network: Network,
    definition: SweepDefinition,
    options: SolveOptions,
    scenarios: list[Scenario],
    networks: list[Network],
    runner: Executor,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    on_scenario: OnScenario | None,
    keep_plans: bool,
    started: float,
) -> SweepResult:
    base_price = network.parameters.copper_price_cny_per_t
    years = tuple(p.year for p in period_inputs(network))
    kpi = "npv_cny" if years else "profit_cny"
    _emit(progress, 0.0, started)
    base = _keep(run_task(SolveTask("base", network, options), cancel), keep_plans)
    assert isinstance(base, ScenarioResult)
    tasks: list[Task] = [
        SolveTask(f"scenario:{s.index}", n, options, dict(s.values))
        for s, n in zip(scenarios, networks, strict=True)
    ]
    tornado_points = _tornado_points(network, definition)
    for name, _, low, high in tornado_points:
        for sign, value in (("-", low), ("+", high)):
            tasks.append(
                SolveTask(
                    f"tornado:{name}:{sign}", apply_factors(network, {name: value}), options, {name: value}
                )
            )
    if definition.break_even and base.ok:
        for site_id in base.new_sites_open:
            tasks.append(
                BreakEvenTask(
                    f"break_even:{site_id}",
                    network,
                    options,
                    site_id,
                    base_price * definition.break_even_low_share,
                    base_price,
                    definition.break_even_tolerance_cny,
                    opens_at_high=True,  # the base plan, solved at the base price, opens it
                )
            )

    def finished(_: int, result: Result) -> None:
        if (
            on_scenario is not None
            and isinstance(result, ScenarioResult)
            and result.key.startswith("scenario:")
        ):
            on_scenario(result.without_plan() if not keep_plans else result)

    batch_end = 0.9 if definition.stochastic else 1.0
    results = runner.run(tasks, on_result=finished, progress=scaled(progress, 0.02, batch_end), cancel=cancel)
    by_key = {r.key if isinstance(r, ScenarioResult) else f"break_even:{r.site_id}": r for r in results}
    scenario_results = tuple(_keep(by_key[f"scenario:{s.index}"], keep_plans) for s in scenarios)
    tornado = tuple(
        TornadoBar(
            name,
            b,
            low,
            high,
            _kpi(by_key.get(f"tornado:{name}:-"), kpi),
            _kpi(by_key.get(f"tornado:{name}:+"), kpi),
            base.kpi(kpi),
            kpi,
        )
        for name, b, low, high in tornado_points
    )
    break_even = tuple(r for r in results if isinstance(r, BreakEven))
    stochastic = None
    if definition.stochastic and scenarios and not is_cancelled(cancel):
        stochastic = _stochastic(
            network, definition, options, scenarios, networks, scenario_results, runner, cancel
        )
    _emit(progress, 1.0, started)
    return SweepResult(
        network_name=network.name,
        definition=definition,
        base=base,
        scenarios=scenario_results,  # type: ignore[arg-type]
        robustness=_robustness(network, base, scenario_results),  # type: ignore[arg-type]
        tornado=tornado,
        break_even=break_even,
        stochastic=stochastic,
        fixed_prices=fixed_prices(network),
        base_copper_price_cny_per_t_cu=base_price,
        workers=runner.workers,
        executor=type(runner).__name__,
        runtime_s=time.monotonic() - started,
        cancelled=is_cancelled(cancel),
        years=years,
    )


def _emit(progress: ProgressCallback | None, fraction: float, started: float) -> None:
    if progress is not None:
        progress(ProgressEvent("sweeping", fraction, "", time.monotonic() - started))


def _keep(result: Result, keep_plans: bool) -> Result:
    if isinstance(result, ScenarioResult) and not keep_plans:
        return result.without_plan()
    return result


def _kpi(result: Result | None, kpi: str) -> float | None:
    return result.kpi(kpi) if isinstance(result, ScenarioResult) else None


def _tornado_points(network: Network, definition: SweepDefinition) -> list[tuple[str, float, float, float]]:
    """(factor, base, low, high) of every numeric factor with a non-zero base value."""
    if definition.tornado_pct <= 0:
        return []
    step = definition.tornado_pct / 100.0
    points = []
    for f in definition.factors:
        if not f.is_numeric:
            continue
        b = base_value(network, f.name)
        if b is None or b == 0:
            continue
        low, high = b * (1 - step), b * (1 + step)
        if f.name in ("target_utilization",) or f.name.startswith("param.vat") or f.name.endswith("_rate"):
            low, high = max(0.0, low), min(1.0, high)
        points.append((f.name, b, low, high))
    return points


def _robustness(
    network: Network, base: ScenarioResult, scenarios: tuple[ScenarioResult, ...]
) -> tuple[SiteRobustness, ...]:
    ok = [s for s in scenarios if s.ok]
    out = []
    for site in network.sites:
        if site.status is not SiteStatus.CANDIDATE:
            continue
        n_open = sum(site.id in s.sites_open for s in ok)
        out.append(
            SiteRobustness(site.id, site.name, str(site.kind), n_open, len(ok), site.id in base.sites_open)
        )
    return tuple(out)


def _mean_values(
    definition: SweepDefinition, scenarios: list[Scenario], probabilities: list[float]
) -> dict[str, FactorValue]:
    """The probability-weighted mean of each numeric factor (id factors stay at the base network's)."""
    mean: dict[str, FactorValue] = {}
    for f in definition.factors:
        if f.is_numeric:
            mean[f.name] = sum(
                p * float(s.values[f.name]) for p, s in zip(probabilities, scenarios, strict=True)
            )
    return mean


def _stochastic(
    network: Network,
    definition: SweepDefinition,
    options: SolveOptions,
    scenarios: list[Scenario],
    networks: list[Network],
    results: tuple[Result, ...],
    runner: Executor,
    cancel: CancelToken | None,
) -> StochasticSummary:
    started = time.monotonic()
    k = len(scenarios)
    probs = list(definition.probabilities) if definition.probabilities else [1.0 / k] * k
    mean_network = apply_factors(network, _mean_values(definition, scenarios, probs))
    if network.periods:
        return _stochastic_multiyear(
            network, options, probs, networks, mean_network, results, cancel, started
        )
    rp = solve_two_stage(networks, probs, options, cancel=cancel)
    mean_plan = solve(mean_network, options, cancel=cancel)
    mean_design = {s.site_id: s.module_id for s in mean_plan.sites}
    eev = solve_two_stage(networks, probs, options, fixed_design=mean_design, cancel=cancel)
    profits = [r.profit_cny if isinstance(r, ScenarioResult) else None for r in results]
    ws = None if any(p is None for p in profits) else sum(p * v for p, v in zip(probs, profits, strict=True))  # type: ignore[operator,misc]
    return StochasticSummary(
        scenarios=k,
        probabilities=tuple(probs),
        status=str(rp.status),
        message=two_stage_message(rp),
        expected_profit_cny=rp.expected_profit_cny,
        mean_design_expected_profit_cny=eev.expected_profit_cny,
        wait_and_see_profit_cny=ws,
        design=dict(rp.open_modules),
        mean_design=mean_design,
        scenario_profit_cny=rp.scenario_profit_cny,
        runtime_s=time.monotonic() - started,
        size=dict(rp.size),
    )


def _stochastic_multiyear(
    network: Network,
    options: SolveOptions,
    probs: list[float],
    networks: list[Network],
    mean_network: Network,
    results: tuple[Result, ...],
    cancel: CancelToken | None,
    started: float,
) -> StochasticSummary:
    """The two-stage design over the periods: one build schedule for every scenario, expected NPV."""
    settings = multiyear_options(options)
    rp = solve_two_stage_multiyear(networks, probs, settings, cancel=cancel)
    mean_plan = plan_network(mean_network, options, cancel)
    mean_builds = {(b.site_id, b.module_id, b.year) for b in mean_plan.builds}
    eev = solve_two_stage_multiyear(networks, probs, settings, fixed_builds=mean_builds, cancel=cancel)
    npvs = [r.npv_cny if isinstance(r, ScenarioResult) and r.ok else None for r in results]
    ws = None if any(v is None for v in npvs) else sum(p * v for p, v in zip(probs, npvs, strict=True))  # type: ignore[operator,misc]
    return StochasticSummary(
        scenarios=len(networks),
        probabilities=tuple(probs),
        status=str(rp.status),
        message=two_stage_message(rp),
        expected_profit_cny=rp.expected_profit_cny,
        mean_design_expected_profit_cny=eev.expected_profit_cny,
        wait_and_see_profit_cny=ws,
        design=dict(rp.open_modules),
        mean_design={f"{s} ({m})": str(y) for s, m, y in sorted(mean_builds, key=lambda b: (b[2], b[0]))},
        scenario_profit_cny=rp.scenario_profit_cny,
        runtime_s=time.monotonic() - started,
        size=dict(rp.size),
        multiyear=True,
    )
