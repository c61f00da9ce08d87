"""The executive summary: the first sheet of the plan report, one printed page a client reads first.

It holds, top to bottom: the title block (naming the edition), a headline sentence (what to build,
where, for how much, what it returns), five key-figure tiles (investment, profit or NPV, payback,
copper recovered against the target, CO2 emitted and avoided), the sites opened (the largest
:data:`SITES_SHOWN`, by throughput) and a map of the plan beside them. A tile whose figure the plan
does not carry says so ("not in this plan") and why; nothing is estimated here.

The page is A4 landscape fitted to one page wide and one page tall, with its print area set.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.design.solve import requirements_of
from optimizer.report import charts
from optimizer.report.context import ReportContext
from optimizer.report.economics import Economics, build_years, economics_of
from optimizer.report.headline import headline, local_name, percent
from optimizer.report.labels import enum_label, sheet_name, text
from optimizer.report.plan_map import write_map
from optimizer.report.styles import (
    ACCENT,
    FONT,
    LINE_HEIGHT,
    SUBTITLE_FONT,
    Col,
    apply_widths,
    display_width,
    print_setup,
    put,
    section,
    title_block,
    wrapped_lines,
    write_table,
)

#: Open sites listed on the page (the rest are counted and are on the Sites sheet).
SITES_SHOWN = 12
#: Column widths: the sites table (A-G), a gap (H) and the map (I-N).
WIDTHS = {1: 30.0, 2: 16.0, 3: 12.0, 4: 10.0, 5: 13.0, 6: 13.0, 7: 11.0, 8: 2.0}
NAME_MAX_WIDTH = 52.0
MAP_COLUMNS = (9, 14)
MAP_COLUMN_WIDTH = 13.0
LAST_COLUMN = MAP_COLUMNS[1]
#: The five tiles' columns (first, last).
TILE_COLUMNS = ((1, 1), (2, 3), (4, 6), (7, 10), (11, 14))
HEADLINE_ROW = 4
TILE_ROW = 6
SITES_ROW = 10

TILE_FILL = PatternFill("solid", fgColor="DEEAF6")
TILE_EDGE = Side(style="thick", color="FFFFFF")
TILE_LABEL_FONT = Font(name=FONT, size=9, color="595959", bold=True)
TILE_VALUE_FONT = Font(name=FONT, size=18, bold=True, color=ACCENT)
TILE_MISSING_FONT = Font(name=FONT, size=11, italic=True, color="7F7F7F")
TILE_DETAIL_FONT = Font(name=FONT, size=9, color="404040")
HEADLINE_FONT = Font(name=FONT, size=13, bold=True, color="262626")
CENTER_WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True, slots=True)
class Tile:
    """One key-figure tile: label, value (``None``: the plan does not carry it), its format, a detail."""

    label: str
    value: float | None
    number_format: str
    detail: str


def _formats(lang: str) -> dict[str, str]:
    zh = lang == "zh"
    return {
        "money": '#,##0.0,," 百万元"' if zh else '#,##0.0,," M CNY"',
        "years": '0.0" 年"' if zh else '0.0" years"',
        "t_cu": '#,##0" 吨铜"' if zh else '#,##0" t Cu"',
        "t_co2": '#,##0" 吨CO2"' if zh else '#,##0" t CO2"',
    }


def tiles(ctx: ReportContext, econ: Economics) -> list[Tile]:
    """The five tiles of the executive summary."""
    lang, kpis = ctx.lang, ctx.plan.kpis
    f = _formats(lang)
    zh = lang == "zh"
    if econ.investment_cny is not None:
        span = _years(econ, lang)
        investment = Tile(text("tile_investment", lang), econ.investment_cny, f["money"], span)
    else:
        investment = Tile(text("tile_investment", lang), None, "", text("no_capex", lang))
    profit = None if kpis is None else kpis.profit_cny
    if econ.npv_cny is not None:
        detail = f"年利润 {profit:,.0f} 元" if zh and profit is not None else ""
        if not zh and profit is not None:
            detail = f"profit {profit:,.0f} CNY a year"
        value_tile = Tile(text("tile_npv", lang), econ.npv_cny, f["money"], detail)
    else:
        value_tile = Tile(text("tile_profit", lang), profit, f["money"], _profit_detail(ctx))
    if econ.payback_years is not None:
        irr = (
            ""
            if econ.irr is None
            else (f"内部收益率 {percent(econ.irr)}" if zh else f"IRR {percent(econ.irr)}")
        )
        payback = Tile(text("tile_payback", lang), econ.payback_years, f["years"], irr)
    else:
        why = "no_payback_single_year" if econ.investment_cny is not None else "no_payback"
        payback = Tile(text("tile_payback", lang), None, "", text(why, lang))
    target = requirements_of(ctx.network, ctx.plan.options).target_utilization
    if kpis is None:
        copper = Tile(text("tile_copper", lang), None, "", "")
        co2 = Tile(text("tile_co2", lang), None, "", "")
    else:
        share = percent(kpis.utilization)
        if zh:
            detail = f"利用率 {share}" + ("" if target is None else f"（目标 {percent(target)}）")
        else:
            detail = f"utilization {share}" + ("" if target is None else f" (target {percent(target)})")
        copper = Tile(text("tile_copper", lang), kpis.copper_delivered_t_cu, f["t_cu"], detail)
        if econ.co2_avoided_t_per_year is not None:
            avoided = econ.co2_avoided_t_per_year
            net = kpis.co2_t - avoided
            detail = (
                f"避免 {avoided:,.0f} 吨，净 {net:,.0f} 吨"
                if zh
                else f"avoided {avoided:,.0f} t, net {net:,.0f} t"
            )
        else:
            detail = text("no_avoided", lang)
        co2 = Tile(text("tile_co2", lang), kpis.co2_t, f["t_co2"], detail)
    return [investment, value_tile, payback, copper, co2]


def _years(econ: Economics, lang: str) -> str:
    if econ.first_year is None or econ.last_year is None:
        return ""
    span = str(econ.first_year)
    if econ.last_year != econ.first_year:
        span += f"–{econ.last_year}"
    return f"{span} 年" if lang == "zh" else span


def _profit_detail(ctx: ReportContext) -> str:
    kpis = ctx.plan.kpis
    if kpis is None or kpis.revenue_cny <= 0:
        return ""
    margin = kpis.profit_cny / kpis.revenue_cny
    if ctx.lang == "zh":
        return f"收入 {kpis.revenue_cny / 1e6:,.1f} 百万元，利润率 {percent(margin)}"
    return f"revenue {kpis.revenue_cny / 1e6:,.1f} M CNY, margin {percent(margin)}"


def write_executive_summary(wb: Workbook, ctx: ReportContext) -> Worksheet:
    """Add the executive summary sheet (the report's first) to ``wb``."""
    lang = ctx.lang
    ws = wb.create_sheet(sheet_name("summary", lang))
    title_block(ws, f"{text('exec_title', lang)}: {ctx.network.name}", ctx.subtitle)
    widths = dict(WIDTHS)
    # the name column fits the longest name shown (within limits), so that no row wraps
    shown = sorted(ctx.plan.sites, key=lambda x: -x.throughput_t)[:SITES_SHOWN]
    names = [display_width(local_name(x.name or x.site_id, lang)) for x in shown]
    widths[1] = min(NAME_MAX_WIDTH, max(WIDTHS[1], max(names, default=0) + 3))
    for c in range(MAP_COLUMNS[0], MAP_COLUMNS[1] + 1):
        widths[c] = MAP_COLUMN_WIDTH
    econ = economics_of(ctx.plan)
    sentence = headline(ctx, econ, build_years(ctx.plan))
    cell = put(ws, HEADLINE_ROW, 1, sentence)
    cell.font = HEADLINE_FONT
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=HEADLINE_ROW, start_column=1, end_row=HEADLINE_ROW, end_column=LAST_COLUMN)
    page_chars = sum(widths.values())
    ws.row_dimensions[HEADLINE_ROW].height = 18 * wrapped_lines(sentence, page_chars / 1.25)
    _tiles(ws, tiles(ctx, econ), lang)
    last = SITES_ROW
    if ctx.plan.sites:
        last = _sites(ws, ctx)
    map_rows = 0
    if ctx.plan.has_solution:
        first, end = MAP_COLUMNS
        apply_widths(ws, widths)
        width_cm = charts.columns_width_cm(ws, first, end)
        chart = write_map(wb, ws, ctx, f"{get_column_letter(first)}{SITES_ROW}", width_cm)
        if chart is not None:
            map_rows = int(chart.height / (LINE_HEIGHT * 2.54 / 72)) + 1
    footer_row = max(last + 2, SITES_ROW + map_rows + 1)
    footer = put(ws, footer_row, 1, text("exec_footer", lang))
    footer.font = SUBTITLE_FONT
    footer.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=footer_row, start_column=1, end_row=footer_row, end_column=LAST_COLUMN)
    ws.row_dimensions[footer_row].height = LINE_HEIGHT * wrapped_lines(footer.value, page_chars)
    apply_widths(ws, widths)
    print_setup(ws, None, ctx.page_header)
    ws.page_setup.fitToHeight = 1
    ws.print_area = f"A1:{get_column_letter(LAST_COLUMN)}{footer_row}"
    ws.sheet_view.showGridLines = False
    return ws


