"""Playtest core: per-profile summaries, partials, the report, sources, the cache (no Qt)."""
from __future__ import annotations

import os
import shutil

import orjson
import pytest
from hypothesis import given, settings, strategies as st

from inspector_app.core.playtest import (
    Partial, PlaytestCancelled, SummaryCache, build_report, discover_sources, merge, merge_all, run_playtest,
    summarize_profile,
)
from inspector_app.core.playtest.generate import generate_player, plan_player
from inspector_app.core.playtest.model import summary_from_json, summary_to_json

from .conftest import N_PLAYERS


def _by_behaviour(summaries, behaviour):
    # players cycle through BEHAVIOURS in order (conftest)
    from inspector_app.core.playtest.generate import BEHAVIOURS

    return [s for i, s in enumerate(summaries) if BEHAVIOURS[i % len(BEHAVIOURS)] == behaviour]


# -- per-profile summary -------------------------------------------------------------------------------
def test_summary_of_a_finisher(summaries):
    s = _by_behaviour(summaries, "complete")[0]
    assert not s.excluded
    assert s.tutorial_status == "completed"
    assert [r.status for r in s.steps] == ["completed"] * 13
    assert all(r.duration_ms and r.duration_ms > 0 for r in s.steps)
    assert [r.index for r in s.steps] == list(range(13))
    times = [x.saved_at_ms for x in s.saves]
    assert times == sorted(times) and s.save_count == len(s.saves) >= 3
    assert s.playtime_ms and s.playtime_ms > 30 * 60_000
    assert {q.quest_id: q.status for q in s.quests}["case_001_hollow_case"] == "completed"
    assert {c.quest_id: c.status for c in s.cases}["case_001_hollow_case"] == "solved"
    assert {f.faction_id for f in s.factions} >= {"wraith_network", "vanguard_prime"}
    assert all(f.reputation == f.fame - f.infamy for f in s.factions)
    assert s.stalled_step is None and s.error_saves == 0


def test_summary_of_a_skipper(summaries):
    for s in _by_behaviour(summaries, "skip"):
        assert s.tutorial_status == "skipped"
        skipped = [r for r in s.steps if r.status == "skipped"]
        assert len(skipped) == 1
        assert all(r.status == "completed" for r in s.steps if r.index < skipped[0].index)
        assert s.stalled_step is None


def test_summary_of_a_staller_who_quit(summaries):
    for s in _by_behaviour(summaries, "stall-quit"):
        assert s.tutorial_status == "in-progress"
        assert s.stalled_step is not None
        plan = plan_player(0, "stall-quit")
        assert plan.stall_ms >= 6 * 60_000
        assert s.stalled_ms is not None and s.stalled_ms >= 5 * 60_000   # the interval autosave saw the stall
        assert [r.step_id for r in s.steps if r.status == "open"] == [s.stalled_step]


def test_summary_of_a_player_with_a_broken_save(summaries):
    for s in _by_behaviour(summaries, "error"):
        assert not s.excluded                     # the other saves still count
        assert s.error_saves == 1
        assert any(x.status == "error" for x in s.saves)
        bad = [p for p in s.problems if p.severity == "error"]
        assert bad and all(p.file and p.slot for p in bad)   # located: file and slot


