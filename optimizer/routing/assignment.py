"""Which depot collects from which collection point, and how many tonnes a year.

In order of precedence: the network-design plan's assignment (each share of a point's collected
tonnes that goes to an opened site is collected by that site's trucks); the workbook's
``CollectionPoint.assigned_site_id``; else the nearest open depot by road km (among the depots that
have trucks, when any has). Without a plan, the open
depots are the existing sites plus any candidate a point is explicitly assigned to. Every fallback is
said in a note, and a point no depot can take is reported as unserved, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from optimizer.design.plan import Plan
from optimizer.geo import DistanceOracle
from optimizer.messages import Msg, msg
from optimizer.model import Network, ProcessingSite, SiteStatus
from optimizer.routing.result import UnservedReason, UnservedVisit


class AssignmentSource(StrEnum):
    PLAN = "plan"
    WORKBOOK = "workbook"
    NEAREST = "nearest"


@dataclass(frozen=True, slots=True)
class DepotShare:
    """``t_per_year`` tonnes of scrap that ``depot_id``'s trucks collect at ``point_id`` each year."""

    point_id: str
    depot_id: str
    t_per_year: float
    source: AssignmentSource


@dataclass(frozen=True, slots=True)
class Assignment:
    """Open depots, the shares they collect, the points no depot takes, and what was assumed.

    ``direct`` are the shares the plan ships straight to a smelter (``DepotShare.depot_id`` is the
    smelter): hauled by a carrier, since smelters keep no collection trucks.
    """

    depot_ids: tuple[str, ...]
    shares: tuple[DepotShare, ...]
    unassigned: tuple[UnservedVisit, ...] = ()
    notes: tuple[Msg, ...] = ()
    direct: tuple[DepotShare, ...] = ()

    def shares_of(self, depot_id: str) -> tuple[DepotShare, ...]:
        return tuple(s for s in self.shares if s.depot_id == depot_id)


def assign_points(network: Network, plan: Plan | None = None) -> Assignment:
    """Assign every collection point with something to collect to a depot (see the module docstring)."""
    if plan is not None:
        return _from_plan(network, plan)
    return _from_workbook(network)


def _open_without_plan(network: Network) -> list[ProcessingSite]:
    pinned = {cp.assigned_site_id for cp in network.collection_points if cp.assigned_site_id}
    return [
        s for s in network.sites
        if s.status is SiteStatus.EXISTING or (s.id in pinned and s.status is not SiteStatus.CLOSED)
    ]


def _nearest(oracle: DistanceOracle, point_id: str, depots: list[str]) -> str:
    return min(depots, key=lambda d: (oracle.km(d, point_id), d))


def _from_workbook(network: Network) -> Assignment:
    depots = [s.id for s in _open_without_plan(network)]
    sites = {s.id: s for s in network.sites}
    oracle = DistanceOracle(network)
    # The nearest depot that has trucks: a depot without any cannot collect.
    fleet_depots = [d for d in depots if any(vt.available_at(d) > 0 for vt in network.vehicle_types)]
    nearest_of = fleet_depots or depots
    shares: list[DepotShare] = []
    unassigned: list[UnservedVisit] = []
    notes: list[Msg] = []
    for cp in network.collection_points:
        t = cp.total_supply_t_per_year
        if t <= 0:
            notes.append(msg("route_note.no_supply", point=cp.id))
            continue
        pinned = cp.assigned_site_id
        if pinned and pinned in depots:
            shares.append(DepotShare(cp.id, pinned, t, AssignmentSource.WORKBOOK))
            continue
        if pinned:
            why = "closed" if pinned in sites else "not_site"  # closed, or no site of this network at all
            if not depots:
                detail = msg(f"route_detail.assigned_{why}", site=pinned)
                unassigned.append(_no_depot(cp.id, cp.visits_per_week, t, detail))
                continue
            nearest = _nearest(oracle, cp.id, nearest_of)
            notes.append(
                msg(f"route_note.assigned_{why}", point=cp.id, site=pinned, depot=nearest)
            )
            shares.append(DepotShare(cp.id, nearest, t, AssignmentSource.NEAREST))
            continue
        if not depots:
            unassigned.append(
                _no_depot(cp.id, cp.visits_per_week, t, msg("route_detail.no_site_no_plan"))
            )
            continue
        shares.append(DepotShare(cp.id, _nearest(oracle, cp.id, nearest_of), t, AssignmentSource.NEAREST))
    used = {s.depot_id for s in shares}
    return Assignment(tuple(d for d in depots if d in used), tuple(shares), tuple(unassigned), tuple(notes))


def _from_plan(network: Network, plan: Plan) -> Assignment:
    opened = [s.site_id for s in plan.sites]
    site_ids = {s.id for s in network.sites}
    smelter_ids = {s.id for s in network.smelters}
    shares: list[DepotShare] = []
    unassigned: list[UnservedVisit] = []
    notes: list[Msg] = []
    direct: list[DepotShare] = []
    missing = [sid for sid in opened if sid not in site_ids]
    if missing:
        notes.append(msg("route_note.plan_missing_sites", sites=", ".join(missing)))
    for cp in network.collection_points:
        pa = plan.assignment(cp.id)
        if pa is None:
            if cp.total_supply_t_per_year > 0:
                notes.append(msg("route_note.not_in_plan", point=cp.id))
            continue
        if pa.collected_t <= 0:
            if cp.total_supply_t_per_year > 0:
                notes.append(msg("route_note.plan_buys_nothing", point=cp.id))
            continue
        for share in pa.shares:
            if share.t <= 0:
                continue
            dest = share.destination_id
            if dest in smelter_ids:
                direct.append(DepotShare(cp.id, dest, share.t, AssignmentSource.PLAN))
            elif dest in site_ids and dest in opened:
                shares.append(DepotShare(cp.id, dest, share.t, AssignmentSource.PLAN))
            else:
                unassigned.append(
                    _no_depot(
                        cp.id,
                        cp.visits_per_week,
                        share.t,
                        msg("route_detail.not_opened", dest=dest),
                    )
                )
    used = {s.depot_id for s in shares}
    return Assignment(
        tuple(d for d in opened if d in used), tuple(shares), tuple(unassigned), tuple(notes), tuple(direct)
    )


def _no_depot(point_id: str, visits: int, t: float, why: Msg) -> UnservedVisit:
    return UnservedVisit(
        point_id=point_id, reason=UnservedReason.NO_DEPOT, detail=why, visits_per_week=visits, t_per_year=t,
        fix=msg("route_fix.plan_or_assign"),
    )
