"""The one entry point that turns a file (or bytes) into a :class:`SaveDocument`.

``load_path`` reads the file read-only in chunks (reporting progress and honouring cancel
between chunks), ``load_bytes`` parses once with orjson, recognises the content
(:mod:`detect`) and hands it to the builder for that kind. Whole-input failures raise
:class:`LoadError`; everything else becomes a located :class:`Problem` on the document or
on a slot, so a broken slot never hides the good ones.

No Qt here.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, BinaryIO

from inspector_app.core.common.gcpause import begin_prepare
from inspector_app.core.common.progress import CancelledFn, ProgressFn
from inspector_app.core.loading.detect import detect_kind, unrecognised_message
from inspector_app.core.loading.document import (
    DocumentKind, LoadCancelled, LoadError, Problem, SaveDocument, Severity, SlotEntry, SlotStatus,
)
from inspector_app.core.loading.chunked import NotChunkable
from inspector_app.core.loading.jsonparse import (
    JsonParseError, ParsedJson, TextHints, gc_paused, parse_json,
)
from inspector_app.core.loading.sections import (
    SECTIONED_MIN_BYTES, has_lazy, lazy_containers, materialize, parse_sectioned,
)
from inspector_app.core.loading.split import (
    SPLIT_MIN_BYTES, split_string_object, split_string_object_lines, starts_as_string_object,
)
from inspector_app.core.loading.payload import SlotBuilder, slot_id_for_file
from inspector_app.core.loading.profile import build_profile
from inspector_app.core.common.jsfmt import is_number
from inspector_app.core.loading.summary import check_summary, find_sibling_artifacts


READ_CHUNK = 2 << 20  # 2 MiB between progress reports / cancel checks (and per copy)
#: Files from this size up to :data:`WHOLE_READ_MAX` are read in one call (see ``_read_file``).
WHOLE_READ_MIN = 4 << 20
WHOLE_READ_MAX = 256 << 20
#: Files from this size have the freeze's GUI collection asked for before they are read.
EARLY_PREPARE_MIN_BYTES = 16 << 20


class _Steps:
    """progress + cancel in one place, so every phase reports and checks the same way."""

    def __init__(self, progress: ProgressFn | None, cancelled: CancelledFn | None):
        self._progress = progress
        self._cancelled = cancelled

    def cancelled(self) -> bool:
        return self._cancelled is not None and bool(self._cancelled())

    def check(self) -> None:
        if self.cancelled():
            raise LoadCancelled("loading was cancelled")

    def __call__(self, done: int, total: int, text: str = "") -> None:
        self.check()
        if self._progress is not None:
            self._progress(done, total, text)


def load_path(path: str | os.PathLike, progress: ProgressFn | None = None,
              cancelled: CancelledFn | None = None, *, other_json: bool = False,
              origin: str | None = None) -> SaveDocument:
    """Load any supported input file. Raises LoadError (unreadable / unknown) or LoadCancelled.

    Only regular files are opened (see :func:`open_regular_file`): a FIFO, socket or device
    named ``*.json`` is a located error, never a read that blocks forever.

    ``other_json=True`` (the GUI): valid JSON of no known kind (a benchmark result, a QA
    report) becomes an OTHER_JSON document to browse, with a notice, instead of an error.
    A folder that looks like browser storage (a Chromium or Firefox profile, its localStorage
    folder) is read by :mod:`core.browser`; ``origin`` picks one when several hold saves."""
    path = Path(path)
    if path.is_dir():
        from inspector_app.core.browser.storage import load_browser_storage, looks_like_browser_storage
        if looks_like_browser_storage(path):
            return load_browser_storage(path, origin=origin, progress=progress, cancelled=cancelled)
    steps = _Steps(progress, cancelled)
    prepared = None
    with open_regular_file(path) as fh:
        streamed = _stream_big_profile(fh, path, steps)
        if streamed is None:
            # the GUI thread's collection before a big build's freeze (core/common/gcpause) runs
            # while a big file is read, not after it (a smaller file's read is over before the
            # GUI thread gets to it: asked for then, it lands among the open's first GUI events)
            size = os.fstat(fh.fileno()).st_size
            prepared = begin_prepare(size) if size >= EARLY_PREPARE_MIN_BYTES else None
            # The buffer travels in a one-item list so the loader can drop it once parsed: for a
            # big profile that frees a file-sized block before the slots are built.
            holder = [_read_file(fh, path, steps)]
    if streamed is not None:
        root, size = streamed
        with gc_paused(size):
            return _build_document(ParsedJson(value=root, hints=TextHints()), size, path, str(path), steps,
                                   on_disk=True, other_json=other_json)
    return _load(holder, path, str(path), steps, on_disk=True, other_json=other_json, prepared=prepared)


def _stream_big_profile(fh: BinaryIO, path: Path, steps: _Steps) -> tuple[dict, int] | None:
    """Pretty-printed big profile exports are read entry by entry straight from the file, so
    the whole file never sits in memory beside the strings built from it. None = not this
    shape: the general path reads the file (from the start) and reports precisely."""
    size = os.fstat(fh.fileno()).st_size
    if size < SPLIT_MIN_BYTES:
        return None
    try:
        root = split_string_object_lines(fh, size, progress=steps, cancelled=steps.cancelled)
    except OSError:
        root = None
    finally:
        fh.seek(0)
    steps.check()
    if root is None or detect_kind(root) is not DocumentKind.PROFILE:
        return None
    return root, size


def load_bytes(data: bytes | bytearray | memoryview, name: str, progress: ProgressFn | None = None,
               cancelled: CancelledFn | None = None) -> SaveDocument:
    """Load content that is already in memory; ``name`` is used in messages (and as doc.path)."""
    return _load([data], Path(name), name, _Steps(progress, cancelled), on_disk=False)


# --------------------------------------------------------------------------- reading
def _file_error(path: Path, code: str, message: str) -> LoadError:
    return LoadError(Problem(Severity.ERROR, message, file=str(path), code=code))


_KIND_OF_FILE = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                 (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def _not_regular(path: Path, mode: int) -> LoadError:
    if stat.S_ISDIR(mode):
        return _file_error(path, "is_directory", "This is a folder, not a file.")
    what = next((name for test, name in _KIND_OF_FILE if test(mode)), "not a regular file")
    return _file_error(path, "not_a_file", f"This is {what}, not a regular file; only regular files are read.")


def is_regular_file(path: str | os.PathLike) -> bool:
    """True for a regular file (following symlinks); False for anything else or an error.
    Folder walks use it to skip FIFOs, sockets and devices without opening them."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def open_regular_file(path: str | os.PathLike) -> BinaryIO:
    """Open ``path`` read-only, only if it is a regular file; raise a located LoadError otherwise.

    ``stat`` first (a FIFO is never opened: opening one blocks until a writer appears), then
    ``open`` with ``O_NONBLOCK`` (so a file swapped for a FIFO in between cannot block
    either) and a second check of ``fstat`` on the opened descriptor. This is the one way
    every input (GUI, ``validate``, ``inspector-export``) is opened."""
    p = Path(path)
    try:
        st = os.stat(p)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(p, st.st_mode)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(p, flags)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise _not_regular(p, st.st_mode)
            return os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
    except OSError as exc:
        raise _os_error(p, exc) from None
    except ValueError:  # embedded NUL in the path
        raise _file_error(p, "read_failed", "The file name cannot be opened (it contains a NUL character).") from None


