"""The multi-year investment MILP on tiny networks whose optimal schedule can be worked out by hand.

Every case uses :func:`one_center`: one yard P1 with 100 t/yr of grade A (50 % Cu, bought at 100 CNY/t),
one candidate sorting center S1 and a smelter paying 1,000 CNY/t Cu. Through S1 a tonne earns
revenue 500 - purchase 100 - transport (10 + 20 km x 1 CNY/t-km) 30 - processing 10 = 360 CNY, so the
margin is 36,000 CNY per year at the base supply. The yard is too far from the smelter to sell direct.
Unless a test says otherwise the discount rate is 0 and taxes and residual value are off.
"""

from __future__ import annotations

import dataclasses

import pytest

from optimizer.design.multiyear import MultiYearObjective, MultiYearOptions
from optimizer.design.multiyear_solve import solve_multiyear
from optimizer.design.options import Objective, SolveOptions
from optimizer.design.plan import PlanStatus
from optimizer.design.solve import solve
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    DistanceOverride,
    Grade,
    Network,
    Parameters,
    Period,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    YieldEntry,
)


def one_center(
    capex: float | None = 20_000.0,
    opex: float = 50_000.0,
    factors: tuple[float, ...] = (1.0, 3.0),
    budgets: tuple[float | None, ...] | None = None,
    life: float = 20.0,
    status: SiteStatus = SiteStatus.CANDIDATE,
    **parameters: object,
) -> Network:
    grades = (Grade("A", "grade A", "A级", 0.5),)
    points = (CollectionPoint("P1", "yard", 30.0, 120.0, "Zhejiang", (Supply("A", 100.0, 100.0),)),)
    module = CapacityModule("M", 1_000.0, 9_000.0, capex, 0, opex, life, 12)
    sites = (
        ProcessingSite(
            "S1",
            "center",
            SiteKind.SORTING,
            30.1,
            120.0,
            "Zhejiang",
            status,
            (module,),
            10.0,
            0.0,
            (YieldEntry("A", "A", 1.0),),
        ),
    )
    smelters = (Smelter("M1", "smelter", 31.0, 120.0, "Anhui", 5_000.0, ("A",), 0.0),)
    distances = (
        DistanceOverride("P1", "S1", 10.0),
        DistanceOverride("S1", "M1", 20.0),
        DistanceOverride("P1", "M1", 100.0),
    )
    params: dict[str, object] = dict(
        copper_price_cny_per_t=1_000.0,
        transport_cost_cny_per_t_km=1.0,
        co2_kg_per_t_km=0.0,
        max_haul_km_collection=50.0,
        discount_rate=0.0,
        vat_method="none",
        income_tax_rate=0.0,
        residual_value="none",
    )
    params.update(parameters)
    periods = tuple(
        Period(2025 + i, 1, f, capital_budget_cny=None if budgets is None else budgets[i])
        for i, f in enumerate(factors)
    )
    return Network(
        "one center",
        grades,
        points,
        sites,
        smelters,
        (),
        Parameters(**params),
        distances,  # type: ignore[arg-type]
        periods,
    )


def schedule(network: Network, **options: object) -> tuple[float, list[tuple[str, int]]]:
    plan = solve_multiyear(network, MultiYearOptions(**options))  # type: ignore[arg-type]
    assert plan.status is PlanStatus.OPTIMAL, plan.message
    assert plan.objective is not None
    return plan.objective, [(b.site_id, b.year) for b in plan.builds]


def test_site_is_built_in_year_two_because_supply_grows() -> None:
    """2025 alone: 36,000 - 50,000 opex < 0; 2026 (3x supply): 108,000 - 50,000 - 20,000 capex = 38,000.
    Building in 2025 would add the 2025 loss of 14,000, so S1 is built for 2026."""
    npv, builds = schedule(one_center())
    assert builds == [("S1", 2026)]
    assert npv == pytest.approx(38_000.0)


def test_capital_budget_delays_the_build() -> None:
    """opex 10,000, capex 30,000, 3 years at 36,000 margin: built in 2025 it earns 3 x 26,000 - 30,000 =
    48,000; a 2025 budget of 20,000 cannot pay the capex, so it is built in 2026: 2 x 26,000 - 30,000."""
    free = one_center(capex=30_000.0, opex=10_000.0, factors=(1.0, 1.0, 1.0))
    assert schedule(free) == (pytest.approx(48_000.0), [("S1", 2025)])
    tight = dataclasses.replace(
        free,
        periods=tuple(
            dataclasses.replace(p, capital_budget_cny=20_000.0 if p.year == 2025 else None)
            for p in free.periods
        ),
    )
    assert schedule(tight) == (pytest.approx(22_000.0), [("S1", 2026)])


