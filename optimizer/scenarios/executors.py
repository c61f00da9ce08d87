"""Where a sweep's tasks run: a local process pool (the default) or a Dask distributed cluster.

Both run the same :func:`optimizer.scenarios.tasks.run_task` on self-contained tasks and hand each
result back as soon as it finishes (``on_result``), so a sweep keeps every finished scenario even when
it is cancelled or a worker dies. Results are returned in task order: the sweep's tables do not depend
on which worker finished first, nor on how many there were (each solve runs HiGHS on one thread, so it
is deterministic).

Cancel stops pending tasks at once and running ones within a second or two: the workers' solves poll a
shared flag (a ``multiprocessing`` event in the pool, a :class:`distributed.Event` on Dask) and HiGHS
stops at its next callback.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import signal
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from optimizer.design.plan import PlanStatus, text_message
from optimizer.messages import Msg, msg
from optimizer.progress import CancelToken, ProgressCallback, ProgressEvent, Throttle, is_cancelled
from optimizer.scenarios.tasks import BreakEven, Result, ScenarioResult, SolveTask, Task, run_task

#: Called with the task's index and its result as soon as it finishes.
OnResult = Callable[[int, Result], None]

#: How often the pool looks at the cancel token while waiting (s).
POLL_S = 0.2


class Executor(Protocol):
    """Runs tasks and returns one result per task, in task order."""

    @property
    def workers(self) -> int: ...

    def run(
        self,
        tasks: Sequence[Task],
        *,
        on_result: OnResult | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Result]: ...

    def close(self) -> None: ...


def default_workers() -> int:
    """One worker per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # Windows, macOS
        return max(1, os.cpu_count() or 1)


def cancelled_result(task: Task, message: Msg | None = None) -> Result:
    """What a task that never ran reports (``sweep_result.not_started`` unless ``message`` says more)."""
    message = message or msg("sweep_result.not_started")
    if isinstance(task, SolveTask):
        return ScenarioResult(task.key, task.factors, str(PlanStatus.CANCELLED), message)
    return BreakEven(task.site_id, "cancelled", None, task.low, task.high, task.tolerance, 0, 0.0, message)


def failed_result(task: Task, message: Msg) -> Result:
    """What a task whose worker died reports."""
    if isinstance(task, SolveTask):
        return ScenarioResult(task.key, task.factors, str(PlanStatus.ERROR), message)
    return BreakEven(task.site_id, "error", None, task.low, task.high, task.tolerance, 0, 0.0, message)


def is_failure(result: Result) -> bool:
    return result.status in ("error", str(PlanStatus.ERROR))


class _Tracker:
    """Counts finished tasks and reports done / total and the time left, throttled."""

    def __init__(self, total: int, progress: ProgressCallback | None, on_result: OnResult | None) -> None:
        self.total = total
        self.progress = progress
        self.on_result = on_result
        self.started = time.monotonic()
        self.done = 0
        self.failed = 0
        self.throttle = Throttle(4.0)

    def finished(self, index: int, result: Result) -> None:
        self.done += 1
        self.failed += int(is_failure(result))
        if self.on_result is not None:
            self.on_result(index, result)
        self.report(force=self.done == self.total)

    def report(self, force: bool = False) -> None:
        if self.progress is None or not self.throttle.ready(force):
            return
        elapsed = time.monotonic() - self.started
        eta = elapsed / self.done * (self.total - self.done) if self.done else None
        fraction = self.done / self.total if self.total else 1.0
        text = msg("progress.sweep", done=self.done, total=self.total, failed=self.failed, eta=_duration(eta))
        self.progress(ProgressEvent("sweeping", fraction, text, elapsed))


def _duration(seconds: float | None) -> str | Msg:
    """The time left in the reader's units ("12 s", "3 min"; 12 秒, 3 分钟)."""
    if seconds is None:
        return "?"
    if seconds < 90:
        return msg("duration.s", n=f"{seconds:.0f}")
    if seconds < 5400:
        return msg("duration.min", n=f"{seconds / 60:.0f}")
    return msg("duration.h", n=f"{seconds / 3600:.1f}")


# === the local process pool ================================================================================


class _EventToken(CancelToken):
    """A cancel token backed by a flag another process sets (a multiprocessing event)."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self._shared = event

    @property
    def cancelled(self) -> bool:
        return bool(self._shared.is_set())


_WORKER_TOKEN: CancelToken | None = None


def _init_worker(event: Any) -> None:
    global _WORKER_TOKEN
    _WORKER_TOKEN = _EventToken(event)
    # Ctrl+C reaches the whole process group: the parent turns it into a cancel, the workers ignore it
    # (otherwise each would die mid-solve and its scenario would be lost instead of cancelled)
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _silence_native_stdout()


def _silence_native_stdout() -> None:
    """Send what native code writes to this worker's standard output to the null device.

    A worker's results travel back through the pool, never through stdout; HiGHS 1.12 prints a debugging
    line (``HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();``) straight to the
    C stdout on some MIPs, which would land in the middle of the parent's summary.
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stdout.flush()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)


def _pool_run(task: Task) -> Result:
    return run_task(task, _WORKER_TOKEN)


