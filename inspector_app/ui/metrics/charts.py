"""One history chart: a PlotWidget with, per series, the mean line, min–max band, p95 line,
budget lines (in their series' colour, named) with warning/critical bands, regression markers
(explained on hover) and the A/B cursors. Every curve is downsampled (peak) and clipped to
view, pen width 1, no OpenGL. Colours come from the application palette (:class:`ChartColors`)
and are re-derived when it changes; series colours are adjusted to 4.5:1 contrast on the
chart background in light and dark.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import (DAY_SPACING, HOUR_SPACING, MINUTE_SPACING, MONTH_SPACING,
                                                  MS_SPACING, SECOND_SPACING, YEAR_SPACING, TickSpec, ZoomLevel,
                                                  makeMSStepper, makeMStepper, makeSStepper, makeYStepper)
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from ...core.common.timefmt import format_axis_number
from ...core.metrics.budgets import Bands
from ...core.metrics.model import SeriesData
from ...core.metrics.regression import Finding

# Tableau-like hues; each is darkened or lightened until it reads at 4.5:1 on the background
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#d62728")
SYMBOL_LIMIT = 300        # draw point symbols up to this many points per series
MIN_CONTRAST = 4.5


def _luminance(c: QColor) -> float:
    def ch(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def readable_on(color: QColor | str, background: QColor, ratio: float = MIN_CONTRAST) -> QColor:
    """``color`` darkened (light background) or lightened (dark background) in HSL lightness
    until it has ``ratio`` contrast with ``background``; its hue is kept."""
    c = QColor(color)
    dark_bg = _luminance(background) < 0.18
    h, s, l, a = c.getHslF()
    for _ in range(40):
        if contrast(c, background) >= ratio:
            return c
        l = min(1.0, l + 0.03) if dark_bg else max(0.0, l - 0.03)
        c = QColor.fromHslF(max(h, 0.0), s, l, a)
    return c


@dataclass
class ChartColors:
    """The colours every chart takes from the palette (one place, re-derived on change)."""

    background: QColor
    text: QColor
    axis: QColor
    muted: QColor
    legend_brush: QColor
    regression: QColor
    improvement: QColor
    cursor_a: QColor
    cursor_b: QColor
    series: tuple[QColor, ...] = field(default_factory=tuple)
    warning_brush: QColor = field(default_factory=lambda: QColor(255, 193, 7, 34))
    critical_brush: QColor = field(default_factory=lambda: QColor(255, 87, 34, 46))

    @property
    def dark(self) -> bool:
        return _luminance(self.background) < 0.18

    def series_color(self, i: int) -> QColor:
        return self.series[i % len(self.series)]

    @staticmethod
    def from_palette(palette: QPalette | None = None) -> "ChartColors":
        pal = palette if palette is not None else QApplication.palette()
        bg = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        muted = readable_on(pal.color(QPalette.ColorRole.PlaceholderText), bg)
        legend = QColor(pal.color(QPalette.ColorRole.Base))
        legend.setAlpha(170)
        dark = _luminance(bg) < 0.18
        warn, crit = (QColor(255, 193, 7, 40), QColor(255, 87, 34, 56)) if dark else \
            (QColor(255, 193, 7, 34), QColor(255, 87, 34, 46))
        return ChartColors(
            background=bg, text=text, axis=readable_on(pal.color(QPalette.ColorRole.Mid), bg, 3.0), muted=muted,
            legend_brush=legend, regression=readable_on("#c62828", bg), improvement=readable_on("#2e7d32", bg),
            cursor_a=readable_on("#37474f", bg), cursor_b=readable_on("#6a1b9a", bg),
            series=tuple(readable_on(c, bg) for c in PALETTE), warning_brush=warn, critical_brush=crit)


class ContextDateAxis(pg.DateAxisItem):
    """pyqtgraph's date axis (bounded tick count at any span) with labels that always say
    which month they are in: ``Nov 03`` for days, ``Nov 2025`` for months, and the date on
    the day ticks between hours."""

    def __init__(self, orientation: str = "bottom", **kwargs):
        super().__init__(orientation, utcOffset=0, **kwargs)
        year_month = ZoomLevel([TickSpec(YEAR_SPACING, makeYStepper(1), "%Y", autoSkip=[1, 5, 10, 25]),
                                TickSpec(MONTH_SPACING, makeMStepper(1), "%b %Y", autoSkip=[1, 3, 6])], "Sep 2025")
        month_day = ZoomLevel([TickSpec(MONTH_SPACING, makeMStepper(1), "%b %Y"),
                               TickSpec(DAY_SPACING, makeSStepper(DAY_SPACING), "%b %d", autoSkip=[1, 5])], "Sep 30")
        day_hour = ZoomLevel([TickSpec(DAY_SPACING, makeSStepper(DAY_SPACING), "%b %d"),
                              TickSpec(HOUR_SPACING, makeSStepper(HOUR_SPACING), "%H:%M", autoSkip=[1, 6])], "Sep 30")
        hour_minute = ZoomLevel([TickSpec(DAY_SPACING, makeSStepper(DAY_SPACING), "%b %d"),
                                 TickSpec(MINUTE_SPACING, makeSStepper(MINUTE_SPACING), "%H:%M",
                                          autoSkip=[1, 5, 15])], "22:22")
        hms = ZoomLevel([TickSpec(SECOND_SPACING, makeSStepper(SECOND_SPACING), "%H:%M:%S",
                                  autoSkip=[1, 5, 15, 30])], "22:22:22")
        ms = ZoomLevel([TickSpec(MINUTE_SPACING, makeSStepper(MINUTE_SPACING), "%H:%M:%S"),
                        TickSpec(MS_SPACING, makeMSStepper(MS_SPACING), "%S.%f",
                                 autoSkip=[1, 5, 10, 25])], "22.222")
        self.zoomLevels = {np.inf: year_month, 5 * 3600 * 24: month_day, 6 * 3600: day_hour,
                           15 * 60: hour_minute, 30: hms, 1: ms}


class ReadableLogAxis(pg.AxisItem):
    """A value axis whose log mode labels ticks as numbers a reader knows — 40, 100, 1 k — not
    pyqtgraph's ``4·10¹`` (the linear mode is pyqtgraph's own: 20, 40, 60)."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 - pyqtgraph API
        lo, hi = min(minVal, maxVal), max(minVal, maxVal)
        if not self.logMode or not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo >= 0.5:
            return super().tickValues(minVal, maxVal, size)
        # less than a factor of ~3 in view (35–40 ms): a decade's ticks would leave one label or
        # none; tick round values as a linear axis would, placed at their log10
        a, b = 10 ** lo, 10 ** hi
        levels, seen = [], set()
        for spacing, _offset in pg.AxisItem.tickSpacing(self, a, b, size):
            first = math.ceil(a / spacing) * spacing
            count = int((b - first) / spacing) + 1
            values = [v for v in (round(first + i * spacing, 12) for i in range(max(count, 0)))
                      if v > 0 and v not in seen]          # a finer level repeats the coarser one's ticks
            seen.update(values)
            levels.append((None, [math.log10(v) for v in values]))
        return levels

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph API
        texts = [format_axis_number(10 ** float(v) * scale) for v in values]
        mantissas = [round(10 ** (float(v) - math.floor(float(v))), 3) for v in values]
        if len(values) <= 6 or not all(m == int(m) for m in mantissas):
            return texts
        # a decade's nine minor ticks: label 1, 2 and 5 only (10 9 8 7 … piled up at the decade's top)
        return [t if m in (1.0, 2.0, 5.0) else "" for t, m in zip(texts, mantissas)]


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def style_curve(item: pg.PlotDataItem) -> pg.PlotDataItem:
    """The project rule for big data: peak downsampling + clip to view.

    Call it after the item is in its PlotItem: pyqtgraph 0.14 looks up the ViewBox while the
    item is being added and, with clipToView already on, finds the PlotWidget instead."""
    item.setDownsampling(auto=True, method="peak")
    item.setClipToView(True)
    return item


