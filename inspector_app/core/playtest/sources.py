"""Which players a playtest has: folders (recursively), files, browser profile folders, URLs.

Player ids are fixed here, before any work starts, so every split of the players (pool
workers, Dask workers, cache hits) sees the same ids and the report is the same bytes.
"""
from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

from .model import PlayerSource, ProblemInfo

_SUFFIXES = (".localstorage.json", ".json")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(text: str) -> bool:
    """``s3://…``, ``gs://…``, ``memory://…`` (fsspec); ``file://`` counts as a URL too."""
    return bool(_URL.match(text))


def _stem(name: str) -> str:
    lower = name.lower()
    for suffix in _SUFFIXES:
        if lower.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _looks_like_browser(path: Path) -> bool:
    from inspector_app.core.browser.storage import looks_like_browser_storage

    try:
        return looks_like_browser_storage(path)
    except OSError:
        return False


def _exported_names(folder: Path | str, entries: list[os.DirEntry], problems: list[ProblemInfo]) -> frozenset[str]:
    """Files of ``folder`` that an export wrote, not players: the CI manifest and what it lists.

    A report written into one of its own input folders (``--out`` inside the playtest) must not
    come back as an extra, unreadable "player" on the next run."""
    from inspector_app.core.export.publisher import MANIFEST_NAME, read_manifest

    present = {e.name for e in entries}
    if MANIFEST_NAME not in present:
        return frozenset()
    manifest = read_manifest(os.path.join(folder, MANIFEST_NAME))
    if manifest is None:
        return frozenset()
    listed = manifest["artifacts"] if isinstance(manifest["artifacts"], list) else []
    here = os.path.realpath(folder)
    names = {MANIFEST_NAME}
    for item in listed:
        path = item.get("filepath") if isinstance(item, dict) else None
        if isinstance(path, str) and os.path.dirname(os.path.realpath(path)) == here:
            names.add(os.path.basename(path))
    skipped = sorted(n for n in names & present if n.lower().endswith(".json"))
    if skipped:
        problems.append(ProblemInfo("notice", f"not read as players: {', '.join(skipped)} (written by an export, "
                                    f"listed in {MANIFEST_NAME})", file=str(folder), code="export_outputs_skipped"))
    return frozenset(names)


def _walk(folder: Path, found: list[tuple[str, str]], problems: list[ProblemInfo]) -> None:
    """Every ``*.json`` regular file below ``folder`` (sorted, iterative); browser folders whole."""
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as error:
            problems.append(ProblemInfo("error", f"cannot list the folder: {error.strerror or error}",
                                        file=str(current), code="folder_unreadable"))
            continue
        subdirs = []
        outputs = _exported_names(current, entries, problems)
        for entry in entries:
            if entry.name.startswith(".") or entry.name in outputs:
                continue
            try:
                mode = entry.stat().st_mode
            except OSError:
                continue
            if stat.S_ISDIR(mode):
                subdirs.append(Path(entry.path))
            elif stat.S_ISREG(mode) and entry.name.lower().endswith(".json"):
                found.append((entry.path, "file"))
        for sub in reversed(subdirs):
            if _looks_like_browser(sub):
                found.append((str(sub), "browser"))
            else:
                stack.append(sub)


def _url_sources(url: str, found: list[tuple[str, str]], problems: list[ProblemInfo]) -> None:
    try:
        import fsspec  # optional: only when the user gives a URL
    except ImportError:
        problems.append(ProblemInfo("error", "reading URLs needs the optional 'fsspec' package", file=url,
                                    code="url_unsupported"))
        return
    try:
        fs, root = fsspec.core.url_to_fs(url)
        if fs.isdir(root):
            names = sorted(p for p in fs.find(root) if p.lower().endswith(".json"))
            protocol = fs.protocol[0] if isinstance(fs.protocol, (tuple, list)) else fs.protocol
            found.extend((fs.unstrip_protocol(p) if hasattr(fs, "unstrip_protocol") else f"{protocol}://{p}", "url")
                         for p in names)
        elif fs.exists(root):
            found.append((url, "url"))
        else:
            problems.append(ProblemInfo("error", "no such file or folder", file=url, code="not_found"))
    except Exception as error:  # noqa: BLE001 — any backend error is the user's input problem, located
        problems.append(ProblemInfo("error", f"cannot read: {type(error).__name__}: {error}", file=url,
                                    code="url_unreadable"))


def _url_name(url: str) -> tuple[str, str]:
    parts = url.rstrip("/").split("/")
    return parts[-1], parts[-2] if len(parts) > 1 else ""


def discover_sources(inputs: Sequence[str | os.PathLike]) -> tuple[list[PlayerSource], list[ProblemInfo]]:
    """The players behind ``inputs`` (sorted by player id) and the inputs that were not usable."""
    found: list[tuple[str, str]] = []
    problems: list[ProblemInfo] = []
    for raw in inputs:
        text = os.fspath(raw)
        if isinstance(text, bytes):
            text = os.fsdecode(text)
        if is_url(text) and not text.startswith("file://"):
            _url_sources(text, found, problems)
            continue
        if text.startswith("file://"):
            text = text[len("file://"):]
        path = Path(text).absolute()
        try:
            st = path.stat()
        except OSError as error:
            reason = "no such file or folder" if isinstance(error, FileNotFoundError) else (error.strerror or str(error))
            problems.append(ProblemInfo("error", reason, file=str(path), code="not_found"))
            continue
        if stat.S_ISDIR(st.st_mode):
            if _looks_like_browser(path):
                found.append((str(path), "browser"))
            else:
                before = len(found)
                _walk(path, found, problems)
                if len(found) == before:
                    problems.append(ProblemInfo("warning", "no profiles (*.json) in this folder", file=str(path),
                                                code="folder_empty"))
        else:
            found.append((str(path), "file"))
    return _assign_ids(found), problems


def _assign_ids(found: list[tuple[str, str]]) -> list[PlayerSource]:
    seen: set[str] = set()
    unique: list[tuple[str, str]] = []
    for path, kind in found:                     # the same file given twice is one player
        if path not in seen:
            seen.add(path)
            unique.append((path, kind))
    unique.sort()
    names: list[tuple[str, str]] = []
    for path, kind in unique:
        if kind == "url":
            name, parent = _url_name(path)
        else:
            p = Path(path)
            name, parent = p.name, p.parent.name
        names.append((_stem(name) if kind != "browser" else name, parent))
    counts: dict[str, int] = {}
    for name, _ in names:
        counts[name] = counts.get(name, 0) + 1
    ids = [name if counts[name] == 1 else f"{parent}/{name}" for name, parent in names]
    taken: dict[str, int] = {}
    out = []
    for (path, kind), pid in zip(unique, ids):
        n = taken.get(pid, 0) + 1
        taken[pid] = n
        out.append(PlayerSource(pid if n == 1 else f"{pid} #{n}", path, kind))
    out.sort(key=lambda s: s.player_id)
    return out


def source_for(path: str | os.PathLike) -> PlayerSource:
    """A one-player source for a single path (its id from the file name)."""
    sources, problems = discover_sources([path])
    if sources:
        return sources[0]
    text = os.fspath(path)
    return PlayerSource(_stem(Path(str(text)).name), str(text), "file")
