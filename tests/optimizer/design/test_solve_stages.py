"""How a large model's stage reports itself: the restricted start never claims the full model's gap."""

from __future__ import annotations

import pytest

from optimizer.design.solve import _better, _with_bound
from optimizer.design.solvers import SolveOutcome, SolverResult
from optimizer.progress import ProgressEvent


def test_the_restricted_start_reports_the_full_models_bound_and_gap() -> None:
    seen: list[ProgressEvent] = []
    report = _with_bound(seen.append, 90.0)
    assert report is not None
    # the restricted MILP proved its own optimum (bound = incumbent), but the full model's bound is 90
    report(ProgressEvent("solving (sites of the LP relaxation)", 0.2, "", 1.0, 100.0, 100.0, 0.0))
    report(ProgressEvent("solving (sites of the LP relaxation)", 0.1, "highs started", 0.5))
    assert seen[0].bound == 90.0 and seen[0].gap == pytest.approx(0.1)
    assert seen[0].incumbent == 100.0 and seen[0].phase.startswith("solving")
    assert seen[1].bound == 90.0 and seen[1].gap is None  # no plan yet: no gap
    assert _with_bound(None, 90.0) is None


def _result(outcome: SolveOutcome, objective: float | None) -> SolverResult:
    return SolverResult(outcome, objective is not None, objective, None, None, 1.0, "test")


@pytest.mark.parametrize(
    ("full", "maximise", "expected"),
    [
        (_result(SolveOutcome.NO_SOLUTION, None), False, True),  # the full solve found nothing
        (_result(SolveOutcome.CANCELLED, None), False, True),
        (_result(SolveOutcome.FEASIBLE, 120.0), False, True),  # CBC without the start: worse cost
        (_result(SolveOutcome.FEASIBLE, 90.0), False, False),  # improved on the start
        (_result(SolveOutcome.FEASIBLE, 100.0), False, False),  # a tie keeps the full solve's plan
        (_result(SolveOutcome.FEASIBLE, 120.0), True, False),  # more profit than the start
        (_result(SolveOutcome.FEASIBLE, 90.0), True, True),
        (_result(SolveOutcome.INFEASIBLE, None), False, False),  # never hide an infeasible model
        (_result(SolveOutcome.ERROR, None), False, False),
    ],
)
def test_the_restricted_plan_stands_only_when_the_full_solve_did_not_beat_it(
    full: SolverResult, maximise: bool, expected: bool
) -> None:
    assert _better(_result(SolveOutcome.OPTIMAL, 100.0), full, maximise) is expected
