"""Progress reporting and cancellation shared by every long job (solve, sweep, routing, export).

Jobs are pure functions taking ``progress`` and ``cancel`` arguments; they never know about Qt. The
GUI's worker thread turns progress events into signals and sets the cancel token from the Cancel
button.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """A snapshot of a running job.

    ``fraction`` is overall completion in [0, 1] when it can be estimated. ``incumbent``, ``bound``
    and ``gap`` are the solver's best objective, best bound and relative gap, when it has them.
    """

    phase: str
    fraction: float | None = None
    message: str = ""
    elapsed_s: float = 0.0
    incumbent: float | None = None
    bound: float | None = None
    gap: float | None = None
    log_line: str | None = None


ProgressCallback = Callable[[ProgressEvent], None]


class CancelToken:
    """A thread-safe flag a caller sets to ask a running job to stop as soon as it can."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


def is_cancelled(cancel: CancelToken | None) -> bool:
    return cancel is not None and cancel.cancelled


def scaled(progress: ProgressCallback | None, start: float, end: float) -> ProgressCallback | None:
    """A callback that maps a phase's own [0, 1] fraction into [start, end] of the whole job."""
    if progress is None:
        return None

    def report(event: ProgressEvent) -> None:
        frac = None if event.fraction is None else start + (end - start) * event.fraction
        progress(
            ProgressEvent(
                event.phase, frac, event.message, event.elapsed_s, event.incumbent, event.bound,
                event.gap, event.log_line,
            )
        )

    return report


class Throttle:
    """Lets a callback through at most ``hz`` times a second (always the first and forced ones)."""

    def __init__(self, hz: float = 10.0) -> None:
        self._interval = 1.0 / hz
        self._last = -1e18

    def ready(self, force: bool = False) -> bool:
        now = time.monotonic()
        if force or now - self._last >= self._interval:
            self._last = now
            return True
        return False
