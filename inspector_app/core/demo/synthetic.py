"""Big, valid synthetic inputs for benchmarks (a 50 MB profile, a single huge payload).

Real profiles are small (about 1.8 MB at most, save-format.md §4), so size is reached by making
each save large *where the format allows it*: the unbounded sections (inventory items and story
flags) grow, while every capped history stays at its cap, so the saves remain ones the game
could have written. A profile keeps to the game's 10 manual slots plus the autosave; only
targets below about 1.7 MB use fewer slots.

Everything starts from the demo's late-game save, so the shapes and key orders are the game's.
Deterministic for a given (target, seed); about 1 s per 50 MB on a laptop core.
"""
from __future__ import annotations

import random
from functools import lru_cache

import orjson

from .profile import MAX_MANUAL_SLOTS, encode_profile_export, play_demo

_WORDS = ("neural", "residue", "extractor", "ledger", "maglev", "lotus", "token", "archive", "spire", "courier",
          "cipher", "wraith", "vanguard", "memory", "fragment", "drive", "badge", "parlor", "signal", "relay")
_TYPES = ("forensic", "document", "digital", "physical")
_CATEGORIES = ("physical", "records", "neural", "communication", "trade", "identification")
_FLAGS_PER_ITEM = 0.25          # one story flag for every four inventory items
_SLOT_GAP_MS = 97_300           # time between consecutive synthetic saves


@lru_cache(maxsize=1)
def _late_payload_text() -> str:
    """The demo's late manual save, as stored (computed once per process)."""
    _, writer = play_demo()
    return writer.storage["save_before-the-archive-raid"]


def _base_payload() -> dict:
    return orjson.loads(_late_payload_text())


def _grow(payload: dict, n_items: int, rng: random.Random, tag: str) -> None:
    """Append ``n_items`` evidence items and n/4 story flags to the unbounded sections."""
    game = payload["gameData"]
    now = payload["timestamp"]
    items = game["inventory"]["items"]
    words = _WORDS
    for i in range(n_items):
        a, b, c = rng.choice(words), rng.choice(words), rng.choice(words)
        kind = _TYPES[i & 3]
        category = _CATEGORIES[i % 6]
        case_id = f"case_syn_{i // 50:04d}"
        items.append({
            "id": f"ev_{tag}_{i:06d}", "name": f"{a.title()} {b} sample {i}",
            "description": f"Synthetic {kind} evidence: a {a} {b} recovered near the {c} relay, item {i}.",
            "type": f"Evidence:{kind}", "rarity": "evidence", "quantity": 1,
            "tags": ["evidence", "source:investigation", f"case:{case_id}", f"category:{category}", f"type:{kind}"],
            "metadata": {"caseId": case_id, "evidenceType": kind, "category": category,
                         "derivedClues": [f"clue_{tag}_{i:06d}"], "source": "investigation", "entityId": 20_000 + i},
            "lastSeenAt": now - (n_items - i) * 250})
    flags = game["storyFlags"]["flags"]
    for i in range(int(n_items * _FLAGS_PER_ITEM)):
        flags[f"syn_{tag}_flag_{i:06d}"] = {"value": bool(i & 1), "metadata": {"source": "synthetic"},
                                            "updatedAt": now - i * 500}
    game["inventory"]["lastUpdatedAt"] = now


def build_large_save(n_items: int, seed: int = 0) -> bytes:
    """One valid ``save_<slot>`` value (compact JSON bytes) with ``n_items`` extra inventory items.

    About 450 bytes per item on top of the ~144 KB late-game save (10 000 items ≈ 4.7 MB).
    """
    payload = _base_payload()
    _grow(payload, max(0, int(n_items)), random.Random(seed), "big")
    return orjson.dumps(payload)


def _escaped_size(text: bytes) -> int:
    """Bytes a stored value takes inside the pretty-printed export (quotes and escapes)."""
    return len(orjson.dumps(text.decode("utf-8")))


def build_synthetic_profile(target_bytes: int, seed: int = 0) -> bytes:
    """A valid localStorage-export profile of about ``target_bytes`` (within a few per cent).

    Up to 10 manual slots and the autosave, each a late-game save grown by inventory items and
    story flags; the ``save_metadata`` index matches the payloads. Targets smaller than one
    late-game save (about 170 KB in the export) come out at that minimum size.
    """
    rng = random.Random(seed)
    base_text = _late_payload_text().encode("utf-8")
    base_escaped = _escaped_size(base_text)
    # measure what one item (plus its share of flags) adds to an escaped value
    probe = _base_payload()
    _grow(probe, 200, random.Random(seed), "probe")
    per_item = max(1.0, (_escaped_size(orjson.dumps(probe)) - base_escaped) / 200)

    overhead = 600                                             # key, index entry, indentation per slot
    n_slots = max(1, min(MAX_MANUAL_SLOTS + 1, int(target_bytes // (2 * (base_escaped + overhead)))))
    per_slot_budget = target_bytes / n_slots - base_escaped - overhead
    items_per_slot = max(0, int(per_slot_budget / per_item))

    base = _base_payload()
    start = base["timestamp"] - _SLOT_GAP_MS                 # the first slot is the late save itself
    game_start = base["timestamp"] - base["playtime"]
    profile: dict[str, str] = {}
    index: dict[str, dict] = {}
    for n in range(n_slots):
        slot_id = "autosave" if n == n_slots - 1 else f"slot{n + 1}"
        label = slot_id
        payload = _base_payload()
        payload["timestamp"] = start + (n + 1) * _SLOT_GAP_MS
        payload["playtime"] = payload["timestamp"] - game_start
        payload["slot"] = slot_id
        payload["meta"] = {"snapshotSource": "worldStateStore", "slotLabel": label}
        _grow(payload, items_per_slot, rng, f"s{n + 1:02d}")
        profile["save_" + slot_id] = orjson.dumps(payload).decode("utf-8")
        index[slot_id] = {"timestamp": payload["timestamp"], "playtime": payload["playtime"], "version": 1,
                          "slotType": "auto" if slot_id == "autosave" else "manual", "label": label,
                          "snapshotSource": "worldStateStore"}
    profile["save_metadata"] = orjson.dumps(index).decode("utf-8")
    profile["tutorial_completed"] = "true"
    return encode_profile_export(profile)
