"""The flows the map draws, found again under the mouse: hover shows what a line carries, click selects it.

The map draws flows as a few batched curves (one per grade and width), which cannot tell which arc the
mouse is over. :class:`FlowIndex` keeps every drawn flow's segment in one array, so finding the line
under the mouse is one vectorised point-to-segment distance in screen pixels (about 2,400 flows on the
national network: well under a millisecond), with no item per arc.

A flow comes from the final plan (:class:`optimizer.model`'s ``Flow``, with copper, distance, cost and
how it is priced) or from a provisional plan a progress event carried (the same facts where the
first-plan heuristic knows them); :class:`ShownFlow` holds either, and its tooltip says which.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from app.i18n import language, tr
from app.views.numbers import grouped
from optimizer import IncumbentPlan, Plan
from optimizer.model import Network

#: A flow is under the mouse when the mouse is within this many pixels of its line.
FLOW_PICK_PX = 5.0


@dataclass(frozen=True)
class ShownFlow:
    """One drawn flow; ``t_cu``, ``km``, ``cost_cny`` and ``mode`` are None where a provisional plan's
    flow does not know them; ``provisional`` marks a running solve's plan, not the result."""

    from_id: str
    to_id: str
    grade_id: str
    echelon: str
    t: float
    t_cu: float | None = None
    km: float | None = None
    cost_cny: float | None = None
    mode: str | None = None
    provisional: bool = False


def flows_of(plan: Plan | IncumbentPlan) -> list[ShownFlow]:
    """The flows of a plan or of a provisional plan, in one shape."""
    if isinstance(plan, IncumbentPlan):
        return [
            ShownFlow(f.from_id, f.to_id, f.grade_id, f.echelon, f.t, f.t_cu, f.km, f.cost_cny, f.mode, True)
            for f in plan.flows
        ]
    return [
        ShownFlow(f.from_id, f.to_id, f.grade_id, str(f.echelon), f.t, f.t_cu, f.km, f.cost_cny, f.mode)
        for f in plan.flows
    ]


@dataclass
class FlowIndex:
    """The drawn flows and their segments (x0, y0, x1, y1) in map coordinates, row by row."""

    flows: list[ShownFlow]
    segments: np.ndarray

    @classmethod
    def empty(cls) -> FlowIndex:
        return cls([], np.zeros((0, 4)))

    @classmethod
    def of(cls, flows: Iterable[tuple[ShownFlow, tuple[float, float, float, float]]]) -> FlowIndex:
        pairs = list(flows)
        if not pairs:
            return cls.empty()
        return cls([f for f, _ in pairs], np.asarray([s for _, s in pairs], dtype=float))

    def nearest(
        self, x: float, y: float, px: float, py: float, radius_px: float = FLOW_PICK_PX
    ) -> int | None:
        """The row of the flow whose line passes within ``radius_px`` pixels of (x, y), nearest first;
        ``px`` and ``py`` are the map units of one pixel across and up. Of lines equally near, the
        larger flow wins (it is drawn wider, on top)."""
        if not len(self.flows) or px <= 0 or py <= 0:
            return None
        s = self.segments
        ax, ay = (s[:, 0] - x) / px, (s[:, 1] - y) / py
        bx, by = (s[:, 2] - x) / px, (s[:, 3] - y) / py
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        with np.errstate(invalid="ignore", divide="ignore"):
            u = np.where(length2 > 0, -(ax * dx + ay * dy) / length2, 0.0)
        u = np.clip(u, 0.0, 1.0)
        d2 = (ax + u * dx) ** 2 + (ay + u * dy) ** 2
        near = np.flatnonzero(d2 <= radius_px**2)
        if not len(near):
            return None
        tonnes = np.array([self.flows[i].t for i in near.tolist()])
        order = np.lexsort((-tonnes, np.round(d2[near], 1)))
        return int(near[order[0]])


def flow_tip(net: Network, flow: ShownFlow) -> str:
    """What a flow carries, in words: from, to, grade, leg, t/yr, t Cu, cost per tonne, distance, how
    it is priced (the transport mode); on a provisional plan's flow, that it may still change and which
    of these facts are not known yet."""
    names = {n.id: n.name or n.id for n in net.nodes()}
    grades = {g.id: g for g in net.grades}
    grade = grades[flow.grade_id].name(language()) if flow.grade_id in grades else flow.grade_id
    lines = [
        tr(
            "map.flow_from_to",
            src=names.get(flow.from_id, flow.from_id),
            dst=names.get(flow.to_id, flow.to_id),
        ),
        tr("map.flow_grade", grade=grade, leg=tr(f"echelon.{flow.echelon}")),
        tr("map.flow_t", t=grouped(flow.t)),
    ]
    if flow.t_cu is not None:
        lines.append(tr("map.flow_t_cu", cu=grouped(flow.t_cu)))
    if flow.cost_cny is not None and flow.t > 0:
        lines.append(tr("map.flow_cost", cost=grouped(flow.cost_cny / flow.t, 1)))
    if flow.km is not None:
        lines.append(tr("map.flow_km", km=grouped(flow.km)))
    if flow.mode is not None:
        lines.append(tr("map.flow_mode", mode=tr(f"flow_mode.{flow.mode}")))
    if flow.provisional:
        unknown = [
            tr(f"map.flow_unknown_{key}")
            for key, value in (
                ("cu", flow.t_cu),
                ("cost", flow.cost_cny),
                ("km", flow.km),
                ("mode", flow.mode),
            )
            if value is None
        ]
        lines.append(tr("map.flow_provisional"))
        if unknown:
            lines.append(tr("map.flow_not_known", what=tr("map.flow_sep").join(unknown)))
    return "\n".join(lines)
