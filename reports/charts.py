"""Native charts that read in black and white: a title, a measured series drawn solid with round markers, a target
path dashed, a comparison dotted with square markers; years on a numeric axis (not categories), its labels at
the bottom edge so they never cross the lines, and a value axis whose steps suit the unit."""

from __future__ import annotations

import math
from dataclasses import dataclass

from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.worksheet.worksheet import Worksheet

from reports.textwidth import FONT

CM_PT = 72 / 2.54


@dataclass(frozen=True)
class LineStyle:
    colour: str
    dash: str | None  # None: solid
    marker: str | None  # circle, square, triangle or None
    width_emu: int = 28575  # 2.25 pt


MEASURED = LineStyle("1F4E79", None, "circle")
TARGET = LineStyle("C55A11", "dash", None)
COMPARISON = LineStyle("595959", "sysDot", "square")
STYLES = (MEASURED, TARGET, COMPARISON)


def _text(size_hundredths: int, bold: bool = False) -> RichText:
    props = CharacterProperties(latin=Font(typeface=FONT), sz=size_hundredths, b=bold)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def title(text: str, size_hundredths: int = 1100, bold: bool = True) -> Title:
    props = CharacterProperties(latin=Font(typeface=FONT), sz=size_hundredths, b=bold)
    run = RegularTextRun(rPr=props, t=text)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[run])
    chart_title = Title(overlay=False)
    chart_title.tx.rich.p = [paragraph]
    return chart_title


def style_series(series: Series, style: LineStyle) -> None:
    series.smooth = False  # drawn as measured, not interpolated
    series.graphicalProperties = GraphicalProperties(
        ln=LineProperties(solidFill=style.colour, w=style.width_emu, prstDash=style.dash or "solid")
    )
    if style.marker:
        series.marker.symbol = style.marker
        series.marker.size = 6
        series.marker.graphicalProperties = GraphicalProperties(solidFill=style.colour)
        series.marker.graphicalProperties.line.solidFill = style.colour
    else:
        series.marker.symbol = "none"


def nice_step(low: float, high: float, integer: bool) -> float | None:
    """A major unit giving 4-8 steps between low and high; whole numbers for counts (never 0, 1, 1)."""
    span = high - low
    if span <= 0:
        return 1.0 if integer else None
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return max(1.0, math.ceil(step)) if integer else step


def value_axis(chart: ScatterChart | BarChart, values: list[float], integer: bool, y_format: str, y_title: str) -> None:
    """The value axis always includes 0 (no truncated axis exaggerates a change); steps suit the unit."""
    low = min([0.0, *values])
    high = max([0.0, *values])
    step = nice_step(low, high, integer)
    if step:
        chart.y_axis.majorUnit = step
        chart.y_axis.scaling.min = math.floor(low / step) * step
        chart.y_axis.scaling.max = max(math.ceil(high / step) * step, chart.y_axis.scaling.min + step)
    chart.y_axis.number_format = y_format
    chart.y_axis.title = title(y_title, 1000, bold=False)
    chart.y_axis.txPr = _text(1000)
    chart.y_axis.delete = False


def line_chart(
    ws: Worksheet,
    chart_title: str,
    x: tuple[int, int, int],
    series: list[tuple[str, int, LineStyle]],
    *,
    y_title: str,
    y_format: str,
    integer: bool,
    x_range: tuple[float, float],
    y_values: list[float],
    size_cm: tuple[float, float],
) -> ScatterChart:
    """A scatter chart with straight lines. x = (column, first row, last row) of the numeric years; each series
    (its legend name, its column, its style) reads the same rows of its own column."""
    column, first, last = x
    chart = ScatterChart(scatterStyle="lineMarker")
    chart.title = title(chart_title)
    chart.style = 2
    chart.width, chart.height = size_cm
    chart.legend.position = "b"
    chart.legend.txPr = _text(1000)
    chart.visible_cells_only = False  # the year column is hidden: plot it anyway
    xs = Reference(ws, min_col=column, min_row=first, max_row=last)
    for name, value_column, style in series:
        s = Series(Reference(ws, min_col=value_column, min_row=first, max_row=last), xs)
        s.tx = SeriesLabel(v=name)
        style_series(s, style)
        chart.series.append(s)
    step = 1 if x_range[1] - x_range[0] <= 12 else 5
    chart.x_axis.scaling.min = math.floor(x_range[0] / step) * step  # ticks on round years (2015, 2020, ...)
    chart.x_axis.scaling.max = math.ceil(x_range[1] / step) * step
    chart.x_axis.majorUnit = step
    chart.x_axis.number_format = "0"
    chart.x_axis.tickLblPos = "low"  # labels along the bottom edge, never across a line at 0
    chart.x_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.x_axis.txPr = _text(1000)
    value_axis(chart, y_values, integer, y_format, y_title)
    return chart


def bar_chart(
    ws: Worksheet,
    chart_title: str,
    categories: tuple[int, int, int],
    series: list[tuple[int, str, str, str]],
    *,
    y_title: str,
    y_format: str,
    values: list[float],
    size_cm: tuple[float, float],
) -> BarChart:
    """Horizontal bars, one group per category; series (column, legend name, fill colour, outline colour) read the
    category rows. A dark and a light fill with a black outline tell the series apart in black and white."""
    column, first, last = categories
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = title(chart_title)
    chart.style = 2
    chart.width, chart.height = size_cm
    chart.legend.position = "b"
    chart.legend.txPr = _text(1000)
    for value_column, name, fill, outline in series:
        s = Series(Reference(ws, min_col=value_column, min_row=first, max_row=last))
        s.tx = SeriesLabel(v=name)
        chart.series.append(s)
        s.graphicalProperties = GraphicalProperties(solidFill=fill, ln=LineProperties(solidFill=outline, w=9525))
    chart.set_categories(Reference(ws, min_col=column, min_row=first, max_row=last))
    value_axis(chart, values, False, y_format, y_title)
    chart.x_axis.txPr = _text(1000)
    chart.x_axis.tickLblPos = "low"  # sector names left of the bars, also where a change is negative
    chart.x_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # the first sector at the top, as in the table
    chart.y_axis.crosses = "max"  # and the value axis at the bottom
    return chart


def height_pt(height_cm: float) -> float:
    return height_cm * CM_PT


def width_pt(width_cm: float) -> float:
    return width_cm * CM_PT
