"""Where browsers keep their profiles, and what a user-chosen folder is.

Standard places on Linux (native, Snap, Flatpak), macOS and Windows for Chromium, Chrome,
Edge, Brave and Firefox. Nothing here reads a database; it only looks at folder layouts.

No Qt here.
"""
from __future__ import annotations

import configparser
import os
import sys
from dataclasses import dataclass
from pathlib import Path

CHROMIUM, FIREFOX = "chromium", "firefox"

# (browser name, path of the user-data folder relative to the base) per platform family
_CHROMIUM_LINUX = [
    ("Chromium", ".config/chromium"),
    ("Chrome", ".config/google-chrome"),
    ("Chrome Beta", ".config/google-chrome-beta"),
    ("Chrome Dev", ".config/google-chrome-unstable"),
    ("Edge", ".config/microsoft-edge"),
    ("Edge Beta", ".config/microsoft-edge-beta"),
    ("Brave", ".config/BraveSoftware/Brave-Browser"),
    ("Vivaldi", ".config/vivaldi"),
    ("Chromium (Snap)", "snap/chromium/common/chromium"),
    ("Chromium (Flatpak)", ".var/app/org.chromium.Chromium/config/chromium"),
    ("Chrome (Flatpak)", ".var/app/com.google.Chrome/config/google-chrome"),
    ("Edge (Flatpak)", ".var/app/com.microsoft.Edge/config/microsoft-edge"),
    ("Brave (Flatpak)", ".var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser"),
]
_CHROMIUM_MAC = [
    ("Chromium", "Library/Application Support/Chromium"),
    ("Chrome", "Library/Application Support/Google/Chrome"),
    ("Chrome Canary", "Library/Application Support/Google/Chrome Canary"),
    ("Edge", "Library/Application Support/Microsoft Edge"),
    ("Brave", "Library/Application Support/BraveSoftware/Brave-Browser"),
]
_CHROMIUM_WINDOWS = [   # relative to %LOCALAPPDATA%
    ("Chromium", "Chromium/User Data"),
    ("Chrome", "Google/Chrome/User Data"),
    ("Edge", "Microsoft/Edge/User Data"),
    ("Brave", "BraveSoftware/Brave-Browser/User Data"),
]
_FIREFOX_LINUX = [
    ("Firefox", ".mozilla/firefox"),
    ("Firefox", ".config/mozilla/firefox"),      # newer Firefox (ESR 153 here) on a new install: XDG
    ("Firefox (Snap)", "snap/firefox/common/.mozilla/firefox"),
    ("Firefox (Flatpak)", ".var/app/org.mozilla.firefox/.mozilla/firefox"),
    ("LibreWolf", ".librewolf"),
]
_FIREFOX_MAC = [("Firefox", "Library/Application Support/Firefox")]
_FIREFOX_WINDOWS = [("Firefox", "Mozilla/Firefox")]   # relative to %APPDATA%


@dataclass(frozen=True)
class BrowserProfile:
    """One browser profile that has localStorage on disk."""

    browser: str          # "Chromium", "Firefox (Snap)", ...
    engine: str           # CHROMIUM | FIREFOX
    name: str             # profile name as the browser shows it: Firefox's profiles.ini ``Name=``
                          # ("default-esr"), Chromium's Local State ("Work"); else the folder's name
                          # ("Default", "Profile 1", "abcd.default-esr")
    profile_dir: Path
    storage_dir: Path     # Chromium: .../Local Storage/leveldb; Firefox: .../storage/default

    @property
    def label(self) -> str:
        return f"{self.browser} · {self.name}"

    @property
    def folder_name(self) -> str:
        """The profile's folder (``abcd1234.default-esr``), which ``name`` may not show."""
        return self.profile_dir.name


# --------------------------------------------------------------------------- layouts
def chromium_leveldb(profile_dir: Path) -> Path:
    return profile_dir / "Local Storage" / "leveldb"


def firefox_default_storage(profile_dir: Path) -> Path:
    return profile_dir / "storage" / "default"


LOCAL_STATE_MAX_BYTES = 8 * 1024 * 1024    # Chromium's "Local State" is ~10-100 KB; anything bigger is not it


