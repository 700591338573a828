"""WriterAdapter: fan-out order, failure isolation, metrics totals, events (spec §1)."""
from __future__ import annotations

import itertools

import pytest

from inspector_app.core.export import events as ev
from inspector_app.core.export.adapter import WriterAdapter
from inspector_app.core.export.artifacts import Artifact
from inspector_app.core.export.events import EventBus, EventRecorder
from inspector_app.core.export.writers import MemoryWriter

A1 = Artifact("json", "a.json", "application/json", "{}\n")
A2 = Artifact("csv", "b.csv", "text/csv", "h\n", section="cascade")


def _clock():
    """2, 4, 6, ... like the game's adapter tests."""
    counter = itertools.count(2, 2)
    return lambda: float(next(counter))


def test_fan_out_is_artifact_major_in_registration_order():
    calls = []

    class Named:
        def __init__(self, id):
            self.id = id

        def write(self, artifact, context):
            calls.append((artifact.filename, self.id, context["writerId"], context["missionId"]))

    adapter = WriterAdapter([Named("first"), Named("second")])
    metrics = adapter.write_artifacts([A1, None, A2], {"missionId": "cascade"})
    assert calls == [("a.json", "first", "first", "cascade"), ("a.json", "second", "second", "cascade"),
                     ("b.csv", "first", "first", "cascade"), ("b.csv", "second", "second", "cascade")]
    # units differ, as in the game: artifacts attempted vs successful writer calls
    assert metrics.artifacts_attempted == 2 and metrics.artifacts_written == 4
    assert [w.to_json()["successes"] for w in metrics.writer_summaries] == [2, 2]


def test_a_raising_writer_never_stops_the_others():
    memory = MemoryWriter()

    def broken(artifact, context):
        raise RuntimeError("disk full")

    class StrFail:
        id = "str-fail"

        def write(self, artifact, context):
            raise ValueError()

    bus = EventBus()
    rec = EventRecorder(bus)
    adapter = WriterAdapter([broken, memory, StrFail()], bus=bus, clock=_clock())
    metrics = adapter.write_artifacts([A1, A2], {"runId": "ci-run"})
    assert memory.files == {"a.json": "{}\n", "b.csv": "h\n"}
    assert metrics.artifacts_attempted == 2 and metrics.artifacts_written == 2
    data = metrics.to_json()
    assert [f["writerId"] for f in data["failures"]] == ["broken", "str-fail", "broken", "str-fail"]
    assert data["failures"][0] == {"writerId": "broken", "artifact": {"filename": "a.json", "type": "json"},
                                   "error": "RuntimeError: disk full", "errorType": "RuntimeError", "errorCode": None}
    assert data["failures"][1]["error"] == "ValueError"          # readable even with an empty message
    summaries = {w["id"]: w for w in data["writerSummaries"]}
    assert summaries["broken"] == {"id": "broken", "attempted": 2, "successes": 0, "failures": 2, "durationMs": 4.0}
    assert summaries["memory"]["successes"] == 2 and summaries["memory"]["failures"] == 0
    # game's order: failures inline, then one artifacts_written (plus our per-write event, D11)
    game_events = [(n, p) for n, p in rec.events if n != ev.ARTIFACT_WRITTEN]
    assert [n for n, _ in game_events] == [ev.ARTIFACT_FAILED] * 4 + [ev.ARTIFACTS_WRITTEN]
    first = game_events[0][1]
    assert first == {"writerId": "broken", "filename": "a.json", "errorMessage": "RuntimeError: disk full",
                     "context": {"runId": "ci-run"}}
    written = game_events[-1][1]
    assert written["failures"] == 4 and written["artifactsWritten"] == 2 and written["artifactsAttempted"] == 2
    assert all(set(s) == {"id", "successes", "failures", "durationMs"} for s in written["writerSummaries"])
    assert rec.names.count(ev.ARTIFACT_WRITTEN) == 2


def test_metrics_shape_matches_the_games_burst_metrics(game_repo_fixtures):
    import orjson
    game = orjson.loads((game_repo_fixtures / "reports/telemetry/autosave-burst/test-burst-metrics.json").read_bytes())
    adapter = WriterAdapter([MemoryWriter()])
    mine = adapter.write_artifacts([A1, A2, Artifact("csv", "c.csv", "text/csv", "x\n")]).to_json()
    assert list(mine) == list(game)
    assert list(mine["writerSummaries"][0]) == list(game["writerSummaries"][0])
    assert (mine["artifactsAttempted"], mine["artifactsWritten"]) == (game["artifactsAttempted"], game["artifactsWritten"])


def test_writer_ids_follow_the_game_rule():
    adapter = WriterAdapter()

    def named(a, c):
        return None

    class WithId:
        id = "disk"

        def write(self, a, c):
            return None

    ids = [adapter.add_writer(lambda a, c: None).id, adapter.add_writer(named).id,
           adapter.add_writer(WithId()).id, adapter.add_writer(named, id="dynamic-writer").id,
           adapter.add_writer(MemoryWriter(id=None)).id]
    assert ids == ["writer_1", "named", "disk", "dynamic-writer", "writer_5"]
    with pytest.raises(TypeError):
        adapter.add_writer(42)
    with pytest.raises(ValueError):
        adapter.add_writer(None)


def test_empty_artifact_list_still_reports():
    bus = EventBus()
    rec = EventRecorder(bus)
    metrics = WriterAdapter([MemoryWriter()], bus=bus).write_artifacts([])
    assert metrics.to_json()["artifactsAttempted"] == 0
    assert rec.names == [ev.ARTIFACTS_WRITTEN]


def test_cancel_between_artifacts_stops_cleanly():
    memory = MemoryWriter()
    state = {"n": 0}

    def cancelled():
        state["n"] += 1
        return state["n"] > 1          # let the first artifact through, then cancel

    metrics = WriterAdapter([memory]).write_artifacts([A1, A2], cancelled=cancelled)
    assert metrics.cancelled
    assert list(memory.files) == ["a.json"]
    assert [(w.filename, w.status, w.reason) for w in metrics.writes] == [
        ("a.json", "written", None), ("b.csv", "skipped", "cancelled")]
    assert metrics.artifacts_attempted == 1


def test_a_raising_event_handler_does_not_break_the_export(caplog):
    bus = EventBus()
    seen = []
    bus.on(ev.ARTIFACTS_WRITTEN, lambda payload: 1 / 0)
    bus.on(ev.ARTIFACTS_WRITTEN, seen.append)
    memory = MemoryWriter()
    metrics = WriterAdapter([memory], bus=bus).write_artifacts([A1])
    assert metrics.artifacts_written == 1 and len(seen) == 1
    assert "event handler for telemetry:artifacts_written failed" in caplog.text
