"""The cyclic garbage collector runs in the GUI thread only (ui/workers.GuiThreadGarbageCollector).

The suite's flaky segfault (a ``QTreeView`` being built in ``MainWindow._build_saves_view`` when
the process died) and session 3's deadlock (``~QObject`` in the worker) had one mechanism: a
collection in the worker thread freed Qt objects the GUI had left in reference cycles. The worker
paused the GC while its work ran, and the collection of the backlog then ran at the pause's exit,
still in the worker — after almost every task (before the fix, ``test_qt_objects_in_cycles_...``
found all 250 items freed in the worker thread)."""
from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QGraphicsRectItem

from inspector_app.ui.workers import BackgroundTask, gui_thread_gc

pytestmark = pytest.mark.gui

MAIN = threading.main_thread().ident


class _CycleItem(QGraphicsRectItem):
    """A Qt object (owned by Python) whose last reference is a cycle: only the GC frees it."""

    def __init__(self, freed_in: list[str]):
        super().__init__()
        self.me = self
        self._freed_in = freed_in

    def __del__(self):
        self._freed_in.append("gui" if threading.get_ident() == MAIN else threading.current_thread().name)


def _allocating_work(_progress, _cancelled):
    return len([[i] for i in range(20_000)])    # far past the first generation's threshold


def _run_tasks(qtbot, n: int) -> None:
    for _ in range(n):
        task = BackgroundTask(_allocating_work, name="allocate")
        with qtbot.waitSignal(task.sigDone, timeout=60000):
            task.start()


@pytest.fixture
def collections_off_the_gui_thread():
    """Every collection that starts in a thread other than the GUI thread."""
    seen: list[str] = []

    def probe(phase, info):
        if phase == "start" and threading.get_ident() != MAIN:
            seen.append(f"{threading.current_thread().name} (generation {info['generation']})")

    gc.callbacks.append(probe)
    yield seen
    gc.callbacks.remove(probe)


def test_qt_objects_in_cycles_are_freed_in_the_gui_thread_not_the_worker(qtbot, collections_off_the_gui_thread):
    freed_in: list[str] = []
    for _round in range(5):
        for _ in range(50):
            _CycleItem(freed_in)
        _run_tasks(qtbot, 1)
    assert collections_off_the_gui_thread == []
    assert [t for t in freed_in if t != "gui"] == [], "Qt objects were freed outside the GUI thread"
    gc.collect()
    assert freed_in.count("gui") == 250


def test_no_thread_but_the_gui_thread_collects(qtbot, collections_off_the_gui_thread):
    """Nor any other Python thread (pytest-timeout's timer, a library's pool) that allocates."""
    _CycleItem([])

    def allocate():
        for _ in range(5):
            _allocating_work(None, None)

    thread = threading.Thread(target=allocate, name="allocating thread")
    thread.start()
    thread.join()
    _run_tasks(qtbot, 3)
    assert collections_off_the_gui_thread == []


def test_the_gui_thread_collects_what_is_due_from_the_event_loop(qtbot):
    collector = gui_thread_gc()
    assert collector is not None and gc.get_threshold()[0] == 0, "automatic collection is off"
    assert collector.thresholds[0] > 0
    freed_in: list[str] = []
    _CycleItem(freed_in)
    keep = [[i] for i in range(collector.thresholds[0] + 100)]   # the first generation is due
    qtbot.waitUntil(lambda: freed_in == ["gui"], timeout=10000)   # the collector's timer ran
    assert len(keep) > collector.thresholds[0]


def test_thresholds_set_by_someone_else_are_taken_over(qtbot):
    collector = gui_thread_gc()
    before = collector.thresholds
    try:
        gc.set_threshold(500, 5, 5)     # a library re-enabling automatic collection
        collector.collect_due()
        assert gc.get_threshold()[0] == 0
        assert collector.thresholds == (500, 5, 5)
    finally:
        gc.set_threshold(*before)
        collector.collect_due()
    assert collector.thresholds == before and gc.get_threshold()[0] == 0


def test_windows_opened_and_deleted_in_a_loop_are_freed_in_the_gui_thread(
        qtbot, game_fixtures, monkeypatch, collections_off_the_gui_thread):
    """The crash's path, with a full collection forced where the segfault happened (the save
    list built from ``_on_loaded``): each round's window is closed and deleteLater()'d as
    pytest-qt does, so it dies during the next round's loading, while the worker runs."""
    from inspector_app.ui.main_window import MainWindow

    build = MainWindow._build_saves_view

    def build_after_a_collection(self):
        gc.collect()
        return build(self)

    monkeypatch.setattr(MainWindow, "_build_saves_view", build_after_a_collection)
    files = ["saves/save_slot1.fresh.json", "localstorage/profile1-main-session.localStorage.json"]
    destroyed_in: list[str] = []
    for i in range(6):
        win = MainWindow()
        win.destroyed.connect(
            lambda *_: destroyed_in.append("gui" if threading.get_ident() == MAIN else "other"))
        win.show()
        win.open_path(game_fixtures / files[i % 2])
        qtbot.waitUntil(lambda win=win: len(win.documents()) == 1 and not win.is_loading(), timeout=60000)
        assert win.slot_model.rowCount() >= 1
        win.close()
        win.deleteLater()
        del win
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert destroyed_in == ["gui"] * 6
    assert collections_off_the_gui_thread == []
