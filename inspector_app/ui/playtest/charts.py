"""The Playtest page's charts (pyqtgraph, imported when the tab is built): the tutorial funnel as
stacked horizontal bars (completed | skipped | still on it; a bar's length = players who
reached the step), and distributions per row (time per step, reputation per faction) as boxes
(p25–p75, median, whiskers to min/max — the metric history's :class:`BoxPlotItem`, turned on
its side) with every player's value as a point while there are few enough to draw.

A click on a bar segment, a box or a point emits ``sigPlayers(PlayerFilter)``: the players
behind it. Colours come from the palette (value colours for the segments, WCAG AA) and are
re-applied on ``PaletteChange``/``ApplicationPaletteChange``.
"""
from __future__ import annotations

import math
import zlib
from typing import Callable, Sequence

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QTransform

from inspector_app.core.common.timefmt import format_duration_ms
from inspector_app.core.playtest.page import STRIP_LIMIT, PlayerFilter, PlaytestPage
from inspector_app.ui import theme
from inspector_app.ui.metrics.boxplot import BoxPlotItem, BoxStats
from inspector_app.ui.metrics.charts import ChartColors, apply_plot_colors

ROW_HEIGHT = 0.62   # of a bar / box, in rows
HIT_PX = 7.0        # a click this close to a point picks the point


#: round durations for the log time axis (ms)
_NICE_MS = (100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000,
            1_200_000, 1_800_000, 3_600_000, 7_200_000, 18_000_000, 36_000_000, 86_400_000, 172_800_000,
            432_000_000, 864_000_000)


def log_ms(value: float) -> float:
    """Where a duration sits on the log time axis (under 1 ms counts as 1 ms)."""
    return math.log10(max(float(value), 1.0))


