"""Any time stamp a save can hold renders in bounded time and memory (issue 9): the real
timeline widget over 0 ("never"), 1e17, 4e12 (year 2096), 2**64, 1.8e308, negatives, NaN."""
from __future__ import annotations

import math

import pytest

from inspector_app.core.transcript.model import EventKind, Transcript, TranscriptEntry
from inspector_app.ui.transcript.timeline import MAX_TICKS_PER_LEVEL, TimeAxis, centred_range, time_tick_spacing

pytestmark = pytest.mark.gui

T0 = 1_762_106_784_700
EXTREMES = [0, 1e17, 4e12, 2 ** 64, 10 ** 400, 1.8e308, -1.8e308, -1, -1e15, 8.64e15, float("nan"),
            float("inf")]
TICK_BOUND = 2 * 1300 // 18          # about one major tick per 90 px and five minors each, at 1300 px


def _transcript(extreme) -> Transcript:
    def entry(event, ts, step=None):
        return TranscriptEntry(event=event, kind=EventKind.from_event(event), timestamp=ts, step_id=step,
                               source="mutant.json", location="$.tutorial.transcript")
    return Transcript([entry("tutorial_started", T0), entry("tutorial_step_started", T0 + 1000, "welcome"),
                       entry("tutorial_step_completed", extreme, "welcome"),
                       entry("tutorial_step_started", extreme, "movement"),
                       entry("tutorial_completed", T0 + 90_000)])


@pytest.fixture
def panel(transcript_panel):
    return transcript_panel


def _render(panel) -> int:
    panel.grab()                                    # paints the plot, axes and labels
    return panel.timeline.time_axis.last_tick_count


@pytest.mark.parametrize("extreme", EXTREMES, ids=lambda v: repr(v)[:12])
def test_timeline_renders_every_extreme_in_bounded_ticks(panel, extreme):
    panel.set_transcript(_transcript(extreme))
    tl = panel.timeline
    assert 0 < _render(panel) <= TICK_BOUND
    lo, hi = tl.vb.viewRange()[0]
    assert math.isfinite(lo) and math.isfinite(hi) and hi > lo
    panel.absolute_button.click()                   # absolute UTC axis: refits, dates as labels
    assert 0 < _render(panel) <= TICK_BOUND
    labels = [s for _, values in tl.time_axis.tickValues(lo, hi, tl.time_axis.width())
              for s in tl.time_axis.tickStrings(values, 1, 1)]
    assert all(isinstance(s, str) for s in labels)
    tl.vb.scaleBy(x=1e-9)                           # zoom in as far as the view allows
    assert _render(panel) <= TICK_BOUND
    tl.vb.scaleBy(x=1e12)                           # and out
    assert _render(panel) <= TICK_BOUND
    for row in range(panel.table_model.rowCount()):   # select every entry: centres or explains
        panel.table.selectRow(row)
        assert _render(panel) <= TICK_BOUND
    panel.absolute_button.click()
    assert _render(panel) <= TICK_BOUND


@pytest.mark.parametrize("extreme", [0, 1e17, 2 ** 64, 1.8e308])
def test_unusable_times_are_listed_as_such_not_plotted(panel, extreme):
    panel.set_transcript(_transcript(extreme))
    times = [panel.table_model.index(r, 1).data() for r in range(panel.table_model.rowCount())]
    expected = "never (0)" if extreme == 0 else "not a date"
    assert sum(t.startswith(expected) for t in times) == 2
    assert not any(t.startswith("1970") for t in times)
    assert panel.timeline.marker_count() == 3       # started, step started, completed
    assert ("never" if extreme == 0 else "cannot be a date") in panel.notes.text()


def test_a_date_in_2096_spans_decades_with_date_ticks(panel):
    panel.set_transcript(_transcript(4e12))
    tl = panel.timeline
    panel.absolute_button.click()
    lo, hi = tl.vb.viewRange()[0]
    assert hi - lo > 60 * 365 * 86400
    levels = tl.time_axis.tickValues(lo, hi, 1300)
    major, values = levels[0]
    assert major >= 86400 and 3 <= len(values) <= 20
    assert all(len(s) == 10 and s[4] == "-" for s in tl.time_axis.tickStrings(values, 1, major))


@pytest.mark.parametrize("span", [1e-3, 1.0, 59, 3600, 86400 * 3, 1e9, 1.7e13, 1e300])
def test_tick_spacing_is_bounded_for_any_span(span):
    major, minor = time_tick_spacing(span, 1300)
    assert 2 <= span / major <= 16 and span / minor <= 100
    axis = TimeAxis()
    axis.tickValues(-span / 3, span * 2 / 3, 1300)
    assert 0 < axis.last_tick_count <= MAX_TICKS_PER_LEVEL


def test_centring_stays_inside_the_data():
    assert centred_range(0.0, 10.0, (-1.0, 100.0)) == (-1.0, 9.0)      # no empty time before the first entry
    assert centred_range(100.0, 10.0, (-1.0, 100.0)) == (90.0, 100.0)
    assert centred_range(50.0, 10.0, (-1.0, 100.0)) == (45.0, 55.0)
    assert centred_range(50.0, 500.0, (-1.0, 100.0)) == (-1.0, 100.0)
