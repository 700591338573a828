"""Shared helpers for the hand-run benchmarks in ``benchmarks/``.

Every benchmark writes one JSON file ``benchmarks/results/<name>-<epoch ms>.json`` in the
shape of the game's ``benchmark-results/m1-profile-*.json`` files, so the app's own metric
history view can read our results beside the game's::

    {"metadata": {"timestamp": ISO, "platform": ..., "python": ...},
     "benchmarks": {<name>: {"iterations": n,
                             "timing": {"min", "max", "mean", "median", "p95", "p99"},  # ms
                             ...extra fields (floor, ratio, target, ...)}}}

Percentiles follow the game's m1 profile (``sorted[floor(n * p)]``), so numbers compare
like for like. Keep this module small and stable: several benchmarks import it.
"""
from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def percentile(sorted_ms: Sequence[float], p: float) -> float:
    """The game's m1-profile percentile: ``sorted[floor(n * p)]`` (clamped to the last sample)."""
    if not sorted_ms:
        return math.nan
    return sorted_ms[min(len(sorted_ms) - 1, int(math.floor(len(sorted_ms) * p)))]


def timing_stats(samples_ms: Sequence[float]) -> dict[str, float]:
    """min / max / mean / median / p95 / p99 of samples already expressed in milliseconds."""
    ordered = sorted(samples_ms)
    if not ordered:
        return dict.fromkeys(("min", "max", "mean", "median", "p95", "p99"), math.nan)
    return {
        "min": ordered[0],
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
        "median": statistics.median(ordered),
        "p95": percentile(ordered, 0.95),
        "p99": percentile(ordered, 0.99),
    }


def time_calls(fn: Callable[[int], Any], iterations: int, *, warmup: int = 0) -> list[float]:
    """Call ``fn(i)`` ``warmup`` + ``iterations`` times; return the timed calls in ms."""
    for i in range(warmup):
        fn(-1 - i)
    samples: list[float] = []
    clock = time.perf_counter_ns
    for i in range(iterations):
        start = clock()
        fn(i)
        samples.append((clock() - start) / 1e6)
    return samples


def ratio(value: float, floor: float) -> float | None:
    """``value / floor`` rounded to 3 dp, or None when the floor is 0 / not finite."""
    if not floor or not math.isfinite(floor) or not math.isfinite(value):
        return None
    return round(value / floor, 3)


def result_entry(samples_ms: Sequence[float], **extra: Any) -> dict[str, Any]:
    """One ``benchmarks.<name>`` entry: iterations, timing stats, then any extra fields."""
    return {"iterations": len(samples_ms), "timing": timing_stats(samples_ms), **extra}


def run_metadata(**extra: Any) -> dict[str, Any]:
    """The ``metadata`` block: start time (ISO, ms, Z), platform, python, cpu count, load."""
    now = datetime.now(timezone.utc)
    meta: dict[str, Any] = {
        "timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        "platform": f"{sys.platform} {platform.machine()} ({platform.platform()})",
        "python": platform.python_version(),
        "cpuCount": os.cpu_count(),
    }
    try:
        meta["loadAverage"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:  # not available on every platform
        pass
    meta.update(extra)
    return meta


def write_results(name: str, benchmarks: dict[str, Any], *, metadata: dict[str, Any] | None = None,
                  results_dir: Path | None = None) -> Path:
    """Write ``<results_dir>/<name>-<epoch ms>.json`` atomically (JSON, 2-space indent, no
    trailing newline, like the game's m1-profile files) and return its path."""
    out_dir = Path(results_dir) if results_dir is not None else RESULTS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}-{int(time.time() * 1000)}.json"
    doc = {"metadata": metadata if metadata is not None else run_metadata(), "benchmarks": benchmarks}
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False, default=str) \
        if _all_finite(doc) else json.dumps(_nan_to_none(doc), indent=2, ensure_ascii=False)
    from inspector_app.core.common.fileio import write_atomic   # the one atomic writer
    write_atomic(path, text)
    return path


