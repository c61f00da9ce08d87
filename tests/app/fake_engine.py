"""Small fake job functions for tests/app/test_jobs.py, run in the real job process.

linopy's ``DummyHighs`` idea: instead of mocking the solver, the job layer is given stand-in engines that
behave like the situations it must handle (an engine holding an incumbent, one stuck in presolve, one
that raises, one whose native code takes the process down) and are deterministic: each waits for the
event it is about (a cancel) instead of racing a clock. The child process imports this module by name
(``tests.app.fake_engine:...``), so it imports no Qt.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from optimizer import CancelToken, ProgressCallback, ProgressEvent

#: However the test goes, no fake engine outlives this (a safety net, never the thing a test waits for).
SAFETY_S = 60.0


@dataclass(frozen=True)
class FakeOutcome:
    """What a fake engine hands back: how it ended, its best objective and the child's process id."""

    status: str
    incumbent: float | None
    pid: int


def incumbent_then_wait(incumbent: float, *, progress: ProgressCallback, cancel: CancelToken) -> FakeOutcome:
    """Like branch-and-bound with a plan in hand: report ``incumbent``, then work until cancelled.

    On cancel it returns its best with status ``cancelled``, as the real adapters map an interrupt.
    """
    progress(ProgressEvent("solving", 0.5, incumbent=incumbent, log_line="fake: incumbent found"))
    deadline = time.monotonic() + SAFETY_S
    while not cancel.cancelled:
        if time.monotonic() > deadline:
            return FakeOutcome("time_limit", incumbent, os.getpid())
        time.sleep(0.005)
    return FakeOutcome("cancelled", incumbent, os.getpid())


def deaf_presolve(*, progress: ProgressCallback, cancel: CancelToken) -> FakeOutcome:
    """Like HiGHS in presolve: reports progress without any incumbent and never looks at ``cancel``."""
    progress(ProgressEvent("solving", 0.1, message="presolve", log_line=f"fake presolve in {os.getpid()}"))
    time.sleep(SAFETY_S)
    return FakeOutcome("time_limit", None, os.getpid())


def finish(value: float, *, progress: ProgressCallback, cancel: CancelToken) -> FakeOutcome:
    """Ends at once with an optimal ``value`` (the job after a crash or a kill must still work)."""
    progress(ProgressEvent("solving", 1.0, incumbent=value))
    return FakeOutcome("optimal", value, os.getpid())


def raise_error(text: str, *, progress: ProgressCallback, cancel: CancelToken) -> FakeOutcome:
    """An engine that fails with a Python exception deep in its own code."""
    progress(ProgressEvent("building", 0.2))
    return _build_model(text)


def _build_model(text: str) -> FakeOutcome:
    raise ValueError(text)


def exit_process(code: int, *, progress: ProgressCallback, cancel: CancelToken) -> FakeOutcome:
    """A native crash: the process ends at once, without Python's clean-up or any message."""
    progress(ProgressEvent("solving", 0.3))
    time.sleep(0.1)  # the progress message reaches the parent through the queue's feeder thread first
    os._exit(code)
