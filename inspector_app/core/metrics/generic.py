"""Plot numbers from JSON files the app has never seen.

Every finite numeric leaf becomes a series addressed by its JSON path, so a user can pick paths
and follow them across a folder of files. Arrays of objects are addressed by an identifying
field when they have one (``results[window=60].timings.getMetrics.averageMs``) so the same
path means the same thing in every file even when array order changes; plain numeric arrays
become a distribution (mean/min/max/median/p95/count plus the samples for the box plot).

The run time is found, in this order, in the content (``timestamp``/``generatedAt``/``createdAt``
… at the top level or under ``metadata``/``summary``), in the file name (epoch ms, ISO-like,
``YYYYMMDDTHHMMSSZ`` or a date), else the file's modification time.
"""
from __future__ import annotations

import math
import os
import re
from datetime import datetime, timezone
from itertools import repeat
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from .model import (TIME_FROM_CONTENT, TIME_FROM_FILENAME, TIME_FROM_MTIME, ReadResult, Run, as_samples, display_path,
                    unit_for)
from .stats import summarize

TIME_KEYS = ("timestamp", "generatedAt", "generatedIso", "createdAt", "startedAt", "preparedAt", "date", "time")
TIME_CONTAINERS = ("", "metadata", "summary", "meta")
_TIME_KEY_SET = frozenset(TIME_KEYS)
ID_FIELDS = ("id", "name", "window", "nodeCount", "key", "label", "approach", "type", "iteration", "slot")
MAX_LEAVES = 2000
MAX_DEPTH = 32
MIN_VALID_EPOCH_S = 86400 * 365  # ignore epoch-0 placeholder dates (1970-…)

_EPOCH_MS = re.compile(r"(?<!\d)(1\d{12})(?!\d)")
_ISO_LIKE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T_ ](\d{2})[-:](\d{2})[-:](\d{2})(?:[-.:](\d{1,6}))?Z?")
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?")
_DATE = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")
_DASH_RUN = re.compile(r"[-_]{2,}")
_LEADING_SEP = re.compile(r"^[-_.:\s]+")
_TRAILING_SEP = re.compile(r"[-_.:\s]+$")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


