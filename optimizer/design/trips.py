"""How long a truck trip takes under the driver's rules, and what a full-truckload trip costs.

Shared by the network design (its collection cost per t, :mod:`optimizer.design.collection_cost`) and
the routing (its full-truckload hauls, :mod:`optimizer.routing.haulage`), so that the MILP prices a haul
with the very trip the routes then make. The driver's rules (:class:`DriverRules`): at most
``max_driving_h_per_day`` at the wheel and ``max_shift_h`` on duty per day, a break of :data:`BREAK_H`
after :data:`CONTINUOUS_DRIVING_H` of driving, ``daily_rest_h`` off between two driving days. Loading at
the yard happens inside its opening hours; a truck that arrives outside them waits (on duty when the
wait is short, as its daily rest when it is at least that long).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from optimizer.model import CollectionPoint, VehicleType

#: Continuous driving after which a driver takes a break, and the break: China's fatigue-driving rule
#: (道路运输车辆动态监督管理办法, MOT order 2014 No. 5: no more than 4 h continuous driving by day,
#: at least 20 min rest each stop). See docs/routing.md.
CONTINUOUS_DRIVING_H = 4.0
BREAK_H = 20.0 / 60.0

_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class DriverRules:
    """How long a driver may work and drive in a day, and rest between days (hours)."""

    max_shift_h: float
    max_driving_h_per_day: float
    daily_rest_h: float

    @classmethod
    def of(cls, vt: VehicleType) -> DriverRules:
        return cls(vt.max_shift_h, min(vt.max_driving_h_per_day, vt.max_shift_h), vt.daily_rest_h)


@dataclass(frozen=True, slots=True)
class TripTime:
    """A trip's elapsed hours (breaks, waits and rests included), hours at the wheel and duty days."""

    elapsed_h: float
    driving_h: float
    duty_days: int

    @property
    def truck_days(self) -> int:
        """Days a truck is away: one per duty day, and at least the calendar days the trip spans."""
        return max(self.duty_days, math.ceil(self.elapsed_h / 24.0 - 1e-6))


@dataclass(frozen=True, slots=True)
class Leg:
    """One step of a trip: ``drive`` for ``hours``, or ``work`` (load, unload) for ``hours``.

    A work step with ``opens_h``/``latest_start_h`` must start inside that daily window (hours of
    the day).
    """

    kind: str
    hours: float
    opens_h: float | None = None
    latest_start_h: float | None = None


class _Clock:
    """The driver's day, stepped through a trip's legs."""

    def __init__(self, rules: DriverRules, start_h: float) -> None:
        self.rules = rules
        self.t = start_h
        self.duty = self.driving = self.continuous = self.total_driving = 0.0
        self.days = 1

    def rest(self, hours: float | None = None) -> None:
        self.t += self.rules.daily_rest_h if hours is None else hours
        self.duty = self.driving = self.continuous = 0.0
        self.days += 1

    def drive(self, hours: float) -> None:
        r = self.rules
        left = hours
        while left > _EPS:
            if self.driving >= r.max_driving_h_per_day - _EPS or self.duty >= r.max_shift_h - _EPS:
                self.rest()
                continue
            if self.continuous >= CONTINUOUS_DRIVING_H - _EPS:
                if self.duty + BREAK_H <= r.max_shift_h + _EPS:
                    self.t += BREAK_H
                    self.duty += BREAK_H
                    self.continuous = 0.0
                else:
                    self.rest()
                continue
            step = min(
                left,
                r.max_driving_h_per_day - self.driving,
                r.max_shift_h - self.duty,
                CONTINUOUS_DRIVING_H - self.continuous,
            )
            if step <= _EPS:
                self.rest()
                continue
            self.t += step
            self.duty += step
            self.driving += step
            self.total_driving += step
            self.continuous += step
            left -= step

    def work(self, leg: Leg) -> None:
        r = self.rules
        for _ in range(8):
            wait = 0.0
            if leg.opens_h is not None and leg.latest_start_h is not None:
                tod = self.t % 24.0
                if tod > leg.latest_start_h + _EPS:
                    wait = 24.0 - tod + leg.opens_h
                elif tod < leg.opens_h - _EPS:
                    wait = leg.opens_h - tod
            if wait >= r.daily_rest_h - _EPS and wait > _EPS:
                self.rest(wait)  # the wait for opening is the night's rest
                continue
            if self.duty + wait + leg.hours <= r.max_shift_h + _EPS:
                self.t += wait + leg.hours
                self.duty += wait + leg.hours
                if leg.hours >= BREAK_H:
                    self.continuous = 0.0
                return
            self.rest()
        raise ValueError("a work step that fits no day")  # unreachable: callers check hours <= shift


