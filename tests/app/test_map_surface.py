"""The map as a working surface, driven like a planner drives it: city names that come with zoom (in the
UI's language), sites coloured by build year, flows that answer hover and click, and a solve's first plan
drawn before the solve ends.

The multi-year network is worked out by hand: every tonne through a center earns 360 CNY (revenue
500 - purchase 100 - transport 30 - processing 10, as in ``tests/optimizer/design/test_multiyear.py``),
a center costs 50,000 CNY a year to run and 20,000 to build. Yard P1 sells 200 t in 2025 (72,000 of
margin: S1 pays from the first year); yard P2 100 t (36,000: S2 pays only once supply triples in 2026).
So S1 is built in 2025 and S2 in 2026.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QFontMetrics
from pytestqt.qtbot import QtBot

from app.document import NetworkDocument
from app.i18n import set_language
from app.jobs import Job
from app.views.map_colours import YEAR_RAMP
from app.views.map_view import MapView
from optimizer import IncumbentPlan, ProgressEvent
from optimizer.design.multiyear_solve import solve_multiyear
from optimizer.design.plan import PlanStatus
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    DistanceOverride,
    Grade,
    Network,
    Parameters,
    Period,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    YieldEntry,
)
from optimizer.progress import IncumbentFlow


def two_centers() -> Network:
    grades = (Grade("A", "grade A", "A级", 0.5),)
    points = (
        CollectionPoint("P1", "Wuhan yard", 30.6, 114.3, "Hubei", (Supply("A", 200.0, 100.0),)),
        CollectionPoint("P2", "Changsha yard", 28.2, 112.9, "Hunan", (Supply("A", 100.0, 100.0),)),
    )
    module = CapacityModule("M", 1_000.0, 9_000.0, 20_000.0, 0, 50_000.0, 20.0, 12)

    def center(site_id: str, name: str, lat: float, lon: float, province: str) -> ProcessingSite:
        return ProcessingSite(
            site_id,
            name,
            SiteKind.SORTING,
            lat,
            lon,
            province,
            SiteStatus.CANDIDATE,
            (module,),
            10.0,
            0.0,
            (YieldEntry("A", "A", 1.0),),
        )

    sites = (
        center("S1", "Wuhan center", 30.9, 114.0, "Hubei"),
        center("S2", "Changsha center", 28.5, 112.6, "Hunan"),
    )
    smelters = (Smelter("M1", "Daye smelter", 30.1, 115.0, "Hubei", 5_000.0, ("A",), 0.0),)
    distances = (
        DistanceOverride("P1", "S1", 10.0),
        DistanceOverride("P2", "S2", 10.0),
        DistanceOverride("S1", "M1", 20.0),
        DistanceOverride("S2", "M1", 20.0),
        DistanceOverride("P1", "S2", 400.0),
        DistanceOverride("P2", "S1", 400.0),
        DistanceOverride("P1", "M1", 400.0),
        DistanceOverride("P2", "M1", 400.0),
    )
    params = Parameters(
        copper_price_cny_per_t=1_000.0,
        transport_cost_cny_per_t_km=1.0,
        co2_kg_per_t_km=0.0,
        max_haul_km_collection=50.0,
        discount_rate=0.0,
        vat_method="none",
        income_tax_rate=0.0,
        residual_value="none",
    )
    periods = (Period(2025, 1, 1.0), Period(2026, 1, 3.0))
    return Network("two centers", grades, points, sites, smelters, (), params, distances, periods)


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def map_view(qtbot: QtBot, english: None) -> MapView:
    doc = NetworkDocument(two_centers())
    view = MapView(doc)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    return view


def solved(view: MapView) -> None:
    network = view.doc.network
    plan = solve_multiyear(network)
    assert plan.status is PlanStatus.OPTIMAL, plan.message
    assert [(b.site_id, b.year) for b in plan.builds] == [("S1", 2025), ("S2", 2026)]
    view.doc.set_plan(plan, network)
    view.redraw_plan()  # the map draws a new plan in the next turn of the event loop; draw it now


def to_viewport(view: MapView, lon: float, lat: float) -> QPoint:
    return view.plot.mapFromScene(view.view_box.mapViewToScene(QPointF(lon, lat)))


def zoom_to(view: MapView, x: tuple[float, float], y: tuple[float, float]) -> list[str]:
    view.view_box.setRange(xRange=x, yRange=y, padding=0)
    view.update_labels()
    return [text for _lon, _lat, text in view.city_labels.labels]


def test_city_names_come_with_zoom_without_overlap(map_view: MapView) -> None:
    country = zoom_to(map_view, (73, 135), (18, 54))
    assert {"Beijing", "Shanghai", "Guangzhou", "Harbin"} <= set(country)
    assert "Xianning" not in country  # a small prefecture: named only closer in
    assert len(country) <= 40
    region = zoom_to(map_view, (112.5, 116.5), (28.8, 31.8))
    assert "Xianning" in region and "Ezhou" in region  # the smallest rank, named at this zoom
    # no two city names (nor a city name and a node's own label) overlap on screen
    metrics = QFontMetrics(map_view._city_font)
    (x0, _x1), (_y0, y1) = map_view.view_box.viewRange()
    px, py = map_view.view_box.viewPixelSize()
    boxes = []
    for lon, lat, text in map_view.city_labels.labels:
        cx, cy = (lon - x0) / px, (y1 - lat) / py
        boxes.append((cx + 5, cy - metrics.height(), cx + 5 + metrics.horizontalAdvance(text), cy - 2))
    for i, a in enumerate(boxes):
        for b in [*boxes[i + 1 :], *map_view._node_boxes]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    map_view.show_geo.click()  # the orientation layer off: no city names either
    map_view.update_labels()
    assert map_view.city_labels.labels == []


def test_city_names_in_the_chinese_ui(map_view: MapView) -> None:
    set_language("zh")
    names = zoom_to(map_view, (73, 135), (18, 54))
    assert {"北京", "上海", "广州"} <= set(names)
    assert not any(name.isascii() for name in names)


def test_colour_by_build_year_and_the_year_selector(qtbot: QtBot, map_view: MapView) -> None:
    solved(map_view)
    assert map_view.year_filter.isVisible()
    assert [map_view.year_filter.itemText(i) for i in range(map_view.year_filter.count())] == ["2025", "2026"]
    assert map_view.year_filter.currentData() == 2026  # the last year, like the plan's own flows
    map_view.colour_by.setCurrentIndex(map_view.colour_by.findData("build_year"))
    legend = map_view.legend.texts()
    assert "Build year" in legend and "2025" in legend and "2026" in legend
    sorting = {p.data(): p.brush().color().name() for p in map_view.layers["sorting"].points()}
    assert sorting["S1"] == QColor(YEAR_RAMP[0]).name() and sorting["S2"] == QColor(YEAR_RAMP[-1]).name()
    # 2025: only S1 runs, so only P1's flows are drawn
    map_view.year_filter.setCurrentIndex(0)
    assert {(f.from_id, f.to_id) for f in map_view.flow_index.flows} == {("P1", "S1"), ("S1", "M1")}
    assert map_view.doc.selected_year == 2025  # the map's choice is the document's: Results follows
    map_view.year_filter.setCurrentIndex(1)
    assert {f.from_id for f in map_view.flow_index.flows} == {"P1", "P2", "S1", "S2"}
    map_view.doc.set_selected_year(2025)  # and the map follows the Results view's year selector
    assert map_view.year_filter.currentData() == 2025 and len(map_view.flow_index.flows) == 2
    map_view.doc.set_selected_year(2026)
    # utilization: both centers far below their 1,000 t capacity in 2026 (600 t and 300 t)
    map_view.colour_by.setCurrentIndex(map_view.colour_by.findData("utilization"))
    assert "0 to 50 % of capacity" in map_view.legend.texts()


def test_hovering_a_flow_says_what_it_carries_and_a_click_selects_it(qtbot: QtBot, map_view: MapView) -> None:
    solved(map_view)
    map_view.fit()
    network = map_view.doc.network
    s2, m1 = network.node("S2"), network.node("M1")
    middle = to_viewport(map_view, (s2.lon + m1.lon) / 2, (s2.lat + m1.lat) / 2)
    viewport = map_view.plot.viewport()
    qtbot.mouseMove(viewport, middle)
    qtbot.waitUntil(lambda: "Changsha center → Daye smelter" in map_view.hover_text, timeout=2000)
    # 2026: 300 t through S2 (supply 100 x 3), 150 t Cu, 20 km at 1 CNY/t-km
    assert "300 t/yr" in map_view.hover_text and "150 t Cu/yr" in map_view.hover_text
    assert "20 km" in map_view.hover_text and "Delivery" in map_view.hover_text
    assert "Priced as: truck at the t-km rate" in map_view.hover_text  # the transport mode, in words
    assert "Provisional" not in map_view.hover_text
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=middle)
    selected = map_view.selected_flow
    assert selected is not None and (selected.from_id, selected.to_id) == ("S2", "M1")
    assert map_view.flow_highlight.isVisible() and len(map_view.flow_highlight.xData) == 2
    assert map_view.inspector.isVisible() and "Daye smelter" in map_view.inspector.text()
    assert "20.0 CNY/t" in map_view.inspector.text()
    # away from every line and node: the tooltip goes, a click clears the flow
    corner = to_viewport(
        map_view,
        *[v + 0.02 for v in (map_view.view_box.viewRange()[0][0], map_view.view_box.viewRange()[1][0])],
    )
    qtbot.mouseMove(viewport, corner)
    qtbot.waitUntil(lambda: map_view.hover_text == "", timeout=2000)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=corner)
    assert map_view.selected_flow is None and not map_view.inspector.isVisible()
    assert not map_view.flow_highlight.isVisible()


def _hover_provisional(qtbot: QtBot, map_view: MapView, flow: IncumbentFlow) -> str:
    """Draw a running solve's first plan of ``flow`` alone and hover the middle of its line."""
    from app.jobs import ProgressUpdate

    plan = IncumbentPlan(1.0, (("S2", "M"),), (flow,))
    event = ProgressEvent("solving", 0.1, incumbent=1.0, incumbent_plan=plan)
    map_view.job_finished("solve")  # a previous first plan goes
    map_view.show_progress(ProgressUpdate("solve", event, (), 1.0))
    assert map_view.provisional is plan
    map_view.fit()
    x0, y0, x1, y1 = map_view.flow_index.segments[0]
    viewport = map_view.plot.viewport()
    qtbot.mouseMove(viewport, to_viewport(map_view, x0 - 0.3, y0 + 0.3))  # off the line first
    qtbot.wait(50)
    qtbot.mouseMove(viewport, to_viewport(map_view, (x0 + x1) / 2, (y0 + y1) / 2))
    qtbot.waitUntil(lambda: "→" in map_view.hover_text, timeout=2000)
    return map_view.hover_text


