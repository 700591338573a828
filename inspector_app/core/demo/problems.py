"""The "problems showcase" profile: a small localStorage export built to light up problem badges.

It holds one healthy save (so the rest of the profile visibly stays usable) and one of each
kind of trouble a designer may meet in a real browser profile (save-format.md §1.5, §3.14, §5):

* ``save_legacy-v0``: a pre-versioning payload (no ``slot``, no ``meta``); the game's migration
  crashes on it, so it can only be shown read-only;
* ``save_from-a-newer-build``: ``version: 2``; the game rejects it with ``future_version``;
* ``save_truncated-write``: a payload cut off mid-string, as a full quota or a killed tab leaves;
* index/payload mismatches: ``save_metadata`` lists ``lost-slot`` that has no payload, and the
  payload ``save_written-while-index-corrupt`` is missing from the index.
"""
from __future__ import annotations

import orjson

from .profile import encode_compact

LEGACY_TIMESTAMP = 1_763_900_000_000      # 2025-11-23, before the demo session
FUTURE_TIMESTAMP = 1_795_300_000_000      # after the demo session


def build_problems_profile(demo_profile: dict[str, str]) -> dict[str, str]:
    """Key -> stored string, derived from the demo profile's ``slot1`` (sorted by key)."""
    healthy_key = "save_slot1"
    healthy = orjson.loads(demo_profile[healthy_key])

    legacy = {"version": 0, "timestamp": LEGACY_TIMESTAMP, "playtime": 41_500,
              "gameData": {"storyFlags": {"act1_started": True, "met_officer_martinez": True},
                           "quests": {"case_001_hollow_case": {"status": "active"}},
                           "factions": {"reputation": {"vanguard_prime": {"fame": 25, "infamy": 15},
                                                       "wraith_network": {"fame": 10, "infamy": 30}}},
                           "tutorialComplete": False, "tutorialSkipped": False,
                           "tutorial": {"completedSteps": 3, "totalSteps": 7},
                           "inventory": {"items": [{"id": "ev_003_residue", "quantity": 1},
                                                   {"id": "credits", "quantity": 60}]},
                           "cases": None, "investigation": None}}

    future = {"version": 2, "timestamp": FUTURE_TIMESTAMP, "playtime": 5_400_000, "slot": "from-a-newer-build",
              "gameData": {"storyFlags": {"flags": {"act2_started": {"value": True, "metadata": {"source": "act1_finale"},
                                                                     "updatedAt": FUTURE_TIMESTAMP - 60_000}}}},
              "meta": {"snapshotSource": "worldStateStore", "slotLabel": "From a newer build"}}

    truncated_source = dict(healthy, slot="truncated-write", timestamp=healthy["timestamp"] + 30_000,
                            playtime=healthy["playtime"] + 30_000,
                            meta={"snapshotSource": "worldStateStore", "slotLabel": "Truncated write"})
    truncated_text = encode_compact(truncated_source)
    truncated = truncated_text[: int(len(truncated_text) * 0.6)]

    orphan = dict(healthy, slot="written-while-index-corrupt", timestamp=healthy["timestamp"] + 60_000,
                  playtime=healthy["playtime"] + 60_000,
                  meta={"snapshotSource": "worldStateStore", "slotLabel": "Written while index corrupt"})

    def entry(timestamp: int, playtime: int, version: object, label: str, source: str | None) -> dict:
        return {"timestamp": timestamp, "playtime": playtime, "version": version, "slotType": "manual",
                "label": label, "snapshotSource": source}

    index = {
        "slot1": entry(healthy["timestamp"], healthy["playtime"], 1, "slot1", "worldStateStore"),
        # the game bumps a legacy slot's index entry to 1 when it tries (and fails) to load it
        "legacy-v0": entry(LEGACY_TIMESTAMP, 41_500, 1, "legacy-v0", None),
        "from-a-newer-build": entry(FUTURE_TIMESTAMP, 5_400_000, 2, "From a newer build", "worldStateStore"),
        "truncated-write": entry(truncated_source["timestamp"], truncated_source["playtime"], 1, "Truncated write",
                                 "worldStateStore"),
        "lost-slot": entry(healthy["timestamp"] - 20_000, healthy["playtime"] - 20_000, 1, "Lost slot",
                           "worldStateStore"),
    }
    profile = {
        healthy_key: demo_profile[healthy_key],
        "save_legacy-v0": encode_compact(legacy),
        "save_from-a-newer-build": encode_compact(future),
        "save_truncated-write": truncated,
        "save_written-while-index-corrupt": encode_compact(orphan),
        "save_metadata": encode_compact(index),
    }
    return {key: profile[key] for key in sorted(profile)}
