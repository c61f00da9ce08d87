"""Click to inspect: a real click on a node opens the inspector with what the plan does there."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from app import i18n
from app.main_window import MainWindow
from tests.app.helpers import one_year, open_in, wait_idle
from tests.app.test_chinese_ui import english_left, network_names
from tests.app.test_map import click_node


def alone(window: MainWindow, ids: list[str]) -> str:
    """Of ``ids``, the node farthest from every other node (a click there hits it and nothing else)."""
    net = window.doc.network
    nodes = list(net.nodes())

    def room(node_id: str) -> float:
        me = net.node(node_id)
        return min((n.lat - me.lat) ** 2 + (n.lon - me.lon) ** 2 for n in nodes if n.id != node_id)

    return max(ids, key=room)


def test_inspector_shows_site_yard_and_smelter(qtbot: QtBot, window: MainWindow, sample_dir: Path) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    window.show_view("map")
    qtbot.waitExposed(window)
    inspector = window.map_view.inspector
    point = alone(window, [p.id for p in window.doc.network.collection_points])
    click_node(qtbot, window, point)
    assert inspector.isVisible()
    assert "Not solved yet" in inspector.text() and "Supply" in inspector.text()

    one_year(window)
    assert window.solve_panel.solve()
    wait_idle(window)
    plan = window.doc.plan
    assert plan is not None and plan.has_solution
    # sorting centers are drawn over dismantling sites in the same town: click one of those
    site_id = alone(window, [s.site_id for s in plan.sites if s.kind == "sorting"] or [plan.sites[0].site_id])
    site = next(s for s in plan.sites if s.site_id == site_id)
    window.show_view("map")
    qtbot.mouseClick(window.map_view.fit_button, Qt.MouseButton.LeftButton)
    click_node(qtbot, window, site.site_id)
    text = inspector.text()
    assert window.doc.selection == [site.site_id]
    assert f"{site.throughput_t:,.0f} t" in text and site.module_id in text
    assert "Flows in" in text and "Flows out" in text and "By grade" in text

    yard = alone(window, [a.point_id for a in plan.assignments if a.shares])
    assignment = next(a for a in plan.assignments if a.point_id == yard)
    click_node(qtbot, window, assignment.point_id)
    assert "Where the plan sends it" in inspector.text()
    share = max(assignment.shares, key=lambda s: s.t)
    assert f"{share.t:,.0f} t" in inspector.text()

    smelter_id = alone(window, [m.smelter_id for m in plan.smelters if m.intake_t > 0])
    intake = next(m for m in plan.smelters if m.smelter_id == smelter_id)
    click_node(qtbot, window, intake.smelter_id)
    text = inspector.text()
    assert f"{intake.intake_t:,.0f} t" in text and "Blended copper content" in text and "CNY/t Cu" in text

    i18n.set_language("zh")
    try:
        assert not english_left(inspector.text(), network_names(window) | {site.module_id})
        assert "混合铜含量" in inspector.text()
    finally:
        i18n.set_language("en")
    qtbot.mouseClick(inspector.close_button, Qt.MouseButton.LeftButton)
    assert not inspector.isVisible()


def test_a_click_on_a_site_bar_shows_the_site_on_the_map(
    qtbot: QtBot, window: MainWindow, sample_dir: Path
) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    one_year(window)
    assert window.solve_panel.solve()
    wait_idle(window)
    window.show_view("results")
    chart = window.results_view.site_chart
    qtbot.waitExposed(chart)
    qtbot.wait(50)
    first = window.results_view._site_bars[0]
    site = window.doc.plan.site(first) if window.doc.plan is not None else None
    assert site is not None
    scene = chart.getViewBox().mapViewToScene(QPointF(site.throughput_t / 2, 0))
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.mapFromScene(scene))
    assert window.doc.selection == [first]
    assert window.tabs.currentWidget() is window.map_view
    assert window.map_view.inspector.isVisible()
