"""Small pyqtgraph charts for the results and scenario views: labelled bar charts, drawn in one go.

Horizontal bars suit the long category names here (site ids, provinces, Chinese grade names); values
are printed at the bar ends so a screenshot reads without hovering.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QWidget

from app.views.numbers import GroupedAxis

#: The widest a category label may be before it is elided (pixels).
MAX_LABEL_PX = 230

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#7F7F7F")


class BarChart(pg.PlotWidget):
    """Bars with category labels; optionally a lighter "capacity" bar behind each value bar.

    ``barClicked(index)`` fires when a bar (or its label row) is clicked, so a chart can lead back to
    what it shows (a site on the map).
    """

    barClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, horizontal: bool = True) -> None:
        # the value axis groups thousands (20,000 beside the bars' "64,460 t"), without an SI prefix
        super().__init__(
            parent,
            axisItems={"bottom" if horizontal else "left": GroupedAxis("bottom" if horizontal else "left")},
        )
        self.horizontal = horizontal
        self.setMenuEnabled(False)
        self.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.getPlotItem().setTitle("")
        self.showGrid(x=horizontal, y=not horizontal, alpha=0.2)
        self.setMinimumHeight(220)
        self._texts: list[pg.TextItem] = []
        self._count = 0
        self.scene().sigMouseClicked.connect(self._clicked)

    def set_title(self, text: str) -> None:
        self.getPlotItem().setTitle(f"<span style='font-size:10pt; font-weight:bold'>{text}</span>")

    def set_bars(
        self,
        labels: Sequence[str],
        values: Sequence[float],
        colours: Sequence[str] | str = PALETTE[0],
        behind: Sequence[float] | None = None,
        fmt: Callable[[float], str] = lambda v: f"{v:,.0f}",
        value_axis: str = "",
        value_ticks: bool = True,
    ) -> None:
        """Draw one bar per label; ``behind`` (same length) draws a pale bar under each, e.g. capacity."""
        self.clear()
        self._texts = []
        n = len(labels)
        self._count = n
        positions = list(range(n))
        if isinstance(colours, str):
            colours = [colours] * n
        brushes = [pg.mkBrush(c) for c in colours]
        if behind is not None:
            self._add_bars(positions, behind, [pg.mkBrush(QColor(200, 200, 200, 160))] * n, 0.8)
        self._add_bars(positions, values, brushes, 0.6 if behind is not None else 0.7)
        top = max([*values, *(behind or [])], default=0.0)
        for i, v in enumerate(values):
            text = pg.TextItem(fmt(v), color="#222", anchor=(0, 0.5) if self.horizontal else (0.5, 1))
            text.setFont(QFont(self.font().family(), 8))
            end = max(v, behind[i] if behind is not None else v)
            text.setPos(end + top * 0.01, i) if self.horizontal else text.setPos(i, end + top * 0.01)
            self.addItem(text)
            self._texts.append(text)
        category_axis = self.getAxis("left" if self.horizontal else "bottom")
        if self.horizontal:
            # a label wider than the axis is dropped by pyqtgraph: elide it instead, so every bar is named
            metrics = QFontMetrics(category_axis.style.get("tickFont") or self.font())
            labels = [metrics.elidedText(str(t), Qt.TextElideMode.ElideMiddle, MAX_LABEL_PX) for t in labels]
        ticks = [list(zip(positions, labels, strict=True))]
        value_axis_item = self.getAxis("bottom" if self.horizontal else "left")
        category_axis.setTicks(ticks)
        value_axis_item.setTicks(None)
        value_axis_item.setLabel(value_axis)
        value_axis_item.setStyle(showValues=value_ticks)
        category_axis.setLabel("")
        if self.horizontal:
            # The axis sizes itself only when painted, which is too late for a first paint (or a grab):
            # give it the width of its longest label now.
            metrics = QFontMetrics(category_axis.style.get("tickFont") or self.font())
            widest = max((metrics.horizontalAdvance(str(label)) for label in labels), default=0)
            category_axis.setWidth(min(MAX_LABEL_PX + 16, widest + 16))
        span = top * 1.25 if top > 0 else 1.0
        if self.horizontal:
            self.setYRange(-0.6, max(n, 1) - 0.4, padding=0)
            self.setXRange(0, span, padding=0)
            self.getViewBox().invertY(True)
        else:
            self.setXRange(-0.6, max(n, 1) - 0.4, padding=0)
            self.setYRange(min(0.0, min(values, default=0.0) * 1.2), span, padding=0)

    def _clicked(self, ev: object) -> None:
        pos = self.getViewBox().mapSceneToView(ev.scenePos())  # type: ignore[attr-defined]
        index = round(pos.y() if self.horizontal else pos.x())
        if 0 <= index < self._count:
            self.barClicked.emit(index)

    def _add_bars(self, positions: list[int], values: Sequence[float], brushes: list, width: float) -> None:
        if self.horizontal:
            item = pg.BarGraphItem(
                x0=[0] * len(values),
                y=positions,
                width=list(values),
                height=width,
                brushes=brushes,
                pen=pg.mkPen(None),
            )
        else:
            item = pg.BarGraphItem(
                x=positions, height=list(values), width=width, brushes=brushes, pen=pg.mkPen(None)
            )
        self.addItem(item)
