"""Firefox's localStorage: ``<profile>/storage/default/<origin>/ls/data.sqlite``.

Schema (Firefox ``dom/localstorage``, checked on Firefox ESR, see shared/notes/browsers.md)::

    data(key TEXT PRIMARY KEY, utf16_length INTEGER, conversion_type INTEGER,
         compression_type INTEGER, last_access_time INTEGER, value BLOB)

``LSValue``: ``conversion_type`` 0 (``NONE``) = the blob is the string's UTF-16 code units
(little-endian), 1 (``UTF16_UTF8``) = UTF-8; ``compression_type`` 0 = stored as is,
1 (``SNAPPY``) = a raw Snappy block. ``utf16_length`` is the JavaScript length, checked.

Firefox keeps the database open and writes through a WAL, so the reader copies
``data.sqlite`` with its ``-wal`` (and ``-shm``) into a private temporary folder and opens
the copy read-only; the user's files are never opened by SQLite.

No Qt here.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import cramjam

from inspector_app.core.browser.leveldb import TORN, Damage
from inspector_app.core.browser.snapshot import TempCopy

DB_NAME = "data.sqlite"
CONVERSION_NONE, CONVERSION_UTF8 = 0, 1
COMPRESSION_NONE, COMPRESSION_SNAPPY = 0, 1


def origin_from_folder(name: str) -> str:
    """``http+++127.0.0.1+8080`` -> ``http://127.0.0.1:8080`` (Firefox's origin folder names)."""
    base, _, attrs = name.partition("^")
    scheme, sep, rest = base.partition("+++")
    if not sep:
        return name
    if scheme == "file":
        return f"file://{rest.replace('+', '/')}"
    host, plus, port = rest.rpartition("+")
    if plus and port.isdigit():
        rest = f"{host}:{port}"
    origin = f"{scheme}://{rest}"
    return f"{origin} ({attrs})" if attrs else origin


def decode_value(raw: bytes | str, conversion: int, compression: int) -> str:
    if isinstance(raw, str):          # a TEXT value (older schema): already a string
        return raw
    data = bytes(raw)
    if compression == COMPRESSION_SNAPPY:
        data = bytes(cramjam.snappy.decompress_raw(data))
    elif compression != COMPRESSION_NONE:
        raise ValueError(f"unknown compression_type {compression}")
    if conversion == CONVERSION_UTF8:
        return data.decode("utf-8", "surrogatepass")
    if conversion == CONVERSION_NONE:
        return data.decode("utf-16-le", "surrogatepass")
    raise ValueError(f"unknown conversion_type {conversion}")


def js_length(text: str) -> int:
    """JavaScript ``String#length``: UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass
class FirefoxOrigin:
    folder: Path                     # the ``ls`` folder
    origin: str
    items: dict[str, str] = field(default_factory=dict)
    problems: list[Damage] = field(default_factory=list)
    last_modified_ms: float | None = None
    stable: bool = True
    stored_bytes: int = 0            # size of the stored (possibly compressed) values


def read_firefox_ls(ls_folder: Path) -> FirefoxOrigin:
    """Read one origin's ``ls`` folder through a private copy of its database files."""
    origin = FirefoxOrigin(ls_folder, origin_from_folder(ls_folder.parent.name))
    db_path = ls_folder / DB_NAME
    sources = [db_path, ls_folder / f"{DB_NAME}-wal", ls_folder / f"{DB_NAME}-shm"]
    mtimes = [p.stat().st_mtime for p in sources[:2] if p.exists()]
    origin.last_modified_ms = max(mtimes) * 1000.0 if mtimes else None
    with TempCopy(sources) as copy:
        origin.stable = copy.stable
        uri = copy.path(DB_NAME).as_uri() + "?mode=ro"
        try:
            con = sqlite3.connect(uri, uri=True)
        except sqlite3.Error as exc:
            origin.problems.append(Damage(DB_NAME, 0, f"cannot be opened as SQLite: {exc}"))
            return origin
        try:
            rows = con.execute("SELECT key, utf16_length, conversion_type, compression_type, value FROM data")
            for key, utf16_length, conversion, compression, value in rows:
                try:
                    text = decode_value(value, conversion, compression)
                except (ValueError, UnicodeDecodeError, Exception) as exc:  # noqa: BLE001 - cramjam's own error
                    origin.problems.append(Damage(DB_NAME, 0, f"the value of key {key!r} cannot be decoded "
                                                              f"({exc}); it is left out",
                                                  TORN if not copy.stable else "corrupt"))
                    continue
                if isinstance(utf16_length, int) and utf16_length != js_length(text):
                    origin.problems.append(Damage(DB_NAME, 0, f"the value of key {key!r} has {js_length(text)} "
                                                              f"characters but its row says {utf16_length}",
                                                  TORN if not copy.stable else "corrupt"))
                origin.items[key] = text
                origin.stored_bytes += len(value)
        except sqlite3.Error as exc:
            origin.problems.append(Damage(DB_NAME, 0, f"the data table cannot be read: {exc}",
                                          TORN if not copy.stable else "corrupt"))
        finally:
            con.close()
    return origin