class LocalPool:
    """A pool of worker processes on this machine (``spawn``: the same on Linux, macOS and Windows).

    The pool starts on the first :meth:`run` and stays up for the next ones (a sweep runs its grid,
    tornado and break-even searches on the same workers); :meth:`close` (or ``with``) ends it. With one
    worker tasks run in this process, without a pool.
    """

    def __init__(self, workers: int | None = None) -> None:
        self._workers = max(1, workers or default_workers())
        self._pool: cf.ProcessPoolExecutor | None = None
        self._event: Any = None

    @property
    def workers(self) -> int:
        return self._workers

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _ensure_pool(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._event = context.Event()
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=context,
                initializer=_init_worker,
                initargs=(self._event,),
            )
        return self._pool

    def run(
        self,
        tasks: Sequence[Task],
        *,
        on_result: OnResult | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Result]:
        tracker = _Tracker(len(tasks), progress, on_result)
        tracker.report(force=True)
        results: list[Result | None] = [None] * len(tasks)
        if self._workers == 1 or len(tasks) <= 1 or is_cancelled(cancel):
            for i, task in enumerate(tasks):
                results[i] = cancelled_result(task) if is_cancelled(cancel) else run_task(task, cancel)
                tracker.finished(i, results[i])  # type: ignore[arg-type]
            return [r for r in results if r is not None]
        pool = self._ensure_pool()
        self._event.clear()
        futures = {pool.submit(_pool_run, task): i for i, task in enumerate(tasks)}
        pending = set(futures)
        signalled = False
        while pending:
            done, pending = cf.wait(pending, timeout=POLL_S, return_when=cf.FIRST_COMPLETED)
            for future in done:
                i = futures[future]
                results[i] = _outcome(future, tasks[i])
                tracker.finished(i, results[i])  # type: ignore[arg-type]
            if not signalled and is_cancelled(cancel):
                signalled = True
                self._event.set()  # running solves stop at HiGHS's next callback
                for future in pending:
                    future.cancel()
        return [r if r is not None else cancelled_result(t) for r, t in zip(results, tasks, strict=True)]


def _outcome(future: cf.Future[Result], task: Task) -> Result:
    if future.cancelled():
        return cancelled_result(task)
    try:
        return future.result()
    except Exception as exc:  # the worker process died (killed, out of memory): record it, go on
        error = text_message(f"{type(exc).__name__}: {exc}")
        return failed_result(task, msg("sweep_result.worker_failed", error=error))


# === Dask distributed ======================================================================================


class _DaskToken(CancelToken):
    """A cancel token backed by a :class:`distributed.Event`, looked at most twice a second."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name
        self._checked = 0.0
        self._set = False

    @property
    def cancelled(self) -> bool:
        now = time.monotonic()
        if not self._set and now - self._checked >= 0.5:
            from distributed import Event

            self._checked = now
            self._set = bool(Event(self._name).is_set())
        return self._set


def _dask_run(task: Task, cancel_name: str) -> Result:
    return run_task(task, _DaskToken(cancel_name))


class DaskCluster:
    """Tasks on a Dask distributed cluster, through its client and futures.

    ``address`` is the scheduler's (``tcp://host:8786``); or pass a ``client`` already connected (e.g.
    to a ``LocalCluster``). Each worker needs CopperLoop and its solvers installed (docs/scenarios.md);
    tasks travel as pickled networks and come back as results with their plans.
    """

    def __init__(self, address: str | None = None, *, client: Any = None, workers: int | None = None) -> None:
        if client is None:
            from distributed import Client

            client = Client(address, timeout="20s")
            self._owns_client = True
        else:
            self._owns_client = False
        self.client = client
        self._workers = workers

    @property
    def workers(self) -> int:
        if self._workers is not None:
            return self._workers
        info = self.client.scheduler_info()
        return max(1, sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values()))

    def __enter__(self) -> DaskCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_client:
            self.client.close()

    def run(
        self,
        tasks: Sequence[Task],
        *,
        on_result: OnResult | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Result]:
        from distributed import Event, wait

        tracker = _Tracker(len(tasks), progress, on_result)
        tracker.report(force=True)
        run_id = uuid.uuid4().hex[:12]
        cancel_name = f"copperloop-cancel-{run_id}"
        event = Event(cancel_name, client=self.client)
        futures = {
            self.client.submit(_dask_run, task, cancel_name, key=f"copperloop-{run_id}-{i}", pure=False): i
            for i, task in enumerate(tasks)
        }
        results: list[Result | None] = [None] * len(tasks)
        pending = set(futures)
        cancelled_at: float | None = None
        while pending:
            try:
                done, pending = wait(list(pending), timeout=POLL_S, return_when="FIRST_COMPLETED")
                pending = set(pending)
            except TimeoutError:
                done = set()
            for future in done:
                i = futures[future]
                try:
                    results[i] = future.result()
                except Exception as exc:  # a worker died or the task was cancelled: record it, go on
                    error = text_message(f"{type(exc).__name__}: {exc}")
                    results[i] = failed_result(tasks[i], msg("sweep_result.dask_worker_failed", error=error))
                tracker.finished(i, results[i])  # type: ignore[arg-type]
            if cancelled_at is None and is_cancelled(cancel):
                cancelled_at = time.monotonic()
                event.set()  # queued tasks return at once, running solves at HiGHS's next callback
            if cancelled_at is not None and time.monotonic() - cancelled_at > 10.0 and pending:
                self.client.cancel(list(pending))
                for future in pending:
                    i = futures[future]
                    results[i] = cancelled_result(tasks[i], msg("outcome.cancelled"))
                    tracker.finished(i, results[i])  # type: ignore[arg-type]
                pending = set()
        return [r if r is not None else cancelled_result(t) for r, t in zip(results, tasks, strict=True)]
