"""Long jobs run in a child process, so the GUI thread never waits for them.

Solving and routing hold Python's interpreter lock for long stretches (model building, solution
extraction, garbage collection of large models); in a thread that freezes the window for hundreds of
milliseconds at a time. Reading a workbook is the same on a smaller scale (0.6 s of pure Python for
the national network). A child process has its own interpreter, so the window stays responsive, and
a crash in a native solver cannot take the user's unsaved work with it.

This module is imported by the child (spawned, so it works the same on Windows): it imports no Qt.
:func:`run` receives a job name, arguments, a queue for messages to the parent and an event the parent
sets to cancel; the functions below are the jobs.
"""

from __future__ import annotations

import importlib
import os
import queue as queue_module
import sys
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optimizer import CancelToken, ProgressEvent, validate

#: The job process imports the solvers once it has had no job for this long (see :func:`_warm_up`).
WARM_UP_AFTER_S = 1.0

if TYPE_CHECKING:  # the hints only: the job process starts (and reads a file) without the solvers
    from app.project_state import Parsed
    from optimizer import (
        Issue,
        LoopReport,
        MultiYearOptions,
        ParetoResult,
        Plan,
        ProgressCallback,
        ReadResult,
        RoutePlan,
        RoutingOptions,
        SolveOptions,
        SweepDefinition,
    )
    from optimizer.model import Network


def run(target: str, args: tuple[Any, ...], queue: Any, cancel_event: Any) -> None:
    """Run ``target`` ("module:function") with ``args`` and report to the parent through ``queue``.

    Messages are ``("progress", ProgressEvent)``, then one of ``("done", result)`` or
    ``("failed", summary, traceback)``.
    """
    token = CancelToken()
    finished = threading.Event()

    def watch_cancel() -> None:
        while not finished.is_set():
            if cancel_event.wait(0.05):
                token.cancel()
                return

    threading.Thread(target=watch_cancel, name="cancel-watch", daemon=True).start()
    try:
        module, name = target.split(":")
        fn = getattr(importlib.import_module(module), name)
        result = fn(*args, progress=lambda event: queue.put(("progress", event)), cancel=token)
        queue.put(("done", result))
    except BaseException as exc:  # reported to the GUI as a message, never as a dead process
        queue.put(("failed", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    finally:
        finished.set()


def serve(tasks: Any, messages: Any, cancel_event: Any) -> None:
    """The job process's loop: run each ``(target, args)`` from ``tasks`` until ``None`` arrives.

    One long-lived process serves every job, so starting a job costs no process start-up (a spawn
    takes a quarter of a second, during which the parent would hold its interpreter lock).
    """
    _lower_priority()
    warm = False
    while True:
        try:
            task = tasks.get(timeout=None if warm else WARM_UP_AFTER_S)
        except queue_module.Empty:
            _warm_up()
            warm = True
            continue
        if task is None:
            return
        target, args = task
        run(target, args, messages, cancel_event)


def _warm_up() -> None:
    """Import the solvers while the process is idle, so the first Solve does not wait for that (the
    process starts with only what reading a file needs: it starts with the window, and a file the
    user opens at once is read sooner)."""
    import optimizer

    for name in ("solve", "solve_multiyear", "solve_pareto", "plan_routes", "build_routing_problem"):
        getattr(optimizer, name)


def _lower_priority() -> None:
    """Run below the GUI's priority, so the window stays smooth while the solver uses every core."""
    try:
        if sys.platform == "win32":
            import ctypes

            below_normal = 0x00004000
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), below_normal)
        else:
            os.nice(5)
    except (OSError, AttributeError):
        pass  # a lower priority is a nicety; the job runs either way


