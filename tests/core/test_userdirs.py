"""core/common/userdirs: one lookup of the user's folders, right on every platform, overrides honoured."""
from __future__ import annotations

from pathlib import Path

import platformdirs.macos
import platformdirs.unix
import platformdirs.windows
import pytest

from inspector_app.core.common import userdirs
from inspector_app.core.metrics.budgets import user_budgets_path
from inspector_app.core.metrics.history_log import history_path
from inspector_app.core.metrics.index import default_index_path


def test_linux_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setattr(userdirs, "_PLATFORM", platformdirs.unix.Unix)
    monkeypatch.delenv(userdirs.DATA_ENV)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var))
    assert userdirs.config_dir() == tmp_path / "XDG_CONFIG_HOME" / "telemetry-inspector"
    assert userdirs.data_dir() == tmp_path / "XDG_DATA_HOME" / "telemetry-inspector"
    assert userdirs.cache_dir() == tmp_path / "XDG_CACHE_HOME" / "telemetry-inspector"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert userdirs.config_dir() == tmp_path / "home" / ".config" / "telemetry-inspector"


def test_macos_uses_library_not_dot_config(monkeypatch, tmp_path):
    monkeypatch.setattr(userdirs, "_PLATFORM", platformdirs.macos.MacOS)
    monkeypatch.delenv(userdirs.DATA_ENV)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):  # platformdirs honours them on macOS too
        monkeypatch.delenv(var)
    monkeypatch.setenv("HOME", str(tmp_path))
    support = tmp_path / "Library" / "Application Support" / "telemetry-inspector"
    assert userdirs.config_dir() == support and userdirs.data_dir() == support
    assert userdirs.cache_dir() == tmp_path / "Library" / "Caches" / "telemetry-inspector"
    assert ".config" not in user_budgets_path().parts


def test_windows_uses_appdata_not_dot_config(monkeypatch, tmp_path):
    monkeypatch.setattr(userdirs, "_PLATFORM", platformdirs.windows.Windows)
    monkeypatch.delenv(userdirs.DATA_ENV)
    local = tmp_path / "AppData" / "Local"
    monkeypatch.setenv("LOCALAPPDATA", str(local))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData" / "Roaming"))
    # platformdirs reads the shell folders through the Windows API; off Windows it uses these variables
    monkeypatch.setattr(platformdirs.windows, "get_win_folder",
                        lambda csidl: str(local if csidl == "CSIDL_LOCAL_APPDATA" else tmp_path / "AppData" / "Roaming"))
    assert Path(userdirs.config_dir()) == local / "telemetry-inspector"
    assert Path(userdirs.data_dir()) == local / "telemetry-inspector"
    assert Path(userdirs.cache_dir()) == local / "telemetry-inspector" / "Cache"


@pytest.mark.parametrize("variable, lookup", [
    (userdirs.CONFIG_ENV, userdirs.config_dir), (userdirs.DATA_ENV, userdirs.data_dir), (userdirs.CACHE_ENV, userdirs.cache_dir),
])
def test_override_variables_win_and_empty_means_unset(monkeypatch, tmp_path, variable, lookup):
    monkeypatch.setenv(variable, str(tmp_path / "explicit"))
    assert lookup() == tmp_path / "explicit"
    monkeypatch.setenv(variable, "")
    assert lookup() != tmp_path / "explicit" and lookup().name == "telemetry-inspector"


def test_every_user_file_goes_through_the_one_lookup(monkeypatch, tmp_path):
    """budgets.json used to ignore the override variable; settings, history and the index agree too."""
    monkeypatch.setenv(userdirs.CONFIG_ENV, str(tmp_path / "cfg"))
    monkeypatch.setenv(userdirs.DATA_ENV, str(tmp_path / "data"))
    assert user_budgets_path() == tmp_path / "cfg" / "budgets.json"
    assert history_path().parent == tmp_path / "data" and default_index_path().parent == tmp_path / "data"


def test_qsettings_file_lives_in_the_config_dir(monkeypatch, tmp_path, qapp):
    from inspector_app.ui.settings import app_settings

    monkeypatch.setenv(userdirs.CONFIG_ENV, str(tmp_path / "cfg"))
    assert Path(app_settings().fileName()) == tmp_path / "cfg" / "settings.ini"
