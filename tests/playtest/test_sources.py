"""Playtest sources beyond plain files: browser profile folders (via core/browser) and fsspec URLs."""
from __future__ import annotations

import orjson
import pytest

from inspector_app.core.playtest import discover_sources, run_playtest
from inspector_app.core.playtest.generate import generate_player

from browser.leveldb_writer import write_chromium_db  # tests/browser (tests/ is on sys.path)

ORIGIN = "http://localhost:5173"


def _storage(seed: int) -> dict[str, str]:
    return orjson.loads(generate_player(seed, behaviour="skip"))


def test_browser_profile_folders_are_players(tmp_path, playtest_folder):
    players = tmp_path / "playtest"
    players.mkdir()
    (players / "alice.localStorage.json").write_bytes((playtest_folder / "player-0000.localStorage.json").read_bytes())
    write_chromium_db(players / "bob" / "Default" / "Local Storage" / "leveldb", ORIGIN, _storage(3))
    sources, problems = discover_sources([players])
    assert not problems
    assert [(s.player_id, s.kind) for s in sources] == [("alice", "file"), ("bob", "browser")]
    run = run_playtest([players], cache=False)
    bob = run.report.player("bob")
    assert bob is not None and not bob.excluded and bob.kind == "browser"
    assert bob.tutorial_status == "skipped" and bob.saves >= 1
    assert ORIGIN in bob.label
    assert dict(run.report.tutorial)["skipped"].players == ("bob",)


def test_fsspec_urls_are_read_when_fsspec_is_installed(tmp_path, playtest_folder):
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    for name in ("player-0000.localStorage.json", "player-0001.localStorage.json"):
        fs.pipe(f"/playtest-test/{name}", (playtest_folder / name).read_bytes())
    try:
        # memory:// lives in this process: one worker, so the profiles are read here
        run = run_playtest(["memory://playtest-test"], workers=1, cache=False)
        local = run_playtest([playtest_folder / "player-0000.localStorage.json",
                              playtest_folder / "player-0001.localStorage.json"], workers=1, cache=False)
    finally:
        fs.rm("/playtest-test", recursive=True)
    assert [s.kind for s in run.sources] == ["url", "url"]
    assert [r.player_id for r in run.report.players] == ["player-0000", "player-0001"]
    assert run.report.funnel == local.report.funnel and run.report.factions == local.report.factions
    missing, problems = discover_sources(["memory://no-such-playtest"])
    assert not missing and problems[0].code == "not_found"
