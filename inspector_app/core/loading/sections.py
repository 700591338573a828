"""A big single save kept mostly as its text: big containers are parsed when asked (issue 13).

The fully parsed Python tree of a save costs 4-7 times its JSON (a 450-byte inventory item
is ~2.2 KB of dicts and strings), and one ``orjson.loads`` of it builds a yyjson document of
about twice the file first. So a single save of :data:`SECTIONED_MIN_BYTES` or more is read
by the chunked parse (:mod:`chunked`, pieces of 256 KB, the GIL free in between) in *lazy*
mode: every piece is still parsed — so the text is validated exactly as before, and an
invalid text still falls back to the whole parse that explains it — but a container whose
members add up to :data:`LAZY_MIN_BYTES` and that holds no big member itself (inventory
items, story flags: long runs of small records) keeps only the byte ranges of its member
runs in the file's buffer. The result is a *skeleton*: plain dicts and lists with
:class:`LazyContainer` objects where those containers are.

The skeleton never leaves the few places that know it (the World State tree, the Save
Summary views, the slot's checks); every other consumer reads ``SlotEntry.payload``, which
is the whole value, parsed again piece by piece through the parked-payload cache (see
``SlotEntry.park_sections``). ``materialize`` turns a skeleton (or any part of it) into the
plain value, equal to ``orjson.loads`` of the text.

No Qt here.
"""
from __future__ import annotations

import bisect
import hashlib
import weakref
import zlib
from typing import Any, Callable, Iterator

import orjson

from inspector_app.core.common.guiturn import yield_to_gui
from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.loading.chunked import CHUNK, HEAD_MEMBERS, ChunkedParse
from inspector_app.core.loading.jsonerrors import locate_bytes

#: Single saves at least this big are read as a skeleton.
SECTIONED_MIN_BYTES = 4 * 1024 * 1024
#: A container of small members is kept as text once its members add up to this.
LAZY_MIN_BYTES = 1024 * 1024


class SectionError(Exception):
    """A lazy container's text could not be parsed again (never for a buffer validated at load;
    kept for what the caller must show: the JSON path and the place in the file)."""

    def __init__(self, message: str, path: str, line: int, column: int):
        super().__init__(f"{path}: line {line}, column {column}: {message}")
        self.path, self.line, self.column = path, line, column


