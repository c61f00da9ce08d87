"""``copperloop selftest``: check that this installation can load, solve, route, export and show a plan.

Meant for the frozen Windows app (``CopperLoop.exe selftest`` right after installing it, and in CI on
the bundle) as much as for a source checkout; see :mod:`optimizer.selftest` for what each step proves.
"""

from __future__ import annotations

import argparse
import sys
import time

from optimizer.commands import CommandError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "selftest",
        help="check this installation: load, solve (HiGHS and CBC), route (PyVRP and OR-Tools), export",
        description="Run CopperLoop's whole job once on the bundled teaching network, without a display: "
        "read the templates, load the network, solve it with HiGHS and with CBC (same objective), plan "
        "the collection routes with PyVRP and with OR-Tools, write the plan report to a temporary "
        "workbook and read it back, and start Qt offscreen. Prints PASS or FAIL per step with its time. "
        "Exit status: 0 when every step passes, 1 otherwise.",
    )
    parser.add_argument(
        "--no-qt", action="store_true", help="leave out the Qt step (for an installation without PySide6)"
    )
    parser.add_argument(
        "--routing-time-limit", type=float, default=2.0, metavar="S",
        help="seconds for each routing engine (default: 2)",
    )
    parser.add_argument("--verbose", action="store_true", help="print the traceback of a failed step")


def run(args: argparse.Namespace) -> int:
    from optimizer.selftest import StepResult, header, run_selftest

    if not args.routing_time_limit > 0:
        raise CommandError(f"--routing-time-limit must be more than 0 s, got {args.routing_time_limit}")
    print(header(), flush=True)

    def report(result: StepResult) -> None:
        print(result.line(), flush=True)
        if args.verbose and result.traceback:
            print(result.traceback, file=sys.stderr, flush=True)

    start = time.perf_counter()
    results = run_selftest(qt=not args.no_qt, routing_time_limit_s=args.routing_time_limit, report=report)
    passed = sum(result.passed for result in results)
    verdict = "PASS" if passed == len(results) else "FAIL"
    elapsed = time.perf_counter() - start
    print(f"{verdict}: {passed} of {len(results)} steps passed in {elapsed:.1f} s", flush=True)
    return 0 if verdict == "PASS" else 1
