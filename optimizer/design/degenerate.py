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
from optimizer.messages import Msg, msg

# Plans store their messages as catalogue messages (plan.*), rendered in the reader's language.


def nothing_to_decide(model: NetworkDesignModel) -> Msg | None:
    """Why no scrap of ``model`` can be collected (no collection arc), or ``None`` when some can.

    Sites may still have delivery arcs to smelters; without a collection arc nothing ever reaches them.
    """
    if bool((model.arcs.echelon == 0).any()):
        return None
    if not model.points:
        return msg("plan.no_collection_point")
    supplying = [p for i, p in enumerate(model.points) if model.supply_t[i].sum() > 0]
    if not supplying:
        return msg("plan.no_supply")
    destinations = [s.id for s in model.sites] + [m.id for m in model.smelters]
    if not destinations:
        return msg("plan.no_destination")
    oracle = DistanceOracle(model.network)
    km, point, destination = min(
        (oracle.km(p.id, d), p.id, d) for p in supplying for d in destinations
    )
    limit = model.network.parameters.max_haul_km_collection
    if limit is not None and km > limit + 1e-9:
        return msg("plan.out_of_reach", point=point, destination=destination, km=_km(km), limit=_km(limit))
    return msg("plan.no_route")


def _km(km: float) -> str:
    """``30.05``, ``30`` (two decimals at most, no trailing zeros)."""
    return f"{km:,.2f}".rstrip("0").rstrip(".")


def trivial_incumbent(status: PlanStatus, time_limit_s: float, k_nearest: int | None) -> Msg | None:
    """What to tell a planner whose solve stopped with only the trivial plan (it collects nothing).

    On a very large network the solver may reach its time limit (or a cancel) holding nothing better
    than collecting nothing: feasible, but no plan. Say so plainly, and what gives the solver a chance.
    ``None`` for statuses where collecting nothing is proven best (optimal) or no plan exists anyway.
    """
    if status is PlanStatus.FEASIBLE:
        stopped = msg("plan.stopped_at_limit", limit=f"{time_limit_s:g}")
    elif status is PlanStatus.CANCELLED:
        stopped = msg("plan.stopped_by_cancel")
    else:
        return None
    fewer = f"--k-nearest {max(1, k_nearest // 2)}" if k_nearest is not None else "--k-nearest 10"
    return msg("plan.trivial", stopped=stopped, time_option="--time-limit", k_option=fewer)


def nothing_to_decide_message(why: Msg, status_message: Msg) -> Msg:
    """A plan's message when its network has nothing to decide."""
    return msg("plan.nothing_to_decide", why=why, status=status_message)


def nothing_collected(why: Msg) -> Msg:
    """The clause an infeasible plan of such a network starts with."""
    return msg("plan.nothing_collected", why=why)
