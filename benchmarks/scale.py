"""Scale benchmark: build and solve times, peak memory and gap on national-size networks, HiGHS vs CBC.

Usage::

    python benchmarks/scale.py                                   # national sample + 2000x100 + 5000x200
    python benchmarks/scale.py --instances national --solvers highs --time-limit 60
    python benchmarks/scale.py --instances syn5000x200 --time-limit 600 --markdown

Instances: ``national5`` is five overlapping copies of the national sample (:func:`national_copies`);
``national`` is ``sample_networks/china_national.xlsx`` read through
:func:`optimizer.io.loading.load_network` (when the workbook is not there yet, the network is built by
``sample_networks/build_samples.py`` instead, and the table says so); ``synNxM`` is
``networks.synthetic_network(N, M, 6 grades, seed 1)``.

Every (instance, solver) pair runs in a fresh child process, so its peak memory is its own: the figure
is the peak resident set size (``resource.getrusage(...).ru_maxrss``) of that process plus that of its
largest child (CBC runs as a child process; HiGHS runs in-process): an upper bound on the two
together. Python-level tracing (tracemalloc) would miss HiGHS's and CBC's own memory, so it is not used.

Phases are timed from :func:`optimizer.design.solve.solve`'s own progress events: ``load`` (workbook read or
network generation, outside ``solve()``), ``validate``, ``build`` (the MILP builder, ``plan.build_s``),
``solve`` (from the first ``solving``/``strengthening`` event to ``extracting``, i.e. separation and the
solver), ``extract``. ``to 2% s`` / ``to 1% s`` / ``to 0.1% s`` are the elapsed times (from the start of
``solve()``) at which the solver's reported gap first fell to 2 % / 1 % / 0.1 %, read from its progress
events. The objective is the user's default, ``profit``, unless ``--objective`` says otherwise. The table
also gives each run's wall time (the child process, load included) and the load average after it.

Memory per stage: each time the progress events change phase (validating, building, solving the first
plan, strengthening, solving, extracting, done) the child notes its resident set size then (``/proc``)
and its peak so far (``ru_maxrss``); the lines under each run's summary list them, the JSON has them as
``stages``. The peak of a stage is the "peak so far" of the next line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

NATIONAL = REPO / "sample_networks" / "china_national.xlsx"
DEFAULT_INSTANCES = ("national", "syn2000x100", "syn5000x200")
#: Default time limit per instance (s): the speed targets (benchmarks/README.md, "scale.py").
DEFAULT_LIMIT = {"national": 60.0}
SYNTHETIC_LIMIT = 600.0
#: The solve's elapsed time when the solver's own gap first reaches these levels is reported too.
REPORTED_GAPS = {"2%": 0.02, "1%": 0.01, "0.1%": 0.001}


def load_instance(name: str) -> tuple[Any, str]:
    """(network, where it came from) for an instance name."""
    if name == "national":
        if NATIONAL.exists():
            from optimizer.io.loading import has_errors, load_network

            result = load_network(NATIONAL)
            if has_errors(result) or result.network is None:
                raise SystemExit(f"{NATIONAL} does not load cleanly: {result.issues[:3]}")
            return result.network, NATIONAL.name
        sys.path.insert(0, str(REPO / "sample_networks"))
        from build_samples import national_network

        return national_network(), "build_samples.national_network() (workbook not written yet)"
    if name.startswith("national") and name[len("national") :].isdigit():
        copies = int(name[len("national") :])
        base, _ = load_instance("national")
        return national_copies(base, copies), f"{copies} overlapping copies of the national sample"
    if name.startswith("syn"):
        from networks import synthetic_network

        n, m = (int(x) for x in name[3:].split("x"))
        return synthetic_network(n, m, 6, seed=1), f"synthetic_network({n}, {m}, 6, seed=1)"
    raise SystemExit(
        f"unknown instance {name!r}: expected national, nationalK (K copies, e.g. national5) or synNxM"
    )


def national_copies(network: Any, copies: int) -> Any:
    """``copies`` copies of ``network`` on the same ground (each node moved by 0.01 deg per copy, ids
    suffixed ``~c``): every yard reaches every copy's sites and smelters, so ``national5`` has 5x the
    yards, sites and smelters and about 25x the arcs (3,565 yards, 245 sites, 55 smelters, 2.49 M arcs).
    Distance overrides are copied within each copy; the budget and the new-site limit scale with it."""
    import dataclasses

    def moved(node: Any, c: int, **extra: Any) -> Any:
        return dataclasses.replace(
            node, id=f"{node.id}~{c}", lat=node.lat + 0.01 * c, lon=node.lon + 0.01 * c, **extra
        )

    points, sites, smelters, distances = [], [], [], []
    for c in range(copies):
        for p in network.collection_points:
            assigned = getattr(p, "assigned_site_id", None)
            extra = {"assigned_site_id": f"{assigned}~{c}"} if assigned else {}
            points.append(moved(p, c, **extra))
        sites.extend(moved(x, c) for x in network.sites)
        smelters.extend(moved(x, c) for x in network.smelters)
        distances.extend(
            dataclasses.replace(d, from_id=f"{d.from_id}~{c}", to_id=f"{d.to_id}~{c}")
            for d in network.distances
        )
    params = network.parameters
    scaled = dataclasses.replace(
        params,
        max_new_sites=None if params.max_new_sites is None else params.max_new_sites * copies,
        annual_budget_cny=None if params.annual_budget_cny is None else params.annual_budget_cny * copies,
    )
    return network.replace(
        name=f"{network.name} x{copies}",
        collection_points=tuple(points),
        sites=tuple(sites),
        smelters=tuple(smelters),
        distances=tuple(distances),
        parameters=scaled,
        periods=(),
    )


def run_child(args: argparse.Namespace) -> dict[str, Any]:
    """Load, solve and measure one (instance, solver) pair in this process."""
    from optimizer.design.options import SolveOptions
    from optimizer.design.solve import solve
    from optimizer.progress import ProgressEvent

    t0 = time.monotonic()
    network, source = load_instance(args.one)
    load_s = time.monotonic() - t0
    marks: dict[str, float] = {}
    best: list[tuple[float, float | None, float | None]] = []
    reached: dict[str, float] = {}
    stages: list[dict[str, Any]] = []

    def progress(event: ProgressEvent) -> None:
        marks.setdefault(event.phase.split(" ")[0], event.elapsed_s)
        if not stages or stages[-1]["phase"] != event.phase:
            # a new stage: the memory when it starts (the previous stage's end) and the peak so far
            stages.append(
                {
                    "phase": event.phase,
                    "at_s": round(event.elapsed_s, 2),
                    "rss_mb": round(_rss_mb(), 1),
                    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
                }
            )
        if event.incumbent is not None:
            best.append((event.elapsed_s, event.incumbent, event.bound))
        if event.gap is not None and event.incumbent is not None:
            for label, level in REPORTED_GAPS.items():
                if event.gap <= level:
                    reached.setdefault(label, event.elapsed_s)

    options = SolveOptions(
        objective=args.objective,
        target_utilization=args.target,
        solver=args.solver,
        time_limit_s=args.time_limit,
        mip_gap=args.gap,
        threads=args.threads,
        k_nearest=args.k_nearest,
    )
    plan = solve(network, options, progress=progress)
    solve_start = min(marks.get("strengthening", 1e18), marks.get("solving", 1e18))
    extract_at = marks.get("extracting", plan.runtime_s)
    first_incumbent = best[0][0] if best else None
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    kpis = plan.kpis
    return {
        "instance": args.one,
        "source": source,
        "solver": args.solver,
        "time_limit_s": args.time_limit,
        "points": len(network.collection_points),
        "sites": len(network.sites),
        "smelters": len(network.smelters),
        "grades": len(network.grades),
        "model": plan.model_size,
        "status": str(plan.status),
        "objective": plan.objective,
        "bound": plan.best_bound,
        "gap": plan.gap,
        "load_s": load_s,
        "validate_s": marks.get("building", 0.0),
        "build_s": plan.build_s,
        "solve_s": (extract_at - solve_start) if solve_start < 1e18 else None,
        "extract_s": plan.runtime_s - extract_at,
        "total_s": plan.runtime_s,
        "first_incumbent_s": first_incumbent,
        "to_2pct_s": reached.get("2%"),
        "to_1pct_s": reached.get("1%"),
        "to_01pct_s": reached.get("0.1%"),
        "peak_rss_mb": own / 1024.0,
        "peak_child_rss_mb": kids / 1024.0,
        "stages": [
            *stages,
            {
                "phase": "end",
                "at_s": round(plan.runtime_s, 2),
                "rss_mb": round(_rss_mb(), 1),
                "peak_mb": round(own / 1024.0, 1),
            },
        ],
        "utilization": None if kpis is None else kpis.utilization,
        "sites_open": None if kpis is None else kpis.sites_open,
        "message": plan.message,
    }


def _rss_mb() -> float:
    """This process's resident set size now (MB): /proc on Linux, else the peak so far."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def stage_lines(result: dict[str, Any]) -> list[str]:
    """One line per stage of a run: when it started, the memory then and the peak so far."""
    out = []
    for k, st in enumerate(result.get("stages") or []):
        nxt = result["stages"][k + 1]["at_s"] if k + 1 < len(result["stages"]) else None
        took = "" if nxt is None else f", {nxt - st['at_s']:.1f} s"
        out.append(
            f"    {st['phase']:<14} from {st['at_s']:7.1f} s{took}: RSS {st['rss_mb']:,.0f} MB at its start, "
            f"peak {st['peak_mb']:,.0f} MB so far"
        )
    return out


