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
from array import array
import stat as stat_
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import orjson

from ..common.progress import CancelledFn, ProgressFn
from ..common.userdirs import data_dir
from ..loading.document import LoadCancelled
from .model import Limit, SeriesData, SeriesKey, display_path
from .readers import BatchReader
from .table import MetricTable, RunInfo

INDEX_FILE_NAME = "metric-index.sqlite3"
# The index is a cache: an index of another schema (or one this version's readers would fill
# differently) is discarded and rebuilt. 2: a run's points are two blobs (series ids, values)
# written with the run, samples capped per series, mtimes clamped to int64.
SCHEMA_VERSION = "2"
METRIC_SUFFIXES = (".json", ".jsonl")
SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".hg", ".svn", ".mypy_cache", ".pytest_cache"}
BATCH_FILES = 200
PROGRESS_EVERY = 16      # files read between progress reports inside a batch (and one at its end)
_INT64_MAX = 2 ** 63 - 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files(id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, reader TEXT, problems TEXT, deps TEXT);
CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, run_key TEXT, time REAL,
    time_source TEXT, label TEXT, sids BLOB, vals BLOB);
CREATE INDEX IF NOT EXISTS runs_file ON runs(file_id);
CREATE TABLE IF NOT EXISTS series(id INTEGER PRIMARY KEY, source TEXT NOT NULL, benchmark TEXT NOT NULL,
    statistic TEXT NOT NULL, unit TEXT, UNIQUE(source, benchmark, statistic));
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
    # files found but not indexed (a name that is not UTF-8, not a regular file): located
    # messages, reported on every ingest because nothing about them is stored
    unindexed: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    def add(self, other: "IngestReport") -> None:
        self.files_seen += other.files_seen
        self.files_read += other.files_read
        self.files_removed += other.files_removed
        self.runs_added += other.runs_added
        self.problems += other.problems
        self.unindexed += other.unindexed
        self.elapsed_s += other.elapsed_s


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


def _clamp_ns(ns: int) -> int:
    """Modification times in ns as SQLite can store them (int64: dates after 2262 saturate;
    size + clamped time still tells a changed file from an unchanged one)."""
    return ns if -_INT64_MAX <= ns <= _INT64_MAX else (_INT64_MAX if ns > 0 else -_INT64_MAX)


def _storable_name(path: str) -> bool:
    """SQLite stores text as UTF-8: a name with bytes that are not UTF-8 cannot be a key."""
    try:
        path.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def scan_metric_files(root: str | Path, cancelled: CancelledFn | None = None,
                      skipped: list[str] | None = None) -> dict[str, tuple[int, int]]:
    """``{path: (size, mtime_ns)}`` of every regular .json/.jsonl file under root (hidden and
    vendor dirs skipped). Metric-named entries that cannot be indexed — not a regular file (a
    FIFO is never opened), or a name that is not valid UTF-8 — are described in ``skipped``."""
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
                elif name.lower().endswith(METRIC_SUFFIXES):
                    st = entry.stat()
                    if not stat_.S_ISREG(st.st_mode):
                        if skipped is not None:
                            skipped.append(f"{display_path(entry.path)}: not a regular file (a pipe, device or "
                                           "socket); skipped")
                    elif not _storable_name(entry.path):
                        if skipped is not None:
                            skipped.append(f"{display_path(entry.path)}: the file name is not valid UTF-8; "
                                           "not indexed (rename the file to include it)")
                    else:
                        found[entry.path] = (st.st_size, _clamp_ns(st.st_mtime_ns))
            except OSError:
                continue
    return found


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, _clamp_ns(st.st_mtime_ns)


