"""Follow live: reload after writes settle, retry half-written input, keep a vanished input's
content, keep the selected slot and the tree's expansion; a real Chromium writes a new save
while the window is open."""
from __future__ import annotations

import json
import signal
import threading
import shutil

import pytest
from PySide6.QtCore import Qt

from inspector_app.core.browser.storage import list_origins
from inspector_app.core.browser.follow import Gone, HalfWritten, ReloadChanges, compare_documents, reload_document
from inspector_app.core.diff.structural import diff_json
from inspector_app.core.loading.loader import load_path

from . import real_browsers as rb
from .leveldb_writer import batch, chromium_key, chromium_string, log_bytes, write_chromium_db
from .test_leveldb_reader import INDEX, ORIGIN, SAVE

SAVE3 = SAVE.replace('"slot":"slot2"', '"slot":"slot3"').replace("384000", "999000")


def _db(folder, items):
    if folder.exists():
        shutil.rmtree(folder)
    write_chromium_db(folder, ORIGIN, items)


def test_compare_and_reload(tmp_path):
    folder = tmp_path / "Default" / "Local Storage" / "leveldb"
    _db(folder, {"save_metadata": INDEX, "save_slot2": SAVE})
    old = load_path(folder)
    _db(folder, {"save_metadata": INDEX, "save_slot2": SAVE.replace("384000", "385000"), "save_slot3": SAVE3})
    new, changes = reload_document(folder, None, old, focus_key="save_slot2")
    assert [s.key for s in new.slots] == ["save_slot2", "save_slot3"]
    assert changes.added == ["save_slot3"] and changes.changed == ["save_slot2"] and not changes.removed
    assert changes.focus_diff is not None and [e.path for e in changes.focus_diff.entries] == [("playtime",)]
    assert "new slot save_slot3" in changes.describe() and "$.playtime" in changes.describe()
    assert compare_documents(new, new).is_empty


def test_half_written_and_gone(tmp_path):
    folder = tmp_path / "Default" / "Local Storage" / "leveldb"
    folder.mkdir(parents=True)
    full = log_bytes([batch(1, [(chromium_key(ORIGIN, "save_slot2"), chromium_string(SAVE))]),
                      batch(2, [(chromium_key(ORIGIN, "save_slot3"), chromium_string(SAVE3 * 200))])])
    (folder / "000003.log").write_bytes(full[:-50])            # the browser is mid-write
    with pytest.raises(HalfWritten):
        reload_document(folder, None, None)
    plain = tmp_path / "profile.json"
    plain.write_text(json.dumps({"save_slot2": SAVE})[:-20])   # a replaced file caught half-written
    with pytest.raises(HalfWritten):
        reload_document(plain, None, None)
    plain.unlink()
    with pytest.raises(Gone):
        reload_document(plain, None, None)


@pytest.mark.gui
def test_window_follows_a_profile_and_keeps_selection_and_expansion(qtbot, window, tmp_path):
    folder = tmp_path / "Default" / "Local Storage" / "leveldb"
    _db(folder, {"save_metadata": INDEX, "save_slot2": SAVE})
    window.follower.debounce_ms = 50
    with qtbot.waitSignal(window.sigDocumentLoaded, timeout=15000):
        window.open_path(folder)
    qtbot.waitUntil(lambda: window.current_row() is not None and window.current_row().slot is not None)
    insp = window.state_inspector
    meta = insp.model.index_for_path(("meta",))
    insp.tree.expand(meta)
    insp.tree.setCurrentIndex(insp.model.index_for_path(("playtime",)))
    assert str(folder) in window.follower.followed_paths()

    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as reloaded:
        _db(folder, {"save_metadata": INDEX, "save_slot2": SAVE, "save_slot3": SAVE3})
    doc, changes = reloaded.args
    assert changes.added == ["save_slot3"]
    assert [r.slot.key for r in window.slot_model.rows() if r.slot] == ["save_slot2", "save_slot3"]
    qtbot.waitUntil(lambda: window.current_row() is not None and window.current_row().document is doc)
    assert window.current_row().slot.key == "save_slot2"
    assert insp.tree.isExpanded(insp.model.index_for_path(("meta",)))
    assert insp.current_path() == ("playtime",)
    assert "new slot save_slot3" in window.banner.text()

    with qtbot.waitSignal(window.follower.sigGone, timeout=20000):
        shutil.rmtree(folder.parent.parent.parent)
    assert window.documents() == [doc]                          # the last content stays
    assert "gone" in window.banner.text()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.gui
