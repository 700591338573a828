"""Metric ingest never lets one bad file (or a damaged index) stop the rest (issues 9 and 10)."""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from inspector_app.core.metrics.index import SCHEMA_VERSION, MetricIndex, Scope
from inspector_app.core.metrics.model import MAX_SAMPLES, SeriesKey
from inspector_app.core.metrics.readers import read_metric_file

YEAR_2300_S = 10_413_792_000          # 2300-01-01T00:00:00Z
TICK = SeriesKey("bench", "tick", "mean")


def _m1(ts: str, mean: float) -> bytes:
    return json.dumps({"metadata": {"timestamp": ts},
                       "benchmarks": {"tick": {"iterations": 3, "timing": {"mean": mean, "min": mean, "max": mean}}}}
                      ).encode()


def _good_files(root: Path, n: int = 3) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = root / f"bench-17620000000{i:02d}.json"
        p.write_bytes(_m1(f"2025-11-0{i + 1}T00:00:00.000Z", 1.0 + i))
        out.append(p)
    return out


def _ingest(root: Path):
    with MetricIndex() as index:
        report = index.ingest(root)
        data = index.series_data(TICK, Scope.of(roots=[root]))
        return report, data, index.problems(Scope.of(roots=[root]))


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="file names must be bytes that are not UTF-8")
def test_a_file_name_that_is_not_utf8_is_a_located_problem_and_the_rest_is_indexed(tmp_path):
    root = tmp_path / "results"
    _good_files(root)
    bad = os.path.join(os.fsencode(root), b"run-\xff.json")
    with open(bad, "wb") as fh:
        fh.write(_m1("2025-11-05T00:00:00.000Z", 9.0))
    report, data, _ = _ingest(root)
    assert data.values.tolist() == [1.0, 2.0, 3.0]
    assert len(report.unindexed) == 1
    assert "run-\\xff.json" in report.unindexed[0] and "UTF-8" in report.unindexed[0]
    report.unindexed[0].encode("utf-8")          # the message itself is printable text


def test_a_file_dated_after_2262_is_indexed_with_the_rest(tmp_path):
    root = tmp_path / "results"
    _good_files(root)
    late_mtime = root / "late-mtime.json"          # no time in content or name: its mtime counts
    late_mtime.write_bytes(json.dumps({"value": 5}).encode())
    os.utime(late_mtime, (YEAR_2300_S, YEAR_2300_S))
    late_content = root / "bench-2300-01-01.json"
    late_content.write_bytes(_m1("2300-01-01T00:00:00.000Z", 4.0))
    report, data, problems = _ingest(root)
    assert data.values.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert data.times[-1] == pytest.approx(YEAR_2300_S)
    assert report.unindexed == [] and problems == []
    with MetricIndex() as index:                   # the clamped mtime still says "unchanged"
        assert index.ingest(root).files_read == []
        keys = {k for k, _, _ in index.series(Scope.of(roots=[root]))}
        assert SeriesKey("late-mtime", "(root)", "value") in keys


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_json_is_skipped_never_opened(tmp_path):
    root = tmp_path / "results"
    _good_files(root)
    fifo = root / "pipe.json"
    os.mkfifo(fifo)
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(r=_ingest(root)), daemon=True)
    worker.start()
    worker.join(60)                               # a hang would leave the thread blocked in open()
    if worker.is_alive():                         # unblock it before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("ingest blocked on a FIFO")
    report, data, _ = result["r"]
    assert data.values.tolist() == [1.0, 2.0, 3.0]
    assert any("pipe.json" in p and "not a regular file" in p for p in report.unindexed)
    # asked for explicitly, too, and when read directly
    with MetricIndex() as index:
        direct = index.ingest_files([fifo])
        assert direct.files_read == [] and "not a regular file" in direct.unindexed[0]
    assert "not a regular file" in read_metric_file(fifo).problems[0]


def test_a_huge_numeric_array_keeps_bounded_samples_with_a_note(tmp_path):
    n = MAX_SAMPLES * 3 + 7
    path = tmp_path / "big.json"
    values = np.arange(n, dtype=float)
    path.write_bytes(b'{"timestamp": "2025-11-01T00:00:00Z", "frameMs": [' + ",".join(map(str, values)).encode() + b"]}")
    result = read_metric_file(path)
    run = result.runs[0]
    key = ("big", "frameMs")
    assert len(run.samples[key]) == MAX_SAMPLES and run.samples[key].dtype == np.float64
    assert run.samples[key][0] == 0 and run.samples[key][-1] == n - 1
    # the statistics still use every value
    assert run.values[SeriesKey("big", "frameMs", "count")] == n
    assert run.values[SeriesKey("big", "frameMs", "mean")] == pytest.approx(values.mean())
    assert any("big.json" in p and f"{n:,} samples" in p for p in result.problems)


