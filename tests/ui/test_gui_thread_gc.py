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


def test_generations_are_collected_as_cpython_would(qtbot, monkeypatch):
    """Young generations when their counts pass the thresholds; a full collection only once
    the heap grew by a quarter since the last one (CPython's rule against full passes over a
    big heap)."""
    import inspector_app.ui.workers as workers

    collector = gui_thread_gc()
    monkeypatch.setattr(collector, "_settled", True)
    monkeypatch.setattr(collector, "_thresholds", (700, 10, 10))
    monkeypatch.setattr(collector, "_blocks_after_full", 1_000_000)
    calls: list[int] = []
    counts = [(0, 0, 0)]
    blocks = [1_000_000]

    class FakeGc:
        get_threshold = staticmethod(lambda: (0, 10, 10))
        set_threshold = staticmethod(lambda *a: None)
        get_count = staticmethod(lambda: counts[0])
        collect = staticmethod(lambda generation=2: calls.append(generation) or 0)

    class FakeSys:
        getallocatedblocks = staticmethod(lambda: blocks[0])

    monkeypatch.setattr(workers, "gc", FakeGc)
    monkeypatch.setattr(workers, "sys", FakeSys)
    for count, heap, expected in [((700, 0, 0), 1_000_000, []), ((701, 3, 0), 1_000_000, [0]),
                                  ((701, 11, 3), 1_000_000, [1]), ((701, 11, 11), 1_200_000, [1]),
                                  ((701, 11, 11), 1_250_000, [2])]:
        counts[0], blocks[0] = count, heap
        calls.clear()
        collector.collect_due()
        assert calls == expected, (count, heap)
    assert collector._blocks_after_full == 1_250_000


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


# -- prepared freezes (core/common/gcpause): a big document is frozen out of later collections,
# after the GUI thread collected what was pending, so no garbage is frozen for good


def _tracked(obj) -> bool:
    """In one of the collector's generations (frozen objects are in none)."""
    return any(o is obj for o in gc.get_objects())


@pytest.fixture
def unfreeze_after():
    yield
    gc.unfreeze()     # the frozen objects go back to the oldest generation


def _big_tree_work(size: int):
    from inspector_app.core.common.gcpause import gc_paused

    def work(_progress, _cancelled):
        with gc_paused(size):
            return {"rows": [[i, {"v": [i]}] for i in range(30_000)]}
    return work


def test_a_big_document_is_frozen_after_the_gui_thread_collected_the_pending_garbage(
        qtbot, monkeypatch, collections_off_the_gui_thread, unfreeze_after):
    from inspector_app.core.common.gcpause import GC_FREEZE_THRESHOLD

    # the worker waits for the GUI thread's answer as long as it takes (the app's 0.5 s fallback
    # is tested below): a loaded machine's event loop must not decide this test
    monkeypatch.setattr(gui_thread_gc(), "PREPARE_TIMEOUT_S", 60.0)
    freed_in: list[str] = []
    for _ in range(50):
        _CycleItem(freed_in)           # garbage the GUI left, pending when the load starts
    frozen_before = gc.get_freeze_count()
    task = BackgroundTask(_big_tree_work(GC_FREEZE_THRESHOLD), name="big document")
    results: list = []
    task.sigFinished.connect(results.append)
    with qtbot.waitSignal(task.sigDone, timeout=60000):
        task.start()
    assert freed_in == ["gui"] * 50, "the pending Qt garbage was freed, in the GUI thread, before the freeze"
    assert collections_off_the_gui_thread == []
    tree = results[0]
    assert gc.get_freeze_count() > frozen_before + 30_000
    assert not _tracked(tree) and not _tracked(tree["rows"][-1]), "the document is out of the generations"


def test_a_smaller_document_is_not_frozen(qtbot, unfreeze_after):
    from inspector_app.core.common.gcpause import GC_FREEZE_THRESHOLD

    gui_thread_gc()
    task = BackgroundTask(_big_tree_work(GC_FREEZE_THRESHOLD - 1), name="medium document")
    results: list = []
    task.sigFinished.connect(results.append)
    with qtbot.waitSignal(task.sigDone, timeout=60000):
        task.start()
    assert _tracked(results[0])


