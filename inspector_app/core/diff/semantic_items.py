"""Designer sentences for dialogue, inventory, investigation, cases and the finale (no Qt)."""
from __future__ import annotations

from .semantic_text import ARROW, Change, Names, arr, delta, dig, is_number, obj, text


# -- dialogue --------------------------------------------------------------------------------
def _line_key(e: dict) -> tuple:
    return (e.get("type"), e.get("dialogueId"), e.get("nodeId"), e.get("choiceId"), e.get("timestamp"))


def dialogue(old: dict, new: dict, names: Names) -> list[Change]:
    da, db = obj(old.get("dialogue")), obj(new.get("dialogue"))
    out = []
    hist_a, hist_b = obj(da.get("historyByNpc")), obj(db.get("historyByNpc"))
    for nid, lines in hist_b.items():
        seen = {_line_key(obj(e)) for e in arr(hist_a.get(nid))}
        fresh = [obj(e) for e in arr(lines) if _line_key(obj(e)) not in seen]
        if fresh:
            n = len(fresh)
            out.append(Change("Dialogue", f"+{n} line{'s' if n != 1 else ''} with {names.npc(nid)}", "added",
                              ("dialogue", "historyByNpc", nid)))
    done_a, done_b = obj(da.get("completedByNpc")), obj(db.get("completedByNpc"))
    for nid, rec in done_b.items():
        rec = obj(rec)
        prev = obj(done_a.get(nid))
        if rec.get("completedAt") != prev.get("completedAt") or rec.get("lastDialogueId") != prev.get("lastDialogueId"):
            choice = rec.get("lastChoiceId")
            msg = f"Completed '{text(rec.get('lastDialogueId'))}' with {names.npc(nid)}"
            out.append(Change("Dialogue", msg + (f" (last choice: {choice})" if choice else ""), "added",
                              ("dialogue", "completedByNpc", nid)))
    act_a, act_b = obj(da.get("active")), obj(db.get("active"))
    if (act_a.get("npcId"), act_a.get("dialogueId")) != (act_b.get("npcId"), act_b.get("dialogueId")):
        if act_b:
            msg = f"In conversation with {names.npc(act_b.get('npcId'))} ('{text(act_b.get('dialogueId'))}')"
        else:
            msg = f"Conversation with {names.npc(act_a.get('npcId'))} ended"
        out.append(Change("Dialogue", msg, "changed", ("dialogue", "active")))
    return out


# -- inventory -------------------------------------------------------------------------------
def _items(gd: dict) -> dict:
    out = {}
    for i, item in enumerate(arr(dig(gd, "inventory", "items"))):
        item = obj(item)
        key = item.get("id") if isinstance(item.get("id"), (str, int)) else f"#{i}"
        out.setdefault(key, (i, item))
    return out


def _item_label(item: dict, key) -> str:
    name = item.get("name") or key
    qty = item.get("quantity")
    qty_text = f" ×{qty:g}" if is_number(qty) and qty != 1 else ""
    tag = item.get("rarity") or item.get("type")
    return f"{name}{qty_text}" + (f" ({tag})" if tag else "")


def inventory(old: dict, new: dict, names: Names) -> list[Change]:
    a, b = _items(old), _items(new)
    out = []
    for key, (j, item) in b.items():
        if key not in a:
            out.append(Change("Inventory", f"+{_item_label(item, key)}", "added", ("inventory", "items", j)))
            continue
        prev = a[key][1]
        if prev.get("quantity") != item.get("quantity"):
            out.append(Change("Inventory", f"{item.get('name') or key} quantity {delta(prev.get('quantity'), item.get('quantity'))}",
                              "changed", ("inventory", "items", j, "quantity")))
    for key, (i, item) in a.items():
        if key not in b:
            out.append(Change("Inventory", f"−{_item_label(item, key)}", "removed", ("inventory", "items", i), "a"))
    eq_a, eq_b = obj(dig(old, "inventory", "equipped")), obj(dig(new, "inventory", "equipped"))
    item_names = {k: v[1].get("name") or k for k, v in {**a, **b}.items()}
    for slot in list(eq_b) + [s for s in eq_a if s not in eq_b]:
        ia, ib = eq_a.get(slot), eq_b.get(slot)
        if ia != ib:
            msg = f"Equipped {slot}: {item_names.get(ia, text(ia))} {ARROW} {item_names.get(ib, text(ib))}"
            out.append(Change("Inventory", msg, "changed", ("inventory", "equipped")))
    return out


