"""Recognise what a parsed JSON document is, by its content (never by its file name).

The inputs are easy to confuse: a profile export, a single payload and a slot index are
all JSON objects; a raw inspector summary and an exported one differ by a few fields. The
rules follow save-format §1.6, §2, §9 and Appendix A, and are ordered from the most
specific shape to the least.

No Qt here.
"""
from __future__ import annotations

from typing import Any

from inspector_app.core.loading.document import DocumentKind
from inspector_app.core.loading.jsonparse import describe_value

PROFILE_FLAG_KEYS = frozenset({"tutorial_completed", "tutorial_skipped", "faction_state"})
ENGINE_KEY_PREFIX = "memory_syndicate_save_"
PAYLOAD_KEYS = frozenset({"version", "timestamp", "playtime", "slot", "meta", "gameData"})
INDEX_ENTRY_KEYS = frozenset({"timestamp", "playtime", "version", "slotType", "label", "snapshotSource"})
SUMMARY_SECTIONS = ("factions", "tutorial", "engine", "controlBindings", "districts", "npcs")

#: What the loader accepts, for "unrecognised input" messages.
EXPECTED_INPUTS = (
    "a localStorage profile export (save_* keys holding JSON strings), a single save payload "
    "(the value of one save_<slot> key), a dormant engine save, or an inspector summary (raw or exported)"
)


def is_engine_save(root: Any) -> bool:
    """Appendix A: string version plus top-level player and worldState."""
    return isinstance(root, dict) and isinstance(root.get("version"), str) \
        and "player" in root and "worldState" in root


def is_inspector_summary(root: Any) -> bool:
    """§9.1: generatedAt + source + at least two of the summary sections."""
    if not isinstance(root, dict) or "generatedAt" not in root or "source" not in root:
        return False
    return sum(1 for k in SUMMARY_SECTIONS if k in root) >= 2


def is_summary_export(root: Any) -> bool:
    """§9.3: the sanitised summary adds generatedIso and per-section metrics."""
    if not is_inspector_summary(root):
        return False
    if "generatedIso" in root:
        return True
    return any(isinstance(root.get(s), dict) and isinstance(root[s].get("metrics"), dict)
               and s in ("factions", "tutorial") for s in SUMMARY_SECTIONS)


def is_payload(root: Any) -> bool:
    """§2: the envelope. gameData alone is enough; otherwise two envelope fields."""
    if not isinstance(root, dict):
        return False
    if "gameData" in root:
        return True
    if "sections" in root:  # the QA payload schema summary has the envelope fields too
        return False
    return len(PAYLOAD_KEYS.intersection(root)) >= 2 and not is_slot_index(root)


def is_profile_key(key: str) -> bool:
    return key.startswith("save_") or key in PROFILE_FLAG_KEYS or key.startswith(ENGINE_KEY_PREFIX)


def is_profile(root: Any) -> bool:
    """§1.6: localStorage export, keys like save_*, save_metadata, tutorial_completed."""
    return isinstance(root, dict) and any(is_profile_key(k) for k in root)


def is_slot_index(root: Any) -> bool:
    """§1.5: ``save_metadata`` on its own: slot id -> {timestamp, playtime, version, slotType, label, ...}."""
    if not isinstance(root, dict) or not root:
        return False
    return all(isinstance(v, dict) and len(INDEX_ENTRY_KEYS.intersection(v)) >= 2 for v in root.values())


def detect_kind(root: Any) -> DocumentKind | None:
    """The document kind, or None when the content is none of the known inputs.

    A bare slot index is reported as PROFILE (a profile with an index and no slots).
    """
    if is_engine_save(root):
        return DocumentKind.ENGINE_SAVE
    if is_summary_export(root):
        return DocumentKind.SUMMARY_EXPORT
    if is_inspector_summary(root):
        return DocumentKind.INSPECTOR_SUMMARY
    if is_payload(root):
        return DocumentKind.PAYLOAD
    if is_profile(root) or is_slot_index(root):
        return DocumentKind.PROFILE
    return None


def known_other_output(root: Any) -> str | None:
    """Name the game's other JSON outputs (QA tools, overlay captures), which are not inputs."""
    if isinstance(root, dict):
        if "sections" in root and "slot" in root and "version" in root:
            return "the game's QA payload schema summary (buildSavePayloadSummary), not a save"
        if "renderedText" in root:
            return "an in-game overlay capture (view model and rendered text), not a save"
        if "getSaveSlots" in root:
            return "a capture of getSaveSlots() output (the slot list), not a save"
    if isinstance(root, list) and root and all(isinstance(x, dict) for x in root):
        first = root[0]
        if {"type", "filename", "mimeType"} <= set(first):
            return "a list of inspector export artifact descriptors, not the artifacts themselves"
        if "status" in first and "budgetBytes" in first:
            return "an export budget-status event, not a summary"
    return None


def unrecognised_message(root: Any) -> str:
    """Why a valid JSON document is not something the inspector can open."""
    other = known_other_output(root)
    if other:
        return f"Not a save or inspector file: this is {other}. Expected {EXPECTED_INPUTS}."
    what = describe_value(root)
    hint = ""
    if root is None:
        hint = " (the game fails on a null save with \"Cannot read properties of null (reading 'version')\")"
    elif isinstance(root, (int, float, str, bool)):
        hint = " (the game rejects a value like this with invalid_save_data)"
    return f"Not a save or inspector file: the file holds {what}{hint}. Expected {EXPECTED_INPUTS}."
