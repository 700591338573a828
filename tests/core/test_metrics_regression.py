"""Step and creep detection: the game's real regressions, synthetic series, and noise (no alarm)."""
from __future__ import annotations

import numpy as np
import pytest

from inspector_app.core.metrics.index import MetricIndex, Scope
from inspector_app.core.metrics.model import SeriesKey
from inspector_app.core.metrics.regression import analyse_series, detect_changes


@pytest.fixture
def repo_index(game_repo_fixtures):
    with MetricIndex() as index:
        index.ingest(game_repo_fixtures)
        yield index, Scope.of(roots=[game_repo_fixtures])


@pytest.mark.parametrize("benchmark, before, after", [
    ("gameloop-full-update-500-entities", 0.293, 17.83),
    ("physics-collision-500-entities", 0.208, 4.62),
])
def test_finds_the_committed_m1_regressions_and_where_they_began(repo_index, benchmark, before, after):
    index, scope = repo_index
    data = index.series_data(SeriesKey("m1-profile", benchmark, "mean"), scope)
    assert len(data) == 3
    findings = analyse_series(data)
    assert len(findings) == 1
    f = findings[0]
    assert f.kind == "step" and f.regression and f.direction == "increase"
    assert f.index == 1
    assert f.run_path.endswith("m1-profile-1761717876337.json")   # began with the second run
    assert f.before == pytest.approx(before, rel=0.01)
    assert f.after == pytest.approx(after, rel=0.01)               # mean of the two runs after
    assert f.confirming_runs == 2 and 0.5 <= f.confidence < 1
    assert "m1-profile-1761717876337.json" in f.explain() and "step increase" in f.explain()


def test_stable_m1_benchmark_raises_no_alarm(repo_index):
    index, scope = repo_index
    for name in ("entity-creation-10000", "rendering-layer-operations", "asset-loading-json-parse-small"):
        assert analyse_series(index.series_data(SeriesKey("m1-profile", name, "mean"), scope)) == []


def test_step_on_synthetic_series():
    rng = np.random.default_rng(7)
    x = np.r_[10 + rng.normal(0, 0.3, 25), 12 + rng.normal(0, 0.3, 15)]
    findings = detect_changes(x)
    assert [(f.kind, f.index) for f in findings] == [("step", 25)]
    assert findings[0].change == pytest.approx(2.0, abs=0.3)
    assert findings[0].confidence > 0.9


def test_improvement_and_higher_is_better():
    x = [100.0, 101, 99, 100, 102, 98, 100, 70, 71, 69, 70, 70]
    (down,) = detect_changes(x)
    assert down.index == 7 and not down.regression and down.direction == "decrease"
    (rate,) = detect_changes(x, higher_is_better=True)
    assert rate.regression


def test_slow_creep_with_rolling_baseline():
    rng = np.random.default_rng(3)
    flat = 5 + rng.normal(0, 0.05, 20)
    ramp = 5 + np.linspace(0.05, 1.5, 30) + rng.normal(0, 0.05, 30)
    findings = detect_changes(np.r_[flat, ramp])
    assert [f.kind for f in findings] == ["creep"]
    creep = findings[0]
    assert creep.regression and 16 <= creep.index <= 23
    assert creep.after - creep.before == pytest.approx(1.4, abs=0.35)
    assert creep.confidence > 0.99


def test_noise_only_gives_no_alarm():
    rng = np.random.default_rng(11)
    for n in (10, 30, 100):
        for _ in range(20):
            assert detect_changes(1 + rng.normal(0, 0.05, n)) == []


def test_a_single_noisy_run_is_not_an_alarm():
    rng = np.random.default_rng(5)
    x = 1 + rng.normal(0, 0.02, 30)
    x[12] = 3.0        # one slow run in the middle
    assert detect_changes(x) == []
    y = 1 + rng.normal(0, 0.02, 30)
    y[-1] = 3.0        # the latest run alone: not confirmed yet
    assert detect_changes(y) == []


def test_within_run_ranges_separate_a_short_history():
    # three runs only; the iteration ranges never overlap, so the jump is real
    means, low, high = [1.0, 5.0, 5.2], [0.8, 4.6, 4.9], [1.3, 5.5, 5.6]
    (f,) = detect_changes(means, low=low, high=high)
    assert f.index == 1
    # same means but ranges that overlap heavily: nothing can be concluded
    assert detect_changes(means, low=[0.1, 0.2, 0.2], high=[9, 9, 9]) == []


def test_ten_thousand_runs_find_the_step_and_the_creep():
    """The detector is n log n (issue 10 #3): 10,000 runs are analysed whole, same findings."""
    rng = np.random.default_rng(7)
    n = 10_000
    step = 10.0 + rng.normal(0, 0.3, n)
    step[6000:] += 3.0
    found = detect_changes(step)
    assert [(f.kind, f.index, f.regression) for f in found] == [("step", 6000, True)]
    assert found[0].before == pytest.approx(10.0, abs=0.05) and found[0].after == pytest.approx(13.0, abs=0.05)
    flat = 10.0 + rng.normal(0, 0.3, n)
    assert detect_changes(flat) == []
    creep = 10.0 + rng.normal(0, 0.3, n) + np.concatenate([np.zeros(4000), np.linspace(0, 4, 6000)])
    found = detect_changes(creep)
    assert [f.kind for f in found] == ["creep"] and found[0].regression
    assert 3500 <= found[0].index <= 4500     # the hinge: where the creep began
