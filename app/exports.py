"""Jobs that write files from the current plan (run on the worker, on a snapshot)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.document import NetworkDocument
from optimizer import CancelToken, ParetoResult, PlanStatus, ProgressEvent, message


def plan_export_job(
    doc: NetworkDocument, path: Path, lang: str, edition: str = "full"
) -> Callable[[Any, CancelToken], Path]:
    """A job writing the current scenario's plan report to ``path``, in the ``edition`` asked for: the
    full one (every sheet; it re-imports) or the client one (no input sheets or supplier prices).

    The report is the consultant-grade workbook (``optimizer.report.plan_report``): it carries the network the
    plan was solved on (so it re-imports), the routes and the trade-off sweep when they belong to that
    same network, and a comparison of every scenario that has a plan. Everything is captured here, on
    the GUI thread, so the worker writes a consistent snapshot while the user keeps editing.
    """
    scenario = doc.current
    plan = scenario.plan
    if plan is None:
        raise ValueError("there is no plan to export")
    network = scenario.plan_network or scenario.network
    routes = scenario.route_plan if scenario.route_network is network else None
    pareto = None
    if scenario.pareto and scenario.pareto_network is network:
        solved = [(p, p.kpis) for p in scenario.pareto if p.kpis is not None]
        plans = tuple(p for p, _kpis in solved)
        targets = tuple(p.options.target_utilization or kpis.utilization for p, kpis in solved)
        said = message(
            "status.sweep", solved=len(plans), n=len(scenario.pareto),
            low=f"{100 * min(targets, default=0.0):.1f}%", high=f"{100 * max(targets, default=0.0):.1f}%",
        )
        pareto = ParetoResult(plans, targets, PlanStatus.OPTIMAL, said, sum(p.runtime_s for p in plans))
    compared = [
        (s.name, s.plan_network or s.network, s.plan) for s in doc.scenarios if s.plan is not None
    ]
    name = scenario.name

    def work(progress: Any, _cancel: CancelToken) -> Path:
        from optimizer import write_plan_report

        progress(ProgressEvent("export", 0.1, path.name))
        write_plan_report(
            path,
            network,
            plan,
            routes=routes,
            pareto=pareto,
            scenarios=compared if len(compared) >= 2 else None,
            lang=lang,
            scenario_name=name,
            edition=edition,
        )
        progress(ProgressEvent("export", 1.0, path.name))
        return path

    return work
