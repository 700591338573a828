"""Every point of a scope in memory, loaded from the index in one query.

The index stores a run's values as two blobs (series ids, values); :class:`MetricTable`
decodes a scope's runs once into flat numpy arrays sorted by series, so listing series,
fetching a series or a benchmark's family, and the regression pass over thousands of series
cost array slices, not SQL queries. The worker builds it; the GUI only reads it (no SQLite on
the GUI thread). 10,000 runs of 35 values take about 6 MB.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Sequence

import numpy as np

from .model import BAND_HIGH, BAND_LOW, P95_STATISTICS, Limit, SeriesData, SeriesKey


@dataclass
class RunInfo:
    run_id: int
    time: float
    label: str
    path: str
    run_key: str


@dataclass
class MetricTable:
    """Runs (in time order) and their points, grouped by series; Qt-free and immutable."""

    runs: list[RunInfo] = field(default_factory=list)
    keys: dict[int, SeriesKey] = field(default_factory=dict)          # series id → key
    units: dict[int, str] = field(default_factory=dict)
    # points sorted by (series id, run position); one slice per series
    point_sid: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    point_pos: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    point_val: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    limit_rows: list[Limit] = field(default_factory=list)              # oldest file first
    problems: list[str] = field(default_factory=list)
    file_count: int = 0

    def __post_init__(self) -> None:
        self._ids = {key: sid for sid, key in self.keys.items()}
        point_sid = self.point_sid
        if len(point_sid) and not (point_sid[1:] >= point_sid[:-1]).all():
            raise ValueError("MetricTable points must be sorted by series id")
        # sorted: each series is one run of equal ids, found without sorting again
        starts = np.flatnonzero(np.diff(point_sid, prepend=point_sid[:1] - 1))
        sids = point_sid[starts]
        counts = np.diff(np.append(starts, len(point_sid)))
        self._slices = {int(s): (int(a), int(a + n)) for s, a, n in zip(sids, starts, counts)}
        self._by_benchmark: dict[tuple[str, str], list[int]] = {}
        for sid in self._slices:
            key = self.keys[sid]
            self._by_benchmark.setdefault((key.source, key.benchmark), []).append(sid)

    @staticmethod
    def from_blobs(rows: Sequence[tuple], series: Sequence[tuple], limits: Sequence[tuple],
                   problems: Sequence[str], file_count: int) -> "MetricTable":
        """``rows``: (run id, time, label, path, run key, sids blob, values blob)."""
        order = sorted(range(len(rows)), key=[(r[1], r[3], r[4] or "") for r in rows].__getitem__)
        basename = os.path.basename       # a run stored without a label is labelled with its file name
        ordered = [*map(rows.__getitem__, order)]
        runs = [RunInfo(r[0], r[1], r[2] or basename(r[3]), r[3], r[4] or "") for r in ordered]
        # every run's blobs decoded at once, runs in time order: one join and one frombuffer
        # per column; then a stable sort by series id alone leaves each series in run order
        sid_blobs = [r[5] or b"" for r in ordered]
        counts = np.fromiter(map(len, sid_blobs), dtype=np.int64, count=len(rows)) // 4
        sid = np.frombuffer(b"".join(sid_blobs), dtype=np.int32).astype(np.int64)
        val = np.frombuffer(b"".join([r[6] or b"" for r in ordered]), dtype=np.float64)
        run_pos = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
        # series ids are small: a 16-bit key sorts by radix (several times faster than int64)
        narrow = sid.astype(np.uint16) if len(sid) and sid.min() >= 0 and sid.max() < 2 ** 16 else sid
        ordering = np.argsort(narrow, kind="stable")
        return MetricTable(
            runs=runs,
            keys={int(r[0]): SeriesKey(r[1], r[2], r[3]) for r in series},
            units={int(r[0]): r[4] or "" for r in series},
            point_sid=sid[ordering], point_pos=run_pos[ordering], point_val=val[ordering],
            limit_rows=[Limit(*r) for r in limits], problems=list(problems), file_count=file_count)

    # ------------------------------------------------------------------------------ queries
    def series(self) -> list[tuple[SeriesKey, str, int]]:
        """Every series with at least one point: (key, unit, number of runs), sorted."""
        out = [(self.keys[sid], self.units.get(sid, ""), b - a) for sid, (a, b) in self._slices.items()]
        out.sort(key=lambda t: (t[0].source.lower(), t[0].benchmark.lower(), t[0].statistic.lower()))
        return out

    def has(self, key: SeriesKey) -> bool:
        return self._ids.get(key) in self._slices

    def family(self, source: str, benchmark: str) -> tuple[list[RunInfo], dict[str, np.ndarray], dict[str, str]]:
        """All statistics of one benchmark aligned by run: (runs in time order, {statistic:
        values with NaN where a run lacks it}, {statistic: unit})."""
        sids = self._by_benchmark.get((source, benchmark), [])
        if not sids:
            return [], {}, {}
        positions = np.unique(np.concatenate([self.point_pos[slice(*self._slices[s])] for s in sids]))
        runs = [self.runs[p] for p in positions]
        stats: dict[str, np.ndarray] = {}
        units: dict[str, str] = {}
        for sid in sorted(sids, key=lambda s: self.keys[s].statistic):
            a, b = self._slices[sid]
            column = np.full(len(positions), np.nan)
            column[np.searchsorted(positions, self.point_pos[a:b])] = self.point_val[a:b]
            stat = self.keys[sid].statistic
            stats[stat] = column
            units[stat] = self.units.get(sid, "")
        return runs, stats, units

    def series_data(self, key: SeriesKey) -> SeriesData:
        """One statistic (runs that have it) with its run's min/max/p95/iterations alongside.

        The min/max/p95 describe the run's timings: they go with a statistic in the same unit
        (mean, median, averageMs) and never with a byte count or a ratio of the same benchmark
        (whose band would be drawn in the wrong unit); the iteration count goes with every one."""
        runs, stats, units = self.family(key.source, key.benchmark)
        values = stats.get(key.statistic, np.full(len(runs), np.nan))
        keep = np.isfinite(values)
        unit = units.get(key.statistic, "")

        def companion(names: Sequence[str], any_unit: bool = False) -> np.ndarray | None:
            for n in names:
                if n in stats and n != key.statistic and (any_unit or units.get(n, "") == unit):
                    return stats[n][keep]
            return None

        kept = [r for r, k in zip(runs, keep) if k]
        return SeriesData(
            key=key, unit=units.get(key.statistic, ""),
            run_ids=np.array([r.run_id for r in kept], dtype=np.int64),
            times=np.array([r.time for r in kept], dtype=np.float64),
            values=values[keep], paths=[r.path for r in kept], labels=[r.label for r in kept],
            low=companion(BAND_LOW), high=companion(BAND_HIGH), p95=companion(P95_STATISTICS),
            iterations=companion(("iterations", "count"), any_unit=True),
        )

    def limits(self, key: SeriesKey) -> list[Limit]:
        """Limits found in the files that apply to this series (deduplicated by value, the
        newest file's wording kept), lowest first."""
        seen: dict[float, Limit] = {}
        for limit in self.limit_rows:
            if limit.source == key.source and fnmatchcase(key.benchmark, limit.benchmark) \
                    and fnmatchcase(key.statistic, limit.statistic):
                seen[limit.limit] = limit
        return sorted(seen.values(), key=lambda l: l.limit)
