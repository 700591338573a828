"""Entry points of the world-state domain views (no Qt).

``build_domain_views`` turns a save's ``gameData`` (store, legacy-managers or display-
normalised v0 shape) or an inspector summary into one :class:`DomainView` per tab. Each
per-domain function can also be called alone. Nothing here raises on odd data: a view
that has nothing to show says why (``available=False`` / empty tables).
"""
from __future__ import annotations

from typing import Any

from inspector_app.core.common.jsfmt import is_number
from ._coerce import as_dict
from .overlay_text import overlay_lines, overlay_sections, snapshot_label, summary_metric_lines
from .summary import rebuild_inspector_summary
from .table import Column, DomainView, Fact, Table
from inspector_app.core.common.timefmt import format_absolute_time, format_duration_ms, format_playtime, format_relative_time
from .view_districts_npcs import districts_view, npcs_view
from .view_factions import factions_view
from .view_items import dialogue_view, inventory_view
from .view_overview import LIVE_ONLY_NOTE, overview_view, save_facts
from .view_quests_story import current_act, quest_stats, quests_view, story_flags, story_view
from .view_tutorial import tutorial_view

#: Tab keys and titles, in display order.
DOMAIN_TABS: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"), ("factions", "Factions"), ("tutorial", "Tutorial"), ("districts", "Districts"),
    ("npcs", "NPCs"), ("quests", "Quests"), ("story", "Story flags"), ("inventory", "Inventory"),
    ("dialogue", "Dialogue & cases"),
)

_BUILDERS = {
    "factions": factions_view, "tutorial": tutorial_view, "districts": districts_view, "npcs": npcs_view,
    "quests": quests_view, "story": story_view, "inventory": inventory_view, "dialogue": dialogue_view,
}


def _safe(builder, key: str, *args, **kwargs) -> DomainView:
    """Run one view builder; an unexpected failure becomes an unavailable view, never a crash."""
    try:
        return builder(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 — the last line of defence for odd saves
        title = dict(DOMAIN_TABS).get(key, key)
        return DomainView(key=key, title=title, available=False,
                          unavailable_reason=f"Could not build this view ({type(error).__name__}: {error}).")


def build_domain_views(game_data: Any = None, *, payload: Any = None, summary: Any = None,
                       now: int | float | None = None) -> dict[str, DomainView]:
    """All tabs, keyed as in :data:`DOMAIN_TABS`.

    With ``game_data`` (a dict), every tab is built from the save and the inspector summary is
    rebuilt from it (``generatedAt`` = the payload's timestamp, so the overlay replica reads as
    it would have when the save was written). With only ``summary``, the four summary-backed
    tabs are filled and the others say the data needs a save. ``now`` overrides the moment
    relative times are computed against.
    """
    envelope = as_dict(payload)
    if isinstance(game_data, dict):
        stamp = envelope.get("timestamp") if is_number(envelope.get("timestamp")) else None
        rebuilt = rebuild_inspector_summary(game_data, generated_at=stamp if stamp is not None else 0)
        if stamp is None:
            rebuilt["generatedAt"] = None
        views = {"overview": _safe(overview_view, "overview", rebuilt, payload=payload, game_data=game_data,
                                   now=now if now is not None else stamp)}
        for key, builder in _BUILDERS.items():
            views[key] = _safe(builder, key, game_data)
        return views
    views = {"overview": _safe(overview_view, "overview", summary, now=now)}
    for key, builder in _BUILDERS.items():
        views[key] = _safe(builder, key, None, summary=summary)
    return views


#: Big parts of a save the views read one run at a time (see ``view_items._item_runs``).
STREAMED_PATHS = (("gameData", "inventory", "items"),)


def sectioned_views_input(game_data: Any, cancelled=None) -> Any:
    """The gameData of a big save's skeleton (``core/loading/sections``) as the views read it:
    every unparsed part parsed, except the inventory items, which ``inventory_view`` reads one
    run at a time, so the whole parsed inventory never exists beside the view rows."""
    from inspector_app.core.loading.sections import materialize

    return materialize(game_data, cancelled, keep=lambda c: c.path in STREAMED_PATHS)


__all__ = [
    "Column", "DOMAIN_TABS", "DomainView", "Fact", "LIVE_ONLY_NOTE", "Table", "build_domain_views",
    "current_act", "dialogue_view", "districts_view", "factions_view", "format_absolute_time",
    "format_duration_ms", "format_playtime", "format_relative_time", "inventory_view", "npcs_view",
    "overlay_lines", "overlay_sections", "overview_view", "quest_stats", "quests_view", "save_facts", "sectioned_views_input",
    "snapshot_label", "story_flags", "story_view", "summary_metric_lines", "tutorial_view",
]
