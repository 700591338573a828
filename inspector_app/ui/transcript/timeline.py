"""The timeline plot (objectName ``transcriptTimeline``): lanes per event kind, dwell bars,
step-title labels, absolute/relative time axis, hover tooltip, click-to-select, range region.

X is always seconds since the transcript's first timed entry; the absolute axis only changes
how ticks are placed and labelled (UTC clock time), so toggling never re-plots anything.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPalette, QPen
from PySide6.QtWidgets import QToolTip

from inspector_app.core.common.jsfmt import iso_from_ms
from inspector_app.core.transcript.model import LANE_ORDER, EventKind, StepSpan, Transcript
from inspector_app.ui.theme import is_dark
from inspector_app.ui.transcript.timeline_item import TimelineItem, marker_pixmap

#: kind -> (symbol, fill, outline)
LANE_STYLE: dict[EventKind, tuple[str, str, str]] = {
    EventKind.STARTED: ("s", "#3b82f6", "#1e3a8a"),
    EventKind.STEP_STARTED: ("o", "#38bdf8", "#075985"),
    EventKind.STEP_COMPLETED: ("o", "#22c55e", "#14532d"),
    EventKind.SKIPPED: ("t", "#f97316", "#7c2d12"),
    EventKind.COMPLETED: ("s", "#8b5cf6", "#3b0764"),
    EventKind.SNAPSHOT: ("d", "#ec4899", "#831843"),
    EventKind.UNKNOWN: ("o", "#9ca3af", "#374151"),
}
#: kind -> (text colour on a light base, on a dark base): the table's kind column (WCAG AA on both)
LANE_TEXT: dict[EventKind, tuple[str, str]] = {
    EventKind.STARTED: ("#1e3a8a", "#93c5fd"), EventKind.STEP_STARTED: ("#075985", "#7dd3fc"),
    EventKind.STEP_COMPLETED: ("#14532d", "#86efac"), EventKind.SKIPPED: ("#7c2d12", "#fdba74"),
    EventKind.COMPLETED: ("#3b0764", "#c4b5fd"), EventKind.SNAPSHOT: ("#831843", "#f9a8d4"),
    EventKind.UNKNOWN: ("#374151", "#d1d5db"),
}
#: span status -> ((fill, outline) on light, (fill, outline) on dark); span titles are drawn
#: inside the bars in the palette's text colour, readable on both fills
BAR_STYLE = {"completed": (("#99e0d0", "#0f766e"), ("#115e59", "#5eead4")),
             "skipped": (("#fed7aa", "#c2410c"), ("#9a3412", "#fdba74")),
             "open": (("#e5e7eb", "#6b7280"), ("#3f4248", "#9ca3af"))}
#: step titles next to markers: where a step starts (its dwell bar repeats the title), skips,
#: snapshots and unknown events — not at completions, which doubled every title
LABELLED_KINDS = (EventKind.STEP_STARTED, EventKind.SKIPPED, EventKind.SNAPSHOT, EventKind.UNKNOWN)
MIN_LABEL_CHARS = 10     # a title cut shorter than this ("Coll…") is left to the tooltip
LABEL_LIMIT = 160        # label markers only when at most this many are visible
SPAN_LABEL_LIMIT = 80
DWELL_ROW_LABEL = "Step dwell"


def format_duration(ms: float) -> str:
    """``850 ms``, ``12.5 s``, ``2:28``, ``1:02:03`` — compact dwell times."""
    if not math.isfinite(ms):
        return "?"
    if abs(ms) < 1000:
        return f"{ms:.0f} ms"
    s = ms / 1000
    if abs(s) < 60:
        return f"{s:.1f} s" if abs(s) < 10 else f"{s:.0f} s"
    m, sec = divmod(int(round(s)), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


#: Clock-friendly major spacings up to a day (seconds); beyond a day spacings are whole days in
#: a 1-2-5 progression (1 d, 2 d, 5 d, 10 d, ... 1e8 d), below a second 1-2-5 fractions.
CLOCK_STEPS_S = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)
DAY_S = 86400.0
YEAR_S = 365.2425 * DAY_S
PX_PER_MAJOR_TICK = 90
MAX_TICKS_PER_LEVEL = 400     # hard bound, whatever the span (a span of 1e13 s included)


def _nice_125(x: float) -> float:
    """The smallest of 1, 2, 5 × 10**k that is ≥ x (x > 0)."""
    k = math.floor(math.log10(x))
    for m in (1.0, 2.0, 5.0, 10.0):
        v = m * 10.0 ** k
        if v >= x * (1 - 1e-12):
            return v
    return 10.0 ** (k + 1)


def time_tick_spacing(span_s: float, size_px: float) -> list[float]:
    """[major, minor] tick spacings (seconds) for a view ``span_s`` wide on ``size_px`` pixels:
    about one major tick per 90 px for any span from milliseconds to 1e13 s, so the number of
    ticks never depends on the data (a day cap once asked pyqtgraph for millions of them)."""
    if not (math.isfinite(span_s) and span_s > 0 and size_px > 0):
        return []
    target = span_s / max(2.0, size_px / PX_PER_MAJOR_TICK)
    if target < 1:
        major = _nice_125(target)
        lead = round(major / 10.0 ** math.floor(math.log10(major)))
        minor = major / (4 if lead == 2 else 5)
    elif target <= DAY_S:
        major = float(next(s for s in CLOCK_STEPS_S if s >= target))
        minor = float(next((s for s in reversed(CLOCK_STEPS_S) if s <= major / 4), major / 5))
    else:
        major = DAY_S * _nice_125(target / DAY_S)
        minor = major / 5 if major >= 5 * DAY_S else DAY_S if major > DAY_S else DAY_S / 4
    return [major, minor]


def _iso(seconds: float) -> str | None:
    return iso_from_ms(seconds * 1000.0) if math.isfinite(seconds) else None


def centred_range(x: float, width: float, bounds: tuple[float, float]) -> tuple[float, float]:
    """A ``width`` wide range centred on ``x`` but kept inside ``bounds`` (the data's range)
    when it fits there — no centring into empty time before the first entry."""
    lo_b, hi_b = bounds
    if width >= hi_b - lo_b:
        return lo_b, hi_b
    lo = min(max(x - width / 2, lo_b), hi_b - width)
    return lo, lo + width


class TimeAxis(pg.AxisItem):
    """Bottom axis over "seconds since origin": relative (+m:ss, +3 d, +12 y) or absolute (UTC).

    Ticks are generated here, not by pyqtgraph's default (whose tick de-duplication is
    quadratic in the number of ticks): at most :data:`MAX_TICKS_PER_LEVEL` per level."""

    def __init__(self):
        super().__init__("bottom")
        self.origin_s = 0.0
        self.mode = "relative"
        self.enableAutoSIPrefix(False)
        self.last_tick_count = 0     # ticks generated by the last tickValues call (tests)

    def set_mode(self, mode: str, origin_s: float | None = None) -> None:
        self.mode = mode
        if origin_s is not None and math.isfinite(origin_s):
            self.origin_s = origin_s
        if mode == "absolute":
            day = (_iso(self.origin_s) or "").split("T")[0]
            self.setLabel(f"time (UTC, {day})" if day else "time (UTC)")
        else:
            self.setLabel("time since first entry")
        self.picture = None
        self.update()

    def tickSpacing(self, minVal, maxVal, size):
        return [(s, 0) for s in time_tick_spacing(maxVal - minVal, size)]

    def tickValues(self, minVal, maxVal, size):
        minVal, maxVal = sorted((minVal, maxVal))
        self.last_tick_count = 0
        if not (math.isfinite(minVal) and math.isfinite(maxVal)) or maxVal <= minVal:
            return []
        o = self.origin_s if self.mode == "absolute" else 0.0
        lo, hi = minVal + o, maxVal + o
        levels = []
        major = None
        for spacing in time_tick_spacing(hi - lo, size):
            first = float(math.ceil(lo / spacing))
            count = int(math.floor(hi / spacing) - first) + 1
            if count <= 0 or count > MAX_TICKS_PER_LEVEL:
                continue
            values = (first + np.arange(count)) * spacing
            if major is not None:           # minor ticks that coincide with a major one
                r = values / major
                values = values[np.abs(r - np.round(r)) > 1e-6]
            else:
                major = spacing
            self.last_tick_count += len(values)
            levels.append((spacing, (values - o).tolist()))
        return levels

    def tickStrings(self, values, scale, spacing):
        if self.mode == "absolute":
            return [self._absolute_label(v + self.origin_s, spacing) for v in values]
        return [self._relative_label(v, spacing) for v in values]

    @staticmethod
    def _absolute_label(seconds: float, spacing: float) -> str:
        iso = _iso(seconds)      # JavaScript's toISOString: every year a time value can have
        if iso is None:
            return ""
        date, _, clock = iso.partition("T")
        if spacing >= DAY_S:
            return date
        if spacing < 1:
            return clock.rstrip("Z")
        return clock[:8]

    @staticmethod
    def _relative_label(v: float, spacing: float) -> str:
        sign = "-" if v < 0 else "+"
        s = abs(v)
        if spacing < 1:
            return f"{sign}{s:.{max(0, -int(math.floor(math.log10(spacing))))}f}s"
        if spacing >= YEAR_S / 2:
            return f"{sign}{s / YEAR_S:.4g} y"
        if spacing >= DAY_S:
            return f"{sign}{s / DAY_S:.6g} d"
        if s < 60 and spacing < 60:
            return f"{sign}{s:.0f}s"
        m, sec = divmod(int(round(s)), 60)
        h, m = divmod(m, 60)
        if h >= 24:
            d, h = divmod(h, 24)
            return f"{sign}{d}d {h:02d}:{m:02d}"
        return f"{sign}{h}:{m:02d}:{sec:02d}" if h else f"{sign}{m}:{sec:02d}"


class TranscriptTimeline(pg.PlotWidget):
    """The timeline plot. Signals carry entry indices into the transcript."""

    sigEntryClicked = Signal(int)
    sigEntryHovered = Signal(int)       # -1 when the pointer leaves every entry
    sigRegionChanged = Signal(object)   # (start_ms, end_ms) or None when the region is off

    def __init__(self, parent=None):
        self.time_axis = TimeAxis()
        super().__init__(parent, axisItems={"bottom": self.time_axis})
        self.setObjectName("transcriptTimeline")
        self.transcript: Transcript | None = None
        self._step_filter: str | None = None
        self.indices = np.zeros(0, dtype=np.int64)
        self.rows: list[EventKind | None] = []       # row -> kind (row 0: dwell bars)
        self.hovered: int | None = None
        self.selected: int | None = None
        self._spans: list[StepSpan] = []
        self._span_x: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))
        self._origin_ms = 0.0
        pi = self.getPlotItem()
        pi.setMenuEnabled(False)
        pi.hideButtons()
        pi.showGrid(x=True, y=False, alpha=0.18)
        self.vb = pi.getViewBox()
        self.vb.invertY(True)
        self.vb.setMouseEnabled(x=True, y=False)
        self.vb.setLimits(minXRange=0.001)
        self.item = TimelineItem()
        self.addItem(self.item)
        self._pixmaps = {k: marker_pixmap(*LANE_STYLE[k]) for k in LANE_ORDER}
        self._font = QFont()
        self._font.setPointSizeF(8.0)
        self._metrics = QFontMetrics(self._font)
        self._labels: list[pg.TextItem] = []
        self._span_labels: list[pg.TextItem] = []
        self.visible_labels = 0
        self._message = pg.TextItem("", anchor=(0.5, 0.5))
        self._message.setFont(QFont(self._font.family(), 11))
        self.addItem(self._message, ignoreBounds=True)
        self.region = pg.LinearRegionItem(brush=QBrush(QColor(59, 130, 246, 40)),
                                          pen=QPen(QColor("#2563eb"), 1))
        self.region.setZValue(-5)
        self.region.setVisible(False)
        self.addItem(self.region, ignoreBounds=True)
        self.region.sigRegionChangeFinished.connect(self._emit_region)
        self._label_timer = QTimer(self)
        self._label_timer.setSingleShot(True)
        self._label_timer.setInterval(30)
        self._label_timer.timeout.connect(self.update_labels)
        self.vb.sigXRangeChanged.connect(lambda *_: self._label_timer.start())
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.time_axis.set_mode("relative")
        self._apply_palette()
        self._set_rows([])

    # -- colours ----------------------------------------------------------------------------
    def _apply_palette(self) -> None:
        """Background, axes, labels and the selection ring from the application palette."""
        pal = self.palette()
        self._dark = is_dark(pal)
        text, mid = pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Mid)
        self.setBackground(pal.color(QPalette.ColorRole.Base))
        for name in ("left", "bottom"):
            ax = self.getPlotItem().getAxis(name)
            ax.setTextPen(QPen(text))
            ax.setPen(QPen(mid))
        self._text_colour = text
        for item in self._labels + self._span_labels:
            item.setColor(text)
        self._message.setColor(pal.color(QPalette.ColorRole.PlaceholderText))
        self.item.set_ring_colour(text)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and hasattr(self, "_message"):       # not during construction
            self._apply_palette()
            if self.transcript is not None:       # bars take their fills from the palette
                xr, selected = self.vb.viewRange()[0], self.selected
                self.set_data(self.transcript, self.indices, step_filter=self._step_filter, fit=False)
                self.vb.setXRange(*xr, padding=0)
                if selected is not None:
                    self.selected = selected
                    self.item.set_highlight(self.x_of(selected), self.row_of(self.transcript.entries[selected].kind))
        super().changeEvent(event)

    # -- content ----------------------------------------------------------------------------
    def _set_rows(self, kinds: list[EventKind]) -> None:
        self.rows = [None, *kinds]
        ticks = [(0, DWELL_ROW_LABEL)] + [(i + 1, k.label) for i, k in enumerate(kinds)]
        left = self.getPlotItem().getAxis("left")
        left.setTicks([ticks, []])
        metrics = QFontMetrics(left.font() if hasattr(left, "font") else self.font())
        left.setWidth(max(metrics.horizontalAdvance(label) for _, label in ticks) + 18)   # whole lane names
        self.vb.setYRange(-0.6, len(self.rows) - 0.4, padding=0)

    def row_of(self, kind: EventKind) -> int | None:
        try:
            return self.rows.index(kind)
        except ValueError:
            return None

    def set_data(self, transcript: Transcript | None, indices: np.ndarray | None = None,
                 step_filter: str | None = None, fit: bool = True) -> None:
        """Show ``indices`` of ``transcript`` (all entries when None)."""
        self.transcript = transcript
        if transcript is None:
            self.indices = np.zeros(0, dtype=np.int64)
            self._spans = []
        else:
            self.indices = np.arange(len(transcript)) if indices is None else np.asarray(indices, dtype=np.int64)
            self._spans = [s for s in transcript.spans if not step_filter or s.step_id == step_filter]
        self._step_filter = step_filter
        self._origin_ms = transcript.origin if transcript is not None else 0.0
        self.time_axis.set_mode(self.time_axis.mode, self._origin_ms / 1000.0)
        # one row per kind the transcript has at all (stable while filtering; no empty lanes)
        present = set(np.unique(transcript.lanes).tolist()) if transcript is not None else set()
        kinds = [k for k in LANE_ORDER if k.lane in present]
        self._set_rows(kinds)
        lanes = []
        if len(self.indices):
            times = transcript.times[self.indices]
            lane_of = transcript.lanes[self.indices]
            timed = np.isfinite(times)
            for row, kind in enumerate(kinds, start=1):
                m = timed & (lane_of == kind.lane)
                xs = (times[m] - self._origin_ms) / 1000.0
                lanes.append((float(row), xs, self.indices[m], self._pixmaps[kind]))
        bars = []
        if self._spans:
            x0 = (np.fromiter((s.start for s in self._spans), float, len(self._spans)) - self._origin_ms) / 1000.0
            x1 = (np.fromiter((s.end for s in self._spans), float, len(self._spans)) - self._origin_ms) / 1000.0
            self._span_x = (x0, x1)
            status = np.array([s.status for s in self._spans])
            for name, styles in BAR_STYLE.items():
                fill, outline = styles[1 if self._dark else 0]
                m = status == name
                if m.any():
                    bars.append((x0[m], x1[m], QBrush(QColor(fill)), QPen(QColor(outline), 1)))
        else:
            self._span_x = (np.zeros(0), np.zeros(0))
        self.item.set_content(lanes, bars, len(self.rows))
        self._limit_view()
        self.selected = None
        self.item.set_highlight(None)
        self._update_message()
        if fit:
            self.fit_all()
        self.update_labels()

    def marker_count(self) -> int:
        """Timed entries drawn as markers (before pixel decimation)."""
        return int(sum(len(l[1]) for l in self.item.lane_arrays()))

    def lane_counts(self) -> dict[EventKind, int]:
        out = {k: 0 for k in self.rows if k is not None}
        for row, xs, _, _ in self.item.lane_arrays():
            out[self.rows[int(row)]] = len(xs)
        return out

    def span_count(self) -> int:
        return len(self._spans)

    def _update_message(self) -> None:
        t = self.transcript
        if t is None or len(t) == 0:
            text = "No transcript entries"
        elif not np.isfinite(t.times).any():
            text = "No entry has a usable timestamp — see the table below"
        elif self.marker_count() == 0 and not self._spans:
            text = "No entries match the filter"
        else:
            text = ""
        self._message.setText(text)
        self._message.setVisible(bool(text))
        if text:
            xr = self.vb.viewRange()[0]
            self._message.setPos((xr[0] + xr[1]) / 2, len(self.rows) / 2 - 0.5)

    # -- view -------------------------------------------------------------------------------
    def data_range(self) -> tuple[float, float]:
        """The x range fit_all shows: every timed entry and span, at least a minute wide, padded
        (more on the right, for the last labels)."""
        lo, hi = self.item.dataBounds(0)
        if self.marker_count() == 0 and not self._spans:
            lo, hi = -30.0, 30.0
        if hi - lo < 1.0:            # one entry, or all at one instant: show a minute around it
            mid = (lo + hi) / 2
            lo, hi = mid - 30.0, mid + 30.0
        pad = (hi - lo) * 0.03
        return lo - pad, hi + pad * 3

    def _limit_view(self) -> None:
        """Pan and zoom stay around the data: at most a few data widths away, never closer
        than float64 can resolve at the largest |x| (a time 270,000 years out is 8.6e12 s)."""
        lo, hi = self.data_range()
        width = hi - lo
        extent = max(abs(lo), abs(hi))
        self.vb.setLimits(xMin=lo - 2 * width, xMax=hi + 2 * width, maxXRange=5 * width,
                          minXRange=max(0.001, extent * 1e-11))

    def fit_all(self) -> None:
        lo, hi = self.data_range()
        self.vb.setXRange(lo, hi, padding=0)
        self.vb.setYRange(-0.6, len(self.rows) - 0.4, padding=0)
        self._update_message()

    def x_of(self, index: int) -> float | None:
        if self.transcript is None:
            return None
        t = self.transcript.times[index]
        return None if not np.isfinite(t) else (float(t) - self._origin_ms) / 1000.0

    def center_on(self, index: int) -> bool:
        """Pan (keeping the zoom) so entry ``index`` is in the middle, and ring it."""
        x = self.x_of(index)
        self.selected = index
        if x is None:
            self.item.set_highlight(None)
            return False
        row = self.row_of(self.transcript.entries[index].kind)
        lo, hi = self.vb.viewRange()[0]
        self.vb.setXRange(*centred_range(x, hi - lo, self.data_range()), padding=0)
        self.item.set_highlight(x, row)
        return True

    def set_time_mode(self, mode: str) -> None:
        """Relative or absolute (UTC) axis; the view refits so the new labels start at the data."""
        self.time_axis.set_mode(mode)
        self.fit_all()

    def visible_range_ms(self) -> tuple[float, float]:
        lo, hi = self.vb.viewRange()[0]
        return lo * 1000.0 + self._origin_ms, hi * 1000.0 + self._origin_ms

    def set_visible_range_ms(self, start_ms: float, end_ms: float) -> None:
        """Show this time range (absolute ms, as :meth:`visible_range_ms` returns)."""
        self.vb.setXRange((start_ms - self._origin_ms) / 1000.0, (end_ms - self._origin_ms) / 1000.0, padding=0)

    def set_region_enabled(self, on: bool) -> None:
        if on:
            lo, hi = self.vb.viewRange()[0]
            w = hi - lo
            self.region.setRegion((lo + w * 0.25, hi - w * 0.25))
        self.region.setVisible(on)
        self._emit_region()

    def region_ms(self) -> tuple[float, float] | None:
        if not self.region.isVisible():
            return None
        lo, hi = self.region.getRegion()
        return lo * 1000.0 + self._origin_ms, hi * 1000.0 + self._origin_ms

    def set_region_ms(self, start_ms: float, end_ms: float) -> None:
        self.region.setVisible(True)
        self.region.setRegion(((start_ms - self._origin_ms) / 1000.0, (end_ms - self._origin_ms) / 1000.0))
        self._emit_region()

    def _emit_region(self, *_):
        self.sigRegionChanged.emit(self.region_ms())

    # -- labels -----------------------------------------------------------------------------
    def _label(self, pool: list[pg.TextItem], i: int, anchor) -> pg.TextItem:
        while len(pool) <= i:
            item = pg.TextItem("", color=self._text_colour, anchor=anchor)
            item.setFont(self._font)
            item.setZValue(5)
            self.addItem(item, ignoreBounds=True)
            pool.append(item)
        return pool[i]

    def _fit(self, text: str, room: float) -> str:
        """``text`` elided to ``room`` pixels, or "" when fewer than :data:`MIN_LABEL_CHARS`
        letters would remain (a stub like "Coll…" says nothing; the tooltip has the title)."""
        if room == math.inf or self._metrics.horizontalAdvance(text) <= room:
            return text
        elided = self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(max(room, 0)))
        return elided if len(elided.strip()) - 1 >= min(MIN_LABEL_CHARS, len(text.strip())) else ""

    def update_labels(self) -> None:
        """Step titles next to markers and inside dwell bars — only while few are visible,
        skipping any label that would overlap the previous one in its lane."""
        used = used_spans = 0
        t = self.transcript
        lo, hi = self.vb.viewRange()[0]
        px_per_x = self.vb.width() / (hi - lo) if hi > lo and self.vb.width() > 0 else 0.0
        if t is not None and px_per_x > 0:
            lanes = self.item.lane_arrays()
            visible = [(row, xs[a:b], idx[a:b]) for row, xs, idx, _ in lanes
                       for a, b in [np.searchsorted(xs, [lo, hi])]]
            if sum(len(v[1]) for v in visible) <= LABEL_LIMIT:
                for row, xs, idx in visible:
                    kind = self.rows[int(row)]
                    if kind not in LABELLED_KINDS:
                        continue
                    next_free = -math.inf
                    pxs = (xs - lo) * px_per_x
                    for k, (px, i) in enumerate(zip(pxs, idx)):
                        e = t.entries[int(i)]
                        text = e.display_title if kind is not EventKind.SNAPSHOT else e.event.replace("_", " ")
                        if not text or px < next_free:
                            continue
                        # room up to the next marker of the lane that is not at the same spot
                        nxt = pxs[k + 1:][pxs[k + 1:] > px + 4]
                        room = (nxt[0] - px if len(nxt) else math.inf) - 10
                        text = self._fit("  " + text, room)
                        if not text:
                            continue
                        item = self._label(self._labels, used, (0.0, 0.5))
                        item.setText(text)
                        item.setPos(float(xs[k]), row)
                        item.setVisible(True)
                        used += 1
                        next_free = px + self._metrics.horizontalAdvance(text) + 6
            x0, x1 = self._span_x
            vis = np.flatnonzero((x1 >= lo) & (x0 <= hi))
            if 0 < len(vis) <= SPAN_LABEL_LIMIT:
                for j in vis:
                    s = self._spans[int(j)]
                    text = f"{s.title or s.step_id} · {format_duration(s.duration_ms)}"
                    a, b = max(x0[j], lo), min(x1[j], hi)
                    width = (b - a) * px_per_x
                    if width < self._metrics.horizontalAdvance(text) + 8:
                        text = format_duration(s.duration_ms)
                        if width < self._metrics.horizontalAdvance(text) + 8:
                            continue
                    item = self._label(self._span_labels, used_spans, (0.5, 0.5))
                    item.setText(text)
                    item.setPos((a + b) / 2, 0)
                    item.setVisible(True)
                    used_spans += 1
        for item in self._labels[used:]:
            item.setVisible(False)
        for item in self._span_labels[used_spans:]:
            item.setVisible(False)
        self.visible_labels = used + used_spans

    # -- hover / click ----------------------------------------------------------------------
    def entry_near(self, x: float, y: float, max_px: float = 8.0) -> int | None:
        """The entry whose marker is within ``max_px`` pixels of view point (x, y)."""
        row = int(round(y))
        if row < 1 or row >= len(self.rows) or abs(y - row) > 0.45:
            return None
        px_w = self.vb.viewPixelSize()[0] or 1.0
        for r, xs, idx, _ in self.item.lane_arrays():
            if int(r) != row or not len(xs):
                continue
            j = int(np.searchsorted(xs, x))
            best = min((k for k in (j - 1, j) if 0 <= k < len(xs)), key=lambda k: abs(xs[k] - x))
            if abs(xs[best] - x) / px_w <= max_px:
                return int(idx[best])
        return None

    def span_near(self, x: float, y: float) -> StepSpan | None:
        if abs(y) > 0.4 or not self._spans:
            return None
        x0, x1 = self._span_x
        hits = np.flatnonzero((x0 <= x) & (x1 >= x))
        if not len(hits):
            px_w = self.vb.viewPixelSize()[0] or 1.0
            d = np.minimum(np.abs(x0 - x), np.abs(x1 - x)) / px_w
            j = int(np.argmin(d))
            return self._spans[j] if d[j] <= 3 else None
        return self._spans[int(hits[-1])]

    def tooltip_at(self, x: float, y: float) -> str:
        i = self.entry_near(x, y)
        if i is not None and self.transcript is not None:
            return self.transcript.entries[i].describe()
        span = self.span_near(x, y)
        if span is not None:
            status = {"completed": "completed", "skipped": "ended by a skip", "open": "still open"}[span.status]
            return (f"{span.title or span.step_id} ({span.step_id})\nDwell: {format_duration(span.duration_ms)} "
                    f"— {status}\nRun: {span.run}")
        return ""

    def _on_mouse_moved(self, scene_pos) -> None:
        if not self.vb.sceneBoundingRect().contains(scene_pos):
            return
        p = self.vb.mapSceneToView(scene_pos)
        i = self.entry_near(p.x(), p.y())
        if i != self.hovered:
            self.hovered = i
            self.sigEntryHovered.emit(-1 if i is None else i)
        text = self.tooltip_at(p.x(), p.y())
        gpos = self.mapToGlobal(self.mapFromScene(scene_pos))
        if text:
            QToolTip.showText(gpos, text, self)
        else:
            QToolTip.hideText()

    def _on_mouse_clicked(self, ev) -> None:
        if ev.button() != pg.QtCore.Qt.MouseButton.LeftButton:
            return
        p = self.vb.mapSceneToView(ev.scenePos())
        i = self.entry_near(p.x(), p.y())
        if i is not None:
            ev.accept()
            self.sigEntryClicked.emit(i)

    def view_point_of(self, index: int) -> QPointF | None:
        """Where entry ``index`` is drawn, in view coordinates (tests drive clicks with it)."""
        x = self.x_of(index)
        if x is None:
            return None
        return QPointF(x, self.row_of(self.transcript.entries[index].kind))
