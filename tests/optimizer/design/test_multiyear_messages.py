"""The multi-year plan's sentences are catalogue messages: the same facts in English and in Chinese.

Networks are :func:`one_center` of ``test_multiyear`` (one yard, one candidate sorting center, one
smelter). The year-by-year path is normally taken by large models only; the tests lower its size
threshold so that the tiny networks take it too.
"""

from __future__ import annotations

import dataclasses

import pytest

from optimizer.design import multiyear_solve
from optimizer.design.multiyear import MultiYearOptions
from optimizer.design.multiyear_solve import solve_multiyear, year_shortfall_message
from optimizer.design.periods import period_inputs
from optimizer.design.plan import Plan, PlanStatus
from optimizer.design.status_text import plan_status_message
from optimizer.model import Period, SupplyGrowth
from tests.optimizer.design.test_multiyear import one_center


def test_a_short_target_names_the_year_and_the_tonnes_in_both_languages() -> None:
    """2026: 200 t of a 50 % grade is 100 t Cu; the smelter takes 150 t (75 t Cu), so a 100 % target
    is 25 t Cu short and 75 % is the best reachable."""
    network = one_center(capex=0.0, opex=0.0, factors=(1.0, 2.0))
    network = network.replace(
        smelters=(dataclasses.replace(network.smelters[0], capacity_t_per_year=150.0),),
        periods=(Period(2025), Period(2026, supply_factor=2.0, target_utilization=1.0)),
    )
    plan = solve_multiyear(network)
    assert plan.status is PlanStatus.INFEASIBLE
    target = next(s for s in plan.infeasibility if s.requirement == "utilization_target")
    assert target.message == "2026: the 100.0 % target is 25 t Cu short; best reachable 75.0 %"
    text = year_shortfall_message(network, period_inputs(network)[1], target)
    assert text.render("zh") == "2026 年：100.0 % 的利用率目标差 25 吨铜；最高可达 75.0 %"
    assert target.reason.render("zh") == text.render("zh")


def test_nothing_to_build_is_said_in_both_languages() -> None:
    """Opex 50,000 CNY/yr against a margin of 36,000: the center never pays, nothing is built."""
    plan = solve_multiyear(one_center(factors=(1.0, 1.0)))
    assert plan.status is PlanStatus.OPTIMAL and not plan.builds
    note = "nothing to build: no new module pays for itself over 2025-2026"
    assert note in plan.note_texts("en")
    assert "无需新建：2025–2026 年间没有任何新模块能收回投资" in plan.note_texts("zh")


def test_a_year_by_year_plan_says_its_proven_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Taken by every model here (thresholds lowered): the hand case's bound equals its optimum
    (38,000 CNY), so the plan is optimal; where the bound is looser and the full MILP is not run, the
    status is feasible with its proven gap, in words, in both languages."""
    monkeypatch.setattr(multiyear_solve, "YEAR_BY_YEAR_MIN_VARIABLES", 0)
    plan = solve_multiyear(one_center())
    assert plan.status is PlanStatus.OPTIMAL, plan.message
    assert plan.objective == pytest.approx(38_000.0)
    assert plan.npv_cny == pytest.approx(plan.objective)  # the cash flow recomputed from the plan
    assert [(b.site_id, b.year) for b in plan.builds] == [("S1", 2026)]
    assert any(n.startswith("planned year by year first") for n in plan.note_texts())
    monkeypatch.setattr(multiyear_solve, "FULL_MILP_MAX_VARIABLES", 0)
    # supply 100, 200, 300, 100 t: the bound lets the center run in 2027 alone (charged a share of its
    # capex), a real plan must keep it from its build on: a wide, honest gap
    falls = one_center(
        factors=(1.0, 2.0, 3.0, 1.0),
        discount_rate=0.06,
        income_tax_rate=0.25,
        residual_value="straight_line",
        life=3.0,
    )
    plan = solve_multiyear(falls)
    exact = solve_multiyear(falls, MultiYearOptions(mip_gap=1e-9))  # small: the full MILP decides
    assert plan.status is PlanStatus.FEASIBLE and plan.gap is not None and plan.gap > 0.01
    assert plan.objective == pytest.approx(exact.objective, rel=1e-6)
    assert plan.npv_cny == pytest.approx(plan.objective, rel=1e-6)
    assert plan.best_bound is not None and plan.best_bound >= plan.objective
    assert plan.message.startswith(f"within a proven gap of {100 * plan.gap:.2f}% of the best plan")
    assert plan.status_message.code == "multiyear.bounded"
    zh = plan.status_message.render("zh")
    assert zh.startswith(f"与最佳方案的差距已证明在 {100 * plan.gap:.2f}% 以内")
    # the app's status line says the same, not "stopped at the time limit", read from the code
    assert plan_status_message(plan) == plan.status_message
    assert plan_status_message(plan).render("zh") == zh
    # and so does a copy read back from its JSON file
    again = Plan.from_json(plan.to_json())
    assert again.status_message == plan.status_message and plan_status_message(again).render("zh") == zh


def test_a_short_target_counts_the_growth_sheet() -> None:
    """As above, with a Growth row that makes the 2026 supply of grade A in Zhejiang 3x the Supply sheet
    instead of the Periods sheet's 2x: 300 t of a 50 % grade is 150 t Cu, the smelter takes 150 t
    (75 t Cu), so a 100 % target is 75 t Cu short and 50 % is the best reachable."""
    network = one_center(capex=0.0, opex=0.0, factors=(1.0, 2.0))
    network = network.replace(
        smelters=(dataclasses.replace(network.smelters[0], capacity_t_per_year=150.0),),
        periods=(Period(2025), Period(2026, supply_factor=2.0, target_utilization=1.0)),
        growth=(SupplyGrowth(2026, "A", "Zhejiang", 1.5),),
    )
    plan = solve_multiyear(network)
    assert plan.status is PlanStatus.INFEASIBLE
    target = next(s for s in plan.infeasibility if s.requirement == "utilization_target")
    assert target.message == "2026: the 100.0 % target is 75 t Cu short; best reachable 50.0 %"
