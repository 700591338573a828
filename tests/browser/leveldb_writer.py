"""A minimal LevelDB *writer* for tests and benchmarks: write-ahead logs, table files
(optionally Snappy-compressed), MANIFEST and CURRENT, in the formats of google/leveldb.

It lets tests build databases real Chromium would not write on demand (torn tails, several
tables, huge values beyond Chromium's 10 MiB-per-origin quota) and check the reader on them.
"""
from __future__ import annotations

import struct
from pathlib import Path

import cramjam

BLOCK = 32768
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4
MAGIC = 0xDB4775248B80FB57


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def lp(b: bytes) -> bytes:
    return varint(len(b)) + b


def log_bytes(records: list[bytes]) -> bytes:
    """Records framed into 32 KiB blocks (checksums left zero: the reader does not verify them)."""
    out = bytearray()
    for rec in records:
        pos = 0
        first = True
        while True:
            left = BLOCK - len(out) % BLOCK
            if left < 7:
                out += b"\x00" * left
                left = BLOCK
            room = left - 7
            frag = rec[pos:pos + room]
            pos += len(frag)
            end = pos >= len(rec)
            rtype = FULL if first and end else FIRST if first else LAST if end else MIDDLE
            out += struct.pack("<IHB", 0, len(frag), rtype) + frag
            first = False
            if end:
                break
    return bytes(out)


def batch(sequence: int, ops: list[tuple[bytes, bytes | None]]) -> bytes:
    """ops: (key, value) puts, (key, None) deletes."""
    body = bytearray(struct.pack("<QI", sequence, len(ops)))
    for key, value in ops:
        if value is None:
            body += b"\x00" + lp(key)
        else:
            body += b"\x01" + lp(key) + lp(value)
    return bytes(body)


def _block(entries: list[tuple[bytes, bytes]], restart_interval: int = 16) -> bytes:
    out = bytearray()
    restarts = []
    prev = b""
    for i, (k, v) in enumerate(entries):
        if i % restart_interval == 0:
            restarts.append(len(out))
            shared = 0
        else:
            shared = 0
            while shared < min(len(prev), len(k)) and prev[shared] == k[shared]:
                shared += 1
        out += varint(shared) + varint(len(k) - shared) + varint(len(v)) + k[shared:] + v
        prev = k
    if not restarts:
        restarts = [0]
    for r in restarts:
        out += struct.pack("<I", r)
    out += struct.pack("<I", len(restarts))
    return bytes(out)


def table_bytes(entries: list[tuple[bytes, int, bytes | None]], *, compress: bool = True,
                block_size: int = 4096) -> bytes:
    """entries: (user key, sequence, value or None for a delete); sorted as LevelDB sorts
    internal keys (user key ascending, sequence descending)."""
    ikeys = sorted(((k, s, v) for k, s, v in entries), key=lambda e: (e[0], -e[1]))
    out = bytearray()
    index: list[tuple[bytes, bytes]] = []

    def flush(block_entries):
        raw = _block(block_entries)
        kind = 0
        if compress:
            packed = bytes(cramjam.snappy.compress_raw(raw))
            if len(packed) < len(raw) - len(raw) // 8:
                raw, kind = packed, 1
        handle = varint(len(out)) + varint(len(raw))
        out.extend(raw + bytes([kind]) + b"\x00\x00\x00\x00")
        index.append((block_entries[-1][0], handle))

    current: list[tuple[bytes, bytes]] = []
    size = 0
    for k, s, v in ikeys:
        ikey = k + struct.pack("<Q", (s << 8) | (1 if v is not None else 0))
        current.append((ikey, v if v is not None else b""))
        size += len(ikey) + len(current[-1][1])
        if size >= block_size:
            flush(current)
            current, size = [], 0
    if current:
        flush(current)
    meta_handle = varint(len(out)) + varint(len(_block([])))
    out.extend(_block([]) + b"\x00" + b"\x00" * 4)
    idx = _block(index, restart_interval=1)
    index_handle = varint(len(out)) + varint(len(idx))
    out.extend(idx + b"\x00" + b"\x00" * 4)
    footer = meta_handle + index_handle
    footer += b"\x00" * (40 - len(footer))
    out.extend(footer + struct.pack("<Q", MAGIC))
    return bytes(out)


def manifest_bytes(log_number: int, tables: list[int], last_sequence: int, next_file: int) -> bytes:
    edit = bytearray()
    edit += varint(1) + lp(b"leveldb.BytewiseComparator")
    edit += varint(2) + varint(log_number)
    edit += varint(3) + varint(next_file)
    edit += varint(4) + varint(last_sequence)
    for t in tables:
        edit += varint(7) + varint(0) + varint(t) + varint(0) + lp(b"a" + b"\x01" * 8) + lp(b"z" + b"\x01" * 8)
    return log_bytes([bytes(edit)])


# -- Chromium localStorage encoding -----------------------------------------------
def chromium_string(text: str) -> bytes:
    try:
        return b"\x01" + text.encode("latin-1")
    except UnicodeEncodeError:
        return b"\x00" + text.encode("utf-16-le", "surrogatepass")


def chromium_key(origin: str, key: str) -> bytes:
    return b"_" + origin.encode() + b"\x00" + chromium_string(key)


def write_chromium_db(folder: Path, origin: str, items: dict[str, str], *, table_items: dict[str, str] | None = None,
                      compress: bool = True, modified_ms: int = 1_762_106_784_700) -> None:
    """A Local Storage/leveldb folder: ``table_items`` in one compacted table (older
    sequence numbers), ``items`` in the log (newer)."""
    folder.mkdir(parents=True, exist_ok=True)
    seq = 1
    tables = []
    if table_items:
        entries = [(chromium_key(origin, k), seq + i, chromium_string(v)) for i, (k, v) in enumerate(table_items.items())]
        seq += len(entries)
        (folder / "000005.ldb").write_bytes(table_bytes(entries, compress=compress))
        tables.append(5)
    meta = b"META:" + origin.encode()
    meta_value = b"\x08" + varint(modified_ms * 1000 + 11_644_473_600_000_000) + b"\x10" + varint(1)
    records = [batch(seq, [(b"VERSION", b"1"), (meta, meta_value)])]
    seq += 2
    for k, v in items.items():
        records.append(batch(seq, [(chromium_key(origin, k), chromium_string(v))]))
        seq += 1
    (folder / "000006.log").write_bytes(log_bytes(records))
    (folder / "MANIFEST-000004").write_bytes(manifest_bytes(6, tables, seq, 7))
    (folder / "CURRENT").write_bytes(b"MANIFEST-000004\n")
    (folder / "LOCK").write_bytes(b"")
