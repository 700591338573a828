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
from .artifacts import DEFAULT_PREFIX, ArtifactSet, BudgetStatus, build_artifacts, safe_prefix
from .events import EventBus
from .publisher import DEFAULT_TIMEOUT_S, MANIFEST_NAME, CiArtifactPublisher, PublishResult
from ..common.fileio import cleanup_stale_temps
from ..common.progress import Cancelled, CancelledFn, ProgressFn
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
    status: str            # written | unchanged | failed | skipped
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
    stale_temporaries_removed: list[str] = field(default_factory=list)
    publish_skipped: str | None = None     # why no manifest was written although publishing was asked

    def count(self, status: str) -> int:
        return sum(1 for a in self.artifacts if a.status == status)

    @property
    def status(self) -> str:
        """``ok`` (everything written, something new), ``unchanged`` (every file was already
        there with exactly these bytes), ``partial`` (some failed), ``nothing-written`` (no file
        stored at all) or ``cancelled``. Only ``ok`` and ``unchanged`` are successes."""
        if self.cancelled:
            return "cancelled"
        written, unchanged, failed = self.count("written"), self.count("unchanged"), self.count("failed")
        if failed:
            return "partial" if written + unchanged else "nothing-written"
        if written:
            return "ok"
        return "unchanged" if unchanged else "nothing-written"

    @property
    def succeeded(self) -> bool:
        return self.status in ("ok", "unchanged")

    def status_text(self) -> str:
        """One line for people: what this export did."""
        total = len(self.artifacts)
        written, unchanged, failed = self.count("written"), self.count("unchanged"), self.count("failed")
        status = self.status
        if status == "ok":
            extra = f" ({unchanged} already there, unchanged)" if unchanged else ""
            return f"Exported: {written} of {total} file(s) written{extra}."
        if status == "unchanged":
            return f"Already exported, unchanged: all {total} file(s) exist with identical contents."
        if status == "partial":
            return (f"Partly exported: {written + unchanged} of {total} file(s) in place, {failed} failed "
                    f"— see the reasons.")
        if status == "cancelled":
            return f"Cancelled: {written} of {total} file(s) written before the cancel."
        return f"Nothing was written: {failed} of {total} file(s) failed — see the reasons."

    @property
    def output_paths(self) -> list[str]:
        """Paths of this export's files on disk: written now or already there unchanged."""
        out: list[str] = []
        for a in self.artifacts:
            if a.status in ("written", "unchanged") and a.path and not a.path.startswith("memory:") \
                    and a.path not in out:
                out.append(a.path)
        return out

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
            "status": self.status,
            "statusText": self.status_text(),
            "counts": {k: self.count(k) for k in ("written", "unchanged", "failed", "skipped")},
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
            "publishSkipped": self.publish_skipped,
            "cancelled": self.cancelled,
            "staleTemporariesRemoved": self.stale_temporaries_removed,
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
    unchanged_ok: bool = False,
    game_exact_csv: bool = False,
    protected: Iterable[str | os.PathLike[str]] = (),
    artifact_set: ArtifactSet | None = None,
) -> ExportResult:
    """Export ``summary`` (raw, exported or rebuilt inspector summary) to ``out_dir``.

    ``writers`` defaults to one :class:`FileSystemWriter` on ``out_dir``. ``publish`` is a
    :class:`PublishOptions`, or ``True`` for "manifest, no commands" (``dry_run`` then picks
    dry run; None = decided by ``CI``). ``on_event(name, payload)`` is subscribed to the bus
    for the duration of the call. ``now`` (epoch ms) stands in for a missing ``generatedAt``.
    Writer failures never raise: they are in ``result.failures``; ``result.status`` says what
    happened (``ok`` / ``unchanged`` / ``partial`` / ``nothing-written`` / ``cancelled``).

    ``unchanged_ok``: a file that already exists with exactly the artifact's bytes counts as
    done (``unchanged``) instead of a clash. ``protected``: paths never written, even with
    ``overwrite`` (the export's inputs). ``game_exact_csv``: the game's CSV bytes without the
    formula-injection protection. ``artifact_set``: artifacts already built (by
    :func:`plan_export`), so a preview and the export write the same bytes. Our own stale
    temporaries in ``out_dir`` (left by a killed export) are removed first. A user context
    ``artifactDir`` cannot send files elsewhere: artifacts always go to ``out_dir``.
    """
    started = time.perf_counter()
    bus = bus if bus is not None else EventBus()
    unsubscribe = bus.subscribe_all(on_event) if on_event is not None else None
    try:
        return _run(summary, out_dir=Path(out_dir), prefix=prefix, formats=formats, writers=writers,
                    publish=publish, dry_run=dry_run, bus=bus, cancelled=cancelled, progress=progress,
                    now=now, user_context=dict(context or {}), overwrite=overwrite, started=started,
                    unchanged_ok=unchanged_ok, game_exact_csv=game_exact_csv,
                    protected=[os.fspath(p) for p in protected], artifact_set=artifact_set)
    finally:
        if unsubscribe is not None:
            unsubscribe()


