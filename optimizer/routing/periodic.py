"""Periodic planning: on which working days of the week each collection point is visited.

Neither PyVRP nor OR-Tools plans visit frequencies, so CopperLoop chooses the days first and then routes
every day. A point visited ``f`` times a week on ``D`` working days gets an *evenly spread pattern*: ``f``
distinct days whose gaps around the (cyclic) week differ by at most one day — with six working days,
twice a week is Mon+Thu, Tue+Fri or Wed+Sat; three times is Mon+Wed+Fri or Tue+Thu+Sat.

Choosing the patterns is a heuristic, not a MILP (it needs no solver, takes milliseconds on thousands
of points and is deterministic):

1. Points visited two or more times a week, largest weekly workload first, each take the pattern whose
   days carry the least workload so far (this greedily minimises the sum of squared daily workloads).
2. Points visited once a week are swept by bearing from the depot and cut into contiguous sectors, each
   filled up to the day's share of the total, trying several starting bearings and keeping the most
   balanced cut. A day's weekly visits are then geographically compact, which keeps its routes short.

A visit's workload is an estimate of the truck-day it uses (see
:func:`optimizer.routing.build.build_routing_problem`); only its relative size matters here.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: At most this many starting bearings are tried for the sweep of once-a-week points.
MAX_SWEEP_STARTS = 64


def day_names(working_days: int) -> tuple[str, ...]:
    """Names of the first ``working_days`` days of the week (Monday first)."""
    return WEEKDAY_NAMES[:working_days]


@cache
def visit_patterns(visits_per_week: int, working_days: int) -> tuple[tuple[int, ...], ...]:
    """Every evenly spread set of ``visits_per_week`` days out of ``working_days`` (0 = Monday).

    Gaps between consecutive visit days, counted cyclically over the working week, differ by at most
    one day.
    """
    if not 1 <= working_days <= 7:
        raise ValueError(f"working days per week must be 1-7, got {working_days}")
    if not 1 <= visits_per_week <= working_days:
        raise ValueError(f"visits per week must be 1-{working_days}, got {visits_per_week}")
    patterns = []
    for days in itertools.combinations(range(working_days), visits_per_week):
        nxt = days[1:] + days[:1]
        gaps = [(b - a) % working_days or working_days for a, b in zip(days, nxt, strict=True)]
        if max(gaps) - min(gaps) <= 1:
            patterns.append(days)
    return tuple(patterns)


@dataclass(frozen=True, slots=True)
class PeriodicPoint:
    """A point to schedule: ``workload`` per visit, ``bearing`` (radians) from its depot."""

    key: str
    visits_per_week: int
    workload: float
    bearing: float = 0.0


def day_workloads(
    points: Sequence[PeriodicPoint], days: dict[str, tuple[int, ...]], working_days: int
) -> list[float]:
    """Total workload on each working day under the assignment ``days``."""
    loads = [0.0] * working_days
    for p in points:
        for d in days[p.key]:
            loads[d] += p.workload
    return loads


def assign_days(points: Sequence[PeriodicPoint], working_days: int) -> dict[str, tuple[int, ...]]:
    """The visit days of every point (key -> sorted day indices), balanced as the module describes."""
    days: dict[str, tuple[int, ...]] = {}
    loads = [0.0] * working_days
    multi = [p for p in points if p.visits_per_week > 1]
    multi.sort(key=lambda p: (-p.workload * p.visits_per_week, p.key))
    for p in multi:
        options = visit_patterns(p.visits_per_week, working_days)
        best = min(options, key=lambda pattern: (sum(loads[d] for d in pattern), pattern))
        days[p.key] = best
        for d in best:
            loads[d] += p.workload

    singles = sorted((p for p in points if p.visits_per_week == 1), key=lambda p: (p.bearing, p.key))
    if singles:
        target = (sum(loads) + sum(p.workload for p in singles)) / working_days
        best_cut: list[int] | None = None
        best_score = float("inf")
        step = max(1, len(singles) // MAX_SWEEP_STARTS)
        for start in range(0, len(singles), step):
            order = singles[start:] + singles[:start]
            cut, score = _sweep(order, loads, target)
            if score < best_score - 1e-12:
                best_cut, best_score = [cut[(k - start) % len(singles)] for k in range(len(singles))], score
        assert best_cut is not None
        for p, d in zip(singles, best_cut, strict=True):
            days[p.key] = (d,)
    return days


def _sweep(order: list[PeriodicPoint], base: list[float], target: float) -> tuple[list[int], float]:
    """Cut ``order`` into contiguous runs, one per day, each filled to ``target``; returns the day of
    each point (in ``order``) and the sum of squared deviations from ``target``."""
    loads = list(base)
    open_days = set(range(len(loads)))
    day = max(open_days, key=lambda d: (target - loads[d], -d))
    out = []
    for p in order:
        room = target - loads[day]
        if room < p.workload / 2 and len(open_days) > 1:
            open_days.discard(day)
            day = max(open_days, key=lambda d: (target - loads[d], -d))
        loads[day] += p.workload
        out.append(day)
    return out, sum((x - target) ** 2 for x in loads)
