"""The recorder's game semantics (§6.1), the JSON-lines follower, and the serializer round trip
against the game's transcript CSV / Markdown artifacts."""
from __future__ import annotations

import math

import orjson
import pytest

from inspector_app.core.export.transcript import (
    build_transcript_csv, build_transcript_dto, build_transcript_markdown,
)
from inspector_app.core.transcript.recorder import JsonLinesFollower, TranscriptRecorder
from inspector_app.core.transcript.sources import parse_transcript_markdown, parts_from_summary


class FakeScheduler:
    """Collects scheduled callbacks so the throttle can be fired deterministically."""

    def __init__(self):
        self.pending = []

    def __call__(self, delay_ms, fn):
        item = [delay_ms, fn, False]
        self.pending.append(item)
        return lambda: item.__setitem__(2, True)

    def fire(self):
        items, self.pending = self.pending, []
        for _, fn, cancelled in items:
            if not cancelled:
                fn()


class Bus:
    def __init__(self):
        self.handlers = {}

    def on(self, name, fn):
        self.handlers.setdefault(name, []).append(fn)

    def off(self, name, fn):
        self.handlers[name].remove(fn)

    def emit(self, name, payload):
        for fn in list(self.handlers.get(name, [])):
            fn(payload)


def bus_events_from_dtos(dtos):
    """The tutorial:* bus events that make the game's recorder write these DTOs."""
    for d in dtos:
        m, name = d["metadata"], d["event"].replace("tutorial_", "tutorial:", 1)
        if d["event"] == "tutorial_started":
            yield name, {"totalSteps": m["totalSteps"], "startedAt": m["startedAt"]}
        elif d["event"] == "tutorial_step_started" or d["event"] == "tutorial_step_completed":
            yield name, {"stepId": d["promptId"], "title": d["title"], **m}
        elif d["event"] == "tutorial_skipped":
            yield name, {"stepId": d["promptId"], **m}
        else:
            yield name, dict(m)


