"""One set of numbers: the plan's transport cost and CO2 beside the collection routes', and why they differ.

The network design prices every leg at the haulage rate per t-km (full loads, one way, on great-circle
distance x circuity or the user's road distance), and counts CO2 per t-km carried. The routes price
every truck-day (a fixed cost per day plus a cost per km) with partial loads and the empty kilometres
back to the depot, and count CO2 per truck-km driven. The two therefore differ, often by half again;
the Reconciliation sheet puts them side by side:

- collection to the depots the routes serve: tonnes, cost, cost per t and CO2, plan against routes;
- what the routes do not cover (collection straight to smelters, transfers, deliveries): the plan's
  figure, used as it is on both sides;
- total transport cost and CO2 on each side, and the plan's profit with the routes' collection cost
  in place of the plan's (the difference is a real cost the design model did not see);
- the same per depot.

:func:`reconciliation` returns the figures (tested against the plan and the routes); the sheet writer
only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl import Workbook

from optimizer.design.plan import Echelon
from optimizer.report.context import ReportContext
from optimizer.report.headline import local_name
from optimizer.report.labels import sheet_name, text, unit
from optimizer.report.styles import (
    LINE_HEIGHT,
    SECTION_FONT,
    TOTAL_BORDER,
    TOTAL_FONT,
    WRAP_TOP,
    Col,
    TableRange,
    apply_widths,
    print_setup,
    put,
    title_block,
    wrapped_lines,
    write_table,
)
from optimizer.routing.result import RoutePlan

REASON_WIDTH = 64.0


@dataclass(frozen=True, slots=True)
class Side:
    """Transport figures of one side (plan or routes), per year."""

    routed_t: float
    routed_cost_cny: float
    routed_co2_t: float
    other_cost_cny: float
    other_co2_t: float

    @property
    def transport_cost_cny(self) -> float:
        return self.routed_cost_cny + self.other_cost_cny

    @property
    def transport_co2_t(self) -> float:
        return self.routed_co2_t + self.other_co2_t

    @property
    def routed_cost_per_t(self) -> float | None:
        return self.routed_cost_cny / self.routed_t if self.routed_t > 0 else None


@dataclass(frozen=True, slots=True)
class DepotRow:
    depot_id: str
    plan_t: float
    routes_t: float
    plan_cost_cny: float
    routes_cost_cny: float


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The plan's transport figures and the routes' (with the plan's for what the routes do not cover)."""

    plan: Side
    routes: Side
    plan_profit_cny: float
    depots: tuple[DepotRow, ...]

    @property
    def profit_with_routes_cny(self) -> float:
        """The plan's profit with the routes' collection cost in place of the plan's."""
        return self.plan_profit_cny - (self.routes.routed_cost_cny - self.plan.routed_cost_cny)


