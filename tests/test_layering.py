"""The domain core and the CLIs never import Qt (directly or through a dependency), so they run
headless and in CI; the UI is the only layer that may."""
from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import inspector_app.core

REPO = Path(__file__).resolve().parents[1]


def _core_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(inspector_app.core.__path__, "inspector_app.core."))


def test_every_core_module_and_cli_imports_without_qt():
    modules = _core_modules() + ["inspector_app.cli.validate", "inspector_app.cli.export", "inspector_app.cli.playtest"]
    assert len(modules) > 30
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"Qt reached the core through: {out.stdout.strip()}"


def test_version_flag():
    out = subprocess.run([sys.executable, "-m", "inspector_app", "--version"], capture_output=True, text=True,
                         cwd=REPO, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("telemetry-inspector ")
