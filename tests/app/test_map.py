"""The map driven with real mouse events: what a planner clicks is what gets selected.

Earlier tests called ``MapView.clicked`` directly, which skipped the scatter items that sit between the
mouse and the view box; a real click on a node went to the scatter item and selected nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from app.main_window import MainWindow


def viewport_point(window: MainWindow, lon: float, lat: float) -> QPoint:
    """Where the map point (lon, lat) is on the plot's viewport, in viewport pixels."""
    view_box = window.map_view.view_box
    scene = view_box.mapViewToScene(QPointF(lon, lat))
    return window.map_view.plot.mapFromScene(scene)


def click_node(qtbot: QtBot, window: MainWindow, node_id: str, modifier: Any = None) -> None:
    node = window.doc.network.node(node_id)
    qtbot.mouseClick(
        window.map_view.plot.viewport(),
        Qt.MouseButton.LeftButton,
        modifier or Qt.KeyboardModifier.NoModifier,
        viewport_point(window, node.lon, node.lat),
    )


def test_clicking_a_node_selects_it_and_its_table_row(qtbot: QtBot, window: MainWindow) -> None:
    window.show_view("map")
    qtbot.waitExposed(window)
    points = window.doc.network.collection_points
    click_node(qtbot, window, points[1].id)
    assert window.doc.selection == [points[1].id]
    assert len(window.map_view.selection_item.data) == 1
    view = window.tables_view.views["collection_points"]
    assert window.tables_view.current_key() == "collection_points"
    assert view.currentIndex().row() == 1

    smelter = window.doc.network.smelters[0]
    click_node(qtbot, window, smelter.id)
    assert window.doc.selection == [smelter.id]
    assert window.tables_view.current_key() == "smelters"

    click_node(qtbot, window, points[0].id, Qt.KeyboardModifier.ControlModifier)
    assert window.doc.selection == [smelter.id, points[0].id]


def test_clicking_empty_map_clears_the_selection(qtbot: QtBot, window: MainWindow) -> None:
    window.show_view("map")
    qtbot.waitExposed(window)
    point = window.doc.network.collection_points[0]
    click_node(qtbot, window, point.id)
    assert window.doc.selection == [point.id]
    (x0, x1), (y0, y1) = window.map_view.view_box.viewRange()
    corner = viewport_point(window, x0 + 0.01 * (x1 - x0), y0 + 0.01 * (y1 - y0))
    qtbot.mouseClick(window.map_view.plot.viewport(), Qt.MouseButton.LeftButton, pos=corner)
    assert window.doc.selection == []