def chromium_profile_names(user_data: Path) -> dict[str, str]:
    """Chromium's ``Local State`` (``profile.info_cache``): each profile folder's name as the
    browser's profile menu shows it ("Work", "Your Chromium"). Empty when unreadable."""
    import orjson   # only when a Local State is read (the window checks folders with this module)

    try:
        with open(user_data / "Local State", "rb") as fh:
            raw = fh.read(LOCAL_STATE_MAX_BYTES + 1)
        state = orjson.loads(raw) if len(raw) <= LOCAL_STATE_MAX_BYTES else None
    except (OSError, orjson.JSONDecodeError):
        return {}
    cache = state.get("profile", {}).get("info_cache") if isinstance(state, dict) and \
        isinstance(state.get("profile"), dict) else None
    if not isinstance(cache, dict):
        return {}
    return {folder: info["name"].strip() for folder, info in cache.items()
            if isinstance(info, dict) and isinstance(info.get("name"), str) and info["name"].strip()}


def _chromium_profiles(browser: str, user_data: Path) -> list[BrowserProfile]:
    out: list[BrowserProfile] = []
    try:
        children = sorted(p for p in user_data.iterdir() if p.is_dir())
    except OSError:
        return out
    names: dict[str, str] | None = None
    for child in children:
        if chromium_leveldb(child).is_dir():
            if names is None:
                names = chromium_profile_names(user_data)
            out.append(BrowserProfile(browser, CHROMIUM, names.get(child.name) or child.name, child,
                                      chromium_leveldb(child)))
    return out


def _chromium_profile(browser: str, profile_dir: Path, storage_dir: Path) -> BrowserProfile:
    """A chosen Chromium profile folder, named as its user-data folder's ``Local State`` names it."""
    name = chromium_profile_names(profile_dir.parent).get(profile_dir.name) or profile_dir.name
    return BrowserProfile(browser, CHROMIUM, name, profile_dir, storage_dir)


