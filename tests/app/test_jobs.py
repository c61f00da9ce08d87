"""The background-job layer on its own (app/jobs.py, app/child_jobs.py), without any window.

Orange3's split: the widgets' tests drive the window (tests/app/test_main_window.py, which also keeps the
real-solver cancel tests); these drive :class:`JobRunner` and the job process directly, with the small
fake engines of ``tests/app/fake_engine.py`` running in the real child process, so every outcome the
GUI must handle (a result, a Python error, a dead process, a cancel with and without an incumbent, a
second job while one runs, shutdown) is checked deterministically and in a second or two.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from app.jobs import (
    JOB_PROCESS,
    KILL_WITHOUT_INCUMBENT_S,
    ChildJobError,
    Job,
    JobCancelled,
    JobRunner,
    ProgressUpdate,
    in_child_process,
)
from optimizer import CancelToken, ProgressEvent
from tests.app.fake_engine import FakeOutcome

FAKE = "tests.app.fake_engine"
#: Generous bound for a job that should end at once, on a machine shared by many processes.
PROMPT_S = 30.0


@dataclass
class Outcome:
    """What a job's callbacks received, on the GUI thread."""

    result: Any = None
    error: BaseException | None = None
    trace: str = ""
    updates: list[ProgressUpdate] = field(default_factory=list)
    ended: bool = False


@pytest.fixture
def runner(qtbot: Any) -> Iterator[JobRunner]:
    """A job runner as the window owns one; shut down (thread joined, job process stopped) at the end."""
    job_runner = JobRunner()
    yield job_runner
    job_runner.shutdown()


def submit(runner: JobRunner, target: str, *args: Any, cancel_on_incumbent: bool = False) -> Outcome:
    """Start ``target`` in the job process and return the (still filling) record of its outcome."""
    outcome = Outcome()

    def progressed(update: ProgressUpdate) -> None:
        outcome.updates.append(update)
        if cancel_on_incumbent and update.event.incumbent is not None:
            runner.cancel()

    def done(result: Any) -> None:
        outcome.result, outcome.ended = result, True

    def failed(exc: BaseException, trace: str) -> None:
        outcome.error, outcome.trace, outcome.ended = exc, trace, True

    runner.progressed.connect(progressed)
    job = Job("solve", in_child_process(f"{FAKE}:{target}", *args), on_done=done, on_failed=failed)
    assert runner.submit(job)
    return outcome


def wait_for_progress(runner: JobRunner, outcome: Outcome) -> None:
    """Until the engine has reported once (it is running in the child, past any start-up)."""
    deadline = time.monotonic() + PROMPT_S
    while not outcome.updates and time.monotonic() < deadline:
        runner.wait_idle(0.02)
    assert outcome.updates and runner.busy


def finish(runner: JobRunner, outcome: Outcome, timeout_s: float = PROMPT_S) -> None:
    assert runner.wait_idle(timeout_s), "the job did not end"
    assert outcome.ended
    runner.progressed.disconnect()


def test_a_job_in_the_child_process_delivers_its_result_and_progress(runner: JobRunner) -> None:
    outcome = submit(runner, "finish", 7.5)
    finish(runner, outcome)
    assert outcome.error is None
    assert outcome.result == FakeOutcome("optimal", 7.5, outcome.result.pid)
    assert outcome.result.pid != os.getpid()  # it really ran in the job process
    assert [u.event.incumbent for u in outcome.updates] == [7.5]


def test_cancel_is_passed_on_and_the_engine_ends_cancelled_with_its_incumbent(runner: JobRunner) -> None:
    """The fake engine works until its token is cancelled: no clock decides the outcome, so it is the
    same every time (three runs in the one job process)."""
    pids = set()
    for incumbent in (10.0, 20.0, 30.0):
        outcome = submit(runner, "incumbent_then_wait", incumbent, cancel_on_incumbent=True)
        finish(runner, outcome)
        assert outcome.error is None, outcome.trace
        assert outcome.result.status == "cancelled"
        assert outcome.result.incumbent == incumbent
        assert any("fake: incumbent found" in line for u in outcome.updates for line in u.log_lines)
        pids.add(outcome.result.pid)
    assert len(pids) == 1  # a cancelled job that hands back its result keeps the process for the next one


