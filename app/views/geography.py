"""The map's orientation layer: coastlines and province outlines under the network, or the user's own.

The shipped layer (``optimizer/resources/geography.json``, built by ``app/resources/build_geography.py`` from
Debian's DCW-GMT and GSHHS packages, both LGPL-3.0-or-later) is simplified for orientation only; China's
map rules require a reviewed map for maps shown in public, so the map says "for orientation, not a
reviewed map" and the user may switch the layer off or load an outline of their own (GeoJSON, or a
polygon or line shapefile), for example a reviewed one.

City names (English and Chinese, with a label rank: municipalities 0, provincial capitals 1, then by
size) come in the same file from the project's own table of prefecture seats; the map shows the low
ranks at country zoom and more as one zooms in.

Every outline becomes one array of (lon, lat) rows with NaN rows between lines, so a whole layer is one
pyqtgraph curve: drawing stays a single item however many provinces or coasts there are.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from optimizer import geography_path

RESOURCE = geography_path()


class OutlineError(ValueError):
    """An outline file that cannot be read: the message says which file and why."""


@dataclass(frozen=True)
class ProvinceLabel:
    lon: float
    lat: float
    name_en: str
    name_zh: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class CityLabel:
    """A prefecture-level city's seat; ``rank`` 0 (municipality) to 4 (smallest) says at which zoom its
    name appears."""

    lon: float
    lat: float
    name_en: str
    name_zh: str
    rank: int

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Geography:
    """Outlines ready to draw: ``provinces`` and ``coast`` as NaN-separated (n, 2) arrays; ``cities``
    ordered by rank (the most important first)."""

    provinces: np.ndarray
    coast: np.ndarray
    labels: tuple[ProvinceLabel, ...]
    attribution: str
    cities: tuple[CityLabel, ...] = ()

    @property
    def points(self) -> int:
        return int(np.isfinite(self.provinces[:, 0]).sum() + np.isfinite(self.coast[:, 0]).sum())


def _joined(lines: list[np.ndarray]) -> np.ndarray:
    """Lines as one array with a NaN row after each (pyqtgraph's ``connect="finite"`` breaks there)."""
    if not lines:
        return np.zeros((0, 2))
    gap = np.full((1, 2), np.nan)
    return np.concatenate([part for line in lines for part in (line, gap)])


def load_shipped(path: Path = RESOURCE) -> Geography | None:
    """The orientation layer shipped with the app, or None when the file is missing."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    scale = float(data["scale"])

    def rings(flat_lists: list[list[int]]) -> list[np.ndarray]:
        return [np.asarray(flat, dtype=float).reshape(-1, 2) / scale for flat in flat_lists]

    provinces = [ring for p in data["provinces"] for ring in rings(p["lines"])]
    labels = tuple(
        ProvinceLabel(float(p["label"][0]), float(p["label"][1]), p["name_en"], p["name_zh"])
        for p in data["provinces"]
    )
    cities = tuple(
        CityLabel(lon / scale, lat / scale, str(en), str(zh), int(rank))
        for lon, lat, en, zh, rank in data.get("cities", [])
    )
    return Geography(
        _joined(provinces), _joined(rings(data["coast"])), labels, str(data["attribution"]), cities
    )


def load_outline(path: Path) -> Geography:
    """A user's outline file (GeoJSON or shapefile) as a layer of its own (drawn as outlines)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".geojson", ".json"):
            lines = _geojson_lines(json.loads(path.read_text(encoding="utf-8")))
        elif suffix == ".shp":
            lines = _shapefile_lines(path.read_bytes())
        else:
            raise OutlineError(f"{path.name}: expected a .geojson, .json or .shp file")
    except OutlineError:
        raise
    except (OSError, ValueError, KeyError, TypeError, struct.error) as exc:
        raise OutlineError(f"{path.name}: {exc}") from exc
    if not lines:
        raise OutlineError(f"{path.name}: no lines or polygons found")
    return Geography(_joined(lines), np.zeros((0, 2)), (), path.name)


def _geojson_lines(obj: Any) -> list[np.ndarray]:
    kind = obj.get("type") if isinstance(obj, dict) else None
    if kind == "FeatureCollection":
        return [line for f in obj.get("features", []) for line in _geojson_lines(f)]
    if kind == "Feature":
        return _geojson_lines(obj.get("geometry") or {})
    if kind == "GeometryCollection":
        return [line for g in obj.get("geometries", []) for line in _geojson_lines(g)]
    coords: Any = obj.get("coordinates") if isinstance(obj, dict) else None
    groups: list[Any]
    if kind == "LineString":
        groups = [coords]
    elif kind in ("MultiLineString", "Polygon"):
        groups = coords
    elif kind == "MultiPolygon":
        groups = [ring for polygon in coords for ring in polygon]
    else:
        return []
    return [np.asarray(g, dtype=float)[:, :2] for g in groups if len(g) >= 2]


def _shapefile_lines(data: bytes) -> list[np.ndarray]:
    """Rings and lines of a polygon (5) or polyline (3) shapefile, read with the standard library."""
    if len(data) < 100 or struct.unpack(">i", data[:4])[0] != 9994:
        raise OutlineError("not a shapefile (.shp)")
    lines: list[np.ndarray] = []
    pos = 100
    while pos + 8 <= len(data):
        _number, length_words = struct.unpack(">ii", data[pos : pos + 8])
        content = data[pos + 8 : pos + 8 + 2 * length_words]
        pos += 8 + 2 * length_words
        if len(content) < 44 or struct.unpack("<i", content[:4])[0] not in (3, 5):
            continue
        num_parts, num_points = struct.unpack("<ii", content[36:44])
        starts = list(struct.unpack(f"<{num_parts}i", content[44 : 44 + 4 * num_parts]))
        offset = 44 + 4 * num_parts
        xy = np.frombuffer(content[offset : offset + 16 * num_points], dtype="<f8").reshape(-1, 2)
        lines += [xy[a:b] for a, b in zip(starts, [*starts[1:], num_points], strict=True) if b - a >= 2]
    return lines
