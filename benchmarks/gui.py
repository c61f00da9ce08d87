"""How the desktop app feels on the national sample (about 750 nodes): open, draw, pan, redraw, stalls.

Measures, on the real main window (offscreen unless a display is set):

- **open + draw**: from File > Open until the map has been painted (target <= 2 s);
- **pan/zoom frame**: time to render the map after a pan or zoom step (median and worst of 20 steps);
- **flow redraw**: time to redraw the plan's flows on the map after a solve (target <= 300 ms, median of 5);
- **GUI stall**: the longest gap between ticks of a 10 ms timer on the GUI thread while the solve runs on
  the worker (target: none > 100 ms).

Run::

    nice python benchmarks/gui.py [--time-limit 60] [--network sample_networks/china_national.xlsx]

The last line reads ``max GUI stall N ms``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COPPERLOOP_CONFIG_DIR", tempfile.mkdtemp(prefix="copperloop-bench-"))

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402

from app.launch import application  # noqa: E402


def _paint(widget: object) -> None:
    """Render the widget now (a grab paints it synchronously, like a screen refresh)."""
    widget.grab()  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", type=Path, default=ROOT / "sample_networks" / "china_national.xlsx")
    parser.add_argument("--time-limit", type=float, default=120.0, help="solver time limit (s)")
    parser.add_argument("--gap", type=float, default=1.0, help="relative MIP gap in percent")
    args = parser.parse_args(argv)

    app = application()
    from app.main_window import MainWindow

    window = MainWindow()
    window.resize(1500, 920)
    window.show()
    app.processEvents()
    map_view = window.map_view

    # ---- open + draw
    started = time.perf_counter()
    window.open_path(args.network, ask=False)
    window.runner.wait_idle(300)
    app.processEvents()
    _paint(map_view.plot)
    open_s = time.perf_counter() - started
    net = window.doc.network
    nodes = len(net.collection_points) + len(net.sites) + len(net.smelters)
    print(f"network: {args.network.name}: {nodes} nodes")
    print(f"open + draw: {open_s:.2f} s (target <= 2 s)")

    # ---- pan and zoom
    frames = []
    view_box = map_view.view_box
    for step in range(20):
        t = time.perf_counter()
        if step % 2:
            view_box.scaleBy((0.8, 0.8))
        else:
            view_box.translateBy((0.5, 0.3))
        app.processEvents()
        _paint(map_view.plot)
        frames.append(time.perf_counter() - t)
    map_view.fit()
    median_ms, worst_ms = 1000 * statistics.median(frames), 1000 * max(frames)
    print(f"pan/zoom frame: median {median_ms:.0f} ms, worst {worst_ms:.0f} ms")

    # ---- solve while sampling the GUI thread
    stalls: list[float] = []
    solve_started_ms = [0.0]
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    stall_times: list[tuple[float, float]] = []

    def tick() -> None:
        now = clock.elapsed()
        stalls.append(now - last[0] - 10)
        if now - last[0] - 10 > 100:
            stall_times.append((last[0] / 1000.0 - solve_started_ms[0] / 1000.0, now - last[0] - 10))
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    panel = window.solve_panel
    panel.time_limit.setValue(int(args.time_limit))
    panel.gap.setValue(args.gap)
    started = time.perf_counter()
    last[0] = clock.elapsed()
    solve_started_ms[0] = last[0]
    timer.start()
    if not panel.solve():
        print("solve could not start:", panel.result.text())
        return 1
    while window.runner.busy:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    solve_s = time.perf_counter() - started
    plan = window.doc.plan
    flows = len(plan.flows) if plan is not None else 0
    status = plan.status.value if plan is not None else "none"
    print(
        f"solve (HiGHS, limit {args.time_limit:.0f} s, gap {args.gap} %): {solve_s:.1f} s, {status}, "
        f"{flows} flows"
    )

    # ---- flow redraw
    redraws = []
    window.show_view("map")
    for _ in range(5):
        t = time.perf_counter()
        map_view.redraw_plan()
        app.processEvents()
        _paint(map_view.plot)
        redraws.append(time.perf_counter() - t)
    print(f"flow redraw: median {1000 * statistics.median(redraws):.0f} ms (target <= 300 ms)")

    worst = max(stalls, default=0.0)
    over = sum(1 for s in stalls if s > 100)
    where = ", ".join(f"{ms:.0f} ms at {at:.1f} s" for at, ms in stall_times)
    print(
        f"GUI ticks during the solve: {len(stalls)}, stalls over 100 ms: {over}"
        + (f" ({where})" if where else "")
    )
    window.doc.undo_stack.setClean()
    window.close()
    print(f"max GUI stall {worst:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
