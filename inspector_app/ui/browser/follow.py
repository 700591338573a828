"""Follow live: watch every opened input (a browser's storage folder and its files, or a file and
the folder it sits in, since the game or a capture script often *replaces* the file), reload in
the worker once the writes have settled, retry an input caught half-written, keep the last
content of one that disappeared, and keep what the user was looking at: the selected slot, the
tree's expansion, selection and scroll. What changed is listed in the banner (the app's one
structural diff, via :mod:`core.browser.follow`).
"""
from __future__ import annotations

import stat
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction

from inspector_app.ui.workers import BackgroundTask, Priority

if TYPE_CHECKING:  # the reload machinery (loader, browser readers, diff) is imported on first use:
    # the window creates its follower at start-up, which must stay light (issue 13)
    from inspector_app.core.browser.follow import ReloadChanges
    from inspector_app.core.loading.document import SaveDocument

DEBOUNCE_MS = 400          # writes settle: no change for this long
MAX_RETRIES = 20           # half-written reads in a row before the error is shown
MAX_WATCHED_FILES = 256
#: A followed file's folder is watched (inotify) only up to this directory size (``st_size``:
#: ~400 entries on ext4, ~800 on tmpfs). Adding a watch on a folder costs the kernel a walk of
#: its cached entries with the GUI thread (and the GIL) held: 17-36 ms for /tmp with ~3,900
#: entries, a GUI stall at the end of every open from there (issue 13). A bigger folder is
#: covered by a stat poll of the file instead (:data:`POLL_MS`).
WATCH_FOLDER_MAX_BYTES = 16 * 1024
#: How often the inputs whose folder is not watched are stat'ed (a replaced or re-created file).
POLL_MS = 1000


@dataclass
class TreeState:
    expanded: list[tuple] = field(default_factory=list)
    current: tuple | None = None
    scroll: int = 0


def capture_tree_state(inspector) -> TreeState:
    """Expanded node paths (only nodes already built are visited), current path, scroll."""
    tree, model = inspector.tree, inspector.model
    state = TreeState(current=inspector.current_path(), scroll=tree.verticalScrollBar().value())
    stack = [QModelIndex()]
    while stack:
        parent = stack.pop()
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            if tree.isExpanded(index):
                state.expanded.append(model.path_for_index(index))
                stack.append(index)
    return state


def restore_tree_state(inspector, state: TreeState) -> None:
    tree, model = inspector.tree, inspector.model
    for path in sorted(state.expanded, key=len):
        index = model.index_for_path(tuple(path))
        if index.isValid():
            tree.expand(index)
    if state.current is not None:
        index = model.index_for_path(tuple(state.current))
        if index.isValid():
            tree.setCurrentIndex(index)
    tree.verticalScrollBar().setValue(state.scroll)


def origin_of(doc: SaveDocument) -> str | None:
    """The origin a browser document was read from (the last part of ``doc.source``)."""
    return doc.source.rsplit(" · ", 1)[-1] if doc.source else None


@dataclass
class _Followed:
    path: Path
    origin: str | None
    doc_ref: weakref.ref          # weak: closing the document frees it; the watch ends at the next change
    timer: QTimer
    task: BackgroundTask | None = None
    pending: bool = False
    retries: int = 0
    gone: bool = False
    watched: set[str] = field(default_factory=set)
    stamp: object = None          # core.browser.stamp.input_stamp of the shown content


