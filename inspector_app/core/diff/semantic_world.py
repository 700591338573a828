"""Designer sentences for the world side of a save: factions, districts, NPCs (no Qt)."""
from __future__ import annotations

from .semantic_text import ARROW, Change, Names, arr, delta, dig, is_number, num, obj, text

DEFAULT_ATTITUDE = "neutral"


# -- factions ------------------------------------------------------------------------------
def _faction_records(gd: dict) -> tuple[dict, tuple]:
    f = obj(gd.get("factions"))
    if isinstance(f.get("byId"), dict):
        return {k: obj(v) for k, v in f["byId"].items()}, ("factions", "byId")
    return {k: obj(v) for k, v in obj(f.get("reputation")).items()}, ("factions", "reputation")  # legacy / v0


def _cascade_note(rec: dict, names: Names) -> str:
    change = obj(rec.get("lastAttitudeChange"))
    if change.get("cascade") and change.get("newAttitude") == rec.get("attitude"):
        src = change.get("sourceFactionName") or names.faction(change.get("sourceFactionId"))
        return f" (cascade from {src})"
    return ""


def factions(old: dict, new: dict, names: Names) -> list[Change]:
    a, _ = _faction_records(old)
    b, base = _faction_records(new)
    out = []
    for fid, rb in b.items():
        ra = a.get(fid)
        name = names.faction(fid)
        path = base + (fid,)
        if ra is None:
            now = [f"{f} {num(rb.get(f))}" for f in ("fame", "infamy") if is_number(rb.get(f))]
            if is_number(rb.get("cascadeCount")) and rb.get("cascadeCount"):
                now.append(f"cascades {num(rb.get('cascadeCount'))}")
            out.append(Change("Factions", f"+{name} now tracked" + (f" ({', '.join(now)})" if now else ""), "added", path))
        att_a = (ra or {}).get("attitude", DEFAULT_ATTITUDE if "attitude" in rb else None)
        att_b = rb.get("attitude")
        if att_b is not None and att_a != att_b:
            out.append(Change("Factions", f"{name} attitude {text(att_a)} {ARROW} {att_b}{_cascade_note(rb, names)}",
                              "changed", path + ("attitude",)))
        if ra is None:
            continue
        parts = []
        for field in ("fame", "infamy"):
            va, vb = ra.get(field, 0), rb.get(field)
            if is_number(vb) and va != vb:
                parts.append(f"{field} {delta(va, vb)}")
        ca, cb = ra.get("cascadeCount", 0), rb.get("cascadeCount")
        if is_number(cb) and is_number(ca) and cb != ca:
            parts.append(f"cascades {delta(ca, cb)}")
        if parts:
            out.append(Change("Factions", f"{name} {', '.join(parts)}", "changed", path))
    for fid in a:
        if fid not in b:
            out.append(Change("Factions", f"−{names.faction(fid)} record cleared", "removed",
                              ("factions", "byId", fid), side="a"))
    out.extend(_faction_store_events(old, new, names))
    return out


def _faction_store_events(old: dict, new: dict, names: Names) -> list[Change]:
    fa, fb = obj(old.get("factions")), obj(new.get("factions"))
    out = []
    if fb.get("lastResetAt") is not None and fb.get("lastResetAt") != fa.get("lastResetAt"):
        out.append(Change("Factions", f"Reputation reset ({text(fb.get('lastResetReason'))})", "changed",
                          ("factions", "lastResetAt")))
    seen = {(obj(r).get("npcId"), obj(r).get("removedAt")) for r in arr(fa.get("recentMemberRemovals"))}
    fresh = [obj(r) for r in arr(fb.get("recentMemberRemovals"))
             if (obj(r).get("npcId"), obj(r).get("removedAt")) not in seen]
    if fresh:
        who = ", ".join(str(r.get("npcId")) for r in fresh[:3]) + (" …" if len(fresh) > 3 else "")
        out.append(Change("Factions", f"+{len(fresh)} member removal{'s' if len(fresh) != 1 else ''} ({who})", "added",
                          ("factions", "recentMemberRemovals")))
    return out


# -- districts -----------------------------------------------------------------------------
def _on_off(value) -> str:
    return "on" if value else "off"


