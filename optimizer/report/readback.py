"""Read a plan report back: its key figures, status and objective (and its network, for a full edition).

The report names every key figure ``kpi_<field>`` (a workbook-level defined name), whatever its
language, so a comparison can take plans from their reports without solving again. The Solver details
sheet gives the status and the objective, in English or Chinese. What the report does not hold (flows,
sites, bound) stays empty in the plan read back: it serves comparisons of key figures, not routing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from optimizer.design.options import Objective, SolveOptions
from optimizer.design.plan import Kpis, Plan, PlanStatus, text_message
from optimizer.io import read_network
from optimizer.model import Network
from optimizer.report.labels import LANGS, enum_values, sheet_name, text
from optimizer.report.summary import KPI_NAME_PREFIX


@dataclass(frozen=True, slots=True)
class ReportPlan:
    """A plan read back from its report, with the report's network (``None``: a client edition)."""

    network: Network | None
    plan: Plan
    network_name: str


def is_plan_report(path: str | Path) -> bool:
    """Whether ``path`` is a plan report (it names its key figures), not a network workbook."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return f"{KPI_NAME_PREFIX}profit_cny" in wb.defined_names
    finally:
        wb.close()


def _defined_value(wb: Any, name: str) -> Any:
    ((title, ref),) = list(wb.defined_names[name].destinations)
    return wb[title][ref.replace("$", "")].value


def read_report_plan(path: str | Path) -> ReportPlan:
    """The key figures, status and objective of the plan report at ``path``.

    Raises :class:`ValueError` naming what is missing when ``path`` is not a complete plan report.
    """
    wb = openpyxl.load_workbook(path)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Kpis):
        if f.name.startswith("utilization_by_"):
            values[f.name] = {}
            continue
        name = KPI_NAME_PREFIX + f.name
        if name not in wb.defined_names:
            raise ValueError(f'"{Path(path).name}": not a plan report with key figures (no {name})')
        value = _defined_value(wb, name)
        values[f.name] = int(value) if f.type in ("int", int) else float(value)
    facts = _solver_facts(wb)
    status = _enum(facts, "status", "plan_status", path)
    objective = _enum(facts, "objective_mode", "objective", path)
    network_name = str(facts.get("network", "") or "")
    result = read_network(path)
    network = result.network if not result.errors else None
    plan = Plan(
        status=PlanStatus(status),
        status_message=text_message(""),
        objective_name=objective,
        objective=None,
        best_bound=None,
        gap=None,
        runtime_s=0.0,
        build_s=0.0,
        solver="",
        options=SolveOptions(objective=Objective(objective)),
        network_name=network_name,
        kpis=Kpis(**values),
    )
    return ReportPlan(network, plan, network_name)


def _solver_facts(wb: Any) -> dict[str, Any]:
    """Label key -> value of the Solver details sheet, in whichever language it was written."""
    for lang in LANGS:
        title = sheet_name("solver", lang)
        if title in wb.sheetnames:
            ws = wb[title]
            labels = {text(k, lang): k for k in ("status", "objective_mode", "network", "scenario")}
            return {
                labels[str(a)]: b
                for a, b in ws.iter_rows(min_col=1, max_col=2, values_only=True)
                if isinstance(a, str) and a in labels
            }
    return {}


def _enum(facts: dict[str, Any], key: str, kind: str, path: str | Path) -> str:
    shown = facts.get(key)
    for lang in LANGS:
        for value, label in enum_values(kind, lang).items():
            if label == shown:
                return value
    raise ValueError(f'"{Path(path).name}": the Solver details sheet does not say the plan\'s {key}')
