"""One set of numbers: the Reconciliation sheet's totals are the plan's and the routes' own, the
difference is the routes' minus the plan's, and the routing notes are on their own sheet.

The teaching network is solved and routed once (a few seconds); the report is built in memory.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.plan import Echelon
from optimizer.design.solve import solve
from optimizer.model import Network
from optimizer.report.context import ReportContext
from optimizer.report.labels import text
from optimizer.report.plan_report import plan_report_workbook
from optimizer.report.reconcile import reconciliation
from optimizer.report.styles import FIRST_DATA_ROW
from optimizer.routing import RoutingOptions, build_routing_problem, plan_routes

TODAY = datetime.date(2026, 3, 1)


@pytest.fixture(scope="module")
def routed(teaching_network: Network) -> Any:
    plan = solve(teaching_network, SolveOptions(time_limit_s=30, mip_gap=0.01))
    routes = plan_routes(build_routing_problem(teaching_network, plan), RoutingOptions(time_limit_s=2))
    assert routes.routes
    return teaching_network, plan, routes


def test_the_reconciliation_totals_are_the_plans_and_the_routes(routed: Any) -> None:
    network, plan, routes = routed
    rec = reconciliation(ReportContext.of(network, plan, "en", None, TODAY), routes)
    assert rec is not None
    k = plan.kpis
    # the plan's side adds up to the plan's transport cost and CO2
    assert rec.plan.transport_cost_cny == pytest.approx(k.transport_cost_cny)
    assert rec.plan.transport_co2_t == pytest.approx(k.transport_co2_t)
    depots = set(routes.depot_ids) | {r.depot_id for r in routes.routes}
    hauled = {(h.point_id, h.destination_id) for h in routes.hauls}
    collected = [
        f
        for f in plan.flows
        if f.echelon is Echelon.COLLECTION and (f.to_id in depots or (f.from_id, f.to_id) in hauled)
    ]
    assert rec.plan.routed_cost_cny == pytest.approx(sum(f.cost_cny for f in collected))
    assert rec.plan.routed_t == pytest.approx(sum(f.t for f in collected))
    # the routes' side: milk runs (a week times the weeks of the year) plus the full-truckload and
    # carrier hauls; the rest is the plan's, on both sides
    totals = routes.totals()
    hauls = routes.haul_totals()
    milk_cost = routes.annual_cost_cny
    assert rec.routes.routed_cost_cny == pytest.approx(milk_cost + hauls.cost_cny_per_year)
    assert rec.routes.routed_t == pytest.approx(totals.annual_collected_t + hauls.t_per_year)
    assert rec.routes.routed_co2_t == pytest.approx(
        (totals.co2_kg * routes.weeks_per_year + hauls.co2_kg_per_year) / 1000
    )
    assert rec.routes.other_cost_cny == rec.plan.other_cost_cny
    assert rec.profit_with_routes_cny == pytest.approx(
        k.profit_cny - rec.routes.routed_cost_cny + rec.plan.routed_cost_cny
    )
    # per depot (and per smelter a carrier delivers to), the same totals
    assert sum(d.routes_cost_cny for d in rec.depots) == pytest.approx(rec.routes.routed_cost_cny)
    assert sum(d.plan_cost_cny for d in rec.depots) == pytest.approx(rec.plan.routed_cost_cny)
    assert sum(d.routes_t for d in rec.depots) == pytest.approx(rec.routes.routed_t)


def test_the_reconciliation_sheet_shows_both_sides_and_why(routed: Any) -> None:
    network, plan, routes = routed
    wb = plan_report_workbook(network, plan, routes=routes, created=TODAY)
    ws = wb["Reconciliation"]
    rows = {
        ws.cell(row=r, column=1).value: [ws.cell(row=r, column=c).value for c in range(2, 7)]
        for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 9)
    }
    _unit, planned, routed_, diff, _why = rows[text("rec_transport_cost", "en")]
    assert planned == pytest.approx(plan.kpis.transport_cost_cny)
    assert diff == pytest.approx(routed_ - planned)
    _unit, planned, routed_, diff, why = rows[text("rec_routed_cost", "en")]
    assert routed_ == pytest.approx(routes.collection_cost_cny_per_year)
    assert "CNY/t-km" in why and "truck-day" in why
    _unit, planned, routed_, diff, _why = rows[text("rec_profit", "en")]
    assert planned == pytest.approx(plan.kpis.profit_cny)
    assert routed_ < planned or routes.collection_cost_cny_per_year <= planned
    # the routing notes are on their own sheet, not on the summary or the key figures
    if routes.notes:
        sheet = wb["Routing notes"]
        notes = [sheet.cell(row=r, column=2).value for r in range(FIRST_DATA_ROW, sheet.max_row + 1)]
        assert {n.render("en") for n in routes.notes} <= set(notes)
    for title in ("Summary", "Key figures"):
        values = {c for row in wb[title].iter_rows(values_only=True) for c in row}
        assert not {n.render("en") for n in routes.notes} & values
