"""``run_export`` — the one export entry point behind the CLI and the GUI's Export button.

Sequence (the game's ``SaveManager.exportInspectorSummary`` + CLI ``runTelemetryExport``)::

    build_artifacts(summary)                      sanitised summary + artifacts (+ budget)
    telemetry:export_started                      {artifactCount, context}
    WriterAdapter.write_artifacts(...)            telemetry:artifact_failed* → telemetry:artifacts_written
    telemetry:export_completed                    {artifactCount, context, metrics}
       (or telemetry:export_failed + re-raise on an unexpected error)
    telemetry:export_budget_status                only when the summary has a spatial hash
    CiArtifactPublisher.publish(...)              telemetry:ci_publish_started → _completed | _failed

Safe to call from a worker thread: no Qt, no globals; ``cancelled()`` is polled between
artifacts (and between publish commands), ``progress(done, total, text)`` reports along.
"""
from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from . import events as ev
from .adapter import AdapterMetrics, WriterAdapter
from .artifacts import DEFAULT_PREFIX, ArtifactSet, BudgetStatus, build_artifacts
from .events import EventBus
from .publisher import DEFAULT_TIMEOUT_S, MANIFEST_NAME, CiArtifactPublisher, PublishResult
from .writers import FileSystemWriter

log = logging.getLogger(__name__)


@dataclass
class PublishOptions:
    """How to hand the written artifacts to CI storage.

    ``dry_run=None`` means "dry run unless the ``CI`` environment variable is set".
    """

    commands: list[Any] = field(default_factory=list)   # argv lists or command objects
    dry_run: bool | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    metadata_path: str | os.PathLike[str] | None = None  # default <out_dir>/ci-artifacts.json
    env: Mapping[str, str] | None = None


@dataclass
class ArtifactRecord:
    """One artifact × writer outcome, as the CLI summary and the GUI result panel show it."""

    filename: str
    type: str
    section: str | None
    path: str | None
    size: int | None
    writer: str
    duration_ms: float
    status: str            # written | failed | skipped
    reason: str | None = None

    def to_dict(self) -> dict:
        return {"filename": self.filename, "type": self.type, "section": self.section, "path": self.path,
                "size": self.size, "writer": self.writer, "durationMs": round(self.duration_ms, 3),
                "status": self.status, "reason": self.reason}


@dataclass
class ExportResult:
    """Everything one export did. ``to_json()`` is the CLI's stdout summary."""

    out_dir: str
    prefix: str
    formats: list[str]
    context: dict
    artifacts: list[ArtifactRecord]
    adapter_metrics: AdapterMetrics
    budget: BudgetStatus
    summary: dict
    publish: PublishResult | None = None
    cancelled: bool = False
    duration_ms: float = 0.0

    @property
    def metrics(self) -> dict:
        """The adapter metrics in the game's shape (``test-burst-metrics.json``)."""
        return self.adapter_metrics.to_json()

    @property
    def failures(self) -> list[dict]:
        return [f.to_json() for f in self.adapter_metrics.failures]

    @property
    def budget_status(self) -> dict:
        return self.budget.to_json()

    @property
    def written_paths(self) -> list[str]:
        """Paths of artifacts a filesystem writer stored (what gets published)."""
        out: list[str] = []
        for a in self.artifacts:
            if a.status == "written" and a.path and not a.path.startswith("memory:") and a.path not in out:
                out.append(a.path)
        return out

    @property
    def writer_failed(self) -> bool:
        return bool(self.adapter_metrics.failures)

    @property
    def publish_failed(self) -> bool:
        return self.publish is not None and self.publish.failed

    def to_json(self) -> dict:
        return {
            "outDir": self.out_dir,
            "prefix": self.prefix,
            "formats": self.formats,
            "source": self.summary.get("source"),
            "generatedAt": self.summary.get("generatedAt"),
            "generatedIso": self.summary.get("generatedIso"),
            "artifacts": [a.to_dict() for a in self.artifacts],
            "metrics": self.metrics,
            "failures": self.failures,
            "budgetStatus": self.budget_status,
            "publish": self.publish.to_json() if self.publish is not None else None,
            "cancelled": self.cancelled,
            "durationMs": round(self.duration_ms, 3),
        }


