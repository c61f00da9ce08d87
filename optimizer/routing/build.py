"""From a network (and optionally a network-design plan) to the week's routing problem.

For each open depot: the points it collects from (:mod:`optimizer.routing.assignment`), its trucks
(``VehicleType.available_at``), each point's pickup per visit (annual tonnes / (visits per week x weeks
per year)), its window and service time, and the visit days (:mod:`optimizer.routing.periodic`). Visits
that no truck of the depot could make even alone are reported with their reason before routing; the
others become optional visits with a prize far above what serving them costs, so the engines serve
all they can and every visit they leave out is one the fleet had no room for.

Full-truckload hauls (:mod:`optimizer.routing.haulage`) take a share instead of a milk run when its
weekly tonnes fill the depot's largest truck, when even alone its round trip is beyond every truck's
shift (or its pickup beyond every payload), or when the depot has no trucks but a carrier can be
hired. Shares the plan ships straight to a smelter are hauled by a carrier; without one they are
reported with the fix.

Integer units and rounding (the engines need integers):

- load in kg, pickups rounded **up** to the next kg (a truck's payload is never under-counted);
- distance in metres, rounded to the nearest metre (road km from the distance table when given, else
  great-circle x circuity);
- time in seconds: travel time (km / the vehicle type's speed) to the nearest second, service time,
  opening hours, shift length and depot handling to the nearest second;
- cost in fen (0.01 CNY): the fixed cost per truck-day exactly to the fen, each arc's cost (km x CNY/km)
  to the nearest fen.

Service must *end* by closing time: the latest start of service is closing time minus service time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optimizer.design.plan import Plan
from optimizer.geo import DistanceOracle
from optimizer.messages import Msg, msg
from optimizer.model import CollectionPoint, Network, VehicleType
from optimizer.routing.assignment import Assignment, DepotShare, assign_points
from optimizer.routing.haulage import HaulRequest, plan_haul
from optimizer.routing.options import RoutingOptions
from optimizer.routing.periodic import PeriodicPoint, assign_days, day_names
from optimizer.routing.problem import DepotPool, DepotProblem, Fleet, RoutingProblem, Units, Visit
from optimizer.routing.result import Haul, UnservedReason, UnservedVisit

#: Prizes are this many times the cost of the dearest way to serve a visit alone (a truck's fixed cost
#: plus the dearest round trip), so leaving a visit out never pays while there is room for it.
PRIZE_FACTOR = 4

SECONDS_PER_HOUR = 3600


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A (point, depot) share before routing, in integer units."""

    point: CollectionPoint
    share: DepotShare
    visits_per_week: int
    pickup_kg: float
    service_s: int
    opens_s: int
    latest_start_s: int
    weeks_per_year: float
    working_days: int


def build_routing_problem(
    network: Network, plan: Plan | None = None, options: RoutingOptions | None = None
) -> RoutingProblem:
    """The week's :class:`~optimizer.routing.problem.RoutingProblem` for ``network``.

    Parameters
    ----------
    network
        A validated network.
    plan
        A network-design plan whose assignment and opened sites to use; ``None`` uses each point's
        ``assigned_site_id``, else its nearest existing site.
    options
        Multi-trip, depot handling time and depot hours (the defaults when ``None``).
    """
    options = options or RoutingOptions()
    params = network.parameters
    working_days = params.working_days_per_week
    if not 1 <= working_days <= 7:
        raise ValueError(f"working_days_per_week must be 1-7, got {working_days}")
    if params.weeks_per_year <= 0:
        raise ValueError(f"weeks_per_year must be positive, got {params.weeks_per_year}")
    assignment = assign_points(network, plan)
    oracle = DistanceOracle(network)
    notes = list(assignment.notes)
    unserved = list(assignment.unassigned)
    depot_problems: list[DepotProblem] = []
    pools: list[DepotPool] = []
    hauls: list[Haul] = []
    for depot_id in assignment.depot_ids:
        problems, lost, depot_notes, pool, depot_hauls = _depot_week(
            network, assignment, depot_id, oracle, options
        )
        depot_problems += problems
        unserved += lost
        notes += depot_notes
        hauls += depot_hauls
        if pool is not None:
            pools.append(pool)
    direct_hauls, direct_lost = _direct_hauls(network, assignment, oracle, options)
    hauls += direct_hauls
    unserved += direct_lost
    return RoutingProblem(
        name=network.name,
        depot_problems=tuple(depot_problems),
        unserved=tuple(unserved),
        day_names=day_names(working_days),
        weeks_per_year=float(params.weeks_per_year),
        depot_ids=assignment.depot_ids,
        notes=tuple(notes),
        pools=tuple(pools),
        hauls=tuple(hauls),
    )


