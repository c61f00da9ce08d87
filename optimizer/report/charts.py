"""Native Excel charts of the plan report, built on the cells the report wrote (never on copies).

Each function takes the ranges where its data landed, so a reader who edits a number in the workbook
sees the chart follow; charts are anchored beside their table.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.drawing.text import CharacterProperties
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.report.styles import ACCENT

#: Chart size in centimetres.
WIDTH_CM = 16.0
HEIGHT_CM = 8.5
#: Width of a column whose width was never set, in Excel's width units.
DEFAULT_COLUMN_WIDTH = 8.43
#: Chart title size in hundredths of a point.
TITLE_SIZE = 1200


def columns_width_cm(ws: Worksheet, first_col: int, last_col: int) -> float:
    """Width of columns ``first_col`` to ``last_col`` on screen, in centimetres (a width unit is about
    one digit: 7 pixels at 96 dpi, plus 5 pixels of padding per column)."""
    total_px = 0.0
    for col in range(first_col, last_col + 1):
        width = ws.column_dimensions[get_column_letter(col)].width or DEFAULT_COLUMN_WIDTH
        total_px += 7 * width + 5
    return total_px * 2.54 / 96


def column_after(ws: Worksheet, first_col: int, width_cm: float) -> int:
    """The first column wholly to the right of a chart ``width_cm`` wide anchored at ``first_col``."""
    col = first_col
    while columns_width_cm(ws, first_col, col) < width_cm:
        col += 1
    return col + 1


def scenario_bars(
    ws: Worksheet,
    header_row: int,
    row: int,
    first_col: int,
    last_col: int,
    title: str,
    value_format: str,
    anchor: str,
) -> BarChart:
    """Columns, one per scenario: the figure on ``row`` of the comparison table, scenario names from
    its header."""
    chart = BarChart()
    chart.type = "col"
    set_title(chart, title)
    chart.style = 10
    chart.legend = None
    data = Reference(ws, min_col=first_col, max_col=last_col, min_row=row, max_row=row)
    chart.add_data(data, from_rows=True, titles_from_data=False)
    names = Reference(ws, min_col=first_col, max_col=last_col, min_row=header_row, max_row=header_row)
    chart.set_categories(names)
    chart.series[0].graphicalProperties.solidFill = ACCENT
    chart.series[0].dLbls = _value_labels(value_format)
    chart.y_axis.numFmt = value_format
    show_axes(chart)
    _size(chart)
    ws.add_chart(chart, anchor)
    return chart


def _ref(ws: Worksheet, col: int, first_row: int, last_row: int) -> Reference:
    return Reference(ws, min_col=col, min_row=first_row, max_row=last_row)


def waterfall(
    ws: Worksheet,
    data: Worksheet,
    label_col: int,
    base_col: int,
    up_col: int,
    down_col: int,
    first_row: int,
    last_row: int,
    title: str,
    value_format: str,
    anchor: str,
    width_cm: float = WIDTH_CM,
) -> BarChart:
    """A waterfall as stacked columns on ``data``: an unfilled base, then the totals (``up_col``, in the
    accent colour) and the deductions (``down_col``, in red) standing on it. Plots cells of a hidden
    sheet, so visible-cells-only is off."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    set_title(chart, title)
    chart.style = 10
    chart.legend = None
    chart.visible_cells_only = False
    for col in (base_col, up_col, down_col):
        chart.add_data(_ref(data, col, first_row, last_row), titles_from_data=False)
    chart.set_categories(_ref(data, label_col, first_row, last_row))
    base, up, down = chart.series
    base.graphicalProperties.noFill = True
    base.graphicalProperties.line.noFill = True
    up.graphicalProperties.solidFill = ACCENT
    down.graphicalProperties.solidFill = "C00000"
    for s in (up, down):
        s.dLbls = _value_labels(value_format)
        s.dLbls.position = "inEnd"
    chart.y_axis.numFmt = value_format
    chart.y_axis.scaling.min = 0
    show_axes(chart)
    _size(chart, width=width_cm)
    ws.add_chart(chart, anchor)
    return chart


def cost_bars(
    ws: Worksheet,
    label_col: int,
    value_col: int,
    first_row: int,
    last_row: int,
    title: str,
    value_format: str,
    anchor: str,
    width_cm: float = WIDTH_CM,
    data: Worksheet | None = None,
) -> BarChart:
    """Horizontal bars, one per row, the first on top, each labelled with its value (the rows are on
    ``data`` when given, else on ``ws``)."""
    source = ws if data is None else data
    chart = BarChart()
    chart.type = "bar"
    set_title(chart, title)
    chart.style = 10
    chart.legend = None
    chart.visible_cells_only = data is None
    chart.add_data(_ref(source, value_col, first_row, last_row), titles_from_data=False)
    chart.set_categories(_ref(source, label_col, first_row, last_row))
    chart.series[0].graphicalProperties.solidFill = ACCENT
    chart.series[0].dLbls = _value_labels(value_format)
    chart.y_axis.numFmt = value_format
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"
    show_axes(chart)
    _size(chart, width=width_cm)
    ws.add_chart(chart, anchor)
    return chart


