"""Small pyqtgraph charts for the results, scenario and investment views, drawn in one go: labelled bar
charts, and charts over the years of a multi-year plan (cash flow, utilization against the target, the
build schedule as a timeline).

Horizontal bars suit the long category names here (site ids, provinces, Chinese grade names); values
are printed at the bar ends so a screenshot reads without hovering.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QWidget

from app.views.numbers import GroupedAxis, MoneyAxis

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


class YearAxis(pg.AxisItem):
    """Calendar years as ticks: 2026, never "2,026" or "2.026e3", and only whole years."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [str(round(v)) if abs(v - round(v)) < 1e-6 else "" for v in values]


class YearChart(pg.PlotWidget):
    """A chart with one slot per calendar year on x; the year shown elsewhere is marked by a band, and
    ``yearClicked(year)`` fires when the user clicks in a year's slot (to show that year everywhere)."""

    yearClicked = Signal(int)

    def __init__(self, left: pg.AxisItem | None = None, parent: QWidget | None = None) -> None:
        axes = {"bottom": YearAxis("bottom"), "left": left or GroupedAxis("left")}
        super().__init__(parent, axisItems=axes)
        self.setMenuEnabled(False)
        self.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.showGrid(x=False, y=True, alpha=0.2)
        self.setMinimumHeight(230)
        self.years: list[int] = []
        self.band = pg.LinearRegionItem(
            values=(0, 0), movable=False, brush=pg.mkBrush(QColor(9, 105, 218, 28)), pen=pg.mkPen(None)
        )
        self.band.setZValue(-10)
        self.scene().sigMouseClicked.connect(self._clicked)

    def set_title(self, text: str) -> None:
        self.getPlotItem().setTitle(f"<span style='font-size:10pt; font-weight:bold'>{text}</span>")

    def start(self, years: Sequence[int]) -> None:
        """Clear the chart for ``years`` (their ticks, the x range)."""
        self.clear()
        legend = self.getPlotItem().legend
        if legend is not None:
            legend.clear()
        self.years = list(years)
        self.getAxis("bottom").setTicks([[(y, str(y)) for y in self.years]])
        if self.years:
            self.setXRange(self.years[0] - 0.6, self.years[-1] + 0.6, padding=0)
        self.addItem(self.band)

    def mark_year(self, year: int | None) -> None:
        """Shade the slot of ``year`` (nothing for None)."""
        self.band.setVisible(year is not None and year in self.years)
        if year is not None:
            self.band.setRegion((year - 0.5, year + 0.5))

    def _clicked(self, ev: object) -> None:
        pos = self.getViewBox().mapSceneToView(ev.scenePos())  # type: ignore[attr-defined]
        year = round(pos.x())
        if year in self.years:
            self.yearClicked.emit(year)


class CashFlowChart(YearChart):
    """Each year's cash flow as a bar (green in, red out) and the cumulative discounted cash flow as a
    line: where the line crosses zero the investment has paid back at the discount rate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(MoneyAxis("left"), parent)
        self.addLegend(offset=(10, 5), labelTextSize="8pt")

    def set_flows(
        self, years: Sequence[int], cash: Sequence[float], cumulative: Sequence[float], names: tuple[str, str]
    ) -> None:
        """``cash`` and ``cumulative`` per year in CNY; ``names`` label the bars and the line."""
        self.start(years)
        brushes = [pg.mkBrush("#1a7f37" if v >= 0 else "#cf222e") for v in cash]
        bars = pg.BarGraphItem(
            x=list(years), height=list(cash), width=0.6, brushes=brushes, pen=pg.mkPen(None)
        )
        self.addItem(bars)
        legend = self.getPlotItem().legend
        if legend is not None:
            legend.addItem(pg.BarGraphItem(x=[0], height=[0], width=0, brush=pg.mkBrush("#1a7f37")), names[0])
        self.plot(
            list(years),
            list(cumulative),
            pen=pg.mkPen("#0969da", width=2),
            symbol="o",
            symbolSize=7,
            symbolBrush="#0969da",
            name=names[1],
        )
        values = [*cash, *cumulative, 0.0]
        low, high = min(values), max(values)
        pad = 0.12 * (high - low or 1.0)
        self.setYRange(low - (pad if low < 0 else 0), high + 1.5 * pad, padding=0)


class UtilizationChart(YearChart):
    """Recycled-copper utilization per year (bars, %) against the year's policy target (a dashed line;
    years without a target have no point)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(GroupedAxis("left"), parent)
        self.addLegend(offset=(10, 5), labelTextSize="8pt")

    def set_values(
        self,
        years: Sequence[int],
        utilization_pct: Sequence[float],
        target_pct: Sequence[float | None],
        names: tuple[str, str],
    ) -> None:
        self.start(years)
        bars = pg.BarGraphItem(
            x=list(years),
            height=list(utilization_pct),
            width=0.6,
            brush=pg.mkBrush(PALETTE[2]),
            pen=pg.mkPen(None),
        )
        self.addItem(bars)
        legend = self.getPlotItem().legend
        if legend is not None:
            legend.addItem(
                pg.BarGraphItem(x=[0], height=[0], width=0, brush=pg.mkBrush(PALETTE[2])), names[0]
            )
        for y, v in zip(years, utilization_pct, strict=True):
            text = pg.TextItem(f"{v:.1f} %", color="#222", anchor=(0.5, 1))
            text.setFont(QFont(self.font().family(), 8))
            text.setPos(y, v)
            self.addItem(text)
        points = [(y, t) for y, t in zip(years, target_pct, strict=True) if t is not None]
        if points:
            self.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                pen=pg.mkPen(PALETTE[3], width=2, style=Qt.PenStyle.DashLine),
                symbol="t",
                symbolSize=9,
                symbolBrush=PALETTE[3],
                name=names[1],
            )
        # percent ticks up to 100 only; the room above keeps the legend clear of the bars' labels
        self.getAxis("left").setTicks([[(v, str(v)) for v in range(0, 101, 20)]])
        self.setYRange(0, 135, padding=0)


