"""The MILP builder: which arcs, variables and named constraints a network turns into."""

from __future__ import annotations

import numpy as np
import pytest

from optimizer.design.formulation import Requirements, build_model
from optimizer.design.options import Objective, SolveOptions
from optimizer.design.plan import Echelon, PlanStatus
from optimizer.design.separation import separate_linking_rows
from optimizer.design.solve import solve
from optimizer.design.solvers import SolveOutcome, SolverSettings, run_solver
from optimizer.design.warm_start import lp_support_start
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    DistanceOverride,
    Grade,
    Network,
    Parameters,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    YieldEntry,
)
from tests.optimizer.tiny_networks import dismantling_chain, one_yard_two_centers, random_cflp, random_network


def arc_set(model) -> set[tuple[str, str, str]]:
    return {
        (model.node_ids[t], model.node_ids[h], model.grade_ids[g])
        for t, h, g in zip(model.arcs.tail, model.arcs.head, model.arcs.grade, strict=True)
    }


def test_constraints_have_readable_stable_names() -> None:
    model = build_model(one_yard_two_centers(), Requirements(target_utilization=0.6, budget_cny=1e6))
    names = set(model.constraints)
    assert {
        "supply[P1,A]",
        "balance[S1,A]",
        "cap[S1]",
        "cap[S2]",
        "smelter_cap[M1]",
        "target",
        "budget",
    } <= names
    assert {"link[P1,S1,A]", "link[P1,S2,A]"} <= names
    assert "aggregate_capacity" in names


def test_arcs_follow_the_echelons_and_never_go_from_sorting_back_to_dismantling() -> None:
    model = build_model(dismantling_chain(), Requirements())
    assert arc_set(model) == {("P1", "D1", "MO"), ("D1", "S1", "N2"), ("S1", "M1", "N2")}
    echelons = [model.arcs.echelon_of(n) for n in range(len(model.arcs))]
    assert sorted(echelons) == sorted([Echelon.COLLECTION, Echelon.TRANSFER, Echelon.DELIVERY])


def test_a_site_whose_output_cannot_reach_a_smelter_gets_no_arcs() -> None:
    """With a 5 km delivery limit S1 can reach no smelter, so nothing is sent to D1 or S1 at all."""
    network = dismantling_chain()
    network = network.replace(parameters=Parameters(max_haul_km_delivery=5.0))
    model = build_model(network, Requirements())
    assert len(model.arcs) == 0


def test_smelters_only_receive_grades_they_accept() -> None:
    for seed in range(5):
        network = random_network(seed)
        model = build_model(network, Requirements())
        accepted = {m.id: set(m.accepted_grade_ids) for m in network.smelters}
        for _tail, head, grade in arc_set(model):
            if head in accepted:
                assert grade in accepted[head]
            site = next((s for s in network.sites if s.id == head), None)
            if site is not None:
                assert grade in site.accepted_grade_ids
                assert site.status is not SiteStatus.CLOSED


def test_k_nearest_keeps_the_cheapest_destinations_per_point_and_grade() -> None:
    network = random_network(3, n_points=20, n_sites=8)
    full = build_model(network, Requirements())
    near = build_model(network, Requirements(k_nearest=2))
    coll = near.arcs.echelon == 0
    per_point_grade: dict[tuple[int, int], int] = {}
    for t, g in zip(near.arcs.tail[coll], near.arcs.grade[coll], strict=True):
        per_point_grade[(t, g)] = per_point_grade.get((t, g), 0) + 1
    assert max(per_point_grade.values()) <= 2
    assert len(near.arcs) < len(full.arcs)


