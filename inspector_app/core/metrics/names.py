"""Series names that stay distinguishable when they must be shortened.

``gameloop-full-update-100-entities · mean`` and its 500/1000-entity siblings differ only in
the middle; eliding in the middle (what Qt does) hides exactly that part. Here names are cut
into tokens (runs of letters/digits and the separators between them); the tokens every name
shares at the start and at the end are the *common* part, the rest the *distinguishing* part.
Shortening removes common text first (start, then end) and never the distinguishing part
unless that alone is too long. Pure functions, no Qt: the legends, the Detected changes list,
the metric browser (through its delegate) and the box plot labels all use them.
"""
from __future__ import annotations

import re
from typing import Sequence

ELLIPSIS = "…"
_TOKEN = re.compile(r"[A-Za-z0-9]+|[^A-Za-z0-9]+")


def _tokens(name: str) -> list[str]:
    return _TOKEN.findall(name)


def common_affixes(names: Sequence[str]) -> tuple[int, int]:
    """(characters of the common start, characters of the common end) of the names, cut at
    token boundaries and never overlapping in the shortest name; (0, 0) for fewer than two
    distinct names."""
    distinct = list(dict.fromkeys(names))
    if len(distinct) < 2:
        return 0, 0
    toks = [_tokens(n) for n in distinct]
    shortest = min(len(t) for t in toks)
    p = 0
    while p < shortest and all(t[p] == toks[0][p] for t in toks):
        p += 1
    s = 0
    while s < shortest - p and all(t[-1 - s] == toks[0][-1 - s] for t in toks):
        s += 1
    first = toks[0]
    return len("".join(first[:p])), len("".join(first[len(first) - s:])) if s else 0


def elide_name(name: str, max_chars: int, prefix_len: int = 0, suffix_len: int = 0) -> str:
    """``name`` in at most ``max_chars`` characters, removing text from its common start
    (``prefix_len`` characters) and common end (``suffix_len``) before touching the part in
    between. Without affixes (or when the distinguishing part alone is too long) the text is
    elided in the middle of what remains."""
    if len(name) <= max_chars:
        return name
    max_chars = max(max_chars, 3)
    prefix_len = max(0, min(prefix_len, len(name)))
    suffix_len = max(0, min(suffix_len, len(name) - prefix_len))
    head, middle, tail = name[:prefix_len], name[prefix_len:len(name) - suffix_len], name[len(name) - suffix_len:]
    if not head and not tail:
        keep = max_chars - 1
        left = (keep + 1) // 2
        return name[:left] + ELLIPSIS + name[len(name) - (keep - left):]
    budget = max_chars - len(middle)
    if budget < 1 + (1 if head and tail else 0):          # the distinguishing part alone is too long
        inner = elide_name(middle, max_chars - (1 if head else 0) - (1 if tail else 0))
        return (ELLIPSIS if head else "") + inner + (ELLIPSIS if tail else "")
    # keep as much of the common end as fits (units and statistics live there), then of the start
    if head:
        budget -= 1                                          # room for the ellipsis of the start
    if len(tail) > budget:
        kept_tail = (ELLIPSIS + tail[len(tail) - (budget - 1):]) if budget > 1 else ELLIPSIS
        budget = 0
    else:
        kept_tail = tail
        budget -= len(tail)
    if len(head) <= budget + 1:                              # the whole start fits after all
        kept_head = head
    else:
        kept_head = head[:budget] + ELLIPSIS
    return kept_head + middle + kept_tail


def distinguishing_names(names: Sequence[str], max_chars: int) -> list[str]:
    """Each name shortened to ``max_chars`` so that different names stay different (the part
    they do not share is kept whole whenever it fits)."""
    p, s = common_affixes(names)
    return [elide_name(n, max_chars, p, s) for n in names]


def distinct_parts(names: Sequence[str]) -> list[str]:
    """What each name does not share with the others (``100``, ``500``, ``1000`` for the
    entity variants), trimmed of separators; whole names when there is nothing to compare."""
    p, s = common_affixes(names)
    if not p and not s:
        return list(names)
    out = []
    for n in names:
        part = n[p:len(n) - s].strip(" -_.·/") if len(n) - s > p else ""
        out.append(part or n)
    return out


def _common_prefix_tokens(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def neighbour_affixes(names: Sequence[str]) -> list[tuple[int, int]]:
    """For each name, the (common start, common end) it shares with its closest relatives:
    the names that begin with the most tokens in common with it (``…-100-entities`` and
    ``…-500-entities`` among unrelated siblings). Names with no relative get (0, 0)."""
    toks = [_tokens(n) for n in names]
    order = sorted(range(len(names)), key=lambda i: toks[i])
    lcp = [_common_prefix_tokens(toks[order[k]], toks[order[k + 1]]) for k in range(len(order) - 1)]
    out: list[tuple[int, int]] = [(0, 0)] * len(names)
    cache: dict[tuple[int, int], tuple[int, int]] = {}
    for k, i in enumerate(order):
        best = max(lcp[k - 1] if k > 0 else 0, lcp[k] if k < len(lcp) else 0)
        if best == 0:
            continue
        lo = k
        while lo > 0 and lcp[lo - 1] >= best:
            lo -= 1
        hi = k
        while hi < len(lcp) and lcp[hi] >= best:
            hi += 1
        if (lo, hi) not in cache:
            cache[(lo, hi)] = common_affixes([names[order[j]] for j in range(lo, hi + 1)])
        out[i] = cache[(lo, hi)]
    return out
