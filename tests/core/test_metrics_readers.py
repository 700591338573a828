"""Readers against the game's committed metric files, and the generic reader on unknown JSON."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from inspector_app.core.metrics.generic import filename_time, numeric_leaves, run_time_for, source_name
from inspector_app.core.metrics.model import TIME_FROM_CONTENT, TIME_FROM_FILENAME, TIME_FROM_MTIME, SeriesKey
from inspector_app.core.metrics.readers import detect_kind, read_metric_file


def _m1(repo: Path) -> list[Path]:
    return sorted((repo / "benchmark-results").glob("m1-profile-*.json"))


def test_m1_profile_runs_have_timing_statistics(game_repo_fixtures):
    files = _m1(game_repo_fixtures)
    assert len(files) == 3
    results = [read_metric_file(f) for f in files]
    assert [r.reader for r in results] == ["m1-profile"] * 3
    first, second = results[0].runs[0], results[1].runs[0]
    key = SeriesKey("m1-profile", "gameloop-full-update-500-entities", "mean")
    assert first.values[key] == pytest.approx(0.293209, rel=1e-4)
    assert second.values[key] == pytest.approx(16.3174916, rel=1e-6)
    assert first.units[key] == "ms"
    # run time comes from metadata.timestamp (content), not the file name epoch
    assert first.time_source == TIME_FROM_CONTENT
    assert first.time == pytest.approx(1761497251.389)
    # adaptive audio is missing from the oldest file: simply absent (a gap), not an error
    audio = SeriesKey("m1-profile", "adaptive-audio-infiltration", "mean")
    assert audio not in first.values and audio in second.values
    assert results[0].problems == []
    # extra numeric fields of a benchmark become statistics of their own
    assert second.values[SeriesKey("m1-profile", "adaptive-audio-infiltration", "transitionCount")] == 6


def test_save_load_packet_timed_by_metadata_with_limits(game_repo_fixtures):
    packet = game_repo_fixtures / "reports/telemetry/save-load-qa/save-load-2025-10-31T04-42-21-907Z"
    result = read_metric_file(packet / "save-load-latency.json")
    assert result.reader == "save-load-latency"
    run = result.runs[0]
    assert run.time_source == TIME_FROM_CONTENT
    assert run.time == pytest.approx(1761885741.907)  # metadata.json createdAt
    assert run.values[SeriesKey("save-load-qa", "save", "max")] == pytest.approx(1.178698, rel=1e-5)
    assert run.values[SeriesKey("save-load-qa", "load", "count")] == 2
    assert run.samples[("save-load-qa", "load")] == pytest.approx([0.64946, 0.197669], rel=1e-4)
    limits = {(l.benchmark, l.statistic, l.limit) for l in result.limits}
    assert ("load", "max", 2000.0) in limits          # acceptance threshold from the file
    assert ("load", "max", 500.0) in limits           # ../baselines/latency-baseline.json
    assert ("save", "mean", 200.0) in limits
    assert str(packet / "metadata.json") in result.dependencies
    # the metadata file itself yields no duplicate runs
    assert read_metric_file(packet / "metadata.json").runs == []


def test_export_metrics_and_dashboard_feed(game_repo_fixtures):
    burst = game_repo_fixtures / "reports/telemetry/autosave-burst"
    metrics = read_metric_file(burst / "test-burst-metrics.json")
    assert metrics.reader == "export-metrics"
    values = metrics.runs[0].values
    assert values[SeriesKey("export-metrics", "export", "artifactsAttempted")] == 3
    assert values[SeriesKey("export-metrics", "export", "durationMsPerArtifact")] == pytest.approx(1 / 3)
    assert values[SeriesKey("export-metrics", "writer writer_1", "successes")] == 3
    assert metrics.runs[0].time_source == TIME_FROM_MTIME  # no timestamp in content or name

    feed = read_metric_file(burst / "dashboard-feed.json")
    assert feed.reader == "dashboard-feed"
    assert feed.runs[0].values[SeriesKey("autosave-burst", "burst", "successRate")] == 1
    assert feed.runs[0].time == pytest.approx(1761926728.087)


def test_latency_baseline_gives_limits_only(game_repo_fixtures):
    result = read_metric_file(game_repo_fixtures / "reports/telemetry/save-load-qa/baselines/latency-baseline.json")
    assert result.reader == "latency-baseline" and result.runs == []
    assert sorted(l.limit for l in result.limits) == [200, 200, 500, 500]


def test_generic_reader_on_spatial_hash_profile(game_repo_fixtures):
    path = game_repo_fixtures / "reports/telemetry/spatial-hash-window-profile.json"
    assert detect_kind(json.loads(path.read_text())) == "generic"
    result = read_metric_file(path)
    assert result.reader == "generic"
    run = result.runs[0]
    assert run.time_source == TIME_FROM_CONTENT  # summary.generatedAt
    src = "spatial-hash-window-profile"
    # array elements are addressed by their identifying field, not their position
    key = SeriesKey(src, "results[window=60].timings.getMetrics", "averageMs")
    assert run.values[key] == pytest.approx(0.0056)
    assert run.units[key] == "ms"
    # plain numeric arrays become a distribution with samples
    assert run.values[SeriesKey(src, "summary.windows", "max")] == 180
    assert run.samples[(src, "summary.windows")].tolist() == [60, 90, 120, 180]
    # timestamps are the x axis, not metrics
    assert not any(k.statistic == "timestamp" for k in run.values)


def test_generic_reader_on_unknown_synthetic_json(tmp_path):
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "frame-stats-20251101T120000Z.json").write_text(json.dumps(
        {"scenes": [{"name": "docks", "fps": 58.5, "gpu": {"ms": 9.1}}, {"name": "spires", "fps": 41}],
         "ok": True, "note": "text", "nested": {"deep": {"value": 3}}}))
    result = read_metric_file(folder / "frame-stats-20251101T120000Z.json")
    run = result.runs[0]
    assert run.time_source == TIME_FROM_FILENAME
    assert run.time == pytest.approx(filename_time("20251101T120000Z"))
    assert run.values[SeriesKey("frame-stats", "scenes[name=docks].gpu", "ms")] == 9.1
    assert run.values[SeriesKey("frame-stats", "scenes[name=spires]", "fps")] == 41
    assert run.values[SeriesKey("frame-stats", "nested.deep", "value")] == 3
    assert all(k.statistic not in ("ok", "note") for k in run.values)  # bools/strings are not metrics

    plain = tmp_path / "plain.json"
    plain.write_text('{"latency": 4.5}')
    os.utime(plain, (1_700_000_000, 1_700_000_000))
    t, how = run_time_for(plain, json.loads(plain.read_text()))
    assert (t, how) == (1_700_000_000, TIME_FROM_MTIME)


def test_bad_json_is_a_located_problem_not_a_crash(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"a": 1,\n  "b": }')
    result = read_metric_file(bad)
    assert result.runs == []
    assert len(result.problems) == 1
    assert str(bad) in result.problems[0] and ":2:" in result.problems[0]


def test_helpers_time_and_source_names():
    assert source_name("m1-profile-1761497254398.json") == "m1-profile"
    assert source_name("layout-graph-benchmark-2025-10-31.json") == "layout-graph-benchmark"
    assert source_name("act2-crossroads-luminance-2025-10-31T16-34-23-233Z.json") == "act2-crossroads-luminance"
    assert filename_time("save-load-2025-10-31T04-42-21-907Z") == pytest.approx(1761885741.907)
    assert filename_time("m1-profile-1761497254398.json") == pytest.approx(1761497254.398)
    assert filename_time("no-time-here.json") is None
    assert list(numeric_leaves({"a": [1, 2], "b": {"c": 1.5}, "d": True})) == [("$.a", [1, 2]), ("$.b.c", 1.5)]


def test_layout_graph_and_performance_baseline_shapes(tmp_path):
    """Spec shapes §7.4 and §7.5/7.6 (no committed fixture): synthetic files built from the spec."""
    layout = tmp_path / "layout-graph-benchmark-2025-10-31T10-00-00-000Z.json"
    layout.write_text(json.dumps({
        "generatedAt": "2025-10-31T10:00:00.000Z", "parameters": {"nodeCounts": [60], "iterations": 3},
        "results": [{"nodeCount": 60, "iterations": 3, "edgeCount": 80, "edgesPerNode": 1.33,
                     "stats": {"min": 1.0, "max": 3.0, "mean": 2.0, "median": 2.0, "p75": 3.0, "p95": 3.0, "p99": 3.0},
                     "budget": {"status": "pass", "budget": {"mean": 8, "max": 12}}, "durations": [1.0, 2.0, 3.0]}],
        "summary": {"failures": 0, "warnings": 0, "passes": 1}}))
    r = read_metric_file(layout)
    assert r.reader == "layout-graph"
    assert r.runs[0].values[SeriesKey("layout-graph", "nodes-60", "mean")] == 2.0
    assert r.runs[0].samples[("layout-graph", "nodes-60")].tolist() == [1.0, 2.0, 3.0]
    assert {(l.statistic, l.limit) for l in r.limits} == {("mean", 8.0), ("max", 12.0)}

    perf = tmp_path / "ci-baseline.json"
    perf.write_text(json.dumps({
        "generatedAt": "2025-10-30T02:19:47.904Z", "runs": 2,
        "metrics": {"bspGenerationMs": {"averageMs": 4.0, "minMs": 3.5, "maxMs": 4.6, "samples": [3.5, 4.6, 3.9],
                                        "thresholdMs": 10, "passed": True}}}))
    r = read_metric_file(perf)
    assert r.reader == "performance"
    values = r.runs[0].values
    assert values[SeriesKey("performance", "bspGenerationMs", "mean")] == 4.0
    assert values[SeriesKey("performance", "bspGenerationMs", "utilisation")] == 40.0
    assert [(l.statistic, l.limit) for l in r.limits] == [("mean", 10.0)]


@pytest.mark.parametrize("stem", ["m1-profile-1762000000000", "x2024-1762000000000", "q1-1762000000000",
                                  "deadbeef-dead-beef-dead-1762000000000", "run_20250101-1762000000000",
                                  "2025-01-01T10-00-00-1762000000000", "m1--1762000000000"])
def test_source_name_shortcut_equals_the_general_rules(stem):
    from inspector_app.core.metrics import generic

    general = generic._clean_source(stem) or "json"
    assert source_name(f"/results/{stem}.json") == general
    assert source_name(f"/results/{stem}.json") == general      # again, from the cache
