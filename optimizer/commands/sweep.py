"""``copperloop sweep FILE --factor ...``: solve many scenarios of a network, in parallel, and compare them.

Prints one line per scenario, the share of scenarios in which each candidate site opens, the tornado,
the break-even copper prices and (with ``--stochastic``) the two-stage design's VSS and EVPI; writes the
sweep workbook (``-o``) and JSON (``--json``). Ctrl+C cancels: running solves stop, finished scenarios
are kept and written. A workbook with a Periods sheet is planned over its years in every scenario (NPV,
IRR, payback and the build schedule per scenario; the tornado over NPV), as ``copperloop solve`` does;
``--single-year YEAR`` plans only that year.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import Any

from optimizer.commands import CommandError, add_lang_argument, tr
from optimizer.commands.outputs import OutputPath

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_INTERRUPTED = 4


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sweep",
        help="solve many scenarios (copper price, supply, disruptions...) and compare them",
        description="Solve a grid (or Latin-hypercube samples) of scenarios of a workbook, in parallel on "
        "this machine or on a Dask cluster; report each scenario's KPIs, how often each candidate site "
        "opens, a tornado of profit, each opened site's break-even copper price and, with --stochastic, "
        "the two-stage design. Factors: copper_price, supply, supply.grade.<id>, supply.province.<name>, "
        "carbon_price, target_utilization, capex_factor, param.<parameter>, unavailable (site or "
        "smelter ids, or none), smelter_capacity.<id>. Without --factor the workbook's Sweeps sheet is "
        "used. A workbook with a Periods sheet is planned over its years (NPV) in every scenario unless "
        "--single-year is given. Exit status: 0 when every scenario has a plan, 1 when some failed, 4 "
        "when interrupted, 2 for bad input.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the network workbook (.xlsx)")
    parser.add_argument(
        "--factor",
        action="append",
        default=[],
        metavar="NAME=VALUES",
        help="a factor and its values: a list a,b,c or a range start:stop:step (both ends included); "
        "repeat for more factors (the grid is every combination)",
    )
    parser.add_argument(
        "--samples",
        type=int,
        metavar="N",
        help="N Latin-hypercube samples of the factors' ranges instead of the grid",
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the samples (default: 0)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=int, metavar="K", help="local worker processes (default: one per core)"
    )
    where.add_argument(
        "--scheduler", metavar="ADDR", help="run on a Dask cluster, e.g. tcp://host:8786 (docs/scenarios.md)"
    )
    parser.add_argument(
        "--single-year",
        type=int,
        metavar="YEAR",
        help="with a Periods sheet: plan only the period holding YEAR, as a one-year plan (default: plan "
        "every scenario over all the years)",
    )
    parser.add_argument(
        "--stochastic",
        action="store_true",
        help="also solve the two-stage design over the scenarios (VSS, EVPI)",
    )
    parser.add_argument(
        "--tornado",
        type=float,
        default=10.0,
        metavar="PCT",
        help="tornado step, +/- PCT %% (default 10; 0: none)",
    )
    parser.add_argument("--no-break-even", action="store_true", help="skip the break-even copper prices")
    parser.add_argument(
        "--tolerance",
        type=float,
        default=100.0,
        metavar="CNY",
        help="break-even tolerance in CNY/t Cu (default: 100)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=120.0,
        metavar="S",
        help="seconds per scenario solve (default: 120)",
    )
    parser.add_argument(
        "--gap", type=float, default=1e-4, metavar="G", help="relative MIP gap (default: 1e-4)"
    )
    parser.add_argument(
        "-o", "--output", action=OutputPath, metavar="SWEEP.xlsx", help="write the sweep workbook"
    )
    parser.add_argument("--json", action=OutputPath, metavar="SWEEP.json", help="write the sweep as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    add_lang_argument(parser, "the sweep workbook")


def run(args: argparse.Namespace) -> int:
    from optimizer.commands.validate import print_issues, require_file
    from optimizer.design.options import SolveOptions
    from optimizer.io.loading import has_errors, load_network
    from optimizer.progress import CancelToken, ProgressEvent, Throttle
    from optimizer.scenarios.definition import SweepDefinition
    from optimizer.scenarios.factors import FactorError, parse_factor
    from optimizer.scenarios.sweep import SweepResult, run_sweep

    path = require_file(args.file)
    for out in (args.json, args.output):
        if out is not None and out.is_dir():
            raise CommandError(f'"{out}": is a folder, not a file')
    result = load_network(path)
    if has_errors(result) or result.network is None:
        print_issues([i for i in result.issues if i.is_error])
        print(f"{path.name}: fix the errors above, then sweep again", file=sys.stderr)
        return 2
    network = result.network
    try:
        if args.factor:
            factors = tuple(parse_factor(text) for text in args.factor)
            definition = SweepDefinition(
                factors=factors,
                samples=args.samples,
                seed=args.seed,
                tornado_pct=args.tornado,
                break_even=not args.no_break_even,
                break_even_tolerance_cny=args.tolerance,
                stochastic=args.stochastic,
                single_year=args.single_year,
            )
        else:
            definition = _from_workbook(path, args)
        options = SolveOptions(time_limit_s=args.time_limit, mip_gap=args.gap, threads=1)
        if definition.single_year is not None and not network.periods:
            raise CommandError(
                f"--single-year {definition.single_year}: {path.name} has no Periods sheet (it plans one "
                "year already)"
            )
        definition.check()
        if args.workers is not None and args.workers < 1:
            raise CommandError(f"--workers must be at least 1, got {args.workers}")
    except FactorError as error:
        raise CommandError(error.text(args.lang)) from error
    except ValueError as error:
        raise CommandError(str(error)) from error
    executor = _executor(args)
    throttle = Throttle(1.0)

    def progress(event: ProgressEvent) -> None:
        if not args.quiet and throttle.ready(force=event.fraction in (0.0, 1.0)):
            print(f"[{event.elapsed_s:6.1f} s] {event.describe()}", file=sys.stderr)

    cancel = CancelToken()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["result"] = run_sweep(
                network, definition, options, executor=executor, progress=progress, cancel=cancel
            )
        except BaseException as error:  # re-raised in the main thread, which reports it
            outcome["error"] = error

    if not args.quiet:
        print(
            f"{definition.count()} scenario(s) on {executor.workers} worker(s) ({type(executor).__name__})",
            file=sys.stderr,
        )
    from optimizer.commands.solve import native_stdout_silenced

    thread = threading.Thread(target=work, name="copperloop-sweep", daemon=True)
    interrupted = False
    # HiGHS's native debugging line on stdout (one worker solves in this process) must not land in the
    # summary; the pool's worker processes silence their own stdout
    with native_stdout_silenced():
        thread.start()
        try:
            while thread.is_alive():
                thread.join(0.2)
        except KeyboardInterrupt:
            interrupted = True
            print(
                "interrupted: cancelling the running scenarios (finished ones are kept)...", file=sys.stderr
            )
            cancel.cancel()
            thread.join()
        finally:
            executor.close()
    if "error" in outcome:
        failure = outcome["error"]
        if isinstance(failure, FactorError | ValueError):
            raise CommandError(str(failure)) from failure
        raise failure
    sweep: SweepResult = outcome["result"]
    print(summary(sweep))
    if args.json is not None:
        args.json.write_text(json.dumps(sweep.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
    if args.output is not None:
        from optimizer.report.sweep import write_sweep_report

        write_sweep_report(args.output, network, sweep, lang=args.lang)
    if interrupted or sweep.cancelled:
        return EXIT_INTERRUPTED
    return EXIT_SOME_FAILED if sweep.failed else EXIT_OK


def _executor(args: argparse.Namespace) -> Any:
    from optimizer.scenarios.executors import DaskCluster, LocalPool

    if args.scheduler:
        try:
            return DaskCluster(args.scheduler)
        except OSError as error:
            raise CommandError(f"cannot reach the Dask scheduler at {args.scheduler}: {error}") from error
    return LocalPool(args.workers)


def _from_workbook(path: Path, args: argparse.Namespace) -> Any:
    from optimizer.scenarios.workbook import read_sweep

    definition, issues = read_sweep(path)
    if issues:
        from optimizer.commands.validate import print_issues

        print_issues(issues)
        if any(i.is_error for i in issues):
            raise CommandError(f"{path.name}: fix the Sweeps sheet, or give the factors with --factor")
    if definition is None:
        raise CommandError(
            tr(
                args.lang,
                f"{path.name} has no Sweeps sheet: give at least one --factor, e.g. "
                "--factor copper_price=60000:90000:10000",
                f"{path.name} 没有扫描表：请至少给出一个 --factor，"
                "例如 --factor copper_price=60000:90000:10000",
            )
        )
    import dataclasses

    changes: dict[str, Any] = {"stochastic": definition.stochastic or args.stochastic}
    if args.samples is not None:
        changes.update(samples=args.samples, seed=args.seed)
    if args.no_break_even:
        changes["break_even"] = False
    if args.single_year is not None:
        changes["single_year"] = args.single_year
    return dataclasses.replace(definition, **changes)


def summary(sweep: Any) -> str:
    """The sweep as a few lines of plain text."""
    lines = [
        f"Sweep of {sweep.network_name}: {len(sweep.scenarios)} scenario(s) in {sweep.runtime_s:.1f} s "
        f"on {sweep.workers} worker(s)" + (" (cancelled)" if sweep.cancelled else "")
    ]
    if sweep.multiyear:
        lines.append(
            f"  every scenario planned over {sweep.years[0]}-{sweep.years[-1]} ({len(sweep.years)} periods, "
            "NPV objective); profit and utilization are the last year's; a site is open if any year runs it"
        )
    elif sweep.definition.single_year is not None:
        lines.append(f"  every scenario planned for {sweep.definition.single_year} only (--single-year)")
    base = sweep.base
    if base.profit_cny is not None:
        npv = f", NPV {base.npv_cny:,.0f} CNY" if base.npv_cny is not None else ""
        lines.append(
            f"  base: profit {base.profit_cny:,.0f} CNY/yr{npv}, sites {', '.join(base.sites_open) or '-'}"
            + _builds(base)
        )
    for s in sweep.scenarios:
        values = ", ".join(f"{k}={_show(v)}" for k, v in s.factors.items())
        if s.profit_cny is None:
            first = s.message.render("en") if s.message is not None else ""
            lines.append(f"  {values}: {s.status} {first}")
            continue
        npv = f", NPV {s.npv_cny:,.0f}" if s.npv_cny is not None else ""
        if s.npv_cny is not None:
            npv += ", IRR " + ("not defined" if s.irr is None else f"{100 * s.irr:.1f}%")
            npv += ", payback " + _payback(s.payback_years)
        status = s.status if s.status != "feasible" or s.gap is None else f"feasible (gap {100 * s.gap:.2f}%)"
        lines.append(
            f"  {values}: {status}, profit {s.profit_cny:,.0f}{npv}, "
            f"utilization {100 * (s.utilization or 0):.1f}%, sites {', '.join(s.sites_open) or '-'}"
            + _builds(s)
        )
        if s.status != "optimal" and s.message is not None:  # why it stopped, e.g. at the time limit
            lines.append(f"    {s.message.render('en')}")
    if sweep.robustness:
        lines.append("Candidate sites: share of scenarios in which each opens")
        for r in sweep.robustness:
            lines.append(f"  {r.site_id:<10} {100 * r.share:5.1f}%  ({r.opens_in} of {r.scenarios})")
    for b in sweep.break_even:
        if b.status == "found":
            lines.append(
                f"Break-even copper price of {b.site_id}: {b.copper_price_cny_per_t_cu:,.0f} CNY/t Cu "
                f"(+/- {b.tolerance:,.0f}; {b.solves} solves)"
            )
        else:
            why = _BREAK_EVEN_WORDS.get(b.status, b.status)
            said = "" if b.message is None else f" ({b.message.render('en')})"
            lines.append(f"Break-even copper price of {b.site_id}: {why}{said}")
    unit = "NPV, CNY" if sweep.kpi == "npv_cny" else "profit, CNY/yr"
    for t in sweep.tornado:
        if t.low_cny is not None and t.high_cny is not None:
            lines.append(
                f"Tornado {t.factor}: {_show(t.low_value)} -> {t.low_cny:,.0f}, "
                f"{_show(t.high_value)} -> {t.high_cny:,.0f} ({unit})"
            )
    st = sweep.stochastic
    if st is not None and st.expected_profit_cny is not None:
        what, unit = ("NPV", "CNY") if st.multiyear else ("profit", "CNY/yr")
        lines.append(
            f"Two-stage design over {st.scenarios} scenarios: expected {what} {st.expected_profit_cny:,.0f}, "
            f"VSS {st.vss_cny or 0:,.0f}, EVPI {st.evpi_cny or 0:,.0f} {unit}; builds "
            + (
                ", ".join(f"{k} {v}" if st.multiyear else f"{k} ({v})" for k, v in st.design.items())
                or "nothing"
            )
        )
    elif st is not None:
        lines.append(f"Two-stage design: {st.status} ({st.message.render('en')})")
    if sweep.fixed_prices and any("copper_price" in s.factors for s in sweep.scenarios):
        kinds: dict[str, int] = {}
        for f in sweep.fixed_prices:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
        counted = ", ".join(f"{n} {kind}(s)" for kind, n in kinds.items())
        lines.append(f"Note: the copper-price scenarios did not move {counted}; they are fixed:")
        lines += [f"  {text}" for text in _fixed_named(sweep.fixed_prices)]
    failed = sweep.failed
    if failed:
        lines.append(f"{len(failed)} scenario(s) failed; their errors are in the JSON and the workbook")
    return "\n".join(lines)


def _fixed_named(prices: Any) -> list[str]:
    """The fixed prices, one line per kind and grade: ``purchase price of MOT: 5,740-5,860 CNY/t at 128
    points (CP001, CP002, ...)``; a smelter's price by smelter."""
    groups: dict[tuple[str, str, str], list[tuple[str, float]]] = {}
    for f in prices:
        whose, _, grade = f.subject_id.partition("/")
        groups.setdefault((f.kind, grade, f.unit), []).append((whose, f.value))
    out = []
    for (kind, grade, unit), entries in groups.items():
        what = f"{kind} of {grade}" if grade else kind
        low, high = min(v for _, v in entries), max(v for _, v in entries)
        value = f"{low:,.0f}" if low == high else f"{low:,.0f}-{high:,.0f}"
        ids = [w for w, _ in entries]
        shown = ", ".join(ids[:4]) + (", ..." if len(ids) > 4 else "")
        where = "points" if grade else "smelters"
        out.append(f"{what}: {value} {unit} at {len(ids)} {where} ({shown})")
    return out


def _payback(years: float | None) -> str:
    # cash flows sit at t = 0, 1, ... (as in the NPV): 0 means the first year's cash flow covers its capex
    if years is None:
        return "not within the horizon"
    return "within the first year" if years <= 0 else f"{years:.1f} years"


def _builds(s: Any) -> str:
    """``; builds S1 M200 2025, ...`` for a multi-year scenario that builds something."""
    if not s.builds:
        return ""
    return "; builds " + ", ".join(f"{site} {module} {year}" for site, module, year in s.builds)


def _show(v: object) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


#: a break-even search that found no switch, in words (the JSON keeps the status codes)
_BREAK_EVEN_WORDS = {
    "opens_at_floor": "below the range searched",
    "not_open_at_base": "not opened at the base price",
    "cancelled": "cancelled",
    "error": "not found",
}
