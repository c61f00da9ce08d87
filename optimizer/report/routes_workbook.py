"""The routes workbook (``copperloop routes -o ROUTES.xlsx``): every table of a RoutePlan on its own sheet.

Plain and machine-friendly like the plan workbook: one header row per sheet, numbers as numbers, times
as hours since midnight and as ``HH:MM`` text. Sheets: Summary, Depots, Routes (one row per truck-day),
Stops (one row per stop), Hauls (full-truckload and carrier trips, one row per yard and destination),
Collection flows (how each flow is collected and its routed cost per t), Unserved, Notes. The
headers and the enum values (status, reason, mode, stop kind) are field names and codes, the same in
every language; the Summary's labels, the days and the routing's sentences (its message, why a visit is
not served and the fix, the notes) are written in ``lang``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from optimizer.io.cells import put_row
from optimizer.io.writer import save_workbook
from optimizer.messages import msg
from optimizer.report.labels import check_lang
from optimizer.routing.periodic import WEEKDAY_NAMES
from optimizer.routing.result import RoutePlan

#: The Summary's labels in Chinese (the English label is the key).
_SUMMARY_ZH = {
    "status": "状态",
    "message": "说明",
    "engine": "引擎",
    "runtime (s)": "用时（秒）",
    "time limit (s)": "时间上限（秒）",
    "weeks per year": "每年周数",
    "trucks needed": "所需车辆",
    "truck-days per week": "每周车日",
    "trips per week": "每周趟数",
    "visits per week": "每周上门次数",
    "km per week": "每周公里",
    "hours per week": "每周小时",
    "t collected per week": "每周收集吨数",
    "cost per week (CNY)": "每周成本（元）",
    "CO2 per week (kg)": "每周 CO2（千克）",
    "payload utilisation": "载重利用率",
    "annual cost (CNY)": "年成本（元）",
    "annual t collected": "年收集吨数",
    "CNY per t collected": "每吨收集成本（元）",
    "visits not served per week": "每周未服务的上门次数",
    "hauls (yards x destinations)": "整车运输（回收点 × 去向）",
    "haul trips per week": "整车运输每周趟数",
    "haul cost per year (CNY)": "整车运输年成本（元）",
    "haul t per year": "整车运输年吨数",
    "haul CO2 per year (kg)": "整车运输年 CO2（千克）",
    "own truck-days per week on hauls": "自有车辆每周用于整车运输的车日",
    "collection cost per year, milk runs + hauls (CNY)": "年收集成本，循环收运 + 整车（元）",
    "collection t per year, milk runs + hauls": "年收集吨数，循环收运 + 整车",
    "collection CNY per t, milk runs + hauls": "每吨收集成本，循环收运 + 整车（元）",
}
_NOT_ROUTED = {"en": "not routed", "zh": "未规划路线"}
_EVERY_VISIT = {"en": "all visits", "zh": "全部上门"}


def _day(plan: RoutePlan, day: int | None, lang: str) -> str:
    """A route's or an unserved visit's day in ``lang``: the weekday's own message ("Mon", 周一)."""
    if day is None:
        return _EVERY_VISIT.get(lang, _EVERY_VISIT["en"])
    name = plan.day_name(day)
    return msg(f"weekday.{WEEKDAY_NAMES.index(name)}").render(lang) if name in WEEKDAY_NAMES else name


