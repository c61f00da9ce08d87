"""The network on a map: nodes by type, the plan's flows and sites, and collection routes.

Drawing stays cheap for national networks (about 1,000 nodes and as many flows) by batching: one
scatter item per node type, and flows as a handful of ``PlotCurveItem`` s with ``connect="pairs"``, one
per (grade, width class), instead of one item per arc. Longitude runs across and latitude up, with the
aspect locked to cos(latitude) so a kilometre east looks as long as a kilometre north.

Editing: click a node to select it (the tables follow), drag it to move it (one undoable edit when the
drag ends), or switch to Add mode and click the map to place a new node of the chosen type. Hovering a
flow says what it carries; clicking it selects it and shows it in the inspector.

While a solve runs, the first plan it finds (carried by its progress event) is drawn at once, marked
provisional, and the final plan replaces it. A multi-year plan can be shown year by year, and sites
coloured by type, by the year they are built or by how full they run.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.document import NetworkDocument
from app.i18n import language, notifier, tr, tr_title
from app.table_models import ADAPTERS
from app.views.geography import Geography, OutlineError, load_outline, load_shipped
from app.views.inspector import Inspector
from app.views.labels import day_name
from app.views.map_colours import COLOUR_BY, legend_keys, site_colours
from app.views.map_flows import FlowIndex, ShownFlow, flow_tip, flows_of
from app.views.numbers import grouped
from optimizer import IncumbentPlan, Plan
from optimizer.model import (
    CollectionPoint,
    Network,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
)

pg.setConfigOptions(antialias=True, background="w", foreground="#333333")

#: Node layers: (key, sheet key, symbol, base size, colour). Okabe-Ito colours stay distinct for
#: colour-blind readers.
LAYERS: tuple[tuple[str, str, str, float, str], ...] = (
    ("collection", "collection_points", "o", 6.0, "#0072B2"),
    ("dismantling", "dismantling_sites", "s", 11.0, "#E69F00"),
    ("sorting", "sorting_centers", "d", 14.0, "#009E73"),
    ("smelter", "smelters", "star", 20.0, "#D55E00"),
)

#: Grade colours for flows (distinct from the node colours where possible).
GRADE_COLOURS = (
    "#CC79A7",
    "#56B4E9",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
    "#9467BD",
    "#D62728",
    "#2CA02C",
    "#1F77B4",
    "#FF7F0E",
    "#E377C2",
)

ROUTE_COLOURS = ("#1F77B4", "#D62728", "#2CA02C", "#9467BD", "#FF7F0E", "#17BECF", "#8C564B", "#E377C2")

#: Width classes of flows, in pixels, by share of the largest flow.
FLOW_WIDTHS = ((0.05, 1.0), (0.2, 2.0), (0.5, 3.5), (1.01, 5.5))

#: At most this many node labels are shown, chosen among at most this many nodes in view.
MAX_LABELS = 80
MAX_LABEL_CANDIDATES = 2500
#: With more nodes than this in view, collection points are not labelled (zoom in to see their names).
CROWDED_VIEW = 250

PICK_RADIUS_PX = 10.0

#: Up to this many flows are drawn antialiased (smooth); more are drawn without, to keep pans fast.
SMOOTH_FLOWS_MAX = 400

#: The legs of the network a flow can be filtered by (values of ``Flow.echelon``).
ECHELONS = ("collection", "transfer", "delivery")

#: City names by zoom: with a view this many degrees wide or wider, cities of at most this rank are
#: named (0 municipalities, 1 provincial capitals, 2-4 by size); closer in, every city may be.
CITY_RANK_BY_WIDTH = ((25.0, 1), (12.0, 2), (5.0, 3))
#: At most this many city names at once (after the network's own labels, which come first).
MAX_CITY_LABELS = 60

#: The job kinds whose progress may carry a provisional plan to draw.
SOLVE_JOBS = ("solve",)
#: A better provisional plan is drawn at most this often (the first one at once).
PROVISIONAL_REDRAW_MS = 3000
#: A provisional plan's flows are dashed: dash and gap in pen widths.
PROVISIONAL_DASHES = (4.0, 4.0)


def _arrowheads(segments: np.ndarray, length: float) -> np.ndarray:
    """Two short strokes per segment (x0, y0, x1, y1) forming a chevron at 70 % of the way, pointing to
    the destination, as pairs of points for one ``connect="pairs"`` curve."""
    if not len(segments) or length <= 0:
        return np.zeros((0, 2))
    start, end = segments[:, :2], segments[:, 2:]
    d = end - start
    norm = np.hypot(d[:, 0], d[:, 1])
    keep = norm > 3 * length
    if not keep.any():
        return np.zeros((0, 2))
    start, d, norm = start[keep], d[keep], norm[keep]
    u = d / norm[:, None]
    tip = start + 0.7 * d
    side = np.column_stack((-u[:, 1], u[:, 0]))
    left = tip - length * u + 0.5 * length * side
    right = tip - length * u - 0.5 * length * side
    out = np.empty((4 * len(tip), 2))
    out[0::4], out[1::4], out[2::4], out[3::4] = left, tip, right, tip
    return out


@dataclass(frozen=True)
class LegendRow:
    """One legend line: ``kind`` a scatter symbol ("o", "s", "d", "star"), "candidate", "line" (a flow
    colour or width) or "heading"; ``size`` the symbol size or line width in pixels."""

    kind: str
    colour: str
    size: float
    text: str


class MapLegend(QWidget):
    """The legend beside the map (never over it): node kinds, flow colours by grade, flow widths."""

    ROW = 18

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[LegendRow] = []
        self.setFixedWidth(200)

    def set_rows(self, rows: list[LegendRow]) -> None:
        self.rows = rows
        self.setMinimumHeight(self.ROW * len(rows) + 8)
        self.update()

    def texts(self) -> list[str]:
        return [r.text for r in self.rows]

    def paintEvent(self, _event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bold = QFont(self.font())
        bold.setBold(True)
        y = 4
        for row in self.rows:
            mid = y + self.ROW / 2
            if row.kind == "heading":
                painter.setFont(bold)
                painter.setPen(QColor("#333333"))
                painter.drawText(
                    QRectF(4, y, self.width() - 8, self.ROW), Qt.AlignmentFlag.AlignVCenter, row.text
                )
                painter.setFont(self.font())
                y += self.ROW
                continue
            colour = QColor(row.colour)
            if row.kind == "line":
                painter.setPen(QPen(colour, row.size))
                painter.drawLine(QPointF(8, mid), QPointF(34, mid))
            else:
                fill = QColor("#FFFFFF") if row.kind == "candidate" else colour
                painter.setPen(QPen(colour if row.kind == "candidate" else QColor("#333333"), 1.5))
                painter.setBrush(fill)
                r = row.size / 2
                if row.kind in ("s", "candidate"):
                    painter.drawRect(QRectF(21 - r, mid - r, 2 * r, 2 * r))
                elif row.kind == "d":
                    painter.drawPolygon(
                        [
                            QPointF(21, mid - r),
                            QPointF(21 + r, mid),
                            QPointF(21, mid + r),
                            QPointF(21 - r, mid),
                        ]
                    )
                elif row.kind == "star":
                    pts = []
                    for k in range(10):
                        radius = r if k % 2 == 0 else r * 0.45
                        angle = math.pi / 2 + k * math.pi / 5
                        pts.append(QPointF(21 + radius * math.cos(angle), mid - radius * math.sin(angle)))
                    painter.drawPolygon(pts)
                else:
                    painter.drawEllipse(QPointF(21, mid), r, r)
            painter.setPen(QColor("#222222"))
            painter.drawText(
                QRectF(42, y, self.width() - 46, self.ROW), Qt.AlignmentFlag.AlignVCenter, row.text
            )
            y += self.ROW
        painter.end()


def node_kind(node: CollectionPoint | ProcessingSite | Smelter) -> str:
    if isinstance(node, CollectionPoint):
        return "collection"
    if isinstance(node, ProcessingSite):
        return "dismantling" if node.kind is SiteKind.DISMANTLING else "sorting"
    return "smelter"


def grade_colour(network: Network, grade_id: str) -> str:
    ids = [g.id for g in network.grades]
    return GRADE_COLOURS[(ids.index(grade_id) if grade_id in ids else len(ids)) % len(GRADE_COLOURS)]


@dataclass
class _NodeIndex:
    """Every node's id, kind and position, for picking the node under the mouse."""

    ids: list[str]
    kinds: list[str]
    lon: np.ndarray
    lat: np.ndarray
    #: a collection point's total supply (t/yr), 0 for other nodes: the label priority, summed once
    supply: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))

    @classmethod
    def of(cls, network: Network) -> _NodeIndex:
        nodes = list(network.nodes())
        return cls(
            [n.id for n in nodes],
            [node_kind(n) for n in nodes],
            np.array([n.lon for n in nodes], dtype=float),
            np.array([n.lat for n in nodes], dtype=float),
            np.array(
                [n.total_supply_t_per_year if isinstance(n, CollectionPoint) else 0.0 for n in nodes],
                dtype=float,
            ),
        )