class LiveFollower(QObject):
    """Owned by the main window; reloads its documents when their inputs change."""

    sigReloaded = Signal(object, object)   # new SaveDocument, ReloadChanges
    sigGone = Signal(str)                  # path
    sigRetrying = Signal(str, str)         # path, why
    sigUnchanged = Signal(str)             # path: its folder changed, the input itself did not (no reload)

    def __init__(self, window, debounce_ms: int = DEBOUNCE_MS):
        super().__init__(window)
        self.window = window
        self.debounce_ms = debounce_ms
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_fs_change)
        self._watcher.directoryChanged.connect(self._on_fs_change)
        self._followed: dict[str, _Followed] = {}
        self._polled: set[str] = set()      # followed files whose folder is too big to watch
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._poll_stamps)
        self._applying = False
        self.action = QAction("&Follow Live", window)
        self.action.setObjectName("actionFollowLive")
        self.action.setCheckable(True)
        self.action.setChecked(True)
        self.action.setStatusTip("Reload opened saves and browser profiles when they change on disk")
        self.action.toggled.connect(self._on_toggled)
        window.sigDocumentLoaded.connect(self._on_document_loaded)
        window.sigSlotShown.connect(self._on_slot_shown)
        # the view state to put back, and the paths the reload changed in the shown slot
        self._restore: tuple[weakref.ref, TreeState, dict[tuple, str]] | None = None

    # -- what is followed ----------------------------------------------------------------
    def followed_paths(self) -> list[str]:
        return list(self._followed)

    def is_gone(self, path) -> bool:
        f = self._followed.get(str(path))
        return bool(f and f.gone)

    def _on_toggled(self, on: bool) -> None:
        if not on:
            for key in list(self._followed):
                self.unfollow(key)
        else:
            for doc in self.window.documents():
                self.follow(doc)

    def _on_document_loaded(self, doc: SaveDocument) -> None:
        if self._applying or not self.action.isChecked():
            return
        self.follow(doc)

    def follow(self, doc: SaveDocument) -> None:
        key = str(doc.path)
        f = self._followed.get(key)
        if f is None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(self.debounce_ms)
            timer.timeout.connect(lambda key=key: self._reload(key))
            f = self._followed[key] = _Followed(Path(doc.path), origin_of(doc), weakref.ref(doc), timer)
        from inspector_app.core.browser.stamp import input_stamp   # light: a stat, no loaders

        # The stamp of what the load read (taken before reading, see MainWindow.open_path): a
        # write that landed during the read, or before the watch below began, differs from it
        # and reloads now — no change notification will come for it.
        now = input_stamp(f.path)
        read = self.window.read_stamps.get(key, now)
        f.doc_ref, f.gone, f.stamp = weakref.ref(doc), False, read
        self._rewatch(f)
        if read != now:
            f.timer.start()

    def unfollow(self, key: str) -> None:
        f = self._followed.pop(key, None)
        if f is None:
            return
        f.timer.stop()
        if f.task is not None:
            f.task.detach()
        self._drop_watches(f.watched)
        self._set_polled(key, False)

    def _drop_watches(self, paths: set[str]) -> None:
        still = set().union(*(g.watched for g in self._followed.values())) if self._followed else set()
        drop = [p for p in paths if p not in still and p in set(self._watcher.files() + self._watcher.directories())]
        if drop:
            self._watcher.removePaths(drop)

    def _rewatch(self, f: _Followed) -> None:
        """Watch the input and what can replace it: a folder and its files, or a file and its folder."""
        wanted: set[str] = set()
        p = f.path
        if p.is_dir():
            wanted.add(str(p))
            try:
                wanted.update(str(c) for c in sorted(p.iterdir())[:MAX_WATCHED_FILES] if c.is_file())
            except OSError:
                pass
        else:
            if p.exists():
                wanted.add(str(p))
            folder = self._watchable_folder(p.parent)
            if folder is not None:
                wanted.add(folder)
            self._set_polled(str(p), folder is None)
        current = set(self._watcher.files() + self._watcher.directories())
        missing = [w for w in wanted if w not in current]
        if missing:
            self._watcher.addPaths(missing)
        old = f.watched - wanted
        f.watched = wanted
        if old:
            self._drop_watches(old)

    @staticmethod
    def _watchable_folder(folder: Path) -> str | None:
        """The folder to watch beside a followed file, or None when it is missing or too big to
        watch cheaply (one ``stat``; see :data:`WATCH_FOLDER_MAX_BYTES`)."""
        try:
            st = folder.stat()
        except OSError:
            return None
        return str(folder) if st.st_size <= WATCH_FOLDER_MAX_BYTES and stat.S_ISDIR(st.st_mode) else None

    def _set_polled(self, key: str, polled: bool) -> None:
        """A file whose folder is not watched is stat'ed every :data:`POLL_MS`: its own watch
        sees writes and a replacement (the old file's removal), the poll a file that comes back
        or a replacement after that watch ended."""
        if polled:
            self._polled.add(key)
        else:
            self._polled.discard(key)
        if self._polled and not self._poll.isActive():
            self._poll.start()
        elif not self._polled:
            self._poll.stop()

    def polled_paths(self) -> list[str]:
        """Followed files whose folder is too big to watch (stat'ed every :data:`POLL_MS`)."""
        return sorted(self._polled)

    def _poll_stamps(self) -> None:
        from inspector_app.core.browser.stamp import input_stamp   # light: a stat, no loaders

        for key in list(self._polled):
            f = self._followed.get(key)
            if f is None:
                self._set_polled(key, False)
            elif f.task is None and not f.timer.isActive() and not f.retries and input_stamp(f.path) != f.stamp:
                f.timer.start()       # reload once the writes settle (the stamp compare stays in _reload)

    # -- change -> debounce -> reload ----------------------------------------------------
    def _on_fs_change(self, changed: str) -> None:
        for f in self._followed.values():
            if changed in f.watched:
                f.timer.start()       # restart: reload once the writes settle

    def _reload(self, key: str) -> None:
        f = self._followed.get(key)
        if f is None:
            return
        if f.task is not None:
            f.pending = True
            return
        old = f.doc_ref()
        if old is None or old not in self.window.documents():     # closed
            self.unfollow(key)
            return
        from inspector_app.core.browser.stamp import input_stamp   # light: a stat, no loaders

        # Only the input itself counts: another file written into the same folder (the game's
        # other saves, a capture script's temporaries) must not re-parse a 50 MB save.
        stamp = input_stamp(f.path)
        if stamp == f.stamp and f.retries == 0:
            self.sigUnchanged.emit(key)
            return
        current = self.window.current_row()
        focus = current.slot.key if current is not None and current.document is old and current.slot else None

        def work(progress, cancelled, path=f.path, origin=f.origin):
            from inspector_app.core.browser.follow import reload_document

            return reload_document(path, origin, old, focus, progress=progress, cancelled=cancelled)

        task = BackgroundTask(work, name=f"follow {key}")
        task.sigFinished.connect(lambda result, key=key, stamp=stamp: self._reloaded(key, result, stamp))
        task.sigFailed.connect(lambda exc, key=key, stamp=stamp: self._reload_failed(key, exc, stamp))
        task.sigCancelled.connect(lambda name=old.display_name: self.window.statusBar().showMessage(
            f"Reloading {name} was cancelled; its last content stays shown.", 8000))
        task.sigDone.connect(lambda key=key: self._task_done(key))
        f.task = task
        # progress and Cancel in the status bar; the name shortened to the bar ("Reloading big…json… 9%")
        bar = self.window.progress
        name = bar.fontMetrics().elidedText(old.display_name, Qt.TextElideMode.ElideMiddle, bar.minimumWidth() // 2)
        self.window._track_task(task, f"Reloading {name}…")
        task.start(priority=Priority.NORMAL)

    def _task_done(self, key: str) -> None:
        f = self._followed.get(key)
        if f is None:
            return
        f.task = None
        if f.path.exists() or f.path.parent.exists():
            self._rewatch(f)
        if f.pending:
            f.pending = False
            f.timer.start()

    def _reloaded(self, key: str, result: tuple[SaveDocument, ReloadChanges], stamp: object) -> None:
        f = self._followed.get(key)
        if f is None:
            return
        doc, changes = result
        old = f.doc_ref()
        f.retries, f.gone, f.stamp = 0, False, stamp
        self.window.read_stamps[key] = stamp
        if old is None or old not in self.window.documents():     # closed meanwhile
            self.unfollow(key)
            return
        if changes.is_empty:
            # nothing changed: the shown document stays (and stays followed); the last highlights go
            current = self.window.current_row()
            if current is not None and current.document is old:
                self.window.state_inspector.model.set_changed_paths({})
        else:
            f.doc_ref = weakref.ref(doc)
            self._apply(old, doc, changes)
        self.sigReloaded.emit(doc, changes)

    def _reload_failed(self, key: str, exc: object, stamp: object) -> None:
        f = self._followed.get(key)
        if f is None:
            return
        old = f.doc_ref()
        if old is None:
            self.unfollow(key)
            return
        from inspector_app.core.browser.follow import Gone, HalfWritten

        name = old.display_name
        if not isinstance(exc, HalfWritten):
            f.retries, f.stamp = 0, stamp    # reported: read again only when the input changes again
        if isinstance(exc, Gone):
            f.gone = True
            self.window.banner.show_message(f"{name} is gone from disk; its last content stays shown. It reloads "
                                            "if it comes back.", "warning")
            self.sigGone.emit(key)
        elif isinstance(exc, HalfWritten) and f.retries < MAX_RETRIES:
            f.retries += 1
            self.sigRetrying.emit(key, exc.reason)
            f.timer.start()
        else:
            from inspector_app.core.loading.document import LoadError

            problem = exc.problem.describe() if isinstance(exc, LoadError) else str(exc)
            self.window.banner.show_message(f"Could not reload {name}: {problem}. The last content stays shown.",
                                            "error")

    # -- applying a reload to the window --------------------------------------------------
    def _on_slot_shown(self, row) -> None:
        if self._restore is None:
            return
        ref, state, changed = self._restore
        self._restore = None
        if row.document is ref():
            restore_tree_state(self.window.state_inspector, state)
            if changed:
                self.window.state_inspector.model.set_changed_paths(changed)

    def _apply(self, old: SaveDocument, new: SaveDocument, changes: ReloadChanges) -> None:
        """Swap the document in place; the selected slot, tree expansion, selection and scroll stay."""
        w = self.window
        current = w.current_row()
        keep = current is not None and current.document is old
        focused = keep and (current.slot.key if current.slot is not None else None) == changes.focus_key
        changed = changes.changed_paths() if focused else {}
        self._restore = (weakref.ref(new), capture_tree_state(w.state_inspector), changed) if keep else None
        self._applying = True
        try:
            w.replace_document(old, new)
        finally:
            self._applying = False
        lines = changes.lines(6)
        w.banner.show_message(f"{new.display_name} changed on disk and was reloaded: " + "; ".join(lines), "info")
