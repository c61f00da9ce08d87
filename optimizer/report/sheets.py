"""The plan's table sheets: Sites, Flows, Collection, Smelter intake and Utilization.

Each function adds one sheet to the workbook and returns where its table landed, so the tests (and
charts) can find the cells. Fractions are stored as fractions with a percent format, tonnes as tonnes:
what a reader sees is exactly the plan's number.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.design.plan import Echelon
from optimizer.report import charts
from optimizer.report.context import ReportContext
from optimizer.report.labels import enum_label, enum_values, sheet_name, text
from optimizer.report.styles import (
    SECTION_FONT,
    SITE_BUSY_FRACTION,
    Col,
    TableRange,
    apply_widths,
    chart_anchor_below,
    highlight_above,
    highlight_formula,
    print_setup,
    put,
    title_block,
    write_table,
    yes_no,
)

_ECHELON_ORDER = {Echelon.COLLECTION: 0, Echelon.TRANSFER: 1, Echelon.DELIVERY: 2}


def _sheet(wb: Workbook, ctx: ReportContext, key: str) -> Worksheet:
    ws = wb.create_sheet(sheet_name(key, ctx.lang))
    title_block(ws, f"{sheet_name(key, ctx.lang)}: {ctx.network.name}", ctx.subtitle)
    return ws


def write_sites(wb: Workbook, ctx: ReportContext) -> TableRange:
    """Every site of the network, open ones first (in the plan's order), with the chosen module,
    throughput, utilization (amber above 90 %) and costs; a chart of throughput vs capacity."""
    lang, plan = ctx.lang, ctx.plan
    ws = _sheet(wb, ctx, "sites")
    cols = [
        Col("site_id"),
        Col("name"),
        Col("kind"),
        Col("site_status"),
        Col("province"),
        Col("opened"),
        Col("module"),
        Col("capacity", "t"),
        Col("throughput", "t"),
        Col("site_utilization", "%"),
        Col("fixed_cost", "CNY"),
        Col("variable_cost", "CNY/t"),
        Col("processing_cost", "CNY"),
        Col("residue", "t"),
        Col("co2", "t CO2"),
    ]
    rows: list[tuple[object, ...]] = []
    for s in plan.sites:
        site = next((x for x in ctx.network.sites if x.id == s.site_id), None)
        rows.append(
            (
                s.site_id,
                s.name,
                enum_label("site_kind", s.kind, lang),
                enum_label("site_status", s.status, lang),
                s.province,
                yes_no(True, lang),
                s.module_id,
                s.capacity_t,
                s.throughput_t,
                s.utilization_pct / 100.0,
                s.fixed_cost_cny,
                None if site is None else site.variable_cost_cny_per_t,
                s.processing_cost_cny,
                s.residue_t,
                s.co2_t,
            )
        )
    opened = {s.site_id for s in plan.sites}
    for site in ctx.network.sites:
        if site.id in opened:
            continue
        rows.append(
            (
                site.id,
                site.name,
                enum_label("site_kind", site.kind, lang),
                enum_label("site_status", site.status, lang),
                site.province,
                yes_no(False, lang),
                None,
                None,
                None,
                None,
                None,
                site.variable_cost_cny_per_t,
                None,
                None,
                None,
            )
        )
    table = write_table(ws, cols, rows, lang)
    if rows:
        highlight_above(ws, table.ref("site_utilization").replace("$", ""), SITE_BUSY_FRACTION)
    if plan.sites:
        last_open = table.first_row + len(plan.sites) - 1
        charts.site_throughput(
            ws,
            table.columns["site_id"],
            table.columns["capacity"],
            table.columns["throughput"],
            table.header_row,
            last_open,
            text("chart_sites", lang),
            chart_anchor_below(ws, table.last_row),
        )
    print_setup(ws, table.header_row, ctx.page_header)
    return table


def write_flows(wb: Workbook, ctx: ReportContext) -> TableRange:
    """Every arc with flow: from, to, echelon, grade, tonnes, copper, km, t-km, cost, CO2 and how the
    design priced it (t-km rate, milk run, full truckload, carrier)."""
    lang = ctx.lang
    ws = _sheet(wb, ctx, "flows")
    cols = [
        Col("from_id"),
        Col("from_name"),
        Col("to_id"),
        Col("to_name"),
        Col("echelon"),
        Col("grade"),
        Col("t", "t"),
        Col("t_cu", "t Cu"),
        Col("km", "km"),
        Col("t_km", "t-km"),
        Col("cost", "CNY"),
        Col("co2", "t CO2"),
        Col("flow_mode"),
    ]
    echelons = {e: enum_label("echelon", e, lang) for e in Echelon}
    modes = enum_values("flow_mode", lang)
    flows = sorted(ctx.plan.flows, key=lambda f: (_ECHELON_ORDER[f.echelon], f.from_id, f.to_id, f.grade_id))
    rows = (
        (
            f.from_id,
            ctx.name(f.from_id),
            f.to_id,
            ctx.name(f.to_id),
            echelons[f.echelon],
            f.grade_id,
            f.t,
            f.t_cu,
            f.km,
            f.t_km,
            f.cost_cny,
            f.co2_t,
            modes.get(f.mode, f.mode),
        )
        for f in flows
    )
    table = write_table(ws, cols, rows, lang)
    print_setup(ws, table.header_row, ctx.page_header)
    return table


def write_flows_by_arc(wb: Workbook, ctx: ReportContext) -> TableRange:
    """The client edition's Flows: transfers and deliveries per arc (grades summed), then the collection
    into each destination (points summed): a few pages where every flow row would fill a hundred."""
    lang = ctx.lang
    ws = _sheet(wb, ctx, "flows")
    cols = [
        Col("from_id"),
        Col("from_name"),
        Col("to_id"),
        Col("to_name"),
        Col("echelon"),
        Col("points", "int"),
        Col("t", "t"),
        Col("t_cu", "t Cu"),
        Col("t_km", "t-km"),
        Col("cost", "CNY"),
        Col("co2", "t CO2"),
    ]
    echelons = {e: enum_label("echelon", e, lang) for e in Echelon}
    arcs: dict[tuple[int, str, str], list[float]] = {}
    points: dict[tuple[int, str, str], set[str]] = {}
    for f in ctx.plan.flows:
        collection = f.echelon is Echelon.COLLECTION
        key = (_ECHELON_ORDER[f.echelon], "" if collection else f.from_id, f.to_id)
        sums = arcs.setdefault(key, [0.0, 0.0, 0.0, 0.0, 0.0])
        for i, v in enumerate((f.t, f.t_cu, f.t_km, f.cost_cny, f.co2_t)):
            sums[i] += v
        points.setdefault(key, set()).add(f.from_id)
    order = {v: k for k, v in _ECHELON_ORDER.items()}
    everywhere = text("all_points", lang)
    rows = [
        (
            a or None,
            ctx.name(a) if a else everywhere,
            b,
            ctx.name(b),
            echelons[order[e]],
            len(points[(e, a, b)]),
            *sums,
        )
        for (e, a, b), sums in sorted(arcs.items(), key=lambda kv: (kv[0][0], -kv[1][0]))
    ]
    table = write_table(ws, cols, rows, lang)
    print_setup(ws, table.header_row, ctx.page_header)
    return table


def write_collection_by_province(wb: Workbook, ctx: ReportContext) -> TableRange:
    """The client edition's Collection: per province, the points, supply, what the plan collects and
    the share collected (no single yard's figures)."""
    lang = ctx.lang
    ws = _sheet(wb, ctx, "collection")
    cols = [
        Col("province"),
        Col("points", "int"),
        Col("supply", "t"),
        Col("collected", "t"),
        Col("collected_share", "%"),
        Col("primary_site"),
    ]
    by_province: dict[str, list[float]] = {}
    count: dict[str, int] = {}
    destinations: dict[str, dict[str, float]] = {}
    for a in ctx.plan.assignments:
        p = a.province or "-"
        sums = by_province.setdefault(p, [0.0, 0.0])
        sums[0] += sum(a.supply_t_by_grade.values())
        sums[1] += a.collected_t
        count[p] = count.get(p, 0) + 1
        for share in a.shares:
            d = destinations.setdefault(p, {})
            d[share.destination_id] = d.get(share.destination_id, 0.0) + share.t
    rows = [
        (
            p,
            count[p],
            supply,
            collected,
            collected / supply if supply > 0 else None,
            max(destinations[p], key=lambda d: destinations[p][d]) if destinations.get(p) else None,
        )
        for p, (supply, collected) in sorted(by_province.items(), key=lambda kv: -kv[1][1])
    ]
    table = write_table(ws, cols, rows, lang)
    print_setup(ws, table.header_row, ctx.page_header)
    return table


def write_collection(wb: Workbook, ctx: ReportContext) -> TableRange:
    """Each collection point: supply, what the plan collects, the share collected and where it goes."""
    lang = ctx.lang
    ws = _sheet(wb, ctx, "collection")
    cols = [
        Col("point_id"),
        Col("name"),
        Col("province"),
        Col("supply", "t"),
        Col("collected", "t"),
        Col("collected_share", "%"),
        Col("primary_site"),
        Col("destinations", wrap_width=40),
    ]
    rows = []
    for a in ctx.plan.assignments:
        supply = sum(a.supply_t_by_grade.values())
        shares = "; ".join(f"{s.destination_id} {s.t:,.1f}" for s in a.shares)
        rows.append(
            (
                a.point_id,
                a.name,
                a.province,
                supply,
                a.collected_t,
                a.collected_t / supply if supply > 0 else None,
                a.primary_destination_id,
                shares or None,
            )
        )
    table = write_table(ws, cols, rows, lang)
    print_setup(ws, table.header_row, ctx.page_header)
    return table


def write_smelters(wb: Workbook, ctx: ReportContext) -> TableRange:
    """Each smelter: intake per grade, blended copper content against its minimum (red when below),
    capacity use and revenue."""
    lang = ctx.lang
    ws = _sheet(wb, ctx, "smelters")
    grades = [g.id for g in ctx.network.grades]
    lead = [Col("smelter_id"), Col("name"), Col("province"), Col("capacity", "t")]
    tail = [
        Col("intake", "t"),
        Col("intake_cu", "t Cu"),
        Col("blend", "%"),
        Col("blend_min", "%"),
        Col("smelter_utilization", "%"),
        Col("revenue", "CNY"),
    ]
    grade_cols = [Col(f"grade:{g}", "t", label=ctx.grade(g)) for g in grades]
    rows = [
        (
            m.smelter_id,
            m.name,
            m.province,
            m.capacity_t,
            *(m.intake_t_by_grade.get(g, 0.0) for g in grades),
            m.intake_t,
            m.intake_t_cu,
            m.blended_copper_content if m.intake_t > 0 else None,
            m.min_copper_content,
            m.utilization_pct / 100.0,
            m.revenue_cny,
        )
        for m in ctx.plan.smelters
    ]
    table = write_table(ws, [*lead, *grade_cols, *tail], rows, lang)
    if rows:
        blend, low, intake = (get_column_letter(table.columns[k]) for k in ("blend", "blend_min", "intake"))
        r = table.first_row
        highlight_formula(
            ws,
            f"{blend}{r}:{blend}{table.last_row}",
            f"AND(${intake}{r}>0,${blend}{r}<${low}{r}-0.000001)",
        )
    print_setup(ws, table.header_row, ctx.page_header)
    return table


def write_utilization(wb: Workbook, ctx: ReportContext) -> tuple[TableRange, TableRange]:
    """Recycled-copper utilization by supply grade (with a chart) and by province, side by side."""
    lang, kpis = ctx.lang, ctx.plan.kpis
    assert kpis is not None
    ws = _sheet(wb, ctx, "utilization")
    supply_t = ctx.network.total_supply_t()
    supply_cu = ctx.network.total_supply_t_cu()
    grade_rows = [
        (
            g.id,
            ctx.grade(g.id),
            supply_t.get(g.id, 0.0),
            supply_cu.get(g.id, 0.0),
            kpis.utilization_by_grade[g.id] * supply_cu[g.id],
            kpis.utilization_by_grade[g.id],
        )
        for g in ctx.network.grades
        if g.id in kpis.utilization_by_grade
    ]
    widths: dict[int, float] = {}
    put(ws, 3, 1, text("by_grade", lang)).font = SECTION_FONT
    by_grade = write_table(
        ws,
        [
            Col("grade"),
            Col("grade_name"),
            Col("supply", "t"),
            Col("supply_cu", "t Cu"),
            Col("delivered_cu", "t Cu"),
            Col("utilization", "%"),
        ],
        grade_rows,
        lang,
        header_row=4,
        autofilter=False,
        widths=widths,
    )
    cu = ctx.network.copper_content()
    province_cu: dict[str, float] = {}
    for cp in ctx.network.collection_points:
        province_cu[cp.province] = province_cu.get(cp.province, 0.0) + sum(
            s.supply_t_per_year * cu.get(s.grade_id, 0.0) for s in cp.supplies
        )
    province_rows = [
        (p or "-", province_cu.get(p, 0.0), u * province_cu.get(p, 0.0), u)
        for p, u in kpis.utilization_by_province.items()
    ]
    first_col = len(by_grade.columns) + 2
    put(ws, 3, first_col, text("by_province", lang)).font = SECTION_FONT
    by_province = write_table(
        ws,
        [Col("province"), Col("supply_cu", "t Cu"), Col("delivered_cu", "t Cu"), Col("utilization", "%")],
        province_rows,
        lang,
        header_row=4,
        first_col=first_col,
        widths=widths,
    )
    apply_widths(ws, widths)
    if grade_rows:
        charts.utilization_by_grade(
            ws,
            by_grade.columns["grade_name"],
            by_grade.columns["utilization"],
            by_grade.first_row,
            by_grade.last_row,
            text("chart_grades", lang),
            chart_anchor_below(ws, by_grade.last_row),
            # as wide as the grade table and the gap column, clear of the province table
            width_cm=charts.columns_width_cm(ws, 1, first_col - 1) - 0.2,
        )
    print_setup(ws, 4, ctx.page_header)
    return by_grade, by_province
