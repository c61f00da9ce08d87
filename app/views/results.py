"""What the plan says: KPI cards, cost and capacity charts, utilization by grade and province, the flow
table, the trade-off (Pareto) chart and, when the requirements cannot all hold, why, in plain words.

A multi-year plan is shown one year at a time: the Year selector picks the document's selected year
(shared with the Investment tab and the map), and cards, charts and the flow table show that year's
own plan."""

from __future__ import annotations

from html import escape
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.document import NetworkDocument
from app.i18n import language, notifier, tr, tr_n
from app.jobs import JobRunner
from app.views.charts import PALETTE, BarChart
from app.views.labels import plan_origin
from app.views.lazy import LazyView
from app.views.map_view import grade_colour
from app.views.numbers import GroupedAxis, MoneyAxis, money, tonnes
from optimizer import Flow, Plan, PlanStatus, plan_status_message

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_SITE_BARS = 20


def _money(v: float) -> str:
    """CNY with a unit a planner reads at a glance: 1.2 M, 35.0 M, 1.3 B (万/亿 in Chinese)."""
    return money(v)


def _amount(value: float, unit: str) -> str:
    """A shortfall figure with its unit: fractions as percentages, money and tonnes grouped."""
    if unit == "fraction":
        return f"{100 * value:.1f} %"
    if unit in ("CNY", "CNY/yr"):
        return _money(value)
    return f"{value:,.0f} {unit}" if abs(value) >= 10 else f"{value:,.2f} {unit}"


class KpiCard(QFrame):
    """A big number with its caption and a smaller detail line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpi")
        self.setStyleSheet("#kpi { background: white; border: 1px solid #d0d7de; border-radius: 6px; }")
        self.caption = QLabel()
        self.caption.setStyleSheet("color: #57606a;")
        self.value = QLabel("–")
        font = QFont(self.font())
        font.setPointSize(font.pointSize() + 7)
        font.setBold(True)
        self.value.setFont(font)
        self.detail = QLabel()
        self.detail.setStyleSheet("color: #57606a;")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def set(self, caption: str, value: str, detail: str = "") -> None:
        self.caption.setText(caption)
        self.value.setText(value)
        self.detail.setText(detail)


class FlowTableModel(QAbstractTableModel):
    """The plan's flows, one row per arc and grade, largest first.

    Cell texts are formatted once per plan (a national plan has thousands of flows, and a view asks for
    every visible cell on each repaint).
    """

    KEYS = ("from", "to", "echelon", "grade", "t", "t_cu", "km", "cost", "co2")
    NUMERIC = frozenset({"t", "t_cu", "km", "cost", "co2"})
    _RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.flows: list[Flow] = []
        self._text: list[tuple[str, ...]] = []
        self._sort: list[tuple[Any, ...]] = []

    def set_plan(self, plan: Plan | None, names: dict[str, str], grade_names: dict[str, str]) -> None:
        self.beginResetModel()
        self.flows = sorted((plan.flows if plan is not None else ()), key=lambda f: -f.t)
        echelon = {e: tr(f"echelon.{e}") for e in ("collection", "transfer", "delivery")}
        self._text = [
            (
                f"{f.from_id} {names.get(f.from_id, '')}".rstrip(),
                f"{f.to_id} {names.get(f.to_id, '')}".rstrip(),
                echelon.get(f.echelon, f.echelon),
                grade_names.get(f.grade_id, f.grade_id),
                f"{f.t:,.0f}",
                f"{f.t_cu:,.1f}",
                f"{f.km:,.1f}",
                f"{f.cost_cny:,.0f}",
                f"{f.co2_t:,.1f}",
            )
            for f in self.flows
        ]
        self._sort = [
            (f.from_id, f.to_id, str(f.echelon), f.grade_id, f.t, f.t_cu, f.km, f.cost_cny, f.co2_t)
            for f in self.flows
        ]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.flows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.KEYS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(f"flows.{self.KEYS[section]}")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python on the prepared keys (a proxy model would call data() n log n times)."""
        if not 0 <= column < len(self.KEYS) or not self.flows:
            return
        self.layoutAboutToBeChanged.emit()
        rows = sorted(
            range(len(self.flows)),
            key=lambda r: self._sort[r][column],
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self.flows = [self.flows[r] for r in rows]
        self._text = [self._text[r] for r in rows]
        self._sort = [self._sort[r] for r in rows]
        self.layoutChanged.emit()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.KEYS) - 1)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text[index.row()][index.column()]
        if role == SORT_ROLE:
            return self._sort[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and self.KEYS[index.column()] in self.NUMERIC:
            return self._RIGHT
        return None


class ParetoChart(pg.PlotWidget):
    """Total cost against copper utilization, one point per plan of the sweep; click a point to see it."""

    pointClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"left": MoneyAxis("left"), "bottom": GroupedAxis("bottom")})
        self.setMenuEnabled(False)
        self.hideButtons()
        self.showGrid(x=True, y=True, alpha=0.2)
        self.setMinimumHeight(240)
        self.line = pg.PlotCurveItem(pen=pg.mkPen("#0072B2", width=2))
        self.points = pg.ScatterPlotItem(
            size=12,
            brush=pg.mkBrush("#0072B2"),
            pen=pg.mkPen("w", width=1.5),
            hoverable=True,
            hoverBrush=pg.mkBrush("#E69F00"),
        )
        self.current = pg.ScatterPlotItem(size=20, brush=None, pen=pg.mkPen("#D55E00", width=3))
        for item in (self.line, self.points, self.current):
            self.addItem(item)
        self.points.sigClicked.connect(self._clicked)

    def set_points(self, xs: list[float], ys: list[float], indices: list[int], current: int | None) -> None:
        self.line.setData(xs, ys)
        self.points.setData(x=xs, y=ys, data=indices)
        if current is not None and current in indices:
            i = indices.index(current)
            self.current.setData(x=[xs[i]], y=[ys[i]])
        else:
            self.current.clear()
        if xs:
            self.enableAutoRange()

    def _clicked(self, _item: Any, points: Any, *_rest: Any) -> None:
        if len(points):
            self.pointClicked.emit(int(points[0].data()))


