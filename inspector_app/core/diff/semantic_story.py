"""Designer sentences for the story side of a save: story flags, quests, tutorial (no Qt).

Each function takes the two ``gameData`` dicts (store or legacy shape) and a
:class:`~.semantic_text.Names`, and returns :class:`~.semantic_text.Change` records.
"""
from __future__ import annotations

from typing import Any

from .semantic_text import ARROW, Change, Names, arr, dig, is_number, obj, strip_progress, text



# -- story flags -------------------------------------------------------------------------
def _flags(gd: dict) -> tuple[dict, tuple]:
    """{flagId: value} and the path of the flag dict (store: storyFlags.flags; legacy/v0: storyFlags)."""
    root = obj(gd.get("storyFlags"))
    if isinstance(root.get("flags"), dict):
        flags, base = root["flags"], ("storyFlags", "flags")
    else:
        flags, base = root, ("storyFlags",)
    return {k: (v.get("value") if isinstance(v, dict) else v) for k, v in flags.items()}, base


def story_flags(old: dict, new: dict, names: Names) -> list[Change]:
    a, base_a = _flags(old)
    b, base_b = _flags(new)
    out = []
    for flag, value in b.items():
        if flag not in a:
            suffix = "" if value is True else f" = {text(value)}"
            out.append(Change("Story flags", f"+{flag}{suffix}", "added", base_b + (flag,)))
        elif a[flag] != value or type(a[flag]) is not type(value):
            out.append(Change("Story flags", f"{flag} {text(a[flag])} {ARROW} {text(value)}", "changed",
                              base_b + (flag,)))
    for flag in a:
        if flag not in b:
            out.append(Change("Story flags", f"−{flag}", "removed", base_a + (flag,), side="a"))
    return out


# -- quests --------------------------------------------------------------------------------
def _quest_records(gd: dict) -> tuple[dict, tuple]:
    """{questId: record} for the store shape; legacy lists become minimal records."""
    q = obj(gd.get("quests"))
    if isinstance(q.get("byId"), dict):
        return {k: obj(v) for k, v in q["byId"].items()}, ("quests", "byId")
    out: dict = {}
    for field, status in (("activeQuests", "active"), ("completedQuests", "completed"), ("failedQuests", "failed")):
        for qid in arr(q.get(field)):
            if isinstance(qid, str):
                out[qid] = {"id": qid, "status": status}
    if not out:  # v0: {questId: {status}}
        out = {k: v for k, v in q.items() if isinstance(v, dict) and "status" in v}
        return out, ("quests",)
    return out, ("quests",)


def _status(value: Any) -> str:
    return text(value).replace("_", " ")


def _progress(o: dict) -> str:
    p, t = o.get("progress"), o.get("target")
    if is_number(p) and is_number(t):
        return f"{p:g}/{t:g}"
    return text(o.get("status"))


def _objectives(quest_title: str, qa: dict, qb: dict, path: tuple) -> list[Change]:
    out = []
    objs_a, objs_b = obj(qa.get("objectives")), obj(qb.get("objectives"))
    for oid, ob in objs_b.items():
        ob = obj(ob)
        oa = obj(objs_a.get(oid))
        title = strip_progress(str(ob.get("title") or oa.get("title") or oid))
        pa, pb = (oa.get("progress"), ob.get("progress"))
        sa, sb = oa.get("status"), ob.get("status")
        if pa == pb and sa == sb:
            continue
        if pa != pb and is_number(pb):
            msg = f"Objective '{title}' {_progress(oa) if oa else '0/' + str(ob.get('target', '?'))} {ARROW} {_progress(ob)}"
            if sb != sa and sb == "completed":
                msg += " (completed)"
            elif sb != sa and sb is not None:
                msg += f" ({_status(sb)})"
        else:
            msg = f"Objective '{title}' {_status(sa)} {ARROW} {_status(sb)}"
        kind = "added" if sb == "completed" else "changed"
        out.append(Change("Quests", f"{msg} — {quest_title}", kind, path + ("objectives", oid)))
    return out


