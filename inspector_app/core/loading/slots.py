"""Slot ids, labels and types exactly as the game computes them, plus the display formats
(timestamps, sizes) the views share, so every screen shows the same text (playtime:
``core/common/timefmt.format_playtime``).

The rules copy ``SaveManager._normalizeSlotName`` and ``updateSaveMetadata`` (save-format §1.3,
§1.4): a designer comparing the inspector with the in-game Save/Load list must see the same ids.

No Qt here.
"""
from __future__ import annotations

import math
import re
from datetime import timezone
from typing import Any

from inspector_app.core.common.jsfmt import is_number
from inspector_app.core.common.timefmt import format_absolute_time

MAX_SLOT_NAME_LENGTH = 32       # config.maxSaveSlotNameLength in the game
AUTOSAVE = "autosave"
SAVE_KEY_PREFIX = "save_"
INDEX_KEY = "save_metadata"
MISSING = "\u2014"              # em dash: "no value"

_WHITESPACE = re.compile(r"\s+")
_NOT_ALLOWED = re.compile(r"[^a-z0-9_-]")
_DASH_RUNS = re.compile(r"-{2,}")


def normalize_slot_name(value: Any) -> str:
    """The game's ``_normalizeSlotName``: ``"Before Memory Parlor!"`` -> ``before-memory-parlor``,
    ``3`` -> ``slot3``, anything unusable -> ``autosave``."""
    if isinstance(value, bool) or value is None:
        return AUTOSAVE
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            # JS: "slot" + Math.floor(Math.max(0, NaN)) -> "slotNaN"; Infinity -> "slotInfinity"
            text = "slotNaN" if math.isnan(value) else ("slotInfinity" if value > 0 else "slot0")
            return text[:MAX_SLOT_NAME_LENGTH]
        return f"slot{math.floor(max(0, value))}"[:MAX_SLOT_NAME_LENGTH]
    if not isinstance(value, str) or value == "":
        return AUTOSAVE
    if value.lower() == AUTOSAVE:
        return AUTOSAVE
    text = value.lower()
    text = _WHITESPACE.sub("-", text)
    text = _NOT_ALLOWED.sub("-", text)
    text = _DASH_RUNS.sub("-", text)
    text = text.strip("-_")
    text = text[:MAX_SLOT_NAME_LENGTH]
    return text or AUTOSAVE


def slot_label(requested: Any, slot_id: str) -> str:
    """The label the game stores: the trimmed request text, or the normalised id."""
    if isinstance(requested, str) and requested.strip():
        return requested.strip()
    return slot_id


def slot_type_for(slot_id: str) -> str:
    """``"auto"`` only for the autosave slot; every other id is ``"manual"``."""
    return "auto" if slot_id == AUTOSAVE else "manual"


def slot_id_from_key(key: str) -> str:
    """``save_before-memory-parlor`` -> ``before-memory-parlor`` (no normalisation: the key is
    what is stored)."""
    return key[len(SAVE_KEY_PREFIX):] if key.startswith(SAVE_KEY_PREFIX) else key


def is_slot_key(key: str) -> bool:
    """A ``save_*`` key that holds a payload (``save_metadata`` is the index, not a slot)."""
    return key.startswith(SAVE_KEY_PREFIX) and key != INDEX_KEY


# --------------------------------------------------------------------------- formatting
def format_timestamp(ms: Any, missing: str = MISSING, utc: bool = True) -> str:
    """Epoch milliseconds as ``2025-11-02 18:33:06 UTC`` (or local time); ``missing`` for
    None, NaN and ``0`` (the exporter's "never", save-format §9.3)."""
    text = format_absolute_time(ms, tz=timezone.utc if utc else None, empty=missing)
    return f"{text} UTC" if utc and text != missing else text


def format_bytes(n: Any, missing: str = MISSING) -> str:
    """Decimal units as the game's docs use them: ``512 B``, ``62.4 KB``, ``1.8 MB``."""
    if not is_number(n):
        return missing
    if abs(n) < 1000:
        return f"{int(n)} B"
    value = float(n)
    for unit in ("KB", "MB", "GB"):
        value /= 1000.0
        if abs(value) < 999.95:
            break
    return f"{value:.1f} {unit}"


def format_version(version: Any, missing: str = "none") -> str:
    """``1`` -> ``v1``; the string ``"1"`` -> ``"1" (string)``; absent -> ``none``."""
    if version is None:
        return missing
    if isinstance(version, bool):
        return f"{str(version).lower()} (boolean)"
    if isinstance(version, int):
        return f"v{version}"
    if isinstance(version, float):
        return f"v{int(version) if version.is_integer() else version}"
    if isinstance(version, str):
        return f'"{version}" (string)'
    return f"{type(version).__name__}"
