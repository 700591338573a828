"""Desktop integration (issue 14): the launcher, AppStream metainfo and MIME types validate with the
freedesktop tools, install-desktop.sh installs them (launcher pointing at the program given) and the
desktop then maps the app's file names to its MIME types; the desktop id matches the app's."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app import APP_ID

REPO = Path(__file__).resolve().parents[2]
DESKTOP = REPO / "packaging" / "desktop"


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed (apt: {package})")
        pytest.skip(f"{name} not installed (apt: {package})")
    return found


def _run(argv, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False, **kw)


def test_desktop_file_validates_and_names_the_app():
    desktop = DESKTOP / f"{APP_ID}.desktop"
    out = _run([_tool("desktop-file-validate", "desktop-file-utils"), str(desktop)])
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr
    text = desktop.read_text()
    assert f"Icon={APP_ID}" in text and "Exec=telemetry-inspector %F" in text
    assert "MimeType=application/x-memory-syndicate-profile;" in text


def test_appstream_metainfo_validates():
    out = _run([_tool("appstreamcli", "appstream"), "validate", "--no-net",
                str(DESKTOP / f"{APP_ID}.metainfo.xml")])
    assert out.returncode == 0, out.stdout + out.stderr


def test_install_desktop_installs_everything_and_the_desktop_knows_the_file_types(tmp_path):
    _tool("update-mime-database", "shared-mime-info")
    data = tmp_path / "share"
    exe = tmp_path / "opt with space" / "telemetry-inspector"
    out = _run([str(REPO / "packaging" / "install-desktop.sh"), "--exec", str(exe)],
               env={**os.environ, "XDG_DATA_HOME": str(data)})
    assert out.returncode == 0, out.stdout + out.stderr
    launcher = (data / "applications" / f"{APP_ID}.desktop").read_text()
    assert f'Exec="{exe}" %F' in launcher
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").read_text().lstrip().startswith(("<svg", "<?xml"))
    assert (data / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    # Qt's own MIME database (shared-mime-info) sees the installed types, in a fresh process.
    code = ("from PySide6.QtCore import QMimeDatabase\n"
            "db = QMimeDatabase()\n"
            "for name in ('profile1.localStorage.json', 'save_slot2.json',"
            " 'save-inspector-midgame-summary-20251102T180624Z.json', 'other.json'):\n"
            "    print(db.mimeTypeForFile(name, QMimeDatabase.MatchMode.MatchExtension).name())\n")
    env = {**os.environ, "XDG_DATA_DIRS": f"{data}:/usr/share", "XDG_DATA_HOME": str(data)}
    types = _run([sys.executable, "-c", code], env=env).stdout.split()
    assert types == ["application/x-memory-syndicate-profile", "application/x-memory-syndicate-save",
                     "application/x-memory-syndicate-inspector-summary", "application/json"], types
    out = _run([str(REPO / "packaging" / "install-desktop.sh"), "--uninstall"],
               env={**os.environ, "XDG_DATA_HOME": str(data)})
    assert out.returncode == 0 and not (data / "applications" / f"{APP_ID}.desktop").exists()
