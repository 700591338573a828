"""Harness for the real-browser tests: a local page server and headless Chromium / Firefox
runs with temporary profiles (commands from shared/notes/browsers.md).

The page at ``/<name>`` runs the script registered under that name with the key/value
object ``DATA``; every page reports back by fetching ``/done/<name>`` when its writes are
finished, so tests wait on that event (and on what is on disk), never on the clock.
"""
from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--password-store=basic", "--use-mock-keychain"]
RUN_TIMEOUT_S = 120

WRITE_ALL = "localStorage.clear(); for (const k in DATA) localStorage.setItem(k, DATA[k]);"


def require(binary: str | None, name: str) -> str:
    """The browser binary; skip when it is missing, unless CI is set (then it must be there)."""
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {name} is not installed (packaging/bootstrap.sh installs it)")
        pytest.skip(f"{name} is not installed")
    return binary


class PageServer:
    """``http://127.0.0.1:<port>/<page>``: one script per page over ``DATA``."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[dict, str]] = {}
        self.done: dict[str, threading.Event] = {}
        self.gates: dict[str, threading.Event] = {}   # "/wait/<name>" answers once the gate opens
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                name = self.path.strip("/")
                if name.startswith("done/"):
                    server.done.setdefault(name[5:], threading.Event()).set()
                    body, ctype = b"ok", "text/plain; charset=utf-8"
                elif name.startswith("wait/"):
                    opened = server.gates.setdefault(name[5:], threading.Event()).wait(RUN_TIMEOUT_S)
                    body, ctype = (b"go" if opened else b"timeout"), "text/plain; charset=utf-8"
                elif name in server.pages:
                    body, ctype = server.html(name).encode("utf-8"), "text/html; charset=utf-8"
                else:
                    body, ctype = b"", "text/plain; charset=utf-8"
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    def url(self, name: str) -> str:
        return f"{self.origin}/{name}"

    def page(self, name: str, data: dict, script: str = WRITE_ALL) -> str:
        self.pages[name] = (data, script)
        self.done[name] = threading.Event()
        return self.url(name)

    def html(self, name: str) -> str:
        data, script = self.pages[name]
        blob = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        return ("<!doctype html><html><head><meta charset=\"utf-8\"><title>writer</title></head><body><script>\n"
                f"const DATA = {blob};\n{script}\n"
                f"fetch('/done/{name}').then(() => {{ document.title = 'done'; }});\n</script></body></html>")

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def chromium_run(binary: str, user_data: Path, url: str) -> None:
    """Load ``url`` once and quit cleanly (the profile is ``user_data/Default``)."""
    subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={user_data}", "--virtual-time-budget=5000",
                    "--dump-dom", url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=RUN_TIMEOUT_S, check=True)


def chromium_start(binary: str, user_data: Path, url: str) -> subprocess.Popen:
    """Keep Chromium running on ``url`` (it holds the database's LOCK). End with :func:`stop`."""
    return subprocess.Popen([binary, *CHROMIUM_FLAGS, f"--user-data-dir={user_data}", url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def firefox_run(binary: str, profile: Path, url: str) -> None:
    profile.mkdir(parents=True, exist_ok=True)
    subprocess.run([binary, "--headless", "--no-remote", "--profile", str(profile), "--screenshot",
                    str(profile / "shot.png"), url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=RUN_TIMEOUT_S, check=True, env={**os.environ, "MOZ_HEADLESS": "1"})


def firefox_run_as_installed(binary: str, home: Path, url: str) -> None:
    """Load ``url`` once as a fresh install would, with no ``--profile``: Firefox makes its own
    default profile and ``profiles.ini`` under ``home`` (the layout a user's machine has)."""
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    subprocess.run([binary, "--headless", "--no-remote", "--screenshot", str(home / "shot.png"), url],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=RUN_TIMEOUT_S, check=True,
                   cwd=home, env={**env, "HOME": str(home), "MOZ_HEADLESS": "1"})


def firefox_start(binary: str, profile: Path, url: str) -> subprocess.Popen:
    profile.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([binary, "--headless", "--no-remote", "--profile", str(profile), url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, "MOZ_HEADLESS": "1"})


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """End a browser this test started: its own process group (the browser and its children)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