def _carriers(network: Network) -> list[VehicleType]:
    return [vt for vt in network.vehicle_types if vt.is_carrier]


def _request(
    network: Network,
    point: CollectionPoint,
    share: DepotShare,
    km: float,
    to_depot: bool,
    options: RoutingOptions,
) -> HaulRequest:
    return HaulRequest(
        point=point,
        destination_id=share.depot_id,
        t_per_year=share.t_per_year,
        km=km,
        to_depot=to_depot,
        weeks_per_year=float(network.parameters.weeks_per_year),
        depot_handling_h=options.depot_handling_min / 60.0,
        earliest_departure_h=options.earliest_departure_h,
    )


def _direct_hauls(
    network: Network, assignment: Assignment, oracle: DistanceOracle, options: RoutingOptions
) -> tuple[list[Haul], list[UnservedVisit]]:
    """Carrier hauls for the shares the plan ships straight to a smelter (or why there are none)."""
    carriers = _carriers(network)
    points = {cp.id: cp for cp in network.collection_points}
    hauls, lost = [], []
    for share in assignment.direct:
        cp = points[share.point_id]
        km = oracle.km(share.point_id, share.depot_id)
        haul = plan_haul(_request(network, cp, share, km, False, options), carriers) if carriers else None
        if haul is not None:
            hauls.append(haul)
            continue
        why = (
            msg("route_detail.no_carrier") if not carriers
            else msg("route_detail.carrier_hours", opens=f"{cp.opens_hour:g}", closes=f"{cp.closes_hour:g}")
        )
        lost.append(
            UnservedVisit(
                point_id=share.point_id,
                reason=UnservedReason.NO_TRUCKS,
                detail=msg(
                    "route_detail.direct_unserved", t=f"{share.t_per_year:,.1f}", smelter=share.depot_id,
                    km=f"{km:,.0f}", why=why,
                ),
                depot_id=share.depot_id,
                visits_per_week=max(1, cp.visits_per_week),
                t_per_year=share.t_per_year,
                fix=msg("route_fix.add_carrier"),
            )
        )
    return hauls, lost


def _fleets(network: Network, depot_id: str, any_count: bool = False) -> list[VehicleType]:
    """The vehicle types kept at ``depot_id`` (with ``any_count``: allowed there, however many there are)."""
    if any_count:
        return [
            vt for vt in network.vehicle_types
            if not vt.is_carrier and (not vt.depot_ids or depot_id in vt.depot_ids)
        ]
    return [vt for vt in network.vehicle_types if vt.available_at(depot_id) > 0]