def trip_time(legs: Sequence[Leg], rules: DriverRules, start_h: float = 0.0) -> TripTime:
    """How long ``legs`` take under ``rules``, leaving at ``start_h`` (hours since midnight).

    On its first day the truck leaves late enough not to wait at a yard that is not open yet.
    """
    if any(leg.kind == "work" and leg.hours > rules.max_shift_h + _EPS for leg in legs):
        raise ValueError(f"a loading step is longer than the {rules.max_shift_h:g} h shift")
    clock = _run(legs, rules, start_h)
    delay = _first_day_wait(legs, rules, start_h)
    if delay > _EPS:
        clock = _run(legs, rules, start_h + delay)
        start_h += delay
    return TripTime(clock.t - start_h, clock.total_driving, clock.days)


def best_trip_time(legs: Sequence[Leg], rules: DriverRules, earliest_h: float = 0.0) -> TripTime:
    """The trip leaving at the whole hour from ``earliest_h`` on that takes fewest truck-days, then hours.

    A far yard's loading must fall in its opening hours; when the truck leaves decides whether the
    rests fall where it would wait anyway.
    """
    starts = [earliest_h + k for k in range(24) if earliest_h + k < 24.0]
    times = [trip_time(legs, rules, s) for s in starts]
    return min(times, key=lambda t: (t.truck_days, t.elapsed_h))


def _run(legs: Sequence[Leg], rules: DriverRules, start_h: float) -> _Clock:
    clock = _Clock(rules, start_h)
    for leg in legs:
        if leg.kind == "drive":
            clock.drive(leg.hours)
        else:
            clock.work(leg)
    return clock


def _first_day_wait(legs: Sequence[Leg], rules: DriverRules, start_h: float) -> float:
    """Hours a truck leaving at ``start_h`` would wait on duty for the first windowed step, same day."""
    clock = _Clock(rules, start_h)
    for leg in legs:
        if leg.opens_h is not None:
            tod = clock.t % 24.0
            if clock.days == 1 and tod < leg.opens_h - _EPS:
                return leg.opens_h - tod
            return 0.0
        if leg.kind == "drive":
            clock.drive(leg.hours)
        else:
            clock.work(leg)
    return 0.0


@dataclass(frozen=True, slots=True)
class TripCost:
    """One full-truckload trip by one vehicle type: cost, km charged, time, and whether by carrier."""

    cost_cny: float
    km: float
    time: TripTime
    carrier: bool


def full_truckload_trip(
    point: CollectionPoint,
    km_one_way: float,
    vt: VehicleType,
    *,
    depot_handling_h: float = 0.25,
    earliest_departure_h: float = 0.0,
) -> TripCost | None:
    """One trip fetching a full load from ``point``, ``km_one_way`` road km from where it unloads.

    Own truck: depot handling, drive out, load inside the yard's hours, drive back; ``fixed x
    truck-days + cost/km x round-trip km``. Carrier: load, drive loaded, unload; ``tariff + cost/km x
    loaded km``. ``None`` when ``vt`` cannot make the trip at all (a loading longer than its shift, a
    window shorter than the loading, a truck that may not drive).
    """
    service_h = point.service_time_min / 60.0
    latest = point.closes_hour - service_h
    rules = DriverRules.of(vt)
    # Validation refuses these; a truck that may not drive or rest makes no trip (and would loop).
    if min(rules.max_driving_h_per_day, vt.speed_km_per_h, vt.payload_t) <= 0 or rules.daily_rest_h < 0:
        return None
    if latest < point.opens_hour or max(service_h, depot_handling_h) > rules.max_shift_h:
        return None
    drive_h = km_one_way / vt.speed_km_per_h
    load = Leg("work", service_h, point.opens_hour, latest)
    if vt.is_carrier:
        # The carrier's truck arrives at the yard (its way there is in the tariff), loads, drives loaded.
        legs = [load, Leg("drive", drive_h), Leg("work", depot_handling_h)]
        km = km_one_way
    else:
        legs = [Leg("work", depot_handling_h), Leg("drive", drive_h), load, Leg("drive", drive_h)]
        km = 2.0 * km_one_way
    time = best_trip_time(legs, rules, earliest_departure_h)
    if vt.is_carrier:
        cost = (vt.carrier_cny_per_trip or 0.0) + vt.cost_cny_per_km * km
    else:
        cost = vt.fixed_cost_cny_per_day * time.truck_days + vt.cost_cny_per_km * km
    return TripCost(cost, km, time, vt.is_carrier)


def trips_per_year(t_per_year: float, payload_t: float) -> int:
    """Full loads a year: the yard stores its scrap until a truck is full (the year's last trip the rest)."""
    return math.ceil(t_per_year / payload_t - 1e-9)
