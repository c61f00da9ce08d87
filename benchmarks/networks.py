"""Benchmark networks: OR-Library / Holmberg facility-location instances as CopperLoop networks, and a
deterministic synthetic national-scale network generator.

Both produce ordinary :class:`optimizer.model.Network` objects, so every benchmark goes through the same
``optimizer.design.solve.solve()`` a user's workbook does: no shortcut model, no second formulation.

CFLP -> network (see ``../shared/benchmarks/README.md`` for the file formats):

* each facility ``i`` is a *candidate sorting center* ``W<i>`` with one capacity module (the file's
  capacity and fixed cost), zero processing cost, and the yield ``RAW -> OUT`` with fraction 1;
* each customer ``j`` with demand ``d_j > 0`` is a *collection point* ``C<j>`` supplying ``d_j`` t/yr of
  grade ``RAW`` at purchase price 0; the solve asks for utilization 1.0, so its whole supply must be
  collected (the builder turns supply limits into equalities at that target);
* the file's allocation cost ``c_ij`` (serving *all* of ``j`` from ``i``) becomes the transport cost
  override ``c_ij / d_j`` CNY/t on the arc ``C<j> -> W<i>``;
* one *sink smelter* accepts ``OUT`` only (so raw supply cannot bypass the facilities), with capacity
  equal to the total demand; transport cost per t-km and CO2 are zero, so delivery arcs cost nothing.

Both grades have copper content 1, so the cost objective at target 1.0 is exactly
``sum_i f_i y_i + sum_ij c_ij x_ij / d_j``, the split-demand CFLP objective. Customers with zero demand
are left out (they cost nothing and a collection point must supply something).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

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

# === facility location ==================================================================================


@dataclass(frozen=True, slots=True)
class CflpInstance:
    """A capacitated facility-location instance.

    ``cost[i, j]`` is the cost of serving *all* of customer ``j``'s demand from facility ``i`` (both
    OR-Library and Holmberg files state costs this way).
    """

    name: str
    capacity: np.ndarray  # (m,)
    fixed_cost: np.ndarray  # (m,)
    demand: np.ndarray  # (n,)
    cost: np.ndarray  # (m, n)

    @property
    def m(self) -> int:
        return int(self.capacity.size)

    @property
    def n(self) -> int:
        return int(self.demand.size)


def read_beasley(path: Path, capacity: float | None = None, name: str | None = None) -> CflpInstance:
    """An OR-Library capacitated warehouse-location file (cap41 ... capa).

    ``capacity`` replaces the literal word ``capacity`` that the large files (capa) hold instead of a
    number; a file with that word and no ``capacity`` given raises ``ValueError``.
    """
    tokens = path.read_text().split()
    if "capacity" in tokens:
        if capacity is None:
            raise ValueError(f"{path.name} has the word 'capacity' for its capacities; give one (e.g. 8000)")
        tokens = [repr(float(capacity)) if t == "capacity" else t for t in tokens]
    values = [float(t) for t in tokens]
    m, n = int(values[0]), int(values[1])
    pos = 2
    fac = np.array(values[pos : pos + 2 * m]).reshape(m, 2)
    pos += 2 * m
    demand = np.empty(n)
    cost = np.empty((m, n))
    for j in range(n):
        demand[j] = values[pos]
        cost[:, j] = values[pos + 1 : pos + 1 + m]
        pos += 1 + m
    if pos != len(values):
        raise ValueError(f"{path.name}: expected {pos} numbers, found {len(values)}")
    return CflpInstance(name or path.stem, fac[:, 0].copy(), fac[:, 1].copy(), demand, cost)


def read_holmberg(path: Path, name: str | None = None) -> CflpInstance:
    """A Holmberg et al. (1999) single-source CFLP file (p1 ... p71).

    Layout: ``m n``; ``m`` lines ``capacity fixed_cost``; ``n`` demands; an ``m x n`` cost matrix,
    facility by facility.
    """
    values = [float(t) for t in path.read_text().split()]
    m, n = int(values[0]), int(values[1])
    pos = 2
    fac = np.array(values[pos : pos + 2 * m]).reshape(m, 2)
    pos += 2 * m
    demand = np.array(values[pos : pos + n])
    pos += n
    cost = np.array(values[pos : pos + m * n]).reshape(m, n)
    pos += m * n
    if pos != len(values):
        raise ValueError(f"{path.name}: expected {pos} numbers, found {len(values)}")
    return CflpInstance(name or path.stem, fac[:, 0].copy(), fac[:, 1].copy(), demand, cost)


RAW = Grade("RAW", "Customer demand", "客户需求", 1.0)
OUT = Grade("OUT", "Served demand", "已服务需求", 1.0)

#: Where the CFLP nodes sit. Coordinates do not matter (every collection arc has a cost override and
#: transport per t-km is zero); a compact grid keeps the validator's distance checks quiet.
_ORIGIN_LAT, _ORIGIN_LON, _STEP_DEG = 30.0, 110.0, 0.01


def cflp_network(inst: CflpInstance) -> Network:
    """The CopperLoop network whose least-cost plan at utilization 1.0 solves ``inst`` (split demand)."""

    def place(k: int, row: int) -> tuple[float, float]:
        return _ORIGIN_LAT + row * _STEP_DEG, _ORIGIN_LON + k * _STEP_DEG

    sites = tuple(
        ProcessingSite(
            id=f"W{i + 1}",
            name=f"facility {i + 1}",
            kind=SiteKind.SORTING,
            lat=place(i, 0)[0],
            lon=place(i, 0)[1],
            status=SiteStatus.CANDIDATE,
            modules=(CapacityModule("M", float(inst.capacity[i]), float(inst.fixed_cost[i])),),
            yields=(YieldEntry("RAW", "OUT", 1.0),),
        )
        for i in range(inst.m)
    )
    served = np.flatnonzero(inst.demand > 0)
    points = []
    distances = []
    for j in served:
        d = float(inst.demand[j])
        lat, lon = place(int(j) % 200, 2 + int(j) // 200)
        pid = f"C{j + 1}"
        points.append(
            CollectionPoint(
                id=pid,
                name=f"customer {j + 1}",
                lat=lat,
                lon=lon,
                supplies=(Supply("RAW", d, 0.0),),
            )
        )
        per_t = inst.cost[:, j] / d
        distances.extend(
            DistanceOverride(pid, f"W{i + 1}", cost_cny_per_t=float(per_t[i])) for i in range(inst.m)
        )
    total = float(inst.demand.sum())
    sink = Smelter(
        id="SINK",
        name="sink",
        lat=_ORIGIN_LAT - _STEP_DEG,
        lon=_ORIGIN_LON,
        capacity_t_per_year=total,
        accepted_grade_ids=("OUT",),
    )
    params = Parameters(
        transport_cost_cny_per_t_km=0.0,
        circuity_factor=1.0,
        co2_kg_per_t_km=0.0,
        carbon_price_cny_per_t_co2=0.0,
        target_utilization=1.0,
    )
    return Network(
        name=inst.name,
        grades=(RAW, OUT),
        collection_points=tuple(points),
        sites=sites,
        smelters=(sink,),
        parameters=params,
        distances=tuple(distances),
    )


# === synthetic national-scale networks ==================================================================

#: Six grades like the national sample's (copper content, smelter price coefficient or None = pays
#: for contained copper, share of a point's tonnes). Generated, not measured: they exist to give the
#: MILP the structure of a real network (direct grades, grades that need dismantling, sorting upgrades).
_GRADES = (
    Grade("BB", "Bare bright wire", "光亮铜", 0.99, 0.985),
    Grade("NO1", "No.1 copper", "1号铜", 0.97, 0.965),
    Grade("NO2", "No.2 copper", "2号铜", 0.95, 0.945),
    Grade("INS", "Insulated copper wire", "带皮铜线", 0.60, 0.55),
    Grade("MOT", "Whole electric motors", "废电机", 0.10, None),
    Grade("EW", "Printed circuit boards", "废线路板", 0.15, 0.12),
)
_MIX = (0.15, 0.20, 0.25, 0.20, 0.15, 0.05)
_FIXED_PRICE = {"MOT": 5_800.0, "EW": 7_000.0}

#: Dismantling turns low grades into direct-use grades (copper conserved or lost, never created).
_DISMANTLING_YIELDS = (
    YieldEntry("INS", "BB", 0.45),
    YieldEntry("INS", "NO2", 0.15),
    YieldEntry("MOT", "NO2", 0.10),
    YieldEntry("EW", "NO2", 0.12),
)
#: Sorting upgrades part of a lot to the next richer grade.
_SORTING_YIELDS = (
    YieldEntry("NO2", "NO1", 0.40),
    YieldEntry("NO2", "NO2", 0.59),
    YieldEntry("NO1", "BB", 0.35),
    YieldEntry("NO1", "NO1", 0.6425),
    YieldEntry("INS", "INS", 0.99),
)

#: Mainland China, roughly: points are drawn around cluster centres in this box.
_LAT_RANGE, _LON_RANGE = (22.0, 41.0), (102.0, 122.0)


def _grade_table(n_grades: int) -> tuple[Grade, ...]:
    if not 2 <= n_grades <= len(_GRADES):
        raise ValueError(f"synthetic networks have 2 to {len(_GRADES)} grades, got {n_grades}")
    # keep the direct grades first so any G >= 2 has something a smelter buys and something to dismantle
    order = (0, 3, 2, 4, 1, 5)
    keep = sorted(order[:n_grades])
    return tuple(_GRADES[k] for k in keep)


def _jitter(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    r = km * math.sqrt(rng.random())
    a = rng.uniform(0.0, 2.0 * math.pi)
    return (
        round(lat + r * math.cos(a) / 111.0, 5),
        round(lon + r * math.sin(a) / (111.0 * math.cos(math.radians(lat))), 5),
    )


def synthetic_network(
    n_points: int,
    n_candidates: int,
    n_grades: int = 6,
    *,
    seed: int = 1,
    n_smelters: int | None = None,
    max_haul_km_collection: float | None = 400.0,
) -> Network:
    """A deterministic national-scale network: ``n_points`` yards, ``n_candidates`` candidate sites.

    Points cluster around about ``n_points / 40`` cities spread over mainland China, each supplies a
    random subset of the grades (lognormal tonnes); candidates are half dismantling sites, half sorting
    centers, near cities, with a small and a large module (fixed cost by the six-tenths rule) sized so
    that roughly a third of them must open; about 5 % of them already exist. Smelters (``n_points /
    250``, at least 4, at most 20) are refiners (accept every direct grade and insulated wire, minimum
    content 0.80) and fabricators (direct grades only, minimum 0.96). Collection arcs are limited to
    ``max_haul_km_collection`` (``None``: no limit), as a planner would for truck haulage.

    The same arguments always give the same network.
    """
    rng = random.Random(seed)
    grades = _grade_table(n_grades)
    order = [g.id for g in grades]  # a list, not a set: set order changes with the hash seed
    gids = set(order)
    mix = {g.id: _MIX[_GRADES.index(g)] for g in grades}
    n_cities = max(5, n_points // 40)
    cities = [
        (rng.uniform(*_LAT_RANGE), rng.uniform(*_LON_RANGE), rng.choice((1, 1, 2, 2, 3, 5)))
        for _ in range(n_cities)
    ]
    weights = [w for _, _, w in cities]
    copper_price = 75_000.0
    points: list[CollectionPoint] = []
    for k in range(n_points):
        clat, clon, w = rng.choices(cities, weights)[0]
        lat, lon = _jitter(rng, clat, clon, 40.0)
        total = 400.0 * w * rng.lognormvariate(0.0, 0.5)
        chosen = [g for g in order if rng.random() < 0.6] or [rng.choice(order)]
        share = sum(mix[g] for g in chosen)
        buyback = round(rng.uniform(0.90, 0.95), 3)
        supplies = tuple(
            Supply(g, round(total * mix[g] / share, 1), _FIXED_PRICE.get(g))
            for g in chosen
            if total * mix[g] / share >= 0.1
        ) or (Supply(chosen[0], round(total, 1), _FIXED_PRICE.get(chosen[0])),)
        points.append(
            CollectionPoint(
                id=f"CP{k + 1:05d}",
                name=f"yard {k + 1}",
                lat=lat,
                lon=lon,
                province=f"R{int((lat - 22) // 4)}{int((lon - 102) // 5)}",
                supplies=supplies,
                buyback_coefficient=buyback,
            )
        )
    supply = {g.id: 0.0 for g in grades}
    for cp in points:
        for s in cp.supplies:
            supply[s.grade_id] += s.supply_t_per_year
    dismantled = sum(t for g, t in supply.items() if g in ("INS", "MOT", "EW"))
    sorted_t = sum(t for g, t in supply.items() if g in ("NO1", "NO2"))
    n_ds = n_candidates // 2
    n_sc = n_candidates - n_ds
    sites: list[ProcessingSite] = []
    for kind, count, throughput, prefix in (
        (SiteKind.DISMANTLING, n_ds, dismantled, "DS"),
        (SiteKind.SORTING, n_sc, sorted_t, "SC"),
    ):
        yields = tuple(
            y
            for y in (_DISMANTLING_YIELDS if kind is SiteKind.DISMANTLING else _SORTING_YIELDS)
            if y.input_grade_id in gids and y.output_grade_id in gids
        )
        if not yields or count == 0:
            continue
        # a third of the sites at the small module would carry all of it
        small = max(1_000.0, round(throughput / max(count / 3.0, 1.0), -2))
        unit = 150.0 if kind is SiteKind.DISMANTLING else 120.0
        for i in range(count):
            clat, clon, _ = rng.choices(cities, weights)[0]
            lat, lon = _jitter(rng, clat, clon, 20.0)
            factor = rng.uniform(0.8, 1.25)
            modules = tuple(
                CapacityModule(
                    f"{prefix}{size:g}",
                    round(small * size, -2),
                    round(factor * 2_500_000.0 * (small * size / 20_000.0) ** 0.6, -3),
                )
                for size in (1.0, 2.5)
            )
            sites.append(
                ProcessingSite(
                    id=f"{prefix}{i + 1:03d}",
                    name=f"{kind} {i + 1}",
                    kind=kind,
                    lat=lat,
                    lon=lon,
                    province=f"R{int((lat - 22) // 4)}{int((lon - 102) // 5)}",
                    status=SiteStatus.EXISTING if rng.random() < 0.05 else SiteStatus.CANDIDATE,
                    modules=modules,
                    variable_cost_cny_per_t=unit,
                    co2_kg_per_t=15.0 if kind is SiteKind.DISMANTLING else 6.0,
                    yields=yields,
                )
            )
    direct = tuple(g.id for g in grades if g.copper_content >= 0.9)
    refiner = direct + (("INS",) if "INS" in gids else ())
    total_t = sum(supply.values())
    n_sm = n_smelters if n_smelters is not None else min(20, max(4, n_points // 250))
    smelters: list[Smelter] = []
    for m in range(n_sm):
        clat, clon, _ = rng.choices(cities, weights)[0]
        lat, lon = _jitter(rng, clat, clon, 10.0)
        is_refiner = m % 2 == 0
        smelters.append(
            Smelter(
                id=f"SM{m + 1:02d}",
                name=f"{'refiner' if is_refiner else 'fabricator'} {m + 1}",
                lat=lat,
                lon=lon,
                # together they take about 80 % of all scrap tonnes: smelter capacity binds
                capacity_t_per_year=round(0.8 * total_t / n_sm * rng.uniform(0.6, 1.4), -2),
                accepted_grade_ids=refiner if is_refiner else direct,
                min_copper_content=0.80 if is_refiner else 0.96,
                price_cny_per_t_cu=73_300.0 if is_refiner else None,
            )
        )
    params = Parameters(
        copper_price_cny_per_t=copper_price,
        max_haul_km_collection=max_haul_km_collection,
    )
    return Network(
        name=f"synthetic {n_points} x {n_candidates} x {len(grades)} (seed {seed})",
        grades=grades,
        collection_points=tuple(points),
        sites=tuple(sites),
        smelters=tuple(smelters),
        parameters=params,
    )
