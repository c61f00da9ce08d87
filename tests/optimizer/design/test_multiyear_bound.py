"""Planning the years one at a time: a valid NPV bound and a complete, feasible first plan.

The cases reuse :func:`one_center` of ``test_multiyear`` (one yard, one candidate sorting center, one
smelter; 360 CNY margin per tonne through the center). With supply 100 t in 2025 and 300 t in 2026, a
module costing 50,000 CNY/yr to run and 20,000 CNY to build pays only in 2026: 300 x 360 - 50,000 -
20,000 = 38,000 CNY. The relaxation charges the module 0 in 2025 and the whole 20,000 in 2026 (its
capex if first run then), so its bound is that same 38,000, and the schedule builds in 2026.
"""

from __future__ import annotations

import pulp
import pytest

from optimizer.design.multiyear import MultiYearOptions, build_multiyear_model
from optimizer.design.multiyear_bound import applies, objective_value, plan_year_by_year
from optimizer.design.multiyear_solve import solve_multiyear
from optimizer.design.plan import PlanStatus
from optimizer.design.pulp_access import constraint_table
from optimizer.model import SiteStatus
from tests.optimizer.design.test_multiyear import one_center

REL = 1e-9


def _violation(problem: pulp.LpProblem, values: dict[pulp.LpVariable, float]) -> float:
    """The largest violation of a row or a variable bound at ``values`` (relative to the row's size)."""
    worst = 0.0
    for row in constraint_table(problem).values():
        activity = sum(c * values.get(v, 0.0) for v, c in row.items()) + row.constant
        scale = max(1.0, sum(abs(c * values.get(v, 0.0)) for v, c in row.items()))
        if row.sense == pulp.LpConstraintLE:
            worst = max(worst, activity / scale)
        elif row.sense == pulp.LpConstraintGE:
            worst = max(worst, -activity / scale)
        else:
            worst = max(worst, abs(activity) / scale)
    for var, x in values.items():
        low = var.lowBound if var.lowBound is not None else -float("inf")
        up = var.upBound if var.upBound is not None else float("inf")
        worst = max(worst, low - x, x - up)
    return worst


def test_hand_case_bound_equals_the_optimum_and_the_schedule_builds_in_2026() -> None:
    network = one_center()
    model = build_multiyear_model(network)
    assert applies(model)
    found = plan_year_by_year(model, MultiYearOptions(), 30.0)
    assert found.bound == pytest.approx(38_000.0, rel=1e-6)
    assert found.objective == pytest.approx(38_000.0, rel=1e-6)
    assert found.start is not None
    assert _violation(model.problem, found.start) < 1e-7
    built = [key for key, var in model.build.items() if found.start[var] > 0.5]
    assert built == [(1, "S1", "M")]


@pytest.mark.parametrize(
    "parameters",
    [
        {
            "discount_rate": 0.06,
            "income_tax_rate": 0.25,
            "vat_method": "simplified",
            "residual_value": "straight_line",
        },
        {
            "discount_rate": 0.08,
            "income_tax_rate": 0.25,
            "vat_method": "general",
            "residual_value": "straight_line",
        },
    ],
    ids=["simplified-vat", "general-vat"],
)
@pytest.mark.parametrize("factors", [(1.0, 3.0, 3.0), (2.0, 2.0, 4.0)], ids=["grows-late", "grows-later"])
def test_bound_and_start_bracket_the_milp_optimum_with_taxes_and_residual_value(
    parameters: dict[str, object], factors: tuple[float, ...]
) -> None:
    """With discounting, income tax (depreciation shield), VAT and residual value the bound is still at
    least the MILP's proven optimum and the year-by-year plan at most it, and feasible."""
    network = one_center(life=5.0, factors=factors, **parameters)
    exact = solve_multiyear(network, MultiYearOptions(mip_gap=1e-9))
    assert exact.status is PlanStatus.OPTIMAL and exact.objective is not None
    model = build_multiyear_model(network)
    found = plan_year_by_year(model, MultiYearOptions(), 30.0)
    assert found.bound is not None and found.objective is not None and found.start is not None
    assert found.bound >= exact.objective - REL * abs(exact.objective) - 1e-6
    assert found.objective <= exact.objective + REL * abs(exact.objective) + 1e-6
    assert _violation(model.problem, found.start) < 1e-7
    assert objective_value(model.problem, found.start) == pytest.approx(found.objective)


def test_existing_site_is_bounded() -> None:
    """An existing site (its module sunk: no capex, it runs every year): the bound still holds and the
    plan is feasible."""
    network = one_center(status=SiteStatus.EXISTING, factors=(1.0, 3.0, 3.0), discount_rate=0.05)
    exact = solve_multiyear(network, MultiYearOptions(mip_gap=1e-9))
    assert exact.objective is not None
    model = build_multiyear_model(network)
    found = plan_year_by_year(model, MultiYearOptions(), 30.0)
    assert found.bound is not None and found.objective is not None and found.start is not None
    assert found.bound >= exact.objective - 1e-6
    assert found.objective <= exact.objective + 1e-6
    assert _violation(model.problem, found.start) < 1e-7


def test_not_used_for_the_cost_objective_or_an_operating_budget() -> None:
    assert not applies(build_multiyear_model(one_center(target_utilization=0.5), "cost"))
    assert not applies(build_multiyear_model(one_center(annual_budget_cny=1e9)))