def checked_solve(
    network: Network,
    options: SolveOptions,
    year: int | None = None,
    *,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> tuple[list[Issue], Plan | None]:
    """Validate, then solve: ``(issues, None)`` when the network has errors, else ``(issues, plan)``.

    The network is validated once, here (the GUI shows every issue, warnings included), and ``solve``
    is told so instead of validating it again. ``year`` plans that one year of the Periods sheet (its
    supply, prices and target), as ``copperloop solve --single-year YEAR`` does. As on the command line
    the plan gets its economics (the investment its modules imply, the year's cash flow and CO2).
    """
    from optimizer import solve, with_economics

    issues = validate(network)
    if any(i.is_error for i in issues):
        return issues, None
    one = _one_year(network, year)
    return issues, with_economics(one, solve(one, options, progress=progress, cancel=cancel, validated=True))


def checked_multiyear(
    network: Network, options: MultiYearOptions, *, progress: ProgressCallback, cancel: CancelToken
) -> tuple[list[Issue], Plan | None]:
    """Validate once, then plan which module to build where and when over the network's Periods.

    The check is a step of the progress as in a one-year solve (there ``solve`` reports it itself).
    """
    from optimizer import solve_multiyear

    progress(ProgressEvent("validating", 0.0))
    issues = validate(network)
    if any(i.is_error for i in issues):
        return issues, None
    return issues, solve_multiyear(network, options, progress=progress, cancel=cancel, validated=True)


def checked_solve_with_routes(
    network: Network,
    options: SolveOptions,
    year: int | None = None,
    routing: RoutingOptions | None = None,
    *,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> tuple[list[Issue], Plan | None, RoutePlan | None, LoopReport | None]:
    """Validate, then design and route in a loop until the routes confirm the plan's collection cost
    (``copperloop solve --with-routes``): the plan, its week's routes (``routing``: the Routes tab's
    engine and time limit) and what the loop did."""
    from optimizer import solve_with_routes, with_economics

    issues = validate(network)
    if any(i.is_error for i in issues):
        return issues, None, None, None
    one = _one_year(network, year)
    plan, routes, report = solve_with_routes(one, options, routing, progress=progress, cancel=cancel)
    return issues, with_economics(one, plan), routes, report


def _one_year(network: Network, year: int | None) -> Network:
    """The network of one year of its Periods (the network itself without a year or periods).

    The GUI offers only the years of the Periods sheet, so a year no period holds means the sheet was
    edited during the solve's start: that is an error the user sees, never a silent other year.
    """
    if year is None or not network.periods:
        return network
    from optimizer import single_period

    one = single_period(network, year)
    if one is None:
        raise ValueError(f"no period of the Periods sheet holds the year {year}")
    return one


def checked_pareto(
    network: Network,
    options: SolveOptions,
    n_points: int,
    year: int | None = None,
    *,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> tuple[list[Issue], ParetoResult | None]:
    """Validate once, then run the trade-off sweep on the validated network (or one year of it)."""
    from optimizer import solve_pareto

    issues = validate(network)
    if any(i.is_error for i in issues):
        return issues, None
    one = _one_year(network, year)
    return issues, solve_pareto(one, options, n_points, progress=progress, cancel=cancel, validated=True)


def route_week(
    network: Network,
    plan: Plan | None,
    options: RoutingOptions,
    *,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> RoutePlan:
    """Build the week's routing problem (for ``plan`` when given) and route it."""
    from optimizer import build_routing_problem, plan_routes

    problem = build_routing_problem(network, plan, options)
    return plan_routes(problem, options, progress, cancel)


if TYPE_CHECKING:
    #: What opening a project hands back: the network as read, the extra scenarios, the base
    #: scenario's name, the problems of the scenarios and the saved state, the saved plans already
    #: read, the sweep definition, and the tables' check of the network (``validate``, without cell
    #: locations).
    Opened = tuple[
        ReadResult,
        list[tuple[str, Network]],
        str | None,
        list[Issue],
        Parsed,
        SweepDefinition | None,
        list[Issue],
    ]


def open_project(path: Path, *, progress: ProgressCallback, cancel: CancelToken) -> Opened:
    """Read a project workbook: the network, its scenarios, the saved plans and sweep, and its check.

    Run here, not in a thread of the window's process: it is 0.6 s of pure Python on the national
    network (openpyxl's parsing, the reader, ``validate``), and a thread doing that takes the
    interpreter lock from the GUI thread in 5 ms turns, with stalls of 100-240 ms between two of the
    window's timer ticks at the start of an open. What comes back is 0.4 MB of pickle (15 ms to read).
    """
    from app.project_state import parse
    from optimizer import load_network, read_project_state, read_scenarios, read_sweep

    progress(ProgressEvent("open", 0.1, path.name))
    result = load_network(path)
    if result.network is None:
        from optimizer import ProjectState

        return result, [], None, [], parse(ProjectState()), None, []
    scenarios, base_name, issues = read_scenarios(path)
    state, state_issues = read_project_state(path)
    sweep, _sweep_issues = read_sweep(path)
    checked = validate(result.network)
    progress(ProgressEvent("open", 1.0, path.name))
    # the saved plans are read here too (seconds for a national six-year plan), and with them the
    # fingerprints of the networks they are checked against
    parsed = parse(state, (result.network, *(network for _name, network in scenarios)))
    return result, scenarios, base_name, [*issues, *state_issues], parsed, sweep, checked
