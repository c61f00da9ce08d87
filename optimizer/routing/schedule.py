"""Times, loads, distance and cost of an engine's route, computed the same way whichever engine made it.

Each trip starts with depot handling (loading out, or unloading the previous trip). A truck leaves as
late as it can without making any visit miss its window, which removes avoidable waiting and gives the
shortest shift for that stop sequence; both engines measure a route's duration the same way, so a
route they accept fits the shift here too.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from optimizer.routing.engine import EngineRoute
from optimizer.routing.problem import DepotProblem
from optimizer.routing.result import Route, Stop, StopKind


@dataclass(frozen=True, slots=True)
class _Node:
    kind: StopKind
    location: int
    visit: int | None
    service: int
    early: int
    late: int


@dataclass(frozen=True, slots=True)
class Timing:
    """Integer schedule of a route: per stop arrival, service start and departure, in time units."""

    arrival: tuple[int, ...]
    start: tuple[int, ...]
    departure: tuple[int, ...]

    @property
    def duration(self) -> int:
        return self.arrival[-1] - self.arrival[0]


def _nodes(problem: DepotProblem, route: EngineRoute) -> list[_Node]:
    h = problem.depot_handling
    nodes = [_Node(StopKind.START, 0, None, h, problem.earliest_start, problem.horizon)]
    for k, trip in enumerate(route.trips):
        if k > 0:
            nodes.append(_Node(StopKind.RELOAD, 0, None, h, problem.earliest_start, problem.horizon))
        for i in trip:
            v = problem.visits[i]
            nodes.append(_Node(StopKind.VISIT, i + 1, i, v.service, v.tw_early, problem.latest_start(v)))
    nodes.append(_Node(StopKind.END, 0, None, 0, problem.earliest_start, problem.horizon))
    return nodes


def timing(problem: DepotProblem, route: EngineRoute) -> Timing:
    """The shortest-duration schedule of ``route``: depart as late as every window allows.

    Forward pass from the earliest departure, then push the departure later by the waiting time it
    can absorb without any stop starting after its window closes (Savelsbergh's forward time slack).
    """
    nodes = _nodes(problem, route)
    matrix = problem.duration_matrix(problem.fleets[route.fleet])
    arrival: list[int] = []
    start: list[int] = []
    departure: list[int] = []
    t = problem.earliest_start
    for k, node in enumerate(nodes):
        if k > 0:
            t = departure[-1] + int(matrix[nodes[k - 1].location, node.location])
        arrival.append(t)
        start.append(max(t, node.early))
        departure.append(start[-1] + node.service)
    waited, push = 0, None
    for k, node in enumerate(nodes):
        waited += start[k] - arrival[k]
        slack = waited + node.late - start[k]
        push = slack if push is None else min(push, slack)
    delta = max(0, min(push or 0, waited))
    arrival2, start2, departure2 = [], [], []
    waited = 0
    for k, node in enumerate(nodes):
        before = waited
        waited += start[k] - arrival[k]
        shift_arrival = max(0, delta - before)
        shift_start = max(0, delta - waited)
        arrival2.append(arrival[k] + shift_arrival)
        start2.append(start[k] + shift_start)
        departure2.append(start2[-1] + node.service)
    return Timing(tuple(arrival2), tuple(start2), tuple(departure2))


def _locations(route: EngineRoute) -> list[int]:
    locations = [0]
    for trip in route.trips:
        locations.extend(i + 1 for i in trip)
        locations.append(0)
    return locations


def route_distance(problem: DepotProblem, route: EngineRoute) -> int:
    """Sum of ``problem.distance`` along the route (depot to depot through every trip)."""
    loc = _locations(route)
    return int(sum(int(problem.distance[a, b]) for a, b in itertools.pairwise(loc)))


def route_cost(problem: DepotProblem, route: EngineRoute) -> int:
    """What the engines minimise for this route: the truck's fixed cost plus its arc costs."""
    fleet = problem.fleets[route.fleet]
    matrix = problem.cost_matrix(fleet)
    loc = _locations(route)
    return fleet.fixed_cost + int(sum(int(matrix[a, b]) for a, b in itertools.pairwise(loc)))


def build_route(problem: DepotProblem, route: EngineRoute, truck: int) -> Route:
    """The :class:`~optimizer.routing.result.Route` of an engine's route, in real units."""
    fleet = problem.fleets[route.fleet]
    u = problem.units
    nodes = _nodes(problem, route)
    sched = timing(problem, route)
    stops = []
    load = 0.0
    for k, node in enumerate(nodes):
        pickup = 0.0
        node_id = problem.depot_id
        if node.kind is StopKind.VISIT and node.visit is not None:
            visit = problem.visits[node.visit]
            node_id = visit.point_id
            pickup = visit.pickup_real * u.kg_per_load
            load += pickup
        elif node.kind is StopKind.RELOAD:
            load = 0.0
        stops.append(
            Stop(
                kind=node.kind,
                node_id=node_id,
                arrival_h=sched.arrival[k] * u.hours_per_time,
                start_h=sched.start[k] * u.hours_per_time,
                departure_h=sched.departure[k] * u.hours_per_time,
                load_kg=0.0 if node.kind is StopKind.END else load,
                pickup_kg=pickup,
            )
        )
    distance = route_distance(problem, route)
    km = distance * u.km_per_distance
    return Route(
        depot_id=problem.depot_id,
        day=problem.day,
        vehicle_type_id=fleet.vehicle_type_id,
        vehicle_name=fleet.name,
        truck=truck,
        payload_kg=fleet.capacity * u.kg_per_load,
        stops=tuple(stops),
        distance_km=km,
        fixed_cost_cny=fleet.fixed_cost * u.cny_per_cost,
        cost_cny=route_cost(problem, route) * u.cny_per_cost,
        co2_kg=km * fleet.co2_kg_per_km,
    )


def violations(problem: DepotProblem, route: EngineRoute) -> list[str]:
    """What ``route`` breaks, in words (empty when it respects loads, windows, shift and horizon)."""
    fleet = problem.fleets[route.fleet]
    found = []
    for k, trip in enumerate(route.trips):
        load = sum(problem.visits[i].pickup for i in trip)
        if load > fleet.capacity:
            found.append(f"trip {k + 1} carries {load} > capacity {fleet.capacity}")
    if len(route.trips) > 1 and not problem.reloads:
        found.append(f"{len(route.trips)} trips but reloads are not allowed")
    if problem.max_reloads is not None and len(route.trips) - 1 > problem.max_reloads:
        found.append(f"{len(route.trips) - 1} reloads > max {problem.max_reloads}")
    sched = timing(problem, route)
    for k, node in enumerate(_nodes(problem, route)):
        if sched.start[k] > node.late or sched.start[k] < node.early:
            where = problem.depot_id if node.visit is None else problem.visits[node.visit].point_id
            found.append(f"{where} served at {sched.start[k]} outside [{node.early}, {node.late}]")
    if sched.duration > problem.max_duration(fleet):
        found.append(f"duration {sched.duration} > shift {problem.max_duration(fleet)}")
    return found
