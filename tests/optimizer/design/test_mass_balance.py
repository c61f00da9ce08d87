"""Copper is conserved in every solved plan: supplied = delivered + residue + not collected."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.design.options import SolveOptions
from optimizer.design.plan import Plan
from optimizer.design.solve import solve
from optimizer.model import Network
from tests.optimizer.tiny_networks import random_network


def _check_copper_balance(network: Network, plan: Plan) -> None:
    k = plan.kpis
    assert k is not None
    cu = network.copper_content()
    collected_cu = sum(t * cu[g] for a in plan.assignments for g, t in a.collected_t_by_grade.items())
    not_collected_cu = k.supply_t_cu - collected_cu
    assert k.supply_t_cu == pytest.approx(sum(network.total_supply_t_cu().values()), rel=1e-9)
    assert k.supply_t_cu == pytest.approx(
        k.copper_delivered_t_cu + k.residue_t_cu + not_collected_cu, rel=1e-6, abs=1e-6
    )
    assert collected_cu == pytest.approx(k.collected_t_cu, rel=1e-6, abs=1e-6)
    # residue copper is never negative when no yield table makes copper
    assert all(s.residue_t_cu >= -1e-6 for s in plan.sites)
    assert sum(s.residue_t_cu for s in plan.sites) == pytest.approx(k.residue_t_cu, rel=1e-6, abs=1e-6)
    for s in plan.sites:
        assert s.throughput_t <= s.capacity_t * (1 + 1e-7)
        out_t = sum(s.output_t_by_grade.values())
        assert out_t + s.residue_t == pytest.approx(s.throughput_t, rel=1e-6, abs=1e-6)
    # copper traced back to supply grades adds up to copper delivered
    supply_cu = network.total_supply_t_cu()
    traced = sum(share * supply_cu[g] for g, share in k.utilization_by_grade.items())
    assert traced == pytest.approx(k.copper_delivered_t_cu, rel=1e-6, abs=1e-6)
    for m in plan.smelters:
        assert m.intake_t <= m.capacity_t * (1 + 1e-7)
        if m.intake_t > 1e-6:
            assert m.blended_copper_content >= m.min_copper_content - 1e-7


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), objective=st.sampled_from(["profit", "utilization"]))
def test_copper_in_equals_copper_delivered_plus_residue_plus_not_collected(seed: int, objective: str) -> None:
    network = random_network(seed, n_points=6, n_sites=4)
    plan = solve(network, SolveOptions(objective=objective, mip_gap=0.0, time_limit_s=20.0))  # type: ignore[arg-type]
    assert plan.has_solution, plan.message
    _check_copper_balance(network, plan)
