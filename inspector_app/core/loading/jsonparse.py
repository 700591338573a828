"""Parse JSON with orjson, and when it fails say exactly where and why.

Every input of the inspector is JSON, and most of it is big (a whole-profile export can
be tens of megabytes), so the happy path is a bare ``orjson.loads`` with the garbage
collector paused. Everything else only runs when something looks wrong:

* the parse failed: the orjson error is turned into "line L, column C: what happened,
  expected what", and the odd inputs a player or designer may hand us (empty file, UTF-8
  byte order mark, UTF-16/32 text, invalid UTF-8, a binary file, ``NaN``/``Infinity``,
  nesting deeper than orjson allows) get a message of their own;
* integers beyond 64 bits: orjson turns them into floats (losing digits), so when the text
  holds a run of 19+ digits the stdlib parser, which keeps integers exact, is used instead;
* duplicate keys: orjson keeps the last one silently (as JavaScript does). A cheap count
  of ``:`` characters in the text against the re-serialised value tells whether any pair
  was dropped; only then a stdlib ``object_pairs_hook`` pass finds each duplicate's path.

No Qt here.
"""
from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from typing import Any, Callable

import orjson

from inspector_app.core.common.gcpause import (  # noqa: F401 - re-exported for callers
    GC_FREEZE_THRESHOLD, GC_PAUSE_THRESHOLD, GC_UNPREPARED_FREEZE_THRESHOLD, gc_paused,
)
from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.loading.chunked import CHUNKED_MIN_BYTES, NotChunkable, loads_chunked, text_layout
from inspector_app.core.loading.jsonerrors import (  # noqa: F401 - re-exported for callers
    BOMS, MAGIC, MAX_DEPTH, JsonParseError, decode_wide, explain_bytes_error, explain_text_error,
    guess_wide_encoding, locate, locate_bytes, looks_binary,
)

#: Integers outside this range do not survive orjson (they become floats).
_INT_MIN, _INT_MAX = -(1 << 63), (1 << 64) - 1
# Integers that can leave the 64-bit range have at least 19 digits. A regex over tens of MB is
# slow (~1 s for 50 MB); mapping every digit to "0" and searching for 19 zeros is ~20x faster.
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_NINETEEN_ZEROS = b"0" * 19

_NOTE, _WARN = "notice", "warning"


@dataclass(frozen=True)
class ParseNote:
    """Something worth telling about a document that did parse."""

    severity: str          # "notice" | "warning" (same strings as document.Severity)
    code: str              # "utf8_bom", "utf16_text", "duplicate_key", "big_integer"
    message: str
    path: str | None = None  # JSON path, when the note is about one value


@dataclass
class ParsedJson:
    value: Any
    notes: list[ParseNote] = field(default_factory=list)
    #: What scanning the text found; pass it to ``parse_json(hints=...)`` for strings cut out
    #: of this text (a profile's values), so they need not be scanned again.
    hints: "TextHints" = field(default_factory=lambda: TextHints())
    #: UTF-8 size of the JSON text when it differs from the input's size (a byte order mark
    #: was skipped, or UTF-16/32 was decoded); None when the input was plain UTF-8.
    utf8_size: int | None = None


@dataclass(frozen=True)
class TextHints:
    """Facts about a text that also hold for every string value inside it (each value is a
    substring of the text, give or take JSON escapes). None = not known, scan."""

    long_digit_runs: bool | None = None   # a run of 19+ digits (possible integer beyond 64 bits)
    escaped_colons: bool | None = None    # "\u003" appears (a colon may be written escaped)


# The GC pause (gc_paused, GC_*_THRESHOLD) lives in core/common/gcpause; re-exported above.


