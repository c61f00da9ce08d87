"""The time limit bounds the whole solve (model building and every stage), not each solver run."""

from __future__ import annotations

import time

from optimizer.design.options import SolveOptions
from optimizer.design.plan import PlanStatus
from optimizer.design.solve import MIN_STAGE_S, solve_pareto
from optimizer.design.solvers import HIGHS_TIME_GRACE_S
from tests.optimizer.tiny_networks import random_cflp


def test_a_sweep_of_hard_points_ends_within_its_time_limit() -> None:
    """30 facilities x 200 customers at gap 0: every solve of the sweep (best utilization, three points)
    runs to its limit, so with 4 s each the sweep took more than 16 s. The 4 s now bound the sweep, up to
    what each solve may run past the deadline (at least MIN_STAGE_S each, and HiGHS's grace) and a few
    seconds for a shared, slow test machine."""
    limit, solves = 4.0, 4
    overrun = solves * (MIN_STAGE_S + HIGHS_TIME_GRACE_S) + 2.0
    started = time.monotonic()
    sweep = solve_pareto(
        random_cflp(30, 200, 2.0), SolveOptions(mip_gap=0.0, time_limit_s=limit), 3, validated=True
    )
    wall = time.monotonic() - started
    assert wall < limit + overrun < solves * limit, f"{wall:.1f} s"
    assert sweep.runtime_s < limit + overrun
    assert len(sweep.plans) == 3 and all(p.status is not PlanStatus.ERROR for p in sweep.plans)