def test_cancel_without_an_incumbent_ends_the_child_within_the_documented_time(runner: JobRunner) -> None:
    """An engine deaf to Cancel (HiGHS in presolve) is ended KILL_WITHOUT_INCUMBENT_S after Cancel."""
    outcome = submit(runner, "deaf_presolve")
    wait_for_progress(runner, outcome)
    child_pid = int(outcome.updates[0].log_lines[0].rsplit(" ", 1)[1])
    cancelled_at = time.monotonic()
    runner.cancel()
    assert runner.cancel_requested
    finish(runner, outcome)
    ended_after = time.monotonic() - cancelled_at
    assert isinstance(outcome.error, JobCancelled)
    # killed no sooner than documented, and control is back within the two seconds the app promises
    assert KILL_WITHOUT_INCUMBENT_S <= ended_after <= 2.0
    assert not JOB_PROCESS.alive
    with pytest.raises(ProcessLookupError):
        os.kill(child_pid, 0)  # killed and reaped, not left running
    # the next job gets a fresh process and works
    again = submit(runner, "finish", 1.0)
    finish(runner, again)
    assert again.result.status == "optimal" and again.result.pid != child_pid


def test_an_error_in_the_child_reaches_the_job_with_the_childs_traceback(runner: JobRunner) -> None:
    outcome = submit(runner, "raise_error", "yield table of DS-9 is broken")
    finish(runner, outcome)
    assert isinstance(outcome.error, ChildJobError)
    assert str(outcome.error) == "ValueError: yield table of DS-9 is broken"
    # the traceback is the child's, down to the frame that raised, not the worker thread's
    assert outcome.trace == outcome.error.details
    assert "Traceback (most recent call last)" in outcome.trace
    assert "in _build_model" in outcome.trace and "fake_engine.py" in outcome.trace
    assert "ValueError: yield table of DS-9 is broken" in outcome.trace
    assert JOB_PROCESS.alive  # a Python error does not cost the process


def test_a_child_that_dies_gives_a_job_error_and_the_next_job_runs(runner: JobRunner) -> None:
    outcome = submit(runner, "exit_process", 3)
    finish(runner, outcome)
    assert isinstance(outcome.error, ChildJobError)
    assert str(outcome.error) == "the solver process stopped unexpectedly (exit code 3)"
    assert "ChildJobError" in outcome.trace  # where the parent noticed, for the log
    again = submit(runner, "finish", 2.0)
    finish(runner, again)
    assert again.error is None and again.result.incumbent == 2.0


def test_a_job_on_the_worker_thread_that_raises_reports_its_traceback(runner: JobRunner) -> None:
    """Jobs that need no child (opening a workbook, exporting) run on the worker thread itself."""

    def work(progress: Any, cancel: CancelToken) -> None:
        progress(ProgressEvent("open", 0.5))
        raise OSError("disk on fire")

    errors: list[tuple[BaseException, str]] = []
    assert runner.submit(Job("open", work, on_failed=lambda exc, trace: errors.append((exc, trace))))
    assert runner.wait_idle(PROMPT_S)
    [(exc, trace)] = errors
    assert isinstance(exc, OSError) and "in work" in trace and "OSError: disk on fire" in trace


def test_submitting_while_busy_is_refused(runner: JobRunner) -> None:
    outcome = submit(runner, "incumbent_then_wait", 5.0)
    wait_for_progress(runner, outcome)  # it holds an incumbent, so Cancel hands it back
    second_ran: list[bool] = []
    kinds: list[str] = []
    runner.started.connect(kinds.append)
    refused = Job("routes", lambda progress, cancel: second_ran.append(True))
    assert runner.submit(refused) is False
    assert runner.busy and runner.current_kind == "solve" and kinds == []
    runner.cancel()
    finish(runner, outcome)
    assert outcome.result.status == "cancelled"
    assert second_ran == []
    # once idle, the runner takes a job again
    assert runner.submit(Job("routes", lambda progress, cancel: second_ran.append(True)))
    assert runner.wait_idle(PROMPT_S) and second_ran == [True] and kinds == ["routes"]


def test_shutdown_cancels_the_running_job_joins_the_thread_and_stops_the_process(qtbot: Any) -> None:
    runner = JobRunner()
    finished: list[str] = []
    runner.finished.connect(finished.append)
    outcome = submit(runner, "incumbent_then_wait", 9.0)
    wait_for_progress(runner, outcome)
    started = time.monotonic()
    runner.shutdown(timeout_s=5.0)
    assert time.monotonic() - started < 5.0 + 5.0
    assert outcome.ended and outcome.result.status == "cancelled" and finished == ["solve"]
    assert not runner.busy
    assert runner._thread.isFinished()
    assert not JOB_PROCESS.alive
