"""The Investment sheet of a plan report: what to build when, for how much, and what it returns.

A multi-year plan gets the headline figures (NPV, IRR, paybacks, discount rate, total
capex), the build schedule, one row per year (copper against the target, every cost, taxes, capex,
cash flow, CO2 emitted, avoided and net, jobs), each site's NPV, IRR and paybacks and its cash flow per
year under the allocation rule the sheet states (:func:`optimizer.design.economics.allocate_to_sites`),
with the direct deliveries no site owns as their own row so the column sums are the network's, and two
charts: the cash flow per year and utilization against the target. A single-year plan with economics gets the
same sheet for its one year (the investment its new modules imply, CO2 avoided); a plan without any
gets no sheet. Every figure comes from the plan (:mod:`optimizer.design.economics` computed them);
nothing here is recomputed.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.report.charts import set_title, show_axes
from optimizer.report.context import ReportContext
from optimizer.report.labels import value_format
from optimizer.report.styles import (
    ACCENT,
    WRAP_TOP,
    Col,
    display_width,
    put,
    title_block,
    write_table,
)

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "sheet": "Investment",
        "headline": "Investment figures",
        "npv": "Net present value",
        "irr": "Internal rate of return",
        "payback": "Payback (years)",
        "discounted_payback": "Discounted payback (years)",
        "rate": "Discount rate",
        "capex_total": "Capex, all years",
        "none": "none within the horizon",
        "schedule": "Build schedule",
        "years": "Cash flow, copper and CO2 per year",
        "site_figures": "Each site's investment figures (from its allocated cash flow below)",
        "sites": "Each site's cash flow per year, allocated",
        "rule": "How the network's items are allocated to sites: revenue at a smelter goes to the sites "
        "whose output it is, by copper share, and a sorting center passes it back to the dismantling sites "
        "that fed it by their share of its input copper; purchases and collection transport to the site "
        "receiving the scrap; transfer and delivery transport to the site shipping it; carbon by CO2 share; "
        "VAT and income tax by revenue share. Each site adds its own processing, fixed cost, capex, closing "
        "cost and residual value.",
        "direct": "Direct deliveries, no site",
        "total": "Network",
        "build_year": "Build year",
        "site_npv": "NPV",
        "site_irr": "IRR",
        "no_irr": "not defined",
        "never": "never",
        "one_year": "A one-year plan: NPV, IRR and payback need a plan over the years of a Periods sheet.",
        "irr_no_outflow": "not defined: no year's cash flow is negative",
        "irr_undefined": "not defined for these cash flows",
        "site_discounted": "Disc. payback (years)",
        "year": "Year",
        "site": "Site",
        "module": "Module",
        "capacity": "Capacity",
        "capex": "Capex",
        "jobs": "Jobs",
        "utilization": "Utilization",
        "target": "Target",
        "copper": "Copper delivered",
        "revenue": "Revenue",
        "purchase": "Purchase",
        "transport": "Transport",
        "processing": "Processing",
        "fixed": "Fixed",
        "carbon": "Carbon",
        "vat": "VAT after refund",
        "tax": "Income tax",
        "closing": "Closing",
        "residual": "Residual value",
        "cash": "Cash flow",
        "discounted": "Discounted cash flow",
        "cumulative": "Cumulative cash flow",
        "co2_emitted": "CO2 emitted",
        "co2_avoided": "CO2 avoided",
        "co2_net": "CO2 net",
        "cash_chart": "Cash flow per year (CNY)",
        "util_chart": "Utilization against the target",
        "nothing": "nothing to build: the existing network serves every year",
    },
    "zh": {
        "sheet": "投资",
        "headline": "投资指标",
        "npv": "净现值",
        "irr": "内部收益率",
        "payback": "投资回收期（年）",
        "discounted_payback": "动态投资回收期（年）",
        "rate": "折现率",
        "capex_total": "各年投资合计",
        "none": "规划期内未回收",
        "schedule": "建设计划",
        "years": "各年现金流、铜和CO2",
        "site_figures": "各场地投资指标（按下方分摊后的现金流计算）",
        "sites": "各场地每年现金流（分摊后）",
        "rule": "网络收支分摊到场地的规则：冶炼厂的收入按铜量分给供货场地，分拣中心再按其投入铜量的比例分回"
        "给供料的拆解场地；采购和收集运输计入接收废料的场地；转运和交付运输计入发货场地；碳成本按CO2份额；"
        "增值税和所得税按收入份额。各场地另计自身的加工、固定成本、投资、关闭成本和残值。",
        "direct": "直送冶炼厂（不属于任何场地）",
        "total": "网络合计",
        "build_year": "建设年份",
        "site_npv": "净现值",
        "site_irr": "内部收益率",
        "no_irr": "无定义",
        "never": "未回收",
        "one_year": "单年方案：净现值、内部收益率和投资回收期需要按周期表各年规划。",
        "irr_no_outflow": "无定义：各年现金流均不为负",
        "irr_undefined": "此现金流下无定义",
        "site_discounted": "动态回收期（年）",
        "year": "年份",
        "site": "场地",
        "module": "模块",
        "capacity": "产能",
        "capex": "投资额",
        "jobs": "就业岗位",
        "utilization": "利用率",
        "target": "目标",
        "copper": "交付铜量",
        "revenue": "收入",
        "purchase": "采购",
        "transport": "运输",
        "processing": "加工",
        "fixed": "固定",
        "carbon": "碳成本",
        "vat": "增值税（退税后）",
        "tax": "所得税",
        "closing": "关闭",
        "residual": "残值",
        "cash": "现金流",
        "discounted": "折现现金流",
        "cumulative": "累计现金流",
        "co2_emitted": "CO2排放",
        "co2_avoided": "避免的CO2",
        "co2_net": "CO2净排放",
        "cash_chart": "各年现金流（元）",
        "util_chart": "利用率与目标",
        "nothing": "无需新建：现有网络满足各年需求",
    },
}


def _t(ctx: ReportContext, key: str) -> str:
    return _TEXT.get(ctx.lang, _TEXT["en"])[key]


def write_investment(wb: Workbook, ctx: ReportContext) -> Worksheet | None:
    """Add the Investment sheet when the plan carries economics (``plan.periods``); else nothing."""
    plan = ctx.plan
    if not plan.periods:
        return None
    ws = wb.create_sheet(_t(ctx, "sheet"))
    title_block(ws, f"{_t(ctx, 'sheet')}: {ctx.network.name}", ctx.subtitle)
    row = _headline(ws, ctx, 4)
    row = _schedule(ws, ctx, row + 1)
    first, last, columns = _years(ws, ctx, row + 1)
    row = _site_figures(ws, ctx, last + 2)
    row = _sites(ws, ctx, row + 1)
    _charts(ws, ctx, first, last, columns, row + 1)
    # the headline figures sit in column B, which the tables below size for their own cells: keep it
    # wide enough for "89,835,938 CNY" (a narrower column prints ### instead of the NPV)
    # and wide enough for the build schedule's site names (column B), which a module id beside it cuts
    names = [display_width(ctx.node_names.get(b.site_id, b.site_id)) for b in ctx.plan.builds]
    width = ws.column_dimensions["B"].width or 0.0
    ws.column_dimensions["B"].width = max(width, 18.0, *(n + 2.0 for n in names))
    return ws


def _headline(ws: Worksheet, ctx: ReportContext, row: int) -> int:
    plan = ctx.plan
    put(ws, row, 1, _t(ctx, "headline")).font = Font(bold=True, size=12)
    figures: list[tuple[str, object, str]] = [
        ("npv", plan.npv_cny, value_format("CNY", ctx.lang)),
        ("irr", plan.irr, "0.0%"),
        ("payback", plan.payback_years, "0.0"),
        ("discounted_payback", plan.discounted_payback_years, "0.0"),
        ("rate", plan.discount_rate, "0.0%"),
        ("capex_total", sum(b.capex_cny for b in plan.builds), value_format("CNY", ctx.lang)),
    ]
    if not plan.year_plans:
        # one year says nothing about NPV, IRR or payback: the investment its modules imply, and a word
        figures = [f for f in figures if f[0] == "capex_total"]
        put(ws, row + len(figures) + 1, 1, _t(ctx, "one_year"))
        figures.append(("", None, ""))
    for k, (key, value, fmt) in enumerate(figures, start=1):
        if not key:
            continue
        put(ws, row + k, 1, _t(ctx, key))
        if value is None and key == "irr":
            # no IRR says nothing about paying back: say why there is none
            no_outflow = all(p.cash_flow_cny >= 0 for p in plan.periods)
            put(ws, row + k, 2, _t(ctx, "irr_no_outflow" if no_outflow else "irr_undefined"))
        elif value is None:
            put(ws, row + k, 2, _t(ctx, "none") if "payback" in key else "-")
        else:
            put(ws, row + k, 2, value, fmt)
    return row + len(figures) + 1


def _schedule(ws: Worksheet, ctx: ReportContext, row: int) -> int:
    put(ws, row, 1, _t(ctx, "schedule"))
    builds = sorted(ctx.plan.builds, key=lambda b: (b.year, b.site_id))
    if not builds:
        put(ws, row + 1, 1, _t(ctx, "nothing"))
        return row + 2
    cols = [
        Col("year", "year", label=_t(ctx, "year")),
        Col("site", label=_t(ctx, "site")),
        Col("module", label=_t(ctx, "module")),
        Col("capacity", "t", label=_t(ctx, "capacity")),
        Col("capex", "CNY", label=_t(ctx, "capex")),
        Col("jobs", "int", label=_t(ctx, "jobs")),
    ]
    rows = [
        (b.year, ctx.node_names.get(b.site_id, b.site_id), b.module_id, b.capacity_t, b.capex_cny, b.jobs)
        for b in builds
    ]
    table = write_table(ws, cols, rows, ctx.lang, header_row=row + 1, freeze=False, autofilter=False)
    return table.last_row + 1


_YEAR_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("year", "year", "year"),
    ("utilization", "utilization", "%"),
    ("target", "target_utilization", "%"),
    ("copper", "copper_delivered_t_cu", "t Cu"),
    ("revenue", "revenue_cny", "CNY"),
    ("purchase", "purchase_cny", "CNY"),
    ("transport", "transport_cny", "CNY"),
    ("processing", "processing_cny", "CNY"),
    ("fixed", "fixed_cny", "CNY"),
    ("carbon", "carbon_cny", "CNY"),
    ("vat", "vat_cny", "CNY"),
    ("tax", "income_tax_cny", "CNY"),
    ("capex", "capex_cny", "CNY"),
    ("closing", "closing_cny", "CNY"),
    ("residual", "residual_cny", "CNY"),
    ("cash", "cash_flow_cny", "CNY"),
    ("discounted", "discounted_cash_flow_cny", "CNY"),
    ("cumulative", "cumulative_cash_flow_cny", "CNY"),
    ("co2_emitted", "co2_emitted_t", "t CO2"),
    ("co2_avoided", "co2_avoided_t", "t CO2"),
    ("co2_net", "co2_net_t", "t CO2"),
    ("jobs", "jobs", "int"),
)


def _years(ws: Worksheet, ctx: ReportContext, row: int) -> tuple[int, int, dict[str, int]]:
    put(ws, row, 1, _t(ctx, "years"))
    cols = [Col(key, unit, label=_t(ctx, key)) for key, _, unit in _YEAR_COLUMNS]
    rows = [tuple(getattr(p, name) for _, name, _ in _YEAR_COLUMNS) for p in ctx.plan.periods]
    table = write_table(ws, cols, rows, ctx.lang, header_row=row + 1, freeze=False, autofilter=False)
    return table.first_row, table.last_row, table.columns


def _site_figures(ws: Worksheet, ctx: ReportContext, row: int) -> int:
    """Build year, capex, NPV, IRR and paybacks per site; NPV, IRR and paybacks only over years."""
    figures = ctx.plan.site_economics
    if not figures:
        return row
    put(ws, row, 1, _t(ctx, "site_figures"))
    multi = bool(ctx.plan.year_plans)
    cols = [
        Col("site", label=_t(ctx, "site")),
        Col("build_year", "year", label=_t(ctx, "build_year")),
        Col("capex", "CNY", label=_t(ctx, "capex")),
    ]
    if multi:
        cols += [
            Col("npv", "CNY", label=_t(ctx, "site_npv")),
            Col("irr", "%", label=_t(ctx, "site_irr")),
            Col("payback", "", label=_t(ctx, "payback")),
            Col("discounted_payback", "", label=_t(ctx, "site_discounted")),
        ]

    def missing(value: float | None, word: str) -> object:
        return _t(ctx, word) if value is None else value

    rows = []
    for e in sorted(figures, key=lambda e: (e.build_year is None, e.build_year or 0, e.site_id)):
        cells: list[object] = [
            ctx.node_names.get(e.site_id, e.site_id),
            "-" if e.build_year is None else e.build_year,
            e.capex_cny,
        ]
        if multi:
            cells += [
                "-" if e.npv_cny is None else e.npv_cny,
                missing(e.irr, "no_irr"),
                missing(e.payback_years, "never"),
                missing(e.discounted_payback_years, "never"),
            ]
        rows.append(tuple(cells))
    table = write_table(ws, cols, rows, ctx.lang, header_row=row + 1, freeze=False, autofilter=False)
    # the payback columns have no unit of their own: one decimal, as the headline's
    for key in ("payback", "discounted_payback"):
        if key in table.columns:
            for r in range(table.first_row, table.last_row + 1):
                ws.cell(r, table.columns[key]).number_format = "0.0"
    return table.last_row + 1


def _sites(ws: Worksheet, ctx: ReportContext, row: int) -> int:
    """Each site's allocated cash flow per year, the direct deliveries' row and the network's total,
    under the rule stated above the table."""
    periods = ctx.plan.periods
    site_ids = list(dict.fromkeys(e.site_id for e in ctx.plan.site_economics))
    site_ids += sorted({sid for p in periods for sid in p.site_allocated_cash_flow_cny} - set(site_ids))
    if not site_ids:
        return row
    put(ws, row, 1, _t(ctx, "sites"))
    put(ws, row + 1, 1, _t(ctx, "rule")).alignment = WRAP_TOP
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=min(len(periods) + 1, 12))
    ws.row_dimensions[row + 1].height = 62 if ctx.lang == "en" else 48
    cols = [Col("site", label=_t(ctx, "site"))] + [
        Col(f"y{p.year}", "CNY", label=str(p.year)) for p in periods
    ]
    rows: list[tuple[object, ...]] = [
        (ctx.node_names.get(sid, sid), *(p.site_allocated_cash_flow_cny.get(sid, 0.0) for p in periods))
        for sid in site_ids
    ]
    direct = [p.cash_flow_cny - sum(p.site_allocated_cash_flow_cny.values()) for p in periods]
    if any(abs(x) > 0.5 for x in direct):
        rows.append((_t(ctx, "direct"), *direct))
    rows.append((_t(ctx, "total"), *(p.cash_flow_cny for p in periods)))
    table = write_table(ws, cols, rows, ctx.lang, header_row=row + 2, freeze=False, autofilter=False)
    for col in range(1, len(cols) + 1):
        ws.cell(table.last_row, col).font = Font(bold=True)
    return table.last_row + 1


def _charts(
    ws: Worksheet, ctx: ReportContext, first: int, last: int, columns: dict[str, int], row: int
) -> None:
    if last < first:
        return
    years = Reference(ws, min_col=columns["year"], min_row=first, max_row=last)
    cash = BarChart()
    set_title(cash, _t(ctx, "cash_chart"))
    cash.legend = None
    cash.add_data(Reference(ws, min_col=columns["cash"], min_row=first, max_row=last), titles_from_data=False)
    cash.set_categories(years)
    cash.series[0].graphicalProperties.solidFill = ACCENT
    cash.y_axis.numFmt = "#,##0"
    show_axes(cash)
    cash.width, cash.height = 16, 7.5
    ws.add_chart(cash, f"A{row + 1}")
    util = LineChart()
    util.title = _t(ctx, "util_chart")
    for key in ("utilization", "target"):
        values = Reference(ws, min_col=columns[key], min_row=first - 1, max_row=last)
        util.add_data(values, titles_from_data=True)
    util.set_categories(years)
    util.y_axis.numFmt = "0%"
    util.y_axis.delete = False
    util.x_axis.delete = False
    util.width, util.height = 16, 7.5
    ws.add_chart(util, f"J{row + 1}")