def test_hovering_a_provisional_flow_says_what_a_final_one_does_or_what_is_not_known_yet(
    qtbot: QtBot, map_view: MapView
) -> None:
    # what the first-plan heuristic knows: 300 t, 150 t Cu, 20 km, 6,000 CNY, at the t-km rate
    known = IncumbentFlow("S2", "M1", "A", "delivery", 300.0, 150.0, 20.0, 6_000.0, "linear")
    text = _hover_provisional(qtbot, map_view, known)
    assert "300 t/yr" in text and "150 t Cu/yr" in text and "20 km" in text
    assert "20.0 CNY/t transport" in text and "Priced as: truck at the t-km rate" in text
    assert "Provisional: the solver may still change this flow" in text and "Not known" not in text
    # a job that knows only the tonnes: the tooltip says, in words, what it cannot tell yet
    text = _hover_provisional(qtbot, map_view, IncumbentFlow("S2", "M1", "A", "delivery", 300.0))
    assert "Not known yet: copper, transport cost, distance, how it is priced" in text
    set_language("zh")
    try:
        text = _hover_provisional(qtbot, map_view, known)
        assert "计价方式：卡车，按吨公里费率" in text and "临时方案" in text
        text = _hover_provisional(qtbot, map_view, IncumbentFlow("S2", "M1", "A", "delivery", 300.0))
        assert "尚不知道：铜量、运输成本、距离、计价方式" in text
    finally:
        set_language("en")