def hhmm(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def routes_workbook(plan: RoutePlan, lang: str = "en") -> Workbook:
    """The routes workbook of ``plan``, its labels and sentences in ``lang`` ("en" or "zh")."""
    check_lang(lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    total = plan.totals()
    rows: list[tuple[str, Any]] = [
        ("status", str(plan.status)),
        ("message", "" if plan.message is None else plan.message.render(lang)),
        ("engine", plan.engine),
        ("runtime (s)", plan.runtime_s),
        ("time limit (s)", plan.time_limit_s),
        ("weeks per year", plan.weeks_per_year),
        ("trucks needed", total.trucks),
        ("truck-days per week", total.truck_days),
        ("trips per week", total.trips),
        ("visits per week", total.visits),
        ("km per week", total.distance_km),
        ("hours per week", total.hours),
        ("t collected per week", total.collected_t),
        ("cost per week (CNY)", total.cost_cny),
        ("CO2 per week (kg)", total.co2_kg),
        ("payload utilisation", total.utilization),
        ("annual cost (CNY)", total.annual_cost_cny),
        ("annual t collected", total.annual_collected_t),
        ("CNY per t collected", total.cost_cny_per_t),
        ("visits not served per week", sum(u.visits_per_week if u.day is None else 1 for u in plan.unserved)),
        ("hauls (yards x destinations)", len(plan.hauls)),
        ("haul trips per week", plan.haul_totals().trips_per_week),
        ("haul cost per year (CNY)", plan.haul_totals().cost_cny_per_year),
        ("haul t per year", plan.haul_totals().t_per_year),
        ("haul CO2 per year (kg)", plan.haul_totals().co2_kg_per_year),
        ("own truck-days per week on hauls", plan.haul_totals().own_truck_days_per_week),
        ("collection cost per year, milk runs + hauls (CNY)", plan.collection_cost_cny_per_year),
        ("collection t per year, milk runs + hauls", plan.collected_t_per_year),
        ("collection CNY per t, milk runs + hauls", plan.collection_cost_cny_per_t),
    ]
    put_row(ws, 1, ["field", "value"])
    for r, (label, value) in enumerate(rows, start=2):
        put_row(ws, r, (_SUMMARY_ZH[label] if lang == "zh" else label, value))

    _table(wb, "Depots", [
        "depot_id", "trucks", "truck_days", "trips", "visits", "km_per_week", "hours_per_week",
        "t_per_week", "cost_cny_per_week", "co2_kg_per_week", "utilization", "annual_cost_cny",
        "annual_t", "cny_per_t",
    ], [
        [d.depot_id, d.trucks, d.truck_days, d.trips, d.visits, d.distance_km, d.hours, d.collected_t,
         d.cost_cny, d.co2_kg, d.utilization, d.annual_cost_cny, d.annual_collected_t, d.cost_cny_per_t]
        for d in plan.depot_totals()
    ])
    _table(wb, "Routes", [
        "depot_id", "day", "vehicle_type_id", "truck", "trips", "visits", "start", "end", "hours", "km",
        "collected_kg", "payload_kg", "utilization", "fixed_cost_cny", "cost_cny", "co2_kg", "sequence",
    ], [
        [r.depot_id, _day(plan, r.day, lang), r.vehicle_type_id, r.truck, r.trips, len(r.visits),
         hhmm(r.start_h), hhmm(r.end_h), r.duration_h, r.distance_km, r.collected_kg, r.payload_kg,
         r.utilization, r.fixed_cost_cny, r.cost_cny, r.co2_kg, " > ".join(s.node_id for s in r.stops)]
        for r in plan.routes
    ])
    _table(wb, "Stops", [
        "depot_id", "day", "vehicle_type_id", "truck", "seq", "kind", "node_id", "arrival", "start",
        "departure", "arrival_h", "start_h", "departure_h", "pickup_kg", "load_kg",
    ], [
        [r.depot_id, _day(plan, r.day, lang), r.vehicle_type_id, r.truck, k + 1, str(s.kind), s.node_id,
         hhmm(s.arrival_h), hhmm(s.start_h), hhmm(s.departure_h), s.arrival_h, s.start_h, s.departure_h,
         s.pickup_kg, s.load_kg]
        for r in plan.routes
        for k, s in enumerate(r.stops)
    ])
    _table(wb, "Hauls", [
        "point_id", "destination_id", "mode", "vehicle_type_id", "payload_t", "t_per_year", "trips_per_year",
        "trips_per_week", "km_per_trip", "hours_per_trip", "driving_h_per_trip", "days_per_trip",
        "cost_cny_per_trip", "annual_cost_cny", "cny_per_t", "annual_km", "annual_co2_kg",
    ], [
        [h.point_id, h.destination_id, str(h.mode), h.vehicle_type_id, h.payload_t, h.t_per_year,
         h.trips_per_year, h.trips_per_week, h.km_per_trip, h.hours_per_trip, h.driving_h_per_trip,
         h.days_per_trip, h.cost_cny_per_trip, h.annual_cost_cny, h.cost_cny_per_t, h.annual_km,
         h.annual_co2_kg]
        for h in plan.hauls
    ])
    _table(wb, "Collection flows", [
        "point_id", "destination_id", "mode", "t_per_year", "routed_t_per_year", "annual_cost_cny",
        "cny_per_t",
    ], [
        [f.point_id, f.destination_id, _NOT_ROUTED[lang] if f.mode is None else str(f.mode), f.t_per_year,
         f.routed_t_per_year, f.annual_cost_cny, f.cost_cny_per_t]
        for f in plan.collection_flows()
    ])
    _table(wb, "Unserved", [
        "point_id", "depot_id", "day", "visits_per_week", "t_per_year", "reason", "detail", "fix",
    ], [
        [u.point_id, u.depot_id, _day(plan, u.day, lang), u.visits_per_week, u.t_per_year, str(u.reason),
         u.detail.render(lang), "" if u.fix is None else u.fix.render(lang)]
        for u in plan.unserved
    ])
    _table(wb, "Notes", ["note"], [[n.render(lang)] for n in plan.notes])
    return wb


def write_routes_workbook(plan: RoutePlan, path: str | Path, lang: str = "en") -> None:
    """Save the routes workbook of ``plan`` to ``path`` (atomically, keeping a backup of an old file),
    its sentences in ``lang``."""
    save_workbook(routes_workbook(plan, lang), path)


def _table(wb: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title)
    put_row(ws, 1, header)
    # ids, names and notes come from the user's workbook: put_row keeps "=..." text, never a formula
    for r, row in enumerate(rows, start=2):
        put_row(ws, r, row)
    ws.freeze_panes = "A2"
