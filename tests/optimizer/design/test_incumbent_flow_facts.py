"""A first plan's flows say what the final plan's flows say (copper, km, transport cost, how the arc is
priced), so hovering a provisional flow on the map is as informative as hovering a final one."""

from __future__ import annotations

import pytest

from optimizer.design import heuristic
from optimizer.design.formulation import Requirements, build_model
from optimizer.design.heuristic import heuristic_start
from optimizer.design.plan import FLOW_MODES
from optimizer.progress import ProgressEvent
from tests.optimizer.tiny_networks import random_cflp


def test_the_first_plans_flows_carry_copper_km_cost_and_mode_of_their_arcs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(heuristic, "HEURISTIC_MIN_ARCS", 0)
    monkeypatch.setattr(heuristic, "HEURISTIC_MIN_STAGE_S", 0.0)
    network = random_cflp(8, 40, 3.0)
    model = build_model(network, Requirements(target_utilization=0.9))
    events: list[ProgressEvent] = []
    heuristic_start(model, 10.0, progress=events.append)
    carried = [e.incumbent_plan for e in events if e.incumbent_plan is not None]
    assert carried
    arcs = model.arcs
    index = {
        (model.node_ids[arcs.tail[n]], model.node_ids[arcs.head[n]], model.grade_ids[arcs.grade[n]]): n
        for n in range(len(arcs))
    }
    cu = dict(zip(model.grade_ids, model.copper_content.tolist(), strict=True))
    for flow in carried[-1].flows:
        n = index[(flow.from_id, flow.to_id, flow.grade_id)]
        assert flow.t_cu == pytest.approx(flow.t * cu[flow.grade_id])
        assert flow.km == pytest.approx(float(arcs.km[n]))
        assert flow.cost_cny == pytest.approx(flow.t * float(arcs.cost_cny_per_t[n]))
        assert flow.mode == "linear" and flow.mode in FLOW_MODES  # the linear cost model: the t-km rate
