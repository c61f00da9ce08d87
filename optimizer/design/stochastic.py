"""The two-stage stochastic network design: one build decision for K scenarios, flows per scenario.

Each scenario's single-year model is built by :func:`optimizer.design.formulation.build_model` (so the
two-stage model has exactly the constraints of a normal solve), then copied into one PuLP problem: every
scenario gets its own flow columns and its own rows (prefixed ``k<index>_``), while the module binaries
``open[site, module]`` are shared by all scenarios (the first stage). The objective is the expected
profit, sum_k p_k * (revenue_k - variable cost_k - fixed cost_k(open)).

A scenario may lack a site (closed in that scenario, e.g. a disruption): the shared binary then simply
has no capacity in that scenario. Solving with ``fixed_design`` fixes the binaries, which evaluates a
given design in every scenario (the expected result of the mean-value design, for the VSS).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pulp

from optimizer.design.formulation import NetworkDesignModel, build_model
from optimizer.design.multiyear import MultiYearObjective, MultiYearOptions, build_multiyear_model
from optimizer.design.options import SolveOptions
from optimizer.design.plan import PlanStatus
from optimizer.design.pulp_access import constraint_table
from optimizer.design.solve import requirements_of, settings_of
from optimizer.design.solvers import SolveOutcome, SolverSettings, run_solver
from optimizer.issues import errors
from optimizer.model import Network, SiteStatus
from optimizer.progress import CancelToken, ProgressCallback
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


@dataclass(frozen=True, slots=True)
class TwoStageResult:
    """The two-stage design: status, expected profit, per-scenario profit and the modules it builds.

    ``open_modules`` maps every site that runs (existing ones included) to its module id.
    ``scenario_profit_cny[k]`` is scenario k's profit under the shared design.
    """

    status: PlanStatus
    message: str
    expected_profit_cny: float | None
    scenario_profit_cny: tuple[float, ...]
    open_modules: dict[str, str]
    runtime_s: float
    gap: float | None = None
    size: dict[str, int] = field(default_factory=dict)

    @property
    def has_solution(self) -> bool:
        return self.expected_profit_cny is not None


def solve_two_stage(
    networks: Sequence[Network],
    probabilities: Sequence[float],
    options: SolveOptions | None = None,
    *,
    fixed_design: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> TwoStageResult:
    """Maximise expected profit over ``networks`` (scenarios of one network) with shared build decisions.

    ``probabilities`` must be non-negative and sum to 1. ``fixed_design`` (site id -> module id; sites
    not named stay closed unless they exist) fixes the first stage instead of optimising it. Objective
    and requirements follow ``options`` as a normal solve would, except that the objective is always
    expected profit.
    """
    options = options or SolveOptions()
    started = time.monotonic()
    invalid = _invalid_scenarios(networks, probabilities, started)
    if invalid is not None:
        return invalid
    models = [build_model(n, requirements_of(n, options)) for n in networks]
    problem = pulp.LpProblem("copperloop_two_stage", pulp.LpMaximize)
    shared = _shared_binaries(problem, models, fixed_design)
    costs = [_fixed_costs(model, models) for model in models]
    flows: list[list[pulp.LpVariable]] = []
    terms: list[tuple[pulp.LpVariable, float]] = []
    build: dict[tuple[str, str], float] = {}
    for k, (model, p) in enumerate(zip(models, probabilities, strict=True)):
        mapped = _copy_scenario(problem, model, k, shared)
        flows.append([mapped[x.name] for x in model.flow])
        margin = model.arc_revenue - model.variable_cost_vector()
        terms.extend((flows[k][n], p * float(margin[n])) for n in np.flatnonzero(margin).tolist())
        # the build is paid in every scenario, also in one where the site is unavailable
        for key, cost in costs[k].items():
            build[key] = build.get(key, 0.0) - p * cost
    # one term per binary: PuLP keeps only the last coefficient of a variable listed twice
    terms.extend((shared[key], c) for key, c in build.items() if c)
    problem.setObjective(pulp.LpAffineExpression(terms))
    result = run_solver(problem, settings_of(options), progress=progress, cancel=cancel)
    status = _STATUS[result.outcome]
    size = {
        "scenarios": len(models),
        "variables": len(problem.variables()),
        "binaries": len(shared),
        "constraints": len(constraint_table(problem)),
    }
    if not result.has_solution:
        return TwoStageResult(status, result.message, None, (), {}, time.monotonic() - started, size=size)
    opened: dict[str, str] = {}
    for (site_id, module_id), var in shared.items():
        if (var.varValue or 0.0) > 0.5:
            opened[site_id] = module_id
    profits = tuple(_scenario_profit(model, flows[k], opened, costs[k]) for k, model in enumerate(models))
    expected = float(sum(p * v for p, v in zip(probabilities, profits, strict=True)))
    return TwoStageResult(
        status, result.message, expected, profits, opened, time.monotonic() - started, result.gap, size
    )


def _invalid_scenarios(
    networks: Sequence[Network], probabilities: Sequence[float], started: float
) -> TwoStageResult | None:
    """Both two-stage designs' input check: ``ValueError`` for probabilities that are not one per
    scenario, non-negative and summing to 1; an error result naming the first invalid scenario."""
    if len(networks) != len(probabilities) or not networks:
        raise ValueError("one probability per scenario, and at least one scenario")
    if any(p < 0 for p in probabilities) or abs(sum(probabilities) - 1.0) > 1e-6:
        raise ValueError(f"scenario probabilities must be >= 0 and sum to 1, got {list(probabilities)}")
    for k, network in enumerate(networks):
        problems = errors(validate(network))
        if problems:
            return _failed(PlanStatus.ERROR, f"scenario {k}: {problems[0]}", started)
    return None


def _failed(status: PlanStatus, message: str, started: float) -> TwoStageResult:
    return TwoStageResult(status, message, None, (), {}, time.monotonic() - started)


def _shared_binaries(
    problem: pulp.LpProblem, models: Sequence[NetworkDesignModel], fixed: dict[str, str] | None
) -> dict[tuple[str, str], pulp.LpVariable]:
    """One binary per (site, module) over every scenario; fixed to the design when one is given."""
    shared: dict[tuple[str, str], pulp.LpVariable] = {}
    for model in models:
        for key, var in model.module_open.items():
            if key in shared:
                continue
            low, high = float(var.lowBound or 0.0), float(var.upBound if var.upBound is not None else 1.0)
            if fixed is not None:
                site = next(s for s in model.sites if s.id == key[0])
                chosen = fixed.get(key[0]) == key[1]
                must = site.status is SiteStatus.EXISTING and len(site.modules) == 1
                low = high = 1.0 if chosen or must else 0.0
            shared[key] = problem.add_variable(f"z{len(shared)}", low, high, pulp.LpInteger)
    return shared


def _copy_scenario(
    problem: pulp.LpProblem,
    model: NetworkDesignModel,
    k: int,
    shared: dict[tuple[str, str], pulp.LpVariable],
) -> dict[str, pulp.LpVariable]:
    """Copy scenario ``k``'s flow columns and rows into ``problem``; old variable name -> new variable."""
    mapped: dict[str, pulp.LpVariable] = {}
    for n, x in enumerate(model.flow):
        mapped[x.name] = problem.add_variable(f"k{k}_x{n}", 0.0)
    for key, var in model.module_open.items():
        mapped[var.name] = shared[key]
    for var in model.slacks.values():
        mapped[var.name] = problem.add_variable(f"k{k}_{var.name}", var.lowBound, var.upBound)
    table = constraint_table(model.problem)
    for name, row in table.items():
        expr = _mapped(row, mapped)
        problem.addConstraint(pulp.LpConstraint(expr, row.sense, f"k{k}_{name}", -float(row.constant)))
    return mapped