@pytest.fixture
def midgame(game_fixtures):
    summary = orjson.loads((game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json").read_bytes())
    folder = game_fixtures / "exports" / "midgame"
    csv_text = next(folder.glob("*-tutorial-transcript-*.csv")).read_text("utf-8")
    md_text = next(folder.glob("*-tutorial-transcript-*.md")).read_text("utf-8")
    return summary, csv_text, md_text


def test_replayed_bus_events_serialize_to_the_games_csv_byte_for_byte(midgame):
    summary, csv_text, _ = midgame
    bus, rec = Bus(), None
    rec = TranscriptRecorder(bus, clock=lambda: 0.0)
    rec.start()
    for name, payload in bus_events_from_dtos(summary["tutorial"]["transcript"]):
        bus.emit(name, payload)
    assert len(rec) == 16
    assert build_transcript_csv(build_transcript_dto(rec.get_transcript())) == csv_text


def test_timeline_entries_round_trip_through_the_serializer(midgame):
    summary, csv_text, md_text = midgame
    t = parts_from_summary(summary, "summary").build()
    raw = [e.to_raw() for e in t.entries if e.snapshot is None]
    assert build_transcript_csv(build_transcript_dto(raw)) == csv_text
    # The fixed Markdown puts the prompt id in the Prompt column; reading it back must give the
    # same entries as the game's own Markdown.
    ours = parse_transcript_markdown(build_transcript_markdown(build_transcript_dto(raw)), "ours.md").entries
    game = parse_transcript_markdown(md_text, "game.md").entries
    assert [(e.sequence, e.event, e.step_id, e.action, e.timestamp) for e in ours] == \
           [(e.sequence, e.event, e.step_id, e.action, e.timestamp) for e in game]


def test_skipped_uses_the_last_steps_title_and_completion_falls_back_to_last_step():
    rec = TranscriptRecorder(clock=lambda: 42.0)
    rec.handle("tutorial:step_started", {"stepId": "intro", "title": "Welcome", "timestamp": 10})
    rec.handle("tutorial:step_completed", {"timestamp": 20, "durationMs": 10})
    rec.handle("tutorial:skipped", {"stepId": "evidence", "title": "ignored", "skippedAt": 30})
    started, done, skipped = rec.get_transcript()
    assert (done["promptId"], done["promptText"], done["metadata"]["completedAt"]) == ("intro", "Welcome", 20)
    assert (skipped["promptId"], skipped["promptText"], skipped["timestamp"]) == ("evidence", "Welcome", 30)
    assert started["metadata"]["highlight"] is None and started["metadata"]["startedAt"] == 10


def test_timestamp_rule_and_non_finite_numbers():
    rec = TranscriptRecorder(clock=lambda: 999.0)
    rec.handle("tutorial:started", {"timestamp": math.nan, "startedAt": math.inf, "completedAt": 7, "totalSteps": math.nan})
    rec.handle("tutorial:completed", {})
    first, second = rec.get_transcript()
    assert first["timestamp"] == 7 and first["metadata"] == {"totalSteps": None, "startedAt": None}
    assert second["timestamp"] == 999.0 and second["actionTaken"] == "completed"
    assert rec.handle("tutorial:unknown", {}) is None and len(rec) == 2


def test_bounded_fifo_and_option_fallbacks():
    rec = TranscriptRecorder(max_entries=3)
    for i in range(10):
        rec.handle("tutorial:step_started", {"stepId": f"s{i}", "timestamp": i})
    assert [e["promptId"] for e in rec.get_transcript()] == ["s7", "s8", "s9"]
    assert rec.appended == 10
    assert TranscriptRecorder(max_entries=0).max_entries == 50
    assert TranscriptRecorder(max_entries=2.9).max_entries == 2
    assert TranscriptRecorder(update_debounce_ms=-1).update_debounce_ms == 50
    with pytest.raises(TypeError, match="valid EventBus"):
        TranscriptRecorder(object())


def test_get_transcript_returns_deep_clones():
    rec = TranscriptRecorder()
    rec.handle("tutorial:step_started", {"stepId": "a", "highlight": {"type": "ui"}, "timestamp": 1})
    rec.get_transcript()[0]["metadata"]["highlight"]["type"] = "changed"
    assert rec.get_transcript()[0]["metadata"]["highlight"]["type"] == "ui"


def test_trailing_edge_update_is_sent_once_with_the_newest_entry():
    sched, updates = FakeScheduler(), []
    rec = TranscriptRecorder(on_update=lambda name, p: updates.append((name, p)), scheduler=sched)
    for i in range(3):
        rec.handle("tutorial:step_started", {"stepId": f"s{i}", "timestamp": i})
    assert updates == [] and len(sched.pending) == 1 and sched.pending[0][0] == 50
    sched.fire()
    assert len(updates) == 1
    name, payload = updates[0]
    assert name == "tutorial:transcript_updated" and payload["count"] == 3 and payload["lastEntry"]["promptId"] == "s2"


def test_zero_debounce_emits_synchronously_and_stop_cancels_pending():
    updates = []
    rec = TranscriptRecorder(update_debounce_ms=0, on_update=lambda n, p: updates.append(p["count"]))
    rec.handle("tutorial:started", {"timestamp": 1})
    rec.handle("tutorial:completed", {"timestamp": 2})
    assert updates == [1, 2]
    sched, later = FakeScheduler(), []
    bus = Bus()
    rec2 = TranscriptRecorder(bus, on_update=lambda n, p: later.append(p), scheduler=sched)
    rec2.start()
    rec2.start()   # idempotent
    bus.emit("tutorial:started", {"timestamp": 1})
    assert len(rec2) == 1
    rec2.stop()
    sched.fire()
    bus.emit("tutorial:started", {"timestamp": 2})
    assert later == [] and len(rec2) == 1 and not bus.handlers["tutorial:started"]


def test_follower_reads_a_growing_file_with_bounded_memory(tmp_path):
    log = tmp_path / "session.jsonl"
    rec = TranscriptRecorder(max_entries=50)
    follower = JsonLinesFollower(log, rec, max_line_bytes=512)
    with open(log, "wb") as fh:
        fh.write(b'{"event":"tutorial:started","payload":{"startedAt":1}}\n{"type":"tutorial:step_started","da')
    r1 = follower.poll()
    assert (r1.recorded, len(rec)) == (1, 1)
    with open(log, "ab") as fh:
        fh.write(b'ta":{"stepId":"a","timestamp":2}}\nnot json\n' + b'{"x":"' + b"y" * 2000 + b'"}\n')
        for i in range(5000):
            fh.write(orjson.dumps({"event": "tutorial:step_completed", "payload": {"stepId": f"s{i}", "timestamp": 10 + i}}) + b"\n")
        fh.write(b'{"event":"other:thing"}\n')
    r2 = follower.poll()
    assert r2.recorded == 5001 and r2.skipped == 1 and r2.problems == 2
    assert len(rec) == 50 and rec.get_transcript()[-1]["promptId"] == "s4999"
    locations = [p.location for p in follower.problems]
    assert locations == ["line 3", "line 4"]
    assert len(follower._partial) == 0
    # the file is rotated: reading restarts from the beginning
    log.write_bytes(b'{"event":"tutorial_completed","actionTaken":"completed","timestamp":5}\n')
    r3 = follower.poll()
    assert r3.truncated and r3.recorded == 1 and rec.get_transcript()[-1]["event"] == "tutorial_completed"


def test_follower_reports_a_missing_file(tmp_path):
    follower = JsonLinesFollower(tmp_path / "nope.jsonl", TranscriptRecorder())
    assert follower.poll().problems == 1 and "nope.jsonl" in follower.problems[0].describe()