@pytest.mark.timeout(300)
def test_real_firefox_writes_a_new_save_while_the_window_is_open(qtbot, window, tmp_path, game_fixtures):
    # Firefox, because Chromium rate-limits localStorage commits after a burst (the second commit
    # can take a minute); the Chromium reader is covered live in test_real_browsers.py.
    binary = rb.require(rb.FIREFOX, "firefox-esr")
    items = json.loads((game_fixtures / "localstorage" / "profile1-main-session.localStorage.json")
                       .read_text(encoding="utf-8"))
    server = rb.PageServer()
    script = rb.WRITE_ALL + """
fetch('/wait/live').then(() => { localStorage.setItem('save_live', DATA.save_slot1); });
"""
    proc = rb.firefox_start(binary, tmp_path / "firefox", server.page("live", items, script))
    try:
        assert server.done["live"].wait(90)
        profile = tmp_path / "firefox"

        def committed() -> bool:       # Chromium commits localStorage to disk a few seconds after the writes
            return (profile / "storage" / "default").is_dir() and \
                any(o.items.get("save_slot2") == items["save_slot2"] for o in list_origins(profile))

        qtbot.waitUntil(committed, timeout=90000)

        def opened() -> bool:
            return any(d.slot("save_slot2") for d in window.documents())

        window.follower.debounce_ms = 200
        window.open_path(profile)
        qtbot.waitUntil(opened, timeout=60000)
        qtbot.waitUntil(lambda: window.current_row() is not None and window.current_row().slot is not None)
        key = window.current_row().slot.key
        insp = window.state_inspector
        insp.tree.expand(insp.model.index_for_path(("gameData",)))
        server.gates.setdefault("live", threading.Event()).set()
        qtbot.waitUntil(lambda: any(d.slot("save_live") for d in window.documents()), timeout=90000)
        qtbot.waitUntil(lambda: window.current_row() is not None
                        and window.current_row().document.slot("save_live") is not None)
        assert window.current_row().slot.key == key
        assert insp.tree.isExpanded(insp.model.index_for_path(("gameData",)))
        assert window.documents()[0].slot("save_live").payload == json.loads(items["save_slot1"])
    finally:
        rb.stop(proc, signal.SIGKILL)
        server.close()


def test_changed_paths_for_the_tree(tmp_path):
    old = {"a": {"x": 1, "gone": "bye"}, "list": [1, 2], "same": True}
    new = {"a": {"x": 2, "new": None}, "list": [1, 2, 3], "same": True}
    changes = ReloadChanges(changed=["s"], focus_key="s", focus_diff=diff_json(old, new))
    paths = changes.changed_paths()
    assert paths[("a", "x")] == "1 → 2"
    assert paths[("a", "new")] == "added: null"
    assert paths[("a",)] == 'removed gone: "bye"'          # a removal marks its container
    assert paths[("list", 2)] == "added: 3"
    assert ("same",) not in paths
    assert ReloadChanges().changed_paths() == {}


@pytest.mark.gui
def test_a_reload_without_changes_keeps_following(qtbot, window, tmp_path):
    plain, doc = _open_followed_profile(qtbot, window, tmp_path)
    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as same:
        plain.write_text(json.dumps({"save_metadata": INDEX, "save_slot2": SAVE}))    # touched, same content
    assert same.args[1].is_empty and window.documents() == [doc]
    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as changed:
        plain.write_text(json.dumps({"save_metadata": INDEX, "save_slot2": SAVE, "save_slot3": SAVE3}))
    assert changed.args[1].added == ["save_slot3"]
    assert window.documents() == [changed.args[0]]


