"""The self-test: proves that an installation can do CopperLoop's whole job, without a display.

A frozen bundle fails in ways a source checkout never does: a native library, a solver binary, a data
file or a Qt plugin that PyInstaller did not collect. Each shows up only when the code path that needs
it runs, so the self-test runs every such path once on the teaching network:

1. the English and Chinese templates read back without errors;
2. the bundled teaching network loads and validates;
3. the network-design MILP solves with HiGHS (highspy, in-process) and
4. with CBC (PuLP's bundled binary, a child process), to the same objective;
5. the week's collection routes are planned with PyVRP and
6. with OR-Tools, in the same process as HiGHS (both carry HiGHS code; they must coexist);
7. the plan report is written to a temporary workbook and
8. re-imported: the network read back from it equals the one solved;
9. Qt starts on its ``offscreen`` platform, draws a pyqtgraph plot, and the native windowing plugin
   (``qwindows`` on Windows, ``qxcb`` on Linux) is present for the real GUI.

Each step prints PASS or FAIL with its time; a step whose input failed is SKIPPED. The run passes only
when every step passes. Steps catch every exception on purpose: a broken bundle raises anything
(``ImportError``, ``OSError``, a solver error), and the point is to name the step, not to crash.

Qt is imported by name inside the Qt step only, like the ``gui`` command does, so :mod:`optimizer`
stays headless (the import contract in ``pyproject.toml``) and ``selftest --no-qt`` needs no Qt at all.
"""

from __future__ import annotations

import importlib
import math
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optimizer.about import is_frozen, resource_root, version

if TYPE_CHECKING:
    from optimizer.design.plan import Plan
    from optimizer.model import Network

TEACHING_WORKBOOK = Path("sample_networks") / "teaching.xlsx"

#: Relative difference allowed between the HiGHS and CBC objectives. Both solve to a gap of
#: :data:`MIP_GAP`; the teaching network's optimum is unique, so anything looser is a real disagreement.
OBJECTIVE_TOLERANCE = 1e-5
MIP_GAP = 1e-6
SOLVE_TIME_LIMIT_S = 60.0


