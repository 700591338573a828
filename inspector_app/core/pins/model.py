"""A followed value ("pin"): a JSON path into a save whose array steps name records by identity.

``$.gameData.inventory.items[id=credits].quantity`` follows the credits item wherever it sits in
the list of each save, as the structural diff lines records up (``core.diff.arrays.match_key``,
the one rule: the first id-like key that is unique in the array, or the strings themselves for
an array of unique strings). Only an array without such a key is followed by position
(``attitudeHistory[3]``), and the pin's label says "by position".

A pin may also follow the *size* of a container (``count($.gameData.cases.cases.c1.collectedEvidence)``):
the evidence count of a case, for example.

No Qt here.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterable

import orjson

from inspector_app.core.common.jsfmt import js_number
from inspector_app.core.common.jsonpath import JsonKey, format_path, parse_path, quote_key
from inspector_app.core.common.textsafe import visible
from inspector_app.core.common.timefmt import time_key_kind
from inspector_app.core.diff.arrays import VALUE_KEY, match_key
from inspector_app.core.diff.structural import ItemKey

__all__ = ["MISSING", "Composite", "Match", "Pin", "PinError", "concrete_path", "pin_from_node", "resolve",
           "value_kind", "value_text"]


class _Missing:
    """The value of a pin in a save that does not have it (drawn as a gap)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class PinError(ValueError):
    """A pin that cannot be made or read (names the path and the place)."""


_BARE_VALUE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:")


class Match(ItemKey):
    """An array step that names its element by identity: ``[id=credits]``, ``[stepId="a b"]``,
    ``[=welcome]`` (an array of unique strings: the element equal to ``welcome``).

    A :class:`~inspector_app.core.diff.structural.ItemKey` (the diff's display component) whose
    text reads back unambiguously: integers bare, strings bare only when they are a plain token
    that is not all digits, else as a JSON string."""

    __slots__ = ()

    def __str__(self) -> str:
        value = self.value
        if type(value) is int:
            text = str(value)
        else:
            s = str(value)
            digits = s[1:] if s.startswith("-") else s
            plain = bool(s) and all(c in _BARE_VALUE for c in s) and not (digits.isdigit() and digits.isascii())
            text = s if plain else quote_key(s)
        return f"[{self.name}={text}]"

    @property
    def by_value(self) -> bool:
        return self.name == ""

    def finds(self, element: Any) -> bool:
        """True when ``element`` is the one this step names (same type: 1 is not "1" nor True)."""
        if self.by_value:
            return type(element) is type(self.value) and element == self.value
        if type(element) is not dict:
            return False
        v = element.get(self.name, MISSING)
        return type(v) is type(self.value) and v == self.value


Step = str | int | Match


def _keyed(name: str, value: JsonKey) -> Match:
    return Match(name, value)


@dataclass(frozen=True)
class Pin:
    """A followed value. Equal pins follow the same thing (``label`` is only its display name)."""

    steps: tuple[Step, ...]
    count: bool = False
    label: str = ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pin) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def path_text(self) -> str:
        """``$.gameData.factions.byId.wraith_network.fame`` (keyed steps as ``[id=…]``)."""
        return format_path(self.steps)

    @property
    def key(self) -> str:
        """The pin's text, what settings store: the path, or ``count(path)``."""
        return f"count({self.path_text})" if self.count else self.path_text

    def __str__(self) -> str:
        return self.key

    @property
    def by_position(self) -> bool:
        """Some array step is an index (that array has no identity field)."""
        return any(type(s) is int for s in self.steps)

    @property
    def display_label(self) -> str:
        """The label, or one made from the path; says "by position" when an index is followed."""
        text = self.label or default_label(self.steps, self.count)
        if self.by_position and "by position" not in text:
            text += " (by position)"
        return text

    @property
    def time_kind(self) -> str | None:
        """What the followed number means by its key (``core.common.timefmt.time_key_kind``):
        ``"playtime"``, ``"duration"``, ``"timestamp"`` or None; counts are plain numbers."""
        if self.count or not self.steps or not isinstance(self.steps[-1], str):
            return None
        parent = self.steps[-2] if len(self.steps) > 1 and isinstance(self.steps[-2], str) else None
        return time_key_kind(self.steps[-1], parent)

    def with_label(self, label: str) -> Pin:
        return Pin(self.steps, self.count, label)

    @classmethod
    def parse(cls, text: str, label: str = "") -> Pin:
        """Read what :attr:`key` wrote. Raises :class:`PinError` naming the column."""
        raw = text.strip()
        count = raw.startswith("count(") and raw.endswith(")")
        inner = raw[6:-1] if count else raw
        try:
            steps = parse_path(inner, keyed=_keyed)
        except ValueError as exc:
            raise PinError(f"not a followed value: {exc}") from None
        return cls(tuple(steps), count, label)


