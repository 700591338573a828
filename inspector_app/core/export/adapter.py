"""``WriterAdapter`` — fan artifacts out to writers, isolate failures, measure (spec §1).

Same algorithm as the game's ``TelemetryArtifactWriterAdapter``: writers in registration
order, artifact-major, strictly sequential; one failing writer never stops the others;
per-writer ``{id, attempted, successes, failures, durationMs}`` and totals
``{artifactsAttempted, artifactsWritten, failures[], writerSummaries[], durationMs}``
(``artifactsAttempted`` counts artifacts, ``artifactsWritten`` successful writer calls).

Differences (docs/export-deviations.md): failures carry a readable ``error`` string and
``errorType`` (the game's JSON shows ``{}``); durations are float milliseconds (3 dp) from a
monotonic clock; a ``cancelled`` callback is checked between artifacts; every
artifact × writer outcome is also kept as a :class:`WriteRecord` for result views.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from . import events as ev
from .artifacts import Artifact
from .events import EventBus
from ..common.fileio import describe_os_error
from .writers import WriterError

log = logging.getLogger(__name__)

Clock = Callable[[], float]  # milliseconds


def _monotonic_ms() -> float:
    return time.perf_counter_ns() / 1e6


@dataclass
class RegisteredWriter:
    id: str
    write: Callable[[Any, dict], Any]
    writer: Any = None


@dataclass
class WriterSummary:
    id: str
    attempted: int = 0
    successes: int = 0
    failures: int = 0
    duration_ms: float = 0.0

    def to_json(self) -> dict:
        return {"id": self.id, "attempted": self.attempted, "successes": self.successes,
                "failures": self.failures, "durationMs": round(self.duration_ms, 3)}


@dataclass
class FailureRecord:
    """One failed writer call: which writer, which artifact, and why."""

    writer_id: str
    filename: str
    type: str
    error: str
    error_type: str
    code: str | None = None

    def to_json(self) -> dict:
        return {"writerId": self.writer_id, "artifact": {"filename": self.filename, "type": self.type},
                "error": self.error, "errorType": self.error_type, "errorCode": self.code}


@dataclass
class WriteRecord:
    """The outcome of one artifact × writer call (what the GUI result panel lists)."""

    filename: str
    type: str
    section: str | None
    writer_id: str
    status: str                  # "written" | "unchanged" (identical file already there) | "failed" | "skipped"
    location: str | None = None  # path (filesystem), "memory:<name>", or what the writer returned
    size: int | None = None      # bytes of the artifact content (UTF-8)
    duration_ms: float = 0.0
    reason: str | None = None

    def to_json(self) -> dict:
        return {"filename": self.filename, "type": self.type, "section": self.section,
                "writer": self.writer_id, "status": self.status, "path": self.location,
                "size": self.size, "durationMs": round(self.duration_ms, 3), "reason": self.reason}


@dataclass
class AdapterMetrics:
    artifacts_attempted: int = 0
    artifacts_written: int = 0
    failures: list[FailureRecord] = field(default_factory=list)
    writer_summaries: list[WriterSummary] = field(default_factory=list)
    duration_ms: float = 0.0
    writes: list[WriteRecord] = field(default_factory=list)
    cancelled: bool = False

    def to_json(self) -> dict:
        """The game's metrics shape (``test-burst-metrics.json``), failures made readable."""
        return {
            "artifactsAttempted": self.artifacts_attempted,
            "artifactsWritten": self.artifacts_written,
            "failures": [f.to_json() for f in self.failures],
            "writerSummaries": [w.to_json() for w in self.writer_summaries],
            "durationMs": round(self.duration_ms, 3),
        }

    def event_payload(self, context: dict) -> dict:
        """``telemetry:artifacts_written``: failures as a count, summaries without ``attempted``."""
        return {
            "artifactsAttempted": self.artifacts_attempted,
            "artifactsWritten": self.artifacts_written,
            "failures": len(self.failures),
            "context": context,
            "durationMs": round(self.duration_ms, 3),
            "writerSummaries": [{"id": w.id, "successes": w.successes, "failures": w.failures,
                                 "durationMs": round(w.duration_ms, 3)} for w in self.writer_summaries],
        }


