"""Progress reporting and cancellation shared by every long job (solve, sweep, routing, export).

Jobs are pure functions taking ``progress`` and ``cancel`` arguments; they never know about Qt. The
GUI's worker thread turns progress events into signals and sets the cancel token from the Cancel
button.

What an event says is a translatable message (:class:`~optimizer.messages.Msg`: a catalogue key and
its arguments), never a pre-formatted English sentence: the GUI renders it in the language the user
reads at the moment it is shown (and again when the language is switched), the CLI in English.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from optimizer.messages import EN, Msg, msg

#: What a progress event says: a catalogue message, or a plain string for text that is the same in every
#: language (a file name, a solver's log line).
Text = str | Msg


@dataclass(frozen=True, slots=True)
class IncumbentFlow:
    """One arc's flow of an :class:`IncumbentPlan`: ``t`` tonnes a year of ``grade_id`` on one leg.

    ``t_cu``, ``km``, ``cost_cny`` (transport a year) and ``mode`` (how the arc is priced, as
    ``Flow.mode``) are what the final plan's flow says, where the job knows them (the first-plan
    heuristic does); None where it does not, so a view can say so instead of showing nothing.
    """

    from_id: str
    to_id: str
    grade_id: str
    echelon: str
    t: float
    t_cu: float | None = None
    km: float | None = None
    cost_cny: float | None = None
    mode: str | None = None


@dataclass(frozen=True, slots=True)
class IncumbentPlan:
    """A feasible plan found while the solve goes on (the first-plan heuristic's), in the few facts a
    map needs to draw it at once: the sites it opens and its flows.

    It is not the result: the solve's final plan (with its KPIs, checked and extracted in full) replaces
    it. Kept this small so an event carrying it crosses from the job process to the window cheaply
    (national network: about 2,400 flows).
    """

    objective: float
    open_modules: tuple[tuple[str, str], ...]  # (site id, module id) of every site the plan runs
    flows: tuple[IncumbentFlow, ...]


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """A snapshot of a running job.

    ``phase`` is a phase key (``"solving"``, rendered from the catalogue's ``phase.solving``). A phase
    given as a :class:`Msg` of a ``phase.*`` code with arguments (``phase.solving_point``: point 2 of 5)
    is kept as ``stage``, the words shown, and ``phase`` becomes its key. ``message`` says what is
    happening within the phase. ``fraction`` is overall completion in [0, 1] when it can be estimated.
    ``incumbent``, ``bound`` and ``gap`` are the solver's best objective, best bound and relative gap,
    when it has them; ``incumbent_plan`` is the plan behind ``incumbent`` when the job can say it
    cheaply (the first-plan heuristic does), so a view can draw it before the solve ends.
    """

    phase: Text
    fraction: float | None = None
    message: Text = ""
    elapsed_s: float = 0.0
    incumbent: float | None = None
    bound: float | None = None
    gap: float | None = None
    log_line: str | None = None
    stage: Msg | None = None
    incumbent_plan: IncumbentPlan | None = None

    def __post_init__(self) -> None:
        if isinstance(self.phase, Msg):
            # frozen: the constructor's own normalisation, done once
            object.__setattr__(self, "stage", self.phase)
            object.__setattr__(self, "phase", self.phase.code.removeprefix("phase.").split("_", 1)[0])

    @property
    def phase_key(self) -> str:
        """The phase as a stable key (``"solving"`` also for "solving, point 2 of 5")."""
        return str(self.phase)

    def phase_text(self, lang: str = "en") -> str:
        return render_text(self.stage or phase_message(self.phase), lang)

    def message_text(self, lang: str = "en") -> str:
        return render_text(self.message, lang)

    def describe(self, lang: str = "en") -> str:
        """The phase and the message in one line, in ``lang``: "Solving: HiGHS started"."""
        phase, message = self.phase_text(lang), self.message_text(lang)
        if not message:
            return phase
        return f"{phase}{'：' if lang == 'zh' else ': '}{message}"


def phase_message(phase: Text) -> Text:
    """A phase key as its catalogue message (``"solving"`` -> ``phase.solving``); others unchanged."""
    if isinstance(phase, str) and f"phase.{phase}" in EN:
        return msg(f"phase.{phase}")
    return phase


def render_text(text: Text, lang: str = "en") -> str:
    return text.render(lang) if isinstance(text, Msg) else text


ProgressCallback = Callable[[ProgressEvent], None]


class Cancelled(Exception):
    """Raised inside :meth:`CancelToken.interruptible` work when the token is cancelled meanwhile."""


class CancelToken:
    """A thread-safe flag a caller sets to ask a running job to stop as soon as it can.

    Jobs poll it between steps (and the solver adapters from their callbacks). Long pure-Python work
    with no checks of its own (building a model of 100,000 arcs takes seconds, of 2.5 million a minute)
    runs inside :meth:`interruptible` instead: a cancel then raises :class:`Cancelled` in that thread at
    once.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.RLock()  # re-entrant: a signal handler may cancel in the thread it holds
        self._blocks: set[_Block] = set()

    def cancel(self) -> None:
        self._event.set()
        with self._lock:
            for block in self._blocks:
                block.interrupt()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def interruptible(self) -> contextlib.AbstractContextManager[None]:
        """Run the block so that a cancel (from any thread) raises :class:`Cancelled` in it at once.

        The exception arrives between two Python bytecodes of the block, never inside native code, so it
        suits work that only builds Python objects (whatever it built is dropped). Raises at entry when
        the token is already cancelled. A cancel that arrives while the block is leaving may still raise
        as it leaves, never after: the block is sent at most one :class:`Cancelled`, and its exit clears
        one sent but not delivered yet.
        """
        return _Block(self)


class _Block:
    """One :meth:`CancelToken.interruptible` block: the thread it runs in and whether it was sent its
    :class:`Cancelled` yet.

    The flags close a race of the block's exit. ``PyThreadState_SetAsyncExc`` delivers the exception at
    the thread's next bytecode, wherever that is; one sent just as the block ends can fire inside its
    exit, before the exit has taken the block off the token. Had the token kept the thread's id there, a
    second cancel would raise in that thread later, outside any block. So a block is sent at most once
    (``sent``, set under the token's lock), and the exit retries taking it off until it has done so.
    """

    __slots__ = ("ident", "open", "sent", "token")

    def __init__(self, token: CancelToken) -> None:
        self.token = token
        self.ident = 0
        self.open = False
        self.sent = False

    def interrupt(self) -> None:
        """Send the block's thread its :class:`Cancelled` (the caller holds the token's lock)."""
        if self.open and not self.sent:
            self.sent = True
            _raise_in_thread(self.ident, Cancelled)

    def __enter__(self) -> None:
        token = self.token
        with token._lock:
            if token._event.is_set():
                raise Cancelled
            self.ident = threading.get_ident()
            self.open = True
            token._blocks.add(self)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        delivered = False
        while self.open:
            try:
                with self.token._lock:
                    self.open = False
                    self.token._blocks.discard(self)
                    if self.sent:
                        _raise_in_thread(self.ident, None)  # sent but not delivered yet: never after
            except Cancelled:  # delivered while leaving: the block is still on the token, so again
                delivered = True
                self.open = True
        if delivered and exc_type is None:
            raise Cancelled  # the cancel came before the block had left: it counts as inside it


def _raise_in_thread(ident: int, error: type[BaseException] | None) -> None:
    """Schedule ``error`` in thread ``ident`` (CPython's ``PyThreadState_SetAsyncExc``); None clears it."""
    exc = ctypes.py_object(error) if error is not None else ctypes.c_void_p(0)
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), exc)


