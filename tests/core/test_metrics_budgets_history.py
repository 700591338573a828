"""Budgets config (defaults + user overrides) and the export metrics history log."""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from inspector_app.core.metrics.budgets import load_budgets, user_budgets_path
from inspector_app.core.metrics.history_log import append_export_metrics, history_path, read_export_history
from inspector_app.core.metrics.model import SeriesKey
from inspector_app.core.metrics.readers import read_metric_file


def test_default_budgets_from_the_spec():
    config = load_budgets()
    assert config.problems == []
    assert (config.bands.warning, config.bands.critical) == (0.8, 0.95)

    def limits(*key):
        return [b.limit for b in config.for_series(SeriesKey(*key))]

    assert limits("export-metrics", "export", "durationMsPerArtifact") == [10]
    assert limits("app-bench", "store-dispatch", "mean") == [0.25]
    assert limits("save-load-qa", "load", "max") == [500, 2000]
    assert limits("save-load-qa", "save", "mean") == [200]
    assert limits("layout-graph", "nodes-120", "mean") == [8]
    assert limits("layout-graph", "nodes-120", "max") == [12]
    assert limits("m1-profile", "physics-collision-500-entities", "mean") == [4]
    assert config.status(3.5, 4) == "warning" and config.status(3.9, 4) == "critical"
    assert config.status(4.1, 4) == "over" and config.status(1, 4) == "ok"


def test_user_file_overrides_disables_and_adds():
    path = user_budgets_path()
    assert str(path).startswith(os.environ["XDG_CONFIG_HOME"])
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"bands": {"warning": 0.7},
                                "budgets": [{"id": "load-max", "limit": 300},
                                            {"id": "m1-physics", "disabled": True},
                                            {"id": "mine", "source": "custom", "statistic": "fps", "limit": 60},
                                            {"id": "broken", "limit": "soon"}]}))
    config = load_budgets()
    assert config.bands.warning == 0.7
    assert [b.limit for b in config.for_series(SeriesKey("save-load-qa", "load", "max"))] == [300, 2000]
    assert config.for_series(SeriesKey("m1-profile", "physics-collision-500-entities", "mean")) == []
    assert [b.id for b in config.for_series(SeriesKey("custom", "x", "fps"))] == ["mine"]
    assert any("broken" in p and "limit" in p for p in config.problems)


def test_append_export_metrics_and_read_back(tmp_path):
    metrics = {"artifactsAttempted": 3, "artifactsWritten": 3,
               "failures": [{"writerId": "disk", "artifact": {"filename": "a.json", "type": "json"},
                             "error": OSError("disk full")}],
               "writerSummaries": [{"id": "writer_1", "attempted": 3, "successes": 3, "failures": 0, "durationMs": 4}],
               "durationMs": 4}
    path = append_export_metrics(metrics, context={"prefix": "qa-run", "formats": ["json"]})
    assert path == history_path() and path.parent == Path(os.environ["TELEMETRY_INSPECTOR_DATA_DIR"])
    threads = [threading.Thread(target=append_export_metrics, args=(metrics,), kwargs={"context": {"i": i}})
               for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = list(read_export_history())
    assert len(entries) == 9
    first = entries[0]
    assert first["context"]["prefix"] == "qa-run"
    assert first["timestamp"].endswith("Z") and isinstance(first["generatedAt"], int)
    assert first["metrics"]["failures"][0]["error"] == "disk full"
    assert set(first["metrics"]) == {"artifactsAttempted", "artifactsWritten", "failures", "writerSummaries", "durationMs"}

    with open(path, "ab") as fh:   # a torn last line from a crash
        fh.write(b'{"timestamp": "2025')
    problems: list[str] = []
    assert len(list(read_export_history(path, problems))) == 9
    assert problems and f"{path}:10:" in problems[0]

    result = read_metric_file(path)      # the metric reader charts it, one run per line
    assert result.reader == "export-metrics-history" and len(result.runs) == 9
    assert result.runs[0].values[SeriesKey("export-metrics", "export", "failures")] == 1
    assert result.runs[0].label == "qa-run"
