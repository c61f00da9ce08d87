"""The two-stage design, VSS and EVPI on a two-scenario network, against the values worked out by hand
in :func:`tests.optimizer.scenarios.networks.two_sizes`."""

from __future__ import annotations

import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.stochastic import solve_two_stage
from optimizer.scenarios.definition import SweepDefinition
from optimizer.scenarios.executors import LocalPool
from optimizer.scenarios.factors import apply_factor, parse_factor
from optimizer.scenarios.sweep import run_sweep
from tests.optimizer.scenarios.networks import margin_per_t, two_sizes

M = margin_per_t(75_000.0)  # 7,460 CNY per tonne


def test_the_hand_figures() -> None:
    assert pytest.approx(7_460.0) == M
    assert pytest.approx(346_000.0) == 100 * M - 400_000
    assert pytest.approx(259_500.0) == 0.5 * 50 * M + 0.5 * 100 * M - 300_000


def test_two_stage_design_builds_the_large_module_for_both_scenarios() -> None:
    network = two_sizes()
    scenarios = [apply_factor(network, "supply", 0.5), apply_factor(network, "supply", 1.5)]
    result = solve_two_stage(scenarios, [0.5, 0.5], SolveOptions(threads=1))
    assert result.open_modules == {"S1": "LARGE"}
    assert result.expected_profit_cny == pytest.approx(346_000.0, abs=1e-3)
    assert result.scenario_profit_cny == pytest.approx((50 * M - 400_000, 150 * M - 400_000), abs=1e-3)
    fixed = solve_two_stage(scenarios, [0.5, 0.5], SolveOptions(threads=1), fixed_design={"S1": "SMALL"})
    assert fixed.expected_profit_cny == pytest.approx(259_500.0, abs=1e-3)


def test_sweep_reports_vss_and_evpi() -> None:
    definition = SweepDefinition(
        factors=(parse_factor("supply=0.5,1.5"),), stochastic=True, tornado_pct=0, break_even=False
    )
    with LocalPool(1) as pool:
        sweep = run_sweep(two_sizes(), definition, executor=pool)
    st = sweep.stochastic
    assert st is not None
    assert st.mean_design == {"S1": "SMALL"}
    assert st.design == {"S1": "LARGE"}
    assert st.expected_profit_cny == pytest.approx(346_000.0, abs=1e-3)
    assert st.mean_design_expected_profit_cny == pytest.approx(259_500.0, abs=1e-3)
    assert st.wait_and_see_profit_cny == pytest.approx(396_000.0, abs=1e-3)
    assert st.vss_cny == pytest.approx(86_500.0, abs=1e-3) and st.vss_cny >= 0
    assert st.evpi_cny == pytest.approx(50_000.0, abs=1e-3) and st.evpi_cny >= 0