# ---------------------------------------------------------------------------------------- time
def parse_time_value(value: Any) -> float | None:
    """Epoch seconds from an ISO string or an epoch number (ms or s); None if not a plausible time."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and math.isfinite(value):
        seconds = value / 1000.0 if value > 1e11 else float(value)
        return seconds if MIN_VALID_EPOCH_S < seconds < 4102444800 else None
    if isinstance(value, str) and 8 <= len(value) <= 40:
        text = value.strip()
        try:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=timezone.utc)
        seconds = dt.timestamp()
        return seconds if seconds > MIN_VALID_EPOCH_S else None
    return None


def content_time(obj: Any) -> float | None:
    """The first plausible timestamp among the usual keys, top level first."""
    if not isinstance(obj, dict):
        return None
    for container in TIME_CONTAINERS:
        node = obj if not container else obj.get(container)
        if not isinstance(node, dict) or node.keys().isdisjoint(_TIME_KEY_SET):
            continue
        for key in TIME_KEYS:
            if key in node:
                t = parse_time_value(node[key])
                if t is not None:
                    return t
    return None


def run_times(paths: list[str], objs: list[Any], mtimes: list[float | None]) -> list[tuple[float, str]]:
    """``[run_time_for(p, o, mtime=m) ...]`` for many documents: the usual shape — no time key
    at the top level, ``metadata.timestamp`` a plausible time (the first key content_time
    looks at there) — is found with a few C-level passes over all of them; any other document
    is asked about on its own."""
    found: list[float | None] = [None] * len(objs)
    if set(map(type, objs)) == _DICT_ONLY and all(map(_TIME_KEY_SET.isdisjoint, objs)):
        metas = [*map(dict.get, objs, repeat("metadata"))]
        if set(map(type, metas)) == _DICT_ONLY:
            found = [*map(parse_time_value, map(dict.get, metas, repeat("timestamp")))]
    return [(t, TIME_FROM_CONTENT) if t is not None else run_time_for(path, obj, mtime=mtime)
            for t, path, obj, mtime in zip(found, paths, objs, mtimes)]


_DICT_ONLY = {dict}


def filename_time(name: str) -> float | None:
    """A time embedded in a file or folder name (epoch ms, ISO with - or :, compact, date)."""
    m = _EPOCH_MS.search(name)
    if m:
        return int(m.group(1)) / 1000.0
    m = _ISO_LIKE.search(name)
    if m:
        y, mo, d, h, mi, s, frac = m.groups()
        try:
            dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=timezone.utc)
        except ValueError:
            return None
        return dt.timestamp() + (int(frac) / 10 ** len(frac) if frac else 0.0)
    for pattern in (_COMPACT, _DATE):
        m = pattern.search(name)
        if m:
            parts = [int(g) for g in m.groups()]
            try:
                return datetime(*parts, tzinfo=timezone.utc).timestamp()
            except ValueError:
                continue
    return None


def run_time_for(path: str | Path, obj: Any = None, *, mtime: float | None = None) -> tuple[float, str]:
    """(epoch seconds, how it was found): content timestamp, else file name, else mtime."""
    t = content_time(obj)
    if t is not None:
        return t, TIME_FROM_CONTENT
    p = Path(path)
    t = filename_time(p.name)
    if t is None:
        t = filename_time(p.parent.name)
    if t is not None:
        return t, TIME_FROM_FILENAME
    if mtime is None:
        try:
            mtime = os.stat(p).st_mtime
        except OSError:
            mtime = 0.0
    return float(mtime), TIME_FROM_MTIME


_NAME_THEN_EPOCH = re.compile(r"(.*[^\d])(1\d{12})")
_FOUR_DIGITS = re.compile(r"\d{4}")
_SOURCE_OF_PREFIX: dict[str, str] = {}


def source_name(path: str | Path) -> str:
    """A stable source name for a file: its stem without timestamps, epochs or UUIDs."""
    full = os.fspath(path)
    stem = os.path.basename(full)
    for ext in (".jsonl", ".json"):
        if stem.lower().endswith(ext):
            stem = stem[: -len(ext)]
    # A cached <name> ending in ASCII epoch digits after a non-digit: the pattern below would
    # match with this very <name> (a cached one has no newline), so the answer is the cached one.
    epoch = stem[-13:]
    if epoch[:1] == "1" and len(stem) > 13 and epoch.isascii() and epoch.isdigit() and not stem[-14].isdecimal():
        cached = _SOURCE_OF_PREFIX.get(stem[:-13])
        if cached:
            return cached
    # the common case, "<name>-<epoch ms>": with no 4-digit run and no UUID in <name>, only the
    # epoch pattern can match, so the source depends on <name> alone (same result, cached)
    m = _NAME_THEN_EPOCH.fullmatch(stem)
    if m and not _FOUR_DIGITS.search(m.group(1)) and not _UUID.search(stem):
        prefix = m.group(1)
        cached = _SOURCE_OF_PREFIX.get(prefix)
        if cached is None:
            cached = _clean_source(prefix)
            if len(_SOURCE_OF_PREFIX) < 10_000:
                _SOURCE_OF_PREFIX[prefix] = cached
        if cached:
            return cached
    cleaned = _clean_source(stem)
    if not cleaned:
        parent = os.path.basename(os.path.dirname(full))
        return source_name(parent) if parent and parent != stem else "json"
    return cleaned


def _clean_source(stem: str) -> str:
    cleaned = _UUID.sub("", stem)
    for pattern in (_ISO_LIKE, _COMPACT, _EPOCH_MS, _DATE):
        cleaned = pattern.sub("", cleaned)
    return _TRAILING_SEP.sub("", _LEADING_SEP.sub("", _DASH_RUN.sub("-", cleaned)))


# ---------------------------------------------------------------------------------------- leaves
def _key_part(key: str) -> str:
    return f".{key}" if re.fullmatch(r"[A-Za-z_$][\w$-]*", key) else f"[{key!r}]"


def _element_part(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for field in ID_FIELDS:
            v = item.get(field)
            if isinstance(v, (str, int)) and not isinstance(v, bool) and str(v) != "":
                return f"[{field}={v}]"
    return f"[{index}]"


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def numeric_leaves(obj: Any, prefix: str = "$", depth: int = 0) -> Iterator[tuple[str, Any]]:
    """Yield ``(json_path, number)`` for scalar leaves and ``(json_path, [numbers])`` for numeric
    arrays (two or more items), depth first, in document order."""
    if depth > MAX_DEPTH:
        return
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from numeric_leaves(value, prefix + _key_part(str(key)), depth + 1)
    elif isinstance(obj, np.ndarray):          # a long numeric array from the big-file shortcut
        if len(obj) >= 2:
            yield prefix, obj
    elif isinstance(obj, list):
        if len(obj) >= 2 and all(_is_number(v) for v in obj):
            yield prefix, obj
            return
        seen: set[str] = set()
        for index, item in enumerate(obj):
            part = _element_part(item, index)
            if part in seen:  # duplicate id: fall back to the index so paths stay unique
                part = f"[{index}]"
            seen.add(part)
            yield from numeric_leaves(item, prefix + part, depth + 1)
    elif _is_number(obj):
        yield prefix, obj


def split_path(json_path: str) -> tuple[str, str]:
    """``$.a.b[window=60].c`` → (benchmark ``a.b[window=60]``, statistic ``c``)."""
    body = json_path[1:].lstrip(".") if json_path.startswith("$") else json_path
    m = re.search(r"(\.[^.\[\]]+|\[[^\]]*\])$", body)
    if not m or m.start() == 0:
        return "(root)", body.lstrip(".") or "value"
    stat = m.group(1)
    stat = stat[1:] if stat.startswith(".") else stat
    return body[: m.start()], stat


def read_generic(path: str, obj: Any, *, mtime: float | None = None, source: str | None = None) -> ReadResult:
    """Any JSON document → one run whose series are its numeric leaves (capped at MAX_LEAVES)."""
    result = ReadResult(path=path, reader="generic")
    t, how = run_time_for(path, obj, mtime=mtime)
    src = source or source_name(path)
    run = Run(run_key="", time=t, time_source=how, label=os.path.basename(path))
    count = 0
    for json_path, value in numeric_leaves(obj):
        if count >= MAX_LEAVES:
            result.problems.append(f"{display_path(path)}: more than {MAX_LEAVES} numeric values; the rest are not indexed")
            break
        if isinstance(value, (list, np.ndarray)):
            bench = json_path.lstrip("$").lstrip(".") or "(root)"
            samples = as_samples(value)
            for stat, v in summarize(samples).items():
                run.put(src, bench, stat, v, unit_for(json_path))
            run.keep_samples(src, bench, samples)
            del samples
            count += 1
            continue
        if json_path.rsplit(".", 1)[-1].lower() in TIME_KEYS_LOWER:
            continue  # timestamps are the x axis, not a metric
        benchmark, statistic = split_path(json_path)
        run.put(src, benchmark, statistic, value, unit_for(statistic))
        count += 1
    result.runs.append(run)
    return result


TIME_KEYS_LOWER = {k.lower() for k in TIME_KEYS} | {"lastupdated", "generatedatms"}
