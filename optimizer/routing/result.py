"""The result of collection routing: the week's truck routes, what could not be served, and totals.

A :class:`RoutePlan` is plain data in real units (hours since midnight, kg, km, CNY), independent of the
engine that produced it. It sums itself per depot and overall (:meth:`RoutePlan.totals`), annualises
the week (:attr:`RoutePlan.annual_cost_cny`, :attr:`RoutePlan.cost_cny_per_t`), prints itself
(:meth:`RoutePlan.summary`) and round-trips through JSON.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from optimizer.design.plan import message_from_plain, message_to_plain, text_message
from optimizer.messages import Msg
from optimizer.routing.legacy import legacy_message


class StopKind(StrEnum):
    """What a truck does at a stop: leave the depot, collect at a point, unload between trips, return."""

    START = "start"
    VISIT = "visit"
    RELOAD = "reload"
    END = "end"


class RouteStatus(StrEnum):
    """How the routing ended.

    ``complete``: every visit of the week is on a route. ``partial``: some visits are not (each one is in
    :attr:`RoutePlan.unserved` with its reason). ``cancelled``: the user stopped it; the routes found so
    far are kept and the visits not yet routed are reported as such. ``no_solution``: a problem whose
    visits are all required (a benchmark instance) has no feasible routes. ``empty``: nothing to route.
    """

    COMPLETE = "complete"
    PARTIAL = "partial"
    CANCELLED = "cancelled"
    NO_SOLUTION = "no_solution"
    EMPTY = "empty"


class UnservedReason(StrEnum):
    """Why a collection point (or one of its visits) is not on any route."""

    NO_DEPOT = "no_depot"
    NO_TRUCKS = "no_trucks"
    PICKUP_EXCEEDS_PAYLOAD = "pickup_exceeds_payload"
    WINDOW_TOO_SHORT = "window_too_short"
    WINDOW_UNREACHABLE = "window_unreachable"
    BEYOND_SHIFT = "beyond_shift"
    NOT_ENOUGH_TRUCKS = "not_enough_trucks"
    CANCELLED = "cancelled"


class CollectionMode(StrEnum):
    """How a collection flow is collected.

    ``milk_run``: the depot's trucks call at it on a shared route within a shift. ``full_truckload``:
    a truck of the receiving depot fetches a full load from this yard alone (one yard per trip, over
    several days when it is far), as often as supply / payload says. ``carrier``: a carrier's truck
    hired per trip hauls a full load to the depot or straight to the smelter.
    """

    MILK_RUN = "milk_run"
    FULL_TRUCKLOAD = "full_truckload"
    CARRIER = "carrier"


@dataclass(frozen=True, slots=True)
class Haul:
    """A series of full-truckload trips from one yard to one depot or smelter, the year over.

    Each trip carries a full payload (the year's last one the rest): ``trips_per_year`` is
    ``ceil(t_per_year / payload)``. ``km_per_trip`` is what the cost per km applies to (the round trip
    for the depot's own truck, the loaded leg for a carrier); ``hours_per_trip`` is from leaving to
    being back (own truck) or unloading (carrier), driver's breaks and daily rests included, and
    ``days_per_trip`` the truck-days each trip is charged (own truck: its fixed cost per day each).
    """

    point_id: str
    destination_id: str
    mode: CollectionMode
    vehicle_type_id: str
    payload_t: float
    t_per_year: float
    trips_per_year: int
    km_per_trip: float
    hours_per_trip: float
    driving_h_per_trip: float
    days_per_trip: int
    cost_cny_per_trip: float
    co2_kg_per_trip: float
    weeks_per_year: float

    @property
    def trips_per_week(self) -> float:
        return self.trips_per_year / self.weeks_per_year

    @property
    def annual_cost_cny(self) -> float:
        return self.trips_per_year * self.cost_cny_per_trip

    @property
    def annual_km(self) -> float:
        return self.trips_per_year * self.km_per_trip

    @property
    def annual_hours(self) -> float:
        return self.trips_per_year * self.hours_per_trip

    @property
    def annual_co2_kg(self) -> float:
        return self.trips_per_year * self.co2_kg_per_trip

    @property
    def cost_cny_per_t(self) -> float:
        return self.annual_cost_cny / self.t_per_year if self.t_per_year > 0 else 0.0


@dataclass(frozen=True, slots=True)
class CollectionFlow:
    """One collection flow of the plan (a yard's share to a depot or smelter) as the trucks serve it.

    ``routed_t_per_year`` is what routes and hauls collect of ``t_per_year``; ``cost_cny_per_t`` their
    annual cost per routed tonne (a milk run's route cost is shared among its visits by pickup).
    ``mode`` is ``None`` when nothing of it is routed (see ``RoutePlan.unserved`` for why).
    """

    point_id: str
    destination_id: str
    mode: CollectionMode | None
    t_per_year: float
    routed_t_per_year: float
    annual_cost_cny: float

    @property
    def cost_cny_per_t(self) -> float | None:
        return self.annual_cost_cny / self.routed_t_per_year if self.routed_t_per_year > 0 else None


@dataclass(frozen=True, slots=True)
class Stop:
    """One stop of a route.

    Times are hours since midnight of the route's day: ``arrival_h`` when the truck gets there,
    ``start_h`` when service starts (later than arrival when it waits for the point to open),
    ``departure_h`` when it leaves. ``load_kg`` is what the truck carries when it leaves (zero after a
    reload); ``pickup_kg`` what it collected here.
    """

    kind: StopKind
    node_id: str
    arrival_h: float
    start_h: float
    departure_h: float
    load_kg: float
    pickup_kg: float = 0.0

    @property
    def wait_h(self) -> float:
        return self.start_h - self.arrival_h


@dataclass(frozen=True, slots=True)
class Route:
    """One truck's day: it leaves its depot, collects, may unload and go out again, and comes back.

    ``truck`` numbers the trucks of one type at one depot on one day from 1. ``cost_cny`` is the
    truck's fixed cost per day plus its cost per km times ``distance_km``.
    """

    depot_id: str
    day: int
    vehicle_type_id: str
    vehicle_name: str
    truck: int
    payload_kg: float
    stops: tuple[Stop, ...]
    distance_km: float
    fixed_cost_cny: float
    cost_cny: float
    co2_kg: float

    @property
    def duration_h(self) -> float:
        """From the start of depot handling before the first trip to the return after the last."""
        return self.stops[-1].arrival_h - self.stops[0].arrival_h

    @property
    def start_h(self) -> float:
        return self.stops[0].arrival_h

    @property
    def end_h(self) -> float:
        return self.stops[-1].arrival_h

    @property
    def trips(self) -> int:
        return 1 + sum(1 for s in self.stops if s.kind is StopKind.RELOAD)

    @property
    def visits(self) -> tuple[Stop, ...]:
        return tuple(s for s in self.stops if s.kind is StopKind.VISIT)

    @property
    def collected_kg(self) -> float:
        return sum(s.pickup_kg for s in self.stops)

    @property
    def utilization(self) -> float:
        """Collected kg over the payload of all trips (1.0 = every trip left full)."""
        return self.collected_kg / (self.trips * self.payload_kg) if self.payload_kg > 0 else 0.0


@dataclass(frozen=True, slots=True)
class UnservedVisit:
    """A collection point's visits that no route makes, and why.

    ``day`` is ``None`` when every visit of the week is affected (a reason known before routing);
    otherwise the one working day on which the visit was left out. ``t_per_year`` is the annual scrap
    the lost visits would have collected. ``detail`` (why) and ``fix`` (the cheapest remedy, ``None``
    when there is none to suggest) are catalogue messages: render them in the reader's language
    (``u.detail.render("zh")``).
    """

    point_id: str
    reason: UnservedReason
    detail: Msg
    depot_id: str | None = None
    day: int | None = None
    visits_per_week: int = 1
    t_per_year: float = 0.0
    fix: Msg | None = None


@dataclass(frozen=True, slots=True)
class RouteTotals:
    """Sums over a set of routes for one week, and the same cost annualised.

    ``trucks`` is what the depot needs: the most trucks on the road on any one day (for the whole
    network, the sum over depots, as trucks stay at their depot); ``trucks_by_type`` counts the busiest
    day of each type. ``truck_days`` counts every route of the week.
    """

    depot_id: str | None
    trucks: int
    trucks_by_type: dict[str, int]
    truck_days: int
    trips: int
    visits: int
    distance_km: float
    hours: float
    collected_t: float
    cost_cny: float
    co2_kg: float
    utilization: float
    annual_cost_cny: float
    annual_collected_t: float

    @property
    def cost_cny_per_t(self) -> float | None:
        return self.annual_cost_cny / self.annual_collected_t if self.annual_collected_t > 0 else None


@dataclass(frozen=True, slots=True)
class RoutePlan:
    """The week's collection routes from every depot, with what could not be served.

    ``weeks_per_year`` turns the week into a year; ``day_names`` labels ``Route.day``. ``runtime_s`` is
    the wall-clock time of the whole routing and ``time_limit_s`` the limit it was given. ``hauls`` are
    the full-truckload trips beside the milk runs (:class:`Haul`); :meth:`totals` covers the milk runs
    only and :meth:`collection_totals` both. ``message`` (what was routed) and ``notes`` (what was
    assumed, what was not routed and why) are catalogue messages (:class:`~optimizer.messages.Msg`),
    rendered in the reader's language at display time, never stored as English text.
    """

    status: RouteStatus
    engine: str
    routes: tuple[Route, ...] = ()
    unserved: tuple[UnservedVisit, ...] = ()
    day_names: tuple[str, ...] = ()
    weeks_per_year: float = 1.0
    runtime_s: float = 0.0
    time_limit_s: float = 0.0
    notes: tuple[Msg, ...] = ()
    message: Msg | None = None
    depot_ids: tuple[str, ...] = field(default=())
    hauls: tuple[Haul, ...] = ()

    # ---- totals -------------------------------------------------------------------------------------

    def totals(self, depot_id: str | None = None) -> RouteTotals:
        """Totals of the whole plan, or of one depot's routes."""
        routes = [r for r in self.routes if depot_id is None or r.depot_id == depot_id]
        # Trucks stay at their depot: the network needs the sum of each depot's busiest day, per type.
        per_day: dict[tuple[str, str, int], int] = {}
        for r in routes:
            key = (r.depot_id, r.vehicle_type_id, r.day)
            per_day[key] = per_day.get(key, 0) + 1
        depot_type: dict[tuple[str, str], int] = {}
        for (depot, vt, _), n in per_day.items():
            depot_type[(depot, vt)] = max(depot_type.get((depot, vt), 0), n)
        by_type: dict[str, int] = {}
        for (_, vt), n in depot_type.items():
            by_type[vt] = by_type.get(vt, 0) + n
        depot_day: dict[tuple[str, int], int] = {}
        for (depot, _, day), n in per_day.items():
            depot_day[(depot, day)] = depot_day.get((depot, day), 0) + n
        by_depot: dict[str, int] = {}
        for (depot, _), n in depot_day.items():
            by_depot[depot] = max(by_depot.get(depot, 0), n)
        collected_kg = sum(r.collected_kg for r in routes)
        capacity_kg = sum(r.trips * r.payload_kg for r in routes)
        cost = sum(r.cost_cny for r in routes)
        return RouteTotals(
            depot_id=depot_id,
            trucks=sum(by_depot.values()),
            trucks_by_type=dict(sorted(by_type.items())),
            truck_days=len(routes),
            trips=sum(r.trips for r in routes),
            visits=sum(len(r.visits) for r in routes),
            distance_km=sum(r.distance_km for r in routes),
            hours=sum(r.duration_h for r in routes),
            collected_t=collected_kg / 1000.0,
            cost_cny=cost,
            co2_kg=sum(r.co2_kg for r in routes),
            utilization=collected_kg / capacity_kg if capacity_kg > 0 else 0.0,
            annual_cost_cny=cost * self.weeks_per_year,
            annual_collected_t=collected_kg / 1000.0 * self.weeks_per_year,
        )

    def depot_totals(self) -> tuple[RouteTotals, ...]:
        """One :class:`RouteTotals` per depot that has routes or was meant to."""
        ids = list(dict.fromkeys([*self.depot_ids, *(r.depot_id for r in self.routes)]))
        return tuple(self.totals(d) for d in ids)

    def haul_totals(self) -> HaulTotals:
        """The full-truckload hauls summed over the year (and per week)."""
        return HaulTotals(
            hauls=len(self.hauls),
            trips_per_year=sum(h.trips_per_year for h in self.hauls),
            km_per_year=sum(h.annual_km for h in self.hauls),
            hours_per_year=sum(h.annual_hours for h in self.hauls),
            cost_cny_per_year=sum(h.annual_cost_cny for h in self.hauls),
            co2_kg_per_year=sum(h.annual_co2_kg for h in self.hauls),
            t_per_year=sum(h.t_per_year for h in self.hauls),
            weeks_per_year=self.weeks_per_year,
            own_truck_days_per_year=sum(
                h.trips_per_year * h.days_per_trip
                for h in self.hauls
                if h.mode is CollectionMode.FULL_TRUCKLOAD
            ),
        )

    @property
    def collection_cost_cny_per_year(self) -> float:
        """Milk runs (annualised) plus hauls: what collecting the routed scrap costs a year."""
        return self.annual_cost_cny + self.haul_totals().cost_cny_per_year

    @property
    def collected_t_per_year(self) -> float:
        return self.totals().annual_collected_t + self.haul_totals().t_per_year

    @property
    def collection_cost_cny_per_t(self) -> float | None:
        t = self.collected_t_per_year
        return self.collection_cost_cny_per_year / t if t > 0 else None

    def collection_flows(self) -> tuple[CollectionFlow, ...]:
        """Every collection flow routed or meant to be, with how it is collected and its routed cost.

        A milk run's route cost is shared among the route's visits in proportion to their pickups.
        """
        routed: dict[tuple[str, str], list[float]] = {}
        for r in self.routes:
            kg = r.collected_kg
            for s in r.visits:
                acc = routed.setdefault((s.node_id, r.depot_id), [0.0, 0.0])
                acc[0] += s.pickup_kg / 1000.0 * self.weeks_per_year
                acc[1] += (r.cost_cny * s.pickup_kg / kg if kg > 0 else 0.0) * self.weeks_per_year
        lost: dict[tuple[str, str], float] = {}
        for u in self.unserved:
            key = (u.point_id, u.depot_id or "")
            lost[key] = lost.get(key, 0.0) + u.t_per_year
        flows = [
            CollectionFlow(
                point_id=h.point_id, destination_id=h.destination_id, mode=h.mode, t_per_year=h.t_per_year,
                routed_t_per_year=h.t_per_year, annual_cost_cny=h.annual_cost_cny,
            )
            for h in self.hauls
        ]
        for (point, depot), (t, cost) in routed.items():
            flows.append(
                CollectionFlow(
                    point_id=point, destination_id=depot, mode=CollectionMode.MILK_RUN,
                    t_per_year=t + lost.pop((point, depot), 0.0), routed_t_per_year=t, annual_cost_cny=cost,
                )
            )
        for (point, depot), t in lost.items():
            flows.append(CollectionFlow(point, depot, None, t, 0.0, 0.0))
        return tuple(sorted(flows, key=lambda f: (f.point_id, f.destination_id)))

    @property
    def cost_cny(self) -> float:
        """The week's milk-run cost."""
        return sum(r.cost_cny for r in self.routes)

    @property
    def annual_cost_cny(self) -> float:
        return self.cost_cny * self.weeks_per_year

    @property
    def cost_cny_per_t(self) -> float | None:
        """Annual collection cost per tonne of scrap collected (``None`` when nothing is collected)."""
        return self.totals().cost_cny_per_t

    def routes_of(self, depot_id: str | None = None, day: int | None = None) -> tuple[Route, ...]:
        return tuple(
            r for r in self.routes
            if (depot_id is None or r.depot_id == depot_id) and (day is None or r.day == day)
        )

    def day_name(self, day: int | None) -> str:
        if day is None:
            return "all visits"
        return self.day_names[day] if 0 <= day < len(self.day_names) else f"day {day + 1}"

    # ---- text ---------------------------------------------------------------------------------------

    def summary(self) -> str:
        """A readable multi-line summary: status, totals, one line per depot, the unserved points."""
        t = self.totals()
        lines = [
            f"Collection routes: {self.status.value.upper()} (engine {self.engine}, "
            f"{self.runtime_s:.1f} s of {self.time_limit_s:g} s)"
        ]
        if self.message is not None:
            lines.append(self.message.render("en"))
        lines.append(
            f"Week: {t.truck_days} truck-days, {t.trips} trips, {t.visits} visits, {t.distance_km:,.1f} km, "
            f"{t.hours:,.1f} h, {t.collected_t:,.2f} t collected, {t.cost_cny:,.0f} CNY, "
            f"CO2 {t.co2_kg:,.0f} kg, payload use {100 * t.utilization:.1f}%"
        )
        per_t = "-" if t.cost_cny_per_t is None else f"{t.cost_cny_per_t:,.1f}"
        lines.append(
            f"Year ({self.weeks_per_year:g} weeks): {t.annual_cost_cny:,.0f} CNY for "
            f"{t.annual_collected_t:,.1f} t = {per_t} CNY/t; trucks needed {t.trucks}"
        )
        if self.hauls:
            h = self.haul_totals()
            lines.append(
                f"Full-truckload hauls: {h.hauls} yard(s), {h.trips_per_week:,.1f} trips/wk, "
                f"{h.km_per_year:,.0f} km/yr, {h.hours_per_year:,.0f} h/yr, "
                f"{h.cost_cny_per_year:,.0f} CNY/yr for {h.t_per_year:,.1f} t = {h.cost_cny_per_t:,.1f} "
                f"CNY/t, CO2 {h.co2_kg_per_year:,.0f} kg/yr; own trucks {h.own_truck_days_per_week:,.1f} "
                "truck-days/wk besides the milk runs'"
            )
            all_per_t = self.collection_cost_cny_per_t
            shown = "-" if all_per_t is None else f"{all_per_t:,.1f}"
            lines.append(
                f"Collection (milk runs + hauls): {self.collection_cost_cny_per_year:,.0f} CNY/yr for "
                f"{self.collected_t_per_year:,.1f} t = {shown} CNY/t"
            )
        for d in self.depot_totals():
            per_t = "-" if d.cost_cny_per_t is None else f"{d.cost_cny_per_t:,.1f}"
            types = ", ".join(f"{vt} {n}" for vt, n in d.trucks_by_type.items())
            lines.append(
                f"  {d.depot_id}: {d.trucks} trucks (most per type: {types}), {d.truck_days} truck-days, "
                f"{d.trips} trips, "
                f"{d.visits} visits, {d.distance_km:,.1f} km/wk, {d.hours:,.1f} h/wk, "
                f"{d.collected_t:,.2f} t/wk, {d.cost_cny:,.0f} CNY/wk, {per_t} CNY/t, "
                f"payload use {100 * d.utilization:.1f}%"
            )
        if self.unserved:
            lines.append(f"Not served ({len(self.unserved)}):")
            for u in self.unserved:
                where = f" from {u.depot_id}" if u.depot_id else ""
                fix = f". Fix: {u.fix.render('en')}" if u.fix is not None else ""
                lines.append(
                    f"  - {u.point_id}{where} ({self.day_name(u.day)}, {u.visits_per_week}/wk, "
                    f"{u.t_per_year:,.1f} t/yr): {u.reason.value}: {u.detail.render('en')}{fix}"
                )
        if self.notes:
            lines.append("Notes:")
            lines.extend(f"  - {n.render('en')}" for n in self.notes)
        return "\n".join(lines)

    # ---- JSON ---------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data. Messages are written as ``{"code", "params", "text"}`` (``text`` their
        English, for a reader without the catalogue), as a network-design plan writes its own."""
        data = _finite(asdict(self))
        data["notes"] = [message_to_plain(n) for n in self.notes]
        data["message"] = None if self.message is None else message_to_plain(self.message)
        data["unserved"] = [
            {
                **row,
                "detail": message_to_plain(u.detail),
                "fix": None if u.fix is None else message_to_plain(u.fix),
            }
            for row, u in zip(data["unserved"], self.unserved, strict=True)
        ]
        # Derived, for readers of the JSON: how each collection flow is collected and its routed cost.
        data["collection_flows"] = [
            {**asdict(f), "cost_cny_per_t": f.cost_cny_per_t} for f in self.collection_flows()
        ]
        plain: dict[str, Any] = _finite(data)
        return plain

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RoutePlan:
        """A plan from :meth:`to_dict`'s data; a file written before messages had codes (the message,
        notes and unserved details as English text) still reads: a text the routing's catalogue made
        becomes that message again (so it renders in Chinese too), any other stays its text."""
        message = data.get("message")
        return cls(
            status=RouteStatus(data["status"]),
            engine=str(data["engine"]),
            routes=tuple(_route_from(r) for r in data.get("routes", ())),
            unserved=tuple(_unserved_from(u) for u in data.get("unserved", ())),
            day_names=tuple(str(d) for d in data.get("day_names", ())),
            weeks_per_year=float(data.get("weeks_per_year", 1.0)),
            runtime_s=float(data.get("runtime_s", 0.0)),
            time_limit_s=float(data.get("time_limit_s", 0.0)),
            notes=tuple(_message_from(n) for n in data.get("notes", ())),
            message=None if message is None or message == "" else _message_from(message),
            depot_ids=tuple(str(d) for d in data.get("depot_ids", ())),
            hauls=tuple(_haul_from(h) for h in data.get("hauls", ())),
        )

    @classmethod
    def from_json(cls, text: str) -> RoutePlan:
        return cls.from_dict(json.loads(text))


def _finite(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    if isinstance(obj, StrEnum):
        return str(obj)
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def _stop_from(d: dict[str, Any]) -> Stop:
    return Stop(
        kind=StopKind(d["kind"]),
        node_id=str(d["node_id"]),
        arrival_h=float(d["arrival_h"]),
        start_h=float(d["start_h"]),
        departure_h=float(d["departure_h"]),
        load_kg=float(d["load_kg"]),
        pickup_kg=float(d.get("pickup_kg", 0.0)),
    )


def _route_from(d: dict[str, Any]) -> Route:
    return Route(
        depot_id=str(d["depot_id"]),
        day=int(d["day"]),
        vehicle_type_id=str(d["vehicle_type_id"]),
        vehicle_name=str(d.get("vehicle_name", "")),
        truck=int(d["truck"]),
        payload_kg=float(d["payload_kg"]),
        stops=tuple(_stop_from(s) for s in d["stops"]),
        distance_km=float(d["distance_km"]),
        fixed_cost_cny=float(d["fixed_cost_cny"]),
        cost_cny=float(d["cost_cny"]),
        co2_kg=float(d.get("co2_kg", 0.0)),
    )


@dataclass(frozen=True, slots=True)
class HaulTotals:
    """The full-truckload hauls of a plan summed over the year.

    ``own_truck_days_per_year`` are the depots' own trucks' days on hauls (carriers' not counted): the
    hauls' trucks come on top of the milk runs' fleet.
    """

    hauls: int
    trips_per_year: int
    km_per_year: float
    hours_per_year: float
    cost_cny_per_year: float
    co2_kg_per_year: float
    t_per_year: float
    weeks_per_year: float
    own_truck_days_per_year: int = 0

    @property
    def trips_per_week(self) -> float:
        return self.trips_per_year / self.weeks_per_year

    @property
    def own_truck_days_per_week(self) -> float:
        return self.own_truck_days_per_year / self.weeks_per_year

    @property
    def cost_cny_per_t(self) -> float:
        return self.cost_cny_per_year / self.t_per_year if self.t_per_year > 0 else 0.0


def _haul_from(d: dict[str, Any]) -> Haul:
    return Haul(
        point_id=str(d["point_id"]),
        destination_id=str(d["destination_id"]),
        mode=CollectionMode(d["mode"]),
        vehicle_type_id=str(d["vehicle_type_id"]),
        payload_t=float(d["payload_t"]),
        t_per_year=float(d["t_per_year"]),
        trips_per_year=int(d["trips_per_year"]),
        km_per_trip=float(d["km_per_trip"]),
        hours_per_trip=float(d["hours_per_trip"]),
        driving_h_per_trip=float(d["driving_h_per_trip"]),
        days_per_trip=int(d["days_per_trip"]),
        cost_cny_per_trip=float(d["cost_cny_per_trip"]),
        co2_kg_per_trip=float(d["co2_kg_per_trip"]),
        weeks_per_year=float(d["weeks_per_year"]),
    )


def _unserved_from(d: dict[str, Any]) -> UnservedVisit:
    return UnservedVisit(
        point_id=str(d["point_id"]),
        reason=UnservedReason(d["reason"]),
        detail=_message_from(d.get("detail", "")),
        depot_id=None if d.get("depot_id") is None else str(d["depot_id"]),
        day=None if d.get("day") is None else int(d["day"]),
        visits_per_week=int(d.get("visits_per_week", 1)),
        t_per_year=float(d.get("t_per_year", 0.0)),
        fix=None if d.get("fix") is None or d.get("fix") == "" else _message_from(d["fix"]),
    )


def _message_from(value: Any) -> Msg:
    """A message of a route plan file: ``{code, params, text}``, or the English text of an older file
    (matched against the routing's catalogue entries, kept as its text when none made it)."""
    if isinstance(value, str):
        return legacy_message(value) or text_message(value)
    return message_from_plain(value)
