"""Tiny routing instances for the tests, built straight as DepotProblems (metres, seconds, kg, fen)."""

from __future__ import annotations

import itertools
import math

import numpy as np

from optimizer.routing import DepotProblem, Fleet, RoutingOptions, Units, Visit

#: Short runs: tiny instances are solved long before the stagnation stop, which ends them early.
FAST = RoutingOptions(time_limit_s=1.0, stop_without_improvement=1500)
ENGINES = ("pyvrp", "ortools")


def euclid_matrix(points: list[tuple[float, float]]) -> np.ndarray:
    xy = np.asarray(points, dtype=float)
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    return np.rint(d).astype(np.int64)


def line_problem(
    positions: list[tuple[float, float]],
    pickups: list[int],
    *,
    capacity: int,
    trucks: int,
    fixed_cost: int = 0,
    windows: list[tuple[int, int]] | None = None,
    service: int = 0,
    reloads: bool = False,
    handling: int = 0,
    shift: int | None = None,
    horizon: int = 10**6,
    optional: bool = False,
) -> DepotProblem:
    """Depot at the first position, one visit per further position; cost = distance, time = distance."""
    d = euclid_matrix(positions)
    windows = windows or [(0, horizon)] * len(pickups)
    visits = tuple(
        Visit(f"P{i + 1}", pickup=p, service=service, tw_early=w[0], tw_late=w[1],
              prize=10**7 if optional else None)
        for i, (p, w) in enumerate(zip(pickups, windows, strict=True))
    )
    return DepotProblem(
        name="tiny",
        depot_id="D",
        visits=visits,
        fleets=(Fleet("T", "truck", trucks, capacity, fixed_cost=fixed_cost, max_duration=shift),),
        distance=d,
        durations=(d,),
        horizon=horizon,
        depot_handling=handling,
        reloads=reloads,
        units=Units(km_per_distance=1.0, hours_per_time=1.0, kg_per_load=1.0, cny_per_cost=1.0),
    )


def brute_force_cvrp(problem: DepotProblem) -> int:
    """Optimal cost of a tiny CVRP (single fleet, no windows, no reloads) by enumerating everything."""
    fleet = problem.fleets[0]
    n = len(problem.visits)
    d = problem.distance

    def tour(block: tuple[int, ...]) -> int:
        return min(
            sum(int(d[a, b]) for a, b in itertools.pairwise((0, *(i + 1 for i in perm), 0)))
            for perm in itertools.permutations(block)
        )

    def partitions(items: list[int]) -> list[list[tuple[int, ...]]]:
        if not items:
            return [[]]
        first, rest = items[0], items[1:]
        out = []
        for size in range(len(rest) + 1):
            for others in itertools.combinations(rest, size):
                remaining = [i for i in rest if i not in others]
                for tail in partitions(remaining):
                    out.append([(first, *others), *tail])
        return out

    best = math.inf
    for blocks in partitions(list(range(n))):
        if len(blocks) > fleet.count:
            continue
        if any(sum(problem.visits[i].pickup for i in b) > fleet.capacity for b in blocks):
            continue
        best = min(best, sum(fleet.fixed_cost + tour(b) for b in blocks))
    assert best < math.inf
    return int(best)
