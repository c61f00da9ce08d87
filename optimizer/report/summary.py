"""The Key figures sheet (every figure of the plan with its unit, the cost charts, the routes' totals and,
when the requirements cannot all hold, why) and the Solver details appendix (how the plan was made).

Every key figure is a number in its own cell with a unit-bearing number format, and a workbook-level
defined name ``kpi_<field>`` (the :class:`~optimizer.design.plan.Kpis` field) points at it, so a consultant's
own formulas (and the tests) can refer to ``kpi_profit_cny`` whatever the language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.design.plan import Kpis
from optimizer.design.solve import requirements_of
from optimizer.report import cost_charts
from optimizer.report.context import ReportContext
from optimizer.report.labels import enum_label, sheet_name, text, unit, value_format
from optimizer.report.styles import (
    LABEL_FONT,
    LINE_HEIGHT,
    TOTAL_BORDER,
    TOTAL_FONT,
    WRAP_TOP,
    Col,
    apply_widths,
    print_setup,
    put,
    section,
    title_block,
    wrapped_lines,
    write_table,
)
from optimizer.routing.result import RoutePlan

#: Columns the Summary uses (label, value, and the sites-opened table under them).
SPAN = 8
#: Width of the label column.
LABEL_WIDTH = 44
LEFT = Alignment(horizontal="left")
TOP = Alignment(vertical="top")
INDENT = Alignment(indent=1)
#: A Key figures sheet this short prints on one page (scaled a little), not on two.
ONE_PAGE_ROWS = 75
#: Defined-name prefix of the key figures.
KPI_NAME_PREFIX = "kpi_"


@dataclass(frozen=True, slots=True)
class KpiRow:
    """One key figure: the :class:`Kpis` field, its label key, its unit key and whether it is a total."""

    field: str
    label: str
    unit: str
    total: bool = False


#: The key figures, in the order shown. Every scalar field of :class:`Kpis` is here.
KPI_ROWS: tuple[KpiRow, ...] = (
    KpiRow("utilization", "utilization", "%", total=True),
    KpiRow("copper_delivered_t_cu", "copper_delivered", "t Cu"),
    KpiRow("supply_t_cu", "supply_cu", "t Cu"),
    KpiRow("supply_t", "supply", "t"),
    KpiRow("collected_t", "collected", "t"),
    KpiRow("collected_t_cu", "collected_cu", "t Cu"),
    KpiRow("delivered_t", "delivered_t", "t"),
    KpiRow("residue_t", "residue", "t"),
    KpiRow("residue_t_cu", "residue_cu", "t Cu"),
    KpiRow("revenue_cny", "revenue", "CNY"),
    KpiRow("purchase_cost_cny", "purchase", "CNY"),
    KpiRow("transport_cost_cny", "transport", "CNY"),
    KpiRow("processing_cost_cny", "processing", "CNY"),
    KpiRow("fixed_cost_cny", "fixed", "CNY"),
    KpiRow("carbon_cost_cny", "carbon", "CNY"),
    KpiRow("total_cost_cny", "total_cost", "CNY", total=True),
    KpiRow("profit_cny", "profit", "CNY", total=True),
    KpiRow("budget_cost_cny", "budget_cost", "CNY"),
    KpiRow("t_km", "t_km", "t-km"),
    KpiRow("transport_co2_t", "transport_co2", "t CO2"),
    KpiRow("processing_co2_t", "processing_co2", "t CO2"),
    KpiRow("co2_t", "co2", "t CO2"),
    KpiRow("sites_open", "sites_open", "int"),
    KpiRow("new_sites_open", "new_sites_open", "int"),
)

#: The cost components charted as the cost breakdown (consecutive rows of :data:`KPI_ROWS`).
COST_FIELDS = (
    "purchase_cost_cny",
    "transport_cost_cny",
    "processing_cost_cny",
    "fixed_cost_cny",
    "carbon_cost_cny",
)


def write_key_figures(wb: Workbook, ctx: ReportContext, routes: RoutePlan | None) -> Worksheet:
    """Add the Key figures sheet to ``wb`` (and the ``kpi_*`` defined names): every figure with its
    unit, the charts of where the money goes, the collection routes' totals and, when the requirements
    cannot all hold, why."""
    lang = ctx.lang
    ws = wb.create_sheet(sheet_name("key_figures", lang))
    title_block(ws, f"{sheet_name('key_figures', lang)}: {ctx.network.name}", ctx.subtitle)
    row = 3
    if ctx.plan.kpis is not None:
        row = _kpis(wb, ws, ctx, ctx.plan.kpis, row + 1)
    else:
        put(ws, row + 1, 1, text("no_solution", lang)).font = LABEL_FONT
        row += 2
    if routes is not None:
        row = _routes(ws, ctx, routes, row + 1)
    widths: dict[int, float] = {1: LABEL_WIDTH, 2: 24}
    if ctx.plan.infeasibility:
        row = _infeasibility(ws, ctx, row + 1, widths)
    apply_widths(ws, widths)
    print_setup(ws, None, ctx.page_header)
    if row <= ONE_PAGE_ROWS:
        ws.page_setup.fitToHeight = 1  # the routes' block would otherwise be alone on a second page
    ws.sheet_view.showGridLines = False
    return ws


def write_solver_details(wb: Workbook, ctx: ReportContext) -> Worksheet:
    """Add the appendix on how the plan was made: scenario, objective, requirements, solver, status,
    bound, gap and times, and the solver's notes."""
    lang = ctx.lang
    ws = wb.create_sheet(sheet_name("solver", lang))
    title_block(ws, f"{sheet_name('solver', lang)}: {ctx.network.name}", ctx.subtitle)
    row = _plan_facts(ws, ctx, 4)
    if ctx.plan.notes:
        row = _paragraphs(ws, row + 1, text("section_notes", lang), ctx.plan.note_texts(lang))
    if ctx.edition == "full":
        _paragraphs(ws, row + 1, "", (text("input_sheets_note", lang),))
    apply_widths(ws, {1: LABEL_WIDTH, 2: 24})
    print_setup(ws, None, ctx.page_header)
    ws.sheet_view.showGridLines = False
    return ws


