"""Real Chromium and Firefox write the game's localStorage; the app reads it back byte for byte.

The page writes every key of ``profile1-main-session.localStorage.json`` (non-ASCII text
included) through ``localStorage.setItem``. Cases: after a clean shutdown; while the browser
runs and holds its lock; after the browser is killed; after keys are overwritten and removed;
with values large enough to be compressed. Marked ``browser``; skipped without the browsers
unless ``CI`` is set (packaging/bootstrap.sh installs them).
"""
from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from inspector_app.core.browser.discovery import profiles_at
from inspector_app.core.browser.leveldb import FOOTER_SIZE, block_entries, read_block, read_varint
from inspector_app.core.browser.storage import list_origins, read_profile
from inspector_app.core.loading.document import DocumentKind
from inspector_app.core.loading.loader import load_path

from . import real_browsers as rb

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

UPDATE = """
localStorage.setItem('save_slot1', DATA.slot1);
localStorage.removeItem('save_slot2');
localStorage.setItem('save_new', DATA.slot1);
localStorage.setItem('label_latin1', 'Café crème ü');
localStorage.setItem('save_metadata', DATA.metadata);
"""
KEEP_WRITING = rb.WRITE_ALL + """
let n = 0;
setInterval(() => { localStorage.setItem('tick', String(n++)); }, 200);
"""


@pytest.fixture(scope="module")
def profile_items(game_fixtures) -> dict[str, str]:
    return json.loads((game_fixtures / "localstorage" / "profile1-main-session.localStorage.json")
                      .read_text(encoding="utf-8"))


@pytest.fixture
def server():
    srv = rb.PageServer()
    yield srv
    srv.close()


def _items(path: Path, origin: str) -> dict[str, str]:
    for profile in profiles_at(path):
        for o in read_profile(profile):
            if o.origin == origin:
                return o.items
    return {}


def _listing(folder: Path) -> str:
    """What a browser left in its profile folder (for a failure message)."""
    if not folder.is_dir():
        return f"{folder}: missing"
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return f"{folder}: " + ", ".join(f"{p.relative_to(folder)} ({p.stat().st_size} B)" for p in files[:200])


