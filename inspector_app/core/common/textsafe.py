"""Show untrusted text (player-typed labels, keys, file names) safely: one rule app-wide.

A save's slot label, a localStorage key or a file name is whatever a player, a tool or a
disk handed us. Printed raw it can clear a terminal (``ESC [2J``), rewrite the current line
(``CR``) to fake an "OK" line, reorder what a reader sees (bidi overrides such as U+202E),
or hide characters (zero-width spaces). :func:`visible` escapes every such character into
a visible, unambiguous ASCII escape, so the text stays readable and nothing in it acts:

* C0 controls, DEL and C1 controls: ``\\n``, ``\\r``, ``\\t`` and ``\\x1b``-style escapes;
* bidi embeddings, overrides and isolates, zero-width and other invisible format
  characters (Unicode category Cf, plus U+2028/U+2029 separators): ``\\u202e``;
* lone surrogates (a file name whose bytes are not UTF-8, decoded with Python's
  ``surrogateescape``): the original byte as ``\\xff``;
* the backslash itself is left alone (paths on Windows; escapes stay distinguishable
  from real text only where it matters, i.e. in what they replace).

The same rule serves the CLIs' text output and the GUI's slot list.

No Qt here.
"""
from __future__ import annotations

import re
from functools import cache

__all__ = ["visible", "needs_escaping", "json_visible"]

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


# Every Unicode "Cf" (invisible format) character, as ranges: scanning all code points with
# unicodedata at import would cost ~0.3 s of start-up. tests/core/test_textsafe.py checks
# the table against the running Python's unicodedata, plus U+2028/U+2029 (separators).
_CF_RANGES = ((0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
              (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x202E),
              (0x2060, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
              (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
              (0xE0001, 0xE0001), (0xE0020, 0xE007F))


@cache
def _pattern(c0: bool = True) -> re.Pattern[str]:
    """The characters to escape, compiled on first use (not at import: the main window imports
    this module before its first paint, issue 13). ``c0=False``: without the C0 controls — in
    JSON text they are either escaped already (inside strings) or the text's own whitespace."""
    parts = ([r"\x00-\x1f"] if c0 else []) + [r"\x7f-\x9f", r"\ud800-\udfff"]
    for lo, hi in _CF_RANGES:
        parts.append(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}")
    return re.compile("[" + "".join(parts) + "]")


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    o = ord(ch)
    if 0xDC80 <= o <= 0xDCFF:      # surrogateescape: the original undecodable byte
        return f"\\x{o - 0xDC00:02x}"
    if o <= 0xFF:
        return f"\\x{o:02x}"
    if o <= 0xFFFF:
        return f"\\u{o:04x}"
    return f"\\U{o:08x}"


def visible(text: object) -> str:
    """``text`` with every control, invisible-format, bidi and lone-surrogate character
    escaped (``"a\\x1b[2Jb"`` -> ``"a\\\\x1b[2Jb"``). Non-strings are ``str()``-ed first.

    Fast when there is nothing to escape (one regex search)."""
    s = text if isinstance(text, str) else str(text)
    pattern = _pattern()
    if pattern.search(s) is None:
        return s
    return pattern.sub(_escape, s)


def needs_escaping(text: str) -> bool:
    """True when :func:`visible` would change ``text``."""
    return _pattern().search(text) is not None


def _json_escape(m: re.Match[str]) -> str:
    o = ord(m.group())
    if o > 0xFFFF:  # JSON escapes astral characters as a UTF-16 surrogate pair
        o -= 0x10000
        return f"\\u{0xD800 + (o >> 10):04x}\\u{0xDC00 + (o & 0x3FF):04x}"
    return f"\\u{o:04x}"


def json_visible(json_text: str) -> str:
    """JSON text with the same characters written as ``\\uXXXX`` escapes: the parsed value
    is unchanged, but printing the text shows nothing that acts on a terminal. Only valid
    for JSON text (such characters can only sit inside its strings)."""
    pattern = _pattern(c0=False)
    if pattern.search(json_text) is None:
        return json_text
    return pattern.sub(_json_escape, json_text)
