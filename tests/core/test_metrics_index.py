"""Incremental SQLite ingest: only new or changed files are read; deletions are forgotten."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from inspector_app.core.loading.document import LoadCancelled
from inspector_app.core.metrics.history_log import append_export_metrics
from inspector_app.core.metrics.index import MetricIndex, Scope, default_index_path
from inspector_app.core.metrics.model import SeriesKey


def _m1_doc(ts: str, mean: float) -> dict:
    return {"metadata": {"timestamp": ts, "platform": "linux"},
            "benchmarks": {"tick": {"iterations": 5, "timing": {"min": mean * 0.9, "max": mean * 1.1, "mean": mean,
                                                                "median": mean, "p95": mean * 1.05, "p99": mean * 1.1},
                                    "samples": [mean * 0.9, mean, mean * 1.1]}}}


def _write(path: Path, doc) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return path


def test_index_lives_in_the_data_dir():
    assert default_index_path().parent == Path(os.environ["TELEMETRY_INSPECTOR_DATA_DIR"])


def test_ingest_then_reingest_reads_only_the_changed_file(tmp_path):
    root = tmp_path / "results"
    files = [_write(root / f"bench-176200000000{i}.json", _m1_doc(f"2025-11-0{i + 1}T00:00:00.000Z", 1.0 + i)) for i in range(4)]
    progress: list[tuple[int, int, str]] = []
    with MetricIndex() as index:
        first = index.ingest(root, progress=lambda d, t, text="": progress.append((d, t, text)))
        assert sorted(first.files_read) == sorted(str(f) for f in files)
        assert progress[-1][0] == progress[-1][1] == 4

        again = index.ingest(root)
        assert again.files_read == [] and again.files_seen == 4

        _write(files[2], _m1_doc("2025-11-03T00:00:00.000Z", 9.0))
        os.utime(files[2], ns=(files[2].stat().st_atime_ns, files[2].stat().st_mtime_ns + 5_000_000))
        changed = index.ingest(root)
        assert changed.files_read == [str(files[2])]

        files[0].unlink()
        removed = index.ingest(root)
        assert removed.files_removed == 1 and removed.files_read == []

        scope = Scope.of(roots=[root])
        data = index.series_data(SeriesKey("bench", "tick", "mean"), scope)
        assert data.values.tolist() == [2.0, 9.0, 4.0]   # time order, updated value, deleted run gone
        assert data.low is not None and data.high is not None
        assert np.allclose(index.samples(int(data.run_ids[1]), "bench", "tick"), [8.1, 9.0, 9.9])


def test_companion_change_triggers_reread(game_repo_fixtures, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(game_repo_fixtures / "reports", root / "reports")
    packet = root / "reports/telemetry/save-load-qa/save-load-2025-10-31T04-42-21-907Z"
    with MetricIndex() as index:
        index.ingest(root)
        meta = json.loads((packet / "metadata.json").read_text())
        meta["createdAt"] = "2025-12-01T00:00:00.000Z"
        (packet / "metadata.json").write_text(json.dumps(meta))
        report = index.ingest(root)
        assert str(packet / "save-load-latency.json") in report.files_read
        runs = index.series_data(SeriesKey("save-load-qa", "load", "mean"), Scope.of(roots=[root]))
        assert runs.times.tolist() == [pytest.approx(1764547200.0)]


def test_cancel_keeps_finished_work(tmp_path):
    root = tmp_path / "many"
    for i in range(30):
        _write(root / f"r-{i:02d}.json", _m1_doc(f"2025-11-01T00:00:{i:02d}.000Z", 1.0))
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 10

    with MetricIndex() as index:
        with pytest.raises(LoadCancelled):
            index.ingest(root, cancelled=cancelled)
        kept = index.file_count(Scope.of(roots=[root]))
        assert 0 < kept < 30
        resumed = index.ingest(root)
        assert len(resumed.files_read) == 30 - kept


def test_game_repo_and_export_history_together(game_repo_fixtures, tmp_path):
    data_dir = tmp_path / "data"
    for duration in (3, 5):
        append_export_metrics({"artifactsAttempted": 2, "artifactsWritten": 2, "failures": [],
                               "writerSummaries": [{"id": "writer_1", "attempted": 2, "successes": 2,
                                                    "failures": 0, "durationMs": duration}],
                               "durationMs": duration}, context={"prefix": "qa-run"}, data_dir=data_dir)
    with MetricIndex() as index:
        index.ingest(game_repo_fixtures)
        index.ingest(data_dir)
        scope = Scope.of(roots=[game_repo_fixtures, data_dir])
        keys = {k for k, _, _ in index.series(scope)}
        assert SeriesKey("m1-profile", "physics-collision-500-entities", "mean") in keys
        assert SeriesKey("spatial-hash-window-profile", "results[window=90].telemetryPayload", "historyBytes") in keys
        per_artifact = index.series_data(SeriesKey("export-metrics", "export", "durationMsPerArtifact"), scope)
        # the test-burst file is timed by mtime, the history lines by their timestamps
        assert sorted(per_artifact.values.tolist()) == pytest.approx([1 / 3, 1.5, 2.5])
        limits = index.limits(SeriesKey("save-load-qa", "load", "max"), scope)
        assert [l.limit for l in limits] == [500.0, 2000.0]
