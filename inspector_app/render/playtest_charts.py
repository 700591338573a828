"""PNG charts of a playtest report: the tutorial funnel, faction reputation (box plots) and
playtime (histogram). Colours come from the palette given (the GUI passes the application's
palette and ``ui.theme.value_colors``); without one, the application's palette roles are used.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QImage, QPainter, QPalette, QPen

from inspector_app.core.common.timefmt import format_duration_ms, format_playtime
from inspector_app.core.playtest.report import PlaytestReport

from .qtimage import ensure_gui_application, png_bytes

_Role = QPalette.ColorRole


class _Colors:
    def __init__(self, palette: QPalette, values: Mapping[str, QColor] | None):
        self.background = palette.color(_Role.Base)
        self.text = palette.color(_Role.Text)
        self.muted = palette.color(_Role.PlaceholderText)
        self.grid = palette.color(_Role.Mid)
        self.reached = palette.color(_Role.AlternateBase) if palette.color(_Role.AlternateBase) != self.background \
            else palette.color(_Role.Midlight)
        v = values or {}
        self.completed = QColor(v.get("good", palette.color(_Role.Highlight)))
        self.skipped = QColor(v.get("warning", palette.color(_Role.Dark).darker(160)))
        self.open = QColor(v.get("bad", palette.color(_Role.Dark)))
        self.box = QColor(v.get("info", palette.color(_Role.Highlight)))
        self.box_fill = QColor(v.get("info_bg", palette.color(_Role.Midlight)))


def _start(width: int, height: int, colors: _Colors) -> tuple[QImage, QPainter]:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(colors.background)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    font = QFont(painter.font())
    font.setPixelSize(13)
    painter.setFont(font)
    return image, painter


def _title(painter: QPainter, text: str, colors: _Colors, width: int) -> None:
    font = QFont(painter.font())
    font.setPixelSize(16)
    font.setBold(True)
    painter.save()
    painter.setFont(font)
    painter.setPen(colors.text)
    painter.drawText(QRectF(16, 10, width - 32, 24), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
    painter.restore()


def _elided(painter: QPainter, text: str, width: float) -> str:
    return QFontMetricsF(painter.font()).elidedText(text, Qt.TextElideMode.ElideRight, width)


def _legend(painter: QPainter, items: list[tuple[str, QColor]], x: float, y: float, colors: _Colors) -> None:
    fm = QFontMetricsF(painter.font())
    for label, color in items:
        painter.fillRect(QRectF(x, y + 3, 12, 12), color)
        painter.setPen(colors.text)
        painter.drawText(QPointF(x + 17, y + 13), label)
        x += 17 + fm.horizontalAdvance(label) + 18


def funnel_chart(report: PlaytestReport, colors: _Colors, width: int) -> QImage:
    steps = report.funnel
    total = max(1, report.included.count)
    row_h, top = 30, 64
    height = top + row_h * max(1, len(steps)) + 24
    image, p = _start(width, height, colors)
    _title(p, f"Tutorial funnel — {report.included.count} player(s)", colors, width)
    _legend(p, [("completed", colors.completed), ("skipped", colors.skipped), ("still on it", colors.open),
                ("not reached", colors.reached)], 16, 36, colors)
    label_w, right_w = 220.0, 330.0
    x0, x1 = 16 + label_w, width - 16 - right_w
    span = max(1.0, x1 - x0)
    for i, s in enumerate(steps):
        y = top + i * row_h
        p.setPen(colors.text)
        p.drawText(QRectF(16, y, label_w - 8, row_h), Qt.AlignmentFlag.AlignVCenter,
                   _elided(p, f"{s.index + 1}. {s.title}", label_w - 8))
        p.fillRect(QRectF(x0, y + 5, span, row_h - 10), colors.reached)
        x = x0
        for count, color in ((s.completed.count, colors.completed), (s.skipped.count, colors.skipped),
                             (s.open.count, colors.open)):
            w = span * count / total
            if w > 0:
                p.fillRect(QRectF(x, y + 5, w, row_h - 10), color)
            x += w
        median = format_duration_ms(s.time.median) if s.time.n else "—"
        p.setPen(colors.text)
        p.drawText(QRectF(x1 + 10, y, right_w - 10, row_h), Qt.AlignmentFlag.AlignVCenter,
                   _elided(p, f"{s.reached.count} reached · {s.completed.count} done · {s.skipped.count} skipped"
                              f" · median {median}", right_w - 10))
    if not steps:
        p.setPen(colors.muted)
        p.drawText(QRectF(16, top, width - 32, row_h), Qt.AlignmentFlag.AlignVCenter, "No tutorial steps recorded.")
    p.end()
    return image


def _nice_ticks(lo: float, hi: float, count: int = 6) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    ticks = []
    t = first
    while t <= hi + 1e-9 and len(ticks) < 50:
        ticks.append(round(t, 10))
        t += step
    return ticks


def factions_chart(report: PlaytestReport, colors: _Colors, width: int) -> QImage:
    rows = [f for f in report.factions if f.reputation.n]
    row_h, top = 34, 60
    height = top + row_h * max(1, len(rows)) + 40
    image, p = _start(width, height, colors)
    _title(p, "Faction reputation at the latest save (fame − infamy)", colors, width)
    label_w = 230.0
    x0, x1 = 16 + label_w, width - 24.0
    lo = min([f.reputation.min for f in rows if f.reputation.min is not None] + [0.0])
    hi = max([f.reputation.max for f in rows if f.reputation.max is not None] + [0.0])
    if hi - lo < 1:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.05
    lo, hi = lo - pad, hi + pad

    def xof(v: float) -> float:
        return x0 + (v - lo) / (hi - lo) * (x1 - x0)

    bottom = top + row_h * max(1, len(rows))
    for t in _nice_ticks(lo, hi):
        x = xof(t)
        p.setPen(QPen(colors.grid, 1, Qt.PenStyle.DotLine if t else Qt.PenStyle.SolidLine))
        p.drawLine(QPointF(x, top - 4), QPointF(x, bottom))
        p.setPen(colors.muted)
        p.drawText(QRectF(x - 40, bottom + 4, 80, 18), Qt.AlignmentFlag.AlignHCenter, f"{t:g}")
    for i, f in enumerate(rows):
        r = f.reputation
        y = top + i * row_h
        mid = y + row_h / 2
        p.setPen(colors.text)
        p.drawText(QRectF(16, y, label_w - 8, row_h), Qt.AlignmentFlag.AlignVCenter,
                   _elided(p, f"{f.name} (n={r.n})", label_w - 8))
        p.setPen(QPen(colors.box, 1.5))
        p.drawLine(QPointF(xof(r.min), mid), QPointF(xof(r.max), mid))
        for v in (r.min, r.max):
            p.drawLine(QPointF(xof(v), mid - 6), QPointF(xof(v), mid + 6))
        box = QRectF(QPointF(xof(r.p25), y + 7), QPointF(max(xof(r.p75), xof(r.p25) + 1), y + row_h - 7))
        p.fillRect(box, colors.box_fill)
        p.drawRect(box)
        p.setPen(QPen(colors.text, 2.5))
        p.drawLine(QPointF(xof(r.median), y + 5), QPointF(xof(r.median), y + row_h - 5))
    if not rows:
        p.setPen(colors.muted)
        p.drawText(QRectF(16, top, width - 32, row_h), Qt.AlignmentFlag.AlignVCenter, "No faction reputation recorded.")
    p.end()
    return image


def playtime_chart(report: PlaytestReport, colors: _Colors, width: int) -> QImage:
    height = 360
    image, p = _start(width, height, colors)
    d = report.playtime
    _title(p, f"Playtime at the latest save — median {format_playtime(d.median)} ({d.n} player(s))", colors, width)
    x0, x1, top, bottom = 70.0, width - 24.0, 50.0, height - 44.0
    values = [v for v, _ in d.values]
    if not values:
        p.setPen(colors.muted)
        p.drawText(QRectF(16, top, width - 32, 30), Qt.AlignmentFlag.AlignVCenter, "No playtime recorded.")
        p.end()
        return image
    lo, hi = min(values), max(values)
    bins = max(1, min(24, len(values)))
    width_ms = (hi - lo) / bins if hi > lo else 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / width_ms)) if hi > lo else 0] += 1
    peak = max(counts)
    bar_w = (x1 - x0) / bins
    for t in _nice_ticks(0, peak, 4):
        y = bottom - (bottom - top) * t / peak
        p.setPen(QPen(colors.grid, 1, Qt.PenStyle.DotLine))
        p.drawLine(QPointF(x0, y), QPointF(x1, y))
        p.setPen(colors.muted)
        p.drawText(QRectF(8, y - 9, x0 - 14, 18), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{t:g}")
    for i, c in enumerate(counts):
        h = (bottom - top) * c / peak
        p.fillRect(QRectF(x0 + i * bar_w + 1, bottom - h, max(1.0, bar_w - 2), h), colors.box)
    p.setPen(colors.text)
    for v, align in ((lo, Qt.AlignmentFlag.AlignLeft), (hi, Qt.AlignmentFlag.AlignRight)):
        p.drawText(QRectF(x0, bottom + 6, x1 - x0, 18), align, format_playtime(v))
    if d.median is not None and hi > lo:
        x = x0 + (d.median - lo) / (hi - lo) * (x1 - x0)
        p.setPen(QPen(colors.text, 2, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(x, top), QPointF(x, bottom))
    p.end()
    return image


def render_charts(report: PlaytestReport, *, palette: QPalette | None = None,
                  value_colors: Mapping[str, QColor] | None = None, width: int = 1200) -> dict[str, bytes]:
    """``{"funnel": png, "factions": png, "playtime": png}`` (the names ``core/playtest/artifacts``
    turns into ``<prefix>-<name>.png``)."""
    ensure_gui_application()
    colors = _Colors(palette if palette is not None else QGuiApplication.palette(), value_colors)
    return {"funnel": png_bytes(funnel_chart(report, colors, width)),
            "factions": png_bytes(factions_chart(report, colors, width)),
            "playtime": png_bytes(playtime_chart(report, colors, width))}
