"""How two versions of one array are lined up before they are compared (no Qt).

The game's saves hold three kinds of arrays, and each needs its own matching so a diff
reads like what happened in play rather than "every index shifted":

* records with a unique id-like key (inventory items, routes, restrictions, case
  objectives, ...) and sets of unique strings (abilities, completed steps) — matched by
  key, so an item inserted in the middle is one "added" entry;
* append-only capped buffers (attitudeHistory, changeLog, promptHistory, ...) — the
  oldest entries fall off the front as new ones are appended (``npcAvailabilityHistory``
  is newest first, so it grows at the front and loses its tail);
* anything else — compared index by index.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Callable, Sequence

VALUE_KEY = "\x00value"  # sentinel: an array of unique strings matched by the strings themselves

# Keys the game uses as record ids, most specific first after "id".
PREFERRED_KEYS = (
    "id", "stepId", "npcId", "factionId", "questId", "objectiveId", "itemId", "districtId",
    "restrictionId", "routeId", "evidenceId", "clueId", "caseId", "testimonyId", "flagId",
    "beatId", "assetId", "cinematicId", "factId", "key", "name",
)
_MAX_SHIFT_TRIES = 32


def _candidate_keys(first: dict) -> list[str]:
    keys = [k for k in PREFERRED_KEYS if k in first]
    keys += [k for k in first if isinstance(k, str) and k not in keys and (k.endswith("Id") or k.endswith("_id"))]
    return keys


def _unique_key(items: Sequence[Any], key: str, seen: set) -> bool:
    for e in items:
        if type(e) is not dict:
            return False
        v = e.get(key, seen)  # ``seen`` doubles as a "missing" marker
        if v is seen or not (type(v) is str or type(v) is int) or v in seen:
            return False
        seen.add(v)
    return True


def match_key(a: Sequence[Any], b: Sequence[Any]) -> str | None:
    """The key that identifies every element of both arrays uniquely, or None.

    Returns :data:`VALUE_KEY` for arrays made only of unique strings.
    """
    if not a or not b:
        return None
    first = a[0]
    if type(first) is str:
        if all(type(e) is str for e in a) and all(type(e) is str for e in b) \
                and len(set(a)) == len(a) and len(set(b)) == len(b):
            return VALUE_KEY
        return None
    if type(first) is not dict:
        return None
    for key in _candidate_keys(first):
        if _unique_key(a, key, set()) and _unique_key(b, key, set()):
            return key
    return None


def stable_positions(seq: Sequence[int]) -> set[int]:
    """Positions (into ``seq``) of one longest increasing subsequence.

    Elements outside it are the ones that "moved"; everything else kept its relative order.
    """
    tails: list[int] = []       # seq value at the end of the best run of each length
    tail_pos: list[int] = []    # position of that value
    prev = [-1] * len(seq)
    for pos, v in enumerate(seq):
        n = bisect.bisect_left(tails, v)
        if n == len(tails):
            tails.append(v)
            tail_pos.append(pos)
        else:
            tails[n] = v
            tail_pos[n] = pos
        prev[pos] = tail_pos[n - 1] if n else -1
    keep: set[int] = set()
    pos = tail_pos[-1] if tail_pos else -1
    while pos >= 0:
        keep.add(pos)
        pos = prev[pos]
    return keep


def fewest_odd_moves(pairs: Sequence[tuple[int, int]]) -> set[int]:
    """Positions of ``pairs`` ((old index, new index) in new order) that did not move.

    Of the two longest-increasing-subsequence tie-breaks (latest / earliest), keep the one
    that reports fewer elements as "moved" while they kept their index — so an element
    that stayed put is not blamed for a neighbour's move.
    """
    olds = [i for i, _ in pairs]
    stay = stable_positions(olds)
    if len(stay) == len(olds):
        return stay
    last = len(olds) - 1
    alt = {last - p for p in stable_positions([-v for v in reversed(olds)])}

    def same_index_moves(keep: set[int]) -> int:
        return sum(1 for n, (i, j) in enumerate(pairs) if n not in keep and i == j)

    return alt if same_index_moves(alt) < same_index_moves(stay) else stay


@dataclass(frozen=True)
class BufferShift:
    """A capped buffer that moved along: ``added`` new entries, ``dropped`` old ones.

    ``at_front`` False: oldest first (append at the end, drop from the front);
    True: newest first (insert at the front, drop from the end).
    """

    added: int
    dropped: int
    at_front: bool = False

    def describe(self) -> str:
        if self.at_front:
            text = f"{self.added} entr{'y' if self.added == 1 else 'ies'} added at the front"
            return text + (f", {self.dropped} dropped from the end" if self.dropped else "")
        text = f"{self.added} entr{'y' if self.added == 1 else 'ies'} appended"
        return text + (f", {self.dropped} dropped from the front" if self.dropped else "")

    def dropped_indices(self, len_a: int) -> range:
        return range(len_a - self.dropped, len_a) if self.at_front else range(self.dropped)

    def added_indices(self, len_b: int) -> range:
        return range(self.added) if self.at_front else range(len_b - self.added, len_b)


def _overlap(a, a0: int, b, b0: int, n: int, same: Callable[[Any, Any], bool]) -> bool:
    if not (same(a[a0], b[b0]) and same(a[a0 + n - 1], b[b0 + n - 1])):
        return False
    return all(same(a[a0 + k], b[b0 + k]) for k in range(1, n - 1))


def buffer_shift(a: Sequence[Any], b: Sequence[Any], same: Callable[[Any, Any], bool]) -> BufferShift | None:
    """Detect an append-only buffer that gained entries (and maybe lost old ones).

    Only reported when it explains the change better than index matching: something
    was added, and at least one entry survived in a shifted or extended position.
    """
    la, lb = len(a), len(b)
    if not la or not lb:
        return None
    # Oldest first: b == a[m:] + new
    tries = 0
    for m in range(la):
        n = la - m
        if n > lb or not same(a[m], b[0]):
            continue
        tries += 1
        if _overlap(a, m, b, 0, n, same):
            if lb - n > 0:
                return BufferShift(added=lb - n, dropped=m)
            break
        if tries >= _MAX_SHIFT_TRIES:
            break
    # Newest first: b == new + a[:lb - p]
    tries = 0
    for p in range(1, lb):
        n = min(la, lb - p)
        if not same(b[p], a[0]):
            continue
        tries += 1
        if _overlap(a, 0, b, p, n, same):
            return BufferShift(added=p, dropped=la - n, at_front=True)
        if tries >= _MAX_SHIFT_TRIES:
            break
    return _replaced_by_time(a, b)


TIME_KEYS = ("timestamp", "occurredAt", "recordedAt", "removedAt", "updatedAt", "completedAt", "startedAt")


def _times(items: Sequence[Any], key: str) -> list | None:
    out = []
    for e in items:
        t = e.get(key) if type(e) is dict else None
        if type(t) not in (int, float):
            return None
        out.append(t)
    return out


def _replaced_by_time(a: Sequence[Any], b: Sequence[Any]) -> BufferShift | None:
    """A history that wrapped completely: every entry of ``b`` is newer than all of ``a``.

    Without this, a buffer that received more entries than its cap would be compared
    index by index and read as "every old entry was edited".
    """
    if type(a[0]) is not dict:
        return None
    for key in TIME_KEYS:
        if key not in a[0]:
            continue
        ta, tb = _times(a, key), _times(b, key)
        if ta is None or tb is None or min(tb) <= max(ta):
            continue
        if all(x <= y for x, y in zip(ta, ta[1:])) and all(x <= y for x, y in zip(tb, tb[1:])):
            return BufferShift(added=len(b), dropped=len(a))
        if all(x >= y for x, y in zip(ta, ta[1:])) and all(x >= y for x, y in zip(tb, tb[1:])):
            return BufferShift(added=len(b), dropped=len(a), at_front=True)
    return None
