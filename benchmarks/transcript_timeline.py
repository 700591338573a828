"""Benchmark: the transcript timeline at 100,000 entries, and the recorder's append cost.

Run by hand (never by pytest):  QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/transcript_timeline.py

Measures, each against a floor measured in the same run:

* ``timeline-render-100k``  — ``TranscriptTimeline.set_data`` + first paint (``grab()``) of
  100,000 entries; floor: a plain pyqtgraph ``ScatterPlotItem`` of the same points. Target ≤ 200 ms.
* ``timeline-pan-100k`` / ``timeline-zoom-100k`` — one pan step at 1 % zoom / one zoom change,
  repaint included; floor: the same on the plain scatter. Target ≤ 16 ms.
* ``recorder-append`` — ``TranscriptRecorder.handle`` per event (bounded buffer, throttled
  update); floor: appending a pre-built dict to a bounded deque. Target ≤ 0.05 ms per event.

Results go to ``benchmarks/results/transcript-timeline-<epoch ms>.json`` (m1-profile shape).
"""
from __future__ import annotations

import os
import sys
import time
from collections import deque
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

try:
    from benchmarks._common import format_timing, ratio, result_entry, run_metadata, time_calls, write_results
except ImportError:  # run as a script from inside benchmarks/
    from _common import format_timing, ratio, result_entry, run_metadata, time_calls, write_results  # type: ignore[import-not-found]

N = 100_000
STEPS = ("welcome", "movement", "evidence_detection", "evidence_collection", "clue_derivation",
         "detective_vision", "case_file", "collect_more_evidence", "forensic_analysis",
         "deduction_board_intro", "deduction_connections", "deduction_validation", "case_solved")


def synthetic_transcript(n: int = N):
    """``n`` entries of back-to-back playthroughs (start, step start/complete, snapshots)."""
    from inspector_app.core.transcript.model import EventKind, Transcript, TranscriptEntry
    rng = np.random.default_rng(5)
    entries, t, run = [], 1_762_106_400_000.0, 0
    while len(entries) < n:
        key = f"run@{int(t)}"
        entries.append(TranscriptEntry("tutorial_started", EventKind.STARTED, t, source="bench", run=key))
        for step in STEPS:
            dwell = float(rng.integers(5_000, 150_000))
            entries.append(TranscriptEntry("tutorial_step_started", EventKind.STEP_STARTED, t, step, source="bench", run=key))
            t += dwell
            entries.append(TranscriptEntry("tutorial_step_completed", EventKind.STEP_COMPLETED, t, step, source="bench",
                                           run=key, metadata={"durationMs": dwell}))
            entries.append(TranscriptEntry("step_completed", EventKind.SNAPSHOT, t + 1, step, source="bench", run=key,
                                           snapshot={"event": "step_completed"}))
        entries.append(TranscriptEntry("tutorial_completed", EventKind.COMPLETED, t + 2, source="bench", run=key))
        t += 60_000
        run += 1
    return Transcript(entries[:n])


def _settle(app, widget):
    for _ in range(3):
        app.processEvents()
    widget.grab()


