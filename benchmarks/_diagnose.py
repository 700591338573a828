"""What each thread did during the GUI thread's long gaps (``open_document.py --diagnose``), and
where every ms of an open goes (``open_document.py --timeline``: :class:`Timeline`, at the end).

Benchmark-only instrumentation, nothing of it is in the product. Everything is on one clock,
``CLOCK_MONOTONIC`` (``time.monotonic_ns``; Qt's ``QElapsedTimer`` and the sampler process use
the same):

* a **sampler process** (``python _diagnose.py sample PID``; a separate process so it needs
  none of the app's GIL) reads, every ~2 ms, each thread's ``/proc/PID/task/TID/schedstat``
  (time on a CPU, time runnable but waiting for one = *run delay*) and ``stat`` (state, minor
  and major page faults) and the machine's ``/proc/stat`` (steal, busy and idle time);
* in the app process: the GUI probe's ticks, the GUI thread's events (an application event
  filter: when each event began, its type and receiver), the worker's parse timeline (start and
  end of every orjson piece of ``core/loading/chunked``/``split``, each ``time.sleep(0)`` GIL
  yield), garbage collections (thread, generation, start/stop), and a ``faulthandler``
  watchdog re-armed on every tick that dumps every thread's Python stack when the GUI has not
  ticked for 50 ms (a C thread: it needs no GIL).

:func:`attribute` then says, for each gap over the threshold, what the GUI and the worker
threads did: ``gil`` (the worker ran, the GUI thread neither ran nor waited for a CPU: it
waited for the GIL — ours), ``gui-work`` (the GUI thread ran: its own event — ours),
``machine`` (the threads were runnable but not running: run delay / steal — the OS or the
VM), ``blocked`` (neither ran nor waited for a CPU, and not for the GIL: page faults, I/O).
"""
from __future__ import annotations

import faulthandler
import gc
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

_CLK_TCK = os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------------- sampler process
def _read(path: str) -> str | None:
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return None


def sample_forever(pid: int, interval: float = 0.002) -> None:
    """The sampler process: one JSON line per sample on stdout until stdin closes or the
    process ``pid`` ends. ``{"t": ns, "steal": ticks, "busy": ticks, "idle": ticks,
    "threads": {tid: [state, cpu_ns, wait_ns, minflt, majflt]}}``."""
    out = sys.stdout
    stop = threading.Event()

    def _watch_stdin() -> None:
        sys.stdin.read()
        stop.set()

    threading.Thread(target=_watch_stdin, daemon=True).start()
    tids: list[str] = []
    listed = 0.0
    while not stop.is_set():
        now = time.monotonic()
        if now - listed > 0.05:
            try:
                tids = os.listdir(f"/proc/{pid}/task")
            except OSError:
                break
            listed = now
        threads = {}
        for tid in tids:
            st = _read(f"/proc/{pid}/task/{tid}/stat")
            ss = _read(f"/proc/{pid}/task/{tid}/schedstat")
            if st is None or ss is None:
                continue
            fields = st[st.rindex(")") + 2:].split()
            run, wait, _slices = ss.split()
            threads[tid] = [fields[0], int(run), int(wait), int(fields[7]), int(fields[9])]
        cpu = (_read("/proc/stat") or "cpu 0 0 0 0 0 0 0 0").splitlines()[0].split()[1:]
        vals = [int(x) for x in cpu]
        idle = vals[3] + vals[4]
        steal = vals[7] if len(vals) > 7 else 0
        out.write(json.dumps({"t": time.monotonic_ns(), "steal": steal, "idle": idle,
                              "busy": sum(vals[:8]) - idle - steal, "threads": threads}) + "\n")
        time.sleep(interval)
    out.flush()


class Sampler:
    """Starts the sampler process for this process; :meth:`stop` returns its samples."""

    def __init__(self) -> None:
        self._out = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in stop()
        self._proc = subprocess.Popen([sys.executable, __file__, "sample", str(os.getpid())],
                                      stdin=subprocess.PIPE, stdout=self._out, text=True)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:     # its first sample: it is running
            self._out.seek(0)
            if self._out.read(1):
                break
            time.sleep(0.005)

    def stop(self) -> list[dict]:
        self._proc.stdin.close()
        self._proc.wait(10)
        self._out.seek(0)
        rows = [json.loads(line) for line in self._out if line.strip().endswith("}")]
        self._out.close()
        return rows


