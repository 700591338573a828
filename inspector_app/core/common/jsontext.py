"""JSON text of any parsed value, at any depth: the details pane's and copies' pretty JSON.

orjson writes 2-space-indented JSON fast but refuses what the loader accepts: nesting deeper
than 255 levels, integers beyond 64 bits, strings with lone surrogates. The stdlib encoder
recurses (a ``RecursionError`` at ~1,000 levels). :func:`pretty_json` takes orjson's path when
it can and otherwise an iterative encoder with the same layout, so no value a save can hold
makes it raise. (Export artifacts print numbers like JavaScript: that is ``core/export/csvfmt``.)
"""
from __future__ import annotations

import json
from typing import Any, Iterator

import orjson

INDENT = "  "


def pretty_json(value: Any) -> bytes:
    """``value`` as 2-space-indented JSON (UTF-8), whatever its depth or integer size."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except (orjson.JSONEncodeError, TypeError):
        return "".join(iter_pretty_json(value)).encode("utf-8", errors="surrogatepass")


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        try:
            return orjson.dumps(value).decode("utf-8")
        except TypeError:  # lone surrogate
            return json.dumps(value, ensure_ascii=True)
    if value is None or isinstance(value, bool):
        return "null" if value is None else ("true" if value else "false")
    if isinstance(value, int):
        return str(value)  # any size
    if isinstance(value, float):
        return orjson.dumps(value).decode("utf-8")  # NaN/Infinity → null, like orjson everywhere
    return _scalar(str(value))


def iter_pretty_json(value: Any) -> Iterator[str]:
    """The pieces of :func:`pretty_json`'s text, produced with an explicit stack (no recursion)."""
    # stack of (iterator over (key, child) pairs, is_object, depth)
    stack: list[tuple[Iterator[tuple[Any, Any]], bool, int]] = []
    pending: Any = value
    have_pending = True
    first = True
    while True:
        if have_pending:
            have_pending = False
            v = pending
            if isinstance(v, dict) and v:
                yield "{"
                stack.append((iter(v.items()), True, len(stack) + 1))
                first = True
            elif isinstance(v, (list, tuple)) and v:
                yield "["
                stack.append((enumerate(v), False, len(stack) + 1))
                first = True
            elif getattr(v, "iter_members", None) is not None and len(v):
                # a big save's unparsed part (core/loading/sections): parsed a run at a time, as
                # far as the text is read (the details pane's excerpt stops at its limit)
                yield "{" if v.is_dict else "["
                stack.append((v.iter_members(), v.is_dict, len(stack) + 1))
                first = True
            elif isinstance(v, dict):
                yield "{}"
            elif isinstance(v, (list, tuple)):
                yield "[]"
            else:
                yield _scalar(v)
        if not stack:
            return
        items, is_object, depth = stack[-1]
        nxt = next(items, None)
        if nxt is None:
            stack.pop()
            yield "\n" + INDENT * (depth - 1) + ("}" if is_object else "]")
            first = False
            continue
        key, child = nxt
        yield ("\n" if first else ",\n") + INDENT * depth
        first = False
        if is_object:
            yield _scalar(key if isinstance(key, str) else str(key)) + ": "
        pending, have_pending = child, True


def pretty_json_excerpt(value: Any, limit: int = 200_000) -> str:
    """Pretty JSON cut at a line end near ``limit`` bytes, with a note giving the full size.

    Values orjson cannot print are encoded piece by piece and only until ``limit`` is reached,
    so a 5,000-deep value (whose full text is ~50 MB of indentation) costs a few milliseconds."""
    try:
        data = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except (orjson.JSONEncodeError, TypeError):
        pieces: list[str] = []
        size = 0
        for piece in iter_pretty_json(value):
            pieces.append(piece)
            size += len(piece)
            if size > limit:
                text = "".join(pieces)
                cut = text.rfind("\n", 0, limit)
                return f"{text[: cut if cut > 0 else limit]}\n…truncated, more than {limit:,} bytes total"
        return "".join(pieces)
    if len(data) <= limit:
        return data.decode()
    cut = data.rfind(b"\n", 0, limit)
    head = data[: cut if cut > 0 else limit].decode("utf-8", errors="ignore")
    return f"{head}\n…truncated, {len(data):,} bytes total"
