"""Tiny networks whose optimal plans can be worked out by hand (the arithmetic is in each docstring).

Every arc the model may use has a road distance override, transport costs 1 CNY/t-km and emissions are
zero unless a test says otherwise, so each objective value is a short sum.
"""

from __future__ import annotations

import dataclasses
import random

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


def one_yard_two_centers(
    s1_status: SiteStatus = SiteStatus.CANDIDATE,
    s2_status: SiteStatus = SiteStatus.CANDIDATE,
    s2_modules: tuple[CapacityModule, ...] = (CapacityModule("M200", 200.0, 2_000.0),),
    smelter_capacity_t: float = 1_000.0,
    **parameters: object,
) -> Network:
    """One yard P1 (100 t of grade A, 50 % Cu, bought at 100 CNY/t), sorting centers S1 and S2, smelter M1.

    Per tonne through S1: transport 10 + 20 km = 30, processing 10, purchase 100 -> 140 CNY; fixed 4,900.
    Per tonne through S2: transport 45 + 20 km = 65, processing 10, purchase 100 -> 175 CNY; fixed 2,000.
    Revenue: 1,000 CNY/t Cu x 0.5 = 500 CNY per tonne delivered. The direct arc P1 -> M1 (100 km) is
    beyond the 50 km collection haul limit.

    * profit: S1 = 100 x (500 - 140) - 4,900 = 31,100; S2 = 100 x (500 - 175) - 2,000 = 30,500 -> S1.
    * cost at 60 % (60 t): S1 = 60 x 140 + 4,900 = 13,300; S2 = 60 x 175 + 2,000 = 12,500 -> S2.
    """
    grades = (Grade("A", "grade A", "A级", 0.5),)
    points = (CollectionPoint("P1", "yard 1", 30.0, 120.0, "Zhejiang", (Supply("A", 100.0, 100.0),)),)
    sites = (
        ProcessingSite(
            "S1",
            "center 1",
            SiteKind.SORTING,
            30.1,
            120.0,
            "Zhejiang",
            s1_status,
            (CapacityModule("M200", 200.0, 4_900.0),),
            10.0,
            0.0,
            (YieldEntry("A", "A", 1.0),),
        ),
        ProcessingSite(
            "S2",
            "center 2",
            SiteKind.SORTING,
            30.4,
            120.0,
            "Jiangsu",
            s2_status,
            s2_modules,
            10.0,
            0.0,
            (YieldEntry("A", "A", 1.0),),
        ),
    )
    smelters = (Smelter("M1", "smelter", 31.0, 120.0, "Anhui", smelter_capacity_t, ("A",), 0.0),)
    distances = (
        DistanceOverride("P1", "S1", 10.0),
        DistanceOverride("P1", "S2", 45.0),
        DistanceOverride("S1", "M1", 20.0),
        DistanceOverride("S2", "M1", 20.0),
        DistanceOverride("P1", "M1", 100.0),
    )
    params = dict(
        copper_price_cny_per_t=1_000.0,
        transport_cost_cny_per_t_km=1.0,
        co2_kg_per_t_km=0.0,
        max_haul_km_collection=50.0,
    )
    params.update(parameters)
    return Network("one yard", grades, points, sites, smelters, (), Parameters(**params), distances)  # type: ignore[arg-type]


def blend_network() -> Network:
    """One yard with 100 t of H (95 % Cu) and 100 t of L (60 % Cu), free to buy and to carry.

    Smelter M1 takes both but needs a blend of at least 80 % Cu: 0.15 H >= 0.20 L, so L <= 75 t.
    Smelter M2 takes only H, pays 1,100 instead of 1,000 CNY/t Cu, and has room for 50 t.
    Profit with h2 t of H sent to M2: 1,045 h2 + 950 (100 - h2) + 600 x 0.75 (100 - h2)
    = 140,000 - 355 h2, so h2 = 0: all H and 75 t of L to M1, profit 140,000.
    """
    grades = (Grade("H", "high", "高", 0.95), Grade("L", "low", "低", 0.60))
    points = (
        CollectionPoint(
            "P1", "yard", 30.0, 120.0, "Zhejiang", (Supply("H", 100.0, 0.0), Supply("L", 100.0, 0.0))
        ),
    )
    smelters = (
        Smelter("M1", "blender", 30.2, 120.0, "Zhejiang", 1_000.0, ("H", "L"), 0.80),
        Smelter("M2", "picky", 30.3, 120.0, "Zhejiang", 50.0, ("H",), 0.0, 1_100.0),
    )
    params = Parameters(copper_price_cny_per_t=1_000.0, transport_cost_cny_per_t_km=0.0, co2_kg_per_t_km=0.0)
    return Network("blend", grades, points, (), smelters, (), params)


