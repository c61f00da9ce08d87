"""An independent checker for routing results, applied to every route of every routing test.

It re-derives everything from the problem's integer data (not from :mod:`optimizer.routing.schedule`):
times chain by the duration matrix, services start inside windows, no trip carries more than the
truck's payload, shifts and the horizon hold, and every visit is either on exactly one route or
reported unserved. For a week built from a network (with depot pools, where a visit may have moved to
another day) each point must get its visits per week on distinct, evenly spread days.
"""

from __future__ import annotations

import itertools

from optimizer.routing import DepotProblem, RoutePlan, RoutingProblem, StopKind
from optimizer.routing.periodic import visit_patterns


def _t(hours: float, problem: DepotProblem) -> int:
    value = hours / problem.units.hours_per_time
    assert abs(value - round(value)) < 1e-6, f"time {hours} h is not a whole number of time units"
    return round(value)


def plan_violations(week: RoutingProblem | DepotProblem, plan: RoutePlan) -> list[str]:
    """Everything ``plan`` gets wrong about ``week`` (empty when it is a valid routing)."""
    if isinstance(week, DepotProblem):
        week = RoutingProblem.single(week)
    pools = {pool.depot_id: pool.problem for pool in week.pools}
    by_key = {(p.depot_id, p.day): p for p in week.depot_problems}
    found: list[str] = []
    served: dict[tuple[str, int], list[str]] = {key: [] for key in by_key}
    for r in plan.routes:
        problem = pools.get(r.depot_id) or by_key.get((r.depot_id, r.day))
        served.setdefault((r.depot_id, r.day), [])
        if problem is None:
            found.append(f"route from {r.depot_id} on day {r.day}: no such depot-day")
            continue
        fleet = next(f for f in problem.fleets if f.vehicle_type_id == r.vehicle_type_id)
        matrix = problem.duration_matrix(fleet)
        visits = {v.point_id: (i, v) for i, v in enumerate(problem.visits)}
        where = f"{r.depot_id} day {r.day} truck {r.vehicle_type_id}#{r.truck}"
        if r.stops[0].kind is not StopKind.START or r.stops[-1].kind is not StopKind.END:
            found.append(f"{where}: does not start and end at the depot")
        locs, load, trips = [], 0, 1
        for k, s in enumerate(r.stops):
            arrival, start, departure = (_t(s.arrival_h, problem), _t(s.start_h, problem),
                                         _t(s.departure_h, problem))
            if s.kind is StopKind.VISIT:
                i, v = visits[s.node_id]
                loc = i + 1
                served[(r.depot_id, r.day)].append(s.node_id)
                load += v.pickup
                if not v.tw_early <= start <= problem.latest_start(v):
                    window = f"[{v.tw_early}, {problem.latest_start(v)}]"
                    found.append(f"{where}: {s.node_id} served at {start}, window {window}")
                if start < arrival or departure != start + v.service:
                    found.append(f"{where}: {s.node_id} start/departure inconsistent")
            else:
                loc = 0
                if s.node_id != problem.depot_id:
                    found.append(f"{where}: depot stop at {s.node_id}")
                if s.kind is StopKind.RELOAD:
                    trips += 1
                    if not problem.reloads:
                        found.append(f"{where}: reloads although multi-trip is off")
                if s.kind in (StopKind.RELOAD, StopKind.END):
                    if load > fleet.capacity:
                        found.append(f"{where}: trip {trips - (s.kind is StopKind.RELOAD)} carries {load} kg "
                                     f"> payload {fleet.capacity}")
                    load = 0
                handled = departure == start + problem.depot_handling
                if s.kind in (StopKind.START, StopKind.RELOAD) and not handled:
                    found.append(f"{where}: depot handling is not {problem.depot_handling}")
            if k > 0:
                prev = r.stops[k - 1]
                expected = _t(prev.departure_h, problem) + int(matrix[locs[-1], loc])
                if arrival != expected:
                    found.append(f"{where}: arrival at stop {k} is {arrival}, travel says {expected}")
            locs.append(loc)
        duration = _t(r.end_h, problem) - _t(r.start_h, problem)
        if duration > problem.max_duration(fleet):
            found.append(f"{where}: {duration} time units > shift {problem.max_duration(fleet)}")
        if _t(r.start_h, problem) < problem.earliest_start or _t(r.end_h, problem) > problem.horizon:
            found.append(f"{where}: outside the day [{problem.earliest_start}, {problem.horizon}]")
        metres = sum(int(problem.distance[a, b]) for a, b in itertools.pairwise(locs))
        if abs(metres * problem.units.km_per_distance - r.distance_km) > 1e-9:
            found.append(f"{where}: distance {r.distance_km} km, the matrix says {metres}")
    if week.pools:
        return found + _weekly_violations(week, plan, served)
    for key, problem in by_key.items():
        ids = served[key]
        if len(ids) != len(set(ids)):
            found.append(f"{key}: a visit is on two routes")
        left = {u.point_id for u in plan.unserved if (u.depot_id, u.day) == key}
        missing = {v.point_id for v in problem.visits} - set(ids) - left
        if missing:
            found.append(f"{key}: visits neither routed nor reported unserved: {sorted(missing)}")
        if set(ids) & left:
            found.append(f"{key}: visits both routed and reported unserved: {sorted(set(ids) & left)}")
    return found


def _weekly_violations(
    week: RoutingProblem, plan: RoutePlan, served: dict[tuple[str, int], list[str]]
) -> list[str]:
    found = []
    working_days = len(week.day_names)
    for pool in week.pools:
        for v in pool.problem.visits:
            days = [day for (depot, day), ids in served.items() if depot == pool.depot_id for p in ids
                    if p == v.point_id]
            days += [u.day for u in plan.unserved if u.depot_id == pool.depot_id and u.point_id == v.point_id
                     and u.day is not None]
            where = f"{v.point_id} from {pool.depot_id}"
            if len(days) != v.visits_per_week or len(set(days)) != len(days):
                found.append(f"{where}: {v.visits_per_week} visits a week but routed or reported on {days}")
            elif tuple(sorted(days)) not in visit_patterns(v.visits_per_week, working_days):
                found.append(f"{where}: days {sorted(days)} are not evenly spread")
    return found
