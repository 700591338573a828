"""The scripted demo play-through: about one hour of Act 1, played on a :class:`World`.

A different session from the one the game's fixture saves record: another start time, another
order and timing for the Case 001 evidence, other witnesses and dialogue, another faction arc
(a courier deal with the Wraith Network that sours Vanguard Prime), member removals during a
dockside raid, a Memory Parlor reconnaissance that alerts its doorman, and (optionally) a
Corporate Spires surveillance lockdown before the Archive raid.

``play_session(world, save)`` drives everything; ``save(slot)`` is called at the moments a
player would press "save" (the caller writes the slot). The seeded RNG only jitters timings
and magnitudes, so a seed gives the same bytes every run.
"""
from __future__ import annotations

import random
from typing import Callable

from . import definitions as defs
from .world import World

CASE_001 = "case_001_hollow_case"
CASE_002 = "case_002_following_pattern"

EVIDENCE_BY_ID = {item["id"]: item for item in defs.CASE_001_EVIDENCE}

CASE_002_EVIDENCE = [
    {"id": "ev_007_extractor_shard", "name": "Extractor Casing Shard",
     "description": "A cracked housing plate from a neural extractor, found under a loading ramp at the Kowloon "
                    "Dock scene. Same alloy and tooling marks as the device beside Marcus.",
     "type": "Evidence:forensic", "rarity": "evidence", "quantity": 1,
     "tags": ["evidence", "source:investigation", "case:case_002_following_pattern", "category:physical",
              "type:forensic"],
     "metadata": {"caseId": CASE_002, "evidenceType": "forensic", "category": "physical",
                  "derivedClues": ["clue_007_serial_tooling"], "source": "investigation", "entityId": 1107}},
    {"id": "ev_008_transit_ledger", "name": "Night Maglev Ledger",
     "description": "A maintenance ledger listing unscheduled night runs between the docks and the Spires. Two "
                    "runs line up with the extraction times.",
     "type": "Evidence:document", "rarity": "evidence", "quantity": 1,
     "tags": ["evidence", "source:investigation", "case:case_002_following_pattern", "category:records",
              "type:document"],
     "metadata": {"caseId": CASE_002, "evidenceType": "document", "category": "records",
                  "derivedClues": ["clue_008_transit_window", "clue_009_spires_route"], "source": "investigation",
                  "entityId": 1108}},
    {"id": "ev_009_parlor_token", "name": "Memory Parlor Token",
     "description": "A warm ceramic token stamped with a lotus. Street vendors say it buys one hour of someone "
                    "else’s memories in the Neon Districts.",
     "type": "Evidence:physical", "rarity": "evidence", "quantity": 1,
     "tags": ["evidence", "source:investigation", "case:case_002_following_pattern", "category:trade",
              "type:physical"],
     "metadata": {"caseId": CASE_002, "evidenceType": "physical", "category": "trade",
                  "derivedClues": ["clue_010_parlor_economy"], "source": "investigation", "entityId": 1109}},
]

CREDITS = {"id": "credits", "name": "Credits", "description": "", "type": "Currency", "rarity": "common",
           "quantity": 120, "tags": ["currency"],
           "metadata": {"source": "case_stipend", "lastTransaction": "stipend"}}
JAMMER = {"id": "jammer_mk1", "name": "Signal Jammer Mk I", "description": "", "type": "Gadget", "rarity": "rare",
          "quantity": 1, "tags": ["gadget", "cipher"], "metadata": {"charges": 2}}
STABILIZER = {"id": "neural_stabilizer", "name": "Neural Stabilizer", "description": "", "type": "Consumable",
              "rarity": "uncommon", "quantity": 2, "tags": ["consumable", "medical"],
              "metadata": {"source": "vendor", "lastTransaction": "purchase"}}

