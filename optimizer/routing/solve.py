"""``plan_routes``: the one entry point of collection routing, whichever engine runs it.

The week is solved one depot-day at a time (a point's depot is fixed by the assignment, and days share
nothing once visit days are chosen). The time limit is shared among the instances in proportion to
their visits; time an instance leaves unused passes on to the rest. Every route an engine returns is
re-timed and checked here (loads, windows, shift); a visit an engine leaves out becomes an
:class:`~optimizer.routing.result.UnservedVisit` with its reason, never a silent drop.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from optimizer.progress import CancelToken, ProgressCallback, ProgressEvent, Throttle, is_cancelled
from optimizer.routing.engine import EngineBudget, EngineSolution
from optimizer.routing.options import Engine, RoutingOptions
from optimizer.routing.problem import DepotProblem, RoutingProblem
from optimizer.routing.result import Route, RoutePlan, RouteStatus, UnservedReason, UnservedVisit
from optimizer.routing.schedule import build_route, violations

#: Every instance gets at least this much time, so that an engine can always build a first solution
#: even when earlier instances used up the limit (the run may then overrun by this much per instance).
MIN_INSTANCE_S = 0.1

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
    label: str = ""

    def report(self, current_cny: float | None = None, force: bool = False, message: str = "") -> None:
        if self.progress is None or not self.throttle.ready(force):
            return
        incumbent = self.done_cost_cny + (current_cny or 0.0)
        fraction = self.done_visits / self.total_visits if self.total_visits else 1.0
        self.progress(
            ProgressEvent(
                phase="routing",
                fraction=min(1.0, fraction),
                message=message or f"{self.label}: {incumbent:,.0f} CNY so far",
                elapsed_s=time.perf_counter() - self.started,
                incumbent=incumbent,
            )
        )


def _engine(engine: Engine | str) -> _EngineModule:
    try:
        module_name = _ENGINE_MODULES[Engine(engine)]
    except ValueError:
        raise ValueError(f"unknown routing engine {engine!r}; expected one of pyvrp, ortools") from None
    module: _EngineModule = importlib.import_module(module_name)  # type: ignore[assignment]
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
    routes: list[Route] = []
    unserved: list[UnservedVisit] = list(week.unserved)
    cancelled = no_solution = False
    remaining_visits = tracker.total_visits
    tracker.report(force=True, message=f"routing {len(instances)} depot-days with {engine.NAME}")

    for sub in instances:
        day_name = _day_name(week, sub.day)
        if cancelled or is_cancelled(cancel):
            cancelled = True
            unserved += _all_unserved(sub, day_name, UnservedReason.CANCELLED, "routing was cancelled first")
            continue
        left = options.time_limit_s - (time.perf_counter() - started)
        share = max(MIN_INSTANCE_S, left * len(sub.visits) / max(1, remaining_visits))
        tracker.label = f"{sub.depot_id} {day_name}"
        budget = EngineBudget(
            time_limit_s=share,
            seed=options.seed,
            stop_without_improvement=options.stop_without_improvement,
            cancel=cancel,
            on_best=_on_best(tracker, sub),
        )
        solution = engine.solve(sub, budget)
        new_routes = _routes(sub, solution)
        routes += new_routes
        if not solution.feasible:
            no_solution = True
            unserved += _all_unserved(
                sub, day_name, UnservedReason.NOT_ENOUGH_TRUCKS,
                f"{engine.NAME} found no routes that serve every required visit with the "
                f"{sub.num_vehicles} truck(s) available",
            )
        elif solution.cancelled:
            unserved += _all_unserved(
                sub, day_name, UnservedReason.CANCELLED, "not on a route yet when routing was cancelled",
                only=solution.unplanned,
            )
        else:
            unserved += [_left_out(sub, i, day_name) for i in solution.unplanned]
        cancelled = cancelled or solution.cancelled
        tracker.done_visits += len(sub.visits)
        tracker.done_cost_cny += sum(r.cost_cny for r in new_routes)
        remaining_visits -= len(sub.visits)
        tracker.report(force=True)

    status = _status(week, routes, unserved, cancelled, no_solution)
    runtime = time.perf_counter() - started
    planned = sum(len(r.visits) for r in routes)
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
        message=f"{planned} of {planned + _lost_visits(unserved)} visits a week on "
        f"{len(routes)} truck-days",
        depot_ids=week.depot_ids,
    )


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


def _day_name(week: RoutingProblem, day: int) -> str:
    return week.day_names[day] if 0 <= day < len(week.day_names) else f"day {day + 1}"


def _all_unserved(
    sub: DepotProblem,
    day_name: str,
    reason: UnservedReason,
    why: str,
    only: tuple[int, ...] | None = None,
) -> list[UnservedVisit]:
    indices = range(len(sub.visits)) if only is None else only
    return [
        UnservedVisit(
            point_id=sub.visits[i].point_id, reason=reason, detail=f"{why} ({sub.depot_id}, {day_name})",
            depot_id=sub.depot_id, day=sub.day, visits_per_week=1,
            t_per_year=sub.visits[i].t_per_year / max(1, sub.visits[i].visits_per_week),
        )
        for i in indices
    ]


def _left_out(sub: DepotProblem, index: int, day_name: str) -> UnservedVisit:
    visit = sub.visits[index]
    fleet_payload = sum(f.count * f.capacity for f in sub.fleets) * sub.units.kg_per_load
    day_pickup = sum(v.pickup_real for v in sub.visits) * sub.units.kg_per_load
    return UnservedVisit(
        point_id=visit.point_id,
        reason=UnservedReason.NOT_ENOUGH_TRUCKS,
        detail=(
            f"no room for it on {sub.depot_id}'s {sub.num_vehicles} truck(s) on {day_name}: the day's "
            f"{len(sub.visits)} visits ({day_pickup:,.0f} kg; one trip of every truck carries "
            f"{fleet_payload:,.0f} kg) need more trucks, trips or shift hours than there are"
        ),
        depot_id=sub.depot_id,
        day=sub.day,
        visits_per_week=1,
        t_per_year=visit.t_per_year / max(1, visit.visits_per_week),
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
    if not routes and not unserved and week.num_visits == 0:
        return RouteStatus.EMPTY
    return RouteStatus.PARTIAL if unserved else RouteStatus.COMPLETE
