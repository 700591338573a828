"""What each thread did during the GUI thread's long gaps (``open_document.py --diagnose``).

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
