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


def _neutralised(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet could run it as a formula (D28) — or if it
    already starts with ``'``s followed by a formula character, so that :func:`unneutralised`
    can always give the original text back (``'=x`` → ``''=x`` → ``'=x``)."""
    if text.startswith(_FORMULA_STARTS):
        return text if _PLAIN_NUMBER.fullmatch(text) else "'" + text
    if text.startswith("'") and text.lstrip("'").startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def unneutralised(cell: str) -> str:
    """The text a cell held before the writer neutralised it (the inverse of D28's leading
    ``'``): one ``'`` is removed when the cell is ``'``s followed by a formula character.
    For reading our own CSV back (``parse_transcript_csv``); a game-exact file never has such a
    cell unless the text itself started that way (documented in docs/export-deviations.md)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(_FORMULA_STARTS):
        return cell[1:]
    return cell


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
        text = _neutralised(text)
        if "\r" in text:
            return '"' + text.replace('"', '""') + '"'
    if '"' in text or "," in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_document(header: Sequence[str], rows: Iterable[Sequence[Any]], *, game_exact: bool = False) -> str:
    """Header + rows joined with LF, one trailing LF; empty data gives the header line only.
    ``game_exact``: see :func:`encode_csv_cell` (the project's one CSV convention).

    Fast paths (issue 13), all giving :func:`encode_csv_cell`'s bytes: each cell's text is
    joined as it is and all cell texts are checked at once with C-speed searches (memchr on
    their concatenation); when no cell needs quoting the joined text is the document. Cells that may start a formula are neutralised
    only when a search finds a candidate; when some cell needs quoting, the cells are quoted
    in one pass over the texts (cheaper than the stdlib ``csv`` writer here, measured). Only a
    CR in default mode (quoted there, never in the game's bytes) takes the cell-by-cell path."""
    cells = [[v if type(v) is str else "" if v is None
              else str(v) if type(v) is int and -MAX_SAFE_INTEGER <= v <= MAX_SAFE_INTEGER
              else js_string(v) for v in row] for row in rows]
    return csv_from_texts(header, cells, game_exact=game_exact)


def csv_from_texts(header: Sequence[str], cells: list[list[str]], *, game_exact: bool = False) -> str:
    """:func:`csv_document` of rows whose cells already are their texts (:func:`js_string` of
    each value), for builders that produce the texts directly."""
    head = ",".join(header)
    if not cells:
        return head + "\n"
    body = "\n".join(map(",".join, cells))
    if not game_exact:
        if "\r" in body:                                   # encoding a cell's text = encoding the cell
            return _csv_cell_by_cell(head, cells, game_exact)
        if ("=" in body or "+" in body or "\t" in body or "@" in body or "'" in body  # single characters: memchr
                or body[:1] == "-" or _SEPARATOR_MINUS.search(body) is not None):
            cells = [[_neutralised(t) if t else t for t in row] for row in cells]   # adds only "'"s
            body = "\n".join(map(",".join, cells))
    if '"' in body or not _separators_only(body, cells):
        body = _quoted_body(cells)
    return head + "\n" + body + "\n"


def _separators_only(body: str, cells: list[list[str]]) -> bool:
    """True if no cell has a "," or LF. The check runs on the joined body (C-speed): its
    characters other than "," and LF are the cells' characters; for "," and LF, a count beyond
    the separators means a cell has one."""
    if all(cells):
        return (body.count(",") == sum(map(len, cells)) - len(cells)
                and body.count("\n") == len(cells) - 1)
    flat = "".join(map("".join, cells))                    # an empty row has no separator
    return "," not in flat and "\n" not in flat


def _quoted(texts) -> list[str]:
    """Each text quoted (``"`` doubled) iff it has ``"``, ``,`` or LF (§5.7)."""
    return [f'"{t.replace(_QUOTE, _TWO_QUOTES)}"' if (_QUOTE in t or "," in t or "\n" in t) else t for t in texts]


_QUOTE, _TWO_QUOTES = '"', '""'    # (an f-string builds the quoted cell in one step)


def _quoted_body(cells: list) -> str:
    """The body with every cell that has ``"``, ``,`` or LF quoted. Rows of one width are
    checked column by column (three searches on each column's joined text); only the columns
    that have such a character are quoted cell by cell."""
    if len(set(map(len, cells))) != 1:
        return "\n".join([",".join(_quoted(row)) for row in cells])
    columns = []
    for column in zip(*cells):
        joined = "".join(column)
        columns.append(_quoted(column) if ('"' in joined or "," in joined or "\n" in joined) else column)
    return "\n".join(map(",".join, zip(*columns)))


#: a ``-`` right after a cell separator (literal first: the engine jumps from one ``-`` to the next)
_SEPARATOR_MINUS = re.compile("-(?<=[,\n]-)")


def _csv_cell_by_cell(head: str, rows: list, game_exact: bool) -> str:
    lines = [head]
    lines.extend(",".join([encode_csv_cell(v, game_exact=game_exact) for v in row]) for row in rows)
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


# The fast-path rule (issue 13; measured against V8 on 358,000 doubles of every magnitude and on
# tests/data/js_reference.json): orjson's text of a document equals ``JSON.stringify``'s whenever
#   * orjson accepts it with ``OPT_STRICT_INTEGER`` (no integer beyond ±(2**53 - 1), which JS
#     would print as the nearest double; no nesting deeper than 255, lone surrogate or non-string
#     key: those raise), and
#   * no number token is one of the three kinds orjson prints differently: an integral float
#     (``2.0``, ``-0.0``: JS ``2``, ``0``), a float of [1e-6, 1e-5) (``1.5e-6``: JS
#     ``0.0000015``), a float of [1e16, 1e21) (``1e+16``: JS ``10000000000000000``).
# Strings are escaped alike (``"``, ``\\``, controls as ``\n`` / ``\u001f``; non-ASCII, U+2028
# and ``/`` kept). The token check runs on the output bytes: a ``+`` (only exponent forms ≥ 1e16
# have one), ``e-6``, or ``.0`` not followed by a digit. Text inside strings can only raise a false
# alarm, which costs the exact path, never a wrong byte.
# How it runs (C-speed searches): ``+`` by one memchr; then each ``.`` and each ``-`` is found by
# memchr and looked at (``.0`` + non-digit, ``e-6``), so text with few of them (numbers are mostly
# integers; ISO times have one "." and two "-") is checked in a few steps whatever its size. Past
# :data:`_FIND_LIMIT` occurrences the rest is searched with the two regexes below, which start
# with a literal (the engine jumps from one "." / "-" to the next; several times faster than
# ``b"e-6" in out``, whose common letters defeat skipping).
_INTEGRAL_FLOAT = re.compile(rb"\.0(?![0-9])")
_EXPONENT_MINUS_6 = re.compile(rb"-6(?<=e-6)")
_FIND_LIMIT = 32
_STRICT = orjson.OPT_STRICT_INTEGER


# The rule holds for the float notation of orjson 3.10+; an orjson printing these sample tokens
# differently turns the fast path off (every document then takes the exact path).
_RULE_HOLDS = orjson.dumps([1e16, 1e20, 1.5e-6, 1e-7, 2.0, 1e-5, 0.1]) == b"[1e+16,1e+20,1.5e-6,1e-7,2.0,0.00001,0.1]"


def _may_differ(out: bytes) -> bool:
    """True if ``out`` (orjson's text of a value orjson accepted with ``OPT_STRICT_INTEGER``)
    may contain a number token JavaScript prints differently (see the rule above)."""
    if not _RULE_HOLDS or b"+" in out:
        return True
    find = out.find
    seen = 0
    at = find(b".")
    while at >= 0:                                   # ".0" not followed by a digit
        seen += 1
        if seen > _FIND_LIMIT:
            if _INTEGRAL_FLOAT.search(out, at) is not None:
                return True
            break
        if out[at + 1:at + 2] == b"0" and not out[at + 2:at + 3].isdigit():
            return True
        at = find(b".", at + 1)
    seen = 0
    at = find(b"-")
    while at >= 0:                                   # "e-6"
        seen += 1
        if seen > _FIND_LIMIT:
            return _EXPONENT_MINUS_6.search(out, at) is not None
        if out[at - 1:at + 2] == b"e-6":
            return True
        at = find(b"-", at + 1)
    return False


def _dumps(value: Any, option: int, newline: bool = False) -> str:
    """orjson's bytes when they provably equal ``JSON.stringify``'s (the rule above); else
    orjson over the JS-normalised value; else (what orjson cannot emit) the pure-Python encoder.
    ``newline``: one ``\\n`` appended (by orjson, without another copy of the text)."""
    indent = 2 if option & orjson.OPT_INDENT_2 else 0
    if newline:
        option |= orjson.OPT_APPEND_NEWLINE
    try:
        out = orjson.dumps(value, option=option | _STRICT)
    except (TypeError, orjson.JSONEncodeError):
        try:                                            # an int beyond 2**53, or what orjson cannot
            orjson.dumps(value, option=option)          # emit at all (depth > 255, > 64-bit int,
        except (TypeError, orjson.JSONEncodeError):     # lone surrogate, non-string key)
            return js_json_text(value, indent=indent) + ("\n" if newline else "")
    else:
        if not _may_differ(out):
            return out.decode("utf-8")
    return orjson.dumps(js_normalise(value), option=option).decode("utf-8")


def json_pretty(value: Any, *, newline: bool = False) -> str:
    """``JSON.stringify(value, null, 2)`` (no trailing newline unless ``newline``).

    Fast path: orjson's indented bytes, used as they are when no number token in them can
    differ from JavaScript's (the rule above: checked on the output, no Python walk); otherwise
    orjson over :func:`js_normalise`; what orjson cannot emit at all — integers beyond 64 bits,
    nesting deeper than 255, lone surrogates, non-string keys — goes through :func:`js_json_text`."""
    return _dumps(value, orjson.OPT_INDENT_2, newline)


def json_compact(value: Any) -> str:
    """``JSON.stringify(value)`` (same paths as :func:`json_pretty`)."""
    return _dumps(value, 0)


def json_compact_each(values: Sequence[Any]) -> list[str]:
    """``[json_compact(v) for v in values]``, with the fast-path rule checked once on orjson's
    text of them all (each item's text is a part of it) instead of once per item."""
    try:
        out = orjson.dumps(values if isinstance(values, list) else list(values), option=_STRICT)
    except (TypeError, orjson.JSONEncodeError):
        return [json_compact(v) for v in values]
    if _may_differ(out):
        return [json_compact(v) for v in values]
    dumps = orjson.dumps
    return [dumps(v).decode("utf-8") for v in values]


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