def _os_error(path: Path, exc: OSError) -> LoadError:
    if isinstance(exc, FileNotFoundError):
        return _file_error(path, "file_missing", "No such file.")
    if isinstance(exc, IsADirectoryError):
        return _file_error(path, "is_directory", "This is a folder, not a file.")
    if isinstance(exc, PermissionError):
        return _file_error(path, "permission_denied", "The file cannot be read: permission denied.")
    return _file_error(path, "read_failed", f"The file cannot be read: {exc.strerror or exc}.")


def _read_file(fh: BinaryIO, path: Path, steps: _Steps) -> bytes | bytearray:
    """Read-only, in chunks appended to one growing buffer (no join copy).

    The buffer grows as the chunks arrive instead of being allocated at its full size first:
    ``bytearray(size)`` zero-fills every page in one call, ~90 ms for 50 MB with the GIL held
    (the GUI thread stalled for it). A chunk is read with the GIL released and appended with
    one short copy; a big buffer's ``realloc`` moves pages (``mremap``) rather than bytes.
    A file smaller than one chunk is read in one call into a buffer of its size (the chunked
    read allocated 2 MiB and copied it once more: 0.09 ms of a 500 KB profile's ~0.2 ms).

    So is a big file (:data:`WHOLE_READ_MIN` to :data:`WHOLE_READ_MAX`, issue 13): the kernel
    copies it straight into a ``bytes`` of its size (never zero-filled) with the GIL released
    throughout, where the appended chunks copied every byte twice and faulted the buffer's pages
    in with the GIL held (50 MB from the page cache: ~33 ms against ~55 ms). Progress then
    jumps from 0 to the whole, and a cancel waits for the read."""
    try:
        size = os.fstat(fh.fileno()).st_size
        steps(0, size, f"Reading {path.name}")
        if size < READ_CHUNK or WHOLE_READ_MIN <= size <= WHOLE_READ_MAX:
            data = fh.read(size)
            rest = fh.read()                  # the file grew since its size was read
            if rest:
                data += rest
            steps(len(data), max(size, len(data)), f"Reading {path.name}")
            return data
        buf = bytearray()
        while True:
            chunk = fh.read(READ_CHUNK)
            if not chunk:
                break
            buf += chunk
            del chunk
            steps(min(len(buf), size), size, f"Reading {path.name}")
        return buf
    except MemoryError:
        raise _file_error(path, "too_big", "The file is too big to load into memory.") from None
    except OSError as exc:
        raise _os_error(path, exc) from None


