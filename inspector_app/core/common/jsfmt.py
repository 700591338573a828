"""JavaScript-compatible text: the one home for formatting values exactly as the game's runtime does.

The game is JavaScript; wherever we print a value the studio compares with what the game
printed (export artifacts, overlay texts, ISO times), it must be byte-identical. Checked
against values node (V8) produced: ``tests/data/js_reference.json`` (generator
``tests/data/make_js_reference.mjs``).

* :func:`iso_from_ms` — ``new Date(ms).toISOString()``.
* :func:`js_number` — ``String(x)`` / ``Number#toString()`` for a number.
* :func:`js_string` — ``String(value)`` / a template literal's ``${value}`` for any JSON value.
* :func:`to_fixed` — ``Number#toFixed(digits)``.
* :func:`js_round` — ``Math.round``.
* :func:`is_number` / :func:`finite_number` — ``Number.isFinite`` (bools are never numbers);
  :func:`coerce_non_negative_int` — the game's ``_coerceNonNegativeInteger``.

Out-of-range policy (the same everywhere): where JavaScript would throw (``toISOString`` of an
invalid date: NaN, ±Infinity, or ``|ms| > 8.64e15``) or the input is not a number at all
(``None``, bools, strings), :func:`iso_from_ms` returns ``None``; callers decide what to show
(an empty cell, ``—``). Nothing here raises on data.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

MAX_SAFE_INTEGER = 2 ** 53
TIME_LIMIT_MS = 8.64e15       # ECMAScript TimeClip: |t| > 8.64e15 ms is an invalid date
MS_PER_DAY = 86_400_000

_FIXED_CONTEXT = Context(prec=500)  # toFixed allows 0..100 digits of numbers below 1e21


def is_number(value: Any) -> bool:
    """JS ``Number.isFinite``: a finite int/float, and never a bool."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)


def finite_number(value: Any) -> int | float | None:
    """The value if it is a finite JS-style number (bools excluded), else None."""
    return value if is_number(value) else None


def coerce_non_negative_int(value: Any) -> int:
    """The game's ``_coerceNonNegativeInteger``: ``Math.max(0, Math.floor(Number(value)))`` for
    numbers and numeric strings, 0 for anything else (NaN, objects, null)."""
    if is_number(value):
        return max(0, math.floor(value))
    if isinstance(value, bool):
        return int(value)
    if value is None:
        return 0
    if isinstance(value, str):
        try:
            parsed = float(value.strip()) if value.strip() else 0.0
        except ValueError:
            return 0
        return max(0, math.floor(parsed)) if math.isfinite(parsed) else 0
    return 0




def _civil_from_days(days: int) -> tuple[int, int, int]:
    """(year, month, day) of the proleptic Gregorian day ``days`` after 1970-01-01
    (H. Hinnant's ``civil_from_days``; exact for any integer, unlike ``datetime``)."""
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    return year, month, day


#: ISO texts of recently formatted integer ms values (an export formats the same times many
#: times: a snapshot's ``timestamp`` and its ``metadata.completedAt``, re-exports); bounded.
_ISO_CACHE: dict[int, str] = {}
_ISO_CACHE_MAX = 4096
#: ``YYYY-MM-DDT`` of recently seen days (times of one session share a handful of days); bounded.
_DAY_CACHE: dict[int, str] = {}
_TWO_DIGITS = tuple(f"{i:02d}" for i in range(100))
_THREE_DIGITS = tuple(f"{i:03d}" for i in range(1000))
_YEAR_10000_MS = 253_402_300_800_000     # 10000-01-01T00:00:00.000Z: four-digit years below


def clear_iso_cache() -> None:
    """Forget the cached ISO texts (benchmarks measure the cold path with it)."""
    _ISO_CACHE.clear()
    _DAY_CACHE.clear()