def _depot_week(
    network: Network,
    assignment: Assignment,
    depot_id: str,
    oracle: DistanceOracle,
    options: RoutingOptions,
) -> tuple[list[DepotProblem], list[UnservedVisit], list[Msg], DepotPool | None, list[Haul]]:
    params = network.parameters
    working_days = params.working_days_per_week
    points = {cp.id: cp for cp in network.collection_points}
    notes: list[Msg] = []
    candidates = []
    for share in assignment.shares_of(depot_id):
        cp = points[share.point_id]
        f = min(max(cp.visits_per_week, 1), working_days)
        if f != cp.visits_per_week:
            notes.append(
                msg(
                    "route_note.visits_capped",
                    point=cp.id,
                    n=cp.visits_per_week,
                    days=working_days,
                    planned=f,
                )
            )
        service = round(cp.service_time_min * 60)
        candidates.append(
            _Candidate(
                point=cp,
                share=share,
                visits_per_week=f,
                pickup_kg=share.t_per_year * 1000.0 / (f * params.weeks_per_year),
                service_s=service,
                opens_s=round(cp.opens_hour * SECONDS_PER_HOUR),
                latest_start_s=round(cp.closes_hour * SECONDS_PER_HOUR) - service,
                weeks_per_year=params.weeks_per_year,
                working_days=working_days,
            )
        )
    vehicle_types = _fleets(network, depot_id, options.size_fleet)
    carriers = _carriers(network)

    def haul(c: _Candidate) -> Haul | None:
        km_to = oracle.km(c.point.id, depot_id)
        request = _request(network, c.point, c.share, km_to, True, options)
        return plan_haul(request, [*vehicle_types, *carriers])

    if not vehicle_types:
        why = msg("route_detail.depot_no_trucks", depot=depot_id)
        fix = msg("route_fix.depot_vehicle", depot=depot_id)
        hauled = {c.point.id: haul(c) for c in candidates} if carriers else {}
        lost_all = [
            _unserved(c, UnservedReason.NO_TRUCKS, why, fix)
            for c in candidates if hauled.get(c.point.id) is None
        ]
        return [], lost_all, notes, None, [h for h in hauled.values() if h is not None]

    # A share whose week fills the largest truck goes full-truckload: one yard per trip, always full.
    largest_t = max(vt.payload_t for vt in vehicle_types)
    hauls: list[Haul] = []
    milk_run = []
    for c in candidates:
        fills = c.share.t_per_year / c.weeks_per_year >= largest_t - 1e-9
        full = haul(c) if fills else None
        if full is not None:
            hauls.append(full)
        else:
            milk_run.append(c)
    candidates = milk_run

    ids = [depot_id] + [c.point.id for c in candidates]
    km = np.array([[0.0 if a == b else oracle.km(a, b) for b in ids] for a in ids])
    metres = np.rint(km * 1000.0).astype(np.int64)
    speeds = sorted({vt.speed_km_per_h for vt in vehicle_types})
    rates = sorted({vt.cost_cny_per_km for vt in vehicle_types})
    durations = tuple(np.rint(km / s * SECONDS_PER_HOUR).astype(np.int64) for s in speeds)
    costs = tuple(np.rint(km * r * 100.0).astype(np.int64) for r in rates)
    fleets = tuple(
        Fleet(
            vehicle_type_id=vt.id,
            name=vt.name,
            count=len(candidates) if options.size_fleet else vt.available_at(depot_id),
            capacity=math.floor(vt.payload_t * 1000.0 + 1e-9),
            fixed_cost=round(vt.fixed_cost_cny_per_day * 100.0),
            cost_profile=rates.index(vt.cost_cny_per_km),
            time_profile=speeds.index(vt.speed_km_per_h),
            max_duration=round(vt.max_shift_h * SECONDS_PER_HOUR),
            co2_kg_per_km=vt.co2_kg_per_km,
        )
        for vt in vehicle_types
    )
    horizon = round(options.latest_return_h * SECONDS_PER_HOUR)
    earliest = round(options.earliest_departure_h * SECONDS_PER_HOUR)
    handling = round(options.depot_handling_min * 60)

    lost = []
    servable: list[int] = []
    for k, c in enumerate(candidates):
        problem = _precheck(c, k + 1, fleets, durations, earliest, horizon, handling, depot_id)
        if problem is None:
            servable.append(k)
            continue
        # Too far for a shift, or too much for one visit: a full-truckload haul instead.
        far = problem.reason in (UnservedReason.BEYOND_SHIFT, UnservedReason.PICKUP_EXCEEDS_PAYLOAD)
        full = haul(c) if far else None
        if full is not None:
            hauls.append(full)
        else:
            lost.append(problem)
    if not servable:
        return [], lost, notes, None, hauls

    payload = sum(f.capacity * f.count for f in fleets) / max(1, sum(f.count for f in fleets))
    shift = max(min(f.max_duration or horizon, horizon - earliest) for f in fleets)
    fastest = durations[-1]
    periodic = [
        PeriodicPoint(
            key=candidates[k].point.id,
            visits_per_week=candidates[k].visits_per_week,
            workload=candidates[k].pickup_kg / max(payload, 1.0)
            + (candidates[k].service_s + (fastest[0, k + 1] + fastest[k + 1, 0]) / 2) / max(shift, 1),
            bearing=_bearing(network, depot_id, candidates[k].point),
        )
        for k in servable
    ]
    days = assign_days(periodic, working_days)

    prize_base = PRIZE_FACTOR * (
        max(f.fixed_cost for f in fleets)
        + max(int(c[0, k + 1] + c[k + 1, 0]) for c in costs for k in range(len(candidates)))
    ) + 1
    max_pickup = max((math.ceil(candidates[k].pickup_kg - 1e-9) for k in servable), default=1)
    visits = []
    for k in servable:
        c = candidates[k]
        pickup = math.ceil(c.pickup_kg - 1e-9)
        visits.append(
            Visit(
                point_id=c.point.id,
                pickup=pickup,
                service=c.service_s,
                tw_early=c.opens_s,
                tw_late=c.latest_start_s,
                prize=prize_base + prize_base * pickup // max(1, max_pickup),
                pickup_exact=c.pickup_kg,
                visits_per_week=c.visits_per_week,
                t_per_year=c.share.t_per_year,
            )
        )
    rows = [0, *(k + 1 for k in servable)]
    whole = np.ix_(rows, rows)
    week = DepotProblem(
        name=f"{depot_id} week",
        depot_id=depot_id,
        visits=tuple(visits),
        fleets=fleets,
        distance=metres[whole],
        durations=tuple(m[whole] for m in durations),
        costs=tuple(m[whole] for m in costs),
        horizon=horizon,
        earliest_start=earliest,
        depot_handling=handling,
        reloads=options.multi_trip,
        units=Units(),
    )
    names = day_names(working_days)
    on_day = tuple(
        tuple(i for i, v in enumerate(visits) if day in days[v.point_id]) for day in range(working_days)
    )
    problems = [
        week.restricted(indices, day, f"{depot_id} {names[day]}")
        for day, indices in enumerate(on_day)
        if indices
    ]
    return problems, lost, notes, DepotPool(week, on_day), hauls


