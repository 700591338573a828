"""Safe file names for export artifacts.

The game uses its prefix verbatim (spec §2, §4.1), so ``--prefix ../../x`` writes outside
the artifact directory. Prefixes here often come from slot labels typed by players
(``"Before Memory Parlor!"``), so every name is reduced to one harmless path component that
is valid on Linux, macOS and Windows: no separators, no control or reserved characters, no
leading dot, no Windows device name (``CON``, ``NUL``, ``COM1``...), bounded length.
"""
from __future__ import annotations

import re

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"COM{i}" for i in range(10)] + [f"LPT{i}" for i in range(10)]
    + ["COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"]
)
MAX_COMPONENT_BYTES = 200  # leaves room for "-tutorial-transcript-<T>.csv" under NAME_MAX 255


_SIMPLE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,199}")


def safe_filename_component(name: str) -> str:
    """``name`` as a single, portable, non-hidden path component (idempotent).

    ``"../../x"`` → ``"_.._.._x"``; ``"CON"`` → ``"_CON"``; ``"a/b:c"`` → ``"a_b_c"``; ``""`` → ``"_"``.
    """
    name = str(name)
    if _SIMPLE.fullmatch(name) and not name.endswith(".") and \
            name.split(".", 1)[0].upper() not in _WINDOWS_DEVICES:
        return name  # the common case, e.g. "save-inspector-summary-20251102T180624Z.json"
    text = _UNSAFE.sub("_", str(name)).strip(" ")
    text = text.rstrip(".")  # Windows drops trailing dots, which would alias another name
    if not text or set(text) <= {"."}:
        return "_"
    if text.startswith("."):
        text = "_" + text  # no hidden files, never "." or ".."
    stem = text.split(".", 1)[0].rstrip(" ").upper()
    if stem in _WINDOWS_DEVICES:
        text = "_" + text
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_COMPONENT_BYTES:
        text = encoded[:MAX_COMPONENT_BYTES].decode("utf-8", errors="ignore")
    return text
