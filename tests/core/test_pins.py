"""Followed values (core/pins): identity paths, resolving, series over saves, caching, settings."""
from __future__ import annotations

import copy
from pathlib import Path

import orjson
import pytest

from inspector_app.core.loading.document import DocumentKind, SaveDocument, SlotEntry, SlotStatus
from inspector_app.core.pins import (
    MISSING, Composite, Match, Pin, PinBoard, PinError, PinResolver, PinsCancelled, concrete_path, load_pins,
    natural_pins, pin_from_node, resolve, save_refs, series,
)


def _payload(ts, items, fame=10, attitude="neutral", history=None):
    return {"version": 1, "timestamp": ts, "playtime": ts - 1000, "slot": f"s{ts}",
            "gameData": {"inventory": {"items": items},
                         "factions": {"byId": {"wraith_network": {"fame": fame, "attitude": attitude,
                                                                  "attitudeHistory": history or []}}},
                         "tutorial": {"completedSteps": ["welcome", "movement"]}}}


def _doc(name: str, payloads: list[dict], parked: bool = False) -> SaveDocument:
    doc = SaveDocument(path=Path(f"/nonexistent/{name}.json"), kind=DocumentKind.PROFILE, size_bytes=0)
    for n, p in enumerate(payloads):
        slot = SlotEntry(key=f"save_s{n}", slot_id=f"s{n}", label=f"Slot {n}", slot_type="manual",
                         status=SlotStatus.OK, size_bytes=0, payload=p, timestamp=p.get("timestamp"))
        if parked:
            slot.park(orjson.dumps(p), orjson.loads)
        doc.slots.append(slot)
    return doc


CREDITS = {"id": "credits", "quantity": 370}
BADGE = {"id": "badge", "quantity": 1}


def test_array_steps_are_records_by_identity_as_the_diff_matches_them():
    payload = _payload(1000, [BADGE, CREDITS])
    pin = pin_from_node(payload, ("gameData", "inventory", "items", 1, "quantity"))
    assert pin.key == "$.gameData.inventory.items[id=credits].quantity"
    assert pin.steps[3] == Match("id", "credits") and not pin.by_position
    assert "by position" not in pin.display_label
    # the record moved, others came and went: still found by its id
    other = _payload(2000, [{"id": "x", "quantity": 5}, {"id": "credits", "quantity": 420}])
    assert resolve(other, pin) == 420
    assert concrete_path(other, pin) == ("gameData", "inventory", "items", 1, "quantity")
    assert resolve(_payload(3000, [BADGE]), pin) is MISSING


def test_arrays_without_identity_fall_back_to_position_and_say_so():
    payload = _payload(1000, [], history=[{"factionId": "w", "n": 1}, {"factionId": "w", "n": 2}])
    pin = pin_from_node(payload, ("gameData", "factions", "byId", "wraith_network", "attitudeHistory", 1, "n"))
    assert pin.by_position and pin.steps[-2] == 1
    assert pin.display_label.endswith("(by position)")
    assert resolve(payload, pin) == 2


def test_unique_strings_are_matched_by_value():
    payload = _payload(1000, [])
    pin = pin_from_node(payload, ("gameData", "tutorial", "completedSteps", 1))
    assert pin.key == "$.gameData.tutorial.completedSteps[=movement]"
    later = copy.deepcopy(payload)
    later["gameData"]["tutorial"]["completedSteps"] = ["movement"]
    assert resolve(later, pin) == "movement"
    later["gameData"]["tutorial"]["completedSteps"] = ["welcome"]
    assert resolve(later, pin) is MISSING


@pytest.mark.parametrize("text", [
    "$.gameData.inventory.items[id=credits].quantity", '$.a[id="42"].b', "$.a[id=42]", "$.a[=welcome]",
    "count($.a.b)", "$.a[3].x", '$.a[id="x]y"]', '$["odd key"][stepId="two words"]', "$",
])
def test_pin_text_round_trips(text):
    pin = Pin.parse(text)
    assert pin.key == text
    assert Pin.parse(pin.key) == pin


