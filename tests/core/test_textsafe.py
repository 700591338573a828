"""One rule for showing untrusted text: controls, bidi and invisible characters escaped."""
from __future__ import annotations

import json
import sys
import unicodedata

import pytest

from inspector_app.core.common.textsafe import json_visible, needs_escaping, visible


@pytest.mark.parametrize("raw, shown", [
    ("plain label", "plain label"),
    ("Before Memory Parlor!", "Before Memory Parlor!"),
    ("caf\u00e9 \u65e5\u672c", "caf\u00e9 \u65e5\u672c"),           # ordinary non-ASCII stays
    ("\x1b[2J\x1b[HOK", "\\x1b[2J\\x1b[HOK"),                          # clear screen, cursor home
    ("bad\rOK      ", "bad\\rOK      "),                               # fake an OK line
    ("a\nb\tc", "a\\nb\\tc"),
    ("\x7f\x85\x9b", "\\x7f\\x85\\x9b"),                               # DEL, C1 (NEL, CSI)
    ("evil\u202etxt.json", "evil\\u202etxt.json"),                     # right-to-left override
    ("\u2066x\u2069", "\\u2066x\\u2069"),                              # isolates
    ("zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff"),
    ("tag\U000e0041", "tag\\U000e0041"),
    ("name-\udcff.json", "name-\\xff.json"),                           # surrogateescape'd byte
])
def test_visible_escapes_what_acts_on_a_terminal(raw, shown):
    assert visible(raw) == shown
    assert needs_escaping(raw) == (raw != shown)


def test_every_format_character_of_this_python_is_covered():
    missing = [hex(c) for c in range(sys.maxunicode + 1)
               if unicodedata.category(chr(c)) == "Cf" and not needs_escaping(chr(c))]
    assert missing == []


def test_json_visible_keeps_the_value_and_the_layout():
    value = {"label": "x\u202e\x85y\U000e0041", "n": [1, 2]}
    text = json.dumps(value, ensure_ascii=False, indent=2)
    shown = json_visible(text)
    assert "\u202e" not in shown and "\x85" not in shown and "\\u202e" in shown
    assert "\n" in shown and json.loads(shown) == value
