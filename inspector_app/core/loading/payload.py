"""Turn one parsed save payload into a :class:`SlotEntry`, checking it the way the game's
``loadGame`` would treat it (save-format §2, §3.0, §5, §6).

Every finding says what the game does with the input ("fails with ...", "silently loads an
empty slice"), because that is what a designer needs to know about a broken save.

No Qt here.
"""
from __future__ import annotations

from typing import Any, Iterable

from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.loading.document import Problem, Severity, SlotEntry, SlotStatus
from inspector_app.core.loading.jsonparse import JsonParseError, ParseNote, describe_value
from inspector_app.core.common.jsfmt import is_number
from inspector_app.core.loading.sections import lazy_kind
from inspector_app.core.loading.slots import format_version, normalize_slot_name, slot_type_for

CURRENT_VERSION = 1
STORE_SOURCE = "worldStateStore"
LEGACY_SOURCE = "legacy-managers"

# WorldStateStore-shape gameData: section -> allowed JSON types (None = null allowed)
_STORE_SECTIONS: dict[str, tuple[type | None, ...]] = {
    "storyFlags": (dict,), "quests": (dict,), "factions": (dict,), "tutorial": (dict,),
    "dialogue": (dict, None), "inventory": (dict,), "districts": (dict,), "npcs": (dict,),
    "tutorialComplete": (bool,), "investigation": (dict, None), "cases": (dict, None),
    "finaleCinematic": (dict, None),
}
_STORE_NESTED: list[tuple[str, str, type]] = [
    ("storyFlags", "flags", dict), ("quests", "byId", dict), ("quests", "activeIds", list),
    ("quests", "completedIds", list), ("quests", "failedIds", list), ("factions", "byId", dict),
    ("factions", "recentMemberRemovals", list), ("tutorial", "completedSteps", list),
    ("dialogue", "historyByNpc", dict), ("inventory", "items", list), ("districts", "byId", dict),
    ("districts", "changeLog", list), ("npcs", "byId", dict), ("npcs", "changeLog", list),
]
_LEGACY_SECTIONS: dict[str, tuple[type | None, ...]] = {
    "storyFlags": (dict,), "quests": (dict,), "factions": (dict, None), "inventory": (dict,),
    "tutorial": (dict, None), "cases": (dict, None), "investigation": (dict, None),
}
_LEGACY_NESTED: list[tuple[str, str, type]] = [
    ("quests", "activeQuests", list), ("quests", "completedQuests", list), ("quests", "failedQuests", list),
    ("factions", "reputation", dict), ("inventory", "items", list),
]
_TYPE_NAMES = {dict: "an object", list: "an array", bool: "a boolean", str: "a string", None: "null"}


