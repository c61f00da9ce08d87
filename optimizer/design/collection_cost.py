"""The design's collection cost per t from the trucks the routing uses (``collection_cost_model = trucks``).

A linear t-km rate prices a yard 5 km from a site at a few CNY/t, while the truck that calls there costs
a truck-day and the drive out whatever it carries: the routes came out 4-9x dearer than the plan. With
``Parameters.collection_cost_model = "trucks"`` every collection arc (yard -> site, yard -> smelter) is
priced from VehicleTypes instead, the way the routing will collect it:

- **full truckload** (one yard a trip, ``trips = ceil(supply / payload)``, each trip the one
  :func:`optimizer.design.trips.full_truckload_trip` makes, driver's rests included) where the yard's
  weekly supply fills the depot's largest truck, or where even alone its round trip is longer than
  every truck's shift; by the depot's own truck or a carrier, whichever is cheaper a year. Arcs to a
  smelter are carrier hauls (smelters keep no trucks).
- **milk run** otherwise, a continuous approximation of a shared route's cost per visit::

      n   = stops per trip = min(payload / pickup, (shift - handling - 2 d / v) / (service + r / v)) >= 1
      LH  = (c_km + F / (shift v)) x 2 d / n          the visit's share of the drive out and back
      LOC = (c_km + F / (shift v)) x r                the local hop between neighbouring yards
      STOP = F / shift x (service + handling / n)     the truck's time at the yard and the depot
      cost per visit = a x LH + k x LOC + s x STOP;   cost per t = cost per visit / pickup

  with ``d`` the road km from the depot, ``r`` the yard's mean road km to its three nearest yards (the
  square root of area per point, up to a constant), ``F`` the fixed cost per truck-day, ``c_km`` the cost
  per km, ``v`` the speed, the pickup ``supply / (visits a week x weeks a year)``; the cheapest vehicle
  type kept at the depot. ``a``, ``k`` and ``s`` are Parameters rows calibrated on the routes CopperLoop
  builds (``benchmarks/routes_loop.py --calibrate``, docs/model.md).

Arcs no truck can serve (no vehicle type at the depot and no carrier) keep the linear rate; the routes
then report them with a fix. The design-routing loop (:mod:`optimizer.routing.loop`) multiplies each
site's milk-run arcs by what its routes cost against what this model said (``site_factors``) and pins
routed per-t costs on the arcs straight to smelters (``arc_costs``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from optimizer.design.trips import full_truckload_trip, trips_per_year
from optimizer.geo import DistanceOracle, great_circle_matrix_km
from optimizer.model import CollectionPoint, Network, Parameters, ProcessingSite, Smelter, VehicleType

#: The values of ``Parameters.collection_cost_model``.
LINEAR = "linear"
TRUCKS = "trucks"
COLLECTION_COST_MODELS = (LINEAR, TRUCKS)

#: Minutes at the depot before each trip: the routing's default (``RoutingOptions.depot_handling_min``).
DEPOT_HANDLING_H = 0.25

#: Neighbours whose mean distance stands for a yard's local spacing.
NEIGHBOURS = 3

_EPS = 1e-9


class ArcMode(IntEnum):
    """How the cost model assumes an arc is collected."""

    LINEAR = 0
    MILK_RUN = 1
    FULL_TRUCKLOAD = 2
    CARRIER = 3

    @property
    def label(self) -> str:
        return ("linear", "milk_run", "full_truckload", "carrier")[self.value]


@dataclass(frozen=True, slots=True)
class Calibration:
    """The milk-run formula's coefficients: line haul ``a``, local hop ``k``, time at the stop ``s``."""

    line_haul: float
    local: float
    stop: float

    @classmethod
    def of(cls, params: Parameters) -> Calibration:
        return cls(
            params.milk_run_line_haul_factor, params.milk_run_local_factor, params.milk_run_stop_factor
        )


@dataclass(frozen=True, slots=True)
class CollectionCosts:
    """Per (point, destination): cost per t, the mode assumed, and the milk-run terms (per t, before the
    calibration factors; zero where no milk run fits), which the calibration fits on routed flows."""

    cost_cny_per_t: np.ndarray
    mode: np.ndarray
    line_haul: np.ndarray
    local: np.ndarray
    stop: np.ndarray


