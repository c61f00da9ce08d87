"""A year whose single-year solve ends without a bound of its own is bounded by a year that dominates it.

The case is :func:`one_center` of ``test_multiyear``: one yard, one candidate sorting center, one smelter
beyond the yard's haul limit, so every tonne goes through the center at a margin of 360 CNY/t. Supply is
100 t in 2025 and 300 t in 2026; the module costs 50,000 CNY/yr to run and 20,000 CNY to build (no
discounting, taxes or residual value). The relaxation charges the capex to the last period it runs in:
the relaxed 2025 has a fixed cost of 50,000 CNY/yr, the relaxed 2026 of 70,000 CNY/yr. So

* 2025 alone: open the center for 100 x 360 - 50,000 = -14,000, or not: optimum 0;
* 2026 alone: 300 x 360 - 70,000 = 38,000;
* 2026 dominates 2025 (more supply, the same prices, no target): any plan of 2025 is a plan of 2026
  whose profit differs by the module's fixed cost, at most 70,000 - 50,000 = 20,000. So 2025 is
  bounded by 38,000 + 20,000 = 58,000 (>= its optimum 0), and the NPV by 58,000 + 38,000 = 96,000
  (>= the multi-year optimum 38,000: build in 2026).

The year without a bound is a real solve's plan with its bound taken away (a tiny year always proves
its optimum at once; on the national sample a year given 2-8 s ended without one).
"""

from __future__ import annotations

import dataclasses

import pytest

from optimizer.design.multiyear import MultiYearOptions, build_multiyear_model
from optimizer.design.multiyear_bound import (
    _charges,
    _npv_bound,
    _relaxed_year,
    _year_options,
    dominance_margin,
    year_bounds,
)
from optimizer.design.plan import PlanStatus
from optimizer.design.solve import solve
from optimizer.model import CollectionPoint, Network, Supply
from tests.optimizer.design.test_multiyear import one_center


def _relaxed(network: Network) -> list[Network]:
    model = build_multiyear_model(network)
    charges = _charges(model)
    assert charges is not None
    return [_relaxed_year(model, period, charges) for period in model.inputs]


def test_the_relaxed_years_have_the_hand_computed_fixed_costs() -> None:
    first, second = _relaxed(one_center())
    assert first.sites[0].modules[0].fixed_cost_cny_per_year == pytest.approx(50_000.0)
    assert second.sites[0].modules[0].fixed_cost_cny_per_year == pytest.approx(70_000.0)


def test_a_year_without_its_own_bound_gets_the_dominating_years_bound_plus_the_fixed_cost_margin() -> None:
    nets = _relaxed(one_center())
    options = _year_options(MultiYearOptions(), 30.0, 1e-9)
    plans = [solve(net, options, validated=True) for net in nets]
    assert [p.status for p in plans] == [PlanStatus.OPTIMAL, PlanStatus.OPTIMAL]
    assert plans[0].objective == pytest.approx(0.0, abs=1e-6)
    assert plans[1].objective == pytest.approx(38_000.0)
    # both proven: each year keeps its own bound (the borrowed 58,000 is looser than 2025's own 0)
    assert year_bounds(nets, plans) == [pytest.approx(0.0, abs=1e-6), pytest.approx(38_000.0)]
    # 2025's solve "ended without a bound": 2026's bound + the 20,000 margin stands in for it
    stopped = dataclasses.replace(plans[0], status=PlanStatus.FEASIBLE, best_bound=None, gap=None)
    bounds = year_bounds(nets, [stopped, plans[1]])
    assert bounds == [pytest.approx(58_000.0), pytest.approx(38_000.0)]
    assert _npv_bound([1.0, 1.0], bounds) == pytest.approx(96_000.0)
    # the later year has no dominating year: without its own bound there is no NPV bound at all
    lost = dataclasses.replace(plans[1], status=PlanStatus.FEASIBLE, best_bound=None, gap=None)
    bounds = year_bounds(nets, [plans[0], lost])
    assert bounds[1] is None and _npv_bound([1.0, 1.0], bounds) is None


def test_dominance_margin_is_the_largest_fixed_cost_rise_and_only_one_way() -> None:
    first, second = _relaxed(one_center())
    assert dominance_margin(second, first) == pytest.approx(20_000.0)
    assert dominance_margin(first, second) is None  # 300 t is more than 100 t
    assert dominance_margin(first, first) == pytest.approx(0.0)


def _with_point(network: Network, point: CollectionPoint) -> Network:
    return network.replace(collection_points=(point,))


def test_no_dominance_when_prices_a_target_or_the_network_differ() -> None:
    first, second = _relaxed(one_center())
    point = second.collection_points[0]
    dearer = _with_point(second, dataclasses.replace(point, supplies=(Supply("A", 300.0, 120.0),)))
    assert dominance_margin(dearer, first) is None  # the same scrap at another purchase price
    target = second.replace(parameters=dataclasses.replace(second.parameters, target_utilization=0.5))
    assert dominance_margin(target, first) is None  # more supply would ask for more copper
    price = second.replace(parameters=dataclasses.replace(second.parameters, copper_price_cny_per_t=2_000.0))
    assert dominance_margin(price, first) is None
    moved = _with_point(second, dataclasses.replace(point, lat=point.lat + 0.1))
    assert dominance_margin(moved, first) is None
    no_site = second.replace(sites=())
    assert dominance_margin(no_site, first) is None  # 2025's plan could open a site 2026 lacks
    trucks = dataclasses.replace(second.parameters, collection_cost_model="trucks")
    assert dominance_margin(second.replace(parameters=trucks), first.replace(parameters=trucks)) is None
