"""How long writing and reading a large network workbook takes (run by hand, never by the test suite).

    python benchmarks/excel_io.py [--points 20000] [--repeat 3]

A synthetic network with N collection points (two supply rows each), 200 sites with two modules and
two yields each, 20 smelters; prints the median write and read time and the file size.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from optimizer.io import read_network, write_network
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    Grade,
    Network,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    YieldEntry,
)


def synthetic_network(points: int) -> Network:
    grades = (Grade("No1", "Bare bright", "光亮铜线", 0.99, 0.985), Grade("No2", "No. 2", "二号铜", 0.94))
    cps = tuple(
        CollectionPoint(
            f"CP-{i:06d}",
            f"回收站 {i}",
            round(30 + (i % 500) / 100, 2),
            round(120 + (i // 500) / 100, 2),
            "江苏",
            (Supply("No1", 10.0 + i % 7), Supply("No2", 20.5, 65000.0)),
            buyback_coefficient=0.9,
        )
        for i in range(points)
    )
    sites = sorted(
        (
            ProcessingSite(
                f"S-{i:04d}",
                f"Site {i}",
                SiteKind.SORTING if i % 2 else SiteKind.DISMANTLING,
                31.0,
                121.0,
                status=SiteStatus.CANDIDATE,
                modules=(CapacityModule("M1", 1e4, 8e5), CapacityModule("M2", 2.5e4, 1.5e6)),
                yields=(YieldEntry("No1", "No1", 1.0), YieldEntry("No2", "No2", 0.98)),
            )
            for i in range(200)
        ),
        key=lambda s: s.kind is SiteKind.SORTING,  # the workbook's order: dismantling sites first
    )
    smelters = tuple(
        Smelter(
            f"SM-{i:02d}",
            f"Smelter {i}",
            28.0,
            117.0,
            capacity_t_per_year=1e5,
            accepted_grade_ids=("No1", "No2"),
        )
        for i in range(20)
    )
    return Network("benchmark", grades, cps, tuple(sites), smelters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    network = synthetic_network(args.points)
    writes, reads = [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.xlsx"
        for _ in range(args.repeat):
            path.unlink(missing_ok=True)
            t0 = time.perf_counter()
            write_network(network, path)
            writes.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            result = read_network(path)
            reads.append(time.perf_counter() - t0)
            assert result.network == network and not result.issues
        size = path.stat().st_size
    rows = args.points * 3 + 200 * 5 + 20
    print(f"{args.points:,} collection points, {rows:,} data rows, {size / 2**20:.1f} MB")
    print(f"write: median {statistics.median(writes):.2f} s over {args.repeat} runs")
    print(f"read:  median {statistics.median(reads):.2f} s over {args.repeat} runs")


if __name__ == "__main__":
    main()
