"""The one background worker behind every long job: open, solve, trade-off sweep, routing, export.

A job is a plain function ``fn(progress, cancel) -> result`` from :mod:`optimizer` (it never knows about
Qt) run on a snapshot of the network. :class:`JobRunner` runs one job at a time on a single reused
``QThread``, turns progress callbacks into signals at most ~10 times a second (solver log lines are
batched, never dropped), delivers the result or the error back on the GUI thread, and is cancelled and
joined when the window closes. It never touches a widget.
"""

from __future__ import annotations

import inspect
import multiprocessing
import queue as queue_module
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from optimizer import CancelToken, ProgressEvent, Throttle

JobFunction = Callable[[Callable[[ProgressEvent], None], CancelToken], Any]

#: How long a cancelled child process gets to hand back its best result before it is killed.
CHILD_GRACE_S = 30.0
#: A cancelled job that has not found anything yet (e.g. the solver is still in presolve, which HiGHS
#: does not interrupt) is killed after this long: nothing is lost, and the user gets control back.
KILL_WITHOUT_INCUMBENT_S = 1.0


class JobCancelled(Exception):
    """The user cancelled a job before it had any result worth keeping."""


class ChildJobError(RuntimeError):
    """A job in a child process failed; ``details`` holds the child's traceback."""

    def __init__(self, summary: str, details: str = "") -> None:
        super().__init__(summary)
        self.details = details


class JobProcess:
    """The one long-lived child process that runs solver and routing jobs and reads the files opened
    (see :mod:`app.child_jobs`).

    Started on first use and kept, so a solve does not pay for a process start; restarted if it dies
    (a native crash) or has to be killed (a job that ignores Cancel).
    """

    def __init__(self) -> None:
        self._process: Any = None
        self._lock = threading.Lock()

    def ensure(self) -> tuple[Any, Any, Any]:
        """The (tasks, messages, cancel) channels of a running child, starting one if needed."""
        with self._lock:
            if self._process is None or not self._process.is_alive():
                from app import child_jobs

                context = multiprocessing.get_context("spawn")
                self.tasks, self.messages, self.cancel = context.Queue(), context.Queue(), context.Event()
                self._process = context.Process(
                    target=child_jobs.serve,
                    args=(self.tasks, self.messages, self.cancel),
                    name="copperloop-jobs",
                    daemon=True,
                )
                self._process.start()
            return self.tasks, self.messages, self.cancel

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    @property
    def exitcode(self) -> int | None:
        return None if self._process is None else self._process.exitcode

    def kill(self) -> None:
        with self._lock:
            if self._process is not None and self._process.is_alive():
                self._process.kill()
                self._process.join(timeout=5)
            self._process = None

    def stop(self, timeout_s: float = 5.0) -> None:
        """Ask the child to exit after its current job, then make sure it has."""
        with self._lock:
            process = self._process
            self._process = None
        if process is None:
            return
        if process.is_alive():
            self.tasks.put(None)
            process.join(timeout=timeout_s)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


JOB_PROCESS = JobProcess()


def in_child_process(target: str, *args: Any) -> JobFunction:
    """A job that runs ``target`` ("module:function" in :mod:`app.child_jobs`) in the job process.

    The returned function runs on the worker thread: it hands the task to the child, forwards the
    child's progress, passes Cancel on, and returns the child's result. The worker thread itself only
    waits on a queue, so it never competes with the GUI thread for the interpreter.
    """

    def work(progress: Callable[[ProgressEvent], None], cancel: CancelToken) -> Any:
        tasks, messages, stop = JOB_PROCESS.ensure()
        while not messages.empty():  # leftovers of a job abandoned after Cancel
            messages.get_nowait()
        stop.clear()
        tasks.put((target, args))
        cancelled_at: float | None = None
        has_incumbent = False
        while True:
            if cancel.cancelled and cancelled_at is None:
                stop.set()
                cancelled_at = time.monotonic()
            if (
                cancelled_at is not None
                and not has_incumbent
                and time.monotonic() - cancelled_at > KILL_WITHOUT_INCUMBENT_S
            ):
                JOB_PROCESS.kill()
                raise JobCancelled()
            try:
                kind, *payload = messages.get(timeout=0.05)
            except queue_module.Empty:
                if not JOB_PROCESS.alive:
                    code = JOB_PROCESS.exitcode
                    JOB_PROCESS.kill()
                    raise ChildJobError(
                        f"the solver process stopped unexpectedly (exit code {code})"
                    ) from None
                if cancelled_at is not None and time.monotonic() - cancelled_at > CHILD_GRACE_S:
                    JOB_PROCESS.kill()
                    raise ChildJobError("the solver did not stop after Cancel and was ended") from None
                continue
            if kind == "progress":
                has_incumbent = has_incumbent or payload[0].incumbent is not None
                progress(payload[0])
            elif kind == "done":
                return payload[0]
            else:
                raise ChildJobError(payload[0], payload[1])

    return work


@dataclass
class Job:
    """One unit of background work and what to do with its outcome (called on the GUI thread)."""

    kind: str
    fn: JobFunction
    #: may be a generator function: its slices then run one per turn of the event loop
    on_done: Callable[[Any], Any] | None = None
    on_failed: Callable[[BaseException, str], None] | None = None
    cancel: CancelToken = field(default_factory=CancelToken)
    started_at: float = 0.0


