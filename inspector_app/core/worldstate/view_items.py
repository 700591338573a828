"""Inventory, dialogue, investigation and case views (§3.6, §3.7, §3.10, §3.11)."""
from __future__ import annotations

from typing import Any

from inspector_app.core.common.guiturn import turns
from inspector_app.core.common.jsfmt import is_number
from inspector_app.core.loading.sections import lazy_kind
from ._coerce import as_dict, as_list, dicts, display_text, js_truthy, nullish
from .table import Column, DomainView, Fact, Table, row_maker
from inspector_app.core.common.timefmt import format_absolute_time

DIALOGUE_HISTORY_CAP = 10
RARITY_TONES = {"evidence": "info", "common": "neutral", "uncommon": "good", "rare": "good", "epic": "warn",
                "legendary": "warn"}
CASE_STATUS_TONES = {"active": "info", "solved": "good", "failed": "bad"}

ITEM_COLUMNS = [
    Column("name", "Item"), Column("type", "Type"), Column("rarity", "Rarity", "badge"),
    Column("quantity", "Qty", "number"), Column("equipped", "Equipped in"), Column("tags", "Tags"),
    Column("lastSeenAt", "Last seen", "time"), Column("id", "Id"),
]
EQUIPPED_COLUMNS = [Column("slot", "Slot"), Column("itemId", "Item id"), Column("name", "Item")]


def _number(value: Any) -> Any:
    return value if is_number(value) else None


def _item_runs(items: Any):
    """The inventory items in runs: one list, or — for a big save read as a skeleton
    (``core/loading/sections``) — its runs parsed one at a time, so the parsed items of only
    one run are alive at once (the rows keep what they show)."""
    if isinstance(items, list):
        yield items
    elif lazy_kind(items) is list:
        yield from items.iter_runs()


_item_row = row_maker(("name", "id", "type", "rarity", "quantity", "equipped", "tags", "lastSeenAt", "_tones",
                       "_tips"))
_item_tips = row_maker(("name", "tags"))


def _tag_texts(value: Any, cache: dict[tuple, tuple[str, str]]) -> tuple[str, str]:
    """(", "-joined, newline-joined) text of an item's tags; equal tag lists share the texts."""
    tags = as_list(value)
    # only lists of strings are shared: 1, 1.0 and True are equal keys but different texts
    key = tuple(tags) if all(type(t) is str for t in tags) else None
    hit = cache.get(key) if key is not None else None
    if hit is None:
        words = [str(t) for t in tags]
        hit = (", ".join(words), "\n".join(words))
        if key is not None:
            cache[key] = hit
    return hit


