"""``copperloop solve FILE --with-routes``: the design and its collection routes in one loop.

Each round solves the design with the trucks collection cost model, routes it, and re-prices collection
from the routes (:func:`optimizer.routing.loop.solve_with_routes`). The plan JSON (``--json``) carries,
beside the plan, every collection flow's mode and its assumed and routed cost per t
(``collection_flows``) and the loop's rounds (``design_routing_loop``); ``--routes-json`` and
``--routes-xlsx`` write the final routes as ``copperloop routes`` does.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from optimizer.commands import CommandError, edition, tr
from optimizer.commands.outputs import OutputPath, print_out

if TYPE_CHECKING:
    from optimizer.design.options import SolveOptions
    from optimizer.design.plan import Plan
    from optimizer.model import Network
    from optimizer.progress import CancelToken, ProgressCallback
    from optimizer.routing.loop import LoopReport
    from optimizer.routing.result import RoutePlan


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The loop's options of ``copperloop solve``."""
    group = parser.add_argument_group("design and routes in one loop")
    group.add_argument(
        "--with-routes",
        action="store_true",
        help="solve the design with collection priced from VehicleTypes, route it, re-price collection "
        "from the routes and solve again, until the routes confirm the plan's collection cost "
        "(--time-limit is then each round's design limit)",
    )
    group.add_argument(
        "--routing-time-limit",
        type=float,
        default=30.0,
        metavar="S",
        help="with --with-routes: seconds of routing per round (default: 30)",
    )
    group.add_argument(
        "--rounds", type=int, default=4, metavar="N", help="with --with-routes: at most N rounds (default: 4)"
    )
    group.add_argument(
        "--routes-json", action=OutputPath, metavar="ROUTES.json", help="with --with-routes: write the routes"
    )
    group.add_argument(
        "--routes-xlsx",
        action=OutputPath,
        metavar="ROUTES.xlsx",
        help="with --with-routes: write the routes workbook",
    )


def run_with_routes(
    args: argparse.Namespace,
    network: Network,
    options: SolveOptions,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> int:
    """Run the loop, write the files, print the plan, the routes and the per-destination comparison."""
    from optimizer.commands.interrupt import in_worker
    from optimizer.design.economics import with_economics
    from optimizer.design.plan import PlanStatus
    from optimizer.routing.loop import LoopOptions, solve_with_routes
    from optimizer.routing.options import RoutingOptions

    try:
        routing = RoutingOptions(time_limit_s=args.routing_time_limit)
        loop = LoopOptions(max_rounds=args.rounds)
    except ValueError as error:
        raise CommandError(str(error)) from error
    from optimizer.commands.solve import native_stdout_silenced

    with native_stdout_silenced():
        plan, routes, report = in_worker(
            lambda: solve_with_routes(network, options, routing, loop, progress=progress, cancel=cancel)
        )
    plan = with_economics(network, plan)
    # files first: a reader that leaves early (| head -3) must not cost them
    if args.json is not None:
        args.json.write_text(plan_json(plan, routes, report), encoding="utf-8")
    if routes is not None and args.routes_json is not None:
        args.routes_json.write_text(routes.to_json(), encoding="utf-8")
    if args.output is not None:
        from optimizer.report.plan_report import write_plan_report

        write_plan_report(args.output, network, plan, routes=routes, lang=args.lang, edition=edition(args))
    if routes is not None and args.routes_xlsx is not None:
        from optimizer.report.routes_workbook import write_routes_workbook

        write_routes_workbook(routes, args.routes_xlsx, args.lang)
    parts = [plan.summary(args.lang)]
    if routes is not None:
        from optimizer.report.route_summary import route_summary

        parts.append(route_summary(routes, args.lang))
    parts.append(loop_summary(report, args.lang))
    print_out("\n\n".join(parts))
    if (
        plan.status in (PlanStatus.CANCELLED, PlanStatus.TIME_LIMIT_NO_SOLUTION)
        or report.stop_reason == "cancelled"
    ):
        return 4
    return {PlanStatus.INFEASIBLE: 3, PlanStatus.ERROR: 1}.get(plan.status, 0)


def plan_json(plan: Plan, routes: RoutePlan | None, report: LoopReport) -> str:
    """The plan's JSON with each collection flow's mode and costs and the loop's rounds beside it.

    ``Plan.from_json`` reads it back (the extra keys are ignored), so ``copperloop routes --plan`` takes it.
    """
    from optimizer.routing.loop import assumed_costs

    data: dict[str, Any] = plan.to_dict()
    assumed = assumed_costs(plan)
    flows = []
    for f in routes.collection_flows() if routes is not None else ():
        a_t, a_cost = assumed.get((f.point_id, f.destination_id), (0.0, 0.0))
        flows.append(
            {
                "point_id": f.point_id,
                "destination_id": f.destination_id,
                "mode": None if f.mode is None else str(f.mode),
                "t_per_year": f.t_per_year,
                "routed_t_per_year": f.routed_t_per_year,
                "assumed_cny_per_t": a_cost / a_t if a_t > 0 else None,
                "routed_cny_per_t": f.cost_cny_per_t,
                "routed_cost_cny_per_year": f.annual_cost_cny,
            }
        )
    data["collection_flows"] = flows
    data["design_routing_loop"] = report.to_dict()
    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)


def loop_summary(report: LoopReport, lang: str = "en") -> str:
    """The rounds and the per-destination table: assumed and routed CNY/t and their difference."""
    reasons = {
        "confirmed": ("the routes confirm the plan's collection cost", "路线成本与方案的收运成本一致"),
        "unchanged": ("the plan stopped changing", "方案不再变化"),
        "round_limit": ("the round limit was reached", "达到轮数上限"),
        "cancelled": ("cancelled", "已取消"),
        "no_plan": ("the design found no plan", "网络方案无解"),
        "nothing_routed": ("the plan collects nothing to route", "方案没有需要规划路线的收运"),
    }
    en, zh = reasons.get(report.stop_reason, (report.stop_reason, report.stop_reason))
    lines = [
        tr(
            lang,
            f"Design and routes: {len(report.rounds)} rounds in {report.total_s:.1f} s; {en}; "
            f"{report.served_share:.1%} of weekly visits and hauls served",
            f"设计与路线：{len(report.rounds)} 轮，{report.total_s:.1f} 秒；{zh}；"
            f"已服务每周取货与整车运输的 {report.served_share:.1%}",
        ),
    ]
    for r in report.rounds:
        a = "-" if r.assumed_cny_per_t is None else f"{r.assumed_cny_per_t:,.1f}"
        b = "-" if r.routed_cny_per_t is None else f"{r.routed_cny_per_t:,.1f}"
        lines.append(
            tr(
                lang,
                f"  round {r.round}: design {r.design_s:.1f} s, routes {r.routing_s:.1f} s, assumed {a} "
                f"CNY/t, routed {b} CNY/t, {r.moved_t:,.0f} t moved",
                f"  第 {r.round} 轮：设计 {r.design_s:.1f} 秒，路线 {r.routing_s:.1f} 秒，假设 {a} 元/吨，"
                f"路线 {b} 元/吨，调整 {r.moved_t:,.0f} 吨",
            )
        )
    lines.append(report.table(lang))
    return "\n".join(lines)
