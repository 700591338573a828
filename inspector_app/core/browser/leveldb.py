"""A small read-only LevelDB reader: write-ahead logs, table files and the MANIFEST.

Only what reading Chromium's ``Local Storage/leveldb`` needs, from a private in-memory
snapshot of the files (:mod:`snapshot`); nothing here opens the user's profile, takes the
LOCK or writes anything. Formats (google/leveldb ``doc/log_format.md``,
``doc/table_format.md``, ``db/version_edit.cc``, ``db/write_batch.cc``):

* log / MANIFEST: 32 KiB blocks of records ``crc32c:u32 length:u16 type:u8 data``; a record
  is FULL or FIRST, MIDDLE..., LAST fragments. A log record is a write batch
  ``sequence:u64 count:u32`` then ``count`` × (``1`` put key value | ``0`` delete key).
* table: a 48-byte footer (metaindex and index block handles, magic), an index block whose
  values are data-block handles; each block ends with a compression byte (0 none, 1 Snappy)
  and a CRC; entries are prefix-compressed keys with restart points; keys are *internal*
  keys: the user key plus 8 bytes ``sequence << 8 | type``.

The latest sequence number wins; a delete hides every older put. A truncated record at the
end of a log (the browser was writing) is expected and simply ends that log; anything else
that cannot be decoded becomes a :class:`Damage` (file + offset) and reading goes on.

Checksums are not verified (CRC32C in pure Python would cost more than the whole read); the
structure is checked instead, and a torn write shows as a short or malformed record.

No Qt here.
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from typing import Callable, Iterator

import cramjam

BLOCK_SIZE = 32768
HEADER_SIZE = 7
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4
TYPE_DELETE, TYPE_PUT = 0, 1
TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
NO_COMPRESSION, SNAPPY_COMPRESSION = 0, 1

_U64 = struct.Struct("<Q")
_U32 = struct.Struct("<I")
_HEADER = struct.Struct("<IHB")
_FILE_RE = re.compile(r"^(\d+)\.(log|ldb|sst)$")

#: Damage kinds that mean "caught mid-write": a reader retries (follow live) instead of reporting.
TORN = "torn"


class LevelDBError(ValueError):
    """A structure that cannot be decoded (the file and offset are in the message)."""


@dataclass(frozen=True)
class Damage:
    """A located problem in one file of the database."""

    file: str
    offset: int
    message: str
    kind: str = "corrupt"   # "corrupt" | TORN (truncated tail of a log: expected while writing)

    def describe(self) -> str:
        return f"{self.file} at byte {self.offset}: {self.message}"


@dataclass
class Entry:
    """The newest state of one user key."""

    sequence: int
    value: bytes | memoryview | None      # None = deleted
    file: str
    offset: int


@dataclass
class Database:
    """Every live key's newest state, plus what could not be read."""

    entries: dict[bytes, Entry] = field(default_factory=dict)
    damage: list[Damage] = field(default_factory=list)
    files: list[str] = field(default_factory=list)     # the files that were read, oldest first
    last_sequence: int = 0

    def live(self) -> Iterator[tuple[bytes, Entry]]:
        for key, entry in self.entries.items():
            if entry.value is not None:
                yield key, entry

    def _apply(self, key: bytes, sequence: int, value: bytes | memoryview | None, file: str, offset: int) -> None:
        old = self.entries.get(key)
        if old is None or sequence >= old.sequence:
            self.entries[key] = Entry(sequence, value, file, offset)
        if sequence > self.last_sequence:
            self.last_sequence = sequence


# --------------------------------------------------------------------------- varints
def read_varint(buf: bytes | memoryview, pos: int) -> tuple[int, int]:
    result = 0
    shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise LevelDBError("varint too long")


def _slice(buf: bytes | memoryview, pos: int) -> tuple[bytes, int]:
    n, pos = read_varint(buf, pos)
    end = pos + n
    if end > len(buf):
        raise LevelDBError("length runs past the end")
    return bytes(buf[pos:end]), end


