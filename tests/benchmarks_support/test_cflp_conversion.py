"""The CFLP -> network conversion of ``benchmarks/networks.py``, checked against published optima.

Small OR-Library instances (16 facilities x 50 customers) solve in about a second through the same
``solve()`` a user's workbook goes through, so they pin down both the conversion (facilities as candidate
sorting centers, allocation costs as per-tonne overrides, a sink smelter, utilization target 1.0) and
the cost objective of the MILP to a number published elsewhere. The instance files live in the shared
benchmark folder beside the repository; the tests skip, saying so, when it is not there.
"""

from __future__ import annotations

import sys
from pathlib import Path

import highspy
import numpy as np
import pulp
import pytest

from optimizer.design.formulation import build_model
from optimizer.design.options import Objective, SolveOptions
from optimizer.design.plan import Echelon, PlanStatus
from optimizer.design.solve import requirements_of, solve
from optimizer.design.solvers import SolverSettings, run_solver
from optimizer.validation import validate

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

from networks import (  # noqa: E402
    CflpInstance,
    cflp_network,
    read_beasley,
    read_holmberg,
    synthetic_network,
)

CFLP = REPO.parent / "shared" / "benchmarks" / "cflp"
needs_instances = pytest.mark.skipif(not CFLP.is_dir(), reason=f"benchmark instances not found at {CFLP}")

OPTIONS = SolveOptions(objective=Objective.COST, target_utilization=1.0, time_limit_s=60.0, mip_gap=1e-9)


@needs_instances
@pytest.mark.parametrize(("name", "optimum"), [("cap41", 1_040_444.375), ("cap71", 932_615.750)])
def test_beasley_instance_reproduces_its_published_optimum(name: str, optimum: float) -> None:
    inst = read_beasley(CFLP / "beasley" / f"{name}.txt")
    network = cflp_network(inst)
    assert [i for i in validate(network) if i.is_error] == []

    plan = solve(network, OPTIONS)

    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective == pytest.approx(optimum, rel=1e-9, abs=1e-3)
    # the plan itself, recomputed the CFLP way: fixed costs of the opened facilities + c_ij x share
    fixed = sum(inst.fixed_cost[int(s.site_id[1:]) - 1] for s in plan.sites)
    served = np.zeros(inst.n)
    alloc = 0.0
    for f in plan.flows:
        if f.echelon is Echelon.COLLECTION:
            i, j = int(f.to_id[1:]) - 1, int(f.from_id[1:]) - 1
            served[j] += f.t
            alloc += inst.cost[i, j] * f.t / inst.demand[j]
    assert fixed + alloc == pytest.approx(optimum, rel=1e-9, abs=1e-3)
    np.testing.assert_allclose(served, inst.demand, rtol=1e-9)
    assert all(s.throughput_t <= s.capacity_t * (1 + 1e-9) for s in plan.sites)


@needs_instances
def test_capa_needs_a_capacity_for_its_placeholder() -> None:
    with pytest.raises(ValueError, match="capacity"):
        read_beasley(CFLP / "beasley" / "capa.txt")
    inst = read_beasley(CFLP / "beasley" / "capa.txt", capacity=8000)
    assert (inst.m, inst.n) == (100, 1000)
    assert (inst.capacity == 8000).all()


@needs_instances
def test_holmberg_split_demand_value_is_a_lower_bound_on_the_single_source_optimum() -> None:
    inst = read_holmberg(CFLP / "holmberg" / "p1.txt")
    assert (inst.m, inst.n) == (10, 50)

    plan = solve(cflp_network(inst), OPTIONS)

    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective is not None
    assert plan.objective <= 8848 + 1e-6  # published single-source optimum of p1


def test_synthetic_network_is_deterministic_and_valid() -> None:
    a = synthetic_network(60, 8, 6, seed=3)
    b = synthetic_network(60, 8, 6, seed=3)
    assert a == b
    assert len(a.collection_points) == 60 and len(a.sites) == 8 and len(a.grades) == 6
    assert [i for i in validate(a) if i.is_error] == []
    assert synthetic_network(60, 8, 6, seed=4) != a


def _textbook_lp_bound(inst: CflpInstance) -> float:
    """LP relaxation of the strong CFLP formulation, built directly in HiGHS (no CopperLoop code).

    min sum f_i y_i + sum c_ij x_ij  s.t.  sum_i x_ij = 1,  sum_j d_j x_ij <= s_i y_i,  x_ij <= y_i,
    sum_i s_i y_i >= sum_j d_j,  0 <= x, y <= 1.
    """
    m, n = inst.m, inst.n
    nx = m * n
    rows: list[tuple[list[int], list[float], float, float]] = []
    for j in range(n):
        rows.append(([i * n + j for i in range(m)], [1.0] * m, 1.0, 1.0))
    for i in range(m):
        rows.append(
            ([*range(i * n, (i + 1) * n), nx + i], [*inst.demand, -inst.capacity[i]], -highspy.kHighsInf, 0.0)
        )
    for i in range(m):
        for j in range(n):
            rows.append(([i * n + j, nx + i], [1.0, -1.0], -highspy.kHighsInf, 0.0))
    rows.append(
        ([nx + i for i in range(m)], list(inst.capacity), float(inst.demand.sum()), highspy.kHighsInf)
    )
    starts = np.cumsum([0] + [len(r[0]) for r in rows]).astype(np.int32)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(
        nx + m,
        len(rows),
        int(starts[-1]),
        int(highspy.MatrixFormat.kRowwise),
        int(highspy.ObjSense.kMinimize),
        0.0,
        np.concatenate([inst.cost.ravel(), inst.fixed_cost]),
        np.zeros(nx + m),
        np.ones(nx + m),
        np.array([r[2] for r in rows]),
        np.array([r[3] for r in rows]),
        starts[:-1],
        np.array([k for r in rows for k in r[0]], dtype=np.int32),
        np.array([v for r in rows for v in r[1]], dtype=float),
        np.zeros(nx + m, dtype=np.int32),
    )
    h.run()
    return float(h.getInfo().objective_function_value)


@needs_instances
def test_network_layers_do_not_weaken_the_strong_lp_relaxation() -> None:
    """The model sent to the solver has x_ij <= d_j y_i on every arc and the aggregate-capacity cut,
    and its LP relaxation is exactly the textbook strong CFLP relaxation: the collection -> sorting ->
    smelter layers add nothing that loosens it."""
    inst = read_beasley(CFLP / "beasley" / "cap41.txt")
    network = cflp_network(inst)
    model = build_model(network, requirements_of(network, OPTIONS))
    names = [name.split("[")[0] for name in model.constraints]
    assert names.count("link") == inst.m * inst.n
    assert "aggregate_capacity" in names

    model.set_objective(Objective.COST)
    for var in model.module_open.values():
        var.cat = pulp.LpContinuous
    result = run_solver(model.problem, SolverSettings(time_limit_s=30.0))

    assert result.objective == pytest.approx(_textbook_lp_bound(inst), rel=1e-9)
