"""The one document model every input kind is loaded into.

A :class:`SaveDocument` is what the loader returns for any file: a whole-profile
localStorage export, a single save payload, a dormant engine save, an inspector
summary or an exported summary artifact. The UI, the validator and the export CLI
all read this model; none of them parse files themselves.

No Qt here.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from inspector_app.core.common.progress import Cancelled
from inspector_app.core.loading.legacy import normalize_v0_to_v1


class Severity(str, Enum):
    ERROR = "error"        # the slot/file cannot be read at all
    WARNING = "warning"    # readable, but something is wrong (index mismatch, wrong types)
    NOTICE = "notice"      # readable, informative (legacy version, what the game would do)


class DocumentKind(str, Enum):
    PROFILE = "profile"                      # localStorage export: key -> string value
    PAYLOAD = "payload"                      # one save_<slot> value
    ENGINE_SAVE = "engine-save"              # dormant src/engine/SaveManager.js format (Appendix A)
    INSPECTOR_SUMMARY = "inspector-summary"  # raw getInspectorSummary() output
    SUMMARY_EXPORT = "summary-export"        # sanitised <prefix>-summary-<T>.json (+ sibling CSV/MD)
    OTHER_JSON = "json"                      # any other JSON, opened read-only as a plain tree (GUI only)


class SlotStatus(str, Enum):
    OK = "ok"            # version 1, loads in the game
    LEGACY = "legacy"    # v0 / missing / string version: the game fails to load it
    FUTURE = "future"    # version > 1: the game rejects it with future_version
    ERROR = "error"      # not a readable payload (bad JSON, not an object, ...)


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about an input, always naming where it is.

    ``__slots__``: a hostile profile can carry hundreds of thousands of slots, each with the
    same few problems; a problem then costs ~90 bytes, and its message is shared (interned
    by the builders, see ``payload.SlotBuilder.add``)."""

    severity: Severity
    message: str
    file: str | None = None       # path of the input file
    slot: str | None = None       # slot id / localStorage key the problem belongs to
    location: str | None = None   # JSON path ("$.gameData.factions") or "line 3, column 17"
    code: str = ""                # stable machine id, e.g. "json_syntax", "index_missing_payload"

    def describe(self) -> str:
        parts = [p for p in (self.file, self.slot and f"slot {self.slot}", self.location) if p]
        where = ": ".join(parts)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class SlotEntry:
    """One save slot of a document (a profile has many; a single payload has one)."""

    key: str                          # localStorage key ("save_slot1") or the file name
    slot_id: str                      # normalised id ("slot1", "autosave", "before-memory-parlor")
    label: str                        # display label (index label, meta.slotLabel, or the id)
    slot_type: str                    # "auto" | "manual"
    status: SlotStatus
    size_bytes: int                   # UTF-8 size of the stored string
    payload: Any = field(default=None, repr=False)  # parsed payload when readable (see ``park``)
    timestamp: int | float | None = None
    playtime: int | float | None = None
    version: Any = None
    snapshot_source: str | None = None
    in_index: bool = False            # listed in save_metadata
    index_entry: dict | None = None   # the save_metadata entry, if any
    problems: list[Problem] = field(default_factory=list)
    display_payload: Any = None       # for legacy saves: the v0->v1 normalisation (display only),
                                      # computed when first read (see _get_display_payload)

    @property
    def has_problems(self) -> bool:
        return any(p.severity in (Severity.ERROR, Severity.WARNING) for p in self.problems)

    # -- parked payloads -----------------------------------------------------------
    # A big profile would cost several times its size if every slot stayed parsed. The loader
    # validates each slot once, then *parks* it: the entry keeps only its stored text (which
    # the profile holds anyway) and ``payload`` parses it again on access, through a small
    # shared LRU, so only the few slots being looked at are ever materialised.

    def park(self, text: str | bytes, parse, keep_sections: tuple[str, ...] = ("tutorial",), *,
             warm: bool = False) -> None:
        """Drop the parsed payload; ``parse(text)`` rebuilds the same value on demand.

        The small ``keep_sections`` of gameData stay in memory, so views that need only them
        (the tutorial timeline merges every slot's tutorial slice) never re-parse the slot.
        ``warm=True`` keeps the value just parsed in the cache (for the slot shown first)."""
        game = self.game_data
        value = self.__dict__.get("_payload")
        self.__dict__["_kept"] = ({k: game.get(k) for k in keep_sections} if isinstance(game, dict) else None)
        self.__dict__["_payload"] = None
        self.__dict__["_parked"] = (text, parse)
        if warm and value is not None:
            _PAYLOAD_CACHE.put(self, value)

    def park_sections(self, skeleton: dict, source: bytes | bytearray,
                      keep_sections: tuple[str, ...] = ("tutorial",)) -> None:
        """Park a big single save read as a skeleton (``core/loading/sections``): ``payload``
        is the whole value, parsed again run by run on access (through the same small cache as
        parked slots); :attr:`sections` is the skeleton, which the World State tree and the
        Save Summary views read without parsing the big containers. ``parked_text`` is a
        digest of ``source`` (the file's text), made when first asked or before the buffer
        goes (:meth:`compress_sections`); follow-live only compares it."""
        from inspector_app.core.loading.sections import materialize

        game = skeleton.get("gameData") if isinstance(skeleton, dict) else None
        self.__dict__["_kept"] = ({k: materialize(game.get(k)) for k in keep_sections}
                                  if isinstance(game, dict) else None)
        self.__dict__["_payload"] = None
        self.__dict__["_sections"] = skeleton
        self.__dict__["_parked"] = (None, lambda _digest: materialize(skeleton))
        self.__dict__["_source"] = source

    @property
    def sections(self) -> Any:
        """The skeleton of a sectioned save (see :meth:`park_sections`), else None."""
        return self.__dict__.get("_sections") if self.is_parked else None

    def compress_sections(self, cancelled=None) -> int:
        """Keep a sectioned save's unparsed text compressed (~10 %) and let its file buffer go;
        bytes kept (0 when the slot is not sectioned)."""
        from inspector_app.core.loading.sections import compress_sections

        skeleton = self.sections
        if skeleton is None:
            return 0
        _ = self.parked_text     # the digest, while the text is still here
        kept = compress_sections(skeleton, cancelled)
        self.__dict__["_source"] = None
        return kept

    def cool(self) -> None:
        """Drop a parked slot's materialised payload from the cache (it can be re-parsed)."""
        _PAYLOAD_CACHE.discard(self)

    @property
    def has_game_data(self) -> bool:
        """gameData is an object — answered without parsing a parked slot."""
        if self.is_parked and not self._has_display:
            return self.__dict__.get("_kept") is not None
        return self.game_data is not None

    def game_section(self, name: str) -> Any:
        """``gameData[name]`` (None when absent); parked slots answer kept sections cheaply."""
        kept = self.__dict__.get("_kept")
        if self.is_parked and not self._has_display and kept is not None and name in kept:
            return kept[name]
        game = self.game_data
        return game.get(name) if isinstance(game, dict) else None

    def kept_section(self, name: str) -> tuple[bool, Any]:
        """``(True, gameData[name])`` when a parked, not materialised slot holds that section
        without parsing (see ``park``'s ``keep_sections``), else ``(False, None)``."""
        kept = self.__dict__.get("_kept")
        if self.is_parked and not self._has_display and kept is not None and name in kept \
                and not _PAYLOAD_CACHE.contains(self):
            return True, kept[name]
        return False, None

    @property
    def _has_display(self) -> bool:
        """A display payload exists or would be computed (without computing it)."""
        return self.__dict__.get("_display") is not None or self.status is SlotStatus.LEGACY

    @property
    def parked_text(self) -> str | bytes | None:
        """The stored text a parked slot is re-parsed from (str, or UTF-8 bytes)."""
        parked = self.__dict__.get("_parked")
        if parked and parked[0] is None and self.__dict__.get("_sections") is not None:
            from inspector_app.core.loading.sections import text_digest

            parked = self.__dict__["_parked"] = (text_digest(self.__dict__["_source"]), parked[1])
        return parked[0] if parked else None

    @property
    def has_payload(self) -> bool:
        """Readable payload present (parsed or parked) — without parsing anything."""
        return self.__dict__.get("_payload") is not None or self.__dict__.get("_parked") is not None

    @property
    def is_parked(self) -> bool:
        return self.__dict__.get("_parked") is not None

    @property
    def is_materialised(self) -> bool:
        """True when reading ``payload`` costs nothing (not parked, or parked and cached)."""
        return not self.is_parked or _PAYLOAD_CACHE.contains(self)

    @property
    def game_data(self) -> dict | None:
        src = self.display_payload if self.display_payload is not None else self.payload
        if isinstance(src, dict) and isinstance(src.get("gameData"), dict):
            return src["gameData"]
        return None