# --------------------------------------------------------------------------- log files
def log_records(data: bytes, file: str, damage: list[Damage]) -> Iterator[tuple[int, bytes]]:
    """(offset, payload) of every complete record; fragments are joined."""
    size = len(data)
    view = memoryview(data)
    pos = 0
    parts: list[memoryview] = []
    start = 0
    while pos + HEADER_SIZE <= size:
        block_left = BLOCK_SIZE - pos % BLOCK_SIZE
        if block_left < HEADER_SIZE:          # trailer padding of a block
            pos += block_left
            continue
        _crc, length, rtype = _HEADER.unpack_from(data, pos)
        body = pos + HEADER_SIZE
        if rtype == 0 and length == 0:        # preallocated zeros: skip the rest of the block
            pos += block_left
            continue
        if body + length > size:              # the browser is still writing this record
            damage.append(Damage(file, pos, "the last record is incomplete (the browser was writing it)", TORN))
            return
        if length > block_left - HEADER_SIZE or rtype not in (FULL, FIRST, MIDDLE, LAST):
            damage.append(Damage(file, pos, f"malformed log record (type {rtype}, length {length}); "
                                            "skipped to the next block"))
            parts = []
            pos += block_left
            continue
        frag = view[body:body + length]
        if rtype == FULL:
            if parts:
                damage.append(Damage(file, start, "a fragmented record was never finished; dropped"))
                parts = []
            yield pos, bytes(frag)
        elif rtype == FIRST:
            if parts:
                damage.append(Damage(file, start, "a fragmented record was never finished; dropped"))
            parts = [frag]
            start = pos
        elif not parts:
            damage.append(Damage(file, pos, "a record fragment without its beginning; skipped"))
        elif rtype == MIDDLE:
            parts.append(frag)
        else:
            parts.append(frag)
            yield start, b"".join(parts)
            parts = []
        pos = body + length
    if parts:
        damage.append(Damage(file, start, "the last record is incomplete (the browser was writing it)", TORN))


def apply_batch(db: Database, batch: bytes, file: str, offset: int) -> None:
    """One write batch: sequence, count, then put/delete records with consecutive sequences."""
    if len(batch) < 12:
        raise LevelDBError("write batch shorter than its header")
    sequence = _U64.unpack_from(batch, 0)[0]
    count = _U32.unpack_from(batch, 8)[0]
    view = memoryview(batch)   # values are views into the record: no copy of multi-MB saves
    pos = 12
    for i in range(count):
        if pos >= len(batch):
            raise LevelDBError(f"write batch ends after {i} of {count} records")
        tag = batch[pos]
        key, pos = _slice(batch, pos + 1)
        if tag == TYPE_PUT:
            n, pos = read_varint(batch, pos)
            if pos + n > len(batch):
                raise LevelDBError("length runs past the end")
            value = view[pos:pos + n]
            pos += n
            db._apply(key, sequence + i, value, file, offset)
        elif tag == TYPE_DELETE:
            db._apply(key, sequence + i, None, file, offset)
        else:
            raise LevelDBError(f"unknown record type {tag} in a write batch")


def read_log(db: Database, data: bytes, file: str) -> None:
    for offset, record in log_records(data, file, db.damage):
        try:
            apply_batch(db, record, file, offset)
        except (LevelDBError, IndexError, struct.error) as exc:
            db.damage.append(Damage(file, offset, f"undecodable write batch: {exc}"))


# --------------------------------------------------------------------------- tables
def _block_handle(buf: bytes | memoryview, pos: int) -> tuple[int, int, int]:
    offset, pos = read_varint(buf, pos)
    size, pos = read_varint(buf, pos)
    return offset, size, pos


def read_block(data: bytes, offset: int, size: int) -> bytes:
    end = offset + size
    if end + 5 > len(data):
        raise LevelDBError(f"block at {offset} (+{size}) runs past the end of the file")
    kind = data[end]
    raw = data[offset:end]
    if kind == NO_COMPRESSION:
        return raw
    if kind == SNAPPY_COMPRESSION:
        try:
            return bytes(cramjam.snappy.decompress_raw(raw))
        except Exception as exc:  # noqa: BLE001 - cramjam raises its own DecompressionError
            raise LevelDBError(f"Snappy block at {offset} cannot be decompressed: {exc}") from None
    raise LevelDBError(f"block at {offset} uses compression type {kind}, which this reader does not know")


