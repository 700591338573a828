"""The "time per step" chart: one horizontal bar per step (median dwell across runs), the
min–max spread as whiskers and every run as a dot, the slowest step highlighted — where
players stall is the longest bar."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QFont, QPalette, QPen

from inspector_app.core.transcript.model import StepStat
from inspector_app.ui.transcript.timeline import format_duration


class StepDurationChart(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("transcriptStepDurations")
        pi = self.getPlotItem()
        pi.setMenuEnabled(False)
        pi.hideButtons()
        pi.showGrid(x=True, y=False, alpha=0.25)
        pi.setLabel("bottom", "dwell time (s)")
        self.vb = pi.getViewBox()
        self.vb.invertY(True)
        self.vb.setMouseEnabled(x=True, y=False)
        self.stats: list[StepStat] = []
        self._items: list = []
        self._apply_palette()

    def _apply_palette(self) -> None:
        """Background, axes, whiskers, dots and labels from the application palette."""
        pal = self.palette()
        self._text = pal.color(QPalette.ColorRole.Text)
        self._base = pal.color(QPalette.ColorRole.Base)
        self.setBackground(self._base)
        for name in ("left", "bottom"):
            ax = self.getPlotItem().getAxis(name)
            ax.setTextPen(QPen(self._text))
            ax.setPen(QPen(pal.color(QPalette.ColorRole.Mid)))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and hasattr(self, "_items"):
            self._apply_palette()
            self.set_stats(self.stats)
        super().changeEvent(event)

    def set_stats(self, stats: list[StepStat]) -> None:
        for item in self._items:
            self.removeItem(item)
        self._items = []
        self.stats = list(stats)
        pi = self.getPlotItem()
        runs = max((s.runs for s in stats), default=0)
        # short enough for the side panel at 1280×800 (the longer wording was cut off there)
        title = ("Time per step — no completed steps" if not stats else "Time per step — one run" if runs == 1
                 else f"Time per step — median, min–max of {runs} runs")
        pi.setTitle(title, color=self._text, size="9pt")
        pi.getAxis("left").setTicks([[(i, s.title[:22]) for i, s in enumerate(stats)], []])
        if not stats:
            return
        y = np.arange(len(stats), dtype=float)
        med = np.array([s.median_ms for s in stats]) / 1000.0
        lo = np.array([s.min_ms for s in stats]) / 1000.0
        hi = np.array([s.max_ms for s in stats]) / 1000.0
        slowest = int(np.argmax(med))
        brushes = [QColor("#f59e0b") if i == slowest else QColor("#60a5fa") for i in range(len(stats))]
        bars = pg.BarGraphItem(x0=np.zeros(len(stats)), width=med, y0=y - 0.31, height=np.full(len(stats), 0.62),
                               brushes=[pg.mkBrush(c) for c in brushes], pens=[pg.mkPen(self._text, width=1)] * len(stats))
        self._add(bars)
        if runs > 1:
            spread = [i for i, s in enumerate(stats) if s.runs > 1]
            wx, wy = [], []
            for i in spread:       # whisker lo–hi with end caps, as line pairs
                wx += [lo[i], hi[i], lo[i], lo[i], hi[i], hi[i]]
                wy += [i, i, i - 0.2, i + 0.2, i - 0.2, i + 0.2]
            self._add(pg.PlotDataItem(np.array(wx), np.array(wy), connect="pairs", pen=pg.mkPen(self._text, width=1)))
            xs = np.concatenate([np.asarray(stats[i].durations_ms) / 1000.0 for i in spread])
            ys = np.concatenate([np.full(stats[i].runs, i, dtype=float) for i in spread])
            self._add(pg.ScatterPlotItem(x=xs, y=ys, size=5, pen=QPen(self._text, 1), brush=self._base))
        font = QFont()
        font.setPointSizeF(7.5)
        for i, s in enumerate(stats):
            label = pg.TextItem(f" {format_duration(s.median_ms)}" + (f"  (n={s.runs})" if runs > 1 else ""),
                                color=self._text, anchor=(0, 0.5))
            label.setFont(font)
            label.setPos(max(hi[i], med[i]), i)
            self._add(label, ignore=True)
        self.vb.setXRange(0, float(hi.max()) * 1.35 or 1.0, padding=0)    # room for the last value label
        self.vb.setYRange(-0.7, len(stats) - 0.3, padding=0)

    def _add(self, item, ignore: bool = False) -> None:
        self.addItem(item, ignoreBounds=ignore)
        self._items.append(item)

    def bar_count(self) -> int:
        return len(self.stats)
