"""``plan_routes``: the one entry point of collection routing, whichever engine runs it.

The week is solved one depot-day at a time (a point's depot is fixed by the assignment, and days share
nothing once visit days are chosen). The time limit is shared among the instances in proportion to
their visits; time an instance leaves unused passes on to the rest. Then a once-a-week visit that
found no room on its day is tried on the days with the most spare trucks (15 % of the limit is kept
for this when the week comes from a network). Every route an engine returns is
re-timed and checked here (loads, windows, shift); a visit an engine leaves out becomes an
:class:`~optimizer.routing.result.UnservedVisit` with its reason, never a silent drop.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from optimizer.messages import EN, Msg, msg
from optimizer.progress import CancelToken, ProgressCallback, ProgressEvent, Throttle, is_cancelled
from optimizer.routing.engine import EngineBudget, EngineSolution
from optimizer.routing.options import Engine, RoutingOptions
from optimizer.routing.periodic import WEEKDAY_NAMES
from optimizer.routing.problem import DepotProblem, RoutingProblem
from optimizer.routing.result import Route, RoutePlan, RouteStatus, UnservedReason, UnservedVisit
from optimizer.routing.schedule import build_route, violations

#: Every instance gets at least this much time, so that an engine can always build a first solution
#: even when earlier instances used up the limit (the run may then overrun by this much per instance).
MIN_INSTANCE_S = 0.1

#: Share of the time limit kept for moving left-out weekly visits to other days (weeks built from a
#: network only; a bare instance gets the whole limit).
MOVE_RESERVE = 0.15

_ENGINE_MODULES = {
    Engine.PYVRP: "optimizer.routing.pyvrp_engine",
    Engine.ORTOOLS: "optimizer.routing.ortools_engine",
}


class _EngineModule(Protocol):
    NAME: str

    def solve(self, problem: DepotProblem, budget: EngineBudget) -> EngineSolution: ...


class EngineError(RuntimeError):
    """An engine returned a route that breaks the problem's rules: a bug, never a user error."""


@dataclass
class _Tracker:
    """Progress over the whole week: visits done, cost of finished instances, current best."""

    progress: ProgressCallback | None
    total_visits: int
    started: float
    throttle: Throttle
    done_visits: int = 0
    done_cost_cny: float = 0.0
    label: str | Msg = ""

    def report(
        self, current_cny: float | None = None, force: bool = False, message: str | Msg = ""
    ) -> None:
        if self.progress is None or not self.throttle.ready(force):
            return
        incumbent = self.done_cost_cny + (current_cny or 0.0)
        fraction = self.done_visits / self.total_visits if self.total_visits else 1.0
        self.progress(
            ProgressEvent(
                phase="routing",
                fraction=min(1.0, fraction),
                message=message or msg("routing.so_far", what=self.label, cny=incumbent),
                elapsed_s=time.perf_counter() - self.started,
                incumbent=incumbent,
            )
        )


def _engine(engine: Engine | str) -> _EngineModule:
    try:
        module_name = _ENGINE_MODULES[Engine(engine)]
    except ValueError:
        raise ValueError(f"unknown routing engine {engine!r}; expected one of pyvrp, ortools") from None
    module: _EngineModule = importlib.import_module(module_name)
    return module


