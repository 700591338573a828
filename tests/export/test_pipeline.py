"""run_export: the one entry point of the CLI and the GUI — events, cancel, budget, publish."""
from __future__ import annotations

import orjson
import pytest

from inspector_app.core.export import events as ev
from inspector_app.core.export.events import EventBus, EventRecorder
from inspector_app.core.export.pipeline import PublishOptions, run_export
from inspector_app.core.export.writers import MemoryWriter

FORMATS = ["json", "csv", "transcript-csv", "transcript-md"]


@pytest.fixture(scope="module")
def midgame(game_fixtures):
    return orjson.loads((game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json").read_bytes())


@pytest.fixture(scope="module")
def overbudget(game_fixtures):
    path = next((game_fixtures / "exports" / "overbudget").glob("*-summary-*.json"))
    return orjson.loads(path.read_bytes())


def test_event_order_of_one_export(midgame, tmp_path):
    bus = EventBus()
    rec = EventRecorder(bus)
    result = run_export(midgame, out_dir=tmp_path, prefix="qa", formats=FORMATS, bus=bus, publish=True,
                        dry_run=True, context={"runId": "r-42"})
    game_order = [n for n in rec.names if n != ev.ARTIFACT_WRITTEN]
    assert game_order == [ev.EXPORT_STARTED, ev.ARTIFACTS_WRITTEN, ev.EXPORT_COMPLETED, ev.EXPORT_BUDGET_STATUS,
                          ev.CI_PUBLISH_STARTED, ev.CI_PUBLISH_COMPLETED]
    started = rec.events[0][1]
    assert started == {"artifactCount": 5, "context": {"prefix": "qa", "formats": FORMATS, "artifactCount": 5,
                                                       "source": "worldStateStore", "runId": "r-42"}}
    completed = dict(rec.events)[ev.EXPORT_COMPLETED]
    assert completed["metrics"] == result.metrics and completed["metrics"]["artifactsWritten"] == 5
    budget = dict(rec.events)[ev.EXPORT_BUDGET_STATUS]
    assert budget["type"] == "spatialHash" and budget["status"] == "within_budget" and budget["payloadBytes"] == 3445
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [a.filename for a in result.artifacts] + ["ci-artifacts.json"])
    manifest = orjson.loads((tmp_path / "ci-artifacts.json").read_bytes())
    assert [a["filename"] for a in manifest["artifacts"]] == [a.filename for a in result.artifacts]
    assert manifest["context"]["metrics"] == result.metrics


def test_no_budget_event_without_spatial_hash_and_default_formats(tmp_path):
    bus = EventBus()
    rec = EventRecorder(bus)
    result = run_export({"generatedAt": 1761926728087, "source": "worldStateStore"}, out_dir=tmp_path, bus=bus)
    assert ev.EXPORT_BUDGET_STATUS not in rec.names
    assert result.budget_status["status"] == "unknown"
    assert [a.filename for a in result.artifacts] == [
        "save-inspector-summary-20251031T160528Z.json", "save-inspector-cascade-targets-20251031T160528Z.csv",
        "save-inspector-tutorial-snapshots-20251031T160528Z.csv"]
    assert result.publish is None


def test_over_budget_summary_reports_exceeds_budget(overbudget, tmp_path):
    bus = EventBus()
    rec = EventRecorder(bus)
    result = run_export(overbudget, out_dir=tmp_path, prefix="save-inspector-overbudget", formats="json", bus=bus)
    assert result.budget_status == {"type": "spatialHash", "status": "exceeds_budget", "payloadBytes": 15121,
                                    "budgetBytes": 12288, "exceededBy": 2833}
    payload = dict(rec.events)[ev.EXPORT_BUDGET_STATUS]
    assert payload["context"]["formats"] == ["json"] and payload["exceededBy"] == 2833


def test_failing_writer_is_reported_while_the_rest_is_written(midgame, tmp_path):
    def broken(artifact, context):
        raise PermissionError(13, "Permission denied", "/nope/" + artifact.filename)

    memory = MemoryWriter()
    result = run_export(midgame, out_dir=tmp_path, formats=FORMATS, writers=[broken, memory])
    assert len(memory.files) == 5 and len(result.failures) == 5
    assert result.failures[0]["error"].startswith("cannot write /nope/") and "permission denied" in result.failures[0]["error"]
    statuses = {(a.writer, a.status) for a in result.artifacts}
    assert statuses == {("broken", "failed"), ("memory", "written")}
    assert result.writer_failed and not result.publish_failed
    doc = result.to_json()
    assert doc["failures"] == result.failures and doc["metrics"]["artifactsWritten"] == 5


def test_cancel_leaves_only_complete_files_and_reports_them(midgame, tmp_path):
    calls = {"n": 0}

    def cancelled():
        calls["n"] += 1
        return calls["n"] > 2           # two artifacts go through, then the user cancels

    progress = []
    result = run_export(midgame, out_dir=tmp_path, formats=FORMATS, cancelled=cancelled, publish=True,
                        progress=lambda d, t, text: progress.append((d, t)))
    assert result.cancelled
    written = [a for a in result.artifacts if a.status == "written"]
    skipped = [a for a in result.artifacts if a.status == "skipped"]
    assert len(written) == 2 and len(skipped) == 3 and all(a.reason == "cancelled" for a in skipped)
    on_disk = sorted(p.name for p in tmp_path.iterdir())
    assert on_disk == sorted(a.filename for a in written)            # no partial, no temp, no manifest
    for a in written:
        assert (tmp_path / a.filename).stat().st_size == a.size
    assert result.publish is None and progress[-1] == (2, 6)


def test_on_event_callback_and_raising_subscriber(midgame, tmp_path):
    seen = []

    def flaky(name, payload):
        seen.append(name)
        if name == ev.EXPORT_STARTED:
            raise RuntimeError("listener bug")

    result = run_export(midgame, out_dir=tmp_path, writers=[MemoryWriter()], on_event=flaky)
    assert result.metrics["artifactsWritten"] == 3
    assert seen[0] == ev.EXPORT_STARTED and ev.EXPORT_COMPLETED in seen


def test_publish_options_run_commands_and_report_failure(midgame, tmp_path):
    import sys
    options = PublishOptions(commands=[[sys.executable, "-c", "import sys; sys.exit(2)"]], dry_run=False)
    result = run_export(midgame, out_dir=tmp_path, publish=options)
    assert result.publish_failed
    assert result.to_json()["publish"]["commandResults"][0]["exitCode"] == 2


def test_sanitised_summary_has_the_games_key_order(midgame, tmp_path):
    result = run_export(midgame, out_dir=tmp_path, writers=[MemoryWriter()])
    assert list(result.summary) == ["generatedAt", "generatedIso", "source", "factions", "tutorial", "engine",
                                    "controlBindings", "districts", "npcs"]
    assert list(result.summary["districts"]) == ["lastUpdatedAt", "lastUpdatedIso", "lastLockdownAt",
                                                 "lastLockdownIso", "metrics", "restrictedDistricts"]


def test_the_export_core_and_cli_import_no_qt():
    import subprocess
    import sys
    code = ("import sys, inspector_app.core.export, inspector_app.core.export.inputs, inspector_app.cli.export; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- issue 13 leftover: the dialog's preview, computed in the worker (core part, no Qt) ----------

def _midgame_like() -> dict:
    return {"generatedAt": 1762106784700, "factions": {"cascadeTargets": [{"factionId": "vanguard_prime",
                                                                          "cascadeCount": 2}]}}


def test_preview_export_marks_states_and_finds_a_free_name(tmp_path):
    from inspector_app.core.export import pipeline

    summary = _midgame_like()
    first = pipeline.preview_export(lambda: summary, out_dir=tmp_path, prefix="qa", formats=["json", "csv"])
    assert first.summary is summary and first.differs == 0 and first.free_prefix is None
    assert [p.state for p in first.planned] == ["new"] * 3
    pipeline.run_export(summary, out_dir=tmp_path, prefix="qa", formats=["json", "csv"])
    (tmp_path / first.planned[1].filename).write_text("someone else's\n")
    again = pipeline.preview_export(summary, out_dir=tmp_path, prefix="qa", formats=["json", "csv"])
    assert [p.state for p in again.planned] == ["identical", "differs", "identical"]
    assert again.differs == 1 and again.free_prefix == "qa-2" and again.prefix == "qa"
    renamed = pipeline.preview_export(summary, out_dir=tmp_path, prefix="qa", formats=["json", "csv"],
                                      on_conflict="new-name")
    assert renamed.prefix == "qa-2" and all(p.filename.startswith("qa-2-") and p.state == "new"
                                            for p in renamed.planned)


def test_preview_export_stops_when_cancelled(tmp_path):
    from inspector_app.core.common.progress import Cancelled
    from inspector_app.core.export import pipeline

    steps = []
    with pytest.raises(pipeline.PreviewCancelled) as info:
        pipeline.preview_export(_midgame_like(), out_dir=tmp_path, formats=["json"],
                                progress=lambda done, total, text="": steps.append(text),
                                cancelled=lambda: len(steps) >= 1)
    assert isinstance(info.value, Cancelled) and steps == ["reading the source"]


def test_free_prefix_builds_the_artifacts_once(tmp_path, monkeypatch):
    from inspector_app.core.export import pipeline

    summary = _midgame_like()
    for n in ("qa", "qa-2", "qa-3"):
        pipeline.run_export(summary, out_dir=tmp_path, prefix=n, formats=["json"])
        (next(tmp_path.glob(f"{n}-summary-*.json"))).write_text("other\n")
    builds = []
    real = pipeline.build_artifacts
    monkeypatch.setattr(pipeline, "build_artifacts", lambda *a, **k: builds.append(1) or real(*a, **k))
    assert pipeline.free_prefix(summary, out_dir=tmp_path, prefix="qa", formats=["json"]) == "qa-4"
    assert len(builds) == 1
