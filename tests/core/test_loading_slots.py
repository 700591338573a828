"""Slot ids, labels, types and the shared display formats (save-format §1.3, §1.4)."""
from __future__ import annotations

import math

import orjson
import pytest

from inspector_app.core.common.timefmt import format_playtime
from inspector_app.core.loading.slots import (
    format_bytes, format_timestamp, format_version, is_slot_key, normalize_slot_name,
    slot_id_from_key, slot_label, slot_type_for,
)


def test_every_observed_mapping_in_the_behaviour_file(game_fixtures):
    cases = orjson.loads((game_fixtures / "behaviour" / "load-save-error-paths.results.json").read_bytes())
    table = next(c for c in cases if c["case"] == "slot_name_normalisation")["returned"]
    assert len(table) == 8
    for row in table:
        assert normalize_slot_name(row["input"]) == row["normalized"], row


@pytest.mark.parametrize("raw, expected", [
    ("  My Save #1  ", "my-save-1"),
    ("Chapter 2: The Parlor", "chapter-2-the-parlor"),
    ("***", "autosave"),
    ("UPPER_lower-mixed", "upper_lower-mixed"),
    ("a" * 60, "a" * 32),
    ("Before Memory Parlor!", "before-memory-parlor"),
    (3, "slot3"),
    (3.9, "slot3"),
    (-4, "slot0"),
    ("", "autosave"),
    (None, "autosave"),
    (True, "autosave"),
    (["x"], "autosave"),
    ("AUTOSAVE", "autosave"),
    ("__x__", "x"),
    ("a--b", "a-b"),
    ("metadata", "metadata"),
])
def test_normalize_slot_name_rules(raw, expected):
    assert normalize_slot_name(raw) == expected


def test_labels_and_types():
    assert slot_label("  Before Memory Parlor!  ", "before-memory-parlor") == "Before Memory Parlor!"
    assert slot_label(3, "slot3") == "slot3"
    assert slot_label("   ", "autosave") == "autosave"
    assert slot_type_for("autosave") == "auto"
    assert slot_type_for("slot1") == "manual"
    assert slot_id_from_key("save_before-memory-parlor") == "before-memory-parlor"
    assert is_slot_key("save_slot1") and not is_slot_key("save_metadata") and not is_slot_key("tutorial_completed")


def test_format_playtime():
    assert format_playtime(3186200) == "53m 06s"
    assert format_playtime(10000) == "0m 10s"
    assert format_playtime(3600 * 1000 * 27 + 61_000) == "27h 01m"
    assert format_playtime(None) == "\u2014"
    assert format_playtime(math.nan) == "\u2014"
    assert format_playtime(None, missing="") == ""
    assert format_playtime("10") == "\u2014"
    assert format_playtime(-5000) == "-0m 05s"


def test_format_bytes_and_timestamp_and_version():
    assert format_bytes(0) == "0 B"
    assert format_bytes(999) == "999 B"
    assert format_bytes(62427) == "62.4 KB"
    assert format_bytes(999_999) == "1.0 MB"
    assert format_bytes(1_800_000) == "1.8 MB"
    assert format_bytes(None) == "\u2014"
    assert format_timestamp(1762109586200) == "2025-11-02 18:53:06 UTC"
    assert format_timestamp(0) == "\u2014"
    assert format_timestamp(None, missing="") == ""
    assert format_version(1) == "v1"
    assert format_version("1") == '"1" (string)'
    assert format_version(None) == "none"
