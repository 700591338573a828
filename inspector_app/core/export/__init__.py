"""The shared telemetry export pipeline (Python counterpart of the game's JS pipeline).

One code path behind the GUI's Export button and the headless ``inspector-export`` CLI:
summary → :func:`artifacts.build_artifacts` → :class:`adapter.WriterAdapter` → writers
(:class:`writers.FileSystemWriter`, :class:`writers.MemoryWriter`) → optional
:class:`publisher.CiArtifactPublisher`; :func:`pipeline.run_export` wires them together and
emits the game's ``telemetry:*`` events on an :class:`events.EventBus`. No Qt here.
"""

from .adapter import AdapterMetrics, FailureRecord, WriteRecord, WriterAdapter
from .artifacts import (
    Artifact,
    ArtifactSet,
    BudgetStatus,
    build_artifacts,
    build_transcript_csv,
    build_transcript_dto,
    build_transcript_markdown,
    normalize_formats,
    sanitize_summary,
)
from .csvfmt import encode_csv_cell
from .events import EventBus, EventRecorder
from .pipeline import ArtifactRecord, ExportResult, PublishOptions, run_export
from .publisher import CiArtifactPublisher, PublishResult
from .writers import FileSystemWriter, MemoryWriter, WriterError

__all__ = [
    "AdapterMetrics", "Artifact", "ArtifactRecord", "ArtifactSet", "BudgetStatus", "CiArtifactPublisher",
    "EventBus", "EventRecorder", "ExportResult", "FailureRecord", "FileSystemWriter", "MemoryWriter",
    "PublishOptions", "PublishResult", "WriteRecord", "WriterAdapter", "WriterError", "build_artifacts",
    "build_transcript_csv", "build_transcript_dto", "build_transcript_markdown", "encode_csv_cell",
    "normalize_formats", "run_export", "sanitize_summary",
]
