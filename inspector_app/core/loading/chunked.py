"""Parse one big JSON document in short steps, so a loader thread never holds the GIL for long.

``orjson.loads`` of a 50 MB save is one C call of about half a second that holds the GIL:
the GUI thread cannot run for that long even though the load happens in a worker. This
module builds *the same value* from pieces of at most :data:`CHUNK` bytes, each parsed by
orjson (a few milliseconds), with the GIL free in between:

* a big object or array is cut into runs of whole members/elements: a cut is a separator
  after ``CHUNK`` bytes whose run has balanced brackets, and the run is parsed as
  ``{run}`` / ``[run]``. A run that orjson accepts is exactly a sequence of whole members
  (a cut inside a string leaves an unterminated string, a cut inside a nested value leaves
  unbalanced brackets; both are rejected), so the pieces together are the container;
* where no cut works (a member bigger than a chunk, such as ``gameData``), the members are
  read one at a time: the key, then the value, parsed from a growing window whose end
  orjson reports ("unexpected content after document" at the value's end), or descended
  into when it is itself a big container.

Anything unusual — a parse error, invalid UTF-8, nesting near the depth limit, a scalar
cut by a window — raises :class:`NotChunkable`; the caller then parses the whole text with
orjson, which gives the located error or the value. So the chunked parse never accepts
what ``orjson.loads`` rejects, and when it returns a value, that value equals
``orjson.loads(data)``. It also tells whether a key may appear twice (for the
duplicate-key notes), from the same per-piece colon count the whole-text check uses.

No Qt here.
"""
from __future__ import annotations

from typing import Any, Callable

import orjson

from inspector_app.core.common.guiturn import yield_to_gui
from inspector_app.core.loading.document import LoadCancelled
from inspector_app.core.loading.jsonerrors import MAX_DEPTH

#: Largest piece handed to orjson in one call (about 1-3 ms of GIL).
CHUNK = 256 * 1024
#: Documents at least this big are parsed in chunks by the loader.
CHUNKED_MIN_BYTES = 4 * 1024 * 1024
_FIRST_WINDOW = 4096
_MAX_BIG_DEPTH = 64          # nesting of containers bigger than a chunk (real saves: 3-4)
_CUT_TRIES = 8
_COMMA_TRIES = 4096
_CLOSING_OF = {0x7B: 0x7D, 0x5B: 0x5D, 0x22: 0x22}

_WS = frozenset(b" \t\r\n")
#: Members a lazy container keeps parsed for its one-line preview (see ``sections``).
HEAD_MEMBERS = 64
_OPEN = {0x7B: (b"{", b"}", 0x7D), 0x5B: (b"[", b"]", 0x5D)}


def text_layout(data: bytes | bytearray) -> int | None:
    """0 for compact text, ``orjson.OPT_INDENT_2`` for text indented by two spaces (the two
    layouts ``jsonparse.is_canonical`` knows), None for any other."""
    if data[1:2] == b"\n":
        return orjson.OPT_INDENT_2 if data[2:4] == b"  " and data[4:5] != b" " else None
    return 0 if data[1:2] and data[1] in _COMPACT_NEXT else None


#: The two layouts orjson writes, which are also the two that JavaScript's ``JSON.stringify``
#: writes (compact, and ``JSON.stringify(value, null, 2)``): every save and export the game
#: makes is byte for byte one of them (tests/core/test_jsonparse_canonical.py checks the
#: game's fixtures). What may follow the opening bracket of compact text:
_COMPACT_NEXT = frozenset(b'"{[]}-0123456789tfn')


def _loads_wrapped(wrapped: bytes | bytearray, depth: int) -> Any:
    """``orjson.loads`` of a piece wrapped in ``depth`` one-member arrays (so orjson's depth limit
    applies as in the whole parse), unwrapped; raises ``orjson.JSONDecodeError``."""
    value = orjson.loads(wrapped)
    for _ in range(depth):
        value = value[0]
    return value


class NotChunkable(Exception):
    """The text is not something the chunked parse handles; parse it whole instead."""


