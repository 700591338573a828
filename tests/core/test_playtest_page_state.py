"""The Playtest page's state without Qt (core/playtest/page.py): the scheduler field's rule, the
players behind each number, the players list (filter, sort, bad profiles flagged) and the
headline's links — over a report built by the core from hand-made player summaries."""
from __future__ import annotations

import pytest

from inspector_app.core.playtest import Partial, PlaytestRun, PlayerSource, build_report
from inspector_app.core.playtest.model import FactionRecord, PlayerSummary, ProblemInfo, StepRecord
from inspector_app.core.playtest.page import ALL_PLAYERS, PlayerFilter, PlaytestPage, check_scheduler


def _player(pid: str, *, steps=(), playtime=None, saves=3, excluded=False, problems=(), factions=(), tutorial="completed",
            stalled=None) -> PlayerSummary:
    return PlayerSummary(player_id=pid, label=pid, path=f"/p/{pid}.json", kind="file", size_bytes=1, mtime_ns=1,
                         excluded=excluded, problems=tuple(problems), steps=tuple(steps), tutorial_status=tutorial,
                         factions=tuple(factions), playtime_ms=playtime, save_count=0 if excluded else saves,
                         stalled_step=stalled[0] if stalled else None, stalled_ms=stalled[1] if stalled else None)


def _step(i: int, status: str, ms: float | None) -> StepRecord:
    return StepRecord(f"step{i}", f"Step {i}", i, status, ms)


@pytest.fixture
def page() -> PlaytestPage:
    summaries = [
        _player("ann", steps=[_step(0, "completed", 1000), _step(1, "completed", 5000)], playtime=600_000,
                factions=[FactionRecord("wraith", "Wraith", 10, 2, 8, "friendly")]),
        _player("bob", steps=[_step(0, "completed", 3000), _step(1, "skipped", 100)], playtime=60_000, tutorial="skipped",
                factions=[FactionRecord("wraith", "Wraith", 0, 5, -5, "hostile")]),
        _player("cy", steps=[_step(0, "completed", 2000), _step(1, "open", 900_000)], playtime=None, tutorial="in-progress",
                stalled=("step1", 900_000)),
        _player("dee", excluded=True, problems=[ProblemInfo("error", "Unexpected end of data", "/p/dee.json", None,
                                                            "line 1, column 9", "json")]),
    ]
    report = build_report(Partial.from_summaries(summaries))
    run = PlaytestRun(report, tuple(PlayerSource(s.player_id, s.path) for s in summaries), 4, 0, "inline")
    p = PlaytestPage(sources=["/p"])
    p.apply_run(run, 0.5)
    return p


@pytest.mark.parametrize("text, expected", [
    ("", (None, "")), ("  ", (None, "")), ("tcp://10.0.0.5:8786", ("tcp://10.0.0.5:8786", "")),
    ("tcp://sched.example.org:8786", ("tcp://sched.example.org:8786", "")), ("tcp://[::1]:8786", ("tcp://[::1]:8786", "")),
])
def test_scheduler_addresses_that_are_accepted(text, expected):
    assert check_scheduler(text) == expected


@pytest.mark.parametrize("text", ["localhost:8786", "tcp://host", "tcp://host:0", "tcp://host:70000", "http://h:1",
                                  "tcp://a b:1", "tcp://h:1/x"])
def test_scheduler_addresses_that_are_refused_say_why(text):
    scheduler, error = check_scheduler(text)
    assert scheduler is None and "tcp://HOST:PORT" in error


def test_every_funnel_number_carries_its_players(page):
    table = page.funnel_table()
    cols = [c.name for c in table.columns]
    second = table.cells(1)
    assert second[cols.index("Reached")].text == "3" and second[cols.index("Reached")].link.players == ("ann", "bob", "cy")
    assert second[cols.index("Skipped")].link == PlayerFilter("skipped “Step 1”", ("bob",))
    assert second[cols.index("Still on it")].link.players == ("cy",)
    assert second[cols.index("Completed")].link.players == ("ann",)
    # a zero links to nobody
    assert table.cells(0)[cols.index("Skipped")].link is None
    # the chart's segments are the same groups
    segs = page.funnel_segments()[1]
    assert [(label, n, f.players) for label, _tone, n, f in segs] == \
        [("Completed", 1, ("ann",)), ("Skipped", 1, ("bob",)), ("Still on it", 1, ("cy",))]


