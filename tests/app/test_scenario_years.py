"""Solving checked scenarios plans each over its years, as the Solve button does, and the comparison
shows what each returns over the horizon (NPV, IRR, payback, capex, builds with their first years).

The network is the teaching sample cut to its first two periods (2025-2026), which HiGHS plans in about
a second: with the copper price at 75,000 CNY/t Cu it builds D-LQ for 2025 and S-LQ for 2026; a copy at
90,000 CNY/t Cu earns more on every tonne of copper (the yards' buy-back prices follow the copper price
by a coefficient below 1), so its NPV is higher.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.main_window import MainWindow
from optimizer import load_network
from tests.app.helpers import one_year, solve_checked_by_clicks


def _load_two_years(window: MainWindow, sample_dir: Path) -> None:
    network = load_network(sample_dir / "teaching.xlsx").network
    window.doc.load(dataclasses.replace(network, periods=network.periods[:2]))
    window.solve_panel.time_limit.setValue(20)


def _rows(window: MainWindow) -> dict[str, list[str]]:
    table = window.scenarios_view.table
    return {
        table.verticalHeaderItem(r).text(): [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    }


def test_checked_scenarios_are_planned_over_their_years_and_compared_by_npv(
    qtbot: QtBot, window: MainWindow, sample_dir: Path
) -> None:
    _load_two_years(window, sample_dir)
    assert window.solve_panel.multi_year(), "Solve plans all years by default"
    solve_checked_by_clicks(qtbot, window)
    base, high = window.doc.scenarios
    assert base.plan is not None and high.plan is not None
    assert [p.year for p in base.plan.periods] == [2025, 2026] == [p.year for p in high.plan.periods]
    assert base.plan.npv_cny is not None and high.plan.npv_cny is not None
    assert high.plan.npv_cny > base.plan.npv_cny, "a higher copper price returns more"
    rows = _rows(window)
    assert rows["Plan"] == ["Optimal", "Optimal"]
    npv = rows["NPV, all years"]
    assert all(text not in ("", "–") for text in npv) and npv[0] != npv[1]
    assert rows["Builds (site, first year)"] == ["D-LQ 2025, S-LQ 2026"] * 2
    assert all(text.endswith("(2026)") for text in rows["Copper utilization"]), "the last year, said"
    for key in ("IRR", "Payback", "Capex, all years"):
        assert key in rows
    assert "NPV, all years" in window.scenarios_view.money_chart.getPlotItem().titleLabel.text


def test_one_year_chosen_keeps_the_one_year_comparison(
    qtbot: QtBot, window: MainWindow, sample_dir: Path
) -> None:
    _load_two_years(window, sample_dir)
    one_year(window)  # the Years choice: 2025 alone
    solve_checked_by_clicks(qtbot, window)
    plans = [s.plan for s in window.doc.scenarios]
    assert all(p is not None and not p.year_plans for p in plans)
    rows = _rows(window)
    assert "NPV, all years" not in rows
    profit = rows["Profit per year"]
    assert profit[0] != profit[1] and not profit[0].endswith(")")
