"""The game's faction registry (``src/game/data/factions/*.js``) and attitude scale (§3.3).

Saves store faction *ids*; the game shows names looked up here (``getFaction(id).name``,
falling back to the id). Kept as data so the desktop app names factions exactly as the
in-game overlay does.
"""
from __future__ import annotations

from typing import Any

#: Faction id → display name, in the order the game registers them.
FACTION_NAMES: dict[str, str] = {
    "vanguard_prime": "Vanguard Prime",
    "luminari_syndicate": "The Luminari Syndicate",
    "cipher_collective": "The Cipher Collective",
    "wraith_network": "The Wraith Network",
    "memory_keepers": "The Memory Keepers",
}

#: Attitudes from worst to best (factionSlice / FactionManager thresholds).
ATTITUDES: tuple[str, ...] = ("hostile", "unfriendly", "neutral", "friendly", "allied")

#: Tone per attitude, for badges: the UI maps tones to colours.
ATTITUDE_TONES: dict[str, str] = {
    "hostile": "bad",
    "unfriendly": "warn",
    "neutral": "neutral",
    "friendly": "good",
    "allied": "good",
}

#: Bounded buffers of the faction slice (§4).
ATTITUDE_HISTORY_CAP = 10
MEMBER_REMOVALS_CAP = 10


def faction_name(faction_id: Any, fallback_name: Any = None) -> str:
    """The overlay's ``resolveFactionName``: a given name wins, then the registry, then the id.

    A missing id gives ``"Unknown"``, exactly as in game.
    """
    if isinstance(fallback_name, str) and fallback_name:
        return fallback_name
    if not isinstance(faction_id, str) or not faction_id:
        return "Unknown"
    return FACTION_NAMES.get(faction_id, faction_id)


def attitude_rank(attitude: Any) -> int | None:
    """0 (hostile) … 4 (allied), or None for an unknown attitude; used to sort by attitude."""
    try:
        return ATTITUDES.index(attitude) if isinstance(attitude, str) else None
    except ValueError:
        return None


def attitude_tone(attitude: Any) -> str:
    """``bad`` / ``warn`` / ``neutral`` / ``good``, or ``unknown``."""
    return ATTITUDE_TONES.get(attitude, "unknown") if isinstance(attitude, str) else "unknown"