def test_residual_value_changes_the_decision() -> None:
    """One year, capex 100,000, life 4, no opex: 36,000 - 100,000 < 0, so nothing is built; with
    straight-line residual value the module is worth 100,000 x 3/4 = 75,000 at the end:
    36,000 - 100,000 + 75,000 = 11,000 > 0, so it is built."""
    network = one_center(capex=100_000.0, opex=0.0, factors=(1.0,), life=4.0)
    assert schedule(network) == (pytest.approx(0.0, abs=1e-6), [])
    straight_line = dataclasses.replace(network.parameters, residual_value="straight_line")
    with_residual = network.replace(parameters=straight_line)
    npv, builds = schedule(with_residual)
    assert builds == [("S1", 2025)]
    assert npv == pytest.approx(11_000.0)


def test_the_reported_npv_is_the_objective_with_discounting_and_taxes() -> None:
    """At 8 %, simplified VAT with a refund and 25 % income tax, the economics recomputed from the plan
    give the NPV the model maximised, and NPV and IRR agree with the yearly cash flow."""
    network = one_center(
        capex=30_000.0,
        opex=5_000.0,
        factors=(1.0, 1.5, 2.0),
        discount_rate=0.08,
        vat_method="simplified",
        vat_refund_share=0.3,
        income_tax_rate=0.25,
        residual_value="straight_line",
        life=10.0,
    )
    plan = solve_multiyear(network)
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.npv_cny == pytest.approx(plan.objective, rel=1e-6)
    flows = [p.cash_flow_cny for p in plan.periods]
    assert [p.year for p in plan.periods] == [2025, 2026, 2027]
    assert sum(cf / 1.08**i for i, cf in enumerate(flows)) == pytest.approx(plan.npv_cny, rel=1e-9)
    assert plan.periods[0].capex_cny == pytest.approx(30_000.0)
    # 2025: VAT 50,000 x 3/103 x 0.7; tax 25 % of (36,000 - 5,000 - VAT - depreciation 3,000)
    vat = 50_000.0 * 0.03 / 1.03 * 0.7
    assert plan.periods[0].vat_cny == pytest.approx(vat)
    assert plan.periods[0].income_tax_cny == pytest.approx(0.25 * (36_000.0 - 5_000.0 - vat - 3_000.0))
    # residual value in the last year: 30,000 x (1 - 3/10)
    assert plan.periods[-1].residual_cny == pytest.approx(21_000.0)


def test_vat_switched_on_changes_profit_by_the_hand_computed_amount() -> None:
    """An existing S1 (no decision): 2025 revenue 100 t x 500 = 50,000 CNY, purchases 10,000 CNY.
    Simplified 3 % on VAT-inclusive sales: 50,000 x 0.03 / 1.03 = 1,456.31, of which 30 % is refunded;
    general 13 %: (50,000 - 10,000) x 0.13 / 1.13 = 4,601.77."""
    base = one_center(capex=None, opex=0.0, factors=(1.0,), status=SiteStatus.EXISTING)
    profit = 36_000.0 - 9_000.0  # margin less the annualised fixed cost of a module without capex

    def npv(**changes: object) -> float:
        network = base.replace(parameters=dataclasses.replace(base.parameters, **changes))
        value, _ = schedule(network)
        return value

    assert npv() == pytest.approx(profit)
    assert profit - npv(vat_method="simplified", vat_refund_share=0.0) == pytest.approx(1_456.3107, abs=1e-3)
    assert profit - npv(vat_method="simplified", vat_refund_share=0.3) == pytest.approx(
        0.7 * 1_456.3107, abs=1e-3
    )
    assert profit - npv(vat_method="general", vat_refund_share=0.0) == pytest.approx(4_601.7699, abs=1e-3)


def test_lead_time_and_earliest_year_hold_back_a_candidate() -> None:
    """With supply flat, S1 pays from the first year; an earliest year of 2026 or a lead time of one year
    moves the build to 2026 (2 x 26,000 - 30,000 = 22,000); two years of lead time leave one year,
    26,000 - 30,000 < 0, so it is not built at all."""
    network = one_center(capex=30_000.0, opex=10_000.0, factors=(1.0, 1.0, 1.0))
    later = network.replace(sites=(dataclasses.replace(network.sites[0], earliest_year=2026),))
    assert schedule(later)[1] == [("S1", 2026)]
    lead = network.replace(sites=(dataclasses.replace(network.sites[0], lead_time_years=1),))
    assert schedule(lead) == (pytest.approx(22_000.0), [("S1", 2026)])
    too_late = network.replace(sites=(dataclasses.replace(network.sites[0], lead_time_years=2),))
    assert schedule(too_late)[1] == []


