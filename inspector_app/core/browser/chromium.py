"""Chromium's localStorage (``<profile>/Local Storage/leveldb``): keys, values, origins.

Layout (Chromium ``components/services/storage/dom_storage/local_storage_impl.cc`` and
``dom_storage_database``; checked byte for byte on Chromium 156, see shared/notes/browsers.md):

* ``VERSION`` -> ``1``;
* ``META:<origin>`` -> protobuf ``LocalStorageOriginMetaData {1: last_modified, 2: size_bytes}``
  (``last_modified`` is ``base::Time``'s internal value: microseconds since 1601-01-01 UTC);
  ``METAACCESS:<origin>`` -> ``{1: last_accessed}``;
* ``_<origin>\\x00<key>`` -> value, where the key and the value each start with one byte:
  ``\\x00`` = UTF-16LE follows, ``\\x01`` = Latin-1 follows.

No Qt here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from inspector_app.core.browser.leveldb import Damage, Database, LevelDBError, read_database, read_varint
from inspector_app.core.browser.snapshot import MemorySnapshot, snapshot_folder

WINDOWS_EPOCH_OFFSET_US = 11_644_473_600_000_000   # 1601-01-01 -> 1970-01-01 in microseconds


class StringDecodeError(ValueError):
    pass


def decode_string(raw: bytes | memoryview) -> str:
    """A Chromium localStorage string: format byte, then UTF-16LE or Latin-1."""
    if not raw:
        raise StringDecodeError("empty (no format byte)")
    fmt = raw[0]
    body = memoryview(raw)[1:]   # no copy of a multi-MB value before decoding it
    if fmt == 1:
        return str(body, "latin-1")
    if fmt == 0:
        if len(body) % 2:
            raise StringDecodeError(f"UTF-16 text of odd length ({len(body)} bytes)")
        # surrogatepass: JavaScript strings may hold lone surrogates; keep them as they are.
        return str(body, "utf-16-le", "surrogatepass")
    raise StringDecodeError(f"unknown format byte {fmt}")


def storage_key_origin(storage_key: str) -> str:
    """The origin of a serialized StorageKey (``https://a.example/`` or with ``^`` parts)."""
    origin = storage_key.split("^", 1)[0]
    return origin[:-1] if origin.endswith("/") else origin


def _proto_varint_field(data: bytes | memoryview, wanted: int) -> int | None:
    """The first varint field number ``wanted`` of a protobuf message (None if absent)."""
    pos = 0
    try:
        while pos < len(data):
            tag, pos = read_varint(data, pos)
            number, wire = tag >> 3, tag & 7
            if wire == 0:
                value, pos = read_varint(data, pos)
                if number == wanted:
                    return value
            elif wire == 2:
                n, pos = read_varint(data, pos)
                pos += n
            elif wire in (1, 5):
                pos += 8 if wire == 1 else 4
            else:
                return None
    except (IndexError, LevelDBError):
        return None
    return None


def chrome_time_to_ms(value: int | None) -> float | None:
    if not value:
        return None
    return (value - WINDOWS_EPOCH_OFFSET_US) / 1000.0


@dataclass
class ChromiumOrigin:
    """The localStorage of one origin (storage key) in a Chromium profile."""

    storage_key: str
    items: dict[str, str] = field(default_factory=dict)
    last_modified_ms: float | None = None   # from META:, epoch ms
    stored_bytes: int = 0                   # size of the stored values (UTF-16 or Latin-1)
    problems: list[Damage] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return storage_key_origin(self.storage_key)


@dataclass
class ChromiumStorage:
    folder: Path
    origins: dict[str, ChromiumOrigin] = field(default_factory=dict)   # storage key -> origin
    damage: list[Damage] = field(default_factory=list)
    stable: bool = True
    newest_mtime: float = 0.0


def is_leveldb_folder(folder: Path) -> bool:
    return (folder / "CURRENT").is_file() or any(folder.glob("*.log")) or any(folder.glob("*.ldb"))


def is_storage_file(name: str) -> bool:
    return name == "CURRENT" or name.startswith("MANIFEST-") or name.endswith((".log", ".ldb", ".sst"))


def read_chromium_storage(folder: Path, cancelled: Callable[[], bool] | None = None,
                          progress: Callable[[int, int, str], None] | None = None,
                          snapshot: MemorySnapshot | None = None) -> ChromiumStorage:
    """Read a ``Local Storage/leveldb`` folder (from a private snapshot; never the files themselves)."""
    snap = snapshot or snapshot_folder(folder, is_storage_file, cancelled)
    db = read_database(snap.files, cancelled=cancelled, progress=progress)
    del snap.files  # the decoded strings are all we keep
    return decode_database(db, folder, snap.stable, snap.newest_mtime)


def decode_database(db: Database, folder: Path, stable: bool = True, newest_mtime: float = 0.0) -> ChromiumStorage:
    out = ChromiumStorage(folder, damage=list(db.damage), stable=stable, newest_mtime=newest_mtime)
    metas: dict[str, float | None] = {}
    for key, entry in db.live():
        if key.startswith(b"_"):
            sep = key.find(b"\x00", 1)
            if sep < 0:
                out.damage.append(Damage(entry.file, entry.offset, "a localStorage key without its origin separator"))
                continue
            storage_key = key[1:sep].decode("utf-8", "replace")
            origin = out.origins.get(storage_key)
            if origin is None:
                origin = out.origins[storage_key] = ChromiumOrigin(storage_key)
            try:
                name = decode_string(key[sep + 1:])
            except StringDecodeError as exc:
                origin.problems.append(Damage(entry.file, entry.offset, f"a key of {storage_key} cannot be decoded: {exc}"))
                continue
            try:
                assert entry.value is not None
                origin.items[name] = decode_string(entry.value)
                origin.stored_bytes += len(entry.value) - 1
            except StringDecodeError as exc:
                origin.problems.append(Damage(entry.file, entry.offset,
                                              f"the value of key {name!r} cannot be decoded ({exc}); it is left out"))
        elif key.startswith(b"META:"):
            assert entry.value is not None
            metas[key[5:].decode("utf-8", "replace")] = chrome_time_to_ms(_proto_varint_field(entry.value, 1))
    for storage_key, origin in out.origins.items():
        origin.last_modified_ms = metas.get(storage_key)
        if origin.last_modified_ms is None:
            origin.last_modified_ms = metas.get(storage_key.rstrip("/")) or metas.get(origin.origin)
    return out