def default_label(steps: Iterable[Step], count: bool = False) -> str:
    """``factions › wraith_network › fame``: the path without ``gameData`` and without the
    store's ``byId`` level, keyed steps by their identity."""
    words: list[str] = []
    for s in steps:
        if isinstance(s, Match):
            words.append(visible(s.value) if isinstance(s.value, str) else str(s.value))
        elif type(s) is int:
            words.append(f"#{s}")
        elif s not in ("gameData", "byId"):
            words.append(visible(s))
    text = " › ".join(words) or "whole save"
    return f"{text} (count)" if count else text


def pin_from_node(payload: Any, path: Iterable[JsonKey], *, count: bool = False, label: str = "") -> Pin:
    """The pin of the node at ``path`` (keys and indices, as the tree gives them) in ``payload``.

    Array steps become :class:`Match` steps by the diff's identity rule; an array with no
    identity field keeps the index. Raises :class:`PinError` when the path is not in ``payload``."""
    steps: list[Step] = []
    node = payload
    done: list[JsonKey] = []
    for part in path:
        if type(node) is list and type(part) is int:
            if not 0 <= part < len(node):
                raise PinError(f"{format_path(done)} has no element [{part}]")
            element = node[part]
            key = match_key(node, node)
            if key == VALUE_KEY:
                steps.append(Match("", element))
            elif key is not None:
                steps.append(Match(key, element[key]))
            else:
                steps.append(part)
            node = element
        elif type(node) is dict and isinstance(part, str):
            if part not in node:
                raise PinError(f"{format_path(done)} has no member {format_path([part])[1:]}")
            steps.append(part)
            node = node[part]
        else:
            raise PinError(f"{format_path(done)} is not a container with {format_path([part])[1:]}")
        done.append(part)
    if count and type(node) not in (list, dict):
        raise PinError(f"{format_path(done)} is not an array or object: nothing to count")
    return Pin(tuple(steps), count, label)


def resolve(payload: Any, pin: Pin) -> Any:
    """The pinned value in ``payload``, or :data:`MISSING` when the save does not have it."""
    node = payload
    for step in pin.steps:
        t = type(node)
        if isinstance(step, Match):
            if t is not list:
                return MISSING
            node = next((e for e in node if step.finds(e)), MISSING)
            if node is MISSING:
                return MISSING
        elif type(step) is int:
            if t is not list or not 0 <= step < len(node):
                return MISSING
            node = node[step]
        else:
            if t is not dict or step not in node:
                return MISSING
            node = node[step]
    if pin.count:
        return len(node) if type(node) in (list, dict) else MISSING
    return node


def concrete_path(payload: Any, pin: Pin) -> tuple[JsonKey, ...] | None:
    """The keys and indices of the pinned node in ``payload`` (what the tree reveals), or None."""
    node = payload
    out: list[JsonKey] = []
    for step in pin.steps:
        if isinstance(step, Match):
            if type(node) is not list:
                return None
            i = next((n for n, e in enumerate(node) if step.finds(e)), -1)
            if i < 0:
                return None
            out.append(i)
            node = node[i]
        elif type(step) is int:
            if type(node) is not list or not 0 <= step < len(node):
                return None
            out.append(step)
            node = node[step]
        else:
            if type(node) is not dict or step not in node:
                return None
            out.append(step)
            node = node[step]
    return tuple(out)


@dataclass(frozen=True)
class Composite:
    """An object or array value, kept as its size and a digest (never the subtree: a cached
    value of a parked slot must not hold the parsed slot)."""

    kind: str        # "object" | "array"
    size: int
    digest: str

    def __str__(self) -> str:
        if self.kind == "object":
            return f"{{{self.size} key{'s' if self.size != 1 else ''}}}"
        return f"[{self.size} item{'s' if self.size != 1 else ''}]"


def compact(value: Any) -> Any:
    """What a series keeps of a resolved value: scalars as they are, containers as :class:`Composite`."""
    t = type(value)
    if t is dict or t is list:
        try:
            digest = hashlib.blake2b(orjson.dumps(value, option=orjson.OPT_SORT_KEYS), digest_size=12).hexdigest()
        except (TypeError, orjson.JSONEncodeError):      # integers beyond 64 bits, lone surrogates
            digest = hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
        return Composite("object" if t is dict else "array", len(value), digest)
    return value


def value_kind(value: Any) -> str:
    """``missing`` | ``number`` | ``bool`` | ``string`` | ``null`` | ``object`` | ``array``."""
    if value is MISSING:
        return "missing"
    if type(value) is bool:
        return "bool"
    if type(value) in (int, float):
        return "number"
    if value is None:
        return "null"
    if isinstance(value, Composite):
        return value.kind
    return "string" if isinstance(value, str) else "other"


def value_text(value: Any, limit: int = 80) -> str:
    """How a followed value reads in a band, a tooltip or a list (untrusted text made visible)."""
    kind = value_kind(value)
    if kind == "missing":
        return "missing"
    if kind == "bool":
        return "true" if value else "false"
    if kind == "null":
        return "null"
    if kind == "number":
        try:
            return js_number(value)
        except (OverflowError, ValueError):
            return repr(value)
    text = visible(str(value))
    return text if len(text) <= limit else text[:limit - 1] + "…"
