"""A cancelled solve comes back promptly as a ``cancelled`` plan, with either engine."""

from __future__ import annotations

import threading
import time

import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.plan import PlanStatus
from optimizer.design.solve import solve
from optimizer.design.solvers import available_solvers
from optimizer.model import Network
from optimizer.progress import CancelToken, ProgressEvent
from tests.optimizer.tiny_networks import one_yard_two_centers, random_cflp

#: How long after the cancel the plan must be back (generous: the test machine is shared and slow).
PROMPT_S = 5.0


@pytest.fixture(scope="module")
def hard_network() -> Network:
    """50 facilities x 380 customers at gap 0: builds in under a second, solves in tens of seconds."""
    return random_cflp(50, 380, 2.0)


@pytest.mark.parametrize("solver", available_solvers())
def test_cancel_returns_a_cancelled_plan_promptly(hard_network, solver: str) -> None:
    token = CancelToken()
    solving = threading.Event()
    cancelled_at: list[float] = []

    def progress(event: ProgressEvent) -> None:
        if event.phase.startswith("solving"):
            solving.set()

    def cancel_after_a_second() -> None:
        solving.wait(timeout=60)
        time.sleep(1.0)
        cancelled_at.append(time.monotonic())
        token.cancel()

    threading.Thread(target=cancel_after_a_second, daemon=True).start()
    options = SolveOptions(objective="cost", mip_gap=0.0, time_limit_s=120.0, solver=solver)  # type: ignore[arg-type]
    plan = solve(hard_network, options, progress=progress, cancel=token)
    returned = time.monotonic()
    assert plan.status is PlanStatus.CANCELLED, plan.message
    assert cancelled_at, "the solve ended before it could be cancelled"
    assert returned - cancelled_at[0] < PROMPT_S
    assert plan.message.startswith("cancelled")
    if plan.has_solution:
        assert plan.kpis is not None and plan.gap is not None  # an incumbent is kept, with its gap


def test_a_token_cancelled_before_the_solve_stops_it_at_once() -> None:
    token = CancelToken()
    token.cancel()
    started = time.monotonic()
    plan = solve(one_yard_two_centers(), SolveOptions(), cancel=token)
    assert plan.status is PlanStatus.CANCELLED
    assert not plan.has_solution
    assert time.monotonic() - started < PROMPT_S