def plan_routes(
    problem: RoutingProblem | DepotProblem,
    options: RoutingOptions | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> RoutePlan:
    """Route every depot-day of ``problem`` with the engine of ``options``.

    Parameters
    ----------
    problem
        The week (from :func:`optimizer.routing.build.build_routing_problem`), or one bare instance.
    options
        Engine, time limit, seed, stagnation stop (the defaults when ``None``).
    progress
        Receives ``ProgressEvent(phase="routing")`` at most about ten times a second.
    cancel
        When set, the running instance stops at its next iteration; its best routes so far are kept,
        and the visits of the instances not started are reported as ``cancelled``.

    Returns
    -------
    RoutePlan
        Routes in real units, unserved visits with reasons, and the status.
    """
    options = options or RoutingOptions()
    week = RoutingProblem.single(problem) if isinstance(problem, DepotProblem) else problem
    engine = _engine(options.engine)
    started = time.perf_counter()
    instances = [p for p in week.depot_problems if p.visits]
    tracker = _Tracker(progress, sum(len(p.visits) for p in instances), started, Throttle(10.0))
    results: dict[tuple[str, int], _DayResult] = {}
    cancelled = no_solution = False
    remaining_visits = tracker.total_visits
    first_pass_s = options.time_limit_s * (1.0 - MOVE_RESERVE if week.pools else 1.0)
    tracker.report(force=True, message=msg("routing.start", n=len(instances), engine=engine.NAME))

    for sub in instances:
        day_name = _weekday(week, sub.day)  # in the unserved visits' details, in the reader's words
        if cancelled or is_cancelled(cancel):
            cancelled = True
            results[(sub.depot_id, sub.day)] = _DayResult(
                sub,
                [],
                _all_unserved(sub, day_name, UnservedReason.CANCELLED, msg("route_detail.cancelled_first")),
            )
            continue
        left = first_pass_s - (time.perf_counter() - started)
        share = max(MIN_INSTANCE_S, left * len(sub.visits) / max(1, remaining_visits))
        tracker.label = msg("routing.depot_day", depot=sub.depot_id, day=day_name)
        solution = engine.solve(sub, _budget(options, share, cancel, tracker, sub))
        result = _day_result(sub, solution, day_name, engine.NAME)
        results[(sub.depot_id, sub.day)] = result
        no_solution = no_solution or not solution.feasible
        cancelled = cancelled or solution.cancelled
        tracker.done_visits += len(sub.visits)
        tracker.done_cost_cny += sum(r.cost_cny for r in result.routes)
        remaining_visits -= len(sub.visits)
        tracker.report(force=True)

    if week.pools and not cancelled and not no_solution:
        _move_left_out_visits(week, results, engine, options, started, cancel, tracker)

    order = {d: k for k, d in enumerate(week.depot_ids)}
    keys = sorted(results, key=lambda key: (order.get(key[0], len(order)), key[0], key[1]))
    routes = [r for key in keys for r in results[key].routes]
    unserved = list(week.unserved) + [u for key in keys for u in results[key].unserved]
    status = _status(week, routes, unserved, cancelled, no_solution)
    runtime = time.perf_counter() - started
    planned = sum(len(r.visits) for r in routes)
    haul_trips = sum(h.trips_per_year for h in week.hauls) / week.weeks_per_year
    visits = {"a": planned, "b": planned + _lost_visits(unserved), "n": len(routes)}
    message = (
        msg("route_plan.visits_hauls", **visits, hauls=len(week.hauls), trips=f"{haul_trips:,.1f}")
        if week.hauls
        else msg("route_plan.visits", **visits)
    )
    return RoutePlan(
        status=status,
        engine=engine.NAME,
        routes=tuple(routes),
        unserved=tuple(unserved),
        day_names=week.day_names,
        weeks_per_year=week.weeks_per_year,
        runtime_s=runtime,
        time_limit_s=options.time_limit_s,
        notes=week.notes,
        message=message,
        depot_ids=week.depot_ids,
        hauls=week.hauls,
    )


@dataclass
class _DayResult:
    """One depot-day: its (final) problem, routes and the visits left out."""

    problem: DepotProblem
    routes: list[Route]
    unserved: list[UnservedVisit]

    @property
    def served(self) -> int:
        return sum(len(r.visits) for r in self.routes)

    @property
    def full(self) -> bool:
        return any(u.reason is UnservedReason.NOT_ENOUGH_TRUCKS for u in self.unserved)

    def spare(self) -> int:
        """Shift time (time units) the depot's trucks have left on this day."""
        p = self.problem
        total = sum(f.count * p.max_duration(f) for f in p.fleets)
        used = sum(round(r.duration_h / p.units.hours_per_time) for r in self.routes)
        return total - used


def _budget(
    options: RoutingOptions, share: float, cancel: CancelToken | None, tracker: _Tracker, sub: DepotProblem
) -> EngineBudget:
    return EngineBudget(
        time_limit_s=share,
        seed=options.seed,
        stop_without_improvement=options.stop_without_improvement,
        cancel=cancel,
        on_best=_on_best(tracker, sub),
    )


def _day_result(sub: DepotProblem, solution: EngineSolution, day_name: str | Msg, engine: str) -> _DayResult:
    routes = _routes(sub, solution)
    if not solution.feasible:
        why = msg("route_detail.no_routes", engine=engine, trucks=sub.num_vehicles)
        return _DayResult(sub, routes, _all_unserved(sub, day_name, UnservedReason.NOT_ENOUGH_TRUCKS, why))
    if solution.cancelled:
        why = msg("route_detail.cancelled")
        return _DayResult(
            sub, routes, _all_unserved(sub, day_name, UnservedReason.CANCELLED, why, only=solution.unplanned)
        )
    return _DayResult(sub, routes, [_left_out(sub, i, day_name) for i in solution.unplanned])


#: A once-a-week visit left out for lack of trucks is tried again on at most this many other days.
MOVE_ATTEMPTS = 2


def _move_left_out_visits(
    week: RoutingProblem,
    results: dict[tuple[str, int], _DayResult],
    engine: _EngineModule,
    options: RoutingOptions,
    started: float,
    cancel: CancelToken | None,
    tracker: _Tracker,
) -> None:
    """Give each once-a-week visit that found no room on its day a chance on a day with spare trucks.

    The day with the most spare shift time (and no visit of its own left out) is routed again with the
    visit added; the new routes replace the old ones only when they serve more visits. Runs on the time
    the first pass left over, and never for visits made more than once a week (their days must stay
    evenly spread).
    """
    pending = [
        (pool, day, u)
        for pool in week.pools
        for day in range(len(pool.days))
        if (pool.depot_id, day) in results
        for u in results[(pool.depot_id, day)].unserved
        if u.reason is UnservedReason.NOT_ENOUGH_TRUCKS
        and pool.problem.visits[pool.index(u.point_id)].visits_per_week == 1
    ]
    days = {pool.depot_id: [list(d) for d in pool.days] for pool in week.pools}
    for k, (pool, day, left_out) in enumerate(pending):
        depot = pool.depot_id
        index = pool.index(left_out.point_id)
        candidates = []
        for other in range(len(pool.days)):
            result = results.get((depot, other))
            if other == day or (result is not None and result.full):
                continue
            spare = result.spare() if result is not None else sum(
                f.count * pool.problem.max_duration(f) for f in pool.problem.fleets
            )
            candidates.append((-spare, other))
        for _, other in sorted(candidates)[:MOVE_ATTEMPTS]:
            left = options.time_limit_s - (time.perf_counter() - started)
            if left <= 0 or is_cancelled(cancel):
                return
            indices = [*days[depot][other], index]
            trial = pool.problem.restricted(indices, other, f"{depot} {_day_name(week, other)}")
            tracker.report(
                force=True,
                message=msg(
                    "routing.trying", point=left_out.point_id, day=_weekday(week, other), depot=depot
                ),
            )
            share = max(MIN_INSTANCE_S, left / max(1, (len(pending) - k) * MOVE_ATTEMPTS))
            solution = engine.solve(trial, _budget(options, share, cancel, tracker, trial))
            if not solution.feasible or solution.cancelled:
                continue
            before = results.get((depot, other))
            if len(trial.visits) - len(solution.unplanned) <= (before.served if before else 0):
                continue
            results[(depot, other)] = _day_result(trial, solution, _weekday(week, other), engine.NAME)
            days[depot][other] = indices
            days[depot][day].remove(index)
            origin = results[(depot, day)]
            origin.unserved.remove(left_out)
            origin.problem = pool.problem.restricted(days[depot][day], day, origin.problem.name)
            break


def _on_best(tracker: _Tracker, sub: DepotProblem) -> Callable[[int, int], None]:
    def on_best(cost: int, missing: int) -> None:
        tracker.report(cost * sub.units.cny_per_cost)

    return on_best


def _routes(sub: DepotProblem, solution: EngineSolution) -> list[Route]:
    trucks: dict[int, int] = {}
    out = []
    for engine_route in solution.routes:
        broken = violations(sub, engine_route)
        if broken:
            raise EngineError(f"{sub.name}: engine route {engine_route} breaks: {'; '.join(broken)}")
        trucks[engine_route.fleet] = trucks.get(engine_route.fleet, 0) + 1
        out.append(build_route(sub, engine_route, trucks[engine_route.fleet]))
    return out


def _weekday(week: RoutingProblem, day: int) -> str | Msg:
    """A day of the week in words of the reader's language (the problem's own label if it has no weekday)."""
    name = _day_name(week, day)
    return msg(f"weekday.{day}") if f"weekday.{day}" in EN and name in WEEKDAY_NAMES else name


def _day_name(week: RoutingProblem, day: int) -> str:
    return week.day_names[day] if 0 <= day < len(week.day_names) else f"day {day + 1}"


def _all_unserved(
    sub: DepotProblem,
    day_name: str | Msg,
    reason: UnservedReason,
    why: Msg,
    only: tuple[int, ...] | None = None,
) -> list[UnservedVisit]:
    indices = range(len(sub.visits)) if only is None else only
    # the depot and the day close the sentence: "... (D1, Mon)"
    detail = msg(why.code, **dict(why.params), depot=sub.depot_id, day=day_name)
    return [
        UnservedVisit(
            point_id=sub.visits[i].point_id, reason=reason, detail=detail,
            depot_id=sub.depot_id, day=sub.day, visits_per_week=1,
            t_per_year=sub.visits[i].t_per_year / max(1, sub.visits[i].visits_per_week),
        )
        for i in indices
    ]


def _left_out(sub: DepotProblem, index: int, day_name: str | Msg) -> UnservedVisit:
    visit = sub.visits[index]
    fleet_payload = sum(f.count * f.capacity for f in sub.fleets) * sub.units.kg_per_load
    day_pickup = sum(v.pickup_real for v in sub.visits) * sub.units.kg_per_load
    return UnservedVisit(
        point_id=visit.point_id,
        reason=UnservedReason.NOT_ENOUGH_TRUCKS,
        detail=msg(
            "route_detail.no_room", depot=sub.depot_id, trucks=sub.num_vehicles, day=day_name,
            visits=len(sub.visits), kg=f"{day_pickup:,.0f}", payload=f"{fleet_payload:,.0f}",
        ),
        depot_id=sub.depot_id,
        day=sub.day,
        visits_per_week=1,
        t_per_year=visit.t_per_year / max(1, visit.visits_per_week),
        fix=msg("route_fix.one_more_truck", depot=sub.depot_id, day=day_name),
    )


def _lost_visits(unserved: list[UnservedVisit]) -> int:
    return sum(u.visits_per_week if u.day is None else 1 for u in unserved)


def _status(
    week: RoutingProblem,
    routes: list[Route],
    unserved: list[UnservedVisit],
    cancelled: bool,
    no_solution: bool,
) -> RouteStatus:
    if cancelled:
        return RouteStatus.CANCELLED
    if no_solution:
        return RouteStatus.NO_SOLUTION
    if not routes and not unserved and week.num_visits == 0 and not week.hauls:
        return RouteStatus.EMPTY
    return RouteStatus.PARTIAL if unserved else RouteStatus.COMPLETE
