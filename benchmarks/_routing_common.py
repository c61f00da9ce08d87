"""Shared parts of the routing benchmarks: the index of best-known values, the run loop and the table.

Every instance is solved through :func:`optimizer.routing.plan_routes` (the same path the application
uses), and its cost is then recomputed here *independently* from the returned stop sequences with the
instance's own integer distance convention; the recomputation also checks that every customer is
visited exactly once, no trip is overloaded and (for time windows) no service starts late. A route set
that fails a check is reported as INVALID and counts as no solution.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from optimizer.routing import DepotProblem, RoutePlan, RoutingOptions, StopKind, plan_routes


@dataclass(frozen=True)
class Instance:
    """A benchmark instance: the routing problem and how to score a plan the reference way."""

    name: str
    problem: DepotProblem
    #: (plan) -> (cost in the reference's units, list of violations)
    evaluate: Callable[[RoutePlan], tuple[float, list[str]]]


@dataclass(frozen=True)
class Outcome:
    cost: float | None
    seconds: float
    cpu_seconds: float
    routes: int
    problems: list[str]


def read_index(folder: Path) -> dict[str, float]:
    """Best-known values by instance name, from the ``index.csv`` in ``folder`` or one of its parents."""
    for d in (folder, *folder.parents):
        path = d / "index.csv"
        if path.exists():
            with path.open(newline="", encoding="utf-8") as fh:
                return {row["name"]: float(row["best_known_value"]) for row in csv.DictReader(fh)}
    raise SystemExit(f"no index.csv in {folder} or above it")


def sequences(plan: RoutePlan) -> list[list[list[str]]]:
    """Per route, its trips as lists of visited point ids."""
    out = []
    for route in plan.routes:
        trips: list[list[str]] = [[]]
        for stop in route.stops:
            if stop.kind is StopKind.VISIT:
                trips[-1].append(stop.node_id)
            elif stop.kind is StopKind.RELOAD:
                trips.append([])
        out.append(trips)
    return out


def arguments(description: str, default_limit: float) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("folder", type=Path, metavar="DIR", help="folder of instance files")
    parser.add_argument("--engine", choices=("pyvrp", "ortools", "both"), default="pyvrp")
    parser.add_argument("--time-limit", type=float, default=default_limit, metavar="S",
                        help=f"seconds per instance and engine (default {default_limit:g})")
    parser.add_argument("--only", default="*", metavar="GLOB", help="instance names to run (default all)")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def solve(instance: Instance, engine: str, time_limit: float, seed: int) -> Outcome:
    options = RoutingOptions(engine=engine, time_limit_s=time_limit, seed=seed, stop_without_improvement=None)
    started, cpu = time.perf_counter(), time.process_time()
    plan = plan_routes(instance.problem, options)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if plan.unserved:
        return Outcome(None, seconds, cpu, len(plan.routes), [f"{len(plan.unserved)} customers not routed"])
    cost, problems = instance.evaluate(plan)
    return Outcome(None if problems else cost, seconds, cpu, len(plan.routes), problems)


def run(
    instances: Sequence[Instance],
    best_known: dict[str, float],
    engines: Sequence[str],
    time_limit: float,
    seed: int,
    digits: int,
) -> None:
    """Solve every instance with every engine, print one line per instance, then the mean gaps.

    Column "s" is wall-clock time (what the time limit bounds); "cpu s" the CPU time the run actually
    got, which is less on a busy machine.
    """
    header = f"{'instance':<14}{'best':>10}"
    for engine in engines:
        header += f" | {engine + ' cost':>13}{'gap %':>8}{'routes':>7}{'s':>6}{'cpu s':>6}"
    print(header, flush=True)
    gaps: dict[str, list[float]] = {e: [] for e in engines}
    failures: dict[str, int] = {e: 0 for e in engines}
    for inst in instances:
        best = best_known.get(inst.name)
        line = f"{inst.name:<14}{'-' if best is None else f'{best:.{digits}f}':>10}"
        notes = []
        for engine in engines:
            out = solve(inst, engine, time_limit, seed)
            if out.cost is None:
                failures[engine] += 1
                line += f" | {'INVALID':>13}{'-':>8}{out.routes:>7}{out.seconds:>6.1f}{out.cpu_seconds:>6.1f}"
                notes.append(f"{engine}: {'; '.join(out.problems[:3])}")
                continue
            gap = None if best is None else 100.0 * (out.cost - best) / best
            if gap is not None:
                gaps[engine].append(gap)
            gap_text = "-" if gap is None else f"{gap:.2f}"
            line += (
                f" | {out.cost:>13.{digits}f}{gap_text:>8}{out.routes:>7}{out.seconds:>6.1f}"
                f"{out.cpu_seconds:>6.1f}"
            )
        print(line, flush=True)
        for note in notes:
            print(f"    {note}", flush=True)
    for engine in engines:
        g = gaps[engine]
        mean = statistics.fmean(g) if g else float("nan")
        failed = f", {failures[engine]} without a valid solution" if failures[engine] else ""
        print(f"mean gap {mean:.2f}% over {len(g)} instances ({engine}, {time_limit:g} s{failed})")


def select(paths: Sequence[Path], pattern: str) -> list[Path]:
    return [p for p in paths if fnmatch.fnmatch(p.stem, pattern)]
