"""Transcript DTO / CSV / Markdown (spec §6.2–6.3) with the game's quirks fixed."""
from __future__ import annotations

from inspector_app.core.export.artifacts import (
    build_transcript_csv,
    build_transcript_dto,
    build_transcript_markdown,
)

RAW = [
    {"event": "tutorial_started", "promptId": None, "promptText": None, "actionTaken": "started",
     "timestamp": 1761843600000, "followUpNarrative": None, "metadata": {"totalSteps": 4, "startedAt": 1761843600000}},
    {"event": "tutorial_step_started", "promptId": "intro", "promptText": "Welcome, Investigator",
     "actionTaken": "step_started", "timestamp": 1761843601000, "followUpNarrative": None,
     "metadata": {"stepIndex": 0, "highlight": None, "position": None, "canSkip": True}},
    {"event": "tutorial_skipped", "promptId": "evidence", "promptText": "Pipes | and\nnewlines",
     "actionTaken": "skipped", "timestamp": 1761843606000, "followUpNarrative": "Kira nods.",
     "metadata": {"stepIndex": None, "skippedAt": 1761843606000}},
    {"event": "tutorial_completed", "promptId": None, "promptText": None, "actionTaken": None,
     "timestamp": 0, "followUpNarrative": None, "metadata": None},
]


def test_dto_keeps_null_metadata_values_and_null_metadata():
    dto = build_transcript_dto(RAW)
    assert [d["sequence"] for d in dto] == [0, 1, 2, 3]
    assert dto[1]["metadata"] == {"stepIndex": 0, "highlight": None, "position": None, "canSkip": True}
    assert dto[2]["metadata"]["stepIndex"] is None          # the game writes {}
    assert dto[3]["metadata"] is None                        # the game writes {}
    assert dto[3]["action"] == "tutorial_completed"          # actionTaken ?? event
    assert dto[3]["timestampIso"] is None                    # 0 is falsy: no 1970 date
    assert dto[1]["title"] == "Welcome, Investigator"
    assert dto[0]["timestampIso"] == "2025-10-30T17:00:00.000Z"
    assert list(dto[0]) == ["sequence", "event", "promptId", "title", "action", "timestamp",
                            "timestampIso", "followUpNarrative", "metadata"]
    # the input is not aliased
    dto[1]["metadata"]["canSkip"] = False
    assert RAW[1]["metadata"]["canSkip"] is True


def test_dto_limit_keeps_most_recent_and_renumbers():
    dto = build_transcript_dto(RAW, limit=2.7)
    assert [d["event"] for d in dto] == ["tutorial_skipped", "tutorial_completed"]
    assert [d["sequence"] for d in dto] == [0, 1]
    assert len(build_transcript_dto(RAW, limit=0)) == 4       # non-positive limit = no limit
    assert build_transcript_dto(build_transcript_dto(RAW)) == build_transcript_dto(RAW)  # idempotent on DTOs


def test_transcript_csv_matches_game_format():
    csv = build_transcript_csv(build_transcript_dto(RAW[:2]))
    assert csv == (
        "sequence,event,prompt_id,title,action,timestamp,timestamp_iso,follow_up_narrative,metadata\n"
        '0,tutorial_started,,,started,1761843600000,2025-10-30T17:00:00.000Z,,"{""totalSteps"":4,""startedAt"":1761843600000}"\n'
        '1,tutorial_step_started,intro,"Welcome, Investigator",step_started,1761843601000,2025-10-30T17:00:01.000Z,,'
        '"{""stepIndex"":0,""highlight"":null,""position"":null,""canSkip"":true}"\n'
    )
    last_line = build_transcript_csv(build_transcript_dto(RAW)).splitlines()[-1]
    assert last_line == "3,tutorial_completed,,,tutorial_completed,0,,,"   # null metadata → empty cell


def test_transcript_markdown_prompt_id_and_escaping():
    md = build_transcript_markdown(build_transcript_dto(RAW))
    lines = md.split("\n")
    assert lines[0] == "| # | Event | Prompt | Action | Timestamp | Narrative |"
    assert lines[1] == "| --- | --- | --- | --- | --- | --- |"
    assert lines[2] == "| 0 | tutorial_started |  | started | 2025-10-30T17:00:00.000Z |  |"
    assert lines[3] == "| 1 | tutorial_step_started | intro | step_started | 2025-10-30T17:00:01.000Z |  |"
    assert md.endswith("|\n") and len(lines) == 2 + 4 + 1
    escaped = build_transcript_markdown([{"sequence": 0, "event": "e", "promptId": "a|b\\c",
                                          "action": "x", "timestampIso": None, "followUpNarrative": "one\r\ntwo\nthree"}])
    assert escaped.splitlines()[2] == "| 0 | e | a\\|b\\\\c | x |  | one<br>two<br>three |"
