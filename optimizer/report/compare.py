"""The comparison sheets of the plan report: the Pareto frontier of a trade-off sweep (table and curve)
and the Scenario comparison (one column of key figures per scenario)."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook

from optimizer.design.plan import ParetoResult, Plan
from optimizer.io.scenarios import describe_changes
from optimizer.model import Network
from optimizer.report import charts
from optimizer.report.context import ReportContext
from optimizer.report.labels import column, enum_label, sheet_name, table_format, text, unit
from optimizer.report.styles import (
    LINE_HEIGHT,
    TOTAL_FONT,
    WRAP_TOP,
    Col,
    TableRange,
    apply_widths,
    chart_anchor_below,
    print_setup,
    put,
    title_block,
    wrapped_lines,
    write_table,
)
from optimizer.report.summary import KPI_ROWS

#: Width of a scenario's column on the comparison sheet (its changes wrap within it).
SCENARIO_WIDTH = 22.0
MAX_SCENARIO_WIDTH = 30.0


def write_pareto(wb: Workbook, ctx: ReportContext, pareto: ParetoResult) -> TableRange:
    """One row per point of the sweep (its utilization floor, status and key figures) and the curve of
    profit against utilization (total cost rises almost in step with the copper bought, so the cost
    curve is a straight line that says nothing; profit shows what the last points of utilization
    cost)."""
    lang = ctx.lang
    ws = wb.create_sheet(sheet_name("pareto", lang))
    title_block(ws, f"{sheet_name('pareto', lang)}: {ctx.network.name}", ctx.subtitle)
    cols = [
        Col("point", "int"),
        Col("target", "%"),
        Col("status"),
        Col("utilization", "%"),
        Col("delivered_cu", "t Cu"),
        Col("total_cost", "CNY"),
        Col("revenue", "CNY"),
        Col("profit", "CNY"),
        Col("sites_open", "int"),
        Col("gap", "%"),
    ]
    rows = []
    for n, (target, plan) in enumerate(zip(pareto.targets, pareto.plans, strict=False), start=1):
        k = plan.kpis
        rows.append(
            (
                n,
                target,
                enum_label("plan_status", plan.status, lang),
                None if k is None else k.utilization,
                None if k is None else k.copper_delivered_t_cu,
                None if k is None else k.total_cost_cny,
                None if k is None else k.revenue_cny,
                None if k is None else k.profit_cny,
                None if k is None else k.sites_open,
                plan.gap,
            )
        )
    table = write_table(ws, cols, rows, lang)
    if any(p.kpis is not None for p in pareto.plans):
        charts.pareto_curve(
            ws,
            table.columns["utilization"],
            table.columns["profit"],
            table.first_row,
            table.last_row,
            text("chart_pareto", lang),
            column("utilization", lang, "%"),
            column("profit", lang, "CNY"),
            chart_anchor_below(ws, table.last_row),
        )
    print_setup(ws, table.header_row, ctx.page_header)
    return table


def write_scenarios(
    wb: Workbook, ctx: ReportContext, scenarios: Sequence[tuple[str, Network, Plan]]
) -> TableRange:
    """Key figures side by side, one column per scenario, and how each differs from the first."""
    lang = ctx.lang
    ws = wb.create_sheet(sheet_name("scenarios", lang))
    title_block(ws, f"{sheet_name('scenarios', lang)}: {ctx.network.name}", ctx.subtitle)
    cols = [Col("kpi_label", label=text("kpi", lang)), Col("unit")]
    cols += [Col(f"scenario:{i}", label=name) for i, (name, _n, _p) in enumerate(scenarios)]
    base = scenarios[0][1]
    rows: list[tuple[object, ...]] = [
        (text("status", lang), "", *(enum_label("plan_status", p.status, lang) for _s, _n, p in scenarios)),
        (
            text("objective_mode", lang),
            "",
            *(enum_label("objective", p.objective_name, lang) for _s, _n, p in scenarios),
        ),
    ]
    units: list[tuple[str, bool]] = [("", False), ("", False)]
    for kpi in KPI_ROWS:
        values = [None if p.kpis is None else getattr(p.kpis, kpi.field) for _s, _n, p in scenarios]
        rows.append((text(kpi.label, lang), unit(kpi.unit, lang), *values))
        units.append((kpi.unit, kpi.total))
    changes = [text("no_changes", lang)]
    changes += [describe_changes(base, network) for _s, network, _p in scenarios[1:]]
    # the (long) changes row wraps in its column instead of widening it
    widths: dict[int, float] = {}
    table = write_table(ws, cols, rows, lang, autofilter=False, widths=widths)
    for r, (unit_key, total) in enumerate(units, start=table.first_row):
        if unit_key:
            for c in range(3, 3 + len(scenarios)):
                ws.cell(row=r, column=c).number_format = table_format(unit_key)
        if total:
            ws.cell(row=r, column=1).font = TOTAL_FONT
    last = table.last_row + 1
    put(ws, last, 1, text("changes", lang)).alignment = WRAP_TOP
    for c, change in enumerate(changes, start=3):
        put(ws, last, c, change).alignment = WRAP_TOP
        widths[c] = min(max(widths.get(c, 0.0), SCENARIO_WIDTH), MAX_SCENARIO_WIDTH)
    apply_widths(ws, widths)
    lines = max(wrapped_lines(str(v), SCENARIO_WIDTH) for v in changes)
    ws.row_dimensions[last].height = min(400, LINE_HEIGHT * lines)
    print_setup(ws, table.header_row, ctx.page_header)
    return table
