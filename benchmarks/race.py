"""CopperLoop against the plain baseline, side by side, in one process: time to 1 % and 0.1 %, gap, memory.

Usage::

    python benchmarks/race.py                                    # national (60 s) and capa_12000 (120 s)
    python benchmarks/race.py --instances national --time-limit 60
    python benchmarks/race.py --instances capa_8000,capa_10000,capa_12000,capa_14000 --time-limit 120
    python benchmarks/race.py --repeat 3                         # median of 3 (when the machine allows)
    python benchmarks/race.py --baselines highs                  # without the CBC baseline
    python benchmarks/race.py --instances syn5000x200 --time-limit 120 --baselines highs
    python benchmarks/race.py --instances national5 --time-limit 120 --baselines highs

Each row runs CopperLoop's :func:`optimizer.design.solve.solve` and then :mod:`baseline` (PuLP's stock
HiGHS, then PuLP's bundled CBC, on the strong formulation) on the same instance with the same time limit
and gap, in this process, one after the other (CBC in its own child process: its memory is not in
``peak MB``, and PuLP reports no progress or bound from it, so its ``to 1 %`` is its wall time when its
final plan is within 1 %). On a shared machine the absolute times move with the load; the *ratio* of the two
runs next to each other is what to read (the load average is printed before and after).

* ``to 1 %`` / ``to 0.1 %``: seconds from the start of the run (model building included) until the
  incumbent was within 1 % / 0.1 % of the reference optimum: the published optimum (capa), or for the
  national sample the best plan known (``NATIONAL_BEST``, raised to the best either run finds);
  ``-`` when never.
* ``gap``: the proven relative gap at the end (the solver's or CopperLoop's bound), ``-`` without a bound.
* ``peak MB``: the largest resident set size of the process sampled every 50 ms during the run (HiGHS's
  memory included, unlike tracemalloc); the later run starts from what the earlier left allocated, so
  CopperLoop runs first and its figure is not flattered.
* ``wall``: the whole run, building and reading the plan included, against the time limit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import baseline  # noqa: E402
from networks import cflp_network, read_beasley, synthetic_network  # noqa: E402

from optimizer.design.options import Objective, SolveOptions  # noqa: E402
from optimizer.design.solve import requirements_of, solve  # noqa: E402
from optimizer.progress import ProgressEvent  # noqa: E402

NATIONAL = REPO / "sample_networks" / "china_national.xlsx"
CFLP = REPO.parent / "shared" / "benchmarks" / "cflp"

#: The best national plan known (profit, CNY/yr): found by CopperLoop's heuristic at 60 s, at or above the
#: 0.001 % plan of sample_networks/README.md ("about 3,180 M").
NATIONAL_BEST = 3_182_418_843.1

#: The best plans known of the synthetic profit networks (CNY/yr; CopperLoop at 120 s, load 4-6; raised to
#: the best either run finds): ``synNxM`` is ``networks.synthetic_network(N, M, 6, seed=1)``.
SYNTHETIC_BEST = {"syn5000x200": 20_614_617_628.0}

#: The best plans known of ``nationalK`` (``scale.national_copies``: K overlapping copies of the national
#: sample; CopperLoop at 120 s, 2026-12-06); without one, K times the national best.
NATIONAL_COPIES_BEST = {"national5": 15_946_757_933.0}

#: OR-Library capa optima (split demand; ../shared/benchmarks/cflp/index.csv).
CAPA_OPTIMUM = {
    "capa_8000": 19_240_822.449,
    "capa_10000": 18_438_046.543,
    "capa_12000": 17_765_201.949,
    "capa_14000": 17_160_439.012,
}


class PeakMemory:
    """The peak resident set size of this process while the ``with`` block runs (sampled, MB)."""

    def __init__(self, every_s: float = 0.05) -> None:
        self.every_s = every_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")

    def _rss_mb(self) -> float:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * self._page / 2**20

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self._rss_mb())
            self._stop.wait(self.every_s)

    def __enter__(self) -> PeakMemory:
        self.peak_mb = self._rss_mb()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, self._rss_mb())


@dataclass
class Run:
    system: str
    objective: float | None
    bound: float | None
    events: list[tuple[float, float | None, float | None]]
    wall_s: float
    peak_mb: float
    status: str

    def time_to(self, reference: float, rel: float, maximise: bool) -> float | None:
        for t, incumbent, _ in self.events:
            if incumbent is None:
                continue
            if (incumbent >= reference * (1 - rel)) if maximise else (incumbent <= reference * (1 + rel)):
                return t
        return None

    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return abs(self.bound - self.objective) / max(abs(self.objective), 1e-10)


@dataclass
class Instance:
    name: str
    network: Any
    options: SolveOptions
    maximise: bool
    reference: float
    cflp: Any = None


def load(name: str, limit: float, gap: float) -> Instance:
    if name == "national":
        from optimizer.io.loading import load_network

        network = load_network(NATIONAL).network
        return Instance(name, network, SolveOptions(time_limit_s=limit, mip_gap=gap), True, NATIONAL_BEST)
    if name.startswith("national") and name[len("national") :].isdigit():
        from scale import national_copies

        from optimizer.io.loading import load_network

        copies = int(name[len("national") :])
        network = national_copies(load_network(NATIONAL).network, copies)
        options = SolveOptions(time_limit_s=limit, mip_gap=gap)
        return Instance(name, network, options, True, NATIONAL_COPIES_BEST.get(name, copies * NATIONAL_BEST))
    if name.startswith("syn") and "x" in name:
        n, m = (int(x) for x in name[3:].split("x"))
        options = SolveOptions(time_limit_s=limit, mip_gap=gap)
        network = synthetic_network(n, m, 6, seed=1)
        return Instance(name, network, options, True, SYNTHETIC_BEST.get(name, 0.0))
    if name in CAPA_OPTIMUM:
        capacity = float(name.split("_")[1])
        inst = read_beasley(CFLP / "beasley" / "capa.txt", capacity, name)
        options = SolveOptions(
            objective=Objective.COST, target_utilization=1.0, time_limit_s=limit, mip_gap=gap
        )
        return Instance(name, cflp_network(inst), options, False, CAPA_OPTIMUM[name], inst)
    raise SystemExit(f"unknown instance {name!r} (national, nationalK, synNxM, {', '.join(CAPA_OPTIMUM)})")


def run_copperloop(inst: Instance) -> Run:
    events: list[tuple[float, float | None, float | None]] = []

    def progress(event: ProgressEvent) -> None:
        if event.incumbent is not None:
            events.append((event.elapsed_s, event.incumbent, event.bound))

    with PeakMemory() as mem:
        started = time.monotonic()
        plan = solve(inst.network, inst.options, progress=progress, validated=True)
        wall = time.monotonic() - started
    if plan.objective is not None:
        events.append((wall, plan.objective, plan.best_bound))
    return Run("CopperLoop", plan.objective, plan.best_bound, events, wall, mem.peak_mb, str(plan.status))


def run_baseline(inst: Instance, solver: str = "highs") -> Run:
    opts = inst.options
    with PeakMemory() as mem:
        if inst.cflp is not None:
            c = inst.cflp
            result = baseline.solve_cflp(
                c.capacity, c.fixed_cost, c.demand, c.cost, opts.time_limit_s, opts.mip_gap, solver=solver
            )
        else:
            result = baseline.solve_network(
                inst.network,
                opts.objective,
                opts.time_limit_s,
                opts.mip_gap,
                requirements_of(inst.network, opts),
                solver=solver,
            )
    return Run(
        "PuLP + HiGHS" if solver == "highs" else "PuLP + CBC",
        result.objective,
        result.bound,
        result.timeline.events,
        result.wall_s,
        mem.peak_mb,
        result.status,
    )


def _fmt(x: float | None, spec: str = ".1f", unit: str = "") -> str:
    return "-" if x is None else f"{x:{spec}}{unit}"


def _ratio(ours: float | None, theirs: float | None, limit: float) -> str:
    """theirs / ours; a run that never got there counts as the time limit (shown as '>')."""
    if ours is None:
        return "-"
    if theirs is None:
        return f"> {limit / max(ours, 1e-9):.1f}x"
    return f"{theirs / max(ours, 1e-9):.1f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", default="national,capa_12000")
    parser.add_argument("--time-limit", type=float, default=None, help="s (default: national 60, capa 120)")
    parser.add_argument("--gap", type=float, default=1e-4)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--baselines", default="highs,cbc", help="highs,cbc (PuLP's stock HiGHS and its bundled CBC)"
    )
    args = parser.parse_args(argv)
    baselines = [b for b in args.baselines.split(",") if b]
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    header = (
        "| instance | system | to 1 % s | to 0.1 % s | gap at limit | objective | peak MB | wall s | status |"
    )
    lines = [header, "|" + "---|" * 9]
    ratios: list[str] = []
    for name in args.instances.split(","):
        limit = args.time_limit if args.time_limit is not None else (60.0 if name == "national" else 120.0)
        inst = load(name, limit, args.gap)
        pairs = []
        for _ in range(args.repeat):
            ours = run_copperloop(inst)
            pairs.append((ours, *(run_baseline(inst, b) for b in baselines)))
        for run in (r for pair in pairs for r in pair):
            if run.objective is not None:
                better = run.objective > inst.reference if inst.maximise else run.objective < inst.reference
                if better and not name.startswith("capa"):
                    inst.reference = run.objective
        for k in range(1 + len(baselines)):
            runs = [p[k] for p in pairs]
            t1 = _median([r.time_to(inst.reference, 0.01, inst.maximise) for r in runs])
            t01 = _median([r.time_to(inst.reference, 0.001, inst.maximise) for r in runs])
            gap = _median([r.gap() for r in runs])
            gap_text = _fmt(None if gap is None else 100 * gap, ".3f", " %")
            peak = statistics.median(r.peak_mb for r in runs)
            wall = statistics.median(r.wall_s for r in runs)
            lines.append(
                f"| {name} | {runs[0].system} | {_fmt(t1)} | {_fmt(t01)} | {gap_text} "
                f"| {_fmt(runs[0].objective, ',.0f')} | {peak:,.0f} | {wall:.1f} | {runs[0].status} |"
            )
        ours_t1 = _median([p[0].time_to(inst.reference, 0.01, inst.maximise) for p in pairs])
        ours_t01 = _median([p[0].time_to(inst.reference, 0.001, inst.maximise) for p in pairs])
        ours_mb = statistics.median(p[0].peak_mb for p in pairs)
        for k in range(1, 1 + len(baselines)):
            base_t1 = _median([p[k].time_to(inst.reference, 0.01, inst.maximise) for p in pairs])
            base_t01 = _median([p[k].time_to(inst.reference, 0.001, inst.maximise) for p in pairs])
            memory = statistics.median(p[k].peak_mb for p in pairs) / max(ours_mb, 1e-9)
            ratios.append(
                f"{name} (limit {limit:g} s, reference {inst.reference:,.1f}): {pairs[0][k].system} / "
                f"CopperLoop time to 1 %: {_ratio(ours_t1, base_t1, limit)}, to 0.1 %: "
                f"{_ratio(ours_t01, base_t01, limit)}; peak memory {memory:.2f}x"
            )
    print("\n".join(lines))
    print()
    print("\n".join(ratios))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


def _median(values: list[float | None]) -> float | None:
    """The median, a run that never got there counting as +infinity (None when most never did)."""
    keyed = sorted(values, key=lambda v: float("inf") if v is None else v)
    return keyed[len(keyed) // 2]


if __name__ == "__main__":
    raise SystemExit(main())