def iso_from_ms(ms: Any) -> str | None:
    """``new Date(ms).toISOString()``: ``2025-11-02T18:06:24.700Z``.

    Exactly like JavaScript: fractional milliseconds are truncated toward zero (TimeClip),
    years 0–9999 have four digits (``0656-…``), others are expanded ``±YYYYYY`` (``-000001-…``,
    ``+010000-…``). ``None`` where JavaScript throws (NaN, ±Infinity, ``|ms| > 8.64e15``) and for
    anything that is not a number (see the module's out-of-range policy).

    Integer times from 1970 to 9999 (every real timestamp) take a fast path: the text per ms
    value and the date part per day are cached (bounded), the time of day comes from digit
    tables; everything else takes the general path below. Same text either way
    (``tests/core/test_jsfmt.py`` checks both against V8)."""
    if type(ms) is int and 0 <= ms < _YEAR_10000_MS:
        text = _ISO_CACHE.get(ms)
        if text is None:
            days, in_day = divmod(ms, MS_PER_DAY)
            head = _DAY_CACHE.get(days)
            if head is None:
                if len(_DAY_CACHE) >= _ISO_CACHE_MAX:
                    _DAY_CACHE.clear()
                year, month, day = _civil_from_days(days)
                head = _DAY_CACHE[days] = f"{year:04d}-{month:02d}-{day:02d}T"
            seconds, millis = divmod(in_day, 1000)
            minutes, second = divmod(seconds, 60)
            hour, minute = divmod(minutes, 60)
            text = f"{head}{_TWO_DIGITS[hour]}:{_TWO_DIGITS[minute]}:{_TWO_DIGITS[second]}.{_THREE_DIGITS[millis]}Z"
            if len(_ISO_CACHE) >= _ISO_CACHE_MAX:
                _ISO_CACHE.clear()
            _ISO_CACHE[ms] = text
        return text
    return _iso_general(ms)


def _iso_general(ms: Any) -> str | None:
    """:func:`iso_from_ms` for any value (the path of non-integers and years outside 1970–9999)."""
    n = finite_number(ms)
    if n is None or abs(n) > TIME_LIMIT_MS:
        return None
    t = n if isinstance(n, int) else math.trunc(n)
    days, in_day = divmod(t, MS_PER_DAY)
    year, month, day = _civil_from_days(days)
    hours, rest = divmod(in_day, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    if 0 <= year <= 9999:
        year_text = f"{year:04d}"
    else:
        year_text = f"{'+' if year > 0 else '-'}{abs(year):06d}"
    return f"{year_text}-{month:02d}-{day:02d}T{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}Z"


def js_number(x: float | int) -> str:
    """``String(x)`` for a JS number: shortest round-trip digits, JS exponent thresholds
    (``1e-7`` not ``1e-07``, ``1e+21`` not ``1e21``, ``-0`` → ``0``, ``NaN``, ``Infinity``).
    Ints beyond 2**53 print as the double JavaScript would hold; bools as ``true``/``false``."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        if -MAX_SAFE_INTEGER <= x <= MAX_SAFE_INTEGER:
            return str(x)
        try:
            x = float(x)  # JS has no big ints here: it would already be a double
        except OverflowError:
            return "Infinity" if x > 0 else "-Infinity"
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
    exponent = int(exponent) + len(digits) - len(stripped)
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
    """``String(value)`` for a JSON value: ``null``, ``true``, JS number text, arrays joined with
    ``,`` (null elements empty, like ``Array#toString``), objects ``[object Object]``."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return js_number(value)
    if isinstance(value, (list, tuple)):
        return ",".join("" if v is None else js_string(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def to_fixed(value: float, digits: int) -> str:
    """``Number#toFixed(digits)``: the exact value of the double, ties away from zero;
    ``String(x)`` from 1e21 on and for NaN/±Infinity; ``-0`` prints without its sign."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"to_fixed needs a number, not {type(value).__name__}")
    if not math.isfinite(value) or abs(value) >= 1e21:
        return js_number(value)
    if value == 0:
        value = 0  # (-0).toFixed(2) === "0.00"
    quantum = Decimal(1).scaleb(-digits)
    return str(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP, context=_FIXED_CONTEXT))


def js_round(value: float) -> int:
    """``Math.round`` of a finite number: halves go up (toward +∞), unlike Python's ``round``.
    Exact for every double (no ``x + 0.5`` rounding error: ``0.49999999999999994`` → 0)."""
    floor = math.floor(value)
    return floor + 1 if value - floor >= 0.5 else floor
