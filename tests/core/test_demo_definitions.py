"""The game's static definitions are data in resources/, read through the one resource lookup."""
from __future__ import annotations

from pathlib import Path

import orjson

from inspector_app.core.demo import definitions as defs
from inspector_app.resources import resources_dir


def test_definitions_are_a_json_resource_not_a_python_literal():
    assert defs.DEFINITIONS_FILE.parent.parent == resources_dir()
    raw = orjson.loads(defs.DEFINITIONS_FILE.read_bytes())
    assert raw["questRecords"] is not defs.QUEST_RECORDS and raw["questRecords"] == defs.QUEST_RECORDS
    source = Path(defs.__file__).read_text(encoding="utf-8")
    assert source.count("\n") < 60  # a loader, not 2,644 lines of data


def test_definitions_hold_what_the_game_registers_in_its_order():
    assert len(defs.QUEST_RECORDS) == 11 and len(defs.DISTRICT_RECORDS) == 4 and len(defs.TUTORIAL_STEPS) == 13
    assert next(iter(defs.QUEST_RECORDS)) == "case_001_hollow_case"
    assert list(defs.QUEST_RECORDS["case_001_hollow_case"])[:4] == ["id", "title", "type", "status"]
    assert [s["stepIndex"] for s in defs.TUTORIAL_STEPS] == list(range(13))
    assert {e["id"] for e in defs.CASE_001_EVIDENCE} >= {"ev_006_anonymous_tip"}
    assert all(o["completed"] is False for o in defs.CASE_001_OBJECTIVES)