def dismantling_chain() -> Network:
    """Motors through a dismantling site and a sorting center, to show yields and residue.

    P1 sells 1,000 t of motors MO (10 % Cu). D1 turns 1 t MO into 0.1 t of No.2 copper N2 (90 % Cu); the
    other 0.9 t (1 t Cu in 10 t MO less 0.9 t Cu in N2 = 0.01 t Cu per t) is residue. S1 passes N2
    through at 0.95 (5 % loss). M1 buys N2. Copper: supply 100 t Cu; delivered 1,000 x 0.1 x 0.95 x 0.9
    = 85.5 t Cu; residue at D1 1,000 - 100 = 900 t (10 t Cu); at S1 5 t (4.5 t Cu).
    """
    grades = (Grade("MO", "motors", "电机", 0.10), Grade("N2", "No.2 copper", "2号铜", 0.90))
    points = (CollectionPoint("P1", "yard", 30.0, 120.0, "Zhejiang", (Supply("MO", 1_000.0, 0.0),)),)
    sites = (
        ProcessingSite(
            "D1",
            "dismantler",
            SiteKind.DISMANTLING,
            30.1,
            120.0,
            "Zhejiang",
            SiteStatus.EXISTING,
            (CapacityModule("M", 2_000.0, 0.0),),
            0.0,
            0.0,
            (YieldEntry("MO", "N2", 0.1),),
        ),
        ProcessingSite(
            "S1",
            "sorter",
            SiteKind.SORTING,
            30.2,
            120.0,
            "Zhejiang",
            SiteStatus.EXISTING,
            (CapacityModule("M", 2_000.0, 0.0),),
            0.0,
            0.0,
            (YieldEntry("N2", "N2", 0.95),),
        ),
    )
    smelters = (Smelter("M1", "smelter", 30.3, 120.0, "Zhejiang", 10_000.0, ("N2",), 0.0),)
    params = Parameters(
        copper_price_cny_per_t=1_000.0,
        transport_cost_cny_per_t_km=0.0,
        co2_kg_per_t_km=0.0,
        max_haul_km_delivery=15.0,  # D1 -> M1 is about 29 km: N2 must go through S1
    )
    return Network("chain", grades, points, sites, smelters, (), params)


def random_network(
    seed: int,
    n_points: int = 8,
    n_sites: int = 4,
    n_grades: int = 3,
    n_smelters: int = 2,
    spread_deg: float = 1.0,
) -> Network:
    """A random but physically consistent network (yields never make copper), for property tests."""
    rng = random.Random(seed)
    contents = sorted((rng.uniform(0.05, 0.99) for _ in range(n_grades)), reverse=True)
    grades = tuple(Grade(f"G{k}", f"grade {k}", f"等级{k}", round(c, 3)) for k, c in enumerate(contents))

    def place() -> tuple[float, float]:
        return 30.0 + rng.uniform(0, spread_deg), 118.0 + rng.uniform(0, spread_deg)

    provinces = ("Zhejiang", "Jiangsu", "Anhui")
    points = []
    for i in range(n_points):
        lat, lon = place()
        supplies = tuple(
            Supply(g.id, float(rng.randint(10, 500)), float(rng.randint(0, 30_000)) * g.copper_content)
            for g in grades
            if rng.random() < 0.7
        ) or (Supply(grades[-1].id, 100.0, 0.0),)
        points.append(CollectionPoint(f"P{i}", f"yard {i}", lat, lon, provinces[i % 3], supplies))
    sites = []
    for j in range(n_sites):
        lat, lon = place()
        kind = SiteKind.DISMANTLING if j % 2 == 0 else SiteKind.SORTING
        status = rng.choice(
            [SiteStatus.CANDIDATE, SiteStatus.CANDIDATE, SiteStatus.EXISTING, SiteStatus.CLOSED]
        )
        modules = tuple(
            CapacityModule(f"M{k}", float(rng.randint(200, 3_000)), float(rng.randint(0, 400_000)))
            for k in range(rng.randint(1, 3))
        )
        yields = []
        for a, g in enumerate(grades):
            if rng.random() < 0.6:
                # upgrade into a richer grade (or keep the grade) while losing some copper
                out = grades[rng.randint(0, a)]
                fraction = rng.uniform(0.3, 1.0) * g.copper_content / out.copper_content
                yields.append(YieldEntry(g.id, out.id, round(min(fraction, 1.0), 4)))
        if not yields:
            yields.append(YieldEntry(grades[-1].id, grades[-1].id, 0.9))
        sites.append(
            ProcessingSite(
                f"S{j}",
                f"site {j}",
                kind,
                lat,
                lon,
                provinces[j % 3],
                status,
                modules,
                float(rng.randint(0, 300)),
                float(rng.randint(0, 20)),
                tuple(yields),
            )
        )
    smelters = []
    for m in range(n_smelters):
        lat, lon = place()
        accepted = tuple(g.id for g in grades if rng.random() < 0.7) or (grades[0].id,)
        smelters.append(
            Smelter(
                f"M{m}",
                f"smelter {m}",
                lat,
                lon,
                provinces[m % 3],
                float(rng.randint(500, 5_000)),
                accepted,
                round(rng.choice([0.0, 0.0, 0.5, 0.8]), 2),
            )
        )
    params = Parameters(
        copper_price_cny_per_t=70_000.0,
        transport_cost_cny_per_t_km=0.5,
        co2_kg_per_t_km=0.07,
        carbon_price_cny_per_t_co2=rng.choice([0.0, 80.0]),
        max_haul_km_collection=rng.choice([None, 120.0]),
    )
    return Network(f"random {seed}", grades, tuple(points), tuple(sites), tuple(smelters), (), params)


