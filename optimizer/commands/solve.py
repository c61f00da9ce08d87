"""``copperloop solve FILE``: design the network (sites, modules, flows) and print the plan's summary."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import math
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from optimizer.commands import CommandError, add_client_argument, add_lang_argument, edition, tr
from optimizer.commands.outputs import OutputPath, print_out
from optimizer.model import Network
from optimizer.progress import CancelToken, ProgressCallback, ProgressEvent

if TYPE_CHECKING:
    from optimizer.design.options import SolveOptions


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "solve",
        help="design the network: which sites open, at what capacity, and how every grade flows",
        description="Solve the network-design model of a workbook and print the plan. Exit status: 0 when "
        "a plan was found (optimal, or feasible with the gap shown), 3 when the requirements cannot all "
        "hold (the reasons are printed), 4 when no plan was found in the time limit (or only the trivial "
        "plan, which collects nothing) or the solve was interrupted, 2 when the workbook has errors, 1 "
        "when the solver failed. Ctrl+C stops the solve like Cancel in the app: the best plan so far is "
        "printed and written; a second Ctrl+C quits at once.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the network workbook (.xlsx)")
    parser.add_argument(
        "--objective",
        choices=("profit", "cost", "utilization", "npv"),
        default=None,
        help="profit: maximise profit; cost: least cost reaching --target; utilization: most copper "
        "delivered within the budget, then least cost (default: profit). A workbook with a Periods sheet "
        "is planned over its years: npv (the default there; profit means the same) maximises the NPV of "
        "after-tax cash flow, cost the least discounted cost reaching every year's target",
    )
    parser.add_argument(
        "--single-year",
        type=int,
        metavar="YEAR",
        help="with a Periods sheet: plan only the period holding YEAR, as a one-year plan",
    )
    parser.add_argument(
        "--target", type=float, metavar="U", help="minimum recycled-copper utilization, 0 to 1 (e.g. 0.85)"
    )
    parser.add_argument(
        "--budget", type=float, metavar="CNY", help="annual budget: fixed + processing + transport"
    )
    parser.add_argument(
        "--solver", choices=("highs", "cbc"), default="highs", help="MILP solver (default: highs)"
    )
    parser.add_argument(
        "--time-limit", type=float, default=120.0, metavar="S",
        help=(
            "seconds for the whole run: reading and checking the workbook, building the model and "
            "solving (default: 120)"
        ),
    )
    parser.add_argument(
        "--gap", type=float, default=1e-4, metavar="G", help="relative MIP gap (default: 1e-4)"
    )
    parser.add_argument("--threads", type=int, metavar="N", help="solver threads (default: solver's choice)")
    parser.add_argument(
        "--k-nearest",
        type=int,
        metavar="K",
        help="keep only the K cheapest destinations per collection point and grade (smaller model; "
        "optimal for the restricted network only)",
    )
    parser.add_argument(
        "--pareto",
        type=int,
        metavar="N",
        help="instead of one plan, sweep N points of the cost-vs-utilization trade-off",
    )
    parser.add_argument(
        "--json", action=OutputPath, metavar="PLAN.json", help="write the plan (or the sweep) as JSON"
    )
    parser.add_argument(
        "-o", "--output", action=OutputPath, metavar="PLAN.xlsx",
        help="write the plan report workbook (summary, tables, charts and the input network)",
    )
    add_client_argument(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    add_lang_argument(parser, "the summary and the report")
    from optimizer.commands.solve_routes import add_arguments

    add_arguments(parser)  # --with-routes and its outputs


def run(args: argparse.Namespace) -> int:
    from optimizer.commands.interrupt import ctrl_c_cancels
    from optimizer.commands.workbook_input import load_for_planning
    from optimizer.design.options import Objective, SolveOptions
    from optimizer.progress import Throttle

    started = time.monotonic()  # --time-limit counts reading and checking the workbook too
    requested = args.objective
    try:
        options = SolveOptions(
            objective=Objective.PROFIT if requested in (None, "npv") else Objective(requested),
            target_utilization=args.target,
            budget_cny=args.budget,
            solver=args.solver,
            time_limit_s=args.time_limit,
            mip_gap=args.gap,
            threads=args.threads,
            pareto_points=args.pareto,
            k_nearest=args.k_nearest,
        )
    except ValueError as error:
        raise CommandError(str(error)) from error
    network = load_for_planning(args.file, args.lang, "solve again", "再求解")
    if network is None:
        return 2
    args.time_limit = time_left(args, time.monotonic() - started)  # the multi-year path reads it too
    options = dataclasses.replace(options, time_limit_s=args.time_limit)
    if args.with_routes and (args.pareto is not None or (network.periods and args.single_year is None)):
        raise CommandError(
            "--with-routes plans the routes of one one-year plan: drop --pareto, and with a Periods sheet "
            "give --single-year YEAR"
        )
    if network.periods and args.single_year is None and args.pareto is None:
        return _run_multiyear(args, network, requested)
    if args.single_year is not None:
        from optimizer.design.periods import single_period

        one_year = single_period(network, args.single_year) if network.periods else None
        if one_year is None:
            raise CommandError(
                f"--single-year {args.single_year}: no period of the Periods sheet holds that year"
            )
        network = one_year
    if requested == "npv":
        raise CommandError(
            "the npv objective plans over the years of a Periods sheet, and this network has none: use "
            "--objective profit, or add a Periods sheet"
        )
    target = options.target_utilization
    if target is None:
        target = network.parameters.target_utilization
    if options.objective == "cost" and target is None and args.pareto is None:
        raise CommandError(
            "the cost objective needs a utilization target: give --target (e.g. --target 0.85) or set the "
            "target utilization in the Parameters sheet"
        )
    throttle = Throttle(1.0)

    def progress(event: ProgressEvent) -> None:
        if args.quiet or not throttle.ready(force=event.phase in ("building", "done")):
            return
        parts = [f"[{event.elapsed_s:6.1f} s] {event.phase}"]
        if event.incumbent is not None:
            parts.append(f"incumbent {event.incumbent:,.0f}")
        if event.bound is not None:
            parts.append(f"bound {event.bound:,.0f}")
        if event.gap is not None:
            parts.append(f"gap {100 * event.gap:.2f}%")
        if event.message:
            parts.append(event.message_text())
        print("  ".join(parts), file=sys.stderr)

    with ctrl_c_cancels(args.lang) as cancel:
        # Ctrl+C cancels the solve like the app's Cancel; the plan so far is still written and printed
        return _solve_and_report(args, network, options, progress, cancel)


def _solve_and_report(
    args: argparse.Namespace,
    network: Network,
    options: SolveOptions,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> int:
    """Solve (one plan or the sweep) in a worker thread, write the files, then print the summary."""
    from optimizer.commands.interrupt import in_worker
    from optimizer.design.plan import PlanStatus
    from optimizer.design.solve import solve, solve_pareto

    if args.pareto is not None:
        with native_stdout_silenced():
            sweep = in_worker(
                lambda: solve_pareto(
                    network, options, args.pareto, progress=progress, cancel=cancel, validated=True
                )
            )
        # files first: a reader that leaves early (| head -3) must not cost them
        if args.json is not None:
            args.json.write_text(sweep.to_json(), encoding="utf-8")
        if args.output is not None and sweep.plans:
            from optimizer.report.plan_report import write_plan_report

            # the report's Summary shows the sweep's most profitable plan; the Pareto sheet all
            profits = {n: p.kpis.profit_cny for n, p in enumerate(sweep.plans) if p.kpis is not None}
            best = max(profits, key=profits.__getitem__) if profits else len(sweep.plans) - 1
            n, total = best + 1, len(sweep.plans)
            name = tr(
                args.lang,
                f"trade-off point {n} of {total} (the most profitable)",
                f"权衡曲线第 {n}/{total} 点（利润最高）",
            )
            write_plan_report(
                args.output, network, sweep.plans[n - 1], pareto=sweep, lang=args.lang,
                scenario_name=name, edition=edition(args),
            )
        lines = [sweep.status_message.render(args.lang)]
        for target, plan in zip(sweep.targets, sweep.plans, strict=False):
            k = plan.kpis
            line = f"  target {100 * target:5.1f}%: {plan.status.value}"
            if k is not None:
                line += f", utilization {100 * k.utilization:.1f}%, total cost {k.total_cost_cny:,.0f} CNY"
            lines.append(line)
        print_out("\n".join(lines))
        return 0 if sweep.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE) else 4

    from optimizer.design.economics import with_economics

    if args.with_routes:
        from optimizer.commands.solve_routes import run_with_routes

        return run_with_routes(args, network, options, progress, cancel)
    with native_stdout_silenced():
        plan = in_worker(lambda: solve(network, options, progress=progress, cancel=cancel, validated=True))
    plan = with_economics(network, plan)
    # files first: a reader that leaves early (| head -3) must not cost them
    if args.json is not None:
        args.json.write_text(plan.to_json(), encoding="utf-8")
    if args.output is not None:
        from optimizer.report.plan_report import write_plan_report

        write_plan_report(args.output, network, plan, lang=args.lang, edition=edition(args))
    print_out(plan.summary(args.lang))
    if plan.status is PlanStatus.FEASIBLE and plan.kpis is not None and plan.kpis.collected_t <= 0:
        return 4  # only the trivial plan: no plan was found in the time limit (the summary says so)
    return {
        PlanStatus.OPTIMAL: 0,
        PlanStatus.FEASIBLE: 0,
        PlanStatus.INFEASIBLE: 3,
        PlanStatus.CANCELLED: 4,
        PlanStatus.TIME_LIMIT_NO_SOLUTION: 4,
        PlanStatus.ERROR: 1,
    }[plan.status]


def _run_multiyear(args: argparse.Namespace, network: Network, requested: str | None) -> int:
    """Plan over the Periods sheet: the build schedule, NPV, IRR and payback first, then the last year."""
    from optimizer.design.multiyear import MultiYearObjective, MultiYearOptions
    from optimizer.design.multiyear_solve import solve_multiyear
    from optimizer.design.plan import PlanStatus

    if requested == "utilization":
        raise CommandError(
            "a workbook with a Periods sheet is planned for npv or cost; give --objective npv or cost, or "
            "--single-year YEAR to plan one year for utilization"
        )
    objective = MultiYearObjective.COST if requested == "cost" else MultiYearObjective.NPV
    if args.target is not None or args.budget is not None:
        raise CommandError(
            "over several years the targets and capital budgets come from the Periods sheet (and the "
            "Parameters); --target and --budget apply with --single-year YEAR"
        )
    try:
        options = MultiYearOptions(
            objective=objective, solver=args.solver, time_limit_s=args.time_limit, mip_gap=args.gap,
            threads=args.threads, k_nearest=args.k_nearest,
        )
    except ValueError as error:
        raise CommandError(str(error)) from error

    def progress(event: ProgressEvent) -> None:
        if not args.quiet and event.phase in ("building", "done"):
            print(f"[{event.elapsed_s:6.1f} s] {event.phase}  {event.message_text()}", file=sys.stderr)

    from optimizer.commands.interrupt import ctrl_c_cancels, in_worker

    with ctrl_c_cancels(args.lang) as cancel:  # as for one year: Ctrl+C keeps and writes the plan so far
        with native_stdout_silenced():
            plan = in_worker(
                lambda: solve_multiyear(network, options, progress=progress, cancel=cancel, validated=True)
            )
        # files first: a reader that leaves early (| head -3) must not cost them
        if args.json is not None:
            args.json.write_text(plan.to_json(), encoding="utf-8")
        if args.output is not None and plan.has_solution:
            from optimizer.report.plan_report import write_plan_report

            write_plan_report(args.output, network, plan, lang=args.lang, edition=edition(args))
        print_out(plan.summary(args.lang))
    return {
        PlanStatus.OPTIMAL: 0,
        PlanStatus.FEASIBLE: 0,
        PlanStatus.INFEASIBLE: 3,
        PlanStatus.CANCELLED: 4,
        PlanStatus.TIME_LIMIT_NO_SOLUTION: 4,
        PlanStatus.ERROR: 1,
    }[plan.status]


#: The least time a solve is given when reading the workbook took (nearly) all of ``--time-limit``: enough
#: for the solver to start and return the plan it has.
MIN_SOLVE_S = 1.0


def time_left(args: argparse.Namespace, read_s: float) -> float:
    """What is left of ``--time-limit`` for the solve after ``read_s`` seconds of reading and checking
    the workbook (never less than :data:`MIN_SOLVE_S`; said on standard error when the read took it all)."""
    left = float(args.time_limit) - read_s
    if left < MIN_SOLVE_S:
        print(
            tr(
                args.lang,
                f"reading the workbook took {read_s:.1f} s of the {args.time_limit:g} s time limit; "
                f"the solve gets {MIN_SOLVE_S:g} s",
                f"读取工作簿用时 {read_s:.1f} 秒（时间限制 {args.time_limit:g} 秒）；"
                f"求解只剩 {MIN_SOLVE_S:g} 秒",
            ),
            file=sys.stderr,
        )
        return MIN_SOLVE_S
    return math.floor(10 * left) / 10  # a tenth of a second: "stopped at the time limit (16.8 s)"


@contextlib.contextmanager
def native_stdout_silenced() -> Iterator[None]:
    """Send what native code writes to standard output to the null device while the block runs.

    HiGHS 1.12 prints a debugging line (``HighsMipSolverData::transformNewIntegerFeasibleSolution
    tmpSolver.run();``) straight to the C stdout on some MIPs; it would land in the middle of the
    plan summary. Python's own prints are flushed first and go on normally afterwards; progress lines
    go to stderr and are not affected.
    """
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (pytest capture, IDE console)
        yield
        return
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            try:
                yield
            finally:
                os.dup2(saved, fd)
    finally:
        os.close(saved)
