"""Synthetic big inputs for the benchmarks: valid, deterministic, close to the requested size."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from inspector_app.core.demo import build_large_save, build_synthetic_profile

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("target", [400_000, 3_000_000, 12_000_000])
def test_synthetic_profile_is_within_ten_percent_of_the_target(target):
    data = build_synthetic_profile(target)
    assert abs(len(data) - target) <= 0.10 * target


def test_synthetic_profile_is_a_valid_profile_within_the_slot_cap():
    data = build_synthetic_profile(6_000_000, seed=3)
    profile = orjson.loads(data)
    index = orjson.loads(profile["save_metadata"])
    slots = {k[len("save_"):] for k in profile if k.startswith("save_") and k != "save_metadata"}
    assert slots == set(index)
    manual = [s for s, e in index.items() if e["slotType"] == "manual"]
    assert len(manual) <= 10 and index["autosave"]["slotType"] == "auto"
    for slot in slots:
        payload = orjson.loads(profile["save_" + slot])
        assert payload["version"] == 1 and payload["slot"] == slot
        assert index[slot]["timestamp"] == payload["timestamp"]
        assert index[slot]["playtime"] == payload["playtime"]
        g = payload["gameData"]
        assert len(g["inventory"]["items"]) > 500
        assert len(g["tutorial"]["promptHistorySnapshots"]) <= 10           # bounded buffers stay bounded
        assert all(len(f["attitudeHistory"]) <= 10 for f in g["factions"]["byId"].values())


def test_synthetic_profile_is_deterministic_per_seed():
    assert build_synthetic_profile(500_000, seed=1) == build_synthetic_profile(500_000, seed=1)
    assert build_synthetic_profile(500_000, seed=1) != build_synthetic_profile(500_000, seed=2)


def test_large_save_grows_with_items_and_stays_a_payload():
    small, big = build_large_save(100), build_large_save(2_000)
    assert len(big) > len(small) + 2_000 * 300
    payload = orjson.loads(big)
    assert list(payload) == ["version", "timestamp", "playtime", "slot", "gameData", "meta"]
    ids = [item["id"] for item in payload["gameData"]["inventory"]["items"]]
    assert len(ids) == len(set(ids))


def test_make_synthetic_cli_writes_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "big.json"
    cmd = [sys.executable, str(REPO / "benchmarks" / "make_synthetic.py"), "--size-mb", "0.5", "--out", str(out)]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert abs(out.stat().st_size - 500_000) <= 50_000
    before = out.read_bytes()
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert second.returncode == 2 and "exists" in second.stderr
    assert out.read_bytes() == before
