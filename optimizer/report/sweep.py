"""The sweep workbook: every scenario's key figures, site robustness, break-even prices and the tornado.

Sheets: *Sweep* (what was swept, the base plan, the two-stage design's VSS and EVPI, which fixed prices
no copper-price scenario moved), *Scenarios* (one row per scenario, with a native chart of profit
against the first factor), *Robustness* (share of scenarios in which each candidate site opens, with
its break-even copper price, and a bar chart), *Break-even*, *Tornado* (table and bar chart), *Fixed
prices*, and the *Sweeps* definition itself, so ``copperloop sweep SWEEP.xlsx``... re-reads what was run.
A sweep over periods shows NPV, IRR, payback and the modules built per scenario, charts NPV, and its
tornado is over NPV; profit and utilization are then the last year's (the headers say so).
Every string goes through :func:`optimizer.io.cells.put` (via :func:`optimizer.report.styles.put`): a
site named ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.io.writer import save_workbook
from optimizer.model import Network
from optimizer.report import charts
from optimizer.report.labels import check_lang, enum_label, unit
from optimizer.report.styles import (
    LABEL_FONT,
    LINE_HEIGHT,
    Col,
    TableRange,
    apply_widths,
    chart_anchor_below,
    display_width,
    print_setup,
    put,
    section,
    title_block,
    wrapped_lines,
    write_table,
)
from optimizer.scenarios.sweep import SweepResult
from optimizer.scenarios.tasks import BreakEven
from optimizer.scenarios.workbook import add_sweeps_sheet, definition_rows

#: Words of this workbook in English and Chinese.
_WORDS: dict[str, tuple[str, str]] = {
    "sweep": ("Sweep", "扫描结果"),
    "scenarios": ("Scenarios", "情景"),
    "robustness": ("Robustness", "稳健性"),
    "break_even": ("Break-even", "盈亏平衡"),
    "tornado": ("Tornado", "龙卷风图"),
    "fixed_prices": ("Fixed prices", "固定价格"),
    "title": ("Scenario sweep", "情景扫描"),
    "scenario": ("Scenario", "情景"),
    "status": ("Status", "状态"),
    "profit": ("Profit", "利润"),
    "profit_last": ("Profit, last year", "末年利润"),
    "utilization_last": ("Utilization, last year", "末年利用率"),
    "npv": ("NPV", "净现值"),
    "irr": ("IRR", "内部收益率"),
    "payback": ("Payback (years)", "回收期（年）"),
    "builds": ("Builds (site module year)", "建设（场地 模块 年份）"),
    "years": ("Planned years", "规划年份"),
    "no_irr": ("not defined", "无定义"),
    "LocalPool": ("local processes", "本机进程"),
    "DaskCluster": ("Dask cluster", "Dask 集群"),
    "grade": ("Grade", "等级"),
    "count_fixed": ("Count", "数量"),
    "gap": ("Gap", "间隙"),
    "be_found": ("found", "已找到"),
    "be_opens_at_floor": ("opens at the floor", "下限仍开设"),
    "be_not_open_at_base": ("not open at the base price", "基准铜价下不开设"),
    "be_cancelled": ("cancelled", "已取消"),
    "be_error": ("not found", "未找到"),
    "be_floor_note": (
        "still opens at {price} CNY/t Cu, the lowest price searched",
        "在搜索下限 {price} 元/吨铜仍开设",
    ),
    "be_base_note": ("does not open at {price} CNY/t Cu", "在 {price} 元/吨铜下不开设"),
    "smelter price": ("smelter price", "冶炼厂价格"),
    "purchase price": ("purchase price", "收购价格"),
    "first_year": ("within year 1", "首年内"),
    "never": ("not within the horizon", "规划期内未回收"),
    "irr_note": (
        "Where the IRR is not defined, no year's cash flow is negative (the first year's cash flow already "
        "covers its capex). Profit, utilization, total cost and copper delivered are the last year's.",
        "内部收益率无定义表示各年现金流均为正（首年现金流已覆盖当年投资）。"
        "利润、利用率、总成本和交付铜量均为末年数值。",
    ),
    "years_note": (
        "Every scenario is planned over these years (NPV objective); a site counts as open if any year "
        "runs it.",
        "每个情景均按这些年份多年规划（目标为净现值）；任一年份运行的场地即计为开设。",
    ),
    "single_year": ("Planned year (one-year plans)", "规划年份（单年方案）"),
    "base_npv": ("Base plan NPV (CNY)", "基准方案净现值（元）"),
    "rp_npv": ("Two-stage design: expected NPV (CNY)", "两阶段设计：期望净现值（元）"),
    "eev_npv": ("Mean-scenario design: expected NPV (CNY)", "均值情景设计：期望净现值（元）"),
    "ws_npv": ("Perfect information: expected NPV (CNY)", "完全信息：期望净现值（元）"),
    "vss_npv": ("Value of the stochastic solution, VSS (CNY, NPV)", "随机解的价值 VSS（元，净现值）"),
    "evpi_npv": (
        "Expected value of perfect information, EVPI (CNY, NPV)",
        "完全信息的期望价值 EVPI（元，净现值）",
    ),
    "design_npv": ("Two-stage design builds (year)", "两阶段设计建设（年份）"),
    "mean_design_npv": ("Mean-scenario design builds (year)", "均值情景设计建设（年份）"),
    "low_npv": ("NPV at low", "低值净现值"),
    "high_npv": ("NPV at high", "高值净现值"),
    "chart_npv": ("NPV by scenario", "各情景净现值"),
    "chart_tornado_npv": ("NPV change at -/+ the tornado step", "因素上下变动时的净现值变化"),
    "utilization": ("Utilization", "利用率"),
    "total_cost": ("Total cost", "总成本"),
    "copper": ("Copper delivered", "交付铜量"),
    "sites_open": ("Sites open", "开设场地"),
    "message": ("Message", "说明"),
    "site": ("Site", "场地"),
    "name": ("Name", "名称"),
    "kind": ("Kind", "类型"),
    "share_open": ("Share of scenarios open", "开设情景比例"),
    "opens_in": ("Opens in", "开设情景数"),
    "of": ("Scenarios with a plan", "有方案的情景数"),
    "in_base": ("Open in base plan", "基准方案开设"),
    "break_even_price": ("Break-even copper price", "盈亏平衡铜价"),
    "low": ("Searched from", "搜索下限"),
    "high": ("Opens at", "开设价格"),
    "tolerance": ("Tolerance", "容差"),
    "solves": ("Solves", "求解次数"),
    "factor": ("Factor", "因素"),
    "low_value": ("Low value", "低值"),
    "high_value": ("High value", "高值"),
    "low_profit": ("Profit at low", "低值利润"),
    "high_profit": ("Profit at high", "高值利润"),
    "low_delta": ("Change at low", "低值变化"),
    "high_delta": ("Change at high", "高值变化"),
    "swing": ("Swing", "变化幅度"),
    "kind_price": ("Price", "价格"),
    "subject": ("Where (collection points or smelters)", "所在（回收点或冶炼厂）"),
    "value": ("Value", "数值"),
    "unit": ("Unit", "单位"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "chart_profit": ("Profit by scenario", "各情景利润"),
    "chart_robustness": ("Share of scenarios in which each candidate site opens", "各候选场地开设的情景比例"),
    "chart_tornado": ("Profit change at -/+ the tornado step", "因素上下变动时的利润变化"),
    "what": ("What", "项目"),
    "figure": ("Figure", "数值"),
    "network": ("Network", "网络"),
    "count": ("Scenarios", "情景数"),
    "failed": ("Failed", "失败"),
    "workers": ("Workers", "工作进程"),
    "runtime": ("Run time (s)", "运行时间（秒）"),
    "base_profit": ("Base plan profit (CNY/yr)", "基准方案利润（元/年）"),
    "base_price": ("Base copper price (CNY/t Cu)", "基准铜价（元/吨铜）"),
    "rp": ("Two-stage design: expected profit (CNY/yr)", "两阶段设计：期望利润（元/年）"),
    "eev": ("Mean-scenario design: expected profit (CNY/yr)", "均值情景设计：期望利润（元/年）"),
    "ws": ("Perfect information: expected profit (CNY/yr)", "完全信息：期望利润（元/年）"),
    "vss": ("Value of the stochastic solution, VSS (CNY/yr)", "随机解的价值 VSS（元/年）"),
    "evpi": ("Expected value of perfect information, EVPI (CNY/yr)", "完全信息的期望价值 EVPI（元/年）"),
    "design": ("Two-stage design builds", "两阶段设计建设"),
    "mean_design": ("Mean-scenario design builds", "均值情景设计建设"),
    "fixed_note": (
        "Copper-price scenarios move every linked price (smelters with a linked price basis, buy-back "
        "coefficients, grade price coefficients); the fixed prices listed on the Fixed prices sheet do "
        "not move.",
        "铜价情景会改变所有联动价格（价格基准为联动的冶炼厂、回收系数、等级价格系数）；"
        "固定价格表中列出的固定价格不会变动。",
    ),
    "none": ("nothing", "无"),
}


def _w(key: str, lang: str) -> str:
    en, zh = _WORDS[key]
    return zh if lang == "zh" else en


def write_sweep_report(path: str | Path, network: Network, sweep: SweepResult, lang: str = "en") -> None:
    """Write the sweep workbook of ``sweep`` (run on ``network``) to ``path`` (atomically, with backup)."""
    save_workbook(sweep_workbook(network, sweep, lang), path)


def sweep_workbook(network: Network, sweep: SweepResult, lang: str = "en") -> Workbook:
    """The sweep workbook, in memory."""
    check_lang(lang)
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = _w("sweep", lang)
    subtitle = f"{_w('network', lang)}{'：' if lang == 'zh' else ': '}{network.name}"
    _summary(summary, sweep, lang, subtitle)
    _scenarios(wb.create_sheet(_w("scenarios", lang)), sweep, lang, subtitle)
    _robustness(wb.create_sheet(_w("robustness", lang)), sweep, lang, subtitle)
    _break_even(wb.create_sheet(_w("break_even", lang)), sweep, lang, subtitle)
    _tornado(wb.create_sheet(_w("tornado", lang)), sweep, lang, subtitle)
    _fixed(wb.create_sheet(_w("fixed_prices", lang)), sweep, lang, subtitle)
    add_sweeps_sheet(wb, definition_rows(sweep.definition), lang)
    print_setup(wb.worksheets[-1], 1, _w("title", lang))  # the definition prints like the tables
    return wb


def _summary(ws: Worksheet, sweep: SweepResult, lang: str, subtitle: str) -> None:
    title_block(ws, _w("title", lang), subtitle)
    rows: list[tuple[str, object]] = [
        (_w("count", lang), len(sweep.scenarios)),
        (_w("failed", lang), len(sweep.failed)),
        (_w("workers", lang), _paren(str(sweep.workers), _w(sweep.executor, lang), lang)),
        (_w("runtime", lang), round(sweep.runtime_s, 1)),
        (_w("base_price", lang), sweep.base_copper_price_cny_per_t_cu),
        (_w("base_profit", lang), sweep.base.profit_cny),
    ]
    if sweep.multiyear:
        rows += [
            (_w("years", lang), _paren(f"{sweep.years[0]}–{sweep.years[-1]}", str(len(sweep.years)), lang)),
            (_w("base_npv", lang), sweep.base.npv_cny),
        ]
    elif sweep.definition.single_year is not None:
        rows.append((_w("single_year", lang), str(sweep.definition.single_year)))
    st = sweep.stochastic
    if st is not None:
        npv = "_npv" if st.multiyear else ""  # over periods: expected NPVs (CNY), a build schedule
        rows += [
            (_w("rp" + npv, lang), st.expected_profit_cny),
            (_w("eev" + npv, lang), st.mean_design_expected_profit_cny),
            (_w("ws" + npv, lang), st.wait_and_see_profit_cny),
            (_w("vss" + npv, lang), st.vss_cny),
            (_w("evpi" + npv, lang), st.evpi_cny),
            (_w("design" + npv, lang), _design(st.design, lang, st.multiyear)),
            (_w("mean_design" + npv, lang), _design(st.mean_design, lang, st.multiyear)),
        ]
    table = write_table(
        ws,
        # the labels carry the units (scenarios, seconds, CNY): the column only formats the numbers
        [Col("what", label=_w("what", lang)), Col("figure", "int", label=_w("figure", lang))],
        rows,
        lang,
        autofilter=False,
    )
    ws.column_dimensions["A"].width = 52
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width or 0, 24)
    note_row = table.last_row + 2
    if sweep.multiyear:
        note_row = _note(ws, note_row, _w("years_note", lang), 2) + 1
    section(ws, note_row, _w("fixed_prices", lang))
    _note(ws, note_row + 1, _w("fixed_note", lang), 2)
    print_setup(ws, table.header_row, _w("title", lang))


def _note(ws: Worksheet, row: int, text: str, span: int) -> int:
    """``text`` wrapped in one cell merged over the first ``span`` columns (a long note kept inside the
    table's width, so the printed page is not shrunk to fit it); returns the next free row."""
    cell = put(ws, row, 1, text)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.font = LABEL_FONT
    if span > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 10 for c in range(1, span + 1))
    # Chinese has no spaces to wrap at: count its (double-width) characters too
    by_width = math.ceil(display_width(text) / max(1.0, 0.85 * width - 2))
    ws.row_dimensions[row].height = LINE_HEIGHT * max(wrapped_lines(text, width), by_width)
    return row + 1


