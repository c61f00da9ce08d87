"""The plain baseline: the strong formulation a user would write with PuLP and hand to HiGHS as it is.

No separation, no starting plan, no heuristic, no bulk model pass: PuLP's stock ``pulp.HiGHS`` interface
(or PuLP's bundled CBC, ``pulp.PULP_CBC_CMD``, with ``solver="cbc"``) with the same time limit and gap as
CopperLoop's run. HiGHS's progress is only *observed* (its improving-solution and MIP-logging callbacks,
which PuLP exposes) to time when the plan got within 1 % and 0.1 % of the optimum. PuLP's CBC interface
reports nothing until it ends, so a CBC baseline's only event is its final plan at its wall time (an
upper bound on when it got there) and it has no bound.

Two models:

* :func:`solve_cflp`: the textbook capacitated facility-location MILP (OR-Library capa): ``y_i`` open,
  ``x_ij`` the share of customer ``j`` served by ``i``; ``min sum f_i y_i + sum c_ij x_ij`` subject to
  ``sum_i x_ij = 1``, ``sum_j d_j x_ij <= s_i y_i`` and the strong linking rows ``x_ij <= y_i``.
* :func:`solve_network`: a CopperLoop network's MILP as CopperLoop's builder writes it with *every*
  linking row (``Requirements(linking="all")``, the strong formulation written out in full, as a user
  following docs/model.md would), solved by the stock interface.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pulp

from optimizer.design.formulation import Requirements, build_model
from optimizer.design.options import Objective
from optimizer.model import Network


@dataclass
class Timeline:
    """(seconds since the run started, incumbent, bound) as the solver reported them."""

    started: float = field(default_factory=time.monotonic)
    events: list[tuple[float, float | None, float | None]] = field(default_factory=list)

    def add(self, incumbent: float | None, bound: float | None) -> None:
        self.events.append((time.monotonic() - self.started, incumbent, bound))


@dataclass
class BaselineResult:
    objective: float | None
    bound: float | None
    gap: float | None
    status: str
    build_s: float
    wall_s: float
    timeline: Timeline


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) and abs(x) < 1e29 else None


def _stock_highs(time_limit_s: float, gap: float, timeline: Timeline, threads: int | None) -> pulp.HiGHS:
    def callback(*args: Any) -> None:
        data_out = args[2]
        timeline.add(_finite(data_out.mip_primal_bound), _finite(data_out.mip_dual_bound))

    kinds = highspy.cb.HighsCallbackType
    return pulp.HiGHS(
        msg=False,
        timeLimit=time_limit_s,
        gapRel=gap,
        threads=threads,
        callbackTuple=(callback, None),
        callbacksToActivate=[kinds.kCallbackMipImprovingSolution, kinds.kCallbackMipLogging],
    )


def _run(
    problem: pulp.LpProblem,
    limit_s: float,
    gap: float,
    timeline: Timeline,
    build_s: float,
    threads: int | None,
    solver_name: str = "highs",
) -> BaselineResult:
    if solver_name == "cbc":
        return _run_cbc(problem, limit_s, gap, timeline, build_s, threads)
    solver = _stock_highs(max(1.0, limit_s - build_s), gap, timeline, threads)
    problem.solve(solver)
    h = problem.solverModel
    info = h.getInfo()
    objective = _finite(info.objective_function_value) if info.primal_solution_status == 2 else None
    bound = _finite(info.mip_dual_bound)
    result_gap = _finite(info.mip_gap) if objective is not None else None
    wall = time.monotonic() - timeline.started
    if objective is not None:
        timeline.add(objective, bound)
    return BaselineResult(
        objective, bound, result_gap, h.modelStatusToString(h.getModelStatus()), build_s, wall, timeline
    )


def _run_cbc(
    problem: pulp.LpProblem,
    limit_s: float,
    gap: float,
    timeline: Timeline,
    build_s: float,
    threads: int | None,
) -> BaselineResult:
    """The stock CBC interface: writes an MPS file, runs the bundled cbc binary, reads the solution.

    CBC checks ``-sec`` only between phases: on capa_8000 it was still running 21 minutes into a 105 s
    limit. A watchdog kills it :data:`CBC_KILL_AFTER_S` past the limit; the run then has no plan."""
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=max(1.0, limit_s - build_s), gapRel=gap, threads=threads)
    stop = threading.Event()
    watchdog = threading.Thread(
        target=_kill_cbc_children, args=(timeline.started + limit_s + CBC_KILL_AFTER_S, stop), daemon=True
    )
    watchdog.start()
    try:
        status = problem.solve(solver)
    except pulp.PulpSolverError:
        wall = time.monotonic() - timeline.started
        return BaselineResult(None, None, None, f"killed at {wall:.0f} s, no plan", build_s, wall, timeline)
    finally:
        stop.set()
        watchdog.join()
    wall = time.monotonic() - timeline.started
    objective = pulp.value(problem.objective) if problem.sol_status in (1, 2) else None
    if objective is not None:
        timeline.add(float(objective), None)
    text = f"{pulp.LpStatus[status]} ({pulp.LpSolution[problem.sol_status]})"
    return BaselineResult(
        None if objective is None else float(objective), None, None, text, build_s, wall, timeline
    )


#: Seconds past its time limit after which the CBC baseline is killed.
CBC_KILL_AFTER_S = 30.0


def _kill_cbc_children(at: float, stop: threading.Event) -> None:
    """At monotonic time ``at`` (unless ``stop`` is set first), kill this process's ``cbc`` children."""
    if stop.wait(max(0.0, at - time.monotonic())):
        return
    me = str(os.getpid())
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().split()
        except OSError:
            continue
        if fields[3] == me and fields[1] == "(cbc)":
            os.kill(int(entry), signal.SIGKILL)


