"""Whole-profile localStorage exports: every ``save_*`` key is a slot, ``save_metadata`` is
only the index (save-format §1.2, §1.5, §1.6, §7.1).

The slots are listed from the keys, never from the index, because the two drift apart in
the game (a corrupt index, an index overwritten by a slot named ``metadata``, payloads
written while the index was broken). The index only supplies labels, slot types and
``in_index``; each disagreement becomes a Problem. One bad slot never stops the others.

No Qt here.
"""
from __future__ import annotations

from typing import Any, Callable

import orjson

from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.loading.detect import is_payload, is_slot_index
from inspector_app.core.loading.document import Problem, SaveDocument, Severity, SlotEntry
from inspector_app.core.loading.jsonparse import JsonParseError, TextHints, describe_value, parse_json
from inspector_app.core.loading.payload import SlotBuilder
from inspector_app.core.loading.slots import INDEX_KEY, is_slot_key, normalize_slot_name, slot_id_from_key

Tick = Callable[[int, int, str], None]
_IN_VALUE = "in the stored string"

# Slots whose stored text is at least this big are validated, then parked (SlotEntry.park):
# they are parsed again when looked at instead of staying in memory several times their size.
# Real saves weigh 60-160 KB and always stay parsed.
PARK_SLOT_BYTES = 1024 * 1024
# Legacy slots get their v0->v1 display copy at load time (in the worker) for the first slots
# only: a hostile profile of 200,000 legacy slots must not hold 200,000 copies.
WARM_DISPLAY_SLOTS = 64


def _reparse(text: str | bytes) -> Any:
    return parse_json(text, check_duplicates=False).value


def string_size(value: str | bytes) -> int:
    """UTF-8 size of a stored string without encoding it when it is ASCII (O(1) check)."""
    if isinstance(value, bytes) or value.isascii():
        return len(value)
    return len(value.encode("utf-8", errors="surrogatepass"))


def build_profile(doc: SaveDocument, root: dict, file: str, tick: Tick, hints: TextHints | None = None) -> None:
    """Fill ``doc`` (kind PROFILE) from the parsed export ``root``.

    ``hints`` are what scanning the whole file found; the values, being substrings of it,
    need not be scanned for the same things again.
    """
    add = _doc_problem_adder(doc, file)
    if is_slot_index(root) and not any(k.startswith("save_") for k in root):
        _index_only(doc, root, add)
        return
    index, overwritten_payload = _read_index(root, add)
    doc.index = index
    slot_keys = [k for k in root if is_slot_key(k)]
    for k, v in root.items():
        if k != INDEX_KEY and not is_slot_key(k):
            doc.profile_flags[k] = v
    total = len(slot_keys) + (1 if overwritten_payload is not None else 0)
    newest: SlotEntry | None = None   # the parked slot a viewer shows first stays parsed (warm)
    for i, key in enumerate(slot_keys):
        tick(i, total, f"Reading slot {i + 1} of {total}: {key}")
        slot = _slot_from_value(key, root[key], file, index, hints)
        if slot.is_parked:
            root[key] = slot.parked_text  # drop the wide str: root keeps the compact copy
            if newest is None or _newer(slot, newest):
                if newest is not None:
                    newest.cool()
                newest = slot
            else:
                slot.cool()
        elif i < WARM_DISPLAY_SLOTS:
            _ = slot.display_payload  # made in the worker for the slots a viewer is likely to open
        doc.slots.append(slot)
    if overwritten_payload is not None:
        tick(len(slot_keys), total, f"Reading slot {total} of {total}: {INDEX_KEY}")
        doc.slots.append(_overwritten_index_slot(root[INDEX_KEY], overwritten_payload, file))
    if total:
        tick(total, total, "Checking the slot index")
    _cross_check_index(doc, index, add, file)


def _newer(a: SlotEntry, b: SlotEntry) -> bool:
    ta = a.timestamp if isinstance(a.timestamp, (int, float)) else float("-inf")
    tb = b.timestamp if isinstance(b.timestamp, (int, float)) else float("-inf")
    return ta > tb


def _doc_problem_adder(doc: SaveDocument, file: str) -> Callable[..., None]:
    def add(severity: Severity, code: str, message: str, location: str | None = None,
            slot: str | None = None) -> None:
        doc.problems.append(Problem(severity, message, file=file, slot=slot, location=location, code=code))
    return add


def _index_only(doc: SaveDocument, root: dict, add: Callable[..., None]) -> None:
    doc.index = root
    ids = ", ".join(root)
    add(Severity.NOTICE, "index_only",
        f"This file is a slot index (the value of save_metadata) on its own: it lists {len(root)} slot(s) "
        f"({ids}) but holds no save data. Open the whole-profile export or a save_<slot> value to see the saves.")


