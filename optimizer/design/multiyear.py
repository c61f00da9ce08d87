"""The multi-year investment MILP: which module to build at which site in which year, and every year's flows.

Each period is one block built by the single-year builder (:func:`optimizer.design.formulation.build_model`
on :func:`optimizer.design.periods.year_network`), so flows, balances, capacities, blends, haul limits,
linking rows, the aggregate-capacity cut and the utilization target hold per year exactly as in the
single-year model. The blocks share nothing but these rows, added here:

* ``run[t,j,k]`` is the block's module binary (site ``j`` runs module ``k`` in period ``t``);
  ``build[t,j,k] >= run[t,j,k] - run[t-1,j,k]`` marks the period a module starts running and pays its
  capex (spread over its build time, before it runs);
* once open a site stays open and its capacity never falls (``open[t] >= open[t-1]``, ``cap[t] >=
  cap[t-1]``): a later, bigger module is an expansion. An existing site that ``may_close`` may instead
  close once, for good, paying its closing cost;
* a candidate cannot run before its earliest year or its lead time, and no module before its build time;
* the capex paid in each year is at most that period's capital budget;
* the residual value of a module still running at the horizon's end is at most its straight-line
  book value (and zero if it no longer runs).

Objectives: ``npv`` maximises the net present value of after-tax cash flow, ``cost`` minimises the
discounted cost (purchases, transport, processing, fixed, carbon, capex, closing, less residual value)
subject to every year's target. Taxes (in ``npv`` only) follow the Parameters: VAT by the simplified or
general method on VAT-inclusive prices, less the refund share, and income tax on positive taxable profit
after straight-line depreciation; both are linear (a tax variable at least the rate x the base, and at
least 0). With one period, no capex and taxes off, the model is the single-year profit or cost model.
The formulation is written out in ``docs/model.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pulp

from optimizer.design.formulation import NetworkDesignModel, Requirements, build_model
from optimizer.design.investment import (
    capex_of,
    depreciation_applies,
    payment_offsets,
    residual_share,
    yearly_fixed_cost,
)
from optimizer.design.options import SolverName
from optimizer.design.periods import (
    PeriodInputs,
    discount,
    horizon_years,
    period_discount,
    period_inputs,
    year_network,
)
from optimizer.design.pulp_access import constraint_table
from optimizer.messages import Msg, msg
from optimizer.model import CapacityModule, Network, ProcessingSite, SiteStatus, VatMethod


class MultiYearObjective(StrEnum):
    """``npv``: maximise the NPV of after-tax cash flow. ``cost``: least discounted cost subject to the
    yearly targets (each period's target, else the Parameters target; one of them is needed)."""

    NPV = "npv"
    COST = "cost"


@dataclass(frozen=True, slots=True)
class MultiYearOptions:
    """Options of a multi-year solve (solver settings as in :class:`~optimizer.design.options.SolveOptions`).

    ``periods`` overrides the network's Periods rows (``None``: use them).
    """

    objective: MultiYearObjective = MultiYearObjective.NPV
    solver: SolverName = SolverName.HIGHS
    time_limit_s: float = 120.0
    mip_gap: float = 1e-4
    threads: int | None = None
    k_nearest: int | None = None
    #: forward every solver log line as ``ProgressEvent.log_line``, named by the year(s) it solves
    log_to_progress: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "objective", MultiYearObjective(self.objective))
        object.__setattr__(self, "solver", SolverName(self.solver))
        if not self.time_limit_s > 0:
            raise ValueError(f"time limit must be more than 0 s, got {self.time_limit_s}")
        if not 0.0 <= self.mip_gap < 1.0:
            raise ValueError(f"relative MIP gap must be in [0, 1), got {self.mip_gap}")


ModuleKey = tuple[str, str]


