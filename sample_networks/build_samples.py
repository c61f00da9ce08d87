"""Build CopperLoop's three sample networks and write them as English workbooks.

Run ``python sample_networks/build_samples.py`` from the repository root to regenerate
``teaching.xlsx``, ``yangtze_delta.xlsx`` and ``china_national.xlsx`` next to this file. The networks
are built as :class:`optimizer.model.Network` objects (the one domain model) and written with the one
Excel writer, so a sample can never drift from the schema. Everything is deterministic: the random
parts use fixed seeds and every number is rounded, so a rebuild gives the same networks.

Where the numbers come from is explained in ``sample_networks/README.md`` (sources by the tags of
``domain-research.md`` section 3; everything else is marked as an estimate there).
"""

from __future__ import annotations

import csv
import dataclasses
import math
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    DistanceOverride,
    Grade,
    Network,
    Parameters,
    Period,
    PriceBasis,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    SupplyGrowth,
    VehicleType,
    YieldEntry,
)

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"

# --- money --------------------------------------------------------------------------------------------

#: Fixed costs are annualised capex (equal annual payments over ``ANNUITY_YEARS`` at ``DISCOUNT_RATE``)
#: plus fixed opex. Both are estimates a planner would use for a pre-feasibility study.
DISCOUNT_RATE = 0.06
ANNUITY_YEARS = 10

#: Copper price (CNY per t of cathode) of every sample: middle of the 70,000-80,000 range of section 3.7.
COPPER_PRICE = 75_000.0

#: Smelters that refine scrap pay less for its copper than a fabricator that remelts it directly: the
#: refining charge (estimate: about 2.3 % of the copper price), deducted from the copper price of the day.
#: Their prices are linked, so a copper-price scenario moves them with the purchase prices.
REFINING_CHARGE = 1_700.0
#: The secondary smelters and the two largest refineries deduct less (estimate).
SMALL_REFINING_CHARGE = 1_000.0


def linked_price(discount_cny_per_t_cu: float) -> dict[str, Any]:
    """A buyer's price terms: the network copper price minus ``discount_cny_per_t_cu``."""
    return {"price_basis": PriceBasis.LINKED, "price_discount_cny_per_t_cu": discount_cny_per_t_cu}


def annuity_factor(rate: float = DISCOUNT_RATE, years: int = ANNUITY_YEARS) -> float:
    """Annual payment per CNY of capex: r / (1 - (1 + r)^-n); 0.13587 for 6 % over 10 years."""
    return rate / (1.0 - (1.0 + rate) ** -years)


def annual_fixed_cost(capex_cny: float, fixed_opex_cny_per_year: float) -> float:
    """Annualised capex plus fixed opex, rounded to 10,000 CNY as a planner would quote it."""
    return round((capex_cny * annuity_factor() + fixed_opex_cny_per_year) / 1e4) * 1e4


def six_tenths(anchor_capacity: float, anchor_cost: float, capacity: float) -> float:
    """Cost of a plant of ``capacity`` scaled from an anchor plant by the six-tenths rule."""
    return anchor_cost * (capacity / anchor_capacity) ** 0.6


#: Dismantling lines (kt/yr -> capex, fixed opex in CNY). Section 3.7 gives fixed costs of 2 / 4 / 7 M
#: CNY/yr for 20 / 50 / 100 kt; this split into capex and opex reproduces them (estimate).
DISMANTLING_ANCHORS = {20: (8.0e6, 0.9e6), 50: (17.0e6, 1.7e6), 100: (30.0e6, 2.9e6)}

#: Sorting centres: capex 20 / 50 / 135 M CNY for 30 / 100 / 220 kt/yr ([rc-sort][sx-sort] via section
#: 3.7); fixed opex 5 M CNY/yr for 100 kt (middle of section 3.6's 3-8 M estimate), six-tenths for the
#: other sizes.
SORTING_ANCHORS = {
    30: (20.0e6, six_tenths(100, 5.0e6, 30)),
    100: (50.0e6, 5.0e6),
    220: (135.0e6, six_tenths(100, 5.0e6, 220)),
}


def module(kind: SiteKind, capacity_kt: float, cost_factor: float = 1.0) -> CapacityModule:
    """A capacity module of ``capacity_kt`` kt/yr with its annualised fixed cost.

    Sizes in the anchor tables use their anchors; smaller sizes (the teaching network's 5 and 10 kt
    lines) scale from the smallest anchor by the six-tenths rule. ``cost_factor`` raises or lowers
    both capex and opex (dear land in a city centre).
    """
    anchors = DISMANTLING_ANCHORS if kind is SiteKind.DISMANTLING else SORTING_ANCHORS
    if capacity_kt in anchors:
        capex, opex = anchors[capacity_kt]
    else:
        base = min(anchors)
        capex = six_tenths(base, anchors[base][0], capacity_kt)
        opex = six_tenths(base, anchors[base][1], capacity_kt)
    prefix = "D" if kind is SiteKind.DISMANTLING else "S"
    per_kt, base_jobs = JOBS_PER_KT[kind]
    return CapacityModule(
        id=f"{prefix}{capacity_kt:g}",
        capacity_t_per_year=capacity_kt * 1000.0,
        fixed_cost_cny_per_year=annual_fixed_cost(capex * cost_factor, opex * cost_factor),
        capex_cny=round(capex * cost_factor / 1e4) * 1e4,
        fixed_opex_cny_per_year=round(opex * cost_factor / 1e4) * 1e4,
        economic_life_years=float(ANNUITY_YEARS),
        jobs=round(base_jobs + per_kt * capacity_kt),
    )


