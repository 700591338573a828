"""Which ``gameData`` shape a payload has (§3.0, §3.13, §3.14).

Views read each slice by looking at the slice itself (so a half-legacy payload still shows
what it can); this module only names the overall shape for the overview.
"""
from __future__ import annotations

from typing import Any

from ._coerce import as_dict
from .summary import is_store_shape

STORE = "worldStateStore"
LEGACY = "legacy-managers"
V0 = "v0"
UNKNOWN = "unknown"

SHAPE_LABELS = {
    STORE: "WorldStateStore snapshot",
    LEGACY: "legacy managers (no store)",
    V0: "v0 legacy payload (display-normalised)",
    UNKNOWN: "unknown",
}


def detect_shape(game_data: Any, payload: Any = None) -> str:
    """``worldStateStore`` | ``legacy-managers`` | ``v0`` | ``unknown``.

    ``meta.snapshotSource`` wins; a payload whose version is not the number 1 and that has
    no ``meta`` is v0; otherwise the slice shapes decide.
    """
    envelope = as_dict(payload)
    source = as_dict(envelope.get("meta")).get("snapshotSource")
    if source in (STORE, LEGACY):
        return source
    if envelope and "meta" not in envelope and envelope.get("version") != 1:
        return V0
    data = as_dict(game_data)
    if not data:
        return UNKNOWN
    if is_store_shape(data):
        return STORE
    if "activeQuests" in as_dict(data.get("quests")) or "reputation" in as_dict(data.get("factions")):
        return LEGACY
    return UNKNOWN