def reconciliation(ctx: ReportContext, routes: RoutePlan) -> Reconciliation | None:
    """The figures of the Reconciliation sheet (``None`` when the plan has no solution)."""
    kpis = ctx.plan.kpis
    if kpis is None:
        return None
    depots = set(routes.depot_ids) | {r.depot_id for r in routes.routes}
    # the routes cover the milk runs into depots and the full-truckload or carrier hauls (to a depot or
    # straight to a smelter): the plan's side takes the same collection flows
    hauled = {(h.point_id, h.destination_id) for h in routes.hauls}
    by_depot_t: dict[str, float] = {}
    by_depot_cost: dict[str, float] = {}
    routed_t = routed_cost = routed_co2 = 0.0
    for f in ctx.plan.flows:
        if f.echelon is Echelon.COLLECTION and (f.to_id in depots or (f.from_id, f.to_id) in hauled):
            routed_t += f.t
            routed_cost += f.cost_cny
            routed_co2 += f.co2_t
            by_depot_t[f.to_id] = by_depot_t.get(f.to_id, 0.0) + f.t
            by_depot_cost[f.to_id] = by_depot_cost.get(f.to_id, 0.0) + f.cost_cny
    other_cost = kpis.transport_cost_cny - routed_cost
    other_co2 = kpis.transport_co2_t - routed_co2
    totals = routes.totals()
    hauls = routes.haul_totals()
    weeks = routes.weeks_per_year
    routes_side = Side(
        routed_t=routes.collected_t_per_year,
        routed_cost_cny=routes.collection_cost_cny_per_year,
        routed_co2_t=(totals.co2_kg * weeks + hauls.co2_kg_per_year) / 1000.0,
        other_cost_cny=other_cost,
        other_co2_t=other_co2,
    )
    plan_side = Side(routed_t, routed_cost, routed_co2, other_cost, other_co2)
    haul_t: dict[str, float] = {}
    haul_cost: dict[str, float] = {}
    for h in routes.hauls:
        haul_t[h.destination_id] = haul_t.get(h.destination_id, 0.0) + h.t_per_year
        haul_cost[h.destination_id] = haul_cost.get(h.destination_id, 0.0) + h.annual_cost_cny
    milk = {d.depot_id or "": d for d in routes.depot_totals()}
    destinations = list(dict.fromkeys([*milk, *haul_t]))
    rows = tuple(
        DepotRow(
            depot_id=d,
            plan_t=by_depot_t.get(d, 0.0),
            routes_t=(milk[d].annual_collected_t if d in milk else 0.0) + haul_t.get(d, 0.0),
            plan_cost_cny=by_depot_cost.get(d, 0.0),
            routes_cost_cny=(milk[d].annual_cost_cny if d in milk else 0.0) + haul_cost.get(d, 0.0),
        )
        for d in destinations
    )
    return Reconciliation(plan_side, routes_side, kpis.profit_cny, rows)


def _reasons(ctx: ReportContext, routes: RoutePlan) -> dict[str, str]:
    lang, p = ctx.lang, ctx.network.parameters
    trucks = "; ".join(
        f"{v.name or v.id}: {v.fixed_cost_cny_per_day:,.0f} {unit('CNY', lang)}/{text('day_unit', lang)} + "
        f"{v.cost_cny_per_km:,.2f} {unit('CNY', lang)}/{unit('km', lang)}"
        for v in ctx.network.vehicle_types
    )
    return {
        "tonnes": text("why_tonnes", lang),
        "cost": text("why_cost", lang).format(rate=f"{p.transport_cost_cny_per_t_km:,.2f}", trucks=trucks),
        "co2": text("why_co2", lang).format(factor=f"{p.co2_kg_per_t_km:,.3f}"),
        "other": text("why_other", lang),
        "profit": text("why_profit", lang),
        "weeks": text("why_weeks", lang).format(weeks=f"{routes.weeks_per_year:g}"),
    }


