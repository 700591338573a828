"""A small Python model of the game's WorldStateStore, used to make realistic demo saves.

The game's saves are ``WorldStateStore.snapshot()`` plus three manager snapshots. Rather than
hand-writing JSON, the demo *plays* a session: a simulated clock advances and EventBus-like
events are applied to eight slices with the same reducers' observable behaviour (field names,
key order, caps, which keys appear or disappear) as described in save-format.md §3 and §8 and
as the fixture saves show. :meth:`World.snapshot` then returns a ``gameData`` dict in the exact
shape the game serialises.

Only what a save can show is modelled. The game's legacy managers (FactionManager's hidden
reputation, QuestManager's trigger matching, CaseManager, InvestigationSystem) are modelled just
enough to emit the events the store would receive. Autosave triggers (§7) are reported through
``World.on_save_trigger`` so a caller can write the autosave slot.

No Qt here; deterministic for a given start clock and event sequence.
"""
from __future__ import annotations

from typing import Any, Callable

import orjson

from inspector_app.core.worldstate.factions import FACTION_NAMES  # the one faction registry

from . import definitions as defs

# --- caps (save-format.md §4) --------------------------------------------------------------
ATTITUDE_HISTORY_CAP = 10
MEMBER_REMOVALS_CAP = 10
PROMPT_HISTORY_CAP = 5
PROMPT_SNAPSHOT_CAP = 10
DIALOGUE_HISTORY_CAP = 10
NPC_AVAILABILITY_HISTORY_CAP = 20
DISTRICT_CHANGELOG_CAP = 50
STABILITY_HISTORY_CAP = 25
CONTROL_HISTORY_CAP = 10
RESTRICTION_LOG_CAP = 20
NPC_CHANGELOG_CAP = 50
NPC_HISTORY_CAP = 10

AUTOSAVE_INTERVAL_MS = 300_000
INVENTORY_AUTOSAVE_THROTTLE_MS = 1_000
AUTOSAVE_OBJECTIVE_WORDS = ("solve", "complete", "discover", "confront", "unlock")

# Who a reputation change cascades to (allies gain, enemies lose; multiplier 0.5).
FACTION_ALLIES = {
    "vanguard_prime": ["luminari_syndicate"],
    "luminari_syndicate": ["vanguard_prime"],
    "wraith_network": ["memory_keepers"],
    "memory_keepers": ["wraith_network"],
    "cipher_collective": [],
}
FACTION_ENEMIES = {
    "vanguard_prime": ["wraith_network"],
    "luminari_syndicate": ["wraith_network"],
    "wraith_network": ["vanguard_prime", "luminari_syndicate"],
    "memory_keepers": [],
    "cipher_collective": [],
}
# (attitude, min fame, max infamy), most restrictive first; anything else is hostile.
ATTITUDE_THRESHOLDS = (("allied", 80, 0), ("friendly", 50, 10), ("neutral", 20, 20), ("unfriendly", 10, 30))
CASCADE_MULTIPLIER = 0.5
START_REPUTATION = (20, 20)


