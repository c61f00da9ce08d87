"""The first plan travels with its progress event: the sites and flows a map draws before the solve ends."""

from __future__ import annotations

import pickle
from collections import defaultdict

import pytest

from optimizer.design import heuristic
from optimizer.design.formulation import Requirements, build_model
from optimizer.design.heuristic import heuristic_start
from optimizer.progress import IncumbentPlan, ProgressEvent, scaled
from tests.optimizer.tiny_networks import random_cflp


def test_the_heuristics_event_carries_a_plan_that_balances(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heuristic, "HEURISTIC_MIN_ARCS", 0)
    monkeypatch.setattr(heuristic, "HEURISTIC_MIN_STAGE_S", 0.0)
    network = random_cflp(8, 40, 3.0)
    model = build_model(network, Requirements(target_utilization=0.9))
    events: list[ProgressEvent] = []
    values, result, _ = heuristic_start(model, 10.0, progress=events.append)
    assert values is not None and result is not None
    carried = [e.incumbent_plan for e in events if e.incumbent_plan is not None]
    assert carried, "the first plan's event carries the plan"
    first = carried[0]
    assert isinstance(first, IncumbentPlan)
    assert first.objective == next(e.incumbent for e in events if e.incumbent_plan is first)
    # every flow leaves a yard within its supply and ends at a site the plan opens or at a smelter
    opened = {site for site, _module in first.open_modules}
    smelters = {s.id for s in network.smelters}
    supply = {p.id: p.total_supply_t_per_year for p in network.collection_points}
    sent: dict[str, float] = defaultdict(float)
    for f in first.flows:
        assert f.t > 0 and f.to_id in opened | smelters
        if f.from_id in supply:
            sent[f.from_id] += f.t
    assert all(sent[p] <= supply[p] * (1 + 1e-6) for p in sent)
    # target 90 %: at least 90 % of all supply is collected by the carried plan
    assert sum(sent.values()) >= 0.9 * sum(supply.values()) * (1 - 1e-6)
    # the last carried plan is the heuristic's result, as values the MILP starts from
    last = carried[-1]
    assert last.objective == pytest.approx(result.objective)
    assert pickle.loads(pickle.dumps(last)) == last  # it crosses to the window's process


def test_a_scaled_progress_keeps_the_plan() -> None:
    plan = IncumbentPlan(1.0, (("S1", "M1"),), ())
    seen: list[ProgressEvent] = []
    report = scaled(seen.append, 0.5, 1.0)
    assert report is not None
    report(ProgressEvent("solving", 0.5, incumbent=1.0, incumbent_plan=plan))
    assert seen[0].incumbent_plan is plan and seen[0].fraction == pytest.approx(0.75)
