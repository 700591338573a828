"""Fast path for big whole-profile exports: split ``{"key": "string", ...}`` into its entries
without one huge parse.

A localStorage export is an object whose values are all strings (each holding a save). One
``orjson.loads`` of a 50 MB export builds every string in a single C call that holds the GIL
for about half a second — long enough to freeze the window even though the load runs in a
worker. A JSON string can contain neither a raw newline nor an unescaped quote, so:

* pretty-printed exports (devtools' ``JSON.stringify(…, null, 2)``) have exactly one entry
  per line;
* compact exports separate entries with ``","``, a sequence that cannot occur inside a
  string value (its middle quote would have to be unescaped).

Each entry is then parsed on its own (a few ms each, with the GIL free in between). Anything
that does not fit — a non-string value, a duplicate key, a byte-order mark, unusual spacing,
invalid UTF-8 — returns None and the caller falls back to the general parser, which reports
the problem with its exact location. The result is always identical to ``orjson.loads``.

No Qt here.
"""
from __future__ import annotations

import codecs
from typing import Callable

import orjson

SPLIT_MIN_BYTES = 4 * 1024 * 1024


def split_string_object(data: bytes | bytearray, cancelled: Callable[[], bool] | None = None) -> dict[str, str] | None:
    """The export as ``{key: value}``, or None when the fast path does not apply."""
    if bytes(data[:3]) == codecs.BOM_UTF8:
        return None
    # Work on line pieces of the original buffer: whole-buffer strip/slice copies of a 50 MB
    # export each hold the GIL for tens of ms.
    first_nl = data.find(b"\n")
    if first_nl >= 0 and data[:first_nl].strip() == b"{":
        entries = _pretty_entries(data, first_nl)
        if entries is None:
            return None
    else:
        start, end = data.find(b"{"), data.rfind(b"}")
        if start < 0 or end <= start or data[:start].strip() or data[end + 1:].strip():
            return None
        pieces = data[start + 1:end].split(b'","')
        last = len(pieces) - 1
        entries = [(b'"' if i else b"") + (p.strip() if last == 0 else p) + (b'"' if i < last else b"")
                   for i, p in enumerate(pieces)]
        del pieces
        if entries == [b""]:
            return None
    out: dict[str, str] = {}
    for entry in entries:
        if cancelled is not None and cancelled():
            return None
        try:
            one = orjson.loads(b"{" + entry + b"}")
        except orjson.JSONDecodeError:
            return None
        if len(one) != 1:
            return None
        (key, value), = one.items()
        if not isinstance(value, str) or key in out:
            return None
        out[key] = value
    return out


def _pretty_entries(data: bytes | bytearray, first: int) -> list[bytes] | None:
    """One entry per line, sliced line by line (short C calls; no whole-buffer copy)."""
    entries: list[bytes] = []
    pos = first + 1
    size = len(data)
    closed = False
    while pos < size:
        nl = data.find(b"\n", pos)
        end = size if nl < 0 else nl
        line = data[pos:end].strip()
        pos = end + 1
        if not line:
            continue
        if closed:
            return None          # something after the closing brace
        if line == b"}":
            closed = True
            continue
        entries.append(bytes(line[:-1] if line.endswith(b",") else line))
    return entries if closed and entries else None
