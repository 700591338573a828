"""JSON paths: the one formatter and parser, so one key always prints as one path.

Used by the world-state tree and details pane, search, the structural diff, the selection
export, the transcript's snapshot changes and the loader's problems.

Notation (JSONPath, RFC 9535 shapes): ``$`` is the root; an object member is ``.name`` when
``name`` is a plain identifier (letters — any script, ``café`` — digits, ``_``; not starting
with a digit: the intersection of RFC 9535's member-name shorthand and Unicode identifiers),
else ``["name"]`` with ``name`` as a JSON string (``$["$ref"]``, ``$["a.b"]``, ``$[""]``,
``$["q\\"uote"]``); an array element is ``[3]``. Display components that are neither key nor
index (the diff's keyed array elements, ``[id=credits]``) render themselves with ``str()``.

:func:`parse_path` reads what :func:`format_path` writes (and RFC 9535's single-quoted
``['name']``) back into keys and indices; with ``keyed=`` it also reads keyed array
elements ``[name=value]`` (value: an integer, a JSON string, or a bare token up to ``]``;
``name`` empty for arrays of unique strings matched by the string itself), as followed
values (``core/pins``) write them.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Iterable

import orjson

ROOT = "$"
JsonKey = str | int


def is_shorthand_name(key: str) -> bool:
    """True when ``key`` prints as ``.key`` (see the module docstring)."""
    return key.isidentifier() and key.isprintable()


def quote_key(key: str) -> str:
    """``key`` as a JSON string literal (double quotes, JSON escapes, non-ASCII kept)."""
    try:
        return orjson.dumps(key).decode("utf-8")
    except TypeError:  # lone surrogates: orjson refuses them; escape everything instead
        return json.dumps(key, ensure_ascii=True)


def format_component(part: Any) -> str:
    """One step of a path: ``.name``, ``["odd key"]``, ``[3]``, or a display component's text."""
    if type(part) is int:
        return f"[{part}]"
    if isinstance(part, str):
        return f".{part}" if is_shorthand_name(part) else f"[{quote_key(part)}]"
    return str(part)


def format_path(parts: Iterable[Any]) -> str:
    """``("gameData", "quests", 3, "odd key")`` → ``$.gameData.quests[3]["odd key"]``; ``()`` → ``$``."""
    return ROOT + "".join(map(format_component, parts))


def parse_path(text: str, keyed: Callable[[str, JsonKey], Any] | None = None) -> tuple[Any, ...]:
    """The keys and indices of a path :func:`format_path` wrote (also ``['name']``).

    ``keyed(name, value)`` builds the component of a keyed element ``[name=value]`` (without
    it such a step is an error). Raises ``ValueError`` naming the column of the first
    character it cannot read."""
    if not text.startswith(ROOT):
        raise ValueError(f"a JSON path starts with '$' (column 1): {text!r}")
    parts: list[JsonKey] = []
    i, n = 1, len(text)
    while i < n:
        ch = text[i]
        if ch == ".":
            j = i + 1
            while j < n and text[j] not in ".[":
                j += 1
            name = text[i + 1:j]
            if not name:
                raise ValueError(f"empty name after '.' at column {i + 1}: {text!r}")
            parts.append(name)
            i = j
        elif ch == "[":
            i = _parse_bracket(text, i, parts, keyed)
        else:
            raise ValueError(f"expected '.' or '[' at column {i + 1}: {text!r}")
    return tuple(parts)


_KEYED_NAME_END = "=]\"'"


def _keyed_name(text: str, j: int) -> int | None:
    """End of ``name`` when ``text[j:]`` starts a keyed element ``name=``, else None."""
    k = j
    while k < len(text) and text[k] not in _KEYED_NAME_END:
        k += 1
    if k < len(text) and text[k] == "=" and (k == j or text[j:k].isidentifier()):
        return k
    return None


def _parse_keyed(text: str, j: int, parts: list, keyed: Callable[[str, JsonKey], Any]) -> int:
    n = len(text)
    eq = _keyed_name(text, j)
    assert eq is not None
    name, k = text[j:eq], eq + 1
    value: JsonKey
    if k < n and text[k] == '"':
        try:
            value, k = json.JSONDecoder().raw_decode(text, k)
        except ValueError:
            raise ValueError(f"unterminated or invalid string at column {k + 1}: {text!r}") from None
        if not isinstance(value, str):
            raise ValueError(f"expected a string at column {eq + 2}: {text!r}")
    else:
        end = text.find("]", k)
        token = text[k:] if end < 0 else text[k:end]
        if not token:
            raise ValueError(f"expected a value after '=' at column {k + 1}: {text!r}")
        digits = token[1:] if token.startswith("-") else token
        value = int(token) if digits.isdigit() and digits.isascii() else token
        k += len(token)
    parts.append(keyed(name, value))
    return k


def _parse_bracket(text: str, i: int, parts: list, keyed: Callable[[str, JsonKey], Any] | None = None) -> int:
    n = len(text)
    j = i + 1
    if keyed is not None and j < n and text[j] not in "\"'-0123456789" and _keyed_name(text, j) is not None:
        j = _parse_keyed(text, j, parts, keyed)
    elif j < n and text[j] == '"':
        try:
            key, end = json.JSONDecoder().raw_decode(text, j)
        except ValueError:
            raise ValueError(f"unterminated or invalid string at column {j + 1}: {text!r}") from None
        parts.append(key)
        j = end
    elif j < n and text[j] == "'":
        k, chars = j + 1, []
        while k < n and text[k] != "'":
            if text[k] == "\\" and k + 1 < n:
                k += 1
                chars.append({"'": "'", '"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n",
                              "r": "\r", "t": "\t"}.get(text[k], "\\" + text[k]))
            else:
                chars.append(text[k])
            k += 1
        if k >= n:
            raise ValueError(f"unterminated string at column {j + 1}: {text!r}")
        parts.append("".join(chars))
        j = k + 1
    else:
        k = j
        while k < n and (text[k].isdigit() or (k == j and text[k] == "-")):
            k += 1
        if k == j or text[j:k] == "-":
            raise ValueError(f"expected an index or a quoted name at column {j + 1}: {text!r}")
        parts.append(int(text[j:k]))
        j = k
    if j >= n or text[j] != "]":
        raise ValueError(f"expected ']' at column {j + 1}: {text!r}")
    return j + 1
