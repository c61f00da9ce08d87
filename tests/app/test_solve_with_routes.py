"""Solve with "Design and route in a loop" ticked: the app runs the design-routing loop in the
background, shows the plan, its week's routes and what the loop did, in English and in Chinese.

The network is the loop tests' two-site case (tests/optimizer/routing/test_loop.py): on the formula
yard Y goes to DS1, 2 km nearer; the routes show DS2's truck takes Y on the round it makes anyway, so
the loop moves Y to DS2.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import i18n
from app.main_window import MainWindow
from optimizer.design.plan import Echelon
from tests.app.helpers import wait_idle
from tests.optimizer.routing.test_loop import _two_sites


def test_the_app_designs_and_routes_in_a_loop(qtbot: QtBot, window: MainWindow) -> None:
    window.doc.load(_two_sites())
    panel = window.solve_panel
    panel.time_limit.setValue(20)
    window.routes_view.time_limit.setValue(1)  # the loop routes as the Routes tab does
    assert panel.with_routes.isEnabled()
    qtbot.mouseClick(panel.with_routes, Qt.MouseButton.LeftButton)
    assert panel.with_routes.isChecked()
    qtbot.mouseClick(panel.solve_button, Qt.MouseButton.LeftButton)
    wait_idle(window, 240)
    plan = window.doc.plan
    assert plan is not None and plan.has_solution
    to_y = {f.to_id for f in plan.flows if f.echelon is Echelon.COLLECTION and f.from_id == "Y"}
    assert to_y == {"DS2"}, "the routes moved Y to the site whose truck passes it anyway"
    routes = window.doc.current.route_plan
    assert routes is not None and not window.doc.current.routes_stale
    text = panel.result.text()
    assert "Design and routes:" in text and "% of visits served" in text
    i18n.set_language("zh")
    try:
        assert "设计与路线" in panel.with_routes.text()
    finally:
        i18n.set_language("en")


def test_the_loop_is_offered_for_one_year_only(qtbot: QtBot, window: MainWindow) -> None:
    """Over all years of a Periods sheet Solve plans the investment; the loop plans one year's week."""
    from tests.app.conftest import SAMPLES

    assert window.open_path(SAMPLES / "teaching.xlsx", ask=False)
    assert window.runner.wait_idle(120)
    panel = window.solve_panel
    assert panel.multi_year() and not panel.with_routes.isEnabled()
    panel.years.setCurrentIndex(1)
    assert panel.with_routes.isEnabled()
