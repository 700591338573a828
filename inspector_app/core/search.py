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

import re
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress, islice, repeat
from math import copysign
from operator import itemgetter
from typing import Any, Callable, Iterator

import orjson

from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.common.timefmt import readable_time_value
from inspector_app.core.common.progress import Cancelled, CancelledFn, ProgressFn
from inspector_app.core.loading.sections import LazyContainer


__all__ = [
    "SearchHit",
    "SearchResult",
    "SearchIndex",
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
    #: the value in words when it is a time stamp, duration or playtime (as the tree shows it
    #: beside the raw number: ``2025-11-02 18:06:24``, ``6m 24s``), else None
    readable: str | None = None

    @property
    def json_path(self) -> str:
        return format_path(self.path)

    @property
    def display(self) -> str:
        """The preview with the readable form beside it, the way the tree shows values."""
        return f"{self.preview}  ({self.readable})" if self.readable else self.preview


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    total_matches: int = 0       # every match in the document (exact unless total_is_lower_bound)
    truncated: bool = False      # more matches exist than ``hits`` holds
    total_is_lower_bound: bool = False  # the walk stopped early (``stop_at``): total is "≥"
    nodes_visited: int = 0       # nodes the walk looked at one by one
    subtrees_skipped: int = 0    # subtrees ruled out whole by the pre-filter (their roots are visited)

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
    if t is LazyContainer:  # a big save's unparsed part (core/loading/sections): its first members
        value = value.head()
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
        if ct is LazyContainer:   # a big save's unparsed part (core/loading/sections): its first members
            child = child.head()
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


def _folding(query: str, case_sensitive: bool) -> tuple[str, Callable[[str], str] | None]:
    """The text a plain query looks for and how entries are folded first (None: as they are);
    the same choice as :func:`compile_matcher`. An ASCII query without letters (``72``,
    ``-0.5``) needs no folding: lower() never makes or removes such characters."""
    if case_sensitive:
        return query, None
    needle = query.lower()
    if needle.isascii():
        return needle, (str.lower if any(c.isalpha() for c in needle) else None)
    return query.casefold(), str.casefold


def _could_match_scalar_text(folded: str) -> tuple[bool, bool]:
    """Whether numbers / the words true,false,null can possibly contain a plain query
    (``folded`` as :func:`_folding` gives it).

    Skipping ``str(number)`` for queries like "luminari" is most of the search speed on
    number-heavy saves.
    """
    numbers = bool(folded) and set(folded) <= _NUMBER_CHARS
    words = any(folded in w for w in ("true", "false", "null"))
    return numbers, words


_NUMBER_TEXT_CHARS = frozenset("0123456789.-+einfa")  # int/float repr, including "inf" and "nan"


def _top_level_literals(pattern: re.Pattern) -> list[str] | None:
    """The runs of literal characters in the pattern's top-level sequence — every match contains
    each run — or None when the pattern cannot be read (a private parser: never guess)."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        runs: list[str] = []
        current: list[str] = []
        for op, arg in _parser.parse(pattern.pattern, pattern.flags):
            if op is _constants.LITERAL:
                current.append(chr(arg))
                continue
            if current:
                runs.append("".join(current))
                current = []
        if current:
            runs.append("".join(current))
        return runs
    except Exception:  # noqa: BLE001 - any surprise means "no literal known"
        return None


def _regex_can_match_number(search: Callable[[str], Any]) -> bool:
    """False when the pattern needs a literal character no number's text has (``courier
    \\(\\d\\)`` needs a "c"): then numbers are never turned into text and tested. Reads the
    pattern's top-level sequence, whose literals every match must contain; True (test the
    numbers) whenever in doubt."""
    pattern = getattr(search, "__self__", None)
    if not isinstance(pattern, re.Pattern):
        return True
    runs = _top_level_literals(pattern)
    if runs is None:
        return True
    return all(ch.lower() in _NUMBER_TEXT_CHARS for run in runs for ch in run)


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


# --------------------------------------------------------------------------- prefilters
# Two tests that may say "maybe" where the exact answer is "no", never "no" where it is "yes":
#
# * the keys of an object, joined by a separator, are tested once; only when that text can
#   hold a match is each key tested (the usual outcome is "no key of this object matches");
# * a child container of a wide container is serialised by orjson (C, no Python call per
#   node) and its JSON text tested; a subtree whose text cannot hold a match is skipped.
#
# A plain query is looked for as it is (after the same case folding: lower() only changes
# sigma by context, which no ASCII needle sees; casefold() has no context). A regular
# expression is reduced to the longest run of literal characters of its top-level sequence,
# which every match contains, searched with the pattern's own case rule.
#
# JSON text shows every key, string, number, true/false/null of the subtree, and shows each
# exactly as the search tests it, except for: characters JSON escapes (quote, backslash,
# controls: queries containing them are never pre-filtered), floats below 1e-4 (orjson writes
# 0.00001 / 1e-7 where repr writes 1e-05 / 1e-07: a text showing "e-" or "0.0000" is never
# skipped when the query can match a number), inf/nan (written as null: queries that could
# match "inf"/"nan" text are never pre-filtered), ints beyond 64 bits and non-JSON types
# (orjson refuses them: the subtree is walked). tests/core/test_search.py checks the search
# against a plain reference implementation on random documents, pre-filtering everywhere.

#: a container with at least this many entries pre-filters its child containers
WIDE = 16
_KEY_SEP = "\x00"
_JSON_ESCAPED = frozenset('"\\').union(chr(c) for c in range(0x20))
_NOT_NUMBER_TEXT = ("inf", "-inf", "nan")
#: digit strings repr shows for some float below 1e-4 that orjson's text of it lacks: the
#: zero-padded exponents e-05 … e-09 (orjson: 0.00001, 1e-7)
_TINY_FLOAT_DIGITS = frozenset({"0", "5", "6", "7", "8", "9", "05", "06", "07", "08", "09"})
_CASELESS = re.compile(r"[^A-Za-z\x80-\U0010ffff]+")
_dumps = orjson.dumps


def _orjson_may_hide(needle: str) -> bool:
    """Whether a float's repr could contain ``needle`` while orjson's text of it does not.
    Only floats below 1e-4 are written differently; a run of digits other than those of a
    zero-padded exponent is in both texts or in neither (checked on millions of floats)."""
    return not (needle.isascii() and needle.isdigit() and needle not in _TINY_FLOAT_DIGITS)


def _caseless_part(needle: str) -> bytes:
    """The longest run of ASCII characters that are not letters: case folding (str.lower,
    casefold, a regex's IGNORECASE) never makes, removes or changes them, so a case-blind
    match contains it exactly. ``b""`` when there is none."""
    runs = _CASELESS.findall(needle)
    return max(runs, key=len).encode("ascii") if runs else b""


KeyProbe = Callable[[str], "tuple[str, str] | None"]


def _string_precheck(needle: str, mode: int, pattern: re.Pattern | None) -> str | None:
    """Text every matching string contains as it is, tested before the costlier test
    (``fold(s)`` or the regex): the caseless part of a case-blind query, a case-sensitive
    regex's literal. None when there is nothing useful."""
    if mode == 2 and pattern is not None:
        runs = _top_level_literals(pattern)
        literal = max(runs, key=len) if runs else ""
        if not literal:
            return None
        if not pattern.flags & re.IGNORECASE:
            return literal
        needle = literal
    elif mode != 1:
        return None
    return _caseless_part(needle).decode("ascii") or None


def _prefilters(query: str, pattern: re.Pattern | None, case_sensitive: bool,
                numbers: bool) -> tuple[KeyProbe | None, Callable[[bytes], bool] | None]:
    """(key probe, JSON-text test); None where there is none.

    The key probe takes an object's keys joined by :data:`_KEY_SEP` and returns a text with
    the same character positions and the literal every matching key contains there (or None
    when it cannot say: the keys are then tested one by one). The JSON-text test takes
    orjson's bytes of a subtree and says whether a match may be inside. ``numbers``: whether
    the search tests numbers (floats orjson writes unlike repr must not hide a match)."""
    lower_re = None  # a regex's literal under IGNORECASE, with the pattern's own case rule
    fold: Callable[[str], str] | None = None
    if pattern is not None:
        runs = _top_level_literals(pattern)
        needle = max(runs, key=len) if runs else ""
        if not needle:
            return None, None
        if pattern.flags & re.IGNORECASE:
            lower_re = re.compile(re.escape(needle), pattern.flags & (re.IGNORECASE | re.ASCII)).search
            folded = needle.lower() if needle.isascii() else None
        else:
            folded = needle
        blind = lower_re is not None
        hides_in_words = numbers and any(re.search(re.escape(needle), w, pattern.flags & re.IGNORECASE)
                                         for w in _NOT_NUMBER_TEXT)
    else:
        folded, fold = _folding(query, case_sensitive)
        needle = folded
        blind = fold is not None
        hides_in_words = numbers and any(folded in w for w in _NOT_NUMBER_TEXT)

    # keys: only lower() of ASCII text keeps every character where it was
    key_probe: KeyProbe | None
    if not blind:
        key_probe = lambda joined: (joined, needle)
    elif folded is not None and folded.isascii():
        key_probe = lambda joined: (joined.lower(), folded) if joined.isascii() else None
    else:
        key_probe = None

    if hides_in_words or _JSON_ESCAPED.intersection(needle):
        return key_probe, None
    traps = numbers and _orjson_may_hide(needle)
    if not blind:
        exact = needle.encode("utf-8")
        if traps:
            return key_probe, lambda text: exact in text or b"e-" in text or b"0.0000" in text
        return key_probe, lambda text: exact in text
    caseless = _caseless_part(needle)
    ascii_folded = folded.encode("utf-8") if folded is not None else None

    def text_test(text: bytes) -> bool:
        if traps and (b"e-" in text or b"0.0000" in text):
            return True
        if caseless and caseless not in text:
            return False
        if ascii_folded is not None and text.isascii():  # ASCII text folds as bytes.lower()
            return ascii_folded in text.lower()
        if lower_re is not None:
            return lower_re(text.decode("utf-8")) is not None
        return folded in fold(text.decode("utf-8"))

    return key_probe, text_test


# --------------------------------------------------------------------------- counting in bulk
# Once ``limit`` hits are kept, the order of the remaining matches no longer matters, only their
# number. The rest of the document is then walked like the floor, gathering keys and scalars by
# type into lists, which are tallied by distinct value (``Counter.update``: one C pass); each
# distinct text is tested once, and the total is one C pass over the distinct texts
# (``sum(compress(counts, map(test, texts)))``). A :class:`SearchIndex` keeps the tally of a
# whole document, so later searches of it take their totals from it without walking.


class _Tally:
    """Keys and scalar values counted by distinct value, one ``Counter`` per type (1, 1.0 and
    true are equal keys with different texts; 0.0 and -0.0 too: zeros are counted by sign)."""

    __slots__ = ("floats", "ints", "keys", "negative_zeros", "others", "strs", "words", "zeros")

    def __init__(self) -> None:
        self.keys: Counter = Counter()
        self.strs: Counter = Counter()
        self.ints: Counter = Counter()
        self.floats: Counter = Counter()
        self.zeros = self.negative_zeros = 0
        self.words: Counter = Counter()   # True / False / None
        self.others: Counter = Counter()  # the text of values that are not JSON (never from a parser)

    def size(self) -> int:
        return len(self.keys) + len(self.strs) + len(self.ints) + len(self.floats) + len(self.others)

    def add(self, keylist: list, strs: list, floats: list, ints: list, words: list, others: list) -> None:
        """Count the gathered lists (and empty them)."""
        for counter, gathered in ((self.keys, keylist), (self.strs, strs), (self.ints, ints), (self.words, words)):
            if gathered:
                counter.update(gathered)
                gathered.clear()
        if floats:
            self.floats.update(floats)
            zeros = self.floats.pop(0.0, 0)
            if zeros:
                negative = sum(1 for z in compress(floats, map(_float_eq, floats, repeat(0.0)))
                               if copysign(1.0, z) < 0)
                self.zeros += zeros - negative
                self.negative_zeros += negative
            floats.clear()
        if others:
            self.others.update(map(scalar_text, others))
            others.clear()

    def freeze(self) -> "_Tables":
        keys = list(self.keys)
        if keys and set(map(type, keys)) != {str}:  # keys that are not strings (not JSON) never match
            keys = [k for k in keys if type(k) is str]
        return _Tables(
            keys=(keys, list(map(self.keys.__getitem__, keys))),
            strs=(list(self.strs), list(self.strs.values())),
            ints=(list(map(_int_text, self.ints)), list(self.ints.values())),
            floats=(list(map(_float_text, self.floats)), list(self.floats.values())),
            zeros=self.zeros, negative_zeros=self.negative_zeros, words=dict(self.words),
            others=(list(self.others), list(self.others.values())))


@dataclass(frozen=True)
class _Tables:
    """A frozen :class:`_Tally`: (distinct texts, occurrences) per kind."""

    keys: tuple[list, list]
    strs: tuple[list, list]
    ints: tuple[list, list]
    floats: tuple[list, list]
    zeros: int
    negative_zeros: int
    words: dict
    others: tuple[list, list]

    @property
    def size(self) -> int:
        return sum(len(t[0]) for t in (self.keys, self.strs, self.ints, self.floats, self.others))


def _table_total(table: tuple[list, list], tests: Callable[[list], Iterator], poll: Callable[[], None]) -> int:
    """Occurrences of the table's texts that pass ``tests``, a slice at a time (polling between)."""
    texts, counts = table
    step = CHECK_EVERY
    total = 0
    for i in range(0, len(texts), step):
        total += sum(compress(counts[i:i + step], tests(texts[i:i + step])))
        poll()
    return total


class SearchIndex:
    """The keys and scalar values of ONE document, each distinct text with how often it occurs.

    The owner (the search panel) makes one per document it searches, fills it in the background
    (:meth:`fill`, after the document is shown) and passes it to every :func:`search_json` of
    that document: searches that keep ``limit`` hits with more to count take their totals from
    it (a C pass over the distinct texts) instead of walking the rest of the document. A search
    that needs it before it is filled takes the filling walk over where it is (no second walk).
    A document with more than ``max_distinct`` distinct texts is not indexed (memory stays
    bounded); its searches count as if there were no index. A big save's skeleton
    (core/loading/sections) keeps its unparsed parts compressed, while an index would hold every
    distinct text in them as a string: when the walk meets such a part, the bound is
    ``max_distinct_sectioned`` (2^16 texts, ~6 MiB; a 50 MB save has ~10× that: it is not
    indexed, and the walk stops as soon as that is known). Never share one between documents.
    """

    def __init__(self, max_distinct: int = 1 << 19, max_distinct_sectioned: int = 1 << 16):
        self.max_distinct = max_distinct
        self.max_distinct_sectioned = max_distinct_sectioned
        self._tables: _Tables | None = None
        self._root: Any = None  # the document it was filled from (the owner holds it anyway)
        self._fill: _Fill | None = None  # the filling walk, paused between two steps
        self._lock = threading.Lock()  # one walk at a time (a generator runs in one thread at a time)
        self.abandoned = False

    @property
    def ready(self) -> bool:
        return self._tables is not None

    @property
    def filled_entries(self) -> int:
        """Entries the paused filling walk has taken so far (0 when none is under way)."""
        fill = self._fill
        return fill.entered if fill is not None else 0

    def _fits(self, root: Any) -> bool:
        return self._tables is not None and self._root is root

    def fill(self, root: Any, *, cancelled: CancelledFn | None = None,
             pause: Callable[[], bool] | None = None) -> bool:
        """Fill the index from ``root`` (the document it is for), ~:data:`CHECK_EVERY` entries
        a step. True when nothing is left to do (ready, or ``abandoned``); False when
        ``pause()`` (asked between steps) said to stop for now: the walk so far is kept and the
        next ``fill`` — or a search that needs the index — goes on from there. ``cancelled()``
        True raises :class:`SearchCancelled`, keeping the walk so far likewise."""
        with self._lock:
            if self._fits(root) or self.abandoned:
                return True
            fill = self._filling(root)
            while self._step(fill):
                if fill.tally.size() > self._bound(fill):
                    self._abandon()
                    return True
                if cancelled is not None and cancelled():
                    raise SearchCancelled()
                if pause is not None and pause():
                    return False
            self._finish(fill)
            return True

    def clear(self) -> None:
        """Forget the document (and its tally, and any walk under way)."""
        self._tables = self._root = self._fill = None
        self.abandoned = False

    def _bound(self, fill: "_Fill") -> int:
        return self.max_distinct_sectioned if fill.sectioned else self.max_distinct

    # -- with ``_lock`` held
    def _filling(self, root: Any) -> "_Fill":
        if self._fill is None or self._fill.root is not root:
            self._fill = _Fill(root)
        return self._fill

    def _step(self, fill: "_Fill") -> bool:
        try:
            return fill.step()
        except BaseException:  # a big save's part that does not parse: that walk cannot go on
            if self._fill is fill:
                self._fill = None
            raise

    def _finish(self, fill: "_Fill") -> _Tables:
        tables = fill.tally.freeze()
        if self._fill is fill:
            self._fill = None
        if not self.abandoned and tables.size <= self._bound(fill):
            self._tables, self._root = tables, fill.root
        else:
            self._abandon()
        return tables

    def _abandon(self) -> None:
        self._tables = self._root = self._fill = None
        self.abandoned = True


class _Fill:
    """A walk of a whole document into a :class:`_Tally`, a step at a time: it may stop between
    two steps and go on later, in any thread (one at a time)."""

    __slots__ = ("_lazy", "_steps", "entered", "gathered", "root", "tally")

    def __init__(self, root: Any):
        self.root = root
        self.tally = _Tally()
        self.gathered: tuple[list, ...] = ([], [], [], [], [], [])
        self.entered = 0
        self._lazy: list = []
        self._steps = _gather([[root]], self.gathered, sys.maxsize, True, None, self._lazy)

    @property
    def sectioned(self) -> bool:
        """Whether the walk met a big save's unparsed part (its texts are the index's alone)."""
        return bool(self._lazy)

    def step(self) -> bool:
        """Walk on ~:data:`CHECK_EVERY` entries and tally them; False once the walk is done."""
        taken = 0
        more = False
        for n in self._steps:
            taken += n
            if taken >= CHECK_EVERY:
                more = True
                break
        self.entered += taken
        self.tally.add(*self.gathered)
        return more


def _no_poll() -> None:
    pass


def _gather(stack: list, gathered: tuple[list, ...], small: int, scalars: bool,
            big_object: Callable[[dict], None] | None, lazy: list | None = None) -> Iterator[int]:
    """Gather what is below the containers on ``stack`` into ``gathered`` (keys, strings,
    floats, ints, true/false/null, others — the lists :meth:`_Tally.add` takes): the keys of
    objects of at most ``small`` keys (a bigger one goes to ``big_object`` instead, when given)
    and, when ``scalars``, the scalars by type. Yields the entries taken since its last yield,
    about every :data:`CHECK_EVERY` entries and at the end. Each container's entries are taken
    in a local loop: scalars never go through the stack. ``lazy`` gets each big save's unparsed
    part met (a :class:`LazyContainer`, parsed a run at a time)."""
    keylist, strs, floats, ints, words, others = gathered
    pop, push = stack.pop, stack.append
    add_str, add_float, add_int, add_word, add_other = (
        strs.append, floats.append, ints.append, words.append, others.append)
    gather = keylist.extend
    check = CHECK_EVERY
    taken = 0
    while stack:
        v = pop()
        n = len(v)
        if type(v) is dict:
            if n <= small:
                gather(v)
            elif big_object is not None:
                big_object(v)
            v = v.values()
        if n > check:  # a huge container: a slice at a time
            v = list(v)
            stack.extend(v[i:i + check] for i in range(0, n, check))
            continue
        taken += n
        if scalars:
            for x in v:
                t = type(x)
                if t is str:
                    add_str(x)
                elif t is float:
                    add_float(x)
                elif t is int:
                    add_int(x)
                elif t is dict or t is list:
                    push(x)
                elif t is bool or x is None:
                    add_word(x)
                elif t is LazyContainer:  # a big save's unparsed part: a run parsed at a time
                    if lazy is not None:
                        lazy.append(x)
                    for part in x.iter_runs():
                        yield from _gather([part], gathered, small, scalars, big_object, lazy)
                else:
                    add_other(x)
        else:
            for x in v:
                t = type(x)
                if t is dict or t is list:
                    push(x)
                elif t is LazyContainer:
                    if lazy is not None:
                        lazy.append(x)
                    for part in x.iter_runs():
                        yield from _gather([part], gathered, small, scalars, big_object, lazy)
        if taken >= check:
            yield taken
            taken = 0
    if taken:
        yield taken


class _LazyMembers:
    """``(key or index, value)`` of a :class:`LazyContainer`'s members, parsing a run at a time,
    with the ``__length_hint__`` the walk's progress reads."""

    __slots__ = ("_left", "_members")

    def __init__(self, container: LazyContainer):
        self._members = container.iter_members()
        self._left = len(container)

    def __iter__(self) -> "_LazyMembers":
        return self

    def __next__(self) -> tuple[Any, Any]:
        item = next(self._members)
        self._left -= 1
        return item

    def __length_hint__(self) -> int:
        return self._left


_float_eq = float.__eq__


# --------------------------------------------------------------------------- the walk
# A path during the walk is a cons cell (parent_cell, key) — O(1) to extend at any depth;
# only hits are turned into tuples. The root's cell is (_TOP, <anything>).
_TOP = object()
_NO_KEY = object()
_MISS = object()

#: nesting levels walked by recursion before the walk continues from an explicit stack
RECURSION_SPAN = 200
#: objects of at most this many keys have their keys tested through a memo (the same few keys
#: recur in thousands of records); bigger ones (maps by id) test their keys joined first
_SMALL_OBJECT = 64
#: entries of each per-search memo (keys, regex results by text, number texts)
_MEMO_SIZE = 1 << 16
#: JSON text pre-filtered between two polls (when whole subtrees are skipped)
_POLL_BYTES = 1 << 20
#: entries of a wide container pre-filtered together (one orjson call for the whole run)
_RUN = 32
#: a pre-filter that lets through more than this share of a container's children (runs) is
#: turned off for that container
_PREFILTER_WINDOW, _PREFILTER_MAX_PASS = 64, 40
_RUN_WINDOW, _RUN_MAX_PASS = 8, 5


class _Stop(Exception):
    """``stop`` matches were counted: unwinds the walk. On the way up each container being walked
    adds its resume tuple to ``frames`` (innermost first); ``pending`` is the value whose key was
    the last match (not tested or walked yet), else ``_MISS``."""

    def __init__(self, pending: Any = _MISS):
        super().__init__()
        self.pending = pending
        self.frames: list[tuple] = []


def _materialize(cell: tuple, key: Any) -> JsonPath:
    keys = [] if key is _NO_KEY else [key]
    parent, k = cell
    while parent is not _TOP:
        keys.append(k)
        parent, k = parent
    keys.reverse()
    return tuple(keys)


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
    index: "SearchIndex | None" = None,
) -> SearchResult:
    """Find ``query`` in the keys and/or scalar values of ``root``, in document order.

    Values are strings (matched without quotes), numbers (as their ``repr``, e.g. ``72.5``),
    ``true``/``false`` and ``null``; containers themselves never match. Dict keys match
    when ``keys`` is set; list indices never do. ``root`` is a parsed JSON value (dicts with
    string keys, lists, str, int, float, bool, None).

    ``hits`` holds the first ``limit`` matches; ``total_matches`` counts all of them (the
    walk goes on counting after the cap, so the total is exact). Pass ``stop_at`` to stop
    walking once that many matches were counted: ``total_is_lower_bound`` then says the
    total is only "≥".

    About every :data:`CHECK_EVERY` nodes ``cancelled()`` is polled (True raises
    :class:`SearchCancelled`) and ``progress(visited, estimate, text)`` is called, where
    ``estimate`` is the total extrapolated from the walk's position in the document (exact
    at the end). ``nodes_visited`` counts the nodes looked at one by one: a subtree the
    pre-filter rules out (see above) counts as its root only.

    ``index``: the document's :class:`SearchIndex` (one per document, kept by the caller between
    searches). Once ``limit`` hits are kept, the total then comes from the index — filled by the
    first search that gets there, a walk of the whole document — instead of a walk of the rest.

    Raises :class:`InvalidSearchPattern` (a ValueError) for a bad regular expression.
    """
    result = SearchResult(query=query)
    if not query or not (keys or values):
        return result
    match = compile_matcher(query, regex=regex, case_sensitive=case_sensitive)
    # the string test, inline below: 0 = ``needle in s``, 1 = ``needle in fold(s)``, 2 = regex
    needle, fold = _folding(query, case_sensitive)
    mode = 2 if regex else (0 if fold is None else 1)
    if regex:
        numbers_ok, words_ok = _regex_can_match_number(match), True
    else:
        numbers_ok, words_ok = _could_match_scalar_text(needle)
    test_numbers = values and numbers_ok
    test_words = values and words_ok
    # plain queries test numbers with a bare ``in``: number text is ASCII and lower case
    num_needle = needle
    hits = result.hits
    count = 0
    stop = stop_at if stop_at is not None and stop_at > 0 else -1

    def record(cell: tuple, key: Any, fld: str, value: Any) -> None:
        """Keep the ``count``-th match (already counted) while under ``limit``; stop at ``stop``."""
        if len(hits) < limit:
            path = _materialize(cell, key)
            if fld == "key":
                preview = f"{_clip(_one_line(str(key)), 60)}: {format_preview(value, PREVIEW_LEN - 20)}"
            elif type(value) is str:
                preview = _value_preview(value, match, regex, query, case_sensitive)
            else:
                preview = scalar_text(value)
            readable = None
            if type(value) is int or type(value) is float:
                readable = readable_time_value(None if key is _NO_KEY else key, value,
                                               parent_key=None if cell[0] is _TOP else cell[1])
            hits.append(SearchHit(path, fld, preview, readable))
        if count == stop:
            raise _Stop(value if fld == "key" else _MISS)

    def scalar_matches(value: Any) -> bool:
        t = type(value)
        if t is float:
            return test_numbers and bool(match(_float_text(value)))
        if t is int:
            return test_numbers and bool(match(_int_text(value)))
        if t is str:
            return values and bool(match(value))
        return test_words and bool(match(scalar_text(value)))

    rt = type(root)
    if rt is not dict and rt is not list and rt is not LazyContainer:
        if scalar_matches(root):
            count = 1
            try:
                record((_TOP, None), _NO_KEY, "value", root)
            except _Stop:
                result.total_is_lower_bound = True
        result.total_matches = count
        result.truncated = count > len(hits)
        result.nodes_visited = 1
        return result

    search = match
    part = _string_precheck(needle, mode, getattr(match, "__self__", None))
    pattern = getattr(match, "__self__", None) if regex else None
    key_probe, text_test = _prefilters(query, pattern, case_sensitive, test_numbers)
    # Once ``limit`` hits are kept the order of the rest no longer matters: the walk stops and the
    # total comes from the document's index, when there is one, else ``count_rest`` counts the rest
    # with a plain walk, tallying keys and values in bulk — for keys only, and for a regex that
    # numbers can match (``\d{3}7``: no literal rules numbers out, so the JSON-text pre-filter skips
    # next to nothing); without an index the others keep walking, skipping what the pre-filter
    # rules out.
    use_index = index is not None and not index.abandoned
    counting = stop < 0 and (use_index or not values or (mode == 2 and test_numbers))
    if counting:
        stop = max(limit, 1)
    str_values = values
    float_text, int_text = _float_text, _int_text
    dumps, sep_join = _dumps, _KEY_SEP.join
    wide = WIDE if text_test is not None else 0
    span = RECURSION_SPAN
    # per-search memos: key -> matches; regex result by string
    key_memo: dict = {}
    word_hits = {w: test_words and bool(match(scalar_text(w))) for w in (True, False, None)}
    texts: dict = {}
    # regex results by number, one memo per type (1 and 1.0 are equal keys with different texts):
    # counters, small ints, rounded values and time stamps recur
    float_hits: dict = {}
    int_hits: dict = {}

    def key_hits(obj: dict) -> dict | None:
        """Whether each key of a big object matches (None when none does). The keys are
        joined and searched once; only keys holding the probe's literal are tested."""
        if key_probe is not None:
            try:
                joined = sep_join(obj)
            except TypeError:  # keys that are not strings
                joined = None
            probe = key_probe(joined) if joined is not None and joined.count(_KEY_SEP) == len(obj) - 1 else None
            if probe is not None and _KEY_SEP not in probe[1]:
                text, literal = probe
                pos = text.find(literal)
                if pos < 0:
                    return None
                found = dict.fromkeys(obj, False)
                while pos >= 0:
                    start = joined.rfind(_KEY_SEP, 0, pos) + 1
                    end = joined.find(_KEY_SEP, pos)
                    if end < 0:
                        end = len(joined)
                    key = joined[start:end]
                    if match(key):
                        found[key] = True
                    pos = text.find(literal, end)
                return found
        found = {k: type(k) is str and bool(match(k)) for k in obj}
        return found if any(found.values()) else None

    # progress: the containers of at least ``WIDE`` entries on the way down, with their plain
    # iterators, whose ``__length_hint__`` says how many children are left
    sizes: list[int] = []
    bases: list[Iterator] = []
    entered = 1  # root + every child of every entered container
    next_poll = CHECK_EVERY
    skipped = 0  # entries the pre-filter ruled out with their subtrees
    unpolled = 0  # entries of wide containers taken since the last poll
    dumped = 0  # bytes of JSON text pre-filtered since the last poll

    def runs(items: Iterator, is_dict: bool, prefilter: bool) -> Iterator:
        """The entries of a wide container, :data:`_RUN` at a time: a run whose JSON text
        cannot hold a match is skipped whole; polls between runs."""
        nonlocal skipped, unpolled
        tries = passes = 0
        while True:
            run = list(islice(items, _RUN))
            if not run:
                return
            unpolled += len(run)
            if unpolled >= CHECK_EVERY:
                unpolled = 0
                poll()
            if prefilter:
                try:
                    text = dumps(dict(run) if is_dict else list(map(_second, run)))
                except TypeError:  # ints beyond 64 bits, nesting beyond orjson's: walk it
                    pass
                else:
                    tries += 1
                    if not text_test(text):
                        skipped += len(run)
                        continue
                    passes += 1
                    if tries == _RUN_WINDOW:  # lets most through: not worth its cost here
                        prefilter = passes <= _RUN_MAX_PASS
                        tries = passes = 0
            yield from run

    def visited() -> int:
        return entered - sum(b.__length_hint__() for b in bases)

    def estimated_total() -> int:
        """The document's node count extrapolated from the walk's position in it."""
        done = visited()
        frac, width = 0.0, 1.0
        for size, base in zip(sizes, bases):
            gone = size - base.__length_hint__() - 1  # siblings finished before the current one
            frac += width * max(gone, 0) / size
            width /= size
        frac = min(frac, 1.0)
        return max(done, int(done / frac)) if frac > 0 else entered

    def poll() -> None:
        if cancelled is not None and cancelled():
            raise SearchCancelled()
        if progress is not None:
            progress(visited(), estimated_total(), f"{count:,} matches so far")

    def scan(container: Any, cell: tuple, depth: int, resume: tuple | None = None) -> list | None:
        """Test the entries of one container, descending in document order.

        Returns None when done, or — when the nesting got :data:`RECURSION_SPAN` levels
        deeper than where this recursion started — the ``resume`` tuples to go on with,
        innermost first (the walk's explicit stack takes over from there).
        """
        nonlocal count, entered, next_poll, skipped, dumped
        if resume is None:
            size = len(container)
            is_dict = type(container) is dict
            if is_dict:
                items: Iterator = iter(container.items())
                base = items
                if not keys:
                    found = None
                elif size <= _SMALL_OBJECT:
                    found = key_memo
                else:
                    found = key_hits(container)
            elif type(container) is LazyContainer:  # a big save's unparsed part: a run parsed at a time
                is_dict = container.is_dict
                items = base = _LazyMembers(container)
                found = key_memo if keys and is_dict else None
            else:
                base = iter(container)
                items = enumerate(base)
                found = None
            entered += size
            prefilter = 0 < wide <= size
            tracked = size >= WIDE
            if tracked:
                sizes.append(size)
                bases.append(base)
                if prefilter or size > CHECK_EVERY:
                    items = runs(items, is_dict, prefilter)
            if entered >= next_poll:
                next_poll = entered + CHECK_EVERY
                poll()
        else:
            items, cell, found, prefilter, tracked = resume
        tries = passes = 0
        try:
            for key, value in items:
                if found is not None:
                    try:
                        hit = found[key]
                    except KeyError:  # a key not met before (only ``key_memo`` lacks keys)
                        hit = key_memo[key] = type(key) is str and bool(match(key))
                        if len(key_memo) > _MEMO_SIZE:
                            key_memo.clear()
                    if hit:
                        count += 1
                        if count <= limit or count == stop:
                            record(cell, key, "key", value)
                t = type(value)
                if t is str:
                    if not str_values:
                        continue
                    if mode == 0:
                        if needle not in value:
                            continue
                    elif mode == 1:
                        if (part is not None and part not in value) or needle not in fold(value):
                            continue
                    else:
                        if part is not None and part not in value:
                            continue
                        hit = texts.get(value)
                        if hit is None:
                            hit = search(value) is not None
                            if len(texts) < _MEMO_SIZE:
                                texts[value] = hit
                        if not hit:
                            continue
                elif t is float:
                    if not test_numbers:
                        continue
                    if mode != 2:
                        if num_needle not in float_text(value):
                            continue
                    else:
                        hit = float_hits.get(value)
                        if hit is None:
                            hit = search(float_text(value)) is not None
                            # 0.0 and -0.0 are one key with two texts
                            if value and len(float_hits) < _MEMO_SIZE:
                                float_hits[value] = hit
                        if not hit:
                            continue
                elif t is int:
                    if not test_numbers:
                        continue
                    if mode != 2:
                        if num_needle not in int_text(value):
                            continue
                    else:
                        hit = int_hits.get(value)
                        if hit is None:
                            hit = search(int_text(value)) is not None
                            if len(int_hits) < _MEMO_SIZE:
                                int_hits[value] = hit
                        if not hit:
                            continue
                elif value is None or t is bool:
                    if not word_hits[value]:
                        continue
                elif t is dict or t is list or t is LazyContainer:
                    if not value:
                        continue
                    if prefilter:  # (orjson refuses a LazyContainer: walked)
                        try:
                            text = dumps(value)
                        except TypeError:  # ints beyond 64 bits, nesting beyond orjson's: walk it
                            pass
                        else:
                            tries += 1
                            dumped += len(text)
                            if dumped >= _POLL_BYTES:  # skipping big subtrees: stay responsive
                                dumped = 0
                                poll()
                            if not text_test(text):
                                skipped += 1
                                continue
                            passes += 1
                            if tries == _PREFILTER_WINDOW:  # lets most through: not worth its cost here
                                prefilter = passes <= _PREFILTER_MAX_PASS
                                tries = passes = 0
                    if depth < span:
                        more = scan(value, (cell, key), depth + 1)
                        if more is not None:
                            more.append((items, cell, found, prefilter, tracked))
                            return more
                    else:
                        return [(value, (cell, key)), (items, cell, found, prefilter, tracked)]
                    continue
                elif not (test_words and match(scalar_text(value))):
                    continue
                count += 1
                if count <= limit or count == stop:
                    record(cell, key, "value", value)
        except _Stop as stopped_here:  # keep where this container was: the walk may go on (counting)
            stopped_here.frames.append((items, cell, found, prefilter, tracked))
            raise
        if tracked:
            sizes.pop()
            bases.pop()
        return None

    # ---- counting past the kept hits (see "counting in bulk" above)
    if mode == 2:
        def string_tests(texts: list) -> Iterator:
            return map(search, texts)

        number_tests = string_tests
    else:
        def string_tests(texts: list) -> Iterator:
            return map(_contains, texts if fold is None else map(fold, texts), repeat(needle))

        def number_tests(texts: list) -> Iterator:
            return map(_contains, texts, repeat(num_needle))

    def other_tests(texts: list) -> Iterator:
        return map(match, texts)

    def tables_total(tables: _Tables, on_poll: Callable[[], None]) -> int:
        n = 0
        if keys:
            n += _table_total(tables.keys, string_tests, on_poll)
        if values:
            n += _table_total(tables.strs, string_tests, on_poll)
            if test_numbers:
                n += _table_total(tables.ints, number_tests, on_poll)
                n += _table_total(tables.floats, number_tests, on_poll)
                if tables.zeros and (match("0.0") if mode == 2 else num_needle in "0.0"):
                    n += tables.zeros
                if tables.negative_zeros and (match("-0.0") if mode == 2 else num_needle in "-0.0"):
                    n += tables.negative_zeros
            n += sum(c for w, c in tables.words.items() if word_hits[w])
            if test_words:
                n += _table_total(tables.others, other_tests, on_poll)
        return n

    keylist: list = []  # what the walks gather, by kind, between two flushes
    strs: list = []
    floats: list = []
    ints: list = []
    words: list = []
    others: list = []
    gathered = (keylist, strs, floats, ints, words, others)

    def big_object_hits(obj: dict) -> int:
        found = key_hits(obj)
        return 0 if found is None else sum(found.values())

    def big_object(obj: dict) -> None:
        nonlocal count
        count += big_object_hits(obj)

    def walk(stack: list, small: int, flush: Callable[[], None], scalars: bool) -> None:
        """Gather what is below the containers on ``stack`` (:func:`_gather`); ``flush()``
        every poll."""
        nonlocal entered, next_poll
        for taken in _gather(stack, gathered, small, scalars, big_object if keys else None):
            entered += taken
            if entered >= next_poll:
                next_poll = entered + CHECK_EVERY
                flush()

    def count_rest(resumes: Iterator[tuple]) -> None:
        """Count the matches of what the walk has not seen yet, in any order: ``resumes`` are the
        walk's resume tuples (innermost first) and ``(value, cell)`` pairs of what is not entered
        yet. Keys and scalars are gathered and tallied (:class:`_Tally`); the tally is totalled
        whenever it grows past a bound (memory stays bounded) and at the end."""
        nonlocal count, entered
        tally = [_Tally()]
        bound = 4 * _MEMO_SIZE

        def key_matches() -> int:
            """The gathered keys that match: each distinct key tested once (``key_memo``), then
            the matching ones counted in C (records repeat a few keys: cheaper than a tally)."""
            distinct = list(set(keylist))
            for k in set(distinct).difference(key_memo):
                key_memo[k] = type(k) is str and bool(match(k))
            matching = list(compress(distinct, map(key_memo.__getitem__, distinct)))
            if len(key_memo) > _MEMO_SIZE:
                key_memo.clear()
            n = 0
            if matching:
                n = (sum(map(keylist.count, matching)) if len(matching) <= 8 else
                     sum(map(set(matching).__contains__, keylist)))
            keylist.clear()
            return n

        def flush() -> None:
            nonlocal count
            if keylist:
                count += key_matches()
            tally[0].add(*gathered)
            if tally[0].size() > bound:
                count += tables_total(tally[0].freeze(), poll)
                tally[0] = _Tally()
            poll()

        small = _SMALL_OBJECT if keys else -1
        for frame in resumes:
            if len(frame) == 2:  # not entered (or tested) yet
                entered -= 1  # counted with its container's entries; the walk counts it again
                walk([[frame[0]]], small, flush, values)
                continue
            items, _cell, found, _prefilter, tracked = frame
            while True:  # a run at a time: the progress follows the container's iterator
                run = list(islice(items, _RUN))
                if not run:
                    break
                if found is not None:
                    for key, _value in run:
                        hit = found.get(key)
                        if hit is None:  # a key not met before (only ``key_memo`` lacks keys)
                            hit = key_memo[key] = type(key) is str and bool(match(key))
                            if len(key_memo) > _MEMO_SIZE:
                                key_memo.clear()
                        if hit:
                            count += 1
                entered -= len(run)  # counted when the container was entered
                walk([list(map(_second, run))], small, flush, values)
            if tracked:
                sizes.pop()
                bases.pop()
        if keylist:
            count += key_matches()
        tally[0].add(*gathered)
        count += tables_total(tally[0].freeze(), poll)

    def fill_index(index: SearchIndex) -> int:
        """The document's total, from ``index`` once it is filled: the search takes over the
        index's filling walk where it is (begun in the background, or not yet), so the document
        is never walked twice. An index that outgrows its bound is dropped (``abandoned``) and
        the walk goes on totalling its tally whenever it grows past the bound, as
        ``count_rest`` does. Cancelled, the walk so far stays with the index."""
        total = 0
        estimate = max(estimated_total(), 1)
        with index._lock:
            if index._fits(root):  # filled meanwhile
                return tables_total(index._tables, poll)
            fill = index._filling(root) if not index.abandoned else _Fill(root)
            while index._step(fill):
                if fill.tally.size() > index._bound(fill):
                    index._abandon()
                    total += tables_total(fill.tally.freeze(), _no_poll)
                    fill.tally = _Tally()
                if cancelled is not None and cancelled():
                    raise SearchCancelled()
                if progress is not None:
                    progress(fill.entered, max(fill.entered, estimate), "Counting matches…")
            tables = index._finish(fill)
        return total + tables_total(tables, poll)

    def remaining(stopped_at: _Stop) -> Iterator[tuple]:
        if stopped_at.pending is not _MISS:  # its key was the last hit kept
            yield (stopped_at.pending, None)
        yield from stopped_at.frames
        while frames:
            yield frames.pop()

    stopped = False
    frames: list[tuple] = []
    try:
        more = scan(root, (_TOP, None), 0)
        while True:
            if more is not None:
                frames.extend(reversed(more))
            if not frames:
                break
            frame = frames.pop()
            more = scan(*frame, 0) if len(frame) == 2 else scan(None, None, 0, frame)
    except _Stop as stopped_at:
        if counting:
            if use_index:  # the whole document's total, from its index (filled first if need be)
                count = tables_total(index._tables, poll) if index._fits(root) else fill_index(index)
                entered = visited()
            else:
                count_rest(remaining(stopped_at))
        else:
            stopped = True
    if cancelled is not None and cancelled():
        raise SearchCancelled()
    result.total_matches = count
    result.truncated = count > len(hits)
    result.total_is_lower_bound = stopped
    result.nodes_visited = visited() if stopped else entered
    result.subtrees_skipped = skipped
    if progress is not None:
        progress(result.nodes_visited, result.nodes_visited, f"{result.nodes_visited:,} nodes searched")
    return result


_second = itemgetter(1)
_contains = str.__contains__
_float_text = float.__repr__
_int_text = int.__repr__
