"""What session 7 took off a big open's critical path (issue 13 row 3, the 50 MB pretty save's
first rows; ``benchmarks/open_document.py --timeline`` shows where each ms goes):

* the first open's modules are imported in the worker while the window is idle after start-up;
* the GUI thread's collection before a big build's freeze runs while the worker reads the file;
* the sectioned save's compression waits for the first rows, and still goes before the Save
  Summary views' build (memory ≤ 3× the file).

No timings: these tests pin the order of things, so the work cannot drift back.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from inspector_app.core.common import gcpause

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]

_WARM_CHILD = """
import sys, threading
WATCH = "inspector_app.core.loading.loader"
who = {}

class Spy:  # consulted only for modules not imported yet: records which thread imports it first
    def find_spec(self, name, path=None, target=None):
        if name == WATCH and name not in who:
            who[name] = threading.current_thread() is threading.main_thread()
        return None

sys.meta_path.insert(0, Spy())
from inspector_app.ui.app import create_application
app = create_application()
from PySide6.QtCore import QTimer
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.workers import live_task_count
seen = {}
after_first_paint = MainWindow._after_first_paint

def first_paint_done(self):  # what is imported when the first paint's follow-up begins
    seen.setdefault("painted", WATCH in sys.modules)
    after_first_paint(self)

MainWindow._after_first_paint = first_paint_done
w = MainWindow()
w.show()

def wait(turns=[0]):  # event-loop turns, not time
    turns[0] += 1
    if (WATCH in sys.modules and live_task_count() == 0) or turns[0] > 5_000_000:
        app.quit()
    else:
        QTimer.singleShot(0, wait)