# --------------------------------------------------------------------------- public API
def parse_json(data: bytes | bytearray | memoryview | str, *, check_duplicates: bool = True,
               hints: TextHints | None = None, cancelled: Callable[[], bool] | None = None) -> ParsedJson:
    """Parse one JSON document; raise :class:`JsonParseError` with a located reason.

    ``bytes`` are the content of a file; ``str`` is a value already decoded (for example a
    localStorage string holding JSON), and its offsets are then character offsets.
    ``hints`` (from the enclosing text's :class:`ParsedJson`) skip scans already known to
    find nothing.
    """
    notes: list[ParseNote] = []
    is_text = isinstance(data, str)
    if not is_text and len(data) >= CHUNKED_MIN_BYTES:
        # Big documents in short steps (see :mod:`chunked`); anything it does not handle, and
        # every invalid text, goes through the whole parse below, which explains it.
        try:
            value, maybe_duplicates = loads_chunked(data, cancelled)
        except NotChunkable:
            pass
        else:
            return _finish(data, value, notes, check_duplicates, hints or TextHints(),
                           maybe_duplicates=maybe_duplicates)
    try:
        if len(data) < GC_PAUSE_THRESHOLD:   # most values: skip the context manager's cost
            value = orjson.loads(data)
        else:
            with gc_paused(len(data)):
                value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if is_text:
            raise explain_text_error(data, exc) from None  # type: ignore[arg-type]
        return _recover_bytes(data, exc, check_duplicates)  # raises when it cannot help
    return _finish(data, value, notes, check_duplicates, hints or TextHints())


def describe_value(value: Any) -> str:
    """Short human description of a JSON value: "the JSON number 5", "a JSON array of 3 items"."""
    if value is None:
        return "JSON null"
    if isinstance(value, bool):
        return f"the JSON boolean {'true' if value else 'false'}"
    if isinstance(value, (int, float)):
        return f"the JSON number {orjson.dumps(value).decode() if isinstance(value, float) else value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the JSON string {json.dumps(shown, ensure_ascii=False)}"
    if isinstance(value, list):
        return f"a JSON array of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        if not value:
            return "an empty JSON object"
        keys = list(value)[:6]
        more = ", ..." if len(value) > 6 else ""
        return "a JSON object with keys " + ", ".join(keys) + more
    return type(value).__name__


# --------------------------------------------------------------------------- success path
def _parse_decoded(text: str, notes: list[ParseNote], check_duplicates: bool) -> ParsedJson:
    try:
        with gc_paused(len(text)):
            value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise explain_text_error(text, exc) from None
    parsed = _finish(text, value, notes, check_duplicates)
    parsed.utf8_size = len(text.encode("utf-8", errors="surrogatepass"))
    return parsed


def _finish(data: Any, value: Any, notes: list[ParseNote], check_duplicates: bool,
            known: TextHints = TextHints(), maybe_duplicates: bool | None = None) -> ParsedJson:
    """Checks that only cost anything when the text gives a reason to look.

    ``maybe_duplicates``: already answered per piece by the chunked parse (None: count here).
    Scans of big texts run in slices, so no single call holds the GIL for long."""
    if isinstance(data, memoryview):
        data = bytes(data)
    if maybe_duplicates is None and is_canonical(data, value):
        # The text is orjson's own serialisation of the value: no pair was dropped, no number
        # rounded, no colon escaped. Nothing to scan (nested strings check themselves).
        return ParsedJson(value, notes, TextHints())
    long_runs = known.long_digit_runs
    if long_runs is not False:
        long_runs = has_long_digit_run(data)
    escaped = known.escaped_colons
    if escaped is not False:
        escaped = ("\\u003" in data) if isinstance(data, str) else _find_sliced(data, b"\\u003")
    hints = TextHints(long_runs, escaped)
    if long_runs:
        exact = _stdlib_exact(data)
        if exact is not None:
            value, big_paths = exact
            if big_paths:
                shown = ", ".join(big_paths[:5]) + (" ..." if len(big_paths) > 5 else "")
                notes.append(ParseNote(
                    _NOTE, "big_integer",
                    f"{len(big_paths)} integer(s) do not fit in 64 bits ({shown}); they were kept exactly, "
                    "but the game (JavaScript) would round them to the nearest double.",
                    big_paths[0]))
                if check_duplicates:
                    notes.extend(_find_duplicates(data))
                return ParsedJson(value, notes, hints)
    if maybe_duplicates is None and check_duplicates:
        maybe_duplicates = _may_have_duplicates(data, value, escaped)
    if check_duplicates and maybe_duplicates:
        notes.extend(_find_duplicates(data))
    return ParsedJson(value, notes, hints)


_SCAN_SLICE = 1 << 20