def test_one_period_equals_the_single_year_model(teaching_network: Network) -> None:
    """The teaching sample as one period without capex or taxes is today's model: the same profit, and
    the same least cost at a 50 % target."""
    sites = tuple(
        dataclasses.replace(s, modules=tuple(dataclasses.replace(m, capex_cny=None) for m in s.modules))
        for s in teaching_network.sites
    )
    params = dataclasses.replace(teaching_network.parameters, vat_method="none", income_tax_rate=0.0)
    single = teaching_network.replace(sites=sites, parameters=params, periods=())
    one = single.replace(periods=(Period(params.planning_year),))
    profit = solve(single, SolveOptions(objective=Objective.PROFIT))
    npv = solve_multiyear(one, MultiYearOptions(objective=MultiYearObjective.NPV))
    assert npv.status is PlanStatus.OPTIMAL and profit.status is PlanStatus.OPTIMAL
    assert npv.objective == pytest.approx(profit.objective, rel=1e-6)
    assert {s.site_id for s in npv.sites} == {s.site_id for s in profit.sites}
    target = dataclasses.replace(params, target_utilization=0.5)
    cost = solve(single.replace(parameters=target), SolveOptions(objective=Objective.COST))
    cost_my = solve_multiyear(
        one.replace(parameters=target), MultiYearOptions(objective=MultiYearObjective.COST)
    )
    assert cost_my.objective == pytest.approx(cost.objective, rel=1e-6)


def test_an_unreachable_target_is_explained_per_year() -> None:
    """A 2026 target of 100 % with the smelter holding 150 t: the shortfall names 2026."""
    network = one_center(capex=0.0, opex=0.0, factors=(1.0, 2.0))
    network = network.replace(
        smelters=(dataclasses.replace(network.smelters[0], capacity_t_per_year=150.0),),
        periods=(Period(2025), Period(2026, supply_factor=2.0, target_utilization=1.0)),
    )
    plan = solve_multiyear(network)
    assert plan.status is PlanStatus.INFEASIBLE
    assert plan.infeasibility and all(s.message.startswith("2026: ") for s in plan.infeasibility)


def test_plan_json_carries_the_investment_fields() -> None:
    plan = solve_multiyear(one_center())
    data = plan.to_dict()
    assert data["builds"] == [
        {
            "site_id": "S1",
            "module_id": "M",
            "year": 2026,
            "capex_cny": 20_000.0,
            "capacity_t": 1_000.0,
            "jobs": 12,
        }
    ]
    assert {"npv_cny", "irr", "payback_years", "discount_rate"} <= set(data)
    first = data["periods"][0]
    assert {
        "year",
        "utilization",
        "copper_delivered_t_cu",
        "cash_flow_cny",
        "capex_cny",
        "co2_emitted_t",
        "co2_avoided_t",
    } <= set(first)
    again = type(plan).from_json(plan.to_json())
    assert again.builds == plan.builds and again.periods == plan.periods
    assert len(again.year_plans) == 2


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_both_solvers_find_the_same_schedule(solver: str) -> None:
    assert schedule(one_center(), solver=solver) == (pytest.approx(38_000.0), [("S1", 2026)])


def test_an_existing_site_expands_the_year_supply_outgrows_it() -> None:
    """Existing S1 runs M100 (100 t, no cost); M300 is an expansion for 10,000 CNY capex. 2025: 100 t fit,
    36,000. 2026 (3x supply): 300 t x 360 = 108,000. At 10 % the capex is cheaper a year later:
    36,000 + (108,000 - 10,000) / 1.1 = 125,090.91 against 36,000 - 10,000 + 108,000 / 1.1 = 124,181.82."""
    network = one_center(status=SiteStatus.EXISTING, discount_rate=0.1)
    site = dataclasses.replace(
        network.sites[0],
        modules=(
            CapacityModule("M100", 100.0, 0.0),
            CapacityModule("M300", 300.0, 0.0, capex_cny=10_000.0),
        ),
    )
    npv, builds = schedule(network.replace(sites=(site,)))
    assert builds == [("S1", 2026)]
    assert npv == pytest.approx(36_000.0 + 98_000.0 / 1.1)


def test_an_existing_site_that_may_close_closes_when_supply_falls() -> None:
    """Existing S1 with a fixed cost of 50,000/yr: 2025 (3x supply) earns 108,000 - 50,000 = 58,000;
    2026 (half supply) would lose 18,000 - 50,000 = -32,000. Closing costs 5,000: 58,000 - 5,000 =
    53,000; a site that may not close keeps running: 58,000 - 32,000 = 26,000."""
    network = one_center(status=SiteStatus.EXISTING, factors=(3.0, 0.5))
    site = dataclasses.replace(
        network.sites[0], modules=(CapacityModule("M", 1_000.0, 50_000.0),), closing_cost_cny=5_000.0
    )
    assert schedule(network.replace(sites=(site,)))[0] == pytest.approx(26_000.0)
    closable = dataclasses.replace(site, may_close=True)
    plan = solve_multiyear(network.replace(sites=(closable,)))
    assert plan.objective == pytest.approx(53_000.0)
    assert [p.sites_running for p in plan.periods] == [1, 0]
    assert plan.periods[1].closing_cny == pytest.approx(5_000.0)
    assert plan.npv_cny == pytest.approx(53_000.0)


def test_a_cancelled_solve_says_so() -> None:
    from optimizer.progress import CancelToken

    token = CancelToken()
    token.cancel()
    plan = solve_multiyear(one_center(), cancel=token)
    assert plan.status is PlanStatus.CANCELLED
