"""JavaScript-compatible text formatting for the game's export artifacts.

The studio's consumers read files the game's JavaScript wrote, so our artifacts must format
values exactly like JS does (spec telemetry-pipeline.md §5.7 and §10):

* numbers, ISO times: :mod:`inspector_app.core.common.jsfmt` (``js_number``, ``iso_from_ms``);
  ``js_string`` here is its cell flavour (null → empty);
* ``encode_csv_cell`` / ``csv_document`` — §5.7: quote iff the text has ``"``, ``,`` or ``\\n``
  (a lone ``\\r`` does not), LF rows, one trailing newline; *not* Python's ``csv`` defaults;
* ``json_pretty`` / ``json_compact`` — ``JSON.stringify(x, null, 2)`` / ``JSON.stringify(x)``
  through orjson after turning integral floats into ints (the only place orjson and JS differ
  for finite numbers);
* ``filename_timestamp`` — the ``YYYYMMDDTHHMMSSZ`` file-name fragment of ``toISOString()``.
"""
from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

import orjson

from inspector_app.core.common.jsfmt import MAX_SAFE_INTEGER, iso_from_ms, js_number
from inspector_app.core.common.jsfmt import js_string as jsfmt_string

def js_string(value: Any) -> str:
    """A cell's text: ``String(value)`` (:func:`jsfmt.js_string`), except that null is empty."""
    return "" if value is None else jsfmt_string(value)


def encode_csv_cell(value: Any) -> str:
    """One CSV cell per spec §5.7: null → empty; quoted (``"`` doubled) iff it contains
    ``"``, ``,`` or ``\\n``. A lone ``\\r`` does not trigger quoting, exactly like the game."""
    text = js_string(value)
    if '"' in text or "," in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_document(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Header + rows joined with LF, one trailing LF; empty data gives the header line only."""
    lines = [",".join(header)]
    lines.extend(",".join(encode_csv_cell(v) for v in row) for row in rows)
    return "\n".join(lines) + "\n"


def _js_float(value: float) -> Any:
    """A float orjson prints like JS as-is, or its JS form (int / pre-rendered fragment)."""
    a = abs(value)
    if value.is_integer() and a < MAX_SAFE_INTEGER:
        return int(value)  # 2.0 -> 2, -0.0 -> 0
    if (1e-7 <= a < 1e-5) or (MAX_SAFE_INTEGER <= a < 1e21):
        # orjson switches to exponent notation at other thresholds than JS does
        return orjson.Fragment(js_number(value))
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
        return orjson.Fragment(js_number(value))
    return value


def json_pretty(value: Any) -> str:
    """``JSON.stringify(value, null, 2)`` (no trailing newline)."""
    return orjson.dumps(js_normalise(value), option=orjson.OPT_INDENT_2).decode("utf-8")


def json_compact(value: Any) -> str:
    """``JSON.stringify(value)``."""
    return orjson.dumps(js_normalise(value)).decode("utf-8")


def filename_timestamp(generated_at: Any) -> str:
    """``YYYYMMDDTHHMMSSZ`` of ``generatedAt`` (ms dropped); ``00000000T000000Z`` if falsy."""
    iso = iso_from_ms(generated_at) if generated_at else None
    if not iso:
        return "00000000T000000Z"
    return iso[:19].replace("-", "").replace(":", "") + "Z"
