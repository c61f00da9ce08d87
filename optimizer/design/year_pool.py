"""Single-year solves side by side in worker processes: the periods of a multi-year plan at once.

Why: planning a multi-year model year by year (:mod:`optimizer.design.multiyear_bound`) is one
independent single-year solve per period, and each runs on about one core (model building, the
first-plan heuristic and pricing are Python; HiGHS's simplex and most of its branch and bound are one
thread). On the 2-core machine a six-year national plan is made on, one solve at a time leaves the
second core to others: each of six years got about 14 s of a 120 s budget, too little to prove 1 %.
Two workers plan two years at once, so each year gets about twice the time.

A worker is a fresh interpreter running ``python -m optimizer.design.year_pool`` (not a
``multiprocessing`` child: those import the caller's main script again, which runs a script without an
``if __name__ == "__main__"`` guard a second time; and a fork would copy the locks of the app's job
threads). It reads jobs (the year's network and options, pickled: about 0.2 MB for a national year)
from its stdin and writes each plan (about 0.1 MB) to a private copy of its stdout (the real stdout is
pointed at stderr, so a solver's console output can never corrupt a frame). A cancel is a frame too:
a reader thread in the worker cancels the running solve at once. A solve's solver log lines (when its
options ask for them) come back as frames of their own while it runs, and reach the progress callback
the year was submitted with, as they do when the year is solved here. With one worker, or when a worker
fails (a crash, memory), the solve runs in this process, with the caller's progress.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from optimizer.design.options import SolveOptions
from optimizer.design.plan import Plan
from optimizer.design.solve import solve
from optimizer.model import Network
from optimizer.progress import CancelToken, ProgressCallback, ProgressEvent, is_cancelled

#: How often (seconds) the parent looks at its cancel token while it waits for a worker.
POLL_S = 0.1

_HEADER = struct.Struct("<Q")


@dataclass(frozen=True, slots=True)
class YearResult:
    """One finished solve: the period's index, its plan and the wall seconds it took."""

    key: int
    plan: Plan
    seconds: float


class YearPool:
    """Runs single-year solves on ``workers`` processes (in this process when ``workers`` is 1).

    :meth:`submit` a year when :attr:`free` says a worker is idle; :meth:`wait` returns the solves
    finished so far (blocking until at least one is). :meth:`close` ends the workers.
    """

    def __init__(self, workers: int, cancel: CancelToken | None) -> None:
        self.workers = max(1, workers)
        self.cancel = cancel
        self._done: list[YearResult] = []
        self._results: queue.Queue[tuple[_Worker, Any]] = queue.Queue()
        self._idle: list[_Worker] = []
        self._jobs: dict[_Worker, tuple[int, Network, SolveOptions]] = {}
        self._progress: dict[_Worker, ProgressCallback | None] = {}
        self._cancel_sent = False
        if getattr(sys, "frozen", False):
            self.workers = 1  # a bundled app's executable is not an interpreter that runs ``-m``
        if self.workers > 1:
            try:
                self._idle = [_Worker(self._results) for _ in range(self.workers)]
            except OSError:  # no interpreter to start: every solve runs here
                self._idle = []
                self.workers = 1

    @property
    def busy(self) -> int:
        return len(self._jobs)

    @property
    def free(self) -> bool:
        return self.busy < self.workers

    def submit(
        self, key: int, network: Network, options: SolveOptions, progress: ProgressCallback | None = None
    ) -> None:
        """Plan ``network`` under ``options`` as solve ``key``. In this process (one worker) the solve
        runs now, with ``progress``; in a worker it runs there, and only its solver log lines reach
        ``progress`` (while :meth:`wait` waits)."""
        if not self._idle:
            self._done.append(self._here(key, network, options, progress))
            return
        worker = self._idle.pop()
        try:
            worker.send(("job", (key, network, options)))
        except OSError:  # the worker is gone: plan the year here
            worker.stop()
            self._done.append(self._here(key, network, options, progress))
            return
        self._jobs[worker] = (key, network, options)
        self._progress[worker] = progress

    def wait(self) -> list[YearResult]:
        """The solves finished since the last call; waits for one if none has and one is running."""
        while not self._done and self._jobs:
            if is_cancelled(self.cancel) and not self._cancel_sent:
                self._cancel_sent = True
                for worker in self._jobs:
                    worker.send_quietly(("cancel", None))
            try:
                worker, payload = self._results.get(timeout=POLL_S)
            except queue.Empty:
                continue
            if isinstance(payload, tuple) and len(payload) == 2 and payload[0] == "log":
                forward = self._progress.get(worker) if worker in self._jobs else None
                if forward is not None:
                    forward(ProgressEvent("solving", message="", log_line=str(payload[1])))
                continue
            self._progress.pop(worker, None)
            job = self._jobs.pop(worker, None)
            if job is None:
                continue
            if isinstance(payload, tuple) and len(payload) == 3:
                self._done.append(YearResult(*payload))
                self._idle.append(worker)
            else:  # the worker died or failed: plan that year here, without it
                worker.stop()
                self._done.append(self._here(*job, None))
        out, self._done = self._done, []
        return out

    def close(self) -> None:
        for worker in [*self._idle, *self._jobs]:
            worker.stop()
        self._idle, self._jobs, self._progress = [], {}, {}

    def _here(
        self, key: int, network: Network, options: SolveOptions, progress: ProgressCallback | None
    ) -> YearResult:
        started = time.monotonic()
        plan = solve(network, options, progress=progress, cancel=self.cancel, validated=True)
        return YearResult(key, plan, time.monotonic() - started)


