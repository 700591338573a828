"""Incremental SQLite index of metric files, so reopening a folder of 10,000 results is instant.

Files are keyed by path + size + modification time (ns); a reingest stats every file but reads
only new or changed ones (or those whose companion files — a packet's ``metadata.json``, the
latency baseline — changed) and forgets deleted ones. Work is committed in batches, so a
cancelled ingest keeps what it finished and the next one resumes. One :class:`MetricIndex`
(one sqlite3 connection) per thread: the UI queries with its own, the ingest task opens another;
WAL mode lets them run side by side.
"""
from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import orjson

from inspector_app.core.common.progress import CancelledFn, ProgressFn
from inspector_app.core.common.userdirs import data_dir
from ..loading.document import LoadCancelled
from .model import BAND_HIGH, BAND_LOW, P95_STATISTICS, Limit, ReadResult, SeriesData, SeriesKey
from .readers import read_metric_file

INDEX_FILE_NAME = "metric-index.sqlite3"
SCHEMA_VERSION = "1"
METRIC_SUFFIXES = (".json", ".jsonl")
SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".hg", ".svn", ".mypy_cache", ".pytest_cache"}
BATCH_FILES = 200


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files(id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, reader TEXT, problems TEXT, deps TEXT);
CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, run_key TEXT, time REAL,
    time_source TEXT, label TEXT);
CREATE INDEX IF NOT EXISTS runs_file ON runs(file_id);
CREATE TABLE IF NOT EXISTS series(id INTEGER PRIMARY KEY, source TEXT NOT NULL, benchmark TEXT NOT NULL,
    statistic TEXT NOT NULL, unit TEXT, UNIQUE(source, benchmark, statistic));