def test_a_solves_first_plan_is_drawn_at_once_and_replaced_by_the_final_plan(
    qtbot: QtBot, window: Any
) -> None:
    """A solve job on the real job runner reports a first plan, then waits; the map draws it, marked
    provisional, while the job runs; the job's final plan replaces it."""
    network = two_centers()
    window.doc.load(network)
    view = window.map_view
    view.redraw()
    first = IncumbentPlan(
        1.0,
        (("S2", "M"),),
        (
            IncumbentFlow("P2", "S2", "A", "collection", 100.0),
            IncumbentFlow("S2", "M1", "A", "delivery", 100.0),
        ),
    )
    release = threading.Event()

    def work(progress: Any, cancel: Any) -> None:
        progress(ProgressEvent("solving", 0.1, "first plan", incumbent=1.0, incumbent_plan=first))
        release.wait(30)

    final = solve_multiyear(network)
    done: list[bool] = []

    def on_done(_result: Any) -> None:
        window.doc.set_plan(final, network)
        done.append(True)

    assert window.runner.submit(Job("solve", work, on_done))
    qtbot.waitUntil(lambda: view.provisional is first, timeout=5000)
    assert {(f.from_id, f.to_id) for f in view.flow_index.flows} == {("P2", "S2"), ("S2", "M1")}
    assert view.provisional_label.text().startswith("Provisional")
    assert view.flow_items[0].opts["pen"].style() == Qt.PenStyle.CustomDashLine  # dashed
    opened = {p.data(): p.size() for p in view.layers["sorting"].points()}
    assert opened["S2"] > opened["S1"]  # the provisional plan's site drawn open
    release.set()
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    qtbot.waitUntil(lambda: view.provisional is None and len(view.flow_index.flows) == 4, timeout=5000)
    assert view.provisional_label.text() == ""
    assert view.flow_items[0].opts["pen"].style() == Qt.PenStyle.SolidLine


