"""The solver adapters: the only module that imports pulp's solver APIs and highspy.

Two engines behind one function, :func:`run_solver`:

* **HiGHS** runs in-process through PuLP's :class:`pulp.HiGHS` interface, subclassed to (a) pass the
  model to HiGHS in one bulk call instead of one call per column and row, (b) subscribe to HiGHS's
  callbacks for incumbent, bound and gap (forwarded, throttled, as :class:`ProgressEvent`) and for
  interrupting the solve when the cancel token is set, (c) hand HiGHS a starting solution, and (d) read
  HiGHS's own model status, primal solution status and MIP gap. PuLP maps a time limit or an interrupt
  to ``Optimal``; this adapter never does.
* **CBC** is PuLP's bundled binary. PuLP waits on it without a handle, so the adapter starts the same
  binary itself as a child process from PuLP's MPS file: it parses the log for progress, and on cancel
  sends the child an interrupt (CBC then stops and writes its incumbent) or, where signals are not
  available, kills it. A cancelled CBC solve therefore stops within a second or two, not at the time
  limit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import highspy
import numpy as np
import pulp

from optimizer.design.options import SolverName
from optimizer.design.pulp_access import constraint_table
from optimizer.messages import Msg, msg
from optimizer.progress import CancelToken, ProgressCallback, ProgressEvent, Throttle, is_cancelled


class SolveOutcome(StrEnum):
    """What a single MILP solve ended with, read from the solver's own status (never PuLP's)."""

    OPTIMAL = "optimal"  # proven within the requested gap
    FEASIBLE = "feasible"  # stopped (time limit) with an incumbent
    NO_SOLUTION = "no_solution"  # stopped (time limit) before any incumbent
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    CANCELLED = "cancelled"  # the user's cancel stopped it (an incumbent may exist)
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class SolverSettings:
    """Engine settings of one solve (taken from :class:`~optimizer.design.options.SolveOptions`)."""

    solver: SolverName = SolverName.HIGHS
    time_limit_s: float = 120.0
    mip_gap: float = 1e-4
    threads: int | None = None
    log_to_progress: bool = False
    presolve: bool | None = None  # None: HiGHS presolve only up to PRESOLVE_MAX_COLUMNS columns


#: Seconds HiGHS may run past its time limit before CopperLoop interrupts it (as on cancel).
HIGHS_TIME_GRACE_S = 1.0

#: HiGHS's MIP presolve spends 15-25 s (probing and column checks) on flow models with ~100,000 arc
#: columns and removes almost nothing (measured on a 600-yard random network: presolve alone took 18 s,
#: the whole MIP without it 12 s). Above this many columns presolve is off unless asked for.
PRESOLVE_MAX_COLUMNS = 20_000


@dataclass(frozen=True, slots=True)
class SolverResult:
    """The outcome of one solve. When ``has_solution`` the PuLP variables hold the solution's values.

    ``objective`` and ``bound`` are in the problem's own sense (a maximisation reports its maximum);
    ``gap`` is relative, ``|objective - bound| / max(|objective|, tiny)`` as the solver computes it.
    """

    outcome: SolveOutcome
    has_solution: bool
    objective: float | None
    bound: float | None
    gap: float | None
    runtime_s: float
    solver: str
    message: str = ""
    log_tail: tuple[str, ...] = field(default_factory=tuple)


def _no_solution(
    outcome: SolveOutcome, runtime_s: float, solver: str, message: str, reporter: _Reporter | None = None
) -> SolverResult:
    """A result without a solution (an error, a cancel before any incumbent), with the log's last lines."""
    tail = reporter.tail() if reporter is not None else ()
    return SolverResult(outcome, False, None, None, None, runtime_s, solver, message, tail)


def solver_label(solver: SolverName) -> str:
    """Engine name and version, for plans and reports."""
    if solver is SolverName.HIGHS:
        h = highspy.Highs()
        return f"HiGHS {h.version()}" if hasattr(h, "version") else "HiGHS"
    return "CBC (PuLP bundled)"


