"""Results beyond the happy path: an infeasible requirement explained, the trade-off chart, routes by day."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from app.main_window import MainWindow
from optimizer.design.options import Objective
from optimizer.design.plan import PlanStatus
from tests.app.helpers import open_in, solve_and_route, wait_idle


def test_an_unreachable_target_is_explained_in_plain_words(window: MainWindow, sample_dir: Path) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    net = window.doc.network
    # no candidate may open and the existing sites are closed: little copper can reach a smelter
    window.doc.apply(
        net.replace(parameters=dataclasses.replace(net.parameters, max_new_sites=0, annual_budget_cny=1.0)),
        "tighten",
    )
    panel = window.solve_panel
    # the minimum utilization set in the panel is a one-year requirement: plan the first year of the
    # Periods sheet (over all years each year's target comes from the sheet)
    panel.years.setCurrentIndex(1)
    assert panel.single_year() == window.doc.network.periods[0].year
    panel.objective.setCurrentIndex(panel.objective.findData(Objective.COST.value))
    panel.target_on.setChecked(True)
    panel.target.setValue(99.0)
    assert panel.solve()
    wait_idle(window)
    plan = window.doc.plan
    assert plan is not None and plan.status is PlanStatus.INFEASIBLE
    window.show_view("results")
    text = window.results_view.explanation.text()
    assert window.results_view.explanation.isVisible()
    assert "No plan can meet every requirement" in text
    assert plan.infeasibility and "required" in text


def test_trade_off_sweep_points_show_their_plans(window: MainWindow, sample_dir: Path) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    window.solve_panel.points.setValue(3)
    assert window.solve_panel.sweep()
    wait_idle(window)
    pareto = window.doc.current.pareto
    solved = [p for p in pareto if p.kpis is not None]
    assert len(solved) >= 2
    window.show_view("results")
    assert window.results_view.pareto.isVisible()
    assert len(window.results_view.pareto.points.data) == len(solved)
    window.results_view.show_pareto_plan(pareto.index(solved[0]))
    assert window.doc.plan is solved[0]
    assert not window.doc.current.plan_stale


def test_routes_table_and_map_day_filter(window: MainWindow, sample_dir: Path) -> None:
    solve_and_route(window, sample_dir / "teaching.xlsx")
    routes = window.doc.current.route_plan
    assert routes is not None and routes.routes
    window.show_view("routes")
    depots = window.routes_view.tree.topLevelItemCount()
    assert depots == len(routes.depot_totals())
    first_depot = window.routes_view.tree.topLevelItem(0)
    assert first_depot.childCount() >= 1  # days
    day_item = first_depot.child(0)
    assert day_item.childCount() >= 1 and day_item.child(0).childCount() >= 3  # truck, then its stops

    map_view = window.map_view
    all_days = sum(len(item.xData) for item in map_view.route_items)
    map_view.day_filter.setCurrentIndex(1)  # the first day
    one_day = sum(len(item.xData) for item in map_view.route_items)
    assert 0 < one_day < all_days
