"""``copperloop routes FILE``: the week's collection routes from every depot, and what they cost a year."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from optimizer.commands import CommandError, add_client_argument, add_lang_argument, edition, tr

if TYPE_CHECKING:
    from optimizer.design.plan import Plan


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "routes",
        help="plan the week's collection truck routes from every depot",
        description="Assign visit days to every collection point (from its visits per week), then route "
        "each depot's trucks day by day: time windows, payloads, shifts, several trips per shift. The "
        "depots and the tonnes each collects come from --plan when given, else from each point's "
        "assigned site, else its nearest existing site. Ctrl+C stops early and keeps the routes found "
        "so far. Exit status: 0 when every visit is on a route, 3 when some cannot be served (each is "
        "listed with its reason), 4 when interrupted, 2 when the workbook or plan has errors.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the network workbook (.xlsx)")
    parser.add_argument(
        "--plan", type=Path, metavar="PLAN.json",
        help="a network-design plan (from copperloop solve --json) whose sites and assignment to use",
    )
    parser.add_argument(
        "--engine", choices=("pyvrp", "ortools"), default="pyvrp", help="routing engine (default: pyvrp)"
    )
    parser.add_argument(
        "--time-limit", type=float, default=30.0, metavar="S",
        help="seconds for the whole week, shared among the depot-days (default: 30)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed of the engine (default: 0)")
    parser.add_argument(
        "--single-trip", action="store_true", help="each truck makes one trip a day (no unloading in between)"
    )
    parser.add_argument(
        "--size-fleet", action="store_true",
        help="ignore the trucks each depot has and report how many of each type the week needs",
    )
    parser.add_argument(
        "--handling-min", type=float, default=15.0, metavar="MIN",
        help="minutes at the depot before each trip (default: 15)",
    )
    parser.add_argument("--json", type=Path, metavar="ROUTES.json", help="write the routes as JSON")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="ROUTES.xlsx",
        help="write the routes as a workbook (with --plan: the plan report with its routes)",
    )
    add_client_argument(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    add_lang_argument(parser, "messages and the plan report")


def run(args: argparse.Namespace) -> int:
    from optimizer.commands.validate import print_issues, require_file
    from optimizer.io.loading import has_errors, load_network
    from optimizer.progress import CancelToken, ProgressEvent, Throttle
    from optimizer.routing import RouteStatus, RoutingOptions, build_routing_problem, plan_routes

    path = require_file(args.file)
    for out in (args.json, args.output):
        if out is not None and out.is_dir():
            raise CommandError(f'"{out}": is a folder, not a file')
    try:
        options = RoutingOptions(
            engine=args.engine,
            time_limit_s=args.time_limit,
            seed=args.seed,
            multi_trip=not args.single_trip,
            depot_handling_min=args.handling_min,
            size_fleet=args.size_fleet,
        )
    except ValueError as error:
        raise CommandError(str(error)) from error
    plan = _read_plan(args.plan) if args.plan is not None else None
    result = load_network(path)
    if has_errors(result) or result.network is None:
        print_issues([i for i in result.issues if i.is_error])
        print(
            tr(args.lang, f"{path.name}: fix the errors above, then plan routes again",
               f"{path.name}：请先修正上述错误再规划路线"),
            file=sys.stderr,
        )
        return 2
    network = result.network
    if plan is not None and plan.network_name != network.name:
        print(
            tr(
                args.lang,
                f'warning: the plan was made for network "{plan.network_name}", this workbook is '
                f'"{network.name}"',
                f"警告：该方案是为网络“{plan.network_name}”求解的，本工作簿是“{network.name}”",
            ),
            file=sys.stderr,
        )
    problem = build_routing_problem(network, plan, options)

    throttle = Throttle(1.0)

    def progress(event: ProgressEvent) -> None:
        if args.quiet or not throttle.ready(force=event.fraction in (0.0, 1.0)):
            return
        done = "" if event.fraction is None else f"{100 * event.fraction:5.1f}%  "
        print(f"[{event.elapsed_s:6.1f} s] {done}{event.message}", file=sys.stderr)

    cancel = CancelToken()

    def interrupt(signum: int, frame: FrameType | None) -> None:
        cancel.cancel()

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        routes = plan_routes(problem, options, progress=progress, cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
    print(routes.summary())
    if args.json is not None:
        args.json.write_text(routes.to_json(), encoding="utf-8")
    if args.output is not None and plan is not None:
        from optimizer.report.plan_report import write_plan_report

        write_plan_report(args.output, network, plan, routes=routes, lang=args.lang, edition=edition(args))
    elif args.output is not None:
        from optimizer.report.routes_workbook import write_routes_workbook

        write_routes_workbook(routes, args.output)
    return {
        RouteStatus.COMPLETE: 0,
        RouteStatus.EMPTY: 0,
        RouteStatus.PARTIAL: 3,
        RouteStatus.NO_SOLUTION: 3,
        RouteStatus.CANCELLED: 4,
    }[routes.status]


def _read_plan(path: Path) -> Plan:
    from optimizer.design.plan import Plan

    if not path.exists():
        raise CommandError(f'"{path}": plan file not found')
    try:
        plan = Plan.from_json(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CommandError(f'"{path}": not a plan JSON file ({error})') from error
    except (KeyError, TypeError, ValueError) as error:
        raise CommandError(f'"{path}": not a plan written by copperloop solve --json ({error})') from error
    if not plan.has_solution:
        raise CommandError(
            f'"{path}": the plan has no solution (status {plan.status}); solve the network again'
        )
    return plan