def run_solver(
    problem: pulp.LpProblem,
    settings: SolverSettings,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    warm_start: Mapping[pulp.LpVariable, float] | None = None,
    phase: str | Msg = "solving",
) -> SolverResult:
    """Solve ``problem`` with the engine in ``settings``; normal outcomes are statuses, not exceptions.

    ``warm_start`` maps variables to a starting solution (HiGHS: ``setSolution``; CBC: ``-mips``).
    """
    if is_cancelled(cancel):
        cancelled = "cancelled before the solver started"
        return _no_solution(SolveOutcome.CANCELLED, 0.0, settings.solver.value, cancelled)
    reporter = _Reporter(progress, phase, settings.time_limit_s, problem.sense == pulp.LpMaximize)
    started = msg("progress.solver_started", solver=solver_label(settings.solver))
    reporter.update(None, None, None, force=True, message=started)
    if settings.solver is SolverName.CBC:
        result = _solve_cbc(problem, settings, reporter, cancel, warm_start)
        if result.outcome is SolveOutcome.INFEASIBLE and _cbc_preprocessing_said_infeasible(reporter):
            # CBC's preprocessing wrongly calls some feasible models infeasible (coin-or/Cbc#737, #740,
            # #747; the hypothesis fuzz test found a 4-yard network): believe it only without it
            reporter.line("CopperLoop: CBC's preprocessing said infeasible; solving again without it", True)
            left = max(1.0, settings.time_limit_s - reporter.elapsed())
            retry = dataclasses.replace(settings, time_limit_s=left)
            result = _solve_cbc(problem, retry, reporter, cancel, warm_start, preprocess=False)
        return result
    return _solve_highs(problem, settings, reporter, cancel, warm_start)


# === progress ============================================================================================


class _Reporter:
    """Turns solver events into throttled ProgressEvents; keeps the last log lines for error messages."""

    def __init__(
        self, progress: ProgressCallback | None, phase: str | Msg, time_limit_s: float, maximise: bool
    ):
        self.progress = progress
        self.phase = phase
        self.time_limit_s = time_limit_s
        self.maximise = maximise
        self.throttle = Throttle(10.0)
        self.started = time.monotonic()
        self.log: list[str] = []
        self.lock = threading.Lock()
        self.incumbent: float | None = None
        self.bound: float | None = None
        self.gap: float | None = None

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def update(
        self,
        incumbent: float | None,
        bound: float | None,
        gap: float | None,
        force: bool = False,
        message: str | Msg = "",
    ) -> None:
        with self.lock:
            if incumbent is not None and np.isfinite(incumbent):
                self.incumbent = float(incumbent)
            if bound is not None and np.isfinite(bound):
                self.bound = float(bound)
            if gap is not None and np.isfinite(gap):
                self.gap = float(gap)
            if self.progress is None or not self.throttle.ready(force):
                return
            event = ProgressEvent(
                self.phase,
                min(1.0, self.elapsed() / self.time_limit_s),
                message,
                self.elapsed(),
                self.incumbent,
                self.bound,
                self.gap,
            )
        self.progress(event)

    def line(self, text: str, forward: bool) -> None:
        text = text.rstrip()
        if not text:
            return
        with self.lock:
            self.log.append(text)
            if len(self.log) > 200:
                del self.log[:100]
        if forward and self.progress is not None:
            self.progress(
                ProgressEvent(
                    self.phase, None, "", self.elapsed(), self.incumbent, self.bound, self.gap, log_line=text
                )
            )

    def tail(self, n: int = 12) -> tuple[str, ...]:
        with self.lock:
            return tuple(self.log[-n:])


# === HiGHS ===============================================================================================

_HMS = highspy.HighsModelStatus


