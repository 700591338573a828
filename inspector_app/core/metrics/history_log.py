"""The app's own export history: one JSON line per export in ``<data dir>/export-metrics.jsonl``.

The game never kept its adapter metrics (§1.2) beyond one ``test-burst-metrics.json``; the app
appends every export's metrics here so the metric history view can chart export durations and
failures over time against the 10 ms-per-artifact budget. Line shape::

    {"timestamp": ISO, "generatedAt": epoch ms, "context": {...},
     "metrics": {"artifactsAttempted", "artifactsWritten", "failures", "writerSummaries", "durationMs"}}

Appends hold an exclusive lock (``fcntl.flock`` where available, plus a process-local lock)
and write each line with one ``write`` call on an ``O_APPEND`` descriptor, so concurrent
writers never interleave partial lines; a torn last line (crash mid-write) is skipped by the
reader with a located message.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import orjson

from inspector_app.core.common.jsfmt import iso_from_ms
from inspector_app.core.common.userdirs import data_dir

HISTORY_FILE_NAME = "export-metrics.jsonl"
_METRIC_FIELDS = ("artifactsAttempted", "artifactsWritten", "failures", "writerSummaries", "durationMs")
_local_lock = threading.Lock()

try:  # POSIX advisory lock between processes
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def history_path(data_dir_: str | Path | None = None) -> Path:
    """``<data dir>/export-metrics.jsonl`` (the default data dir when none is given)."""
    return (Path(data_dir_) if data_dir_ is not None else data_dir()) / HISTORY_FILE_NAME


def _normalise_metrics(metrics: dict) -> dict:
    """Keep the adapter fields; ``failures`` records become JSON-safe (errors as their message)."""
    out: dict[str, Any] = {}
    for key in _METRIC_FIELDS:
        if key not in metrics:
            continue
        value = metrics[key]
        if key == "failures" and isinstance(value, list):
            value = [
                {k: (str(v) if isinstance(v, BaseException) else v) for k, v in f.items()} if isinstance(f, dict) else str(f)
                for f in value
            ]
        out[key] = value
    return out


def append_export_metrics(metrics: dict, *, context: dict, data_dir: str | Path | None = None) -> Path:
    """Append one export's adapter metrics as a JSON line; returns the history file path.

    ``metrics`` is the adapter's return value (§1.2 step 9); ``context`` the export context
    (prefix, formats, artifactCount, source, …). Non-JSON values in the context are written as
    strings rather than failing the export.
    """
    if not isinstance(metrics, dict):
        raise TypeError("metrics must be the adapter's metrics dict")
    path = history_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    now_ms = int(time.time() * 1000)
    entry = {"timestamp": iso_from_ms(now_ms), "generatedAt": now_ms, "context": dict(context or {}),
             "metrics": _normalise_metrics(metrics)}
    line = orjson.dumps(entry, default=str, option=orjson.OPT_NON_STR_KEYS) + b"\n"
    with _local_lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    return path


def read_export_history(path: str | Path | None = None, problems: list[str] | None = None) -> Iterator[dict]:
    """Yield the valid entries of an export history file in file order; bad lines are skipped
    and described (``path:line:col``) in ``problems`` when a list is given."""
    p = Path(path) if path is not None else history_path()
    try:
        with open(p, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return
    except OSError as exc:
        if problems is not None:
            problems.append(f"{p}: cannot read ({exc.strerror or exc})")
        return
    for lineno, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entry = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            if problems is not None:
                problems.append(f"{p}:{lineno}:{getattr(exc, 'colno', 1)}: not valid JSON; line skipped")
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("metrics"), dict):
            if problems is not None:
                problems.append(f"{p}:{lineno}: not an export metrics entry; line skipped")
            continue
        yield entry
