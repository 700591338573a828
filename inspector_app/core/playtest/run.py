"""Run a playtest: discover players, summarise them on all cores (or a Dask cluster), merge, report.

Local: a ``ProcessPoolExecutor`` (forkserver on Linux, so a GUI process with threads never forks
itself), at most ``4 × workers`` profiles in flight, each summary folded into one partial as it
arrives (memory stays bounded by the partial, not the summaries), with progress and cancel;
unchanged files come from the per-file cache (``cache.SummaryCache``). With
``scheduler="tcp://HOST:PORT"`` the same functions run on ``dask.distributed`` workers
(``cluster.run_on_dask``); dask is imported only there.

Call from a worker thread (the GUI: ``ui/workers.BackgroundTask``), never the GUI thread.
"""
from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from inspector_app.core.common.progress import CancelledFn, ProgressFn

from .cache import SummaryCache
from inspector_app.core.loading.jsonparse import GC_PAUSE_THRESHOLD, gc_paused

from .model import PlayerSource, PlayerSummary, PlaytestCancelled, ProblemInfo, summary_from_json, summary_to_json
from .partial import Partial
from .report import PlaytestReport, build_report
from .sources import discover_sources
from .summarize import summarize_profile

log = logging.getLogger(__name__)

#: below this many profiles to read, the work runs in the calling thread (a pool costs more)
INLINE_BELOW = 4
_PROGRESS_EVERY_S = 0.05
_POLL_S = 0.1


@dataclass(frozen=True)
class PlaytestRun:
    report: PlaytestReport
    sources: tuple[PlayerSource, ...]
    read: int                   # profiles actually read (not answered by the cache)
    cached: int                 # profiles answered by the cache
    scheduler: str              # "local" | "inline" | the tcp:// address
    read_paths: tuple[str, ...] = ()     # the paths that were read, sorted (added after v1; tests)
    notes: tuple[str, ...] = ()          # cache rebuilt, … (for the status bar / stderr)


class _Progress:
    def __init__(self, progress: ProgressFn | None, total: int):
        self.fn = progress
        self.total = total
        self.done = 0
        self._last = 0.0

    def step(self, n: int = 1, text: str = "", force: bool = False) -> None:
        self.done += n
        if self.fn is None:
            return
        now = time.monotonic()
        if force or self.done >= self.total or now - self._last >= _PROGRESS_EVERY_S:
            self._last = now
            self.fn(self.done, self.total, text)


def _check(cancelled: CancelledFn | None) -> None:
    if cancelled is not None and cancelled():
        raise PlaytestCancelled("playtest cancelled")


#: imported once in the fork server, so every worker starts with them (numpy comes with the transcript)
WORKER_MODULES = ("inspector_app.core.playtest.summarize", "inspector_app.core.loading.loader",
                  "inspector_app.core.transcript.sources", "inspector_app.core.worldstate.view_items",
                  "inspector_app.core.worldstate.view_quests_story", "inspector_app.core.worldstate.view_factions")


def pool_context() -> multiprocessing.context.BaseContext:
    """forkserver where it exists (no fork of a threaded GUI process), else spawn."""
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(WORKER_MODULES))
        return ctx
    return multiprocessing.get_context("spawn")


def _summarize_batch(sources: Sequence[PlayerSource]) -> list[bytes]:
    """A pool worker's job: each summary as ``summary_to_json`` bytes, which the caller decodes
    once and stores in the cache as they are (pickling the frozen records cost the worker 0.1 ms
    and the caller 0.2 ms a profile, then the cache encoded them again).

    The cyclic GC is paused meanwhile (as ``ui/workers`` does for its tasks): a loaded profile is
    acyclic trees that reference counting frees, and the collector only walked them over and over
    while the next save was parsed (~1 ms of a ~6 ms profile). It runs again between batches."""
    with gc_paused(GC_PAUSE_THRESHOLD):
        return [summary_to_json(summarize_profile(s)) for s in sources]


