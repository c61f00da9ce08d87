"""Small helpers for driving the real main window in tests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage


def open_in(window: Any, path: Path, **kw: Any) -> None:
    """Open ``path`` in ``window`` and wait until the worker has read it."""
    assert window.open_path(path, ask=False, **kw)
    assert window.runner.wait_idle(120)


def wait_idle(window: Any, timeout_s: float = 300) -> None:
    assert window.runner.wait_idle(timeout_s), "the background job did not finish"


def one_year(window: Any) -> None:
    """Have Solve plan one year of the Periods sheet (the first), as ``--single-year`` does.

    Solve plans every year of a network with periods by default; tests about the map, the tables or
    the scenarios need one year's plan, which takes a fraction of a second instead of 10-20 s.
    """
    years = window.solve_panel.years
    if years.count() > 1:
        years.setCurrentIndex(1)


def solve_and_route(window: Any, path: Path, routing_time_limit_s: int = 5) -> None:
    """Open ``path``, solve its network design, then plan its routes, waiting for each job."""
    open_in(window, path)
    one_year(window)
    assert window.solve_panel.solve()
    wait_idle(window)
    window.routes_view.time_limit.setValue(routing_time_limit_s)
    assert window.routes_view.plan_routes()
    wait_idle(window)


def distinct_colours(path: Path) -> int:
    """How many distinct colours a PNG has (a blank or single-colour picture has one or two)."""
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    assert not image.isNull(), f"{path} is not a readable image"
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint32, count=width * height)
    return len(np.unique(data[::7]))


def solve_checked_by_clicks(qtbot: Any, window: Any, copper_price: float = 90_000.0) -> None:
    """Duplicate the scenario, change the copy's copper price and solve both by clicking the Scenarios
    view's buttons, waiting until every scenario has a fresh plan (at most 120 s)."""
    view = window.scenarios_view
    window.show_view("scenarios")
    qtbot.mouseClick(view.buttons["duplicate"], Qt.MouseButton.LeftButton)
    window.doc.set_parameter("copper_price_cny_per_t", copper_price)
    assert len(view.checked()) == 2
    qtbot.mouseClick(view.buttons["solve"], Qt.MouseButton.LeftButton)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(
        s.plan is None or s.plan_stale or window.runner.busy for s in window.doc.scenarios
    ):
        window.runner.wait_idle(0.1)
        qtbot.wait(20)