def test_unreadable_profile_is_excluded_with_located_problem(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_bytes(b'{"save_slot1": "{\\"version\\": 1,')
    s = summarize_profile(bad)
    assert s.excluded and s.player_id == "broken"
    assert s.problems and s.problems[0].file == str(bad) and s.problems[0].location


def test_profile_without_a_readable_save_is_excluded(tmp_path):
    path = tmp_path / "empty.localStorage.json"
    path.write_bytes(orjson.dumps({"save_metadata": "{}", "save_slot1": "{not json"}))
    s = summarize_profile(path)
    assert s.excluded
    assert any(p.code == "playtest_no_save" for p in s.problems)


def test_summary_round_trips_through_json(summaries):
    for s in summaries:
        assert summary_from_json(summary_to_json(s)) == s


def test_generated_players_are_deterministic():
    assert generate_player(5) == generate_player(5)
    assert generate_player(5) != generate_player(6)


# -- sources ----------------------------------------------------------------------------------
def test_player_ids_are_unique_and_stable(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "alice.localStorage.json").write_bytes(b"{}")
    (tmp_path / "a" / "bob.json").write_bytes(b"{}")
    sources, problems = discover_sources([tmp_path, tmp_path / "missing"])
    assert [s.player_id for s in sources] == ["a/alice", "b/alice", "bob"]
    assert [p.code for p in problems] == ["not_found"]
    assert problems[0].file.endswith("missing")
    again, _ = discover_sources([tmp_path / "b", tmp_path / "a"])
    assert again == sources


# -- partials and the report ------------------------------------------------------------------------
def test_report_numbers_carry_their_players(summaries):
    report = build_report(Partial.from_summaries(summaries))
    assert report.counts == {"players": N_PLAYERS, "included": N_PLAYERS, "excluded": 0}
    welcome = report.funnel[0]
    assert welcome.step_id == "welcome" and welcome.reached.count == N_PLAYERS
    assert welcome.reached.players == tuple(sorted(s.player_id for s in summaries))
    for step in report.funnel:
        assert step.reached.count == step.completed.count + step.skipped.count + step.open.count
        assert step.time.n == len(step.time.values) and step.time.median_players
    skipped = {s.player_id for s in _by_behaviour(summaries, "skip")}
    assert {x.player_id for x in report.skipped_tutorial} == skipped
    assert dict(report.tutorial)["skipped"].players == tuple(sorted(skipped))
    assert {x.player_id for x in report.save_errors} >= {s.player_id for s in _by_behaviour(summaries, "error")}
    quitters = {s.player_id for s in _by_behaviour(summaries, "stall-quit")}
    assert quitters <= {x.player_id for x in report.stalled_longest[:2]}
    case = next(q for q in report.quests if q.id == "case_001_hollow_case")
    assert case.completed.count == len({s.player_id for s in summaries
                                         if any(q.quest_id == case.id and q.status == "completed" for q in s.quests)})
    assert report.factions and all(1 <= f.reputation.n <= N_PLAYERS for f in report.factions)
    assert all(sum(g.count for _, g in f.attitudes) == f.reputation.n for f in report.factions)
    data = orjson.loads(report.to_json_bytes())
    assert data["format"] == "telemetry-inspector.playtest-report"
    assert data["funnel"][0]["reached"]["players"] == list(welcome.reached.players)


def test_quantiles_are_exact():
    from inspector_app.core.playtest.report import Distribution

    d = Distribution.of([(4, "d"), (1, "a"), (3, "c"), (2, "b")])
    assert (d.min, d.p25, d.median, d.p75, d.max, d.mean) == (1, 1.75, 2.5, 3.25, 4, 2.5)
    assert d.median_players == ("b", "c") and d.min_players == ("a",) and d.max_players == ("d",)


@st.composite
def splits(draw, n):
    order = draw(st.permutations(range(n)))
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=5)))
    bounds = [0, *cuts, n]
    return [list(order[a:b]) for a, b in zip(bounds, bounds[1:])]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_split_of_the_players_gives_the_same_report_bytes(summaries, data):
    expected = build_report(Partial.from_summaries(summaries)).to_json_bytes()
    groups = data.draw(splits(len(summaries)))
    parts = [Partial.from_summaries(summaries[i] for i in group) for group in groups]
    # merged in a random tree shape
    while len(parts) > 1:
        i = data.draw(st.integers(0, len(parts) - 2))
        parts[i:i + 2] = [merge(parts[i], parts[i + 1])]
    assert build_report(parts[0]).to_json_bytes() == expected


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_merge_is_associative_and_commutative(summaries, data):
    groups = data.draw(splits(len(summaries)))
    while len(groups) < 3:
        groups.append([])
    a, b, c = (Partial.from_summaries(summaries[i] for i in g) for g in groups[:3])
    assert merge(merge(a, b), c) == merge(a, merge(b, c))
    assert merge(a, b) == merge(b, a)
    before = a.canonical()
    merge(a, b)
    assert a.canonical() == before            # inputs are not modified
    assert merge_all([a, Partial.empty()]) == a


