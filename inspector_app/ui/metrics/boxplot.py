"""A box-and-whisker item for one run's distribution, drawn beside the history chart.

With raw samples: box Q1–Q3, median line, whiskers to min/max, mean as a dot. Without samples
(only summary statistics in the file) a *summary box*: median–p95 box, whiskers min/max, mean
dot, drawn pale with a dashed outline so nobody mistakes it for quartiles.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen


@dataclass
class BoxStats:
    x: float
    low: float        # whisker bottom (min)
    q1: float         # box bottom (Q1, or median for a summary box)
    median: float
    q3: float         # box top (Q3, or p95 for a summary box)
    high: float       # whisker top (max)
    mean: float
    color: QColor
    from_samples: bool
    count: int = 0


class BoxPlotItem(pg.GraphicsObject):
    """Boxes at x = 0, 1, 2 … (one per visible series)."""

    def __init__(self, boxes: list[BoxStats], width: float = 0.55, log_y: bool = False):
        super().__init__()
        self.boxes = boxes
        self.width = width
        self.log_y = log_y

    def _y(self, v: float) -> float:
        if not self.log_y:
            return v
        return math.log10(v) if v > 0 else float("nan")

    def paint(self, p: QPainter, *args) -> None:
        """Drawn directly (few boxes): a QPicture replay mangles cosmetic dashed pens."""
        half = self.width / 2
        for b in self.boxes:
            if not all(math.isfinite(self._y(v)) for v in (b.low, b.q1, b.median, b.q3, b.high)):
                continue
            pen = QPen(b.color)
            pen.setCosmetic(True)
            pen.setWidth(1)
            p.setPen(pen)
            fill = QColor(b.color)
            fill.setAlpha(80 if b.from_samples else 30)
            if not b.from_samples:  # a summary box is outlined dashed (patterns distort under view scaling)
                pen.setStyle(Qt.PenStyle.DashLine)
                p.setPen(pen)
            p.setBrush(QBrush(fill))
            y1, y3 = self._y(b.q1), self._y(b.q3)
            p.drawRect(QRectF(b.x - half, min(y1, y3), self.width, abs(y3 - y1)))
            p.drawLine(QPointF(b.x - half, self._y(b.median)), QPointF(b.x + half, self._y(b.median)))
            p.drawLine(QPointF(b.x, self._y(b.low)), QPointF(b.x, y1))
            p.drawLine(QPointF(b.x, y3), QPointF(b.x, self._y(b.high)))
            for y in (self._y(b.low), self._y(b.high)):
                p.drawLine(QPointF(b.x - half / 2, y), QPointF(b.x + half / 2, y))

    def boundingRect(self):
        ys = [self._y(v) for b in self.boxes for v in (b.low, b.high)]
        ys = [y for y in ys if math.isfinite(y)]
        if not ys:
            return QRectF()
        x0 = min(b.x for b in self.boxes) - self.width
        x1 = max(b.x for b in self.boxes) + self.width
        return QRectF(x0, min(ys), x1 - x0, (max(ys) - min(ys)) or 1e-9)