QTimer.singleShot(0, wait)
app.exec()
import json
print(json.dumps({"imported": WATCH in sys.modules, "on_gui_thread": who.get(WATCH), **seen}))
"""


def test_the_idle_window_imports_the_first_open_s_modules_in_the_worker():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", _WARM_CHILD], cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["painted"] is False, "not before the first paint (start-up stays lean)"
    assert report["imported"] and report["on_gui_thread"] is False, "imported later, in the worker"


def test_the_prepared_collection_is_asked_for_before_the_read_and_waited_for_after(monkeypatch, tmp_path):
    """core: ``gcpause.begin_prepare`` asks, ``gc_paused(prepared=…)`` waits and does not ask again."""
    from inspector_app.core.demo.synthetic import build_large_save
    from inspector_app.core.loading import loader

    # no other work's freezing pause open in this process (it would make the loader skip the ask)
    assert not gcpause.freeze_pending(), "a background task of an earlier test still holds a freezing pause"
    events: list[str] = []

    def preparer():
        events.append("asked")
        return lambda: events.append("waited") or True

    real_read = loader._read_file
    monkeypatch.setattr(loader, "_read_file", lambda *a: events.append("read") or real_read(*a))
    monkeypatch.setattr(gcpause, "_preparer", preparer)
    monkeypatch.setattr(loader, "EARLY_PREPARE_MIN_BYTES", gcpause.GC_FREEZE_THRESHOLD)   # 16 MB files in earnest
    path = tmp_path / "save_big.json"
    path.write_bytes(build_large_save(5000))       # ~2.3 MB: frozen after a prepared collection
    assert path.stat().st_size >= gcpause.GC_FREEZE_THRESHOLD
    frozen = gcpause.gc.get_freeze_count()
    try:
        doc = loader.load_path(path)
        assert doc.slots and events == ["asked", "read", "waited"]
        assert gcpause.gc.get_freeze_count() > frozen, "what was built is frozen"
    finally:
        gcpause.gc.unfreeze()
    # a small input asks for nothing; below EARLY_PREPARE_MIN_BYTES the pause asks, after the read
    assert gcpause.begin_prepare(gcpause.GC_FREEZE_THRESHOLD - 1) is None
    monkeypatch.setattr(loader, "EARLY_PREPARE_MIN_BYTES", path.stat().st_size + 1)
    events.clear()
    try:
        assert loader.load_path(path).slots and events == ["read", "asked", "waited"]
    finally:
        gcpause.gc.unfreeze()


def test_the_gui_thread_collects_for_an_early_request_while_the_worker_goes_on(qtbot, monkeypatch):
    """ui/workers: the request is served by the GUI thread's event loop; the worker's wait
    returns True once it was."""
    from inspector_app.ui.workers import gui_thread_gc

    collector = gui_thread_gc()
    monkeypatch.setattr(collector, "PREPARE_TIMEOUT_S", 60.0)   # the answer, however late on a loaded machine
    answers: list[bool] = []
    asked = threading.Event()

    def worker():
        waiting = collector.request_freeze_preparation()
        asked.set()
        answers.append(waiting())

    thread = threading.Thread(target=worker)
    thread.start()
    qtbot.waitUntil(lambda: bool(answers), timeout=10000)     # the GUI thread's loop answers
    thread.join()
    assert asked.is_set() and answers == [True]


def test_the_compression_waits_for_the_first_rows_and_goes_before_the_summary_views(qtbot, window, tmp_path,
                                                                                      monkeypatch):
    from inspector_app.core.demo.synthetic import build_large_save
    from inspector_app.core.loading.document import SlotEntry
    from inspector_app.core.worldstate import views

    order: list[tuple[str, bool]] = []
    others: list[str] = []       # calls for anything but this open's save (diagnosis only)
    real_compress = SlotEntry.compress_sections
    real_input = views.sectioned_views_input

    def this_open_s_slots():
        return [s for d in window.documents() for s in d.slots if d.path.name == "save_big.json"]

    def compress(self, cancelled=None):
        if any(self is s for s in this_open_s_slots()):
            order.append(("compress", window.is_loading()))
        else:
            others.append(f"compress of {self.key} in {threading.current_thread().name}")
        return real_compress(self, cancelled)

    def views_input(game_data, *args, **kwargs):
        if any(s.sections is not None and s.sections.get("gameData") is game_data for s in this_open_s_slots()):
            order.append(("views", window.is_loading()))
        else:
            others.append(f"views of another save in {threading.current_thread().name}")
        return real_input(game_data, *args, **kwargs)

    monkeypatch.setattr(SlotEntry, "compress_sections", compress)
    monkeypatch.setattr(views, "sectioned_views_input", views_input)
    # The app's fallback (the compression goes anyway after 0.5 s without the first rows' signal,
    # tested below) must not decide this test: a loaded machine's open can take longer to paint.
    from inspector_app.ui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "COMPRESS_WAIT_S", 60.0)
    path = tmp_path / "save_big.json"
    path.write_bytes(build_large_save(9000))        # ~4.2 MB: read as a skeleton
    window.open_path(path)
    qtbot.waitUntil(lambda: len(order) == 2, timeout=60000)
    # the open's last slice had run (the first rows were shown) when the compression began,
    # and the Save Summary views' build waited for it
    assert order == [("compress", False), ("views", False)], others
    slot = window.documents()[0].slots[0]
    qtbot.waitUntil(lambda: slot.parked_text is not None and slot.__dict__.get("_source") is None, timeout=60000)


def test_a_compression_nobody_releases_still_runs(qtbot, monkeypatch):
    """A window that never reaches its last slice (closed, or a GUI thread blocked in a test)
    does not keep the worker waiting: the compression goes after ``COMPRESS_WAIT_S``."""
    from inspector_app.core.demo.synthetic import build_large_save
    from inspector_app.core.loading.loader import load_bytes
    from inspector_app.ui.main_window import MainWindow
    from inspector_app.ui.workers import live_task_count

    doc = load_bytes(build_large_save(9000), "save_big.json")
    slot = doc.slots[0]
    assert slot.sections is not None and slot.__dict__.get("_source") is not None
    monkeypatch.setattr(MainWindow, "COMPRESS_WAIT_S", 0.01)
    shown = MainWindow._compress_sections(doc)
    assert isinstance(shown, threading.Event)
    qtbot.waitUntil(lambda: slot.__dict__.get("_source") is None and live_task_count() == 0, timeout=60000)
    assert not shown.is_set(), "compressed without the event"