# --------------------------------------------------------------------------- dispatch
def _load(holder: list, path: Path, file: str, steps: _Steps, on_disk: bool, other_json: bool = False,
          prepared=None) -> SaveDocument:
    # One GC pause over the whole document (file + every nested slot), frozen at the end;
    # ``prepared``: the freeze's collection asked for before the read (gcpause.begin_prepare)
    with gc_paused(len(holder[0]), prepared):
        return _load_paused(holder, path, file, steps, on_disk, other_json)


def _load_paused(holder: list, path: Path, file: str, steps: _Steps, on_disk: bool,
                 other_json: bool) -> SaveDocument:
    steps(0, 0, f"Parsing {path.name}")
    data = holder.pop()
    size = len(data)
    parsed = _split_big_profile(data, steps) or _parse_sectioned(data, steps) or _parse_whole(data, file, steps.cancelled)
    del data  # the parsed value is all we need from here on
    return _build_document(parsed, size, path, file, steps, on_disk, other_json)


def _build_document(parsed: ParsedJson, size: int, path: Path, file: str, steps: _Steps,
                    on_disk: bool, other_json: bool = False) -> SaveDocument:
    steps.check()
    root = parsed.value
    kind = detect_kind(root)
    if kind is None and other_json:
        doc = SaveDocument(path=path, kind=DocumentKind.OTHER_JSON, size_bytes=size, root=root)
        what = unrecognised_message(root).split(". Expected")[0].removeprefix("Not a save or inspector file: ")
        doc.problems.append(Problem(Severity.NOTICE, f"Not a save or inspector file ({what}); shown as plain "
                                    "JSON, read-only.",
                                    file=file, code="other_json"))
        return doc
    if kind is None:
        raise LoadError(Problem(Severity.ERROR, unrecognised_message(root), file=file, code="unrecognised"))
    doc = SaveDocument(path=path, kind=kind, size_bytes=size, root=root)
    for note in parsed.notes:
        doc.problems.append(Problem(Severity(note.severity), _sentence(note.message), file=file,
                                    location=note.path, code=note.code))
    if kind is DocumentKind.PROFILE:
        build_profile(doc, root, file, steps, hints=parsed.hints)
    elif kind is DocumentKind.PAYLOAD:
        doc.slots.append(_single_payload(root, path, file, parsed.utf8_size or size))
    elif kind is DocumentKind.ENGINE_SAVE:
        doc.slots.append(_engine_slot(root, path, file, parsed.utf8_size or size))
    else:
        doc.summary = root
        if kind is DocumentKind.SUMMARY_EXPORT and on_disk:
            doc.sibling_artifacts = find_sibling_artifacts(path, root)
        check_summary(doc, file, siblings_searched=on_disk)
    steps(1, 1, f"Loaded {path.name}")
    return doc