# Dialogue scripts: ("node", node_id, speaker, text, [choices]) and ("choice", node_id, choice_id, text).
MARTINEZ_WITNESS = [
    ("node", "start", "Officer Martinez", "You made good time, Detective. Rain washed half the alley before we taped it.",
     [{"id": "ask_who_found", "text": "Who found him?", "nextNode": "found", "lockedReason": None}]),
    ("choice", "start", "ask_who_found", "Who found him?"),
    ("node", "found", "Officer Martinez", "A noodle vendor. Swears the lights in the unit flickered for an hour.", []),
    ("node", "end", "Officer Martinez", "I'll keep the press behind the barrier. Don't make me regret it.", []),
]
VENDOR_STATEMENT = [
    ("node", "start", "Street Vendor", "Flickering, yes. Like a storm inside. Then a man with a grey case left.",
     [{"id": "ask_route", "text": "Which way did he go?", "nextNode": "route", "lockedReason": None},
      {"id": "offer_credits", "text": "Maybe this helps you remember.", "nextNode": "route", "lockedReason": None}]),
    ("choice", "start", "offer_credits", "Maybe this helps you remember."),
    ("node", "route", "Street Vendor", "Down to the night maglev. Black-market runners use the freight doors.", []),
    ("node", "end", "Street Vendor", "You did not hear it from me.", []),
]
CHEN_WITNESS = [
    ("node", "start", "Mrs. Chen", "Marcus fixed my door lock last winter. He never charged me.",
     [{"id": "ask_visitors", "text": "Did he have visitors lately?", "nextNode": "visitors", "lockedReason": None}]),
    ("choice", "start", "ask_visitors", "Did he have visitors lately?"),
    ("node", "visitors", "Mrs. Chen", "A woman in a Spires coat. She came at night and never used the lift.", []),
    ("node", "end", "Mrs. Chen", "Find who did this. Quietly, please.", []),
]
REESE_REPORT = [
    ("node", "start", "Captain Reese", "Three days, Voss. Tell me you have more than a feeling.",
     [{"id": "present_theory", "text": "Professional extraction. Someone wanted his files gone.",
       "nextNode": "theory", "lockedReason": None},
      {"id": "withhold", "text": "Not yet.", "nextNode": "end", "lockedReason": None}]),
    ("choice", "start", "present_theory", "Professional extraction. Someone wanted his files gone."),
    ("node", "theory", "Captain Reese", "Then it was not random. Keep it off the official channels.", []),
    ("node", "end", "Captain Reese", "There is another hollow at the docks. Take it.", []),
]
JAX_INTRO = [
    ("node", "start", "Jax", "The detective who talks to vendors. Everyone in Neon knows your face now.",
     [{"id": "ask_parlors", "text": "Tell me about the Memory Parlors.", "nextNode": "parlors", "lockedReason": None}]),
    ("choice", "start", "ask_parlors", "Tell me about the Memory Parlors."),
    ("node", "parlors", "Jax", "Lotus tokens buy an hour in someone else's head. The stock comes from hollows.", []),
    ("node", "supply", "Detective", "And who supplies the parlors?", []),
    ("node", "price", "Jax", "Information has a price. The Wraith cells need medicine, not promises.",
     [{"id": "pay_medicine", "text": "I can get you stabilizers.", "nextNode": "deal", "lockedReason": None},
      {"id": "threaten", "text": "Or I can call Vanguard.", "nextNode": "deal", "lockedReason": "requires_vanguard_friendly"}]),
    ("choice", "price", "pay_medicine", "I can get you stabilizers."),
    ("node", "deal", "Jax", "Then we understand each other. The doorman at the Lotus parlor takes bribes in tokens.", []),
    ("node", "warning", "Jax", "Cipher has eyes inside. If the doorman marks you, walk away.", []),
    ("node", "followup", "Detective", "And the man with the grey case?", []),
    ("node", "grey_case", "Jax", "Drives the night maglev to the Spires. Same route as the ledger you pinched.", []),
    ("node", "end", "Jax", "Come back when you have the stabilizers. Not before.", []),
]

