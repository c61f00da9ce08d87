"""The multi-year investment plan in the app: Solve over the Periods, the Investment tab, the year shown.

Most tests use :func:`growth_network`, small enough to work out by hand: one yard P1 with 100 t/yr of
grade A (50 % Cu, bought at 100 CNY/t), one candidate sorting center S1 and a smelter paying 1,000 CNY/t
Cu; the yard is too far from the smelter to sell to it directly. Through S1 a tonne earns 500 - 100
purchase - 30 transport (10 + 20 km at 1 CNY/t-km) - 10 processing = 360 CNY, so 36,000 CNY a year at
the base supply. S1 costs 50,000 CNY/yr to run and 20,000 CNY of capex; supply is x1 in 2025 and x3 in
2026 and 2027; no discounting, taxes or residual value. Built for 2025 it loses 14,000 in 2025; built
for 2026 it earns 2 x (108,000 - 50,000) - 20,000 = 96,000, the optimum.
"""

from __future__ import annotations

import html
import time
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from app import i18n
from app.main_window import MainWindow
from app.views.numbers import money
from optimizer import (
    MultiYearOptions,
    Objective,
    PlanStatus,
    SolveOptions,
    single_period,
    solve,
    solve_multiyear,
)
from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    DistanceOverride,
    Grade,
    Network,
    Parameters,
    Period,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    YieldEntry,
)
from tests.app.helpers import open_in, wait_idle
from tests.app.test_chinese_ui import english_left, network_names, widget_texts

NPV = 96_000.0


def growth_network() -> Network:
    grades = (Grade("A", "grade A", "A级", 0.5),)
    points = (CollectionPoint("P1", "Yard", 30.0, 120.0, "Zhejiang", (Supply("A", 100.0, 100.0),)),)
    module = CapacityModule("M", 1_000.0, 9_000.0, 20_000.0, 0, 50_000.0, 20.0, 12)
    sites = (
        ProcessingSite(
            "S1",
            "Center",
            SiteKind.SORTING,
            30.1,
            120.0,
            "Zhejiang",
            SiteStatus.CANDIDATE,
            (module,),
            10.0,
            0.0,
            (YieldEntry("A", "A", 1.0),),
        ),
    )
    smelters = (Smelter("M1", "Smelter", 31.0, 120.0, "Anhui", 5_000.0, ("A",), 0.0),)
    distances = (
        DistanceOverride("P1", "S1", 10.0),
        DistanceOverride("S1", "M1", 20.0),
        DistanceOverride("P1", "M1", 100.0),
    )
    params = Parameters(
        copper_price_cny_per_t=1_000.0,
        transport_cost_cny_per_t_km=1.0,
        co2_kg_per_t_km=0.0,
        max_haul_km_collection=50.0,
        discount_rate=0.0,
        vat_method="none",  # type: ignore[arg-type]
        income_tax_rate=0.0,
        residual_value="none",  # type: ignore[arg-type]
    )
    periods = (Period(2025, 1, 1.0), Period(2026, 1, 3.0), Period(2027, 1, 3.0))
    return Network("Growth", grades, points, sites, smelters, (), params, distances, periods)


def solve_in(qtbot: QtBot, window: MainWindow) -> None:
    """Press Solve with the mouse and wait for the plan."""
    qtbot.mouseClick(window.solve_panel.solve_button, Qt.MouseButton.LeftButton)
    assert window.runner.busy or window.doc.plan is not None
    wait_idle(window, 120)


@pytest.fixture
def solved(qtbot: QtBot, window: MainWindow) -> MainWindow:
    """The window with :func:`growth_network` solved over its three years from the solve panel."""
    window.doc.load(growth_network())
    panel = window.solve_panel
    assert panel.years.isVisible() and panel.multi_year()
    assert [panel.years.itemData(i) for i in range(panel.years.count())] == [0, 2025, 2026, 2027]
    assert [panel.objective.itemData(i) for i in range(panel.objective.count())] == ["npv", "cost"]
    assert not panel.target_on.isEnabled(), "over all years the targets come from the Periods sheet"
    solve_in(qtbot, window)
    plan = window.doc.plan
    assert plan is not None and plan.status is PlanStatus.OPTIMAL, panel.result.text()
    return window