def _open_followed_profile(qtbot, window, tmp_path):
    """A one-slot profile file, opened and followed (short debounce); returns (path, document)."""
    plain = tmp_path / "profile.json"
    plain.write_text(json.dumps({"save_metadata": INDEX, "save_slot2": SAVE}))
    window.follower.debounce_ms = 50
    with qtbot.waitSignal(window.sigDocumentLoaded, timeout=15000):
        window.open_path(plain)
    return plain, window.documents()[0]


def _reload_starts(window, monkeypatch) -> list[str]:
    """Counts the follower's reload tasks (it reads through core.browser.follow.reload_document)."""
    from inspector_app.core.browser import follow as core_follow

    starts: list[str] = []
    real = core_follow.reload_document

    def counting(path, *args, **kwargs):
        starts.append(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(core_follow, "reload_document", counting)
    return starts


@pytest.mark.gui
def test_other_files_in_the_folder_do_not_reload_and_a_burst_reloads_once(qtbot, window, tmp_path, monkeypatch):
    plain, doc = _open_followed_profile(qtbot, window, tmp_path)
    starts = _reload_starts(window, monkeypatch)
    # the game writes its other saves (and temporaries) into the same folder: nothing to re-read
    with qtbot.waitSignal(window.follower.sigUnchanged, timeout=20000) as unchanged:
        (tmp_path / "save_slot1.json").write_text("{}")
        (tmp_path / "other.part").write_text("x" * 1000)
    assert unchanged.args == [str(plain)]
    assert starts == [] and window.documents() == [doc]
    # a burst of writes to the followed file itself: one reload, with the last content
    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as reloaded:
        for n in range(5):
            extra = {f"save_slot{3 + i}": SAVE3 for i in range(n + 1)}
            plain.write_text(json.dumps({"save_metadata": INDEX, "save_slot2": SAVE, **extra}))
    qtbot.waitUntil(lambda: not window.follower._followed[str(plain)].task)
    assert starts == [str(plain)]
    assert reloaded.args[1].added == [f"save_slot{3 + i}" for i in range(5)]
    assert window.documents() == [reloaded.args[0]]


@pytest.mark.gui
def test_a_browser_folder_reloads_only_when_its_storage_changes(qtbot, window, tmp_path, monkeypatch):
    folder = tmp_path / "Default" / "Local Storage" / "leveldb"
    _db(folder, {"save_metadata": INDEX, "save_slot2": SAVE})
    window.follower.debounce_ms = 50
    with qtbot.waitSignal(window.sigDocumentLoaded, timeout=15000):
        window.open_path(folder)
    starts = _reload_starts(window, monkeypatch)
    with qtbot.waitSignal(window.follower.sigUnchanged, timeout=20000):
        (folder / "LOCK").write_text("")             # the browser's lock and log files are not read
        (folder / "LOG").write_text("opened")
    assert starts == []
    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as reloaded:
        _db(folder, {"save_metadata": INDEX, "save_slot2": SAVE, "save_slot3": SAVE3})
    assert starts == [str(folder)] and reloaded.args[1].added == ["save_slot3"]


@pytest.mark.gui
def test_a_reload_shows_progress_and_can_be_cancelled(qtbot, window, tmp_path, monkeypatch):
    from inspector_app.core.browser import follow as core_follow
    from inspector_app.core.common.progress import Cancelled

    plain, doc = _open_followed_profile(qtbot, window, tmp_path)
    started = threading.Event()
    real = core_follow.reload_document

    def slow(path, origin, old, focus_key=None, progress=None, cancelled=None):
        progress(1, 4, "")
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        raise Cancelled("reload cancelled")

    monkeypatch.setattr(core_follow, "reload_document", slow)
    plain.write_text(json.dumps({"save_metadata": INDEX, "save_slot2": SAVE, "save_slot3": SAVE3}))
    qtbot.waitUntil(lambda: started.is_set() and window.progress.isVisible())
    assert window.progress.format().startswith("Reloading profile.json")
    assert window.cancel_button.isVisible()
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.progress.isVisible())
    assert "cancelled" in window.statusBar().currentMessage() and window.documents() == [doc]
    # the input still differs from what is shown: the next change reads it
    monkeypatch.setattr(core_follow, "reload_document", real)
    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as reloaded:
        plain.write_text(json.dumps({"save_metadata": INDEX, "save_slot2": SAVE, "save_slot3": SAVE3,
                                     "save_slot4": SAVE3}))
    assert reloaded.args[1].added == ["save_slot3", "save_slot4"]