def bench_views(app) -> dict:
    import pyqtgraph as pg
    from inspector_app.ui.transcript.timeline import TranscriptTimeline

    t0 = time.perf_counter()
    transcript = synthetic_transcript()
    build_ms = (time.perf_counter() - t0) * 1000
    x = (transcript.times - transcript.origin) / 1000.0
    y = transcript.lanes.astype(float) + 1

    timeline = TranscriptTimeline()
    timeline.resize(1200, 420)
    timeline.show()
    _settle(app, timeline)

    def render_ours(_):
        timeline.set_data(transcript)
        _settle(app, timeline)

    plain = pg.PlotWidget(background="w")
    plain.resize(1200, 420)
    plain.show()
    scatter = pg.ScatterPlotItem(pen=pg.mkPen("k", width=1), brush="c", size=9)
    plain.addItem(scatter)
    _settle(app, plain)

    def render_plain(_):
        scatter.setData(x=x, y=y)
        plain.getPlotItem().enableAutoRange()
        _settle(app, plain)

    ours_render = time_calls(render_ours, 5, warmup=1)
    plain_render = time_calls(render_plain, 5, warmup=1)

    def pan_zoom(widget, vb):
        lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
        width = (hi - lo) * 0.01
        state = {"start": lo + (hi - lo) * 0.4}

        def pan(i):
            state["start"] += width * 0.1
            vb.setXRange(state["start"], state["start"] + width, padding=0)
            widget.viewport().repaint()

        def zoom(i):
            w = width * (2 ** (i % 6))
            vb.setXRange(state["start"], state["start"] + w, padding=0)
            widget.viewport().repaint()

        vb.setXRange(state["start"], state["start"] + width, padding=0)
        _settle(app, widget)
        return time_calls(pan, 30, warmup=3), time_calls(zoom, 30, warmup=3)

    ours_pan, ours_zoom = pan_zoom(timeline, timeline.vb)
    plain_pan, plain_zoom = pan_zoom(plain, plain.getPlotItem().getViewBox())
    timeline.fit_all()
    full_repaint = time_calls(lambda _: timeline.viewport().repaint(), 20, warmup=2)
    out = {}
    for name, ours, floor, target in (("timeline-render-100k", ours_render, plain_render, 200.0),
                                      ("timeline-pan-100k", ours_pan, plain_pan, 16.0),
                                      ("timeline-zoom-100k", ours_zoom, plain_zoom, 16.0)):
        floor_entry = result_entry(floor)
        entry = result_entry(ours, entries=N, targetMs=target,
                             floor={"name": "plain pyqtgraph ScatterPlotItem, same points", **floor_entry},
                             ratioToFloor=ratio(float(np.median(ours)), float(np.median(floor))),
                             withinTarget=bool(np.median(ours) <= target))
        out[name] = entry
        print(f"{name:24s} ours {format_timing(entry['timing'])} | plain scatter {format_timing(floor_entry['timing'])}")
    out["timeline-repaint-fit-all-100k"] = result_entry(full_repaint, entries=N, targetMs=16.0,
                                                        withinTarget=bool(np.median(full_repaint) <= 16.0))
    out["timeline-render-100k"]["modelBuildMs"] = round(build_ms, 1)
    print(f"{'repaint fit-all':24s} ours {format_timing(out['timeline-repaint-fit-all-100k']['timing'])}")
    print(f"(Transcript model of {N} entries built in {build_ms:.0f} ms, in a worker in the app)")
    timeline.close()
    plain.close()
    return out


def bench_recorder() -> dict:
    from inspector_app.core.transcript.recorder import TranscriptRecorder
    events = 100_000
    payloads = []
    for i in range(events):
        step = STEPS[i % len(STEPS)]
        payloads.append(("tutorial:step_started", {"stepId": step, "title": step.title(), "stepIndex": i % 13,
                                                   "totalSteps": 13, "description": "Use WASD", "canSkip": True,
                                                   "highlight": {"type": "none"}, "position": {"x": 400, "y": 100},
                                                   "startedAt": 1_762_106_400_000 + i}))
    updates = []
    rec = TranscriptRecorder(on_update=lambda n, p: updates.append(p["count"]),
                             scheduler=lambda delay, fn: (lambda: None))  # timer never fires: pure append cost
    handle = rec.handle
    per_batch = 1000
    samples = time_calls(lambda b: [handle(*payloads[(b * per_batch + k) % events]) for k in range(per_batch)],
                         events // per_batch, warmup=5)
    per_event = [s / per_batch for s in samples]
    buf = deque(maxlen=50)
    entry = {"event": "x"}
    floor = time_calls(lambda b: [buf.append(entry) for _ in range(per_batch)], events // per_batch, warmup=5)
    floor_per_event = [s / per_batch for s in floor]
    res = result_entry(per_event, events=events, batch=per_batch, targetMs=0.05, bufferLength=len(rec),
                       floor={"name": "deque(maxlen=50).append of a pre-built dict", **result_entry(floor_per_event)},
                       ratioToFloor=ratio(float(np.median(per_event)), float(np.median(floor_per_event))),
                       withinTarget=bool(np.median(per_event) <= 0.05))
    print(f"{'recorder-append':24s} ours {format_timing(res['timing'])} ms/event | floor "
          f"{format_timing(res['floor']['timing'])}")
    return {"recorder-append": res}


def main() -> None:
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    results = {**bench_views(app), **bench_recorder()}
    path = write_results("transcript-timeline", results, metadata=run_metadata(entries=N))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