class WriterAdapter:
    """Registered writers + the fan-out loop. Not thread-safe: one export at a time."""

    def __init__(self, writers: Iterable[Any] = (), *, bus: EventBus | None = None,
                 logger: logging.Logger | None = None, clock: Clock | None = None) -> None:
        self.bus = bus
        self.log = logger or log
        self.clock: Clock = clock if callable(clock) else _monotonic_ms
        self.writers: list[RegisteredWriter] = []
        for w in writers:
            self.add_writer(w)

    def add_writer(self, writer: Any, *, id: str | None = None) -> RegisteredWriter:
        """Register a writer (object with ``write`` or a callable); ids follow the game's
        ``meta.id ?? writer.id ?? writer.name ?? writer_<n>`` (lambdas count as unnamed)."""
        if writer is None or writer is False:
            raise ValueError("WriterAdapter requires a writer")
        if callable(getattr(writer, "write", None)):
            write = writer.write
        elif callable(writer):
            write = writer
        else:
            raise TypeError("Writer must be a function or expose a write(artifact, context) method")
        name = getattr(writer, "__name__", None)
        if name == "<lambda>":
            name = None
        writer_id = id if id is not None else getattr(writer, "id", None)
        if writer_id is None:
            writer_id = name if name is not None else f"writer_{len(self.writers) + 1}"
        registered = RegisteredWriter(str(writer_id), write, writer)
        self.writers.append(registered)
        return registered

    def _emit(self, name: str, payload: Any) -> None:
        if self.bus is not None:
            self.bus.emit(name, payload)

    def write_artifacts(self, artifacts: Iterable[Artifact | dict | None], context: dict | None = None, *,
                        cancelled: Callable[[], bool] | None = None,
                        progress: Callable[[int, int, str], Any] | None = None) -> AdapterMetrics:
        """Write every artifact with every writer; never raises for a writer's failure.

        ``progress(done, total, filename)`` is called after each artifact; ``cancelled()``
        is checked before each artifact — when it answers True the loop stops, the
        remaining artifacts are recorded as ``skipped`` and ``metrics.cancelled`` is set.
        """
        items = [a for a in (artifacts or []) if a]
        ctx = dict(context or {})
        start = self.clock()
        summaries = [WriterSummary(w.id) for w in self.writers]
        metrics = AdapterMetrics(artifacts_attempted=0, writer_summaries=summaries)
        for index, artifact in enumerate(items):
            if cancelled is not None and cancelled():
                metrics.cancelled = True
                for rest in items[index:]:
                    fn, ty, sec = _identity(rest)
                    for w in self.writers:
                        metrics.writes.append(WriteRecord(fn, ty, sec, w.id, "skipped", reason="cancelled"))
                break
            metrics.artifacts_attempted += 1
            filename, a_type, section = _identity(artifact)
            size = artifact.size if isinstance(artifact, Artifact) else _size_of(artifact)
            for writer, summary in zip(self.writers, summaries):
                summary.attempted += 1
                call_start = self.clock()
                try:
                    location = writer.write(artifact, {**ctx, "writerId": writer.id})
                except Exception as exc:  # noqa: BLE001 — failure isolation is the point
                    elapsed = max(self.clock() - call_start, 0.0)
                    summary.failures += 1
                    reason = _reason(exc)
                    record = FailureRecord(writer.id, filename or "unknown", a_type or "unknown", reason,
                                           type(exc).__name__, getattr(exc, "code", None))
                    metrics.failures.append(record)
                    metrics.writes.append(WriteRecord(filename or "unknown", a_type or "unknown", section, writer.id,
                                                      "failed", None, size, elapsed, reason))
                    self.log.warning("[WriterAdapter] Writer failed: writer=%s file=%s: %s",
                                     writer.id, filename, reason)
                    if self.bus is not None:
                        self.bus.emit(ev.ARTIFACT_FAILED, {"writerId": writer.id, "filename": filename,
                                                           "errorMessage": reason, "context": ctx})
                else:
                    elapsed = max(self.clock() - call_start, 0.0)
                    summary.successes += 1
                    status = "unchanged" if getattr(location, "outcome", None) == "unchanged" else "written"
                    metrics.writes.append(WriteRecord(filename or "unknown", a_type or "unknown", section, writer.id,
                                                      status, str(location) if isinstance(location, str) else None,
                                                      size, elapsed))
                    if self.bus is not None:
                        self.bus.emit(ev.ARTIFACT_WRITTEN, {"writerId": writer.id, "filename": filename,
                                                            "path": str(location) if isinstance(location, str) else None,
                                                            "size": size, "durationMs": round(elapsed, 3),
                                                            "unchanged": status == "unchanged",
                                                            "context": ctx})
                summary.duration_ms += elapsed
            if progress is not None:
                progress(index + 1, len(items), filename or "")
        metrics.artifacts_written = sum(s.successes for s in summaries)
        metrics.duration_ms = max(self.clock() - start, 0.0)
        self._emit(ev.ARTIFACTS_WRITTEN, metrics.event_payload(ctx))
        return metrics


def _identity(artifact: Any) -> tuple[str | None, str | None, str | None]:
    if isinstance(artifact, Artifact):
        return artifact.filename, artifact.type, artifact.section
    if isinstance(artifact, dict):
        return artifact.get("filename"), artifact.get("type"), artifact.get("section")
    return None, None, None


def _size_of(artifact: Any) -> int | None:
    content = artifact.get("content") if isinstance(artifact, dict) else None
    return len(content.encode("utf-8")) if isinstance(content, str) else None


def _reason(exc: BaseException) -> str:
    """A readable reason for any exception (never an empty ``{}``)."""
    if isinstance(exc, WriterError):
        return exc.reason
    if isinstance(exc, OSError):
        return describe_os_error(exc, exc.filename or "artifact").reason
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
