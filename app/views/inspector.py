"""Click to inspect: everything about the node selected on the map or in the tables, in one panel.

For a dismantling site or sorting center: its status, the module the plan opens, capacity, throughput
by grade, flows in and out, costs and CO2, and its investment (build year, capex; over the years its
NPV, IRR and payback from its allocated cash flow). For a collection point (a yard): its supply by grade and
where the plan sends it. For a smelter: its intake by grade, the blend against its minimum, the copper
price it pays and the revenue. For a flow clicked on the map: from, to, grade, leg, tonnes, copper,
distance and cost. Without a plan the panel shows the node's own data and says it is not
solved yet; with a stale plan it says the figures are out of date.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

from app.document import NetworkDocument
from app.i18n import language, notifier, tr
from app.views.map_flows import ShownFlow
from app.views.numbers import grouped, money
from optimizer import Plan, schema
from optimizer.model import CollectionPoint, Network, ProcessingSite, SiteKind, Smelter

#: How many flows in and out the panel lists (the largest first), so a hub stays readable.
MAX_FLOWS = 8


class Inspector(QWidget):
    """The panel beside the map; shown when a node is selected, hidden by its close button."""

    def __init__(self, doc: NetworkDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.node_id: str | None = None
        #: the flow shown instead of a node (clicked on the map), if any
        self.flow: ShownFlow | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.clicked.connect(self.hide)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        self.setFixedWidth(260)
        self.hide()
        doc.selectionChanged.connect(self._selected)
        doc.planChanged.connect(self.refresh)
        doc.networkChanged.connect(self.refresh)
        # a bound method, not a lambda: Qt drops the connection when the panel is deleted
        notifier.changed.connect(self._language_changed)

    def _language_changed(self, _lang: str) -> None:
        self.refresh()

    def _selected(self, ids: list[str], _source: str) -> None:
        self.node_id = ids[-1] if ids else None
        if self.node_id is None:
            if self.flow is None:
                self.hide()
            return
        self.flow = None
        self.refresh()
        self.show()

    def show_flow(self, flow: ShownFlow | None) -> None:
        """Show ``flow`` (clicked on the map) instead of a node; None hides a flow shown."""
        if flow is None:
            if self.flow is not None:
                self.flow = None
                if self.node_id is None:
                    self.hide()
            return
        self.flow, self.node_id = flow, None
        self.refresh()
        self.show()

    def refresh(self) -> None:
        net = self.doc.network
        if self.flow is not None:
            self._show_flow(net, self.flow)
            return
        if self.node_id is None:
            return
        try:
            node = net.node(self.node_id)
        except KeyError:
            self.node_id = None
            self.hide()
            return
        plan = self.doc.plan if self.doc.plan is not None and self.doc.plan.has_solution else None
        self.title.setText(
            f"{escape(node.name or node.id)}<br><span style='font-weight:normal'>"
            f"{escape(node.id)} · {escape(_kind(node))}</span>"
        )
        parts: list[str] = []
        if plan is None:
            parts.append(f"<i>{escape(tr('inspect.no_plan'))}</i>")
        elif self.doc.current.plan_stale:
            parts.append(f"<i style='color:#9a6700'>{escape(tr('inspect.stale'))}</i>")
        if isinstance(node, ProcessingSite):
            parts += _site(net, node, plan)
        elif isinstance(node, CollectionPoint):
            parts += _point(net, node, plan)
        else:
            parts += _smelter(net, node, plan)
        self.body.setText("".join(parts))

    def _show_flow(self, net: Network, flow: ShownFlow) -> None:
        names = {n.id: n.name or n.id for n in net.nodes()}
        src, dst = names.get(flow.from_id, flow.from_id), names.get(flow.to_id, flow.to_id)
        self.title.setText(
            f"{escape(src)} → {escape(dst)}<br><span style='font-weight:normal'>"
            f"{escape(flow.from_id)} → {escape(flow.to_id)} · {escape(tr('inspect.flow'))}</span>"
        )
        rows = [
            (tr("inspect.grade"), _grade(net, flow.grade_id)),
            (tr("inspect.leg"), tr(f"echelon.{flow.echelon}")),
            (tr("inspect.flow_t"), f"{grouped(flow.t)} t"),
        ]
        if flow.t_cu is not None:
            rows.append((tr("inspect.flow_cu"), f"{grouped(flow.t_cu)} t"))
        if flow.km is not None:
            rows.append((tr("inspect.distance"), f"{grouped(flow.km)} km"))
        if flow.cost_cny is not None:
            rows.append((tr("inspect.transport_cost"), money(flow.cost_cny)))
            if flow.t > 0:
                rows.append((tr("inspect.cost_per_t"), f"{grouped(flow.cost_cny / flow.t, 1)} CNY/t"))
        note = "" if flow.t_cu is not None else f"<i>{escape(tr('inspect.provisional'))}</i>"
        self.body.setText(note + _table(tr("inspect.flow"), rows))

    def text(self) -> str:
        """Everything the panel shows, as plain text (for tests and copy)."""
        return f"{self.title.text()}\n{self.body.text()}"


def _kind(node: object) -> str:
    if isinstance(node, CollectionPoint):
        return tr("kind.collection")
    if isinstance(node, ProcessingSite):
        return tr("kind.dismantling") if node.kind is SiteKind.DISMANTLING else tr("kind.sorting")
    return tr("kind.smelter")


def _grade(net: Network, grade_id: str) -> str:
    known = {g.id: g for g in net.grades}
    return known[grade_id].name(language()) if grade_id in known else grade_id


def _table(title: str, rows: list[tuple[str, str]]) -> str:
    if not rows:
        return ""
    cells = "".join(f"<tr><td>{escape(a)}</td><td align='right'>&nbsp;{escape(b)}</td></tr>" for a, b in rows)
    return f"<p style='margin:6px 0 2px 0'><b>{escape(title)}</b></p><table width='100%'>{cells}</table>"


def _flows(net: Network, plan: Plan, node_id: str) -> list[str]:
    names = {n.id: n.name or n.id for n in net.nodes()}
    into: dict[str, float] = defaultdict(float)
    out: dict[str, float] = defaultdict(float)
    for f in plan.flows:
        if f.to_id == node_id:
            into[f.from_id] += f.t
        if f.from_id == node_id:
            out[f.to_id] += f.t
    parts = []
    for key, flows in (("inspect.flows_in", into), ("inspect.flows_out", out)):
        ranked = sorted(flows.items(), key=lambda kv: -kv[1])
        rows = [(names.get(k, k), f"{grouped(v)} t") for k, v in ranked[:MAX_FLOWS]]
        if len(ranked) > MAX_FLOWS:
            rows.append((tr("inspect.more", n=len(ranked) - MAX_FLOWS), ""))
        parts.append(_table(tr(key, n=len(ranked)), rows))
    return parts


def _status(node: ProcessingSite) -> str:
    col = next(c for s in schema.SHEETS if s.entity == "site" for c in s.columns if c.key == "status")
    labels = col.enum_labels(language())
    value = node.status.value
    return labels[col.allowed.index(value)] if value in col.allowed else value


def _site(net: Network, node: ProcessingSite, plan: Plan | None) -> list[str]:
    rows = [(tr("inspect.status"), _status(node))]
    modules = ", ".join(f"{m.id} ({grouped(m.capacity_t_per_year)} t)" for m in node.modules)
    rows.append((tr("inspect.modules"), modules or "–"))
    site = plan.site(node.id) if plan is not None else None
    parts = [_table(tr("inspect.site"), rows)]
    if plan is None:
        return parts
    parts.append(_investment(plan, node.id))
    if site is None:
        parts.append(f"<p>{escape(tr('inspect.not_opened'))}</p>")
        return parts
    parts.append(
        _table(
            tr("inspect.in_plan"),
            [
                (tr("inspect.module"), site.module_id),
                (tr("inspect.capacity"), f"{grouped(site.capacity_t)} t"),
                (tr("inspect.throughput"), f"{grouped(site.throughput_t)} t"),
                (tr("inspect.utilization"), f"{site.utilization_pct:.0f} %"),
                (tr("inspect.fixed_cost"), money(site.fixed_cost_cny)),
                (tr("inspect.processing_cost"), money(site.processing_cost_cny)),
                (tr("inspect.co2"), f"{grouped(site.co2_t)} t"),
            ],
        )
    )
    by_grade = sorted(site.input_t_by_grade.items(), key=lambda kv: -kv[1])
    parts.append(_table(tr("inspect.by_grade"), [(_grade(net, g), f"{grouped(t)} t") for g, t in by_grade]))
    parts += _flows(net, plan, node.id)
    return parts


def _investment(plan: Plan, site_id: str) -> str:
    """The site's investment lines: build year and capex, and over the years its NPV, IRR and payback
    from its allocated cash flow (the rule the Investment tab states)."""
    figures = next((e for e in plan.site_economics if e.site_id == site_id), None)
    if figures is None:
        return ""
    rows = [
        (tr("inspect.build_year"), "–" if figures.build_year is None else str(figures.build_year)),
        (tr("inspect.capex"), money(figures.capex_cny)),
    ]
    if plan.year_plans:
        irr = "–" if figures.irr is None else f"{100 * figures.irr:.1f} %"
        payback = figures.payback_years
        if payback is None:
            paid = tr("inspect.payback_never")
        elif payback <= 0:
            paid = tr("investment.within_first_year")
        else:
            paid = tr("investment.years_value", v=f"{payback:,.1f}")
        rows += [
            (tr("inspect.npv"), "–" if figures.npv_cny is None else money(figures.npv_cny)),
            (tr("inspect.irr"), irr),
            (tr("inspect.payback"), paid),
        ]
    return _table(tr("inspect.investment"), rows)


def _point(net: Network, node: CollectionPoint, plan: Plan | None) -> list[str]:
    supply = [(_grade(net, s.grade_id), f"{grouped(s.supply_t_per_year)} t") for s in node.supplies]
    parts = [_table(tr("inspect.supply", t=grouped(node.total_supply_t_per_year)), supply)]
    assignment = plan.assignment(node.id) if plan is not None else None
    if plan is not None and assignment is not None:
        names = {n.id: n.name or n.id for n in net.nodes()}
        rows = [
            (names.get(s.destination_id, s.destination_id), f"{grouped(s.t)} t")
            for s in sorted(assignment.shares, key=lambda x: -x.t)
        ]
        collected = assignment.collected_t
        supplied = sum(assignment.supply_t_by_grade.values())
        if supplied - collected > 0.5:
            rows.append((tr("inspect.not_collected"), f"{grouped(supplied - collected)} t"))
        parts.append(_table(tr("inspect.goes_to"), rows))
    return parts


def _smelter(net: Network, node: Smelter, plan: Plan | None) -> list[str]:
    price = node.price_at(net.parameters.copper_price_cny_per_t)
    rows = [
        (tr("inspect.capacity"), f"{grouped(node.capacity_t_per_year)} t"),
        (tr("inspect.min_content"), f"{100 * node.min_copper_content:.1f} %"),
        (tr("inspect.price"), tr("inspect.price_value", price=grouped(price))),
    ]
    parts = [_table(tr("kind.smelter"), rows)]
    intake = next((m for m in plan.smelters if m.smelter_id == node.id), None) if plan is not None else None
    if plan is not None and intake is not None:
        parts.append(
            _table(
                tr("inspect.in_plan"),
                [
                    (tr("inspect.intake"), f"{grouped(intake.intake_t)} t"),
                    (tr("inspect.intake_cu"), f"{grouped(intake.intake_t_cu)} t"),
                    (tr("inspect.blend"), f"{100 * intake.blended_copper_content:.1f} %"),
                    (tr("inspect.utilization"), f"{intake.utilization_pct:.0f} %"),
                    (tr("inspect.revenue"), money(intake.revenue_cny)),
                ],
            )
        )
        by_grade = sorted(intake.intake_t_by_grade.items(), key=lambda kv: -kv[1])
        parts.append(
            _table(tr("inspect.by_grade"), [(_grade(net, g), f"{grouped(t)} t") for g, t in by_grade])
        )
        parts += _flows(net, plan, node.id)
    return parts