@pytest.mark.gui
def test_a_chromium_profile_folder_follows_its_local_storage_written_in_place(qtbot, window, tmp_path):
    """The user opened the profile (``Default``); the browser rewrites ``Local Storage/leveldb``'s
    log in place and nothing at the top of the profile changes: the reload still comes (the
    document is the storage folder the reader found, and that is what is followed)."""
    profile = tmp_path / "Default"
    folder = profile / "Local Storage" / "leveldb"
    write_chromium_db(folder, ORIGIN, {"save_metadata": INDEX, "save_slot2": SAVE})
    (profile / "Preferences").write_text("{}")
    window.follower.debounce_ms = 50
    with qtbot.waitSignal(window.sigDocumentLoaded, timeout=15000):
        window.open_path(profile)
    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as reloaded:
        write_chromium_db(folder, ORIGIN, {"save_metadata": INDEX, "save_slot2": SAVE, "save_slot3": SAVE3})
    assert reloaded.args[1].added == ["save_slot3"]


def test_taking_a_stamp_loads_no_reader_and_no_diff():
    """Follow Live stamps every opened file on the GUI thread (session 6: importing
    ``core.browser.follow`` for that cost 34 ms of the demo profile's first open — the loaders,
    the diff, sqlite). ``core.browser.stamp`` is a ``stat``: it imports nothing heavy, and the
    package's own names still resolve when asked for."""
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    code = (
        "import sys\n"
        "from inspector_app.core.browser.stamp import input_stamp\n"
        "stamp = input_stamp('pyproject.toml')\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('inspector_app.core.diff', 'inspector_app.core.loading',"
        " 'sqlite3')) or m in ('inspector_app.core.browser.storage', 'inspector_app.core.browser.follow'))\n"
        "print(heavy, stamp is not None and len(stamp) == 3)\n"
        "from inspector_app.core.browser import list_origins, profiles_at\n"
        "print(callable(list_origins) and callable(profiles_at))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[] True", "True"]


@pytest.mark.gui
def test_a_write_during_the_open_reloads(qtbot, window, tmp_path, monkeypatch):
    """The game writes the save while the window is still reading it (after the loader read the
    bytes, before the follower watches the file): no change notification comes for that write,
    and the stamp the follower keeps is of the bytes read — so it reloads the new content at once."""
    from inspector_app.core.loading import loader

    plain = tmp_path / "profile.json"
    plain.write_text(json.dumps({"save_metadata": INDEX, "save_slot2": SAVE}))
    real = loader.load_path
    written: list[str] = []

    def load_then_the_game_writes(path, *args, **kwargs):
        doc = real(path, *args, **kwargs)
        if not written:            # once: the open's read, not the follower's reload
            plain.write_text(json.dumps({"save_metadata": INDEX, "save_slot2": SAVE, "save_slot3": SAVE3}))
            written.append(str(path))
        return doc

    monkeypatch.setattr(loader, "load_path", load_then_the_game_writes)
    window.follower.debounce_ms = 50
    with qtbot.waitSignal(window.sigDocumentLoaded, timeout=15000) as loaded:
        window.open_path(plain)
    assert [s.key for s in loaded.args[0].slots] == ["save_slot2"]       # what was read before the write
    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as reloaded:
        pass
    assert written == [str(plain.resolve())]
    assert reloaded.args[1].added == ["save_slot3"]
    assert [s.key for s in window.documents()[0].slots] == ["save_slot2", "save_slot3"]


