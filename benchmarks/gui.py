"""How the desktop app feels on the national sample (about 750 nodes): open, draw, pan, redraw, stalls.

Measures, on the real main window (offscreen unless a display is set):

- **open + draw**: from File > Open until the map has been painted, with the orientation layer and city
  names on (target <= 2 s; median of ``--repeat`` opens), and the longest GUI stall while it opens;
- **pan/zoom frame**: time to render the map after a pan or zoom step (median and worst of 20 steps), and
  the label placement (node, province and city names) after a zoom;
- **first plan on the map**: from Solve until the map draws the solve's first plan (provisional);
- **flow redraw**: time to redraw the plan's flows on the map after a solve (target <= 300 ms, median of 5);
- **flow hover**: finding the flow under the mouse (median of 200 positions);
- **provisional plans drawn**: the GUI thread's turn for each plan the solve sends while it runs;
- **GUI stall**: the longest gap between ticks of a 10 ms timer on the GUI thread while the network opens
  and while the solve runs on the worker (target: none > 100 ms).

``--trace-stalls`` says what caused each stall over 80 ms: every thread's stack at that moment (from
faulthandler's own thread, so it works while a thread holds the interpreter lock), the late wakes of a
watchdog thread (the lock held, or no core free), each pass of the cycle collector over 5 ms, and when
the job process started.

Run::

    nice python benchmarks/gui.py [--time-limit 60] [--repeat 3] \\
        [--network sample_networks/china_national.xlsx] [--trace-stalls]

The last line reads ``max GUI stall N ms``.
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import gc
import os
import statistics
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COPPERLOOP_CONFIG_DIR", tempfile.mkdtemp(prefix="copperloop-bench-"))

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QElapsedTimer, QPointF, QTimer  # noqa: E402

from app.launch import application  # noqa: E402


def _paint(widget: object) -> None:
    """Render the widget now (a grab paints it synchronously, like a screen refresh)."""
    widget.grab()  # type: ignore[attr-defined]


class StallTracer:
    """What the process did during each GUI stall (``--trace-stalls``), found three ways at once.

    - ``faulthandler.dump_traceback_later``, re-armed on every tick of the 10 ms timer: when a tick is
      ``threshold_ms`` late, faulthandler's own C thread (which needs no interpreter lock) writes every
      thread's Python stack, so a thread that holds the lock in a long C call is caught in the act;
    - a Python watchdog thread that wakes every 5 ms: when it wakes much later than it asked, something
      held the interpreter lock (or the machine gave it no core) for that long; it then keeps the main
      thread's and every other thread's stack (``sys._current_frames``);
    - ``gc.callbacks``: every pass of the cycle collector, its generation, thread and length.
    """

    def __init__(self, clock: QElapsedTimer, threshold_ms: float = 80.0) -> None:
        self.clock = clock
        self.threshold_s = threshold_ms / 1000.0
        self.dump = tempfile.TemporaryFile("w+")  # noqa: SIM115 (open as long as the tracer: closed in stop)
        #: (phase, at s, generation, thread, ms, objects collected) of every collection over 5 ms
        self.collections: list[tuple[str, float, int, str, float, int]] = []
        #: (phase, at s, late ms, {thread name: stack}) of every late wake of the watchdog
        self.late_wakes: list[tuple[str, float, float, dict[str, str]]] = []
        #: (phase, at s, ms since the tick before) of every tick after which faulthandler dumped
        self.late_ticks: list[tuple[str, float, float]] = []
        #: (phase, at s, what) of other events that may take a core: the job process starting
        self.events: list[tuple[str, float, str]] = []
        self.phase = "idle"
        self._gc_started = 0.0
        self._armed = False
        self._stop = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, name="stall-watchdog", daemon=True)

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)
        self._watchdog.start()

    def arm(self, phase: str, since_last_ms: float | None = None) -> None:
        """Called on each tick (the GUI thread is alive now): dump every stack if the next tick is late.
        ``since_last_ms``: how long since the tick before (a late one has a faulthandler dump)."""
        self.phase = phase
        if since_last_ms is not None and since_last_ms > 1000 * self.threshold_s and self._armed:
            self.late_ticks.append((phase, self.clock.elapsed() / 1000.0, since_last_ms))
        faulthandler.dump_traceback_later(self.threshold_s, file=self.dump)
        self._armed = True

    def disarm(self) -> None:
        faulthandler.cancel_dump_traceback_later()
        self._armed = False

    def stop(self) -> None:
        self.disarm()
        self._stop.set()
        self._watchdog.join(1.0)
        with contextlib.suppress(ValueError):
            gc.callbacks.remove(self._on_gc)

    def _on_gc(self, event: str, info: dict[str, int]) -> None:
        if event == "start":
            self._gc_started = time.perf_counter()
            return
        ms = 1000 * (time.perf_counter() - self._gc_started)
        if ms > 5:
            self.collections.append(
                (
                    self.phase,
                    self.clock.elapsed() / 1000.0,
                    info["generation"],
                    threading.current_thread().name,
                    ms,
                    info["collected"],
                )
            )

    def _watch(self) -> None:
        from app.jobs import JOB_PROCESS

        alive = JOB_PROCESS.alive
        while not self._stop.is_set():
            if JOB_PROCESS.alive != alive:
                alive = JOB_PROCESS.alive
                what = "started" if alive else "ended"
                self.events.append((self.phase, self.clock.elapsed() / 1000.0, f"job process {what}"))
            asked = time.perf_counter()
            time.sleep(0.005)
            late = time.perf_counter() - asked - 0.005
            if late > self.threshold_s / 2 and self._armed:
                names = {t.ident: t.name for t in threading.enumerate()}
                frames = sys._current_frames()
                stacks = {
                    names.get(ident, str(ident)): "".join(traceback.format_stack(frame, limit=6))
                    for ident, frame in frames.items()
                    if ident != threading.get_ident()
                }
                self.late_wakes.append((self.phase, self.clock.elapsed() / 1000.0, 1000 * late, stacks))

    def report(self) -> None:
        print("stall trace (--trace-stalls):")
        for phase, at, what in self.events:
            print(f"  {what} at {at:.2f} s ({phase})")
        for phase, at, generation, thread, ms, collected in self.collections:
            print(
                f"  gc gen {generation} on {thread}: {ms:.0f} ms at {at:.2f} s ({phase}), {collected} freed"
            )
        for phase, at, ms, stacks in self.late_wakes:
            print(f"  watchdog woke {ms:.0f} ms late at {at:.2f} s ({phase}); stacks then:")
            for name, stack in stacks.items():
                print(f"    [{name}]")
                print("      " + stack.rstrip().replace("\n", "\n      "))
        self.dump.seek(0)
        dumps = [d.strip() for d in self.dump.read().split("Timeout (")[1:]]
        for number, text in enumerate(dumps):
            if number < len(self.late_ticks):
                phase, at, ms = self.late_ticks[number]
                when = f"the tick at {at:.2f} s ({phase}) came {ms:.0f} ms after the one before"
            else:
                when = "a tick was late"
            print(f"  faulthandler, every thread's stack when {when}:")
            print("    " + text.split("\n", 1)[-1].replace("\n", "\n    "))
        self.dump.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", type=Path, default=ROOT / "sample_networks" / "china_national.xlsx")
    parser.add_argument("--time-limit", type=float, default=120.0, help="solver time limit (s)")
    parser.add_argument("--gap", type=float, default=1.0, help="relative MIP gap in percent")
    parser.add_argument("--repeat", type=int, default=3, help="opens to take the median of")
    parser.add_argument("--year", type=int, default=2026, help="year of the Periods sheet to plan (0: all)")
    parser.add_argument(
        "--trace-stalls",
        action="store_true",
        help="say what every thread and the cycle collector did during each stall over 80 ms",
    )
    args = parser.parse_args(argv)

    app = application()
    from app.main_window import MainWindow

    window = MainWindow()
    window.resize(1500, 920)
    window.show()
    app.processEvents()
    map_view = window.map_view

    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    #: (phase, at ms, stall ms) of every gap over 100 ms between the 10 ms timer's ticks
    phase = ["idle"]
    gaps: dict[str, list[float]] = {}
    stall_times: list[tuple[str, float, float]] = []

    def tick() -> None:
        now = clock.elapsed()
        gap = now - last[0] - 10
        gaps.setdefault(phase[0], []).append(gap)
        if gap > 100:
            stall_times.append((phase[0], last[0] / 1000.0, gap))
        if tracer is not None:
            tracer.arm(phase[0], now - last[0])
        last[0] = now

    tracer = StallTracer(clock) if args.trace_stalls else None
    if tracer is not None:
        tracer.start()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)

    # ---- open + draw (the GUI thread sampled meanwhile: the workbook is read on the worker)
    opens = []
    #: per open: the GUI thread's slices of the hand-over (MainWindow.open_steps) and the first paint
    steps: list[list[tuple[str, float]]] = []
    for number in range(1, max(1, args.repeat) + 1):
        window.doc.undo_stack.setClean()
        phase[0] = f"open {number}"
        last[0] = clock.elapsed()
        timer.start()
        if tracer is not None:
            tracer.arm(phase[0])
        started = time.perf_counter()
        window.open_path(args.network, ask=False)
        while window.runner.busy:
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        # the paint is a turn of its own in the event loop, as on screen: let the 10 ms timer tick first
        time.sleep(0.011)
        app.processEvents()
        painted = time.perf_counter()
        _paint(map_view.plot)
        opens.append(time.perf_counter() - started)
        steps.append([*window.open_steps, ("first paint of the map", time.perf_counter() - painted)])
        app.processEvents()  # the tick after the paint: a paint's pause is a stall too
        timer.stop()
        if tracer is not None:
            tracer.disarm()
        phase[0] = "idle"
    open_gaps = [g for name, values in gaps.items() if name.startswith("open") for g in values]
    net = window.doc.network
    nodes = len(net.collection_points) + len(net.sites) + len(net.smelters)
    print(f"network: {args.network.name}: {nodes} nodes")
    geo = map_view.geography
    print(
        f"orientation layer: {'on' if map_view.show_geo.isChecked() else 'off'}, "
        f"{geo.points if geo else 0} outline points, {len(geo.cities) if geo else 0} cities"
    )
    print(
        f"open + draw: median {statistics.median(opens):.2f} s of {len(opens)} "
        f"({', '.join(f'{s:.2f}' for s in opens)}) (target <= 2 s); "
        f"longest GUI stall while opening {max(open_gaps, default=0.0):.0f} ms"
    )
    # what the GUI thread did in each slice of the open (the slowest first): the stalls' causes
    for number, slices in enumerate(steps, 1):
        slowest = sorted(slices, key=lambda s: -s[1])[:4]
        print(
            f"  open {number}: {len(slices)} GUI slices, slowest "
            + ", ".join(f"{name} {1000 * seconds:.0f} ms" for name, seconds in slowest)
        )

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
    labels = []
    for x_range in ((73, 135), (110, 122), (113, 116.5)):
        view_box.setRange(xRange=x_range, padding=0)
        t = time.perf_counter()
        map_view.update_labels()
        labels.append((x_range[1] - x_range[0], time.perf_counter() - t, len(map_view.city_labels.labels)))
    map_view.fit()
    print(
        "label placement: "
        + ", ".join(f"{w:.0f} deg wide {1000 * s:.0f} ms ({n} cities)" for w, s, n in labels)
    )

    # ---- solve while sampling the GUI thread
    panel = window.solve_panel
    panel.time_limit.setValue(int(args.time_limit))
    panel.gap.setValue(args.gap)
    # one year of the Periods sheet (like `copperloop solve --single-year`): the figures are about the
    # one-year design solve, not the much larger multi-year model
    years = getattr(panel, "years", None)
    if years is not None and args.year and years.findData(args.year) >= 0:
        years.setCurrentIndex(years.findData(args.year))
    started = time.perf_counter()
    phase[0] = "solve"
    last[0] = clock.elapsed()
    timer.start()
    if tracer is not None:
        tracer.arm(phase[0])
    if not panel.solve():
        print("solve could not start:", panel.result.text())
        return 1
    first_plan_s: float | None = None
    # each provisional plan's turn on the GUI thread (MapView._draw_provisional), timed here
    provisional_ms: list[float] = []
    draw_provisional = map_view._draw_provisional

    def timed_provisional() -> None:
        t = time.perf_counter()
        draw_provisional()
        provisional_ms.append(1000 * (time.perf_counter() - t))

    map_view._draw_provisional = timed_provisional  # type: ignore[method-assign]
    map_view._provisional_timer.timeout.disconnect()
    map_view._provisional_timer.timeout.connect(timed_provisional)
    while window.runner.busy:
        app.processEvents()
        if first_plan_s is None and map_view.provisional is not None:
            first_plan_s = time.perf_counter() - started
            first_flows = len(map_view.flow_index.flows)
        time.sleep(0.001)
    timer.stop()
    if tracer is not None:
        tracer.disarm()
    phase[0] = "idle"
    solve_s = time.perf_counter() - started
    del map_view._draw_provisional  # the class's again (the timer's wrapper is harmless now)
    if first_plan_s is None:
        print("first plan on the map: none before the solve ended")
    else:
        print(f"first plan on the map (provisional): {first_plan_s:.1f} s after Solve, {first_flows} flows")
    if provisional_ms:
        print(
            f"provisional plans drawn: {len(provisional_ms)}, each in "
            + ", ".join(f"{ms:.0f}" for ms in provisional_ms)
            + " ms of the GUI thread (slowest slice of each)"
        )
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
    (x0, x1), (y0, y1) = view_box.viewRange()
    hovers = []
    for k in range(200):
        pos = QPointF(x0 + (x1 - x0) * ((k * 37) % 200) / 200, y0 + (y1 - y0) * ((k * 91) % 200) / 200)
        t = time.perf_counter()
        map_view.flow_at(pos)
        hovers.append(time.perf_counter() - t)
    shown = len(map_view.flow_index.flows)
    print(f"flow hover: median {1e3 * statistics.median(hovers):.2f} ms over {shown} flows")

    stalls = gaps.get("solve", [])
    worst = max([g for values in gaps.values() for g in values], default=0.0)
    over = sum(1 for s in stalls if s > 100)
    where = ", ".join(f"{ms:.0f} ms at {at:.1f} s ({what})" for what, at, ms in stall_times)
    print(
        f"GUI ticks during the solve: {len(stalls)}, stalls over 100 ms: {over}; longest "
        f"{max(stalls, default=0.0):.0f} ms" + (f"; all over 100 ms: {where}" if where else "")
    )
    window.doc.undo_stack.setClean()
    window.close()
    if tracer is not None:
        tracer.stop()
        tracer.report()
    print(f"max GUI stall {worst:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