class _HighsWithEvents(pulp.HiGHS):  # type: ignore[misc]
    """PuLP's HiGHS interface with bulk model passing, callbacks, warm start and honest statuses."""

    def __init__(
        self,
        settings: SolverSettings,
        reporter: _Reporter,
        cancel: CancelToken | None,
        warm_start: Mapping[pulp.LpVariable, float] | None,
    ) -> None:
        super().__init__(
            msg=False, timeLimit=settings.time_limit_s, gapRel=settings.mip_gap, threads=settings.threads
        )
        self.settings = settings
        self.reporter = reporter
        self.cancel = cancel
        self.warm_start = warm_start
        self.result: SolverResult | None = None
        self.has_integers = False
        # HiGHS checks its own time limit only now and then (measured: 1.8-4.5 s past a 1 s limit in a
        # CFLP's root LP with a start); past the limit by HIGHS_TIME_GRACE_S, the interrupt stops it
        self.overdue_at = time.monotonic() + settings.time_limit_s + HIGHS_TIME_GRACE_S
        self.overdue = False

    # PuLP calls: createAndConfigureSolver, buildSolverModel, callSolver, findSolutionValues
    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:
        super().createAndConfigureSolver(lp)
        h = lp.solverModel
        # HiGHS calls the logging callbacks only while it logs somewhere: log to the null device
        h.setOptionValue("output_flag", True)
        h.setOptionValue("log_to_console", False)
        h.setOptionValue("log_file", os.devnull)
        if self.settings.log_to_progress:
            h.cbLogging.subscribe(self._on_log)
        h.cbMipImprovingSolution.subscribe(self._on_mip_event)
        h.cbMipLogging.subscribe(self._on_mip_event)
        for interrupt in (h.cbMipInterrupt, h.cbSimplexInterrupt, h.cbIpmInterrupt):
            interrupt.subscribe(self._on_interrupt)

    def _on_log(self, event: Any) -> None:
        self.reporter.line(event.message, forward=True)

    def _on_mip_event(self, event: Any) -> None:
        out = event.data_out
        self.reporter.update(out.mip_primal_bound, out.mip_dual_bound, out.mip_gap)

    def _on_interrupt(self, event: Any) -> None:
        if is_cancelled(self.cancel):
            event.interrupt()
        elif time.monotonic() > self.overdue_at:
            self.overdue = True
            event.interrupt()

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:
        self.has_integers = pass_model(lp.solverModel, lp, relax=False, drop_fixed_zero=True)

    def callSolver(self, lp: pulp.LpProblem) -> None:
        h = lp.solverModel
        presolve = self.settings.presolve
        if presolve is None:
            presolve = h.getNumCol() <= PRESOLVE_MAX_COLUMNS
        if not presolve:
            h.setOptionValue("presolve", "off")
        if is_cancelled(self.cancel):
            return  # findSolutionValues reports the unsolved model as cancelled
        if self.warm_start:
            start = [(v.index, x) for v, x in self.warm_start.items() if v.index >= 0]
            idx = np.array([i for i, _ in start], dtype=np.int32)
            val = np.array([x for _, x in start], dtype=float)
            h.setSolution(len(idx), idx, val)
        h.run()

    def findSolutionValues(self, lp: pulp.LpProblem) -> tuple[int, int]:
        h = lp.solverModel
        status = h.getModelStatus()
        info = h.getInfo()
        has_solution = int(info.primal_solution_status) == int(highspy.SolutionStatus.kSolutionStatusFeasible)
        objective = float(info.objective_function_value) if has_solution else None
        if self.has_integers:
            bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
            gap = float(info.mip_gap) if has_solution and np.isfinite(info.mip_gap) else None
        else:
            bound, gap = (objective, 0.0) if status == _HMS.kOptimal else (None, None)
        if status == _HMS.kModelEmpty:
            # every column was fixed at 0 (a network with no allowed arc): the all-zero point is the only
            # solution; it is optimal when every row holds at zero activity, else the model is infeasible
            outcome, has_solution, objective, bound, gap = _empty_model_outcome(lp)
        elif status == _HMS.kNotset and is_cancelled(self.cancel):
            outcome, has_solution = SolveOutcome.CANCELLED, False
        elif status == _HMS.kOptimal:
            outcome = SolveOutcome.OPTIMAL
        elif status in (_HMS.kInfeasible, _HMS.kUnboundedOrInfeasible):
            outcome, has_solution = SolveOutcome.INFEASIBLE, False
        elif status == _HMS.kUnbounded:
            outcome, has_solution = SolveOutcome.UNBOUNDED, False
        elif status == _HMS.kInterrupt and self.overdue and not is_cancelled(self.cancel):
            outcome = SolveOutcome.FEASIBLE if has_solution else SolveOutcome.NO_SOLUTION
        elif status == _HMS.kInterrupt:
            outcome = SolveOutcome.CANCELLED
        elif status in (
            _HMS.kTimeLimit,
            _HMS.kIterationLimit,
            _HMS.kSolutionLimit,
            _HMS.kObjectiveBound,
            _HMS.kObjectiveTarget,
            _HMS.kMemoryLimit,
        ):
            outcome = SolveOutcome.FEASIBLE if has_solution else SolveOutcome.NO_SOLUTION
        else:
            outcome, has_solution = SolveOutcome.ERROR, False
        if has_solution:
            col_value = h.getSolution().col_value
            for var in lp.variables():
                var.varValue = col_value[var.index] if var.index >= 0 else 0.0
        else:
            for var in lp.variables():
                var.varValue = None
        message = h.modelStatusToString(status)
        if status == _HMS.kModelEmpty:
            message = f"{outcome.value} (every column is fixed at 0)"
        self.result = SolverResult(
            outcome,
            has_solution,
            objective,
            bound,
            gap,
            self.reporter.elapsed(),
            "",
            message,
            self.reporter.tail(),
        )
        if outcome is SolveOutcome.OPTIMAL:
            return pulp.LpStatusOptimal, pulp.LpSolutionOptimal
        if outcome is SolveOutcome.INFEASIBLE:
            return pulp.LpStatusInfeasible, pulp.LpSolutionInfeasible
        if has_solution:
            return pulp.LpStatusNotSolved, pulp.LpSolutionIntegerFeasible
        return pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound


