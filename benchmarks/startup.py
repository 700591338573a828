"""Start-up benchmark (issue 13): ``python -m inspector_app`` to its first painted window, against
a bare ``QMainWindow`` script (the floor) measured in the same run, interleaved pair by pair.

    .venv/bin/python benchmarks/startup.py [--iterations 10] [--repo PATH] [--label NAME]

Each sample is a fresh process started exactly as a user starts the app (same interpreter,
same environment, ``QT_QPA_PLATFORM=offscreen`` unless a display is set, a throw-away settings
directory). A small hook wraps ``QApplication.exec``: at the first ``Paint`` event of a
top-level window (an event filter on each window shown before ``exec``) the child prints its
peak RSS and exits at once. The parent times from
``Popen`` to that line, so the time includes interpreter start, imports, ``MainWindow()`` and
the first paint. ``--repo`` measures another checkout with the same hook (e.g. an export of an
older commit, for before/after numbers). Targets: ratio ≤ 1.5 for time and for peak RSS.

The machine may be shared: trust the ratios of the interleaved pairs (median and min of the
per-pair ratios), repeat, and say when the load average was high.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from _common import ratio, result_entry, run_metadata, write_results  # noqa: E402

FLOOR_SCRIPT = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow()
w.setWindowTitle("floor")
w.resize(1280, 800)
w.show()
app.exec()
"""


def _report_and_exit(**extra) -> None:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000
    sys.stdout.write(json.dumps({"peak_rss_kb": usage.ru_maxrss, "cpu_ms": cpu_ms, **extra}) + "\n")
    sys.stdout.flush()
    os._exit(0)


