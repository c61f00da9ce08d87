"""A plan's status in a few words of any language: the banner and the result line of the desktop app.

``Plan.status_message`` is the whole of what the solve said (why nothing can be collected, every
shortfall, a solver's error); the banner says only what the status means, so it is built here from the
plan's status, gap, time limit and whether it carries a solution, as a catalogue message
(:class:`~optimizer.messages.Msg`) rendered at the moment it is shown. Where the plan's own message is a
more precise status (a multi-year plan whose years, planned one at a time, prove its gap), its code says
so and that message is the status.
"""

from __future__ import annotations

from optimizer.design.plan import Plan, PlanStatus
from optimizer.messages import Msg, msg


def plan_status_message(plan: Plan) -> Msg:
    """What the plan's status means, as a message: "stopped at the time limit (60 s) with a gap of ..."."""
    limit = f"{plan.options.time_limit_s:g}"
    status = plan.status
    if status is PlanStatus.CANCELLED:
        return msg("status.cancelled") if plan.has_solution else msg("status.cancelled_empty")
    if status is PlanStatus.FEASIBLE:
        bounded = _bounded_years(plan)
        if bounded is not None:
            return bounded
        if plan.gap is None:
            return msg("status.time_limit_no_gap", limit=limit)
        return msg("status.time_limit", limit=limit, gap=f"{100 * plan.gap:.2f}%")
    if status is PlanStatus.TIME_LIMIT_NO_SOLUTION:
        return msg("status.time_limit_no_solution", limit=limit)
    if status is PlanStatus.INFEASIBLE:
        return msg("status.infeasible")
    if status is PlanStatus.ERROR:
        return msg("status.error")
    if plan.gap is None:
        return msg("status.optimal")
    return msg("status.optimal_gap", gap=f"{100 * plan.gap:.3f}%")


#: Status messages of a multi-year plan that stopped, not at the time limit, within a proven gap.
BOUNDED_CODES = frozenset({"multiyear.bounded", "multiyear.bounded_after_failure"})


def _bounded_years(plan: Plan) -> Msg | None:
    """A multi-year plan whose years, planned one at a time, prove its gap: it did not stop at the time
    limit, so its status is its own message."""
    return plan.status_message if plan.status_message.code in BOUNDED_CODES else None


def message(code: str, **params: object) -> Msg:
    """A catalogue message by code, for callers outside optimizer (``KeyError`` for an unknown code)."""
    return msg(code, **params)
