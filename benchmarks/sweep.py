"""Sweep benchmark: a 64-scenario copper price x supply sweep of the Yangtze sample, on 1 and 2 local
workers and on a 2-worker Dask LocalCluster.

Usage::

    python benchmarks/sweep.py                      # 8 copper prices x 8 supply factors, gap 1e-3
    python benchmarks/sweep.py --prices 4 --supplies 4 --gap 1e-4 --json sweep_bench.json

The same 64 self-contained scenario tasks (copper price 60,000-95,000 CNY/t Cu in steps of 5,000, supply
factor 0.65-1.35 in steps of 0.1) run on each executor through :meth:`Executor.run`, timed from the
call to the last result, after a warm-up of two tiny scenarios that starts the workers (the pool's
spawned interpreters, the Dask cluster's processes) and imports CopperLoop in them; the start-up is
reported apart. Reported:

* wall time; the sum of the solves' own run times (what one core would spend solving);
* parallel efficiency of k workers = wall(1 worker) / (k x wall(k workers)) (goal >= 0.8);
* Dask overhead = wall(Dask, 2 workers) / wall(local pool, 2 workers) - 1 (goal <= 10 %);
* whether every executor returned the same profits (it must: one HiGHS thread per solve).

The machine's load average is printed before and after: on a shared machine the figures move with it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from optimizer.design.options import SolveOptions  # noqa: E402
from optimizer.io.loading import load_network  # noqa: E402
from optimizer.scenarios.definition import SweepDefinition  # noqa: E402
from optimizer.scenarios.executors import DaskCluster, Executor, LocalPool  # noqa: E402
from optimizer.scenarios.factors import apply_factors, parse_factor  # noqa: E402
from optimizer.scenarios.tasks import ScenarioResult, SolveTask  # noqa: E402


def tasks(prices: int, supplies: int, gap: float) -> list[SolveTask]:
    network = load_network(ROOT / "sample_networks" / "yangtze_delta.xlsx").network
    assert network is not None
    # one year (the Supply sheet's): with its Periods sheet every scenario would be a six-year plan of
    # 100+ s, and the figures would no longer compare with the one-year sweeps measured before
    network = network.replace(periods=(), growth=())
    stop_p = 60_000 + 5_000 * (prices - 1)
    stop_s = 0.65 + 0.1 * (supplies - 1)
    definition = SweepDefinition(
        factors=(
            parse_factor(f"copper_price=60000:{stop_p}:5000"),
            parse_factor(f"supply=0.65:{stop_s:.2f}:0.1"),
        )
    )
    options = SolveOptions(threads=1, mip_gap=gap, time_limit_s=300)
    return [
        SolveTask(f"scenario:{s.index}", apply_factors(network, s.values), options, dict(s.values))
        for s in definition.scenarios()
    ]


def warm_up(executor: Executor) -> float:
    """Start the workers (and import CopperLoop in them) before the clock: two tiny scenarios."""
    from tests.optimizer.scenarios.networks import one_site

    started = time.perf_counter()
    tiny = SolveTask("warm-up", one_site(), SolveOptions(threads=1))
    executor.run([tiny, tiny])
    return time.perf_counter() - started


def timed(name: str, executor: Executor, work: list[SolveTask]) -> dict[str, Any]:
    startup = warm_up(executor)
    started = time.perf_counter()
    results = executor.run(work)
    wall = time.perf_counter() - started
    ok = [r for r in results if isinstance(r, ScenarioResult) and r.ok]
    row = {
        "executor": name,
        "workers": executor.workers,
        "wall_s": wall,
        "solve_s_sum": sum(r.runtime_s for r in ok),
        "scenarios": len(results),
        "with_plan": len(ok),
        "profits": [r.profit_cny if isinstance(r, ScenarioResult) else None for r in results],
        "startup_s": startup,
    }
    solves = row["solve_s_sum"]
    print(
        f"{name:<22} {executor.workers} worker(s): {wall:7.1f} s wall, {solves:7.1f} s of solves, "
        f"{len(ok)}/{len(results)} with a plan (start-up {startup:.1f} s before the clock)",
        flush=True,
    )
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--prices", type=int, default=8)
    parser.add_argument("--supplies", type=int, default=8)
    parser.add_argument("--gap", type=float, default=1e-3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    work = tasks(args.prices, args.supplies, args.gap)
    print(
        f"{len(work)} scenarios of the Yangtze sample, gap {args.gap:g}; load average {os.getloadavg()}",
        flush=True,
    )
    rows = []
    with LocalPool(1) as one:
        rows.append(timed("local pool", one, work))
    with LocalPool(2) as two:
        rows.append(timed("local pool", two, work))
    from distributed import Client, LocalCluster

    started = time.perf_counter()
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        startup = time.perf_counter() - started
        dask = DaskCluster(client=client)
        row = timed("Dask LocalCluster", dask, work)
        row["cluster_startup_s"] = startup
        rows.append(row)
    serial, pool2, dask2 = rows
    efficiency = serial["wall_s"] / (2 * pool2["wall_s"])
    overhead = dask2["wall_s"] / pool2["wall_s"] - 1
    same = all(
        all(
            abs((a or 0) - (b or 0)) <= 1e-6 * max(1.0, abs(a or 0))
            for a, b in zip(r["profits"], serial["profits"], strict=True)
        )
        for r in rows
    )
    print(f"parallel efficiency (2 local workers): {efficiency:.2f}")
    print(
        f"Dask overhead against the 2-worker pool: {100 * overhead:+.1f} % (cluster start-up "
        f"{dask2['cluster_startup_s']:.1f} s, not included)"
    )
    print(f"same profits on every executor: {same}; load average {os.getloadavg()}")
    if args.json is not None:
        summary = {
            "rows": rows,
            "efficiency": efficiency,
            "dask_overhead": overhead,
            "same_results": same,
            "gap": args.gap,
            "load_average_end": os.getloadavg(),
        }
        args.json.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
