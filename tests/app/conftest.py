"""Shared fixtures for the desktop-app tests: offscreen Qt, small hand-made networks, the samples.

``QT_QPA_PLATFORM`` must be set before any Qt module is imported, so it is set here at import time.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    Grade,
    Network,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    VehicleType,
    YieldEntry,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_networks"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def tiny_network() -> Network:
    """Two collection points, one candidate dismantling site, one smelter: small enough to read."""
    grades = (
        Grade("No1", "No.1 copper", "1号铜", 0.99, 0.97),
        Grade("MOT", "Motors", "电机", 0.10),
    )
    cps = (
        CollectionPoint(
            "CP-01", "Yard A", 30.60, 114.30, "Hubei", (Supply("No1", 1000.0), Supply("MOT", 500.0))
        ),
        CollectionPoint("CP-02", "Yard B", 30.50, 114.10, "Hubei", (Supply("No1", 400.0),)),
    )
    sites = (
        ProcessingSite(
            "DS-01",
            "Dismantler",
            SiteKind.DISMANTLING,
            30.55,
            114.20,
            "Hubei",
            SiteStatus.CANDIDATE,
            (CapacityModule("S", 2000.0, 1e6),),
            50.0,
            5.0,
            (YieldEntry("No1", "No1", 1.0), YieldEntry("MOT", "No1", 0.1)),
        ),
    )
    smelters = (Smelter("SM-01", "Smelter", 30.20, 115.00, "Hubei", 10000.0, ("No1",)),)
    vehicles = (VehicleType("T5", "5 t truck", 5.0, 300.0, 3.0),)
    return Network("Tiny", grades, cps, sites, smelters, vehicles)