@pytest.mark.gui
def test_turning_follow_live_back_on_reads_what_changed_while_it_was_off(qtbot, window, tmp_path):
    """Off, nothing is watched; a save written meanwhile differs from what was read, so turning
    Follow Live on again reloads it (no change notification will come for that write)."""
    plain, doc = _open_followed_profile(qtbot, window, tmp_path)
    window.follower.action.setChecked(False)
    assert window.follower.followed_paths() == []
    plain.write_text(json.dumps({"save_metadata": INDEX, "save_slot2": SAVE, "save_slot3": SAVE3}))
    assert window.documents() == [doc]
    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as reloaded:
        window.follower.action.setChecked(True)
    assert reloaded.args[1].added == ["save_slot3"] and window.documents() == [reloaded.args[0]]


def test_a_folder_that_cannot_be_read_has_no_stamp_and_its_open_says_why(tmp_path, monkeypatch):
    """The open takes the stamp in its worker before the loader reads: an unreadable browser folder
    must give no stamp (None), not an exception in place of the loader's clear message."""
    from inspector_app.core.browser import stamp

    folder = tmp_path / "Local Storage" / "leveldb"
    folder.mkdir(parents=True)

    def unreadable(_folder):
        raise PermissionError(13, "Permission denied", str(_folder))

    monkeypatch.setattr(stamp, "storage_files", unreadable)
    assert stamp.input_stamp(folder) is None
    assert stamp.input_stamp(tmp_path / "missing.json") is None
    plain = tmp_path / "save.json"
    plain.write_bytes(b"{}")
    assert stamp.input_stamp(plain) is not None


@pytest.mark.gui
def test_a_file_in_a_big_folder_is_followed_without_watching_the_folder(qtbot, window, tmp_path, monkeypatch):
    """Watching a big folder (/tmp: ~3,900 entries) cost the GUI thread 17-36 ms of kernel time
    at the end of every open (issue 13): such a folder is not watched; the file's own watch sees
    writes and a replacement by rename, a stat poll sees the file come back after it was gone."""
    from inspector_app.ui.browser import follow as ui_follow

    monkeypatch.setattr(ui_follow, "WATCH_FOLDER_MAX_BYTES", -1)     # every folder counts as big
    window.follower._poll.setInterval(50)
    plain, doc = _open_followed_profile(qtbot, window, tmp_path)
    watcher = window.follower._watcher
    assert str(tmp_path) not in watcher.directories() and str(plain) in watcher.files()
    assert window.follower.polled_paths() == [str(plain)]
    # replaced by rename (how the game and capture scripts write): followed through the file's watch
    replacement = tmp_path / "profile.json.part"
    replacement.write_text(json.dumps({"save_metadata": INDEX, "save_slot2": SAVE, "save_slot3": SAVE3}))
    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as reloaded:
        replacement.replace(plain)
    assert reloaded.args[1].added == ["save_slot3"]
    qtbot.waitUntil(lambda: str(plain) in watcher.files() and not window.follower._followed[str(plain)].task)
    # gone, then back: the poll (no folder watch) notices both
    with qtbot.waitSignal(window.follower.sigGone, timeout=20000):
        plain.unlink()
    assert str(tmp_path) not in watcher.directories()
    with qtbot.waitSignal(window.follower.sigReloaded, timeout=20000) as back:
        plain.write_text(json.dumps({"save_metadata": INDEX, "save_slot2": SAVE}))
    assert back.args[1].removed == ["save_slot3"]
    window.follower.unfollow(str(plain))
    assert window.follower.polled_paths() == [] and not window.follower._poll.isActive()


@pytest.mark.gui
def test_a_file_in_a_small_folder_is_followed_with_its_folder_and_no_poll(qtbot, window, tmp_path):
    plain, _doc = _open_followed_profile(qtbot, window, tmp_path)
    assert str(tmp_path) in window.follower._watcher.directories()
    assert window.follower.polled_paths() == [] and not window.follower._poll.isActive()
