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
import gc
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import orjson

#: orjson's nesting limit (arrays + objects); deeper documents are rejected.
MAX_DEPTH = 1024
#: Inputs at least this big are parsed with the garbage collector paused ...
GC_PAUSE_THRESHOLD = 1 << 20
#: ... and at least this big, the parsed objects are frozen out of later collections.
GC_FREEZE_THRESHOLD = 8 << 20
#: Integers outside this range do not survive orjson (they become floats).
_INT_MIN, _INT_MAX = -(1 << 63), (1 << 64) - 1
# Integers that can leave the 64-bit range have at least 19 digits. A regex over tens of MB is
# slow (~1 s for 50 MB); mapping every digit to "0" and searching for 19 zeros is ~20x faster.
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_NINETEEN_ZEROS = b"0" * 19

_NOTE, _WARN, _ERR = "notice", "warning", "error"


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


class JsonParseError(ValueError):
    """The text is not JSON. Carries the place (line/column/offset) and a readable reason.

    ``offset`` counts bytes for ``bytes`` input and characters for ``str`` input
    (``offset_unit`` says which). ``line``/``column`` are 1-based, columns in characters.
    """

    def __init__(self, reason: str, *, code: str, line: int | None = None, column: int | None = None,
                 offset: int | None = None, offset_unit: str = "byte"):
        self.reason = reason
        self.code = code
        self.line = line
        self.column = column
        self.offset = offset
        self.offset_unit = offset_unit
        super().__init__(self.located_message())

    @property
    def location(self) -> str | None:
        """"line 3, column 17 (byte 120)" or None when the problem is the whole input."""
        if self.line is None:
            return None
        text = f"line {self.line}, column {self.column}"
        if self.offset is not None:
            text += f" ({self.offset_unit} {self.offset})"
        return text

    def located_message(self) -> str:
        loc = self.location
        return f"{loc}: {self.reason}" if loc else self.reason


# --------------------------------------------------------------------------- gc pause
_gc_lock = threading.Lock()
_gc_state = {"pausers": 0, "was_enabled": True, "freeze": False}


@contextmanager
def gc_paused(size: int) -> Iterator[None]:
    """Pause the cyclic GC while a big document is built, and freeze what was built.

    A JSON tree has no reference cycles, but the collector would still traverse its millions
    of containers: during the parse (over and over) and then once per generation afterwards,
    which is a stall of hundreds of milliseconds on whatever thread allocates next, often the
    GUI thread. For inputs of ``GC_FREEZE_THRESHOLD`` bytes or more, ``gc.freeze()`` moves
    everything tracked into the permanent generation when the last pause ends. Frozen
    objects are still freed by reference counting when the document is dropped; only
    cyclic garbage that already existed at that moment is kept (never collected).

    Re-entrant and safe with several loader threads: the last one out restores the state.
    """
    if size < GC_PAUSE_THRESHOLD:
        yield
        return
    with _gc_lock:
        if _gc_state["pausers"] == 0:
            _gc_state["was_enabled"] = gc.isenabled()
            _gc_state["freeze"] = False
            gc.disable()
        _gc_state["pausers"] += 1
        if size >= GC_FREEZE_THRESHOLD:
            _gc_state["freeze"] = True
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["pausers"] -= 1
            if _gc_state["pausers"] == 0:
                if _gc_state["freeze"]:
                    gc.freeze()
                if _gc_state["was_enabled"]:
                    gc.enable()