def test_a_solve_that_ends_without_a_plan_leaves_no_provisional_drawing(qtbot: QtBot, window: Any) -> None:
    window.doc.load(two_centers())
    view = window.map_view
    first = IncumbentPlan(1.0, (("S1", "M"),), (IncumbentFlow("P1", "S1", "A", "collection", 50.0),))

    def work(progress: Any, cancel: Any) -> None:
        progress(ProgressEvent("solving", 0.1, incumbent=1.0, incumbent_plan=first))
        raise RuntimeError("the solver failed")

    window.runner.submit(Job("solve", work, None, lambda *_: None))
    assert window.runner.wait_idle(10)
    qtbot.waitUntil(lambda: view.provisional is None, timeout=5000)
    assert view.flow_index.flows == []


def test_no_node_name_runs_off_the_plot(map_view: MapView) -> None:
    """A name that would leave the plot on the right is written left of its node (issue: "Harbin
    dismantling s..." cut at the edge)."""
    map_view.view_box.setRange(xRange=(112.0, 115.2), yRange=(28.0, 31.2), padding=0)
    for _ in range(2):  # the aspect lock widens the view: move it so the smelter is near the right edge
        (x0, x1), (y0, y1) = map_view.view_box.viewRange()
        map_view.view_box.setRange(xRange=(115.2 - (x1 - x0), 115.2), yRange=(y0, y1), padding=0)
    map_view.update_labels()
    layer = map_view.label_layer
    assert "Daye smelter" in [t for *_, t in layer.labels], map_view.view_box.viewRange()
    (x0, x1), (_y0, _y1) = map_view.view_box.viewRange()
    px, _py = map_view.view_box.viewPixelSize()
    metrics = QFontMetrics(map_view._label_font)
    for k, (lon, _lat, text) in enumerate(layer.labels):
        cx = (lon - x0) / px
        left, right = (
            (cx - 5 - metrics.horizontalAdvance(text), cx)
            if k in layer.flipped
            else (cx, cx + 5 + metrics.horizontalAdvance(text))
        )
        assert left >= 0 and right <= (x1 - x0) / px, text
    daye = next(k for k, (*_, t) in enumerate(layer.labels) if t == "Daye smelter")
    assert daye in layer.flipped  # 0.2 degrees from the right edge: written to its left


