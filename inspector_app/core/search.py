"""Search a parsed JSON value (a whole save) for keys and values, and name places in it.

The world-state inspector searches documents of a million nodes and more while the user
types, so :func:`search_json` is a single iterative pass (no recursion limit on nesting),
polls ``cancelled()`` and reports progress, and keeps only the first ``limit`` hits while
still counting every match (``SearchResult.total_matches`` is exact unless the search was
cut short by ``stop_at``).

:func:`format_preview` is shared with the tree model so search results and tree rows show
things the same way; paths are named by :mod:`inspector_app.core.common.jsonpath`.

No Qt here.
"""
from __future__ import annotations

from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.common.progress import Cancelled, CancelledFn, ProgressFn

import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Callable, Iterator


__all__ = [
    "SearchHit",
    "SearchResult",
    "SearchCancelled",
    "InvalidSearchPattern",
    "search_json",
    "compile_matcher",
    "format_preview",
    "scalar_text",
    "json_type_name",
]

PathKey = str | int
JsonPath = tuple[PathKey, ...]

#: nodes visited between two ``cancelled()`` polls / progress reports
CHECK_EVERY = 16384
#: characters of a hit preview
PREVIEW_LEN = 160

_NUMBER_CHARS = frozenset("0123456789.-+eE")


class SearchCancelled(Cancelled):
    """Raised by :func:`search_json` when ``cancelled()`` returned True.

    (``inspector_app.ui.workers.BackgroundTask`` recognises this name as a cancellation.)
    """


class InvalidSearchPattern(ValueError):
    """The query is not a valid regular expression; ``str(exc)`` says where and why."""

    def __init__(self, pattern: str, message: str, position: int | None = None):
        self.pattern = pattern
        self.position = position
        where = f" at position {position}" if position is not None else ""
        super().__init__(f"Invalid regular expression{where}: {message}")


@dataclass(frozen=True)
class SearchHit:
    """One match: where it is, whether the key or the value matched, and what it shows."""

    path: JsonPath       # keys (str) and list indices (int) from the root to the node
    field: str           # "key" or "value"
    preview: str         # one line: the matched value (windowed around the match) or key: value

    @property
    def json_path(self) -> str:
        return format_path(self.path)


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    total_matches: int = 0       # every match in the document (exact unless total_is_lower_bound)
    truncated: bool = False      # more matches exist than ``hits`` holds
    total_is_lower_bound: bool = False  # the walk stopped early (``stop_at``): total is "≥"
    nodes_visited: int = 0

    def summary(self) -> str:
        """'No matches' / '12 matches' / 'showing 1,000 of 53,211 matches' / '… of ≥N …'."""
        if not self.total_matches:
            return "No matches"
        total = f"{'≥' if self.total_is_lower_bound else ''}{self.total_matches:,}"
        noun = "match" if self.total_matches == 1 and not self.total_is_lower_bound else "matches"
        if self.truncated:
            return f"showing {len(self.hits):,} of {total} {noun}"
        return f"{total} {noun}"


# --------------------------------------------------------------------------- text helpers
def json_type_name(value: Any) -> str:
    """object / array / string / number / bool / null (JSON's names, not Python's)."""
    t = type(value)
    if t is dict:
        return "object"
    if t is list:
        return "array"
    if t is str:
        return "string"
    if t is bool:
        return "bool"
    if value is None:
        return "null"
    if t is int or t is float:
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return type(value).__name__


def scalar_text(value: Any) -> str:
    """A scalar as JSON text without quotes: strings as-is, ``true``/``false``/``null``, numbers."""
    t = type(value)
    if t is str:
        return value
    if t is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if t is float:
        if value != value or value in (float("inf"), float("-inf")):
            return "null"  # what orjson writes; JSON has no NaN/Infinity
        return repr(value)
    return str(value)


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def _clip(text: str, max_len: int) -> str:
    return text if len(text) <= max_len else text[: max(0, max_len - 1)] + "…"


def _quoted(text: str, max_len: int) -> str:
    # escape only what would break one line; bound the work on huge strings
    return '"' + _one_line(text[: max_len + 1]) + '"'