def _read_index(root: dict, add: Callable[..., None]) -> tuple[dict | None, Any]:
    """The parsed index, or None; plus the payload when a slot named ``metadata`` overwrote it."""
    if INDEX_KEY not in root:
        if any(is_slot_key(k) for k in root):
            add(Severity.WARNING, "index_missing",
                "There is no save_metadata key (the slot index): the in-game Save/Load list shows none of these "
                "slots, although the game can still load each one by name.", slot=INDEX_KEY)
        return None, None
    raw = root[INDEX_KEY]
    if isinstance(raw, str):
        try:
            value = parse_json(raw).value
        except JsonParseError as err:
            loc = f"{err.location} {_IN_VALUE}" if err.location else None
            add(Severity.WARNING, "index_corrupt",
                f"The slot index is not valid JSON: {err.reason.rstrip('.')}. The game's getSaveSlots() returns an empty "
                "list and slotExists() is false for every slot; new saves are still written but never listed. "
                "The slots are listed here from their save_* keys.", loc, slot=INDEX_KEY)
            return None, None
    else:
        value = raw
        if isinstance(raw, dict):
            add(Severity.NOTICE, "value_not_string",
                "save_metadata holds a JSON object, not a string: localStorage stores only strings, so this "
                "export was edited or made by another tool. It is read as the index anyway.", slot=INDEX_KEY)
    if isinstance(value, dict) and is_payload(value) and not is_slot_index(value):
        add(Severity.WARNING, "index_overwritten",
            "save_metadata holds a save payload, not the slot index: a slot named \"metadata\" was saved and its "
            "payload overwrote the index. The in-game list now shows the payload's top-level keys (version, "
            "timestamp, ...) as slots. The payload is shown as slot \"metadata\"; the other slots are listed "
            "from their save_* keys.", slot=INDEX_KEY)
        return None, value
    if isinstance(value, list):
        add(Severity.WARNING, "index_array",
            f"The slot index is {describe_value(value)}, not an object: the game treats it as empty, so the "
            "in-game list shows no slots, and the next save overwrites it, dropping every other slot from the list "
            "(their save_* keys remain).", slot=INDEX_KEY)
        return None, None
    if not isinstance(value, dict):
        add(Severity.WARNING, "index_not_object",
            f"The slot index is {describe_value(value)}, not an object: the game treats it as empty.",
            slot=INDEX_KEY)
        return None, None
    for slot_id, entry in value.items():
        if not isinstance(entry, dict):
            add(Severity.WARNING, "index_entry_invalid",
                f"The index entry for \"{slot_id}\" is {describe_value(entry)}, not an object: the in-game list "
                "shows it with default values.", format_path([slot_id]), slot=INDEX_KEY)
    return value, None


def _slot_from_value(key: str, value: Any, file: str, index: dict | None,
                     hints: TextHints | None = None) -> SlotEntry:
    slot_id = slot_id_from_key(key)
    entry = index.get(slot_id) if index else None
    builder = SlotBuilder(key=key, slot_id=slot_id, size_bytes=0, file=file, problem_slot=key,
                          index_entry=entry if isinstance(entry, dict) else None,
                          in_index=bool(index) and slot_id in index)
    if normalize_slot_name(slot_id) != slot_id:
        builder.add(Severity.WARNING, "key_not_normalised",
                    f"The game cannot address this key: it normalises the slot name \"{slot_id}\" to "
                    f"\"{normalize_slot_name(slot_id)}\" and would read save_{normalize_slot_name(slot_id)} instead.")
    if isinstance(value, (str, bytes)):  # bytes: a big stored string the splitter kept as UTF-8
        try:
            parsed = parse_json(value, hints=hints)
        except JsonParseError as err:
            builder.size_bytes = string_size(value)
            return builder.unreadable(err, _IN_VALUE)
        # After orjson has read a non-ASCII str, CPython caches its UTF-8 form, so sizing it
        # now is a copy rather than a second encode.
        builder.size_bytes = string_size(value)
        builder.add_parse_notes(parsed.notes, _IN_VALUE)
        slot = builder.from_value(parsed.value)
        if builder.size_bytes >= PARK_SLOT_BYTES and slot.payload is parsed.value:
            # A str with any non-ASCII character is stored 2-4 bytes per character; parked
            # text is kept as UTF-8 (1 byte per character here, and orjson reads bytes).
            if isinstance(value, str) and not value.isascii():
                value = value.encode("utf-8", "surrogatepass")
            slot.park(value, _reparse, warm=True)
        return slot
    builder.size_bytes = len(orjson.dumps(value)) if _dumpable(value) else 0
    if isinstance(value, dict):
        builder.add(Severity.NOTICE, "value_not_string",
                    "This value is a JSON object, not a string: localStorage stores only strings, so this export "
                    "was edited or made by another tool. It is read as the payload anyway.")
        return builder.from_value(value)
    builder.add(Severity.ERROR, "value_not_string",
                f"This value is {describe_value(value)}, not a string: localStorage stores only strings, so there "
                "is no save text to read.")
    return builder.unusable()


def _dumpable(value: Any) -> bool:
    try:
        orjson.dumps(value)
        return True
    except orjson.JSONEncodeError:
        return False


def _overwritten_index_slot(raw: Any, payload: dict, file: str) -> SlotEntry:
    builder = SlotBuilder(key=INDEX_KEY, slot_id="metadata", file=file, problem_slot=INDEX_KEY,
                          size_bytes=string_size(raw) if isinstance(raw, str) else 0)
    builder.add(Severity.WARNING, "index_overwritten",
                "This payload was saved to a slot named \"metadata\", so it sits where the slot index belongs. "
                "The game can load it, but its slot list is broken until the key is removed.")
    return builder.from_value(payload)


def _cross_check_index(doc: SaveDocument, index: dict | None, add: Callable[..., None], file: str) -> None:
    if not index:
        return
    present = {s.slot_id for s in doc.slots}
    for slot_id, entry in index.items():
        if slot_id in present:
            continue
        label = entry.get("label") if isinstance(entry, dict) else None
        named = f" (label \"{label}\")" if isinstance(label, str) and label != slot_id else ""
        add(Severity.WARNING, "index_missing_payload",
            f"The slot index lists \"{slot_id}\"{named} but there is no save_{slot_id} key: the in-game list "
            "shows a slot that cannot be loaded (\"No save found in slot\").",
            format_path([slot_id]), slot=INDEX_KEY)
    for slot in doc.slots:
        if not slot.in_index and slot.key != INDEX_KEY:
            slot.problems.append(Problem(
                Severity.WARNING,
                "This slot is not listed in the slot index (save_metadata): the in-game Save/Load list does not "
                "show it, although the game can still load it by name.",
                file=file, slot=slot.key, code="payload_not_in_index"))