def test_the_about_dialog_says_where_the_city_names_come_from(qtbot: QtBot, english: None) -> None:
    from app.views.about_dialog import AboutDialog
    from optimizer import licenses_text

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert "City names" in dialog.map_data.text() and "DCW-GMT" in dialog.map_data.text()
    assert "sample_networks/data/cities.csv" in licenses_text()
    set_language("zh")
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert "城市名称" in dialog.map_data.text()


def test_better_first_plans_are_drawn_at_most_every_few_seconds(qtbot: QtBot, map_view: MapView) -> None:
    """The first plan is drawn at once; improvements wait for the redraw interval (the latest wins), and
    one still waiting when the final plan arrives is never drawn."""
    from app.jobs import ProgressUpdate

    def update(objective: float, site: str) -> ProgressUpdate:
        plan = IncumbentPlan(
            objective, ((site, "M"),), (IncumbentFlow("P1", site, "A", "collection", objective),)
        )
        event = ProgressEvent("solving", 0.1, incumbent=objective, incumbent_plan=plan)
        return ProgressUpdate("solve", event, (), 1.0)

    map_view._provisional_timer.setInterval(300)
    map_view.show_progress(update(10.0, "S1"))
    assert map_view.provisional is not None and map_view.provisional.objective == 10.0
    map_view.show_progress(update(20.0, "S1"))
    map_view.show_progress(update(30.0, "S1"))
    assert map_view.provisional.objective == 10.0  # not redrawn yet
    qtbot.waitUntil(lambda: map_view.provisional is not None and map_view.provisional.objective == 30.0)
    map_view.show_progress(update(40.0, "S1"))
    solved(map_view)  # the final plan arrives before the interval is over
    qtbot.wait(500)
    assert map_view.provisional is None
    assert len(map_view.flow_index.flows) == 4  # the final plan's 2026 flows, not the provisional one


def test_no_name_under_the_orientation_note(map_view: MapView) -> None:
    """The "for orientation" note sits in the plot's top-right corner: a name that would run under it is
    left out (at the 1366-pixel screenshot one ran under it, cut)."""
    for _ in range(2):  # the smelter just below the plot's top edge, left of its right edge
        (x0, x1), (y0, y1) = map_view.view_box.viewRange()
        map_view.view_box.setRange(
            xRange=(115.1 - (x1 - x0), 115.1), yRange=(30.12 - (y1 - y0), 30.12), padding=0
        )
    map_view.update_labels()
    [note] = map_view._note_boxes()
    (x0, _x1), (_y0, y1) = map_view.view_box.viewRange()
    px, py = map_view.view_box.viewPixelSize()
    daye = map_view.doc.network.node("M1")
    cx, cy = (daye.lon - x0) / px, (y1 - daye.lat) / py
    assert note[0] < cx < note[2] and cy - 14 < note[3], "the smelter's name would run under the note"
    assert "Daye smelter" not in [t for *_, t in map_view.label_layer.labels]
    assert "Changsha center" in [t for *_, t in map_view.label_layer.labels]


def test_a_name_at_the_top_edge_goes_below_its_node(map_view: MapView) -> None:
    for _ in range(2):  # the smelter just below the plot's top edge, near its left edge
        (x0, x1), (y0, y1) = map_view.view_box.viewRange()
        map_view.view_box.setRange(
            xRange=(114.9, 114.9 + (x1 - x0)), yRange=(30.12 - (y1 - y0), 30.12), padding=0
        )
    map_view.update_labels()
    layer = map_view.label_layer
    daye = next(k for k, (*_, t) in enumerate(layer.labels) if t == "Daye smelter")
    assert daye in layer.lowered and daye not in layer.flipped
