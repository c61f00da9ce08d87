"""The break-even copper price found by bisection with full solves matches the closed form."""

from __future__ import annotations

import pytest

from optimizer.design.options import SolveOptions
from optimizer.scenarios.definition import SweepDefinition
from optimizer.scenarios.executors import LocalPool
from optimizer.scenarios.factors import parse_factor
from optimizer.scenarios.sweep import run_sweep
from optimizer.scenarios.tasks import BreakEvenTask, run_task
from tests.optimizer.scenarios.networks import SUPPLY_T, margin_per_t, one_site

#: S1's fixed cost in :func:`one_site`, and the price at which 100 t x (0.1 P - 40) pays it.
FIXED_COST = 496_000.0
BREAK_EVEN = (FIXED_COST / SUPPLY_T + 40.0) / 0.1


def test_the_closed_form_is_50000() -> None:
    assert pytest.approx(50_000.0) == BREAK_EVEN
    assert SUPPLY_T * margin_per_t(BREAK_EVEN) == pytest.approx(FIXED_COST)


def test_bisection_finds_the_closed_form_within_its_tolerance() -> None:
    task = BreakEvenTask("b", one_site(), SolveOptions(threads=1), "S1", 22_500.0, 75_000.0, 100.0)
    result = run_task(task)
    assert result.status == "found"
    price = result.copper_price_cny_per_t_cu
    assert price is not None
    # it opens at `price` and not at `low`, which is less than the tolerance below it
    assert BREAK_EVEN - 1e-6 <= price <= BREAK_EVEN + 100.0
    assert result.high - result.low <= 100.0 and result.low <= BREAK_EVEN + 1e-6
    assert result.solves <= 2 + 10  # the two ends, then log2(52,500 / 100) < 10 halvings


def test_a_site_that_opens_even_at_the_floor_says_so() -> None:
    task = BreakEvenTask("b", one_site(), SolveOptions(threads=1), "S1", 60_000.0, 75_000.0, 100.0)
    result = run_task(task)
    assert result.status == "opens_at_floor" and result.copper_price_cny_per_t_cu is None


def test_the_sweep_reports_every_opened_site_s_break_even_price_and_how_robust_it_is() -> None:
    definition = SweepDefinition(factors=(parse_factor("copper_price=40000:80000:20000"),), tornado_pct=0)
    with LocalPool(1) as pool:
        sweep = run_sweep(one_site(), definition, executor=pool)
    assert [s.factors["copper_price"] for s in sweep.scenarios] == [40_000.0, 60_000.0, 80_000.0]
    # profit is 0 below the break-even price (nothing opens) and 100 (0.1 P - 40) - 496,000 above it
    assert [s.profit_cny for s in sweep.scenarios] == pytest.approx(
        [0.0, SUPPLY_T * margin_per_t(60_000) - FIXED_COST, SUPPLY_T * margin_per_t(80_000) - FIXED_COST],
        abs=1e-3,
    )
    assert [s.sites_open for s in sweep.scenarios] == [(), ("S1",), ("S1",)]
    (robust,) = sweep.robustness
    assert (robust.site_id, robust.opens_in, robust.scenarios) == ("S1", 2, 3)
    (b,) = sweep.break_even
    assert b.site_id == "S1" and abs(b.copper_price_cny_per_t_cu - BREAK_EVEN) <= 100.0  # type: ignore[operator]
    data = sweep.to_dict()
    assert data["break_even"][0]["site_id"] == "S1"
    assert {"factors", "status", "profit_cny", "npv_cny", "utilization", "sites_open"} <= set(
        data["scenarios"][0]
    )
