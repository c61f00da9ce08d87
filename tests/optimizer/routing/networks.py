"""Tiny networks for the routing tests, with road distances set exactly by distance overrides."""

from __future__ import annotations

import dataclasses

from optimizer.design.options import SolveOptions
from optimizer.design.plan import AssignmentShare, Kpis, OpenedSite, Plan, PlanStatus, PointAssignment
from optimizer.messages import msg
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
    VehicleType,
    YieldEntry,
)

GRADE = Grade("No1", "No.1 copper", "一号铜", 0.99)
#: Far from everything: the workbook needs a buyer, routing never goes there.
SMELTER = Smelter("SM", "smelter", 32.0, 121.0, capacity_t_per_year=1e6, accepted_grade_ids=("No1",))


def site(site_id: str, lat: float = 31.0, lon: float = 121.0, status: SiteStatus = SiteStatus.EXISTING
         ) -> ProcessingSite:
    return ProcessingSite(
        site_id, site_id, SiteKind.DISMANTLING, lat, lon, status=status,
        modules=(CapacityModule(f"{site_id}-M", 10_000.0, 0.0),), yields=(YieldEntry("No1", "No1", 1.0),),
    )


def point(point_id: str, t_per_year: float, lat: float = 31.05, lon: float = 121.05, **kw: object
          ) -> CollectionPoint:
    return CollectionPoint(point_id, point_id, lat, lon, supplies=(Supply("No1", t_per_year),), **kw)  # type: ignore[arg-type]


def truck(count: int = 1, payload_t: float = 2.0, **kw: object) -> VehicleType:
    values: dict[str, object] = dict(
        fixed_cost_cny_per_day=100.0, cost_cny_per_km=2.0, speed_km_per_h=40.0, max_shift_h=10.0,
        count_per_depot=count, co2_kg_per_km=0.5,
    )
    values.update(kw)
    return VehicleType("T2", "2 t truck", payload_t, **values)  # type: ignore[arg-type]


def network(
    points: tuple[CollectionPoint, ...],
    road_km: dict[tuple[str, str], float],
    *,
    sites: tuple[ProcessingSite, ...] = (site("DS1"),),
    vehicles: tuple[VehicleType, ...] = (truck(),),
    working_days: int = 6,
) -> Network:
    return Network(
        name="tiny",
        grades=(GRADE,),
        collection_points=points,
        sites=sites,
        vehicle_types=vehicles,
        smelters=(SMELTER,),
        parameters=Parameters(working_days_per_week=working_days, weeks_per_year=50),
        distances=tuple(DistanceOverride(a, b, road_km=km) for (a, b), km in road_km.items()),
    )


def two_point_network(working_days: int) -> Network:
    """Depot DS1, points A and B 10 km away each and 5 km apart, 10 t/yr each (200 kg a visit)."""
    return network(
        (point("A", 10.0), point("B", 10.0, lat=31.06)),
        {("DS1", "A"): 10.0, ("DS1", "B"): 10.0, ("A", "B"): 5.0},
        working_days=working_days,
    )


def opened(site_id: str) -> OpenedSite:
    return OpenedSite(
        site_id=site_id, name=site_id, kind="dismantling", status="existing", province="", lat=31.0,
        lon=121.0, module_id="M1", capacity_t=1000.0, fixed_cost_cny=0.0, throughput_t=0.0,
        utilization_pct=0.0, input_t_by_grade={}, output_t_by_grade={}, residue_t=0.0, residue_t_cu=0.0,
        processing_cost_cny=0.0, co2_t=0.0,
    )


def plan_assigning(opened_sites: list[str], shares: dict[str, list[tuple[str, float]]]) -> Plan:
    """A network-design plan that opens ``opened_sites`` and sends each point's tonnes as given."""
    return Plan(
        status=PlanStatus.OPTIMAL, status_message=msg("status.optimal"), objective_name="profit",
        objective=0.0, best_bound=0.0,
        gap=0.0, runtime_s=0.0, build_s=0.0, solver="highs", options=SolveOptions(), network_name="tiny",
        sites=tuple(opened(s) for s in opened_sites),
        kpis=Kpis(**{f.name: {} if "dict" in str(f.type) else 0 for f in dataclasses.fields(Kpis)}),
        assignments=tuple(
            PointAssignment(
                point_id=pid, name=pid, province="", supply_t_by_grade={"No1": sum(t for _, t in parts)},
                collected_t_by_grade={"No1": sum(t for _, t in parts)},
                shares=tuple(AssignmentShare(dest, "site", {"No1": t}) for dest, t in parts),
                primary_destination_id=parts[0][0] if parts else None,
            )
            for pid, parts in shares.items()
        ),
    )
