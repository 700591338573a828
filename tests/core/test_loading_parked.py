"""Big profiles keep their slots parked (stored text only) and parse them on demand."""
from __future__ import annotations

import orjson

from inspector_app.core.demo.synthetic import build_synthetic_profile
from inspector_app.core.loading import document
from inspector_app.core.loading.loader import load_bytes
from inspector_app.core.loading.profile import PARK_SLOT_BYTES


def test_big_slots_are_parked_and_read_back_identically():
    data = build_synthetic_profile(20 * 1024 * 1024)
    doc = load_bytes(data, "synthetic.json")
    root = orjson.loads(data)
    big = [s for s in doc.slots if s.size_bytes >= PARK_SLOT_BYTES]
    assert big, "the synthetic profile has slots above the parking size"
    assert all(s.is_parked for s in big)
    for s in big:
        assert s.payload == orjson.loads(root[s.key])
        assert s.game_data is not None and s.timestamp == s.payload["timestamp"]


def test_only_a_few_parked_payloads_stay_materialised():
    doc = load_bytes(build_synthetic_profile(20 * 1024 * 1024), "synthetic.json")
    parked = [s for s in doc.slots if s.is_parked]
    for s in parked:
        assert s.payload is not None
    cached = [s for s in parked if s.is_materialised]
    assert len(cached) <= document._PAYLOAD_CACHE.capacity
    assert parked[-1].is_materialised  # the most recent one is still there


def test_small_real_saves_are_never_parked(game_fixtures):
    from inspector_app.core.loading.loader import load_path

    doc = load_path(game_fixtures / "localstorage" / "profile1-main-session.localStorage.json")
    assert doc.slots and not any(s.is_parked for s in doc.slots)


def test_the_newest_parked_slot_stays_warm_and_no_other():
    doc = load_bytes(build_synthetic_profile(20 * 1024 * 1024), "synthetic.json")
    parked = [s for s in doc.slots if s.is_parked]
    newest = max(parked, key=lambda s: s.timestamp)
    assert newest.is_materialised, "the slot a viewer shows first needs no second parse"
    assert [s for s in parked if s.is_materialised] == [newest]