# ------------------------------------------------------------------------- in-process recorder
class Recorder:
    """The app process's side: events, ticks, pieces, yields, collections, stacks."""

    def __init__(self, app, probe) -> None:
        from PySide6.QtCore import QObject

        self.gui_tid = threading.get_native_id()
        self.gui_ident = threading.get_ident()
        self.worker_tids: set[int] = set()
        self.ticks: list[int] = []
        self.events: list[tuple[int, int, str]] = []
        self.pieces: list[tuple[int, int, int, int]] = []      # tid, start, end, bytes
        self.yields: list[tuple[int, int]] = []                # start, end
        self.gcs: list[tuple[int, str, int, int]] = []         # t, phase, generation, tid
        self._undo: list = []
        self._wd = tempfile.NamedTemporaryFile(mode="w+", prefix="ti-wd-", suffix=".txt", delete=False)  # noqa: SIM115
        clock = time.monotonic_ns
        recorder = self

        class _Filter(QObject):
            def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
                recorder.events.append((clock(), int(event.type().value), type(obj).__name__))
                return False

        self._filter = _Filter()
        self._app = app
        app.installEventFilter(self._filter)

        orig_tick = probe._tick
        wd = self._wd

        def tick() -> None:
            orig_tick()
            recorder.ticks.append(clock())
            faulthandler.dump_traceback_later(0.05, repeat=False, file=wd)

        probe._timer.timeout.disconnect()
        probe._timer.timeout.connect(tick)

        def on_gc(phase, info) -> None:
            recorder.gcs.append((clock(), phase, info.get("generation", -1), threading.get_native_id()))

        gc.callbacks.append(on_gc)
        self._undo.append(lambda: gc.callbacks.remove(on_gc))
        self._patch_parsers(clock)

    def begin(self) -> None:
        """Right before the probe starts: its first gap runs from here."""
        self.ticks.append(time.monotonic_ns())
        faulthandler.dump_traceback_later(0.05, repeat=False, file=self._wd)

    def _patch_parsers(self, clock) -> None:
        import orjson

        from inspector_app.core.loading import chunked

        recorder = self
        real_loads = orjson.loads
        real_sleep = time.sleep

        def loads(data, *a, **k):
            tid = threading.get_native_id()
            if tid == recorder.gui_tid:
                return real_loads(data, *a, **k)
            recorder.worker_tids.add(tid)
            t0 = clock()
            try:
                return real_loads(data, *a, **k)
            finally:
                recorder.pieces.append((tid, t0, clock(), len(data)))

        class _Time:                     # chunked's ``time`` with a recorded ``sleep``
            def __getattr__(self, name):
                return getattr(time, name)

            @staticmethod
            def sleep(s):
                t0 = clock()
                real_sleep(s)
                recorder.yields.append((t0, clock()))

        mods = [chunked]
        for name in ("split", "sections", "jsonparse"):
            try:
                mods.append(__import__(f"inspector_app.core.loading.{name}", fromlist=["x"]))
            except ImportError:
                pass
        for mod in mods:
            if getattr(mod, "orjson", None) is orjson:
                shim = type(sys)("orjson_shim")
                shim.__dict__.update(orjson.__dict__)
                shim.loads = loads
                mod.orjson = shim
                self._undo.append(lambda mod=mod: setattr(mod, "orjson", orjson))
            if getattr(mod, "time", None) is time:
                mod.time = _Time()
                self._undo.append(lambda mod=mod: setattr(mod, "time", time))

    def stop(self) -> dict:
        faulthandler.cancel_dump_traceback_later()
        self._app.removeEventFilter(self._filter)
        for undo in self._undo:
            undo()
        self._wd.flush()
        self._wd.seek(0)
        dumps = self._wd.read()
        self._wd.close()
        os.unlink(self._wd.name)
        return {"gui_tid": self.gui_tid, "worker_tids": sorted(self.worker_tids), "ticks": self.ticks,
                "events": self.events, "pieces": self.pieces, "yields": self.yields, "gcs": self.gcs,
                "stacks": _split_dumps(dumps, self.gui_ident)}