class TimelineChart(YearChart):
    """The build schedule: one row per site, a pale bar over the years it runs and a diamond in the
    year each module is built, labelled with the module and its capex (hover for the details).

    A click in a site's row also fires ``siteClicked(site_id)``, so the schedule leads to the site.
    """

    siteClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(pg.AxisItem("left"), parent)
        self.getViewBox().invertY(True)
        self.showGrid(x=True, y=False, alpha=0.15)
        self.rows: list[str] = []
        self.markers: pg.ScatterPlotItem | None = None

    def set_schedule(
        self,
        years: Sequence[int],
        rows: Sequence[tuple[str, str]],
        running: dict[str, list[int]],
        builds: Sequence[tuple[str, int, str, str]],
    ) -> None:
        """``rows`` (site id, label) top to bottom; ``running[site_id]`` the years the site runs;
        ``builds`` (site id, year, label beside the marker, tooltip)."""
        self.start(years)
        self.rows = [site_id for site_id, _label in rows]
        index = {site_id: i for i, site_id in enumerate(self.rows)}
        for site_id, run_years in running.items():
            if site_id not in index or not run_years:
                continue
            x = sorted(run_years)
            item = pg.BarGraphItem(
                x=x,
                y=[index[site_id]] * len(x),
                width=1.0,
                height=0.34,
                brush=pg.mkBrush(QColor(0, 114, 178, 70)),
                pen=pg.mkPen(None),
            )
            self.addItem(item)
        spots = []
        for site_id, year, label, tip in builds:
            if site_id not in index:
                continue
            spots.append({"pos": (year, index[site_id]), "data": tip})
            text = pg.TextItem(label, color="#222", anchor=(0, 0.5))
            text.setFont(QFont(self.font().family(), 8))
            text.setPos(year + 0.15, index[site_id])
            self.addItem(text)
        self.markers = pg.ScatterPlotItem(
            spots=spots,
            symbol="d",
            size=15,
            brush=pg.mkBrush(PALETTE[1]),
            pen=pg.mkPen("#7a4f00", width=1),
            hoverable=True,
            hoverSize=19,
            tip=lambda x, y, data: str(data),
        )
        self.addItem(self.markers)
        axis = self.getAxis("left")
        metrics = QFontMetrics(axis.style.get("tickFont") or self.font())
        labels = [metrics.elidedText(label, Qt.TextElideMode.ElideMiddle, MAX_LABEL_PX) for _s, label in rows]
        axis.setTicks([list(enumerate(labels))])
        axis.setWidth(
            min(MAX_LABEL_PX + 16, max((metrics.horizontalAdvance(t) for t in labels), default=0) + 16)
        )
        self.setYRange(-0.7, max(len(rows), 1) - 0.3, padding=0)
        if self.years:  # room on the right for the last year's labels
            self.setXRange(self.years[0] - 0.6, self.years[-1] + 1.4, padding=0)
        # rows of a readable height, never a tall empty strip for a few sites
        self.setMinimumHeight(max(160, 34 * len(rows) + 80))
        self.setMaximumHeight(max(200, 44 * len(rows) + 110))

    def _clicked(self, ev: object) -> None:
        super()._clicked(ev)
        pos = self.getViewBox().mapSceneToView(ev.scenePos())  # type: ignore[attr-defined]
        row = round(pos.y())
        if (
            0 <= row < len(self.rows)
            and self.years
            and self.years[0] - 0.5 <= pos.x() <= self.years[-1] + 0.5
        ):
            self.siteClicked.emit(self.rows[row])