#: Jobs per module: a base crew plus jobs per kt/yr (estimates: sorting after the Shanxi centre's ~30
#: jobs at 220 kt/yr and Chongqing's ~200 with trading [sx-sort][cq-sort]; manual dismantling needs about
#: one person per kt/yr).
JOBS_PER_KT = {SiteKind.SORTING: (0.2, 10.0), SiteKind.DISMANTLING: (1.0, 10.0)}

#: The plan years of every sample (the 2025-2027 Copper Industry Plan period and three years beyond).
PERIOD_YEARS = tuple(range(2025, 2031))
#: Scrap supply growth per year (estimate between +1.5 % for domestic scrap copper in H1 2025 [cnia24]
#: and the 7.2 %/yr average growth of recycled non-ferrous metals 2021-2024 [greek]). Supply on the
#: Supply sheet is the planning year's, so that year has factor 1 and plans exactly as a single year.
SUPPLY_GROWTH = 0.05


def sample_periods(
    planning_year: int,
    budgets: dict[int, float] | None = None,
    targets: dict[int, float] | None = None,
) -> tuple[Period, ...]:
    """Periods 2025-2030: supply growing by :data:`SUPPLY_GROWTH` from the planning year, the copper
    price of the Parameters (flat in real terms, an estimate), optional capital budgets and targets."""
    return tuple(
        Period(
            year,
            supply_factor=round((1.0 + SUPPLY_GROWTH) ** (year - planning_year), 4),
            capital_budget_cny=(budgets or {}).get(year),
            target_utilization=(targets or {}).get(year),
        )
        for year in PERIOD_YEARS
    )


#: Extra yearly growth of the grades that come from end-of-life products (whole motors, circuit boards)
#: after the planning year, on top of :data:`SUPPLY_GROWTH`: an **estimate**, since only about 20 % of
#: the 4.5 Mt of household appliances recovered in 2023 went through formal dismantling [weee-23] and
#: that share is expected to rise.
END_OF_LIFE_GROWTH = 0.03
END_OF_LIFE_GRADES = ("MOT", "EW")
#: Extra yearly growth of Anhui's supply in the Yangtze network after the planning year (an
#: **estimate**: an inland province catching up with the coast).
ANHUI_GROWTH = 0.02


def sample_growth(planning_year: int, provinces: dict[str, float] | None = None) -> tuple[SupplyGrowth, ...]:
    """Growth rows for the years after the planning year (so the planning year's plan is unchanged):
    the end-of-life grades grow :data:`END_OF_LIFE_GROWTH` a year faster everywhere; each province of
    ``provinces`` its own rate faster, and the end-of-life grades there both (the most specific row
    counts, so that row holds the product of the two)."""
    rows: list[SupplyGrowth] = []
    for year in PERIOD_YEARS:
        k = year - planning_year
        if k <= 0:
            continue
        eol = round((1.0 + END_OF_LIFE_GROWTH) ** k, 4)
        rows += [SupplyGrowth(year, grade_id, "", eol) for grade_id in END_OF_LIFE_GRADES]
        for province, rate in (provinces or {}).items():
            local = (1.0 + rate) ** k
            rows.append(SupplyGrowth(year, "", province, round(local, 4)))
            both = round(local * eol, 4)
            rows += [SupplyGrowth(year, grade_id, province, both) for grade_id in END_OF_LIFE_GRADES]
    return tuple(rows)


# --- grades and what sites do to them ------------------------------------------------------------------

BB = Grade("BB", "Bare bright wire", "光亮铜", 0.99, 0.985)
NO1 = Grade("NO1", "No.1 copper", "1号铜", 0.97, 0.965)
NO2 = Grade("NO2", "No.2 copper", "2号铜", 0.95, 0.945)
INS = Grade("INS", "Insulated copper wire", "带皮铜线", 0.60, 0.55)
MOT = Grade("MOT", "Whole electric motors", "废电机", 0.10, None)
EW = Grade("EW", "Printed circuit boards", "废线路板", 0.15, 0.12)

TEACHING_GRADES = (BB, NO2, INS, MOT)
SIX_GRADES = (BB, NO1, NO2, INS, MOT, EW)

#: Supply mix of section 3.7 (estimate): share of a collection point's tonnes per grade.
SIX_GRADE_MIX = {"BB": 0.15, "NO1": 0.20, "NO2": 0.25, "INS": 0.20, "MOT": 0.15, "EW": 0.05}

#: Scrap a dealer sells at a price per tonne rather than by contained copper: whole motors and circuit
#: boards. The network credits only their copper (not the steel or precious metals), so these are the
#: prices the copper side of the deal can carry after the work of freeing it (estimate, CNY per t of
#: scrap at a buy-back coefficient of 0.93).
FIXED_PRICE_CNY_PER_T = {"MOT": 5_800.0, "EW": 7_000.0}

#: Dismantling: cable stripping/granulation turns insulated wire into bare bright granules and some
#: No.2 (0.588 t Cu out of 0.600 in: 98 % recovery, within the 88-98 % of [rt-es]); motors give 10 %
#: No.2 copper, the rest is steel and other residue ([motors]; 10 % +- 3 % is an estimate).
DISMANTLING_YIELDS = (
    YieldEntry("INS", "BB", 0.45),
    YieldEntry("INS", "NO2", 0.15),
    YieldEntry("MOT", "NO2", 0.10),
)

#: Sorting (teaching, four grades): hand-picking bright wire out of No.2 lots. Copper is conserved
#: (0.30 x 0.99 + 0.687 x 0.95 = 0.950); 1.3 % residue (estimate after section 3.2's split).
TEACHING_SORTING_YIELDS = (
    YieldEntry("NO2", "BB", 0.30),
    YieldEntry("NO2", "NO2", 0.687),
)

