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
the problem with its exact location. The splitter never accepts what ``orjson.loads``
rejects: the separators between entries are checked exactly (one comma after every entry
but the last, none after the last; only JSON whitespace — space, tab, CR, LF — around
them), and each entry must be exactly one ``"key": "string"`` pair. When it returns a dict,
that dict equals ``orjson.loads`` of the same bytes.

No Qt here.
"""
from __future__ import annotations

import codecs
import re
from typing import BinaryIO, Callable, Iterable, Iterator

import orjson

from inspector_app.core.common.guiturn import yield_to_gui

SPLIT_MIN_BYTES = 4 * 1024 * 1024
#: JSON's whitespace (RFC 8259 §2). ``bytes.strip()`` would also strip \v and \f, which
#: orjson and ``JSON.parse`` reject.
_WS = b" \t\r\n"
#: How much of the file is read to recognise the pretty shape (``{`` alone on the first line).
_SNIFF_BYTES = 4096
#: Big values with a non-ASCII character are returned as UTF-8 ``bytes``: CPython stores such
#: a str at 2-4 bytes per character, and a 50 MB export would otherwise cost twice its size.
WIDE_TO_UTF8_CHARS = 1024 * 1024


# An object whose first value is a string: ``{``, a key, ``:``, then a quote (JSON whitespace between).
_STRING_OBJECT_HEAD = re.compile(rb'[ \t\r\n]*\{[ \t\r\n]*"(?:[^"\\]|\\.)*"[ \t\r\n]*:[ \t\r\n]*"')


def starts_as_string_object(data: bytes | bytearray) -> bool:
    """True when the text starts like an object of strings (its first 4 KB hold ``{"key": "``):
    worth splitting even when small, since parsing entry by entry also answers, exactly and
    for free, whether a key repeats (the splitter refuses one), which a whole parse cannot."""
    return _STRING_OBJECT_HEAD.match(data, 0, _SNIFF_BYTES) is not None


def split_string_object(data: bytes | bytearray, cancelled: Callable[[], bool] | None = None) -> dict[str, str] | None:
    """The export as ``{key: value}``, or None when the fast path does not apply. Values are
    str, except big non-ASCII ones, which come as their UTF-8 bytes (see WIDE_TO_UTF8_CHARS)."""
    if bytes(data[:3]) == codecs.BOM_UTF8:
        return None
    # Work on line pieces of the original buffer: whole-buffer strip/slice copies of a 50 MB
    # export each hold the GIL for tens of ms.
    first_nl = data.find(b"\n", 0, _SNIFF_BYTES)
    if first_nl >= 0 and data[:first_nl].strip(_WS) == b"{":
        entries = _pretty_entries(data, first_nl)
    else:
        entries = _compact_entries(data)
    return _collect(entries, cancelled)


def split_string_object_lines(fh: BinaryIO, size: int, progress: Callable[..., None] | None = None,
                              cancelled: Callable[[], bool] | None = None) -> dict[str, str] | None:
    """The same for a pretty-printed export read line by line from an open binary file."""
    # A bounded sniff, never ``readline()``: a one-line 50 MB save would be read whole.
    head = fh.read(_SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return None
    first_nl = head.find(b"\n")
    if first_nl < 0 or head[:first_nl].strip(_WS) != b"{":
        return None
    fh.seek(first_nl + 1)

    def lines() -> Iterator[bytes]:
        for raw in fh:
            if progress is not None:
                progress(fh.tell(), size, "Reading the profile")
            yield raw

    return _collect(_entry_lines(lines()), cancelled)


def _collect(entries: Iterable[bytes], cancelled: Callable[[], bool] | None) -> dict[str, str] | None:
    """Parse each ``"key": "value"`` entry on its own; None as soon as one does not fit."""
    out: dict[str, str] = {}
    try:
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
            if len(value) >= WIDE_TO_UTF8_CHARS and not value.isascii():
                value = value.encode("utf-8", "surrogatepass")
            out[key] = value
            # each entry is a few C calls of up to ~10 ms with the GIL held (a 50 MB profile's
            # 4.7 MB slots): the GUI's turn between them (core/common/guiturn)
            yield_to_gui()
    except _NotThisShape:
        return None
    return out or None


class _NotThisShape(Exception):
    pass


def _pretty_entries(data: bytes | bytearray, first: int) -> Iterator[bytes]:
    """One entry per line, sliced line by line as they are parsed (short C calls, no
    whole-buffer copy, no list of copies)."""
    def lines() -> Iterator[bytes]:
        pos, size = first + 1, len(data)
        while pos < size:
            nl = data.find(b"\n", pos)
            end = size if nl < 0 else nl
            yield data[pos:end]
            pos = end + 1

    return _entry_lines(lines())


def _entry_lines(lines: Iterable[bytes]) -> Iterator[bytes]:
    """The ``"key": "value"`` entries of a pretty export's lines after the opening ``{``.

    Every entry but the last must end with exactly one comma and the last with none (a
    trailing comma before ``}`` or a missing comma between entries is invalid JSON)."""
    closed = False
    pending: bytes | None = None       # the previous entry, its comma already removed
    pending_comma = False
    for raw in lines:
        line = raw.strip(_WS)
        if not line:
            continue
        if closed:
            raise _NotThisShape("something after the closing brace")
        if line == b"}":
            if pending is None or pending_comma:
                raise _NotThisShape("empty object or trailing comma")
            yield pending
            pending = None
            closed = True
            continue
        if pending is not None:
            if not pending_comma:
                raise _NotThisShape("missing comma between entries")
            yield pending
        pending_comma = line.endswith(b",")
        pending = line[:-1] if pending_comma else line
    if not closed:
        raise _NotThisShape("no closing brace")


def _compact_entries(data: bytes | bytearray) -> Iterator[bytes]:
    start, end = data.find(b"{"), data.rfind(b"}")
    if start < 0 or end <= start or data[:start].strip(_WS) or data[end + 1:].strip(_WS):
        raise _NotThisShape("not an object")
    pos = start + 1
    while True:
        cut = data.find(b'","', pos, end)
        if cut < 0:
            last = data[pos:end].strip(_WS)
            if not last:
                raise _NotThisShape("empty object")
            yield bytes(last)
            return
        yield bytes(data[pos:cut + 1])   # up to and including the closing quote
        pos = cut + 2                    # the next key's opening quote