class LazyContainer:
    """A JSON array (``is_dict`` False) or object kept as the text of its member runs.

    ``runs`` are ``(start, end, count)`` byte ranges of whole members in ``source`` (the
    file's buffer, shared by every container of the save); a run parses as ``[run]`` /
    ``{run}``. ``path`` (the keys from the payload's root) is set by :func:`attach_paths`.
    """

    __slots__ = (
        "__weakref__",
        "_head",
        "_starts",
        "blobs",
        "compact_size",
        "depth",
        "is_dict",
        "keys",
        "length",
        "path",
        "runs",
        "source",
    )

    def __init__(self, source: bytes | bytearray | None, is_dict: bool, depth: int, runs: list[tuple[int, int, int]],
                 keys: list[str] | None, length: int):
        self.source: bytes | bytearray | None = source   # None once compressed
        self.is_dict = is_dict
        self.depth = depth
        self.runs = runs
        self.keys = keys
        self.length = length
        self.path: tuple = ()
        starts, n = [], 0
        for _, _, count in runs:
            starts.append(n)
            n += count
        self._starts = starts      # index of each run's first member
        self._head: Any = None
        self.compact_size: int | None = None
        #: after :func:`compress_sections`: per run, (zlib text, line, column of its start in the file)
        self.blobs: list[tuple[bytes, int, int]] | None = None

    def __len__(self) -> int:
        return self.length

    def __repr__(self) -> str:
        kind = "object" if self.is_dict else "array"
        return f"<LazyContainer {kind} of {self.length} at {format_path(self.path)}, {len(self.runs)} runs>"

    @property
    def text_bytes(self) -> int:
        return sum(end - start for start, end, _ in self.runs)

    # -- parsing ---------------------------------------------------------------------------
    def run_text(self, index: int) -> bytes | bytearray:
        """The text of run ``index`` (whole members, without brackets)."""
        blobs = self.blobs
        if blobs is None:
            source = self.source
            if source is not None:
                start, end, _ = self.runs[index]
                return source[start:end]
            blobs = self.blobs          # compressed meanwhile (another thread)
        assert blobs is not None
        return zlib.decompress(blobs[index][0])

    def run_value(self, index: int) -> Any:
        """The members of run ``index`` as a plain list / dict."""
        opener, closer = (b"{", b"}") if self.is_dict else (b"[", b"]")
        depth = self.depth
        text = self.run_text(index)
        piece = b"[" * depth + opener + text + closer + b"]" * depth
        try:
            value = orjson.loads(piece)
        except orjson.JSONDecodeError as exc:
            raise self._error(exc, index, text) from None
        for _ in range(depth):
            value = value[0]
        return value

    def _error(self, exc: orjson.JSONDecodeError, index: int, text: bytes | bytearray) -> SectionError:
        """The parse error placed in the file: line and column (in characters) of the whole
        text, as the whole-text parse reports them (``jsonerrors.locate_bytes``)."""
        doc = exc.doc if isinstance(exc.doc, str) else ""
        inner = max(0, len(doc[:exc.pos].encode("utf-8", "surrogatepass")) - self.depth - 1)
        source, blobs = self.source, self.blobs
        if source is not None:
            line, column = locate_bytes(source, self.runs[index][0] + inner)
        else:
            assert blobs is not None
            line, column = blobs[index][1], blobs[index][2]
            newlines = text.count(b"\n", 0, inner)
            if newlines:
                line += newlines
                column = 1 + _chars(text[text.rfind(b"\n", 0, inner) + 1:inner])
            else:
                column += _chars(text[:inner])
        return SectionError(exc.msg, format_path(self.path), line, column)

    def iter_runs(self, cancelled: Callable[[], bool] | None = None) -> Iterator[Any]:
        """Each run's members in order (a list or dict per run), the GIL free between runs."""
        for index in range(len(self.runs)):
            if cancelled is not None and cancelled():
                from inspector_app.core.loading.document import LoadCancelled
                raise LoadCancelled("cancelled")
            yield self.run_value(index)
            yield_to_gui()

    def iter_members(self) -> Iterator[tuple[Any, Any]]:
        """``(key or index, value)`` of every member, parsing one run at a time."""
        for first, part in zip(self._starts, self.iter_runs()):
            yield from (part.items() if self.is_dict else enumerate(part, first))

    def members(self, start: int, stop: int) -> list[tuple[Any, Any]]:
        """``(key or index, value)`` of members ``start`` to ``stop - 1``, parsing only the runs
        that hold them (the tree fetches children this way)."""
        out: list[tuple[Any, Any]] = []
        stop = min(stop, self.length)
        if start >= stop:
            return out
        index = bisect.bisect_right(self._starts, start) - 1
        while index < len(self.runs) and self._starts[index] < stop:
            first = self._starts[index]
            value = self.run_value(index)
            items = list(value.items()) if self.is_dict else list(enumerate(value, first))
            lo, hi = max(0, start - first), min(len(items), stop - first)
            out.extend(items[lo:hi])
            index += 1
        return out

    def row_of_key(self, key: Any) -> int | None:
        """The member index of ``key`` (an object key, or an array index)."""
        if not self.is_dict:
            return key if type(key) is int and 0 <= key < self.length else None
        if self.keys is None:
            return None
        rows = _key_rows(self)
        return rows.get(key)

    def set_head(self, head: Any) -> None:
        if self.is_dict:
            self._head = dict(list(head.items())[:HEAD_MEMBERS])
        else:
            self._head = list(head[:HEAD_MEMBERS])

    def head(self) -> Any:
        """The first members, kept from the load (the one-line preview of the container: a view
        never parses to paint)."""
        return self._head

    def materialize(self, cancelled: Callable[[], bool] | None = None) -> Any:
        """The whole container as a plain value (nested lazy parts included)."""
        if self.is_dict:
            out: dict = {}
            for part in self.iter_runs(cancelled):
                out.update(part)
            return out
        items: list = []
        for part in self.iter_runs(cancelled):
            items.extend(part)
        return items

    def json_size(self) -> int:
        """``len(orjson.dumps(value))`` of the whole container, computed run by run (cached)."""
        if self.compact_size is None:
            total = 2 + max(0, self.length - 1)    # brackets and the commas between members
            for part in self.iter_runs():
                total += len(orjson.dumps(part)) - 2 - max(0, len(part) - 1)
            self.compact_size = total
        return self.compact_size


#: key -> row of a lazy object's members, made when a path through it is first looked up
_KEY_ROWS: "weakref.WeakKeyDictionary[LazyContainer, dict]" = weakref.WeakKeyDictionary()