def _report(progress: Callable[..., Any] | None, done: int, total: int, text: str) -> None:
    if progress is not None:
        progress(done, total, text)


def _run(summary: Any, *, out_dir: Path, prefix: str | None, formats: Any, writers: Iterable[Any] | None,
         publish: PublishOptions | bool | None, dry_run: bool | None, bus: EventBus,
         cancelled: Callable[[], bool] | None, progress: Callable[..., Any] | None, now: int | None,
         user_context: dict, overwrite: bool, started: float, unchanged_ok: bool, game_exact_csv: bool,
         protected: list[str], artifact_set: ArtifactSet | None) -> ExportResult:
    aset: ArtifactSet = artifact_set if artifact_set is not None else build_artifacts(
        summary, formats=formats, prefix=prefix, now_ms=now, game_exact_csv=game_exact_csv)
    if "artifactDir" in user_context:
        log.warning("ignoring context artifactDir %r: artifacts are written to %s", user_context["artifactDir"], out_dir)
        user_context = {k: v for k, v in user_context.items() if k != "artifactDir"}
    context = {"prefix": aset.prefix, "formats": list(aset.types), "artifactCount": len(aset.artifacts),
               "source": aset.summary.get("source"), **user_context}
    stale = cleanup_stale_temps(out_dir)
    for path in stale:
        log.info("removed a stale temporary file left by an interrupted export: %s", path)
    writer_list = list(writers) if writers is not None else [
        FileSystemWriter(out_dir, overwrite=overwrite, unchanged_ok=unchanged_ok, protected=protected)]
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
                          summary=aset.summary, cancelled=metrics.cancelled, stale_temporaries_removed=stale)
    if publish_opts is not None and not metrics.cancelled and not result.output_paths:
        result.publish_skipped = "nothing was written, so no CI manifest was written either"
        log.warning("not publishing: %s", result.publish_skipped)
    elif publish_opts is not None and not metrics.cancelled:
        _report(progress, len(aset.artifacts), total, "publishing")
        metadata_path = Path(publish_opts.metadata_path) if publish_opts.metadata_path else out_dir / MANIFEST_NAME
        publisher = CiArtifactPublisher(publish_opts.commands, metadata_path=metadata_path,
                                        dry_run=publish_opts.dry_run, env=publish_opts.env,
                                        timeout_s=publish_opts.timeout_s, bus=bus,
                                        overwrite=overwrite, protected=protected)
        publish_context = {**context, "artifactDir": str(out_dir.resolve()), "artifactFilenames": [a.filename for a in aset.artifacts],
                           "metrics": metrics.to_json(), "summarySource": aset.summary.get("source"),
                           "budgetStatus": aset.budget.to_json()}
        result.publish = publisher.publish(result.output_paths, publish_context, cancelled=cancelled)
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


@dataclass
class PlannedArtifact:
    """One file an export would write, and what is at its path now (for the preview)."""

    filename: str
    path: str
    size: int
    state: str          # "new" | "identical" (already exported, unchanged) | "differs" (a different file is there)


def plan_export(summary: Any, *, out_dir: str | os.PathLike[str], prefix: str | None = DEFAULT_PREFIX,
                formats: str | Iterable[str] | None = None, now: int | None = None,
                game_exact_csv: bool = False) -> tuple[ArtifactSet, list[PlannedArtifact]]:
    """Build the artifacts and tell, before anything is written, which files are new, which
    already exist with identical bytes and which would clash with a different file.
    Pass the returned set to :func:`run_export` (``artifact_set=``) to write exactly these bytes."""
    aset = build_artifacts(summary, formats=formats, prefix=prefix, now_ms=now, game_exact_csv=game_exact_csv)
    return aset, _planned(aset, out_dir)


