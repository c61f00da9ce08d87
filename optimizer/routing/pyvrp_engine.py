"""PyVRP adapter: the only module that imports :mod:`pyvrp`.

A :class:`~optimizer.routing.problem.DepotProblem` maps one to one onto PyVRP 0.14's data model: the
depot is location 0 (and, with multi-trip, also the vehicle types' reload depot), each visit is a
client with a pickup, a service duration and a window on its service start, optional visits carry a
prize, each fleet is a vehicle type with its own speed profile, shift and costs. The search stops at the
deadline, on the cancel token, or after ``stop_without_improvement`` iterations without a better
solution, whichever comes first; each new best solution is reported through ``budget.on_best``.
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np
from pyvrp import (
    Activity,
    Client,
    Depot,
    Location,
    ProblemData,
    Route,
    Solution,
    SolveParams,
    VehicleType,
)
from pyvrp import solve as pyvrp_solve
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.IteratedLocalSearch import IteratedLocalSearchCallbacks, IteratedLocalSearchParams
from pyvrp.PenaltyManager import PenaltyParams

from optimizer.routing.engine import EngineBudget, EngineRoute, EngineSolution
from optimizer.routing.problem import DepotProblem

NAME = "pyvrp"

#: What PyVRP's cost evaluator returns for an infeasible solution.
INFEASIBLE = 2**63 - 1

#: Share of an instance's time that the all-visits-required first phase may use (see :func:`solve`).
REQUIRED_PHASE_SHARE = 0.4


class _Stop:
    """PyVRP stopping criterion, checked every iteration: cancel token, deadline, stagnation, and (when
    ``first_feasible``) the first feasible solution."""

    def __init__(self, budget: EngineBudget, deadline: float, first_feasible: bool = False) -> None:
        self._budget = budget
        self._deadline = deadline
        self._first_feasible = first_feasible
        self._best: int | None = None
        self._since_best = 0
        self.iterations = 0
        self.cancelled = False

    def __call__(self, best_cost: int) -> bool:
        self.iterations += 1
        if self._budget.cancelled:
            self.cancelled = True
            return True
        if time.perf_counter() >= self._deadline:
            return True
        if self._first_feasible and best_cost < INFEASIBLE:
            return True
        if self._best is None or best_cost < self._best:
            self._best, self._since_best = best_cost, 0
        else:
            self._since_best += 1
        limit = self._budget.stop_without_improvement
        return limit is not None and self._since_best >= limit


class _ReportBest(IteratedLocalSearchCallbacks):
    def __init__(self, budget: EngineBudget) -> None:
        self._on_best = budget.on_best

    def on_best(self, best: Solution) -> None:
        if self._on_best is not None and best.is_feasible():
            cost = best.distance_cost() + best.fixed_vehicle_cost() + best.duration_cost()
            self._on_best(int(cost), int(best.num_missing_clients()))


def problem_data(problem: DepotProblem) -> tuple[ProblemData, list[int]]:
    """PyVRP's data for ``problem``, and the fleet index of each PyVRP vehicle type."""
    locations = [Location(0.0, 0.0, name=problem.depot_id)]
    locations += [Location(0.0, 0.0, name=v.point_id) for v in problem.visits]
    depots = [Depot(location=0, service_duration=problem.depot_handling, name=problem.depot_id)]
    clients = [
        Client(
            location=i + 1,
            pickup=[v.pickup],
            service_duration=v.service,
            tw_early=v.tw_early,
            tw_late=problem.latest_start(v),
            prize=0 if v.prize is None else v.prize,
            required=v.prize is None,
            name=v.point_id,
        )
        for i, v in enumerate(problem.visits)
    ]
    # A PyVRP profile pairs a distance (here: arc cost) matrix with a duration matrix.
    profiles: dict[tuple[int, int], int] = {}
    for f in problem.fleets:
        profiles.setdefault((f.cost_profile, f.time_profile), len(profiles))
    vehicle_types, fleet_of = [], []
    for k, f in enumerate(problem.fleets):
        if f.count <= 0:
            continue
        extra: dict[str, Any] = {}
        if problem.reloads:
            extra["reload_depots"] = [0]
            if problem.max_reloads is not None:
                extra["max_reloads"] = problem.max_reloads
        vehicle_types.append(
            VehicleType(
                num_available=f.count,
                capacity=[f.capacity],
                start_depot=0,
                end_depot=0,
                fixed_cost=f.fixed_cost,
                tw_early=problem.earliest_start,
                tw_late=problem.horizon,
                shift_duration=problem.max_duration(f),
                unit_distance_cost=1,
                profile=profiles[(f.cost_profile, f.time_profile)],
                name=f.vehicle_type_id,
                **extra,
            )
        )
        fleet_of.append(k)
    costs: list[Any] = [np.ascontiguousarray(problem.arc_costs[c], dtype=np.int64) for c, _ in profiles]
    durations: list[Any] = [np.ascontiguousarray(problem.durations[t], dtype=np.int64) for _, t in profiles]
    data = ProblemData(
        locations=locations,
        clients=clients,
        depots=depots,
        vehicle_types=vehicle_types,
        distance_matrices=costs,
        duration_matrices=durations,
    )
    return data, fleet_of