def inventory_view(game_data: Any = None, *, summary: Any = None) -> DomainView:
    if not isinstance(game_data, dict):
        return DomainView.needs_save("inventory", "Inventory", "The inventory is")
    view = DomainView(key="inventory", title="Inventory")
    inventory = as_dict(game_data.get("inventory"))
    equipped = as_dict(inventory.get("equipped"))
    selected = inventory.get("selectedItemId")
    slot_of = {item_id: slot for slot, item_id in equipped.items() if isinstance(item_id, str)}
    wanted = set(slot_of) | {i for i in equipped.values() if isinstance(i, (str, int, float))}
    if isinstance(selected, (str, int, float)):
        wanted.add(selected)
    names: dict = {}        # id -> name of the items the facts and the Equipped table name
    rows: list[dict] = []
    # A big inventory has ~90,000 rows: the rows share what repeats (read-only) — one
    # {"rarity": tone} per tone, one string per type / rarity text, one pair of tag texts per
    # set of tags — instead of a copy per row (~30 % of the rows' memory).
    tones: dict[Any, dict] = {}
    texts: dict[str, str] = {}
    tag_texts: dict[tuple, tuple[str, str]] = {}
    for part in _item_runs(inventory.get("items")):
        for i in turns(part):     # ~90,000 items in a 50 MB save: the GUI's turns (core/common/guiturn)
            if not isinstance(i, dict):
                continue
            item_id, kind, rarity = i.get("id"), i.get("type"), i.get("rarity")
            if item_id in wanted:
                names[item_id] = i.get("name")
            tone = RARITY_TONES.get(rarity, "neutral")
            tags, tags_tip = _tag_texts(i.get("tags"), tag_texts)
            rows.append(_item_row(
                nullish(i.get("name"), item_id), item_id,
                texts.setdefault(kind, kind) if type(kind) is str else kind,
                texts.setdefault(rarity, rarity) if type(rarity) is str else rarity,
                _number(i.get("quantity")), slot_of.get(item_id, ""), tags, _number(i.get("lastSeenAt")),
                tones.get(tone) or tones.setdefault(tone, {"rarity": tone}),
                _item_tips(display_text(i.get("description")), tags_tip)))
    view.facts += [
        Fact("Items", str(len(rows))),
        Fact("Total quantity", display_text(sum(r["quantity"] or 0 for r in rows))),
        Fact("Selection", f"{display_text(names.get(selected) or selected)} (index {display_text(inventory.get('selectedIndex'))}, "
                          f"via {display_text(inventory.get('selectionSource'))})" if selected else "none",
             tooltip=format_absolute_time(inventory.get("lastSelectionAt"))),
        Fact("Last update", format_absolute_time(inventory.get("lastUpdatedAt"))),
    ]
    if inventory.get("items") is not None and not isinstance(inventory.get("items"), list) \
            and lazy_kind(inventory.get("items")) is not list:
        view.notes.append("inventory.items is not a list in this save; nothing to show.")
    view.tables += [
        Table("items", "Items", ITEM_COLUMNS, rows, empty_text="The inventory is empty"),
        Table("equipped", "Equipped", EQUIPPED_COLUMNS,
              [{"slot": s, "itemId": i, "name": names.get(i, "—")} for s, i in equipped.items()],
              empty_text="Nothing equipped"),
    ]
    return view


DIALOGUE_NPC_COLUMNS = [
    Column("npc", "NPC"), Column("entries", "History", tooltip="entries / cap (10)"),
    Column("lastDialogue", "Completed dialogue"), Column("lastNode", "Last node"),
    Column("lastChoice", "Last choice"), Column("completedAt", "Completed", "time"),
]
DIALOGUE_LINE_COLUMNS = [
    Column("npc", "NPC"), Column("n", "#", "number"), Column("type", "Type", "badge"), Column("dialogue", "Dialogue"),
    Column("node", "Node"), Column("speaker", "Speaker / choice"), Column("text", "Text"),
    Column("timestamp", "When", "time"),
]
CASE_COLUMNS = [
    Column("id", "Case"), Column("status", "Status", "badge"), Column("evidence", "Evidence", "number"),
    Column("clues", "Clues", "number"), Column("objectives", "Objectives done"), Column("accuracy", "Accuracy", "number"),
    Column("solveTime", "Solve time", "number"), Column("testimonies", "Testimonies", "number"),
    Column("contradictions", "Contradictions", "number"),
]


def case_progress(case: Any) -> tuple[Any, int, int]:
    """``(status, objectives completed, objectives)`` of one case record — the Cases table's
    Objectives column, and what the playtest counts (``core/playtest``)."""
    case = as_dict(case)
    objectives = dicts(case.get("objectives"))
    return case.get("status"), sum(1 for o in objectives if js_truthy(o.get("completed"))), len(objectives)


def case_progress_rows(game_data: Any) -> list[tuple[Any, Any, int, int]]:
    """``(id, status, done, total)`` per case of a save's ``gameData`` (without building the view)."""
    cases = as_dict(as_dict(as_dict(game_data).get("cases")).get("cases"))
    return [(case_id, *case_progress(case)) for case_id, case in cases.items()]


