"""Turn an input file (summary JSON, save payload, profile + slot) into an inspector summary.

Uses the foundation's loader (content-based detection, located error messages) and the
world-state summary rebuild (save-format.md §9.2); a summary file is used as it is.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


class ExportInputError(Exception):
    """The input cannot be exported; the message names the file and what is wrong."""


@dataclass
class SummaryInput:
    summary: dict
    kind: str                    # document kind ("inspector-summary", "payload", "profile", ...)
    path: str
    slot_id: str | None = None
    slot_label: str | None = None
    notes: list[str] = field(default_factory=list)   # warnings worth printing (legacy slot, ...)


def _load(path: Path, progress: Callable | None, cancelled: Callable | None, origin: str | None = None):
    try:
        from inspector_app.core.loading.loader import load_path
        from inspector_app.core.loading.document import LoadError
    except ImportError as exc:  # pragma: no cover - only while the loader is missing
        raise ExportInputError(f"{path}: cannot read saves or profiles: the loader is not available ({exc})") from exc
    try:
        return load_path(path, progress=progress, cancelled=cancelled, origin=origin)
    except LoadError as exc:
        raise ExportInputError(exc.problem.describe()) from exc


def _rebuild(game_data: dict, generated_at: Any) -> dict:
    try:
        from inspector_app.core.worldstate.summary import rebuild_inspector_summary
    except ImportError as exc:  # pragma: no cover
        raise ExportInputError(f"cannot rebuild an inspector summary from a save: {exc}") from exc
    stamp = generated_at if isinstance(generated_at, (int, float)) and not isinstance(generated_at, bool) else None
    return rebuild_inspector_summary(game_data, generated_at=int(stamp) if stamp is not None else None)


def transcript_dtos_for_slot(slot: Any) -> list[dict]:
    """The tutorial transcript a save implies, as the game's transcript DTOs (§6.2): the same
    reconstruction the Tutorial Timeline shows (:func:`core.transcript.sources.parts_from_tutorial_slice`),
    prompt snapshots left out. A save holds no recorder log, so without this the transcript
    artifacts of a save would be header-only."""
    from inspector_app.core.export.transcript import build_transcript_dto
    from inspector_app.core.transcript.export import raw_entries
    from inspector_app.core.transcript.sources import parts_from_tutorial_slice

    tutorial = slot.game_section("tutorial") if hasattr(slot, "game_section") else None
    label = getattr(slot, "slot_id", None) or getattr(slot, "key", None) or "save"
    transcript = parts_from_tutorial_slice(tutorial, label, getattr(slot, "timestamp", None)).build()
    return build_transcript_dto(raw_entries(transcript, range(len(transcript.entries))))


def summary_for_slot(slot: Any) -> dict | None:
    """The inspector summary of one save slot, for export: rebuilt from its ``gameData``
    (save-format §9.2, timestamp = the save's) with the transcript the app reconstructs from
    its tutorial slice. None when the slot has no readable ``gameData``. Used by the CLI and
    the GUI's Export dialog alike."""
    game_data = slot.game_data
    if game_data is None:
        return None
    summary = _rebuild(game_data, slot.timestamp)
    tutorial = summary.get("tutorial")
    if isinstance(tutorial, dict) and not tutorial.get("transcript"):
        tutorial["transcript"] = transcript_dtos_for_slot(slot)
    return summary


def summary_from_path(path: str | os.PathLike[str], *, slot: str | None = None,
                      progress: Callable | None = None, cancelled: Callable | None = None,
                      origin: str | None = None) -> SummaryInput:
    """The inspector summary to export from ``path``; raises :class:`ExportInputError`.

    * summary (raw ``getInspectorSummary()`` or an exported ``*-summary-*.json``): as is;
    * single save payload: rebuilt from its ``gameData`` (timestamp = the save's), with the
      transcript reconstructed from its tutorial slice (as the Tutorial Timeline shows it);
    * profile: the slot named by ``slot`` (id such as ``slot2`` or key ``save_slot2``); may be
      omitted when the profile has exactly one slot.
    """
    p = Path(path)
    doc = _load(p, progress, cancelled, origin)
    kind = doc.kind.value
    if doc.summary is not None and kind in ("inspector-summary", "summary-export"):
        if not isinstance(doc.summary, dict):
            raise ExportInputError(f"{p}: the summary is not a JSON object")
        if slot:
            raise ExportInputError(f"{p}: --slot only applies to profiles; this file is an inspector summary")
        return SummaryInput(doc.summary, kind, str(p))
    if kind == "engine-save":
        raise ExportInputError(f"{p}: a dormant engine save (save-format Appendix A) has no inspector "
                               f"summary to export")
    slots = doc.slots
    if not slots:
        raise ExportInputError(f"{p}: the {kind} holds no save slots")
    if slot:
        entry = doc.slot(slot) or doc.slot(f"save_{slot}")
        if entry is None:
            raise ExportInputError(f"{p}: no slot {slot!r}; slots: " + ", ".join(s.slot_id for s in slots))
    elif len(slots) == 1:
        entry = slots[0]
    else:
        raise ExportInputError(f"{p}: this profile has {len(slots)} slots; choose one with --slot "
                               f"({', '.join(s.slot_id for s in slots)})")
    summary = summary_for_slot(entry)
    if summary is None:
        reasons = "; ".join(pr.message for pr in entry.problems) or "it has no readable gameData"
        raise ExportInputError(f"{p}: slot {entry.slot_id}: cannot export: {reasons}")
    notes = []
    if entry.status.value in ("legacy", "future"):
        notes.append(f"slot {entry.slot_id} has version {entry.version!r} ({entry.status.value}); "
                     f"exporting what can be read from it")
    return SummaryInput(summary, kind, str(p), entry.slot_id, entry.label, notes)
