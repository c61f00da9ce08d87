"""The design-routing loop on the samples: does the plan's collection cost match what its trucks cost?

For each sample network (with its carrier row, which the samples ship with; ``--no-carrier`` takes it
out: ``CARRIER30``, 30 t, 600 CNY a
trip + 12 CNY per loaded km, about 0.40 CNY/t-km, inside the 0.35-0.6 CNY/t-km FTL range of the domain
research [freight14]; an **estimate**), run :func:`optimizer.routing.loop.solve_with_routes` and print
per round the design and routing times, the assumed and routed CNY/t and the served share, then the
final table: destination, how it is collected, assumed CNY/t, routed CNY/t, diff %.

``--calibrate`` fits the milk-run formula's three factors instead: round 1 of each network (the trucks
model at factors 1, 1, 1), routed, and a non-negative least-squares fit of each site's routed milk-run
cost on the formula's three terms summed over the same flows (all networks together).

    .venv/bin/python benchmarks/routes_loop.py                          # the three samples
    .venv/bin/python benchmarks/routes_loop.py --only teaching --rounds 3
    .venv/bin/python benchmarks/routes_loop.py --calibrate
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import os
import time
from pathlib import Path

import numpy as np

from optimizer import SolveOptions, load_network, solve
from optimizer.design.collection_cost import TRUCKS, milk_run_terms
from optimizer.model import Network
from optimizer.routing import CollectionMode, RoutingOptions, build_routing_problem, plan_routes
from optimizer.routing.loop import LoopOptions, solve_with_routes

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {
    "teaching": "teaching.xlsx",
    "yangtze_delta": "yangtze_delta.xlsx",
    "national": "china_national.xlsx",
}


def _network(name: str, carrier: bool) -> Network:
    net = load_network(ROOT / "sample_networks" / SAMPLES[name]).network
    if not carrier:  # the samples ship with CARRIER30 (sample_networks/build_samples.py)
        net = dataclasses.replace(net, vehicle_types=tuple(v for v in net.vehicle_types if not v.is_carrier))
    return net


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run_loop(name: str, args: argparse.Namespace) -> None:
    net = _network(name, not args.no_carrier)
    design = SolveOptions(time_limit_s=args.design_time)
    routing = RoutingOptions(time_limit_s=args.routing_time, size_fleet=args.size_fleet)
    loop = LoopOptions(max_rounds=args.rounds, tolerance=args.tolerance)
    print(
        f"\n== {name}: design {args.design_time:g} s (HiGHS), routing {args.routing_time:g} s (PyVRP), "
        f"at most {args.rounds} rounds, load {_load()}"
    )
    plan, routes, report = solve_with_routes(net, design, routing, loop)
    for r in report.rounds:
        print(
            f"round {r.round}: design {r.design_s:6.1f} s, routing {r.routing_s:6.1f} s, moved "
            f"{r.moved_t:10,.0f} t, assumed {r.assumed_cny_per_t or 0:7.1f} CNY/t, routed "
            f"{r.routed_cny_per_t or 0:7.1f} CNY/t, worst site {r.worst_diff or 0:+7.1%}, served "
            f"{r.served_share:.2%}, load {_load()}"
        )
    print(
        f"stopped: {report.stop_reason} after {len(report.rounds)} rounds, {report.total_s:.1f} s in all; "
        f"plan {plan.status}, routes {routes.status if routes else '-'}"
    )
    print(report.table())
    if routes is not None:
        t = routes.totals()
        lost = sum(u.visits_per_week for u in routes.unserved)
        print(
            f"served: {report.served_share:.2%} of weekly visits and hauls ({t.visits} visits on "
            f"{len(routes.routes)} routes, {len(routes.hauls)} hauls, {lost} weekly visits unserved); "
            f"last routing {routes.runtime_s:.1f} s"
        )
        reasons: dict[str, int] = {}
        for u in routes.unserved:
            reasons[str(u.reason)] = reasons.get(str(u.reason), 0) + u.visits_per_week
        for reason, count in sorted(reasons.items()):
            example = next(u for u in routes.unserved if str(u.reason) == reason)
            print(f"  {count} x {reason}: e.g. {example.point_id}: {example.fix}")


def calibrate(args: argparse.Namespace) -> None:
    rows: list[tuple[str, str, np.ndarray, float]] = []
    for name in args.only or list(SAMPLES):
        net = _network(name, not args.no_carrier)
        params = dataclasses.replace(
            net.parameters,
            collection_cost_model=TRUCKS,
            milk_run_line_haul_factor=1.0,
            milk_run_local_factor=1.0,
            milk_run_stop_factor=1.0,
        )
        net = dataclasses.replace(net, parameters=params)
        t0 = time.perf_counter()
        plan = solve(net, SolveOptions(time_limit_s=args.design_time))
        routing = RoutingOptions(time_limit_s=args.routing_time, size_fleet=args.size_fleet)
        routes = plan_routes(build_routing_problem(net, plan, routing), routing)
        flows = [f for f in routes.collection_flows() if f.mode is CollectionMode.MILK_RUN]
        terms = milk_run_terms(net, [(f.point_id, f.destination_id) for f in flows])
        by_site: dict[str, list[float]] = {}
        for f in flows:
            x = terms.get((f.point_id, f.destination_id))
            if x is None:
                continue
            acc = by_site.setdefault(f.destination_id, [0.0, 0.0, 0.0, 0.0])
            for i in range(3):
                acc[i] += x[i] * f.routed_t_per_year
            acc[3] += f.annual_cost_cny
        for site, acc in sorted(by_site.items()):
            rows.append((name, site, np.array(acc[:3]), acc[3]))
        print(
            f"{name}: {len(flows)} milk-run flows at {len(by_site)} sites, {time.perf_counter() - t0:.0f} s, "
            f"load {_load()}"
        )
    x = np.array([r[2] for r in rows])
    y = np.array([r[3] for r in rows])
    # Relative error per site counts as much at a small site as at a big one.
    w = 1.0 / np.maximum(y, 1.0)
    coef = _nnls(x * w[:, None], y * w)
    print(f"\nfit over {len(rows)} sites: line_haul {coef[0]:.3f}, local {coef[1]:.3f}, stop {coef[2]:.3f}")
    print(f"{'network':<14} {'site':<10} {'routed CNY':>14} {'formula x1':>14} {'fitted':>14} {'diff':>7}")
    for name, site, xi, yi in rows:
        fit = float(xi @ coef)
        print(f"{name:<14} {site:<10} {yi:>14,.0f} {xi.sum():>14,.0f} {fit:>14,.0f} {(fit - yi) / yi:>+7.1%}")
    print(f"total routed {y.sum():,.0f}, fitted {(x @ coef).sum():,.0f}")


def _nnls(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Least squares with non-negative coefficients, by trying every set of free coefficients (3 here)."""
    best, best_err = np.zeros(a.shape[1]), float(b @ b)
    for k in range(1, a.shape[1] + 1):
        for cols in itertools.combinations(range(a.shape[1]), k):
            sol, *_ = np.linalg.lstsq(a[:, cols], b, rcond=None)
            if (sol < 0).any():
                continue
            full = np.zeros(a.shape[1])
            full[list(cols)] = sol
            err = float(((a @ full - b) ** 2).sum())
            if err < best_err:
                best, best_err = full, err
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="*", choices=list(SAMPLES), help="networks (default: all three)")
    parser.add_argument("--design-time", type=float, default=30.0, help="design time limit per round, s")
    parser.add_argument("--routing-time", type=float, default=30.0, help="routing time limit per round, s")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--tolerance", type=float, default=0.05)
    parser.add_argument("--no-carrier", action="store_true")
    parser.add_argument(
        "--size-fleet", action="store_true", help="size the fleets (RoutingOptions.size_fleet)"
    )
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    if args.calibrate:
        calibrate(args)
        return
    for name in args.only or list(SAMPLES):
        run_loop(name, args)


if __name__ == "__main__":
    main()
