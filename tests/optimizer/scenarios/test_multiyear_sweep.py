"""Sweeps of networks with periods: every scenario planned over the years, NPV in the KPI table, the
tornado and the JSON, break-even prices over the multi-year plan, per-year factors in every period, one
year on request, and the two-stage design's one planned year. Values worked out by hand in
tests/optimizer/scenarios/networks.py (two_years, two_years_capex)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from optimizer.model import CapacityModule, Period
from optimizer.report.sweep import sweep_workbook
from optimizer.scenarios.definition import SweepDefinition
from optimizer.scenarios.executors import LocalPool
from optimizer.scenarios.factors import apply_factor, parse_factor
from optimizer.scenarios.sweep import SweepResult, run_sweep
from optimizer.scenarios.workbook import definition_rows
from tests.optimizer.scenarios.networks import (
    margin_per_t,
    one_site,
    over_years,
    two_years,
    two_years_capex,
)


def _sweep(network: object, definition: SweepDefinition) -> SweepResult:
    with LocalPool(1) as pool:
        return run_sweep(network, definition, executor=pool)  # type: ignore[arg-type]


def test_every_scenario_is_planned_over_the_years_with_its_npv_and_the_break_even_over_the_plan() -> None:
    definition = SweepDefinition(
        factors=(parse_factor("copper_price=40000,60000"),), tornado_pct=10, break_even_tolerance_cny=20
    )
    sweep = _sweep(two_years(), definition)
    assert sweep.multiyear and sweep.years == (2025, 2026) and sweep.kpi == "npv_cny"
    low, high = sweep.scenarios
    # 40,000 is below both years' switch (40,080 and 50,000): nothing runs
    assert low.status == "optimal" and low.npv_cny == pytest.approx(0.0, abs=1e-3) and low.sites_open == ()
    assert high.npv_cny == pytest.approx(225 * margin_per_t(60_000) - 2 * 496_000, abs=1e-3)  # 349,000
    assert high.profit_cny == pytest.approx(125 * margin_per_t(60_000) - 496_000, abs=1e-3)  # last year
    assert high.sites_open == ("S1",)
    # S1 opens in 2026 from 40,080 (125 t), though a one-year plan of 2025 (100 t) needs 50,000
    (b,) = sweep.break_even
    assert b.status == "found" and abs(b.copper_price_cny_per_t_cu - 40_080) <= 20  # type: ignore[operator]
    # the base plan opens S1 at 75,000: the search solves the floor (22,500) and then bisects, never
    # the base price again
    assert b.solves == 1 + math.ceil(math.log2((75_000 - 22_500) / 20))
    # the tornado is over NPV: 75,000 -/+ 10 %, both years run S1 at all three prices
    (t,) = sweep.tornado
    assert t.kpi == "npv_cny"
    assert t.low_cny == pytest.approx(225 * margin_per_t(67_500) - 2 * 496_000, abs=1e-3)
    assert t.high_cny == pytest.approx(225 * margin_per_t(82_500) - 2 * 496_000, abs=1e-3)
    assert t.base_cny == pytest.approx(225 * margin_per_t(75_000) - 2 * 496_000, abs=1e-3)
    data = sweep.to_dict()
    assert [s["npv_cny"] for s in data["scenarios"]] == pytest.approx([0.0, 349_000.0], abs=1e-3)
    assert data["kpi"] == "npv_cny" and data["years"] == [2025, 2026]
    assert data["tornado"][0]["kpi"] == "npv_cny"


def test_a_module_with_capex_breaks_even_over_the_whole_plan_and_its_build_is_reported() -> None:
    definition = SweepDefinition(
        factors=(parse_factor("copper_price=60000"),), tornado_pct=0, break_even_tolerance_cny=20
    )
    sweep = _sweep(two_years_capex(), definition)
    (s,) = sweep.scenarios
    assert s.npv_cny == pytest.approx(2 * (100 * margin_per_t(60_000) - 200_000) - 600_000, abs=1e-3)
    assert s.builds == (("S1", "M200", 2025),)
    assert s.irr is not None and s.irr > 0
    (b,) = sweep.break_even
    assert b.status == "found" and abs(b.copper_price_cny_per_t_cu - 50_400) <= 20  # type: ignore[operator]
    row = sweep.to_dict()["scenarios"][0]
    assert row["builds"] == [{"site_id": "S1", "module_id": "M200", "year": 2025}]


def test_per_year_factors_hold_in_every_period() -> None:
    network = over_years(one_site(), 1.0, 1.0).replace(
        periods=(
            Period(2025, copper_price_cny_per_t=80_000.0, target_utilization=0.3),
            Period(2026),  # blank: follows the Parameters
        )
    )
    # the copper price sets the Parameters value and scales a period's own price by the same ratio
    moved = apply_factor(network, "copper_price", 60_000.0)
    assert moved.parameters.copper_price_cny_per_t == 60_000.0
    assert moved.periods[0].copper_price_cny_per_t == pytest.approx(80_000.0 * 60_000 / 75_000)
    assert moved.periods[1].copper_price_cny_per_t is None
    # a target is the target of every year
    target = apply_factor(network, "target_utilization", 0.5)
    assert target.parameters.target_utilization == 0.5 and target.periods[0].target_utilization == 0.5
    # a carbon price with a base of 0 sets a period's own carbon price to the value
    carbon = network.replace(
        periods=(dataclasses.replace(network.periods[0], carbon_price_cny_per_t_co2=50.0),)
    )
    assert apply_factor(carbon, "carbon_price", 80.0).periods[0].carbon_price_cny_per_t_co2 == 80.0


def test_a_single_year_sweep_plans_only_that_period() -> None:
    definition = SweepDefinition(
        factors=(parse_factor("copper_price=60000"),), tornado_pct=0, break_even=False, single_year=2026
    )
    sweep = _sweep(two_years(), definition)
    assert not sweep.multiyear and sweep.kpi == "profit_cny"
    (s,) = sweep.scenarios
    # 2026 alone: 125 t at 60,000, the module's fixed cost for the year
    assert s.profit_cny == pytest.approx(125 * margin_per_t(60_000) - 496_000, abs=1e-3)
    assert s.npv_cny is None
    assert ("#single_year", "2026") in definition_rows(definition)
    with pytest.raises(ValueError, match="no period"):
        _sweep(two_years(), dataclasses.replace(definition, single_year=2031))


def test_the_two_stage_design_over_periods_shares_the_build_schedule() -> None:
    # two_sizes with capex (SMALL 200,000 + opex 100,000 a year, LARGE 300,000 + 100,000) over 2025 and
    # 2026 at full supply, supply x 0.5 or x 1.5 (50 t or 150 t a year), margin m = 7,460 per tonne:
    # * two-stage: LARGE built in 2025, 2 x (0.5 x 50 m + 0.5 x 150 m - 100,000) - 300,000 = 992,000
    #   (SMALL: 2 x (0.5 x 50 m + 0.5 x 100 m - 100,000) - 200,000 = 719,000);
    # * the mean scenario (100 t) builds SMALL (1,092,000 against LARGE's 992,000): EEV = 719,000;
    # * wait and see: 50 t -> SMALL, 346,000; 150 t -> LARGE, 1,738,000: WS = 1,042,000
    small = CapacityModule("SMALL", 100.0, 0.0, 200_000.0, 0, 100_000.0, 20.0)
    large = CapacityModule("LARGE", 200.0, 0.0, 300_000.0, 0, 100_000.0, 20.0)
    network = over_years(one_site(modules=(small, large)), 1.0, 1.0)
    definition = SweepDefinition(
        factors=(parse_factor("supply=0.5,1.5"),), stochastic=True, tornado_pct=0, break_even=False
    )
    sweep = _sweep(network, definition)
    st = sweep.stochastic
    assert st is not None and st.multiyear and st.status == "optimal"
    assert st.design == {"S1 (LARGE)": "2025"} and st.mean_design == {"S1 (SMALL)": "2025"}
    assert st.expected_profit_cny == pytest.approx(992_000.0, abs=1e-2)
    assert st.mean_design_expected_profit_cny == pytest.approx(719_000.0, abs=1e-2)
    assert st.wait_and_see_profit_cny == pytest.approx(1_042_000.0, abs=1e-2)
    assert st.vss_cny == pytest.approx(273_000.0, abs=1e-2)
    assert st.evpi_cny == pytest.approx(50_000.0, abs=1e-2)
    assert sweep.to_dict()["stochastic"]["kpi"] == "npv_cny"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_sweep_workbook_of_a_sweep_over_periods_shows_npv_irr_and_builds(lang: str) -> None:
    definition = SweepDefinition(factors=(parse_factor("copper_price=60000"),), tornado_pct=10)
    sweep = _sweep(two_years_capex(), definition)
    wb = sweep_workbook(two_years_capex(), sweep, lang)
    scenarios = wb.worksheets[1]
    headers = [c.value for row in scenarios.iter_rows(max_row=6) for c in row if isinstance(c.value, str)]
    expected = ("NPV", "IRR", "Builds") if lang == "en" else ("净现值", "内部收益率", "建设")
    for word in expected:
        assert any(word in h for h in headers), (word, headers)
    cells = [c.value for row in scenarios.iter_rows() for c in row]
    assert "S1 M200 2025" in cells
    assert pytest.approx(192_000.0, abs=1e-3) in [v for v in cells if isinstance(v, float)]
    if lang == "zh":  # a Chinese note has no spaces to wrap at: its row is as high as its lines
        summary = wb.worksheets[0]
        note = next(c for c in summary["A"] if isinstance(c.value, str) and c.value.startswith("铜价情景"))
        assert summary.row_dimensions[note.row].height >= 2 * 15
    tornado = wb.worksheets[4]
    words = [c.value for row in tornado.iter_rows(max_row=6) for c in row if isinstance(c.value, str)]
    assert any(("NPV" if lang == "en" else "净现值") in w for w in words)


def test_the_fixed_prices_sheet_has_one_row_per_kind_grade_and_value() -> None:
    from optimizer.model import CollectionPoint, Supply

    base = one_site()
    points = tuple(
        CollectionPoint(f"P{i}", f"yard {i}", 30.0, 120.0, "Zhejiang", (Supply("A", 10.0, 1_000.0),))
        for i in range(1, 4)
    )
    network = base.replace(collection_points=base.collection_points + points)
    definition = SweepDefinition(
        factors=(parse_factor("copper_price=60000"),), tornado_pct=0, break_even=False
    )
    wb = sweep_workbook(network, _sweep(network, definition), "en")
    fixed = wb["Fixed prices"]
    rows = [[c.value for c in row] for row in fixed.iter_rows(min_row=4) if row[0].value == "purchase price"]
    assert rows == [["purchase price", "A", 1_000.0, "CNY/t", 3, "P1, P2, P3"]]
    # the summary's figures are counts, seconds and CNY: its column header claims no unit
    assert wb["Sweep"]["B3"].value == "Figure"
