"""One reader per known metric file kind (telemetry-pipeline.md §7–8), all producing the common
:class:`~.model.ReadResult`; anything unknown goes to the generic JSON-path reader.

Known kinds (detected by shape, not by name, so renamed or copied files still read):

* ``m1-profile`` — ``{metadata, benchmarks:{name:{iterations, timing:{…}}}}`` (§7.3); also the
  app's own ``benchmarks/results/*.json``. Source = file name without the epoch suffix.
* ``layout-graph`` — ``{generatedAt, results:[{nodeCount, stats, budget, durations}]}`` (§7.4).
* ``performance`` — ``{generatedAt, metrics:{name:{averageMs, minMs, maxMs, samples, thresholdMs}}}``
  (§7.5 snapshots, §7.6 baselines, ``history/baseline-*.json``).
* ``save-load-latency`` — QA packet latency (§7.10/7.11), timed by the sibling ``metadata.json``
  ``createdAt``, with the ``thresholdMs`` acceptance limit and ``../baselines/latency-baseline.json``.
* ``latency-baseline`` — limits only (§7.11).
* ``save-load-metadata`` — packet metadata; read as the companion of the latency file (no runs).
* ``export-metrics`` — adapter metrics (§1.2, ``test-burst-metrics.json``) and the app's own
  ``export-metrics.jsonl`` history (one run per line).
* ``dashboard-feed`` — autosave burst feed (§7.9).
"""
from __future__ import annotations

import math
import os
import re
import stat as stat_
from array import array
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable

import numpy as np
import orjson

from .generic import content_time, filename_time, read_generic, run_time_for, run_times, source_name
from .model import (MAX_SAMPLES, TIME_FROM_CONTENT, TIME_FROM_FILENAME, Limit, ReadResult, Run, SeriesKey, make_key,
                    display_path, unit_for)
from .stats import summarize

MAX_FILE_BYTES = 64 * 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
TIMING_STATS = ("min", "max", "mean", "median", "p75", "p95", "p99")
SAMPLE_FIELDS = ("samples", "durations", "samplesMs", "durationsMs")


class MetricFileError(Exception):
    """A file that cannot be read as metrics; the message names the file and the place."""