def _empty_model_outcome(
    lp: pulp.LpProblem,
) -> tuple[SolveOutcome, bool, float | None, float | None, float | None]:
    """(outcome, has_solution, objective, bound, gap) of a model whose every column is fixed at zero."""
    for var in lp.variables():
        var.varValue = 0.0
    if all(c.valid(1e-9) for c in constraint_table(lp).values()):
        objective = float(pulp.value(lp.objective) or 0.0) if lp.objective is not None else 0.0
        return SolveOutcome.OPTIMAL, True, objective, objective, 0.0
    return SolveOutcome.INFEASIBLE, False, None, None, None


def pass_model(h: highspy.Highs, lp: pulp.LpProblem, relax: bool, drop_fixed_zero: bool = False) -> bool:
    """Hand ``lp`` to ``h`` in one bulk call (PuLP adds one column and one row per call).

    Sets ``var.index`` and ``constraint.index`` like PuLP does. With ``drop_fixed_zero``, columns whose
    bounds are both 0 are left out (their ``index`` is -1; they are 0 in any solution): a model restricted
    by fixing most of its arcs to zero then reaches HiGHS as the small model it is, so presolve and the
    LP work on it alone. Returns whether any column is integer (always False when ``relax``).
    """
    variables = lp.variables()
    lower = np.array([-highspy.kHighsInf if v.lowBound is None else v.lowBound for v in variables], float)
    upper = np.array([highspy.kHighsInf if v.upBound is None else v.upBound for v in variables], float)
    keep = ~((lower == 0.0) & (upper == 0.0)) if drop_fixed_zero else np.ones(len(variables), dtype=bool)
    position = np.cumsum(keep) - 1
    for i, var in enumerate(variables):
        var.index = int(position[i]) if keep[i] else -1
    kept = np.flatnonzero(keep)
    n = int(kept.size)
    objective = lp.objective or {}
    cost = np.zeros(n)
    for var, coef in objective.items():
        if var.index >= 0:
            cost[var.index] = coef
    integer = [0 if relax else int(variables[i].cat == pulp.LpInteger) for i in kept.tolist()]
    integrality = np.array(integer, dtype=np.int32)
    constraints = list(constraint_table(lp).values())
    starts = np.zeros(len(constraints) + 1, dtype=np.int32)
    index: list[int] = []
    value: list[float] = []
    row_lower = np.empty(len(constraints))
    row_upper = np.empty(len(constraints))
    for r, c in enumerate(constraints):
        c.index = r
        for var, coef in c.items():
            if coef != 0 and var.index >= 0:
                index.append(var.index)
                value.append(coef)
        starts[r + 1] = len(index)
        lb, ub = c.getLb(), c.getUb()
        row_lower[r] = -highspy.kHighsInf if lb is None else lb
        row_upper[r] = highspy.kHighsInf if ub is None else ub
    sense = highspy.ObjSense.kMaximize if lp.sense == pulp.LpMaximize else highspy.ObjSense.kMinimize
    offset = float(getattr(objective, "constant", 0.0) or 0.0)
    h.passModel(
        n,
        len(constraints),
        len(index),
        int(highspy.MatrixFormat.kRowwise),
        int(sense),
        offset,
        cost,
        lower[kept],
        upper[kept],
        row_lower,
        row_upper,
        starts,
        np.array(index, dtype=np.int32),
        np.array(value, dtype=float),
        integrality,
    )
    return bool(integrality.any())


