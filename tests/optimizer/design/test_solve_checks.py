"""The single solve and the trade-off sweep check a network the same way (one check, not two copies)."""

from __future__ import annotations

from optimizer.design.options import Objective, SolveOptions
from optimizer.design.plan import PlanStatus
from optimizer.design.solve import solve, solve_pareto
from optimizer.model import CollectionPoint, Supply
from tests.optimizer.tiny_networks import one_yard_two_centers


def test_an_invalid_network_gets_the_same_error_from_the_solve_and_the_sweep() -> None:
    """Twelve yards with a negative supply: both list the first ten problems and count the rest (the
    sweep's own copy of the check used to drop the count)."""
    base = one_yard_two_centers()
    broken = tuple(
        CollectionPoint(f"Q{i}", f"yard {i}", 30.0, 120.0, "Zhejiang", (Supply("A", -5.0, 1.0),))
        for i in range(12)
    )
    network = base.replace(collection_points=base.collection_points + broken)
    plan = solve(network, SolveOptions())
    sweep = solve_pareto(network, SolveOptions(), 3)
    assert plan.status is PlanStatus.ERROR and sweep.status is PlanStatus.ERROR
    assert plan.message.startswith("the network has 12 error(s): ")
    assert plan.message.endswith("(and 2 more)")
    assert sweep.message == plan.message


def test_the_cost_objective_without_a_target_is_an_error_but_the_sweep_needs_none() -> None:
    network = one_yard_two_centers()
    plan = solve(network, SolveOptions(objective=Objective.COST))
    assert plan.status is PlanStatus.ERROR and "needs a utilization target" in plan.message
    assert solve_pareto(network, SolveOptions(), 2).status is PlanStatus.OPTIMAL