def solve_cflp(
    capacity: np.ndarray,
    fixed_cost: np.ndarray,
    demand: np.ndarray,
    cost: np.ndarray,
    limit_s: float,
    gap: float,
    threads: int | None = None,
    solver: str = "highs",
) -> BaselineResult:
    """The textbook strong CFLP (``cost[i, j]`` serves all of customer ``j`` from ``i``); build + solve
    within ``limit_s`` by ``solver`` (``highs`` or ``cbc``)."""
    timeline = Timeline()
    m, n = cost.shape
    prob = pulp.LpProblem("cflp", pulp.LpMinimize)
    y = [pulp.LpVariable(f"y{i}", cat=pulp.LpBinary) for i in range(m)]
    x = [[pulp.LpVariable(f"x{i}_{j}", 0, 1) for j in range(n)] for i in range(m)]
    prob += pulp.lpSum(float(fixed_cost[i]) * y[i] for i in range(m)) + pulp.lpSum(
        float(cost[i, j]) * x[i][j] for i in range(m) for j in range(n)
    )
    for j in range(n):
        prob += pulp.lpSum(x[i][j] for i in range(m)) == 1, f"serve{j}"
    for i in range(m):
        served = pulp.lpSum(float(demand[j]) * x[i][j] for j in range(n))
        prob += served <= float(capacity[i]) * y[i], f"cap{i}"
        for j in range(n):
            prob += x[i][j] <= y[i], f"link{i}_{j}"
    build_s = time.monotonic() - timeline.started
    return _run(prob, limit_s, gap, timeline, build_s, threads, solver)


def solve_network(
    network: Network,
    objective: Objective,
    limit_s: float,
    gap: float,
    requirements: Requirements | None = None,
    threads: int | None = None,
    solver: str = "highs",
) -> BaselineResult:
    """``network``'s MILP with every linking row, by PuLP's stock HiGHS (or CBC); build + solve in
    ``limit_s``."""
    timeline = Timeline()
    req = requirements or Requirements()
    model = build_model(network, Requirements(**{**_fields(req), "linking": "all"}))
    model.set_objective(objective)
    build_s = time.monotonic() - timeline.started
    return _run(model.problem, limit_s, gap, timeline, build_s, threads, solver)


def _fields(req: Requirements) -> dict[str, Any]:
    return {name: getattr(req, name) for name in req.__dataclass_fields__}
