"""Real workbooks for the Excel tests, built with openpyxl and zipfile (no mocks): a small valid network
and helpers to damage one cell, one sheet or one zip part of it."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from optimizer.io import write_network
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
    """Two grades, two collection points with four supply rows (Supply rows 2-5, CP-2/No2 on row 5),
    one site of each kind, a smelter, a truck and one distance: every sheet has a row."""
    return Network(
        name="Small test network",
        grades=(Grade("No1", "Bare bright", "光亮铜线", 0.99, 0.985), Grade("No2", "No. 2", "二号铜", 0.94)),
        collection_points=(
            CollectionPoint(
                "CP-1",
                "Yard one",
                31.0,
                121.0,
                "Jiangsu",
                (Supply("No1", 100.0, 70000.0), Supply("No2", 50.0)),
                buyback_coefficient=0.9,
            ),
            CollectionPoint(
                "CP-2",
                "Yard two",
                31.5,
                120.5,
                "Zhejiang",
                (Supply("No1", 20.0), Supply("No2", 80.0)),
                visits_per_week=2,
            ),
        ),
        sites=(
            ProcessingSite(
                "DS-1",
                "Dismantler",
                SiteKind.DISMANTLING,
                30.9,
                120.9,
                status=SiteStatus.EXISTING,
                modules=(CapacityModule("M1", 500.0, 1e5),),
                yields=(YieldEntry("No2", "No1", 0.3), YieldEntry("No2", "No2", 0.6)),
            ),
            ProcessingSite(
                "SC-1",
                "Sorter",
                SiteKind.SORTING,
                31.2,
                121.2,
                modules=(CapacityModule("M1", 1000.0, 2e5), CapacityModule("M2", 3000.0, 4e5)),
                yields=(YieldEntry("No1", "No1", 1.0),),
            ),
        ),
        smelters=(
            Smelter(
                "SM-1",
                "Smelter",
                28.3,
                117.2,
                capacity_t_per_year=1e5,
                accepted_grade_ids=("No1", "No2"),
                min_copper_content=0.9,
            ),
        ),
        vehicle_types=(VehicleType("T10", "Truck", 10.0, 800.0, 3.5, depot_ids=("DS-1", "SC-1")),),
        parameters=Parameters(copper_price_cny_per_t=74000.0, max_new_sites=1),
        distances=(DistanceOverride("CP-1", "SC-1", 42.0, None),),
    )


def write_small(tmp_path: Path, lang: str = "en", name: str = "net.xlsx") -> Path:
    path = tmp_path / name
    write_network(small_network(), path, lang)
    return path


def edit(path: Path, change: Callable[[openpyxl.Workbook], Any]) -> Path:
    """Open ``path`` with openpyxl, apply ``change`` and save it back."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def set_cell(path: Path, sheet: str, coordinate: str, value: Any) -> Path:
    def change(wb: openpyxl.Workbook) -> None:
        wb[sheet][coordinate] = value

    return edit(path, change)


def sheet_part(path: Path, title: str) -> str:
    """The zip part name of worksheet ``title``."""
    wb = openpyxl.load_workbook(path, read_only=True)
    index = wb.sheetnames.index(title) + 1
    wb.close()
    return f"xl/worksheets/sheet{index}.xml"


def rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one zip member of ``path`` through ``change`` (the other members are copied as they are)."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            dst.writestr(info, change(data) if info.filename == part else data)
    return path


def sub(pattern: str, replacement: str) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        new, count = re.subn(pattern.encode(), replacement.encode(), data, count=1)
        assert count == 1, f"{pattern!r} not found"
        return new

    return change
