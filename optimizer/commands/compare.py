"""``copperloop compare A.xlsx B.xlsx ...``: key figures of several scenarios side by side, with deltas
and charts, in one comparison workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from optimizer.commands import CommandError, add_lang_argument, tr
from optimizer.commands.outputs import OutputPath

if TYPE_CHECKING:
    from optimizer.design.options import SolveOptions
    from optimizer.design.plan import Plan
    from optimizer.model import Network


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="compare scenarios: plan reports, plan JSON files, or networks solved on the fly",
        description="Write a comparison workbook: one column of key figures per scenario, the difference "
        "of each from the first, how each network differs from the first, and charts of profit and "
        "utilization. Each FILE is a plan report (copperloop solve -o: its key figures are read, nothing "
        "is solved), a plan JSON (copperloop solve --json) or a network workbook, which is solved with "
        "the options below, together with every scenario saved in it (a project workbook). Exit status: "
        "0 when written, 2 when a file cannot be read, 4 when a scenario has no plan.",
    )
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="plan reports, plans or networks")
    parser.add_argument(
        "-o", "--output", action=OutputPath, required=True, metavar="COMPARE.xlsx",
        help="the comparison workbook"
    )
    parser.add_argument(
        "--names", metavar="A,B,...", help="scenario names, comma-separated (default: from the files)"
    )
    parser.add_argument(
        "--no-saved-scenarios",
        action="store_true",
        help="solve only a network workbook's own network, not the scenarios saved in it",
    )
    parser.add_argument(
        "--objective",
        choices=("profit", "cost", "utilization"),
        default="profit",
        help="objective when solving a network (default: profit)",
    )
    parser.add_argument("--target", type=float, metavar="U", help="utilization target when solving, 0 to 1")
    parser.add_argument(
        "--solver", choices=("highs", "cbc"), default="highs", help="MILP solver (default: highs)"
    )
    parser.add_argument(
        "--time-limit", type=float, default=60.0, metavar="S", help="seconds per solve (default: 60)"
    )
    parser.add_argument(
        "--gap", type=float, default=1e-3, metavar="G", help="relative MIP gap (default: 1e-3)"
    )
    parser.add_argument(
        "--k-nearest", type=int, metavar="K", help="keep the K cheapest destinations per point (faster)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    add_lang_argument(parser, "the comparison workbook and messages")


def run(args: argparse.Namespace) -> int:
    from optimizer.commands.validate import require_file
    from optimizer.design.options import SolveOptions
    from optimizer.report.compare import write_comparison_workbook

    if args.output.is_dir():
        raise CommandError(f'"{args.output}": is a folder, not a file')
    try:
        options = SolveOptions(
            objective=args.objective,
            target_utilization=args.target,
            solver=args.solver,
            time_limit_s=args.time_limit,
            mip_gap=args.gap,
            k_nearest=args.k_nearest,
        )
    except ValueError as error:
        raise CommandError(str(error)) from error
    scenarios: list[tuple[str, Network | None, Plan]] = []
    for path in args.files:
        scenarios += _scenarios_of(require_file(path), options, args)
    if args.names:
        names = [n.strip() for n in args.names.split(",")]
        if len(names) != len(scenarios):
            raise CommandError(
                tr(
                    args.lang,
                    f"--names gives {len(names)} names for {len(scenarios)} scenarios",
                    f"--names 给出 {len(names)} 个名称，但有 {len(scenarios)} 个情景",
                )
            )
        scenarios = [(name, n, p) for name, (_old, n, p) in zip(names, scenarios, strict=True)]
    if len(scenarios) < 2:
        raise CommandError(
            tr(args.lang, "give two or more scenarios to compare", "请给出两个或更多情景进行对比")
        )
    write_comparison_workbook(args.output, scenarios, args.lang)
    for name, _n, plan in scenarios:
        k = plan.kpis
        figures = (
            "-"
            if k is None
            else (
                f"{tr(args.lang, 'profit', '利润')} {k.profit_cny:,.0f} {tr(args.lang, 'CNY', '元')}, "
                f"{tr(args.lang, 'utilization', '利用率')} {100 * k.utilization:.1f}%"
            )
        )
        print(f"{name}: {figures}")
    print(tr(args.lang, f"comparison written to {args.output}", f"对比已写入 {args.output}"))
    return 0 if all(p.kpis is not None for _s, _n, p in scenarios) else 4


def _scenarios_of(
    path: Path, options: SolveOptions, args: argparse.Namespace
) -> list[tuple[str, Network | None, Plan]]:
    """The scenarios one FILE holds: a report's plan, a plan JSON, or a network (and its saved
    scenarios) solved with ``options``."""
    import json

    from optimizer.design.plan import Plan
    from optimizer.report.readback import is_plan_report, read_report_plan

    if path.suffix.lower() == ".json":
        try:
            plan = Plan.from_json(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError) as error:
            raise CommandError(f'"{path}": not a plan JSON file ({error})') from error
        return [(path.stem, None, plan)]
    try:
        report = is_plan_report(path)
    except (OSError, ValueError, KeyError) as error:
        raise CommandError(f'"{path}": not an Excel workbook ({error})') from error
    if report:
        try:
            back = read_report_plan(path)
        except ValueError as error:
            raise CommandError(str(error)) from error
        return [(path.stem, back.network, back.plan)]
    return _solved(path, options, args)


def _solved(
    path: Path, options: SolveOptions, args: argparse.Namespace
) -> list[tuple[str, Network | None, Plan]]:
    from optimizer.commands.solve import native_stdout_silenced
    from optimizer.commands.validate import print_issues
    from optimizer.design.solve import solve
    from optimizer.io.loading import has_errors, load_network
    from optimizer.io.scenarios import read_scenarios

    result = load_network(path)
    if has_errors(result) or result.network is None:
        print_issues([i for i in result.issues if i.is_error])
        raise CommandError(
            tr(
                args.lang,
                f"{path.name}: fix the errors above, then compare again",
                f"{path.name}：请先修正上述错误再对比",
            )
        )
    networks: list[tuple[str, Network]] = [(path.stem, result.network)]
    if not args.no_saved_scenarios:
        saved, base_name, _issues = read_scenarios(path)
        if saved:
            networks = [(f"{path.stem}: {base_name or tr(args.lang, 'base', '基准')}", result.network)]
            networks += [(f"{path.stem}: {name}", network) for name, network in saved]
    out: list[tuple[str, Network | None, Plan]] = []
    for name, network in networks:
        if not args.quiet:
            print(tr(args.lang, f"solving {name} ...", f"正在求解 {name} ..."), file=sys.stderr)
        with native_stdout_silenced():
            plan = solve(network, options, validated=network is result.network)
        out.append((name, network, plan))
    return out