def firefox_profile_names(root: Path) -> dict[Path, str]:
    """``profiles.ini`` of a Firefox root: each registered profile folder and its ``Name=``
    (the name Firefox's profile manager and ``about:profiles`` show). Empty without the file."""
    ini = root / "profiles.ini"
    names: dict[Path, str] = {}
    if not ini.is_file():
        return names
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        parser.read(ini, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return names
    for section in parser.sections():
        if not section.startswith("Profile") or not parser.has_option(section, "Path"):
            continue
        rel = parser.get(section, "Path")
        relative = parser.get(section, "IsRelative", fallback="1") == "1"
        folder = (root / rel) if relative else Path(rel)
        names[folder] = parser.get(section, "Name", fallback="").strip() or folder.name
    return names


def _firefox_profile_dirs(root: Path) -> dict[Path, str]:
    """The profile folders of a Firefox root that have localStorage, with their names."""
    registered = firefox_profile_names(root)
    found = list(registered)
    for base in (root, root / "Profiles"):
        try:
            found.extend(p for p in base.iterdir() if p.is_dir())
        except OSError:
            pass
    unique: dict[Path, str] = {}
    for p in found:
        if p not in unique and firefox_default_storage(p).is_dir():
            unique[p] = registered.get(p) or p.name
    return dict(sorted(unique.items()))


def _firefox_profiles(browser: str, root: Path) -> list[BrowserProfile]:
    return [BrowserProfile(browser, FIREFOX, name, p, firefox_default_storage(p))
            for p, name in _firefox_profile_dirs(root).items()]


def _firefox_profile_name(profile_dir: Path) -> str:
    """A chosen Firefox profile folder's name in the ``profiles.ini`` beside it (Linux) or one
    level up (``Profiles/`` on macOS and Windows); the folder's name when it is not registered."""
    try:
        resolved = profile_dir.resolve()
    except OSError:
        return profile_dir.name
    for root in (resolved.parent, resolved.parent.parent):
        for folder, name in firefox_profile_names(root).items():
            if folder.resolve() == resolved:
                return name
    return profile_dir.name


def standard_locations(home: Path | None = None, env: dict[str, str] | None = None,
                       platform: str | None = None) -> list[tuple[str, str, Path]]:
    """(browser, engine, folder) of every standard place for this platform (existing or not)."""
    home = Path.home() if home is None else home
    env = dict(os.environ) if env is None else env
    platform = sys.platform if platform is None else platform
    out: list[tuple[str, str, Path]] = []
    if platform.startswith("win"):
        local = Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local")
        roaming = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
        out += [(b, CHROMIUM, local / rel) for b, rel in _CHROMIUM_WINDOWS]
        out += [(b, FIREFOX, roaming / rel) for b, rel in _FIREFOX_WINDOWS]
    elif platform == "darwin":
        out += [(b, CHROMIUM, home / rel) for b, rel in _CHROMIUM_MAC]
        out += [(b, FIREFOX, home / rel) for b, rel in _FIREFOX_MAC]
    else:
        config = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else None
        for engine, places in ((CHROMIUM, _CHROMIUM_LINUX), (FIREFOX, _FIREFOX_LINUX)):
            for b, rel in places:
                out.append((b, engine, home / rel))
                if config is not None and rel.startswith(".config/"):     # $XDG_CONFIG_HOME moves ~/.config
                    alt = config / rel.removeprefix(".config/")
                    if alt != home / rel:
                        out.append((b, engine, alt))
    return out


def discover_profiles(home: Path | None = None, env: dict[str, str] | None = None,
                      platform: str | None = None) -> list[BrowserProfile]:
    """Every installed browser profile that has a localStorage folder."""
    profiles: list[BrowserProfile] = []
    for browser, engine, folder in standard_locations(home, env, platform):
        if not folder.is_dir():
            continue
        profiles += _chromium_profiles(browser, folder) if engine == CHROMIUM else _firefox_profiles(browser, folder)
    return profiles


# --------------------------------------------------------------------------- a chosen folder
_BRANDS = (("brave", "Brave"), ("edge", "Edge"), ("google-chrome", "Chrome"), ("google/chrome", "Chrome"),
           ("vivaldi", "Vivaldi"), ("opera", "Opera"))


def _chromium_name(path: Path) -> str:
    """The browser a chosen Chromium-family folder belongs to, guessed from its path."""
    text = str(path).lower().replace("\\", "/")
    return next((name for part, name in _BRANDS if part in text), "Chromium")


def _is_leveldb_dir(p: Path) -> bool:
    return p.is_dir() and ((p / "CURRENT").is_file() or any(p.glob("*.log")) or any(p.glob("*.ldb")))


def profiles_at(path: Path) -> list[BrowserProfile]:
    """What a user-chosen folder holds: a Chromium user-data folder, profile, ``Local Storage``
    or ``leveldb`` folder; a Firefox profiles folder, profile, ``storage/default``, origin or
    ``ls`` folder. Empty when it is none of these."""
    path = Path(path)
    if not path.is_dir():
        return []
    # Chromium
    if _is_leveldb_dir(path):                                   # the leveldb folder itself
        profile = path.parent.parent if path.parent.name == "Local Storage" else path
        return [_chromium_profile(_chromium_name(path), profile, path)]
    if path.name == "Local Storage" and _is_leveldb_dir(path / "leveldb"):
        return [_chromium_profile(_chromium_name(path), path.parent, path / "leveldb")]
    if _is_leveldb_dir(chromium_leveldb(path)):
        return [_chromium_profile(_chromium_name(path), path, chromium_leveldb(path))]
    chromium = _chromium_profiles(_chromium_name(path), path)
    if chromium:
        return chromium
    # Firefox
    if (path / "data.sqlite").is_file():                       # an ``ls`` folder
        return [_firefox_profile(_firefox_profile_of(path.parent), path)]
    if (path / "ls" / "data.sqlite").is_file():                # an origin folder
        return [_firefox_profile(_firefox_profile_of(path), path / "ls")]
    if path.name == "storage" and (path / "default").is_dir():
        return [_firefox_profile(path.parent, path / "default")]
    if path.name == "default" and path.parent.name == "storage":
        return [_firefox_profile(path.parent.parent, path)]
    if firefox_default_storage(path).is_dir():
        return [_firefox_profile(path, firefox_default_storage(path))]
    return _firefox_profiles("Firefox", path)


def _firefox_profile(profile_dir: Path, storage_dir: Path) -> BrowserProfile:
    return BrowserProfile("Firefox", FIREFOX, _firefox_profile_name(profile_dir), profile_dir, storage_dir)


def _firefox_profile_of(origin_dir: Path) -> Path:
    """The profile an origin folder belongs to (``<profile>/storage/default/<origin>``), so the
    window names the profile the user knows, not the origin folder; the folder itself when it
    sits anywhere else (a copied-out origin)."""
    default = origin_dir.parent
    if default.name == "default" and default.parent.name == "storage":
        return default.parent.parent
    return origin_dir


def firefox_ls_folders(storage_dir: Path) -> list[Path]:
    """The ``ls`` folders under a Firefox ``storage/default`` (or the one given)."""
    if (storage_dir / "data.sqlite").is_file():
        return [storage_dir]
    try:
        return sorted(p / "ls" for p in storage_dir.iterdir() if (p / "ls" / "data.sqlite").is_file())
    except OSError:
        return []