class _LabelLayer(pg.GraphicsObject):
    """All node labels in one item, painted in screen pixels (one item instead of dozens of TextItems,
    which each re-layout on every pan and zoom).

    Each label is rendered once into a small pixmap, white halo included, so a repaint (every frame of a
    pan) draws one pixmap per label instead of laying out and stroking its text five times.
    """

    def __init__(self, ink: str = "#222222", halo: bool = True, dot: bool = False) -> None:
        super().__init__()
        self.labels: list[tuple[float, float, str]] = []
        self.font = QFont()
        self.ink = QColor(ink)
        self.halo = halo
        self.dot = dot  # a small dot at the point (a city's seat), the name beside it
        self._pixmaps: dict[tuple[str, float], QPixmap] = {}
        self._ascent = QFontMetrics(self.font).ascent()
        self.flipped: set[int] = set()
        self.lowered: set[int] = set()
        self._rect = QRectF()
        self.setZValue(40)

    def set_labels(
        self,
        labels: list[tuple[float, float, str]],
        font: QFont,
        flipped: set[int] | None = None,
        lowered: set[int] | None = None,
    ) -> None:
        """``flipped``: the labels written left of their point, ``lowered`` those written below it (they
        would leave the plot on the right or at the top)."""
        flipped = flipped or set()
        self.lowered = lowered or set()
        # the bounding rect is the view: tell the scene only when it moved (a geometry change costs ms)
        rect = self.boundingRect()
        if rect != self._rect:
            self._rect = rect
            self.prepareGeometryChange()
        if font != self.font:
            self._pixmaps.clear()
            self._ascent = QFontMetrics(font).ascent()
        self.labels, self.font, self.flipped = labels, font, flipped
        self.update()

    def _pixmap(self, text: str, ratio: float) -> QPixmap:
        """The label drawn once (ink on a 1-pixel white halo), at the screen's device pixel ratio."""
        key = (text, ratio)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            metrics = QFontMetrics(self.font)
            width, height = metrics.horizontalAdvance(text) + 4, metrics.height() + 2
            pixmap = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            p = QPainter(pixmap)
            p.setFont(self.font)
            at = QPointF(2, 1 + metrics.ascent())
            if self.halo:
                p.setPen(QColor(255, 255, 255, 200))
                for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                    p.drawText(at + QPointF(dx, dy), text)
            p.setPen(self.ink)
            p.drawText(at, text)
            p.end()
            if len(self._pixmaps) > 4000:  # names of another network: start over
                self._pixmaps.clear()
            self._pixmaps[key] = pixmap
        return pixmap

    def boundingRect(self) -> QRectF:
        view = self.getViewBox()
        if view is None:
            return QRectF()
        (x0, x1), (y0, y1) = view.viewRange()
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    def paint(self, painter: QPainter, *_args: Any) -> None:
        if not self.labels:
            return
        transform = painter.transform()
        painter.resetTransform()
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        for k, (x, y, text) in enumerate(self.labels):
            at = transform.map(QPointF(x, y))
            if self.dot:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self.ink)
                painter.drawEllipse(at, 1.8, 1.8)
            pixmap = self._pixmap(text, ratio)
            width = pixmap.width() / ratio
            # the text's baseline 3 px above the point, to the right of it (or left: ``flipped``)
            dx = -5 - width + 2 if k in self.flipped else 5 - 2
            dy = 3 - 1 if k in self.lowered else -3 - self._ascent - 1
            painter.drawPixmap(at + QPointF(dx, dy), pixmap)


class _MapViewBox(pg.ViewBox):
    """A view box that lets the map pick, drag and add nodes before falling back to pan and zoom."""

    def __init__(self, owner: MapView) -> None:
        super().__init__()
        self.owner = owner
        self._dragging: str | None = None

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.owner.clicked(self.mapSceneToView(ev.scenePos()), ev.modifiers())
            return
        super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev: Any, axis: Any = None) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            if ev.isStart():
                self._dragging = self.owner.node_at(self.mapSceneToView(ev.buttonDownScenePos()))
            if self._dragging is not None:
                ev.accept()
                self.owner.drag_node(self._dragging, self.mapSceneToView(ev.scenePos()), ev.isFinish())
                if ev.isFinish():
                    self._dragging = None
                return
        super().mouseDragEvent(ev, axis)