def format_timing(stats: dict[str, float], keys: Sequence[str] = ("mean", "min", "max", "p95")) -> str:
    """``mean=0.123 min=0.100 max=0.400 p95=0.200`` (ms) for console output."""
    return " ".join(f"{k}={stats[k]:.3f}" for k in keys)


def _all_finite(obj: Any) -> bool:
    if isinstance(obj, float):
        return math.isfinite(obj)
    if isinstance(obj, dict):
        return all(_all_finite(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return all(_all_finite(v) for v in obj)
    return True


def _nan_to_none(obj: Any) -> Any:
    """JSON has no NaN: missing statistics are written as null."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _nan_to_none(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_nan_to_none(v) for v in obj]
    return obj


class GuiGapProbe:
    """The GUI thread's stalls: a timer (1 ms unless told) records the gap between its ticks, so
    the largest gap is the longest time the event loop could not run. Needs a QApplication.

        probe = GuiGapProbe().start(); ...; probe.stop(); probe.worst_ms()

    ``ends`` keeps each gap's end on ``time.monotonic_ns`` (the clock of ``_diagnose``), so a
    gap can be matched with what ran in it (``open_document.py --timeline``).
    A 1 ms timer is itself GUI work that wants the GIL every ms; ``interval_ms`` 4 (the app's
    own heartbeat period) checks that the probe does not change what it measures.
    """

    def __init__(self, interval_ms: int = 1, sched: bool = False) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.gaps: list[float] = []
        self.ends: list[int] = []
        #: with ``sched``: per gap, the GUI thread's run delay (ms runnable but not given a CPU:
        #: the machine's other work, Linux ``schedstat``) and its CPU time (ms)
        self.delays: list[float] = []
        self.cpus: list[float] = []
        self._sched = sched and os.path.exists("/proc/thread-self/schedstat")
        self._last_sched = (0, 0)
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last = self._clock.nsecsElapsed()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    @staticmethod
    def _schedstat() -> tuple[int, int]:
        with open("/proc/thread-self/schedstat") as fh:
            run, wait, _ = fh.read().split()
        return int(run), int(wait)

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed()
        self.gaps.append((now - self._last) / 1e6)
        self.ends.append(time.monotonic_ns())
        self._last = now
        if self._sched:
            run, wait = self._schedstat()
            self.cpus.append((run - self._last_sched[0]) / 1e6)
            self.delays.append((wait - self._last_sched[1]) / 1e6)
            self._last_sched = (run, wait)

    def start(self) -> "GuiGapProbe":
        self._last = self._clock.nsecsElapsed()
        if self._sched:
            self._last_sched = self._schedstat()
        self._timer.start()
        return self

    def worst_own_ms(self) -> float | None:
        """The worst gap less the GUI thread's run delay in it (with ``sched``): the stall that
        is not the machine's (2 shared cores): the GUI's own work and its waits for the GIL."""
        if not self.delays:
            return None
        return max(g - d for g, d in zip(self.gaps, self.delays))

    def worst_cpu_ms(self) -> float | None:
        """The most CPU the GUI thread spent in one gap (with ``sched``): its longest own slice."""
        return max(self.cpus) if self.cpus else None

    def stop(self) -> None:
        self._timer.stop()

    def worst_ms(self) -> float | None:
        return max(self.gaps) if self.gaps else None

    def gaps_over(self, ms: float) -> list[tuple[int, int, float, float | None]]:
        """``(start ns, end ns, ms, run delay ms or None)`` of every gap over ``ms`` (monotonic_ns;
        with ``sched``, gaps whose time less the GUI thread's run delay is over ``ms``)."""
        delays = self.delays if self.delays else [None] * len(self.gaps)
        return [(end - int(gap * 1e6), end, gap, delay) for gap, end, delay in zip(self.gaps, self.ends, delays)
                if gap - (delay or 0.0) > ms]
