"""The worker steps aside for the GUI thread only when its heartbeat is stale (core/common/guiturn)."""
from __future__ import annotations

import threading

import orjson
import pytest

from inspector_app.core.common import guiturn
from inspector_app.core.demo.synthetic import build_large_save
from inspector_app.core.loading import chunked, sections
from inspector_app.core.loading.document import LoadCancelled


class _FakeTime:
    """A clock that only moves when the worker sleeps (no wall clock in these tests)."""

    def __init__(self, gui_beats_after: int | None = None):
        self.now = 100.0
        self.sleeps: list[float] = []
        self.gui_beats_after = gui_beats_after

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.gui_beats_after is not None and len(self.sleeps) >= self.gui_beats_after:
            guiturn.heartbeat().last = self.now        # the GUI thread got the GIL and beat


@pytest.fixture
def fake(monkeypatch):
    hb = guiturn.heartbeat()
    saved = (hb.beating, hb.last, hb.gui_ident, hb.gave_up_at, hb.waits)
    fake = _FakeTime()
    monkeypatch.setattr(guiturn, "_clock", fake.clock)
    monkeypatch.setattr(guiturn, "_sleep", fake.sleep)
    hb.beating, hb.last, hb.gui_ident, hb.gave_up_at, hb.waits = True, fake.now, -1, -1.0, 0
    yield fake
    hb.beating, hb.last, hb.gui_ident, hb.gave_up_at, hb.waits = saved


def test_no_heartbeat_no_wait(fake):
    """The CLIs (no GUI thread beating): never a sleep, whatever the time."""
    guiturn.heartbeat().beating = False
    fake.now += 10
    assert guiturn.yield_to_gui() is False
    assert fake.sleeps == []


def test_a_fresh_heartbeat_costs_no_sleep(fake):
    fake.now += guiturn.STALE_S / 2
    assert guiturn.yield_to_gui() is False
    assert fake.sleeps == [] and guiturn.heartbeat().waits == 0


def test_a_stale_heartbeat_makes_the_worker_sleep_until_the_gui_beats(fake):
    fake.gui_beats_after = 3
    fake.now += 2 * guiturn.STALE_S
    assert guiturn.yield_to_gui() is True
    assert fake.sleeps == [guiturn.STEP_S] * 3      # real sleeps (GIL free, not runnable), not sleep(0)
    assert guiturn.heartbeat().waits == 1
    assert guiturn.yield_to_gui() is False          # the GUI beat: fresh again


def test_background_work_steps_aside_after_one_missed_beat(fake):
    """The search index's fill (nobody waits for it) gives a long GUI event the GIL sooner than
    an open's parse does: a heartbeat between the two thresholds is stale only for it."""
    assert guiturn.BEAT_INTERVAL_S < guiturn.BACKGROUND_STALE_S < guiturn.STALE_S
    fake.gui_beats_after = 1
    fake.now += (guiturn.BACKGROUND_STALE_S + guiturn.STALE_S) / 2
    assert guiturn.yield_to_gui() is False and fake.sleeps == []
    assert guiturn.yield_to_gui(guiturn.BACKGROUND_STALE_S) is True and fake.sleeps == [guiturn.STEP_S]


def test_a_gui_that_does_not_beat_is_waited_for_once(fake):
    """Blocked on something else (a test's ``wait()``): one bounded wait, then none until it beats."""
    fake.now += 2 * guiturn.STALE_S
    assert guiturn.yield_to_gui() is True
    assert sum(fake.sleeps) >= guiturn.MAX_WAIT_S and len(fake.sleeps) <= guiturn.MAX_WAIT_S / guiturn.STEP_S + 1
    steps = len(fake.sleeps)
    fake.now += 1
    assert guiturn.yield_to_gui() is False and len(fake.sleeps) == steps
    guiturn.heartbeat().last = fake.now              # it beats again: a later stale heartbeat counts
    fake.now += 2 * guiturn.STALE_S
    fake.gui_beats_after = steps + 1
    assert guiturn.yield_to_gui() is True and len(fake.sleeps) == steps + 1


def test_the_beating_thread_never_waits_for_itself(fake):
    guiturn.beat()          # this thread is the "GUI" now
    guiturn.heartbeat().beating = True
    fake.now += 10
    assert guiturn.yield_to_gui() is False and fake.sleeps == []


def test_stop_beating_releases_a_waiting_worker(fake):
    fake.now += 2 * guiturn.STALE_S

    def sleep(seconds):
        fake.sleeps.append(seconds)
        guiturn.stop_beating()

    guiturn._sleep = sleep
    assert guiturn.yield_to_gui() is True and len(fake.sleeps) == 1


def test_the_chunked_parse_offers_the_gil_between_pieces_and_still_cancels(monkeypatch):
    calls = []
    monkeypatch.setattr(chunked, "yield_to_gui", lambda: calls.append(1) or False)
    data = build_large_save(400)
    parse = chunked.ChunkedParse(data, chunk=16 * 1024)
    assert parse.run() == orjson.loads(data)
    assert parse.pieces > 5 and len(calls) == parse.pieces

    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3
    with pytest.raises(LoadCancelled):
        chunked.ChunkedParse(data, cancelled, chunk=16 * 1024).run()
    assert len(asked) == 4


def test_no_blind_sleep_zero_in_the_parse(monkeypatch):
    """``time.sleep(0)`` between pieces reset the GUI thread's GIL wait and starved it."""
    import time

    slept = []
    monkeypatch.setattr(time, "sleep", lambda s: slept.append(s))
    data = build_large_save(400)
    skeleton, _ = sections.loads_sectioned(data, chunk=16 * 1024, lazy_min=32 * 1024)
    sections.compress_sections(skeleton)
    assert sections.materialize(skeleton) == orjson.loads(data)
    assert 0 not in slept


