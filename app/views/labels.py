"""Words that name things the same way in every view: which plan is shown, and where it came from."""

from __future__ import annotations

from app.document import Scenario
from app.i18n import tr


def plan_origin(scenario: Scenario) -> str:
    """How the shown plan came to be: "Solve", "trade-off point 3 of 5", with "from the file" when it
    was read back from the project rather than solved in this session."""
    sweep = scenario.sweep_index
    text = (
        tr("plan.origin_solve")
        if sweep is None
        else tr("plan.origin_sweep", k=sweep + 1, n=len(scenario.pareto))
    )
    if scenario.restored:
        text += tr("plan.origin_saved")
    return text
