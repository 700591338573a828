"""Build the demo localStorage profile the app ships, and write resources/demo/.

The profile is what the game's SaveManager would leave in a browser after the demo session
(:mod:`.playthrough`): one ``save_<slot>`` string per slot written with ``JSON.stringify``
(compact, non-ASCII kept), the ``save_metadata`` index in the game's insertion order, and
``tutorial_completed: "true"`` once the tutorial is done. The export file has the same form as
the devtools one-liner in save-format.md §1.6: sorted keys, two-space indentation, newline.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import orjson

from ..common.fileio import write_atomic
from .playthrough import play_session
from .world import World

SAVE_VERSION = 1
MAX_MANUAL_SLOTS = 10
MAX_SLOT_NAME_LENGTH = 32
DEMO_START = datetime(2026, 11, 20, 19, 0, 0, tzinfo=timezone.utc)
DEMO_START_MS = int(DEMO_START.timestamp() * 1000)
DEMO_SEED = 7

PROFILE_FILE = "demo-profile.localStorage.json"
PROBLEMS_FILE = "demo-legacy-and-problems.localStorage.json"


def normalize_slot_name(slot: object) -> str:
    """SaveManager._normalizeSlotName (save-format.md §1.3)."""
    if isinstance(slot, bool) or slot is None:
        return "autosave"
    if isinstance(slot, (int, float)):
        return ("slot" + str(int(max(0, slot) // 1)))[:MAX_SLOT_NAME_LENGTH]
    if not isinstance(slot, str) or not slot or slot.lower() == "autosave":
        return "autosave"
    text = re.sub(r"\s+", "-", slot.lower())
    text = re.sub(r"[^a-z0-9_-]", "-", text)
    text = re.sub(r"-{2,}", "-", text)
    text = text.strip("-_")[:MAX_SLOT_NAME_LENGTH]
    return text or "autosave"


def slot_label(slot: object, slot_id: str) -> str:
    """The display label: ``slot.trim()`` for a non-empty string, else the normalised id."""
    if isinstance(slot, str) and slot.strip():
        return slot.strip()
    return slot_id


def encode_compact(value: object) -> str:
    """``JSON.stringify(value)``: compact, UTF-8, non-ASCII not escaped."""
    return orjson.dumps(value).decode("utf-8")


def encode_profile_export(profile: dict[str, str]) -> bytes:
    """The devtools export form: keys sorted, 2-space indentation, trailing newline."""
    return orjson.dumps(profile, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


class SaveWriter:
    """The part of SaveManager that writes slots: payloads, the index and manual-slot eviction."""

    def __init__(self, world: World):
        self.world = world
        self.storage: dict[str, str] = {}
        self.index: dict[str, dict] = {}

    def save_game(self, slot: object = "autosave") -> str:
        world = self.world
        slot_id = normalize_slot_name(slot)
        label = slot_label(slot, slot_id)
        payload = {"version": SAVE_VERSION, "timestamp": world.now, "playtime": world.playtime, "slot": slot_id,
                   "gameData": world.snapshot(), "meta": {"snapshotSource": "worldStateStore", "slotLabel": label}}
        self.storage["save_" + slot_id] = encode_compact(payload)
        self._update_index(slot_id, label, payload)
        world.note_saved()
        return slot_id

    def _update_index(self, slot_id: str, label: str, payload: dict) -> None:
        is_new = slot_id not in self.index
        self.index[slot_id] = {"timestamp": payload["timestamp"], "playtime": payload["playtime"],
                               "version": payload["version"],
                               "slotType": "auto" if slot_id == "autosave" else "manual",
                               "label": label, "snapshotSource": payload["meta"]["snapshotSource"]}
        if is_new and slot_id != "autosave":
            manual = sorted((e["timestamp"], sid) for sid, e in self.index.items() if e["slotType"] == "manual")
            while len(manual) > MAX_MANUAL_SLOTS:
                _, oldest = manual.pop(0)
                if oldest == slot_id:
                    continue
                del self.index[oldest]
                self.storage.pop("save_" + oldest, None)
        self.storage["save_metadata"] = encode_compact(self.index)


def play_demo(*, district_events: bool = True, seed: int = DEMO_SEED) -> tuple[World, SaveWriter]:
    """Play the demo session with autosave triggers wired; return the world and what it wrote."""
    world = World(DEMO_START_MS, district_events=district_events)
    writer = SaveWriter(world)
    world.on_save_trigger = lambda _reason: writer.save_game("autosave")
    play_session(world, writer.save_game, seed=seed)
    if world.tutorial["completed"]:
        writer.storage["tutorial_completed"] = "true"
    if world.tutorial["skipped"]:
        writer.storage["tutorial_skipped"] = "true"
    return world, writer


def build_demo_profile() -> dict[str, str]:
    """The whole demo profile: localStorage key -> stored string value (sorted by key)."""
    _, writer = play_demo()
    return {key: writer.storage[key] for key in sorted(writer.storage)}


def demo_files() -> dict[str, bytes]:
    """Every file of resources/demo/, by path relative to it, with its exact bytes."""
    from .problems import build_problems_profile

    profile = build_demo_profile()
    files = {PROFILE_FILE: encode_profile_export(profile),
             PROBLEMS_FILE: encode_profile_export(build_problems_profile(profile))}
    for key, value in profile.items():
        if key.startswith("save_"):
            files[f"saves/{key}.json"] = value.encode("utf-8")
    return files


def write_demo_resources(target: Path) -> list[Path]:
    """(Re)write resources/demo/ atomically, file by file; stale ``saves/*.json`` are removed."""
    target = Path(target)
    files = demo_files()
    written = []
    for relative, data in sorted(files.items()):
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, overwrite=True)
        written.append(path)
    saves_dir = target / "saves"
    for stale in saves_dir.glob("*.json"):
        if f"saves/{stale.name}" not in files:
            stale.unlink()
    return written
