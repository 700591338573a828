"""The GUI thread's share of opening a file (issue 13 row 2): what runs after the worker
returns is split into short slices, the settings file is written in the worker, and the
summary views of a big save are built with the cyclic GC paused."""
from __future__ import annotations

import gc
import threading

import pytest

import inspector_app.ui.main_window as main_window_mod
from inspector_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _wait_loaded(qtbot, win, n_docs=1):
    qtbot.waitUntil(lambda: len(win.documents()) >= n_docs and not win.is_loading(), timeout=20000)


def _small_save(tmp_path):
    from inspector_app.core.demo.synthetic import build_large_save
    path = tmp_path / "save_slot1.json"
    path.write_bytes(build_large_save(20))
    return path


def test_open_runs_in_slices_and_stays_loading_until_the_last(qtbot, window, tmp_path, monkeypatch):
    """Each step of the open is its own event: the slot list and tree come first, the
    document-loaded signal last; ``is_loading`` is true until then."""
    seen: list[tuple[str, bool]] = []
    path = _small_save(tmp_path)
    for name in ("_on_loaded", "_on_loaded_views", "_on_loaded_done"):
        original = getattr(window, name)

        def spy(*args, _name=name, _original=original):
            seen.append((_name, window.is_loading()))
            return _original(*args)

        monkeypatch.setattr(window, name, spy)
    with qtbot.waitSignal(window.sigDocumentLoaded, timeout=20000):
        window.open_path(path)
    _wait_loaded(qtbot, window)
    assert [n for n, _ in seen] == ["_on_loaded", "_on_loaded_views", "_on_loaded_done"]
    assert all(loading for _, loading in seen)
    assert not window.is_loading()
    assert window.current_row() is not None and window.current_row().slot.key == path.name
    assert str(path.resolve()) in window.recent_files()


def test_recent_files_are_written_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    writes: list[bool] = []
    original = main_window_mod.app_settings

    def recording_settings():
        settings = original()
        real_set = settings.setValue

        class Recorder:
            def __getattr__(self, name):
                return getattr(settings, name)

            def setValue(self, key, value):  # noqa: N802 - Qt API
                if key == "recentFiles":
                    writes.append(threading.current_thread() is threading.main_thread())
                return real_set(key, value)

        return Recorder()

    monkeypatch.setattr(main_window_mod, "app_settings", recording_settings)
    path = _small_save(tmp_path)
    window.open_path(path)
    _wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: bool(writes), timeout=20000)
    assert writes == [False]
    # once written, a new window reads it from the settings file
    qtbot.waitUntil(lambda: window._recent_pending is None, timeout=20000)
    assert original().value("recentFiles") in ([str(path.resolve())], str(path.resolve()))


def test_a_window_closed_before_the_write_keeps_the_recent_file(qtbot, tmp_path):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    path = _small_save(tmp_path)
    win.open_path(path)
    _wait_loaded(qtbot, win)
    win._recent_pending = [str(path.resolve())]   # as if the worker had not run the write yet
    win.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.recent_files()[0] == str(path.resolve())
    again.close()


def test_summary_views_of_a_big_save_are_built_with_the_gc_paused(qtbot, monkeypatch):
    """The views of a 50 MB save allocate ~100 MB of acyclic objects; collections triggered in
    the worker held the GIL for 20-80 ms each while the GUI waited. Below the loader's freeze
    threshold nothing changes (a paused build without a freeze would leave the GUI thread a
    backlog to collect)."""
    import inspector_app.ui.worldstate.domain_views as dv
    from inspector_app.core.loading.jsonparse import GC_FREEZE_THRESHOLD
    from inspector_app.ui.worldstate.domain_views import DomainViewsPanel

    states: list[bool] = []
    real_build = dv.build_domain_views

    def build(*args, **kwargs):
        states.append(gc.isenabled())
        return real_build(*args, **kwargs)

    monkeypatch.setattr(dv, "build_domain_views", build)
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))   # not this test process's objects
    panel = DomainViewsPanel()
    qtbot.addWidget(panel)
    payload = {"version": 1, "timestamp": 1, "gameData": {"inventory": {"items": []}}}
    panel.set_game_data(payload["gameData"], payload, background=True, size_bytes=GC_FREEZE_THRESHOLD)
    qtbot.waitUntil(lambda: bool(panel.views), timeout=20000)
    panel.set_game_data(payload["gameData"], payload, background=True, size_bytes=GC_FREEZE_THRESHOLD - 1)
    qtbot.waitUntil(lambda: len(states) == 2 and bool(panel.views), timeout=20000)
    # every worker task runs without automatic collection (ui/workers.py: no Qt object may be
    # freed in the worker); the big build's views are also frozen after it
    assert states == [False, False]
    assert frozen == [True], "the big build's views are frozen after it, the small one's are not"
    assert gc.isenabled()
    panel.shutdown()