def _json_type(value: Any) -> str:
    value = _stand_in(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _stand_in(value: Any) -> Any:
    """An empty dict / list for a lazy container of a sectioned save (its JSON type)."""
    kind = lazy_kind(value)
    return value if kind is None else kind()


def _matches(value: Any, allowed: tuple[type | None, ...]) -> bool:
    value = _stand_in(value)
    for t in allowed:
        if t is None and value is None:
            return True
        if t is bool and isinstance(value, bool):
            return True
        if t is not None and t is not bool and isinstance(value, t) and not isinstance(value, bool):
            return True
    return False


def js_repr(value: Any, _depth: int = 0) -> str:
    """How ``String(value)`` prints in the game's console message (``undefined`` for missing).

    Arrays join their items as JavaScript does (null inside an array prints as nothing); the
    text is cut at 200 characters and 32 levels, since a hostile save can nest 1,000 deep."""
    if value is _MISSING:
        return "undefined"
    if value is None:
        return "" if _depth else "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return "[object Object]"
    if isinstance(value, list):
        if _depth >= 32:
            return "\u2026"
        text = ",".join(js_repr(v, _depth + 1) for v in value[:50])
        return text if len(text) <= 200 and len(value) <= 50 else text[:199] + "\u2026"
    return str(value)


_MISSING = object()

# Identical messages of many slots share one string (a profile of 200,000 broken slots says
# the same thing 200,000 times). Bounded: cleared when full.
_MESSAGES: dict[str, str] = {}
_MESSAGES_MAX = 4096


def _shared(message: str) -> str:
    hit = _MESSAGES.get(message)
    if hit is not None:
        return hit
    if len(_MESSAGES) >= _MESSAGES_MAX:
        _MESSAGES.clear()
    _MESSAGES[message] = message
    return message


class SlotBuilder:
    """Collects the facts and problems of one slot; ``file``/``slot`` name it in every Problem."""

    def __init__(self, *, key: str, slot_id: str, size_bytes: int, file: str | None,
                 problem_slot: str | None, index_entry: dict | None = None, in_index: bool = False):
        self.key = key
        self.slot_id = slot_id
        self.size_bytes = size_bytes
        self.file = file
        self.problem_slot = problem_slot
        self.index_entry = index_entry
        self.in_index = in_index
        self.problems: list[Problem] = []

    def add(self, severity: Severity, code: str, message: str, location: str | None = None) -> None:
        self.problems.append(Problem(severity, _shared(message), file=self.file, slot=self.problem_slot,
                                     location=location, code=code))

    def add_parse_notes(self, notes: Iterable[ParseNote], where: str = "") -> None:
        for n in notes:
            loc = n.path
            if where:
                loc = f"{loc} {where}" if loc else where
            self.add(Severity(n.severity), n.code, _sentence(n.message), loc)

    # -- labels -------------------------------------------------------------------
    def _label_and_type(self, payload: Any) -> tuple[str, str]:
        entry = self.index_entry or {}
        label = entry.get("label") if isinstance(entry.get("label"), str) and entry.get("label").strip() else None
        if label is None and isinstance(payload, dict) and isinstance(payload.get("meta"), dict):
            meta_label = payload["meta"].get("slotLabel")
            if isinstance(meta_label, str) and meta_label.strip():
                label = meta_label.strip()
        slot_type = entry.get("slotType") if entry.get("slotType") in ("auto", "manual") else slot_type_for(self.slot_id)
        return label or self.slot_id, slot_type

    def _entry(self, status: SlotStatus, payload: Any, **facts: Any) -> SlotEntry:
        label, slot_type = self._label_and_type(payload)
        return SlotEntry(key=self.key, slot_id=self.slot_id, label=label, slot_type=slot_type, status=status,
                         size_bytes=self.size_bytes, payload=payload, in_index=self.in_index,
                         index_entry=self.index_entry, problems=self.problems, **facts)

    # -- unreadable values ------------------------------------------------------------
    def unreadable(self, error: JsonParseError, where: str) -> SlotEntry:
        """The stored text is not JSON: the game's JSON.parse throws, load_failed."""
        reason = error.reason.replace("(truncated file?)", "(truncated value?)")
        loc = f"{error.location} {where}" if error.location and where else (error.location or where or None)
        self.add(Severity.ERROR, error.code,
                 f"{_sentence(reason)} The game's JSON.parse fails on this value, so loading the slot fails "
                 "(game:load_failed).", loc)
        return self._entry(SlotStatus.ERROR, None, **self._index_facts())

    def unusable(self) -> SlotEntry:
        """An ERROR slot whose problems were already added."""
        return self._entry(SlotStatus.ERROR, None, **self._index_facts())

    def _index_facts(self) -> dict[str, Any]:
        entry = self.index_entry or {}
        return {"timestamp": entry.get("timestamp") if is_number(entry.get("timestamp")) else None,
                "playtime": entry.get("playtime") if is_number(entry.get("playtime")) else None,
                "version": entry.get("version"), "snapshot_source": entry.get("snapshotSource")}

    # -- the payload checks ------------------------------------------------------------
    def from_value(self, value: Any) -> SlotEntry:
        """Check a parsed payload as ``loadGame`` would (§5, §6)."""
        if value is None:
            self.add(Severity.ERROR, "payload_null",
                     "The stored value is JSON null, not a save. The game fails with "
                     "\"Cannot read properties of null (reading 'version')\".")
            return self._entry(SlotStatus.ERROR, None, **self._index_facts())
        if not isinstance(value, dict):
            if isinstance(value, list):
                self.add(Severity.ERROR, "payload_array",
                         f"The stored value is {describe_value(value)}, not a save object. The game logs "
                         "\"Save version mismatch: undefined vs 1\" and rejects it with migration_failed_0_to_1.")
            else:
                self.add(Severity.ERROR, "payload_primitive",
                         f"The stored value is {describe_value(value)}, not a save object. The game logs "
                         "\"Save version mismatch: undefined vs 1\" and rejects it with invalid_save_data.")
            return self._entry(SlotStatus.ERROR, value, **self._index_facts())
        return self._from_object(value)

    def _from_object(self, payload: dict) -> SlotEntry:
        version = payload.get("version", _MISSING)
        status = self._check_version(version)
        game = payload.get("gameData", _MISSING)
        source = self._snapshot_source(payload, game, status)
        if status is not SlotStatus.LEGACY and self._check_game_data(game, source) is False:
            status = SlotStatus.ERROR
        if status is not SlotStatus.LEGACY:
            self._check_envelope(payload)
        self._check_slot_field(payload)
        self._check_index_agreement(payload, status)
        return self._entry(status, payload,
                           timestamp=payload.get("timestamp") if is_number(payload.get("timestamp")) else None,
                           playtime=payload.get("playtime") if is_number(payload.get("playtime")) else None,
                           version=None if version is _MISSING else version, snapshot_source=source)

    def _check_version(self, version: Any) -> SlotStatus:
        if is_number(version) and version == CURRENT_VERSION:
            return SlotStatus.OK
        source_version = version if is_number(version) else 0
        if source_version > CURRENT_VERSION:
            self.add(Severity.WARNING, "future_version",
                     f"Version {js_repr(version)} is newer than this build knows (the game writes version 1): "
                     f"the game rejects it with future_version (\"Unable to load slot {self.slot_id} due to "
                     "migration failure (future_version)\"). Shown read-only, as stored.", "$.version")
            return SlotStatus.FUTURE
        if version is _MISSING:
            what = "no version field"
        elif isinstance(version, str):
            what = f"version is the string \"{version}\", not the number 1; the game compares with !=="
        elif is_number(version):
            what = f"version {js_repr(version)}"
        else:
            what = f"version is {_json_type(version)}, not a number"
        self.add(Severity.NOTICE, "legacy_version",
                 f"Legacy save ({what}): the game cannot load it. loadGame logs \"Save version mismatch: "
                 f"{js_repr(version)} vs 1\", runs the v0\u2192v1 migration and then fails with \"Assignment to "
                 "constant variable.\" (a bug in loadGame); before failing it bumps this slot's index entry to "
                 "version 1, so the in-game list shows v1 for a save that does not load. Shown here read-only, "
                 "with the v0\u2192v1 normalisation applied for display only.", "$.version")
        return SlotStatus.LEGACY

    def _snapshot_source(self, payload: dict, game: Any, status: SlotStatus) -> str | None:
        meta = payload.get("meta")
        declared = meta.get("snapshotSource") if isinstance(meta, dict) else None
        inferred = infer_snapshot_source(game)
        if isinstance(declared, str):
            if declared not in (STORE_SOURCE, LEGACY_SOURCE):
                self.add(Severity.NOTICE, "unknown_snapshot_source",
                         f"meta.snapshotSource is \"{declared}\", which this build does not write "
                         f"(expected \"{STORE_SOURCE}\" or \"{LEGACY_SOURCE}\").", "$.meta.snapshotSource")
            elif inferred and inferred != declared and isinstance(game, dict) and game:
                self.add(Severity.WARNING, "snapshot_source_mismatch",
                         f"meta.snapshotSource says \"{declared}\" but gameData has the {inferred} shape; "
                         "the sections are read by their actual shape.", "$.meta.snapshotSource")
                return inferred
            return declared
        if status is SlotStatus.OK and "meta" not in payload:
            self.add(Severity.NOTICE, "meta_missing",
                     "The payload has no meta object (snapshotSource, slotLabel); "
                     + (f"the {inferred} shape was recognised from gameData." if inferred else
                        "the gameData shape could not be recognised either."), "$.meta")
        return inferred

    def _check_game_data(self, game: Any, source: str | None) -> bool:
        """False when the game cannot load the slot at all."""
        if game is _MISSING or game is None:
            what = "has no gameData" if game is _MISSING else "has gameData: null"
            reading = "undefined" if game is _MISSING else "null"
            self.add(Severity.ERROR, "game_data_missing",
                     f"The payload {what}. The game fails with \"Cannot read properties of {reading} "
                     "(reading 'storyFlags')\", so this slot does not load.", "$.gameData")
            return False
        if not isinstance(game, dict):
            self.add(Severity.WARNING, "game_data_wrong_type",
                     f"gameData is {_json_type(game)}, expected an object: the game reads no sections from it "
                     "and silently loads empty slices (every slice reset to its defaults).", "$.gameData")
            return True
        if not game:
            self.add(Severity.WARNING, "game_data_empty",
                     "gameData is empty ({}): the game loads this save without complaint, but every slice "
                     "(story flags, quests, factions, tutorial, districts, NPCs, ...) is reset to its defaults.",
                     "$.gameData")
            return True
        legacy = source == LEGACY_SOURCE
        sections = _LEGACY_SECTIONS if legacy else _STORE_SECTIONS
        nested = _LEGACY_NESTED if legacy else _STORE_NESTED
        missing = []
        for name, allowed in sections.items():
            if name not in game:
                missing.append(name)
                continue
            if not _matches(game[name], allowed):
                want = " or ".join(_TYPE_NAMES[t] for t in allowed)
                self.add(Severity.WARNING, "section_wrong_type",
                         f"{name} is {_json_type(game[name])}, expected {want}: the game silently loads an "
                         f"empty slice for {name} (no error is shown).", format_path(["gameData", name]))
        for parent, child, want in nested:
            holder = game.get(parent)
            if isinstance(holder, dict) and child in holder and not _matches(holder[child], (want,)):
                self.add(Severity.WARNING, "section_wrong_type",
                         f"{parent}.{child} is {_json_type(holder[child])}, expected {_TYPE_NAMES[want]}: the game "
                         f"silently loads an empty slice for {parent} (no error is shown).",
                         format_path(["gameData", parent, child]))
        if missing and not legacy:
            self.add(Severity.NOTICE, "section_missing",
                     f"gameData has no {', '.join(missing)}: the game resets "
                     f"{'that slice' if len(missing) == 1 else 'those slices'} to the defaults on load.",
                     "$.gameData")
        return True

    def _check_envelope(self, payload: dict) -> None:
        if "playtime" not in payload or payload.get("playtime") is None:
            what = "missing" if "playtime" not in payload else "null"
            self.add(Severity.WARNING, "playtime_missing",
                     f"playtime is {what}: the game loads the save, but its play clock becomes NaN and every "
                     "later save stores playtime: null.", "$.playtime")
        elif not is_number(payload.get("playtime")):
            self.add(Severity.WARNING, "playtime_wrong_type",
                     f"playtime is {_json_type(payload['playtime'])}, expected a number of milliseconds: the "
                     "game's play clock becomes NaN after loading it.", "$.playtime")
        if not is_number(payload.get("timestamp")):
            what = "missing" if "timestamp" not in payload else _json_type(payload.get("timestamp"))
            self.add(Severity.WARNING, "timestamp_missing",
                     f"timestamp is {what}, expected epoch milliseconds: the Save/Load list cannot date this "
                     "save, and eviction of old manual slots (which sorts by timestamp) misorders it.",
                     "$.timestamp")

    def _check_slot_field(self, payload: dict) -> None:
        slot = payload.get("slot")
        if self.problem_slot is None or slot is None:
            return  # single files: the slot field *is* the id
        if isinstance(slot, str) and slot == self.slot_id:
            return
        self.add(Severity.NOTICE, "slot_field_mismatch",
                 f"The payload's slot field says {js_repr(slot)!r} but it is stored under {self.key}; the game "
                 "loads it by its key and ignores the field.", "$.slot")

    def _check_index_agreement(self, payload: dict, status: SlotStatus) -> None:
        entry = self.index_entry
        if not entry:
            return
        ts, its = payload.get("timestamp"), entry.get("timestamp")
        if is_number(ts) and is_number(its) and ts != its:
            self.add(Severity.NOTICE, "index_timestamp_mismatch",
                     f"The slot index says this save was written at {int(its)}, the payload says {int(ts)}; "
                     "the in-game list shows the index's time.", "$.timestamp")
        iv = entry.get("version")
        pv = payload.get("version")
        if status is not SlotStatus.LEGACY and iv is not None and pv is not None and iv != pv:
            self.add(Severity.NOTICE, "index_version_mismatch",
                     f"The slot index says {format_version(iv)}, the payload says {format_version(pv)}.",
                     "$.version")


def infer_snapshot_source(game: Any) -> str | None:
    """Tell the two gameData shapes apart when meta does not say (§3.0)."""
    if not isinstance(game, dict):
        return None
    flags = game.get("storyFlags")
    quests = game.get("quests")
    if (isinstance(flags, dict) and isinstance(flags.get("flags"), dict)) or \
            (isinstance(quests, dict) and "byId" in quests):
        return STORE_SOURCE
    if isinstance(quests, dict) and "activeQuests" in quests:
        return LEGACY_SOURCE
    return None


def slot_id_for_file(payload: Any, file_name: str) -> str:
    """Id of a single-payload file: its ``slot`` field, else the file name (``save_slot1.fresh.json``
    -> ``slot1``)."""
    if isinstance(payload, dict) and isinstance(payload.get("slot"), (str, int, float)) \
            and not isinstance(payload.get("slot"), bool) and payload.get("slot") != "":
        return normalize_slot_name(payload["slot"])
    stem = file_name.rsplit("/", 1)[-1]
    for suffix in (".json",):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    if stem.startswith("save_"):
        stem = stem[len("save_"):].split(".", 1)[0]
    return normalize_slot_name(stem)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = _upper_first(text.strip())
    return text if text.endswith((".", "!", "?")) else text + "."
