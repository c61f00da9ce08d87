"""The executive summary: the first page a client reads says what to build, where, for how much and what
it returns, with the plan's own figures; a figure the plan lacks is said to be missing; the map is a
native scatter chart on cells that hold the plan's sites and smelters; the page prints as one page.

The teaching network is solved once (a fraction of a second) and its report built in memory.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest

from optimizer.design.options import SolveOptions
from optimizer.design.plan import Plan
from optimizer.design.solve import solve
from optimizer.model import Network
from optimizer.report.economics import build_years, economics_of
from optimizer.report.executive import SITES_ROW, TILE_ROW
from optimizer.report.headline import local_name, money
from optimizer.report.labels import text
from optimizer.report.plan_map import OUTLINE_MAX_POINTS
from optimizer.report.plan_report import plan_report_workbook

TODAY = datetime.date(2026, 3, 1)


@pytest.fixture(scope="module")
def teaching(teaching_network: Network) -> tuple[Network, Plan]:
    plan = solve(teaching_network, SolveOptions(time_limit_s=30, mip_gap=0.01))
    assert plan.has_solution
    return teaching_network, plan


def _texts(ws: Any) -> list[str]:
    return [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_headline_names_every_new_site_and_the_plans_profit(teaching: Any, lang: str) -> None:
    network, plan = teaching
    ws = plan_report_workbook(network, plan, lang=lang, created=TODAY).worksheets[0]
    headline = ws["A4"].value
    for site in plan.sites:
        assert site.is_new
        assert local_name(site.name, lang) in headline
        assert f"{site.capacity_t:,.0f}" in headline
    assert money(plan.kpis.profit_cny, lang) in headline
    assert f"{plan.kpis.copper_delivered_t_cu:,.0f}" in headline
    assert f"{100 * plan.kpis.utilization:.1f} %" in headline
    if lang == "en":
        assert headline.startswith(f"Build {len(plan.sites)} new sites: ")
    else:
        assert headline.startswith(f"新建 {len(plan.sites)} 个站点")


def test_tiles_show_the_plans_figures_and_say_which_ones_it_lacks(teaching: Any) -> None:
    network, plan = teaching
    ws = plan_report_workbook(network, plan, created=TODAY).worksheets[0]
    labels = [ws.cell(row=TILE_ROW, column=c).value for c in (1, 2, 4, 7, 11)]
    values = [ws.cell(row=TILE_ROW + 1, column=c).value for c in (1, 2, 4, 7, 11)]
    assert labels == [
        "Investment",
        "Profit per year",
        "Payback",
        "Copper recovered per year",
        "CO2 emitted per year",
    ]
    # a single-year plan carries no capex, payback or avoided CO2: the tiles say so, with no number
    econ = economics_of(plan)
    assert econ.investment_cny is None and econ.payback_years is None and build_years(plan) == {}
    assert values[0] == values[2] == text("not_in_plan", "en")
    assert values[1] == pytest.approx(plan.kpis.profit_cny)
    assert values[3] == pytest.approx(plan.kpis.copper_delivered_t_cu)
    assert values[4] == pytest.approx(plan.kpis.co2_t)
    assert ws.cell(row=TILE_ROW + 1, column=2).number_format == '#,##0.0,," M CNY"'
    assert ws.cell(row=TILE_ROW + 2, column=11).value == text("no_avoided", "en")


def test_tiles_use_the_investment_figures_when_the_plan_carries_them(teaching: Any) -> None:
    """A multi-year plan's fields are read as dataclasses or as the JSON's dicts."""
    _network, plan = teaching

    @dataclasses.dataclass(frozen=True)
    class Build:
        site_id: str
        module_id: str
        year: int
        capex_cny: float

    @dataclasses.dataclass(frozen=True)
    class Invested:
        kpis: Any
        builds: tuple[Build, ...]
        periods: tuple[dict[str, Any], ...]
        npv_cny: float
        irr: float
        payback_years: float

    invested: Any = Invested(
        plan.kpis,
        (Build("D-LQ", "D10", 2025, 18e6), Build("S-LQ", "S5", 2026, 20e6)),
        ({"year": 2025, "co2_avoided_t": 3000.0}, {"year": 2026, "co2_avoided_t": 5000.0}),
        120e6,
        0.31,
        2.1,
    )
    econ = economics_of(invested)
    assert econ.investment_cny == 38e6
    assert econ.co2_avoided_t_per_year == 4000.0
    assert (econ.npv_cny, econ.irr, econ.payback_years) == (120e6, 0.31, 2.1)
    assert (econ.first_year, econ.last_year) == (2025, 2026)
    assert build_years(invested) == {"D-LQ": 2025, "S-LQ": 2026}


def test_the_map_is_a_scatter_chart_of_the_plans_nodes(teaching: Any) -> None:
    network, plan = teaching
    wb = plan_report_workbook(network, plan, created=TODAY)
    ws = wb.worksheets[0]
    (chart,) = ws._charts
    assert chart.tagname == "scatterChart"
    data = wb["Map data"]
    assert data.sheet_state == "hidden"
    assert wb.sheetnames.index("Map data") > wb.sheetnames.index("Solver details")
    series = {}
    for s in chart.series:
        title = s.tx.strRef.f if s.tx.strRef is not None else s.tx.v
        xs = s.xVal.numRef.f.split("!")[1].replace("$", "")
        ys = s.yVal.numRef.f.split("!")[1].replace("$", "")
        points = [
            (x.value, y.value) for (x,), (y,) in zip(data[xs], data[ys], strict=True) if x.value is not None
        ]
        series[title] = points
    by_title = {text(k, "en"): k for k in ("map_new_sites", "map_smelters", "map_points")}
    assert set(by_title) <= set(series)
    new = {(s.lon, s.lat) for s in plan.sites if s.is_new}
    assert set(series[text("map_new_sites", "en")]) == new
    used = {m.smelter_id for m in plan.smelters if m.intake_t > 0}
    assert set(series[text("map_smelters", "en")]) == {
        (m.lon, m.lat) for m in network.smelters if m.id in used
    }
    assert len(series[text("map_points", "en")]) == len(network.collection_points)
    # every delivery arc is a segment: two points and a gap
    deliveries = series[text("map_delivery_flows", "en")]
    assert len(deliveries) == 2 * len({(f.from_id, f.to_id) for f in plan.flows if f.echelon != "collection"})
    assert chart.anchor == f"I{SITES_ROW}"
    # the orientation layer (the app's coast and province outlines) lies under the network, thinned
    outline = series[text("map_outline", "en")]
    assert chart.series[0].tx.v == text("map_outline", "en")
    assert 10 < len(outline) <= OUTLINE_MAX_POINTS + 200  # + each polyline's last point
    lons = [p[0] for p in series[text("map_points", "en")]]
    assert any(min(lons) - 1 <= x <= max(lons) + 1 for x, _y in outline)


def test_the_summary_prints_on_one_page_and_names_the_edition(teaching: Any) -> None:
    network, plan = teaching
    for edition, label in (("full", "full edition"), ("client", "client edition")):
        ws = plan_report_workbook(network, plan, created=TODAY, edition=edition).worksheets[0]
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.orientation == "landscape"
        assert ws.print_area is not None and "$A$1:$N$" in ws.print_area
        assert ws["A2"].value.endswith(label)


def test_a_plan_without_a_solution_gets_a_summary_that_says_so(teaching: Any) -> None:
    network, _plan = teaching
    plan = solve(network, SolveOptions(objective="cost", target_utilization=0.9, budget_cny=1.0))
    assert not plan.has_solution
    ws = plan_report_workbook(network, plan, created=TODAY).worksheets[0]
    assert ws["A4"].value == "No plan was found: the Solver details sheet says why."
    assert not ws._charts
    assert _texts(ws).count(text("not_in_plan", "en")) == 5