def _district_parts(ra: dict, rb: dict, names: Names) -> list[tuple[str, tuple]]:
    parts = []
    ctrl_a, ctrl_b = dig(ra, "controllingFaction", "current"), dig(rb, "controllingFaction", "current")
    if ctrl_a != ctrl_b:
        parts.append((f"control {names.faction(ctrl_a)} {ARROW} {names.faction(ctrl_b)}", ("controllingFaction",)))
    st_a, st_b = dig(ra, "stability", "current"), dig(rb, "stability", "current")
    rt_a, rt_b = dig(ra, "stability", "rating"), dig(rb, "stability", "rating")
    if st_a != st_b or rt_a != rt_b:
        rating = f" ({rt_b})" if rt_b else ""
        parts.append((f"stability {delta(st_a, st_b)}{rating}", ("stability",)))
    ft_a, ft_b = dig(ra, "access", "fastTravelEnabled"), dig(rb, "access", "fastTravelEnabled")
    if ft_a != ft_b:
        parts.append((f"fast travel {_on_off(ft_a)} {ARROW} {_on_off(ft_b)}", ("access", "fastTravelEnabled")))
    active_a = {obj(r).get("id"): bool(obj(r).get("active")) for r in arr(dig(ra, "access", "restrictions"))}
    for r in arr(dig(rb, "access", "restrictions")):
        r = obj(r)
        if bool(r.get("active")) != active_a.get(r.get("id"), False):
            verb = "+restriction" if r.get("active") else "lifted restriction"
            parts.append((f"{verb} {r.get('type') or r.get('id')}", ("access", "restrictions")))
    unlocked_a = {obj(r).get("id") for r in arr(ra.get("infiltrationRoutes")) if obj(r).get("unlocked")}
    for r in arr(rb.get("infiltrationRoutes")):
        r = obj(r)
        if r.get("unlocked") and r.get("id") not in unlocked_a:
            parts.append((f"route {r.get('id')} unlocked", ("infiltrationRoutes",)))
    lock_a, lock_b = dig(ra, "analytics", "lockdownsTriggered"), dig(rb, "analytics", "lockdownsTriggered")
    if is_number(lock_b) and lock_a != lock_b:
        parts.append((f"lockdowns {delta(lock_a, lock_b)}", ("analytics", "lockdownsTriggered")))
    return parts


def districts(old: dict, new: dict, names: Names) -> list[Change]:
    a = obj(dig(old, "districts", "byId"))
    b = obj(dig(new, "districts", "byId"))
    out = []
    for did, rb in b.items():
        rb = obj(rb)
        name = rb.get("name") or did
        path = ("districts", "byId", did)
        if did not in a:
            out.append(Change("Districts", f"+{name} registered", "added", path))
            continue
        for part, sub in _district_parts(obj(a[did]), rb, names):
            out.append(Change("Districts", f"{name} {part}", "changed", path + sub))
    for did in a:
        if did not in b:
            out.append(Change("Districts", f"−{obj(a[did]).get('name') or did}", "removed", ("districts", "byId", did), "a"))
    return out


# -- NPCs ------------------------------------------------------------------------------------
_COUNTERS = (("interviews", "interviews"), ("recognitions", "recognitions"), ("witnessedCrimes", "witnessed crimes"))


def npcs(old: dict, new: dict, names: Names) -> list[Change]:
    a = obj(dig(old, "npcs", "byId"))
    b = obj(dig(new, "npcs", "byId"))
    out = []
    for nid, rb in b.items():
        rb = obj(rb)
        ra = obj(a.get(nid))
        name = rb.get("name") or ra.get("name") or names.npc(nid)
        sa, sb = ra.get("status", "unknown"), rb.get("status")
        parts = []
        if sb is not None and sa != sb:
            parts.append(f"{sa} {ARROW} {sb}")
        if rb.get("knowsPlayer") and not ra.get("knowsPlayer"):
            parts.append("now knows the player")
        for key, label in _COUNTERS:
            ca, cb = dig(ra, "interactions", key, default=0), dig(rb, "interactions", key)
            if is_number(cb) and cb != ca:
                parts.append(f"{label} {delta(ca, cb)}")
        if parts:
            kind = "added" if not ra else "changed"
            out.append(Change("NPCs", f"{name} {', '.join(parts)}", kind, ("npcs", "byId", nid)))
    for nid in a:
        if nid not in b:
            out.append(Change("NPCs", f"−{names.npc(nid)} no longer tracked", "removed", ("npcs", "byId", nid), "a"))
    return out


__all__ = ["factions", "districts", "npcs", "num"]