def _planned(aset: ArtifactSet, out_dir: str | os.PathLike[str], prefix: str | None = None) -> list[PlannedArtifact]:
    """The states of ``aset``'s artifacts in ``out_dir``, named with ``prefix`` (the set's own
    when None): the contents do not depend on the prefix, so another name needs no rebuild."""
    writer = FileSystemWriter(out_dir)
    pfx = aset.prefix if prefix is None else safe_prefix(prefix)
    planned = []
    for a in aset.artifacts:
        name = pfx + a.filename[len(aset.prefix):]
        path = os.fspath(writer.target_path(name))
        planned.append(PlannedArtifact(name, path, a.size, _state_of(path, a.data)))
    return planned


def _state_of(path: str, data: bytes) -> str:
    if not os.path.lexists(path):
        return "new"
    try:
        if os.path.getsize(path) == len(data):
            with open(path, "rb") as fh:
                if fh.read(len(data) + 1) == data:
                    return "identical"
    except OSError:
        pass
    return "differs"


def free_prefix(summary: Any, *, out_dir: str | os.PathLike[str], prefix: str | None = DEFAULT_PREFIX,
                formats: str | Iterable[str] | None = None, now: int | None = None, limit: int = 999,
                game_exact_csv: bool = False, artifact_set: ArtifactSet | None = None,
                cancelled: CancelledFn | None = None) -> str:
    """The first of ``<prefix>``, ``<prefix>-2``, ``<prefix>-3``… whose artifacts clash with no
    different file in ``out_dir`` (identical files are fine) — the "keep both" choice. The
    artifacts are built once (or ``artifact_set`` is used) and only renamed per candidate."""
    base = prefix if prefix not in (None, "") else DEFAULT_PREFIX
    aset = artifact_set or build_artifacts(summary, formats=formats, prefix=base, now_ms=now,
                                           game_exact_csv=game_exact_csv)
    for n in range(1, limit + 1):
        if cancelled is not None and cancelled():
            raise PreviewCancelled()
        candidate = base if n == 1 else f"{base}-{n}"
        if all(p.state != "differs" for p in _planned(aset, out_dir, candidate)):
            return candidate
    raise ValueError(f"no free name for prefix {base!r} in {out_dir} after {limit} tries")


class PreviewCancelled(Cancelled):
    """A newer preview (or the dialog) made this one pointless."""


@dataclass
class ExportPreview:
    """What an export with these options would do, computed off the GUI thread: the files under
    the prefix it would use, how many files of the asked prefix hold different contents, the
    free "new name" prefix when some do, and the summary (rebuilt from a save once)."""

    summary: Any
    planned: list[PlannedArtifact]
    differs: int = 0
    free_prefix: str | None = None
    prefix: str = DEFAULT_PREFIX


def preview_export(summary: Any, *, out_dir: str | os.PathLike[str], prefix: str | None = DEFAULT_PREFIX,
                   formats: str | Iterable[str] | None = None, game_exact_csv: bool = False,
                   on_conflict: str = "keep", now: int | None = None,
                   progress: ProgressFn | None = None, cancelled: CancelledFn | None = None) -> ExportPreview:
    """The export dialog's preview: :func:`plan_export`, then — when files with these names
    hold different contents — :func:`free_prefix`, and with ``on_conflict="new-name"`` the plan
    under that prefix. ``summary`` may be a callable returning it (a save's summary is rebuilt
    in the worker). Raises :class:`PreviewCancelled` when ``cancelled()`` turns true."""
    def check(step: int, text: str) -> None:
        if cancelled is not None and cancelled():
            raise PreviewCancelled()
        _report(progress, step, 3, text)

    check(0, "reading the source")
    if callable(summary):
        summary = summary()
    check(1, "building the artifacts")
    aset, planned = plan_export(summary, out_dir=out_dir, prefix=prefix, formats=formats, now=now,
                                game_exact_csv=game_exact_csv)
    differs = sum(1 for p in planned if p.state == "differs")
    free = None
    used = aset.prefix
    if differs:
        check(2, "looking for a free name")
        free = free_prefix(summary, out_dir=out_dir, prefix=prefix, formats=formats, now=now,
                           game_exact_csv=game_exact_csv, artifact_set=aset, cancelled=cancelled)
        if on_conflict == "new-name":
            planned = _planned(aset, out_dir, free)
            used = safe_prefix(free)
    _report(progress, 3, 3, "preview ready")
    return ExportPreview(summary, planned, differs, free, used)