def _cflp_network(capacity: float) -> Network:
    """Three customers, three warehouses (candidate sorting centers), costs through distance overrides."""
    demand = [30.0, 20.0, 25.0]
    fixed = [100.0, 120.0, 90.0]
    cost = [[10.0, 40.0, 30.0], [35.0, 5.0, 25.0], [20.0, 30.0, 8.0]]  # cost of all of customer j's demand
    points = tuple(
        CollectionPoint(f"C{j}", f"customer {j}", 0.0, 0.0, supplies=(Supply("G", d, 0.0),))
        for j, d in enumerate(demand)
    )
    sites = tuple(
        ProcessingSite(
            f"W{i}",
            f"warehouse {i}",
            SiteKind.SORTING,
            0.0,
            0.0,
            status=SiteStatus.CANDIDATE,
            modules=(CapacityModule("M", capacity, f),),
            yields=(YieldEntry("G", "G", 1.0),),
        )
        for i, f in enumerate(fixed)
    )
    smelter = Smelter("X", "sink", 60.0, 100.0, capacity_t_per_year=sum(demand), accepted_grade_ids=("G",))
    distances = tuple(
        DistanceOverride(f"C{j}", f"W{i}", 0.0, cost[j][i] / demand[j]) for j in range(3) for i in range(3)
    )
    params = Parameters(
        transport_cost_cny_per_t_km=0.0,
        co2_kg_per_t_km=0.0,
        max_haul_km_collection=1.0,
        target_utilization=1.0,
    )
    return Network("cflp", (Grade("G", "g", "g", 1.0),), points, sites, (smelter,), (), params, distances)


def test_a_capacitated_facility_location_instance_is_a_network_with_the_strong_formulation() -> None:
    """Capacity 40: at least two warehouses (75 t); W0 + W2 cost 100 + 90 + allocation."""
    network = _cflp_network(40.0)
    model = build_model(network, Requirements(target_utilization=1.0))
    assert "aggregate_capacity" in model.constraints
    assert model.constraints["aggregate_capacity"].constant == pytest.approx(-75.0)
    assert sum(1 for name in model.constraints if name.startswith("link[")) == 9
    # whole supply must be collected: supply rows are equalities
    assert all(model.constraints[f"supply[C{j},G]"].sense == 0 for j in range(3))
    assert not any(model.node_ids[h] == "X" for h in model.arcs.head[model.arcs.echelon == 0])
    plan = solve(network, SolveOptions(objective="cost", target_utilization=1.0, mip_gap=0.0))
    assert plan.status is PlanStatus.OPTIMAL
    # W0 + W2 open (190; any other pair has 210+ fixed). Per tonne: C0 0.333 W0; C1 1.75 W0 / 1.25 W2;
    # C2 0.8 W0 / 0.32 W2. W2 (40 t) is best used by C1 (saves 0.5/t vs W0) rather than C2 (saves
    # 0.48/t): C1 20 t -> W2, C2 20 t -> W2 and 5 t -> W0, C0 -> W0. 190 + 10 + 25 + 6.4 + 4 = 235.4.
    assert plan.objective == pytest.approx(235.4, rel=1e-9)
    assert {s.site_id for s in plan.sites} == {"W0", "W2"}


def test_flow_values_are_all_finite_and_nonnegative_after_a_solve() -> None:
    network = random_network(7)
    model = build_model(network, Requirements())
    plan = solve(network, SolveOptions(mip_gap=0.0))
    assert plan.status is PlanStatus.OPTIMAL
    assert all(np.isfinite(f.t) and f.t > 0 for f in plan.flows)
    assert plan.model_size["arcs"] == len(model.arcs)


@pytest.mark.parametrize("seed", [11, 12])
def test_separated_linking_rows_give_the_same_optimum_as_all_of_them(seed: int) -> None:
    network = random_network(seed, n_points=25, n_sites=8)
    settings = SolverSettings(mip_gap=0.0, time_limit_s=30.0)
    results: dict[str, float | None] = {}
    restricted_objective = None
    for mode in ("all", "separate"):
        model = build_model(network, Requirements(linking=mode))
        model.set_objective(Objective.PROFIT)
        if mode == "separate":
            flows, opens, bound = model.linking_candidates()
            separation = separate_linking_rows(model.problem, flows, opens, bound, settings)
            assert separation.converged
            model.add_linking(separation.rows)
            assert separation.open_peak is not None and separation.lp_values is not None
            candidates = {s.id for s in network.sites if s.status is SiteStatus.CANDIDATE}
            assert {v.name for v in separation.open_peak} == {
                v.name for (site, _), v in model.module_open.items() if site in candidates
            }
            for var, peak in separation.open_peak.items():  # the peak over the rounds covers the last round
                assert peak >= separation.lp_values[var] - 1e-12
            _, restricted = lp_support_start(model, separation.open_peak, settings)
            if restricted is not None and restricted.has_solution:
                restricted_objective = restricted.objective
        result = run_solver(model.problem, settings)
        assert result.outcome is SolveOutcome.OPTIMAL
        results[mode] = result.objective
    assert results["separate"] == pytest.approx(results["all"], rel=1e-7)
    if restricted_objective is not None:
        assert restricted_objective <= (results["all"] or 0.0) * (1 + 1e-9)  # restricting never helps a max


