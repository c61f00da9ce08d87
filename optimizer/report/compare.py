"""The comparison sheets of the plan report: the Pareto frontier of a trade-off sweep (table and curve)
and the Scenario comparison (one column of key figures per scenario)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from optimizer.design.plan import ParetoResult, Plan
from optimizer.io.writer import COMMENT_AUTHOR, save_workbook
from optimizer.model import Network
from optimizer.report import charts
from optimizer.report.context import ReportContext
from optimizer.report.labels import check_lang, column, enum_label, sheet_name, table_format, text, unit
from optimizer.report.printing import set_print_area
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
from optimizer.schema import PARAMETER_ROWS

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


#: A compared scenario: its name, its network (``None`` when only its report is known) and its plan.
Compared = tuple[str, Network | None, Plan]

#: Network tables whose rows a scenario may change, with their labels.
_TABLES = {
    "grades": ("grades", "废铜等级"),
    "collection_points": ("collection points", "回收点"),
    "sites": ("sites", "站点"),
    "smelters": ("smelters", "冶炼厂"),
    "vehicle_types": ("vehicle types", "车型"),
    "distances": ("distances", "距离"),
}


def describe_difference(base: Network | None, other: Network | None, lang: str) -> str:
    """How ``other`` differs from ``base``, in ``lang``: each changed parameter by its Parameters-sheet
    label with both values, then the tables with changed or added rows."""
    if base is None or other is None:
        return text("changes_unknown", lang)
    labels = {p.key: p.label(lang) for p in PARAMETER_ROWS}
    parts: list[str] = []
    for f in dataclasses.fields(base.parameters):
        a, b = getattr(base.parameters, f.name), getattr(other.parameters, f.name)
        if a != b:
            parts.append(f"{labels.get(f.name, f.name)}: {_value(a, lang)} → {_value(b, lang)}")
    for name, (en, zh) in _TABLES.items():
        a_items, b_items = getattr(base, name), getattr(other, name)
        if a_items != b_items:
            changed = sum(1 for x, y in zip(a_items, b_items, strict=False) if x != y)
            added = len(b_items) - len(a_items)
            if lang == "zh":
                part = f"{zh}：{changed} 行有变化" + (f"，行数 {added:+d}" if added else "")
            else:
                part = f"{en}: {changed} changed" + (f", {added:+d} rows" if added else "")
            parts.append(part)
    return ("；" if lang == "zh" else "; ").join(parts) or text("no_difference", lang)


def _delta(first: float | None, other: float | None) -> float | None:
    """``other - first``, with the last bits of float noise (1e-15 of a share) shown as zero."""
    if first is None or other is None:
        return None
    d = other - first
    return 0.0 if abs(d) <= 1e-9 * max(1.0, abs(first)) else d


def _value(v: object, lang: str) -> str:
    if v is None:
        return text("none", lang)
    if isinstance(v, bool):
        return text("yes" if v else "no", lang)
    if isinstance(v, float):
        return f"{v:,.6g}"
    return str(v)


def write_scenarios(wb: Workbook, ctx: ReportContext, scenarios: Sequence[Compared]) -> TableRange:
    """The plan report's Scenario comparison sheet (see :func:`write_comparison`)."""
    return write_comparison(
        wb,
        ctx.lang,
        f"{sheet_name('scenarios', ctx.lang)}: {ctx.network.name}",
        ctx.subtitle,
        ctx.page_header,
        scenarios,
    )


def write_comparison(
    wb: Workbook,
    lang: str,
    title: str,
    subtitle: str,
    page_header: str,
    scenarios: Sequence[Compared],
) -> TableRange:
    """Key figures side by side, one column per scenario, then each scenario's difference from the first
    (a column per scenario after it), how each network differs from the first, and charts of profit and
    utilization by scenario."""
    ws = wb.create_sheet(sheet_name("scenarios", lang))
    title_block(ws, title, subtitle)
    names = [name for name, _n, _p in scenarios]
    cols = [Col("kpi_label", label=text("kpi", lang)), Col("unit")]
    cols += [Col(f"scenario:{i}", label=name) for i, name in enumerate(names)]
    first = names[0]
    cols += [
        Col(f"delta:{i}", label=text("delta", lang).format(a=first, b=name))
        for i, name in enumerate(names)
        if i
    ]
    plans = [p for _s, _n, p in scenarios]
    rows: list[tuple[object, ...]] = [
        (text("status", lang), "", *(enum_label("plan_status", p.status, lang) for p in plans)),
        (text("objective_mode", lang), "", *(enum_label("objective", p.objective_name, lang) for p in plans)),
    ]
    units: list[tuple[str, bool]] = [("", False), ("", False)]
    kpi_rows: dict[str, int] = {}
    for kpi in KPI_ROWS:
        values = [None if p.kpis is None else float(getattr(p.kpis, kpi.field)) for p in plans]
        deltas = [_delta(values[0], v) for v in values[1:]]
        kpi_rows[kpi.field] = len(rows)
        rows.append((text(kpi.label, lang), unit(kpi.unit, lang), *values, *deltas))
        units.append((kpi.unit, kpi.total))
    base = scenarios[0][1]
    changes = [text("no_changes", lang)]
    changes += [describe_difference(base, network, lang) for _s, network, _p in scenarios[1:]]
    # the (long) changes row wraps in its column instead of widening it
    widths: dict[int, float] = {}
    table = write_table(ws, cols, rows, lang, autofilter=False, widths=widths)
    n = len(scenarios)
    for r, (unit_key, total) in enumerate(units, start=table.first_row):
        if unit_key:
            for c in range(3, 3 + 2 * n - 1):
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
    if any(p.kpis is not None for p in plans):
        anchor_row, col = last + 2, 1
        for field, key, fmt in (
            ("profit_cny", "chart_scenario_profit", "#,##0.0,,"),
            ("utilization", "chart_scenario_util", "0.0%"),
        ):
            r = table.first_row + kpi_rows[field]
            anchor = f"{get_column_letter(col)}{anchor_row}"
            charts.scenario_bars(ws, table.header_row, r, 3, 2 + n, text(key, lang), fmt, anchor)
            col = charts.column_after(ws, col, charts.WIDTH_CM) + 1
    print_setup(ws, table.header_row, page_header)
    return table


def comparison_workbook(
    scenarios: Sequence[Compared], lang: str = "en", created: datetime.date | None = None
) -> Workbook:
    """The comparison workbook of ``copperloop compare``: the Scenario comparison sheet alone."""
    check_lang(lang)
    if len(scenarios) < 2:
        raise ValueError("a comparison needs two or more scenarios")
    day = (created or datetime.date.today()).isoformat()
    wb = Workbook()
    wb.remove(wb.active)
    title = text("compare_title", lang)
    subtitle = text("compare_subtitle", lang).format(n=len(scenarios), date=day)
    header = " · ".join(name for name, _n, _p in scenarios)
    write_comparison(wb, lang, title, subtitle, header, scenarios)
    set_print_area(wb.worksheets[0])
    wb.properties.title = title
    wb.properties.creator = COMMENT_AUTHOR
    return wb


def write_comparison_workbook(path: str | Path, scenarios: Sequence[Compared], lang: str = "en") -> None:
    """Save :func:`comparison_workbook` to ``path`` (atomically, keeping a backup of an old file)."""
    save_workbook(comparison_workbook(scenarios, lang), path)