def _paren(text: str, aside: str, lang: str) -> str:
    """``2 (local processes)``; Chinese takes full-width brackets: ``2（本机进程）``."""
    return f"{text}（{aside}）" if lang == "zh" else f"{text} ({aside})"


def _design(design: dict[str, str], lang: str, multiyear: bool = False) -> str:
    # one year: site -> module; over periods: "site (module)" -> the year it is built
    parts = (f"{k} {v}" if multiyear else f"{k} ({v})" for k, v in design.items())
    return ", ".join(parts) or _w("none", lang)


def _scenarios(ws: Worksheet, sweep: SweepResult, lang: str, subtitle: str) -> None:
    title_block(ws, _w("scenarios", lang), subtitle)
    factor_names = [f.name for f in sweep.definition.factors]
    cols = [Col("index", "int", label=_w("scenario", lang))]
    cols += [Col(f"f:{name}", label=name) for name in factor_names]
    multi = sweep.multiyear
    cols += [Col("status", label=_w("status", lang)), Col("gap", "%", label=_w("gap", lang))]
    if multi:
        cols += [
            Col("npv", "CNY", label=_w("npv", lang)),
            Col("irr", "%", label=_w("irr", lang)),
            Col("payback", "", label=_w("payback", lang)),
            Col("profit", "CNY", label=_w("profit_last", lang)),
            Col("utilization", "%", label=_w("utilization_last", lang)),
        ]
    else:
        cols += [
            Col("profit", "CNY", label=_w("profit", lang)),
            Col("utilization", "%", label=_w("utilization", lang)),
        ]
    # over periods the last year's total cost says little beside the NPV: left out to keep the page legible
    cols += [] if multi else [Col("total_cost", "CNY", label=_w("total_cost", lang))]
    cols += [
        Col("copper", "t Cu", label=_w("copper", lang)),
        Col("sites_open", wrap_width=24, label=_w("sites_open", lang)),
    ]
    if multi:
        cols.append(Col("builds", wrap_width=30, label=_w("builds", lang)))
    failed = any(s.status == "error" for s in sweep.scenarios)
    if failed:  # the message column only says why a scenario failed
        cols.append(Col("message", wrap_width=40, label=_w("message", lang)))
    rows = []
    for n, s in enumerate(sweep.scenarios, start=1):
        message = s.message.render(lang)[:300] if s.status == "error" and s.message is not None else ""
        figures: tuple[object, ...]
        if multi and s.ok:
            figures = (
                s.npv_cny,
                _irr(s.irr, lang),
                _payback(s.payback_years, lang),
                s.profit_cny,
                s.utilization,
            )
        elif multi:
            figures = (None, None, None, None, None)
        else:
            figures = (s.profit_cny, s.utilization)
        builds = (", ".join(f"{site} {module} {year}" for site, module, year in s.builds),) if multi else ()
        rows.append(
            (
                n,
                *(s.factors.get(name) for name in factor_names),
                enum_label("plan_status", s.status, lang),
                s.gap,
                *figures,
                *(() if multi else (s.total_cost_cny,)),
                s.copper_delivered_t_cu,
                ", ".join(s.sites_open),
                *builds,
                *((message,) if failed else ()),
            )
        )
    table = write_table(ws, cols, rows, lang)
    if multi:
        _note(ws, table.last_row + 1, _w("irr_note", lang), min(len(cols), 8))
    first = sweep.definition.factors[0] if sweep.definition.factors else None
    if first is not None and first.is_numeric and table.rows > 0:
        y_key, chart_key = ("npv", "chart_npv") if multi else ("profit", "chart_profit")
        _scatter(ws, table, f"f:{first.name}", y_key, _w(chart_key, lang), first.name, _w(y_key, lang))
    print_setup(ws, table.header_row, _w("scenarios", lang))


