"""Transcript readers against the game's own fixtures: summary DTOs, CSV/MD artifacts, saves."""
from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from inspector_app.core.loading.document import DocumentKind, SaveDocument, SlotEntry, SlotStatus
from inspector_app.core.transcript.model import EventKind
from inspector_app.core.transcript.sources import (
    merge_saves, parse_transcript_csv, parse_transcript_markdown, parts_from_summary,
    parts_from_tutorial_slice, read_transcript_artifact, transcript_from_document, transcript_from_documents,
)


def _json(path: Path):
    return orjson.loads(path.read_bytes())


@pytest.fixture
def midgame_summary(game_fixtures):
    return _json(game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")


@pytest.fixture
def skipped_summary(game_fixtures):
    return _json(game_fixtures / "inspector-summary" / "getInspectorSummary.tutorial-skipped.json")


def _artifact(game_fixtures, suffix):
    return next((game_fixtures / "exports" / "midgame").glob(f"*-tutorial-transcript-*.{suffix}"))


def _profile_doc(path: Path) -> SaveDocument:
    """A minimal SaveDocument for a localStorage profile export (what the loader produces)."""
    root = _json(path)
    slots = []
    for key, value in root.items():
        if not key.startswith("save_") or key == "save_metadata":
            continue
        payload = orjson.loads(value)
        slots.append(SlotEntry(key=key, slot_id=key[5:], label=key[5:], slot_type="manual",
                               status=SlotStatus.OK, size_bytes=len(value), payload=payload,
                               timestamp=payload.get("timestamp")))
    return SaveDocument(path=path, kind=DocumentKind.PROFILE, size_bytes=path.stat().st_size, root=root, slots=slots)


def test_midgame_summary_has_16_entries_and_8_snapshots(midgame_summary):
    t = parts_from_summary(midgame_summary, "midgame").build()
    kinds = [e.kind for e in t.entries]
    assert kinds.count(EventKind.SNAPSHOT) == 8
    assert len(t) - kinds.count(EventKind.SNAPSHOT) == 16
    assert kinds.count(EventKind.STEP_STARTED) == 8 and kinds.count(EventKind.STEP_COMPLETED) == 7
    assert not [n for n in t.notes if n.code != "transcript_merged"]
    spans = {s.step_id: s for s in t.spans}
    assert spans["case_file"].duration_ms == 147700 and spans["case_file"].status == "completed"
    assert spans["collect_more_evidence"].status == "open"
    assert [s.step_id for s in t.step_stats()][:2] == ["welcome", "movement"]
    # all entries of one playthrough
    assert t.runs() == ["run@1762106400000"]


def test_skipped_summary_closes_the_open_step_with_the_skip(skipped_summary):
    t = parts_from_summary(skipped_summary, "skipped").build()
    skipped = [e for e in t.entries if e.kind is EventKind.SKIPPED]
    assert len(skipped) == 1 and skipped[0].step_id == "evidence_detection"
    span = next(s for s in t.spans if s.step_id == "evidence_detection")
    assert span.status == "skipped" and span.duration_ms == 4000


def test_transcript_csv_reads_back_the_summary_entries(game_fixtures, midgame_summary):
    parts = read_transcript_artifact(_artifact(game_fixtures, "csv"))
    assert not parts.notes
    dtos = midgame_summary["tutorial"]["transcript"]
    assert len(parts.entries) == len(dtos) == 16
    for e, d in zip(parts.entries, dtos):
        assert (e.sequence, e.event, e.step_id, e.title, e.action, e.timestamp, e.follow_up, e.metadata) == \
               (d["sequence"], d["event"], d["promptId"], d["title"], d["action"], d["timestamp"],
                d["followUpNarrative"], d["metadata"])


def test_transcript_markdown_reads_back_the_summary_entries(game_fixtures, midgame_summary):
    parts = read_transcript_artifact(_artifact(game_fixtures, "md"))
    assert not parts.notes
    dtos = midgame_summary["tutorial"]["transcript"]
    assert len(parts.entries) == 16
    for e, d in zip(parts.entries, dtos):
        assert (e.sequence, e.event, e.title, e.action, e.timestamp) == \
               (d["sequence"], d["event"], d["title"], d["action"], d["timestamp"])
        assert e.step_id == d["promptId"]   # recovered from the title


def test_markdown_rejoins_rows_broken_by_a_newline_and_unescapes_pipes():
    text = ("| # | Event | Prompt | Action | Timestamp | Narrative |\n| --- | --- | --- | --- | --- | --- |\n"
            "| 0 | tutorial_step_completed | A \\| B | step_completed | 2025-11-02T18:00:00.000Z | line one\n"
            "line two |\n")
    parts = parse_transcript_markdown(text, "x.md")
    assert not parts.notes
    (e,) = parts.entries
    assert e.title == "A | B" and e.follow_up == "line one\nline two"


def test_csv_with_bad_metadata_and_wrong_header_gives_located_notes():
    bad = parse_transcript_csv("sequence,event,timestamp,metadata\n0,tutorial_started,5,{oops\n", "t.csv")
    assert bad.entries and bad.notes[0].location == "line 2, column metadata"
    wrong = parse_transcript_csv("a,b\n1,2\n", "t.csv")
    assert not wrong.entries and wrong.notes[0].code == "csv_header" and wrong.notes[0].file == "t.csv"
    empty = parse_transcript_csv("", "t.csv")
    assert not empty.entries and empty.notes[0].code == "csv_empty"


def test_save_slice_reconstructs_the_recorded_transcript(game_fixtures, midgame_summary):
    save = _json(game_fixtures / "saves" / "save_slot2.midgame.json")
    from_save = parts_from_tutorial_slice(save["gameData"]["tutorial"], "slot2", save["timestamp"]).build()
    from_summary = parts_from_summary(midgame_summary, "summary").build()
    key = lambda t: {(e.kind, e.step_id, e.timestamp) for e in t.entries if e.kind is not EventKind.SNAPSHOT}
    assert key(from_summary) <= key(from_save)   # every recorded entry is implied by the save
    open_span = next(s for s in from_save.spans if s.status == "open")
    assert open_span.step_id == "collect_more_evidence" and open_span.end == save["timestamp"]


def test_profile_merge_has_no_duplicates_and_is_time_ordered(game_fixtures):
    doc = _profile_doc(game_fixtures / "localstorage" / "profile1-main-session.localStorage.json")
    t = transcript_from_document(doc)
    keys = [e.dedupe_key() for e in t.entries]
    assert len(keys) == len(set(keys))
    times = [e.timestamp for e in t.entries]
    assert times == sorted(times)
    assert [e.kind for e in t.entries].count(EventKind.STEP_COMPLETED) == 13
    assert [e.kind for e in t.entries].count(EventKind.COMPLETED) == 1
    assert len({e.source for e in t.entries}) >= 2          # entries come from several slots
    assert any(n.code == "transcript_merged" for n in t.notes)
    assert not any(n.code in ("transcript_duplicate", "transcript_out_of_order") for n in t.notes)
    assert all(s.status == "completed" for s in t.spans) and len(t.spans) == 13


def _saves_doc(paths: list[Path]) -> SaveDocument:
    """Profile 2 is withheld as a localStorage file; its two saves are in saves/."""
    slots = []
    for p in paths:
        payload = _json(p)
        slots.append(SlotEntry(key=p.name, slot_id=p.stem, label=p.stem, slot_type="manual", status=SlotStatus.OK,
                               size_bytes=p.stat().st_size, payload=payload, timestamp=payload.get("timestamp")))
    return SaveDocument(path=paths[0], kind=DocumentKind.PROFILE, size_bytes=1, slots=slots)


def test_two_profiles_give_two_runs_per_shared_step(game_fixtures):
    saves = game_fixtures / "saves"
    docs = [_profile_doc(game_fixtures / "localstorage" / "profile1-main-session.localStorage.json"),
            _saves_doc([saves / "save_slot3.tutorial-skipped.json", saves / "save_autosave.tutorial-skipped.json"])]
    t = transcript_from_documents(docs)
    stats = {s.step_id: s for s in t.step_stats()}
    assert stats["welcome"].runs == 2 and stats["welcome"].durations_ms == (30000.0, 8000.0)
    assert stats["welcome"].median_ms == 19000.0
    assert stats["case_file"].runs == 1
    assert len(t.runs()) == 2


def test_summary_export_document_merges_the_sibling_csv(game_fixtures):
    folder = game_fixtures / "exports" / "midgame"
    summary_path = next(folder.glob("*-summary-*.json"))
    doc = SaveDocument(path=summary_path, kind=DocumentKind.SUMMARY_EXPORT, size_bytes=1,
                       summary=_json(summary_path),
                       sibling_artifacts={"tutorial-transcript": _artifact(game_fixtures, "csv"),
                                          "tutorial-transcript-md": _artifact(game_fixtures, "md")})
    t = transcript_from_document(doc)
    assert len([e for e in t.entries if e.kind is not EventKind.SNAPSHOT]) == 16   # CSV duplicates merged
    assert len(t.sources) == 2


def test_after_loading_summary_notes_that_the_transcript_is_live_only(game_fixtures):
    s = _json(game_fixtures / "inspector-summary" / "getInspectorSummary.after-loading-slot2.json")
    t = parts_from_summary(s, "after-load").build()
    assert any(n.code == "summary_no_transcript" for n in t.notes)
    assert all(e.kind is EventKind.SNAPSHOT for e in t.entries)


def test_merge_saves_of_one_profile_keeps_recorded_over_derived(game_fixtures, midgame_summary):
    save = _json(game_fixtures / "saves" / "save_slot2.midgame.json")
    t = merge_saves([("slot2", save["gameData"]["tutorial"], save["timestamp"])])
    assert all(e.derived for e in t.entries if e.kind is not EventKind.SNAPSHOT)
    from inspector_app.core.transcript.sources import TranscriptParts
    both = TranscriptParts().extend(parts_from_tutorial_slice(save["gameData"]["tutorial"], "slot2")) \
        .extend(parts_from_summary(midgame_summary, "summary")).build()
    recorded = [e for e in both.entries if e.kind is EventKind.STEP_COMPLETED]
    assert len(recorded) == 7 and not any(e.derived for e in recorded)