def uses_trucks(params: Parameters) -> bool:
    return params.collection_cost_model == TRUCKS


def point_supply_t(point: CollectionPoint) -> float:
    """A yard's whole supply a year (every grade): what its trucks carry when it sends all to one place."""
    return sum(s.supply_t_per_year for s in point.supplies if s.supply_t_per_year > 0)


def local_spacing_km(points: Sequence[CollectionPoint], circuity: float) -> np.ndarray:
    """Each point's mean road km to its :data:`NEIGHBOURS` nearest other points (0 when alone)."""
    n = len(points)
    out = np.zeros(n)
    if n < 2:
        return out
    lat = np.array([p.lat for p in points], dtype=float)
    lon = np.array([p.lon for p in points], dtype=float)
    k = min(NEIGHBOURS, n - 1)
    for start in range(0, n, 1000):  # rows in blocks: a 10,000-point network stays within memory
        block = great_circle_matrix_km(lat[start : start + 1000], lon[start : start + 1000], lat, lon)
        rows = np.arange(block.shape[0])
        block[rows, start + rows] = np.inf
        nearest = np.partition(block, k - 1, axis=1)[:, :k]
        out[start : start + block.shape[0]] = nearest.mean(axis=1) * circuity
    return out


def _own_types(network: Network, depot_id: str) -> list[VehicleType]:
    """Vehicle types a depot may keep (the fleet the routing sizes or counts there)."""
    return [
        vt
        for vt in network.vehicle_types
        if not vt.is_carrier and (not vt.depot_ids or depot_id in vt.depot_ids)
    ]


def collection_arc_costs(
    network: Network,
    points: Sequence[CollectionPoint],
    dests: Sequence[ProcessingSite | Smelter],
    km: np.ndarray,
    linear_cost: np.ndarray,
    evaluate: np.ndarray | None = None,
    *,
    site_factors: Mapping[str, float] | None = None,
    arc_costs: Mapping[tuple[str, str], float] | None = None,
) -> CollectionCosts:
    """The cost per t of every collection arc ``points x dests`` under the trucks model.

    ``km`` is road km (overrides applied), ``linear_cost`` what the linear rate (or a user's cost
    override, which this model does not replace) gives; ``evaluate`` masks the pairs worth pricing
    (others keep ``linear_cost``). Sites come first in ``dests``, then smelters.
    """
    params = network.parameters
    cal = Calibration.of(params)
    n_p, n_d = km.shape
    cost = np.array(linear_cost, dtype=float, copy=True)
    mode = np.zeros((n_p, n_d), dtype=np.int8)
    terms = [np.zeros((n_p, n_d)) for _ in range(3)]
    todo = np.ones((n_p, n_d), dtype=bool) if evaluate is None else np.asarray(evaluate, dtype=bool).copy()
    todo &= np.isfinite(linear_cost)
    weeks = float(params.weeks_per_year)
    days = params.working_days_per_week
    supply = np.array([point_supply_t(p) for p in points])
    todo &= (supply > 0)[:, None]
    visits = np.array([min(max(p.visits_per_week, 1), days) for p in points], dtype=float)
    pickup = supply / (visits * weeks)  # t per visit
    service_h = np.array([p.service_time_min / 60.0 for p in points])
    spacing = local_spacing_km(points, params.circuity_factor)
    carriers = [vt for vt in network.vehicle_types if vt.is_carrier]
    for d, dest in enumerate(dests):
        rows = np.flatnonzero(todo[:, d])
        if rows.size == 0:
            continue
        to_site = isinstance(dest, ProcessingSite)
        own = _own_types(network, dest.id) if to_site else []
        if not own and not carriers:
            continue
        dist = km[rows, d]
        best_mr = np.full(rows.size, np.inf)
        parts = [np.zeros(rows.size) for _ in range(3)]
        alone_fits = np.zeros(rows.size, dtype=bool)
        for vt in own:
            per_visit, lh, loc, stop, fits = _milk_run(
                vt, dist, pickup[rows], service_h[rows], spacing[rows], cal
            )
            alone_fits |= fits
            better = fits & (per_visit < best_mr)
            best_mr = np.where(better, per_visit, best_mr)
            for part, value in zip(parts, (lh, loc, stop), strict=True):
                part[better] = value[better]
        largest = max((vt.payload_t for vt in own), default=0.0)
        fills = supply[rows] / weeks >= largest - _EPS
        ftl = fills | ~alone_fits | ~np.isfinite(best_mr)
        for r, i in enumerate(rows.tolist()):
            if np.isfinite(best_mr[r]):
                for term, part in zip(terms, parts, strict=True):
                    term[i, d] = part[r]
            if ftl[r]:
                per_t, by_carrier = _full_truckload(
                    points[i], float(dist[r]), float(supply[i]), own, carriers
                )
                if per_t is not None:
                    cost[i, d] = per_t
                    mode[i, d] = ArcMode.CARRIER if by_carrier else ArcMode.FULL_TRUCKLOAD
                    continue
            if np.isfinite(best_mr[r]):
                factor = (site_factors or {}).get(dest.id, 1.0)
                cost[i, d] = best_mr[r] * factor
                mode[i, d] = ArcMode.MILK_RUN
    if arc_costs:
        index_p = {p.id: i for i, p in enumerate(points)}
        index_d = {x.id: j for j, x in enumerate(dests)}
        for (pid, did), pinned in arc_costs.items():
            pi, dj = index_p.get(pid), index_d.get(did)
            if pi is not None and dj is not None and np.isfinite(linear_cost[pi, dj]):
                cost[pi, dj] = pinned
    return CollectionCosts(cost, mode, *terms)