def test_identity_values_keep_their_type():
    pin = Pin.parse("$.a[id=42]")
    assert resolve({"a": [{"id": "42"}, {"id": 42, "v": 1}]}, pin) == {"id": 42, "v": 1}
    assert resolve({"a": [{"id": "42"}, {"id": True}]}, pin) is MISSING


def test_bad_pins_and_paths_are_located_errors():
    with pytest.raises(PinError, match="column"):
        Pin.parse("$.a[")
    with pytest.raises(PinError, match=r"\$\.gameData has no member \.nope"):
        pin_from_node({"gameData": {}}, ("gameData", "nope"))
    with pytest.raises(PinError, match="nothing to count"):
        pin_from_node({"a": 1}, ("a",), count=True)


def test_count_pins_and_containers():
    payload = {"a": {"list": [1, 2, 3], "obj": {"x": 1}}}
    assert resolve(payload, Pin.parse("count($.a.list)")) == 3
    assert resolve(payload, Pin.parse("count($.a.missing)")) is MISSING
    assert resolve(payload, Pin.parse("$.a.obj")) == {"x": 1}


def test_series_in_time_order_with_missing_and_type_changes():
    # documents listed out of time order; one save lacks the value, one has it as a string
    late = _doc("late", [_payload(3000, [CREDITS], fame=30, attitude="friendly")])
    early = _doc("early", [_payload(1000, [BADGE, CREDITS], fame=10),
                           _payload(2000, [BADGE], fame="lots", attitude="neutral")])
    fame = Pin.parse("$.gameData.factions.byId.wraith_network.fame")
    credit_pin = Pin.parse("$.gameData.inventory.items[id=credits].quantity")
    attitude = Pin.parse("$.gameData.factions.byId.wraith_network.attitude")
    out = series(save_refs([late, early]), [fame, credit_pin, attitude])
    assert [p.time for p in out[0].points] == [1000, 2000, 3000]
    assert [p.value for p in out[0].points] == [10, "lots", 30]
    assert out[0].kind == "state"           # a number turned into a string: bands, not a broken line
    assert [p.value for p in out[1].points] == [370, MISSING, 370]
    assert out[1].kind == "number"
    assert [p.value for p in out[2].points] == ["neutral", "neutral", "friendly"]
    assert [p.ref.slot.label for p in out[2].points] == ["Slot 0", "Slot 1", "Slot 0"]
    assert all(p.time_source == "saved at" for p in out[0].points)


def test_time_falls_back_to_the_slot_index_then_to_the_file(tmp_path):
    f = tmp_path / "save.json"
    f.write_text("{}")
    doc = _doc("x", [_payload(5000, []), _payload(6000, [])])
    doc.path = f
    doc.slots[0].timestamp = 0                         # the game's "never": not a time
    doc.slots[0].index_entry = {"timestamp": 7000}
    doc.slots[1].timestamp = None
    out = series(save_refs([doc]), [Pin.parse("$.slot")])
    first, second = out[0].points
    assert (first.time, first.time_source) == (7000, "slot index")
    assert second.time_source == "file modified" and second.time == pytest.approx(f.stat().st_mtime * 1000, abs=1)


def test_parked_slots_are_parsed_once_for_all_pins_and_cached():
    doc = _doc("big", [_payload(1000 * n, [CREDITS], fame=n) for n in range(1, 6)], parked=True)
    refs = save_refs([doc])
    parses = []
    for slot in doc.slots:
        text, parse = slot.__dict__["_parked"]
        slot.__dict__["_parked"] = (text, lambda t, parse=parse: parses.append(1) or parse(t))
    resolver = PinResolver()
    fame = Pin.parse("$.gameData.factions.byId.wraith_network.fame")
    credit_pin = Pin.parse("$.gameData.inventory.items[id=credits].quantity")
    out = resolver.series(refs, [fame, credit_pin])
    assert len(parses) == 5                      # each slot once for both pins
    assert [p.value for p in out[0].points] == [1, 2, 3, 4, 5]
    assert not any(s.is_materialised for s in doc.slots)   # cooled again: the shown slot keeps its cache place
    resolver.series(refs, [credit_pin, fame])       # same pins, any order: nothing read
    assert len(parses) == 5
    assert resolver.missing(refs, [fame]) == 0
    # a new pin reads each slot once more; a new save reads only that save
    resolver.series(refs, [fame, credit_pin, Pin.parse("$.playtime")])
    assert len(parses) == 10
    doc2 = _doc("new", [_payload(9000, [], fame=9)])
    out = resolver.series(save_refs([doc, doc2]), [fame, credit_pin, Pin.parse("$.playtime")])
    assert resolver.payload_reads == 11 and len(parses) == 10
    assert out[0].points[-1].value == 9