def quests(old: dict, new: dict, names: Names) -> list[Change]:
    a, base_a = _quest_records(old)
    b, base = _quest_records(new)
    out = []
    for qid, qb in b.items():
        qa = a.get(qid)
        title = str(qb.get("title") or (qa or {}).get("title") or qid)
        sa = (qa or {}).get("status")
        sb = qb.get("status")
        path = base + (qid,)
        if qa is None:
            out.append(Change("Quests", f"+{title} registered ({_status(sb)})", "added", path))
        elif sa != sb:
            out.append(Change("Quests", f"{title} {_status(sa)} {ARROW} {_status(sb)}", "changed", path))
        if qa is not None:
            out.extend(_objectives(title, qa, qb, path))
            blocked = obj(qb.get("lastBlocked"))
            if qb.get("lastBlockedAt") != qa.get("lastBlockedAt") and blocked:
                reason = blocked.get("message") or blocked.get("reason") or "blocked"
                out.append(Change("Quests", f"{title} blocked: {reason}", "changed", path + ("lastBlocked",)))
    for qid, qa in a.items():
        if qid not in b:
            out.append(Change("Quests", f"{qa.get('title') or qid} no longer in the save", "removed",
                              base_a + (qid,), side="a"))
    out.extend(_npc_availability(old, new, names))
    return out


def _npc_availability(old: dict, new: dict, names: Names) -> list[Change]:
    a = obj(dig(old, "quests", "npcAvailability"))
    b = obj(dig(new, "quests", "npcAvailability"))
    out = []
    for nid, rb in b.items():
        rb = obj(rb)
        ra = obj(a.get(nid))
        avail_b = rb.get("available")
        if ra and ra.get("available") == avail_b:
            continue
        state = "available" if avail_b else "unavailable"
        reason = rb.get("reason")
        msg = f"{names.npc(nid)} {'now ' if ra else ''}{state} for quests" + (f" ({reason})" if reason else "")
        out.append(Change("Quests", msg, "changed" if ra else "added", ("quests", "npcAvailability", nid)))
    return out


# -- tutorial ------------------------------------------------------------------------------
def _tutorial(gd: dict) -> dict[str, Any]:
    t = obj(gd.get("tutorial"))
    steps = t.get("completedSteps")
    done = len(steps) if isinstance(steps, list) else (steps if is_number(steps) else 0)
    total = t.get("totalSteps") if is_number(t.get("totalSteps")) else None
    completed = t.get("completed")
    if completed is None:
        completed = gd.get("tutorialComplete")
    return {"done": done, "total": total, "completed": bool(completed), "skipped": bool(t.get("skipped")),
            "current": t.get("currentStep"), "snapshots": len(arr(t.get("promptHistorySnapshots"))), "present": bool(t)}


def tutorial(old: dict, new: dict, names: Names) -> list[Change]:
    a, b = _tutorial(old), _tutorial(new)
    if not (a["present"] or b["present"]):
        return []
    out = []
    total_a = a["total"] if a["total"] is not None else "?"
    total_b = b["total"] if b["total"] is not None else "?"
    state = ""
    if b["completed"] and not a["completed"]:
        state = " (completed)"
    elif b["skipped"] and not a["skipped"]:
        state = " (skipped)"
    if (a["done"], total_a) != (b["done"], total_b) or state:
        msg = f"{a['done']:g}/{total_a} {ARROW} {b['done']:g}/{total_b} steps{state}"
        if not state and b["current"] and b["current"] != a["current"]:
            msg += f", now at '{b['current']}'"
        out.append(Change("Tutorial", msg, "changed", ("tutorial", "completedSteps")))
    elif b["current"] != a["current"]:
        out.append(Change("Tutorial", f"Current step {text(a['current'])} {ARROW} {text(b['current'])}", "changed",
                          ("tutorial", "currentStep")))
    if a["completed"] and not b["completed"]:
        out.append(Change("Tutorial", "no longer completed (restarted?)", "removed", ("tutorial", "completed")))
    return out
