"""Designer-level "what changed" between two saves (no Qt).

:func:`semantic_changes` turns two ``gameData`` values into short sentences grouped by
domain ("Factions: The Luminari Syndicate attitude unfriendly → neutral (cascade from
The Wraith Network)"); :func:`compare_payloads` adds the envelope (playtime, when it
was saved, version, label). Both accept the store shape, the legacy-managers shape and
v0 data, and never raise: a domain that cannot be read is reported as one line.
"""
from __future__ import annotations

from typing import Any, Callable

from inspector_app.core.common.timefmt import format_absolute_time, format_playtime

from . import semantic_items, semantic_story, semantic_world
from .semantic_text import (
    ARROW, DOMAINS, Change, Names, dig, is_number, obj, span, text,
)

_Domain = Callable[[dict, dict, Names], list[Change]]

_DOMAIN_FUNCS: tuple[tuple[str, _Domain], ...] = (
    ("Tutorial", semantic_story.tutorial),
    ("Quests", semantic_story.quests),
    ("Story flags", semantic_story.story_flags),
    ("Factions", semantic_world.factions),
    ("Districts", semantic_world.districts),
    ("NPCs", semantic_world.npcs),
    ("Dialogue", semantic_items.dialogue),
    ("Inventory", semantic_items.inventory),
    ("Investigation", semantic_items.investigation),
    ("Cases", semantic_items.cases),
    ("Finale", semantic_items.finale),
)


def semantic_changes(old_game_data: Any, new_game_data: Any) -> list[Change]:
    """Readable changes from ``old_game_data`` to ``new_game_data``, in :data:`DOMAINS` order.

    Paths in the returned changes are relative to ``gameData``.
    """
    old, new = obj(old_game_data), obj(new_game_data)
    try:
        names = Names(old, new)
    except Exception:  # noqa: BLE001 - odd data: fall back to ids
        names = Names()
    out: list[Change] = []
    for domain, func in _DOMAIN_FUNCS:
        try:
            out.extend(func(old, new, names))
        except Exception as exc:  # noqa: BLE001 - never let one odd slice hide the others
            out.append(Change(domain, f"could not be compared ({type(exc).__name__}: {exc})", "changed"))
    return out


def _envelope(old: dict, new: dict) -> list[Change]:
    out = []
    pa, pb = old.get("playtime"), new.get("playtime")
    if pa != pb:
        extra = f" ({span(pb - pa)})" if is_number(pa) and is_number(pb) else ""
        out.append(Change("Save", f"Playtime {format_playtime(pa)} {ARROW} {format_playtime(pb)}{extra}", "changed", ("playtime",)))
    ta, tb = old.get("timestamp"), new.get("timestamp")
    if ta != tb:
        extra = ""
        if is_number(ta) and is_number(tb):
            extra = f" ({span(tb - ta)} later)" if tb >= ta else f" ({span(tb - ta)}: B was saved before A)"
        out.append(Change("Save", f"Saved {format_absolute_time(ta)} {ARROW} {format_absolute_time(tb)}{extra}", "changed", ("timestamp",)))
    for key, label in (("version", "Version"), ("slot", "Slot")):
        if old.get(key) != new.get(key):
            out.append(Change("Save", f"{label} {text(old.get(key))} {ARROW} {text(new.get(key))}", "changed", (key,)))
    for key, label in (("slotLabel", "Label"), ("snapshotSource", "Snapshot source")):
        va, vb = dig(old, "meta", key), dig(new, "meta", key)
        if va != vb:
            out.append(Change("Save", f"{label} {text(va)} {ARROW} {text(vb)}", "changed", ("meta", key)))
    return out


def compare_payloads(old_payload: Any, new_payload: Any) -> list[Change]:
    """Envelope and ``gameData`` changes between two save payloads (paths relative to the payload)."""
    old, new = obj(old_payload), obj(new_payload)
    try:
        out = _envelope(old, new)
    except Exception as exc:  # noqa: BLE001
        out = [Change("Save", f"could not be compared ({type(exc).__name__}: {exc})")]
    for c in semantic_changes(old.get("gameData"), new.get("gameData")):
        path = ("gameData",) + c.path if c.path is not None else None
        out.append(Change(c.domain, c.text, c.kind, path, c.side))
    return out


def group_by_domain(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    """[(domain, changes)] in :data:`DOMAINS` order, unknown domains last."""
    groups: dict[str, list[Change]] = {}
    for c in changes:
        groups.setdefault(c.domain, []).append(c)
    order = {d: i for i, d in enumerate(DOMAINS)}
    return sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))


__all__ = ["Change", "semantic_changes", "compare_payloads", "group_by_domain", "DOMAINS"]