def _split_dumps(text: str, gui_ident: int) -> list[dict]:
    """faulthandler's dumps: one per long gap, each thread's innermost frames."""
    out = []
    for block in text.split("Timeout (")[1:]:
        threads = {}
        for part in block.split("Thread 0x")[1:]:
            head, *frames = part.strip().splitlines()
            ident = int(head.split()[0], 16)
            name = "gui" if ident == gui_ident else f"thread-{ident:x}"
            threads[name] = [f.strip().replace('File "', "").replace('", line ', ":") for f in frames[:5]]
        out.append(threads)
    return out


# ------------------------------------------------------------------------- timeline of one open
#: What the timeline wraps: ``(module, attribute path, label, aggregate)``. A label with
#: ``{name}`` gets the task's name; ``aggregate`` spans are summed (count, total) instead of
#: listed one by one (the parse's per-piece checks). Modules not imported yet are wrapped when
#: they are imported (the first open imports the document tabs' modules in the worker), and a
#: name missing in the code measured (``--before-root``) is skipped.
TIMELINE_TARGETS: tuple[tuple[str, str, str, bool], ...] = (
    ("inspector_app.ui.main_window", "MainWindow.open_path", "gui: open_path", False),
    ("inspector_app.ui.main_window", "MainWindow._prepare_document_tabs", "gui: prepare document tabs", False),
    ("inspector_app.ui.main_window", "MainWindow._build_document_parts", "gui: build document part", False),
    ("inspector_app.ui.main_window", "MainWindow._on_loaded", "gui: _on_loaded", False),
    ("inspector_app.ui.main_window", "MainWindow._select_first_row_of", "gui: select first row", False),
    ("inspector_app.ui.main_window", "MainWindow._show_row", "gui: show row", False),
    ("inspector_app.ui.main_window", "MainWindow._compress_sections", "gui: queue compress", False),
    ("inspector_app.ui.main_window", "MainWindow._on_loaded_views", "gui: _on_loaded_views", False),
    ("inspector_app.ui.main_window", "MainWindow._on_loaded_done", "gui: _on_loaded_done", False),
    ("inspector_app.ui.main_window", "MainWindow._slot_details_text", "gui: slot details text", False),
    ("inspector_app.ui.widgets.state_inspector", "StateInspector.set_document_value", "gui: tree set value", False),
    ("inspector_app.ui.models.json_tree_model", "JsonTreeModel.set_root", "gui: tree model reset", False),
    ("inspector_app.ui.models.slot_model", "SlotModel.set_documents", "gui: slot model reset", False),
    ("inspector_app.ui.widgets.search_panel", "SearchPanel.set_root", "gui: search set root", False),
    ("inspector_app.ui.worldstate.domain_views", "DomainViews.set_game_data", "gui: summary views start", False),
    ("inspector_app.ui.worldstate.domain_views", "DomainViewsPanel.set_game_data", "gui: summary views start", False),
    ("inspector_app.ui.worldstate.domain_views", "DomainViewsPanel._show", "gui: summary views show", False),
    ("inspector_app.ui.worldstate.domain_views", "DomainTab.set_view", "gui: summary page first step", False),
    ("inspector_app.ui.worldstate.domain_views", "DomainTab.finish_build", "gui: summary page tables", False),
    ("inspector_app.ui.worldstate.domain_views", "DomainTab._overlay_widget", "gui: summary overlay replica", False),
    ("inspector_app.ui.worldstate.domain_views", "DomainTab._facts_widget", "gui: summary facts", False),
    ("inspector_app.ui.worldstate.domain_views", "DomainTab.show_message", "gui: summary page message", False),
    ("inspector_app.ui.worldstate.domain_views", "TableSection.__init__", "gui: summary table section", False),
    ("inspector_app.core.worldstate.views", "build_domain_views", "views: build", False),
    ("inspector_app.core.worldstate.views", "sectioned_views_input", "views: sectioned input", False),
    ("inspector_app.core.worldstate.views", "_safe", "views: {name}", False),
    ("inspector_app.core.worldstate.views", "rebuild_inspector_summary", "views: rebuild summary", False),
    ("inspector_app.core.worldstate.view_items", "inventory_view", "views: inventory", False),
    ("inspector_app.core.worldstate.view_quests_story", "story_view", "views: story", False),
    ("inspector_app.core.common.gcpause", "gc_paused", "gc_paused (enter)", False),
    ("inspector_app.core.search", "SearchIndex.fill", "search index fill", False),
    ("inspector_app.ui.browser.follow", "LiveFollower.follow", "gui: follow live: follow", False),
    ("inspector_app.ui.browser.follow", "LiveFollower._rewatch", "gui: follow live: watch", False),
    ("inspector_app.ui.browser.follow", "LiveFollower.__init__", "gui: follow live: make follower", False),
    ("inspector_app.ui.main_window", "MainWindow._store_recent", "gui: store recent", False),
    ("inspector_app.ui.main_window", "MainWindow._sync", "gui: sync", False),
    ("inspector_app.ui.main_window", "MainWindow._refresh_problems", "gui: refresh problems", False),
    ("inspector_app.ui.workers", "BackgroundTask.start", "gui: start task {name}", False),
    ("inspector_app.ui.workers", "BackgroundTask._deliver", "gui: deliver {name}", False),
    ("inspector_app.ui.workers", "BackgroundTask._run_in_worker", "task {name}", False),
    ("inspector_app.ui.workers", "GuiThreadGarbageCollector._prepare_in_gui_thread", "gui: collect for the freeze", False),
    ("inspector_app.ui.workers", "GuiThreadGarbageCollector._release", "gui: release the freeze wait", False),
    ("inspector_app.ui.workers", "GuiThreadGarbageCollector.collect_due", "gui: collect due", True),
    ("inspector_app.ui.workers", "GuiThreadGarbageCollector.settle", "gui: settle (freeze start-up heap)", False),
    ("inspector_app.core.common.gcpause", "_prepared", "prepared freeze: ask the GUI, wait", False),
    ("inspector_app.core.loading.loader", "load_path", "load_path", False),
    ("inspector_app.core.loading.loader", "_stream_big_profile", "pretty-profile stream check", False),
    ("inspector_app.core.loading.loader", "_read_file", "read the file", False),
    ("inspector_app.core.loading.loader", "_load_paused", "parse + build (gc paused)", False),
    ("inspector_app.core.loading.loader", "_split_big_profile", "big-profile split check", False),
    ("inspector_app.core.loading.loader", "_parse_sectioned", "sectioned parse", False),
    ("inspector_app.core.loading.loader", "_build_document", "build document", False),
    ("inspector_app.core.loading.loader", "_single_payload", "single payload slot", False),
    ("inspector_app.core.loading.chunked", "ChunkedParse.run", "chunked parse: pieces", False),
    ("inspector_app.core.loading.chunked", "ChunkedParse.may_have_long_integers", "digit scan", False),
    ("inspector_app.core.loading.chunked", "ChunkedParse._check", "per-piece checks (dump + compare)", True),
    ("inspector_app.core.loading.chunked", "ChunkedParse._same_pretty", "  of which pretty compare", True),
    ("inspector_app.core.loading.chunked", "ChunkedParse._loads", "orjson pieces via _loads (session 6's runs)", True),
    ("inspector_app.core.loading.chunked", "ChunkedParse._find_cut", "finding cuts", True),
    ("inspector_app.core.loading.chunked", "ChunkedParse._find_indented_cut", "finding indented cuts", True),
    ("inspector_app.core.loading.chunked", "ChunkedParse._indented_tail", "finding closing lines", True),
    ("inspector_app.core.loading.chunked", "ChunkedParse._run", "runs (copy, orjson, checks)", True),
    ("inspector_app.core.loading.chunked", "_Runs.add", "lazy runs bookkeeping", True),
    ("inspector_app.core.loading.sections", "attach_paths", "attach paths", False),
    ("inspector_app.core.loading.sections", "compress_sections", "compress sections", False),
    ("inspector_app.core.loading.payload", "SlotBuilder.from_value", "slot builder", False),
    ("inspector_app.core.common.guiturn", "yield_to_gui", "yield_to_gui (incl. steps aside)", True),
    ("inspector_app.core.common.guiturn", "_sleep", "  of which step-aside sleeps (1 ms each)", True),
)


