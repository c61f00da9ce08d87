"""VRPTW benchmark: Solomon instances solved through ``plan_routes``, distance gaps to the best known.

Usage::

    python benchmarks/vrptw.py ../shared/benchmarks/vrptw/solomon --engine both --time-limit 30

Convention (../shared/benchmarks/README.md): minimise total distance only, with every arc length (and
so every travel time) truncated to one decimal, ``floor(10 d) / 10``. Scaling everything by 10 makes the
convention exact in integers: arcs ``floor(10 d)``, ready and due times and service times x 10. The
fleet is the file's vehicle count and capacity, the depot's due date the end of the horizon, and a
customer's due date is the latest start of its service. The distance is recomputed from the returned
routes and every capacity and window is re-checked by a plain simulation.
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

SCALE = 10


def read_solomon(path: Path) -> tuple[str, int, int, list[list[float]]]:
    """Name, vehicle count, capacity and the customer rows (number, x, y, demand, ready, due, service)."""
    lines = [line.strip() for line in path.read_text().splitlines()]
    name = lines[0]
    vehicles = capacity = 0
    rows: list[list[float]] = []
    for k, line in enumerate(lines):
        if line.startswith("NUMBER"):
            vehicles, capacity = (int(t) for t in lines[k + 1].split()[:2])
        parts = line.split()
        if len(parts) == 7 and all(re.fullmatch(r"-?\d+(\.\d+)?", t) for t in parts):
            rows.append([float(t) for t in parts])
    return name, vehicles, capacity, rows


def instance(path: Path) -> Instance:
    name, vehicles, capacity, rows = read_solomon(path)
    rows.sort(key=lambda r: r[0])
    xy = np.array([[r[1], r[2]] for r in rows])
    exact = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    # floor(10 d) exactly: the small epsilon keeps d = 5.0 (computed as 4.9999999) at 50.
    tenths = np.floor(exact * SCALE + 1e-9).astype(np.int64)
    depot = rows[0]
    visits = tuple(
        Visit(
            point_id=str(int(r[0])),
            pickup=int(r[3]),
            service=round(r[6] * SCALE),
            tw_early=round(r[4] * SCALE),
            tw_late=round(r[5] * SCALE),
        )
        for r in rows[1:]
    )
    horizon = round(depot[5] * SCALE)
    problem = DepotProblem(
        name=name,
        depot_id="0",
        visits=visits,
        fleets=(Fleet("vehicle", "vehicle", vehicles, capacity),),
        distance=tenths,
        durations=(tenths,),
        horizon=horizon,
        earliest_start=round(depot[4] * SCALE),
        units=Units(km_per_distance=1 / SCALE, hours_per_time=1 / SCALE, cny_per_cost=1 / SCALE),
    )
    ready = [round(r[4] * SCALE) for r in rows]
    due = [round(r[5] * SCALE) for r in rows]
    service = [round(r[6] * SCALE) for r in rows]
    demand = [int(r[3]) for r in rows]

    def evaluate(plan: RoutePlan) -> tuple[float, list[str]]:
        problems = []
        seen: list[int] = []
        total = 0
        for trips in sequences(plan):
            if len(trips) != 1:
                problems.append("a route with reloads")
            route = [0, *(int(p) for trip in trips for p in trip), 0]
            total += sum(int(tenths[a, b]) for a, b in itertools.pairwise(route))
            if sum(demand[c] for c in route) > capacity:
                problems.append("capacity exceeded")
            t = ready[0]
            for a, b in itertools.pairwise(route):
                t = max(t + service[a] + int(tenths[a, b]), ready[b])
                if t > due[b]:
                    problems.append(f"customer {b} served at {t / SCALE} after due {due[b] / SCALE}")
            seen += route[1:-1]
        if sorted(seen) != list(range(1, len(rows))):
            problems.append("customers missing or visited twice")
        if len(plan.routes) > vehicles:
            problems.append(f"{len(plan.routes)} routes > {vehicles} vehicles")
        return total / SCALE, problems

    return Instance(name, problem, evaluate)


def main() -> None:
    args = arguments("Solomon VRPTW benchmark through plan_routes", default_limit=30.0)
    paths = select(sorted(args.folder.glob("*.txt"), key=_order), args.only)
    if not paths:
        raise SystemExit(f"no Solomon .txt files matching {args.only!r} in {args.folder}")
    engines = ["pyvrp", "ortools"] if args.engine == "both" else [args.engine]
    run([instance(p) for p in paths], read_index(args.folder), engines, args.time_limit, args.seed, 1)


def _order(path: Path) -> tuple[str, int]:
    match = re.fullmatch(r"([A-Za-z]+)(\d+)", path.stem)
    return (match.group(1), int(match.group(2))) if match else (path.stem, 0)


if __name__ == "__main__":
    main()
