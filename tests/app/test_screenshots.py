"""Pictures of the main views after a solve, saved under test-artifacts/ for people to look at.

Each picture must show something: a blank or single-colour grab means a view failed to draw.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from app import i18n
from app.main_window import MainWindow
from tests.app.conftest import ARTIFACTS
from tests.app.helpers import distinct_colours, solve_and_route


def _shot(qtbot: Any, window: MainWindow, view: str, name: str) -> Path:
    window.show_view(view)
    qtbot.wait(400)  # let layouts and the map's label timer settle
    path = ARTIFACTS / name
    window.grab().save(str(path), "PNG")
    return path


def test_screenshots_of_the_main_views(qtbot: Any, window: MainWindow, sample_dir: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    window.resize(1500, 920)
    solve_and_route(window, sample_dir / "teaching.xlsx")
    assert window.doc.current.route_plan is not None and window.doc.current.route_plan.routes

    shots = [
        _shot(qtbot, window, "map", "gui-map-flows.png"),
        _shot(qtbot, window, "results", "gui-results.png"),
        _shot(qtbot, window, "routes", "gui-routes.png"),
        _shot(qtbot, window, "tables", "gui-tables.png"),
    ]

    view = window.scenarios_view
    view.duplicate()
    window.doc.set_parameter("copper_price_cny_per_t", 60_000.0)
    view.solve_checked()
    deadline = time.monotonic() + 300
    while any(s.plan is None for s in window.doc.scenarios) and time.monotonic() < deadline:
        window.runner.wait_idle(0.1)
    shots.append(_shot(qtbot, window, "scenarios", "gui-scenarios-compare.png"))

    plan = window.doc.plan
    assert plan is not None and plan.sites
    window.doc.select([plan.sites[0].site_id], "tables")  # opens the inspector beside the map
    shots.append(_shot(qtbot, window, "map", "gui-map-inspector.png"))
    assert window.map_view.inspector.isVisible()

    window.set_language("zh")
    try:
        shots.append(_shot(qtbot, window, "results", "gui-results-zh.png"))
        shots.append(_shot(qtbot, window, "map", "gui-map-zh.png"))
    finally:
        window.set_language("en")

    for path in shots:
        assert path.exists() and path.stat().st_size > 10_000, path
        assert distinct_colours(path) > 30, f"{path.name} looks blank"
    assert i18n.language() == "en"
