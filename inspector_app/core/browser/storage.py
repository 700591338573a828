"""Open the game's saves where the browser keeps them: a profile or storage folder in,
the same :class:`SaveDocument` a whole-profile export gives out.

``list_origins(path)`` reads every profile the folder holds and lists the origins whose
localStorage has the game's keys (``save_metadata`` or any ``save_*``), with slot count and
last write. ``load_browser_storage(path, origin=None)`` builds the document of one origin
through the profile loader (:func:`core.loading.profile.build_profile`), so every view,
the validator and the exporter work unchanged; ``doc.source`` names browser, profile and
origin. Records that cannot be decoded become located problems; the other keys stay usable.

No Qt here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from inspector_app.core.browser.chromium import read_chromium_storage
from inspector_app.core.browser.discovery import (
    CHROMIUM, BrowserProfile, discover_profiles, firefox_ls_folders, profiles_at,
)
from inspector_app.core.browser.firefox import read_firefox_ls
from inspector_app.core.browser.leveldb import TORN, Damage
from inspector_app.core.browser.snapshot import SnapshotError
from inspector_app.core.common.progress import CancelledFn, ProgressFn
from inspector_app.core.loading.document import (
    DocumentKind, LoadCancelled, LoadError, Problem, SaveDocument, Severity,
)
from inspector_app.core.loading.jsonparse import gc_paused
from inspector_app.core.loading.profile import build_profile
from inspector_app.core.loading.slots import INDEX_KEY, SAVE_KEY_PREFIX



def is_game_key(key: str) -> bool:
    return key == INDEX_KEY or key.startswith(SAVE_KEY_PREFIX)


@dataclass
class OriginStorage:
    """The localStorage of one origin in one browser profile."""

    profile: BrowserProfile
    origin: str
    items: dict[str, str]
    storage_path: Path                 # the folder read (leveldb folder, or Firefox ``ls`` folder)
    last_modified_ms: float | None = None
    problems: list[Damage] = field(default_factory=list)
    stable: bool = True                # no file changed while it was copied
    stored_bytes: int = 0              # what the browser stores for these values (doc.size_bytes)

    @property
    def slot_count(self) -> int:
        return sum(1 for k in self.items if k.startswith(SAVE_KEY_PREFIX) and k != INDEX_KEY)

    @property
    def game_save_count(self) -> int:
        """The ``save_*`` values that hold this game's payload (a ``gameData`` key): another game
        served from the same address (``localhost:8080``…) uses ``save_*`` keys too."""
        return sum(1 for k, v in self.items.items()
                   if k.startswith(SAVE_KEY_PREFIX) and k != INDEX_KEY and isinstance(v, str) and '"gameData"' in v)

    @property
    def has_game_keys(self) -> bool:
        return any(is_game_key(k) for k in self.items)

    @property
    def source(self) -> str:
        return f"{self.profile.browser} · {self.profile.name} · {self.origin}"

    @property
    def torn(self) -> bool:
        """Caught mid-write: a follower should retry rather than report."""
        return not self.stable or any(d.kind == TORN for d in self.problems)


def looks_like_browser_storage(path: str | Path) -> bool:
    """Cheap check (folder layout only): a folder the browser readers understand."""
    p = Path(path)
    return p.is_dir() and bool(profiles_at(p))


def read_profile(profile: BrowserProfile, cancelled: CancelledFn | None = None,
                 progress: ProgressFn | None = None) -> list[OriginStorage]:
    """Every origin of one profile (game keys or not)."""
    out: list[OriginStorage] = []
    if profile.engine == CHROMIUM:
        store = read_chromium_storage(profile.storage_dir, cancelled=cancelled, progress=progress)
        shared = [d for d in store.damage]
        for origin in store.origins.values():
            out.append(OriginStorage(profile, origin.origin, origin.items, profile.storage_dir,
                                     origin.last_modified_ms or store.newest_mtime * 1000.0 or None,
                                     shared + origin.problems, store.stable, origin.stored_bytes))
        if not out and shared:
            out.append(OriginStorage(profile, "", {}, profile.storage_dir, None, shared, store.stable))
        return out
    for ls in firefox_ls_folders(profile.storage_dir):
        if cancelled is not None and cancelled():
            break
        ff = read_firefox_ls(ls)
        out.append(OriginStorage(profile, ff.origin, ff.items, ls, ff.last_modified_ms, ff.problems, ff.stable,
                                 ff.stored_bytes))
    return out


def list_origins(path: str | Path | None = None, cancelled: CancelledFn | None = None,
                 profiles: list[BrowserProfile] | None = None) -> list[OriginStorage]:
    """The origins holding the game's keys, in the profiles at ``path`` (or the given or
    discovered ones). Unreadable profiles are skipped."""
    if profiles is None:
        profiles = profiles_at(Path(path)) if path is not None else discover_profiles()
    found: list[OriginStorage] = []
    for profile in profiles:
        if cancelled is not None and cancelled():
            raise LoadCancelled("listing was cancelled")
        try:
            found += [o for o in read_profile(profile, cancelled) if o.has_game_keys]
        except SnapshotError:
            continue
    return found


def _same_origin(a: str, b: str) -> bool:
    return a.rstrip("/").lower() == b.rstrip("/").lower()


def choose_origin(path: Path, origins: list[OriginStorage], origin: str | None) -> OriginStorage:
    """The one origin to open, or a LoadError that lists the candidates."""
    if origin:
        matching = [o for o in origins if _same_origin(o.origin, origin)]
        if len(matching) == 1:
            return matching[0]
        if not matching:
            listed = ", ".join(sorted({o.origin for o in origins})) or "none"
            raise LoadError(Problem(Severity.ERROR, f"No origin {origin!r} with the game's saves here. Origins "
                                    f"with saves: {listed}.", file=str(path), code="browser_origin_missing"))
        origins = matching
    if len(origins) == 1:
        return origins[0]
    if not origins:
        raise LoadError(Problem(Severity.ERROR, "This browser storage holds no saves of the game (no save_metadata "
                                "or save_* key in any origin).", file=str(path), code="browser_no_saves"))
    lines = "; ".join(f"{o.origin} in {o.profile.label} ({o.slot_count} slot(s), {o.storage_path})" for o in origins)
    hint = " Pick one with --origin ORIGIN, or open one profile's folder." if origin is None else \
        " Open one profile's folder."
    raise LoadError(Problem(Severity.ERROR, f"Several origins hold the game's saves: {lines}.{hint}",
                            file=str(path), code="browser_origin_ambiguous"))


def damage_problem(storage: OriginStorage, d: Damage) -> Problem:
    folder = storage.storage_path
    if d.kind == TORN:
        return Problem(Severity.NOTICE, f"The browser was writing when this was read: {d.message}; that last "
                       "write is not included.", file=str(folder / d.file), location=f"byte {d.offset}",
                       code="browser_write_in_progress")
    return Problem(Severity.WARNING, f"{d.message[:1].upper()}{d.message[1:]}. The other keys are read.",
                   file=str(folder / d.file), location=f"byte {d.offset}", code="browser_record_unreadable")


def document_from_storage(storage: OriginStorage, tick: ProgressFn | None = None) -> SaveDocument:
    """The PROFILE document of one origin's key -> string mapping (what an export would hold)."""
    root = {k: storage.items[k] for k in sorted(storage.items)}
    size = storage.stored_bytes
    file = str(storage.storage_path)
    doc = SaveDocument(path=storage.storage_path, kind=DocumentKind.PROFILE, size_bytes=size, root=root,
                       source=storage.source)
    doc.problems.extend(damage_problem(storage, d) for d in storage.problems)
    with gc_paused(size):
        build_profile(doc, root, file, tick or (lambda *_a: None))
    return doc