def _split_big_profile(data: Any, steps: _Steps) -> ParsedJson | None:
    """Big localStorage exports are split entry by entry (see ``split``), which keeps the GIL
    free for the GUI thread; smaller ones too when they start like an object of strings (the
    splitter answers the top level's duplicate-key question as it parses, so the whole text
    needs no check afterwards: 0.25 ms instead of ~1 ms for a 500 KB profile). None means
    "use the general parser"."""
    if len(data) < SPLIT_MIN_BYTES and not starts_as_string_object(data):
        return None
    root = split_string_object(data, cancelled=steps.cancelled)
    steps.check()
    if root is None or detect_kind(root) is not DocumentKind.PROFILE:
        return None
    return ParsedJson(value=root, hints=TextHints())


def _parse_sectioned(data: Any, steps: _Steps) -> ParsedJson | None:
    """A big single save as a skeleton whose big containers stay text (``sections``): ~1× the
    file instead of 4-7×. None = parse it the general way (not big, not chunkable, or a text
    the general parse has notes about: integers beyond 64 bits, duplicate keys)."""
    if len(data) < SECTIONED_MIN_BYTES or not isinstance(data, (bytes, bytearray)):
        return None
    try:
        value, checked = parse_sectioned(data, steps.cancelled)
    except NotChunkable:
        return None
    steps.check()
    if not checked:
        return None
    if has_lazy(value) and detect_kind(value) is not DocumentKind.PAYLOAD:
        value = materialize(value, steps.cancelled)   # only single saves are kept as skeletons
    return ParsedJson(value=value, hints=TextHints(long_digit_runs=False))


def _parse_whole(data: Any, file: str, cancelled: CancelledFn | None = None) -> ParsedJson:
    try:
        return parse_json(data, cancelled=cancelled)
    except JsonParseError as err:
        raise LoadError(Problem(Severity.ERROR, _sentence(_upper_first(err.reason)), file=file,
                                location=err.location, code=err.code)) from None
    except RecursionError:
        raise LoadError(Problem(Severity.ERROR, "The JSON is nested too deeply to read.", file=file,
                                code="too_deep")) from None


def _single_payload(root: dict, path: Path, file: str, size: int) -> SlotEntry:
    builder = SlotBuilder(key=path.name, slot_id=slot_id_for_file(root, path.name), size_bytes=size,
                          file=file, problem_slot=None)
    slot = builder.from_value(root)
    if has_lazy(root):
        if slot.status is SlotStatus.LEGACY or slot.payload is not root:
            slot.payload = materialize(root)   # normalised for display from the whole value
        else:
            slot.park_sections(root, next(lazy_containers(root)).source)   # the file's buffer
    _ = slot.display_payload  # a legacy save's display copy is made here, in the worker, not in a view
    return slot


def _engine_slot(root: dict, path: Path, file: str, size: int) -> SlotEntry:
    """Appendix A: the dormant ``src/engine/SaveManager.js`` format; one slot, read-only."""
    raw_slot = root.get("slot")
    if raw_slot == -1 or raw_slot == "autosave":
        slot_id, label = "autosave", "Engine autosave"
    else:
        slot_id = f"slot{raw_slot}" if isinstance(raw_slot, int) and not isinstance(raw_slot, bool) else path.stem
        label = f"Engine slot {raw_slot}" if isinstance(raw_slot, int) else path.stem
    meta = root.get("meta") if isinstance(root.get("meta"), dict) else {}
    problems = [Problem(Severity.NOTICE,
                        "Dormant engine save format (src/engine/SaveManager.js, Appendix A): the current game never "
                        "reads or writes it, so it cannot be loaded in game. Shown read-only.",
                        file=file, code="engine_save")]
    if not root.get("version") or not root.get("timestamp"):
        problems.append(Problem(Severity.WARNING,
                                "The engine's own validation needs a truthy version and timestamp; importSave() "
                                "would reject this file.", file=file, location="$.timestamp",
                                code="engine_save_invalid"))
    playtime = meta.get("playtime")
    timestamp = root.get("timestamp")
    return SlotEntry(key=path.name, slot_id=slot_id, label=label, slot_type="auto" if slot_id == "autosave"
                     else "manual", status=SlotStatus.OK, size_bytes=size, payload=root,
                     timestamp=timestamp if is_number(timestamp) else None,
                     playtime=playtime if is_number(playtime) else None,
                     version=root.get("version"), snapshot_source=None, problems=problems)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = _upper_first(text.strip())
    return text if text.endswith((".", "!", "?", ")")) else text + "."