@dataclass(slots=True)
class MultiYearModel:
    """A built multi-year MILP and handles to its parts.

    ``years[t]`` is period ``t``'s single-year block (its variables renamed ``y{t}_...``); ``build``,
    ``close`` and ``residual`` are the linking variables; ``vat`` and ``income_tax`` the per-period tax
    variables (yearly amounts). ``capex_by_offset`` is the capex paid in each year offset as an
    expression of the build variables.
    """

    network: Network
    objective: MultiYearObjective
    inputs: tuple[PeriodInputs, ...]
    years: list[NetworkDesignModel]
    problem: pulp.LpProblem
    sites: dict[str, ProcessingSite]
    build: dict[tuple[int, str, str], pulp.LpVariable] = field(default_factory=dict)
    close: dict[tuple[int, str], pulp.LpVariable] = field(default_factory=dict)
    residual: dict[ModuleKey, pulp.LpVariable] = field(default_factory=dict)
    vat: dict[int, pulp.LpVariable] = field(default_factory=dict)
    income_tax: dict[int, pulp.LpVariable] = field(default_factory=dict)
    capex_by_offset: dict[int, pulp.LpAffineExpression] = field(default_factory=dict)
    notes: list[Msg] = field(default_factory=list)
    completion: list[tuple[pulp.LpVariable, pulp.LpConstraint]] = field(default_factory=list)

    def run(self, t: int, site_id: str, module_id: str) -> pulp.LpVariable:
        """The binary of site ``site_id`` running module ``module_id`` in period ``t``."""
        return self.years[t].module_open[(site_id, module_id)]

    def complete(self, start: dict[pulp.LpVariable, float]) -> dict[pulp.LpVariable, float]:
        """``start`` (flows, module and build binaries) with the closing, VAT, income-tax and residual
        variables set to the values their rows allow: the bound a row puts on each (at least its lower
        bound), in the order they were added, so that the start is a complete solution."""
        out = dict(start)
        lower: dict[pulp.LpVariable, float] = {}
        upper: dict[pulp.LpVariable, float] = {}
        for var, row in self.completion:
            coef = row.get(var, 0.0)
            if coef == 0:
                continue
            terms = [c * out.get(v, 0.0) for v, c in row.items() if v is not var]
            bound = -(sum(terms) + row.constant) / coef
            # a margin keeps the row satisfied despite rounding in sums of a billion CNY (HiGHS checks a
            # start to 1e-7 and rejects it otherwise)
            margin = (1e-9 * sum(abs(x) for x in terms) + 1e-6) / coef
            # coef > 0 throughout: a >= row is a lower bound, a <= row an upper one
            if row.sense == pulp.LpConstraintGE:
                lower[var] = max(lower.get(var, 0.0), bound + margin)
            else:
                upper[var] = min(upper.get(var, float("inf")), bound - margin)
            low = max(var.lowBound or 0.0, lower.get(var, 0.0))
            out[var] = max(low, upper[var]) if var in upper and var not in lower else low
        return out

    def size(self) -> dict[str, int]:
        variables = self.problem.variables()
        return {
            "periods": len(self.inputs),
            "variables": len(variables),
            "binaries": sum(1 for v in variables if v.cat == pulp.LpInteger),
            "constraints": len(constraint_table(self.problem)),
        }