def test_solving_over_the_years_in_the_app_gives_the_direct_plan(solved: MainWindow) -> None:
    plan = solved.doc.plan
    assert plan is not None
    direct = solve_multiyear(growth_network(), MultiYearOptions())
    assert plan.npv_cny == pytest.approx(direct.npv_cny) == pytest.approx(NPV)
    schedule = [(b.site_id, b.module_id, b.year) for b in plan.builds]
    assert schedule == [(b.site_id, b.module_id, b.year) for b in direct.builds] == [("S1", "M", 2026)]
    assert [p.year for p in plan.periods] == [2025, 2026, 2027]
    assert solved.doc.years == [2025, 2026, 2027]
    assert solved.doc.selected_year == 2027, "a new plan shows its last year (the plan's own sites)"


def test_the_investment_tab_draws_the_schedule_cash_flow_and_years(solved: MainWindow) -> None:
    solved.show_view("investment")
    view = solved.investment_view
    assert view.timeline.isVisible()
    assert view.timeline.rows == ["S1"]
    assert view.timeline.years == [2025, 2026, 2027]
    assert view.timeline.markers is not None
    spots = [(p.pos().x(), p.pos().y()) for p in view.timeline.markers.points()]
    assert spots == [(2026.0, 0.0)], "one diamond: S1 built for 2026"
    tip = view.timeline.markers.points()[0].data()
    assert "Center" in tip and "2026" in tip and money(20_000.0) in tip
    assert view.cards["npv"].value.text() == money(NPV)
    assert view.cards["capex"].value.text() == money(20_000.0)
    # 2025: -0, 2026: 108,000 - 50,000 - 20,000 capex = 38,000: paid back within the first year it runs
    assert [view.table.item(r, 0).text() for r in range(view.table.rowCount())] == ["2025", "2026", "2027"]
    cash = [view.table.item(r, 6).text() for r in range(view.table.rowCount())]
    assert cash == [money(0.0), money(38_000.0), money(58_000.0)]
    # S1 is the only site and the yard cannot sell to the smelter directly, so S1's allocated cash flow
    # is the network's: built 2026, capex 20,000, NPV 96,000, no negative year (no IRR), paid back at once
    sites = view.site_table
    assert [sites.verticalHeaderItem(r).text() for r in range(sites.rowCount())] == ["Center", "Network"]
    row = [sites.item(0, c).text() for c in range(sites.columnCount())]
    assert row == [
        "2026",
        money(20_000.0),
        money(NPV),
        "–",
        "< 1 year",
        "< 1 year",
        money(0.0),
        money(38_000.0),
        money(58_000.0),
        money(96_000.0),
    ]
    assert [sites.item(1, c).text() for c in range(6, 10)] == row[6:]
    assert "copper share" in view.site_rule.text()


def test_the_solve_panels_log_shows_the_solvers_lines_named_by_the_years(solved: MainWindow) -> None:
    """The multi-year solve's HiGHS lines reach the panel's log as a one-year solve's do, each named by
    the years its model covers (growth_network is small: one MILP over 2025-2027)."""
    log = solved.solve_panel.log.toPlainText().splitlines()
    named = [line for line in log if line.startswith("2025-2027: ")]
    assert len(named) >= 3, log[:10]