# -- investigation and cases ---------------------------------------------------------------------
def _set_changes(domain: str, label: str, va, vb, path: tuple) -> list[Change]:
    a = {x for x in arr(va) if isinstance(x, (str, int))}
    b = [x for x in arr(vb) if isinstance(x, (str, int))]
    out = [Change(domain, f"+{label} {x}", "added", path) for x in b if x not in a]
    bs = set(b)
    out += [Change(domain, f"−{label} {x}", "removed", path, "a") for x in arr(va) if isinstance(x, (str, int)) and x not in bs]
    return out


def investigation(old: dict, new: dict, names: Names) -> list[Change]:
    ia, ib = obj(old.get("investigation")), obj(new.get("investigation"))
    out = []
    out += _set_changes("Investigation", "ability", ia.get("abilities"), ib.get("abilities"), ("investigation", "abilities"))
    out += _set_changes("Investigation", "knowledge", ia.get("knowledge"), ib.get("knowledge"), ("investigation", "knowledge"))
    out += _set_changes("Investigation", "case solved", ia.get("casesSolved"), ib.get("casesSolved"),
                        ("investigation", "casesSolved"))
    clues_a, clues_b = len(obj(ia.get("discoveredClues"))), len(obj(ib.get("discoveredClues")))
    if clues_a != clues_b:
        out.append(Change("Investigation", f"discovered clues {delta(clues_a, clues_b)}", "changed",
                          ("investigation", "discoveredClues")))
    return out


def cases(old: dict, new: dict, names: Names) -> list[Change]:
    ca, cb = obj(old.get("cases")), obj(new.get("cases"))
    out = []
    if ca.get("activeCaseId") != cb.get("activeCaseId") and (ca or cb):
        out.append(Change("Cases", f"Active case {text(ca.get('activeCaseId'))} {ARROW} {text(cb.get('activeCaseId'))}",
                          "changed", ("cases", "activeCaseId")))
    all_a = obj(ca.get("cases"))
    for cid, rb in obj(cb.get("cases")).items():
        rb, ra = obj(rb), obj(all_a.get(cid))
        path = ("cases", "cases", cid)
        parts = []
        if ra.get("status") != rb.get("status"):
            parts.append(f"{text(ra.get('status')) if ra else 'new'} {ARROW} {text(rb.get('status'))}")
        for field, label in (("collectedEvidence", "evidence"), ("discoveredClues", "clues"), ("testimonies", "testimonies")):
            na, nb = len(arr(ra.get(field))), len(arr(rb.get(field)))
            if na != nb:
                parts.append(f"{label} {delta(na, nb)}")
        done_a = {obj(o).get("id") for o in arr(ra.get("objectives")) if obj(o).get("completed")}
        newly = [obj(o).get("id") for o in arr(rb.get("objectives")) if obj(o).get("completed") and obj(o).get("id") not in done_a]
        if newly:
            parts.append("objectives done: " + ", ".join(map(str, newly)))
        if parts:
            out.append(Change("Cases", f"{cid} {'; '.join(parts)}", "changed" if ra else "added", path))
    return out


def finale(old: dict, new: dict, names: Names) -> list[Change]:
    fa, fb = old.get("finaleCinematic"), new.get("finaleCinematic")
    if not isinstance(fb, dict) or fa == fb:
        if isinstance(fa, dict) and not isinstance(fb, dict):
            return [Change("Finale", "Finale cinematic state cleared", "removed", ("finaleCinematic",), "a")]
        return []
    fa = obj(fa)
    stance = dig(fb, "payload", "stanceTitle") or dig(fb, "payload", "stanceId")
    if not fa:
        return [Change("Finale", f"Finale cinematic started: {text(stance)} ({text(fb.get('status'))})", "added",
                       ("finaleCinematic",))]
    parts = []
    if fa.get("status") != fb.get("status"):
        parts.append(f"{text(fa.get('status'))} {ARROW} {text(fb.get('status'))}")
    if fa.get("revealedBeats") != fb.get("revealedBeats") and is_number(fb.get("revealedBeats")):
        parts.append(f"beats revealed {delta(fa.get('revealedBeats'), fb.get('revealedBeats'))}")
    return [Change("Finale", f"Finale cinematic {', '.join(parts) or 'updated'}", "changed", ("finaleCinematic",))]