def _wait_for(condition, what: str, timeout_s: float = 90.0, folder: Path | None = None) -> None:
    """Poll a condition (like qtbot.waitUntil) until it holds or the deadline passes; a timeout
    lists what the browser wrote to ``folder`` so far."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout_s:g} s waiting for {what}"
                        + (f"\n{_listing(folder)}" if folder is not None else ""))
        time.sleep(0.2)


def _check_document(path: Path, items: dict[str, str], origin: str) -> None:
    doc = load_path(path, origin=origin)
    assert doc.kind is DocumentKind.PROFILE
    assert {s.key for s in doc.slots} == {k for k in items if k.startswith("save_") and k != "save_metadata"}
    assert doc.source is not None and origin in doc.source
    assert not [p for p in doc.all_problems if p.code.startswith("browser_record")]


def _updated(items: dict[str, str]) -> dict[str, str]:
    out = dict(items)
    out["save_slot1"] = items["save_slot1"]
    del out["save_slot2"]
    out["save_new"] = items["save_slot1"]
    out["label_latin1"] = "Café crème ü"
    return out


def _lock_is_held(leveldb: Path) -> bool:
    fd = os.open(leveldb / "LOCK", os.O_RDONLY)
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _table_block_kinds(table: Path) -> set[int]:
    data = table.read_bytes()
    foot = len(data) - FOOTER_SIZE
    _, pos = read_varint(data, foot)
    _, pos = read_varint(data, pos)
    index_off, pos = read_varint(data, pos)
    index_size, _ = read_varint(data, pos)
    index = read_block(data, index_off, index_size)
    kinds = set()
    for _k, handle in block_entries(index):
        off, p = read_varint(handle, 0)
        size, _ = read_varint(handle, p)
        kinds.add(data[off + size])
    return kinds


def _snapshot_stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


# --------------------------------------------------------------------------- Chromium
def test_chromium_clean_shutdown_then_overwrite_remove_and_compaction(tmp_path, server, profile_items):
    binary = rb.require(rb.CHROMIUM, "chromium")
    data_dir = tmp_path / "chromium"
    rb.chromium_run(binary, data_dir, server.page("write", profile_items))
    assert server.done["write"].is_set()
    leveldb = data_dir / "Default" / "Local Storage" / "leveldb"
    before = _snapshot_stamps(leveldb)
    assert _items(data_dir, server.origin) == profile_items            # every key, byte for byte
    assert _snapshot_stamps(leveldb) == before                           # reading changed nothing
    _check_document(data_dir, profile_items, server.origin)

    # A second session overwrites and removes keys; opening the database again compacts the
    # first session's log into a Snappy-compressed table, so both file kinds are read.
    rb.chromium_run(binary, data_dir, server.page("update", {"slot1": profile_items["save_slot1"],
                                                             "metadata": profile_items["save_metadata"]}, UPDATE))
    assert server.done["update"].is_set()
    tables = sorted(leveldb.glob("*.ldb"))
    assert tables, "the reopened database should hold a table file"
    assert 1 in set().union(*(_table_block_kinds(t) for t in tables))   # Snappy blocks really read
    items = _items(data_dir, server.origin)
    assert items == _updated(profile_items)
    assert "save_slot2" not in items
    doc = load_path(leveldb)
    assert doc.slot("slot2") is None and doc.slot("new") is not None
    assert doc.profile_flags["label_latin1"] == "Café crème ü"


def test_chromium_running_with_lock_then_killed(tmp_path, server, profile_items):
    binary = rb.require(rb.CHROMIUM, "chromium")
    data_dir = tmp_path / "chromium"
    proc = rb.chromium_start(binary, data_dir, server.page("keep", profile_items, KEEP_WRITING))
    try:
        assert server.done["keep"].wait(90), "the page did not run"
        leveldb = data_dir / "Default" / "Local Storage" / "leveldb"

        def committed() -> bool:
            items = _items(data_dir, server.origin) if leveldb.is_dir() else {}
            return {k: v for k, v in items.items() if k != "tick"} == profile_items and "tick" in items

        _wait_for(committed, "Chromium to commit localStorage to disk", folder=data_dir)
        assert proc.poll() is None and _lock_is_held(leveldb)            # still running, lock held
        _check_document(data_dir, {**profile_items, "tick": "0"}, server.origin)
    finally:
        rb.stop(proc, signal.SIGKILL)                                      # killed: no clean shutdown
    assert not list(leveldb.glob("*.ldb"))                                 # the data is only in the log
    items = _items(data_dir, server.origin)
    assert {k: v for k, v in items.items() if k != "tick"} == profile_items
    _check_document(data_dir, {**profile_items, "tick": "0"}, server.origin)


# --------------------------------------------------------------------------- Firefox
def _firefox_ls(profile: Path, origin: str) -> Path:
    return profile / "storage" / "default" / origin.replace("://", "+++").replace(":", "+") / "ls"


def test_firefox_clean_shutdown_compressed_then_overwrite_and_remove(tmp_path, server, profile_items):
    binary = rb.require(rb.FIREFOX, "firefox-esr")
    profile = tmp_path / "firefox"
    rb.firefox_run(binary, profile, server.page("write", profile_items))
    assert server.done["write"].is_set()
    ls = _firefox_ls(profile, server.origin)
    before = _snapshot_stamps(ls)
    assert _items(profile, server.origin) == profile_items
    assert _snapshot_stamps(ls) == before
    _check_document(profile, profile_items, server.origin)
    con = sqlite3.connect(f"{(ls / 'data.sqlite').as_uri()}?mode=ro", uri=True)   # test-only look
    kinds = dict(con.execute("SELECT key, compression_type FROM data"))
    con.close()
    assert kinds["save_slot2"] == 1 and kinds["tutorial_completed"] == 0           # Snappy-compressed saves

    rb.firefox_run(binary, profile, server.page("update", {"slot1": profile_items["save_slot1"],
                                                           "metadata": profile_items["save_metadata"]}, UPDATE))
    assert server.done["update"].is_set()
    assert _items(profile, server.origin) == _updated(profile_items)
    assert load_path(profile).slot("slot2") is None


def test_firefox_running_then_killed(tmp_path, server, profile_items):
    binary = rb.require(rb.FIREFOX, "firefox-esr")
    profile = tmp_path / "firefox"
    proc = rb.firefox_start(binary, profile, server.page("keep", profile_items, KEEP_WRITING))
    try:
        assert server.done["keep"].wait(90), "the page did not run"

        def committed() -> bool:
            if not _firefox_ls(profile, server.origin).is_dir():
                return False
            items = _items(profile, server.origin)
            return {k: v for k, v in items.items() if k != "tick"} == profile_items

        _wait_for(committed, "Firefox to write localStorage to disk", folder=profile)
        assert proc.poll() is None
        _check_document(profile, {**profile_items, "tick": "0"}, server.origin)
    finally:
        rb.stop(proc, signal.SIGKILL)
    items = _items(profile, server.origin)
    assert {k: v for k, v in items.items() if k != "tick"} == profile_items
    assert [o.origin for o in list_origins(profile)] == [server.origin]


def test_firefox_default_profile_is_found_and_named_as_profiles_ini_names_it(tmp_path, server, profile_items):
    """A fresh Firefox (no --profile) makes its default profile and profiles.ini itself — the
    layout on a user's machine (this ESR: under ~/.config/mozilla/firefox). Discovery finds it
    and names it by profiles.ini's Name= ("default-esr"), not by its random folder name."""
    from inspector_app.core.browser.discovery import discover_profiles, firefox_profile_names

    binary = rb.require(rb.FIREFOX, "firefox-esr")
    home = tmp_path / "home"
    rb.firefox_run_as_installed(binary, home, server.page("write", profile_items))
    assert server.done["write"].is_set()
    found = [p for p in discover_profiles(home=home, env={}, platform="linux") if p.browser == "Firefox"]
    inis = {p.profile_dir.parent / "profiles.ini" for p in found}
    assert len(inis) == 1 and next(iter(inis)).is_file()
    registered = firefox_profile_names(next(iter(inis)).parent)
    with_saves = list_origins(profiles=found)
    assert [o.origin for o in with_saves] == [server.origin]
    profile = with_saves[0].profile
    assert profile.name == registered[profile.profile_dir] and profile.name != profile.folder_name
    assert profile.folder_name.endswith("." + profile.name)          # e.g. gxwerbxy.default-esr
    assert with_saves[0].items == profile_items
    assert [p.name for p in profiles_at(profile.profile_dir)] == [profile.name]
    assert load_path(profile.profile_dir).source == f"Firefox · {profile.name} · {server.origin}"


def test_chromium_profile_is_named_as_its_local_state_names_it(tmp_path, server, profile_items):
    """Real Chromium writes ``Local State`` beside its profiles; the profile goes by the name
    in it (what the browser's profile menu shows), its folder stays available."""
    from inspector_app.core.browser.discovery import chromium_profile_names

    binary = rb.require(rb.CHROMIUM, "chromium")
    user_data = tmp_path / "chromium"
    rb.chromium_run(binary, user_data, server.page("write", {"save_slot2": profile_items["save_slot2"]}))
    names = chromium_profile_names(user_data)
    assert names.get("Default")
    (profile,) = profiles_at(user_data)
    assert (profile.name, profile.folder_name) == (names["Default"], "Default")
    assert load_path(user_data / "Default").source == f"Chromium · {names['Default']} · {server.origin}"
