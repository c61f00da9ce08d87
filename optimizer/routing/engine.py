"""What every routing engine adapter takes and returns, so that the rest never sees an engine's types.

An adapter (:mod:`optimizer.routing.pyvrp_engine`, :mod:`optimizer.routing.ortools_engine`) solves one
:class:`~optimizer.routing.problem.DepotProblem` within an :class:`EngineBudget` and returns an
:class:`EngineSolution`: routes as sequences of trips of visit indices, and the visits it left out.
Times, loads and costs are then computed once, engine-independently, by
:mod:`optimizer.routing.schedule`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from optimizer.progress import CancelToken, is_cancelled

#: Called by an engine with the cost (in the problem's cost units, excluding prizes of left-out
#: visits) of each new best solution and the number of visits it leaves out.
BestCallback = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class EngineRoute:
    """One truck's day: ``trips`` are the visit indices (into ``DepotProblem.visits``) of each trip."""

    fleet: int
    trips: tuple[tuple[int, ...], ...]

    @property
    def visits(self) -> tuple[int, ...]:
        return tuple(i for trip in self.trips for i in trip)


@dataclass(frozen=True, slots=True)
class EngineSolution:
    """An engine's answer for one depot-day.

    ``feasible`` is ``False`` only when the engine found no solution that serves every required visit
    within the fleet's capacity, windows and shifts; ``routes`` is then empty. ``cancelled`` says the
    search was stopped by the cancel token (the routes are the best found until then).
    """

    routes: tuple[EngineRoute, ...]
    unplanned: tuple[int, ...] = ()
    feasible: bool = True
    cancelled: bool = False
    iterations: int = 0


@dataclass(frozen=True, slots=True)
class EngineBudget:
    """When an engine must stop: wall-clock deadline, cancel token, stagnation, and its random seed."""

    time_limit_s: float
    seed: int = 0
    stop_without_improvement: int | None = None
    cancel: CancelToken | None = None
    on_best: BestCallback | None = None

    def deadline(self) -> float:
        return time.perf_counter() + self.time_limit_s

    @property
    def cancelled(self) -> bool:
        return is_cancelled(self.cancel)
