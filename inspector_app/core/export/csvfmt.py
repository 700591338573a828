"""JavaScript-compatible text formatting for the game's export artifacts.

The studio's consumers read files the game's JavaScript wrote, so our artifacts must format
values exactly like JS does (spec telemetry-pipeline.md §5.7 and §10):

* numbers, ISO times: :mod:`inspector_app.core.common.jsfmt` (``js_number``, ``iso_from_ms``);
  ``js_string`` here is its cell flavour (null → empty);
* ``encode_csv_cell`` / ``csv_document`` — the project's one CSV convention: §5.7 (quote iff
  the text has ``"``, ``,`` or ``\\n``, LF rows, one trailing newline; *not* Python's ``csv``
  defaults) plus, unless ``game_exact``, formula-injection protection and CR quoting;
* ``json_pretty`` / ``json_compact`` — ``JSON.stringify(x, null, 2)`` / ``JSON.stringify(x)``:
  orjson with the few number tokens JS prints differently rewritten, and
  :func:`js_json_text` (pure Python, any depth and size) for what orjson cannot emit;
* ``filename_timestamp`` — the ``YYYYMMDDTHHMMSSZ`` file-name fragment of ``toISOString()``.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Iterable, Sequence

import orjson

from inspector_app.core.common.jsfmt import MAX_SAFE_INTEGER, iso_from_ms, js_number
from inspector_app.core.common.jsfmt import js_string as jsfmt_string


def js_string(value: Any) -> str:
    """A cell's text: ``String(value)`` (:func:`jsfmt.js_string`), except that null is empty."""
    kind = type(value)
    if kind is str:
        return value
    if kind is int and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        return str(value)
    return "" if value is None else jsfmt_string(value)


#: first characters a spreadsheet may read as the start of a formula (OWASP CSV Injection, CWE-1236)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?")


def encode_csv_cell(value: Any, *, game_exact: bool = False) -> str:
    """One CSV cell per spec §5.7: null → empty; quoted (``"`` doubled) iff it contains
    ``"``, ``,`` or ``\\n``.

    By default (``game_exact=False``) two protections are added on top (docs/export-deviations.md
    D28): a cell starting with ``=``, ``+``, ``-``, ``@``, TAB or CR gets a leading ``'`` so a
    spreadsheet shows it as text instead of running it as a formula (OWASP CSV Injection, ASVS 5.0
    1.2.10, CWE-1236) — except a plain number such as ``-12`` or ``-1.5e-7``, which no spreadsheet
    runs; and a cell containing a CR is quoted as RFC 4180 asks, so a bare CR cannot split a row.
    ``game_exact=True`` gives the game's bytes (a lone ``\\r`` does not trigger quoting)."""
    if type(value) is int and 0 <= value <= MAX_SAFE_INTEGER:
        return str(value)                 # the common case: a count or a timestamp
    text = js_string(value)
    if not game_exact and text:
        if text.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
            text = "'" + text
        if "\r" in text:
            return '"' + text.replace('"', '""') + '"'
    if '"' in text or "," in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_document(header: Sequence[str], rows: Iterable[Sequence[Any]], *, game_exact: bool = False) -> str:
    """Header + rows joined with LF, one trailing LF; empty data gives the header line only.
    ``game_exact``: see :func:`encode_csv_cell` (the project's one CSV convention)."""
    lines = [",".join(header)]
    lines.extend(",".join(encode_csv_cell(v, game_exact=game_exact) for v in row) for row in rows)
    return "\n".join(lines) + "\n"


def _json_number_text(value: int | float) -> str:
    """A number as ``JSON.stringify`` writes it (non-finite → ``null``)."""
    text = js_number(value)
    return "null" if text in ("NaN", "Infinity", "-Infinity") else text


def _js_float(value: float) -> Any:
    """A float orjson prints like JS as-is, or its JS form (int / pre-rendered fragment)."""
    a = abs(value)
    if value.is_integer() and a < MAX_SAFE_INTEGER:
        return int(value)  # 2.0 -> 2, -0.0 -> 0
    if (1e-7 <= a < 1e-5) or (MAX_SAFE_INTEGER <= a < 1e21):
        # orjson switches to exponent notation at other thresholds than JS does
        return orjson.Fragment(_json_number_text(value))
    return value


def js_normalise(value: Any) -> Any:
    """Return ``value`` ready for orjson to print numbers exactly as ``JSON.stringify`` does:
    integral floats become ints, floats in the ranges where orjson and JS choose different
    notations become pre-rendered ``orjson.Fragment``s, ints beyond 2**53 become what a JS
    double prints. Containers are copied only when something inside changed."""
    if isinstance(value, float):
        return _js_float(value) if math.isfinite(value) else value
    if isinstance(value, dict):
        changed = None
        for k, v in value.items():
            nv = js_normalise(v)
            if nv is not v:
                if changed is None:
                    changed = dict(value)
                changed[k] = nv
        return value if changed is None else changed
    if isinstance(value, list):
        changed_list = None
        for i, v in enumerate(value):
            nv = js_normalise(v)
            if nv is not v:
                if changed_list is None:
                    changed_list = list(value)
                changed_list[i] = nv
        return value if changed_list is None else changed_list
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE_INTEGER:
        return orjson.Fragment(_json_number_text(value))
    return value


