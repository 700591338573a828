"""Time texts: the overlay's relative times, local absolute times, durations and playtime; and
the numbers on chart axes (:func:`format_axis_number`: 40, 100, 1 k).

Relative times are always computed against an explicit ``now`` (epoch ms) so that a save
can be shown "as the in-game overlay would have shown it when it was written", and so that
tests are deterministic.
"""
from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

from inspector_app.core.common.jsfmt import coerce_non_negative_int, is_number, js_round, to_fixed


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
    if ms < 10_000:
        return f"{to_fixed(ms / 1000, 1)}s"
    # round the whole duration once, then split it: rounding the seconds part alone gave
    # "1m 60s" for 119.6 s and "60s" for 59.6 s
    total = js_round(ms / 1000)
    if total < 60:
        return f"{total}s"
    minutes, seconds = divmod(total, 60)
    return f"{minutes}m" if seconds == 0 else f"{minutes}m {seconds}s"


_AXIS_SUFFIXES = ((1e12, " T"), (1e9, " G"), (1e6, " M"), (1e3, " k"))


def format_axis_number(value: Any) -> str:
    """A chart axis' number, human-friendly at any magnitude: ``40``, ``100``, ``250``, ``1 k``,
    ``2.5 k``, ``10 M``, ``0.05`` — at most three significant digits, an SI suffix from a
    thousand up (never ``4·10¹`` or ``1e+03``). Not a number: ``""``."""
    if not is_number(value) or not math.isfinite(value):
        return ""
    v = float(f"{float(value):.3g}")          # 39.9999… from 10**log10(40) reads 40
    for size, suffix in _AXIS_SUFFIXES:
        if abs(v) >= size:
            return f"{v / size:.3g}{suffix}"
    return "0" if v == 0 else f"{v:.3g}"


def format_playtime(value: Any, missing: str = "—") -> str:
    """The one playtime format app-wide (slot list, overview, compare, tree, validate): the
    Save/Load overlay's ``Hh MMm`` from an hour on, else ``Mm SSs``; ``missing`` for 0 and for
    anything that is not a number; a negative (corrupt) value keeps its sign: ``-0m 05s``."""
    if not is_number(value) or value == 0:
        return missing
    if value < 0:
        return "-" + format_playtime(-value, missing)
    total_seconds = int(value // 1000)
    hours, rest = divmod(total_seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours > 0:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {seconds:02d}s"


# ------------------------------------------------------------------ times inside save data
#: epoch milliseconds a save can plausibly hold (2000-01-01 .. 2100-01-01); outside, a number
#: under a time-like key is a relative clock (``performance.now()``) or garbage, not a date
EPOCH_MS_MIN, EPOCH_MS_MAX = 946_684_800_000, 4_102_444_800_000
NEVER = "never"

_STAMP_NAMES = frozenset({"timestamp", "time", "date", "generatedat", "savedat", "lastseen", "lastsaved"})
_STAMP_SUFFIXES = ("At", "Timestamp", "Time", "Date")
_PLAYTIME_NAMES = frozenset({"playtime", "playtimems", "totalplaytime"})
_DURATION_SUFFIXES = ("Ms", "Duration", "DurationMs")
_DURATION_NAMES = frozenset({"duration", "durationms", "elapsed", "elapsedms", "dwell", "solvetime"})
#: maps whose members are all times, whatever their names (``completedTimeline.welcome``)
_STAMP_MAP_SUFFIXES = ("Timeline", "Timestamps", "Times")
_DURATION_MAP_SUFFIXES = ("Durations", "durations")


def time_key_kind(key: Any, parent_key: Any = None) -> str | None:
    """What a key's name says its number is: ``"playtime"``, ``"duration"`` (ms), ``"timestamp"``
    (epoch ms) or None. ``startedAt``/``timestamp``/``lastSeen`` are time stamps; ``playtime``;
    ``durationMs``/``totalMs``/``*Duration`` are durations; so are the members of a map named
    ``*Timeline``/``*Timestamps`` (time stamps) or ``*Durations`` (durations), e.g.
    ``completedTimeline.welcome`` and ``stepDurations.case_file``."""
    if not isinstance(key, str) or not key:
        return None
    if isinstance(parent_key, str) and parent_key:
        if parent_key.endswith(_STAMP_MAP_SUFFIXES):
            return "timestamp"
        if parent_key.endswith(_DURATION_MAP_SUFFIXES):
            return "duration"
    low = key.lower()
    if low in _PLAYTIME_NAMES:
        return "playtime"
    if low in _DURATION_NAMES or key.endswith(_DURATION_SUFFIXES):
        return "duration"
    if low in _STAMP_NAMES or key.endswith(_STAMP_SUFFIXES):
        return "timestamp"
    return None


def is_epoch_ms(value: Any) -> bool:
    """A number in the plausible epoch-ms range (see :data:`EPOCH_MS_MIN`)."""
    return is_number(value) and EPOCH_MS_MIN <= value <= EPOCH_MS_MAX


def readable_time_value(key: Any, value: Any, *, parent_key: Any = None, tz: timezone | None = None) -> str | None:
    """The readable form to show next to a raw number, decided by key name and value range:
    ``2025-11-02 18:06:24`` (local time; ``tz`` overrides) for an epoch-ms time stamp,
    ``never`` for a time stamp of 0 (the game's encoding), ``6m 24s`` for playtime (the one
    playtime format, :func:`format_playtime`), ``2m 28s``/``9.5s`` for a duration; None when
    the number is not a time (wrong key, out of range, negative, not a number)."""
    if not is_number(value):
        return None
    kind = time_key_kind(key, parent_key)
    if kind == "timestamp":
        if value == 0:
            return NEVER
        return format_absolute_time(value, tz=tz) if is_epoch_ms(value) else None
    if kind == "playtime":
        return format_playtime(value) if value > 0 else None
    if kind == "duration":
        return format_duration_ms(value) if 0 < value < EPOCH_MS_MIN else None
    return None


def readable_times(key: Any, value: Any, *, parent_key: Any = None, limit: int = 12, scan: int = 2000,
                   tz: timezone | None = None) -> list[str]:
    """``name = raw → readable`` lines for the times in a selected node: the node itself when it
    is a time, else its direct members that are (an object's first ``scan`` keys, at most
    ``limit`` lines). For the details pane, where the raw JSON stays untouched above."""
    own = readable_time_value(key, value, parent_key=parent_key, tz=tz)
    if own is not None:
        return [f"{key} = {value} → {own}"]
    if not isinstance(value, dict):
        return []
    out: list[str] = []
    for i, (name, member) in enumerate(value.items()):
        if i >= scan or len(out) >= limit:
            break
        readable = readable_time_value(name, member, parent_key=key, tz=tz)
        if readable is not None:
            out.append(f"{name} = {member} → {readable}")
    return out