def run_export(
    summary: Any,
    *,
    out_dir: str | os.PathLike[str],
    prefix: str | None = DEFAULT_PREFIX,
    formats: str | Iterable[str] | None = None,
    writers: Iterable[Any] | None = None,
    publish: PublishOptions | bool | None = None,
    dry_run: bool | None = None,
    bus: EventBus | None = None,
    on_event: Callable[[str, Any], Any] | None = None,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[..., Any] | None = None,
    now: int | None = None,
    context: Mapping[str, Any] | None = None,
    overwrite: bool = False,
) -> ExportResult:
    """Export ``summary`` (raw, exported or rebuilt inspector summary) to ``out_dir``.

    ``writers`` defaults to one :class:`FileSystemWriter` on ``out_dir``. ``publish`` is a
    :class:`PublishOptions`, or ``True`` for "manifest, no commands" (``dry_run`` then picks
    dry run; None = decided by ``CI``). ``on_event(name, payload)`` is subscribed to the bus
    for the duration of the call. ``now`` (epoch ms) stands in for a missing ``generatedAt``.
    Writer failures never raise: they are in ``result.failures``.
    """
    started = time.perf_counter()
    bus = bus if bus is not None else EventBus()
    unsubscribe = bus.subscribe_all(on_event) if on_event is not None else None
    try:
        return _run(summary, out_dir=Path(out_dir), prefix=prefix, formats=formats, writers=writers,
                    publish=publish, dry_run=dry_run, bus=bus, cancelled=cancelled, progress=progress,
                    now=now, user_context=dict(context or {}), overwrite=overwrite, started=started)
    finally:
        if unsubscribe is not None:
            unsubscribe()


def _report(progress: Callable[..., Any] | None, done: int, total: int, text: str) -> None:
    if progress is not None:
        progress(done, total, text)


def _run(summary: Any, *, out_dir: Path, prefix: str | None, formats: Any, writers: Iterable[Any] | None,
         publish: PublishOptions | bool | None, dry_run: bool | None, bus: EventBus,
         cancelled: Callable[[], bool] | None, progress: Callable[..., Any] | None, now: int | None,
         user_context: dict, overwrite: bool, started: float) -> ExportResult:
    aset: ArtifactSet = build_artifacts(summary, formats=formats, prefix=prefix, now_ms=now)
    context = {"prefix": aset.prefix, "formats": list(aset.types), "artifactCount": len(aset.artifacts),
               "source": aset.summary.get("source"), **user_context}
    writer_list = list(writers) if writers is not None else [FileSystemWriter(out_dir, overwrite=overwrite)]
    adapter = WriterAdapter(writer_list, bus=bus)
    publish_opts = _publish_options(publish, dry_run)
    total = len(aset.artifacts) + (1 if publish_opts else 0)
    bus.emit(ev.EXPORT_STARTED, {"artifactCount": len(aset.artifacts), "context": context})
    try:
        metrics = adapter.write_artifacts(
            aset.artifacts, context, cancelled=cancelled,
            progress=lambda done, n, name: _report(progress, done, total, f"wrote {name}"))
    except BaseException as exc:
        bus.emit(ev.EXPORT_FAILED, {"artifactCount": len(aset.artifacts), "context": context,
                                    "errorMessage": str(exc) or type(exc).__name__})
        raise
    bus.emit(ev.EXPORT_COMPLETED, {"artifactCount": len(aset.artifacts), "context": context,
                                   "metrics": metrics.to_json()})
    if aset.spatial_hash_present:
        bus.emit(ev.EXPORT_BUDGET_STATUS, {**aset.budget.to_json(), "context": context})
        if aset.budget.status == "exceeds_budget":
            log.warning("spatial-hash history payload %s B exceeds the %s B budget by %s B",
                        aset.budget.payload_bytes, aset.budget.budget_bytes, aset.budget.exceeded_by)
    records = [ArtifactRecord(w.filename, w.type, w.section, w.location, w.size, w.writer_id, w.duration_ms,
                              w.status, w.reason) for w in metrics.writes]
    result = ExportResult(out_dir=str(out_dir.resolve()), prefix=aset.prefix, formats=list(aset.formats),
                          context=context, artifacts=records, adapter_metrics=metrics, budget=aset.budget,
                          summary=aset.summary, cancelled=metrics.cancelled)
    if publish_opts is not None and not metrics.cancelled:
        _report(progress, len(aset.artifacts), total, "publishing")
        metadata_path = Path(publish_opts.metadata_path) if publish_opts.metadata_path else out_dir / MANIFEST_NAME
        publisher = CiArtifactPublisher(publish_opts.commands, metadata_path=metadata_path,
                                        dry_run=publish_opts.dry_run, env=publish_opts.env,
                                        timeout_s=publish_opts.timeout_s, bus=bus)
        publish_context = {**context, "artifactDir": str(out_dir.resolve()), "artifactFilenames": [a.filename for a in aset.artifacts],
                           "metrics": metrics.to_json(), "summarySource": aset.summary.get("source"),
                           "budgetStatus": aset.budget.to_json()}
        result.publish = publisher.publish(result.written_paths, publish_context, cancelled=cancelled)
        _report(progress, total, total, "published")
    if result.publish is not None and any(r.get("skippedReason") == "cancelled"
                                          for r in result.publish.command_results):
        result.cancelled = True
    result.duration_ms = (time.perf_counter() - started) * 1000
    return result


def _publish_options(publish: PublishOptions | bool | None, dry_run: bool | None) -> PublishOptions | None:
    if isinstance(publish, PublishOptions):
        if dry_run is not None and publish.dry_run is None:
            publish.dry_run = dry_run
        return publish
    if publish:
        return PublishOptions(dry_run=dry_run)
    if dry_run:
        return PublishOptions(dry_run=True)
    return None