# Where orjson's number text can differ from JavaScript's: integral floats (``2.0`` → ``2``),
# exponent forms (``1e-6`` → ``0.000001``, ``1e+16`` → ``10000000000000000``) and integers of 16+
# digits (beyond 2**53 JS prints the nearest double). ``_may_differ`` looks for them with C-speed
# byte operations only (digits mapped to "0", then substring tests); strings can only cause a
# false alarm, which costs the slower exact path, never a wrong byte.
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_INTEGRAL_FLOAT = re.compile(rb"\.0(?![0-9])")     # literal prefix: the regex engine skips to each "."


def _may_differ(out: bytes) -> bool:
    t = out.translate(_DIGITS_TO_ZERO)
    return (b"0000000000000000" in t or b"0e" in t
            or _INTEGRAL_FLOAT.search(out) is not None)


def _dumps(value: Any, option: int) -> str:
    """orjson's bytes when they provably equal ``JSON.stringify``'s; else orjson over the
    JS-normalised value; else (what orjson cannot emit) the pure-Python encoder."""
    try:
        out = orjson.dumps(value, option=option)
    except (TypeError, orjson.JSONEncodeError):
        return js_json_text(value, indent=2 if option else 0)
    if not _may_differ(out):
        return out.decode("utf-8")
    try:
        return orjson.dumps(js_normalise(value), option=option).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return js_json_text(value, indent=2 if option else 0)


def json_pretty(value: Any) -> str:
    """``JSON.stringify(value, null, 2)`` (no trailing newline).

    Fast path: orjson's indented bytes, used as they are when no number token in them can
    differ from JavaScript's (checked on the output, no Python walk over the value); otherwise
    orjson over :func:`js_normalise`; what orjson cannot emit at all — integers beyond 64 bits,
    nesting deeper than 255, lone surrogates, non-string keys — goes through :func:`js_json_text`."""
    return _dumps(value, orjson.OPT_INDENT_2)


def json_compact(value: Any) -> str:
    """``JSON.stringify(value)`` (same paths as :func:`json_pretty`)."""
    return _dumps(value, 0)


_SURROGATE = re.compile("[\ud800-\udfff]")
_encode_js_string = json.encoder.encode_basestring   # escapes ", \\, controls (\\n, \\u001f ...); keeps the rest


def _js_str(text: str) -> str:
    out = _encode_js_string(text)
    if _SURROGATE.search(out):     # JSON.stringify writes a lone surrogate as \\udXXX (lower-case)
        out = _SURROGATE.sub(lambda m: "\\u%04x" % ord(m.group()), out)
    return out


def _js_scalar(value: Any) -> str | None:
    """JSON text of a non-container value, or None for a container."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _js_str(value)
    if isinstance(value, (int, float)):
        return _json_number_text(value)
    if isinstance(value, orjson.Fragment):
        return orjson.dumps(value).decode("utf-8")     # a fragment is pre-rendered JSON
    if isinstance(value, (dict, list, tuple)):
        return None
    return _js_str(str(value))


def js_json_text(value: Any, *, indent: int = 2) -> str:
    """``JSON.stringify(value, null, indent)`` for anything the loader accepts, in pure Python
    and without recursion (any depth, integers of any size, lone surrogates, non-string keys).
    The slow path of :func:`json_pretty` / :func:`json_compact`."""
    first = _js_scalar(value)
    if first is not None:
        return first
    parts: list[str] = []
    pad = " " * indent
    sep = ": " if indent else ":"
    # stack entries: [iterator, is_dict, depth, closing char, has_items]
    stack: list[list] = []

    def open_container(container: Any, depth: int) -> None:
        is_dict = isinstance(container, dict)
        if not container:
            parts.append("{}" if is_dict else "[]")
            return
        parts.append("{" if is_dict else "[")
        stack.append([iter(container.items() if is_dict else container), is_dict, depth, "}" if is_dict else "]"])

    open_container(value, 0)
    while stack:
        top = stack[-1]
        it, is_dict, depth, close = top[:4]
        try:
            item = next(it)
        except StopIteration:
            stack.pop()
            parts.append(("\n" + pad * depth if indent else "") + close)
            continue
        if len(top) == 4:
            top.append(True)
            parts.append("\n" + pad * (depth + 1) if indent else "")
        else:
            parts.append(",\n" + pad * (depth + 1) if indent else ",")
        if is_dict:
            key, item = item
            parts.append(_js_str(key if isinstance(key, str) else jsfmt_string(key)) + sep)
        text = _js_scalar(item)
        if text is None:
            open_container(item, depth + 1)
        else:
            parts.append(text)
    return "".join(parts)


def filename_timestamp(generated_at: Any) -> str:
    """``YYYYMMDDTHHMMSSZ`` of ``generatedAt`` (ms dropped); ``00000000T000000Z`` if falsy."""
    iso = iso_from_ms(generated_at) if generated_at else None
    if not iso:
        return "00000000T000000Z"
    return iso[:19].replace("-", "").replace(":", "") + "Z"