def _irr(irr: float | None, lang: str) -> float | str:
    return _w("no_irr", lang) if irr is None else irr


def _payback(years: float | None, lang: str) -> float | str:
    # cash flows sit at t = 0, 1, ...: 0 means the first year's cash flow already covers its capex
    if years is None:
        return _w("never", lang)
    return _w("first_year", lang) if years <= 0 else round(years, 1)


def _scatter(
    ws: Worksheet, table: TableRange, x_key: str, y_key: str, title: str, x_title: str, y_title: str
) -> None:
    chart = ScatterChart()
    charts.set_title(chart, title)
    chart.style = 13
    chart.legend = None
    x = Reference(ws, min_col=table.columns[x_key], min_row=table.first_row, max_row=table.last_row)
    y = Reference(ws, min_col=table.columns[y_key], min_row=table.first_row, max_row=table.last_row)
    series = Series(y, x, title=y_title)
    series.marker.symbol = "circle"
    series.marker.size = 7
    series.graphicalProperties.line.noFill = True
    chart.series.append(series)
    chart.x_axis.title = x_title
    chart.y_axis.title = y_title
    chart.y_axis.numFmt = "#,##0"
    charts.show_axes(chart)
    chart.width, chart.height = charts.WIDTH_CM, charts.HEIGHT_CM
    ws.add_chart(chart, chart_anchor_below(ws, table.last_row))