def test_separation_seeds_as_many_cheapest_sites_per_point_as_fit_the_row_budget() -> None:
    from optimizer.design.formulation import LINK_SEED_MAX, LINK_SEED_NEAREST

    model = build_model(random_cflp(25, 30, 0.5), Requirements(linking="separate", target_utilization=1.0))
    _, rank = model.link_groups()
    seed = model.link_seed()
    # 30 customers are far below the 20,000-row budget: the seed takes the maximum
    assert np.array_equal(seed, rank < LINK_SEED_MAX)
    assert np.array_equal(model.link_seed(LINK_SEED_NEAREST), rank < LINK_SEED_NEAREST)
    assert 0 < seed.sum() < rank.size  # 25 facilities per customer: some rows are left for separation


def test_the_restricted_start_fixes_unused_sites_closed_and_restores_every_bound() -> None:
    network = random_network(12, n_points=25, n_sites=8)
    model = build_model(network, Requirements(linking="separate"))
    model.set_objective(Objective.PROFIT)
    settings = SolverSettings(mip_gap=0.0, time_limit_s=30.0)
    candidates = sorted({site for site, _ in model.module_open})
    kept = set(candidates[:3])
    peak = {var: (0.5 if site in kept else 0.0) for (site, _), var in model.module_open.items()}
    before = {v.name: (v.lowBound, v.upBound) for v in model.problem.variables()}
    rows_before = set(model.problem._constraints)
    added_before = model.link_added.copy()
    values, restricted = lp_support_start(model, peak, settings)
    assert restricted is not None and restricted.outcome is SolveOutcome.OPTIMAL and values is not None
    # bounds and rows as they were (the restricted model's extra linking rows are removed again)
    assert {v.name: (v.lowBound, v.upBound) for v in model.problem.variables()} == before
    assert set(model.problem._constraints) == rows_before
    assert np.array_equal(model.link_added, added_before)
    opened = {site for (site, _), var in model.module_open.items() if values[var] > 0.5}
    assert opened <= kept | {s.id for s in network.sites if s.status is SiteStatus.EXISTING}
    # the same restriction, solved as the full model with the closed sites' binaries fixed at zero
    for (site, _), var in model.module_open.items():
        if site not in kept and var.upBound is not None and (var.lowBound or 0.0) == 0.0:
            var.upBound = 0.0
    full = run_solver(model.problem, settings)
    assert full.objective == pytest.approx(restricted.objective, rel=1e-7)


def test_columns_fixed_at_zero_are_left_out_of_the_solver_and_read_back_as_zero() -> None:
    network = random_network(7)
    model = build_model(network, Requirements())
    model.set_objective(Objective.PROFIT)
    settings = SolverSettings(mip_gap=0.0, time_limit_s=30.0)
    reference = run_solver(model.problem, settings)
    used = [x for x in model.flow if (x.varValue or 0.0) > 1e-6]
    unused = [x for x in model.flow if (x.varValue or 0.0) <= 1e-9][:20]
    start = {v: float(v.varValue) for v in model.problem.variables() if v.varValue is not None}
    for x in unused:
        x.lowBound, x.upBound = 0.0, 0.0
    try:
        again = run_solver(model.problem, settings, warm_start=start)
    finally:
        for x in unused:
            x.lowBound, x.upBound = 0.0, None
    assert again.outcome is SolveOutcome.OPTIMAL
    assert again.objective == pytest.approx(reference.objective, rel=1e-9)
    assert all(x.index == -1 and x.varValue == 0.0 for x in unused)
    assert used and all(x.index >= 0 for x in used)
