"""How a large model's stage reports itself: the restricted start never claims the full model's gap."""

from __future__ import annotations

import pytest

from optimizer.progress import ProgressEvent
from optimizer.solve import _with_bound


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
