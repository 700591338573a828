"""The stacked chart of followed values: one row per pin, one shared (linked) time axis.

Numbers are a line with a point per save (a save without the value is a gap); strings,
booleans, null and containers are state bands — one coloured segment per run of equal values,
with the value's text inside, from one save to the next — and a tick per save under them.
Hovering names the save; clicking a save emits ``sigPointClicked(pin index, point index)``.

pyqtgraph is imported here (the tab that holds this is built lazily, ``ui/plotting.py``);
colours come from the palette and the theme's value tints, and everything is redrawn on a
palette change. The time axis is the Tutorial Timeline's :class:`TimeAxis` (absolute, UTC).
"""
from __future__ import annotations

import math
import zlib

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QToolTip

from inspector_app.core.common.timefmt import (
    format_absolute_time, format_duration_ms, format_playtime, readable_time_value,
)
from inspector_app.core.pins import PinSeries, Point, value_text
from inspector_app.ui import theme
from inspector_app.ui.plotting import pyqtgraph
from inspector_app.ui.transcript.timeline import TimeAxis, time_tick_spacing

pg = pyqtgraph()

#: state band fills for strings (theme tints: readable with the palette's text colour, light and
#: dark); "bad" is left out: a value's colour must not suggest a judgement it does not carry
BAND_TINTS = ("info_bg", "good_bg", "warning_bg", "keyword_bg")
LEFT_AXIS_PX = 64      # the same on every row, so the stacked rows share x pixels
HIT_PX = 9             # a click or hover this close to a save (pixels) is on it
MIN_ROW_PX = 90


def band_tint(text: str, kind: str) -> str:
    """The tint name of a state value: true → good, false → neutral, null/containers → neutral,
    strings by a stable hash (the same value has the same colour in every row and run)."""
    if kind == "bool":
        return "good_bg" if text == "true" else "neutral_bg"
    if kind in ("null", "object", "array"):
        return "neutral_bg"
    return BAND_TINTS[zlib.crc32(text.encode("utf-8", "surrogatepass")) % len(BAND_TINTS)]


def bands_of(points: list[Point], xs: list[float], last_width: float) -> list[tuple[float, float, str, str]]:
    """(x0, x1, text, tint) per run of equal present values; a missing value ends a run."""
    out: list[tuple[float, float, str, str]] = []
    run: tuple[float, str, str, object] | None = None
    for i, (p, x) in enumerate(zip(points, xs)):
        if run is not None and p.value != run[3]:
            out.append((run[0], x, run[1], run[2]))
            run = None
        if p.kind == "missing":
            continue
        if run is None:
            text = value_text(p.value)
            run = (x, text, band_tint(text, p.kind), p.value)
        if i == len(points) - 1:
            out.append((run[0], x + last_width, run[1], run[2]))
    return out


class MillisecondsAxis(pg.AxisItem):
    """Left axis of a followed number that is a time (by its key: ``playtime``, ``*Ms``,
    ``stepDurations.*``, ``*At``): clock-friendly ticks, labelled in the app's one format for
    playtime, durations or local time stamps."""

    def __init__(self, kind: str):
        super().__init__("left")
        self.kind = kind
        self.enableAutoSIPrefix(False)

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802 - pyqtgraph API
        return [(s * 1000.0, 0) for s in time_tick_spacing((maxVal - minVal) / 1000.0, size * 1.6)]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph API
        if self.kind == "timestamp":
            return [format_absolute_time(v, empty="") for v in values]
        if self.kind == "playtime":
            return [format_playtime(v, missing="0") for v in values]
        return [format_duration_ms(v) if v >= 0 else "" for v in values]


class StateBandsItem(pg.GraphicsObject):
    """Coloured segments with their text elided to the segment's width in pixels."""

    def __init__(self, bands: list[tuple[float, float, str, str]], colours: dict[str, QColor],
                 text: QColor, border: QColor):
        super().__init__()
        self.bands = bands
        self._fills = {b[3]: colours[b[3]] for b in bands}
        self._text = text
        self._border = border
        self._font = QFont()
        self._font.setPointSizeF(8.5)
        self._metrics = QFontMetrics(self._font)
        x0 = min((b[0] for b in bands), default=0.0)
        x1 = max((b[1] for b in bands), default=1.0)
        self._rect = QRectF(x0, 0.0, max(x1 - x0, 1e-9), 1.0)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._rect

    def paint(self, painter: QPainter, *_args) -> None:
        transform = painter.transform()
        visible = QRectF(painter.viewport())
        painter.save()
        painter.resetTransform()
        painter.setFont(self._font)
        for x0, x1, text, tint in self.bands:
            r = transform.mapRect(QRectF(x0, 0.18, x1 - x0, 0.64))
            if not r.intersects(visible):
                continue
            r = r.intersected(visible.adjusted(-2, 0, 2, 0))
            painter.fillRect(r, self._fills[tint])
            painter.setPen(QPen(self._border, 1))
            painter.drawRect(r)
            if r.width() >= 28:
                painter.setPen(self._text)
                shown = self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(r.width() - 8))
                painter.drawText(r.adjusted(4, 0, -4, 0), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), shown)
        painter.restore()


