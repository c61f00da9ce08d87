"""The Solve panel's box (best plan, bound, gap) ends with the plan the solve returned, also when the
Scenarios view solved the checked scenarios one after the other; the Investment tab says net CO2 the
way a planner reads it (avoided, net of what the plan emits, positive when the plan avoids more)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.main_window import MainWindow
from app.views.solve_panel import fmt_gap, fmt_number
from tests.app.helpers import one_year, open_in, solve_checked_by_clicks


def test_after_solving_checked_scenarios_the_box_shows_the_last_plans_figures(
    qtbot: QtBot, window: MainWindow, sample_dir: Path
) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    one_year(window)
    panel = window.solve_panel
    solve_checked_by_clicks(qtbot, window)
    base, high = window.doc.scenarios
    assert base.plan is not None and high.plan is not None
    assert base.plan.objective != high.plan.objective
    last = high.plan  # solved second
    assert last.objective is not None and last.best_bound is not None and last.gap is not None
    assert panel.values["incumbent"].text() == fmt_number(last.objective)
    assert panel.values["bound"].text() == fmt_number(last.best_bound)
    assert panel.values["gap"].text() == fmt_gap(last.gap)
    # the panel ended its job once, after the last scenario: Solve may be pressed again
    assert panel.solve_button.isEnabled() and not panel.cancel_button.isEnabled()


def test_the_investment_tab_says_net_co2_avoided_positive_in_english_and_chinese(
    qtbot: QtBot, window: MainWindow, sample_dir: Path
) -> None:
    import dataclasses

    from app import i18n
    from app.views.investment import COLUMNS
    from app.views.numbers import tonnes
    from optimizer import load_network

    network = load_network(sample_dir / "teaching.xlsx").network
    assert network is not None
    window.doc.load(dataclasses.replace(network, periods=network.periods[:2]))
    panel = window.solve_panel
    panel.time_limit.setValue(20)
    assert panel.multi_year()
    qtbot.mouseClick(panel.solve_button, Qt.MouseButton.LeftButton)
    assert window.runner.wait_idle(120)
    plan = window.doc.plan
    assert plan is not None and plan.periods
    emitted = sum(p.co2_emitted_t for p in plan.periods)
    avoided = sum(p.co2_avoided_t for p in plan.periods)
    assert avoided > emitted > 0, "recycling copper avoids more CO2 than hauling and processing emit"
    window.show_view("investment")
    view = window.investment_view
    card = view.cards["co2"]
    assert card.value.text() == tonnes(avoided)
    net = tonnes(avoided - emitted)
    assert card.detail.text() == f"net of the plan's own emissions: {net} avoided"
    assert "-" not in card.detail.text()
    column = COLUMNS.index("co2_avoided_net")
    header = view.table.horizontalHeaderItem(column)
    assert header is not None and header.text() == "CO2 avoided, net"
    cells = [view.table.item(r, column).text() for r in range(view.table.rowCount())]
    assert cells == [tonnes(p.co2_avoided_t - p.co2_emitted_t) for p in plan.periods]
    assert all(not c.startswith("-") for c in cells if c != tonnes(0.0))
    i18n.set_language("zh")
    try:
        qtbot.wait(50)
        assert card.detail.text() == f"扣除方案自身排放后净避免 {net}"
        header = view.table.horizontalHeaderItem(column)
        assert header is not None and header.text() == "净避免的 CO2"
    finally:
        i18n.set_language("en")