class _Worker:
    """One worker process and the thread that reads its results into the pool's queue."""

    def __init__(self, results: queue.Queue[tuple[_Worker, Any]]) -> None:
        # the worker imports the very package this process runs (a source tree or an installed one)
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "optimizer.design.year_pool"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, args=(results,), daemon=True)
        self.reader.start()

    def send(self, message: tuple[str, Any]) -> None:
        assert self.process.stdin is not None
        with self.lock:
            _write(self.process.stdin, message)

    def send_quietly(self, message: tuple[str, Any]) -> None:
        with contextlib.suppress(OSError):
            self.send(message)

    def stop(self) -> None:
        """End the worker: close its input (it exits when idle), kill it if it does not within 2 s."""
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _read(self, results: queue.Queue[tuple[_Worker, Any]]) -> None:
        assert self.process.stdout is not None
        while True:
            try:
                message = _read(self.process.stdout)
            except Exception:  # a broken frame is a broken worker
                message = None
            if message is None:
                results.put((self, None))  # gone: the pool plans its year itself
                return
            results.put((self, message))


def _write(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read(stream: IO[bytes]) -> Any:
    """The next frame's object, None at the end of the stream."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # frames come only from our own parent or worker


def _serve() -> None:
    """A worker's main loop: solve each job frame, answer with (key, plan, seconds); a cancel
    frame cancels the solve running now; the end of stdin ends the worker."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a solver's console output goes to stderr
    jobs: queue.Queue[tuple[int, Network, SolveOptions] | None] = queue.Queue()
    # one token for the worker's life: the parent cancels once, and every solve after that stops too
    token = CancelToken()

    def listen() -> None:
        while True:
            message = _read(sys.stdin.buffer)
            if message is None:
                token.cancel()
                jobs.put(None)
                return
            kind, payload = message
            if kind == "cancel":
                token.cancel()
            else:
                jobs.put(payload)

    threading.Thread(target=listen, daemon=True).start()
    writing = threading.Lock()  # the solver's log may arrive on another thread than the result

    def send(message: object) -> None:
        with writing:
            _write(out, message)

    def forward_log(event: ProgressEvent) -> None:
        if event.log_line:
            send(("log", event.log_line))

    while (job := jobs.get()) is not None:
        key, network, options = job
        started = time.monotonic()
        plan = solve(network, options, progress=forward_log, cancel=token, validated=True)
        # a plain tuple: this module runs as __main__ here, so its classes would not unpickle there
        send((key, plan, time.monotonic() - started))


if __name__ == "__main__":
    _serve()


__all__ = ["POLL_S", "YearPool", "YearResult"]
