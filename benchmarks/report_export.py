"""How long exporting each sample's plan report takes (run by hand, never by the test suite).

    python benchmarks/report_export.py [--repeat 3] [--time-limit 30] [--gap 0.01] [--k-nearest N]
                                       [--lang en] [--samples teaching yangtze_delta china_national]

Each sample network (``sample_networks/<name>.xlsx``; built by ``sample_networks/build_samples.py``
into a temporary folder when the workbook is missing) is solved once with HiGHS under the given time
limit and gap, then its plan report is written ``--repeat`` times. Prints the plan's size (flow rows,
sheets' cells), the median time to build the workbook, to save it, and in total, and the file size.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from optimizer.design.options import SolveOptions
from optimizer.design.solve import solve
from optimizer.io.loading import load_network
from optimizer.io.writer import save_workbook
from optimizer.model import Network
from optimizer.report.plan_report import plan_report_workbook

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_networks"
SAMPLES = ("teaching", "yangtze_delta", "china_national")


def sample(name: str, scratch: Path) -> Network:
    path = SAMPLE_DIR / f"{name}.xlsx"
    if not path.exists():
        path = scratch / f"{name}.xlsx"
        if not path.exists():
            subprocess.run(
                [sys.executable, str(SAMPLE_DIR / "build_samples.py"), str(scratch)],
                check=True,
                capture_output=True,
            )
    result = load_network(path)
    if result.network is None:
        raise SystemExit(f"{path}: " + "; ".join(str(i) for i in result.issues))
    return result.network


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per solve (default 30)")
    parser.add_argument("--gap", type=float, default=0.01, help="relative MIP gap (default 0.01)")
    parser.add_argument("--k-nearest", type=int, help="restrict arcs to the K nearest destinations")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--samples", nargs="+", default=list(SAMPLES), choices=SAMPLES)
    args = parser.parse_args()
    options = SolveOptions(time_limit_s=args.time_limit, mip_gap=args.gap, k_nearest=args.k_nearest)
    print(f"solver highs, time limit {args.time_limit:g} s, gap {args.gap:g}, k nearest {args.k_nearest}")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        for name in args.samples:
            network = sample(name, scratch)
            plan = solve(network, options)
            if not plan.has_solution:
                print(f"{name}: {plan.status} ({plan.message}); exporting the Summary only")
            builds, saves = [], []
            out = scratch / f"{name}.report.xlsx"
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                wb = plan_report_workbook(network, plan, lang=args.lang)
                t1 = time.perf_counter()
                save_workbook(wb, out)
                t2 = time.perf_counter()
                builds.append(t1 - t0)
                saves.append(t2 - t1)
            cells = sum(ws.max_row * ws.max_column for ws in wb.worksheets)
            build, save = statistics.median(builds), statistics.median(saves)
            total = statistics.median(b + s for b, s in zip(builds, saves, strict=True))
            print(
                f"{name}: plan {plan.status} in {plan.runtime_s:.1f} s, {len(plan.flows):,} flow rows, "
                f"{len(wb.worksheets)} sheets, ~{cells:,} cells; median of {args.repeat}: "
                f"build {build:.2f} s, save {save:.2f} s, total {total:.2f} s; "
                f"{out.stat().st_size / 1e6:.1f} MB"
            )


if __name__ == "__main__":
    main()