REPUTATION_ARC = [
    # (faction, fame delta, infamy delta, reason)
    ("vanguard_prime", 10, -5, "Shared crime-scene logs with Vanguard"),
    ("wraith_network", 15, -10, "Shielded a Wraith courier from a patrol"),
    ("vanguard_prime", -20, 15, "Ignored a Vanguard checkpoint order"),
    ("memory_keepers", 20, -5, "Returned a stolen memory archive"),
    ("cipher_collective", 10, 0, "Traded decryption keys with the Cipher Collective"),
    ("luminari_syndicate", -15, 20, "Photographed a Luminari parlor ledger"),
    ("wraith_network", 20, -10, "Delivered stabilizers to Jax's cell"),
    ("vanguard_prime", 25, -15, "Testified for Vanguard at the dockside inquest"),
    ("cipher_collective", -10, 15, "Tripped a Cipher data trap"),
    ("wraith_network", -25, 20, "Handed a Wraith safehouse address to Vanguard"),
    ("luminari_syndicate", 30, -20, "Attended the Luminari benefit gala"),
    ("memory_keepers", -10, 5, "Ignored an Archivist's plea for help"),
]


def play_session(world: World, save: Callable[[str | int], None], *, seed: int = 7) -> None:
    """Play the demo session on ``world``; call ``save(slot)`` where the player saves."""
    rng = random.Random(seed)

    def wait(seconds: float, jitter: float = 0.0) -> None:
        world.advance(int(round((seconds + rng.uniform(-jitter, jitter)) * 10)) * 100)

    def talk(npc_id: str, dialogue_id: str, script: list[tuple]) -> None:
        first = True
        last_node = None
        for line in script:
            if line[0] == "node":
                _, node_id, speaker, text, choices = line
                world.dialogue_node(npc_id, dialogue_id, node_id, speaker, text, choices, started=first)
                first = False
                last_node = node_id
                wait(5, 1.5)
            else:
                _, node_id, choice_id, text = line
                world.dialogue_choice(npc_id, dialogue_id, node_id, choice_id, text)
                wait(1.5)
        world.dialogue_completed(npc_id, dialogue_id, last_node)

    # ---- 0:00 boot: tutorial starts, Case 001 auto-starts --------------------------------
    world.start_tutorial()
    world.start_step(0)
    wait(8)
    world.set_flag("act1_started", True, {"source": "intro"})
    world.start_quest(CASE_001)
    wait(33, 4)
    world.complete_step()                                   # welcome
    wait(3)
    world.enter_area("crime_scene_alley")
    wait(19, 3)
    world.complete_step()                                   # movement
    wait(33, 4)
    world.complete_step()                                   # evidence_detection
    wait(14, 2)
    world.collect_evidence(EVIDENCE_BY_ID["ev_003_residue"])
    wait(15)
    save(1)                                                 # "slot1", about 2 minutes in
    wait(7)
    world.complete_step()                                   # evidence_collection
    wait(18, 3)
    world.complete_step()                                   # clue_derivation
    wait(20, 3)
    world.unlock_ability("detective_vision")
    wait(35, 5)
    world.collect_evidence(EVIDENCE_BY_ID["ev_001_extractor"])
    wait(35, 5)
    world.complete_step()                                   # detective_vision
    wait(28, 4)
    world.update_control_hint({"label": "Open Case File", "keys": ["J"], "note": "Rebound by player"})
    wait(30, 5)
    talk("officer_martinez", "martinez_witness", MARTINEZ_WITNESS)
    world.npc_interviewed("officer_martinez", "Officer Martinez", "martinez_witness")
    wait(40, 5)
    world.collect_evidence(EVIDENCE_BY_ID["ev_002_blood"])
    wait(75, 10)
    world.complete_step()                                   # case_file
    wait(30, 5)
    world.npc_recognized("officer_martinez", "Officer Martinez", "vanguard_prime")
    world.add_item(CREDITS)
    wait(50, 8)
    _reputation(world, REPUTATION_ARC[0])
    wait(60, 8)
    world.collect_evidence(EVIDENCE_BY_ID["ev_004_badge"])
    wait(40, 6)
    talk("witness_street_vendor", "vendor_statement", VENDOR_STATEMENT)
    world.npc_interviewed("witness_street_vendor", "Street Vendor", "vendor_statement")
    world.update_item("credits", quantity_delta=-20, metadata={"lastTransaction": "witness_payment"})
    wait(6)
    world.learn_knowledge("black_market_transit_routes")
    wait(80, 10)
    _reputation(world, REPUTATION_ARC[1])
    wait(110, 15)
    world.collect_evidence(EVIDENCE_BY_ID["ev_006_anonymous_tip"])
    wait(62, 4)
    save(2)                                                 # "slot2", about 15 minutes in
    wait(45, 5)
    world.complete_step()                                   # collect_more_evidence
    wait(40, 6)
    world.collect_evidence(EVIDENCE_BY_ID["ev_005_memory_drive"])
    world.select_item("ev_005_memory_drive")
    wait(25, 4)
    world.learn_knowledge("neural_extractor_tech")
    wait(30, 5)
    world.complete_step()                                   # forensic_analysis
    wait(45, 6)
    world.complete_step()                                   # deduction_board_intro
    wait(70, 10)
    world.complete_step()                                   # deduction_connections
    wait(55, 8)
    world.set_flag("case_001_solved", True, {"source": "deduction_board"})
    world.validate_theory("theory_hollow_case", CASE_001, 0.86)
    wait(2)
    world.complete_step()                                   # deduction_validation
    wait(24, 3)
    world.complete_step()                                   # case_solved -> tutorial completed
    wait(50, 8)
    talk("mrs_chen", "chen_witness", CHEN_WITNESS)
    world.npc_interviewed("mrs_chen", "Mrs. Chen", "chen_witness")
    wait(60, 10)
    world.enter_area("mcd_precinct_office")
    wait(12)
    talk("captain_reese", "reese_report", REESE_REPORT)   # last required objective: Case 001 completes
    world.npc_interviewed("captain_reese", "Captain Reese", "reese_report")
    wait(20, 3)
    world.update_item("credits", quantity_delta=150, metadata={"source": "quest_reward",
                                                               "lastTransaction": "case_bounty"})

    # ---- Case 002: the docks, the Wraith deal, factions --------------------------------
    wait(70, 10)
    world.enter_area("kowloon_docks")
    wait(40, 6)
    world.collect_evidence(CASE_002_EVIDENCE[0])
    for arc_entry in REPUTATION_ARC[2:6]:
        wait(45, 10)
        _reputation(world, arc_entry)
    wait(30, 5)
    world.solve_case("side_dock_hollow")                    # first of three scenes
    wait(60, 10)
    world.collect_evidence(CASE_002_EVIDENCE[1])
    world.learn_knowledge("extraction_pattern_analysis")
    wait(90, 10)
    talk("informant_jax", "jax_intro", JAX_INTRO)
    world.npc_interviewed("informant_jax", "Jax", "jax_intro")
    wait(20, 3)
    world.add_item(STABILIZER)
    world.set_flag("wraith_contact_established", True, {"source": "jax_intro"})
    wait(60, 10)
    save("After the Hollow Case")                           # about 32 minutes in

    for step in range(12):                                  # Jax's cell moves between safehouses
        wait(18, 4)
        available = step % 3 != 1
        reason = "availability_restored" if available else "npc_removed"
        objectives = [] if available else world.blocked_objectives_for("informant_jax", "npc_unavailable")
        world.npc_availability("informant_jax", available, reason, npc_name="Jax", faction_id="wraith_network",
                               tag="npc", entity_id=7031, objectives=objectives)
        world.npc_recognized("informant_jax", "Jax", "wraith_network")
    for arc_entry in REPUTATION_ARC[6:]:
        wait(50, 10)
        _reputation(world, arc_entry)
    _faction_rounds(world, rng, wait)

    # ---- the dockside raid: Vanguard and Luminari members removed ------------------------
    wait(40, 5)
    world.enter_area("kowloon_docks_warehouse")
    factions = ["vanguard_prime", "luminari_syndicate", "wraith_network"]
    for n in range(12):
        wait(6, 2)
        faction_id = factions[n % 3]
        world.remove_member(faction_id, f"{faction_id}_enforcer_{n + 1}", 6100 + n, rng.choice(["npc", "patrol"]))
    world.solve_case("side_warehouse_hollow")               # second of three scenes
    wait(30, 5)
    world.add_item(JAMMER)
    world.equip("gadget", "jammer_mk1")

    # ---- Memory Parlor reconnaissance -----------------------------------------------------
    wait(60, 10)
    world.enter_area("memory_parlor_row")
    world.collect_evidence(CASE_002_EVIDENCE[2])
    world.set_flag("knows_memory_parlor", True, {"source": "jax_intro"})
    for _ in range(4):
        wait(4, 1)
        world.npc_witnessed_crime("parlor_doorman", "Parlor Doorman", rng.choice(["trespass", "bribery"]),
                                  "minor", "luminari_syndicate")
        wait(4, 1)
        world.npc_suspicious("parlor_doorman", "Parlor Doorman", "token_mismatch", "luminari_syndicate")
    wait(4)
    world.npc_alerted("parlor_doorman", "disguise_blown")
    wait(3)
    world.npc_suspicious("eraser_agent_cipher", "Eraser Agent", "followed_player", "cipher_collective")
    for n in range(22):
        wait(6, 1)
        if n % 2:
            world.npc_recognized("officer_martinez", "Officer Martinez", "vanguard_prime")
        else:
            world.npc_witnessed_crime("mrs_chen", "Mrs. Chen", "vandalism", "minor")
    wait(30, 10)
    world.set_flag("act1_finale_pending", False, {"source": "case_board"})

    # ---- optional: a Corporate Spires lockdown (no real game build emits district events) --
    if world.district_events:
        wait(40, 5)
        world.district_stability_adjusted("corporate_spires", -6, "archive_raid_rumours")
        wait(20, 3)
        world.district_stability_set("corporate_spires", 41, "unstable", "surveillance_sweep")
        wait(3)
        world.district_restriction_set("corporate_spires", "corporate_spires_restriction_surveillance_1", True)
        wait(3)
        world.district_fast_travel_set("neon_districts", False)
    wait(30, 5)
    world.npc_alerted("captain_reese", "restricted_area_breach")
    wait(45, 5)
    save("Before the Archive Raid")                         # about 55 minutes in

    # ---- after the last manual save: a few minutes more, then the autosave ---------------
    wait(70, 10)
    world.update_item("neural_stabilizer", quantity_delta=-1, metadata={"lastTransaction": "used"})
    wait(80, 10)
    world.enter_area("archive_undercity_gate")


def _reputation(world: World, entry: tuple) -> None:
    faction_id, fame, infamy, reason = entry
    world.modify_reputation(faction_id, fame, infamy, reason)


def _faction_rounds(world: World, rng: random.Random, wait: Callable[..., None]) -> None:
    """The Wraith/Vanguard tug of war: a run of favours traded between the two sides."""
    swings = [("wraith_network", "Ran a Wraith courier job", "Betrayed a Wraith courier"),
              ("vanguard_prime", "Filed a Vanguard patrol report", "Dodged a Vanguard patrol"),
              ("luminari_syndicate", "Vouched for a Luminari broker", "Exposed a Luminari broker")]
    for round_ in range(1, 17):
        faction_id, good, bad = swings[round_ % len(swings)]
        favourable = (round_ // len(swings)) % 2 == 0
        fame = rng.choice([25, 30, 35]) * (1 if favourable else -1)
        infamy = rng.choice([15, 20, 25]) * (-1 if favourable else 1)
        world.modify_reputation(faction_id, fame, infamy, f"{good if favourable else bad} (round {round_})")
        wait(16, 4)
