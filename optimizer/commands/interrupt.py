"""Ctrl+C in a long command behaves like Cancel in the app: the first press stops the work and keeps
what it has, the second quits at once.

The work runs in a worker thread while the main thread waits, so Python's signal handler (which only
ever runs in the main thread) answers at once in every phase, also while the solver is deep in native
code: it sets a :class:`~optimizer.progress.CancelToken`, which the solver adapters poll from their
callbacks (HiGHS) or their child-process loop (CBC). Raising ``KeyboardInterrupt`` instead does not
work: HiGHS swallows exceptions raised in its callbacks, and a solve in the main thread only sees the
signal when it next calls back into Python (not at all during a long LP).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import TypeVar

from optimizer.messages import render
from optimizer.progress import CancelToken

T = TypeVar("T")

#: Exit status after the second Ctrl+C (128 + SIGINT, what shells report for an interrupted command).
EXIT_QUIT = 130


@contextlib.contextmanager
def ctrl_c_cancels(lang: str = "en") -> Iterator[CancelToken]:
    """While the block runs, the first Ctrl+C sets the yielded token and the second quits at once.

    Keep the block around the work *and* the writing of its results: a Ctrl+C while the plan is being
    written must not cost the file. Outside the main thread (signals never reach it) the token is
    yielded without a handler.
    """
    token = CancelToken()
    presses = 0

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        nonlocal presses
        presses += 1
        if presses == 1:
            token.cancel()
            print(f"copperloop: {render('cli.stopping', (), lang)}", file=sys.stderr, flush=True)
            return
        print(f"copperloop: {render('cli.quit', (), lang)}", file=sys.stderr, flush=True)
        # the worker may be deep in native code: end the process without waiting for it
        os._exit(EXIT_QUIT)

    if threading.current_thread() is not threading.main_thread():
        yield token
        return
    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield token
    finally:
        signal.signal(signal.SIGINT, previous)


def in_worker(work: Callable[[], T]) -> T:
    """``work()`` in a worker thread while this thread waits, free to run signal handlers at once."""
    if threading.current_thread() is not threading.main_thread():
        return work()
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # handed to the caller's thread, which reports it
            failure.append(error)

    worker = threading.Thread(target=target, name="copperloop-work", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
    if failure:
        raise failure[0]
    return outcome[0]