def interruptible(cancel: CancelToken | None) -> contextlib.AbstractContextManager[None]:
    """``cancel.interruptible()``, or a block that nothing interrupts when there is no token."""
    return cancel.interruptible() if cancel is not None else contextlib.nullcontext()


def is_cancelled(cancel: CancelToken | None) -> bool:
    return cancel is not None and cancel.cancelled


def labelled_log(progress: ProgressCallback | None, label: str) -> ProgressCallback | None:
    """A callback that names ``label`` before each solver log line ("2027: Presolving model"): a job
    that solves one model per year (the multi-year planner) writes one log, and a reader needs to know
    whose line each is. Events without a log line pass unchanged."""
    if progress is None:
        return None

    def report(event: ProgressEvent) -> None:
        if event.log_line:
            lines = "\n".join(f"{label}: {line}" for line in event.log_line.splitlines())
            event = dataclasses.replace(event, log_line=lines)
        progress(event)

    return report


def without_gap(progress: ProgressCallback | None) -> ProgressCallback | None:
    """Progress of an inner solve without its incumbent, bound and gap: a multi-year plan's single-year
    solves have figures that are not the multi-year model's, and a caller watching the gap would read
    them as its own."""
    if progress is None:
        return None

    def report(event: ProgressEvent) -> None:
        progress(dataclasses.replace(event, incumbent=None, bound=None, gap=None))

    return report


def scaled(progress: ProgressCallback | None, start: float, end: float) -> ProgressCallback | None:
    """A callback that maps a phase's own [0, 1] fraction into [start, end] of the whole job."""
    if progress is None:
        return None

    def report(event: ProgressEvent) -> None:
        frac = None if event.fraction is None else start + (end - start) * event.fraction
        progress(
            ProgressEvent(
                event.stage or event.phase,
                frac,
                event.message,
                event.elapsed_s,
                event.incumbent,
                event.bound,
                event.gap,
                event.log_line,
                incumbent_plan=event.incumbent_plan,
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
