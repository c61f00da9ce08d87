"""Full-truckload hauls: one yard per trip, a full payload each time, over several days when far.

A yard whose weekly supply fills a truck, or that lies beyond a shift's round trip, is not worth a seat
on a milk run: a truck fetches a full load from it alone, as often as supply / payload says (the yard
stores its scrap until a truck is full). Shares the plan ships straight to a smelter go the same way
by a carrier's truck hired per trip (the smelters keep no collection trucks).

The driver's rules decide how long a trip takes; the trip itself (legs, rests, cost) is
:func:`optimizer.design.trips.full_truckload_trip`, the same one the design's collection cost model
prices, so a haul costs what the MILP assumed for it.

Own truck, per trip: ``fixed_cost_cny_per_day x truck-days + cost_cny_per_km x round-trip km``.
Carrier, per trip: ``carrier_cny_per_trip + cost_cny_per_km x loaded km``. Trips a year:
``ceil(t_per_year / payload_t)``. The cheapest vehicle type per year is chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from optimizer.design.trips import (
    BREAK_H,
    CONTINUOUS_DRIVING_H,
    DriverRules,
    Leg,
    TripTime,
    best_trip_time,
    full_truckload_trip,
    trip_time,
    trips_per_year,
)
from optimizer.model import CollectionPoint, VehicleType
from optimizer.routing.result import CollectionMode, Haul

__all__ = [
    "BREAK_H",
    "CONTINUOUS_DRIVING_H",
    "DriverRules",
    "HaulRequest",
    "Leg",
    "TripTime",
    "best_trip_time",
    "plan_haul",
    "trip_time",
]


@dataclass(frozen=True, slots=True)
class HaulRequest:
    """A yard's share to haul: ``km`` one way by road to ``destination_id`` (a depot or a smelter)."""

    point: CollectionPoint
    destination_id: str
    t_per_year: float
    km: float
    to_depot: bool
    weeks_per_year: float
    depot_handling_h: float = 0.25
    earliest_departure_h: float = 0.0


def plan_haul(request: HaulRequest, vehicle_types: Sequence[VehicleType]) -> Haul | None:
    """The cheapest full-truckload haul of ``request`` by one of ``vehicle_types`` a year.

    Own trucks (not carriers) are used only when the destination is their depot; the caller passes
    those kept there. ``None`` when no vehicle type can make it.
    """
    best: Haul | None = None
    for vt in vehicle_types:
        if not vt.is_carrier and not request.to_depot:
            continue
        haul = _haul_by(request, vt)
        if haul is None:
            continue
        if best is None or (haul.annual_cost_cny, haul.vehicle_type_id) < (
            best.annual_cost_cny,
            best.vehicle_type_id,
        ):
            best = haul
    return best


def _haul_by(request: HaulRequest, vt: VehicleType) -> Haul | None:
    trip = full_truckload_trip(
        request.point,
        request.km,
        vt,
        depot_handling_h=request.depot_handling_h,
        earliest_departure_h=request.earliest_departure_h,
    )
    if trip is None:
        return None
    return Haul(
        point_id=request.point.id,
        destination_id=request.destination_id,
        mode=CollectionMode.CARRIER if trip.carrier else CollectionMode.FULL_TRUCKLOAD,
        vehicle_type_id=vt.id,
        payload_t=vt.payload_t,
        t_per_year=request.t_per_year,
        trips_per_year=trips_per_year(request.t_per_year, vt.payload_t),
        km_per_trip=trip.km,
        hours_per_trip=trip.time.elapsed_h,
        driving_h_per_trip=trip.time.driving_h,
        days_per_trip=trip.time.truck_days,
        cost_cny_per_trip=trip.cost_cny,
        co2_kg_per_trip=vt.co2_kg_per_km * trip.km,
        weeks_per_year=request.weeks_per_year,
    )