class _PayloadCache:
    """The few parked payloads currently materialised (thread-safe LRU)."""

    def __init__(self, capacity: int = 3):
        self.capacity = capacity
        self._items: OrderedDict[int, tuple[SlotEntry, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def contains(self, entry: SlotEntry) -> bool:
        with self._lock:
            return id(entry) in self._items and self._items[id(entry)][0] is entry

    def get(self, entry: SlotEntry) -> Any:
        key = id(entry)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] is entry:
                self._items.move_to_end(key)
                return hit[1]
        text, parse = entry.__dict__["_parked"]
        value = parse(text)
        if entry.__dict__.get("_sections") is None:
            # a sectioned save's whole value (~4x its file) is not kept: its reader holds it
            # while it needs it (search, compare, export), then it goes (issue 13: <= 3x)
            self.put(entry, value)
        return value

    def put(self, entry: SlotEntry, value: Any) -> None:
        with self._lock:
            self._items[id(entry)] = (entry, value)
            self._items.move_to_end(id(entry))
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def discard(self, entry: SlotEntry) -> None:
        with self._lock:
            hit = self._items.get(id(entry))
            if hit is not None and hit[0] is entry:
                del self._items[id(entry)]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_PAYLOAD_CACHE = _PayloadCache()


def _get_payload(self: SlotEntry) -> Any:
    value = self.__dict__.get("_payload")
    if value is None and self.__dict__.get("_parked") is not None:
        return _PAYLOAD_CACHE.get(self)
    return value


def _set_payload(self: SlotEntry, value: Any) -> None:
    self.__dict__["_payload"] = value
    self.__dict__["_parked"] = None
    self.__dict__["_sections"] = None
    self.__dict__["_source"] = None


SlotEntry.payload = property(_get_payload, _set_payload)


def _get_display_payload(self: SlotEntry) -> Any:
    """A legacy slot's v0->v1 normalisation, made on first read: a profile of 200,000 legacy
    slots must not hold 200,000 normalised copies. Cached unless the slot is parked."""
    value = self.__dict__.get("_display")
    if value is not None or self.status is not SlotStatus.LEGACY:
        return value
    payload = self.payload
    if not isinstance(payload, dict):
        return None
    value = normalize_v0_to_v1(payload)
    if not self.is_parked:
        self.__dict__["_display"] = value
    return value


def _set_display_payload(self: SlotEntry, value: Any) -> None:
    self.__dict__["_display"] = value


SlotEntry.display_payload = property(_get_display_payload, _set_display_payload)


@dataclass
class SaveDocument:
    """Everything loaded from one input file."""

    path: Path
    kind: DocumentKind
    size_bytes: int
    root: Any = None                            # the parsed top-level JSON value (for a big profile,
                                                # a parked slot's value is its UTF-8 bytes)
    slots: list[SlotEntry] = field(default_factory=list)
    index: dict | None = None                   # parsed save_metadata (profiles) if readable
    profile_flags: dict[str, Any] = field(default_factory=dict)   # tutorial_completed / _skipped / other keys
    summary: dict | None = None                 # inspector summary (raw or sanitised) for summary kinds
    sibling_artifacts: dict[str, Path] = field(default_factory=dict)  # section -> CSV/MD path of a summary export
    problems: list[Problem] = field(default_factory=list)  # document-level problems
    source: str | None = None                   # where it was read from when not a plain file, e.g.
                                                # "Chromium · Default · http://localhost:8080" (core.browser)

    @property
    def display_name(self) -> str:
        """What the UI calls this document: the file name, or where a browser's storage was read."""
        return self.source or self.path.name

    @property
    def all_problems(self) -> list[Problem]:
        out = list(self.problems)
        for s in self.slots:
            out.extend(s.problems)
        return out

    def slot(self, slot_id: str) -> SlotEntry | None:
        for s in self.slots:
            if s.slot_id == slot_id or s.key == slot_id:
                return s
        return None


class LoadError(Exception):
    """The whole input is unreadable (missing, unreadable, not JSON, unknown shape).

    Carries a :class:`Problem` so every caller prints the same, located message.
    """

    def __init__(self, problem: Problem):
        super().__init__(problem.describe())
        self.problem = problem


class LoadCancelled(Cancelled):
    """Raised when the caller's cancel callback asks the loader to stop."""