def is_canonical(data: Any, value: Any) -> bool:
    """True when ``data`` is exactly ``orjson.dumps(value)`` (compact, or indented by two
    spaces), with or without one trailing newline.

    An exact, cheap answer to every question the text checks ask, for the text the game
    writes: orjson never writes a duplicate key, an integer it cannot hold (it would have
    become a float, which orjson writes with a ``.`` or an exponent) or an escaped colon,
    so a text equal to its re-serialisation has none of them. Re-serialising is one C call
    (~15x faster than the parse) and the comparison a ``memcmp``; any other layout (other
    indentation, spaces after colons, escapes orjson would not write) answers False and the
    scans decide. Scalars answer False (they have nothing to check but an integer's size).
    """
    if not isinstance(value, (dict, list)) or not value:
        return False
    if isinstance(data, str):
        raw: Any = data.encode("utf-8", errors="surrogatepass")
    else:
        raw = data
    option = text_layout(raw)
    if option is None:
        return False
    if raw[-1:] == b"\n":
        option |= orjson.OPT_APPEND_NEWLINE
    try:
        return orjson.dumps(value, option=option) == raw
    except orjson.JSONEncodeError:   # nested deeper than orjson writes (254 levels)
        return False


def _find_sliced(data: bytes | bytearray, needle: bytes) -> bool:
    """``needle in data`` one megabyte at a time (slices overlap by the needle's length)."""
    n, step = len(data), _SCAN_SLICE
    if n <= step:
        return data.find(needle) != -1
    return any(data.find(needle, i, min(n, i + step + len(needle))) != -1 for i in range(0, n, step))


def has_long_digit_run(data: Any, start: int = 0, stop: int | None = None) -> bool:
    """True if the text (``data[start:stop]`` of bytes) holds 19+ consecutive digits (a
    possible integer beyond 64 bits).

    A profile's nested strings are substrings of its file, so the answer for the file also
    bounds the answer for every value in it (see :class:`TextHints`).
    """
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    elif not isinstance(data, (bytes, bytearray)):
        data = bytes(data)
    stop = len(data) if stop is None else min(stop, len(data))
    n, step = stop - start, _SCAN_SLICE
    if n < 19:
        return False
    if start == 0 and stop == len(data) and n <= step:
        return data.translate(_DIGITS_TO_ZERO).find(_NINETEEN_ZEROS) != -1
    # a megabyte at a time (overlapping by 18 bytes): no 50 MB copy, no long single call
    return any(data[i:min(stop, i + step + 18)].translate(_DIGITS_TO_ZERO).find(_NINETEEN_ZEROS) != -1
               for i in range(start, stop, step))


def _as_text(data: Any) -> str:
    if isinstance(data, str):
        return data
    return bytes(data).decode("utf-8")


def _stdlib_exact(data: Any) -> tuple[Any, list[str]] | None:
    """Re-parse with the stdlib (exact integers); return the value and the paths of
    integers orjson could not keep. None if the stdlib parser cannot read it either."""
    try:
        with gc_paused(len(data)):
            value = json.loads(_as_text(data))
    except (ValueError, RecursionError):
        return None
    paths: list[str] = []
    stack: list[tuple[Any, list[Any]]] = [(value, [])]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, parts + [k]) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, parts + [i]) for i, v in enumerate(node))
        elif isinstance(node, int) and not isinstance(node, bool) and not _INT_MIN <= node <= _INT_MAX:
            paths.append(format_path(parts))
    if not paths:
        return None
    paths.sort()
    return value, paths


def _may_have_duplicates(data: Any, value: Any, escaped_colons: bool = True) -> bool:
    """True when the text holds more ``:`` than the parsed value explains.

    Every ``:`` in the text is either a key/value separator or part of a string. The
    re-serialised value (orjson never escapes ``:``) has one per kept pair plus the same
    string content; a dropped duplicate removes at least its own separator. ``\\u003a``
    escapes are counted as colons, so they can only cause a false alarm, never a miss.
    """
    if not isinstance(value, (dict, list)):
        return False
    if isinstance(data, str):
        raw = data.count(":")
        if escaped_colons:
            raw += data.count("\\u003a") + data.count("\\u003A")
    else:
        raw = sum(data.count(b":", i, i + _SCAN_SLICE) for i in range(0, len(data), _SCAN_SLICE))
        if escaped_colons:
            raw += data.count(b"\\u003a") + data.count(b"\\u003A")
    return raw > _kept_colons(value)


