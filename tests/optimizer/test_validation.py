"""Every cross-entity check of :func:`optimizer.validation.validate`, one broken thing per test.

Each test takes a small valid network, damages exactly one thing with ``replace`` and asserts the
issue's severity, entity, entity id and field (the keys the Excel source map locates), plus the words
a planner reads.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from optimizer.io import write_network
from optimizer.io.loading import load_network
from optimizer.issues import Issue, Severity
from optimizer.model import (
    Network,
    Period,
    SiteStatus,
    SupplyGrowth,
    YieldEntry,
)
from optimizer.validation import deliverable_grades, validate
from tests.optimizer.networks import small_network

E, W = Severity.ERROR, Severity.WARNING


@pytest.fixture
def network() -> Network:
    return small_network()


# --- replace one thing -----------------------------------------------------------------------------


def _set(items: tuple, index: int, **changes: object) -> tuple:
    items = list(items)
    items[index] = replace(items[index], **changes)
    return tuple(items)


def cp(index: int, **changes: object) -> Callable[[Network], Network]:
    return lambda n: n.replace(collection_points=_set(n.collection_points, index, **changes))


def supply(cp_index: int, index: int, **changes: object) -> Callable[[Network], Network]:
    def edit(n: Network) -> Network:
        point = n.collection_points[cp_index]
        return cp(cp_index, supplies=_set(point.supplies, index, **changes))(n)
    return edit


def grade(index: int, **changes: object) -> Callable[[Network], Network]:
    return lambda n: n.replace(grades=_set(n.grades, index, **changes))


def site(index: int, **changes: object) -> Callable[[Network], Network]:
    return lambda n: n.replace(sites=_set(n.sites, index, **changes))


def module(site_index: int, index: int, **changes: object) -> Callable[[Network], Network]:
    return lambda n: site(site_index, modules=_set(n.sites[site_index].modules, index, **changes))(n)


def yield_(site_index: int, index: int, **changes: object) -> Callable[[Network], Network]:
    return lambda n: site(site_index, yields=_set(n.sites[site_index].yields, index, **changes))(n)


def smelter(index: int, **changes: object) -> Callable[[Network], Network]:
    return lambda n: n.replace(smelters=_set(n.smelters, index, **changes))


def vehicle(index: int, **changes: object) -> Callable[[Network], Network]:
    return lambda n: n.replace(vehicle_types=_set(n.vehicle_types, index, **changes))


def params(**changes: object) -> Callable[[Network], Network]:
    return lambda n: n.replace(parameters=replace(n.parameters, **changes))


def distance(index: int, **changes: object) -> Callable[[Network], Network]:
    return lambda n: n.replace(distances=_set(n.distances, index, **changes))


def growth(*rows: SupplyGrowth, periods: bool = False) -> Callable[[Network], Network]:
    """Growth rows, with the Periods 2025 and 2026 when ``periods``."""
    years = (Period(2025), Period(2026)) if periods else ()
    return lambda n: n.replace(growth=rows, periods=years)


def the_issue(issues: list[Issue], entity: str, entity_id: str, field: str) -> Issue:
    found = [i for i in issues if (i.entity, i.entity_id, i.field) == (entity, entity_id, field)]
    assert len(found) == 1, f"expected one issue at {entity}/{entity_id}/{field}, got {issues}"
    return found[0]


# --- the table: (mutation, severity, entity, entity_id, field, words in the message) ---------------

CASES: dict[str, tuple[Callable[[Network], Network], Severity, str, str, str, tuple[str, ...]]] = {
    # grades
    "grade copper content zero": (grade(1, copper_content=0.0), E, "grade", "NO2", "copper_content",
                                  ("copper content", "> 0 and <= 1")),
    "grade copper content above 1": (grade(1, copper_content=1.2), E, "grade", "NO2", "copper_content",
                                     ("1.2",)),
    "grade price coefficient zero": (grade(0, price_coefficient=0.0), E, "grade", "BB", "price_coefficient",
                                     ("price coefficient",)),
    "grade price coefficient above 1.5": (grade(0, price_coefficient=1.6), E, "grade", "BB",
                                          "price_coefficient", ("<= 1.5",)),
    "grade duplicate id": (grade(3, id="MOT"), E, "grade", "MOT", "id", ("used 2 times",)),
    "grade empty id": (grade(3, id=" "), E, "grade", " ", "id", ("no id",)),
    # collection points
    "cp latitude above 90": (cp(0, lat=95.0), E, "collection_point", "CP-1", "lat",
                             ("latitude", "95", "between -90 and 90")),
    "cp latitude below -90": (cp(0, lat=-91.0), E, "collection_point", "CP-1", "lat", ("latitude",)),
    "cp longitude above 180": (cp(1, lon=181.0), E, "collection_point", "CP-2", "lon",
                               ("longitude", "between -180 and 180")),
    "cp latitude not a number": (cp(0, lat=math.nan), E, "collection_point", "CP-1", "lat", ("nan",)),
    "cp duplicate id": (cp(1, id="CP-1"), E, "collection_point", "CP-1", "id", ("used 2 times",)),
    "cp buyback negative": (cp(0, buyback_coefficient=-0.1), E, "collection_point", "CP-1",
                            "buyback_coefficient", ("buy-back",)),
    "cp closes before it opens": (cp(0, opens_hour=17.0, closes_hour=8.0), E, "collection_point", "CP-1",
                                  "closes_hour", ("closing hour", "later than the opening hour 17")),
    "cp opens at hour 25": (cp(0, opens_hour=25.0), E, "collection_point", "CP-1", "opens_hour",
                            ("between 0 and 24",)),
    "cp closes at hour -1": (cp(0, closes_hour=-1.0), E, "collection_point", "CP-1", "closes_hour",
                             ("between 0 and 24",)),
    "cp negative service time": (cp(0, service_time_min=-5.0), E, "collection_point", "CP-1",
                                 "service_time_min", ("service time", "-5 min", "between 0 and 1440")),
    "cp zero visits per week": (cp(0, visits_per_week=0), E, "collection_point", "CP-1", "visits_per_week",
                                ("between 1 and 7",)),
    "cp eight visits per week": (cp(0, visits_per_week=8), E, "collection_point", "CP-1", "visits_per_week",
                                 ("visits per week",)),
    "cp assigned to unknown site": (cp(0, assigned_site_id="DS-9"), E, "collection_point", "CP-1",
                                    "assigned_site_id", ('"DS-9"', "not the id of any")),
    "cp assigned to a smelter": (cp(0, assigned_site_id="SM-1"), E, "collection_point", "CP-1",
                                 "assigned_site_id", ("is a smelter",)),
    "cp assigned to a closed site": (site(0, status=SiteStatus.CLOSED), W, "collection_point", "CP-1",
                                     "assigned_site_id", ("closed",)),
    "cp with zero total supply": (supply(1, 0, supply_t_per_year=0.0), W, "collection_point", "CP-2",
                                  "supplies", ("no supply",)),
    "cp with no supply lines": (cp(1, supplies=()), W, "collection_point", "CP-2", "supplies",
                                ("no supply",)),
    # supply
    "supply negative": (supply(1, 0, supply_t_per_year=-5.0), E, "supply", "CP-2/NO2", "supply_t_per_year",
                        ("-5 t/yr", ">= 0")),
    "supply of unknown grade": (supply(0, 0, grade_id="XX"), E, "supply", "CP-1/XX", "grade_id",
                                ('"XX"', "not in the list of grades")),
    "supply grade listed twice": (supply(0, 2, grade_id="NO2"), W, "supply", "CP-1/NO2", "grade_id",
                                  ("2 times",)),
    "supply negative purchase price": (supply(0, 1, purchase_price_cny_per_t=-1.0), E, "supply", "CP-1/NO2",
                                       "purchase_price_cny_per_t", ("purchase price", "-1 CNY/t")),
    # past what the solvers can compute with (errors), past what a real network has (warnings)
    "supply 1e308 t/yr": (supply(1, 0, supply_t_per_year=1e308), E, "supply", "CP-2/NO2", "supply_t_per_year",
                          ("1e+308 t/yr", "between 0 and 1e+09", "beyond what the solvers")),
    "supply of 2 Mt from one yard": (supply(1, 0, supply_t_per_year=2e6), W, "supply", "CP-2/NO2",
                                     "supply_t_per_year", ("2000000 t/yr", "<= 1,000,000", "real network")),
    "module capacity 1e308 t/yr": (module(0, 0, capacity_t_per_year=1e308), E, "capacity_module", "DS-1/S",
                                   "capacity_t_per_year", ("1e+308 t/yr", "1e+09")),
    "smelter capacity 1e308 t/yr": (smelter(0, capacity_t_per_year=1e308), E, "smelter", "SM-1",
                                    "capacity_t_per_year", ("1e+308",)),
    "a million trucks per depot": (vehicle(0, count_per_depot=1_000_000), E, "vehicle_type", "T8",
                                   "count_per_depot", ("1000000", "between 0 and 1000")),
    "500 trucks per depot": (vehicle(0, count_per_depot=500), W, "vehicle_type", "T8", "count_per_depot",
                             ("<= 100", "real network")),
    "a payload of 80 t": (vehicle(0, payload_t=80.0), W, "vehicle_type", "T8", "payload_t",
                          ("80 t", "<= 49")),
    "planning year 1e308": (params(planning_year=int(1e308)), E, "parameters", "", "planning_year",
                            ("1e+308", "between 1900 and 9999")),
    "planning year 2300": (params(planning_year=2300), W, "parameters", "", "planning_year",
                           ("between 2000 and 2100",)),
    "copper price in CNY per kg": (params(copper_price_cny_per_t=75_000_000.0), E, "parameters", "",
                                   "copper_price_cny_per_t", ("75000000 CNY/t", "> 0 and <= 1e+07")),
    "a yard 19,000 km from everything": (cp(0, lat=-30.0, lon=-60.0), W, "collection_point", "CP-1", "lat",
                                         ("km from the nearest site or smelter", "within 5,000 km",
                                          "minus sign")),
    "a yard 2,900 km from every site": (cp(0, lon=90.0), W, "collection_point", "CP-1", "lat",
                                        ("within 2,000 km", "farther than any truck haul")),
    "a smelter on the far side of the earth": (smelter(0, lat=-31.0), W, "smelter", "SM-1", "lat",
                                               ("km from the nearest other collection point, site or smelter",
                                                "within 5,000 km")),
    # Excel's cell limit is a validation rule on every text column
    "a name of 100,000 characters": (cp(0, name="x" * 100_000), E, "collection_point", "CP-1", "name",
                                     ("100,000 characters long", "at most 32,767")),
    "a grade name of 40,000 characters": (grade(0, name_zh="铜" * 40_000), E, "grade", "BB", "name_zh",
                                          ("40,000",)),
    "a network name of 40,000 characters": (lambda n: n.replace(name="n" * 40_000), E, "parameters", "",
                                            "network_name", ("40,000",)),
    # sites
    "site duplicate id": (site(1, id="DS-1"), E, "site", "DS-1", "id", ("used 2 times",)),
    "site longitude out of range": (site(1, lon=-200.0), E, "site", "SC-1", "lon",
                                    ('sorting center "SC-1"',)),
    "site negative variable cost": (site(0, variable_cost_cny_per_t=-1.0), E, "site", "DS-1",
                                    "variable_cost_cny_per_t", ('dismantling site "DS-1"', "variable cost")),
    "site negative co2": (site(0, co2_kg_per_t=-1.0), E, "site", "DS-1", "co2_kg_per_t", ("CO2",)),
    "candidate site without modules": (site(0, modules=()), E, "site", "DS-1", "modules",
                                       ("candidate", "no capacity modules")),
    "existing site without modules": (site(1, modules=()), E, "site", "SC-1", "modules",
                                      ("existing", "no capacity modules")),
    "site accepts no grades": (site(0, yields=()), W, "site", "DS-1", "yields", ("accepts no grades",)),
    # capacity modules
    "module negative capacity": (module(0, 0, capacity_t_per_year=-10.0), E, "capacity_module", "DS-1/S",
                                 "capacity_t_per_year", ("capacity", "-10 t/yr", "> 0")),
    "module zero capacity": (module(0, 0, capacity_t_per_year=0.0), E, "capacity_module", "DS-1/S",
                             "capacity_t_per_year", ("> 0",)),
    "module negative fixed cost": (module(0, 1, fixed_cost_cny_per_year=-1.0), E, "capacity_module",
                                   "DS-1/L", "fixed_cost_cny_per_year", ("fixed cost", "CNY/yr")),
    "module duplicate id": (module(0, 1, id="S"), E, "capacity_module", "DS-1/S", "id", ("2 times",)),
    # yields
    "yield fraction negative": (yield_(0, 0, fraction=-0.1), E, "yield", "DS-1/MOT/MC", "fraction",
                                ("yield fraction", "between 0 and 1")),
    "yield fraction above 1": (yield_(0, 0, fraction=1.5), E, "yield", "DS-1/MOT/MC", "fraction",
                               ("between 0 and 1",)),
    "yield unknown input grade": (yield_(0, 0, input_grade_id="ZZ"), E, "yield", "DS-1/ZZ/MC",
                                  "input_grade_id", ('input grade "ZZ"',)),
    "yield unknown output grade": (yield_(1, 1, output_grade_id="ZZ"), E, "yield", "SC-1/NO2/ZZ",
                                   "output_grade_id", ('output grade "ZZ"',)),
    "yields of one input above 1": (yield_(1, 1, fraction=0.5), E, "yield", "SC-1/NO2/BB", "fraction",
                                    ('"NO2"', "add up to 1.1", "at most 1")),
    "yield listed twice": (yield_(1, 1, output_grade_id="BB", fraction=0.3), W, "yield", "SC-1/NO2/BB",
                           "fraction", ("2 times",)),
    # whole motors (10 % Cu) -> bare bright (99 %) at 1.0 would create 0.89 t of copper a tonne
    "yield creates copper": (yield_(0, 0, output_grade_id="BB", fraction=1.0), E, "yield", "DS-1/MOT/BB",
                             "fraction", ("holding 0.1 t of copper", "holding 0.99 t", "cannot create copper",
                                          '"MOT" -> "BB" at 1')),
    # smelters
    "smelter latitude out of range": (smelter(0, lat=100.0), E, "smelter", "SM-1", "lat", ("latitude",)),
    "smelter negative capacity": (smelter(0, capacity_t_per_year=-1.0), E, "smelter", "SM-1",
                                  "capacity_t_per_year", ("-1 t/yr",)),
    "smelter min copper content above 1": (smelter(0, min_copper_content=1.1), E, "smelter", "SM-1",
                                           "min_copper_content", ("between 0 and 1",)),
    "smelter min copper content negative": (smelter(0, min_copper_content=-0.1), E, "smelter", "SM-1",
                                            "min_copper_content", ("minimum copper content",)),
    "smelter min copper content above every grade": (smelter(0, min_copper_content=0.995), W, "smelter",
                                                     "SM-1", "min_copper_content", ("richest grade",)),
    "smelter negative price": (smelter(0, price_cny_per_t_cu=-70_000.0), E, "smelter", "SM-1",
                               "price_cny_per_t_cu", ("copper price",)),
    "smelter fixed price basis without a price": (smelter(0, price_basis="fixed"), E, "smelter", "SM-1",
                                                   "price_cny_per_t_cu", ("fixed price basis",)),
    "smelter linked price basis with a price": (smelter(0, price_basis="linked", price_cny_per_t_cu=7e4), W,
                                                "smelter", "SM-1", "price_cny_per_t_cu", ("is not used",)),
    "smelter accepts unknown grade": (smelter(0, accepted_grade_ids=("BB", "NO2", "MC", "QQ")), E, "smelter",
                                      "SM-1", "accepted_grade_ids", ('"QQ"',)),
    # smelter ids across node kinds
    "smelter id used by a collection point": (smelter(0, id="CP-2"), E, "smelter", "CP-2", "id",
                                              ("also the id of a collection point",)),
    "site id used by a collection point": (site(1, id="CP-1"), E, "site", "CP-1", "id",
                                           ("also the id of a collection point",)),
    "duplicate smelter id": (lambda n: n.replace(smelters=n.smelters * 2), E, "smelter", "SM-1", "id",
                             ("used 2 times",)),
    # vehicle types
    "vehicle zero payload": (vehicle(0, payload_t=0.0), E, "vehicle_type", "T8", "payload_t", ("payload",)),
    "vehicle negative fixed cost": (vehicle(0, fixed_cost_cny_per_day=-1.0), E, "vehicle_type", "T8",
                                    "fixed_cost_cny_per_day", ("CNY/day",)),
    "vehicle negative cost per km": (vehicle(0, cost_cny_per_km=-1.0), E, "vehicle_type", "T8",
                                     "cost_cny_per_km", ("CNY/km",)),
    "vehicle zero speed": (vehicle(0, speed_km_per_h=0.0), E, "vehicle_type", "T8", "speed_km_per_h",
                           ("speed",)),
    "vehicle shift of 30 h": (vehicle(0, max_shift_h=30.0), E, "vehicle_type", "T8", "max_shift_h",
                              ("<= 24",)),
    "vehicle negative count": (vehicle(0, count_per_depot=-1), E, "vehicle_type", "T8", "count_per_depot",
                               ("trucks per depot",)),
    "vehicle negative co2": (vehicle(0, co2_kg_per_km=-0.1), E, "vehicle_type", "T8", "co2_kg_per_km",
                             ("kg/km",)),
    "vehicle depot unknown": (vehicle(0, depot_ids=("DS-1", "DS-7")), E, "vehicle_type", "T8", "depot_ids",
                              ('"DS-7"',)),
    "vehicle depot is a collection point": (vehicle(0, depot_ids=("CP-1",)), E, "vehicle_type", "T8",
                                            "depot_ids", ("is a collection point",)),
    "vehicle duplicate id": (lambda n: n.replace(vehicle_types=n.vehicle_types * 2), E, "vehicle_type", "T8",
                             "id", ("2 times",)),
    # parameters
    "copper price zero": (params(copper_price_cny_per_t=0.0), E, "parameters", "", "copper_price_cny_per_t",
                          ("copper price",)),
    "transport cost negative": (params(transport_cost_cny_per_t_km=-0.1), E, "parameters", "",
                                "transport_cost_cny_per_t_km", ("CNY/t-km",)),
    "circuity below 1": (params(circuity_factor=0.8), W, "parameters", "", "circuity_factor", (">= 1",)),
    "circuity zero": (params(circuity_factor=0.0), E, "parameters", "", "circuity_factor", ("> 0",)),
    "circuity negative": (params(circuity_factor=-1.0), E, "parameters", "", "circuity_factor", ("> 0",)),
    "co2 per t-km negative": (params(co2_kg_per_t_km=-1.0), E, "parameters", "", "co2_kg_per_t_km", ()),
    "carbon price negative": (params(carbon_price_cny_per_t_co2=-1.0), E, "parameters", "",
                              "carbon_price_cny_per_t_co2", ()),
    "target utilization zero": (params(target_utilization=0.0), E, "parameters", "", "target_utilization",
                                ("> 0 and <= 1",)),
    "target utilization above 1": (params(target_utilization=1.2), E, "parameters", "", "target_utilization",
                                   ("target utilization",)),
    "budget negative": (params(annual_budget_cny=-1.0), E, "parameters", "", "annual_budget_cny", ()),
    "max new sites negative": (params(max_new_sites=-1), E, "parameters", "", "max_new_sites", ()),
    "max haul zero": (params(max_haul_km_delivery=0.0), E, "parameters", "", "max_haul_km_delivery", ()),
    "working days 8": (params(working_days_per_week=8), E, "parameters", "", "working_days_per_week", ()),
    "weeks per year 0": (params(weeks_per_year=0), E, "parameters", "", "weeks_per_year", ()),
    # distances
    "distance unknown start": (distance(0, from_id="CP-9"), E, "distance", "CP-9/DS-1", "from_id",
                               ('"CP-9"',)),
    "distance unknown end": (distance(1, to_id="SM-9"), E, "distance", "SC-1/SM-9", "to_id", ('"SM-9"',)),
    "distance negative km": (distance(0, road_km=-3.0), E, "distance", "CP-1/DS-1", "road_km",
                             ("road distance", "-3 km")),
    "distance negative cost": (distance(1, cost_cny_per_t=-3.0), E, "distance", "SC-1/SM-1", "cost_cny_per_t",
                               ("CNY/t",)),
    "distance shorter than straight line": (distance(0, road_km=1.0), W, "distance", "CP-1/DS-1", "road_km",
                                            ("straight-line",)),
    "distance from a node to itself": (distance(0, to_id="CP-1", road_km=None), W, "distance", "CP-1/CP-1",
                                       "to_id", ("same node",)),
    "distance listed twice": (lambda n: n.replace(distances=n.distances + n.distances[:1]), W, "distance",
                              "CP-1/DS-1", "from_id", ("2 times",)),
    # whole network
    "no grades": (lambda n: n.replace(grades=()), E, "grade", "", "", ("no grades",)),
    "no collection points": (lambda n: n.replace(collection_points=()), E, "collection_point", "", "",
                             ("no collection points",)),
    "no smelters": (lambda n: n.replace(smelters=()), E, "smelter", "", "", ("no smelters",)),
    "smelter accepts no grades": (
        lambda n: n.replace(smelters=(*n.smelters, replace(n.smelters[0], id="SM-2", accepted_grade_ids=()))),
        W, "smelter", "SM-2", "accepted_grade_ids", ("accepts no grades",)),
    "no copper reaches a smelter": (lambda n: smelter(0, accepted_grade_ids=("MC",))(site(0, yields=())(n)),
                                    E, "smelter", "SM-1", "accepted_grade_ids",
                                    ("no copper can reach any smelter", "650 t/yr")),
    "supplied grade never delivered": (site(0, yields=(YieldEntry("MOT", "MOT", 1.0),)), W, "grade", "MOT",
                                       "id", ("50 t/yr", "never be delivered")),
    "produced grade never delivered": (smelter(0, accepted_grade_ids=("BB", "NO2")), W, "grade", "MC", "id",
                                       ("produced", "never be delivered")),
    # multi-year periods
    "period after a gap": (lambda n: n.replace(periods=(Period(2025), Period(2027))), E, "period", "2027",
                           "year", ("starts in 2027", "expected 2026")),
    "period supply factor negative": (lambda n: n.replace(periods=(Period(2025, supply_factor=-1.0),)), E,
                                      "period", "2025", "supply_factor", ("supply factor", ">= 0")),
    "module capex negative": (module(0, 0, capex_cny=-5.0), E, "capacity_module", "DS-1/S", "capex_cny",
                              ("capex",)),
    # supply growth per grade and province
    "growth without periods": (growth(SupplyGrowth(2026, "BB", "Zhejiang", 1.1)), W, "growth",
                               "2026/BB/Zhejiang", "year", ("is not used", "Periods sheet")),
    "growth year starts no period": (growth(SupplyGrowth(2030, "BB", "Zhejiang", 1.1), periods=True), E,
                                     "growth", "2030/BB/Zhejiang", "year",
                                     ("the year 2030", "starts no period", "(2025, 2026)")),
    "growth unknown grade": (growth(SupplyGrowth(2026, "XX", "Zhejiang", 1.1), periods=True), E, "growth",
                             "2026/XX/Zhejiang", "grade_id", ('grade "XX"', "not on the Grades sheet")),
    "growth unknown province": (growth(SupplyGrowth(2026, "BB", "Jiangsu", 1.1), periods=True), E,
                                "growth", "2026/BB/Jiangsu", "province",
                                ('province "Jiangsu"', "no collection point", "(Zhejiang)")),
    "growth factor negative": (growth(SupplyGrowth(2026, "BB", "Zhejiang", -0.5), periods=True), E,
                               "growth", "2026/BB/Zhejiang", "factor", ("growth factor", ">= 0")),
    "growth listed twice": (growth(SupplyGrowth(2026, "NO2", "Zhejiang", 1.1),
                                   SupplyGrowth(2026, "NO2", "Zhejiang", 1.3), periods=True), E, "growth",
                            "2026/NO2/Zhejiang", "year", ("listed 2 times", "one line per year")),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_each_check(network: Network, case: str) -> None:
    mutate, severity, entity, entity_id, field, words = CASES[case]
    issue = the_issue(validate(mutate(network)), entity, entity_id, field)
    assert issue.severity is severity
    for word in words:
        assert word in issue.message
    assert issue.cell is None


def test_valid_network_has_no_issues(network: Network) -> None:
    assert validate(network) == []


def test_message_reads_well_for_a_planner(network: Network) -> None:
    issue = the_issue(validate(supply(1, 0, supply_t_per_year=-5.0)(network)), "supply", "CP-2/NO2",
                      "supply_t_per_year")
    assert issue.message == 'supply of grade "NO2" at collection point "CP-2" is -5 t/yr; expected >= 0'
    assert issue.value == -5.0
    assert issue.expected == ">= 0"
    assert str(issue) == issue.message


def test_warning_prints_with_its_prefix(network: Network) -> None:
    issue = the_issue(validate(params(circuity_factor=0.8)(network)), "parameters", "", "circuity_factor")
    assert str(issue).startswith("warning: circuity factor of the parameters is 0.8; expected >= 1")


def test_every_problem_is_reported_at_once(network: Network) -> None:
    broken = cp(0, lat=95.0)(supply(1, 0, supply_t_per_year=-5.0)(module(0, 0, capacity_t_per_year=-1.0)(
        params(target_utilization=2.0)(network))))
    keys = {(i.entity, i.entity_id, i.field) for i in validate(broken) if i.is_error}
    assert keys == {
        ("collection_point", "CP-1", "lat"),
        ("supply", "CP-2/NO2", "supply_t_per_year"),
        ("capacity_module", "DS-1/S", "capacity_t_per_year"),
        ("parameters", "", "target_utilization"),
    }


def test_yields_summing_to_one_within_tolerance_are_fine(network: Network) -> None:
    thirds = site(1, yields=tuple(YieldEntry("NO2", g, 1 / 3) for g in ("NO2", "MC", "MOT")))(network)
    assert validate(thirds) == []


def test_closed_site_without_modules_is_fine(network: Network) -> None:
    closed = site(1, status=SiteStatus.CLOSED, modules=())(network)
    assert [i for i in validate(closed) if i.entity == "site"] == []


def test_deliverable_grades_follow_chains_of_sites(network: Network) -> None:
    # Motors -> motor copper (dismantling) -> bare bright (sorting) -> the smelter, which takes BB only.
    chained = site(1, yields=(YieldEntry("MC", "BB", 0.9), YieldEntry("NO2", "BB", 0.5)))(
        smelter(0, accepted_grade_ids=("BB",))(network))
    assert deliverable_grades(chained) == {"BB", "MC", "MOT", "NO2"}
    assert [i for i in validate(chained) if i.entity == "grade"] == []


def test_closed_site_breaks_the_chain(network: Network) -> None:
    closed = site(0, status=SiteStatus.CLOSED)(network)
    assert "MOT" not in deliverable_grades(closed)
    issue = the_issue(validate(closed), "grade", "MOT", "id")
    assert issue.severity is W


def test_zero_yield_does_not_make_a_grade_deliverable(network: Network) -> None:
    assert "MOT" not in deliverable_grades(yield_(0, 0, fraction=0.0)(network))


def test_no_copper_at_all_is_one_error_not_a_warning_per_grade(network: Network) -> None:
    issues = validate(smelter(0, accepted_grade_ids=())(network))
    assert [(i.severity, i.entity, i.entity_id) for i in issues] == [
        (W, "smelter", "SM-1"), (E, "smelter", "SM-1"),
    ]


def test_no_copper_reaches_smelter_even_through_sites(network: Network) -> None:
    # The smelter only takes a grade nobody supplies or produces.
    only_mc = smelter(0, accepted_grade_ids=("MC",))(site(0, yields=())(network))
    errors = [i for i in validate(only_mc) if i.is_error]
    assert [i.message.split(":")[0] for i in errors] == ["no copper can reach any smelter"]


# --- located in a real workbook ---------------------------------------------------------------------

#: The sheet each entity's rows are on (sites: either site sheet).
SHEETS = {
    "grade": {"Grades"}, "collection_point": {"CollectionPoints"}, "supply": {"Supply"},
    "site": {"DismantlingSites", "SortingCenters"}, "capacity_module": {"CapacityModules"},
    "yield": {"Yields"}, "smelter": {"Smelters"}, "vehicle_type": {"VehicleTypes"},
    "parameters": {"Parameters"}, "distance": {"Distances"}, "period": {"Periods"},
    "growth": {"Growth"},
}

#: Cases with no cell of their own (a whole kind of entity is missing), or that the reader reports
#: itself (a blank id is a missing required value).
UNLOCATED = {"no grades", "no collection points", "no smelters", "grade empty id"}

#: Cases a workbook cannot hold: text longer than an Excel cell (the writer refuses it, and openpyxl
#: cuts a cell at 32,767 characters when reading), so they are checked on the model only.
UNWRITABLE = {"a name of 100,000 characters", "a grade name of 40,000 characters",
              "a network name of 40,000 characters"}


#: Cases whose issue value is a sum or a count, in no single cell; they point at the field's cell.
AGGREGATES = {
    "yields of one input above 1", "yield listed twice", "smelter accepts no grades",
    "no copper reaches a smelter", "distance listed twice", "supply grade listed twice",
}


@pytest.mark.parametrize("case", sorted(set(CASES) - UNLOCATED - UNWRITABLE))
def test_each_check_points_at_its_cell(case: str, tmp_path: Path) -> None:
    """Written to a workbook and loaded back, each issue names the cell holding the bad value, or the
    id cell of the offending row when the problem is the row as a whole."""
    mutate, severity, entity, entity_id, field, _ = CASES[case]
    path = tmp_path / "network.xlsx"
    write_network(mutate(small_network()), path)
    issue = the_issue(load_network(path).issues, entity, entity_id, field)
    assert issue.severity is severity
    assert issue.cell is not None and issue.cell.sheet in SHEETS[entity]
    ws = openpyxl.load_workbook(path)[issue.cell.sheet]
    in_cell = ws[f"{issue.cell.column}{issue.cell.row}"].value
    row = [c.value for c in ws[issue.cell.row]]
    if entity == "parameters":
        assert in_cell == issue.value
        return
    # the entity's row ...
    assert all(part in row or part in map(str, row) for part in entity_id.split("/") if part != issue.value)
    if field in ("modules", "yields", "supplies"):
        # ... at its id, since the problem is the row as a whole
        assert (issue.cell.column, in_cell) == ("A", entity_id)
    elif case not in AGGREGATES:
        # ... at the bad value itself
        assert in_cell == issue.value or str(issue.value) in str(in_cell).split(", ")
    assert str(issue).startswith(("warning: ", "")) and f"{issue.cell}: " in str(issue)


def test_duplicate_id_points_at_the_repeat(network: Network, tmp_path: Path) -> None:
    path = tmp_path / "network.xlsx"
    write_network(cp(1, id="CP-1", supplies=())(network), path)
    issue = the_issue(load_network(path).issues, "collection_point", "CP-1", "id")
    assert str(issue.cell) == "CollectionPoints!A3"


# --- copper conservation, magnitudes, Excel's cell limit --------------------------------------

SAMPLES = Path(__file__).resolve().parents[2] / "sample_networks"


def test_the_yield_that_made_teaching_deliver_135_percent_is_refused_at_its_row(tmp_path: Path) -> None:
    """The reported case: on the teaching network, whole motors (10 % Cu) -> bare bright (99 %)
    at 1.0 solved "optimal" with 134.6 % utilization; now validation refuses it at that Yields row."""
    network = load_network(SAMPLES / "teaching.xlsx").network
    index = next(i for i, s in enumerate(network.sites) if "MOT" in s.accepted_grade_ids)
    target = network.sites[index]
    yields = (*(y for y in target.yields if y.input_grade_id != "MOT"), YieldEntry("MOT", "BB", 1.0))
    path = tmp_path / "teaching_motors_to_bare_bright.xlsx"
    write_network(site(index, yields=yields)(network), path)
    errors = [i for i in load_network(path).issues if i.is_error]
    assert [(i.code, i.entity_id) for i in errors] == [("yield.creates_copper", f"{target.id}/MOT/BB")]
    cell = errors[0].cell
    assert cell is not None and cell.sheet == "Yields"
    ws = openpyxl.load_workbook(path)["Yields"]
    assert [c.value for c in ws[cell.row]] == [target.id, "MOT", "BB", 1]
    assert ws[f"{cell.column}{cell.row}"].value == 1
    assert "holding 0.1 t of copper into grades holding 0.99 t" in errors[0].message


def test_yields_that_keep_or_lose_copper_are_fine(network: Network) -> None:
    # motor copper passing through unchanged keeps exactly its copper; motors -> motor copper lose most
    kept = site(0, yields=(YieldEntry("MOT", "MC", 0.10), YieldEntry("MC", "MC", 1.0)))(network)
    assert validate(kept) == []
    # 0.1 t of motor copper (93 %) from a tonne of motors (10 %): 0.093 t of copper, within the tonne's 0.1 t
    assert [i for i in validate(yield_(0, 0, fraction=0.107)(network)) if i.entity == "yield"] == []
    assert [i.code for i in validate(yield_(0, 0, fraction=0.108)(network)) if i.entity == "yield"] == [
        "yield.creates_copper"
    ]


_LONG_NUMBER = re.compile(r"\d{16,}")


def test_no_message_prints_a_huge_number_in_full(network: Network) -> None:
    """1e308 t/yr, a planning year of 1e308 (read into a whole number of 309 digits) and a count beyond
    any float all print in scientific notation, in English and Chinese."""
    broken = supply(1, 0, supply_t_per_year=1e308)(
        params(planning_year=int(1e308))(vehicle(0, count_per_depot=10**400)(network))
    )
    issues = [i for i in validate(broken) if i.is_error]
    assert {(i.entity, i.field) for i in issues} >= {
        ("supply", "supply_t_per_year"), ("parameters", "planning_year"), ("vehicle_type", "count_per_depot"),
    }
    for issue in issues:
        for lang in ("en", "zh"):
            assert _LONG_NUMBER.search(issue.text(lang)) is None, issue.text(lang)
    assert any("1e+400" in i.message for i in issues)


def test_a_huge_number_is_refused_before_it_reaches_a_solver(network: Network) -> None:
    """Each magnitude the issue found passing (and ending as nan or "the solver failed") is an error."""
    for mutate in (
        supply(1, 0, supply_t_per_year=1e308), module(0, 0, capacity_t_per_year=1e308),
        smelter(0, capacity_t_per_year=1e308), vehicle(0, count_per_depot=1_000_000),
        params(annual_budget_cny=1e308), distance(0, road_km=1e308),
    ):
        errors = [i for i in validate(mutate(network)) if i.is_error]
        assert len(errors) == 1 and "beyond what the solvers compute with" in errors[0].message
    [year] = [i for i in validate(params(planning_year=int(1e308))(network)) if i.is_error]
    assert year.message == "planning year of the parameters is 1e+308; expected between 1900 and 9999"


def test_a_long_text_is_refused_without_being_echoed(network: Network) -> None:
    issues = validate(cp(0, name="x" * 100_000, province="p" * 32_768)(network))
    assert [(i.field, i.value) for i in issues] == [("name", 100_000), ("province", 32_768)]
    assert all(len(i.message) < 200 for i in issues)
    assert validate(cp(0, name="x" * 32_767)(network)) == []


def test_a_long_id_is_shortened_in_messages_but_matched_in_full(network: Network) -> None:
    long_id = "CP-" + "9" * 40_000
    issues = validate(cp(1, id=long_id)(network))
    assert [(i.entity_id, i.field) for i in issues if i.entity == "collection_point"] == [(long_id, "id")]
    assert all(len(i.message) < 400 for i in issues)


def test_far_nodes_are_found_on_a_network_of_thousands_of_yards_quickly(network: Network) -> None:
    import time

    yards = tuple(
        replace(network.collection_points[1], id=f"CP-{k}", lat=25 + k % 200 * 0.05, lon=115 + k // 200 / 4)
        for k in range(4_000)
    )
    far_west = replace(network.collection_points[1], id="CP-KASHGAR", lat=39.47, lon=75.99)
    started = time.perf_counter()
    issues = _far(validate(network.replace(collection_points=(*yards, far_west, *network.collection_points))))
    assert time.perf_counter() - started < 5.0
    assert [(i.entity_id, i.severity) for i in issues] == [("CP-KASHGAR", W)]
    assert "km from the nearest site or smelter" in issues[0].message


def _far(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.code.startswith("far.")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_copperloop_validate_refuses_absurd_magnitudes_in_scientific_notation(
    network: Network, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    from optimizer import cli

    path = tmp_path / "huge.xlsx"
    write_network(supply(1, 0, supply_t_per_year=1e308)(params(planning_year=int(1e308))(network)), path)
    assert cli.main(["validate", "--lang", lang, str(path)]) == 2
    out = capsys.readouterr().out
    assert out.count("1e+308") == 2 and _LONG_NUMBER.search(out) is None
    assert "Supply!C" in out and ("Parameters!B" in out or "参数!B" in out)
