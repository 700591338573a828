"""Shared test set-up: offscreen Qt, settings isolation, the ../shared fixtures."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt's own file dialogs (drivable by tests); the app uses the desktop's native ones
os.environ.setdefault("TELEMETRY_INSPECTOR_NON_NATIVE_DIALOGS", "1")

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (CI's clean clone); TELEMETRY_INSPECTOR_SHARED points elsewhere (a worktree).
SHARED = Path(os.environ.get("TELEMETRY_INSPECTOR_SHARED") or REPO.parent / "shared")
GAME_FIXTURES = SHARED / "fixtures" / "game"
GAME_REPO_FIXTURES = SHARED / "fixtures" / "game-repo"


def _require_shared(path: Path) -> Path:
    """Fixtures may be skipped only when ../shared is absent *and* CI is unset."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the shared fixtures are missing: {path}")
        pytest.skip(f"shared fixtures not present: {path}")
    return path


@pytest.fixture(scope="session")
def game_fixtures() -> Path:
    return _require_shared(GAME_FIXTURES)


@pytest.fixture(scope="session")
def game_repo_fixtures() -> Path:
    return _require_shared(GAME_REPO_FIXTURES)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    """Every test gets its own QSettings / data directory, so nothing leaks between tests
    or into the developer's real settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("TELEMETRY_INSPECTOR_DATA_DIR", str(home / "data" / "telemetry-inspector"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("TELEMETRY_INSPECTOR_CONFIG_DIR", raising=False)  # a developer's own must not leak in
    monkeypatch.delenv("TELEMETRY_INSPECTOR_CACHE_DIR", raising=False)
    yield