def three_small_centers(max_new_sites: int) -> Network:
    """The one-yard network with three candidate centers of 34 t each and a limit on new sites.

    Collecting all 100 t needs all three centers. With a limit of 2 the cheapest relaxation is one more
    site (1/2 of the limit) rather than 32 t more capacity (32/34 of a module).
    """
    base = one_yard_two_centers(max_new_sites=max_new_sites)
    small = (CapacityModule("M34", 34.0, 1_000.0),)
    s3 = ProcessingSite(
        "S3",
        "center 3",
        SiteKind.SORTING,
        30.5,
        120.0,
        "Jiangsu",
        SiteStatus.CANDIDATE,
        small,
        10.0,
        0.0,
        (YieldEntry("A", "A", 1.0),),
    )
    sites = (*(dataclasses.replace(s, modules=small) for s in base.sites), s3)
    distances = (*base.distances, DistanceOverride("P1", "S3", 30.0), DistanceOverride("S3", "M1", 20.0))
    return base.replace(sites=sites, distances=distances)


def random_cflp(n_facilities: int, n_customers: int, capacity_ratio: float, seed: int = 5) -> Network:
    """A random capacitated facility-location instance as a network (hard enough to take seconds).

    Customers are collection points whose whole supply must be collected (target utilization 1), the
    facilities candidate sorting centers with one module each; the allocation cost of customer j at
    facility i (demand x Euclidean distance x 100) reaches the model as a per-tonne cost override.
    """
    rng = random.Random(seed)
    facilities = [(rng.random(), rng.random()) for _ in range(n_facilities)]
    customers = [(rng.random(), rng.random()) for _ in range(n_customers)]
    demand = [float(rng.randint(5, 35)) for _ in range(n_customers)]
    capacity = sum(demand) * capacity_ratio / n_facilities
    points = tuple(
        CollectionPoint(f"C{j}", f"customer {j}", 0.0, 0.0, supplies=(Supply("G", d, 0.0),))
        for j, d in enumerate(demand)
    )
    sites = tuple(
        ProcessingSite(
            f"W{i}",
            f"facility {i}",
            SiteKind.SORTING,
            0.0,
            0.0,
            status=SiteStatus.CANDIDATE,
            modules=(CapacityModule("M", capacity, rng.uniform(0.8, 1.2) * 30.0 * capacity),),
            yields=(YieldEntry("G", "G", 1.0),),
        )
        for i in range(n_facilities)
    )
    sink = Smelter("X", "sink", 60.0, 100.0, capacity_t_per_year=sum(demand), accepted_grade_ids=("G",))
    distances = tuple(
        DistanceOverride(f"C{j}", f"W{i}", 0.0, 100.0 * ((cx - fx) ** 2 + (cy - fy) ** 2) ** 0.5)
        for j, (cx, cy) in enumerate(customers)
        for i, (fx, fy) in enumerate(facilities)
    )
    params = Parameters(
        transport_cost_cny_per_t_km=0.0,
        co2_kg_per_t_km=0.0,
        max_haul_km_collection=1.0,
        target_utilization=1.0,
    )
    grades = (Grade("G", "scrap", "废料", 1.0),)
    return Network("random cflp", grades, points, sites, (sink,), (), params, distances)
