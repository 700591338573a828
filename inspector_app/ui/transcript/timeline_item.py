"""One graphics item that paints every marker and dwell bar of the timeline.

A ScatterPlotItem of 100,000 points costs ~0.5 s to build and ~70 ms per pan here, because
it keeps one record per point and paints all of them. This item keeps only numpy arrays
(x per lane, sorted; span starts/ends per status) and, at paint time, draws what is visible
decimated to the pixel grid: at most one marker per 2 device pixels per lane, and dwell bars
rasterised into covered pixel runs. Painting therefore costs O(visible + width), whatever the
number of entries, and goes through Qt's array calls (``drawPixmapFragments`` / ``drawRects``).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import internals
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap, QPolygonF

MARKER_PX = 11          # marker pixmap size
DECIMATE_PX = 2         # at most one marker per this many pixels per lane
BAR_HEIGHT = 0.56       # dwell bar height in lane units


def marker_pixmap(symbol: str, fill: str, outline: str, size: int = MARKER_PX) -> QPixmap:
    """A small antialiased symbol: o (circle), d (diamond), t (triangle), s (square)."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor(outline), 1))
    p.setBrush(QBrush(QColor(fill)))
    m, s = 1.0, size - 2.0
    if symbol == "d":
        c = size / 2
        p.drawPolygon(QPolygonF([QPointF(c, m), QPointF(size - m, c), QPointF(c, size - m), QPointF(m, c)]))
    elif symbol == "t":
        p.drawPolygon(QPolygonF([QPointF(size / 2, m), QPointF(size - m, size - m), QPointF(m, size - m)]))
    elif symbol == "s":
        p.drawRect(QRectF(m + 0.5, m + 0.5, s - 1, s - 1))
    else:
        p.drawEllipse(QRectF(m, m, s, s))
    p.end()
    return pm


