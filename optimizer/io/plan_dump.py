"""A plain plan workbook: every table of a :class:`~optimizer.plan.Plan` on its own sheet.

This is the ``copperloop solve -o PLAN.xlsx`` output: complete and machine-friendly (one header row,
numbers as numbers), not styled. The consultant-grade report lives in :mod:`optimizer.io.report`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from optimizer.io.writer import save_workbook
from optimizer.plan import Plan


def plan_workbook(plan: Plan) -> Workbook:
    """The plan as a workbook: Summary, KPIs, Sites, Smelters, Flows, Assignments, Shortfalls, Notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.append(["field", "value"])
    for key, value in [
        ("network", plan.network_name),
        ("status", str(plan.status)),
        ("message", plan.message),
        ("objective", plan.objective_name),
        ("objective value", plan.objective),
        ("best bound", plan.best_bound),
        ("relative gap", plan.gap),
        ("runtime (s)", plan.runtime_s),
        ("model build (s)", plan.build_s),
        ("solver", plan.solver),
        *((f"option {k}", _cell(v)) for k, v in plan.options.to_dict().items()),
        *((f"model {k}", v) for k, v in plan.model_size.items()),
    ]:
        ws.append([key, value])
    k = plan.kpis
    kpi = wb.create_sheet("KPIs")
    kpi.append(["kpi", "key", "value"])
    if k is not None:
        for name in type(k).__dataclass_fields__:
            value = getattr(k, name)
            if isinstance(value, dict):
                for key, v in value.items():
                    kpi.append([name, key, v])
            else:
                kpi.append([name, "", value])
    _table(
        wb,
        "Sites",
        [
            [
                "site_id",
                "name",
                "kind",
                "status",
                "province",
                "lat",
                "lon",
                "module_id",
                "capacity_t",
                "fixed_cost_cny",
                "throughput_t",
                "utilization_pct",
                "residue_t",
                "residue_t_cu",
                "processing_cost_cny",
                "co2_t",
            ],
            *(
                [
                    getattr(s, c)
                    for c in (
                        "site_id",
                        "name",
                        "kind",
                        "status",
                        "province",
                        "lat",
                        "lon",
                        "module_id",
                        "capacity_t",
                        "fixed_cost_cny",
                        "throughput_t",
                        "utilization_pct",
                        "residue_t",
                        "residue_t_cu",
                        "processing_cost_cny",
                        "co2_t",
                    )
                ]
                for s in plan.sites
            ),
        ],
    )
    _table(
        wb,
        "Site grades",
        [
            ["site_id", "direction", "grade_id", "t"],
            *([s.site_id, "in", g, t] for s in plan.sites for g, t in s.input_t_by_grade.items()),
            *([s.site_id, "out", g, t] for s in plan.sites for g, t in s.output_t_by_grade.items()),
        ],
    )
    _table(
        wb,
        "Smelters",
        [
            [
                "smelter_id",
                "name",
                "province",
                "capacity_t",
                "intake_t",
                "intake_t_cu",
                "blended_copper_content",
                "min_copper_content",
                "utilization_pct",
                "revenue_cny",
            ],
            *(
                [
                    m.smelter_id,
                    m.name,
                    m.province,
                    m.capacity_t,
                    m.intake_t,
                    m.intake_t_cu,
                    m.blended_copper_content,
                    m.min_copper_content,
                    m.utilization_pct,
                    m.revenue_cny,
                ]
                for m in plan.smelters
            ),
        ],
    )
    _table(
        wb,
        "Flows",
        [
            ["from_id", "to_id", "echelon", "grade_id", "t", "t_cu", "km", "t_km", "cost_cny", "co2_t"],
            *(
                [
                    f.from_id,
                    f.to_id,
                    str(f.echelon),
                    f.grade_id,
                    f.t,
                    f.t_cu,
                    f.km,
                    f.t_km,
                    f.cost_cny,
                    f.co2_t,
                ]
                for f in plan.flows
            ),
        ],
    )
    _table(
        wb,
        "Assignments",
        [
            [
                "point_id",
                "name",
                "province",
                "grade_id",
                "supply_t",
                "collected_t",
                "destination_id",
                "destination_kind",
                "t",
            ],
            *(
                [
                    a.point_id,
                    a.name,
                    a.province,
                    g,
                    a.supply_t_by_grade.get(g, 0.0),
                    a.collected_t_by_grade.get(g, 0.0),
                    share.destination_id,
                    share.destination_kind,
                    t,
                ]
                for a in plan.assignments
                for share in a.shares
                for g, t in share.t_by_grade.items()
            ),
            *(
                [a.point_id, a.name, a.province, g, t, 0.0, "", "", 0.0]
                for a in plan.assignments
                for g, t in a.supply_t_by_grade.items()
                if g not in a.collected_t_by_grade
            ),
        ],
    )
    _table(
        wb,
        "Shortfalls",
        [
            [
                "requirement",
                "subject_id",
                "constraint",
                "required",
                "achievable",
                "shortfall",
                "unit",
                "message",
            ],
            *(
                [
                    s.requirement,
                    s.subject_id,
                    s.constraint,
                    s.required,
                    s.achievable,
                    s.shortfall,
                    s.unit,
                    s.message,
                ]
                for s in plan.infeasibility
            ),
        ],
    )
    _table(wb, "Notes", [["note"], *([n] for n in plan.notes)])
    return wb


def write_plan_workbook(plan: Plan, path: str | Path) -> None:
    """Save :func:`plan_workbook` to ``path`` atomically (an existing file is kept as a backup)."""
    save_workbook(plan_workbook(plan), path)


def _table(wb: Workbook, title: str, rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title)
    for row in rows:
        ws.append([_cell(v) for v in row])
    ws.freeze_panes = "A2"


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)
