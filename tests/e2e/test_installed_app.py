"""End-to-end, as a user starts it: the INSTALLED ``telemetry-inspector`` entry point under a real
X server (Xvfb, not offscreen) with a fixture profile on its command line. Waits for the window,
takes a screenshot of the screen and checks the slot list shows the profile's slots (against the
rectangle the app reports with --report-state), exports with the keyboard (Ctrl+E, then the
dialog's default button) and checks the files, closes the dialog (Escape) and quits (Ctrl+Q) with
a clean exit code.

The entry point: ``$TELEMETRY_INSPECTOR_E2E_BIN`` (packaging/check-install.sh installs the wheel
into a fresh virtualenv and .ci/run points this at it), else ``telemetry-inspector`` on PATH.
Skips when Xvfb, xdotool, xwd or the entry point are missing and CI is unset; fails under CI.
"""
from __future__ import annotations

import importlib.util
import os
import random
import shutil
import subprocess
import time
from pathlib import Path

import orjson
import pytest

from inspector_app.core.common.userdirs import config_dir

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.e2e, pytest.mark.slow]
DEADLINE_S = 90


def _require(ok: bool, why: str) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {why}")
        pytest.skip(why)


def _screencheck():
    spec = importlib.util.spec_from_file_location("screencheck", REPO / "packaging" / "screencheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _App:
    """The app under test, and what a red CI needs to tell why without reproducing: its output
    (in files, so a chatty app can never block on a full pipe), a screenshot of the X screen at
    the moment of the failure, and the listing of the folders involved."""

    def __init__(self, proc: subprocess.Popen, display: str, tmp_path: Path, out_dir: Path):
        self.proc, self.display, self.tmp_path, self.out_dir = proc, display, tmp_path, out_dir

    def output(self, name: str) -> str:
        path = self.tmp_path / f"app-{name}.txt"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def diagnosis(self) -> str:
        lines = [f"app: {'running' if self.proc.poll() is None else f'exited with {self.proc.returncode}'}"]
        shot = self.tmp_path / "failure-screen.png"
        try:
            xwd = self.tmp_path / "failure-screen.xwd"
            with open(xwd, "wb") as fh:
                subprocess.run(["xwd", "-root", "-silent", "-display", self.display], stdout=fh, check=True,
                               timeout=60)
            _screencheck().write_png(_screencheck().read_xwd(xwd), shot)
            lines.append(f"screen at the failure: {shot}")
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            lines.append(f"no screenshot of the failure: {exc}")
        windows = _xdo(self.display, "search", "--onlyvisible", "--name", ".")
        titles = [_xdo(self.display, "getwindowname", w) for w in windows.splitlines()]
        lines.append(f"visible windows: {titles}")
        for folder in (self.out_dir, self.tmp_path):
            listing = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else "missing"
            lines.append(f"{folder}: {listing}")
        state = self.tmp_path / "state.json"
        if state.exists():
            lines.append(f"what the app reported (--report-state): {state.read_text(errors='replace')[:2000]}")
        for name in ("stderr", "stdout"):
            lines.append(f"--- the app's {name} (last 4000 characters) ---\n{self.output(name)[-4000:]}")
        return "\n".join(lines)

    def fail(self, why: str):
        pytest.fail(f"{why}\n{self.diagnosis()}", pytrace=False)

    def wait_for(self, condition, what: str):
        """Poll ``condition`` until it returns something truthy (the app runs in another process, so
        there is no Qt signal to wait on); fail with ``what`` at the deadline or if the app died."""
        deadline = time.monotonic() + DEADLINE_S
        while True:
            value = condition()
            if value:
                return value
            if self.proc.poll() is not None:
                self.fail(f"the app exited with {self.proc.returncode} while waiting for {what}")
            if time.monotonic() > deadline:
                self.fail(f"timed out after {DEADLINE_S} s waiting for {what}")
            time.sleep(0.05)


@pytest.fixture
def xserver(tmp_path):
    for tool in ("Xvfb", "xdotool", "xwd"):
        _require(shutil.which(tool) is not None, f"{tool} is not installed (apt: xvfb xdotool x11-apps)")
    # A display of our own, away from :0 and the low numbers other tools pick (xvfb-run -a: 99). A
    # number free a moment ago can be taken before this server binds it (another run's Xvfb): then
    # that server exits without writing to -displayfd, and the next free number is tried.
    log = tmp_path / "xvfb.log"
    tried = []
    for number in (n for n in random.sample(range(200, 1000), 800) if not os.path.exists(f"/tmp/.X{n}-lock")):
        read, write = os.pipe()
        with open(log, "ab") as err:
            xvfb = subprocess.Popen(["Xvfb", f":{number}", "-displayfd", str(write), "-screen", "0", "1440x900x24",
                                     "-nolisten", "tcp", "-noreset"],
                                    pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=err)
        os.close(write)
        with os.fdopen(read) as fh:
            ready = fh.readline().strip()               # written once the server accepts connections
        if ready:
            break
        tried.append(f":{number} (exit {xvfb.wait()})")
        if len(tried) == 5:
            pytest.fail(f"Xvfb did not start on {tried}: {log.read_text(errors='replace')[-2000:]}")
    yield f":{ready}"
    xvfb.terminate()
    xvfb.wait(timeout=30)


@pytest.fixture
def installed_app() -> str:
    exe = os.environ.get("TELEMETRY_INSPECTOR_E2E_BIN") or shutil.which("telemetry-inspector")
    _require(bool(exe) and Path(exe).is_file(), "no installed telemetry-inspector entry point "
             "(set TELEMETRY_INSPECTOR_E2E_BIN; packaging/check-install.sh makes one)")
    return str(Path(exe).resolve())


def _wait_quietly(condition) -> bool:
    """Poll ``condition`` until it holds (True) or the deadline passes (False)."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _xdo(display: str, *args: str) -> str:
    out = subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display}, capture_output=True,
                         text=True, timeout=DEADLINE_S, check=False)
    return out.stdout.strip() if out.returncode == 0 else ""


def _window(display: str, title_regex: str) -> str:
    found = _xdo(display, "search", "--onlyvisible", "--name", title_regex)
    return found.splitlines()[0] if found else ""


def _focus_and_key(display: str, window: str, key: str) -> None:
    # No window manager under Xvfb: give the window the input focus directly, then type.
    _xdo(display, "windowfocus", "--sync", window)
    _xdo(display, "key", "--clearmodifiers", key)


def test_installed_app_shows_the_profile_exports_by_keyboard_and_quits_cleanly(
        xserver, installed_app, game_fixtures, tmp_path):
    profile = game_fixtures / "localstorage" / "profile1-main-session.localStorage.json"
    out_dir = tmp_path / "reports"
    out_dir.mkdir()
    # A returning QA user: the export dialog remembers its folder and formats (settings.ini).
    settings = config_dir() / "settings.ini"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f"[export]\noutDir={out_dir}\nformats=json, csv\npublish=false\n", encoding="utf-8")
    state = tmp_path / "state.json"
    env = {**os.environ, "DISPLAY": xserver, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    with open(tmp_path / "app-stdout.txt", "wb") as out, open(tmp_path / "app-stderr.txt", "wb") as err:
        proc = subprocess.Popen([installed_app, str(profile), "--report-state", str(state)], env=env, cwd=tmp_path,
                                stdout=out, stderr=err)
    app = _App(proc, xserver, tmp_path, out_dir)
    try:
        main = app.wait_for(lambda: _window(xserver, "Telemetry Inspector$"), "the main window")
        app.wait_for(state.exists, "the profile to load")       # written atomically once loaded and shown
        reported = orjson.loads(state.read_bytes())
        assert reported["slotList"]["rows"] == 4, app.diagnosis()   # autosave, _before-memory-parlor, _slot1, _slot2
        assert "profile1-main-session" in reported["title"], app.diagnosis()

        # The report is written once the window shows the loaded profile; the X server shows the
        # repainted slot list a frame or so later: look until the screen shows the slots (or the deadline).
        screen, png = tmp_path / "screen.xwd", tmp_path / "screen.png"
        last = [""]

        def screen_shows_the_slots() -> bool:
            with open(screen, "wb") as fh:
                subprocess.run(["xwd", "-root", "-silent", "-display", xserver], stdout=fh, check=True, timeout=60)
            ok, last[0] = _screencheck().check(screen, state, png)
            return ok

        if not _wait_quietly(screen_shows_the_slots):
            app.fail(f"the screen does not show the loaded slots: {last[0]} (see {png})")

        _focus_and_key(xserver, main, "ctrl+e")
        dialog = app.wait_for(lambda: _window(xserver, "^Export report$"), "the export dialog")
        _focus_and_key(xserver, dialog, "Return")                # the default button: Export

        def written_both():
            # The writer renames each finished file into place one after another: wait for both formats,
            # not for the first file to appear (the JSON once arrived alone and the CSV a moment later).
            names = sorted(p.name for p in out_dir.iterdir()
                           if p.suffix in (".json", ".csv") and not p.name.startswith("."))
            has_json = any(n.endswith(".json") and "summary" in n for n in names)
            has_csv = any(n.endswith(".csv") for n in names)
            return names if has_json and has_csv else None

        written = app.wait_for(written_both, "the exported JSON summary and CSV")
        assert any(n.endswith(".json") and "summary" in n for n in written), written
        assert any(n.endswith(".csv") for n in written), written
        summary = next(out_dir.glob("*summary*.json"))
        assert orjson.loads(summary.read_bytes())                # complete, parseable JSON

        _focus_and_key(xserver, dialog, "Escape")
        app.wait_for(lambda: not _window(xserver, "^Export report$"), "the export dialog to close")
        _focus_and_key(xserver, main, "ctrl+q")
        try:
            code = proc.wait(timeout=DEADLINE_S)
        except subprocess.TimeoutExpired:
            app.fail(f"the app did not quit within {DEADLINE_S} s of Ctrl+Q")
        stderr = app.output("stderr")
        assert code == 0, f"exit code {code}: {stderr[-2000:]}"
        assert "Traceback" not in stderr, stderr[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
