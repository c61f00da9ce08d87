"""Routing problems in the integer units both engines need.

A :class:`DepotProblem` is one vehicle routing instance: one depot, the visits to make on one day, the
depot's fleet, an integer distance matrix and one integer duration matrix per speed profile. It is
general on purpose: :func:`optimizer.routing.build.build_routing_problem` makes them from a
:class:`~optimizer.model.Network` (kg, metres, seconds, 0.01 CNY), and the benchmark scripts make them
straight from VRPLIB and Solomon files (their own integer units). :class:`Units` says how to turn the
integers back into kg, km, hours and CNY.

A :class:`RoutingProblem` is the week: every depot-day instance, plus the visits already known to be
unservable (with their reasons), the names of the working days and how many weeks make a year. Built
from a network it also keeps each depot's :class:`DepotPool`, from which a visit can be moved to another
day after routing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from optimizer.messages import Msg
from optimizer.routing.result import Haul, UnservedVisit


@dataclass(frozen=True, slots=True)
class Units:
    """What one integer unit of each quantity is worth in real units.

    Networks use metres, seconds, kg and fen (0.01 CNY; the defaults); a benchmark uses 1 for everything
    so that reported "km" and "CNY" are exactly the instance's own distance units.
    """

    km_per_distance: float = 0.001
    hours_per_time: float = 1.0 / 3600.0
    kg_per_load: float = 1.0
    cny_per_cost: float = 0.01


@dataclass(frozen=True, slots=True)
class Visit:
    """One pickup at a collection point on the problem's day.

    ``tw_early`` and ``tw_late`` bound the *start* of service (time units since midnight).
    ``prize`` makes the visit optional: the engine may leave it out at that cost (in cost units); with
    ``None`` it is required. ``pickup_exact`` is the pickup before rounding to whole load units, and
    ``t_per_year`` the annual tonnes this series of visits collects (both for reporting only).
    """

    point_id: str
    pickup: int
    service: int = 0
    tw_early: int = 0
    tw_late: int | None = None
    prize: int | None = None
    pickup_exact: float | None = None
    visits_per_week: int = 1
    t_per_year: float = 0.0

    @property
    def pickup_real(self) -> float:
        return float(self.pickup) if self.pickup_exact is None else self.pickup_exact


@dataclass(frozen=True, slots=True)
class Fleet:
    """``count`` identical trucks of one vehicle type at the depot.

    ``fixed_cost`` is per truck used on the day, in cost units. The cost of driving an arc is
    ``DepotProblem.costs[cost_profile]`` and its travel time ``DepotProblem.durations[time_profile]``
    (trucks of different cost per km or speed have different matrices). ``max_duration`` is the shift
    length in time units (``None``: up to the day's horizon).
    """

    vehicle_type_id: str
    name: str
    count: int
    capacity: int
    fixed_cost: int = 0
    cost_profile: int = 0
    time_profile: int = 0
    max_duration: int | None = None
    co2_kg_per_km: float = 0.0


@dataclass(frozen=True, slots=True, eq=False)
class DepotProblem:
    """One routing instance: a depot, one day's visits, the fleet and the integer matrices.

    Index 0 of ``distance`` and of every matrix in ``costs`` and ``durations`` is the depot; index
    ``i + 1`` is ``visits[i]``. ``distance`` is for reporting; the engines minimise fixed costs plus
    ``costs`` (one arc-cost matrix per cost profile; empty means the cost of an arc is its distance).
    Travel durations exclude service. ``horizon`` is the latest time (time units since
    midnight) a truck may be back; trucks may leave from ``earliest_start``. ``depot_handling`` is the
    time spent at the depot at the start of every trip (loading out, or unloading the previous trip
    when ``reloads`` lets a truck go out again within its shift). ``max_reloads`` caps the reloads per
    truck (``None``: only the shift limits them).
    """

    name: str
    depot_id: str
    visits: tuple[Visit, ...]
    fleets: tuple[Fleet, ...]
    distance: np.ndarray
    durations: tuple[np.ndarray, ...]
    horizon: int
    costs: tuple[np.ndarray, ...] = ()
    earliest_start: int = 0
    depot_handling: int = 0
    reloads: bool = False
    max_reloads: int | None = None
    day: int = 0
    units: Units = field(default_factory=Units)

    def __post_init__(self) -> None:
        n = len(self.visits) + 1
        if self.distance.shape != (n, n):
            raise ValueError(f"{self.name}: distance matrix is {self.distance.shape}, expected {(n, n)}")
        if not np.issubdtype(self.distance.dtype, np.integer):
            raise ValueError(f"{self.name}: distance matrix must hold integers")
        if not self.durations:
            raise ValueError(f"{self.name}: needs at least one duration matrix")
        for m in (*self.durations, *self.costs):
            if m.shape != (n, n) or not np.issubdtype(m.dtype, np.integer):
                raise ValueError(f"{self.name}: every cost and duration matrix must be {n}x{n} integers")
            if (m < 0).any():
                raise ValueError(f"{self.name}: costs and durations must be non-negative")
        if (self.distance < 0).any():
            raise ValueError(f"{self.name}: distances must be non-negative")
        for f in self.fleets:
            if not 0 <= f.time_profile < len(self.durations):
                raise ValueError(f"{self.name}: fleet {f.vehicle_type_id} uses missing time profile")
            if not 0 <= f.cost_profile < len(self.arc_costs):
                raise ValueError(f"{self.name}: fleet {f.vehicle_type_id} uses missing cost profile")
            if f.count < 0 or f.capacity < 0 or f.fixed_cost < 0:
                raise ValueError(f"{self.name}: fleet {f.vehicle_type_id} has a negative number")
        for v in self.visits:
            if v.pickup < 0 or v.service < 0 or v.tw_early < 0:
                raise ValueError(f"{self.name}: visit {v.point_id} has a negative number")
            if v.tw_late is not None and v.tw_late < v.tw_early:
                raise ValueError(f"{self.name}: visit {v.point_id} has a time window that closes first")
            if v.prize is not None and v.prize < 0:
                raise ValueError(f"{self.name}: visit {v.point_id} has a negative prize")

    @property
    def arc_costs(self) -> tuple[np.ndarray, ...]:
        """The cost matrices, or the distance matrix alone when no costs are given."""
        return self.costs or (self.distance,)

    def cost_matrix(self, fleet: Fleet) -> np.ndarray:
        return self.arc_costs[fleet.cost_profile]

    def duration_matrix(self, fleet: Fleet) -> np.ndarray:
        return self.durations[fleet.time_profile]

    @property
    def num_vehicles(self) -> int:
        return sum(f.count for f in self.fleets)

    def latest_start(self, visit: Visit) -> int:
        """Latest start of service at ``visit``, the horizon when its window is open-ended."""
        return self.horizon if visit.tw_late is None else min(visit.tw_late, self.horizon)

    def max_duration(self, fleet: Fleet) -> int:
        span = self.horizon - self.earliest_start
        return span if fleet.max_duration is None else min(fleet.max_duration, span)

    def restricted(self, indices: Sequence[int], day: int, name: str | None = None) -> DepotProblem:
        """The same depot, fleet and rules with only ``visits[i]`` for ``i`` in ``indices``, on ``day``."""
        rows = [0, *(i + 1 for i in indices)]
        sub = np.ix_(rows, rows)
        return dataclasses.replace(
            self,
            name=name or f"{self.depot_id} day {day + 1}",
            visits=tuple(self.visits[i] for i in indices),
            distance=self.distance[sub],
            durations=tuple(m[sub] for m in self.durations),
            costs=tuple(m[sub] for m in self.costs),
            day=day,
        )


@dataclass(frozen=True, slots=True)
class DepotPool:
    """Every visit series of one depot over the week, and which working days each is routed on.

    ``problem`` holds each point once (with the full matrices); ``days[d]`` lists the indices of its
    visits routed on working day ``d``. After routing, a visit left out for lack of trucks can be tried
    again on another day from it.
    """

    problem: DepotProblem
    days: tuple[tuple[int, ...], ...]

    @property
    def depot_id(self) -> str:
        return self.problem.depot_id

    def index(self, point_id: str) -> int:
        return next(i for i, v in enumerate(self.problem.visits) if v.point_id == point_id)


@dataclass(frozen=True, slots=True)
class RoutingProblem:
    """The week's routing: one :class:`DepotProblem` per depot and working day.

    ``unserved`` lists the visits known before routing to be impossible, with their reasons.
    ``day_names`` labels ``DepotProblem.day``; ``weeks_per_year`` annualises the week's cost.
    ``pools`` (one per depot, when built from a network) let :func:`~optimizer.routing.plan_routes`
    move a once-a-week visit that finds no room on its day to a day that has room. ``hauls`` are the
    full-truckload trips planned beside the milk runs (:mod:`optimizer.routing.haulage`); no engine
    routes them.
    """

    name: str
    depot_problems: tuple[DepotProblem, ...]
    unserved: tuple[UnservedVisit, ...] = ()
    day_names: tuple[str, ...] = ("Day 1",)
    weeks_per_year: float = 1.0
    depot_ids: tuple[str, ...] = ()
    notes: tuple[Msg, ...] = ()
    pools: tuple[DepotPool, ...] = ()
    hauls: tuple[Haul, ...] = ()

    @classmethod
    def single(cls, problem: DepotProblem) -> RoutingProblem:
        """The week made of one instance: how benchmarks and tests pass a bare :class:`DepotProblem`."""
        return cls(name=problem.name, depot_problems=(problem,), depot_ids=(problem.depot_id,))

    @property
    def num_visits(self) -> int:
        return sum(len(p.visits) for p in self.depot_problems)
