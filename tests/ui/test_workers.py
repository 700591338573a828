"""BackgroundTask's life cycle: outcome delivered in the GUI thread, then the task lets go of
its work and is deleted — so nothing a task's closure captured (a document) outlives it."""
from __future__ import annotations

import gc
import weakref

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent

from inspector_app.ui.workers import BackgroundTask, TaskCancelled, live_task_count

pytestmark = pytest.mark.gui


class Payload:
    """Stands for a document a work function captures."""


def _flush_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def test_finished_task_releases_its_work_and_is_deleted(qtbot):
    payload = Payload()
    ref = weakref.ref(payload)
    task = BackgroundTask(lambda _p, _c, payload=payload: [payload])
    del payload
    with qtbot.waitSignal(task.sigDone, timeout=60000):
        with qtbot.waitSignal(task.sigFinished, timeout=60000) as finished:
            task.start()
    assert finished.args[0][0] is ref()
    del finished
    _flush_deletes()
    assert ref() is None, "the closure (and what it captured) outlived the task"
    assert not shiboken6.isValid(task) and live_task_count() == 0
    task.cancel()       # a kept Python reference stays harmless
    task.detach()
    assert not task.is_running and task.wait(0)


def test_connecting_after_start_cannot_miss_the_outcome(qtbot):
    task = BackgroundTask(lambda _p, _c: 42).start()
    assert task.wait(60)                      # the work has returned before anyone connected
    got = []
    task.sigFinished.connect(got.append)
    task.sigDone.connect(lambda: got.append("done"))
    qtbot.waitUntil(lambda: got == [42, "done"], timeout=60000)


def test_failure_keeps_the_message_not_the_frames(qtbot):
    payload = Payload()
    ref = weakref.ref(payload)

    def work(_p, _c, payload=payload):
        local = payload  # noqa: F841 - a frame local the traceback would keep alive
        raise ValueError("bad input at $.a")
    task = BackgroundTask(work)
    del payload, work
    with qtbot.waitSignal(task.sigFailed, timeout=60000) as failed:
        task.start()
    exc = failed.args[0]
    assert isinstance(exc, ValueError) and str(exc) == "bad input at $.a"
    assert exc.__traceback__ is None and "in the worker" in exc.__notes__[0]
    del failed
    _flush_deletes()
    assert ref() is None


def test_cancelled_before_running(qtbot):
    task = BackgroundTask(lambda _p, _c: 1)
    task.cancel()
    with qtbot.waitSignal(task.sigCancelled, timeout=60000):
        task.start()
    def work(_p, _c):
        raise TaskCancelled()
    other = BackgroundTask(work)
    with qtbot.waitSignal(other.sigCancelled, timeout=60000):
        other.start()


@pytest.mark.parametrize("fixture", ["saves/save_slot2.midgame.json",
                                     "localstorage/profile1-main-session.localStorage.json",
                                     "inspector-summary/getInspectorSummary.midgame.json"])
def test_a_closed_document_is_garbage_collected(window, qtbot, game_fixtures, fixture):
    """Open, visit every tab (transcript, compare, world state...), close: the document dies."""
    refs = []
    for _ in range(2):
        window.open_path(game_fixtures / fixture)
        qtbot.waitUntil(lambda: bool(window.documents()) and not window.is_loading(), timeout=60000)
        doc = window.documents()[-1]
        refs.append(weakref.ref(doc))
        for i in range(window.tabs.count()):
            window.tabs.setCurrentIndex(i)
            qtbot.waitUntil(lambda: live_task_count() == 0, timeout=60000)
        if doc is window.documents()[-1]:
            window.transcript_panel.set_sources_from_document(doc)
        qtbot.waitUntil(lambda: live_task_count() == 0, timeout=60000)
        del doc
        window._close_current()
        qtbot.waitUntil(lambda: live_task_count() == 0, timeout=60000)
    assert not window.documents()

    def collected() -> bool:
        # pending follow-ups (a 40 ms single-shot timer holding the document until it fires and
        # finds it closed) get the event loop while this condition is polled
        _flush_deletes()
        return all(r() is None for r in refs)
    qtbot.waitUntil(collected, timeout=60000)
    assert [r() is None for r in refs] == [True, True]


def test_a_task_whose_qobject_is_gone_ends_quietly(qtbot, capfd):
    """Quitting the app while work runs deletes the task's QObject: the worker's progress and
    outcome signals then have no source. The work ends as cancelled and nothing is printed
    (PySide printed "Error calling Python override of QRunnable::run()" with a traceback)."""
    import threading

    go, seen = threading.Event(), []

    def work(progress, _cancelled):
        go.wait(60)
        try:
            progress(1, 2, "half")
        except TaskCancelled:
            seen.append("cancelled")
            raise
        return 1

    task = BackgroundTask(work).start()
    shiboken6.delete(task)
    go.set()
    assert task.wait(60)
    qtbot.waitUntil(lambda: seen == ["cancelled"] and live_task_count() == 0, timeout=60000)
    assert "Error calling Python override" not in capfd.readouterr().err


def test_the_gui_thread_beats_while_tasks_run_and_a_worker_steps_aside_when_it_does_not(qtbot):
    """``core/common/guiturn``: while a task runs, the GUI thread's timer beats the heartbeat
    (the worker sees it fresh and keeps going); while the GUI thread does not run its event loop
    — busy here, or waiting for the GIL — the worker's ``yield_to_gui`` finds it stale and
    sleeps; after the last task the beats stop, so no worker ever waits for them."""
    import threading

    from inspector_app.core.common import guiturn
    from inspector_app.ui.workers import gui_heartbeat

    hb = guiturn.heartbeat()
    release, stepped_aside, seen_beats = threading.Event(), threading.Event(), []

    def work(_p, _c):
        first = hb.last
        while hb.last == first:               # the GUI thread's timer beats meanwhile
            guiturn.yield_to_gui()
            release.wait(0.001)
        seen_beats.append(hb.last)
        release.wait()                        # the GUI thread stops beating now (see below)
        while not guiturn.yield_to_gui():
            pass
        stepped_aside.set()
        return "done"

    task = BackgroundTask(work).start()
    assert gui_heartbeat().is_beating() and hb.beating
    qtbot.waitUntil(lambda: bool(seen_beats), timeout=60000)
    waits = hb.waits
    release.set()
    while not stepped_aside.wait(0.01):       # no event loop here: the heartbeat goes stale
        pass
    assert hb.waits > waits
    with qtbot.waitSignal(task.sigDone, timeout=60000):
        pass
    qtbot.waitUntil(lambda: not gui_heartbeat().is_beating(), timeout=60000)
    assert hb.beating is False and guiturn.yield_to_gui() is False