class ChunkedParse:
    """One parse; ``value`` and ``maybe_duplicates`` after :meth:`run`."""

    def __init__(self, data: bytes | bytearray | memoryview, cancelled: Callable[[], bool] | None = None,
                 chunk: int = CHUNK):
        self.data = data if isinstance(data, (bytes, bytearray)) else bytes(data)
        self.cancelled = cancelled
        self.chunk = chunk
        self.maybe_duplicates = False
        self.value: Any = None
        self.pieces = 0
        #: ``sections.py`` sets this: containers whose members add up to more than this many
        #: bytes are kept as their text (see :meth:`_keep_lazy`) instead of being built
        self.lazy_min: int | None = None
        self.last_dump: tuple[Any, int] = (None, 0)
        self._descended = False
        #: how the text is laid out if the game wrote it: 0 compact, ``OPT_INDENT_2`` for
        #: ``JSON.stringify(v, null, 2)``, None for anything else (see :meth:`_check`)
        self.layout = text_layout(self.data)
        #: byte ranges whose text is exactly orjson's serialisation of their value (no dropped
        #: key, no rounded integer there: the whole-text scans skip them)
        self.proven: list[tuple[int, int]] = []

    # -- helpers ---------------------------------------------------------------------
    def _ws(self, i: int) -> int:
        data, n = self.data, len(self.data)
        while i < n and data[i] in _WS:
            i += 1
        return i

    def _yield(self) -> None:
        """Between pieces: honour cancel, and step aside when the GUI thread waits for the GIL
        (``core/common/guiturn``: a blind ``time.sleep(0)`` here starved it)."""
        self.pieces += 1
        if self.cancelled is not None and self.cancelled():
            raise LoadCancelled("loading was cancelled")
        yield_to_gui()

    def _loads(self, piece: bytes | bytearray, depth: int) -> Any:
        """Parse a piece that sits inside ``depth`` containers, as if nested there: wrapped
        in ``depth`` arrays, so orjson's depth limit applies exactly as in the whole parse."""
        try:
            return _loads_wrapped(b"[" * depth + piece + b"]" * depth if depth else piece, depth)
        except orjson.JSONDecodeError:
            raise NotChunkable("piece does not parse") from None

    def _check(self, piece: bytes | bytearray | memoryview, value: Any, depth: int, start: int, end: int,
               framed: bool = False) -> None:
        """The whole-text checks for the piece ``data[start:end]`` parsed as ``value`` (``piece``:
        that text, or with ``framed`` a run of members in its brackets), which sits inside
        ``depth`` containers.

        The text the game writes is orjson's own serialisation, so the piece usually equals
        ``orjson.dumps(value)`` (indented as deep as it sits for ``JSON.stringify(v, null, 2)``):
        then it has no dropped duplicate, no rounded integer and no escaped colon
        (``jsonparse.is_canonical``, per piece), and its range is :attr:`proven`. Otherwise
        the colons are counted: a dropped duplicate removes one."""
        if self.maybe_duplicates or not isinstance(value, (dict, list)):
            return
        layout, dumped = self.layout, None
        if layout is not None:
            try:
                dumped = orjson.dumps(value)
                if layout == 0:
                    # bytes.startswith compares with memcmp; ``==`` with a memoryview compares
                    # byte by byte (the framed pieces are views: +60 ms per 50 MB)
                    same = len(dumped) == len(piece) and dumped.startswith(piece)
                else:
                    same = self._same_pretty(piece, value, depth, start, end, framed)
            except orjson.JSONEncodeError:
                same = False
            if dumped is not None:
                self.last_dump = (value, len(dumped))    # the compact size, for the sections' runs
            if same:
                self.proven.append((start, end))
                return
        if isinstance(piece, memoryview):
            piece = piece.tobytes()
        raw = piece.count(b":") + piece.count(b"\\u003a") + piece.count(b"\\u003A")
        try:
            if dumped is None:
                dumped = orjson.dumps(value)
                self.last_dump = (value, len(dumped))
            kept = dumped.count(b":")
        except orjson.JSONEncodeError:
            kept = -1
        if raw > kept:
            self.maybe_duplicates = True

    def _same_pretty(self, piece: bytes | bytearray | memoryview, value: Any, depth: int, start: int, end: int,
                     framed: bool) -> bool:
        """``piece`` is ``JSON.stringify(value, null, 2)`` as it sits ``depth`` containers deep:
        ``value`` is written inside ``depth`` one-member arrays (so its lines get the indentation
        they have in the file) and the text between the wrappers' brackets compared in place."""
        wrapped = value
        for _ in range(depth):
            wrapped = [wrapped]
        pretty = orjson.dumps(wrapped, option=orjson.OPT_INDENT_2)
        at = depth * (depth + 3)            # the wrappers' "[\n" and indentation before the value
        after = depth * (depth + 1)         # their "\n", indentation and "]" after it
        if not framed:
            return len(pretty) == at + len(piece) + after and pretty.startswith(piece, at)
        inner = b" " * (2 * depth)
        first, last = bytes(piece[:1]) + b"\n  " + inner, b"\n" + inner + bytes(piece[-1:])
        body = at + len(first)
        return (len(pretty) == body + (end - start) + len(last) + after and pretty.startswith(first, at)
                and pretty.startswith(memoryview(self.data)[start:end], body)
                and pretty.startswith(last, len(pretty) - after - len(last)))

    def may_have_long_integers(self) -> bool:
        """``jsonparse.has_long_digit_run`` over the text outside the :attr:`proven` ranges."""
        from inspector_app.core.loading.jsonparse import has_long_digit_run

        at = 0
        for start, end in sorted(self.proven):
            if start > at and has_long_digit_run(self.data, at, start):
                return True
            at = max(at, end)
        return has_long_digit_run(self.data, at)

    def _char_boundary(self, end: int) -> int:
        """``end`` moved back so a slice never splits a UTF-8 sequence."""
        data = self.data
        while end < len(data) and end > 0 and 0x80 <= data[end] < 0xC0:
            end -= 1
        return end

    # -- parsing -----------------------------------------------------------------------
    def run(self) -> Any:
        if len(self.data) and self.data[:3] == b"\xef\xbb\xbf":
            raise NotChunkable("byte order mark")
        i = self._ws(0)
        if i >= len(self.data) or self.data[i] not in _OPEN:
            raise NotChunkable("not an object or array")
        self.value, i = self._container(i, 0)
        if self._ws(i) != len(self.data):
            raise NotChunkable("content after the document")
        return self.value

    def _value(self, i: int, depth: int) -> tuple[Any, int]:
        """The value starting at ``i`` and the index just after it (before any whitespace)."""
        data, n = self.data, len(self.data)
        window = _FIRST_WINDOW
        while True:
            end = self._char_boundary(min(n, i + window))
            piece = data[i:end]
            try:
                value = orjson.loads(piece)
            except orjson.JSONDecodeError as exc:
                msg = exc.msg
                if msg.startswith("unexpected content after document"):
                    doc = exc.doc if isinstance(exc.doc, str) else ""
                    stop = i + len(doc[:exc.pos].encode("utf-8", "surrogatepass"))
                    value = self._loads(data[i:stop], depth if data[i] in _OPEN else 0)
                    while data[stop - 1] in _WS:
                        stop -= 1
                    self._check(data[i:stop], value, depth, i, stop)
                    return value, stop
                if not msg.startswith("unexpected end of data") or end >= n:
                    raise NotChunkable(msg) from None
                if window >= self.chunk:
                    if data[i] in _OPEN:
                        value, end = self._container(i, depth)
                        self._descended = True
                        return value, end
                    raise NotChunkable("a scalar bigger than a chunk") from None
                window *= 4
                continue
            if end < n and data[end] not in _WS and data[end] not in b",]}":
                raise NotChunkable("a scalar cut by the window")
            if depth and isinstance(value, (dict, list)) and piece.count(b"[") + piece.count(b"{") >= MAX_DEPTH - depth:
                value = self._loads(piece, depth)   # deep enough to matter: parse it where it sits
            self._check(piece, value, depth, i, end)
            return value, end

    def _container(self, i: int, depth: int) -> tuple[Any, int]:
        """The object or array whose opening bracket is at ``i``; members read in runs."""
        if depth >= _MAX_BIG_DEPTH:
            raise NotChunkable("deeply nested big containers")
        data, n = self.data, len(self.data)
        opener, closer, close_byte = _OPEN[data[i]]
        is_obj = opener == b"{"
        out: Any = {} if is_obj else []
        i = self._ws(i + 1)
        if i < n and data[i] == close_byte:
            return out, i + 1
        failed_until = -1
        runs = _Runs(self, is_obj, depth) if self.lazy_min is not None and depth else None
        self._descended = False
        while True:
            if i >= n:
                raise NotChunkable("unexpected end")
            self._yield()
            if i > failed_until and n - i <= self.chunk:
                # the document ends within a chunk: the container's last members may be one run
                tail = self._tail(i, opener, closer, close_byte, depth)
                if tail is not None:
                    part, end, close = tail
                    out = self._add(runs, i, end, part, out, is_obj)
                    return (runs.finish() if runs is not None and runs.lazy else out), close + 1
                failed_until = n
            if i > failed_until and n - i > self.chunk:
                # arrays: the first likely separator, which orjson confirms (a cut inside an
                # element does not parse); objects, whose keys look alike at every level, and
                # arrays whose first guess failed: a separator with balanced brackets before it
                if self.layout:        # JSON.stringify(v, null, 2): a member's line says its depth
                    cut = self._find_indented_cut(i, is_obj, depth)
                    part = self._run(opener, closer, i, cut, depth) if cut >= 0 else None
                    if part is None:   # that line was past the container's end: its closing line
                        tail = self._indented_tail(i, opener, closer, close_byte, depth, cut)
                        if tail is not None:
                            part, end, close = tail
                            out = self._add(runs, i, end, part, out, is_obj)
                            return (runs.finish() if runs is not None and runs.lazy else out), close + 1
                    # no member line there, but lines: a big member (counting would find no cut
                    # either); no line at all (written some other way) or an array whose elements
                    # do not all start alike: count
                    recount = cut >= 0 or not is_obj or data.find(b"\n", i + self.chunk, i + 4 * self.chunk) < 0
                else:
                    cut = -1 if is_obj else self._find_cut(i, is_obj, counted=False)
                    part = self._run(opener, closer, i, cut, depth) if cut >= 0 else None
                    recount = True
                if part is None and recount:
                    tried, cut = cut, self._find_cut(i, is_obj)
                    part = self._run(opener, closer, i, cut, depth) if cut >= 0 and cut != tried else None
                if part is None:
                    # no separator a chunk on that parses: the container may end sooner (its last members)
                    tail = self._tail(i, opener, closer, close_byte, depth)
                    if tail is not None:
                        part, end, close = tail
                        out = self._add(runs, i, end, part, out, is_obj)
                        return (runs.finish() if runs is not None and runs.lazy else out), close + 1
                if part is None:
                    failed_until = cut if cut >= 0 else i + self.chunk  # members one by one for a while
                else:
                    out = self._add(runs, i, cut, part, out, is_obj)
                    del part
                    i = self._ws(cut + 1)
                    if i < n and data[i] == close_byte:
                        raise NotChunkable("trailing comma")
                    continue
            # one member / element
            member_start = i
            if is_obj:
                if data[i] != 0x22:
                    raise NotChunkable("expected a key")
                key_end = self._string_end(i)
                try:
                    key = orjson.loads(data[i:key_end])
                except orjson.JSONDecodeError:
                    raise NotChunkable("bad key") from None
                i = self._ws(key_end)
                if i >= n or data[i] != 0x3A:
                    raise NotChunkable("expected a colon")
                i = self._ws(i + 1)
                value, i = self._value(i, depth + 1)
                if runs is not None and runs.add(member_start, i, {key: value}, out):
                    out = runs.dropped
                else:
                    if key in out:
                        self.maybe_duplicates = True
                    out[key] = value
            else:
                value, i = self._value(i, depth + 1)
                if runs is not None and runs.add(member_start, i, [value], out):
                    out = runs.dropped
                else:
                    out.append(value)
            del value
            i = self._ws(i)
            if i >= n:
                raise NotChunkable("unexpected end")
            if data[i] == close_byte:
                if runs is not None and runs.lazy:
                    return runs.finish(), i + 1
                return out, i + 1
            if data[i] != 0x2C:
                raise NotChunkable("expected a comma")
            i = self._ws(i + 1)
            if i < n and data[i] == close_byte:
                raise NotChunkable("trailing comma")

    def _run(self, opener: bytes, closer: bytes, i: int, end: int, depth: int) -> Any:
        """The members ``data[i:end]`` as a dict / list (checked), or None if they do not parse.

        The run is copied once, already framed and wrapped as deep as it sits (the bracket
        concatenations copied each 256 KB piece four times: ~40 MB of copies per 10 MB of
        text); the checks read the framed piece through a view of that copy."""
        wrapped = b"".join((b"[" * depth, opener, memoryview(self.data)[i:end], closer, b"]" * depth))
        try:
            part = _loads_wrapped(wrapped, depth)
        except orjson.JSONDecodeError:
            return None
        piece = memoryview(wrapped)[depth:len(wrapped) - depth] if depth else wrapped
        self._check(piece, part, depth, i, end, framed=True)
        return part

    def _add(self, runs: "_Runs | None", start: int, end: int, part: Any, out: Any, is_obj: bool) -> Any:
        """Members ``data[start:end]`` (parsed as ``part``) added to the container; its new ``out``."""
        if runs is not None and runs.add(start, end, part, out):
            return runs.dropped
        if is_obj:
            before = len(out)
            out.update(part)
            if len(out) != before + len(part):
                self.maybe_duplicates = True
        else:
            out.extend(part)
        return out

    def _tail(self, i: int, opener: bytes, closer: bytes, close_byte: int,
              depth: int) -> tuple[Any, int, int] | None:
        """``(members, end, closer)`` when the container's members from ``i`` on end within a
        chunk: orjson parses ``opener + window`` and reports where that value ended (at the
        container's closing bracket: the brackets balance only there); ``end`` is where the
        last member's text ends. None when they do not end within the window."""
        data, n = self.data, len(self.data)
        window = self._char_boundary(min(n, i + self.chunk))
        try:
            orjson.loads(opener + data[i:window])
        except orjson.JSONDecodeError as exc:
            if not exc.msg.startswith("unexpected content after document"):
                return None
            doc = exc.doc if isinstance(exc.doc, str) else ""
            stop = i - len(opener) + len(doc[:exc.pos].encode("utf-8", "surrogatepass"))
        else:
            return None
        close = stop - 1
        while close > i and data[close] in _WS:
            close -= 1
        end = close
        while end > i and data[end - 1] in _WS:
            end -= 1
        if data[close] != close_byte or end <= i:
            return None
        part = self._run(opener, closer, i, end, depth)
        return None if part is None else (part, end, close)

    def _string_end(self, i: int) -> int:
        """Index after the string starting at ``i`` (a quote not escaped by a backslash run)."""
        data = self.data
        j = i + 1
        while True:
            j = data.find(b'"', j)
            if j < 0:
                raise NotChunkable("unterminated string")
            k = j - 1
            while data[k] == 0x5C:
                k -= 1
            if (j - 1 - k) % 2 == 0:
                return j + 1
            j += 1

    def _find_indented_cut(self, i: int, is_obj: bool, depth: int) -> int:
        """In text indented by two spaces (:attr:`layout`), the comma after ``chunk`` bytes that
        ends a member of the container ``depth`` deep: a raw newline is never inside a string,
        so ``,\n``, exactly ``2 × (depth + 1)`` spaces and a key's quote (objects) or the first
        element's opening character (arrays) start the next member at this depth — one ``find``
        instead of counting brackets (objects) or guessing (arrays). orjson still confirms the
        run, and the caller falls back to :meth:`_find_cut` when it does not parse."""
        data = self.data
        marker = b",\n" + b" " * (2 * (depth + 1)) + (b'"' if is_obj else data[i:i + 1])
        return data.find(marker, i + self.chunk, i + 4 * self.chunk)

    def _indented_tail(self, i: int, opener: bytes, closer: bytes, close_byte: int, depth: int,
                       cut: int) -> tuple[Any, int, int] | None:
        """Like :meth:`_tail` for indented text: the container's closing line (a newline, exactly
        ``2 × depth`` spaces, its bracket) before ``cut`` (or within four chunks) ends its
        members; ``(members, end, closer)`` when they parse as one run, else None."""
        data = self.data
        marker = b"\n" + b" " * (2 * depth) + bytes((close_byte,))
        close = data.find(marker, i, cut if cut >= 0 else i + 4 * self.chunk)
        if close <= i:
            return None
        part = self._run(opener, closer, i, close, depth)
        return None if part is None else (part, close, close + len(marker) - 1)

    def _find_cut(self, i: int, is_obj: bool, counted: bool = True) -> int:
        """A comma after ``chunk`` bytes that probably ends a member: whitespace aside, the
        next member starts right after it (a key's quote; for arrays, the first element's
        opening character), the previous one ends right before it, and (``counted``) the run
        before it has balanced brackets (strings can fool the count; orjson has the last word)."""
        data = self.data
        first = data[i]
        want_next = 0x22 if is_obj else first
        want_prev = None if is_obj else _CLOSING_OF.get(first)
        pos, limit = i + self.chunk, i + 4 * self.chunk
        balanced_tries = 0
        for _ in range(_COMMA_TRIES):
            c = data.find(b",", pos, limit)
            if c < 0:
                return -1
            pos = c + 1
            j = c + 1
            while data[j] in _WS:
                j += 1
            if data[j] != want_next:
                continue
            k = c - 1
            while data[k] in _WS:
                k -= 1
            if want_prev is not None and data[k] != want_prev:
                continue
            if not counted:
                return c
            if (data.count(b"{", i, c) == data.count(b"}", i, c)
                    and data.count(b"[", i, c) == data.count(b"]", i, c)):
                return c
            balanced_tries += 1
            if balanced_tries >= _CUT_TRIES:
                return -1
        return -1