def _install_first_paint_hook(first_open: bool = False) -> None:
    """Report peak RSS and leave at the first paint of a top-level window (``first_open``: when
    the main window first shows a slot of the file given on its command line)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    original_exec = QApplication.exec

    class _FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) and obj.isWindow():
                _report_and_exit(painted=True)
            return False

    def exec_with_hook(*_args):
        app = QApplication.instance()
        if first_open:
            main = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "sigSlotShown"))
            main.sigSlotShown.connect(lambda _row: _report_and_exit(shown=True))
            main.sigLoadFailed.connect(lambda path, problem: (sys.stderr.write(f"{path}: {problem}\n"), os._exit(3)))
            return original_exec()
        app._first_paint_filter = _FirstPaint()
        # Watch the windows already shown (both programs show theirs before exec), not the whole
        # application: an application-wide Python filter hands every event of every widget to
        # Python, and converting receivers of Qt-private classes (QDockWidgetTitleButton, the
        # tool bar's extension button, …) makes shiboken resolve every lazy QtWidgets type with
        # its enums (~130 Python enum classes, 20-40 ms) — a cost of the hook, not of the program,
        # and one that grows with the number of widgets, so it inflated the app's side only.
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for w in windows:
            w.installEventFilter(app._first_paint_filter)
        if not windows:  # a program that shows its window later: fall back to watching everything
            app.installEventFilter(app._first_paint_filter)
        return original_exec()  # a static method in Qt: the instance is not passed on

    QApplication.exec = exec_with_hook


def child(kind: str, repo: str, open_path: str | None) -> None:
    sys.path.insert(0, repo)
    _install_first_paint_hook(first_open=kind == "app" and bool(open_path))
    if kind == "floor":
        exec(compile(FLOOR_SCRIPT, "<floor>", "exec"), {"__name__": "__main__"})
    else:
        import runpy

        sys.argv = ["inspector_app", *([open_path] if open_path else [])]
        runpy.run_module("inspector_app", run_name="__main__", alter_sys=True)


def sample(kind: str, repo: Path, env: dict, open_path: str | None = None) -> tuple[float, float, float]:
    """(ms to first paint — or to the first slot shown of ``open_path`` —, peak RSS MiB, CPU ms of
    the process until then) of one fresh process."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--repo", str(repo)]
    if open_path:
        cmd += ["--open", open_path]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(repo), text=True)
    line = proc.stdout.readline()
    elapsed = (time.perf_counter() - t0) * 1000
    _out, err = proc.communicate(timeout=60)
    if not line.strip():
        raise SystemExit(f"{kind} child did not paint (exit {proc.returncode}):\n{err[-2000:]}")
    report = json.loads(line)
    return elapsed, report["peak_rss_kb"] / 1024, report["cpu_ms"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--repo", default=str(REPO), help="checkout whose inspector_app to start (default: this one)")
    ap.add_argument("--label", default="", help="suffix of the benchmark names (e.g. 'before')")
    ap.add_argument("--no-write", action="store_true", help="print only")
    ap.add_argument("--open", metavar="PATH", help="time the app to the first slot shown of PATH (given on its "
                                                     "command line) instead of its first paint")
    ap.add_argument("--baseline", metavar="REPO", help="pair the app with the app of another checkout (same "
                                                        "arguments) instead of the bare window, e.g. before/after")
    ap.add_argument("--child", choices=("app", "floor"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.repo, args.open)
        return 0

    repo = Path(args.repo).resolve()
    open_path = str(Path(args.open).resolve()) if args.open else None
    baseline = Path(args.baseline).resolve() if args.baseline else None

    def floor_sample(env):
        return sample("app", baseline, env, open_path) if baseline else sample("floor", repo, env)

    with tempfile.TemporaryDirectory(prefix="startup-bench-") as home:
        env = dict(os.environ)
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
            env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["XDG_CONFIG_HOME"] = os.path.join(home, "config")
        env["XDG_DATA_HOME"] = os.path.join(home, "data")
        env["XDG_CACHE_HOME"] = os.path.join(home, "cache")
        for name in ("TELEMETRY_INSPECTOR_CONFIG_DIR", "TELEMETRY_INSPECTOR_DATA_DIR", "TELEMETRY_INSPECTOR_CACHE_DIR"):
            env.pop(name, None)  # the directories are found the way a user's are (platformdirs)
        if not sys.platform.startswith("linux"):  # where the XDG variables do not move them
            env["TELEMETRY_INSPECTOR_CONFIG_DIR"] = os.path.join(home, "config", "telemetry-inspector")
            env["TELEMETRY_INSPECTOR_DATA_DIR"] = os.path.join(home, "data", "telemetry-inspector")
        sample("app", repo, env, open_path)  # warm the OS file cache once for both
        floor_sample(env)
        app_ms, app_mib, app_cpu, floor_ms, floor_mib, floor_cpu = [], [], [], [], [], []
        for i in range(args.iterations):
            order = ("app", "floor") if i % 2 == 0 else ("floor", "app")
            for kind in order:
                ms, mib, cpu = sample("app", repo, env, open_path) if kind == "app" else floor_sample(env)
                (app_ms if kind == "app" else floor_ms).append(ms)
                (app_mib if kind == "app" else floor_mib).append(mib)
                (app_cpu if kind == "app" else floor_cpu).append(cpu)
            print(f"pair {i + 1}: app {app_ms[-1]:.0f} ms {app_mib[-1]:.0f} MiB {app_cpu[-1]:.0f} ms CPU | "
                  f"floor {floor_ms[-1]:.0f} ms {floor_mib[-1]:.0f} MiB {floor_cpu[-1]:.0f} ms CPU", flush=True)

    time_ratios = [a / f for a, f in zip(app_ms, floor_ms)]
    mem_ratios = [a / f for a, f in zip(app_mib, floor_mib)]
    cpu_ratios = [a / f for a, f in zip(app_cpu, floor_cpu)]
    suffix = f"-{args.label}" if args.label else ""
    prefix = "first-open" if open_path else "startup"
    floor_kind = f"the app of {baseline}" if baseline else "a bare QMainWindow"
    benchmarks = {
        (f"first-open-first-slot-shown{suffix}" if open_path else f"startup-first-paint{suffix}"): result_entry(
            app_ms, floor=result_entry(floor_ms)["timing"], ratioMedianOfPairs=round(statistics.median(time_ratios), 3),
            ratioMinOfPairs=round(min(time_ratios), 3),
            ratioOfMedians=ratio(statistics.median(app_ms), statistics.median(floor_ms)),
            **({} if baseline else {"target": 1.5}), repo=str(repo), floorIs=floor_kind,
            **({"opened": open_path} if open_path else {})),
        f"{prefix}-peak-rss-mib{suffix}": {
            "iterations": len(app_mib),
            "timing": result_entry(app_mib)["timing"],  # MiB, not ms: same statistics shape
            "unit": "MiB",
            "floor": result_entry(floor_mib)["timing"],
            "ratioMedianOfPairs": round(statistics.median(mem_ratios), 3),
            **({} if baseline else {"target": 1.5}),
        },
        # CPU time (user + system) of the process until its first paint: less sensitive than the
        # wall clock to other processes on a shared machine
        f"{prefix}-cpu-ms{suffix}": result_entry(
            app_cpu, floor=result_entry(floor_cpu)["timing"], ratioMedianOfPairs=round(statistics.median(cpu_ratios), 3),
            ratioMinOfPairs=round(min(cpu_ratios), 3)),
    }
    print(f"floor: {floor_kind}" + (f"; app and floor open {open_path}" if open_path else ""))
    print(f"time: app median {statistics.median(app_ms):.0f} ms, floor {statistics.median(floor_ms):.0f} ms, "
          f"ratio median-of-pairs {statistics.median(time_ratios):.2f} (min {min(time_ratios):.2f})")
    print(f"CPU until {'the first slot shown' if open_path else 'first paint'}: app median {statistics.median(app_cpu):.0f} ms, floor "
          f"{statistics.median(floor_cpu):.0f} ms, ratio median-of-pairs {statistics.median(cpu_ratios):.2f} "
          f"(min {min(cpu_ratios):.2f})")
    print(f"peak RSS: app median {statistics.median(app_mib):.0f} MiB, floor {statistics.median(floor_mib):.0f} MiB, "
          f"ratio {statistics.median(mem_ratios):.2f}")
    if not args.no_write:
        print("wrote", write_results("startup", benchmarks, metadata=run_metadata(
            pythondontwritebytecode=os.environ.get("PYTHONDONTWRITEBYTECODE", ""))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