@dataclass(frozen=True)
class ProgressUpdate:
    """What the GUI is told about a running job: the latest event and the log lines since the last one."""

    kind: str
    event: ProgressEvent
    log_lines: tuple[str, ...]
    elapsed_s: float


class _Worker(QObject):
    """Lives in the worker thread; runs whatever job it is handed."""

    progressed = Signal(object)
    done = Signal(object, object)
    failed = Signal(object, object, str)

    @Slot(object)
    def run(self, job: Job) -> None:
        throttle = Throttle(10.0)
        last_step: list[tuple[object, object]] = [("", None)]
        pending: list[str] = []
        lock = threading.Lock()

        def progress(event: ProgressEvent) -> None:
            with lock:
                if event.log_line:
                    pending.extend(event.log_line.splitlines() or [""])
                # a new phase always gets through, so every step reaches the progress line and the log
                step = (event.phase, event.stage)
                force = (event.fraction is not None and event.fraction >= 1.0) or step != last_step[0]
                # a plan found on the way is drawn on the map at once: never dropped by the throttle
                force = force or event.incumbent_plan is not None
                last_step[0] = step
                if not throttle.ready(force):
                    return
                lines = tuple(pending)
                pending.clear()
            self.progressed.emit(ProgressUpdate(job.kind, event, lines, time.monotonic() - job.started_at))

        try:
            result = job.fn(progress, job.cancel)
        except BaseException as exc:  # any failure (or JobCancelled) goes back to the GUI, never a crash
            details = exc.details if isinstance(exc, ChildJobError) and exc.details else ""
            self.failed.emit(job, exc, details or "".join(traceback.format_exception(exc)))
            return
        with lock:
            lines = tuple(pending)
            pending.clear()
        if lines:
            self.progressed.emit(
                ProgressUpdate(job.kind, ProgressEvent("done", 1.0), lines, time.monotonic() - job.started_at)
            )
        self.done.emit(job, result)


class JobRunner(QObject):
    """Runs one job at a time off the GUI thread.

    Signals
    -------
    started(str)
        A job of this kind started.
    progressed(ProgressUpdate)
        Throttled progress of the running job.
    finished(str)
        The job ended (after its ``on_done`` / ``on_failed`` ran), whatever the outcome.
    """

    started = Signal(str)
    progressed = Signal(object)
    finished = Signal(str)
    _submit = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("copperloop-worker")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.progressed.connect(self.progressed)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()
        self._job: Job | None = None

    def prestart(self) -> None:
        """Start the job process in the background now, so the first solve starts at once."""
        threading.Thread(target=JOB_PROCESS.ensure, name="copperloop-prestart", daemon=True).start()

    @property
    def busy(self) -> bool:
        return self._job is not None

    @property
    def current_kind(self) -> str | None:
        return self._job.kind if self._job else None

    @property
    def cancel_requested(self) -> bool:
        return self._job is not None and self._job.cancel.cancelled

    def submit(self, job: Job) -> bool:
        """Start ``job``; False (and nothing starts) when another job is still running."""
        if self._job is not None:
            return False
        self._job = job
        job.started_at = time.monotonic()
        self.started.emit(job.kind)
        self._submit.emit(job)
        return True

    def cancel(self) -> None:
        """Ask the running job to stop; it returns its best result so far through ``on_done``."""
        if self._job is not None:
            self._job.cancel.cancel()

    def wait_idle(self, timeout_s: float) -> bool:
        """Process events until no job runs (for shutdown and tests); False on timeout."""
        from PySide6.QtCore import QCoreApplication

        deadline = time.monotonic() + timeout_s
        while self._job is not None and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.01)
        for _ in range(3):  # let redraws the result scheduled for the next event-loop turn happen
            QCoreApplication.processEvents()
        return self._job is None

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Cancel any running job, join the worker thread and stop the job process (window closing)."""
        self.cancel()
        if self._job is not None:
            self.wait_idle(timeout_s)
        self._thread.quit()
        self._thread.wait(int(timeout_s * 1000))
        JOB_PROCESS.stop()

    def _release(self, job: Job) -> None:
        # Free the runner before the callbacks run, so a callback may start a follow-up job.
        if self._job is job:
            self._job = None

    def _on_done(self, job: Job, result: Any) -> None:
        if job.on_done is not None and inspect.isgeneratorfunction(job.on_done):
            # an on_done that yields does its work in slices, one per turn of the event loop, so a long
            # hand-over (opening the national network) never freezes the window; the job counts as
            # running until its last slice, so no second job starts in between
            self._next_slice(job, job.on_done(result))
            return
        self._release(job)
        try:
            if job.on_done is not None:
                job.on_done(result)
        finally:
            self.finished.emit(job.kind)

    def _next_slice(self, job: Job, steps: Iterator[Any]) -> None:
        try:
            next(steps)
        except StopIteration:
            self._release(job)
            self.finished.emit(job.kind)
            return
        except BaseException:
            self._release(job)
            self.finished.emit(job.kind)
            raise
        QTimer.singleShot(0, self, lambda: self._next_slice(job, steps))

    def _on_failed(self, job: Job, exc: BaseException, trace: str) -> None:
        self._release(job)
        try:
            if job.on_failed is not None:
                job.on_failed(exc, trace)
        finally:
            self.finished.emit(job.kind)
