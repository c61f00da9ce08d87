"""Multi-year benchmark: the investment MILP over a sample's Periods against the single-year solve.

Usage::

    python benchmarks/multiyear.py                                # national, 6 years, 120 s each
    python benchmarks/multiyear.py --instance teaching --time-limit 60
    python benchmarks/multiyear.py --instance yangtze --years 3 --markdown

For the instance's sample workbook (``sample_networks/<instance>.xlsx``, with its Periods 2025-2030)
it runs, each in a fresh child process so that its peak memory is its own:

* ``single``: the single-year profit solve of the last period's year network (the largest supply),
  :func:`optimizer.design.solve.solve`;
* ``multi``: :func:`optimizer.design.multiyear_solve.solve_multiyear` over the first ``--years``
  periods (objective npv).

Reported per run: model size (variables, binaries, rows), build time, the elapsed time at which the
solver's own gap first reached 1 % and 0.1 % (read from its progress events), the final status and gap,
total time and peak resident memory (``ru_maxrss`` of the child; HiGHS runs in-process). The last line
is the multi-year / single-year ratio of the total time. Goal: 1 % within 120 s and 4 GB
on a 2-core machine for the national sample over 6 years.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLES = {
    "teaching": REPO / "sample_networks" / "teaching.xlsx",
    "yangtze": REPO / "sample_networks" / "yangtze_delta.xlsx",
    "national": REPO / "sample_networks" / "china_national.xlsx",
}
GAPS = {"1%": 0.01, "0.1%": 0.001}


def run_child(instance: str, mode: str, years: int, time_limit: float, k: int | None) -> dict[str, Any]:
    """One measured run in this process (called in a child)."""
    from optimizer.design.multiyear import MultiYearOptions
    from optimizer.design.multiyear_solve import solve_multiyear
    from optimizer.design.options import SolveOptions
    from optimizer.design.periods import period_inputs, year_network
    from optimizer.design.solve import solve
    from optimizer.io.loading import load_network
    from optimizer.progress import ProgressEvent

    network = load_network(SAMPLES[instance]).network
    assert network is not None and network.periods, f"{instance} has no Periods sheet"
    network = network.replace(periods=network.periods[:years])
    reached: dict[str, float] = {}
    load_at_start = os.getloadavg()[0]
    started = time.perf_counter()

    def progress(event: ProgressEvent) -> None:
        for label, level in GAPS.items():
            if label not in reached and event.gap is not None and event.gap <= level:
                reached[label] = time.perf_counter() - started

    if mode == "single":
        last = year_network(network, period_inputs(network)[-1], operating_fixed=False)
        options = SolveOptions(time_limit_s=time_limit, mip_gap=1e-4, k_nearest=k)
        plan = solve(last, options, progress=progress)
    else:
        multi = MultiYearOptions(time_limit_s=time_limit, k_nearest=k)
        plan = solve_multiyear(network, multi, progress=progress)
    total = time.perf_counter() - started
    if plan.gap is not None:
        for label, level in GAPS.items():
            if plan.gap <= level:
                reached.setdefault(label, total)
    return {
        "mode": mode,
        "periods": years if mode == "multi" else 1,
        "status": str(plan.status),
        "gap": plan.gap,
        "objective": plan.objective,
        "bound": plan.best_bound,
        "build_s": plan.build_s,
        "total_s": total,
        "to_gap_s": reached,
        "size": plan.model_size,
        "builds": [dataclasses.asdict(b) for b in plan.builds],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        # the year-solving worker processes (optimizer.design.year_pool): the largest one's peak; the
        # process's own peak plus this many times the workers is an upper bound of the whole run's
        "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0,
        "cpu_s": _cpu_s(),
        "load": [load_at_start, os.getloadavg()[0]],
        "message": plan.message,
        "notes": [note.render("en") if hasattr(note, "render") else str(note) for note in plan.notes],
    }


def _cpu_s() -> float:
    """User + system CPU seconds of this process (HiGHS's threads included) and of the year-solving
    worker processes it ran."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def check_one_period(instance: str, time_limit: float) -> dict[str, Any]:
    """The one-period multi-year model against the single-year model (modules without capex, taxes and
    residual value off): the single-year plan's objective, the same plan evaluated on the one-period
    multi-year model, and the largest difference of an arc's objective coefficient between the two."""
    import numpy as np

    from optimizer.design.formulation import Requirements, build_model
    from optimizer.design.multiyear import build_multiyear_model
    from optimizer.design.multiyear_bound import _start, objective_value
    from optimizer.design.options import Objective, SolveOptions
    from optimizer.design.periods import period_inputs, year_network
    from optimizer.design.solve import solve
    from optimizer.io.loading import load_network
    from optimizer.model import VatMethod

    network = load_network(SAMPLES[instance]).network
    assert network is not None
    sites = tuple(
        dataclasses.replace(s, modules=tuple(dataclasses.replace(m, capex_cny=None) for m in s.modules))
        for s in network.sites
    )
    params = dataclasses.replace(
        network.parameters, income_tax_rate=0.0, vat_method=VatMethod.NONE, residual_value="none"
    )
    network = network.replace(sites=sites, parameters=params, periods=network.periods[:1])
    period = period_inputs(network)[0]
    single_net = year_network(network, period, operating_fixed=False)
    plan = solve(single_net, SolveOptions(objective=Objective.PROFIT, time_limit_s=time_limit))
    single = build_model(single_net, Requirements(period.target_utilization, None, params.max_new_sites))
    multi = build_multiyear_model(network)
    block = multi.years[0]
    a = np.array([multi.problem.objective.get(v, 0.0) for v in block.flow])
    b = np.array([single.problem.objective.get(v, 0.0) for v in single.flow])
    schedule = [{s.id: None for s in multi.sites.values()} | {s.site_id: s.module_id for s in plan.sites}]
    value = objective_value(multi.problem, _start(multi, schedule, [plan]))
    return {
        "single_objective": plan.objective,
        "same_plan_on_multi": value,
        "relative_difference": abs(value - (plan.objective or 0.0)) / max(abs(plan.objective or 0.0), 1.0),
        "max_coefficient_difference": float(np.abs(a - b).max()) if a.size == b.size else None,
        "arcs": [int(a.size), int(b.size)],
    }


def measure(instance: str, mode: str, years: int, time_limit: float, k: int | None) -> dict[str, Any]:
    args = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--instance",
        instance,
        "--years",
        str(years),
        "--time-limit",
        str(time_limit),
    ]
    if k is not None:
        args += ["--k-nearest", str(k)]
    out = subprocess.run(args, capture_output=True, text=True, check=True, cwd=REPO)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _fmt(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{x:,.{digits}f}"


def _peak(row: dict[str, Any]) -> str:
    """The run's peak MB, with its largest worker process's when it ran year solves in workers."""
    workers = row.get("worker_peak_mb") or 0.0
    own = _fmt(row["peak_mb"], 0)
    return own if workers < 100 else f"{own} + workers {_fmt(workers, 0)} each"


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| run | periods | variables | binaries | rows | build s | to 1 % s | to 0.1 % s | status | gap "
        "| total s | CPU s | load | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        size = r["size"]
        gap = "-" if r["gap"] is None else f"{100 * r['gap']:.2f}%"
        lines.append(
            f"| {r['mode']} | {r['periods']} | {size.get('variables', '-'):,} | "
            f"{size.get('binaries', '-'):,} | {size.get('constraints', '-'):,} | {_fmt(r['build_s'])} | "
            f"{_fmt(r['to_gap_s'].get('1%'))} | "
            f"{_fmt(r['to_gap_s'].get('0.1%'))} | {r['status']} | {gap} | {_fmt(r['total_s'])} | "
            f"{_fmt(r['cpu_s'])} | {r['load'][0]:.1f}-{r['load'][1]:.1f} | {_peak(r)} |"
        )
    single, multi = rows
    ratio = multi["total_s"] / max(single["total_s"], 1e-9)
    lines.append(f"\nmulti-year / single-year total time: {ratio:.1f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", choices=sorted(SAMPLES), default="national")
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--k-nearest", type=int, metavar="K", help="K cheapest destinations per yard")
    parser.add_argument("--markdown", action="store_true", help="print only the Markdown table")
    parser.add_argument("--child", choices=("single", "multi"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--check-one-period",
        action="store_true",
        help="compare the one-period multi-year model with the single-year model instead",
    )
    args = parser.parse_args(argv)
    if args.check_one_period:
        sys.path.insert(0, str(REPO))
        print(json.dumps(check_one_period(args.instance, args.time_limit), indent=1))
        return 0
    if args.child:
        sys.path.insert(0, str(REPO))
        result = run_child(args.instance, args.child, args.years, args.time_limit, args.k_nearest)
        print(json.dumps(result))
        return 0
    k_nearest = args.k_nearest
    rows = [measure(args.instance, m, args.years, args.time_limit, k_nearest) for m in ("single", "multi")]
    if not args.markdown:
        k = "" if args.k_nearest is None else f", {args.k_nearest} nearest destinations"
        print(f"{args.instance}, {args.years} periods{k}, time limit {args.time_limit:g} s per run")
    print(table(rows))
    if not args.markdown:
        multi = rows[1]
        print(
            "multi:",
            multi["message"],
            f"(NPV {multi['objective'] or 0:,.0f} CNY, bound {multi['bound'] or 0:,.0f})",
        )
        print("builds:", ", ".join(f"{b['year']} {b['site_id']} {b['module_id']}" for b in rows[1]["builds"]))
        for note in multi.get("notes", []):
            print("note:", note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