def test_without_the_gui_threads_answer_the_document_is_not_frozen(qtbot, monkeypatch, unfreeze_after,
                                                                   collections_off_the_gui_thread):
    """A GUI thread that waits for the worker cannot collect first: no freeze (nothing pending
    may be frozen), and still no collection in the worker."""
    from inspector_app.core.common.gcpause import GC_FREEZE_THRESHOLD, freeze_pending

    collector = gui_thread_gc()
    monkeypatch.setattr(collector, "PREPARE_TIMEOUT_S", 0.05)
    freed_in: list[str] = []
    _CycleItem(freed_in)
    task = BackgroundTask(_big_tree_work(GC_FREEZE_THRESHOLD), name="big document, GUI blocked")
    results: list = []
    task.sigFinished.connect(results.append)
    with qtbot.waitSignal(task.sigDone, timeout=60000):
        task.start()
        assert task.wait(60)           # the GUI thread blocks: the request is never answered in time
    assert _tracked(results[0]) and not freeze_pending()
    assert collections_off_the_gui_thread == []
    assert freed_in in ([], ["gui"]), "an abandoned request may be served late, in the GUI thread, or not at all"


def test_no_collection_while_a_freezing_pause_is_open(qtbot, unfreeze_after):
    """The GUI thread's timer would traverse the half-built document for nothing."""
    from inspector_app.core.common.gcpause import GC_FREEZE_THRESHOLD, freeze_pending, gc_paused

    collector = gui_thread_gc()
    freed_in: list[str] = []
    with gc_paused(GC_FREEZE_THRESHOLD):          # in the GUI thread: prepared directly
        assert freeze_pending()
        _CycleItem(freed_in)
        keep = [[i] for i in range(collector.thresholds[0] + 100)]   # the first generation is due
        assert collector.collect_due() == 0 and freed_in == []
    assert not freeze_pending() and not _tracked(keep)
    gc.unfreeze()
    gc.collect()
    assert freed_in == ["gui"]


def test_an_opened_profile_is_frozen(qtbot, tmp_path, monkeypatch, unfreeze_after, collections_off_the_gui_thread):
    """The loader's path: a 3 MB profile export opened in the window is out of the generations."""
    from inspector_app.core.demo.synthetic import build_synthetic_profile
    from inspector_app.ui.main_window import MainWindow

    # below 8 MB the freeze needs the GUI thread's collection first; its answer may take longer
    # than the app's 0.5 s on a loaded machine (then, rightly, nothing is frozen): not the point here
    monkeypatch.setattr(gui_thread_gc(), "PREPARE_TIMEOUT_S", 60.0)

    path = tmp_path / "big.localStorage.json"
    path.write_bytes(build_synthetic_profile(3 * 1024 * 1024))
    win = MainWindow()
    qtbot.addWidget(win)
    win.open_path(path)
    qtbot.waitUntil(lambda: len(win.documents()) == 1 and not win.is_loading(), timeout=60000)
    doc = win.documents()[0]
    assert len(doc.slots) >= 1
    assert not _tracked(doc.root) and not _tracked(doc.slots[0])
    assert collections_off_the_gui_thread == []


def test_a_cancelled_or_failed_build_is_not_frozen(unfreeze_after):
    from inspector_app.core.common.gcpause import GC_FREEZE_THRESHOLD, freeze_pending, gc_paused

    frozen_before = gc.get_freeze_count()
    built: list = []
    with pytest.raises(ValueError):
        with gc_paused(GC_FREEZE_THRESHOLD):
            built.append([[i] for i in range(1000)])
            raise ValueError("cancelled")
    assert gc.get_freeze_count() == frozen_before and not freeze_pending() and gc.isenabled()
    assert _tracked(built[0])


def test_the_start_up_heap_is_frozen_once_at_the_first_idle_tick(qtbot, monkeypatch, unfreeze_after):
    """What start-up left lives as long as the app: frozen once, after a collection (its garbage
    freed in the GUI thread), so later full collections traverse only what came after."""
    collector = gui_thread_gc()
    monkeypatch.setattr(collector, "_settled", False)
    gc.unfreeze()
    freed_in: list[str] = []
    _CycleItem(freed_in)
    collector.collect_due()
    assert freed_in == ["gui"] and collector._settled
    frozen = gc.get_freeze_count()
    assert frozen > 1000
    collector.collect_due()
    assert gc.get_freeze_count() == frozen, "once"


def test_the_main_window_settles_the_collector_after_its_first_paint(qtbot, monkeypatch, unfreeze_after):
    from inspector_app.ui.main_window import MainWindow

    collector = gui_thread_gc()
    monkeypatch.setattr(collector, "_settled", False)
    collector._timer.stop()            # not the timer's first idle tick: the window's first paint
    try:
        win = MainWindow()
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: win._follower is not None, timeout=10000)   # made after the first paint
        assert collector._settled and gc.get_freeze_count() > 1000
    finally:
        collector._timer.start()