def _solve_highs(
    problem: pulp.LpProblem,
    settings: SolverSettings,
    reporter: _Reporter,
    cancel: CancelToken | None,
    warm_start: Mapping[pulp.LpVariable, float] | None,
) -> SolverResult:
    solver = _HighsWithEvents(settings, reporter, cancel, warm_start)
    label = solver_label(SolverName.HIGHS)
    try:
        problem.solve(solver)
    except Exception as exc:  # the engine itself failed: report it as a status, with its log
        return _no_solution(SolveOutcome.ERROR, reporter.elapsed(), label, f"HiGHS failed: {exc}", reporter)
    result = solver.result
    assert result is not None
    if result.outcome is SolveOutcome.CANCELLED or (
        is_cancelled(cancel) and result.outcome is not SolveOutcome.OPTIMAL
    ):
        result = _replace(result, outcome=SolveOutcome.CANCELLED)
    reporter.update(
        result.objective, result.bound, result.gap, force=True, message=_ended(label, result.outcome)
    )
    return _replace(result, solver=label)


def _ended(label: str, outcome: SolveOutcome) -> Msg:
    """What the progress line says when a solver stops (its own status words stay in the log)."""
    return msg("progress.solver_ended", solver=label, outcome=msg(f"outcome.{outcome.value}"))


def _replace(result: SolverResult, **changes: Any) -> SolverResult:
    return dataclasses.replace(result, **changes)


# === CBC =================================================================================================

_CBC_PROGRESS = re.compile(
    r"Cbc0010I After \d+ nodes, \d+ on tree, (?P<inc>[-+\deE.]+|1e\+50) best solution, best possible "
    r"(?P<bnd>[-+\deE.]+)"
)
_CBC_INTEGER = re.compile(r"Cbc0012I Integer solution of (?P<inc>[-+\deE.]+)")
_CBC_RESULT_BOUND = re.compile(r"^Lower bound:\s+(?P<bnd>[-+\deE.]+)")
_CBC_RESULT_GAP = re.compile(r"^Gap:\s+(?P<gap>[-+\deE.]+)")
_CBC_NO_SOLUTION = 1e49  # CBC prints 1e+50 as the incumbent before it has one


