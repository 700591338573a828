"""Open-a-document benchmark (issue 2): time until the world-state tree shows its first rows,
the GUI thread's longest stall while loading, and peak memory — against bare ``orjson.loads``
of the same bytes measured in the same run.

    .venv/bin/python benchmarks/open_document.py [--sizes-mb 50] [--iterations 5] [--only save pretty profile]
        [--before-root /tmp/old-checkout]    # the same opens with older app code, interleaved
        [--diagnose]                         # instrument every open (benchmarks/_diagnose.py)
        [--timeline]                         # where every ms of an open goes (_diagnose.Timeline)

The GUI numbers cover the whole open as a user sees it: the first rows of the tree, then the
Save Summary views (built in the worker afterwards); the idle window's worst gap, measured
just before, is the machine's noise floor (8 engineers share 2 cores); the same probe for 1 s
while a GIL-free thread keeps one CPU busy (hashlib) is the floor with load. Each row reports how
many opens stalled the GUI over 50 ms (to the first rows, and in all), beside the idle counts.
With ``--diagnose`` every gap over 50 ms gets a verdict from per-thread CPU time, run delay, page
faults and steal sampled by a separate process on the same clock as the worker's pieces and the
GUI's events (``gil`` / ``gui-work`` / ``machine`` / ``blocked``), and the worst one is kept whole.
With ``--timeline`` every open records the spans of its open path on one clock (``open_path``, the
tasks, the read, each parse phase, the prepared freeze, the GUI's slices, the imports in the
worker; ``_diagnose.Timeline``): the median open's timeline is printed — the critical path cut at
its milestones, then every span — and kept in the JSON (``timelineOfMedianOpen``; the segments of
every open in ``timelineSegments``). The wrappers cost a little: compare timed runs without it.

Each measurement runs in a fresh subprocess so memory numbers are not polluted by earlier runs.
Targets: first rows ≤ 1.3 × bare parse + 50 ms; longest GUI stall ≤ 50 ms; peak memory above the
empty app ≤ 3 × the file size.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: the app code the children run: this checkout, or another one (``--code-root``, for before/after)
CODE_ROOT = Path(os.environ.get("OPEN_DOCUMENT_CODE_ROOT") or REPO)
sys.path.insert(0, str(CODE_ROOT))
sys.path.insert(0, str(HERE))

from _common import GuiGapProbe, ratio, result_entry, run_metadata, timing_stats, write_results  # noqa: E402


def _rss_kb(field: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def child_floor(path: str) -> dict:
    import orjson

    data = Path(path).read_bytes()
    gc.collect()
    t0 = time.perf_counter()
    gc.disable()
    try:
        root = orjson.loads(data)
    finally:
        gc.enable()
    top = (time.perf_counter() - t0) * 1000
    nested = 0.0
    if isinstance(root, dict) and all(isinstance(v, str) for v in root.values()):
        t1 = time.perf_counter()
        gc.disable()
        try:
            for k, v in root.items():
                if k.startswith("save_") or k == "save_metadata":
                    try:
                        orjson.loads(v)
                    except orjson.JSONDecodeError:
                        pass
        finally:
            gc.enable()
        nested = (time.perf_counter() - t1) * 1000
    return {"floor_top_ms": top, "floor_nested_ms": nested, "floor_ms": top + nested, "bytes": len(data)}


def child_open(path: str) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = tempfile.mkdtemp(prefix="ti-bench-")
    os.environ["XDG_CONFIG_HOME"] = tmp
    os.environ["XDG_DATA_HOME"] = tmp
    from PySide6.QtWidgets import QTreeView

    from inspector_app.ui.app import create_application
    from inspector_app.ui.main_window import MainWindow

    app = create_application()
    win = MainWindow()
    win.resize(1440, 900)
    win.show()
    for _ in range(5):
        app.processEvents()
    win.grab()
    gc.collect()
    rss_empty = _rss_kb("VmRSS")
    hwm_empty = _rss_kb("VmHWM")

    # the noise floor: the same probe on the idle window, under the same machine load
    probe_ms = int(os.environ.get("OPEN_DOCUMENT_PROBE_MS") or 1)
    idle = GuiGapProbe(probe_ms).start()
    idle_end = time.perf_counter() + 1.0
    while time.perf_counter() < idle_end:
        app.processEvents()
        time.sleep(0.0005)
    idle.stop()
    # the same with a GIL-free thread keeping one of the CPUs busy (hashlib releases the GIL):
    # what the machine's other work alone does to the probe
    import hashlib
    import threading

    busy_until = time.perf_counter() + 1.0
    block = bytes(range(256)) * 16384

    def _busy() -> None:
        while time.perf_counter() < busy_until:
            hashlib.sha256(block).digest()

    busy = threading.Thread(target=_busy, daemon=True)
    idle_load = GuiGapProbe(probe_ms).start()
    busy.start()
    while time.perf_counter() < busy_until:
        app.processEvents()
        time.sleep(0.0005)
    idle_load.stop()
    busy.join()

    tree: QTreeView = win.findChild(QTreeView, "stateTree")
    probe = GuiGapProbe(int(os.environ.get("OPEN_DOCUMENT_PROBE_MS") or 1), sched=True)
    from inspector_app.core.common import guiturn
    waits_before = guiturn.heartbeat().waits
    diagnose = os.environ.get("OPEN_DOCUMENT_DIAGNOSE") == "1"
    if diagnose:       # benchmark-only instrumentation (benchmarks/_diagnose.py)
        from _diagnose import Recorder, Sampler, attribute

        sampler = Sampler()
        recorder = Recorder(app, probe)
        recorder.begin()
    timeline = None
    if os.environ.get("OPEN_DOCUMENT_TIMELINE") == "1":   # benchmarks/_diagnose.py Timeline
        from _diagnose import Timeline

        timeline = Timeline().install()
        timeline.watch_paints(tree.viewport())
        if os.environ.get("OPEN_DOCUMENT_EVENTS") == "1":   # every event a Python call: costs GIL turns
            timeline.watch_events(app)
    probe.start()
    t0 = time.perf_counter()
    t0_ns = time.monotonic_ns()
    first_rows_ns = None
    win.open_path(path)
    first_rows = None
    deadline = t0 + 300
    while time.perf_counter() < deadline:
        app.processEvents()
        if not win.is_loading() and tree.model() is not None and tree.model().rowCount() > 0 and win.current_row():
            grab_t0 = time.monotonic_ns()
            win.grab()  # the first paint with rows
            if timeline is not None:
                timeline.spans.append(("gui: benchmark grab (first rows)", "gui", grab_t0, time.monotonic_ns()))
            first_rows = (time.perf_counter() - t0) * 1000
            first_rows_ns = time.monotonic_ns()
            break
        time.sleep(0.0005)
    first_gap = probe.worst_ms()
    hwm_first = _rss_kb("VmHWM")
    # then the Save Summary views (built in the worker after the first rows) until they show
    views_ms = None
    while time.perf_counter() < deadline and first_rows is not None:
        app.processEvents()
        if win.domain_views.views:
            grab_t0 = time.monotonic_ns()
            win.grab()
            if timeline is not None:
                timeline.spans.append(("gui: benchmark grab (summary views)", "gui", grab_t0, time.monotonic_ns()))
            views_ms = (time.perf_counter() - t0) * 1000
            break
        time.sleep(0.0005)
    # keep the timer a little longer to catch deferred work after the paint
    settle = time.perf_counter() + 0.3
    while time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.0005)
    probe.stop()
    first_index = sum(1 for e in probe.ends if first_rows_ns is not None and e <= first_rows_ns)
    own_first = [g - d for g, d in zip(probe.gaps[:first_index + 1], probe.delays[:first_index + 1])]
    hwm = _rss_kb("VmHWM")
    diagnosis = None
    if diagnose:
        rec = recorder.stop()
        samples = sampler.stop()
        diagnosis = {"gaps": attribute(rec, samples, t0_ns, 50.0, first_rows_ns),
                     "pieces": len(rec["pieces"]), "yields": len(rec["yields"]),
                     "samples": len(samples)}
    out = {
        "first_rows_ms": first_rows,
        "summary_views_ms": views_ms,
        "longest_stall_ms": probe.worst_ms(),
        "longest_stall_to_first_rows_ms": first_gap,
        # the same less the GUI thread's run delay in each gap (machine load): its own work and GIL waits
        "longest_own_stall_ms": probe.worst_own_ms(),
        "longest_own_stall_to_first_rows_ms": max(own_first) if own_first else None,
        "longest_gui_cpu_in_a_gap_ms": probe.worst_cpu_ms(),
        "worker_steps_aside": guiturn.heartbeat().waits - waits_before,
        "idle_stall_ms": idle.worst_ms(),
        "idle_load_stall_ms": idle_load.worst_ms(),
        "rss_empty_kb": rss_empty,
        "peak_above_empty_kb": max(0, hwm - max(rss_empty, 0)),
        "peak_to_first_rows_above_empty_kb": max(0, hwm_first - max(rss_empty, 0)),
        "hwm_empty_kb": hwm_empty,
        "slots": sum(len(d.slots) for d in win.documents()),
    }
    if diagnosis is not None:
        out["diagnosis"] = diagnosis
    if timeline is not None:
        timeline.stop()
        out["timeline"] = timeline.report(t0_ns, first_rows_ns,
                                          gcs=rec["gcs"] if diagnose else None)
        out["timeline"]["longGaps"] = timeline.gaps_report(probe.gaps_over(GAP_REPORT_MS), t0_ns, first_rows_ns)
    win.close()
    return out


#: ``--timeline`` lists what the GUI thread ran in every gap longer than this (less its run delay)
GAP_REPORT_MS = 30.0


def format_gaps(gaps: list[dict]) -> str:
    lines = []
    for g in gaps:
        lines.append(f"    gap {g['gapMs']:.1f} ms (GUI run delay {g.get('guiRunDelayMs')}) at {g['startMs']:.1f} ms "
                     f"({'before' if g['beforeFirstRows'] else 'after'}"
                     f" the first rows): " + "; ".join(f"{what} {ms:.1f}" for what, ms in g["guiSpans"][:8])
                     + (f" | worker: {'; '.join(f'{w} {ms:.1f}' for w, ms in g['workerTasks'])}"
                        if g.get("workerTasks") else "")
                     + (f" | events: {g['events']}" if g.get("events") else ""))
    return "\n".join(lines)


def format_timeline(tl: dict) -> str:
    """The timeline as text: the segments of the critical path, then every span."""
    lines = ["  segments (from ms, to ms, ms, what):"]
    lines += [f"    {a:8.1f} {b:8.1f} {d:7.1f}  {what}" for a, b, d, what in tl["segments"]]
    lines.append("  totals of the per-piece steps: " + ", ".join(
        f"{k} {v['ms']:.1f} ms/{v['count']}" for k, v in tl["totals"].items()))
    lines.append(f"  tree viewport paints at: {tl.get('treeViewportPaintsMs')}")
    lines.append("  spans (start ms, ms, thread, what):")
    lines += [f"    {t:8.1f} {d:7.1f} {th[:6]:6} {what}" for t, d, th, what in tl["spans"]]
    return "\n".join(lines)


def _run_child(mode: str, path: Path, code_root: Path | None = None, probe_ms: int | None = None) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if code_root is not None:
        env["OPEN_DOCUMENT_CODE_ROOT"] = str(code_root)
    if probe_ms is not None:
        env["OPEN_DOCUMENT_PROBE_MS"] = str(probe_ms)
    for attempt in (1, 2):
        res = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True,
                             timeout=900, env=env)
        if res.returncode == 0:
            return json.loads(res.stdout.strip().splitlines()[-1])
        print(f"child {mode} {path} failed (exit {res.returncode}, attempt {attempt}):\n{res.stderr[-3000:]}",
              file=sys.stderr)
    raise RuntimeError(f"child {mode} {path} failed twice")


def _open_stats(opens: list[dict], floor_mean: float, size: int, target: float) -> dict:
    """The open children's numbers: first rows vs the floor, stalls (and the idle floor), memory."""
    first = [o["first_rows_ms"] for o in opens if o["first_rows_ms"] is not None]
    first_mean = timing_stats(first)["mean"]
    peak = max(o["peak_above_empty_kb"] for o in opens) * 1024
    peak_first = max(o["peak_to_first_rows_above_empty_kb"] for o in opens) * 1024
    return {
        "ratioToFloor": ratio(first_mean, floor_mean),
        "withinTarget": first_mean <= target,
        "longestGuiStallMs": timing_stats([o["longest_stall_ms"] for o in opens if o["longest_stall_ms"] is not None]),
        "longestGuiStallToFirstRowsMs": timing_stats([o["longest_stall_to_first_rows_ms"] for o in opens
                                                      if o["longest_stall_to_first_rows_ms"] is not None]),
        "longestOwnGuiStallMs": {"what": "each gap less the GUI thread's run delay in it (runnable, no CPU: the "
                                         "machine's load); the worst per open",
                                 **timing_stats([o["longest_own_stall_ms"] for o in opens
                                                 if o.get("longest_own_stall_ms") is not None])},
        "longestOwnGuiStallToFirstRowsMs": timing_stats([o["longest_own_stall_to_first_rows_ms"] for o in opens
                                                         if o.get("longest_own_stall_to_first_rows_ms") is not None]),
        "longestGuiCpuInAGapMs": timing_stats([o["longest_gui_cpu_in_a_gap_ms"] for o in opens
                                               if o.get("longest_gui_cpu_in_a_gap_ms") is not None]),
        "workerStepsAside": timing_stats([o["worker_steps_aside"] for o in opens if "worker_steps_aside" in o]),
        "idleGuiStallMs": {"what": "the same probe on the idle window for 1 s before opening (machine noise)",
                           **timing_stats([o["idle_stall_ms"] for o in opens if o["idle_stall_ms"] is not None])},
        "summaryViewsShownMs": timing_stats([o["summary_views_ms"] for o in opens
                                             if o["summary_views_ms"] is not None]),
        "peakMemoryAboveEmptyBytes": peak,
        "peakMemoryRatioToFileSize": round(peak / size, 3) if size else None,
        "peakMemoryToFirstRowsRatioToFileSize": round(peak_first / size, 3) if size else None,
        **_stall_counts(opens),
    }


