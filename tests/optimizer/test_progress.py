"""CancelToken.interruptible(): a cancel raises Cancelled inside the block, never after it.

``PyThreadState_SetAsyncExc`` delivers the exception at the thread's next bytecode, wherever that is. A
cancel that arrives while the block is leaving could once fire inside its exit before the thread was
taken off the token, and a second cancel of the same token then raised in that thread outside any
block. The first test holds the exit at that moment (at the token's lock) while another thread cancels;
the others race real threads with repeated cancels.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Any

from optimizer.progress import Cancelled, CancelToken


def _busy(n: int) -> int:
    total = 0
    for i in range(n):  # pure Python: an async exception is delivered here at once
        total += i
    return total


class _PausingLock:
    """The token's lock, except that the worker's first acquisition after the block's body pauses there
    until another thread has cancelled: the cancel then arrives exactly while the block is leaving,
    before its exit has taken the thread off the token."""

    def __init__(self, lock: Any) -> None:
        self.lock = lock
        self.worker: int | None = None
        self.at_exit, self.cancelled = threading.Event(), threading.Event()

    def __enter__(self) -> None:
        if self.worker == threading.get_ident():
            self.worker = None
            self.at_exit.set()
            self.cancelled.wait(5)  # the Cancelled is delivered as soon as this returns
        self.lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def test_a_cancel_while_the_block_leaves_never_raises_after_it() -> None:
    token = CancelToken()
    lock = _PausingLock(token._lock)
    token._lock = lock  # type: ignore[assignment]
    seen = {"on_leaving": False, "outside": False}
    left = threading.Event()

    def worker() -> None:
        try:
            try:
                with token.interruptible():
                    _busy(100)
                    lock.worker = threading.get_ident()  # the next acquisition is the exit's
            except Cancelled:
                seen["on_leaving"] = True
            left.set()
            _busy(300_000)
        except Cancelled:
            seen["outside"] = True
        left.set()

    thread = threading.Thread(target=worker)
    thread.start()
    assert lock.at_exit.wait(5)
    token.cancel()  # the block is leaving: its exit waits at the lock
    lock.cancelled.set()
    assert left.wait(5)
    token.cancel()  # a second cancel of the same token, the block has left
    thread.join(10)
    assert not thread.is_alive()
    assert seen == {"on_leaving": True, "outside": False}


def test_repeated_cancels_from_another_thread_raise_only_inside_blocks() -> None:
    rng = random.Random(7)
    for _ in range(150):
        token = CancelToken()
        seen: dict[str, bool] = {"inside": False, "outside": False}
        leaving = threading.Event()

        def worker(
            token: CancelToken = token, seen: dict[str, bool] = seen, leaving: threading.Event = leaving
        ) -> None:
            try:
                try:
                    with token.interruptible():
                        _busy(rng.randrange(0, 3000))
                except Cancelled:
                    seen["inside"] = True
                leaving.set()
                _busy(30_000)
            except Cancelled:
                seen["outside"] = True
            leaving.set()

        thread = threading.Thread(target=worker)
        thread.start()
        time.sleep(rng.random() * 0.001)
        for _ in range(3):
            token.cancel()
        leaving.wait(5)
        token.cancel()  # and once more while the thread works outside the block
        thread.join(10)
        assert not thread.is_alive()
        assert not seen["outside"]


def test_a_cancel_reaches_the_outer_block_after_an_inner_one_has_left() -> None:
    token = CancelToken()
    inner_left = threading.Event()
    raised: list[str] = []

    def worker() -> None:
        try:
            with token.interruptible():
                with token.interruptible():
                    _busy(10)
                inner_left.set()
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline:  # only a cancel ends this early
                    _busy(1000)
        except Cancelled:
            raised.append("outer")

    thread = threading.Thread(target=worker)
    thread.start()
    assert inner_left.wait(5)
    token.cancel()
    thread.join(10)
    assert raised == ["outer"]


def test_an_already_cancelled_token_raises_at_the_entry() -> None:
    token = CancelToken()
    token.cancel()
    try:
        with token.interruptible():
            entered = True
    except Cancelled:
        entered = False
    assert not entered