def _solve_cbc(
    problem: pulp.LpProblem,
    settings: SolverSettings,
    reporter: _Reporter,
    cancel: CancelToken | None,
    warm_start: Mapping[pulp.LpVariable, float] | None = None,
    preprocess: bool = True,
) -> SolverResult:
    cbc = _bundled_cbc()
    label = solver_label(SolverName.CBC)
    if not cbc.available():
        return _no_solution(
            SolveOutcome.ERROR, 0.0, label, f"the bundled CBC binary is not available at {cbc.path}"
        )
    maximise = problem.sense == pulp.LpMaximize
    with tempfile.TemporaryDirectory(prefix="copperloop_cbc_") as tmp:
        mps, sol = os.path.join(tmp, "model.mps"), os.path.join(tmp, "model.sol")
        vs, var_names, con_names, _ = problem.writeMPS(mps, rename=1)
        args = [cbc.path, mps]
        if maximise:
            args.append("-max")
        if warm_start:
            # CBC's MIP start (-mips) is a solution file in its own format, written by PuLP
            for var, value in warm_start.items():
                var.varValue = value
            start = os.path.join(tmp, "start.mst")
            cbc.writesol(start, problem, vs, var_names, con_names)
            args += ["-mips", start]
        args += [
            "-sec",
            repr(float(settings.time_limit_s)),
            "-ratio",
            repr(float(settings.mip_gap)),
            "-timeMode",
            "elapsed",
        ]
        if settings.threads is not None:
            args += ["-threads", str(settings.threads)]
        if not preprocess:
            args += ["-preprocess", "off"]
        args += ["-solve", "-printingOptions", "all", "-solution", sol]
        ran = _run_cbc_process(args, settings, reporter, cancel, maximise, has_start=bool(warm_start))
        if ran is None:
            not_started = "CBC could not be started"
            return _no_solution(SolveOutcome.ERROR, reporter.elapsed(), label, not_started, reporter)
        interrupted, overdue = ran
        # Ctrl+C in a terminal reaches CBC too (same process group): it may stop before the loop saw the
        # token, and its "Stopped on ctrl-c" is then the user's cancel, not a time limit
        interrupted = interrupted or is_cancelled(cancel)
        if not os.path.exists(sol):
            outcome = SolveOutcome.ERROR
            if interrupted:
                outcome = SolveOutcome.CANCELLED
            elif overdue:
                outcome = SolveOutcome.NO_SOLUTION
            return _no_solution(
                outcome, reporter.elapsed(), label, "CBC stopped without writing a solution", reporter
            )
        with open(sol) as f:
            first = f.readline().strip()
        _status, values, _dj, _pi, _slack, _sol_status = cbc.readsol_MPS(
            sol, problem, vs, var_names, con_names
        )
    return _cbc_result(problem, first, values, interrupted, reporter, label)


#: Seconds CBC may run past its time limit before CopperLoop interrupts it (see _run_cbc_process).
CBC_TIME_GRACE_S = 2.0

#: Seconds CBC gets to stop and write its incumbent after that interrupt before it is killed.
CBC_STOP_WAIT_S = 15.0


def _cbc_preprocessing_said_infeasible(reporter: _Reporter) -> bool:
    """Whether CBC's last run ended in its preprocessing with "infeasible" (not a proof, see run_solver)."""
    return any("Pre-processing says infeasible" in line for line in reporter.tail(20))


