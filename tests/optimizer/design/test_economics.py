"""Economics of plans: NPV, IRR and payback of known cash flows, VAT rules, and single-year figures."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer.design.economics import (
    discounted_payback_years,
    irr,
    npv,
    payback_years,
    vat_payable,
    with_economics,
)
from optimizer.design.options import SolveOptions
from optimizer.design.periods import capital_recovery_factor, period_inputs
from optimizer.design.solve import solve
from optimizer.model import Network, Parameters, Period
from tests.optimizer.design.test_multiyear import one_center


def test_npv_irr_and_payback_of_a_known_cash_flow() -> None:
    """-100, 60, 60 at 10 %: NPV = -100 + 54.545 + 49.587 = 4.1322; IRR solves 60x^2 + 60x - 100 = 0 with
    x = 1/(1 + r): x = (-60 + sqrt(27,600)) / 120 = 0.884426, r = 13.066 %; payback 1 + 40/60 years."""
    flows = [-100.0, 60.0, 60.0]
    assert npv(0.10, flows) == pytest.approx(4.1322, abs=1e-4)
    assert irr(flows) == pytest.approx(0.130662, abs=1e-6)
    assert payback_years(flows) == pytest.approx(1 + 40 / 60)
    # discounted: -100, 54.545, 49.587 -> 1 + 45.455 / 49.587
    assert discounted_payback_years(0.10, flows) == pytest.approx(1 + 45.4545 / 49.5868, abs=1e-4)


def test_no_irr_or_payback_without_a_sign_change() -> None:
    assert irr([-100.0, -10.0]) is None
    assert payback_years([-100.0, 10.0]) is None
    assert payback_years([5.0, 10.0]) == 0.0


def test_vat_on_vat_inclusive_prices() -> None:
    """Simplified: 3 % of 103 CNY of sales is 3 CNY; general: 13 % of (113 - 0) is 13 CNY, never < 0."""
    simplified = Parameters(vat_method="simplified")
    general = Parameters(vat_method="general")
    assert vat_payable(simplified, 103.0, 50.0) == pytest.approx(3.0)
    assert vat_payable(general, 113.0, 0.0) == pytest.approx(13.0)
    assert vat_payable(general, 50.0, 113.0) == 0.0
    assert vat_payable(Parameters(vat_method="none"), 103.0, 0.0) == 0.0


def test_capital_recovery_factor() -> None:
    """8 % over 20 years: 0.08 / (1 - 1.08^-20) = 0.101852; at 0 % it is 1/n."""
    assert capital_recovery_factor(0.08, 20) == pytest.approx(0.101852, abs=1e-6)
    assert capital_recovery_factor(0.0, 4) == 0.25


def test_periods_resolve_blanks_to_the_parameters() -> None:
    network = Network(
        parameters=Parameters(copper_price_cny_per_t=70_000.0, target_utilization=0.4),
        periods=(Period(2025, 2), Period(2027, copper_price_cny_per_t=80_000.0, target_utilization=0.6)),
    )
    first, second = period_inputs(network)
    assert (first.copper_price_cny_per_t, first.target_utilization) == (70_000.0, 0.4)
    assert first.years == (2025, 2026)
    assert (second.offset, second.copper_price_cny_per_t, second.target_utilization) == (2, 80_000.0, 0.6)


def test_single_year_plan_gets_avoided_co2_and_implied_investment() -> None:
    """The one-center network as a single year: S1 opens with module M (capex 20,000, 12 jobs); 50 t Cu
    delivered avoid 50 x 4.4 = 220 t CO2; with no transport or process emissions the net is -220 t."""
    network = one_center(factors=(1.0,)).replace(periods=())
    network = network.replace(parameters=dataclasses.replace(network.parameters, avoided_co2_t_per_t_cu=4.4))
    plan = with_economics(network, solve(network, SolveOptions()))
    assert [(b.site_id, b.module_id, b.capex_cny, b.jobs) for b in plan.builds] == [("S1", "M", 20_000.0, 12)]
    (year,) = plan.periods
    assert year.co2_avoided_t == pytest.approx(220.0)
    assert year.co2_net_t == pytest.approx(-220.0)
    assert year.capex_cny == pytest.approx(20_000.0)
    assert year.jobs == 12
    assert plan.npv_cny is None and plan.irr is None