def _kept_colons(value: Any) -> int:
    """Colons in the compact serialisation of ``value``: one per pair plus those in strings.

    A profile export is an object of strings; counting in the strings directly avoids
    re-escaping tens of megabytes.
    """
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return len(value) + sum(k.count(":") + v.count(":") for k, v in value.items())
    try:
        return orjson.dumps(value).count(b":")
    except orjson.JSONEncodeError:
        return -1  # cannot tell cheaply: force the exact pass


class _DupDict(dict):
    __slots__ = ("duplicates",)


def _find_duplicates(data: Any) -> list[ParseNote]:
    """Stdlib pass that records every repeated key with its JSON path (last value wins)."""

    def hook(pairs: list[tuple[str, Any]]) -> dict:
        d = _DupDict()
        dups: list[str] = []
        for k, v in pairs:
            if k in d:
                dups.append(k)
            d[k] = v
        d.duplicates = dups
        return d

    try:
        with gc_paused(len(data)):
            root = json.loads(_as_text(data), object_pairs_hook=hook)
    except (ValueError, RecursionError):
        return []
    notes: list[ParseNote] = []
    stack: list[tuple[Any, list[Any]]] = [(root, [])]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict):
            for k in dict.fromkeys(getattr(node, "duplicates", ())):
                path = format_path(parts + [k])
                notes.append(ParseNote(
                    _WARN, "duplicate_key",
                    f"the key {json.dumps(k, ensure_ascii=False)} appears more than once in the same object; "
                    "the last value is used (as JavaScript's JSON.parse does), the earlier ones are ignored.",
                    path))
            stack.extend((v, parts + [k]) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((v, parts + [i]) for i, v in reversed(list(enumerate(node))))
    return notes


# --------------------------------------------------------------------------- failure path
def _recover_bytes(data: Any, exc: orjson.JSONDecodeError, check_duplicates: bool) -> ParsedJson:
    """orjson refused raw bytes: parse them anyway when they are JSON behind a UTF-8 byte
    order mark or in UTF-16/32 (with a note saying so), else raise the most specific error."""
    raw = memoryview(data)
    head = bytes(raw[:4096])
    if len(raw) == 0:
        raise JsonParseError("the file is empty (0 bytes); expected a JSON document.", code="empty")
    if head.startswith(codecs.BOM_UTF8):
        return _parse_after_utf8_bom(raw, check_duplicates)
    for bom, codec, label in BOMS:
        if head.startswith(bom):
            return _parse_wide(raw, codec, label, len(bom), check_duplicates)
    guessed = guess_wide_encoding(head)
    if guessed:
        return _parse_wide(raw, *guessed, 0, check_duplicates)
    if not head.strip(b" \t\r\n") and not bytes(raw).strip(b" \t\r\n"):
        raise JsonParseError(f"the file holds only whitespace ({len(raw)} bytes); expected a JSON document.",
                             code="empty")
    for magic, what in MAGIC:
        if head.startswith(magic):
            raise JsonParseError(f"not a text/JSON file: this looks like {what}.", code="binary")
    if looks_binary(head):
        raise JsonParseError("not a text/JSON file: the content is binary data "
                             f"(it starts with the bytes {head[:8].hex(' ')}).", code="binary")
    raise explain_bytes_error(raw, exc)


def _parse_after_utf8_bom(raw: memoryview, check_duplicates: bool) -> ParsedJson:
    body = raw[3:]
    if not bytes(body[:4096]).strip() and not bytes(body).strip():
        raise JsonParseError("the file holds only a UTF-8 byte order mark and no JSON.", code="empty")
    note = ParseNote(_NOTE, "utf8_bom", "the file starts with a UTF-8 byte order mark (BOM); it was skipped.")
    try:
        with gc_paused(len(body)):
            value = orjson.loads(body)
    except orjson.JSONDecodeError as inner:
        err = explain_bytes_error(body, inner)
        if err.offset is not None:  # report offsets in the file, not after the BOM
            err = JsonParseError(err.reason, code=err.code, line=err.line, column=err.column,
                                 offset=err.offset + 3)
        raise err from None
    parsed = _finish(body, value, [note], check_duplicates)
    parsed.utf8_size = len(body)
    return parsed


def _parse_wide(raw: memoryview, codec: str, label: str, skip: int, check_duplicates: bool) -> ParsedJson:
    text, message = decode_wide(raw, codec, label, skip)
    return _parse_decoded(text, [ParseNote(_NOTE, "wide_text", message)], check_duplicates)