# --------------------------------------------------------------------------- public API
def parse_json(data: bytes | bytearray | memoryview | str, *, check_duplicates: bool = True,
               hints: TextHints | None = None) -> ParsedJson:
    """Parse one JSON document; raise :class:`JsonParseError` with a located reason.

    ``bytes`` are the content of a file; ``str`` is a value already decoded (for example a
    localStorage string holding JSON), and its offsets are then character offsets.
    ``hints`` (from the enclosing text's :class:`ParsedJson`) skip scans already known to
    find nothing.
    """
    notes: list[ParseNote] = []
    is_text = isinstance(data, str)
    try:
        with gc_paused(len(data)):
            value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if is_text:
            raise _explain_text_error(data, exc) from None  # type: ignore[arg-type]
        return _recover_bytes(data, exc, check_duplicates)  # raises when it cannot help
    return _finish(data, value, notes, check_duplicates, hints or TextHints())


def locate(text: str, char_offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset in ``text``."""
    char_offset = max(0, min(char_offset, len(text)))
    line = text.count("\n", 0, char_offset) + 1
    col = char_offset - (text.rfind("\n", 0, char_offset) + 1) + 1
    return line, col


def locate_bytes(data: bytes | bytearray | memoryview, byte_offset: int) -> tuple[int, int]:
    """1-based (line, column in characters) of a byte offset in UTF-8 bytes."""
    raw = bytes(data[: max(0, byte_offset)])
    line = raw.count(b"\n") + 1
    last = raw[raw.rfind(b"\n") + 1:]
    return line, len(last.decode("utf-8", errors="replace")) + 1


def json_path(parts: list[Any]) -> str:
    """``["gameData", "quests", 3]`` -> ``$.gameData.quests[3]``."""
    out = ["$"]
    for p in parts:
        if isinstance(p, int):
            out.append(f"[{p}]")
        elif isinstance(p, str) and p.isidentifier():
            out.append(f".{p}")
        else:
            out.append("[" + json.dumps(p, ensure_ascii=False) + "]")
    return "".join(out)


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
        raise _explain_text_error(text, exc) from None
    parsed = _finish(text, value, notes, check_duplicates)
    parsed.utf8_size = len(text.encode("utf-8", errors="surrogatepass"))
    return parsed


def _finish(data: Any, value: Any, notes: list[ParseNote], check_duplicates: bool,
            known: TextHints = TextHints()) -> ParsedJson:
    """Checks that only cost anything when the text gives a reason to look."""
    if isinstance(data, memoryview):
        data = bytes(data)
    long_runs = known.long_digit_runs
    if long_runs is not False:
        long_runs = has_long_digit_run(data)
    escaped = known.escaped_colons
    if escaped is not False:
        escaped = ("\\u003" in data) if isinstance(data, str) else (data.find(b"\\u003") != -1)
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
    if check_duplicates and _may_have_duplicates(data, value, escaped):
        notes.extend(_find_duplicates(data))
    return ParsedJson(value, notes, hints)


def has_long_digit_run(data: Any) -> bool:
    """True if the text holds 19+ consecutive digits (a possible integer beyond 64 bits).

    A profile's nested strings are substrings of its file, so the answer for the file also
    bounds the answer for every value in it (see :class:`TextHints`).
    """
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    elif not isinstance(data, (bytes, bytearray)):
        data = bytes(data)
    return data.translate(_DIGITS_TO_ZERO).find(_NINETEEN_ZEROS) != -1


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
            paths.append(json_path(parts))
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
        raw = data.count(b":")
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
                path = json_path(parts + [k])
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
_MAGIC = [
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"SQLite format 3\x00", "an SQLite database (a browser keeps localStorage in files like this; "
                             "export the profile from the game's devtools console instead)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"\x7fELF", "an executable"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
]

_BOMS = [  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 (little-endian)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 (big-endian)"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 (big-endian)"),
]


def _recover_bytes(data: Any, exc: orjson.JSONDecodeError, check_duplicates: bool) -> ParsedJson:
    """orjson refused raw bytes: parse them anyway when they are JSON behind a UTF-8 byte
    order mark or in UTF-16/32 (with a note saying so), else raise the most specific error."""
    raw = memoryview(data)
    head = bytes(raw[:4096])
    if len(raw) == 0:
        raise JsonParseError("the file is empty (0 bytes); expected a JSON document.", code="empty")
    if head.startswith(codecs.BOM_UTF8):
        return _parse_after_utf8_bom(raw, check_duplicates)
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            return _parse_decoded(*_decode_wide(raw, codec, label, len(bom)), check_duplicates)
    guessed = _guess_wide_encoding(head)
    if guessed:
        return _parse_decoded(*_decode_wide(raw, *guessed, 0), check_duplicates)
    if not head.strip(b" \t\r\n") and not bytes(raw).strip(b" \t\r\n"):
        raise JsonParseError(f"the file holds only whitespace ({len(raw)} bytes); expected a JSON document.",
                             code="empty")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise JsonParseError(f"not a text/JSON file: this looks like {what}.", code="binary")
    if _looks_binary(head):
        raise JsonParseError("not a text/JSON file: the content is binary data "
                             f"(it starts with the bytes {head[:8].hex(' ')}).", code="binary")
    raise _explain_bytes_error(raw, exc)


def _parse_after_utf8_bom(raw: memoryview, check_duplicates: bool) -> ParsedJson:
    body = raw[3:]
    if not bytes(body[:4096]).strip() and not bytes(body).strip():
        raise JsonParseError("the file holds only a UTF-8 byte order mark and no JSON.", code="empty")
    note = ParseNote(_NOTE, "utf8_bom", "the file starts with a UTF-8 byte order mark (BOM); it was skipped.")
    try:
        with gc_paused(len(body)):
            value = orjson.loads(body)
    except orjson.JSONDecodeError as inner:
        err = _explain_bytes_error(body, inner)
        if err.offset is not None:  # report offsets in the file, not after the BOM
            err = JsonParseError(err.reason, code=err.code, line=err.line, column=err.column,
                                 offset=err.offset + 3)
        raise err from None
    parsed = _finish(body, value, [note], check_duplicates)
    parsed.utf8_size = len(body)
    return parsed


def _decode_wide(raw: memoryview, codec: str, label: str, skip: int) -> tuple[str, list[ParseNote]]:
    try:
        text = bytes(raw[skip:]).decode(codec)
    except UnicodeDecodeError as err:
        raise JsonParseError(f"the file looks like {label} text but is not valid {label} "
                             f"at byte {err.start + skip}: {err.reason}.", code="encoding") from None
    how = "by its byte order mark" if skip else "by its zero bytes"
    note = ParseNote(_NOTE, "wide_text",
                     f"the file is {label} text (recognised {how}), not UTF-8; it was decoded before parsing. "
                     "Line/column positions refer to the decoded text.")
    return text, [note]


def _guess_wide_encoding(head: bytes) -> tuple[str, str] | None:
    """JSON starts with ASCII, so UTF-16/32 without a BOM shows zero bytes in a fixed pattern."""
    if len(head) >= 4:
        if head[0] and head[1:4] == b"\0\0\0":
            return "utf-32-le", "UTF-32 (little-endian)"
        if head[:3] == b"\0\0\0" and head[3]:
            return "utf-32-be", "UTF-32 (big-endian)"
    if len(head) >= 2:
        sample = head[: len(head) - len(head) % 2][:512]
        evens, odds = sample[0::2], sample[1::2]
        if odds and odds.count(0) >= 0.9 * len(odds) and evens.count(0) == 0:
            return "utf-16-le", "UTF-16 (little-endian)"
        if evens and evens.count(0) >= 0.9 * len(evens) and odds.count(0) == 0:
            return "utf-16-be", "UTF-16 (big-endian)"
    return None


def _looks_binary(head: bytes) -> bool:
    if b"\0" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if control > max(2, len(head) // 20):
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 4:  # not merely a character cut at the sample's end
            bad = head[err.start:].decode("utf-8", errors="replace").count("\ufffd")
            return bad > max(4, len(head) // 50)
    return False


def _explain_bytes_error(raw: Any, exc: orjson.JSONDecodeError) -> JsonParseError:
    if "UTF-8" in exc.msg or "utf-8" in exc.msg.lower():
        data = bytes(raw)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            line, col = locate_bytes(data, err.start)
            bad = data[err.start:err.start + 1].hex()
            return JsonParseError(f"invalid UTF-8 (byte 0x{bad}): the file is not UTF-8 text, or it is damaged here.",
                                  code="invalid_utf8", line=line, column=col, offset=err.start)
        # Valid UTF-8 but with encoded surrogates or similar: fall through to the text path.
        return _explain_text_error(text, exc, byte_source=data)
    text = bytes(raw).decode("utf-8", errors="replace")
    return _explain_text_error(text, exc, byte_source=raw)


def _explain_text_error(text: str, exc: orjson.JSONDecodeError, byte_source: Any = None) -> JsonParseError:
    """Build the located error from orjson's character position in ``text``."""
    pos = max(0, min(int(getattr(exc, "pos", 0) or 0), len(text)))
    msg = exc.msg
    if not text.strip():
        what = "empty" if not text else f"only whitespace ({len(text)} characters)"
        return JsonParseError(f"the value is {what}; expected a JSON document.", code="empty")
    reason, code = _reason(text, pos, msg)
    line, col = locate(text, pos)
    if byte_source is not None:
        offset, unit = len(text[:pos].encode("utf-8", errors="surrogatepass")), "byte"
    else:
        offset, unit = pos, "character"
    return JsonParseError(reason, code=code, line=line, column=col, offset=offset, offset_unit=unit)


_EXPECT_AFTER = {
    "{": "a property name in double quotes or '}'",
    "[": "a value or ']'",
    ":": "a value",
    ",": "another value or property name",
}


def _reason(text: str, pos: int, msg: str) -> tuple[str, str]:
    at = text[pos:pos + 12]
    if msg.startswith("depth limit"):
        return (f"nested deeper than {MAX_DEPTH} levels (arrays/objects inside each other); "
                "this parser stops here.", "too_deep")
    if msg.startswith("unexpected end of data"):
        prev = text[:pos].rstrip()[-1:]
        expected = _EXPECT_AFTER.get(prev)
        exp = f", expected {expected}" if expected else ""
        return f"unexpected end of data{exp} (truncated file?)", "truncated"
    if at.startswith("NaN") or at.startswith("Infinity") or (
            msg.startswith("no digit after sign") and text[pos:pos + 8] == "Infinity"):
        word = "NaN" if at.startswith("NaN") else "Infinity"
        return (f"{word} is not valid JSON (JavaScript's JSON.parse rejects it, and JSON.stringify writes null "
                "for it); this text was not written by JSON.stringify, or it was edited by hand.", "nan_literal")
    if msg.startswith("number is infinity"):
        return "this number is too large for a double (it would be Infinity); JSON has no infinite numbers.", \
            "number_overflow"
    if at.startswith("undefined"):
        return "undefined is not valid JSON (a JavaScript value was written without JSON.stringify).", \
            "js_literal"
    if at.startswith("//") or at.startswith("/*"):
        return "comments are not allowed in JSON.", "comment"
    if at.startswith("'"):
        return "single quotes are not allowed in JSON; strings and keys need double quotes.", "single_quote"
    if msg.startswith("trailing comma"):
        return "a trailing comma before a closing bracket is not allowed in JSON.", "trailing_comma"
    if msg.startswith("unexpected content after document"):
        return ("unexpected content after the end of the JSON document (two documents in one file, "
                "or garbage appended?).", "trailing_content")
    if "surrogate" in msg:
        return "the text holds an unpaired UTF-16 surrogate, which is not valid Unicode.", "invalid_unicode"
    shown = repr(at[:1]) if at else "end of data"
    return f"{msg} (found {shown}).", "json_syntax"
