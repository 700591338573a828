"""The GUI thread gets the GIL while a worker parses: a heartbeat and a real step aside.

A worker that runs Python or short C calls back to back (the chunked parse: a 256 KB orjson
piece, ~1 ms, then the next) keeps the GIL. CPython hands it over when a waiting thread has
waited for the switch interval (5 ms): it then asks the holder to drop it, and the holder waits
until the waiter has it. That works only as long as nobody releases the GIL *voluntarily*: a
release (``time.sleep(0)``, any blocking call) wakes the waiter, which restarts its 5 ms wait,
and the releasing thread, already on a CPU, takes the GIL back before the woken waiter runs.
The parse used to yield with ``time.sleep(0)`` every 2 ms — so the GUI thread's wait never
reached 5 ms and it could wait for the GIL for 70+ ms with a CPU idle (measured:
``benchmarks/open_document.py --diagnose``, docs/architecture.md).

So the worker does not yield blindly. The GUI thread beats a heartbeat (``ui/workers`` runs a
short timer while background tasks run: :func:`beat`); a worker calls :func:`yield_to_gui`
between its steps (a clock read and a compare when the GUI is fine). When the heartbeat is older
than :data:`STALE_S`, the GUI thread wants the GIL and is not getting it: the worker sleeps in
:data:`STEP_S` steps — the GIL is free and the worker is not runnable, so the GUI thread takes
it — until the GUI has beaten again (at most :data:`MAX_WAIT_S`). When the GUI does not beat in
that time it is not waiting for the GIL (blocked on something else, e.g. a test's ``wait()``):
the worker does not wait again until the heartbeat moves.

Without a heartbeat (the CLIs, tests without an event loop) and in the GUI thread itself,
:func:`yield_to_gui` does nothing. No Qt here.
"""
from __future__ import annotations

import threading
import time
from typing import Iterable, Iterator, TypeVar

_T = TypeVar("_T")

#: The GUI thread's timer beats this often while tasks run (``ui/workers``).
BEAT_INTERVAL_S = 0.004
#: A heartbeat older than this: the GUI thread has waited for the GIL longer than CPython's
#: switch interval (5 ms) should let it (3 beats missed; at 6 ms the worker stepped aside
#: ~40 times per 50 MB parse, +15 % parse time, for gaps the forced switch bounds anyway).
STALE_S = 0.012
#: Background work nobody waits for (the search index's fill) steps aside sooner: as soon as
#: the GUI missed one beat — a long GUI event (building a document's views) then runs without
#: sharing the GIL, instead of taking twice as long.
BACKGROUND_STALE_S = 0.006
#: The worker steps aside in sleeps this long ...
STEP_S = 0.001
#: ... until the GUI beats, or this long at most.
MAX_WAIT_S = 0.03


class Heartbeat:
    """The GUI thread's last beat (``time.monotonic()``) and whether it beats at all."""

    __slots__ = ("beating", "gave_up_at", "gui_ident", "last", "waits")

    def __init__(self) -> None:
        self.beating = False       # a GUI thread beats (set by ui/workers while tasks run)
        self.last = 0.0
        self.gui_ident = -1        # the beating thread: it never waits for itself
        self.gave_up_at = -1.0     # the beat after which a wait went unanswered
        self.waits = 0             # times a worker stepped aside (tests, benchmarks)


#: Background work (the search index's fill) waits while the GUI thread has work in steps under
#: way (a Save Summary page built an event at a time, ``ui/worldstate/domain_views``): each step
#: holds it off this long, covering the next step and the paint after the last.
BACKGROUND_HOLD_S = 0.1

_heartbeat = Heartbeat()
_hold_until = 0.0
_sleep = time.sleep                # tests replace it to see the steps without waiting
_clock = time.monotonic


def heartbeat() -> Heartbeat:
    return _heartbeat


def beat() -> None:
    """The GUI thread ran its event loop just now. GUI thread only."""
    hb = _heartbeat
    hb.gui_ident = threading.get_ident()
    hb.last = _clock()
    hb.beating = True


def stop_beating() -> None:
    """No more beats (no task runs): workers must not wait for them."""
    _heartbeat.beating = False


def hold_background(seconds: float = BACKGROUND_HOLD_S) -> None:
    """The GUI thread is in the middle of work done in steps: background work should not start
    or go on for ``seconds`` (each step extends it; nothing to release, so a step chain that is
    dropped ends the hold by itself). A worker sharing the GIL with those steps made each of them
    wait for it (GUI gaps of 60-100 ms after the first rows of a 50 MB save, issue 13)."""
    global _hold_until
    _hold_until = max(_hold_until, _clock() + seconds)


def background_held() -> bool:
    """Whether background work should step aside now (see :func:`hold_background`)."""
    return _clock() < _hold_until


def yield_to_gui(stale_s: float = STALE_S) -> bool:
    """In a worker, between two steps of long work: when the GUI thread's heartbeat is older
    than ``stale_s``, sleep (GIL free, not runnable) until it beats again, at most
    :data:`MAX_WAIT_S`. True when it stepped aside. Cheap when the heartbeat is fresh."""
    hb = _heartbeat
    if not hb.beating:
        return False
    last = hb.last
    now = _clock()
    if now - last <= stale_s or last == hb.gave_up_at or threading.get_ident() == hb.gui_ident:
        return False
    hb.waits += 1
    deadline = now + MAX_WAIT_S
    while True:
        _sleep(STEP_S)
        if hb.last != last or not hb.beating:
            return True
        if _clock() >= deadline:
            hb.gave_up_at = last        # the GUI is not waiting for the GIL: don't wait again
            return True


#: :func:`turns` offers the GUI its turn every this many items (~0.1-0.5 ms of per-item work).
TURN_EVERY = 256


def turns(items: Iterable[_T], every: int = TURN_EVERY, stale_s: float = STALE_S) -> Iterator[_T]:
    """``items``, with :func:`yield_to_gui` between every ``every`` of them: for a worker's
    long pure-Python loop (a 50 MB save's story flags and inventory rows for the Save Summary,
    ~0.3 s and ~1 s of one thread), so the GUI thread is not left waiting for the GIL through it."""
    count = 0
    for item in items:
        yield item
        count += 1
        if count >= every:
            count = 0
            yield_to_gui(stale_s)
