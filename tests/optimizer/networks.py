"""Small hand-made networks shared by the validation and CLI tests and by tests/data/make_broken.py."""

from __future__ import annotations

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


def small_network() -> Network:
    """A valid network that exercises every entity: whole motors reach the smelter only via dismantling.

    Bare bright and No.2 go straight to the smelter; whole motors (MOT) become motor copper (MC) at the
    dismantling site; No.2 can also be upgraded at the sorting center.
    """
    return Network(
        name="valid",
        grades=(
            Grade("BB", "Bare bright", "光亮铜", 0.99, 0.985),
            Grade("NO2", "No.2 copper", "2号铜", 0.95),
            Grade("MOT", "Whole motors", "电机", 0.10),
            Grade("MC", "Motor copper", "马达铜", 0.93),
        ),
        collection_points=(
            CollectionPoint(
                "CP-1", "Yard one", 30.0, 120.0, "Zhejiang",
                (Supply("BB", 100.0), Supply("NO2", 200.0, 60_000.0), Supply("MOT", 50.0)),
                buyback_coefficient=0.9, assigned_site_id="DS-1",
            ),
            CollectionPoint("CP-2", "Yard two", 30.1, 120.1, "Zhejiang", (Supply("NO2", 300.0),)),
        ),
        sites=(
            ProcessingSite(
                "DS-1", "Dismantler", SiteKind.DISMANTLING, 30.05, 120.05, "Zhejiang", SiteStatus.CANDIDATE,
                (CapacityModule("S", 20_000.0, 2e6), CapacityModule("L", 50_000.0, 4e6)),
                150.0, 5.0, (YieldEntry("MOT", "MC", 0.10),),
            ),
            ProcessingSite(
                "SC-1", "Sorter", SiteKind.SORTING, 30.2, 120.2, "Zhejiang", SiteStatus.EXISTING,
                (CapacityModule("M", 30_000.0, 3e6),),
                100.0, 2.0, (YieldEntry("NO2", "BB", 0.6), YieldEntry("NO2", "NO2", 0.35)),
            ),
        ),
        smelters=(
            Smelter("SM-1", "Smelter", 31.0, 121.0, "Jiangsu", 200_000.0, ("BB", "NO2", "MC"), 0.9),
        ),
        vehicle_types=(VehicleType("T8", "8 t truck", 8.0, 600.0, 3.5, depot_ids=("DS-1", "SC-1")),),
        parameters=Parameters(target_utilization=0.85, max_new_sites=2, max_haul_km_collection=300.0),
        distances=(DistanceOverride("CP-1", "DS-1", 12.0), DistanceOverride("SC-1", "SM-1", None, 40.0)),
    )
