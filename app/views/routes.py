"""Collection routes: plan the week's truck routes for the current plan, then read them by depot, day
and truck, stop by stop, with the visits that could not be served, why and the fix, and the routing's
notes. What the routing says is a catalogue message, rendered here in the UI language."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.document import NetworkDocument, Scenario
from app.i18n import language, notifier, tr
from app.jobs import Job, JobCancelled, JobRunner, in_child_process
from app.views.labels import day_name
from app.views.lazy import LazyView
from optimizer import Engine, RoutePlan, RoutingOptions, StopKind
from optimizer.model import Network

#: The routing's notes listed under the unserved visits (a national week can have hundreds; the routes
#: workbook and the plan report list them all).
NOTES_SHOWN = 12


def _hm(hours: float) -> str:
    h = int(hours)
    m = round((hours - h) * 60)
    if m == 60:
        h, m = h + 1, 0
    return f"{h:02d}:{m:02d}"


class RoutesView(LazyView):
    """The routes tab: engine and time limit, Plan routes, totals, the route tree and unserved visits."""

    def __init__(
        self, doc: NetworkDocument, runner: JobRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.runner = runner
        self.engine = QComboBox()
        self.engine.addItem("PyVRP", Engine.PYVRP.value)
        self.engine.addItem("OR-Tools", Engine.ORTOOLS.value)
        self.time_label = QLabel()
        self.time_limit = QSpinBox()
        self.time_limit.setRange(1, 3600)
        self.time_limit.setValue(20)
        self.time_limit.setSuffix(" s")
        self.engine_label = QLabel()
        self.plan_button = QPushButton()
        self.plan_button.clicked.connect(self.plan_routes)
        self.status = QLabel()
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        for w in (self.engine_label, self.engine, self.time_label, self.time_limit, self.plan_button):
            bar.addWidget(w)
        bar.addWidget(self.status, 1)

        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setStyleSheet(
            "background: white; border: 1px solid #d0d7de; border-radius: 4px; padding: 6px;"
        )
        self.tree = QTreeWidget()
        self.tree.setColumnCount(7)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.unserved = QTreeWidget()
        self.unserved.setRootIsDecorated(False)
        self.unserved.setColumnCount(5)
        self.unserved.setWordWrap(True)
        self.unserved_label = QLabel()
        self.unserved_label.setStyleSheet("font-weight: bold;")
        #: what the routing assumed or left out (points not in the plan, depots chosen, visits capped)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.unserved_label)
        lower_layout.addWidget(self.unserved)
        lower_layout.addWidget(self.notes)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.totals)
        layout.addWidget(split, 1)

        doc.planChanged.connect(self.refresh_when_shown)
        doc.networkChanged.connect(self._update_status)
        if runner is not None:
            runner.started.connect(lambda _k: self._update_status())
            runner.finished.connect(lambda _k: self._update_status())
        # a bound method, not a lambda: Qt drops the connection when this view is deleted
        notifier.changed.connect(self._language_changed)
        self.retranslate()

    @Slot(str)
    def _language_changed(self, _lang: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.engine_label.setText(tr("routes.engine"))
        self.time_label.setText(tr("routes.time_limit"))
        self.plan_button.setText(tr("routes.plan"))
        self.plan_button.setToolTip(tr("routes.plan_tip"))
        self.tree.setHeaderLabels(
            [tr(f"routes.col_{k}") for k in ("route", "stops", "km", "hours", "load", "cost", "detail")]
        )
        self.unserved.setHeaderLabels(
            [tr(f"routes.unserved_{k}") for k in ("point", "reason", "day", "detail", "fix")]
        )
        self.unserved_label.setText(tr("routes.unserved"))
        self.refresh_when_shown()

    def refresh_when_shown(self) -> None:
        """The status line at once; the tree now if visible, else when next shown (a national week has
        thousands of stops)."""
        self._update_status()
        super().refresh_when_shown()

    def options(self) -> RoutingOptions:
        return RoutingOptions(
            engine=Engine(self.engine.currentData()), time_limit_s=float(self.time_limit.value())
        )

    def _update_status(self) -> None:
        scenario = self.doc.current
        busy = self.runner is not None and self.runner.busy
        self.plan_button.setEnabled(not busy)
        if scenario.route_plan is None:
            key = "routes.need_plan" if scenario.plan is None else "routes.none_yet"
            self.status.setText(tr(key))
        elif scenario.routes_stale:
            self.status.setText(tr("routes.stale"))
        else:
            self.status.setText("")

    def plan_routes(self) -> bool:
        """Route the week for the current scenario (and its plan, when it has one) on the worker."""
        if self.runner is None or self.runner.busy:
            return False
        snapshot: Network = self.doc.network
        scenario: Scenario = self.doc.current
        plan = scenario.plan if scenario.plan is not None and not scenario.plan_stale else None
        plan = plan if plan is not None and plan.has_solution else None
        work = in_child_process("app.child_jobs:route_week", snapshot, plan, self.options())

        def done(result: RoutePlan) -> None:
            if scenario in self.doc.scenarios:
                self.doc.set_route_plan(result, snapshot, scenario)

        def failed(exc: BaseException, trace: str) -> None:
            from app.errors import show_error

            if isinstance(exc, JobCancelled):
                self.status.setText(tr("routes.cancelled_empty"))
                return
            if str(exc).startswith("ValueError:"):  # a network the router cannot use: say why, calmly
                self.status.setText(tr("routes.failed", error=str(exc).removeprefix("ValueError: ")))
                return
            show_error(tr("routes.failed", error=f"{type(exc).__name__}: {exc}"), trace, self)

        return self.runner.submit(Job("routing", work, done, failed))

    # ---- drawing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._dirty = False
        self._update_status()
        self.tree.clear()
        self.unserved.clear()
        self.notes.clear()
        self.notes.hide()
        routes: RoutePlan | None = self.doc.current.route_plan
        if routes is None:
            self.totals.setText(tr("routes.empty"))
            return
        lang = language()
        t = routes.totals()
        per_t = routes.cost_cny_per_t
        self.totals.setText(
            tr(
                "routes.totals",
                status=tr(f"route_status.{routes.status.value}"),
                engine=routes.engine,
                trucks=t.trucks,
                truck_days=t.truck_days,
                visits=t.visits,
                km=f"{t.distance_km:,.0f}",
                cost=f"{t.cost_cny:,.0f}",
                annual=f"{t.annual_cost_cny:,.0f}",
                per_t="–" if per_t is None else f"{per_t:,.1f}",
                util=f"{100 * t.utilization:.0f}",
                unserved=len(routes.unserved),
            )
            # the routing's own summary on a line of its own (the totals are rich text)
            + ("" if routes.message is None else "<br>" + escape(routes.message.render(lang)))
        )
        names = {n.id: n.name for n in self.doc.network.nodes()}
        for depot in routes.depot_totals():
            depot_id = depot.depot_id or ""
            depot_item = QTreeWidgetItem(
                [
                    f"{depot_id} {names.get(depot_id, '')}".strip(),
                    str(depot.visits),
                    f"{depot.distance_km:,.0f}",
                    f"{depot.hours:,.1f}",
                    f"{100 * depot.utilization:.0f} %",
                    f"{depot.cost_cny:,.0f}",
                    tr("routes.depot_detail", trucks=depot.trucks, days=depot.truck_days),
                ]
            )
            self.tree.addTopLevelItem(depot_item)
            days = sorted({r.day for r in routes.routes_of(depot_id)})
            for day in days:
                day_routes = routes.routes_of(depot_id, day)
                day_item = QTreeWidgetItem(
                    [
                        day_name(routes, day),
                        str(sum(len(r.visits) for r in day_routes)),
                        f"{sum(r.distance_km for r in day_routes):,.0f}",
                        "",
                        "",
                        f"{sum(r.cost_cny for r in day_routes):,.0f}",
                        tr("routes.trucks_n", n=len(day_routes)),
                    ]
                )
                depot_item.addChild(day_item)
                for route in day_routes:
                    route_item = QTreeWidgetItem(
                        [
                            f"{route.vehicle_name or route.vehicle_type_id} #{route.truck}",
                            str(len(route.visits)),
                            f"{route.distance_km:,.1f}",
                            f"{route.duration_h:,.1f}",
                            f"{100 * route.utilization:.0f} %",
                            f"{route.cost_cny:,.0f}",
                            tr(
                                "routes.route_detail",
                                start=_hm(route.start_h),
                                end=_hm(route.end_h),
                                trips=route.trips,
                            ),
                        ]
                    )
                    day_item.addChild(route_item)
                    for stop in route.stops:
                        kind = tr(f"stop.{stop.kind.value}")
                        label = f"{kind}: {stop.node_id} {names.get(stop.node_id, '')}".strip()
                        detail = (
                            tr(
                                "routes.stop_detail",
                                arrive=_hm(stop.arrival_h),
                                leave=_hm(stop.departure_h),
                                kg=f"{stop.pickup_kg:,.0f}",
                            )
                            if stop.kind is StopKind.VISIT
                            else tr("routes.stop_time", time=_hm(stop.arrival_h))
                        )
                        route_item.addChild(
                            QTreeWidgetItem([label, "", "", "", f"{stop.load_kg:,.0f} kg", "", detail])
                        )
            depot_item.setExpanded(len(routes.depot_ids) <= 3)
        for c in range(6):
            self.tree.resizeColumnToContents(c)
        self.tree.header().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        for u in routes.unserved:
            day_text = "" if u.day is None else day_name(routes, u.day)
            detail, fix = u.detail.render(lang), "" if u.fix is None else u.fix.render(lang)
            item = QTreeWidgetItem(
                [
                    f"{u.point_id} {names.get(u.point_id, '')}".strip(),
                    tr(f"unserved.{u.reason.value}"),
                    day_text,
                    detail,
                    fix,
                ]
            )
            item.setToolTip(3, detail)  # a long detail is elided in its column: the whole of it on hover
            item.setToolTip(4, fix)
            self.unserved.addTopLevelItem(item)
        for c in range(4):
            self.unserved.resizeColumnToContents(c)
        # the detail as wide as it needs up to half the table; the fix takes the rest
        half = max(200, self.unserved.viewport().width() // 2)
        self.unserved.setColumnWidth(3, min(self.unserved.columnWidth(3), half))
        if routes.notes:
            shown = routes.notes[:NOTES_SHOWN]
            lines = [tr("routes.notes"), *(f"• {n.render(lang)}" for n in shown)]
            if len(routes.notes) > len(shown):
                lines.append(tr("routes.notes_more", n=len(routes.notes) - len(shown)))
            self.notes.setText("\n".join(lines))
            self.notes.show()