def _tiles(ws: Worksheet, shown: list[Tile], lang: str) -> None:
    label_row, value_row, detail_row = TILE_ROW, TILE_ROW + 1, TILE_ROW + 2
    ws.row_dimensions[label_row].height = 16
    ws.row_dimensions[value_row].height = 30
    ws.row_dimensions[detail_row].height = 30
    for tile, (first, last) in zip(shown, TILE_COLUMNS, strict=True):
        for r in (label_row, value_row, detail_row):
            for c in range(first, last + 1):
                cell = ws.cell(row=r, column=c)
                cell.fill = TILE_FILL
                cell.border = Border(
                    left=TILE_EDGE if c == first else None, right=TILE_EDGE if c == last else None
                )
            if last > first:
                ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
        put(ws, label_row, first, tile.label).font = TILE_LABEL_FONT
        if tile.value is None:
            value = put(ws, value_row, first, text("not_in_plan", lang))
            value.font = TILE_MISSING_FONT
        else:
            value = put(ws, value_row, first, tile.value, tile.number_format)
            value.font = TILE_VALUE_FONT
        detail = (
            put(ws, detail_row, first, tile.detail) if tile.detail else ws.cell(row=detail_row, column=first)
        )
        detail.font = TILE_DETAIL_FONT
        for r in (label_row, value_row, detail_row):
            ws.cell(row=r, column=first).alignment = CENTER_WRAP


def _sites(ws: Worksheet, ctx: ReportContext) -> int:
    lang = ctx.lang
    section(ws, SITES_ROW, text("section_sites", lang), 7)
    cols = [
        Col("name"),
        Col("kind"),
        Col("new_or_existing"),
        Col("module"),
        Col("capacity", "t"),
        Col("throughput", "t"),
        Col("site_utilization", "%"),
    ]
    ordered = sorted(ctx.plan.sites, key=lambda s: -s.throughput_t)
    rows = [
        (
            local_name(s.name or s.site_id, lang),
            enum_label("site_kind", s.kind, lang),
            text("new" if s.is_new else "existing_site", lang),
            s.module_id,
            s.capacity_t,
            s.throughput_t,
            s.utilization_pct / 100.0,
        )
        for s in ordered[:SITES_SHOWN]
    ]
    table = write_table(
        ws, cols, rows, lang, header_row=SITES_ROW + 1, freeze=False, autofilter=False, widths={}
    )
    last = table.last_row
    hidden = len(ordered) - SITES_SHOWN
    if hidden > 0:
        last += 1
        put(ws, last, 1, text("exec_more_sites", lang).format(n=hidden)).font = SUBTITLE_FONT
    return last