def _stall_counts(opens: list[dict], over_ms: float = 50.0) -> dict:
    """How many opens stalled the GUI over ``over_ms`` (to the first rows, and to the Save
    Summary), the idle window's count for the same probe, and with ``--diagnose`` every
    long gap's verdict and the worst gap's attribution (``_diagnose.attribute``)."""
    def over(key: str) -> int:
        return sum(1 for o in opens if (o.get(key) or 0) > over_ms)

    out: dict = {"opens": len(opens), "opensOver50Ms": over("longest_stall_ms"),
                 "opensOver50MsOwn": over("longest_own_stall_ms"), "opensOver40MsOwn": sum(
                     1 for o in opens if (o.get("longest_own_stall_ms") or 0) > 40.0),
                 "opensOver50MsToFirstRows": over("longest_stall_to_first_rows_ms"),
                 "idleOver50Ms": over("idle_stall_ms")}
    if any("idle_load_stall_ms" in o for o in opens):
        out["idleWithLoadGuiStallMs"] = {
            "what": "the idle window's probe while a GIL-free thread keeps one CPU busy (zlib) for 1 s",
            **timing_stats([o["idle_load_stall_ms"] for o in opens if o.get("idle_load_stall_ms") is not None])}
        out["idleWithLoadOver50Ms"] = over("idle_load_stall_ms")
    gaps = [g for o in opens for g in (o.get("diagnosis") or {}).get("gaps", [])]
    if any("diagnosis" in o for o in opens):
        verdicts: dict[str, int] = {}
        for g in gaps:
            key = g["verdict"].split(":")[0] + (" (before first rows)" if g["beforeFirstRows"] else " (after)")
            verdicts[key] = verdicts.get(key, 0) + 1
        out["gapsOver50Ms"] = {"count": len(gaps), "verdicts": verdicts,
                               "worst": max(gaps, key=lambda g: g["gapMs"]) if gaps else None,
                               "all": [{k: g[k] for k in ("startMs", "gapMs", "beforeFirstRows", "verdict")}
                                       | {"guiCpuMs": g.get("gui", {}).get("cpuMs"),
                                          "guiRunDelayMs": g.get("gui", {}).get("runDelayMs"),
                                          "workerCpuMs": g.get("worker", {}).get("cpuMs"),
                                          "workerRunDelayMs": g.get("worker", {}).get("runDelayMs")}
                                       for g in gaps]}
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=2, metavar=("MODE", "PATH"))
    ap.add_argument("--sizes-mb", type=float, nargs="*", default=[50.0])
    ap.add_argument("--iterations", type=int, default=5)
    ap.add_argument("--only", nargs="*", default=None,
                    help="run only the inputs whose name contains one of these words (e.g. save pretty)")
    ap.add_argument("--code-root", type=Path, default=None,
                    help="run the app code of another checkout (e.g. /work/main for a 'before' run)")
    ap.add_argument("--label", default="", help="what this run measures (metadata.code)")
    ap.add_argument("--diagnose", action="store_true",
                    help="instrument every open (benchmarks/_diagnose.py): per-thread CPU, run delay, "
                         "page faults, steal, the worker's pieces and the GUI's events on one clock; "
                         "each gap over 50 ms gets a verdict (gil / gui-work / machine / blocked)")
    ap.add_argument("--timeline", action="store_true",
                    help="record a timeline of every open (benchmarks/_diagnose.py Timeline): open_path, the "
                         "tasks, the read, each parse phase, the prepared freeze, the GUI's slices, the tree's "
                         "paints, on one clock; printed for the median open of each input and kept in the JSON")
    ap.add_argument("--probe-ms", type=int, default=1,
                    help="the GUI gap probe's timer interval (1 ms; 4 ms checks the probe's own effect)")
    ap.add_argument("--before-probe-ms", type=int, default=None,
                    help="the 'before' opens' probe interval (with --before-root this checkout: the probe's own "
                         "effect, interleaved)")
    ap.add_argument("--before-root", type=Path, default=None,
                    help="also open with the app code of this checkout in every iteration (interleaved, "
                         "alternating order) and report it as 'before'")
    args = ap.parse_args()
    if args.code_root is not None:
        os.environ["OPEN_DOCUMENT_CODE_ROOT"] = str(args.code_root.resolve())
    if args.diagnose:
        os.environ["OPEN_DOCUMENT_DIAGNOSE"] = "1"
    if args.timeline:
        os.environ["OPEN_DOCUMENT_TIMELINE"] = "1"
    os.environ["OPEN_DOCUMENT_PROBE_MS"] = str(args.probe_ms)
    if args.child:
        mode, path = args.child
        print(json.dumps(child_floor(path) if mode == "floor" else child_open(path)), flush=True)
        if mode != "floor":
            # reported: leave without the interpreter's shutdown, which once died of SIGSEGV with
            # worker tasks (the search index's fill) still running after the window closed
            from inspector_app.ui.workers import task_pool

            task_pool().waitForDone(5000)
            sys.stderr.flush()
            os._exit(0)
        return 0

    # the app as installed runs from byte-compiled modules (packaging/bootstrap.sh); without
    # them every child recompiles the modules it imports, in the worker too, holding the GIL
    import compileall
    code_root = Path(os.environ.get("OPEN_DOCUMENT_CODE_ROOT") or REPO)
    before_root = args.before_root.resolve() if args.before_root is not None else None
    for root in (code_root, before_root):
        if root is not None:
            compileall.compile_dir(str(root / "inspector_app"), quiet=1)
    inputs: list[tuple[str, Path, int]] = []
    shared = Path(os.environ.get("TELEMETRY_INSPECTOR_SHARED") or REPO.parent / "shared")
    late = shared / "fixtures" / "game" / "saves" / "save_before-memory-parlor.large.json"
    if late.exists():
        inputs.append(("open-late-save", late, args.iterations))
    demo = REPO / "resources" / "demo" / "demo-profile.localStorage.json"
    if demo.exists():
        inputs.append(("open-demo-profile", demo, args.iterations))
    tmpdir = Path(tempfile.mkdtemp(prefix="ti-bench-data-"))
    for mb in args.sizes_mb:
        from inspector_app.core.demo.synthetic import build_large_save, build_synthetic_profile

        p = tmpdir / f"synthetic-{int(mb)}mb.localStorage.json"
        p.write_bytes(build_synthetic_profile(int(mb * 1024 * 1024)))
        inputs.append((f"open-synthetic-{int(mb)}mb-profile", p, max(2, args.iterations // 2)))
        # issue 13: one big save (compact, as the game stores it) and the same shape pretty-
        # printed (devtools' JSON.stringify(…, null, 2)); ~450 B per item compact, ~740 pretty
        target = int(mb * 1024 * 1024)
        p = tmpdir / f"synthetic-{int(mb)}mb.save.json"
        p.write_bytes(build_large_save(max(0, (target - 150_000) // 576)))
        inputs.append((f"open-synthetic-{int(mb)}mb-save", p, max(2, args.iterations // 2)))
        p = tmpdir / f"synthetic-{int(mb)}mb-pretty.save.json"
        import orjson

        p.write_bytes(orjson.dumps(orjson.loads(build_large_save(max(0, (target - 250_000) // 945))),
                                   option=orjson.OPT_INDENT_2))
        inputs.append((f"open-synthetic-{int(mb)}mb-pretty-save", p, max(2, args.iterations // 2)))
    if args.only:
        inputs = [i for i in inputs if any(w in i[0] for w in args.only)]

    benchmarks: dict = {}
    for name, path, iters in inputs:
        floors, opens, befores = [], [], []
        for i in range(iters):  # interleaved: each open right after its floor, same machine load
            floors.append(_run_child("floor", path))
            if before_root is not None and i % 2:
                befores.append(_run_child("open", path, before_root, args.before_probe_ms))
            opens.append(_run_child("open", path))
            if before_root is not None and not i % 2:
                befores.append(_run_child("open", path, before_root, args.before_probe_ms))
        floor_ms = [f["floor_ms"] for f in floors]
        size = floors[0]["bytes"]
        floor_mean = timing_stats(floor_ms)["mean"]
        target = 1.3 * floor_mean + 50
        benchmarks[name] = result_entry(
            [o["first_rows_ms"] for o in opens if o["first_rows_ms"] is not None],
            bytes=size,
            slots=opens[0]["slots"],
            floor={"what": "bare orjson.loads of the same bytes (+ nested save_* strings for profiles)",
                   **result_entry(floor_ms)},
            targetMs=round(target, 3),
            **_open_stats(opens, floor_mean, size, target),
        )
        b = benchmarks[name]
        if befores:
            b["before"] = {"code": str(before_root), "probeIntervalMs": args.before_probe_ms or args.probe_ms,
                           **result_entry([o["first_rows_ms"] for o in befores if o["first_rows_ms"] is not None],
                                          **_open_stats(befores, floor_mean, size, target))}
        for label, group, e in (("", opens, b), (" (before)", befores, b.get("before"))):
            if e is None:
                continue
            timed = sorted((o for o in group if o.get("timeline") and o["first_rows_ms"] is not None),
                           key=lambda o: o["first_rows_ms"])
            if timed:
                e["timelineOfMedianOpen"] = timed[len(timed) // 2]["timeline"]
                e["timelineSegments"] = [o["timeline"]["segments"] for o in timed]
                print(f"{name}{label}: timeline of the median open ({timed[len(timed) // 2]['first_rows_ms']:.1f} ms)")
                print(format_timeline(e["timelineOfMedianOpen"]))
                e["longGaps"] = [o["timeline"].get("longGaps", []) for o in timed]
                print(f"{name}{label}: GUI gaps over {GAP_REPORT_MS:.0f} ms per open, and the GUI spans in them (ms):")
                for o in timed:
                    print(format_gaps(o["timeline"].get("longGaps", [])) or "    (none)")
        for label, e in (("", b), (" (before)", b.get("before"))):
            if e is None:
                continue
            print(f"{name}{label}: {size/1e6:.2f} MB, first rows mean {e['timing']['mean']:.1f} ms vs floor "
                  f"{floor_mean:.1f} ms (ratio {e['ratioToFloor']}, target {target:.1f} ms), longest stall max "
                  f"{e['longestGuiStallMs']['max']:.1f} ms (median {e['longestGuiStallMs']['median']:.1f}, idle floor "
                  f"median {e['idleGuiStallMs']['median']:.1f}), opens over 50 ms {e['opensOver50Ms']}/{e['opens']} "
                  f"({e['opensOver50MsToFirstRows']} before the first rows; idle {e['idleOver50Ms']}, idle with load "
                  f"{e.get('idleWithLoadOver50Ms')}); less the GUI's run delay: worst gap median "
                  f"{e['longestOwnGuiStallMs']['median']:.1f} p95 {e['longestOwnGuiStallMs']['p95']:.1f} max "
                  f"{e['longestOwnGuiStallMs']['max']:.1f}, over 50 ms {e['opensOver50MsOwn']}, over 40 ms "
                  f"{e['opensOver40MsOwn']}; GUI CPU in one gap median {e['longestGuiCpuInAGapMs']['median']:.1f} max "
                  f"{e['longestGuiCpuInAGapMs']['max']:.1f}; worker stepped aside median "
                  f"{e['workerStepsAside']['median']:.0f}×; summary views at "
                  f"{e['summaryViewsShownMs']['mean']:.0f} ms, peak memory {e['peakMemoryRatioToFileSize']}× file "
                  f"({e['peakMemoryToFirstRowsRatioToFileSize']}× to the first rows)")
    out = write_results("open-document", benchmarks, metadata=run_metadata(benchmark="open_document", code=args.label or str(code_root),
                                                                    probeIntervalMs=args.probe_ms))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
