"""One history chart: a PlotWidget with, per series, the mean line, min–max band, p95 line,
budget lines with warning/critical bands, regression markers (explained on hover) and the
A/B cursors. Every curve is downsampled (peak) and clipped to view, pen width 1, no OpenGL.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ...core.metrics.budgets import Bands
from ...core.metrics.model import SeriesData
from ...core.metrics.regression import Finding

# Okabe–Ito / Tableau-like palette: distinguishable, readable on white
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#d62728")
BUDGET_COLOR = QColor("#c62828")
WARNING_BRUSH = QColor(255, 193, 7, 34)
CRITICAL_BRUSH = QColor(255, 87, 34, 46)
SYMBOL_LIMIT = 300        # draw point symbols up to this many points per series


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


class HistoryChart:
    """A PlotWidget holding one group of series (same unit, or one series when stacked)."""

    def __init__(self, object_name: str, *, time_axis: bool, log_y: bool, unit: str, bands: Bands):
        axis = {"bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0)} if time_axis else {}
        self.widget = pg.PlotWidget(axisItems=axis, background="w")
        self.widget.setObjectName(object_name)
        self.widget.setMinimumHeight(160)
        self.plot: pg.PlotItem = self.widget.getPlotItem()
        if log_y:  # items get log10 values from us; only the axis labels powers of ten (see _y)
            self.plot.getAxis("left").setLogMode(False, True)
        # no pyqtgraph grid: on the raster engine it costs ~25 ms per repaint (pan 9 → 35 ms at 1e6 points)
        for name in ("left", "bottom"):
            ax = self.plot.getAxis(name)
            ax.setPen(pg.mkPen("#555555"))
            ax.setTextPen(pg.mkPen("#333333"))
        self.plot.setLabel("left", unit or "value")
        self.plot.setLabel("bottom", "run time (UTC)" if time_axis else "run index")
        self.legend = self.plot.addLegend(offset=(8, 8), labelTextColor="#222222", brush=pg.mkBrush(255, 255, 255, 215),
                                          pen=pg.mkPen("#bbbbbb"))
        self.log_y = log_y
        self.unit = unit
        self.bands = bands
        self.series: list[PlottedSeries] = []
        self.budget_lines: list[BudgetLine] = []
        self.cursor_a: pg.InfiniteLine | None = None
        self.cursor_b: pg.InfiniteLine | None = None
        self._data_max = 0.0

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
            color = QColor("#c62828") if f.regression else QColor("#2e7d32")
            spots.append({"pos": (xi, self._y(float(s.data.values[f.index]))), "data": f.explain(),
                          "symbol": "t1" if f.direction == "increase" else "t", "size": 15,
                          "pen": pg.mkPen("#ffffff", width=1), "brush": pg.mkBrush(color)})
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
                                     hoverSize=18, hoverPen=pg.mkPen("#000000", width=1))
        markers.setZValue(20)
        self.plot.addItem(markers)
        s.companions.append(markers)

    # -------------------------------------------------------------------------- budgets
    def add_budget(self, label: str, limit: float) -> None:
        """A limit line with the warning and critical bands below it (§7.7 80 % / 95 %)."""
        if any(math.isclose(b.limit, limit) for b in self.budget_lines):
            return
        self.budget_lines.append(BudgetLine(label, limit))
        warn, crit = self.bands.warning * limit, self.bands.critical * limit
        for lo, hi, brush in ((warn, crit, WARNING_BRUSH), (crit, limit, CRITICAL_BRUSH)):
            region = pg.LinearRegionItem(values=(self._y(lo), self._y(hi)), orientation="horizontal",
                                         movable=False, brush=pg.mkBrush(brush), pen=pg.mkPen(None))
            region.setZValue(-20)
            region.setToolTip(f"{label}: {'warning' if brush is WARNING_BRUSH else 'critical'} band "
                              f"{lo:.4g}–{hi:.4g} {self.unit}")
            self.plot.addItem(region, ignoreBounds=True)
        line = pg.InfiniteLine(pos=self._y(limit), angle=0, movable=False,
                               pen=pg.mkPen(BUDGET_COLOR, width=1, style=Qt.PenStyle.DashLine),
                               label=f"{label}", labelOpts={"position": 0.985, "color": "#b71c1c",
                                                             "anchors": [(1, 1), (1, 1)]})
        line.setToolTip(f"Budget {label}: {limit:g} {self.unit}")
        self.plot.addItem(line, ignoreBounds=True)

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
            self.plot.setTitle(f"<span style='color:#b71c1c;font-size:9pt'>off-scale budgets: {used}</span>")

    # -------------------------------------------------------------------------- cursors
    def add_cursors(self, a: float, b: float) -> tuple[pg.InfiniteLine, pg.InfiniteLine]:
        def line(pos, text, color):
            l = pg.InfiniteLine(pos=pos, angle=90, movable=True, pen=pg.mkPen(color, width=1),
                                hoverPen=pg.mkPen(color, width=2), label=text,
                                labelOpts={"position": 0.04, "color": color, "fill": pg.mkBrush(255, 255, 255, 220)})
            l.setZValue(30)
            self.plot.addItem(l, ignoreBounds=True)
            return l

        self.cursor_a = line(a, "A", "#37474f")
        self.cursor_b = line(b, "B", "#6a1b9a")
        return self.cursor_a, self.cursor_b