class DurationAxis(pg.AxisItem):
    """A log time axis in the overlay's duration words (10s, 1m, 5m, 1h): the chart plots
    ``log10(ms)`` (:func:`log_ms`); ticks sit on round durations, about one per 70 px."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 - pyqtgraph API
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        ticks = [math.log10(v) for v in _NICE_MS if lo <= math.log10(v) <= hi]
        room = max(2, int(size / 70))
        step = max(1, math.ceil(len(ticks) / room))
        return [(1.0, ticks[::step])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph API
        return [format_duration_ms(round(10 ** v)) for v in values]


class _RowChart(pg.PlotWidget):
    """A plot whose rows (y = 0, 1, 2 … top to bottom) are categories named on the left axis."""

    sigPlayers = Signal(object)   # PlayerFilter

    def __init__(self, name: str, parent=None, *, bottom: pg.AxisItem | None = None, x_label: str = "",
                 title: str = ""):
        super().__init__(parent, axisItems={"bottom": bottom} if bottom is not None else None)
        self.setObjectName(name)
        self.setMinimumHeight(180)
        self.hideButtons()
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.plot_item = self.getPlotItem()
        self.vb = self.plot_item.getViewBox()
        self.vb.invertY(True)
        self._x_label = x_label
        self._title = title
        self._labels: list[str] = []
        self.colors = ChartColors.from_palette(self.palette())
        self.scene().sigMouseClicked.connect(self._on_click)
        self._message = pg.TextItem(anchor=(0.5, 0.5))
        self._restyling = False
        self.plot_item.getAxis("bottom").setHeight(40)   # the same in every row chart: side by side, rows line up

    # -- rows -------------------------------------------------------------------------------
    def set_rows(self, labels: Sequence[str], *, show_labels: bool = True) -> None:
        self._labels = list(labels)
        ax = self.plot_item.getAxis("left")
        ax.setTicks([[(float(i), label) for i, label in enumerate(self._labels)], []])
        ax.setStyle(showValues=show_labels)
        if not show_labels:
            ax.setWidth(4)
        n = max(1, len(self._labels))
        self.vb.setYRange(-0.6, n - 0.4, padding=0)

    def row_at(self, scene_pos: QPointF) -> tuple[int, float] | None:
        """(row, x in data units) under a scene position, or None outside the bars' rows."""
        if not self.vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.vb.mapSceneToView(scene_pos)
        row = int(round(p.y()))
        if not 0 <= row < len(self._labels) or abs(p.y() - row) > ROW_HEIGHT / 2 + 0.05:
            return None
        return row, p.x()

    def scene_pos_of(self, x: float, row: float) -> QPointF:
        return self.vb.mapViewToScene(QPointF(x, row))

    def widget_pos_of(self, x: float, row: float):
        """Where (x, row) is in the widget's viewport coordinates (tests click there)."""
        return self.mapFromScene(self.scene_pos_of(x, row))

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        flt = self.filter_at(event.scenePos())
        if flt is not None:
            event.accept()
            self.sigPlayers.emit(flt)

    def filter_at(self, scene_pos: QPointF) -> PlayerFilter | None:
        raise NotImplementedError

    # -- colours ------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """``text`` in the middle of an empty chart (and no axis numbers, which would count
        nothing); "" takes it away when there is data."""
        self.plot_item.getAxis("bottom").setStyle(showValues=not text)
        if not text:
            if self._message.scene() is not None:
                self.plot_item.removeItem(self._message)
            return
        self._message.setText(text)
        self._message.setColor(self.colors.muted)
        if self._message.scene() is None:
            self.plot_item.addItem(self._message, ignoreBounds=True)
        self.vb.setXRange(0, 1, padding=0)
        self._message.setPos(0.5, (len(self._labels) - 1) / 2 if self._labels else 0)

    def restyle(self) -> None:
        self.colors = ChartColors.from_palette(self.palette())
        apply_plot_colors(self, self.colors)
        if self._x_label:
            self.plot_item.setLabel("bottom", self._x_label, color=self.colors.text.name())
        self.plot_item.setTitle(self.title_html(), size="9pt")
        self._message.setColor(self.colors.muted)
        self.redraw()

    def redraw(self) -> None:
        raise NotImplementedError

    def title_html(self) -> str:
        return f"<span style='color:{self.colors.text.name()}'>{self._title}</span>"

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and getattr(self, "_ready", False) and not self._restyling:
            self._restyling = True
            try:
                self.restyle()
            finally:
                self._restyling = False


class FunnelChart(_RowChart):
    """Per tutorial step, a bar as long as the players who reached it, split into completed,
    skipped and still on it (left to right)."""

    def __init__(self, parent=None):
        super().__init__("playtestFunnelPlot", parent, x_label="players")
        self.setAccessibleName("Tutorial funnel")
        self._segments: list[list[tuple[str, str, int, PlayerFilter]]] = []
        self._bars: list[pg.GraphicsObject] = []
        self._ready = True
        self.restyle()

    def title_html(self) -> str:
        """The legend, as the title: a coloured square and the name of each part of a bar."""
        values = theme.value_colors(self.palette())
        text = self.colors.text.name()
        parts = [f"<span style='color:{values[tone].name()}'>■</span>&nbsp;<span style='color:{text}'>{label}</span>"
                 for _attr, label, tone in PlaytestPage.FUNNEL_PARTS]
        return "&nbsp;&nbsp;&nbsp;".join(parts)

    def set_funnel(self, labels: Sequence[str], segments: list[list[tuple[str, str, int, PlayerFilter]]]) -> None:
        self._segments = segments
        self.set_rows(labels)
        self.redraw()

    def redraw(self) -> None:
        for bar in self._bars:
            self.plot_item.removeItem(bar)
        self._bars = []
        if not self._segments:
            self.show_message("Open a playtest folder to see the tutorial funnel")
            return
        self.show_message("")
        values = theme.value_colors(self.palette())
        parts = len(self._segments[0])
        starts = [0.0] * len(self._segments)
        for k in range(parts):
            label, tone = self._segments[0][k][0], self._segments[0][k][1]
            widths = [float(segs[k][2]) for segs in self._segments]
            fill = QColor(values[tone])
            bar = pg.BarGraphItem(x0=list(starts), y=list(range(len(widths))), width=widths, height=ROW_HEIGHT,
                                  brush=pg.mkBrush(fill), pen=pg.mkPen(self.colors.background))
            self.plot_item.addItem(bar)
            self._bars.append(bar)
            starts = [s + w for s, w in zip(starts, widths)]
        for row, total in enumerate(starts):      # the players who reached the step, at the bar's end
            label = pg.TextItem(f"{total:g}", color=self.colors.text, anchor=(0, 0.5))
            label.setPos(total, row)
            self.plot_item.addItem(label, ignoreBounds=True)
            self._bars.append(label)
        top = max(starts) if starts else 0.0
        self.vb.setXRange(0, max(1.0, top) * 1.2, padding=0)

    def segment_center(self, row: int, part: int) -> tuple[float, float]:
        """(x, row) of the middle of a segment (tests click it)."""
        segs = self._segments[row]
        x0 = sum(s[2] for s in segs[:part])
        return x0 + segs[part][2] / 2, float(row)

    def filter_at(self, scene_pos: QPointF) -> PlayerFilter | None:
        hit = self.row_at(scene_pos)
        if hit is None:
            return None
        row, x = hit
        x0 = 0.0
        for _label, _tone, count, flt in self._segments[row]:
            if count and x0 <= x < x0 + count:
                return flt
            x0 += count
        return None


class DistributionChart(_RowChart):
    """Per row, a box of a distribution and (while there are at most ``STRIP_LIMIT`` values in
    all) every player's value as a point, spread a little across the row."""

    def __init__(self, name: str, parent=None, *, duration: bool = False, x_label: str = "", title: str = "",
                 value_text: Callable[[float], str] | None = None, empty: str = ""):
        super().__init__(name, parent, bottom=DurationAxis("bottom") if duration else None, x_label=x_label,
                         title=title)
        self._x: Callable[[float], float] = log_ms if duration else float   # data -> plot x
        self._value_text = value_text or (lambda v: f"{v:g}")
        self._empty = empty
        self._rows: list[tuple[str, object]] = []   # (what, Distribution)
        self._items: list[object] = []
        self._points: list[tuple[float, float, str, int, float]] = []   # x, y, player, row, value
        self._ready = True
        self.restyle()

    def set_distributions(self, labels: Sequence[str], rows: list[tuple[str, object]], *, show_labels: bool = True) -> None:
        self._rows = rows
        self.set_rows(labels, show_labels=show_labels)
        self.redraw()

    @property
    def strip_drawn(self) -> bool:
        return bool(self._points)

    def redraw(self) -> None:
        for item in self._items:
            self.plot_item.removeItem(item)
        self._items, self._points = [], []
        if not any(d.n for _, d in self._rows):
            self.show_message(self._empty)
            return
        self.show_message("")
        box_colour = self.colors.series_color(0)
        f = self._x
        boxes = [BoxStats(float(i), f(d.min), f(d.p25), f(d.median), f(d.p75), f(d.max), f(d.mean), box_colour, True, d.n)
                 for i, (_, d) in enumerate(self._rows) if d.n]
        box = BoxPlotItem(boxes, width=ROW_HEIGHT)
        box.setTransform(QTransform(0, 1, 1, 0, 0, 0))   # x <-> y: boxes lie along their row
        self.plot_item.addItem(box)
        self._items.append(box)
        total = sum(d.n for _, d in self._rows)
        if total <= STRIP_LIMIT:
            xs, ys = [], []
            for i, (_, d) in enumerate(self._rows):
                for value, player in d.values:
                    jitter = ((zlib.crc32(player.encode("utf-8", "surrogatepass")) % 1000) / 1000 - 0.5) * ROW_HEIGHT * 0.8
                    x = f(value)
                    xs.append(x)
                    ys.append(i + jitter)
                    self._points.append((x, i + jitter, player, i, float(value)))
            pen = pg.mkPen(self.colors.text)
            fill = QColor(self.colors.text)
            fill.setAlpha(110)
            scatter = pg.ScatterPlotItem(xs, ys, size=5, pen=pen, brush=pg.mkBrush(fill))
            self.plot_item.addItem(scatter)
            self._items.append(scatter)
        lo = min(f(d.min) for _, d in self._rows if d.n)
        hi = max(f(d.max) for _, d in self._rows if d.n)
        pad = (hi - lo) * 0.05 or max(0.5, abs(hi) * 0.1)
        self.vb.setXRange(lo - pad, hi + pad, padding=0)

    def point_center(self, k: int) -> tuple[float, float]:
        """(x, y) of the k-th point in plot coordinates (tests click it)."""
        x, y, *_ = self._points[k]
        return x, y

    def points(self) -> list[tuple[float, float, str, int, float]]:
        """(x, y, player, row, value) of every point drawn."""
        return list(self._points)

    def filter_at(self, scene_pos: QPointF) -> PlayerFilter | None:
        best = None
        for x, y, player, row, value in self._points:
            p = self.scene_pos_of(x, y)
            d = math.hypot(p.x() - scene_pos.x(), p.y() - scene_pos.y())
            if d <= HIT_PX and (best is None or d < best[0]):
                best = (d, player, row, value)
        if best is not None:
            _, player, row, value = best
            what = self._rows[row][0]
            return PlaytestPage.point_filter(what, player, self._value_text(value))
        hit = self.row_at(scene_pos)
        if hit is None:
            return None
        row, x = hit
        what, d = self._rows[row]
        if not d.n or not (self._x(d.min) <= x <= self._x(d.max)):
            return None
        return PlaytestPage.distribution_filter(what, d)
