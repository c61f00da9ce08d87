"""The map driven with real mouse events: what a planner clicks is what gets selected.

Earlier tests called ``MapView.clicked`` directly, which skipped the scatter items that sit between the
mouse and the view box; a real click on a node went to the scatter item and selected nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from app.main_window import MainWindow
from tests.app.helpers import one_year, open_in, wait_idle


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


def test_orientation_layer_under_the_network_can_be_switched_off_and_replaced(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    map_view = window.map_view
    window.show_view("map")
    qtbot.waitExposed(window)
    assert map_view.geography is not None and map_view.geography.points > 10_000
    assert len(map_view.geo_items) == 2 and all(i.zValue() < 0 for i in map_view.geo_items)
    assert map_view.geo_note.isVisible() and map_view.geo_note.text() == "For orientation, not a reviewed map"
    assert "DCW" in map_view.geo_note.toolTip() and "GSHHS" in map_view.geo_note.toolTip()
    qtbot.mouseClick(map_view.show_geo, Qt.MouseButton.LeftButton)
    assert map_view.geo_items == [] and not map_view.geo_note.isVisible()

    own = tmp_path / "reviewed.geojson"
    own.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {
        "type": "Polygon", "coordinates": [[[119, 29], [121, 29], [121, 31], [119, 29]]]}}]}))
    assert map_view.load_outline(own)
    assert map_view.show_geo.isChecked() and len(map_view.geo_items) == 1
    assert map_view.geo_note.text() == "Outline: reviewed.geojson"
    assert map_view.load_outline(None) and len(map_view.geo_items) == 2


def test_fit_leaves_a_margin_and_the_legend_is_beside_the_plot(qtbot: QtBot, window: MainWindow) -> None:
    map_view = window.map_view
    window.show_view("map")
    qtbot.waitExposed(window)
    qtbot.mouseClick(map_view.fit_button, Qt.MouseButton.LeftButton)
    (x0, x1), (y0, y1) = map_view.view_box.viewRange()
    lons = [n.lon for n in window.doc.network.nodes()]
    lats = [n.lat for n in window.doc.network.nodes()]
    assert x0 < min(lons) - 0.04 * (max(lons) - min(lons)) and x1 > max(lons) + 0.1 * (max(lons) - min(lons))
    assert y0 < min(lats) and y1 > max(lats)
    plot_box = map_view.plot.geometry()
    assert not plot_box.intersects(map_view.legend.geometry()), "the legend never covers the map"
    assert "Smelter" in map_view.legend.texts()
    qtbot.mouseClick(map_view.legend_button, Qt.MouseButton.LeftButton)
    assert not map_view.legend.isVisible()


def test_flows_have_arrows_width_legend_filters_and_tooltips(
    qtbot: QtBot, window: MainWindow, sample_dir: Path
) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    one_year(window)
    assert window.solve_panel.solve()
    wait_idle(window)
    map_view = window.map_view
    plan = window.doc.plan
    assert plan is not None and plan.has_solution
    assert map_view.flow_items and map_view.flow_arrows
    legend = map_view.legend.texts()
    assert "Line width: t/yr" in legend and any(" to " in t for t in legend)
    grades = {f.grade_id for f in plan.flows}
    assert map_view.grade_filter.count() == len(grades) + 1
    all_segments = sum(len(i.xData) for i in map_view.flow_items)
    map_view.grade_filter.setCurrentIndex(1)
    some = sum(len(i.xData) for i in map_view.flow_items)
    assert 0 < some < all_segments
    map_view.grade_filter.setCurrentIndex(0)
    map_view.echelon_filter.setCurrentIndex(map_view.echelon_filter.findData("delivery"))
    delivery = [f for f in plan.flows if str(f.echelon) == "delivery" and f.t > 1e-6]
    assert sum(len(i.xData) for i in map_view.flow_items) == 2 * len(delivery)
    site = plan.sites[0]
    assert f"{site.throughput_t:,.0f}" in map_view._tip(0, 0, site.site_id)
    smelter = next(m for m in plan.smelters if m.intake_t > 0)
    assert "Intake" in map_view._tip(0, 0, smelter.smelter_id)
