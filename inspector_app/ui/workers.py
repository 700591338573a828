"""Run core work (parsing, searching, diffing, ingesting, writing) off the GUI thread.

Every long operation in the UI goes through :class:`BackgroundTask`:

    task = BackgroundTask(lambda progress, cancelled: load_path(p, progress=progress, cancelled=cancelled))
    task.sigProgress.connect(bar.update)        # (done, total, text) — throttled to ~20 Hz
    task.sigFinished.connect(on_result)         # the function's return value
    task.sigFailed.connect(on_error)            # the exception object (never a traceback dialog)
    task.sigCancelled.connect(on_cancel)
    task.start()
    ...
    task.cancel()                               # cooperative: the function polls ``cancelled()``

The callable receives two arguments: ``progress(done, total, text="")`` and ``cancelled() -> bool``.
A function that sees ``cancelled()`` return True should raise :class:`TaskCancelled` (or the
core's own ``LoadCancelled``); the task then emits ``sigCancelled`` instead of ``sigFinished``.
"""
from __future__ import annotations

import threading
import time
import warnings
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

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


class BackgroundTask(QObject):
    """One cancellable unit of work on the global thread pool, reporting through signals."""

    sigProgress = Signal(int, int, str)
    sigFinished = Signal(object)
    sigFailed = Signal(object)
    sigCancelled = Signal()
    sigDone = Signal()  # always emitted last (after finished / failed / cancelled)

    PROGRESS_INTERVAL_S = 0.05

    def __init__(self, work: Work, name: str = "", parent: QObject | None = None):
        super().__init__(parent)
        self._work = work
        self.name = name
        self._cancel = threading.Event()
        self._running = False
        self._last_progress = 0.0
        self._done_event = threading.Event()

    # -- GUI thread API -------------------------------------------------------------
    def start(self, pool: QThreadPool | None = None, priority: int = Priority.NORMAL) -> "BackgroundTask":
        self._running = True
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
                except (RuntimeError, TypeError):
                    pass

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work function returned (for tests and shutdown only)."""
        return self._done_event.wait(timeout)

    # -- worker thread ----------------------------------------------------------------
    def _progress(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if done < total and now - self._last_progress < self.PROGRESS_INTERVAL_S:
            return
        self._last_progress = now
        self.sigProgress.emit(int(done), int(total), str(text))

    def _run_in_worker(self) -> None:
        try:
            if self._cancel.is_set():
                raise TaskCancelled()
            result = self._work(self._progress, self._cancel.is_set)
        except BaseException as exc:  # noqa: BLE001 - reported through the signal, never swallowed
            self._done_event.set()
            self._running = False
            if _is_cancel_exception(exc) or self._cancel.is_set():
                self.sigCancelled.emit()
            else:
                self.sigFailed.emit(exc)
        else:
            self._done_event.set()
            self._running = False
            if self._cancel.is_set():
                self.sigCancelled.emit()
            else:
                self.sigFinished.emit(result)
        self.sigDone.emit()