def _mapped(
    expr: pulp.LpAffineExpression | pulp.LpConstraint, mapped: dict[str, pulp.LpVariable]
) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression([(mapped[var.name], float(coef)) for var, coef in expr.items()])


def _fixed_costs(
    model: NetworkDesignModel, models: Sequence[NetworkDesignModel]
) -> dict[tuple[str, str], float]:
    """Fixed cost per (site, module) in ``model``'s scenario; a module the scenario lacks (its site is
    unavailable there) costs what it costs in the first scenario that has it."""
    costs: dict[tuple[str, str], float] = {}
    for other in (model, *models):
        for key, module in other.modules.items():
            costs.setdefault(key, module.fixed_cost_cny_per_year)
    return costs


def _scenario_profit(
    model: NetworkDesignModel,
    flows: list[pulp.LpVariable],
    opened: dict[str, str],
    costs: dict[tuple[str, str], float],
) -> float:
    v = np.fromiter((x.varValue or 0.0 for x in flows), dtype=float, count=len(flows))
    margin = float(np.dot(model.arc_revenue - model.variable_cost_vector(), v))
    fixed = sum(cost for (site_id, module_id), cost in costs.items() if opened.get(site_id) == module_id)
    return margin - fixed


# === over the periods ======================================================================================


def solve_two_stage_multiyear(
    networks: Sequence[Network],
    probabilities: Sequence[float],
    options: MultiYearOptions | None = None,
    *,
    fixed_builds: set[tuple[str, str, int]] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> TwoStageResult:
    """Maximise the expected NPV over ``networks`` (scenarios of one network with periods) with one build
    schedule for all of them.

    Each scenario's multi-year model is built by :func:`optimizer.design.multiyear.build_multiyear_model`
    and copied into one problem with its variables and rows prefixed ``k<index>_``; the first stage is
    the build schedule, ``build[t, site, module]`` (a module with capex starting to run in period t),
    made equal across the scenarios, while which modules run, the flows, closures and taxes stay per
    scenario. A module without capex has no build decision: it runs (and pays its yearly fixed cost)
    per scenario. ``fixed_builds`` ((site, module, first year) of a plan's builds) fixes the schedule
    instead, which evaluates a given schedule in every scenario (the mean-value design, for the VSS).
    ``expected_profit_cny`` and ``scenario_profit_cny`` then hold NPVs (CNY), and ``open_modules``
    maps ``site (module)`` to the year it is built.
    """
    options = options or MultiYearOptions()
    started = time.monotonic()
    invalid = _invalid_scenarios(networks, probabilities, started)
    if invalid is not None:
        return invalid
    for k, network in enumerate(networks):
        if not network.periods:
            return _failed(PlanStatus.ERROR, f"scenario {k} has no periods", started)
    models = [build_multiyear_model(n, MultiYearObjective.NPV, k_nearest=options.k_nearest) for n in networks]
    problem = pulp.LpProblem("copperloop_two_stage_multiyear", pulp.LpMaximize)
    table = constraint_table(problem)
    objective: list[tuple[pulp.LpVariable, float]] = []
    constant = 0.0
    for k, (model, p) in enumerate(zip(models, probabilities, strict=True)):
        for var in model.problem.variables():
            var.name = f"k{k}_{var.name}"
        for name, row in list(constraint_table(model.problem).items()):
            row.name = f"k{k}_{name}"
            table[row.name] = row
        expr = model.problem.objective
        objective.extend((var, p * float(coef)) for var, coef in expr.items())
        constant += p * float(expr.constant)
    first = models[0]
    years = {t: period.year for t, period in enumerate(first.inputs)}
    for key, var in first.build.items():
        if fixed_builds is not None:
            chosen = (key[1], key[2], years[key[0]]) in fixed_builds
            var.lowBound = var.upBound = 1.0 if chosen else 0.0
        for k, other in enumerate(models[1:], start=1):
            twin = other.build.get(key)
            if twin is not None:  # non-anticipativity: one build schedule
                problem.addConstraint(
                    pulp.LpConstraint(var - twin, pulp.LpConstraintEQ, f"same_build_{k}_{var.name}", 0.0)
                )
    merged: dict[pulp.LpVariable, float] = {}
    for var, coef in objective:
        merged[var] = merged.get(var, 0.0) + coef
    problem.setObjective(pulp.LpAffineExpression(list(merged.items()), constant=constant))
    settings = SolverSettings(
        solver=options.solver,
        time_limit_s=options.time_limit_s,
        mip_gap=options.mip_gap,
        threads=options.threads,
    )
    result = run_solver(problem, settings, progress=progress, cancel=cancel)
    status = _STATUS[result.outcome]
    size = {
        "scenarios": len(models),
        "variables": len(problem.variables()),
        "binaries": sum(v.cat == pulp.LpInteger for v in problem.variables()),
        "constraints": len(table),
    }
    if not result.has_solution:
        return TwoStageResult(status, result.message, None, (), {}, time.monotonic() - started, size=size)
    built = {
        f"{site_id} ({module_id})": str(years[t])
        for (t, site_id, module_id), var in sorted(first.build.items())
        if (var.varValue or 0.0) > 0.5
    }
    npvs = tuple(float(pulp.value(m.problem.objective) or 0.0) for m in models)
    expected = float(sum(p * v for p, v in zip(probabilities, npvs, strict=True)))
    return TwoStageResult(
        status, result.message, expected, npvs, built, time.monotonic() - started, result.gap, size
    )