class Timeline:
    """Spans of one open on one clock (``time.monotonic_ns``), GUI thread and worker: every
    target of :data:`TIMELINE_TARGETS` wrapped, ``gc.freeze`` timed, the paints of the World
    State tree's viewport and the imports done in the worker (``import`` spans over 1 ms).

    ``Timeline().install()`` (in the GUI thread) before ``open_path``; :meth:`report` after the first rows.
    Benchmark-only: the wrappers cost ~1 µs a call (the aggregated ones are hot)."""

    def __init__(self) -> None:
        self.gui_tid = threading.get_native_id()
        self.spans: list[tuple[str, str, int, int]] = []          # label, thread, start, end
        self.totals: dict[str, list[int]] = {}                    # label -> [count, ns]
        self.marks: list[tuple[str, str, int]] = []
        self._undo: list = []
        self._pending: dict[str, list[tuple[str, str, bool]]] = {}
        self._finder = None
        self.paints: list[int] = []

    def _thread(self) -> str:
        tid = threading.get_native_id()
        return "gui" if tid == self.gui_tid else f"worker-{tid}"

    def mark(self, label: str) -> None:
        self.marks.append((label, self._thread(), time.monotonic_ns()))

    def install(self) -> "Timeline":
        for module, attr, label, agg in TIMELINE_TARGETS:
            self._pending.setdefault(module, []).append((attr, label, agg))
        for module in list(self._pending):
            if module in sys.modules:
                self._patch_module(sys.modules[module])
        self._install_finder()
        self._patch_freeze()
        return self

    # -- wrapping ------------------------------------------------------------------------
    def _patch_module(self, mod) -> None:
        for attr, label, agg in self._pending.pop(mod.__name__, []):
            owner, _, name = attr.rpartition(".")
            target = getattr(mod, owner, None) if owner else mod
            if target is None or not hasattr(target, name):
                continue
            orig = target.__dict__.get(name) if isinstance(target, type) else getattr(target, name)
            if orig is None:
                continue
            wrapped = self._wrap(orig, label, agg)
            setattr(target, name, wrapped)
            self._undo.append(lambda t=target, n=name, o=orig: setattr(t, n, o))
            if not owner and getattr(orig, "__module__", None) == mod.__name__:
                # a module function imported by name elsewhere (chunked's yield_to_gui)
                for other in list(sys.modules.values()):
                    if other is not mod and getattr(other, "__name__", "").startswith("inspector_app") \
                            and other.__dict__.get(name) is orig:
                        setattr(other, name, wrapped)
                        self._undo.append(lambda t=other, n=name, o=orig: setattr(t, n, o))

    def _wrap(self, fn, label: str, agg: bool):
        timeline, clock = self, time.monotonic_ns
        kind = type(fn) if isinstance(fn, (staticmethod, classmethod)) else None
        func = fn.__func__ if kind is not None else fn
        named = "{name}" in label

        def wrapper(*args, **kwargs):
            t0 = clock()
            try:
                return func(*args, **kwargs)
            finally:
                t1 = clock()
                if agg:
                    tot = timeline.totals.setdefault(label, [0, 0])
                    tot[0] += 1
                    tot[1] += t1 - t0
                else:
                    text = label.format(name=getattr(args[0], "name", "") or getattr(args[0], "__name__", "")
                                        or "?") if named and args else label
                    timeline.spans.append((text, timeline._thread(), t0, t1))

        wrapper.__wrapped__ = func
        wrapper.__name__ = getattr(func, "__name__", "wrapper")
        return kind(wrapper) if kind is not None else wrapper

    def _patch_freeze(self) -> None:
        from inspector_app.core.common import gcpause

        real_gc = gcpause.gc
        timeline = self

        class _Gc:
            def __getattr__(self, name):
                return getattr(real_gc, name)

            @staticmethod
            def freeze():
                t0 = time.monotonic_ns()
                real_gc.freeze()
                timeline.spans.append(("gc.freeze", timeline._thread(), t0, time.monotonic_ns()))

        gcpause.gc = _Gc()
        self._undo.append(lambda: setattr(gcpause, "gc", real_gc))

    def _install_finder(self) -> None:
        import importlib.abc
        import importlib.machinery

        timeline = self

        class _Finder(importlib.abc.MetaPathFinder):
            def find_spec(self, fullname, path, target=None):
                if not fullname.startswith("inspector_app."):
                    return None
                spec = importlib.machinery.PathFinder.find_spec(fullname, path)
                if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
                    return None
                real_exec = spec.loader.exec_module

                def exec_module(module, real_exec=real_exec):
                    t0 = time.monotonic_ns()
                    real_exec(module)
                    t1 = time.monotonic_ns()
                    if t1 - t0 > 1_000_000:
                        timeline.spans.append((f"import {fullname}", timeline._thread(), t0, t1))
                    if fullname in timeline._pending:
                        timeline._patch_module(module)

                spec.loader.exec_module = exec_module
                return spec

        self._finder = _Finder()
        sys.meta_path.insert(0, self._finder)
        self._undo.append(lambda: sys.meta_path.remove(self._finder))

    def watch_paints(self, widget) -> None:
        """Record when ``widget`` (the tree's viewport) paints."""
        from PySide6.QtCore import QEvent, QObject

        timeline = self

        class _Paints(QObject):
            def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
                if event.type() == QEvent.Type.Paint:
                    timeline.paints.append(time.monotonic_ns())
                return False

        self._paint_filter = _Paints()
        widget.installEventFilter(self._paint_filter)
        self._undo.append(lambda: widget.removeEventFilter(self._paint_filter))

    def watch_events(self, app) -> None:
        """Record the GUI thread's events (start, type, receiver class) for :meth:`gaps_report`."""
        from PySide6.QtCore import QObject

        timeline, clock = self, time.monotonic_ns
        self.events: list[tuple[int, int, str]] = []

        class _Events(QObject):
            def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
                timeline.events.append((clock(), int(event.type().value), type(obj).__name__))
                return False

        self._event_filter = _Events()
        app.installEventFilter(self._event_filter)
        self._undo.append(lambda: app.removeEventFilter(self._event_filter))

    def gaps_report(self, gaps: list[tuple[int, int, float]], t_open: int, t_first_rows: int | None) -> list[dict]:
        """For each probe gap ``(start ns, end ns, ms)``: the GUI thread's spans overlapping it
        (label, ms inside the gap; longest first) and the kinds of events that began in it."""
        out = []
        for a, b, gap, *delay in gaps:
            if b < t_open:
                continue
            inside: dict[str, float] = {}
            worker: dict[str, float] = {}
            for label, thread, s, e in self.spans:
                if e > a and s < b:
                    into = inside if thread == "gui" else worker
                    into[label] = into.get(label, 0.0) + (min(b, e) - max(a, s)) / 1e6
            kinds: dict[str, int] = {}
            for t, typ, recv in getattr(self, "events", []):
                if a <= t < b:
                    key = f"{recv}:{typ}"
                    kinds[key] = kinds.get(key, 0) + 1
            out.append({"startMs": round((a - t_open) / 1e6, 1), "gapMs": round(gap, 1),
                        "guiRunDelayMs": round(delay[0], 1) if delay and delay[0] is not None else None,
                        "beforeFirstRows": t_first_rows is None or b <= t_first_rows,
                        "guiSpans": sorted(([k, round(v, 1)] for k, v in inside.items()), key=lambda x: -x[1]),
                        "workerTasks": sorted(([k[:60], round(v, 1)] for k, v in worker.items()), key=lambda x: -x[1])[:8],
                        "events": dict(sorted(kinds.items(), key=lambda kv: -kv[1])[:6])})
        return out

    def stop(self) -> None:
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()

    # -- the report -----------------------------------------------------------------------
    def report(self, t_open: int, t_first_rows: int | None, gcs: list | None = None) -> dict:
        """``spans`` (ms from ``t_open``: start, duration, thread, label) up to the first rows
        and a little after, ``totals`` of the aggregated targets, the tree viewport's paints
        (``events`` from :class:`Recorder`), collections, and ``segments``: the critical path
        cut at the milestones (where every ms between open_path and the first rows goes)."""
        def ms(t: int) -> float:
            return round((t - t_open) / 1e6, 2)

        end = t_first_rows or max((s[3] for s in self.spans), default=t_open)
        spans = sorted((s for s in self.spans if s[2] <= end + 200_000_000), key=lambda s: s[2])
        rows = [[ms(s[2]), round((s[3] - s[2]) / 1e6, 2), s[1], s[0]] for s in spans]
        out: dict = {"spans": rows,
                     "totals": {k: {"count": c, "ms": round(ns / 1e6, 2)} for k, (c, ns) in self.totals.items()},
                     "firstRowsMs": None if t_first_rows is None else ms(t_first_rows)}
        out["treeViewportPaintsMs"] = [ms(t) for t in self.paints if t_open <= t <= end + 200_000_000][:20]
        if gcs:
            out["collections"] = [[ms(t), ph, g, "gui" if tid == self.gui_tid else "worker"]
                                  for t, ph, g, tid in gcs if t_open <= t <= end]
        out["segments"] = _segments(spans, t_open, end)
        return out