def _bars(
    ws: Worksheet, table: TableRange, label_key: str, value_keys: list[str], title: str, number_format: str
) -> None:
    chart = BarChart()
    chart.type = "bar"
    charts.set_title(chart, title)
    chart.style = 10
    for key in value_keys:
        ref = Reference(ws, min_col=table.columns[key], min_row=table.header_row, max_row=table.last_row)
        chart.add_data(ref, titles_from_data=True)
    chart.set_categories(
        Reference(ws, min_col=table.columns[label_key], min_row=table.first_row, max_row=table.last_row)
    )
    if len(value_keys) == 1:
        chart.legend = None
    chart.y_axis.numFmt = number_format
    if number_format == "0%":  # a share: the axis ends at 100 %
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0.0, 1.0
    chart.x_axis.scaling.orientation = "maxMin"
    charts.show_axes(chart)
    chart.width, chart.height = charts.WIDTH_CM, max(charts.HEIGHT_CM, 1.0 + 0.6 * table.rows)
    ws.add_chart(chart, chart_anchor_below(ws, table.last_row))


def _robustness(ws: Worksheet, sweep: SweepResult, lang: str, subtitle: str) -> None:
    title_block(ws, _w("robustness", lang), subtitle)
    prices = {b.site_id: b for b in sweep.break_even}
    cols = [
        Col("site", label=_w("site", lang)),
        Col("name", label=_w("name", lang)),
        Col("kind", label=_w("kind", lang)),
        Col("share", "%", label=_w("share_open", lang)),
        Col("opens_in", "int", label=_w("opens_in", lang)),
        Col("of", "int", label=_w("of", lang)),
        Col("in_base", label=_w("in_base", lang)),
        Col("break_even", "CNY/t Cu", label=_w("break_even_price", lang)),
    ]
    rows = []
    for r in sweep.robustness:
        b = prices.get(r.site_id)
        rows.append(
            (
                r.site_id,
                r.name,
                enum_label("site_kind", r.kind, lang),
                r.share,
                r.opens_in,
                r.scenarios,
                _w("yes" if r.opens_in_base else "no", lang),
                None if b is None else b.copper_price_cny_per_t_cu,
            )
        )
    table = write_table(ws, cols, rows, lang)
    if table.rows > 0:
        _bars(ws, table, "site", ["share"], _w("chart_robustness", lang), "0%")
    print_setup(ws, table.header_row, _w("robustness", lang))