def test_a_click_on_a_sites_row_selects_the_site(qtbot: QtBot, solved: MainWindow) -> None:
    solved.show_view("investment")
    sites = solved.investment_view.site_table
    picked: list[list[str]] = []
    solved.doc.selectionChanged.connect(lambda ids, _source: picked.append(list(ids)))
    rect = sites.visualRect(sites.model().index(0, 2))
    qtbot.mouseClick(sites.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert picked[-1:] == [["S1"]]
    # the map's inspector shows the site's investment lines: built 2026, capex, NPV, IRR, payback
    text = html.unescape(solved.map_view.inspector.text())
    for shown in ("Built", "2026", money(20_000.0), "NPV", money(NPV), "IRR", "Payback", "< 1 year"):
        assert shown in text, shown
    rect = sites.visualRect(sites.model().index(1, 2))  # the network's row selects no site
    qtbot.mouseClick(sites.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert picked[-1:] == [["S1"]]


def test_the_year_selector_shows_that_years_plan_in_results(qtbot: QtBot, solved: MainWindow) -> None:
    solved.show_view("results")
    results = solved.results_view
    assert results.year.isVisible() and results.year.currentText() == "2027"
    assert results.flow_model.rowCount() == 2, "2027: yard -> S1 -> smelter"
    assert results.cards["utilization"].value.text() == "100.0 %"
    results.year.setFocus()
    qtbot.keyClick(results.year, Qt.Key.Key_Home)  # the first year, 2025: S1 is not built yet
    assert solved.doc.selected_year == 2025
    assert results.year.currentText() == "2025"
    assert results.flow_model.rowCount() == 0
    assert results.cards["utilization"].value.text() == "0.0 %"
    assert "2025" in results.header.text()
    # a click on a year's row of the Investment table shows that year everywhere
    solved.show_view("investment")
    table = solved.investment_view.table
    rect = table.visualRect(table.model().index(1, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert solved.doc.selected_year == 2026
    solved.show_view("results")
    assert results.year.currentText() == "2026" and results.flow_model.rowCount() == 2


def test_one_year_of_the_periods_is_solved_alone(qtbot: QtBot, window: MainWindow) -> None:
    network = growth_network()
    window.doc.load(network)
    panel = window.solve_panel
    panel.years.setFocus()
    qtbot.keyClick(panel.years, Qt.Key.Key_Down)
    qtbot.keyClick(panel.years, Qt.Key.Key_Down)
    assert panel.single_year() == 2026 and not panel.multi_year()
    assert [panel.objective.itemData(i) for i in range(panel.objective.count())] == [
        o.value for o in Objective
    ]
    assert panel.target_on.isEnabled()
    solve_in(qtbot, window)
    plan = window.doc.plan
    assert plan is not None and plan.status is PlanStatus.OPTIMAL
    one_year = single_period(network, 2026)
    assert one_year is not None
    direct = solve(one_year, SolveOptions(objective=Objective.PROFIT))
    assert plan.objective == pytest.approx(direct.objective)
    assert plan.kpis is not None and plan.kpis.supply_t == pytest.approx(300.0), "2026's supply, x3"
    assert window.doc.years == [] and window.doc.selected_year is None
    window.show_view("results")
    assert not window.results_view.year.isVisible()
    # as on the command line, a one-year plan carries the investment its modules imply
    assert [(b.site_id, b.module_id) for b in plan.builds] == [("S1", "M")] and len(plan.periods) == 1
    window.show_view("investment")
    view = window.investment_view
    assert "one-year plan" in view.header.text() and view.timeline.rows == ["S1"]
    assert view.cards["capex"].value.text() == money(20_000.0)


def test_a_multi_year_plan_survives_save_and_reopen(solved: MainWindow, tmp_path: Path) -> None:
    plan = solved.doc.plan
    assert plan is not None
    path = tmp_path / "growth.xlsx"
    assert solved.save_to(path)
    reopened = MainWindow()
    try:
        reopened.show()
        open_in(reopened, path)
        again = reopened.doc.plan
        assert again is not None and not reopened.doc.current.plan_stale
        assert again.to_dict() == plan.to_dict()
        assert [(b.site_id, b.year) for b in again.builds] == [("S1", 2026)]
        assert len(again.year_plans) == 3
        reopened.show_view("investment")
        view = reopened.investment_view
        assert view.timeline.rows == ["S1"] and view.table.rowCount() == 3
        assert view.cards["npv"].value.text() == money(NPV)
    finally:
        reopened.doc.undo_stack.setClean()
        reopened.close()


def test_cancel_stops_a_multi_year_solve(qtbot: QtBot, window: MainWindow, sample_dir: Path) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    panel = window.solve_panel
    assert panel.multi_year()
    panel.time_limit.setValue(120)
    qtbot.mouseClick(panel.solve_button, Qt.MouseButton.LeftButton)
    assert window.runner.busy
    qtbot.waitUntil(lambda: panel._last is not None, timeout=60_000)  # the child is building or solving
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    cancelled_at = time.monotonic()
    wait_idle(window, 60)
    assert time.monotonic() - cancelled_at < 30, "Cancel ends the job (the limit was 120 s)"
    plan = window.doc.plan
    if plan is None:  # nothing found yet: the job process was ended
        assert panel.result.text() == i18n.tr("solve.cancelled_empty")
    else:
        assert plan.status is PlanStatus.CANCELLED
    assert panel.solve_button.isEnabled() and not panel.cancel_button.isEnabled()


def test_the_investment_tab_in_chinese_shows_no_english(qtbot: QtBot, solved: MainWindow) -> None:
    i18n.set_language("zh")
    try:
        solved.show_view("investment")
        qtbot.wait(20)
        view = solved.investment_view
        names = network_names(solved)
        texts = widget_texts(view)
        texts += widget_texts(solved.results_view.year.parentWidget())
        texts += widget_texts(solved.solve_panel)
        for chart in (view.timeline, view.cash_chart, view.utilization_chart):
            texts.append(("chart title", chart.getPlotItem().titleLabel.text))
            legend = chart.getPlotItem().legend
            if legend is not None:
                texts += [("legend", label.text) for _sample, label in legend.items]
        assert view.timeline.markers is not None
        texts += [("build tooltip", str(p.data())) for p in view.timeline.markers.points()]
        problems = [
            f"{where}: {bad!r} in {text!r}" for where, text in texts for bad in english_left(text, names)
        ]
        assert not problems, "\n".join(problems)
        assert any("净现值" in text for _w, text in texts)
        # the multi-year solve's last step is a message too, said again in Chinese
        assert solved.solve_panel.phase.text().startswith("完成")
        assert "optimal" not in solved.solve_panel.phase.text()
        assert view.cards["payback"].value.text() == "不足 1 年"
        assert len(texts) > 60, "the walk reached the widgets"
    finally:
        i18n.set_language("en")


def test_a_period_of_several_years_is_offered_as_its_span(window: MainWindow) -> None:
    network = growth_network().replace(periods=(Period(2025, 1, 1.0), Period(2026, 2, 3.0)))
    window.doc.load(network)
    panel = window.solve_panel
    texts = [panel.years.itemText(i) for i in range(panel.years.count())]
    assert texts == ["All years (2025–2027)", "2025 only", "2026–2027 only"]
    window.doc.load(network.replace(periods=()))
    assert panel.years.count() == 0 and not panel.multi_year() and panel.single_year() is None
    assert [panel.objective.itemData(i) for i in range(panel.objective.count())] == [
        o.value for o in Objective
    ]


def click_at(qtbot: QtBot, chart: pg.PlotWidget, x: float, y: float) -> None:
    """A real left click on ``chart`` at the data point (x, y)."""
    scene = chart.getViewBox().mapViewToScene(QPointF(x, y))
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.mapFromScene(scene))


def test_a_click_in_a_chart_shows_that_year_and_in_the_schedule_selects_the_site(
    qtbot: QtBot, solved: MainWindow
) -> None:
    solved.show_view("investment")
    view = solved.investment_view
    qtbot.wait(50)
    click_at(qtbot, view.cash_chart, 2025.0, 1_000.0)
    assert solved.doc.selected_year == 2025
    assert view.table.selectionModel().selectedRows()[0].row() == 0, "the table follows"
    click_at(qtbot, view.timeline, 2026.0, 0.0)  # on S1's diamond
    assert solved.doc.selected_year == 2026
    assert solved.doc.selection == ["S1"]
