"""Words that name things the same way in every view: which plan is shown, and where it came from."""

from __future__ import annotations

from app.document import Scenario
from app.i18n import language, tr
from optimizer import RoutePlan, message

#: The routing's own day names (Monday first) that have a translation in the catalogue.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


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


def day_name(routes: RoutePlan | None, day: int) -> str:
    """A day of the week as everywhere else (progress, routes table, map filter): "Mon" / "周一"."""
    names = routes.day_names if routes is not None else ()
    label = names[day] if 0 <= day < len(names) else ""
    if label in _WEEKDAYS:
        return message(f"weekday.{_WEEKDAYS.index(label)}").render(language())
    return label or tr("map.day_n", n=day + 1)