def _run_cbc_process(
    args: list[str],
    settings: SolverSettings,
    reporter: _Reporter,
    cancel: CancelToken | None,
    maximise: bool,
    has_start: bool = False,
) -> tuple[bool, bool] | None:
    """Run CBC, stream its log, stop it on cancel. Returns (cancelled, stopped past the time limit), or
    None when CBC could not be started.

    CBC checks its own time limit (``-sec``) only between phases: on a 100,000-column model it ran 20-30 s
    past it in preprocessing and root cuts, and on a 177,000-column one more than 10 minutes past it
    without finding a plan. So the time limit is also enforced from here: once CBC holds a plan (an
    incumbent in its log, or the starting plan it was given) and is past its limit by
    :data:`CBC_TIME_GRACE_S`, it gets the same interrupt as on cancel and stops, writing its incumbent.
    Without a plan it may run to twice its limit (a plan late is better than none), then it is stopped
    too. On Windows, where that interrupt cannot be sent, CBC keeps to its own limit.
    """
    kwargs: dict[str, Any] = {}
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NO_WINDOW  # type: ignore[attr-defined]
    try:
        proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            bufsize=1,
            **kwargs,
        )
    except OSError:
        return None
    sign = -1.0 if maximise else 1.0

    def pump() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            reporter.line(raw, forward=settings.log_to_progress)
            m = _CBC_PROGRESS.search(raw)
            if m:
                inc, bnd = float(m["inc"]), float(m["bnd"])
                reporter.update(None if abs(inc) >= _CBC_NO_SOLUTION else sign * inc, sign * bnd, None)
                continue
            m = _CBC_INTEGER.search(raw)
            if m:
                reporter.update(sign * float(m["inc"]), None, None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    interrupted = False
    started = time.monotonic()
    stopping = False
    deadline: float | None = None
    while proc.poll() is None:
        if is_cancelled(cancel) and not interrupted:
            interrupted = True
            if sys.platform == "win32":
                proc.kill()
            else:
                # CBC stops on SIGINT and still writes its incumbent; kill it if it lingers (a user's
                # cancel waits 2 s at most, also when CBC is already stopping at its time limit)
                if not stopping:
                    proc.send_signal(signal.SIGINT)
                deadline = min(deadline or math.inf, time.monotonic() + 2.0)
        allowed = settings.time_limit_s * (1.0 if has_start or reporter.incumbent is not None else 2.0)
        late = time.monotonic() > started + allowed + CBC_TIME_GRACE_S
        if late and not stopping and not interrupted and sys.platform != "win32":
            stopping = True
            reporter.line(
                f"CopperLoop: CBC is past its time limit of {settings.time_limit_s:g} s; stopping it", True
            )
            proc.send_signal(signal.SIGINT)
            # writing the incumbent of a 100,000-column model takes seconds: wait longer than on cancel
            deadline = time.monotonic() + CBC_STOP_WAIT_S
        if deadline is not None and time.monotonic() > deadline:
            proc.kill()
            deadline = None
        time.sleep(0.05)
    reader.join(timeout=2.0)
    with contextlib.suppress(Exception):
        proc.stdout.close()  # type: ignore[union-attr]
    return interrupted, stopping


def _cbc_result(
    problem: pulp.LpProblem,
    first_line: str,
    values: Mapping[str, float],
    interrupted: bool,
    reporter: _Reporter,
    label: str,
) -> SolverResult:
    head = first_line.lower()
    infeasible = head.startswith("infeasible") or "integer infeasible" in head
    unbounded = head.startswith("unbounded")
    optimal = head.startswith("optimal")
    stopped = head.startswith("stopped")
    has_solution = (optimal or stopped) and not infeasible and "objective value" in head
    if stopped:
        # "Stopped on time - objective value X" has an incumbent; "Stopped on time (no integer solution
        # - continuous used) - objective value X" does not (the value is the LP relaxation's)
        tokens = first_line.split()
        has_solution = len(tokens) >= 5 and tokens[4] == "objective"
    if has_solution:
        problem.assignVarsVals(dict(values))
        objective = float(pulp.value(problem.objective) or 0.0)
    else:
        for var in problem.variables():
            var.varValue = None
        objective = None
    bound, gap = _cbc_final_bound(reporter, problem.sense == pulp.LpMaximize)
    if optimal:
        outcome = SolveOutcome.OPTIMAL
        bound = objective if bound is None else bound
        gap = 0.0 if gap is None else gap
    elif infeasible:
        outcome = SolveOutcome.INFEASIBLE
    elif unbounded:
        outcome = SolveOutcome.UNBOUNDED
    elif interrupted:
        outcome = SolveOutcome.CANCELLED
    elif stopped:
        outcome = SolveOutcome.FEASIBLE if has_solution else SolveOutcome.NO_SOLUTION
    else:
        outcome = SolveOutcome.ERROR
    if has_solution and objective is not None and bound is not None and gap is None:
        gap = abs(objective - bound) / max(abs(objective), 1e-10)
    reporter.update(objective, bound, gap, force=True, message=_ended(label, outcome))
    return SolverResult(
        outcome, has_solution, objective, bound, gap, reporter.elapsed(), label, first_line, reporter.tail()
    )


def _cbc_final_bound(reporter: _Reporter, maximise: bool) -> tuple[float | None, float | None]:
    """Bound and gap from CBC's closing summary, else the last progress line."""
    bound = gap = None
    for text in reporter.tail(60):
        m = _CBC_RESULT_BOUND.match(text.strip())
        if m:
            bound = float(m["bnd"])
        m = _CBC_RESULT_GAP.match(text.strip())
        if m:
            gap = float(m["gap"])
    if bound is not None and maximise:
        bound = -bound
    if bound is None:
        bound = reporter.bound
    return bound, gap


def available_solvers() -> list[SolverName]:
    """The engines usable in this installation (HiGHS is a hard dependency; CBC needs its binary)."""
    return [s for s in SolverName if s is SolverName.HIGHS or _bundled_cbc().available()]


def _bundled_cbc() -> Any:
    """PuLP's bundled CBC (deprecated for PuLP 4, which the pin <4 keeps away)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return pulp.PULP_CBC_CMD(msg=False)
