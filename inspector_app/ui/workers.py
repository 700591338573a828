"""Run core work (parsing, searching, diffing, ingesting, writing) off the GUI thread.

Every long operation in the UI goes through :class:`BackgroundTask`:

    task = BackgroundTask(lambda progress, cancelled: load_path(p, progress=progress, cancelled=cancelled))
    task.sigProgress.connect(bar.update)        # (done, total, text) — throttled to ~20 Hz
    task.sigFinished.connect(on_result)         # the function's return value
    task.sigFailed.connect(on_error)            # the exception object (never a traceback dialog)
    task.sigCancelled.connect(on_cancel)
    task.sigDone.connect(on_done)               # always last; the task is deleted after it
    task.start()
    ...
    task.cancel()                               # cooperative: the function polls ``cancelled()``

Nobody needs to keep a started task alive (the module does until its outcome is delivered),
and nothing keeps it alive afterwards: give it no parent, hold no list of tasks.

The callable receives two arguments: ``progress(done, total, text="")`` and ``cancelled() -> bool``.
A function that sees ``cancelled()`` return True should raise :class:`TaskCancelled` (or the
core's own ``LoadCancelled``); the task then emits ``sigCancelled`` instead of ``sigFinished``.
"""
from __future__ import annotations

import gc
import sys
import threading
import time
import traceback
import warnings
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThread, QThreadPool, QTimer, Signal

from inspector_app.core.common import gcpause, guiturn
from inspector_app.core.common.progress import Cancelled, CancelledFn, ProgressFn

Work = Callable[[ProgressFn, CancelledFn], Any]


_POOL: QThreadPool | None = None