def _key_rows(container: LazyContainer) -> dict:
    rows = _KEY_ROWS.get(container)
    if rows is None:
        rows = {k: r for r, k in enumerate(container.keys or ())}
        _KEY_ROWS[container] = rows
    return rows


# --------------------------------------------------------------------------- keeping the text small
def compress_sections(skeleton: Any, cancelled: Callable[[], bool] | None = None) -> int:
    """Keep each lazy container's runs zlib-compressed (level 1, ~10 % of a save's JSON,
    ~3 ms a run; zlib works without the GIL) instead of slices of the file's buffer, which
    can then be freed. Returns the bytes kept. Each container switches in one assignment, so
    a reader in another thread sees either form whole."""
    kept = 0
    for container in list(lazy_containers(skeleton)):
        if container.blobs is not None:
            kept += sum(len(b) for b, _, _ in container.blobs)
            continue
        source, blobs = container.source, []
        if source is None:
            continue
        line, column, at = 1, 1, 0      # where ``at`` is in the file (column in characters)
        for start, end, _ in container.runs:
            if cancelled is not None and cancelled():
                from inspector_app.core.loading.document import LoadCancelled
                raise LoadCancelled("cancelled")
            line, column = _advance(source, at, start, line, column)
            at = start
            blobs.append((zlib.compress(source[start:end], 1), line, column))
        container.blobs = blobs
        container.source = None
        kept += sum(len(b) for b, _, _ in blobs)
    return kept


def _advance(source: bytes | bytearray, at: int, stop: int, line: int, column: int) -> tuple[int, int]:
    """``(line, column)`` after the text ``source[at:stop]`` (whole characters) from
    ``(line, column)``; a piece of at most ``CHUNK`` bytes at a time, the GUI's turn between
    (the text before a save's first lazy container is most of the file: one decode of it held
    the GIL for ~50 ms)."""
    while at < stop:
        end = min(stop, at + CHUNK)
        while end < stop and 0x80 <= source[end] < 0xC0:     # not inside a UTF-8 sequence
            end -= 1
        if end <= at:                                         # a character longer than a piece
            end = at + 1
            while end < stop and 0x80 <= source[end] < 0xC0:
                end += 1
        last = source.rfind(b"\n", at, end)
        if last >= 0:
            line += source.count(b"\n", at, end)
            column = 1 + _chars(source[last + 1:end])
        else:
            column += _chars(source[at:end])
        at = end
        yield_to_gui()
    return line, column


def _chars(text: bytes | bytearray) -> int:
    return len(text.decode("utf-8", errors="replace"))


def text_digest(data: bytes | bytearray) -> bytes:
    """What identifies a kept text once its buffer is gone (follow-live compares it)."""
    return hashlib.blake2b(data, digest_size=32).digest()


# --------------------------------------------------------------------------- the parse
def loads_sectioned(data: bytes | bytearray, cancelled: Callable[[], bool] | None = None,
                    chunk: int = CHUNK, lazy_min: int = LAZY_MIN_BYTES) -> tuple[Any, bool]:
    """``(skeleton, maybe_duplicates)`` of ``data``: like :func:`chunked.loads_chunked`, but
    big containers of small members are :class:`LazyContainer` objects over ``data`` (which
    must not change afterwards). Raises ``NotChunkable`` where the chunked parse does."""
    parse = ChunkedParse(data, cancelled, chunk)
    parse.lazy_min = lazy_min
    value = parse.run()
    attach_paths(value)
    return value, parse.maybe_duplicates


def parse_sectioned(data: bytes | bytearray, cancelled: Callable[[], bool] | None = None) -> tuple[Any, bool]:
    """``(skeleton, checked)`` of ``data`` for the loader: ``checked`` is False when the text
    may hold a duplicate key or an integer beyond 64 bits — the whole parse, which has the
    notes for those, must read it instead. The digit scan skips the pieces that proved to be
    orjson's own serialisation (``ChunkedParse.proven``): for a save the game wrote, all of
    its big containers. Raises ``NotChunkable`` where the chunked parse does."""
    parse = ChunkedParse(data, cancelled, CHUNK)
    parse.lazy_min = LAZY_MIN_BYTES
    value = parse.run()
    attach_paths(value)
    return value, not parse.maybe_duplicates and not parse.may_have_long_integers()


