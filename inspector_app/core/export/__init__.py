"""The shared telemetry export pipeline (Python counterpart of the game's JS pipeline).

One code path behind the GUI's Export button and the headless ``inspector-export`` CLI:
summary → :func:`artifacts.build_artifacts` → :class:`adapter.WriterAdapter` → writers
(:class:`writers.FileSystemWriter`, :class:`writers.MemoryWriter`) → optional
:class:`publisher.CiArtifactPublisher`; :func:`pipeline.run_export` wires them together and
emits the game's ``telemetry:*`` events on an :class:`events.EventBus`. No Qt here.
"""

# Names are imported on first use (PEP 562): the GUI imports a small part of this package at
# start-up (naming, selection) and must not pay for the pipeline, publisher and writers then.
_EXPORTS = {
    "AdapterMetrics": "adapter",
    "FailureRecord": "adapter",
    "WriteRecord": "adapter",
    "WriterAdapter": "adapter",
    "Artifact": "artifacts",
    "ArtifactSet": "artifacts",
    "BudgetStatus": "artifacts",
    "build_artifacts": "artifacts",
    "build_transcript_csv": "artifacts",
    "build_transcript_dto": "artifacts",
    "build_transcript_markdown": "artifacts",
    "normalize_formats": "artifacts",
    "sanitize_summary": "artifacts",
    "encode_csv_cell": "csvfmt",
    "EventBus": "events",
    "EventRecorder": "events",
    "ArtifactRecord": "pipeline",
    "ExportResult": "pipeline",
    "PublishOptions": "pipeline",
    "run_export": "pipeline",
    "CiArtifactPublisher": "publisher",
    "PublishResult": "publisher",
    "FileSystemWriter": "writers",
    "MemoryWriter": "writers",
    "WriterError": "writers",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    "AdapterMetrics", "Artifact", "ArtifactRecord", "ArtifactSet", "BudgetStatus", "CiArtifactPublisher",
    "EventBus", "EventRecorder", "ExportResult", "FailureRecord", "FileSystemWriter", "MemoryWriter",
    "PublishOptions", "PublishResult", "WriteRecord", "WriterAdapter", "WriterError", "build_artifacts",
    "build_transcript_csv", "build_transcript_dto", "build_transcript_markdown", "encode_csv_cell",
    "normalize_formats", "run_export", "sanitize_summary",
]
