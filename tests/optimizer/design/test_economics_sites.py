"""Per-site economics: each site's allocated cash flow, NPV, IRR and paybacks, derived by hand on tiny
networks (one site: the site is the network; a yard that ships straight to the smelter belongs to no
site; a dismantling site feeding a sorting center gets the revenue of the copper it sent)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from optimizer.design.economics import irr, site_economics, with_economics
from optimizer.design.multiyear_solve import solve_multiyear
from optimizer.design.options import SolveOptions
from optimizer.design.plan import Plan, PlanStatus
from optimizer.design.solve import solve
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    DistanceOverride,
    Network,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Supply,
    YieldEntry,
)
from tests.optimizer.design.test_multiyear import one_center


def _built_in_2025() -> Network:
    """One center, capex 60,000, opex 10,000, three equal years at 10 %: the margin is 36,000 a year
    (revenue 50,000 - purchase 10,000 - transport 1,000 + 2,000 - processing 1,000), so the cash flow is
    -34,000, 26,000, 26,000 (building in 2026 instead: -30,909 + 21,488 < 0)."""
    return one_center(capex=60_000.0, opex=10_000.0, factors=(1.0, 1.0, 1.0), discount_rate=0.10)


def test_one_site_gets_the_network_cash_flow_and_its_npv_irr_and_paybacks_exactly() -> None:
    """NPV = -34,000 + 26,000/1.1 + 26,000/1.21 = 11,123.97; IRR: 26,000 x^2 + 26,000 x - 34,000 = 0 with
    x = 1/(1 + r); payback 1 + 8,000/26,000; discounted 1 + 10,363.64/21,487.60."""
    plan = solve_multiyear(_built_in_2025())
    assert plan.status is PlanStatus.OPTIMAL
    (site,) = plan.site_economics
    assert (site.site_id, site.build_year, site.capex_cny) == ("S1", 2025, 60_000.0)
    assert site.cash_flow_cny == pytest.approx((-34_000.0, 26_000.0, 26_000.0))
    assert site.npv_cny == pytest.approx(-34_000.0 + 26_000.0 / 1.1 + 26_000.0 / 1.21)
    x = (-26_000.0 + math.sqrt(26_000.0**2 + 4 * 26_000.0 * 34_000.0)) / (2 * 26_000.0)
    assert site.irr == pytest.approx(1 / x - 1, rel=1e-9)
    assert site.payback_years == pytest.approx(1 + 8_000.0 / 26_000.0)
    cumulative = -34_000.0 + 26_000.0 / 1.1
    assert site.discounted_payback_years == pytest.approx(1 - cumulative / (26_000.0 / 1.21))
    # one site and no direct deliveries: the site is the network
    assert site.npv_cny == pytest.approx(plan.npv_cny)
    assert site.irr == pytest.approx(plan.irr)


def test_a_yard_shipping_straight_to_the_smelter_belongs_to_no_site() -> None:
    """P2's 40 t (20 t Cu) go 5 km straight to M1: 20,000 revenue - 4,000 purchase - 200 transport =
    15,800 a year that is the network's, not S1's; S1's figures are those of the one-site case."""
    base = _built_in_2025()
    yard = CollectionPoint("P2", "yard 2", 31.0, 120.1, "Anhui", (Supply("A", 40.0, 100.0),))
    network = dataclasses.replace(
        base,
        collection_points=(*base.collection_points, yard),
        distances=(*base.distances, DistanceOverride("P2", "M1", 5.0), DistanceOverride("P2", "S1", 500.0)),
    )
    plan = solve_multiyear(network)
    assert plan.status is PlanStatus.OPTIMAL
    (site,) = plan.site_economics
    assert site.cash_flow_cny == pytest.approx((-34_000.0, 26_000.0, 26_000.0))
    for year, flow in zip(plan.periods, site.cash_flow_cny, strict=True):
        assert year.cash_flow_cny - flow == pytest.approx(15_800.0)


def _chain() -> Network:
    """P1 (100 t) -> D1 (dismantling) -> S1 (sorting) -> M1, and P2 (100 t) -> S1; grade A is 50 % Cu at
    1,000 CNY/t Cu, bought at 100 CNY/t, 1 CNY/t-km; D1 is 200 km from M1, so it ships through S1."""
    base = one_center(factors=(1.0,), status=SiteStatus.EXISTING)
    (center,) = base.sites
    center = dataclasses.replace(center, modules=(CapacityModule("M", 1_000.0, 5_000.0),))
    dismantler = ProcessingSite(
        "D1",
        "dismantler",
        SiteKind.DISMANTLING,
        30.2,
        120.0,
        "Zhejiang",
        SiteStatus.EXISTING,
        (CapacityModule("D", 1_000.0, 3_000.0),),
        0.0,
        0.0,
        (YieldEntry("A", "A", 1.0),),
    )
    yard = CollectionPoint("P2", "yard 2", 30.3, 120.0, "Zhejiang", (Supply("A", 100.0, 100.0),))
    distances = (
        DistanceOverride("P1", "D1", 10.0),
        DistanceOverride("P1", "S1", 500.0),
        DistanceOverride("P1", "M1", 500.0),
        DistanceOverride("D1", "S1", 10.0),
        DistanceOverride("D1", "M1", 200.0),
        DistanceOverride("P2", "S1", 10.0),
        DistanceOverride("P2", "D1", 500.0),
        DistanceOverride("P2", "M1", 500.0),
        DistanceOverride("S1", "M1", 20.0),
    )
    return dataclasses.replace(
        base,
        collection_points=(*base.collection_points, yard),
        sites=(center, dismantler),
        distances=distances,
        periods=(),
    )