def _break_even(ws: Worksheet, sweep: SweepResult, lang: str, subtitle: str) -> None:
    title_block(ws, _w("break_even", lang), subtitle)
    cols = [
        Col("site", label=_w("site", lang)),
        Col("status", label=_w("status", lang)),
        Col("price", "CNY/t Cu", label=_w("break_even_price", lang)),
        Col("low", "CNY/t Cu", label=_w("low", lang)),
        Col("high", "CNY/t Cu", label=_w("high", lang)),
        Col("tolerance", "CNY/t Cu", label=_w("tolerance", lang)),
        Col("solves", "int", label=_w("solves", lang)),
        Col("message", wrap_width=40, label=_w("message", lang)),
    ]
    rows = [
        (
            b.site_id,
            _w(f"be_{b.status}", lang) if f"be_{b.status}" in _WORDS else b.status,
            b.copper_price_cny_per_t_cu,
            b.low,
            b.high,
            b.tolerance,
            b.solves,
            _break_even_note(b, lang),
        )
        for b in sweep.break_even
    ]
    table = write_table(ws, cols, rows, lang)
    print_setup(ws, table.header_row, _w("break_even", lang))


def _break_even_note(b: BreakEven, lang: str) -> str:
    """Why a search found no price, in the workbook's language (an error names its exception)."""
    if b.status == "opens_at_floor":
        return _w("be_floor_note", lang).format(price=f"{b.low:,.0f}")
    if b.status == "not_open_at_base":
        return _w("be_base_note", lang).format(price=f"{b.high:,.0f}")
    return b.message.render(lang)[:300] if b.message is not None else ""


