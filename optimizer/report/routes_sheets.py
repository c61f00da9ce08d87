"""The collection-route sheets of the plan report: Routes (one row per truck-day), Stops (one row per
stop, in order), Hauls (full-truckload and carrier trips, one row per yard and destination) and
Unserved visits (with the reason and the cheapest fix), written when routing ran.

Times are Excel times (fractions of a day, shown ``[h]:mm``) so they sort, filter and subtract as
times; loads are in kilograms as the routing works in them, collected totals in tonnes.
"""

from __future__ import annotations

from openpyxl import Workbook

from optimizer.report.context import ReportContext
from optimizer.report.labels import enum_label, sheet_name, text
from optimizer.report.styles import Col, TableRange, print_setup, title_block, write_table
from optimizer.routing.result import RoutePlan

HOURS_PER_DAY = 24.0


def _day(routes: RoutePlan, day: int | None, lang: str) -> str:
    return text("every_day", lang) if day is None else enum_label("weekday", routes.day_name(day), lang)


def write_routes(wb: Workbook, ctx: ReportContext, routes: RoutePlan) -> TableRange:
    """One row per truck-day: depot, day, vehicle, trips, visits, times, km, tonnes, payload use, cost."""
    lang = ctx.lang
    ws = wb.create_sheet(sheet_name("routes", lang))
    title_block(ws, f"{sheet_name('routes', lang)}: {ctx.network.name}", ctx.subtitle)
    cols = [
        Col("depot"),
        Col("name"),
        Col("day"),
        Col("vehicle"),
        Col("truck", "int"),
        Col("trips", "int"),
        Col("visits", "int"),
        Col("start", "time"),
        Col("end", "time"),
        Col("duration", "h"),
        Col("route_km", "km"),
        Col("route_collected", "t"),
        Col("payload_use", "%"),
        Col("fixed_cost", "CNY"),
        Col("cost", "CNY"),
        Col("co2", "kg CO2"),
    ]
    rows = (
        (
            r.depot_id,
            ctx.name(r.depot_id),
            _day(routes, r.day, lang),
            r.vehicle_name or r.vehicle_type_id,
            r.truck,
            r.trips,
            len(r.visits),
            r.start_h / HOURS_PER_DAY,
            r.end_h / HOURS_PER_DAY,
            r.duration_h,
            r.distance_km,
            r.collected_kg / 1000.0,
            r.utilization,
            r.fixed_cost_cny,
            r.cost_cny,
            r.co2_kg,
        )
        for r in routes.routes
    )
    table = write_table(ws, cols, rows, lang)
    print_setup(ws, table.header_row, ctx.page_header)
    return table


def write_stops(wb: Workbook, ctx: ReportContext, routes: RoutePlan) -> TableRange:
    """Every stop of every route, in driving order: arrival, service start, departure, pickup, load."""
    lang = ctx.lang
    ws = wb.create_sheet(sheet_name("stops", lang))
    title_block(ws, f"{sheet_name('stops', lang)}: {ctx.network.name}", ctx.subtitle)
    cols = [
        Col("depot"),
        Col("day"),
        Col("vehicle"),
        Col("truck", "int"),
        Col("sequence", "int"),
        Col("stop_kind"),
        Col("node_id"),
        Col("name"),
        Col("arrival", "time"),
        Col("service_start", "time"),
        Col("departure", "time"),
        Col("wait", "min"),
        Col("pickup", "kg"),
        Col("load", "kg"),
    ]
    rows = (
        (
            r.depot_id,
            _day(routes, r.day, lang),
            r.vehicle_name or r.vehicle_type_id,
            r.truck,
            seq,
            enum_label("stop_kind", s.kind, lang),
            s.node_id,
            ctx.name(s.node_id),
            s.arrival_h / HOURS_PER_DAY,
            s.start_h / HOURS_PER_DAY,
            s.departure_h / HOURS_PER_DAY,
            60.0 * s.wait_h,
            s.pickup_kg,
            s.load_kg,
        )
        for r in routes.routes
        for seq, s in enumerate(r.stops)
    )
    table = write_table(ws, cols, rows, lang)
    print_setup(ws, table.header_row, ctx.page_header)
    return table


def write_hauls(wb: Workbook, ctx: ReportContext, routes: RoutePlan) -> TableRange:
    """One row per full-truckload haul: yard, destination, by whom, trips, km, hours, cost, CO2."""
    lang = ctx.lang
    ws = wb.create_sheet(sheet_name("hauls", lang))
    title_block(ws, f"{sheet_name('hauls', lang)}: {ctx.network.name}", ctx.subtitle)
    cols = [
        Col("point_id"),
        Col("name"),
        Col("destination"),
        Col("collection_mode"),
        Col("vehicle"),
        Col("haul_t", "t"),
        Col("trips_per_year", "int"),
        Col("trips_per_week"),
        Col("km_per_trip", "km"),
        Col("hours_per_trip", "h"),
        Col("days_per_trip", "int"),
        Col("cost_per_trip", "CNY"),
        Col("annual_cost", "CNY"),
        Col("cost_per_t", "CNY/t"),
        Col("co2_per_year", "kg CO2"),
    ]
    rows = (
        (
            h.point_id,
            ctx.name(h.point_id),
            h.destination_id,
            enum_label("collection_mode", h.mode, lang),
            h.vehicle_type_id,
            h.t_per_year,
            h.trips_per_year,
            h.trips_per_week,
            h.km_per_trip,
            h.hours_per_trip,
            h.days_per_trip,
            h.cost_cny_per_trip,
            h.annual_cost_cny,
            h.cost_cny_per_t,
            h.annual_co2_kg,
        )
        for h in routes.hauls
    )
    table = write_table(ws, cols, rows, lang)
    print_setup(ws, table.header_row, ctx.page_header)
    return table


def write_unserved(wb: Workbook, ctx: ReportContext, routes: RoutePlan) -> TableRange:
    """Visits no route makes: the point, its depot, the day, why, and the scrap the lost visits carry."""
    lang = ctx.lang
    ws = wb.create_sheet(sheet_name("unserved", lang))
    title_block(ws, f"{sheet_name('unserved', lang)}: {ctx.network.name}", ctx.subtitle)
    cols = [
        Col("point_id"),
        Col("name"),
        Col("depot"),
        Col("day"),
        Col("reason"),
        Col("visits_per_week", "int"),
        Col("t_per_year", "t"),
        Col("detail", wrap_width=80),
        Col("fix", wrap_width=60),
    ]
    rows = (
        (
            u.point_id,
            ctx.name(u.point_id),
            u.depot_id,
            _day(routes, u.day, lang),
            enum_label("unserved_reason", u.reason, lang),
            u.visits_per_week,
            u.t_per_year,
            u.detail.render(lang),
            "" if u.fix is None else u.fix.render(lang),
        )
        for u in routes.unserved
    )
    table = write_table(ws, cols, rows, lang)
    print_setup(ws, table.header_row, ctx.page_header)
    return table