#: Sorting (six grades): No.2 lots give some No.1, No.1 lots give some bare bright; no copper is
#: created (0.40 x 0.97 + 0.59 x 0.95 = 0.949 <= 0.95; 0.35 x 0.99 + 0.6425 x 0.97 = 0.970 <= 0.97).
SIX_GRADE_SORTING_YIELDS = (
    YieldEntry("NO2", "NO1", 0.40),
    YieldEntry("NO2", "NO2", 0.59),
    YieldEntry("NO1", "BB", 0.35),
    YieldEntry("NO1", "NO1", 0.6425),
)

#: Processing emissions (estimate): power for shredders, granulators and balers at about 0.58 kg CO2
#: per kWh of grid electricity.
DISMANTLING_CO2_KG_PER_T = 15.0
SORTING_CO2_KG_PER_T = 6.0

#: Variable processing cost (CNY per t in): 150 for dismantling (section 3.7), 120 for sorting (inside
#: the 80-200 of section 3.6); both estimates.
DISMANTLING_VARIABLE_CNY_PER_T = 150.0
SORTING_VARIABLE_CNY_PER_T = 120.0

# --- trucks (payloads from section 3.5; costs and consumption are estimates) ------------------------

#: Diesel at 7.5 CNY/L and 2.63 kg CO2/L ([defra]); per-km cost = fuel + tolls and upkeep; per-day cost
#: = driver + depreciation and insurance.
TRICYCLE = VehicleType("TRI", "Electric tricycle 0.4 t", 0.4, 160.0, 0.15, 20.0, 8.0, 4, 0.03)
LIGHT_TRUCK = VehicleType("LT", "Light truck 4.2 m, 2.5 t", 2.5, 380.0, 1.3, 45.0, 10.0, 2, 0.29)
TWO_AXLE = VehicleType("T9", "2-axle truck, 9 t", 9.0, 650.0, 2.4, 50.0, 10.0, 1, 0.61)
SIX_AXLE = VehicleType("T32", "6-axle rig, 32 t", 32.0, 1_500.0, 5.5, 60.0, 11.0, 1, 1.00)

#: A carrier's 30 t truck hired per full-truckload haul, for the shares a yard ships straight to a
#: smelter (smelters keep no collection trucks): 600 CNY a trip plus 12 CNY per loaded km, both
#: estimates (benchmarks/routes_loop.py measures the design-routing loop with it).
CARRIER = VehicleType(
    "CARRIER30",
    "Carrier 30 t",
    30.0,
    0.0,
    12.0,
    speed_km_per_h=60.0,
    max_shift_h=11.0,
    co2_kg_per_km=1.0,
    carrier_cny_per_trip=600.0,
)

#: A collection point is visited often enough that one visit's load fits a truck at 90 %.
LOAD_FACTOR = 0.9


def visits_per_week(total_t_per_year: float, payload_t: float, params: Parameters) -> int:
    """Visits per week so that one visit's load is at most ``LOAD_FACTOR`` of ``payload_t``."""
    weekly = total_t_per_year / params.weeks_per_year
    return max(1, min(params.working_days_per_week, math.ceil(weekly / (LOAD_FACTOR * payload_t))))


