"""The investment plan over the years: what is built where and when, what it costs and what it returns.

A multi-year plan (``Solve`` over all years of the Periods sheet) carries its build schedule, every
year's cash flow, copper and CO2, and its NPV, IRR and paybacks (:class:`optimizer.Plan`'s ``builds``,
``periods`` and figures). This view draws them: headline cards, the build schedule as a timeline (one
row per site), the cash flow per year with the cumulative discounted cash flow, recycled-copper
utilization against each year's target, the per-year table and the per-site table (each site's build
year, capex, NPV, IRR and paybacks from its allocated cash flow, the allocation rule said above it). A
one-year plan shows the same for its one year (the investment its modules imply). The year shown in the
other views is shaded; clicking a year in a chart or the table shows that year everywhere, a site's row
selects the site.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.document import NetworkDocument, plan_of_year
from app.i18n import notifier, tr, tr_n
from app.views.charts import CashFlowChart, TimelineChart, UtilizationChart
from app.views.lazy import LazyView
from app.views.numbers import grouped, money, tonnes
from app.views.results import KpiCard
from optimizer import PeriodEconomics, Plan

#: The per-year table's columns (keys of ``investment.col_*``), left to right.
COLUMNS = (
    "year",
    "utilization",
    "target",
    "copper",
    "revenue",
    "capex",
    "cash_flow",
    "discounted",
    "cumulative",
    "co2_emitted",
    "co2_avoided",
    "co2_avoided_net",
    "sites",
    "jobs",
)


def years_text(value: float | None) -> str:
    """A payback time: "2.4 years", "within the first year" (the optimizer's 0), "–" when never."""
    if value is None:
        return "–"
    if value <= 0:
        return tr("investment.within_first_year")
    return tr("investment.years_value", v=f"{value:,.1f}")


def _site_years(value: float | None) -> str:
    """A site's payback: as :func:`years_text`, but "never" when it does not pay back in the horizon."""
    return tr("investment.site_never") if value is None else years_text(value)


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def year_cells(p: PeriodEconomics) -> list[str]:
    """One row of the per-year table (the order of :data:`COLUMNS`)."""
    return [
        str(p.year),
        percent(p.utilization),
        percent(p.target_utilization),
        f"{grouped(p.copper_delivered_t_cu)} t",
        money(p.revenue_cny),
        money(p.capex_cny),
        money(p.cash_flow_cny),
        money(p.discounted_cash_flow_cny),
        money(p.cumulative_cash_flow_cny),
        tonnes(p.co2_emitted_t),
        tonnes(p.co2_avoided_t),
        tonnes(-p.co2_net_t),  # avoided less emitted: positive when the year avoids more than it emits
        grouped(p.sites_running),
        grouped(p.jobs),
    ]


class InvestmentView(LazyView):
    """The Investment tab over the current scenario's plan and the document's selected year."""

    def __init__(self, doc: NetworkDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc

        self.header = QLabel()
        self.header.setWordWrap(True)
        font = QFont(self.font())
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.header.setFont(font)
        self.stale = QLabel()
        self.stale.setStyleSheet("color: #9a6700; font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.stale)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #57606a;")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #57606a; font-size: 13pt; padding: 40px;")

        self.cards = {k: KpiCard() for k in ("npv", "irr", "payback", "capex", "co2")}
        cards = QHBoxLayout()
        for card in self.cards.values():
            cards.addWidget(card, 1)

        self.timeline = TimelineChart()
        self.cash_chart = CashFlowChart()
        self.utilization_chart = UtilizationChart()
        for chart in (self.timeline, self.cash_chart, self.utilization_chart):
            chart.yearClicked.connect(self.doc.set_selected_year)
        self.timeline.siteClicked.connect(lambda site_id: self.doc.select([site_id], "investment"))
        for chart in (self.cash_chart, self.utilization_chart):
            chart.setMaximumHeight(320)  # cards, schedule and both charts fit a 768-pixel-high screen

        self.table_title = QLabel()
        self.table_title.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._row_selected)

        self.site_title = QLabel()
        self.site_title.setStyleSheet("font-weight: bold;")
        self.site_title.setWordWrap(True)
        self.site_table = QTableWidget(0, 0)
        self.site_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.site_table.setAlternatingRowColors(True)
        self.site_table.verticalHeader().setDefaultSectionSize(22)
        self.site_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.site_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.site_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.site_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.site_table.itemSelectionChanged.connect(self._site_selected)
        self.site_rule = QLabel()
        self.site_rule.setWordWrap(True)
        self.site_rule.setStyleSheet("color: #57606a;")

        charts = QGridLayout()
        charts.addWidget(self.cash_chart, 0, 0)
        charts.addWidget(self.utilization_chart, 0, 1)
        charts.setColumnStretch(0, 1)
        charts.setColumnStretch(1, 1)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.empty)
        layout.addLayout(cards)
        layout.addWidget(self.timeline)
        layout.addLayout(charts)
        layout.addWidget(self.table_title)
        layout.addWidget(self.table)
        layout.addWidget(self.site_title)
        layout.addWidget(self.site_rule)
        layout.addWidget(self.site_table)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._content: list[QWidget] = [
            *self.cards.values(),
            self.timeline,
            self.cash_chart,
            self.utilization_chart,
            self.table_title,
            self.table,
            self.site_title,
            self.site_rule,
            self.site_table,
        ]

        doc.planChanged.connect(self.refresh_when_shown)
        doc.networkChanged.connect(self._update_stale)
        doc.selectedYearChanged.connect(lambda _year: self._mark_year())
        notifier.changed.connect(lambda _lang: self.refresh_when_shown())

    # ---- drawing -------------------------------------------------------------------------------
    def _update_stale(self) -> None:
        self.stale.setText(tr("results.stale") if self.doc.current.plan_stale else "")

    def refresh(self) -> None:
        self._dirty = False
        self._update_stale()
        plan = self.doc.plan
        has = plan is not None and plan.has_solution and bool(plan.periods)
        for w in self._content:
            w.setVisible(has)
        self.empty.setVisible(not has)
        self.note.setVisible(has)
        if plan is None or not has:
            self.header.setText(tr("investment.title_empty"))
            if plan is None:
                self.empty.setText(tr("investment.empty"))
            else:
                self.empty.setText(
                    tr("investment.no_solution" if not plan.has_solution else "investment.no_periods")
                )
            self.table.setRowCount(0)
            return
        status = tr(f"plan_status.{plan.status.value}")
        years = [p.year for p in plan.periods]
        multi = bool(plan.year_plans)
        self.header.setText(
            tr(
                "investment.title",
                name=self.doc.network.name,
                first=years[0],
                last=years[-1],
                status=status,
            )
            if multi
            else tr("investment.title_one_year", name=self.doc.network.name, year=years[0], status=status)
        )
        rate = plan.discount_rate
        self.note.setText(
            tr("investment.note", rate=percent(rate)) if multi else tr("investment.note_one_year")
        )
        self._cards(plan)
        self._draw_timeline(plan, years)
        self.cash_chart.set_title(tr("investment.cash_chart"))
        self.cash_chart.set_flows(
            years,
            [p.cash_flow_cny for p in plan.periods],
            _cumulative_discounted(plan.periods),
            (tr("investment.cash_flow"), tr("investment.cumulative")),
        )
        self.cash_chart.getPlotItem().setLabel("left", "")
        self.utilization_chart.set_title(tr("investment.utilization_chart"))
        self.utilization_chart.set_values(
            years,
            [100 * p.utilization for p in plan.periods],
            [None if p.target_utilization is None else 100 * p.target_utilization for p in plan.periods],
            (tr("investment.utilization"), tr("investment.target")),
        )
        self.utilization_chart.getPlotItem().setLabel("left", "%")
        self._fill_table(plan)
        self._fill_site_table(plan)
        self._mark_year()

    def _cards(self, plan: Plan) -> None:
        periods = plan.periods
        capex = sum(b.capex_cny for b in plan.builds)
        avoided = sum(p.co2_avoided_t for p in periods)
        net = sum(p.co2_net_t for p in periods)
        npv = "–" if plan.npv_cny is None else money(plan.npv_cny)
        self.cards["npv"].set(
            tr("investment.npv"), npv, tr("investment.npv_detail", rate=percent(plan.discount_rate))
        )
        if plan.irr is None:
            irr_detail = (
                tr("investment.irr_none_no_outflow")
                if all(p.cash_flow_cny >= 0 for p in periods)
                else tr("investment.irr_none")
            )
            self.cards["irr"].set(tr("investment.irr"), "–", irr_detail)
        else:
            self.cards["irr"].set(tr("investment.irr"), percent(plan.irr), tr("investment.irr_detail"))
        self.cards["payback"].set(
            tr("investment.payback"),
            years_text(plan.payback_years),
            tr("investment.payback_detail", v=years_text(plan.discounted_payback_years)),
        )
        self.cards["capex"].set(
            tr("investment.capex"), money(capex), tr_n("investment.capex_detail", len(plan.builds))
        )
        # said as a planner reads it: "net avoided 1,200 t", never "net -1,200 t" (emitted - avoided)
        net_detail = (
            tr("investment.co2_net_avoided", net=tonnes(-net))
            if net <= 0
            else tr("investment.co2_net_emitted", net=tonnes(net))
        )
        self.cards["co2"].set(tr("investment.co2"), tonnes(avoided), net_detail)

    def _draw_timeline(self, plan: Plan, years: list[int]) -> None:
        """One row per site that runs in some year or is built; a bar over its running years, a diamond
        at each build."""
        net = self.doc.current.plan_network or self.doc.network
        names = {s.id: s.name for s in net.sites}
        running: dict[str, list[int]] = {}
        for year in years:
            for site in plan_of_year(plan, year, net).sites:
                running.setdefault(site.site_id, []).append(year)
        order = list(dict.fromkeys([*(b.site_id for b in plan.builds), *running]))
        rows = [(site_id, names.get(site_id) or site_id) for site_id in order]
        builds = []
        for b in plan.builds:
            label = tr("investment.build_label", module=b.module_id, capex=money(b.capex_cny, 1))
            tip = tr(
                "investment.build_tip",
                site=names.get(b.site_id) or b.site_id,
                module=b.module_id,
                year=b.year,
                capacity=grouped(b.capacity_t),
                capex=money(b.capex_cny),
            )
            builds.append((b.site_id, b.year, label, tip))
        self.timeline.set_title(tr("investment.timeline") if plan.builds else tr("investment.timeline_none"))
        self.timeline.set_schedule(years, rows, running, builds)

    def _fill_table(self, plan: Plan) -> None:
        self.table_title.setText(tr("investment.table"))
        self.table.setHorizontalHeaderLabels([tr(f"investment.col_{k}") for k in COLUMNS])
        for c, key in enumerate(COLUMNS):
            header = self.table.horizontalHeaderItem(c)
            if header is not None and key in ("cumulative", "sites", "co2_avoided_net"):
                header.setToolTip(tr(f"investment.col_{key}_tip"))
        self.table.blockSignals(True)
        self.table.setRowCount(len(plan.periods))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, p in enumerate(plan.periods):
            for c, text in enumerate(year_cells(p)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, p.year)
                if c > 0:
                    item.setTextAlignment(right)
                if p.cash_flow_cny < 0 and COLUMNS[c] == "cash_flow":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        self.table.setFixedHeight(
            self.table.horizontalHeader().sizeHint().height()
            + 22 * len(plan.periods)
            + 2 * self.table.frameWidth()
            # room for the horizontal scroll bar a narrow window needs, so no year's row is hidden
            + self.table.horizontalScrollBar().sizeHint().height()
            + 4
        )

    def _fill_site_table(self, plan: Plan) -> None:
        """One row per site (``plan.site_economics``): build year, capex, NPV, IRR, paybacks, then its
        allocated cash flow per year and over all years; a row for the direct deliveries no site owns
        (when there are any) and the network's row, so each year's column sums to the plan's."""
        net = self.doc.current.plan_network or self.doc.network
        names = {s.id: s.name for s in net.sites}
        figures = list(plan.site_economics)
        multi = bool(plan.year_plans)
        self.site_title.setText(tr("investment.site_table"))
        self.site_rule.setText(tr("investment.site_rule"))
        keys = ["build_year", "capex", *(("npv", "irr", "payback", "discounted") if multi else ())]
        years = [str(p.year) for p in plan.periods]
        labels = [tr(f"investment.site_col_{k}") for k in keys] + [*years, tr("investment.site_total")]
        direct = [p.cash_flow_cny - sum(p.site_allocated_cash_flow_cny.values()) for p in plan.periods]
        rows: list[tuple[str, str | None, list[str], list[float]]] = []
        for e in figures:
            cells = ["–" if e.build_year is None else str(e.build_year), money(e.capex_cny)]
            if multi:
                cells += [
                    "–" if e.npv_cny is None else money(e.npv_cny),
                    percent(e.irr),
                    _site_years(e.payback_years),
                    _site_years(e.discounted_payback_years),
                ]
            rows.append((names.get(e.site_id) or e.site_id, e.site_id, cells, list(e.cash_flow_cny)))
        blank = [""] * len(keys)
        if figures and any(abs(x) > 0.5 for x in direct):
            rows.append((tr("investment.site_direct"), None, blank, direct))
        if figures:
            rows.append((tr("investment.site_network"), None, blank, [p.cash_flow_cny for p in plan.periods]))
        self.site_table.blockSignals(True)
        self.site_table.clearSelection()
        self.site_table.setRowCount(len(rows))
        self.site_table.setColumnCount(len(labels))
        self.site_table.setHorizontalHeaderLabels(labels)
        self.site_table.setVerticalHeaderLabels([name for name, *_ in rows])
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        bold = QFont(self.site_table.font())
        bold.setBold(True)
        for r, (_name, site_id, cells, values) in enumerate(rows):
            texts = [*cells, *(money(v) for v in values), money(sum(values))]
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setTextAlignment(right)
                item.setData(Qt.ItemDataRole.UserRole, site_id)
                if site_id is None and r == len(rows) - 1:
                    item.setFont(bold)
                self.site_table.setItem(r, c, item)
        self.site_table.blockSignals(False)
        self.site_table.setFixedHeight(
            self.site_table.horizontalHeader().sizeHint().height()
            + 22 * len(rows)
            + 2 * self.site_table.frameWidth()
            + self.site_table.horizontalScrollBar().sizeHint().height()
            + 4
        )
        visible = bool(rows)
        self.site_title.setVisible(visible)
        self.site_rule.setVisible(visible)
        self.site_table.setVisible(visible)

    def _site_selected(self) -> None:
        """A click on a site's row selects the site (on the map, in the tables, in the inspector)."""
        items = self.site_table.selectedItems()
        site_id = items[0].data(Qt.ItemDataRole.UserRole) if items else None
        if site_id:
            self.doc.select([str(site_id)], "investment")

    def _mark_year(self) -> None:
        """Shade the selected year in the charts and select its table row."""
        year = self.doc.selected_year
        for chart in (self.timeline, self.cash_chart, self.utilization_chart):
            chart.mark_year(year)
        self.table.blockSignals(True)
        self.table.clearSelection()
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == year:
                self.table.selectRow(r)
        self.table.blockSignals(False)

    def _row_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            item = self.table.item(rows[0].row(), 0)
            if item is not None:
                self.doc.set_selected_year(int(item.data(Qt.ItemDataRole.UserRole)))


def _cumulative_discounted(periods: tuple[PeriodEconomics, ...]) -> list[float]:
    """The running sum of the discounted cash flows (its last value is the NPV)."""
    total, out = 0.0, []
    for p in periods:
        total += p.discounted_cash_flow_cny
        out.append(total)
    return out