def _cell(x: Any, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def table(rows: list[dict[str, Any]], markdown: bool) -> str:
    cols = [
        ("instance", "instance", "<13", "s"),
        ("solver", "solver", "<6", "s"),
        ("limit s", "time_limit_s", ">8", ".0f"),
        ("arcs", "arcs", ">9", ",d"),
        ("bin", "binaries", ">5", ",d"),
        ("rows", "constraints", ">8", ",d"),
        ("status", "status", "<22", "s"),
        ("objective", "objective", ">16", ",.0f"),
        ("gap %", "gap_pct", ">7", ".3f"),
        ("load s", "load_s", ">7", ".1f"),
        ("build s", "build_s", ">8", ".1f"),
        ("solve s", "solve_s", ">8", ".1f"),
        ("total s", "total_s", ">8", ".1f"),
        ("1st inc s", "first_incumbent_s", ">9", ".1f"),
        ("to 2% s", "to_2pct_s", ">8", ".1f"),
        ("to 1% s", "to_1pct_s", ">8", ".1f"),
        ("to 0.1% s", "to_01pct_s", ">9", ".1f"),
        ("peak MB", "peak_mb", ">8", ",.0f"),
        ("wall s", "wall_s", ">7", ".1f"),
        ("load", "load_average", ">5", ".1f"),
    ]
    lines = []
    flat = []
    for r in rows:
        f = dict(r)
        f.update(r.get("model") or {})
        f["gap_pct"] = None if r.get("gap") is None else 100.0 * r["gap"]
        f["peak_mb"] = (r.get("peak_rss_mb") or 0.0) + (r.get("peak_child_rss_mb") or 0.0) or None
        flat.append(f)
    if markdown:
        lines.append("| " + " | ".join(c[0] for c in cols) + " |")
        lines.append("|" + "|".join("---" for _ in cols) + "|")
        for f in flat:
            lines.append("| " + " | ".join(_cell(f.get(key), spec) for _, key, _, spec in cols) + " |")
    else:
        lines.append("".join(format(h, align) + " " for h, _, align, _ in cols))
        for f in flat:
            lines.append("".join(format(_cell(f.get(k), spec), align) + " " for _, k, align, spec in cols))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", default=",".join(DEFAULT_INSTANCES), help="comma-separated")
    parser.add_argument("--solvers", default="highs,cbc", help="comma-separated: highs, cbc")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds per solve (default: 60 national, 600 synthetic)",
    )
    parser.add_argument("--gap", type=float, default=1e-4, help="relative MIP gap to stop at (default 1e-4)")
    parser.add_argument("--objective", default="profit", choices=("profit", "cost", "utilization"))
    parser.add_argument("--target", type=float, default=None, help="utilization target (cost objective)")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--k-nearest", type=int, default=None)
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--json", type=Path, default=None, help="append each result as a JSON line here")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--solver", default="highs", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one:
        if args.time_limit is None:
            args.time_limit = DEFAULT_LIMIT.get(args.one, SYNTHETIC_LIMIT)
        print("RESULT " + json.dumps(run_child(args)), flush=True)
        return 0

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} logical CPUs, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )
    rows: list[dict[str, Any]] = []
    for inst in args.instances.split(","):
        for solver in args.solvers.split(","):
            limit = (
                args.time_limit if args.time_limit is not None else DEFAULT_LIMIT.get(inst, SYNTHETIC_LIMIT)
            )
            cmd = [sys.executable, __file__, "--one", inst, "--solver", solver, "--time-limit", str(limit)]
            cmd += ["--gap", str(args.gap), "--objective", args.objective]
            if args.target is not None:
                cmd += ["--target", str(args.target)]
            if args.threads is not None:
                cmd += ["--threads", str(args.threads)]
            if args.k_nearest is not None:
                cmd += ["--k-nearest", str(args.k_nearest)]
            started = time.monotonic()
            proc = subprocess.run(cmd, capture_output=True, text=True)
            wall = time.monotonic() - started
            line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
            if line is None:
                print(f"{inst} {solver}: the child failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
                continue
            result = json.loads(line[len("RESULT ") :])
            result["wall_s"] = wall
            result["load_average"] = os.getloadavg()[0]
            rows.append(result)
            print(
                f"{inst} {solver}: {result['status']}, objective {_cell(result['objective'], ',.0f')}, "
                f"gap {_cell(None if result['gap'] is None else 100 * result['gap'], '.3f')}%, build "
                f"{result['build_s']:.1f} s, solve {_cell(result['solve_s'], '.1f')} s, peak "
                f"{result['peak_rss_mb'] + result['peak_child_rss_mb']:,.0f} MB  [{result['source']}]",
                flush=True,
            )
            print("\n".join(stage_lines(result)), flush=True)
            if args.json is not None:
                with args.json.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(result) + "\n")
    print()
    print(table(rows, args.markdown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