def _bearing(network: Network, depot_id: str, point: CollectionPoint) -> float:
    depot = network.node(depot_id)
    return math.atan2(point.lat - depot.lat, (point.lon - depot.lon) * math.cos(math.radians(depot.lat)))


def _precheck(
    c: _Candidate,
    node: int,
    fleets: tuple[Fleet, ...],
    durations: tuple[np.ndarray, ...],
    earliest: int,
    horizon: int,
    handling: int,
    depot_id: str,
) -> UnservedVisit | None:
    """Why no truck of the depot could make this visit even on its own, or ``None`` when one could."""
    if c.latest_start_s < c.opens_s:
        return _unserved(
            c, UnservedReason.WINDOW_TOO_SHORT,
            msg(
                "route_detail.window_too_short",
                opens=_hm(c.opens_s),
                closes=_hm(c.latest_start_s + c.service_s),
                minutes=f"{c.service_s / 60:g}",
            ),
            msg("route_fix.longer_window", minutes=f"{c.service_s / 60:g}"),
        )
    pickup = math.ceil(c.pickup_kg - 1e-9)
    largest = max(f.capacity for f in fleets)
    if pickup > largest:
        need = math.ceil(c.share.t_per_year * 1000.0 / (c.weeks_per_year * largest) - 1e-9)
        remedy = (
            msg("route_fix.more_visits", n=need) if need <= c.working_days else msg("route_fix.bigger_truck")
        )
        return _unserved(
            c, UnservedReason.PICKUP_EXCEEDS_PAYLOAD,
            msg(
                "route_detail.pickup_too_big", kg=f"{pickup:,}", t=f"{c.share.t_per_year:,.1f}",
                visits=c.visits_per_week, depot=depot_id, largest=f"{largest:,}", remedy=remedy,
            ),
            remedy,
        )
    able = [f for f in fleets if f.capacity >= pickup]
    solo = [
        handling + int(durations[f.time_profile][0, node]) + c.service_s
        + int(durations[f.time_profile][node, 0])
        for f in able
    ]
    span = horizon - earliest
    in_shift = [f for f, d in zip(able, solo, strict=True) if d <= min(f.max_duration or span, span)]
    if not in_shift:
        shortest = min(solo)
        return _unserved(
            c, UnservedReason.BEYOND_SHIFT,
            msg(
                "route_detail.beyond_shift", depot=depot_id, hours=f"{shortest / 3600:.1f}", kg=f"{pickup:,}"
            ),
        )
    for f in in_shift:
        travel = durations[f.time_profile]
        first = max(c.opens_s, earliest + handling + int(travel[0, node]))
        last = min(c.latest_start_s, horizon - c.service_s - int(travel[node, 0]))
        if first <= last:
            return None
    return _unserved(
        c, UnservedReason.WINDOW_UNREACHABLE,
        msg(
            "route_detail.window_unreachable", depot=depot_id, opens=_hm(c.opens_s),
            closes=_hm(c.latest_start_s + c.service_s), back=_hm(horizon),
        ),
        msg("route_fix.nearer_site"),
    )


def _hm(seconds: int) -> str:
    h, m = divmod(round(seconds / 60), 60)
    return f"{h:02d}:{m:02d}"


def _unserved(c: _Candidate, reason: UnservedReason, detail: Msg, fix: Msg | None = None) -> UnservedVisit:
    return UnservedVisit(
        fix=fix,
        point_id=c.point.id,
        reason=reason,
        detail=detail,
        depot_id=c.share.depot_id,
        visits_per_week=c.visits_per_week,
        t_per_year=c.share.t_per_year,
    )
