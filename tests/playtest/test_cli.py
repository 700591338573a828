"""inspector-playtest: JSON summary on stdout, exit codes like inspector-export, files through the
shared writer pipeline (never overwritten silently), PNG charts without the UI."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from inspector_app.cli.playtest import main
from inspector_app.core.playtest.generate import generate_player

from .conftest import N_PLAYERS

REPO = Path(__file__).resolve().parents[2]
TEXT = ["--format", "md,csv,json"]      # in-process runs leave PNG (Qt) to the subprocess test


def _run(capsys, *args: str) -> tuple[int, dict, str]:
    code = main([*args])
    out, err = capsys.readouterr()
    return code, orjson.loads(out) if out.strip() else {}, err


def test_cli_in_a_subprocess_writes_every_format_and_prints_json(playtest_folder, tmp_path):
    env = {**os.environ, "TELEMETRY_INSPECTOR_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "report"
    proc = subprocess.run([sys.executable, "-m", "inspector_app", "playtest", str(playtest_folder), "--out", str(out)],
                          cwd=REPO, capture_output=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    doc = orjson.loads(proc.stdout)
    assert doc["status"] == "ok" and doc["exitCode"] == 0
    assert doc["playtest"]["players"] == N_PLAYERS and doc["playtest"]["read"] == N_PLAYERS
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["ci-artifacts.json", "playtest-report.md", "playtest-report.json", "playtest-funnel.csv",
                            "playtest-quests.csv", "playtest-factions.csv", "playtest-players.csv",
                            "playtest-funnel.png", "playtest-factions.png", "playtest-playtime.png"])
    for png in out.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    manifest = orjson.loads((out / "ci-artifacts.json").read_bytes())
    assert {a["filename"] for a in manifest["artifacts"]} == set(names) - {"ci-artifacts.json"}
    # a re-run reads nothing (cache) and finds every file identical
    again = subprocess.run([sys.executable, "-m", "inspector_app", "playtest", str(playtest_folder), "--out",
                            str(out)], cwd=REPO, capture_output=True, timeout=120, env=env)
    assert again.returncode == 0, again.stderr.decode()[-3000:]
    doc2 = orjson.loads(again.stdout)
    assert doc2["status"] == "unchanged" and doc2["playtest"]["read"] == 0 and doc2["playtest"]["cached"] == N_PLAYERS


def test_no_silent_overwrite_and_exit_codes(playtest_folder, tmp_path, capsys):
    folder = tmp_path / "players"
    shutil.copytree(playtest_folder, folder)
    out = tmp_path / "out"
    code, doc, _ = _run(capsys, str(folder), "--out", str(out), *TEXT, "--no-cache")
    assert code == 0 and doc["status"] == "ok"
    before = (out / "playtest-report.md").read_bytes()
    (folder / "player-0100.localStorage.json").write_bytes(generate_player(100, behaviour="skip"))
    code, doc, err = _run(capsys, str(folder), "--out", str(out), *TEXT, "--no-cache")
    assert code == 0 and doc["status"] == "nothing-written"     # like inspector-export: read `status`
    assert (out / "playtest-report.md").read_bytes() == before
    assert any(a["status"] == "failed" and "exists" in (a["reason"] or "") for a in doc["artifacts"])
    code, doc, _ = _run(capsys, str(folder), "--out", str(out), *TEXT, "--no-cache", "--fail-on-writer-error")
    assert code == 3 and doc["exitCode"] == 3
    code, doc, _ = _run(capsys, str(folder), "--out", str(out), *TEXT, "--no-cache", "--overwrite")
    assert code == 0 and doc["status"] == "ok" and doc["playtest"]["players"] == N_PLAYERS + 1
    assert (out / "playtest-report.md").read_bytes() != before


def test_bad_profiles_are_listed_not_fatal(playtest_folder, tmp_path, capsys):
    folder = tmp_path / "players"
    shutil.copytree(playtest_folder, folder)
    (folder / "garbage.json").write_bytes(b"{\"save_slot1\": ")
    code, doc, err = _run(capsys, str(folder), "--out", str(tmp_path / "out"), *TEXT, "--no-cache")
    assert code == 0
    assert doc["playtest"]["excluded"] == ["garbage"] and doc["playtest"]["included"] == N_PLAYERS
    assert "left out garbage" in err and "garbage.json" in err
    md = (tmp_path / "out" / "playtest-report.md").read_text()
    assert "**garbage**" in md


@pytest.mark.parametrize("args, message", [
    (["{missing}", "--out", "{out}"], "no such file or folder"),
    (["{empty}", "--out", "{out}"], "no profiles found"),
    (["{folder}", "--out", "{out}", "--format", "pdf"], "unknown format"),
    (["{folder}", "--out", "{out}", "--workers", "0"], "--workers"),
    (["{folder}", "--out", "{out}", "--scheduler", "localhost:8786"], "tcp://HOST:PORT"),
    (["{folder}"], "--out"),
])
def test_bad_arguments_exit_2(playtest_folder, tmp_path, capsys, args, message):
    (tmp_path / "empty").mkdir()
    values = {"missing": str(tmp_path / "missing"), "empty": str(tmp_path / "empty"), "folder": str(playtest_folder),
              "out": str(tmp_path / "out")}
    code, doc, err = _run(capsys, *[a.format(**values) for a in args])
    assert code == 2 and doc == {}
    assert message in err
    assert not (tmp_path / "out").exists()


def test_unreachable_scheduler_exits_2(playtest_folder, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "inspector_app", "playtest", str(playtest_folder), "--out",
                           str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in proc.stderr
    assert proc.stdout == "" and not (tmp_path / "out").exists()


def test_a_report_written_inside_its_input_folder_is_not_read_back_as_players(playtest_folder, tmp_path, capsys):
    folder = tmp_path / "players"
    shutil.copytree(playtest_folder, folder)
    out = folder / "report"            # --out inside the playtest: its JSON files sit among the profiles
    code, doc, _ = _run(capsys, str(folder), "--out", str(out), *TEXT, "--no-cache")
    assert code == 0 and doc["playtest"]["players"] == N_PLAYERS
    assert (out / "ci-artifacts.json").is_file() and (out / "playtest-report.json").is_file()
    code, doc, err = _run(capsys, str(folder), "--out", str(out), *TEXT, "--no-cache", "--overwrite")
    assert code == 0 and doc["status"] == "ok"      # the report now says what it skipped (below)
    assert doc["playtest"]["players"] == N_PLAYERS and doc["playtest"]["excluded"] == []
    assert "not read as players: ci-artifacts.json, playtest-report.json" in err
    # a JSON file the manifest does not list is still a player, even beside a manifest
    (out / "player-0200.localStorage.json").write_bytes(generate_player(200, behaviour="complete"))
    code, doc, _ = _run(capsys, str(folder), "--out", str(tmp_path / "elsewhere"), *TEXT, "--no-cache")
    assert code == 0 and doc["playtest"]["players"] == N_PLAYERS + 1
