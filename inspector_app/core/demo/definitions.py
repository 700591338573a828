"""Static definition data of The Memory Syndicate (build 574a4d9a), as the game registers it.

Game data is data: it lives in ``resources/game/definitions.json`` (read through the project's
resource lookup, :mod:`inspector_app.resources`). Copied verbatim from saves the game wrote
(../shared/fixtures/game/saves): the 11 registered quest records in their not-started state, the
4 built-in district records at their definition defaults, the 13 tutorial step prompts, the Case
001 evidence items and case objectives. These are game data, not play-through data, so the demo
simulation reuses them as the game itself would. Exception: the original control hint of the
``case_file`` step was never captured (the recorded player rebound it), so the one there is a
plausible stand-in.

Dict key order matters: it is the key order the game serialises (JSON keeps it). Callers copy
before changing anything (``world.deep_copy``).
"""
from __future__ import annotations

from typing import Any

import orjson

from inspector_app.resources import resource_path

DEFINITIONS_FILE = resource_path("game", "definitions.json")

_DATA: dict[str, Any] = orjson.loads(DEFINITIONS_FILE.read_bytes())

QUEST_RECORDS: dict[str, dict] = _DATA["questRecords"]
DISTRICT_RECORDS: dict[str, dict] = _DATA["districtRecords"]
TUTORIAL_STEPS: list[dict] = _DATA["tutorialSteps"]
CASE_001_EVIDENCE: list[dict] = _DATA["case001Evidence"]
CASE_001_OBJECTIVES: list[dict] = _DATA["case001Objectives"]
