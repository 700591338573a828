"""The command line accepts a browser profile or storage folder (validate, export, --origin)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .leveldb_writer import batch, chromium_key, chromium_string, log_bytes, write_chromium_db
from .test_leveldb_reader import INDEX, ORIGIN, SAVE

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "inspector_app", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=120)


def test_validate_a_chromium_profile_folder(tmp_path):
    profile = tmp_path / "Default"
    write_chromium_db(profile / "Local Storage" / "leveldb", ORIGIN, {"save_metadata": INDEX, "save_slot2": SAVE})
    r = _run("validate", str(profile), "--json")
    assert r.returncode == 0, r.stderr
    [result] = json.loads(r.stdout)
    assert result["kind"] == "profile" and [s["slot_id"] for s in result["slots"]] == ["slot2"]
    assert ORIGIN in result["source"]
    text = _run("validate", str(profile))
    assert text.returncode == 0 and f"read from Chromium · Default · {ORIGIN}" in text.stdout


def test_several_origins_need_origin_for_validate_and_export(tmp_path):
    folder = tmp_path / "Default" / "Local Storage" / "leveldb"
    folder.mkdir(parents=True)
    records = [batch(1 + i, [(chromium_key(o, "save_slot2"), chromium_string(SAVE))])
               for i, o in enumerate(("http://a.test", "http://b.test"))]
    (folder / "000003.log").write_bytes(log_bytes(records))
    r = _run("validate", str(folder))
    assert r.returncode == 2 and "http://a.test" in r.stdout and "--origin" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr
    assert _run("validate", str(folder), "--origin", "http://a.test").returncode == 0
    out = tmp_path / "out"
    e = _run("export", str(folder), "--slot", "slot2", "--out", str(out), "-q")
    assert e.returncode != 0 and "--origin" in e.stderr + e.stdout
    e = _run("export", str(folder), "--origin", "http://b.test", "--slot", "slot2", "--out", str(out), "-q")
    assert e.returncode == 0, e.stderr
    assert any(p.name.endswith(".json") for p in out.iterdir())


def test_gui_command_line_opens_a_profile_folder_with_origin(tmp_path):
    folder = tmp_path / "Default" / "Local Storage" / "leveldb"
    folder.mkdir(parents=True)
    records = [batch(1, [(chromium_key("http://a.test", "save_slot2"), chromium_string(SAVE))]),
               batch(2, [(chromium_key("http://b.test", "save_slot9"), chromium_string(SAVE))])]
    (folder / "000003.log").write_bytes(log_bytes(records))
    state, shot = tmp_path / "state.json", tmp_path / "shot.png"
    r = subprocess.run([sys.executable, "-m", "inspector_app", str(folder), "--origin", "http://b.test",
                        "--report-state", str(state), "--screenshot", str(shot)], cwd=REPO, capture_output=True,
                       text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr
    labels = json.loads(state.read_text(encoding="utf-8"))["slotList"]["labels"]
    assert any("slot9" in str(label) for label in labels) and not any("slot2" in str(label) for label in labels)