def _milk_run(
    vt: VehicleType,
    dist: np.ndarray,
    pickup: np.ndarray,
    service_h: np.ndarray,
    spacing: np.ndarray,
    cal: Calibration,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per t by ``vt`` on a shared route: total, its three terms, and whether one visit alone fits a shift.

    "Fits alone" is the routing's own test for a milk run (depot handling, the round trip and the
    service within the shift, the pickup within the payload); the other yards go full-truckload.
    """
    shift = vt.max_shift_h
    v = vt.speed_km_per_h
    round_h = 2.0 * dist / v
    fits = (DEPOT_HANDLING_H + round_h + service_h <= shift + _EPS) & (pickup <= vt.payload_t + _EPS)
    stop_h = service_h + cal.local * spacing / v
    by_time = (shift - DEPOT_HANDLING_H - round_h) / np.maximum(stop_h, 1e-6)
    n = np.maximum(1.0, np.minimum(vt.payload_t / np.maximum(pickup, 1e-9), by_time))
    per_km = vt.cost_cny_per_km + vt.fixed_cost_cny_per_day / (shift * v)
    q = np.maximum(pickup, 1e-9)
    lh = per_km * 2.0 * dist / n / q
    loc = per_km * spacing / q
    stop = vt.fixed_cost_cny_per_day / shift * (service_h + DEPOT_HANDLING_H / n) / q
    total = cal.line_haul * lh + cal.local * loc + cal.stop * stop
    return np.where(fits, total, np.inf), lh, loc, stop, fits


def _full_truckload(
    point: CollectionPoint,
    km: float,
    supply_t: float,
    own: Sequence[VehicleType],
    carriers: Sequence[VehicleType],
) -> tuple[float | None, bool]:
    """The cheapest full-truckload haul's cost per t a year, and whether a carrier makes it.

    A carrier's trip costs its tariff plus the loaded km whatever it takes; an own truck's needs its
    truck-days, at least the days its driving takes (``2 d / v / max driving a day``). Vehicle types are
    tried by that lower bound, and one whose bound is above the best exact cost is not simulated.
    """
    bounds: list[tuple[float, VehicleType]] = []
    for vt in [*own, *carriers]:
        if not _can_load(point, vt):
            continue
        trips = trips_per_year(supply_t, vt.payload_t)
        if vt.is_carrier:
            bounds.append((trips * ((vt.carrier_cny_per_trip or 0.0) + vt.cost_cny_per_km * km), vt))
            continue
        driving = 2.0 * km / vt.speed_km_per_h
        days = max(1, math.ceil(driving / min(vt.max_driving_h_per_day, vt.max_shift_h) - 1e-6))
        bounds.append((trips * (vt.fixed_cost_cny_per_day * days + vt.cost_cny_per_km * 2.0 * km), vt))
    best: tuple[float, bool] | None = None
    for bound, vt in sorted(bounds, key=lambda b: (b[0], b[1].id)):
        if best is not None and bound >= best[0]:
            break
        if vt.is_carrier:
            annual = bound
        else:
            days_per_trip = _truck_days(point, km, vt)
            if days_per_trip is None:
                continue
            annual = trips_per_year(supply_t, vt.payload_t) * (
                vt.fixed_cost_cny_per_day * days_per_trip + vt.cost_cny_per_km * 2.0 * km
            )
        if best is None or annual < best[0]:
            best = (annual, vt.is_carrier)
    if best is None:
        return None, False
    return best[0] / supply_t, best[1]


def _can_load(point: CollectionPoint, vt: VehicleType) -> bool:
    """What :func:`~optimizer.design.trips.full_truckload_trip` needs before it can time a trip."""
    service_h = point.service_time_min / 60.0
    rules_ok = min(vt.max_driving_h_per_day, vt.max_shift_h, vt.speed_km_per_h, vt.payload_t) > 0
    return (
        rules_ok
        and vt.daily_rest_h >= 0
        and point.closes_hour - service_h >= point.opens_hour
        and max(service_h, DEPOT_HANDLING_H) <= vt.max_shift_h
    )


#: Truck-days of a trip are looked up on a grid of one-way driving hours (a quarter hour): where both
#: ends of a cell give the same days, a trip inside it takes them too; otherwise it is simulated.
_GRID_H = 0.25
_DAYS: dict[tuple[object, ...], int | None] = {}


def _truck_days(point: CollectionPoint, km: float, vt: VehicleType) -> int | None:
    """Truck-days of an own truck's trip to ``point`` and back: the routing's very trip."""
    drive_h = km / vt.speed_km_per_h
    cell = math.floor(drive_h / _GRID_H)
    lo = _days_at(point, cell * _GRID_H * vt.speed_km_per_h, vt)
    hi = _days_at(point, (cell + 1) * _GRID_H * vt.speed_km_per_h, vt)
    if lo is not None and lo == hi:
        return lo
    return _days_at(point, km, vt)


def _days_at(point: CollectionPoint, km: float, vt: VehicleType) -> int | None:
    key = (
        point.opens_hour,
        point.closes_hour,
        point.service_time_min,
        round(km, 6),
        vt.speed_km_per_h,
        vt.max_shift_h,
        vt.max_driving_h_per_day,
        vt.daily_rest_h,
    )
    if key not in _DAYS:
        if len(_DAYS) > 500_000:
            _DAYS.clear()
        trip = full_truckload_trip(point, km, vt, depot_handling_h=DEPOT_HANDLING_H)
        _DAYS[key] = None if trip is None else trip.time.truck_days
    return _DAYS[key]


def milk_run_terms(
    network: Network, pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], tuple[float, float, float]]:
    """The milk-run formula's three terms per t (line haul, local hop, stop) of ``(point, site)`` pairs.

    What the calibration fits the factors on: routed cost = a x LH + k x LOC + s x STOP, summed over a
    site's routed milk-run flows. Pairs where no milk run fits are left out.
    """
    points = list(network.collection_points)
    sites = {s.id: s for s in network.sites}
    dest_ids = sorted({d for _, d in pairs if d in sites})
    dests = [sites[d] for d in dest_ids]
    oracle = DistanceOracle(network)
    p_index = {p.id: i for i, p in enumerate(points)}
    wanted = np.zeros((len(points), len(dests)), dtype=bool)
    km = np.zeros((len(points), len(dests)))
    for pid, did in pairs:
        if pid in p_index and did in sites:
            i, j = p_index[pid], dest_ids.index(did)
            wanted[i, j] = True
            km[i, j] = oracle.km(pid, did)
    costs = collection_arc_costs(network, points, dests, km, np.zeros(km.shape), wanted)
    out: dict[tuple[str, str], tuple[float, float, float]] = {}
    for i, j in zip(*np.nonzero(wanted), strict=True):
        terms = (float(costs.line_haul[i, j]), float(costs.local[i, j]), float(costs.stop[i, j]))
        if any(t > 0 for t in terms):
            out[(points[i].id, dests[j].id)] = terms
    return out
