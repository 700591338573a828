"""The transcript model with bad input, filters, snapshot diffs and the range export."""
from __future__ import annotations

import math
from pathlib import Path

import orjson
import pytest

from inspector_app.core.transcript.export import export_range_via_pipeline, render_transcript
from inspector_app.core.transcript.model import EventKind, Transcript, TranscriptEntry
from inspector_app.core.transcript.snapshot_diff import structural_diff, world_state
from inspector_app.core.transcript.sources import parts_from_dtos, parts_from_summary


def entry(event, ts, step=None, source="t", **kw):
    return TranscriptEntry(event=event, kind=EventKind.from_event(event), timestamp=ts, step_id=step, source=source, **kw)


def codes(t: Transcript) -> set[str]:
    return {n.code for n in t.notes}


def test_empty_and_single_entry_transcripts_render_with_a_note():
    empty = Transcript([])
    assert len(empty) == 0 and empty.time_range() is None and "transcript_empty" in codes(empty)
    assert empty.select().size == 0 and empty.step_stats() == []
    one = Transcript([entry("tutorial_started", 1000.0)])
    assert one.time_range() == (1000.0, 1000.0) and "transcript_single" in codes(one)


def test_missing_and_non_finite_timestamps_go_last_with_a_note():
    dtos = [{"event": "tutorial_started", "timestamp": 5},
            {"event": "tutorial_step_started", "promptId": "a", "timestamp": None},
            {"event": "tutorial_step_started", "promptId": "b", "timestamp": "soon"},
            {"event": "tutorial_step_completed", "promptId": "a", "timestamp": 9}]
    parts = parts_from_dtos(dtos, "s.json")
    parts.entries.append(entry("tutorial_completed", float("nan")))
    t = parts.build()
    assert [e.timestamp for e in t.entries][:2] == [5.0, 9.0]
    assert all(e.timestamp is None for e in t.entries[2:]) and len(t) == 5
    note = next(n for n in t.notes if n.code == "transcript_missing_timestamp")
    assert note.message.startswith("3 entries") and note.location == "$.tutorial.transcript[1]"
    assert int(t.timed_mask.sum()) == 2


def test_out_of_order_duplicates_and_unknown_kinds_are_noted_not_fatal():
    items = [entry("tutorial_step_started", 30.0, "b"), entry("tutorial_started", 10.0),
             entry("tutorial_started", 10.0), entry("tutorial_hint_shown", 20.0, "b"), entry(None, 25.0)]
    t = Transcript(items)
    assert {"transcript_out_of_order", "transcript_duplicate", "transcript_unknown_kind"} <= codes(t)
    assert [e.timestamp for e in t.entries] == [10.0, 20.0, 25.0, 30.0]
    assert sum(e.kind is EventKind.UNKNOWN for e in t.entries) == 2
    assert EventKind.UNKNOWN.lane == 6 and t.lanes.tolist() == [0, 6, 6, 1]


def test_filters_by_kind_step_and_text(game_fixtures):
    s = orjson.loads((game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json").read_bytes())
    t = parts_from_summary(s, "m").build()
    assert t.select({EventKind.STEP_COMPLETED}).size == 7
    assert t.select(step_id="case_file").size == 4       # started, snapshot(hint), completed, snapshot
    assert t.select({EventKind.SNAPSHOT}, step_id="case_file").size == 2
    hits = t.select(text="DETECTIVE VISION")
    assert hits.size >= 2 and all(t.entries[i].step_id == "detective_vision" for i in hits)
    assert t.select(text="no such words").size == 0
    r = t.time_range()
    assert t.in_range(t.select(), r[0], r[0] + 30_000).size == 5


def test_snapshot_diff_lists_added_removed_and_changed_paths(game_fixtures):
    s = orjson.loads((game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json").read_bytes())
    t = parts_from_summary(s, "m").build()
    snaps = t.snapshots()
    last = snaps[-1]
    prev = t.previous_snapshot(last)
    assert prev == snaps[-2] and t.previous_snapshot(snaps[0]) is None
    changes = structural_diff(world_state(t.entries[prev].snapshot), world_state(t.entries[last].snapshot))
    by_path = {c.path: c for c in changes}
    assert by_path["$.event"].new == "step_completed" and by_path["$.event"].old == "control_hint_updated"
    assert by_path["$.analytics.stepDurations.case_file"].op == "added"
    assert by_path["$.completedSteps[case_file]"].op == "added"
    assert any(c.op == "removed" and c.path.startswith("$.metadata") for c in changes) is False
    assert "~ $.event" in by_path["$.event"].describe()
    first = world_state(t.entries[snaps[0]].snapshot)
    assert list(first)[:3] == ["event", "timestamp", "stepId"]


def test_prompt_lists_are_matched_by_step_id():
    a = {"promptHistory": [{"stepId": "x", "t": 1}, {"stepId": "y", "t": 2}]}
    b = {"promptHistory": [{"stepId": "y", "t": 3}, {"stepId": "z", "t": 4}]}
    ops = {(c.op, c.path) for c in structural_diff(a, b)}
    assert ops == {("removed", "$.promptHistory[stepId=x]"), ("added", "$.promptHistory[stepId=z]"),
                   ("changed", "$.promptHistory[stepId=y].t")}


def test_range_export_writes_atomically_and_never_overwrites(tmp_path, game_fixtures):
    s = orjson.loads((game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json").read_bytes())
    t = parts_from_summary(s, "m").build()
    game_csv = next((game_fixtures / "exports" / "midgame").glob("*-tutorial-transcript-*.csv")).read_text("utf-8")
    assert render_transcript(t, t.select(), "csv") == game_csv           # snapshots left out
    first5 = t.select()[:5]          # started, step started, completed, next step started, snapshot
    assert t.entries[first5[-1]].kind is EventKind.SNAPSHOT
    lines = render_transcript(t, first5, "md").splitlines()
    assert len(lines) == 2 + 4 and lines[0].startswith("| # | Event | Prompt")
    at = 1_762_106_784_700           # the clock is injected: both runs name the same file
    first = export_range_via_pipeline(t, t.select(), tmp_path, prefix="range", generated_at_ms=at)
    (out,) = map(Path, first.written_paths)
    assert out.name == "range-tutorial-transcript-20251102T180624Z.csv" and out.read_text("utf-8") == game_csv
    again = export_range_via_pipeline(t, t.select()[:1], tmp_path, prefix="range", generated_at_ms=at)
    assert again.failures and not again.written_paths and "already exists" in again.failures[0]["error"]
    assert out.read_text("utf-8") == game_csv
    export_range_via_pipeline(t, t.select()[:1], tmp_path, prefix="range", generated_at_ms=at, overwrite=True)
    assert out.read_text("utf-8").count("\n") == 2
    assert [p.name for p in tmp_path.iterdir()] == [out.name]      # no temp files left
    with pytest.raises(ValueError):
        render_transcript(t, [], "xml")


def test_spans_pair_starts_with_completions_and_use_duration_without_a_start():
    t = Transcript([entry("tutorial_step_completed", 100.0, "a", metadata={"durationMs": 40}),
                    entry("tutorial_step_started", 100.0, "b"),
                    entry("tutorial_completed", 150.0)])
    spans = {s.step_id: s for s in t.spans}
    assert (spans["a"].start, spans["a"].end) == (60.0, 100.0)
    assert spans["b"].status == "completed" and spans["b"].duration_ms == 50.0
    assert not math.isnan(t.origin)
