"""Tiny networks for sweeps whose break-even prices and stochastic values follow by hand.

One yard P1 sells 100 t of grade A (50 % Cu) at a buy-back coefficient of 0.8, so it costs
0.8 x P x 0.5 = 0.4 P per tonne at copper price P; the smelter M1's price is linked (P, no discount) and
pays for contained copper, 0.5 P per tonne. The only way to M1 is through the candidate sorting center
S1 (transport 10 + 20 km at 1 CNY/t-km, processing 10 CNY/t), so one tonne through S1 earns
0.5 P - 0.4 P - 40 = 0.1 P - 40 CNY.
"""

from __future__ import annotations

import dataclasses

from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    DistanceOverride,
    Grade,
    Network,
    Parameters,
    PriceBasis,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    YieldEntry,
)

#: Tonnes P1 sells.
SUPPLY_T = 100.0


def margin_per_t(copper_price: float) -> float:
    """What one tonne through S1 earns at ``copper_price``: 0.1 P - 40."""
    return 0.1 * copper_price - 40.0


def one_site(
    modules: tuple[CapacityModule, ...] = (CapacityModule("M200", 200.0, 496_000.0),),
    copper_price: float = 75_000.0,
    name: str = "sweep tiny",
) -> Network:
    """The network of the module docstring. With the default module (fixed cost 496,000) S1 opens iff
    100 x (0.1 P - 40) >= 496,000, i.e. P >= 50,000 CNY/t Cu: its break-even copper price."""
    grades = (Grade("A", "grade A", "A级", 0.5),)
    points = (
        CollectionPoint(
            "P1", "yard 1", 30.0, 120.0, "Zhejiang", (Supply("A", SUPPLY_T),), buyback_coefficient=0.8
        ),
    )
    sites = (
        ProcessingSite(
            "S1",
            name,
            SiteKind.SORTING,
            30.1,
            120.0,
            "Zhejiang",
            SiteStatus.CANDIDATE,
            modules,
            10.0,
            0.0,
            (YieldEntry("A", "A", 1.0),),
        ),
    )
    smelters = (
        Smelter("M1", "smelter", 31.0, 120.0, "Anhui", 10_000.0, ("A",), 0.0, price_basis=PriceBasis.LINKED),
    )
    distances = (DistanceOverride("P1", "S1", 10.0), DistanceOverride("S1", "M1", 20.0))
    parameters = Parameters(
        copper_price_cny_per_t=copper_price,
        transport_cost_cny_per_t_km=1.0,
        co2_kg_per_t_km=0.0,
        max_haul_km_collection=50.0,
    )
    return Network(name, grades, points, sites, smelters, (), parameters, distances)


def two_sizes() -> Network:
    """S1 with a small (100 t, fixed 300,000) and a large module (200 t, fixed 400,000), for the
    two-stage design over supply x 0.5 and x 1.5 (50 t or 150 t) at 75,000 CNY/t Cu, margin m = 7,460:

    * mean scenario (100 t): small 100 m - 300,000 = 446,000 beats large 346,000, so the mean-value
      design builds small; its expected profit EEV = 0.5 (50 m) + 0.5 (100 m) - 300,000 = 259,500;
    * two-stage: large gives 100 m - 400,000 = 346,000 (RP), small 259,500, none 0: VSS = 86,500;
    * wait and see: 50 t -> small, 50 m - 300,000 = 73,000; 150 t -> large, 150 m - 400,000 = 719,000;
      WS = 396,000, EVPI = WS - RP = 50,000.
    """
    return one_site(
        modules=(CapacityModule("SMALL", 100.0, 300_000.0), CapacityModule("LARGE", 200.0, 400_000.0)),
        name="two sizes",
    )


def over_years(network: Network, *supply_factors: float, **periods: object) -> Network:
    """``network`` planned over 2025, 2026, ... (one period per supply factor), with the discount rate 0
    and taxes, VAT and residual value off, so NPV is the plain sum of the years' profits less capex."""
    from optimizer.model import Period

    parameters = dataclasses.replace(
        network.parameters, discount_rate=0.0, vat_method="none", income_tax_rate=0.0, residual_value="none"
    )
    rows = tuple(Period(2025 + i, 1, f, **periods) for i, f in enumerate(supply_factors))  # type: ignore[arg-type]
    return network.replace(parameters=parameters, periods=rows)


def two_years() -> Network:
    """:func:`one_site` over 2025 (100 t) and 2026 (125 t), the module without capex (its fixed cost
    496,000 in each year it runs). A year runs S1 iff its tonnes x (0.1 P - 40) >= 496,000: 2025 from
    P = 50,000, 2026 from 0.1 P - 40 = 496,000 / 125 = 3,968, i.e. P = 40,080; so over the two years S1
    opens (in some year) from 40,080 CNY/t Cu, its break-even price; at 60,000 the NPV is
    (100 + 125) x 5,960 - 2 x 496,000 = 349,000 and the last year's profit 125 x 5,960 - 496,000 =
    249,000."""
    return over_years(one_site(), 1.0, 1.25)


def two_years_capex() -> Network:
    """:func:`one_site` over 2025 and 2026 at 100 t each, the module built for capex 600,000 (paid in
    2025, no residual value) and a fixed opex of 200,000 a year. Built for both years it earns
    2 x (100 (0.1 P - 40) - 200,000) - 600,000, >= 0 iff P >= 50,400 (built for one year only it
    would need P >= 80,400), so that is S1's break-even copper price over the plan; at 60,000 the NPV is
    2 x 396,000 - 600,000 = 192,000."""
    module = CapacityModule("M200", 200.0, 0.0, 600_000.0, 0, 200_000.0, 20.0)
    return over_years(one_site(modules=(module,)), 1.0, 1.0)