def format_preview(value: Any, max_len: int = 120) -> str:
    """One line of at most ``max_len`` characters showing ``value`` as JSON-like text.

    Containers are previewed compactly (``{"id": "x", "fame": 72.5, …}``) with work
    bounded by ``max_len``, never by the size of the container, so previewing the root of
    a million-node document is as cheap as previewing a leaf.
    """
    if max_len <= 0:
        return ""
    t = type(value)
    if t is str:
        return _clip(_quoted(value, max_len), max_len)
    if t is not dict and t is not list:
        return _clip(scalar_text(value), max_len)
    out: list[str] = []
    budget = [max_len + 1]

    def emit(text: str) -> bool:
        out.append(text)
        budget[0] -= len(text)
        return budget[0] > 0

    # iterative: a stack of iterators over (is_dict, items); ends as soon as the budget is spent
    def items_of(v: Any) -> Iterator:
        return iter(v.items()) if type(v) is dict else iter(v)

    stack: list[tuple[bool, Iterator, bool]] = []  # (is_dict, iterator, first)
    if not emit("{" if t is dict else "["):
        return _clip("".join(out), max_len)
    stack.append((t is dict, items_of(value), True))
    while stack:
        is_dict, it, first = stack.pop()
        nxt = next(it, _END)
        if nxt is _END:
            if not emit("}" if is_dict else "]"):
                break
            continue
        stack.append((is_dict, it, False))
        if not first and not emit(", "):
            break
        if is_dict:
            key, child = nxt
            if not emit(_quoted(key, budget[0]) + ": "):
                break
        else:
            child = nxt
        ct = type(child)
        if ct is dict or ct is list:
            if not child:
                if not emit("{}" if ct is dict else "[]"):
                    break
                continue
            if not emit("{" if ct is dict else "["):
                break
            stack.append((ct is dict, items_of(child), True))
        elif ct is str:
            if not emit(_quoted(child, budget[0])):
                break
        elif not emit(scalar_text(child)):
            break
    return _clip("".join(out), max_len)


_END = object()


# --------------------------------------------------------------------------- matching
def compile_matcher(query: str, *, regex: bool = False, case_sensitive: bool = False) -> Callable[[str], Any]:
    """A predicate ``text -> truthy`` for one query; raises :class:`InvalidSearchPattern`."""
    if regex:
        try:
            pattern = re.compile(query, 0 if case_sensitive else re.IGNORECASE)
        except re.error as exc:
            raise InvalidSearchPattern(query, exc.msg, exc.pos) from None
        return pattern.search
    if case_sensitive:
        return lambda text: query in text
    needle = query.lower()
    if needle.isascii():
        return lambda text: needle in text.lower()
    needle = query.casefold()
    return lambda text: needle in text.casefold()


def _could_match_scalar_text(query: str, regex: bool) -> tuple[bool, bool]:
    """Whether numbers / the words true,false,null can possibly contain a plain query.

    Skipping ``str(number)`` for queries like "luminari" is most of the search speed on
    number-heavy saves. Regex queries always test everything.
    """
    if regex:
        return True, True
    q = query.lower()
    numbers = bool(q) and set(q) <= _NUMBER_CHARS
    words = any(q in w for w in ("true", "false", "null"))
    return numbers, words


_NUMBER_TEXT_CHARS = frozenset("0123456789.-+einfa")  # int/float repr, including "inf" and "nan"


def _regex_can_match_number(search: Callable[[str], Any]) -> bool:
    """False when the pattern needs a literal character no number's text has (``courier
    \\(\\d\\)`` needs a "c"): then numbers are never turned into text and tested. Reads the
    pattern's top-level sequence, whose literals every match must contain; True (test the
    numbers) whenever in doubt."""
    pattern = getattr(search, "__self__", None)
    if not isinstance(pattern, re.Pattern):
        return True
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern.pattern, pattern.flags)
        for op, arg in tree:
            if op is _constants.LITERAL and chr(arg).lower() not in _NUMBER_TEXT_CHARS:
                return False
    except Exception:  # noqa: BLE001 - a private parser: any surprise means "test the numbers"
        return True
    return True


