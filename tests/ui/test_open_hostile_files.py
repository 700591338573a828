"""Opening what a disk can hand us in the real window (issue 9): a FIFO named *.json is a
located error and never wedges the one worker; later opens still run."""
from __future__ import annotations

import json
import os

import pytest

pytestmark = pytest.mark.gui

SAVE = {"version": 1, "timestamp": 1762106410000, "playtime": 10000, "slot": "slot1",
        "meta": {"snapshotSource": "worldStateStore", "slotLabel": "after the pipe"},
        "gameData": {"storyFlags": {"flags": {}}, "quests": {"byId": {}}}}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_and_the_next_open_still_runs(qtbot, window, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    failed = []
    window.sigLoadFailed.connect(lambda key, problem: failed.append(problem))
    window.open_path(str(fifo))
    qtbot.waitUntil(lambda: bool(failed) and not window.is_loading(), timeout=10000)
    assert failed[0].code == "not_a_file" and "named pipe" in failed[0].message
    good = tmp_path / "good.json"
    good.write_text(json.dumps(SAVE))
    window.open_path(str(good))
    qtbot.waitUntil(lambda: len(window.documents()) == 1 and not window.is_loading(), timeout=10000)
    assert window.documents()[0].slots[0].label == "after the pipe"