def js_number(value: float) -> int | float:
    """JSON.stringify prints 25.0 as ``25``; keep whole floats as ints so orjson does too."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def deep_copy(value: Any) -> Any:
    """Fast deep copy of JSON-like data (orjson round trip)."""
    return orjson.loads(orjson.dumps(value))


class World:
    """The eight store slices plus the manager snapshots, driven by events on a simulated clock."""

    def __init__(self, start_ms: int, *, district_events: bool = True):
        self.now = start_ms
        self.game_start = start_ms          # SaveManager.gameStartTime
        self.district_events = district_events
        self.on_save_trigger: Callable[[str], None] | None = None
        self._last_interval_autosave = start_ms
        self.last_save_at: int | None = None   # any save resets the inventory throttle

        self.story: dict = {"flags": {}}
        self.quests: dict = {"byId": deep_copy(defs.QUEST_RECORDS), "activeIds": [], "completedIds": [],
                             "failedIds": [], "npcAvailability": {}, "npcAvailabilityHistory": []}
        self.factions: dict = {"byId": {}, "lastActionAt": None, "lastResetAt": None, "lastResetReason": None,
                               "lastResetInitiatedBy": None, "lastCascadeEvent": None, "recentMemberRemovals": []}
        self.tutorial: dict = self._initial_tutorial()
        self.dialogue: dict = {"active": None, "historyByNpc": {}, "completedByNpc": {}, "lastActionAt": None,
                               "historyLimit": DIALOGUE_HISTORY_CAP, "transcriptEnabled": True}
        self.inventory: dict = {"items": [], "equipped": {}, "lastUpdatedAt": None, "selectedItemId": None,
                                "selectedIndex": None, "lastSelectionAt": None, "selectionSource": None}
        self.districts: dict = {"byId": deep_copy(defs.DISTRICT_RECORDS), "changeLog": [], "lastUpdatedAt": None}
        self.npcs: dict = {"byId": {}, "changeLog": [], "lastUpdatedAt": None}
        self.investigation: dict = {"abilities": ["basic_observation"], "knowledge": [], "casesSolved": [],
                                    "collectedEvidence": {}, "discoveredClues": {}, "activeCase": None,
                                    "detectiveVision": {"active": False, "energy": 5, "energyMax": 5,
                                                        "cooldown": 0, "timer": 0},
                                    "investigationComponent": None}
        case_001 = {"status": "active", "collectedEvidence": [], "discoveredClues": [],
                    "objectives": deep_copy(defs.CASE_001_OBJECTIVES), "accuracy": 0, "solveTime": None,
                    "playerTheory": {"nodes": [], "connections": []}, "testimonies": [],
                    "testimonyContradictions": []}
        self.cases: dict = {"activeCaseId": "case_001_hollow_case", "cases": {"case_001_hollow_case": case_001}}
        self._case_started_at = {"case_001_hollow_case": start_ms}
        self.finale_cinematic: dict | None = None
        # FactionManager's authoritative reputation (never saved when a store exists).
        self._reputation = {fid: list(START_REPUTATION) for fid in FACTION_NAMES}
        self._dialogue_last_choice: dict[str, str | None] = {}

    # ------------------------------------------------------------------ clock and saves
    @property
    def playtime(self) -> int:
        return self.now - self.game_start

    def advance(self, ms: int) -> None:
        """Move the clock forward; fires the 5-minute interval autosave it crosses."""
        target = self.now + int(ms)
        while self._last_interval_autosave + AUTOSAVE_INTERVAL_MS <= target:
            self.now = self._last_interval_autosave + AUTOSAVE_INTERVAL_MS
            self._last_interval_autosave = self.now
            self._trigger_save("interval")
        self.now = target

    def _trigger_save(self, reason: str) -> None:
        if self.on_save_trigger is not None:
            self.on_save_trigger(reason)

    def note_saved(self) -> None:
        """Called by the save writer after any save (resets the inventory autosave throttle)."""
        self.last_save_at = self.now

    def _inventory_autosave(self) -> None:
        if self.last_save_at is None or self.now - self.last_save_at >= INVENTORY_AUTOSAVE_THROTTLE_MS:
            self._trigger_save("inventory")

    # ------------------------------------------------------------------ story
    def set_flag(self, flag_id: str, value: Any = True, metadata: dict | None = None) -> None:
        self.story["flags"][flag_id] = {"value": value, "metadata": dict(metadata or {}), "updatedAt": self.now}

    # ------------------------------------------------------------------ quests
    def start_quest(self, quest_id: str) -> None:
        quest = self.quests["byId"][quest_id]
        quest["status"] = "active"
        quest["startedAt"] = self.now
        if quest_id not in self.quests["activeIds"]:
            self.quests["activeIds"].append(quest_id)

    def _quest_event(self, event: str, **data: Any) -> None:
        """QuestManager trigger matching: progress every matching objective of active quests."""
        for quest_id in list(self.quests["activeIds"]):
            quest = self.quests["byId"][quest_id]
            for objective_id in quest["objectivesOrder"]:
                objective = quest["objectives"][objective_id]
                if objective["status"] == "completed" or not _trigger_matches(objective, event, data):
                    continue
                self._progress_objective(quest_id, objective_id)
            self._maybe_complete_quest(quest_id)

    def _progress_objective(self, quest_id: str, objective_id: str) -> None:
        objective = self.quests["byId"][quest_id]["objectives"][objective_id]
        objective["progress"] = min(objective["target"], objective["progress"] + 1)
        if objective["progress"] >= objective["target"]:
            objective["status"] = "completed"
            objective.pop("blocked", None)      # the key disappears once completion is recorded
            if any(word in objective_id.lower() for word in AUTOSAVE_OBJECTIVE_WORDS):
                self._trigger_save("objective:completed")
        else:
            objective["status"] = "in_progress"

    def _maybe_complete_quest(self, quest_id: str) -> None:
        quest = self.quests["byId"][quest_id]
        required = [o for o in quest["objectives"].values() if not o["optional"]]
        if quest["status"] != "active" or any(o["status"] != "completed" for o in required):
            return
        quest["status"] = "completed"
        quest["completedAt"] = self.now
        self.quests["activeIds"].remove(quest_id)
        self.quests["completedIds"].append(quest_id)
        rewards = quest.get("rewards") or {}
        if rewards.get("abilityUnlock"):
            self.set_flag("ability_" + rewards["abilityUnlock"])
            self._add_ability(rewards["abilityUnlock"])
        for flag in rewards.get("storyFlags", []):
            if flag not in self.story["flags"]:
                self.set_flag(flag)
        for branch in quest.get("branches") or []:
            condition = branch.get("condition") or {}
            flags_ok = all(self.story["flags"].get(f, {}).get("value") for f in condition.get("storyFlags", []))
            objectives_ok = all(quest["objectives"].get(k, {}).get("status") == "completed"
                                for k, v in condition.items() if k.startswith("obj_") and v)
            next_quest = branch.get("nextQuest")
            if flags_ok and objectives_ok and next_quest in self.quests["byId"]:
                if self.quests["byId"][next_quest]["status"] == "not_started":
                    self.start_quest(next_quest)
                break
        self._trigger_save("quest:completed")

    def npc_availability(self, npc_id: str, available: bool, reason: str, *, npc_name: str | None = None,
                         faction_id: str | None = None, tag: str | None = None, entity_id: int | None = None,
                         objectives: list[dict] | None = None) -> None:
        objectives = list(objectives or [])
        self.quests["npcAvailability"][npc_id] = {
            "npcId": npc_id, "npcName": npc_name, "factionId": faction_id, "tag": tag, "entityId": entity_id,
            "available": available, "updatedAt": self.now, "reason": reason, "objectives": objectives}
        history = self.quests["npcAvailabilityHistory"]
        history.insert(0, {"npcId": npc_id, "npcName": npc_name, "factionId": faction_id, "available": available,
                           "recordedAt": self.now, "reason": reason, "tag": tag, "objectiveCount": len(objectives)})
        del history[NPC_AVAILABILITY_HISTORY_CAP:]

    def blocked_objectives_for(self, npc_id: str, reason: str) -> list[dict]:
        """The ``objectives`` list QuestManager attaches when an NPC an objective needs goes away."""
        out = []
        for quest_id in self.quests["activeIds"]:
            quest = self.quests["byId"][quest_id]
            for objective in quest["objectives"].values():
                trigger = objective["metadata"]["trigger"]
                wanted = trigger.get("npcId")
                wanted = wanted if isinstance(wanted, list) else [wanted]
                if objective["status"] != "completed" and npc_id in wanted:
                    out.append({"questId": quest_id, "questTitle": quest["title"], "questType": quest["type"],
                                "objectiveId": objective["id"], "objectiveTitle": objective["title"],
                                "reason": reason, "requirement": npc_id,
                                "message": f"{objective['title']} is unavailable until {npc_id} returns.",
                                "recordedAt": self.now})
        return out

    # ------------------------------------------------------------------ investigation / gameplay events
    def enter_area(self, area_id: str) -> None:
        self._quest_event("area:entered", areaId=area_id)
        self._trigger_save("area:entered")

    def collect_evidence(self, item: dict) -> None:
        """``evidence:collected`` + ``inventory:item_added`` for one evidence item."""
        meta = item["metadata"]
        case_id = meta["caseId"]
        case = self.cases["cases"].get(case_id)
        if case is not None:
            case["collectedEvidence"].append(item["id"])
            for clue in meta.get("derivedClues", []):
                if clue not in case["discoveredClues"]:
                    case["discoveredClues"].append(clue)
            self._update_case_objectives(case_id)
        self.investigation["collectedEvidence"].setdefault(case_id, []).append(item["id"])
        for clue in meta.get("derivedClues", []):
            self.investigation["discoveredClues"][clue] = True
        self._quest_event("evidence:collected", evidenceId=item["id"])
        self.add_item(item)

    def _update_case_objectives(self, case_id: str) -> None:
        case = self.cases["cases"][case_id]
        evidence = case["collectedEvidence"]
        done = {"examine_scene": len(evidence) >= 3, "identify_victim": "ev_004_badge" in evidence,
                "analyze_memory": "ev_005_memory_drive" in evidence,
                "discover_clues": len(case["discoveredClues"]) >= 6}
        for objective in case["objectives"]:
            if done.get(objective["id"]):
                objective["completed"] = True

    def learn_knowledge(self, knowledge_id: str) -> None:
        if knowledge_id not in self.investigation["knowledge"]:
            self.investigation["knowledge"].append(knowledge_id)
        self._quest_event("knowledge:learned", knowledgeId=knowledge_id)

    def _add_ability(self, ability_id: str) -> None:
        if ability_id not in self.investigation["abilities"]:
            self.investigation["abilities"].append(ability_id)

    def unlock_ability(self, ability_id: str) -> None:
        self._add_ability(ability_id)
        self._quest_event("ability:unlocked", abilityId=ability_id)

    def validate_theory(self, theory_id: str, case_id: str, accuracy: float) -> None:
        """``theory:validated`` then ``case:solved`` (CaseManager marks the case solved)."""
        case = self.cases["cases"][case_id]
        case["status"] = "solved"
        case["accuracy"] = js_number(accuracy)
        case["solveTime"] = self.now - self._case_started_at[case_id]
        for objective in case["objectives"]:
            objective["completed"] = True
        if case_id not in self.investigation["casesSolved"]:
            self.investigation["casesSolved"].append(case_id)
        if self.cases["activeCaseId"] == case_id:
            self.cases["activeCaseId"] = None
        self._quest_event("theory:validated", theoryId=theory_id)
        self.solve_case(case_id)

    def solve_case(self, case_id: str) -> None:
        """``case:solved`` / ``case:completed`` (side cases count toward "investigate N scenes")."""
        self._quest_event("case:solved", caseId=case_id)
        self._trigger_save("case:completed")

    # ------------------------------------------------------------------ tutorial
    @staticmethod
    def _initial_tutorial() -> dict:
        return {"enabled": False, "totalSteps": len(defs.TUTORIAL_STEPS), "currentStep": None, "currentStepIndex": -1,
                "completedSteps": [], "completedTimeline": {}, "stepDurations": {}, "skipped": False,
                "completed": False, "lastActionAt": None, "startedAt": None, "stepStartedAt": None,
                "currentPrompt": None, "promptHistory": [], "promptHistoryLimit": PROMPT_HISTORY_CAP,
                "promptHistorySnapshots": [], "promptHistorySnapshotLimit": PROMPT_SNAPSHOT_CAP}

    def start_tutorial(self) -> None:
        t = self.tutorial
        t.update(enabled=True, startedAt=self.now, lastActionAt=self.now, completed=False, skipped=False)
        t["promptHistory"] = []
        t["promptHistorySnapshots"] = []

    def start_step(self, step_index: int) -> None:
        t = self.tutorial
        step = defs.TUTORIAL_STEPS[step_index]
        prompt = {k: deep_copy(step[k]) for k in ("title", "description", "stepId", "stepIndex", "totalSteps",
                                                  "highlight", "position", "canSkip")}
        prompt["startedAt"] = self.now
        prompt["controlHint"] = deep_copy(step["controlHint"])
        t.update(currentStep=step["stepId"], currentStepIndex=step_index, stepStartedAt=self.now,
                 currentPrompt=prompt, lastActionAt=self.now)
        t["promptHistory"].append(deep_copy(prompt))
        del t["promptHistory"][:-PROMPT_HISTORY_CAP]

    def update_control_hint(self, hint: dict) -> None:
        """A player rebinding: the current prompt (and its history entry) gets the new hint."""
        t = self.tutorial
        t["currentPrompt"]["controlHint"] = dict(hint)
        for prompt in t["promptHistory"]:
            if prompt["stepId"] == t["currentStep"]:
                prompt["controlHint"] = dict(hint)
        t["lastActionAt"] = self.now
        self._tutorial_snapshot("control_hint_updated", t["currentStep"], t["currentStepIndex"],
                                {"stepId": t["currentStep"]})

    def complete_step(self) -> None:
        t = self.tutorial
        step_id, index = t["currentStep"], t["currentStepIndex"]
        t["completedSteps"].append(step_id)
        t["completedTimeline"][step_id] = self.now
        t["stepDurations"][step_id] = self.now - t["stepStartedAt"]
        t["lastActionAt"] = self.now
        self._tutorial_snapshot("step_completed", step_id, index, {"stepId": step_id, "completedAt": self.now})
        if index + 1 < t["totalSteps"]:
            self.start_step(index + 1)
        else:
            self._complete_tutorial()

    def _complete_tutorial(self) -> None:
        t = self.tutorial
        t.update(enabled=False, completed=True, currentStep=None, currentStepIndex=-1, stepStartedAt=None,
                 currentPrompt=None, lastActionAt=self.now)
        self._tutorial_snapshot("tutorial_completed", None, -1, {"completedSteps": list(t["completedSteps"])})


    def _tutorial_snapshot(self, event: str, step_id: str | None, step_index: int, metadata: dict) -> None:
        t = self.tutorial
        snapshots = t["promptHistorySnapshots"]
        snapshots.append(deep_copy({
            "event": event, "timestamp": self.now, "stepId": step_id, "stepIndex": step_index,
            "totalSteps": t["totalSteps"], "completedSteps": t["completedSteps"],
            "currentPrompt": t["currentPrompt"], "promptHistory": t["promptHistory"],
            "analytics": {"completedTimeline": t["completedTimeline"], "stepDurations": t["stepDurations"]},
            "metadata": metadata}))
        del snapshots[:-PROMPT_SNAPSHOT_CAP]

    # ------------------------------------------------------------------ factions
    def _attitude(self, faction_id: str) -> str:
        fame, infamy = self._reputation[faction_id]
        for attitude, min_fame, max_infamy in ATTITUDE_THRESHOLDS:
            if fame >= min_fame and infamy <= max_infamy:
                return attitude
        return "hostile"

    def _faction_record(self, faction_id: str) -> dict:
        by_id = self.factions["byId"]
        if faction_id not in by_id:
            by_id[faction_id] = {"id": faction_id, "fame": 0, "infamy": 0, "attitude": "neutral",
                                 "lastDelta": {"fame": 0, "infamy": 0}, "lastReason": None, "updatedAt": None,
                                 "lastAttitudeChange": None, "attitudeHistory": [], "lastCascade": None,
                                 "cascadeCount": 0, "cascadeSources": []}
        return by_id[faction_id]

    def modify_reputation(self, faction_id: str, delta_fame: float, delta_infamy: float, reason: str) -> None:
        """FactionManager.modifyReputation: direct change, its attitude change, then the cascades."""
        old = self._attitude(faction_id)
        rep = self._reputation[faction_id]
        rep[0] = _clamp(rep[0] + delta_fame)
        rep[1] = _clamp(rep[1] + delta_infamy)
        record = self._faction_record(faction_id)
        record.update(fame=js_number(rep[0]), infamy=js_number(rep[1]),
                      lastDelta={"fame": js_number(delta_fame), "infamy": js_number(delta_infamy)},
                      lastReason=reason, updatedAt=self.now)
        self.factions["lastActionAt"] = self.now
        new = self._attitude(faction_id)
        if new != old:
            self._attitude_changed(faction_id, old, new, None)
        for ally in FACTION_ALLIES[faction_id]:
            self._cascade(faction_id, ally, delta_fame * CASCADE_MULTIPLIER, -delta_infamy * CASCADE_MULTIPLIER)
        for enemy in FACTION_ENEMIES[faction_id]:
            self._cascade(faction_id, enemy, -delta_fame * CASCADE_MULTIPLIER, delta_infamy * CASCADE_MULTIPLIER)

    def _cascade(self, source: str, target: str, fame: float, infamy: float) -> None:
        if not fame and not infamy:
            return
        old = self._attitude(target)
        rep = self._reputation[target]
        rep[0] = _clamp(rep[0] + fame)
        rep[1] = _clamp(rep[1] + infamy)
        new = self._attitude(target)
        if new != old:       # cascades reach the store only as attitude changes
            self._attitude_changed(target, old, new, source)

    def _attitude_changed(self, faction_id: str, old: str, new: str, source: str | None) -> None:
        record = self._faction_record(faction_id)
        change = {"factionId": faction_id, "factionName": FACTION_NAMES[faction_id], "newAttitude": new,
                  "oldAttitude": old, "cascade": source is not None, "sourceFactionId": source,
                  "sourceFactionName": FACTION_NAMES.get(source) if source else None, "occurredAt": self.now}
        record["attitude"] = new
        record["updatedAt"] = self.now
        record["lastAttitudeChange"] = dict(change)
        record["attitudeHistory"].append(dict(change))
        del record["attitudeHistory"][:-ATTITUDE_HISTORY_CAP]
        if source is not None:
            record["lastCascade"] = {"sourceFactionId": source, "sourceFactionName": FACTION_NAMES[source],
                                     "occurredAt": self.now, "newAttitude": new}
            record["cascadeCount"] += 1
            if source not in record["cascadeSources"]:
                record["cascadeSources"].append(source)
            self.factions["lastCascadeEvent"] = {
                "targetFactionId": faction_id, "targetFactionName": FACTION_NAMES[faction_id],
                "sourceFactionId": source, "sourceFactionName": FACTION_NAMES[source],
                "newAttitude": new, "oldAttitude": old, "occurredAt": self.now}
        self.factions["lastActionAt"] = self.now

    def remove_member(self, faction_id: str, npc_id: str, entity_id: int, tag: str) -> None:
        removals = self.factions["recentMemberRemovals"]
        removals.append({"factionId": faction_id, "factionName": None, "npcId": npc_id, "entityId": entity_id,
                         "tag": tag, "removedAt": self.now})
        del removals[:-MEMBER_REMOVALS_CAP]
        self.factions["lastActionAt"] = self.now

    # ------------------------------------------------------------------ dialogue
    def dialogue_node(self, npc_id: str, dialogue_id: str, node_id: str, speaker: str, text: str,
                      choices: list[dict] | None = None, *, started: bool = False) -> None:
        choices = [dict(c) for c in (choices or [])]
        previous = self.dialogue["active"]
        started_at = self.now if started or previous is None else previous["startedAt"]
        self.dialogue["active"] = {"npcId": npc_id, "dialogueId": dialogue_id, "nodeId": node_id,
                                   "speaker": speaker, "text": text, "canAdvance": not choices,
                                   "hasChoices": bool(choices), "startedAt": started_at, "updatedAt": self.now,
                                   "choices": choices}
        if started:
            self._dialogue_last_choice[npc_id] = None
        self._dialogue_history(npc_id, {"type": "node", "dialogueId": dialogue_id, "nodeId": node_id,
                                        "choiceId": None, "choiceText": None, "speaker": speaker, "text": text,
                                        "timestamp": self.now})

    def dialogue_choice(self, npc_id: str, dialogue_id: str, node_id: str, choice_id: str, choice_text: str) -> None:
        self._dialogue_last_choice[npc_id] = choice_id
        self._dialogue_history(npc_id, {"type": "choice", "dialogueId": dialogue_id, "nodeId": node_id,
                                        "choiceId": choice_id, "choiceText": choice_text, "speaker": None,
                                        "text": None, "timestamp": self.now})

    def _dialogue_history(self, npc_id: str, entry: dict) -> None:
        history = self.dialogue["historyByNpc"].setdefault(npc_id, [])
        history.append(entry)
        del history[:-DIALOGUE_HISTORY_CAP]
        self.dialogue["lastActionAt"] = self.now

    def dialogue_completed(self, npc_id: str, dialogue_id: str, node_id: str) -> None:
        self.dialogue["completedByNpc"][npc_id] = {"lastDialogueId": dialogue_id, "lastNodeId": node_id,
                                                   "lastChoiceId": self._dialogue_last_choice.get(npc_id),
                                                   "completedAt": self.now}
        self.dialogue["active"] = None
        self.dialogue["lastActionAt"] = self.now
        self._quest_event("dialogue:completed", npcId=npc_id)

    # ------------------------------------------------------------------ NPCs
    def _npc(self, npc_id: str, name: str | None, faction_id: str | None) -> dict:
        by_id = self.npcs["byId"]
        if npc_id not in by_id:
            by_id[npc_id] = {"id": npc_id, "name": name, "factionId": faction_id, "status": "unknown",
                             "knowsPlayer": False,
                             "interactions": {"interviews": 0, "recognitions": 0, "witnessedCrimes": 0},
                             "suspicion": {"active": False, "reason": None, "updatedAt": None},
                             "alert": {"active": False, "reason": None, "updatedAt": None},
                             "lastInteractionAt": None, "lastDialogueId": None, "lastCrimeWitnessed": None,
                             "history": [], "tags": []}
        record = by_id[npc_id]
        if name is not None:
            record["name"] = name
        if faction_id is not None:
            record["factionId"] = faction_id
        return record

    def _npc_log(self, record: dict, status: str, history: dict, change: dict) -> None:
        if record["status"] != "alerted":        # alerted is sticky
            record["status"] = status
        record["history"].append(history)
        del record["history"][:-NPC_HISTORY_CAP]
        log = self.npcs["changeLog"]
        log.append(change)
        del log[:-NPC_CHANGELOG_CAP]
        self.npcs["lastUpdatedAt"] = self.now

    def npc_interviewed(self, npc_id: str, npc_name: str | None, dialogue_id: str) -> None:
        """``npc:interviewed`` (store) plus QuestManager's availability record and triggers."""
        record = self._npc(npc_id, npc_name, None)
        record["knowsPlayer"] = True
        record["interactions"]["interviews"] += 1
        record["lastInteractionAt"] = self.now
        record["lastDialogueId"] = dialogue_id
        self._npc_log(record, "cooperative", {"type": "interview", "dialogueId": dialogue_id, "timestamp": self.now},
                      {"type": "interview", "npcId": npc_id, "dialogueId": dialogue_id, "timestamp": self.now})
        self.npc_availability(npc_id, True, "npc_interviewed")
        self._quest_event("npc:interviewed", npcId=npc_id)

    def npc_recognized(self, npc_id: str, npc_name: str, faction_id: str | None) -> None:
        record = self._npc(npc_id, npc_name, faction_id)
        record["knowsPlayer"] = True
        record["interactions"]["recognitions"] += 1
        record["lastInteractionAt"] = self.now
        self._npc_log(record, "aware", {"type": "recognized_player", "timestamp": self.now},
                      {"type": "recognized_player", "npcId": npc_id, "timestamp": self.now})

    def npc_witnessed_crime(self, npc_id: str, npc_name: str, crime_type: str, severity: str,
                            faction_id: str | None = None) -> None:
        record = self._npc(npc_id, npc_name, faction_id)
        record["interactions"]["witnessedCrimes"] += 1
        record["lastCrimeWitnessed"] = {"crimeType": crime_type, "severity": severity, "timestamp": self.now}
        self._npc_log(record, "witness",
                      {"type": "witnessed_crime", "crimeType": crime_type, "severity": severity, "timestamp": self.now},
                      {"type": "witnessed_crime", "npcId": npc_id, "crimeType": crime_type, "severity": severity,
                       "timestamp": self.now})

    def npc_suspicious(self, npc_id: str, npc_name: str, reason: str, faction_id: str | None = None) -> None:
        record = self._npc(npc_id, npc_name, faction_id)
        record["suspicion"] = {"active": True, "reason": reason, "updatedAt": self.now}
        self._npc_log(record, "suspicious", {"type": "became_suspicious", "reason": reason, "timestamp": self.now},
                      {"type": "became_suspicious", "npcId": npc_id, "timestamp": self.now})

    def npc_alerted(self, npc_id: str, reason: str) -> None:
        record = self._npc(npc_id, None, None)
        previous_reason = record["suspicion"]["reason"]
        record["suspicion"] = {"active": True, "reason": previous_reason or reason, "updatedAt": self.now}
        record["alert"] = {"active": True, "reason": reason, "updatedAt": self.now}
        record["status"] = "alerted"
        self._npc_log(record, "alerted", {"type": "alerted", "reason": reason, "timestamp": self.now},
                      {"type": "alerted", "npcId": npc_id, "reason": reason, "timestamp": self.now})

    # ------------------------------------------------------------------ inventory
    def add_item(self, item: dict) -> None:
        entry = deep_copy(item)
        entry["lastSeenAt"] = self.now
        self.inventory["items"].append(entry)
        self.inventory["lastUpdatedAt"] = self.now
        self._inventory_autosave()

    def update_item(self, item_id: str, *, quantity_delta: int = 0, metadata: dict | None = None) -> None:
        for item in self.inventory["items"]:
            if item["id"] == item_id:
                item["quantity"] = max(1, item["quantity"] + quantity_delta)
                if metadata:
                    item["metadata"].update(metadata)
                item["lastSeenAt"] = self.now
        self.inventory["lastUpdatedAt"] = self.now
        self._inventory_autosave()

    def equip(self, slot: str, item_id: str) -> None:
        self.inventory["equipped"][slot] = item_id
        self.inventory["lastUpdatedAt"] = self.now

    def select_item(self, item_id: str) -> None:
        ids = [item["id"] for item in self.inventory["items"]]
        self.inventory.update(selectedItemId=item_id, selectedIndex=ids.index(item_id), lastSelectionAt=self.now,
                              selectionSource="inventoryOverlay", lastUpdatedAt=self.now)

    # ------------------------------------------------------------------ districts (never emitted by the real game)
    def _district_log(self, district: dict, entry: dict) -> None:
        log = self.districts["changeLog"]
        log.append(entry)
        del log[:-DISTRICT_CHANGELOG_CAP]
        self.districts["lastUpdatedAt"] = self.now

    def district_stability_adjusted(self, district_id: str, delta: int, source: str) -> None:
        district = self.districts["byId"][district_id]
        stability = district["stability"]
        stability["current"] = max(0, min(100, stability["current"] + delta))
        stability["lastChangedAt"] = self.now
        history = district["analytics"]["stabilityHistory"]
        history.append({"timestamp": self.now, "value": stability["current"], "delta": delta, "source": source})
        del history[:-STABILITY_HISTORY_CAP]
        self._district_log(district, {"type": "stability_adjusted", "districtId": district_id, "delta": delta,
                                      "value": stability["current"], "source": source, "timestamp": self.now})

    def district_stability_set(self, district_id: str, value: int, rating: str, source: str) -> None:
        district = self.districts["byId"][district_id]
        district["stability"].update(current=value, rating=rating, lastChangedAt=self.now)
        history = district["analytics"]["stabilityHistory"]
        history.append({"timestamp": self.now, "value": value, "source": source})
        del history[:-STABILITY_HISTORY_CAP]
        self._district_log(district, {"type": "stability_set", "districtId": district_id, "value": value,
                                      "rating": rating, "source": source, "timestamp": self.now})

    def district_restriction_set(self, district_id: str, restriction_id: str, active: bool) -> None:
        district = self.districts["byId"][district_id]
        for restriction in district["access"]["restrictions"]:
            if restriction["id"] == restriction_id:
                restriction["active"] = active
                restriction["lastChangedAt"] = self.now
        log = district["access"]["restrictionLog"]
        log.append({"restrictionId": restriction_id, "active": active, "timestamp": self.now})
        del log[:-RESTRICTION_LOG_CAP]
        if active:
            district["analytics"]["lockdownsTriggered"] += 1
            district["analytics"]["lastLockdownAt"] = self.now
        self._district_log(district, {"type": "restriction_set", "districtId": district_id,
                                      "restrictionId": restriction_id, "active": active, "timestamp": self.now})

    def district_fast_travel_set(self, district_id: str, enabled: bool) -> None:
        district = self.districts["byId"][district_id]
        district["access"]["fastTravelEnabled"] = enabled
        self._district_log(district, {"type": "fast_travel_set", "districtId": district_id, "enabled": enabled,
                                      "timestamp": self.now})

    # ------------------------------------------------------------------ snapshot
    def snapshot(self) -> dict:
        """``{...worldStateStore.snapshot(), investigation, cases, finaleCinematic}`` in the game's key order."""
        return deep_copy({
            "storyFlags": self.story, "quests": self.quests, "factions": self.factions,
            "tutorial": self.tutorial, "dialogue": self.dialogue, "inventory": self.inventory,
            "districts": self.districts, "npcs": self.npcs, "tutorialComplete": bool(self.tutorial["completed"]),
            "investigation": self.investigation, "cases": self.cases, "finaleCinematic": self.finale_cinematic})


def _clamp(value: float) -> float:
    return max(0, min(100, value))


def _trigger_matches(objective: dict, event: str, data: dict) -> bool:
    trigger = objective["metadata"]["trigger"]
    if trigger.get("event") != event:
        return False
    for key in ("areaId", "knowledgeId", "abilityId", "theoryId", "npcId", "caseId"):
        if key in trigger:
            wanted = trigger[key]
            wanted = wanted if isinstance(wanted, list) else [wanted]
            if data.get(key) not in wanted:
                return False
    return True


__all__ = ["World", "FACTION_NAMES", "js_number", "deep_copy"]