def write_reconciliation(
    wb: Workbook, ctx: ReportContext, routes: RoutePlan
) -> tuple[TableRange, TableRange] | None:
    """Add the Reconciliation sheet (``None``, and no sheet, when the plan has no solution)."""
    rec = reconciliation(ctx, routes)
    if rec is None:
        return None
    lang = ctx.lang
    ws = wb.create_sheet(sheet_name("reconciliation", lang))
    title_block(ws, f"{sheet_name('reconciliation', lang)}: {ctx.network.name}", ctx.subtitle)
    why = _reasons(ctx, routes)
    plan, rts = rec.plan, rec.routes
    lines: list[tuple[str, str, float | None, float | None, str, bool]] = [
        ("rec_routed_t", "t", plan.routed_t, rts.routed_t, why["tonnes"], False),
        ("rec_routed_cost", "CNY", plan.routed_cost_cny, rts.routed_cost_cny, why["cost"], False),
        (
            "rec_routed_cost_per_t",
            "CNY/t",
            plan.routed_cost_per_t,
            rts.routed_cost_per_t,
            why["weeks"],
            False,
        ),
        ("rec_routed_co2", "t CO2", plan.routed_co2_t, rts.routed_co2_t, why["co2"], False),
        ("rec_other_cost", "CNY", plan.other_cost_cny, rts.other_cost_cny, why["other"], False),
        ("rec_other_co2", "t CO2", plan.other_co2_t, rts.other_co2_t, why["other"], False),
        ("rec_transport_cost", "CNY", plan.transport_cost_cny, rts.transport_cost_cny, "", True),
        ("rec_transport_co2", "t CO2", plan.transport_co2_t, rts.transport_co2_t, "", True),
        ("rec_profit", "CNY", rec.plan_profit_cny, rec.profit_with_routes_cny, why["profit"], True),
    ]
    cols = [
        Col("rec_item"),
        Col("unit"),
        Col("rec_plan"),
        Col("rec_routes"),
        Col("rec_difference"),
        Col("rec_why", wrap_width=REASON_WIDTH),
    ]
    rows = [
        (
            text(key, lang),
            unit(unit_key, lang),
            a,
            b,
            None if a is None or b is None else b - a,
            reason,
        )
        for key, unit_key, a, b, reason, _total in lines
    ]
    widths: dict[int, float] = {}
    table = write_table(ws, cols, rows, lang, autofilter=False, widths=widths)
    for r, (_key, unit_key, _a, _b, _reason, total) in enumerate(lines, start=table.first_row):
        fmt = "#,##0.0" if unit_key in ("t", "t CO2", "CNY/t") else "#,##0"
        for c in (3, 4, 5):
            ws.cell(row=r, column=c).number_format = fmt
        if total:
            for c in range(1, 7):
                ws.cell(row=r, column=c).font = TOTAL_FONT
                ws.cell(row=r, column=c).border = TOTAL_BORDER
    row = table.last_row + 2
    put(ws, row, 1, text("rec_by_depot", lang)).font = SECTION_FONT
    # the depot's id and name in the wide first column, the figures under the narrower ones
    depot_cols = [
        Col("depot"),
        Col("rec_plan_t", "t"),
        Col("rec_routes_t", "t"),
        Col("rec_plan_cost", "CNY"),
        Col("rec_routes_cost", "CNY"),
    ]
    depot_rows = [
        (
            f"{d.depot_id} {local_name(ctx.name(d.depot_id), lang)}",
            d.plan_t,
            d.routes_t,
            d.plan_cost_cny,
            d.routes_cost_cny,
        )
        for d in rec.depots
    ]
    depots = write_table(
        ws, depot_cols, depot_rows, lang, header_row=row + 1, freeze=False, autofilter=False, widths=widths
    )
    apply_widths(ws, widths)
    for r in range(table.first_row, table.last_row + 1):
        reason = ws.cell(row=r, column=6).value
        ws.cell(row=r, column=6).alignment = WRAP_TOP
        if isinstance(reason, str):
            ws.row_dimensions[r].height = LINE_HEIGHT * wrapped_lines(reason, REASON_WIDTH)
    print_setup(ws, table.header_row, ctx.page_header)
    return table, depots


def write_routing_notes(wb: Workbook, ctx: ReportContext, routes: RoutePlan) -> TableRange | None:
    """The routing's notes (points not routed and why, depots chosen), one per row, on their own sheet."""
    if not routes.notes and routes.message is None:
        return None
    lang = ctx.lang
    ws = wb.create_sheet(sheet_name("routing_notes", lang))
    title_block(ws, f"{sheet_name('routing_notes', lang)}: {ctx.network.name}", ctx.subtitle)
    said = (routes.message, *routes.notes) if routes.message is not None else routes.notes
    notes = [text for text in (m.render(lang) for m in said) if text]
    table = write_table(
        ws, [Col("point", "int"), Col("note", wrap_width=120)], [(i, n) for i, n in enumerate(notes, 1)], lang
    )
    print_setup(ws, table.header_row, ctx.page_header)
    return table