# ------------------------------------------------------------------------------------- loading
def load_json_bytes(path: str, data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        where = f"{line}:{col}" if line else "?"
        raise MetricFileError(f"{display_path(path)}:{where}: not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc})") from None


def read_regular_file(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, opened read-only and non-blocking: a FIFO, device or socket
    named ``*.json`` is refused (never waited on), as is a file over ``limit`` bytes."""
    p = os.fspath(path)
    try:
        fd = os.open(p, _OPEN_FLAGS)
    except OSError as exc:
        raise MetricFileError(f"{display_path(p)}: cannot read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat_.S_ISREG(st.st_mode):
            raise MetricFileError(f"{display_path(p)}: not a regular file (a pipe, device or socket); skipped")
        if st.st_size > limit:
            raise MetricFileError(f"{display_path(p)}: {st.st_size / 1e6:.1f} MB is larger than the "
                                  f"{limit // 2**20} MiB metric file limit; not indexed")
        # one read of the size fstat gave (+1 to notice growth): a short read of a regular
        # file is its end; a fixed big read size would allocate (and map) that much each call
        first = os.read(fd, st.st_size + 1)
        if len(first) <= st.st_size:
            return first
        chunks = [first]
        total = len(first)
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise MetricFileError(f"{display_path(p)}: grew beyond the {limit // 2**20} MiB metric file limit; not indexed")
        return b"".join(chunks)
    except OSError as exc:
        raise MetricFileError(f"{display_path(p)}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


# A file this big may hold long arrays of numbers: those are parsed straight into float64
# arrays (8 bytes a value) instead of a list of Python floats (32 bytes a value), so memory
# stays within a few times the file. Anything unexpected falls back to plain orjson.loads.
BIG_FILE_BYTES = 4 * 1024 * 1024
_NUMERIC_ARRAY = re.compile(rb"\[(?=[\s]*-?[0-9])[-+0-9.eE,\s]{65536,}\]")
_PLACEHOLDER = "\u0000numeric-array:"
_CHUNK_BYTES = 1 << 20


def _parse_numbers(span: bytes) -> np.ndarray:
    """A flat JSON array of numbers (brackets stripped) as float64, parsed in ~1 MB pieces cut
    at commas, each validated by orjson (so the verdict equals parsing the whole array), into
    one preallocated array."""
    out = np.empty(span.count(b",") + 1, dtype=np.float64)
    filled = 0
    start, end = 0, len(span)
    while start < end:
        cut = span.find(b",", start + _CHUNK_BYTES) if start + _CHUNK_BYTES < end else -1
        stop = end if cut < 0 else cut
        values = orjson.loads(b"[" + span[start:stop] + b"]")
        n = len(values)
        if filled + n > len(out):
            raise ValueError("more values than commas allow")
        out[filled:filled + n] = values
        filled += n
        del values
        start = stop + 1
        if cut >= 0 and start >= end:        # a trailing comma: not JSON
            raise ValueError("trailing comma")
    if filled != len(out):
        raise ValueError("empty array element")
    return out


def _loads_with_arrays(data: bytes) -> Any:
    """orjson.loads, with every long flat numeric array returned as a float64 ndarray.
    Raises ValueError when the shortcut does not apply (the caller parses normally)."""
    spans = list(_NUMERIC_ARRAY.finditer(data))
    if not spans:
        raise ValueError("no long numeric arrays")
    pieces: list[bytes] = []
    arrays: dict[str, np.ndarray] = {}
    last = 0
    for k, m in enumerate(spans):
        pieces.append(data[last:m.start()])
        key = f"{_PLACEHOLDER}{k}"
        pieces.append(orjson.dumps(key))
        arrays[key] = _parse_numbers(data[m.start() + 1:m.end() - 1])
        last = m.end()
    pieces.append(data[last:])
    tree = orjson.loads(b"".join(pieces))   # a placeholder inside a string breaks the JSON: fallback

    def put_back(node: Any) -> Any:
        if isinstance(node, str):
            return arrays.pop(node, node) if node.startswith(_PLACEHOLDER) else node
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, (str, dict, list)):
                    node[key] = put_back(value)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, (str, dict, list)):
                    node[i] = put_back(value)
        return node

    tree = put_back(tree)
    if arrays:                              # a placeholder went missing (e.g. used as a key)
        raise ValueError("numeric array placeholders not all placed")
    return tree


def load_json_data(path: str, data: bytes) -> Any:
    """Parse a metric file's bytes; big files take the numeric-array shortcut when it applies."""
    if len(data) >= BIG_FILE_BYTES:
        try:
            return _loads_with_arrays(data)
        except (ValueError, orjson.JSONDecodeError):
            pass
    return load_json_bytes(path, data)


def load_json(path: str | Path) -> Any:
    """Read a JSON file read-only with orjson; errors name the file and line:column."""
    p = os.fspath(path)
    return load_json_bytes(p, read_regular_file(p))


# ------------------------------------------------------------------------------------- detection
def _is_dict(v: Any) -> bool:
    return isinstance(v, dict)


def _is_list(v: Any) -> bool:
    """A JSON array: a list, or a long numeric array the big-file shortcut made an ndarray."""
    return isinstance(v, (list, np.ndarray))


def is_m1_profile(obj: Any) -> bool:
    b = obj.get("benchmarks") if isinstance(obj, dict) else None
    if not isinstance(b, dict):
        return False
    return any(isinstance(v, dict) and isinstance(v.get("timing"), dict) for v in b.values())


def is_layout_graph(obj: Any) -> bool:
    r = obj.get("results") if _is_dict(obj) else None
    return _is_list(r) and bool(r) and all(_is_dict(x) and "nodeCount" in x and _is_dict(x.get("stats")) for x in r)


def is_performance(obj: Any) -> bool:
    m = obj.get("metrics") if _is_dict(obj) else None
    return _is_dict(m) and bool(m) and all(_is_dict(v) and "averageMs" in v for v in m.values())


def is_save_load_latency(obj: Any) -> bool:
    if not _is_dict(obj):
        return False
    s, samples = obj.get("summary"), obj.get("samples")
    if _is_list(samples) and samples and all(_is_dict(x) and ("loadMs" in x or "saveMs" in x) for x in samples):
        return True
    return _is_dict(s) and _is_dict(s.get("load")) and _is_dict(s.get("save"))


def is_latency_baseline(obj: Any) -> bool:
    return _is_dict(obj) and any(k in obj for k in ("maxLoadMs", "averageLoadMs", "maxSaveMs", "averageSaveMs")) \
        and all(isinstance(v, (int, float)) for v in obj.values())


def is_save_load_metadata(obj: Any) -> bool:
    return _is_dict(obj) and "packetId" in obj and _is_dict(obj.get("profile"))


def is_export_metrics(obj: Any) -> bool:
    return _is_dict(obj) and "artifactsAttempted" in obj and _is_list(obj.get("writerSummaries"))


def is_dashboard_feed(obj: Any) -> bool:
    return _is_dict(obj) and "successRate" in obj and _is_list(obj.get("timeline"))


# ------------------------------------------------------------------------------------- readers
_TIMING_KEYS: dict[tuple[str, str], tuple[tuple[tuple[str, SeriesKey], ...], dict[SeriesKey, str], SeriesKey]] = {}
_NUMBER_CLASSES = {float, int}


def _timing_keys(source: str, name: str) -> tuple[tuple[tuple[str, SeriesKey], ...], dict[SeriesKey, str], SeriesKey]:
    """The (statistic, key) pairs and units of one benchmark's timing block and its
    iterations key, made once per benchmark name rather than once per value (the same names
    recur in every file)."""
    found = _TIMING_KEYS.get((source, name))
    if found is None:
        if len(_TIMING_KEYS) > 20_000:
            _TIMING_KEYS.clear()
        pairs = tuple((stat, make_key(source, name, stat)) for stat in TIMING_STATS)
        found = _TIMING_KEYS[(source, name)] = (pairs, {key: "ms" for _, key in pairs},
                                                make_key(source, name, "iterations"))
    return found


def _timing_values(run: Run, source: str, name: str, timing: dict) -> None:
    """A timing block off the fast path: ints, other keys, or values that are not finite
    numbers (None, bools, strings, NaN/Infinity are skipped value by value)."""
    pairs, units, _ = _timing_keys(source, name)
    got = {key: timing[stat] for stat, key in pairs if stat in timing}
    classes = {v.__class__ for v in got.values()}
    if classes <= _NUMBER_CLASSES and math.isfinite(sum(got.values())):
        if int in classes:
            got = {key: float(v) for key, v in got.items()}
        run.values.update(got)
        run.units.update(units)
    else:
        for stat, _key in pairs:
            run.put(source, name, stat, timing.get(stat), "ms")


# (source, benchmark, *timing keys) -> the SeriesKey of each timing key in file order and their
# units, when every key is a TIMING_STATS name (the m1 shape), else False: one dict lookup per
# benchmark replaces the per-statistic work (the same layout recurs in every file of a folder)
_TIMING_LAYOUTS: dict[tuple[str, ...], tuple[tuple[SeriesKey, ...], dict[SeriesKey, str]] | bool] = {}
_FLOAT_ONLY = {float}
_TIMING_STAT_SET = frozenset(TIMING_STATS)


def _timing_layout(signature: tuple[str, ...]) -> tuple[tuple[SeriesKey, ...], dict[SeriesKey, str]] | bool:
    if len(_TIMING_LAYOUTS) > 20_000:
        _TIMING_LAYOUTS.clear()
    source, name, *stats = signature
    if not stats or not _TIMING_STAT_SET.issuperset(stats):
        layout: tuple | bool = False
    else:
        keys = tuple(make_key(source, name, stat) for stat in stats)
        layout = (keys, dict.fromkeys(keys, "ms"))
    _TIMING_LAYOUTS[signature] = layout
    return layout


def _timing_entry(run: Run, source: str, name: str, entry: dict) -> None:
    """One m1-profile benchmark: its timing statistics, iterations and extra fields. The
    common case (only statistics, all floats) is a few C-level operations per benchmark."""
    timing = entry.get("timing")
    if timing.__class__ is dict:
        signature = (source, name, *timing)
        layout = _TIMING_LAYOUTS.get(signature)
        if layout is None:
            layout = _timing_layout(signature)
        values = timing.values()
        # orjson gives finite floats only, but callers may pass any dict: sum() catches NaN/inf
        if layout and set(map(type, values)) == _FLOAT_ONLY and math.isfinite(sum(values)):
            keys, units = layout
            run.values.update(zip(keys, values))
            run.units.update(units)
        else:
            _timing_values(run, source, name, timing)
    elif isinstance(timing, dict):
        _timing_values(run, source, name, timing)
    iterations = entry.get("iterations")
    if iterations.__class__ is int:
        iterations_key = _timing_keys(source, name)[2]
        run.values[iterations_key] = float(iterations)
        run.units[iterations_key] = "count"
    elif iterations is not None:
        run.put(source, name, "iterations", iterations, "count")
    if len(entry) <= 2 and "timing" in entry:
        return                         # nothing else in the entry (the usual m1 shape)
    for key, value in entry.items():
        if key == "timing" or key == "iterations":
            continue
        if _is_list(value) and key in SAMPLE_FIELDS:
            run.keep_samples(source, name, value)
        elif isinstance(value, dict) and key == "memory":
            for mk, mv in value.items():
                run.put(source, name, f"memory.{mk}", mv, "MB" if mk.endswith("MB") else "bytes" if "Bytes" in mk else "")
        else:
            run.put(source, name, key, value, unit_for(key))


def read_m1_profile(path: str, obj: dict, mtime: float | None) -> ReadResult:
    result = ReadResult(path=path, reader="m1-profile")
    t, how = run_time_for(path, obj, mtime=mtime)
    src = source_name(path)
    run = Run(run_key="", time=t, time_source=how, label=os.path.basename(path))
    benchmarks = obj["benchmarks"]
    if not _m1_bulk(run, src, benchmarks):
        for name, entry in benchmarks.items():
            if isinstance(entry, dict):
                _timing_entry(run, src, name, entry)
            else:
                result.problems.append(f"{display_path(path)}: $.benchmarks.{name}: expected an object, found {type(entry).__name__}")
    result.runs.append(run)
    return result


# (source, statistics, *benchmark names) -> (series keys of the flat values, their units)
_M1_LAYOUTS: dict[tuple[str, ...], tuple[tuple[SeriesKey, ...], dict[SeriesKey, str]]] = {}
_STAT_GETTERS: dict[tuple[str, ...], Callable[[dict], tuple]] = {}
_ONLY_DICTS = {dict}
_ONLY_INTS = {int}
_get_timing = itemgetter("timing")
_get_iterations = itemgetter("iterations")
_get_memory = itemgetter("memory")


def _m1_layout(signature: tuple[str, ...]) -> tuple[tuple[SeriesKey, ...], dict[SeriesKey, str]]:
    if len(_M1_LAYOUTS) > 2_000:
        _M1_LAYOUTS.clear()
    source, stats, *names = signature
    timing_keys = tuple(make_key(source, name, stat) for name in names for stat in stats)
    iteration_keys = tuple(make_key(source, name, "iterations") for name in names)
    layout = _M1_LAYOUTS[signature] = (timing_keys + iteration_keys,
                                       {**dict.fromkeys(timing_keys, "ms"), **dict.fromkeys(iteration_keys, "count")})
    return layout


def _plain_m1(blocks: list[dict]) -> tuple[tuple[str, ...], list[float], list[int]] | None:
    """The plain m1 shape checked over one or more ``benchmarks`` blocks at once: every entry
    ``{iterations: int, timing: {the same statistics: floats}}`` (plus ``memory: null``, as the
    game writes). A handful of C-level passes over all entries of all blocks, no Python work
    per block, benchmark or value. Returns (the statistics, every timing value entry by entry
    in that order, every entry's iterations) or None when anything differs."""
    entries = [*chain.from_iterable(map(dict.values, blocks))]
    if set(map(type, entries)) != _ONLY_DICTS:
        return None
    try:
        timings = [*map(_get_timing, entries)]
        iterations = [*map(_get_iterations, entries)]
    except KeyError:
        return None
    if set(map(type, timings)) != _ONLY_DICTS or set(map(type, iterations)) != _ONLY_INTS:
        return None
    entry_sizes = set(map(len, entries))
    if entry_sizes != {2}:
        if entry_sizes != {3}:
            return None
        try:
            memory = [*map(_get_memory, entries)]
        except KeyError:
            return None
        if memory.count(None) != len(memory):
            return None
    stats = (*timings[0],)
    getter = _STAT_GETTERS.get(stats)
    if getter is None:
        if len(stats) < 2 or not _TIMING_STAT_SET.issuperset(stats) or len(_STAT_GETTERS) > 1_000:
            return None
        getter = _STAT_GETTERS[stats] = itemgetter(*stats)
    if set(map(len, timings)) != {len(stats)}:
        return None
    try:   # the same number of keys and every one found: each timing has exactly these
        values = [*chain.from_iterable(map(getter, timings))]
    except KeyError:
        return None
    # orjson gives finite floats only, but callers may pass any dict: sum() catches NaN/inf
    if set(map(type, values)) != _FLOAT_ONLY or not math.isfinite(sum(values)):
        return None
    return stats, values, iterations


def _m1_bulk(run: Run, source: str, benchmarks: dict) -> bool:
    """A whole m1 ``benchmarks`` block at once when it has the plain shape (``_plain_m1``).
    Gives the run its points as a layout + flat values. False (nothing added) when anything
    differs; the caller then reads entry by entry."""
    plain = _plain_m1([benchmarks])
    if plain is None:
        return False
    stats, values, iterations = plain
    signature = (source, stats, *benchmarks)
    layout = _M1_LAYOUTS.get(signature) or _m1_layout(signature)
    values += map(float, iterations)
    run.units.update(layout[1])
    run.set_flat(layout[0], values)
    return True


def read_layout_graph(path: str, obj: dict, mtime: float | None) -> ReadResult:
    result = ReadResult(path=path, reader="layout-graph")
    t, how = run_time_for(path, obj, mtime=mtime)
    run = Run(run_key="", time=t, time_source=how, label=os.path.basename(path))
    for entry in obj["results"]:
        name = f"nodes-{entry.get('nodeCount')}"
        for stat, value in entry["stats"].items():
            run.put("layout-graph", name, stat, value, "ms")
        run.put("layout-graph", name, "edgeCount", entry.get("edgeCount"), "count")
        durations = entry.get("durations")
        if _is_list(durations):
            run.keep_samples("layout-graph", name, durations)
        budget = entry.get("budget", {}).get("budget") if _is_dict(entry.get("budget")) else None
        if _is_dict(budget):
            for stat in ("mean", "max"):
                if isinstance(budget.get(stat), (int, float)):
                    result.limits.append(Limit("layout-graph", name, stat, float(budget[stat]), f"layout budget {stat} {budget[stat]} ms"))
    result.runs.append(run)
    return result


def read_performance(path: str, obj: dict, mtime: float | None) -> ReadResult:
    result = ReadResult(path=path, reader="performance")
    t, how = run_time_for(path, obj, mtime=mtime)
    run = Run(run_key="", time=t, time_source=how, label=os.path.basename(path))
    for name, m in obj["metrics"].items():
        samples = m.get("samples") if _is_list(m.get("samples")) else []
        summary = summarize(samples)
        run.put("performance", name, "mean", m.get("averageMs"), "ms")
        run.put("performance", name, "min", m.get("minMs", summary.get("min")), "ms")
        run.put("performance", name, "max", m.get("maxMs", summary.get("max")), "ms")
        for stat in ("median", "p95"):
            run.put("performance", name, stat, summary.get(stat), "ms")
        if samples:
            run.keep_samples("performance", name, samples)
        threshold = m.get("thresholdMs")
        if isinstance(threshold, (int, float)) and not isinstance(threshold, bool) and threshold > 0:
            result.limits.append(Limit("performance", name, "mean", float(threshold), f"threshold {threshold} ms"))
            avg = m.get("averageMs")
            if isinstance(avg, (int, float)):
                run.put("performance", name, "utilisation", round(avg / threshold * 100, 2), "%")
    result.runs.append(run)
    return result


def _latency_baseline_limits(obj: dict, label: str) -> list[Limit]:
    pairs = (("maxLoadMs", "load", "max"), ("averageLoadMs", "load", "mean"),
             ("maxSaveMs", "save", "max"), ("averageSaveMs", "save", "mean"))
    return [Limit("save-load-qa", bench, stat, float(obj[key]), f"{label} {key} {obj[key]} ms")
            for key, bench, stat in pairs if isinstance(obj.get(key), (int, float))]


def read_latency_baseline(path: str, obj: dict, mtime: float | None) -> ReadResult:
    return ReadResult(path=path, reader="latency-baseline", limits=_latency_baseline_limits(obj, "baseline"))


def read_save_load_latency(path: str, obj: dict, mtime: float | None) -> ReadResult:
    result = ReadResult(path=path, reader="save-load-latency")
    p = Path(path)
    meta_path = p.parent / "metadata.json"
    t, how = None, ""
    label = p.parent.name
    if meta_path.is_file():
        result.dependencies.append(str(meta_path))
        try:
            meta = load_json(meta_path)
            t = content_time(meta)
            how = TIME_FROM_CONTENT if t is not None else ""
        except MetricFileError as exc:
            result.problems.append(str(exc))
    if t is None:
        t = filename_time(p.parent.name)
        how = TIME_FROM_FILENAME if t is not None else ""
    if t is None:
        t, how = run_time_for(path, obj, mtime=mtime)
    run = Run(run_key="", time=t, time_source=how, label=label)
    samples = obj.get("samples") if _is_list(obj.get("samples")) else []
    summary = obj.get("summary") if _is_dict(obj.get("summary")) else {}
    for bench, field in (("save", "saveMs"), ("load", "loadMs")):
        values = [float(s[field]) for s in samples if _is_dict(s) and isinstance(s.get(field), (int, float))]
        if values:
            for stat, v in summarize(values).items():
                run.put("save-load-qa", bench, stat, v, "count" if stat == "count" else "ms")
            run.keep_samples("save-load-qa", bench, values)
        elif _is_dict(summary.get(bench)):  # packet made with --no-samples: only the rounded summary
            run.put("save-load-qa", bench, "mean", summary[bench].get("averageMs"), "ms")
            run.put("save-load-qa", bench, "max", summary[bench].get("maxMs"), "ms")
    threshold = summary.get("thresholdMs")
    if isinstance(threshold, (int, float)) and not isinstance(threshold, bool):
        result.limits.append(Limit("save-load-qa", "load", "max", float(threshold), f"acceptance {threshold} ms"))
    baseline = p.parent.parent / "baselines" / "latency-baseline.json"
    if baseline.is_file():
        result.dependencies.append(str(baseline))
        try:
            b = load_json(baseline)
            if is_latency_baseline(b):
                result.limits.extend(_latency_baseline_limits(b, "baseline"))
        except MetricFileError as exc:
            result.problems.append(str(exc))
    result.runs.append(run)
    return result


def read_save_load_metadata(path: str, obj: dict, mtime: float | None) -> ReadResult:
    """Packet metadata only times its latency file; its rounded averages would duplicate it."""
    return ReadResult(path=path, reader="save-load-metadata")


def export_metrics_run(metrics: dict, run: Run, source: str = "export-metrics") -> None:
    """Adapter metrics (§1.2) → 'export' totals plus one benchmark per writer id."""
    failures = metrics.get("failures")
    n_fail = len(failures) if _is_list(failures) else failures
    attempted = metrics.get("artifactsAttempted")
    duration = metrics.get("durationMs")
    run.put(source, "export", "durationMs", duration, "ms")
    run.put(source, "export", "artifactsAttempted", attempted, "count")
    run.put(source, "export", "artifactsWritten", metrics.get("artifactsWritten"), "count")
    run.put(source, "export", "failures", n_fail, "count")
    if isinstance(attempted, (int, float)) and attempted > 0 and isinstance(duration, (int, float)):
        run.put(source, "export", "durationMsPerArtifact", duration / attempted, "ms")
    writers = metrics.get("writerSummaries") if _is_list(metrics.get("writerSummaries")) else []
    for w in writers:
        if not _is_dict(w):
            continue
        name = f"writer {w.get('id') if w.get('id') not in (None, '') else '(anonymous)'}"
        for stat in ("durationMs", "attempted", "successes", "failures"):
            run.put(source, name, stat, w.get(stat), "ms" if stat == "durationMs" else "count")


def read_export_metrics(path: str, obj: dict, mtime: float | None) -> ReadResult:
    result = ReadResult(path=path, reader="export-metrics")
    t, how = run_time_for(path, obj, mtime=mtime)
    run = Run(run_key="", time=t, time_source=how, label=os.path.basename(path))
    export_metrics_run(obj, run)
    result.runs.append(run)
    return result


def read_dashboard_feed(path: str, obj: dict, mtime: float | None) -> ReadResult:
    result = ReadResult(path=path, reader="dashboard-feed")
    t, how = run_time_for(path, obj, mtime=mtime)
    run = Run(run_key="", time=t, time_source=how, label=f"{obj.get('slot', '')} {os.path.basename(path)}".strip())
    src = "autosave-burst"
    for stat, unit in (("successRate", "ratio"), ("successCount", "count"), ("failureCount", "count"),
                       ("iterations", "count"), ("durationMs", "ms")):
        run.put(src, "burst", stat, obj.get(stat), unit)
    results = obj.get("results") if _is_list(obj.get("results")) else []
    durations = [float(r["durationMs"]) for r in results if _is_dict(r) and isinstance(r.get("durationMs"), (int, float))]
    if durations:
        run.keep_samples(src, "burst", durations)
    for w in obj.get("writers") or []:
        if _is_dict(w):
            name = f"writer {w.get('id') or '(anonymous)'}"
            for stat in ("durationMs", "attempted", "successes", "failures"):
                run.put(src, name, stat, w.get(stat), "ms" if stat == "durationMs" else "count")
    artifacts = obj.get("artifacts")
    if _is_dict(artifacts):
        run.put(src, "artifacts", "total", artifacts.get("total"), "count")
    result.runs.append(run)
    return result


def read_jsonl(path: str, data: bytes, mtime: float | None) -> ReadResult:
    """A JSON-lines history: export-metrics entries (history_log) or generic objects, one run per line."""
    result = ReadResult(path=path, reader="jsonl")
    for lineno, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            result.problems.append(f"{display_path(path)}:{lineno}:{getattr(exc, 'colno', 1)}: not valid JSON; line skipped")
            continue
        if not _is_dict(obj):
            result.problems.append(f"{display_path(path)}:{lineno}: expected an object; line skipped")
            continue
        metrics = obj.get("metrics")
        t = content_time(obj)
        if t is None:
            t = float(mtime or 0.0)
        if is_export_metrics(metrics):
            ctx = obj.get("context") if _is_dict(obj.get("context")) else {}
            run = Run(run_key=f"#{lineno}", time=t, time_source=TIME_FROM_CONTENT,
                      label=str(ctx.get("prefix") or ctx.get("label") or f"export line {lineno}"))
            export_metrics_run(metrics, run)
            result.reader = "export-metrics-history"
        else:
            generic = read_generic(path, obj, mtime=mtime)
            run = generic.runs[0]
            run.run_key, run.label = f"#{lineno}", f"{os.path.basename(path)}:{lineno}"
            run.time, run.time_source = t, TIME_FROM_CONTENT
        result.runs.append(run)
    return result


KNOWN_READERS: list[tuple[str, Callable[[Any], bool], Callable[[str, Any, float | None], ReadResult]]] = [
    ("m1-profile", is_m1_profile, read_m1_profile),
    ("layout-graph", is_layout_graph, read_layout_graph),
    ("performance", is_performance, read_performance),
    ("save-load-latency", is_save_load_latency, read_save_load_latency),
    ("latency-baseline", is_latency_baseline, read_latency_baseline),
    ("save-load-metadata", is_save_load_metadata, read_save_load_metadata),
    ("export-metrics", is_export_metrics, read_export_metrics),
    ("dashboard-feed", is_dashboard_feed, read_dashboard_feed),
]


def detect_kind(obj: Any) -> str:
    """The name of the known reader for this document, or ``"generic"``."""
    for name, matches, _ in KNOWN_READERS:
        if matches(obj):
            return name
    return "generic"


def read_metric_file(path: str | Path, *, mtime: float | None = None) -> ReadResult:
    """Read one metric file (JSON or JSONL) with the reader its shape calls for.

    Never raises for bad content: unreadable files (not regular, too big, not JSON) give a
    ReadResult with no runs and a problem naming the file and the place. The file's bytes are
    dropped once parsed, and raw samples are capped per series (``Run.keep_samples``), so
    memory stays within a few times the file.
    """
    reader = BatchReader()
    reader.add(os.fspath(path), mtime)
    return reader.result(0)


# ------------------------------------------------------------------------------------- batches
# A parsed file is held for its batch's joint reading only when it is this small, and a
# batch reads what it holds as soon as the held files add up to HOLD_BATCH_BYTES (so what is
# held stays a few MB; the usual m1 file is ~1.2 KB, so a batch of 200 holds ~250 KB).
HOLD_FILE_BYTES = 256 << 10
HOLD_BATCH_BYTES = 2 << 20
# Unexpected failures of one file's reading: a located problem for that file, never a crash.
_UNEXPECTED = (MemoryError, RecursionError, ArithmeticError, ValueError, TypeError, OSError)


@dataclass(slots=True)
class PlainM1Files:
    """Plain m1 profiles of one batch that share one layout, read together: what each file's
    ReadResult (reader ``m1-profile``, one Run labelled with the file name, no problems)
    holds, in columns."""

    layout: tuple[SeriesKey, ...]         # the series of every file's points (shared, see _m1_layout)
    units: dict[SeriesKey, str]
    paths: list[str]
    times: list[tuple[float, str]]        # (run time, how it was found)
    values: list[bytes]                   # each file's points: float64 in layout order

    def result(self, i: int) -> ReadResult:
        """File ``i`` as a ReadResult (equal to what the file-by-file reading gives)."""
        t, how = self.times[i]
        run = Run(run_key="", time=t, time_source=how, label=os.path.basename(self.paths[i]))
        run.units.update(self.units)
        run.set_flat(self.layout, array("d", self.values[i]).tolist())
        return ReadResult(path=self.paths[i], reader="m1-profile", runs=[run])


class BatchReader:
    """Reads the files of one ingest batch; each file's result equals ``read_metric_file``'s.

    The usual result file, a small m1 profile, is held parsed until :meth:`finish`, which
    checks the plain shape and takes the values of every held file of one layout (the files
    of a folder usually share one) with one set of C-level passes, instead of a set per file.
    A layout group with anything else in it — one odd entry, one string for a number — is read
    file by file, so nothing is lost and every verdict stays the file-by-file one.

    ``items`` has one entry per added file, in order: a :class:`ReadResult`, or
    ``(PlainM1Files, index)`` for a file read with its group."""

    def __init__(self) -> None:
        self.items: list[ReadResult | tuple[PlainM1Files, int] | None] = []
        self._held: list[tuple[int, str, dict, float | None]] = []    # (item, path, parsed, mtime)
        self._held_bytes = 0

    def add(self, path: str, mtime: float | None = None) -> None:
        """Read (or hold) one file; ``mtime`` in epoch seconds, as read_metric_file takes it."""
        slot = len(self.items)
        self.items.append(None)
        try:
            self._add(slot, path, mtime)
        except _UNEXPECTED as exc:
            self.items[slot] = _unexpected(path, exc)

    def _add(self, slot: int, path: str, mtime: float | None) -> None:
        try:
            data = read_regular_file(path)
            if path[-6:].lower() == ".jsonl":
                result = read_jsonl(path, data, mtime)
                _note_trimmed(result)
                self.items[slot] = result
                return
            size = len(data)
            buf = [data]
            del data
            obj = load_json_data(path, buf.pop())
        except MetricFileError as exc:
            self.items[slot] = ReadResult(path=path, reader="error", problems=[str(exc)])
            return
        if size <= HOLD_FILE_BYTES and obj.__class__ is dict:
            benchmarks = obj.get("benchmarks")
            if benchmarks.__class__ is dict and benchmarks:
                self._held.append((slot, path, obj, mtime))
                self._held_bytes += size
                if self._held_bytes >= HOLD_BATCH_BYTES:
                    self._read_held()
                return
        self.items[slot] = _read_parsed(path, obj, mtime)

    def finish(self) -> list[ReadResult | tuple[PlainM1Files, int] | None]:
        """Read what is held; ``items`` is complete from now on."""
        self._read_held()
        return self.items

    def result(self, i: int) -> ReadResult:
        """File ``i`` (in the order added) as a ReadResult."""
        item = self.finish()[i]
        if item.__class__ is tuple:
            group, k = item
            return group.result(k)
        assert isinstance(item, ReadResult)
        return item

    def _read_held(self) -> None:
        held, self._held, self._held_bytes = self._held, [], 0
        groups: dict[tuple[str, ...], list[tuple[int, str, dict, float | None]]] = {}
        for item in held:
            groups.setdefault((source_name(item[1]), *item[2]["benchmarks"]), []).append(item)
        for signature, members in groups.items():
            try:
                group = _plain_m1_group(signature, members)
            except _UNEXPECTED:
                group = None
            if group is None:                  # not all plain: file by file, as read_metric_file
                for slot, path, obj, mtime in members:
                    try:
                        self.items[slot] = _read_parsed(path, obj, mtime)
                    except _UNEXPECTED as exc:
                        self.items[slot] = _unexpected(path, exc)
            else:
                for i, member in enumerate(members):
                    self.items[member[0]] = (group, i)


def _plain_m1_group(signature: tuple[str, ...], members: list[tuple[int, str, dict, float | None]]
                    ) -> PlainM1Files | None:
    """The files of one (source, benchmark names) group, when all have the plain m1 shape."""
    plain = _plain_m1([obj["benchmarks"] for _, _, obj, _ in members])
    if plain is None:
        return None
    stats, values, iterations = plain
    source, *names = signature
    layout, units = _M1_LAYOUTS.get((source, stats, *names)) or _m1_layout((source, stats, *names))
    n, timing_width = len(members), len(names) * len(stats)
    table = np.empty((n, len(layout)), dtype=np.float64)
    table[:, :timing_width] = np.array(values, dtype=np.float64).reshape(n, timing_width)
    table[:, timing_width:] = np.array(iterations, dtype=np.float64).reshape(n, len(names))
    blob = table.tobytes()
    width = len(layout) * 8
    paths = [path for _, path, _, _ in members]
    return PlainM1Files(layout, units, paths,
                        run_times(paths, [obj for _, _, obj, _ in members], [mtime for *_, mtime in members]),
                        [blob[i:i + width] for i in range(0, len(blob), width)])


def _unexpected(path: str, exc: BaseException) -> ReadResult:
    return ReadResult(path=path, reader="error",
                      problems=[f"{display_path(path)}: could not be read ({type(exc).__name__}: {exc})"])


def _read_parsed(p: str, obj: Any, mtime: float | None) -> ReadResult:
    result = _read_object(p, obj, mtime)
    for run in result.runs:
        if run.trimmed:
            _note_trimmed(result)
            break
    return result


def _read_object(p: str, obj: Any, mtime: float | None) -> ReadResult:
    for name, matches, reader in KNOWN_READERS:
        if matches(obj):
            try:
                return reader(p, obj, mtime)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:  # odd variant of a known shape
                fallback = read_generic(p, obj, mtime=mtime)
                fallback.problems.append(f"{display_path(p)}: looks like {name} but could not be read as one ({exc}); read generically")
                return fallback
    if isinstance(obj, (dict, list)):
        return read_generic(p, obj, mtime=mtime)
    return ReadResult(path=p, reader="generic", problems=[f"{display_path(p)}:1:1: a bare {type(obj).__name__}, no metrics"])


def _note_trimmed(result: ReadResult) -> None:
    """One located note per series whose raw samples were thinned for the box plot."""
    for run in result.runs:
        for (source, bench), total in run.trimmed.items():
            where = f"{display_path(result.path)}{':' + run.run_key.lstrip('#') if run.run_key else ''}"
            result.problems.append(
                f"{where}: {source} / {bench}: {total:,} samples; the box plot keeps an evenly spaced "
                f"{MAX_SAMPLES:,} (the statistics use all of them)")


def finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