class TimelineItem(pg.GraphicsObject):
    """Markers per lane row and dwell bars in row 0, painted decimated to the pixel grid."""

    def __init__(self):
        super().__init__()
        self._lanes: list[tuple[float, np.ndarray, np.ndarray, QPixmap]] = []  # (row, xs, idx, pixmap)
        self._bars: list[tuple[np.ndarray, np.ndarray, QBrush, QPen]] = []      # (x0s, x1s, brush, pen)
        self._bounds = (0.0, 1.0)
        self._rows = 1
        self._highlight: tuple[float, float] | None = None
        self._frag = internals.PrimitiveArray(pg.QtGui.QPainter.PixmapFragment, 10)
        self._rects = internals.PrimitiveArray(QRectF, 4)
        self._br: QRectF | None = None
        self._ring = QColor("#111827")
        self.painted_markers = 0     # how many markers the last paint drew (tests, benchmark)
        self.painted_bars = 0

    # -- data -----------------------------------------------------------------------------
    def set_content(self, lanes, bars, rows: int) -> None:
        """``lanes``: [(row, xs sorted, entry indices, pixmap)]; ``bars``: [(x0s, x1s, brush, pen)]."""
        self.prepareGeometryChange()
        self._lanes = [l for l in lanes if len(l[1])]
        self._bars = [b for b in bars if len(b[0])]
        self._rows = max(1, rows)
        lo, hi = np.inf, -np.inf
        for _, xs, _, _ in self._lanes:
            lo, hi = min(lo, float(xs[0])), max(hi, float(xs[-1]))
        for x0, x1, _, _ in self._bars:
            lo, hi = min(lo, float(x0.min())), max(hi, float(x1.max()))
        self._bounds = (lo, hi) if np.isfinite(lo) else (0.0, 1.0)
        self._br = None
        self.update()

    def set_highlight(self, x: float | None, row: float | None = None) -> None:
        self._highlight = None if x is None or row is None else (x, row)
        self.update()

    def set_ring_colour(self, colour: QColor) -> None:
        """The selection ring's colour (the palette's text colour: visible on light and dark)."""
        self._ring = QColor(colour)
        self.update()

    def lane_arrays(self):
        return self._lanes

    # -- pyqtgraph geometry ---------------------------------------------------------------------
    def dataBounds(self, ax, frac=1.0, orthoRange=None):
        if ax == 0:
            return self._bounds
        return (-0.5, self._rows - 0.5)

    def pixelPadding(self):
        return MARKER_PX

    def viewTransformChanged(self):
        self.prepareGeometryChange()
        self._br = None

    def boundingRect(self):
        if self._br is None:
            px = self.pixelWidth() or 0.0
            lo, hi = self._bounds
            pad = px * MARKER_PX * 2
            self._br = QRectF(lo - pad, -1.0, (hi - lo) + 2 * pad, self._rows + 1.0)
        return self._br

    # -- painting ---------------------------------------------------------------------------
    def paint(self, p: QPainter, *args):
        tr = p.transform()              # item -> device, as the view set it up for this paint
        sx, tx, sy, ty = tr.m11(), tr.m31(), tr.m22(), tr.m32()
        dev = p.device()
        if sx == 0 or dev is None:
            return
        # visible x = the device's width mapped back (GraphicsItem.viewRect() can be stale
        # right after a range change; the painter's transform never is). The ViewBox clips.
        width = dev.width() / max(dev.devicePixelRatioF(), 1e-9)
        xmin, xmax = sorted(((0.0 - tx) / sx, (width - tx) / sx))
        p.save()
        p.resetTransform()
        self.painted_bars = self._paint_bars(p, xmin, xmax, sx, tx, sy, ty)
        self.painted_markers = self._paint_markers(p, xmin, xmax, sx, tx, sy, ty)
        if self._highlight is not None and xmin <= self._highlight[0] <= xmax:
            hx, hrow = self._highlight
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(QPen(self._ring, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QPointF(hx * sx + tx, hrow * sy + ty), MARKER_PX * 0.95, MARKER_PX * 0.95)
        p.restore()

    def _paint_bars(self, p, xmin, xmax, sx, tx, sy, ty) -> int:
        drawn = 0
        y0 = (0 - BAR_HEIGHT / 2) * sy + ty
        h = BAR_HEIGHT * sy
        if h < 0:
            y0, h = y0 + h, -h
        for x0, x1, brush, pen in self._bars:
            vis = (x1 >= xmin) & (x0 <= xmax)
            if not vis.any():
                continue
            a = np.clip(x0[vis], xmin, xmax) * sx + tx
            b = np.clip(x1[vis], xmin, xmax) * sx + tx
            if sx < 0:
                a, b = b, a
            if len(a) > 64:                       # rasterise: merge bars into covered pixel runs
                a, b = _pixel_runs(a, b)
            n = len(a)
            self._rects.resize(n)
            arr = self._rects.ndarray()
            arr[:, 0] = a
            arr[:, 1] = y0
            arr[:, 2] = np.maximum(b - a, 1.5)
            arr[:, 3] = h
            p.setPen(pen)
            p.setBrush(brush)
            p.drawRects(*self._rects.drawargs())
            drawn += n
        return drawn

    def _paint_markers(self, p, xmin, xmax, sx, tx, sy, ty) -> int:
        drawn = 0
        for row, xs, _, pixmap in self._lanes:
            lo, hi = np.searchsorted(xs, [xmin, xmax], side="left")
            hi = np.searchsorted(xs, xmax, side="right")
            if hi <= lo:
                continue
            px = xs[lo:hi] * sx + tx
            if hi - lo > 32:
                cell = np.floor(px / DECIMATE_PX)
                keep = np.empty(len(cell), dtype=bool)
                keep[0] = True
                np.not_equal(cell[1:], cell[:-1], out=keep[1:])
                px = px[keep]
            n = len(px)
            self._frag.resize(n)
            arr = self._frag.ndarray()
            arr[:, 0] = px
            arr[:, 1] = row * sy + ty
            arr[:, 2:4] = 0
            arr[:, 4:6] = MARKER_PX
            arr[:, 6:8] = 1.0
            arr[:, 8] = 0.0
            arr[:, 9] = 1.0
            p.drawPixmapFragments(*self._frag.drawargs(), pixmap)
            drawn += n
        return drawn


def _pixel_runs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge [a, b) device-pixel intervals into the runs of covered pixel columns."""
    start = np.floor(a).astype(np.int64)
    end = np.maximum(np.ceil(b).astype(np.int64), start + 1)
    base = int(start.min())
    width = int(end.max()) - base + 1
    cover = np.zeros(width + 1, dtype=np.int32)
    np.add.at(cover, start - base, 1)
    np.add.at(cover, end - base, -1)
    on = np.cumsum(cover[:-1]) > 0
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.view(np.int8), [0]))))
    return (edges[0::2] + base).astype(float), (edges[1::2] + base).astype(float)
