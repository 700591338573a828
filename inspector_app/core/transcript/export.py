"""Export the visible part of a transcript as the game's transcript CSV / Markdown.

The bytes come from the shared serializer (:mod:`inspector_app.core.export.transcript`, the
export pipeline's owner), so a range exported from the timeline reads exactly like an artifact
the export pipeline writes. Prompt snapshots are world-state, not transcript entries, and are
left out. Files are written by the pipeline's one atomic, no-overwrite writer. No Qt here.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from inspector_app.core.export.transcript import (
    build_transcript_csv, build_transcript_dto, build_transcript_markdown,
)
from inspector_app.core.transcript.model import EventKind, Transcript

FORMATS = {"csv": build_transcript_csv, "md": build_transcript_markdown}


def raw_entries(transcript: Transcript, indices: Iterable[int]) -> list[dict]:
    """Recorder-shaped raw entries (§6.1) for the given rows, snapshots excluded."""
    out = []
    for i in indices:
        e = transcript.entries[int(i)]
        if e.kind is not EventKind.SNAPSHOT:
            out.append(e.to_raw())
    return out


def render_transcript(transcript: Transcript, indices: Iterable[int], fmt: str) -> str:
    """The CSV (``fmt='csv'``) or Markdown (``'md'``) text of the given rows."""
    try:
        build = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown transcript format {fmt!r} (expected 'csv' or 'md')") from None
    return build(build_transcript_dto(raw_entries(transcript, indices)))


def range_summary(transcript: Transcript, indices: Iterable[int], generated_at_ms: int | None = None) -> dict:
    """A minimal inspector summary carrying only the given rows, for the shared export pipeline
    (``run_export(summary, formats=["transcript-csv"])`` names and writes the artifacts exactly
    like the game's ``<prefix>-tutorial-transcript-<ts>.csv``)."""
    import time
    raw = raw_entries(transcript, indices)
    now = int(generated_at_ms if generated_at_ms is not None else time.time() * 1000)
    return {"generatedAt": now, "source": "transcript-timeline",
            "tutorial": {"latestSnapshot": None, "snapshots": [], "transcript": build_transcript_dto(raw)}}


def export_range_via_pipeline(transcript: Transcript, indices: Iterable[int], out_dir: str | Path, *,
                              formats: Iterable[str] = ("transcript-csv",), prefix: str = "transcript-range",
                              overwrite: bool = False, on_event=None, cancelled=None, progress=None,
                              generated_at_ms: int | None = None):
    """Write the rows through :func:`inspector_app.core.export.pipeline.run_export`; returns its
    ``ExportResult`` (writer failures such as an existing file are in ``result.failures``)."""
    from inspector_app.core.export.pipeline import run_export
    return run_export(range_summary(transcript, indices, generated_at_ms), out_dir=out_dir, prefix=prefix,
                      formats=list(formats), overwrite=overwrite, on_event=on_event, cancelled=cancelled,
                      progress=progress, context={"origin": "transcript-timeline"})
