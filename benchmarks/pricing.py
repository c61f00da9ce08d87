"""What exact arc pricing buys: the national sample's LP relaxation over every arc against a few priced in.

Usage::

    python benchmarks/pricing.py                 # the national sample, profit objective

Both LPs are the same relaxation of the network-design MILP (no linking rows, every module free in
[0, 1]), in one process: (a) HiGHS's interior-point method on all 99,650 arc columns; (b) the same method
on each yard's 5 best arcs into sites and 2 into smelters per grade (:mod:`optimizer.design.heuristic`'s
restriction), then dual simplex rounds that add the omitted arcs with an improving reduced cost until
none is left (:class:`optimizer.design.pricing.PricedLp`). Printed: seconds, columns and the two optima
(equal within 1e-9 relative when pricing converged), and the load average.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from optimizer.design.formulation import build_model  # noqa: E402
from optimizer.design.heuristic import _restricted_columns  # noqa: E402
from optimizer.design.options import SolveOptions  # noqa: E402
from optimizer.design.pricing import LpMatrix, PricedLp  # noqa: E402
from optimizer.design.solve import requirements_of  # noqa: E402
from optimizer.io.loading import load_network  # noqa: E402


def main() -> int:
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    network = load_network(REPO / "sample_networks" / "china_national.xlsx").network
    assert network is not None
    model = build_model(network, requirements_of(network, SolveOptions()))
    variables = [*model.flow, *model.module_open.values(), *model.slacks.values()]
    t0 = time.monotonic()
    matrix = LpMatrix.from_problem(model.problem, variables)
    read_s = time.monotonic() - t0
    print(f"matrix read: {read_s:.2f} s, {matrix.n_cols:,} columns, {matrix.row.size:,} non-zeros")
    flow_cols = matrix.columns(model.flow)

    t0 = time.monotonic()
    full = PricedLp(matrix, np.ones(matrix.n_cols, dtype=bool))
    ok = full.run(600, method="ipm")
    full_s = time.monotonic() - t0
    n_arcs = len(model.flow)
    print(f"(a) all arcs: {full_s:.2f} s, {n_arcs:,} arc columns, optimal={ok}, {full.objective():,.2f}")

    t0 = time.monotonic()
    priced = PricedLp(matrix, _restricted_columns(model, matrix, flow_cols))
    first = int(priced.active[flow_cols].sum())
    ok_first = priced.run(600, method="ipm")
    first_s = time.monotonic() - t0
    converged = priced.price(time.monotonic() + 600)
    priced_s = time.monotonic() - t0
    arcs = int(priced.active[flow_cols].sum())
    print(
        f"(b) priced: restricted LP {first_s:.2f} s on {first:,} arc columns (optimal={ok_first}), then "
        f"{priced.pricing_rounds} pricing rounds to {arcs:,} columns: {priced_s:.2f} s in all, "
        f"converged={converged}, {priced.objective():,.2f}"
    )
    rel = abs(priced.objective() - full.objective()) / max(abs(full.objective()), 1e-10)
    print(f"same optimum within {rel:.1e} relative; time ratio (a)/(b): {full_s / max(priced_s, 1e-9):.2f}x")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
