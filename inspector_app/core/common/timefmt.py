"""Time texts: the overlay's relative times, local absolute times, durations and playtime.

Relative times are always computed against an explicit ``now`` (epoch ms) so that a save
can be shown "as the in-game overlay would have shown it when it was written", and so that
tests are deterministic.
"""
from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

from inspector_app.core.common.jsfmt import is_number, js_round, to_fixed
from inspector_app.core.worldstate._coerce import coerce_non_negative_int


def format_relative_time(timestamp: Any, now: int | float) -> str:
    """The overlay's ``formatRelativeTime``: "just now", "15.0s ago", "20m ago", "2h ago", "3d ago"."""
    if isinstance(timestamp, bool) or not isinstance(timestamp, (int, float)) or math.isnan(timestamp):
        return "timestamp unavailable"
    diff = max(0.0, float(now) - float(timestamp)) if math.isfinite(timestamp) else 0.0
    if diff < 1000:
        return "just now"
    if diff < 60_000:
        return f"{to_fixed(diff / 1000, 1)}s ago"
    if diff < 3_600_000:
        return f"{js_round(diff / 60_000)}m ago"
    if diff < 86_400_000:
        return f"{js_round(diff / 3_600_000)}h ago"
    return f"{js_round(diff / 86_400_000)}d ago"


def _to_datetime(timestamp: Any, tz: timezone | None) -> datetime | None:
    if not is_number(timestamp):
        return None
    try:
        moment = datetime.fromtimestamp(timestamp / 1000, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.astimezone(tz) if tz is not None else moment.astimezone()


def format_absolute_time(timestamp: Any, *, tz: timezone | None = None, empty: str = "—") -> str:
    """Local time ``2025-11-02 19:10:44`` (``tz`` overrides the local zone; tests pass UTC).

    0 and negative values are "never" (``empty``): the game's exports turn a missing time into
    0, which is not 1970 (docs/deviations.md W5)."""
    if is_number(timestamp) and timestamp <= 0:
        return empty
    moment = _to_datetime(timestamp, tz)
    if moment is None:
        return empty
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def format_duration_ms(value: Any) -> str:
    """The overlay's ``_formatDuration``: "800ms", "9.5s", "15s", "2m 28s"."""
    ms = coerce_non_negative_int(value)
    if ms < 1000:
        return f"{ms}ms"
    if ms < 60_000:
        seconds = ms / 1000
        return f"{js_round(seconds)}s" if seconds >= 10 else f"{to_fixed(seconds, 1)}s"
    minutes = ms // 60_000
    seconds = js_round((ms % 60_000) / 1000)
    return f"{minutes}m" if seconds == 0 else f"{minutes}m {seconds}s"


def format_playtime(value: Any) -> str:
    """The Save/Load overlay's playtime: ``Hh MMm`` from an hour on, else ``Mm SSs``; ``—`` for 0."""
    if not is_number(value) or value <= 0:
        return "—"
    total_seconds = int(value // 1000)
    hours, rest = divmod(total_seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours > 0:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {seconds:02d}s"