def site_throughput(
    ws: Worksheet,
    label_col: int,
    capacity_col: int,
    throughput_col: int,
    header_row: int,
    last_row: int,
    title: str,
    anchor: str,
) -> BarChart:
    """Clustered columns per open site: module capacity beside throughput."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    set_title(chart, title)
    chart.style = 10
    chart.add_data(_ref(ws, capacity_col, header_row, last_row), titles_from_data=True)
    chart.add_data(_ref(ws, throughput_col, header_row, last_row), titles_from_data=True)
    chart.set_categories(_ref(ws, label_col, header_row + 1, last_row))
    chart.series[0].graphicalProperties.solidFill = "BDD7EE"
    chart.series[1].graphicalProperties.solidFill = ACCENT
    chart.y_axis.numFmt = "#,##0"
    chart.legend.position = "b"
    show_axes(chart)
    _size(chart, width=max(WIDTH_CM, min(40.0, 1.2 * (last_row - header_row))))
    ws.add_chart(chart, anchor)
    return chart


def utilization_by_grade(
    ws: Worksheet,
    label_col: int,
    value_col: int,
    first_row: int,
    last_row: int,
    title: str,
    anchor: str,
    width_cm: float = WIDTH_CM,
) -> BarChart:
    """Columns: recycled-copper utilization of each supply grade, as percentages (``width_cm`` wide,
    so that it stays clear of a table beside it)."""
    chart = BarChart()
    chart.type = "col"
    set_title(chart, title)
    chart.style = 10
    chart.legend = None
    chart.add_data(_ref(ws, value_col, first_row, last_row), titles_from_data=False)
    chart.set_categories(_ref(ws, label_col, first_row, last_row))
    chart.series[0].graphicalProperties.solidFill = ACCENT
    chart.y_axis.numFmt = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.series[0].dLbls = _value_labels("0.0%")
    show_axes(chart)
    _size(chart, width=width_cm)
    ws.add_chart(chart, anchor)
    return chart


def pareto_curve(
    ws: Worksheet,
    x_col: int,
    y_col: int,
    first_row: int,
    last_row: int,
    title: str,
    x_title: str,
    y_title: str,
    anchor: str,
) -> ScatterChart:
    """The trade-off frontier: a money figure (profit, y) against utilization (x), points joined by a
    line."""
    chart = ScatterChart()
    set_title(chart, title)
    chart.style = 13
    chart.legend = None
    series = Series(
        _ref(ws, y_col, first_row, last_row), _ref(ws, x_col, first_row, last_row), title=y_title
    )
    series.marker.symbol = "circle"
    series.marker.size = 7
    series.graphicalProperties.line.solidFill = ACCENT
    series.marker.graphicalProperties.solidFill = ACCENT
    chart.series.append(series)
    chart.x_axis.title = x_title
    chart.y_axis.title = y_title
    chart.x_axis.numFmt = "0%"
    xs = [c.value for (c,) in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=x_col, max_col=x_col)]
    known = [x for x in xs if isinstance(x, int | float)]
    # utilization is a share of all supply: from the lowest point's tenth to 100 %
    chart.x_axis.scaling.min = min(0.9, int(10 * min(known)) / 10) if known else 0
    chart.x_axis.scaling.max = 1
    chart.y_axis.numFmt = "#,##0"
    show_axes(chart)
    _size(chart)
    ws.add_chart(chart, anchor)
    return chart


def _value_labels(number_format: str) -> DataLabelList:
    """Data labels showing only the value (LibreOffice otherwise adds series and category names)."""
    labels = DataLabelList()
    labels.showVal = True
    labels.showSerName = False
    labels.showCatName = False
    labels.showLegendKey = False
    labels.showPercent = False
    labels.numFmt = number_format
    return labels


def set_title(chart: BarChart | ScatterChart, title: str) -> None:
    """A title in 12 pt bold (the default 18 pt crowds a chart of this size)."""
    chart.title = title
    for paragraph in chart.title.tx.rich.p:
        for run in paragraph.r or ():
            run.rPr = CharacterProperties(sz=TITLE_SIZE, b=True)


def show_axes(chart: BarChart | ScatterChart) -> None:
    # openpyxl 3.1 hides axes unless told otherwise; Excel and LibreOffice then draw no labels
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _size(chart: BarChart | ScatterChart, width: float = WIDTH_CM) -> None:
    chart.width = width
    chart.height = HEIGHT_CM
