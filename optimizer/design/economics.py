"""Cash flow, NPV, IRR, payback, jobs and CO2 of a plan, year by year.

The figures are recomputed from the plan itself (each year's KPIs, the modules running, the builds and
closings) with the same rules the multi-year MILP optimises (:mod:`optimizer.design.investment` for
capex, fixed cost, residual value and depreciation; VAT and income tax as in
:mod:`optimizer.design.multiyear`), so the NPV reported equals the model's objective when it maximised
NPV. NPV and IRR come from ``numpy_financial`` (cash flow of the first year undiscounted).

Tax rules, all switchable in the Parameters: prices are VAT-inclusive; the simplified method pays
``rate / (1 + rate)`` of sales, the general method ``rate / (1 + rate)`` of (sales - purchases), at least
0 a year; ``vat_refund_share`` of it is refunded; income tax is ``income_tax_rate`` x the year's positive
taxable profit (margin - fixed cost - net VAT - straight-line depreciation of capex).

Per site (:func:`allocate_to_sites`): a site's cash flow is its own outflow (processing, fixed cost,
capex, closing cost, plus residual value) and the share of the network's items the copper it takes in
earns. Revenue at a smelter goes to the sites whose output it is, by copper share (each smelter's revenue
per t Cu times the t Cu each site delivers to it); a sorting center passes the revenue of what it
delivers back to the dismantling sites that fed it, by their share of its input copper, so revenue
follows the copper to the site that bought the scrap. Purchases and collection transport go to the site
that receives the scrap; transfer and delivery transport to the site that ships it; carbon cost by the
site's share of CO2 (its processing plus the transport charged to it); VAT and income tax by its share
of revenue. A yard's direct deliveries to a smelter belong to no site: they are the network's cash flow
less the sites' sum.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import numpy_financial as npf

from optimizer.design.investment import (
    capex_of,
    depreciation_applies,
    payment_offsets,
    residual_share,
)
from optimizer.design.periods import PeriodInputs, discount, horizon_years
from optimizer.design.plan import Build, Echelon, PeriodEconomics, Plan, SiteEconomics
from optimizer.model import CapacityModule, Network, Parameters, ProcessingSite, VatMethod


@dataclasses.dataclass(frozen=True, slots=True)
class Closing:
    """An existing site that closes in ``year`` (its first year without running)."""

    site_id: str
    year: int
    cost_cny: float


def vat_payable(params: Parameters, revenue_cny: float, purchase_cny: float) -> float:
    """VAT a year pays before the refund, on VAT-inclusive sales and purchases."""
    if params.vat_method == VatMethod.SIMPLIFIED:
        return revenue_cny * params.vat_rate_simplified / (1.0 + params.vat_rate_simplified)
    if params.vat_method == VatMethod.GENERAL:
        share = params.vat_rate_general / (1.0 + params.vat_rate_general)
        return max(0.0, (revenue_cny - purchase_cny) * share)
    return 0.0


def npv(rate: float, cash_flows: Sequence[float]) -> float:
    """Net present value of yearly ``cash_flows``, the first undiscounted."""
    return float(npf.npv(rate, np.asarray(cash_flows, dtype=float))) if len(cash_flows) else 0.0


def irr(cash_flows: Sequence[float]) -> float | None:
    """Internal rate of return, or None when there is none (no sign change, or no root)."""
    flows = np.asarray(cash_flows, dtype=float)
    if flows.size < 2 or not (flows < 0).any() or not (flows > 0).any():
        return None
    value = float(npf.irr(flows))
    return value if math.isfinite(value) else None


def payback_years(cash_flows: Sequence[float]) -> float | None:
    """Years until the cumulative cash flow turns non-negative, interpolated linearly between the yearly
    flows, which sit at t = 0, 1, 2, ... as in NPV (-100, 60, 60 pays back in 1 + 40/60 years). 0 when it
    is never negative; None when it is still negative at the end."""
    flows = list(cash_flows)
    if all(c >= 0 for c in np.cumsum(flows)):
        return 0.0
    cumulative = flows[0]
    for i, cf in enumerate(flows[1:], start=1):
        before = cumulative
        cumulative += cf
        if cumulative >= 0 > before:
            return (i - 1) + (-before / cf)
    return None if cumulative < 0 else float(len(flows) - 1)


def discounted_payback_years(rate: float, cash_flows: Sequence[float]) -> float | None:
    """:func:`payback_years` of the discounted cash flows."""
    return payback_years([cf * discount(rate, i) for i, cf in enumerate(cash_flows)])


def _module(site: ProcessingSite, module_id: str) -> CapacityModule:
    return next(k for k in site.modules if k.id == module_id)


def _purchase_prices(network: Network, copper_price: float) -> dict[tuple[str, str], float]:
    """CNY/t a yard is paid for a grade in a year of ``copper_price``, as the model prices it: the supply
    row's own price, else the buy-back coefficient x copper price x copper content (a tonne-weighted mean
    over rows of one grade)."""
    cu = {g.id: g.copper_content for g in network.grades}
    tonnes: dict[tuple[str, str], float] = {}
    spend: dict[tuple[str, str], float] = {}
    for cp in network.collection_points:
        for row in cp.supplies:
            if row.supply_t_per_year <= 0:
                continue
            if row.purchase_price_cny_per_t is not None:
                price = row.purchase_price_cny_per_t
            elif cp.buyback_coefficient is not None:
                price = cp.buyback_coefficient * copper_price * cu.get(row.grade_id, 0.0)
            else:
                price = 0.0
            key = (cp.id, row.grade_id)
            tonnes[key] = tonnes.get(key, 0.0) + row.supply_t_per_year
            spend[key] = spend.get(key, 0.0) + row.supply_t_per_year * price
    return {key: spend[key] / t for key, t in tonnes.items()}


def _add(into: dict[str, float], key: str, amount: float) -> None:
    into[key] = into.get(key, 0.0) + amount


def allocate_to_sites(
    network: Network, plan: Plan, copper_price: float, taxes_cny: float
) -> dict[str, float]:
    """Each site's share of one year's network items: revenue - purchases - transport - carbon - VAT and
    income tax (``taxes_cny``), by the rule in the module docstring. A site's own outflow (processing,
    fixed cost, capex, closing, residual value) is not in it. What no site gets (a yard's direct
    deliveries) is left out, so the shares sum to the network's figure less the direct deliveries'."""
    k = plan.kpis
    if k is None:
        return {}
    site_ids = {s.site_id for s in plan.sites}
    per_t_cu = {m.smelter_id: m.revenue_cny / m.intake_t_cu for m in plan.smelters if m.intake_t_cu > 0}
    revenue: dict[str, float] = {}
    inflow_cu: dict[str, float] = {}
    for f in plan.flows:
        if f.echelon is Echelon.DELIVERY and f.from_id in site_ids:
            _add(revenue, f.from_id, f.t_cu * per_t_cu.get(f.to_id, 0.0))
        if f.to_id in site_ids:
            _add(inflow_cu, f.to_id, f.t_cu)
    # a sorting center's revenue follows its input copper back to the dismantling sites that fed it
    delivered = dict(revenue)
    for f in plan.flows:
        if f.echelon is Echelon.TRANSFER and inflow_cu.get(f.to_id, 0.0) > 0:
            moved = delivered.get(f.to_id, 0.0) * f.t_cu / inflow_cu[f.to_id]
            _add(revenue, f.from_id, moved)
            _add(revenue, f.to_id, -moved)
    prices = _purchase_prices(network, copper_price)
    purchase: dict[str, float] = {}
    transport: dict[str, float] = {}
    co2: dict[str, float] = {s.site_id: s.co2_t for s in plan.sites}
    raw_purchase = 0.0
    for f in plan.flows:
        if f.echelon is Echelon.COLLECTION:
            bought = f.t * prices.get((f.from_id, f.grade_id), 0.0)
            raw_purchase += bought
            payer = f.to_id
            if payer in site_ids:
                _add(purchase, payer, bought)
        else:
            payer = f.from_id
        if payer in site_ids:
            _add(transport, payer, f.cost_cny)
            _add(co2, payer, f.co2_t)
    # the model's purchase total is the truth; the per-flow prices only divide it
    scale = k.purchase_cost_cny / raw_purchase if raw_purchase > 0 else 0.0
    out: dict[str, float] = {}
    for sid in sorted(site_ids):
        share = revenue.get(sid, 0.0) / k.revenue_cny if k.revenue_cny > 0 else 0.0
        carbon = k.carbon_cost_cny * co2.get(sid, 0.0) / k.co2_t if k.co2_t > 0 else 0.0
        out[sid] = (
            revenue.get(sid, 0.0)
            - purchase.get(sid, 0.0) * scale
            - transport.get(sid, 0.0)
            - carbon
            - taxes_cny * share
        )
    return out


def _invests_first(flows: Sequence[float]) -> bool:
    """Whether the first year with a cash flow pays out: only then is an IRR a return on an investment.
    An existing site that earns first and loses later (a sorting center whose revenue the rule passes
    back to its dismantling sites) has a root of its NPV polynomial too, e.g. -72 %, which would read as
    a return it does not have."""
    first = next((cf for cf in flows if abs(cf) > 1e-9), 0.0)
    return first < 0


def site_economics(plan: Plan, rate: float, multi_year: bool) -> tuple[SiteEconomics, ...]:
    """One :class:`SiteEconomics` per site that runs or builds in ``plan``, from its allocated cash flow
    per year (``periods[i].site_allocated_cash_flow_cny``); NPV, IRR and paybacks only when
    ``multi_year``."""
    periods = plan.periods
    ids = list(dict.fromkeys(sid for p in periods for sid in p.site_allocated_cash_flow_cny))
    ids += [b.site_id for b in plan.builds if b.site_id not in ids]
    out = []
    for sid in ids:
        flows = tuple(p.site_allocated_cash_flow_cny.get(sid, 0.0) for p in periods)
        builds = [b for b in plan.builds if b.site_id == sid]
        out.append(
            SiteEconomics(
                site_id=sid,
                build_year=min((b.year for b in builds), default=None),
                capex_cny=sum(b.capex_cny for b in builds),
                npv_cny=npv(rate, flows) if multi_year and flows else None,
                irr=irr(flows) if multi_year and _invests_first(flows) else None,
                payback_years=payback_years(flows) if multi_year and flows else None,
                discounted_payback_years=discounted_payback_years(rate, flows)
                if multi_year and flows
                else None,
                cash_flow_cny=flows,
            )
        )
    return tuple(out)


def period_economics(
    network: Network,
    inputs: Sequence[PeriodInputs],
    year_plans: Sequence[Plan],
    builds: Sequence[Build],
    closings: Sequence[Closing] = (),
) -> tuple[PeriodEconomics, ...]:
    """One :class:`PeriodEconomics` per calendar year of the horizon (a period of several years repeats
    its flows in each of them). Each running site's fixed cost is the one its year's plan
    charged: fixed opex for a module with capex in a multi-year plan, the annualised fixed cost otherwise."""
    params = network.parameters
    rate = params.discount_rate
    sites = {s.id: s for s in network.sites}
    horizon = horizon_years(tuple(inputs))
    first_year = inputs[0].year if inputs else 0
    build_offset: dict[tuple[str, str], int] = {}
    capex_at: dict[int, float] = {}
    site_capex_at: dict[tuple[str, int], float] = {}
    for b in builds:
        site = sites[b.site_id]
        module = _module(site, b.module_id)
        offset = b.year - first_year
        build_offset[(b.site_id, b.module_id)] = offset
        for pay, share in payment_offsets(module, offset).items():
            capex_at[pay] = capex_at.get(pay, 0.0) + b.capex_cny * share
            key = (b.site_id, pay)
            site_capex_at[key] = site_capex_at.get(key, 0.0) + b.capex_cny * share
    out: list[PeriodEconomics] = []
    cumulative = 0.0
    last_plan = year_plans[-1] if year_plans else None
    for period, plan in zip(inputs, year_plans, strict=True):
        k = plan.kpis
        if k is None:
            continue
        running = {s.site_id: s.module_id for s in plan.sites}
        fixed_by_site = {s.site_id: s.fixed_cost_cny for s in plan.sites}
        fixed = sum(fixed_by_site.values())
        jobs = sum(_module(sites[sid], mid).jobs for sid, mid in running.items() if sid in sites)
        margin = k.revenue_cny - k.purchase_cost_cny - k.transport_cost_cny - k.processing_cost_cny
        margin -= k.carbon_cost_cny
        vat = vat_payable(params, k.revenue_cny, k.purchase_cost_cny) * (1.0 - params.vat_refund_share)
        depreciation = 0.0
        for (sid, mid), boff in build_offset.items():
            module = _module(sites[sid], mid)
            if depreciation_applies(module, boff, period.offset):
                depreciation += capex_of(sites[sid], module) / module.economic_life_years
        tax = params.income_tax_rate * max(0.0, margin - fixed - vat - depreciation)
        shares = allocate_to_sites(network, plan, period.copper_price_cny_per_t, vat + tax)
        for s, offset in enumerate(period.offsets):
            capex = capex_at.get(offset, 0.0)
            closing = sum(c.cost_cny for c in closings if c.year == period.year and s == 0)
            residual = 0.0
            site_flow = {sid: -(fixed_by_site.get(sid, 0.0)) for sid in running}
            for opened in plan.sites:
                site_flow[opened.site_id] = site_flow.get(opened.site_id, 0.0) - opened.processing_cost_cny
            for (sid, pay), amount in site_capex_at.items():
                if pay == offset:
                    site_flow[sid] = site_flow.get(sid, 0.0) - amount
            for c in closings:
                if c.year == period.year and s == 0:
                    site_flow[c.site_id] = site_flow.get(c.site_id, 0.0) - c.cost_cny
            if plan is last_plan and offset == horizon - 1:
                for sid, mid in running.items():
                    built_at = build_offset.get((sid, mid))
                    if built_at is None:
                        continue
                    module = _module(sites[sid], mid)
                    value = capex_of(sites[sid], module) * residual_share(
                        module, built_at, horizon, params.residual_value
                    )
                    residual += value
                    site_flow[sid] = site_flow.get(sid, 0.0) + value
            cash = margin - fixed - vat - tax - capex - closing + residual
            cumulative += cash
            avoided = k.copper_delivered_t_cu * params.avoided_co2_t_per_t_cu
            out.append(
                PeriodEconomics(
                    year=period.year + s,
                    utilization=k.utilization,
                    target_utilization=period.target_utilization,
                    copper_delivered_t_cu=k.copper_delivered_t_cu,
                    revenue_cny=k.revenue_cny,
                    purchase_cny=k.purchase_cost_cny,
                    transport_cny=k.transport_cost_cny,
                    processing_cny=k.processing_cost_cny,
                    fixed_cny=fixed,
                    carbon_cny=k.carbon_cost_cny,
                    vat_cny=vat,
                    income_tax_cny=tax,
                    capex_cny=capex,
                    closing_cny=closing,
                    residual_cny=residual,
                    cash_flow_cny=cash,
                    discounted_cash_flow_cny=cash * discount(rate, offset),
                    cumulative_cash_flow_cny=cumulative,
                    co2_emitted_t=k.co2_t,
                    co2_avoided_t=avoided,
                    co2_net_t=k.co2_t - avoided,
                    jobs=jobs,
                    sites_running=len(running),
                    site_cash_flow_cny=site_flow,
                    site_allocated_cash_flow_cny={
                        sid: site_flow.get(sid, 0.0) + shares.get(sid, 0.0)
                        for sid in dict.fromkeys([*site_flow, *shares])
                    },
                )
            )
    return tuple(out)


def with_investment_figures(plan: Plan, periods: tuple[PeriodEconomics, ...], rate: float) -> Plan:
    """``plan`` with its yearly economics, NPV, IRR and paybacks filled in."""
    flows = [p.cash_flow_cny for p in periods]
    out = dataclasses.replace(
        plan,
        periods=periods,
        npv_cny=npv(rate, flows) if flows else None,
        irr=irr(flows),
        payback_years=payback_years(flows) if flows else None,
        discounted_payback_years=discounted_payback_years(rate, flows) if flows else None,
        discount_rate=rate,
    )
    return dataclasses.replace(out, site_economics=site_economics(out, rate, multi_year=True))


def implied_builds(network: Network, plan: Plan) -> tuple[Build, ...]:
    """The modules a single-year plan runs that are not already built: every module of a new site and
    the expansion module of an existing one, with the capex each implies (0 when none is given)."""
    sites = {s.id: s for s in network.sites}
    out = []
    for opened in plan.sites:
        site = sites.get(opened.site_id)
        if site is None:
            continue
        module = _module(site, opened.module_id)
        if site.modules and site.modules[0].id == module.id and not opened.is_new:
            continue
        out.append(
            Build(
                site.id,
                module.id,
                network.parameters.planning_year,
                capex_of(site, module),
                module.capacity_t_per_year,
                module.jobs,
            )
        )
    return tuple(out)


def with_economics(network: Network, plan: Plan) -> Plan:
    """A single-year plan with its economics: ``builds`` (the investment its modules imply) and one
    ``periods`` entry (CO2 emitted, avoided and net; jobs; the year's cash flow before capex). NPV, IRR
    and payback stay ``None``: one year says nothing about them."""
    if plan.kpis is None or plan.year_plans:
        return plan
    builds = implied_builds(network, plan)
    single = PeriodInputs(
        index=0,
        year=network.parameters.planning_year,
        length_years=1,
        offset=0,
        supply_factor=1.0,
        copper_price_cny_per_t=network.parameters.copper_price_cny_per_t,
        carbon_price_cny_per_t_co2=network.parameters.carbon_price_cny_per_t_co2,
        target_utilization=plan.options.target_utilization
        if plan.options.target_utilization is not None
        else network.parameters.target_utilization,
        capital_budget_cny=None,
    )
    # the year's operating cash flow: capex is reported in ``builds``, not charged against one year
    periods = period_economics(network, (single,), (plan,), ())
    capex = sum(b.capex_cny for b in builds)
    periods = tuple(dataclasses.replace(p, capex_cny=capex) for p in periods)
    out = dataclasses.replace(plan, builds=builds, periods=periods)
    rate = network.parameters.discount_rate
    return dataclasses.replace(out, site_economics=site_economics(out, rate, multi_year=False))