def _tornado(ws: Worksheet, sweep: SweepResult, lang: str, subtitle: str) -> None:
    title_block(ws, _w("tornado", lang), subtitle)
    npv = sweep.kpi == "npv_cny"
    cols = [
        Col("factor", label=_w("factor", lang)),
        Col("low_value", "", label=_w("low_value", lang)),
        Col("high_value", "", label=_w("high_value", lang)),
        Col("low_profit", "CNY", label=_w("low_npv" if npv else "low_profit", lang)),
        Col("high_profit", "CNY", label=_w("high_npv" if npv else "high_profit", lang)),
        Col("low_delta", "CNY", label=_w("low_delta", lang)),
        Col("high_delta", "CNY", label=_w("high_delta", lang)),
        Col("swing", "CNY", label=_w("swing", lang)),
    ]
    bars = sorted(sweep.tornado, key=lambda t: -t.swing_cny)  # widest bar on top: a tornado
    base = sweep.base.kpi(sweep.kpi)
    rows = []
    for t in bars:
        low_d = None if t.low_cny is None or base is None else t.low_cny - base
        high_d = None if t.high_cny is None or base is None else t.high_cny - base
        rows.append(
            (
                t.factor,
                t.low_value,
                t.high_value,
                t.low_cny,
                t.high_cny,
                low_d,
                high_d,
                t.swing_cny,
            )
        )
    table = write_table(ws, cols, rows, lang)
    if table.rows > 0:
        title = _w("chart_tornado_npv" if npv else "chart_tornado", lang)
        _bars(ws, table, "factor", ["low_delta", "high_delta"], title, "#,##0")
        chart = ws._charts[-1]
        chart.grouping = "clustered"
        chart.overlap = 100
    print_setup(ws, table.header_row, _w("tornado", lang))


def _fixed(ws: Worksheet, sweep: SweepResult, lang: str, subtitle: str) -> None:
    title_block(ws, _w("fixed_prices", lang), subtitle)
    # one row per kind, grade and value (the Yangtze sample's 244 fixed purchase prices are 10 rows)
    cols = [
        Col("kind", label=_w("kind_price", lang)),
        Col("grade", label=_w("grade", lang)),
        Col("value", "CNY", label=_w("value", lang)),
        Col("unit", label=_w("unit", lang)),
        Col("count", "int", label=_w("count_fixed", lang)),
        Col("subject", wrap_width=50, label=_w("subject", lang)),
    ]
    groups: dict[tuple[str, str, float, str], list[str]] = {}
    for f in sweep.fixed_prices:
        whose, _, grade = f.subject_id.partition("/")
        groups.setdefault((f.kind, grade, f.value, f.unit), []).append(whose)
    rows = [
        (
            _w(kind, lang) if kind in _WORDS else kind,
            grade,
            value,
            unit(unit_key, lang) or unit_key,
            len(ids),
            ", ".join(ids),
        )
        for (kind, grade, value, unit_key), ids in groups.items()
    ]
    table = write_table(ws, cols, rows, lang)
    apply_widths(ws, {})
    _note(ws, table.last_row + 2, _w("fixed_note", lang), len(cols))
    print_setup(ws, table.header_row, _w("fixed_prices", lang))