@dataclass
class BudgetLine:
    label: str
    limit: float
    color: QColor | None = None


@dataclass
class PlottedSeries:
    """What the chart drew for one series (kept for cursors, CSV, clicks and tests)."""

    data: SeriesData
    x: np.ndarray
    color: QColor
    name: str
    curve: pg.PlotDataItem
    companions: list = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def nearest(self, x: float) -> int | None:
        if len(self.x) == 0:
            return None
        i = int(np.searchsorted(self.x, x))
        candidates = [j for j in (i - 1, i) if 0 <= j < len(self.x)]
        return min(candidates, key=lambda j: abs(self.x[j] - x))


def apply_plot_colors(widget: pg.PlotWidget, colors: ChartColors) -> None:
    """Background, axis lines and text of a plot from the palette-derived colours."""
    widget.setBackground(colors.background)
    plot = widget.getPlotItem()
    for name in ("left", "bottom"):
        ax = plot.getAxis(name)
        ax.setPen(pg.mkPen(colors.axis))
        ax.setTextPen(pg.mkPen(colors.text))
        label = ax.labelText
        if label:
            ax.setLabel(label, units=ax.labelUnits or None, color=colors.text.name())


class HistoryChart:
    """A PlotWidget holding one group of series (same unit, or one series when stacked).

    ``x_title`` is False for every chart but the bottom one of a stack (one x title)."""

    def __init__(self, object_name: str, *, time_axis: bool, log_y: bool, unit: str, bands: Bands,
                 colors: ChartColors | None = None, x_title: bool = True):
        self.colors = colors if colors is not None else ChartColors.from_palette()
        axis = {"left": ReadableLogAxis("left")}
        if time_axis:
            axis["bottom"] = ContextDateAxis("bottom")
        self.widget = pg.PlotWidget(axisItems=axis)
        self.widget.setObjectName(object_name)
        self.widget.setMinimumHeight(160)
        self.plot: pg.PlotItem = self.widget.getPlotItem()
        if log_y:  # items get log10 values from us; only the axis labels powers of ten (see _y)
            self.plot.getAxis("left").setLogMode(False, True)
        # no pyqtgraph grid: on the raster engine it costs ~25 ms per repaint (pan 9 → 35 ms at 1e6 points)
        self.plot.setLabel("left", unit or "value")
        if x_title:
            self.plot.setLabel("bottom", "run time (UTC)" if time_axis else "run index")
        apply_plot_colors(self.widget, self.colors)
        # semi-transparent and draggable (pyqtgraph legends move with the mouse)
        self.legend = self.plot.addLegend(offset=(8, 8), labelTextColor=self.colors.text,
                                          brush=pg.mkBrush(self.colors.legend_brush), pen=pg.mkPen(self.colors.axis))
        self.legend.setToolTip("Drag to move; click an entry to hide or show its series")
        self.log_y = log_y
        self.unit = unit
        self.bands = bands
        self.series: list[PlottedSeries] = []
        self.budget_lines: list[BudgetLine] = []
        self.cursor_a: pg.InfiniteLine | None = None
        self.cursor_b: pg.InfiniteLine | None = None
        self._data_max = 0.0
        self._budget_texts: list[tuple[pg.TextItem, float]] = []
        self._budget_html: dict[int, tuple[str, str]] = {}   # id(text) -> (with the series' names, budget only)
        self._budget_shown: dict[int, str] = {}              # id(text) -> which of the two it shows

    def _y(self, v):
        """Plot coordinates of a value: log10 in log mode (≤ 0 becomes NaN, a gap).

        The chart transforms every item itself instead of using PlotItem.setLogMode, so bands,
        budget regions, markers and curves always agree."""
        if not self.log_y:
            return v
        arr = np.asarray(v, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(arr > 0, np.log10(np.where(arr > 0, arr, 1)), np.nan)
        return float(out) if np.ndim(out) == 0 else out

    # -------------------------------------------------------------------------- series
    def add_series(self, data: SeriesData, x: np.ndarray, color: QColor, name: str,
                   findings: list[Finding], *, show_band: bool = True) -> PlottedSeries:
        pen = pg.mkPen(color, width=1)
        n = len(data)
        symbol = dict(symbol="o", symbolSize=6, symbolPen=pg.mkPen(color, width=1), symbolBrush=pg.mkBrush(color)) \
            if n <= SYMBOL_LIMIT else {}
        yv = self._y(data.values)
        finite = bool(np.isfinite(yv).all())
        curve = pg.PlotDataItem(x, yv, pen=pen, name=name, connect="all" if finite else "finite",
                                skipFiniteCheck=finite, **symbol)
        companions = []
        if show_band and n >= 2 and data.low is not None and data.high is not None:
            low = np.where(np.isfinite(data.low), data.low, data.values)
            high = np.where(np.isfinite(data.high), data.high, data.values)
            lo_y, hi_y = self._y(low), self._y(high)
            lo_y = np.where(np.isfinite(lo_y), lo_y, yv)
            lo_item = pg.PlotDataItem(x, lo_y, pen=pg.mkPen(0, 0, 0, 0))
            hi_item = pg.PlotDataItem(x, hi_y, pen=pg.mkPen(0, 0, 0, 0))
            fill = QColor(color)
            fill.setAlpha(45)
            band = pg.FillBetweenItem(lo_item, hi_item, brush=pg.mkBrush(fill))
            for item in (lo_item, hi_item, band):
                self.plot.addItem(item)
                companions.append(item)
            style_curve(lo_item)
            style_curve(hi_item)
            self._data_max = max(self._data_max, float(np.nanmax(high)) if len(high) else 0.0)
        if show_band and data.p95 is not None and np.isfinite(data.p95).any():
            p95 = pg.PlotDataItem(x, self._y(data.p95), connect="finite", pen=pg.mkPen(color, width=1, style=Qt.PenStyle.DashLine))
            self.plot.addItem(p95)
            style_curve(p95)
            companions.append(p95)
        self.plot.addItem(curve)
        style_curve(curve)
        if len(data.values):
            self._data_max = max(self._data_max, float(np.nanmax(data.values)))
        plotted = PlottedSeries(data, x, color, name, curve, companions, findings)
        self._add_findings(plotted)
        curve.visibleChanged.connect(lambda c=curve, items=companions: [i.setVisible(c.isVisible()) for i in items])
        self.series.append(plotted)
        return plotted

    def _add_findings(self, s: PlottedSeries) -> None:
        if not s.findings:
            return
        spots = []
        for f in s.findings:
            xi = float(s.x[f.index])
            color = self.colors.regression if f.regression else self.colors.improvement
            spots.append({"pos": (xi, self._y(float(s.data.values[f.index]))), "data": f.explain(),
                          "symbol": "t1" if f.direction == "increase" else "t", "size": 15,
                          "pen": pg.mkPen(self.colors.background, width=1), "brush": pg.mkBrush(color)})
            line = pg.InfiniteLine(pos=xi, angle=90, movable=False,
                                   pen=pg.mkPen(color, width=1, style=Qt.PenStyle.DotLine))
            line.setToolTip(f.explain())
            self.plot.addItem(line, ignoreBounds=True)
            s.companions.append(line)
            if f.kind == "step":   # the two levels the detector compared
                before = pg.PlotCurveItem([float(s.x[0]), xi], [self._y(f.before)] * 2,
                                          pen=pg.mkPen(color, width=1, style=Qt.PenStyle.DashDotLine))
                after = pg.PlotCurveItem([xi, float(s.x[-1])], [self._y(f.after)] * 2,
                                         pen=pg.mkPen(color, width=1, style=Qt.PenStyle.DashDotLine))
                for item in (before, after):
                    self.plot.addItem(item)
                    s.companions.append(item)
        markers = pg.ScatterPlotItem(spots=spots, hoverable=True, tip=lambda x, y, data: data,
                                     hoverSize=18, hoverPen=pg.mkPen(self.colors.text, width=1))
        markers.setZValue(20)
        self.plot.addItem(markers)
        s.companions.append(markers)

    # -------------------------------------------------------------------------- budgets
    def add_budget(self, label: str, limit: float, color: QColor | None = None) -> None:
        """One limit line (no series named: the chart shows one series, or all share it)."""
        self.add_budget_group(label, limit, [(color, "")])

    def add_budget_group(self, label: str, limit: float, series: list[tuple[QColor | None, str]]) -> None:
        """A limit that applies to one or more series of this chart: the warning and critical
        bands below it (§7.7 80 % / 95 %), then the line, dashed in turn in each series' colour,
        labelled with the budget and the part of each series' name that tells it apart, in
        that series' colour (``"500 · 1000: 16 ms frame"``)."""
        colors = [QColor(c) if c is not None else self.colors.regression for c, _ in series]
        for c, (_, name) in zip(colors, series):
            self.budget_lines.append(BudgetLine(f"{name}: {label}" if name else label, limit, c))
        warn, crit = self.bands.warning * limit, self.bands.critical * limit
        for lo, hi, brush, kind in ((warn, crit, self.colors.warning_brush, "warning"),
                                    (crit, limit, self.colors.critical_brush, "critical")):
            region = pg.LinearRegionItem(values=(self._y(lo), self._y(hi)), orientation="horizontal",
                                         movable=False, brush=pg.mkBrush(brush), pen=pg.mkPen(None))
            region.setZValue(-20)
            region.setToolTip(f"{label}: {kind} band {lo:.4g}–{hi:.4g} {self.unit}")
            self.plot.addItem(region, ignoreBounds=True)
        n = len(colors)
        dash = 5.0
        for i, c in enumerate(colors):
            pen = pg.mkPen(c, width=1.5 if n > 1 else 1)
            pen.setDashPattern([dash, dash * (2 * n - 1)] if n > 1 else [dash, dash])
            pen.setDashOffset(2 * dash * i)
            line = pg.InfiniteLine(pos=self._y(limit), angle=0, movable=False, pen=pen)
            line.setToolTip(f"Budget {label}: {limit:g} {self.unit}")
            self.plot.addItem(line, ignoreBounds=True)
        names = [(c, name) for c, (_, name) in zip(colors, series) if name]
        text = pg.TextItem(anchor=(1, 1), fill=pg.mkBrush(self.colors.legend_brush))
        parts = [f"<span style='color:{c.name()}'>{_html(name)}</span>" for c, name in names]
        head = " · ".join(parts) + ": " if parts else ""
        color = colors[0] if n == 1 else self.colors.text
        short = f"<span style='font-size:8pt'><span style='color:{color.name()}'>{_html(label)}</span></span>"
        full = f"<span style='font-size:8pt'>{head}<span style='color:{color.name()}'>{_html(label)}</span></span>"
        text.setHtml(full)
        text.setToolTip(f"Budget {' · '.join(name for _c, name in names) + ': ' if names else ''}{label}: "
                        f"{limit:g} {self.unit}")
        self._budget_html[id(text)] = (full, short)
        self._budget_shown[id(text)] = full
        text.setZValue(25)
        self.plot.addItem(text, ignoreBounds=True)
        if not self._budget_texts:      # the view's range or size changed: placed again
            self.plot.vb.sigTransformChanged.connect(self._place_budget_texts)
        self._budget_texts.append((text, self._y(limit)))

    def _place_budget_texts(self, *_args) -> None:
        """Budget labels sit on their line, at the right edge of the view — unless that spot
        crosses a cursor line or covers an A/B label or another budget label: then just left of
        that cursor (the clear stretch nearest the right edge), above the line or else below it.
        Labels never overlap each other or the cursors (placed again when the view, its size or
        a cursor moves)."""
        if not self._budget_texts:
            return
        vb = self.plot.vb
        (x0, x1), _ = self.plot.viewRange()
        left, right = vb.mapViewToScene(QPointF(x0, 0)).x(), vb.mapViewToScene(QPointF(x1, 0)).x()
        if not right > left:
            return
        pad = 4.0
        lines, placed = [], []
        for cursor in (self.cursor_a, self.cursor_b):
            if cursor is not None:
                lines.append(vb.mapViewToScene(QPointF(cursor.value(), 0)).x())
                if cursor.label is not None and cursor.label.isVisible():
                    placed.append(cursor.label.sceneBoundingRect().adjusted(-pad, -pad, pad, pad))
        # the clear stretches between the view's edges and the cursor lines, nearest the right first
        cuts = sorted(x for x in lines if left < x < right)
        bounds = [left] + [c for x in cuts for c in (x - pad, x + pad)] + [right]
        gaps = sorted(((lo, hi) for lo, hi in zip(bounds[::2], bounds[1::2]) if hi > lo), key=lambda g: -g[1])
        for text, y in sorted(self._budget_texts, key=lambda t: -t[1] if np.isfinite(t[1]) else 0.0):
            line_y = vb.mapViewToScene(QPointF(x0, y)).y()
            spot = None
            for html in dict.fromkeys(self._budget_html.get(id(text), (None,))):   # too wide: the budget alone
                if html is not None and self._budget_shown.get(id(text)) != html:
                    text.setHtml(html)
                    self._budget_shown[id(text)] = html
                w, h = text.boundingRect().width(), text.boundingRect().height()
                spots = [(hi - w, top) for lo, hi in gaps if hi - lo >= w for top in (line_y - h, line_y)]
                spot = next(((x, t) for x, t in spots if not any(QRectF(x, t, w, h).intersects(r) for r in placed)),
                            None)
                if spot is not None:
                    break
            lo, top = spot if spot is not None else (right - w, line_y - h)
            text.setAnchor((0, 1) if top < line_y else (0, 0))
            text.setPos(vb.mapSceneToView(QPointF(lo, line_y)).x(), y)
            placed.append(QRectF(lo, top, w, h))

    def fit_view(self, time_axis: bool = True) -> None:
        """Auto-range on the data, stretched to show budgets near the data (≤ 3× its max)."""
        self.plot.enableAutoRange()
        self.plot.autoRange()
        xs = np.concatenate([s.x for s in self.series]) if self.series else np.empty(0)
        if len(xs) and float(np.nanmax(xs)) == float(np.nanmin(xs)):   # one run: give it some room
            pad = 86400.0 if time_axis else 1.0
            self.plot.setXRange(float(xs[0]) - pad, float(xs[0]) + pad, padding=0)
        near = [b.limit for b in self.budget_lines if self._data_max > 0 and b.limit <= 3 * self._data_max]
        if near:
            (y0, y1) = self.plot.viewRange()[1]
            top = self._y(max(near) * 1.08)
            if top > y1:
                self.plot.setYRange(y0, top, padding=0)
        off = [b for b in self.budget_lines if b.limit not in near]
        if off:
            used = ", ".join(f"{b.label} ({self._data_max / b.limit * 100:.2g} % used)" for b in off)
            self.plot.setTitle(f"off-scale budgets: {used}", color=self.colors.regression.name(), size="9pt")
        self._place_budget_texts()

    # -------------------------------------------------------------------------- cursors
    def add_cursors(self, a: float, b: float) -> tuple[pg.InfiniteLine, pg.InfiniteLine]:
        def line(pos, text, color: QColor):
            l = pg.InfiniteLine(pos=pos, angle=90, movable=True, pen=pg.mkPen(color, width=1),
                                hoverPen=pg.mkPen(color, width=2), label=text,
                                labelOpts={"position": self.CURSOR_LABEL_AT, "color": color, "fill": pg.mkBrush(self.colors.legend_brush)})
            l.setZValue(30)
            self.plot.addItem(l, ignoreBounds=True)
            return l

        self.cursor_a = line(a, "A", self.colors.cursor_a)
        self.cursor_b = line(b, "B", self.colors.cursor_b)
        for cursor in (self.cursor_a, self.cursor_b):
            cursor.sigPositionChanged.connect(self._place_labels)
        self.plot.vb.sigTransformChanged.connect(self._place_labels)
        self._place_labels()
        return self.cursor_a, self.cursor_b

    CURSOR_LABEL_AT = 0.04      # the A/B labels' place along their line, from the bottom

    def _place_labels(self, *_args) -> None:
        """The A and B labels side by side at the bottom; B's steps up when they would touch.
        Then the budget labels, clear of both."""
        a, b = self.cursor_a, self.cursor_b
        if a is not None and b is not None and a.label is not None and b.label is not None:
            vb = self.plot.vb
            ax = vb.mapViewToScene(QPointF(a.value(), 0)).x()
            bx = vb.mapViewToScene(QPointF(b.value(), 0)).x()
            ra, rb = a.label.boundingRect(), b.label.boundingRect()
            height = vb.sceneBoundingRect().height()
            touching = abs(ax - bx) < (ra.width() + rb.width()) / 2 + 4
            step = (ra.height() + 2) / height if height > 0 else 0.0
            b.label.setPosition(self.CURSOR_LABEL_AT + (step if touching else 0.0))
        self._place_budget_texts()
