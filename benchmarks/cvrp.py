"""CVRP benchmark: VRPLIB ``.vrp`` instances solved through ``plan_routes``, gaps to the best known.

Usage::

    python benchmarks/cvrp.py ../shared/benchmarks/cvrp/A --engine both --time-limit 5
    python benchmarks/cvrp.py ../shared/benchmarks/cvrp/X --time-limit 30

Conventions (../shared/benchmarks/README.md): A and X use Euclidean distances rounded to the nearest
integer (TSPLIB ``nint``) and cost = sum of rounded arcs; the A set's fleet is fixed to the ``k`` of the
name, the X set's is unlimited. CMT instances use unrounded distances, here scaled by 1000 and rounded
(so costs are exact to about 0.001 per arc), with their ``DISTANCE`` limit on travel + service.

Each instance is one depot with one vehicle type of the instance's capacity, no fixed cost, every
customer required and no reloads; the cost is recomputed from the returned routes and checked.
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _routing_common import Instance, arguments, read_index, run, select, sequences

from optimizer.routing import DepotProblem, Fleet, RoutePlan, Units, Visit


def read_vrp(path: Path) -> dict:
    """Header values, coordinates, demands and depot of a VRPLIB file."""
    header: dict[str, str] = {}
    coords: dict[int, tuple[float, float]] = {}
    demand: dict[int, int] = {}
    depots: list[int] = []
    section = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("_SECTION"):
            section = line
            continue
        if ":" in line and section is None:
            key, value = line.split(":", 1)
            header[key.strip()] = value.strip().strip('"')
            continue
        parts = line.split()
        if section == "NODE_COORD_SECTION":
            coords[int(parts[0])] = (float(parts[1]), float(parts[2]))
        elif section == "DEMAND_SECTION":
            demand[int(parts[0])] = int(parts[1])
        elif section == "DEPOT_SECTION" and int(parts[0]) >= 0:
            depots.append(int(parts[0]))
    return {"header": header, "coords": coords, "demand": demand, "depot": depots[0]}


def instance(path: Path) -> Instance:
    data = read_vrp(path)
    header = data["header"]
    name = header.get("NAME", path.stem).strip()
    depot = data["depot"]
    nodes = [depot] + [i for i in sorted(data["coords"]) if i != depot]
    xy = np.array([data["coords"][i] for i in nodes])
    exact = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    cmt = name.upper().startswith("CMT")
    scale = 1000 if cmt else 1
    # TSPLIB nint: floor(x + 0.5); CMT: unrounded, kept to 1/1000.
    distance = np.floor(exact * scale + 0.5).astype(np.int64)
    n = len(nodes) - 1
    capacity = int(header["CAPACITY"])
    match = re.search(r"-k(\d+)", name)
    fixed_fleet = name.startswith("A-") and match is not None
    count = int(match.group(1)) if fixed_fleet and match else n
    service = round(float(header.get("SERVICE_TIME", 0)) * scale)
    max_duration = round(float(header["DISTANCE"]) * scale) if "DISTANCE" in header else None
    visits = tuple(Visit(point_id=str(i), pickup=data["demand"][i], service=service) for i in nodes[1:])
    horizon = max_duration if max_duration is not None else int(distance.max()) * (n + 1) + service * n
    problem = DepotProblem(
        name=name,
        depot_id=str(depot),
        visits=visits,
        fleets=(Fleet("truck", "truck", count, capacity, max_duration=max_duration),),
        distance=distance,
        durations=(distance,),
        horizon=horizon,
        units=Units(km_per_distance=1.0 / scale, hours_per_time=1.0 / scale, kg_per_load=1.0,
                    cny_per_cost=1.0 / scale),
    )
    index = {node: k for k, node in enumerate(nodes)}
    demand = data["demand"]

    def evaluate(plan: RoutePlan) -> tuple[float, list[str]]:
        problems = []
        seen: list[int] = []
        total = 0
        for trips in sequences(plan):
            for trip in trips:
                route = [depot, *(int(p) for p in trip), depot]
                length = sum(int(distance[index[a], index[b]]) for a, b in itertools.pairwise(route))
                total += length
                load = sum(demand[c] for c in route[1:-1])
                if load > capacity:
                    problems.append(f"load {load} > {capacity}")
                if max_duration is not None and length + service * (len(route) - 2) > max_duration:
                    problems.append("route longer than DISTANCE")
                seen += route[1:-1]
        if sorted(seen) != sorted(nodes[1:]):
            problems.append("customers missing or visited twice")
        if fixed_fleet and len(plan.routes) > count:
            problems.append(f"{len(plan.routes)} routes > k = {count}")
        return total / scale, problems

    return Instance(name, problem, evaluate)


def main() -> None:
    args = arguments("CVRP benchmark through plan_routes", default_limit=5.0)
    paths = select(sorted(args.folder.glob("*.vrp"), key=_natural), args.only)
    if not paths:
        raise SystemExit(f"no .vrp files matching {args.only!r} in {args.folder}")
    engines = ["pyvrp", "ortools"] if args.engine == "both" else [args.engine]
    digits = 2 if any(p.stem.upper().startswith("CMT") for p in paths) else 0
    run([instance(p) for p in paths], read_index(args.folder), engines, args.time_limit, args.seed, digits)


def _natural(path: Path) -> list[object]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.stem)]


if __name__ == "__main__":
    main()