CREATE TABLE IF NOT EXISTS points(series_id INTEGER NOT NULL, run_id INTEGER NOT NULL, value REAL NOT NULL,
    PRIMARY KEY(series_id, run_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS points_run ON points(run_id);
CREATE TABLE IF NOT EXISTS samples(run_id INTEGER NOT NULL, source TEXT NOT NULL, benchmark TEXT NOT NULL,
    data BLOB NOT NULL, PRIMARY KEY(run_id, source, benchmark)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS limits(file_id INTEGER NOT NULL, source TEXT, benchmark TEXT, statistic TEXT,
    value REAL, label TEXT);
CREATE INDEX IF NOT EXISTS limits_file ON limits(file_id);
"""


@dataclass
class IngestReport:
    """What one ingest did (the UI shows it; tests check 'only the changed file was read')."""

    files_seen: int = 0
    files_read: list[str] = field(default_factory=list)
    files_removed: int = 0
    runs_added: int = 0
    problems: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0


@dataclass
class RunInfo:
    run_id: int
    time: float
    label: str
    path: str
    run_key: str


@dataclass(frozen=True)
class Scope:
    """Which indexed files a query covers: everything under ``roots`` plus the listed ``files``."""

    roots: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    @staticmethod
    def of(roots: Iterable[str | Path] = (), files: Iterable[str | Path] = ()) -> "Scope":
        return Scope(tuple(_norm(r) for r in roots), tuple(_norm(f) for f in files))

    def sql(self, column: str = "f.path") -> tuple[str, list]:
        parts: list[str] = []
        args: list = []
        for root in self.roots:
            parts.append(f"({column} >= ? AND {column} < ?)")
            args += [root + os.sep, root + chr(ord(os.sep) + 1)]
        if self.files:
            parts.append(f"{column} IN ({','.join('?' * len(self.files))})")
            args += list(self.files)
        return ("(" + " OR ".join(parts) + ")") if parts else "0", args

    def contains(self, path: str) -> bool:
        return path in self.files or any(path.startswith(r + os.sep) for r in self.roots)


def _norm(path: str | Path) -> str:
    return os.path.abspath(os.fspath(path))


def default_index_path() -> Path:
    return data_dir() / INDEX_FILE_NAME


def scan_metric_files(root: str | Path, cancelled: CancelledFn | None = None) -> dict[str, tuple[int, int]]:
    """``{path: (size, mtime_ns)}`` of every .json/.jsonl under root (hidden and vendor dirs skipped)."""
    found: dict[str, tuple[int, int]] = {}
    stack = [_norm(root)]
    visited = 0
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = list(it)
        except OSError:
            continue
        for entry in entries:
            visited += 1
            if cancelled is not None and visited % 512 == 0 and cancelled():
                raise LoadCancelled("ingest cancelled while scanning")
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if name not in SKIP_DIRS and not name.startswith("."):
                        stack.append(entry.path)
                elif name.lower().endswith(METRIC_SUFFIXES) and entry.is_file():
                    st = entry.stat()
                    found[entry.path] = (st.st_size, st.st_mtime_ns)
            except OSError:
                continue
    return found


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class MetricIndex:
    """The SQLite index (stdlib sqlite3) in the user's data directory."""

    def __init__(self, db_path: str | Path | None = None):
        self.db_path = Path(db_path) if db_path is not None else default_index_path()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.db_path), timeout=30.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        row = self._db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta(key, value) VALUES('schema', ?)", (SCHEMA_VERSION,))
            self._db.commit()
        self._series_ids: dict[SeriesKey, int] = {}

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "MetricIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------------------ ingest
    def ingest(self, root: str | Path, *, progress: ProgressFn | None = None,
               cancelled: CancelledFn | None = None) -> IngestReport:
        """Bring the index up to date for every metric file under ``root``."""
        started = time.perf_counter()
        root_s = _norm(root)
        if progress:
            progress(0, 0, f"Scanning {root_s}")
        found = scan_metric_files(root_s, cancelled)
        report = self._sync(found, Scope.of(roots=[root_s]), progress, cancelled)
        report.elapsed_s = time.perf_counter() - started
        return report

    def ingest_files(self, paths: Sequence[str | Path], *, progress: ProgressFn | None = None,
                     cancelled: CancelledFn | None = None) -> IngestReport:
        """Bring the index up to date for an explicit list of files (missing ones are forgotten)."""
        started = time.perf_counter()
        found: dict[str, tuple[int, int]] = {}
        for p in paths:
            st = _stat(_norm(p))
            if st is not None:
                found[_norm(p)] = st
        report = self._sync(found, Scope.of(files=paths), progress, cancelled)
        report.elapsed_s = time.perf_counter() - started
        return report

    def _known(self, scope: Scope) -> dict[str, tuple[int, int, int, str | None]]:
        where, args = scope.sql("path")
        rows = self._db.execute(f"SELECT path, id, size, mtime_ns, deps FROM files WHERE {where}", args)
        return {path: (fid, size, mtime, deps) for path, fid, size, mtime, deps in rows}

    @staticmethod
    def _deps_changed(deps_json: str | None) -> bool:
        if not deps_json:
            return False
        for path, size, mtime in orjson.loads(deps_json):
            st = _stat(path)
            if st is None or st != (size, mtime):
                return True
        return False

    def _sync(self, found: dict[str, tuple[int, int]], scope: Scope, progress: ProgressFn | None,
              cancelled: CancelledFn | None) -> IngestReport:
        report = IngestReport(files_seen=len(found))
        known = self._known(scope)
        removed = [known[p][0] for p in known if p not in found]
        todo = [p for p, st in found.items()
                if p not in known or known[p][1:3] != st or self._deps_changed(known[p][3])]
        todo.sort()
        with self._db:
            for fid in removed:
                self._delete_file(fid)
        report.files_removed = len(removed)
        total = len(todo)
        if progress:
            progress(0, total, f"{total} new or changed of {len(found)} files")
        for start in range(0, total, BATCH_FILES):
            stopped_at = None
            try:
                with self._db:  # one transaction per batch: a cancel keeps the finished batches
                    for i, path in enumerate(todo[start:start + BATCH_FILES], start=start):
                        if cancelled is not None and cancelled():
                            stopped_at = i
                            break
                        size, mtime_ns = found[path]
                        result = read_metric_file(path, mtime=mtime_ns / 1e9)
                        self._store(path, size, mtime_ns, result, known.get(path, (None,))[0])
                        report.files_read.append(path)
                        report.runs_added += len(result.runs)
                        report.problems.extend(result.problems)
                        if progress:
                            progress(i + 1, total, os.path.basename(path))
            except BaseException:
                self._series_ids.clear()  # ids inserted in the rolled-back batch are gone
                raise
            if stopped_at is not None:
                raise LoadCancelled(f"ingest cancelled after {stopped_at} of {total} files (those are kept)")
        if progress:
            progress(total, total, f"Indexed {len(found)} files ({total} read)")
        return report

    def _delete_file(self, file_id: int) -> None:
        db = self._db
        db.execute("DELETE FROM points WHERE run_id IN (SELECT id FROM runs WHERE file_id=?)", (file_id,))
        db.execute("DELETE FROM samples WHERE run_id IN (SELECT id FROM runs WHERE file_id=?)", (file_id,))
        db.execute("DELETE FROM runs WHERE file_id=?", (file_id,))
        db.execute("DELETE FROM limits WHERE file_id=?", (file_id,))
        db.execute("DELETE FROM files WHERE id=?", (file_id,))

    def _series_id(self, key: SeriesKey, unit: str) -> int:
        sid = self._series_ids.get(key)
        if sid is not None:
            return sid
        row = self._db.execute("SELECT id FROM series WHERE source=? AND benchmark=? AND statistic=?", key).fetchone()
        if row is None:
            sid = self._db.execute("INSERT INTO series(source, benchmark, statistic, unit) VALUES(?,?,?,?)",
                                   (*key, unit)).lastrowid
        else:
            sid = row[0]
        self._series_ids[key] = sid
        return sid

    def _store(self, path: str, size: int, mtime_ns: int, result: ReadResult, old_id: int | None) -> None:
        db = self._db
        if old_id is not None:
            self._delete_file(old_id)
        deps = [[d, *(_stat(d) or (-1, -1))] for d in result.dependencies]
        fid = db.execute("INSERT INTO files(path, size, mtime_ns, reader, problems, deps) VALUES(?,?,?,?,?,?)",
                         (path, size, mtime_ns, result.reader,
                          "\n".join(result.problems) or None, orjson.dumps(deps).decode() if deps else None)).lastrowid
        for run in result.runs:
            rid = db.execute("INSERT INTO runs(file_id, run_key, time, time_source, label) VALUES(?,?,?,?,?)",
                             (fid, run.run_key, run.time, run.time_source, run.label)).lastrowid
            db.executemany("INSERT OR REPLACE INTO points(series_id, run_id, value) VALUES(?,?,?)",
                           [(self._series_id(k, run.units.get(k, "")), rid, v) for k, v in run.values.items()])
            db.executemany("INSERT OR REPLACE INTO samples(run_id, source, benchmark, data) VALUES(?,?,?,?)",
                           [(rid, s, b, np.asarray(vals, dtype=np.float64).tobytes())
                            for (s, b), vals in run.samples.items() if vals])
        db.executemany("INSERT INTO limits(file_id, source, benchmark, statistic, value, label) VALUES(?,?,?,?,?,?)",
                       [(fid, l.source, l.benchmark, l.statistic, l.limit, l.label) for l in result.limits])

    # ------------------------------------------------------------------------------ queries
    def series(self, scope: Scope) -> list[tuple[SeriesKey, str, int]]:
        """Every series with at least one point in scope: (key, unit, number of runs), sorted."""
        where, args = scope.sql()
        rows = self._db.execute(
            f"""SELECT s.source, s.benchmark, s.statistic, s.unit, COUNT(*) FROM points p
                JOIN runs r ON r.id = p.run_id JOIN files f ON f.id = r.file_id
                JOIN series s ON s.id = p.series_id WHERE {where} GROUP BY p.series_id""", args).fetchall()
        out = [(SeriesKey(a, b, c), unit or "", n) for a, b, c, unit, n in rows]
        out.sort(key=lambda t: (t[0].source.lower(), t[0].benchmark.lower(), t[0].statistic.lower()))
        return out

    def family(self, source: str, benchmark: str, scope: Scope) -> tuple[list[RunInfo], dict[str, np.ndarray], dict[str, str]]:
        """All statistics of one benchmark aligned by run: (runs in time order, {statistic: values
        with NaN where a run lacks it}, {statistic: unit})."""
        where, args = scope.sql()
        rows = self._db.execute(
            f"""SELECT r.id, r.time, r.label, f.path, r.run_key, s.statistic, s.unit, p.value FROM points p
                JOIN series s ON s.id = p.series_id JOIN runs r ON r.id = p.run_id JOIN files f ON f.id = r.file_id
                WHERE s.source = ? AND s.benchmark = ? AND {where}""", [source, benchmark, *args]).fetchall()
        runs: dict[int, RunInfo] = {}
        units: dict[str, str] = {}
        for rid, t, label, path, key, stat, unit, _ in rows:
            if rid not in runs:
                runs[rid] = RunInfo(rid, t, label or os.path.basename(path), path, key or "")
            units.setdefault(stat, unit or "")
        ordered = sorted(runs.values(), key=lambda r: (r.time, r.path, r.run_key))
        pos = {r.run_id: i for i, r in enumerate(ordered)}
        stats: dict[str, np.ndarray] = {s: np.full(len(ordered), np.nan) for s in units}
        for rid, _, _, _, _, stat, _, value in rows:
            stats[stat][pos[rid]] = value
        return ordered, stats, units

    def series_data(self, key: SeriesKey, scope: Scope) -> SeriesData:
        """One statistic (runs that have it) with its run's min/max/p95/iterations alongside."""
        runs, stats, units = self.family(key.source, key.benchmark, scope)
        values = stats.get(key.statistic, np.full(len(runs), np.nan))
        keep = np.isfinite(values)

        def companion(names: Sequence[str]) -> np.ndarray | None:
            for n in names:
                if n in stats and n != key.statistic:
                    return stats[n][keep]
            return None

        kept = [r for r, k in zip(runs, keep) if k]
        return SeriesData(
            key=key, unit=units.get(key.statistic, ""),
            run_ids=np.array([r.run_id for r in kept], dtype=np.int64),
            times=np.array([r.time for r in kept], dtype=np.float64),
            values=values[keep], paths=[r.path for r in kept], labels=[r.label for r in kept],
            low=companion(BAND_LOW), high=companion(BAND_HIGH), p95=companion(P95_STATISTICS),
            iterations=companion(("iterations", "count")),
        )

    def samples(self, run_id: int, source: str, benchmark: str) -> np.ndarray | None:
        row = self._db.execute("SELECT data FROM samples WHERE run_id=? AND source=? AND benchmark=?",
                               (run_id, source, benchmark)).fetchone()
        return np.frombuffer(row[0], dtype=np.float64).copy() if row else None

    def limits(self, key: SeriesKey, scope: Scope) -> list[Limit]:
        """Limits found in the files in scope that apply to this series (deduplicated, the newest
        file's wording kept)."""
        where, args = scope.sql()
        rows = self._db.execute(
            f"""SELECT l.source, l.benchmark, l.statistic, l.value, l.label FROM limits l
                JOIN files f ON f.id = l.file_id WHERE l.source = ? AND {where} ORDER BY f.mtime_ns""",
            [key.source, *args]).fetchall()
        from fnmatch import fnmatchcase
        seen: dict[float, Limit] = {}
        for src, bench, stat, value, label in rows:
            if fnmatchcase(key.benchmark, bench) and fnmatchcase(key.statistic, stat):
                seen[value] = Limit(src, bench, stat, value, label)
        return sorted(seen.values(), key=lambda l: l.limit)

    def runs(self, scope: Scope) -> list[RunInfo]:
        where, args = scope.sql()
        rows = self._db.execute(
            f"SELECT r.id, r.time, r.label, f.path, r.run_key FROM runs r JOIN files f ON f.id = r.file_id WHERE {where}",
            args).fetchall()
        return sorted((RunInfo(*row) for row in rows), key=lambda r: (r.time, r.path, r.run_key))

    def problems(self, scope: Scope) -> list[str]:
        where, args = scope.sql()
        rows = self._db.execute(f"SELECT problems FROM files f WHERE problems IS NOT NULL AND {where} ORDER BY path", args)
        return [line for (text,) in rows for line in text.split("\n")]

    def file_count(self, scope: Scope) -> int:
        where, args = scope.sql()
        return self._db.execute(f"SELECT COUNT(*) FROM files f WHERE {where}", args).fetchone()[0]