class ResultsView(LazyView):
    """Everything about the current scenario's plan; ``showPlanOnMap`` asks the window for the map tab."""

    showPlanOnMap = Signal()

    def __init__(self, doc: NetworkDocument, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.runner = runner

        self.header = QLabel()
        self.header.setWordWrap(True)
        header_font = QFont(self.font())
        header_font.setPointSize(header_font.pointSize() + 2)
        header_font.setBold(True)
        self.header.setFont(header_font)
        self.stale = QLabel()
        self.stale.setStyleSheet("color: #9a6700; font-weight: bold;")
        self.map_button = QPushButton()
        self.map_button.clicked.connect(self.showPlanOnMap)
        # which plan is shown, always named: the scenario, a Solve or a sweep point, from the file or not
        self.origin = QLabel()
        self.origin.setStyleSheet("color: #57606a;")
        self.solved_button = QPushButton()
        self.solved_button.clicked.connect(lambda: self.doc.show_solved_plan())
        self.solved_button.hide()
        self.year_label = QLabel()
        self.year = QComboBox()
        self.year.setObjectName("results_year")
        self.year.currentIndexChanged.connect(self._year_chosen)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.stale)
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        top.addWidget(self.solved_button)
        top.addWidget(self.map_button)

        self.cards = {k: KpiCard() for k in ("utilization", "copper", "profit", "cost", "co2", "sites")}
        cards = QHBoxLayout()
        for card in self.cards.values():
            cards.addWidget(card, 1)

        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setStyleSheet(
            "background: #fff8c5; border: 1px solid #d4a72c; border-radius: 4px; padding: 8px;"
        )
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.explanation.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.explanation.hide()

        self.cost_chart = BarChart(horizontal=True)
        self.site_chart = BarChart(horizontal=True)
        self._site_bars: list[str] = []
        self.site_chart.barClicked.connect(self._site_clicked)
        self.grade_chart = BarChart(horizontal=True)
        self.province_chart = BarChart(horizontal=True)
        self.pareto = ParetoChart()
        self.pareto.pointClicked.connect(self.show_pareto_plan)
        self.pareto_title = QLabel()
        self.pareto_title.setStyleSheet("font-weight: bold;")
        self.pareto_hint = QLabel()
        self.pareto_hint.setStyleSheet("color: #57606a;")

        self.flow_model = FlowTableModel(self)
        self.flow_table = QTableView()
        self.flow_table.setModel(self.flow_model)
        self.flow_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        self.flow_table.setSortingEnabled(True)
        self.flow_table.setAlternatingRowColors(True)
        self.flow_table.verticalHeader().setDefaultSectionSize(22)
        self.flow_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.flow_table.horizontalHeader().setResizeContentsPrecision(50)
        self.flow_table.verticalHeader().setResizeContentsPrecision(50)
        self.flow_model.modelReset.connect(self.flow_table.resizeColumnsToContents)
        self.flow_table.setMinimumHeight(260)
        self.flow_title = QLabel()
        self.flow_title.setStyleSheet("font-weight: bold;")

        grid = QGridLayout()
        grid.addWidget(self.cost_chart, 0, 0)
        grid.addWidget(self.site_chart, 0, 1)
        grid.addWidget(self.grade_chart, 1, 0)
        grid.addWidget(self.province_chart, 1, 1)
        pareto_box = QVBoxLayout()
        pareto_box.addWidget(self.pareto_title)
        pareto_box.addWidget(self.pareto_hint)
        pareto_box.addWidget(self.pareto, 1)
        flow_box = QVBoxLayout()
        flow_box.addWidget(self.flow_title)
        flow_box.addWidget(self.flow_table, 1)
        grid.addLayout(pareto_box, 2, 0)
        grid.addLayout(flow_box, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #57606a; font-size: 13pt; padding: 40px;")

        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        self.body_layout.addLayout(top)
        self.body_layout.addWidget(self.origin)
        self.body_layout.addWidget(self.empty)
        self.body_layout.addLayout(cards)
        self.body_layout.addWidget(self.explanation)
        self.body_layout.addLayout(grid)
        self.body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._chart_widgets: list[QWidget] = [
            *self.cards.values(),
            self.cost_chart,
            self.site_chart,
            self.grade_chart,
            self.province_chart,
            self.flow_table,
            self.flow_title,
        ]

        doc.planChanged.connect(self.refresh_when_shown)
        doc.networkChanged.connect(self._update_stale)
        doc.selectedYearChanged.connect(lambda _year: self.refresh_when_shown())
        notifier.changed.connect(lambda _lang: self.retranslate())
        self.retranslate()

    def _fill_years(self) -> None:
        """The years of a multi-year plan in the Year selector (hidden for a one-year plan)."""
        years = self.doc.years
        self.year.blockSignals(True)
        if [self.year.itemData(i) for i in range(self.year.count())] != years:
            self.year.clear()
            for y in years:
                self.year.addItem(str(y), y)
        self.year.setCurrentIndex(self.year.findData(self.doc.selected_year))
        self.year.blockSignals(False)
        self.year.setVisible(bool(years))
        self.year_label.setVisible(bool(years))

    def _year_chosen(self, index: int) -> None:
        if index >= 0:
            self.doc.set_selected_year(int(self.year.itemData(index)))

    def retranslate(self) -> None:
        self.year_label.setText(tr("results.year"))
        self.year.setToolTip(tr("results.year_tip"))
        self.map_button.setText(tr("results.show_map"))
        self.solved_button.setText(tr("results.show_solved"))
        self.pareto_title.setText(tr("results.pareto"))
        self.pareto_hint.setText(tr("results.pareto_hint"))
        self.flow_title.setText(tr("results.flows"))
        self.pareto.getPlotItem().setLabel("bottom", tr("results.pareto_x"))
        self.pareto.getPlotItem().setLabel("left", tr("results.pareto_y"))
        self.flow_model.retranslate()
        self.refresh_when_shown()

    def _update_stale(self) -> None:
        self.stale.setText(tr("results.stale") if self.doc.current.plan_stale else "")

    # ---- drawing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._dirty = False
        self._fill_years()
        # status, messages and the sweep are the plan's; sites, flows and KPIs the selected year's
        whole: Plan | None = self.doc.plan
        plan: Plan | None = self.doc.year_plan
        self._update_stale()
        net = self.doc.network
        has = plan is not None and plan.kpis is not None
        for w in self._chart_widgets:
            w.setVisible(has)
        self.empty.setVisible(plan is None)
        self.empty.setText(tr("results.empty"))
        self._draw_pareto()
        scenario = self.doc.current
        self.solved_button.setVisible(
            plan is not None and scenario.sweep_index is not None and scenario.solved_plan is not None
        )
        self.origin.setVisible(plan is not None)
        if plan is not None:
            self.origin.setText(
                tr(
                    "results.shown_plan",
                    scenario=scenario.name,
                    origin=plan_origin(scenario),
                    status=tr(f"plan_status.{plan.status.value}"),
                )
            )
        if plan is None:
            self.header.setText(tr("results.no_plan"))
            self.explanation.hide()
            self.flow_model.set_plan(None, {}, {})
            return
        status = tr(f"plan_status.{plan.status.value}")
        self.header.setText(
            tr(
                "results.header",
                name=plan.network_name,
                status=status,
                solver=(whole or plan).solver,
                runtime=f"{(whole or plan).runtime_s:,.1f}",
            )
        )
        self._explain(whole or plan)
        names = {n.id: n.name for n in net.nodes()}
        grade_names = {g.id: g.name(language()) for g in net.grades}
        self.flow_model.set_plan(plan if has else None, names, grade_names)
        if not has or plan.kpis is None:
            return
        k = plan.kpis
        self.cards["utilization"].set(
            tr("kpi.utilization"),
            f"{100 * k.utilization:.1f} %",
            tr(
                "kpi.utilization_detail", cu=f"{k.copper_delivered_t_cu:,.0f}", supply=f"{k.supply_t_cu:,.0f}"
            ),
        )
        self.cards["copper"].set(
            tr("kpi.copper"),
            f"{k.copper_delivered_t_cu:,.0f} t",
            tr("kpi.copper_detail", t=f"{k.collected_t:,.0f}"),
        )
        self.cards["profit"].set(
            tr("kpi.profit"), _money(k.profit_cny), tr("kpi.revenue", v=_money(k.revenue_cny))
        )
        self.cards["cost"].set(
            tr("kpi.cost"), _money(k.total_cost_cny), tr("kpi.cost_detail", v=_money(k.budget_cost_cny))
        )
        self.cards["co2"].set(
            tr("kpi.co2"),
            f"{k.co2_t:,.0f} t",
            tr(
                "kpi.co2_detail",
                transport=f"{k.transport_co2_t:,.0f}",
                processing=f"{k.processing_co2_t:,.0f}",
            ),
        )
        self.cards["sites"].set(
            tr("kpi.sites"), f"{k.sites_open}", tr("kpi.sites_detail", new=k.new_sites_open)
        )

        costs = [
            ("purchase", k.purchase_cost_cny),
            ("transport", k.transport_cost_cny),
            ("processing", k.processing_cost_cny),
            ("fixed", k.fixed_cost_cny),
            ("carbon", k.carbon_cost_cny),
        ]
        self.cost_chart.set_title(tr("results.cost_chart"))
        self.cost_chart.set_bars(
            [tr(f"cost.{key}") for key, _v in costs],
            [v for _k, v in costs],
            list(PALETTE[: len(costs)]),
            fmt=_money,
            value_ticks=False,
        )

        sites = sorted(plan.sites, key=lambda s: -s.capacity_t)[:MAX_SITE_BARS]
        more = len(plan.sites) - len(sites)
        title = tr("results.site_chart")
        if more > 0:  # on a line of its own, so a narrow chart never cuts it
            title += "<br>" + tr_n("results.site_chart_largest", len(plan.sites), shown=len(sites))
        self.site_chart.set_title(title)
        colours = ["#E69F00" if s.kind == "dismantling" else "#009E73" for s in sites]
        site_names = {n.id: n.name for n in net.sites}
        self._site_bars = [s.site_id for s in sites]
        self.site_chart.set_bars(
            [f"{site_names.get(s.site_id) or s.site_id} ({s.module_id})" for s in sites],
            [s.throughput_t for s in sites],
            colours,
            behind=[s.capacity_t for s in sites],
            fmt=tonnes,
            value_axis=tr("unit.t_per_year"),
        )
        self.site_chart.setMinimumHeight(max(220, 26 * len(sites) + 60))

        grades = sorted(k.utilization_by_grade.items(), key=lambda kv: kv[0])
        self.grade_chart.set_title(tr("results.grade_chart"))
        self.grade_chart.set_bars(
            [grade_names.get(g, g) for g, _v in grades],
            [100 * v for _g, v in grades],
            [grade_colour(net, g) for g, _v in grades],
            fmt=lambda v: f"{v:.0f} %",
        )
        provinces = sorted(k.utilization_by_province.items(), key=lambda kv: -kv[1])
        self.province_chart.set_title(tr("results.province_chart"))
        self.province_chart.set_bars(
            [p or tr("results.no_province") for p, _v in provinces],
            [100 * v for _p, v in provinces],
            PALETTE[5],
            fmt=lambda v: f"{v:.0f} %",
        )
        self.province_chart.setMinimumHeight(max(220, 22 * len(provinces) + 60))

    def _explain(self, plan: Plan) -> None:
        """Say in plain words why there is no plan (infeasible) or why it may be incomplete.

        The label is rich text: the messages are escaped, since they may quote a value or a solver's
        words with "<" in them ("expected a number <= 1"), which would otherwise be read as a tag."""
        parts: list[str] = []
        status = plan_status_message(plan)
        status_text = escape(status.render(language()))
        if plan.status is PlanStatus.INFEASIBLE:
            parts.append(f"<b>{tr('results.infeasible_intro')}</b>")
            for s in plan.infeasibility:
                parts.append(
                    "• "
                    + tr(
                        "results.shortfall",
                        requirement=tr(f"requirement.{s.requirement}"),
                        required=_amount(s.required, s.unit),
                        achievable=_amount(s.achievable, s.unit),
                        short=_amount(s.shortfall, s.unit),
                    )
                    # the solver's own detail, rendered in the UI language
                    + f"<br><span style='color:#57606a'>{escape(s.reason.render(language()))}</span>"
                )
            if not plan.infeasibility:
                parts.append(status_text)
            parts.append(tr("results.infeasible_hint"))
        elif plan.status in (PlanStatus.ERROR, PlanStatus.TIME_LIMIT_NO_SOLUTION):
            # an error's own words (which input, what the solver said), when they say more than the status
            own = plan.status_message
            error = plan.status is PlanStatus.ERROR and own != status
            detail = f" ({escape(own.render(language()))})" if error else ""
            parts.append(f"<b>{tr(f'plan_status.{plan.status.value}')}</b>: {status_text}{detail}")
        elif plan.status in (PlanStatus.CANCELLED, PlanStatus.FEASIBLE):
            parts.append(status_text)
        parts.extend("• " + escape(note) for note in plan.note_texts(language()))
        if parts:
            self.explanation.setText("<br>".join(parts))
            self.explanation.show()
        else:
            self.explanation.hide()

    def _draw_pareto(self) -> None:
        plans = self.doc.current.pareto
        solved = [(i, p) for i, p in enumerate(plans) if p.kpis is not None]
        xs = [100 * p.kpis.utilization for _i, p in solved if p.kpis is not None]
        ys = [p.kpis.total_cost_cny for _i, p in solved if p.kpis is not None]
        current = next((i for i, p in solved if p is self.doc.plan), None)
        self.pareto.set_points(xs, ys, [i for i, _p in solved], current)
        for w in (self.pareto, self.pareto_title, self.pareto_hint):
            w.setVisible(bool(solved))

    def _site_clicked(self, index: int) -> None:
        """A click on a site's bar selects the site and shows it on the map (the inspector opens)."""
        if 0 <= index < len(self._site_bars):
            self.doc.select([self._site_bars[index]], "results")
            self.showPlanOnMap.emit()

    def show_pareto_plan(self, index: int) -> None:
        """Show the sweep's plan ``index`` (click on the Pareto chart); the Solve's plan is kept."""
        self.doc.show_sweep_point(index)
