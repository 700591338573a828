"""Colours and value previews shared by the compare view's models."""
from __future__ import annotations

from typing import Any

import orjson
from PySide6.QtGui import QColor

from inspector_app.core.diff import DiffKind

ADDED_FG, ADDED_BG = QColor("#1b7a3a"), QColor("#e6f4ea")
REMOVED_FG, REMOVED_BG = QColor("#b3261e"), QColor("#fce8e6")
CHANGED_FG, CHANGED_BG = QColor("#9a5b00"), QColor("#fff3dc")
MUTED_FG = QColor("#6b6b6b")

KIND_COLOURS = {
    "added": (ADDED_FG, ADDED_BG),
    "removed": (REMOVED_FG, REMOVED_BG),
    "changed": (CHANGED_FG, CHANGED_BG),
}

KIND_LABELS = {
    DiffKind.ADDED: "added",
    DiffKind.REMOVED: "removed",
    DiffKind.CHANGED: "changed",
    DiffKind.TYPE_CHANGED: "type changed",
    DiffKind.MOVED: "moved",
}


def colour_key(kind: DiffKind | str) -> str:
    value = kind.value if isinstance(kind, DiffKind) else kind
    return value if value in ("added", "removed") else "changed"


PREVIEW_CHARS = 160
_BIG_CONTAINER = 200


def preview(value: Any, limit: int = PREVIEW_CHARS) -> str:
    """One-line JSON of a value, cut to ``limit``; big containers only say how big they are."""
    if isinstance(value, dict) and len(value) > _BIG_CONTAINER:
        return f"{{… {len(value):,} keys}}"
    if isinstance(value, (list, tuple)) and len(value) > _BIG_CONTAINER:
        return f"[… {len(value):,} items]"
    try:
        text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pretty(value: Any, limit: int = 4000) -> str:
    """Indented JSON for tooltips, cut to ``limit``."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + "\n…"
