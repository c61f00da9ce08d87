"""HiGHS and CBC reach the same optimum on the same model (CBC is the fallback and the cross-check)."""

from __future__ import annotations

import pytest

from optimizer.design.options import SolveOptions, SolverName
from optimizer.design.plan import PlanStatus
from optimizer.design.solve import solve
from optimizer.design.solvers import available_solvers
from optimizer.model import Network
from tests.optimizer.tiny_networks import (
    blend_network,
    dismantling_chain,
    one_yard_two_centers,
    random_network,
)

pytestmark = pytest.mark.skipif(
    SolverName.CBC not in available_solvers(), reason="PuLP's bundled CBC binary is not available here"
)

CASES = [
    ("one yard, profit", one_yard_two_centers(), {}),
    ("one yard, cost at 60 %", one_yard_two_centers(), {"objective": "cost", "target_utilization": 0.6}),
    (
        "one yard, utilization in budget",
        one_yard_two_centers(),
        {"objective": "utilization", "budget_cny": 6_000.0},
    ),
    ("blend", blend_network(), {}),
    ("dismantling chain", dismantling_chain(), {}),
    *((f"random {seed}", random_network(seed, n_points=12, n_sites=6), {}) for seed in (21, 22, 23)),
    (
        "random 24, cost",
        random_network(24, n_points=12, n_sites=6),
        {"objective": "cost", "target_utilization": 0.3},
    ),
]


@pytest.mark.parametrize(("name", "network", "kw"), CASES, ids=[c[0] for c in CASES])
def test_highs_and_cbc_agree_on_the_optimum(name: str, network: Network, kw: dict) -> None:
    plans = {
        solver: solve(network, SolveOptions(solver=solver, mip_gap=0.0, time_limit_s=60.0, **kw))
        for solver in (SolverName.HIGHS, SolverName.CBC)
    }
    highs, cbc = plans[SolverName.HIGHS], plans[SolverName.CBC]
    assert highs.status is PlanStatus.OPTIMAL, highs.message
    assert cbc.status is PlanStatus.OPTIMAL, cbc.message
    assert highs.objective is not None and cbc.objective is not None
    # CBC writes its solution with 8 significant digits, so plan costs recomputed from it differ slightly
    assert cbc.objective == pytest.approx(highs.objective, rel=1e-6, abs=1e-4)
    assert highs.kpis is not None and cbc.kpis is not None
    assert cbc.kpis.profit_cny == pytest.approx(highs.kpis.profit_cny, rel=1e-5, abs=1e-2)
    assert "HiGHS" in highs.solver and "CBC" in cbc.solver


def test_cbc_starts_from_the_plan_it_is_given() -> None:
    from optimizer.design.formulation import Requirements, build_model
    from optimizer.design.solvers import SolveOutcome, SolverSettings, run_solver
    from optimizer.progress import ProgressEvent

    model = build_model(random_network(7), Requirements())
    model.set_objective("profit")
    first = run_solver(model.problem, SolverSettings(mip_gap=0.0))
    start = {v: float(v.varValue) for v in model.problem.variables() if v.varValue is not None}
    log: list[str] = []

    def keep(event: ProgressEvent) -> None:
        if event.log_line:
            log.append(event.log_line)

    settings = SolverSettings(solver=SolverName.CBC, mip_gap=0.0, log_to_progress=True)
    again = run_solver(model.problem, settings, warm_start=start, progress=keep)
    assert again.outcome is SolveOutcome.OPTIMAL
    assert again.objective == pytest.approx(first.objective, rel=1e-9)
    assert any("MIPStart provided solution" in line for line in log), log[:20]