class _Runs:
    """The member runs of one container while it is read, for :mod:`sections`: the values are
    built as usual until the runs add up to ``lazy_min`` bytes with no member read by
    descending into it (then the container is a plain big list of small records); from then
    on only the byte ranges are kept (``lazy``) and :meth:`finish` makes the
    :class:`~inspector_app.core.loading.sections.LazyContainer`."""

    __slots__ = (
        "compact",
        "depth",
        "dropped",
        "head",
        "is_obj",
        "keys",
        "lazy",
        "length",
        "mixed",
        "parse",
        "ranges",
        "size",
    )

    def __init__(self, parse: ChunkedParse, is_obj: bool, depth: int):
        self.parse, self.is_obj, self.depth = parse, is_obj, depth
        self.ranges: list[tuple[int, int, int]] = []
        self.size = 0
        self.lazy = False
        self.mixed = False
        self.compact = 0
        self.head: Any = None
        self.dropped: Any = None
        self.keys: dict | None = None
        self.length = 0

    def add(self, start: int, end: int, part: Any, out: Any) -> bool:
        """Record ``data[start:end]`` (whole members, parsed as ``part``); True when the
        container is (now) lazy and ``part`` was not added to ``out``."""
        if self.parse._descended:
            self.parse._descended = False
            if not self.lazy:      # holds a big member: built as usual, its big parts lazy
                self.mixed = True
                self.ranges.clear()
        if self.mixed:
            return False
        self.ranges.append((start, end, len(part)))
        self.size += end - start
        if part and self.compact >= 0:   # its size as compact JSON, for the Save Summary
            dumped, size = self.parse.last_dump
            try:
                self.compact += (size if dumped is part else len(orjson.dumps(part))) - 1 - len(part)
            except orjson.JSONEncodeError:
                self.compact = -1
        if not self.lazy:
            if self.size < (self.parse.lazy_min or 0):
                return False
            self.lazy = True
            self.dropped = {} if self.is_obj else []
            if self.is_obj:
                self.keys = dict.fromkeys(out)
                self.head = dict(list(out.items())[:HEAD_MEMBERS] + list(part.items())[:HEAD_MEMBERS])
            else:
                self.head = out[:HEAD_MEMBERS] + part[:HEAD_MEMBERS]
            self.length = len(out)
            out.clear()
        if self.keys is not None:
            before = len(self.keys)
            self.keys.update(dict.fromkeys(part))
            if len(self.keys) != before + len(part):
                self.parse.maybe_duplicates = True
        self.length += len(part)
        return True

    def finish(self) -> Any:
        from inspector_app.core.loading.sections import LazyContainer

        lazy = LazyContainer(self.parse.data, self.is_obj, self.depth, self.ranges,
                             list(self.keys) if self.keys is not None else None, self.length)
        if self.compact >= 0:
            lazy.compact_size = 2 + max(0, self.length - 1) + self.compact
        lazy.set_head(self.head)
        return lazy


def loads_chunked(data: bytes | bytearray | memoryview, cancelled: Callable[[], bool] | None = None,
                  chunk: int = CHUNK) -> tuple[Any, bool]:
    """(value, maybe_duplicates) equal to ``orjson.loads(data)``; raises NotChunkable when
    the text should be parsed whole instead (including every invalid text)."""
    parse = ChunkedParse(data, cancelled, chunk)
    return parse.run(), parse.maybe_duplicates