@pytest.mark.parametrize("chunk", [1, 3, 7, 64])
def test_line_and_column_are_counted_in_pieces_like_in_one(monkeypatch, chunk):
    text = "ab\u00e9\u65e5\n  x\U0001f600y\n\u00e9\u00e9z\u65e5 q".encode() * 5
    monkeypatch.setattr(sections, "CHUNK", chunk)
    offered = []
    monkeypatch.setattr(sections, "yield_to_gui", lambda: offered.append(1) or False)
    for stop in range(len(text) + 1):
        if stop < len(text) and 0x80 <= text[stop] < 0xC0:
            continue                        # runs start at whole characters
        before = text[:stop].decode()
        line = 1 + before.count("\n")
        column = len(before) - before.rfind("\n")
        assert sections._advance(text, 0, stop, 1, 1) == (line, column)
    assert offered


def test_a_worker_thread_steps_aside_while_the_gui_does_not_beat():
    """Real threads: this thread stands for a GUI thread that stopped beating (busy, or
    waiting for the GIL); the worker's yield then sleeps and returns True."""
    hb = guiturn.heartbeat()
    saved = (hb.beating, hb.last, hb.gui_ident, hb.gave_up_at)
    guiturn.beat()
    hb.last -= 10 * guiturn.STALE_S
    result = []
    try:
        worker = threading.Thread(target=lambda: result.append(guiturn.yield_to_gui()))
        worker.start()
        worker.join()
    finally:
        hb.beating, hb.last, hb.gui_ident, hb.gave_up_at = saved
    assert result == [True]


def test_a_hold_keeps_background_work_off_for_a_while_and_ends_by_itself(fake, monkeypatch):
    monkeypatch.setattr(guiturn, "_hold_until", 0.0)
    assert not guiturn.background_held()
    guiturn.hold_background()
    assert guiturn.background_held()
    fake.now += guiturn.BACKGROUND_HOLD_S / 2
    guiturn.hold_background()          # each step extends it
    fake.now += guiturn.BACKGROUND_HOLD_S * 0.9
    assert guiturn.background_held()
    fake.now += guiturn.BACKGROUND_HOLD_S * 0.2
    assert not guiturn.background_held()


def test_turns_gives_every_item_and_offers_the_gui_its_turn_every_so_many(monkeypatch):
    offered: list[float] = []
    monkeypatch.setattr(guiturn, "yield_to_gui", lambda stale_s=guiturn.STALE_S: offered.append(stale_s) or False)
    assert list(guiturn.turns(range(10), every=4)) == list(range(10))
    assert offered == [guiturn.STALE_S, guiturn.STALE_S]          # after items 4 and 8
    offered.clear()
    assert list(guiturn.turns([], every=4)) == [] and offered == []


def test_the_summary_views_of_a_big_save_offer_the_gui_its_turn_in_their_long_loops(monkeypatch):
    """Issue 13: the Save Summary's build (a worker) ran ~0.3 s of story flags and ~1 s of
    inventory rows without a turn for the GUI thread (GUI gaps of 35-77 ms after the first rows)."""
    from inspector_app.core.worldstate.view_items import inventory_view
    from inspector_app.core.worldstate.view_quests_story import current_act, story_flags, story_view

    offered: list[float] = []
    monkeypatch.setattr(guiturn, "yield_to_gui", lambda stale_s=guiturn.STALE_S: offered.append(stale_s) or False)
    flags = {f"flag_{i}": {"value": i % 2 == 0, "updatedAt": i} for i in range(2000)}
    flags["act2_started"] = {"value": True}
    story_view({"storyFlags": {"flags": flags}})
    assert len(offered) >= 2 * (2000 // guiturn.TURN_EVERY)
    offered.clear()
    inventory_view({"inventory": {"items": [{"id": f"i{i}", "name": "x"} for i in range(2000)]}})
    assert len(offered) >= 2000 // guiturn.TURN_EVERY
    # current_act reads the three act flags as story_flags does, in every shape
    for shape in ({"flags": flags}, flags, {"act2_started": True, "act3_started": 0}, {"act1_started": {"value": 1}}):
        values = {row["flag"]: row["value"] for row in story_flags(shape)}
        expected = next((a for a in ("act3", "act2", "act1") if values.get(f"{a}_started")), None)
        assert current_act(shape) == expected
    assert current_act(None) is None and current_act({"flags": {}}) is None


def test_a_big_profile_is_split_with_the_gui_s_turn_between_entries(monkeypatch):
    """Each entry of a localStorage export (a 50 MB profile's 4.7 MB slots) is a few C calls of
    up to ~10 ms with the GIL held: the GUI gets its turn between entries."""
    import io

    import orjson

    from inspector_app.core.loading import split

    offered: list[float] = []
    monkeypatch.setattr(split, "yield_to_gui", lambda stale_s=guiturn.STALE_S: offered.append(stale_s) or False)
    profile = {f"save_slot{i}": orjson.dumps({"n": i}).decode() for i in range(5)}
    compact = orjson.dumps(profile)
    pretty = orjson.dumps(profile, option=orjson.OPT_INDENT_2)
    assert split.split_string_object(compact) == profile and len(offered) == 5
    offered.clear()
    assert split.split_string_object_lines(io.BytesIO(pretty), len(pretty)) == profile and len(offered) == 5
