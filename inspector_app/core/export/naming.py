"""Safe file names for export artifacts.

The game uses its prefix verbatim (spec §2, §4.1), so ``--prefix ../../x`` writes outside
the artifact directory. Prefixes here often come from slot labels typed by players
(``"Before Memory Parlor!"``), so every name is reduced to one harmless path component that
is valid on Linux, macOS and Windows: no separators, no control or reserved characters, no
leading dot, no Windows device name (``CON``, ``NUL``, ``COM1``...), no undecodable bytes,
bounded length (a name that is too long loses the end of its stem, never its extension;
artifact prefixes are cut to :data:`MAX_PREFIX_BYTES` first, so the kind, time and extension
of every artifact name always survive).
"""
from __future__ import annotations

import re

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"COM{i}" for i in range(10)] + [f"LPT{i}" for i in range(10)]
    + ["COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"]
)
MAX_COMPONENT_BYTES = 255  # NAME_MAX of Linux/macOS file systems (and NTFS in UTF-16 units)
MAX_PREFIX_BYTES = 200     # leaves room for "-tutorial-transcript-<T>.json" and a "-<n>" to tell names apart
_MAX_EXTENSION_BYTES = 16  # an extension this short is kept when a name must be cut

_SIMPLE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,199}")
_SURROGATES = re.compile("[\ud800-\udfff]")


def cut_utf8(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, never inside a character."""
    encoded = text.encode("utf-8")
    return text if len(encoded) <= limit else encoded[:limit].decode("utf-8", errors="ignore")


def safe_filename_component(name: str) -> str:
    """``name`` as a single, portable, non-hidden path component (idempotent).

    ``"../../x"`` → ``"_.._.._x"``; ``"CON"`` → ``"_CON"``; ``"a/b:c"`` → ``"a_b_c"``; ``""`` → ``"_"``.
    """
    name = str(name)
    if _SIMPLE.fullmatch(name) and not name.endswith(".") and \
            name.split(".", 1)[0].upper() not in _WINDOWS_DEVICES:
        return name  # the common case, e.g. "save-inspector-summary-20251102T180624Z.json"
    text = _SURROGATES.sub("_", _UNSAFE.sub("_", str(name))).strip(" ")   # undecodable bytes too
    text = text.rstrip(".")  # Windows drops trailing dots, which would alias another name
    if not text or set(text) <= {"."}:
        return "_"
    if text.startswith("."):
        text = "_" + text  # no hidden files, never "." or ".."
    stem = text.split(".", 1)[0].rstrip(" ").upper()
    if stem in _WINDOWS_DEVICES:
        text = "_" + text
    if len(text.encode("utf-8")) > MAX_COMPONENT_BYTES:
        # cut the stem, keep a short extension: "x…x.json", never "x…x" with the type lost
        stem, dot, ext = text.rpartition(".")
        if dot and stem and len(ext.encode("utf-8")) < _MAX_EXTENSION_BYTES:
            text = cut_utf8(stem, MAX_COMPONENT_BYTES - len(ext.encode("utf-8")) - 1).rstrip(" .") + "." + ext
        else:
            text = cut_utf8(text, MAX_COMPONENT_BYTES)
    return text