class MapView(QWidget):
    """The map tab: toolbar (mode, node type to add, flows/routes toggles, day filter, fit) and plot."""

    SOURCE = "map"

    def __init__(self, doc: NetworkDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._index = _NodeIndex([], [], np.zeros(0), np.zeros(0))
        self._brush_cache: dict[tuple[str, int], Any] = {}
        self._pen_cache: dict[tuple[str | None, float, int], Any] = {}
        self._drawn_cache: tuple[object, list[ShownFlow], set[str] | None] | None = None
        self._network_drawn: Network | None = None

        # ---- toolbar
        self.select_button = QToolButton()
        self.add_button = QToolButton()
        for b in (self.select_button, self.add_button):
            b.setCheckable(True)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.select_button.setChecked(True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.select_button)
        self.mode_group.addButton(self.add_button)
        self.add_kind = QComboBox()
        for key, *_ in LAYERS:
            self.add_kind.addItem(key, key)
        self.show_flows = QCheckBox()
        self.show_flows.setChecked(True)
        self.show_flows.toggled.connect(lambda _on: self.redraw_plan())
        self.show_routes = QCheckBox()
        self.show_routes.setChecked(True)
        self.show_routes.toggled.connect(lambda _on: self.redraw_routes())
        self.day_label = QLabel()
        self.day_filter = QComboBox()
        self.day_filter.currentIndexChanged.connect(lambda _i: self.redraw_routes())
        self.fit_button = QToolButton()
        self.fit_button.clicked.connect(self.fit)
        self.stale_label = QLabel()
        self.stale_label.setStyleSheet("color: #9a6700; font-weight: bold;")
        # shown only while it has something to say, and squeezed before the window widens past a
        # 1366-pixel screen (its tooltip holds the whole text)
        self.stale_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.stale_label.setMinimumWidth(60)
        self.stale_label.hide()
        self.hint = QLabel()
        # the hint may be cut on a narrow screen; it never widens the window (full text in its tooltip)
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hint.setStyleSheet("color: #555;")
        # second row: what the flows show, the orientation layer, the legend
        self.grade_label = QLabel()
        self.grade_filter = QComboBox()
        self.grade_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.grade_filter.setMaximumWidth(200)
        self.grade_filter.currentIndexChanged.connect(lambda _i: self.redraw_plan())
        self.echelon_label = QLabel()
        self.echelon_filter = QComboBox()
        for leg in (None, *ECHELONS):
            self.echelon_filter.addItem(str(leg), leg)
        self.echelon_filter.currentIndexChanged.connect(lambda _i: self.redraw_plan())
        self.show_geo = QCheckBox()
        self.show_geo.setChecked(True)
        self.show_geo.toggled.connect(lambda _on: self._draw_geography())
        self.outline_button = QToolButton()
        self.outline_button.clicked.connect(self.load_outline_dialog)
        self.legend_button = QToolButton()
        self.legend_button.setCheckable(True)
        self.legend_button.setChecked(True)
        # what the sites' colours say, and which year of a multi-year plan is drawn
        self.colour_label = QLabel()
        self.colour_by = QComboBox()
        for key in COLOUR_BY:
            self.colour_by.addItem(key, key)
        self.colour_by.currentIndexChanged.connect(lambda _i: self.redraw_plan())
        self.year_label = QLabel()
        self.year_filter = QComboBox()
        self.year_filter.currentIndexChanged.connect(self._year_chosen)
        self.provisional_label = QLabel()
        self.provisional_label.setStyleSheet("color: #0b5cad; font-weight: bold;")
        self.provisional_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.provisional_label.setMinimumWidth(60)
        self.provisional_label.hide()

        bar = QHBoxLayout()
        bar.addWidget(self.select_button)
        bar.addWidget(self.add_button)
        bar.addWidget(self.add_kind)
        bar.addSpacing(12)
        bar.addWidget(self.show_flows)
        bar.addWidget(self.show_routes)
        bar.addWidget(self.day_label)
        bar.addWidget(self.day_filter)
        bar.addWidget(self.fit_button)
        bar.addStretch(1)
        bar.addWidget(self.hint)
        bar2 = QHBoxLayout()
        for w in (self.grade_label, self.grade_filter, self.echelon_label, self.echelon_filter):
            bar2.addWidget(w)
        bar2.addSpacing(12)
        for w in (self.colour_label, self.colour_by, self.year_label, self.year_filter):
            bar2.addWidget(w)
        bar2.addSpacing(12)
        bar2.addWidget(self.show_geo)
        bar2.addWidget(self.outline_button)
        bar2.addSpacing(12)
        bar2.addWidget(self.stale_label)
        bar2.addWidget(self.provisional_label)
        bar2.addStretch(1)
        bar2.addWidget(self.legend_button)

        # ---- plot
        self.view_box = _MapViewBox(self)
        self.view_box.setMenuEnabled(False)
        self.plot = pg.PlotWidget(viewBox=self.view_box)
        self.plot.hideButtons()
        self.plot_item = self.plot.getPlotItem()
        # the legend sits beside the plot, never over nodes and flows; it can be folded away
        self.legend = MapLegend()
        self.legend_button.toggled.connect(self.legend.setVisible)
        # the orientation layer: under everything, one curve per layer, no antialiasing (fast)
        self.geography = load_shipped()
        self.outline: Geography | None = None
        self.geo_items: list[pg.PlotCurveItem] = []
        self.geo_labels = _LabelLayer(ink="#8a8f98", halo=False)
        self.geo_labels.setZValue(-25)
        self.plot.addItem(self.geo_labels, ignoreBounds=True)
        self.geo_note = QLabel(self.plot)
        self.geo_note.setStyleSheet(
            "background: rgba(255,255,255,210); color: #57606a; padding: 2px 6px; border-radius: 3px;"
        )
        self.flow_arrows: list[pg.PlotCurveItem] = []
        self.plot.installEventFilter(self)
        self.flow_classes: list[tuple[float, float]] = []
        #: site id -> break-even copper price (CNY/t Cu) of the last sweep, shown in the site's tooltip
        self.break_even: dict[str, float] = {}

        self.layers: dict[str, pg.ScatterPlotItem] = {}
        for key, _sheet, symbol, size, colour in LAYERS:
            item = pg.ScatterPlotItem(
                symbol=symbol,
                size=size,
                brush=pg.mkBrush(colour),
                pen=pg.mkPen("#333333", width=0.6),
                hoverable=True,
                tip=self._tip,
            )
            item.setZValue(10 + len(self.layers))
            # A scatter item takes the click on its own points before the view box sees it, so its
            # points' clicks are routed to the same handler as clicks on empty map.
            item.sigClicked.connect(self._point_clicked)
            self.plot.addItem(item)
            self.layers[key] = item
        self.selection_item = pg.ScatterPlotItem(
            symbol="o", size=24, brush=None, pen=pg.mkPen("#FFB000", width=3)
        )
        self.selection_item.setZValue(30)
        self.plot.addItem(self.selection_item)
        self.ghost_item = pg.ScatterPlotItem(
            symbol="o",
            size=14,
            brush=pg.mkBrush(0, 0, 0, 60),
            pen=pg.mkPen("#000000", width=1, style=Qt.PenStyle.DashLine),
        )
        self.ghost_item.setZValue(31)
        self.plot.addItem(self.ghost_item)
        self.flow_items: list[pg.PlotCurveItem] = []
        self.route_items: list[pg.PlotCurveItem] = []
        #: the first plan a running solve found, drawn until the final plan replaces it
        self.provisional: IncumbentPlan | None = None
        self._pending_provisional: IncumbentPlan | None = None
        self._provisional_timer = QTimer(self)
        self._provisional_timer.setSingleShot(True)
        self._provisional_timer.setInterval(PROVISIONAL_REDRAW_MS)
        self._provisional_timer.timeout.connect(self._draw_provisional)
        #: the flows drawn now, for hover and click; the one clicked, highlighted
        self.flow_index = FlowIndex.empty()
        self.selected_flow: ShownFlow | None = None
        self.hover_text = ""
        self.flow_highlight = pg.PlotCurveItem(pen=pg.mkPen(QColor(255, 176, 0, 200), width=7))
        self.flow_highlight.setZValue(-3)  # over the flows (z below -4), under the nodes
        self.plot.addItem(self.flow_highlight, ignoreBounds=True)
        self.plot.scene().sigMouseMoved.connect(self._hovered)
        self.city_labels = _LabelLayer(ink="#5b6470", halo=True, dot=True)
        self.city_labels.setZValue(-20)
        self.plot.addItem(self.city_labels, ignoreBounds=True)
        self._node_boxes: list[tuple[float, float, float, float]] = []
        self._label_font = QFont(self.font().family(), 8)
        self._geo_font = QFont(self.font().family(), 8)
        self._geo_font.setItalic(True)
        self._city_font = QFont(self.font().family(), 8)
        self.label_layer = _LabelLayer()
        self.plot.addItem(self.label_layer, ignoreBounds=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addLayout(bar2)
        # beside the plot: the inspector of the clicked node (when one is selected), then the legend
        self.inspector = Inspector(doc)
        side = QVBoxLayout()
        side.addWidget(self.inspector, 1)
        side.addWidget(self.legend)
        side.addStretch(0)
        body = QHBoxLayout()
        body.addWidget(self.plot, 1)
        body.addLayout(side)
        layout.addLayout(body, 1)

        self._label_timer = QTimer(self)
        self._label_timer.setSingleShot(True)
        self._label_timer.setInterval(120)
        self._label_timer.timeout.connect(self.update_labels)
        self.view_box.sigRangeChanged.connect(lambda *_: self._label_timer.start())

        doc.networkChanged.connect(self.redraw)
        # A new plan is drawn in the next turn of the event loop, so the document's other listeners and
        # the drawing do not add up to one long pause.
        self._plan_timer = QTimer(self)
        self._plan_timer.setSingleShot(True)
        self._plan_timer.setInterval(0)
        self._plan_timer.timeout.connect(self.redraw_plan)
        self._plan_timer.timeout.connect(self.redraw_routes)
        doc.planChanged.connect(self._plan_changed)
        doc.selectionChanged.connect(self.show_selection)
        # the year shown follows the other views' year selector (the Results view's), when there is one
        year_signal = getattr(doc, "selectedYearChanged", None)
        if year_signal is not None:
            year_signal.connect(lambda year: self.select_year(int(year) or None))
        # a bound method, not a lambda: Qt drops the connection when the view is deleted
        notifier.changed.connect(self._language_changed)
        self.retranslate()
        self._draw_geography()
        self.redraw()
        self.redraw_plan()
        self.redraw_routes()
        self.fit()

    # ---- language ------------------------------------------------------------------------------
    def _language_changed(self, _lang: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.select_button.setText(tr("map.select"))
        self.select_button.setToolTip(tr("map.select_tip"))
        self.add_button.setText(tr("map.add"))
        self.add_button.setToolTip(tr("map.add_tip"))
        for i, (key, *_rest) in enumerate(LAYERS):
            self.add_kind.setItemText(i, tr(f"kind.{key}"))
        self.show_flows.setText(tr("map.flows"))
        self.show_routes.setText(tr("map.routes"))
        self.day_label.setText(tr("map.day"))
        self.fit_button.setText(tr("map.fit"))
        self.hint.setText(tr("map.hint"))
        self.hint.setToolTip(tr("map.hint"))
        self.plot_item.setLabel("bottom", tr("map.longitude"))
        self.plot_item.setLabel("left", tr("map.latitude"))
        self.grade_label.setText(tr("map.grade_filter"))
        self.echelon_label.setText(tr("map.echelon_filter"))
        for i in range(self.echelon_filter.count()):
            key = self.echelon_filter.itemData(i)
            self.echelon_filter.setItemText(i, tr("map.all") if key is None else tr(f"echelon.{key}"))
        self.show_geo.setText(tr("map.geography"))
        self.show_geo.setToolTip(tr("map.geography_tip"))
        self.outline_button.setText(tr("map.outline"))
        self.outline_button.setToolTip(tr("map.outline_tip"))
        self.legend_button.setText(tr("map.legend"))
        self.colour_label.setText(tr("map.colour_by"))
        for i in range(self.colour_by.count()):
            self.colour_by.setItemText(i, tr(f"map.colour_{self.colour_by.itemData(i)}"))
        self.year_label.setText(tr("map.year"))
        self._update_provisional_label()
        self._fill_years()
        self._fill_grades()
        self._fill_days()
        self._update_stale()
        self._rebuild_legend()
        self._update_geo_note()
        self._update_geo_labels()

    def _rebuild_legend(self) -> None:
        """Node kinds, then (with a plan) the grades' flow colours and what each line width means."""
        rows: list[LegendRow] = [LegendRow("heading", "", 0, tr("map.legend_nodes"))]
        for key, _sheet, symbol, size, colour in LAYERS:
            rows.append(LegendRow(symbol, colour, min(size, 14), tr(f"kind.{key}")))
        rows.append(LegendRow("candidate", "#E69F00", 10, tr("map.legend_candidate")))
        rows += self._colour_legend()
        drawn, _opened = self._drawn()
        if drawn and self.show_flows.isChecked():
            net = self.doc.network
            order = [g.id for g in net.grades]
            rows.append(LegendRow("heading", "", 0, tr("map.legend_flows")))
            for grade_id in sorted(
                {f.grade_id for f in drawn},
                key=lambda g: (g not in order, order.index(g) if g in order else 0, g),
            ):
                name = net.grade(grade_id).name(language()) if grade_id in order else grade_id
                rows.append(LegendRow("line", grade_colour(net, grade_id), 3, name))
            if self.flow_classes:
                rows.append(LegendRow("heading", "", 0, tr("map.legend_widths")))
                low = 0.0
                for high, width in self.flow_classes:
                    rows.append(
                        LegendRow(
                            "line",
                            "#555555",
                            width,
                            tr("map.width_class", low=grouped(low), high=grouped(high)),
                        )
                    )
                    low = high
        self.legend.set_rows(rows)

    def _colour_legend(self) -> list[LegendRow]:
        """What the sites' colours mean when they are coloured by build year or utilization."""
        by = str(self.colour_by.currentData())
        plan = self.doc.plan
        if by == "type" or plan is None or not plan.has_solution or self.provisional is not None:
            return []
        keys = legend_keys(plan, by)
        rows = [LegendRow("heading", "", 0, tr(f"map.colour_{by}"))] if keys else []
        for k in keys:
            if k.year is not None:
                text = str(k.year)
            elif k.low is None:
                text = tr("map.colour_existing")
            elif k.high is None:
                text = tr("map.util_top", low=f"{k.low:.0f}")
            else:
                text = tr("map.util_class", low=f"{k.low:.0f}", high=f"{k.high:.0f}")
            rows.append(LegendRow("s", k.colour, 10, text))
        return rows

    # ---- geography -----------------------------------------------------------------------------
    def _draw_geography(self) -> None:
        """The orientation layer (or the user's own outline) under the network; nothing when off."""
        for item in self.geo_items:
            self.plot.removeItem(item)
        self.geo_items = []
        layer = self.outline or self.geography
        shown = self.show_geo.isChecked() and layer is not None
        # a lat/lon grid only without outlines: with them it is clutter (and the axes' slowest paint)
        self.plot.showGrid(x=not shown, y=not shown, alpha=0.15)
        if shown and layer is not None:
            for points, colour, width in ((layer.coast, "#9db8d2", 1.0), (layer.provinces, "#b9bec6", 1.0)):
                if len(points):
                    item = pg.PlotCurveItem(
                        points[:, 0],
                        points[:, 1],
                        connect="finite",
                        pen=pg.mkPen(colour, width=width),
                        antialias=False,
                    )
                    item.setZValue(-30)
                    self.plot.addItem(item, ignoreBounds=True)
                    self.geo_items.append(item)
        self._update_geo_note()
        self._update_geo_labels()

    def _update_geo_note(self) -> None:
        layer = self.outline or self.geography
        on = self.show_geo.isChecked() and layer is not None
        self.geo_note.setVisible(on)
        if on and layer is not None:
            own = self.outline is not None
            self.geo_note.setText(
                tr("map.own_outline", name=layer.attribution) if own else tr("map.orientation")
            )
            self.geo_note.setToolTip(layer.attribution if own else tr("about.map_data"))
            self.geo_note.adjustSize()
            self._place_geo_note()

    def _place_geo_note(self) -> None:
        self.geo_note.move(max(0, self.plot.width() - self.geo_note.width() - 10), 8)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        # the plot narrows when the inspector opens: keep the note in its top-right corner
        if watched is self.plot and event.type() == QEvent.Type.Resize:
            self._place_geo_note()
        return super().eventFilter(watched, event)

    def _update_geo_labels(self) -> None:
        """Province names when the view shows a region, and city names by zoom (municipalities and
        provincial capitals at country zoom, more cities closer in), never over the network's own
        labels or each other; none off the layer or with the user's own outline."""
        layer = self.geography
        provinces: list[tuple[float, float, str]] = []
        cities: list[tuple[float, float, str]] = []
        if self.show_geo.isChecked() and self.outline is None and layer is not None:
            (x0, x1), (y0, y1) = self.view_box.viewRange()
            px, py = self.view_box.viewPixelSize()
            lang = language()
            if 1.5 < x1 - x0 < 80:
                provinces = [
                    (p.lon, p.lat, p.name(lang))
                    for p in layer.labels
                    if x0 <= p.lon <= x1 and y0 <= p.lat <= y1
                ]
            if px > 0 and py > 0:
                provinces, cities = self._place_geo_labels(layer, provinces, lang)
        self.geo_labels.set_labels(provinces, self._geo_font)
        self.city_labels.set_labels(cities, self._city_font)

    def _place_geo_labels(
        self, layer: Geography, provinces: list[tuple[float, float, str]], lang: str
    ) -> tuple[list[tuple[float, float, str]], list[tuple[float, float, str]]]:
        """Greedy placement in screen pixels after the network's own labels: the municipalities and
        provincial capitals, then the province names (a municipality's name only once), then the other
        cities of the ranks the zoom allows, each only where it overlaps nothing placed."""
        (x0, x1), (y0, y1) = self.view_box.viewRange()
        px, py = self.view_box.viewPixelSize()
        max_rank = next((rank for w, rank in CITY_RANK_BY_WIDTH if x1 - x0 >= w), 4)
        placed = list(self._node_boxes)
        city_metrics, geo_metrics = QFontMetrics(self._city_font), QFontMetrics(self._geo_font)

        def fits(lon: float, lat: float, text: str, metrics: QFontMetrics, pad: float) -> bool:
            cx, cy = (lon - x0) / px, (y1 - lat) / py
            box = (cx - pad, cy - metrics.height() - 2, cx + 6 + metrics.horizontalAdvance(text), cy + pad)
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                return False
            placed.append(box)
            return True

        visible = [c for c in layer.cities if c.rank <= max_rank and x0 <= c.lon <= x1 and y0 <= c.lat <= y1]
        cities: list[tuple[float, float, str]] = []
        for c in visible:
            if c.rank <= 1 and fits(c.lon, c.lat, c.name(lang), city_metrics, 3):
                cities.append((c.lon, c.lat, c.name(lang)))
        named = {text for _lon, _lat, text in cities}
        kept = [
            (lon, lat, text)
            for lon, lat, text in provinces
            if text not in named and fits(lon, lat, text, geo_metrics, 0)
        ]
        for c in visible:
            if len(cities) >= MAX_CITY_LABELS:
                break
            if c.rank > 1 and fits(c.lon, c.lat, c.name(lang), city_metrics, 3):
                cities.append((c.lon, c.lat, c.name(lang)))
        return kept, cities

    def load_outline_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr_title("map.outline"), "", tr("map.outline_filter"))
        if path:
            self.load_outline(Path(path))

    def load_outline(self, path: Path | None) -> bool:
        """Draw ``path`` (GeoJSON or shapefile) instead of the shipped layer; None goes back to it."""
        if path is None:
            self.outline = None
        else:
            try:
                self.outline = load_outline(path)
            except OutlineError as exc:
                QMessageBox.warning(self, tr_title("map.outline"), tr("map.outline_failed", error=str(exc)))
                return False
        self.show_geo.setChecked(True)
        self._draw_geography()
        return True

    # ---- nodes ---------------------------------------------------------------------------------
    def _brush(self, colour: str, alpha: int) -> Any:
        key = (colour, alpha)
        if key not in self._brush_cache:
            c = QColor(colour)
            c.setAlpha(alpha)
            self._brush_cache[key] = pg.mkBrush(c)
        return self._brush_cache[key]

    def redraw(self) -> None:
        """Redraw every node (after any edit); flows and routes follow the nodes they connect."""
        net = self.doc.network
        self._index = _NodeIndex.of(net)
        lats = self._index.lat
        if len(lats):
            mid = float(np.clip(np.mean(lats), -80, 80))
            self.view_box.setAspectLocked(True, ratio=math.cos(math.radians(mid)))
        _flows, opened = self._drawn()
        colours = self._colours()
        by_kind: dict[str, list[Any]] = {key: [] for key, *_ in LAYERS}
        for node in net.nodes():
            by_kind[node_kind(node)].append(node)
        for key, _sheet, _symbol, size, colour in LAYERS:
            nodes = by_kind[key]
            brushes, pens, sizes = [], [], []
            for n in nodes:
                b, p, s = self._style(n, colours.get(n.id, colour), size, opened)
                brushes.append(b)
                pens.append(p)
                sizes.append(s)
            self.layers[key].setData(
                x=[n.lon for n in nodes],
                y=[n.lat for n in nodes],
                data=[n.id for n in nodes],
                brush=brushes,
                pen=pens,
                size=sizes,
            )
        self._network_drawn = net
        self.show_selection(self.doc.selection, "")
        self._label_timer.start()
        if self.doc.plan is not None or self.provisional is not None:
            self.redraw_plan()
            self.redraw_routes()

    def _style(self, node: Any, colour: str, size: float, opened: set[str] | None) -> tuple[Any, ...]:
        """Brush, pen and size of a node; ``opened`` the sites the drawn plan runs (None: no plan)."""
        solved = opened is not None
        opened = opened or set()
        # one pen and brush object per style: pyqtgraph renders a symbol once per distinct pen and brush
        # object, so shared objects make redrawing 700 yards one symbol, not 700 (national: 0.5 s less)
        pen = self._pen("#333333", 0.6)
        if isinstance(node, ProcessingSite):
            if node.status is SiteStatus.CLOSED:
                return self._brush("#BBBBBB", 160), self._pen("#999999", 0.8), size
            if solved:
                if node.id in opened:
                    return self._brush(colour, 255), self._pen("#000000", 2.2), size * 1.35
                return self._brush(colour, 45), self._pen("#787878", 0.8, 90), size
            if node.status is SiteStatus.CANDIDATE:
                return self._brush("#FFFFFF", 255), self._pen(colour, 2.0), size
            return self._brush(colour, 255), pen, size
        if isinstance(node, CollectionPoint):
            return self._brush(colour, 200), self._pen(None, 0.0), size
        return self._brush(colour, 255), pen, size

    def _pen(self, colour: str | None, width: float, alpha: int = 255) -> Any:
        key = (colour, width, alpha)
        if key not in self._pen_cache:
            if colour is None:
                self._pen_cache[key] = pg.mkPen(None)
            else:
                c = QColor(colour)
                c.setAlpha(alpha)
                self._pen_cache[key] = pg.mkPen(c, width=width)
        return self._pen_cache[key]

    def _tip(self, x: float, y: float, data: Any) -> str:
        try:
            node = self.doc.network.node(str(data))
        except KeyError:
            return str(data)
        lines = [
            f"{node.id} {node.name}".strip(),
            tr(f"kind.{node_kind(node)}"),
            f"{node.lat:.4f}, {node.lon:.4f}",
        ]
        if isinstance(node, CollectionPoint):
            lines.append(tr("map.tip_supply", t=f"{node.total_supply_t_per_year:,.0f}"))
        plan = self.doc.plan
        if plan is not None and plan.has_solution:
            site = plan.site(node.id) if isinstance(node, ProcessingSite) else None
            if site is not None:
                lines.append(
                    tr(
                        "map.tip_site",
                        module=site.module_id,
                        t=f"{site.throughput_t:,.0f}",
                        cap=f"{site.capacity_t:,.0f}",
                        pct=f"{site.utilization_pct:.0f}",
                    )
                )
            elif isinstance(node, ProcessingSite):
                lines.append(tr("map.tip_unused"))
            assignment = plan.assignment(node.id) if isinstance(node, CollectionPoint) else None
            if assignment is not None:
                for share in sorted(assignment.shares, key=lambda x: -x.t)[:4]:
                    lines.append(tr("map.tip_goes", to=share.destination_id, t=grouped(share.t)))
            intake = next((m for m in plan.smelters if m.smelter_id == node.id), None)
            if intake is not None:
                lines.append(
                    tr(
                        "map.tip_smelter",
                        t=grouped(intake.intake_t),
                        cu=grouped(intake.intake_t_cu),
                        blend=f"{100 * intake.blended_copper_content:.1f}",
                        pct=f"{intake.utilization_pct:.0f}",
                    )
                )
        if node.id in self.break_even:
            lines.append(tr("map.tip_break_even", price=f"{self.break_even[node.id]:,.0f}"))
        return "\n".join(lines)

    def update_labels(self) -> None:
        """Label the nodes in view that have room: smelters and sites first, then the largest points.

        Labels never overlap (a greedy placement in screen pixels), so a zoomed-out national map shows
        a few readable names instead of a smear, and zooming in reveals more.
        """
        (x0, x1), (y0, y1) = self.view_box.viewRange()
        idx = self._index
        inside = np.nonzero((idx.lon >= x0) & (idx.lon <= x1) & (idx.lat >= y0) & (idx.lat <= y1))[0]
        px, py = self.view_box.viewPixelSize()
        chosen: list[tuple[int, str]] = []
        placed = self._note_boxes()  # no name under the "for orientation" note in the corner
        flipped: set[int] = set()
        lowered: set[int] = set()
        if len(inside) <= MAX_LABEL_CANDIDATES and px > 0 and py > 0:
            net = self.doc.network
            plan = self.doc.plan if self.doc.plan is not None and self.doc.plan.kpis is not None else None
            modules = {s.site_id: s.module_id for s in plan.sites} if plan is not None else {}
            nodes = {n.id: n for n in net.nodes()}
            rank = {"smelter": 0, "sorting": 2, "dismantling": 2, "collection": 3}

            def priority(i: int) -> tuple[int, float]:
                node = nodes.get(idx.ids[i])
                if node is None:
                    return (9, 0.0)
                kind = idx.kinds[i]
                opened = 1 if node.id in modules else 0
                return (rank[kind] - opened, -float(idx.supply[i]))

            metrics = QFontMetrics(self._label_font)
            height = metrics.height()
            crowded = len(inside) > CROWDED_VIEW
            for i in sorted(inside.tolist(), key=priority):
                node = nodes.get(idx.ids[i])
                if node is None:
                    continue
                if crowded and idx.kinds[i] == "collection":
                    break  # zoomed out over many points: name only smelters and sites
                text = node.name or node.id
                if node.id in modules:
                    text += f" [{modules[node.id]}]"
                cx, cy = (idx.lon[i] - x0) / px, (y1 - idx.lat[i]) / py
                advance = metrics.horizontalAdvance(text)
                # a name that would run off the plot's right edge goes left of its node instead
                left = cx + 5 + advance > (x1 - x0) / px - 2
                below = cy - height - 2 < 0  # and one that would leave it at the top goes below
                box = (
                    cx - 5 - advance if left else cx + 5,
                    cy + 2 if below else cy - height - 2,
                    cx - 5 if left else cx + 5 + advance,
                    cy + height + 2 if below else cy - 2,
                )
                if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                    continue
                placed.append(box)
                chosen.append((i, text))
                if left:
                    flipped.add(len(chosen) - 1)
                if below:
                    lowered.add(len(chosen) - 1)
                if len(chosen) >= MAX_LABELS:
                    break
        self.label_layer.set_labels(
            [(float(idx.lon[i]), float(idx.lat[i]), text) for i, text in chosen],
            self._label_font,
            flipped,
            lowered,
        )
        self._node_boxes = placed
        self._update_geo_labels()

    def _note_boxes(self) -> list[tuple[float, float, float, float]]:
        """The corner note's rectangle in the view box's pixels (where labels are placed), if shown."""
        if not self.geo_note.isVisible():
            return []
        origin = self.plot.mapFromScene(self.view_box.sceneBoundingRect().topLeft())
        r = self.geo_note.geometry().translated(-origin.x(), -origin.y())
        return [(float(r.left()), float(r.top()), float(r.right()), float(r.bottom()))]

    def fit(self) -> None:
        """Show every node with a margin all round, wider on the right where labels run."""
        idx = self._index
        if len(idx.lon) == 0:
            self.view_box.setRange(xRange=(100, 125), yRange=(20, 42), padding=0.05)
            return
        span_x = max(0.2, float(np.ptp(idx.lon)))
        span_y = max(0.2, float(np.ptp(idx.lat)))
        self.view_box.setRange(
            xRange=(float(idx.lon.min()) - 0.06 * span_x, float(idx.lon.max()) + 0.16 * span_x),
            yRange=(float(idx.lat.min()) - 0.07 * span_y, float(idx.lat.max()) + 0.09 * span_y),
            padding=0.0,
        )

    # ---- plan ----------------------------------------------------------------------------------
    def _update_stale(self) -> None:
        self.stale_label.setText(tr("map.stale") if self.doc.current.plan_stale else "")
        self.stale_label.setToolTip(self.stale_label.text())
        self.stale_label.setVisible(bool(self.stale_label.text()))

    # ---- which plan is drawn: the provisional one of a running solve, or a year of the solved one -----
    def _plan_changed(self) -> None:
        """A new plan replaces a provisional one (drawn in the next turn of the event loop)."""
        self._provisional_timer.stop()
        self.provisional, self._pending_provisional = None, None
        self._update_provisional_label()
        self._plan_timer.start()

    def show_progress(self, update: Any) -> None:
        """A running solve's progress: a plan its event carries is drawn at once, marked provisional."""
        plan = getattr(getattr(update, "event", None), "incumbent_plan", None)
        if getattr(update, "kind", "") not in SOLVE_JOBS or not isinstance(plan, IncumbentPlan):
            return
        self._pending_provisional = plan
        # the first plan at once; the heuristic's improvements (up to one a second, each a redraw of
        # thousands of flows) at most every PROVISIONAL_REDRAW_MS, the latest one
        if self.provisional is None:
            self._draw_provisional()
        elif not self._provisional_timer.isActive():
            self._provisional_timer.start()

    def _draw_provisional(self) -> None:
        plan, self._pending_provisional = self._pending_provisional, None
        if plan is None:
            return  # a final plan (or the job's end) came first
        self.provisional = plan
        self._update_provisional_label()
        self.redraw_plan()

    def job_finished(self, kind: str) -> None:
        """A solve that ends without a new plan (failed, or cancelled before one) leaves none provisional."""
        if kind in SOLVE_JOBS:
            self._provisional_timer.stop()
            self._pending_provisional = None
        if kind in SOLVE_JOBS and self.provisional is not None:
            self.provisional = None
            self._update_provisional_label()
            self.redraw_plan()

    def _update_provisional_label(self) -> None:
        p = self.provisional
        text = (
            tr("map.provisional", objective=grouped(p.objective), sites=len(p.open_modules))
            if p is not None
            else ""
        )
        self.provisional_label.setText(text)
        tip = tr("map.provisional_tip", objective=grouped(p.objective)) if p is not None else ""
        self.provisional_label.setToolTip(tip)
        self.provisional_label.setVisible(bool(text))

    def shown_plan(self) -> Plan | None:
        """The solved plan on the map: the year chosen of a multi-year plan, else the plan; None unsolved."""
        plan = self.doc.plan
        if plan is None or not plan.has_solution:
            return None
        i = self.year_filter.currentIndex()
        if len(plan.year_plans) > 1 and self.year_filter.count() == len(plan.year_plans) and i >= 0:
            return plan.year_plans[i]
        return plan

    @staticmethod
    def plan_years(plan: Plan) -> list[int]:
        """The calendar year of each of a multi-year plan's year plans."""
        if len(plan.periods) == len(plan.year_plans):
            return [p.year for p in plan.periods]
        tail = [p.network_name.rsplit(" ", 1)[-1] for p in plan.year_plans]
        return [int(t) if t.isdigit() else i + 1 for i, t in enumerate(tail)]

    def _fill_years(self) -> None:
        """The year selector lists a multi-year plan's years (the last one shown first); hidden otherwise."""
        plan = self.doc.plan
        many = plan is not None and plan.has_solution and len(plan.year_plans) > 1
        years = self.plan_years(plan) if plan is not None and many else []
        if [self.year_filter.itemData(i) for i in range(self.year_filter.count())] != years:
            current = self.year_filter.currentData()
            self.year_filter.blockSignals(True)
            self.year_filter.clear()
            for y in years:
                self.year_filter.addItem(str(y), y)
            found = self.year_filter.findData(current)
            self.year_filter.setCurrentIndex(found if found >= 0 else len(years) - 1)
            self.year_filter.blockSignals(False)
        self.year_label.setVisible(bool(years))
        self.year_filter.setVisible(bool(years))

    def _year_chosen(self, _index: int) -> None:
        """The map's year selector: draw that year, and tell the other views (when they listen)."""
        setter = getattr(self.doc, "set_selected_year", None)
        year = self.year_filter.currentData()
        if setter is not None and year is not None:
            setter(int(year))
        self.redraw_plan()

    def select_year(self, year: int | None) -> None:
        """Show ``year`` of a multi-year plan (from the map's selector or the Results view's)."""
        found = self.year_filter.findData(year)
        if found >= 0 and found != self.year_filter.currentIndex():
            self.year_filter.setCurrentIndex(found)

    def _drawn(self) -> tuple[list[ShownFlow], set[str] | None]:
        """The flows and open sites drawn: the provisional plan's while a solve runs, else the shown
        plan's; the sites are None without a plan."""
        source: Plan | IncumbentPlan | None = self.provisional or self.shown_plan()
        cached = self._drawn_cache
        if cached is not None and cached[0] is source:
            return cached[1], cached[2]  # one redraw asks four times: 4,000 national flows built once
        if source is None:
            drawn: tuple[list[ShownFlow], set[str] | None] = ([], None)
        elif isinstance(source, IncumbentPlan):
            drawn = flows_of(source), {site for site, _module in source.open_modules}
        else:
            drawn = flows_of(source), {s.site_id for s in source.sites}
        self._drawn_cache = (source, *drawn)
        return drawn

    def _colours(self) -> dict[str, str]:
        """Node id -> colour when sites are coloured by build year or utilization (not provisional)."""
        by = str(self.colour_by.currentData())
        plan, shown = self.doc.plan, self.shown_plan()
        if by == "type" or self.provisional is not None or plan is None or shown is None:
            return {}
        return site_colours(plan, shown, by)

    def redraw_plan(self) -> None:
        """Draw the plan's flows (batched per grade and width class, with arrowheads) and restyle sites.

        Only the flows of the grade and echelon chosen in the filters are drawn; the widths' legend
        says the tonnes each width stands for. The drawn flows are indexed for hover and click.
        """
        for item in (*self.flow_items, *self.flow_arrows):
            self.plot.removeItem(item)
        self.flow_items, self.flow_arrows, self.flow_classes = [], [], []
        self.flow_index = FlowIndex.empty()
        self._update_stale()
        net = self.doc.network
        if self._network_drawn is not net:
            self.redraw()
            return
        self._fill_years()
        self._restyle_for_plan()
        self._fill_grades()
        drawn, opened = self._drawn()
        if opened is None or not self.show_flows.isChecked():
            self._show_flow_selection()
            self._rebuild_legend()
            return
        coords = {n.id: (n.lon, n.lat) for n in net.nodes()}
        grade, echelon = self.grade_filter.currentData(), self.echelon_filter.currentData()
        flows = [
            f
            for f in drawn
            if f.t > 1e-6
            and f.from_id in coords
            and f.to_id in coords
            and (grade is None or f.grade_id == grade)
            and (echelon is None or f.echelon == echelon)
        ]
        if not flows:
            self._show_flow_selection()
            self._rebuild_legend()
            return
        biggest = max(f.t for f in flows)
        self.flow_classes = [(limit * biggest if limit <= 1 else biggest, w) for limit, w in FLOW_WIDTHS]
        # in arrays: the segments, each flow's width class (the first whose share limit it does not pass)
        segments_all = np.array([(*coords[f.from_id], *coords[f.to_id]) for f in flows], dtype=float)
        limits = np.array([limit for limit, _w in FLOW_WIDTHS])
        classes = np.searchsorted(limits, np.array([f.t for f in flows]) / biggest, side="left").tolist()
        groups: dict[tuple[str, float], list[int]] = {}
        for k, (f, c) in enumerate(zip(flows, classes, strict=True)):
            groups.setdefault((f.grade_id, FLOW_WIDTHS[min(c, len(FLOW_WIDTHS) - 1)][1]), []).append(k)
        buckets = {key: segments_all[rows] for key, rows in groups.items()}
        self.flow_index = FlowIndex(flows, segments_all)
        # a stale plan and a provisional one are drawn fainter than a plan of the network as it is
        alpha = 90 if self.doc.current.plan_stale and self.provisional is None else 170
        alpha = 120 if self.provisional is not None else alpha
        # antialiased wide lines are pyqtgraph's slow path: with about 2,400 flows on the national network
        # a pan frame took 560 ms antialiased as one path, 117 ms drawn as plain segments (measured on a
        # loaded 2-core machine; 58 ms without flows), so many flows are drawn without antialiasing
        smooth = len(flows) <= SMOOTH_FLOWS_MAX
        (vx0, vx1), (vy0, vy1) = self.view_box.viewRange()
        head = 0.012 * max(vx1 - vx0, vy1 - vy0)  # arrowhead length: about 1 % of the view
        dashed = self.provisional is not None
        for (grade_id, width), arr in sorted(buckets.items(), key=lambda kv: kv[0][1]):
            colour = QColor(grade_colour(net, grade_id))
            colour.setAlpha(alpha)
            pen = pg.mkPen(colour, width=width)
            if dashed:
                # dashes as long as their gaps: wide dashed lines go through Qt's path stroker, and
                # Qt's DashLine (4:2) made the first paint of the national provisional plan's 2 px
                # flows 65 ms against 48 ms (solid 40 ms)
                pen.setDashPattern(PROVISIONAL_DASHES)
            item = pg.PlotCurveItem(
                arr[:, [0, 2]].ravel(), arr[:, [1, 3]].ravel(), connect="pairs", pen=pen, antialias=smooth
            )
            # pairs never share an end, so drawing them as separate segments looks the same and avoids
            # stroking one long path (pyqtgraph's default for translucent wide pens)
            item.setSegmentedLineMode("on")
            item.setZValue(-10 + width)
            self.plot.addItem(item)
            self.flow_items.append(item)
            arrows = _arrowheads(arr, head)
            if len(arrows):
                # one-pixel strokes: Qt draws those on its fast path (1.5 px went through its path
                # stroker: 15 ms of a paint of 4,500 national arrowheads, about 1 ms now)
                tip_pen = pg.mkPen(colour, width=1.0)
                tip = pg.PlotCurveItem(
                    arrows[:, 0], arrows[:, 1], connect="pairs", pen=tip_pen, antialias=smooth
                )
                tip.setSegmentedLineMode("on")
                tip.setZValue(-10 + width)
                self.plot.addItem(tip)
                self.flow_arrows.append(tip)
        self._show_flow_selection()
        self._rebuild_legend()
        self._label_timer.start()

    # ---- flows under the mouse -------------------------------------------------------------------
    def flow_at(self, pos: QPointF) -> int | None:
        """The row in :attr:`flow_index` of the drawn flow within a few pixels of ``pos``, if any."""
        px, py = self.view_box.viewPixelSize()
        return self.flow_index.nearest(pos.x(), pos.y(), px, py)

    def _hovered(self, scene_pos: QPointF) -> None:
        """Over a flow (and not over a node, whose own tooltip wins): say what the flow carries."""
        text = ""
        if self.plot.sceneBoundingRect().contains(scene_pos) and len(self.flow_index.flows):
            pos = self.view_box.mapSceneToView(scene_pos)
            if self.node_at(pos) is None:
                row = self.flow_at(pos)
                if row is not None:
                    text = flow_tip(self.doc.network, self.flow_index.flows[row])
        if text == self.hover_text:
            return
        self.hover_text = text
        if text:
            at = self.plot.viewport().mapToGlobal(self.plot.mapFromScene(scene_pos))
            QToolTip.showText(at, text, self.plot)
        else:
            QToolTip.hideText()

    def select_flow(self, flow: ShownFlow | None) -> None:
        """Highlight ``flow`` (None: no flow) and show it in the inspector."""
        self.selected_flow = flow
        self._show_flow_selection()

    def _show_flow_selection(self) -> None:
        """Keep the selected flow highlighted across redraws while it is drawn; forget it when not."""
        flow = self.selected_flow
        row = None
        if flow is not None:
            key = (flow.from_id, flow.to_id, flow.grade_id)
            row = next(
                (i for i, f in enumerate(self.flow_index.flows) if (f.from_id, f.to_id, f.grade_id) == key),
                None,
            )
        if row is None:
            self.selected_flow = None
            # hidden, not emptied: setData on a curve re-ranges the view (67 ms on the national map)
            self.flow_highlight.setVisible(False)
            if self.inspector.flow is not None:
                self.inspector.show_flow(None)
            return
        self.selected_flow = self.flow_index.flows[row]
        seg = self.flow_index.segments[row]
        self.flow_highlight.setData(x=seg[[0, 2]], y=seg[[1, 3]])
        self.flow_highlight.setVisible(True)
        self.inspector.show_flow(self.selected_flow)

    def _fill_grades(self) -> None:
        """The grade filter lists the grades of the shown plan's flows (plus "all")."""
        net = self.doc.network
        grades = sorted({f.grade_id for f in self._drawn()[0]})
        wanted = [None, *grades]
        current = self.grade_filter.currentData()
        if [self.grade_filter.itemData(i) for i in range(self.grade_filter.count())] == wanted:
            self.grade_filter.setItemText(0, tr("map.all"))
            return
        known = {g.id: g for g in net.grades}
        self.grade_filter.blockSignals(True)
        self.grade_filter.clear()
        self.grade_filter.addItem(tr("map.all"), None)
        for g in grades:
            self.grade_filter.addItem(known[g].name(language()) if g in known else g, g)
        self.grade_filter.setCurrentIndex(max(0, self.grade_filter.findData(current)))
        self.grade_filter.blockSignals(False)

    def _restyle_for_plan(self) -> None:
        """Sites (and smelters) styled for the plan drawn: open ones bold, in the colours chosen."""
        net = self.doc.network
        _flows, opened = self._drawn()
        colours = self._colours()
        for key, _sheet, _symbol, size, colour in LAYERS:
            if key == "collection":
                continue
            if key == "smelter":
                nodes: list[Any] = list(net.smelters)
            else:
                kind = SiteKind.DISMANTLING if key == "dismantling" else SiteKind.SORTING
                nodes = [s for s in net.sites if s.kind is kind]
            styles = [self._style(n, colours.get(n.id, colour), size, opened) for n in nodes]
            self.layers[key].setData(
                x=[n.lon for n in nodes],
                y=[n.lat for n in nodes],
                data=[n.id for n in nodes],
                brush=[b for b, _p, _s in styles],
                pen=[p for _b, p, _s in styles],
                size=[s for _b, _p, s in styles],
            )

    # ---- routes --------------------------------------------------------------------------------
    def _fill_days(self) -> None:
        routes = self.doc.current.route_plan
        current = self.day_filter.currentData()
        self.day_filter.blockSignals(True)
        self.day_filter.clear()
        self.day_filter.addItem(tr("map.all_days"), None)
        if routes is not None:
            days = sorted({r.day for r in routes.routes})
            for d in days:
                self.day_filter.addItem(day_name(routes, d), d)
        found = self.day_filter.findData(current)
        self.day_filter.setCurrentIndex(max(0, found))
        self.day_filter.blockSignals(False)
        has = routes is not None and bool(routes.routes)
        for w in (self.day_label, self.day_filter, self.show_routes):
            w.setVisible(has)

    def redraw_routes(self) -> None:
        for item in self.route_items:
            self.plot.removeItem(item)
        self.route_items = []
        self._fill_days()
        routes = self.doc.current.route_plan
        if routes is None or not self.show_routes.isChecked():
            return
        day = self.day_filter.currentData()
        coords = {n.id: (n.lon, n.lat) for n in self.doc.network.nodes()}
        segments: dict[int, list[tuple[float, float, float, float]]] = {}
        for i, route in enumerate(routes.routes_of(day=day)):
            points = [coords[s.node_id] for s in route.stops if s.node_id in coords]
            for (x0, y0), (x1, y1) in itertools.pairwise(points):
                segments.setdefault(i % len(ROUTE_COLOURS), []).append((x0, y0, x1, y1))
        for slot, segs in segments.items():
            arr = np.asarray(segs, dtype=float)
            item = pg.PlotCurveItem(
                arr[:, [0, 2]].ravel(),
                arr[:, [1, 3]].ravel(),
                connect="pairs",
                pen=pg.mkPen(QColor(ROUTE_COLOURS[slot]), width=1.2, style=Qt.PenStyle.DashLine),
            )
            item.setZValue(-2)
            self.plot.addItem(item)
            self.route_items.append(item)

    # ---- selection and editing -----------------------------------------------------------------
    def show_selection(self, ids: Iterable[str], source: str) -> None:
        chosen = set(ids)
        idx = self._index
        picks = [i for i, node_id in enumerate(idx.ids) if node_id in chosen]
        self.selection_item.setData(
            x=idx.lon[picks], y=idx.lat[picks]
        ) if picks else self.selection_item.clear()
        if picks and source and source != self.SOURCE:
            (x0, x1), (y0, y1) = self.view_box.viewRange()
            i = picks[0]
            if not (x0 <= idx.lon[i] <= x1 and y0 <= idx.lat[i] <= y1):
                w, h = (x1 - x0) / 2, (y1 - y0) / 2
                self.view_box.setRange(
                    xRange=(idx.lon[i] - w, idx.lon[i] + w),
                    yRange=(idx.lat[i] - h, idx.lat[i] + h),
                    padding=0,
                )

    def node_at(self, pos: QPointF) -> str | None:
        """The node within a few pixels of ``pos`` (view coordinates), if any; nearest wins."""
        idx = self._index
        if not len(idx.ids):
            return None
        px, py = self.view_box.viewPixelSize()
        if px <= 0 or py <= 0:
            return None
        d2 = ((idx.lon - pos.x()) / px) ** 2 + ((idx.lat - pos.y()) / py) ** 2
        best = int(np.argmin(d2))
        return idx.ids[best] if d2[best] <= PICK_RADIUS_PX**2 else None

    def _point_clicked(self, _item: Any, points: Any, ev: Any) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            # the symbol clicked wins (a site drawn over a yard at the same place), not the nearest centre
            hit = str(points[0].data()) if len(points) else None
            self.clicked(self.view_box.mapSceneToView(ev.scenePos()), ev.modifiers(), hit)

    def clicked(self, pos: QPointF, modifiers: Any, hit: str | None = None) -> None:
        if self.add_button.isChecked():
            self.add_node_at(pos.y(), pos.x(), str(self.add_kind.currentData()))
            return
        node_id = hit or self.node_at(pos)
        if node_id is None:
            row = self.flow_at(pos)
            self.doc.select([], self.SOURCE)
            self.show_selection([], self.SOURCE)
            self.select_flow(self.flow_index.flows[row] if row is not None else None)
            return
        self.select_flow(None)
        ids = [node_id]
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            current = self.doc.selection
            ids = [i for i in current if i != node_id] if node_id in current else [*current, node_id]
        self.doc.select(ids, self.SOURCE)
        self.show_selection(ids, self.SOURCE)

    def add_node_at(self, lat: float, lon: float, kind: str) -> str:
        """Add a node of ``kind`` ("collection", "dismantling", "sorting", "smelter") and select it."""
        sheet = next(s for k, s, *_ in LAYERS if k == kind)
        row = ADAPTERS[sheet].new_row(self.doc.network, None)
        # named after its kind and id, so it is never a blank row in the tables and on the map
        name = row.obj.name or f"{tr(f'kind.{kind}')} {row.obj.id}"
        node = dataclasses.replace(row.obj, lat=round(lat, 5), lon=round(lon, 5), name=name)
        self.doc.add_node(node, tr("undo.add_node", id=node.id))
        self.doc.select([node.id], self.SOURCE)
        self.show_selection([node.id], self.SOURCE)
        return str(node.id)

    def drag_node(self, node_id: str, pos: QPointF, finish: bool) -> None:
        if not finish:
            self.ghost_item.setData(x=[pos.x()], y=[pos.y()])
            return
        self.ghost_item.clear()
        lat = float(np.clip(pos.y(), -90, 90))
        lon = float(np.clip(pos.x(), -180, 180))
        self.doc.move_node(node_id, round(lat, 5), round(lon, 5), tr("undo.move_node", id=node_id))
        self.doc.select([node_id], self.SOURCE)