def _fact(ws: Worksheet, row: int, label: str, value: object, number_format: str | None = None) -> int:
    put(ws, row, 1, label).font = LABEL_FONT
    put(ws, row, 2, value, number_format).alignment = LEFT
    return row + 1


def _plan_facts(ws: Worksheet, ctx: ReportContext, row: int) -> int:
    lang, plan = ctx.lang, ctx.plan
    section(ws, row, text("section_plan", lang), SPAN)
    row += 1
    req = requirements_of(ctx.network, plan.options)
    none = text("none", lang)
    objective_unit = "t Cu" if plan.objective_name == "utilization" else "CNY"
    row = _fact(ws, row, text("scenario", lang), ctx.scenario_name)
    row = _fact(ws, row, text("network", lang), ctx.network.name)
    row = _fact(ws, row, text("date", lang), ctx.created, "yyyy-mm-dd")
    row = _fact(ws, row, text("objective_mode", lang), enum_label("objective", plan.objective_name, lang))
    target = req.target_utilization
    row = _fact(ws, row, text("target", lang), none if target is None else target, value_format("%", lang))
    budget = req.budget_cny
    row = _fact(ws, row, text("budget", lang), none if budget is None else budget, value_format("CNY", lang))
    row = _fact(ws, row, text("solver", lang), plan.solver)
    status_row = row
    row = _fact(ws, row, text("status", lang), enum_label("plan_status", plan.status, lang))
    ws.cell(row=status_row, column=2).font = LABEL_FONT
    if plan.message:
        row = _long_fact(ws, row, text("message", lang), plan.status_message.render(lang))
    objective_format = value_format(objective_unit, lang)
    row = _fact(ws, row, text("objective_value", lang), _finite(plan.objective), objective_format)
    row = _fact(ws, row, text("best_bound", lang), _finite(plan.best_bound), objective_format)
    row = _fact(ws, row, text("gap", lang), _finite(plan.gap), "0.00%")
    row = _fact(ws, row, text("runtime", lang), plan.runtime_s, value_format("s", lang))
    row = _fact(ws, row, text("time_limit", lang), plan.options.time_limit_s, value_format("s", lang))
    return row


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def _long_fact(ws: Worksheet, row: int, label: str, value: str) -> int:
    cell = put(ws, row, 1, label)
    cell.font = LABEL_FONT
    cell.alignment = TOP  # level with the first line of the wrapped text, not its last
    put(ws, row, 2, value).alignment = WRAP_TOP
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=SPAN)
    ws.row_dimensions[row].height = LINE_HEIGHT * wrapped_lines(value, 110)
    return row + 1