def build_multiyear_model(
    network: Network,
    objective: MultiYearObjective | str = MultiYearObjective.NPV,
    *,
    k_nearest: int | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> MultiYearModel:
    """Build the multi-year MILP of ``network`` over its Periods (see the module docstring).

    Raises ``ValueError`` when the network has no periods, or the ``cost`` objective has no target in
    any year. ``cancelled`` is polled between periods (building the national network takes a while).
    """
    objective = MultiYearObjective(objective)
    inputs = period_inputs(network)
    if not inputs:
        raise ValueError("the network has no Periods rows: plan it for one year with solve()")
    if objective is MultiYearObjective.COST and all(p.target_utilization is None for p in inputs):
        raise ValueError(
            "the cost objective needs a utilization target: set one per period on the Periods sheet or in "
            "the Parameters"
        )
    params = network.parameters
    sense = pulp.LpMaximize if objective is MultiYearObjective.NPV else pulp.LpMinimize
    prob = pulp.LpProblem("copperloop_multiyear", sense)
    years: list[NetworkDesignModel] = []
    for period in inputs:
        if cancelled is not None and cancelled():
            break
        req = Requirements(
            target_utilization=period.target_utilization,
            budget_cny=params.annual_budget_cny,
            max_new_sites=params.max_new_sites,
            k_nearest=k_nearest,
        )
        block = build_model(year_network(network, period), req)
        if block.linking_pending:
            block.add_linking(block.link_seed())
        _absorb(prob, block, period.index)
        years.append(block)
    model = MultiYearModel(
        network=network,
        objective=objective,
        inputs=inputs,
        years=years,
        problem=prob,
        sites={s.id: s for s in years[0].sites} if years else {},
    )
    if len(years) < len(inputs):
        return model
    _Linker(model).link()
    return model


def _absorb(prob: pulp.LpProblem, block: NetworkDesignModel, t: int) -> None:
    """Move a period block's variables (renamed ``y{t}_...``) and rows into the multi-year problem."""
    for var in [*block.flow, *block.module_open.values(), *block.slacks.values()]:
        var.name = f"y{t}_{var.name}"
    # straight into the table: PuLP's addConstraint would register every variable of every row a second
    # time (half the build time on the national sample); variables() finds them from the rows anyway
    table = constraint_table(prob)
    for name, constraint in list(constraint_table(block.problem).items()):
        constraint.name = f"y{t}_{name}"
        table[constraint.name] = constraint


class _Linker:
    """Adds the rows and objective that tie the period blocks into one investment plan."""

    def __init__(self, model: MultiYearModel) -> None:
        self.m = model
        self.prob = model.problem
        self.params = model.network.parameters
        self.rate = self.params.discount_rate
        self.T = len(model.inputs)
        self.horizon = horizon_years(model.inputs)
        self.first_year = model.inputs[0].year

    def _row(
        self,
        name: str,
        terms: list[tuple[pulp.LpVariable, float]],
        sense: int,
        rhs: float,
        completes: pulp.LpVariable | None = None,
    ) -> None:
        """Add a row; ``completes`` names the variable a start solution reads from it (its bound)."""
        row = pulp.LpConstraint(pulp.LpAffineExpression(terms), sense, name, float(rhs))
        self.prob.addConstraint(row)
        if completes is not None:
            self.m.completion.append((completes, row))

    def link(self) -> None:
        m = self.m
        for site in m.sites.values():
            self._availability(site)
            self._monotone(site)
            self._builds(site)
        self._capital_budget()
        self._residual()
        self._objective()

    # --- when a site and module may run -----------------------------------------------------------

    def _availability(self, site: ProcessingSite) -> None:
        """No candidate before its earliest year or lead time, no module before its build time."""
        for period in self.m.inputs:
            for module in site.modules:
                var = self.m.run(period.index, site.id, module.id)
                blocked = False
                if site.status is SiteStatus.CANDIDATE:
                    if site.earliest_year is not None and period.year < site.earliest_year:
                        blocked = True
                    if period.offset < site.lead_time_years:
                        blocked = True
                new_build = capex_of(site, module) > 0 or site.status is SiteStatus.CANDIDATE
                if new_build and period.offset < module.build_time_years:
                    blocked = True
                if blocked:
                    if var.lowBound is not None and var.lowBound > 0:
                        self.m.notes.append(
                            msg("multiyear.cannot_run_yet", site=site.id, module=module.id, year=period.year)
                        )
                    var.upBound = 0.0

    def _monotone(self, site: ProcessingSite) -> None:
        """Open sites stay open with no less capacity; a site that may close closes once, for good."""
        m = self.m
        may_close = site.status is SiteStatus.EXISTING and site.may_close
        if may_close:
            for t in range(self.T):
                block = m.years[t]
                for module in site.modules:
                    block.module_open[(site.id, module.id)].lowBound = 0.0
                row = block.constraints.get(f"module[{site.id}]")
                if row is not None:
                    row.sense = pulp.LpConstraintLE
        for t in range(self.T):
            opens = [(m.run(t, site.id, k.id), 1.0) for k in site.modules]
            caps = [(m.run(t, site.id, k.id), k.capacity_t_per_year) for k in site.modules]
            if t == 0:
                if may_close:
                    var = self.prob.add_variable(f"close_{t}_{len(m.close)}", 0.0, 1.0)
                    m.close[(t, site.id)] = var
                    terms = [*opens, (var, 1.0)]
                    self._row(f"closing[{site.id},{t}]", terms, pulp.LpConstraintGE, 1.0, completes=var)
                continue
            prev_opens = [(m.run(t - 1, site.id, k.id), -1.0) for k in site.modules]
            prev_caps = [(m.run(t - 1, site.id, k.id), -k.capacity_t_per_year) for k in site.modules]
            if may_close:
                # open[t] <= open[t-1]; close[t] >= open[t-1] - open[t]
                self._row(f"stays_closed[{site.id},{t}]", [*opens, *prev_opens], pulp.LpConstraintLE, 0.0)
                var = self.prob.add_variable(f"close_{t}_{len(m.close)}", 0.0, 1.0)
                m.close[(t, site.id)] = var
                terms = [*opens, (var, 1.0), *prev_opens]
                self._row(f"closing[{site.id},{t}]", terms, pulp.LpConstraintGE, 0.0, completes=var)
            else:
                self._row(f"stays_open[{site.id},{t}]", [*opens, *prev_opens], pulp.LpConstraintGE, 0.0)
                self._row(f"keeps_capacity[{site.id},{t}]", [*caps, *prev_caps], pulp.LpConstraintGE, 0.0)

    def _builds(self, site: ProcessingSite) -> None:
        """build[t,j,k] >= run[t,j,k] - run[t-1,j,k] for every module that costs capex.

        Valid rows tighten the LP relaxation (the residual value otherwise pays for fractional builds):
        a module built in a period runs in it, and it is built at most once (capacity never falls, so a
        module replaced by a bigger one never comes back).
        """
        m = self.m
        for module in site.modules:
            capex = capex_of(site, module)
            if capex <= 0:
                continue
            once: list[tuple[pulp.LpVariable, float]] = []
            for t, period in enumerate(m.inputs):
                run = m.run(t, site.id, module.id)
                if run.upBound == 0.0:
                    continue
                var = self.prob.add_variable(f"b_{t}_{len(m.build)}", 0.0, 1.0)
                m.build[(t, site.id, module.id)] = var
                terms = [(var, 1.0), (run, -1.0)]
                if t > 0:
                    terms.append((m.run(t - 1, site.id, module.id), 1.0))
                self._row(f"build[{site.id},{module.id},{t}]", terms, pulp.LpConstraintGE, 0.0)
                runs = [(var, 1.0), (run, -1.0)]
                self._row(f"built_runs[{site.id},{module.id},{t}]", runs, pulp.LpConstraintLE, 0.0)
                once.append((var, 1.0))
                for offset, share in payment_offsets(module, period.offset).items():
                    expr = m.capex_by_offset.setdefault(offset, pulp.LpAffineExpression())
                    expr.addterm(var, capex * share)
            if len(once) > 1 and not (site.status is SiteStatus.EXISTING and site.may_close):
                self._row(f"built_once[{site.id},{module.id}]", once, pulp.LpConstraintLE, 1.0)

    def _capital_budget(self) -> None:
        m = self.m
        for period in m.inputs:
            if period.capital_budget_cny is None:
                continue
            for offset in period.offsets:
                expr = m.capex_by_offset.get(offset)
                if expr is None or not len(expr):
                    continue
                self.prob.addConstraint(
                    pulp.LpConstraint(
                        expr,
                        pulp.LpConstraintLE,
                        f"capital_budget[{self.first_year + offset}]",
                        float(period.capital_budget_cny),
                    )
                )

    def _residual(self) -> None:
        """residual[j,k] <= sum_t book value(t) * build[t,j,k] and <= max book value * run[T-1,j,k]."""
        m = self.m
        treatment = self.params.residual_value
        last = self.T - 1
        by_module: dict[ModuleKey, list[tuple[pulp.LpVariable, float]]] = {}
        for (t, site_id, module_id), var in m.build.items():
            site = m.sites[site_id]
            module = _module(site, module_id)
            value = capex_of(site, module) * residual_share(
                module, m.inputs[t].offset, self.horizon, treatment
            )
            if value > 0:
                by_module.setdefault((site_id, module_id), []).append((var, value))
        for (site_id, module_id), terms in by_module.items():
            var = self.prob.add_variable(f"r_{len(m.residual)}", 0.0)
            m.residual[(site_id, module_id)] = var
            self._row(
                f"residual[{site_id},{module_id}]",
                [(var, 1.0), *[(b, -v) for b, v in terms]],
                pulp.LpConstraintLE,
                0.0,
                completes=var,
            )
            most = max(v for _, v in terms)
            self._row(
                f"residual_running[{site_id},{module_id}]",
                [(var, 1.0), (m.run(last, site_id, module_id), -most)],
                pulp.LpConstraintLE,
                0.0,
                completes=var,
            )

    # --- the objective ----------------------------------------------------------------------------

    def _fixed_terms(self, t: int) -> list[tuple[pulp.LpVariable, float]]:
        m = self.m
        return [
            (m.run(t, site.id, k.id), yearly_fixed_cost(k))
            for site in m.sites.values()
            for k in site.modules
            if yearly_fixed_cost(k) != 0
        ]

    def _depreciation_terms(self, t: int) -> list[tuple[pulp.LpVariable, float]]:
        m = self.m
        out = []
        offset = m.inputs[t].offset
        for (tb, site_id, module_id), var in m.build.items():
            module = _module(m.sites[site_id], module_id)
            if tb <= t and depreciation_applies(module, m.inputs[tb].offset, offset):
                out.append((var, capex_of(m.sites[site_id], module) / module.economic_life_years))
        return out

    def _objective(self) -> None:
        m = self.m
        npv = m.objective is MultiYearObjective.NPV
        rate = self.rate
        p = self.params
        objective = pulp.LpAffineExpression()
        for t, period in enumerate(m.inputs):
            block = m.years[t]
            weight = period_discount(rate, period)
            v = block.arc_cost_vectors()
            var_cost = v["purchase"] + v["transport"] + v["processing"] + v["carbon"]
            fixed = self._fixed_terms(t)
            if not npv:
                _add_arcs(objective, block, var_cost * weight)
                objective.addInPlace(pulp.LpAffineExpression([(z, c * weight) for z, c in fixed]))
                continue
            margin = block.arc_revenue - var_cost
            vat_vec, vat_var = self._vat(t, block)
            refund = 1.0 - p.vat_refund_share
            _add_arcs(objective, block, (margin - refund * vat_vec) * weight)
            objective.addInPlace(pulp.LpAffineExpression([(z, -c * weight) for z, c in fixed]))
            if vat_var is not None:
                objective.addterm(vat_var, -refund * weight)
            if p.income_tax_rate > 0:
                tax = self.prob.add_variable(f"tax_{t}", 0.0)
                m.income_tax[t] = tax
                # tax >= rate * (margin - fixed - net VAT - depreciation)
                base = margin - refund * vat_vec
                nz = np.flatnonzero(base)
                terms = [(tax, 1.0)]
                terms.extend((block.flow[n], -p.income_tax_rate * float(base[n])) for n in nz.tolist())
                terms.extend((z, p.income_tax_rate * c) for z, c in fixed)
                terms.extend((b, p.income_tax_rate * c) for b, c in self._depreciation_terms(t))
                if vat_var is not None:
                    terms.append((vat_var, p.income_tax_rate * refund))
                self._row(f"income_tax[{period.year}]", terms, pulp.LpConstraintGE, 0.0, completes=tax)
                objective.addterm(tax, -weight)
        sign = -1.0 if npv else 1.0
        for offset, expr in m.capex_by_offset.items():
            d = discount(rate, offset)
            objective.addInPlace(pulp.LpAffineExpression([(b, sign * c * d) for b, c in expr.items()]))
        for (t, site_id), var in m.close.items():
            cost = m.sites[site_id].closing_cost_cny
            if cost:
                objective.addterm(var, sign * cost * discount(rate, m.inputs[t].offset))
        end = discount(rate, self.horizon - 1)
        for var in m.residual.values():
            objective.addterm(var, -sign * end)
        self.prob.setObjective(objective)

    def _vat(self, t: int, block: NetworkDesignModel) -> tuple[np.ndarray, pulp.LpVariable | None]:
        """(per-arc VAT payable per tonne, a VAT variable for the general method or None).

        Prices are VAT-inclusive: the simplified method pays rate / (1 + rate) of sales; the general
        method pays rate / (1 + rate) of sales less purchases, never less than 0 in a year.
        """
        p = self.params
        zero = np.zeros(len(block.flow))
        if p.vat_method == VatMethod.SIMPLIFIED:
            share = p.vat_rate_simplified / (1.0 + p.vat_rate_simplified)
            return block.arc_revenue * share, None
        if p.vat_method == VatMethod.GENERAL:
            share = p.vat_rate_general / (1.0 + p.vat_rate_general)
            var = self.prob.add_variable(f"vat_{t}", 0.0)
            self.m.vat[t] = var
            base = (block.arc_revenue - block.arc_purchase) * share
            nz = np.flatnonzero(base)
            terms = [(var, 1.0)] + [(block.flow[n], -float(base[n])) for n in nz.tolist()]
            self._row(f"vat[{self.m.inputs[t].year}]", terms, pulp.LpConstraintGE, 0.0, completes=var)
            return zero, var
        return zero, None


def _add_arcs(expr: pulp.LpAffineExpression, block: NetworkDesignModel, coefficients: np.ndarray) -> None:
    nz = np.flatnonzero(coefficients)
    for n, c in zip(nz.tolist(), coefficients[nz].tolist(), strict=True):
        expr.addterm(block.flow[n], c)


def _module(site: ProcessingSite, module_id: str) -> CapacityModule:
    return next(k for k in site.modules if k.id == module_id)