def load_browser_storage(path: str | Path, origin: str | None = None, progress: ProgressFn | None = None,
                         cancelled: CancelledFn | None = None) -> SaveDocument:
    """Load the game's saves from a browser profile or storage folder. Raises LoadError or LoadCancelled."""
    path = Path(path)

    def tick(done: int, total: int, text: str = "") -> None:
        if cancelled is not None and cancelled():
            raise LoadCancelled("loading was cancelled")
        if progress is not None:
            progress(done, total, text)

    profiles = profiles_at(path)
    if not profiles:
        raise LoadError(Problem(Severity.ERROR, "This folder is not a browser profile or localStorage folder "
                                "(no Local Storage/leveldb, storage/default or ls/data.sqlite).",
                                file=str(path), code="browser_not_storage"))
    tick(0, 0, f"Copying the browser's storage from {path.name}")
    try:
        origins = []
        for profile in profiles:
            origins += [o for o in read_profile(profile, cancelled, tick) if o.has_game_keys or o.problems]
    except SnapshotError as exc:
        raise LoadError(Problem(Severity.ERROR, f"The browser's storage cannot be read: {exc.strerror}.",
                                file=exc.filename or str(path), code="browser_unreadable")) from None
    if cancelled is not None and cancelled():
        raise LoadCancelled("loading was cancelled")
    with_saves = [o for o in origins if o.has_game_keys]
    if not with_saves:
        damaged = [damage_problem(o, d).describe() for o in origins for d in o.problems]
        extra = (" Unreadable records: " + "; ".join(damaged[:5]) + ".") if damaged else ""
        raise LoadError(Problem(Severity.ERROR, "This browser storage holds no saves of the game (no save_metadata "
                                f"or save_* key in any origin).{extra}", file=str(path), code="browser_no_saves"))
    chosen = choose_origin(path, with_saves, origin)
    doc = document_from_storage(chosen, tick)
    tick(1, 1, f"Loaded {chosen.origin}")
    return doc