def _value_preview(text: str, matcher: Callable[[str], Any], regex: bool, query: str,
                   case_sensitive: bool) -> str:
    """A string hit's preview, windowed so the match is visible in long strings."""
    if len(text) <= PREVIEW_LEN - 2:
        return '"' + _one_line(text) + '"'
    start = 0
    if regex:
        m = matcher(text)
        if m is not None and hasattr(m, "start"):
            start = m.start()
    else:
        hay, needle = (text, query) if case_sensitive else (text.lower(), query.lower())
        start = max(0, hay.find(needle))
    lo = max(0, start - PREVIEW_LEN // 3)
    piece = _one_line(text[lo: lo + PREVIEW_LEN])
    return ("…" if lo else '"') + piece + ("…" if lo + PREVIEW_LEN < len(text) else '"')


# A path during the walk is a cons cell (parent_cell, key) — O(1) to extend at any depth;
# only hits are turned into tuples.
_PathCell = tuple | None
_NO_KEY = object()


def _materialize(parent: _PathCell, key: Any) -> JsonPath:
    keys = [] if key is _NO_KEY else [key]
    while parent is not None:
        parent, k = parent
        keys.append(k)
    keys.reverse()
    return tuple(keys)


_float_text = float.__repr__
_int_text = int.__repr__


class _Walk:
    """Position bookkeeping of the iterative walk, read only at poll time.

    Each stack level keeps the container's size and its *plain* iterator, whose
    ``__length_hint__`` says how many children are left; from those the walk derives the
    nodes visited so far and a position-based fraction of the whole document.
    """

    __slots__ = ("bases", "entered", "sizes")

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.bases: list[Iterator] = []
        self.entered = 1  # root + every child of every entered container

    def push(self, size: int, base: Iterator) -> None:
        self.sizes.append(size)
        self.bases.append(base)
        self.entered += size

    def pop(self) -> None:
        self.sizes.pop()
        self.bases.pop()

    def visited(self) -> int:
        return self.entered - sum(b.__length_hint__() for b in self.bases)

    def fraction(self) -> float:
        frac, width = 0.0, 1.0
        for size, base in zip(self.sizes, self.bases):
            done = size - base.__length_hint__() - 1  # siblings finished before the current one
            frac += width * max(done, 0) / size
            width /= size
        return min(frac, 1.0)


def _polled(items: Iterator, poll: Callable[[], None]) -> Iterator:
    """Iterate a huge flat container in slices, polling between slices."""
    while True:
        chunk = list(islice(items, CHECK_EVERY))
        if not chunk:
            return
        poll()
        yield from chunk


def search_json(
    root: Any,
    query: str,
    *,
    regex: bool = False,
    case_sensitive: bool = False,
    keys: bool = True,
    values: bool = True,
    limit: int = 1000,
    stop_at: int | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> SearchResult:
    """Find ``query`` in the keys and/or scalar values of ``root``, in document order.

    Values are strings (matched without quotes), numbers (as JSON text, e.g. ``72.5``),
    ``true``/``false`` and ``null``; containers themselves never match. Dict keys match
    when ``keys`` is set; list indices never do.

    ``hits`` holds the first ``limit`` matches; ``total_matches`` counts all of them (the
    walk goes on counting after the cap, so the total is exact). Pass ``stop_at`` to stop
    walking once that many matches were counted: ``total_is_lower_bound`` then says the
    total is only "≥".

    About every :data:`CHECK_EVERY` nodes ``cancelled()`` is polled (True raises
    :class:`SearchCancelled`) and ``progress(visited, estimate, text)`` is called, where
    ``estimate`` is the total node count extrapolated from the walk's position in the
    document (exact at the end).

    Raises :class:`InvalidSearchPattern` (a ValueError) for a bad regular expression.
    """
    result = SearchResult(query=query)
    if not query or not (keys or values):
        return result
    match = compile_matcher(query, regex=regex, case_sensitive=case_sensitive)
    numbers_ok, words_ok = _could_match_scalar_text(query, regex)
    if regex and numbers_ok:
        numbers_ok = _regex_can_match_number(match)
    scalars_ok = values and (numbers_ok or words_ok)
    test_numbers = values and numbers_ok
    # plain queries test numbers with a bare ``in``: number text is ASCII and lower case
    num_needle = None if regex else (query if case_sensitive else query.lower())
    if num_needle is not None and not num_needle.isascii():
        test_numbers = False
    float_text, int_text = _float_text, _int_text
    hits = result.hits
    counts = [0]  # total matches, in a list so the helpers below can bump it

    def add_hit(parent: _PathCell, key: Any, fld: str, value: Any) -> None:
        counts[0] += 1
        if len(hits) >= limit:
            return
        path = _materialize(parent, key)
        if fld == "key":
            preview = f"{_clip(_one_line(str(key)), 60)}: {format_preview(value, PREVIEW_LEN - 20)}"
        elif type(value) is str:
            preview = _value_preview(value, match, regex, query, case_sensitive)
        else:
            preview = scalar_text(value)
        hits.append(SearchHit(path, fld, preview))

    def scalar_matches(value: Any) -> bool:
        t = type(value)
        if t is float:
            return numbers_ok and bool(match(_float_text(value)))
        if t is int:
            return numbers_ok and bool(match(_int_text(value)))
        return words_ok and bool(match(scalar_text(value)))

    rt = type(root)
    if rt is not dict and rt is not list:
        if values and (match(root) if rt is str else scalar_matches(root)):
            add_hit(None, _NO_KEY, "value", root)
        result.total_matches = counts[0]
        result.nodes_visited = 1
        return result

    walk = _Walk()
    next_poll = [CHECK_EVERY]

    def poll() -> None:
        if cancelled is not None and cancelled():
            raise SearchCancelled()
        if progress is not None:
            visited = walk.visited()
            frac = walk.fraction()
            estimate = max(visited, int(visited / frac)) if frac > 0 else walk.entered
            progress(visited, estimate, f"{visited:,} nodes searched, {counts[0]:,} matches")

    def enter(container: Any, path: _PathCell) -> tuple[Iterator, _PathCell, bool]:
        is_dict = type(container) is dict
        base = iter(container.items()) if is_dict else iter(container)
        walk.push(len(container), base)
        if walk.entered >= next_poll[0]:
            next_poll[0] = walk.entered + CHECK_EVERY
            poll()
        items: Iterator = base if is_dict else enumerate(base)
        if len(container) > CHECK_EVERY:
            items = _polled(items, poll)
        return items, path, is_dict

    stop = stop_at if stop_at is not None and stop_at > 0 else None
    stopped = False
    # Iterative DFS in document order: the stack holds live iterators; descending into a
    # child container parks the parent iterator, already positioned after that child.
    stack = [enter(root, None)]
    while stack:
        it, path, is_dict = stack[-1]
        match_keys = is_dict and keys
        descended = False
        for key, value in it:
            if match_keys and match(key):
                add_hit(path, key, "key", value)
            t = type(value)
            if t is str:
                if values and match(value):
                    add_hit(path, key, "value", value)
            elif t is dict or t is list:
                if value:
                    stack.append(enter(value, (path, key)))
                    descended = True
            elif t is float or t is int:
                # numbers inline (no call per number): their repr is already lower case, so a
                # plain ASCII query is a bare ``in``; a regex is the pattern's C-level search
                if test_numbers and ((num_needle in (float_text(value) if t is float else int_text(value)))
                                     if num_needle is not None else
                                     match(float_text(value) if t is float else int_text(value))):
                    add_hit(path, key, "value", value)
            elif scalars_ok and scalar_matches(value):
                add_hit(path, key, "value", value)
            if stop is not None and counts[0] >= stop:
                stopped = True
                break
            if descended:
                break
        if stopped:
            break
        if not descended:
            stack.pop()
            walk.pop()
    if cancelled is not None and cancelled():
        raise SearchCancelled()
    result.total_matches = counts[0]
    result.truncated = counts[0] > len(hits)
    result.total_is_lower_bound = stopped and bool(stack)
    result.nodes_visited = walk.visited() if stopped else walk.entered
    if progress is not None:
        progress(result.nodes_visited, result.nodes_visited, f"{result.nodes_visited:,} nodes searched")
    return result