class Outcome(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    SKIP = "SKIP"


@dataclass(frozen=True, slots=True)
class StepResult:
    """What one step found: its outcome, how long it took, and one line saying what it checked or why not."""

    name: str
    outcome: Outcome
    seconds: float
    detail: str
    traceback: str = ""

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASS

    def line(self) -> str:
        return f"  {self.outcome.value:<4}  {self.name:<18} {self.seconds:7.2f} s  {self.detail}"


class StepFailed(Exception):
    """A step ran but its result is wrong (the message says how)."""


@dataclass
class SelfTestContext:
    """What the steps hand on to each other, and the run's settings."""

    root: Path
    workdir: Path
    routing_time_limit_s: float = 2.0
    network: Network | None = None
    plans: dict[str, Plan] = field(default_factory=dict)
    report: Path | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """A named check. ``needs`` names the context fields it reads; it is skipped when one is missing."""

    name: str
    run: Callable[[SelfTestContext], str]
    needs: tuple[str, ...] = ()


# --- steps -------------------------------------------------------------------------------------------


def check_templates(ctx: SelfTestContext) -> str:
    from optimizer.io import read_network

    found = []
    for lang in ("en", "zh"):
        path = ctx.root / "templates" / f"network_template_{lang}.xlsx"
        if not path.is_file():
            raise StepFailed(f"template not found: {path}")
        result = read_network(path)
        errors = [str(i) for i in result.issues if i.is_error]
        if result.network is None or errors:
            raise StepFailed(f"{path.name} does not read cleanly: {'; '.join(errors[:3])}")
        found.append(path.name)
    return " and ".join(found) + " read without errors"


def load_teaching(ctx: SelfTestContext) -> str:
    from optimizer.io.loading import load_network

    path = ctx.root / TEACHING_WORKBOOK
    if not path.is_file():
        raise StepFailed(f"teaching network not found: {path}")
    result = load_network(path)
    errors = [str(i) for i in result.issues if i.is_error]
    if result.network is None or errors:
        raise StepFailed(f"{path.name} has errors: {'; '.join(errors[:3])}")
    ctx.network = network = result.network
    return (
        f"{path.name}: {len(network.collection_points)} collection points, "
        f"{len(network.dismantling_sites) + len(network.sorting_centers)} sites, "
        f"{len(network.smelters)} smelters"
    )


def _solve_with(ctx: SelfTestContext, solver: str) -> Plan:
    from optimizer.design.options import SolveOptions, SolverName
    from optimizer.design.plan import PlanStatus
    from optimizer.design.solve import solve

    assert ctx.network is not None
    options = SolveOptions(solver=SolverName(solver), time_limit_s=SOLVE_TIME_LIMIT_S, mip_gap=MIP_GAP)
    plan = solve(ctx.network, options)
    if plan.status is not PlanStatus.OPTIMAL or plan.objective is None:
        raise StepFailed(f"status {plan.status.value}, expected optimal: {plan.message}")
    ctx.plans[solver] = plan
    return plan


def solve_highs(ctx: SelfTestContext) -> str:
    plan = _solve_with(ctx, "highs")
    return f"optimal, {plan.objective_name} {plan.objective:,.2f} ({plan.solver})"


def solve_cbc(ctx: SelfTestContext) -> str:
    plan = _solve_with(ctx, "cbc")
    assert plan.objective is not None
    highs = ctx.plans.get("highs")
    if highs is None or highs.objective is None:
        return f"optimal, {plan.objective_name} {plan.objective:,.2f} (no HiGHS objective to compare)"
    if not math.isclose(plan.objective, highs.objective, rel_tol=OBJECTIVE_TOLERANCE, abs_tol=1e-6):
        raise StepFailed(
            f"CBC objective {plan.objective:,.4f} differs from HiGHS {highs.objective:,.4f} by more than "
            f"{OBJECTIVE_TOLERANCE:g} (relative)"
        )
    return f"optimal, {plan.objective:,.2f}, same as HiGHS within {OBJECTIVE_TOLERANCE:g}"


def _route_with(ctx: SelfTestContext, engine: str) -> str:
    from optimizer.routing import Engine, RouteStatus, RoutingOptions, build_routing_problem, plan_routes

    assert ctx.network is not None
    options = RoutingOptions(engine=Engine(engine), time_limit_s=ctx.routing_time_limit_s)
    problem = build_routing_problem(ctx.network, ctx.plans["highs"], options)
    routes = plan_routes(problem, options)
    if routes.status not in (RouteStatus.COMPLETE, RouteStatus.PARTIAL) or not routes.routes:
        raise StepFailed(f"status {routes.status.value}, no routes: {routes.message}")
    for route in routes.routes:
        ends = {route.stops[0].node_id, route.stops[-1].node_id}
        if ends != {route.depot_id}:
            raise StepFailed(f"a route of {route.depot_id} does not start and end there: {sorted(ends)}")
        heaviest = max(stop.load_kg for stop in route.stops)
        if heaviest > route.payload_kg + 1e-6:
            raise StepFailed(
                f"a truck of {route.depot_id} carries {heaviest:,.0f} kg > payload {route.payload_kg:,.0f} kg"
            )
    return f"{routes.status.value}: {routes.message}"


def route_pyvrp(ctx: SelfTestContext) -> str:
    return _route_with(ctx, "pyvrp")


def route_ortools(ctx: SelfTestContext) -> str:
    return _route_with(ctx, "ortools")


def export_report(ctx: SelfTestContext) -> str:
    from optimizer.report.plan_report import write_plan_report

    assert ctx.network is not None
    path = ctx.workdir / "selftest_plan.xlsx"
    write_plan_report(path, ctx.network, ctx.plans["highs"])
    if not path.is_file() or path.stat().st_size == 0:
        raise StepFailed(f"nothing written at {path}")
    ctx.report = path
    return f"{path.name}, {path.stat().st_size / 1024:,.0f} KiB"


def reimport_report(ctx: SelfTestContext) -> str:
    from optimizer.io import read_network

    assert ctx.report is not None and ctx.network is not None
    result = read_network(ctx.report)
    errors = [str(i) for i in result.issues if i.is_error]
    if result.network is None or errors:
        raise StepFailed(f"the report does not read back: {'; '.join(errors[:3])}")
    if result.network != ctx.network:
        raise StepFailed("the network read back from the report differs from the one solved")
    return "the network read back from the report equals the one solved"


def check_qt(ctx: SelfTestContext) -> str:
    # Only the offscreen platform can start everywhere (CI, a server, a locked-down laptop session);
    # the native plugin the GUI needs is checked by its presence below.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qt_core: Any = importlib.import_module("PySide6.QtCore")
    qt_gui: Any = importlib.import_module("PySide6.QtGui")
    qt_widgets: Any = importlib.import_module("PySide6.QtWidgets")
    app = qt_widgets.QApplication.instance() or qt_widgets.QApplication([sys.argv[0]])
    pyqtgraph: Any = importlib.import_module("pyqtgraph")
    plot = pyqtgraph.PlotWidget()
    plot.plot([0.0, 1.0, 2.0], [1.0, 3.0, 2.0])
    plot.resize(200, 120)
    image = qt_gui.QImage(200, 120, qt_gui.QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = qt_gui.QPainter(image)
    plot.render(painter)
    painter.end()
    if image.isNull() or len({image.pixel(x, 60) for x in range(0, 200, 5)}) < 2:
        raise StepFailed("pyqtgraph drew nothing")
    plugins = Path(qt_core.QLibraryInfo.path(qt_core.QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    native = {"win32": "qwindows", "darwin": "qcocoa"}.get(sys.platform, "qxcb")
    present = sorted(p.stem.removeprefix("lib") for p in plugins.glob("*") if p.is_file())
    if native not in present:
        raise StepFailed(f"the {native} platform plugin is missing from {plugins} (found: {present})")
    platform_name = app.platformName()
    plot.deleteLater()
    return f"Qt {qt_core.qVersion()} on {platform_name}, pyqtgraph drew a plot, {native} plugin present"


STEPS: tuple[Step, ...] = (
    Step("templates", check_templates),
    Step("load teaching", load_teaching),
    Step("solve HiGHS", solve_highs, ("network",)),
    Step("solve CBC", solve_cbc, ("network",)),
    Step("route PyVRP", route_pyvrp, ("network", "plans:highs")),
    Step("route OR-Tools", route_ortools, ("network", "plans:highs")),
    Step("export report", export_report, ("network", "plans:highs")),
    Step("re-import report", reimport_report, ("report",)),
)
QT_STEP = Step("Qt offscreen", check_qt)


# --- running -----------------------------------------------------------------------------------------


def _missing(ctx: SelfTestContext, needs: tuple[str, ...]) -> list[str]:
    missing = []
    for need in needs:
        name, _, key = need.partition(":")
        value = getattr(ctx, name)
        if value is None or (key and key not in value):
            missing.append(need.replace("plans:", "plan from "))
    return missing


def run_step(step: Step, ctx: SelfTestContext) -> StepResult:
    """Run ``step`` and say how it went; never raises (except KeyboardInterrupt)."""
    missing = _missing(ctx, step.needs)
    if missing:
        return StepResult(step.name, Outcome.SKIP, 0.0, f"skipped: no {', '.join(missing)}")
    start = time.perf_counter()
    try:
        detail = step.run(ctx)
    except StepFailed as failure:
        return StepResult(step.name, Outcome.FAIL, time.perf_counter() - start, str(failure))
    except Exception as error:  # a broken bundle raises anything; the step's name is what matters
        return StepResult(
            step.name,
            Outcome.FAIL,
            time.perf_counter() - start,
            f"{type(error).__name__}: {error}",
            traceback.format_exc(),
        )
    return StepResult(step.name, Outcome.PASS, time.perf_counter() - start, detail)


def header() -> str:
    """One line naming the version, how it runs (frozen or from source), Python and the platform."""
    where = f"source in {resource_root()}"
    if is_frozen():
        where = f"frozen bundle in {Path(sys.executable).parent}"
    return (
        f"CopperLoop {version()} self-test: {where}; Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}"
    )


def run_selftest(
    *,
    qt: bool = True,
    routing_time_limit_s: float = 2.0,
    root: Path | None = None,
    report: Callable[[StepResult], None] | None = None,
) -> list[StepResult]:
    """Run every step in order and return their results.

    Parameters
    ----------
    qt
        Include the Qt step (imports PySide6 and pyqtgraph; starts Qt on the offscreen platform unless
        ``QT_QPA_PLATFORM`` is set).
    routing_time_limit_s
        Time limit of each routing engine's run on the teaching network.
    root
        Folder holding ``sample_networks/`` and ``templates/`` (default: :func:`resource_root`).
    report
        Called with each result as soon as its step ends (the command prints it).
    """
    steps = (*STEPS, QT_STEP) if qt else STEPS
    results = []
    with tempfile.TemporaryDirectory(prefix="copperloop_selftest_") as workdir:
        ctx = SelfTestContext(
            root=root or resource_root(), workdir=Path(workdir), routing_time_limit_s=routing_time_limit_s
        )
        for step in steps:
            result = run_step(step, ctx)
            results.append(result)
            if report is not None:
                report(result)
    return results