def test_revenue_follows_the_copper_back_to_the_dismantling_site_that_bought_it() -> None:
    """S1 delivers 100 t Cu (100,000 CNY); half its input copper came from D1, so D1 earns 50,000:
    D1 = 50,000 - 10,000 purchase - 1,000 collection - 1,000 transfer - 3,000 fixed = 35,000;
    S1 = 50,000 - 10,000 purchase - 1,000 collection - 4,000 delivery - 2,000 processing - 5,000 fixed
    = 28,000; together the year's 63,000."""
    network = _chain()
    plan = with_economics(network, solve(network, SolveOptions()))
    assert plan.status is PlanStatus.OPTIMAL
    (year,) = plan.periods
    assert year.site_allocated_cash_flow_cny == pytest.approx({"D1": 35_000.0, "S1": 28_000.0})
    assert year.cash_flow_cny == pytest.approx(63_000.0)
    by_site = {s.site_id: s for s in plan.site_economics}
    assert by_site["D1"].cash_flow_cny == pytest.approx((35_000.0,))
    # one year says nothing about NPV, IRR or payback; existing sites build nothing
    assert by_site["D1"].npv_cny is None and by_site["D1"].irr is None
    assert by_site["S1"].build_year is None and by_site["S1"].capex_cny == 0.0


def test_taxes_are_shared_by_revenue_and_the_sites_sum_to_the_network() -> None:
    """With simplified VAT and income tax on, D1 and S1 each earn half the revenue, so each carries
    half the taxes, and the two sum to the year's cash flow (no direct deliveries)."""
    network = _chain()
    network = network.replace(
        parameters=dataclasses.replace(network.parameters, vat_method="simplified", income_tax_rate=0.25)
    )
    plan = with_economics(network, solve(network, SolveOptions()))
    (year,) = plan.periods
    taxes = year.vat_cny + year.income_tax_cny
    assert taxes > 0
    shares = year.site_allocated_cash_flow_cny
    assert shares["D1"] == pytest.approx(35_000.0 - taxes / 2)
    assert shares["S1"] == pytest.approx(28_000.0 - taxes / 2)
    assert sum(shares.values()) == pytest.approx(year.cash_flow_cny)


def test_plan_json_carries_the_site_economics() -> None:
    plan = solve_multiyear(_built_in_2025())
    data = plan.to_dict()
    (row,) = data["site_economics"]
    assert set(row) >= {"site_id", "npv_cny", "irr", "payback_years", "discounted_payback_years", "capex_cny"}
    assert row["site_id"] == "S1" and row["build_year"] == 2025
    again = Plan.from_json(plan.to_json())
    assert again.site_economics == plan.site_economics


def test_a_site_that_earns_first_and_loses_later_has_no_irr() -> None:
    """Cash flows 10,000, -5,000, -8,000 have a root of their NPV polynomial, but no investment returns
    it: no IRR; the same flows starting with an outflow (-10,000, 6,000, 6,000) have their IRR."""
    plan = solve_multiyear(_built_in_2025())

    def with_flows(flows: tuple[float, ...]) -> Plan:
        periods = tuple(
            dataclasses.replace(p, site_allocated_cash_flow_cny={"S1": cf})
            for p, cf in zip(plan.periods, flows, strict=True)
        )
        return dataclasses.replace(plan, periods=periods)

    (earns_first,) = site_economics(with_flows((10_000.0, -5_000.0, -8_000.0)), 0.1, multi_year=True)
    assert earns_first.irr is None and earns_first.payback_years is None  # cumulative ends at -3,000
    (invests_first,) = site_economics(with_flows((-10_000.0, 6_000.0, 6_000.0)), 0.1, multi_year=True)
    assert invests_first.irr == pytest.approx(irr([-10_000.0, 6_000.0, 6_000.0]))


def test_the_summary_says_what_each_site_built_returns() -> None:
    plan = solve_multiyear(_built_in_2025())
    lines = plan.summary("en").splitlines()
    assert "  S1 (built 2025, capex 0.1 M CNY): NPV 0.0 M CNY, IRR 33.7%, payback 1.3 years" in lines
    assert any(
        line.startswith("  S1（2025 年建设") and "33.7%" in line for line in plan.summary("zh").splitlines()
    )
