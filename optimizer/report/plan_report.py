"""The plan report: a workbook a consultant can hand to a client as it is.

:func:`write_plan_report` writes, in English or Simplified Chinese:

- **Summary** (the executive summary, one printed page): a headline sentence (what to build, where,
  for how much, what it returns), five key-figure tiles, the sites opened and a map of the plan.
- **Key figures**: every figure with its unit (and a ``kpi_*`` defined name), the margin-to-profit
  waterfall, cost per t Cu recovered, the collection routes' totals, and, when the requirements
  cannot all hold, why.
- **Sites**, **Flows**, **Collection**, **Smelter intake**, **Utilization** (by grade and province),
  with charts of site throughput against capacity and utilization by grade; sites above 90 % of their
  capacity and smelters below their blend minimum are highlighted.
- **Reconciliation** (the plan's transport cost and CO2 beside the routes', and why they differ),
  **Routes**, **Stops**, **Unserved visits** and **Routing notes** when routing ran; **Pareto** (table
  and profit curve) when a trade-off sweep ran; **Scenario comparison** when several scenarios are
  given; **Solver details** (objective, solver, status, bound, gap, times, notes) as an appendix.
- In the **client edition** (``edition="client"``): no input sheets (so no supplier prices or buy-back
  coefficients), Flows summed per arc, Collection per province, no Stops; it does not re-import.
- The **input network** sheets (Instructions, Grades, ... Distances), so the file is self-contained:
  :func:`optimizer.io.reader.read_network` on the report gives back the network the plan was solved
  for, without a warning about the report sheets.

Every table has a frozen, filtered header with units, numbers as numbers with thousands separators,
columns fitted to their content, and prints landscape, fitted to the page width, header repeated.
The national sample's plan (about 4,000 flow rows) exports in a few seconds
(``benchmarks/report_export.py``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from optimizer.design.plan import ParetoResult, Plan
from optimizer.io.writer import COMMENT_AUTHOR, add_network_sheets, save_workbook
from optimizer.model import Network
from optimizer.report.compare import write_pareto, write_scenarios
from optimizer.report.context import ReportContext
from optimizer.report.executive import write_executive_summary
from optimizer.report.input_sheets import style_input_sheet
from optimizer.report.investment import write_investment
from optimizer.report.labels import check_lang, text
from optimizer.report.printing import set_print_area
from optimizer.report.reconcile import write_reconciliation, write_routing_notes
from optimizer.report.routes_sheets import write_hauls, write_routes, write_stops, write_unserved
from optimizer.report.sheets import (
    write_collection,
    write_collection_by_province,
    write_flows,
    write_flows_by_arc,
    write_sites,
    write_smelters,
    write_utilization,
)
from optimizer.report.styles import print_setup
from optimizer.report.summary import write_key_figures, write_solver_details
from optimizer.routing.result import RoutePlan

#: A scenario of the comparison sheet: its name, its network and its plan.
Scenario = tuple[str, Network, Plan]

#: The editions of the report: the full one re-imports; the client one leaves out inputs and prices.
EDITIONS = ("full", "client")


def _move_hidden_sheets_last(wb: Workbook) -> None:
    """Data sheets behind charts (hidden) go after the report sheets, before the input network."""
    for ws in [w for w in wb.worksheets if w.sheet_state == "hidden"]:
        wb.move_sheet(ws, offset=len(wb.worksheets) - 1 - wb.worksheets.index(ws))


def write_plan_report(
    path: str | Path,
    network: Network,
    plan: Plan,
    *,
    routes: RoutePlan | None = None,
    pareto: ParetoResult | None = None,
    scenarios: Sequence[Scenario] | None = None,
    lang: str = "en",
    scenario_name: str | None = None,
    edition: str = "full",
) -> None:
    """Write the plan report of ``plan`` (solved for ``network``) to ``path``.

    Parameters
    ----------
    path
        The ``.xlsx`` to write. It is written to a temporary file beside it and moved into place in one
        step; an existing file is kept as ``<stem>.bak.xlsx``.
    network
        The network the plan was solved for; its sheets are included so the report re-imports.
    plan
        The plan to report (any status: a plan without a solution gives the Summary with the reason).
    routes
        Collection routes to add (Routes, Stops and Unserved visits sheets, totals on the Summary).
    pareto
        A trade-off sweep to add (Pareto sheet with the frontier curve).
    scenarios
        ``(name, network, plan)`` of every scenario to compare; two or more add the comparison sheet.
    lang
        ``"en"`` or ``"zh"``: the language of every label, sheet name and input-sheet header.
    scenario_name
        Shown in the title block (default: "base").
    edition
        ``"full"``: every sheet, with the input network, so the report re-imports; ``"client"``: the
        report a client receives, without the input sheets and the supplier prices.
    """
    wb = plan_report_workbook(
        network,
        plan,
        routes=routes,
        pareto=pareto,
        scenarios=scenarios,
        lang=lang,
        scenario_name=scenario_name,
        edition=edition,
    )
    save_workbook(wb, path)


def plan_report_workbook(
    network: Network,
    plan: Plan,
    *,
    routes: RoutePlan | None = None,
    pareto: ParetoResult | None = None,
    scenarios: Sequence[Scenario] | None = None,
    lang: str = "en",
    scenario_name: str | None = None,
    created: datetime.date | None = None,
    edition: str = "full",
) -> Workbook:
    """The report of :func:`write_plan_report` as an open workbook (``created``: the date shown,
    today by default)."""
    check_lang(lang)
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {', '.join(EDITIONS)}, not {edition!r}")
    ctx = ReportContext.of(network, plan, lang, scenario_name, created or datetime.date.today(), edition)
    wb = Workbook()
    wb.remove(wb.active)
    write_executive_summary(wb, ctx)
    write_key_figures(wb, ctx, routes)
    client = edition == "client"
    if plan.has_solution:
        write_sites(wb, ctx)
        # the client edition sums flows per arc and collection per province: no single yard's figures
        # and a few pages where the full tables fill a hundred
        (write_flows_by_arc if client else write_flows)(wb, ctx)
        (write_collection_by_province if client else write_collection)(wb, ctx)
        write_smelters(wb, ctx)
        write_utilization(wb, ctx)
        write_investment(wb, ctx)
    if routes is not None:
        write_reconciliation(wb, ctx, routes)
        write_routes(wb, ctx, routes)
        if not client:
            write_stops(wb, ctx, routes)
        if routes.hauls:
            write_hauls(wb, ctx, routes)
        if routes.unserved:
            write_unserved(wb, ctx, routes)
        write_routing_notes(wb, ctx, routes)
    if pareto is not None and pareto.plans:
        write_pareto(wb, ctx, pareto)
    if scenarios is not None and len(scenarios) >= 2:
        write_scenarios(wb, ctx, scenarios)
    write_solver_details(wb, ctx)
    _move_hidden_sheets_last(wb)
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            # every report sheet prints landscape, fitted to the page width, even one written without
            # the shared print setup
            if not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage):
                print_setup(ws, None, ctx.page_header)
            set_print_area(ws)
    if not client:
        first_input = len(wb.worksheets)
        add_network_sheets(wb, network, lang)
        for ws in wb.worksheets[first_input:]:
            style_input_sheet(ws, lang, ctx.page_header)
    wb.active = 0
    wb.properties.title = f"{text('title', lang)}: {network.name}"
    wb.properties.creator = COMMENT_AUTHOR
    return wb
