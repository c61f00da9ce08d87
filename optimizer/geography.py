"""The orientation layer's data: China's province outlines and the coastlines, as lon/lat polylines.

One file (``optimizer/resources/geography.json``, built by ``app/resources/build_geography.py`` from
DCW-GMT and GSHHS, both LGPL-3.0+) serves the app's map and the plan report's map, so it ships with
the headless package. It is an orientation aid, not a reviewed map: China's map rules require review
for maps shown in public, so both maps say so and let the user leave it out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

#: the shipped file (package data; the frozen app carries it at the same relative place)
GEOGRAPHY_FILE = Path(__file__).resolve().parent / "resources" / "geography.json"

#: a point of an outline: (longitude, latitude) in degrees
Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Outlines:
    """The layer's polylines, with the attribution its licence asks for."""

    lines: tuple[tuple[Point, ...], ...]
    attribution: str

    @property
    def points(self) -> int:
        return sum(len(line) for line in self.lines)


def geography_path() -> Path:
    """Where the shipped orientation layer is (the app reads and draws it itself)."""
    return GEOGRAPHY_FILE


def load_outlines(path: Path = GEOGRAPHY_FILE) -> Outlines | None:
    """Province outlines and coastlines as polylines, or None when the file is not there."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    scale = float(data["scale"])

    def polyline(flat: list[int]) -> tuple[Point, ...]:
        return tuple((flat[i] / scale, flat[i + 1] / scale) for i in range(0, len(flat) - 1, 2))

    rings = [flat for p in data["provinces"] for flat in p["lines"]] + list(data["coast"])
    return Outlines(tuple(polyline(flat) for flat in rings), str(data["attribution"]))


def outlines_within(
    outlines: Outlines, lon_min: float, lon_max: float, lat_min: float, lat_max: float, max_points: int
) -> tuple[tuple[Point, ...], ...]:
    """The polylines that reach into the box, thinned evenly to about ``max_points`` points in all
    (each line keeps its last point, and a short line at least four).

    A spreadsheet chart draws every point it is given: the report's map keeps a few thousand so that
    the workbook stays small and LibreOffice converts it quickly.
    """

    def inside(p: Point) -> bool:
        return lon_min <= p[0] <= lon_max and lat_min <= p[1] <= lat_max

    kept = [line for line in outlines.lines if len(line) >= 2 and any(inside(p) for p in line)]
    total = sum(len(line) for line in kept)
    if total == 0:
        return ()
    step = max(1, -(-total // max(max_points, 1)))
    thinned = []
    for line in kept:
        # a small ring keeps four points at least, or thinning would collapse it to its start
        points = line[:: min(step, max(1, len(line) // 4))]
        if points[-1] != line[-1]:
            points = (*points, line[-1])
        if len(points) >= 2:
            thinned.append(points)
    return tuple(thinned)
