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
from optimizer.messages import render

# Plans store their messages in English; optimizer.report.translate renders them in Chinese from the
# same catalogue codes (plan.*).


def nothing_to_decide(model: NetworkDesignModel) -> str | None:
    """Why no scrap of ``model`` can be collected (no collection arc), or ``None`` when some can.

    Sites may still have delivery arcs to smelters; without a collection arc nothing ever reaches them.
    """
    if bool((model.arcs.echelon == 0).any()):
        return None
    if not model.points:
        return render("plan.no_collection_point")
    supplying = [p for i, p in enumerate(model.points) if model.supply_t[i].sum() > 0]
    if not supplying:
        return render("plan.no_supply")
    destinations = [s.id for s in model.sites] + [m.id for m in model.smelters]
    if not destinations:
        return render("plan.no_destination")
    oracle = DistanceOracle(model.network)
    km, point, destination = min(
        (oracle.km(p.id, d), p.id, d) for p in supplying for d in destinations
    )
    limit = model.network.parameters.max_haul_km_collection
    if limit is not None and km > limit + 1e-9:
        where = (("point", point), ("destination", destination), ("km", _km(km)), ("limit", _km(limit)))
        return render("plan.out_of_reach", where)
    return render("plan.no_route")


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
        stopped = render("plan.stopped_at_limit", (("limit", f"{time_limit_s:g}"),))
    elif status is PlanStatus.CANCELLED:
        stopped = render("plan.stopped_by_cancel")
    else:
        return None
    fewer = f"--k-nearest {max(1, k_nearest // 2)}" if k_nearest is not None else "--k-nearest 10"
    options = (("stopped", stopped), ("time_option", "--time-limit"), ("k_option", fewer))
    return render("plan.trivial", options)


def nothing_to_decide_message(why: str, status_message: str) -> str:
    """A plan's message when its network has nothing to decide."""
    return render("plan.nothing_to_decide", (("why", why), ("status", status_message)))


def nothing_collected(why: str) -> str:
    """The clause an infeasible plan of such a network starts with."""
    return render("plan.nothing_collected", (("why", why),))
