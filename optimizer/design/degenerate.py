"""Why a network has nothing to decide, in words a planner can act on.

A model without a single allowed arc (every collection point beyond the haul limits, or no supply at
all) is not a solver failure: its only plan is the trivial one that collects nothing, and the planner
needs to hear why, with the figure to change ("the nearest pair is CP-1 -> M-1 at 30.05 km > 30 km").
Nor is a solve that stopped holding only that trivial plan a good plan: it says so, and what to try.
"""

from __future__ import annotations

from optimizer.design.formulation import NetworkDesignModel
from optimizer.design.plan import PlanStatus
from optimizer.geo import DistanceOracle


def nothing_to_decide(model: NetworkDesignModel) -> str | None:
    """Why no scrap of ``model`` can be collected (no collection arc), or ``None`` when some can.

    Sites may still have delivery arcs to smelters; without a collection arc nothing ever reaches them.
    """
    if bool((model.arcs.echelon == 0).any()):
        return None
    if not model.points:
        return "the network has no collection point"
    supplying = [p for i, p in enumerate(model.points) if model.supply_t[i].sum() > 0]
    if not supplying:
        return "every collection point's supply is 0 t/yr: there is no scrap to collect"
    destinations = [s.id for s in model.sites] + [m.id for m in model.smelters]
    if not destinations:
        return "the network has no open or candidate site and no smelter to deliver to"
    oracle = DistanceOracle(model.network)
    km, point, destination = min(
        (oracle.km(p.id, d), p.id, d) for p in supplying for d in destinations
    )
    limit = model.network.parameters.max_haul_km_collection
    if limit is not None and km > limit + 1e-9:
        return (
            "no collection point can reach any site or smelter within the haul limits: the nearest pair "
            f"is {point} -> {destination} at {_km(km)} km > {_km(limit)} km (the collection haul limit)"
        )
    return (
        "no collection point's scrap has a route to a smelter that takes it: the sites and smelters "
        "within the collection haul limit do not accept its grades, or cannot pass their output on "
        "within the transfer and delivery haul limits"
    )


def _km(km: float) -> str:
    """``30.05``, ``30`` (two decimals at most, no trailing zeros)."""
    return f"{km:,.2f}".rstrip("0").rstrip(".")


def trivial_incumbent(status: PlanStatus, time_limit_s: float, k_nearest: int | None) -> str | None:
    """What to tell a planner whose solve stopped with only the trivial plan (it collects nothing).

    On a very large network the solver may reach its time limit (or a cancel) holding nothing better
    than collecting nothing: feasible, but no plan. Say so plainly, and what gives the solver a chance.
    ``None`` for statuses where collecting nothing is proven best (optimal) or no plan exists anyway.
    """
    if status is PlanStatus.FEASIBLE:
        stopped = f"stopped at the time limit ({time_limit_s:g} s)"
    elif status is PlanStatus.CANCELLED:
        stopped = "cancelled"
    else:
        return None
    fewer = f"a smaller --k-nearest than {k_nearest}" if k_nearest is not None else "--k-nearest 10"
    return (
        f"{stopped} with only the trivial plan, which collects nothing (0% utilization): the solver found "
        "no plan that collects scrap in time. Allow more time (--time-limit) or keep fewer destinations "
        f"per collection point ({fewer})"
    )
