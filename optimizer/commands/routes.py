"""``copperloop routes FILE``: the week's collection routes from every depot, and what they cost a year."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from optimizer.commands import CommandError, add_client_argument, add_lang_argument, edition
from optimizer.commands.outputs import OutputPath, print_out
from optimizer.messages import render

if TYPE_CHECKING:
    from optimizer.design.plan import Plan
    from optimizer.model import Network


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    parser.add_argument("--json", action=OutputPath, metavar="ROUTES.json", help="write the routes as JSON")
    parser.add_argument(
        "-o", "--output", action=OutputPath, metavar="ROUTES.xlsx",
        help="write the routes as a workbook (with --plan: the plan report with its routes)",
    )
    add_client_argument(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    add_lang_argument(parser, "messages and the plan report")


def run(args: argparse.Namespace) -> int:
    from optimizer.commands.interrupt import ctrl_c_cancels, in_worker
    from optimizer.commands.workbook_input import load_for_planning
    from optimizer.progress import ProgressEvent, Throttle
    from optimizer.routing import RouteStatus, RoutingOptions, build_routing_problem, plan_routes

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
    plan = _read_plan(args.plan, args.lang) if args.plan is not None else None
    network = load_for_planning(args.file, args.lang, "plan routes again", "再规划路线")
    if network is None:
        return 2
    if plan is not None:
        _require_plan_of(plan, args.plan, network, args.file, args.lang)
    problem = build_routing_problem(network, plan, options)

    throttle = Throttle(1.0)

    def progress(event: ProgressEvent) -> None:
        if args.quiet or not throttle.ready(force=event.fraction in (0.0, 1.0)):
            return
        done = "" if event.fraction is None else f"{100 * event.fraction:5.1f}%  "
        print(f"[{event.elapsed_s:6.1f} s] {done}{event.message_text(args.lang)}", file=sys.stderr)

    with ctrl_c_cancels(args.lang) as cancel:  # Ctrl+C keeps the routes so far, and still writes them
        routes = in_worker(lambda: plan_routes(problem, options, progress=progress, cancel=cancel))
        # files first: a reader that leaves early (| head -3) must not cost them
        if args.json is not None:
            args.json.write_text(routes.to_json(), encoding="utf-8")
        if args.output is not None and plan is not None:
            from optimizer.report.plan_report import write_plan_report

            write_plan_report(
                args.output, network, plan, routes=routes, lang=args.lang, edition=edition(args)
            )
        elif args.output is not None:
            from optimizer.report.routes_workbook import write_routes_workbook

            write_routes_workbook(routes, args.output, args.lang)
        from optimizer.report.route_summary import route_summary

        print_out(route_summary(routes, args.lang))
    return {
        RouteStatus.COMPLETE: 0,
        RouteStatus.EMPTY: 0,
        RouteStatus.PARTIAL: 3,
        RouteStatus.NO_SOLUTION: 3,
        RouteStatus.CANCELLED: 4,
    }[routes.status]


def _read_plan(path: Path, lang: str = "en") -> Plan:
    from optimizer.design.plan import Plan

    if not path.exists():
        raise CommandError(f'"{path}": plan file not found')
    written_by = "copperloop solve FILE --json PLAN.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CommandError(f'"{path}": not a plan JSON file ({error})') from error
    where = ("path", str(path))
    if isinstance(data, dict) and "plans" in data and "targets" in data:
        sweep = ("sweep", "copperloop solve --pareto N --json")
        raise CommandError(render("cli.pareto_not_plan", (where, sweep, ("command", written_by)), lang))

    def not_a_plan(reason: str) -> CommandError:
        params = (where, ("command", written_by), ("reason", reason))
        return CommandError(render("cli.not_a_plan", params, lang))

    if not isinstance(data, dict) or not {"status", "network_name", "objective_name"} <= set(data):
        raise not_a_plan("it has no plan status, network name and objective")
    try:
        plan = Plan.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise not_a_plan(str(error)) from error
    if not plan.has_solution:
        raise CommandError(
            f'"{path}": the plan has no solution (status {plan.status}); solve the network again'
        )
    return plan


def _require_plan_of(plan: Plan, plan_path: Path, network: Network, file: Path, lang: str) -> None:
    """Refuse a plan made for another network: its depots and assignments would not be this network's."""
    if plan.network_name != network.name:
        raise CommandError(
            render(
                "cli.plan_other_network",
                (
                    ("plan_file", str(plan_path)),
                    ("plan_network", plan.network_name),
                    ("network", network.name),
                    ("command", f"copperloop solve {file} --json PLAN.json"),
                ),
                lang,
            )
        )
    known = {s.id for s in network.sites} | {p.id for p in network.collection_points}
    used = {s.site_id for s in plan.sites} | {a.point_id for a in plan.assignments}
    unknown = sorted(used - known)
    if unknown:
        listed = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise CommandError(
            render("cli.plan_unknown_ids", (("plan_file", str(plan_path)), ("ids", listed)), lang)
        )