def _segments(spans: list[tuple[str, str, int, int]], t_open: int, t_end: int) -> list[list]:
    """The open cut at its milestones: [from ms, to ms, ms, what]."""
    def first(pred, key=2):
        for s in spans:
            if pred(s[0]):
                return s[key]
        return None

    def last(pred, key=3):
        for s in reversed(spans):
            if pred(s[0]):
                return s[key]
        return None

    marks = [
        ("open_path on the GUI thread", t_open, first(lambda x: x == "gui: open_path", 3)),
        ("worker: other tasks before the load (prepare document tabs: imports)", None,
         first(lambda x: x.startswith("task ") and x.startswith("task /"), 2)),
        ("worker: load_path until the read starts", None, first(lambda x: x == "read the file", 2)),
        ("worker: read the file", None, first(lambda x: x == "read the file", 3)),
        ("worker: prepared freeze (GUI collects, worker waits)", None,
         first(lambda x: x.startswith("prepared freeze"), 3)),
        ("worker: chunked parse (pieces + checks)", None, first(lambda x: x == "chunked parse: pieces", 3)),
        ("worker: digit scan + attach paths", None, first(lambda x: x == "sectioned parse", 3)),
        ("worker: build document (slot)", None, first(lambda x: x == "parse + build (gc paused)", 3)),
        ("worker: gc.freeze + task end", None, first(lambda x: x.startswith("task /"), 3)),
        ("queue to the GUI thread: deliver", None, first(lambda x: x.startswith("gui: deliver /"), 2)),
        ("gui: _on_loaded (slot list, tree, search, summary start)", None, first(lambda x: x == "gui: _on_loaded", 3)),
        ("gui: _on_loaded_views", None, first(lambda x: x == "gui: _on_loaded_views", 3)),
        ("gui: _on_loaded_done", None, first(lambda x: x == "gui: _on_loaded_done", 3)),
        ("first rows painted (the benchmark's grab after its loop saw them)", None, t_end),
    ]
    out, at = [], t_open
    for label, start, stop in marks:
        if stop is None:
            continue
        start = at if start is None else start
        out.append([round((start - t_open) / 1e6, 2), round((stop - t_open) / 1e6, 2),
                    round((stop - start) / 1e6, 2), label])
        at = max(at, stop)
    return out