def attach_paths(value: Any, path: tuple = ()) -> None:
    """Give every lazy container of a skeleton its JSON path (for messages and the tree)."""
    stack = [(value, path)]
    while stack:
        node, where = stack.pop()
        if type(node) is dict:
            stack.extend((v, where + (k,)) for k, v in node.items() if type(v) in _WALKED)
        elif type(node) is list:
            stack.extend((v, where + (i,)) for i, v in enumerate(node) if type(v) in _WALKED)
        elif type(node) is LazyContainer:
            node.path = where


_WALKED = (dict, list, LazyContainer)


def has_lazy(value: Any) -> bool:
    """True when the skeleton holds a lazy container anywhere."""
    return next(lazy_containers(value), None) is not None


def lazy_containers(value: Any) -> Iterator[LazyContainer]:
    stack = [value]
    while stack:
        node = stack.pop()
        t = type(node)
        if t is LazyContainer:
            yield node
        elif t is dict:
            stack.extend(v for v in node.values() if type(v) in _WALKED)
        elif t is list:
            stack.extend(v for v in node if type(v) in _WALKED)


def materialize(value: Any, cancelled: Callable[[], bool] | None = None,
                keep: Callable[[LazyContainer], bool] | None = None) -> Any:
    """A plain copy of the skeleton's containers down to every lazy one, which is parsed —
    except those ``keep`` accepts (returned as they are). Values without a lazy part are
    shared with the skeleton, not copied."""
    t = type(value)
    if t is LazyContainer:
        if keep is not None and keep(value):
            return value
        return value.materialize(cancelled)
    if t is not dict and t is not list:
        return value
    copy: Any = None
    for k, v in (value.items() if t is dict else enumerate(value)):
        if type(v) in _WALKED:
            m = materialize(v, cancelled, keep)
            if m is not v:
                if copy is None:
                    copy = t(value)
                copy[k] = m
    return value if copy is None else copy


def lazy_kind(value: Any) -> type | None:
    """``dict`` / ``list`` for a lazy container (what it stands for), else None."""
    if type(value) is LazyContainer:
        return dict if value.is_dict else list
    return None


# --------------------------------------------------------------------------- pretty text
def pretty_text(value: Any, cancelled: Callable[[], bool] | None = None,
                progress: Callable[[int, int, str], None] | None = None) -> bytes:
    """``jsontext.pretty_json(materialize(value))``, made a piece at a time: each lazy run is
    parsed and written alone (the GIL is free between runs, and only one run's parsed members
    are alive), so copying a big node never holds the GIL for the whole text. ``progress``
    gets ``(runs done, runs, "")``."""
    from inspector_app.core.common.jsontext import pretty_json

    if not has_lazy(value):
        return pretty_json(value)
    out: list[bytes] = []
    counter = [0, sum(len(c.runs) for c in lazy_containers(value))]
    try:
        _pretty_into(out, value, 0, cancelled, progress, counter)
    except (orjson.JSONEncodeError, TypeError):   # deeper than orjson writes: the depth-safe writer
        return pretty_json(materialize(value, cancelled))
    return b"".join(out)


def _pretty_into(out: list[bytes], value: Any, depth: int, cancelled: Callable[[], bool] | None,
                 progress: Callable[[int, int, str], None] | None, counter: list[int]) -> None:
    pad = b"\n" + b"  " * depth
    t = type(value)
    if t is LazyContainer:
        out.append(b"{" if value.is_dict else b"[")
        first = True
        for part in value.iter_runs(cancelled):
            counter[0] += 1
            if progress is not None:
                progress(counter[0], counter[1], "")
            if not part:
                continue
            text = orjson.dumps(part, option=orjson.OPT_INDENT_2)[1:-2]   # "\n  m1,\n  m2"
            if depth:
                text = text.replace(b"\n", pad)
            out.append(text if first else b"," + text)
            first = False
        out.append(pad + (b"}" if value.is_dict else b"]"))
    elif (t is dict or t is list) and value and has_lazy(value):
        out.append(b"{" if t is dict else b"[")
        inner = pad + b"  "
        for n, (key, member) in enumerate(value.items() if t is dict else enumerate(value)):
            out.append(b"," + inner if n else inner)
            if t is dict:
                out.append(orjson.dumps(key) + b": ")
            _pretty_into(out, member, depth + 1, cancelled, progress, counter)
        out.append(pad + (b"}" if t is dict else b"]"))
    else:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2)
        out.append(text.replace(b"\n", pad) if depth else text)