def _kpis(wb: Workbook, ws: Worksheet, ctx: ReportContext, kpis: Kpis, row: int) -> int:
    lang = ctx.lang
    section(ws, row, text("section_kpis", lang), 2)
    top = row + 1
    title = quote_sheetname(ws.title)
    for r, kpi in enumerate(KPI_ROWS, start=top):
        label = put(ws, r, 1, text(kpi.label, lang))
        value = put(ws, r, 2, getattr(kpis, kpi.field), value_format(kpi.unit, lang))
        if kpi.total:
            label.font = value.font = TOTAL_FONT
        if kpi.field in ("total_cost_cny", "profit_cny"):
            label.border = value.border = TOTAL_BORDER
        if kpi.field in COST_FIELDS:
            label.alignment = INDENT
        name = KPI_NAME_PREFIX + kpi.field
        wb.defined_names[name] = DefinedName(name, attr_text=f"{title}!$B${r}")
    cost_charts.profit_bridge(wb, ws, ctx, kpis, f"D{top}")
    after = top + len(KPI_ROWS) + 1
    end = cost_charts.cost_per_t_cu(ws, ctx, kpis, after, f"D{after}")
    # each chart covers about 17 rows; keep the next block below them
    return max(end, after + 18)


def _routes(ws: Worksheet, ctx: ReportContext, routes: RoutePlan, row: int) -> int:
    lang = ctx.lang
    section(ws, row, text("section_routes", lang), 2)
    t = routes.totals()
    lost = sum(1 if u.day is not None else u.visits_per_week for u in routes.unserved)
    rows: list[tuple[str, object, str]] = [
        ("routes_status", enum_label("route_status", routes.status, lang), ""),
        ("routes_engine", routes.engine, ""),
        ("trucks", t.trucks, "int"),
        ("truck_days", t.truck_days, "int"),
        ("trips", t.trips, "int"),
        ("visits", t.visits, "int"),
        ("unserved_count", lost, "int"),
        ("route_km", t.distance_km, "km"),
        ("route_collected", t.collected_t, "t"),
        ("route_cost", t.cost_cny, "CNY"),
        ("route_annual_cost", t.annual_cost_cny, "CNY"),
        ("route_cost_per_t", t.cost_cny_per_t, "CNY/t"),
        ("route_co2", t.co2_kg, "kg CO2"),
        ("payload_use", t.utilization, "%"),
    ]
    for r, (key, value, unit_key) in enumerate(rows, start=row + 1):
        _fact(ws, r, text(key, lang), value, value_format(unit_key, lang) if unit_key else None)
    return row + 1 + len(rows)


def _infeasibility(ws: Worksheet, ctx: ReportContext, row: int, widths: dict[int, float]) -> int:
    lang = ctx.lang
    section(ws, row, text("section_infeasible", lang), SPAN)
    cols = [
        Col("requirement"),
        Col("required"),
        Col("achievable"),
        Col("shortfall"),
        Col("unit"),
        Col("explanation", wrap_width=70),
    ]
    rows = [
        (
            enum_label("requirement", s.requirement, lang),
            s.required,
            s.achievable,
            s.shortfall,
            "%" if s.unit == "fraction" else unit(s.unit, lang),
            s.reason.render(lang),
        )
        for s in ctx.plan.infeasibility
    ]
    table = write_table(
        ws, cols, rows, lang, header_row=row + 1, freeze=False, autofilter=False, widths=widths
    )
    explanation = table.columns["explanation"]
    for r, s in enumerate(ctx.plan.infeasibility, start=table.first_row):
        # a share (a utilization target) in %, as everywhere else in the report
        share = s.unit == "fraction"
        for c in (2, 3, 4):
            ws.cell(row=r, column=c).number_format = "0.0%" if share else "#,##0.###"

        ws.row_dimensions[r].height = LINE_HEIGHT * wrapped_lines(s.reason.render(lang), 70)
        ws.cell(row=r, column=explanation).alignment = WRAP_TOP
    return table.last_row + 1


def _paragraphs(ws: Worksheet, row: int, heading: str, paragraphs: tuple[str, ...]) -> int:
    if heading:
        section(ws, row, heading, SPAN)
        row += 1
    last = get_column_letter(SPAN)
    for paragraph in paragraphs:
        put(ws, row, 1, paragraph).alignment = WRAP_TOP
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = LINE_HEIGHT * wrapped_lines(paragraph, 150)
        row += 1
    return row


def kpi_label(field: str, lang: str) -> str:
    """The Summary label of the key figure ``field``."""
    for kpi in KPI_ROWS:
        if kpi.field == field:
            return text(kpi.label, lang)
    raise KeyError(field)
