"""Small, total helpers for reading untrusted save data the way the game's JavaScript does.

Real saves vary (wrong section types, nulls, v0 payloads), and the views must never raise.
Every helper here accepts *anything* and returns a value of a known type. ``js_truthy`` exists
because the overlay text we mirror is produced by JavaScript, whose truthiness differs from
Python's; JS number text and rounding live in :mod:`inspector_app.core.common.jsfmt`.
"""
from __future__ import annotations

import math
import re
from typing import Any

from inspector_app.core.common.jsfmt import is_number
from inspector_app.core.common.timefmt import readable_time_value


def as_dict(value: Any) -> dict:
    """The value if it is a JSON object, else an empty dict."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    """The value if it is a JSON array, else an empty list."""
    return value if isinstance(value, list) else []


def dicts(value: Any) -> list[dict]:
    """Only the object entries of a JSON array (anything else is skipped)."""
    return [entry for entry in as_list(value) if isinstance(entry, dict)]




def nullish(value: Any, default: Any) -> Any:
    """JS ``value ?? default``."""
    return default if value is None else value


def js_truthy(value: Any) -> bool:
    """JS truthiness: ``[]`` and ``{}`` are truthy there, unlike in Python."""
    if value is None or value is False:
        return False
    if isinstance(value, bool):
        return True
    if isinstance(value, (int, float)):
        return value != 0 and not (isinstance(value, float) and math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True


def truncate_text(text: Any, max_length: int) -> str:
    """The overlay's ``truncateText``: cut to ``max_length`` characters ending in ``…``."""
    if not isinstance(text, str):
        return ""
    if len(text) <= max_length:
        return text
    if max_length <= 1:
        return text[:max_length]
    return text[: max_length - 1] + "…"


_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_SEPARATORS = re.compile(r"[_\-]+")


def humanize_action(action_id: Any) -> str:
    """The overlay's ``_formatControlAction``: ``moveDown`` → "Move Down", ``caseFile`` → "Case File"."""
    if not isinstance(action_id, str) or not action_id:
        return "Unknown action"
    spaced = _SEPARATORS.sub(" ", _CAMEL.sub(r"\1 \2", action_id)).strip()
    return spaced[:1].upper() + spaced[1:]


def title_case_words(value: str) -> str:
    """JS ``replace(/_/g, ' ').replace(/\\b\\w/g, upper)``: ``control_hint_updated`` → "Control Hint Updated"."""
    return re.sub(r"\b\w", lambda m: m.group(0).upper(), value.replace("_", " "))


def format_number(value: Any) -> str:
    """Readable number text: ``17.5`` stays, ``60.0`` becomes ``60``; non-numbers become ``—``."""
    if not is_number(value):
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def display_text(value: Any, empty: str = "—") -> str:
    """A short human text for any JSON value (used in cells and facts)."""
    if value is None:
        return empty
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, str):
        return value if value else empty
    if isinstance(value, list):
        return ", ".join(display_text(v, "") for v in value) or empty
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_member_text(k, v)}" for k, v in value.items()) or empty
    return str(value)


def _member_text(key: Any, value: Any) -> str:
    """An object member's text, with a time stamp / duration in words next to the raw number."""
    text = display_text(value, "")
    readable = readable_time_value(key, value)
    return f"{text} ({readable})" if readable else text


def count_of(entries: Any, cap: int | None) -> str:
    """``"N / cap"`` for a bounded buffer (or just ``N`` when there is no cap)."""
    n = len(entries) if isinstance(entries, (list, dict)) else 0
    return f"{n} / {cap}" if cap is not None else str(n)
