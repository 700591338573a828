"""JavaScript-compatible text formatting for the game's export artifacts.

The studio's consumers read files the game's JavaScript wrote, so our artifacts must format
values exactly like JS does (spec telemetry-pipeline.md §5.7 and §10):

* ``js_number`` / ``js_string`` — ``String(v)`` (``52`` not ``52.0``, ``1e-7`` not ``1e-07``,
  ``1e+21`` not ``1e21``... JS's own thresholds for exponent notation);
* ``encode_csv_cell`` / ``csv_document`` — §5.7: quote iff the text has ``"``, ``,`` or ``\\n``
  (a lone ``\\r`` does not), LF rows, one trailing newline; *not* Python's ``csv`` defaults;
* ``json_pretty`` / ``json_compact`` — ``JSON.stringify(x, null, 2)`` / ``JSON.stringify(x)``
  through orjson after turning integral floats into ints (the only place orjson and JS differ
  for finite numbers);
* ``iso_from_ms`` / ``filename_timestamp`` — ``Date.prototype.toISOString()`` and the
  ``YYYYMMDDTHHMMSSZ`` file-name fragment.
"""
from __future__ import annotations

import math
from decimal import Decimal
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Sequence

import orjson

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MAX_SAFE = 2 ** 53
_JS_DATE_LIMIT = 8.64e15  # ECMAScript time values are clipped to ±8.64e15 ms


def js_number(x: float | int) -> str:
    """``String(x)`` for a JS number: shortest round-trip digits, JS exponent thresholds."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        if -_MAX_SAFE <= x <= _MAX_SAFE:
            return str(x)
        x = float(x)  # JS has no big ints here: it would already be a double
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"  # also -0: String(-0) === "0"
    sign = "-" if x < 0 else ""
    # repr() gives the shortest round-trip digits; Decimal splits them into digits/exponent.
    _, digit_tuple, exponent = Decimal(repr(abs(x))).as_tuple()
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    digits = stripped
    point = len(digits) + exponent  # value = 0.<digits> * 10**point
    k = len(digits)
    if k <= point <= 21:
        return sign + digits + "0" * (point - k)
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * (-point) + digits
    e = point - 1
    body = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{body}e{'+' if e > 0 else '-'}{abs(e)}"


def js_string(value: Any) -> str:
    """``String(value)`` as the game's serializers apply it to a cell value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return js_number(value)
    if isinstance(value, (list, tuple)):
        # Array.prototype.toString joins elements with "," and shows null/undefined as "".
        return ",".join(js_string(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


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
    if value.is_integer() and a < _MAX_SAFE:
        return int(value)  # 2.0 -> 2, -0.0 -> 0
    if (1e-7 <= a < 1e-5) or (_MAX_SAFE <= a < 1e21):
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
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_SAFE:
        return orjson.Fragment(js_number(value))
    return value


def json_pretty(value: Any) -> str:
    """``JSON.stringify(value, null, 2)`` (no trailing newline)."""
    return orjson.dumps(js_normalise(value), option=orjson.OPT_INDENT_2).decode("utf-8")


def json_compact(value: Any) -> str:
    """``JSON.stringify(value)``."""
    return orjson.dumps(js_normalise(value)).decode("utf-8")


def finite_number(value: Any) -> int | float | None:
    """The value if it is a finite JS-style number (bools excluded), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def iso_from_ms(ms: Any) -> str | None:
    """``new Date(ms).toISOString()`` (UTC, 3 fractional digits, ``Z``); None when ``ms`` is not
    a finite number or outside the range a JS Date (and Python's datetime) can represent."""
    n = finite_number(ms)
    if n is None or abs(n) > _JS_DATE_LIMIT:
        return None
    whole = int(n)  # TimeClip truncates toward zero
    try:
        dt = _EPOCH + timedelta(milliseconds=whole)
    except OverflowError:
        return None
    if not 1 <= dt.year <= 9999:
        return None
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def filename_timestamp(generated_at: Any) -> str:
    """``YYYYMMDDTHHMMSSZ`` of ``generatedAt`` (ms dropped); ``00000000T000000Z`` if falsy."""
    iso = iso_from_ms(generated_at) if generated_at else None
    if not iso:
        return "00000000T000000Z"
    return iso[:19].replace("-", "").replace(":", "") + "Z"