def dialogue_view(game_data: Any = None, *, summary: Any = None) -> DomainView:
    """Dialogue histories and completed dialogues, plus the investigation and case summaries."""
    if not isinstance(game_data, dict):
        return DomainView.needs_save("dialogue", "Dialogue & cases", "Dialogue and cases are")
    view = DomainView(key="dialogue", title="Dialogue & cases")
    dialogue = as_dict(game_data.get("dialogue"))
    limit = dialogue.get("historyLimit") if is_number(dialogue.get("historyLimit")) else DIALOGUE_HISTORY_CAP
    history = as_dict(dialogue.get("historyByNpc"))
    completed = as_dict(dialogue.get("completedByNpc"))
    npc_rows, lines = [], []
    for npc in list(history) + [n for n in completed if n not in history]:
        done = as_dict(completed.get(npc))
        entries = as_list(history.get(npc))
        npc_rows.append({"npc": npc, "entries": f"{len(entries)} / {display_text(limit)}",
                         "lastDialogue": done.get("lastDialogueId"), "lastNode": done.get("lastNodeId"),
                         "lastChoice": done.get("lastChoiceId"), "completedAt": _number(done.get("completedAt"))})
        for n, e in enumerate(dicts(entries), start=1):
            is_choice = e.get("type") == "choice"
            lines.append({"npc": npc, "n": n, "type": e.get("type"), "dialogue": e.get("dialogueId"),
                          "node": e.get("nodeId"),
                          "speaker": f"choice {display_text(e.get('choiceId'))}" if is_choice else e.get("speaker"),
                          "text": e.get("choiceText") if is_choice else e.get("text"),
                          "timestamp": _number(e.get("timestamp")),
                          "_tones": {"type": "info" if is_choice else "neutral"},
                          "_tips": {"text": display_text(e.get("choiceText") if is_choice else e.get("text"))}})
    active = as_dict(dialogue.get("active"))
    view.facts.append(Fact("Active dialogue", f"{display_text(active.get('npcId'))} — {display_text(active.get('dialogueId'))} "
                                              f"@ {display_text(active.get('nodeId'))}" if active else "none"))
    view.facts.append(Fact("NPCs talked to", str(len(npc_rows))))
    if game_data.get("dialogue") is None:
        view.notes.append("No dialogue section in this save (legacy shape).")
    view.tables += [
        Table("dialogueNpcs", "Dialogue per NPC", DIALOGUE_NPC_COLUMNS, npc_rows, empty_text="No dialogue recorded"),
        Table("dialogueLines", f"Dialogue history (oldest first, ≤ {display_text(limit)} per NPC)",
              DIALOGUE_LINE_COLUMNS, lines, empty_text="No dialogue lines recorded"),
    ]

    investigation = as_dict(game_data.get("investigation"))
    vision = as_dict(investigation.get("detectiveVision"))
    if investigation:
        view.facts += [
            Fact("Abilities", display_text(as_list(investigation.get("abilities")))),
            Fact("Knowledge", display_text(as_list(investigation.get("knowledge")))),
            Fact("Cases solved", str(len(as_list(investigation.get("casesSolved"))))),
            Fact("Detective vision", f"energy {display_text(vision.get('energy'))}/{display_text(vision.get('energyMax'))}"
                                     f"{' (active)' if js_truthy(vision.get('active')) else ''}" if vision else "—"),
        ]
    else:
        view.notes.append("No investigation state in this save (null).")
    cases_root = as_dict(game_data.get("cases"))
    case_rows = []
    for case_id, case in as_dict(cases_root.get("cases")).items():
        case = as_dict(case)
        status, done, total = case_progress(case)
        case_rows.append({
            "id": case_id, "status": status,
            "evidence": len(as_list(case.get("collectedEvidence"))), "clues": len(as_list(case.get("discoveredClues"))),
            "objectives": f"{done}/{total}",
            "accuracy": _number(case.get("accuracy")), "solveTime": _number(case.get("solveTime")),
            "testimonies": len(as_list(case.get("testimonies"))),
            "contradictions": len(as_list(case.get("testimonyContradictions"))),
            "_tones": {"status": CASE_STATUS_TONES.get(case.get("status"), "neutral")},
            "_tips": {"id": "Evidence: " + ", ".join(str(e) for e in as_list(case.get("collectedEvidence")))},
        })
    view.facts.append(Fact("Active case", display_text(cases_root.get("activeCaseId")) if cases_root else "—"))
    view.tables.append(Table("cases", "Cases", CASE_COLUMNS, case_rows, empty_text="No cases in this save"))
    return view


