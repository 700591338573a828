"""Consistent private copies of a browser's storage files, taken without touching them.

A running browser holds its database's lock and may write at any moment. The readers never
open the user's files for writing, never take a lock and never let a database engine open
them: they read a *copy*. A copy is consistent when no file changed while it was taken:
the sizes and modification times are compared before and after, and the copy is retried
(a few times, briefly) when they differ. A copy that still moved is used anyway and says so,
and the readers treat a torn tail as "the browser was writing", not as corruption.

No Qt here.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

ATTEMPTS = 4
RETRY_PAUSE_S = 0.05


class SnapshotError(OSError):
    """The folder or a file in it cannot be read at all."""


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


@dataclass
class MemorySnapshot:
    """File name -> bytes of one folder, and whether the copy was stable."""

    folder: Path
    files: dict[str, bytes] = field(default_factory=dict)
    stable: bool = True
    newest_mtime: float = 0.0


def _stamps(folder: Path, names: Iterable[str]) -> dict[str, tuple[int, int] | None]:
    return {n: _stamp(folder / n) for n in names}


def snapshot_folder(folder: Path, wanted: Callable[[str], bool],
                    cancelled: Callable[[], bool] | None = None) -> MemorySnapshot:
    """Read every regular file of ``folder`` whose name ``wanted`` accepts into memory."""
    last: MemorySnapshot | None = None
    for attempt in range(ATTEMPTS):
        try:
            names = sorted(n for n in os.listdir(folder) if wanted(n) and (folder / n).is_file())
        except OSError as exc:
            raise SnapshotError(exc.errno, f"the folder cannot be listed: {exc.strerror or exc}", str(folder)) from None
        before = _stamps(folder, names)
        snap = MemorySnapshot(folder)
        for name in names:
            if cancelled is not None and cancelled():
                return snap
            try:
                with open(folder / name, "rb") as fh:
                    snap.files[name] = fh.read()
            except FileNotFoundError:   # removed between listing and reading (compaction)
                snap.stable = False
            except OSError as exc:
                raise SnapshotError(exc.errno, f"cannot be read: {exc.strerror or exc}", str(folder / name)) from None
        after = _stamps(folder, names)
        try:
            relisted = sorted(n for n in os.listdir(folder) if wanted(n) and (folder / n).is_file())
        except OSError:
            relisted = names
        snap.stable = snap.stable and before == after and relisted == names
        snap.newest_mtime = max((s[1] / 1e9 for s in after.values() if s), default=0.0)
        if snap.stable:
            return snap
        last = snap
        time.sleep(RETRY_PAUSE_S * (attempt + 1))
    assert last is not None
    return last


class TempCopy:
    """A private temporary folder holding copies of some files (for SQLite, which needs a
    real file and its ``-wal`` beside it). Use as a context manager; removed on exit."""

    def __init__(self, sources: list[Path]):
        self.sources = sources
        self.dir: Path | None = None
        self.stable = True

    def __enter__(self) -> "TempCopy":
        self.dir = Path(tempfile.mkdtemp(prefix="inspector-browser-"))
        for attempt in range(ATTEMPTS):
            before = [_stamp(p) for p in self.sources]
            for p, stamp in zip(self.sources, before):
                target = self.dir / p.name
                if target.exists():
                    target.unlink()
                if stamp is None:
                    continue
                try:
                    shutil.copyfile(p, target)
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    self.__exit__(None, None, None)
                    raise SnapshotError(exc.errno, f"cannot be read: {exc.strerror or exc}", str(p)) from None
            after = [_stamp(p) for p in self.sources]
            self.stable = before == after
            if self.stable:
                break
            time.sleep(RETRY_PAUSE_S * (attempt + 1))
        return self

    def path(self, name: str) -> Path:
        assert self.dir is not None
        return self.dir / name

    def __exit__(self, *exc) -> None:
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
