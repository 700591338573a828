"""What "a clean outcome" means for one input, shared by the mutation fuzzer and the corpus
replay: the loader returns a document or raises its located LoadError (nothing else), and
``validate`` (text and ``--json``, in-process) exits 0 or 2 with a complete report, no
internal error, nothing that drives a terminal."""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from inspector_app.cli.validate import main as validate_main
from inspector_app.core.loading.document import LoadError, SaveDocument
from inspector_app.core.loading.loader import load_path

_RAW_CONTROLS = ("\x1b", "\x9b", "\u202e", "\r")


def _validate(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = validate_main(list(argv))
    return code, out.getvalue()


def problems_with(path: Path) -> list[str]:
    """Empty when every way of reading ``path`` ends cleanly; else what went wrong."""
    bad: list[str] = []
    try:
        doc = load_path(path)
        if not isinstance(doc, SaveDocument):
            bad.append(f"load_path returned {type(doc).__name__}")
    except LoadError:
        pass
    except Exception as exc:  # noqa: BLE001 - this is what the guard looks for
        bad.append(f"load_path raised {type(exc).__name__}: {exc}"[:300])
    try:
        code, text = _validate(str(path))
        if code not in (0, 2):
            bad.append(f"validate exited {code}")
        if "INTERNAL" in text:
            bad.append("validate reported an internal error: " + text[:300])
        if any(c in text for c in _RAW_CONTROLS):
            bad.append("validate printed a raw control/bidi character")
        if not text.strip():
            bad.append("validate printed nothing")
    except Exception as exc:  # noqa: BLE001
        bad.append(f"validate raised {type(exc).__name__}: {exc}"[:300])
    try:
        code, text = _validate("--json", str(path))
        if code not in (0, 2):
            bad.append(f"validate --json exited {code}")
        results = json.loads(text)
        if len(results) != 1:
            bad.append(f"validate --json gave {len(results)} results")
        elif (results[0].get("error") or {}).get("code") == "internal_error":
            bad.append("validate --json reported an internal error: " + results[0]["error"]["message"][:300])
    except Exception as exc:  # noqa: BLE001
        bad.append(f"validate --json failed: {type(exc).__name__}: {exc}"[:300])
    return bad
