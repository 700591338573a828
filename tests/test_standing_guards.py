"""The standing guards from pyproject.toml, run like any test so a change that breaks them fails
before it lands: ruff (lint rules), import-linter (layer contracts), mypy (the Qt-free core)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    exe = BIN / name
    if exe.exists():
        return str(exe)
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed (the dev extra: pip install -e '.[dev]')")
    pytest.skip(f"{name} not installed (pip install -e '.[dev]')")


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)


def test_ruff_finds_nothing():
    out = _run(_tool("ruff"), "check", "--no-cache", "--output-format", "concise", ".")
    assert out.returncode == 0, f"ruff check found problems (fix them, or `ruff check --fix`):\n{out.stdout}{out.stderr}"


def test_import_layer_contracts_are_kept():
    env_path = f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    out = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=REPO, capture_output=True, text=True,
                         timeout=300, check=False, env={**os.environ, "PYTHONPATH": env_path})
    assert out.returncode == 0, f"import-linter contracts broken:\n{out.stdout[-4000:]}{out.stderr}"
    assert "0 broken" in out.stdout


def test_mypy_passes_on_the_core():
    out = _run(_tool("mypy"))
    assert out.returncode == 0, f"mypy on inspector_app/core:\n{out.stdout[-6000:]}{out.stderr}"
    assert "Success" in out.stdout
