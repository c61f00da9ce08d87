"""The first-plan heuristic: its plan is feasible for the full model, and the final optimum is unchanged."""

from __future__ import annotations

import itertools
import time

import pulp
import pytest

from optimizer.design import heuristic
from optimizer.design.formulation import NetworkDesignModel, Requirements, build_model
from optimizer.design.heuristic import first_plan, heuristic_start, not_worse
from optimizer.design.options import Objective, SolveOptions
from optimizer.design.plan import PlanStatus
from optimizer.design.pulp_access import constraint_table
from optimizer.design.solve import solve
from optimizer.design.solvers import SolveOutcome, SolverSettings, run_solver
from optimizer.progress import ProgressEvent
from tests.optimizer.tiny_networks import one_yard_two_centers, random_cflp, random_network


def _assert_feasible(model: NetworkDesignModel, values: dict[pulp.LpVariable, float]) -> None:
    """Every bound and row of the full model holds at ``values`` (balances, capacities, requirements)."""
    for var in model.problem.variables():
        var.varValue = values.get(var, 0.0)
        assert var.valid(1e-6), var.name
    for name, row in constraint_table(model.problem).items():
        assert row.valid(1e-6 * max(1.0, abs(row.constant))), name


def _optimum(model: NetworkDesignModel, start: dict[pulp.LpVariable, float] | None = None) -> float:
    result = run_solver(model.problem, SolverSettings(mip_gap=1e-9, time_limit_s=60), warm_start=start)
    assert result.outcome is SolveOutcome.OPTIMAL
    assert result.objective is not None
    return result.objective


def test_on_the_one_yard_network_the_heuristic_finds_the_hand_derived_optimum() -> None:
    # profit through S1 = 100 x (500 - 140) - 4,900 = 31,100 (see one_yard_two_centers)
    model = build_model(one_yard_two_centers())
    plan = first_plan(model, time.monotonic() + 10)
    assert plan is not None
    assert plan.objective == pytest.approx(31_100.0)
    assert plan.open_modules == {"S1": "M200"}
    assert plan.priced and plan.bound is not None and plan.bound >= 31_100.0 - 1e-6
    _assert_feasible(model, plan.values)
    assert float(pulp.value(model.profit())) == pytest.approx(31_100.0)


@pytest.mark.parametrize("seed", [3, 7, 12])
def test_the_plan_is_feasible_and_the_optimum_from_it_is_the_optimum(seed: int) -> None:
    model = build_model(random_network(seed, n_points=25, n_sites=8))
    plain = _optimum(model)
    plan = first_plan(model, time.monotonic() + 10)
    assert plan is not None
    _assert_feasible(model, plan.values)
    assert plan.objective <= plain + 1e-6 * max(1.0, abs(plain))  # a feasible plan of a maximisation
    assert plan.bound is not None and plan.bound >= plain - 1e-6 * max(1.0, abs(plain))
    assert _optimum(model, plan.values) == pytest.approx(plain, rel=1e-7)


def test_must_collect_everything_plan_serves_every_customer_within_capacity() -> None:
    # a capacitated facility-location instance: supply rows are equalities, capacities bind
    model = build_model(random_cflp(8, 40, 3.0), Requirements(target_utilization=1.0))
    model.set_objective(Objective.COST)
    plain = _optimum(model)
    plan = first_plan(model, time.monotonic() + 10)
    assert plan is not None
    _assert_feasible(model, plan.values)
    assert plan.objective >= plain - 1e-6 * plain  # a feasible plan of a minimisation
    assert plan.bound is not None and plan.bound <= plain * (1 + 1e-9)
    assert _optimum(model, plan.values) == pytest.approx(plain, rel=1e-7)


def test_solve_reports_the_first_plan_at_once_and_ends_at_the_same_optimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    network = random_network(7, n_points=25, n_sites=8)
    options = SolveOptions(time_limit_s=60, mip_gap=1e-9)
    monkeypatch.setattr(heuristic, "HEURISTIC_MIN_ARCS", 10**9)
    without = solve(network, options)
    monkeypatch.setattr(heuristic, "HEURISTIC_MIN_ARCS", 0)
    events: list[ProgressEvent] = []
    with_start = solve(network, options, progress=events.append)
    assert without.status is with_start.status is PlanStatus.OPTIMAL
    assert with_start.objective == pytest.approx(without.objective, rel=1e-7)
    first = [e for e in events if e.stage is not None and e.stage.code == "phase.solving_first_plan"]
    assert first and first[0].incumbent is not None
    assert first[-1].incumbent <= with_start.objective + 1e-6 * abs(with_start.objective)
    # once shown, the incumbent never falls back to a worse plan
    later = [e.incumbent for e in events[events.index(first[0]) :] if e.incumbent is not None]
    assert all(b >= a - 1e-6 * abs(a) for a, b in itertools.pairwise(later))


def test_stages_that_must_collect_everything_skip_the_heuristic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Facility location (a 100 % target) starts from the restricted MILP, as capa needs."""
    monkeypatch.setattr(heuristic, "HEURISTIC_MIN_ARCS", 0)
    monkeypatch.setattr(heuristic, "HEURISTIC_MIN_STAGE_S", 0.0)
    network = random_cflp(8, 40, 3.0)
    assert heuristic_start(build_model(network, Requirements(target_utilization=1.0)), 10.0) == (
        None,
        None,
        None,
    )
    values, result, _ = heuristic_start(build_model(network, Requirements(target_utilization=0.9)), 10.0)
    assert values is not None and result is not None


def test_small_models_skip_the_heuristic() -> None:
    model = build_model(one_yard_two_centers())
    assert heuristic_start(model, 10.0) == (None, None, None)  # 4 arcs: HiGHS needs no start
    large = build_model(random_cflp(30, 200, 2.0))  # 6,000 arcs, but a stage of 2 s: no time for it
    assert heuristic_start(large, 2.0) == (None, None, None)


def test_the_shown_incumbent_never_gets_worse() -> None:
    seen: list[ProgressEvent] = []
    report = not_worse(seen.append, 100.0, maximise=True)
    assert report is not None
    report(ProgressEvent("solving", 0.5, "", 1.0, incumbent=80.0, bound=110.0))
    report(ProgressEvent("solving", 0.6, "", 2.0, incumbent=105.0, bound=110.0))
    assert seen[0].incumbent == 100.0 and seen[0].gap == pytest.approx(0.1)
    assert seen[1].incumbent == 105.0
    minimise = not_worse(seen.append, 100.0, maximise=False)
    assert minimise is not None
    minimise(ProgressEvent("solving", 0.7, "", 3.0, incumbent=120.0))
    assert seen[2].incumbent == 100.0
    assert not_worse(None, 1.0, True) is None


@pytest.mark.parametrize("seed", [3, 12])
def test_rounding_at_the_support_gives_a_feasible_plan_and_the_same_optimum(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # large profit models open every site the relaxation uses, then drop (syn5000x200); the same path
    # on a small network must give a plan of the full model and leave the optimum where it was
    monkeypatch.setattr(heuristic, "SUPPORT_ROUNDING_MIN_ARCS", 0)
    model = build_model(random_network(seed, n_points=25, n_sites=8))
    plain = _optimum(model)
    plan = first_plan(model, time.monotonic() + 10)
    assert plan is not None
    _assert_feasible(model, plan.values)
    assert plan.objective <= plain + 1e-6 * max(1.0, abs(plain))
    assert plan.bound is not None and plan.bound >= plain - 1e-6 * max(1.0, abs(plain))
    assert _optimum(model, plan.values) == pytest.approx(plain, rel=1e-7)