def summarize_local(sources: Sequence[PlayerSource], *, workers: int | None = None,
                    progress: _Progress | None = None, cancelled: CancelledFn | None = None,
                    on_summary=None) -> str:
    """Summarise ``sources`` on a local process pool; ``on_summary(summary, encoded)`` in this thread
    as each arrives (``encoded``: its ``summary_to_json`` bytes when a worker made it, else None).
    Returns "local" or "inline"."""
    workers = max(1, workers or os.cpu_count() or 1)
    if workers == 1 or len(sources) < INLINE_BELOW:
        for source in sources:
            _check(cancelled)
            on_summary(summarize_profile(source), None)
            if progress:
                progress.step(text=source.player_id)
        return "inline"
    # small batches: fewer round trips; several per worker so the pool stays busy to the end
    batch = max(1, min(8, len(sources) // (workers * 8)))
    batches = [sources[i:i + batch] for i in range(0, len(sources), batch)]
    max_in_flight = workers * 4
    seen: set[str] = set()

    def deliver(summary: PlayerSummary, encoded: bytes | None) -> None:
        seen.add(summary.player_id)
        on_summary(summary, encoded)

    try:
        pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=pool_context())
    except (OSError, ValueError) as error:      # no process support here: run in this thread
        log.warning("no process pool (%s); summarising in this thread", error)
        return summarize_local(sources, workers=1, progress=progress, cancelled=cancelled, on_summary=on_summary)
    pending: set[cf.Future] = set()
    ok = False
    try:
        it = iter(batches)
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < max_in_flight:
                _check(cancelled)
                nxt = next(it, None)
                if nxt is None:
                    exhausted = True
                    break
                pending.add(pool.submit(_summarize_batch, nxt))
            done, pending = cf.wait(pending, timeout=_POLL_S, return_when=cf.FIRST_COMPLETED)
            for fut in done:
                try:
                    encoded = fut.result()
                except cf.process.BrokenProcessPool as error:
                    # a worker died (killed, out of memory) or workers cannot start (frozen app):
                    # the rest is summarised here, so no player is lost
                    log.warning("the process pool broke (%s); summarising the rest in this thread", error)
                    rest = [s for s in sources if s.player_id not in seen]
                    for fut2 in pending:
                        fut2.cancel()
                    pending = set()
                    summarize_local(rest, workers=1, progress=progress, cancelled=cancelled, on_summary=deliver)
                    ok = True
                    return "inline"
                last = ""
                for data in encoded:
                    summary = summary_from_json(data)
                    deliver(summary, data)
                    last = summary.player_id
                if progress:
                    progress.step(len(encoded), text=last)
            _check(cancelled)
        ok = True
    finally:
        if not ok:
            for fut in pending:
                fut.cancel()
        pool.shutdown(wait=ok, cancel_futures=not ok)
    return "local"


def run_playtest(inputs: Sequence[str | os.PathLike], *, scheduler: str | None = None, workers: int | None = None,
                 cache: SummaryCache | bool = True, progress: ProgressFn | None = None,
                 cancelled: CancelledFn | None = None) -> PlaytestRun:
    """The playtest of every profile under ``inputs`` (see the module docstring)."""
    sources, source_problems = discover_sources(inputs)
    return run_sources(sources, source_problems=source_problems, scheduler=scheduler, workers=workers,
                       cache=cache, progress=progress, cancelled=cancelled)


def run_sources(sources: Sequence[PlayerSource], *, source_problems: Sequence[ProblemInfo] = (),
                scheduler: str | None = None, workers: int | None = None, cache: SummaryCache | bool = True,
                progress: ProgressFn | None = None, cancelled: CancelledFn | None = None) -> PlaytestRun:
    _check(cancelled)
    if scheduler:
        from .cluster import run_on_dask

        partial = run_on_dask(sources, scheduler, progress=progress, cancelled=cancelled)
        report = build_report(partial, source_problems=source_problems)
        return PlaytestRun(report, tuple(sources), len(sources), 0, scheduler,
                           tuple(sorted(s.path for s in sources)))
    own_cache = cache is True
    store: SummaryCache | None = SummaryCache() if cache is True else (cache or None)
    try:
        hits, keys = store.lookup(sources) if store is not None else ({}, {})
        partial = Partial()
        for pid in sorted(hits):
            partial.add(hits[pid])
        to_read = [s for s in sources if s.player_id not in hits]
        meter = _Progress(progress, len(sources))
        if hits:
            meter.step(len(hits), text="cached", force=True)
        fresh: list[tuple[str, tuple[int, int], bytes]] = []

        def on_summary(summary: PlayerSummary, encoded: bytes | None) -> None:
            partial.add(summary)
            key = keys.get(summary.player_id)
            if store is not None and key is not None:
                fresh.append((summary.path, key, encoded if encoded is not None else summary_to_json(summary)))
                if len(fresh) >= 200:
                    store.store_encoded(fresh)
                    fresh.clear()

        mode = summarize_local(to_read, workers=workers, progress=meter, cancelled=cancelled, on_summary=on_summary)
        if store is not None:
            store.store_encoded(fresh)
        report = build_report(partial, source_problems=source_problems)
        notes = tuple(store.notes) if store is not None else ()
        return PlaytestRun(report, tuple(sources), len(to_read), len(hits), mode,
                           tuple(sorted(s.path for s in to_read)), notes)
    finally:
        if own_cache and store is not None:
            store.close()
