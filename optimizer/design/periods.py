"""The years of a multi-year plan, resolved: what each period's network looks like and how it is discounted.

A :class:`~optimizer.model.Period` row leaves its price, target and carbon price blank to mean "the
Parameters value"; :func:`period_inputs` resolves every blank once, so the model builder, the economics
and the reports all read the same numbers. :func:`year_network` is the single-year network of one period
(supply scaled, prices of the year), which the multi-year builder turns into one block of its MILP with
the single-year builder itself, so flows, blends, haul limits and targets hold per year exactly as they
do today.

Cash flows are yearly and discounted to the first period's year: year offset 0 is undiscounted, offset
``o`` is multiplied by ``(1 + r) ** -o`` (the convention of ``numpy_financial.npv``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from optimizer.model import Network, Period, Supply, supply_growth_factor


@dataclass(frozen=True, slots=True)
class PeriodInputs:
    """One period with every blank resolved. ``offset`` is its first year minus the first period's year."""

    index: int
    year: int
    length_years: int
    offset: int
    supply_factor: float
    copper_price_cny_per_t: float
    carbon_price_cny_per_t_co2: float
    target_utilization: float | None
    capital_budget_cny: float | None

    @property
    def years(self) -> tuple[int, ...]:
        """The calendar years the period covers."""
        return tuple(self.year + s for s in range(self.length_years))

    @property
    def offsets(self) -> tuple[int, ...]:
        """The year offsets (from the first period's year) the period covers."""
        return tuple(self.offset + s for s in range(self.length_years))


def period_inputs(network: Network, periods: tuple[Period, ...] | None = None) -> tuple[PeriodInputs, ...]:
    """The network's periods (or ``periods``) resolved against its Parameters, in order.

    Offsets follow the rows' lengths, so a plan stays consistent even if validation (which reports gaps
    between periods) was skipped.
    """
    rows = network.periods if periods is None else periods
    p = network.parameters
    out: list[PeriodInputs] = []
    offset = 0
    for i, row in enumerate(rows):
        out.append(
            PeriodInputs(
                index=i,
                year=row.year,
                length_years=max(1, int(row.length_years)),
                offset=offset,
                supply_factor=row.supply_factor,
                copper_price_cny_per_t=(
                    row.copper_price_cny_per_t
                    if row.copper_price_cny_per_t is not None
                    else p.copper_price_cny_per_t
                ),
                carbon_price_cny_per_t_co2=(
                    row.carbon_price_cny_per_t_co2
                    if row.carbon_price_cny_per_t_co2 is not None
                    else p.carbon_price_cny_per_t_co2
                ),
                target_utilization=(
                    row.target_utilization if row.target_utilization is not None else p.target_utilization
                ),
                capital_budget_cny=row.capital_budget_cny,
            )
        )
        offset += max(1, int(row.length_years))
    return tuple(out)


def horizon_years(inputs: tuple[PeriodInputs, ...]) -> int:
    """Years from the first period's start to the last period's end."""
    return inputs[-1].offset + inputs[-1].length_years if inputs else 0


def year_network(network: Network, period: PeriodInputs, *, operating_fixed: bool = True) -> Network:
    """The single-year network of ``period``: every supply scaled by its factor (times the most specific
    Growth row of the year for its grade and province), its copper price, carbon
    price and target in the Parameters, modules with capex at their fixed opex, and no periods (so it
    solves as a one-year plan). ``operating_fixed=False`` keeps every module's annualised fixed cost: the
    year planned on its own, as the single-year model does."""
    factor = period.supply_factor
    points = network.collection_points
    growth = tuple(g for g in network.growth if g.year == period.year)  # the Growth sheet's rows
    if factor != 1.0 or growth:
        points = tuple(
            dataclasses.replace(
                cp,
                supplies=tuple(
                    Supply(
                        s.grade_id,
                        s.supply_t_per_year
                        * factor
                        * supply_growth_factor(growth, period.year, s.grade_id, cp.province),
                        s.purchase_price_cny_per_t,
                    )
                    for s in cp.supplies
                ),
            )
            for cp in points
        )
    # a module with capex costs its fixed opex each year it runs (its capex is paid when it is built),
    # so each year's KPIs show the year's operating cost, not the annualised capital charge
    sites = tuple(
        dataclasses.replace(
            site,
            modules=tuple(
                dataclasses.replace(m, fixed_cost_cny_per_year=m.fixed_opex_cny_per_year)
                if m.capex_cny is not None and operating_fixed
                else m
                for m in site.modules
            ),
        )
        for site in network.sites
    )
    params = dataclasses.replace(
        network.parameters,
        copper_price_cny_per_t=period.copper_price_cny_per_t,
        carbon_price_cny_per_t_co2=period.carbon_price_cny_per_t_co2,
        target_utilization=period.target_utilization,
        planning_year=period.year,
    )
    return network.replace(collection_points=points, sites=sites, parameters=params, periods=(), growth=())


def single_period(network: Network, year: int) -> Network | None:
    """The one-year network of the period that contains ``year`` (None if no period does)."""
    for period in period_inputs(network):
        if year in period.years:
            return year_network(network, period, operating_fixed=False)
    return None


def discount(rate: float, offset: float) -> float:
    """Present value of 1 CNY paid ``offset`` years after the first period's year."""
    return float((1.0 + rate) ** -offset)


def period_discount(rate: float, period: PeriodInputs) -> float:
    """Present value of 1 CNY paid in every year of ``period``."""
    return sum(discount(rate, o) for o in period.offsets)


def capital_recovery_factor(rate: float, life_years: float) -> float:
    """The annuity that repays 1 CNY of capex over ``life_years`` at ``rate``: r / (1 - (1 + r)^-n).

    ``fixed_cost_cny_per_year`` of a module is about capex x this factor + fixed opex (docs/model.md).
    """
    if life_years <= 0:
        return 1.0
    if rate == 0:
        return 1.0 / life_years
    return float(rate / (1.0 - (1.0 + rate) ** -life_years))