def test_a_corrupt_index_file_is_rebuilt_with_a_note(tmp_path):
    root = tmp_path / "results"
    _good_files(root)
    db = tmp_path / "index.sqlite3"
    db.write_bytes(b"this is not an SQLite database" * 100)
    with MetricIndex(db) as index:
        assert len(index.notes) == 1 and "rebuilt" in index.notes[0] and str(db) in index.notes[0]
        report = index.ingest(root)
        assert len(report.files_read) == 3
        assert index.series_data(TICK, Scope.of(roots=[root])).values.tolist() == [1.0, 2.0, 3.0]


def test_an_index_damaged_while_in_use_is_rebuilt_by_the_next_ingest(tmp_path):
    root = tmp_path / "results"
    _good_files(root)
    db = tmp_path / "index.sqlite3"
    with MetricIndex(db) as index:
        index.ingest(root)
    size = db.stat().st_size
    with MetricIndex(db) as index:
        with open(db, "r+b") as fh:                # overwrite every page after the header page
            fh.seek(4096)
            fh.write(os.urandom(max(0, size - 4096)) or b"\0" * 4096)
        _good_files(root / "more", 1)
        report = index.ingest(root)
        assert index.notes and "rebuilt" in index.notes[-1]
        assert len(report.files_read) == 4


def test_a_schema_version_mismatch_rebuilds_the_index(tmp_path):
    root = tmp_path / "results"
    _good_files(root)
    db = tmp_path / "index.sqlite3"
    with MetricIndex(db) as index:
        index.ingest(root)
        assert index.notes == []
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value='0' WHERE key='schema'")
    con.commit()
    con.close()
    with MetricIndex(db) as index:
        assert len(index.notes) == 1 and "schema version 0" in index.notes[0]
        assert index.ingest(root).files_read != []    # everything read again into the new index
    con = sqlite3.connect(db)
    assert con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == SCHEMA_VERSION
    con.close()
    with MetricIndex(db) as index:                 # and the rebuilt index is simply reused
        assert index.notes == [] and index.ingest(root).files_read == []


def _big_doc(body: str) -> bytes:
    return ('{"timestamp": "2025-11-01T00:00:00Z", ' + body + "}").encode()


@pytest.mark.parametrize("body", [
    '"frameMs": [' + ",".join(str(i * 0.5) for i in range(400_000)) + '], "note": "x"',
    '"a": {"b": [' + ", ".join(str(i) for i in range(300_000)) + ']}, "c": [' + ",".join(["7"] * 300_000) + "]",
    '"text": "[' + ",".join(["1"] * 300_000) + ']", "v": 3',             # looks numeric, but inside a string
    '"bad": [' + ",".join(["1"] * 300_000) + ",,2]",                         # empty element
    '"bad": [' + ",".join(["1"] * 300_000) + ",]",                           # trailing comma
    '"bad": [' + ",".join(["1"] * 300_000) + ",1e400]",                      # a number JS calls Infinity
])
def test_big_numeric_arrays_read_exactly_like_the_plain_parser(tmp_path, monkeypatch, body):
    """The big-file shortcut (float64 arrays straight from the text) gives the plain orjson
    result or the plain error: same series, same statistics, same verdict."""
    from inspector_app.core.metrics import readers

    path = tmp_path / "big.json"
    path.write_bytes(_big_doc(body))
    assert path.stat().st_size >= readers.BIG_FILE_BYTES or len(body) > 500_000
    monkeypatch.setattr(readers, "BIG_FILE_BYTES", 1)
    fast = read_metric_file(path)
    monkeypatch.setattr(readers, "BIG_FILE_BYTES", 1 << 40)
    plain = read_metric_file(path)
    assert fast.reader == plain.reader
    assert fast.problems == plain.problems
    assert [r.values for r in fast.runs] == [r.values for r in plain.runs]
    assert [sorted(r.samples) for r in fast.runs] == [sorted(r.samples) for r in plain.runs]
    for f_run, p_run in zip(fast.runs, plain.runs):
        for key in p_run.samples:
            assert np.array_equal(f_run.samples[key], p_run.samples[key])
    if '"bad"' not in body and '"text"' not in body:     # the shortcut really was taken
        tree = readers._loads_with_arrays(path.read_bytes())
        arrays = [v for v in [*tree.values(), *tree.get("a", {}).values()] if isinstance(v, np.ndarray)]
        assert arrays and all(a.dtype == np.float64 for a in arrays)