class FollowedChart(pg.GraphicsLayoutWidget):
    """One plot row per followed value; x = seconds since the first timed save (UTC axis)."""

    sigPointClicked = Signal(int, int)     # pin index, point index (into the series' points)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("followedValuesChart")
        self.setAccessibleName("Followed values chart")
        self.series: list[PinSeries] = []
        self.plots: list = []
        self.items: list = []              # per row: PlotDataItem (numbers) or StateBandsItem
        self.xs: list[list[float | None]] = []
        self.origin_s = 0.0
        self.hovered: tuple[int, int] | None = None
        self._drawing = False
        self._restyle_pending = False
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self._apply_palette()

    # -- drawing ----------------------------------------------------------------------------
    def _apply_palette(self) -> None:
        pal = self.palette()
        self._text = pal.color(QPalette.ColorRole.Text)
        self._mid = pal.color(QPalette.ColorRole.Mid)
        self._colours = theme.value_colors(pal)
        self.setBackground(pal.color(QPalette.ColorRole.Base))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and hasattr(self, "_restyle_pending") and not self._drawing and not self._restyle_pending:
            # Later, not inside the event: redrawing drops the old plots, and with them the
            # QMenu widgets pyqtgraph gives each plot — deleting widgets while the theme walks
            # QApplication.allWidgets() (re-applying style sheets) would leave it a dangling one.
            self._restyle_pending = True
            QTimer.singleShot(0, self, self._restyle)

    def _restyle(self) -> None:
        self._restyle_pending = False
        self._apply_palette()
        x_range = self.plots[0].vb.viewRange()[0] if self.plots else None
        self.set_series(self.series, keep_range=x_range)

    def set_series(self, series: list[PinSeries], keep_range=None) -> None:
        self._drawing = True
        try:
            self._draw(series, keep_range)
        finally:
            self._drawing = False

    def _draw(self, series: list[PinSeries], keep_range) -> None:
        self.clear()
        self.series = series
        self.plots, self.items, self.xs = [], [], []
        self.hovered = None
        times = [p.time for s in series for p in s.points if p.time is not None]
        self.origin_s = min(times) / 1000.0 if times else 0.0
        span = (max(times) - min(times)) / 1000.0 if times else 0.0
        last_width = max(span * 0.04, 60.0)
        first = None
        for i, s in enumerate(series):
            bottom = TimeAxis() if i == len(series) - 1 else None
            axes = {"bottom": bottom} if bottom else {}
            if s.kind == "number" and s.pin.time_kind:
                axes["left"] = MillisecondsAxis(s.pin.time_kind)
            plot = self.addPlot(row=i, col=0, axisItems=axes or None)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setMinimumHeight(MIN_ROW_PX * (0.7 if s.kind != "number" else 1))
            plot.setClipToView(True)
            plot.setDownsampling(auto=True, mode="peak")
            plot.vb.setMouseEnabled(x=True, y=False)
            plot.showGrid(x=True, y=s.kind == "number", alpha=0.15)
            plot.setTitle(self._title(s), color=self._text.name(), size="9pt", justify="left")
            for name in ("left", "bottom"):
                ax = plot.getAxis(name)
                ax.setPen(QPen(self._mid))
                ax.setTextPen(QPen(self._text))
            plot.getAxis("left").setWidth(LEFT_AXIS_PX)
            if bottom is None:
                plot.hideAxis("bottom")
            else:
                bottom.set_mode("absolute", self.origin_s)
            xs = [None if p.time is None else p.time / 1000.0 - self.origin_s for p in s.points]
            self.xs.append(xs)
            timed = [(p, x) for p, x in zip(s.points, xs) if x is not None]
            if s.kind == "number":
                item = self._number_item(timed)
            else:
                item = self._state_items(plot, timed, last_width)
            plot.addItem(item)
            self.items.append(item)
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            self.plots.append(plot)
        if first is not None:
            if keep_range is not None:
                first.vb.setXRange(*keep_range, padding=0)
            else:
                first.vb.setXRange(-last_width * 0.5, span + last_width * 1.2, padding=0)

    def _title(self, s: PinSeries) -> str:
        from html import escape

        extra = ""
        if s.kind == "empty":
            extra = " — missing in every save"
        if s.untimed:
            extra += f" — {s.untimed} save{'s' if s.untimed != 1 else ''} without a time not drawn"
        return f"<b>{escape(s.pin.display_label)}</b>{escape(extra)}"

    def _number_item(self, timed: list[tuple[Point, float]]):
        x = np.array([xv for _, xv in timed], dtype=float)
        y = np.array([float(p.value) if p.kind == "number" and math.isfinite(float(p.value)) else np.nan
                      for p, _ in timed], dtype=float)
        colour = self._colours["info"]
        item = pg.PlotDataItem(x, y, pen=pg.mkPen(colour, width=1), symbol="o", symbolSize=6,
                               symbolPen=pg.mkPen(colour), symbolBrush=pg.mkBrush(colour), connect="finite")
        return item

    def _state_items(self, plot, timed: list[tuple[Point, float]], last_width: float):
        points = [p for p, _ in timed]
        xs = [x for _, x in timed]
        bands = bands_of(points, xs, last_width)
        item = StateBandsItem(bands, self._colours, self._text, self._mid)
        plot.vb.setYRange(0, 1, padding=0.05)
        plot.getAxis("left").setStyle(showValues=False)
        plot.getAxis("left").setTicks([[]])
        present = [x for p, x in timed if p.kind != "missing"]
        ticks = pg.ScatterPlotItem(present, [0.1] * len(present), symbol="t1", size=6,
                                   pen=pg.mkPen(self._text), brush=pg.mkBrush(self._text))
        plot.addItem(ticks)
        return item

    # -- hit testing ------------------------------------------------------------------------
    def point_scene_pos(self, pin_index: int, point_index: int) -> QPointF | None:
        """Where a save's point is drawn (scene coordinates), or None when it is not drawn."""
        x = self.xs[pin_index][point_index]
        if x is None:
            return None
        s = self.series[pin_index]
        p = s.points[point_index]
        if s.kind == "number":
            if p.kind != "number":
                return None
            y = float(p.value)
        else:
            y = 0.5
        return self.plots[pin_index].vb.mapViewToScene(QPointF(x, y))

    def _drawn_xy(self, pin_index: int) -> tuple[np.ndarray, np.ndarray]:
        """View x and y of every point of a row (NaN where it is not drawn)."""
        s = self.series[pin_index]
        x = np.array([np.nan if v is None else v for v in self.xs[pin_index]], dtype=float)
        if s.kind == "number":
            y = np.array([float(p.value) if p.kind == "number" else np.nan for p in s.points], dtype=float)
        else:
            y = np.where([p.kind != "missing" for p in s.points], 0.5, np.nan)
        return x, y

    def hit(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """The (pin, point) under ``scene_pos`` (within :data:`HIT_PX`), nearest first: one
        affine map of all points per row (arrays), not a Qt call per point."""
        for i, plot in enumerate(self.plots):
            if not plot.vb.sceneBoundingRect().contains(scene_pos):
                continue
            x, y = self._drawn_xy(i)
            o, u = plot.vb.mapViewToScene(QPointF(0.0, 0.0)), plot.vb.mapViewToScene(QPointF(1.0, 1.0))
            with np.errstate(invalid="ignore", over="ignore"):
                dx = np.abs(o.x() + x * (u.x() - o.x()) - scene_pos.x())
                if self.series[i].kind == "number":
                    dy = o.y() + y * (u.y() - o.y()) - scene_pos.y()
                    d = np.hypot(dx, dy)
                else:
                    d = np.where(np.isnan(y), np.nan, dx)
            if not np.isfinite(d).any():
                return None
            j = int(np.nanargmin(d))
            return (i, j) if d[j] <= HIT_PX else None
        return None

    def hover_text(self, pin_index: int, point_index: int) -> str:
        s = self.series[pin_index]
        p = s.points[point_index]
        when = format_absolute_time(p.time) if p.time is not None else "no time"
        value = value_text(p.value, 200)
        steps = s.pin.steps
        readable = None if s.pin.count or not steps or not isinstance(steps[-1], str) else readable_time_value(
            steps[-1], p.value, parent_key=steps[-2] if len(steps) > 1 and isinstance(steps[-2], str) else None)
        if readable:
            value += f" ({readable})"
        return (f"{s.pin.display_label}\n{p.ref.where}\n{when} ({p.time_source or 'no time'})\n"
                f"value: {value}\nClick to open this save")

    def _on_mouse_moved(self, scene_pos) -> None:
        hit = self.hit(scene_pos)
        self.hovered = hit
        if hit is None:
            QToolTip.hideText()
            return
        view_pos = self.mapFromScene(scene_pos)
        QToolTip.showText(self.mapToGlobal(view_pos), self.hover_text(*hit), self)

    def _on_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self.hit(event.scenePos())
        if hit is not None:
            event.accept()
            self.sigPointClicked.emit(*hit)
