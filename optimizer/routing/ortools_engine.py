"""OR-Tools adapter: the only module that imports :mod:`ortools`.

The routing model follows OR-Tools' own samples: arc costs and transits are C++ matrices (no Python
callback per arc), a ``load`` dimension with each truck's payload, a ``time`` dimension with service +
travel per speed profile, windows on service starts, shift length as the span bound, fixed cost per
truck, and optional visits as disjunctions whose penalty is the visit's prize. Multi-trip follows the
``cvrp_reload`` sample: extra copies of the depot that unload the truck (a negative transit of the
largest payload, absorbed by slack so the load drops to anything down to zero), each optional at no
cost. The search is guided local search; a solution callback stops it on the cancel token or after
``stop_without_improvement`` solutions without a better one, and reports each new best.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from optimizer.routing.engine import EngineBudget, EngineRoute, EngineSolution
from optimizer.routing.problem import DepotProblem

NAME = "ortools"

FIRST_SOLUTION = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC


def _reload_copies(problem: DepotProblem, vehicles: int) -> int:
    """How many depot copies to offer for unloading: enough for every truckload of the day, plus one."""
    if not problem.reloads:
        return 0
    capacities = [f.capacity for f in problem.fleets if f.count > 0 and f.capacity > 0]
    total = sum(v.pickup for v in problem.visits)
    loads = math.ceil(total / min(capacities)) if capacities else 0
    copies = min(len(problem.visits), loads + 1)
    if problem.max_reloads is not None:
        copies = min(copies, problem.max_reloads * vehicles)
    return max(copies, 0)


def _time_can_bind(problem: DepotProblem, reloads: int) -> bool:
    """Whether any window, shift or the horizon could limit a route (else time needs no modelling)."""
    early, horizon = problem.earliest_start, problem.horizon
    if any(v.tw_early > early or problem.latest_start(v) < horizon for v in problem.visits):
        return True
    longest_leg = max(int(m.max()) for m in problem.durations)
    stops = len(problem.visits) + 1 + reloads
    services = problem.depot_handling * (1 + reloads) + sum(v.service for v in problem.visits)
    bound = services + stops * longest_leg
    return any(bound > problem.max_duration(f) for f in problem.fleets if f.count > 0)


def _required_penalty(problem: DepotProblem, vehicles: int) -> int:
    """More than any solution's routing cost: every arc at its dearest, every truck's fixed cost."""
    arcs = max(int(m.max()) for m in problem.arc_costs)
    fixed = max((f.fixed_cost for f in problem.fleets), default=0)
    bound = arcs * (2 * len(problem.visits) + 2 * vehicles) + fixed * vehicles
    return max(1, min(2 * bound + 1, 2**62 // max(1, len(problem.visits))))


class _Model:
    """The OR-Tools routing model of one depot-day, with node numbering 0 = depot, 1..n visits, then
    depot copies for reloads."""

    def __init__(self, problem: DepotProblem) -> None:
        self.problem = problem
        n = len(problem.visits)
        self.n = n
        self.vehicle_fleet = [k for k, f in enumerate(problem.fleets) for _ in range(max(f.count, 0))]
        v = len(self.vehicle_fleet)
        self.reloads = _reload_copies(problem, v)
        size = n + 1 + self.reloads
        location = np.array([i if i <= n else 0 for i in range(size)], dtype=np.intp)
        self.manager = pywrapcp.RoutingIndexManager(size, v, 0)
        self.routing = pywrapcp.RoutingModel(self.manager)
        routing, manager = self.routing, self.manager

        cost_cb: dict[int, int] = {}
        for vehicle, k in enumerate(self.vehicle_fleet):
            fleet = problem.fleets[k]
            if fleet.cost_profile not in cost_cb:
                cost = problem.cost_matrix(fleet)[np.ix_(location, location)].astype(np.int64)
                cost_cb[fleet.cost_profile] = routing.RegisterTransitMatrix(cost.tolist())
            routing.SetArcCostEvaluatorOfVehicle(cost_cb[fleet.cost_profile], vehicle)
            routing.SetFixedCostOfVehicle(fleet.fixed_cost, vehicle)

        pickups = [0] + [visit.pickup for visit in problem.visits]
        max_capacity = max((f.capacity for f in problem.fleets if f.count > 0), default=0)
        pickups += [-max_capacity] * self.reloads
        load_cb = routing.RegisterUnaryTransitVector(pickups)
        routing.AddDimensionWithVehicleCapacity(
            load_cb,
            max_capacity if self.reloads else 0,
            [problem.fleets[k].capacity for k in self.vehicle_fleet],
            True,
            "load",
        )
        load = routing.GetDimensionOrDie("load")
        if self.reloads:
            for node in range(1, n + 1):
                load.SlackVar(manager.NodeToIndex(node)).SetValue(0)

        # A time dimension costs search speed; leave it out when no window, shift or horizon can bind.
        if _time_can_bind(problem, self.reloads):
            self._add_time(location)

        if self.reloads and problem.max_reloads is not None:
            counts = [0] * (n + 1) + [1] * self.reloads
            routing.AddDimension(routing.RegisterUnaryTransitVector(counts), 0, problem.max_reloads, True,
                                 "reloads")

        # A required visit is optional too, at a penalty above any total route cost: the first-solution
        # heuristics then always succeed, and a final solution that still drops one proves nothing
        # better was found (the adapter reports it as infeasible).
        self.required_penalty = _required_penalty(problem, len(self.vehicle_fleet))
        for i, visit in enumerate(problem.visits):
            penalty = self.required_penalty if visit.prize is None else visit.prize
            routing.AddDisjunction([manager.NodeToIndex(i + 1)], penalty)
        for node in range(n + 1, size):
            routing.AddDisjunction([manager.NodeToIndex(node)], 0)

    def _add_time(self, location: np.ndarray) -> None:
        """Time dimension: service + travel per speed profile, windows on service starts, shift as span."""
        problem, routing, manager, n = self.problem, self.routing, self.manager, self.n
        service = np.zeros(len(location), dtype=np.int64)
        service[0] = problem.depot_handling
        service[n + 1 :] = problem.depot_handling
        service[1 : n + 1] = [visit.service for visit in problem.visits]
        time_cb: dict[int, int] = {}
        for profile in sorted({problem.fleets[k].time_profile for k in self.vehicle_fleet}):
            travel = problem.durations[profile][np.ix_(location, location)].astype(np.int64)
            time_cb[profile] = routing.RegisterTransitMatrix((travel + service[:, None]).tolist())
        early, horizon = problem.earliest_start, problem.horizon
        routing.AddDimensionWithVehicleTransitAndCapacity(
            [time_cb[problem.fleets[k].time_profile] for k in self.vehicle_fleet],
            horizon,
            [horizon] * len(self.vehicle_fleet),
            False,
            "time",
        )
        clock = routing.GetDimensionOrDie("time")
        for i, visit in enumerate(problem.visits):
            clock.CumulVar(manager.NodeToIndex(i + 1)).SetRange(visit.tw_early, problem.latest_start(visit))
        for node in range(n + 1, len(location)):
            clock.CumulVar(manager.NodeToIndex(node)).SetRange(early, horizon)
        for vehicle, k in enumerate(self.vehicle_fleet):
            start, end = routing.Start(vehicle), routing.End(vehicle)
            clock.CumulVar(start).SetRange(early, horizon)
            clock.CumulVar(end).SetRange(early, horizon)
            clock.SetSpanUpperBoundForVehicle(problem.max_duration(problem.fleets[k]), vehicle)
            routing.AddVariableMaximizedByFinalizer(clock.CumulVar(start))
            routing.AddVariableMinimizedByFinalizer(clock.CumulVar(end))

    def prize_of_dropped(self) -> tuple[int, int]:
        """Prizes and count of the visits the current solution leaves out (inside a solution callback)."""
        lost, count = 0, 0
        for i, visit in enumerate(self.problem.visits):
            active = self.routing.ActiveVar(self.manager.NodeToIndex(i + 1))
            if active.Value() == 0:
                lost += self.required_penalty if visit.prize is None else visit.prize
                count += 1
        return lost, count

    def routes(self, solution: pywrapcp.Assignment) -> tuple[tuple[EngineRoute, ...], tuple[int, ...]]:
        routing, manager = self.routing, self.manager
        routes, served = [], set()
        for vehicle, k in enumerate(self.vehicle_fleet):
            index = solution.Value(routing.NextVar(routing.Start(vehicle)))
            trips: list[list[int]] = [[]]
            while not routing.IsEnd(index):
                node = manager.IndexToNode(index)
                if node > self.n:
                    trips.append([])
                else:
                    trips[-1].append(node - 1)
                    served.add(node - 1)
                index = solution.Value(routing.NextVar(index))
            nonempty = tuple(tuple(t) for t in trips if t)
            if nonempty:
                routes.append(EngineRoute(fleet=k, trips=nonempty))
        return tuple(routes), tuple(i for i in range(self.n) if i not in served)


@dataclass
class _SearchState:
    best: int | None = None
    since_best: int = 0
    solutions: int = 0
    cancelled: bool = False


def solve(problem: DepotProblem, budget: EngineBudget) -> EngineSolution:
    """Route ``problem`` with OR-Tools guided local search within ``budget``."""
    n = len(problem.visits)
    if n == 0:
        return EngineSolution(routes=())
    if problem.num_vehicles == 0:
        required = any(v.prize is None for v in problem.visits)
        return EngineSolution(routes=(), unplanned=tuple(range(n)), feasible=not required)
    model = _Model(problem)
    routing = model.routing
    deadline = budget.deadline()
    state = _SearchState()

    def at_solution() -> None:
        state.solutions += 1
        cost = routing.CostVar().Value()
        if state.best is None or cost < state.best:
            state.best, state.since_best = cost, 0
            if budget.on_best is not None:
                lost, dropped = model.prize_of_dropped()
                budget.on_best(int(cost - lost), dropped)
        else:
            state.since_best += 1
        limit = budget.stop_without_improvement
        if budget.cancelled:
            state.cancelled = True
        stagnant = limit is not None and state.since_best >= limit
        if state.cancelled or stagnant or time.perf_counter() >= deadline:
            routing.solver().FinishCurrentSearch()

    routing.AddAtSolutionCallback(at_solution)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = FIRST_SOLUTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    remaining = max(0.001, deadline - time.perf_counter())
    params.time_limit.FromMilliseconds(max(1, int(remaining * 1000)))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return EngineSolution(
            routes=(), unplanned=tuple(range(n)), feasible=False, cancelled=state.cancelled,
            iterations=state.solutions,
        )
    routes, unplanned = model.routes(solution)
    if any(problem.visits[i].prize is None for i in unplanned):
        return EngineSolution(
            routes=(), unplanned=tuple(range(n)), feasible=False, cancelled=state.cancelled,
            iterations=state.solutions,
        )
    return EngineSolution(
        routes=routes, unplanned=unplanned, cancelled=state.cancelled,
        iterations=state.solutions,
    )
