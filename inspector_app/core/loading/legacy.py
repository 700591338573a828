"""The game's v0 -> v1 save migration, re-done for display only (save-format §5).

The game never completes this migration (``loadGame`` crashes with "Assignment to constant
variable." right after it), so a legacy save is shown *as the game would have seen it had the
migration worked*, clearly marked read-only. The original payload is never changed.

No Qt here.
"""
from __future__ import annotations

from typing import Any


def copy_json(value: Any) -> Any:
    """Deep copy of a JSON value without recursion (``copy.deepcopy`` overflows the stack on
    the 1,000-level nesting the loader accepts)."""
    if not isinstance(value, (dict, list)):
        return value
    top: Any = {} if isinstance(value, dict) else []
    stack: list[tuple[Any, Any]] = [(value, top)]
    while stack:
        src, dst = stack.pop()
        pairs = src.items() if isinstance(src, dict) else enumerate(src)
        for k, v in pairs:
            if isinstance(v, (dict, list)):
                child: Any = {} if isinstance(v, dict) else []
                stack.append((v, child))
                v = child
            if isinstance(dst, dict):
                dst[k] = v
            else:
                dst.append(v)
    return top


def _obj(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _obj_or_none(value: Any) -> dict | None:
    return value if isinstance(value, dict) else None


def _first(*values: Any, default: Any = None) -> Any:
    for v in values:
        if v is not None:
            return v
    return default


def _step_count(value: Any) -> int:
    if isinstance(value, list):
        return len(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    return 0


def normalize_v0_to_v1(payload: dict) -> dict:
    """Return a deep copy of ``payload`` in the shape ``_migrateToVersion(1)`` aims for.

    Where the game would use ``Date.now()`` (factions.timestamp, inventory.lastUpdatedAt) the
    payload's own ``timestamp`` is used, so the display is stable.
    """
    out = copy_json(payload)
    stamp = out.get("timestamp") if isinstance(out.get("timestamp"), (int, float)) else None
    game = _obj(out.get("gameData"))
    out["gameData"] = game

    game["storyFlags"] = _obj(game.get("storyFlags"))
    game["quests"] = _obj(game.get("quests"))

    factions = _obj(game.get("factions"))
    factions["reputation"] = _obj(factions.get("reputation"))
    if not isinstance(factions.get("recentMemberRemovals"), list):
        factions["recentMemberRemovals"] = []
    factions.setdefault("version", 1)
    factions.setdefault("timestamp", stamp)
    game["factions"] = factions

    inventory = _obj(game.get("inventory"))
    game["inventory"] = {
        **inventory,
        "items": inventory.get("items") if isinstance(inventory.get("items"), list) else [],
        "equipped": _obj(inventory.get("equipped")),
        "lastUpdatedAt": _first(inventory.get("lastUpdatedAt"), stamp),
    }

    game["cases"] = _obj_or_none(game.get("cases"))
    game["investigation"] = _obj_or_none(game.get("investigation"))
    game["dialogue"] = _first(game.get("dialogue"), None)
    game["finaleCinematic"] = _first(game.get("finaleCinematic"), None)

    tutorial = _obj(game.get("tutorial"))
    completed = bool(_first(tutorial.get("completed"), game.get("tutorialComplete"),
                            out.get("tutorialComplete"), default=False))
    skipped = bool(_first(tutorial.get("skipped"), game.get("tutorialSkipped"),
                          out.get("tutorialSkipped"), default=False))
    game["tutorial"] = {
        "completed": completed,
        "completedSteps": _step_count(tutorial.get("completedSteps")),
        "skipped": skipped,
        "totalSteps": tutorial.get("totalSteps"),
        "currentStep": tutorial.get("currentStep"),
        "currentStepIndex": _first(tutorial.get("currentStepIndex"), default=-1),
        "lastActionAt": tutorial.get("lastActionAt"),
    }
    game["tutorialComplete"] = completed
    game["tutorialSkipped"] = skipped
    out.pop("tutorialComplete", None)
    out.pop("tutorialSkipped", None)
    out["version"] = 1
    return out