def test_players_list_filters_sorts_and_flags_bad_profiles(page):
    assert [p.player_id for p in page.player_rows()] == ["ann", "bob", "cy", "dee"]
    table = page.players_table()
    playtime = [c.name for c in table.columns].index("Playtime")
    table.sort(playtime)
    assert [table.row(r).player_id for r in range(len(table))] == ["bob", "ann", "cy", "dee"]   # missing last
    table.sort(playtime, descending=True)
    assert [table.row(r).player_id for r in range(len(table))] == ["ann", "bob", "cy", "dee"]
    dee = next(r for r in range(len(table)) if table.row(r).player_id == "dee")
    assert table.cells(dee)[1].text == "bad profile" and table.cells(dee)[0].open.player_id == "dee"
    page.show_players(PlayerFilter("skipped", ("bob",)))
    assert [p.player_id for p in page.player_rows()] == ["bob"] and page.filter_text() == "1 player — skipped"
    page.show_players(None)
    assert page.filter is ALL_PLAYERS and page.filter_text() == "All 4 players"


def test_headline_links_resolve_to_players(page):
    pieces = page.headline()
    keys = {key: text for text, key in pieces if key}
    assert keys["all"] == "4 players" and keys["included"] == "3 in the numbers"
    assert page.headline_link("excluded").players == ("dee",)
    assert page.headline_link("tutorial:skipped").players == ("bob",)
    assert page.headline_link("playtime:max").players == ("ann",)
    assert page.headline_link("nonsense") is None


def test_bad_profiles_and_standouts_tables(page):
    bad = page.bad_profiles_table()
    assert len(bad) == 1 and page.bad_profile_count() == 1
    cells = [c.text for c in bad.cells(0)]
    assert cells[0] == "dee" and "line 1, column 9" in cells[2] and "Unexpected end" in cells[3]
    standouts = page.standouts_table()
    kinds = [standouts.cells(r)[0].text for r in range(len(standouts))]
    assert "Stalled longest" in kinds and "Skipped the tutorial" in kinds
    stalled = next(r for r in range(len(standouts)) if standouts.cells(r)[0].text == "Stalled longest")
    assert standouts.cells(stalled)[1].open.player_id == "cy" and standouts.cells(stalled)[2].text == "15m"


def test_faction_table_links_attitudes_and_extremes(page):
    table = page.faction_table()
    cols = [c.name for c in table.columns]
    row = table.cells(0)
    assert row[0].text == "Wraith" and row[cols.index("Players")].link.players == ("ann", "bob")
    assert row[cols.index("Friendly")].link.players == ("ann",) and row[cols.index("Hostile")].link.players == ("bob",)
    assert set(row[cols.index("Range")].link.players) == {"ann", "bob"}


def test_a_new_run_keeps_the_players_of_the_filter_that_are_still_there(page):
    page.show_players(PlayerFilter("two", ("bob", "zed")))
    page.apply_run(page.run)
    assert page.filter.players == ("bob",)
    assert "1 read" not in page.status_text() and "4 read" in page.status_text()


def test_inputs_that_are_not_profiles_are_listed_with_the_bad_profiles(page):
    missing = ProblemInfo("error", "No such folder", "/gone", None, None, "missing")
    report = build_report(Partial.from_summaries([_player("ann")]), source_problems=[missing])
    page.apply_run(PlaytestRun(report, (PlayerSource("ann", "/p/ann.json"),), 1, 0, "inline"))
    bad = page.bad_profiles_table()
    assert page.bad_profile_count() == 1 and len(bad) == 1
    cells = bad.cells(0)
    assert cells[0].text == "gone" and cells[0].open is None and cells[3].text == "No such folder"


def test_a_notice_about_the_inputs_is_listed_but_not_counted_as_bad(page):
    skipped = ProblemInfo("notice", "not read as players: ci-artifacts.json (written by an export)", "/p/report",
                          None, None, "export_outputs_skipped")
    report = build_report(Partial.from_summaries([_player("ann")]), source_problems=[skipped])
    page.apply_run(PlaytestRun(report, (PlayerSource("ann", "/p/ann.json"),), 1, 0, "inline"))
    bad = page.bad_profiles_table()
    assert page.bad_profile_count() == 0 and len(bad) == 1
    assert bad.cells(0)[1].text == "notice" and bad.cells(0)[1].tone == "muted"
