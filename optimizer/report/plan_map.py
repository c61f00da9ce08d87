"""The map of the plan on the executive summary: a native Excel scatter chart of longitude and latitude.

A chart rather than a picture, so it stays editable in Excel and LibreOffice (a consultant can restyle
a series or drop one). Its data sit on a hidden sheet (*Map data*), one block of longitude/latitude
columns per series: collection points, existing sites kept, new sites, smelters, and the plan's main
flows as line segments (two points, then a blank row, which a scatter chart draws as a gap).

The main flows are every transfer and delivery arc and the collection arcs carrying the most tonnes
(:data:`MAIN_COLLECTION_ARCS`), flows of all grades on an arc summed; a national plan has thousands of
collection arcs and drawing them all would hide the sites.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.design.plan import Echelon
from optimizer.geography import load_outlines, outlines_within
from optimizer.report import charts
from optimizer.report.context import ReportContext
from optimizer.report.labels import sheet_name, text
from optimizer.report.styles import put

#: Collection arcs drawn on the map (the heaviest ones).
MAIN_COLLECTION_ARCS = 60
#: Degrees of margin around the nodes.
MARGIN_DEG = 0.3
#: Largest chart side in centimetres.
MAP_MAX_CM = 14.0
#: Points of the orientation layer kept on the map (a chart draws every point it is given).
OUTLINE_MAX_POINTS = 2500


#: A point of the map: (longitude, latitude) in degrees.
Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class MapSeries:
    """One series of the map: its label key, its points (``None`` breaks a line) and how it is drawn."""

    key: str
    points: tuple[Point | None, ...]
    color: str
    marker: str | None
    size: int = 6
    line_width_emu: int = 0


def map_series(ctx: ReportContext) -> list[MapSeries]:
    """The series of the map of ``ctx.plan``: nodes by role, then the main flows."""
    network, plan = ctx.network, ctx.plan
    where: dict[str, Point] = {n.id: (n.lon, n.lat) for n in network.nodes()}
    existing = tuple(where[s.site_id] for s in plan.sites if not s.is_new and s.site_id in where)
    new = tuple(where[s.site_id] for s in plan.sites if s.is_new and s.site_id in where)
    used_smelters = {m.smelter_id for m in plan.smelters if m.intake_t > 0}
    smelters = tuple((m.lon, m.lat) for m in network.smelters if m.id in used_smelters or not plan.smelters)
    points = tuple((cp.lon, cp.lat) for cp in network.collection_points)
    arcs: dict[tuple[str, str, bool], float] = {}
    for f in plan.flows:
        key = (f.from_id, f.to_id, f.echelon is Echelon.COLLECTION)
        arcs[key] = arcs.get(key, 0.0) + f.t
    collection = sorted(((t, a) for a, t in arcs.items() if a[2]), reverse=True)[:MAIN_COLLECTION_ARCS]
    onward = [(t, a) for a, t in arcs.items() if not a[2]]

    def segments(chosen: Sequence[tuple[float, tuple[str, str, bool]]]) -> tuple[Point | None, ...]:
        out: list[Point | None] = []
        for _t, (a, b, _c) in chosen:
            if a in where and b in where:
                out += [where[a], where[b], None]
        return tuple(out)

    return [
        MapSeries("map_collection_flows", segments(collection), "BDD7EE", None, line_width_emu=6350),
        MapSeries("map_delivery_flows", segments(onward), "C55A11", None, line_width_emu=28575),
        MapSeries("map_points", points, "A6A6A6", "circle", size=3),
        MapSeries("map_existing_sites", existing, "2E75B6", "square", size=8),
        MapSeries("map_new_sites", new, "00B050", "diamond", size=10),
        MapSeries("map_smelters", smelters, "C00000", "triangle", size=9),
    ]


def _outline(lon_min: float, lon_max: float, lat_min: float, lat_max: float) -> MapSeries | None:
    """The coast and province outlines around the nodes, thinned, as one gapped line series (the same
    orientation layer as the app's map); None when none reaches the map (a network outside China)."""
    outlines = load_outlines()
    if outlines is None:
        return None
    lines = outlines_within(outlines, lon_min, lon_max, lat_min, lat_max, OUTLINE_MAX_POINTS)
    points: list[Point | None] = []
    for line in lines:
        points += [*line, None]
    if not points:
        return None
    return MapSeries("map_outline", tuple(points), "BFBFBF", None, line_width_emu=6350)


def write_map(
    wb: Workbook, ws: Worksheet, ctx: ReportContext, anchor: str, width_cm: float
) -> ScatterChart | None:
    """Add the map data sheet (hidden) and the map chart at ``anchor`` on ``ws``, at most ``width_cm``
    wide; ``None`` when the plan has nothing to draw."""
    series = [s for s in map_series(ctx) if s.points]
    if not series:
        return None
    lang = ctx.lang
    data = wb.create_sheet(sheet_name("map_data", lang))
    data.sheet_state = "hidden"
    lons = [p[0] for s in series for p in s.points if p is not None]
    lats = [p[1] for s in series for p in s.points if p is not None]
    outline = _outline(min(lons) - MARGIN_DEG, max(lons) + MARGIN_DEG, min(lats) - MARGIN_DEG,
                       max(lats) + MARGIN_DEG)
    if outline is not None:
        series.insert(0, outline)  # drawn first, under the network
    chart = ScatterChart()
    charts.set_title(chart, text("chart_map", lang))
    chart.style = 13
    chart.display_blanks = "gap"
    for j, s in enumerate(series):
        col = 1 + 3 * j
        put(data, 1, col, text(s.key, lang))
        put(data, 1, col + 1, text("map_lat", lang))
        for r, p in enumerate(s.points, start=2):
            if p is not None:
                data.cell(row=r, column=col, value=p[0])
                data.cell(row=r, column=col + 1, value=p[1])
        last = 1 + len(s.points)
        xs = Reference(data, min_col=col, min_row=2, max_row=last)
        ys = Reference(data, min_col=col + 1, min_row=2, max_row=last)
        one = Series(ys, xs, title=text(s.key, lang))
        if s.marker is None:
            one.marker.symbol = "none"
            one.graphicalProperties = GraphicalProperties(
                ln=LineProperties(solidFill=s.color, w=s.line_width_emu)
            )
        else:
            one.marker.symbol = s.marker
            one.marker.size = s.size
            one.marker.graphicalProperties = GraphicalProperties(solidFill=s.color)
            one.marker.graphicalProperties.line.solidFill = s.color
            one.graphicalProperties = GraphicalProperties(ln=LineProperties(noFill=True))
        one.smooth = False
        chart.series.append(one)
    lon_min, lon_max = min(lons) - MARGIN_DEG, max(lons) + MARGIN_DEG
    lat_min, lat_max = min(lats) - MARGIN_DEG, max(lats) + MARGIN_DEG
    chart.x_axis.scaling.min = math.floor(lon_min * 2) / 2
    chart.x_axis.scaling.max = math.ceil(lon_max * 2) / 2
    chart.y_axis.scaling.min = math.floor(lat_min * 2) / 2
    chart.y_axis.scaling.max = math.ceil(lat_max * 2) / 2
    chart.x_axis.numFmt = '0.0"°E"'
    chart.y_axis.numFmt = '0.0"°N"'
    chart.x_axis.majorGridlines = None
    chart.y_axis.majorGridlines = None
    chart.legend.position = "b"
    charts.show_axes(chart)
    # a degree of longitude is cos(latitude) of a degree of latitude: keep the map's proportions
    span_x = (lon_max - lon_min) * math.cos(math.radians((lat_min + lat_max) / 2))
    span_y = lat_max - lat_min
    width = min(width_cm, MAP_MAX_CM * 1.3)
    plot_h = (width - 1.5) * span_y / max(span_x, 1e-6)
    height = min(MAP_MAX_CM, max(7.0, plot_h + 3.0))
    chart.width, chart.height = width, height
    ws.add_chart(chart, anchor)
    return chart
