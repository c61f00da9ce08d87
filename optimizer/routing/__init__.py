"""Collection routing: the week's truck routes from every depot to the collection points it serves.

Build the week's problem from a network (and optionally a network-design plan), then route it with
PyVRP (default) or OR-Tools behind one function::

    from optimizer.routing import build_routing_problem, plan_routes, RoutingOptions

    problem = build_routing_problem(network, plan)
    routes = plan_routes(problem, RoutingOptions(engine="pyvrp", time_limit_s=60), progress, cancel)
    print(routes.summary())

Only :mod:`optimizer.routing.pyvrp_engine` imports pyvrp and only :mod:`optimizer.routing.ortools_engine`
imports ortools; both are imported when a solve asks for them.
"""

from optimizer.routing.build import build_routing_problem
from optimizer.routing.options import Engine, RoutingOptions
from optimizer.routing.problem import DepotPool, DepotProblem, Fleet, RoutingProblem, Units, Visit
from optimizer.routing.result import (
    CollectionFlow,
    CollectionMode,
    Haul,
    Route,
    RoutePlan,
    RouteStatus,
    RouteTotals,
    Stop,
    StopKind,
    UnservedReason,
    UnservedVisit,
)
from optimizer.routing.solve import plan_routes

__all__ = [
    "CollectionFlow",
    "CollectionMode",
    "DepotPool",
    "DepotProblem",
    "Engine",
    "Fleet",
    "Haul",
    "Route",
    "RoutePlan",
    "RouteStatus",
    "RouteTotals",
    "RoutingOptions",
    "RoutingProblem",
    "Stop",
    "StopKind",
    "Units",
    "UnservedReason",
    "UnservedVisit",
    "Visit",
    "build_routing_problem",
    "plan_routes",
]
