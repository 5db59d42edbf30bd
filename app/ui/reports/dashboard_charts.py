"""The charts of «Главная» (QtCharts): each bar or slice opens the records behind it.

A chart is a DashboardChart: a QChartView that holds the Bars it was drawn
from, emits ``bar_clicked(Target)`` and answers where a bar is on screen (so
that a test can click it like a user).
"""
from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QHorizontalBarSeries, QPieSeries, QPieSlice, QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

from app.services.reports.dashboard import Bar
from app.services.common.record_target import Target

CHART_HEIGHT = 270
TEXT_COLOR = QColor("#34495e")
GRID_COLOR = QColor("#e3e8ee")
# Calm, distinguishable tints; red only where something is late.
OK_COLOR, SOON_COLOR, LATE_COLOR, NONE_COLOR = "#5b9bd5", "#e0b044", "#c8554e", "#b8c2cc"
ORGANIZATION_LABEL_CHARS = 40


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def value_axis_range(top: int) -> tuple[int, int]:
    """(axis end, tick count): whole-number ticks in steps of 1, 2, 5, 10, 20, 50…, at most six of them."""
    if top <= 4:
        return 4, 5
    step = 1
    while -(-top // step) > 6:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    end = -(-top // step) * step
    return end, end // step + 1


class DashboardChart(QChartView):
    bar_clicked = Signal(object)        # Target

    def __init__(self, title: str, parent: QWidget | None = None):
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        # The chart fills its view and draws the same frame as the page's panels.
        chart.layout().setContentsMargins(0, 0, 0, 0)
        chart.setBackgroundRoundness(6)
        chart.setBackgroundPen(QColor("#d8e0e8"))
        chart.setMargins(QMargins(8, 6, 10, 6))
        chart.setTitle(title)
        chart.setTitleFont(_font(10.5, bold=True))
        chart.setTitleBrush(QColor("#1f2d3d"))
        chart.legend().setFont(_font(8.5))
        chart.legend().setLabelColor(TEXT_COLOR)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFrameShape(QChartView.Shape.NoFrame)
        self.setStyleSheet("background: transparent;")
        self.setMinimumHeight(CHART_HEIGHT)
        self.setObjectName("dashboardChart")
        self.bars: list[Bar] = []               # what a plain bar or pie chart shows, by index
        self.stacks: dict[str, list[Bar]] = {}  # per set label, for stacked charts
        self._horizontal = False

    # -- drawing ------------------------------------------------------------
    def _reset(self) -> QChart:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.bars, self.stacks = [], {}
        return chart

    def _emit(self, bar: Bar | None) -> None:
        if bar is not None and bar.target is not None and bar.value:
            self.bar_clicked.emit(bar.target)

    def show_pie(self, bars: list[Bar], colors: list[str]) -> None:
        chart = self._reset()
        self.bars = list(bars)
        series = QPieSeries()
        series.setPieSize(0.72)
        series.setHoleSize(0.38)
        total = sum(b.value for b in bars)
        for bar, color in zip(bars, colors):
            share = f" ({round(100 * bar.value / total)}\u00a0%)" if total else ""
            piece = QPieSlice(f"{bar.label}: {bar.value:,}{share}".replace(",", "\u00a0"), max(bar.value, 0))
            piece.setColor(QColor(color))
            piece.setBorderColor(QColor("#ffffff"))
            piece.setLabelVisible(False)
            piece.clicked.connect(lambda b=bar: self._emit(b))
            piece.hovered.connect(lambda on, p=piece: p.setExploded(on))
            series.append(piece)
        chart.addSeries(series)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        chart.legend().setVisible(True)

    def show_stacked(self, stacks: dict[str, list[Bar]], categories: list[str], colors: list[str]) -> None:
        """Vertical stacked bars: one QBarSet per key of ``stacks`` (its label is the key)."""
        chart = self._reset()
        self.stacks = dict(stacks)
        series = QStackedBarSeries()
        series.setBarWidth(0.6)
        for (label, bars), color in zip(stacks.items(), colors):
            bar_set = QBarSet(label)
            bar_set.append([float(b.value) for b in bars])
            bar_set.setColor(QColor(color))
            bar_set.setBorderColor(QColor(color))
            bar_set.clicked.connect(lambda i, bs=bars: self._emit(bs[i]))
            series.append(bar_set)
        chart.addSeries(series)
        heights = [sum(bars[i].value for bars in stacks.values()) for i in range(len(categories))]
        self._axes(series, categories, max(heights, default=0), horizontal=False)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.legend().setVisible(len(stacks) > 1)

    def show_bars(self, bars: list[Bar], color: str, horizontal: bool = False) -> None:
        """One bar per item, the count at its end; horizontal bars run top-down in the order given."""
        chart = self._reset()
        self.bars = list(bars)
        # The category axis of horizontal bars runs bottom-up, so they are drawn in reverse.
        drawn = list(reversed(bars)) if horizontal else list(bars)
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.setBarWidth(0.62)
        bar_set = QBarSet("")
        bar_set.append([float(b.value) for b in drawn])
        bar_set.setColor(QColor(color))
        bar_set.setBorderColor(QColor(color))
        bar_set.setLabelColor(TEXT_COLOR)
        bar_set.setLabelFont(_font(8))
        bar_set.clicked.connect(lambda i: self._emit(drawn[i]))
        series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        self._axes(series, [self._short(b.label) for b in drawn], max((b.value for b in bars), default=0),
                   horizontal)
        chart.legend().setVisible(False)

    def _axes(self, series, categories: list[str], top: int, horizontal: bool) -> None:
        chart = self.chart()
        names = QBarCategoryAxis()
        names.append(categories)
        names.setLabelsFont(_font(8 if not horizontal else 8.5))
        names.setLabelsColor(TEXT_COLOR)
        names.setGridLineVisible(False)
        values = QValueAxis()
        end, ticks = value_axis_range(int(top * 1.08))
        values.setRange(0, end)
        values.setLabelFormat("%d")
        values.setTickCount(ticks)
        values.setLabelsFont(_font(8))
        values.setLabelsColor(TEXT_COLOR)
        values.setGridLineColor(GRID_COLOR)
        if horizontal:
            chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(names, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        series.attachAxis(values)
        self._horizontal = horizontal

    @staticmethod
    def _short(label: str) -> str:
        return label if len(label) <= ORGANIZATION_LABEL_CHARS else label[:ORGANIZATION_LABEL_CHARS - 1] + "…"

    # -- where things are (tests click there) -----------------------------------
    def bar_position(self, index: int, stack: str | None = None) -> QPoint:
        """The viewport point in the middle of bar ``index`` (of the set ``stack`` in a stacked chart)."""
        chart = self.chart()
        series = chart.series()[0]
        if stack is not None:
            keys = list(self.stacks)
            below = sum(self.stacks[k][index].value for k in keys[:keys.index(stack)])
            point = QPointF(index, below + self.stacks[stack][index].value / 2)
        elif self._horizontal:
            # Reversed categories: the first bar is drawn at the top.
            point = QPointF(self.bars[index].value / 2, len(self.bars) - 1 - index)
        else:
            point = QPointF(index, self.bars[index].value / 2)
        scene = chart.mapToScene(chart.mapToPosition(point, series))
        return self.mapFromScene(scene)