# --- places ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """A city or town from ``data/cities.csv`` or ``data/towns.csv``.

    ``weight`` (1-5) is how much scrap the place generates relative to others (estimate: 5 for the
    known clusters of section 3.4, 4 for the largest manufacturing cities, 1 for remote prefectures).
    """

    name_en: str
    name_zh: str
    province: str
    lat: float
    lon: float
    weight: int


def read_places(filename: str) -> list[Place]:
    with (DATA / filename).open(encoding="utf-8", newline="") as f:
        return [
            Place(
                r["name_en"], r["name_zh"], r["province"], float(r["lat"]), float(r["lon"]), int(r["weight"])
            )
            for r in csv.DictReader(f)
        ]


def place_named(places: Iterable[Place], name_en: str) -> Place:
    for p in places:
        if p.name_en == name_en:
            return p
    raise KeyError(name_en)


def jitter(rng: random.Random, lat: float, lon: float, max_km: float) -> tuple[float, float]:
    """A point up to ``max_km`` from (lat, lon) in a random direction, rounded to about 100 m."""
    distance = max_km * math.sqrt(rng.random())
    bearing = rng.uniform(0.0, 2.0 * math.pi)
    dlat = distance * math.cos(bearing) / 111.2
    dlon = distance * math.sin(bearing) / (111.2 * math.cos(math.radians(lat)))
    return round(lat + dlat, 3), round(lon + dlon, 3)


def yard_name(place: Place, k: int) -> str:
    return f"{place.name_en} yard {k} ({place.name_zh}{k}号回收站)"


# --- supply ------------------------------------------------------------------------------------------


def round_to(x: float, step: float) -> float:
    return float(round(x / step) * step)


def buyback_for(weight: int) -> float:
    """Dealers in busy clusters sell dearer (competition); remote ones cheaper (estimate)."""
    return round(0.93 + 0.005 * (weight - 3), 3)


def fixed_price_supply(grade_id: str, tonnes: float, buyback: float) -> Supply:
    """Supply of a grade that sells at a fixed price per tonne (motors, boards), scaled by the buy-back."""
    base = FIXED_PRICE_CNY_PER_T.get(grade_id)
    price = None if base is None else round_to(base * buyback / 0.93, 10.0)
    return Supply(grade_id, tonnes, price)


def random_supplies(
    rng: random.Random, total_t: float, mix: dict[str, float], buyback: float, *, cap_t: float
) -> tuple[Supply, ...]:
    """Per-grade supply around ``mix`` x ``total_t``, each 50-2,000 t/yr (section 3.7), in steps of 10 t.

    A grade that would fall below 50 t is dropped half the time (small yards do not sell everything)
    and raised to 50 t otherwise. ``cap_t`` bounds the point's total so one visit fits the largest truck.
    """
    raw = {g: total_t * share * rng.uniform(0.6, 1.4) for g, share in mix.items()}
    scale = min(1.0, cap_t / sum(raw.values()))
    out: list[Supply] = []
    for grade_id, t in raw.items():
        t = min(2_000.0, round_to(t * scale, 10.0))
        keep = rng.random() >= 0.5
        if t < 50.0:
            if not keep:
                continue
            t = 50.0
        out.append(fixed_price_supply(grade_id, t, buyback))
    return tuple(out)


def opening_hours(rng: random.Random) -> tuple[float, float]:
    """Most yards open 8:00-17:30; some only mornings or afternoons, some start early (estimate)."""
    r = rng.random()
    if r < 0.12:
        return 7.0, 12.0
    if r < 0.22:
        return 13.0, 18.0
    if r < 0.40:
        return 7.0, 17.0
    return 8.0, 17.5


def collection_point(
    cp_id: str,
    place: Place,
    k: int,
    lat: float,
    lon: float,
    supplies: tuple[Supply, ...],
    params: Parameters,
    largest_payload_t: float,
    hours: tuple[float, float],
    service_time_min: float,
) -> CollectionPoint:
    total = sum(s.supply_t_per_year for s in supplies)
    return CollectionPoint(
        id=cp_id,
        name=yard_name(place, k),
        lat=lat,
        lon=lon,
        province=place.province,
        supplies=supplies,
        buyback_coefficient=buyback_for(place.weight),
        opens_hour=hours[0],
        closes_hour=hours[1],
        service_time_min=service_time_min,
        visits_per_week=visits_per_week(total, largest_payload_t, params),
    )


def max_point_total_t(params: Parameters, payload_t: float) -> float:
    """The most a point can supply a year so that daily visits of ``payload_t`` trucks can carry it."""
    return params.working_days_per_week * params.weeks_per_year * LOAD_FACTOR * payload_t


# --- sites and smelters -------------------------------------------------------------------------------


def dismantling_site(
    site_id: str, name: str, lat: float, lon: float, province: str, sizes_kt: Sequence[float],
    status: SiteStatus = SiteStatus.CANDIDATE, cost_factor: float = 1.0,
) -> ProcessingSite:
    return ProcessingSite(
        id=site_id, name=name, kind=SiteKind.DISMANTLING, lat=lat, lon=lon, province=province,
        status=status,
        modules=tuple(module(SiteKind.DISMANTLING, s, cost_factor) for s in sizes_kt),
        variable_cost_cny_per_t=DISMANTLING_VARIABLE_CNY_PER_T,
        co2_kg_per_t=DISMANTLING_CO2_KG_PER_T,
        yields=DISMANTLING_YIELDS,
    )


def sorting_center(
    site_id: str, name: str, lat: float, lon: float, province: str, sizes_kt: Sequence[float],
    yields: tuple[YieldEntry, ...], status: SiteStatus = SiteStatus.CANDIDATE, cost_factor: float = 1.0,
) -> ProcessingSite:
    return ProcessingSite(
        id=site_id, name=name, kind=SiteKind.SORTING, lat=lat, lon=lon, province=province,
        status=status,
        modules=tuple(module(SiteKind.SORTING, s, cost_factor) for s in sizes_kt),
        variable_cost_cny_per_t=SORTING_VARIABLE_CNY_PER_T,
        co2_kg_per_t=SORTING_CO2_KG_PER_T,
        yields=yields,
    )


#: How a site's kind reads in its name, in English and Chinese.
SITE_KIND_NAME = {
    SiteKind.DISMANTLING: ("dismantling site", "拆解点"),
    SiteKind.SORTING: ("sorting center", "分拣中心"),
}

#: What the two kinds of buyer accept (estimates after section 3.7): a fabricator remelting scrap
#: directly needs clean, rich feed; a smelter with a converter and electrolysis takes lower grades but
#: pays the refiner's price.
DIRECT_USE = ("BB", "NO1", "NO2")
#: The national network's fabricators take only the clean grades: No.2 goes to smelters unless a
#: sorting center picks No.1 out of it.
CLEAN_ONLY = ("BB", "NO1")
REFINER = ("BB", "NO1", "NO2", "INS", "EW")


# --- teaching.xlsx ----------------------------------------------------------------------------------

#: Twelve yards around Taizhou, Ningbo and Yongkang (town centres; section 3.4 clusters) and what they
#: sell (t/yr; hand-picked so a trainer can add them up): bare bright, No.2, insulated wire, motors.
#: Wenling and Yongkang make pumps, motors and hardware, hence their motors.
TEACHING_YARDS: tuple[tuple[str, int, int, int, int, float, float, float], ...] = (
    # town,     BB,  NO2, INS, MOT, opens, closes, service min
    ("Luqiao",    350, 800, 600, 550, 7.0, 17.5, 45.0),
    ("Wenling",   150, 600, 250, 700, 8.0, 17.5, 30.0),
    ("Huangyan",  100, 450, 200, 200, 8.0, 17.5, 30.0),
    ("Jiaojiang", 150, 500, 200, 150, 8.0, 12.0, 30.0),
    ("Linhai",    100, 400, 150, 150, 8.0, 17.5, 30.0),
    ("Yuhuan",    100, 450, 150, 200, 13.0, 18.0, 30.0),
    ("Ninghai",    80, 400, 150, 150, 8.0, 17.5, 30.0),
    ("Xiangshan",  60, 250, 100, 100, 7.0, 12.0, 20.0),
    ("Yongkang",  200, 650, 300, 700, 7.0, 17.5, 45.0),
    ("Wuyi",       60, 300, 100, 200, 8.0, 17.5, 20.0),
    ("Dongyang",   80, 300, 150, 150, 8.0, 17.5, 30.0),
    ("Yiwu",      150, 500, 250, 200, 8.0, 17.5, 30.0),
)

#: Buy-back in the teaching network: every yard sells at 93 % of its copper value.
TEACHING_BUYBACK = 0.93


def teaching_network() -> Network:
    """Twelve yards, two dismantling sites, three sorting centres, two smelters, four grades.

    Small enough to reason about by hand; the README explains the plan a trainer should expect.
    """
    params = Parameters(
        copper_price_cny_per_t=COPPER_PRICE, transport_cost_cny_per_t_km=0.45, circuity_factor=1.3,
        co2_kg_per_t_km=0.073, discount_rate=DISCOUNT_RATE,
    )
    towns = read_places("towns.csv")
    points = []
    for i, (town, bb, no2, ins, mot, opens, closes, service) in enumerate(TEACHING_YARDS, start=1):
        place = place_named(towns, town)
        supplies = (
            Supply("BB", float(bb)),
            Supply("NO2", float(no2)),
            Supply("INS", float(ins)),
            fixed_price_supply("MOT", float(mot), TEACHING_BUYBACK),
        )
        total = sum(s.supply_t_per_year for s in supplies)
        points.append(CollectionPoint(
            id=f"CP{i:02d}", name=f"{place.name_en} yard ({place.name_zh}回收站)", lat=place.lat,
            lon=place.lon, province=place.province, supplies=supplies, buyback_coefficient=TEACHING_BUYBACK,
            opens_hour=opens, closes_hour=closes, service_time_min=service,
            visits_per_week=visits_per_week(total, TWO_AXLE.payload_t, params),
        ))
    sizes = (5, 10)
    sites = (
        dismantling_site("D-LQ", "Luqiao dismantling park (路桥拆解园)", 28.550, 121.380, "Zhejiang",
                         sizes),
        dismantling_site("D-YK", "Yongkang dismantling site (永康拆解点)", 28.870, 120.080, "Zhejiang",
                         sizes),
        sorting_center("S-NB", "Ningbo Beilun sorting center (宁波北仑分拣中心)", 29.900, 121.840, "Zhejiang",
                       sizes, TEACHING_SORTING_YIELDS, cost_factor=1.25),
        sorting_center("S-LQ", "Luqiao sorting center (路桥分拣中心)", 28.560, 121.400, "Zhejiang", sizes,
                       TEACHING_SORTING_YIELDS),
        sorting_center("S-JH", "Jinhua sorting center (金华分拣中心)", 29.100, 119.680, "Zhejiang", sizes,
                       TEACHING_SORTING_YIELDS),
    )
    smelters = (
        Smelter("M-NB", "Ningbo copper fabricator, direct use (宁波铜加工厂，直接使用)", 29.867, 121.550,
                "Zhejiang",
                capacity_t_per_year=8_000.0, accepted_grade_ids=("BB", "NO2"), min_copper_content=0.97),
        Smelter("M-TL", "Tongling smelter (铜陵冶炼厂)", 30.945, 117.811, "Anhui",
                capacity_t_per_year=20_000.0, accepted_grade_ids=("BB", "NO2", "INS"),
                min_copper_content=0.85, **linked_price(REFINING_CHARGE)),
    )
    return Network(
        name="Teaching network: Taizhou-Ningbo-Yongkang (Zhejiang)",
        grades=TEACHING_GRADES,
        collection_points=tuple(points),
        sites=sites,
        smelters=smelters,
        # Three 2-axle trucks per depot: what the optimal plan's weekly routes need at Luqiao.
        vehicle_types=(LIGHT_TRUCK, dataclasses.replace(TWO_AXLE, count_per_depot=3), CARRIER),
        parameters=params,
        periods=sample_periods(params.planning_year, budgets=TEACHING_CAPITAL_BUDGETS),
    )


#: The teaching network's capital budget for 2025 (CNY; an estimate, a pilot's first-year allocation):
#: enough for the Luqiao dismantling line, not for the sorting center too, which waits until 2026.
TEACHING_CAPITAL_BUDGETS: dict[int, float] = {2025: 8_000_000.0}


# --- yangtze_delta.xlsx ---------------------------------------------------------------------------

YANGTZE_PROVINCES = ("Shanghai", "Jiangsu", "Zhejiang", "Anhui")
YANGTZE_SEED = 2024_0731

#: Yards per place by weight, and a point's typical annual tonnes by weight (estimates).
YANGTZE_POINTS_BY_WEIGHT = {1: 1, 2: 2, 3: 2, 4: 3, 5: 4}
YANGTZE_TONNES_BY_WEIGHT = {1: 900.0, 2: 1_300.0, 3: 1_800.0, 4: 2_300.0, 5: 3_000.0}


#: Collection trucks do not drive further than this (road km) to a yard: a round trip with loading must
#: fit a 10-hour shift (estimate).
YANGTZE_MAX_COLLECTION_KM = 250.0

#: Trucks per depot in the Yangtze and national networks (estimate): enough for a 20-30 kt/yr site's
#: weekly collection rounds.
DEPOT_FLEET = (
    TRICYCLE,
    dataclasses.replace(LIGHT_TRUCK, count_per_depot=4),
    dataclasses.replace(TWO_AXLE, count_per_depot=5),
    dataclasses.replace(SIX_AXLE, count_per_depot=2),
    CARRIER,
)


def yangtze_network() -> Network:
    """128 yards in Shanghai, Jiangsu, Zhejiang and Anhui; 16 sites (2 existing); 5 buyers; 6 grades."""
    rng = random.Random(YANGTZE_SEED)
    params = Parameters(
        copper_price_cny_per_t=COPPER_PRICE, max_haul_km_collection=YANGTZE_MAX_COLLECTION_KM,
        discount_rate=DISCOUNT_RATE,
    )
    cities = [c for c in read_places("cities.csv") if c.province in YANGTZE_PROVINCES]
    towns = read_places("towns.csv")
    cap_t = max_point_total_t(params, TWO_AXLE.payload_t)
    points: list[CollectionPoint] = []
    for place in [*cities, *towns]:
        for k in range(1, YANGTZE_POINTS_BY_WEIGHT[place.weight] + 1):
            lat, lon = jitter(rng, place.lat, place.lon, 6.0 if k == 1 else 15.0)
            total = YANGTZE_TONNES_BY_WEIGHT[place.weight] * rng.lognormvariate(0.0, 0.35)
            supplies = random_supplies(rng, total, SIX_GRADE_MIX, buyback_for(place.weight), cap_t=cap_t)
            points.append(collection_point(
                f"CP{len(points) + 1:03d}", place, k, lat, lon, supplies, params, TWO_AXLE.payload_t,
                opening_hours(rng), float(rng.choice((20, 30, 30, 45))),
            ))
    d, s = SiteKind.DISMANTLING, SiteKind.SORTING
    existing, candidate = SiteStatus.EXISTING, SiteStatus.CANDIDATE
    # (id, place, place in Chinese, lat, lon, province, kind, sizes kt, status): places after section
    # 3.4 and the prefecture seats; parks sit 5-20 km out of town (estimate).
    site_rows = (
        ("DS01", "Luqiao", "路桥", 28.550, 121.380, "Zhejiang", d, (20, 50), existing),
        ("DS02", "Yongkang", "永康", 28.870, 120.080, "Zhejiang", d, (10, 20), candidate),
        ("DS03", "Cixi", "慈溪", 30.190, 121.320, "Zhejiang", d, (10, 20), candidate),
        ("DS04", "Yueqing", "乐清", 28.150, 120.990, "Zhejiang", d, (10, 20), candidate),
        ("DS05", "Zhangjiagang", "张家港", 31.900, 120.600, "Jiangsu", d, (10, 20), candidate),
        ("DS06", "Changzhou Wujin", "常州武进", 31.700, 119.950, "Jiangsu", d, (10, 20), candidate),
        ("DS07", "Hefei Feidong", "合肥肥东", 31.880, 117.470, "Anhui", d, (10, 20), candidate),
        ("DS08", "Huzhou", "湖州", 30.850, 120.000, "Zhejiang", d, (10, 20), candidate),
        ("DS09", "Nantong", "南通", 32.050, 120.950, "Jiangsu", d, (10,), candidate),
        ("SC01", "Tongling", "铜陵", 30.900, 117.850, "Anhui", s, (30, 100), existing),
        ("SC02", "Ningbo Zhenhai", "宁波镇海", 29.950, 121.700, "Zhejiang", s, (30,), candidate),
        ("SC03", "Hangzhou Xiaoshan", "杭州萧山", 30.180, 120.270, "Zhejiang", s, (30,), candidate),
        ("SC04", "Jiaxing", "嘉兴", 30.700, 120.800, "Zhejiang", s, (30,), candidate),
        ("SC05", "Wuhu", "芜湖", 31.300, 118.400, "Anhui", s, (30,), candidate),
        ("SC06", "Wuxi", "无锡", 31.560, 120.350, "Jiangsu", s, (30, 100), candidate),
        ("SC07", "Taizhou Luqiao", "台州路桥", 28.570, 121.400, "Zhejiang", s, (30,), candidate),
    )
    sites = []
    for site_id, en, zh, lat, lon, province, kind, sizes, status in site_rows:
        kind_en, kind_zh = SITE_KIND_NAME[kind]
        name = f"{en} {kind_en} ({zh}{kind_zh})"
        if kind is d:
            sites.append(dismantling_site(site_id, name, lat, lon, province, sizes, status))
        else:
            sites.append(sorting_center(site_id, name, lat, lon, province, sizes, SIX_GRADE_SORTING_YIELDS,
                                        status))
    smelters = (
        Smelter("SM01", "Tongling smelter (铜陵冶炼厂)", 30.945, 117.811, "Anhui", 90_000.0, REFINER, 0.80,
                **linked_price(REFINING_CHARGE)),
        Smelter("SM02", "Ningbo copper fabricator (宁波铜加工厂)", 29.950, 121.480, "Zhejiang", 50_000.0,
                DIRECT_USE, 0.975),
        Smelter("SM03", "Zhuji copper tube mill (诸暨铜管厂)", 29.740, 120.250, "Zhejiang", 40_000.0,
                DIRECT_USE, 0.975),
        Smelter("SM04", "Wuhu copper fabricator (芜湖铜加工厂)", 31.330, 118.380, "Anhui", 40_000.0,
                DIRECT_USE, 0.97),
        Smelter("SM05", "Changzhou copper rod mill (常州铜杆厂)", 31.760, 119.930, "Jiangsu", 30_000.0,
                ("BB", "NO1"), 0.98),
    )
    network = Network(
        name="Yangtze River Delta: Shanghai, Jiangsu, Zhejiang, Anhui",
        grades=SIX_GRADES,
        collection_points=tuple(points),
        sites=tuple(sites),
        smelters=smelters,
        vehicle_types=DEPOT_FLEET,
        parameters=params,
        periods=sample_periods(params.planning_year),
        growth=sample_growth(params.planning_year, {"Anhui": ANHUI_GROWTH}),
    )
    return network.replace(distances=yangtze_distances())


def yangtze_distances() -> tuple[DistanceOverride, ...]:
    """Road distances by expressway (estimates read off a road map) and one Yangtze barge contract."""
    return (
        DistanceOverride("DS01", "SM02", road_km=190.0),  # Luqiao -> Ningbo, G15 Shenhai expressway
        DistanceOverride("DS01", "SM01", road_km=560.0),  # Luqiao -> Tongling, via Hangzhou
        DistanceOverride("DS02", "SM03", road_km=115.0),  # Yongkang -> Zhuji, G60/S26
        DistanceOverride("SC02", "SM02", road_km=30.0),   # Zhenhai -> Ningbo fabricator
        DistanceOverride("SC05", "SM01", road_km=85.0, cost_cny_per_t=18.0),  # Wuhu -> Tongling by barge
    )


# --- china_national.xlsx ------------------------------------------------------------------------

NATIONAL_SEED = 2025_0218
NATIONAL_POINTS_BY_WEIGHT = {1: 1, 2: 2, 3: 5, 4: 8, 5: 12}
NATIONAL_TONNES_BY_WEIGHT = {1: 900.0, 2: 1_300.0, 3: 1_600.0, 4: 2_000.0, 5: 2_600.0}


def national_network() -> Network:
    """713 yards in every prefecture of mainland China, 49 sites (6 existing), 11 buyers, 6 grades."""
    rng = random.Random(NATIONAL_SEED)
    params = Parameters(copper_price_cny_per_t=COPPER_PRICE, discount_rate=DISCOUNT_RATE)
    cities = read_places("cities.csv")
    cap_t = max_point_total_t(params, SIX_AXLE.payload_t)
    points: list[CollectionPoint] = []
    for place in cities:
        for k in range(1, NATIONAL_POINTS_BY_WEIGHT[place.weight] + 1):
            lat, lon = jitter(rng, place.lat, place.lon, 8.0 if k == 1 else 25.0)
            total = NATIONAL_TONNES_BY_WEIGHT[place.weight] * rng.lognormvariate(0.0, 0.4)
            supplies = random_supplies(rng, total, SIX_GRADE_MIX, buyback_for(place.weight), cap_t=cap_t)
            points.append(collection_point(
                f"CP{len(points) + 1:04d}", place, k, lat, lon, supplies, params, TWO_AXLE.payload_t,
                opening_hours(rng), float(rng.choice((20, 30, 30, 45))),
            ))
    return Network(
        name="China national network (prefecture level)",
        grades=SIX_GRADES,
        collection_points=tuple(points),
        sites=national_sites(rng, cities),
        smelters=national_smelters(),
        vehicle_types=DEPOT_FLEET,
        parameters=params,
        periods=sample_periods(params.planning_year),
        growth=sample_growth(params.planning_year),
    )


#: Dismantling sites: (city, sizes kt, existing?). The clusters of section 3.4 are existing and large.
NATIONAL_DISMANTLING: tuple[tuple[str, tuple[int, ...], bool], ...] = (
    ("Taizhou (Zhejiang)", (50, 100), True),
    ("Qingyuan", (50, 100), True),
    ("Tianjin", (20, 50), True),
    ("Jinhua", (20,), False),
    ("Yingtan", (20,), False),
    ("Yichun (Jiangxi)", (20, 50), False),
    ("Huangshi", (20, 50), False),
    ("Foshan", (20,), False),
    ("Suzhou", (20,), False),
    ("Changzhou", (20,), False),
    ("Baoding", (20,), False),
    ("Linyi", (20,), False),
    ("Xuchang", (20,), False),
    ("Wuhan", (20,), False),
    ("Changsha", (20,), False),
    ("Chengdu", (20,), False),
    ("Chongqing", (20,), False),
    ("Xi'an", (20,), False),
    ("Shenyang", (20,), False),
    ("Harbin", (20,), False),
    ("Kunming", (20,), False),
    ("Nanning", (20,), False),
    ("Fuzhou", (20,), False),
    ("Hefei", (20,), False),
    ("Lanzhou", (20,), False),
    ("Ürümqi", (20,), False),
    ("Wenzhou", (20,), False),
)

#: Sorting centres: (city, sizes kt, existing?).
NATIONAL_SORTING: tuple[tuple[str, tuple[int, ...], bool], ...] = (
    ("Tongling", (30, 100), True),
    ("Ningbo", (30, 100), True),
    ("Yingtan", (30, 100), True),
    ("Hangzhou", (30, 100), False),
    ("Shaoxing", (30,), False),
    ("Guangzhou", (30, 100), False),
    ("Dongguan", (30, 100), False),
    ("Xiamen", (30,), False),
    ("Nanchang", (30,), False),
    ("Wuhu", (30,), False),
    ("Nanjing", (30,), False),
    ("Wuxi", (30, 100), False),
    ("Shanghai", (30,), False),
    ("Qingdao", (30,), False),
    ("Jinan", (30,), False),
    ("Zhengzhou", (30,), False),
    ("Wuhan", (30, 100), False),
    ("Changsha", (30,), False),
    ("Chengdu", (30,), False),
    ("Tianjin", (30, 100), False),
    ("Shijiazhuang", (30,), False),
    ("Xi'an", (30,), False),
)

#: Parks for the clusters whose location section 3.4 gives; other sites sit 5-20 km out of the city.
NATIONAL_SITE_COORDS = {
    ("Taizhou (Zhejiang)", SiteKind.DISMANTLING): (28.550, 121.380),  # Luqiao [coords-luqiao]
    ("Qingyuan", SiteKind.DISMANTLING): (23.600, 112.990),  # Shijiao, south of the city (estimate)
    ("Tianjin", SiteKind.DISMANTLING): (38.939, 116.916),  # Ziya, Jinghai [coords-jh]
    ("Jinhua", SiteKind.DISMANTLING): (28.890, 120.050),  # Yongkang [yongkang]
    ("Yingtan", SiteKind.DISMANTLING): (28.293, 117.245),  # Guixi [coords-gx]
    ("Yichun (Jiangxi)", SiteKind.DISMANTLING): (28.160, 115.770),  # Fengcheng [fengcheng]
    ("Huangshi", SiteKind.DISMANTLING): (30.096, 114.980),  # Daye [coords-dy]
}



def national_sites(rng: random.Random, cities: list[Place]) -> tuple[ProcessingSite, ...]:
    sites: list[ProcessingSite] = []
    for kind, rows, prefix in (
        (SiteKind.DISMANTLING, NATIONAL_DISMANTLING, "DS"),
        (SiteKind.SORTING, NATIONAL_SORTING, "SC"),
    ):
        for i, (city, sizes, is_existing) in enumerate(rows, start=1):
            place = place_named(cities, city)
            if (city, kind) in NATIONAL_SITE_COORDS:
                lat, lon = NATIONAL_SITE_COORDS[(city, kind)]
            else:
                lat, lon = jitter(rng, place.lat, place.lon, 20.0)
            en, zh = SITE_KIND_NAME[kind]
            name = f"{place.name_en} {en} ({place.name_zh}{zh})"
            status = SiteStatus.EXISTING if is_existing else SiteStatus.CANDIDATE
            site_id = f"{prefix}{i:02d}"
            if kind is SiteKind.DISMANTLING:
                sites.append(dismantling_site(site_id, name, lat, lon, place.province, sizes, status))
            else:
                sites.append(sorting_center(site_id, name, lat, lon, place.province, sizes,
                                            SIX_GRADE_SORTING_YIELDS, status))
    return tuple(sites)


def national_smelters() -> tuple[Smelter, ...]:
    """Buyers at the smelters and fabricators of section 3.4; capacities are what each would take from
    this network a year (estimate, well below their plant sizes)."""
    return (
        # The two largest refineries charge less for refining (estimate): 74,000 CNY/t Cu at 75,000.
        Smelter("SM01", "Guixi smelter (贵溪冶炼厂)", 28.293, 117.245, "Jiangxi", 120_000.0, REFINER, 0.80,
                **linked_price(SMALL_REFINING_CHARGE)),
        Smelter("SM02", "Tongling smelter (铜陵冶炼厂)", 30.945, 117.811, "Anhui", 80_000.0, REFINER, 0.80,
                **linked_price(SMALL_REFINING_CHARGE)),
        Smelter("SM03", "Daye smelter (大冶冶炼厂)", 30.096, 114.980, "Hubei", 60_000.0, REFINER, 0.80,
                **linked_price(REFINING_CHARGE)),
        Smelter("SM04", "Ningbo copper fabricator (宁波铜加工厂)", 29.867, 121.550, "Zhejiang", 180_000.0,
                CLEAN_ONLY, 0.975),
        Smelter("SM05", "Qingyuan copper rod plant (清远再生铜杆厂)", 23.682, 113.056, "Guangdong", 130_000.0,
                CLEAN_ONLY, 0.97),
        Smelter("SM06", "Tianjin Ziya secondary copper plant (天津子牙再生铜厂)", 38.939, 116.916, "Tianjin",
                80_000.0, REFINER, 0.80, **linked_price(REFINING_CHARGE)),
        Smelter("SM07", "Shangrao secondary smelter (上饶再生铜冶炼厂)", 28.450, 117.940, "Jiangxi", 60_000.0,
                ("BB", "NO1", "NO2"), 0.92, **linked_price(SMALL_REFINING_CHARGE)),
        Smelter("SM08", "Fengcheng recycling base smelter (丰城再生铜厂)", 28.160, 115.770, "Jiangxi",
                50_000.0, ("BB", "NO1", "NO2", "INS"), 0.85, **linked_price(SMALL_REFINING_CHARGE)),
        Smelter("SM09", "Wuhu copper fabricator (芜湖铜加工厂)", 31.353, 118.433, "Anhui", 130_000.0,
                CLEAN_ONLY, 0.97),
        Smelter("SM10", "Dongying copper smelter (东营铜冶炼厂)", 37.434, 118.675, "Shandong", 80_000.0,
                REFINER, 0.80, **linked_price(REFINING_CHARGE)),
        Smelter("SM11", "Zhuji copper tube mill (诸暨铜管厂)", 29.709, 120.236, "Zhejiang", 130_000.0,
                CLEAN_ONLY, 0.975),
    )


# --- writing ---------------------------------------------------------------------------------------

SAMPLES: dict[str, Callable[[], Network]] = {
    "teaching.xlsx": teaching_network,
    "yangtze_delta.xlsx": yangtze_network,
    "china_national.xlsx": national_network,
}


def summary(network: Network) -> str:
    """One line of sizes and totals, as the README states them."""
    supply_t = sum(network.total_supply_t().values())
    supply_cu = sum(network.total_supply_t_cu().values())
    return (
        f"{network.name}: {len(network.collection_points)} collection points, "
        f"{len(network.dismantling_sites)} dismantling sites, "
        f"{len(network.sorting_centers)} sorting centers, "
        f"{len(network.smelters)} smelters, {len(network.grades)} grades, "
        f"{len(network.vehicle_types)} vehicle types; supply {supply_t:,.0f} t/yr, {supply_cu:,.1f} t Cu/yr"
    )


def main(argv: Sequence[str] = ()) -> int:
    from optimizer.io import write_network

    out_dir = Path(argv[0]) if argv else HERE
    for filename, build in SAMPLES.items():
        network = build()
        write_network(network, out_dir / filename, lang="en")
        print(f"{filename}: {summary(network)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
