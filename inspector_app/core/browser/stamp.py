"""What identifies a followed input's bytes without reading them (Follow Live's "did it change?").

Kept apart from :mod:`core.browser.follow` (which pulls in the loaders and the diff) so the GUI
thread can take a stamp on every open for the price of a ``stat``: importing this module imports
nothing heavy; a browser folder's readers are imported only when a folder is stamped.

No Qt here.
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["Stamp", "input_stamp", "storage_files"]

#: What :func:`input_stamp` returns: comparable, ``None`` when the input is missing or unreadable
#: (it never raises: an open takes it before the loader reads).
Stamp = tuple | None


def _file_stamp(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def storage_files(folder: Path) -> list[Path]:
    """The files the browser readers read for the storage at ``folder`` (a Chromium leveldb
    folder's CURRENT/MANIFEST/logs/tables; each Firefox ``ls`` folder's database and its WAL)."""
    from inspector_app.core.browser.chromium import is_storage_file   # a folder: its readers are loaded already
    from inspector_app.core.browser.discovery import CHROMIUM, firefox_ls_folders, profiles_at

    files: list[Path] = []
    for profile in profiles_at(folder):
        if profile.engine == CHROMIUM:
            try:
                files += sorted(profile.storage_dir / n for n in os.listdir(profile.storage_dir) if is_storage_file(n))
            except OSError:
                continue
        else:
            for ls in firefox_ls_folders(profile.storage_dir):
                files += [ls / "data.sqlite", ls / "data.sqlite-wal"]
    return files


def input_stamp(path: str | Path) -> Stamp:
    """What identifies the followed input's bytes cheaply, without reading them: size, mtime_ns
    and inode of a file (a replaced file has a new inode); of a browser storage folder, the same
    for every file its reader reads. Equal stamps: the input did not change, no reload is needed
    (another file written into the same folder changes nothing here)."""
    p = Path(path)
    try:
        if not p.is_dir():
            return _file_stamp(p)
        return tuple((f.name, _file_stamp(f)) for f in storage_files(p))
    except OSError:      # an unreadable folder: no stamp (the load that follows says what is wrong)
        return None