def test_cancel_keeps_what_was_read():
    doc = _doc("d", [_payload(1000 * n, []) for n in range(1, 5)])
    refs = save_refs([doc])
    resolver = PinResolver()
    pin = Pin.parse("$.playtime")
    calls = iter([False, False, True])
    with pytest.raises(PinsCancelled):
        resolver.series(refs, [pin], cancelled=lambda: next(calls, True))
    assert resolver.payload_reads == 2
    assert resolver.missing(refs, [pin]) == 2


def test_containers_are_kept_as_size_and_digest():
    doc = _doc("d", [_payload(1000, [CREDITS]), _payload(2000, [CREDITS]), _payload(3000, [BADGE, CREDITS])])
    out = series(save_refs([doc]), [Pin.parse("$.gameData.inventory.items")])
    values = [p.value for p in out[0].points]
    assert all(isinstance(v, Composite) for v in values)
    assert values[0] == values[1] != values[2]
    assert str(values[2]) == "[2 items]"


def test_board_is_remembered_as_a_list_of_pin_strings_with_labels():
    board = PinBoard([Pin.parse("$.playtime", "playtime"), Pin.parse("$.a[id=x].b")])
    assert not board.add(Pin.parse("$.playtime"))          # already followed
    assert board.move(board.pins[1], -1)
    saved = board.dump()
    assert [orjson.loads(s)["pin"] for s in saved] == ["$.a[id=x].b", "$.playtime"]
    again, problems = PinBoard.load([*saved, "not a path", '{"label": "no pin"}'])
    assert again.pins == board.pins and again.pins[1].label == "playtime"
    assert len(problems) == 2 and "not a path" in problems[0]
    assert load_pins(["$.x"])[0] == [Pin.parse("$.x")]


def test_natural_pins_of_the_domain_views():
    faction = natural_pins("factions", table="factions", row={"id": "wraith_network", "_tips": {}})
    assert [p.key for p in faction] == ["$.gameData.factions.byId.wraith_network." + k for k in ("fame", "infamy", "attitude")]
    assert faction[0].display_label == "The Wraith Network · fame"
    item = natural_pins("inventory", table="items", row={"id": "credits", "name": "Credits"})
    assert item[0].key == "$.gameData.inventory.items[id=credits].quantity"
    case = natural_pins("dialogue", table="cases", row={"id": "case_001"})
    assert case[0].key == "count($.gameData.cases.cases.case_001.collectedEvidence)"
    assert natural_pins("overview", fact="Playtime")[0].key == "$.playtime"
    assert natural_pins("tutorial", fact="Current step")[0].key == "$.gameData.tutorial.currentStep"
    objective = natural_pins("quests", table="objectives",
                             row={"title": "Collect", "_ids": {"quest": "q1", "objective": "o1"}})
    assert objective[0].key == "$.gameData.quests.byId.q1.objectives.o1.progress"
    assert natural_pins("npcs", table="npcs", row={"id": "x"}) == []


def test_pins_in_a_kept_section_never_parse_a_parked_slot():
    doc = _doc("big", [_payload(1000 * n, [CREDITS]) for n in range(1, 4)])
    for n, slot in enumerate(doc.slots):
        slot.payload["gameData"]["tutorial"]["currentStep"] = f"step{n}"
        slot.park(orjson.dumps(slot.payload), lambda _t: pytest.fail("a kept section was parsed"))
    resolver = PinResolver()
    step = Pin.parse("$.gameData.tutorial.currentStep")
    done = Pin.parse("count($.gameData.tutorial.completedSteps)")
    out = resolver.series(save_refs([doc]), [step, done])
    assert [p.value for p in out[0].points] == ["step0", "step1", "step2"]
    assert [p.value for p in out[1].points] == [2, 2, 2]
    assert resolver.payload_reads == 0
