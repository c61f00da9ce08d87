"""The solver's log during a multi-year solve: forwarded as progress when asked, each line named by the
year(s) its model covers, so the app's log is no longer empty while the years are planned."""

from __future__ import annotations

from optimizer.design.multiyear import MultiYearObjective, MultiYearOptions, build_multiyear_model
from optimizer.design.multiyear_bound import plan_year_by_year
from optimizer.design.multiyear_solve import solve_multiyear
from optimizer.progress import ProgressEvent
from tests.optimizer.design.test_multiyear import one_center


def _log(events: list[ProgressEvent]) -> list[str]:
    return [line for e in events if e.log_line for line in e.log_line.splitlines()]


def test_the_full_milp_forwards_its_log_named_by_the_horizon() -> None:
    events: list[ProgressEvent] = []
    plan = solve_multiyear(one_center(), MultiYearOptions(log_to_progress=True), progress=events.append)
    assert plan.has_solution
    lines = _log(events)
    assert lines, "HiGHS logs at least its header and its result"
    assert all(line.startswith("2025-2026: ") for line in lines), lines[:3]


def test_the_year_by_year_planner_names_each_year() -> None:
    model = build_multiyear_model(one_center(), MultiYearObjective.NPV)
    events: list[ProgressEvent] = []
    plan_year_by_year(model, MultiYearOptions(log_to_progress=True), 20.0, progress=events.append)
    years = {line.split(": ", 1)[0] for line in _log(events)}
    assert {"2025", "2026"} <= years


def test_no_log_lines_unless_asked() -> None:
    events: list[ProgressEvent] = []
    solve_multiyear(one_center(), MultiYearOptions(), progress=events.append)
    assert _log(events) == []
