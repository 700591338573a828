"""Pause the cyclic garbage collector while a big document is built, and freeze what was built.

A JSON tree has no reference cycles, but the collector would still traverse its millions of
containers: during the parse (over and over) and then once per generation afterwards — each
pass as long as the parse itself (a 4 MB document: ~25 ms per pass; a full collection with
a few of them open: hundreds of ms), on whatever thread collects, which in the GUI is the GUI
thread (``ui/workers.GuiThreadGarbageCollector``). ``gc.freeze()`` at the end of the pause
moves what was built into the permanent generation, which no collection traverses; frozen
objects are still freed by reference counting when the document is dropped.

``gc.freeze()`` also freezes whatever cyclic garbage is pending at that moment, which is
then never freed — Qt objects the GUI left in cycles among it (tests/ui/test_gui_thread_gc.py).
So a freeze is *prepared*: when a pause for a document of ``GC_FREEZE_THRESHOLD`` bytes or
more begins, the registered preparer (``ui/workers`` installs one with the GUI-thread
collector) has the GUI thread collect every generation first — cheap then, since the new
document is not allocated yet and earlier documents are frozen — and the pause waits for
it. What the generations hold at the freeze is then what the pause built, plus what the GUI
made meanwhile. Without a preparer (the CLIs, no GUI thread) or without an answer, only
documents of ``GC_UNPREPARED_FREEZE_THRESHOLD`` bytes or more are frozen, as before.

The GUI-thread collector does not collect while a freezing pause is open
(:func:`freeze_pending`): it would traverse the half-built document for nothing.

Re-entrant and safe with several threads: the last pause out restores the state and freezes
(unless it leaves with an exception: a cancelled or failed build is dropped, not frozen).
No Qt here.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

#: Inputs at least this big are built with the garbage collector paused ...
GC_PAUSE_THRESHOLD = 1 << 20
#: ... at least this big, frozen after a prepared (GUI-thread) collection ...
GC_FREEZE_THRESHOLD = 2 << 20
#: ... and without a preparer (or its answer), frozen only from this size.
GC_UNPREPARED_FREEZE_THRESHOLD = 8 << 20

_lock = threading.Lock()


class _State:
    pausers = 0            # open pauses, in every thread
    was_enabled = True     # gc.isenabled() when the first one began
    freeze = False         # the last one out freezes


_state = _State()

#: ``() -> (() -> bool)``: have every generation collected where that is safe (the GUI thread)
#: and return what waits for that collection (True once done). Installed by ``ui/workers``;
#: None in the CLIs.
_preparer: Callable[[], Callable[[], bool]] | None = None


def set_freeze_preparer(preparer: Callable[[], Callable[[], bool]] | None) -> None:
    """Install (or remove, with None) what empties the generations before a freezing pause:
    called, it asks for the collection and returns the wait for its answer."""
    global _preparer
    _preparer = preparer


def begin_prepare(size: int) -> Callable[[], bool] | None:
    """For a build of ``size`` bytes that is about to start: ask for the prepared collection
    *now* and return its wait, to hand to :func:`gc_paused` (``prepared=``). The loader asks
    before it reads the file, so the GUI thread collects while the worker reads (the read holds
    no GIL) instead of the worker waiting for the collection after the read (~6 ms of a 50 MB
    open, ``benchmarks/open_document.py --timeline``). None when no freeze would be prepared."""
    if size < GC_FREEZE_THRESHOLD or freeze_pending():
        return None
    preparer = _preparer
    if preparer is None:
        return None
    try:
        return preparer()
    except Exception:  # noqa: BLE001 - no answer: the unprepared rule applies
        return None


def freeze_pending() -> bool:
    """A pause is open whose end freezes what it built (collecting now would traverse it)."""
    return _state.pausers > 0 and _state.freeze


def _prepared(waiting: Callable[[], bool] | None) -> bool:
    if waiting is None:
        waiting = begin_prepare(GC_FREEZE_THRESHOLD)
        if waiting is None:
            return False
    try:
        return bool(waiting())
    except Exception:  # noqa: BLE001 - no answer: the unprepared rule applies
        return False


@contextmanager
def gc_paused(size: int, prepared: Callable[[], bool] | None = None) -> Iterator[None]:
    """No automatic collection while the block runs when ``size`` ≥ ``GC_PAUSE_THRESHOLD``;
    what it built is frozen at the end of the outermost pause when ``size`` ≥
    ``GC_FREEZE_THRESHOLD`` and the generations were emptied first (see the module's doc).
    ``prepared``: the wait :func:`begin_prepare` returned when the collection was asked for
    earlier (else it is asked for here, and waited for)."""
    if size < GC_PAUSE_THRESHOLD:
        yield
        return
    freeze = False
    if size >= GC_FREEZE_THRESHOLD and not freeze_pending():
        # before this pause counts: the preparer's collection must find no freeze pending
        freeze = _prepared(prepared) or size >= GC_UNPREPARED_FREEZE_THRESHOLD
    elif size >= GC_FREEZE_THRESHOLD:
        freeze = True                     # an open freezing pause was prepared already
    with _lock:
        if _state.pausers == 0:
            _state.was_enabled = gc.isenabled()
            _state.freeze = False
            gc.disable()
        _state.pausers += 1
        if freeze:
            _state.freeze = True
    failed = False
    try:
        yield
    except BaseException:
        failed = True          # cancelled or failed: what was built is dropped, nothing to freeze
        raise
    finally:
        with _lock:
            _state.pausers -= 1
            if _state.pausers == 0:
                if _state.freeze and not failed:
                    gc.freeze()
                _state.freeze = False
                if _state.was_enabled:
                    gc.enable()