# ------------------------------------------------------------------------- attribution
def _thread_at(samples: list[dict], tid: int, t: int, *, after: bool) -> list | None:
    """The sample of thread ``tid`` just before (or just after) ``t``."""
    key = str(tid)
    chosen = None
    for s in (samples if after else reversed(samples)):
        if (s["t"] >= t if after else s["t"] <= t) and key in s["threads"]:
            chosen = s
            break
    return None if chosen is None else [chosen["t"], *chosen["threads"][key]]


def _sample_at(samples: list[dict], t: int, *, after: bool) -> dict | None:
    for s in (samples if after else reversed(samples)):
        if s["t"] >= t if after else s["t"] <= t:
            return s
    return None


def _overlap(a0: int, a1: int, spans) -> int:
    return sum(max(0, min(a1, e) - max(a0, s)) for s, e in spans)


def attribute(rec: dict, samples: list[dict], t_open: int, threshold_ms: float = 50.0,
              t_first_rows: int | None = None) -> list[dict]:
    """One dict per GUI gap over ``threshold_ms``: what the GUI and worker threads did."""
    out = []
    ticks = rec["ticks"]
    workers = rec["worker_tids"]
    stacks = list(rec["stacks"])
    for a, b in zip(ticks, ticks[1:]):
        gap = (b - a) / 1e6
        if gap <= threshold_ms:
            continue
        row: dict = {"startMs": round((a - t_open) / 1e6, 1), "gapMs": round(gap, 1),
                     "beforeFirstRows": t_first_rows is None or b <= t_first_rows}
        threads = {"gui": rec["gui_tid"], **{f"worker{i or ''}": t for i, t in enumerate(workers)}}
        span_ns = {}
        for name, tid in threads.items():
            s0 = _thread_at(samples, tid, a, after=False)
            s1 = _thread_at(samples, tid, b, after=True)
            if s0 is None or s1 is None:
                continue
            span = s1[0] - s0[0]
            span_ns[name] = span
            states = "".join(sorted({s["threads"][str(tid)][0] for s in samples
                                     if s0[0] <= s["t"] <= s1[0] and str(tid) in s["threads"]}))
            row[name] = {"cpuMs": round((s1[2] - s0[2]) / 1e6, 1), "runDelayMs": round((s1[3] - s0[3]) / 1e6, 1),
                         "minflt": s1[4] - s0[4], "majflt": s1[5] - s0[5], "states": states,
                         "sampledMs": round(span / 1e6, 1)}
        m0, m1 = _sample_at(samples, a, after=False), _sample_at(samples, b, after=True)
        if m0 and m1:
            ticks_ms = 1000 / _CLK_TCK
            row["machine"] = {"stealMs": round((m1["steal"] - m0["steal"]) * ticks_ms, 1),
                              "busyCpuMs": round((m1["busy"] - m0["busy"]) * ticks_ms, 1),
                              "idleCpuMs": round((m1["idle"] - m0["idle"]) * ticks_ms, 1),
                              "samplerLongestGapMs": round(max((y["t"] - x["t"]) / 1e6 for x, y in
                                                               zip(samples, samples[1:]) if m0["t"] <= x["t"] < m1["t"])
                                                           if m1["t"] > m0["t"] else 0, 1)}
        pieces = [(s, e, n) for _tid, s, e, n in rec["pieces"] if e > a and s < b]
        row["worker_pieces"] = {"count": len(pieces), "inPiecesMs": round(_overlap(a, b, [(s, e) for s, e, _ in pieces]) / 1e6, 1),
                                "longestPieceMs": round(max(((e - s) / 1e6 for s, e, _ in pieces), default=0), 1),
                                "bytes": sum(n for *_, n in pieces),
                                "yields": sum(1 for s, e in rec["yields"] if a <= s < b),
                                "lastYieldBeforeMs": round(max(((a - e) / 1e6 for s, e in rec["yields"] if e <= a), default=-1) if
                                                           any(e <= a for _, e in rec["yields"]) else -1, 1)}
        gcs = [(t, ph, g, tid) for t, ph, g, tid in rec["gcs"] if a <= t <= b]
        if gcs:
            row["gcs"] = [f"{'gui' if tid == rec['gui_tid'] else tid} gen{g} {ph} +{(t - a) / 1e6:.1f}ms" for t, ph, g, tid in gcs]
        evs = [e for e in rec["events"] if a <= e[0] < b]
        before = [e for e in rec["events"] if e[0] < a]
        if before:      # the event running when the gap began (the last one to start before it)
            row["guiEventAtStart"] = {"type": before[-1][1], "receiver": before[-1][2],
                                      "startedMsBeforeGap": round((a - before[-1][0]) / 1e6, 1)}
        if evs:
            marks = [a] + [e[0] for e in evs] + [b]
            i = max(range(len(marks) - 1), key=lambda k: marks[k + 1] - marks[k])
            row["guiEvents"] = {"count": len(evs), "longestWithoutEventMs": round((marks[i + 1] - marks[i]) / 1e6, 1),
                                "after": None if i == 0 else f"{evs[i - 1][2]}:{evs[i - 1][1]}"}
        if stacks and gap > 50:
            row["stacksAt50ms"] = stacks.pop(0)
        row["verdict"] = _verdict(row, gap)
        out.append(row)
    return out


def _verdict(row: dict, gap: float) -> str:
    gui, wk = row.get("gui"), row.get("worker")
    if gui is None:
        return "unknown (no samples)"
    if gui["cpuMs"] >= 0.5 * gap:
        return "gui-work: the GUI thread ran (its own event)"
    runnable = gui["runDelayMs"] + (wk["runDelayMs"] if wk else 0)
    if wk is not None and wk["cpuMs"] >= 0.5 * gap and gui["runDelayMs"] < 0.3 * gap:
        return "gil: the worker ran while the GUI thread waited (not for a CPU)"
    if runnable >= 0.3 * gap or row.get("machine", {}).get("stealMs", 0) >= 0.3 * gap:
        return "machine: threads runnable but not running (run delay / steal)"
    return "blocked: neither ran nor waited for a CPU (faults, I/O, locks)"


if __name__ == "__main__":
    if sys.argv[1:2] == ["sample"]:
        sample_forever(int(sys.argv[2]))