def block_entries(block: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(key, value) of a table block (prefix-compressed keys; restart array at the end)."""
    if len(block) < 4:
        raise LevelDBError("block too short")
    restarts = _U32.unpack_from(block, len(block) - 4)[0]
    limit = len(block) - 4 - 4 * restarts
    if limit < 0:
        raise LevelDBError("restart array larger than the block")
    pos = 0
    key = b""
    while pos < limit:
        shared, pos = read_varint(block, pos)
        unshared, pos = read_varint(block, pos)
        vlen, pos = read_varint(block, pos)
        if shared > len(key) or pos + unshared + vlen > limit:
            raise LevelDBError(f"malformed block entry at {pos}")
        key = key[:shared] + block[pos:pos + unshared]
        pos += unshared
        yield key, block[pos:pos + vlen]
        pos += vlen


def read_table(db: Database, data: bytes, file: str, cancelled: Callable[[], bool] | None = None) -> None:
    if len(data) < FOOTER_SIZE:
        db.damage.append(Damage(file, 0, "table file shorter than its footer"))
        return
    foot = len(data) - FOOTER_SIZE
    if _U64.unpack_from(data, len(data) - 8)[0] != TABLE_MAGIC:
        db.damage.append(Damage(file, len(data) - 8, "not a LevelDB table (bad magic number)"))
        return
    try:
        _mo, _ms, pos = _block_handle(data, foot)
        index_off, index_size, _ = _block_handle(data, pos)
        index = read_block(data, index_off, index_size)
        handles = [_block_handle(v, 0)[:2] for _k, v in block_entries(index)]
    except (LevelDBError, IndexError, struct.error) as exc:
        db.damage.append(Damage(file, foot, f"unreadable table index: {exc}"))
        return
    for offset, size in handles:
        if cancelled is not None and cancelled():
            return
        try:
            for ikey, value in block_entries(read_block(data, offset, size)):
                if len(ikey) < 8:
                    raise LevelDBError("internal key shorter than 8 bytes")
                tag = _U64.unpack_from(ikey, len(ikey) - 8)[0]
                vtype = tag & 0xFF
                db._apply(ikey[:-8], tag >> 8, value if vtype == TYPE_PUT else None, file, offset)
        except (LevelDBError, IndexError, struct.error) as exc:
            db.damage.append(Damage(file, offset, f"unreadable data block: {exc}"))


# --------------------------------------------------------------------------- MANIFEST
@dataclass
class Manifest:
    log_number: int = 0
    prev_log_number: int = 0
    last_sequence: int = 0
    tables: set[int] = field(default_factory=set)


def read_manifest(data: bytes, file: str, damage: list[Damage]) -> Manifest:
    """Replay the version edits: which table files are live, which logs are still needed."""
    m = Manifest()
    for offset, rec in log_records(data, file, damage):
        pos = 0
        try:
            while pos < len(rec):
                tag, pos = read_varint(rec, pos)
                if tag == 1:                      # comparator name
                    _, pos = _slice(rec, pos)
                elif tag == 2:
                    m.log_number, pos = read_varint(rec, pos)
                elif tag == 9:
                    m.prev_log_number, pos = read_varint(rec, pos)
                elif tag == 3:                    # next file number
                    _, pos = read_varint(rec, pos)
                elif tag == 4:
                    m.last_sequence, pos = read_varint(rec, pos)
                elif tag == 5:                    # compact pointer: level, internal key
                    _, pos = read_varint(rec, pos)
                    _, pos = _slice(rec, pos)
                elif tag == 6:                    # deleted file: level, number
                    _, pos = read_varint(rec, pos)
                    number, pos = read_varint(rec, pos)
                    m.tables.discard(number)
                elif tag == 7:                    # new file: level, number, size, smallest, largest
                    _, pos = read_varint(rec, pos)
                    number, pos = read_varint(rec, pos)
                    _, pos = read_varint(rec, pos)
                    _, pos = _slice(rec, pos)
                    _, pos = _slice(rec, pos)
                    m.tables.add(number)
                else:
                    raise LevelDBError(f"unknown version-edit tag {tag}")
        except (LevelDBError, IndexError) as exc:
            damage.append(Damage(file, offset, f"undecodable MANIFEST record: {exc}"))
    return m


def live_files(names: list[str], current: bytes | None, manifests: dict[str, bytes],
               damage: list[Damage]) -> list[str]:
    """The table and log files to read, oldest first. Without a readable MANIFEST every
    numbered file is read (older sequence numbers lose anyway)."""
    numbered = {}
    for name in names:
        m = _FILE_RE.match(name)
        if m:
            numbered[name] = (int(m.group(1)), m.group(2))
    manifest_name = current.decode("ascii", "replace").strip() if current else ""
    if manifest_name in manifests:
        man = read_manifest(manifests[manifest_name], manifest_name, damage)
        if man.tables or man.log_number:
            keep = []
            for name, (number, ext) in numbered.items():
                if ext == "log":
                    if number >= man.log_number or (man.prev_log_number and number == man.prev_log_number):
                        keep.append(name)
                elif number in man.tables:
                    keep.append(name)
            return sorted(keep, key=lambda n: numbered[n][0])
    return sorted(numbered, key=lambda n: numbered[n][0])


def read_database(files: dict[str, bytes], cancelled: Callable[[], bool] | None = None,
                  progress: Callable[[int, int, str], None] | None = None) -> Database:
    """Read a database from ``{file name: bytes}`` (a snapshot of its folder)."""
    db = Database()
    manifests = {n: d for n, d in files.items() if n.startswith("MANIFEST-")}
    names = live_files(list(files), files.get("CURRENT"), manifests, db.damage)
    db.files = names
    total = sum(len(files[n]) for n in names)
    done = 0
    for name in names:
        if cancelled is not None and cancelled():
            break
        if progress is not None:
            progress(done, total, f"Reading {name}")
        data = files[name]
        if name.endswith(".log"):
            read_log(db, data, name)
        else:
            read_table(db, data, name, cancelled)
        done += len(data)
    return db
