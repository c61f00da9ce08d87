"""A plan's status in words of any language, rendered from the plan's own fields.

``Plan.message`` is an English sentence for the command line and the JSON file. The desktop app shows
the same facts in the user's language, so it renders them here from the plan's status, gap, time limit
and whether it carries a solution, as a catalogue message (:class:`~optimizer.messages.Msg`), at the
moment it is shown. ``solve`` builds its English message from the same catalogue entries.
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


def _bounded_years(plan: Plan) -> Msg | None:
    """A multi-year plan whose years, planned one at a time, prove its gap: it did not stop at the time
    limit, so it says what its own message says (the same catalogue entry, rebuilt from the plan)."""
    if plan.gap is None:
        return None
    fields = {"gap": f"{100 * plan.gap:.2f}%", "variables": plan.model_size.get("variables", 0)}
    for code in ("multiyear.bounded", "multiyear.bounded_after_failure"):
        said = msg(code, **fields)
        if said.render("en") == plan.message:
            return said
    return None


def message(code: str, **params: object) -> Msg:
    """A catalogue message by code, for callers outside optimizer (``KeyError`` for an unknown code)."""
    return msg(code, **params)
