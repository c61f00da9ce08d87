"""Distances between nodes: the user's road distances when given, else great-circle x circuity."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optimizer.model import Network

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def great_circle_matrix_km(
    lat_a: np.ndarray, lon_a: np.ndarray, lat_b: np.ndarray, lon_b: np.ndarray
) -> np.ndarray:
    """Vectorised haversine: an ``len(a) x len(b)`` matrix of km."""
    p1 = np.radians(np.asarray(lat_a, dtype=float))[:, None]
    p2 = np.radians(np.asarray(lat_b, dtype=float))[None, :]
    lon1 = np.radians(np.asarray(lon_a, dtype=float))[:, None]
    dl = np.radians(np.asarray(lon_b, dtype=float))[None, :] - lon1
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    km: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return km


@dataclass(frozen=True, slots=True)
class ArcMeasure:
    """Road km of an arc and, when the user gave one, a fixed transport cost per tonne."""

    road_km: float
    cost_cny_per_t: float | None


class DistanceOracle:
    """Answers road km (and overridden per-tonne cost) between any two nodes of a network.

    Overrides apply in both directions unless the reverse pair has its own entry.
    """

    def __init__(self, network: Network) -> None:
        self._circuity = network.parameters.circuity_factor
        self._coords = {n.id: (n.lat, n.lon) for n in network.nodes()}
        self._override: dict[tuple[str, str], tuple[float | None, float | None]] = {}
        for d in network.distances:
            self._override.setdefault((d.to_id, d.from_id), (d.road_km, d.cost_cny_per_t))
        for d in network.distances:
            self._override[(d.from_id, d.to_id)] = (d.road_km, d.cost_cny_per_t)

    def measure(self, a: str, b: str) -> ArcMeasure:
        km_override, cost = self._override.get((a, b), (None, None))
        km = km_override if km_override is not None else self.estimated_km(a, b)
        return ArcMeasure(km, cost)

    def km(self, a: str, b: str) -> float:
        return self.measure(a, b).road_km

    def estimated_km(self, a: str, b: str) -> float:
        """Great-circle distance x circuity, ignoring overrides."""
        (la, oa), (lb, ob) = self._coords[a], self._coords[b]
        return great_circle_km(la, oa, lb, ob) * self._circuity