def task_pool() -> QThreadPool:
    """The one worker thread every BackgroundTask runs on.

    Python work holds the GIL; with two CPU-bound workers beside the GUI thread, the GIL
    convoys between the workers and starves the GUI for a second or more (measured on a 50 MB
    profile: load + transcript merge + domain views). With one worker, the GUI thread waits at
    most for the C call the worker is in. Tasks queue by priority instead."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setObjectName("inspectorTaskPool")
        _POOL.setMaxThreadCount(1)
        _POOL.setExpiryTimeout(-1)
    return _POOL


class GuiThreadGarbageCollector(QObject):
    """The cyclic garbage collector runs in the GUI thread only, from the event loop.

    CPython collects whenever any thread allocates past a threshold, and a collection frees
    every unreachable cycle, whichever thread made it. Widgets, models, graphics items, pixmaps
    and wrappers whose last reference is a cycle are then destroyed in that thread: in the
    worker (``BackgroundTask``) that was almost every task, right where the work ended and the
    GC came back on with a backlog (tests/ui/test_gui_thread_gc.py shows it: Qt items of the
    GUI freed in the worker thread). Qt objects of the GUI may only be touched in the GUI
    thread: this is the mechanism found behind the suite's flaky segfault (a ``QTreeView`` being
    built in the GUI thread, GIL released, while the worker could be deleting other Qt objects)
    and session 3's deadlock (``~QObject`` in the worker).

    So automatic collection is off in every thread (threshold 0: ``gc.isenabled()`` keeps its
    meaning for the loader's pauses) and this timer collects in the GUI thread with CPython's
    own thresholds, at a point where no widget code is on the stack — pyqtgraph's
    ``GarbageCollector`` recipe (not imported: that would import pyqtgraph at start-up).
    Without a QApplication (the CLIs) nothing changes.

    It also prepares the freezes of big documents (``core/common/gcpause``): before one is
    built, the worker has this thread collect every generation (``prepare_freeze``), so what
    the worker's ``gc.freeze()`` puts out of reach afterwards is the new document, not
    garbage; while such a build runs, ``collect_due`` waits (it would only traverse it)."""

    INTERVAL_MS = 500    # short: the young generation collected per tick stays small (a GUI stall otherwise)
    #: How long a worker waits for the GUI thread's collection before a freezing pause
    #: (``core/common/gcpause``); without an answer (a GUI thread blocked on the worker, in a
    #: test's ``wait()``) the document is simply not frozen.
    PREPARE_TIMEOUT_S = 0.5

    _sigPrepare = Signal(object)   # worker -> GUI thread (queued): a _FreezeRequest
    _sigRelease = Signal(object)   # GUI thread -> itself, queued: the next turn of the event loop

    def __init__(self, app: QCoreApplication):
        super().__init__(app)
        self.setObjectName("inspectorGuiThreadGC")
        self._thresholds = gc.get_threshold()
        self._blocks_after_full = sys.getallocatedblocks()
        self._settled = False          # the start-up heap is frozen at the first idle tick
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._sigPrepare.connect(self._prepare_in_gui_thread)
        self._sigRelease.connect(self._release, Qt.ConnectionType.QueuedConnection)
        self._hold()
        self._timer.start()
        gcpause.set_freeze_preparer(self.request_freeze_preparation)

    def _hold(self) -> None:
        """Automatic collection off (again, should anything have set thresholds since)."""
        current = gc.get_threshold()
        if current[0] != 0:
            self._thresholds = current
            gc.set_threshold(0, current[1], current[2])

    @property
    def thresholds(self) -> tuple[int, int, int]:
        """The thresholds automatic collection would use (CPython's, or what was set)."""
        return self._thresholds

    def collect_due(self) -> int:
        """Collect the generations whose counts passed their thresholds, as CPython would;
        returns the number of unreachable objects found. GUI thread only. Nothing while a
        document is being built to be frozen (it would be traversed for nothing)."""
        if QThread.currentThread() is not self.thread():
            return 0
        self._hold()
        if gcpause.freeze_pending():
            return 0
        if not self._settled and not _LIVE:
            return self.settle()
        t0, t1, t2 = self._thresholds
        c0, c1, c2 = gc.get_count()
        if c0 <= t0:
            return 0
        if c1 <= t1:
            return gc.collect(0)
        # CPython's full collections also wait until the objects that survived the young
        # generations since the last one add up to a quarter of the old ones (a full pass over
        # a big heap is a visible stall); the allocator's block count stands for both here.
        if c2 <= t2 or sys.getallocatedblocks() - self._blocks_after_full < self._blocks_after_full // 4:
            return gc.collect(1)
        return self._collect_all()

    def settle(self) -> int:
        """Once (the main window calls it after its first paint; else the first tick with no
        task running does): collect everything, then freeze what start-up left (modules,
        classes, functions, the window: ~30,000 objects that live as long as the app), so the
        full collections after it — the one before each big document's freeze above all —
        traverse only what came later (~10 ms less each). Not while work runs (its objects
        are not start-up's). GUI thread only; returns the unreachable objects found."""
        if self._settled or _LIVE or gcpause.freeze_pending() or QThread.currentThread() is not self.thread():
            return 0
        found = self._collect_all()
        gc.freeze()
        self._settled = True
        return found

    def _collect_all(self) -> int:
        found = gc.collect(2)
        self._blocks_after_full = sys.getallocatedblocks()
        return found

    # -- prepared freezes (core/common/gcpause) ----------------------------------------
    def prepare_freeze(self) -> bool:
        """Before a document is built to be frozen: every generation collected in the GUI
        thread (the garbage it finds — Qt objects in cycles among it — is freed there, and
        none is left pending to be frozen for good). Called from any thread; a worker waits
        for the GUI thread's answer (at most ``PREPARE_TIMEOUT_S``). True once done."""
        return self.request_freeze_preparation()()

    def request_freeze_preparation(self) -> Callable[[], bool]:
        """:meth:`prepare_freeze` in two steps (``gcpause.begin_prepare``): the collection is
        asked for now, the returned call waits for it (its timeout counts from that call), so a
        worker can read the file meanwhile."""
        if not shiboken6.isValid(self):
            return lambda: False
        if QThread.currentThread() is self.thread():
            self._collect_all()
            return lambda: True
        request = _FreezeRequest()
        self._sigPrepare.emit(request)
        return lambda: request.wait(self.PREPARE_TIMEOUT_S)

    def _prepare_in_gui_thread(self, request: "_FreezeRequest") -> None:
        with request.lock:
            if request.abandoned:
                return
            self._collect_all()
            request.collected = True
        # the worker goes on after one more turn of the event loop: what waited for this
        # collection (a paint, a timer) runs before the worker's parse holds the GIL again
        self._sigRelease.emit(request)

    def _release(self, request: "_FreezeRequest") -> None:
        request.done.set()


class _FreezeRequest:
    """A worker's request for a collection in the GUI thread before a freezing pause."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.abandoned = False
        self.collected = False

    def wait(self, timeout: float) -> bool:
        if self.done.wait(timeout):
            return True
        with self.lock:          # too late: the GUI thread must not collect for it any more
            self.abandoned = True
            return self.collected


_GC: GuiThreadGarbageCollector | None = None


def gui_thread_gc() -> GuiThreadGarbageCollector | None:
    """Install (once per application) and return the GUI-thread collector; None without an
    application. Called by ``ui.app.create_application`` and the test set-up."""
    global _GC
    made = _app_singleton(_GC, GuiThreadGarbageCollector)
    if made is not None:
        _GC = made
    return made


def _app_singleton(current, make):
    """``current`` if it is alive and belongs to the running application, else ``make(app)``;
    None without an application or outside its thread."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return None
    if current is None or not shiboken6.isValid(current) or current.parent() is not app:
        return make(app)
    return current


class GuiHeartbeat(QObject):
    """While background tasks run, the GUI thread beats ``core/common/guiturn``'s heartbeat
    from its event loop every ``guiturn.BEAT_INTERVAL_S``; a worker that finds it stale steps
    aside so this thread gets the GIL (``guiturn.yield_to_gui``: the chunked parse calls it
    between pieces). The timer stops with the last task, and the beats with it."""

    def __init__(self, app: QCoreApplication):
        super().__init__(app)
        self.setObjectName("inspectorGuiHeartbeat")
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(max(1, round(guiturn.BEAT_INTERVAL_S * 1000)))
        self._timer.timeout.connect(self._beat)

    def ensure_beating(self) -> None:
        guiturn.beat()
        if not self._timer.isActive():
            self._timer.start()

    def _beat(self) -> None:
        if _LIVE:
            guiturn.beat()
        else:
            self._timer.stop()
            guiturn.stop_beating()

    def is_beating(self) -> bool:
        return self._timer.isActive()


_HEARTBEAT: GuiHeartbeat | None = None


def gui_heartbeat() -> GuiHeartbeat | None:
    """The application's GUI heartbeat (made once); None without an application or outside
    the GUI thread."""
    global _HEARTBEAT
    made = _app_singleton(_HEARTBEAT, GuiHeartbeat)
    if made is not None:
        _HEARTBEAT = made
    return made


#: Follow-up work a view starts after showing something (summary views, the transcript merge)
#: waits this long, so the first frame paints without competing with a busy worker for the GIL.
FOLLOW_UP_DELAY_MS = 40


class Priority:
    """Queue order of waiting tasks (a running task is never interrupted)."""

    BACKGROUND = -10   # ingesting folders, benchmarks-like work
    NORMAL = 0         # searches, diffs, exports
    USER = 10          # what the user is waiting to see: opening a file, showing a slot


class TaskCancelled(Cancelled):
    """Raised by work functions that noticed ``cancelled()``."""


def _is_cancel_exception(exc: BaseException) -> bool:
    """Every cancel exception (LoadCancelled, DiffCancelled, ...) derives from the core's one base."""
    return isinstance(exc, Cancelled)


class _Runner(QRunnable):
    def __init__(self, task: "BackgroundTask"):
        super().__init__()
        self.setAutoDelete(True)
        self._task = task

    def run(self) -> None:  # worker thread
        self._task._run_in_worker()


#: Tasks between ``start()`` and the delivery of their outcome. This set — not a parent
#: widget — keeps a running task alive, so nothing else needs to hold on to it, and a task
#: never outlives its work: once its outcome is delivered it leaves the set, drops its callable
#: and is deleted (``deleteLater``), taking the closure (and the document it captured) with it.
_LIVE: set["BackgroundTask"] = set()

_FINISHED, _FAILED, _CANCELLED = 0, 1, 2


def while_alive(owner: QObject, fn: Callable[..., Any]) -> Callable[..., None]:
    """``fn``, called only while ``owner``'s C++ object exists.

    For a task's callbacks that are closures over a widget (a bound method of a QObject is
    disconnected by Qt when it is deleted; a lambda or a local function is not): a task that
    finishes after its panel was deleted then reports to nobody instead of raising
    "Internal C++ object already deleted" in the GUI thread."""
    def call(*args: Any) -> None:
        if shiboken6.isValid(owner):
            fn(*args)
    return call


def live_task_count() -> int:
    """Tasks started whose outcome has not been delivered yet (tests, soak benchmark)."""
    return len(_LIVE)


class BackgroundTask(QObject):
    """One cancellable unit of work on the global thread pool, reporting through signals.

    The outcome signals (``sigFinished`` / ``sigFailed`` / ``sigCancelled``, then ``sigDone``)
    are emitted in the GUI thread, from the event loop, never before the code that called
    ``start()`` returned to it — so connecting right after ``start()`` is not a race. After
    ``sigDone`` the task has let go of its work function and result and is scheduled for
    deletion; a caller may keep the Python reference (``cancel``, ``wait``, ``is_running`` and
    ``detach`` stay harmless) but must not connect to it any more. A task has no parent: it
    lives exactly as long as its work, whoever started it."""

    sigProgress = Signal(int, int, str)
    sigFinished = Signal(object)
    sigFailed = Signal(object)
    sigCancelled = Signal()
    sigDone = Signal()  # always emitted last (after finished / failed / cancelled)
    _sigOutcome = Signal(int, object)   # worker -> GUI thread (queued: the task lives there)

    PROGRESS_INTERVAL_S = 0.05

    def __init__(self, work: Work, name: str = ""):
        super().__init__()
        self._work: Work | None = work
        self.name = name
        self._cancel = threading.Event()
        self._running = False
        self._last_progress = 0.0
        self._done_event = threading.Event()
        self._sigOutcome.connect(self._deliver)

    # -- GUI thread API -------------------------------------------------------------
    def start(self, pool: QThreadPool | None = None, priority: int = Priority.NORMAL) -> "BackgroundTask":
        gui_thread_gc()          # from now on Python runs in another thread: collect in this one only
        self._running = True
        _LIVE.add(self)
        heartbeat = gui_heartbeat()      # the worker steps aside when this thread waits for the GIL
        if heartbeat is not None:
            heartbeat.ensure_beating()
        (pool or task_pool()).start(_Runner(self), priority)
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_running(self) -> bool:
        return self._running

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def detach(self) -> None:
        """Cancel and disconnect every receiver: for owners that are going away while the
        work may still be finishing in its thread."""
        self._cancel.set()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # "failed to disconnect": nothing was connected
            for sig in (self.sigProgress, self.sigFinished, self.sigFailed, self.sigCancelled, self.sigDone):
                try:
                    sig.disconnect()
                except (RuntimeError, TypeError):   # nothing connected, or the task is already deleted
                    pass

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work function returned (for tests and shutdown only)."""
        return self._done_event.wait(timeout)

    def _deliver(self, kind: int, payload: object) -> None:  # GUI thread
        try:
            if kind == _FINISHED:
                self.sigFinished.emit(payload)
            elif kind == _FAILED:
                self.sigFailed.emit(payload)
            else:
                self.sigCancelled.emit()
            del payload
            self.sigDone.emit()
        finally:
            _LIVE.discard(self)
            self.deleteLater()

    # -- worker thread ----------------------------------------------------------------
    def _progress(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if done < total and now - self._last_progress < self.PROGRESS_INTERVAL_S:
            return
        self._last_progress = now
        try:
            self.sigProgress.emit(int(done), int(total), str(text))
        except RuntimeError:     # the task's QObject is gone (the app is quitting): nobody waits
            raise TaskCancelled() from None

    def _run_in_worker(self) -> None:
        work, self._work = self._work, None      # the task lets go of the callable (and its closure)
        try:
            if self._cancel.is_set() or work is None:
                raise TaskCancelled()
            # No garbage collection in this thread: a collection here frees whatever cycles the
            # GUI left behind (widgets, graphics items, pixmaps), in the wrong thread — a deadlock
            # (~QObject waiting for the GIL under a Qt lock) and the suite's flaky segfault. The
            # GUI-thread collector (``start()`` installs it) keeps automatic collection off in
            # every thread; the pause below also stops it for an application without one, and
            # freezes what big work built. It used to be the only guard, and the collection then
            # ran at its exit, still in this thread (tests/ui/test_gui_thread_gc.py).
            with gcpause.gc_paused(gcpause.GC_PAUSE_THRESHOLD):
                result = work(self._progress, self._cancel.is_set)
        except BaseException as exc:  # noqa: BLE001 - reported through the signal, never swallowed
            outcome = (_CANCELLED, None) if _is_cancel_exception(exc) or self._cancel.is_set() else (_FAILED, exc)
            if outcome[0] == _FAILED and exc.__traceback__ is not None:
                # the frames would keep the work's data alive for as long as anyone holds the
                # exception: keep their text (for a bug report), drop the frames
                exc.add_note("in the worker:\n" + "".join(traceback.format_tb(exc.__traceback__)).rstrip())
            exc.__traceback__ = None
        else:
            outcome = (_CANCELLED, None) if self._cancel.is_set() else (_FINISHED, result)
        del work
        self._running = False
        self._done_event.set()
        try:
            self._sigOutcome.emit(*outcome)
        except RuntimeError:
            # "Signal source has been deleted": the application quit while this ran and took
            # the task's QObject with it; there is no one to tell (PySide printed a traceback)
            _LIVE.discard(self)