def test_excluded_players_are_listed_not_counted(summaries, tmp_path):
    bad = tmp_path / "zz-broken.json"
    bad.write_bytes(b"[1, 2")
    broken = summarize_profile(bad)
    report = build_report(merge(Partial.from_summaries(summaries), Partial.from_summary(broken)))
    assert report.counts == {"players": N_PLAYERS + 1, "included": N_PLAYERS, "excluded": 1}
    assert [pid for pid, _ in report.excluded] == ["zz-broken"]
    assert report.funnel[0].reached.count == N_PLAYERS
    assert report.player("zz-broken").excluded
    assert "zz-broken" not in report.save_counts.players


# -- running: pool, cache, cancel ------------------------------------------------------------------
def test_pool_run_equals_the_inline_report(playtest_folder, summaries):
    run = run_playtest([playtest_folder], workers=2, cache=False)
    assert run.scheduler == "local" and run.read == N_PLAYERS
    assert run.report.to_json_bytes() == build_report(Partial.from_summaries(summaries)).to_json_bytes()


def test_cache_reads_only_changed_files(playtest_folder, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(playtest_folder, folder)
    cache = SummaryCache(tmp_path / "cache.sqlite")
    first = run_playtest([folder], workers=2, cache=cache)
    assert (first.read, first.cached) == (N_PLAYERS, 0)
    second = run_playtest([folder], workers=2, cache=cache)
    assert (second.read, second.cached) == (0, N_PLAYERS)
    assert second.report.to_json_bytes() == first.report.to_json_bytes()
    changed = folder / "player-0003.localStorage.json"
    changed.write_bytes(generate_player(999, behaviour="skip"))
    st_ = changed.stat()
    os.utime(changed, ns=(st_.st_atime_ns, st_.st_mtime_ns + 1_000_000_000))
    third = run_playtest([folder], workers=2, cache=cache)
    assert third.read_paths == (str(changed),) and third.cached == N_PLAYERS - 1
    assert third.report.player("player-0003").tutorial_status == "skipped"
    cache.close()


def test_damaged_cache_is_rebuilt(playtest_folder, tmp_path):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    cache = SummaryCache(path)
    run = run_playtest([playtest_folder / "player-0000.localStorage.json"], cache=cache)
    assert run.read == 1 and cache.notes and "rebuilt" in cache.notes[0]
    cache.close()


def test_default_cache_lives_in_the_cache_dir(playtest_folder, tmp_path, monkeypatch):
    monkeypatch.setenv("TELEMETRY_INSPECTOR_CACHE_DIR", str(tmp_path / "c"))
    run_playtest([playtest_folder / "player-0000.localStorage.json"])
    assert (tmp_path / "c" / "playtest-cache.sqlite").is_file()


def test_cancel_stops_the_run(playtest_folder):
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(PlaytestCancelled):
        run_playtest([playtest_folder], workers=2, cache=False, cancelled=cancelled)


def test_progress_reaches_the_total(playtest_folder):
    seen = []
    run_playtest([playtest_folder], workers=2, cache=False, progress=lambda d, t, text="": seen.append((d, t)))
    assert seen[-1] == (N_PLAYERS, N_PLAYERS)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_the_same_player_twice_is_refused(summaries):
    part = Partial.from_summary(summaries[0])
    with pytest.raises(ValueError, match="unique"):
        part.add(summaries[0])
    with pytest.raises(ValueError, match="unique"):
        merge(part, Partial.from_summary(summaries[0]))
