"""Per-file cache of player summaries: SQLite in the user's cache folder (``core/common/userdirs``).

One row per input file, keyed by path and valid while the file's size and mtime (ns) are those
recorded, so reopening a playtest reads only new or changed profiles. The value is the
summary's JSON (``model.summary_to_json``; no pickle). A cache that is not a database, is damaged
or has another schema is deleted and rebuilt — it is only a cache.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from inspector_app.core.common import userdirs

from .model import SUMMARY_VERSION, PlayerSource, PlayerSummary, summary_from_json, summary_to_json

CACHE_FILE = "playtest-cache.sqlite"
SCHEMA = f"1.{SUMMARY_VERSION}"


def file_key(source: PlayerSource) -> tuple[int, int] | None:
    """(size, mtime_ns) of a plain file source; None when it cannot be cached (URL, browser folder,
    missing file) — such sources are always read."""
    if source.kind != "file":
        return None
    try:
        st = os.stat(source.path)
    except OSError:
        return None
    return int(st.st_size), min(int(st.st_mtime_ns), 2 ** 63 - 1)


def _no_sync(db: sqlite3.Connection) -> None:
    """Write-ahead log without an fsync per commit: a commit was a 10-70 ms disk flush on the
    thread that merges the pool's summaries (six per 1,000 profiles, the last one after the pool
    has finished). It is only a cache: a power cut can lose the last commits, never corrupt the
    file, and a damaged file is rebuilt anyway."""
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")


class SummaryCache:
    """Thread-safe (one connection, one lock); the pool's results are stored by the caller's thread."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else userdirs.cache_dir() / CACHE_FILE
        self.notes: list[str] = []
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    # -- connection ---------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = self._open()
        except sqlite3.DatabaseError as error:
            self._discard(f"could not be read ({error})")
            db = self._open()
        self._db = db
        return db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), timeout=30.0, check_same_thread=False)
        try:
            _no_sync(db)
            db.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)")
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is not None and row[0] != SCHEMA:
                db.close()
                self._discard(f"has schema {row[0]}; this version uses {SCHEMA}")
                db = sqlite3.connect(str(self.path), timeout=30.0, check_same_thread=False)
                _no_sync(db)
                db.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)")
            db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES('schema', ?)", (SCHEMA,))
            db.execute("CREATE TABLE IF NOT EXISTS summaries(path TEXT PRIMARY KEY, size INTEGER, "
                       "mtime_ns INTEGER, data BLOB)")
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _discard(self, why: str) -> None:
        self.notes.append(f"The playtest cache {self.path} {why}; it was rebuilt.")
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(str(self.path) + suffix)
            except OSError:
                pass

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- lookups --------------------------------------------------------------------------------
    def lookup(self, sources: Sequence[PlayerSource]) -> tuple[dict[str, PlayerSummary], dict[str, tuple[int, int]]]:
        """Cached summaries of unchanged files (by player id) and the keys of every cacheable source."""
        keys = {s.player_id: k for s in sources for k in [file_key(s)] if k is not None}
        hits: dict[str, PlayerSummary] = {}
        if not keys:
            return hits, keys
        by_path = {s.path: s for s in sources if s.player_id in keys}
        with self._lock:
            try:
                db = self._connect()
                rows = []
                paths = list(by_path)
                for start in range(0, len(paths), 500):
                    chunk = paths[start:start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows += db.execute(f"SELECT path, size, mtime_ns, data FROM summaries WHERE path IN ({marks})",
                                       chunk).fetchall()
            except sqlite3.DatabaseError as error:
                self._reset(error)
                return hits, keys
        for path, size, mtime, data in rows:
            source = by_path.get(path)
            if source is None or keys[source.player_id] != (size, mtime):
                continue
            try:
                summary = summary_from_json(data)
            except (ValueError, TypeError):
                continue
            hits[source.player_id] = summary.with_source(source) if summary.player_id != source.player_id else summary
        return hits, keys

    def store(self, items: Iterable[tuple[PlayerSummary, tuple[int, int]]]) -> None:
        self.store_encoded((s.path, key, summary_to_json(s)) for s, key in items)

    def store_encoded(self, items: Iterable[tuple[str, tuple[int, int], bytes]]) -> None:
        """``store`` for summaries already encoded by ``summary_to_json`` (as pool workers send them)."""
        rows = [(path, key[0], key[1], data) for path, key, data in items]
        if not rows:
            return
        with self._lock:
            try:
                db = self._connect()
                db.executemany("INSERT OR REPLACE INTO summaries(path, size, mtime_ns, data) VALUES (?,?,?,?)", rows)
                db.commit()
            except sqlite3.DatabaseError as error:
                self._reset(error)

    def _reset(self, error: Exception) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._discard(f"failed ({error})")
