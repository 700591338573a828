"""Bundle start-up benchmark (issue 14): time from launching the program to its first shown window,
for the PyInstaller bundle against ``python -m inspector_app`` from the checkout, with a floor
measured in the same run: a bare PySide6 QMainWindow (what any PySide6 app pays).

    .venv/bin/python benchmarks/startup_bundle.py --bundle dist/telemetry-inspector/telemetry-inspector [--runs 5]

benchmarks/startup.py (issue 13) times ``python -m inspector_app`` to its first paint with a hook
inside the process; a frozen bundle cannot take that hook, so this one watches from outside: it
runs under its own Xvfb (not offscreen: a real X window must be mapped); "shown" = xdotool finds a
visible window with the expected title (polled every 20 ms). Variants are interleaved, so load
from other processes hits all of them alike; trust the ratios. Needs Xvfb and xdotool.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from _common import format_timing, ratio, result_entry, run_metadata, timing_stats, write_results  # noqa: E402

FLOOR = ("from PySide6.QtWidgets import QApplication, QMainWindow\n"
         "app = QApplication([])\nw = QMainWindow()\nw.setWindowTitle('startup-floor')\nw.resize(800, 600)\n"
         "w.show()\napp.exec()\n")
POLL_S = 0.02


def start_xvfb() -> tuple[subprocess.Popen, str]:
    read, write = os.pipe()
    # A display of our own, away from :0 and the low numbers other tools pick (xvfb-run -a: 99).
    number = next(n for n in random.sample(range(200, 1000), 800) if not os.path.exists(f"/tmp/.X{n}-lock"))
    xvfb = subprocess.Popen(["Xvfb", f":{number}", "-displayfd", str(write), "-screen", "0", "1440x900x24",
                             "-nolisten", "tcp", "-noreset"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        ready = fh.readline().strip()         # written once the server accepts connections
    if not ready:
        raise RuntimeError(f"Xvfb :{number} did not start (exit {xvfb.wait()})")
    return xvfb, f":{ready}"


def time_to_window(argv: list[str], title: str, env: dict[str, str], timeout_s: float = 60.0) -> float:
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            while True:
                found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", title], env=env,
                                       capture_output=True, check=False)
                if found.returncode == 0 and found.stdout.strip():
                    return (time.perf_counter() - started) * 1000.0
                if proc.poll() is not None:
                    errors.seek(0)
                    tail = errors.read().decode(errors="replace")[-3000:]
                    raise RuntimeError(f"{argv[:3]} exited with {proc.returncode} before showing a window:\n{tail}")
                if time.perf_counter() - started > timeout_s:
                    raise TimeoutError(f"no window titled {title!r} after {timeout_s} s")
                time.sleep(POLL_S)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bundle", required=True, help="the bundle's telemetry-inspector executable")
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    bundle = Path(args.bundle).resolve()
    xvfb, display = start_xvfb()
    home = Path(os.environ.get("TMPDIR", "/tmp")) / f"startup-bench-{os.getpid()}"
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_DATA_HOME": str(home / "data"), "TELEMETRY_INSPECTOR_DATA_DIR": str(home / "data" / "ti"),
           "PYTHONPATH": str(REPO)}
    variants = {
        "startup_bundle": ([str(bundle)], "Telemetry Inspector"),
        "startup_python_m": ([sys.executable, "-m", "inspector_app"], "Telemetry Inspector"),
        "startup_floor_bare_pyside6_window": ([sys.executable, "-c", FLOOR], "startup-floor"),
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    try:
        for name, (cmd, title) in variants.items():      # one warm-up each (page cache), not counted
            time_to_window(cmd, title, env)
        for i in range(args.runs):
            order = list(variants)[i % 3:] + list(variants)[:i % 3]
            for name in order:
                cmd, title = variants[name]
                samples[name].append(time_to_window(cmd, title, env))
    finally:
        xvfb.terminate()
        xvfb.wait()
    floor = timing_stats(samples["startup_floor_bare_pyside6_window"])
    size_mb = sum(f.lstat().st_size for f in bundle.parent.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6
    results = {}
    for name, ms in samples.items():
        stats = timing_stats(ms)
        extra = {"floor": "startup_floor_bare_pyside6_window", "ratio_to_floor": ratio(stats["median"], floor["median"])}
        if name == "startup_bundle":
            extra["bundle_size_mb"] = round(size_mb, 1)
            extra["ratio_to_python_m"] = ratio(stats["median"], timing_stats(samples["startup_python_m"])["median"])
        results[name] = result_entry(ms, **extra)
        print(f"{name:36s} median={stats['median']:.0f} ms  {format_timing(stats)}  x{extra['ratio_to_floor']} floor")
    print(f"bundle size: {size_mb:.0f} MB unpacked ({bundle.parent})")
    path = write_results("startup_bundle", results, metadata=run_metadata(display="Xvfb", runs=args.runs))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
