"""Charts on the Key figures sheet that answer where the money goes.

Purchases are about 99 % of a recycling network's cost, so a bar per cost component shows one bar and
four slivers. Instead:

- **From revenue to profit**: a waterfall that starts from the margin over purchases (revenue minus
  purchases, both stated in the title), takes off transport, processing, fixed and carbon costs, and
  ends at profit. When a step would take the running total below zero a waterfall cannot be drawn on
  stacked columns, and the chart shows the components as bars instead.
- **Cost per tonne of copper recovered**: a table of every component per t Cu delivered (purchases
  included) and a chart of the components besides purchases, purchases per t Cu in its title.

The waterfall's bar geometry (an unfilled base under each bar) lives on the hidden *Chart data* sheet;
the table of costs per t Cu is visible and the chart plots its cells.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.design.plan import Kpis
from optimizer.report import charts
from optimizer.report.context import ReportContext
from optimizer.report.headline import money
from optimizer.report.labels import sheet_name, text, value_format
from optimizer.report.styles import TOTAL_BORDER, TOTAL_FONT, Col, put, section, write_table

#: The costs after purchases, in the order the waterfall takes them off: (Kpis field, label key).
DEDUCTIONS = (
    ("transport_cost_cny", "transport"),
    ("processing_cost_cny", "processing"),
    ("fixed_cost_cny", "fixed"),
    ("carbon_cost_cny", "carbon"),
)
MILLIONS = '#,##0.0,,'


def _chart_data(wb: Workbook, lang: str) -> Worksheet:
    name = sheet_name("chart_data", lang)
    if name in wb.sheetnames:
        return wb[name]
    ws = wb.create_sheet(name)
    ws.sheet_state = "hidden"
    return ws


def profit_bridge(wb: Workbook, ws: Worksheet, ctx: ReportContext, kpis: Kpis, anchor: str) -> None:
    """The waterfall from the margin over purchases to profit, anchored at ``anchor`` on ``ws``."""
    lang = ctx.lang
    margin = kpis.revenue_cny - kpis.purchase_cost_cny
    title = text("chart_bridge", lang).format(
        revenue=money(kpis.revenue_cny, lang),
        purchases=money(kpis.purchase_cost_cny, lang),
        margin=money(margin, lang),
    )
    steps: list[tuple[str, float, float, float]] = [(text("margin", lang), 0.0, margin, 0.0)]
    running = margin
    for field, key in DEDUCTIONS:
        cost = float(getattr(kpis, field))
        running -= cost
        steps.append((text(key, lang), min(running, running + cost), 0.0, abs(cost)))
    steps.append((text("profit", lang), 0.0, kpis.profit_cny, 0.0))
    drawable = margin >= 0 and all(base >= 0 for _l, base, _u, _d in steps) and kpis.profit_cny >= 0
    data = _chart_data(wb, lang)
    heads = [text(key, lang) for key in ("chart_step", "chart_base", "chart_up", "chart_down")]
    for c, head in enumerate(heads, start=1):
        put(data, 1, c, head)
    last = 1 + len(steps)
    if drawable:
        for r, (label, base, up, down) in enumerate(steps, start=2):
            # a blank, not a zero, where a bar has no part: no "0.0" label on it
            for c, v in enumerate((label, base, up, down), start=1):
                # LibreOffice labels a bar with its cell's format: millions, like the axis
                put(data, r, c, v if isinstance(v, str) or v else None, None if c == 1 else MILLIONS)
        charts.waterfall(ws, data, 1, 2, 3, 4, 2, last, title, MILLIONS, anchor)
    else:
        # a loss on the way: bars of the signed amounts (margin, each cost taken off, profit)
        for r, (label, _base, up, down) in enumerate(steps, start=2):
            put(data, r, 1, label)
            put(data, r, 2, up - down, MILLIONS)
        charts.cost_bars(ws, 1, 2, 2, last, title, MILLIONS, anchor, data=data)


def cost_per_t_cu(ws: Worksheet, ctx: ReportContext, kpis: Kpis, row: int, anchor: str) -> int:
    """The table of cost per t Cu recovered from ``row``, and its chart at ``anchor``; returns the row
    after the table."""
    lang = ctx.lang
    cu = kpis.copper_delivered_t_cu
    if cu <= 0:
        return row
    section(ws, row, text("section_cost_per_t", lang), 2)
    rows = [
        (text("purchase", lang), kpis.purchase_cost_cny / cu),
        *((text(key, lang), float(getattr(kpis, field)) / cu) for field, key in DEDUCTIONS),
        (text("total_cost", lang), kpis.total_cost_cny / cu),
        (text("revenue", lang), kpis.revenue_cny / cu),
        (text("profit", lang), kpis.profit_cny / cu),
    ]
    table = write_table(
        ws,
        [Col("kpi_label", label=text("kpi", lang)), Col("per_t_cu", "CNY/t Cu")],
        rows,
        lang,
        header_row=row + 1,
        freeze=False,
        autofilter=False,
        widths={},
    )
    fmt = value_format("CNY/t Cu", lang)
    for r in range(table.first_row, table.last_row + 1):
        ws.cell(row=r, column=2).number_format = fmt
    for r in (table.first_row + 1 + len(DEDUCTIONS), table.last_row):
        ws.cell(row=r, column=1).font = ws.cell(row=r, column=2).font = TOTAL_FONT
        ws.cell(row=r, column=1).border = ws.cell(row=r, column=2).border = TOTAL_BORDER
    title = text("chart_per_t", lang).format(purchases=f"{kpis.purchase_cost_cny / cu:,.0f}")
    charts.cost_bars(
        ws, 1, 2, table.first_row + 1, table.first_row + len(DEDUCTIONS), title, "#,##0", anchor
    )
    return table.last_row + 1
