"""The Metric History's state without Qt: session, names, budgets per series (issues 10 and 12)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from inspector_app.core.metrics.budgets import Budget, BudgetConfig
from inspector_app.core.metrics.model import SeriesKey
from inspector_app.core.metrics.names import (common_affixes, distinct_parts, distinguishing_names, elide_name,
                                              neighbour_affixes)
from inspector_app.core.metrics.session import MetricSession, ingest_and_analyse, load_samples

ENTITIES = (100, 500, 1000)


def _write_runs(root: Path, n_runs: int = 6) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for r in range(n_runs):
        benchmarks = {}
        for e in ENTITIES:
            mean = e / 100 * (1.0 if r < 3 else 1.6)          # a step at run 3
            benchmarks[f"gameloop-full-update-{e}-entities"] = {
                "iterations": 3, "timing": {"mean": mean, "min": mean * 0.9, "max": mean * 1.1},
                "samples": [mean * 0.9, mean, mean * 1.1]}
        doc = {"metadata": {"timestamp": f"2025-11-0{r + 1}T00:00:00.000Z"}, "benchmarks": benchmarks}
        (root / f"m1-profile-17620000000{r:02d}.json").write_text(json.dumps(doc))


def _key(e: int, stat: str = "mean") -> SeriesKey:
    return SeriesKey("m1-profile", f"gameloop-full-update-{e}-entities", stat)


def _noop(*_a, **_k):
    return None


@pytest.fixture
def session(tmp_path) -> MetricSession:
    root = tmp_path / "results"
    _write_runs(root)
    budgets = BudgetConfig(budgets=[Budget("frame", "16 ms frame", "m1-profile", "gameloop-*", "mean", 16.0)])
    s = MetricSession(budgets)
    s.add_folder(root)
    s.apply(ingest_and_analyse(tmp_path / "index.sqlite3", s.roots, s.files, _noop, lambda: False))
    return s


# -------------------------------------------------------------------------------------- names
def test_names_keep_the_distinguishing_part():
    names = [f"gameloop-full-update-{e}-entities · mean" for e in ENTITIES]
    assert common_affixes(names) == (len("gameloop-full-update-"), len("-entities · mean"))
    for width in (30, 20, 14):
        short = distinguishing_names(names, width)
        assert len(set(short)) == 3, short
        assert all(len(n) <= width for n in short)
        assert all(str(e) in n for e, n in zip(ENTITIES, short))
    assert distinguishing_names(names, 60) == names                  # short enough: unchanged
    assert distinct_parts(names) == ["100", "500", "1000"]
    # among unrelated siblings, each name is shortened against its closest relatives
    mixed = ["adaptive-audio-infiltration", *names, "physics-collision-500-entities · mean"]
    affixes = neighbour_affixes(mixed)
    assert affixes[0] == (0, 0) and affixes[-1] == (0, 0)
    assert affixes[1:4] == [common_affixes(names)] * 3
    assert distinguishing_names(names, 30)[0] == "gameloop-f…100-entities · mean"
    assert elide_name("x" * 50, 11) == "xxxxx…xxxxx"                  # nothing shared: middle


# -------------------------------------------------------------------------------------- session
def test_ingest_outcome_and_status_without_qt(session):
    assert len(session.series()) == 3 * 4                            # mean/min/max/iterations
    assert session.regression_count() == 3
    assert session.selection and session.selection[0].benchmark.startswith("gameloop-full-update-")
    text = session.status_message()
    assert text.startswith("Metric history: results") and "6 files" in text and "3 regression(s)" in text


def test_selection_groups_legend_names_and_budget_lines(session):
    session.select([_key(e) for e in ENTITIES])
    groups = session.groups()
    assert [len(g) for g in groups] == [3]                           # one unit: one chart
    names = session.display_names(max_chars=20)
    assert len(set(names.values())) == 3 and all(str(e) in names[_key(e)] for e in ENTITIES)
    lines = session.budget_lines(groups[0])
    assert [line.key for line in lines] == [_key(e) for e in ENTITIES]     # one per series...
    assert [(line.series, line.label) for line in lines] == [(str(e), "16 ms frame") for e in ENTITIES]
    session.options.stacked = True
    assert [len(g) for g in session.groups()] == [1, 1, 1]
    alone = session.budget_lines(session.groups()[0])[0]
    assert (alone.label, alone.series) == ("16 ms frame", "")                  # alone: no name needed


def test_cursors_deltas_and_hidden_series(session):
    session.select([_key(100), _key(500)])
    xs = session.all_x()
    assert len(xs) == 6
    session.cursors = (float(xs[0]) + 10, session.snap(float(xs[5]) - 10))  # snap lands on the last run
    rows = session.delta_rows()
    assert [r.key for r in rows] == [_key(100), _key(500)]
    assert rows[0].a == pytest.approx(1.0) and rows[0].b == pytest.approx(1.6)
    assert rows[0].pct == pytest.approx(60.0)
    session.hidden = {_key(500)}
    assert [r.key for r in session.delta_rows()] == [_key(100)]
    session.options.time_axis = False
    assert session.x_values(session.data(_key(100))).tolist() == [0, 1, 2, 3, 4, 5]


def test_box_plot_from_samples_fetched_by_the_worker(session, tmp_path):
    session.select([_key(100)])
    session.cursors = session.default_cursors()
    missing = session.missing_samples()
    assert len(missing) == 1
    boxes, _ = session.box_specs()
    assert not boxes[0].from_samples                                  # summary box until they arrive
    session.samples.update(load_samples(tmp_path / "index.sqlite3", missing, _noop, lambda: False))
    assert session.missing_samples() == []
    boxes, label = session.box_specs()
    assert boxes[0].from_samples and boxes[0].count == 3 and boxes[0].median == pytest.approx(1.6)
    assert label.endswith("05.json")


def test_findings_rows_are_distinguishable_and_csv_rows(session):
    rows = session.finding_rows()
    assert len(rows) == 3 and all(f.regression and f.direction == "increase" for f, _, _ in rows)
    assert all(affixes == (len("gameloop-full-update-"), len("-entities · mean")) for _, _, affixes in rows)
    short = {elide_name(name, 16, *affixes) for _, name, affixes in rows}     # a narrow column keeps them apart
    assert len(short) == 3
    session.select([_key(1000)])
    csv_rows = session.visible_rows()
    assert len(csv_rows) == 6 and csv_rows[0][:3] == ["m1-profile", "gameloop-full-update-1000-entities", "mean"]
    assert csv_rows[0][4] == "2025-11-01T00:00:00.000Z" and float(csv_rows[-1][6]) == pytest.approx(16.0)


def test_apply_keeps_the_selection_that_still_exists(session, tmp_path):
    session.select([_key(500)])
    session.apply(ingest_and_analyse(tmp_path / "index.sqlite3", session.roots, session.files, _noop, lambda: False))
    assert session.selection == [_key(500)]
    session.clear()
    assert session.selection == [] and session.status_message() == "" and not np.any(session.all_x())


def test_a_byte_count_beside_the_timings_gets_no_timing_band_or_box(tmp_path):
    """Session 5 (flows): a benchmark's min/max/p95 (and samples) are its timings in ms; a byte
    count or ratio of the same benchmark is charted without that band and boxed at its own value,
    never on a ms distribution under a 'bytes' axis."""
    root = tmp_path / "results"
    root.mkdir()
    for r in range(3):
        doc = {"metadata": {"timestamp": f"2025-11-0{r + 1}T00:00:00.000Z"},
               "benchmarks": {"open-big": {"iterations": 3,
                                           "timing": {"mean": 30.0 + r, "min": 27.0, "max": 40.0, "median": 29.0,
                                                      "p95": 39.0},
                                           "samples": [27.0, 29.0, 40.0],
                                           "peakMemoryBytes": 1e7 * (r + 1), "ratioToFloor": 20.0 + r}}}
        (root / f"open-document-17620000000{r:02d}.json").write_text(json.dumps(doc))
    s = MetricSession(BudgetConfig(budgets=[]))
    s.add_folder(root)
    s.apply(ingest_and_analyse(tmp_path / "index.sqlite3", s.roots, s.files, _noop, lambda: False))
    mean = next(k for k, _u, _n in s.table.series() if k.statistic == "mean")
    memory = SeriesKey(mean.source, mean.benchmark, "peakMemoryBytes")
    ratio = SeriesKey(mean.source, mean.benchmark, "ratioToFloor")
    timed = s.table.series_data(mean)
    assert timed.low.tolist() == [27.0] * 3 and timed.high.tolist() == [40.0] * 3 and timed.p95.tolist() == [39.0] * 3
    for key in (memory, ratio):
        data = s.table.series_data(key)
        assert data.low is None and data.high is None and data.p95 is None
        assert data.iterations.tolist() == [3.0] * 3                  # the run's iteration count still applies
    s.select([mean])
    s.cursors = s.default_cursors()
    s.samples.update(load_samples(tmp_path / "index.sqlite3", s.missing_samples(), _noop, lambda: False))
    [box], _label = s.box_specs()
    assert box.from_samples and box.high == pytest.approx(40.0)
    s.select([memory])                     # the same run's samples are in the session: not for bytes
    [box], _label = s.box_specs()
    assert not box.from_samples
    assert box.low == box.q1 == box.median == box.q3 == box.high == box.mean == pytest.approx(3e7)
