"""Transcript building accepts any JSON value shape: notes, never an exception (issue 9)."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.core.common.jsfmt import TIME_LIMIT_MS
from inspector_app.core.transcript.export import render_transcript
from inspector_app.core.transcript.model import EventKind, Transcript, TranscriptEntry, usable_time
from inspector_app.core.transcript.sources import parts_from_summary, parts_from_tutorial_slice

EXTREMES = [0, -0.0, 1e17, 4e12, 2 ** 64, 2 ** 70, 10 ** 400, 1.8e308, -1.8e308, -5, float("nan"),
            float("inf"), -float("inf"), 8.64e15, 8.64e15 + 2, True, "1762106784700", None]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from(EXTREMES),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)), max_leaves=12)
times = st.one_of(st.sampled_from(EXTREMES), st.integers(1_700_000_000_000, 1_800_000_000_000), json_values)
steps = st.sampled_from(["welcome", "movement", "case_file", "x", ""])

TUTORIAL_KEYS = {
    "startedAt": times, "stepStartedAt": times, "lastActionAt": times, "currentStep": st.one_of(steps, json_values),
    "completedSteps": st.one_of(st.lists(steps, max_size=4), json_values),
    "completedTimeline": st.one_of(st.dictionaries(steps, times, max_size=4), json_values),
    "stepDurations": st.one_of(st.dictionaries(steps, times, max_size=4), json_values),
    "promptHistory": st.one_of(st.lists(st.one_of(
        st.fixed_dictionaries({"stepId": steps, "startedAt": times, "title": json_values}), json_values), max_size=4),
        json_values),
    "promptHistorySnapshots": st.one_of(st.lists(st.one_of(
        st.fixed_dictionaries({"event": st.sampled_from(["tutorial_skipped", "tutorial_completed", "x"]),
                               "timestamp": times, "stepId": steps, "promptHistory": json_values,
                               "completedSteps": json_values, "currentPrompt": json_values}), json_values),
        max_size=3), json_values),
    "skipped": st.one_of(st.booleans(), json_values), "completed": st.one_of(st.booleans(), json_values),
    "enabled": st.one_of(st.booleans(), json_values), "totalSteps": json_values, "currentPrompt": json_values,
}
tutorials = st.one_of(json_values, st.fixed_dictionaries({}, optional=TUTORIAL_KEYS))
dtos = st.lists(st.one_of(st.fixed_dictionaries(
    {"event": st.one_of(st.sampled_from([k.value for k in EventKind]), json_values), "timestamp": times},
    optional={"promptId": json_values, "metadata": json_values, "sequence": json_values,
              "timestampIso": json_values}), json_values), max_size=6)


def _check(t: Transcript) -> None:
    timed = t.times[np.isfinite(t.times)]
    assert (np.abs(timed) <= TIME_LIMIT_MS).all() and (timed != 0).all()
    for s in t.spans:
        assert math.isfinite(s.start) and math.isfinite(s.end) and abs(s.start) <= TIME_LIMIT_MS
    for e in t.entries:
        assert e.describe() and e.search_text() is not None and e.to_raw()["event"]
    t.step_stats()
    t.select(text="a")
    assert render_transcript(t, range(len(t)), "csv").startswith("sequence,")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tutorial=tutorials, save_time=times)
def test_any_tutorial_slice_builds(tutorial, save_time):
    _check(parts_from_tutorial_slice(tutorial, "s", save_time).build())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcript=st.one_of(dtos, json_values), snapshots=st.one_of(json_values, st.lists(json_values, max_size=3)))
def test_any_summary_builds(transcript, snapshots):
    _check(parts_from_summary({"tutorial": {"transcript": transcript, "snapshots": snapshots}}).build())


def test_completed_steps_as_a_number_is_a_note_not_an_error():
    t = parts_from_tutorial_slice({"completedSteps": 3, "completedTimeline": {"welcome": 1_762_000_000_000},
                                   "promptHistory": 7, "promptHistorySnapshots": "x"}, "legacy").build()
    assert [e.step_id for e in t.entries] == ["welcome"]
    assert any("completedSteps is a JSON number" in n.message for n in t.notes)


def test_unusable_times_are_never_dates_and_say_why():
    assert usable_time(0) == (None, "never (0)")
    assert usable_time(1e17)[1] == "not a date (100000000000000000)"
    assert usable_time(2 ** 64)[1] == "not a date (18446744073709552000)"     # String(2 ** 64) in JS
    assert usable_time(10 ** 400) == (None, "not a date (a 401-digit integer)")
    assert usable_time(float("nan")) == (None, "not a number (NaN)")
    assert usable_time(-5) == (-5.0, "") and usable_time(4e12) == (4e12, "")
    entries = [TranscriptEntry(event="tutorial_started", kind=EventKind.STARTED, timestamp=v, source="s",
                               location=f"$[{i}]") for i, v in enumerate([0, 1e17, 1_762_000_000_000])]
    t = Transcript(entries)
    assert [e.time_text() for e in t.entries] == ["2025-11-01T12:26:40.000Z", "never (0)",
                                                  "not a date (100000000000000000)"]
    codes = {n.code for n in t.notes}
    assert {"transcript_never", "transcript_not_a_date"} <= codes and "transcript_missing_timestamp" not in codes