def _is_corruption(exc: BaseException) -> bool:
    """An SQLite error that means the index file itself is damaged (not 'busy' or a bug)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text or "not a database" in text \
        or type(exc) is sqlite3.DatabaseError


class MetricIndex:
    """The SQLite index (stdlib sqlite3) in the user's data directory."""

    def __init__(self, db_path: str | Path | None = None):
        self.db_path = Path(db_path) if db_path is not None else default_index_path()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.notes: list[str] = []      # what the user should know (e.g. "the index was rebuilt")
        self._series_ids: dict[SeriesKey, int] = {}
        # id(Run.layout) -> (that layout, its series ids as the runs.sids blob)
        self._layout_sids: dict[int, tuple[tuple[SeriesKey, ...], bytes]] = {}
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError as exc:
            if not _is_corruption(exc):
                raise
            self._discard(f"could not be read ({exc})")
            self._db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = self._open()
        try:
            has_meta = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone() if has_meta else None
            in_use = has_meta or db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
            if in_use and (row is None or row[0] != SCHEMA_VERSION):
                db.close()
                found = row[0] if row else "none"
                self._discard(f"has schema version {found}; this version of the app uses {SCHEMA_VERSION}")
                db = self._open()
            db.executescript(_SCHEMA)
            db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES('schema', ?)", (SCHEMA_VERSION,))
            db.commit()
            db.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            db.close()
            raise
        return db

    def _open(self) -> sqlite3.Connection:
        """A connection in WAL mode. A new (empty) index file is switched to WAL and given its
        tables without syncing to disk: there is nothing in it yet to keep (a crash then leaves
        an empty or unreadable cache, rebuilt on the next open), and the syncs of the switch
        cost more than a small folder's whole ingest on a busy disk. _connect then goes to
        NORMAL."""
        path = str(self.db_path)
        try:
            new = os.stat(path).st_size == 0
        except FileNotFoundError:
            new = True
        db = sqlite3.connect(path, timeout=30.0)
        try:
            db.execute("PRAGMA synchronous=OFF" if new else "PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA journal_mode=WAL")
        except BaseException:
            db.close()
            raise
        return db

    def _discard(self, why: str) -> None:
        """Delete the index file (and its WAL/SHM/journal) so it is built afresh."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(f"{self.db_path}{suffix}")
            except FileNotFoundError:
                pass
        self._series_ids.clear()
        self._layout_sids.clear()
        self.notes.append(f"The metric index {self.db_path} {why}. It is only a cache, so it was rebuilt: "
                          "every result file is read again.")

    def rebuild(self, why: str) -> None:
        """Throw the index away and start empty (after corruption found mid-use)."""
        try:
            self._db.close()
        except sqlite3.Error:
            pass
        self._discard(why)
        self._db = self._connect()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "MetricIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------------------ ingest
    def ingest(self, root: str | Path, *, progress: ProgressFn | None = None,
               cancelled: CancelledFn | None = None) -> IngestReport:
        """Bring the index up to date for every metric file under ``root``.

        A damaged index file is discarded and the ingest runs again on a fresh one (see
        ``notes``); one bad file never stops the others from being indexed."""
        return self._recovering(lambda: self._ingest_root(root, progress, cancelled))

    def ingest_files(self, paths: Sequence[str | Path], *, progress: ProgressFn | None = None,
                     cancelled: CancelledFn | None = None) -> IngestReport:
        """Bring the index up to date for an explicit list of files (missing ones are forgotten)."""
        return self._recovering(lambda: self._ingest_list(paths, progress, cancelled))

    def _recovering(self, work) -> IngestReport:
        try:
            return work()
        except sqlite3.DatabaseError as exc:
            if not _is_corruption(exc):
                raise
            self.rebuild(f"was damaged ({exc})")
            return work()

    def _ingest_root(self, root, progress, cancelled) -> IngestReport:
        started = time.perf_counter()
        root_s = _norm(root)
        if progress:
            progress(0, 0, f"Scanning {display_path(root_s)}")
        skipped: list[str] = []
        found = scan_metric_files(root_s, cancelled, skipped)
        report = self._sync(found, Scope.of(roots=[root_s]), progress, cancelled)
        report.unindexed += skipped
        report.elapsed_s = time.perf_counter() - started
        return report

    def _ingest_list(self, paths, progress, cancelled) -> IngestReport:
        started = time.perf_counter()
        found: dict[str, tuple[int, int]] = {}
        skipped: list[str] = []
        for p in paths:
            path = _norm(p)
            try:
                st = os.stat(path)
            except OSError:
                continue
            if not stat_.S_ISREG(st.st_mode):
                skipped.append(f"{display_path(path)}: not a regular file (a pipe, device or socket); skipped")
            elif not _storable_name(path):
                skipped.append(f"{display_path(path)}: the file name is not valid UTF-8; not indexed")
            else:
                found[path] = (st.st_size, _clamp_ns(st.st_mtime_ns))
        report = self._sync(found, Scope.of(files=[p for p in found]), progress, cancelled)
        report.unindexed += skipped
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
        deps_changed = self._deps_changed
        todo = [p for p, st in found.items()
                if (k := known.get(p)) is None or k[1:3] != st or (k[3] and deps_changed(k[3]))]
        todo.sort()
        with self._db:
            self._delete_files(removed)
        report.files_removed = len(removed)
        total = len(todo)
        if progress:
            progress(0, total, f"{total} new or changed of {len(found)} files")
        self._load_series_ids()
        # The index is a cache (a damaged one is rebuilt): while a batch is stored nothing is
        # synced to disk; the connection goes back to NORMAL afterwards.
        self._db.execute("PRAGMA synchronous=OFF")
        try:
            for start in range(0, total, BATCH_FILES):
                self._ingest_batch(todo[start:start + BATCH_FILES], start, total, found, known, report,
                                   progress, cancelled)
        finally:
            self._db.execute("PRAGMA synchronous=NORMAL")
        if progress:
            progress(total, total, f"Indexed {len(found)} files ({total} read)")
        return report

    def _ingest_batch(self, paths: list[str], start: int, total: int, found: dict[str, tuple[int, int]],
                      known: dict[str, tuple], report: IngestReport, progress: ProgressFn | None,
                      cancelled: CancelledFn | None) -> None:
        """Read a batch of files, then store it in one transaction: a cancel keeps the finished
        batches and this one's files read so far."""
        reader = BatchReader()
        stopped_at = None
        for i, path in enumerate(paths, start=start):
            if cancelled is not None and cancelled():
                stopped_at = i
                break
            reader.add(path, found[path][1] / 1e9)
            if progress and not (i + 1) % PROGRESS_EVERY:
                progress(i + 1, total, os.path.basename(display_path(path)))
        batch = []
        for path, result in zip(paths, reader.finish()):
            old = known.get(path)
            batch.append((path, *found[path], result, old[0] if old else None))
        stored = self._store_batch(batch, report)
        report.files_read += [item[0] for item in stored]
        for item in stored:
            result = item[3]
            if result.__class__ is tuple:          # a plain m1 file read with its group: one run
                report.runs_added += 1
                continue
            report.runs_added += len(result.runs)
            if result.problems:
                report.problems += result.problems
        if progress and batch:
            progress(start + len(batch), total, os.path.basename(display_path(batch[-1][0])))
        if stopped_at is not None:
            raise LoadCancelled(f"ingest cancelled after {stopped_at} of {total} files (those are kept)")

    def _delete_files(self, file_ids: Sequence[int]) -> None:
        if not file_ids:
            return
        db = self._db
        ids = [(fid,) for fid in file_ids]
        db.executemany("DELETE FROM samples WHERE run_id IN (SELECT id FROM runs WHERE file_id=?)", ids)
        db.executemany("DELETE FROM runs WHERE file_id=?", ids)
        db.executemany("DELETE FROM limits WHERE file_id=?", ids)
        db.executemany("DELETE FROM files WHERE id=?", ids)

    def _load_series_ids(self) -> None:
        self._layout_sids.clear()
        self._series_ids = {SeriesKey(a, b, c): sid for sid, a, b, c in
                            self._db.execute("SELECT id, source, benchmark, statistic FROM series")}

    def _store_batch(self, batch, report: IngestReport) -> list:
        """Store a batch of read files with one statement per table. Should anything in the
        batch be unstorable, each file is stored on its own so only the bad one is left out
        (and named in ``report.unindexed``)."""
        if not batch:
            return []
        try:
            with self._db:
                self._insert(batch)
            return batch
        except (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError, OverflowError,
                ValueError, UnicodeError) as exc:
            first_error = exc
        self._load_series_ids()   # ids inserted in the rolled-back transaction are gone
        stored = []
        for item in batch:
            try:
                with self._db:
                    self._insert([item])
                stored.append(item)
            except (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError, OverflowError,
                    ValueError, UnicodeError) as exc:
                self._load_series_ids()
                report.unindexed.append(f"{display_path(item[0])}: could not be stored in the index ({exc}); "
                                        "not indexed")
        if not stored and not report.unindexed:
            raise first_error
        return stored

    def _insert(self, batch) -> None:
        db = self._db
        self._delete_files([old for *_, old in batch if old is not None])
        next_file = (db.execute("SELECT COALESCE(MAX(id), 0) FROM files").fetchone()[0]) + 1
        next_run = (db.execute("SELECT COALESCE(MAX(id), 0) FROM runs").fetchone()[0]) + 1
        new_series: list[tuple] = []
        files, runs, samples, limits = [], [], [], []
        group_sids: dict[int, bytes] = {}
        for path, size, mtime_ns, result, _old in batch:
            fid = next_file
            next_file += 1
            if result.__class__ is tuple:              # (PlainM1Files, i): one run, its values ready
                group, i = result
                sids_blob = group_sids.get(id(group))
                if sids_blob is None:
                    sids_blob = group_sids[id(group)] = self._layout_blob(group.layout, group.units, new_series)
                files.append((fid, path, size, mtime_ns, "m1-profile", None, None))
                t, how = group.times[i]
                # no label: a run without one is labelled with its file name (MetricTable)
                runs.append((next_run, fid, "", t, how, None, sids_blob, group.values[i]))
                next_run += 1
                continue
            deps = result.dependencies and orjson.dumps([[d, *(_stat(d) or (-1, -1))]
                                                         for d in result.dependencies]).decode()
            files.append((fid, path, size, mtime_ns, result.reader,
                          "\n".join(result.problems) or None, deps or None))
            for run in result.runs:
                rid = next_run
                next_run += 1
                layout = run.layout
                if layout is not None:
                    sids_blob = self._layout_blob(layout, run.units, new_series)
                    vals = run.flat
                else:
                    sids_blob = array("i", self._series_ids_of(run.values, run.units, new_series)).tobytes()
                    vals = run.values.values()
                runs.append((rid, fid, run.run_key, run.time, run.time_source, run.label, sids_blob,
                             array("d", vals).tobytes()))
                if run.samples:
                    samples.extend(_sample_rows(rid, run))
            if result.limits:
                limits += [(fid, l.source, l.benchmark, l.statistic, l.limit, l.label) for l in result.limits]
        try:
            db.executemany("INSERT INTO series(id, source, benchmark, statistic, unit) VALUES(?,?,?,?,?)", new_series)
            db.executemany("INSERT INTO files(id, path, size, mtime_ns, reader, problems, deps) VALUES(?,?,?,?,?,?,?)",
                           files)
            db.executemany("INSERT INTO runs(id, file_id, run_key, time, time_source, label, sids, vals) "
                           "VALUES(?,?,?,?,?,?,?,?)", runs)
            db.executemany("INSERT OR REPLACE INTO samples(run_id, source, benchmark, data) VALUES(?,?,?,?)", samples)
            db.executemany("INSERT INTO limits(file_id, source, benchmark, statistic, value, label) VALUES(?,?,?,?,?,?)",
                           limits)
        except BaseException:
            for sid, *key, _unit in new_series:
                self._series_ids.pop(SeriesKey(*key), None)
            self._layout_sids.clear()
            raise

    def _layout_blob(self, layout: tuple[SeriesKey, ...], units: dict[SeriesKey, str], new_series: list[tuple]) -> bytes:
        """The runs.sids blob of a layout (a tuple of keys shared by many runs), made once."""
        known = self._layout_sids.get(id(layout))
        if known is not None and known[0] is layout:
            return known[1]
        blob = array("i", self._series_ids_of(layout, units, new_series)).tobytes()
        # keyed by id(); the tuple is kept alive beside it, so the id is never reused
        self._layout_sids[id(layout)] = (layout, blob)
        return blob

    def _series_ids_of(self, keys: Iterable[SeriesKey], units: dict[SeriesKey, str], new_series: list[tuple]) -> list[int]:
        """The series ids of these keys; a key seen for the first time gets the next id (its row
        is added to ``new_series``)."""
        series_ids = self._series_ids
        get = series_ids.get
        sids = [get(key) for key in keys]
        if None in sids:
            next_series = max(series_ids.values(), default=0) + 1
            sids = []
            for key in keys:
                sid = get(key)
                if sid is None:
                    sid = series_ids[key] = next_series
                    next_series += 1
                    new_series.append((sid, *key, units.get(key, "")))
                sids.append(sid)
        return sids

    # ------------------------------------------------------------------------------ queries
    def table(self, scope: Scope) -> MetricTable:
        """Every run and point in scope, in memory (one query per table; see MetricTable)."""
        where, args = scope.sql()
        rows = self._db.execute(
            f"""SELECT r.id, r.time, r.label, f.path, r.run_key, r.sids, r.vals FROM runs r
                JOIN files f ON f.id = r.file_id WHERE {where}""", args).fetchall()
        series = self._db.execute("SELECT id, source, benchmark, statistic, unit FROM series").fetchall()
        limits = self._db.execute(
            f"""SELECT l.source, l.benchmark, l.statistic, l.value, l.label FROM limits l
                JOIN files f ON f.id = l.file_id WHERE {where} ORDER BY f.mtime_ns""", args).fetchall()
        return MetricTable.from_blobs(rows, series, limits, self.problems(scope), self.file_count(scope))

    def series(self, scope: Scope) -> list[tuple[SeriesKey, str, int]]:
        """Every series with at least one point in scope: (key, unit, number of runs), sorted."""
        return self.table(scope).series()

    def family(self, source: str, benchmark: str, scope: Scope) -> tuple[list[RunInfo], dict[str, np.ndarray], dict[str, str]]:
        """All statistics of one benchmark aligned by run (see MetricTable.family)."""
        return self.table(scope).family(source, benchmark)

    def series_data(self, key: SeriesKey, scope: Scope) -> SeriesData:
        """One statistic (runs that have it) with its run's min/max/p95/iterations alongside."""
        return self.table(scope).series_data(key)

    def samples(self, run_id: int, source: str, benchmark: str) -> np.ndarray | None:
        row = self._db.execute("SELECT data FROM samples WHERE run_id=? AND source=? AND benchmark=?",
                               (run_id, source, benchmark)).fetchone()
        return np.frombuffer(row[0], dtype=np.float64).copy() if row else None

    def limits(self, key: SeriesKey, scope: Scope) -> list[Limit]:
        """Limits found in the files in scope that apply to this series (deduplicated, the
        newest file's wording kept)."""
        return self.table(scope).limits(key)

    def runs(self, scope: Scope) -> list[RunInfo]:
        return self.table(scope).runs

    def problems(self, scope: Scope) -> list[str]:
        where, args = scope.sql()
        rows = self._db.execute(f"SELECT problems FROM files f WHERE problems IS NOT NULL AND {where} ORDER BY path", args)
        return [line for (text,) in rows for line in text.split("\n")]

    def file_count(self, scope: Scope) -> int:
        where, args = scope.sql()
        return self._db.execute(f"SELECT COUNT(*) FROM files f WHERE {where}", args).fetchone()[0]


def _sample_rows(run_id: int, run) -> list[tuple[int, str, str, bytes]]:
    return [(run_id, src, bench, np.asarray(vals, dtype=np.float64).tobytes())
            for (src, bench), vals in run.samples.items() if len(vals)]