def _penalties(problem: DepotProblem) -> PenaltyParams:
    """Penalty bounds that let one unit of excess load or time warp cost as much as a visit's prize.

    PyVRP caps its penalty per unit of violation (100,000 by default). When that is below the prize of
    a visit, an overloaded or late solution that keeps the visit looks cheaper than a feasible one
    without it, and the search can stall among infeasible solutions; raising the cap to the largest
    prize keeps dropping a visit the cheaper way out.
    """
    prize = max((v.prize or 0 for v in problem.visits), default=0)
    default = PenaltyParams()
    return PenaltyParams(max_penalty=max(default.max_penalty, float(prize)))


def solve(problem: DepotProblem, budget: EngineBudget) -> EngineSolution:
    """Route ``problem`` with PyVRP's iterated local search within ``budget``.

    When some visits are optional, PyVRP's local search can leave one out for good if serving it needs
    a new trip: it inserts an optional client into an existing trip (overloading it) but never together
    with a new reload. So the search runs in two phases: first with every visit required, until the
    first feasible solution (or 40 % of the time); then with the prizes, starting from that solution,
    which already serves everything it can; any visit it still drops genuinely does not fit.
    """
    n = len(problem.visits)
    if n == 0:
        return EngineSolution(routes=())
    if problem.num_vehicles == 0:
        required = any(v.prize is None for v in problem.visits)
        return EngineSolution(routes=(), unplanned=tuple(range(n)), feasible=not required)
    data, fleet_of = problem_data(problem)
    penalty = _penalties(problem)
    deadline = budget.deadline()
    initial = None
    iterations = 0
    if any(v.prize is not None for v in problem.visits):
        everything = data.replace(clients=[_required(c) for c in data.clients()])
        first_deadline = time.perf_counter() + REQUIRED_PHASE_SHARE * budget.time_limit_s
        first = _Stop(budget, first_deadline, first_feasible=True)
        with warnings.catch_warnings():
            # Expected when not every visit fits: that is what the second phase sorts out.
            warnings.simplefilter("ignore", PenaltyBoundWarning)
            result = pyvrp_solve(
                everything, first, seed=budget.seed, collect_stats=False, display=False,
                params=SolveParams(penalty=penalty),
            )
        iterations += first.iterations
        if first.cancelled:
            return _solution(result.best, fleet_of, n, cancelled=True, iterations=iterations)
        initial = _transfer(result.best, data)
    stop = _Stop(budget, deadline)
    params = SolveParams(ils=IteratedLocalSearchParams(callbacks=_ReportBest(budget)), penalty=penalty)
    with warnings.catch_warnings():
        # With required visits that do not all fit, the result says so (feasible=False).
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = pyvrp_solve(
            data, stop, seed=budget.seed, collect_stats=False, display=False, params=params,
            initial_solution=initial,
        )
    return _solution(result.best, fleet_of, n, stop.cancelled, iterations + stop.iterations)


def _required(client: Client) -> Client:
    return Client(
        location=client.location, pickup=client.pickup, service_duration=client.service_duration,
        tw_early=client.tw_early, tw_late=client.tw_late, required=True, name=client.name,
    )


def _transfer(solution: Solution, data: ProblemData) -> Solution:
    """The same routes (trips and reloads included) as a solution of ``data``."""
    routes = []
    for route in solution.routes():
        activities = [Activity(a.type, a.idx) for a in route.schedule()[1:-1]]
        routes.append(Route(data, activities, route.vehicle_type()))
    return Solution(data, routes)


def _solution(
    best: Solution, fleet_of: list[int], n: int, cancelled: bool, iterations: int
) -> EngineSolution:
    if not best.is_feasible():
        # Cancelled before any feasible solution: nothing is known about feasibility.
        return EngineSolution(
            routes=(), unplanned=tuple(range(n)), feasible=cancelled, cancelled=cancelled,
            iterations=iterations,
        )
    routes = []
    served: set[int] = set()
    for route in best.routes():
        trips: dict[int, list[int]] = {}
        for activity in route.schedule():
            if activity.is_client():
                trips.setdefault(activity.trip, []).append(activity.idx)
                served.add(activity.idx)
        nonempty = tuple(tuple(trips[t]) for t in sorted(trips) if trips[t])
        if nonempty:
            routes.append(EngineRoute(fleet=fleet_of[route.vehicle_type()], trips=nonempty))
    return EngineSolution(
        routes=tuple(routes),
        unplanned=tuple(i for i in range(n) if i not in served),
        cancelled=cancelled,
        iterations=iterations,
    )
